/* wr-failover-chain-row.h — one failover chain on the Failover page: an
 * expander row titled with its model pattern and summarising its
 * fallbacks; expanded, it edits the pattern and the fallbacks (provider,
 * model, order) and offers to remove the chain.
 *
 * The row holds the chain as edited, valid or not, and as last saved; the
 * page validates it through WrFailoverPolicy, shows the outcome with
 * _set_error() and saves. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_FAILOVER_CHAIN_ROW (wr_failover_chain_row_get_type ())
G_DECLARE_FINAL_TYPE (WrFailoverChainRow, wr_failover_chain_row, WR, FAILOVER_CHAIN_ROW, AdwExpanderRow)

/* Signals: "changed" (gboolean typing: TRUE while text is being typed, so
 * saving can wait for a pause) after any edit; "remove" when the user asks
 * to remove the chain. */
/* @saved: the chain is in effect as given (it came from the router). */
GtkWidget              *wr_failover_chain_row_new         (WrProviderRegistry     *providers,   /* nullable */
                                                          const char             *pattern,
                                                          const WrFailoverTarget *targets,
                                                          guint                   n_targets,
                                                          gboolean                saved);
/* The pattern as typed (never NULL). */
const char             *wr_failover_chain_row_get_pattern (WrFailoverChainRow     *self);
/* The fallbacks as edited. (transfer none) */
const WrFailoverTarget *wr_failover_chain_row_get_targets (WrFailoverChainRow     *self,
                                                          guint                  *n_targets);
/* The chain as edited is now in effect. */
void                    wr_failover_chain_row_mark_saved  (WrFailoverChainRow     *self);
/* The chain as last in effect: its pattern (NULL: never saved, as a new
 * chain) and fallbacks. (transfer none) */
const char             *wr_failover_chain_row_get_saved   (WrFailoverChainRow     *self,
                                                          const WrFailoverTarget **targets,
                                                          guint                  *n_targets);
/* NULL clears it. */
void                    wr_failover_chain_row_set_error   (WrFailoverChainRow     *self,
                                                          const char             *message);
const char             *wr_failover_chain_row_get_error   (WrFailoverChainRow     *self);
/* Rebuilds the provider choices (after providers were added or removed). */
void                    wr_failover_chain_row_refresh     (WrFailoverChainRow     *self);
/* Expands the row and focuses the pattern. */
void                    wr_failover_chain_row_focus_pattern (WrFailoverChainRow   *self);

/* How a fallback's provider reads: a kind's label ("OpenAI"), a configured
 * provider's name, else the text itself. (transfer full) */
char                   *wr_failover_describe_provider     (WrProviderRegistry     *providers,   /* nullable */
                                                          const char             *provider);

G_END_DECLS
