/* wr-gemini-provider.h — the Google Gemini API (generativelanguage) over
 * libsoup 3, streaming (models/{model}:streamGenerateContent?alt=sse). */
#pragma once

#include "wr-provider.h"

G_BEGIN_DECLS

#define WR_GEMINI_DEFAULT_BASE_URL "https://generativelanguage.googleapis.com/v1beta"

#define WR_TYPE_GEMINI_PROVIDER (wr_gemini_provider_get_type ())
G_DECLARE_FINAL_TYPE (WrGeminiProvider, wr_gemini_provider, WR, GEMINI_PROVIDER, WrProvider)

/* @base_url ends before "/models" (e.g.
 * "https://generativelanguage.googleapis.com/v1beta"); a trailing slash is
 * ignored. The key is sent as "x-goog-api-key", never in the URL. Kind is
 * "google". Model ids may be given with or without the "models/" prefix. */
WrProvider *wr_gemini_provider_new (const char       *id,
                                    const char       *name,
                                    const char       *base_url,
                                    const char       *api_key,   /* nullable */
                                    WrProviderSource  source);

G_END_DECLS
