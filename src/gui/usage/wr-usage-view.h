/* wr-usage-view.h — the Usage page of a project: totals for the last 30
 * days (this project or all), a chart by day and model, today's tokens
 * against the daily limit, the credits balance with top-up and history,
 * and the plan. Reloads when shown and when billing reports a change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_USAGE_VIEW (wr_usage_view_get_type ())
G_DECLARE_FINAL_TYPE (WrUsageView, wr_usage_view, WR, USAGE_VIEW, AdwBin)

GtkWidget *wr_usage_view_new         (WrSession   *session);
/* The project "This project" means (NULL: none; all projects are shown). */
void       wr_usage_view_set_project (WrUsageView *self,
                                      WrProject   *project);
WrProject *wr_usage_view_get_project (WrUsageView *self);

G_END_DECLS
