/* wr-ledger-dialog.h — "Credit History": the credits ledger, newest first,
 * each row with its date, its reason in words and its signed amount.
 * Loads asynchronously and again whenever billing reports a change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_LEDGER_DIALOG (wr_ledger_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WrLedgerDialog, wr_ledger_dialog, WR, LEDGER_DIALOG, AdwWindow)

GtkWidget *wr_ledger_dialog_new (GtkWindow *parent,     /* nullable */
                                 WrBilling *billing);

G_END_DECLS
