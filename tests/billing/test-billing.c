/* test-billing.c — plans and gates, the daily limit, usage by day × model,
 * prices and the credits ledger, on real SQLite files.
 *
 * The whole test runs in a fixed time zone three hours east of UTC (set in
 * main before anything reads it), so a local day is not a UTC day and the
 * day boundaries below would break if billing used UTC.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "billing-test-util.h"

static gint64
local_usec (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, 0);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
record (WrBilling  *billing,
        gint64      at,
        const char *project_id,
        const char *model,
        gint64      in,
        gint64      out,
        gboolean    estimated)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrUsageRecord) r = wr_usage_record_new ();

  r->created_at = at;
  r->project_id = g_strdup (project_id);
  r->model = g_strdup (model);
  r->provider_id = g_strdup ("prov");
  r->input_tokens = in;
  r->output_tokens = out;
  r->estimated = estimated;
  r->latency_ms = 120;
  g_assert_true (wr_billing_record_usage (billing, r, &error));
  g_assert_no_error (error);
  g_assert_nonnull (r->id);
  g_assert_cmpint (r->cost_micros, >=, 0);
}

/* Plans ------------------------------------------------------------------ */

static void
test_plan_presets (void)
{
  WrPlan *free_plan = wr_plan_lookup ("free");
  WrPlan *pro = wr_plan_lookup ("pro");
  WrPlan *enterprise = wr_plan_lookup ("enterprise");
  WrPlan * const *all = wr_plan_list_presets ();

  g_assert_nonnull (free_plan);
  g_assert_null (wr_plan_lookup ("gold"));
  g_assert_null (wr_plan_lookup (NULL));
  g_assert_true (all[0] == free_plan && all[1] == pro && all[2] == enterprise && all[3] == NULL);

  g_assert_cmpint (wr_plan_get_daily_token_limit (free_plan), ==, 10000);
  g_assert_cmpint (wr_plan_get_daily_token_limit (pro), ==, 250000);
  g_assert_cmpint (wr_plan_get_daily_token_limit (enterprise), ==, -1);
  g_assert_true (wr_plan_get_charges_credits (free_plan));
  g_assert_false (wr_plan_get_charges_credits (enterprise));

  /* Free: small models only, and anything local. */
  g_assert_true (wr_plan_allows_model (free_plan, "gpt-4o-mini", FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "GPT-4o-Mini-2024-07-18", FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "o3-mini", FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "gpt-4.1-nano", FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "gemini-2.0-flash", FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "claude-3-5-haiku-latest", FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "mistral-small-latest", FALSE));
  g_assert_false (wr_plan_allows_model (free_plan, "gpt-4o", FALSE));
  g_assert_false (wr_plan_allows_model (free_plan, "gemini-1.5-pro", FALSE));
  g_assert_false (wr_plan_allows_model (free_plan, "claude-3-5-sonnet-latest", FALSE));
  g_assert_false (wr_plan_allows_model (free_plan, NULL, FALSE));
  g_assert_true (wr_plan_allows_model (free_plan, "llama3.1:70b", TRUE));
  g_assert_true (wr_plan_allows_model (pro, "gpt-4o", FALSE));
  g_assert_true (wr_plan_allows_model (enterprise, "claude-opus-4", FALSE));

  g_assert_true (wr_plan_allows_feature (free_plan, "humanize"));
  g_assert_false (wr_plan_allows_feature (free_plan, "tasks"));
  g_assert_true (wr_plan_allows_feature (pro, "operator"));
  g_assert_false (wr_plan_allows_feature (pro, "teams"));
  for (guint i = 0; wr_plan_list_features ()[i] != NULL; i++)
    g_assert_true (wr_plan_allows_feature (enterprise, wr_plan_list_features ()[i]));
}

static void
test_local_url (void)
{
  g_assert_true (wr_billing_is_local_url ("http://127.0.0.1:11434"));
  g_assert_true (wr_billing_is_local_url ("http://127.8.9.10/v1"));
  g_assert_true (wr_billing_is_local_url ("http://localhost:11434/v1"));
  g_assert_true (wr_billing_is_local_url ("http://LOCALHOST"));
  g_assert_true (wr_billing_is_local_url ("http://[::1]:8080/v1"));
  g_assert_true (wr_billing_is_local_url ("localhost:11434"));
  g_assert_false (wr_billing_is_local_url ("https://api.openai.com/v1"));
  g_assert_false (wr_billing_is_local_url ("http://192.168.1.20:11434"));
  g_assert_false (wr_billing_is_local_url ("http://localhost.example.com"));
  g_assert_false (wr_billing_is_local_url (""));
  g_assert_false (wr_billing_is_local_url (NULL));
}

static void
test_gates (BillingFixture *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  WrBilling *billing = fixture->billing;

  /* A new profile is on the free plan. */
  g_assert_true (wr_billing_get_plan (billing, &error) == wr_plan_lookup ("free"));
  g_assert_no_error (error);

  g_assert_false (wr_billing_check_model (billing, NULL, "gpt-4o", FALSE, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_MODEL_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "gpt-4o"));
  g_clear_error (&error);
  g_assert_true (wr_billing_check_model (billing, NULL, "gpt-4o", TRUE, &error));
  g_assert_true (wr_billing_check_model (billing, NULL, "gpt-4o-mini", FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (wr_billing_check_feature (billing, NULL, "tasks", &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_FEATURE_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (wr_billing_check_feature (billing, NULL, "time-travel", &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_FEATURE_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_true (wr_billing_call_charges_credits (wr_plan_lookup ("free"), FALSE));
  g_assert_false (wr_billing_call_charges_credits (wr_plan_lookup ("free"), TRUE));
  g_assert_false (wr_billing_call_charges_credits (wr_plan_lookup ("enterprise"), FALSE));

  /* Upgrading opens the gates, and is stored. */
  g_assert_true (wr_billing_set_plan (billing, "pro", &error));
  g_assert_no_error (error);
  g_assert_true (wr_billing_check_model (billing, NULL, "gpt-4o", FALSE, &error));
  g_assert_true (wr_billing_check_feature (billing, NULL, "tasks", &error));
  g_assert_false (wr_billing_check_feature (billing, NULL, "teams", &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_FEATURE_NOT_ALLOWED);
  g_clear_error (&error);
  /* An explicit plan overrides the profile's. */
  g_assert_true (wr_billing_check_feature (billing, wr_plan_lookup ("enterprise"), "teams", &error));
  g_assert_no_error (error);

  {
    g_autoptr(WrProfile) profile = wr_store_get_profile (fixture->store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (wr_profile_get_plan (profile), ==, "pro");
  }

  g_assert_false (wr_billing_set_plan (billing, "gold", &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (wr_billing_get_plan (billing, &error) == wr_plan_lookup ("pro"));
}

/* Daily limit ------------------------------------------------------------ */

static void
test_quota (BillingFixture *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  WrBilling *billing = fixture->billing;
  gint64 now = local_usec (2025, 3, 10, 21, 30);
  gint64 used, limit, resets_at;

  _wr_billing_set_now (billing, now);

  /* Yesterday's tokens and tomorrow's do not count today. */
  record (billing, local_usec (2025, 3, 9, 23, 59), NULL, "gpt-4o-mini", 40000, 10000, FALSE);
  record (billing, local_usec (2025, 3, 10, 0, 0), NULL, "gpt-4o-mini", 5000, 1000, FALSE);
  record (billing, local_usec (2025, 3, 10, 21, 0), NULL, "gpt-4o-mini", 2000, 1000, TRUE);

  g_assert_true (wr_billing_get_quota (billing, &used, &limit, &resets_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (used, ==, 9000);
  g_assert_cmpint (limit, ==, 10000);
  g_assert_cmpint (resets_at, ==, local_usec (2025, 3, 11, 0, 0));

  g_assert_true (wr_billing_check_quota (billing, 1000, &error));
  g_assert_no_error (error);
  g_assert_false (wr_billing_check_quota (billing, 1001, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_QUOTA_EXCEEDED);
  g_test_message ("refusal: %s", error->message);
  /* The message gives the limit and when it resets (local midnight). */
  g_assert_nonnull (strstr (error->message, "10000"));
  g_assert_nonnull (strstr (error->message, "2025-03-11 00:00"));
  g_assert_nonnull (strstr (error->message, "in 2 h 30 min"));
  g_clear_error (&error);

  /* The profile's own limit replaces the plan's, both ways. */
  g_assert_true (wr_billing_set_daily_token_limit (billing, 20000, &error));
  g_assert_true (wr_billing_check_quota (billing, 11000, &error));
  g_assert_true (wr_billing_set_daily_token_limit (billing, 5000, &error));
  g_assert_false (wr_billing_check_quota (billing, 0, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_QUOTA_EXCEEDED);
  g_clear_error (&error);
  g_assert_true (wr_billing_set_daily_token_limit (billing, -1, &error));
  g_assert_false (wr_billing_check_quota (billing, 1001, &error));
  g_clear_error (&error);

  /* Enterprise has no limit. */
  g_assert_true (wr_billing_set_plan (billing, "enterprise", &error));
  g_assert_true (wr_billing_check_quota (billing, 10000000, &error));
  g_assert_true (wr_billing_get_quota (billing, NULL, &limit, NULL, &error));
  g_assert_cmpint (limit, ==, -1);
  g_assert_true (wr_billing_set_plan (billing, "free", &error));

  /* Just after midnight the day starts over. */
  _wr_billing_set_now (billing, local_usec (2025, 3, 11, 0, 1));
  g_assert_true (wr_billing_get_quota (billing, &used, NULL, NULL, &error));
  g_assert_cmpint (used, ==, 0);
  g_assert_true (wr_billing_check_quota (billing, 10000, &error));
  g_assert_no_error (error);
}

/* Usage ------------------------------------------------------------------ */

static void
test_usage_by_day (BillingFixture *fixture,
                   gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(WrProject) alpha = NULL;
  g_autoptr(WrProject) beta = NULL;
  WrBilling *billing = fixture->billing;
  WrUsageTotals totals;
  const char *a, *b;
  WrUsageDay *d;

  alpha = wr_store_create_project (fixture->store, "Alpha", &error);
  beta = wr_store_create_project (fixture->store, "Beta", &error);
  g_assert_no_error (error);
  a = wr_project_get_id (alpha);
  b = wr_project_get_id (beta);

  _wr_billing_set_now (billing, local_usec (2025, 6, 3, 12, 0));

  /* Out of a 3-day window. */
  record (billing, local_usec (2025, 5, 31, 23, 59), a, "gpt-4o", 999, 999, FALSE);
  /* June 1: 00:30 local is still May 31 in UTC. */
  record (billing, local_usec (2025, 6, 1, 0, 30), a, "gpt-4o", 100, 10, FALSE);
  record (billing, local_usec (2025, 6, 1, 23, 59), b, "gpt-4o", 200, 20, FALSE);
  record (billing, local_usec (2025, 6, 1, 8, 0), a, "claude-3-5-haiku", 1000, 100, TRUE);
  /* June 3. */
  record (billing, local_usec (2025, 6, 3, 1, 0), b, "gpt-4o", 5, 5, FALSE);
  record (billing, local_usec (2025, 6, 3, 11, 0), a, "claude-3-5-haiku", 7, 3, FALSE);

  days = wr_billing_usage_by_day (billing, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 4);

  d = g_ptr_array_index (days, 0);
  g_assert_cmpstr (d->day, ==, "2025-06-01");
  g_assert_cmpstr (d->model, ==, "claude-3-5-haiku");
  g_assert_cmpint (d->calls, ==, 1);
  g_assert_cmpint (d->input_tokens, ==, 1000);
  g_assert_cmpint (d->output_tokens, ==, 100);
  /* haiku: 0.80 in, 4.00 out per Mtok → 800 + 400 µ. */
  g_assert_cmpint (d->cost_micros, ==, 1200);

  d = g_ptr_array_index (days, 1);
  g_assert_cmpstr (d->day, ==, "2025-06-01");
  g_assert_cmpstr (d->model, ==, "gpt-4o");
  g_assert_cmpint (d->calls, ==, 2);
  g_assert_cmpint (d->input_tokens, ==, 300);
  g_assert_cmpint (d->output_tokens, ==, 30);

  d = g_ptr_array_index (days, 2);
  g_assert_cmpstr (d->day, ==, "2025-06-03");
  g_assert_cmpstr (d->model, ==, "claude-3-5-haiku");
  d = g_ptr_array_index (days, 3);
  g_assert_cmpstr (d->day, ==, "2025-06-03");
  g_assert_cmpstr (d->model, ==, "gpt-4o");
  g_assert_cmpint (d->input_tokens, ==, 5);

  g_assert_true (wr_billing_usage_totals (billing, 3, NULL, &totals, &error));
  g_assert_cmpint (totals.calls, ==, 5);
  g_assert_cmpint (totals.input_tokens, ==, 1312);
  g_assert_cmpint (totals.output_tokens, ==, 138);
  g_assert_cmpint (totals.estimated_calls, ==, 1);

  /* One project only. */
  g_assert_true (wr_billing_usage_totals (billing, 3, b, &totals, &error));
  g_assert_cmpint (totals.calls, ==, 2);
  g_assert_cmpint (totals.input_tokens, ==, 205);

  /* Today only, then everything. */
  g_assert_true (wr_billing_usage_totals (billing, 1, NULL, &totals, &error));
  g_assert_cmpint (totals.calls, ==, 2);
  g_assert_true (wr_billing_usage_totals (billing, 0, NULL, &totals, &error));
  g_assert_cmpint (totals.calls, ==, 6);

  list = wr_billing_list_usage (billing, 3, a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  {
    WrUsageRecord *newest = g_ptr_array_index (list, 0);
    WrUsageRecord *oldest = g_ptr_array_index (list, 2);

    g_assert_cmpstr (newest->model, ==, "claude-3-5-haiku");
    g_assert_cmpint (newest->input_tokens, ==, 7);
    g_assert_cmpstr (newest->project_id, ==, a);
    g_assert_cmpstr (newest->provider_id, ==, "prov");
    g_assert_cmpint (newest->latency_ms, ==, 120);
    g_assert_cmpint (newest->outcome, ==, WR_USAGE_OUTCOME_OK);
    g_assert_cmpint (oldest->created_at, ==, local_usec (2025, 6, 1, 0, 30));
  }
}

static void
test_usage_record_fields (BillingFixture *fixture,
                          gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrUsageRecord) r = wr_usage_record_new ();
  g_autoptr(GPtrArray) list = NULL;
  WrUsageRecord *back;

  r->model = g_strdup ("llama3.2:3b");
  r->input_tokens = wr_billing_estimate_tokens ("How many tokens is this?");
  r->output_tokens = 0;
  r->estimated = TRUE;
  r->cost_micros = 0;     /* local */
  r->outcome = WR_USAGE_OUTCOME_CANCELLED;
  g_assert_true (wr_billing_record_usage (fixture->billing, r, &error));
  g_assert_no_error (error);

  list = wr_billing_list_usage (fixture->billing, 1, NULL, &error);
  g_assert_cmpuint (list->len, ==, 1);
  back = g_ptr_array_index (list, 0);
  g_assert_cmpstr (back->id, ==, r->id);
  g_assert_cmpint (back->input_tokens, ==, 6);
  g_assert_true (back->estimated);
  g_assert_cmpint (back->cost_micros, ==, 0);
  g_assert_cmpint (back->latency_ms, ==, -1);
  g_assert_null (back->chat_id);
  g_assert_cmpint (back->outcome, ==, WR_USAGE_OUTCOME_CANCELLED);

  /* A project that does not exist is refused by the database; the record
   * keeps no id it was never stored under. */
  {
    g_autoptr(WrUsageRecord) bad = wr_usage_record_new ();

    bad->project_id = g_strdup ("nope");
    g_assert_false (wr_billing_record_usage (fixture->billing, bad, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
    g_assert_null (bad->id);
  }
}

static void
test_estimate_tokens (void)
{
  g_assert_cmpint (wr_billing_estimate_tokens (NULL), ==, 0);
  g_assert_cmpint (wr_billing_estimate_tokens (""), ==, 0);
  g_assert_cmpint (wr_billing_estimate_tokens ("a"), ==, 1);
  g_assert_cmpint (wr_billing_estimate_tokens ("abcd"), ==, 1);
  g_assert_cmpint (wr_billing_estimate_tokens ("abcde"), ==, 2);
  /* Characters, not bytes. */
  g_assert_cmpint (wr_billing_estimate_tokens ("éééé"), ==, 1);
}

/* Prices ----------------------------------------------------------------- */

static gint64
cost (WrBilling *billing, const char *model, gint64 in, gint64 out)
{
  g_autoptr(GError) error = NULL;
  gint64 c = wr_billing_cost_micros (billing, model, in, out, &error);

  g_assert_no_error (error);
  return c;
}

static void
test_prices (BillingFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  WrBilling *billing = fixture->billing;
  const gint64 M = 1000000;
  gboolean found = FALSE;

  g_assert_cmpint (cost (billing, "gpt-4o", M, M), ==, 12500000);
  g_assert_cmpint (cost (billing, "gpt-4o-2024-08-06", M, 0), ==, 2500000);
  g_assert_cmpint (cost (billing, "gpt-4o-mini-2024-07-18", M, M), ==, 750000);
  g_assert_cmpint (cost (billing, "claude-3-5-sonnet-latest", M, M), ==, 18000000);
  g_assert_cmpint (cost (billing, "claude-3-haiku-20240307", M, M), ==, 1500000);
  g_assert_cmpint (cost (billing, "models/gemini-1.5-flash", M, M), ==, 375000);
  g_assert_cmpint (cost (billing, "gemini-1.5-pro", M, M), ==, 6250000);
  /* Unknown cloud models are priced like gpt-4o, never free. */
  g_assert_cmpint (cost (billing, "some-new-model", M, M), ==, 12500000);
  /* Rounded up to a whole micro. */
  g_assert_cmpint (cost (billing, "gpt-4o-mini", 1, 0), ==, 1);
  g_assert_cmpint (cost (billing, "gpt-4o-mini", 0, 0), ==, 0);

  /* The user's price replaces the built-in one for the same pattern… */
  g_assert_true (wr_billing_set_price (billing, "gpt-4o*", 1 * M, 2 * M, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cost (billing, "gpt-4o", M, M), ==, 3 * M);
  /* …but a more specific built-in still wins over it. */
  g_assert_cmpint (cost (billing, "gpt-4o-mini", M, M), ==, 750000);
  /* New patterns add models, and edits update in place. */
  g_assert_true (wr_billing_set_price (billing, "My-Model", 0, 5 * M, &error));
  g_assert_cmpint (cost (billing, "my-model", M, M), ==, 5 * M);
  g_assert_true (wr_billing_set_price (billing, "my-model", 0, 7 * M, &error));
  g_assert_cmpint (cost (billing, "my-model", M, M), ==, 7 * M);

  prices = wr_billing_list_prices (billing, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < prices->len; i++)
    {
      WrModelPrice *p = g_ptr_array_index (prices, i);

      if (g_str_equal (p->pattern, "gpt-4o*"))
        {
          g_assert_true (p->custom);
          g_assert_cmpint (p->input_micros_per_mtok, ==, M);
          g_assert_false (found);
          found = TRUE;
        }
    }
  g_assert_true (found);

  /* Resetting brings back the built-in price; reset then set again works. */
  g_assert_true (wr_billing_reset_price (billing, "gpt-4o*", &error));
  g_assert_cmpint (cost (billing, "gpt-4o", M, M), ==, 12500000);
  g_assert_true (wr_billing_set_price (billing, "gpt-4o*", 2 * M, 2 * M, &error));
  g_assert_cmpint (cost (billing, "gpt-4o", M, M), ==, 4 * M);

  g_assert_false (wr_billing_set_price (billing, "  ", M, M, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wr_billing_set_price (billing, "x", -1, M, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);

  /* Usage with cost -1 is priced from the same table. */
  {
    g_autoptr(WrUsageRecord) r = wr_usage_record_new ();

    r->model = g_strdup ("my-model");
    r->output_tokens = 1000;
    g_assert_true (wr_billing_record_usage (billing, r, &error));
    g_assert_cmpint (r->cost_micros, ==, 7000);
  }
}

/* Credits ---------------------------------------------------------------- */

static gint64
balance (WrBilling *billing)
{
  g_autoptr(GError) error = NULL;
  gint64 b = wr_billing_get_balance (billing, &error);

  g_assert_no_error (error);
  return b;
}

static guint
ledger_len (WrBilling *billing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = wr_billing_list_ledger (billing, 0, &error);

  g_assert_no_error (error);
  return ledger->len;
}

static void
assert_ledger_consistent (BillingFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 sum, min_prefix, cached;

  g_assert_true (wr_billing_verify_ledger (fixture->billing, &sum, &min_prefix, &error));
  g_assert_no_error (error);
  billing_test_ledger_scan (fixture->path, &sum, &min_prefix, &cached, NULL);
  g_assert_cmpint (sum, ==, cached);
  g_assert_cmpint (min_prefix, >=, 0);
}

static void
test_ledger (BillingFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autofree char *r3 = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  WrBilling *billing = fixture->billing;
  gint64 charged = -1;

  g_assert_cmpint (balance (billing), ==, 0);

  /* Nothing to reserve from. */
  g_assert_false (wr_billing_reserve (billing, 1, "chat_usage", NULL, &r1, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INSUFFICIENT_CREDITS);
  g_assert_null (r1);
  g_clear_error (&error);
  g_assert_cmpuint (ledger_len (billing), ==, 0);

  g_assert_true (wr_billing_topup (billing, 10 * CREDIT, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance (billing), ==, 10 * CREDIT);

  /* Reserve 3, settle to 2: one refunded. */
  g_assert_true (wr_billing_reserve (billing, 3 * CREDIT, "chat_usage",
                                     "{\"model\": \"gpt-4o\"}", &r1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance (billing), ==, 7 * CREDIT);
  g_assert_true (wr_billing_settle (billing, r1, 2 * CREDIT, &charged, &error));
  g_assert_no_error (error);
  g_assert_cmpint (charged, ==, 2 * CREDIT);
  g_assert_cmpint (balance (billing), ==, 8 * CREDIT);

  /* Settling again changes nothing, whatever the amount. */
  g_assert_true (wr_billing_settle (billing, r1, 5 * CREDIT, &charged, &error));
  g_assert_cmpint (charged, ==, 2 * CREDIT);
  g_assert_true (wr_billing_settle (billing, r1, 0, &charged, &error));
  g_assert_cmpint (balance (billing), ==, 8 * CREDIT);
  g_assert_cmpuint (ledger_len (billing), ==, 3);

  /* More than the balance is refused and leaves no trace. */
  g_assert_false (wr_billing_reserve (billing, 8 * CREDIT + 1, "chat_usage", NULL, &r2, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INSUFFICIENT_CREDITS);
  g_test_message ("refusal: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (balance (billing), ==, 8 * CREDIT);
  g_assert_cmpuint (ledger_len (billing), ==, 3);

  /* Exactly the balance is fine; then a settle above the reservation can
   * only charge what is left, never below zero. */
  g_assert_true (wr_billing_reserve (billing, 6 * CREDIT, "chat_usage", NULL, &r2, &error));
  g_assert_cmpint (balance (billing), ==, 2 * CREDIT);
  g_assert_true (wr_billing_settle (billing, r2, 7 * CREDIT, &charged, &error));
  g_assert_cmpint (charged, ==, 7 * CREDIT);
  g_assert_cmpint (balance (billing), ==, 1 * CREDIT);

  g_assert_true (wr_billing_reserve (billing, 1 * CREDIT, "chat_usage", NULL, &r3, &error));
  g_assert_cmpint (balance (billing), ==, 0);
  g_assert_true (wr_billing_settle (billing, r3, 4 * CREDIT, &charged, &error));
  g_assert_no_error (error);
  g_assert_cmpint (charged, ==, 1 * CREDIT);
  g_assert_cmpint (balance (billing), ==, 0);

  ledger = wr_billing_list_ledger (billing, 2, &error);
  g_assert_cmpuint (ledger->len, ==, 2);
  {
    WrLedgerEntry *last = g_ptr_array_index (ledger, 0);

    /* The shortfall is on record, not on the balance. */
    g_assert_cmpstr (last->reason, ==, "charge");
    g_assert_cmpint (last->delta, ==, 0);
    g_assert_nonnull (strstr (last->meta, r3));
    g_assert_nonnull (strstr (last->meta, "\"uncharged\":3000000"));
  }

  /* Bad input. */
  g_assert_false (wr_billing_topup (billing, 0, NULL, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wr_billing_reserve (billing, -5, NULL, NULL, NULL, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wr_billing_settle (billing, "no-such-reservation", 1, NULL, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (wr_billing_topup (billing, 2 * CREDIT, "topup", &error));
  g_assert_no_error (error);
  g_assert_false (wr_billing_reserve (billing, CREDIT, NULL, "not json", NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (balance (billing), ==, 2 * CREDIT);

  assert_ledger_consistent (fixture);
}

/* The database itself refuses a negative balance and ledger edits, even
 * from a connection that bypasses billing. */
static void
test_ledger_guards (BillingFixture *fixture,
                    gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_true (wr_billing_topup (fixture->billing, CREDIT, NULL, &error));

  db = billing_test_raw_open (fixture->path);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE profile SET credits_balance = -1", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE credit_ledger SET delta = 100", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM credit_ledger", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (billing_test_raw_int (db, "SELECT credits_balance FROM profile"), ==, CREDIT);
  sqlite3_close (db);

  assert_ledger_consistent (fixture);
}

/* wr-store-db.h: a failing function leaves nothing behind. */
typedef struct {
  WrStore *store;
  gboolean fail;
} TxData;

static gboolean
insert_then_maybe_fail (sqlite3   *db,
                        gpointer   data,
                        GError   **error)
{
  TxData *tx = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (tx->store,
                       "INSERT INTO credit_ledger (id, delta, reason, created_at, updated_at) "
                       "VALUES (?1, 0, 'test', 0, 0)",
                       error);
  g_autofree char *id = g_strdup_printf ("tx-%d", tx->fail);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _wr_store_sqlite_error (tx->store, sqlite3_errcode (db), error);

  if (tx->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "on purpose");
      return FALSE;
    }

  return TRUE;
}

static gboolean
count_rows (sqlite3   *db,
            gpointer   data,
            GError   **error)
{
  TxData *tx = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (tx->store, "SELECT count(*) FROM credit_ledger WHERE reason = 'test'", error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  tx->fail = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static void
test_store_db (BillingFixture *fixture,
               gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  TxData tx = { fixture->store, TRUE };

  g_assert_false (_wr_store_run_transaction (fixture->store, insert_then_maybe_fail, &tx, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  tx.fail = FALSE;
  g_assert_true (_wr_store_run_transaction (fixture->store, insert_then_maybe_fail, &tx, &error));
  g_assert_no_error (error);

  g_assert_true (_wr_store_run_read (fixture->store, count_rows, &tx, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tx.fail, ==, 1);

  /* The store's own API still works after domain transactions. */
  {
    g_autoptr(WrProject) project = wr_store_create_project (fixture->store, "After", &error);

    g_assert_no_error (error);
    g_assert_nonnull (project);
  }
}

static void
test_format_credits (void)
{
  struct { const char *text; gint64 micros; } ok[] = {
    { "0", 0 }, { "10", 10 * CREDIT }, { "2.5", 2500000 }, { "2.50", 2500000 },
    { ".5", 500000 }, { "0.000001", 1 }, { "1.", CREDIT },
  };
  const char *bad[] = { "", "-1", "abc", "1.0000001", "1e3", "1,5", "99999999999", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      gint64 micros = -1;

      g_assert_true (wr_billing_parse_credits (ok[i].text, &micros));
      g_assert_cmpint (micros, ==, ok[i].micros);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      gint64 micros = 0;
      g_assert_false (wr_billing_parse_credits (bad[i], &micros));
    }

  {
    g_autofree char *a = wr_billing_format_credits (0);
    g_autofree char *b = wr_billing_format_credits (2500000);
    g_autofree char *c = wr_billing_format_credits (-1234567);
    g_autofree char *d = wr_billing_format_credits (G_MININT64);

    g_assert_cmpstr (a, ==, "0.00");
    g_assert_cmpstr (b, ==, "2.50");
    g_assert_cmpstr (c, ==, "-1.234567");
    g_assert_cmpstr (d, ==, "-9223372036854.775808");
  }
}

/* Async ------------------------------------------------------------------ */

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (BillingFixture *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  record (fixture->billing, 0, NULL, "gpt-4o-mini", 10, 20, FALSE);
  g_assert_true (wr_billing_topup (fixture->billing, CREDIT, NULL, &error));

  wr_billing_usage_by_day_async (fixture->billing, 7, NULL, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = wr_billing_usage_by_day_finish (fixture->billing, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_object (&result);
  g_clear_pointer (&rows, g_ptr_array_unref);

  wr_billing_list_ledger_async (fixture->billing, 0, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = wr_billing_list_ledger_finish (fixture->billing, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
}

static void
count_cb (gpointer  object,
          guint    *count)
{
  (*count)++;
}

/* A top-up from a worker thread moves the balance and writes its ledger
 * row; "changed" then arrives once, in the main context, for a burst. */
static void
test_topup_async (BillingFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  guint changed = 0;

  g_signal_connect (fixture->billing, "changed", G_CALLBACK (count_cb), &changed);

  wr_billing_topup_async (fixture->billing, 12 * CREDIT + CREDIT / 2, NULL, NULL,
                          async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wr_billing_topup_finish (fixture->billing, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_cmpint (wr_billing_get_balance (fixture->billing, NULL), ==, 12500000);
  ledger = wr_billing_list_ledger (fixture->billing, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 1);
  g_assert_cmpstr (((WrLedgerEntry *) ledger->pdata[0])->reason, ==, "topup");

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 1);

  /* Refused amounts fail without a change or a signal. */
  wr_billing_topup_async (fixture->billing, 0, NULL, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wr_billing_topup_finish (fixture->billing, result, &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (wr_billing_get_balance (fixture->billing, NULL), ==, 12500000);

  /* Several writes before the main loop runs: one emission. */
  g_assert_true (wr_billing_set_plan (fixture->billing, "pro", &error));
  g_assert_true (wr_billing_set_daily_token_limit (fixture->billing, 5000, &error));
  record (fixture->billing, 0, NULL, "gpt-4o-mini", 10, 20, FALSE);
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 2);
}

/* A new profile's welcome credits: given once, in the ledger like any
 * other movement, never again (not even after spending them). */
static void
test_welcome (BillingFixture *fixture,
              gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autofree char *reservation = NULL;
  gint64 granted = -1;
  gint64 sum = 0;
  gint64 min_prefix = 0;

  g_assert_true (wr_billing_grant_welcome (fixture->billing, 0, &granted, &error));
  g_assert_cmpint (granted, ==, 0);
  g_assert_cmpint (balance (fixture->billing), ==, 0);

  g_assert_true (wr_billing_grant_welcome (fixture->billing, WR_BILLING_WELCOME_CREDITS_MICROS, &granted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (granted, ==, WR_BILLING_WELCOME_CREDITS_MICROS);
  g_assert_cmpint (balance (fixture->billing), ==, WR_BILLING_WELCOME_CREDITS_MICROS);

  /* Spend it all; a second grant gives nothing. */
  g_assert_true (wr_billing_reserve (fixture->billing, WR_BILLING_WELCOME_CREDITS_MICROS, "chat_usage",
                                     NULL, &reservation, &error));
  g_assert_true (wr_billing_settle (fixture->billing, reservation, WR_BILLING_WELCOME_CREDITS_MICROS,
                                    NULL, &error));
  g_assert_true (wr_billing_grant_welcome (fixture->billing, WR_BILLING_WELCOME_CREDITS_MICROS, &granted, &error));
  g_assert_cmpint (granted, ==, 0);
  g_assert_cmpint (balance (fixture->billing), ==, 0);

  ledger = wr_billing_list_ledger (fixture->billing, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 2);
  g_assert_cmpstr (((WrLedgerEntry *) g_ptr_array_index (ledger, 1))->reason, ==, "welcome");
  g_assert_true (wr_billing_verify_ledger (fixture->billing, &sum, &min_prefix, &error));
  g_assert_cmpint (sum, ==, 0);
}

/* A reservation a crashed process never settled is given back, once, when
 * it is old enough; a call still running keeps its reservation. */
static void
test_stale_reservations (BillingFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;
  g_autofree char *fresh = NULL;
  gint64 start = g_get_real_time ();
  gint64 sum = 0;
  gint64 min_prefix = 0;
  guint released = 99;

  g_assert_true (wr_billing_topup (fixture->billing, 10000000, NULL, &error));
  _wr_billing_set_now (fixture->billing, start);
  g_assert_true (wr_billing_reserve (fixture->billing, 3000000, "chat_usage", NULL, &old, &error));
  _wr_billing_set_now (fixture->billing, start + G_GINT64_CONSTANT (50) * 60 * G_USEC_PER_SEC);
  g_assert_true (wr_billing_reserve (fixture->billing, 2000000, "chat_usage", NULL, &fresh, &error));
  g_assert_cmpint (balance (fixture->billing), ==, 5000000);

  /* An hour and a bit later: only the first is stale. */
  _wr_billing_set_now (fixture->billing, start + G_GINT64_CONSTANT (61) * 60 * G_USEC_PER_SEC);
  g_assert_true (wr_billing_release_stale_reservations (fixture->billing, WR_BILLING_STALE_RESERVATION_USEC,
                                                        &released, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (released, ==, 1);
  g_assert_cmpint (balance (fixture->billing), ==, 8000000);

  g_assert_true (wr_billing_release_stale_reservations (fixture->billing, WR_BILLING_STALE_RESERVATION_USEC,
                                                        &released, &error));
  g_assert_cmpuint (released, ==, 0);
  g_assert_cmpint (balance (fixture->billing), ==, 8000000);

  /* The running call settles normally; the stale one cannot be charged
   * twice. */
  g_assert_true (wr_billing_settle (fixture->billing, fresh, 500000, NULL, &error));
  g_assert_true (wr_billing_settle (fixture->billing, old, 3000000, NULL, &error));
  g_assert_cmpint (balance (fixture->billing), ==, 9500000);
  g_assert_true (wr_billing_verify_ledger (fixture->billing, &sum, &min_prefix, &error));
  g_assert_cmpint (sum, ==, 9500000);
}

int
main (int    argc,
      char **argv)
{
  /* Three hours east of UTC, no DST; before anything reads the zone. */
  g_setenv ("TZ", "WRT-3", TRUE);
  tzset ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/billing/plans/presets", test_plan_presets);
  g_test_add_func ("/billing/plans/local-url", test_local_url);
  g_test_add ("/billing/plans/gates", BillingFixture, NULL,
              billing_fixture_setup, test_gates, billing_fixture_teardown);
  g_test_add ("/billing/quota/limit-and-reset", BillingFixture, NULL,
              billing_fixture_setup, test_quota, billing_fixture_teardown);
  g_test_add ("/billing/usage/by-day-and-model", BillingFixture, NULL,
              billing_fixture_setup, test_usage_by_day, billing_fixture_teardown);
  g_test_add ("/billing/usage/record-fields", BillingFixture, NULL,
              billing_fixture_setup, test_usage_record_fields, billing_fixture_teardown);
  g_test_add_func ("/billing/usage/estimate-tokens", test_estimate_tokens);
  g_test_add ("/billing/prices/table", BillingFixture, NULL,
              billing_fixture_setup, test_prices, billing_fixture_teardown);
  g_test_add ("/billing/credits/reserve-settle", BillingFixture, NULL,
              billing_fixture_setup, test_ledger, billing_fixture_teardown);
  g_test_add ("/billing/credits/database-guards", BillingFixture, NULL,
              billing_fixture_setup, test_ledger_guards, billing_fixture_teardown);
  g_test_add_func ("/billing/credits/format", test_format_credits);
  g_test_add ("/billing/store-db/rollback", BillingFixture, NULL,
              billing_fixture_setup, test_store_db, billing_fixture_teardown);
  g_test_add ("/billing/credits/welcome", BillingFixture, NULL,
              billing_fixture_setup, test_welcome, billing_fixture_teardown);
  g_test_add ("/billing/credits/stale-reservations", BillingFixture, NULL,
              billing_fixture_setup, test_stale_reservations, billing_fixture_teardown);
  g_test_add ("/billing/async", BillingFixture, NULL,
              billing_fixture_setup, test_async, billing_fixture_teardown);
  g_test_add ("/billing/async/topup-and-changed", BillingFixture, NULL,
              billing_fixture_setup, test_topup_async, billing_fixture_teardown);

  return g_test_run ();
}
