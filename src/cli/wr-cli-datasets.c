/* wr-cli-datasets.c — workroom-cli dataset list|show|stats|delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "data/wr-dataset.h"
#include "data/wr-dataset-query.h"
#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli dataset list --project ID | show ID [--rows N] [--sort COL[:desc]] [--filter TEXT]\n"
  "                            | stats ID | delete ID\n";

/* The 0-based index of column @spec (a name, or a 1-based number) of
 * @info, or -1. */
static int
find_column (const WrDatasetInfo *info,
             const char          *spec)
{
  g_autoptr(JsonNode) node = info->columns != NULL ? json_from_string (info->columns, NULL) : NULL;
  JsonArray *columns = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = columns != NULL ? json_array_get_length (columns) : 0;
  char *end = NULL;
  guint64 number;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);

      if (column != NULL && g_strcmp0 (json_object_get_string_member_with_default (column, "name", NULL), spec) == 0)
        return (int) i;
    }
  number = g_ascii_strtoull (spec, &end, 10);
  if (end != spec && *end == '\0' && number >= 1 && number <= n)
    return (int) number - 1;
  return -1;
}

static JsonNode *
parse_or_null (const char *json)
{
  JsonNode *node = json != NULL ? json_from_string (json, NULL) : NULL;

  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

JsonNode *
wr_cli_dataset_json (WrDatasetInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, info->id);
  json_builder_set_member_name (builder, "project_id");
  json_builder_add_string_value (builder, info->project_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, info->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, info->kind);
  json_builder_set_member_name (builder, "sheet");
  json_builder_add_string_value (builder, info->sheet);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, info->status);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, info->error);
  json_builder_set_member_name (builder, "row_count");
  json_builder_add_int_value (builder, info->row_count);
  json_builder_set_member_name (builder, "columns");
  json_builder_add_value (builder, parse_or_null (info->columns));
  json_builder_set_member_name (builder, "warnings");
  json_builder_add_value (builder, parse_or_null (info->warnings));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
dataset_list (WrCli      *cli,
              const char *project_id)
{
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  datasets = wr_dataset_list (wr_session_get_store (session), project_id, &error);
  if (datasets == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < datasets->len; i++)
        json_array_add_element (array, wr_cli_dataset_json (g_ptr_array_index (datasets, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < datasets->len; i++)
    {
      WrDatasetInfo *info = g_ptr_array_index (datasets, i);

      printf ("%s\t%s\t%s\t%" G_GINT64_FORMAT "\n", info->id, info->name, info->status, info->row_count);
    }
  return 0;
}

static void
print_row (JsonArray *cells)
{
  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonNode *cell = json_array_get_element (cells, i);
      g_autofree char *text = NULL;

      if (!JSON_NODE_HOLDS_NULL (cell))
        text = g_strescape (json_node_get_string (cell) ? json_node_get_string (cell) : "", "\xc2\xa0");
      printf ("%s%s", i > 0 ? "\t" : "", text != NULL ? text : "");
    }
  printf ("\n");
}

static int
dataset_show (WrCli      *cli,
              const char *id,
              int         n_rows,
              const char *sort,
              const char *filter)
{
  g_autoptr(WrDatasetInfo) info = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonNode) columns = NULL;
  g_autoptr(WrDatasetResult) result = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);
  WrStore *store;

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  store = wr_session_get_store (session);

  info = wr_dataset_get (store, id, &error);
  if (info == NULL)
    return wr_cli_fail_error (error);

  if (sort != NULL || filter != NULL)
    {
      g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();
      g_autoptr(JsonNode) spec = info->columns != NULL ? json_from_string (info->columns, NULL) : NULL;
      guint n_columns = spec != NULL && JSON_NODE_HOLDS_ARRAY (spec) ? json_array_get_length (json_node_get_array (spec)) : 0;

      if (sort != NULL)
        {
          g_autofree char *name = g_strdup (sort);
          char *colon = strrchr (name, ':');
          gboolean descending = FALSE;
          int column;

          if (colon != NULL && (g_ascii_strcasecmp (colon + 1, "desc") == 0 || g_ascii_strcasecmp (colon + 1, "asc") == 0))
            {
              descending = g_ascii_strcasecmp (colon + 1, "desc") == 0;
              *colon = '\0';
            }
          column = find_column (info, name);
          if (column < 0)
            {
              wr_cli_fail (_("The dataset has no column “%s”. Give a column name or number from “workroom-cli dataset show %s”."),
                           name, id);
              return WR_CLI_EXIT_USAGE;
            }
          wr_dataset_query_set_sort (query, column, descending);
        }
      wr_dataset_query_set_text (query, filter);
      result = wr_dataset_query_run (store, id, query, NULL, NULL, NULL, &error);
      if (result == NULL)
        return wr_cli_fail_error (error);
      rows = wr_dataset_result_read_rows (store, id, result, 0, (guint) n_rows, n_columns, &error);
    }
  else
    rows = wr_dataset_read_rows (store, id, 0, n_rows, &error);
  if (rows == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = wr_cli_dataset_json (info);
      JsonNode *rows_node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (rows_node, rows);
      json_object_set_member (json_node_get_object (node), "rows", rows_node);
      if (result != NULL)
        json_object_set_int_member (json_node_get_object (node), "matched_rows",
                                    wr_dataset_result_get_n_rows (result));
      wr_cli_print_json (node);
      return 0;
    }

  printf (_("%s (%s), %" G_GINT64_FORMAT " rows, %s\n"), info->name, info->kind, info->row_count, info->status);
  if (info->error != NULL)
    printf ("%s\n", info->error);
  if (result != NULL && filter != NULL)
    /* Translators: rows a filter kept, "12 of 100 rows match" */
    printf (_("%u of %" G_GINT64_FORMAT " rows match\n"), wr_dataset_result_get_n_rows (result), info->row_count);

  columns = parse_or_null (info->columns);
  if (JSON_NODE_HOLDS_ARRAY (columns))
    {
      JsonArray *array = json_node_get_array (columns);
      g_autoptr(JsonArray) names = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *column = json_array_get_object_element (array, i);

          printf ("  %s: %s\n", json_object_get_string_member (column, "name"),
                  json_object_get_string_member (column, "type"));
          json_array_add_string_element (names, json_object_get_string_member (column, "name"));
        }
      if (json_array_get_length (rows) > 0)
        {
          printf ("\n");
          print_row (names);
        }
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    print_row (json_array_get_array_element (rows, i));

  return 0;
}

static int
dataset_stats (WrCli      *cli,
               const char *id)
{
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  stats = wr_dataset_compute_stats (wr_session_get_store (session), id, -1, NULL, NULL, NULL, &error);
  if (stats == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < stats->len; i++)
        json_array_add_element (array, wr_column_stats_to_json (g_ptr_array_index (stats, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < stats->len; i++)
    {
      WrColumnStats *column = g_ptr_array_index (stats, i);

      printf ("%s (%s)\n", column->name, wr_column_type_to_string (column->type));
      printf (_("  rows %" G_GINT64_FORMAT ", empty %" G_GINT64_FORMAT ", distinct %s%" G_GINT64_FORMAT "\n"),
              column->count, column->empty, column->distinct_capped ? "≥ " : "", column->distinct);
      if (column->n_numbers > 0)
        printf (_("  min %.15g, max %.15g, mean %.15g, sum %.15g\n"),
                column->min, column->max, column->mean, column->sum);
      if (column->earliest != NULL)
        printf (_("  earliest %s, latest %s\n"), column->earliest, column->latest);
      for (guint j = 0; j < column->n_top; j++)
        printf ("  %s%s × %" G_GINT64_FORMAT "\n", j == 0 ? _("top: ") : "       ",
                column->top_values[j], column->top_counts[j]);
    }
  return 0;
}

static int
dataset_delete (WrCli      *cli,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  if (!wr_dataset_delete (wr_session_get_store (session), id, &error))
    return wr_cli_fail_error (error);
  return 0;
}

int
wr_cli_cmd_dataset (WrCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *project_id = NULL;
  int n_rows = 10;
  g_autofree char *sort = NULL;
  g_autofree char *filter = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { "rows", 'n', 0, G_OPTION_ARG_INT, &n_rows, N_("How many rows to show (default 10)"), "N" },
    { "sort", 's', 0, G_OPTION_ARG_STRING, &sort, N_("Sort by this column (name or number), :desc for descending"), "COL[:desc]" },
    { "filter", 'f', 0, G_OPTION_ARG_STRING, &filter, N_("Only rows with this text in some column (any case)"), "TEXT" },
    { NULL }
  };
  const char *verb;

  if (!wr_cli_parse (cli, "list --project ID|show ID [--rows N] [--sort COL[:desc]] [--filter TEXT]|stats ID|delete ID",
                     _("Tables imported into a project."), entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (usage);

  verb = argv[1];
  if (g_str_equal (verb, "list") && argc == 2 && project_id != NULL)
    return dataset_list (cli, project_id);
  if (g_str_equal (verb, "show") && argc == 3 && n_rows >= 0)
    return dataset_show (cli, argv[2], n_rows, sort, filter);
  if (g_str_equal (verb, "stats") && argc == 3)
    return dataset_stats (cli, argv[2]);
  if (g_str_equal (verb, "delete") && argc == 3)
    return dataset_delete (cli, argv[2]);

  return wr_cli_usage (usage);
}
