/* wr-humanize-view.h — the Humanize page of a project: a text, a tone and a
 * model in; the rewrite streamed out, to copy or to put in place of the
 * text; the project's last rewrites. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_HUMANIZE_VIEW (wr_humanize_view_get_type ())
G_DECLARE_FINAL_TYPE (WrHumanizeView, wr_humanize_view, WR, HUMANIZE_VIEW, AdwBin)

GtkWidget *wr_humanize_view_new         (WrSession      *session);
/* Files new rewrites under @project and shows its history (NULL: the
 * rewrites made without a project). Loads asynchronously. */
void       wr_humanize_view_set_project (WrHumanizeView *self,
                                         WrProject      *project);
WrProject *wr_humanize_view_get_project (WrHumanizeView *self);   /* nullable */
void       wr_humanize_view_focus_input (WrHumanizeView *self);

G_END_DECLS
