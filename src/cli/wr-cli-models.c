/* wr-cli-models.c — workroom-cli models: the model catalogue (every
 * provider's models, available or not, with prices and capabilities), and
 * changing a model pattern's price or capabilities.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli models [--provider P] [--json]\n"
  "       workroom-cli models price PATTERN IN OUT | price PATTERN --reset\n"
  "       workroom-cli models capabilities PATTERN chat,vision,embeddings | capabilities PATTERN --reset\n"
  "       workroom-cli models embeddings|vision [set MODEL|none] [--provider P]\n";

typedef struct
{
  gboolean  done;
  GError   *error;
} RefreshState;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RefreshState *state = user_data;

  wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &state->error);
  state->done = TRUE;
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
add_info_json (JsonBuilder *builder,
               WrModelInfo *info)
{
  WrModelCapabilities capabilities = wr_model_info_get_capabilities (info);
  g_autofree char *listed_at = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "id", wr_model_info_get_name (info));
  add_string (builder, "provider_id", wr_model_info_get_provider_id (info));
  add_string (builder, "provider", wr_model_info_get_provider_name (info));
  add_string (builder, "provider_kind", wr_model_info_get_provider_kind (info));
  json_builder_set_member_name (builder, "available");
  json_builder_add_boolean_value (builder, wr_model_info_get_available (info));
  add_string (builder, "reason", wr_model_info_get_reason (info));
  add_string (builder, "detail", wr_model_info_get_detail (info));
  json_builder_set_member_name (builder, "local");
  json_builder_add_boolean_value (builder, wr_model_info_get_local (info));
  json_builder_set_member_name (builder, "input_micros_per_mtok");
  json_builder_add_int_value (builder, wr_model_info_get_input_price (info));
  json_builder_set_member_name (builder, "output_micros_per_mtok");
  json_builder_add_int_value (builder, wr_model_info_get_output_price (info));
  add_string (builder, "price_pattern", wr_model_info_get_price_pattern (info));
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_array (builder);
  if (capabilities & WR_MODEL_CAPABILITY_CHAT)
    json_builder_add_string_value (builder, "chat");
  if (capabilities & WR_MODEL_CAPABILITY_VISION)
    json_builder_add_string_value (builder, "vision");
  if (capabilities & WR_MODEL_CAPABILITY_EMBEDDINGS)
    json_builder_add_string_value (builder, "embeddings");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "capabilities_custom");
  json_builder_add_boolean_value (builder, wr_model_info_get_capabilities_custom (info));
  if (wr_model_info_get_listed_at (info) > 0)
    listed_at = wr_format_time (wr_model_info_get_listed_at (info));
  add_string (builder, "listed_at", listed_at);
  json_builder_end_object (builder);
}

/* Display width, for lining up columns of UTF-8 text. */
static int
text_width (const char *text)
{
  return (int) g_utf8_strlen (text != NULL ? text : "", -1);
}

static void
print_padded (const char *text,
              int         width,
              gboolean    last)
{
  if (last)
    printf ("%s\n", text);
  else
    printf ("%s%*s", text, width - text_width (text) + 2, "");
}

enum { COL_MODEL, COL_PROVIDER, COL_AVAILABLE, COL_IN, COL_OUT, COL_CAPABILITIES, N_COLS };

static void
print_table (GPtrArray *items)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  int widths[N_COLS] = { 0 };
  char **header = g_new0 (char *, N_COLS + 1);

  /* TRANSLATORS: column headings of "workroom-cli models" */
  header[COL_MODEL] = g_strdup (_("MODEL"));
  header[COL_PROVIDER] = g_strdup (_("PROVIDER"));
  header[COL_AVAILABLE] = g_strdup (_("AVAILABLE"));
  header[COL_IN] = g_strdup (_("IN/1M"));
  header[COL_OUT] = g_strdup (_("OUT/1M"));
  header[COL_CAPABILITIES] = g_strdup (_("CAPABILITIES"));
  g_ptr_array_add (rows, header);

  for (guint i = 0; i < items->len; i++)
    {
      WrModelInfo *info = g_ptr_array_index (items, i);
      char **row = g_new0 (char *, N_COLS + 1);

      row[COL_MODEL] = g_strdup (wr_model_info_get_name (info));
      row[COL_PROVIDER] = g_strdup (wr_model_info_get_provider_name (info));
      if (wr_model_info_get_available (info))
        row[COL_AVAILABLE] = g_strdup (_("yes"));
      else
        /* TRANSLATORS: %s is a short reason such as "Not reachable" */
        row[COL_AVAILABLE] = g_strdup_printf (_("no: %s"), wr_model_info_get_reason (info));
      if (wr_model_info_get_local (info))
        {
          row[COL_IN] = g_strdup (_("free"));
          row[COL_OUT] = g_strdup (_("free"));
        }
      else
        {
          row[COL_IN] = wr_billing_format_credits (wr_model_info_get_input_price (info));
          row[COL_OUT] = wr_billing_format_credits (wr_model_info_get_output_price (info));
        }
      row[COL_CAPABILITIES] = wr_model_capabilities_to_string (wr_model_info_get_capabilities (info));
      if (wr_model_info_get_capabilities_custom (info))
        {
          char *marked = g_strconcat (row[COL_CAPABILITIES], _(" (set)"), NULL);

          g_free (row[COL_CAPABILITIES]);
          row[COL_CAPABILITIES] = marked;
        }
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    for (int c = 0; c < N_COLS; c++)
      widths[c] = MAX (widths[c], text_width (((char **) g_ptr_array_index (rows, i))[c]));

  for (guint i = 0; i < rows->len; i++)
    for (int c = 0; c < N_COLS; c++)
      print_padded (((char **) g_ptr_array_index (rows, i))[c], widths[c], c == N_COLS - 1);
}

static int
models_list (WrCli      *cli,
             const char *provider_name)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  RefreshState state = { 0 };
  WrProviderRegistry *registry;
  WrModelCatalog *catalog;
  WrProvider *only = NULL;
  WrSession *session;
  GListModel *providers;
  guint n;

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  registry = wr_session_get_providers (session);
  providers = G_LIST_MODEL (registry);
  if (provider_name != NULL && (only = wr_provider_registry_lookup (registry, provider_name)) == NULL)
    return wr_cli_fail (_("No provider “%s”. See “workroom-cli provider list”."), provider_name);
  if (g_list_model_get_n_items (providers) == 0)
    return wr_cli_fail (_("No model provider is set up. Add one with “workroom-cli provider add”, or set OPENAI_API_KEY or OLLAMA_HOST."));

  catalog = wr_session_get_model_catalog (session);
  wr_model_catalog_refresh_async (catalog, NULL, refresh_cb, &state);
  wr_cli_iterate_until (&state.done);
  if (state.error != NULL)
    {
      int status = wr_cli_fail_error (state.error);

      g_clear_error (&state.error);
      return status;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  for (guint i = 0; i < n; i++)
    {
      WrModelInfo *info = g_list_model_get_item (G_LIST_MODEL (catalog), i);

      if (only == NULL || g_strcmp0 (wr_model_info_get_provider_id (info), wr_provider_get_id (only)) == 0)
        g_ptr_array_add (items, info);
      else
        g_object_unref (info);
    }

  /* An unreachable provider is not an error: its models are listed as
   * unavailable; what to do about it goes to stderr. */
  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (providers, i);
      const char *detail = NULL;

      if ((only == NULL || provider == only) &&
          wr_model_catalog_get_provider_problem (catalog, wr_provider_get_id (provider), NULL, &detail))
        fprintf (stderr, "workroom-cli: %s: %s\n", wr_provider_get_name (provider), detail);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < items->len; i++)
        add_info_json (builder, g_ptr_array_index (items, i));
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
    }
  else if (items->len > 0)
    print_table (items);

  return 0;
}

static void
print_price (WrCli              *cli,
             const WrModelPrice *price)
{
  g_autofree char *in = wr_billing_format_credits (price->input_micros_per_mtok);
  g_autofree char *out = wr_billing_format_credits (price->output_micros_per_mtok);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string (builder, "pattern", price->pattern);
      json_builder_set_member_name (builder, "input_micros_per_mtok");
      json_builder_add_int_value (builder, price->input_micros_per_mtok);
      json_builder_set_member_name (builder, "output_micros_per_mtok");
      json_builder_add_int_value (builder, price->output_micros_per_mtok);
      json_builder_set_member_name (builder, "custom");
      json_builder_add_boolean_value (builder, price->custom);
      add_string (builder, "capabilities", price->capabilities);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
      return;
    }

  /* TRANSLATORS: a pattern, then prices per million tokens */
  printf (_("%s: %s in, %s out per 1M tokens"), price->pattern, in, out);
  if (price->capabilities != NULL)
    /* TRANSLATORS: e.g. "; capabilities: chat,vision" */
    printf (_("; capabilities: %s"), price->capabilities);
  printf ("\n");
}

/* After a change, what now applies to @pattern itself. */
static int
show_pattern (WrCli      *cli,
              WrBilling  *billing,
              const char *pattern)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prices = wr_billing_list_prices (billing, &error);
  g_autofree char *folded = g_utf8_strdown (pattern, -1);
  g_autoptr(WrModelPrice) matched = NULL;

  if (prices == NULL)
    return wr_cli_fail_error (error);

  g_strstrip (folded);
  for (guint i = 0; i < prices->len; i++)
    {
      WrModelPrice *price = g_ptr_array_index (prices, i);

      if (g_str_equal (price->pattern, folded))
        {
          print_price (cli, price);
          return 0;
        }
    }

  /* No row of its own: what models named like it pay. */
  matched = wr_billing_get_model_price (billing, folded, &error);
  if (matched == NULL)
    return wr_cli_fail_error (error);
  print_price (cli, matched);
  return 0;
}

static int
models_price (WrCli       *cli,
              int          argc,
              char       **argv,
              gboolean     reset)
{
  g_autoptr(GError) error = NULL;
  WrSession *session;
  WrBilling *billing;
  gint64 in, out;

  if (!(reset ? argc == 3 : argc == 5))
    return wr_cli_usage (usage);

  if (!reset && (!wr_billing_parse_credits (argv[3], &in) || !wr_billing_parse_credits (argv[4], &out)))
    {
      wr_cli_fail (_("Prices are amounts per million tokens, such as 0.15 or 2.50. Correct them and try again."));
      return WR_CLI_EXIT_USAGE;
    }

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  billing = wr_session_get_billing (session);

  if (reset ? !wr_billing_reset_price (billing, argv[2], &error)
            : !wr_billing_set_price (billing, argv[2], in, out, &error))
    return wr_cli_fail_error (error);

  return show_pattern (cli, billing, argv[2]);
}

static int
models_capabilities (WrCli       *cli,
                     int          argc,
                     char       **argv,
                     gboolean     reset)
{
  g_autoptr(GError) error = NULL;
  WrSession *session;
  WrBilling *billing;

  if (!(reset ? argc == 3 : argc == 4))
    return wr_cli_usage (usage);

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  billing = wr_session_get_billing (session);

  if (reset ? !wr_billing_reset_capabilities (billing, argv[2], &error)
            : !wr_billing_set_capabilities (billing, argv[2], argv[3], &error))
    return wr_cli_fail_error (error);

  return show_pattern (cli, billing, argv[2]);
}

int
wr_cli_cmd_models (WrCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *provider_name = NULL;
  gboolean reset = FALSE;
  GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name, N_("Only this provider (id or name)"), "PROVIDER" },
    { "reset", 0, 0, G_OPTION_ARG_NONE, &reset, N_("Back to the built-in price or capabilities"), NULL },
    { NULL }
  };

  if (!wr_cli_parse (cli, "[price|capabilities PATTERN …]",
                     _("List every provider's models with prices and capabilities, or change a pattern's."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc == 1 && !reset)
    return models_list (cli, provider_name);
  if (argc >= 2 && provider_name == NULL && g_str_equal (argv[1], "price"))
    return models_price (cli, argc, argv, reset);
  if (argc >= 2 && provider_name == NULL && g_str_equal (argv[1], "capabilities"))
    return models_capabilities (cli, argc, argv, reset);
  if (argc >= 2 && !reset && (g_str_equal (argv[1], "embeddings") || g_str_equal (argv[1], "vision")))
    return wr_cli_models_set_role (cli, argc, argv, provider_name);

  return wr_cli_usage (usage);
}
