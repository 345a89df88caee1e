/* wr-indexing-bar.c — see wr-indexing-bar.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-indexing-bar.h"

struct _WrIndexingBar
{
  GtkBox              parent_instance;
  WrKnowledgeIndexer *indexer;      /* owned, nullable */
  char               *project_id;
  GtkLabel           *label;
  GtkProgressBar     *progress;
  GtkButton          *cancel;
};

G_DEFINE_FINAL_TYPE (WrIndexingBar, wr_indexing_bar, GTK_TYPE_BOX)

static void
sync_bar (WrIndexingBar *self)
{
  gboolean ours = self->indexer != NULL && self->project_id != NULL &&
                  wr_knowledge_indexer_get_running (self->indexer) &&
                  g_strcmp0 (wr_knowledge_indexer_get_project_id (self->indexer), self->project_id) == 0;
  guint done, total;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), ours);
  if (!ours)
    return;

  done = wr_knowledge_indexer_get_done (self->indexer);
  total = wr_knowledge_indexer_get_total (self->indexer);
  if (total == 0)
    {
      text = g_strdup (_("Indexing documents for search…"));
      gtk_progress_bar_pulse (self->progress);
    }
  else
    {
      /* Translators: progress of indexing, e.g. "Indexing 120 of 400 passages…" */
      text = g_strdup_printf (_("Indexing %u of %u passages…"), done, total);
      gtk_progress_bar_set_fraction (self->progress, (double) done / total);
    }
  gtk_label_set_text (self->label, text);
}

static void
on_cancel_clicked_cb (WrIndexingBar *self)
{
  if (self->indexer != NULL)
    wr_knowledge_indexer_cancel (self->indexer);
}

static void
wr_indexing_bar_dispose (GObject *object)
{
  WrIndexingBar *self = WR_INDEXING_BAR (object);

  if (self->indexer != NULL)
    g_signal_handlers_disconnect_by_data (self->indexer, self);
  g_clear_object (&self->indexer);

  G_OBJECT_CLASS (wr_indexing_bar_parent_class)->dispose (object);
}

static void
wr_indexing_bar_finalize (GObject *object)
{
  g_free (WR_INDEXING_BAR (object)->project_id);

  G_OBJECT_CLASS (wr_indexing_bar_parent_class)->finalize (object);
}

static void
wr_indexing_bar_class_init (WrIndexingBarClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wr_indexing_bar_dispose;
  G_OBJECT_CLASS (klass)->finalize = wr_indexing_bar_finalize;
}

static void
wr_indexing_bar_init (WrIndexingBar *self)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_hexpand (column, TRUE);
  gtk_widget_set_valign (column, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (self->progress));
  gtk_box_append (GTK_BOX (self), column);

  self->cancel = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Stop Indexing")));
  gtk_widget_set_valign (GTK_WIDGET (self->cancel), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel),
                               _("Stop indexing; it continues where it stopped after the next import"));
  g_signal_connect_object (self->cancel, "clicked", G_CALLBACK (on_cancel_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->cancel));
}

GtkWidget *
wr_indexing_bar_new (void)
{
  return g_object_new (WR_TYPE_INDEXING_BAR, "orientation", GTK_ORIENTATION_HORIZONTAL, NULL);
}

void
wr_indexing_bar_set_project (WrIndexingBar      *self,
                             WrKnowledgeIndexer *indexer,
                             const char         *project_id)
{
  g_return_if_fail (WR_IS_INDEXING_BAR (self));
  g_return_if_fail (indexer == NULL || WR_IS_KNOWLEDGE_INDEXER (indexer));

  if (self->indexer != indexer)
    {
      if (self->indexer != NULL)
        g_signal_handlers_disconnect_by_data (self->indexer, self);
      g_set_object (&self->indexer, indexer);
      if (indexer != NULL)
        {
          g_signal_connect_object (indexer, "notify::running", G_CALLBACK (sync_bar), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (indexer, "notify::project-id", G_CALLBACK (sync_bar), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (indexer, "notify::done", G_CALLBACK (sync_bar), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (indexer, "notify::total", G_CALLBACK (sync_bar), self, G_CONNECT_SWAPPED);
        }
    }
  g_free (self->project_id);
  self->project_id = g_strdup (project_id);
  sync_bar (self);
}

const char *
_wr_indexing_bar_get_text (WrIndexingBar *self)
{
  g_return_val_if_fail (WR_IS_INDEXING_BAR (self), NULL);

  return gtk_label_get_text (self->label);
}
