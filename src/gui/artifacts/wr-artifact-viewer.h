/* wr-artifact-viewer.h — shows one artifact's content by its kind:
 * a report as rendered Markdown, a table's dataset rows (read as they
 * scroll), a chart, an image (decoded off the main loop, size-guarded),
 * a file's details with Open, HTML as highlighted read-only source or its
 * text (never run), a Mermaid diagram or its source.
 *
 * Content is loaded and parsed in a worker thread; a new artifact cancels
 * the load of the previous one. Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"
#include "store/wr-artifact.h"

G_BEGIN_DECLS

#define WR_TYPE_ARTIFACT_VIEWER (wr_artifact_viewer_get_type ())
G_DECLARE_FINAL_TYPE (WrArtifactViewer, wr_artifact_viewer, WR, ARTIFACT_VIEWER, AdwBin)

GtkWidget  *wr_artifact_viewer_new          (void);
/* Shows @artifact (nullable: nothing), reading its content from @store. */
void        wr_artifact_viewer_set_artifact (WrArtifactViewer *self,
                                             WrStore          *store,
                                             WrArtifact       *artifact);
WrArtifact *wr_artifact_viewer_get_artifact (WrArtifactViewer *self);   /* transfer none, nullable */
/* Whether content is being read ("loading" notifies). */
gboolean    wr_artifact_viewer_get_loading  (WrArtifactViewer *self);

G_END_DECLS
