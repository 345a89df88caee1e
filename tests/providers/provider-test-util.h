/* provider-test-util.h — what the protocol tests (Anthropic, Gemini) share:
 * running one chat against the in-process mock and collecting deltas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

#include "providers/wr-provider.h"
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

static inline void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->provider);
  g_clear_object (&f->mock);
  /* Let pending closes and soup cleanups run before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static inline void
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

static inline void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  g_assert_null (w->result);
  w->result = g_object_ref (result);
}

static inline void
wait_for (Wait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static inline void
wait_clear (Wait *w)
{
  if (w->deltas != NULL)
    g_string_free (w->deltas, TRUE);
  w->deltas = NULL;
}

/* A system prompt (3 words) and one user message. */
static inline WrChatRequest *
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

static inline void
request_add (WrChatRequest *request,
             const char    *role,
             const char    *content)
{
  g_autoptr(WrMessage) message = wr_message_new (role, content);

  wr_chat_request_add (request, message);
}

/* Runs @request; returns the result or NULL with @error and @partial. */
static inline WrChatResult *
run_request (Fixture        *f,
             WrChatRequest  *request,
             GCancellable   *cancellable,
             guint           cancel_at,
             Wait           *w,
             WrChatResult  **partial,
             GError        **error)
{
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

static inline WrChatResult *
run_chat (Fixture       *f,
          const char    *model,
          GCancellable  *cancellable,
          guint          cancel_at,
          Wait          *w,
          WrChatResult **partial,
          GError       **error)
{
  g_autoptr(WrChatRequest) request = make_request (model, "hello there world");

  return run_request (f, request, cancellable, cancel_at, w, partial, error);
}

static inline GPtrArray *
run_list_models (Fixture  *f,
                 GError  **error)
{
  Wait w = { 0, };
  GPtrArray *models;

  wr_provider_list_models_async (f->provider, NULL, on_done_cb, &w);
  wait_for (&w);
  models = wr_provider_list_models_finish (f->provider, w.result, error);
  g_clear_object (&w.result);
  return models;
}

/* Checks that neither the error nor its description leak @key. */
static inline void
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

/* The last request body as a JSON object (valid while @parser lives). */
static inline JsonObject *
last_body (Fixture    *f,
           JsonParser *parser)
{
  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (f->mock), -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* The key must travel in a header only: never in the path or query. */
static inline void
assert_key_not_in_url (Fixture    *f,
                       const char *key)
{
  const char *query = wr_mock_server_get_last_query (f->mock);

  g_assert_null (strstr (wr_mock_server_get_last_path (f->mock), key));
  g_assert_true (query == NULL || strstr (query, key) == NULL);
  g_assert_true (query == NULL || strstr (query, "key=") == NULL);
  g_assert_null (wr_mock_server_get_last_header (f->mock, "Authorization"));
}

/* Cancels mock-long after three deltas; the server must see it go. */
static inline void
check_cancel (Fixture *f)
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

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (wr_mock_server_get_open_streams (f->mock) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (wr_mock_server_get_open_streams (f->mock), ==, 0);
  wait_clear (&w);
}

static inline void
check_cancel_before_start (Fixture *f)
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

static inline void
check_drop (Fixture *f)
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

static inline void
check_stall_timeout (Fixture *f)
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

/* A URL on which nothing listens. */
static inline char *
free_port_url (const char *path)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
}

static inline void
check_connection_refused (Fixture    *f,
                          const char *path)
{
  g_autofree char *url = free_port_url (path);
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

  models = run_list_models (f, &list_error);
  g_assert_null (models);
  g_assert_error (list_error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION);
}

typedef struct
{
  const char *model;
  int         code;
  guint       status;
  const char *in_message;
  gint64      retry_after_ms;
} HttpErrorCase;

static inline void
check_http_errors (Fixture             *f,
                   const HttpErrorCase *cases,
                   guint                n_cases)
{
  wr_provider_set_api_key (f->provider, "unused-but-secret-key-xyz");

  for (guint i = 0; i < n_cases; i++)
    {
      const HttpErrorCase *tc = &cases[i];
      Wait w;
      g_autoptr(GError) error = NULL;
      g_autoptr(WrChatResult) result = NULL;
      g_autoptr(WrChatResult) partial = NULL;
      g_autofree char *described = NULL;

      g_test_message ("model %s", tc->model);
      result = run_chat (f, tc->model, NULL, 0, &w, &partial, &error);
      g_assert_null (result);
      g_assert_error (error, WR_PROVIDER_ERROR, tc->code);
      g_assert_nonnull (strstr (error->message, tc->in_message));
      g_assert_nonnull (partial);
      g_assert_cmpuint (partial->http_status, ==, tc->status);
      g_assert_cmpuint (w.n_deltas, ==, 0);
      g_assert_cmpint (partial->retry_after_ms, ==, tc->retry_after_ms);
      assert_no_key (f, error, "unused-but-secret-key-xyz");

      described = wr_provider_describe_error (f->provider, error);
      if (tc->retry_after_ms == 1000)
        g_assert_nonnull (strstr (described, "1 second"));
      if (tc->code == WR_PROVIDER_ERROR_MODEL_NOT_FOUND)
        g_assert_nonnull (strstr (described, "model"));
      wait_clear (&w);
    }
}
