/* wr-provider-call.c — the HTTP machinery shared by the wire protocols.
 *
 * One request is a Call (the GTask's data): send the message, then read the
 * body incrementally into either the SSE parser (streaming answers) or a
 * bounded buffer (errors, plain JSON answers, model lists). What differs
 * between OpenAI, Anthropic and Gemini (headers, event and answer shapes,
 * error mapping) is a WrProviderProtocol.
 *
 * Timeouts are ours rather than SoupSession's, because a session I/O timeout
 * cannot tell "cannot connect" from "model still loading": a connect timer
 * runs until the request headers are written, then an idle timer that every
 * received byte pushes back. Either one firing cancels the call's internal
 * GCancellable (which the caller's cancellable is chained to) and the
 * resulting G_IO_ERROR_CANCELLED is reported as a timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-provider-private.h"
#include "wr-sse-parser.h"

#include <string.h>

#ifndef WR_VERSION
# define WR_VERSION "0"
#endif

#define READ_BUFFER_SIZE   (16 * 1024)
#define ERROR_BODY_LIMIT   (64 * 1024)
#define JSON_BODY_LIMIT    (WR_SSE_DEFAULT_MAX_EVENT_SIZE)

typedef enum {
  BODY_SSE,       /* feed the SSE parser */
  BODY_COLLECT,   /* collect into call->collected, up to collect_limit */
} BodyMode;

typedef struct
{
  WrProviderCall            pub;
  const WrProviderProtocol *protocol;
  WrProviderCallKind        kind;
  SoupMessage              *msg;           /* owned, nullable */
  GInputStream             *body;          /* owned, nullable */
  GCancellable             *cancellable;   /* internal, owned */
  GCancellable             *caller;        /* owned, nullable */
  gulong                    caller_handler;
  GSource                  *timer;         /* owned, nullable */
  gint64                    timer_usec;
  gboolean                  timed_out;
  gboolean                  connect_phase;
  gint64                    start_usec;

  BodyMode                  mode;
  guint8                   *buffer;
  GByteArray               *collected;
  gsize                     collect_limit;
  gboolean                  truncated;

  /* chat */
  WrSseParser              *parser;
  JsonParser               *json;
  GString                  *content;
  WrChatDeltaFunc           delta_func;
  gpointer                  delta_data;
} Call;

#define CALL(pub_call) ((Call *) (pub_call))

static void
call_stop_timer (Call *call)
{
  if (call->timer != NULL)
    {
      g_source_destroy (call->timer);
      g_clear_pointer (&call->timer, g_source_unref);
    }
}

static void
call_free (Call *call)
{
  call_stop_timer (call);

  if (call->caller_handler != 0)
    g_cancellable_disconnect (call->caller, call->caller_handler);
  g_clear_object (&call->caller);

  if (call->msg != NULL)
    g_signal_handlers_disconnect_by_data (call->msg, call);
  g_clear_object (&call->msg);

  if (call->body != NULL && !g_input_stream_is_closed (call->body))
    /* Closing an unfinished body makes soup drop the connection instead
     * of reading the rest; async so it never blocks. */
    g_input_stream_close_async (call->body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&call->body);

  g_clear_object (&call->cancellable);
  g_clear_pointer (&call->buffer, g_free);
  g_clear_pointer (&call->collected, g_byte_array_unref);
  g_clear_pointer (&call->parser, wr_sse_parser_free);
  g_clear_object (&call->json);
  if (call->content != NULL)
    g_string_free (call->content, TRUE);
  g_clear_pointer (&call->pub.result, wr_chat_result_free);
  g_clear_error (&call->pub.event_error);
  g_clear_object (&call->pub.provider);
  g_free (call);
}

static gint64
elapsed_ms (Call *call)
{
  return (g_get_monotonic_time () - call->start_usec) / 1000;
}

/* Timers */

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  NULL, NULL, timer_dispatch, NULL, NULL, NULL,
};

static gboolean
on_timer_fired_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_CONTINUE;
}

/* (Re)arms the timer for @seconds from now; 0 disables it. */
static void
call_arm_timer (Call  *call,
                guint  seconds)
{
  if (seconds == 0)
    {
      call_stop_timer (call);
      return;
    }

  call->timer_usec = (gint64) seconds * G_USEC_PER_SEC;
  if (call->timer == NULL)
    {
      call->timer = g_source_new (&timer_funcs, sizeof (GSource));
      g_source_set_name (call->timer, "[workroom] provider timeout");
      g_source_set_callback (call->timer, on_timer_fired_cb, call, NULL);
      g_source_attach (call->timer, g_main_context_get_thread_default ());
    }
  g_source_set_ready_time (call->timer, g_get_monotonic_time () + call->timer_usec);
}

static void
call_bump_idle_timer (Call *call)
{
  if (call->timer != NULL && !call->connect_phase)
    g_source_set_ready_time (call->timer, g_get_monotonic_time () + call->timer_usec);
}

static void
call_enter_idle_phase (Call *call)
{
  if (!call->connect_phase)
    return;
  call->connect_phase = FALSE;
  call_arm_timer (call, wr_provider_get_idle_timeout (call->pub.provider));
}

static void
on_msg_network_event_cb (SoupMessage        *msg,
                         GSocketClientEvent  event,
                         GIOStream          *connection,
                         gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    call_enter_idle_phase (user_data);
}

static void
on_msg_wrote_headers_cb (SoupMessage *msg,
                         gpointer     user_data)
{
  call_enter_idle_phase (user_data);
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* JSON helpers */

const char *
_wr_json_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
_wr_json_get_object (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
_wr_json_get_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gint64
_wr_json_get_int (JsonObject *object,
                  const char *member,
                  gint64      fallback)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    default:
      return fallback;
    }
}

JsonObject *
_wr_json_array_get_object (JsonArray *array,
                           guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

GBytes *
_wr_json_builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  return g_bytes_new_take (text, len);
}

/* Errors */

static GError *
call_error_valist (Call       *call,
                   int         code,
                   const char *format,
                   va_list     args) G_GNUC_PRINTF (3, 0);

static GError *
call_error_valist (Call       *call,
                   int         code,
                   const char *format,
                   va_list     args)
{
  g_autofree char *raw = g_strdup_vprintf (format, args);
  /* Server text (json-glib turns a lone "\ud800" into invalid UTF-8, a
   * "%.*s" may cut a character) must still be valid UTF-8 on screen. */
  g_autofree char *text = g_utf8_make_valid (raw, -1);
  g_autofree char *redacted = _wr_provider_redact (call->pub.provider, text);

  return g_error_new_literal (WR_PROVIDER_ERROR, code, redacted);
}

GError *
_wr_provider_call_error (WrProviderCall *call,
                         int             code,
                         const char     *format,
                         ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = call_error_valist (CALL (call), code, format, args);
  va_end (args);

  return error;
}

#define call_error(call, ...) _wr_provider_call_error (&(call)->pub, __VA_ARGS__)

/* Maps an error from soup/GIO; @received says whether any of the response
 * had arrived. */
static GError *
map_io_error (Call         *call,
              const GError *error,
              gboolean      received)
{
  const char *base_url = wr_provider_get_base_url (call->pub.provider);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (call->timed_out)
        {
          if (call->connect_phase)
            return call_error (call, WR_PROVIDER_ERROR_TIMEOUT,
                               "Timed out connecting to %s after %u s", base_url,
                               wr_provider_get_connect_timeout (call->pub.provider));
          return call_error (call, WR_PROVIDER_ERROR_TIMEOUT,
                             "No data from %s for %u s", base_url,
                             wr_provider_get_idle_timeout (call->pub.provider));
        }
      return g_error_copy (error);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return call_error (call, WR_PROVIDER_ERROR_TIMEOUT, "%s: %s", base_url, error->message);

  if (received)
    return call_error (call, WR_PROVIDER_ERROR_INTERRUPTED,
                       "Connection to %s lost: %s", base_url, error->message);

  if (error->domain == SOUP_SESSION_ERROR)
    return call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                       "Bad HTTP response from %s: %s", base_url, error->message);

  return call_error (call, WR_PROVIDER_ERROR_CONNECTION,
                     "Could not connect to %s: %s", base_url, error->message);
}

/* The message of an error body: {"error":{"message":…}} (OpenAI,
 * Anthropic, Gemini, also inside a one-element array as Gemini's JSON
 * streams send it), {"error":"…"} (Ollama), {"message":…}, else the start
 * of the body. (transfer full) */
static char *
extract_error_message (JsonNode   *root,
                       const char *body,
                       gsize       len)
{
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      root = json_array_get_length (array) > 0 ? json_array_get_element (array, 0) : NULL;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonObject *error = _wr_json_get_object (object, "error");
      const char *message;

      if ((message = _wr_json_get_string (error, "message")) != NULL ||
          (message = _wr_json_get_string (object, "error")) != NULL ||
          (message = _wr_json_get_string (object, "message")) != NULL ||
          (message = _wr_json_get_string (object, "detail")) != NULL)
        return g_utf8_make_valid (message, -1);
    }

  if (len > 0 && g_utf8_validate (body, len, NULL))
    {
      /* The cut may fall inside a character. */
      g_autofree char *text = g_utf8_make_valid (body, MIN (len, 300));
      return g_strstrip (g_steal_pointer (&text));
    }

  return NULL;
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  return g_ascii_string_to_unsigned (copy, 10, 0, max, out, NULL);
}

/* Retry-After: delta-seconds or an HTTP-date; -1 when absent or bad.
 * OpenAI also sends retry-after-ms. */
static gint64
parse_retry_after (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  const char *ms_value = soup_message_headers_get_one (headers, "retry-after-ms");
  guint64 number;

  if (ms_value != NULL && parse_uint (ms_value, G_MAXINT64 / 2, &number))
    return number;

  if (value == NULL)
    return -1;

  if (parse_uint (value, G_MAXINT64 / 1000 / 2, &number))
    return number * 1000;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (when != NULL)
      return MAX (0, g_date_time_difference (when, now) / 1000);
  }

  return -1;
}

int
_wr_provider_error_code_for_status (guint status)
{
  if (status == 401 || status == 403)
    return WR_PROVIDER_ERROR_AUTH;
  if (status == 404)
    return WR_PROVIDER_ERROR_MODEL_NOT_FOUND;
  if (status == 429)
    return WR_PROVIDER_ERROR_RATE_LIMITED;
  if (status >= 500)
    return WR_PROVIDER_ERROR_SERVER;
  if (status >= 400)
    return WR_PROVIDER_ERROR_BAD_REQUEST;
  return WR_PROVIDER_ERROR_PROTOCOL;
}

static GError *
map_http_error (Call *call)
{
  guint status = soup_message_get_status (call->msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *message = NULL;
  const char *body = NULL;
  gsize len = 0;
  JsonNode *root = NULL;
  int code;

  if (call->collected != NULL)
    {
      body = (const char *) call->collected->data;
      len = call->collected->len;
    }
  if (len > 0 && json_parser_load_from_data (parser, body, len, NULL))
    root = json_parser_get_root (parser);

  message = extract_error_message (root, body, len);
  if (message == NULL || message[0] == '\0')
    {
      g_free (message);
      message = g_strdup (soup_message_get_reason_phrase (call->msg));
    }
  if (message == NULL || message[0] == '\0')
    {
      g_free (message);
      message = g_strdup (soup_status_get_phrase (status));
    }

  if (call->protocol->http_error_code != NULL)
    code = call->protocol->http_error_code (&call->pub, status, root);
  else
    code = _wr_provider_error_code_for_status (status);

  return call_error (call, code, "HTTP %u: %s", status, message ? message : "");
}

/* Completion */

static void
call_return_error (GTask  *task,
                   GError *error)
{
  Call *call = g_task_get_task_data (task);
  WrChatResult *result = call->pub.result;

  call_stop_timer (call);
  if (result != NULL)
    {
      result->latency_ms = elapsed_ms (call);
      if (call->content != NULL)
        {
          g_free (result->content);
          result->content = g_strndup (call->content->str, call->content->len);
        }
      if (error->domain == WR_PROVIDER_ERROR)
        _wr_provider_error_set_retry_after (error, result->retry_after_ms);
    }

  g_task_return_error (task, error);
}

static WrChatResult *
call_take_chat_result (Call *call)
{
  WrChatResult *result = g_steal_pointer (&call->pub.result);

  result->latency_ms = elapsed_ms (call);
  g_free (result->content);
  result->content = g_string_free (g_steal_pointer (&call->content), FALSE);
  call->content = g_string_new (NULL);
  return result;
}

static void
call_return_chat_result (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  call_stop_timer (call);
  g_task_return_pointer (task, call_take_chat_result (call),
                         (GDestroyNotify) wr_chat_result_free);
}

/* For protocols */

void
_wr_provider_call_add_text (WrProviderCall *pub,
                            const char     *text)
{
  Call *call = CALL (pub);
  g_autofree char *valid = NULL;
  gsize len;

  if (text == NULL || (len = strlen (text)) == 0)
    return;
  /* json-glib passes lone surrogates ("\ud800") through as invalid UTF-8. */
  if (!g_utf8_validate (text, len, NULL))
    {
      text = valid = g_utf8_make_valid (text, len);
      len = strlen (valid);
    }

  if (pub->result->first_token_ms < 0)
    pub->result->first_token_ms = elapsed_ms (call);
  g_string_append_len (call->content, text, len);
  if (call->delta_func != NULL)
    call->delta_func (text, len, call->delta_data);
}

void
_wr_provider_call_take_model (WrProviderCall *call,
                              const char     *model)
{
  if (model != NULL && model[0] != '\0' && call->result->model == NULL)
    call->result->model = g_utf8_make_valid (model, -1);
}

void
_wr_provider_call_set_finish_reason (WrProviderCall *call,
                                     const char     *reason)
{
  if (reason == NULL)
    return;
  g_free (call->result->finish_reason);
  call->result->finish_reason = g_utf8_make_valid (reason, -1);
}

JsonObject *
_wr_provider_call_parse_event (WrProviderCall *pub,
                               const char     *data,
                               gsize           data_len)
{
  Call *call = CALL (pub);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (call->json, data, data_len, &error))
    {
      g_clear_error (&pub->event_error);
      pub->event_error = call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                     "Malformed stream data: %s", error->message);
      return NULL;
    }

  root = json_parser_get_root (call->json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_error (&pub->event_error);
      pub->event_error = call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                     "Stream data is not a JSON object");
      return NULL;
    }

  return json_node_get_object (root);
}

static gboolean
on_sse_event_cb (const char *event,
                 const char *data,
                 gsize       data_len,
                 const char *id,
                 gpointer    user_data)
{
  Call *call = user_data;

  return call->protocol->chat_event (&call->pub, event, data, data_len);
}

/* Whole (non-streamed) bodies */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GError *
call_parse_collected (Call      *call,
                      JsonNode **out_root,
                      JsonParser *parser,
                      const char *what)
{
  g_autoptr(GError) error = NULL;
  /* An empty body (200 with Content-Length: 0) has no data pointer, and
   * json-glib refuses NULL without setting @error. */
  const char *data = call->collected->len > 0 ? (const char *) call->collected->data : "";

  if (!json_parser_load_from_data (parser, data, call->collected->len, &error))
    return call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Malformed %s: %s", what, error->message);

  *out_root = json_parser_get_root (parser);
  if (*out_root == NULL)
    return call_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Empty %s", what);

  return NULL;
}

static GError *
models_parse (Call       *call,
              GPtrArray **out_models)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root = NULL;
  GError *error;

  if ((error = call_parse_collected (call, &root, parser, "model list")) != NULL ||
      (error = call->protocol->models_parse (&call->pub, root, found)) != NULL)
    return error;

  for (guint i = 0; i < found->len; i++)
    {
      char *id = g_ptr_array_index (found, i);

      if (id == NULL || id[0] == '\0' || g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, id);
      g_ptr_array_add (models, g_strdup (id));
    }

  g_ptr_array_sort (models, compare_strings);
  *out_models = g_steal_pointer (&models);
  return NULL;
}

static GError *
chat_parse_whole (Call *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  GError *error;

  if ((error = call_parse_collected (call, &root, parser, "JSON answer")) != NULL)
    return error;

  return call->protocol->chat_whole (&call->pub, root);
}

/* Body reading */

static void call_read_next (GTask *task);

/* The whole (collected) body is in: finish the call. */
static void
call_body_complete (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->msg);
  GError *error = NULL;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      call_return_error (task, map_http_error (call));
      return;
    }

  if (call->truncated)
    {
      call_return_error (task, call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                           "Answer larger than %" G_GSIZE_FORMAT " bytes",
                                           call->collect_limit));
      return;
    }

  if (call->kind == WR_PROVIDER_CALL_MODELS)
    {
      GPtrArray *models = NULL;

      call_stop_timer (call);
      if ((error = models_parse (call, &models)) != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, models, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (call->kind == WR_PROVIDER_CALL_JSON)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root = NULL;

      call_stop_timer (call);
      if ((error = call_parse_collected (call, &root, parser, "JSON answer")) != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, json_node_copy (root), (GDestroyNotify) json_node_unref);
      return;
    }

  if ((error = chat_parse_whole (call)) != NULL)
    call_return_error (task, error);
  else
    call_return_chat_result (task);
}

/* A piece of a streamed body: FALSE with @error when the stream broke a
 * limit or carried an error; call->pub.done once the answer is whole. */
static gboolean
call_feed_sse (Call        *call,
               const char  *buf,
               gsize        len,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!wr_sse_parser_feed (call->parser, buf, len, &local_error))
    {
      g_propagate_error (error, call_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                            "%s", local_error->message));
      return FALSE;
    }
  if (call->pub.event_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&call->pub.event_error));
      return FALSE;
    }
  return TRUE;
}

/* End of a streamed body: NULL when the answer is complete. */
static GError *
call_end_sse (Call *call)
{
  wr_sse_parser_finish (call->parser);

  if (call->pub.event_error != NULL)
    return g_steal_pointer (&call->pub.event_error);
  if (call->pub.done || call->pub.complete)
    return NULL;
  return call_error (call, WR_PROVIDER_ERROR_INTERRUPTED,
                     "The stream from %s ended before the answer was complete",
                     wr_provider_get_base_url (call->pub.provider));
}

static void
call_sse_complete (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  GError *error = call_end_sse (call);

  if (error != NULL)
    call_return_error (task, error);
  else
    call_return_chat_result (task);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n < 0)
    {
      /* After a complete answer, a read error is only the connection going
       * away early; the answer stands. */
      if (call->mode == BODY_SSE && call->pub.complete && call->pub.event_error == NULL &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          call_return_chat_result (task);
          return;
        }
      call_return_error (task, map_io_error (call, error, TRUE));
      return;
    }

  if (n == 0)
    {
      if (call->mode == BODY_SSE)
        call_sse_complete (task);
      else
        call_body_complete (task);
      return;
    }

  call_bump_idle_timer (call);

  if (call->mode == BODY_COLLECT)
    {
      gsize room = call->collect_limit - MIN (call->collect_limit, call->collected->len);

      if ((gsize) n > room)
        {
          call->truncated = TRUE;
          n = room;
        }
      g_byte_array_append (call->collected, call->buffer, n);
      /* An over-long error body is still an error; keep what fits and stop. */
      if (call->truncated)
        {
          if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (call->msg)))
            call->truncated = FALSE;
          call_body_complete (task);
          return;
        }
    }
  else
    {
      if (!call_feed_sse (call, (const char *) call->buffer, n, &error))
        {
          call_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (call->pub.done)
        {
          call_return_chat_result (task);
          return;
        }
    }

  call_read_next (g_steal_pointer (&task));
}

static void
call_read_next (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  g_input_stream_read_async (call->body, call->buffer, READ_BUFFER_SIZE,
                             G_PRIORITY_DEFAULT, call->cancellable,
                             on_read_cb, task);
}

static gboolean
content_type_is (SoupMessage *msg,
                 const char  *type)
{
  const char *ct = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL);

  return ct != NULL && g_ascii_strcasecmp (ct, type) == 0;
}

static void
on_send_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  call->body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->body == NULL)
    {
      call_return_error (task, map_io_error (call, error, FALSE));
      return;
    }

  call_enter_idle_phase (call);
  call_bump_idle_timer (call);

  status = soup_message_get_status (call->msg);
  if (call->pub.result != NULL)
    call->pub.result->http_status = status;

  call->buffer = g_malloc (READ_BUFFER_SIZE);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* 529 is Anthropic's "overloaded". */
      if (call->pub.result != NULL && (status == 429 || status == 503 || status == 529))
        call->pub.result->retry_after_ms = parse_retry_after (call->msg);
      call->mode = BODY_COLLECT;
      call->collect_limit = ERROR_BODY_LIMIT;
      call->collected = g_byte_array_new ();
    }
  else if (call->kind == WR_PROVIDER_CALL_MODELS || call->kind == WR_PROVIDER_CALL_JSON ||
           content_type_is (call->msg, "application/json"))
    {
      call->mode = BODY_COLLECT;
      call->collect_limit = JSON_BODY_LIMIT;
      call->collected = g_byte_array_new ();
    }
  else
    {
      call->mode = BODY_SSE;
      call->parser = wr_sse_parser_new (on_sse_event_cb, call);
      call->json = json_parser_new_immutable ();
    }

  call_read_next (g_steal_pointer (&task));
}

/* Request setup */

SoupSession *
_wr_provider_session_new (void)
{
  return soup_session_new_with_options ("user-agent", "Workroom/" WR_VERSION,
                                        "max-conns", 16,
                                        "max-conns-per-host", 6,
                                        "timeout", 0,
                                        "idle-timeout", 60,
                                        NULL);
}

static GTask *
call_new (WrProvider          *provider,
          WrProviderCallKind   kind,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;
  Call *call;

  task = g_task_new (provider, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  call = g_new0 (Call, 1);
  call->pub.provider = g_object_ref (provider);
  call->kind = kind;
  call->start_usec = g_get_monotonic_time ();
  call->cancellable = g_cancellable_new ();
  call->connect_phase = TRUE;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (kind == WR_PROVIDER_CALL_CHAT)
    {
      call->pub.result = wr_chat_result_new ();
      call->content = g_string_new (NULL);
    }

  return task;
}

void
_wr_provider_call_fail_early (WrProvider          *provider,
                              WrProviderCallKind   kind,
                              gpointer             source_tag,
                              GError              *error,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = call_new (provider, kind, source_tag, cancellable, callback, user_data);

  call_return_error (task, error);
}

void
_wr_provider_call_start (WrProvider               *provider,
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
                         gpointer                  user_data)
{
  const char *base_url = wr_provider_get_base_url (provider);
  SoupMessageHeaders *headers;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GTask) task = NULL;
  Call *call;

  task = call_new (provider, kind, source_tag, cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->protocol = protocol;
  call->delta_func = delta_func;
  call->delta_data = delta_data;

  if (base_url == NULL || base_url[0] == '\0')
    {
      call_return_error (task, g_error_new (WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION,
                                            "The provider has no base URL"));
      return;
    }

  url = g_strconcat (base_url, path, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      call_return_error (task, call_error (call, WR_PROVIDER_ERROR_CONNECTION,
                                           "Invalid base URL “%s”", base_url));
      return;
    }

  call->msg = soup_message_new_from_uri (method, uri);
  headers = soup_message_get_request_headers (call->msg);
  protocol->prepare_headers (provider, headers);
  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (call->msg, "application/json", body);
      soup_message_headers_replace (headers, "Accept", "text/event-stream, application/json");
    }
  else
    soup_message_headers_replace (headers, "Accept", "application/json");

  g_signal_connect (call->msg, "network-event", G_CALLBACK (on_msg_network_event_cb), call);
  g_signal_connect (call->msg, "wrote-headers", G_CALLBACK (on_msg_wrote_headers_cb), call);

  if (cancellable != NULL)
    {
      call->caller = g_object_ref (cancellable);
      call->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (on_caller_cancelled_cb),
                                                    g_object_ref (call->cancellable),
                                                    g_object_unref);
    }

  call_arm_timer (call, wr_provider_get_connect_timeout (provider));

  soup_session_send_async (_wr_provider_get_session (provider), call->msg, G_PRIORITY_DEFAULT,
                           call->cancellable, on_send_cb, g_steal_pointer (&task));
}

WrChatResult *
_wr_provider_call_chat_finish (WrProvider    *provider,
                               GAsyncResult  *result,
                               WrChatResult **partial,
                               GError       **error)
{
  GTask *task = G_TASK (result);
  Call *call;
  WrChatResult *ret;

  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  call = g_task_get_task_data (task);
  ret = g_task_propagate_pointer (task, error);
  if (partial != NULL)
    {
      if (ret == NULL && call != NULL && call->pub.result != NULL)
        *partial = g_steal_pointer (&call->pub.result);
      else if (ret == NULL)
        {
          /* Cancelled after success: GTask reports the cancellation, the
           * finished answer is lost to it; give back an empty partial. */
          *partial = wr_chat_result_new ();
        }
      else
        *partial = NULL;
    }

  return ret;
}

GPtrArray *
_wr_provider_call_models_finish (WrProvider    *provider,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
_wr_provider_call_json_finish (WrProvider    *provider,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Without HTTP (see wr-provider-private.h): the same decoding a response
 * read runs, for the fuzzers. */

WrProviderCall *
_wr_provider_call_new_offline (WrProvider               *provider,
                               const WrProviderProtocol *protocol,
                               WrChatDeltaFunc           delta_func,
                               gpointer                  delta_data)
{
  Call *call;

  g_return_val_if_fail (WR_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);

  call = g_new0 (Call, 1);
  call->pub.provider = g_object_ref (provider);
  call->protocol = protocol;
  call->kind = WR_PROVIDER_CALL_CHAT;
  call->start_usec = g_get_monotonic_time ();
  call->pub.result = wr_chat_result_new ();
  call->content = g_string_new (NULL);
  call->delta_func = delta_func;
  call->delta_data = delta_data;
  call->mode = BODY_SSE;
  call->parser = wr_sse_parser_new (on_sse_event_cb, call);
  call->json = json_parser_new_immutable ();
  return &call->pub;
}

void
_wr_provider_call_free_offline (WrProviderCall *call)
{
  if (call != NULL)
    call_free (CALL (call));
}

gboolean
_wr_provider_call_feed_sse (WrProviderCall  *call,
                            const char      *buf,
                            gsize            len,
                            GError         **error)
{
  g_return_val_if_fail (call != NULL && call->result != NULL, FALSE);

  return call_feed_sse (CALL (call), buf, len, error);
}

WrChatResult *
_wr_provider_call_end_sse (WrProviderCall  *call,
                           GError         **error)
{
  GError *local_error;

  g_return_val_if_fail (call != NULL && call->result != NULL, NULL);

  if ((local_error = call_end_sse (CALL (call))) != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return call_take_chat_result (CALL (call));
}

WrChatResult *
_wr_provider_call_parse_whole (WrProviderCall  *call,
                               const char      *body,
                               gsize            len,
                               GError         **error)
{
  Call *self = CALL (call);
  GError *local_error;

  g_return_val_if_fail (call != NULL && call->result != NULL, NULL);

  g_clear_pointer (&self->collected, g_byte_array_unref);
  self->collected = g_byte_array_sized_new (len);
  g_byte_array_append (self->collected, (const guint8 *) body, len);
  if ((local_error = chat_parse_whole (self)) != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return call_take_chat_result (self);
}

char *
_wr_provider_error_body_message (const char *body,
                                 gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;

  if (len > 0 && json_parser_load_from_data (parser, body, len, NULL))
    root = json_parser_get_root (parser);
  return extract_error_message (root, body, len);
}
