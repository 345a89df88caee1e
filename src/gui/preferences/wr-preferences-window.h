/* wr-preferences-window.h — Preferences: providers (list, add, remove,
 * test connection), default model, and appearance. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_PREFERENCES_WINDOW (wr_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (WrPreferencesWindow, wr_preferences_window, WR, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @session: nullable while the data is still opening; the Providers page is
 * then hidden. */
GtkWidget *wr_preferences_window_new               (GtkWindow           *parent,
                                                    WrSession           *session);
/* Shows the Add Provider page. */
void       wr_preferences_window_show_add_provider (WrPreferencesWindow *self);

G_END_DECLS
