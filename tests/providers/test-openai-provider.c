/* test-openai-provider.c — WrOpenAIProvider against the in-process mock
 * OpenAI server (real HTTP on 127.0.0.1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "providers/wr-openai-provider.h"
#include "store/wr-message.h"
#include "wr-mock-server.h"

#define TEST_KEY "test-secret-key-123"

typedef struct
{
  WrMockServer *mock;
  WrProvider   *provider;
} Fixture;

typedef struct
{
  GAsyncResult *result;
  GString      *deltas;
  guint         n_deltas;
  GCancellable *cancel_after;   /* cancelled when n_deltas reaches cancel_at */
  guint         cancel_at;
} Wait;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->mock = wr_mock_server_new ();
  f->provider = wr_openai_provider_new ("test", "Mock", wr_mock_server_get_url (f->mock),
                                        NULL, WR_PROVIDER_SOURCE_STORED);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->provider);
  g_clear_object (&f->mock);
  /* Let pending closes and soup cleanups run before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_delta_cb (const char *text,
             gsize       len,
             gpointer    user_data)
{
  Wait *w = user_data;

  g_assert_cmpuint (strlen (text), ==, len);
  g_assert_cmpuint (len, >, 0);
  g_string_append_len (w->deltas, text, len);
  w->n_deltas++;
  if (w->cancel_after != NULL && w->n_deltas == w->cancel_at)
    g_cancellable_cancel (w->cancel_after);
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  g_assert_null (w->result);
  w->result = g_object_ref (result);
}

static void
wait_for (Wait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static WrChatRequest *
make_request (const char *model,
              const char *user_text)
{
  WrChatRequest *request = wr_chat_request_new (model);
  g_autoptr(WrMessage) system = wr_message_new ("system", "You are terse.");
  g_autoptr(WrMessage) user = wr_message_new ("user", user_text);

  wr_chat_request_add (request, system);
  wr_chat_request_add (request, user);
  return request;
}

/* Runs one chat; returns the result or NULL with @error and @partial. */
static WrChatResult *
run_chat (Fixture       *f,
          const char    *model,
          GCancellable  *cancellable,
          guint          cancel_at,
          Wait          *w,
          WrChatResult **partial,
          GError       **error)
{
  g_autoptr(WrChatRequest) request = make_request (model, "hello there world");
  WrChatResult *result;

  memset (w, 0, sizeof *w);
  w->deltas = g_string_new (NULL);
  w->cancel_after = cancellable;
  w->cancel_at = cancel_at;

  wr_provider_stream_chat_async (f->provider, request, on_delta_cb, w, cancellable, on_done_cb, w);
  wait_for (w);
  result = wr_provider_stream_chat_finish (f->provider, w->result, partial, error);
  g_clear_object (&w->result);
  return result;
}

static void
wait_clear (Wait *w)
{
  g_string_free (w->deltas, TRUE);
}

/* Checks that neither the error nor its description leak @key. */
static void
assert_no_key (Fixture      *f,
               const GError *error,
               const char   *key)
{
  g_autofree char *described = wr_provider_describe_error (f->provider, error);

  g_assert_nonnull (described);
  g_assert_cmpstr (described, !=, "");
  g_assert_null (strstr (error->message, key));
  g_assert_null (strstr (described, key));
}

static void
test_stream_echo (Fixture       *f,
                  gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;
  JsonArray *messages;

  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_null (partial);

  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_assert_cmpstr (w.deltas->str, ==, result->content);
  g_assert_cmpuint (w.n_deltas, >=, 3);
  g_assert_cmpstr (result->model, ==, "mock-echo");
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpuint (result->http_status, ==, 200);
  /* 3 words of system prompt + 3 of user text; one token per chunk. */
  g_assert_cmpint (result->input_tokens, ==, 6);
  g_assert_cmpint (result->output_tokens, ==, w.n_deltas);
  g_assert_cmpint (result->retry_after_ms, ==, -1);
  g_assert_cmpint (result->first_token_ms, >=, 0);
  g_assert_cmpint (result->latency_ms, >=, result->first_token_ms);

  /* What went over the wire. */
  g_assert_cmpstr (wr_mock_server_get_last_method (f->mock), ==, "POST");
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==, "/v1/chat/completions");
  g_assert_null (wr_mock_server_get_last_header (f->mock, "Authorization"));
  g_assert_true (g_str_has_prefix (wr_mock_server_get_last_header (f->mock, "User-Agent"), "Workroom/"));
  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (f->mock), -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "mock-echo");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (body, "stream_options"),
                                                 "include_usage"));
  g_assert_false (json_object_has_member (body, "temperature"));
  g_assert_false (json_object_has_member (body, "max_tokens"));
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==,
                   "hello there world");
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mock), ==, 1);

  wait_clear (&w);
}

static void
test_request_options (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WrChatRequest) request = make_request ("mock-echo", "options");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0, };
  JsonObject *body;

  request->temperature = 0.5;
  request->max_tokens = 42;
  w.deltas = g_string_new (NULL);
  wr_provider_stream_chat_async (f->provider, request, NULL, NULL, NULL, on_done_cb, &w);
  wait_for (&w);
  result = wr_provider_stream_chat_finish (f->provider, w.result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "options");

  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (f->mock), -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 42);

  g_clear_object (&w.result);
  wait_clear (&w);
}

static void
test_stream_markdown (Fixture       *f,
                      gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;

  result = run_chat (f, "mock-markdown", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_MARKDOWN_TEXT);
  g_assert_cmpstr (w.deltas->str, ==, WR_MOCK_MARKDOWN_TEXT);
  g_assert_cmpint (result->output_tokens, >, 5);
  wait_clear (&w);
}

static void
test_no_usage (Fixture       *f,
               gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;

  result = run_chat (f, "mock-nousage", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_assert_cmpint (result->input_tokens, ==, -1);
  g_assert_cmpint (result->output_tokens, ==, -1);
  wait_clear (&w);
}

static void
test_non_streaming_json (Fixture       *f,
                         gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;

  result = run_chat (f, "mock-nostream", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_assert_cmpstr (w.deltas->str, ==, result->content);
  g_assert_cmpuint (w.n_deltas, ==, 1);
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpint (result->input_tokens, ==, 6);
  g_assert_cmpint (result->output_tokens, >, 0);
  wait_clear (&w);
}

static void
test_api_key (Fixture       *f,
              gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autofree char *described = NULL;

  wr_mock_server_set_api_key (f->mock, TEST_KEY);

  /* No key: no header, AUTH, and the advice is to add one. */
  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_null (wr_mock_server_get_last_header (f->mock, "Authorization"));
  g_assert_nonnull (partial);
  g_assert_cmpuint (partial->http_status, ==, 401);
  g_assert_cmpstr (partial->content, ==, "");
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, "Preferences"));
  g_clear_error (&error);
  g_clear_pointer (&partial, wr_chat_result_free);
  wait_clear (&w);

  /* Right key: sent as a bearer token. */
  wr_provider_set_api_key (f->provider, TEST_KEY);
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "Authorization"), ==, "Bearer " TEST_KEY);
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_clear_pointer (&result, wr_chat_result_free);
  wait_clear (&w);

  /* Wrong key: the server echoes it, we must not. */
  wr_provider_set_api_key (f->provider, "wrong-key-abcdef-999");
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Incorrect API key"));
  assert_no_key (f, error, "wrong-key-abcdef-999");
  g_clear_error (&error);
  wait_clear (&w);

  /* An sk- key is caught by the generic redaction too. */
  wr_provider_set_api_key (f->provider, "sk-proj-ABCDEF1234567890");
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  assert_no_key (f, error, "ABCDEF1234567890");
  g_clear_error (&error);
  wait_clear (&w);

  /* Setting "" means no key. */
  wr_provider_set_api_key (f->provider, "");
  g_assert_null (wr_provider_get_api_key (f->provider));
}

typedef struct
{
  const char *model;
  int         code;
  guint       status;
  const char *in_message;
} HttpErrorCase;

static const HttpErrorCase http_errors[] = {
  { "mock-401", WR_PROVIDER_ERROR_AUTH, 401, "Incorrect API key" },
  { "mock-404", WR_PROVIDER_ERROR_MODEL_NOT_FOUND, 404, "mock-404" },
  { "no-such-model", WR_PROVIDER_ERROR_MODEL_NOT_FOUND, 404, "no-such-model" },
  { "mock-429", WR_PROVIDER_ERROR_RATE_LIMITED, 429, "Rate limit" },
  { "mock-500", WR_PROVIDER_ERROR_SERVER, 500, "server had an error" },
};

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  wr_provider_set_api_key (f->provider, "unused-but-secret-key-xyz");

  for (guint i = 0; i < G_N_ELEMENTS (http_errors); i++)
    {
      const HttpErrorCase *tc = &http_errors[i];
      Wait w;
      g_autoptr(GError) error = NULL;
      g_autoptr(WrChatResult) result = NULL;
      g_autoptr(WrChatResult) partial = NULL;
      g_autofree char *described = NULL;

      result = run_chat (f, tc->model, NULL, 0, &w, &partial, &error);
      g_assert_null (result);
      g_assert_error (error, WR_PROVIDER_ERROR, tc->code);
      g_assert_nonnull (strstr (error->message, tc->in_message));
      g_assert_nonnull (partial);
      g_assert_cmpuint (partial->http_status, ==, tc->status);
      g_assert_cmpuint (w.n_deltas, ==, 0);
      assert_no_key (f, error, "unused-but-secret-key-xyz");

      described = wr_provider_describe_error (f->provider, error);
      if (tc->code == WR_PROVIDER_ERROR_RATE_LIMITED)
        {
          g_assert_cmpint (partial->retry_after_ms, ==, 1000);
          g_assert_nonnull (strstr (described, "1 second"));
        }
      else
        g_assert_cmpint (partial->retry_after_ms, ==, -1);
      if (tc->code == WR_PROVIDER_ERROR_MODEL_NOT_FOUND)
        g_assert_nonnull (strstr (described, "model"));
      wait_clear (&w);
    }
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autofree char *described = NULL;

  result = run_chat (f, "mock-drop", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_INTERRUPTED);
  g_assert_nonnull (partial);
  g_assert_cmpstr (partial->content, ==, WR_MOCK_DROP_TEXT);
  g_assert_cmpstr (w.deltas->str, ==, WR_MOCK_DROP_TEXT);
  g_assert_cmpuint (partial->http_status, ==, 200);
  g_assert_null (partial->finish_reason);
  g_assert_cmpint (partial->first_token_ms, >=, 0);
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, "partial"));
  wait_clear (&w);
}

static void
test_stall_timeout (Fixture       *f,
                    gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  wr_provider_set_idle_timeout (f->provider, 1);
  result = run_chat (f, "mock-stall", NULL, 0, &w, &partial, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed_ms, >=, 900);
  g_assert_cmpint (elapsed_ms, <, 3000);
  g_assert_cmpstr (partial->content, ==, WR_MOCK_STALL_TEXT);
  wait_clear (&w);
}

/* A server that accepts TCP connections (kernel backlog) but never
 * answers: the idle timer must cover the wait for response headers. */
static void
test_no_response_timeout (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autofree char *url = NULL;
  gint64 start = g_get_monotonic_time ();
  guint16 port;
  Wait w;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  wr_provider_set_base_url (f->provider, url);
  wr_provider_set_idle_timeout (f->provider, 1);

  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_TIMEOUT);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 3000);
  g_socket_listener_close (listener);
  wait_clear (&w);
}

static void
test_error_event (Fixture       *f,
                  gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autofree char *described = NULL;

  result = run_chat (f, "mock-error-event", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, WR_MOCK_ERROR_EVENT_MESSAGE));
  g_assert_cmpstr (partial->content, ==, WR_MOCK_ERROR_EVENT_TEXT);
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, WR_MOCK_ERROR_EVENT_MESSAGE));
  wait_clear (&w);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  Wait w;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline;

  result = run_chat (f, "mock-long", cancellable, 3, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (partial);
  g_assert_cmpstr (partial->content, ==, w.deltas->str);
  g_assert_true (g_str_has_prefix (partial->content, "Line 1 of a long answer.\n"));
  g_assert_cmpuint (w.n_deltas, ==, 3);
  /* mock-long takes 3 s; stopping must be prompt. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 1500);

  /* The server sees the connection go away. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (wr_mock_server_get_open_streams (f->mock) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (wr_mock_server_get_open_streams (f->mock), ==, 0);
  wait_clear (&w);
}

static void
test_cancel_before_start (Fixture       *f,
                          gconstpointer  data)
{
  Wait w;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;

  g_cancellable_cancel (cancellable);
  result = run_chat (f, "mock-echo", cancellable, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (partial);
  g_assert_cmpstr (partial->content, ==, "");
  wait_clear (&w);
}

static char *
free_port_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u/v1", port);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = free_port_url ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) list_error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *described = NULL;
  Wait w;

  wr_provider_set_base_url (f->provider, url);
  wr_provider_set_api_key (f->provider, "refused-secret-key-42");
  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION);
  g_assert_cmpuint (partial->http_status, ==, 0);
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, url));
  assert_no_key (f, error, "refused-secret-key-42");
  wait_clear (&w);

  memset (&w, 0, sizeof w);
  wr_provider_list_models_async (f->provider, NULL, on_done_cb, &w);
  wait_for (&w);
  models = wr_provider_list_models_finish (f->provider, w.result, &list_error);
  g_assert_null (models);
  g_assert_error (list_error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION);
  g_clear_object (&w.result);
}

static void
test_bad_base_url (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  Wait w;

  wr_provider_set_base_url (f->provider, "not a url");
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION);
  wait_clear (&w);
}

static void
test_list_models (Fixture       *f,
                  gconstpointer  data)
{
  Wait w = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  wr_mock_server_set_api_key (f->mock, TEST_KEY);

  /* Trailing slash on the base URL is ignored. */
  {
    g_autofree char *url = g_strconcat (wr_mock_server_get_url (f->mock), "/", NULL);
    wr_provider_set_base_url (f->provider, url);
    g_assert_cmpstr (wr_provider_get_base_url (f->provider), ==, wr_mock_server_get_url (f->mock));
  }

  wr_provider_list_models_async (f->provider, NULL, on_done_cb, &w);
  wait_for (&w);
  models = wr_provider_list_models_finish (f->provider, w.result, &error);
  g_assert_null (models);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_clear_error (&error);
  g_clear_object (&w.result);

  wr_provider_set_api_key (f->provider, TEST_KEY);
  wr_provider_list_models_async (f->provider, NULL, on_done_cb, &w);
  wait_for (&w);
  models = wr_provider_list_models_finish (f->provider, w.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (models);
  g_assert_cmpuint (models->len, ==, 13);   /* 12 chat models + mock-embed */
  for (guint i = 1; i < models->len; i++)
    g_assert_cmpint (strcmp (g_ptr_array_index (models, i - 1), g_ptr_array_index (models, i)), <, 0);
  g_assert_true (g_ptr_array_find_with_equal_func (models, "mock-echo", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (models, "mock-long", g_str_equal, NULL));
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==, "/v1/models");
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "Authorization"), ==, "Bearer " TEST_KEY);
  g_assert_cmpuint (wr_mock_server_get_models_count (f->mock), ==, 2);
  g_clear_object (&w.result);
}

static void
test_properties (void)
{
  g_autoptr(WrProvider) provider = wr_openai_provider_new ("env-openai", "OpenAI",
                                                           WR_OPENAI_DEFAULT_BASE_URL "//",
                                                           "sk-abc", WR_PROVIDER_SOURCE_ENVIRONMENT);
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;

  g_assert_cmpstr (wr_provider_get_id (provider), ==, "env-openai");
  g_assert_cmpstr (wr_provider_get_name (provider), ==, "OpenAI");
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "openai");
  g_assert_cmpstr (wr_provider_get_base_url (provider), ==, WR_OPENAI_DEFAULT_BASE_URL);
  g_assert_cmpstr (wr_provider_get_api_key (provider), ==, "sk-abc");
  g_assert_cmpint (wr_provider_get_source (provider), ==, WR_PROVIDER_SOURCE_ENVIRONMENT);
  g_assert_cmpuint (wr_provider_get_connect_timeout (provider), ==, 15);
  g_assert_cmpuint (wr_provider_get_idle_timeout (provider), ==, 60);
  g_assert_null (wr_provider_get_default_model (provider));
  wr_provider_set_default_model (provider, "gpt-4o-mini");
  g_assert_cmpstr (wr_provider_get_default_model (provider), ==, "gpt-4o-mini");

  /* Every code has advice, and none repeats the key. */
  for (int code = WR_PROVIDER_ERROR_FAILED; code <= WR_PROVIDER_ERROR_PROTOCOL; code++)
    {
      g_autoptr(GError) e = g_error_new (WR_PROVIDER_ERROR, code, "server said sk-abc is wrong");
      g_autofree char *text = wr_provider_describe_error (provider, e);

      g_assert_nonnull (text);
      g_assert_cmpuint (strlen (text), >, 10);
      g_assert_null (strstr (text, "sk-abc"));
    }

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  described = wr_provider_describe_error (provider, error);
  g_assert_nonnull (described);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/providers/openai/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/providers/openai/properties", test_properties);
  ADD ("stream-echo", test_stream_echo);
  ADD ("request-options", test_request_options);
  ADD ("stream-markdown", test_stream_markdown);
  ADD ("no-usage", test_no_usage);
  ADD ("non-streaming-json", test_non_streaming_json);
  ADD ("api-key", test_api_key);
  ADD ("http-errors", test_http_errors);
  ADD ("drop", test_drop);
  ADD ("stall-timeout", test_stall_timeout);
  ADD ("no-response-timeout", test_no_response_timeout);
  ADD ("error-event", test_error_event);
  ADD ("cancel", test_cancel);
  ADD ("cancel-before-start", test_cancel_before_start);
  ADD ("connection-refused", test_connection_refused);
  ADD ("bad-base-url", test_bad_base_url);
  ADD ("list-models", test_list_models);

#undef ADD

  return g_test_run ();
}
