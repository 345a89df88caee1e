/* wr-knowledge-retrieve.c — see wr-knowledge-retrieve.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-knowledge-retrieve.h"
#include "wr-chat-service-private.h"
#include "wr-knowledge-embed.h"

#define DEFAULT_LIMIT 8

typedef struct
{
  char              *project_id;
  char              *query;
  guint              limit;
  char              *model;         /* embeddings model, when the project has its vectors */
  char              *provider_id;
  WrEmbeddingResult *vector;        /* the query's, nullable: full-text only */
} RetrieveData;

static void
retrieve_data_free (RetrieveData *data)
{
  g_free (data->project_id);
  g_free (data->query);
  g_free (data->model);
  g_free (data->provider_id);
  g_clear_pointer (&data->vector, wr_embedding_result_free);
  g_free (data);
}

/* Worker: full-text, or hybrid when the query was embedded. */
static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RetrieveData *data = task_data;
  WrStore *store = _wr_chat_service_get_store (source_object);
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  if (data->vector != NULL)
    hits = wr_knowledge_search_hybrid (store, data->project_id, data->query,
                                       data->vector->vectors, data->vector->dims,
                                       data->model, data->limit, &error);
  else
    hits = wr_knowledge_search (store, data->project_id, data->query, data->limit, &error);

  if (hits == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

static void
embedded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  RetrieveData *data = g_task_get_task_data (task);

  data->vector = _wr_knowledge_embed_finish (WR_CHAT_SERVICE (object), result, &error);
  if (data->vector == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      /* Offline, no key, no credits: full-text alone still answers. */
      g_debug ("Searching without embeddings: %s", error->message);
    }

  g_task_run_in_thread (task, search_thread);
}

/* Worker: which embeddings model the profile names, and whether the
 * project has vectors of it. */
static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RetrieveData *data = task_data;
  WrStore *store = _wr_chat_service_get_store (source_object);
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = wr_store_get_profile (store, &error);
  if (profile != NULL && wr_profile_get_embeddings_model (profile) != NULL &&
      wr_knowledge_has_vectors (store, data->project_id,
                                wr_profile_get_embeddings_model (profile), NULL))
    {
      data->model = g_strdup (wr_profile_get_embeddings_model (profile));
      data->provider_id = g_strdup (wr_profile_get_embeddings_provider_id (profile));
    }
  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RetrieveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *texts[] = { data->query, NULL };
  g_autofree char *stripped = g_strstrip (g_strdup (data->query));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->model == NULL || stripped[0] == '\0')
    {
      g_task_run_in_thread (task, search_thread);
      return;
    }

  _wr_knowledge_embed_async (g_task_get_source_object (task), data->provider_id, data->model,
                             data->project_id, texts, g_task_get_cancellable (task),
                             embedded_cb, g_object_ref (task));
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
  g_autoptr(GTask) prepare = NULL;
  RetrieveData *data;

  g_return_if_fail (WR_IS_CHAT_SERVICE (service));
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (query != NULL);

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_knowledge_retrieve_async);

  data = g_new0 (RetrieveData, 1);
  data->project_id = g_strdup (project_id);
  data->query = g_strdup (query);
  data->limit = limit > 0 ? limit : DEFAULT_LIMIT;
  g_task_set_task_data (task, data, (GDestroyNotify) retrieve_data_free);

  prepare = g_task_new (service, cancellable, prepared_cb, g_steal_pointer (&task));
  g_task_set_task_data (prepare, data, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
}

GPtrArray *
wr_knowledge_retrieve_finish (WrChatService  *service,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
