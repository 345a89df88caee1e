/* wr-source-viewer.h — a window showing the exact place a citation or a
 * search hit comes from.
 *
 * For a PDF whose original file is still there, the page itself, rendered
 * with poppler in a worker thread (the cited words highlighted), fitted to
 * the window's width, with previous/next page. For other documents (and a
 * PDF whose file is gone) the passage's text under its title and place
 * ("Slide 3"), the cited excerpt highlighted, with previous/next passage
 * of that document. "Open File" opens the original with the default app;
 * a file that moved says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "chat/wr-knowledge-context.h"
#include "store/wr-store.h"

G_BEGIN_DECLS

#define WR_TYPE_SOURCE_VIEWER (wr_source_viewer_get_type ())
G_DECLARE_FINAL_TYPE (WrSourceViewer, wr_source_viewer, WR, SOURCE_VIEWER, AdwWindow)

/* Shows chunk @chunk_id of @document_id (0: the document's first),
 * highlighting @excerpt (nullable). Loads in the background. */
WrSourceViewer *wr_source_viewer_new           (WrStore          *store,
                                                const char       *document_id,
                                                gint64            chunk_id,
                                                const char       *excerpt);
/* A viewer for @citation (a document's; NULL for a dataset's), transient
 * for @parent's window, presented (transfer none: the window owns itself). */
WrSourceViewer *wr_source_viewer_show_citation (GtkWidget        *parent,
                                                WrStore          *store,
                                                const WrCitation *citation);

G_END_DECLS
