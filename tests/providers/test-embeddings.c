/* test-embeddings.c — the embeddings call of each wire protocol against the
 * mock server: OpenAI-compatible POST /embeddings (body, order by index,
 * usage), Gemini batchEmbedContents, Anthropic's clear refusal, batches of
 * WR_PROVIDER_EMBED_BATCH inputs, errors and cancellation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "providers/wr-anthropic-provider.h"
#include "providers/wr-gemini-provider.h"
#include "providers/wr-openai-provider.h"
#include "wr-mock-embeddings.h"
#include "wr-mock-server.h"

typedef struct
{
  WrMockServer *mock;
  WrProvider   *openai;
  WrProvider   *gemini;
  WrProvider   *anthropic;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->mock = wr_mock_server_new ();
  f->openai = wr_openai_provider_new ("o", "Mock", wr_mock_server_get_url (f->mock), NULL,
                                      WR_PROVIDER_SOURCE_STORED);
  f->gemini = wr_gemini_provider_new ("g", "Gemini mock", wr_mock_server_get_google_url (f->mock),
                                      "gkey", WR_PROVIDER_SOURCE_STORED);
  f->anthropic = wr_anthropic_provider_new ("a", "Claude", wr_mock_server_get_anthropic_url (f->mock),
                                            "akey", WR_PROVIDER_SOURCE_STORED);
  wr_mock_server_set_api_key (f->mock, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->openai);
  g_clear_object (&f->gemini);
  g_clear_object (&f->anthropic);
  g_clear_object (&f->mock);
}

typedef struct
{
  gboolean           done;
  WrEmbeddingResult *result;
  GError            *error;
} Wait;

static void
embed_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->result = wr_provider_embed_finish (WR_PROVIDER (object), result, &w->error);
  w->done = TRUE;
}

static WrEmbeddingResult *
run_embed (WrProvider          *provider,
           const char          *model,
           const char * const  *inputs,
           GCancellable        *cancellable,
           GError             **error)
{
  Wait w = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  wr_provider_embed_async (provider, model, inputs, cancellable, embed_cb, &w);
  while (!w.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

static void
assert_vector_of (const float *vector,
                  const char  *text)
{
  float expected[WR_MOCK_EMBED_DIMS];

  wr_mock_embed_text (text, expected);
  for (guint i = 0; i < WR_MOCK_EMBED_DIMS; i++)
    g_assert_cmpfloat_with_epsilon (vector[i], expected[i], 1e-6);
}

static void
test_openai_wire (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrEmbeddingResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *inputs[] = { "The car is red", "a glad dog", "third text", NULL };
  JsonObject *body;
  JsonArray *input;

  result = run_embed (f->openai, WR_MOCK_EMBED_MODEL, inputs, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  g_assert_cmpstr (wr_mock_server_get_last_method (f->mock), ==, "POST");
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==, "/v1/embeddings");
  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (f->mock), -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, WR_MOCK_EMBED_MODEL);
  g_assert_cmpstr (json_object_get_string_member (body, "encoding_format"), ==, "float");
  input = json_object_get_array_member (body, "input");
  g_assert_cmpuint (json_array_get_length (input), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (input, 1), ==, "a glad dog");

  /* The mock answers in reverse order: vectors are placed by "index". */
  g_assert_cmpuint (result->n_vectors, ==, 3);
  g_assert_cmpuint (result->dims, ==, WR_MOCK_EMBED_DIMS);
  for (guint i = 0; i < 3; i++)
    assert_vector_of (result->vectors + i * result->dims, inputs[i]);
  g_assert_cmpint (result->input_tokens, ==, 4 + 3 + 2);
  g_assert_cmpstr (result->model, ==, WR_MOCK_EMBED_MODEL);
  /* The synonym table: "car" and "automobile" embed alike. */
  {
    float a[WR_MOCK_EMBED_DIMS], b[WR_MOCK_EMBED_DIMS];

    wr_mock_embed_text ("car", a);
    wr_mock_embed_text ("Automobile", b);
    g_assert_cmpmem (a, sizeof a, b, sizeof b);
  }
}

static void
test_batches (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrEmbeddingResult) result = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  guint n = 2 * WR_PROVIDER_EMBED_BATCH + 5;
  gint64 words = 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (inputs, g_strdup_printf ("passage %u word%u", i, i % 11));
  g_ptr_array_add (inputs, NULL);

  wr_mock_server_reset_counters (f->mock);
  result = run_embed (f->openai, WR_MOCK_EMBED_MODEL, (const char * const *) inputs->pdata, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr_mock_server_get_request_count (f->mock), ==, 3);
  g_assert_cmpuint (result->n_vectors, ==, n);
  for (guint i = 0; i < n; i++)
    {
      assert_vector_of (result->vectors + (gsize) i * result->dims, g_ptr_array_index (inputs, i));
      words += 3;
    }
  /* Usage summed over the three requests. */
  g_assert_cmpint (result->input_tokens, ==, words);
}

static void
test_gemini_wire (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrEmbeddingResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *inputs[] = { "happy house", "glad home", NULL };
  JsonObject *body;
  JsonObject *request;

  result = run_embed (f->gemini, WR_MOCK_GOOGLE_EMBEDDING_MODEL, inputs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_mock_server_get_last_path (f->mock), ==,
                   "/google/v1beta/models/" WR_MOCK_GOOGLE_EMBEDDING_MODEL ":batchEmbedContents");
  g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-goog-api-key"), ==, "gkey");
  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (f->mock), -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  request = json_array_get_object_element (json_object_get_array_member (body, "requests"), 1);
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "models/" WR_MOCK_GOOGLE_EMBEDDING_MODEL);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_object_get_object_member (request, "content"), "parts"), 0),
                     "text"), ==, "glad home");

  g_assert_cmpuint (result->n_vectors, ==, 2);
  assert_vector_of (result->vectors, inputs[0]);
  /* Synonyms: both texts embed alike. */
  g_assert_cmpmem (result->vectors, WR_MOCK_EMBED_DIMS * sizeof (float),
                   result->vectors + WR_MOCK_EMBED_DIMS, WR_MOCK_EMBED_DIMS * sizeof (float));
  /* Gemini reports no usage. */
  g_assert_cmpint (result->input_tokens, ==, -1);
}

static void
test_anthropic_refuses (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrEmbeddingResult) result = NULL;
  g_autofree char *sentence = NULL;
  const char *inputs[] = { "anything", NULL };

  wr_mock_server_reset_counters (f->mock);
  result = run_embed (f->anthropic, "claude", inputs, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Anthropic does not offer embeddings"));
  sentence = wr_provider_describe_error (f->anthropic, error);
  g_assert_nonnull (strstr (sentence, "choose an OpenAI, Google or local model"));
  /* Nothing was sent. */
  g_assert_cmpuint (wr_mock_server_get_request_count (f->mock), ==, 0);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) not_found = NULL;
  g_autoptr(GError) cancelled = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *inputs[] = { "text", NULL };

  g_assert_null (run_embed (f->openai, WR_MOCK_EMBED_500_MODEL, inputs, NULL, &error));
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_SERVER);
  g_assert_null (run_embed (f->openai, "no-such-model", inputs, NULL, &not_found));
  g_assert_error (not_found, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_MODEL_NOT_FOUND);
  g_cancellable_cancel (cancellable);
  g_assert_null (run_embed (f->openai, WR_MOCK_EMBED_MODEL, inputs, cancellable, &cancelled));
  g_assert_error (cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/providers/embeddings/openai-wire", test_openai_wire);
  ADD ("/providers/embeddings/batches", test_batches);
  ADD ("/providers/embeddings/gemini-wire", test_gemini_wire);
  ADD ("/providers/embeddings/anthropic-refuses", test_anthropic_refuses);
  ADD ("/providers/embeddings/errors", test_errors);
#undef ADD

  return g_test_run ();
}
