/* wr-chat-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "providers/wr-router.h"
#include "store/wr-attachment.h"
#include "store/wr-store-db.h"
#include "store/wr-template.h"
#include "wr-chat-meter.h"
#include "wr-chat-service.h"
#include "wr-chat-service-private.h"
#include "wr-knowledge-context.h"
#include "wr-knowledge-retrieve.h"

/* How often a streaming reply is written to disk, so a crash mid-stream
 * keeps most of it. */
#define STREAM_SAVE_INTERVAL_USEC (2 * G_USEC_PER_SEC)
#define TITLE_MAX_CHARS 48

struct _WrChatService
{
  GObject             parent_instance;

  WrStore            *store;
  WrProviderRegistry *providers;
  WrRouter           *router;   /* failover between the registry's providers */
  WrBilling          *billing;  /* nullable: calls are not metered */
  GHashTable         *busy;     /* chat id → NULL */
  gboolean            treat_as_remote;   /* tests */
};

G_DEFINE_FINAL_TYPE (WrChatService, wr_chat_service, G_TYPE_OBJECT)

G_DEFINE_QUARK (wr-chat-error-quark, wr_chat_error)

enum {
  MESSAGE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------- resolve */

typedef struct
{
  char   *provider_id;          /* asked for (the chat's), nullable */
  char   *model;                /* asked for (the chat's), nullable */
  char   *project_id;           /* nullable */
  char   *project_model;
  char   *profile_model;
  char   *profile_provider_id;
  GStrv   listed_by;            /* providers whose last listing had the model, newest first */
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_free (data->provider_id);
  g_free (data->model);
  g_free (data->project_id);
  g_free (data->project_model);
  g_free (data->profile_model);
  g_free (data->profile_provider_id);
  g_strfreev (data->listed_by);
  g_free (data);
}

typedef struct
{
  WrProvider *provider;
  char       *model;
} Resolved;

static void
resolved_free (Resolved *resolved)
{
  g_clear_object (&resolved->provider);
  g_free (resolved->model);
  g_free (resolved);
}

static const char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* The model the chat will use when it names one, before asking any
 * provider: the chat's own > the project's default > the profile's. */
static const char *
resolve_named_model (ResolveData *data)
{
  if (nonempty (data->model) != NULL)
    return data->model;
  if (data->project_model != NULL)
    return data->project_model;
  if (data->profile_model != NULL)
    return data->profile_model;
  return nonempty (g_getenv ("WORKROOM_DEFAULT_MODEL"));
}

typedef struct
{
  WrStore    *store;
  const char *model;
  GStrv       listed_by;
} ListedBy;

static gboolean
listed_by_tx (sqlite3   *db,
              gpointer   user_data,
              GError   **error)
{
  ListedBy *read = user_data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (read->store,
                       "SELECT provider_id FROM model_cache WHERE model = ?1 ORDER BY listed_at DESC",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, read->model, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (read->store, rc, error);

  read->listed_by = g_strv_builder_end (builder);
  return TRUE;
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  WrChatService *self = source_object;
  ResolveData *data = task_data;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  if (data->project_id != NULL)
    {
      g_autoptr(WrProject) project = wr_store_get_project (self->store, data->project_id, &error);

      if (project == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      data->project_model = g_strdup (nonempty (wr_project_get_default_model (project)));
    }

  profile = wr_store_get_profile (self->store, &error);
  if (profile == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->profile_model = g_strdup (nonempty (wr_profile_get_default_model (profile)));
  data->profile_provider_id = g_strdup (nonempty (wr_profile_get_default_provider_id (profile)));

  /* A default model names no provider: find who offers it. */
  if (resolve_named_model (data) != NULL)
    {
      ListedBy read = { self->store, resolve_named_model (data), NULL };

      if (!_wr_store_run_read (self->store, listed_by_tx, &read, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->listed_by = read.listed_by;
    }

  g_task_return_boolean (task, TRUE);
}

static void
resolve_list_models_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  WrProvider *provider = WR_PROVIDER (object);
  Resolved *resolved;

  models = wr_provider_list_models_finish (provider, result, &error);
  if (models == NULL)
    {
      g_autofree char *reason = wr_provider_describe_error (provider, error);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, WR_CHAT_ERROR, WR_CHAT_ERROR_NO_MODEL,
                                 _("No model is chosen and the models of %s could not be listed: %s"),
                                 wr_provider_get_name (provider), reason);
      return;
    }

  if (models->len == 0)
    {
      g_task_return_new_error (task, WR_CHAT_ERROR, WR_CHAT_ERROR_NO_MODEL,
                               _("%s offers no models. Install or enable one on the server, then try again."),
                               wr_provider_get_name (provider));
      return;
    }

  resolved = g_new0 (Resolved, 1);
  resolved->provider = g_object_ref (provider);
  resolved->model = g_strdup (g_ptr_array_index (models, 0));
  g_task_return_pointer (task, resolved, (GDestroyNotify) resolved_free);
}

static void
resolve_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WrChatService *self = WR_CHAT_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ResolveData *data = g_task_get_task_data (G_TASK (result));
  WrProvider *provider = NULL;
  const char *model = NULL;
  Resolved *resolved;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  provider = wr_provider_registry_lookup (self->providers, data->provider_id);

  /* The chat names no provider: one that offers the model it will use,
   * the profile's default provider first. */
  if (provider == NULL && data->listed_by != NULL && data->listed_by[0] != NULL)
    {
      if (data->profile_provider_id != NULL &&
          g_strv_contains ((const char * const *) data->listed_by, data->profile_provider_id))
        provider = wr_provider_registry_lookup (self->providers, data->profile_provider_id);
      for (guint i = 0; provider == NULL && data->listed_by[i] != NULL; i++)
        provider = wr_provider_registry_lookup (self->providers, data->listed_by[i]);
    }

  if (provider == NULL)
    provider = wr_provider_registry_lookup (self->providers, data->profile_provider_id);
  if (provider == NULL)
    provider = wr_provider_registry_get_default (self->providers);
  if (provider == NULL)
    {
      g_task_return_new_error (task, WR_CHAT_ERROR, WR_CHAT_ERROR_NO_PROVIDER,
                               _("No model provider is set up. Add one in Preferences, or start Ollama."));
      return;
    }

  model = resolve_named_model (data);
  if (model == NULL)
    model = nonempty (wr_provider_get_default_model (provider));

  if (model == NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      wr_provider_list_models_async (provider, cancellable,
                                     resolve_list_models_cb, g_steal_pointer (&task));
      return;
    }

  resolved = g_new0 (Resolved, 1);
  resolved->provider = g_object_ref (provider);
  resolved->model = g_strdup (model);
  g_task_return_pointer (task, resolved, (GDestroyNotify) resolved_free);
}

void
_wr_chat_service_resolve_async (WrChatService       *self,
                                const char          *provider_id,
                                const char          *model,
                                const char          *project_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read_task = NULL;
  ResolveData *data;

  g_return_if_fail (WR_IS_CHAT_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_chat_service_resolve_async);

  data = g_new0 (ResolveData, 1);
  data->provider_id = g_strdup (nonempty (provider_id));
  data->model = g_strdup (nonempty (model));
  data->project_id = g_strdup (nonempty (project_id));

  read_task = g_task_new (self, cancellable, resolve_read_cb, g_steal_pointer (&task));
  g_task_set_task_data (read_task, data, (GDestroyNotify) resolve_data_free);
  g_task_run_in_thread (read_task, resolve_thread);
}

void
wr_chat_service_resolve_async (WrChatService       *self,
                               WrChat              *chat,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (WR_IS_CHAT_SERVICE (self));
  g_return_if_fail (WR_IS_CHAT (chat));

  _wr_chat_service_resolve_async (self,
                                  wr_chat_get_provider_id (chat),
                                  wr_chat_get_model (chat),
                                  wr_chat_get_project_id (chat),
                                  cancellable, callback, user_data);
}

static Resolved *
resolve_propagate (GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
wr_chat_service_resolve_finish (WrChatService  *self,
                                GAsyncResult   *result,
                                WrProvider    **out_provider,
                                char          **out_model,
                                GError        **error)
{
  Resolved *resolved;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  resolved = resolve_propagate (result, error);
  if (resolved == NULL)
    return FALSE;

  if (out_provider != NULL)
    *out_provider = g_steal_pointer (&resolved->provider);
  if (out_model != NULL)
    *out_model = g_steal_pointer (&resolved->model);
  resolved_free (resolved);

  return TRUE;
}

/* ---------------------------------------------------------------- stream */

typedef struct
{
  WrChat        *chat;          /* the caller's; main thread only */
  WrChat        *chat_snapshot; /* what the worker saves */
  char          *text;          /* the user's text; NULL for retry */
  WrProvider    *provider;
  char          *model;
  WrBilling     *billing;       /* nullable */
  gboolean       treat_as_remote;
  WrMessage     *user_message;  /* NULL for retry */
  GPtrArray     *attachments;   /* element-type WrAttachment, sent with user_message; nullable */
  WrMessage     *assistant;
  GPtrArray     *history;       /* element-type WrMessage, from the store */
  WrChatRequest *request;       /* built by the worker */
  WrChatMeter   *meter;
  gint64         last_save_usec;
  guint          saving : 1;    /* a save is running */
  guint          dirty : 1;     /* content changed since that save began */
  guint          finished : 1;  /* the stream is over and metered; final save pending */
  guint          use_knowledge : 1;  /* the chat answers from its project's knowledge */
  char          *question;      /* knowledge: what to retrieve for */
  GPtrArray     *hits;          /* knowledge: element-type WrKnowledgeHit, nullable */
  char          *knowledge_note; /* knowledge: why it could not be used, nullable */
  WrKnowledgeContext *knowledge; /* built by the worker, nullable */
  GError        *stream_error;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->chat);
  g_clear_object (&data->chat_snapshot);
  g_free (data->text);
  g_clear_object (&data->provider);
  g_free (data->model);
  g_clear_object (&data->billing);
  g_clear_object (&data->user_message);
  g_clear_pointer (&data->attachments, g_ptr_array_unref);
  g_clear_object (&data->assistant);
  g_clear_pointer (&data->history, g_ptr_array_unref);
  g_clear_pointer (&data->request, wr_chat_request_free);
  g_clear_pointer (&data->meter, _wr_chat_meter_free);
  g_free (data->question);
  g_clear_pointer (&data->hits, g_ptr_array_unref);
  g_free (data->knowledge_note);
  g_clear_pointer (&data->knowledge, wr_knowledge_context_free);
  g_clear_error (&data->stream_error);
  g_free (data);
}

static void
send_data_set_done (GTask *task)
{
  WrChatService *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  g_hash_table_remove (self->busy, wr_chat_get_id (data->chat));
}

/* A detached copy for a worker thread: the original keeps growing on the
 * main thread while it is written. */
static WrMessage *
message_snapshot (WrMessage *message)
{
  WrMessage *copy = wr_message_new (wr_message_get_role (message), wr_message_get_content (message));

  wr_message_set_id (copy, wr_message_get_id (message));
  wr_message_set_chat_id (copy, wr_message_get_chat_id (message));
  wr_message_set_model (copy, wr_message_get_model (message));
  wr_message_set_provider_id (copy, wr_message_get_provider_id (message));
  wr_message_set_status (copy, wr_message_get_status (message));
  wr_message_set_error (copy, wr_message_get_error (message));
  wr_message_set_input_tokens (copy, wr_message_get_input_tokens (message));
  wr_message_set_output_tokens (copy, wr_message_get_output_tokens (message));
  wr_message_set_route_note (copy, wr_message_get_route_note (message));
  wr_message_set_citations (copy, wr_message_get_citations (message));
  wr_message_set_created_at (copy, wr_message_get_created_at (message));
  wr_message_set_updated_at (copy, wr_message_get_updated_at (message));

  return copy;
}

/* The worker saves this copy, so the caller's chat (shown by the GUI)
 * changes only on its own thread, and only once the send is accepted. */
static WrChat *
chat_snapshot (WrChat *chat)
{
  WrChat *copy = wr_chat_new ();

  wr_chat_set_id (copy, wr_chat_get_id (chat));
  wr_chat_set_project_id (copy, wr_chat_get_project_id (chat));
  wr_chat_set_title (copy, wr_chat_get_title (chat));
  wr_chat_set_model (copy, wr_chat_get_model (chat));
  wr_chat_set_provider_id (copy, wr_chat_get_provider_id (chat));
  wr_chat_set_created_at (copy, wr_chat_get_created_at (chat));
  wr_chat_set_updated_at (copy, wr_chat_get_updated_at (chat));
  wr_chat_set_use_knowledge (copy, wr_chat_get_use_knowledge (chat));

  return copy;
}

static void save_assistant (GTask *task);

static void
finish_send (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  send_data_set_done (task);

  if (data->stream_error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->stream_error));
  else
    g_task_return_pointer (task, g_object_ref (data->assistant), g_object_unref);
}

static void
save_assistant_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SendData *data = g_task_get_task_data (task);

  data->saving = FALSE;

  if (!wr_store_save_message_finish (WR_STORE (object), result, &error))
    {
      /* The reply is still on screen; tell the caller it is not on disk. */
      g_warning ("Could not save the reply: %s", error->message);
      if (data->finished && data->stream_error == NULL)
        data->stream_error = g_steal_pointer (&error);
    }

  if (data->dirty)
    save_assistant (task);
  else if (data->finished)
    finish_send (task);
}

/* Saves are chained, never concurrent, so an older snapshot can never land
 * after a newer one. */
static void
save_assistant (GTask *task)
{
  WrChatService *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(WrMessage) snapshot = NULL;

  if (data->saving)
    {
      data->dirty = TRUE;
      return;
    }

  data->saving = TRUE;
  data->dirty = FALSE;
  data->last_save_usec = g_get_monotonic_time ();
  snapshot = message_snapshot (data->assistant);

  /* Not the task's cancellable: Stop must still save what was received. */
  wr_store_save_message_async (self->store, snapshot, NULL, save_assistant_cb, g_object_ref (task));
}

static void
on_delta (const char *text,
          gsize       len,
          gpointer    user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  wr_message_append_content (data->assistant, text, len);

  if (g_get_monotonic_time () - data->last_save_usec >= STREAM_SAVE_INTERVAL_USEC)
    save_assistant (task);
}

static void
metered_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrUsageRecord) record G_GNUC_UNUSED = _wr_chat_meter_finish_finish (result);
  SendData *data = g_task_get_task_data (task);

  data->finished = TRUE;
  save_assistant (task);
}

static void
stream_chat_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrChatResult) chat_result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autoptr(WrRouterOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  SendData *data = g_task_get_task_data (task);
  WrChatResult *tokens_from;
  gboolean has_text;

  chat_result = wr_router_stream_chat_finish (WR_ROUTER (object), result, &partial, &outcome, &error);
  tokens_from = chat_result != NULL ? chat_result : partial;

  /* After a failover the reply is another provider's: say whose, and why. */
  if (outcome != NULL && outcome->provider_id != NULL)
    {
      wr_message_set_provider_id (data->assistant, outcome->provider_id);
      if (outcome->model != NULL)
        wr_message_set_model (data->assistant, outcome->model);
    }
  if (data->knowledge_note != NULL && outcome != NULL && outcome->summary != NULL)
    {
      g_autofree char *note = g_strdup_printf ("%s\n%s", outcome->summary, data->knowledge_note);

      wr_message_set_route_note (data->assistant, note);
    }
  else
    wr_message_set_route_note (data->assistant,
                               data->knowledge_note != NULL ? data->knowledge_note
                               : outcome != NULL ? outcome->summary : NULL);

  /* The sources offered, marked where the answer cites them. */
  if (data->knowledge != NULL && wr_knowledge_context_get_n_sources (data->knowledge) > 0)
    {
      g_autofree char *citations = wr_knowledge_context_to_json (data->knowledge,
                                                                 wr_message_get_content (data->assistant));

      wr_message_set_citations (data->assistant, citations);
    }
  else
    wr_message_set_citations (data->assistant, NULL);

  if (tokens_from != NULL)
    {
      wr_message_set_input_tokens (data->assistant, tokens_from->input_tokens);
      wr_message_set_output_tokens (data->assistant, tokens_from->output_tokens);
      if (nonempty (tokens_from->model) != NULL)
        wr_message_set_model (data->assistant, tokens_from->model);
    }

  if (chat_result != NULL)
    {
      /* The stream may carry text the delta callback never saw (a server
       * answering with plain JSON). Trust the final result. */
      if (g_strcmp0 (chat_result->content, wr_message_get_content (data->assistant)) != 0 &&
          chat_result->content[0] != '\0')
        wr_message_set_content (data->assistant, chat_result->content);
      wr_message_set_error (data->assistant, NULL);
      wr_message_set_status (data->assistant, WR_MESSAGE_STATUS_COMPLETE);
    }

  has_text = wr_message_get_content_length (data->assistant) > 0;

  if (chat_result == NULL)
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        reason = g_strdup (has_text ? _("Stopped. The partial answer was kept.")
                                    : _("Stopped before the model answered."));
      else
        reason = wr_router_describe_error (outcome, error);

      wr_message_set_error (data->assistant, reason);
      wr_message_set_status (data->assistant,
                             has_text ? WR_MESSAGE_STATUS_PARTIAL : WR_MESSAGE_STATUS_ERROR);
    }

  /* The usage row and the credits first, then the final save: the reply
   * is on disk whatever the billing says. */
  _wr_chat_meter_finish_async (data->meter,
                               wr_message_get_id (data->assistant),
                               outcome,
                               tokens_from,
                               wr_message_get_content (data->assistant),
                               _wr_chat_meter_outcome_for (chat_result != NULL, error, has_text),
                               metered_cb,
                               g_object_ref (task));

  if (chat_result == NULL)
    data->stream_error = g_steal_pointer (&error);
}

static void
start_stream (GTask *task)
{
  WrChatService *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  data->last_save_usec = g_get_monotonic_time ();
  _wr_chat_meter_start (data->meter);
  wr_router_stream_chat_async (self->router,
                               data->provider,
                               data->request,
                               on_delta,
                               task,
                               g_task_get_cancellable (task),
                               stream_chat_cb,
                               g_object_ref (task));
}

static char *
title_from_text (const char *text)
{
  g_autofree char *line = NULL;
  const char *end;
  glong n_chars;

  while (g_ascii_isspace (*text))
    text++;

  end = strchr (text, '\n');
  line = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  g_strstrip (line);

  if (!g_utf8_validate (line, -1, NULL))
    return g_utf8_make_valid (line, -1);

  n_chars = g_utf8_strlen (line, -1);
  if (n_chars <= TITLE_MAX_CHARS)
    return g_steal_pointer (&line);

  {
    g_autofree char *head = g_utf8_substring (line, 0, TITLE_MAX_CHARS - 1);
    return g_strconcat (head, "…", NULL);
  }
}

/* Worker thread: what the model will read. The chat's instructions (its
 * template, else its project's) come first as a system message. */
static gboolean
build_request (WrChatService  *self,
               SendData       *data,
               GError        **error)
{
  g_autofree char *system_prompt = NULL;
  g_autoptr(GHashTable) history_images = NULL;
  GError *local_error = NULL;

  system_prompt = wr_store_resolve_system_prompt (self->store, wr_chat_get_id (data->chat_snapshot),
                                                  &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* The images of earlier turns, in one query. */
  if (data->history->len > 0)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      for (guint i = 0; i < data->history->len; i++)
        g_ptr_array_add (ids, (gpointer) wr_message_get_id (g_ptr_array_index (data->history, i)));
      g_ptr_array_add (ids, NULL);

      history_images = wr_store_list_attachments_for_messages (self->store,
                                                               (const char * const *) ids->pdata,
                                                               error);
      if (history_images == NULL)
        return FALSE;
    }

  /* The project's knowledge goes after the template's instructions. A
   * store failure here only costs the context, never the answer. */
  if (data->use_knowledge && data->knowledge_note == NULL)
    {
      data->knowledge = wr_knowledge_context_build (self->store,
                                                    wr_chat_get_project_id (data->chat_snapshot),
                                                    data->question != NULL ? data->question : "",
                                                    data->hits, &local_error);
      if (data->knowledge == NULL)
        {
          data->knowledge_note = g_strdup_printf (_("The project’s documents could not be read (%s), "
                                                    "so this answer does not use them."),
                                                  local_error->message);
          g_clear_error (&local_error);
        }
      else
        {
          g_autofree char *with_knowledge =
            g_strconcat (system_prompt != NULL ? system_prompt : "",
                         system_prompt != NULL ? "\n\n" : "",
                         wr_knowledge_context_get_prompt (data->knowledge), NULL);

          g_free (system_prompt);
          system_prompt = g_steal_pointer (&with_knowledge);
        }
    }

  data->request = wr_chat_request_new (data->model);

  if (system_prompt != NULL)
    {
      g_autoptr(WrMessage) system = wr_message_new ("system", system_prompt);

      wr_chat_request_add (data->request, system);
    }

  for (guint i = 0; i < data->history->len; i++)
    {
      WrMessage *message = g_ptr_array_index (data->history, i);
      GPtrArray *images = history_images != NULL
                          ? g_hash_table_lookup (history_images, wr_message_get_id (message))
                          : NULL;

      /* Failed replies and empty turns only confuse the model; system
       * messages stored in the chat are left to the template. */
      if (wr_message_get_status (message) == WR_MESSAGE_STATUS_ERROR ||
          wr_message_get_status (message) == WR_MESSAGE_STATUS_STREAMING ||
          (wr_message_get_content_length (message) == 0 && (images == NULL || images->len == 0)))
        continue;

      wr_chat_request_add_with_images (data->request, message, images);
    }

  if (data->user_message != NULL)
    wr_chat_request_add_with_images (data->request, data->user_message, data->attachments);

  return TRUE;
}

/* Worker thread: the request, then billing's gates, before anything is
 * stored. */
static gboolean
prepare_call (WrChatService  *self,
              SendData       *data,
              GError        **error)
{
  if (!build_request (self, data, error))
    return FALSE;

  data->meter = _wr_chat_meter_begin (data->billing, data->treat_as_remote,
                                      data->provider, data->model,
                                      wr_chat_get_project_id (data->chat_snapshot),
                                      wr_chat_get_id (data->chat_snapshot),
                                      data->request, error);
  return data->meter != NULL;
}

/* Worker thread: gives back what a refused or failed begin reserved. */
static void
release_call (SendData *data)
{
  g_autoptr(GError) error = NULL;

  if (data->meter != NULL && !_wr_chat_meter_release (data->meter, &error))
    g_warning ("Could not give back the credits reserved for a reply: %s", error->message);
}

/* Worker thread: reads the history, checks billing, and writes the new
 * turn in one go. */
static void
begin_send_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  WrChatService *self = source_object;
  SendData *data = task_data;
  GError *error = NULL;

  data->history = wr_store_list_messages (self->store, wr_chat_get_id (data->chat_snapshot), &error);
  if (data->history == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!prepare_call (self, data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!wr_store_save_chat (self->store, data->chat_snapshot, &error) ||
      !wr_store_add_message (self->store, data->user_message, &error) ||
      (data->attachments != NULL && data->attachments->len > 0 &&
       !wr_store_add_attachments (self->store, wr_message_get_id (data->user_message),
                                  data->attachments, &error)) ||
      !wr_store_add_message (self->store, data->assistant, &error))
    {
      release_call (data);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Worker thread for retry: history up to the message being regenerated. */
static void
begin_retry_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  WrChatService *self = source_object;
  SendData *data = task_data;
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;

  messages = wr_store_list_messages (self->store, wr_chat_get_id (data->chat_snapshot), &error);
  if (messages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->history = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (messages, i);

      if (g_strcmp0 (wr_message_get_id (message), wr_message_get_id (data->assistant)) == 0)
        break;
      g_ptr_array_add (data->history, g_object_ref (message));
    }

  if (!prepare_call (self, data, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!wr_store_save_chat (self->store, data->chat_snapshot, &error))
    {
      release_call (data);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* The reply about to stream: who writes it. For a retry this resets the
 * message the view shows, so it happens only once the retry is accepted. */
static void
prepare_assistant (SendData *data)
{
  WrMessage *assistant = data->assistant;

  g_object_freeze_notify (G_OBJECT (assistant));
  if (data->user_message == NULL)
    {
      wr_message_set_content (assistant, "");
      wr_message_set_error (assistant, NULL);
      wr_message_set_input_tokens (assistant, -1);
      wr_message_set_output_tokens (assistant, -1);
    }
  wr_message_set_route_note (assistant, NULL);
  wr_message_set_citations (assistant, NULL);
  wr_message_set_model (assistant, data->model);
  wr_message_set_provider_id (assistant, wr_provider_get_id (data->provider));
  wr_message_set_status (assistant, WR_MESSAGE_STATUS_STREAMING);
  g_object_thaw_notify (G_OBJECT (assistant));
}

static void
begin_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  WrChatService *self = WR_CHAT_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SendData *data = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      send_data_set_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The chat remembers what it used, so the next turn and the next session
   * talk to the same model. */
  g_object_freeze_notify (G_OBJECT (data->chat));
  wr_chat_set_title (data->chat, wr_chat_get_title (data->chat_snapshot));
  wr_chat_set_model (data->chat, data->model);
  wr_chat_set_provider_id (data->chat, wr_provider_get_id (data->provider));
  wr_chat_set_updated_at (data->chat, wr_chat_get_updated_at (data->chat_snapshot));
  g_object_thaw_notify (G_OBJECT (data->chat));

  if (data->user_message != NULL)
    {
      g_signal_emit (self, signals[MESSAGE_ADDED], 0, data->chat, data->user_message);
      g_signal_emit (self, signals[MESSAGE_ADDED], 0, data->chat, data->assistant);
    }
  else
    {
      prepare_assistant (data);
    }

  start_stream (task);
}

static void
run_begin (GTask *task)   /* transfer full */
{
  WrChatService *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GTask) begin_task = NULL;

  begin_task = g_task_new (self, g_task_get_cancellable (task), begin_cb, task);
  g_task_set_task_data (begin_task, data, NULL);
  g_task_run_in_thread (begin_task, data->text != NULL ? begin_send_thread : begin_retry_thread);
}

static void
knowledge_retrieved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SendData *data = g_task_get_task_data (task);

  data->hits = wr_knowledge_retrieve_finish (WR_CHAT_SERVICE (object), result, &error);
  if (data->hits == NULL)
    {
      /* Stop during the search: nothing was stored or sent yet. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          send_data_set_done (task);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* The answer still comes, without the documents; the reply says so. */
      data->knowledge_note = g_strdup_printf (_("The project’s documents could not be searched (%s), "
                                                "so this answer does not use them."),
                                              error->message);
    }

  run_begin (g_steal_pointer (&task));
}

static void
retrieve_knowledge (GTask *task)   /* transfer full */
{
  WrChatService *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  wr_knowledge_retrieve_async (self, wr_chat_get_project_id (data->chat), data->question,
                               WR_KNOWLEDGE_CONTEXT_SOURCES, g_task_get_cancellable (task),
                               knowledge_retrieved_cb, task);
}

/* Worker thread: the last user message before the reply being retried. */
static void
find_question_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  WrChatService *self = source_object;
  SendData *data = task_data;
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;
  const char *question = NULL;

  messages = wr_store_list_messages (self->store, wr_chat_get_id (data->chat), &error);
  if (messages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (messages, i);

      if (g_strcmp0 (wr_message_get_id (message), wr_message_get_id (data->assistant)) == 0)
        break;
      if (g_strcmp0 (wr_message_get_role (message), "user") == 0)
        question = wr_message_get_content (message);
    }

  g_task_return_pointer (task, g_strdup (question != NULL ? question : ""), g_free);
}

static void
question_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SendData *data = g_task_get_task_data (task);

  data->question = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->question == NULL)
    {
      send_data_set_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  retrieve_knowledge (g_steal_pointer (&task));
}

static void
send_resolved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WrChatService *self = WR_CHAT_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SendData *data = g_task_get_task_data (task);

  if (!wr_chat_service_resolve_finish (self, result, &data->provider, &data->model, &error))
    {
      send_data_set_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->chat_snapshot = chat_snapshot (data->chat);
  wr_chat_set_model (data->chat_snapshot, data->model);
  wr_chat_set_provider_id (data->chat_snapshot, wr_provider_get_id (data->provider));
  data->billing = self->billing != NULL ? g_object_ref (self->billing) : NULL;
  data->treat_as_remote = self->treat_as_remote;

  if (data->text != NULL)
    {
      if (nonempty (wr_chat_get_title (data->chat)) == NULL)
        {
          g_autofree char *title = NULL;

          if (nonempty (data->text) == NULL && data->attachments != NULL && data->attachments->len > 0)
            title = title_from_text (wr_attachment_get_name (g_ptr_array_index (data->attachments, 0)));
          else
            title = title_from_text (data->text);
          wr_chat_set_title (data->chat_snapshot, title);
        }

      data->user_message = wr_message_new ("user", data->text);
      wr_message_set_chat_id (data->user_message, wr_chat_get_id (data->chat));
      wr_message_set_status (data->user_message, WR_MESSAGE_STATUS_COMPLETE);

      /* New and not shown yet: it is stored as it is now. */
      prepare_assistant (data);
    }

  data->use_knowledge = wr_chat_get_use_knowledge (data->chat);
  if (!data->use_knowledge)
    run_begin (g_steal_pointer (&task));
  else if (data->text != NULL)
    {
      data->question = g_strdup (data->text);
      retrieve_knowledge (g_steal_pointer (&task));
    }
  else
    {
      /* A retry answers the question before the reply again. */
      g_autoptr(GTask) find_task = g_task_new (self, g_task_get_cancellable (task),
                                               question_found_cb, g_object_ref (task));

      g_task_set_task_data (find_task, data, NULL);
      g_task_run_in_thread (find_task, find_question_thread);
    }
}

static gboolean
mark_busy (WrChatService  *self,
           WrChat         *chat,
           GError        **error)
{
  if (g_hash_table_contains (self->busy, wr_chat_get_id (chat)))
    {
      g_set_error_literal (error, WR_CHAT_ERROR, WR_CHAT_ERROR_BUSY,
                           _("A reply is still being written in this chat. Stop it or wait for it to finish."));
      return FALSE;
    }

  g_hash_table_add (self->busy, g_strdup (wr_chat_get_id (chat)));
  return TRUE;
}

void
wr_chat_service_send_async (WrChatService       *self,
                            WrChat              *chat,
                            const char          *text,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  wr_chat_service_send_with_attachments_async (self, chat, text, NULL, cancellable, callback, user_data);
}

void
wr_chat_service_send_with_attachments_async (WrChatService       *self,
                                             WrChat              *chat,
                                             const char          *text,
                                             GPtrArray           *attachments,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  GError *error = NULL;
  SendData *data;
  gboolean has_images = attachments != NULL && attachments->len > 0;

  g_return_if_fail (WR_IS_CHAT_SERVICE (self));
  g_return_if_fail (WR_IS_CHAT (chat));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_chat_service_send_async);
  /* The reply is saved even after Stop; the task reports the cancellation
   * itself once that is done. */
  g_task_set_check_cancellable (task, FALSE);

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0' && !has_images)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Type a message first."));
      return;
    }

  if (has_images)
    {
      if (attachments->len > WR_ATTACHMENT_MAX_PER_MESSAGE)
        {
          g_task_return_new_error (task, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                                   ngettext ("A message can carry at most %d image. Remove some and send again.",
                                             "A message can carry at most %d images. Remove some and send again.",
                                             WR_ATTACHMENT_MAX_PER_MESSAGE),
                                   WR_ATTACHMENT_MAX_PER_MESSAGE);
          return;
        }

      for (guint i = 0; i < attachments->len; i++)
        if (!wr_attachment_check (g_ptr_array_index (attachments, i), &error))
          {
            g_task_return_error (task, error);
            return;
          }
    }

  if (!mark_busy (self, chat, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (SendData, 1);
  data->chat = g_object_ref (chat);
  data->text = g_strdup (text);
  if (has_images)
    data->attachments = g_ptr_array_copy (attachments, (GCopyFunc) g_object_ref, NULL);
  if (data->attachments != NULL)
    g_ptr_array_set_free_func (data->attachments, g_object_unref);
  data->assistant = wr_message_new ("assistant", "");
  wr_message_set_chat_id (data->assistant, wr_chat_get_id (chat));
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  wr_chat_service_resolve_async (self, chat, cancellable, send_resolved_cb, g_steal_pointer (&task));
}

WrMessage *
wr_chat_service_send_finish (WrChatService  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wr_chat_service_retry_async (WrChatService       *self,
                             WrChat              *chat,
                             WrMessage           *assistant,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SendData *data;

  g_return_if_fail (WR_IS_CHAT_SERVICE (self));
  g_return_if_fail (WR_IS_CHAT (chat));
  g_return_if_fail (WR_IS_MESSAGE (assistant));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_chat_service_retry_async);
  g_task_set_check_cancellable (task, FALSE);

  if (g_strcmp0 (wr_message_get_role (assistant), "assistant") != 0 ||
      wr_message_get_id (assistant) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Only a saved reply of the model can be retried."));
      return;
    }

  if (!mark_busy (self, chat, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The message is reset (on this thread: the view shows this very
   * object) only once billing accepted the retry, in begin_cb. */
  data = g_new0 (SendData, 1);
  data->chat = g_object_ref (chat);
  data->assistant = g_object_ref (assistant);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  wr_chat_service_resolve_async (self, chat, cancellable, send_resolved_cb, g_steal_pointer (&task));
}

WrMessage *
wr_chat_service_retry_finish (WrChatService  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

WrRouter *
wr_chat_service_get_router (WrChatService *self)
{
  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), NULL);

  return self->router;
}

void
wr_chat_service_set_billing (WrChatService *self,
                             WrBilling     *billing)
{
  g_return_if_fail (WR_IS_CHAT_SERVICE (self));
  g_return_if_fail (billing == NULL || WR_IS_BILLING (billing));

  /* Calls already under way keep the billing they started with. */
  g_set_object (&self->billing, billing);
}

WrBilling *
wr_chat_service_get_billing (WrChatService *self)
{
  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), NULL);

  return self->billing;
}

typedef struct {
  WrStore    *store;
  const char *json;
} PolicyWrite;

/* Only the one column: the rest of the profile may be changing in another
 * process (the plan, the daily limit). */
static gboolean
save_policy_tx (sqlite3   *db,
                gpointer   user_data,
                GError   **error)
{
  PolicyWrite *write = user_data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (write->store,
                       "UPDATE profile SET failover_policy = ?1, updated_at = ?2 "
                       "WHERE id = (SELECT id FROM profile WHERE deleted_at IS NULL "
                       "            ORDER BY created_at, rowid LIMIT 1)",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  if (write->json != NULL)
    sqlite3_bind_text (stmt, 1, write->json, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (write->store, rc, error);

  return TRUE;
}

/* Saved first, so a failed save leaves the chains in use unchanged. One
 * short write on the store (it blocks like the store's sync calls). */
gboolean
wr_chat_service_set_failover_policy (WrChatService     *self,
                                     WrFailoverPolicy  *policy,
                                     GError           **error)
{
  g_autofree char *json = NULL;
  PolicyWrite write;

  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), FALSE);
  g_return_val_if_fail (policy == NULL || WR_IS_FAILOVER_POLICY (policy), FALSE);

  if (policy != NULL)
    json = wr_failover_policy_to_json (policy);

  write.store = self->store;
  write.json = json;
  if (!_wr_store_run_transaction (self->store, save_policy_tx, &write, error))
    return FALSE;

  wr_router_set_policy (self->router, policy);
  return TRUE;
}

void
_wr_chat_service_set_treat_as_remote (WrChatService *self,
                                      gboolean       remote)
{
  g_return_if_fail (WR_IS_CHAT_SERVICE (self));

  self->treat_as_remote = !!remote;
}

gboolean
_wr_chat_service_get_treat_as_remote (WrChatService *self)
{
  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), FALSE);

  return self->treat_as_remote;
}

WrStore *
_wr_chat_service_get_store (WrChatService *self)
{
  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), NULL);

  return self->store;
}

gboolean
wr_chat_service_is_busy (WrChatService *self,
                         const char    *chat_id)
{
  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), FALSE);

  return chat_id != NULL && g_hash_table_contains (self->busy, chat_id);
}

/* ---------------------------------------------------------------- object */

static void
wr_chat_service_dispose (GObject *object)
{
  WrChatService *self = WR_CHAT_SERVICE (object);

  g_clear_object (&self->router);
  g_clear_object (&self->billing);
  g_clear_object (&self->providers);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (wr_chat_service_parent_class)->dispose (object);
}

static void
wr_chat_service_finalize (GObject *object)
{
  WrChatService *self = WR_CHAT_SERVICE (object);

  g_clear_pointer (&self->busy, g_hash_table_unref);

  G_OBJECT_CLASS (wr_chat_service_parent_class)->finalize (object);
}

static void
wr_chat_service_class_init (WrChatServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_chat_service_dispose;
  object_class->finalize = wr_chat_service_finalize;

  /**
   * WrChatService::message-added:
   * @chat: the chat
   * @message: the new message (user, then the streaming assistant reply)
   */
  signals[MESSAGE_ADDED] =
    g_signal_new ("message-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, WR_TYPE_CHAT, WR_TYPE_MESSAGE);
}

static void
wr_chat_service_init (WrChatService *self)
{
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

WrChatService *
wr_chat_service_new (WrStore            *store,
                     WrProviderRegistry *providers)
{
  WrChatService *self;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (providers), NULL);

  self = g_object_new (WR_TYPE_CHAT_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->providers = g_object_ref (providers);
  /* The seeds' default chains until Preferences edits them. */
  self->router = wr_router_new (G_LIST_MODEL (providers), NULL);

  return self;
}
