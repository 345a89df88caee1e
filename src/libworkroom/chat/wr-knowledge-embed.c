/* wr-knowledge-embed.c — see wr-knowledge-embed.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-knowledge-embed.h"
#include "wr-chat-meter.h"
#include "wr-chat-service-private.h"
#include "docs/wr-knowledge-search.h"

typedef struct
{
  char              *provider_id;
  char              *model;
  char              *project_id;
  GStrv              texts;
  WrProvider        *provider;
  WrBilling         *billing;       /* nullable */
  gboolean           treat_as_remote;
  WrChatMeter       *meter;
  WrEmbeddingResult *result;
  GError            *error;
} EmbedData;

static void
embed_data_free (EmbedData *data)
{
  g_free (data->provider_id);
  g_free (data->model);
  g_free (data->project_id);
  g_strfreev (data->texts);
  g_clear_object (&data->provider);
  g_clear_object (&data->billing);
  g_clear_pointer (&data->meter, _wr_chat_meter_free);
  g_clear_pointer (&data->result, wr_embedding_result_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void
metered_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrUsageRecord) record = _wr_chat_meter_finish_finish (result);
  EmbedData *data = g_task_get_task_data (task);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&data->result),
                           (GDestroyNotify) wr_embedding_result_free);
}

static void
embedded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrChatResult) usage = wr_chat_result_new ();
  EmbedData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->result = wr_provider_embed_finish (WR_PROVIDER (object), result, &error);
  if (data->result != NULL)
    {
      for (guint i = 0; i < data->result->n_vectors; i++)
        wr_knowledge_normalize (data->result->vectors + (gsize) i * data->result->dims,
                                data->result->dims);
      usage->input_tokens = data->result->input_tokens;
      usage->output_tokens = 0;
    }
  else
    {
      g_autofree char *reason = wr_provider_describe_error (data->provider, error);

      /* The sentence a user can act on; domain and code stay. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *described = g_error_new_literal (error->domain, error->code, reason);

          g_clear_error (&error);
          error = described;
        }
      data->error = error;
    }

  _wr_chat_meter_finish_async (data->meter, NULL, NULL, data->result != NULL ? usage : NULL, "",
                               _wr_chat_meter_outcome_for (data->result != NULL, data->error, FALSE),
                               metered_cb, g_object_ref (task));
}

static void
gate_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EmbedData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  _wr_chat_meter_start (data->meter);
  wr_provider_embed_async (data->provider, data->model, (const char * const *) data->texts,
                           g_task_get_cancellable (task), embedded_cb, g_object_ref (task));
}

static void
gate_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EmbedData *data = task_data;
  GError *error = NULL;

  data->meter = _wr_chat_meter_begin_embedding (data->billing, data->treat_as_remote,
                                                data->provider, data->model, data->project_id,
                                                (const char * const *) data->texts, &error);
  if (data->meter == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WrChatService *self = WR_CHAT_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) gate = NULL;
  g_autofree char *model = NULL;
  EmbedData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!wr_chat_service_resolve_finish (self, result, &data->provider, &model, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_free (data->model);
  data->model = g_steal_pointer (&model);
  data->billing = wr_chat_service_get_billing (self) != NULL
                  ? g_object_ref (wr_chat_service_get_billing (self)) : NULL;
  data->treat_as_remote = _wr_chat_service_get_treat_as_remote (self);

  gate = g_task_new (self, g_task_get_cancellable (task), gate_cb, g_object_ref (task));
  /* What the gates reserved is settled after the call, even a cancelled one. */
  g_task_set_check_cancellable (gate, FALSE);
  g_task_set_task_data (gate, data, NULL);
  g_task_run_in_thread (gate, gate_thread);
}

void
_wr_knowledge_embed_async (WrChatService       *service,
                           const char          *provider_id,
                           const char          *model,
                           const char          *project_id,
                           const char * const  *texts,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EmbedData *data;

  g_return_if_fail (WR_IS_CHAT_SERVICE (service));
  g_return_if_fail (model != NULL && model[0] != '\0');
  g_return_if_fail (texts != NULL && texts[0] != NULL);

  task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, _wr_knowledge_embed_async);
  /* A cancelled call is still metered; the task reports it. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (EmbedData, 1);
  data->provider_id = g_strdup (provider_id);
  data->model = g_strdup (model);
  data->project_id = g_strdup (project_id);
  data->texts = g_strdupv ((char **) texts);
  g_task_set_task_data (task, data, (GDestroyNotify) embed_data_free);

  _wr_chat_service_resolve_async (service, provider_id, model, project_id, cancellable,
                                  resolved_cb, g_steal_pointer (&task));
}

WrEmbeddingResult *
_wr_knowledge_embed_finish (WrChatService  *service,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _wr_knowledge_embed_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
