/* wr-openai-provider.c — OpenAI chat completions over libsoup 3.
 *
 * One request is a Call (the GTask's data): send the message, then read the
 * body incrementally into either the SSE parser (streaming answers) or a
 * bounded buffer (errors, plain JSON answers, model lists).
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
#include "wr-openai-provider.h"
#include "wr-provider-private.h"
#include "wr-sse-parser.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#ifndef WR_VERSION
# define WR_VERSION "0"
#endif

#define READ_BUFFER_SIZE   (16 * 1024)
#define ERROR_BODY_LIMIT   (64 * 1024)
#define JSON_BODY_LIMIT    (WR_SSE_DEFAULT_MAX_EVENT_SIZE)

struct _WrOpenAIProvider
{
  WrProvider   parent_instance;
  SoupSession *session;   /* created on first use, on the caller's thread */
};

G_DEFINE_FINAL_TYPE (WrOpenAIProvider, wr_openai_provider, WR_TYPE_PROVIDER)

typedef enum {
  CALL_CHAT,
  CALL_MODELS,
} CallKind;

typedef enum {
  BODY_SSE,       /* feed the SSE parser */
  BODY_COLLECT,   /* collect into call->collected, up to collect_limit */
} BodyMode;

typedef struct
{
  WrOpenAIProvider *self;          /* owned */
  CallKind          kind;
  SoupMessage      *msg;           /* owned */
  GInputStream     *body;          /* owned, nullable */
  GCancellable     *cancellable;   /* internal, owned */
  GCancellable     *caller;        /* owned, nullable */
  gulong            caller_handler;
  GSource          *timer;         /* owned, nullable */
  gint64            timer_usec;
  gboolean          timed_out;
  gboolean          connect_phase;
  gint64            start_usec;

  BodyMode          mode;
  guint8           *buffer;
  GByteArray       *collected;
  gsize             collect_limit;
  gboolean          truncated;

  /* chat */
  WrSseParser      *parser;
  JsonParser       *json;
  GString          *content;
  WrChatResult     *result;
  WrChatDeltaFunc   delta_func;
  gpointer          delta_data;
  gboolean          done;          /* [DONE] seen */
  GError           *event_error;   /* error payload or bad JSON in the stream */
} Call;

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
  g_clear_pointer (&call->result, wr_chat_result_free);
  g_clear_error (&call->event_error);
  g_clear_object (&call->self);
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
  call_arm_timer (call, wr_provider_get_idle_timeout (WR_PROVIDER (call->self)));
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

/* Errors */

static GError *
provider_error (Call       *call,
                int         code,
                const char *format,
                ...) G_GNUC_PRINTF (3, 4);

static GError *
provider_error (Call       *call,
                int         code,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  redacted = _wr_provider_redact (WR_PROVIDER (call->self), text);
  return g_error_new_literal (WR_PROVIDER_ERROR, code, redacted);
}

/* Maps an error from soup/GIO; @received says whether any of the response
 * had arrived. */
static GError *
map_io_error (Call         *call,
              const GError *error,
              gboolean      received)
{
  const char *base_url = wr_provider_get_base_url (WR_PROVIDER (call->self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (call->timed_out)
        {
          if (call->connect_phase)
            return provider_error (call, WR_PROVIDER_ERROR_TIMEOUT,
                                   "Timed out connecting to %s after %u s", base_url,
                                   wr_provider_get_connect_timeout (WR_PROVIDER (call->self)));
          return provider_error (call, WR_PROVIDER_ERROR_TIMEOUT,
                                 "No data from %s for %u s", base_url,
                                 wr_provider_get_idle_timeout (WR_PROVIDER (call->self)));
        }
      return g_error_copy (error);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return provider_error (call, WR_PROVIDER_ERROR_TIMEOUT, "%s: %s", base_url, error->message);

  if (received)
    return provider_error (call, WR_PROVIDER_ERROR_INTERRUPTED,
                           "Connection to %s lost: %s", base_url, error->message);

  if (error->domain == SOUP_SESSION_ERROR)
    return provider_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                           "Bad HTTP response from %s: %s", base_url, error->message);

  return provider_error (call, WR_PROVIDER_ERROR_CONNECTION,
                         "Could not connect to %s: %s", base_url, error->message);
}

/* JSON helpers */

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
object_get_array (JsonObject *object,
                  const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gint64
object_get_int (JsonObject *object,
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

/* The message of an error body: {"error":{"message":…}}, {"error":"…"}
 * (Ollama), {"message":…}, else the start of the body. (transfer full) */
static char *
extract_error_message (const char *body,
                       gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (len > 0 && json_parser_load_from_data (parser, body, len, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      JsonObject *error = object_get_object (object, "error");
      const char *message;

      if ((message = object_get_string (error, "message")) != NULL ||
          (message = object_get_string (object, "error")) != NULL ||
          (message = object_get_string (object, "message")) != NULL ||
          (message = object_get_string (object, "detail")) != NULL)
        return g_strdup (message);
    }

  if (len > 0 && g_utf8_validate (body, len, NULL))
    {
      g_autofree char *text = g_strndup (body, MIN (len, 300));
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

static GError *
map_http_error (Call *call)
{
  guint status = soup_message_get_status (call->msg);
  g_autofree char *message = NULL;
  int code;

  if (call->collected != NULL)
    message = extract_error_message ((const char *) call->collected->data, call->collected->len);
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

  if (status == 401 || status == 403)
    code = WR_PROVIDER_ERROR_AUTH;
  else if (status == 404)
    code = WR_PROVIDER_ERROR_MODEL_NOT_FOUND;
  else if (status == 429)
    code = WR_PROVIDER_ERROR_RATE_LIMITED;
  else if (status >= 500)
    code = WR_PROVIDER_ERROR_SERVER;
  else if (status >= 400)
    code = WR_PROVIDER_ERROR_BAD_REQUEST;
  else
    code = WR_PROVIDER_ERROR_PROTOCOL;

  return provider_error (call, code, "HTTP %u: %s", status, message ? message : "");
}

/* Completion */

static void
call_return_error (GTask  *task,
                   GError *error)
{
  Call *call = g_task_get_task_data (task);

  call_stop_timer (call);
  if (call->result != NULL)
    {
      call->result->latency_ms = elapsed_ms (call);
      if (call->content != NULL)
        {
          g_free (call->result->content);
          call->result->content = g_strndup (call->content->str, call->content->len);
        }
      if (error->domain == WR_PROVIDER_ERROR)
        _wr_provider_error_set_retry_after (error, call->result->retry_after_ms);
    }

  g_task_return_error (task, error);
}

static void
call_return_chat_result (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  WrChatResult *result = g_steal_pointer (&call->result);

  call_stop_timer (call);
  result->latency_ms = elapsed_ms (call);
  g_free (result->content);
  result->content = g_string_free (g_steal_pointer (&call->content), FALSE);
  call->content = g_string_new (NULL);

  g_task_return_pointer (task, result, (GDestroyNotify) wr_chat_result_free);
}

/* Chat payloads */

static void
chat_add_text (Call       *call,
               const char *text)
{
  gsize len = strlen (text);

  if (len == 0)
    return;

  if (call->result->first_token_ms < 0)
    call->result->first_token_ms = elapsed_ms (call);
  g_string_append_len (call->content, text, len);
  if (call->delta_func != NULL)
    call->delta_func (text, len, call->delta_data);
}

static void
chat_take_usage (Call       *call,
                 JsonObject *usage)
{
  if (usage == NULL)
    return;
  call->result->input_tokens = object_get_int (usage, "prompt_tokens", call->result->input_tokens);
  call->result->output_tokens = object_get_int (usage, "completion_tokens", call->result->output_tokens);
}

static void
chat_take_model (Call       *call,
                 JsonObject *object)
{
  const char *model = object_get_string (object, "model");

  if (model != NULL && call->result->model == NULL)
    call->result->model = g_strdup (model);
}

static void
chat_take_finish_reason (Call       *call,
                         JsonObject *choice)
{
  const char *reason = object_get_string (choice, "finish_reason");

  if (reason != NULL)
    {
      g_free (call->result->finish_reason);
      call->result->finish_reason = g_strdup (reason);
    }
}

/* Returns FALSE when the payload is an error. */
static gboolean
chat_check_error (Call       *call,
                  JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "error");
  g_autofree char *message = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    message = g_strdup (object_get_string (json_node_get_object (node), "message"));
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    message = g_strdup (json_node_get_string (node));

  g_clear_error (&call->event_error);
  call->event_error = provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "%s",
                                      message ? message : "error in stream");
  return FALSE;
}

static gboolean
on_sse_event_cb (const char *event,
                 const char *data,
                 gsize       data_len,
                 const char *id,
                 gpointer    user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *choices;

  if (data_len == 6 && memcmp (data, "[DONE]", 6) == 0)
    {
      call->done = TRUE;
      return FALSE;
    }

  if (!json_parser_load_from_data (call->json, data, data_len, &error))
    {
      call->event_error = provider_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                          "Malformed stream data: %s", error->message);
      return FALSE;
    }

  root = json_parser_get_root (call->json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      call->event_error = provider_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                          "Stream data is not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);

  if (!chat_check_error (call, object))
    return FALSE;
  /* Some servers (vLLM) name the error in the SSE event field. */
  if (g_strcmp0 (event, "error") == 0)
    {
      call->event_error = provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "%.*s",
                                          (int) MIN (data_len, 300), data);
      return FALSE;
    }

  chat_take_model (call, object);
  chat_take_usage (call, object_get_object (object, "usage"));

  choices = object_get_array (object, "choices");
  if (choices != NULL && json_array_get_length (choices) > 0)
    {
      JsonNode *first = json_array_get_element (choices, 0);
      JsonObject *choice = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
      JsonObject *delta = object_get_object (choice, "delta");
      const char *text = object_get_string (delta, "content");

      if (text == NULL)
        /* Legacy completions-style chunks. */
        text = object_get_string (choice, "text");
      if (text != NULL)
        chat_add_text (call, text);
      chat_take_finish_reason (call, choice);
    }

  return TRUE;
}

/* A server that ignored "stream": one JSON completion. */
static GError *
chat_parse_whole (Call *call)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *choices;

  if (!json_parser_load_from_data (parser, (const char *) call->collected->data,
                                   call->collected->len, &error))
    return provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Malformed JSON answer: %s",
                           error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer is not a JSON object");
  object = json_node_get_object (root);

  if (!chat_check_error (call, object))
    return g_steal_pointer (&call->event_error);

  chat_take_model (call, object);
  chat_take_usage (call, object_get_object (object, "usage"));
  choices = object_get_array (object, "choices");
  if (choices == NULL || json_array_get_length (choices) == 0)
    return provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Answer has no choices");

  {
    JsonNode *first = json_array_get_element (choices, 0);
    JsonObject *choice = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
    JsonObject *message = object_get_object (choice, "message");
    const char *text = object_get_string (message, "content");

    if (text == NULL)
      text = object_get_string (choice, "text");
    if (text != NULL)
      chat_add_text (call, text);
    chat_take_finish_reason (call, choice);
  }

  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GError *
models_parse (Call       *call,
              GPtrArray **out_models)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonObject *object;
  JsonArray *data;
  const char *id_member = "id";

  if (!json_parser_load_from_data (parser, (const char *) call->collected->data,
                                   call->collected->len, &error))
    return provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "Malformed model list: %s",
                           error->message);

  root = json_parser_get_root (parser);
  object = (root && JSON_NODE_HOLDS_OBJECT (root)) ? json_node_get_object (root) : NULL;
  data = object_get_array (object, "data");
  if (data == NULL && (data = object_get_array (object, "models")) != NULL)
    id_member = "name";   /* Ollama's native /api/tags shape */
  if (data == NULL)
    return provider_error (call, WR_PROVIDER_ERROR_PROTOCOL, "The model list has no “data” array");

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = object_get_string (json_node_get_object (node), id_member);
      if (id == NULL || id[0] == '\0' || g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      g_ptr_array_add (models, g_strdup (id));
    }

  g_ptr_array_sort (models, compare_strings);
  *out_models = g_steal_pointer (&models);
  return NULL;
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
      call_return_error (task, provider_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                               "Answer larger than %" G_GSIZE_FORMAT " bytes",
                                               call->collect_limit));
      return;
    }

  if (call->kind == CALL_MODELS)
    {
      GPtrArray *models = NULL;

      call_stop_timer (call);
      if ((error = models_parse (call, &models)) != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, models, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if ((error = chat_parse_whole (call)) != NULL)
    call_return_error (task, error);
  else
    call_return_chat_result (task);
}

/* End of a streamed body. */
static void
call_sse_complete (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  wr_sse_parser_finish (call->parser);

  if (call->event_error != NULL)
    call_return_error (task, g_steal_pointer (&call->event_error));
  else if (call->done || call->result->finish_reason != NULL)
    call_return_chat_result (task);
  else
    call_return_error (task, provider_error (call, WR_PROVIDER_ERROR_INTERRUPTED,
                                             "The stream from %s ended before the answer was complete",
                                             wr_provider_get_base_url (WR_PROVIDER (call->self))));
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
      /* After a complete answer (finish_reason seen), a read error is
       * only the connection going away early; the answer stands. */
      if (call->mode == BODY_SSE && call->result != NULL && call->result->finish_reason != NULL &&
          call->event_error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
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
      if (!wr_sse_parser_feed (call->parser, (const char *) call->buffer, n, &error))
        {
          call_return_error (task, provider_error (call, WR_PROVIDER_ERROR_PROTOCOL,
                                                   "%s", error->message));
          return;
        }
      if (call->event_error != NULL)
        {
          call_return_error (task, g_steal_pointer (&call->event_error));
          return;
        }
      if (call->done)
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
  if (call->result != NULL)
    call->result->http_status = status;

  call->buffer = g_malloc (READ_BUFFER_SIZE);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (call->result != NULL && (status == 429 || status == 503))
        call->result->retry_after_ms = parse_retry_after (call->msg);
      call->mode = BODY_COLLECT;
      call->collect_limit = ERROR_BODY_LIMIT;
      call->collected = g_byte_array_new ();
    }
  else if (call->kind == CALL_MODELS || content_type_is (call->msg, "application/json"))
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

static SoupSession *
ensure_session (WrOpenAIProvider *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "Workroom/" WR_VERSION,
                                                   "max-conns", 16,
                                                   "max-conns-per-host", 6,
                                                   "timeout", 0,
                                                   "idle-timeout", 60,
                                                   NULL);
  return self->session;
}

static GTask *
call_start (WrOpenAIProvider *self,
            CallKind          kind,
            gpointer          source_tag,
            const char       *method,
            const char       *path,
            GBytes           *body,
            GCancellable     *cancellable,
            GAsyncReadyCallback callback,
            gpointer          user_data,
            GError          **error)
{
  WrProvider *provider = WR_PROVIDER (self);
  const char *base_url = wr_provider_get_base_url (provider);
  const char *api_key = wr_provider_get_api_key (provider);
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTask) task = NULL;
  Call *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  call = g_new0 (Call, 1);
  call->self = g_object_ref (self);
  call->kind = kind;
  call->start_usec = g_get_monotonic_time ();
  call->cancellable = g_cancellable_new ();
  call->connect_phase = TRUE;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (kind == CALL_CHAT)
    {
      call->result = wr_chat_result_new ();
      call->content = g_string_new (NULL);
    }

  if (base_url == NULL || base_url[0] == '\0')
    {
      g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION,
                   "The provider has no base URL");
      return g_steal_pointer (&task);
    }

  url = g_strconcat (base_url, path, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION,
                   "Invalid base URL “%s”", base_url);
      return g_steal_pointer (&task);
    }

  call->msg = soup_message_new_from_uri (method, uri);
  if (api_key != NULL && api_key[0] != '\0')
    {
      g_autofree char *auth = g_strconcat ("Bearer ", api_key, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                    "Authorization", auth);
    }
  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (call->msg, "application/json", body);
      soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                    "Accept", "text/event-stream, application/json");
    }
  else
    soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                  "Accept", "application/json");

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

  soup_session_send_async (ensure_session (self), call->msg, G_PRIORITY_DEFAULT,
                           call->cancellable, on_send_cb, g_object_ref (task));

  return g_steal_pointer (&task);
}

static GBytes *
build_chat_body (WrChatRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len;
  char *text;

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
      json_builder_add_string_value (builder, wr_message_get_content (message));
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

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  return g_bytes_new_take (text, len);
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
  WrOpenAIProvider *self = WR_OPENAI_PROVIDER (provider);
  g_autoptr(GBytes) body = build_chat_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Call *call;

  task = call_start (self, CALL_CHAT, wr_openai_provider_stream_chat_async,
                     SOUP_METHOD_POST, "/chat/completions", body,
                     cancellable, callback, user_data, &error);
  call = g_task_get_task_data (task);
  call->delta_func = delta_func;
  call->delta_data = delta_data;

  if (error != NULL)
    call_return_error (task, g_steal_pointer (&error));
}

static WrChatResult *
wr_openai_provider_stream_chat_finish (WrProvider    *provider,
                                       GAsyncResult  *result,
                                       WrChatResult **partial,
                                       GError       **error)
{
  GTask *task = G_TASK (result);
  Call *call = g_task_get_task_data (task);
  WrChatResult *ret;

  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  ret = g_task_propagate_pointer (task, error);
  if (partial != NULL)
    {
      if (ret == NULL && call != NULL && call->result != NULL)
        *partial = g_steal_pointer (&call->result);
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

static void
wr_openai_provider_list_models_async (WrProvider          *provider,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  task = call_start (WR_OPENAI_PROVIDER (provider), CALL_MODELS,
                     wr_openai_provider_list_models_async,
                     SOUP_METHOD_GET, "/models", NULL,
                     cancellable, callback, user_data, &error);
  if (error != NULL)
    call_return_error (task, g_steal_pointer (&error));
}

static GPtrArray *
wr_openai_provider_list_models_finish (WrProvider    *provider,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
wr_openai_provider_dispose (GObject *object)
{
  WrOpenAIProvider *self = WR_OPENAI_PROVIDER (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_openai_provider_parent_class)->dispose (object);
}

static void
wr_openai_provider_class_init (WrOpenAIProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  WrProviderClass *provider_class = WR_PROVIDER_CLASS (klass);

  object_class->dispose = wr_openai_provider_dispose;

  provider_class->stream_chat_async = wr_openai_provider_stream_chat_async;
  provider_class->stream_chat_finish = wr_openai_provider_stream_chat_finish;
  provider_class->list_models_async = wr_openai_provider_list_models_async;
  provider_class->list_models_finish = wr_openai_provider_list_models_finish;
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
