/* wr-anthropic-provider.c — the Anthropic Messages API over libsoup 3.
 *
 * The HTTP machinery is shared (wr-provider-call.c); this file knows the
 * wire format: "x-api-key" + "anthropic-version" headers, a top-level
 * "system" string, strictly alternating user/assistant turns, and a typed
 * event stream (message_start, content_block_delta, message_delta,
 * message_stop, ping, error).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-anthropic-provider.h"
#include "wr-provider-private.h"
#include "wr-provider-images.h"

#include <string.h>

struct _WrAnthropicProvider
{
  WrProvider   parent_instance;
};

G_DEFINE_FINAL_TYPE (WrAnthropicProvider, wr_anthropic_provider, WR_TYPE_PROVIDER)

/* Protocol */

static void
anthropic_prepare_headers (WrProvider         *provider,
                           SoupMessageHeaders *headers)
{
  const char *api_key = wr_provider_get_api_key (provider);

  if (api_key != NULL && api_key[0] != '\0')
    soup_message_headers_replace (headers, "x-api-key", api_key);
  soup_message_headers_replace (headers, "anthropic-version", WR_ANTHROPIC_API_VERSION);
}

/* The error "type" of an Anthropic error object, as our code. */
static int
error_code_for_type (const char *type)
{
  static const struct {
    const char *type;
    int         code;
  } map[] = {
    { "authentication_error", WR_PROVIDER_ERROR_AUTH },
    { "permission_error", WR_PROVIDER_ERROR_AUTH },
    { "not_found_error", WR_PROVIDER_ERROR_MODEL_NOT_FOUND },
    { "rate_limit_error", WR_PROVIDER_ERROR_RATE_LIMITED },
    { "overloaded_error", WR_PROVIDER_ERROR_SERVER },
    { "api_error", WR_PROVIDER_ERROR_SERVER },
    { "invalid_request_error", WR_PROVIDER_ERROR_BAD_REQUEST },
    { "request_too_large", WR_PROVIDER_ERROR_BAD_REQUEST },
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (type, map[i].type))
      return map[i].code;

  return WR_PROVIDER_ERROR_PROTOCOL;
}

/* {"type":"error","error":{"type":…,"message":…}} → call->event_error. */
static void
take_error (WrProviderCall *call,
            JsonObject     *object)
{
  JsonObject *error = _wr_json_get_object (object, "error");
  const char *type = _wr_json_get_string (error, "type");
  const char *message = _wr_json_get_string (error, "message");

  g_clear_error (&call->event_error);
  call->event_error = _wr_provider_call_error (call, error_code_for_type (type), "%s%s%s",
                                               type ? type : "error",
                                               message ? ": " : "",
                                               message ? message : "");
}

/* Prompt caching splits the prompt into three counts; the prompt is all. */
static void
take_usage (WrProviderCall *call,
            JsonObject     *usage)
{
  gint64 input;

  if (usage == NULL)
    return;

  input = _wr_json_get_int (usage, "input_tokens", -1);
  if (input >= 0)
    call->result->input_tokens = input +
                                 MAX (0, _wr_json_get_int (usage, "cache_creation_input_tokens", 0)) +
                                 MAX (0, _wr_json_get_int (usage, "cache_read_input_tokens", 0));
  call->result->output_tokens = _wr_json_get_int (usage, "output_tokens", call->result->output_tokens);
}

/* In the vocabulary of WrChatResult ("stop", "length", …). */
static void
take_stop_reason (WrProviderCall *call,
                  const char     *reason)
{
  if (reason == NULL)
    return;
  if (g_str_equal (reason, "end_turn") || g_str_equal (reason, "stop_sequence"))
    reason = "stop";
  else if (g_str_equal (reason, "max_tokens"))
    reason = "length";
  _wr_provider_call_set_finish_reason (call, reason);
}

static gboolean
anthropic_chat_event (WrProviderCall *call,
                      const char     *event,
                      const char     *data,
                      gsize           data_len)
{
  JsonObject *object;
  const char *type;

  if ((object = _wr_provider_call_parse_event (call, data, data_len)) == NULL)
    return FALSE;

  /* The data repeats the event name as "type"; trust the data. */
  type = _wr_json_get_string (object, "type");
  if (type == NULL)
    type = event;

  if (g_strcmp0 (type, "content_block_delta") == 0)
    {
      JsonObject *delta = _wr_json_get_object (object, "delta");

      /* Other deltas (thinking, tool input JSON) are not answer text. */
      if (g_strcmp0 (_wr_json_get_string (delta, "type"), "text_delta") == 0)
        _wr_provider_call_add_text (call, _wr_json_get_string (delta, "text"));
    }
  else if (g_strcmp0 (type, "message_start") == 0)
    {
      JsonObject *message = _wr_json_get_object (object, "message");

      _wr_provider_call_take_model (call, _wr_json_get_string (message, "model"));
      take_usage (call, _wr_json_get_object (message, "usage"));
    }
  else if (g_strcmp0 (type, "message_delta") == 0)
    {
      take_stop_reason (call, _wr_json_get_string (_wr_json_get_object (object, "delta"),
                                                   "stop_reason"));
      take_usage (call, _wr_json_get_object (object, "usage"));
    }
  else if (g_strcmp0 (type, "message_stop") == 0)
    {
      call->complete = TRUE;
      call->done = TRUE;
      return FALSE;
    }
  else if (g_strcmp0 (type, "error") == 0)
    {
      take_error (call, object);
      return FALSE;
    }
  /* ping, content_block_start/stop and future event types: nothing to do. */

  return TRUE;
}

/* A whole Message, from a server that did not stream. */
static GError *
anthropic_chat_whole (WrProviderCall *call,
                      JsonNode       *root)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *content;

  if (object == NULL)
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer is not a JSON object");

  if (g_strcmp0 (_wr_json_get_string (object, "type"), "error") == 0)
    {
      take_error (call, object);
      return g_steal_pointer (&call->event_error);
    }

  content = _wr_json_get_array (object, "content");
  if (content == NULL)
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer has no content");

  _wr_provider_call_take_model (call, _wr_json_get_string (object, "model"));
  take_usage (call, _wr_json_get_object (object, "usage"));
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *block = _wr_json_array_get_object (content, i);

      if (g_strcmp0 (_wr_json_get_string (block, "type"), "text") == 0)
        _wr_provider_call_add_text (call, _wr_json_get_string (block, "text"));
    }
  take_stop_reason (call, _wr_json_get_string (object, "stop_reason"));
  call->complete = TRUE;

  return NULL;
}

static GError *
anthropic_models_parse (WrProviderCall *call,
                        JsonNode       *root,
                        GPtrArray      *models)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *data = _wr_json_get_array (object, "data");

  if (data == NULL)
    return _wr_provider_call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                    "The model list has no “data” array");

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      const char *id = _wr_json_get_string (_wr_json_array_get_object (data, i), "id");

      if (id != NULL)
        g_ptr_array_add (models, g_strdup (id));
    }

  return NULL;
}

static const WrProviderProtocol anthropic_protocol = {
  .prepare_headers = anthropic_prepare_headers,
  .chat_event = anthropic_chat_event,
  .chat_whole = anthropic_chat_whole,
  .models_parse = anthropic_models_parse,
  /* By status: 529 (overloaded) is >= 500 and so SERVER, retryable. */
  .http_error_code = NULL,
};

/* Request body */

typedef struct
{
  const char *role;   /* "user" | "assistant" */
  GString    *text;
  GPtrArray  *images; /* nullable; element-type WrAttachment, borrowed */
} Turn;

static void
turn_clear (Turn *turn)
{
  g_string_free (turn->text, TRUE);
  g_clear_pointer (&turn->images, g_ptr_array_unref);
}

/* A plain string, or, with images, content blocks: the images first (as
 * the API advises), then the text. */
static void
add_turn_content (JsonBuilder *builder,
                  WrJsonBlobs *blobs,
                  Turn        *turn)
{
  if (turn->images == NULL)
    {
      json_builder_add_string_value (builder, turn->text->str);
      return;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < turn->images->len; i++)
    {
      WrAttachment *image = g_ptr_array_index (turn->images, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "image");
      json_builder_set_member_name (builder, "source");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "base64");
      json_builder_set_member_name (builder, "media_type");
      json_builder_add_string_value (builder, wr_attachment_get_mime_type (image));
      json_builder_set_member_name (builder, "data");
      _wr_json_blobs_add_base64 (blobs, builder, NULL, wr_attachment_get_data (image));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  /* The API rejects empty text blocks. */
  if (turn->text->len > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "text");
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, turn->text->str);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The API wants the system prompt apart and user/assistant turns that
 * alternate: system messages are joined into one string, consecutive
 * messages of one role into one turn, with the images of all its
 * messages. Empty messages without images are left out (the API rejects
 * empty text). */
static GBytes *
build_chat_body (WrChatRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(WrJsonBlobs) blobs = _wr_json_blobs_new ();
  g_autoptr(GArray) turns = g_array_new (FALSE, TRUE, sizeof (Turn));
  g_autoptr(GString) system = g_string_new (NULL);

  g_array_set_clear_func (turns, (GDestroyNotify) turn_clear);

  for (guint i = 0; request->messages && i < request->messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (request->messages, i);
      const char *role = wr_message_get_role (message);
      const char *content = wr_message_get_content (message);
      Turn *last = turns->len > 0 ? &g_array_index (turns, Turn, turns->len - 1) : NULL;
      GPtrArray *images = _wr_chat_request_user_images (request, message);

      if (content[0] == '\0' && images == NULL)
        continue;

      if (g_strcmp0 (role, "system") == 0)
        {
          if (system->len > 0)
            g_string_append (system, "\n\n");
          g_string_append (system, content);
          continue;
        }

      role = g_strcmp0 (role, "assistant") == 0 ? "assistant" : "user";
      if (last != NULL && g_str_equal (last->role, role))
        {
          if (last->text->len > 0 && content[0] != '\0')
            g_string_append (last->text, "\n\n");
          g_string_append (last->text, content);
        }
      else
        {
          Turn turn = { role, g_string_new (content), NULL };
          g_array_append_val (turns, turn);
          last = &g_array_index (turns, Turn, turns->len - 1);
        }

      for (guint j = 0; images != NULL && j < images->len; j++)
        {
          if (last->images == NULL)
            last->images = g_ptr_array_new ();
          g_ptr_array_add (last->images, g_ptr_array_index (images, j));
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, request->model ? request->model : "");
  json_builder_set_member_name (builder, "max_tokens");
  json_builder_add_int_value (builder, request->max_tokens > 0 ? request->max_tokens
                                                              : WR_ANTHROPIC_DEFAULT_MAX_TOKENS);
  if (system->len > 0)
    {
      json_builder_set_member_name (builder, "system");
      json_builder_add_string_value (builder, system->str);
    }

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < turns->len; i++)
    {
      Turn *turn = &g_array_index (turns, Turn, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, turn->role);
      json_builder_set_member_name (builder, "content");
      add_turn_content (builder, blobs, turn);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  if (request->temperature >= 0)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, request->temperature);
    }
  json_builder_end_object (builder);

  return _wr_json_blobs_to_bytes (blobs, builder);
}

/* Vfuncs */

static void
wr_anthropic_provider_stream_chat_async (WrProvider          *provider,
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
      _wr_provider_call_fail_early (provider, WR_PROVIDER_CALL_CHAT, wr_anthropic_provider_stream_chat_async,
                                    error, cancellable, callback, user_data);
      return;
    }

  body = build_chat_body (request);
  _wr_provider_call_start (provider, &anthropic_protocol,
                           WR_PROVIDER_CALL_CHAT, wr_anthropic_provider_stream_chat_async,
                           SOUP_METHOD_POST, "/messages", body,
                           delta_func, delta_data, cancellable, callback, user_data);
}

static void
wr_anthropic_provider_list_models_async (WrProvider          *provider,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{

  /* The list is paged (default 20); one page of the maximum holds all. */
  _wr_provider_call_start (provider, &anthropic_protocol,
                           WR_PROVIDER_CALL_MODELS, wr_anthropic_provider_list_models_async,
                           SOUP_METHOD_GET, "/models?limit=1000", NULL,
                           NULL, NULL, cancellable, callback, user_data);
}

static void
wr_anthropic_provider_class_init (WrAnthropicProviderClass *klass)
{
  WrProviderClass *provider_class = WR_PROVIDER_CLASS (klass);

  provider_class->stream_chat_async = wr_anthropic_provider_stream_chat_async;
  provider_class->stream_chat_finish = _wr_provider_call_chat_finish;
  provider_class->list_models_async = wr_anthropic_provider_list_models_async;
  provider_class->list_models_finish = _wr_provider_call_models_finish;
}

static void
wr_anthropic_provider_init (WrAnthropicProvider *self)
{
}

WrProvider *
wr_anthropic_provider_new (const char       *id,
                           const char       *name,
                           const char       *base_url,
                           const char       *api_key,
                           WrProviderSource  source)
{
  return g_object_new (WR_TYPE_ANTHROPIC_PROVIDER,
                       "id", id,
                       "name", name,
                       "kind", "anthropic",
                       "base-url", base_url,
                       "api-key", api_key,
                       "source", (int) source,
                       NULL);
}
