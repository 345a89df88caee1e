/* test-chat-billing.c — every model call of the chat service is metered
 * through the session's WrBilling, against the mock server and a real
 * SQLite file: usage rows (reported and estimated), the daily limit, the
 * plan's model gate, credit reservations settled to the actual cost, the
 * route note after a failover, the instructions template as the system
 * prompt of all three wire protocols, one-off completions, and Stop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "chat/wr-chat-service-private.h"
#include "store/wr-template.h"
#include "chat-test-util.h"

#define MICROS_PER_CREDIT G_GINT64_CONSTANT (1000000)

typedef struct
{
  char          *data_dir;
  WrMockServer  *mock;
  WrSession     *session;
  WrChatService *service;
  WrBilling     *billing;    /* the session's */
  WrProject     *project;
  WrChat        *chat;
  WrProvider    *provider;   /* stored, pointing at the mock */
  guint          added;      /* "message-added" emissions */
} Fixture;

static void
on_message_added (WrChatService *service,
                  WrChat        *chat,
                  WrMessage     *message,
                  Fixture       *fixture)
{
  fixture->added++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WrStore *store;

  chat_test_clear_environment ();

  fixture->mock = wr_mock_server_new ();
  fixture->session = chat_test_session_new ("wr-chat-billing-XXXXXX", &fixture->data_dir);
  store = wr_session_get_store (fixture->session);
  fixture->service = wr_session_get_chat_service (fixture->session);
  fixture->billing = wr_session_get_billing (fixture->session);
  g_assert_nonnull (fixture->billing);
  g_assert_true (wr_chat_service_get_billing (fixture->service) == fixture->billing);

  fixture->provider = chat_test_add_mock_provider (fixture->session, fixture->mock);
  fixture->project = chat_test_create_project (fixture->session, "Test");
  fixture->chat = wr_store_create_chat (store, wr_project_get_id (fixture->project), NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_model (fixture->chat, "mock-echo");

  g_signal_connect (fixture->service, "message-added", G_CALLBACK (on_message_added), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->service, fixture);
  g_clear_object (&fixture->provider);
  g_clear_object (&fixture->chat);
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->mock);
  chat_test_remove_data_dir (g_steal_pointer (&fixture->data_dir));
}

static GPtrArray *
usage_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = wr_billing_list_usage (fixture->billing, 0, NULL, &error);

  g_assert_no_error (error);
  return rows;
}

/* Billing as for a paid provider: the mock listens on loopback, which is
 * otherwise a free local one. */
static void
make_remote (Fixture    *fixture,
             const char *plan)
{
  g_autoptr(GError) error = NULL;

  _wr_chat_service_set_treat_as_remote (fixture->service, TRUE);
  g_assert_true (wr_billing_set_plan (fixture->billing, plan, &error));
  g_assert_no_error (error);
}

static gint64
balance (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 value = wr_billing_get_balance (fixture->billing, &error);

  g_assert_no_error (error);
  return value;
}

static JsonObject *
last_body (Fixture    *fixture,
           JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, wr_mock_server_get_last_body (fixture->mock), -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Usage rows -------------------------------------------------------------- */

static void
test_usage_row_reported (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = chat_test_send (fixture->session, fixture->chat, "hello world", &error);
  g_autoptr(GPtrArray) rows = NULL;
  WrUsageRecord *row;

  g_assert_no_error (error);
  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->project_id, ==, wr_project_get_id (fixture->project));
  g_assert_cmpstr (row->chat_id, ==, wr_chat_get_id (fixture->chat));
  g_assert_cmpstr (row->message_id, ==, wr_message_get_id (reply));
  g_assert_cmpstr (row->model, ==, "mock-echo");
  g_assert_cmpstr (row->provider_id, ==, wr_provider_get_id (fixture->provider));
  /* The provider's own counts: two words in, one token per chunk out. */
  g_assert_cmpint (row->input_tokens, ==, 2);
  g_assert_cmpint (row->output_tokens, ==, wr_message_get_output_tokens (reply));
  g_assert_cmpint (row->output_tokens, >, 1);
  g_assert_false (row->estimated);
  g_assert_cmpint (row->outcome, ==, WR_USAGE_OUTCOME_OK);
  g_assert_cmpint (row->latency_ms, >=, 0);
  g_assert_cmpint (row->cost_micros, ==, 0);   /* local: free */

  /* A second turn is a second row. */
  g_clear_object (&reply);
  reply = chat_test_send (fixture->session, fixture->chat, "again", &error);
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 2);
}

static void
test_usage_row_estimated (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  WrUsageRecord *row;

  wr_chat_set_model (fixture->chat, "mock-nousage");
  reply = chat_test_send (fixture->session, fixture->chat, "count these words please", &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_message_get_input_tokens (reply), ==, -1);

  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_true (row->estimated);
  g_assert_cmpint (row->input_tokens, ==, wr_billing_estimate_tokens ("count these words please"));
  g_assert_cmpint (row->output_tokens, ==, wr_billing_estimate_tokens (wr_message_get_content (reply)));
  g_assert_cmpint (row->outcome, ==, WR_USAGE_OUTCOME_OK);
  g_assert_cmpstr (row->model, ==, "mock-nousage");
}

/* The daily limit ---------------------------------------------------------- */

static void
test_quota_refusal (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) first = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) reset = NULL;
  g_autofree char *reset_text = NULL;
  gint64 resets_at;
  ChatTestWait wait = { 0 };

  first = chat_test_send (fixture->session, fixture->chat, "before the limit", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->added, ==, 2);

  /* Far less than one reply is expected to need. */
  g_assert_true (wr_billing_set_daily_token_limit (fixture->billing, 100, &error));
  g_assert_no_error (error);
  g_assert_true (wr_billing_get_quota (fixture->billing, NULL, NULL, &resets_at, &error));
  g_assert_no_error (error);
  reset = g_date_time_new_from_unix_local (resets_at / G_USEC_PER_SEC);
  reset_text = g_date_time_format (reset, "%Y-%m-%d %H:%M");

  wr_mock_server_reset_counters (fixture->mock);
  wr_chat_set_title (fixture->chat, NULL);
  reply = chat_test_send (fixture->session, fixture->chat, "over the limit", &error);
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_QUOTA_EXCEEDED);
  g_assert_null (reply);
  /* It says when the limit resets. */
  g_assert_nonnull (strstr (error->message, reset_text));
  g_clear_error (&error);

  /* Nothing was shown, stored or sent, and the chat is as it was. */
  g_assert_cmpuint (fixture->added, ==, 2);
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);
  g_assert_null (wr_chat_get_title (fixture->chat));
  g_assert_false (wr_chat_service_is_busy (fixture->service, wr_chat_get_id (fixture->chat)));
  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);

  /* Retry is refused the same way, and leaves the reply it would redo. */
  wr_chat_service_retry_async (fixture->service, fixture->chat, first, NULL, chat_test_retry_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_error (wait.error, WR_BILLING_ERROR, WR_BILLING_ERROR_QUOTA_EXCEEDED);
  g_clear_error (&wait.error);
  g_assert_cmpstr (wr_message_get_content (first), ==, WR_MOCK_ECHO_PREFIX "before the limit");
  g_assert_cmpint (wr_message_get_status (first), ==, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);

  /* Raising the limit lets the next one through. */
  g_assert_true (wr_billing_set_daily_token_limit (fixture->billing, -1, &error));
  g_assert_no_error (error);
  reply = chat_test_send (fixture->session, fixture->chat, "after raising", &error);
  g_assert_no_error (error);
}

/* The plan's model gate ---------------------------------------------------- */

static void
test_model_gate (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  /* Free plan, a paid provider, a model that is not one of the small ones. */
  make_remote (fixture, "free");
  g_assert_true (wr_billing_topup (fixture->billing, 5 * MICROS_PER_CREDIT, NULL, &error));
  g_assert_no_error (error);

  reply = chat_test_send (fixture->session, fixture->chat, "big model please", &error);
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_MODEL_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "mock-echo"));
  g_clear_error (&error);
  g_assert_cmpuint (fixture->added, ==, 0);
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 0);
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);
  g_assert_cmpint (balance (fixture), ==, 5 * MICROS_PER_CREDIT);

  /* The same model on a local provider is free for every plan. */
  _wr_chat_service_set_treat_as_remote (fixture->service, FALSE);
  reply = chat_test_send (fixture->session, fixture->chat, "local is fine", &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance (fixture), ==, 5 * MICROS_PER_CREDIT);
}

/* Credits ------------------------------------------------------------------ */

static void
test_credits_refusal (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) ledger = NULL;

  make_remote (fixture, "pro");
  g_assert_cmpint (balance (fixture), ==, 0);

  reply = chat_test_send (fixture->session, fixture->chat, "on credit", &error);
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INSUFFICIENT_CREDITS);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->added, ==, 0);
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 0);
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);
  ledger = wr_billing_list_ledger (fixture->billing, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 0);
}

static void
test_reservation_settled (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  WrUsageRecord *row;
  WrLedgerEntry *reserve, *refund;
  gint64 sum, min_prefix, expected_cost, reserved;

  make_remote (fixture, "pro");
  g_assert_true (wr_billing_topup (fixture->billing, MICROS_PER_CREDIT, NULL, &error));
  g_assert_no_error (error);

  reply = chat_test_send (fixture->session, fixture->chat, "hello world", &error);
  g_assert_no_error (error);

  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_false (row->estimated);
  expected_cost = wr_billing_cost_micros (fixture->billing, "mock-echo",
                                          row->input_tokens, row->output_tokens, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expected_cost, >, 0);
  g_assert_cmpint (row->cost_micros, ==, expected_cost);

  /* Reserved the estimate (request + the expected reply), then refunded
   * down to the actual cost. Newest first. */
  ledger = wr_billing_list_ledger (fixture->billing, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 3);
  refund = g_ptr_array_index (ledger, 0);
  reserve = g_ptr_array_index (ledger, 1);
  g_assert_cmpstr (reserve->reason, ==, "chat_usage");
  reserved = -reserve->delta;
  g_assert_cmpint (reserved, ==,
                   wr_billing_cost_micros (fixture->billing, "mock-echo",
                                           wr_billing_estimate_tokens ("hello world"), 512, NULL));
  g_assert_nonnull (strstr (reserve->meta, wr_chat_get_id (fixture->chat)));
  g_assert_cmpstr (refund->reason, ==, "refund");
  g_assert_cmpint (refund->delta, ==, reserved - expected_cost);

  g_assert_cmpint (balance (fixture), ==, MICROS_PER_CREDIT - expected_cost);
  g_assert_true (wr_billing_verify_ledger (fixture->billing, &sum, &min_prefix, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sum, ==, balance (fixture));
  g_assert_cmpint (min_prefix, >=, 0);
}

/* A failed call before any text costs nothing: its reservation comes back
 * whole. */
static void
test_failed_call_refunded (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  WrUsageRecord *row;

  make_remote (fixture, "pro");
  g_assert_true (wr_billing_topup (fixture->billing, MICROS_PER_CREDIT, NULL, &error));
  g_assert_no_error (error);

  wr_chat_set_model (fixture->chat, "mock-401");
  reply = chat_test_send (fixture->session, fixture->chat, "bad key", &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);
  g_clear_error (&error);

  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->outcome, ==, WR_USAGE_OUTCOME_ERROR);
  g_assert_cmpint (row->input_tokens + row->output_tokens, ==, 0);
  g_assert_cmpint (row->cost_micros, ==, 0);
  g_assert_cmpint (balance (fixture), ==, MICROS_PER_CREDIT);
}

/* Failover ----------------------------------------------------------------- */

static void
test_failover_route_note (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(WrMockServer) backup_mock = wr_mock_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new ();
  WrRouter *router = wr_chat_service_get_router (fixture->service);
  WrFailoverTarget target = { NULL, (char *) "mock-echo" };
  WrProvider *backup;
  WrUsageRecord *row;

  backup = wr_provider_registry_add (wr_session_get_providers (fixture->session),
                                     "Backup", "openai", wr_mock_server_get_url (backup_mock),
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  target.provider = (char *) wr_provider_get_id (backup);
  g_assert_true (wr_failover_policy_set_chain (policy, "mock-500", &target, 1, &error));
  g_assert_no_error (error);
  g_assert_true (wr_chat_service_set_failover_policy (fixture->service, policy, &error));
  g_assert_no_error (error);
  wr_router_set_retry_delay (router, 10);

  wr_chat_set_model (fixture->chat, "mock-500");
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (fixture->provider));
  reply = chat_test_send (fixture->session, fixture->chat, "are you there", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_provider_id (reply), ==, wr_provider_get_id (backup));

  /* The reply says why it came from elsewhere, on screen and on disk. */
  g_assert_nonnull (wr_message_get_route_note (reply));
  g_assert_nonnull (strstr (wr_message_get_route_note (reply), "Backup"));
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpstr (wr_message_get_route_note (g_ptr_array_index (messages, 1)), ==,
                   wr_message_get_route_note (reply));

  /* Usage names who answered. */
  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->provider_id, ==, wr_provider_get_id (backup));
  g_assert_cmpstr (row->model, ==, "mock-echo");
  g_assert_cmpint (row->outcome, ==, WR_USAGE_OUTCOME_OK);

  /* A plain answer has no note. */
  g_clear_object (&reply);
  wr_chat_set_model (fixture->chat, "mock-echo");
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (fixture->provider));
  reply = chat_test_send (fixture->session, fixture->chat, "direct", &error);
  g_assert_no_error (error);
  g_assert_null (wr_message_get_route_note (reply));
}

/* The chains are saved in the profile and come back with the next session;
 * NULL goes back to the shipped ones. Bad JSON in the profile is ignored. */
static void
test_failover_policy_saved (Fixture       *fixture,
                            gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new ();
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(WrSession) again = NULL;
  WrFailoverTarget target = { (char *) "anthropic", (char *) "claude-x" };
  WrFailoverPolicy *loaded;
  guint n_targets = 0;

  g_assert_true (wr_failover_policy_set_chain (policy, "my-model*", &target, 1, &error));
  g_assert_no_error (error);
  g_assert_true (wr_chat_service_set_failover_policy (fixture->service, policy, &error));
  g_assert_no_error (error);

  profile = wr_store_get_profile (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (wr_profile_get_failover_policy (profile));
  g_clear_object (&profile);

  again = wr_session_new (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);
  loaded = wr_router_get_policy (wr_chat_service_get_router (wr_session_get_chat_service (again)));
  g_assert_cmpuint (wr_failover_policy_get_n_chains (loaded), ==, 1);
  g_assert_nonnull (wr_failover_policy_lookup (loaded, "my-model-2", &n_targets));
  g_assert_cmpuint (n_targets, ==, 1);
  g_clear_object (&again);

  /* NULL: the column is cleared, the shipped chains are back. */
  g_assert_true (wr_chat_service_set_failover_policy (fixture->service, NULL, &error));
  g_assert_no_error (error);
  profile = wr_store_get_profile (store, &error);
  g_assert_no_error (error);
  g_assert_null (wr_profile_get_failover_policy (profile));
  g_assert_nonnull (wr_failover_policy_lookup (wr_router_get_policy (wr_chat_service_get_router (fixture->service)),
                                               "gpt-4o", &n_targets));

  /* Valid JSON that is not a policy: a warning, and the shipped chains. */
  wr_profile_set_failover_policy (profile, "{\"version\": 99}");
  g_assert_true (wr_store_save_profile (store, profile, &error));
  g_assert_no_error (error);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*failover settings are not valid*");
  again = wr_session_new (fixture->data_dir, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  loaded = wr_router_get_policy (wr_chat_service_get_router (wr_session_get_chat_service (again)));
  g_assert_nonnull (wr_failover_policy_lookup (loaded, "gpt-4o", &n_targets));
}

/* System prompt ------------------------------------------------------------ */

static void
set_chat_template (Fixture    *fixture,
                   const char *name,
                   const char *content)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrTemplate) template_ = wr_template_new (name, content);
  WrStore *store = wr_session_get_store (fixture->session);

  g_assert_true (wr_store_save_template (store, template_, &error));
  g_assert_no_error (error);
  g_assert_true (wr_store_set_chat_template_id (store, wr_chat_get_id (fixture->chat),
                                                wr_template_get_id (template_), &error));
  g_assert_no_error (error);
}

static void
test_system_prompt_openai (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) messages = NULL;
  JsonArray *sent;
  JsonObject *first;

  set_chat_template (fixture, "Terse", "Answer in one sentence.");
  reply = chat_test_send (fixture->session, fixture->chat, "why is the sky blue", &error);
  g_assert_no_error (error);

  sent = json_object_get_array_member (last_body (fixture, parser), "messages");
  g_assert_cmpuint (json_array_get_length (sent), ==, 2);
  first = json_array_get_object_element (sent, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (first, "content"), ==, "Answer in one sentence.");
  /* The instructions are sent, not stored as a turn. */
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
}

static void
test_system_prompt_anthropic (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  WrProvider *claude;
  JsonObject *body;
  JsonArray *sent;

  claude = wr_provider_registry_add (wr_session_get_providers (fixture->session), "Claude", "anthropic",
                                     wr_mock_server_get_anthropic_url (fixture->mock), "sk-test", NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (claude));
  set_chat_template (fixture, "Terse", "Answer in one sentence.");

  reply = chat_test_send (fixture->session, fixture->chat, "hello there", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_ECHO_PREFIX "hello there");

  body = last_body (fixture, parser);
  g_assert_cmpstr (wr_mock_server_get_last_path (fixture->mock), ==, "/anthropic/v1/messages");
  g_assert_cmpstr (json_object_get_string_member (body, "system"), ==, "Answer in one sentence.");
  sent = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (sent), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sent, 0), "role"), ==, "user");
}

static void
test_system_prompt_gemini (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  WrProvider *gemini;
  JsonObject *body, *instruction;
  JsonArray *parts, *contents;

  gemini = wr_provider_registry_add (wr_session_get_providers (fixture->session), "Gemini", "google",
                                     wr_mock_server_get_google_url (fixture->mock), "g-test", NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (gemini));
  set_chat_template (fixture, "Terse", "Answer in one sentence.");

  reply = chat_test_send (fixture->session, fixture->chat, "hello there", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_ECHO_PREFIX "hello there");

  body = last_body (fixture, parser);
  g_assert_true (g_str_has_prefix (wr_mock_server_get_last_path (fixture->mock), "/google/v1beta/models/mock-echo"));
  instruction = json_object_get_object_member (body, "systemInstruction");
  g_assert_nonnull (instruction);
  parts = json_object_get_array_member (instruction, "parts");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0), "text"), ==,
                   "Answer in one sentence.");
  contents = json_object_get_array_member (body, "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 0), "role"), ==, "user");
}

/* The project's template applies when the chat has none. */
static void
test_system_prompt_project (Fixture       *fixture,
                            gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrTemplate) template_ = wr_template_new ("Project voice", "Speak like a pirate.");
  g_autoptr(WrMessage) reply = NULL;

  g_assert_true (wr_store_save_template (store, template_, &error));
  g_assert_no_error (error);
  g_assert_true (wr_store_set_project_template_id (store, wr_project_get_id (fixture->project),
                                                   wr_template_get_id (template_), &error));
  g_assert_no_error (error);

  reply = chat_test_send (fixture->session, fixture->chat, "ahoy", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (wr_mock_server_get_last_body (fixture->mock), "Speak like a pirate."));
}

/* One-off completions ------------------------------------------------------ */

static void
on_complete_delta (const char *text,
                   gsize       len,
                   gpointer    user_data)
{
  g_string_append_len (user_data, text, len);
}

static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error G_GNUC_UNUSED = NULL;
  g_autoptr(GString) streamed = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) messages = NULL;
  JsonArray *sent;
  WrUsageRecord *row;
  ChatTestWait wait = { 0 };

  wr_chat_service_complete_async (fixture->service, wr_project_get_id (fixture->project), "mock-echo",
                                  "Be brief.", "ping pong", on_complete_delta, streamed,
                                  NULL, chat_test_complete_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.completion);
  g_assert_null (wait.partial);

  g_assert_cmpstr (wait.completion->content, ==, WR_MOCK_ECHO_PREFIX "ping pong");
  g_assert_cmpstr (streamed->str, ==, wait.completion->content);
  g_assert_cmpstr (wait.completion->model, ==, "mock-echo");
  g_assert_cmpstr (wait.completion->provider_id, ==, wr_provider_get_id (fixture->provider));
  g_assert_cmpstr (wait.completion->provider_name, ==, "Mock");
  g_assert_null (wait.completion->route_note);
  /* The mock counts the words of every message: the system one too. */
  g_assert_cmpint (wait.completion->input_tokens, ==, 4);
  g_assert_cmpint (wait.completion->output_tokens, >, 0);
  g_assert_false (wait.completion->estimated);
  g_assert_cmpint (wait.completion->cost_micros, ==, 0);

  sent = json_object_get_array_member (last_body (fixture, parser), "messages");
  g_assert_cmpuint (json_array_get_length (sent), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sent, 0), "role"), ==, "system");

  /* Metered under the project, in no chat, and nothing stored in the chat. */
  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->project_id, ==, wr_project_get_id (fixture->project));
  g_assert_null (row->chat_id);
  g_assert_null (row->message_id);
  g_assert_cmpint (row->input_tokens, ==, 4);
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 0);
  wr_completion_free (wait.completion);
}

/* Without a model, the project's default; credits like a chat reply. */
static void
test_complete_metered (Fixture       *fixture,
                       gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  WrUsageRecord *row;
  ChatTestWait wait = { 0 };
  ChatTestWait refused = { 0 };

  g_assert_true (wr_store_set_project_default_model (store, wr_project_get_id (fixture->project),
                                                     "mock-nousage", &error));
  g_assert_no_error (error);
  make_remote (fixture, "pro");

  /* No credits: refused before anything is sent. */
  wr_chat_service_complete_async (fixture->service, wr_project_get_id (fixture->project), NULL,
                                  NULL, "rewrite this", NULL, NULL, NULL, chat_test_complete_cb, &refused);
  chat_test_iterate_until (&refused.done, 20);
  g_assert_error (refused.error, WR_BILLING_ERROR, WR_BILLING_ERROR_INSUFFICIENT_CREDITS);
  g_clear_error (&refused.error);
  g_assert_null (refused.completion);
  g_assert_nonnull (refused.partial);
  g_assert_cmpstr (refused.partial->content, ==, "");
  wr_completion_free (refused.partial);
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);

  g_assert_true (wr_billing_topup (fixture->billing, MICROS_PER_CREDIT, NULL, &error));
  g_assert_no_error (error);
  wr_chat_service_complete_async (fixture->service, wr_project_get_id (fixture->project), NULL,
                                  NULL, "rewrite this", NULL, NULL, NULL, chat_test_complete_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_no_error (wait.error);
  g_assert_cmpstr (wait.completion->model, ==, "mock-nousage");
  g_assert_true (wait.completion->estimated);
  g_assert_cmpint (wait.completion->cost_micros, >, 0);
  g_assert_cmpint (balance (fixture), ==, MICROS_PER_CREDIT - wait.completion->cost_micros);

  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->model, ==, "mock-nousage");
  g_assert_true (row->estimated);
  g_assert_cmpint (row->cost_micros, ==, wait.completion->cost_micros);
  wr_completion_free (wait.completion);
}

/* Stop ---------------------------------------------------------------------- */

static void
test_stop_records_cancelled (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  WrUsageRecord *row;
  ChatTestWait wait = { 0 };
  gulong handler;

  handler = g_signal_connect (fixture->service, "message-added", G_CALLBACK (chat_test_on_added_cancel), cancellable);
  wr_chat_set_model (fixture->chat, "mock-long");
  wr_chat_service_send_async (fixture->service, fixture->chat, "long please", cancellable, chat_test_send_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_signal_handler_disconnect (fixture->service, handler);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
  rows = usage_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->outcome, ==, WR_USAGE_OUTCOME_CANCELLED);
  g_assert_cmpstr (row->message_id, ==, wr_message_get_id (g_ptr_array_index (messages, 1)));
  /* What arrived before Stop counts, estimated when the model said nothing. */
  g_assert_cmpint (row->output_tokens, >, 0);
  g_assert_cmpint (row->input_tokens, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/chat/billing/usage-row", Fixture, NULL, fixture_setup, test_usage_row_reported, fixture_teardown);
  g_test_add ("/chat/billing/usage-row-estimated", Fixture, NULL, fixture_setup, test_usage_row_estimated, fixture_teardown);
  g_test_add ("/chat/billing/quota-refusal", Fixture, NULL, fixture_setup, test_quota_refusal, fixture_teardown);
  g_test_add ("/chat/billing/model-gate", Fixture, NULL, fixture_setup, test_model_gate, fixture_teardown);
  g_test_add ("/chat/billing/credits-refusal", Fixture, NULL, fixture_setup, test_credits_refusal, fixture_teardown);
  g_test_add ("/chat/billing/reservation-settled", Fixture, NULL, fixture_setup, test_reservation_settled, fixture_teardown);
  g_test_add ("/chat/billing/failed-call-refunded", Fixture, NULL, fixture_setup, test_failed_call_refunded, fixture_teardown);
  g_test_add ("/chat/billing/failover-route-note", Fixture, NULL, fixture_setup, test_failover_route_note, fixture_teardown);
  g_test_add ("/chat/billing/failover-policy-saved", Fixture, NULL, fixture_setup, test_failover_policy_saved, fixture_teardown);
  g_test_add ("/chat/system-prompt/openai", Fixture, NULL, fixture_setup, test_system_prompt_openai, fixture_teardown);
  g_test_add ("/chat/system-prompt/anthropic", Fixture, NULL, fixture_setup, test_system_prompt_anthropic, fixture_teardown);
  g_test_add ("/chat/system-prompt/gemini", Fixture, NULL, fixture_setup, test_system_prompt_gemini, fixture_teardown);
  g_test_add ("/chat/system-prompt/project", Fixture, NULL, fixture_setup, test_system_prompt_project, fixture_teardown);
  g_test_add ("/chat/complete/basic", Fixture, NULL, fixture_setup, test_complete, fixture_teardown);
  g_test_add ("/chat/complete/metered", Fixture, NULL, fixture_setup, test_complete_metered, fixture_teardown);
  g_test_add ("/chat/billing/stop-records-cancelled", Fixture, NULL, fixture_setup, test_stop_records_cancelled, fixture_teardown);

  return g_test_run ();
}
