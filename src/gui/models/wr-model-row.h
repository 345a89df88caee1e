/* wr-model-row.h — one model in a model list (the chat header's model
 * popover, model combo rows): its name, a caption (price, or why it cannot
 * be used now), an optional provider heading above it, and a check mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_MODEL_ROW (wr_model_row_get_type ())
G_DECLARE_FINAL_TYPE (WrModelRow, wr_model_row, WR, MODEL_ROW, GtkBox)

GtkWidget *wr_model_row_new          (void);
/* Shows @info: unavailable models say why in the caption (the sentence
 * saying what to do is the tooltip) and are dimmed; @info NULL clears. */
void       wr_model_row_set_info     (WrModelRow  *self,
                                      WrModelInfo *info);
/* A row that is not a catalogue model ("Default (gpt-4o-mini)"). */
void       wr_model_row_set_text     (WrModelRow  *self,
                                      const char  *title,
                                      const char  *caption);   /* nullable */
/* A heading above the row (the provider, for the first model of each);
 * NULL hides it. */
void       wr_model_row_set_header   (WrModelRow  *self,
                                      const char  *header);
/* Whether an unavailable model can still be picked (a default can): then
 * only its name is dimmed. Default FALSE: the whole row is insensitive. */
void       wr_model_row_set_unavailable_choosable (WrModelRow *self,
                                                   gboolean    choosable);
void       wr_model_row_set_selected (WrModelRow  *self,
                                      gboolean     selected);
gboolean   wr_model_row_get_selected (WrModelRow  *self);

G_END_DECLS
