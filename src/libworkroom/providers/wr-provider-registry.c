/* wr-provider-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "secrets/wr-secrets.h"
#include "wr-util.h"
#include "wr-anthropic-provider.h"
#include "wr-gemini-provider.h"
#include "wr-openai-provider.h"
#include "wr-provider-registry.h"

#define SECRET_KIND "provider"
#define ENV_OPENAI_ID "env-openai"
#define ENV_OLLAMA_ID "env-ollama"
#define ENV_ANTHROPIC_ID "env-anthropic"
#define ENV_GOOGLE_ID "env-google"
#define DETECTED_OLLAMA_ID "detected-ollama"

/* What the environment's hosted providers answer with when neither the
 * chat, the project nor the profile names a model (Anthropic's is also the
 * shipped failover target for gpt-4o). Only at the services' own address,
 * as for OpenAI: another base URL may serve other models, and the chat
 * service then takes the first one it lists. */
#define ENV_ANTHROPIC_DEFAULT_MODEL "claude-3-5-sonnet-latest"
#define ENV_GOOGLE_DEFAULT_MODEL "gemini-2.0-flash"

struct _WrProviderRegistry
{
  GObject    parent_instance;

  WrStore   *store;
  GPtrArray *providers;          /* element-type WrProvider */
  char      *default_provider_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WrProviderRegistry, wr_provider_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* What a load found, built in a worker thread and applied on the owner's. */
typedef struct
{
  GPtrArray *providers;
  char      *default_provider_id;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->providers, g_ptr_array_unref);
  g_free (result->default_provider_id);
  g_free (result);
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* "127.0.0.1:11434" or "http://host:port/" → "http://host:port" */
static char *
normalize_host (const char *host)
{
  g_autofree char *url = NULL;
  gsize len;

  if (g_str_has_prefix (host, "http://") || g_str_has_prefix (host, "https://"))
    url = g_strdup (host);
  else
    url = g_strconcat ("http://", host, NULL);

  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';

  return g_steal_pointer (&url);
}

static char *
ollama_base_url (const char *host)
{
  g_autofree char *normalized = normalize_host (host);

  if (g_str_has_suffix (normalized, "/v1"))
    return g_steal_pointer (&normalized);

  return g_strconcat (normalized, "/v1", NULL);
}

typedef WrProvider *(*ProviderNewFunc) (const char       *id,
                                        const char       *name,
                                        const char       *base_url,
                                        const char       *api_key,
                                        WrProviderSource  source);

/* The wire protocol of each kind a provider can be saved with. */
static const struct {
  const char      *kind;
  ProviderNewFunc  new_provider;
} provider_kinds[] = {
  { "openai", wr_openai_provider_new },
  { "anthropic", wr_anthropic_provider_new },
  { "google", wr_gemini_provider_new },
};

/* NULL for a kind we cannot save. */
static ProviderNewFunc
lookup_kind (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (provider_kinds); i++)
    if (g_str_equal (kind, provider_kinds[i].kind))
      return provider_kinds[i].new_provider;
  return NULL;
}

static WrProvider *
provider_from_record (WrProviderRecord *record,
                      const char       *api_key)
{
  ProviderNewFunc new_provider = lookup_kind (wr_provider_record_get_kind (record));
  WrProvider *provider;

  /* Rows of another kind (from before kinds were checked) were OpenAI's. */
  if (new_provider == NULL)
    new_provider = wr_openai_provider_new;

  provider = new_provider (wr_provider_record_get_id (record),
                           wr_provider_record_get_name (record),
                           wr_provider_record_get_base_url (record),
                           api_key,
                           WR_PROVIDER_SOURCE_STORED);
  wr_provider_set_default_model (provider, wr_provider_record_get_default_model (record));

  return provider;
}

static void
add_environment_providers (GPtrArray *providers)
{
  const char *openai_key = getenv_nonempty ("OPENAI_API_KEY");
  const char *openai_url = getenv_nonempty ("OPENAI_BASE_URL");
  const char *ollama_host = getenv_nonempty ("OLLAMA_HOST");
  const char *anthropic_key = getenv_nonempty ("ANTHROPIC_API_KEY");
  const char *anthropic_url = getenv_nonempty ("ANTHROPIC_BASE_URL");
  const char *google_key = getenv_nonempty ("GOOGLE_API_KEY");
  const char *google_url = getenv_nonempty ("GOOGLE_BASE_URL");

  /* A base URL alone is enough for local OpenAI-compatible servers. */
  if (openai_key != NULL || openai_url != NULL)
    {
      WrProvider *provider;

      provider = wr_openai_provider_new (ENV_OPENAI_ID,
                                         _("OpenAI (environment)"),
                                         openai_url != NULL ? openai_url : WR_OPENAI_DEFAULT_BASE_URL,
                                         openai_key,
                                         WR_PROVIDER_SOURCE_ENVIRONMENT);
      if (openai_url == NULL)
        wr_provider_set_default_model (provider, "gpt-4o-mini");
      g_ptr_array_add (providers, provider);
    }

  if (ollama_host != NULL)
    {
      g_autofree char *base_url = ollama_base_url (ollama_host);

      g_ptr_array_add (providers,
                       wr_openai_provider_new (ENV_OLLAMA_ID,
                                               _("Ollama (environment)"),
                                               base_url,
                                               NULL,
                                               WR_PROVIDER_SOURCE_ENVIRONMENT));
    }

  /* Hosted APIs: nothing to talk to without a key. */
  if (anthropic_key != NULL)
    {
      WrProvider *provider;

      provider = wr_anthropic_provider_new (ENV_ANTHROPIC_ID,
                                            _("Anthropic (environment)"),
                                            anthropic_url != NULL ? anthropic_url : WR_ANTHROPIC_DEFAULT_BASE_URL,
                                            anthropic_key,
                                            WR_PROVIDER_SOURCE_ENVIRONMENT);
      if (anthropic_url == NULL)
        wr_provider_set_default_model (provider, ENV_ANTHROPIC_DEFAULT_MODEL);
      g_ptr_array_add (providers, provider);
    }

  if (google_key != NULL)
    {
      WrProvider *provider;

      provider = wr_gemini_provider_new (ENV_GOOGLE_ID,
                                         _("Google Gemini (environment)"),
                                         google_url != NULL ? google_url : WR_GEMINI_DEFAULT_BASE_URL,
                                         google_key,
                                         WR_PROVIDER_SOURCE_ENVIRONMENT);
      if (google_url == NULL)
        wr_provider_set_default_model (provider, ENV_GOOGLE_DEFAULT_MODEL);
      g_ptr_array_add (providers, provider);
    }
}

static LoadResult *
load_sync (WrStore       *store,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(WrProfile) profile = NULL;
  LoadResult *result;

  records = wr_store_list_providers (store, error);
  if (records == NULL)
    return NULL;

  profile = wr_store_get_profile (store, error);
  if (profile == NULL)
    return NULL;

  result = g_new0 (LoadResult, 1);
  result->providers = g_ptr_array_new_with_free_func (g_object_unref);
  result->default_provider_id = g_strdup (wr_profile_get_default_provider_id (profile));

  for (guint i = 0; i < records->len; i++)
    {
      WrProviderRecord *record = g_ptr_array_index (records, i);
      g_autoptr(GError) secret_error = NULL;
      char *api_key;

      /* A locked or missing keyring leaves the provider without a key; the
       * provider then reports an authentication error that says so. */
      api_key = wr_secrets_lookup (SECRET_KIND, wr_provider_record_get_id (record),
                                   cancellable, &secret_error);
      if (secret_error != NULL)
        g_debug ("No API key for provider %s: %s",
                 wr_provider_record_get_id (record), secret_error->message);

      g_ptr_array_add (result->providers, provider_from_record (record, api_key));
      wr_secrets_free (api_key);
    }

  add_environment_providers (result->providers);

  return result;
}

static void
apply_load_result (WrProviderRegistry *self,
                   LoadResult         *result)
{
  guint removed = self->providers->len;
  guint added = result->providers->len;

  g_ptr_array_set_size (self->providers, 0);
  for (guint i = 0; i < result->providers->len; i++)
    g_ptr_array_add (self->providers, g_object_ref (g_ptr_array_index (result->providers, i)));

  g_free (self->default_provider_id);
  self->default_provider_id = g_steal_pointer (&result->default_provider_id);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
}

static guint
find_index (WrProviderRegistry *self,
            const char         *id)
{
  for (guint i = 0; i < self->providers->len; i++)
    if (g_strcmp0 (wr_provider_get_id (g_ptr_array_index (self->providers, i)), id) == 0)
      return i;

  return G_MAXUINT;
}

static GType
list_model_get_item_type (GListModel *model)
{
  return WR_TYPE_PROVIDER;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return WR_PROVIDER_REGISTRY (model)->providers->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  WrProviderRegistry *self = WR_PROVIDER_REGISTRY (model);

  if (position >= self->providers->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->providers, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
wr_provider_registry_dispose (GObject *object)
{
  WrProviderRegistry *self = WR_PROVIDER_REGISTRY (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (wr_provider_registry_parent_class)->dispose (object);
}

static void
wr_provider_registry_finalize (GObject *object)
{
  WrProviderRegistry *self = WR_PROVIDER_REGISTRY (object);

  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_free (self->default_provider_id);

  G_OBJECT_CLASS (wr_provider_registry_parent_class)->finalize (object);
}

static void
wr_provider_registry_class_init (WrProviderRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_provider_registry_dispose;
  object_class->finalize = wr_provider_registry_finalize;
}

static void
wr_provider_registry_init (WrProviderRegistry *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
}

WrProviderRegistry *
wr_provider_registry_new (WrStore *store)
{
  WrProviderRegistry *self;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);

  self = g_object_new (WR_TYPE_PROVIDER_REGISTRY, NULL);
  self->store = g_object_ref (store);

  return self;
}

gboolean
wr_provider_registry_load (WrProviderRegistry  *self,
                           GCancellable        *cancellable,
                           GError             **error)
{
  LoadResult *result;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), FALSE);

  result = load_sync (self->store, cancellable, error);
  if (result == NULL)
    return FALSE;

  apply_load_result (self, result);
  load_result_free (result);

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrStore *store = task_data;
  GError *error = NULL;
  LoadResult *result;

  result = load_sync (store, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

void
wr_provider_registry_load_async (WrProviderRegistry  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_PROVIDER_REGISTRY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_provider_registry_load_async);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

gboolean
wr_provider_registry_load_finish (WrProviderRegistry  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  LoadResult *load_result;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  load_result = g_task_propagate_pointer (G_TASK (result), error);
  if (load_result == NULL)
    return FALSE;

  apply_load_result (self, load_result);
  load_result_free (load_result);

  return TRUE;
}

typedef struct
{
  char *name;
  char *kind;
  char *base_url;
  char *api_key;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->name);
  g_free (data->kind);
  g_free (data->base_url);
  wr_secrets_free (data->api_key);
  g_free (data);
}

static WrProviderRecord *
add_sync (WrStore       *store,
          AddData       *data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(WrProviderRecord) record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *base_url = NULL;

  if (data->name == NULL || *g_strstrip (data->name) == '\0')
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("A provider needs a name."));
      return NULL;
    }

  base_url = normalize_host (data->base_url != NULL ? data->base_url : "");
  if (g_uri_peek_scheme (base_url) == NULL || !g_uri_is_valid (base_url, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("“%s” is not a valid base URL. Use a full address such as https://api.openai.com/v1."),
                   data->base_url != NULL ? data->base_url : "");
      return NULL;
    }

  if (lookup_kind (data->kind) == NULL)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("Unknown provider kind “%s”. Use “openai” for any OpenAI-compatible server, “anthropic” for Anthropic or “google” for Google Gemini."),
                   data->kind != NULL ? data->kind : "");
      return NULL;
    }

  id = wr_new_id ();
  record = wr_provider_record_new ();
  wr_provider_record_set_id (record, id);
  wr_provider_record_set_name (record, data->name);
  wr_provider_record_set_kind (record, data->kind);
  wr_provider_record_set_base_url (record, base_url);

  /* Key first: a provider row whose key could not be kept would fail with a
   * confusing authentication error later. */
  if (data->api_key != NULL && data->api_key[0] != '\0')
    {
      label = g_strdup_printf (_("Workroom API key for %s"), data->name);
      if (!wr_secrets_store (SECRET_KIND, id, label, data->api_key, cancellable, error))
        return NULL;
    }

  if (!wr_store_save_provider (store, record, error))
    {
      wr_secrets_clear (SECRET_KIND, id, NULL, NULL);
      return NULL;
    }

  return g_steal_pointer (&record);
}

static WrProvider *
append_record (WrProviderRegistry *self,
               WrProviderRecord   *record,
               const char         *api_key)
{
  WrProvider *provider = provider_from_record (record, api_key);
  guint position = 0;

  /* Stored providers come before environment ones, in creation order. */
  while (position < self->providers->len &&
         wr_provider_get_source (g_ptr_array_index (self->providers, position)) == WR_PROVIDER_SOURCE_STORED)
    position++;

  g_ptr_array_insert (self->providers, position, provider);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);

  return provider;
}

WrProvider *
wr_provider_registry_add (WrProviderRegistry  *self,
                          const char          *name,
                          const char          *kind,
                          const char          *base_url,
                          const char          *api_key,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(WrProviderRecord) record = NULL;
  AddData data = { (char *) name, (char *) kind, (char *) base_url, (char *) api_key };
  g_autofree char *name_copy = g_strdup (name);

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), NULL);

  data.name = name_copy;
  record = add_sync (self->store, &data, cancellable, error);
  if (record == NULL)
    return NULL;

  return append_record (self, record, api_key);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  WrProviderRegistry *self = source_object;
  GError *error = NULL;
  WrProviderRecord *record;

  record = add_sync (self->store, task_data, cancellable, &error);
  if (record == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, record, g_object_unref);
}

void
wr_provider_registry_add_async (WrProviderRegistry  *self,
                                const char          *name,
                                const char          *kind,
                                const char          *base_url,
                                const char          *api_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AddData *data;

  g_return_if_fail (WR_IS_PROVIDER_REGISTRY (self));

  data = g_new0 (AddData, 1);
  data->name = g_strdup (name);
  data->kind = g_strdup (kind);
  data->base_url = g_strdup (base_url);
  data->api_key = g_strdup (api_key);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_provider_registry_add_async);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);
  g_task_run_in_thread (task, add_thread);
}

WrProvider *
wr_provider_registry_add_finish (WrProviderRegistry  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_autoptr(WrProviderRecord) record = NULL;
  AddData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  record = g_task_propagate_pointer (G_TASK (result), error);
  if (record == NULL)
    return NULL;

  data = g_task_get_task_data (G_TASK (result));

  return append_record (self, record, data->api_key);
}

gboolean
wr_provider_registry_remove (WrProviderRegistry  *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GError             **error)
{
  guint index;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  index = find_index (self, id);
  if (index == G_MAXUINT ||
      wr_provider_get_source (g_ptr_array_index (self->providers, index)) != WR_PROVIDER_SOURCE_STORED)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                   _("No saved provider “%s”. Providers from environment variables are removed by unsetting them."),
                   id);
      return FALSE;
    }

  if (!wr_store_delete_provider (self->store, id, error))
    return FALSE;

  if (!wr_secrets_clear (SECRET_KIND, id, cancellable, error))
    return FALSE;

  g_ptr_array_remove_index (self->providers, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);

  return TRUE;
}

/* What a remove needs in the worker: the store and the id, copied so the
 * thread touches nothing the owner's thread may change. */
typedef struct
{
  WrStore  *store;
  char     *id;
  gboolean  deleted;   /* set by the worker once the row is gone */
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_clear_object (&data->store);
  g_free (data->id);
  g_free (data);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RemoveData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Row first, as the sync remove: a key left behind by a failed clear is
   * harmless, a row without its key would fail with an authentication
   * error. */
  if (!wr_store_delete_provider (data->store, data->id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->deleted = TRUE;

  if (!wr_secrets_clear (SECRET_KIND, data->id, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
wr_provider_registry_remove_async (WrProviderRegistry  *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoveData *data;
  guint index;

  g_return_if_fail (WR_IS_PROVIDER_REGISTRY (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_provider_registry_remove_async);

  index = find_index (self, id);
  if (index == G_MAXUINT ||
      wr_provider_get_source (g_ptr_array_index (self->providers, index)) != WR_PROVIDER_SOURCE_STORED)
    {
      g_task_return_new_error (task, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                               _("No saved provider “%s”. Providers from environment variables are removed by unsetting them."),
                               id);
      return;
    }

  data = g_new0 (RemoveData, 1);
  data->store = g_object_ref (self->store);
  data->id = g_strdup (id);
  g_task_set_task_data (task, data, (GDestroyNotify) remove_data_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
wr_provider_registry_remove_finish (WrProviderRegistry  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  RemoveData *data;
  gboolean ok;
  guint index;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_provider_registry_remove_async, FALSE);

  ok = g_task_propagate_boolean (G_TASK (result), error);

  /* The model changes here, on the caller's thread, once the row is gone
   * (even when the key could not be cleared: the provider no longer exists
   * on the next start either). Look it up again, as a reload may have moved
   * it meanwhile. */
  data = g_task_get_task_data (G_TASK (result));
  if (data == NULL || !data->deleted)
    return ok;

  index = find_index (self, data->id);
  if (index != G_MAXUINT &&
      wr_provider_get_source (g_ptr_array_index (self->providers, index)) == WR_PROVIDER_SOURCE_STORED)
    {
      g_ptr_array_remove_index (self->providers, index);
      g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    }

  return ok;
}

WrProvider *
wr_provider_registry_lookup (WrProviderRegistry *self,
                             const char         *id_or_name)
{
  guint index;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), NULL);

  if (id_or_name == NULL)
    return NULL;

  index = find_index (self, id_or_name);
  if (index != G_MAXUINT)
    return g_ptr_array_index (self->providers, index);

  for (guint i = 0; i < self->providers->len; i++)
    {
      WrProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_ascii_strcasecmp (wr_provider_get_name (provider), id_or_name) == 0)
        return provider;
    }

  return NULL;
}

WrProvider *
wr_provider_registry_get_default (WrProviderRegistry *self)
{
  WrProvider *provider;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), NULL);

  provider = wr_provider_registry_lookup (self, self->default_provider_id);
  if (provider != NULL)
    return provider;

  return self->providers->len > 0 ? g_ptr_array_index (self->providers, 0) : NULL;
}

gboolean
wr_provider_registry_is_empty (WrProviderRegistry *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (self), TRUE);

  return self->providers->len == 0;
}

static void
detect_list_models_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  WrProvider *provider = WR_PROVIDER (object);

  models = wr_provider_list_models_finish (provider, result, &error);
  if (models == NULL)
    {
      g_task_return_new_error (task, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION,
                               _("No Ollama server answered at %s. Start it with “ollama serve”, or add a provider in Preferences."),
                               wr_provider_get_base_url (provider));
      return;
    }

  if (models->len > 0)
    wr_provider_set_default_model (provider, g_ptr_array_index (models, 0));

  g_task_return_pointer (task, g_object_ref (provider), g_object_unref);
}

void
wr_provider_registry_detect_ollama_async (WrProviderRegistry  *self,
                                          const char          *host,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(WrProvider) provider = NULL;
  g_autofree char *base_url = NULL;

  g_return_if_fail (WR_IS_PROVIDER_REGISTRY (self));

  if (host == NULL)
    host = getenv_nonempty ("OLLAMA_HOST");
  if (host == NULL)
    host = WR_OLLAMA_DEFAULT_HOST;

  base_url = ollama_base_url (host);
  provider = wr_openai_provider_new (DETECTED_OLLAMA_ID, "Ollama", base_url, NULL,
                                     WR_PROVIDER_SOURCE_DETECTED);
  /* A local server answers at once or not at all. */
  wr_provider_set_connect_timeout (provider, 2);
  wr_provider_set_idle_timeout (provider, 5);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_provider_registry_detect_ollama_async);
  wr_provider_list_models_async (provider, cancellable, detect_list_models_cb, g_steal_pointer (&task));
}

WrProvider *
wr_provider_registry_detect_ollama_finish (WrProviderRegistry  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
