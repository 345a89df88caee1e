/* test-cli-templates.c — workroom-cli template list|add|edit|delete,
 * chat send --template (the instructions reach the model), and a send the
 * plan refuses (exit status 3, one line on stderr, nothing left behind).
 * The real binary, a real SQLite file, the real keyring (under
 * tests/with-keyring.sh) and the standalone mock server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#define EXIT_REFUSED 3

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

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  const char *mock_path = g_getenv ("WR_MOCK_SERVER");

  fixture->data_dir = g_dir_make_tmp ("wr-cli-templates-XXXXXX", &error);
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
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->data_dir);

  g_subprocess_force_exit (fixture->mock);
  g_subprocess_wait (fixture->mock, NULL, NULL);
  g_clear_object (&fixture->mock);
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->data_dir);
  g_free (fixture->mock_url);
}

/* workroom-cli --data-dir DIR @args…, with @input on stdin. */
static Result
run_cli_input (Fixture    *fixture,
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

  g_ptr_array_add (argv, (gpointer) g_getenv ("WR_CLI"));
  g_assert_nonnull (argv->pdata[0]);
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

#define run_cli(fixture, ...) run_cli_input (fixture, NULL, __VA_ARGS__, NULL)

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

static JsonArray *
list_templates (Fixture   *fixture,
                JsonNode **out_node)
{
  g_auto(Result) listed = run_cli (fixture, "template", "list", "--json");

  g_assert_cmpstr (listed.err, ==, "");
  g_assert_cmpint (listed.status, ==, 0);
  *out_node = parse_json (listed.out);
  return json_node_get_array (*out_node);
}

static void
test_template_commands (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;
  g_autofree char *file = g_build_filename (fixture->data_dir, "reviewer.txt", NULL);
  JsonArray *templates;
  JsonObject *first;

  {
    g_auto(Result) added = run_cli (fixture, "template", "add", "Pirate", "Talk", "like", "a", "pirate.");
    g_assert_cmpstr (added.err, ==, "");
    g_assert_cmpint (added.status, ==, 0);
    id = g_strdup (g_strchomp (added.out));
    g_assert_cmpuint (strlen (id), ==, 32);
  }

  /* Names are unique whatever their case. */
  {
    g_auto(Result) dup = run_cli (fixture, "template", "add", "PIRATE", "other");
    g_assert_cmpint (dup.status, ==, 1);
    g_assert_nonnull (strstr (dup.err, "already exists"));
    g_assert_true (strchr (dup.err, '\n') == dup.err + strlen (dup.err) - 1);
  }

  /* From a file, and from standard input. */
  g_assert_true (g_file_set_contents (file, "Review the code.\nBe strict.\n", -1, NULL));
  {
    g_auto(Result) added = run_cli (fixture, "template", "add", "Reviewer", "--file", file);
    g_assert_cmpint (added.status, ==, 0);
  }
  {
    g_auto(Result) added = run_cli_input (fixture, "Summarise briefly.", "template", "add", "Summary", NULL);
    g_assert_cmpint (added.status, ==, 0);
  }

  templates = list_templates (fixture, &node);
  g_assert_cmpuint (json_array_get_length (templates), ==, 3);
  first = json_array_get_object_element (templates, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Pirate");
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (first, "content"), ==, "Talk like a pirate.");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (templates, 1), "content"),
                   ==, "Review the code.\nBe strict.\n");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (templates, 2), "content"),
                   ==, "Summarise briefly.");
  g_clear_pointer (&node, json_node_unref);

  /* Plain list: id TAB name. */
  {
    g_auto(Result) listed = run_cli (fixture, "template", "list");
    g_autofree char *line = g_strdup_printf ("%s\tPirate\n", id);
    g_assert_cmpint (listed.status, ==, 0);
    g_assert_true (g_str_has_prefix (listed.out, line));
  }

  /* Edit by name (any case): rename, then new text. */
  {
    g_auto(Result) edited = run_cli (fixture, "template", "edit", "pirate", "--name", "Buccaneer");
    g_assert_cmpstr (edited.err, ==, "");
    g_assert_cmpint (edited.status, ==, 0);
    g_assert_cmpstr (g_strchomp (edited.out), ==, id);
  }
  {
    g_auto(Result) edited = run_cli (fixture, "template", "edit", id, "Arr.");
    g_assert_cmpint (edited.status, ==, 0);
  }
  {
    g_auto(Result) edited = run_cli (fixture, "template", "edit", "Buccaneer");
    g_assert_cmpint (edited.status, ==, 2);   /* nothing to change */
  }
  {
    g_auto(Result) edited = run_cli (fixture, "template", "edit", "Buccaneer", "--name", "reviewer");
    g_assert_cmpint (edited.status, ==, 1);   /* taken */
  }
  templates = list_templates (fixture, &node);
  first = json_array_get_object_element (templates, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Buccaneer");
  g_assert_cmpstr (json_object_get_string_member (first, "content"), ==, "Arr.");
  g_clear_pointer (&node, json_node_unref);

  /* Delete, then it is gone. */
  {
    g_auto(Result) deleted = run_cli (fixture, "template", "delete", "Buccaneer");
    g_assert_cmpstr (deleted.err, ==, "");
    g_assert_cmpint (deleted.status, ==, 0);
  }
  {
    g_auto(Result) deleted = run_cli (fixture, "template", "delete", "Buccaneer");
    g_assert_cmpint (deleted.status, ==, 1);
    g_assert_nonnull (strstr (deleted.err, "Buccaneer"));
  }
  templates = list_templates (fixture, &node);
  g_assert_cmpuint (json_array_get_length (templates), ==, 2);
  {
    g_auto(Result) usage = run_cli (fixture, "template", "rename");
    g_assert_cmpint (usage.status, ==, 2);
  }
}

/* The input tokens the mock reported for the last reply of @chat_id: the
 * words of every message it received. */
static gint64
last_reply_input_tokens (Fixture    *fixture,
                         const char *chat_id)
{
  g_auto(Result) shown = run_cli (fixture, "chat", "show", chat_id, "--json");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *messages;

  g_assert_cmpint (shown.status, ==, 0);
  node = parse_json (shown.out);
  messages = json_object_get_array_member (json_node_get_object (node), "messages");
  return json_object_get_int_member (json_array_get_object_element (messages, json_array_get_length (messages) - 1),
                                     "input_tokens");
}

static void
test_send_with_template (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *project = create_project (fixture, "Templates");
  g_autofree char *chat_id = NULL;
  g_autofree char *plain_chat = NULL;

  add_mock_provider (fixture);
  {
    g_auto(Result) added = run_cli (fixture, "template", "add", "Pirate", "You are a terse pirate assistant");
    g_assert_cmpint (added.status, ==, 0);
  }

  /* An unknown template: refused before a chat is made. */
  {
    g_auto(Result) sent = run_cli (fixture, "chat", "send", "--project", project, "--template", "nope", "hi");
    g_autoptr(JsonNode) chats = NULL;

    g_assert_cmpint (sent.status, ==, 1);
    g_assert_nonnull (strstr (sent.err, "nope"));
    {
      g_auto(Result) listed = run_cli (fixture, "chat", "list", "--project", project, "--json");
      chats = parse_json (listed.out);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (chats)), ==, 0);
    }
  }

  {
    g_auto(Result) sent = run_cli (fixture, "--json", "chat", "send", "--project", project,
                                   "--template", "pirate", "hello", "there");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpstr (sent.err, ==, "");
    g_assert_cmpint (sent.status, ==, 0);
    node = parse_json (sent.out);
    chat_id = g_strdup (json_object_get_string_member (json_node_get_object (node), "chat_id"));
  }
  {
    g_auto(Result) sent = run_cli (fixture, "--json", "chat", "send", "--project", project, "hello", "there");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (sent.status, ==, 0);
    node = parse_json (sent.out);
    plain_chat = g_strdup (json_object_get_string_member (json_node_get_object (node), "chat_id"));
  }

  /* The server counted the template's six words with the user's two; the
   * chat without it, only the two. The instructions are not a stored turn. */
  g_assert_cmpint (last_reply_input_tokens (fixture, chat_id), ==, 6 + 2);
  g_assert_cmpint (last_reply_input_tokens (fixture, plain_chat), ==, 2);

  /* The chat keeps its template for later turns: the template, the first
   * turn ("hello there", "Echo: hello there") and "again". */
  {
    g_auto(Result) sent = run_cli (fixture, "chat", "send", "--chat", chat_id, "again");
    g_assert_cmpint (sent.status, ==, 0);
  }
  g_assert_cmpint (last_reply_input_tokens (fixture, chat_id), ==, 6 + 2 + 3 + 1);
}

/* Over the free plan's 10,000 tokens a day in one message: refused with
 * exit status 3, the reason on one line, and no chat or message stored. */
static void
test_quota_refusal (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *project = create_project (fixture, "Limits");
  g_autoptr(GString) huge = g_string_new (NULL);

  add_mock_provider (fixture);
  while (huge->len < 41000)
    g_string_append (huge, "lorem ipsum dolor sit amet ");

  {
    g_auto(Result) sent = run_cli_input (fixture, huge->str, "chat", "send", "--project", project, "-", NULL);

    g_assert_cmpint (sent.status, ==, EXIT_REFUSED);
    g_assert_cmpstr (sent.out, ==, "");
    g_assert_true (g_str_has_prefix (sent.err, "workroom-cli: "));
    g_assert_nonnull (strstr (sent.err, "daily limit"));
    g_assert_nonnull (strstr (sent.err, "midnight"));
    /* One line. */
    g_assert_true (strchr (sent.err, '\n') == sent.err + strlen (sent.err) - 1);
  }
  {
    g_auto(Result) listed = run_cli (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) chats = parse_json (listed.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (chats)), ==, 0);
  }
  {
    g_auto(Result) usage = run_cli (fixture, "usage", "--json");
    g_assert_cmpint (usage.status, ==, 0);
  }

  /* A small one still goes through. */
  {
    g_auto(Result) sent = run_cli (fixture, "chat", "send", "--project", project, "small");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_cmpstr (sent.out, ==, "Echo: small\n");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/template/commands", Fixture, NULL, fixture_setup, test_template_commands, fixture_teardown);
  g_test_add ("/cli/template/send", Fixture, NULL, fixture_setup, test_send_with_template, fixture_teardown);
  g_test_add ("/cli/chat/quota-refusal", Fixture, NULL, fixture_setup, test_quota_refusal, fixture_teardown);

  return g_test_run ();
}
