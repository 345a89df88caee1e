/* wr-mock-server.h — an HTTP server for tests that speaks three model APIs.
 *
 * Listens on 127.0.0.1 (port 0 = any free port) and serves:
 *   OpenAI, under /v1 (wr_mock_server_get_url()):
 *     GET  /v1/models            the mock models below, and mock-embed
 *     POST /v1/chat/completions  streaming (SSE) or plain JSON answers
 *     POST /v1/embeddings        model mock-embed: data[].embedding (in
 *                                reverse order, with "index"), 64-dim
 *                                vectors of wr-mock-embeddings.h (a hashed
 *                                bag of words after a synonym table: car →
 *                                automobile, happy → glad…), usage
 *                                prompt_tokens = words; mock-embed-500: 500
 *   Anthropic Messages, under /anthropic/v1 (wr_mock_server_get_anthropic_url()):
 *     GET  /anthropic/v1/models    data[].id
 *     POST /anthropic/v1/messages  named SSE events (message_start …
 *                                  message_stop) or a plain Message; needs
 *                                  anthropic-version and max_tokens, and
 *                                  refuses roles that do not alternate,
 *                                  "system" in messages and empty text
 *   Google Gemini, under /google/v1beta (wr_mock_server_get_google_url()):
 *     GET  /google/v1beta/models   models[].name ("models/…") with
 *                                  supportedGenerationMethods, plus one
 *                                  embedding-only model
 *     POST /google/v1beta/models/{model}:streamGenerateContent?alt=sse
 *                                  SSE of GenerateContentResponse (without
 *                                  alt=sse: a JSON array of them)
 *     POST /google/v1beta/models/{model}:generateContent   one response
 *     POST /google/v1beta/models/mock-embedding:batchEmbedContents
 *                                  embeddings[].values, the same vectors as
 *                                  /v1/embeddings (no usage, as Gemini)
 *                                  Refuses roles other than user/model and
 *                                  empty parts.
 *
 * The model name picks the behaviour:
 *   mock-echo         "Echo: <last user message>" in several chunks, usage
 *   mock-markdown     a markdown document (WR_MOCK_MARKDOWN_TEXT): heading,
 *                     list, bold, link, inline code, fenced code block;
 *                     the SSE bytes are written in small uneven pieces
 *   mock-long         WR_MOCK_LONG_CHUNKS lines, one per ~50 ms (~3 s)
 *   mock-401          401 invalid_api_key
 *   mock-404          404 model_not_found (as is any unknown model)
 *   mock-429          429 rate_limit_exceeded, "Retry-After: 1"
 *   mock-500          500 server_error
 *   mock-drop         a few chunks, then the connection is closed (no [DONE])
 *   mock-stall        one chunk, then nothing until the client gives up
 *   mock-error-event  a few chunks, then data: {"error":{...}}, then the end
 *   mock-nousage      like mock-echo, but never sends a usage chunk
 *   mock-nostream     like mock-echo, but always answers plain JSON
 *                     (application/json), as servers that ignore "stream"
 *   mock-nostream-array  (Gemini only) like mock-nostream, but a JSON
 *                     array of responses, as streamGenerateContent without
 *                     alt=sse
 *   mock-529          (Anthropic only) 529 overloaded_error
 *   mock-cite         (not listed by GET models) answers from the system
 *                     prompt's first numbered source, a line starting
 *                     "[n] " (the passage is the next non-empty line):
 *                     "According to [n], <its first six words>." — or
 *                     WR_MOCK_CITE_NONE when the prompt has no source
 *   mock-vision       (not listed by GET models) describes the last user
 *                     message as received, part by part:
 *                     "images: 2 (image/png 10945 bytes sha256:<12 hex>,
 *                     image/jpeg 7958 bytes sha256:<12 hex>); text: <the
 *                     text parts joined by blank lines>; parts: image image
 *                     text" (no images: "images: 0; text: …; parts: text").
 *                     Sizes and checksums are of the decoded bytes.
 *
 * Images, in each protocol's shape (any model): OpenAI content arrays of
 * {"type":"text"} and {"type":"image_url","image_url":{"url":"data:<mime>;
 * base64,…"}} parts; Anthropic content blocks {"type":"image","source":
 * {"type":"base64","media_type","data"}}; Gemini parts {"inlineData":
 * {"mimeType","data"}} (or inline_data/mime_type). Like the real APIs, the
 * mock answers 400 for malformed base64, a type other than PNG, JPEG, WebP
 * or GIF (Gemini: no GIF), images in a non-user message, and unknown part
 * types.
 *
 * The faults in each protocol's own shape: Anthropic errors are
 * {"type":"error","error":{"type","message"}} (401 authentication_error,
 * 404 not_found_error, 429 rate_limit_error with "retry-after: 1", 500
 * api_error; mock-error-event sends an "error" event of type
 * overloaded_error). Gemini errors are {"error":{"code","message","status"}}:
 * mock-401 is 400 INVALID_ARGUMENT with reason API_KEY_INVALID (as Gemini
 * answers a bad key), 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED with a
 * RetryInfo retryDelay of "1s" and no Retry-After header, 500 INTERNAL;
 * mock-error-event sends data: {"error":{"code":503,…,"status":"UNAVAILABLE"}}.
 * Gemini's last streamed response carries finishReason "STOP"; every
 * response carries usageMetadata so far (candidatesTokenCount = chunks
 * sent so far). Anthropic usage: message_start input_tokens, message_delta
 * output_tokens.
 *
 * Usage (when "stream_options":{"include_usage":true}): prompt_tokens is
 * the number of whitespace-separated words in all request messages,
 * completion_tokens the number of content chunks sent.
 *
 * When an API key is required (wr_mock_server_set_api_key()), a request
 * without "Authorization: Bearer <key>" gets 401 with an OpenAI-style error
 * whose message echoes the wrong key verbatim (to test redaction). The
 * Anthropic API wants "x-api-key: <key>" (missing: 401; wrong: 401 echoing
 * it), Gemini "x-goog-api-key: <key>" (missing: 403 PERMISSION_DENIED;
 * wrong: 400 API_KEY_INVALID echoing it).
 *
 * Runs on the thread-default main context it was created on; not
 * thread-safe. Depends on GLib, libsoup and json-glib only. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_MOCK_ECHO_PREFIX "Echo: "
#define WR_MOCK_VISION_MODEL "mock-vision"
#define WR_MOCK_CITE_MODEL "mock-cite"
#define WR_MOCK_CITE_NONE "The sources do not say."
#define WR_MOCK_LONG_CHUNKS 60
/* What mock-drop, mock-stall and mock-error-event send before failing. */
#define WR_MOCK_DROP_TEXT "Partial answer before the drop"
#define WR_MOCK_STALL_TEXT "Stalling after this"
#define WR_MOCK_ERROR_EVENT_TEXT "Partial before error"
#define WR_MOCK_ERROR_EVENT_MESSAGE "The mock model overloaded mid-stream."
/* The Gemini model list's one model without generateContent. */
#define WR_MOCK_GOOGLE_EMBEDDING_MODEL "mock-embedding"
#define WR_MOCK_MARKDOWN_TEXT \
  "# Mock heading\n" \
  "\n" \
  "Some **bold** text, a [link](https://example.com/docs) and `inline code`.\n" \
  "\n" \
  "- first item\n" \
  "- second item\n" \
  "- third item\n" \
  "\n" \
  "```c\n" \
  "int\n" \
  "main (void)\n" \
  "{\n" \
  "  return 0;\n" \
  "}\n" \
  "```\n" \
  "\n" \
  "Done.\n"

#define WR_TYPE_MOCK_SERVER (wr_mock_server_get_type ())
G_DECLARE_FINAL_TYPE (WrMockServer, wr_mock_server, WR, MOCK_SERVER, GObject)

/* Listens on 127.0.0.1 on a free port; aborts if it cannot. */
WrMockServer *wr_mock_server_new              (void);
/* @port 0 = any free port. Returns NULL with @error on failure. */
WrMockServer *wr_mock_server_new_on_port      (guint          port,
                                               GError       **error);

/* "http://127.0.0.1:PORT/v1" (transfer none) */
const char   *wr_mock_server_get_url          (WrMockServer  *self);
/* "http://127.0.0.1:PORT/anthropic/v1" (transfer none) */
const char   *wr_mock_server_get_anthropic_url (WrMockServer *self);
/* "http://127.0.0.1:PORT/google/v1beta" (transfer none) */
const char   *wr_mock_server_get_google_url   (WrMockServer  *self);
guint         wr_mock_server_get_port         (WrMockServer  *self);

/* NULL or "" = no key required. */
void          wr_mock_server_set_api_key      (WrMockServer  *self,
                                               const char    *api_key);
/* Delay between SSE writes for the ordinary models (default 5 ms;
 * mock-long always uses its own 50 ms unless set_long_stream() says). */
void          wr_mock_server_set_chunk_delay  (WrMockServer  *self,
                                               guint          msec);
/* For benchmarks: how many chunks mock-long sends and how far apart. */
void          wr_mock_server_set_long_stream  (WrMockServer  *self,
                                               guint          n_chunks,
                                               guint          delay_msec);

/* Counters since creation (or the last reset). */
guint         wr_mock_server_get_request_count (WrMockServer *self);   /* every request */
guint         wr_mock_server_get_chat_count    (WrMockServer *self);   /* chat requests, any protocol */
guint         wr_mock_server_get_models_count  (WrMockServer *self);   /* GET models, any protocol */
/* Streaming responses still open (not finished, not disconnected). */
guint         wr_mock_server_get_open_streams  (WrMockServer *self);
void          wr_mock_server_reset_counters    (WrMockServer *self);

/* The last request: method, path, query (raw, without "?"; NULL when
 * none), body (NUL-terminated) and a header (case-insensitive; NULL if
 * absent). (transfer none, nullable) */
const char   *wr_mock_server_get_last_method  (WrMockServer  *self);
const char   *wr_mock_server_get_last_path    (WrMockServer  *self);
const char   *wr_mock_server_get_last_query   (WrMockServer  *self);
const char   *wr_mock_server_get_last_body    (WrMockServer  *self);
const char   *wr_mock_server_get_last_header  (WrMockServer  *self,
                                               const char    *name);

G_END_DECLS
