/* wr-knowledge-retrieve.c — see wr-knowledge-retrieve.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-knowledge-retrieve.h"
#include "wr-chat-service-private.h"
#include "wr-knowledge-embed.h"

#define DEFAULT_LIMIT 8

/* Query vectors already paid for: search as you type asks again for the
 * same words (backspace, a second look), and each embedding is a metered
 * call. Per chat service, keyed by provider, model and query; the oldest
 * goes first. Main-thread only, like the callbacks that use it. */
#define QUERY_CACHE_SIZE 64
#define QUERY_CACHE_KEY "wr-knowledge-query-vectors"

typedef struct
{
  GHashTable *vectors;   /* key → WrEmbeddingResult (owned) */
  GQueue      order;     /* keys (owned by the table), oldest first */
} QueryCache;

static void
query_cache_free (QueryCache *cache)
{
  g_queue_clear (&cache->order);
  g_hash_table_unref (cache->vectors);
  g_free (cache);
}

static QueryCache *
query_cache_get (WrChatService *service)
{
  QueryCache *cache = g_object_get_data (G_OBJECT (service), QUERY_CACHE_KEY);

  if (cache == NULL)
    {
      cache = g_new0 (QueryCache, 1);
      cache->vectors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) wr_embedding_result_free);
      g_queue_init (&cache->order);
      g_object_set_data_full (G_OBJECT (service), QUERY_CACHE_KEY, cache,
                              (GDestroyNotify) query_cache_free);
    }
  return cache;
}

static char *
query_cache_key (const char *provider_id,
                 const char *model,
                 const char *query)
{
  g_autofree char *stripped = g_strstrip (g_strdup (query));

  return g_strdup_printf ("%s\n%s\n%s", provider_id != NULL ? provider_id : "", model, stripped);
}

static WrEmbeddingResult *
embedding_copy (const WrEmbeddingResult *from)
{
  WrEmbeddingResult *copy = wr_embedding_result_new ();

  copy->n_vectors = from->n_vectors;
  copy->dims = from->dims;
  copy->vectors = g_memdup2 (from->vectors, (gsize) from->n_vectors * from->dims * sizeof (float));
  copy->model = g_strdup (from->model);
  copy->input_tokens = from->input_tokens;
  copy->latency_ms = from->latency_ms;
  return copy;
}

static WrEmbeddingResult *
query_cache_lookup (WrChatService *service,
                    const char    *key)
{
  QueryCache *cache = query_cache_get (service);
  WrEmbeddingResult *found = g_hash_table_lookup (cache->vectors, key);
  GList *link;

  if (found == NULL)
    return NULL;
  /* Most recently used last. */
  link = g_queue_find_custom (&cache->order, key, (GCompareFunc) g_strcmp0);
  g_queue_unlink (&cache->order, link);
  g_queue_push_tail_link (&cache->order, link);
  return embedding_copy (found);
}

static void
query_cache_store (WrChatService           *service,
                   const char              *key,
                   const WrEmbeddingResult *vector)
{
  QueryCache *cache = query_cache_get (service);
  char *owned;

  if (g_hash_table_contains (cache->vectors, key))
    return;
  while (g_queue_get_length (&cache->order) >= QUERY_CACHE_SIZE)
    g_hash_table_remove (cache->vectors, g_queue_pop_head (&cache->order));
  owned = g_strdup (key);
  g_hash_table_insert (cache->vectors, owned, embedding_copy (vector));
  g_queue_push_tail (&cache->order, owned);
}

guint
_wr_knowledge_retrieve_get_cached (WrChatService *service)
{
  return g_queue_get_length (&query_cache_get (service)->order);
}

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
  if (data->vector != NULL)
    {
      g_autofree char *key = query_cache_key (data->provider_id, data->model, data->query);

      query_cache_store (WR_CHAT_SERVICE (object), key, data->vector);
    }
  else
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

  {
    g_autofree char *key = query_cache_key (data->provider_id, data->model, data->query);

    data->vector = query_cache_lookup (g_task_get_source_object (task), key);
    if (data->vector != NULL)
      {
        g_task_run_in_thread (task, search_thread);
        return;
      }
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
