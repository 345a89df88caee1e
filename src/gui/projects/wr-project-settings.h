/* wr-project-settings.h — the Project Settings dialog: the project's name,
 * its default model (from the model catalogue, or the profile's default)
 * and the instructions its chats use. Saves everything at once, off the
 * main thread, then updates the WrProject it was given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_PROJECT_SETTINGS (wr_project_settings_get_type ())
G_DECLARE_FINAL_TYPE (WrProjectSettings, wr_project_settings, WR, PROJECT_SETTINGS, AdwWindow)

/* signals: "saved" — the changes are stored and @project shows them; the
 * dialog closes after it. */
GtkWidget *wr_project_settings_new (WrSession *session,
                                    WrProject *project);

G_END_DECLS
