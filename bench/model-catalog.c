/* model-catalog.c — what the model catalogue costs beyond the network: the
 * merge of N = 500 listed models (5 cloud providers × 100) with the price
 * table (built-in prices plus 40 of the user's, 10 with capabilities), and
 * the one database read that loads that table.
 *
 * Prints one "name: value unit" line per figure (median of RUNS runs) on a
 * fresh database in a temporary directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gstdio.h>

#include "workroom.h"
#include "chat/wr-model-catalog-private.h"

#define N_PROVIDERS  5
#define N_PER        100
#define N_CUSTOM     40
#define RUNS         21

static const char *families[] = {
  "gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3-mini", "claude-3-5-sonnet", "claude-opus-4",
  "gemini-2.5-flash", "gemini-1.5-pro", "mistral-large", "llama3.1", "qwen2.5-vl", "text-embedding-3",
};

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

static GPtrArray *
make_sources (void)
{
  GPtrArray *sources = g_ptr_array_new_with_free_func ((GDestroyNotify) _wr_catalog_source_free);

  for (guint p = 0; p < N_PROVIDERS; p++)
    {
      g_autofree char *id = g_strdup_printf ("provider-%u", p);
      g_autofree char *name = g_strdup_printf ("Provider %u", p);
      WrCatalogSource *source = _wr_catalog_source_new (id, name, "openai", NULL, FALSE);

      source->listed = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < N_PER; i++)
        g_ptr_array_add (source->listed,
                         g_strdup_printf ("%s-%04u-preview", families[(p * N_PER + i) % G_N_ELEMENTS (families)],
                                          p * N_PER + i));
      g_ptr_array_add (sources, source);
    }

  return sources;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-catalog-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrBilling) billing = NULL;
  g_autoptr(GPtrArray) sources = make_sources ();
  double merge_ms[RUNS], load_ms[RUNS];
  guint merged = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "workroom.db", NULL);
  store = wr_store_open (path, &error);
  g_assert_no_error (error);
  billing = wr_billing_new (store);

  for (guint i = 0; i < N_CUSTOM; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("%s-%02u*", families[i % G_N_ELEMENTS (families)], i);

      if (!wr_billing_set_price (billing, pattern, 1000000 + i, 2000000 + i, &error) ||
          (i % 4 == 0 && !wr_billing_set_capabilities (billing, pattern, "chat,vision", &error)))
        g_error ("price: %s", error->message);
    }

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(WrPriceTable) table = NULL;
      g_autoptr(GPtrArray) items = NULL;
      gint64 start = g_get_monotonic_time ();

      table = wr_billing_load_price_table (billing, &error);
      if (table == NULL)
        g_error ("load: %s", error->message);
      load_ms[run] = (g_get_monotonic_time () - start) / 1000.0;

      start = g_get_monotonic_time ();
      items = _wr_model_catalog_merge (sources, NULL, table, g_get_real_time ());
      merge_ms[run] = (g_get_monotonic_time () - start) / 1000.0;
      merged = items->len;
    }

  g_assert_cmpuint (merged, ==, N_PROVIDERS * N_PER);
  qsort (merge_ms, RUNS, sizeof (double), compare_doubles);
  qsort (load_ms, RUNS, sizeof (double), compare_doubles);
  printf ("model catalog merge (%u models, price table + capabilities): %.2f ms\n",
          merged, merge_ms[RUNS / 2]);
  printf ("model catalog price table load (%u user rows): %.2f ms\n", N_CUSTOM, load_ms[RUNS / 2]);

  g_clear_object (&billing);
  g_clear_object (&store);
  rm_rf (dir);
  return 0;
}
