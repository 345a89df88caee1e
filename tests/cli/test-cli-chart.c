/* test-cli-chart.c — workroom-cli chart render: a dataset imported from a
 * CSV drawn to PNG and SVG, a JSON chart description, bad usage (exit 2)
 * and failures (exit 1), each with a one-line error. The real binary and
 * a real SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>

#include "cli-test-util.h"

static char *
write_file (CliFixture *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->data_dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
import_sales (CliFixture *fixture)
{
  g_autofree char *project = cli_create_project (fixture, "Sales");
  g_autofree char *csv = write_file (fixture, "sales.csv",
                                     "region,amount,month\nNorth,12.5,1\nSouth,7,1\nNorth,3,2\nEast,9,2\n");
  g_auto(CliResult) imported = cli_run (fixture, "import", csv, "--project", project, "--json");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *datasets;

  g_assert_cmpstr (imported.err, ==, "");
  g_assert_cmpint (imported.status, ==, 0);
  node = cli_parse_json (imported.out);
  datasets = json_object_get_array_member (json_node_get_object (node), "datasets");
  g_assert_cmpuint (json_array_get_length (datasets), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (datasets, 0), "id"));
}

static void
assert_one_line_error (const CliResult *result,
                       int              status)
{
  g_assert_cmpint (result->status, ==, status);
  g_assert_true (g_str_has_prefix (result->err, "workroom-cli: ") || g_str_has_prefix (result->err, "Usage:"));
  if (g_str_has_prefix (result->err, "workroom-cli: "))
    g_assert_cmpstr (strchr (result->err, '\n'), ==, "\n");
}

static void
test_render_dataset (CliFixture    *fixture,
                     gconstpointer  data)
{
  g_autofree char *id = import_sales (fixture);
  g_autofree char *png = g_build_filename (fixture->data_dir, "sales.png", NULL);
  g_autofree char *svg = g_build_filename (fixture->data_dir, "sales.svg", NULL);
  g_autofree char *contents = NULL;

  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", id, "--type", "bar",
                                        "--x", "region", "--y", "amount", "--agg", "sum",
                                        "--title", "Sales", "--width", "640", "--height", "360",
                                        "--out", png);
    cairo_surface_t *image;

    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    image = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (image), ==, 640);
    g_assert_cmpint (cairo_image_surface_get_height (image), ==, 360);
    cairo_surface_destroy (image);
  }

  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", id, "--type", "line",
                                        "--x", "month", "--y", "amount", "--group", "region",
                                        "--agg", "mean", "--dark", "--out", svg, "--json");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    node = cli_parse_json (result.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "series"), ==, 3);
    g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "<?xml"));
    g_assert_nonnull (strstr (contents, "<svg"));
  }

  /* Count needs no --y. */
  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", id, "--type", "pie",
                                        "--x", "region", "--agg", "count", "--out", png);
    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
  }

  /* A column the dataset lacks: a failure naming it. */
  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", id, "--type", "bar",
                                        "--x", "region", "--y", "price", "--out", png);
    assert_one_line_error (&result, 1);
    g_assert_nonnull (strstr (result.err, "price"));
  }
}

static void
test_render_spec (CliFixture    *fixture,
                  gconstpointer  data)
{
  g_autofree char *spec = write_file (fixture, "chart.json",
                                      "{\"type\":\"area\",\"title\":\"Load\","
                                      "\"series\":[{\"name\":\"cpu\",\"x\":[0,1,2,3],\"y\":[1,3,2,4]}]}");
  g_autofree char *bad_spec = write_file (fixture, "bad.json",
                                          "{\"type\":\"line\",\"series\":[{\"x\":[1,2],\"y\":[1]}]}");
  g_autofree char *pdf = g_build_filename (fixture->data_dir, "load.pdf", NULL);
  g_autofree char *contents = NULL;

  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--spec", spec, "--out", pdf);
    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "%PDF"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--spec", bad_spec, "--out", pdf);
    assert_one_line_error (&result, 1);
    g_assert_nonnull (strstr (result.err, "same number"));
  }
}

static void
test_bad_usage (CliFixture    *fixture,
                gconstpointer  data)
{
  g_autofree char *png = g_build_filename (fixture->data_dir, "x.png", NULL);

  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", "abc", "--type", "donut",
                                        "--x", "a", "--y", "b", "--out", png);
    assert_one_line_error (&result, 2);
    g_assert_nonnull (strstr (result.err, "donut"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", "abc", "--type", "bar",
                                        "--x", "a", "--y", "b");
    g_assert_cmpint (result.status, ==, 2);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "render", "--dataset", "abc", "--type", "bar",
                                        "--x", "a", "--y", "b", "--agg", "median", "--out", png);
    assert_one_line_error (&result, 2);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "chart", "draw");
    g_assert_cmpint (result.status, ==, 2);
  }
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/chart/render-dataset", CliFixture, NULL,
              cli_fixture_setup, test_render_dataset, cli_fixture_teardown);
  g_test_add ("/cli/chart/render-spec", CliFixture, NULL,
              cli_fixture_setup, test_render_spec, cli_fixture_teardown);
  g_test_add ("/cli/chart/bad-usage", CliFixture, NULL,
              cli_fixture_setup, test_bad_usage, cli_fixture_teardown);

  return g_test_run ();
}
