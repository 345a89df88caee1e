/* test-store-artifacts.c — artifacts on a real SQLite file: create, list,
 * content, rename, delete/restore, validation, project isolation and the
 * migration of version-4 rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "store-test-util.h"
#include "store/wr-artifact.h"

static char *
make_project (WrStore    *store,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = wr_store_create_project (store, name, &error);

  g_assert_no_error (error);
  return g_strdup (wr_project_get_id (project));
}

/* Creates an artifact with text content; returns it (transfer full). */
static WrArtifact *
add_artifact (WrStore        *store,
              const char     *project_id,
              WrArtifactKind  kind,
              const char     *name,
              const char     *content)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = content != NULL ? g_bytes_new (content, strlen (content)) : NULL;
  WrArtifact *artifact = wr_artifact_new (project_id, kind, name);

  g_assert_true (wr_store_create_artifact (store, artifact, data, &error));
  g_assert_no_error (error);
  return artifact;
}

static void
test_kinds (void)
{
  static const char * const names[] = { "report", "table", "chart", "image", "file", "html", "mermaid" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      WrArtifactKind kind = -1;

      g_assert_true (wr_artifact_kind_from_string (names[i], &kind));
      g_assert_cmpstr (wr_artifact_kind_to_string (kind), ==, names[i]);
      g_assert_nonnull (wr_artifact_kind_get_label (kind));
      g_assert_cmpstr (wr_artifact_kind_get_label (kind), !=, "");
    }

  g_assert_false (wr_artifact_kind_from_string ("Report", NULL));
  g_assert_false (wr_artifact_kind_from_string ("", NULL));
  g_assert_false (wr_artifact_kind_from_string (NULL, NULL));
}

static void
test_create_get_data (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autoptr(WrChat) chat = wr_store_create_chat (fixture->store, project, "c", &error);
  g_autoptr(WrArtifact) artifact = wr_artifact_new (project, WR_ARTIFACT_KIND_REPORT, "  Quarterly report  ");
  g_autoptr(WrArtifact) got = NULL;
  const char *text = "# Q3\n\nRevenue grew — 12 %.\n";
  g_autoptr(GBytes) content = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) back = NULL;
  gint64 before = g_get_real_time ();
  gboolean ok;

  g_assert_no_error (error);
  wr_artifact_set_chat_id (artifact, wr_chat_get_id (chat));
  wr_artifact_set_mime_type (artifact, "text/markdown");
  wr_artifact_set_file_name (artifact, "q3.md");

  g_assert_null (wr_artifact_get_id (artifact));
  ok = wr_store_create_artifact (fixture->store, artifact, content, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (wr_artifact_get_id (artifact));
  g_assert_cmpuint (strlen (wr_artifact_get_id (artifact)), ==, 32);
  g_assert_cmpstr (wr_artifact_get_name (artifact), ==, "Quarterly report");
  g_assert_cmpint (wr_artifact_get_size (artifact), ==, (gint64) strlen (text));
  g_assert_cmpint (wr_artifact_get_created_at (artifact), >=, before);
  g_assert_cmpint (wr_artifact_get_updated_at (artifact), ==, wr_artifact_get_created_at (artifact));

  got = wr_store_get_artifact (fixture->store, wr_artifact_get_id (artifact), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_artifact_get_id (got), ==, wr_artifact_get_id (artifact));
  g_assert_cmpstr (wr_artifact_get_project_id (got), ==, project);
  g_assert_cmpstr (wr_artifact_get_chat_id (got), ==, wr_chat_get_id (chat));
  g_assert_null (wr_artifact_get_message_id (got));
  g_assert_null (wr_artifact_get_dataset_id (got));
  g_assert_cmpint (wr_artifact_get_kind (got), ==, WR_ARTIFACT_KIND_REPORT);
  g_assert_cmpstr (wr_artifact_get_name (got), ==, "Quarterly report");
  g_assert_cmpstr (wr_artifact_get_mime_type (got), ==, "text/markdown");
  g_assert_cmpstr (wr_artifact_get_file_name (got), ==, "q3.md");
  g_assert_cmpint (wr_artifact_get_size (got), ==, (gint64) strlen (text));
  g_assert_cmpint (wr_artifact_get_created_at (got), ==, wr_artifact_get_created_at (artifact));

  back = wr_store_get_artifact_data (fixture->store, wr_artifact_get_id (artifact), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, content));

  /* No content: empty, not NULL. */
  {
    g_autoptr(WrArtifact) empty = add_artifact (fixture->store, project, WR_ARTIFACT_KIND_MERMAID, "m", NULL);
    g_autoptr(GBytes) none = wr_store_get_artifact_data (fixture->store, wr_artifact_get_id (empty), &error);

    g_assert_no_error (error);
    g_assert_nonnull (none);
    g_assert_cmpuint (g_bytes_get_size (none), ==, 0);
    g_assert_cmpint (wr_artifact_get_size (empty), ==, 0);
  }

  /* Unknown ids. */
  g_assert_null (wr_store_get_artifact (fixture->store, "nope", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (wr_store_get_artifact_data (fixture->store, "nope", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
}

static void
test_binary_content (StoreFixture  *fixture,
                     gconstpointer  data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 0xff, 0xfe, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autoptr(GBytes) bytes = g_bytes_new_static (png, sizeof png);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(WrArtifact) image = wr_artifact_new (project, WR_ARTIFACT_KIND_IMAGE, "logo");
  g_autoptr(WrArtifact) file = wr_artifact_new (project, WR_ARTIFACT_KIND_FILE, "blob");

  wr_artifact_set_mime_type (image, "image/png");
  g_assert_true (wr_store_create_artifact (fixture->store, image, bytes, &error));
  g_assert_no_error (error);
  back = wr_store_get_artifact_data (fixture->store, wr_artifact_get_id (image), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, bytes));
  g_assert_cmpint (wr_artifact_get_size (image), ==, sizeof png);
  g_clear_pointer (&back, g_bytes_unref);

  /* Files and images take any bytes, NULs and invalid UTF-8 included. */
  g_assert_true (wr_store_create_artifact (fixture->store, file, bytes, &error));
  g_assert_no_error (error);
  back = wr_store_get_artifact_data (fixture->store, wr_artifact_get_id (file), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, bytes));
}

static void
expect_invalid (WrStore        *store,
                const char     *project,
                WrArtifactKind  kind,
                const char     *name,
                GBytes         *content)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) artifact = wr_artifact_new (project, kind, name);

  g_assert_false (wr_store_create_artifact (store, artifact, content, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (wr_artifact_get_id (artifact));
}

static void
test_validation (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autofree char *long_name = NULL;
  g_autofree char *max_name = NULL;
  g_autoptr(GBytes) bad_utf8 = g_bytes_new_static ("ok \xff\xfe", 5);
  g_autoptr(GBytes) nul = g_bytes_new_static ("a\0b", 3);
  g_autoptr(GBytes) array = g_bytes_new_static ("[1, 2]", 6);
  g_autoptr(GBytes) broken = g_bytes_new_static ("{\"type\": ", 9);
  g_autoptr(GBytes) object = g_bytes_new_static ("{\"type\": \"bar\"}", 15);
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GString *s = g_string_new (NULL);

  /* Names: empty, blank, 201 characters (multi-byte). */
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_REPORT, "", NULL);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_REPORT, "   \t ", NULL);
  for (int i = 0; i < WR_ARTIFACT_MAX_NAME_CHARS + 1; i++)
    g_string_append (s, "é");
  long_name = g_string_free (s, FALSE);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_REPORT, long_name, NULL);
  max_name = g_utf8_substring (long_name, 0, WR_ARTIFACT_MAX_NAME_CHARS);
  g_object_unref (add_artifact (fixture->store, project, WR_ARTIFACT_KIND_REPORT, max_name, "x"));

  /* Text kinds need UTF-8 without NULs. */
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_REPORT, "r", bad_utf8);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_HTML, "h", bad_utf8);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_MERMAID, "m", nul);

  /* Charts and tables need a JSON object. */
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_CHART, "c", array);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_CHART, "c", broken);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_CHART, "c", NULL);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_TABLE, "t", array);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_TABLE, "t", bad_utf8);
  g_object_unref (add_artifact (fixture->store, project, WR_ARTIFACT_KIND_CHART, "c", "{\"type\": \"bar\"}"));
  {
    g_autoptr(WrArtifact) chart = wr_artifact_new (project, WR_ARTIFACT_KIND_CHART, "c2");
    g_assert_true (wr_store_create_artifact (fixture->store, chart, object, &error));
    g_assert_no_error (error);
  }

  /* Size bound: one byte over the limit (a file, so only size matters). */
  huge = g_bytes_new_take (g_malloc0 (WR_ARTIFACT_MAX_SIZE + 1), WR_ARTIFACT_MAX_SIZE + 1);
  expect_invalid (fixture->store, project, WR_ARTIFACT_KIND_FILE, "big", huge);

  /* Unknown or missing project. */
  {
    g_autoptr(WrArtifact) orphan = wr_artifact_new ("00000000000000000000000000000000", WR_ARTIFACT_KIND_REPORT, "o");
    g_autoptr(WrArtifact) none = wr_artifact_new (NULL, WR_ARTIFACT_KIND_REPORT, "o");

    g_assert_false (wr_store_create_artifact (fixture->store, orphan, NULL, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (wr_store_create_artifact (fixture->store, none, NULL, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Nothing invalid was stored: the two charts and the long-named report. */
  list = wr_store_list_artifacts (fixture->store, project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);

  /* An unknown kind filter is an error, not an empty list. */
  g_assert_null (wr_store_list_artifacts (fixture->store, project, "charts", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
}

static void
test_table_dataset_id (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autoptr(WrArtifact) table = NULL;
  g_autoptr(WrArtifact) got = NULL;
  sqlite3 *db;

  /* A dataset row so the foreign key holds. */
  db = store_test_raw_open (fixture->path);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO datasets (id, project_id, name, kind, created_at, updated_at) "
                                            "VALUES ('d1', '%s', 'sales.csv', 'csv', 1, 1)", project);
    store_test_raw_exec (db, sql);
  }
  sqlite3_close (db);

  /* The column follows the content when the caller leaves it unset. */
  table = add_artifact (fixture->store, project, WR_ARTIFACT_KIND_TABLE, "sales", "{\"dataset_id\": \"d1\"}");
  g_assert_cmpstr (wr_artifact_get_dataset_id (table), ==, "d1");
  got = wr_store_get_artifact (fixture->store, wr_artifact_get_id (table), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_artifact_get_dataset_id (got), ==, "d1");
}

static void
test_list_order_and_filter (StoreFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autofree char *other = make_project (fixture->store, "Other");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) charts = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GPtrArray) none = NULL;
  const char *names[] = { "first", "second", "third", "fourth" };
  WrArtifactKind kinds[] = { WR_ARTIFACT_KIND_REPORT, WR_ARTIFACT_KIND_CHART,
                             WR_ARTIFACT_KIND_MERMAID, WR_ARTIFACT_KIND_CHART };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_unref (add_artifact (fixture->store, project, kinds[i], names[i],
                                  kinds[i] == WR_ARTIFACT_KIND_CHART ? "{}" : "text"));
  g_object_unref (add_artifact (fixture->store, other, WR_ARTIFACT_KIND_REPORT, "elsewhere", "x"));

  /* Newest first, even within one microsecond. */
  all = wr_store_list_artifacts (fixture->store, project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (wr_artifact_get_name (g_ptr_array_index (all, i)), ==, names[3 - i]);

  charts = wr_store_list_artifacts (fixture->store, project, "chart", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (charts->len, ==, 2);
  g_assert_cmpstr (wr_artifact_get_name (g_ptr_array_index (charts, 0)), ==, "fourth");
  g_assert_cmpstr (wr_artifact_get_name (g_ptr_array_index (charts, 1)), ==, "second");

  /* Projects do not see each other's artifacts. */
  others = wr_store_list_artifacts (fixture->store, other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (others->len, ==, 1);
  g_assert_cmpstr (wr_artifact_get_name (g_ptr_array_index (others, 0)), ==, "elsewhere");

  none = wr_store_list_artifacts (fixture->store, other, "image", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_null (wr_store_list_artifacts (fixture->store, "00000000000000000000000000000000", NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
}

static void
test_rename_delete_restore (StoreFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autoptr(WrArtifact) artifact = add_artifact (fixture->store, project, WR_ARTIFACT_KIND_HTML, "page", "<p>hi</p>");
  g_autoptr(WrArtifact) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GBytes) content = NULL;
  const char *id = wr_artifact_get_id (artifact);
  sqlite3 *db;

  g_assert_true (wr_store_rename_artifact (fixture->store, id, "  Landing page ", &error));
  g_assert_no_error (error);
  got = wr_store_get_artifact (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_artifact_get_name (got), ==, "Landing page");
  g_assert_cmpint (wr_artifact_get_updated_at (got), >=, wr_artifact_get_created_at (got));
  g_clear_object (&got);

  g_assert_false (wr_store_rename_artifact (fixture->store, id, " ", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wr_store_rename_artifact (fixture->store, "nope", "x", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Delete is a tombstone: hidden everywhere, the row and content kept. */
  g_assert_true (wr_store_delete_artifact (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_null (wr_store_get_artifact (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (wr_store_get_artifact_data (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  list = wr_store_list_artifacts (fixture->store, project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "SELECT deleted_at IS NOT NULL FROM artifacts WHERE id = ?", id), ==, 1);
  sqlite3_close (db);

  g_assert_false (wr_store_delete_artifact (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_rename_artifact (fixture->store, id, "x", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Restore brings it back with its content. */
  g_assert_true (wr_store_restore_artifact (fixture->store, id, &error));
  g_assert_no_error (error);
  content = wr_store_get_artifact_data (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), "<p>hi</p>", 9);
  list = wr_store_list_artifacts (fixture->store, project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Restoring a live one, or an unknown one, is NOT_FOUND. */
  g_assert_false (wr_store_restore_artifact (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_restore_artifact (fixture->store, "nope", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
}

static void
test_deleted_project_hides (StoreFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autoptr(WrArtifact) artifact = add_artifact (fixture->store, project, WR_ARTIFACT_KIND_REPORT, "r", "x");
  g_autoptr(WrArtifact) late = wr_artifact_new (project, WR_ARTIFACT_KIND_REPORT, "late");
  g_autoptr(GPtrArray) list = NULL;
  const char *id = wr_artifact_get_id (artifact);

  g_assert_true (wr_store_delete_project (fixture->store, project, &error));
  g_assert_no_error (error);

  g_assert_null (wr_store_list_artifacts (fixture->store, project, NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (wr_store_get_artifact (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (wr_store_get_artifact_data (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_rename_artifact (fixture->store, id, "x", &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_create_artifact (fixture->store, late, NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Restoring the project brings its artifacts back. */
  g_assert_true (wr_store_restore_project (fixture->store, project, &error));
  g_assert_no_error (error);
  list = wr_store_list_artifacts (fixture->store, project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (wr_artifact_get_id (g_ptr_array_index (list, 0)), ==, id);
}

/* Async ------------------------------------------------------------------- */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_result (AsyncWait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
test_async (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = make_project (fixture->store, "P");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(WrArtifact) artifact = wr_artifact_new (project, WR_ARTIFACT_KIND_REPORT, "async");
  g_autoptr(WrArtifact) created = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  AsyncWait wait = { loop, NULL };

  wr_store_create_artifact_async (fixture->store, artifact, content, NULL, on_done, &wait);
  created = wr_store_create_artifact_finish (fixture->store, wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_true (created != artifact);
  g_assert_nonnull (wr_artifact_get_id (created));
  g_assert_null (wr_artifact_get_id (artifact));   /* the caller's object is left alone */

  wr_store_list_artifacts_async (fixture->store, project, "report", NULL, on_done, &wait);
  list = wr_store_list_artifacts_finish (fixture->store, wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  wr_store_get_artifact_data_async (fixture->store, wr_artifact_get_id (created), NULL, on_done, &wait);
  back = wr_store_get_artifact_data_finish (fixture->store, wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, content));

  wr_store_rename_artifact_async (fixture->store, wr_artifact_get_id (created), "renamed", NULL, on_done, &wait);
  g_assert_true (wr_store_rename_artifact_finish (fixture->store, wait_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  wr_store_delete_artifact_async (fixture->store, wr_artifact_get_id (created), NULL, on_done, &wait);
  g_assert_true (wr_store_delete_artifact_finish (fixture->store, wait_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  wr_store_restore_artifact_async (fixture->store, wr_artifact_get_id (created), NULL, on_done, &wait);
  g_assert_true (wr_store_restore_artifact_finish (fixture->store, wait_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  {
    g_autoptr(WrArtifact) got = wr_store_get_artifact (fixture->store, wr_artifact_get_id (created), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (wr_artifact_get_name (got), ==, "renamed");
  }

  /* Errors and cancellation come back through _finish. */
  wr_store_delete_artifact_async (fixture->store, "nope", NULL, on_done, &wait);
  g_assert_false (wr_store_delete_artifact_finish (fixture->store, wait_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_cancellable_cancel (cancelled);
  wr_store_list_artifacts_async (fixture->store, project, NULL, cancelled, on_done, &wait);
  g_assert_null (wr_store_list_artifacts_finish (fixture->store, wait_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Migration --------------------------------------------------------------- */

static void
test_migrate_from_4 (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) old = NULL;
  g_autoptr(WrArtifact) got = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GPtrArray) list = NULL;
  sqlite3 *db;

  old = _wr_store_open_at_version (fixture->path, 4, &error);
  g_assert_no_error (error);
  g_clear_object (&old);

  db = store_test_raw_open (fixture->path);
  store_test_raw_exec (db,
    "INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p1', 'Old', 1, 1);"
    "INSERT INTO artifacts (id, project_id, kind, name, data, created_at, updated_at) "
    "  VALUES ('a1', 'p1', 'report', 'Old report', CAST ('# Hello' AS BLOB), 10, 20),"
    "         ('a2', 'p1', 'mermaid', 'Diagram', 'graph TD; A-->B', 30, 30),"
    "         ('a3', 'p1', 'html', 'Gone', NULL, 40, 40);"
    "UPDATE artifacts SET deleted_at = 50 WHERE id = 'a3';");
  sqlite3_close (db);

  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_store_get_schema_version (fixture->store), >=, 5);

  list = wr_store_list_artifacts (fixture->store, "p1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (wr_artifact_get_id (g_ptr_array_index (list, 0)), ==, "a2");
  g_assert_cmpstr (wr_artifact_get_id (g_ptr_array_index (list, 1)), ==, "a1");

  got = wr_store_get_artifact (fixture->store, "a1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_artifact_get_name (got), ==, "Old report");
  g_assert_cmpint (wr_artifact_get_kind (got), ==, WR_ARTIFACT_KIND_REPORT);
  g_assert_cmpint (wr_artifact_get_created_at (got), ==, 10);
  g_assert_cmpint (wr_artifact_get_updated_at (got), ==, 20);
  g_assert_null (wr_artifact_get_dataset_id (got));
  g_assert_null (wr_artifact_get_mime_type (got));

  content = wr_store_get_artifact_data (fixture->store, "a1", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), "# Hello", 7);
  g_clear_pointer (&content, g_bytes_unref);
  /* Stored as TEXT before: read back as the same bytes. */
  content = wr_store_get_artifact_data (fixture->store, "a2", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), "graph TD; A-->B", 15);

  /* The old tombstone holds, and restore works on it. */
  g_assert_true (wr_store_restore_artifact (fixture->store, "a3", &error));
  g_assert_no_error (error);
  g_clear_pointer (&content, g_bytes_unref);
  content = wr_store_get_artifact_data (fixture->store, "a3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (content), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/artifacts/kinds", test_kinds);
  g_test_add ("/store/artifacts/create-get-data", StoreFixture, NULL,
              store_fixture_setup, test_create_get_data, store_fixture_teardown);
  g_test_add ("/store/artifacts/binary-content", StoreFixture, NULL,
              store_fixture_setup, test_binary_content, store_fixture_teardown);
  g_test_add ("/store/artifacts/validation", StoreFixture, NULL,
              store_fixture_setup, test_validation, store_fixture_teardown);
  g_test_add ("/store/artifacts/table-dataset-id", StoreFixture, NULL,
              store_fixture_setup, test_table_dataset_id, store_fixture_teardown);
  g_test_add ("/store/artifacts/list-order-filter-isolation", StoreFixture, NULL,
              store_fixture_setup, test_list_order_and_filter, store_fixture_teardown);
  g_test_add ("/store/artifacts/rename-delete-restore", StoreFixture, NULL,
              store_fixture_setup, test_rename_delete_restore, store_fixture_teardown);
  g_test_add ("/store/artifacts/deleted-project-hides", StoreFixture, NULL,
              store_fixture_setup, test_deleted_project_hides, store_fixture_teardown);
  g_test_add ("/store/artifacts/async", StoreFixture, NULL,
              store_fixture_setup, test_async, store_fixture_teardown);
  g_test_add ("/store/artifacts/migrate-from-4", StoreFixture, NULL,
              store_fixture_setup_closed, test_migrate_from_4, store_fixture_teardown);

  return g_test_run ();
}
