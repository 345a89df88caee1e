/* wr-provider.h — a model provider (base class). Subclasses speak one wire
 * protocol; WrOpenAIProvider speaks OpenAI chat completions (OpenAI,
 * Ollama, llama.cpp, LM Studio, vLLM). Later: Anthropic, Google.
 *
 * Threading: async calls run on the caller's thread-default main context;
 * the delta callback is invoked there too, once per received text piece.
 * The API key is held in memory only. */
#pragma once

#include <gio/gio.h>

#include "store/wr-attachment.h"
#include "store/wr-message.h"

G_BEGIN_DECLS

#define WR_PROVIDER_ERROR (wr_provider_error_quark ())

typedef enum {
  WR_PROVIDER_ERROR_FAILED,
  WR_PROVIDER_ERROR_AUTH,            /* 401 / 403: bad or missing API key */
  WR_PROVIDER_ERROR_MODEL_NOT_FOUND, /* 404: unknown model */
  WR_PROVIDER_ERROR_RATE_LIMITED,    /* 429; see WrChatResult.retry_after_ms */
  WR_PROVIDER_ERROR_SERVER,          /* 5xx */
  WR_PROVIDER_ERROR_BAD_REQUEST,     /* other 4xx */
  WR_PROVIDER_ERROR_CONNECTION,      /* could not connect / DNS / TLS */
  WR_PROVIDER_ERROR_TIMEOUT,         /* connect timeout or stream stalled */
  WR_PROVIDER_ERROR_INTERRUPTED,     /* connection dropped mid-stream */
  WR_PROVIDER_ERROR_PROTOCOL,        /* malformed response or error event */
  WR_PROVIDER_ERROR_UNSUPPORTED,     /* the API has no such call (Anthropic: embeddings) */
} WrProviderError;

GQuark wr_provider_error_quark (void);

/* Where a provider came from. */
typedef enum {
  WR_PROVIDER_SOURCE_STORED,       /* configured by the user (SQLite + keyring) */
  WR_PROVIDER_SOURCE_ENVIRONMENT,  /* OPENAI_API_KEY, OLLAMA_HOST, ...; not saved */
  WR_PROVIDER_SOURCE_DETECTED,     /* a local server found at its default address */
} WrProviderSource;

/* What to send. Messages are WrMessage objects (role + content); the
 * system prompt, if any, is a message with role "system". */
typedef struct {
  char       *model;
  GPtrArray  *messages;      /* element-type WrMessage, owned */
  double      temperature;   /* < 0: provider default */
  gint64      max_tokens;    /* <= 0: provider default */
  /* Images sent with messages: WrMessage → GPtrArray of WrAttachment;
   * NULL when none. Use wr_chat_request_add_with_images() and
   * wr_chat_request_get_images(). */
  GHashTable *images;
} WrChatRequest;

WrChatRequest *wr_chat_request_new  (const char *model);
void           wr_chat_request_add  (WrChatRequest *self, WrMessage *message);
/* Appends @message with @images (element-type WrAttachment, in the order
 * the model should see them; nullable or empty: text only), which should
 * have passed wr_attachment_check(). The request keeps references; images
 * are base64-encoded straight into the request body when it is sent.
 * Only user messages send images (no API takes them from another role).
 * OpenAI-compatible servers get the text then the images; Anthropic and
 * Gemini the images then the text. A provider that cannot read a type
 * (Gemini: GIF) fails the call with WR_PROVIDER_ERROR_BAD_REQUEST before
 * sending anything. */
void           wr_chat_request_add_with_images (WrChatRequest *self,
                                                WrMessage     *message,
                                                GPtrArray     *images);
/* The images added with @message (element-type WrAttachment), or NULL.
 * (transfer none) */
GPtrArray     *wr_chat_request_get_images (WrChatRequest *self,
                                           WrMessage     *message);
void           wr_chat_request_free (WrChatRequest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrChatRequest, wr_chat_request_free)

/* What came back. Also available after a failure (see
 * wr_provider_stream_chat_finish) with what was received so far. */
typedef struct {
  char     *content;           /* full text received (never NULL) */
  char     *model;             /* model the server says answered (nullable) */
  char     *finish_reason;     /* "stop", "length", ... (nullable) */
  gint64    input_tokens;      /* -1 when the provider sent no usage */
  gint64    output_tokens;     /* -1 when the provider sent no usage */
  guint     http_status;       /* 0 when no response */
  gint64    retry_after_ms;    /* from Retry-After on 429/503, else -1 */
  gint64    latency_ms;        /* request start to last byte */
  gint64    first_token_ms;    /* request start to first text, -1 if none */
} WrChatResult;

WrChatResult *wr_chat_result_new  (void);
void          wr_chat_result_free (WrChatResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrChatResult, wr_chat_result_free)

/* Called with each new piece of text, on the calling thread's context. */
typedef void (*WrChatDeltaFunc) (const char *text,
                                 gsize       len,
                                 gpointer    user_data);

/* What an embeddings call returned: one vector per input, in input order,
 * as the provider sent it (not normalised). */
typedef struct {
  float    *vectors;           /* n_vectors × dims floats */
  guint     n_vectors;
  guint     dims;
  char     *model;             /* model the server says answered (nullable) */
  gint64    input_tokens;      /* -1 when the provider sent no usage */
  gint64    latency_ms;        /* first request start to last answer */
} WrEmbeddingResult;

WrEmbeddingResult *wr_embedding_result_new  (void);
void               wr_embedding_result_free (WrEmbeddingResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrEmbeddingResult, wr_embedding_result_free)

/* Inputs per embeddings request; wr_provider_embed_async() splits longer
 * lists into several requests. */
#define WR_PROVIDER_EMBED_BATCH 64

#define WR_TYPE_PROVIDER (wr_provider_get_type ())
G_DECLARE_DERIVABLE_TYPE (WrProvider, wr_provider, WR, PROVIDER, GObject)

struct _WrProviderClass
{
  GObjectClass parent_class;

  void          (*stream_chat_async)  (WrProvider          *self,
                                       WrChatRequest       *request,
                                       WrChatDeltaFunc      delta_func,
                                       gpointer             delta_data,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
  WrChatResult *(*stream_chat_finish) (WrProvider          *self,
                                       GAsyncResult        *result,
                                       WrChatResult       **partial,
                                       GError             **error);
  void          (*list_models_async)  (WrProvider          *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
  GPtrArray    *(*list_models_finish) (WrProvider          *self,
                                       GAsyncResult        *result,
                                       GError             **error);

  /* One embeddings request of at most WR_PROVIDER_EMBED_BATCH inputs.
   * The default fails with WR_PROVIDER_ERROR_UNSUPPORTED. */
  void               (*embed_async)  (WrProvider          *self,
                                      const char          *model,
                                      const char * const  *inputs,
                                      guint                n_inputs,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
  WrEmbeddingResult *(*embed_finish) (WrProvider          *self,
                                      GAsyncResult        *result,
                                      GError             **error);

  gpointer padding[6];
};

/* properties: "id" (stable; record id for stored providers, "env-openai",
 * "env-ollama", "detected-ollama" otherwise), "name", "kind", "base-url",
 * "api-key" (write/read, never logged), "default-model", "source",
 * "connect-timeout" (seconds, default 15), "idle-timeout" (seconds without
 * a byte while streaming, default 60) */
const char       *wr_provider_get_id            (WrProvider *self);
const char       *wr_provider_get_name          (WrProvider *self);
void              wr_provider_set_name          (WrProvider *self, const char *name);
const char       *wr_provider_get_kind          (WrProvider *self);
const char       *wr_provider_get_base_url      (WrProvider *self);
void              wr_provider_set_base_url      (WrProvider *self, const char *base_url);
const char       *wr_provider_get_api_key       (WrProvider *self);   /* nullable */
void              wr_provider_set_api_key       (WrProvider *self, const char *api_key);
const char       *wr_provider_get_default_model (WrProvider *self);   /* nullable */
void              wr_provider_set_default_model (WrProvider *self, const char *model);
WrProviderSource  wr_provider_get_source        (WrProvider *self);
guint             wr_provider_get_connect_timeout (WrProvider *self);
void              wr_provider_set_connect_timeout (WrProvider *self, guint seconds);
guint             wr_provider_get_idle_timeout  (WrProvider *self);
void              wr_provider_set_idle_timeout  (WrProvider *self, guint seconds);

/* Streams a chat completion. @delta_func may be NULL. */
void              wr_provider_stream_chat_async  (WrProvider          *self,
                                                  WrChatRequest       *request,
                                                  WrChatDeltaFunc      delta_func,
                                                  gpointer             delta_data,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* On failure returns NULL with @error set (cancellation is
 * G_IO_ERROR_CANCELLED) and, when @partial is not NULL, stores there what
 * was received before the failure (text, status, retry-after). */
WrChatResult     *wr_provider_stream_chat_finish (WrProvider          *self,
                                                  GAsyncResult        *result,
                                                  WrChatResult       **partial,
                                                  GError             **error);
/* Model ids the server lists (GET {base}/models), sorted; element-type utf8. */
void              wr_provider_list_models_async  (WrProvider          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray        *wr_provider_list_models_finish (WrProvider          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Embeds @inputs (NULL-terminated, at least one) with @model: requests of
 * WR_PROVIDER_EMBED_BATCH inputs, one after the other, results joined and
 * token counts summed (-1 when any request reported none). OpenAI-compatible
 * servers (OpenAI, Ollama, llama.cpp…) use POST {base}/embeddings, Gemini
 * models/{model}:batchEmbedContents; Anthropic offers no embeddings and
 * fails with WR_PROVIDER_ERROR_UNSUPPORTED. Cancellable between and during
 * requests. Not metered: the chat folder's embedding calls are. */
void               wr_provider_embed_async       (WrProvider          *self,
                                                  const char          *model,
                                                  const char * const  *inputs,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
WrEmbeddingResult *wr_provider_embed_finish      (WrProvider          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* A user-facing, translatable sentence for @error that says what to do
 * next ("The API key was rejected. Check it in Preferences → Providers.").
 * Never contains the key. (transfer full) */
char             *wr_provider_describe_error     (WrProvider          *self,
                                                  const GError        *error);

G_END_DECLS
