/* wr-billing-private.h — what only the billing folder and its tests use. */
#pragma once

#include "wr-billing.h"

G_BEGIN_DECLS

/* Tests: a fixed clock (µs since the epoch) for usage, quota and ledger
 * times; 0 = the real clock. Set it before using @self from other threads. */
void    _wr_billing_set_now     (WrBilling *self,
                                 gint64     now_usec);

/* Local midnight @day_offset days from the day containing @usec (µs). */
gint64  _wr_billing_local_midnight (gint64  usec,
                                    int     day_offset);

/* wr-price-table.c: an empty table, and adding a copy of @price (built-in
 * ones first, in table order, then the user's). */
WrPriceTable *_wr_price_table_new (void);
void          _wr_price_table_add (WrPriceTable       *self,
                                   const WrModelPrice *price);

G_END_DECLS
