/* wr-models-page.h — Preferences › Models: every provider's models, one
 * group per provider, each model with its price per million tokens and
 * what it can do (the model catalogue merged with the price table).
 * Models of a provider that cannot be reached are listed as unavailable,
 * with why. Choosing a model opens the price dialog; Refresh asks every
 * provider again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_MODELS_PAGE (wr_models_page_get_type ())
G_DECLARE_FINAL_TYPE (WrModelsPage, wr_models_page, WR, MODELS_PAGE, AdwPreferencesPage)

GtkWidget *wr_models_page_new (WrSession *session);

G_END_DECLS
