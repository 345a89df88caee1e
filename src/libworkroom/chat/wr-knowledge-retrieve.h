/* wr-knowledge-retrieve.h — the passages of a project's documents that best
 * answer a question, for chats that use knowledge and for search.
 *
 * Full-text (FTS5 bm25) always; when the profile names an embeddings model
 * and the project's chunks have vectors of it, the question is embedded
 * (a metered model call) and both rankings are fused by reciprocal rank
 * fusion. When embedding fails (offline, no key) the full-text ranking is
 * used alone: retrieval never fails because a model is unreachable.
 * The last 64 query vectors are kept (per chat service, by provider,
 * model and query), so searching again for the same words costs no call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-chat-service.h"
#include "docs/wr-knowledge-search.h"

G_BEGIN_DECLS

/* Up to @limit (0 = 8) hits, best first (element-type WrKnowledgeHit). */
void       wr_knowledge_retrieve_async  (WrChatService       *service,
                                         const char          *project_id,
                                         const char          *query,
                                         guint                limit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray *wr_knowledge_retrieve_finish (WrChatService       *service,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
