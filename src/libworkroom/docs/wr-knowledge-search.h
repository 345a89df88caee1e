/* wr-knowledge-search.h — full-text search over a project's documents.
 *
 * Ranking is SQLite FTS5 bm25 with the chunk title weighted twice the body.
 * What the user types is never passed to FTS5 as syntax: each word becomes
 * a quoted term, "quoted phrases" stay phrases and a trailing * asks for a
 * prefix, so no query can raise an FTS syntax error.
 * wr_knowledge_search_hybrid() adds embedding vectors (chunk_vectors):
 * the full-text best and the vector best (cosine) fused by reciprocal rank
 * fusion; the vectors are scanned as a stream with a bounded heap, never
 * loaded all at once.
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
  double  score;          /* lower is better: bm25, or minus the RRF score (hybrid) */
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

/* How many of each ranking the hybrid search fuses, and RRF's k. */
#define WR_KNOWLEDGE_HYBRID_DEPTH 50
#define WR_KNOWLEDGE_RRF_K        60

/* Hybrid search: the WR_KNOWLEDGE_HYBRID_DEPTH best full-text hits and
 * the WR_KNOWLEDGE_HYBRID_DEPTH chunks whose vectors of @model with @dims
 * dimensions are nearest @query_vector (cosine; stored vectors are unit
 * length, @query_vector need not be), fused by reciprocal rank fusion
 * (score = Σ 1 / (WR_KNOWLEDGE_RRF_K + rank)). Vectors of other dimensions
 * are ignored. Hits found only by vectors get the start of the passage as
 * their snippet (no markers). Up to @limit (0 = 20), best first. */
GPtrArray *wr_knowledge_search_hybrid   (WrStore      *store,
                                         const char   *project_id,
                                         const char   *query,
                                         const float  *query_vector,
                                         guint         dims,
                                         const char   *model,
                                         guint         limit,
                                         GError      **error);
/* Whether any live chunk of @project_id has a vector of @model. */
gboolean   wr_knowledge_has_vectors     (WrStore      *store,
                                         const char   *project_id,
                                         const char   *model,
                                         GError      **error);
/* Scales @vector (@dims floats) to length 1 in place; a zero vector stays
 * zero. */
void       wr_knowledge_normalize       (float        *vector,
                                         guint         dims);

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
