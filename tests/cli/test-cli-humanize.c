/* test-cli-humanize.c — workroom-cli humanize end to end: the real binary, a
 * real SQLite file, the real keyring (run under tests/with-keyring.sh) and
 * the standalone mock server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  char        *data_dir;
  GSubprocess *mock;
  char        *mock_url;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("WR_CLI");
  g_assert_nonnull (path);
  return path;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  const char *mock_path = g_getenv ("WR_MOCK_SERVER");

  fixture->data_dir = g_dir_make_tmp ("wr-cli-humanize-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_nonnull (mock_path);
  fixture->mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                    &error, mock_path, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->mock));
  fixture->mock_url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fixture->mock_url, "http://127.0.0.1:"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_subprocess_force_exit (fixture->mock);
  g_subprocess_wait (fixture->mock, NULL, NULL);
  g_clear_object (&fixture->mock);
  remove_tree (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->mock_url);
}

/* Runs workroom-cli with --data-dir and the arguments; @input goes to
 * stdin. */
static Result
run_cli_full (Fixture    *fixture,
              const char *input,
              const char *first,
              ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Result result = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);

  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);

  result.status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return result;
}

#define run_cli(fixture, ...) run_cli_full (fixture, NULL, __VA_ARGS__, NULL)

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
create_project (Fixture    *fixture,
                const char *name)
{
  g_auto(Result) result = run_cli (fixture, "project", "create", name);

  g_assert_cmpint (result.status, ==, 0);
  return g_strdup (g_strchomp (result.out));
}

static void
add_mock_provider (Fixture *fixture)
{
  g_auto(Result) result = run_cli (fixture, "provider", "add", "Mock",
                                   "--base-url", fixture->mock_url,
                                   "--default-model", "mock-echo");

  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
}

static void
test_rewrite (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *project = NULL;

  add_mock_provider (fixture);
  project = create_project (fixture, "Letters");

  {
    /* Streams the rewrite to stdout; nothing else. */
    g_auto(Result) result = run_cli (fixture, "humanize", "--tone", "professional", "hello", "world");
    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Echo: hello world\n");
  }
  {
    g_auto(Result) result = run_cli_full (fixture, "from standard input\n", "humanize", "--tone", "Caring", "-", NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Echo: from standard input\n");
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "-t", "bold", "--model", "mock-nousage",
                                     "--project", project, "--json", "make it bold");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    g_assert_cmpint (result.status, ==, 0);
    node = parse_json (result.out);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "output"), ==, "Echo: make it bold");
    g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, "make it bold");
    g_assert_cmpstr (json_object_get_string_member (object, "tone"), ==, "bold");
    g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "mock-nousage");
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "complete");
    g_assert_cmpstr (json_object_get_string_member (object, "project_id"), ==, project);
    g_assert_nonnull (json_object_get_string_member (object, "provider_id"));
  }
  {
    /* Each history is its own: the project's, and the one without. */
    g_auto(Result) in_project = run_cli (fixture, "humanize", "history", "--project", project, "--json");
    g_auto(Result) without = run_cli (fixture, "humanize", "history", "--json");
    g_autoptr(JsonNode) a = parse_json (in_project.out);
    g_autoptr(JsonNode) b = parse_json (without.out);
    JsonArray *list = json_node_get_array (b);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (a)), ==, 1);
    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "input"),
                     ==, "from standard input\n");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "tone_name"),
                     ==, "Caring");
  }
}

static void
test_tones (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = NULL;

  add_mock_provider (fixture);

  {
    g_auto(Result) result = run_cli (fixture, "humanize", "tones");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==,
                     "professional\tProfessional\tbuilt-in\n"
                     "humorous\tHumorous\tbuilt-in\n"
                     "caring\tCaring\tbuilt-in\n"
                     "bold\tBold\tbuilt-in\n");
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "tone", "add", "Pirate", "Talk like a pirate.");
    g_assert_cmpint (result.status, ==, 0);
    id = g_strdup (g_strchomp (result.out));
    g_assert_cmpuint (strlen (id), ==, 32);
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "tone", "add", "PIRATE", "Again.");
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "already"));
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "tones", "--json");
    g_autoptr(JsonNode) node = parse_json (result.out);
    JsonArray *tones = json_node_get_array (node);
    JsonObject *pirate;

    g_assert_cmpuint (json_array_get_length (tones), ==, 5);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (tones, 0), "builtin"));
    pirate = json_array_get_object_element (tones, 4);
    g_assert_cmpstr (json_object_get_string_member (pirate, "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (pirate, "name"), ==, "Pirate");
    g_assert_cmpstr (json_object_get_string_member (pirate, "instructions"), ==, "Talk like a pirate.");
    g_assert_false (json_object_get_boolean_member (pirate, "builtin"));
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "--tone", "pirate", "ahoy");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Echo: ahoy\n");
  }
  {
    g_auto(Result) builtin = run_cli (fixture, "humanize", "tone", "delete", "bold");
    g_assert_cmpint (builtin.status, ==, 1);
    g_assert_nonnull (strstr (builtin.err, "Built-in"));
  }
  {
    g_auto(Result) deleted = run_cli (fixture, "humanize", "tone", "delete", "Pirate");
    g_auto(Result) again = run_cli (fixture, "humanize", "tone", "delete", "Pirate");
    g_assert_cmpint (deleted.status, ==, 0);
    g_assert_cmpint (again.status, ==, 2);
    g_assert_nonnull (strstr (again.err, "professional, humorous, caring, bold"));
  }
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  add_mock_provider (fixture);

  {
    /* An unknown tone: usage error, with the tones to choose from. */
    g_auto(Result) result = run_cli (fixture, "humanize", "--tone", "sarcastic", "hello");
    g_assert_cmpint (result.status, ==, 2);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "sarcastic"));
    g_assert_nonnull (strstr (result.err, "professional, humorous, caring, bold"));
  }
  {
    g_auto(Result) result = run_cli_full (fixture, "  \n", "humanize", "--tone", "bold", "-", NULL);
    g_assert_cmpint (result.status, ==, 2);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "text"));
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "hello");
    g_assert_cmpint (result.status, ==, 2);
    g_assert_nonnull (strstr (result.err, "--tone"));
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "--tone", "bold", "--project", "nope", "hello");
    g_assert_cmpint (result.status, ==, 1);
  }
  {
    g_auto(Result) result = run_cli (fixture, "humanize", "--tone", "bold", "--model", "mock-401", "hello");
    g_assert_cmpint (result.status, ==, 1);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "key"));
  }
  {
    /* A dropped stream: the partial rewrite is printed, kept and marked. */
    g_auto(Result) result = run_cli (fixture, "humanize", "--tone", "bold", "--model", "mock-drop",
                                     "--json", "hello");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    g_assert_cmpint (result.status, ==, 1);
    node = parse_json (result.out);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "partial");
    g_assert_cmpuint (strlen (json_object_get_string_member (object, "output")), >, 0);
    g_assert_nonnull (json_object_get_string_member (object, "error"));
  }
  {
    g_auto(Result) history = run_cli (fixture, "humanize", "history");
    g_assert_cmpint (history.status, ==, 0);
    g_assert_nonnull (strstr (history.out, "\tpartial\t"));
    g_assert_null (strstr (history.out, "\tcomplete\t"));
  }
}

/* Ctrl-C while streaming: what arrived is printed and kept as partial. */
static void
test_interrupt (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char buf[64];
  gssize n;

  add_mock_provider (fixture);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              cli_path (), "--data-dir", fixture->data_dir, "humanize",
                              "--tone", "humorous", "--model", "mock-long", "a long story", NULL);
  g_assert_no_error (error);

  n = g_input_stream_read (g_subprocess_get_stdout_pipe (process), buf, sizeof buf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);

  {
    g_auto(Result) history = run_cli (fixture, "humanize", "history", "--json");
    g_autoptr(JsonNode) node = parse_json (history.out);
    JsonArray *list = json_node_get_array (node);
    JsonObject *kept;

    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    kept = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (kept, "status"), ==, "partial");
    g_assert_cmpstr (json_object_get_string_member (kept, "tone"), ==, "humorous");
    g_assert_cmpuint (strlen (json_object_get_string_member (kept, "output")), >=, (gsize) n);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/humanize/rewrite", Fixture, NULL, fixture_setup, test_rewrite, fixture_teardown);
  g_test_add ("/cli/humanize/tones", Fixture, NULL, fixture_setup, test_tones, fixture_teardown);
  g_test_add ("/cli/humanize/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/cli/humanize/interrupt", Fixture, NULL, fixture_setup, test_interrupt, fixture_teardown);

  return g_test_run ();
}
