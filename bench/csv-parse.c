/* csv-parse.c — CSV reading throughput, and importing into the store.
 *
 * Target (issue F3): the reader parses >= 100 MB/s. Prints one
 * "name: value" line per figure: the reader alone over a generated file
 * (median of 3 runs, page cache warm), then the full import into a fresh
 * SQLite database (rows/s and peak RSS). WR_BENCH_CSV_MB sets the file's
 * size (default 100).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <glib/gstdio.h>

#include "data/wr-csv-reader.h"
#include "data/wr-dataset.h"

#define RUNS 3

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* CPU time of this process: on a loaded machine wall-clock throughput
 * measures the other processes too. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gboolean
count_cb (const char * const *fields,
          guint               n_fields,
          guint64             record,
          gpointer            user_data,
          GError            **error)
{
  *(guint64 *) user_data += n_fields;
  return TRUE;
}

static guint64
write_csv (const char *path,
           gsize       bytes)
{
  FILE *file = fopen (path, "w");
  gsize written = 0;
  guint64 rows = 0;

  g_assert (file != NULL);
  written += fprintf (file, "id,customer,amount,date,paid,note\n");
  for (guint64 i = 0; written < bytes; i++, rows++)
    written += fprintf (file, "%" G_GUINT64_FORMAT ",Customer %" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                        ".%02u,2024-%02u-%02u,%s,\"Order %" G_GUINT64_FORMAT ", \"\"express\"\"\nsecond line\"\n",
                        i, i % 50000, i % 100000, (guint) (i % 100), (guint) (i % 12) + 1,
                        (guint) (i % 28) + 1, i % 3 ? "true" : "false", i);
  fclose (file);
  return rows;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-csv-XXXXXX", &error);
  g_autofree char *csv = NULL;
  g_autofree char *db = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autofree char *id = NULL;
  const char *mb_env = g_getenv ("WR_BENCH_CSV_MB");
  gsize mb = mb_env != NULL ? (gsize) g_ascii_strtoull (mb_env, NULL, 10) : 100;
  double mbps[RUNS];
  double cpu_mbps[RUNS];
  guint64 rows, fields = 0;
  gint64 start;
  double import_s;
  struct rusage usage;

  g_assert_no_error (error);
  csv = g_build_filename (dir, "bench.csv", NULL);
  db = g_build_filename (dir, "workroom.db", NULL);
  rows = write_csv (csv, mb * 1024 * 1024);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();

      double cpu_start;
      double file_mb;

      fields = 0;
      start = g_get_monotonic_time ();
      cpu_start = cpu_seconds ();
      if (!wr_csv_reader_read_file (reader, csv, count_cb, &fields, NULL, &error))
        g_error ("%s", error->message);
      file_mb = (double) wr_csv_reader_get_bytes_read (reader) / (1024.0 * 1024.0);
      cpu_mbps[r] = file_mb / (cpu_seconds () - cpu_start);
      mbps[r] = file_mb / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    }
  qsort (mbps, RUNS, sizeof *mbps, (GCompareFunc) compare_doubles);
  qsort (cpu_mbps, RUNS, sizeof *cpu_mbps, (GCompareFunc) compare_doubles);

  store = wr_store_open (db, &error);
  g_assert_no_error (error);
  project = wr_store_create_project (store, "Bench", &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  if (!wr_dataset_import_csv (store, wr_project_get_id (project), csv, NULL, NULL, NULL, &id, &error))
    g_error ("%s", error->message);
  import_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  getrusage (RUSAGE_SELF, &usage);

  printf ("csv_mb: %" G_GSIZE_FORMAT "\n", mb);
  printf ("csv_rows: %" G_GUINT64_FORMAT "\n", rows);
  printf ("csv_fields: %" G_GUINT64_FORMAT "\n", fields);
  printf ("reader_mb_per_s: %.1f\n", mbps[RUNS / 2]);
  printf ("reader_mb_per_s_worst: %.1f\n", mbps[0]);
  printf ("reader_cpu_mb_per_s: %.1f\n", cpu_mbps[RUNS / 2]);
  printf ("import_s: %.2f\n", import_s);
  printf ("import_rows_per_s: %.0f\n", rows / import_s);
  printf ("import_mb_per_s: %.1f\n", mb / import_s);
  printf ("peak_rss_mb: %ld\n", usage.ru_maxrss / 1024);

  g_unlink (csv);
  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
