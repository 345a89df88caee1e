/* wr-session.h — everything a front end needs, opened once: the store, the
 * provider registry and the chat service. The GUI, the CLI, tests and
 * benchmarks each create one. */
#pragma once

#include <gio/gio.h>

#include "store/wr-store.h"
#include "providers/wr-provider-registry.h"
#include "billing/wr-billing.h"
#include "chat/wr-chat-service.h"
#include "chat/wr-model-catalog.h"
#include "chat/wr-humanizer.h"

G_BEGIN_DECLS

#define WR_TYPE_SESSION (wr_session_get_type ())
G_DECLARE_FINAL_TYPE (WrSession, wr_session, WR, SESSION, GObject)

/* @data_dir: NULL for wr_store_default_dir(). Opens "workroom.db" there and
 * loads providers. */
WrSession          *wr_session_new            (const char    *data_dir,
                                               GCancellable  *cancellable,
                                               GError       **error);
void                wr_session_new_async      (const char    *data_dir,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
WrSession          *wr_session_new_finish     (GAsyncResult  *result,
                                               GError       **error);

const char         *wr_session_get_data_dir   (WrSession *self);
WrStore            *wr_session_get_store      (WrSession *self);
WrProviderRegistry *wr_session_get_providers  (WrSession *self);
WrChatService      *wr_session_get_chat_service (WrSession *self);
/* The same WrBilling the chat service meters every call through. */
WrBilling          *wr_session_get_billing    (WrSession *self);
/* Tones and rewrites of the humanize page, over the chat service; made
 * on first use, on the session's own thread. (transfer none) */
WrHumanizer        *wr_session_get_humanizer  (WrSession *self);

/* Every provider's models with prices and capabilities; made on first
 * use, on the session's own thread. Empty until refreshed. (transfer none) */
WrModelCatalog     *wr_session_get_model_catalog (WrSession *self);

G_END_DECLS
