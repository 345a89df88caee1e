/* wr-usage-chart-private.h — what tests and benchmarks of the chart use. */
#pragma once

#include "wr-usage-chart.h"
#include "wr-usage-plot.h"

G_BEGIN_DECLS

/* The data shown (transfer none; replaced by set_usage). */
WrUsagePlot *_wr_usage_chart_get_plot   (WrUsageChart *self);
/* The accessible description last set. (transfer none) */
const char  *_wr_usage_chart_get_summary (WrUsageChart *self);
/* Paints the chart as the widget would, on an opaque background of the
 * current style, to a @width × @height PNG at @path. */
gboolean     _wr_usage_chart_write_png  (WrUsageChart *self,
                                         const char   *path,
                                         int           width,
                                         int           height,
                                         GError      **error);

G_END_DECLS
