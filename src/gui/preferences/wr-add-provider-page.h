/* wr-add-provider-page.h — the "Add Provider" subpage of Preferences: name,
 * kind, base URL (with presets for common servers) and API key. The key goes
 * to the keyring through WrProviderRegistry, never anywhere else. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_ADD_PROVIDER_PAGE (wr_add_provider_page_get_type ())
G_DECLARE_FINAL_TYPE (WrAddProviderPage, wr_add_provider_page, WR, ADD_PROVIDER_PAGE, GtkBox)

/* Signals: "provider-added" (WrProvider) after saving; "cancelled" when
 * the user goes back without saving. */
GtkWidget *wr_add_provider_page_new (WrProviderRegistry *registry);

G_END_DECLS
