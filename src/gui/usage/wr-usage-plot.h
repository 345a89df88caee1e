/* wr-usage-plot.h — the usage chart's data and painting, without a widget:
 * a stacked bar per day (today and the days before it), one colour per
 * model, a y axis in tokens with round ticks, a few dates and a legend.
 * WrUsageChart shows one; benchmarks and tests paint one to an image.
 *
 * Built from wr_billing_usage_by_day() rows; immutable afterwards except
 * for the geometry each draw remembers for hit tests. Main thread or any
 * single thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>
#include <pango/pango.h>

G_BEGIN_DECLS

typedef struct _WrUsagePlot WrUsagePlot;

typedef struct {
  GdkRGBA  foreground;   /* text and axes */
  gboolean dark;         /* picks the palette that reads on a dark background */
  int      hover_day;    /* -1 = none */
} WrUsagePlotStyle;

/* @rows: element-type WrUsageDay (nullable = none); rows outside the
 * @n_days days ending on @last_day are ignored. */
WrUsagePlot *wr_usage_plot_new               (GPtrArray   *rows,
                                              const GDate *last_day,
                                              guint        n_days);
void         wr_usage_plot_free              (WrUsagePlot *self);

guint        wr_usage_plot_get_n_days        (WrUsagePlot *self);
gboolean     wr_usage_plot_is_empty          (WrUsagePlot *self);
gint64       wr_usage_plot_get_total_tokens  (WrUsagePlot *self);
/* Input + output tokens of day @day (0 = the oldest). */
gint64       wr_usage_plot_get_day_tokens    (WrUsagePlot *self,
                                              guint        day);
/* Input + output tokens of @model over all the days. */
gint64       wr_usage_plot_get_model_tokens  (WrUsagePlot *self,
                                              const char  *model);
/* The model with the most tokens (transfer none; NULL when empty). */
const char  *wr_usage_plot_get_top_model     (WrUsagePlot *self);
/* The coloured series, largest first: models, and "Other" for the rest
 * when there are many. (transfer none) */
guint        wr_usage_plot_get_n_series      (WrUsagePlot *self);
const char  *wr_usage_plot_get_series_label  (WrUsagePlot *self,
                                              guint        series);

/* "Last 30 days: 12,400 tokens, most used gpt-4o-mini." (transfer full) */
char        *wr_usage_plot_dup_summary       (WrUsagePlot *self);

/* Paints into (0, 0, @width, @height) of @cr. @context: where text is laid
 * out (a widget's), or NULL for @cr's own. */
void         wr_usage_plot_draw              (WrUsagePlot            *self,
                                              cairo_t                *cr,
                                              PangoContext           *context,
                                              int                     width,
                                              int                     height,
                                              const WrUsagePlotStyle *style);
/* Which day (and series, -1 for none) is at (@x, @y), by the last draw.
 * FALSE when outside the bars' area. */
gboolean     wr_usage_plot_hit               (WrUsagePlot *self,
                                              double       x,
                                              double       y,
                                              int         *out_day,
                                              int         *out_series);
/* Pango markup for a tooltip on @day: the date, each model's tokens and
 * cost (@series in bold), the day's total. (transfer full) */
char        *wr_usage_plot_dup_tooltip       (WrUsagePlot *self,
                                              guint        day,
                                              int          series);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrUsagePlot, wr_usage_plot_free)

G_END_DECLS
