/* dataset-query.c — sorting, filtering and column statistics at a million
 * rows (data/wr-dataset-query.h).
 *
 * Targets (issue F3): a sort ≤ 3 s and a page read (what scrolling a
 * sorted table costs) p95 ≤ 16 ms, at 1,000,000 rows × 10 columns. Builds
 * that dataset (numbers, integers, dates, booleans, text) in a fresh
 * store, then prints one "name: value" line per figure (wall-clock):
 * import, sorts by a number and a text column, filters keeping about 1 %
 * and 50 % of the rows, statistics of every column, page reads of
 * WR_DATASET_ROWS_PAGE rows at random offsets of the sorted result, the
 * cost of text sort keys (casefold as used vs g_utf8_collate_key), and
 * peak RSS. WR_BENCH_ROWS sets the row count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "data/wr-dataset.h"
#include "data/wr-dataset-query.h"

#define PAGE       500   /* WR_DATASET_ROWS_PAGE of the GUI's rows model */
#define PAGE_READS 200

static const char *words[] = {
  "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
  "kestrel", "lumen", "maple", "nectar", "onyx", "prairie", "quartz", "raven", "sierra", "tundra",
};

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
write_csv (const char *path,
           guint       n_rows)
{
  FILE *file = fopen (path, "w");
  GRand *rand = g_rand_new_with_seed (42);

  g_assert_nonnull (file);
  fputs ("id,amount,qty,score,day,city,name,category,active,note\n", file);
  for (guint i = 0; i < n_rows; i++)
    {
      guint day = g_rand_int_range (rand, 0, 3650);
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, G_DATE_JANUARY, 2015);
      g_date_add_days (&date, day);
      fprintf (file, "%u,%.2f,%d,%.4f,%04d-%02d-%02d,City %03d,%s %s %u,%s,%s,%s\n",
               i,
               g_rand_double_range (rand, -1000, 100000),
               g_rand_int_range (rand, 0, 1000),
               g_rand_double (rand),
               g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
               g_rand_int_range (rand, 0, 100),
               words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
               words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
               g_rand_int_range (rand, 0, 100000),
               words[g_rand_int_range (rand, 0, 10)],
               g_rand_boolean (rand) ? "yes" : "no",
               i % 7 == 0 ? "" : words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  fclose (file);
  g_rand_free (rand);
}

static WrDatasetResult *
timed_query (WrStore        *store,
             const char     *id,
             WrDatasetQuery *query,
             const char     *label)
{
  g_autoptr(GError) error = NULL;
  double start = now_s ();
  WrDatasetResult *result = wr_dataset_query_run (store, id, query, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  printf ("%s: %.2f s (%u rows)\n", label, now_s () - start, wr_dataset_result_get_n_rows (result));
  fflush (stdout);
  return result;
}

int
main (int   argc,
      char *argv[])
{
  const char *rows_env = g_getenv ("WR_BENCH_ROWS");
  guint n_rows = rows_env != NULL ? (guint) g_ascii_strtoull (rows_env, NULL, 10) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-dataset-query-XXXXXX", &error);
  g_autofree char *db = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *id = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrDatasetResult) by_amount = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double start;

  g_assert_no_error (error);
  db = g_build_filename (dir, "workroom.db", NULL);
  csv = g_build_filename (dir, "data.csv", NULL);
  printf ("rows: %u × 10 columns\n", n_rows);

  start = now_s ();
  write_csv (csv, n_rows);
  printf ("generate csv: %.2f s\n", now_s () - start);

  store = wr_store_open (db, &error);
  g_assert_no_error (error);
  project = wr_store_create_project (store, "Bench", &error);
  g_assert_no_error (error);
  start = now_s ();
  g_assert_true (wr_dataset_import_csv (store, wr_project_get_id (project), csv, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  printf ("import: %.2f s\n", now_s () - start);
  g_unlink (csv);
  printf ("peak rss after import: %ld MB\n", peak_rss_kb () / 1024);
  fflush (stdout);

  {
    g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();
    g_autoptr(WrDatasetResult) result = NULL;

    result = timed_query (store, id, query, "scan, no sort or filter");
    wr_dataset_query_set_sort (query, 1, FALSE);
    by_amount = timed_query (store, id, query, "sort by number (amount)");
    wr_dataset_query_set_sort (query, 4, TRUE);
    g_clear_pointer (&result, wr_dataset_result_unref);
    result = timed_query (store, id, query, "sort by date (day, descending)");
    wr_dataset_query_set_sort (query, 6, FALSE);
    g_clear_pointer (&result, wr_dataset_result_unref);
    result = timed_query (store, id, query, "sort by text (name)");

    wr_dataset_query_set_sort (query, -1, FALSE);
    wr_dataset_query_set_text (query, "city 042");
    g_clear_pointer (&result, wr_dataset_result_unref);
    result = timed_query (store, id, query, "filter text in any column, ~1 %");
    wr_dataset_query_set_text (query, NULL);
    wr_dataset_query_add_condition (query, 2, WR_DATASET_OP_LESS, "500");
    g_clear_pointer (&result, wr_dataset_result_unref);
    result = timed_query (store, id, query, "filter qty < 500, ~50 %");
    wr_dataset_query_set_sort (query, 1, TRUE);
    g_clear_pointer (&result, wr_dataset_result_unref);
    result = timed_query (store, id, query, "filter ~50 % + sort by number");
  }
  printf ("peak rss after queries: %ld MB\n", peak_rss_kb () / 1024);

  start = now_s ();
  stats = wr_dataset_compute_stats (store, id, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  printf ("stats, all 10 columns: %.2f s\n", now_s () - start);
  g_clear_pointer (&stats, g_ptr_array_unref);
  start = now_s ();
  stats = wr_dataset_compute_stats (store, id, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  printf ("stats, one number column: %.2f s\n", now_s () - start);
  printf ("peak rss after stats: %ld MB\n", peak_rss_kb () / 1024);
  fflush (stdout);

  for (guint i = 0; i < PAGE_READS; i++)
    {
      guint offset = g_rand_int_range (rand, 0, (gint32) MAX (n_rows - PAGE, 1));
      g_autoptr(JsonArray) page = NULL;
      double ms;

      start = now_s ();
      page = wr_dataset_result_read_rows (store, id, by_amount, offset, PAGE, 10, &error);
      g_assert_no_error (error);
      ms = (now_s () - start) * 1000;
      g_array_append_val (latencies, ms);
    }
  g_array_sort (latencies, compare_doubles);
  printf ("page read (%d rows, random offset, sorted by amount): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
          PAGE, g_array_index (latencies, double, PAGE_READS / 2),
          g_array_index (latencies, double, PAGE_READS * 95 / 100),
          g_array_index (latencies, double, PAGE_READS - 1));

  /* Text sort keys: what the library does vs the locale's collation. */
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    guint n = MIN (n_rows, 1000000);
    double fold_s, collate_s;

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (names, g_strdup_printf ("%s %s %u", words[i % 20], words[(i * 7) % 20], i % 100000));
    start = now_s ();
    for (guint i = 0; i < n; i++)
      {
        const char *s = g_ptr_array_index (names, i);
        char buf[64];
        gsize j;

        for (j = 0; s[j] != '\0' && j < sizeof buf - 1; j++)
          buf[j] = g_ascii_tolower (s[j]);
        buf[j] = '\0';
        g_assert (buf[0] != '\0');
      }
    fold_s = now_s () - start;
    start = now_s ();
    for (guint i = 0; i < n; i++)
      g_free (g_utf8_collate_key (g_ptr_array_index (names, i), -1));
    collate_s = now_s () - start;
    printf ("text keys for %u values: casefold %.3f s, g_utf8_collate_key %.3f s\n", n, fold_s, collate_s);
  }

  printf ("peak rss: %ld MB\n", peak_rss_kb () / 1024);

  g_clear_object (&project);
  g_clear_object (&store);
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
  return 0;
}
