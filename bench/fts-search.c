/* fts-search.c — full-text search over 100,000 document chunks.
 *
 * Target (issue F3): search p95 <= 20 ms over 100,000 chunks. Imports 100
 * generated text documents of 1,000 paragraphs (~800 characters each, one
 * chunk per paragraph) through wr_document_import_file(), then runs 1,000
 * searches of 1-3 random words through wr_knowledge_search() (limit 20,
 * snippets and bm25 included). Words follow a Zipf distribution, like
 * prose; query words are drawn from ranks 50-5,000 (not the stopword-like
 * head). Prints one "name: value" line per figure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "docs/wr-document-import.h"
#include "docs/wr-knowledge-search.h"
#include "store/wr-store.h"

#define N_DOCUMENTS   100
#define N_PARAGRAPHS  1000
#define PARAGRAPH_LEN 800
#define N_WORDS       20000
#define N_SEARCHES    1000

static char   *words[N_WORDS];
static double  cumulative[N_WORDS];

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
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

/* Pronounceable made-up words, distinct by construction (the index is
 * spelled in syllables). */
static void
make_vocabulary (void)
{
  static const char *syllables[] = {
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da", "fu", "ga", "ho", "je", "pi", "zu",
    "tra", "sel", "mon", "dir",
  };
  double total = 0;

  for (guint i = 0; i < N_WORDS; i++)
    {
      GString *word = g_string_new (NULL);
      guint n = i + 1;

      while (n > 0)
        {
          g_string_append (word, syllables[n % G_N_ELEMENTS (syllables)]);
          n /= G_N_ELEMENTS (syllables);
        }
      words[i] = g_string_free (word, FALSE);
      total += 1.0 / (i + 1);
      cumulative[i] = total;
    }
  for (guint i = 0; i < N_WORDS; i++)
    cumulative[i] /= total;
}

static const char *
zipf_word (GRand *rand)
{
  double x = g_rand_double (rand);
  guint lo = 0;
  guint hi = N_WORDS - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }

  return words[lo];
}

static char *
make_document (GRand *rand,
               guint  number)
{
  GString *text = g_string_new (NULL);

  for (guint p = 0; p < N_PARAGRAPHS; p++)
    {
      gsize start = text->len;

      g_string_append_printf (text, "Part %u.%u.", number, p);
      while (text->len - start < PARAGRAPH_LEN)
        {
          g_string_append_c (text, ' ');
          g_string_append (text, zipf_word (rand));
          if (g_rand_int_range (rand, 0, 12) == 0)
            g_string_append_c (text, '.');
        }
      g_string_append (text, ".\n\n");
    }

  return g_string_free (text, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-fts-XXXXXX", &error);
  g_autofree char *db = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  double times[N_SEARCHES];
  gint64 start;
  double import_ms;
  guint64 total_hits = 0;
  guint empty = 0;

  g_assert_no_error (error);
  db = g_build_filename (dir, "workroom.db", NULL);
  store = wr_store_open (db, &error);
  g_assert_no_error (error);
  project = wr_store_create_project (store, "Bench", &error);
  g_assert_no_error (error);

  make_vocabulary ();

  start = g_get_monotonic_time ();
  for (guint d = 0; d < N_DOCUMENTS; d++)
    {
      g_autofree char *text = make_document (rand, d);
      g_autofree char *name = g_strdup_printf ("doc-%03u.txt", d);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
      if (!wr_document_import_file (store, wr_project_get_id (project), path, NULL, NULL, NULL, NULL, &error))
        g_error ("import: %s", error->message);
      g_remove (path);
    }
  import_ms = (g_get_monotonic_time () - start) / 1000.0;

  {
    g_autoptr(GPtrArray) docs = wr_document_list (store, wr_project_get_id (project), &error);
    gint64 chunks = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < docs->len; i++)
      chunks += ((WrDocumentInfo *) g_ptr_array_index (docs, i))->chunks;
    printf ("chunks: %" G_GINT64_FORMAT "\n", chunks);
    printf ("import_ms: %.0f\n", import_ms);
    printf ("import_chunks_per_s: %.0f\n", chunks / (import_ms / 1000.0));
  }

  /* Warm up the page cache and statement cache. */
  for (guint i = 0; i < 20; i++)
    g_ptr_array_unref (wr_knowledge_search (store, wr_project_get_id (project), words[100 + i], 20, NULL));

  for (guint i = 0; i < N_SEARCHES; i++)
    {
      g_autoptr(GString) query = g_string_new (NULL);
      g_autoptr(GPtrArray) hits = NULL;
      guint n = g_rand_int_range (rand, 1, 4);

      for (guint w = 0; w < n; w++)
        {
          if (w > 0)
            g_string_append_c (query, ' ');
          g_string_append (query, words[g_rand_int_range (rand, 50, 5000)]);
        }

      start = g_get_monotonic_time ();
      hits = wr_knowledge_search (store, wr_project_get_id (project), query->str, 20, &error);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      total_hits += hits->len;
      if (hits->len == 0)
        empty++;
    }

  qsort (times, N_SEARCHES, sizeof times[0], (GCompareFunc) compare_doubles);
  printf ("searches: %d\n", N_SEARCHES);
  printf ("search_p50_ms: %.2f\n", times[N_SEARCHES / 2]);
  printf ("search_p95_ms: %.2f\n", times[N_SEARCHES * 95 / 100]);
  printf ("search_max_ms: %.2f\n", times[N_SEARCHES - 1]);
  printf ("mean_hits: %.1f\n", (double) total_hits / N_SEARCHES);
  printf ("searches_without_hits: %u\n", empty);
  printf ("target_p95_ms: 20\n");

  /* The worst case: one of the most common words (matches most chunks). */
  {
    double common[21];

    for (guint i = 0; i < G_N_ELEMENTS (common); i++)
      {
        g_autoptr(GPtrArray) hits = NULL;

        start = g_get_monotonic_time ();
        hits = wr_knowledge_search (store, wr_project_get_id (project), words[i % 5], 20, &error);
        common[i] = (g_get_monotonic_time () - start) / 1000.0;
        g_assert_no_error (error);
      }
    qsort (common, G_N_ELEMENTS (common), sizeof common[0], (GCompareFunc) compare_doubles);
    printf ("search_top5_word_median_ms: %.2f\n", common[G_N_ELEMENTS (common) / 2]);
  }

  g_clear_object (&store);
  /* WR_BENCH_KEEP=1 keeps the database to study query plans. */
  if (g_getenv ("WR_BENCH_KEEP") != NULL)
    printf ("database: %s\n", db);
  else
    rm_rf (dir);
  for (guint i = 0; i < N_WORDS; i++)
    g_free (words[i]);

  return 0;
}
