/* wr-ledger-item.c — one credit ledger row as a GObject.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-ledger-item.h"

struct _WrLedgerItem
{
  GObject        parent_instance;
  WrLedgerEntry *entry;   /* owned */
};

G_DEFINE_FINAL_TYPE (WrLedgerItem, wr_ledger_item, G_TYPE_OBJECT)

static void
wr_ledger_item_finalize (GObject *object)
{
  WrLedgerItem *self = WR_LEDGER_ITEM (object);

  g_clear_pointer (&self->entry, wr_ledger_entry_free);

  G_OBJECT_CLASS (wr_ledger_item_parent_class)->finalize (object);
}

static void
wr_ledger_item_class_init (WrLedgerItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wr_ledger_item_finalize;
}

static void
wr_ledger_item_init (WrLedgerItem *self)
{
}

WrLedgerItem *
wr_ledger_item_new (const WrLedgerEntry *entry)
{
  WrLedgerItem *self;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (WR_TYPE_LEDGER_ITEM, NULL);
  self->entry = wr_ledger_entry_copy (entry);

  return self;
}

const WrLedgerEntry *
wr_ledger_item_get_entry (WrLedgerItem *self)
{
  g_return_val_if_fail (WR_IS_LEDGER_ITEM (self), NULL);

  return self->entry;
}
