/* wr-artifacts-view-private.h — what tests of the Artifacts page look at
 * and drive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-artifacts-view.h"
#include "wr-artifact-viewer.h"
#include "store/wr-artifact.h"

G_BEGIN_DECLS

/* Whether the list is loading. */
gboolean          _wr_artifacts_view_get_loading     (WrArtifactsView *self);
/* The artifacts the list shows now (after filters; element-type
 * WrArtifact, transfer none). */
GListModel       *_wr_artifacts_view_get_shown       (WrArtifactsView *self);
/* Kind filter: -1 for all, else a WrArtifactKind. */
void              _wr_artifacts_view_set_kind_filter (WrArtifactsView *self,
                                                      int              kind);
void              _wr_artifacts_view_set_search      (WrArtifactsView *self,
                                                      const char      *text);
WrArtifact       *_wr_artifacts_view_get_selected    (WrArtifactsView *self);   /* nullable */
WrArtifactViewer *_wr_artifacts_view_get_viewer      (WrArtifactsView *self);
/* "no-project", "empty" or "artifacts"; the list side: "list" or "no-match". */
const char       *_wr_artifacts_view_get_page        (WrArtifactsView *self);
const char       *_wr_artifacts_view_get_list_page   (WrArtifactsView *self);
/* The text of the last toast shown (nullable), and its Undo. */
const char       *_wr_artifacts_view_get_last_toast  (WrArtifactsView *self);
void              _wr_artifacts_view_undo            (WrArtifactsView *self);
/* Rename as the dialog would on "Rename". */
void              _wr_artifacts_view_rename          (WrArtifactsView *self,
                                                      const char      *name);
/* Export the selected artifact to @file as the chooser would. */
void              _wr_artifacts_view_export_to       (WrArtifactsView *self,
                                                      GFile           *file);
/* Whether @name is acceptable for an artifact (NULL) or why not
 * (transfer full, translated). */
char             *_wr_artifacts_view_check_name      (const char      *name);
/* Whether an async operation (rename, delete, restore, export) runs. */
gboolean          _wr_artifacts_view_get_busy        (WrArtifactsView *self);

G_END_DECLS
