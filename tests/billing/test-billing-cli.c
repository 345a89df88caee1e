/* test-billing-cli.c — workroom-cli usage | credits | plan end to end: the
 * built binary ($WR_CLI) on a real data directory, with usage rows written
 * through the library into the same file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "billing-test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static Result
run_cli (BillingFixture *fixture,
         const char     *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Result result = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("WR_CLI"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, fixture->dir);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);
  result.status = g_subprocess_get_exit_status (proc);

  return result;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* A refusal: non-zero, and exactly one line on stderr. */
static void
assert_refused (Result     *r,
                const char *needle)
{
  g_assert_cmpint (r->status, !=, 0);
  g_assert_true (g_str_has_prefix (r->err, "workroom-cli: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
  g_assert_nonnull (strstr (r->err, needle));
}

static void
test_plan (BillingFixture *fixture,
           gconstpointer   data)
{
  {
    g_auto(Result) r = run_cli (fixture, "plan", "show", "--json", NULL);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    node = parse_json (r.out);
    o = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (o, "plan"), ==, "free");
    g_assert_cmpint (json_object_get_int_member (o, "daily_token_limit"), ==, 10000);
    g_assert_true (json_object_get_boolean_member (o, "charges_credits"));
  }
  {
    g_auto(Result) r = run_cli (fixture, "plan", "set", "enterprise", "--json", NULL);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *o;

    g_assert_cmpint (r.status, ==, 0);
    node = parse_json (r.out);
    o = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (o, "plan"), ==, "enterprise");
    g_assert_true (json_object_get_null_member (o, "daily_token_limit"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "features")), ==, 7);
  }
  {
    g_auto(Result) r = run_cli (fixture, "plan", "set", "platinum", NULL);
    assert_refused (&r, "platinum");
  }
  {
    g_auto(Result) r = run_cli (fixture, "plan", "show", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Enterprise"));
    g_assert_nonnull (strstr (r.out, "no limit"));
  }
  {
    g_auto(Result) r = run_cli (fixture, "plan", "frobnicate", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
}

static void
test_credits (BillingFixture *fixture,
              gconstpointer   data)
{
  {
    g_auto(Result) r = run_cli (fixture, "credits", "balance", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "0.00\n");
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "topup", "2.5", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "2.50\n");
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "topup", "0.000001", "--json", NULL);
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (r.status, ==, 0);
    node = parse_json (r.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "balance_micros"),
                     ==, 2500001);
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "topup", "lots", NULL);
    assert_refused (&r, "lots");
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "topup", "0", NULL);
    assert_refused (&r, "“0”");
  }

  /* A reservation made by the library shows in the CLI's ledger. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    g_assert_true (wr_billing_reserve (fixture->billing, CREDIT, "chat_usage", NULL, &id, &error));
    g_assert_no_error (error);
    g_assert_true (wr_billing_settle (fixture->billing, id, CREDIT / 4, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "ledger", "--json", NULL);
    g_autoptr(JsonNode) node = NULL;
    JsonArray *rows;
    JsonObject *newest;

    g_assert_cmpint (r.status, ==, 0);
    node = parse_json (r.out);
    rows = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (rows), ==, 4);
    newest = json_array_get_object_element (rows, 0);
    g_assert_cmpstr (json_object_get_string_member (newest, "reason"), ==, "refund");
    g_assert_cmpint (json_object_get_int_member (newest, "delta_micros"), ==, 750000);
    g_assert_cmpstr (json_object_get_string_member (newest, "delta"), ==, "0.75");
    g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (newest, "meta")));
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "ledger", "--limit", "1", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "+0.75\trefund\n"));
    g_assert_null (strstr (r.out, "topup"));
  }
  {
    g_auto(Result) r = run_cli (fixture, "credits", "balance", NULL);
    g_assert_cmpstr (r.out, ==, "2.250001\n");
  }
}

static void
test_usage (BillingFixture *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = wr_store_create_project (fixture->store, "Billed", &error);
  const char *pid = wr_project_get_id (project);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(WrUsageRecord) r = wr_usage_record_new ();

      r->project_id = i < 2 ? g_strdup (pid) : NULL;
      r->model = g_strdup (i == 1 ? "gpt-4o" : "gpt-4o-mini");
      r->input_tokens = 1000;
      r->output_tokens = 500;
      g_assert_true (wr_billing_record_usage (fixture->billing, r, &error));
      g_assert_no_error (error);
    }

  {
    g_auto(Result) r = run_cli (fixture, "usage", "--days", "7", "--json", NULL);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *o, *totals;

    g_assert_cmpint (r.status, ==, 0);
    node = parse_json (r.out);
    o = json_node_get_object (node);
    totals = json_object_get_object_member (o, "totals");
    g_assert_cmpint (json_object_get_int_member (totals, "calls"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (totals, "input_tokens"), ==, 3000);
    /* 2 × mini (150 + 300 µ) + gpt-4o (2500 + 5000 µ) */
    g_assert_cmpint (json_object_get_int_member (totals, "cost_micros"), ==, 8400);
    g_assert_cmpint (json_object_get_int_member (o, "used_today"), ==, 4500);
    g_assert_cmpint (json_object_get_int_member (o, "daily_token_limit"), ==, 10000);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "by_day")), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "records")), ==, 3);
  }
  {
    g_auto(Result) r = run_cli (fixture, "usage", "--project", pid, "--json", NULL);
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (r.status, ==, 0);
    node = parse_json (r.out);
    g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (json_node_get_object (node), "totals"),
                       "calls"), ==, 2);
  }
  {
    g_auto(Result) r = run_cli (fixture, "usage", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "gpt-4o-mini\t2 calls\t2000 in\t1000 out\t0.0009\n"));
    g_assert_nonnull (strstr (r.out, "Today: 4500 of 10000 tokens"));
  }
  {
    g_auto(Result) r = run_cli (fixture, "usage", "--days", "0", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("WR_CLI") == NULL || *g_getenv ("WR_CLI") == '\0')
    {
      g_test_skip ("WR_CLI is not set");
      return 77;
    }

  g_test_add ("/billing/cli/plan", BillingFixture, NULL,
              billing_fixture_setup, test_plan, billing_fixture_teardown);
  g_test_add ("/billing/cli/credits", BillingFixture, NULL,
              billing_fixture_setup, test_credits, billing_fixture_teardown);
  g_test_add ("/billing/cli/usage", BillingFixture, NULL,
              billing_fixture_setup, test_usage, billing_fixture_teardown);

  return g_test_run ();
}
