/* wr-provider-private.h — what only the providers folder uses. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "wr-provider.h"

G_BEGIN_DECLS

/* Retry-After carried inside a WR_PROVIDER_ERROR (extended GError), so
 * wr_provider_describe_error() can say how long to wait. -1 when unknown. */
void    _wr_provider_error_set_retry_after (GError *error,
                                            gint64  retry_after_ms);
gint64  _wr_provider_error_get_retry_after (const GError *error);

/* wr_redact_secrets() plus every literal occurrence of the provider's API
 * key, whatever its shape. (transfer full, nullable) */
char   *_wr_provider_redact                (WrProvider *self,
                                            const char *text);

/* The HTTP machinery every wire protocol shares (wr-provider-call.c).
 *
 * A call is one request: send it with libsoup 3, then read the body
 * incrementally into the SSE parser (streamed answers) or a bounded buffer
 * (errors, plain JSON answers, model lists). It runs our own connect and
 * idle timers, chains the caller's cancellable, keeps what was received for
 * the partial result, and redacts the API key from every error. A protocol
 * supplies only what differs: headers, how to read events and answers, and
 * how to map HTTP errors. Everything runs on the caller's thread-default
 * main context. */

typedef enum {
  WR_PROVIDER_CALL_CHAT,
  WR_PROVIDER_CALL_MODELS,
  WR_PROVIDER_CALL_JSON,     /* one JSON answer, returned parsed */
} WrProviderCallKind;

/* The part of a call a protocol may read and write. */
typedef struct
{
  WrProvider   *provider;     /* owned */
  WrChatResult *result;       /* chat calls: what came back so far; else NULL */
  /* Set by the protocol: the answer is whole, so the body ending (or the
   * connection going away) now is success, not an interruption. */
  gboolean      complete;
  /* Set by the protocol: the terminal event arrived; stop reading and
   * return the result at once. */
  gboolean      done;
  /* Set by the protocol (owned) to fail the call with this error. */
  GError       *event_error;
} WrProviderCall;

typedef struct
{
  /* Adds authentication and protocol headers to every request. */
  void     (*prepare_headers) (WrProvider         *provider,
                               SoupMessageHeaders *headers);
  /* One event of a streamed answer; @data is NUL-terminated. Returns FALSE
   * to stop parsing (after setting call->event_error or call->done). */
  gboolean (*chat_event)      (WrProviderCall     *call,
                               const char         *event,
                               const char         *data,
                               gsize               data_len);
  /* A whole JSON answer, from a server that did not stream. Returns NULL,
   * or the error to fail with (transfer full). */
  GError  *(*chat_whole)      (WrProviderCall     *call,
                               JsonNode           *root);
  /* Appends the model ids of a model list answer to @models (element-type
   * utf8); duplicates are removed and the list sorted afterwards. */
  GError  *(*models_parse)    (WrProviderCall     *call,
                               JsonNode           *root,
                               GPtrArray          *models);
  /* The WrProviderError code for an HTTP error answer; @body is the parsed
   * body (nullable). NULL: _wr_provider_error_code_for_status(). */
  int      (*http_error_code) (WrProviderCall     *call,
                               guint               status,
                               JsonNode           *body);
} WrProviderProtocol;

/* A session for one provider: our own timeouts, not soup's. (transfer full) */
SoupSession  *_wr_provider_session_new          (void);
/* The provider's own session, made on first use; the base class aborts
 * and drops it in dispose. (transfer none) */
SoupSession  *_wr_provider_get_session          (WrProvider               *provider);

/* Starts a call: @path (with any query) is appended to the provider's base
 * URL; @body is the JSON request body (nullable: no body). The callback
 * gets a GTask whose source object is @provider. */
void          _wr_provider_call_start           (WrProvider               *provider,
                                                 const WrProviderProtocol *protocol,
                                                 WrProviderCallKind        kind,
                                                 gpointer                  source_tag,
                                                 const char               *method,
                                                 const char               *path,
                                                 GBytes                   *body,
                                                 WrChatDeltaFunc           delta_func,
                                                 gpointer                  delta_data,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
/* Fails a call before any request is made (bad input); @error is taken. */
void          _wr_provider_call_fail_early      (WrProvider               *provider,
                                                 WrProviderCallKind        kind,
                                                 gpointer                  source_tag,
                                                 GError                   *error,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
/* The stream_chat_finish / list_models_finish vfuncs of every protocol. */
WrChatResult *_wr_provider_call_chat_finish     (WrProvider               *provider,
                                                 GAsyncResult             *result,
                                                 WrChatResult            **partial,
                                                 GError                  **error);
GPtrArray    *_wr_provider_call_models_finish   (WrProvider               *provider,
                                                 GAsyncResult             *result,
                                                 GError                  **error);

/* The finish of a WR_PROVIDER_CALL_JSON call: the answer's root
 * (transfer full). */
JsonNode     *_wr_provider_call_json_finish     (WrProvider               *provider,
                                                 GAsyncResult             *result,
                                                 GError                  **error);
/* The default embed_async / embed_finish vfuncs (wr-provider-embed.c). */
void          _wr_provider_real_embed_async     (WrProvider               *self,
                                                 const char               *model,
                                                 const char * const       *inputs,
                                                 guint                     n_inputs,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
WrEmbeddingResult *_wr_provider_real_embed_finish (WrProvider             *self,
                                                 GAsyncResult             *result,
                                                 GError                  **error);
/* The callback of a WR_PROVIDER_CALL_JSON call made for an embed vfunc:
 * returns the answer's root (JsonNode, or the error) on @user_data, the
 * vfunc's own GTask (transfer full). */
void          _wr_provider_embed_json_cb        (GObject                  *object,
                                                 GAsyncResult             *result,
                                                 gpointer                  user_data);
/* Reads the floats of @array (JSON numbers) into @out, which has room for
 * @dims; FALSE when the array is not @dims numbers. */
gboolean      _wr_provider_read_vector          (JsonArray                *array,
                                                 float                    *out,
                                                 guint                     dims);

/* For protocols, while a chat call runs. */
void          _wr_provider_call_add_text        (WrProviderCall           *call,
                                                 const char               *text);
/* Keeps the first model name the server gives. */
void          _wr_provider_call_take_model      (WrProviderCall           *call,
                                                 const char               *model);
void          _wr_provider_call_set_finish_reason (WrProviderCall         *call,
                                                 const char               *reason);
/* A WR_PROVIDER_ERROR with the provider's key redacted. (transfer full) */
GError       *_wr_provider_call_error           (WrProviderCall           *call,
                                                 int                       code,
                                                 const char               *format,
                                                 ...) G_GNUC_PRINTF (3, 4);
/* Parses one event's JSON into the call's reusable parser and returns its
 * root object (transfer none, valid until the next event), or NULL after
 * setting call->event_error. */
JsonObject   *_wr_provider_call_parse_event     (WrProviderCall           *call,
                                                 const char               *data,
                                                 gsize                     data_len);

/* 401/403 AUTH, 404 MODEL_NOT_FOUND, 429 RATE_LIMITED, 5xx SERVER, other
 * 4xx BAD_REQUEST, anything else PROTOCOL. */
int           _wr_provider_error_code_for_status (guint status);

/* Lenient JSON accessors: NULL / @fallback when absent or of another type. */
const char   *_wr_json_get_string               (JsonObject *object,
                                                 const char *member);
JsonObject   *_wr_json_get_object               (JsonObject *object,
                                                 const char *member);
JsonArray    *_wr_json_get_array                (JsonObject *object,
                                                 const char *member);
gint64        _wr_json_get_int                  (JsonObject *object,
                                                 const char *member,
                                                 gint64      fallback);
/* The object at @index of @array, or NULL. */
JsonObject   *_wr_json_array_get_object         (JsonArray  *array,
                                                 guint       index);
/* Serializes @builder's root. (transfer full) */
GBytes       *_wr_json_builder_to_bytes         (JsonBuilder *builder);

/* The answer decoding of a chat call without HTTP, for the fuzzers in
 * tests/fuzz: the same code a response read runs. Not for the app. */
WrProviderCall *_wr_provider_call_new_offline  (WrProvider               *provider,
                                                const WrProviderProtocol *protocol,
                                                WrChatDeltaFunc           delta_func,
                                                gpointer                  delta_data);
void          _wr_provider_call_free_offline    (WrProviderCall           *call);
/* A piece of a text/event-stream body. FALSE with @error when the stream
 * failed or carried an error (the call is then over); call->done once the
 * answer is whole (stop feeding). */
gboolean      _wr_provider_call_feed_sse        (WrProviderCall           *call,
                                                 const char               *buf,
                                                 gsize                     len,
                                                 GError                  **error);
/* The end of the body: the answer (transfer full), or NULL with @error
 * when it is incomplete. At most once. */
WrChatResult *_wr_provider_call_end_sse         (WrProviderCall           *call,
                                                 GError                  **error);
/* A whole JSON answer instead of a stream. At most once, instead of
 * feed/end. (transfer full) */
WrChatResult *_wr_provider_call_parse_whole     (WrProviderCall           *call,
                                                 const char               *body,
                                                 gsize                     len,
                                                 GError                  **error);
/* The message an HTTP error body carries, as errors show it. (transfer
 * full, nullable) */
char         *_wr_provider_error_body_message   (const char               *body,
                                                 gsize                     len);
/* The wire protocol of WrOpenAIProvider (wr-openai-provider.c). */
const WrProviderProtocol *_wr_openai_provider_get_protocol (void);

G_END_DECLS
