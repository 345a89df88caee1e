/* wr-topup-dialog.h — "Add Credits": an amount (typed, exact, or a preset)
 * added to the credits balance in a worker thread. Wrong amounts are
 * explained under the entry; "topped-up" is emitted and the dialog closes
 * once the ledger holds the top-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_TOPUP_DIALOG (wr_topup_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WrTopupDialog, wr_topup_dialog, WR, TOPUP_DIALOG, AdwWindow)

/* Signal "topped-up" (gint64 amount in micro-credits). @balance: the
 * current balance to show, -1 when unknown. */
GtkWidget *wr_topup_dialog_new (GtkWindow *parent,      /* nullable */
                                WrBilling *billing,
                                gint64     balance);

G_END_DECLS
