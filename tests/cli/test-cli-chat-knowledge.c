/* test-cli-chat-knowledge.c — workroom-cli chat send --knowledge and chat
 * knowledge on|off, end to end: documents imported through the library,
 * the standalone mock server's mock-cite model, the real binary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-test-util.h"

#include "../chat/knowledge-test-util.h"
#include "store/wr-store.h"

#define SURVEY_TEXT "Eelgrass meadows in the north basin expanded by forty percent since the dredging stopped."

static void
import_deck (CliFixture *fixture,
             const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  g_autoptr(WrStore) store = wr_store_open (db, &error);
  g_autofree char *deck = NULL;
  g_autofree char *id = NULL;
  const char *slides[] = {
    "Welcome", "The quarterly review of the harbor project.",
    "Budget", "Spending stayed within the approved dredging budget.",
    "Survey results", SURVEY_TEXT,
    NULL,
  };

  g_assert_no_error (error);
  deck = knowledge_test_write_pptx (fixture->data_dir, "deck.pptx", slides);
  id = knowledge_test_import (store, project_id, deck);
}

/* The chat id of a "chat list --json" with one chat. */
static char *
only_chat (CliFixture *fixture,
           const char *project)
{
  g_auto(CliResult) r = cli_run (fixture, "--json", "chat", "list", "--project", project);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *chats;

  g_assert_cmpint (r.status, ==, 0);
  node = cli_parse_json (r.out);
  chats = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (chats), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (chats, 0), "id"));
}

static void
test_send_knowledge (CliFixture    *fixture,
                     gconstpointer  data)
{
  g_autofree char *provider = cli_add_mock_provider (fixture, "Mock", NULL);
  g_autofree char *project = cli_create_project (fixture, "Harbor");
  g_autofree char *chat = NULL;

  import_deck (fixture, project);

  /* The answer, then its cited sources. */
  {
    g_auto(CliResult) r = cli_run (fixture, "chat", "send", "--project", project, "--model", "mock-cite",
                                   "--knowledge", "What did the survey find about eelgrass meadows?");

    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==,
                     "According to [1], Eelgrass meadows in the north basin.\n"
                     "\n"
                     "Sources:\n"
                     "[1] deck.pptx, slide 3\n");
  }

  /* The chat remembers it: the next turn uses knowledge without the flag. */
  chat = only_chat (fixture, project);
  {
    g_auto(CliResult) r = cli_run (fixture, "--json", "chat", "send", "--chat", chat,
                                   "What was the dredging budget?");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *root;
    JsonArray *citations;
    JsonObject *first;

    g_assert_cmpint (r.status, ==, 0);
    node = cli_parse_json (r.out);
    root = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "message"), "content"), ==,
                     "According to [1], Spending stayed within the approved dredging.");
    citations = json_object_get_array_member (root, "citations");
    g_assert_nonnull (citations);
    g_assert_cmpuint (json_array_get_length (citations), >=, 1);
    first = json_array_get_object_element (citations, 0);
    g_assert_cmpint (json_object_get_int_member (first, "n"), ==, 1);
    g_assert_true (json_object_get_boolean_member (first, "cited"));
    g_assert_cmpstr (json_object_get_string_member (first, "document_name"), ==, "deck.pptx");
    g_assert_cmpstr (json_object_get_string_member (first, "locator_kind"), ==, "slide");
    g_assert_cmpint (json_object_get_int_member (first, "locator"), ==, 2);
  }

  /* Off: no sources in the prompt, none printed. */
  {
    g_auto(CliResult) r = cli_run (fixture, "chat", "knowledge", chat, "off");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "no longer uses"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "chat", "send", "--chat", chat, "What about eelgrass?");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "The sources do not say.\n");
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "--json", "chat", "knowledge", chat, "on");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (r.status, ==, 0);
    node = cli_parse_json (r.out);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "use_knowledge"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "chat", "knowledge", chat, "maybe");

    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "on"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/chat/knowledge", CliFixture, NULL, cli_fixture_setup, test_send_knowledge, cli_fixture_teardown);

  return g_test_run ();
}
