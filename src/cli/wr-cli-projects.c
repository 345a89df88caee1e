/* wr-cli-projects.c — workroom-cli project list|create|rename|delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gi18n.h>

#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli project list | create NAME | rename ID NAME | delete ID\n";

static int
project_list (WrCli *cli)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  projects = wr_store_list_projects (wr_session_get_store (session), &error);
  if (projects == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < projects->len; i++)
        json_array_add_element (array, wr_cli_project_json (g_ptr_array_index (projects, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < projects->len; i++)
    {
      WrProject *project = g_ptr_array_index (projects, i);
      printf ("%s\t%s\n", wr_project_get_id (project), wr_project_get_name (project));
    }

  return 0;
}

static int
project_create (WrCli      *cli,
                const char *name)
{
  g_autoptr(WrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  project = wr_store_create_project (wr_session_get_store (session), name, &error);
  if (project == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = wr_cli_project_json (project);
      wr_cli_print_json (node);
    }
  else
    printf ("%s\n", wr_project_get_id (project));

  return 0;
}

static int
project_rename (WrCli      *cli,
                const char *id,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (!wr_store_rename_project (wr_session_get_store (session), id, name, &error))
    return wr_cli_fail_error (error);

  return 0;
}

static int
project_delete (WrCli      *cli,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (!wr_store_delete_project (wr_session_get_store (session), id, &error))
    return wr_cli_fail_error (error);

  return 0;
}

int
wr_cli_cmd_project (WrCli  *cli,
                    int     argc,
                    char  **argv)
{
  const char *verb;

  if (!wr_cli_parse (cli, "list|create NAME|rename ID NAME|delete ID",
                     _("Manage projects."), NULL, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (usage);

  verb = argv[1];
  if (g_str_equal (verb, "list") && argc == 2)
    return project_list (cli);
  if (g_str_equal (verb, "create") && argc == 3)
    return project_create (cli, argv[2]);
  if (g_str_equal (verb, "rename") && argc == 4)
    return project_rename (cli, argv[2], argv[3]);
  if (g_str_equal (verb, "delete") && argc == 3)
    return project_delete (cli, argv[2]);

  return wr_cli_usage (usage);
}
