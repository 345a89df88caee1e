/* wr-store-private.h — what only the store folder (and its tests) use. */
#pragma once

#include <string.h>

#include "wr-store.h"
#include "wr-template.h"

G_BEGIN_DECLS

/* Replaces *@field with a copy of @value; returns TRUE when it changed, so
 * setters notify only on change. */
static inline gboolean
_wr_set_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* For the async API's workers and _finish() calls. */

/* Returns @result from @task, or *@error when @result is NULL. @error is a
 * pointer because it is read after @result was computed (arguments are
 * evaluated in no particular order). */
static inline void
_wr_store_return_pointer_or_error (GTask          *task,
                                   gpointer        result,
                                   GError        **error,
                                   GDestroyNotify  destroy)
{
  if (result == NULL)
    g_task_return_error (task, *error);
  else
    g_task_return_pointer (task, result, destroy);
}

static inline void
_wr_store_return_boolean_or_error (GTask     *task,
                                   gboolean   ok,
                                   GError   **error)
{
  if (!ok)
    g_task_return_error (task, *error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The pointer a task of @self's started with @source_tag returned. */
static inline gpointer
_wr_store_propagate_pointer (WrStore       *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static inline gboolean
_wr_store_propagate_boolean (WrStore       *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Opens @path and applies migrations only up to @version (tests use it to
 * build databases of every earlier schema). @version <= latest. */
WrStore   *_wr_store_open_at_version (const char  *path,
                                      int          version,
                                      GError     **error);

/* Tests: how long to wait for another process's lock (default 5000 ms). */
void       _wr_store_set_busy_timeout (WrStore    *self,
                                       int         msec);

/* Snapshots for the async API: a worker thread gets a copy, never the
 * caller's object (transfer full). */
WrMessage *_wr_message_copy          (WrMessage   *self);
WrChat    *_wr_chat_copy             (WrChat      *self);
WrProfile *_wr_profile_copy          (WrProfile   *self);
WrTemplate *_wr_template_copy        (WrTemplate  *self);

/* Builds a message from a row without emitting notifications (loading 10,000
 * rows must stay cheap). Strings are copied; @content_len is in bytes. */
WrMessage *_wr_message_new_from_row  (const char      *id,
                                      const char      *chat_id,
                                      const char      *role,
                                      const char      *content,
                                      gsize            content_len,
                                      const char      *model,
                                      const char      *provider_id,
                                      WrMessageStatus  status,
                                      const char      *error,
                                      const char      *route_note,   /* nullable */
                                      gint64           input_tokens,
                                      gint64           output_tokens,
                                      gint64           created_at,
                                      gint64           updated_at);

G_END_DECLS
