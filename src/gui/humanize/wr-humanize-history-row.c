/* wr-humanize-history-row.c — a row of the recent rewrites list. */
#include <glib/gi18n.h>

#include "wr-humanize-history-row.h"

#define SUMMARY_CHARS 80

struct _WrHumanizeHistoryRow
{
  GtkWidget  parent_instance;

  /* template children */
  GtkLabel  *summary_label;
  GtkLabel  *caption_label;
  GtkWidget *delete_button;
};

G_DEFINE_FINAL_TYPE (WrHumanizeHistoryRow, wr_humanize_history_row, GTK_TYPE_WIDGET)

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("");

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    /* Translators: the time of a rewrite made today */
    return g_date_time_format (when, _("%H:%M"));

  /* Translators: the day of an older rewrite */
  return g_strstrip (g_date_time_format (when, _("%e %b")));
}

char *
wr_humanize_history_row_format_caption (WrHumanizeRewrite *rewrite)
{
  g_autofree char *when = format_time (wr_humanize_rewrite_get_created_at (rewrite));

  if (wr_humanize_rewrite_get_status (rewrite) == WR_MESSAGE_STATUS_PARTIAL)
    /* Translators: tone · time · a rewrite that was cut short */
    return g_strdup_printf (_("%s · %s · Partial"), wr_humanize_rewrite_get_tone_name (rewrite), when);

  /* Translators: tone · time */
  return g_strdup_printf (_("%s · %s"), wr_humanize_rewrite_get_tone_name (rewrite), when);
}

static void
wr_humanize_history_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), WR_TYPE_HUMANIZE_HISTORY_ROW);
  /* The unnamed box of the template too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (wr_humanize_history_row_parent_class)->dispose (object);
}

static void
wr_humanize_history_row_class_init (WrHumanizeHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_humanize_history_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/humanize/wr-humanize-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeHistoryRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeHistoryRow, caption_label);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeHistoryRow, delete_button);
}

static void
wr_humanize_history_row_init (WrHumanizeHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
}

GtkWidget *
wr_humanize_history_row_new (void)
{
  return g_object_new (WR_TYPE_HUMANIZE_HISTORY_ROW, NULL);
}

void
wr_humanize_history_row_bind (WrHumanizeHistoryRow *self,
                              WrHumanizeRewrite    *rewrite)
{
  g_autofree char *summary = NULL;
  g_autofree char *caption = NULL;

  g_return_if_fail (WR_IS_HUMANIZE_HISTORY_ROW (self));

  if (rewrite == NULL)
    {
      gtk_label_set_text (self->summary_label, "");
      gtk_label_set_text (self->caption_label, "");
      return;
    }

  summary = wr_humanize_rewrite_dup_summary (rewrite, SUMMARY_CHARS);
  caption = wr_humanize_history_row_format_caption (rewrite);
  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->caption_label, caption);
  /* The target first: an action that takes a string must never see the
   * button without one. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s",
                                    wr_humanize_rewrite_get_id (rewrite));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), "humanize.delete-rewrite");
}
