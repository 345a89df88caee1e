/* wr-model-catalog-private.h — the catalogue's merge, for WrModelInfo, the
 * benchmark and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-model-catalog.h"

G_BEGIN_DECLS

WrModelInfo *_wr_model_info_new              (const char          *name,
                                              const char          *provider_id,
                                              const char          *provider_name,
                                              const char          *provider_kind,
                                              gboolean             local);
void         _wr_model_info_set_availability (WrModelInfo         *self,
                                              gboolean             available,
                                              const char          *reason,
                                              const char          *detail,
                                              gint64               listed_at);
void         _wr_model_info_set_price        (WrModelInfo         *self,
                                              const char          *pattern,
                                              gint64               input_price,
                                              gint64               output_price);
void         _wr_model_info_set_capabilities (WrModelInfo         *self,
                                              WrModelCapabilities  capabilities,
                                              gboolean             custom);

/* One provider as the merge sees it: copied from the WrProvider on the main
 * thread, so the merge can run in a worker. */
typedef struct {
  char      *provider_id;
  char      *provider_name;
  char      *provider_kind;
  char      *default_model;   /* nullable */
  gboolean   local;
  GPtrArray *listed;          /* element-type utf8; NULL when listing failed */
  char      *reason;          /* when listing failed: short */
  char      *detail;          /* when listing failed: what to do */
} WrCatalogSource;

WrCatalogSource *_wr_catalog_source_new  (const char *provider_id,
                                          const char *provider_name,
                                          const char *provider_kind,
                                          const char *default_model,
                                          gboolean    local);
void             _wr_catalog_source_free (WrCatalogSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrCatalogSource, _wr_catalog_source_free)

/* A model a provider listed before. */
typedef struct {
  char   *model;
  gint64  listed_at;
} WrCachedModel;

/* Merges @sources (element-type WrCatalogSource, in display order) with
 * @cache (provider id → GPtrArray of WrCachedModel; nullable) and @prices:
 * a listed provider's models are available; an unlisted one's cached models
 * and default model are not, with its reason. Duplicates within a provider
 * are dropped. @now: listed-at for what was listed. Any thread.
 * (transfer full, element-type WrModelInfo) */
GPtrArray   *_wr_model_catalog_merge         (GPtrArray           *sources,
                                              GHashTable          *cache,
                                              WrPriceTable        *prices,
                                              gint64               now);

/* The short reason shown for a provider whose listing failed with @error
 * (translated, transfer none). */
const char  *_wr_model_catalog_short_reason  (WrProvider          *provider,
                                              const GError        *error);

G_END_DECLS
