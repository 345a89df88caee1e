/* wr-plan-page.h — Preferences › Plan & Limits: the plan (free, pro,
 * enterprise, each with its daily limit, models and features) and the
 * profile's own daily token limit. Changes are saved at once, in a worker
 * thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_PLAN_PAGE (wr_plan_page_get_type ())
G_DECLARE_FINAL_TYPE (WrPlanPage, wr_plan_page, WR, PLAN_PAGE, AdwPreferencesPage)

GtkWidget *wr_plan_page_new (WrSession *session);

G_END_DECLS
