/* bench-chat-open.c — opening a 10,000-message chat in the Chat page: from
 * wr_chat_view_set_project() until the last message is bound to a row of
 * the list (the target: ≤ 100 ms). Needs a display (run it under
 * xvfb-run; ./workroom.sh bench does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "workroom.h"
#include "wr-chat-view.h"
#include "wr-chat-view-private.h"
#include "wr-message-row.h"

#define N_MESSAGES 10000
#define RUNS 7

static gboolean
has_row_for (GtkWidget *widget,
             WrMessage *message)
{
  if (WR_IS_MESSAGE_ROW (widget) && wr_message_row_get_message (WR_MESSAGE_ROW (widget)) == message)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_row_for (child, message))
      return TRUE;

  return FALSE;
}

static gboolean
shown (WrChatView *view)
{
  GListModel *messages = _wr_chat_view_get_messages (view);
  guint n = g_list_model_get_n_items (messages);
  g_autoptr(WrMessage) last = NULL;

  if (_wr_chat_view_get_loading (view) || _wr_chat_view_get_n_loaded_messages (view) != N_MESSAGES || n == 0)
    return FALSE;

  last = g_list_model_get_item (messages, n - 1);
  return has_row_for (_wr_chat_view_get_message_list (view), last);
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrSession) session = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-chat-XXXXXX", NULL);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  double times[RUNS];

  if (!gtk_init_check ())
    {
      g_printerr ("bench-chat-open needs a display (run it with xvfb-run)\n");
      return 77;
    }
  adw_init ();

  session = wr_session_new (dir, NULL, &error);
  g_assert_no_error (error);
  project = wr_store_create_project (wr_session_get_store (session), "Bench", &error);
  g_assert_no_error (error);
  chat = wr_store_create_chat (wr_session_get_store (session), wr_project_get_id (project), "Big", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *text = (i % 2 == 0)
        ? g_strdup_printf ("Question %u: how do I *do* this?", i)
        : g_strdup_printf ("Answer %u.\n\n- one\n- two\n\n```sh\nmake %u\n```\n", i, i);
      WrMessage *message = wr_message_new (i % 2 == 0 ? "user" : "assistant", text);

      wr_message_set_chat_id (message, wr_chat_get_id (chat));
      g_ptr_array_add (messages, message);
    }
  if (!wr_store_add_messages (wr_session_get_store (session), messages, &error))
    g_error ("%s", error->message);

  for (guint run = 0; run < RUNS; run++)
    {
      GtkWidget *window = gtk_window_new ();
      WrChatView *view = WR_CHAT_VIEW (wr_chat_view_new (session));
      gint64 start, deadline;

      gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
      gtk_window_present (GTK_WINDOW (window));
      spin (200);

      start = g_get_monotonic_time ();
      deadline = start + 10 * G_USEC_PER_SEC;
      wr_chat_view_set_project (view, project);
      while (!shown (view) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      times[run] = (g_get_monotonic_time () - start) / 1000.0;

      gtk_window_destroy (GTK_WINDOW (window));
      spin (50);
    }

  qsort (times, RUNS, sizeof (double), compare_double);
  printf ("chat_open_10k_messages_median_ms: %.1f\n", times[RUNS / 2]);
  printf ("chat_open_10k_messages_worst_ms: %.1f\n", times[RUNS - 1]);
  printf ("chat_open_10k_target_ms: 100\n");

  g_clear_object (&chat);
  g_clear_object (&project);
  g_clear_object (&session);
  if (system (rm) != 0)
    g_printerr ("could not remove %s\n", dir);

  return 0;
}
