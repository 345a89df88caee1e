/* wr-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-session.h"

struct _WrSession
{
  GObject             parent_instance;

  char               *data_dir;
  WrStore            *store;
  WrProviderRegistry *providers;
  WrChatService      *chat_service;
  WrBilling          *billing;
  WrHumanizer        *humanizer;      /* made on first use */
  WrModelCatalog     *model_catalog;  /* made on first use */
};

G_DEFINE_FINAL_TYPE (WrSession, wr_session, G_TYPE_OBJECT)

static void
wr_session_dispose (GObject *object)
{
  WrSession *self = WR_SESSION (object);

  g_clear_object (&self->humanizer);
  g_clear_object (&self->model_catalog);
  g_clear_object (&self->chat_service);
  g_clear_object (&self->billing);
  g_clear_object (&self->providers);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (wr_session_parent_class)->dispose (object);
}

static void
wr_session_finalize (GObject *object)
{
  WrSession *self = WR_SESSION (object);

  g_free (self->data_dir);

  G_OBJECT_CLASS (wr_session_parent_class)->finalize (object);
}

static void
wr_session_class_init (WrSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_session_dispose;
  object_class->finalize = wr_session_finalize;
}

static void
wr_session_init (WrSession *self)
{
}

/* The failover chains saved in the profile; the shipped ones when there
 * are none or they cannot be read (a warning says why: the chats still
 * work). Runs where the store is opened (a worker thread for the GUI). */
static void
session_load_failover_policy (WrSession *self)
{
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(WrFailoverPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  const char *json;

  profile = wr_store_get_profile (self->store, &error);
  if (profile == NULL)
    {
      g_warning ("Could not read the failover settings, using the default chains: %s",
                 error->message);
      return;
    }

  json = wr_profile_get_failover_policy (profile);
  if (json == NULL)
    return;

  policy = wr_failover_policy_new_from_json (json, -1, &error);
  if (policy == NULL)
    {
      g_warning ("The saved failover settings are not valid, using the default chains: %s",
                 error->message);
      return;
    }

  wr_router_set_policy (wr_chat_service_get_router (self->chat_service), policy);
}

/* The billing object emits "changed" in the main context current where it
 * is made, so it is made on the caller's thread, not the store's worker. */
static void
session_add_billing (WrSession *self)
{
  self->billing = wr_billing_new (self->store);
  wr_chat_service_set_billing (self->chat_service, self->billing);
}

/* The first open of a profile gives it its welcome credits (once, even
 * when the app and the CLI open it at the same time); every open gives back
 * credits held by calls a crashed process never settled. */
static void
session_grant_welcome (WrSession *self)
{
  g_autoptr(WrBilling) billing = wr_billing_new (self->store);
  g_autoptr(GError) error = NULL;
  const char *text = g_getenv ("WORKROOM_WELCOME_CREDITS");
  gint64 amount = WR_BILLING_WELCOME_CREDITS_MICROS;

  if (text != NULL && *text != '\0' && !wr_billing_parse_credits (text, &amount))
    {
      g_warning ("WORKROOM_WELCOME_CREDITS=%s is not an amount of credits; giving none", text);
      return;
    }

  if (!wr_billing_grant_welcome (billing, amount, NULL, &error))
    g_warning ("Could not give the welcome credits: %s", error->message);
  g_clear_error (&error);

  if (!wr_billing_release_stale_reservations (billing, WR_BILLING_STALE_RESERVATION_USEC, NULL, &error))
    g_warning ("Could not give back credits held by interrupted calls: %s", error->message);
}

/* Opens the store; providers are loaded separately because the registry
 * emits items-changed, which must happen on the owner's thread. */
static WrSession *
session_open_store (const char    *data_dir,
                    GError       **error)
{
  g_autoptr(WrSession) self = g_object_new (WR_TYPE_SESSION, NULL);
  g_autofree char *path = NULL;

  self->data_dir = data_dir != NULL ? g_strdup (data_dir) : wr_store_default_dir ();
  path = g_build_filename (self->data_dir, "workroom.db", NULL);

  self->store = wr_store_open (path, error);
  if (self->store == NULL)
    return NULL;

  self->providers = wr_provider_registry_new (self->store);
  self->chat_service = wr_chat_service_new (self->store, self->providers);
  session_load_failover_policy (self);
  session_grant_welcome (self);

  return g_steal_pointer (&self);
}

WrSession *
wr_session_new (const char    *data_dir,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(WrSession) self = session_open_store (data_dir, error);

  if (self == NULL)
    return NULL;

  session_add_billing (self);

  if (!wr_provider_registry_load (self->providers, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
session_open_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  WrSession *self = session_open_store (task_data, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

static void
session_providers_loaded_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  WrSession *self = g_task_get_task_data (task);

  /* A provider that cannot be loaded must not keep the app from opening:
   * the user can still read chats and fix providers in Preferences. */
  if (!wr_provider_registry_load_finish (WR_PROVIDER_REGISTRY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not load providers: %s", error->message);

  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
session_store_opened_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  WrSession *self;

  self = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, self, g_object_unref);
  session_add_billing (self);
  wr_provider_registry_load_async (self->providers,
                                   g_task_get_cancellable (task),
                                   session_providers_loaded_cb,
                                   g_object_ref (task));
}

void
wr_session_new_async (const char          *data_dir,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) open_task = g_task_new (NULL, cancellable, session_store_opened_cb, g_object_ref (task));

  g_task_set_source_tag (task, wr_session_new_async);
  g_task_set_task_data (open_task, g_strdup (data_dir), g_free);
  g_task_run_in_thread (open_task, session_open_thread);
}

WrSession *
wr_session_new_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
wr_session_get_data_dir (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);
  return self->data_dir;
}

WrStore *
wr_session_get_store (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);
  return self->store;
}

WrProviderRegistry *
wr_session_get_providers (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);
  return self->providers;
}

WrChatService *
wr_session_get_chat_service (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);
  return self->chat_service;
}

WrBilling *
wr_session_get_billing (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);
  return self->billing;
}

WrHumanizer *
wr_session_get_humanizer (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);

  if (self->humanizer == NULL)
    self->humanizer = wr_humanizer_new (self->store, self->chat_service);
  return self->humanizer;
}

WrModelCatalog *
wr_session_get_model_catalog (WrSession *self)
{
  g_return_val_if_fail (WR_IS_SESSION (self), NULL);

  if (self->model_catalog == NULL)
    self->model_catalog = wr_model_catalog_new (self->providers, self->billing);
  return self->model_catalog;
}
