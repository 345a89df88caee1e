/* wr-model-info.h — one model of one provider in the model catalogue: where
 * it runs, whether it can be used now (and why not), what it costs and what
 * it can do. Immutable once in the catalogue; the catalogue replaces items
 * rather than changing them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum /*< flags >*/
{
  WR_MODEL_CAPABILITY_NONE       = 0,
  WR_MODEL_CAPABILITY_CHAT       = 1 << 0,
  WR_MODEL_CAPABILITY_VISION     = 1 << 1,
  WR_MODEL_CAPABILITY_EMBEDDINGS = 1 << 2,
} WrModelCapabilities;

#define WR_TYPE_MODEL_CAPABILITIES (wr_model_capabilities_get_type ())
GType               wr_model_capabilities_get_type  (void) G_GNUC_CONST;
/* The built-in guess from the name (case-insensitive, a "models/" style
 * prefix ignored): "*embed*" embeddings only; GPT-4o, GPT-4.1, Claude 3 and
 * 4, Gemini, LLaVA, "*vision*" and Qwen "-vl" models chat and see images;
 * everything else chats. */
WrModelCapabilities wr_model_capabilities_guess     (const char          *model);
/* From a canonical list ("chat,vision"); unknown words are ignored. */
WrModelCapabilities wr_model_capabilities_parse     (const char          *text);
/* "chat,vision" (transfer full; "" for none). */
char               *wr_model_capabilities_to_string (WrModelCapabilities  capabilities);

#define WR_TYPE_MODEL_INFO (wr_model_info_get_type ())
G_DECLARE_FINAL_TYPE (WrModelInfo, wr_model_info, WR, MODEL_INFO, GObject)

/* properties (read-only): "name", "provider-id", "provider-name",
 * "provider-kind", "local" (the provider runs on this machine: free),
 * "available" (listed by its provider just now), "reason" (short, why not
 * available: "Not reachable", "Key rejected"…; NULL when available),
 * "detail" (a sentence saying what to do; NULL when available),
 * "input-price" / "output-price" (millionths of a currency unit per
 * million tokens; 0 when local), "price-pattern" (the price row that
 * applies; NULL when local), "capabilities" (WrModelCapabilities),
 * "capabilities-custom" (set by the user, not guessed), "listed-at" (µs:
 * when its provider last listed it) */
const char          *wr_model_info_get_name                (WrModelInfo *self);
const char          *wr_model_info_get_provider_id         (WrModelInfo *self);
const char          *wr_model_info_get_provider_name       (WrModelInfo *self);
const char          *wr_model_info_get_provider_kind       (WrModelInfo *self);
gboolean             wr_model_info_get_local               (WrModelInfo *self);
gboolean             wr_model_info_get_available           (WrModelInfo *self);
const char          *wr_model_info_get_reason              (WrModelInfo *self);
const char          *wr_model_info_get_detail              (WrModelInfo *self);
gint64               wr_model_info_get_input_price         (WrModelInfo *self);
gint64               wr_model_info_get_output_price        (WrModelInfo *self);
const char          *wr_model_info_get_price_pattern       (WrModelInfo *self);
WrModelCapabilities  wr_model_info_get_capabilities        (WrModelInfo *self);
gboolean             wr_model_info_get_capabilities_custom (WrModelInfo *self);
gint64               wr_model_info_get_listed_at           (WrModelInfo *self);

gboolean             wr_model_info_has_capability          (WrModelInfo         *self,
                                                            WrModelCapabilities  capability);
/* "0.15 in · 0.60 out per 1M tokens", or "Free (runs locally)"
 * (transfer full, translated). */
char                *wr_model_info_dup_price_label         (WrModelInfo *self);
/* "Chat, vision" (transfer full, translated). */
char                *wr_model_info_dup_capabilities_label  (WrModelInfo *self);

G_END_DECLS
