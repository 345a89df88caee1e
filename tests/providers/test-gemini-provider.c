/* test-gemini-provider.c — WrGeminiProvider against the in-process mock's
 * Gemini API (real HTTP on 127.0.0.1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "providers/wr-gemini-provider.h"
#include "provider-test-util.h"

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->mock = wr_mock_server_new ();
  f->provider = wr_gemini_provider_new ("test", "Mock Gemini", wr_mock_server_get_google_url (f->mock),
                                        NULL, WR_PROVIDER_SOURCE_STORED);
}

static const char *
part_text (JsonObject *content,
           guint       index)
{
  JsonArray *parts = json_object_get_array_member (content, "parts");

  return json_object_get_string_member (json_array_get_object_element (parts, index), "text");
}

static guint
n_parts (JsonObject *content)
{
  return json_array_get_length (json_object_get_array_member (content, "parts"));
}

static void
test_properties (void)
{
  g_autoptr(WrProvider) provider = wr_gemini_provider_new ("env-google", "Gemini",
                                                           WR_GEMINI_DEFAULT_BASE_URL "/",
                                                           "AIzaSyA-abcdefghijklmnopqrstuvwxyz12345",
                                                           WR_PROVIDER_SOURCE_ENVIRONMENT);

  g_assert_true (WR_IS_GEMINI_PROVIDER (provider));
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "google");
  g_assert_cmpstr (wr_provider_get_base_url (provider), ==,
                   "https://generativelanguage.googleapis.com/v1beta");
  g_assert_cmpint (wr_provider_get_source (provider), ==, WR_PROVIDER_SOURCE_ENVIRONMENT);
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
  JsonArray *contents;
  JsonObject *content;
  JsonObject *system;

  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_null (partial);

  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_assert_cmpstr (w.deltas->str, ==, result->content);
  g_assert_cmpuint (w.n_deltas, ==, 4);
  g_assert_cmpstr (result->model, ==, "mock-echo");
  /* STOP, in WrChatResult's words. */
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpuint (result->http_status, ==, 200);
  /* Every response carries the usage so far; the last one counts. */
  g_assert_cmpint (result->input_tokens, ==, 6);
  g_assert_cmpint (result->output_tokens, ==, w.n_deltas);
  g_assert_cmpint (result->retry_after_ms, ==, -1);
  g_assert_cmpint (result->first_token_ms, >=, 0);
  g_assert_cmpint (result->latency_ms, >=, result->first_token_ms);

  /* What went over the wire. */
  g_assert_cmpstr (wr_mock_server_get_last_method (f->mock), ==, "POST");
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==,
                   "/google/v1beta/models/mock-echo:streamGenerateContent");
  g_assert_cmpstr (wr_mock_server_get_last_query (f->mock), ==, "alt=sse");
  g_assert_null (wr_mock_server_get_last_header (f->mock, "x-goog-api-key"));
  g_assert_null (wr_mock_server_get_last_header (f->mock, "Authorization"));
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "Content-Type"), ==, "application/json");

  body = last_body (f, parser);
  g_assert_cmpuint (json_object_get_size (body), ==, 2);
  g_assert_false (json_object_has_member (body, "generationConfig"));
  g_assert_false (json_object_has_member (body, "model"));
  system = json_object_get_object_member (body, "systemInstruction");
  g_assert_cmpuint (json_object_get_size (system), ==, 1);
  g_assert_cmpuint (n_parts (system), ==, 1);
  g_assert_cmpstr (part_text (system, 0), ==, "You are terse.");
  contents = json_object_get_array_member (body, "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 1);
  content = json_array_get_object_element (contents, 0);
  g_assert_cmpstr (json_object_get_string_member (content, "role"), ==, "user");
  g_assert_cmpuint (n_parts (content), ==, 1);
  g_assert_cmpstr (part_text (content, 0), ==, "hello there world");
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mock), ==, 1);

  wait_clear (&w);
}

/* assistant → "model"; same-role runs become one turn of several parts;
 * system messages become systemInstruction parts; options go into
 * generationConfig; a "models/" prefix on the model is accepted. */
static void
test_request_shape (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WrChatRequest) request = wr_chat_request_new ("models/mock-echo");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;
  JsonObject *body;
  JsonObject *config;
  JsonObject *system;
  JsonArray *contents;
  JsonObject *turn;

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
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==,
                   "/google/v1beta/models/mock-echo:streamGenerateContent");

  body = last_body (f, parser);
  config = json_object_get_object_member (body, "generationConfig");
  g_assert_cmpfloat (json_object_get_double_member (config, "temperature"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (config, "maxOutputTokens"), ==, 42);
  system = json_object_get_object_member (body, "systemInstruction");
  g_assert_cmpuint (n_parts (system), ==, 2);
  g_assert_cmpstr (part_text (system, 0), ==, "Be brief.");
  g_assert_cmpstr (part_text (system, 1), ==, "Use English.");

  contents = json_object_get_array_member (body, "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 3);
  turn = json_array_get_object_element (contents, 0);
  g_assert_cmpstr (json_object_get_string_member (turn, "role"), ==, "user");
  g_assert_cmpuint (n_parts (turn), ==, 2);
  g_assert_cmpstr (part_text (turn, 0), ==, "first question");
  g_assert_cmpstr (part_text (turn, 1), ==, "more detail");
  turn = json_array_get_object_element (contents, 1);
  g_assert_cmpstr (json_object_get_string_member (turn, "role"), ==, "model");
  g_assert_cmpuint (n_parts (turn), ==, 2);
  g_assert_cmpstr (part_text (turn, 0), ==, "an answer");
  g_assert_cmpstr (part_text (turn, 1), ==, "and a follow-up");
  turn = json_array_get_object_element (contents, 2);
  g_assert_cmpstr (json_object_get_string_member (turn, "role"), ==, "user");
  g_assert_cmpuint (n_parts (turn), ==, 1);
  g_assert_cmpstr (part_text (turn, 0), ==, "last words");
  wait_clear (&w);

  /* No system message: no systemInstruction. */
  {
    g_autoptr(WrChatRequest) plain = wr_chat_request_new ("mock-echo");
    g_autoptr(WrChatResult) plain_result = NULL;
    g_autoptr(JsonParser) plain_parser = json_parser_new ();

    request_add (plain, "user", "only me");
    plain_result = run_request (f, plain, NULL, 0, &w, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (json_object_has_member (last_body (f, plain_parser), "systemInstruction"));
    wait_clear (&w);
  }
}

/* The model is part of the URL: no model, no request. */
static void
test_no_model (Fixture       *f,
               gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;

  result = run_chat (f, "", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_MODEL_NOT_FOUND);
  g_assert_nonnull (partial);
  g_assert_cmpuint (wr_mock_server_get_request_count (f->mock), ==, 0);
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

/* One GenerateContentResponse as application/json (generateContent). */
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
  g_assert_cmpuint (w.n_deltas, ==, 1);
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpint (result->input_tokens, ==, 6);
  g_assert_cmpint (result->output_tokens, ==, 4);
  wait_clear (&w);
}

/* A JSON array of responses (streamGenerateContent without alt=sse). */
static void
test_non_streaming_array (Fixture       *f,
                          gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;

  result = run_chat (f, "mock-nostream-array", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_assert_cmpstr (w.deltas->str, ==, result->content);
  g_assert_cmpuint (w.n_deltas, ==, 4);
  g_assert_cmpstr (result->finish_reason, ==, "stop");
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

  /* No key: 403 PERMISSION_DENIED → AUTH; the advice is to add one. */
  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_null (wr_mock_server_get_last_header (f->mock, "x-goog-api-key"));
  g_assert_cmpuint (partial->http_status, ==, 403);
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, "needs an API key"));
  g_clear_error (&error);
  g_clear_pointer (&partial, wr_chat_result_free);
  wait_clear (&w);

  /* Right key: in x-goog-api-key, never in the URL. */
  wr_provider_set_api_key (f->provider, TEST_KEY);
  result = run_chat (f, "mock-echo", NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-goog-api-key"), ==, TEST_KEY);
  g_assert_cmpstr (wr_mock_server_get_last_query (f->mock), ==, "alt=sse");
  assert_key_not_in_url (f, TEST_KEY);
  g_assert_null (strstr (wr_mock_server_get_last_body (f->mock), TEST_KEY));
  g_assert_cmpstr (result->content, ==, WR_MOCK_ECHO_PREFIX "hello there world");
  g_clear_pointer (&result, wr_chat_result_free);
  wait_clear (&w);

  /* Wrong key: 400 INVALID_ARGUMENT with reason API_KEY_INVALID is AUTH;
   * the server echoes the key, we must not. */
  wr_provider_set_api_key (f->provider, "wrong-key-abcdef-999");
  result = run_chat (f, "mock-echo", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_cmpuint (partial->http_status, ==, 400);
  g_assert_nonnull (strstr (error->message, "API key not valid"));
  assert_no_key (f, error, "wrong-key-abcdef-999");
  g_free (described);
  described = wr_provider_describe_error (f->provider, error);
  g_assert_nonnull (strstr (described, "rejected the API key"));
  g_clear_error (&error);
  wait_clear (&w);
}

static const HttpErrorCase http_errors[] = {
  /* Gemini answers a bad key with 400 API_KEY_INVALID. */
  { "mock-401", WR_PROVIDER_ERROR_AUTH, 400, "API key not valid", -1 },
  { "mock-404", WR_PROVIDER_ERROR_MODEL_NOT_FOUND, 404, "models/mock-404 is not found", -1 },
  { "no-such-model", WR_PROVIDER_ERROR_MODEL_NOT_FOUND, 404, "no-such-model", -1 },
  /* The wait comes from the body's RetryInfo, not a header. */
  { "mock-429", WR_PROVIDER_ERROR_RATE_LIMITED, 429, "quota", 1000 },
  { "mock-500", WR_PROVIDER_ERROR_SERVER, 500, "internal error", -1 },
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
  /* No response with a finishReason before the connection went. */
  check_drop (f);
}

static void
test_stall_timeout (Fixture       *f,
                    gconstpointer  data)
{
  check_stall_timeout (f);
}

/* data: {"error":{"code":503,…,"status":"UNAVAILABLE"}} mid-stream. */
static void
test_error_event (Fixture       *f,
                  gconstpointer  data)
{
  Wait w;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrChatResult) partial = NULL;

  result = run_chat (f, "mock-error-event", NULL, 0, &w, &partial, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, WR_MOCK_ERROR_EVENT_MESSAGE));
  g_assert_cmpstr (partial->content, ==, WR_MOCK_ERROR_EVENT_TEXT);
  g_assert_null (partial->finish_reason);
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
  check_connection_refused (f, "/google/v1beta");
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
  /* "models/" stripped, the embedding-only model left out. */
  g_assert_cmpuint (models->len, ==, 12);
  for (guint i = 0; i < models->len; i++)
    {
      g_assert_false (g_str_has_prefix (g_ptr_array_index (models, i), "models/"));
      if (i > 0)
        g_assert_cmpint (strcmp (g_ptr_array_index (models, i - 1), g_ptr_array_index (models, i)), <, 0);
    }
  g_assert_true (g_ptr_array_find_with_equal_func (models, "mock-echo", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (models, WR_MOCK_GOOGLE_EMBEDDING_MODEL, g_str_equal, NULL));
  g_assert_cmpstr (wr_mock_server_get_last_method (f->mock), ==, "GET");
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==, "/google/v1beta/models");
  g_assert_cmpstr (wr_mock_server_get_last_query (f->mock), ==, "pageSize=1000");
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-goog-api-key"), ==, TEST_KEY);
  assert_key_not_in_url (f, TEST_KEY);
  g_assert_cmpuint (wr_mock_server_get_models_count (f->mock), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/providers/gemini/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/providers/gemini/properties", test_properties);
  ADD ("stream-echo", test_stream_echo);
  ADD ("request-shape", test_request_shape);
  ADD ("no-model", test_no_model);
  ADD ("stream-markdown", test_stream_markdown);
  ADD ("no-usage", test_no_usage);
  ADD ("non-streaming-json", test_non_streaming_json);
  ADD ("non-streaming-array", test_non_streaming_array);
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
