/* wr-usage-chart.h — a stacked bar chart of token use: one bar per day for
 * the last days (empty days stay as empty slots), one colour per model
 * with a legend, a y axis in tokens, hover tooltips with each model's
 * tokens and cost, and an accessible summary. Follows the light or dark
 * style.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WR_TYPE_USAGE_CHART (wr_usage_chart_get_type ())
G_DECLARE_FINAL_TYPE (WrUsageChart, wr_usage_chart, WR, USAGE_CHART, GtkWidget)

GtkWidget *wr_usage_chart_new       (void);
/* @rows: element-type WrUsageDay, from wr_billing_usage_by_day() over
 * @n_days days (nullable: nothing used). The last day is today. */
void       wr_usage_chart_set_usage (WrUsageChart *self,
                                     GPtrArray    *rows,
                                     guint         n_days);
/* Whether nothing was used in the shown days. */
gboolean   wr_usage_chart_is_empty  (WrUsageChart *self);

G_END_DECLS
