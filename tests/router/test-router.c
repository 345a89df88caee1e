/* test-router.c — WrRouter over real HTTP: three in-process mock servers,
 * each behind its own WrOpenAIProvider, listed in a GListStore (what the
 * WrProviderRegistry is to the app). The mock's model name picks the fault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsoup/soup.h>
#include <string.h>

#include "providers/wr-openai-provider.h"
#include "providers/wr-router.h"
#include "providers/wr-router-private.h"
#include "store/wr-message.h"
#include "wr-mock-server.h"

#define N_MOCKS 3

typedef struct
{
  WrMockServer *mocks[N_MOCKS];
  WrProvider   *providers[N_MOCKS];   /* alpha, beta, gamma */
  GListStore   *store;
  WrRouter     *router;
  SoupServer   *bad_server;           /* answers 400 to every chat */
  WrProvider   *bad;
} Fixture;

typedef struct
{
  GAsyncResult *result;
  GString      *deltas;
  guint         n_deltas;
  GCancellable *cancel_on_delta;   /* cancelled at the first delta */
} Wait;

typedef struct
{
  WrChatResult    *answer;
  WrChatResult    *partial;
  WrRouterOutcome *outcome;
  GError          *error;
  gint64           elapsed_ms;
  char            *deltas;
} Run;

static const char *ids[N_MOCKS] = { "alpha", "beta", "gamma" };
static const char *names[N_MOCKS] = { "Alpha", "Beta", "Gamma" };

static gint64 fake_now = 5000 * G_TIME_SPAN_SECOND;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static void
on_bad_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  static const char body[] =
    "{\"error\":{\"message\":\"This model's maximum context length is 8 tokens.\","
    "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}";

  soup_server_message_set_status (msg, 400, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;

  f->store = g_list_store_new (WR_TYPE_PROVIDER);
  for (guint i = 0; i < N_MOCKS; i++)
    {
      f->mocks[i] = wr_mock_server_new ();
      wr_mock_server_set_chunk_delay (f->mocks[i], 1);
      f->providers[i] = wr_openai_provider_new (ids[i], names[i], wr_mock_server_get_url (f->mocks[i]),
                                                NULL, WR_PROVIDER_SOURCE_STORED);
      g_list_store_append (f->store, f->providers[i]);
    }

  /* As the mock listens (soup_server_listen_local leaks in libsoup 3.2). */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  f->bad_server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->bad_server, "/v1/chat/completions", on_bad_request_cb, NULL, NULL);
  soup_server_listen (f->bad_server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->bad_server);
  base = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  f->bad = wr_openai_provider_new ("strict", "Strict", base, NULL, WR_PROVIDER_SOURCE_STORED);
  g_list_store_append (f->store, f->bad);

  f->router = wr_router_new (G_LIST_MODEL (f->store), NULL);
  wr_failover_policy_clear (wr_router_get_policy (f->router));
  /* Quick retries; the Retry-After tests use the server's 1 s. */
  wr_router_set_retry_delay (f->router, 20);
  _wr_router_set_clock (f->router, fake_clock, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->router);
  g_clear_object (&f->store);
  g_clear_object (&f->bad);
  if (f->bad_server != NULL)
    soup_server_disconnect (f->bad_server);
  g_clear_object (&f->bad_server);
  for (guint i = 0; i < N_MOCKS; i++)
    {
      g_clear_object (&f->providers[i]);
      g_clear_object (&f->mocks[i]);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->answer, wr_chat_result_free);
  g_clear_pointer (&run->partial, wr_chat_result_free);
  g_clear_pointer (&run->outcome, wr_router_outcome_unref);
  g_clear_error (&run->error);
  g_clear_pointer (&run->deltas, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
on_delta_cb (const char *text,
             gsize       len,
             gpointer    user_data)
{
  Wait *w = user_data;

  g_assert_cmpuint (strlen (text), ==, len);
  g_string_append_len (w->deltas, text, len);
  w->n_deltas++;
  if (w->cancel_on_delta != NULL)
    g_cancellable_cancel (w->cancel_on_delta);
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

static gboolean
on_cancel_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Sends "hello router" as @model to @primary and waits for the end.
 * @cancel_after_ms > 0 cancels then; @cancel_on_delta at the first text. */
static void
route (Fixture    *f,
       WrProvider *primary,
       const char *model,
       guint       cancel_after_ms,
       gboolean    cancel_on_delta,
       Run        *run)
{
  g_autoptr(WrChatRequest) request = wr_chat_request_new (model);
  g_autoptr(WrMessage) message = wr_message_new ("user", "hello router");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { NULL, g_string_new (NULL), 0, cancel_on_delta ? cancellable : NULL };
  gint64 start = g_get_monotonic_time ();

  wr_chat_request_add (request, message);
  if (cancel_after_ms > 0)
    g_timeout_add_full (G_PRIORITY_DEFAULT, cancel_after_ms, on_cancel_timeout_cb,
                        g_object_ref (cancellable), g_object_unref);

  wr_router_stream_chat_async (f->router, primary, request, on_delta_cb, &w, cancellable, on_done_cb, &w);
  /* The request is the router's to copy: it may go away at once. */
  g_clear_pointer (&request, wr_chat_request_free);

  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  run->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  run->answer = wr_router_stream_chat_finish (f->router, w.result, &run->partial, &run->outcome, &run->error);
  run->deltas = g_string_free (w.deltas, FALSE);
  g_object_unref (w.result);

  g_assert_nonnull (run->outcome);
  g_assert_true ((run->answer != NULL) != (run->error != NULL));
  for (guint i = 0; i < wr_router_outcome_get_n_attempts (run->outcome); i++)
    {
      const WrRouterAttempt *a = wr_router_outcome_get_attempt (run->outcome, i);

      g_test_message ("attempt %u: %s %s status=%d retry=%d waited=%" G_GINT64_FORMAT
                      " ms took=%" G_GINT64_FORMAT " ms: %s",
                      i, a->provider_id, a->model, a->status, a->is_retry, a->waited_ms,
                      a->duration_ms, a->reason ? a->reason : "-");
    }
  if (run->outcome->summary != NULL)
    g_test_message ("summary: %s", run->outcome->summary);
  if (run->error != NULL)
    g_test_message ("error: %s", run->error->message);
}

static const WrRouterAttempt *
attempt (Run   *run,
         guint  index)
{
  g_assert_cmpuint (index, <, wr_router_outcome_get_n_attempts (run->outcome));
  return wr_router_outcome_get_attempt (run->outcome, index);
}

static void
set_chain (Fixture    *f,
           const char *pattern,
           const char *provider1,
           const char *model1,
           const char *provider2,   /* nullable */
           const char *model2)
{
  g_autoptr(GError) error = NULL;
  WrFailoverTarget targets[2] = {
    { (char *) provider1, (char *) model1 },
    { (char *) provider2, (char *) model2 },
  };

  g_assert_true (wr_failover_policy_set_chain (wr_router_get_policy (f->router), pattern,
                                               targets, provider2 ? 2 : 1, &error));
  g_assert_no_error (error);
}

#define EXPECTED_ECHO WR_MOCK_ECHO_PREFIX "hello router"

/* Tests */

static void
test_primary_answers (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "mock-*", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-echo", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.answer->content, ==, EXPECTED_ECHO);
  g_assert_cmpstr (run.deltas, ==, EXPECTED_ECHO);
  g_assert_cmpint (run.answer->output_tokens, >, 0);
  g_assert_null (run.partial);

  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 1);
  g_assert_cmpint (attempt (&run, 0)->status, ==, WR_ROUTER_ATTEMPT_ANSWERED);
  g_assert_true (attempt (&run, 0)->delivered_text);
  g_assert_false (attempt (&run, 0)->is_retry);
  g_assert_null (attempt (&run, 0)->reason);
  g_assert_cmpstr (run.outcome->provider_id, ==, "alpha");
  g_assert_true (run.outcome->provider == f->providers[0]);
  g_assert_cmpstr (run.outcome->model, ==, "mock-echo");
  g_assert_false (run.outcome->failed_over);
  g_assert_null (run.outcome->summary);

  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 0);
}

static void
test_server_error_fails_over (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "mock-500", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-500", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.answer->content, ==, EXPECTED_ECHO);
  /* Only the answering provider's text reached the caller. */
  g_assert_cmpstr (run.deltas, ==, EXPECTED_ECHO);

  /* Tried once more on the same provider, then the fallback. */
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 3);
  g_assert_cmpstr (attempt (&run, 0)->provider_id, ==, "alpha");
  g_assert_cmpint (attempt (&run, 0)->status, ==, WR_ROUTER_ATTEMPT_FAILED);
  g_assert_error (attempt (&run, 0)->error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_SERVER);
  g_assert_nonnull (strstr (attempt (&run, 0)->reason, "Alpha is having trouble"));
  g_assert_cmpint (attempt (&run, 0)->duration_ms, >=, 0);
  g_assert_true (attempt (&run, 1)->is_retry);
  g_assert_cmpint (attempt (&run, 1)->waited_ms, ==, 20);
  g_assert_cmpstr (attempt (&run, 2)->provider_id, ==, "beta");
  g_assert_cmpstr (attempt (&run, 2)->model, ==, "mock-echo");
  g_assert_cmpint (attempt (&run, 2)->status, ==, WR_ROUTER_ATTEMPT_ANSWERED);
  g_assert_false (attempt (&run, 2)->is_retry);

  g_assert_cmpstr (run.outcome->provider_id, ==, "beta");
  g_assert_cmpstr (run.outcome->provider_name, ==, "Beta");
  g_assert_cmpstr (run.outcome->model, ==, "mock-echo");
  g_assert_true (run.outcome->failed_over);
  g_assert_cmpstr (run.outcome->summary, ==, "Answered by Beta (mock-echo) because Alpha had a server error");

  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 2);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 1);
  /* Two 5xx in a row: counted, not yet open (threshold 3). */
  g_assert_cmpuint (wr_circuit_breaker_get_consecutive_failures (wr_router_get_circuit_breaker (f->router, "alpha")), ==, 2);
}

static void
test_rate_limit_retry_after (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "mock-429", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-429", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.answer->content, ==, EXPECTED_ECHO);

  /* The mock says "Retry-After: 1": the retry waits that second. */
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 3);
  g_assert_error (attempt (&run, 0)->error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpint (attempt (&run, 0)->retry_after_ms, ==, 1000);
  g_assert_cmpint (attempt (&run, 0)->waited_ms, ==, 0);
  g_assert_true (attempt (&run, 1)->is_retry);
  g_assert_cmpint (attempt (&run, 1)->waited_ms, ==, 1000);
  g_assert_cmpint (attempt (&run, 1)->status, ==, WR_ROUTER_ATTEMPT_FAILED);
  g_assert_cmpstr (attempt (&run, 2)->provider_id, ==, "beta");
  g_assert_cmpint (run.elapsed_ms, >=, 1000);
  g_assert_cmpint (run.elapsed_ms, <, 5000);

  g_assert_cmpstr (run.outcome->summary, ==, "Answered by Beta (mock-echo) because Alpha was rate limited");
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 2);
}

static void
test_rate_limit_beyond_bound (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  /* Retry-After (1 s) is longer than we agree to wait: no retry. */
  wr_router_set_max_retry_wait (f->router, 500);
  set_chain (f, "mock-429", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-429", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_cmpstr (attempt (&run, 1)->provider_id, ==, "beta");
  g_assert_cmpint (run.elapsed_ms, <, 900);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 1);
}

static void
test_drop_after_text_keeps_partial (Fixture       *f,
                                    gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "mock-drop", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-drop", 0, FALSE, &run);

  g_assert_error (run.error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_INTERRUPTED);
  g_assert_null (run.answer);
  g_assert_nonnull (run.partial);
  g_assert_cmpstr (run.partial->content, ==, WR_MOCK_DROP_TEXT);
  g_assert_cmpstr (run.deltas, ==, WR_MOCK_DROP_TEXT);

  /* No retry, no failover: the caller keeps the partial answer. */
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 1);
  g_assert_true (attempt (&run, 0)->delivered_text);
  g_assert_cmpstr (run.outcome->provider_id, ==, "alpha");
  g_assert_false (run.outcome->failed_over);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 0);

  {
    g_autofree char *sentence = wr_router_describe_error (run.outcome, run.error);
    g_assert_nonnull (strstr (sentence, "Alpha dropped mid-answer"));
  }
}

static void
test_stall_after_text_keeps_partial (Fixture       *f,
                                     gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  wr_provider_set_idle_timeout (f->providers[0], 1);
  set_chain (f, "mock-stall", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-stall", 0, FALSE, &run);

  g_assert_error (run.error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_TIMEOUT);
  g_assert_cmpstr (run.partial->content, ==, WR_MOCK_STALL_TEXT);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 0);
}

static void
test_stall_before_text_fails_over (Fixture       *f,
                                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  /* Alpha sends its first chunk only after 5 s; we wait 1 s for a byte. */
  wr_mock_server_set_chunk_delay (f->mocks[0], 5000);
  wr_provider_set_idle_timeout (f->providers[0], 1);
  set_chain (f, "mock-echo", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-echo", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.answer->content, ==, EXPECTED_ECHO);
  g_assert_cmpstr (run.deltas, ==, EXPECTED_ECHO);
  /* A timeout is not retried (it would cost another full timeout). */
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_error (attempt (&run, 0)->error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_TIMEOUT);
  g_assert_false (attempt (&run, 0)->delivered_text);
  g_assert_cmpint (attempt (&run, 0)->duration_ms, >=, 900);
  g_assert_cmpstr (run.outcome->provider_id, ==, "beta");
  g_assert_cmpstr (run.outcome->summary, ==, "Answered by Beta (mock-echo) because Alpha did not answer in time");
  g_assert_cmpint (run.elapsed_ms, <, 4000);
}

static void
test_all_fail (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *sentence = NULL;

  set_chain (f, "mock-500", "beta", "mock-401", "gamma", "mock-404");
  route (f, f->providers[0], "mock-500", 0, FALSE, &run);

  g_assert_error (run.error, WR_ROUTER_ERROR, WR_ROUTER_ERROR_ALL_FAILED);
  g_assert_null (run.answer);
  /* What the last attempt got back. */
  g_assert_nonnull (run.partial);
  g_assert_cmpuint (run.partial->http_status, ==, 404);
  g_assert_cmpstr (run.deltas, ==, "");

  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 4);
  g_assert_cmpstr (attempt (&run, 2)->provider_id, ==, "beta");
  g_assert_error (attempt (&run, 2)->error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_cmpstr (attempt (&run, 3)->provider_id, ==, "gamma");
  g_assert_error (attempt (&run, 3)->error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_MODEL_NOT_FOUND);
  g_assert_null (run.outcome->provider);
  g_assert_null (run.outcome->summary);
  g_assert_true (run.outcome->failed_over);

  /* One line per attempt, each with its provider, model and reason. */
  lines = g_strsplit (run.error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strstr (lines[1], "Alpha (mock-500): Alpha is having trouble"));
  g_assert_nonnull (strstr (lines[2], "Alpha (mock-500): "));
  g_assert_nonnull (strstr (lines[3], "Beta (mock-401): Beta needs an API key"));
  g_assert_nonnull (strstr (lines[4], "Gamma (mock-404): That model does not exist on Gamma"));

  sentence = wr_router_describe_error (run.outcome, run.error);
  g_assert_cmpstr (sentence, ==, run.error->message);
}

static void
test_single_provider_error_unchanged (Fixture       *f,
                                      gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sentence = NULL;

  /* No chain: the provider's own error, as a direct call would give. */
  route (f, f->providers[0], "mock-500", 0, FALSE, &run);

  g_assert_error (run.error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_SERVER);
  g_assert_cmpuint (run.partial->http_status, ==, 500);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_false (run.outcome->failed_over);
  sentence = wr_router_describe_error (run.outcome, run.error);
  g_assert_nonnull (strstr (sentence, "Alpha is having trouble"));
}

static void
test_auth_fails_over_without_retry (Fixture       *f,
                                    gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "mock-401", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "mock-401", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_error (attempt (&run, 0)->error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_assert_cmpstr (run.outcome->summary, ==, "Answered by Beta (mock-echo) because Alpha rejected the API key");
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 1);
  /* A configuration error says nothing about the provider's health. */
  g_assert_cmpuint (wr_circuit_breaker_get_consecutive_failures (wr_router_get_circuit_breaker (f->router, "alpha")), ==, 0);
}

static void
test_unknown_model_fails_over (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "gpt-4o", "beta", "mock-echo", NULL, NULL);
  route (f, f->providers[0], "gpt-4o", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_cmpstr (run.outcome->summary, ==, "Answered by Beta (mock-echo) because Alpha does not offer gpt-4o");
}

static void
test_bad_request_does_not_fail_over (Fixture       *f,
                                     gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "gpt-4o", "beta", "mock-echo", NULL, NULL);
  route (f, f->bad, "gpt-4o", 0, FALSE, &run);

  g_assert_error (run.error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (run.error->message, "maximum context length"));
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 0);
}

static void
test_unresolved_targets_skipped (Fixture       *f,
                                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  /* No Anthropic provider is configured; "Gamma" is a provider's name. */
  wr_router_set_max_retries (f->router, 0);
  set_chain (f, "mock-500", "anthropic", "claude-3-5-sonnet-latest", "Gamma", "mock-echo");
  route (f, f->providers[0], "mock-500", 0, FALSE, &run);

  g_assert_no_error (run.error);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_cmpstr (attempt (&run, 1)->provider_id, ==, "gamma");
  g_assert_cmpstr (run.outcome->provider_id, ==, "gamma");
}

static void
test_resolve_kind (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WrProvider) official = wr_openai_provider_new ("official", "OpenAI API", WR_OPENAI_DEFAULT_BASE_URL,
                                                           NULL, WR_PROVIDER_SOURCE_STORED);

  /* A local OpenAI-compatible server is of kind "openai" too; the real
   * API comes first when a kind is named… */
  g_assert_true (wr_router_resolve_target (f->router, "openai") == f->providers[0]);
  g_list_store_append (f->store, official);
  g_assert_true (wr_router_resolve_target (f->router, "openai") == official);
  /* …unless its breaker is open. */
  wr_circuit_breaker_set_failure_threshold (wr_router_get_circuit_breaker (f->router, "official"), 1);
  {
    g_autoptr(GError) error = g_error_new_literal (WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION, "x");
    wr_circuit_breaker_record_failure (wr_router_get_circuit_breaker (f->router, "official"), error);
  }
  g_assert_true (wr_router_resolve_target (f->router, "openai") == f->providers[0]);

  /* Ids and names win over kinds. */
  g_assert_true (wr_router_resolve_target (f->router, "beta") == f->providers[1]);
  g_assert_true (wr_router_resolve_target (f->router, "GAMMA") == f->providers[2]);
  g_assert_null (wr_router_resolve_target (f->router, "anthropic"));
  g_assert_null (wr_router_resolve_target (f->router, "nobody"));
}

static void
test_circuit_breaker (Fixture       *f,
                      gconstpointer  data)
{
  WrCircuitBreaker *breaker = wr_router_get_circuit_breaker (f->router, "alpha");

  wr_circuit_breaker_set_failure_threshold (breaker, 2);
  wr_router_set_max_retries (f->router, 0);
  set_chain (f, "mock-*", "beta", "mock-echo", NULL, NULL);

  /* Two failures open alpha's circuit; beta answers each time. */
  for (guint i = 0; i < 2; i++)
    {
      g_auto(Run) run = { 0 };

      route (f, f->providers[0], "mock-500", 0, FALSE, &run);
      g_assert_no_error (run.error);
      g_assert_cmpstr (run.outcome->provider_id, ==, "beta");
    }
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_OPEN);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 2);

  /* During the cool-down alpha is skipped, not asked. */
  {
    g_auto(Run) run = { 0 };

    fake_now += 29 * G_TIME_SPAN_SECOND;
    route (f, f->providers[0], "mock-echo", 0, FALSE, &run);
    g_assert_no_error (run.error);
    g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
    g_assert_cmpint (attempt (&run, 0)->status, ==, WR_ROUTER_ATTEMPT_SKIPPED);
    g_assert_cmpint (attempt (&run, 0)->duration_ms, ==, 0);
    g_assert_nonnull (strstr (attempt (&run, 0)->reason, "tried again in 1 second"));
    g_assert_cmpstr (run.outcome->provider_id, ==, "beta");
    g_assert_cmpstr (run.outcome->summary, ==, "Answered by Beta (mock-echo) because Alpha is paused after repeated failures");
    g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 2);
  }

  /* Cool-down over: one probe; it fails, so the circuit opens again for
   * twice as long. */
  {
    g_auto(Run) run = { 0 };

    fake_now += 1 * G_TIME_SPAN_SECOND;
    g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_HALF_OPEN);
    route (f, f->providers[0], "mock-500", 0, FALSE, &run);
    g_assert_cmpint (attempt (&run, 0)->status, ==, WR_ROUTER_ATTEMPT_FAILED);
    g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 3);
    g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_OPEN);
    g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 60000);
  }

  {
    g_auto(Run) run = { 0 };

    fake_now += 30 * G_TIME_SPAN_SECOND;
    route (f, f->providers[0], "mock-echo", 0, FALSE, &run);
    g_assert_cmpint (attempt (&run, 0)->status, ==, WR_ROUTER_ATTEMPT_SKIPPED);
    g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 3);
  }

  /* The next probe succeeds: closed again, alpha answers itself. */
  {
    g_auto(Run) run = { 0 };

    fake_now += 30 * G_TIME_SPAN_SECOND;
    route (f, f->providers[0], "mock-echo", 0, FALSE, &run);
    g_assert_no_error (run.error);
    g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 1);
    g_assert_cmpstr (run.outcome->provider_id, ==, "alpha");
    g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
    g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 4);
  }
}

static void
test_circuit_open_last_resort (Fixture       *f,
                               gconstpointer  data)
{
  WrCircuitBreaker *breaker = wr_router_get_circuit_breaker (f->router, "alpha");
  g_autoptr(GError) error = g_error_new_literal (WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_CONNECTION, "x");
  g_auto(Run) run = { 0 };

  wr_circuit_breaker_set_failure_threshold (breaker, 1);
  wr_circuit_breaker_record_failure (breaker, error);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_OPEN);

  /* No chain: skipping alpha would leave nothing, so it is asked anyway. */
  route (f, f->providers[0], "mock-echo", 0, FALSE, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_cmpint (attempt (&run, 0)->status, ==, WR_ROUTER_ATTEMPT_SKIPPED);
  g_assert_cmpint (attempt (&run, 1)->status, ==, WR_ROUTER_ATTEMPT_ANSWERED);
  g_assert_cmpstr (run.outcome->provider_id, ==, "alpha");
  g_assert_false (run.outcome->failed_over);
  g_assert_null (run.outcome->summary);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
}

static void
test_cancel_during_retry_wait (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  set_chain (f, "mock-429", "beta", "mock-echo", NULL, NULL);
  /* Cancelled 200 ms in: during the 1 s Retry-After wait. */
  route (f, f->providers[0], "mock-429", 200, FALSE, &run);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run.elapsed_ms, <, 800);
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 1);
  g_assert_null (run.outcome->provider);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 0);

  /* Nothing is left running: no late attempt after the wait. */
  {
    gint64 until = g_get_monotonic_time () + 1300 * G_TIME_SPAN_MILLISECOND;
    while (g_get_monotonic_time () < until)
      {
        while (g_main_context_iteration (NULL, FALSE))
          ;
        g_usleep (10000);
      }
  }
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[0]), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[1]), ==, 0);
}

static void
test_cancel_during_fallback_stream (Fixture       *f,
                                    gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  wr_router_set_max_retries (f->router, 0);
  set_chain (f, "mock-500", "beta", "mock-long", "gamma", "mock-echo");
  /* Cancelled at beta's first piece of text. */
  route (f, f->providers[0], "mock-500", 0, TRUE, &run);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (run.partial);
  g_assert_cmpstr (run.partial->content, ==, run.deltas);
  g_assert_cmpstr (run.deltas, !=, "");
  g_assert_cmpuint (wr_router_outcome_get_n_attempts (run.outcome), ==, 2);
  g_assert_cmpint (attempt (&run, 1)->status, ==, WR_ROUTER_ATTEMPT_CANCELLED);
  g_assert_cmpstr (run.outcome->provider_id, ==, "beta");
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mocks[2]), ==, 0);
  /* A cancelled request says nothing about beta's health. */
  g_assert_cmpuint (wr_circuit_breaker_get_consecutive_failures (wr_router_get_circuit_breaker (f->router, "beta")), ==, 0);
}

static void
test_policy_edit_mid_request (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  /* The default chains apply when no policy is given. */
  {
    g_autoptr(WrRouter) router = wr_router_new (NULL, NULL);
    guint n = 0;

    g_assert_nonnull (wr_failover_policy_lookup (wr_router_get_policy (router), "gpt-4o", &n));
    g_assert_cmpuint (n, ==, 1);
    /* Without providers, only the primary can be resolved. */
    g_assert_null (wr_router_resolve_target (router, "alpha"));
  }

  set_chain (f, "mock-429", "beta", "mock-echo", NULL, NULL);
  wr_router_set_max_retry_wait (f->router, 0);
  route (f, f->providers[0], "mock-429", 0, FALSE, &run);
  g_assert_cmpstr (run.outcome->provider_id, ==, "beta");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/router/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("primary-answers", test_primary_answers);
  ADD ("server-error-fails-over", test_server_error_fails_over);
  ADD ("rate-limit-retry-after", test_rate_limit_retry_after);
  ADD ("rate-limit-beyond-bound", test_rate_limit_beyond_bound);
  ADD ("drop-after-text-keeps-partial", test_drop_after_text_keeps_partial);
  ADD ("stall-after-text-keeps-partial", test_stall_after_text_keeps_partial);
  ADD ("stall-before-text-fails-over", test_stall_before_text_fails_over);
  ADD ("all-fail", test_all_fail);
  ADD ("single-provider-error-unchanged", test_single_provider_error_unchanged);
  ADD ("auth-fails-over-without-retry", test_auth_fails_over_without_retry);
  ADD ("unknown-model-fails-over", test_unknown_model_fails_over);
  ADD ("bad-request-does-not-fail-over", test_bad_request_does_not_fail_over);
  ADD ("unresolved-targets-skipped", test_unresolved_targets_skipped);
  ADD ("resolve-kind", test_resolve_kind);
  ADD ("circuit-breaker", test_circuit_breaker);
  ADD ("circuit-open-last-resort", test_circuit_open_last_resort);
  ADD ("cancel-during-retry-wait", test_cancel_during_retry_wait);
  ADD ("cancel-during-fallback-stream", test_cancel_during_fallback_stream);
  ADD ("defaults-and-no-wait", test_policy_edit_mid_request);

#undef ADD

  return g_test_run ();
}
