/* billing-credits.c — how fast credits move, and what checking the ledger
 * costs.
 *
 * Prints one "name: value unit" line per figure, on a fresh database in a
 * temporary directory (single process, page cache warm):
 *   - reserve + settle pairs per second (two BEGIN IMMEDIATE transactions
 *     each, as a model call does);
 *   - top-ups per second;
 *   - wr_billing_verify_ledger() on the resulting ledger (SUM and running
 *     minimum over every row, in one snapshot);
 *   - check_quota and cost_micros, the per-call reads before a request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gstdio.h>

#include "store/wr-store.h"
#include "billing/wr-billing.h"

#define N_PAIRS   20000
#define N_TOPUPS  5000
#define N_CHECKS  5000
#define RUNS      5

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

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-billing-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrBilling) billing = NULL;
  gint64 start, sum = 0, min_prefix = 0;
  double verify_ms[RUNS];
  double seconds;

  g_assert_no_error (error);
  path = g_build_filename (dir, "workroom.db", NULL);
  store = wr_store_open (path, &error);
  g_assert_no_error (error);
  billing = wr_billing_new (store);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_TOPUPS; i++)
    if (!wr_billing_topup (billing, 1000000, NULL, &error))
      g_error ("topup: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  printf ("billing topups: %.0f ops/s\n", N_TOPUPS / seconds);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autofree char *id = NULL;
      gint64 amount = g_random_int_range (1, 20000);

      if (!wr_billing_reserve (billing, amount, "chat_usage", NULL, &id, &error) ||
          !wr_billing_settle (billing, id, g_random_int_range (0, 2 * amount), NULL, &error))
        g_error ("reserve/settle: %s", error->message);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  printf ("billing reserve+settle: %.0f pairs/s (%.1f us per pair)\n",
          N_PAIRS / seconds, seconds * 1e6 / N_PAIRS);

  for (guint r = 0; r < RUNS; r++)
    {
      start = g_get_monotonic_time ();
      if (!wr_billing_verify_ledger (billing, &sum, &min_prefix, &error))
        g_error ("verify: %s", error->message);
      verify_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (verify_ms, RUNS, sizeof verify_ms[0], (GCompareFunc) compare_doubles);
  {
    g_autoptr(GPtrArray) ledger = wr_billing_list_ledger (billing, 0, &error);

    g_assert_no_error (error);
    printf ("billing ledger verify (%u rows): %.2f ms\n", ledger->len, verify_ms[RUNS / 2]);
  }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CHECKS; i++)
    if (!wr_billing_check_quota (billing, 100, &error) && error->domain != WR_BILLING_ERROR)
      g_error ("quota: %s", error->message);
    else
      g_clear_error (&error);
  printf ("billing check_quota: %.1f us\n", (g_get_monotonic_time () - start) / (double) N_CHECKS);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CHECKS; i++)
    if (wr_billing_cost_micros (billing, "claude-3-5-sonnet-latest", 1000, 500, &error) < 0)
      g_error ("cost: %s", error->message);
  printf ("billing cost_micros: %.1f us\n", (g_get_monotonic_time () - start) / (double) N_CHECKS);

  g_clear_object (&billing);
  g_clear_object (&store);
  rm_rf (dir);

  return 0;
}
