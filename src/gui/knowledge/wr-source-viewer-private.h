/* wr-source-viewer-private.h — what tests of the source viewer read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-source-viewer.h"

G_BEGIN_DECLS

/* Loading or rendering now. */
gboolean    _wr_source_viewer_get_busy        (WrSourceViewer *self);
/* "loading", "page" (a rendered PDF page), "text" or "error". */
const char *_wr_source_viewer_get_mode        (WrSourceViewer *self);
/* PDF: the page shown (1-based) and the page count; 0 otherwise. */
int         _wr_source_viewer_get_page        (WrSourceViewer *self);
int         _wr_source_viewer_get_n_pages     (WrSourceViewer *self);
/* The passage shown (0-based) and the document's passage count. */
guint       _wr_source_viewer_get_chunk_index (WrSourceViewer *self);
guint       _wr_source_viewer_get_n_chunks    (WrSourceViewer *self);
/* The heading above the text ("Slide 3 — Survey results"). */
const char *_wr_source_viewer_get_place       (WrSourceViewer *self);
/* The text shown and the part highlighted (transfer full; "" when none). */
char       *_wr_source_viewer_dup_text        (WrSourceViewer *self);
char       *_wr_source_viewer_dup_highlighted (WrSourceViewer *self);
/* The rendered page (transfer none, nullable). */
GdkTexture *_wr_source_viewer_get_texture     (WrSourceViewer *self);
/* Whether the original file is missing (the window says so). */
gboolean    _wr_source_viewer_get_file_missing (WrSourceViewer *self);

G_END_DECLS
