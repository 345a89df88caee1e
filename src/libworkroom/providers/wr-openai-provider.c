/* wr-openai-provider.c — OpenAI chat completions over libsoup 3.
 *
 * The HTTP machinery (timeouts, incremental reading, partial results, error
 * redaction) is shared with the other protocols in wr-provider-call.c; this
 * file says what an OpenAI-compatible server sends and expects: Bearer
 * authentication, "choices[].delta.content" chunks ending in "[DONE]",
 * usage in a last chunk (stream_options.include_usage).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-openai-provider.h"
#include "wr-provider-private.h"
#include "wr-provider-images.h"

#include <string.h>

struct _WrOpenAIProvider
{
  WrProvider   parent_instance;
};

G_DEFINE_FINAL_TYPE (WrOpenAIProvider, wr_openai_provider, WR_TYPE_PROVIDER)

/* Protocol */

static void
openai_prepare_headers (WrProvider         *provider,
                        SoupMessageHeaders *headers)
{
  const char *api_key = wr_provider_get_api_key (provider);

  if (api_key != NULL && api_key[0] != '\0')
    {
      g_autofree char *auth = g_strconcat ("Bearer ", api_key, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
}

static void
chat_take_usage (WrProviderCall *call,
                 JsonObject     *usage)
{
  if (usage == NULL)
    return;
  call->result->input_tokens = _wr_json_get_int (usage, "prompt_tokens", call->result->input_tokens);
  call->result->output_tokens = _wr_json_get_int (usage, "completion_tokens", call->result->output_tokens);
}

static void
chat_take_finish_reason (WrProviderCall *call,
                         JsonObject     *choice)
{
  const char *reason = _wr_json_get_string (choice, "finish_reason");

  if (reason != NULL)
    {
      _wr_provider_call_set_finish_reason (call, reason);
      call->complete = TRUE;
    }
}

/* Returns FALSE when the payload is an error. */
static gboolean
chat_check_error (WrProviderCall *call,
                  JsonObject     *object)
{
  JsonNode *node = json_object_get_member (object, "error");
  g_autofree char *message = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    message = g_strdup (_wr_json_get_string (json_node_get_object (node), "message"));
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    message = g_strdup (json_node_get_string (node));

  g_clear_error (&call->event_error);
  call->event_error = _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "%s",
                                               message ? message : "error in stream");
  return FALSE;
}

static gboolean
openai_chat_event (WrProviderCall *call,
                   const char     *event,
                   const char     *data,
                   gsize           data_len)
{
  JsonObject *object;
  JsonArray *choices;

  if (data_len == 6 && memcmp (data, "[DONE]", 6) == 0)
    {
      call->done = TRUE;
      return FALSE;
    }

  if ((object = _wr_provider_call_parse_event (call, data, data_len)) == NULL)
    return FALSE;

  if (!chat_check_error (call, object))
    return FALSE;
  /* Some servers (vLLM) name the error in the SSE event field. */
  if (g_strcmp0 (event, "error") == 0)
    {
      call->event_error = _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "%.*s",
                                                   (int) MIN (data_len, 300), data);
      return FALSE;
    }

  _wr_provider_call_take_model (call, _wr_json_get_string (object, "model"));
  chat_take_usage (call, _wr_json_get_object (object, "usage"));

  choices = _wr_json_get_array (object, "choices");
  if (choices != NULL && json_array_get_length (choices) > 0)
    {
      JsonObject *choice = _wr_json_array_get_object (choices, 0);
      JsonObject *delta = _wr_json_get_object (choice, "delta");
      const char *text = _wr_json_get_string (delta, "content");

      if (text == NULL)
        /* Legacy completions-style chunks. */
        text = _wr_json_get_string (choice, "text");
      _wr_provider_call_add_text (call, text);
      chat_take_finish_reason (call, choice);
    }

  return TRUE;
}

/* A server that ignored "stream": one JSON completion. */
static GError *
openai_chat_whole (WrProviderCall *call,
                   JsonNode       *root)
{
  JsonObject *object;
  JsonArray *choices;
  JsonObject *choice;
  JsonObject *message;
  const char *text;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer is not a JSON object");
  object = json_node_get_object (root);

  if (!chat_check_error (call, object))
    return g_steal_pointer (&call->event_error);

  _wr_provider_call_take_model (call, _wr_json_get_string (object, "model"));
  chat_take_usage (call, _wr_json_get_object (object, "usage"));
  choices = _wr_json_get_array (object, "choices");
  if (choices == NULL || json_array_get_length (choices) == 0)
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer has no choices");

  choice = _wr_json_array_get_object (choices, 0);
  message = _wr_json_get_object (choice, "message");
  text = _wr_json_get_string (message, "content");
  if (text == NULL)
    text = _wr_json_get_string (choice, "text");
  _wr_provider_call_add_text (call, text);
  chat_take_finish_reason (call, choice);

  return NULL;
}

static GError *
openai_models_parse (WrProviderCall *call,
                     JsonNode       *root,
                     GPtrArray      *models)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *data = _wr_json_get_array (object, "data");
  const char *id_member = "id";

  if (data == NULL && (data = _wr_json_get_array (object, "models")) != NULL)
    id_member = "name";   /* Ollama's native /api/tags shape */
  if (data == NULL)
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                    "The model list has no “data” array");

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      const char *id = _wr_json_get_string (_wr_json_array_get_object (data, i), id_member);

      if (id != NULL)
        g_ptr_array_add (models, g_strdup (id));
    }

  return NULL;
}

static const WrProviderProtocol openai_protocol = {
  .prepare_headers = openai_prepare_headers,
  .chat_event = openai_chat_event,
  .chat_whole = openai_chat_whole,
  .models_parse = openai_models_parse,
  .http_error_code = NULL,
};

const WrProviderProtocol *
_wr_openai_provider_get_protocol (void)
{
  return &openai_protocol;
}

/* A plain string, or, with images, an array of parts: the text, then the
 * images as data URLs (what OpenAI, Ollama and vLLM accept). */
static void
add_content (JsonBuilder *builder,
             WrJsonBlobs *blobs,
             WrMessage   *message,
             GPtrArray   *images)   /* nullable */
{
  const char *text = wr_message_get_content (message);

  if (images == NULL)
    {
      json_builder_add_string_value (builder, text);
      return;
    }

  json_builder_begin_array (builder);
  if (text[0] != '\0')
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "text");
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < images->len; i++)
    {
      WrAttachment *image = g_ptr_array_index (images, i);
      g_autofree char *prefix = _wr_data_url_prefix (wr_attachment_get_mime_type (image));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "image_url");
      json_builder_set_member_name (builder, "image_url");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      _wr_json_blobs_add_base64 (blobs, builder, prefix, wr_attachment_get_data (image));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static GBytes *
build_chat_body (WrChatRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(WrJsonBlobs) blobs = _wr_json_blobs_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, request->model ? request->model : "");

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; request->messages && i < request->messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (request->messages, i);
      const char *role = wr_message_get_role (message);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, role ? role : "user");
      json_builder_set_member_name (builder, "content");
      add_content (builder, blobs, message, _wr_chat_request_user_images (request, message));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "stream_options");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "include_usage");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);

  if (request->temperature >= 0)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, request->temperature);
    }
  if (request->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, request->max_tokens);
    }
  json_builder_end_object (builder);

  return _wr_json_blobs_to_bytes (blobs, builder);
}

/* Vfuncs */

static void
wr_openai_provider_stream_chat_async (WrProvider          *provider,
                                      WrChatRequest       *request,
                                      WrChatDeltaFunc      delta_func,
                                      gpointer             delta_data,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  static const char * const image_types[] = { "image/png", "image/jpeg", "image/webp", "image/gif", NULL };
  g_autoptr(GBytes) body = NULL;
  GError *error = _wr_chat_request_check_images (request, image_types);

  if (error != NULL)
    {
      _wr_provider_call_fail_early (provider, WR_PROVIDER_CALL_CHAT, wr_openai_provider_stream_chat_async,
                                    error, cancellable, callback, user_data);
      return;
    }

  body = build_chat_body (request);
  _wr_provider_call_start (provider, &openai_protocol,
                           WR_PROVIDER_CALL_CHAT, wr_openai_provider_stream_chat_async,
                           SOUP_METHOD_POST, "/chat/completions", body,
                           delta_func, delta_data, cancellable, callback, user_data);
}

static void
wr_openai_provider_list_models_async (WrProvider          *provider,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{

  _wr_provider_call_start (provider, &openai_protocol,
                           WR_PROVIDER_CALL_MODELS, wr_openai_provider_list_models_async,
                           SOUP_METHOD_GET, "/models", NULL,
                           NULL, NULL, cancellable, callback, user_data);
}

/* POST {base}/embeddings: {"model", "input": [...], "encoding_format":
 * "float"} → {"data": [{"index", "embedding": [...]}], "usage":
 * {"prompt_tokens"}}. Ollama and llama.cpp serve the same at /v1. */
static void
wr_openai_provider_embed_async (WrProvider          *provider,
                                const char          *model,
                                const char * const  *inputs,
                                guint                n_inputs,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;
  GTask *task;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "input");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_inputs; i++)
    json_builder_add_string_value (builder, inputs[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "encoding_format");
  json_builder_add_string_value (builder, "float");
  json_builder_end_object (builder);
  body = _wr_json_builder_to_bytes (builder);

  task = g_task_new (provider, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_openai_provider_embed_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (n_inputs), NULL);
  _wr_provider_call_start (provider, &openai_protocol,
                           WR_PROVIDER_CALL_JSON, wr_openai_provider_embed_async,
                           SOUP_METHOD_POST, "/embeddings", body,
                           NULL, NULL, cancellable, _wr_provider_embed_json_cb, task);
}

static WrEmbeddingResult *
openai_parse_embeddings (JsonNode  *root,
                         guint      n_inputs,
                         GError   **error)
{
  g_autoptr(WrEmbeddingResult) result = wr_embedding_result_new ();
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *data = _wr_json_get_array (object, "data");
  guint n = data != NULL ? json_array_get_length (data) : 0;

  if (n != n_inputs || n == 0)
    {
      g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                   "Expected %u embeddings, got %u", n_inputs, n);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = _wr_json_array_get_object (data, i);
      JsonArray *embedding = _wr_json_get_array (item, "embedding");
      gint64 index = _wr_json_get_int (item, "index", i);

      if (embedding == NULL || index < 0 || index >= n)
        {
          g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                       "Embedding %u is missing or misplaced", i);
          return NULL;
        }
      if (result->vectors == NULL)
        {
          result->dims = json_array_get_length (embedding);
          if (result->dims == 0)
            break;
          result->vectors = g_new0 (float, (gsize) n * result->dims);
        }
      if (!_wr_provider_read_vector (embedding, result->vectors + (gsize) index * result->dims,
                                     result->dims))
        {
          g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                       "Embedding %u is not %u numbers", i, result->dims);
          return NULL;
        }
    }
  if (result->dims == 0)
    {
      g_set_error_literal (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                           "Empty embedding");
      return NULL;
    }

  result->n_vectors = n;
  result->model = g_strdup (_wr_json_get_string (object, "model"));
  result->input_tokens = _wr_json_get_int (_wr_json_get_object (object, "usage"), "prompt_tokens", -1);
  return g_steal_pointer (&result);
}

static WrEmbeddingResult *
wr_openai_provider_embed_finish (WrProvider    *provider,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = g_task_propagate_pointer (G_TASK (result), error);
  if (root == NULL)
    return NULL;
  return openai_parse_embeddings (root, GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result))),
                                  error);
}

static void
wr_openai_provider_class_init (WrOpenAIProviderClass *klass)
{
  WrProviderClass *provider_class = WR_PROVIDER_CLASS (klass);

  provider_class->stream_chat_async = wr_openai_provider_stream_chat_async;
  provider_class->stream_chat_finish = _wr_provider_call_chat_finish;
  provider_class->list_models_async = wr_openai_provider_list_models_async;
  provider_class->list_models_finish = _wr_provider_call_models_finish;
  provider_class->embed_async = wr_openai_provider_embed_async;
  provider_class->embed_finish = wr_openai_provider_embed_finish;
}

static void
wr_openai_provider_init (WrOpenAIProvider *self)
{
}

WrProvider *
wr_openai_provider_new (const char       *id,
                        const char       *name,
                        const char       *base_url,
                        const char       *api_key,
                        WrProviderSource  source)
{
  return g_object_new (WR_TYPE_OPENAI_PROVIDER,
                       "id", id,
                       "name", name,
                       "kind", "openai",
                       "base-url", base_url,
                       "api-key", api_key,
                       "source", (int) source,
                       NULL);
}
