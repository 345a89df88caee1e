/* wr-knowledge-view-private.h — what tests of the knowledge page use. */
#pragma once

#include "wr-knowledge-view.h"

G_BEGIN_DECLS

/* Imports @files one after another, as "Add Files…" does after its dialog
 * (element-type GFile). */
void            _wr_knowledge_view_import_files     (WrKnowledgeView *self,
                                                     GPtrArray       *files);
/* Whether an import runs or waits, the list loads or a search runs. */
gboolean        _wr_knowledge_view_get_busy         (WrKnowledgeView *self);
/* (transfer none) */
GtkSearchEntry *_wr_knowledge_view_get_search_entry (WrKnowledgeView *self);
GtkListBox     *_wr_knowledge_view_get_results      (WrKnowledgeView *self);
GtkListBox     *_wr_knowledge_view_get_documents    (WrKnowledgeView *self);
/* "empty" (no documents) or "documents"; "results", "no-results" or
 * "none" for the search part. */
const char     *_wr_knowledge_view_get_page         (WrKnowledgeView *self);
const char     *_wr_knowledge_view_get_results_page (WrKnowledgeView *self);
/* The last toast's text, or NULL. */
const char     *_wr_knowledge_view_get_last_toast   (WrKnowledgeView *self);

G_END_DECLS
