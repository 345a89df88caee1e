/* wr-chat-meter.h — metering of one model call through WrBilling, for the
 * chat service only (chat replies and one-off completions). Follows the
 * call sequence at the top of billing/wr-billing.h.
 *
 *   _wr_chat_meter_begin ()    worker thread: model gate, daily limit,
 *                              credit reservation; a refusal is the
 *                              WR_BILLING_ERROR and nothing is reserved
 *   _wr_chat_meter_start ()    main thread, just before the request: the
 *                              latency clock
 *   _wr_chat_meter_finish_async ()  main thread, after the call (also on
 *                              failure or Stop): builds the usage row from
 *                              the router's outcome and records it and
 *                              settles the reservation in a worker thread
 *
 * A meter without billing (tests and benchmarks of the bare path) does
 * nothing but still reports token counts.
 *
 * Not thread-safe: each step runs after the previous one finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "billing/wr-billing.h"
#include "providers/wr-router.h"

G_BEGIN_DECLS

/* What a reply is expected to cost in output tokens, for the daily limit
 * and the credit reservation before the call: a long-ish answer (about
 * 2,000 characters). The reservation is settled to the real count after
 * the call, so this only decides how close to the limit a call may start. */
#define WR_CHAT_EXPECTED_OUTPUT_TOKENS 512

/* What one image is expected to cost in input tokens before the call: about
 * what OpenAI (765 for a 1024×1024 image in high detail) and Anthropic
 * (~1,600 for 1092×1092) charge for a typical photo. Settled to the
 * provider's count after the call. */
#define WR_CHAT_ESTIMATED_IMAGE_TOKENS 1200

typedef struct _WrChatMeter WrChatMeter;

/* Worker thread. @billing NULL = no metering (never fails). Returns NULL
 * with @error (WR_BILLING_ERROR, or a store error) on refusal. */
WrChatMeter    *_wr_chat_meter_begin        (WrBilling           *billing,
                                             gboolean             treat_as_remote,
                                             WrProvider          *provider,
                                             const char          *model,
                                             const char          *project_id,   /* nullable */
                                             const char          *chat_id,      /* nullable */
                                             WrChatRequest       *request,
                                             GError             **error);
/* Worker thread: the same gates for an embeddings call of @inputs
 * (NULL-terminated), which produces no output tokens. Finish it with
 * _wr_chat_meter_finish_async() and a WrChatResult holding the reported
 * input tokens (-1: estimated) and 0 output tokens. */
WrChatMeter    *_wr_chat_meter_begin_embedding (WrBilling           *billing,
                                                gboolean             treat_as_remote,
                                                WrProvider          *provider,
                                                const char          *model,
                                                const char          *project_id,   /* nullable */
                                                const char * const  *inputs,
                                                GError             **error);
void            _wr_chat_meter_free         (WrChatMeter         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrChatMeter, _wr_chat_meter_free)

void            _wr_chat_meter_start        (WrChatMeter         *self);

/* Worker thread: the call will not be made after all (its turn could not
 * be stored): gives back what was reserved. */
gboolean        _wr_chat_meter_release      (WrChatMeter         *self,
                                             GError             **error);

/* Main thread. @result: the answer or the partial one (nullable);
 * @content: the text that reached the caller; @message_id nullable. The
 * usage row names the provider and model that answered per @outcome. */
void            _wr_chat_meter_finish_async (WrChatMeter          *self,
                                             const char           *message_id,
                                             const WrRouterOutcome *outcome,
                                             const WrChatResult   *result,
                                             const char           *content,
                                             WrUsageOutcome        usage_outcome,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* The row as recorded (cost filled in; cost -1 when unknown). Never
 * fails: a usage row that cannot be written is a warning, never a lost
 * reply. (transfer full) */
WrUsageRecord  *_wr_chat_meter_finish_finish (GAsyncResult       *result);

/* The outcome for a finished call. */
WrUsageOutcome  _wr_chat_meter_outcome_for  (gboolean             answered,
                                             const GError        *error,
                                             gboolean             has_text);

G_END_DECLS
