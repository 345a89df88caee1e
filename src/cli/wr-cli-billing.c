/* wr-cli-billing.c — workroom-cli usage | credits | plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gi18n.h>

#include "wr-cli-private.h"

static const char *usage_usage =
  "Usage: workroom-cli usage [--days N] [--project ID] [--json]\n";
static const char *credits_usage =
  "Usage: workroom-cli credits balance | topup AMOUNT | ledger [--limit N] [--json]\n";
static const char *plan_usage =
  "Usage: workroom-cli plan show | set free|pro|enterprise [--json]\n";

static WrBilling *
cli_billing (WrCli *cli)
{
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return NULL;

  return wr_billing_new (wr_session_get_store (session));
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autofree char *text = wr_format_time (usec);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* -1 = none → null */
static void
add_optional_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_credits (JsonBuilder *builder,
             const char  *name,
             gint64       micros)
{
  g_autofree char *micros_name = g_strconcat (name, "_micros", NULL);
  g_autofree char *text = wr_billing_format_credits (micros);

  add_int (builder, micros_name, micros);
  add_string (builder, name, text);
}

static char *
local_time_text (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* usage ------------------------------------------------------------------ */

int
wr_cli_cmd_usage (WrCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(WrBilling) billing = NULL;
  g_autoptr(GPtrArray) by_day = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project_id = NULL;
  WrUsageTotals totals;
  gint64 used, limit, resets_at;
  int days = 30;
  WrPlan *plan;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Today and the days before it (default 30)"), "N" },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project_id, N_("Only this project"), "ID" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "", _("Show token usage and cost by day and model."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc != 1 || days < 1 || days > 3660)
    return wr_cli_usage (usage_usage);

  if ((billing = cli_billing (cli)) == NULL)
    return WR_CLI_EXIT_FAILURE;

  if ((plan = wr_billing_get_plan (billing, &error)) == NULL ||
      !wr_billing_get_quota (billing, &used, &limit, &resets_at, &error) ||
      !wr_billing_usage_totals (billing, (guint) days, project_id, &totals, &error) ||
      (by_day = wr_billing_usage_by_day (billing, (guint) days, project_id, &error)) == NULL ||
      (cli->json && (records = wr_billing_list_usage (billing, (guint) days, project_id, &error)) == NULL))
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_int (builder, "days", days);
      add_string (builder, "project_id", project_id);
      add_string (builder, "plan", wr_plan_get_name (plan));
      add_optional_int (builder, "daily_token_limit", limit);
      add_int (builder, "used_today", used);
      add_time (builder, "resets_at", resets_at);

      json_builder_set_member_name (builder, "totals");
      json_builder_begin_object (builder);
      add_int (builder, "calls", totals.calls);
      add_int (builder, "input_tokens", totals.input_tokens);
      add_int (builder, "output_tokens", totals.output_tokens);
      add_int (builder, "cost_micros", totals.cost_micros);
      add_int (builder, "estimated_calls", totals.estimated_calls);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "by_day");
      json_builder_begin_array (builder);
      for (guint i = 0; i < by_day->len; i++)
        {
          WrUsageDay *day = g_ptr_array_index (by_day, i);

          json_builder_begin_object (builder);
          add_string (builder, "day", day->day);
          add_string (builder, "model", day->model);
          add_int (builder, "calls", day->calls);
          add_int (builder, "input_tokens", day->input_tokens);
          add_int (builder, "output_tokens", day->output_tokens);
          add_int (builder, "cost_micros", day->cost_micros);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "records");
      json_builder_begin_array (builder);
      for (guint i = 0; i < records->len; i++)
        {
          WrUsageRecord *record = g_ptr_array_index (records, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", record->id);
          add_time (builder, "created_at", record->created_at);
          add_string (builder, "project_id", record->project_id);
          add_string (builder, "chat_id", record->chat_id);
          add_string (builder, "message_id", record->message_id);
          add_string (builder, "model", record->model);
          add_string (builder, "provider_id", record->provider_id);
          add_int (builder, "input_tokens", record->input_tokens);
          add_int (builder, "output_tokens", record->output_tokens);
          json_builder_set_member_name (builder, "estimated");
          json_builder_add_boolean_value (builder, record->estimated);
          add_optional_int (builder, "cost_micros", record->cost_micros);
          add_optional_int (builder, "latency_ms", record->latency_ms);
          add_string (builder, "outcome", wr_usage_outcome_to_string (record->outcome));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
      return 0;
    }

  for (guint i = 0; i < by_day->len; i++)
    {
      WrUsageDay *day = g_ptr_array_index (by_day, i);
      g_autofree char *cost = wr_billing_format_credits (day->cost_micros);

      printf ("%s\t%s\t%" G_GINT64_FORMAT " calls\t%" G_GINT64_FORMAT " in\t%"
              G_GINT64_FORMAT " out\t%s\n",
              day->day, *day->model ? day->model : "-", day->calls,
              day->input_tokens, day->output_tokens, cost);
    }

  {
    g_autofree char *cost = wr_billing_format_credits (totals.cost_micros);
    g_autofree char *reset = local_time_text (resets_at);

    printf (_("Total (%d days): %lld calls, %lld input and %lld output tokens, cost %s\n"),
            days, (long long) totals.calls, (long long) totals.input_tokens,
            (long long) totals.output_tokens, cost);
    if (limit >= 0)
      printf (_("Today: %lld of %lld tokens (%s plan); resets %s\n"),
              (long long) used, (long long) limit, wr_plan_get_title (plan), reset);
    else
      printf (_("Today: %lld tokens (%s plan, no daily limit)\n"),
              (long long) used, wr_plan_get_title (plan));
  }

  return 0;
}

/* credits ---------------------------------------------------------------- */

static int
credits_balance (WrCli     *cli,
                 WrBilling *billing)
{
  g_autoptr(GError) error = NULL;
  gint64 balance = wr_billing_get_balance (billing, &error);

  if (balance < 0)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_credits (builder, "balance", balance);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
    }
  else
    {
      g_autofree char *text = wr_billing_format_credits (balance);
      printf ("%s\n", text);
    }

  return 0;
}

static int
credits_topup (WrCli      *cli,
               WrBilling  *billing,
               const char *amount_text)
{
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;

  if (!wr_billing_parse_credits (amount_text, &amount) || amount == 0)
    return wr_cli_fail (_("“%s” is not an amount of credits. Give a positive number "
                          "with up to six decimals, such as 10 or 2.50."),
                        amount_text);

  if (!wr_billing_topup (billing, amount, "topup", &error))
    return wr_cli_fail_error (error);

  return credits_balance (cli, billing);
}

static int
credits_ledger (WrCli     *cli,
                WrBilling *billing,
                guint      limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = wr_billing_list_ledger (billing, limit, &error);

  if (entries == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries->len; i++)
        {
          WrLedgerEntry *entry = g_ptr_array_index (entries, i);
          g_autoptr(JsonNode) meta = json_from_string (entry->meta, NULL);

          json_builder_begin_object (builder);
          add_string (builder, "id", entry->id);
          add_credits (builder, "delta", entry->delta);
          add_string (builder, "reason", entry->reason);
          json_builder_set_member_name (builder, "meta");
          if (meta != NULL)
            json_builder_add_value (builder, g_steal_pointer (&meta));
          else
            json_builder_add_null_value (builder);
          add_time (builder, "created_at", entry->created_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
      return 0;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      WrLedgerEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *when = local_time_text (entry->created_at);
      g_autofree char *delta = wr_billing_format_credits (entry->delta);

      printf ("%s\t%s%s\t%s\n", when, entry->delta >= 0 ? "+" : "", delta, entry->reason);
    }

  return 0;
}

int
wr_cli_cmd_credits (WrCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(WrBilling) billing = NULL;
  const char *verb;
  int limit = 0;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show only the newest N entries"), "N" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "balance|topup AMOUNT|ledger",
                     _("Show and top up credits (amounts in credits, e.g. 2.50)."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2 || limit < 0)
    return wr_cli_usage (credits_usage);

  verb = argv[1];
  if (!((g_str_equal (verb, "balance") && argc == 2) ||
        (g_str_equal (verb, "topup") && argc == 3) ||
        (g_str_equal (verb, "ledger") && argc == 2)))
    return wr_cli_usage (credits_usage);

  if ((billing = cli_billing (cli)) == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (g_str_equal (verb, "balance"))
    return credits_balance (cli, billing);
  if (g_str_equal (verb, "topup"))
    return credits_topup (cli, billing, argv[2]);

  return credits_ledger (cli, billing, (guint) limit);
}

/* plan ------------------------------------------------------------------- */

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static int
plan_show (WrCli     *cli,
           WrBilling *billing)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *models = NULL;
  g_autofree char *features = NULL;
  gint64 used, limit, resets_at;
  WrPlan *plan;

  if ((plan = wr_billing_get_plan (billing, &error)) == NULL ||
      !wr_billing_get_quota (billing, &used, &limit, &resets_at, &error))
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string (builder, "plan", wr_plan_get_name (plan));
      add_string (builder, "title", wr_plan_get_title (plan));
      add_optional_int (builder, "plan_daily_token_limit", wr_plan_get_daily_token_limit (plan));
      add_optional_int (builder, "daily_token_limit", limit);
      add_int (builder, "used_today", used);
      add_time (builder, "resets_at", resets_at);
      json_builder_set_member_name (builder, "charges_credits");
      json_builder_add_boolean_value (builder, wr_plan_get_charges_credits (plan));
      add_strv (builder, "models", wr_plan_get_model_patterns (plan));
      add_strv (builder, "features", wr_plan_get_features (plan));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
      return 0;
    }

  models = g_strjoinv (", ", (char **) wr_plan_get_model_patterns (plan));
  features = g_strjoinv (", ", (char **) wr_plan_get_features (plan));

  printf (_("Plan: %s\n"), wr_plan_get_title (plan));
  if (limit >= 0)
    printf (_("Daily tokens: %lld (%lld used today)\n"), (long long) limit, (long long) used);
  else
    printf (_("Daily tokens: no limit (%lld used today)\n"), (long long) used);
  printf (_("Models: %s, and local models\n"), models);
  printf (_("Features: %s\n"), features);
  printf (_("Cloud model calls cost credits: %s\n"),
          wr_plan_get_charges_credits (plan) ? _("yes") : _("no"));

  return 0;
}

int
wr_cli_cmd_plan (WrCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(WrBilling) billing = NULL;
  g_autoptr(GError) error = NULL;
  const char *verb;

  if (!wr_cli_parse (cli, "show|set NAME", _("Show or change the plan."), NULL, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (plan_usage);

  verb = argv[1];
  if (!((g_str_equal (verb, "show") && argc == 2) ||
        (g_str_equal (verb, "set") && argc == 3)))
    return wr_cli_usage (plan_usage);

  if ((billing = cli_billing (cli)) == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (g_str_equal (verb, "set") && !wr_billing_set_plan (billing, argv[2], &error))
    return wr_cli_fail_error (error);

  return plan_show (cli, billing);
}
