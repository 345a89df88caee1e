/* wr-indexing-bar.h — "Indexing 120 of 400 passages…" with a progress bar
 * and Cancel, shown while the knowledge indexer works on the project the
 * bar shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "chat/wr-knowledge-indexer.h"

G_BEGIN_DECLS

#define WR_TYPE_INDEXING_BAR (wr_indexing_bar_get_type ())
G_DECLARE_FINAL_TYPE (WrIndexingBar, wr_indexing_bar, WR, INDEXING_BAR, GtkBox)

GtkWidget  *wr_indexing_bar_new         (void);
/* @indexer and @project_id nullable: hidden. */
void        wr_indexing_bar_set_project (WrIndexingBar      *self,
                                         WrKnowledgeIndexer *indexer,
                                         const char         *project_id);
/* Tests: the label's text. */
const char *_wr_indexing_bar_get_text   (WrIndexingBar      *self);

G_END_DECLS
