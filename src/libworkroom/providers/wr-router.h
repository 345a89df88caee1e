/* wr-router.h — sends a chat to a provider and, when it cannot answer,
 * to the next one of the model's failover chain.
 *
 * A request goes to the primary provider first, then to the fallbacks the
 * WrFailoverPolicy lists for the requested model, resolved against the
 * configured providers (a GListModel of WrProvider, e.g. the
 * WrProviderRegistry) at call time.
 *
 * Before the first piece of text arrives, a failure moves on:
 *   - connection errors, 5xx (incl. 529 overloaded), 429 and dropped
 *     connections are retried once on the same provider (after the
 *     server's Retry-After when it sent one and it is at most
 *     "max-retry-wait", else after "retry-delay"; a longer Retry-After
 *     skips the retry), then fail over;
 *   - timeouts fail over at once (a retry would cost another full timeout);
 *   - a rejected key (401/403) or unknown model (404) fails over at once,
 *     without retry: the user asked for an answer and another provider can
 *     give one; the outcome says why, so the settings can be fixed;
 *   - a refused request (other 4xx) does not fail over: the same messages
 *     would most likely be refused everywhere, at everyone's cost.
 * After the first piece of text reached the caller, nothing is retried or
 * failed over: the error comes back with the partial answer (the caller
 * keeps it and offers Retry). Text is passed straight through to the
 * caller's delta function, never buffered.
 *
 * Providers whose circuit breaker is open are skipped (and recorded so).
 * If every candidate is skipped, the primary is tried anyway: refusing to
 * send when there is nowhere else to go would only turn a likely failure
 * into a certain one.
 *
 * Threading: like WrProvider, everything runs on the caller's
 * thread-default main context. */
#pragma once

#include <gio/gio.h>

#include "wr-circuit-breaker.h"
#include "wr-failover-policy.h"
#include "wr-provider.h"

G_BEGIN_DECLS

#define WR_ROUTER_ERROR (wr_router_error_quark ())

typedef enum {
  /* Every attempt failed; the message lists them, one line each. */
  WR_ROUTER_ERROR_ALL_FAILED,
} WrRouterError;

GQuark wr_router_error_quark (void);

typedef enum {
  WR_ROUTER_ATTEMPT_ANSWERED,    /* the answer came from here */
  WR_ROUTER_ATTEMPT_FAILED,      /* sent, failed (see error) */
  WR_ROUTER_ATTEMPT_SKIPPED,     /* not sent: circuit open */
  WR_ROUTER_ATTEMPT_CANCELLED,   /* the caller cancelled it */
} WrRouterAttemptStatus;

/* One provider asked (or skipped). */
typedef struct {
  WrProvider            *provider;        /* owned */
  char                  *provider_id;
  char                  *provider_name;   /* for display */
  char                  *model;           /* the model asked for */
  WrRouterAttemptStatus  status;
  GError                *error;           /* FAILED / CANCELLED: what happened (nullable) */
  char                  *reason;          /* user-facing, translatable; NULL when answered */
  gint64                 duration_ms;     /* request start to end; 0 when skipped */
  gint64                 waited_ms;       /* pause before it (retry delay / Retry-After honoured) */
  gint64                 retry_after_ms;  /* Retry-After the server sent, -1 when none */
  gboolean               is_retry;        /* a second try on the same provider and model */
  gboolean               delivered_text;  /* text of this attempt reached the caller */
} WrRouterAttempt;

/* What happened to one routed request. */
typedef struct {
  GPtrArray   *attempts;         /* element-type WrRouterAttempt, in order */
  /* The provider whose text the caller got (answered, or left a partial
   * answer); NULL when none did. */
  WrProvider  *provider;         /* owned, nullable */
  char        *provider_id;      /* nullable */
  char        *provider_name;    /* nullable */
  char        *model;            /* the model asked of it; nullable */
  gboolean     failed_over;      /* answered (or tried) beyond the primary */
  /* One translatable line for the UI when anything but "the primary
   * answered on the first try" happened, e.g. "Answered by Anthropic
   * (claude-3-5-sonnet-latest) because OpenAI was limiting requests";
   * NULL otherwise. */
  char        *summary;
} WrRouterOutcome;

#define WR_TYPE_ROUTER_OUTCOME (wr_router_outcome_get_type ())
GType            wr_router_outcome_get_type (void);
WrRouterOutcome *wr_router_outcome_ref      (WrRouterOutcome *self);
void             wr_router_outcome_unref    (WrRouterOutcome *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrRouterOutcome, wr_router_outcome_unref)

/* The attempt at @index. (transfer none) */
const WrRouterAttempt *wr_router_outcome_get_attempt   (const WrRouterOutcome *self,
                                                        guint                  index);
guint                  wr_router_outcome_get_n_attempts (const WrRouterOutcome *self);

#define WR_ROUTER_DEFAULT_MAX_RETRY_WAIT_MS 10000
#define WR_ROUTER_DEFAULT_RETRY_DELAY_MS    500

#define WR_TYPE_ROUTER (wr_router_get_type ())
G_DECLARE_FINAL_TYPE (WrRouter, wr_router, WR, ROUTER, GObject)

/* properties: "providers" (GListModel of WrProvider, construct-only,
 * nullable: only the primary is ever asked), "policy" (WrFailoverPolicy;
 * NULL restores the default chains), "max-retry-wait" (ms, longest
 * Retry-After honoured on the same provider), "retry-delay" (ms, pause
 * before a retry when the server named none), "max-retries" (same
 * provider, default 1; 0 disables retries) */
WrRouter         *wr_router_new              (GListModel       *providers,   /* nullable */
                                              WrFailoverPolicy *policy);     /* nullable: default */

/* (transfer none) */
GListModel       *wr_router_get_providers    (WrRouter         *self);
WrFailoverPolicy *wr_router_get_policy       (WrRouter         *self);
void              wr_router_set_policy       (WrRouter         *self,
                                              WrFailoverPolicy *policy);
guint             wr_router_get_max_retry_wait (WrRouter       *self);
void              wr_router_set_max_retry_wait (WrRouter       *self,
                                                guint           msec);
guint             wr_router_get_retry_delay  (WrRouter         *self);
void              wr_router_set_retry_delay  (WrRouter         *self,
                                              guint             msec);
guint             wr_router_get_max_retries  (WrRouter         *self);
void              wr_router_set_max_retries  (WrRouter         *self,
                                              guint             retries);

/* The breaker of the provider with @provider_id, made on first use (with
 * the default settings). (transfer none) */
WrCircuitBreaker *wr_router_get_circuit_breaker (WrRouter      *self,
                                                 const char    *provider_id);

/* The provider a failover target names: a provider whose id is @target,
 * else whose name is @target (case-insensitive), else one of kind
 * @target: one whose breaker is not open first, and among those one whose
 * base URL is that kind's public API (so a local Ollama, also of kind
 * "openai", is not asked for gpt-4o-mini while OpenAI itself is there).
 * NULL when none. (transfer none) */
WrProvider       *wr_router_resolve_target   (WrRouter         *self,
                                              const char       *target);

/* Like wr_provider_stream_chat_async() on @primary, with failover. The
 * request is copied; @delta_func gets the text of the attempt that
 * delivers it (only ever one: the first text commits to that attempt). */
void              wr_router_stream_chat_async  (WrRouter            *self,
                                                WrProvider          *primary,
                                                WrChatRequest       *request,
                                                WrChatDeltaFunc      delta_func,
                                                gpointer             delta_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Like wr_provider_stream_chat_finish(): the answer, or NULL with @error
 * and, in @partial, what the delivering attempt received (or, when none
 * delivered text, what the last attempt received: status, Retry-After).
 * @outcome (nullable) receives what happened (transfer full), also on
 * failure. The error is the provider's own when only one provider/model
 * was asked, or the request was cancelled (G_IO_ERROR_CANCELLED), or text
 * had been delivered; else WR_ROUTER_ERROR_ALL_FAILED listing every
 * attempt. */
WrChatResult     *wr_router_stream_chat_finish (WrRouter            *self,
                                                GAsyncResult        *result,
                                                WrChatResult       **partial,
                                                WrRouterOutcome    **outcome,
                                                GError             **error);

/* A user-facing sentence for an error from wr_router_stream_chat_finish():
 * the router's own message for WR_ROUTER_ERROR, else
 * wr_provider_describe_error() of the provider it came from. (transfer full) */
char             *wr_router_describe_error     (const WrRouterOutcome *outcome,  /* nullable */
                                                const GError          *error);

G_END_DECLS
