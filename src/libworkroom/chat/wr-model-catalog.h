/* wr-model-catalog.h — every model of every provider, in one GListModel of
 * WrModelInfo for model pickers, with prices (from the billing price table)
 * and capabilities (the user's, else a guess from the name).
 *
 * A refresh asks every provider for its models at once, each bounded by its
 * own timeout. What a provider lists is cached in the database; while a
 * provider cannot be reached, its cached models (and its default model)
 * stay in the catalogue as unavailable, with a short reason, instead of
 * failing the refresh. Items are grouped by provider (in the registry's
 * order), then sorted by name.
 *
 * Threading: used from the thread that created it (the GUI's or the CLI's
 * main loop); database work and the merge run in worker threads. The list
 * changes only when a refresh finishes, and when a provider is removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "billing/wr-billing.h"
#include "providers/wr-provider-registry.h"
#include "wr-model-info.h"

G_BEGIN_DECLS

#define WR_TYPE_MODEL_CATALOG (wr_model_catalog_get_type ())
G_DECLARE_FINAL_TYPE (WrModelCatalog, wr_model_catalog, WR, MODEL_CATALOG, GObject)

/* Implements GListModel (item type WrModelInfo). Empty until the first
 * refresh. properties: "refreshing" (a refresh runs), "refreshed-at" (µs,
 * 0 = never) */
WrModelCatalog *wr_model_catalog_new            (WrProviderRegistry  *providers,
                                                 WrBilling           *billing);

/* Lists every provider's models and replaces the items. Fails only when
 * cancelled (G_IO_ERROR_CANCELLED; the items stay as they were) or when
 * the database cannot be read; an unreachable provider is not an error.
 * Refreshes may overlap: the one started last wins. */
void            wr_model_catalog_refresh_async  (WrModelCatalog      *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        wr_model_catalog_refresh_finish (WrModelCatalog      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

gboolean        wr_model_catalog_get_refreshing   (WrModelCatalog *self);
gint64          wr_model_catalog_get_refreshed_at (WrModelCatalog *self);

/* @model of @provider_id; with @provider_id NULL, the first available item
 * with that name, else the first one. (transfer full, nullable) */
WrModelInfo    *wr_model_catalog_lookup          (WrModelCatalog *self,
                                                  const char     *model,
                                                  const char     *provider_id);
/* The first available model that can chat: the last step of the model
 * resolution (chat > project > profile > first available).
 * (transfer full, nullable) */
WrModelInfo    *wr_model_catalog_get_first_available (WrModelCatalog *self);

/* Why @provider_id's models could not be listed at the last refresh (short,
 * and a sentence saying what to do); FALSE when they were, or when it was
 * never asked. (transfer none) */
gboolean        wr_model_catalog_get_provider_problem (WrModelCatalog *self,
                                                       const char     *provider_id,
                                                       const char    **out_reason,
                                                       const char    **out_detail);

G_END_DECLS
