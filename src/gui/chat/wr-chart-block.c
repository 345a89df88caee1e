/* wr-chart-block.c — ```chart blocks as charts (see wr-chart-block.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "wr-chart-block.h"
#include "wr-chart-view.h"
#include "wr-chat-view.h"
#include "wr-message-row.h"
#include "store/wr-artifact.h"

typedef struct {
  WrStore *store;
  char    *chat_id;
  char    *message_id;
  char    *name;
  GBytes  *json;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_clear_object (&job->store);
  g_free (job->chat_id);
  g_free (job->message_id);
  g_free (job->name);
  g_clear_pointer (&job->json, g_bytes_unref);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(WrArtifact) artifact = NULL;
  GError *error = NULL;

  chat = wr_store_get_chat (job->store, job->chat_id, &error);
  if (chat == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  artifact = wr_artifact_new (wr_chat_get_project_id (chat), WR_ARTIFACT_KIND_CHART, job->name);
  wr_artifact_set_chat_id (artifact, job->chat_id);
  wr_artifact_set_message_id (artifact, job->message_id);
  wr_artifact_set_mime_type (artifact, "application/json");
  if (!wr_store_create_artifact (job->store, artifact, job->json, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&artifact), g_object_unref);
}

static void
toast (GtkWidget  *widget,
       const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
on_save_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GtkWidget *block = GTK_WIDGET (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) artifact = g_task_propagate_pointer (G_TASK (result), &error);

  if (artifact == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not save the chart: %s"), error->message);
      toast (block, text);
      return;
    }
  g_object_set_data_full (G_OBJECT (block), "wr-saved-id", g_strdup (wr_artifact_get_id (artifact)), g_free);
  toast (block, _("Chart saved to Artifacts"));
}

static WrStore *
find_store (GtkWidget *block)
{
  WrStore *store = g_object_get_data (G_OBJECT (block), "wr-store");
  GtkWidget *chat_view;
  g_autoptr(WrSession) session = NULL;

  if (store != NULL)
    return store;
  chat_view = gtk_widget_get_ancestor (block, WR_TYPE_CHAT_VIEW);
  if (chat_view == NULL)
    return NULL;
  g_object_get (chat_view, "session", &session, NULL);
  return session != NULL ? wr_session_get_store (session) : NULL;   /* the session keeps it */
}

static void
on_save_artifact_cb (WrChartView *view)
{
  GtkWidget *block = GTK_WIDGET (view);
  GtkWidget *row = gtk_widget_get_ancestor (block, WR_TYPE_MESSAGE_ROW);
  WrMessage *message = row != NULL ? wr_message_row_get_message (WR_MESSAGE_ROW (row)) : NULL;
  WrStore *store = find_store (block);
  const WrChartSpec *spec = wr_chart_view_get_spec (view);
  g_autoptr(GTask) task = NULL;
  g_autofree char *json = NULL;
  SaveJob *job;

  if (message == NULL || store == NULL || spec == NULL)
    {
      toast (block, _("This chart is not part of a saved answer, so it cannot be saved. Export it instead."));
      return;
    }
  json = wr_chart_spec_to_json (spec);
  job = g_new0 (SaveJob, 1);
  job->store = g_object_ref (store);
  job->chat_id = g_strdup (wr_message_get_chat_id (message));
  job->message_id = g_strdup (wr_message_get_id (message));
  job->name = g_strdup (spec->title != NULL && *spec->title != '\0' ? spec->title : _("Chart from chat"));
  if (g_utf8_strlen (job->name, -1) > WR_ARTIFACT_MAX_NAME_CHARS)
    *g_utf8_offset_to_pointer (job->name, WR_ARTIFACT_MAX_NAME_CHARS) = '\0';
  job->json = g_bytes_new (json, strlen (json));
  /* The task keeps the view alive until the row is written; nothing to
   * cancel: the save is quick and should not be lost. */
  task = g_task_new (view, NULL, on_save_done, NULL);
  g_task_set_source_tag (task, on_save_artifact_cb);
  g_task_set_task_data (task, job, save_job_free);
  g_task_run_in_thread (task, save_thread);
}

/* Save as Artifact only where there is an answer to save it from (not,
 * say, in a report shown in the artifact viewer). */
static void
on_map_cb (GtkWidget *view)
{
  gboolean in_answer = gtk_widget_get_ancestor (view, WR_TYPE_MESSAGE_ROW) != NULL;

  wr_chart_view_set_can_save (WR_CHART_VIEW (view), in_answer);
}

GtkWidget *
_wr_chart_block_new (const char  *source,
                     GError     **error)
{
  WrChartSpec *spec;
  GtkWidget *view;

  g_return_val_if_fail (source != NULL, NULL);

  spec = wr_chart_spec_new_from_json (source, -1, error);
  if (spec == NULL)
    return NULL;
  view = wr_chart_view_new ();
  wr_chart_view_set_spec (WR_CHART_VIEW (view), spec);
  gtk_widget_set_size_request (view, -1, WR_CHART_BLOCK_HEIGHT);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_widget_add_css_class (view, "md-chart");
  g_signal_connect (view, "save-artifact", G_CALLBACK (on_save_artifact_cb), NULL);
  g_signal_connect (view, "map", G_CALLBACK (on_map_cb), NULL);
  return view;
}

void
_wr_chart_block_set_store (GtkWidget *block,
                           WrStore   *store)
{
  g_return_if_fail (WR_IS_CHART_VIEW (block));

  g_object_set_data_full (G_OBJECT (block), "wr-store", g_object_ref (store), g_object_unref);
}

const char *
_wr_chart_block_get_saved_id (GtkWidget *block)
{
  g_return_val_if_fail (WR_IS_CHART_VIEW (block), NULL);

  return g_object_get_data (G_OBJECT (block), "wr-saved-id");
}
