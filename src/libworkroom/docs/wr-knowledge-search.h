/* wr-knowledge-search.h — full-text search over a project's documents.
 *
 * Ranking is SQLite FTS5 bm25 with the chunk title weighted twice the body.
 * What the user types is never passed to FTS5 as syntax: each word becomes
 * a quoted term, "quoted phrases" stay phrases and a trailing * asks for a
 * prefix, so no query can raise an FTS syntax error.
 * (Embeddings / hybrid ranking are not part of this yet.)
 *
 * Threading: the sync call blocks (SQLite); the GUI uses the _async pair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/wr-store.h"

G_BEGIN_DECLS

/* Markers around the matched words in WrKnowledgeHit.snippet. */
#define WR_KNOWLEDGE_MARK_START "\002"
#define WR_KNOWLEDGE_MARK_END   "\003"

typedef struct {
  char   *document_id;
  char   *document_name;
  char   *kind;           /* the document's kind ("pdf", "pptx"…) */
  gint64  chunk_id;
  char   *locator_kind;   /* "slide", "page", "heading", "sheet", "section", "image" */
  gint64  locator;        /* 1-based number, 0 when none */
  char   *title;          /* slide title, heading text…; may be "" */
  char   *snippet;        /* text around the matches, matches between the MARK_* bytes */
  double  score;          /* bm25: lower is better */
} WrKnowledgeHit;

void       wr_knowledge_hit_free        (WrKnowledgeHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrKnowledgeHit, wr_knowledge_hit_free)

/* The FTS5 MATCH expression for what the user typed, or NULL when it has
 * no searchable word (transfer full). */
char      *wr_knowledge_build_match     (const char *query);

/* Up to @limit (0 = 20) hits in the live documents of @project_id, best
 * first (element-type WrKnowledgeHit, transfer full). A query with no
 * searchable word gives an empty array. */
GPtrArray *wr_knowledge_search          (WrStore     *store,
                                         const char  *project_id,
                                         const char  *query,
                                         guint        limit,
                                         GError     **error);
void       wr_knowledge_search_async    (WrStore             *store,
                                         const char          *project_id,
                                         const char          *query,
                                         guint                limit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray *wr_knowledge_search_finish   (WrStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* @snippet as Pango markup: text escaped, matches in <b>…</b>
 * (transfer full). */
char      *wr_knowledge_snippet_to_markup (const char *snippet);
/* @snippet with the markers replaced by @start / @end (not escaped), e.g.
 * ANSI bold for a terminal or "" for plain text (transfer full). */
char      *wr_knowledge_snippet_replace   (const char *snippet,
                                           const char *start,
                                           const char *end);

/* "slide 3", "page 12", "section 2"… for a hit's place (translated,
 * transfer full). */
char      *wr_knowledge_format_locator    (const char *locator_kind,
                                           gint64      locator);

G_END_DECLS
