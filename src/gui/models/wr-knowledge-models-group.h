/* wr-knowledge-models-group.h — Preferences › Models › Knowledge Search:
 * the search (embeddings) model and the image description (vision) model,
 * chosen among the catalogue's models with that capability, or None;
 * saved in the profile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_KNOWLEDGE_MODELS_GROUP (wr_knowledge_models_group_get_type ())
G_DECLARE_FINAL_TYPE (WrKnowledgeModelsGroup, wr_knowledge_models_group, WR, KNOWLEDGE_MODELS_GROUP, AdwPreferencesGroup)

void          wr_knowledge_models_group_set_session (WrKnowledgeModelsGroup *self,
                                                     WrSession              *session);

/* Tests: the two rows, and whether the profile is loaded and saved. */
AdwComboRow  *_wr_knowledge_models_group_get_search_row (WrKnowledgeModelsGroup *self);
AdwComboRow  *_wr_knowledge_models_group_get_vision_row (WrKnowledgeModelsGroup *self);
gboolean      _wr_knowledge_models_group_get_busy       (WrKnowledgeModelsGroup *self);

G_END_DECLS
