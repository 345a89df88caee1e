/* test-datasets.c — CSV imports into a real SQLite store: round trip,
 * inferred types, failure and cancel leaving nothing ready, bounded
 * memory on a large file, and the shared fixtures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "data/wr-csv-reader.h"
#include "data/wr-dataset.h"

typedef struct
{
  char      *dir;
  WrStore   *store;
  WrProject *project;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("wr-datasets-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workroom.db", NULL);
  fixture->store = wr_store_open (path, &error);
  g_assert_no_error (error);
  fixture->project = wr_store_create_project (fixture->store, "Data", &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->store);
  remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
import_ok (Fixture    *fixture,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_assert_true (wr_dataset_import_csv (fixture->store, wr_project_get_id (fixture->project), path,
                                        NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static JsonArray *
parse_array (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static const char *
column_field (JsonArray  *columns,
              guint       i,
              const char *member)
{
  return json_object_get_string_member (json_array_get_object_element (columns, i), member);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "people.csv",
                                      "name,age,height,member,joined,zip,,name\n"
                                      "Ann,34,1.70,yes,2024-01-31,08123,x,A\n"
                                      "\"Bo, Jr.\",,1.8,no,31/12/2023,10115,,B\n"
                                      "\"multi\nline\",7,2,true,2020-02-29,99999,z\n", -1);
  g_autofree char *id = import_ok (fixture, path);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetInfo) info = wr_dataset_get (fixture->store, id, &error);
  g_autoptr(JsonArray) columns = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) preview = NULL;
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *row;

  g_assert_no_error (error);
  g_assert_cmpstr (info->status, ==, "ready");
  g_assert_cmpstr (info->kind, ==, "csv");
  g_assert_cmpstr (info->name, ==, "people.csv");
  g_assert_cmpint (info->row_count, ==, 3);

  columns = parse_array (info->columns);
  g_assert_cmpuint (json_array_get_length (columns), ==, 8);
  g_assert_cmpstr (column_field (columns, 0, "name"), ==, "name");
  g_assert_cmpstr (column_field (columns, 0, "type"), ==, "text");
  g_assert_cmpstr (column_field (columns, 1, "type"), ==, "integer");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (columns, 1), "empty_count"), ==, 1);
  g_assert_cmpstr (column_field (columns, 2, "type"), ==, "number");
  g_assert_cmpstr (column_field (columns, 3, "type"), ==, "boolean");
  g_assert_cmpstr (column_field (columns, 4, "type"), ==, "date");
  g_assert_cmpstr (column_field (columns, 5, "type"), ==, "text");   /* leading zero */
  g_assert_cmpstr (column_field (columns, 6, "name"), ==, "Column 7");
  g_assert_cmpstr (column_field (columns, 7, "name"), ==, "name (2)");

  /* The short last row is padded; values are kept as written. */
  rows = wr_dataset_read_rows (fixture->store, id, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  row = json_array_get_array_element (rows, 0);
  g_assert_cmpstr (json_array_get_string_element (row, 5), ==, "08123");
  g_assert_cmpstr (json_array_get_string_element (row, 2), ==, "1.70");
  row = json_array_get_array_element (rows, 1);
  g_assert_cmpstr (json_array_get_string_element (row, 0), ==, "Bo, Jr.");
  g_assert_true (json_array_get_null_element (row, 1));
  row = json_array_get_array_element (rows, 2);
  g_assert_cmpstr (json_array_get_string_element (row, 0), ==, "multi\nline");
  g_assert_cmpuint (json_array_get_length (row), ==, 8);
  g_assert_true (json_array_get_null_element (row, 7));

  /* Paging. */
  g_clear_pointer (&rows, json_array_unref);
  rows = wr_dataset_read_rows (fixture->store, id, 2, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);

  preview = parse_array (info->preview);
  g_assert_cmpuint (json_array_get_length (preview), ==, 3);

  list = wr_dataset_list (fixture->store, wr_project_get_id (fixture->project), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Survives reopening the file. */
  {
    g_autofree char *db = g_strdup (wr_store_get_path (fixture->store));
    g_autoptr(WrDatasetInfo) again = NULL;

    g_clear_object (&fixture->store);
    fixture->store = wr_store_open (db, &error);
    g_assert_no_error (error);
    again = wr_dataset_get (fixture->store, id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (again->row_count, ==, 3);
  }

  g_assert_true (wr_dataset_delete (fixture->store, id, &error));
  g_assert_no_error (error);
  g_assert_null (wr_dataset_get (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_dataset_delete (fixture->store, id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
}

static void
test_empty_and_header_only (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *empty = write_file (fixture, "empty.csv", "", 0);
  g_autofree char *header = write_file (fixture, "header.tsv", "a b\tc\n", -1);
  g_autofree char *id1 = import_ok (fixture, empty);
  g_autofree char *id2 = import_ok (fixture, header);
  g_autoptr(WrDatasetInfo) info1 = wr_dataset_get (fixture->store, id1, NULL);
  g_autoptr(WrDatasetInfo) info2 = wr_dataset_get (fixture->store, id2, NULL);
  g_autoptr(JsonArray) columns = NULL;

  g_assert_cmpstr (info1->status, ==, "ready");
  g_assert_cmpint (info1->row_count, ==, 0);
  g_assert_cmpstr (info1->columns, ==, "[]");
  g_assert_cmpint (info2->row_count, ==, 0);
  columns = parse_array (info2->columns);
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);   /* .tsv: tab forced */
  g_assert_cmpstr (column_field (columns, 0, "name"), ==, "a b");
}

static void
test_warnings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "bad.csv", "a,b\n1,\xff\n2,3,4\n", -1);
  g_autofree char *id = import_ok (fixture, path);
  g_autoptr(WrDatasetInfo) info = wr_dataset_get (fixture->store, id, NULL);
  g_autoptr(JsonArray) warnings = parse_array (info->warnings);

  g_assert_cmpuint (json_array_get_length (warnings), ==, 2);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (warnings, 0), "Row 3: ") ||
                 g_str_has_prefix (json_array_get_string_element (warnings, 1), "Row 2: "));
  g_assert_nonnull (strstr (info->warnings, "Row 2: bytes that are not UTF-8"));
  g_assert_nonnull (strstr (info->warnings, "Row 3 has 3 fields"));
}

static void
test_failure_leaves_others (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *good = write_file (fixture, "good.csv", "a\n1\n2\n", -1);
  g_autofree char *good_id = import_ok (fixture, good);
  g_autoptr(GString) bad = g_string_new ("a,b\n");
  g_autofree char *bad_path = NULL;
  g_autofree char *bad_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetInfo) info = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonArray) rows = NULL;

  /* Many good rows stored in batches, then an unclosed quote. */
  for (guint i = 0; i < 3 * WR_DATASET_BATCH_ROWS; i++)
    g_string_append_printf (bad, "%u,x\n", i);
  g_string_append (bad, "1,\"");
  for (guint i = 0; i < WR_CSV_MAX_FIELD_BYTES / 64 + 10; i++)
    g_string_append (bad, "0123456789012345678901234567890123456789012345678901234567890123");
  bad_path = write_file (fixture, "bad.csv", bad->str, bad->len);

  g_assert_false (wr_dataset_import_csv (fixture->store, wr_project_get_id (fixture->project), bad_path,
                                         NULL, NULL, NULL, &bad_id, &error));
  g_assert_error (error, WR_CSV_ERROR, WR_CSV_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "bad.csv"));
  g_assert_nonnull (bad_id);

  info = wr_dataset_get (fixture->store, bad_id, NULL);
  g_assert_cmpstr (info->status, ==, "failed");
  g_assert_cmpstr (info->error, ==, error->message);
  g_assert_cmpint (info->row_count, ==, 0);
  rows = wr_dataset_read_rows (fixture->store, bad_id, 0, 10, NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);

  list = wr_dataset_list (fixture->store, wr_project_get_id (fixture->project), NULL);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&rows, json_array_unref);
  rows = wr_dataset_read_rows (fixture->store, good_id, 0, 10, NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
}

static void
test_unknown_project (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "a.csv", "a\n1\n", -1);
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_assert_false (wr_dataset_import_csv (fixture->store, "nope", path, NULL, NULL, NULL, &id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (id);
  g_clear_error (&error);

  /* A missing file leaves no dataset behind, not even a failed one. */
  g_assert_false (wr_dataset_import_csv (fixture->store, wr_project_get_id (fixture->project),
                                         "/nonexistent/x.csv", NULL, NULL, NULL, &id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (id);
  {
    g_autoptr(GPtrArray) list = wr_dataset_list (fixture->store, wr_project_get_id (fixture->project), NULL);
    g_assert_cmpuint (list->len, ==, 0);
  }
}

static char *
write_big_csv (Fixture *fixture,
               gsize    bytes)
{
  char *path = g_build_filename (fixture->dir, "big.csv", NULL);
  FILE *file = fopen (path, "w");
  gsize written = 0;

  g_assert_nonnull (file);
  written += fprintf (file, "id,name,amount,date,flag,comment\n");
  for (guint64 i = 0; written < bytes; i++)
    written += fprintf (file, "%" G_GUINT64_FORMAT ",name %" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                        ".%02u,2024-%02u-%02u,%s,\"quoted, \"\"text\"\" %" G_GUINT64_FORMAT "\"\n",
                        i, i * 7, i % 100000, (guint) (i % 100), (guint) (i % 12) + 1,
                        (guint) (i % 28) + 1, i % 2 ? "true" : "false", i);
  fclose (file);
  return path;
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} CancelData;

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  CancelData *cancel = user_data;

  if (++cancel->calls == 3)
    g_cancellable_cancel (cancel->cancellable);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *good = write_file (fixture, "good.csv", "a\n1\n", -1);
  g_autofree char *good_id = import_ok (fixture, good);
  g_autofree char *path = write_big_csv (fixture, 8 * 1024 * 1024);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  CancelData cancel = { cancellable, 0 };
  char *id = NULL;

  g_assert_false (wr_dataset_import_csv (fixture->store, wr_project_get_id (fixture->project), path,
                                         cancel_on_progress, &cancel, cancellable, &id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (id);
  g_assert_cmpuint (cancel.calls, >=, 3);

  list = wr_dataset_list (fixture->store, wr_project_get_id (fixture->project), NULL);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((WrDatasetInfo *) g_ptr_array_index (list, 0))->id, ==, good_id);
}

typedef struct
{
  gboolean  done;
  GStrv     ids;
  GError   *error;
  guint     progress;
  GThread  *main_thread;
} AsyncData;

static void
on_async_progress (double   fraction,
                   gpointer user_data)
{
  AsyncData *async = user_data;

  g_assert_true (g_thread_self () == async->main_thread);
  g_assert_cmpfloat (fraction, >=, 0);
  g_assert_cmpfloat (fraction, <=, 1);
  async->progress++;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncData *async = user_data;

  async->ids = wr_dataset_import_file_finish (WR_STORE (source), result, &async->error);
  async->done = TRUE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_big_csv (fixture, 2 * 1024 * 1024);
  g_autoptr(WrDatasetInfo) info = NULL;
  AsyncData async = { FALSE, NULL, NULL, 0, g_thread_self () };

  wr_dataset_import_file_async (fixture->store, wr_project_get_id (fixture->project), path,
                               on_async_progress, &async, NULL, NULL, on_async_done, &async);
  while (!async.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (async.error);
  g_assert_cmpuint (async.progress, >, 1);
  g_assert_cmpuint (g_strv_length (async.ids), ==, 1);
  info = wr_dataset_get (fixture->store, async.ids[0], NULL);
  g_assert_cmpstr (info->status, ==, "ready");
  g_assert_cmpint (info->row_count, >, 10000);
  g_assert_nonnull (strstr (info->columns, "\"name\":\"amount\",\"type\":\"number\""));
  g_assert_nonnull (strstr (info->columns, "\"name\":\"date\",\"type\":\"date\""));
  g_assert_nonnull (strstr (info->columns, "\"name\":\"flag\",\"type\":\"boolean\""));
  g_assert_nonnull (strstr (info->columns, "\"name\":\"id\",\"type\":\"integer\""));
  g_strfreev (async.ids);
}

static glong
max_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static void
test_bounded_memory (Fixture       *fixture,
                     gconstpointer  data)
{
  gsize size = (g_test_slow () ? 200 : 60) * 1024 * 1024;
  g_autofree char *path = write_big_csv (fixture, size);
  g_autofree char *id = NULL;
  g_autoptr(WrDatasetInfo) info = NULL;
  glong before = max_rss_kb ();
  glong after;

  id = import_ok (fixture, path);
  after = max_rss_kb ();
  info = wr_dataset_get (fixture->store, id, NULL);
  g_assert_cmpint (info->row_count, >, 500000);
  g_test_message ("%zu MB imported, peak RSS %ld → %ld MB", size >> 20, before / 1024, after / 1024);
  /* Independent of the file's size: chunks, one batch, SQLite's cache.
   * AddressSanitizer keeps freed memory in quarantine (256 MB), so the
   * bound only holds in ordinary builds. */
#if defined(__SANITIZE_ADDRESS__)
  g_test_message ("RSS bound not checked under AddressSanitizer");
#else
  /* Nor under valgrind, which adds its own shadow memory. */
  if (strstr (g_getenv ("WR_TEST_WRAPPER") ? g_getenv ("WR_TEST_WRAPPER") : "", "valgrind") != NULL)
    g_test_message ("RSS bound not checked under valgrind");
  else
    g_assert_cmpint (after, <, 150 * 1024);
#endif
}

/* Column names and non-null cells of dataset @id, \x1f-separated; returns
 * its rows counting the header row when there is one. */
static gint64
collect_cells (Fixture    *fixture,
               const char *id,
               GString    *all)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetInfo) info = wr_dataset_get (fixture->store, id, &error);
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) columns = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (info->status, ==, "ready");
  columns = parse_array (info->columns);
  for (guint c = 0; c < json_array_get_length (columns); c++)
    g_string_append_printf (all, "%s\x1f", column_field (columns, c, "name"));

  rows = wr_dataset_read_rows (fixture->store, id, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_length (rows), ==, info->row_count);
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonArray *row = json_array_get_array_element (rows, r);

      for (guint c = 0; c < json_array_get_length (row); c++)
        if (!json_array_get_null_element (row, c))
          g_string_append_printf (all, "%s\x1f", json_array_get_string_element (row, c));
    }
  return info->row_count + (json_array_get_length (columns) > 0 ? 1 : 0);
}

/* The shared fixtures: every CSV and XLSX in MANIFEST.json. CSV rows_min
 * counts data rows; XLSX rows_min counts sheet rows (header included). */
static void
test_fixtures (Fixture       *fixture,
               gconstpointer  data)
{
  const char *dir = g_getenv ("WR_FIXTURES_DIR");
  g_autofree char *manifest = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  guint checked = 0;

  if (dir == NULL || *dir == '\0')
    {
      g_test_skip ("WR_FIXTURES_DIR is not set");
      return;
    }
  manifest = g_build_filename (dir, "documents", "MANIFEST.json", NULL);
  if (!g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no documents/MANIFEST.json under WR_FIXTURES_DIR");
      return;
    }

  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  entries = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *expect = json_object_get_object_member (entry, "expect");
      const char *relative = json_object_get_string_member (entry, "path");
      g_autofree char *path = NULL;
      const char *kind = json_object_get_string_member (entry, "kind");
      g_auto(GStrv) ids = NULL;
      g_autoptr(GError) import_error = NULL;
      g_autoptr(GString) all = g_string_new ("");
      gint64 n_rows = 0;
      gboolean ok;

      if (g_strcmp0 (kind, "csv") != 0 && g_strcmp0 (kind, "xlsx") != 0)
        continue;

      g_test_message ("%s", relative);
      path = g_build_filename (dir, "documents", relative, NULL);
      ok = wr_dataset_import_file (fixture->store, wr_project_get_id (fixture->project), path,
                                   NULL, NULL, NULL, &ids, &import_error);
      if (json_object_get_boolean_member (expect, "should_fail"))
        {
          g_assert_false (ok);
          g_assert_nonnull (import_error);
          g_assert_cmpuint (strlen (import_error->message), >, 20);
          checked++;
          continue;
        }

      g_assert_no_error (import_error);
      g_assert_true (ok);
      g_assert_nonnull (ids);
      for (guint s = 0; ids[s] != NULL; s++)
        {
          gint64 rows = collect_cells (fixture, ids[s], all);

          /* CSV: data rows; the header is not one. */
          n_rows += g_str_equal (kind, "csv") ? MAX (rows - 1, 0) : rows;
        }
      if (!json_object_get_null_member (expect, "rows_min"))
        g_assert_cmpint (n_rows, >=, json_object_get_int_member (expect, "rows_min"));

      {
        JsonArray *contains = json_object_get_array_member (expect, "contains");

        for (guint c = 0; c < json_array_get_length (contains); c++)
          if (strstr (all->str, json_array_get_string_element (contains, c)) == NULL)
            g_error ("%s: “%s” not found in the imported cells", relative,
                     json_array_get_string_element (contains, c));
      }
      checked++;
    }

  g_assert_cmpuint (checked, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/datasets/round-trip", Fixture, NULL, fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/datasets/empty-and-header-only", Fixture, NULL, fixture_setup, test_empty_and_header_only, fixture_teardown);
  g_test_add ("/datasets/warnings", Fixture, NULL, fixture_setup, test_warnings, fixture_teardown);
  g_test_add ("/datasets/failure-leaves-others", Fixture, NULL, fixture_setup, test_failure_leaves_others, fixture_teardown);
  g_test_add ("/datasets/unknown-project", Fixture, NULL, fixture_setup, test_unknown_project, fixture_teardown);
  g_test_add ("/datasets/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/datasets/async", Fixture, NULL, fixture_setup, test_async, fixture_teardown);
  g_test_add ("/datasets/bounded-memory", Fixture, NULL, fixture_setup, test_bounded_memory, fixture_teardown);
  g_test_add ("/datasets/fixtures", Fixture, NULL, fixture_setup, test_fixtures, fixture_teardown);

  return g_test_run ();
}
