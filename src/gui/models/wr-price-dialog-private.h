/* wr-price-dialog-private.h — what tests of the price dialog use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-price-dialog.h"

G_BEGIN_DECLS

GtkEditable *_wr_price_dialog_get_input_row  (WrPriceDialog       *self);
GtkEditable *_wr_price_dialog_get_output_row (WrPriceDialog       *self);
/* The check button of one capability. */
GtkWidget   *_wr_price_dialog_get_check      (WrPriceDialog       *self,
                                              WrModelCapabilities  capability);
GtkWidget   *_wr_price_dialog_get_reset_button (WrPriceDialog     *self);
/* The Save and Reset actions, as the buttons run them. */
void         _wr_price_dialog_save           (WrPriceDialog       *self);
void         _wr_price_dialog_reset          (WrPriceDialog       *self);
/* The message shown under the prices or the capabilities (NULL: none). */
const char  *_wr_price_dialog_get_error      (WrPriceDialog       *self);
gboolean     _wr_price_dialog_get_busy       (WrPriceDialog       *self);

G_END_DECLS
