/* test-cli-templates.c — workroom-cli template list|add|edit|delete,
 * chat send --template (the instructions reach the model), and a send the
 * plan refuses (exit status 3, one line on stderr, nothing left behind).
 * The real binary, a real SQLite file, the real keyring (under
 * tests/with-keyring.sh) and the standalone mock server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-test-util.h"

#define EXIT_REFUSED 3

static JsonArray *
list_templates (CliFixture   *fixture,
                JsonNode **out_node)
{
  g_auto(CliResult) listed = cli_run (fixture, "template", "list", "--json");

  g_assert_cmpstr (listed.err, ==, "");
  g_assert_cmpint (listed.status, ==, 0);
  *out_node = cli_parse_json (listed.out);
  return json_node_get_array (*out_node);
}

static void
test_template_commands (CliFixture    *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;
  g_autofree char *file = g_build_filename (fixture->data_dir, "reviewer.txt", NULL);
  JsonArray *templates;
  JsonObject *first;

  {
    g_auto(CliResult) added = cli_run (fixture, "template", "add", "Pirate", "Talk", "like", "a", "pirate.");
    g_assert_cmpstr (added.err, ==, "");
    g_assert_cmpint (added.status, ==, 0);
    id = g_strdup (g_strchomp (added.out));
    g_assert_cmpuint (strlen (id), ==, 32);
  }

  /* Names are unique whatever their case. */
  {
    g_auto(CliResult) dup = cli_run (fixture, "template", "add", "PIRATE", "other");
    g_assert_cmpint (dup.status, ==, 1);
    g_assert_nonnull (strstr (dup.err, "already exists"));
    g_assert_true (strchr (dup.err, '\n') == dup.err + strlen (dup.err) - 1);
  }

  /* From a file, and from standard input. */
  g_assert_true (g_file_set_contents (file, "Review the code.\nBe strict.\n", -1, NULL));
  {
    g_auto(CliResult) added = cli_run (fixture, "template", "add", "Reviewer", "--file", file);
    g_assert_cmpint (added.status, ==, 0);
  }
  {
    g_auto(CliResult) added = cli_run_full (fixture, NULL, "Summarise briefly.", "template", "add", "Summary", NULL);
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
    g_auto(CliResult) listed = cli_run (fixture, "template", "list");
    g_autofree char *line = g_strdup_printf ("%s\tPirate\n", id);
    g_assert_cmpint (listed.status, ==, 0);
    g_assert_true (g_str_has_prefix (listed.out, line));
  }

  /* Edit by name (any case): rename, then new text. */
  {
    g_auto(CliResult) edited = cli_run (fixture, "template", "edit", "pirate", "--name", "Buccaneer");
    g_assert_cmpstr (edited.err, ==, "");
    g_assert_cmpint (edited.status, ==, 0);
    g_assert_cmpstr (g_strchomp (edited.out), ==, id);
  }
  {
    g_auto(CliResult) edited = cli_run (fixture, "template", "edit", id, "Arr.");
    g_assert_cmpint (edited.status, ==, 0);
  }
  {
    g_auto(CliResult) edited = cli_run (fixture, "template", "edit", "Buccaneer");
    g_assert_cmpint (edited.status, ==, 2);   /* nothing to change */
  }
  {
    g_auto(CliResult) edited = cli_run (fixture, "template", "edit", "Buccaneer", "--name", "reviewer");
    g_assert_cmpint (edited.status, ==, 1);   /* taken */
  }
  templates = list_templates (fixture, &node);
  first = json_array_get_object_element (templates, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Buccaneer");
  g_assert_cmpstr (json_object_get_string_member (first, "content"), ==, "Arr.");
  g_clear_pointer (&node, json_node_unref);

  /* Delete, then it is gone. */
  {
    g_auto(CliResult) deleted = cli_run (fixture, "template", "delete", "Buccaneer");
    g_assert_cmpstr (deleted.err, ==, "");
    g_assert_cmpint (deleted.status, ==, 0);
  }
  {
    g_auto(CliResult) deleted = cli_run (fixture, "template", "delete", "Buccaneer");
    g_assert_cmpint (deleted.status, ==, 1);
    g_assert_nonnull (strstr (deleted.err, "Buccaneer"));
  }
  templates = list_templates (fixture, &node);
  g_assert_cmpuint (json_array_get_length (templates), ==, 2);
  {
    g_auto(CliResult) usage = cli_run (fixture, "template", "rename");
    g_assert_cmpint (usage.status, ==, 2);
  }
}

/* The input tokens the mock reported for the last reply of @chat_id: the
 * words of every message it received. */
static gint64
last_reply_input_tokens (CliFixture *fixture,
                         const char *chat_id)
{
  g_auto(CliResult) shown = cli_run (fixture, "chat", "show", chat_id, "--json");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *messages;

  g_assert_cmpint (shown.status, ==, 0);
  node = cli_parse_json (shown.out);
  messages = json_object_get_array_member (json_node_get_object (node), "messages");
  return json_object_get_int_member (json_array_get_object_element (messages, json_array_get_length (messages) - 1),
                                     "input_tokens");
}

static void
test_send_with_template (CliFixture    *fixture,
                         gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Templates");
  g_autofree char *chat_id = NULL;
  g_autofree char *plain_chat = NULL;

  g_free (cli_add_mock_provider (fixture, "Mock", NULL));
  {
    g_auto(CliResult) added = cli_run (fixture, "template", "add", "Pirate", "You are a terse pirate assistant");
    g_assert_cmpint (added.status, ==, 0);
  }

  /* An unknown template: refused before a chat is made. */
  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--project", project, "--template", "nope", "hi");
    g_autoptr(JsonNode) chats = NULL;

    g_assert_cmpint (sent.status, ==, 1);
    g_assert_nonnull (strstr (sent.err, "nope"));
    {
      g_auto(CliResult) listed = cli_run (fixture, "chat", "list", "--project", project, "--json");
      chats = cli_parse_json (listed.out);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (chats)), ==, 0);
    }
  }

  {
    g_auto(CliResult) sent = cli_run (fixture, "--json", "chat", "send", "--project", project,
                                      "--template", "pirate", "hello", "there");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpstr (sent.err, ==, "");
    g_assert_cmpint (sent.status, ==, 0);
    node = cli_parse_json (sent.out);
    chat_id = g_strdup (json_object_get_string_member (json_node_get_object (node), "chat_id"));
  }
  {
    g_auto(CliResult) sent = cli_run (fixture, "--json", "chat", "send", "--project", project, "hello", "there");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (sent.status, ==, 0);
    node = cli_parse_json (sent.out);
    plain_chat = g_strdup (json_object_get_string_member (json_node_get_object (node), "chat_id"));
  }

  /* The server counted the template's six words with the user's two; the
   * chat without it, only the two. The instructions are not a stored turn. */
  g_assert_cmpint (last_reply_input_tokens (fixture, chat_id), ==, 6 + 2);
  g_assert_cmpint (last_reply_input_tokens (fixture, plain_chat), ==, 2);

  /* The chat keeps its template for later turns: the template, the first
   * turn ("hello there", "Echo: hello there") and "again". */
  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--chat", chat_id, "again");
    g_assert_cmpint (sent.status, ==, 0);
  }
  g_assert_cmpint (last_reply_input_tokens (fixture, chat_id), ==, 6 + 2 + 3 + 1);
}

/* Over the free plan's 10,000 tokens a day in one message: refused with
 * exit status 3, the reason on one line, and no chat or message stored. */
static void
test_quota_refusal (CliFixture    *fixture,
                    gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Limits");
  g_autoptr(GString) huge = g_string_new (NULL);

  g_free (cli_add_mock_provider (fixture, "Mock", NULL));
  while (huge->len < 41000)
    g_string_append (huge, "lorem ipsum dolor sit amet ");

  {
    g_auto(CliResult) sent = cli_run_full (fixture, NULL, huge->str, "chat", "send", "--project", project, "-", NULL);

    g_assert_cmpint (sent.status, ==, EXIT_REFUSED);
    g_assert_cmpstr (sent.out, ==, "");
    g_assert_true (g_str_has_prefix (sent.err, "workroom-cli: "));
    g_assert_nonnull (strstr (sent.err, "daily limit"));
    g_assert_nonnull (strstr (sent.err, "midnight"));
    /* One line. */
    g_assert_true (strchr (sent.err, '\n') == sent.err + strlen (sent.err) - 1);
  }
  {
    g_auto(CliResult) listed = cli_run (fixture, "chat", "list", "--project", project, "--json");
    g_autoptr(JsonNode) chats = cli_parse_json (listed.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (chats)), ==, 0);
  }
  {
    g_auto(CliResult) usage = cli_run (fixture, "usage", "--json");
    g_assert_cmpint (usage.status, ==, 0);
  }

  /* A small one still goes through. */
  {
    g_auto(CliResult) sent = cli_run (fixture, "chat", "send", "--project", project, "small");
    g_assert_cmpint (sent.status, ==, 0);
    g_assert_cmpstr (sent.out, ==, "Echo: small\n");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/template/commands", CliFixture, NULL, cli_fixture_setup, test_template_commands, cli_fixture_teardown);
  g_test_add ("/cli/template/send", CliFixture, NULL, cli_fixture_setup, test_send_with_template, cli_fixture_teardown);
  g_test_add ("/cli/chat/quota-refusal", CliFixture, NULL, cli_fixture_setup, test_quota_refusal, cli_fixture_teardown);

  return g_test_run ();
}
