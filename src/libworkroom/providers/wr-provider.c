/* wr-provider.c — base class of model providers.
 *
 * Holds the connection settings every wire protocol needs and dispatches
 * the async calls to the subclass. The API key lives only in this object's
 * memory; it is never part of notify/debug output or error text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-provider.h"
#include "wr-provider-private.h"
#include "wr-provider-images.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wr-util.h"

/* Extended GError: a rate-limit error carries its Retry-After. */
typedef struct
{
  gint64 retry_after_ms;
} WrProviderErrorPrivate;

static void
wr_provider_error_private_init (WrProviderErrorPrivate *priv)
{
  priv->retry_after_ms = -1;
}

static void
wr_provider_error_private_copy (const WrProviderErrorPrivate *src,
                                WrProviderErrorPrivate       *dest)
{
  dest->retry_after_ms = src->retry_after_ms;
}

static void
wr_provider_error_private_clear (WrProviderErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (WrProviderError, wr_provider_error)

typedef struct
{
  char             *id;
  char             *name;
  char             *kind;
  char             *base_url;
  char             *api_key;
  char             *default_model;
  WrProviderSource  source;
  guint             connect_timeout;
  guint             idle_timeout;
  SoupSession      *session;   /* created on first use, on the caller's thread */
} WrProviderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (WrProvider, wr_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_DEFAULT_MODEL,
  PROP_SOURCE,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* WrChatRequest / WrChatResult */

WrChatRequest *
wr_chat_request_new (const char *model)
{
  WrChatRequest *self = g_new0 (WrChatRequest, 1);

  self->model = g_strdup (model);
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
  self->temperature = -1;
  self->max_tokens = 0;

  return self;
}

void
wr_chat_request_add (WrChatRequest *self,
                     WrMessage     *message)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (WR_IS_MESSAGE (message));

  g_ptr_array_add (self->messages, g_object_ref (message));
}

void
wr_chat_request_add_with_images (WrChatRequest *self,
                                 WrMessage     *message,
                                 GPtrArray     *images)
{
  g_autoptr(GPtrArray) copy = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (WR_IS_MESSAGE (message));

  wr_chat_request_add (self, message);
  if (images == NULL || images->len == 0)
    return;

  /* Our own array: the caller may change theirs afterwards. */
  copy = g_ptr_array_new_full (images->len, g_object_unref);
  for (guint i = 0; i < images->len; i++)
    {
      WrAttachment *image = g_ptr_array_index (images, i);

      g_return_if_fail (WR_IS_ATTACHMENT (image));
      g_ptr_array_add (copy, g_object_ref (image));
    }

  if (self->images == NULL)
    self->images = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_replace (self->images, g_object_ref (message), g_steal_pointer (&copy));
}

GPtrArray *
wr_chat_request_get_images (WrChatRequest *self,
                            WrMessage     *message)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (WR_IS_MESSAGE (message), NULL);

  return self->images != NULL ? g_hash_table_lookup (self->images, message) : NULL;
}

GHashTable *
_wr_chat_request_dup_images (WrChatRequest *self)
{
  GHashTable *copy;
  GHashTableIter iter;
  gpointer message, images;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->images == NULL)
    return NULL;

  /* The per-message arrays never change once added: share them. */
  copy = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_iter_init (&iter, self->images);
  while (g_hash_table_iter_next (&iter, &message, &images))
    g_hash_table_insert (copy, g_object_ref (message), g_ptr_array_ref (images));

  return copy;
}

void
wr_chat_request_free (WrChatRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->model);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->images, g_hash_table_unref);
  g_free (self);
}

WrChatResult *
wr_chat_result_new (void)
{
  WrChatResult *self = g_new0 (WrChatResult, 1);

  self->content = g_strdup ("");
  self->input_tokens = -1;
  self->output_tokens = -1;
  self->retry_after_ms = -1;
  self->first_token_ms = -1;

  return self;
}

void
wr_chat_result_free (WrChatResult *self)
{
  if (self == NULL)
    return;

  g_free (self->content);
  g_free (self->model);
  g_free (self->finish_reason);
  g_free (self);
}

/* Private helpers */

void
_wr_provider_error_set_retry_after (GError *error,
                                    gint64  retry_after_ms)
{
  WrProviderErrorPrivate *priv;

  g_return_if_fail (error != NULL);

  priv = wr_provider_error_get_private (error);
  if (priv != NULL)
    priv->retry_after_ms = retry_after_ms;
}

gint64
_wr_provider_error_get_retry_after (const GError *error)
{
  WrProviderErrorPrivate *priv;

  if (error == NULL)
    return -1;

  priv = wr_provider_error_get_private (error);
  return priv ? priv->retry_after_ms : -1;
}

static char *
replace_all (const char *text,
             const char *needle,
             const char *replacement)
{
  g_auto(GStrv) parts = g_strsplit (text, needle, -1);

  return g_strjoinv (replacement, parts);
}

char *
_wr_provider_redact (WrProvider *self,
                     const char *text)
{
  g_autofree char *redacted = NULL;
  const char *key = NULL;

  if (text == NULL)
    return NULL;

  redacted = wr_redact_secrets (text);
  if (redacted == NULL)
    redacted = g_strdup (text);

  if (self != NULL)
    key = wr_provider_get_api_key (self);

  /* Keys without a recognisable prefix (local servers, proxies) are only
   * caught by looking for the key itself. Very short keys would blank out
   * ordinary words, and are not secrets worth the damage. */
  if (key != NULL && strlen (key) >= 4 && strstr (redacted, key) != NULL)
    {
      char *tmp = replace_all (redacted, key, "[redacted]");
      g_free (redacted);
      redacted = tmp;
    }

  return g_steal_pointer (&redacted);
}

/* g_set_str() is GLib 2.76; we target 2.74. */
static gboolean
set_str (char       **slot,
         const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

/* Default vfuncs */

static void
wr_provider_real_stream_chat_async (WrProvider          *self,
                                    WrChatRequest       *request,
                                    WrChatDeltaFunc      delta_func,
                                    gpointer             delta_data,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data,
                           wr_provider_stream_chat_async,
                           WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_FAILED,
                           "Provider kind “%s” cannot chat",
                           wr_provider_get_kind (self) ? wr_provider_get_kind (self) : "?");
}

static WrChatResult *
wr_provider_real_stream_chat_finish (WrProvider    *self,
                                     GAsyncResult  *result,
                                     WrChatResult **partial,
                                     GError       **error)
{
  if (partial != NULL)
    *partial = NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
wr_provider_real_list_models_async (WrProvider          *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data,
                           wr_provider_list_models_async,
                           WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_FAILED,
                           "Provider kind “%s” cannot list models",
                           wr_provider_get_kind (self) ? wr_provider_get_kind (self) : "?");
}

static GPtrArray *
wr_provider_real_list_models_finish (WrProvider    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

SoupSession *
_wr_provider_get_session (WrProvider *self)
{
  WrProviderPrivate *priv = wr_provider_get_instance_private (self);

  if (priv->session == NULL)
    priv->session = _wr_provider_session_new ();

  return priv->session;
}

/* GObject */

static void
wr_provider_dispose (GObject *object)
{
  WrProviderPrivate *priv = wr_provider_get_instance_private (WR_PROVIDER (object));

  if (priv->session != NULL)
    soup_session_abort (priv->session);
  g_clear_object (&priv->session);

  G_OBJECT_CLASS (wr_provider_parent_class)->dispose (object);
}

static void
wr_provider_finalize (GObject *object)
{
  WrProvider *self = WR_PROVIDER (object);
  WrProviderPrivate *priv = wr_provider_get_instance_private (self);

  g_free (priv->id);
  g_free (priv->name);
  g_free (priv->kind);
  g_free (priv->base_url);
  if (priv->api_key != NULL)
    memset (priv->api_key, 0, strlen (priv->api_key));
  g_free (priv->api_key);
  g_free (priv->default_model);

  G_OBJECT_CLASS (wr_provider_parent_class)->finalize (object);
}

static void
wr_provider_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WrProvider *self = WR_PROVIDER (object);
  WrProviderPrivate *priv = wr_provider_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_KIND:
      g_value_set_string (value, priv->kind);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, priv->base_url);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, priv->api_key);
      break;
    case PROP_DEFAULT_MODEL:
      g_value_set_string (value, priv->default_model);
      break;
    case PROP_SOURCE:
      g_value_set_int (value, priv->source);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, priv->connect_timeout);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, priv->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_provider_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WrProvider *self = WR_PROVIDER (object);
  WrProviderPrivate *priv = wr_provider_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (priv->id);
      priv->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      wr_provider_set_name (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      g_free (priv->kind);
      priv->kind = g_value_dup_string (value);
      break;
    case PROP_BASE_URL:
      wr_provider_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      wr_provider_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_DEFAULT_MODEL:
      wr_provider_set_default_model (self, g_value_get_string (value));
      break;
    case PROP_SOURCE:
      priv->source = g_value_get_int (value);
      break;
    case PROP_CONNECT_TIMEOUT:
      wr_provider_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      wr_provider_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_provider_class_init (WrProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_provider_dispose;
  object_class->finalize = wr_provider_finalize;
  object_class->get_property = wr_provider_get_property;
  object_class->set_property = wr_provider_set_property;

  klass->stream_chat_async = wr_provider_real_stream_chat_async;
  klass->stream_chat_finish = wr_provider_real_stream_chat_finish;
  klass->list_models_async = wr_provider_real_list_models_async;
  klass->list_models_finish = wr_provider_real_list_models_finish;
  klass->embed_async = _wr_provider_real_embed_async;
  klass->embed_finish = _wr_provider_real_embed_finish;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_MODEL] =
    g_param_spec_string ("default-model", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* WrProviderSource has no registered GType; it travels as an int. */
  properties[PROP_SOURCE] =
    g_param_spec_int ("source", NULL, NULL,
                      WR_PROVIDER_SOURCE_STORED, WR_PROVIDER_SOURCE_DETECTED,
                      WR_PROVIDER_SOURCE_STORED,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, 3600, 15,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, 24 * 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_provider_init (WrProvider *self)
{
  WrProviderPrivate *priv = wr_provider_get_instance_private (self);

  priv->connect_timeout = 15;
  priv->idle_timeout = 60;
}

/* Properties */

#define PRIV(self) ((WrProviderPrivate *) wr_provider_get_instance_private (self))

const char *
wr_provider_get_id (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  return PRIV (self)->id;
}

const char *
wr_provider_get_name (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  return PRIV (self)->name;
}

void
wr_provider_set_name (WrProvider *self,
                      const char *name)
{
  g_return_if_fail (WR_IS_PROVIDER (self));

  if (set_str (&PRIV (self)->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wr_provider_get_kind (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  return PRIV (self)->kind;
}

const char *
wr_provider_get_base_url (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  return PRIV (self)->base_url;
}

void
wr_provider_set_base_url (WrProvider *self,
                          const char *base_url)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (WR_IS_PROVIDER (self));

  if (base_url != NULL)
    {
      gsize len;

      normalized = g_strstrip (g_strdup (base_url));
      len = strlen (normalized);
      while (len > 0 && normalized[len - 1] == '/')
        normalized[--len] = '\0';
    }

  if (set_str (&PRIV (self)->base_url, normalized))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

const char *
wr_provider_get_api_key (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  return PRIV (self)->api_key;
}

void
wr_provider_set_api_key (WrProvider *self,
                         const char *api_key)
{
  WrProviderPrivate *priv;

  g_return_if_fail (WR_IS_PROVIDER (self));

  priv = PRIV (self);
  /* An empty key means "no key": no Authorization header is sent. */
  if (api_key != NULL && api_key[0] == '\0')
    api_key = NULL;

  if (g_strcmp0 (priv->api_key, api_key) == 0)
    return;

  if (priv->api_key != NULL)
    memset (priv->api_key, 0, strlen (priv->api_key));
  g_free (priv->api_key);
  priv->api_key = g_strdup (api_key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

const char *
wr_provider_get_default_model (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  return PRIV (self)->default_model;
}

void
wr_provider_set_default_model (WrProvider *self,
                               const char *model)
{
  g_return_if_fail (WR_IS_PROVIDER (self));

  if (model != NULL && model[0] == '\0')
    model = NULL;

  if (set_str (&PRIV (self)->default_model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_MODEL]);
}

WrProviderSource
wr_provider_get_source (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), WR_PROVIDER_SOURCE_STORED);
  return PRIV (self)->source;
}

guint
wr_provider_get_connect_timeout (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), 0);
  return PRIV (self)->connect_timeout;
}

void
wr_provider_set_connect_timeout (WrProvider *self,
                                 guint       seconds)
{
  g_return_if_fail (WR_IS_PROVIDER (self));

  if (PRIV (self)->connect_timeout == seconds)
    return;
  PRIV (self)->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

guint
wr_provider_get_idle_timeout (WrProvider *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), 0);
  return PRIV (self)->idle_timeout;
}

void
wr_provider_set_idle_timeout (WrProvider *self,
                              guint       seconds)
{
  g_return_if_fail (WR_IS_PROVIDER (self));

  if (PRIV (self)->idle_timeout == seconds)
    return;
  PRIV (self)->idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/* Async API */

void
wr_provider_stream_chat_async (WrProvider          *self,
                               WrChatRequest       *request,
                               WrChatDeltaFunc      delta_func,
                               gpointer             delta_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (WR_IS_PROVIDER (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  WR_PROVIDER_GET_CLASS (self)->stream_chat_async (self, request, delta_func, delta_data,
                                                   cancellable, callback, user_data);
}

WrChatResult *
wr_provider_stream_chat_finish (WrProvider    *self,
                                GAsyncResult  *result,
                                WrChatResult **partial,
                                GError       **error)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (partial != NULL)
    *partial = NULL;

  return WR_PROVIDER_GET_CLASS (self)->stream_chat_finish (self, result, partial, error);
}

void
wr_provider_list_models_async (WrProvider          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (WR_IS_PROVIDER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  WR_PROVIDER_GET_CLASS (self)->list_models_async (self, cancellable, callback, user_data);
}

GPtrArray *
wr_provider_list_models_finish (WrProvider    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return WR_PROVIDER_GET_CLASS (self)->list_models_finish (self, result, error);
}

/* Errors */

static const char *
display_name (WrProvider *self)
{
  if (self == NULL)
    return _("The provider");
  if (PRIV (self)->name != NULL && PRIV (self)->name[0] != '\0')
    return PRIV (self)->name;
  if (PRIV (self)->base_url != NULL)
    return PRIV (self)->base_url;
  return _("The provider");
}

char *
wr_provider_describe_error (WrProvider   *self,
                            const GError *error)
{
  g_autofree char *detail = NULL;
  const char *who;

  g_return_val_if_fail (self == NULL || WR_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  who = display_name (self);
  detail = _wr_provider_redact (self, error->message ? error->message : "");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Stopped. The text received so far was kept."));

  if (error->domain != WR_PROVIDER_ERROR)
    /* Translators: %s is a technical error message. */
    return g_strdup_printf (_("Something went wrong: %s. Try again."), detail);

  switch ((WrProviderError) error->code)
    {
    case WR_PROVIDER_ERROR_AUTH:
      if (self != NULL && wr_provider_get_api_key (self) == NULL)
        /* Translators: %s is the provider's name. */
        return g_strdup_printf (_("%s needs an API key. Add one in Preferences → Providers."), who);
      /* Translators: %s is the provider's name. */
      return g_strdup_printf (_("%s rejected the API key. Check the key in Preferences → Providers."), who);

    case WR_PROVIDER_ERROR_MODEL_NOT_FOUND:
      /* Translators: first %s is the provider's name, second the server's message. */
      return g_strdup_printf (_("That model does not exist on %s (%s). Pick another model."), who, detail);

    case WR_PROVIDER_ERROR_RATE_LIMITED:
      {
        gint64 ms = _wr_provider_error_get_retry_after (error);

        if (ms > 0)
          {
            int seconds = (int) MIN ((ms + 999) / 1000, G_MAXINT);
            /* Translators: %s is the provider's name, %d a number of seconds. */
            return g_strdup_printf (ngettext ("%s is limiting requests. Try again in %d second.",
                                              "%s is limiting requests. Try again in %d seconds.",
                                              seconds),
                                    who, seconds);
          }
        /* Translators: %s is the provider's name. */
        return g_strdup_printf (_("%s is limiting requests. Wait a moment, then try again."), who);
      }

    case WR_PROVIDER_ERROR_SERVER:
      /* Translators: first %s is the provider's name, second the server's message. */
      return g_strdup_printf (_("%s is having trouble (%s). Try again later."), who, detail);

    case WR_PROVIDER_ERROR_BAD_REQUEST:
      /* Translators: first %s is the provider's name, second the server's message. */
      return g_strdup_printf (_("%s refused the request (%s). Check the model and its settings, then try again."),
                              who, detail);

    case WR_PROVIDER_ERROR_CONNECTION:
      /* Translators: %s is a URL such as http://127.0.0.1:11434/v1. */
      return g_strdup_printf (_("Cannot reach %s. Check your network connection, or that the server is running."),
                              (self && PRIV (self)->base_url) ? PRIV (self)->base_url : who);

    case WR_PROVIDER_ERROR_TIMEOUT:
      /* Translators: %s is the provider's name. */
      return g_strdup_printf (_("%s stopped answering in time. Check your connection and try again; a slow local model may need a longer timeout."),
                              who);

    case WR_PROVIDER_ERROR_INTERRUPTED:
      /* Translators: %s is the provider's name. */
      return g_strdup_printf (_("The connection to %s dropped mid-answer. The partial answer was kept; send again to retry."),
                              who);

    case WR_PROVIDER_ERROR_PROTOCOL:
      /* Translators: first %s is the provider's name, second the server's message. */
      return g_strdup_printf (_("%s sent an error or an unreadable answer (%s). Try again; if it keeps happening, check that the base URL points to an OpenAI-compatible API."),
                              who, detail);

    case WR_PROVIDER_ERROR_UNSUPPORTED:
      /* The message already says what to choose instead. */
      return g_strdup (detail);

    case WR_PROVIDER_ERROR_FAILED:
    default:
      /* Translators: %s is a technical error message. */
      return g_strdup_printf (_("Something went wrong: %s. Try again."), detail);
    }
}
