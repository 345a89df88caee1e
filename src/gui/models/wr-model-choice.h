/* wr-model-choice.h — one entry of a model combo row: a catalogue model, the
 * "use the default" entry, or a saved model the catalogue does not list
 * (kept so a saved choice still shows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_MODEL_CHOICE (wr_model_choice_get_type ())
G_DECLARE_FINAL_TYPE (WrModelChoice, wr_model_choice, WR, MODEL_CHOICE, GObject)

/* properties (read-only): "title", "model" (NULL for the default entry),
 * "provider-id" (nullable), "info" (nullable WrModelInfo) */
WrModelChoice *wr_model_choice_new_default    (const char    *title);
WrModelChoice *wr_model_choice_new_for_info   (WrModelInfo   *info);
WrModelChoice *wr_model_choice_new_unlisted   (const char    *model,
                                               const char    *provider_id);
const char    *wr_model_choice_get_title      (WrModelChoice *self);
const char    *wr_model_choice_get_model      (WrModelChoice *self);
const char    *wr_model_choice_get_provider_id (WrModelChoice *self);
WrModelInfo   *wr_model_choice_get_info       (WrModelChoice *self);

/* The entries of a combo (element-type WrModelChoice): @default_title,
 * then every model of @catalog that can chat (available or not); the saved
 * @model (of @provider_id, NULL = any) follows the default when @catalog
 * does not list it. @out_selected: the saved choice's position (0 = the
 * default when @model is NULL). (transfer full) */
GListModel    *wr_model_choices_new           (GListModel    *catalog,
                                               const char    *default_title,
                                               const char    *model,
                                               const char    *provider_id,
                                               guint         *out_selected);

/* Gives @row factories for choices: the name on the row, and in the list
 * each model with its provider heading, price or reason (unavailable ones
 * dimmed, still choosable as a default). */
void           wr_model_choice_setup_combo    (AdwComboRow   *row);

G_END_DECLS
