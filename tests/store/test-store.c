/* test-store.c — WrStore on real SQLite files: migrations, CRUD, ordering,
 * tombstones, foreign keys, threads, async and a 10,000-message chat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sys/stat.h>

#include "store-test-util.h"

static WrChat *make_chat (WrStore *store);

/* Migrations ------------------------------------------------------------- */

static const char * const all_tables[] = {
  "profile", "projects", "chats", "messages", "providers", "artifacts", "usage",
  "instruction_templates", "connectors", "tasks", "datasets", "audit_log",
  "teams", "team_members", "invites", "credit_ledger",
};

static void
test_migrate_empty (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;
  sqlite3 *db;

  g_assert_cmpint (wr_store_get_latest_schema_version (), >=, 1);
  g_assert_cmpint (wr_store_get_schema_version (fixture->store), ==, wr_store_get_latest_schema_version ());
  g_assert_cmpstr (wr_store_get_path (fixture->store), ==, fixture->path);

  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "PRAGMA user_version", NULL), ==,
                   wr_store_get_latest_schema_version ());

  for (guint i = 0; i < G_N_ELEMENTS (all_tables); i++)
    {
      g_test_message ("table %s", all_tables[i]);
      g_assert_cmpint (store_test_raw_int (db,
                                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                           all_tables[i]), ==, 1);
      /* Every table follows the conventions sync relies on. */
      g_assert_cmpint (store_test_raw_int (db,
                                           "SELECT count(*) FROM pragma_table_info(?) "
                                           "WHERE name IN ('id', 'created_at', 'updated_at', 'deleted_at')",
                                           all_tables[i]), ==, 4);
      g_assert_cmpint (store_test_raw_int (db,
                                           "SELECT pk FROM pragma_table_info(?) WHERE name = 'id'",
                                           all_tables[i]), ==, 1);
    }

  /* No secrets column anywhere. */
  g_assert_cmpint (store_test_raw_int (db,
                                       "SELECT count(*) FROM sqlite_master AS t, pragma_table_info(t.name) AS c "
                                       "WHERE t.type = 'table' AND (c.name LIKE '%key%' OR c.name LIKE '%secret%' "
                                       "OR c.name LIKE '%password%' OR c.name = 'token')",
                                       NULL), ==, 0);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM profile", NULL), ==, 1);
  sqlite3_close (db);

  /* WAL mode is persistent in the file. */
  db = store_test_raw_open (fixture->path);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);

  /* Chats are private: owner-only file. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  profile = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_plan (profile), ==, "free");
  g_assert_cmpstr (wr_profile_get_name (profile), ==, "");
  g_assert_cmpint (wr_profile_get_daily_token_limit (profile), ==, -1);
  g_assert_cmpint (wr_profile_get_retention_days (profile), ==, -1);
  g_assert_cmpint (wr_profile_get_credits_balance (profile), ==, 0);
  g_assert_cmpint (strlen (wr_profile_get_id (profile)), ==, 32);

  g_assert_true (wr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

/* Rows a database of schema version k could hold, written with raw SQL valid
 * for that version. When a migration changes a table used here, add an
 * entry for the new version; versions without one reuse the previous. */
static const char * const sample_rows[] = {
  NULL,
  /* 1 */
  "INSERT INTO projects (id, name, description, default_model, created_at, updated_at) "
  "  VALUES ('00000000000000000000000000000a01', 'Old project', 'from v1', 'model-a', 1000, 1000);"
  "INSERT INTO chats (id, project_id, title, model, provider_id, created_at, updated_at) "
  "  VALUES ('00000000000000000000000000000c01', '00000000000000000000000000000a01', 'Old chat', 'model-b', 'prov', 1000, 2000);"
  "INSERT INTO messages (id, chat_id, seq, role, content, status, input_tokens, output_tokens, created_at, updated_at) "
  "  VALUES ('00000000000000000000000000000e01', '00000000000000000000000000000c01', 1, 'user', 'hello', 'complete', NULL, NULL, 1500, 1500),"
  "         ('00000000000000000000000000000e02', '00000000000000000000000000000c01', 2, 'assistant', 'hi there', 'partial', 3, 7, 1500, 1500);"
  "INSERT INTO providers (id, name, kind, base_url, default_model, created_at, updated_at) "
  "  VALUES ('00000000000000000000000000000b01', 'Local', 'openai', 'http://127.0.0.1:1/v1', 'model-c', 1000, 1000);"
  "UPDATE profile SET name = 'Ada', default_model = 'model-d', daily_token_limit = 5000;",
};

static void
check_sample_rows (WrStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(WrProfile) profile = NULL;
  WrMessage *m;

  project = wr_store_get_project (store, "00000000000000000000000000000a01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_project_get_name (project), ==, "Old project");
  g_assert_cmpstr (wr_project_get_description (project), ==, "from v1");
  g_assert_cmpstr (wr_project_get_default_model (project), ==, "model-a");

  chat = wr_store_get_chat (store, "00000000000000000000000000000c01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_title (chat), ==, "Old chat");
  g_assert_cmpstr (wr_chat_get_model (chat), ==, "model-b");
  g_assert_cmpint (wr_chat_get_updated_at (chat), ==, 2000);

  messages = wr_store_list_messages (store, "00000000000000000000000000000c01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 2);
  m = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (wr_message_get_content (m), ==, "hello");
  g_assert_cmpint (wr_message_get_input_tokens (m), ==, -1);
  m = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (wr_message_get_role (m), ==, "assistant");
  g_assert_cmpint (wr_message_get_status (m), ==, WR_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpint (wr_message_get_output_tokens (m), ==, 7);

  providers = wr_store_list_providers (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 1);
  g_assert_cmpstr (wr_provider_record_get_base_url (g_ptr_array_index (providers, 0)), ==, "http://127.0.0.1:1/v1");

  profile = wr_store_get_profile (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_name (profile), ==, "Ada");
  g_assert_cmpint (wr_profile_get_daily_token_limit (profile), ==, 5000);
}

static void
test_migrate_every_version (StoreFixture  *fixture,
                            gconstpointer  data)
{
  int latest = wr_store_get_latest_schema_version ();

  for (int k = 1; k <= latest; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WrStore) old = NULL;
      g_autoptr(WrStore) store = NULL;
      g_autofree char *path = g_strdup_printf ("%s/v%d.db", fixture->dir, k);
      const char *rows = sample_rows[MIN ((guint) k, G_N_ELEMENTS (sample_rows) - 1)];
      sqlite3 *db;

      g_test_message ("migrating from schema %d to %d", k, latest);

      old = _wr_store_open_at_version (path, k, &error);
      g_assert_no_error (error);
      g_assert_cmpint (wr_store_get_schema_version (old), ==, k);
      g_clear_object (&old);

      db = store_test_raw_open (path);
      g_assert_cmpint (store_test_raw_int (db, "PRAGMA user_version", NULL), ==, k);
      store_test_raw_exec (db, rows);
      sqlite3_close (db);

      store = wr_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (wr_store_get_schema_version (store), ==, latest);
      check_sample_rows (store);
      g_assert_true (wr_store_check_integrity (store, &error));
      g_assert_no_error (error);
      g_clear_object (&store);

      /* Opening again is a no-op. */
      store = wr_store_open (path, &error);
      g_assert_no_error (error);
      check_sample_rows (store);

      db = store_test_raw_open (path);
      g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM profile", NULL), ==, 1);
      sqlite3_close (db);
    }
}

static void
test_migrate_too_new (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autofree char *sql = NULL;
  int latest = wr_store_get_latest_schema_version ();
  sqlite3 *db;

  store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  db = store_test_raw_open (fixture->path);
  sql = g_strdup_printf ("PRAGMA user_version = %d", latest + 1);
  store_test_raw_exec (db, sql);
  sqlite3_close (db);

  store = wr_store_open (fixture->path, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_TOO_NEW);
  g_assert_null (store);
  g_test_message ("%s", error->message);

  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "PRAGMA user_version", NULL), ==, latest + 1);
  sqlite3_close (db);
}

static void
test_open_not_a_database (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autofree char *after = NULL;
  gsize after_len = 0;

  for (guint i = 0; i < 512; i++)
    g_string_append (garbage, "These are notes, not a database. ");

  g_assert_true (g_file_set_contents (fixture->path, garbage->str, garbage->len, NULL));

  store = wr_store_open (fixture->path, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, fixture->path));

  g_assert_true (g_file_get_contents (fixture->path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, garbage->str, garbage->len);
}

static void
test_open_creates_dirs (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autofree char *nested = g_build_filename (fixture->dir, "a", "b", NULL);
  g_autofree char *path = g_build_filename (nested, "workroom.db", NULL);
  struct stat st;

  store = wr_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_open_readonly_dir (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);
  g_autofree char *path = g_build_filename (locked, "sub", "workroom.db", NULL);

  if (geteuid () == 0)
    {
      g_test_skip ("root ignores directory permissions");
      return;
    }

  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  store = wr_store_open (path, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == WR_STORE_ERROR);
  g_assert_null (store);
  g_chmod (locked, 0700);
}

/* Runs in a subprocess: setenv() is not safe once other tests started
 * threads. */
static void
test_default_dir (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = NULL;
      g_autofree char *expected = NULL;

      g_setenv ("WORKROOM_DATA_DIR", "/tmp/somewhere-else", TRUE);
      dir = wr_store_default_dir ();
      g_assert_cmpstr (dir, ==, "/tmp/somewhere-else");
      g_clear_pointer (&dir, g_free);

      g_setenv ("WORKROOM_DATA_DIR", "", TRUE);
      dir = wr_store_default_dir ();
      expected = g_build_filename (g_get_user_data_dir (), "io.github.workroom.Workroom", NULL);
      g_assert_cmpstr (dir, ==, expected);
      g_clear_pointer (&dir, g_free);

      g_unsetenv ("WORKROOM_DATA_DIR");
      dir = wr_store_default_dir ();
      g_assert_cmpstr (dir, ==, expected);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_busy (StoreFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(GPtrArray) list = NULL;
  sqlite3 *db;
  gint64 start;

  _wr_store_set_busy_timeout (fixture->store, 50);

  /* Another process holds the write lock for longer than we wait. */
  db = store_test_raw_open (fixture->path);
  store_test_raw_exec (db, "BEGIN IMMEDIATE");

  start = g_get_monotonic_time ();
  project = wr_store_create_project (fixture->store, "Blocked", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_BUSY);
  g_assert_null (project);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Reads are not blocked by a writer in WAL mode. */
  list = wr_store_list_projects (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  store_test_raw_exec (db, "COMMIT");
  sqlite3_close (db);

  project = wr_store_create_project (fixture->store, "Free again", &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
}

static void
test_corrupt_file (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *contents = NULL;
  gsize len = 0;
  gboolean detected;

  for (guint i = 0; i < 2000; i++)
    {
      WrMessage *m = wr_message_new ("user", "some text that fills a few pages of the database file");

      wr_message_set_chat_id (m, wr_chat_get_id (chat));
      g_ptr_array_add (batch, m);
    }
  g_assert_true (wr_store_add_messages (fixture->store, batch, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);   /* checkpoints the WAL into the file */

  /* Scribble over everything after the first two pages. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8 * 4096);
  for (gsize i = 2 * 4096; i < len; i++)
    contents[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (fixture->path, contents, len, NULL));

  fixture->store = wr_store_open (fixture->path, &error);
  if (fixture->store == NULL)
    detected = g_error_matches (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT);
  else
    detected = !wr_store_check_integrity (fixture->store, &error) &&
               g_error_matches (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT);

  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (detected);
}

/* Projects ---------------------------------------------------------------- */

static void
test_projects_crud (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) a = NULL;
  g_autoptr(WrProject) b = NULL;
  g_autoptr(WrProject) c = NULL;
  g_autoptr(WrProject) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  WrProject *nothing;

  a = wr_store_create_project (fixture->store, "  Alpha  ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_project_get_name (a), ==, "Alpha");
  g_assert_cmpint (strlen (wr_project_get_id (a)), ==, 32);
  g_assert_cmpint (wr_project_get_created_at (a), >, 0);
  b = wr_store_create_project (fixture->store, "Beta", &error);
  g_assert_no_error (error);
  c = wr_store_create_project (fixture->store, "Gamma", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_project_get_id (a), !=, wr_project_get_id (b));

  list = wr_store_list_projects (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 0)), ==, "Alpha");
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 1)), ==, "Beta");
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 2)), ==, "Gamma");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (wr_store_rename_project (fixture->store, wr_project_get_id (b), "Bravo", &error));
  g_assert_no_error (error);
  g_assert_true (wr_store_set_project_default_model (fixture->store, wr_project_get_id (b), "gpt-x", &error));
  g_assert_no_error (error);

  got = wr_store_get_project (fixture->store, wr_project_get_id (b), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_project_get_name (got), ==, "Bravo");
  g_assert_cmpstr (wr_project_get_default_model (got), ==, "gpt-x");
  g_assert_cmpint (wr_project_get_created_at (got), ==, wr_project_get_created_at (b));
  g_assert_cmpint (wr_project_get_updated_at (got), >=, wr_project_get_updated_at (b));
  g_clear_object (&got);

  g_assert_true (wr_store_set_project_default_model (fixture->store, wr_project_get_id (b), NULL, &error));
  g_assert_no_error (error);
  got = wr_store_get_project (fixture->store, wr_project_get_id (b), &error);
  g_assert_no_error (error);
  g_assert_null (wr_project_get_default_model (got));

  /* Empty names are refused everywhere, and nothing changes. */
  nothing = wr_store_create_project (fixture->store, "", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_null (nothing);
  g_clear_error (&error);
  nothing = wr_store_create_project (fixture->store, " \t\n", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_null (nothing);
  g_clear_error (&error);
  nothing = wr_store_create_project (fixture->store, NULL, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wr_store_rename_project (fixture->store, wr_project_get_id (a), "  ", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  list = wr_store_list_projects (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 0)), ==, "Alpha");

  nothing = wr_store_get_project (fixture->store, "0123456789abcdef0123456789abcdef", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (nothing);
  g_clear_error (&error);
  g_assert_false (wr_store_rename_project (fixture->store, "nope", "Name", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Survives reopening. */
  g_clear_object (&fixture->store);
  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = wr_store_list_projects (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 1)), ==, "Bravo");
}

static gint64
raw_deleted_at (const char *path,
                const char *table_sql,
                const char *id)
{
  sqlite3 *db = store_test_raw_open (path);
  gint64 value = store_test_raw_int (db, table_sql, id);

  sqlite3_close (db);
  return value;
}

static void
test_projects_tombstones (StoreFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrProject) other = NULL;
  g_autoptr(WrChat) c1 = NULL;
  g_autoptr(WrChat) c2 = NULL;
  g_autoptr(WrChat) c3 = NULL;
  g_autoptr(WrChat) elsewhere = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(WrMessage) message = wr_message_new ("user", "kept");
  gint64 project_deleted, c2_deleted, c3_deleted, c1_deleted;
  const char *pid;
  gpointer nothing;

  project = wr_store_create_project (fixture->store, "Doomed", &error);
  g_assert_no_error (error);
  other = wr_store_create_project (fixture->store, "Other", &error);
  g_assert_no_error (error);
  pid = wr_project_get_id (project);
  c1 = wr_store_create_chat (fixture->store, pid, "one", &error);
  g_assert_no_error (error);
  c2 = wr_store_create_chat (fixture->store, pid, "two", &error);
  g_assert_no_error (error);
  c3 = wr_store_create_chat (fixture->store, pid, NULL, &error);
  g_assert_no_error (error);
  elsewhere = wr_store_create_chat (fixture->store, wr_project_get_id (other), "elsewhere", &error);
  g_assert_no_error (error);
  wr_message_set_chat_id (message, wr_chat_get_id (c2));
  g_assert_true (wr_store_add_message (fixture->store, message, &error));
  g_assert_no_error (error);

  /* Deleted on its own before the project: must stay deleted on restore. */
  g_assert_true (wr_store_delete_chat (fixture->store, wr_chat_get_id (c1), &error));
  g_assert_no_error (error);
  g_usleep (2000);

  g_assert_true (wr_store_delete_project (fixture->store, pid, &error));
  g_assert_no_error (error);

  list = wr_store_list_projects (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 0)), ==, "Other");
  g_clear_pointer (&list, g_ptr_array_unref);

  nothing = wr_store_get_project (fixture->store, pid, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (nothing);
  g_clear_error (&error);
  nothing = wr_store_get_chat (fixture->store, wr_chat_get_id (c2), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  nothing = wr_store_get_message (fixture->store, wr_message_get_id (message), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  nothing = wr_store_list_chats (fixture->store, pid, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  nothing = wr_store_list_messages (fixture->store, wr_chat_get_id (c2), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  nothing = wr_store_create_chat (fixture->store, pid, "late", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (nothing);
  g_clear_error (&error);

  /* Deleting twice: nothing left to delete. */
  g_assert_false (wr_store_delete_project (fixture->store, pid, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Rows are tombstoned, not removed, all with one deleted_at. */
  project_deleted = raw_deleted_at (fixture->path, "SELECT deleted_at FROM projects WHERE id = ?", pid);
  c1_deleted = raw_deleted_at (fixture->path, "SELECT deleted_at FROM chats WHERE id = ?", wr_chat_get_id (c1));
  c2_deleted = raw_deleted_at (fixture->path, "SELECT deleted_at FROM chats WHERE id = ?", wr_chat_get_id (c2));
  c3_deleted = raw_deleted_at (fixture->path, "SELECT deleted_at FROM chats WHERE id = ?", wr_chat_get_id (c3));
  g_assert_cmpint (project_deleted, >, 0);
  g_assert_cmpint (c2_deleted, ==, project_deleted);
  g_assert_cmpint (c3_deleted, ==, project_deleted);
  g_assert_cmpint (c1_deleted, >, 0);
  g_assert_cmpint (c1_deleted, <, project_deleted);
  g_assert_cmpint (raw_deleted_at (fixture->path, "SELECT deleted_at FROM chats WHERE id = ?",
                                   wr_chat_get_id (elsewhere)), ==, -1);

  g_assert_true (wr_store_restore_project (fixture->store, pid, &error));
  g_assert_no_error (error);

  list = wr_store_list_chats (fixture->store, pid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (wr_chat_get_id (g_ptr_array_index (list, i)), !=, wr_chat_get_id (c1));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (c2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_message_get_content (g_ptr_array_index (list, 0)), ==, "kept");
  g_clear_pointer (&list, g_ptr_array_unref);

  nothing = wr_store_get_chat (fixture->store, wr_chat_get_id (c1), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (raw_deleted_at (fixture->path, "SELECT deleted_at FROM chats WHERE id = ?",
                                   wr_chat_get_id (c1)), ==, c1_deleted);

  list = wr_store_list_projects (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 0)), ==, "Doomed");

  /* Restoring a live project is a no-op; an unknown one is not found. */
  g_assert_true (wr_store_restore_project (fixture->store, pid, &error));
  g_assert_no_error (error);
  g_assert_false (wr_store_restore_project (fixture->store, "nope", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
}

/* Chats ------------------------------------------------------------------- */

static void
test_chats_crud (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) older = NULL;
  g_autoptr(WrChat) newer = NULL;
  g_autoptr(WrChat) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(WrMessage) message = wr_message_new ("user", "bump");
  gint64 before;
  gpointer nothing;

  project = wr_store_create_project (fixture->store, "P", &error);
  g_assert_no_error (error);

  older = wr_store_create_chat (fixture->store, wr_project_get_id (project), "Older", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_project_id (older), ==, wr_project_get_id (project));
  g_usleep (1000);
  newer = wr_store_create_chat (fixture->store, wr_project_get_id (project), NULL, &error);
  g_assert_no_error (error);
  g_assert_null (wr_chat_get_title (newer));

  list = wr_store_list_chats (fixture->store, wr_project_get_id (project), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_chat_get_id (g_ptr_array_index (list, 0)), ==, wr_chat_get_id (newer));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A message is activity: the older chat moves to the top. */
  g_usleep (1000);
  wr_message_set_chat_id (message, wr_chat_get_id (older));
  g_assert_true (wr_store_add_message (fixture->store, message, &error));
  g_assert_no_error (error);
  list = wr_store_list_chats (fixture->store, wr_project_get_id (project), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_id (g_ptr_array_index (list, 0)), ==, wr_chat_get_id (older));
  g_clear_pointer (&list, g_ptr_array_unref);

  before = wr_chat_get_updated_at (newer);
  g_usleep (1000);
  wr_chat_set_title (newer, "Named later");
  wr_chat_set_model (newer, "m-1");
  wr_chat_set_provider_id (newer, "env:openai");
  g_assert_true (wr_store_save_chat (fixture->store, newer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wr_chat_get_updated_at (newer), >, before);

  got = wr_store_get_chat (fixture->store, wr_chat_get_id (newer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_title (got), ==, "Named later");
  g_assert_cmpstr (wr_chat_get_model (got), ==, "m-1");
  g_assert_cmpstr (wr_chat_get_provider_id (got), ==, "env:openai");
  g_assert_cmpint (wr_chat_get_updated_at (got), ==, wr_chat_get_updated_at (newer));
  g_assert_cmpint (wr_chat_get_created_at (got), ==, wr_chat_get_created_at (newer));

  g_assert_true (wr_store_delete_chat (fixture->store, wr_chat_get_id (newer), &error));
  g_assert_no_error (error);
  nothing = wr_store_get_chat (fixture->store, wr_chat_get_id (newer), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (nothing);
  g_clear_error (&error);
  g_assert_false (wr_store_save_chat (fixture->store, newer, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_delete_chat (fixture->store, wr_chat_get_id (newer), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = wr_store_list_chats (fixture->store, wr_project_get_id (project), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_foreign_keys (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(WrMessage) message = wr_message_new ("user", "hello");
  g_autoptr(WrMessage) orphan = wr_message_new ("user", "orphan");
  g_autofree char *sql = NULL;
  WrChat *bogus;
  sqlite3 *db;

  /* The foreign key refuses a chat in a project that never existed. */
  bogus = wr_store_create_chat (fixture->store, "0123456789abcdef0123456789abcdef", "x", &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (bogus);
  g_clear_error (&error);

  wr_message_set_chat_id (orphan, "0123456789abcdef0123456789abcdef");
  g_assert_false (wr_store_add_message (fixture->store, orphan, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (wr_message_get_id (orphan));
  g_clear_error (&error);

  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM chats", NULL), ==, 0);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM messages", NULL), ==, 0);
  sqlite3_close (db);

  project = wr_store_create_project (fixture->store, "P", &error);
  g_assert_no_error (error);
  chat = wr_store_create_chat (fixture->store, wr_project_get_id (project), "c", &error);
  g_assert_no_error (error);
  wr_message_set_chat_id (message, wr_chat_get_id (chat));
  g_assert_true (wr_store_add_message (fixture->store, message, &error));
  g_assert_no_error (error);

  /* A hard delete (a future purge) cascades to children and keeps usage. */
  db = store_test_raw_open (fixture->path);
  sql = g_strdup_printf ("INSERT INTO artifacts (id, project_id, chat_id, kind, created_at, updated_at) "
                         "VALUES ('a1', '%s', '%s', 'mermaid', 1, 1);"
                         "INSERT INTO usage (id, project_id, chat_id, message_id, created_at, updated_at) "
                         "VALUES ('u1', '%s', '%s', '%s', 1, 1);",
                         wr_project_get_id (project), wr_chat_get_id (chat),
                         wr_project_get_id (project), wr_chat_get_id (chat), wr_message_get_id (message));
  store_test_raw_exec (db, sql);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO artifacts (id, project_id, kind, created_at, updated_at) "
                                     "VALUES ('a2', 'nope', 'html', 1, 1)", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO artifacts (id, project_id, kind, created_at, updated_at) "
                                     "SELECT 'a3', id, 'video', 1, 1 FROM projects", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);

  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM messages", NULL), ==, 1);
  store_test_raw_exec (db, "DELETE FROM chats");
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM messages", NULL), ==, 0);
  g_assert_cmpint (store_test_raw_int (db, "SELECT chat_id FROM artifacts WHERE id = 'a1'", NULL), ==, -1);
  g_assert_cmpint (store_test_raw_int (db, "SELECT message_id FROM usage WHERE id = 'u1'", NULL), ==, -1);
  store_test_raw_exec (db, "DELETE FROM projects");
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM artifacts", NULL), ==, 0);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM usage", NULL), ==, 1);
  sqlite3_close (db);

  g_assert_true (wr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

/* Messages ---------------------------------------------------------------- */

static WrChat *
make_chat (WrStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = wr_store_create_project (store, "Messages", &error);
  WrChat *chat;

  g_assert_no_error (error);
  chat = wr_store_create_chat (store, wr_project_get_id (project), "chat", &error);
  g_assert_no_error (error);

  return chat;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static void
test_messages_crud (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(WrMessage) user = wr_message_new ("user", "What is 2+2?");
  g_autoptr(WrMessage) reply = wr_message_new ("assistant", NULL);
  g_autoptr(WrMessage) got = NULL;
  g_autoptr(WrMessage) bad = wr_message_new ("robot", "beep");
  g_autoptr(WrMessage) loose = wr_message_new ("user", "no chat");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  gpointer nothing;

  wr_message_set_chat_id (user, wr_chat_get_id (chat));
  g_assert_true (wr_store_add_message (fixture->store, user, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wr_message_get_id (user));
  g_assert_cmpint (wr_message_get_created_at (user), >, 0);

  wr_message_set_chat_id (reply, wr_chat_get_id (chat));
  wr_message_set_status (reply, WR_MESSAGE_STATUS_STREAMING);
  wr_message_set_model (reply, "m-1");
  wr_message_set_provider_id (reply, "p-1");
  g_signal_connect (reply, "notify", G_CALLBACK (count_notify_cb), counts);
  g_assert_true (wr_store_add_message (fixture->store, reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "id")), ==, 1);

  got = wr_store_get_message (fixture->store, wr_message_get_id (reply), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_content (got), ==, "");
  g_assert_cmpint (wr_message_get_status (got), ==, WR_MESSAGE_STATUS_STREAMING);
  g_assert_cmpint (wr_message_get_input_tokens (got), ==, -1);
  g_assert_cmpint (wr_message_get_output_tokens (got), ==, -1);
  g_assert_null (wr_message_get_error (got));
  g_clear_object (&got);

  wr_message_append_content (reply, "Four", -1);
  wr_message_append_content (reply, ", of course.xyz", 12);
  wr_message_set_status (reply, WR_MESSAGE_STATUS_PARTIAL);
  wr_message_set_error (reply, "The connection dropped.");
  wr_message_set_input_tokens (reply, 12);
  wr_message_set_output_tokens (reply, 0);
  g_assert_true (wr_store_save_message (fixture->store, reply, &error));
  g_assert_no_error (error);

  got = wr_store_get_message (fixture->store, wr_message_get_id (reply), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_content (got), ==, "Four, of course.");
  g_assert_cmpuint (wr_message_get_content_length (got), ==, strlen ("Four, of course."));
  g_assert_cmpint (wr_message_get_status (got), ==, WR_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpstr (wr_message_get_error (got), ==, "The connection dropped.");
  g_assert_cmpint (wr_message_get_input_tokens (got), ==, 12);
  g_assert_cmpint (wr_message_get_output_tokens (got), ==, 0);
  g_assert_cmpstr (wr_message_get_model (got), ==, "m-1");
  g_assert_cmpstr (wr_message_get_provider_id (got), ==, "p-1");
  g_assert_cmpstr (wr_message_get_chat_id (got), ==, wr_chat_get_id (chat));
  g_assert_cmpstr (wr_message_get_role (got), ==, "assistant");
  g_assert_cmpint (wr_message_get_created_at (got), ==, wr_message_get_created_at (reply));
  g_assert_cmpint (wr_message_get_updated_at (got), ==, wr_message_get_updated_at (reply));
  g_clear_object (&got);

  /* Back to unknown tokens. */
  wr_message_set_input_tokens (reply, -1);
  g_assert_true (wr_store_save_message (fixture->store, reply, &error));
  g_assert_no_error (error);
  got = wr_store_get_message (fixture->store, wr_message_get_id (reply), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_message_get_input_tokens (got), ==, -1);
  g_clear_object (&got);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_message_get_id (g_ptr_array_index (list, 0)), ==, wr_message_get_id (user));
  g_assert_cmpstr (wr_message_get_id (g_ptr_array_index (list, 1)), ==, wr_message_get_id (reply));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Invalid messages are refused before touching the database. */
  wr_message_set_chat_id (bad, wr_chat_get_id (chat));
  g_assert_false (wr_store_add_message (fixture->store, bad, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_null (wr_message_get_id (bad));
  g_clear_error (&error);
  g_assert_false (wr_store_add_message (fixture->store, loose, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wr_store_save_message (fixture->store, loose, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Adding twice with the same id is refused, not duplicated. */
  g_assert_false (wr_store_add_message (fixture->store, user, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (wr_store_delete_message (fixture->store, wr_message_get_id (user), &error));
  g_assert_no_error (error);
  nothing = wr_store_get_message (fixture->store, wr_message_get_id (user), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (nothing);
  g_clear_error (&error);
  g_assert_false (wr_store_save_message (fixture->store, user, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_delete_message (fixture->store, wr_message_get_id (user), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A chat in the trash takes no new messages. */
  g_assert_true (wr_store_delete_chat (fixture->store, wr_chat_get_id (chat), &error));
  g_assert_no_error (error);
  g_clear_object (&bad);
  bad = wr_message_new ("user", "too late");
  wr_message_set_chat_id (bad, wr_chat_get_id (chat));
  g_assert_false (wr_store_add_message (fixture->store, bad, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (wr_message_get_id (bad));
  g_clear_error (&error);
  {
    sqlite3 *db = store_test_raw_open (fixture->path);

    g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM messages", NULL), ==, 2);
    sqlite3_close (db);
  }
}

static void
test_messages_order (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(WrMessage) early = wr_message_new ("system", "first by time");
  const gint64 same = 1700000000000000;
  const guint n = 300;

  /* All in one microsecond: half one by one, half in bulk. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      WrMessage *m = wr_message_new (i % 2 ? "assistant" : "user", text);

      wr_message_set_chat_id (m, wr_chat_get_id (chat));
      wr_message_set_created_at (m, same);
      if (i < n / 2)
        {
          g_assert_true (wr_store_add_message (fixture->store, m, &error));
          g_assert_no_error (error);
          g_object_unref (m);
        }
      else
        g_ptr_array_add (batch, m);
    }
  g_assert_true (wr_store_add_messages (fixture->store, batch, &error));
  g_assert_no_error (error);

  /* An import with an earlier time sorts first even though added last. */
  wr_message_set_chat_id (early, wr_chat_get_id (chat));
  wr_message_set_created_at (early, same - 1);
  g_assert_true (wr_store_add_message (fixture->store, early, &error));
  g_assert_no_error (error);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, n + 1);
  g_assert_cmpstr (wr_message_get_content (g_ptr_array_index (list, 0)), ==, "first by time");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      WrMessage *m = g_ptr_array_index (list, i + 1);

      g_assert_cmpstr (wr_message_get_content (m), ==, text);
      g_assert_cmpint (wr_message_get_created_at (m), ==, same);
    }
}

static void
test_messages_10k (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(WrChat) after = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const guint n = 10000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u: %s", i,
                                               i % 7 == 0 ? "a longer paragraph with **markdown** and `code`" : "short");
      WrMessage *m = wr_message_new (i % 2 ? "assistant" : "user", text);

      wr_message_set_chat_id (m, wr_chat_get_id (chat));
      if (i % 2)
        {
          wr_message_set_input_tokens (m, i);
          wr_message_set_output_tokens (m, i * 2);
        }
      g_ptr_array_add (batch, m);
    }

  g_assert_true (wr_store_add_messages (fixture->store, batch, &error));
  g_assert_no_error (error);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, n);

  for (guint i = 0; i < n; i++)
    {
      WrMessage *want = g_ptr_array_index (batch, i);
      WrMessage *m = g_ptr_array_index (list, i);

      g_assert_cmpstr (wr_message_get_id (m), ==, wr_message_get_id (want));
      g_assert_cmpstr (wr_message_get_content (m), ==, wr_message_get_content (want));
      g_assert_cmpstr (wr_message_get_role (m), ==, i % 2 ? "assistant" : "user");
      g_assert_cmpint (wr_message_get_output_tokens (m), ==, i % 2 ? (gint64) i * 2 : -1);
      g_assert_true (g_hash_table_add (ids, (gpointer) wr_message_get_id (m)));
    }

  after = wr_store_get_chat (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_chat_get_updated_at (after), ==, wr_message_get_created_at (g_ptr_array_index (batch, 0)));
  g_assert_cmpint (wr_chat_get_updated_at (after), >=, wr_chat_get_updated_at (chat));
}

/* Providers and profile --------------------------------------------------- */

static void
test_providers_crud (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProviderRecord) local = wr_provider_record_new ();
  g_autoptr(WrProviderRecord) cloud = wr_provider_record_new ();
  g_autoptr(WrProviderRecord) nameless = wr_provider_record_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *local_id = NULL;
  gint64 created;

  wr_provider_record_set_name (local, "Ollama");
  wr_provider_record_set_kind (local, "openai");
  wr_provider_record_set_base_url (local, "http://127.0.0.1:11434/v1");
  g_assert_true (wr_store_save_provider (fixture->store, local, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wr_provider_record_get_id (local));
  local_id = g_strdup (wr_provider_record_get_id (local));
  created = wr_provider_record_get_created_at (local);
  g_assert_cmpint (created, >, 0);

  /* A caller may pick the id first (the key goes to the keyring under it). */
  wr_provider_record_set_id (cloud, "fedcba9876543210fedcba9876543210");
  wr_provider_record_set_name (cloud, "Cloud");
  wr_provider_record_set_kind (cloud, "openai");
  wr_provider_record_set_default_model (cloud, "gpt-4o-mini");
  g_assert_true (wr_store_save_provider (fixture->store, cloud, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wr_provider_record_get_id (cloud), ==, "fedcba9876543210fedcba9876543210");

  g_usleep (1000);
  wr_provider_record_set_name (local, "Ollama (desk)");
  wr_provider_record_set_created_at (local, 0);
  g_assert_true (wr_store_save_provider (fixture->store, local, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wr_provider_record_get_id (local), ==, local_id);
  g_assert_cmpint (wr_provider_record_get_created_at (local), ==, created);
  g_assert_cmpint (wr_provider_record_get_updated_at (local), >, created);

  list = wr_store_list_providers (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_provider_record_get_name (g_ptr_array_index (list, 0)), ==, "Ollama (desk)");
  g_assert_cmpstr (wr_provider_record_get_base_url (g_ptr_array_index (list, 0)), ==, "http://127.0.0.1:11434/v1");
  g_assert_cmpstr (wr_provider_record_get_default_model (g_ptr_array_index (list, 1)), ==, "gpt-4o-mini");
  g_assert_null (wr_provider_record_get_base_url (g_ptr_array_index (list, 1)));
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (wr_store_delete_provider (fixture->store, local_id, &error));
  g_assert_no_error (error);
  g_assert_false (wr_store_delete_provider (fixture->store, local_id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = wr_store_list_providers (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_provider_record_get_name (g_ptr_array_index (list, 0)), ==, "Cloud");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_false (wr_store_save_provider (fixture->store, nameless, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  wr_provider_record_set_name (nameless, "No kind");
  g_assert_false (wr_store_save_provider (fixture->store, nameless, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_null (wr_provider_record_get_id (nameless));
}

static void
test_profile (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(WrProfile) again = NULL;
  g_autofree char *id = NULL;

  profile = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  id = g_strdup (wr_profile_get_id (profile));

  wr_profile_set_name (profile, "Grace");
  wr_profile_set_plan (profile, "pro");
  wr_profile_set_default_model (profile, "llama3");
  wr_profile_set_default_provider_id (profile, "env:openai");
  wr_profile_set_daily_token_limit (profile, 100000);
  wr_profile_set_retention_days (profile, 30);
  wr_profile_set_credits_balance (profile, 999);   /* billing's, not saved */
  g_assert_true (wr_store_save_profile (fixture->store, profile, &error));
  g_assert_no_error (error);

  /* The same single row after reopening. */
  g_clear_object (&fixture->store);
  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  again = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_id (again), ==, id);
  g_assert_cmpstr (wr_profile_get_name (again), ==, "Grace");
  g_assert_cmpstr (wr_profile_get_plan (again), ==, "pro");
  g_assert_cmpstr (wr_profile_get_default_model (again), ==, "llama3");
  g_assert_cmpstr (wr_profile_get_default_provider_id (again), ==, "env:openai");
  g_assert_cmpint (wr_profile_get_daily_token_limit (again), ==, 100000);
  g_assert_cmpint (wr_profile_get_retention_days (again), ==, 30);
  g_assert_cmpint (wr_profile_get_credits_balance (again), ==, 0);

  wr_profile_set_daily_token_limit (again, -1);
  wr_profile_set_retention_days (again, -1);
  g_assert_true (wr_store_save_profile (fixture->store, again, &error));
  g_assert_no_error (error);
  g_clear_object (&profile);
  profile = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_profile_get_daily_token_limit (profile), ==, -1);
  g_assert_cmpint (wr_profile_get_retention_days (profile), ==, -1);

  wr_profile_set_plan (profile, "platinum");
  g_assert_false (wr_store_save_profile (fixture->store, profile, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
}

/* Domain objects ---------------------------------------------------------- */

static void
test_message_object (void)
{
  g_autoptr(WrMessage) m = wr_message_new ("user", NULL);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GEnumClass) klass = NULL;
  g_autofree char *content = NULL;

  g_assert_cmpstr (wr_message_get_content (m), ==, "");
  g_assert_cmpint (wr_message_get_input_tokens (m), ==, -1);
  g_signal_connect (m, "notify", G_CALLBACK (count_notify_cb), counts);

  wr_message_set_content (m, "");
  wr_message_append_content (m, "", 0);
  wr_message_set_model (m, NULL);
  wr_message_set_status (m, WR_MESSAGE_STATUS_COMPLETE);
  wr_message_set_input_tokens (m, -1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  wr_message_append_content (m, "Hel", -1);
  wr_message_append_content (m, "lo!!", 2);
  g_assert_cmpstr (wr_message_get_content (m), ==, "Hello");
  g_assert_cmpuint (wr_message_get_content_length (m), ==, 5);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "content")), ==, 2);
  wr_message_set_content (m, "Hello");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "content")), ==, 2);

  wr_message_set_model (m, "x");
  wr_message_set_model (m, "x");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "model")), ==, 1);

  g_object_set (m, "status", WR_MESSAGE_STATUS_ERROR, "output-tokens", (gint64) 5, NULL);
  g_assert_cmpint (wr_message_get_status (m), ==, WR_MESSAGE_STATUS_ERROR);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "status")), ==, 1);
  g_object_get (m, "content", &content, NULL);
  g_assert_cmpstr (content, ==, "Hello");

  g_assert_cmpstr (wr_message_status_to_string (WR_MESSAGE_STATUS_STREAMING), ==, "streaming");
  g_assert_cmpstr (wr_message_status_to_string (WR_MESSAGE_STATUS_PARTIAL), ==, "partial");
  g_assert_cmpint (wr_message_status_from_string ("error"), ==, WR_MESSAGE_STATUS_ERROR);
  g_assert_cmpint (wr_message_status_from_string ("complete"), ==, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpint (wr_message_status_from_string ("from-the-future"), ==, WR_MESSAGE_STATUS_COMPLETE);

  klass = g_type_class_ref (WR_TYPE_MESSAGE_STATUS);
  g_assert_cmpstr (g_enum_get_value (klass, WR_MESSAGE_STATUS_PARTIAL)->value_nick, ==, "partial");
}

static void
test_profile_object (void)
{
  g_autoptr(WrProfile) p = wr_profile_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpstr (wr_profile_get_plan (p), ==, "free");
  g_assert_cmpint (wr_profile_get_daily_token_limit (p), ==, -1);
  g_signal_connect (p, "notify", G_CALLBACK (count_notify_cb), counts);
  wr_profile_set_plan (p, "free");
  wr_profile_set_retention_days (p, -1);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);
  wr_profile_set_retention_days (p, 7);
  g_object_set (p, "default-provider-id", "x", NULL);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "retention-days")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "default-provider-id")), ==, 1);
}

/* Threads ----------------------------------------------------------------- */

typedef struct {
  WrStore    *store;
  const char *chat_id;
  guint       index;
} ThreadArgs;

static gpointer
writer_thread (gpointer data)
{
  ThreadArgs *args = data;

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("%u:%u", args->index, i);
      g_autoptr(WrMessage) m = wr_message_new ("user", text);
      g_autoptr(GPtrArray) list = NULL;

      wr_message_set_chat_id (m, args->chat_id);
      g_assert_true (wr_store_add_message (args->store, m, &error));
      g_assert_no_error (error);

      if (i % 25 == 0)
        {
          list = wr_store_list_messages (args->store, args->chat_id, &error);
          g_assert_no_error (error);
        }
    }

  return NULL;
}

static void
test_threads (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(GPtrArray) list = NULL;
  ThreadArgs args[4];
  GThread *threads[4];
  guint next[4] = { 0, };

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      args[t] = (ThreadArgs) { fixture->store, wr_chat_get_id (chat), t };
      threads[t] = g_thread_new ("writer", writer_thread, &args[t]);
    }
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_thread_join (threads[t]);

  list = wr_store_list_messages (fixture->store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 400);

  /* Each thread's messages appear in the order it wrote them. */
  for (guint i = 0; i < list->len; i++)
    {
      guint t, n;

      g_assert_cmpint (sscanf (wr_message_get_content (g_ptr_array_index (list, i)), "%u:%u", &t, &n), ==, 2);
      g_assert_cmpuint (t, <, 4);
      g_assert_cmpuint (n, ==, next[t]);
      next[t]++;
    }

  g_assert_true (wr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

/* Async ------------------------------------------------------------------- */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (slot);
}

static void
open_result_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = wr_store_open_finish (result, &error);

  g_assert_no_error (error);
  g_assert_true (WR_IS_STORE (store));
  g_main_loop_quit (loop);
}

static void
test_async (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(WrMessage) message = wr_message_new ("assistant", "");
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(WrProfile) reread = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *other_path = g_build_filename (fixture->dir, "other", "workroom.db", NULL);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 chat_updated;

  wr_store_open_async (other_path, NULL, open_result_cb, loop);
  g_main_loop_run (loop);
  g_assert_true (g_file_test (other_path, G_FILE_TEST_EXISTS));

  wr_store_create_project_async (fixture->store, "Async", NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  project = wr_store_create_project_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_project_get_name (project), ==, "Async");
  g_clear_object (&result);

  wr_store_create_project_async (fixture->store, "", NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_null (wr_store_create_project_finish (fixture->store, result, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  wr_store_rename_project_async (fixture->store, wr_project_get_id (project), "Async 2", NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_rename_project_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_list_projects_async (fixture->store, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  list = wr_store_list_projects_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_project_get_name (g_ptr_array_index (list, 0)), ==, "Async 2");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  wr_store_create_chat_async (fixture->store, wr_project_get_id (project), "Talk", NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  chat = wr_store_create_chat_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_title (chat), ==, "Talk");
  g_clear_object (&result);

  /* save_message_async inserts a message without id, notifying on this
   * thread only once the row is committed. */
  wr_message_set_chat_id (message, wr_chat_get_id (chat));
  g_signal_connect (message, "notify", G_CALLBACK (count_notify_cb), counts);
  wr_store_save_message_async (fixture->store, message, NULL, store_result_cb, &slot);
  g_assert_null (wr_message_get_id (message));
  result = wait_result (&slot);
  g_assert_true (wr_store_save_message_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wr_message_get_id (message));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "id")), ==, 1);
  g_clear_object (&result);

  /* ... and updates one with an id. */
  wr_message_append_content (message, "streamed text", -1);
  wr_message_set_output_tokens (message, 3);
  wr_store_save_message_async (fixture->store, message, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_save_message_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_list_messages_async (fixture->store, wr_chat_get_id (chat), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  list = wr_store_list_messages_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_message_get_content (g_ptr_array_index (list, 0)), ==, "streamed text");
  g_assert_cmpstr (wr_message_get_id (g_ptr_array_index (list, 0)), ==, wr_message_get_id (message));
  g_assert_cmpint (wr_message_get_output_tokens (g_ptr_array_index (list, 0)), ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  chat_updated = wr_chat_get_updated_at (chat);
  g_usleep (1000);
  wr_chat_set_model (chat, "m-async");
  wr_store_save_chat_async (fixture->store, chat, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_save_chat_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wr_chat_get_updated_at (chat), >, chat_updated);
  g_clear_object (&result);

  wr_store_list_chats_async (fixture->store, wr_project_get_id (project), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  list = wr_store_list_chats_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_chat_get_model (g_ptr_array_index (list, 0)), ==, "m-async");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  profile = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  wr_profile_set_name (profile, "Async user");
  wr_store_save_profile_async (fixture->store, profile, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_save_profile_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  reread = wr_store_get_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_name (reread), ==, "Async user");

  wr_store_delete_project_async (fixture->store, wr_project_get_id (project), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_delete_project_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_restore_project_async (fixture->store, wr_project_get_id (project), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_restore_project_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_delete_chat_async (fixture->store, wr_chat_get_id (chat), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (wr_store_delete_chat_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_list_chats_async (fixture->store, wr_project_get_id (project), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  list = wr_store_list_chats_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  /* Errors and cancellation come back through _finish. */
  wr_store_list_messages_async (fixture->store, wr_chat_get_id (chat), NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_null (wr_store_list_messages_finish (fixture->store, result, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  g_cancellable_cancel (cancelled);
  wr_store_list_projects_async (fixture->store, cancelled, store_result_cb, &slot);
  result = wait_result (&slot);
  g_assert_null (wr_store_list_projects_finish (fixture->store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  {
    g_autoptr(WrMessage) unsaved = wr_message_new ("user", "never");

    wr_message_set_chat_id (unsaved, wr_chat_get_id (chat));
    wr_store_save_message_async (fixture->store, unsaved, cancelled, store_result_cb, &slot);
    result = wait_result (&slot);
    g_assert_false (wr_store_save_message_finish (fixture->store, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (wr_message_get_id (unsaved));
    g_clear_error (&error);
    g_clear_object (&result);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/migrations/from-empty", StoreFixture, NULL,
              store_fixture_setup, test_migrate_empty, store_fixture_teardown);
  g_test_add ("/store/migrations/from-every-version", StoreFixture, NULL,
              store_fixture_setup_closed, test_migrate_every_version, store_fixture_teardown);
  g_test_add ("/store/migrations/too-new", StoreFixture, NULL,
              store_fixture_setup_closed, test_migrate_too_new, store_fixture_teardown);
  g_test_add ("/store/open/not-a-database", StoreFixture, NULL,
              store_fixture_setup_closed, test_open_not_a_database, store_fixture_teardown);
  g_test_add ("/store/open/creates-dirs", StoreFixture, NULL,
              store_fixture_setup_closed, test_open_creates_dirs, store_fixture_teardown);
  g_test_add ("/store/open/readonly-dir", StoreFixture, NULL,
              store_fixture_setup_closed, test_open_readonly_dir, store_fixture_teardown);
  g_test_add_func ("/store/open/default-dir", test_default_dir);
  g_test_add ("/store/open/busy", StoreFixture, NULL,
              store_fixture_setup, test_busy, store_fixture_teardown);
  g_test_add ("/store/open/corrupt-file", StoreFixture, NULL,
              store_fixture_setup, test_corrupt_file, store_fixture_teardown);
  g_test_add ("/store/projects/crud", StoreFixture, NULL,
              store_fixture_setup, test_projects_crud, store_fixture_teardown);
  g_test_add ("/store/projects/tombstones", StoreFixture, NULL,
              store_fixture_setup, test_projects_tombstones, store_fixture_teardown);
  g_test_add ("/store/chats/crud", StoreFixture, NULL,
              store_fixture_setup, test_chats_crud, store_fixture_teardown);
  g_test_add ("/store/foreign-keys", StoreFixture, NULL,
              store_fixture_setup, test_foreign_keys, store_fixture_teardown);
  g_test_add ("/store/messages/crud", StoreFixture, NULL,
              store_fixture_setup, test_messages_crud, store_fixture_teardown);
  g_test_add ("/store/messages/order-same-microsecond", StoreFixture, NULL,
              store_fixture_setup, test_messages_order, store_fixture_teardown);
  g_test_add ("/store/messages/10k", StoreFixture, NULL,
              store_fixture_setup, test_messages_10k, store_fixture_teardown);
  g_test_add ("/store/providers/crud", StoreFixture, NULL,
              store_fixture_setup, test_providers_crud, store_fixture_teardown);
  g_test_add ("/store/profile", StoreFixture, NULL,
              store_fixture_setup, test_profile, store_fixture_teardown);
  g_test_add_func ("/store/objects/message", test_message_object);
  g_test_add_func ("/store/objects/profile", test_profile_object);
  g_test_add ("/store/threads", StoreFixture, NULL,
              store_fixture_setup, test_threads, store_fixture_teardown);
  g_test_add ("/store/async", StoreFixture, NULL,
              store_fixture_setup, test_async, store_fixture_teardown);

  return g_test_run ();
}
