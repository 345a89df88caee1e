/* wr-artifact-viewer-private.h — what tests of the viewer look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-artifact-viewer.h"

G_BEGIN_DECLS

/* The page shown: "none", "loading", "error", "report", "table",
 * "table-gone", "chart", "image", "file", "html", "mermaid". */
const char    *_wr_artifact_viewer_get_page          (WrArtifactViewer *self);
const char    *_wr_artifact_viewer_get_error         (WrArtifactViewer *self);   /* nullable */
GtkWidget     *_wr_artifact_viewer_get_markdown_view (WrArtifactViewer *self);
GtkColumnView *_wr_artifact_viewer_get_column_view   (WrArtifactViewer *self);
GtkWidget     *_wr_artifact_viewer_get_chart_view    (WrArtifactViewer *self);
GtkPicture    *_wr_artifact_viewer_get_picture       (WrArtifactViewer *self);
/* HTML: the source shown (transfer full), the text view's text
 * (transfer full), and whether the text view is shown. */
char          *_wr_artifact_viewer_dup_html_source   (WrArtifactViewer *self);
char          *_wr_artifact_viewer_dup_html_text     (WrArtifactViewer *self);
void           _wr_artifact_viewer_set_show_text     (WrArtifactViewer *self,
                                                      gboolean          show_text);
/* Mermaid: the diagram widget, the source shown (transfer full), and
 * whether the source is shown (always when the diagram cannot be drawn;
 * the diagram widget then shows why). */
GtkWidget     *_wr_artifact_viewer_get_mermaid_view  (WrArtifactViewer *self);
char          *_wr_artifact_viewer_dup_mermaid_source (WrArtifactViewer *self);
gboolean       _wr_artifact_viewer_get_show_source   (WrArtifactViewer *self);
void           _wr_artifact_viewer_set_show_source   (WrArtifactViewer *self,
                                                      gboolean          show_source);
/* File: what Open wrote is handed to @func instead of the default app. */
typedef void (*WrArtifactOpenFunc) (GFile *file, gpointer user_data);
void           _wr_artifact_viewer_set_open_func     (WrArtifactViewer   *self,
                                                      WrArtifactOpenFunc  func,
                                                      gpointer            user_data);
const char    *_wr_artifact_viewer_get_file_title    (WrArtifactViewer *self);

G_END_DECLS
