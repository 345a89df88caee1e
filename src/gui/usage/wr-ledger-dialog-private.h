/* wr-ledger-dialog-private.h — what tests of the ledger dialog look at. */
#pragma once

#include "wr-ledger-dialog.h"

G_BEGIN_DECLS

/* element-type WrLedgerItem, newest first. (transfer none) */
GListModel *_wr_ledger_dialog_get_entries (WrLedgerDialog *self);
/* "notify::loading" */
gboolean    _wr_ledger_dialog_get_loading (WrLedgerDialog *self);
/* The list widget showing the entries. (transfer none) */
GtkWidget  *_wr_ledger_dialog_get_list    (WrLedgerDialog *self);

G_END_DECLS
