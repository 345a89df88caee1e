/* wr-project-settings-private.h — what tests of the dialog look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-project-settings.h"

G_BEGIN_DECLS

AdwEntryRow *_wr_project_settings_get_name_row         (WrProjectSettings *self);
/* Entries: WrModelChoice; 0 = the profile's default. */
AdwComboRow *_wr_project_settings_get_model_row        (WrProjectSettings *self);
/* Entries: "None", then the templates by name. */
AdwComboRow *_wr_project_settings_get_template_row     (WrProjectSettings *self);
GtkWidget   *_wr_project_settings_get_save_button      (WrProjectSettings *self);
/* Reads and the save still running. */
guint        _wr_project_settings_get_pending          (WrProjectSettings *self);
gboolean     _wr_project_settings_get_templates_loaded (WrProjectSettings *self);

G_END_DECLS
