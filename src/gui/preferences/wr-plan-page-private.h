/* wr-plan-page-private.h — what tests of the plan page drive. */
#pragma once

#include "wr-plan-page.h"

G_BEGIN_DECLS

/* Reading the profile or writing it ("notify::busy"). */
gboolean   _wr_plan_page_get_busy        (WrPlanPage *self);
/* The check button choosing the plan @name. (transfer none) */
GtkWidget *_wr_plan_page_get_plan_button (WrPlanPage *self,
                                          const char *name);
/* "Use the plan's limit" and the own limit. (transfer none) */
GtkSwitch     *_wr_plan_page_get_use_plan_switch (WrPlanPage *self);
GtkSpinButton *_wr_plan_page_get_limit_spin      (WrPlanPage *self);

G_END_DECLS
