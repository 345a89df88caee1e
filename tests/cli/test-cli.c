/* test-cli.c — workroom-cli end to end: the real binary, a real SQLite file,
 * the real keyring (run under tests/with-keyring.sh) and the standalone mock
 * server speaking the OpenAI streaming protocol.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>

#include "cli-test-util.h"

static void
test_projects (CliFixture    *fixture,
               gconstpointer  data)
{
  g_autofree char *alpha = cli_create_project (fixture, "Alpha");
  g_autofree char *beta = cli_create_project (fixture, "Beta");
  g_autoptr(JsonNode) list = NULL;
  JsonArray *array;

  {
    g_auto(CliResult) renamed = cli_run (fixture, "project", "rename", alpha, "Alpha Two");
    g_assert_cmpint (renamed.status, ==, 0);
  }
  {
    g_auto(CliResult) deleted = cli_run (fixture, "project", "delete", beta);
    g_assert_cmpint (deleted.status, ==, 0);
  }
  {
    g_auto(CliResult) listed = cli_run (fixture, "project", "list", "--json");
    g_assert_cmpint (listed.status, ==, 0);
    list = cli_parse_json (listed.out);
  }

  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, alpha);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "Alpha Two");

  /* Errors: non-zero exit, one line on stderr naming the problem. */
  {
    g_auto(CliResult) missing = cli_run (fixture, "project", "rename", beta, "Gone");
    g_assert_cmpint (missing.status, !=, 0);
    g_assert_true (g_str_has_prefix (missing.err, "workroom-cli: "));
    g_assert_cmpint (strchr (missing.err, '\n') - missing.err, ==, (int) strlen (missing.err) - 1);
  }
  {
    g_auto(CliResult) empty = cli_run (fixture, "project", "create", "   ");
    g_assert_cmpint (empty.status, !=, 0);
    g_assert_cmpstr (empty.out, ==, "");
  }
  {
    g_auto(CliResult) usage = cli_run (fixture, "project", "frobnicate");
    g_assert_cmpint (usage.status, ==, 2);
  }
}

static void
test_provider_key_in_keyring (CliFixture    *fixture,
                              gconstpointer  data)
{
  const char *key = "sk-test-0123456789abcdefSECRET";
  g_autofree char *id = cli_add_mock_provider (fixture, "Mock", key);
  g_autofree char *db_path = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  g_autoptr(JsonNode) providers = NULL;
  JsonObject *provider;

  {
    g_auto(CliResult) listed = cli_run (fixture, "provider", "list", "--json");
    g_assert_cmpint (listed.status, ==, 0);
    g_assert_null (strstr (listed.out, key));
    providers = cli_parse_json (listed.out);
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
    g_auto(CliResult) models = cli_run (fixture, "models", "--json");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpstr (models.err, ==, "");
    g_assert_cmpint (models.status, ==, 0);
    node = cli_parse_json (models.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), >, 3);
    g_assert_true (strstr (models.out, "\"mock-echo\"") != NULL);
  }

  /* Removing it removes the key too; a second removal fails. */
  {
    g_auto(CliResult) removed = cli_run (fixture, "provider", "remove", id);
    g_auto(CliResult) again = cli_run (fixture, "provider", "remove", id);
    g_assert_cmpint (removed.status, ==, 0);
    g_assert_cmpint (again.status, !=, 0);
  }
}

static void
test_chat_send_and_show (CliFixture    *fixture,
                         gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Chats");
  g_autofree char *provider = cli_add_mock_provider (fixture, "Mock", NULL);
  g_autofree char *chat_id = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *messages;
  JsonObject *reply;

  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--project", project, "hello", "there");
    g_assert_cmpstr (sent.err, ==, "");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_cmpstr (sent.out, ==, "Echo: hello there\n");
  }
  {
    g_auto(CliResult) listed = cli_run (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) chats = cli_parse_json (listed.out);
    JsonObject *chat;

    g_assert_cmpuint (json_array_get_length (json_node_get_array (chats)), ==, 1);
    chat = json_array_get_object_element (json_node_get_array (chats), 0);
    chat_id = g_strdup (json_object_get_string_member (chat, "id"));
    g_assert_cmpstr (json_object_get_string_member (chat, "title"), ==, "hello there");
    g_assert_cmpstr (json_object_get_string_member (chat, "model"), ==, "mock-echo");
  }

  /* Continue the chat with another model: it is remembered. */
  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--chat", chat_id, "--model", "mock-markdown", "format");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_true (strstr (sent.out, "```") != NULL);
  }
  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--chat", chat_id, "again");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_true (strstr (sent.out, "```") != NULL);
  }
  {
    g_auto(CliResult) show = cli_run (fixture, "chat", "show", chat_id, "--json");
    g_assert_cmpint (show.status, ==, 0);
    shown = cli_parse_json (show.out);
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
test_environment_provider (CliFixture    *fixture,
                           gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Env");
  g_autofree char *base_env = g_strdup_printf ("OPENAI_BASE_URL=%s", fixture->mock_url);
  const char *env[] = { "OPENAI_API_KEY=sk-env-key", base_env, NULL };
  const char *empty_env[] = { "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "OLLAMA_HOST=", NULL };

  {
    g_auto(CliResult) sent = cli_run_full (fixture, env, NULL, "chat", "send", "--project", project,
                                           "--model", "mock-echo", "from env", NULL);
    g_assert_cmpstr (sent.err, ==, "");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_cmpstr (sent.out, ==, "Echo: from env\n");
  }
  {
    /* Nothing about the environment provider was saved. */
    g_auto(CliResult) listed = cli_run_full (fixture, empty_env, NULL, "provider", "list", "--json", NULL);
    g_autoptr(JsonNode) node = cli_parse_json (listed.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
  }
  {
    g_auto(CliResult) none = cli_run_full (fixture, empty_env, NULL, "chat", "send", "--project", project, "hi", NULL);
    g_assert_cmpint (none.status, ==, 1);
    g_assert_true (strstr (none.err, "provider") != NULL);
  }
}

static void
test_provider_errors (CliFixture    *fixture,
                      gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Faults");
  g_autofree char *provider G_GNUC_UNUSED = cli_add_mock_provider (fixture, "Mock", NULL);

  {
    g_auto(CliResult) unauthorized = cli_run (fixture, "chat", "send", "--project", project, "--model", "mock-401", "hi");
    g_assert_cmpint (unauthorized.status, ==, 1);
    g_assert_true (strstr (unauthorized.err, "key") != NULL);
    g_assert_cmpstr (unauthorized.out, ==, "");
  }
  {
    g_auto(CliResult) unknown = cli_run (fixture, "chat", "send", "--project", project, "--model", "mock-404", "hi");
    g_assert_cmpint (unknown.status, ==, 1);
    g_assert_true (strstr (unknown.err, "model") != NULL);
  }
  {
    g_auto(CliResult) dropped = cli_run (fixture, "chat", "send", "--project", project, "--model", "mock-drop", "hi", "--json");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *message;

    g_assert_cmpint (dropped.status, ==, 1);
    node = cli_parse_json (dropped.out);
    message = json_object_get_object_member (json_node_get_object (node), "message");
    g_assert_cmpstr (json_object_get_string_member (message, "status"), ==, "partial");
    g_assert_cmpuint (strlen (json_object_get_string_member (message, "content")), >, 0);
    g_assert_nonnull (json_object_get_string_member (message, "error"));
  }
  {
    g_auto(CliResult) bad_project = cli_run (fixture, "chat", "send", "--project", "nope", "hi");
    g_assert_cmpint (bad_project.status, ==, 1);
  }
}

/* Ctrl-C while streaming: what arrived is printed and saved as partial. */
static void
test_interrupt (CliFixture    *fixture,
                gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Interrupt");
  g_autofree char *provider G_GNUC_UNUSED = cli_add_mock_provider (fixture, "Mock", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out G_GNUC_UNUSED = NULL;
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
    g_auto(CliResult) listed = cli_run (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) chats = cli_parse_json (listed.out);
    const char *chat_id = json_object_get_string_member (json_array_get_object_element (json_node_get_array (chats), 0), "id");
    g_auto(CliResult) show = cli_run (fixture, "chat", "show", chat_id, "--json");
    g_autoptr(JsonNode) shown = cli_parse_json (show.out);
    JsonArray *messages = json_object_get_array_member (json_node_get_object (shown), "messages");
    JsonObject *reply = json_array_get_object_element (messages, 1);

    g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "partial");
    g_assert_cmpuint (strlen (json_object_get_string_member (reply, "content")), >=, (gsize) n);
  }
}

/* chat send --image: the picture goes to the model with the text; a file
 * that is not a picture is refused before anything is sent. */
static void
test_chat_images (CliFixture    *fixture,
                  gconstpointer  data)
{
  /* A 1 × 1 PNG. */
  static const char png_base64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  g_autofree char *project = cli_create_project (fixture, "Pictures");
  g_autofree char *provider G_GNUC_UNUSED = cli_add_mock_provider (fixture, "Mock", NULL);
  g_autofree char *picture = g_build_filename (fixture->data_dir, "dot.png", NULL);
  g_autofree char *text_file = g_build_filename (fixture->data_dir, "notes.png", NULL);
  g_autofree guchar *png = NULL;
  gsize png_len = 0;

  png = g_base64_decode (png_base64, &png_len);
  g_assert_true (g_file_set_contents (picture, (const char *) png, png_len, NULL));
  g_assert_true (g_file_set_contents (text_file, "just words", -1, NULL));

  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--project", project, "--model", "mock-vision",
                                      "--image", picture, "what is this?");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_nonnull (strstr (sent.out, "images: 1 (image/png"));
    g_assert_nonnull (strstr (sent.out, "what is this?"));
  }

  {
    g_auto(CliResult) refused = cli_run (fixture, "chat", "send", "--project", project, "--model", "mock-vision",
                                         "--image", text_file, "and this?");
    g_auto(CliResult) chats = cli_run (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "notes.png"));
    g_assert_cmpstr (refused.out, ==, "");
    /* Nothing was created for the refused message. */
    node = cli_parse_json (chats.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  }
}

/* A new profile's welcome credits, given on the first open that allows
 * them, and only once. */
static void
test_welcome_credits (CliFixture    *fixture,
                      gconstpointer  data)
{
  static const char * const welcome[] = { "WORKROOM_WELCOME_CREDITS=", NULL };
  g_auto(CliResult) first = cli_run_full (fixture, welcome, NULL, "credits", "balance", NULL);
  g_auto(CliResult) second = cli_run_full (fixture, welcome, NULL, "credits", "balance", NULL);
  g_auto(CliResult) ledger = cli_run (fixture, "credits", "ledger");

  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.out, ==, "5.00\n");
  g_assert_cmpstr (second.out, ==, "5.00\n");
  g_assert_nonnull (strstr (ledger.out, "welcome"));
  g_assert_null (strstr (strstr (ledger.out, "welcome") + 1, "welcome"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/projects", CliFixture, NULL, cli_fixture_setup, test_projects, cli_fixture_teardown);
  g_test_add ("/cli/provider/key-in-keyring", CliFixture, NULL, cli_fixture_setup, test_provider_key_in_keyring, cli_fixture_teardown);
  g_test_add ("/cli/chat/send-and-show", CliFixture, NULL, cli_fixture_setup, test_chat_send_and_show, cli_fixture_teardown);
  g_test_add ("/cli/chat/environment-provider", CliFixture, NULL, cli_fixture_setup, test_environment_provider, cli_fixture_teardown);
  g_test_add ("/cli/chat/provider-errors", CliFixture, NULL, cli_fixture_setup, test_provider_errors, cli_fixture_teardown);
  g_test_add ("/cli/chat/images", CliFixture, NULL, cli_fixture_setup, test_chat_images, cli_fixture_teardown);
  g_test_add ("/cli/credits/welcome", CliFixture, NULL, cli_fixture_setup, test_welcome_credits, cli_fixture_teardown);
  g_test_add ("/cli/chat/interrupt", CliFixture, NULL, cli_fixture_setup, test_interrupt, cli_fixture_teardown);

  return g_test_run ();
}
