/* usage-chart.c — what the Usage page costs: the query behind its chart
 * and painting the chart.
 *
 * On a fresh database in a temporary directory holding 100,000 usage rows
 * (8 models, 5 projects, spread over the last 35 days), prints one
 * "name: value unit" line per figure, the median of several runs:
 *   - wr_billing_usage_by_day() for 30 days, all projects and one project
 *     (what wr_billing_usage_by_day_async() runs in its worker thread);
 *   - building the chart's data from those rows (WrUsagePlot);
 *   - painting it with Cairo to a 760×280 image surface.
 * No display needed: text is laid out with PangoCairo's own font map.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "workroom.h"
#include "store/wr-store-db.h"
#include "wr-usage-plot.h"

#define N_ROWS     100000
#define N_PROJECTS 5
#define SPAN_DAYS  35
#define RUNS       9

static const char * const models[] = {
  "gpt-4o-mini", "gpt-4o", "claude-3-5-haiku", "claude-sonnet-4", "gemini-2.0-flash",
  "llama3.2:3b", "mistral-small", "o3-mini",
};

typedef struct {
  WrStore    *store;
  GPtrArray  *project_ids;
  gint64      now;
} Seed;

static gboolean
seed_tx (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  Seed *seed = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  sqlite3_stmt *stmt = _wr_store_prepare (seed->store,
                                          "INSERT INTO usage (id, project_id, model, provider_id, "
                                          "input_tokens, output_tokens, estimated, cost_micros, "
                                          "latency_ms, outcome, created_at, updated_at) "
                                          "VALUES (?1, ?2, ?3, 'bench', ?4, ?5, ?6, ?7, 900, 'ok', ?8, ?8)",
                                          error);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < N_ROWS; i++)
    {
      g_autofree char *id = g_strdup_printf ("bench-%06u", i);
      gint64 at = seed->now - (gint64) g_rand_int_range (rand, 0, SPAN_DAYS * 24 * 3600) * G_USEC_PER_SEC;
      int rc;

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (seed->project_ids, i % N_PROJECTS), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, models[g_rand_int_range (rand, 0, G_N_ELEMENTS (models))], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, g_rand_int_range (rand, 10, 4000));
      sqlite3_bind_int64 (stmt, 5, g_rand_int_range (rand, 10, 1500));
      sqlite3_bind_int (stmt, 6, i % 17 == 0);
      sqlite3_bind_int64 (stmt, 7, g_rand_int_range (rand, 0, 5000));
      sqlite3_bind_int64 (stmt, 8, at);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (seed->store, rc, error);
    }

  return TRUE;
}

static void
rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (dir);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values)
{
  qsort (values, RUNS, sizeof (double), compare_doubles);
  return values[RUNS / 2];
}

static double
time_query (WrBilling   *billing,
            const char  *project_id,
            guint       *out_rows)
{
  double ms[RUNS];

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gint64 start = g_get_monotonic_time ();

      rows = wr_billing_usage_by_day (billing, 30, project_id, &error);
      ms[run] = (g_get_monotonic_time () - start) / 1000.0;
      if (rows == NULL)
        g_error ("usage_by_day: %s", error->message);
      *out_rows = rows->len;
    }

  return median (ms);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-usage-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrBilling) billing = NULL;
  g_autoptr(GPtrArray) project_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  WrUsagePlotStyle style = { { 0.2, 0.2, 0.2, 1.0 }, FALSE, -1 };
  double build_ms[RUNS], draw_ms[RUNS];
  guint n_all = 0, n_one = 0;
  double all_ms, one_ms;
  Seed seed;
  GDate today;
  gint64 start;

  g_assert_no_error (error);
  path = g_build_filename (dir, "workroom.db", NULL);
  store = wr_store_open (path, &error);
  g_assert_no_error (error);
  billing = wr_billing_new (store);

  for (guint i = 0; i < N_PROJECTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Project %u", i + 1);
      g_autoptr(WrProject) project = wr_store_create_project (store, name, &error);

      g_assert_no_error (error);
      g_ptr_array_add (project_ids, g_strdup (wr_project_get_id (project)));
    }

  seed = (Seed) { store, project_ids, wr_now_usec () };
  start = g_get_monotonic_time ();
  if (!_wr_store_run_transaction (store, seed_tx, &seed, &error))
    g_error ("seeding: %s", error->message);
  printf ("usage seed (%d rows, one transaction): %.0f ms\n", N_ROWS,
          (g_get_monotonic_time () - start) / 1000.0);

  all_ms = time_query (billing, NULL, &n_all);
  one_ms = time_query (billing, g_ptr_array_index (project_ids, 0), &n_one);
  printf ("usage_by_day 30 days over %d rows, all projects (%u day×model rows): %.2f ms\n",
          N_ROWS, n_all, all_ms);
  printf ("usage_by_day 30 days over %d rows, one project (%u day×model rows): %.2f ms\n",
          N_ROWS, n_one, one_ms);

  rows = wr_billing_usage_by_day (billing, 30, NULL, &error);
  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));

  for (guint run = 0; run < RUNS; run++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 760, 280);
      cairo_t *cr = cairo_create (surface);
      g_autoptr(WrUsagePlot) plot = NULL;

      start = g_get_monotonic_time ();
      plot = wr_usage_plot_new (rows, &today, 30);
      build_ms[run] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (wr_usage_plot_get_n_series (plot), ==, 6);

      start = g_get_monotonic_time ();
      wr_usage_plot_draw (plot, cr, NULL, 760, 280, &style);
      cairo_surface_flush (surface);
      draw_ms[run] = (g_get_monotonic_time () - start) / 1000.0;

      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  printf ("usage chart data from %u rows: %.3f ms\n", rows->len, median (build_ms));
  printf ("usage chart draw 760x280 (Cairo image surface): %.2f ms\n", median (draw_ms));

  g_clear_object (&billing);
  g_clear_object (&store);
  rm_rf (dir);

  return 0;
}
