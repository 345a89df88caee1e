/* wr-chat-completion.c — one model call outside a chat
 * (wr_chat_service_complete_async): resolved, metered, routed and failed
 * over like a chat reply, but nothing is stored except its usage row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-chat-meter.h"
#include "wr-chat-service.h"
#include "wr-chat-service-private.h"

G_DEFINE_BOXED_TYPE (WrCompletion, wr_completion, wr_completion_copy, wr_completion_free)

WrCompletion *
wr_completion_copy (const WrCompletion *completion)
{
  WrCompletion *copy;

  g_return_val_if_fail (completion != NULL, NULL);

  copy = g_memdup2 (completion, sizeof *completion);
  copy->content = g_strdup (completion->content);
  copy->model = g_strdup (completion->model);
  copy->provider_id = g_strdup (completion->provider_id);
  copy->provider_name = g_strdup (completion->provider_name);
  copy->route_note = g_strdup (completion->route_note);

  return copy;
}

void
wr_completion_free (WrCompletion *completion)
{
  if (completion == NULL)
    return;

  g_free (completion->content);
  g_free (completion->model);
  g_free (completion->provider_id);
  g_free (completion->provider_name);
  g_free (completion->route_note);
  g_free (completion);
}

typedef struct
{
  char            *project_id;
  char            *model;           /* asked for, then resolved */
  char            *system_prompt;
  char            *text;
  WrChatDeltaFunc  delta_func;
  gpointer         delta_data;
  WrProvider      *provider;
  WrBilling       *billing;         /* nullable */
  gboolean         treat_as_remote;
  WrChatRequest   *request;
  WrChatMeter     *meter;
  GString         *received;        /* the text that reached the caller */
  WrCompletion    *completion;      /* what is returned: the answer or the partial one */
  GError          *error;
} CompleteData;

static void
complete_data_free (CompleteData *data)
{
  g_free (data->project_id);
  g_free (data->model);
  g_free (data->system_prompt);
  g_free (data->text);
  g_clear_object (&data->provider);
  g_clear_object (&data->billing);
  g_clear_pointer (&data->request, wr_chat_request_free);
  g_clear_pointer (&data->meter, _wr_chat_meter_free);
  g_string_free (data->received, TRUE);
  g_clear_pointer (&data->completion, wr_completion_free);
  g_clear_error (&data->error);
  g_free (data);
}

static const char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* Fails the call; what arrived (maybe nothing) stays for the finish. */
static void
complete_fail (GTask  *task,
               GError *error)
{
  CompleteData *data = g_task_get_task_data (task);

  if (data->completion == NULL)
    {
      data->completion = g_new0 (WrCompletion, 1);
      data->completion->content = g_strdup (data->received->str);
      data->completion->model = g_strdup (data->model);
      data->completion->cost_micros = 0;
    }

  g_task_return_error (task, error);
}

static void
complete_metered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrUsageRecord) record = _wr_chat_meter_finish_finish (result);
  CompleteData *data = g_task_get_task_data (task);

  data->completion->input_tokens = record->input_tokens;
  data->completion->output_tokens = record->output_tokens;
  data->completion->estimated = record->estimated;
  data->completion->cost_micros = record->cost_micros;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, wr_completion_copy (data->completion),
                           (GDestroyNotify) wr_completion_free);
}

static void
complete_stream_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrChatResult) answer = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autoptr(WrRouterOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  CompleteData *data = g_task_get_task_data (task);
  WrChatResult *from;
  WrCompletion *completion;

  answer = wr_router_stream_chat_finish (WR_ROUTER (object), result, &partial, &outcome, &error);
  from = answer != NULL ? answer : partial;

  completion = g_new0 (WrCompletion, 1);
  /* A server answering plain JSON never called the delta function. */
  if (answer != NULL && answer->content[0] != '\0')
    completion->content = g_strdup (answer->content);
  else
    completion->content = g_strdup (data->received->str);

  if (outcome != NULL && outcome->provider_id != NULL)
    {
      completion->provider_id = g_strdup (outcome->provider_id);
      completion->provider_name = g_strdup (outcome->provider_name);
      completion->model = g_strdup (outcome->model);
    }
  else
    {
      completion->provider_id = g_strdup (wr_provider_get_id (data->provider));
      completion->provider_name = g_strdup (wr_provider_get_name (data->provider));
    }
  if (from != NULL && nonempty (from->model) != NULL)
    {
      g_free (completion->model);
      completion->model = g_strdup (from->model);
    }
  if (completion->model == NULL)
    completion->model = g_strdup (data->model);
  completion->route_note = g_strdup (outcome != NULL ? outcome->summary : NULL);
  data->completion = completion;

  /* The same sentence a chat shows, saying what to do next; the domain
   * and code stay the provider's or the router's. */
  if (answer == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *reason = wr_router_describe_error (outcome, error);
      GError *described = g_error_new_literal (error->domain, error->code, reason);

      g_clear_error (&error);
      error = described;
    }

  _wr_chat_meter_finish_async (data->meter, NULL, outcome, from, completion->content,
                               _wr_chat_meter_outcome_for (answer != NULL, error,
                                                           completion->content[0] != '\0'),
                               complete_metered_cb, g_object_ref (task));

  data->error = g_steal_pointer (&error);
}

static void
on_complete_delta (const char *text,
                   gsize       len,
                   gpointer    user_data)
{
  CompleteData *data = user_data;

  g_string_append_len (data->received, text, len);
  if (data->delta_func != NULL)
    data->delta_func (text, len, data->delta_data);
}

static void
gate_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WrChatService *self = WR_CHAT_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  CompleteData *data = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      complete_fail (task, error);
      return;
    }

  _wr_chat_meter_start (data->meter);
  wr_router_stream_chat_async (wr_chat_service_get_router (self),
                               data->provider,
                               data->request,
                               on_complete_delta,
                               data,
                               g_task_get_cancellable (task),
                               complete_stream_cb,
                               g_object_ref (task));
}

/* Worker thread: billing's gates before anything is sent. */
static void
gate_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CompleteData *data = task_data;
  GError *error = NULL;

  data->meter = _wr_chat_meter_begin (data->billing, data->treat_as_remote,
                                      data->provider, data->model,
                                      data->project_id, NULL,
                                      data->request, &error);
  if (data->meter == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
complete_resolved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  WrChatService *self = WR_CHAT_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) gate = NULL;
  g_autoptr(WrMessage) user = NULL;
  g_autofree char *model = NULL;
  GError *error = NULL;
  CompleteData *data = g_task_get_task_data (task);

  if (!wr_chat_service_resolve_finish (self, result, &data->provider, &model, &error))
    {
      complete_fail (task, error);
      return;
    }

  g_free (data->model);
  data->model = g_steal_pointer (&model);
  data->billing = wr_chat_service_get_billing (self) != NULL
                  ? g_object_ref (wr_chat_service_get_billing (self)) : NULL;
  data->treat_as_remote = _wr_chat_service_get_treat_as_remote (self);

  data->request = wr_chat_request_new (data->model);
  if (data->system_prompt != NULL)
    {
      g_autoptr(WrMessage) system = wr_message_new ("system", data->system_prompt);

      wr_chat_request_add (data->request, system);
    }
  user = wr_message_new ("user", data->text);
  wr_chat_request_add (data->request, user);

  gate = g_task_new (self, g_task_get_cancellable (task), gate_cb, g_object_ref (task));
  g_task_set_task_data (gate, data, NULL);
  g_task_run_in_thread (gate, gate_thread);
}

void
wr_chat_service_complete_async (WrChatService       *self,
                                const char          *project_id,
                                const char          *model,
                                const char          *system_prompt,
                                const char          *text,
                                WrChatDeltaFunc      delta_func,
                                gpointer             delta_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  CompleteData *data;

  g_return_if_fail (WR_IS_CHAT_SERVICE (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_chat_service_complete_async);
  /* Stop is metered too; the task reports the cancellation itself. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (CompleteData, 1);
  data->project_id = g_strdup (nonempty (project_id));
  data->model = g_strdup (nonempty (model));
  data->system_prompt = g_strdup (nonempty (system_prompt));
  data->text = g_strdup (text);
  data->delta_func = delta_func;
  data->delta_data = delta_data;
  data->received = g_string_new (NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) complete_data_free);

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    {
      complete_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                _("Type some text first.")));
      return;
    }

  _wr_chat_service_resolve_async (self, NULL, data->model, data->project_id, cancellable,
                                  complete_resolved_cb, g_steal_pointer (&task));
}

WrCompletion *
wr_chat_service_complete_finish (WrChatService  *self,
                                 GAsyncResult   *result,
                                 WrCompletion  **partial,
                                 GError        **error)
{
  WrCompletion *completion;

  g_return_val_if_fail (WR_IS_CHAT_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_chat_service_complete_async, NULL);

  completion = g_task_propagate_pointer (G_TASK (result), error);
  if (completion == NULL && partial != NULL)
    {
      CompleteData *data = g_task_get_task_data (G_TASK (result));

      *partial = data->completion != NULL ? wr_completion_copy (data->completion) : NULL;
    }

  return completion;
}
