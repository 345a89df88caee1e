/* wr-usage-chart.c — the usage chart widget: a WrUsagePlot painted with
 * Cairo in a snapshot, hover highlight and tooltips, an accessible
 * summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-usage-chart.h"
#include "wr-usage-chart-private.h"

#define DEFAULT_DAYS 30

struct _WrUsageChart
{
  GtkWidget    parent_instance;

  WrUsagePlot *plot;        /* owned */
  char        *summary;     /* owned */
  int          hover_day;   /* -1 = none */
};

G_DEFINE_FINAL_TYPE (WrUsageChart, wr_usage_chart, GTK_TYPE_WIDGET)

static void
get_style (WrUsageChart     *self,
           WrUsagePlotStyle *style)
{
  /* gtk_widget_get_color() only exists from GTK 4.10. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &style->foreground);
  G_GNUC_END_IGNORE_DEPRECATIONS
  style->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  style->hover_day = self->hover_day;
}

static void
set_hover_day (WrUsageChart *self,
               int           day)
{
  if (self->hover_day == day)
    return;

  self->hover_day = day;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion_cb (WrUsageChart *self,
              double        x,
              double        y)
{
  int day, series;

  if (wr_usage_plot_hit (self->plot, x, y, &day, &series))
    set_hover_day (self, day);
  else
    set_hover_day (self, -1);
}

static void
on_leave_cb (WrUsageChart *self)
{
  set_hover_day (self, -1);
}

static gboolean
wr_usage_chart_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  WrUsageChart *self = WR_USAGE_CHART (widget);
  g_autofree char *markup = NULL;
  int day, series;

  if (keyboard_mode || wr_usage_plot_is_empty (self->plot)
      || !wr_usage_plot_hit (self->plot, x, y, &day, &series))
    return FALSE;

  markup = wr_usage_plot_dup_tooltip (self->plot, day, series);
  gtk_tooltip_set_markup (tooltip, markup);

  return TRUE;
}

static void
wr_usage_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  WrUsageChart *self = WR_USAGE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  WrUsagePlotStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  wr_usage_plot_draw (self->plot, cr, gtk_widget_get_pango_context (widget), width, height, &style);
  cairo_destroy (cr);
}

static void
wr_usage_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    {
      *minimum = 200;
      *natural = 260;
    }
}

static void
update_summary (WrUsageChart *self)
{
  g_free (self->summary);
  self->summary = wr_usage_plot_dup_summary (self->plot);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

static void
wr_usage_chart_finalize (GObject *object)
{
  WrUsageChart *self = WR_USAGE_CHART (object);

  g_clear_pointer (&self->plot, wr_usage_plot_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (wr_usage_chart_parent_class)->finalize (object);
}

static void
wr_usage_chart_class_init (WrUsageChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = wr_usage_chart_finalize;
  widget_class->snapshot = wr_usage_chart_snapshot;
  widget_class->measure = wr_usage_chart_measure;
  widget_class->query_tooltip = wr_usage_chart_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "usagechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wr_usage_chart_init (WrUsageChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GDate today;

  self->hover_day = -1;
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  self->plot = wr_usage_plot_new (NULL, &today, DEFAULT_DAYS);

  g_signal_connect_object (motion, "enter", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  /* The palette follows the style; the foreground colour comes with CSS. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tokens by day and model"),
                                  -1);
  update_summary (self);
}

GtkWidget *
wr_usage_chart_new (void)
{
  return g_object_new (WR_TYPE_USAGE_CHART, NULL);
}

void
wr_usage_chart_set_usage (WrUsageChart *self,
                          GPtrArray    *rows,
                          guint         n_days)
{
  GDate today;

  g_return_if_fail (WR_IS_USAGE_CHART (self));
  g_return_if_fail (n_days > 0);

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));

  g_clear_pointer (&self->plot, wr_usage_plot_free);
  self->plot = wr_usage_plot_new (rows, &today, n_days);
  self->hover_day = -1;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
wr_usage_chart_is_empty (WrUsageChart *self)
{
  g_return_val_if_fail (WR_IS_USAGE_CHART (self), TRUE);

  return wr_usage_plot_is_empty (self->plot);
}

WrUsagePlot *
_wr_usage_chart_get_plot (WrUsageChart *self)
{
  g_return_val_if_fail (WR_IS_USAGE_CHART (self), NULL);

  return self->plot;
}

const char *
_wr_usage_chart_get_summary (WrUsageChart *self)
{
  g_return_val_if_fail (WR_IS_USAGE_CHART (self), NULL);

  return self->summary;
}

gboolean
_wr_usage_chart_write_png (WrUsageChart  *self,
                           const char    *path,
                           int            width,
                           int            height,
                           GError       **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  WrUsagePlotStyle style;
  cairo_t *cr;

  g_return_val_if_fail (WR_IS_USAGE_CHART (self), FALSE);

  get_style (self, &style);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  /* libadwaita's window background in each style. */
  if (style.dark)
    cairo_set_source_rgb (cr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
  else
    cairo_set_source_rgb (cr, 0xfa / 255.0, 0xfa / 255.0, 0xfa / 255.0);
  cairo_paint (cr);
  wr_usage_plot_draw (self->plot, cr, gtk_widget_get_pango_context (GTK_WIDGET (self)),
                      width, height, &style);
  cairo_destroy (cr);

  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s: %s",
                   path, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}
