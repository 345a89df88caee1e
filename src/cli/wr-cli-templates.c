/* wr-cli-templates.c — workroom-cli template list|add|edit|delete:
 * instruction templates, the system prompts a chat or project can use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "store/wr-template.h"
#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli template list\n"
  "       workroom-cli template add NAME [--file FILE | TEXT | -]\n"
  "       workroom-cli template edit ID_OR_NAME [--name NAME] [--file FILE | TEXT | -]\n"
  "       workroom-cli template delete ID_OR_NAME\n"
  "\n"
  "TEXT is the instructions the model gets before a chat; \"-\" or nothing\n"
  "(for add) reads them from standard input. Use a template in a chat with\n"
  "“workroom-cli chat send --template ID_OR_NAME …”.\n";

static JsonNode *
template_json (WrTemplate *template_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = wr_format_time (wr_template_get_created_at (template_));
  g_autofree char *updated = wr_format_time (wr_template_get_updated_at (template_));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, wr_template_get_id (template_));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, wr_template_get_name (template_));
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, wr_template_get_content (template_));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, updated);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
read_stdin_text (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;

  if (g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The instructions from --file, the words in @args, or standard input
 * ("-", or nothing when @stdin_if_none). NULL and *@status set on failure;
 * NULL and *@status 0 when none were given. */
static char *
read_content (const char  *file,
              char       **args,
              gboolean     stdin_if_none,
              int         *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean has_args = args[0] != NULL;

  *status = 0;

  if (file != NULL && has_args)
    {
      wr_cli_fail (_("Give the instructions either with --file or as text, not both."));
      *status = WR_CLI_EXIT_USAGE;
      return NULL;
    }

  if (file != NULL)
    {
      if (!g_file_get_contents (file, &text, NULL, &error))
        {
          *status = wr_cli_fail_error (error);
          return NULL;
        }
    }
  else if ((has_args && g_str_equal (args[0], "-") && args[1] == NULL) ||
           (!has_args && stdin_if_none))
    {
      text = read_stdin_text (&error);
      if (text == NULL)
        {
          *status = wr_cli_fail_error (error);
          return NULL;
        }
    }
  else if (has_args)
    text = g_strjoinv (" ", args);
  else
    return NULL;

  if (!g_utf8_validate (text, -1, NULL))
    {
      *status = wr_cli_fail (_("The instructions are not valid UTF-8 text. Save them as UTF-8 and try again."));
      return NULL;
    }

  return g_steal_pointer (&text);
}

static int
template_list (WrCli *cli)
{
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  templates = wr_store_list_templates (wr_session_get_store (session), &error);
  if (templates == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < templates->len; i++)
        json_array_add_element (array, template_json (g_ptr_array_index (templates, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < templates->len; i++)
    {
      WrTemplate *template_ = g_ptr_array_index (templates, i);

      printf ("%s\t%s\n", wr_template_get_id (template_), wr_template_get_name (template_));
    }

  return 0;
}

static int
print_saved (WrCli      *cli,
             WrTemplate *template_)
{
  if (cli->json)
    {
      g_autoptr(JsonNode) node = template_json (template_);

      wr_cli_print_json (node);
    }
  else
    printf ("%s\n", wr_template_get_id (template_));

  return 0;
}

static int
template_add (WrCli       *cli,
              const char  *name,
              const char  *file,
              char       **args)
{
  g_autoptr(WrTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  WrSession *session;
  int status;

  content = read_content (file, args, TRUE, &status);
  if (content == NULL)
    return status;

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  template_ = wr_template_new (name, content);
  if (!wr_store_save_template (wr_session_get_store (session), template_, &error))
    return wr_cli_fail_error (error);

  return print_saved (cli, template_);
}

static int
template_edit (WrCli       *cli,
               const char  *id_or_name,
               const char  *new_name,
               const char  *file,
               char       **args)
{
  g_autoptr(WrTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  WrSession *session;
  int status;

  content = read_content (file, args, FALSE, &status);
  if (content == NULL && status != 0)
    return status;

  if (content == NULL && new_name == NULL)
    {
      wr_cli_fail (_("Nothing to change: give --name NAME, --file FILE or the new text."));
      return WR_CLI_EXIT_USAGE;
    }

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  template_ = wr_store_get_template (wr_session_get_store (session), id_or_name, &error);
  if (template_ == NULL)
    return wr_cli_fail_error (error);

  if (new_name != NULL)
    wr_template_set_name (template_, new_name);
  if (content != NULL)
    wr_template_set_content (template_, content);

  if (!wr_store_save_template (wr_session_get_store (session), template_, &error))
    return wr_cli_fail_error (error);

  return print_saved (cli, template_);
}

static int
template_delete (WrCli      *cli,
                 const char *id_or_name)
{
  g_autoptr(WrTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  template_ = wr_store_get_template (wr_session_get_store (session), id_or_name, &error);
  if (template_ == NULL)
    return wr_cli_fail_error (error);

  if (!wr_store_delete_template (wr_session_get_store (session), wr_template_get_id (template_), &error))
    return wr_cli_fail_error (error);

  return 0;
}

int
wr_cli_cmd_template (WrCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *file = NULL;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the instructions from FILE"), "FILE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("New name (edit)"), "NAME" },
    { NULL }
  };
  const char *verb;

  if (!wr_cli_parse (cli, "list|add|edit|delete ...", _("Instruction templates for chats."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (usage);

  verb = argv[1];
  if (g_str_equal (verb, "list") && argc == 2 && file == NULL && name == NULL)
    return template_list (cli);

  if (g_str_equal (verb, "add") && argc >= 3 && name == NULL)
    return template_add (cli, argv[2], file, argv + 3);

  if (g_str_equal (verb, "edit") && argc >= 3)
    return template_edit (cli, argv[2], name, file, argv + 3);

  if (g_str_equal (verb, "delete") && argc == 3 && file == NULL && name == NULL)
    return template_delete (cli, argv[2]);

  return wr_cli_usage (usage);
}
