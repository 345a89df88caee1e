/* wr-knowledge-view.h — the Knowledge page of a project: its documents
 * (added in the background, with progress and Cancel) and a search over
 * them whose hits open the source file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_KNOWLEDGE_VIEW (wr_knowledge_view_get_type ())
G_DECLARE_FINAL_TYPE (WrKnowledgeView, wr_knowledge_view, WR, KNOWLEDGE_VIEW, AdwBin)

GtkWidget *wr_knowledge_view_new          (WrSession       *session);
/* Shows @project's documents and searches them (NULL: nothing to show).
 * Loads asynchronously; an import in progress is cancelled. */
void       wr_knowledge_view_set_project  (WrKnowledgeView *self,
                                           WrProject       *project);
WrProject *wr_knowledge_view_get_project  (WrKnowledgeView *self);   /* nullable */
void       wr_knowledge_view_focus_search (WrKnowledgeView *self);

G_END_DECLS
