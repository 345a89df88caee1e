/* wr-gemini-provider.c — the Google Gemini API over libsoup 3.
 *
 * The HTTP machinery is shared (wr-provider-call.c); this file knows the
 * wire format: the key in "x-goog-api-key" (never in the URL, where it
 * would end up in logs), "contents" of user/model turns made of parts, a
 * separate "systemInstruction", and a stream of GenerateContentResponse
 * objects (?alt=sse) that simply ends after the one carrying finishReason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-gemini-provider.h"
#include "wr-provider-private.h"
#include "wr-provider-images.h"

#include <string.h>

struct _WrGeminiProvider
{
  WrProvider   parent_instance;
};

G_DEFINE_FINAL_TYPE (WrGeminiProvider, wr_gemini_provider, WR_TYPE_PROVIDER)

/* Protocol */

static void
gemini_prepare_headers (WrProvider         *provider,
                        SoupMessageHeaders *headers)
{
  const char *api_key = wr_provider_get_api_key (provider);

  if (api_key != NULL && api_key[0] != '\0')
    soup_message_headers_replace (headers, "x-goog-api-key", api_key);
}

/* "37s" / "1.5s" (a protobuf Duration in JSON) → milliseconds, or -1. */
static gint64
parse_duration_ms (const char *text)
{
  char *end = NULL;
  double seconds;

  if (text == NULL)
    return -1;
  seconds = g_ascii_strtod (text, &end);
  if (end == text || g_strcmp0 (end, "s") != 0 || seconds < 0 || seconds > G_MAXINT32)
    return -1;
  return (gint64) (seconds * 1000);
}

/* A google.rpc.Status: {"code":…,"message":…,"status":…,"details":[…]}.
 * Returns our code; fills @retry_after_ms from a RetryInfo detail. */
static int
status_error_code (JsonObject *error,
                   guint       http_status,
                   gint64     *retry_after_ms)
{
  const char *status = _wr_json_get_string (error, "status");
  JsonArray *details = _wr_json_get_array (error, "details");
  guint code = http_status != 0 ? http_status : (guint) _wr_json_get_int (error, "code", 0);

  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonObject *detail = _wr_json_array_get_object (details, i);
      gint64 delay;

      /* An invalid key is a 400 INVALID_ARGUMENT whose reason says so. */
      if (g_strcmp0 (_wr_json_get_string (detail, "reason"), "API_KEY_INVALID") == 0)
        return WR_PROVIDER_ERROR_AUTH;
      if (retry_after_ms != NULL &&
          (delay = parse_duration_ms (_wr_json_get_string (detail, "retryDelay"))) >= 0)
        *retry_after_ms = delay;
    }

  if (g_strcmp0 (status, "UNAUTHENTICATED") == 0 || g_strcmp0 (status, "PERMISSION_DENIED") == 0)
    return WR_PROVIDER_ERROR_AUTH;
  if (g_strcmp0 (status, "RESOURCE_EXHAUSTED") == 0)
    return WR_PROVIDER_ERROR_RATE_LIMITED;
  if (code != 0)
    return _wr_provider_error_code_for_status (code);
  if (g_strcmp0 (status, "NOT_FOUND") == 0)
    return WR_PROVIDER_ERROR_MODEL_NOT_FOUND;
  if (g_strcmp0 (status, "UNAVAILABLE") == 0 || g_strcmp0 (status, "INTERNAL") == 0)
    return WR_PROVIDER_ERROR_SERVER;
  return WR_PROVIDER_ERROR_PROTOCOL;
}

/* The error object of a body: {"error":{…}}, also inside the array a
 * non-SSE stream answers with. */
static JsonObject *
body_error_object (JsonNode *root)
{
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      root = json_array_get_length (array) > 0 ? json_array_get_element (array, 0) : NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return _wr_json_get_object (json_node_get_object (root), "error");
}

static int
gemini_http_error_code (WrProviderCall *call,
                        guint           status,
                        JsonNode       *body)
{
  JsonObject *error = body_error_object (body);
  gint64 retry_after_ms = -1;
  int code;

  if (error == NULL)
    return _wr_provider_error_code_for_status (status);

  code = status_error_code (error, status, &retry_after_ms);
  /* Gemini says how long to wait in the body, not in Retry-After. */
  if (call->result != NULL && call->result->retry_after_ms < 0)
    call->result->retry_after_ms = retry_after_ms;

  return code;
}

/* Returns FALSE (with call->event_error set) when @object is an error. */
static gboolean
check_error (WrProviderCall *call,
             JsonObject     *object)
{
  JsonObject *error = _wr_json_get_object (object, "error");
  const char *message;

  if (error == NULL)
    return TRUE;

  message = _wr_json_get_string (error, "message");
  g_clear_error (&call->event_error);
  call->event_error = _wr_provider_call_error (call, status_error_code (error, 0, NULL), "%s",
                                               message ? message : "error in stream");
  return FALSE;
}

/* "STOP" → "stop", "MAX_TOKENS" → "length", others lower-cased ("safety"). */
static void
take_finish_reason (WrProviderCall *call,
                    const char     *reason)
{
  g_autofree char *lower = NULL;

  if (reason == NULL || reason[0] == '\0' || g_str_equal (reason, "FINISH_REASON_UNSPECIFIED"))
    return;

  if (g_str_equal (reason, "STOP"))
    _wr_provider_call_set_finish_reason (call, "stop");
  else if (g_str_equal (reason, "MAX_TOKENS"))
    _wr_provider_call_set_finish_reason (call, "length");
  else
    {
      lower = g_ascii_strdown (reason, -1);
      _wr_provider_call_set_finish_reason (call, lower);
    }
  call->complete = TRUE;
}

/* Each response carries the usage so far; the last one counts. Thinking
 * models report their thoughts apart; those are output too. */
static void
take_usage (WrProviderCall *call,
            JsonObject     *usage)
{
  gint64 candidates, thoughts;

  if (usage == NULL)
    return;

  call->result->input_tokens = _wr_json_get_int (usage, "promptTokenCount", call->result->input_tokens);
  candidates = _wr_json_get_int (usage, "candidatesTokenCount", -1);
  thoughts = _wr_json_get_int (usage, "thoughtsTokenCount", -1);
  if (candidates >= 0 || thoughts >= 0)
    call->result->output_tokens = MAX (candidates, 0) + MAX (thoughts, 0);
}

/* One GenerateContentResponse. Returns FALSE on an error payload. */
static gboolean
take_response (WrProviderCall *call,
               JsonObject     *object)
{
  JsonArray *candidates;
  JsonObject *candidate;
  JsonArray *parts;

  if (!check_error (call, object))
    return FALSE;

  _wr_provider_call_take_model (call, _wr_json_get_string (object, "modelVersion"));
  take_usage (call, _wr_json_get_object (object, "usageMetadata"));

  candidates = _wr_json_get_array (object, "candidates");
  candidate = _wr_json_array_get_object (candidates, 0);
  if (candidate == NULL)
    {
      /* No candidate at all: the prompt itself was blocked. */
      const char *blocked = _wr_json_get_string (_wr_json_get_object (object, "promptFeedback"),
                                                 "blockReason");
      if (blocked != NULL)
        {
          g_clear_error (&call->event_error);
          call->event_error = _wr_provider_call_error (call, WR_PROVIDER_ERROR_BAD_REQUEST,
                                                       "The prompt was blocked (%s)", blocked);
          return FALSE;
        }
      return TRUE;
    }

  parts = _wr_json_get_array (_wr_json_get_object (candidate, "content"), "parts");
  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = _wr_json_array_get_object (parts, i);
      JsonNode *thought = part ? json_object_get_member (part, "thought") : NULL;

      /* Thought summaries are not the answer. */
      if (thought != NULL && JSON_NODE_HOLDS_VALUE (thought) &&
          json_node_get_value_type (thought) == G_TYPE_BOOLEAN && json_node_get_boolean (thought))
        continue;
      _wr_provider_call_add_text (call, _wr_json_get_string (part, "text"));
    }

  take_finish_reason (call, _wr_json_get_string (candidate, "finishReason"));
  return TRUE;
}

static gboolean
gemini_chat_event (WrProviderCall *call,
                   const char     *event,
                   const char     *data,
                   gsize           data_len)
{
  JsonObject *object;

  if ((object = _wr_provider_call_parse_event (call, data, data_len)) == NULL)
    return FALSE;

  return take_response (call, object);
}

/* generateContent answers one response; streamGenerateContent without
 * alt=sse an array of them. */
static GError *
gemini_chat_whole (WrProviderCall *call,
                   JsonNode       *root)
{
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      if (!take_response (call, json_node_get_object (root)))
        return g_steal_pointer (&call->event_error);
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *object = _wr_json_array_get_object (array, i);

          if (object != NULL && !take_response (call, object))
            return g_steal_pointer (&call->event_error);
        }
    }
  else
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer is not a JSON object");

  return NULL;
}

static gboolean
supports_generate_content (JsonObject *model)
{
  JsonArray *methods = _wr_json_get_array (model, "supportedGenerationMethods");

  for (guint i = 0; methods != NULL && i < json_array_get_length (methods); i++)
    {
      JsonNode *node = json_array_get_element (methods, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (node), "generateContent"))
        return TRUE;
    }

  return FALSE;
}

/* Only chat models: embedding and other models do not generateContent. */
static GError *
gemini_models_parse (WrProviderCall *call,
                     JsonNode       *root,
                     GPtrArray      *models)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *list = _wr_json_get_array (object, "models");

  if (list == NULL)
    {
      /* An account without models answers {}. */
      if (object != NULL && json_object_get_size (object) == 0)
        return NULL;
      return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                      "The model list has no “models” array");
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *model = _wr_json_array_get_object (list, i);
      const char *name = _wr_json_get_string (model, "name");

      if (name == NULL || !supports_generate_content (model))
        continue;
      if (g_str_has_prefix (name, "models/"))
        name += strlen ("models/");
      g_ptr_array_add (models, g_strdup (name));
    }

  return NULL;
}

static const WrProviderProtocol gemini_protocol = {
  .prepare_headers = gemini_prepare_headers,
  .chat_event = gemini_chat_event,
  .chat_whole = gemini_chat_whole,
  .models_parse = gemini_models_parse,
  .http_error_code = gemini_http_error_code,
};

/* Request */

/* "gemini-1.5-flash" or "models/gemini-1.5-flash" → "/models/gemini-1.5-flash";
 * other resource names ("tunedModels/x") are kept. NULL for no model. */
static char *
model_path (const char *model)
{
  g_autofree char *escaped = NULL;

  if (model == NULL || model[0] == '\0')
    return NULL;

  escaped = g_uri_escape_string (model, "/", FALSE);
  if (strchr (model, '/') != NULL)
    return g_strconcat ("/", escaped, NULL);
  return g_strconcat ("/models/", escaped, NULL);
}

static void
add_text_part (JsonBuilder *builder,
               const char  *text)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
}

/* An inlineData part (the REST API's documented camelCase JSON form). */
static void
add_image_part (JsonBuilder  *builder,
                WrJsonBlobs  *blobs,
                WrAttachment *image)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inlineData");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mimeType");
  json_builder_add_string_value (builder, wr_attachment_get_mime_type (image));
  json_builder_set_member_name (builder, "data");
  _wr_json_blobs_add_base64 (blobs, builder, NULL, wr_attachment_get_data (image));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* System messages become systemInstruction parts; consecutive messages of
 * one role become one turn of several parts, so turns alternate; a
 * message's images come before its text. Empty messages without images are
 * left out (the API rejects empty parts). */
static GBytes *
build_chat_body (WrChatRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(WrJsonBlobs) blobs = _wr_json_blobs_new ();
  g_autoptr(GPtrArray) system = g_ptr_array_new ();
  const char *open_role = NULL;
  guint n_messages = request->messages ? request->messages->len : 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_messages; i++)
    {
      WrMessage *message = g_ptr_array_index (request->messages, i);
      const char *role = wr_message_get_role (message);
      const char *content = wr_message_get_content (message);
      GPtrArray *images = _wr_chat_request_user_images (request, message);

      if (content[0] == '\0' && images == NULL)
        continue;

      if (g_strcmp0 (role, "system") == 0)
        {
          g_ptr_array_add (system, (gpointer) content);
          continue;
        }

      role = g_strcmp0 (role, "assistant") == 0 ? "model" : "user";
      if (open_role == NULL || !g_str_equal (open_role, role))
        {
          if (open_role != NULL)
            {
              json_builder_end_array (builder);   /* parts */
              json_builder_end_object (builder);  /* content */
            }
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, role);
          json_builder_set_member_name (builder, "parts");
          json_builder_begin_array (builder);
          open_role = role;
        }
      for (guint j = 0; images != NULL && j < images->len; j++)
        add_image_part (builder, blobs, g_ptr_array_index (images, j));
      if (content[0] != '\0')
        add_text_part (builder, content);
    }
  if (open_role != NULL)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (system->len > 0)
    {
      json_builder_set_member_name (builder, "systemInstruction");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < system->len; i++)
        add_text_part (builder, g_ptr_array_index (system, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  if (request->temperature >= 0 || request->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "generationConfig");
      json_builder_begin_object (builder);
      if (request->temperature >= 0)
        {
          json_builder_set_member_name (builder, "temperature");
          json_builder_add_double_value (builder, request->temperature);
        }
      if (request->max_tokens > 0)
        {
          json_builder_set_member_name (builder, "maxOutputTokens");
          json_builder_add_int_value (builder, request->max_tokens);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return _wr_json_blobs_to_bytes (blobs, builder);
}

/* Vfuncs */

static void
wr_gemini_provider_stream_chat_async (WrProvider          *provider,
                                      WrChatRequest       *request,
                                      WrChatDeltaFunc      delta_func,
                                      gpointer             delta_data,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  /* Gemini reads no GIF. */
  static const char * const image_types[] = { "image/png", "image/jpeg", "image/webp", NULL };
  g_autofree char *model = model_path (request->model);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = _wr_chat_request_check_images (request, image_types);

  if (error != NULL)
    {
      _wr_provider_call_fail_early (provider, WR_PROVIDER_CALL_CHAT, wr_gemini_provider_stream_chat_async,
                                    error, cancellable, callback, user_data);
      return;
    }

  if (model == NULL)
    {
      /* The model is part of the URL; there is nothing to send without. */
      _wr_provider_call_fail_early (provider, WR_PROVIDER_CALL_CHAT,
                                    wr_gemini_provider_stream_chat_async,
                                    g_error_new_literal (WR_PROVIDER_ERROR,
                                                         WR_PROVIDER_ERROR_MODEL_NOT_FOUND,
                                                         "No model given"),
                                    cancellable, callback, user_data);
      return;
    }

  path = g_strconcat (model, ":streamGenerateContent?alt=sse", NULL);
  body = build_chat_body (request);
  _wr_provider_call_start (provider, &gemini_protocol,
                           WR_PROVIDER_CALL_CHAT, wr_gemini_provider_stream_chat_async,
                           SOUP_METHOD_POST, path, body,
                           delta_func, delta_data, cancellable, callback, user_data);
}

static void
wr_gemini_provider_list_models_async (WrProvider          *provider,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{

  /* The list is paged (default 50); one page of the maximum holds all. */
  _wr_provider_call_start (provider, &gemini_protocol,
                           WR_PROVIDER_CALL_MODELS, wr_gemini_provider_list_models_async,
                           SOUP_METHOD_GET, "/models?pageSize=1000", NULL,
                           NULL, NULL, cancellable, callback, user_data);
}

/* POST models/{model}:batchEmbedContents: {"requests": [{"model":
 * "models/{model}", "content": {"parts": [{"text"}]}}]} → {"embeddings":
 * [{"values": [...]}]}. Gemini reports no token usage for it. */
static void
wr_gemini_provider_embed_async (WrProvider          *provider,
                                const char          *model,
                                const char * const  *inputs,
                                guint                n_inputs,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *mpath = model_path (model);
  g_autofree char *path = NULL;
  GTask *task;

  task = g_task_new (provider, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_gemini_provider_embed_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (n_inputs), NULL);

  if (mpath == NULL)
    {
      g_task_return_new_error (task, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_MODEL_NOT_FOUND,
                               "No model given");
      g_object_unref (task);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_inputs; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "model");
      /* "/models/x" → "models/x" */
      json_builder_add_string_value (builder, mpath + 1);
      json_builder_set_member_name (builder, "content");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
      add_text_part (builder, inputs[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = _wr_json_builder_to_bytes (builder);

  path = g_strconcat (mpath, ":batchEmbedContents", NULL);
  _wr_provider_call_start (provider, &gemini_protocol,
                           WR_PROVIDER_CALL_JSON, wr_gemini_provider_embed_async,
                           SOUP_METHOD_POST, path, body,
                           NULL, NULL, cancellable, _wr_provider_embed_json_cb, task);
}

static WrEmbeddingResult *
wr_gemini_provider_embed_finish (WrProvider    *provider,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WrEmbeddingResult) embedding = wr_embedding_result_new ();
  guint n_inputs = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
  JsonObject *object;
  JsonArray *list;
  guint n;

  root = g_task_propagate_pointer (G_TASK (result), error);
  if (root == NULL)
    return NULL;

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  list = _wr_json_get_array (object, "embeddings");
  n = list != NULL ? json_array_get_length (list) : 0;
  if (n != n_inputs || n == 0)
    {
      g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                   "Expected %u embeddings, got %u", n_inputs, n);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonArray *values = _wr_json_get_array (_wr_json_array_get_object (list, i), "values");

      if (i == 0)
        {
          embedding->dims = values != NULL ? json_array_get_length (values) : 0;
          if (embedding->dims == 0)
            break;
          embedding->vectors = g_new0 (float, (gsize) n * embedding->dims);
        }
      if (!_wr_provider_read_vector (values, embedding->vectors + (gsize) i * embedding->dims,
                                     embedding->dims))
        {
          g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                       "Embedding %u is not %u numbers", i, embedding->dims);
          return NULL;
        }
    }
  if (embedding->dims == 0)
    {
      g_set_error_literal (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                           "Empty embedding");
      return NULL;
    }

  embedding->n_vectors = n;
  return g_steal_pointer (&embedding);
}

static void
wr_gemini_provider_class_init (WrGeminiProviderClass *klass)
{
  WrProviderClass *provider_class = WR_PROVIDER_CLASS (klass);

  provider_class->stream_chat_async = wr_gemini_provider_stream_chat_async;
  provider_class->stream_chat_finish = _wr_provider_call_chat_finish;
  provider_class->list_models_async = wr_gemini_provider_list_models_async;
  provider_class->list_models_finish = _wr_provider_call_models_finish;
  provider_class->embed_async = wr_gemini_provider_embed_async;
  provider_class->embed_finish = wr_gemini_provider_embed_finish;
}

static void
wr_gemini_provider_init (WrGeminiProvider *self)
{
}

WrProvider *
wr_gemini_provider_new (const char       *id,
                        const char       *name,
                        const char       *base_url,
                        const char       *api_key,
                        WrProviderSource  source)
{
  return g_object_new (WR_TYPE_GEMINI_PROVIDER,
                       "id", id,
                       "name", name,
                       "kind", "google",
                       "base-url", base_url,
                       "api-key", api_key,
                       "source", (int) source,
                       NULL);
}
