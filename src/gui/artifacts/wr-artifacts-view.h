/* wr-artifacts-view.h — the Artifacts page of a project: what its chats
 * produced or people saved (reports, tables, charts, images, files, HTML,
 * diagrams), newest first, filtered by kind and name, with the selected
 * one shown beside the list and Rename, Delete (with Undo) and Export….
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_ARTIFACTS_VIEW (wr_artifacts_view_get_type ())
G_DECLARE_FINAL_TYPE (WrArtifactsView, wr_artifacts_view, WR, ARTIFACTS_VIEW, AdwBin)

GtkWidget *wr_artifacts_view_new             (WrSession       *session);
/* Shows @project's artifacts (NULL: none). Loads asynchronously. */
void       wr_artifacts_view_set_project     (WrArtifactsView *self,
                                              WrProject       *project);
WrProject *wr_artifacts_view_get_project     (WrArtifactsView *self);   /* nullable */
/* Reads the list again, keeping the selection (the page does this itself
 * whenever it is shown). */
void       wr_artifacts_view_reload          (WrArtifactsView *self);
/* Selects artifact @id once it is listed (clears the filters). */
void       wr_artifacts_view_select_artifact (WrArtifactsView *self,
                                              const char      *id);

G_END_DECLS
