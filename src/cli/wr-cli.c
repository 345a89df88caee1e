/* wr-cli.c — workroom-cli: a headless front end over libworkroom, on the
 * same data as the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wr-cli-private.h"

static const char *main_usage =
  "Usage: workroom-cli [--data-dir DIR] [--json] COMMAND ...\n"
  "\n"
  "Commands:\n"
  "  project list | create NAME | rename ID NAME | delete ID\n"
  "  chat send --project ID [--chat ID] [--model M] [--provider P] [--template T]\n"
  "            [--image FILE]... TEXT\n"
  "  chat list --project ID | chat show CHAT_ID\n"
  "  template list | add NAME [--file F | TEXT] | edit ID_OR_NAME [--name N] [--file F | TEXT]\n"
  "  template delete ID_OR_NAME\n"
  "  provider add NAME --base-url URL [--kind K] [--api-key-stdin] | provider list | provider remove ID\n"
  "  models [--provider P] | models price PATTERN IN OUT | models capabilities PATTERN LIST\n"
  "  usage [--days N] [--project ID]\n"
  "  credits balance | topup AMOUNT | ledger [--limit N]\n"
  "  plan show | set free|pro|enterprise\n"
  "  humanize --tone TONE [--model M] [--project ID] TEXT|- | tones\n"
  "  humanize tone add NAME INSTRUCTIONS | tone delete NAME | history [--project ID]\n"
  "  search --project ID [--limit N] QUERY\n"
  "  knowledge reindex --project ID (embeddings and image descriptions for hybrid search)\n"
  "  models embeddings|vision [set MODEL|none] [--provider P]\n"
  "  document list --project ID | document delete ID\n"
  "  import FILE --project ID       (CSV/TSV become datasets; other files documents)\n"
  "  dataset list --project ID | show ID [--rows N] | delete ID\n"
  "  chart render --dataset ID --type T --x COL [--y COL] [--group COL] [--agg sum|mean|count]\n"
  "               [--title T] [--dark] --out FILE.png|svg|pdf | chart render --spec FILE.json --out FILE\n"
  "  artifact list --project ID [--kind K] | show ID [--rows N] | export ID --out FILE\n"
  "  artifact rename ID NAME | delete ID | add --project ID --kind K [--name N] FILE\n"
  "\n"
  "Options:\n"
  "  --data-dir DIR   use DIR instead of the app's data directory\n"
  "  --json           print machine-readable JSON\n"
  "  --version        print the version\n"
  "\n"
  "Exit status: 0 done, 1 failed, 2 bad usage, 3 refused by the plan (model not\n"
  "included, daily token limit reached, not enough credits), 130 interrupted.\n";

int
wr_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, always: scripts read the reason from stderr. */
  g_strdelimit (message, "\n", ' ');
  fprintf (stderr, "workroom-cli: %s\n", message);

  return WR_CLI_EXIT_FAILURE;
}

int
wr_cli_fail_error (const GError *error)
{
  return wr_cli_fail ("%s", error->message);
}

int
wr_cli_usage (const char *usage)
{
  fprintf (stderr, "%s", usage);
  return WR_CLI_EXIT_USAGE;
}

gboolean
wr_cli_parse (WrCli          *cli,
              const char     *usage,
              const char     *summary,
              GOptionEntry   *entries,
              int            *argc,
              char         ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  gboolean json = FALSE;
  GOptionEntry common[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Data directory"), "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (usage);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      wr_cli_fail ("%s", error->message);
      return FALSE;
    }

  if (data_dir != NULL)
    {
      g_free (cli->data_dir);
      cli->data_dir = g_steal_pointer (&data_dir);
    }
  cli->json |= json;

  return TRUE;
}

WrSession *
wr_cli_session (WrCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (cli->session != NULL)
    return cli->session;

  cli->session = wr_session_new (cli->data_dir, NULL, &error);
  if (cli->session == NULL)
    wr_cli_fail_error (error);

  return cli->session;
}

void
wr_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  fflush (stdout);
}

static void
add_nullable_string (JsonBuilder *builder,
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
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autofree char *text = wr_format_time (usec);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_tokens (JsonBuilder *builder,
            const char  *name,
            gint64       tokens)
{
  json_builder_set_member_name (builder, name);
  if (tokens >= 0)
    json_builder_add_int_value (builder, tokens);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
wr_cli_project_json (WrProject *project)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", wr_project_get_id (project));
  add_nullable_string (builder, "name", wr_project_get_name (project));
  add_nullable_string (builder, "default_model", wr_project_get_default_model (project));
  add_time (builder, "created_at", wr_project_get_created_at (project));
  add_time (builder, "updated_at", wr_project_get_updated_at (project));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
wr_cli_chat_json (WrChat *chat)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", wr_chat_get_id (chat));
  add_nullable_string (builder, "project_id", wr_chat_get_project_id (chat));
  add_nullable_string (builder, "title", wr_chat_get_title (chat));
  add_nullable_string (builder, "model", wr_chat_get_model (chat));
  add_nullable_string (builder, "provider_id", wr_chat_get_provider_id (chat));
  add_time (builder, "created_at", wr_chat_get_created_at (chat));
  add_time (builder, "updated_at", wr_chat_get_updated_at (chat));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
wr_cli_message_json (WrMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", wr_message_get_id (message));
  add_nullable_string (builder, "chat_id", wr_message_get_chat_id (message));
  add_nullable_string (builder, "role", wr_message_get_role (message));
  add_nullable_string (builder, "content", wr_message_get_content (message));
  add_nullable_string (builder, "model", wr_message_get_model (message));
  add_nullable_string (builder, "provider_id", wr_message_get_provider_id (message));
  add_nullable_string (builder, "status", wr_message_status_to_string (wr_message_get_status (message)));
  add_nullable_string (builder, "error", wr_message_get_error (message));
  add_tokens (builder, "input_tokens", wr_message_get_input_tokens (message));
  add_tokens (builder, "output_tokens", wr_message_get_output_tokens (message));
  add_time (builder, "created_at", wr_message_get_created_at (message));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
wr_cli_provider_json (WrProvider *provider)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const char *sources[] = { "stored", "environment", "detected" };
  WrProviderSource source = wr_provider_get_source (provider);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", wr_provider_get_id (provider));
  add_nullable_string (builder, "name", wr_provider_get_name (provider));
  add_nullable_string (builder, "kind", wr_provider_get_kind (provider));
  add_nullable_string (builder, "base_url", wr_provider_get_base_url (provider));
  add_nullable_string (builder, "default_model", wr_provider_get_default_model (provider));
  add_nullable_string (builder, "source", source < G_N_ELEMENTS (sources) ? sources[source] : "unknown");
  /* Whether a key is set, never the key. */
  json_builder_set_member_name (builder, "has_api_key");
  json_builder_add_boolean_value (builder, wr_provider_get_api_key (provider) != NULL);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
wr_cli_iterate_until (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  gboolean json = FALSE;
  gboolean version = FALSE;
  WrCli cli = { 0 };
  const char *command;
  int status;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Data directory"), "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("workroom-cli");

  /* Global options stop at the command; the command parses the rest. */
  context = g_option_context_new ("COMMAND ...");
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return wr_cli_fail_error (error);

  if (version)
    {
      printf ("workroom-cli %s\n", WR_VERSION);
      return 0;
    }

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      fprintf (argc < 2 ? stderr : stdout, "%s", main_usage);
      return argc < 2 ? WR_CLI_EXIT_USAGE : 0;
    }

  cli.data_dir = g_steal_pointer (&data_dir);
  cli.json = json;
  command = argv[1];

  if (g_str_equal (command, "project") || g_str_equal (command, "projects"))
    status = wr_cli_cmd_project (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "chat"))
    status = wr_cli_cmd_chat (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "provider") || g_str_equal (command, "providers"))
    status = wr_cli_cmd_provider (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "models"))
    status = wr_cli_cmd_models (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "usage"))
    status = wr_cli_cmd_usage (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "credits"))
    status = wr_cli_cmd_credits (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "plan"))
    status = wr_cli_cmd_plan (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "humanize"))
    status = wr_cli_cmd_humanize (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "template") || g_str_equal (command, "templates"))
    status = wr_cli_cmd_template (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "search"))
    status = wr_cli_cmd_search (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "knowledge"))
    status = wr_cli_cmd_knowledge (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "document") || g_str_equal (command, "documents"))
    status = wr_cli_cmd_document (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "import"))
    status = wr_cli_cmd_import (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "dataset") || g_str_equal (command, "datasets"))
    status = wr_cli_cmd_dataset (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "chart"))
    status = wr_cli_cmd_chart (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "artifact") || g_str_equal (command, "artifacts"))
    status = wr_cli_cmd_artifact (&cli, argc - 1, argv + 1);
  else
    {
      wr_cli_fail (_("Unknown command “%s”. Run “workroom-cli --help” for the list."), command);
      status = WR_CLI_EXIT_USAGE;
    }

  g_clear_object (&cli.session);
  g_free (cli.data_dir);

  return status;
}
