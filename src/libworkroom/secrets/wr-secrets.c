/* wr-secrets.c — API keys in the Secret Service keyring (libsecret)
 *
 * Copyright 2026 The Workroom authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wr-secrets"

#include "wr-secrets.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

/* Items are found by ("kind", "owner-id"); the label is only what the
 * keyring UI shows. SECRET_SCHEMA_NONE: the schema name is stored as the
 * xdg:schema attribute and matched on lookup, so other apps' items with the
 * same attribute names never answer our lookups. */
static const SecretSchema *
wr_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.workroom.Workroom.Secret",
    SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "owner-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0,
  };

  return &schema;
}

G_DEFINE_QUARK (wr-secrets-error-quark, wr_secrets_error)

static gboolean
is_unavailable_error (const GError *error)
{
  /* Errors of the bus connection itself (no session bus, bad address,
   * socket closed): libsecret's only I/O is the bus. */
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED;

  if (error->domain != G_DBUS_ERROR)
    return FALSE;

  switch (error->code)
    {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_DISCONNECTED:
    case G_DBUS_ERROR_NO_REPLY:
    case G_DBUS_ERROR_TIMEOUT:
    case G_DBUS_ERROR_TIMED_OUT:
    case G_DBUS_ERROR_NO_NETWORK:
    case G_DBUS_ERROR_FILE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;
    default:
      return FALSE;
    }
}

static GHashTable *
make_attributes (const char *kind,
                 const char *owner_id)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind));
  g_hash_table_insert (attributes, (gpointer) "owner-id", g_strdup (owner_id));
  return attributes;
}

static GError *
new_locked_error (void)
{
  return g_error_new_literal (WR_SECRETS_ERROR, WR_SECRETS_ERROR_LOCKED,
                              _("The keyring is locked. Unlock it when asked, "
                                "or in Passwords and Keys, and try again."));
}

/* libsecret's lookup answers "nothing" both when there is no such item and
 * when the item's collection is locked and the unlock prompt was dismissed
 * (or could not be shown). Callers would then ask for a key that is in fact
 * saved, so a NULL lookup is followed by a search that does not unlock:
 * items found there are locked ones. */
static gboolean
search_found_items (GList *items)
{
  gboolean found = items != NULL;

  g_list_free_full (items, g_object_unref);
  return found;
}

/* Turns a libsecret/GDBus error into a WR_SECRETS_ERROR one with a message
 * a user can act on. Takes ownership of @error. The secret itself never
 * reaches this point: libsecret sends it inside an encrypted session
 * struct, and no error here is formatted from it. */
static GError *
wr_secrets_map_error (GError *error)
{
  g_autoptr(GError) original = error;
  GError *mapped;

  g_assert (original != NULL);

  /* Cancellation stays G_IO_ERROR_CANCELLED, so callers can ignore it.
   * (A dismissed unlock prompt is not an error in libsecret: see
   * search_found_items().) */
  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&original);

  g_debug ("Keyring error: %s (%s, %d)",
           original->message, g_quark_to_string (original->domain), original->code);

  if (g_error_matches (original, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    mapped = new_locked_error ();
  else if (is_unavailable_error (original))
    mapped = g_error_new_literal (WR_SECRETS_ERROR, WR_SECRETS_ERROR_UNAVAILABLE,
                                  _("No keyring service is running, so API keys cannot "
                                    "be saved or read. Install and start a keyring such "
                                    "as GNOME Keyring or KWallet, then try again."));
  else if (g_error_matches (original, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
           g_error_matches (original, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    mapped = g_error_new_literal (WR_SECRETS_ERROR, WR_SECRETS_ERROR_FAILED,
                                  _("The keyring has no default collection. Create one "
                                    "in Passwords and Keys (or your keyring manager), "
                                    "then try again."));
  else
    mapped = g_error_new (WR_SECRETS_ERROR, WR_SECRETS_ERROR_FAILED,
                          _("Could not use the keyring: %s"), original->message);

  return mapped;
}

static gboolean
propagate_mapped (GError **error,
                  GError  *libsecret_error)
{
  g_propagate_error (error, wr_secrets_map_error (libsecret_error));
  return FALSE;
}

/* Sync API */

gboolean
wr_secrets_store (const char    *kind,
                  const char    *owner_id,
                  const char    *label,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (kind != NULL && *kind != '\0', FALSE);
  g_return_val_if_fail (owner_id != NULL && *owner_id != '\0', FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!secret_password_store_sync (wr_secrets_get_schema (), SECRET_COLLECTION_DEFAULT,
                                   label, secret, cancellable, &local_error,
                                   "kind", kind,
                                   "owner-id", owner_id,
                                   NULL))
    return propagate_mapped (error, local_error);

  return TRUE;
}

char *
wr_secrets_lookup (const char    *kind,
                   const char    *owner_id,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  GList *items;
  char *secret;

  g_return_val_if_fail (kind != NULL && *kind != '\0', NULL);
  g_return_val_if_fail (owner_id != NULL && *owner_id != '\0', NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  attributes = make_attributes (kind, owner_id);
  secret = secret_password_lookupv_sync (wr_secrets_get_schema (), attributes,
                                         cancellable, &local_error);
  if (local_error != NULL)
    {
      wr_secrets_free (secret);
      propagate_mapped (error, local_error);
      return NULL;
    }
  if (secret != NULL)
    return secret;

  items = secret_password_searchv_sync (wr_secrets_get_schema (), attributes,
                                        SECRET_SEARCH_ALL, cancellable, &local_error);
  if (local_error != NULL)
    propagate_mapped (error, local_error);
  else if (search_found_items (items))
    g_propagate_error (error, new_locked_error ());

  return NULL;
}

gboolean
wr_secrets_clear (const char    *kind,
                  const char    *owner_id,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (kind != NULL && *kind != '\0', FALSE);
  g_return_val_if_fail (owner_id != NULL && *owner_id != '\0', FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* FALSE without error only means there was nothing to clear. */
  secret_password_clear_sync (wr_secrets_get_schema (), cancellable, &local_error,
                              "kind", kind,
                              "owner-id", owner_id,
                              NULL);
  if (local_error != NULL)
    return propagate_mapped (error, local_error);

  return TRUE;
}

void
wr_secrets_free (char *secret)
{
  /* Wipes the string before freeing it (and handles non-pageable memory). */
  secret_password_free (secret);
}

/* Async API: libsecret's own async calls, wrapped in a GTask so errors are
 * mapped the same way as in the sync calls. */

static void
on_store_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, wr_secrets_map_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wr_secrets_store_async (const char          *kind,
                        const char          *owner_id,
                        const char          *label,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (kind != NULL && *kind != '\0');
  g_return_if_fail (owner_id != NULL && *owner_id != '\0');
  g_return_if_fail (label != NULL);
  g_return_if_fail (secret != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_secrets_store_async);
  g_task_set_name (task, "wr_secrets_store_async");

  /* libsecret copies @secret into its own (wiped) value right away. */
  secret_password_store (wr_secrets_get_schema (), SECRET_COLLECTION_DEFAULT,
                         label, secret, cancellable,
                         on_store_done_cb, g_steal_pointer (&task),
                         "kind", kind,
                         "owner-id", owner_id,
                         NULL);
}

gboolean
wr_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_search_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, wr_secrets_map_error (error));
  else if (search_found_items (items))
    g_task_return_error (task, new_locked_error ());
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      wr_secrets_free (secret);
      g_task_return_error (task, wr_secrets_map_error (error));
      return;
    }

  if (secret == NULL)
    {
      GHashTable *attributes = g_task_get_task_data (task);
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* Missing or locked? See search_found_items(). */
      secret_password_searchv (wr_secrets_get_schema (), attributes,
                               SECRET_SEARCH_ALL, cancellable,
                               on_lookup_search_done_cb, g_steal_pointer (&task));
      return;
    }

  /* The destroy notify wipes a secret nobody collected. */
  g_task_return_pointer (task, secret, (GDestroyNotify) wr_secrets_free);
}

void
wr_secrets_lookup_async (const char          *kind,
                         const char          *owner_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GHashTable *attributes;

  g_return_if_fail (kind != NULL && *kind != '\0');
  g_return_if_fail (owner_id != NULL && *owner_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_secrets_lookup_async);
  g_task_set_name (task, "wr_secrets_lookup_async");
  attributes = make_attributes (kind, owner_id);
  g_task_set_task_data (task, attributes, (GDestroyNotify) g_hash_table_unref);

  secret_password_lookupv (wr_secrets_get_schema (), attributes, cancellable,
                           on_lookup_done_cb, g_steal_pointer (&task));
}

char *
wr_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, wr_secrets_map_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wr_secrets_clear_async (const char          *kind,
                        const char          *owner_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (kind != NULL && *kind != '\0');
  g_return_if_fail (owner_id != NULL && *owner_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_secrets_clear_async);
  g_task_set_name (task, "wr_secrets_clear_async");

  secret_password_clear (wr_secrets_get_schema (), cancellable,
                         on_clear_done_cb, g_steal_pointer (&task),
                         "kind", kind,
                         "owner-id", owner_id,
                         NULL);
}

gboolean
wr_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
