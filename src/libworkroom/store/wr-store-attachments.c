/* wr-store-attachments.c — the message_attachments table.
 *
 * Runs through the store's own connection (wr-store-db.h), so it shares
 * its lock, statement cache and write retries. An attachment belongs to a
 * message: it is listed only while the message and its chat are live, and
 * the database removes it with the message row (ON DELETE CASCADE).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-attachment.h"
#include "wr-attachment-private.h"
#include "wr-store-db.h"
#include "wr-store-private.h"
#include "wr-util.h"

#define MESSAGE_IS_LIVE_SQL \
  "SELECT 1 FROM messages AS m JOIN chats AS c ON c.id = m.chat_id " \
  "WHERE m.id = ? AND m.deleted_at IS NULL AND c.deleted_at IS NULL"

#define ATTACHMENT_COLUMNS \
  "a.id, a.message_id, a.position, a.name, a.mime_type, a.data, a.created_at"

/* Live attachments of a live message in a live chat, in order. */
#define LIST_SQL \
  "SELECT " ATTACHMENT_COLUMNS " FROM message_attachments AS a " \
  "JOIN messages AS m ON m.id = a.message_id " \
  "JOIN chats AS c ON c.id = m.chat_id " \
  "WHERE a.message_id = ? AND a.deleted_at IS NULL " \
  "AND m.deleted_at IS NULL AND c.deleted_at IS NULL " \
  "ORDER BY a.position, a.rowid"

static gboolean
message_not_found (GError **error)
{
  g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                       _("The message no longer exists. It may have been deleted in another window."));
  return FALSE;
}

static gboolean
check_count (guint     count,
             GError  **error)
{
  if (count <= WR_ATTACHMENT_MAX_PER_MESSAGE)
    return TRUE;

  g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
               /* Translators: %d is the most images one message may carry (8). */
               ngettext ("A message can carry at most %d image. Remove some, then send again.",
                         "A message can carry at most %d images. Remove some, then send again.",
                         WR_ATTACHMENT_MAX_PER_MESSAGE),
               WR_ATTACHMENT_MAX_PER_MESSAGE);
  return FALSE;
}

static gboolean
message_is_live (WrStore     *store,
                 const char  *message_id,
                 gboolean    *live,
                 GError     **error)
{
  g_autoptr(WrDbStmt) stmt = _wr_store_prepare (store, MESSAGE_IS_LIVE_SQL, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _wr_store_sqlite_error (store, rc, error);

  *live = rc == SQLITE_ROW;
  return TRUE;
}

/* Adding */

typedef struct
{
  WrStore    *store;
  const char *message_id;
  GPtrArray  *attachments;   /* element-type WrAttachment */
  char      **ids;           /* out: one per attachment */
  guint       first_position;
  gint64      now;
} AddData;

static gboolean
add_tx (sqlite3   *db,
        gpointer   user_data,
        GError   **error)
{
  AddData *data = user_data;
  gboolean live = FALSE;
  guint existing;
  int rc;

  if (!message_is_live (data->store, data->message_id, &live, error))
    return FALSE;
  if (!live)
    return message_not_found (error);

  {
    g_autoptr(WrDbStmt) stmt =
      _wr_store_prepare (data->store,
                         "SELECT count(*), coalesce(max(position) + 1, 0) FROM message_attachments "
                         "WHERE message_id = ? AND deleted_at IS NULL",
                         error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, data->message_id, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      return _wr_store_sqlite_error (data->store, rc, error);
    existing = (guint) sqlite3_column_int64 (stmt, 0);
    data->first_position = (guint) sqlite3_column_int64 (stmt, 1);
  }

  if (!check_count (existing + data->attachments->len, error))
    return FALSE;

  for (guint i = 0; i < data->attachments->len; i++)
    {
      WrAttachment *attachment = g_ptr_array_index (data->attachments, i);
      GBytes *bytes = wr_attachment_get_data (attachment);
      gsize size;
      gconstpointer blob = g_bytes_get_data (bytes, &size);
      g_autoptr(WrDbStmt) stmt =
        _wr_store_prepare (data->store,
                           "INSERT INTO message_attachments "
                           "(id, message_id, position, name, mime_type, data, created_at, updated_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                           error);

      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_text (stmt, 1, data->ids[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, data->message_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, data->first_position + i);
      sqlite3_bind_text (stmt, 4, wr_attachment_get_name (attachment), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, wr_attachment_get_mime_type (attachment), -1, SQLITE_STATIC);
      /* The bytes outlive the statement's step: no copy. */
      sqlite3_bind_blob64 (stmt, 6, size > 0 ? blob : "", size, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, data->now);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (data->store, rc, error);
    }

  return TRUE;
}

gboolean
wr_store_add_attachments (WrStore     *self,
                          const char  *message_id,
                          GPtrArray   *attachments,
                          GError     **error)
{
  AddData data = { 0, };
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);
  g_return_val_if_fail (attachments != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (attachments->len == 0)
    return TRUE;

  /* Refuse before taking the write lock. */
  if (!check_count (attachments->len, error))
    return FALSE;
  for (guint i = 0; i < attachments->len; i++)
    {
      WrAttachment *attachment = g_ptr_array_index (attachments, i);

      g_return_val_if_fail (WR_IS_ATTACHMENT (attachment), FALSE);
      if (!wr_attachment_check (attachment, error))
        return FALSE;
    }

  ids = g_new0 (char *, attachments->len + 1);
  for (guint i = 0; i < attachments->len; i++)
    ids[i] = wr_new_id ();

  data.store = self;
  data.message_id = message_id;
  data.attachments = attachments;
  data.ids = ids;
  data.now = wr_now_usec ();

  if (!_wr_store_run_transaction (self, add_tx, &data, error))
    return FALSE;

  for (guint i = 0; i < attachments->len; i++)
    _wr_attachment_set_stored (g_ptr_array_index (attachments, i), ids[i], message_id,
                               data.first_position + i, data.now);

  return TRUE;
}

/* Listing */

static WrAttachment *
attachment_from_row (sqlite3_stmt *stmt)
{
  const void *blob = sqlite3_column_blob (stmt, 5);
  int size = sqlite3_column_bytes (stmt, 5);

  return _wr_attachment_new_from_row ((const char *) sqlite3_column_text (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1),
                                      (guint) sqlite3_column_int64 (stmt, 2),
                                      (const char *) sqlite3_column_text (stmt, 3),
                                      (const char *) sqlite3_column_text (stmt, 4),
                                      g_bytes_new (blob, size),
                                      sqlite3_column_int64 (stmt, 6));
}

/* Appends the attachments of @message_id to @out; FALSE on a SQLite error. */
static gboolean
list_into (WrStore     *store,
           const char  *message_id,
           GPtrArray   *out,
           GError     **error)
{
  g_autoptr(WrDbStmt) stmt = _wr_store_prepare (store, LIST_SQL, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, attachment_from_row (stmt));

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (store, rc, error);

  return TRUE;
}

typedef struct
{
  WrStore    *store;
  const char *message_id;
  GPtrArray  *out;
} ListData;

static gboolean
list_tx (sqlite3   *db,
         gpointer   user_data,
         GError   **error)
{
  ListData *data = user_data;
  gboolean live = FALSE;

  if (!message_is_live (data->store, data->message_id, &live, error))
    return FALSE;
  if (!live)
    return message_not_found (error);

  return list_into (data->store, data->message_id, data->out, error);
}

GPtrArray *
wr_store_list_attachments (WrStore     *self,
                           const char  *message_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = NULL;
  ListData data;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_ptr_array_new_with_free_func (g_object_unref);
  data = (ListData) { self, message_id, out };
  if (!_wr_store_run_read (self, list_tx, &data, error))
    return NULL;

  return g_steal_pointer (&out);
}

typedef struct
{
  WrStore            *store;
  const char * const *message_ids;
  GHashTable         *out;
} ListManyData;

static gboolean
list_many_tx (sqlite3   *db,
              gpointer   user_data,
              GError   **error)
{
  ListManyData *data = user_data;

  for (guint i = 0; data->message_ids[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) list = NULL;

      if (g_hash_table_contains (data->out, data->message_ids[i]))
        continue;

      list = g_ptr_array_new_with_free_func (g_object_unref);
      if (!list_into (data->store, data->message_ids[i], list, error))
        return FALSE;
      if (list->len > 0)
        g_hash_table_insert (data->out, g_strdup (data->message_ids[i]), g_steal_pointer (&list));
    }

  return TRUE;
}

GHashTable *
wr_store_list_attachments_for_messages (WrStore            *self,
                                        const char * const *message_ids,
                                        GError            **error)
{
  g_autoptr(GHashTable) out = NULL;
  ListManyData data;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (message_ids != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  if (message_ids[0] == NULL)
    return g_steal_pointer (&out);

  data = (ListManyData) { self, message_ids, out };
  if (!_wr_store_run_read (self, list_many_tx, &data, error))
    return NULL;

  return g_steal_pointer (&out);
}

/* Async */

typedef struct
{
  char       *message_id;
  GPtrArray  *attachments;   /* add */
  GStrv       message_ids;   /* list for messages */
} AsyncArgs;

static void
async_args_free (gpointer data)
{
  AsyncArgs *args = data;

  g_free (args->message_id);
  g_clear_pointer (&args->attachments, g_ptr_array_unref);
  g_strfreev (args->message_ids);
  g_free (args);
}

static GTask *
task_new (WrStore             *self,
          gpointer             source_tag,
          AsyncArgs           *args,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, args, async_args_free);
  /* Done in order, like the store's other calls from one view. */
  g_task_set_return_on_cancel (task, FALSE);

  return task;
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  _wr_store_return_boolean_or_error (task,
                                     wr_store_add_attachments (source_object, args->message_id,
                                                               args->attachments, &error),
                                     &error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  _wr_store_return_pointer_or_error (task, wr_store_list_attachments (source_object, args->message_id, &error),
                                     &error, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_many_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;
  GHashTable *table;

  if (g_task_return_error_if_cancelled (task))
    return;
  table = wr_store_list_attachments_for_messages (source_object,
                                                  (const char * const *) args->message_ids, &error);
  _wr_store_return_pointer_or_error (task, table, &error, (GDestroyNotify) g_hash_table_unref);
}

void
wr_store_add_attachments_async (WrStore             *self,
                                const char          *message_id,
                                GPtrArray           *attachments,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (message_id != NULL);
  g_return_if_fail (attachments != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  args = g_new0 (AsyncArgs, 1);
  args->message_id = g_strdup (message_id);
  args->attachments = g_ptr_array_ref (attachments);
  task = task_new (self, wr_store_add_attachments_async, args, cancellable, callback, user_data);
  g_task_run_in_thread (task, add_thread);
}

gboolean
wr_store_add_attachments_finish (WrStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_add_attachments_async, error);
}

void
wr_store_list_attachments_async (WrStore             *self,
                                 const char          *message_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (message_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  args = g_new0 (AsyncArgs, 1);
  args->message_id = g_strdup (message_id);
  task = task_new (self, wr_store_list_attachments_async, args, cancellable, callback, user_data);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
wr_store_list_attachments_finish (WrStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_list_attachments_async, error);
}

void
wr_store_list_attachments_for_messages_async (WrStore             *self,
                                              const char * const  *message_ids,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (message_ids != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  args = g_new0 (AsyncArgs, 1);
  args->message_ids = g_strdupv ((char **) message_ids);
  task = task_new (self, wr_store_list_attachments_for_messages_async, args, cancellable, callback,
                   user_data);
  g_task_run_in_thread (task, list_many_thread);
}

GHashTable *
wr_store_list_attachments_for_messages_finish (WrStore       *self,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_list_attachments_for_messages_async, error);
}
