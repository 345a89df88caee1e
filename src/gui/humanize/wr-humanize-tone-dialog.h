/* wr-humanize-tone-dialog.h — asks for a tone's name and how it sounds, to
 * add a tone or edit one of the user's. Refuses (with a sentence in the
 * dialog) an empty field or a name another tone has. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_HUMANIZE_TONE_DIALOG (wr_humanize_tone_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WrHumanizeToneDialog, wr_humanize_tone_dialog, WR, HUMANIZE_TONE_DIALOG, AdwMessageDialog)

/* @tones: the tones now listed (element-type WrHumanizeTone), for the name
 * check. @tone: the user tone to edit, or NULL to add one. The "save"
 * response means the fields are usable. */
GtkWidget      *wr_humanize_tone_dialog_new              (GtkWindow      *parent,
                                                          GListModel     *tones,
                                                          WrHumanizeTone *tone);
WrHumanizeTone *wr_humanize_tone_dialog_get_tone         (WrHumanizeToneDialog *self);   /* nullable */
/* (transfer full) */
char           *wr_humanize_tone_dialog_dup_name         (WrHumanizeToneDialog *self);
char           *wr_humanize_tone_dialog_dup_instructions (WrHumanizeToneDialog *self);

G_END_DECLS
