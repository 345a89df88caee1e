/* wr-topup-dialog-private.h — what tests of the top-up dialog drive. */
#pragma once

#include "wr-topup-dialog.h"

G_BEGIN_DECLS

/* The amount entry (a GtkEditable). (transfer none) */
GtkWidget  *_wr_topup_dialog_get_entry (WrTopupDialog *self);
/* Presses Add, as the button or Enter would. */
void        _wr_topup_dialog_confirm   (WrTopupDialog *self);
/* The message shown under the entry, or NULL when none. (transfer none) */
const char *_wr_topup_dialog_get_error (WrTopupDialog *self);
/* Whether the top-up is being written. */
gboolean    _wr_topup_dialog_get_busy  (WrTopupDialog *self);

G_END_DECLS
