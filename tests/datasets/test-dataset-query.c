/* test-dataset-query.c — sorting, filtering and column statistics of
 * datasets in a real SQLite store: orders per column type with empty cells
 * and mixed values, every filter condition, statistics against values
 * computed by hand, cancellation, and reading pages of a result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "data/wr-dataset.h"
#include "data/wr-dataset-query.h"

typedef struct
{
  char      *dir;
  WrStore   *store;
  WrProject *project;
  char      *id;      /* the small dataset below */
} Fixture;

/* Columns: name text, qty integer, price number, when date, flag boolean,
 * code text (numbers and words mixed). */
static const char small_csv[] =
  "name,qty,price,when,flag,code\n"
  "banana,10,1.5,2024-03-01,yes,10\n"
  "Apple,2,,2023-12-31,no,9\n"
  "cherry,,0.25,1/2/2024,yes,abc\n"
  "apple,10,3,,no,\n"
  "Éclair,-5,10,2024-01-15T10:00,,B\n";

static char *
import_csv (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  char *id = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_true (wr_dataset_import_csv (fixture->store, wr_project_get_id (fixture->project), path,
                                        NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("wr-dataset-query-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workroom.db", NULL);
  fixture->store = wr_store_open (path, &error);
  g_assert_no_error (error);
  fixture->project = wr_store_create_project (fixture->store, "Data", &error);
  g_assert_no_error (error);
  fixture->id = import_csv (fixture, "small.csv", small_csv);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  g_clear_object (&fixture->project);
  g_clear_object (&fixture->store);
  handle = g_dir_open (fixture->dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->id);
}

/* The result's row indexes as "1,3,0". */
static char *
run_to_string (Fixture        *fixture,
               WrDatasetQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetResult) result = wr_dataset_query_run (fixture->store, fixture->id, query,
                                                            NULL, NULL, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (wr_dataset_result_get_n_total (result), ==, 5);
  for (guint i = 0; i < wr_dataset_result_get_n_rows (result); i++)
    g_string_append_printf (out, "%s%u", i > 0 ? "," : "", wr_dataset_result_get_index (result, i));
  return g_string_free (out, FALSE);
}

static char *
sorted (Fixture  *fixture,
        int       column,
        gboolean  descending)
{
  g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();

  wr_dataset_query_set_sort (query, column, descending);
  return run_to_string (fixture, query);
}

static void
assert_sorted (Fixture    *fixture,
               int         column,
               gboolean    descending,
               const char *expected)
{
  g_autofree char *got = sorted (fixture, column, descending);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_sort_orders (Fixture       *fixture,
                  gconstpointer  data)
{
  /* No sort: file order. */
  assert_sorted (fixture, -1, FALSE, "0,1,2,3,4");
  /* Integers numerically; empty last both ways; ties keep file order. */
  assert_sorted (fixture, 1, FALSE, "4,1,0,3,2");
  assert_sorted (fixture, 1, TRUE, "0,3,1,4,2");
  /* Numbers numerically: 0.25 < 1.5 < 3 < 10 (text order would put 10 before 3). */
  assert_sorted (fixture, 2, FALSE, "2,0,3,4,1");
  assert_sorted (fixture, 2, TRUE, "4,3,0,2,1");
  /* Text without case, accents after ASCII. */
  assert_sorted (fixture, 0, FALSE, "1,3,0,2,4");
  assert_sorted (fixture, 0, TRUE, "4,2,0,1,3");
  /* Dates by calendar: 2023-12-31 < 2024-01-15 10:00 < 1/2/2024 (1 Feb) < 2024-03-01. */
  assert_sorted (fixture, 3, FALSE, "1,4,2,0,3");
  assert_sorted (fixture, 3, TRUE, "0,2,4,1,3");
  /* Booleans: no before yes, empty last. */
  assert_sorted (fixture, 4, FALSE, "1,3,0,2,4");
  /* A text column of numbers and words sorts as text. */
  assert_sorted (fixture, 5, FALSE, "0,1,2,4,3");
}

static void
assert_filtered (Fixture        *fixture,
                 WrDatasetQuery *query,
                 const char     *expected)
{
  g_autofree char *got = run_to_string (fixture, query);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_filter_text (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();

  wr_dataset_query_set_text (query, "APP");
  assert_filtered (fixture, query, "1,3");
  wr_dataset_query_set_text (query, "éCL");
  assert_filtered (fixture, query, "4");
  wr_dataset_query_set_text (query, "2024-0");
  assert_filtered (fixture, query, "0,4");
  wr_dataset_query_set_text (query, "no such thing");
  assert_filtered (fixture, query, "");
  wr_dataset_query_set_text (query, "");
  g_assert_true (wr_dataset_query_is_empty (query));
  assert_filtered (fixture, query, "0,1,2,3,4");
}

static void
test_filter_conditions (Fixture       *fixture,
                        gconstpointer  data)
{
  static const struct {
    guint        column;
    WrDatasetOp  op;
    const char  *value;
    const char  *expected;
  } cases[] = {
    { 1, WR_DATASET_OP_GREATER,    "2",          "0,3" },
    { 1, WR_DATASET_OP_LESS,       "2",          "4" },
    { 1, WR_DATASET_OP_EQUALS,     "10",         "0,3" },
    { 1, WR_DATASET_OP_NOT_EQUALS, "10",         "1,4" },   /* empty cells never match */
    { 1, WR_DATASET_OP_IS_EMPTY,   NULL,         "2" },
    { 2, WR_DATASET_OP_GREATER,    "2.5",        "3,4" },   /* numerically: 10 > 2.5 */
    { 2, WR_DATASET_OP_IS_EMPTY,   NULL,         "1" },
    { 0, WR_DATASET_OP_EQUALS,     "APPLE",      "1,3" },
    { 0, WR_DATASET_OP_CONTAINS,   "AN",         "0" },
    { 0, WR_DATASET_OP_LESS,       "b",          "1,3" },
    { 3, WR_DATASET_OP_LESS,       "2024-02-01", "1,4" },
    { 3, WR_DATASET_OP_EQUALS,     "01.02.2024", "2" },
    { 4, WR_DATASET_OP_EQUALS,     "yes",        "0,2" },
    { 5, WR_DATASET_OP_CONTAINS,   "b",          "2,4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();

      wr_dataset_query_add_condition (query, cases[i].column, cases[i].op, cases[i].value);
      g_test_message ("column %u %s %s", cases[i].column, wr_dataset_op_to_string (cases[i].op),
                      cases[i].value);
      assert_filtered (fixture, query, cases[i].expected);
    }

  /* Text, a condition and a sort together. */
  {
    g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();
    g_autoptr(WrDatasetQuery) copy = NULL;
    WrDatasetOp op;

    wr_dataset_query_set_text (query, "a");
    wr_dataset_query_add_condition (query, 1, WR_DATASET_OP_GREATER, "2");
    wr_dataset_query_set_sort (query, 2, TRUE);
    copy = wr_dataset_query_copy (query);
    assert_filtered (fixture, copy, "3,0");
    g_assert_cmpuint (wr_dataset_query_get_n_conditions (copy), ==, 1);
    wr_dataset_query_clear_conditions (copy);
    assert_filtered (fixture, copy, "4,3,0,2,1");

    g_assert_true (wr_dataset_op_from_string ("!=", &op));
    g_assert_cmpint (op, ==, WR_DATASET_OP_NOT_EQUALS);
    g_assert_true (wr_dataset_op_from_string ("≠", &op));
    g_assert_false (wr_dataset_op_from_string ("~", &op));
  }
}

static WrColumnStats *
stats_of (GPtrArray *all,
          guint      column)
{
  WrColumnStats *stats = g_ptr_array_index (all, column);

  g_assert_cmpuint (stats->column, ==, column);
  return stats;
}

static void
test_stats (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = wr_dataset_compute_stats (fixture->store, fixture->id, -1,
                                                       NULL, NULL, NULL, &error);
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(JsonNode) json = NULL;
  WrColumnStats *stats;

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 6);

  /* qty: 10, 2, -, 10, -5 */
  stats = stats_of (all, 1);
  g_assert_cmpstr (stats->name, ==, "qty");
  g_assert_cmpint (stats->type, ==, WR_COLUMN_TYPE_INTEGER);
  g_assert_cmpint (stats->count, ==, 5);
  g_assert_cmpint (stats->empty, ==, 1);
  g_assert_cmpint (stats->distinct, ==, 3);
  g_assert_false (stats->distinct_capped);
  g_assert_cmpfloat (stats->min, ==, -5);
  g_assert_cmpfloat (stats->max, ==, 10);
  g_assert_cmpfloat (stats->sum, ==, 17);
  g_assert_cmpfloat_with_epsilon (stats->mean, 4.25, 1e-9);
  /* 20 bins over [-5, 10]: -5 in the first, 2 in bin 9 (7/15 × 20), both 10s in the last. */
  g_assert_cmpuint (stats->histogram[0], ==, 1);
  g_assert_cmpuint (stats->histogram[9], ==, 1);
  g_assert_cmpuint (stats->histogram[19], ==, 2);
  g_assert_cmpuint (stats->histogram[10], ==, 0);

  /* price: 1.5, -, 0.25, 3, 10 */
  stats = stats_of (all, 2);
  g_assert_cmpfloat (stats->min, ==, 0.25);
  g_assert_cmpfloat (stats->max, ==, 10);
  g_assert_cmpfloat_with_epsilon (stats->sum, 14.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (stats->mean, 14.75 / 4, 1e-9);

  /* when: earliest and latest as ISO, whatever the cells' format */
  stats = stats_of (all, 3);
  g_assert_cmpint (stats->type, ==, WR_COLUMN_TYPE_DATE);
  g_assert_cmpstr (stats->earliest, ==, "2023-12-31");
  g_assert_cmpstr (stats->latest, ==, "2024-03-01");
  g_assert_cmpint (stats->empty, ==, 1);

  /* flag: yes ×2, no ×2, one empty; most frequent first, ties by value */
  stats = stats_of (all, 4);
  g_assert_cmpuint (stats->n_top, ==, 2);
  g_assert_cmpstr (stats->top_values[0], ==, "no");
  g_assert_cmpint (stats->top_counts[0], ==, 2);
  g_assert_cmpstr (stats->top_values[1], ==, "yes");

  /* name: five distinct values (case counts) */
  stats = stats_of (all, 0);
  g_assert_cmpint (stats->distinct, ==, 5);
  g_assert_cmpuint (stats->n_top, ==, 5);
  g_assert_cmpstr (stats->top_values[0], ==, "Apple");

  json = wr_column_stats_to_json (stats_of (all, 1));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "distinct"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (json), "histogram")),
                    ==, WR_COLUMN_STATS_N_BINS);

  /* One column only. */
  one = wr_dataset_compute_stats (fixture->store, fixture->id, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpuint (((WrColumnStats *) g_ptr_array_index (one, 0))->column, ==, 2);

  /* A column that is not there. */
  g_clear_pointer (&one, g_ptr_array_unref);
  one = wr_dataset_compute_stats (fixture->store, fixture->id, 6, NULL, NULL, NULL, &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_null (one);
}

/* A dataset of @n rows: "id" i, "value" (i * 7919) % n, "word" w<i % 100>. */
static char *
import_large (Fixture *fixture,
              guint    n)
{
  GString *csv = g_string_new ("id,value,word\n");
  g_autofree char *contents = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%u,%u,w%02u\n", i, (guint) (((guint64) i * 7919) % n), i % 100);
  contents = g_string_free (csv, FALSE);
  return import_csv (fixture, "large.csv", contents);
}

static void
on_progress_cancel (double   fraction,
                    gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_assert_cmpfloat (fraction, >, 0);
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *id = import_large (fixture, 3 * WR_DATASET_QUERY_CHUNK);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetResult) result = NULL;
  g_autoptr(GPtrArray) stats = NULL;

  wr_dataset_query_set_sort (query, 1, FALSE);
  /* Cancelled after the first chunk. */
  result = wr_dataset_query_run (fixture->store, id, query, on_progress_cancel, cancellable,
                                 cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_clear_error (&error);

  g_cancellable_reset (cancellable);
  stats = wr_dataset_compute_stats (fixture->store, id, -1, on_progress_cancel, cancellable,
                                    cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stats);
  g_clear_error (&error);

  /* The store still answers afterwards. */
  result = wr_dataset_query_run (fixture->store, id, query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr_dataset_result_get_n_rows (result), ==, 3 * WR_DATASET_QUERY_CHUNK);
}

static void
test_read_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n = 2 * WR_DATASET_QUERY_CHUNK + 17;
  g_autofree char *id = import_large (fixture, n);
  g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetResult) result = NULL;
  g_autoptr(JsonArray) page = NULL;
  g_autoptr(JsonArray) tail = NULL;
  g_autoptr(JsonArray) past = NULL;

  /* value is a permutation of 0..n-1: sorted descending, position p holds n-1-p. */
  wr_dataset_query_set_sort (query, 1, TRUE);
  result = wr_dataset_query_run (fixture->store, id, query, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr_dataset_result_get_n_rows (result), ==, n);

  page = wr_dataset_result_read_rows (fixture->store, id, result, 12345, 500, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (page), ==, 500);
  for (guint i = 0; i < 500; i++)
    {
      JsonArray *row = json_array_get_array_element (page, i);
      g_autofree char *expected = g_strdup_printf ("%u", n - 1 - (12345 + i));

      g_assert_cmpuint (json_array_get_length (row), ==, 4);   /* padded */
      g_assert_true (json_array_get_null_element (row, 3));
      g_assert_cmpstr (json_array_get_string_element (row, 1), ==, expected);
    }

  /* Bounded at the end, empty past it. */
  tail = wr_dataset_result_read_rows (fixture->store, id, result, n - 10, 500, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (tail), ==, 10);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (tail, 9), 1), ==, "0");
  past = wr_dataset_result_read_rows (fixture->store, id, result, n, 500, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (past), ==, 0);
}

typedef struct {
  GMainLoop       *loop;
  WrDatasetResult *result;
  GPtrArray       *stats;
  GError          *error;
  guint            n_progress;
  double           last;
} AsyncWait;

static void
on_async_progress (double   fraction,
                   gpointer user_data)
{
  AsyncWait *wait = user_data;

  g_assert_cmpfloat (fraction, >=, wait->last);
  wait->last = fraction;
  wait->n_progress++;
}

static void
on_query_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = wr_dataset_query_run_finish (WR_STORE (source), res, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
on_stats_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->stats = wr_dataset_compute_stats_finish (WR_STORE (source), res, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = import_large (fixture, 3 * WR_DATASET_QUERY_CHUNK);
  g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL, NULL, NULL, 0, 0 };

  wr_dataset_query_add_condition (query, 2, WR_DATASET_OP_EQUALS, "W07");
  wr_dataset_query_run_async (fixture->store, id, query, on_async_progress, &wait, NULL, NULL,
                              on_query_done, &wait);
  /* The caller may change its query at once: the call took a copy. */
  wr_dataset_query_clear_conditions (query);
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wr_dataset_result_get_n_rows (wait.result), ==, 3 * WR_DATASET_QUERY_CHUNK / 100);
  g_assert_cmpuint (wr_dataset_result_get_index (wait.result, 1), ==, 107);
  g_assert_cmpuint (wait.n_progress, >=, 3);
  g_assert_cmpfloat (wait.last, ==, 1.0);
  g_clear_pointer (&wait.result, wr_dataset_result_unref);

  wr_dataset_compute_stats_async (fixture->store, id, 2, NULL, NULL, NULL, NULL, on_stats_done, &wait);
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_cmpint (((WrColumnStats *) g_ptr_array_index (wait.stats, 0))->distinct, ==, 100);
  g_clear_pointer (&wait.stats, g_ptr_array_unref);
  g_main_loop_unref (wait.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dataset-query/sort-orders", Fixture, NULL, fixture_setup, test_sort_orders, fixture_teardown);
  g_test_add ("/dataset-query/filter-text", Fixture, NULL, fixture_setup, test_filter_text, fixture_teardown);
  g_test_add ("/dataset-query/filter-conditions", Fixture, NULL, fixture_setup, test_filter_conditions, fixture_teardown);
  g_test_add ("/dataset-query/stats", Fixture, NULL, fixture_setup, test_stats, fixture_teardown);
  g_test_add ("/dataset-query/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/dataset-query/read-pages", Fixture, NULL, fixture_setup, test_read_pages, fixture_teardown);
  g_test_add ("/dataset-query/async", Fixture, NULL, fixture_setup, test_async, fixture_teardown);

  return g_test_run ();
}
