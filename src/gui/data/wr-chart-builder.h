/* wr-chart-builder.h — the Data page's chart of the selected dataset:
 * chart type, X, Y, Group and aggregate pickers over a WrChartView. The
 * spec is aggregated in a worker thread (cancelled when a choice
 * changes); "Save as Artifact" stores a chart artifact that refers to the
 * dataset rather than embedding its points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wr-session.h"
#include "data/wr-dataset.h"

G_BEGIN_DECLS

#define WR_TYPE_CHART_BUILDER (wr_chart_builder_get_type ())
G_DECLARE_FINAL_TYPE (WrChartBuilder, wr_chart_builder, WR, CHART_BUILDER, AdwBin)

GtkWidget *wr_chart_builder_new         (void);
/* Charts @info (copied; nullable: nothing) read through @session's
 * store. Setting the same dataset again keeps the choices and the chart. */
void       wr_chart_builder_set_dataset (WrChartBuilder      *self,
                                         WrSession           *session,
                                         const WrDatasetInfo *info);

G_END_DECLS
