/* wr-anthropic-provider.h — the Anthropic Messages API over libsoup 3,
 * streaming (SSE: message_start … content_block_delta … message_stop). */
#pragma once

#include "wr-provider.h"

G_BEGIN_DECLS

#define WR_ANTHROPIC_DEFAULT_BASE_URL "https://api.anthropic.com/v1"
/* The API version sent in "anthropic-version". */
#define WR_ANTHROPIC_API_VERSION      "2023-06-01"
/* max_tokens is required by the API; sent when the request has none. */
#define WR_ANTHROPIC_DEFAULT_MAX_TOKENS 4096

#define WR_TYPE_ANTHROPIC_PROVIDER (wr_anthropic_provider_get_type ())
G_DECLARE_FINAL_TYPE (WrAnthropicProvider, wr_anthropic_provider, WR, ANTHROPIC_PROVIDER, WrProvider)

/* @base_url ends before "/messages" (e.g. "https://api.anthropic.com/v1");
 * a trailing slash is ignored. The key is sent as "x-api-key". Kind is
 * "anthropic". */
WrProvider *wr_anthropic_provider_new (const char       *id,
                                       const char       *name,
                                       const char       *base_url,
                                       const char       *api_key,   /* nullable */
                                       WrProviderSource  source);

G_END_DECLS
