/* wr-model-selector-private.h — what tests of the model selector look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-model-selector.h"

G_BEGIN_DECLS

GtkWidget  *_wr_model_selector_get_button         (WrModelSelector *self);
GtkWidget  *_wr_model_selector_get_popover        (WrModelSelector *self);
/* The models the popover lists (element-type WrModelInfo). */
GListModel *_wr_model_selector_get_models         (WrModelSelector *self);
GtkWidget  *_wr_model_selector_get_list           (WrModelSelector *self);
GtkWidget  *_wr_model_selector_get_default_button (WrModelSelector *self);
GtkListBox *_wr_model_selector_get_templates_list (WrModelSelector *self);
/* Store calls running (saving the chat, loading or setting instructions). */
guint       _wr_model_selector_get_pending        (WrModelSelector *self);
/* The instructions the chat uses, as last read or set (nullable). */
const char *_wr_model_selector_get_template_id    (WrModelSelector *self);

G_END_DECLS
