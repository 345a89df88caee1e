/* wr-knowledge-indexer.h — indexes a project's documents for hybrid
 * search, in the background.
 *
 * A run, for one project, with the models the profile names:
 *   1. vision model: each image document without a description gets one
 *      (a metered model call with the image attached), stored as an extra
 *      passage (locator "image", title "Description"), so search finds what
 *      is in a picture even when it holds no text;
 *   2. embeddings model: every passage without a vector of that model is
 *      embedded, WR_PROVIDER_EMBED_BATCH at a time (metered calls), and the
 *      vectors stored unit length as little-endian float32 in
 *      chunk_vectors.
 * Nothing configured: nothing to do. A run is resumable: what was stored
 * stays when it is cancelled or fails, and the next run continues with
 * what is missing; choosing another model embeds everything again, lazily,
 * on the next run. Passages added while a run goes on are picked up by it.
 *
 * Runs one project at a time; requests for other projects wait their turn,
 * a request for the project being indexed joins that run.
 *
 * Main thread only; store work runs in GTask threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-chat-service.h"

G_BEGIN_DECLS

#define WR_TYPE_KNOWLEDGE_INDEXER (wr_knowledge_indexer_get_type ())
G_DECLARE_FINAL_TYPE (WrKnowledgeIndexer, wr_knowledge_indexer, WR, KNOWLEDGE_INDEXER, GObject)

WrKnowledgeIndexer *wr_knowledge_indexer_new        (WrChatService *service);
/* The indexer shared by every view of @service, made on first use
 * (transfer none). */
WrKnowledgeIndexer *wr_knowledge_indexer_get_default (WrChatService *service);

/* properties (read-only, notified on the main thread): "running",
 * "project-id" (the project being indexed, nullable), "done" (passages
 * embedded in this run) and "total" (done + still to embed).
 * signal "progress" (project_id, done, total) after every batch. */
gboolean            wr_knowledge_indexer_get_running    (WrKnowledgeIndexer *self);
const char         *wr_knowledge_indexer_get_project_id (WrKnowledgeIndexer *self);
guint               wr_knowledge_indexer_get_done       (WrKnowledgeIndexer *self);
guint               wr_knowledge_indexer_get_total      (WrKnowledgeIndexer *self);

/* Indexes @project_id. @cancellable stops this request; when it is the
 * running one, the run stops after storing what arrived. The result is
 * how many passages were embedded and images described. */
void                wr_knowledge_indexer_index_async  (WrKnowledgeIndexer  *self,
                                                       const char          *project_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            wr_knowledge_indexer_index_finish (WrKnowledgeIndexer  *self,
                                                       GAsyncResult        *result,
                                                       guint               *out_embedded,   /* nullable */
                                                       guint               *out_described,  /* nullable */
                                                       GError             **error);
/* Stops the running run and drops the waiting ones (they finish
 * cancelled). */
void                wr_knowledge_indexer_cancel       (WrKnowledgeIndexer  *self);

/* The prompt sent with an image to describe it. */
#define WR_KNOWLEDGE_DESCRIBE_PROMPT \
  "Describe this image for a search index: what it shows, the objects, " \
  "people, places and any text in it, in a few plain sentences."

G_END_DECLS
