/* wr-chat-service.h — sending a message in a chat, end to end: resolves the
 * provider and model, stores the user message, creates the assistant
 * message, streams the reply into it (WrMessage "content" notifies as text
 * arrives), stores usage, and marks partial or failed replies.
 *
 * Used from one thread with a main loop (the GUI's, or the CLI's). */
#pragma once

#include <gio/gio.h>

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

/* Whether a reply is streaming in the chat with @chat_id now. */
gboolean       wr_chat_service_is_busy      (WrChatService       *self,
                                             const char          *chat_id);

G_END_DECLS
