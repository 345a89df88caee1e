/* wr-chart-builder-private.h — what tests of the chart builder look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-chart-builder.h"
#include "wr-chart-view.h"

G_BEGIN_DECLS

/* Chooses as the pickers would (@y and @group nullable: none). FALSE when
 * a column is not offered. */
gboolean     _wr_chart_builder_choose            (WrChartBuilder   *self,
                                                  WrChartType       type,
                                                  const char       *x,
                                                  const char       *y,
                                                  const char       *group,
                                                  WrChartAggregate  aggregate);
/* Whether a spec is being aggregated. */
gboolean     _wr_chart_builder_get_busy          (WrChartBuilder   *self);
WrChartView *_wr_chart_builder_get_chart_view    (WrChartBuilder   *self);
/* The message shown instead of a chart, NULL when a chart is shown. */
const char  *_wr_chart_builder_get_message       (WrChartBuilder   *self);
/* The id of the last artifact saved, NULL before. */
const char  *_wr_chart_builder_get_saved_id      (WrChartBuilder   *self);
/* The artifact content Save as Artifact stores now (transfer full). */
char        *_wr_chart_builder_dup_artifact_json (WrChartBuilder   *self);

G_END_DECLS
