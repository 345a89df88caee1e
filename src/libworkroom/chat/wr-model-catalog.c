/* wr-model-catalog.c — every provider's models, merged with prices and
 * capabilities, as a GListModel.
 *
 * A refresh, on the owner's thread:
 *   1. copies what it needs of each provider (WrCatalogSource), then at once
 *      starts every provider's listing and, in a worker, reads the price
 *      table and the model cache;
 *   2. when all are back, merges in a worker and, in the same worker,
 *      replaces the cache rows of each provider that answered (one
 *      transaction);
 *   3. back on the owner's thread, swaps the items in one items-changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-model-catalog.h"
#include "wr-model-catalog-private.h"
#include "store/wr-store-db.h"
#include "wr-util.h"

typedef struct {
  char *reason;
  char *detail;
} Problem;

struct _WrModelCatalog
{
  GObject             parent_instance;

  WrProviderRegistry *providers;   /* owned */
  WrBilling          *billing;     /* owned */
  GCancellable       *cancellable; /* owned: re-pricing, cancelled in dispose */
  GPtrArray          *items;       /* element-type WrModelInfo */
  GPtrArray          *last_sources; /* nullable: what the items were merged from */
  GHashTable         *problems;    /* provider id → Problem */
  gint64              refreshed_at;
  guint               n_refreshing;
  guint64             started;     /* generation of the last refresh started */
  guint64             applied;     /* generation of the items shown */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WrModelCatalog, wr_model_catalog, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_REFRESHING,
  PROP_REFRESHED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
problem_free (Problem *problem)
{
  g_free (problem->reason);
  g_free (problem->detail);
  g_free (problem);
}

/* Sources and the merge ----------------------------------------------------- */

WrCatalogSource *
_wr_catalog_source_new (const char *provider_id,
                        const char *provider_name,
                        const char *provider_kind,
                        const char *default_model,
                        gboolean    local)
{
  WrCatalogSource *source = g_new0 (WrCatalogSource, 1);

  source->provider_id = g_strdup (provider_id);
  source->provider_name = g_strdup (provider_name);
  source->provider_kind = g_strdup (provider_kind);
  source->default_model = default_model != NULL && *default_model != '\0' ? g_strdup (default_model) : NULL;
  source->local = !!local;

  return source;
}

void
_wr_catalog_source_free (WrCatalogSource *source)
{
  if (source == NULL)
    return;

  g_free (source->provider_id);
  g_free (source->provider_name);
  g_free (source->provider_kind);
  g_free (source->default_model);
  g_clear_pointer (&source->listed, g_ptr_array_unref);
  g_free (source->reason);
  g_free (source->detail);
  g_free (source);
}

static WrCatalogSource *
catalog_source_copy (const WrCatalogSource *source)
{
  WrCatalogSource *copy = _wr_catalog_source_new (source->provider_id, source->provider_name,
                                                  source->provider_kind, source->default_model,
                                                  source->local);

  if (source->listed != NULL)
    copy->listed = g_ptr_array_copy (source->listed, (GCopyFunc) g_strdup, NULL);
  if (copy->listed != NULL)
    g_ptr_array_set_free_func (copy->listed, g_free);
  copy->reason = g_strdup (source->reason);
  copy->detail = g_strdup (source->detail);

  return copy;
}

static void
cached_model_free (WrCachedModel *cached)
{
  g_free (cached->model);
  g_free (cached);
}

const char *
_wr_model_catalog_short_reason (WrProvider   *provider,
                                const GError *error)
{
  if (error == NULL || error->domain != WR_PROVIDER_ERROR)
    return _("Unavailable");

  switch ((WrProviderError) error->code)
    {
    case WR_PROVIDER_ERROR_AUTH:
      if (provider != NULL && wr_provider_get_api_key (provider) == NULL)
        return _("Needs an API key");
      return _("Key rejected");
    case WR_PROVIDER_ERROR_CONNECTION:
      return _("Not reachable");
    case WR_PROVIDER_ERROR_TIMEOUT:
      return _("Not answering");
    case WR_PROVIDER_ERROR_RATE_LIMITED:
      return _("Limiting requests");
    case WR_PROVIDER_ERROR_SERVER:
      return _("Server error");
    case WR_PROVIDER_ERROR_MODEL_NOT_FOUND:
    case WR_PROVIDER_ERROR_BAD_REQUEST:
    case WR_PROVIDER_ERROR_PROTOCOL:
    case WR_PROVIDER_ERROR_INTERRUPTED:
      return _("Cannot list models");
    case WR_PROVIDER_ERROR_FAILED:
    default:
      return _("Unavailable");
    }
}

static int
compare_infos (gconstpointer a,
               gconstpointer b)
{
  WrModelInfo *ia = *(WrModelInfo * const *) a;
  WrModelInfo *ib = *(WrModelInfo * const *) b;
  const char *na = wr_model_info_get_name (ia);
  const char *nb = wr_model_info_get_name (ib);
  int cmp = g_ascii_strcasecmp (na, nb);

  return cmp != 0 ? cmp : strcmp (na, nb);
}

static WrModelInfo *
merge_one (WrCatalogSource *source,
           const char      *name,
           WrPriceTable    *prices,
           gboolean         available,
           gint64           listed_at)
{
  WrModelInfo *info = _wr_model_info_new (name, source->provider_id, source->provider_name,
                                          source->provider_kind, source->local);
  const WrModelPrice *custom = wr_price_table_match_capabilities (prices, name);
  WrModelCapabilities capabilities = WR_MODEL_CAPABILITY_NONE;

  _wr_model_info_set_availability (info, available, source->reason, source->detail, listed_at);

  /* Local models cost nothing: billing never prices them. */
  if (!source->local)
    {
      const WrModelPrice *price = wr_price_table_match (prices, name);

      _wr_model_info_set_price (info, price->pattern,
                                price->input_micros_per_mtok, price->output_micros_per_mtok);
    }

  if (custom != NULL)
    capabilities = wr_model_capabilities_parse (custom->capabilities);
  if (capabilities != WR_MODEL_CAPABILITY_NONE)
    _wr_model_info_set_capabilities (info, capabilities, TRUE);
  else
    _wr_model_info_set_capabilities (info, wr_model_capabilities_guess (name), FALSE);

  return info;
}

GPtrArray *
_wr_model_catalog_merge (GPtrArray    *sources,
                         GHashTable   *cache,
                         WrPriceTable *prices,
                         gint64        now)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (sources != NULL, items);
  g_return_val_if_fail (prices != NULL, items);

  for (guint i = 0; i < sources->len; i++)
    {
      WrCatalogSource *source = g_ptr_array_index (sources, i);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) group = g_ptr_array_new_with_free_func (g_object_unref);

      if (source->listed != NULL)
        {
          for (guint j = 0; j < source->listed->len; j++)
            {
              const char *name = g_ptr_array_index (source->listed, j);

              if (name == NULL || *name == '\0' || !g_hash_table_add (seen, (gpointer) name))
                continue;
              g_ptr_array_add (group, merge_one (source, name, prices, TRUE, now));
            }
        }
      else
        {
          GPtrArray *cached = cache != NULL ? g_hash_table_lookup (cache, source->provider_id) : NULL;

          for (guint j = 0; cached != NULL && j < cached->len; j++)
            {
              WrCachedModel *model = g_ptr_array_index (cached, j);

              if (!g_hash_table_add (seen, model->model))
                continue;
              g_ptr_array_add (group, merge_one (source, model->model, prices, FALSE, model->listed_at));
            }
          if (source->default_model != NULL && !g_hash_table_contains (seen, source->default_model))
            g_ptr_array_add (group, merge_one (source, source->default_model, prices, FALSE, 0));
        }

      g_ptr_array_sort (group, compare_infos);
      g_ptr_array_extend_and_steal (items, g_steal_pointer (&group));
    }

  return items;
}

/* Database ------------------------------------------------------------------- */

typedef struct {
  WrStore    *store;
  GHashTable *cache;     /* provider id → GPtrArray of WrCachedModel */
  GPtrArray  *sources;   /* for writing: element-type WrCatalogSource */
  gint64      now;
} CacheIo;

static gboolean
read_cache_tx (sqlite3   *db,
               gpointer   data,
               GError   **error)
{
  CacheIo *io = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (io->store,
                       "SELECT provider_id, model, listed_at FROM model_cache "
                       "ORDER BY provider_id, model",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *provider_id = (const char *) sqlite3_column_text (stmt, 0);
      WrCachedModel *cached = g_new0 (WrCachedModel, 1);
      GPtrArray *models = g_hash_table_lookup (io->cache, provider_id);

      if (models == NULL)
        {
          models = g_ptr_array_new_with_free_func ((GDestroyNotify) cached_model_free);
          g_hash_table_insert (io->cache, g_strdup (provider_id), models);
        }
      cached->model = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      cached->listed_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (models, cached);
    }

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (io->store, rc, error);

  return TRUE;
}

static gboolean
write_cache_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  CacheIo *io = data;

  for (guint i = 0; i < io->sources->len; i++)
    {
      WrCatalogSource *source = g_ptr_array_index (io->sources, i);
      int rc;

      if (source->listed == NULL)
        continue;

      {
        g_autoptr(WrDbStmt) del =
          _wr_store_prepare (io->store, "DELETE FROM model_cache WHERE provider_id = ?1", error);

        if (del == NULL)
          return FALSE;
        sqlite3_bind_text (del, 1, source->provider_id, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step (del)) != SQLITE_DONE)
          return _wr_store_sqlite_error (io->store, rc, error);
      }

      for (guint j = 0; j < source->listed->len; j++)
        {
          const char *model = g_ptr_array_index (source->listed, j);
          g_autoptr(WrDbStmt) ins = NULL;

          if (model == NULL || *model == '\0')
            continue;
          ins = _wr_store_prepare (io->store,
                                   "INSERT OR REPLACE INTO model_cache (provider_id, model, listed_at) "
                                   "VALUES (?1, ?2, ?3)",
                                   error);
          if (ins == NULL)
            return FALSE;
          sqlite3_bind_text (ins, 1, source->provider_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (ins, 2, model, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (ins, 3, io->now);
          if ((rc = sqlite3_step (ins)) != SQLITE_DONE)
            return _wr_store_sqlite_error (io->store, rc, error);
        }
    }

  return TRUE;
}

/* Refresh -------------------------------------------------------------------- */

/* One provider's listing: stopped when the caller cancels, or when it
 * takes longer than the provider's connect timeout (a listing is one small
 * request; a server that accepts and then says nothing must not hold the
 * others back for the whole idle timeout). */
typedef struct {
  GCancellable *cancellable;
  guint         deadline_id;
  gboolean      timed_out;
} Listing;

static void
listing_free (Listing *listing)
{
  g_clear_handle_id (&listing->deadline_id, g_source_remove);
  g_clear_object (&listing->cancellable);
  g_free (listing);
}

static gboolean
listing_deadline_cb (gpointer data)
{
  Listing *listing = data;

  listing->deadline_id = 0;
  listing->timed_out = TRUE;
  g_cancellable_cancel (listing->cancellable);
  return G_SOURCE_REMOVE;
}

typedef struct {
  guint64       generation;  /* a re-pricing: the generation it re-prices */
  gboolean      repricing;   /* no listing: new prices over the last lists */
  GPtrArray    *sources;     /* element-type WrCatalogSource */
  GPtrArray    *providers;   /* element-type WrProvider, parallel to sources */
  GPtrArray    *listings;    /* element-type Listing, parallel to providers */
  GCancellable *cancellable; /* the caller's, nullable */
  gulong        cancelled_id;
  guint         pending;     /* listings + the database read */
  WrPriceTable *prices;
  GHashTable   *cache;
  GError       *db_error;
  gint64        now;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  if (refresh->cancellable != NULL)
    g_cancellable_disconnect (refresh->cancellable, refresh->cancelled_id);
  g_clear_object (&refresh->cancellable);
  g_clear_pointer (&refresh->sources, g_ptr_array_unref);
  g_clear_pointer (&refresh->providers, g_ptr_array_unref);
  g_clear_pointer (&refresh->listings, g_ptr_array_unref);
  g_clear_pointer (&refresh->prices, wr_price_table_unref);
  g_clear_pointer (&refresh->cache, g_hash_table_unref);
  g_clear_error (&refresh->db_error);
  g_free (refresh);
}

static void
set_refreshing (WrModelCatalog *self,
                gboolean        starting)
{
  gboolean before = self->n_refreshing > 0;

  if (starting)
    self->n_refreshing++;
  else
    self->n_refreshing--;

  if (before != (self->n_refreshing > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

static gboolean
provider_present (WrModelCatalog *self,
                  const char     *provider_id)
{
  GListModel *providers = G_LIST_MODEL (self->providers);
  guint n = g_list_model_get_n_items (providers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (providers, i);

      if (g_strcmp0 (wr_provider_get_id (provider), provider_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
replace_items (WrModelCatalog *self,
               GPtrArray      *items)
{
  guint removed = self->items->len;

  g_ptr_array_unref (self->items);
  self->items = g_ptr_array_ref (items);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, items->len);
}

static void
apply (WrModelCatalog *self,
       Refresh        *refresh,
       GPtrArray      *merged)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* A refresh started later has already been shown. A re-pricing applies
   * only over the lists it re-priced. */
  if (refresh->repricing ? refresh->generation != self->applied
                         : refresh->generation <= self->applied)
    return;
  self->applied = refresh->generation;
  g_clear_pointer (&self->last_sources, g_ptr_array_unref);
  self->last_sources = g_ptr_array_ref (refresh->sources);

  g_hash_table_remove_all (self->problems);
  for (guint i = 0; i < refresh->sources->len; i++)
    {
      WrCatalogSource *source = g_ptr_array_index (refresh->sources, i);
      Problem *problem;

      if (source->listed != NULL)
        continue;
      problem = g_new0 (Problem, 1);
      problem->reason = g_strdup (source->reason);
      problem->detail = g_strdup (source->detail);
      g_hash_table_replace (self->problems, g_strdup (source->provider_id), problem);
    }

  /* Providers removed while the refresh ran leave with their models. */
  for (guint i = 0; i < merged->len; i++)
    {
      WrModelInfo *info = g_ptr_array_index (merged, i);

      if (provider_present (self, wr_model_info_get_provider_id (info)))
        g_ptr_array_add (items, g_object_ref (info));
    }

  self->refreshed_at = refresh->now;
  replace_items (self, items);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHED_AT]);
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WrModelCatalog *self = source_object;
  Refresh *refresh = task_data;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GError) error = NULL;
  gboolean any_listed = FALSE;
  CacheIo io = { wr_billing_get_store (self->billing), NULL, refresh->sources, refresh->now };

  merged = _wr_model_catalog_merge (refresh->sources, refresh->cache, refresh->prices, refresh->now);

  for (guint i = 0; i < refresh->sources->len && !refresh->repricing; i++)
    any_listed |= ((WrCatalogSource *) g_ptr_array_index (refresh->sources, i))->listed != NULL;

  /* The cache only helps while a provider is away; failing to update it
   * must not hide what was just listed. */
  if (any_listed && !_wr_store_run_transaction (io.store, write_cache_tx, &io, &error))
    g_debug ("Could not update the model cache: %s", error->message);

  g_task_return_pointer (task, g_steal_pointer (&merged), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
refresh_is_repricing (GTask *task)
{
  return ((Refresh *) g_task_get_task_data (task))->repricing;
}

static void
merge_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  WrModelCatalog *self = WR_MODEL_CATALOG (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GError) error = NULL;

  merged = g_task_propagate_pointer (G_TASK (result), &error);
  if (!refresh_is_repricing (task))
    set_refreshing (self, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (merged == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply (self, g_task_get_task_data (task), merged);
  g_task_return_boolean (task, TRUE);
}

/* One part (a listing or the database read) is back. */
static void
refresh_part_done (GTask *task)
{
  WrModelCatalog *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GTask) merge = NULL;

  g_assert (refresh->pending > 0);
  if (--refresh->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    {
      if (!refresh->repricing)
        set_refreshing (self, FALSE);
      return;
    }
  if (refresh->db_error != NULL)
    {
      if (!refresh->repricing)
        set_refreshing (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&refresh->db_error));
      return;
    }

  merge = g_task_new (self, g_task_get_cancellable (task), merge_done_cb, g_object_ref (task));
  g_task_set_source_tag (merge, refresh_part_done);
  g_task_set_task_data (merge, refresh, NULL);   /* owned by @task, which outlives it */
  g_task_run_in_thread (merge, merge_thread);
}

static void
list_models_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WrProvider *provider = WR_PROVIDER (object);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *models;
  guint index;

  models = wr_provider_list_models_finish (provider, result, &error);

  if (g_ptr_array_find (refresh->providers, provider, &index))
    {
      WrCatalogSource *source = g_ptr_array_index (refresh->sources, index);
      Listing *listing = g_ptr_array_index (refresh->listings, index);

      g_clear_handle_id (&listing->deadline_id, g_source_remove);
      if (models == NULL && listing->timed_out &&
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_TIMEOUT,
                               "No model list in time");
        }

      if (models != NULL)
        source->listed = g_ptr_array_ref (models);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          source->reason = g_strdup (_wr_model_catalog_short_reason (provider, error));
          source->detail = wr_provider_describe_error (provider, error);
        }
    }

  g_clear_pointer (&models, g_ptr_array_unref);
  refresh_part_done (task);
}

typedef struct {
  WrPriceTable *prices;
  GHashTable   *cache;
} ReadResult;

static void
read_result_free (ReadResult *read)
{
  g_clear_pointer (&read->prices, wr_price_table_unref);
  g_clear_pointer (&read->cache, g_hash_table_unref);
  g_free (read);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrModelCatalog *self = source_object;
  ReadResult *read = g_new0 (ReadResult, 1);
  GError *error = NULL;
  CacheIo io = { wr_billing_get_store (self->billing), NULL, NULL, 0 };

  read->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  io.cache = read->cache;

  read->prices = wr_billing_load_price_table (self->billing, &error);
  if (read->prices == NULL || !_wr_store_run_read (io.store, read_cache_tx, &io, &error))
    {
      read_result_free (read);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, read, (GDestroyNotify) read_result_free);
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *refresh = g_task_get_task_data (task);
  ReadResult *read;

  read = g_task_propagate_pointer (G_TASK (result), &refresh->db_error);
  if (read != NULL)
    {
      refresh->prices = g_steal_pointer (&read->prices);
      refresh->cache = g_steal_pointer (&read->cache);
      read_result_free (read);
    }

  refresh_part_done (task);
}

/* May run in the thread that cancels: only cancels the listings. */
static void
on_refresh_cancelled_cb (GCancellable *cancellable,
                         gpointer      data)
{
  Refresh *refresh = data;

  for (guint i = 0; i < refresh->listings->len; i++)
    g_cancellable_cancel (((Listing *) g_ptr_array_index (refresh->listings, i))->cancellable);
}

/* Starts the database read and, unless re-pricing, every listing. */
static void
start_refresh (WrModelCatalog *self,
               GTask          *task,
               Refresh        *refresh)
{
  g_autoptr(GTask) read = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  refresh->now = refresh->repricing ? self->refreshed_at : wr_now_usec ();
  refresh->pending = refresh->providers->len + 1;
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_free);

  if (!refresh->repricing)
    set_refreshing (self, TRUE);

  read = g_task_new (self, cancellable, read_done_cb, g_object_ref (task));
  g_task_set_source_tag (read, read_thread);
  g_task_run_in_thread (read, read_thread);

  if (cancellable != NULL)
    {
      refresh->cancellable = g_object_ref (cancellable);
      refresh->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_refresh_cancelled_cb),
                                                     refresh, NULL);
    }

  for (guint i = 0; i < refresh->providers->len; i++)
    {
      WrProvider *provider = g_ptr_array_index (refresh->providers, i);
      Listing *listing = g_ptr_array_index (refresh->listings, i);
      guint seconds = wr_provider_get_connect_timeout (provider);

      if (seconds > 0)
        listing->deadline_id = g_timeout_add_seconds (seconds, listing_deadline_cb, listing);
      wr_provider_list_models_async (provider, listing->cancellable, list_models_cb, g_object_ref (task));
    }
}

static Refresh *
refresh_new (void)
{
  Refresh *refresh = g_new0 (Refresh, 1);

  refresh->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) _wr_catalog_source_free);
  refresh->providers = g_ptr_array_new_with_free_func (g_object_unref);
  refresh->listings = g_ptr_array_new_with_free_func ((GDestroyNotify) listing_free);

  return refresh;
}

void
wr_model_catalog_refresh_async (WrModelCatalog      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GListModel *providers;
  Refresh *refresh;
  guint n;

  g_return_if_fail (WR_IS_MODEL_CATALOG (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_model_catalog_refresh_async);

  providers = G_LIST_MODEL (self->providers);
  n = g_list_model_get_n_items (providers);

  refresh = refresh_new ();
  refresh->generation = ++self->started;
  for (guint i = 0; i < n; i++)
    {
      WrProvider *provider = g_list_model_get_item (providers, i);
      Listing *listing = g_new0 (Listing, 1);

      listing->cancellable = g_cancellable_new ();
      g_ptr_array_add (refresh->listings, listing);
      g_ptr_array_add (refresh->providers, provider);
      g_ptr_array_add (refresh->sources,
                       _wr_catalog_source_new (wr_provider_get_id (provider),
                                               wr_provider_get_name (provider),
                                               wr_provider_get_kind (provider),
                                               wr_provider_get_default_model (provider),
                                               wr_billing_is_local_url (wr_provider_get_base_url (provider))));
    }

  start_refresh (self, task, refresh);
}

/* Prices or capabilities changed: merge the last lists again, without
 * asking the providers. */
static void
on_billing_changed_cb (WrModelCatalog *self)
{
  g_autoptr(GTask) task = NULL;
  Refresh *refresh;

  if (self->last_sources == NULL)
    return;

  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_source_tag (task, on_billing_changed_cb);

  refresh = refresh_new ();
  refresh->repricing = TRUE;
  refresh->generation = self->applied;
  for (guint i = 0; i < self->last_sources->len; i++)
    g_ptr_array_add (refresh->sources, catalog_source_copy (g_ptr_array_index (self->last_sources, i)));

  start_refresh (self, task, refresh);
}

gboolean
wr_model_catalog_refresh_finish (WrModelCatalog  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (WR_IS_MODEL_CATALOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Registry changes ------------------------------------------------------------ */

static void
on_providers_changed_cb (WrModelCatalog *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         GListModel     *providers)
{
  g_autoptr(GPtrArray) items = NULL;

  if (removed == 0)
    return;

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      WrModelInfo *info = g_ptr_array_index (self->items, i);

      if (provider_present (self, wr_model_info_get_provider_id (info)))
        g_ptr_array_add (items, g_object_ref (info));
    }

  if (items->len != self->items->len)
    replace_items (self, items);
}

/* GListModel ----------------------------------------------------------------- */

static GType
wr_model_catalog_get_item_type (GListModel *model)
{
  return WR_TYPE_MODEL_INFO;
}

static guint
wr_model_catalog_get_n_items (GListModel *model)
{
  return WR_MODEL_CATALOG (model)->items->len;
}

static gpointer
wr_model_catalog_get_item (GListModel *model,
                           guint       position)
{
  WrModelCatalog *self = WR_MODEL_CATALOG (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = wr_model_catalog_get_item_type;
  iface->get_n_items = wr_model_catalog_get_n_items;
  iface->get_item = wr_model_catalog_get_item;
}

/* GObject --------------------------------------------------------------------- */

static void
wr_model_catalog_dispose (GObject *object)
{
  WrModelCatalog *self = WR_MODEL_CATALOG (object);

  if (self->providers != NULL)
    g_signal_handlers_disconnect_by_data (self->providers, self);
  if (self->billing != NULL)
    g_signal_handlers_disconnect_by_data (self->billing, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->providers);
  g_clear_object (&self->billing);

  G_OBJECT_CLASS (wr_model_catalog_parent_class)->dispose (object);
}

static void
wr_model_catalog_finalize (GObject *object)
{
  WrModelCatalog *self = WR_MODEL_CATALOG (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->last_sources, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_hash_table_unref);

  G_OBJECT_CLASS (wr_model_catalog_parent_class)->finalize (object);
}

static void
wr_model_catalog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WrModelCatalog *self = WR_MODEL_CATALOG (object);

  switch (prop_id)
    {
    case PROP_REFRESHING:
      g_value_set_boolean (value, self->n_refreshing > 0);
      break;
    case PROP_REFRESHED_AT:
      g_value_set_int64 (value, self->refreshed_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_model_catalog_class_init (WrModelCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_model_catalog_dispose;
  object_class->finalize = wr_model_catalog_finalize;
  object_class->get_property = wr_model_catalog_get_property;

  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESHED_AT] =
    g_param_spec_int64 ("refreshed-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_model_catalog_init (WrModelCatalog *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) problem_free);
}

/* API ------------------------------------------------------------------------- */

WrModelCatalog *
wr_model_catalog_new (WrProviderRegistry *providers,
                      WrBilling          *billing)
{
  WrModelCatalog *self;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (providers), NULL);
  g_return_val_if_fail (WR_IS_BILLING (billing), NULL);

  self = g_object_new (WR_TYPE_MODEL_CATALOG, NULL);
  self->providers = g_object_ref (providers);
  self->billing = g_object_ref (billing);
  g_signal_connect_object (providers, "items-changed", G_CALLBACK (on_providers_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (billing, "changed", G_CALLBACK (on_billing_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return self;
}

gboolean
wr_model_catalog_get_refreshing (WrModelCatalog *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CATALOG (self), FALSE);
  return self->n_refreshing > 0;
}

gint64
wr_model_catalog_get_refreshed_at (WrModelCatalog *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CATALOG (self), 0);
  return self->refreshed_at;
}

WrModelInfo *
wr_model_catalog_lookup (WrModelCatalog *self,
                         const char     *model,
                         const char     *provider_id)
{
  WrModelInfo *first = NULL;

  g_return_val_if_fail (WR_IS_MODEL_CATALOG (self), NULL);

  if (model == NULL)
    return NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      WrModelInfo *info = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (wr_model_info_get_name (info), model) != 0)
        continue;
      if (provider_id != NULL)
        {
          if (g_strcmp0 (wr_model_info_get_provider_id (info), provider_id) == 0)
            return g_object_ref (info);
          continue;
        }
      if (wr_model_info_get_available (info))
        return g_object_ref (info);
      if (first == NULL)
        first = info;
    }

  return first != NULL ? g_object_ref (first) : NULL;
}

WrModelInfo *
wr_model_catalog_get_first_available (WrModelCatalog *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CATALOG (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      WrModelInfo *info = g_ptr_array_index (self->items, i);

      if (wr_model_info_get_available (info) &&
          wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_CHAT))
        return g_object_ref (info);
    }

  return NULL;
}

gboolean
wr_model_catalog_get_provider_problem (WrModelCatalog  *self,
                                       const char      *provider_id,
                                       const char     **out_reason,
                                       const char     **out_detail)
{
  Problem *problem;

  g_return_val_if_fail (WR_IS_MODEL_CATALOG (self), FALSE);

  problem = provider_id != NULL ? g_hash_table_lookup (self->problems, provider_id) : NULL;
  if (out_reason != NULL)
    *out_reason = problem != NULL ? problem->reason : NULL;
  if (out_detail != NULL)
    *out_detail = problem != NULL ? problem->detail : NULL;

  return problem != NULL;
}
