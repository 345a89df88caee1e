/* wr-knowledge-embed.h — metered embeddings calls for the project's
 * knowledge (the indexer's passages, retrieval's questions), and the
 * profile's choice of embeddings and vision models.
 *
 * A call resolves the provider (@provider_id, else the profile's, else the
 * default), passes billing's gates (model, daily limit, credits), calls
 * the provider directly — never another provider on failover, whose
 * vectors would not compare — and records one usage row (input tokens,
 * reported or estimated; outcome) and settles the credits. The vectors
 * returned are scaled to unit length, so cosine similarity is a dot
 * product.
 *
 * Main thread (the caller's thread-default context).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-chat-service.h"

G_BEGIN_DECLS

void               _wr_knowledge_embed_async  (WrChatService       *service,
                                               const char          *provider_id,  /* nullable */
                                               const char          *model,
                                               const char          *project_id,   /* nullable: usage row */
                                               const char * const  *texts,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* (transfer full) vectors unit length; NULL with @error. */
WrEmbeddingResult *_wr_knowledge_embed_finish (WrChatService       *service,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Tests: how many query vectors wr_knowledge_retrieve_async() keeps for
 * @service (wr-knowledge-retrieve.c). */
guint              _wr_knowledge_retrieve_get_cached (WrChatService *service);

G_END_DECLS
