/* wr-price-dialog.h — changing one model's price (per million input and
 * output tokens) and capabilities, or resetting them to the built-in ones.
 *
 * The pattern written is the model's exact name, so the change applies to
 * that model only and wins over the built-in patterns. Prices are parsed
 * exactly (no floating point); a bad entry is shown in the dialog and
 * nothing is saved. Saving runs in a worker thread; the dialog closes when
 * it is done and emits "saved". Models of local providers are free: only
 * their capabilities can be changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_PRICE_DIALOG (wr_price_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WrPriceDialog, wr_price_dialog, WR, PRICE_DIALOG, AdwWindow)

/* @price: the price row that applies to @info's model now (its pattern
 * and whether the user set it), as wr_price_table_match() gives it;
 * nullable. signals: "saved" (a change or a reset was stored) */
GtkWidget *wr_price_dialog_new (GtkWindow          *parent,
                                WrBilling          *billing,
                                WrModelInfo        *info,
                                const WrModelPrice *price);

G_END_DECLS
