/* wr-humanize-view-private.h — what tests of the humanize page look at. */
#pragma once

#include "wr-humanize-view.h"

G_BEGIN_DECLS

/* (transfer none) */
GtkTextView *_wr_humanize_view_get_input      (WrHumanizeView *self);
GtkTextView *_wr_humanize_view_get_output     (WrHumanizeView *self);
AdwComboRow *_wr_humanize_view_get_tone_row   (WrHumanizeView *self);
AdwComboRow *_wr_humanize_view_get_model_row  (WrHumanizeView *self);
GtkWidget   *_wr_humanize_view_get_history_list (WrHumanizeView *self);
/* element-type WrHumanizeTone / GtkStringObject ("Default" first) /
 * WrHumanizeRewrite (newest first) */
GListModel  *_wr_humanize_view_get_tones      (WrHumanizeView *self);
GListModel  *_wr_humanize_view_get_models     (WrHumanizeView *self);
GListModel  *_wr_humanize_view_get_history    (WrHumanizeView *self);
/* Whether a rewrite is streaming, tones or history are loading. */
gboolean     _wr_humanize_view_get_busy       (WrHumanizeView *self);
gboolean     _wr_humanize_view_get_loading    (WrHumanizeView *self);
/* The error shown inline, or NULL when none is shown. */
const char  *_wr_humanize_view_get_error      (WrHumanizeView *self);
/* Whether the action humanize.@name can run now (what its buttons show). */
gboolean     _wr_humanize_view_action_enabled (WrHumanizeView *self,
                                               const char     *name);
/* Whether the panes are side by side (wide) or stacked. */
gboolean     _wr_humanize_view_get_wide       (WrHumanizeView *self);

G_END_DECLS
