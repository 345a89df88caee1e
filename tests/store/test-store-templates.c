/* test-store-templates.c — instruction templates, the template a chat or
 * project uses, the system prompt they resolve to, the route note of a
 * reply, the profile's failover policy, and migration 0003 over a
 * version-2 database with data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "store-test-util.h"
#include "store/wr-template.h"

static WrChat *
make_chat (WrStore     *store,
           const char  *project_name,
           WrProject  **out_project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = wr_store_create_project (store, project_name, &error);
  WrChat *chat;

  g_assert_no_error (error);
  chat = wr_store_create_chat (store, wr_project_get_id (project), "Chat", &error);
  g_assert_no_error (error);

  if (out_project != NULL)
    *out_project = g_steal_pointer (&project);

  return chat;
}

static WrTemplate *
add_template (WrStore    *store,
              const char *name,
              const char *content)
{
  g_autoptr(GError) error = NULL;
  WrTemplate *template_ = wr_template_new (name, content);

  g_assert_true (wr_store_save_template (store, template_, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wr_template_get_id (template_));

  return template_;
}

static void
test_templates_crud (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrTemplate) reviewer = NULL;
  g_autoptr(WrTemplate) poet = NULL;
  g_autoptr(WrTemplate) dup = NULL;
  g_autoptr(WrTemplate) got = NULL;
  g_autoptr(WrTemplate) empty = NULL;
  g_autoptr(WrTemplate) too_long = NULL;
  g_autoptr(WrTemplate) ghost = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *big = NULL;
  gint64 created;

  list = wr_store_list_templates (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  reviewer = add_template (fixture->store, "  Reviewer  ", "You are a careful reviewer.");
  g_assert_cmpstr (wr_template_get_name (reviewer), ==, "Reviewer");   /* stripped */
  g_assert_cmpint (wr_template_get_created_at (reviewer), >, 0);
  g_assert_cmpint (wr_template_get_updated_at (reviewer), ==, wr_template_get_created_at (reviewer));
  poet = add_template (fixture->store, "poet älter", "Write in verse.");

  /* Listed by name, case-insensitively. */
  list = wr_store_list_templates (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_template_get_name (g_ptr_array_index (list, 0)), ==, "poet älter");
  g_assert_cmpstr (wr_template_get_name (g_ptr_array_index (list, 1)), ==, "Reviewer");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Names are unique, case-insensitively (also beyond ASCII). */
  dup = wr_template_new ("REVIEWER", "other");
  g_assert_false (wr_store_save_template (fixture->store, dup, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Reviewer"));
  g_assert_null (wr_template_get_id (dup));
  g_clear_error (&error);
  wr_template_set_name (dup, "POET ÄLTER");
  g_assert_false (wr_store_save_template (fixture->store, dup, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Get by id, or by name in any case. */
  got = wr_store_get_template (fixture->store, wr_template_get_id (reviewer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_template_get_content (got), ==, "You are a careful reviewer.");
  g_clear_object (&got);
  got = wr_store_get_template (fixture->store, "reviewer", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_template_get_id (got), ==, wr_template_get_id (reviewer));
  g_clear_object (&got);
  got = wr_store_get_template (fixture->store, "nobody", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);

  /* Update: renaming to its own name in another case is fine. */
  created = wr_template_get_created_at (reviewer);
  g_usleep (2000);
  wr_template_set_name (reviewer, "REVIEWER");
  wr_template_set_content (reviewer, "Be strict.");
  g_assert_true (wr_store_save_template (fixture->store, reviewer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wr_template_get_created_at (reviewer), ==, created);
  g_assert_cmpint (wr_template_get_updated_at (reviewer), >, created);
  got = wr_store_get_template (fixture->store, "Reviewer", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_template_get_name (got), ==, "REVIEWER");
  g_assert_cmpstr (wr_template_get_content (got), ==, "Be strict.");
  g_clear_object (&got);

  /* Renaming onto another's name is refused and changes nothing. */
  wr_template_set_name (reviewer, "Poet Älter");
  g_assert_false (wr_store_save_template (fixture->store, reviewer, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  got = wr_store_get_template (fixture->store, wr_template_get_id (reviewer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_template_get_name (got), ==, "REVIEWER");
  g_clear_object (&got);

  /* Invalid names and contents. */
  empty = wr_template_new ("   ", "x");
  g_assert_false (wr_store_save_template (fixture->store, empty, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  long_name = g_strnfill (WR_TEMPLATE_MAX_NAME_CHARS + 1, 'n');
  too_long = wr_template_new (long_name, "x");
  g_assert_false (wr_store_save_template (fixture->store, too_long, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  long_name[WR_TEMPLATE_MAX_NAME_CHARS] = '\0';
  wr_template_set_name (too_long, long_name);
  big = g_strnfill (WR_TEMPLATE_MAX_CONTENT_SIZE + 1, 'c');
  wr_template_set_content (too_long, big);
  g_assert_false (wr_store_save_template (fixture->store, too_long, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  big[WR_TEMPLATE_MAX_CONTENT_SIZE] = '\0';
  wr_template_set_content (too_long, big);
  g_assert_true (wr_store_save_template (fixture->store, too_long, &error));
  g_assert_no_error (error);

  /* Updating a template that does not exist. */
  ghost = wr_template_new ("Ghost", "boo");
  wr_template_set_id (ghost, "0123456789abcdef0123456789abcdef");
  g_assert_false (wr_store_save_template (fixture->store, ghost, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_templates_tombstone (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrTemplate) reviewer = add_template (fixture->store, "Reviewer", "Review.");
  g_autoptr(WrTemplate) again = NULL;
  g_autoptr(WrTemplate) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  sqlite3 *db;

  g_assert_true (wr_store_delete_template (fixture->store, wr_template_get_id (reviewer), &error));
  g_assert_no_error (error);

  list = wr_store_list_templates (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  got = wr_store_get_template (fixture->store, wr_template_get_id (reviewer), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  got = wr_store_get_template (fixture->store, "Reviewer", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting twice, or editing the deleted one, is NOT_FOUND. */
  g_assert_false (wr_store_delete_template (fixture->store, wr_template_get_id (reviewer), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_save_template (fixture->store, reviewer, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The row is a tombstone, and its name is free again. */
  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "SELECT deleted_at IS NOT NULL FROM instruction_templates WHERE id = ?",
                                       wr_template_get_id (reviewer)), ==, 1);
  sqlite3_close (db);
  again = add_template (fixture->store, "reviewer", "New one.");
  g_assert_cmpstr (wr_template_get_id (again), !=, wr_template_get_id (reviewer));
}

static void
test_templates_owners (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store, "P", &project);
  g_autoptr(WrChat) other = NULL;
  g_autoptr(WrTemplate) chat_t = add_template (fixture->store, "Chat one", "Chat instructions.");
  g_autoptr(WrTemplate) project_t = add_template (fixture->store, "Project one", "Project instructions.");
  const char *chat_id = wr_chat_get_id (chat);
  const char *project_id = wr_project_get_id (project);
  char *id;
  char *prompt;

  /* None at first. */
  id = wr_store_get_chat_template_id (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_null (id);
  prompt = wr_store_resolve_system_prompt (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_null (prompt);

  /* The project's template applies to its chats ... */
  g_assert_true (wr_store_set_project_template_id (fixture->store, project_id,
                                                   wr_template_get_id (project_t), &error));
  g_assert_no_error (error);
  id = wr_store_get_project_template_id (fixture->store, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, wr_template_get_id (project_t));
  g_free (id);
  prompt = wr_store_resolve_system_prompt (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, "Project instructions.");
  g_free (prompt);

  /* ... and the chat's wins over it. */
  g_assert_true (wr_store_set_chat_template_id (fixture->store, chat_id,
                                                wr_template_get_id (chat_t), &error));
  g_assert_no_error (error);
  id = wr_store_get_chat_template_id (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, wr_template_get_id (chat_t));
  g_free (id);
  prompt = wr_store_resolve_system_prompt (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, "Chat instructions.");
  g_free (prompt);

  /* Another chat of the project gets the project's. */
  other = wr_store_create_chat (fixture->store, project_id, NULL, &error);
  g_assert_no_error (error);
  prompt = wr_store_resolve_system_prompt (fixture->store, wr_chat_get_id (other), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, "Project instructions.");
  g_free (prompt);

  /* A tombstoned template reads as none: back to the project's. */
  g_assert_true (wr_store_delete_template (fixture->store, wr_template_get_id (chat_t), &error));
  g_assert_no_error (error);
  id = wr_store_get_chat_template_id (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_null (id);
  prompt = wr_store_resolve_system_prompt (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, "Project instructions.");
  g_free (prompt);

  /* Unknown or deleted templates cannot be set; unknown owners neither. */
  g_assert_false (wr_store_set_chat_template_id (fixture->store, chat_id,
                                                 wr_template_get_id (chat_t), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_set_chat_template_id (fixture->store, chat_id, "nope", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_set_chat_template_id (fixture->store, "nochat",
                                                 wr_template_get_id (project_t), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_set_project_template_id (fixture->store, "noproject", NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  id = wr_store_get_chat_template_id (fixture->store, "nochat", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (id);
  g_clear_error (&error);
  prompt = wr_store_resolve_system_prompt (fixture->store, "nochat", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (prompt);
  g_clear_error (&error);

  /* Clearing the project's leaves nothing. */
  g_assert_true (wr_store_set_project_template_id (fixture->store, project_id, NULL, &error));
  g_assert_no_error (error);
  prompt = wr_store_resolve_system_prompt (fixture->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_null (prompt);
}

/* The async calls the GUI uses, on the main context. */
static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (slot);
}

static void
test_templates_async (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store, "P", NULL);
  g_autoptr(WrTemplate) draft = wr_template_new ("Async", "Async text.");
  g_autoptr(WrTemplate) saved = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *id = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  wr_store_save_template_async (fixture->store, draft, NULL, on_async_done, &slot);
  result = wait_result (&slot);
  saved = wr_store_save_template_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (wr_template_get_id (saved));
  g_assert_null (wr_template_get_id (draft));   /* the caller's object is untouched */
  g_clear_object (&result);

  wr_store_list_templates_async (fixture->store, NULL, on_async_done, &slot);
  result = wait_result (&slot);
  list = wr_store_list_templates_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_object (&result);

  wr_store_set_template_for_async (fixture->store, "chat", wr_chat_get_id (chat),
                                   wr_template_get_id (saved), NULL, on_async_done, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_set_template_for_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_get_template_for_async (fixture->store, "chat", wr_chat_get_id (chat),
                                   NULL, on_async_done, &slot);
  result = wait_result (&slot);
  id = wr_store_get_template_for_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, wr_template_get_id (saved));
  g_clear_object (&result);
  g_clear_pointer (&id, g_free);

  wr_store_delete_template_async (fixture->store, wr_template_get_id (saved), NULL, on_async_done, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_delete_template_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* None (deleted) is NULL without an error. */
  wr_store_get_template_for_async (fixture->store, "chat", wr_chat_get_id (chat),
                                   NULL, on_async_done, &slot);
  result = wait_result (&slot);
  id = wr_store_get_template_for_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_null (id);
  g_clear_object (&result);

  wr_store_get_template_for_async (fixture->store, "project", "missing", NULL, on_async_done, &slot);
  result = wait_result (&slot);
  id = wr_store_get_template_for_finish (fixture->store, result, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (id);
}

static void
test_route_note (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store, "P", NULL);
  g_autoptr(WrMessage) reply = wr_message_new ("assistant", "Hi");
  g_autoptr(WrMessage) plain = wr_message_new ("assistant", "Plain");
  g_autoptr(WrMessage) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *note = "Answered by Anthropic (claude) because OpenAI was limiting requests";

  /* Added with a note ... */
  wr_message_set_chat_id (reply, wr_chat_get_id (chat));
  wr_message_set_route_note (reply, note);
  g_assert_true (wr_store_add_message (fixture->store, reply, &error));
  g_assert_no_error (error);
  wr_message_set_chat_id (plain, wr_chat_get_id (chat));
  g_assert_true (wr_store_add_message (fixture->store, plain, &error));
  g_assert_no_error (error);

  got = wr_store_get_message (fixture->store, wr_message_get_id (reply), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_route_note (got), ==, note);
  g_clear_object (&got);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_message_get_route_note (g_ptr_array_index (list, 0)), ==, note);
  g_assert_null (wr_message_get_route_note (g_ptr_array_index (list, 1)));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* ... set by a later save, and cleared by one. */
  wr_message_set_route_note (plain, "Retried on the same provider");
  g_assert_true (wr_store_save_message (fixture->store, plain, &error));
  g_assert_no_error (error);
  got = wr_store_get_message (fixture->store, wr_message_get_id (plain), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_route_note (got), ==, "Retried on the same provider");
  g_clear_object (&got);

  wr_message_set_route_note (reply, NULL);
  g_assert_true (wr_store_save_message (fixture->store, reply, &error));
  g_assert_no_error (error);
  got = wr_store_get_message (fixture->store, wr_message_get_id (reply), &error);
  g_assert_no_error (error);
  g_assert_null (wr_message_get_route_note (got));
  g_clear_object (&got);

  /* The async save (a snapshot of the object) keeps it too. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    GAsyncResult *slot = NULL;

    wr_message_set_route_note (reply, note);
    wr_store_save_message_async (fixture->store, reply, NULL, on_async_done, &slot);
    result = wait_result (&slot);
    g_assert_true (wr_store_save_message_finish (fixture->store, result, &error));
    g_assert_no_error (error);
    got = wr_store_get_message (fixture->store, wr_message_get_id (reply), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (wr_message_get_route_note (got), ==, note);
  }
}

static void
test_profile_failover_policy (StoreFixture  *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = wr_store_get_profile (fixture->store, &error);
  g_autoptr(WrProfile) again = NULL;
  const char *json = "{\"version\":1,\"chains\":[{\"model\":\"gpt-4o\",\"fallbacks\":[]}]}";

  g_assert_no_error (error);
  g_assert_null (wr_profile_get_failover_policy (profile));

  wr_profile_set_failover_policy (profile, json);
  g_assert_true (wr_store_save_profile (fixture->store, profile, &error));
  g_assert_no_error (error);
  again = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_failover_policy (again), ==, json);
  g_clear_object (&again);

  /* The database refuses what is not JSON. */
  wr_profile_set_failover_policy (profile, "{not json");
  g_assert_false (wr_store_save_profile (fixture->store, profile, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Empty is NULL: the shipped chains. */
  wr_profile_set_failover_policy (profile, "");
  g_assert_null (wr_profile_get_failover_policy (profile));
  g_assert_true (wr_store_save_profile (fixture->store, profile, &error));
  g_assert_no_error (error);
  again = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (wr_profile_get_failover_policy (again));
}

/* A version-2 database with data in every table 0003 changes. */
static void
test_migrate_0003 (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) old = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(WrTemplate) template_ = NULL;
  g_autofree char *prompt = NULL;
  sqlite3 *db;

  g_assert_cmpint (wr_store_get_latest_schema_version (), >=, 3);

  old = _wr_store_open_at_version (fixture->path, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_store_get_schema_version (old), ==, 2);
  g_clear_object (&old);

  db = store_test_raw_open (fixture->path);
  store_test_raw_exec (db,
    "INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p1', 'Old', 1, 1);"
    "INSERT INTO chats (id, project_id, title, model, created_at, updated_at) "
    "  VALUES ('c1', 'p1', 'Old chat', 'gpt-4o', 1, 2);"
    "INSERT INTO messages (id, chat_id, seq, role, content, status, created_at, updated_at) "
    "  VALUES ('m1', 'c1', 1, 'user', 'hello', 'complete', 10, 10),"
    "         ('m2', 'c1', 2, 'assistant', 'hi', 'complete', 11, 11);"
    "INSERT INTO instruction_templates (id, name, content, created_at, updated_at) "
    "  VALUES ('t1', 'Kept', 'Kept instructions.', 1, 1);"
    "INSERT INTO model_prices (id, pattern, input_micros_per_mtok, output_micros_per_mtok, created_at, updated_at) "
    "  VALUES ('mp1', 'my-model*', 100, 200, 1, 1);"
    "UPDATE profile SET name = 'Ada', plan = 'pro';");
  sqlite3_close (db);

  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_store_get_schema_version (fixture->store), ==, wr_store_get_latest_schema_version ());
  g_assert_true (wr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* The data is all there, the new columns NULL. */
  chat = wr_store_get_chat (fixture->store, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_title (chat), ==, "Old chat");
  messages = wr_store_list_messages (fixture->store, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (wr_message_get_content (g_ptr_array_index (messages, 1)), ==, "hi");
  g_assert_null (wr_message_get_route_note (g_ptr_array_index (messages, 1)));
  profile = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_name (profile), ==, "Ada");
  g_assert_cmpstr (wr_profile_get_plan (profile), ==, "pro");
  g_assert_null (wr_profile_get_failover_policy (profile));
  template_ = wr_store_get_template (fixture->store, "kept", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_template_get_id (template_), ==, "t1");
  prompt = wr_store_resolve_system_prompt (fixture->store, "c1", &error);
  g_assert_no_error (error);
  g_assert_null (prompt);

  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "SELECT template_id FROM chats WHERE id = ?", "c1"), ==, -1);
  g_assert_cmpint (store_test_raw_int (db, "SELECT template_id FROM projects WHERE id = ?", "p1"), ==, -1);
  g_assert_cmpint (store_test_raw_int (db, "SELECT capabilities FROM model_prices WHERE id = ?", "mp1"), ==, -1);
  g_assert_cmpint (store_test_raw_int (db, "SELECT input_micros_per_mtok FROM model_prices WHERE id = ?", "mp1"), ==, 100);
  for (guint i = 0; i < 3; i++)
    {
      const char *table = (const char *[]) { "humanize_tones", "humanize_rewrites", "model_cache" }[i];

      g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                           table), ==, 1);
    }
  /* The profile refuses a policy that is not JSON, at the database. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE profile SET failover_policy = '{x'", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  sqlite3_close (db);

  /* The new columns work on the migrated file. */
  g_assert_true (wr_store_set_project_template_id (fixture->store, "p1", "t1", &error));
  g_assert_no_error (error);
  g_clear_pointer (&prompt, g_free);
  prompt = wr_store_resolve_system_prompt (fixture->store, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, "Kept instructions.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/templates/crud", StoreFixture, NULL,
              store_fixture_setup, test_templates_crud, store_fixture_teardown);
  g_test_add ("/store/templates/tombstone", StoreFixture, NULL,
              store_fixture_setup, test_templates_tombstone, store_fixture_teardown);
  g_test_add ("/store/templates/chat-and-project", StoreFixture, NULL,
              store_fixture_setup, test_templates_owners, store_fixture_teardown);
  g_test_add ("/store/templates/async", StoreFixture, NULL,
              store_fixture_setup, test_templates_async, store_fixture_teardown);
  g_test_add ("/store/messages/route-note", StoreFixture, NULL,
              store_fixture_setup, test_route_note, store_fixture_teardown);
  g_test_add ("/store/profile/failover-policy", StoreFixture, NULL,
              store_fixture_setup, test_profile_failover_policy, store_fixture_teardown);
  g_test_add ("/store/migrations/0003-from-2-with-data", StoreFixture, NULL,
              store_fixture_setup_closed, test_migrate_0003, store_fixture_teardown);

  return g_test_run ();
}
