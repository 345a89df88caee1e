/* wr-price-editing-private.h — the price table calls the Models page and the price
 * dialog make, run in a worker thread (WrBilling blocks on SQLite).
 *
 * Private to the GUI's models folder. Callbacks run on the thread-default
 * main context of the caller. Every write goes through WrBilling, which
 * emits "changed" afterwards, so the model catalogue re-merges its prices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "workroom.h"

G_BEGIN_DECLS

/* What to change for one pattern (a model's exact name, for the dialog). */
typedef struct {
  char     *pattern;        /* owned */
  gboolean  reset;          /* back to the built-in price and capabilities;
                             * everything below is ignored */
  gboolean  set_price;      /* write input_micros and output_micros */
  gint64    input_micros;   /* per million tokens */
  gint64    output_micros;
  char     *capabilities;   /* owned, nullable: a comma list to store */
} WrPriceEdit;

WrPriceEdit  *_wr_price_edit_new          (const char           *pattern);
void          _wr_price_edit_free         (WrPriceEdit          *edit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrPriceEdit, _wr_price_edit_free)

/* Applies @edit (transfer full) in one worker: the price first, then the
 * capabilities. Fails with WR_BILLING_ERROR_INVALID for a price out of
 * range, or a database error. */
void          _wr_price_edit_apply_async  (WrBilling            *billing,
                                           WrPriceEdit          *edit,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      _wr_price_edit_apply_finish (WrBilling            *billing,
                                           GAsyncResult         *result,
                                           GError              **error);

/* wr_billing_load_price_table() in a worker. */
void          _wr_price_table_load_async  (WrBilling            *billing,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
WrPriceTable *_wr_price_table_load_finish (WrBilling            *billing,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
