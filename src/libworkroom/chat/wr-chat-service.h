/* wr-chat-service.h — sending a message in a chat, end to end: resolves the
 * provider and model, stores the user message, creates the assistant
 * message, streams the reply into it (WrMessage "content" notifies as text
 * arrives), stores usage, and marks partial or failed replies.
 *
 * Used from one thread with a main loop (the GUI's, or the CLI's). */
#pragma once

#include <gio/gio.h>

#include "billing/wr-billing.h"
#include "store/wr-store.h"
#include "providers/wr-provider-registry.h"
#include "providers/wr-router.h"

G_BEGIN_DECLS

#define WR_CHAT_ERROR (wr_chat_error_quark ())
typedef enum {
  WR_CHAT_ERROR_NO_PROVIDER,   /* nothing configured; onboarding should run */
  WR_CHAT_ERROR_NO_MODEL,      /* no model chosen and the provider lists none */
  WR_CHAT_ERROR_BUSY,          /* this chat is already streaming */
} WrChatError;
GQuark wr_chat_error_quark (void);

#define WR_TYPE_CHAT_SERVICE (wr_chat_service_get_type ())
G_DECLARE_FINAL_TYPE (WrChatService, wr_chat_service, WR, CHAT_SERVICE, GObject)

WrChatService *wr_chat_service_new          (WrStore            *store,
                                             WrProviderRegistry *providers);

/* Picks the provider and model for @chat: the chat's own > the project's
 * default model > the profile's default > the provider's default. When none
 * names a model, the provider's first listed model is used (network). */
void           wr_chat_service_resolve_async  (WrChatService       *self,
                                               WrChat              *chat,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       wr_chat_service_resolve_finish (WrChatService       *self,
                                               GAsyncResult        *result,
                                               WrProvider         **out_provider,  /* transfer full */
                                               char               **out_model,     /* transfer full */
                                               GError             **error);

/* Sends @text in @chat. Emits "message-added" for the user message and then
 * for the (streaming) assistant message before any network traffic. The
 * result is the assistant message; on failure it is still stored, with
 * status "partial" (text kept) or "error", and the error is returned. */
void           wr_chat_service_send_async   (WrChatService       *self,
                                             WrChat              *chat,
                                             const char          *text,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* Like wr_chat_service_send_async(), with images (element-type
 * WrAttachment, nullable) sent with the text and stored with the user
 * message; @text may then be empty. Checked before anything happens (type,
 * size, number); finish with wr_chat_service_send_finish(). */
void           wr_chat_service_send_with_attachments_async (WrChatService       *self,
                                                            WrChat              *chat,
                                                            const char          *text,
                                                            GPtrArray           *attachments,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
WrMessage     *wr_chat_service_send_finish  (WrChatService       *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Regenerates @assistant (the last assistant message of @chat) in place. */
void           wr_chat_service_retry_async  (WrChatService       *self,
                                             WrChat              *chat,
                                             WrMessage           *assistant,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
WrMessage     *wr_chat_service_retry_finish (WrChatService       *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* The router every reply goes through: failover chains and circuit
 * breakers. (transfer none) */
WrRouter      *wr_chat_service_get_router   (WrChatService       *self);

/* Meters every model call through @billing (nullable: none, for tests and
 * benchmarks that measure the bare path). With billing, before a request:
 * the plan's model gate, the daily token limit (estimated) and, when the
 * call charges credits, a reservation of its estimated cost; any refusal
 * fails the call with the WR_BILLING_ERROR before anything is stored or
 * sent. After it (also on failure or Stop): one usage row (provider-reported
 * tokens, else estimates marked so; latency; outcome) and the reservation
 * settled to the actual cost. */
void           wr_chat_service_set_billing  (WrChatService       *self,
                                             WrBilling           *billing);
WrBilling     *wr_chat_service_get_billing  (WrChatService       *self);   /* nullable */

/* The failover chains: also saved in the profile, so the CLI and the next
 * session use them. Loaded at construction. */
gboolean       wr_chat_service_set_failover_policy (WrChatService    *self,
                                                    WrFailoverPolicy *policy,   /* NULL = shipped chains */
                                                    GError          **error);

/* One model call outside a chat (humanize, summaries…), metered, routed
 * and failed over like a chat reply. @project_id (nullable) picks the
 * project's default model and is recorded in usage; @model (nullable)
 * overrides the resolution (project > profile > provider default > first
 * listed). @delta_func gets the text as it streams. */
typedef struct {
  char     *content;        /* the answer (partial: what arrived) */
  char     *model;          /* the model that answered */
  char     *provider_id;
  char     *provider_name;
  char     *route_note;     /* nullable: why another provider answered */
  gint64    input_tokens;
  gint64    output_tokens;
  gboolean  estimated;      /* token counts estimated, not reported */
  gint64    cost_micros;    /* 0 for local providers */
} WrCompletion;

#define WR_TYPE_COMPLETION (wr_completion_get_type ())
GType         wr_completion_get_type (void) G_GNUC_CONST;
WrCompletion *wr_completion_copy     (const WrCompletion *completion);
void          wr_completion_free     (WrCompletion *completion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrCompletion, wr_completion_free)

void           wr_chat_service_complete_async  (WrChatService       *self,
                                                const char          *project_id,     /* nullable */
                                                const char          *model,          /* nullable */
                                                const char          *system_prompt,  /* nullable */
                                                const char          *text,
                                                WrChatDeltaFunc      delta_func,     /* nullable */
                                                gpointer             delta_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* The answer, or NULL with @error and, in @partial (nullable), what
 * arrived before the failure (content may be empty). */
WrCompletion  *wr_chat_service_complete_finish (WrChatService       *self,
                                                GAsyncResult        *result,
                                                WrCompletion       **partial,
                                                GError             **error);

/* Whether a reply is streaming in the chat with @chat_id now. */
gboolean       wr_chat_service_is_busy      (WrChatService       *self,
                                             const char          *chat_id);

G_END_DECLS
