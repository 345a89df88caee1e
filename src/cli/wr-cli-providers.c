/* wr-cli-providers.c — workroom-cli provider add|list|remove (models: wr-cli-models.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli provider add NAME --base-url URL [--kind openai|anthropic|google] [--default-model M] [--api-key-stdin]\n"
  "       workroom-cli provider list\n"
  "       workroom-cli provider remove ID\n";

static const char *source_names[] = { "stored", "environment", "detected" };

/* The key comes on stdin so it never shows in `ps` or shell history. */
static char *
read_api_key (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("No API key on standard input."));
      return NULL;
    }

  g_strstrip (line);
  return g_steal_pointer (&line);
}

static int
provider_add (WrCli      *cli,
              const char *name,
              const char *kind,
              const char *base_url,
              const char *default_model,
              gboolean    key_from_stdin)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *api_key = NULL;
  WrSession *session;
  WrProvider *provider;

  if (base_url == NULL)
    {
      wr_cli_fail (_("provider add needs --base-url URL (for example https://api.openai.com/v1)."));
      return WR_CLI_EXIT_USAGE;
    }

  if (key_from_stdin)
    {
      api_key = read_api_key (&error);
      if (api_key == NULL)
        return wr_cli_fail_error (error);
    }

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  provider = wr_provider_registry_add (wr_session_get_providers (session), name,
                                       kind != NULL ? kind : "openai", base_url, api_key,
                                       NULL, &error);
  if (api_key != NULL)
    memset (api_key, 0, strlen (api_key));
  if (provider == NULL)
    return wr_cli_fail_error (error);

  if (default_model != NULL)
    {
      g_autoptr(GPtrArray) records = wr_store_list_providers (wr_session_get_store (session), &error);

      if (records == NULL)
        return wr_cli_fail_error (error);

      for (guint i = 0; i < records->len; i++)
        {
          WrProviderRecord *record = g_ptr_array_index (records, i);

          if (g_strcmp0 (wr_provider_record_get_id (record), wr_provider_get_id (provider)) != 0)
            continue;

          wr_provider_record_set_default_model (record, default_model);
          if (!wr_store_save_provider (wr_session_get_store (session), record, &error))
            return wr_cli_fail_error (error);
          wr_provider_set_default_model (provider, default_model);
        }
    }

  if (cli->json)
    {
      g_autoptr(JsonNode) node = wr_cli_provider_json (provider);
      wr_cli_print_json (node);
    }
  else
    printf ("%s\n", wr_provider_get_id (provider));

  return 0;
}

static int
provider_list (WrCli *cli)
{
  WrSession *session = wr_cli_session (cli);
  GListModel *model;
  guint n;

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  model = G_LIST_MODEL (wr_session_get_providers (session));
  n = g_list_model_get_n_items (model);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(WrProvider) provider = g_list_model_get_item (model, i);
          json_array_add_element (array, wr_cli_provider_json (provider));
        }
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (model, i);

      printf ("%s\t%s\t%s\t%s\n", wr_provider_get_id (provider), wr_provider_get_name (provider),
              wr_provider_get_base_url (provider), source_names[wr_provider_get_source (provider)]);
    }

  return 0;
}

static int
provider_remove (WrCli      *cli,
                 const char *id)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);
  WrProvider *provider;

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  provider = wr_provider_registry_lookup (wr_session_get_providers (session), id);
  if (provider == NULL)
    return wr_cli_fail (_("No provider “%s”. See “workroom-cli provider list”."), id);

  if (!wr_provider_registry_remove (wr_session_get_providers (session),
                                    wr_provider_get_id (provider), NULL, &error))
    return wr_cli_fail_error (error);

  return 0;
}

int
wr_cli_cmd_provider (WrCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *base_url = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *default_model = NULL;
  gboolean key_from_stdin = FALSE;
  GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, N_("Base URL of the API"), "URL" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("Protocol: openai (OpenAI and any OpenAI-compatible server), anthropic or google"), "KIND" },
    { "default-model", 0, 0, G_OPTION_ARG_STRING, &default_model, N_("Model used when none is chosen"), "MODEL" },
    { "api-key-stdin", 0, 0, G_OPTION_ARG_NONE, &key_from_stdin, N_("Read the API key from standard input"), NULL },
    { NULL }
  };
  const char *verb;

  if (!wr_cli_parse (cli, "add|list|remove ...", _("Manage model providers."), entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (usage);

  verb = argv[1];
  if (g_str_equal (verb, "add") && argc == 3)
    return provider_add (cli, argv[2], kind, base_url, default_model, key_from_stdin);
  if (g_str_equal (verb, "list") && argc == 2)
    return provider_list (cli);
  if (g_str_equal (verb, "remove") && argc == 3)
    return provider_remove (cli, argv[2]);

  return wr_cli_usage (usage);
}
