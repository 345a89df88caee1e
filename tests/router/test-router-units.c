/* test-router-units.c — WrFailoverPolicy (JSON, validation, matching) and
 * WrCircuitBreaker (states, cool-downs) without any network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "providers/wr-failover-policy.h"
#include "providers/wr-circuit-breaker.h"
#include "providers/wr-provider.h"
#include "providers/wr-provider-private.h"
#include "providers/wr-router-private.h"

/* Policy */

static void
assert_lookup (WrFailoverPolicy *policy,
               const char       *model,
               const char       *provider,   /* NULL: no fallbacks */
               const char       *target_model)
{
  const WrFailoverTarget *targets;
  guint n = 99;

  targets = wr_failover_policy_lookup (policy, model, &n);
  if (provider == NULL)
    {
      g_assert_cmpuint (n, ==, 0);
      g_assert_null (targets);
      return;
    }
  g_assert_cmpuint (n, >=, 1);
  g_assert_nonnull (targets);
  g_assert_cmpstr (targets[0].provider, ==, provider);
  g_assert_cmpstr (targets[0].model, ==, target_model);
}

static void
test_policy_defaults (void)
{
  g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new_default ();

  g_assert_cmpuint (wr_failover_policy_get_n_chains (policy), ==, 3);
  assert_lookup (policy, "gpt-4o", "anthropic", "claude-3-5-sonnet-latest");
  /* An exact pattern is not a prefix. */
  assert_lookup (policy, "gpt-4o-mini", NULL, NULL);
  assert_lookup (policy, "claude-3-5-sonnet-latest", "openai", "gpt-4o-mini");
  assert_lookup (policy, "claude-3-opus", "openai", "gpt-4o-mini");
  /* Model names match case-insensitively. */
  assert_lookup (policy, "Gemini-1.5-Pro", "openai", "gpt-4o-mini");
  assert_lookup (policy, "llama3.1", NULL, NULL);
  assert_lookup (policy, NULL, NULL, NULL);
}

static void
test_policy_json_round_trip (void)
{
  g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new_default ();
  g_autoptr(WrFailoverPolicy) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  const WrFailoverTarget two[] = {
    { (char *) "my-proxy", (char *) "gpt-4o" },
    { (char *) "google", (char *) "gemini-1.5-flash" },
  };
  const WrFailoverTarget *targets;
  guint n;

  g_assert_true (wr_failover_policy_set_chain (policy, "o1-*", two, G_N_ELEMENTS (two), &error));
  g_assert_no_error (error);
  g_assert_true (wr_failover_policy_set_chain (policy, "local-only", NULL, 0, &error));
  g_assert_no_error (error);

  json = wr_failover_policy_to_json (policy);
  g_assert_nonnull (strstr (json, "\"version\" : 1"));
  copy = wr_failover_policy_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  g_assert_cmpuint (wr_failover_policy_get_n_chains (copy), ==, 5);
  g_assert_cmpstr (wr_failover_policy_get_pattern (copy, 3), ==, "o1-*");
  targets = wr_failover_policy_get_targets (copy, 3, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (targets[0].provider, ==, "my-proxy");
  g_assert_cmpstr (targets[1].model, ==, "gemini-1.5-flash");
  targets = wr_failover_policy_get_targets (copy, 4, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (targets);

  json2 = wr_failover_policy_to_json (copy);
  g_assert_cmpstr (json, ==, json2);
}

static void
test_policy_first_match_wins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrFailoverPolicy) policy =
    wr_failover_policy_new_from_json ("{\"chains\":["
                                      " {\"model\":\"claude-3-haiku*\",\"fallbacks\":[]},"
                                      " {\"model\":\"claude*\",\"fallbacks\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}]},"
                                      " {\"model\":\"*\",\"fallbacks\":[{\"provider\":\"ollama-box\",\"model\":\"llama3.1\"}]}"
                                      "]}", -1, &error);

  g_assert_no_error (error);
  /* An empty chain turns failover off and hides the broader patterns. */
  assert_lookup (policy, "claude-3-haiku-20240307", NULL, NULL);
  assert_lookup (policy, "claude-3-opus", "openai", "gpt-4o-mini");
  assert_lookup (policy, "mistral", "ollama-box", "llama3.1");
}

static void
on_changed_cb (WrFailoverPolicy *policy,
               guint            *count)
{
  (*count)++;
}

static void
test_policy_edit (void)
{
  g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new_default ();
  g_autoptr(GError) error = NULL;
  const WrFailoverTarget target = { (char *) "google", (char *) "gemini-1.5-pro" };
  const WrFailoverTarget pattern_model = { (char *) "google", (char *) "gemini*" };
  const WrFailoverTarget no_provider = { (char *) "", (char *) "gpt-4o" };
  guint changed = 0;

  g_signal_connect (policy, "changed", G_CALLBACK (on_changed_cb), &changed);

  /* Replacing keeps the chain's place. */
  g_assert_true (wr_failover_policy_set_chain (policy, "GPT-4o", &target, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (policy), ==, 3);
  g_assert_cmpstr (wr_failover_policy_get_pattern (policy, 0), ==, "GPT-4o");
  assert_lookup (policy, "gpt-4o", "google", "gemini-1.5-pro");

  g_assert_false (wr_failover_policy_set_chain (policy, "gpt-4o", &pattern_model, 1, &error));
  g_assert_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "gemini*"));
  g_clear_error (&error);
  g_assert_false (wr_failover_policy_set_chain (policy, "gpt-4o", &no_provider, 1, &error));
  g_assert_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "provider"));
  g_clear_error (&error);
  g_assert_false (wr_failover_policy_set_chain (policy, "two words", &target, 1, &error));
  g_assert_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID);
  g_clear_error (&error);
  /* Failed edits change nothing. */
  g_assert_cmpuint (changed, ==, 1);
  assert_lookup (policy, "gpt-4o", "google", "gemini-1.5-pro");

  g_assert_true (wr_failover_policy_remove_chain (policy, "gpt-4o"));
  g_assert_false (wr_failover_policy_remove_chain (policy, "gpt-4o"));
  g_assert_cmpuint (changed, ==, 2);
  assert_lookup (policy, "gpt-4o", NULL, NULL);

  wr_failover_policy_clear (policy);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (policy), ==, 0);
  assert_lookup (policy, "claude-3-opus", NULL, NULL);
}

typedef struct
{
  const char *json;
  int         code;
  const char *needle;   /* part of the message that points at the problem */
} BadPolicy;

static void
test_policy_validation (void)
{
  g_autofree char *nine = NULL;
  g_autoptr(GString) many = g_string_new ("{\"chains\":[{\"model\":\"x\",\"fallbacks\":[");
  const BadPolicy cases[] = {
    { "{\"chains\": [", WR_FAILOVER_POLICY_ERROR_PARSE, "JSON" },
    { "[]", WR_FAILOVER_POLICY_ERROR_INVALID, "chains" },
    { "{}", WR_FAILOVER_POLICY_ERROR_INVALID, "chains" },
    { "{\"chains\": {}}", WR_FAILOVER_POLICY_ERROR_INVALID, "chains" },
    { "{\"version\": 2, \"chains\": []}", WR_FAILOVER_POLICY_ERROR_INVALID, "version 2" },
    { "{\"version\": \"1\", \"chains\": []}", WR_FAILOVER_POLICY_ERROR_INVALID, "version" },
    { "{\"chain\": []}", WR_FAILOVER_POLICY_ERROR_INVALID, "“chain”" },
    { "{\"chains\": [42]}", WR_FAILOVER_POLICY_ERROR_INVALID, "chain 1" },
    { "{\"chains\": [{\"fallbacks\": []}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "chain 1" },
    { "{\"chains\": [{\"model\": \"a b\", \"fallbacks\": []}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "chain 1" },
    { "{\"chains\": [{\"model\": \"gpt-4o\"}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "fallbacks" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallback\": []}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "“fallback”" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [\"anthropic\"]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "fallback 1" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [{\"model\": \"m\"}]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "“provider”" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [{\"provider\": \"openai\"}]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "“model”" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [{\"provider\": \"openai\", \"model\": 4}]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "“model”" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [{\"provider\": \"openai\", \"model\": \"gpt-*\"}]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "gpt-*" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [{\"provider\": \"openai\", \"model\": \"m\", \"weight\": 2}]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "“weight”" },
    { "{\"chains\": [{\"model\": \"gpt-4o\", \"fallbacks\": [{\"provider\": \"openai\", \"model\": \"m\"}, {\"provider\": \"OpenAI\", \"model\": \"m\"}]}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "1 and 2" },
    { "{\"chains\": [{\"model\": \"claude*\", \"fallbacks\": []}, {\"model\": \"Claude*\", \"fallbacks\": []}]}", WR_FAILOVER_POLICY_ERROR_INVALID, "chain 2" },
  };

  for (guint i = 0; i < 9; i++)
    g_string_append_printf (many, "%s{\"provider\":\"p%u\",\"model\":\"m\"}", i ? "," : "", i);
  g_string_append (many, "]}]}");
  nine = g_string_free (g_steal_pointer (&many), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (cases) + 1; i++)
    {
      const char *json = i < G_N_ELEMENTS (cases) ? cases[i].json : nine;
      int code = i < G_N_ELEMENTS (cases) ? cases[i].code : WR_FAILOVER_POLICY_ERROR_INVALID;
      const char *needle = i < G_N_ELEMENTS (cases) ? cases[i].needle : "at most 8";
      g_autoptr(GError) error = NULL;
      g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new_from_json (json, -1, &error);

      g_test_message ("case %u: %s → %s", i, json, error ? error->message : "(no error)");
      g_assert_null (policy);
      g_assert_error (error, WR_FAILOVER_POLICY_ERROR, code);
      g_assert_nonnull (strstr (error->message, needle));
    }
}

/* Circuit breaker */

static gint64 fake_now = 1000 * G_TIME_SPAN_SECOND;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static void
advance_ms (gint64 ms)
{
  fake_now += ms * G_TIME_SPAN_MILLISECOND;
}

static GError *
provider_error (int code)
{
  return g_error_new_literal (WR_PROVIDER_ERROR, code, "test");
}

static WrCircuitBreaker *
fake_breaker (void)
{
  WrCircuitBreaker *breaker = wr_circuit_breaker_new ();

  _wr_circuit_breaker_set_clock (breaker, fake_clock, NULL);
  return breaker;
}

static void
fail (WrCircuitBreaker *breaker,
      int               code)
{
  g_autoptr(GError) error = provider_error (code);

  wr_circuit_breaker_record_failure (breaker, error);
}

static void
test_breaker_opens_and_cools_down (void)
{
  g_autoptr(WrCircuitBreaker) breaker = fake_breaker ();

  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
  g_assert_cmpuint (wr_circuit_breaker_get_failure_threshold (breaker), ==, 3);
  g_assert_cmpuint (wr_circuit_breaker_get_cooldown (breaker), ==, 30000);

  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (wr_circuit_breaker_try_acquire (breaker));
      fail (breaker, WR_PROVIDER_ERROR_SERVER);
    }
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
  fail (breaker, WR_PROVIDER_ERROR_CONNECTION);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_OPEN);
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 30000);

  /* Refused all through the cool-down. */
  g_assert_false (wr_circuit_breaker_try_acquire (breaker));
  advance_ms (29999);
  g_assert_false (wr_circuit_breaker_try_acquire (breaker));
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 1);

  /* Then exactly one probe. */
  advance_ms (1);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_HALF_OPEN);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
  g_assert_false (wr_circuit_breaker_try_acquire (breaker));
  g_assert_false (wr_circuit_breaker_try_acquire (breaker));

  /* The probe fails: open again, twice as long. */
  fail (breaker, WR_PROVIDER_ERROR_TIMEOUT);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_OPEN);
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 60000);
  advance_ms (30000);
  g_assert_false (wr_circuit_breaker_try_acquire (breaker));
  advance_ms (30000);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));

  /* This probe succeeds: closed, counters and cool-down reset. */
  wr_circuit_breaker_record_success (breaker);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
  g_assert_cmpuint (wr_circuit_breaker_get_consecutive_failures (breaker), ==, 0);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
  for (guint i = 0; i < 3; i++)
    fail (breaker, WR_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 30000);
}

static void
test_breaker_backoff_is_capped (void)
{
  g_autoptr(WrCircuitBreaker) breaker = fake_breaker ();

  wr_circuit_breaker_set_failure_threshold (breaker, 1);
  wr_circuit_breaker_set_cooldown (breaker, 1000);
  wr_circuit_breaker_set_max_cooldown (breaker, 5000);

  fail (breaker, WR_PROVIDER_ERROR_SERVER);
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 1000);

  /* 2 s, 4 s, then capped at 5 s. */
  for (gint64 expected = 2000; expected <= 8000; expected *= 2)
    {
      advance_ms (wr_circuit_breaker_get_remaining_ms (breaker));
      g_assert_true (wr_circuit_breaker_try_acquire (breaker));
      fail (breaker, WR_PROVIDER_ERROR_SERVER);
      g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, MIN (expected, 5000));
    }
}

static void
test_breaker_ignores_config_errors (void)
{
  g_autoptr(WrCircuitBreaker) breaker = fake_breaker ();
  const int neutral[] = {
    WR_PROVIDER_ERROR_AUTH, WR_PROVIDER_ERROR_MODEL_NOT_FOUND,
    WR_PROVIDER_ERROR_BAD_REQUEST, WR_PROVIDER_ERROR_PROTOCOL, WR_PROVIDER_ERROR_FAILED,
  };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

  wr_circuit_breaker_set_failure_threshold (breaker, 1);
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (neutral); i++)
      {
        g_assert_true (wr_circuit_breaker_try_acquire (breaker));
        fail (breaker, neutral[i]);
      }
  wr_circuit_breaker_record_failure (breaker, cancelled);
  g_assert_false (wr_circuit_breaker_error_counts (cancelled));
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
  g_assert_cmpuint (wr_circuit_breaker_get_consecutive_failures (breaker), ==, 0);

  /* Only consecutive failures count: a success in between resets. */
  wr_circuit_breaker_set_failure_threshold (breaker, 2);
  fail (breaker, WR_PROVIDER_ERROR_SERVER);
  wr_circuit_breaker_record_success (breaker);
  fail (breaker, WR_PROVIDER_ERROR_SERVER);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
  fail (breaker, WR_PROVIDER_ERROR_INTERRUPTED);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_OPEN);
}

static void
test_breaker_probe_released (void)
{
  g_autoptr(WrCircuitBreaker) breaker = fake_breaker ();
  g_autoptr(GError) auth = provider_error (WR_PROVIDER_ERROR_AUTH);

  wr_circuit_breaker_set_failure_threshold (breaker, 1);
  fail (breaker, WR_PROVIDER_ERROR_SERVER);
  advance_ms (30000);

  /* A cancelled probe decides nothing: the next request probes. */
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
  g_assert_false (wr_circuit_breaker_try_acquire (breaker));
  wr_circuit_breaker_record_cancelled (breaker);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_HALF_OPEN);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));

  /* Nor does a configuration error. */
  wr_circuit_breaker_record_failure (breaker, auth);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_HALF_OPEN);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));

  wr_circuit_breaker_reset (breaker);
  g_assert_cmpint (wr_circuit_breaker_get_state (breaker), ==, WR_CIRCUIT_CLOSED);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
}

static void
on_state_notify_cb (GObject    *object,
                    GParamSpec *pspec,
                    GPtrArray  *states)
{
  g_ptr_array_add (states, GINT_TO_POINTER (wr_circuit_breaker_get_state (WR_CIRCUIT_BREAKER (object))));
}

static void
test_breaker_retry_after_and_notify (void)
{
  g_autoptr(WrCircuitBreaker) breaker = fake_breaker ();
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  g_autoptr(GError) limited = provider_error (WR_PROVIDER_ERROR_RATE_LIMITED);

  g_signal_connect (breaker, "notify::state", G_CALLBACK (on_state_notify_cb), states);
  wr_circuit_breaker_set_failure_threshold (breaker, 1);

  /* A longer Retry-After than the cool-down is respected… */
  _wr_provider_error_set_retry_after (limited, 90000);
  wr_circuit_breaker_record_failure (breaker, limited);
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 90000);
  advance_ms (90000);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));

  /* …up to the longest cool-down. */
  _wr_provider_error_set_retry_after (limited, 24 * 3600 * 1000);
  wr_circuit_breaker_record_failure (breaker, limited);
  g_assert_cmpint (wr_circuit_breaker_get_remaining_ms (breaker), ==, 5 * 60 * 1000);
  advance_ms (5 * 60 * 1000);
  g_assert_true (wr_circuit_breaker_try_acquire (breaker));
  wr_circuit_breaker_record_success (breaker);

  g_assert_cmpuint (states->len, ==, 5);
  g_assert_cmpint (GPOINTER_TO_INT (states->pdata[0]), ==, WR_CIRCUIT_OPEN);
  g_assert_cmpint (GPOINTER_TO_INT (states->pdata[1]), ==, WR_CIRCUIT_HALF_OPEN);
  g_assert_cmpint (GPOINTER_TO_INT (states->pdata[2]), ==, WR_CIRCUIT_OPEN);
  g_assert_cmpint (GPOINTER_TO_INT (states->pdata[3]), ==, WR_CIRCUIT_HALF_OPEN);
  g_assert_cmpint (GPOINTER_TO_INT (states->pdata[4]), ==, WR_CIRCUIT_CLOSED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/router/policy/defaults", test_policy_defaults);
  g_test_add_func ("/router/policy/json-round-trip", test_policy_json_round_trip);
  g_test_add_func ("/router/policy/first-match-wins", test_policy_first_match_wins);
  g_test_add_func ("/router/policy/edit", test_policy_edit);
  g_test_add_func ("/router/policy/validation", test_policy_validation);
  g_test_add_func ("/router/breaker/opens-and-cools-down", test_breaker_opens_and_cools_down);
  g_test_add_func ("/router/breaker/backoff-capped", test_breaker_backoff_is_capped);
  g_test_add_func ("/router/breaker/ignores-config-errors", test_breaker_ignores_config_errors);
  g_test_add_func ("/router/breaker/probe-released", test_breaker_probe_released);
  g_test_add_func ("/router/breaker/retry-after-and-notify", test_breaker_retry_after_and_notify);

  return g_test_run ();
}
