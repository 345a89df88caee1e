/* wr-chat-service-private.h — what only the chat folder (the one-off
 * completions in wr-chat-completion.c) and its tests use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-chat-service.h"

G_BEGIN_DECLS

/* Tests: bill every provider as a remote one (model gate, credits), since
 * the mock server listens on the loopback interface, which billing treats
 * as a free local provider. */
void                _wr_chat_service_set_treat_as_remote (WrChatService *self,
                                                          gboolean       remote);
gboolean            _wr_chat_service_get_treat_as_remote (WrChatService *self);

/* (transfer none) */
WrStore            *_wr_chat_service_get_store     (WrChatService *self);

/* Picks the provider and model like wr_chat_service_resolve_async() does
 * for a chat: @provider_id (nullable) > the profile's provider > the
 * registry's default; @model (nullable) > the project's default (when
 * @project_id) > the profile's > WORKROOM_DEFAULT_MODEL > the provider's
 * default > its first listed model. Finish with
 * wr_chat_service_resolve_finish(). */
void                _wr_chat_service_resolve_async (WrChatService       *self,
                                                    const char          *provider_id,
                                                    const char          *model,
                                                    const char          *project_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

G_END_DECLS
