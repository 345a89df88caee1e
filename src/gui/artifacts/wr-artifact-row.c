/* wr-artifact-row.c — one artifact in the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-artifact-row.h"

struct _WrArtifactRow
{
  GtkWidget   parent_instance;

  WrArtifact *artifact;   /* owned, nullable */

  /* template children */
  GtkImage   *icon;
  GtkLabel   *name_label;
  GtkLabel   *detail_label;
};

G_DEFINE_FINAL_TYPE (WrArtifactRow, wr_artifact_row, GTK_TYPE_WIDGET)

static void
update (WrArtifactRow *self)
{
  WrArtifactKind kind;
  g_autofree char *date = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *accessible = NULL;

  if (self->artifact == NULL)
    return;

  kind = wr_artifact_get_kind (self->artifact);
  date = wr_artifact_format_date (wr_artifact_get_created_at (self->artifact), 0);
  /* Translators: under an artifact's name, "Report · Today 14:02" */
  detail = g_strdup_printf (_("%s · %s"), wr_artifact_kind_get_label (kind), date);

  gtk_image_set_from_icon_name (self->icon, wr_artifact_kind_get_icon_name (kind));
  gtk_label_set_text (self->name_label, wr_artifact_get_name (self->artifact));
  gtk_label_set_text (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), wr_artifact_get_name (self->artifact));

  /* Translators: what a screen reader says for a row, "Sales report, Report · Today 14:02" */
  accessible = g_strdup_printf (_("%s, %s"), wr_artifact_get_name (self->artifact), detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
wr_artifact_row_dispose (GObject *object)
{
  WrArtifactRow *self = WR_ARTIFACT_ROW (object);
  GtkWidget *child;

  wr_artifact_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_ARTIFACT_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (wr_artifact_row_parent_class)->dispose (object);
}

static void
wr_artifact_row_class_init (WrArtifactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_artifact_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "artifact-row");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/artifacts/wr-artifact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WrArtifactRow, icon);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactRow, detail_label);
}

static void
wr_artifact_row_init (WrArtifactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wr_artifact_row_new (void)
{
  return g_object_new (WR_TYPE_ARTIFACT_ROW, NULL);
}

void
wr_artifact_row_bind (WrArtifactRow *self,
                      WrArtifact    *artifact)
{
  g_return_if_fail (WR_IS_ARTIFACT_ROW (self));
  g_return_if_fail (WR_IS_ARTIFACT (artifact));

  wr_artifact_row_unbind (self);
  self->artifact = g_object_ref (artifact);
  /* A rename elsewhere updates the row in place. */
  g_signal_connect_object (artifact, "notify::name", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

void
wr_artifact_row_unbind (WrArtifactRow *self)
{
  g_return_if_fail (WR_IS_ARTIFACT_ROW (self));

  if (self->artifact != NULL)
    g_signal_handlers_disconnect_by_data (self->artifact, self);
  g_clear_object (&self->artifact);
}

WrArtifact *
wr_artifact_row_get_artifact (WrArtifactRow *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT_ROW (self), NULL);
  return self->artifact;
}

const char *
wr_artifact_kind_get_icon_name (WrArtifactKind kind)
{
  switch (kind)
    {
    case WR_ARTIFACT_KIND_REPORT:  return "x-office-document-symbolic";
    case WR_ARTIFACT_KIND_TABLE:   return "x-office-spreadsheet-symbolic";
    case WR_ARTIFACT_KIND_CHART:   return "x-office-presentation-symbolic";
    case WR_ARTIFACT_KIND_IMAGE:   return "image-x-generic-symbolic";
    case WR_ARTIFACT_KIND_HTML:    return "web-browser-symbolic";
    case WR_ARTIFACT_KIND_MERMAID: return "x-office-drawing-symbolic";
    case WR_ARTIFACT_KIND_FILE:
    default:                       return "text-x-generic-symbolic";
    }
}

char *
wr_artifact_format_date (gint64 usec,
                         gint64 now_usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = now_usec > 0 ? g_date_time_new_from_unix_local (now_usec / G_USEC_PER_SEC)
                                          : g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = NULL;
  g_autofree char *time = NULL;
  int y, m, d, ny, nm, nd;

  if (when == NULL || now == NULL)
    return g_strdup ("");

  g_date_time_get_ymd (when, &y, &m, &d);
  g_date_time_get_ymd (now, &ny, &nm, &nd);
  time = g_date_time_format (when, "%H:%M");
  if (y == ny && m == nm && d == nd)
    /* Translators: when an artifact was made today, "Today 14:02" */
    return g_strdup_printf (_("Today %s"), time);

  yesterday = g_date_time_add_days (now, -1);
  g_date_time_get_ymd (yesterday, &ny, &nm, &nd);
  if (y == ny && m == nm && d == nd)
    /* Translators: when an artifact was made yesterday, "Yesterday 09:10" */
    return g_strdup_printf (_("Yesterday %s"), time);

  if (y == g_date_time_get_year (now))
    /* Translators: a date this year, strftime format: "3 March" */
    return g_date_time_format (when, _("%-d %B"));
  /* Translators: a date of another year, strftime format: "3 March 2024" */
  return g_date_time_format (when, _("%-d %B %Y"));
}
