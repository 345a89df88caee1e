/* wr-usage-view-private.h — what tests of the usage page look at. */
#pragma once

#include "wr-usage-view.h"
#include "wr-usage-chart.h"

G_BEGIN_DECLS

/* Whether anything is being loaded ("notify::loading"). */
gboolean      _wr_usage_view_get_loading     (WrUsageView   *self);
/* The totals shown; FALSE before the first load. */
gboolean      _wr_usage_view_get_totals      (WrUsageView   *self,
                                              WrUsageTotals *out_totals);
/* The balance shown, in micro-credits (-1 before the first load). */
gint64        _wr_usage_view_get_balance     (WrUsageView   *self);
/* "chart", "empty" or "loading". */
const char   *_wr_usage_view_get_chart_page  (WrUsageView   *self);
/* (transfer none) */
WrUsageChart *_wr_usage_view_get_chart       (WrUsageView   *self);
/* The "This project" / "All projects" drop-down (0 / 1). (transfer none) */
GtkDropDown  *_wr_usage_view_get_filter      (WrUsageView   *self);
/* The text of today's limit line. (transfer none) */
const char   *_wr_usage_view_get_quota_text  (WrUsageView   *self);
/* Opens the dialogs as their buttons do. (transfer none) */
GtkWidget    *_wr_usage_view_open_topup      (WrUsageView   *self);
GtkWidget    *_wr_usage_view_open_ledger     (WrUsageView   *self);

G_END_DECLS
