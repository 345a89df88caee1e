/* wr-chat-meter.c — one model call's gates, usage row and credits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>

#include "wr-chat-meter.h"

struct _WrChatMeter
{
  WrBilling *billing;           /* owned, nullable */
  WrPlan    *plan;              /* a preset (lives forever), nullable */
  gboolean   treat_as_remote;   /* tests: the mock server is on loopback */
  char      *project_id;
  char      *chat_id;
  char      *model;             /* asked of the primary */
  char      *provider_id;       /* the primary */
  gboolean   primary_is_local;
  gint64     est_input;         /* tokens of the whole request, estimated */
  char      *reservation_id;    /* nullable: nothing reserved */
  gint64     reserved;          /* micro-credits */
  gint64     started_usec;      /* monotonic; 0 = never sent */
};

void
_wr_chat_meter_free (WrChatMeter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->billing);
  g_free (self->project_id);
  g_free (self->chat_id);
  g_free (self->model);
  g_free (self->provider_id);
  g_free (self->reservation_id);
  g_free (self);
}

static gboolean
provider_is_local (WrChatMeter *self,
                   WrProvider  *provider)
{
  return !self->treat_as_remote &&
         provider != NULL &&
         wr_billing_is_local_url (wr_provider_get_base_url (provider));
}

/* Every message of the request, as the model will read it. */
static gint64
estimate_request (WrChatRequest *request)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *images;
  gint64 n_images = 0;

  for (guint i = 0; i < request->messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (request->messages, i);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_len (text, wr_message_get_content (message),
                           wr_message_get_content_length (message));
      images = wr_chat_request_get_images (request, message);
      if (images != NULL)
        n_images += images->len;
    }

  return wr_billing_estimate_tokens (text->str) + n_images * WR_CHAT_ESTIMATED_IMAGE_TOKENS;
}

static char *
reservation_meta (WrChatMeter *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (self->project_id != NULL)
    {
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, self->project_id);
    }
  if (self->chat_id != NULL)
    {
      json_builder_set_member_name (builder, "chat_id");
      json_builder_add_string_value (builder, self->chat_id);
    }
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, self->model);
  json_builder_set_member_name (builder, "provider_id");
  json_builder_add_string_value (builder, self->provider_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static WrChatMeter *meter_begin (WrBilling   *billing,
                                 gboolean     treat_as_remote,
                                 WrProvider  *provider,
                                 const char  *model,
                                 const char  *project_id,
                                 const char  *chat_id,
                                 gint64       est_input,
                                 gint64       expected_output,
                                 GError     **error);

WrChatMeter *
_wr_chat_meter_begin (WrBilling      *billing,
                      gboolean        treat_as_remote,
                      WrProvider     *provider,
                      const char     *model,
                      const char     *project_id,
                      const char     *chat_id,
                      WrChatRequest  *request,
                      GError        **error)
{
  g_return_val_if_fail (billing == NULL || WR_IS_BILLING (billing), NULL);
  g_return_val_if_fail (WR_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  return meter_begin (billing, treat_as_remote, provider, model, project_id, chat_id,
                      estimate_request (request), WR_CHAT_EXPECTED_OUTPUT_TOKENS, error);
}

WrChatMeter *
_wr_chat_meter_begin_embedding (WrBilling           *billing,
                                gboolean             treat_as_remote,
                                WrProvider          *provider,
                                const char          *model,
                                const char          *project_id,
                                const char * const  *inputs,
                                GError             **error)
{
  gint64 est_input = 0;

  g_return_val_if_fail (billing == NULL || WR_IS_BILLING (billing), NULL);
  g_return_val_if_fail (WR_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (inputs != NULL, NULL);

  for (guint i = 0; inputs[i] != NULL; i++)
    est_input += wr_billing_estimate_tokens (inputs[i]);

  return meter_begin (billing, treat_as_remote, provider, model, project_id, NULL,
                      est_input, 0, error);
}

static WrChatMeter *
meter_begin (WrBilling   *billing,
             gboolean     treat_as_remote,
             WrProvider  *provider,
             const char  *model,
             const char  *project_id,
             const char  *chat_id,
             gint64       est_input,
             gint64       expected_output,
             GError     **error)
{
  g_autoptr(WrChatMeter) self = g_new0 (WrChatMeter, 1);

  self->billing = billing != NULL ? g_object_ref (billing) : NULL;
  self->treat_as_remote = treat_as_remote;
  self->project_id = g_strdup (project_id);
  self->chat_id = g_strdup (chat_id);
  self->model = g_strdup (model);
  self->provider_id = g_strdup (wr_provider_get_id (provider));
  self->primary_is_local = provider_is_local (self, provider);
  self->est_input = est_input;

  if (self->billing == NULL)
    return g_steal_pointer (&self);

  self->plan = wr_billing_get_plan (self->billing, error);
  if (self->plan == NULL)
    return NULL;

  if (!wr_billing_check_model (self->billing, self->plan, model, self->primary_is_local, error))
    return NULL;

  if (!wr_billing_check_quota (self->billing, self->est_input + expected_output, error))
    return NULL;

  if (wr_billing_call_charges_credits (self->plan, self->primary_is_local))
    {
      g_autofree char *meta = reservation_meta (self);
      gint64 cost = wr_billing_cost_micros (self->billing, model, self->est_input,
                                            expected_output, error);

      if (cost < 0)
        return NULL;

      if (!wr_billing_reserve (self->billing, cost, "chat_usage", meta,
                               &self->reservation_id, error))
        return NULL;

      self->reserved = cost;
    }

  return g_steal_pointer (&self);
}

void
_wr_chat_meter_start (WrChatMeter *self)
{
  g_return_if_fail (self != NULL);

  self->started_usec = g_get_monotonic_time ();
}

gboolean
_wr_chat_meter_release (WrChatMeter  *self,
                        GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->reservation_id == NULL)
    return TRUE;

  if (!wr_billing_settle (self->billing, self->reservation_id, 0, NULL, error))
    return FALSE;

  g_clear_pointer (&self->reservation_id, g_free);
  self->reserved = 0;
  return TRUE;
}

WrUsageOutcome
_wr_chat_meter_outcome_for (gboolean      answered,
                            const GError *error,
                            gboolean      has_text)
{
  if (answered)
    return WR_USAGE_OUTCOME_OK;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return WR_USAGE_OUTCOME_CANCELLED;
  if (has_text)
    return WR_USAGE_OUTCOME_PARTIAL;
  return WR_USAGE_OUTCOME_ERROR;
}

/* Recording --------------------------------------------------------------- */

typedef struct {
  WrChatMeter   *meter;          /* borrowed: the caller keeps it until done */
  WrUsageRecord *record;
  gboolean       answer_charges; /* the answering provider's call costs credits */
} FinishData;

static void
finish_data_free (FinishData *data)
{
  g_clear_pointer (&data->record, wr_usage_record_free);
  g_free (data);
}

/* Settles what was reserved to @cost; a call that charges credits but
 * reserved nothing (it failed over from a local provider to a remote one)
 * is charged now, as far as the balance goes. */
static void
settle (WrChatMeter *meter,
        gboolean     answer_charges,
        gint64       cost)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *late_id = NULL;
  const char *id = meter->reservation_id;

  if (id == NULL)
    {
      if (!answer_charges || cost <= 0)
        return;

      if (!wr_billing_reserve (meter->billing, 0, "chat_usage", NULL, &late_id, &error))
        {
          g_warning ("Could not charge credits for a model call: %s", error->message);
          return;
        }
      id = late_id;
    }

  if (!wr_billing_settle (meter->billing, id, MAX (cost, 0), NULL, &error))
    g_warning ("Could not settle the credits reserved for a model call: %s", error->message);
}

static void
finish_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FinishData *data = task_data;
  WrChatMeter *meter = data->meter;
  WrUsageRecord *record = data->record;
  g_autoptr(GError) error = NULL;

  if (meter->billing == NULL)
    {
      g_task_return_pointer (task, wr_usage_record_copy (record), (GDestroyNotify) wr_usage_record_free);
      return;
    }

  if (!wr_billing_record_usage (meter->billing, record, &error))
    {
      /* The reply is kept whatever happens here; only the statistics and
       * the limit miss this call. */
      g_warning ("Could not record the usage of a model call: %s", error->message);
      g_clear_error (&error);

      if (record->cost_micros < 0)
        record->cost_micros = wr_billing_cost_micros (meter->billing, record->model,
                                                      record->input_tokens,
                                                      record->output_tokens, NULL);
      /* Unpriceable: keep what was reserved rather than refund blindly. */
      if (record->cost_micros < 0)
        record->cost_micros = meter->reserved;
    }

  settle (meter, data->answer_charges, record->cost_micros);

  g_task_return_pointer (task, wr_usage_record_copy (record), (GDestroyNotify) wr_usage_record_free);
}

void
_wr_chat_meter_finish_async (WrChatMeter           *self,
                             const char            *message_id,
                             const WrRouterOutcome *outcome,
                             const WrChatResult    *result,
                             const char            *content,
                             WrUsageOutcome         usage_outcome,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  FinishData *data;
  WrUsageRecord *record;
  WrProvider *answered_by = NULL;
  gboolean answer_local;
  gint64 reported_in = result != NULL ? result->input_tokens : -1;
  gint64 reported_out = result != NULL ? result->output_tokens : -1;

  g_return_if_fail (self != NULL);

  record = wr_usage_record_new ();
  record->project_id = g_strdup (self->project_id);
  record->chat_id = g_strdup (self->chat_id);
  record->message_id = g_strdup (message_id);
  record->outcome = usage_outcome;

  /* Who answered, after any failover; the primary when nobody did. */
  if (outcome != NULL && outcome->provider_id != NULL)
    {
      answered_by = outcome->provider;
      record->provider_id = g_strdup (outcome->provider_id);
      record->model = g_strdup (outcome->model != NULL ? outcome->model : self->model);
      answer_local = provider_is_local (self, answered_by);
    }
  else
    {
      record->provider_id = g_strdup (self->provider_id);
      record->model = g_strdup (self->model);
      answer_local = self->primary_is_local;
    }

  if (usage_outcome == WR_USAGE_OUTCOME_ERROR)
    {
      /* Refused or failed before any text: providers bill nothing for
       * that, and it must not eat into the daily limit either. */
      record->input_tokens = MAX (reported_in, 0);
      record->output_tokens = MAX (reported_out, 0);
      record->estimated = FALSE;
    }
  else
    {
      record->estimated = reported_in < 0 || reported_out < 0;
      record->input_tokens = reported_in >= 0 ? reported_in : self->est_input;
      record->output_tokens = reported_out >= 0 ? reported_out
                                                : wr_billing_estimate_tokens (content);
    }

  record->cost_micros = answer_local ? 0 : -1;
  record->latency_ms = self->started_usec > 0
                       ? (g_get_monotonic_time () - self->started_usec) / 1000
                       : -1;

  data = g_new0 (FinishData, 1);
  data->meter = self;
  data->record = record;
  data->answer_charges = self->plan != NULL &&
                         wr_billing_call_charges_credits (self->plan, answer_local);

  /* No cancellable: Stop must still be recorded and settled. */
  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, _wr_chat_meter_finish_async);
  g_task_set_task_data (task, data, (GDestroyNotify) finish_data_free);
  g_task_run_in_thread (task, finish_thread);
}

WrUsageRecord *
_wr_chat_meter_finish_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}
