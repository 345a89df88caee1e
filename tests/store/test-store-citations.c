/* test-store-citations.c — a chat's "use knowledge" switch and the
 * citations of a reply: saved, loaded by list and get, copied by the async
 * saves, and refused when not JSON (migration 0005).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "store-test-util.h"

#define CITATIONS "[{\"n\":1,\"document_id\":\"d1\",\"document_name\":\"deck.pptx\",\"chunk_id\":7," \
                  "\"locator_kind\":\"slide\",\"locator\":3,\"title\":\"Results\"," \
                  "\"excerpt\":\"Revenue grew\",\"cited\":true}]"

static WrChat *
make_chat (WrStore    *store,
           WrProject **out_project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = wr_store_create_project (store, "Research", &error);
  WrChat *chat;

  g_assert_no_error (error);
  chat = wr_store_create_chat (store, wr_project_get_id (project), "Chat", &error);
  g_assert_no_error (error);
  *out_project = g_steal_pointer (&project);

  return chat;
}

static void
test_use_knowledge_saved (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store, &project);
  g_autoptr(WrChat) other = NULL;
  g_autoptr(WrChat) got = NULL;
  g_autoptr(GPtrArray) list = NULL;

  /* Off by default, for new and existing chats. */
  g_assert_false (wr_chat_get_use_knowledge (chat));
  got = wr_store_get_chat (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_false (wr_chat_get_use_knowledge (got));
  g_clear_object (&got);

  other = wr_store_create_chat (fixture->store, wr_project_get_id (project), "Other", &error);
  g_assert_no_error (error);

  wr_chat_set_use_knowledge (chat, TRUE);
  g_assert_true (wr_store_save_chat (fixture->store, chat, &error));
  g_assert_no_error (error);

  got = wr_store_get_chat (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_true (wr_chat_get_use_knowledge (got));
  g_assert_cmpstr (wr_chat_get_title (got), ==, "Chat");
  g_clear_object (&got);

  list = wr_store_list_chats (fixture->store, wr_project_get_id (project), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      WrChat *listed = g_ptr_array_index (list, i);

      g_assert_cmpint (wr_chat_get_use_knowledge (listed), ==,
                       g_strcmp0 (wr_chat_get_id (listed), wr_chat_get_id (chat)) == 0);
    }

  /* Survives reopening, and switches off again. */
  g_clear_object (&fixture->store);
  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  got = wr_store_get_chat (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_true (wr_chat_get_use_knowledge (got));
  wr_chat_set_use_knowledge (got, FALSE);
  g_assert_true (wr_store_save_chat (fixture->store, got, &error));
  g_clear_object (&got);
  got = wr_store_get_chat (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_false (wr_chat_get_use_knowledge (got));
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (wr_store_save_chat_finish (WR_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* The GUI saves through the async call, which works on a copy. */
static void
test_use_knowledge_async (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store, &project);
  g_autoptr(WrChat) got = NULL;
  gboolean done = FALSE;

  wr_chat_set_use_knowledge (chat, TRUE);
  wr_store_save_chat_async (fixture->store, chat, NULL, on_saved_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  got = wr_store_get_chat (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_true (wr_chat_get_use_knowledge (got));
}

static WrMessage *
find_message (GPtrArray  *messages,
              const char *id)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (wr_message_get_id (g_ptr_array_index (messages, i)), id) == 0)
      return g_ptr_array_index (messages, i);
  g_assert_not_reached ();
}

static void
test_citations_saved (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store, &project);
  g_autoptr(WrMessage) added = wr_message_new ("assistant", "According to [1], revenue grew.");
  g_autoptr(WrMessage) plain = wr_message_new ("user", "hello");
  g_autoptr(WrMessage) copy = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  /* Stored on add ... */
  wr_message_set_chat_id (plain, wr_chat_get_id (chat));
  g_assert_true (wr_store_add_message (fixture->store, plain, &error));
  wr_message_set_chat_id (added, wr_chat_get_id (chat));
  wr_message_set_citations (added, CITATIONS);
  g_assert_true (wr_store_add_message (fixture->store, added, &error));
  g_assert_no_error (error);

  messages = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_citations (find_message (messages, wr_message_get_id (added))), ==, CITATIONS);
  g_assert_null (wr_message_get_citations (find_message (messages, wr_message_get_id (plain))));
  g_clear_pointer (&messages, g_ptr_array_unref);

  /* ... replaced and cleared on save (a retry without knowledge) ... */
  wr_message_set_citations (added, "[]");
  g_assert_true (wr_store_save_message (fixture->store, added, &error));
  g_assert_no_error (error);
  messages = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_cmpstr (wr_message_get_citations (find_message (messages, wr_message_get_id (added))), ==, "[]");
  g_clear_pointer (&messages, g_ptr_array_unref);

  wr_message_set_citations (added, NULL);
  g_assert_true (wr_store_save_message (fixture->store, added, &error));
  messages = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_null (wr_message_get_citations (find_message (messages, wr_message_get_id (added))));
  g_clear_pointer (&messages, g_ptr_array_unref);

  /* ... copied for the async saves, and never anything but JSON. */
  wr_message_set_citations (added, CITATIONS);
  copy = _wr_message_copy (added);
  g_assert_cmpstr (wr_message_get_citations (copy), ==, CITATIONS);

  wr_message_set_citations (added, "not json [1");
  g_assert_false (wr_store_save_message (fixture->store, added, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  messages = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_null (wr_message_get_citations (find_message (messages, wr_message_get_id (added))));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/knowledge/use-knowledge", StoreFixture, NULL,
              store_fixture_setup, test_use_knowledge_saved, store_fixture_teardown);
  g_test_add ("/store/knowledge/use-knowledge-async", StoreFixture, NULL,
              store_fixture_setup, test_use_knowledge_async, store_fixture_teardown);
  g_test_add ("/store/knowledge/citations", StoreFixture, NULL,
              store_fixture_setup, test_citations_saved, store_fixture_teardown);

  return g_test_run ();
}
