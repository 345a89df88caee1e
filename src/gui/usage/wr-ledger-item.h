/* wr-ledger-item.h — one credit ledger row as a GObject, for list models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_LEDGER_ITEM (wr_ledger_item_get_type ())
G_DECLARE_FINAL_TYPE (WrLedgerItem, wr_ledger_item, WR, LEDGER_ITEM, GObject)

/* Copies @entry. */
WrLedgerItem        *wr_ledger_item_new       (const WrLedgerEntry *entry);
/* (transfer none) */
const WrLedgerEntry *wr_ledger_item_get_entry (WrLedgerItem        *self);

G_END_DECLS
