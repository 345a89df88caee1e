/* wr-failover-page-private.h — what tests of the Failover page look at. */
#pragma once

#include "wr-failover-page.h"
#include "wr-failover-chain-row.h"

G_BEGIN_DECLS

guint               _wr_failover_page_get_n_chain_rows (WrFailoverPage *self);
/* (transfer none) */
WrFailoverChainRow *_wr_failover_page_get_chain_row    (WrFailoverPage *self,
                                                        guint           index);
/* Whether typed changes are waiting for a pause to be saved. */
gboolean            _wr_failover_page_get_save_pending (WrFailoverPage *self);

GtkWidget          *_wr_failover_chain_row_get_pattern_row     (WrFailoverChainRow *self);
guint               _wr_failover_chain_row_get_n_fallback_rows (WrFailoverChainRow *self);
/* @which: "provider" (GtkDropDown), "model" (GtkEntry), "up", "down",
 * "remove" (GtkButton). (transfer none, nullable) */
GtkWidget          *_wr_failover_chain_row_get_fallback_widget (WrFailoverChainRow *self,
                                                                guint               index,
                                                                const char         *which);
GtkWidget          *_wr_failover_chain_row_get_add_button      (WrFailoverChainRow *self);
GtkWidget          *_wr_failover_chain_row_get_remove_button   (WrFailoverChainRow *self);

G_END_DECLS
