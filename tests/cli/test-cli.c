/* test-cli.c — workroom-cli end to end: the real binary, a real SQLite file,
 * the real keyring (run under tests/with-keyring.sh) and the standalone mock
 * server speaking the OpenAI streaming protocol.
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

  fixture->data_dir = g_dir_make_tmp ("wr-cli-XXXXXX", &error);
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

/* Runs workroom-cli with --data-dir and @args; @env_extra are "NAME=VALUE"
 * pairs; @input goes to stdin. */
static Result
run_cli_full (Fixture            *fixture,
              const char * const *env_extra,
              const char         *input,
              const char         *first,
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
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env_extra[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);

  result.status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return result;
}

#define run_cli(fixture, ...) run_cli_full (fixture, NULL, NULL, __VA_ARGS__, NULL)

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
  g_strchomp (result.out);
  g_assert_cmpuint (strlen (result.out), ==, 32);
  return g_strdup (result.out);
}

static char *
add_mock_provider (Fixture    *fixture,
                   const char *name,
                   const char *key)
{
  g_auto(Result) result = run_cli_full (fixture, NULL, key,
                                        "provider", "add", name,
                                        "--base-url", fixture->mock_url,
                                        "--default-model", "mock-echo",
                                        key != NULL ? "--api-key-stdin" : NULL, NULL);

  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  return g_strdup (g_strchomp (result.out));
}

static void
test_projects (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *alpha = create_project (fixture, "Alpha");
  g_autofree char *beta = create_project (fixture, "Beta");
  g_autoptr(JsonNode) list = NULL;
  JsonArray *array;

  {
    g_auto(Result) renamed = run_cli (fixture, "project", "rename", alpha, "Alpha Two");
    g_assert_cmpint (renamed.status, ==, 0);
  }
  {
    g_auto(Result) deleted = run_cli (fixture, "project", "delete", beta);
    g_assert_cmpint (deleted.status, ==, 0);
  }
  {
    g_auto(Result) listed = run_cli (fixture, "project", "list", "--json");
    g_assert_cmpint (listed.status, ==, 0);
    list = parse_json (listed.out);
  }

  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, alpha);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "Alpha Two");

  /* Errors: non-zero exit, one line on stderr naming the problem. */
  {
    g_auto(Result) missing = run_cli (fixture, "project", "rename", beta, "Gone");
    g_assert_cmpint (missing.status, !=, 0);
    g_assert_true (g_str_has_prefix (missing.err, "workroom-cli: "));
    g_assert_cmpint (strchr (missing.err, '\n') - missing.err, ==, (int) strlen (missing.err) - 1);
  }
  {
    g_auto(Result) empty = run_cli (fixture, "project", "create", "   ");
    g_assert_cmpint (empty.status, !=, 0);
    g_assert_cmpstr (empty.out, ==, "");
  }
  {
    g_auto(Result) usage = run_cli (fixture, "project", "frobnicate");
    g_assert_cmpint (usage.status, ==, 2);
  }
}

static void
test_provider_key_in_keyring (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *key = "sk-test-0123456789abcdefSECRET";
  g_autofree char *id = add_mock_provider (fixture, "Mock", key);
  g_autofree char *db_path = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  g_autoptr(JsonNode) providers = NULL;
  JsonObject *provider;

  {
    g_auto(Result) listed = run_cli (fixture, "provider", "list", "--json");
    g_assert_cmpint (listed.status, ==, 0);
    g_assert_null (strstr (listed.out, key));
    providers = parse_json (listed.out);
  }

  g_assert_cmpuint (json_array_get_length (json_node_get_array (providers)), ==, 1);
  provider = json_array_get_object_element (json_node_get_array (providers), 0);
  g_assert_cmpstr (json_object_get_string_member (provider, "id"), ==, id);
  g_assert_true (json_object_get_boolean_member (provider, "has_api_key"));
  g_assert_cmpstr (json_object_get_string_member (provider, "source"), ==, "stored");

  /* The key is nowhere in the data directory (database, WAL, shm). */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->data_dir, 0, NULL);
    const char *name;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (fixture->data_dir, name, NULL);
        g_autofree char *contents = NULL;
        gsize len = 0;

        if (g_file_get_contents (path, &contents, &len, NULL))
          g_assert_null (g_strstr_len (contents, len, "SECRET"));
      }
    g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
  }

  /* models lists what the mock lists, with the key accepted. */
  {
    g_auto(Result) models = run_cli (fixture, "models", "--json");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpstr (models.err, ==, "");
    g_assert_cmpint (models.status, ==, 0);
    node = parse_json (models.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), >, 3);
    g_assert_true (strstr (models.out, "\"mock-echo\"") != NULL);
  }

  /* Removing it removes the key too; a second removal fails. */
  {
    g_auto(Result) removed = run_cli (fixture, "provider", "remove", id);
    g_auto(Result) again = run_cli (fixture, "provider", "remove", id);
    g_assert_cmpint (removed.status, ==, 0);
    g_assert_cmpint (again.status, !=, 0);
  }
}

static void
test_chat_send_and_show (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *project = create_project (fixture, "Chats");
  g_autofree char *provider = add_mock_provider (fixture, "Mock", NULL);
  g_autofree char *chat_id = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *messages;
  JsonObject *reply;

  {
    g_auto(Result) sent = run_cli (fixture, "chat", "send", "--project", project, "hello", "there");
    g_assert_cmpstr (sent.err, ==, "");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_cmpstr (sent.out, ==, "Echo: hello there\n");
  }
  {
    g_auto(Result) listed = run_cli (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) chats = parse_json (listed.out);
    JsonObject *chat;

    g_assert_cmpuint (json_array_get_length (json_node_get_array (chats)), ==, 1);
    chat = json_array_get_object_element (json_node_get_array (chats), 0);
    chat_id = g_strdup (json_object_get_string_member (chat, "id"));
    g_assert_cmpstr (json_object_get_string_member (chat, "title"), ==, "hello there");
    g_assert_cmpstr (json_object_get_string_member (chat, "model"), ==, "mock-echo");
  }

  /* Continue the chat with another model: it is remembered. */
  {
    g_auto(Result) sent = run_cli (fixture, "chat", "send", "--chat", chat_id, "--model", "mock-markdown", "format");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_true (strstr (sent.out, "```") != NULL);
  }
  {
    g_auto(Result) sent = run_cli (fixture, "chat", "send", "--chat", chat_id, "again");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_true (strstr (sent.out, "```") != NULL);
  }
  {
    g_auto(Result) show = run_cli (fixture, "chat", "show", chat_id, "--json");
    g_assert_cmpint (show.status, ==, 0);
    shown = parse_json (show.out);
  }

  messages = json_object_get_array_member (json_node_get_object (shown), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"), ==, "hello there");
  reply = json_array_get_object_element (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (reply, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (reply, "content"), ==, "Echo: hello there");
  g_assert_cmpstr (json_object_get_string_member (reply, "model"), ==, "mock-echo");
  g_assert_cmpstr (json_object_get_string_member (reply, "provider_id"), ==, provider);
  g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (reply, "input_tokens"), >, 0);
  g_assert_cmpint (json_object_get_int_member (reply, "output_tokens"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 5), "model"), ==, "mock-markdown");
}

static void
test_environment_provider (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *project = create_project (fixture, "Env");
  g_autofree char *base_env = g_strdup_printf ("OPENAI_BASE_URL=%s", fixture->mock_url);
  const char *env[] = { "OPENAI_API_KEY=sk-env-key", base_env, NULL };
  const char *empty_env[] = { "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "OLLAMA_HOST=", NULL };

  {
    g_auto(Result) sent = run_cli_full (fixture, env, NULL, "chat", "send", "--project", project,
                                        "--model", "mock-echo", "from env", NULL);
    g_assert_cmpstr (sent.err, ==, "");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_cmpstr (sent.out, ==, "Echo: from env\n");
  }
  {
    /* Nothing about the environment provider was saved. */
    g_auto(Result) listed = run_cli_full (fixture, empty_env, NULL, "provider", "list", "--json", NULL);
    g_autoptr(JsonNode) node = parse_json (listed.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
  }
  {
    g_auto(Result) none = run_cli_full (fixture, empty_env, NULL, "chat", "send", "--project", project, "hi", NULL);
    g_assert_cmpint (none.status, ==, 1);
    g_assert_true (strstr (none.err, "provider") != NULL);
  }
}

static void
test_provider_errors (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *project = create_project (fixture, "Faults");
  g_autofree char *provider = add_mock_provider (fixture, "Mock", NULL);

  {
    g_auto(Result) unauthorized = run_cli (fixture, "chat", "send", "--project", project, "--model", "mock-401", "hi");
    g_assert_cmpint (unauthorized.status, ==, 1);
    g_assert_true (strstr (unauthorized.err, "key") != NULL);
    g_assert_cmpstr (unauthorized.out, ==, "");
  }
  {
    g_auto(Result) unknown = run_cli (fixture, "chat", "send", "--project", project, "--model", "mock-404", "hi");
    g_assert_cmpint (unknown.status, ==, 1);
    g_assert_true (strstr (unknown.err, "model") != NULL);
  }
  {
    g_auto(Result) dropped = run_cli (fixture, "chat", "send", "--project", project, "--model", "mock-drop", "hi", "--json");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *message;

    g_assert_cmpint (dropped.status, ==, 1);
    node = parse_json (dropped.out);
    message = json_object_get_object_member (json_node_get_object (node), "message");
    g_assert_cmpstr (json_object_get_string_member (message, "status"), ==, "partial");
    g_assert_cmpuint (strlen (json_object_get_string_member (message, "content")), >, 0);
    g_assert_nonnull (json_object_get_string_member (message, "error"));
  }
  {
    g_auto(Result) bad_project = run_cli (fixture, "chat", "send", "--project", "nope", "hi");
    g_assert_cmpint (bad_project.status, ==, 1);
  }
}

/* Ctrl-C while streaming: what arrived is printed and saved as partial. */
static void
test_interrupt (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *project = create_project (fixture, "Interrupt");
  g_autofree char *provider = add_mock_provider (fixture, "Mock", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  char buf[64];
  gssize n;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              cli_path (), "--data-dir", fixture->data_dir, "chat", "send",
                              "--project", project, "--model", "mock-long", "tell me a story", NULL);
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
    g_auto(Result) listed = run_cli (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) chats = parse_json (listed.out);
    const char *chat_id = json_object_get_string_member (json_array_get_object_element (json_node_get_array (chats), 0), "id");
    g_auto(Result) show = run_cli (fixture, "chat", "show", chat_id, "--json");
    g_autoptr(JsonNode) shown = parse_json (show.out);
    JsonArray *messages = json_object_get_array_member (json_node_get_object (shown), "messages");
    JsonObject *reply = json_array_get_object_element (messages, 1);

    g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "partial");
    g_assert_cmpuint (strlen (json_object_get_string_member (reply, "content")), >=, (gsize) n);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/projects", Fixture, NULL, fixture_setup, test_projects, fixture_teardown);
  g_test_add ("/cli/provider/key-in-keyring", Fixture, NULL, fixture_setup, test_provider_key_in_keyring, fixture_teardown);
  g_test_add ("/cli/chat/send-and-show", Fixture, NULL, fixture_setup, test_chat_send_and_show, fixture_teardown);
  g_test_add ("/cli/chat/environment-provider", Fixture, NULL, fixture_setup, test_environment_provider, fixture_teardown);
  g_test_add ("/cli/chat/provider-errors", Fixture, NULL, fixture_setup, test_provider_errors, fixture_teardown);
  g_test_add ("/cli/chat/interrupt", Fixture, NULL, fixture_setup, test_interrupt, fixture_teardown);

  return g_test_run ();
}
