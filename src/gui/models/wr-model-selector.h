/* wr-model-selector.h — the model button in a chat's header: shows the
 * model the chat uses ("Default (gpt-4o-mini)" when it has none), and a
 * popover to choose another from the model catalogue, grouped by provider
 * (unavailable ones greyed, with why), and the chat's instructions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_MODEL_SELECTOR (wr_model_selector_get_type ())
G_DECLARE_FINAL_TYPE (WrModelSelector, wr_model_selector, WR, MODEL_SELECTOR, AdwBin)

/* properties: "session" (construct), "chat" (nullable), "project"
 * (nullable: whose default model applies when the chat has none) */
GtkWidget *wr_model_selector_new         (WrSession       *session);
void       wr_model_selector_set_session (WrModelSelector *self,
                                          WrSession       *session);
void       wr_model_selector_set_chat    (WrModelSelector *self,
                                          WrChat          *chat);
WrChat    *wr_model_selector_get_chat    (WrModelSelector *self);
void       wr_model_selector_set_project (WrModelSelector *self,
                                          WrProject       *project);

/* The text on the button. (transfer none) */
const char *wr_model_selector_get_label  (WrModelSelector *self);

G_END_DECLS
