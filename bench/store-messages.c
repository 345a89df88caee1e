/* store-messages.c — how fast a 10,000-message chat is written and opened.
 *
 * Target (issue): opening such a chat takes <= 100 ms. Prints one
 * "name: value" line per figure; times are wall-clock milliseconds on a
 * fresh database in a temporary directory (page cache warm).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gstdio.h>

#include "store/wr-store.h"

#define N_MESSAGES 10000
#define RUNS       7

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, (GCompareFunc) compare_doubles);
  return values[n / 2];
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
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

typedef struct {
  GMainLoop *loop;
  WrStore   *store;
  gint64     start;
  double     ms;
  guint      len;
} AsyncRun;

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = wr_store_list_messages_finish (run->store, result, &error);

  if (list == NULL)
    g_error ("list_messages_async: %s", error->message);

  run->ms = ms_since (run->start);
  run->len = list->len;
  g_main_loop_quit (run->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(WrStore) store = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *chat_id = NULL;
  double load[RUNS], async_load[RUNS], open_ms[RUNS];
  double insert_ms, single_ms;
  gint64 start;
  gsize bytes = 0;
  const guint n_single = 500;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "workroom.db", NULL);

  store = wr_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  project = wr_store_create_project (store, "Bench", &error);
  chat = wr_store_create_chat (store, wr_project_get_id (project), "Long chat", &error);
  if (chat == NULL)
    g_error ("%s", error->message);
  chat_id = g_strdup (wr_chat_get_id (chat));

  /* Realistic sizes: short questions, answers of a few hundred bytes to a
   * few kilobytes with markdown. */
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      WrMessage *m;

      if (i % 2 == 0)
        g_string_append_printf (text, "Question %u: how do I make the build faster?", i);
      else
        for (guint p = 0; p < 1 + (i % 13); p++)
          g_string_append_printf (text, "Paragraph %u of answer %u, with **bold**, `code` and "
                                  "a [link](https://example.org/%u). ", p, i, p);

      bytes += text->len;
      m = wr_message_new (i % 2 ? "assistant" : "user", text->str);
      wr_message_set_chat_id (m, chat_id);
      if (i % 2)
        {
          wr_message_set_model (m, "bench-model");
          wr_message_set_input_tokens (m, 100 + i);
          wr_message_set_output_tokens (m, 200 + i);
        }
      g_ptr_array_add (batch, m);
    }

  start = g_get_monotonic_time ();
  if (!wr_store_add_messages (store, batch, &error))
    g_error ("add_messages: %s", error->message);
  insert_ms = ms_since (start);

  /* One commit per message, as a chat writes them. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_single; i++)
    {
      g_autoptr(WrMessage) m = wr_message_new ("user", "One more question, committed on its own.");

      wr_message_set_chat_id (m, chat_id);
      if (!wr_store_add_message (store, m, &error))
        g_error ("add_message: %s", error->message);
    }
  single_ms = ms_since (start) / n_single;

  g_clear_object (&store);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(WrStore) fresh = NULL;
      g_autoptr(GPtrArray) list = NULL;

      start = g_get_monotonic_time ();
      fresh = wr_store_open (path, &error);
      if (fresh == NULL)
        g_error ("%s", error->message);
      open_ms[r] = ms_since (start);

      /* The first load on a fresh connection includes preparing statements. */
      start = g_get_monotonic_time ();
      list = wr_store_list_messages (fresh, chat_id, &error);
      if (list == NULL)
        g_error ("list_messages: %s", error->message);
      load[r] = ms_since (start);
      g_assert (list->len == N_MESSAGES + n_single);

      {
        AsyncRun run = { loop, fresh, g_get_monotonic_time (), 0, 0 };

        wr_store_list_messages_async (fresh, chat_id, NULL, list_done_cb, &run);
        g_main_loop_run (loop);
        async_load[r] = run.ms;
        g_assert (run.len == N_MESSAGES + n_single);
      }
    }

  printf ("messages: %u\n", N_MESSAGES);
  printf ("message_bytes_total: %" G_GSIZE_FORMAT "\n", bytes);
  printf ("insert_10k_messages_ms: %.1f\n", insert_ms);
  printf ("add_message_single_commit_ms: %.3f\n", single_ms);
  printf ("store_open_ms: %.1f\n", median (open_ms, RUNS));
  printf ("load_10k_messages_ms: %.1f\n", median (load, RUNS));
  printf ("load_10k_messages_worst_ms: %.1f\n", load[RUNS - 1]);
  printf ("list_messages_async_10k_ms: %.1f\n", median (async_load, RUNS));
  printf ("load_10k_target_ms: 100\n");

  rm_rf (dir);
  return 0;
}
