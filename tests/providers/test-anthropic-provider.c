/* test-anthropic-provider.c — WrAnthropicProvider against the in-process
 * mock's Anthropic Messages API (real HTTP on 127.0.0.1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "providers/wr-anthropic-provider.h"
#include "provider-test-util.h"

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->mock = wr_mock_server_new ();
  f->provider = wr_anthropic_provider_new ("test", "Mock Anthropic", wr_mock_server_get_anthropic_url (f->mock),
                                           NULL, WR_PROVIDER_SOURCE_STORED);
}

static void
test_properties (void)
{
  g_autoptr(WrProvider) provider = wr_anthropic_provider_new ("env-anthropic", "Anthropic",
                                                              WR_ANTHROPIC_DEFAULT_BASE_URL "/",
                                                              "sk-ant-api03-abcdefghijklmnop",
                                                              WR_PROVIDER_SOURCE_ENVIRONMENT);

  g_assert_true (WR_IS_ANTHROPIC_PROVIDER (provider));
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "anthropic");
  g_assert_cmpstr (wr_provider_get_id (provider), ==, "env-anthropic");
  g_assert_cmpstr (wr_provider_get_base_url (provider), ==, "https://api.anthropic.com/v1");
  g_assert_cmpint (wr_provider_get_source (provider), ==, WR_PROVIDER_SOURCE_ENVIRONMENT);
  g_assert_cmpuint (wr_provider_get_connect_timeout (provider), ==, 15);
  g_assert_cmpuint (wr_provider_get_idle_timeout (provider), ==, 60);
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
  JsonObject *message;

  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_null (partial);

  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_assert_cmpstr (w.deltas->str, ==, result->content);
  g_assert_cmpuint (w.n_deltas, ==, 4);
  g_assert_cmpstr (result->model, ==, "mock-echo");
  /* end_turn, in WrChatResult's words. */
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpuint (result->http_status, ==, 200);
  /* 3 words of system prompt + 3 of user text; one token per delta. */
  g_assert_cmpint (result->input_tokens, ==, 6);
  g_assert_cmpint (result->output_tokens, ==, w.n_deltas);
  g_assert_cmpint (result->retry_after_ms, ==, -1);
  g_assert_cmpint (result->first_token_ms, >=, 0);
  g_assert_cmpint (result->latency_ms, >=, result->first_token_ms);

  /* What went over the wire. */
  g_assert_cmpstr (wr_mock_server_get_last_method (f->mock), ==, "POST");
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==, "/anthropic/v1/messages");
  g_assert_null (wr_mock_server_get_last_query (f->mock));
  g_assert_null (wr_mock_server_get_last_header (f->mock, "x-api-key"));
  g_assert_null (wr_mock_server_get_last_header (f->mock, "Authorization"));
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "anthropic-version"), ==, "2023-06-01");
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "Content-Type"), ==, "application/json");
  g_assert_true (g_str_has_prefix (wr_mock_server_get_last_header (f->mock, "User-Agent"), "Workroom/"));

  body = last_body (f, parser);
  g_assert_cmpuint (json_object_get_size (body), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "mock-echo");
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 4096);
  g_assert_cmpstr (json_object_get_string_member (body, "system"), ==, "You are terse.");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_false (json_object_has_member (body, "temperature"));
  g_assert_false (json_object_has_member (body, "stream_options"));
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  message = json_array_get_object_element (messages, 0);
  g_assert_cmpuint (json_object_get_size (message), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "hello there world");
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mock), ==, 1);

  wait_clear (&w);
}

/* System messages go to the top-level "system"; same-role runs merge so
 * turns alternate; empty messages are left out; options pass through. */
static void
test_request_shape (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WrChatRequest) request = wr_chat_request_new ("mock-echo");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;
  JsonObject *body;
  JsonArray *messages;

  request_add (request, "system", "Be brief.");
  request_add (request, "user", "first question");
  request_add (request, "system", "Use English.");
  request_add (request, "user", "more detail");
  request_add (request, "assistant", "an answer");
  request_add (request, "assistant", "");
  request_add (request, "assistant", "and a follow-up");
  request_add (request, "user", "last words");
  request->temperature = 0.5;
  request->max_tokens = 42;

  result = run_request (f, request, NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "last words");

  body = last_body (f, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "system"), ==, "Be brief.\n\nUse English.");
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 42);
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.5);
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"), ==,
                   "first question\n\nmore detail");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==,
                   "an answer\n\nand a follow-up");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 2), "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 2), "content"), ==,
                   "last words");
  wait_clear (&w);

  /* No system message: no "system" member at all. */
  {
    g_autoptr(WrChatRequest) plain = wr_chat_request_new ("mock-echo");
    g_autoptr(WrChatResult) plain_result = NULL;
    g_autoptr(JsonParser) plain_parser = json_parser_new ();

    request_add (plain, "user", "only me");
    plain_result = run_request (f, plain, NULL, 0, &w, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (json_object_has_member (last_body (f, plain_parser), "system"));
    wait_clear (&w);
  }
}

static void
test_stream_markdown (Fixture       *f,
                      gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;

  /* Events cut into 37-byte pieces, straddling lines and events. */
  result = run_chat (f, "mock-markdown", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_MARKDOWN_TEXT);
  g_assert_cmpstr (w.deltas->str, ==, WR_MOCK_MARKDOWN_TEXT);
  g_assert_cmpint (result->output_tokens, >, 5);
  g_assert_cmpstr (result->finish_reason, ==, "stop");
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
  g_assert_cmpstr (result->model, ==, "mock-nostream");
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpint (result->input_tokens, ==, 6);
  g_assert_cmpint (result->output_tokens, ==, 4);
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
  g_assert_null (wr_mock_server_get_last_header (f->mock, "x-api-key"));
  g_assert_cmpuint (partial->http_status, ==, 401);
  g_assert_cmpstr (partial->content, ==, "");
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, "needs an API key"));
  g_clear_error (&error);
  g_clear_pointer (&partial, wr_chat_result_free);
  wait_clear (&w);

  /* Right key: in x-api-key, nowhere else. */
  wr_provider_set_api_key (f->provider, TEST_KEY);
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-api-key"), ==, TEST_KEY);
  assert_key_not_in_url (f, TEST_KEY);
  g_assert_null (strstr (wr_mock_server_get_last_body (f->mock), TEST_KEY));
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_clear_pointer (&result, wr_chat_result_free);
  wait_clear (&w);

  /* Wrong key: the server echoes it, we must not. */
  wr_provider_set_api_key (f->provider, "wrong-key-abcdef-999");
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "invalid x-api-key"));
  assert_no_key (f, error, "wrong-key-abcdef-999");
  g_clear_error (&error);
  wait_clear (&w);

  /* An sk-ant- key is caught by the generic redaction too. */
  wr_provider_set_api_key (f->provider, "sk-ant-api03-ABCDEF1234567890");
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  assert_no_key (f, error, "ABCDEF1234567890");
  g_clear_error (&error);
  wait_clear (&w);
}

static const HttpErrorCase http_errors[] = {
  { "mock-401", WR_PROVIDER_ERROR_AUTH, 401, "invalid x-api-key", -1 },
  { "mock-404", WR_PROVIDER_ERROR_MODEL_NOT_FOUND, 404, "mock-404", -1 },
  { "no-such-model", WR_PROVIDER_ERROR_MODEL_NOT_FOUND, 404, "no-such-model", -1 },
  { "mock-429", WR_PROVIDER_ERROR_RATE_LIMITED, 429, "rate limit", 1000 },
  { "mock-500", WR_PROVIDER_ERROR_SERVER, 500, "Internal server error", -1 },
  /* Overloaded: retryable, like a 5xx. */
  { "mock-529", WR_PROVIDER_ERROR_SERVER, 529, "Overloaded", -1 },
};

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  check_http_errors (f, http_errors, G_N_ELEMENTS (http_errors));
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  check_drop (f);
}

static void
test_stall_timeout (Fixture       *f,
                    gconstpointer  data)
{
  check_stall_timeout (f);
}

/* {"type":"error","error":{"type":"overloaded_error",…}} mid-stream. */
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
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, WR_MOCK_ERROR_EVENT_MESSAGE));
  g_assert_nonnull (strstr (error->message, "overloaded_error"));
  g_assert_cmpstr (partial->content, ==, WR_MOCK_ERROR_EVENT_TEXT);
  g_assert_cmpstr (w.deltas->str, ==, WR_MOCK_ERROR_EVENT_TEXT);
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, WR_MOCK_ERROR_EVENT_MESSAGE));
  wait_clear (&w);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  check_cancel (f);
}

static void
test_cancel_before_start (Fixture       *f,
                          gconstpointer  data)
{
  check_cancel_before_start (f);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  check_connection_refused (f, "/anthropic/v1");
}

static void
test_list_models (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  wr_mock_server_set_api_key (f->mock, TEST_KEY);

  models = run_list_models (f, &error);
  g_assert_null (models);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_clear_error (&error);

  wr_provider_set_api_key (f->provider, TEST_KEY);
  models = run_list_models (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (models);
  g_assert_cmpuint (models->len, ==, 12);
  for (guint i = 1; i < models->len; i++)
    g_assert_cmpint (strcmp (g_ptr_array_index (models, i - 1), g_ptr_array_index (models, i)), <, 0);
  g_assert_true (g_ptr_array_find_with_equal_func (models, "mock-echo", g_str_equal, NULL));
  g_assert_cmpstr (wr_mock_server_get_last_method (f->mock), ==, "GET");
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==, "/anthropic/v1/models");
  g_assert_cmpstr (wr_mock_server_get_last_query (f->mock), ==, "limit=1000");
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-api-key"), ==, TEST_KEY);
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "anthropic-version"), ==, "2023-06-01");
  assert_key_not_in_url (f, TEST_KEY);
  g_assert_cmpuint (wr_mock_server_get_models_count (f->mock), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/providers/anthropic/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/providers/anthropic/properties", test_properties);
  ADD ("stream-echo", test_stream_echo);
  ADD ("request-shape", test_request_shape);
  ADD ("stream-markdown", test_stream_markdown);
  ADD ("no-usage", test_no_usage);
  ADD ("non-streaming-json", test_non_streaming_json);
  ADD ("api-key", test_api_key);
  ADD ("http-errors", test_http_errors);
  ADD ("drop", test_drop);
  ADD ("stall-timeout", test_stall_timeout);
  ADD ("error-event", test_error_event);
  ADD ("cancel", test_cancel);
  ADD ("cancel-before-start", test_cancel_before_start);
  ADD ("connection-refused", test_connection_refused);
  ADD ("list-models", test_list_models);

#undef ADD

  return g_test_run ();
}
