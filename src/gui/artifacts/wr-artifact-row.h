/* wr-artifact-row.h — one artifact in the Artifacts page's list: its
 * kind's icon, its name, and when it was made ("Today 14:02"). Rows are
 * recycled by the list: bind switches the artifact shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "store/wr-artifact.h"

G_BEGIN_DECLS

#define WR_TYPE_ARTIFACT_ROW (wr_artifact_row_get_type ())
G_DECLARE_FINAL_TYPE (WrArtifactRow, wr_artifact_row, WR, ARTIFACT_ROW, GtkWidget)

GtkWidget  *wr_artifact_row_new      (void);
void        wr_artifact_row_bind     (WrArtifactRow *self,
                                      WrArtifact    *artifact);
void        wr_artifact_row_unbind   (WrArtifactRow *self);
WrArtifact *wr_artifact_row_get_artifact (WrArtifactRow *self);   /* transfer none, nullable */

/* The symbolic icon shown for @kind. */
const char *wr_artifact_kind_get_icon_name (WrArtifactKind kind);
/* "Today 14:02", "Yesterday 09:10", "3 March" or "3 March 2024" for
 * @usec (µs since the epoch, local time; transfer full). @now_usec is
 * the present (tests pass a fixed one; 0: now). */
char       *wr_artifact_format_date        (gint64 usec,
                                            gint64 now_usec);

G_END_DECLS
