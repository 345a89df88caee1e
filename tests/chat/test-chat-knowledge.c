/* test-chat-knowledge.c — chats that answer from their project's documents
 * and datasets: the passages in the system prompt on all three wire
 * protocols, project isolation, stored citations with cited flags, chats
 * without knowledge, the dataset summary, the bound on the context,
 * retrieval failure, retry, and the [n] parser.
 *
 * Real store, real HTTP to the mock server (model mock-cite answers
 * "According to [n], <first words of source n>."), real keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>

#include "chat-test-util.h"
#include "knowledge-test-util.h"
#include "chat/wr-knowledge-context.h"
#include "store/wr-store-db.h"

#define HARBOR_TEXT "Eelgrass meadows in the north basin expanded by forty percent since the dredging stopped."
#define OTHER_TEXT  "Zeppelin hangar eelgrass notes that must never leak into another project."

typedef struct
{
  WrMockServer *mock;
  WrSession    *session;
  char         *data_dir;
  WrProvider   *provider;
  WrProject    *project;
  WrProject    *other;
  WrChat       *chat;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *deck = NULL;
  g_autofree char *other_notes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  WrStore *store;
  const char *slides[] = {
    "Welcome", "The quarterly review of the harbor project.",
    "Budget", "Spending stayed within the approved dredging budget.",
    "Survey results", HARBOR_TEXT,
    NULL,
  };

  chat_test_clear_environment ();

  fixture->mock = wr_mock_server_new ();
  fixture->session = chat_test_session_new ("wr-chat-knowledge-XXXXXX", &fixture->data_dir);
  store = wr_session_get_store (fixture->session);
  fixture->provider = chat_test_add_mock_provider (fixture->session, fixture->mock);
  fixture->project = chat_test_create_project (fixture->session, "Harbor");
  fixture->other = chat_test_create_project (fixture->session, "Secret");

  deck = knowledge_test_write_pptx (fixture->data_dir, "review.pptx", slides);
  id = knowledge_test_import (store, wr_project_get_id (fixture->project), deck);
  notes = knowledge_test_write (fixture->data_dir, "notes.md",
                                "# Field notes\n\nThe tide gauge was recalibrated in March.\n");
  id2 = knowledge_test_import (store, wr_project_get_id (fixture->project), notes);
  other_notes = knowledge_test_write (fixture->data_dir, "secret.md", "# Secret\n\n" OTHER_TEXT "\n");
  id3 = knowledge_test_import (store, wr_project_get_id (fixture->other), other_notes);

  fixture->chat = wr_store_create_chat (store, wr_project_get_id (fixture->project), NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_model (fixture->chat, WR_MOCK_CITE_MODEL);
  wr_chat_set_use_knowledge (fixture->chat, TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->provider);
  g_clear_object (&fixture->chat);
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->other);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->mock);
  chat_test_remove_data_dir (g_steal_pointer (&fixture->data_dir));
}

/* The system prompt of the last request, whatever the protocol
 * (transfer full; "" when there was none). */
static char *
last_system_prompt (Fixture *fixture)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (fixture->mock), -1, &error));
  g_assert_no_error (error);
  body = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (body, "system"))          /* Anthropic */
    return g_strdup (json_object_get_string_member (body, "system"));

  if (json_object_has_member (body, "systemInstruction"))   /* Gemini */
    {
      JsonArray *parts = json_object_get_array_member (json_object_get_object_member (body, "systemInstruction"),
                                                       "parts");
      return g_strdup (json_object_get_string_member (json_array_get_object_element (parts, 0), "text"));
    }

  if (json_object_has_member (body, "messages"))          /* OpenAI */
    {
      JsonArray *messages = json_object_get_array_member (body, "messages");
      JsonObject *first = json_array_get_object_element (messages, 0);

      if (g_strcmp0 (json_object_get_string_member (first, "role"), "system") == 0)
        return g_strdup (json_object_get_string_member (first, "content"));
    }

  return g_strdup ("");
}

static WrMessage *
send_ok (Fixture    *fixture,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  WrMessage *reply = chat_test_send (fixture->session, fixture->chat, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpint (wr_message_get_status (reply), ==, WR_MESSAGE_STATUS_COMPLETE);
  return reply;
}

/* The stored copy of @reply. */
static WrMessage *
stored_reply (Fixture   *fixture,
              WrMessage *reply)
{
  g_autoptr(GPtrArray) messages = chat_test_stored_messages (fixture->session, fixture->chat);

  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (wr_message_get_id (g_ptr_array_index (messages, i)), wr_message_get_id (reply)) == 0)
      return g_object_ref (g_ptr_array_index (messages, i));
  g_assert_not_reached ();
}

static void
use_provider (Fixture    *fixture,
              const char *name,
              const char *kind,
              const char *url)
{
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add (wr_session_get_providers (fixture->session), name, kind, url,
                                       "key-test", NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (provider));
}

/* Sends a question whose passage is slide 3 and checks the prompt, the
 * answer and the stored citations. */
static void
check_cited_answer (Fixture *fixture)
{
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(WrMessage) stored = NULL;
  g_autoptr(GPtrArray) citations = NULL;
  g_autofree char *system = NULL;
  WrCitation *first;
  guint n_cited = 0;

  reply = send_ok (fixture, "What did the survey find about eelgrass meadows?");
  system = last_system_prompt (fixture);
  g_test_message ("system prompt:\n%s", system);

  /* The passage, numbered, with its document and slide. */
  g_assert_nonnull (strstr (system, "[1] review.pptx — slide 3: Survey results\n" HARBOR_TEXT));
  g_assert_nonnull (strstr (system, "cite it with its number in square brackets"));
  g_assert_nonnull (strstr (system, "If the sources do not contain the answer"));
  /* No datasets: no chart instructions. */
  g_assert_null (strstr (system, "info string is chart"));
  g_assert_null (strstr (system, OTHER_TEXT));

  g_assert_cmpstr (wr_message_get_content (reply), ==, "According to [1], Eelgrass meadows in the north basin.");

  stored = stored_reply (fixture, reply);
  citations = wr_citations_parse (wr_message_get_citations (stored));
  g_assert_cmpuint (citations->len, >=, 1);
  first = g_ptr_array_index (citations, 0);
  g_assert_cmpuint (first->n, ==, 1);
  g_assert_true (first->cited);
  g_assert_cmpstr (first->document_name, ==, "review.pptx");
  g_assert_cmpstr (first->kind, ==, "pptx");
  g_assert_cmpstr (first->locator_kind, ==, "slide");
  g_assert_cmpint (first->locator, ==, 3);
  g_assert_cmpstr (first->title, ==, "Survey results");
  g_assert_cmpint (first->chunk_id, >, 0);
  g_assert_nonnull (strstr (HARBOR_TEXT, first->excerpt));
  for (guint i = 0; i < citations->len; i++)
    {
      WrCitation *citation = g_ptr_array_index (citations, i);

      g_assert_cmpuint (citation->n, ==, i + 1);
      n_cited += citation->cited;
      g_assert_cmpstr (citation->document_name, !=, "secret.md");
    }
  g_assert_cmpuint (n_cited, ==, 1);
  g_assert_cmpstr (wr_message_get_citations (reply), ==, wr_message_get_citations (stored));
}

static void
test_openai (Fixture       *fixture,
             gconstpointer  data)
{
  check_cited_answer (fixture);
  g_assert_cmpstr (wr_mock_server_get_last_path (fixture->mock), ==, "/v1/chat/completions");
}

static void
test_anthropic (Fixture       *fixture,
                gconstpointer  data)
{
  use_provider (fixture, "Claude", "anthropic", wr_mock_server_get_anthropic_url (fixture->mock));
  check_cited_answer (fixture);
  g_assert_cmpstr (wr_mock_server_get_last_path (fixture->mock), ==, "/anthropic/v1/messages");
}

static void
test_gemini (Fixture       *fixture,
             gconstpointer  data)
{
  use_provider (fixture, "Gemini", "google", wr_mock_server_get_google_url (fixture->mock));
  check_cited_answer (fixture);
  g_assert_true (g_str_has_prefix (wr_mock_server_get_last_path (fixture->mock), "/google/v1beta/models/mock-cite"));
}

/* Another project's document matches the same words but never appears. */
static void
test_isolation (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(WrMessage) reply = send_ok (fixture, "zeppelin hangar eelgrass notes leak");
  g_autofree char *system = last_system_prompt (fixture);

  g_assert_null (strstr (system, "secret.md"));
  g_assert_null (strstr (system, "Zeppelin"));
  g_assert_nonnull (strstr (system, "review.pptx"));
  g_assert_null (strstr (wr_message_get_citations (reply), "secret.md"));
}

/* Knowledge off: no passages, no citations, and the switch persisted. */
static void
test_off (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(WrChat) stored = NULL;
  g_autofree char *system = NULL;

  wr_chat_set_use_knowledge (fixture->chat, FALSE);
  reply = send_ok (fixture, "What did the survey find about eelgrass meadows?");
  system = last_system_prompt (fixture);
  g_assert_null (strstr (system, "Eelgrass meadows"));
  g_assert_null (strstr (system, "[1]"));
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_CITE_NONE);
  g_assert_null (wr_message_get_citations (reply));

  stored = wr_store_get_chat (wr_session_get_store (fixture->session), wr_chat_get_id (fixture->chat), &error);
  g_assert_no_error (error);
  g_assert_false (wr_chat_get_use_knowledge (stored));
  g_clear_object (&stored);

  /* Sending with it on saves it on. */
  wr_chat_set_use_knowledge (fixture->chat, TRUE);
  g_clear_object (&reply);
  reply = send_ok (fixture, "eelgrass");
  stored = wr_store_get_chat (wr_session_get_store (fixture->session), wr_chat_get_id (fixture->chat), &error);
  g_assert_true (wr_chat_get_use_knowledge (stored));
}

/* The datasets are summarised (columns, types, rows) and charts offered. */
static void
test_datasets (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) citations = NULL;
  g_autofree char *system = NULL;
  gboolean has_dataset = FALSE;

  knowledge_test_import_csv (wr_session_get_store (fixture->session), wr_project_get_id (fixture->project),
                             fixture->data_dir, "catch.csv",
                             "month,species,tonnes\nJan,cod,12.5\nFeb,cod,9\nMar,herring,30\nApr,herring,41\n");
  knowledge_test_import_csv (wr_session_get_store (fixture->session), wr_project_get_id (fixture->other),
                             fixture->data_dir, "hidden.csv", "a,b\n1,2\n");

  reply = send_ok (fixture, "Chart the catch by month");
  system = last_system_prompt (fixture);
  g_assert_nonnull (strstr (system, "catch.csv — dataset, 4 rows\n"));
  g_assert_nonnull (strstr (system, "month (text), species (text), tonnes (number)"));
  g_assert_nonnull (strstr (system, "Jan | cod | 12.5"));
  g_assert_null (strstr (system, "Apr | herring"));      /* three preview rows at most */
  g_assert_nonnull (strstr (system, "info string is chart"));
  g_assert_null (strstr (system, "hidden.csv"));

  citations = wr_citations_parse (wr_message_get_citations (reply));
  for (guint i = 0; i < citations->len; i++)
    {
      WrCitation *citation = g_ptr_array_index (citations, i);

      if (g_strcmp0 (citation->dataset_name, "catch.csv") == 0)
        {
          has_dataset = TRUE;
          g_assert_nonnull (citation->dataset_id);
          g_assert_null (citation->document_id);
        }
    }
  g_assert_true (has_dataset);
}

/* Many large documents: the context stays bounded, passages trimmed. */
static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) citations = NULL;
  g_autofree char *system = NULL;
  WrStore *store = wr_session_get_store (fixture->session);

  for (guint d = 0; d < 20; d++)
    {
      g_autoptr(GString) text = g_string_new ("# Sediment report\n\n");
      g_autofree char *name = g_strdup_printf ("sediment-%02u.md", d);
      g_autofree char *path = NULL;
      g_autofree char *id = NULL;

      for (guint i = 0; i < 400; i++)
        g_string_append_printf (text, "Sediment sample %u of report %u holds silt and sand. ", i, d);
      path = knowledge_test_write (fixture->data_dir, name, text->str);
      id = knowledge_test_import (store, wr_project_get_id (fixture->project), path);
    }

  reply = send_ok (fixture, "What do the sediment samples hold?");
  system = last_system_prompt (fixture);
  g_test_message ("knowledge context: %zu bytes", strlen (system));
  g_assert_cmpuint (strlen (system), <=, WR_KNOWLEDGE_CONTEXT_MAX_CHARS);
  g_assert_nonnull (strstr (system, "[1] sediment-"));
  g_assert_nonnull (strstr (system, "…"));

  citations = wr_citations_parse (wr_message_get_citations (reply));
  g_assert_cmpuint (citations->len, >=, 4);
  g_assert_cmpuint (citations->len, <=, WR_KNOWLEDGE_CONTEXT_SOURCES);
}

static gboolean
drop_index_tx (sqlite3   *db,
               gpointer   data,
               GError   **error)
{
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE document_chunks_fts", NULL, NULL, NULL), ==, SQLITE_OK);
  return TRUE;
}

/* The search fails (a broken index): the answer comes without passages,
 * and says why. */
static void
test_retrieval_fails (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(WrMessage) stored = NULL;
  g_autofree char *system = NULL;

  g_assert_true (_wr_store_run_transaction (wr_session_get_store (fixture->session), drop_index_tx, NULL, &error));
  g_assert_no_error (error);

  reply = send_ok (fixture, "What did the survey find about eelgrass meadows?");
  system = last_system_prompt (fixture);
  g_assert_null (strstr (system, "Eelgrass meadows"));
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_CITE_NONE);
  g_assert_null (wr_message_get_citations (reply));
  g_assert_nonnull (wr_message_get_route_note (reply));
  g_assert_nonnull (strstr (wr_message_get_route_note (reply), "could not be searched"));

  stored = stored_reply (fixture, reply);
  g_assert_cmpstr (wr_message_get_route_note (stored), ==, wr_message_get_route_note (reply));
}

/* Nothing relevant: the prompt says so and the model is told to say it. */
static void
test_nothing_found (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WrMessage) reply = send_ok (fixture, "quasar telemetry");
  g_autofree char *system = last_system_prompt (fixture);

  g_assert_nonnull (strstr (system, "nothing relevant was found"));
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_CITE_NONE);
  g_assert_null (wr_message_get_citations (reply));
}

/* Retry retrieves again (a document added since is found). */
static void
test_retry (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(WrMessage) reply = send_ok (fixture, "What about the lighthouse keeper?");
  g_autofree char *system = last_system_prompt (fixture);
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) citations = NULL;
  ChatTestWait wait = { 0 };

  g_assert_null (strstr (system, "lighthouse"));
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_CITE_NONE);

  path = knowledge_test_write (fixture->data_dir, "keeper.md",
                               "# Keeper\n\nThe lighthouse keeper logged every storm since 1902.\n");
  id = knowledge_test_import (wr_session_get_store (fixture->session), wr_project_get_id (fixture->project), path);

  wr_chat_service_retry_async (wr_session_get_chat_service (fixture->session), fixture->chat, reply, NULL,
                               chat_test_retry_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_no_error (wait.error);
  g_clear_pointer (&system, g_free);
  system = last_system_prompt (fixture);
  g_assert_nonnull (strstr (system, "[1] keeper.md"));
  g_assert_cmpstr (wr_message_get_content (wait.message), ==, "According to [1], The lighthouse keeper logged every storm.");
  citations = wr_citations_parse (wr_message_get_citations (wait.message));
  g_assert_cmpuint (citations->len, >=, 1);
  g_assert_true (((WrCitation *) g_ptr_array_index (citations, 0))->cited);
  g_object_unref (wait.message);
}

/* Stop during retrieval: nothing is stored. */
static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) messages = NULL;
  ChatTestWait wait = { 0 };

  wr_chat_service_send_async (wr_session_get_chat_service (fixture->session), fixture->chat,
                              "eelgrass", cancellable, chat_test_send_cb, &wait);
  g_cancellable_cancel (cancellable);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_false (wr_chat_service_is_busy (wr_session_get_chat_service (fixture->session),
                                           wr_chat_get_id (fixture->chat)));
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);
}

static void
check_cited (const char *answer,
             guint       n_sources,
             const char *expected)
{
  g_autoptr(GArray) cited = wr_knowledge_parse_cited (answer, n_sources);
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < cited->len; i++)
    g_string_append_printf (got, "%s%u", i > 0 ? "," : "", g_array_index (cited, guint, i));
  g_assert_cmpstr (got->str, ==, expected);
}

static void
test_parse_cited (void)
{
  check_cited ("According to [1], yes.", 3, "1");
  check_cited ("Both [2, 3] and [1,2] agree [3].", 3, "2,3,1");
  check_cited ("Stacked [2][1].", 2, "2,1");
  check_cited ("Out of range [4] and [0].", 3, "");
  check_cited ("A [1](https://example.com) link and [x] and [1 2] and [ 1].", 3, "");
  check_cited ("Unclosed [1", 3, "");
  check_cited ("Huge [99999999999999999999].", 3, "");
  check_cited (NULL, 3, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat/knowledge/parse-cited", test_parse_cited);
  g_test_add ("/chat/knowledge/openai", Fixture, NULL, fixture_setup, test_openai, fixture_teardown);
  g_test_add ("/chat/knowledge/anthropic", Fixture, NULL, fixture_setup, test_anthropic, fixture_teardown);
  g_test_add ("/chat/knowledge/gemini", Fixture, NULL, fixture_setup, test_gemini, fixture_teardown);
  g_test_add ("/chat/knowledge/isolation", Fixture, NULL, fixture_setup, test_isolation, fixture_teardown);
  g_test_add ("/chat/knowledge/off", Fixture, NULL, fixture_setup, test_off, fixture_teardown);
  g_test_add ("/chat/knowledge/datasets", Fixture, NULL, fixture_setup, test_datasets, fixture_teardown);
  g_test_add ("/chat/knowledge/bounded", Fixture, NULL, fixture_setup, test_bounded, fixture_teardown);
  g_test_add ("/chat/knowledge/retrieval-fails", Fixture, NULL, fixture_setup, test_retrieval_fails, fixture_teardown);
  g_test_add ("/chat/knowledge/nothing-found", Fixture, NULL, fixture_setup, test_nothing_found, fixture_teardown);
  g_test_add ("/chat/knowledge/retry", Fixture, NULL, fixture_setup, test_retry, fixture_teardown);
  g_test_add ("/chat/knowledge/cancelled", Fixture, NULL, fixture_setup, test_cancelled, fixture_teardown);

  return g_test_run ();
}
