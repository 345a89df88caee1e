/* wr-openai-provider.h — OpenAI chat completions over libsoup 3, streaming
 * (SSE, stream_options.include_usage), for OpenAI and any compatible server
 * (Ollama's /v1, llama.cpp, LM Studio, vLLM). */
#pragma once

#include "wr-provider.h"

G_BEGIN_DECLS

#define WR_OPENAI_DEFAULT_BASE_URL "https://api.openai.com/v1"
#define WR_OLLAMA_DEFAULT_HOST     "http://127.0.0.1:11434"

#define WR_TYPE_OPENAI_PROVIDER (wr_openai_provider_get_type ())
G_DECLARE_FINAL_TYPE (WrOpenAIProvider, wr_openai_provider, WR, OPENAI_PROVIDER, WrProvider)

/* @base_url ends before "/chat/completions" (e.g. "https://api.openai.com/v1"
 * or "http://127.0.0.1:11434/v1"); a trailing slash is ignored. */
WrProvider *wr_openai_provider_new (const char       *id,
                                    const char       *name,
                                    const char       *base_url,
                                    const char       *api_key,   /* nullable */
                                    WrProviderSource  source);

G_END_DECLS
