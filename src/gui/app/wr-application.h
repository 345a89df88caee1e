/* wr-application.h — the Workroom application: opens the session once,
 * owns the app-wide actions (preferences, about, quit, onboarding) and the
 * GSettings object shared by every window. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_APPLICATION (wr_application_get_type ())
G_DECLARE_FINAL_TYPE (WrApplication, wr_application, WR, APPLICATION, AdwApplication)

WrApplication *wr_application_new            (void);

/* The opened session, or NULL while it is opening or when opening failed.
 * (transfer none) "notify::session" fires when it becomes available. */
WrSession     *wr_application_get_session    (WrApplication *self);
/* Why the session could not be opened, or NULL. (transfer none)
 * "notify::open-error" fires when set. */
const GError  *wr_application_get_open_error (WrApplication *self);
/* The app's settings, or NULL when the schema is not installed (the app then
 * runs without remembering anything). (transfer none) */
GSettings     *wr_application_get_settings   (WrApplication *self);

/* Opens (or raises) Preferences; with @add_provider, on the Add Provider
 * page. */
void           wr_application_show_preferences (WrApplication *self,
                                                gboolean       add_provider);

G_END_DECLS
