/* wr-models-page-private.h — what tests of the Models page look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-models-page.h"
#include "wr-knowledge-models-group.h"

G_BEGIN_DECLS

/* The group of @provider_id, and the row of @model in it (transfer none,
 * nullable). */
AdwPreferencesGroup *_wr_models_page_find_group (WrModelsPage *self,
                                                 const char   *provider_id);
AdwActionRow        *_wr_models_page_find_row   (WrModelsPage *self,
                                                 const char   *provider_id,
                                                 const char   *model);
/* The model a row shows (transfer none). */
WrModelInfo         *_wr_models_page_row_get_info   (AdwActionRow *row);
/* Whether a row shows the "Custom" tag. */
gboolean             _wr_models_page_row_get_custom (AdwActionRow *row);
/* Reading the price table, or a refresh this page started, is running. */
gboolean             _wr_models_page_get_busy   (WrModelsPage *self);
/* The status row's title when shown (no providers, loading), else NULL. */
const char          *_wr_models_page_get_status (WrModelsPage *self);
/* The Knowledge Search group (search and image description models). */
WrKnowledgeModelsGroup *_wr_models_page_get_knowledge_group (WrModelsPage *self);

G_END_DECLS
