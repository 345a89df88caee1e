/* wr-cli-chart.c — workroom-cli chart render: a chart of a dataset, or of
 * a JSON chart description (data/wr-chart.h), to PNG, SVG or PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gi18n.h>

#include "data/wr-chart.h"
#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli chart render --dataset ID --type bar|line|area|scatter|pie --x COL [--y COL]\n"
  "                                 [--group COL] [--agg sum|mean|count] [--title T] [--dark]\n"
  "                                 [--width W] [--height H] --out FILE.png|svg|pdf\n"
  "       workroom-cli chart render --spec FILE.json [--dark] --out FILE.png|svg|pdf\n";

int
wr_cli_cmd_chart (WrCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *dataset_id = NULL;
  g_autofree char *type_name = NULL;
  g_autofree char *x_column = NULL;
  g_autofree char *y_column = NULL;
  g_autofree char *group_column = NULL;
  g_autofree char *agg_name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *spec_path = NULL;
  g_autofree char *out = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  gboolean dark = FALSE;
  int width = 1200, height = 600;
  WrChartAggregate agg = WR_CHART_AGG_SUM;
  WrChartType type = WR_CHART_BAR;
  GOptionEntry entries[] = {
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset_id, N_("Dataset id"), "ID" },
    { "type", 't', 0, G_OPTION_ARG_STRING, &type_name, N_("bar, line, area, scatter or pie"), "T" },
    { "x", 0, 0, G_OPTION_ARG_STRING, &x_column, N_("Column for the x axis (or pie slices)"), "COL" },
    { "y", 0, 0, G_OPTION_ARG_STRING, &y_column, N_("Column of values"), "COL" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group_column, N_("Column splitting the values into series"), "COL" },
    { "agg", 'a', 0, G_OPTION_ARG_STRING, &agg_name, N_("sum, mean or count (default sum)"), "A" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Chart title"), "T" },
    { "spec", 's', 0, G_OPTION_ARG_FILENAME, &spec_path, N_("JSON chart description"), "FILE" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Dark colours"), NULL },
    { "width", 'W', 0, G_OPTION_ARG_INT, &width, N_("Width in pixels (default 1200)"), "W" },
    { "height", 'H', 0, G_OPTION_ARG_INT, &height, N_("Height in pixels (default 600)"), "H" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Output file: .png, .svg or .pdf"), "FILE" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "render (--dataset ID --type T --x COL [--y COL] | --spec FILE) --out FILE",
                     _("Draw a chart of a dataset to PNG, SVG or PDF."), entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc != 2 || !g_str_equal (argv[1], "render") || out == NULL ||
      (spec_path == NULL) == (dataset_id == NULL))
    return wr_cli_usage (usage);
  if (width < 16 || height < 16 || width > 20000 || height > 20000)
    {
      wr_cli_fail (_("The size %d×%d is out of range; use 16 to 20000 pixels each way."), width, height);
      return WR_CLI_EXIT_USAGE;
    }

  if (spec_path != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (spec_path, &contents, &length, &error))
        return wr_cli_fail_error (error);
      spec = wr_chart_spec_new_from_json (contents, (gssize) length, &error);
      if (spec == NULL)
        return wr_cli_fail_error (error);
    }
  else
    {
      WrSession *session;

      if (type_name == NULL || !wr_chart_type_from_string (type_name, &type))
        {
          wr_cli_fail (_("Unknown chart type “%s”. Use bar, line, area, scatter or pie."),
                       type_name != NULL ? type_name : "");
          return WR_CLI_EXIT_USAGE;
        }
      if (agg_name != NULL && !wr_chart_aggregate_from_string (agg_name, &agg))
        {
          wr_cli_fail (_("Unknown aggregate “%s”. Use sum, mean or count."), agg_name);
          return WR_CLI_EXIT_USAGE;
        }
      if (x_column == NULL || (y_column == NULL && agg != WR_CHART_AGG_COUNT))
        {
          wr_cli_fail (_("Give the columns to chart with --x and --y (or --agg count without --y)."));
          return WR_CLI_EXIT_USAGE;
        }

      session = wr_cli_session (cli);
      if (session == NULL)
        return WR_CLI_EXIT_FAILURE;
      spec = wr_chart_spec_new_from_dataset (wr_session_get_store (session), dataset_id, type,
                                             x_column, y_column, group_column, agg, &error);
      if (spec == NULL)
        return wr_cli_fail_error (error);
    }

  if (title != NULL)
    {
      g_free (spec->title);
      spec->title = g_strdup (title);
    }

  if (!wr_chart_export (spec, out, width, height,
                        dark ? wr_chart_style_dark () : wr_chart_style_light (), &error))
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, out);
      json_builder_set_member_name (builder, "series");
      json_builder_add_int_value (builder, spec->series->len);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      wr_cli_print_json (node);
    }
  else
    printf ("%s\n", out);
  return 0;
}
