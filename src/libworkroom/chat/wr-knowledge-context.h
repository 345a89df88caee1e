/* wr-knowledge-context.h — what a chat that uses its project's knowledge
 * tells the model, and which sources the answer cited.
 *
 * The context is a block appended to the system prompt: numbered sources
 * ("[1] deck.pptx — slide 3: Title" and the passage on the next lines,
 * then one entry per ready dataset with its columns, row count and first
 * rows), instructions to answer from them citing [n], and, when the project
 * has datasets, how to answer with a ```chart block (wr-chart.h's JSON
 * form). The whole block stays under WR_KNOWLEDGE_CONTEXT_MAX_CHARS:
 * passages are trimmed and the lowest-ranked dropped.
 *
 * The sources offered are kept as the citations JSON documented in
 * migrations/0005-artifacts.sql, each with "cited": true when the answer
 * used its number.
 *
 * Threading: wr_knowledge_context_build() blocks (SQLite): call it from a
 * worker thread, the CLI or tests. The rest is pure, any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "docs/wr-knowledge-search.h"
#include "store/wr-store.h"

G_BEGIN_DECLS

#define WR_KNOWLEDGE_CONTEXT_MAX_CHARS  12000
#define WR_KNOWLEDGE_PASSAGE_MAX_CHARS  1500
#define WR_KNOWLEDGE_EXCERPT_MAX_CHARS  300
#define WR_KNOWLEDGE_CONTEXT_SOURCES    8

typedef struct _WrKnowledgeContext WrKnowledgeContext;

/* Builds the context for @question in @project_id from @hits (element-type
 * WrKnowledgeHit, best first, nullable: from wr_knowledge_retrieve_async).
 * When fewer than WR_KNOWLEDGE_CONTEXT_SOURCES hits came back (a question's
 * words rarely all appear in one passage), passages matching its keywords
 * are added, those matching most keywords first. Reads the passages' full
 * text and the project's ready datasets. Only the project's own documents
 * and datasets are ever read. NULL with @error when the store fails
 * (transfer full). */
WrKnowledgeContext *wr_knowledge_context_build        (WrStore            *store,
                                                       const char         *project_id,
                                                       const char         *question,
                                                       GPtrArray          *hits,
                                                       GError            **error);
void                wr_knowledge_context_free         (WrKnowledgeContext *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrKnowledgeContext, wr_knowledge_context_free)

/* The block for the system prompt (never NULL; says so when nothing was
 * found). (transfer none) */
const char         *wr_knowledge_context_get_prompt   (WrKnowledgeContext *self);
/* Numbered sources offered (documents' passages, then datasets). */
guint               wr_knowledge_context_get_n_sources (WrKnowledgeContext *self);
guint               wr_knowledge_context_get_n_datasets (WrKnowledgeContext *self);
/* The citations JSON for an answer: every source offered, in number order,
 * with "cited": true on those @answer (nullable) refers to (transfer full). */
char               *wr_knowledge_context_to_json      (WrKnowledgeContext *self,
                                                       const char         *answer);

/* The source numbers @answer cites as [n] or [n, m, …], each once, in
 * order of first mention, only those in 1..@n_sources (element-type guint). */
GArray             *wr_knowledge_parse_cited          (const char         *answer,
                                                       guint               n_sources);

/* A parsed citation (from a message's citations JSON). */
typedef struct {
  guint     n;
  gboolean  cited;
  char     *document_id;     /* nullable: a dataset */
  char     *document_name;
  char     *kind;            /* the document's kind ("pdf"…), nullable */
  gint64    chunk_id;
  char     *locator_kind;    /* nullable */
  gint64    locator;
  char     *title;           /* nullable */
  char     *excerpt;         /* nullable */
  char     *dataset_id;      /* nullable */
  char     *dataset_name;    /* nullable */
} WrCitation;

void        wr_citation_free    (WrCitation *citation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrCitation, wr_citation_free)
/* The citations of @json (element-type WrCitation, in order; empty when
 * @json is NULL or not an array) (transfer full). */
GPtrArray  *wr_citations_parse  (const char *json);
/* "deck.pptx, slide 3" with @separator between name and place ("sales.csv"
 * for a dataset) (translated, transfer full). */
char       *wr_citation_describe (const WrCitation *citation,
                                  const char       *separator);

/* Rows of a document, for showing a passage among its neighbours: its
 * chunks in order (element-type WrDocChunk) and in *@out_index the position
 * of @chunk_id (0 when not found). Blocks (SQLite). (transfer full) */
GPtrArray  *wr_knowledge_load_document_chunks (WrStore     *store,
                                               const char  *document_id,
                                               gint64       chunk_id,
                                               guint       *out_index,
                                               GError     **error);

G_END_DECLS
