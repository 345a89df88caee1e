/* wr-router.c — one chat request over the primary provider and its
 * failover chain.
 *
 * A request is a GTask whose data walks a short list of targets: the
 * primary (provider, model), then the policy's fallbacks, each resolved to
 * a configured provider only when reached (so a breaker that opened during
 * the primary's attempt is seen). Attempts run one after another; the
 * caller's delta function is handed to each provider call directly, so the
 * only text that ever reaches the caller is that of the attempt which
 * produced it, and the router adds nothing per token. Whether text was
 * delivered is read back from the attempt's partial result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-router.h"
#include "wr-provider-private.h"
#include "wr-provider-images.h"
#include "wr-router-private.h"

#include <glib/gi18n.h>
#include <string.h>

struct _WrRouter
{
  GObject           parent_instance;
  GListModel       *providers;    /* owned, nullable */
  WrFailoverPolicy *policy;       /* owned */
  GHashTable       *breakers;     /* provider id → WrCircuitBreaker */
  guint             max_retry_wait;
  guint             retry_delay;
  guint             max_retries;
  WrClockFunc       clock;
  gpointer          clock_data;
};

G_DEFINE_FINAL_TYPE (WrRouter, wr_router, G_TYPE_OBJECT)
G_DEFINE_QUARK (wr-router-error-quark, wr_router_error)
G_DEFINE_BOXED_TYPE (WrRouterOutcome, wr_router_outcome, wr_router_outcome_ref, wr_router_outcome_unref)

enum {
  PROP_0,
  PROP_PROVIDERS,
  PROP_POLICY,
  PROP_MAX_RETRY_WAIT,
  PROP_RETRY_DELAY,
  PROP_MAX_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A fallback as the policy named it, copied so editing the policy during
 * a request changes nothing for that request. */
typedef struct
{
  char *provider;
  char *model;
} Target;

typedef struct
{
  WrProvider      *primary;        /* owned */
  char            *primary_model;
  GPtrArray       *messages;       /* element-type WrMessage, owned */
  GHashTable      *images;         /* owned, nullable: WrChatRequest.images */
  double           temperature;
  gint64           max_tokens;
  WrChatDeltaFunc  delta_func;
  gpointer         delta_data;

  GArray          *targets;        /* element-type Target: the fallbacks */
  guint            next_target;
  GHashTable      *asked;          /* "id\nmodel" of targets reached */

  /* The target being tried. */
  WrProvider      *current;        /* owned */
  char            *current_model;
  guint            tries;          /* sent to the current target so far */
  gint64           waited_ms;      /* pause before the next send */
  gint64           start_usec;
  gboolean         forced;         /* sent past an open breaker (last resort) */

  gboolean         sent_any;
  WrProvider      *first_skipped;  /* owned, nullable: the last-resort target */
  char            *first_skipped_model;

  GSource         *wait_source;    /* owned, nullable */
  GSource         *cancel_source;  /* owned, nullable */

  WrRouterOutcome *outcome;        /* owned */
  WrChatResult    *partial;        /* owned, nullable */
} RouteData;

static void try_current (GTask *task);
static void advance     (GTask *task);

/* Outcome */

static void
attempt_free (gpointer data)
{
  WrRouterAttempt *attempt = data;

  g_clear_object (&attempt->provider);
  g_free (attempt->provider_id);
  g_free (attempt->provider_name);
  g_free (attempt->model);
  g_clear_error (&attempt->error);
  g_free (attempt->reason);
  g_free (attempt);
}

static void
outcome_clear (gpointer data)
{
  WrRouterOutcome *self = data;

  g_clear_pointer (&self->attempts, g_ptr_array_unref);
  g_clear_object (&self->provider);
  g_free (self->provider_id);
  g_free (self->provider_name);
  g_free (self->model);
  g_free (self->summary);
}

static WrRouterOutcome *
outcome_new (void)
{
  WrRouterOutcome *self = g_rc_box_new0 (WrRouterOutcome);

  self->attempts = g_ptr_array_new_with_free_func (attempt_free);
  return self;
}

WrRouterOutcome *
wr_router_outcome_ref (WrRouterOutcome *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_rc_box_acquire (self);
}

void
wr_router_outcome_unref (WrRouterOutcome *self)
{
  if (self != NULL)
    g_rc_box_release_full (self, outcome_clear);
}

const WrRouterAttempt *
wr_router_outcome_get_attempt (const WrRouterOutcome *self,
                               guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->attempts->len, NULL);

  return g_ptr_array_index (self->attempts, index);
}

guint
wr_router_outcome_get_n_attempts (const WrRouterOutcome *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->attempts->len;
}

/* Helpers */

static const char *
provider_label (WrProvider *provider)
{
  const char *name = wr_provider_get_name (provider);

  if (name != NULL && name[0] != '\0')
    return name;
  if (wr_provider_get_id (provider) != NULL)
    return wr_provider_get_id (provider);
  return _("The provider");
}

static const char *
provider_key (WrProvider *provider)
{
  const char *id = wr_provider_get_id (provider);

  return id != NULL ? id : "";
}

static WrCircuitBreaker *
ensure_breaker (WrRouter   *self,
                const char *provider_id)
{
  WrCircuitBreaker *breaker = g_hash_table_lookup (self->breakers, provider_id);

  if (breaker == NULL)
    {
      breaker = wr_circuit_breaker_new ();
      _wr_circuit_breaker_set_clock (breaker, self->clock, self->clock_data);
      g_hash_table_insert (self->breakers, g_strdup (provider_id), breaker);
    }

  return breaker;
}

/* The public API host of a kind: providers there come first when a kind
 * is resolved. */
static const char *
official_host (const char *kind)
{
  if (g_strcmp0 (kind, "openai") == 0)
    return "://api.openai.com";
  if (g_strcmp0 (kind, "anthropic") == 0)
    return "://api.anthropic.com";
  if (g_strcmp0 (kind, "google") == 0)
    return "://generativelanguage.googleapis.com";
  return NULL;
}

static WrRouterAttempt *
attempt_new (RouteData *data)
{
  WrRouterAttempt *attempt = g_new0 (WrRouterAttempt, 1);

  attempt->provider = g_object_ref (data->current);
  attempt->provider_id = g_strdup (wr_provider_get_id (data->current));
  attempt->provider_name = g_strdup (provider_label (data->current));
  attempt->model = g_strdup (data->current_model);
  attempt->retry_after_ms = -1;
  attempt->waited_ms = data->waited_ms;
  attempt->is_retry = data->tries > 0;

  return attempt;
}

static char *
skipped_reason (WrProvider       *provider,
                WrCircuitBreaker *breaker)
{
  gint64 ms = wr_circuit_breaker_get_remaining_ms (breaker);
  int seconds = (int) MIN ((ms + 999) / 1000, G_MAXINT);

  if (seconds <= 0)
    /* Translators: %s is a provider's name. */
    return g_strdup_printf (_("Skipped: %s is being tested after repeated failures."),
                            provider_label (provider));

  /* Translators: %s is a provider's name, %d a number of seconds. */
  return g_strdup_printf (ngettext ("Skipped: %s is paused after repeated failures; it will be tried again in %d second.",
                                    "Skipped: %s is paused after repeated failures; it will be tried again in %d seconds.",
                                    seconds),
                          provider_label (provider), seconds);
}

static gboolean
is_provider_error (const GError *error,
                   int           code)
{
  return error != NULL && g_error_matches (error, WR_PROVIDER_ERROR, code);
}

/* Whether the same provider and model are worth a second try. */
static gboolean
error_is_retryable (const GError *error)
{
  return is_provider_error (error, WR_PROVIDER_ERROR_CONNECTION) ||
         is_provider_error (error, WR_PROVIDER_ERROR_SERVER) ||
         is_provider_error (error, WR_PROVIDER_ERROR_RATE_LIMITED) ||
         is_provider_error (error, WR_PROVIDER_ERROR_INTERRUPTED);
}

/* Whether another provider should be asked after @error (before any text). */
static gboolean
error_allows_failover (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  /* The messages themselves were refused (too long, a bad parameter):
   * every provider would most likely refuse them too. */
  if (is_provider_error (error, WR_PROVIDER_ERROR_BAD_REQUEST))
    return FALSE;
  return TRUE;
}

/* "… because OpenAI was rate limited": why the primary did not answer.
 * @answer_name/@answer_model are who answered. */
static char *
failover_summary (const WrRouterAttempt *first,
                  const char            *answer_name,
                  const char            *answer_model)
{
  const char *who = first->provider_name;
  const GError *error = first->error;

  if (first->status == WR_ROUTER_ATTEMPT_SKIPPED)
    /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI is paused after repeated failures". */
    return g_strdup_printf (_("Answered by %s (%s) because %s is paused after repeated failures"),
                            answer_name, answer_model, who);

  if (error == NULL || error->domain != WR_PROVIDER_ERROR)
    /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI failed". */
    return g_strdup_printf (_("Answered by %s (%s) because %s failed"), answer_name, answer_model, who);

  switch ((WrProviderError) error->code)
    {
    case WR_PROVIDER_ERROR_RATE_LIMITED:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI was rate limited". */
      return g_strdup_printf (_("Answered by %s (%s) because %s was rate limited"),
                              answer_name, answer_model, who);
    case WR_PROVIDER_ERROR_SERVER:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI had a server error". */
      return g_strdup_printf (_("Answered by %s (%s) because %s had a server error"),
                              answer_name, answer_model, who);
    case WR_PROVIDER_ERROR_CONNECTION:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI could not be reached". */
      return g_strdup_printf (_("Answered by %s (%s) because %s could not be reached"),
                              answer_name, answer_model, who);
    case WR_PROVIDER_ERROR_TIMEOUT:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI did not answer in time". */
      return g_strdup_printf (_("Answered by %s (%s) because %s did not answer in time"),
                              answer_name, answer_model, who);
    case WR_PROVIDER_ERROR_INTERRUPTED:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because the connection to OpenAI dropped". */
      return g_strdup_printf (_("Answered by %s (%s) because the connection to %s dropped"),
                              answer_name, answer_model, who);
    case WR_PROVIDER_ERROR_AUTH:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI rejected the API key". */
      return g_strdup_printf (_("Answered by %s (%s) because %s rejected the API key"),
                              answer_name, answer_model, who);
    case WR_PROVIDER_ERROR_MODEL_NOT_FOUND:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI does not offer gpt-4o". */
      return g_strdup_printf (_("Answered by %s (%s) because %s does not offer %s"),
                              answer_name, answer_model, who, first->model);
    case WR_PROVIDER_ERROR_FAILED:
    case WR_PROVIDER_ERROR_BAD_REQUEST:
    case WR_PROVIDER_ERROR_PROTOCOL:
    default:
      /* Translators: "Answered by Anthropic (claude-3-5-sonnet-latest) because OpenAI sent an unreadable answer". */
      return g_strdup_printf (_("Answered by %s (%s) because %s sent an error or an unreadable answer"),
                              answer_name, answer_model, who);
    }
}

/* Fills in who delivered text and the summary line, from the attempts. */
static void
outcome_conclude (RouteData       *data,
                  WrRouterAttempt *delivering)   /* nullable */
{
  WrRouterOutcome *outcome = data->outcome;
  const WrRouterAttempt *first;
  guint n_sent;

  for (guint i = 0; i < outcome->attempts->len; i++)
    {
      const WrRouterAttempt *attempt = g_ptr_array_index (outcome->attempts, i);

      if (attempt->provider != data->primary || g_strcmp0 (attempt->model, data->primary_model) != 0)
        outcome->failed_over = TRUE;
    }

  if (delivering == NULL)
    return;

  first = g_ptr_array_index (outcome->attempts, 0);

  g_set_object (&outcome->provider, delivering->provider);
  outcome->provider_id = g_strdup (delivering->provider_id);
  outcome->provider_name = g_strdup (delivering->provider_name);
  outcome->model = g_strdup (delivering->model);

  /* The primary answered at once (perhaps after being skipped, when
   * nothing else was left): nothing worth a line. */
  n_sent = 0;
  for (guint i = 0; i < outcome->attempts->len; i++)
    if (((WrRouterAttempt *) g_ptr_array_index (outcome->attempts, i))->status != WR_ROUTER_ATTEMPT_SKIPPED)
      n_sent++;
  if (n_sent <= 1 && !outcome->failed_over)
    return;

  if (delivering->status != WR_ROUTER_ATTEMPT_ANSWERED)
    {
      /* A cut-off answer from the primary explains itself (the error). */
      if (outcome->failed_over)
        /* Translators: "Partly answered by Anthropic (claude-3-5-sonnet-latest) after OpenAI failed". */
        outcome->summary = g_strdup_printf (_("Partly answered by %s (%s) after %s failed"),
                                            delivering->provider_name, delivering->model,
                                            first->provider_name);
    }
  else if (!outcome->failed_over)
    /* Translators: "Answered by OpenAI (gpt-4o) on a second try". */
    outcome->summary = g_strdup_printf (_("Answered by %s (%s) on a second try"),
                                        delivering->provider_name, delivering->model);
  else
    outcome->summary = failover_summary (first, delivering->provider_name, delivering->model);
}

/* The error when nothing answered: the provider's own when only one
 * provider and model was involved, else one listing every attempt. */
static GError *
all_failed_error (RouteData    *data,
                  const GError *last_error)
{
  WrRouterOutcome *outcome = data->outcome;
  g_autoptr(GString) message = NULL;

  if (!outcome->failed_over && last_error != NULL)
    return g_error_copy (last_error);

  message = g_string_new (_("No provider could answer. What each one said:"));
  for (guint i = 0; i < outcome->attempts->len; i++)
    {
      const WrRouterAttempt *attempt = g_ptr_array_index (outcome->attempts, i);

      g_string_append_c (message, '\n');
      /* Translators: one line of a list of attempts: "• OpenAI (gpt-4o): OpenAI is having trouble…". */
      g_string_append_printf (message, _("• %s (%s): %s"),
                              attempt->provider_name, attempt->model,
                              attempt->reason ? attempt->reason : "");
    }

  return g_error_new_literal (WR_ROUTER_ERROR, WR_ROUTER_ERROR_ALL_FAILED, message->str);
}

/* Task */

static void
route_data_stop_wait (RouteData *data)
{
  if (data->wait_source != NULL)
    {
      g_source_destroy (data->wait_source);
      g_clear_pointer (&data->wait_source, g_source_unref);
    }
  if (data->cancel_source != NULL)
    {
      g_source_destroy (data->cancel_source);
      g_clear_pointer (&data->cancel_source, g_source_unref);
    }
}

static void
target_clear (gpointer data)
{
  Target *target = data;

  g_free (target->provider);
  g_free (target->model);
}

static void
route_data_free (gpointer user_data)
{
  RouteData *data = user_data;

  route_data_stop_wait (data);
  g_clear_object (&data->primary);
  g_free (data->primary_model);
  g_clear_pointer (&data->messages, g_ptr_array_unref);
  g_clear_pointer (&data->images, g_hash_table_unref);
  g_clear_pointer (&data->targets, g_array_unref);
  g_clear_pointer (&data->asked, g_hash_table_unref);
  g_clear_object (&data->current);
  g_free (data->current_model);
  g_clear_object (&data->first_skipped);
  g_free (data->first_skipped_model);
  g_clear_pointer (&data->outcome, wr_router_outcome_unref);
  g_clear_pointer (&data->partial, wr_chat_result_free);
  g_free (data);
}

static void
return_error (GTask  *task,
              GError *error)   /* transfer full */
{
  RouteData *data = g_task_get_task_data (task);

  route_data_stop_wait (data);
  g_task_return_error (task, error);
}

static void
return_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  outcome_conclude (g_task_get_task_data (task), NULL);
  return_error (task, error);
}

static WrChatRequest *
make_request (RouteData *data)
{
  WrChatRequest *request = wr_chat_request_new (data->current_model);

  g_ptr_array_unref (request->messages);
  request->messages = g_ptr_array_ref (data->messages);
  request->images = data->images != NULL ? g_hash_table_ref (data->images) : NULL;
  request->temperature = data->temperature;
  request->max_tokens = data->max_tokens;

  return request;
}

static void
set_current (RouteData  *data,
             WrProvider *provider,
             const char *model)
{
  g_set_object (&data->current, provider);
  g_free (data->current_model);
  data->current_model = g_strdup (model);
  data->tries = 0;
  data->waited_ms = 0;
  data->forced = FALSE;
}

static void
on_attempt_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RouteData *data = g_task_get_task_data (task);
  WrRouter *self = g_task_get_source_object (task);
  WrProvider *provider = WR_PROVIDER (object);
  WrCircuitBreaker *breaker = ensure_breaker (self, provider_key (provider));
  g_autoptr(WrChatResult) answer = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autoptr(GError) error = NULL;
  WrRouterAttempt *attempt;
  gboolean delivered;

  answer = wr_provider_stream_chat_finish (provider, result, &partial, &error);

  attempt = attempt_new (data);
  attempt->duration_ms = (g_get_monotonic_time () - data->start_usec) / G_TIME_SPAN_MILLISECOND;
  g_ptr_array_add (data->outcome->attempts, attempt);
  data->tries++;
  data->waited_ms = 0;

  if (answer != NULL)
    {
      wr_circuit_breaker_record_success (breaker);
      attempt->status = WR_ROUTER_ATTEMPT_ANSWERED;
      attempt->delivered_text = answer->content != NULL && answer->content[0] != '\0';
      g_clear_pointer (&data->partial, wr_chat_result_free);
      outcome_conclude (data, attempt);
      g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) wr_chat_result_free);
      return;
    }

  delivered = partial != NULL && partial->content != NULL && partial->content[0] != '\0';
  attempt->delivered_text = delivered;
  attempt->error = g_error_copy (error);
  attempt->reason = wr_provider_describe_error (provider, error);
  if (error->domain == WR_PROVIDER_ERROR)
    attempt->retry_after_ms = _wr_provider_error_get_retry_after (error);
  if (attempt->retry_after_ms < 0 && partial != NULL)
    attempt->retry_after_ms = partial->retry_after_ms;
  if (partial != NULL)
    {
      g_clear_pointer (&data->partial, wr_chat_result_free);
      data->partial = g_steal_pointer (&partial);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      wr_circuit_breaker_record_cancelled (breaker);
      attempt->status = WR_ROUTER_ATTEMPT_CANCELLED;
      outcome_conclude (data, delivered ? attempt : NULL);
      return_error (task, g_steal_pointer (&error));
      return;
    }

  attempt->status = WR_ROUTER_ATTEMPT_FAILED;
  wr_circuit_breaker_record_failure (breaker, error);

  /* The caller has text from this attempt: it is the answer, cut short.
   * Another provider would start over and contradict what is shown. */
  if (delivered)
    {
      outcome_conclude (data, attempt);
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!error_allows_failover (error))
    {
      outcome_conclude (data, NULL);
      return_error (task, all_failed_error (data, error));
      return;
    }

  if (error_is_retryable (error) &&
      data->tries <= self->max_retries &&
      wr_circuit_breaker_get_state (breaker) == WR_CIRCUIT_CLOSED)
    {
      gint64 retry_after = attempt->retry_after_ms;

      if (retry_after < 0)
        {
          data->waited_ms = self->retry_delay;
          try_current (task);
          return;
        }
      if (retry_after <= (gint64) self->max_retry_wait)
        {
          data->waited_ms = retry_after;
          try_current (task);
          return;
        }
      /* Longer than we make the user wait: ask someone else now. */
    }

  advance (task);
}

static void
send_current (GTask *task)
{
  RouteData *data = g_task_get_task_data (task);
  g_autoptr(WrChatRequest) request = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      return_cancelled (task);
      return;
    }

  data->sent_any = TRUE;
  data->start_usec = g_get_monotonic_time ();
  request = make_request (data);
  wr_provider_stream_chat_async (data->current, request,
                                 data->delta_func, data->delta_data,
                                 g_task_get_cancellable (task),
                                 on_attempt_done_cb,
                                 g_object_ref (task));
}

/* Sends to the current target unless its breaker refuses. */
static void
acquire_and_send (GTask *task)
{
  RouteData *data = g_task_get_task_data (task);
  WrRouter *self = g_task_get_source_object (task);
  WrCircuitBreaker *breaker = ensure_breaker (self, provider_key (data->current));

  if (!data->forced && !wr_circuit_breaker_try_acquire (breaker))
    {
      WrRouterAttempt *attempt = attempt_new (data);

      attempt->status = WR_ROUTER_ATTEMPT_SKIPPED;
      attempt->reason = skipped_reason (data->current, breaker);
      g_ptr_array_add (data->outcome->attempts, attempt);

      if (data->first_skipped == NULL)
        {
          data->first_skipped = g_object_ref (data->current);
          data->first_skipped_model = g_strdup (data->current_model);
        }
      advance (task);
      return;
    }

  send_current (task);
}

static gboolean
on_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  RouteData *data = g_task_get_task_data (task);
  g_autoptr(GTask) hold G_GNUC_UNUSED = g_object_ref (task);

  route_data_stop_wait (data);
  acquire_and_send (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GTask) hold G_GNUC_UNUSED = g_object_ref (task);

  return_cancelled (task);

  return G_SOURCE_REMOVE;
}

/* Tries the current target, after data->waited_ms. */
static void
try_current (GTask *task)
{
  RouteData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (data->waited_ms <= 0)
    {
      acquire_and_send (task);
      return;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      return_cancelled (task);
      return;
    }

  data->wait_source = g_timeout_source_new ((guint) MIN (data->waited_ms, G_MAXUINT));
  g_source_set_name (data->wait_source, "[workroom] router retry wait");
  g_source_set_callback (data->wait_source, on_wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (on_wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }
}

/* Moves to the next fallback that resolves to a provider not asked yet;
 * when none is left, the last resort or the failure. */
static void
advance (GTask *task)
{
  RouteData *data = g_task_get_task_data (task);
  WrRouter *self = g_task_get_source_object (task);

  while (data->next_target < data->targets->len)
    {
      const Target *target = &g_array_index (data->targets, Target, data->next_target++);
      WrProvider *provider = wr_router_resolve_target (self, target->provider);
      g_autofree char *key = NULL;

      if (provider == NULL)
        continue;

      key = g_strconcat (provider_key (provider), "\n", target->model, NULL);
      if (!g_hash_table_add (data->asked, g_steal_pointer (&key)))
        continue;

      set_current (data, provider, target->model);
      try_current (task);
      return;
    }

  /* Every candidate was paused: ask the first one anyway rather than fail
   * without trying. */
  if (!data->sent_any && data->first_skipped != NULL)
    {
      g_autoptr(WrProvider) provider = g_steal_pointer (&data->first_skipped);
      g_autofree char *model = g_steal_pointer (&data->first_skipped_model);

      set_current (data, provider, model);
      data->forced = TRUE;
      send_current (task);
      return;
    }

  {
    const WrRouterAttempt *last = data->outcome->attempts->len > 0
      ? g_ptr_array_index (data->outcome->attempts, data->outcome->attempts->len - 1)
      : NULL;

    outcome_conclude (data, NULL);
    return_error (task, all_failed_error (data, last ? last->error : NULL));
  }
}

/* GObject */

static void
wr_router_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  WrRouter *self = WR_ROUTER (object);

  switch (prop_id)
    {
    case PROP_PROVIDERS:
      g_value_set_object (value, self->providers);
      break;
    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;
    case PROP_MAX_RETRY_WAIT:
      g_value_set_uint (value, self->max_retry_wait);
      break;
    case PROP_RETRY_DELAY:
      g_value_set_uint (value, self->retry_delay);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_router_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  WrRouter *self = WR_ROUTER (object);

  switch (prop_id)
    {
    case PROP_PROVIDERS:
      self->providers = g_value_dup_object (value);
      break;
    case PROP_POLICY:
      wr_router_set_policy (self, g_value_get_object (value));
      break;
    case PROP_MAX_RETRY_WAIT:
      wr_router_set_max_retry_wait (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_DELAY:
      wr_router_set_retry_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRIES:
      wr_router_set_max_retries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_router_dispose (GObject *object)
{
  WrRouter *self = WR_ROUTER (object);

  g_clear_object (&self->providers);
  g_clear_object (&self->policy);
  g_hash_table_remove_all (self->breakers);

  G_OBJECT_CLASS (wr_router_parent_class)->dispose (object);
}

static void
wr_router_finalize (GObject *object)
{
  WrRouter *self = WR_ROUTER (object);

  g_clear_pointer (&self->breakers, g_hash_table_unref);

  G_OBJECT_CLASS (wr_router_parent_class)->finalize (object);
}

static void
wr_router_class_init (WrRouterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wr_router_get_property;
  object_class->set_property = wr_router_set_property;
  object_class->dispose = wr_router_dispose;
  object_class->finalize = wr_router_finalize;

  properties[PROP_PROVIDERS] =
    g_param_spec_object ("providers", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL,
                         WR_TYPE_FAILOVER_POLICY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RETRY_WAIT] =
    g_param_spec_uint ("max-retry-wait", NULL, NULL,
                       0, G_MAXUINT, WR_ROUTER_DEFAULT_MAX_RETRY_WAIT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL,
                       0, G_MAXUINT, WR_ROUTER_DEFAULT_RETRY_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 5, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_router_init (WrRouter *self)
{
  self->breakers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->max_retry_wait = WR_ROUTER_DEFAULT_MAX_RETRY_WAIT_MS;
  self->retry_delay = WR_ROUTER_DEFAULT_RETRY_DELAY_MS;
  self->max_retries = 1;
  self->policy = wr_failover_policy_new_default ();
}

/* Private API */

void
_wr_router_set_clock (WrRouter    *self,
                      WrClockFunc  clock,
                      gpointer     clock_data)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (WR_IS_ROUTER (self));

  self->clock = clock;
  self->clock_data = clock_data;

  g_hash_table_iter_init (&iter, self->breakers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _wr_circuit_breaker_set_clock (value, clock, clock_data);
}

/* API */

WrRouter *
wr_router_new (GListModel       *providers,
               WrFailoverPolicy *policy)
{
  g_return_val_if_fail (providers == NULL || G_IS_LIST_MODEL (providers), NULL);
  g_return_val_if_fail (policy == NULL || WR_IS_FAILOVER_POLICY (policy), NULL);

  return g_object_new (WR_TYPE_ROUTER,
                       "providers", providers,
                       "policy", policy,
                       NULL);
}

GListModel *
wr_router_get_providers (WrRouter *self)
{
  g_return_val_if_fail (WR_IS_ROUTER (self), NULL);
  return self->providers;
}

WrFailoverPolicy *
wr_router_get_policy (WrRouter *self)
{
  g_return_val_if_fail (WR_IS_ROUTER (self), NULL);
  return self->policy;
}

void
wr_router_set_policy (WrRouter         *self,
                      WrFailoverPolicy *policy)
{
  g_autoptr(WrFailoverPolicy) fallback = NULL;

  g_return_if_fail (WR_IS_ROUTER (self));
  g_return_if_fail (policy == NULL || WR_IS_FAILOVER_POLICY (policy));

  if (policy == NULL)
    policy = fallback = wr_failover_policy_new_default ();

  if (g_set_object (&self->policy, policy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

guint
wr_router_get_max_retry_wait (WrRouter *self)
{
  g_return_val_if_fail (WR_IS_ROUTER (self), 0);
  return self->max_retry_wait;
}

void
wr_router_set_max_retry_wait (WrRouter *self,
                              guint     msec)
{
  g_return_if_fail (WR_IS_ROUTER (self));

  if (self->max_retry_wait == msec)
    return;
  self->max_retry_wait = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRY_WAIT]);
}

guint
wr_router_get_retry_delay (WrRouter *self)
{
  g_return_val_if_fail (WR_IS_ROUTER (self), 0);
  return self->retry_delay;
}

void
wr_router_set_retry_delay (WrRouter *self,
                           guint     msec)
{
  g_return_if_fail (WR_IS_ROUTER (self));

  if (self->retry_delay == msec)
    return;
  self->retry_delay = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY]);
}

guint
wr_router_get_max_retries (WrRouter *self)
{
  g_return_val_if_fail (WR_IS_ROUTER (self), 0);
  return self->max_retries;
}

void
wr_router_set_max_retries (WrRouter *self,
                           guint     retries)
{
  g_return_if_fail (WR_IS_ROUTER (self));
  g_return_if_fail (retries <= 5);

  if (self->max_retries == retries)
    return;
  self->max_retries = retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
}

WrCircuitBreaker *
wr_router_get_circuit_breaker (WrRouter   *self,
                               const char *provider_id)
{
  g_return_val_if_fail (WR_IS_ROUTER (self), NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);

  return ensure_breaker (self, provider_id);
}

WrProvider *
wr_router_resolve_target (WrRouter   *self,
                          const char *target)
{
  WrProvider *by_name = NULL;
  WrProvider *best = NULL;
  int best_rank = -1;
  const char *host;
  guint n;

  g_return_val_if_fail (WR_IS_ROUTER (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  if (self->providers == NULL)
    return NULL;

  host = official_host (target);
  n = g_list_model_get_n_items (self->providers);

  /* Items are owned by the model; the references taken here are dropped
   * at once, the model keeps them alive. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (self->providers, i);
      const char *base_url;
      WrCircuitBreaker *breaker;
      int rank;

      if (g_strcmp0 (wr_provider_get_id (provider), target) == 0)
        return provider;

      if (by_name == NULL && wr_provider_get_name (provider) != NULL &&
          g_ascii_strcasecmp (wr_provider_get_name (provider), target) == 0)
        by_name = provider;

      if (by_name != NULL || g_strcmp0 (wr_provider_get_kind (provider), target) != 0)
        continue;

      /* Rank kind matches: one not paused (a paused one would only be
       * skipped), and among those the vendor's own API. */
      base_url = wr_provider_get_base_url (provider);
      breaker = g_hash_table_lookup (self->breakers, provider_key (provider));
      rank = 0;
      if (breaker == NULL || wr_circuit_breaker_get_state (breaker) != WR_CIRCUIT_OPEN)
        rank += 2;
      if (host != NULL && base_url != NULL && strstr (base_url, host) != NULL)
        rank += 1;
      if (rank > best_rank)
        {
          best = provider;
          best_rank = rank;
        }
    }

  return by_name != NULL ? by_name : best;
}

void
wr_router_stream_chat_async (WrRouter            *self,
                             WrProvider          *primary,
                             WrChatRequest       *request,
                             WrChatDeltaFunc      delta_func,
                             gpointer             delta_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const WrFailoverTarget *targets;
  RouteData *data;
  guint n_targets = 0;

  g_return_if_fail (WR_IS_ROUTER (self));
  g_return_if_fail (WR_IS_PROVIDER (primary));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (RouteData, 1);
  data->primary = g_object_ref (primary);
  data->primary_model = g_strdup (request->model);
  data->messages = g_ptr_array_new_full (request->messages->len, g_object_unref);
  for (guint i = 0; i < request->messages->len; i++)
    g_ptr_array_add (data->messages, g_object_ref (g_ptr_array_index (request->messages, i)));
  data->images = _wr_chat_request_dup_images (request);
  data->temperature = request->temperature;
  data->max_tokens = request->max_tokens;
  data->delta_func = delta_func;
  data->delta_data = delta_data;
  data->outcome = outcome_new ();
  data->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  targets = wr_failover_policy_lookup (self->policy, request->model, &n_targets);
  data->targets = g_array_sized_new (FALSE, FALSE, sizeof (Target), n_targets);
  g_array_set_clear_func (data->targets, target_clear);
  for (guint i = 0; i < n_targets; i++)
    {
      Target target = { g_strdup (targets[i].provider), g_strdup (targets[i].model) };
      g_array_append_val (data->targets, target);
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_router_stream_chat_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, route_data_free);

  g_hash_table_add (data->asked, g_strconcat (provider_key (primary), "\n", request->model, NULL));
  set_current (data, primary, request->model);
  try_current (task);
}

WrChatResult *
wr_router_stream_chat_finish (WrRouter         *self,
                              GAsyncResult     *result,
                              WrChatResult    **partial,
                              WrRouterOutcome **outcome,
                              GError          **error)
{
  RouteData *data;
  WrChatResult *answer;

  g_return_val_if_fail (WR_IS_ROUTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_router_stream_chat_async, NULL);

  data = g_task_get_task_data (G_TASK (result));

  if (partial != NULL)
    *partial = NULL;
  if (outcome != NULL)
    *outcome = wr_router_outcome_ref (data->outcome);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL && partial != NULL)
    *partial = g_steal_pointer (&data->partial);

  return answer;
}

char *
wr_router_describe_error (const WrRouterOutcome *outcome,
                          const GError          *error)
{
  WrProvider *provider = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == WR_ROUTER_ERROR)
    return g_strdup (error->message);

  if (outcome != NULL)
    {
      provider = outcome->provider;
      if (provider == NULL && outcome->attempts->len > 0)
        provider = ((WrRouterAttempt *) g_ptr_array_index (outcome->attempts,
                                                           outcome->attempts->len - 1))->provider;
    }

  return wr_provider_describe_error (provider, error);
}
