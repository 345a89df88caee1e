/* wr-knowledge-retrieve.c — see wr-knowledge-retrieve.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-knowledge-retrieve.h"
#include "wr-chat-service-private.h"

#define DEFAULT_LIMIT 8

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  hits = wr_knowledge_search_finish (WR_STORE (source), result, &error);
  if (hits == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

void
wr_knowledge_retrieve_async (WrChatService       *service,
                             const char          *project_id,
                             const char          *query,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_CHAT_SERVICE (service));
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (query != NULL);

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_knowledge_retrieve_async);

  wr_knowledge_search_async (_wr_chat_service_get_store (service), project_id, query,
                             limit > 0 ? limit : DEFAULT_LIMIT,
                             cancellable, search_cb, g_steal_pointer (&task));
}

GPtrArray *
wr_knowledge_retrieve_finish (WrChatService  *service,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
