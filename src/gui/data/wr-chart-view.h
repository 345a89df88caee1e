/* wr-chart-view.h — a chart on screen: draws a WrChartSpec with
 * wr_chart_draw() in the light or dark style (following AdwStyleManager),
 * shows a tooltip for the point, bar or slice under the pointer, describes
 * the chart to screen readers, and offers Export… (PNG, SVG, PDF, written
 * in a worker thread) and, when the host handles it, Save as Artifact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "data/wr-chart.h"

G_BEGIN_DECLS

#define WR_TYPE_CHART_VIEW (wr_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (WrChartView, wr_chart_view, WR, CHART_VIEW, GtkWidget)

GtkWidget         *wr_chart_view_new               (void);
/* Takes ownership of @spec (nullable: empty). */
void               wr_chart_view_set_spec          (WrChartView *self,
                                                    WrChartSpec *spec);
const WrChartSpec *wr_chart_view_get_spec          (WrChartView *self);   /* nullable */
/* Whether the menu offers "Save as Artifact" (emits "save-artifact"
 * when chosen). Default FALSE. */
void               wr_chart_view_set_can_save      (WrChartView *self,
                                                    gboolean     can_save);

/* signals: "save-artifact" (void) */

G_END_DECLS
