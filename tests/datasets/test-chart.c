/* test-chart.c — charts (data/wr-chart.h): the JSON form and its errors,
 * nice ticks, decimation keeping each pixel column's extremes, PNG/SVG/PDF
 * export, and charts built from a dataset imported into a real SQLite
 * store with sum, mean and count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "data/wr-chart-private.h"
#include "data/wr-chart.h"
#include "data/wr-dataset.h"

typedef struct
{
  char      *dir;
  WrStore   *store;
  WrProject *project;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("wr-chart-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workroom.db", NULL);
  fixture->store = wr_store_open (path, &error);
  g_assert_no_error (error);
  fixture->project = wr_store_create_project (fixture->store, "Charts", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  g_clear_object (&fixture->project);
  g_clear_object (&fixture->store);
  handle = g_dir_open (fixture->dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static WrChartSeries *
series_at (WrChartSpec *spec,
           guint        i)
{
  g_assert_cmpuint (i, <, spec->series->len);
  return g_ptr_array_index (spec->series, i);
}

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  WrChartSeries *series;

  spec = wr_chart_spec_new_from_json ("{\"type\":\"bar\",\"title\":\"T\",\"x_label\":\"X\",\"y_label\":\"Y\","
                                      "\"series\":[{\"name\":\"a\",\"x\":[\"Jan\",\"Feb\"],\"y\":[1,2.5]},"
                                      "{\"name\":\"b\",\"x\":[\"Mar\",\"Jan\"],\"y\":[3,4]}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (spec->type, ==, WR_CHART_BAR);
  g_assert_cmpstr (spec->title, ==, "T");
  g_assert_cmpstr (spec->x_label, ==, "X");
  g_assert_cmpstr (spec->y_label, ==, "Y");
  g_assert_nonnull (spec->categories);
  g_assert_cmpuint (spec->categories->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (spec->categories, 2), ==, "Mar");
  series = series_at (spec, 1);
  g_assert_cmpstr (series->name, ==, "b");
  g_assert_cmpuint (series->n, ==, 2);
  g_assert_cmpfloat (series->x[0], ==, 2);   /* Mar */
  g_assert_cmpfloat (series->x[1], ==, 0);   /* Jan, shared */
  g_assert_cmpfloat (series_at (spec, 0)->y[1], ==, 2.5);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* x is optional: 0, 1, 2… */
  spec = wr_chart_spec_new_from_json ("{\"type\":\"line\",\"series\":[{\"y\":[5,6,7]}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_null (spec->categories);
  g_assert_cmpfloat (series_at (spec, 0)->x[2], ==, 2);
}

static void
test_json_errors (void)
{
  static const struct {
    const char *json;
    int         code;
    const char *fragment;
  } cases[] = {
    { "{\"type\":\"donut\",\"series\":[{\"y\":[1]}]}", WR_CHART_ERROR_INVALID, "donut" },
    { "{\"series\":[{\"y\":[1]}]}", WR_CHART_ERROR_INVALID, "Unknown chart type" },
    { "{\"type\":\"line\",\"series\":[{\"x\":[1,2,3],\"y\":[1,2]}]}", WR_CHART_ERROR_INVALID, "same number" },
    { "{\"type\":\"line\",\"series\":[]}", WR_CHART_ERROR_INVALID, "series" },
    { "{\"type\":\"line\",\"series\":[{\"y\":[1,\"x\"]}]}", WR_CHART_ERROR_INVALID, "not a number" },
    { "{\"type\":\"line\",\"series\":[{\"x\":[1,\"b\"],\"y\":[1,2]}]}", WR_CHART_ERROR_INVALID, "all numbers" },
    { "{\"type\":\"line\",\"series\":[{\"x\":[1]}]}", WR_CHART_ERROR_INVALID, "“y”" },
    { "[1,2]", WR_CHART_ERROR_INVALID, "JSON object" },
    { "{\"type\":", WR_CHART_ERROR_INVALID, "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WrChartSpec) spec = wr_chart_spec_new_from_json (cases[i].json, -1, &error);

      g_assert_null (spec);
      g_assert_error (error, WR_CHART_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].fragment);
    }
}

static void
test_json_too_many_points (void)
{
  g_autoptr(GString) json = g_string_new ("{\"type\":\"scatter\",\"series\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  g_autofree char *ys = NULL;
  GString *y = g_string_new ("0");

  /* Three series of 2,000,000 points: 6,000,000 in all. */
  for (guint i = 1; i < 2000000; i++)
    g_string_append (y, ",0");
  ys = g_string_free (y, FALSE);
  for (guint s = 0; s < 3; s++)
    g_string_append_printf (json, "%s{\"y\":[%s]}", s > 0 ? "," : "", ys);
  g_string_append (json, "]}");

  spec = wr_chart_spec_new_from_json (json->str, (gssize) json->len, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_TOO_LARGE);
}

static void
test_nice_ticks (void)
{
  static const struct {
    double min, max;
    int    max_ticks;
    double step, first;
  } cases[] = {
    { 0, 10, 6, 2, 0 },
    { 0, 100, 11, 10, 0 },
    { 0, 1, 5, 0.5, 0 },     /* 0.25 → 0.5 */
    { 0, 7, 8, 1, 0 },
    { 3, 97, 5, 50, 50 },    /* 23.5 → 50 */
    { -13, 42, 6, 20, 0 },
    { -13, 42, 12, 5, -10 },
    { 0.001, 0.0093, 5, 0.005, 0.005 },
    { 0, 1234567, 7, 500000, 0 },
    { 5, 5, 5, 2, 6 },       /* empty range: scaled by the value */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double first = NAN;
      double step = _wr_chart_nice_step (cases[i].min, cases[i].max, cases[i].max_ticks, &first);

      if (fabs (step - cases[i].step) > 1e-12 || fabs (first - cases[i].first) > 1e-12)
        g_error ("case %u: [%g, %g] in %d ticks gave step %g first %g, want %g and %g", i,
                 cases[i].min, cases[i].max, cases[i].max_ticks, step, first, cases[i].step, cases[i].first);
      /* The step is 1, 2 or 5 × 10^n. */
      {
        double mantissa = step / pow (10, floor (log10 (step) + 1e-9));
        g_assert_true (fabs (mantissa - 1) < 1e-9 || fabs (mantissa - 2) < 1e-9 || fabs (mantissa - 5) < 1e-9);
      }
    }
}

static void
test_decimate (void)
{
  const gsize n = 100000;
  const guint columns = 100;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  double mins[100], maxs[100], want_min[100], want_max[100];
  gboolean occupied[100];
  guint count;

  g_random_set_seed (42);
  for (guint c = 0; c < columns; c++)
    want_min[c] = G_MAXDOUBLE, want_max[c] = -G_MAXDOUBLE;
  for (gsize i = 0; i < n; i++)
    {
      guint c;

      x[i] = (double) i / (n - 1) * 99.0;
      y[i] = g_random_double_range (-1000, 1000);
      c = (guint) (x[i] + 0.5);
      want_min[c] = MIN (want_min[c], y[i]);
      want_max[c] = MAX (want_max[c], y[i]);
    }
  /* A spike in one column must survive. */
  y[n / 2] = 1e6;
  want_max[(guint) (x[n / 2] + 0.5)] = 1e6;

  count = _wr_chart_decimate (x, y, n, 0, 99, columns, mins, maxs, occupied);
  g_assert_cmpuint (count, ==, columns);
  for (guint c = 0; c < columns; c++)
    {
      g_assert_true (occupied[c]);
      g_assert_cmpfloat (mins[c], ==, want_min[c]);
      g_assert_cmpfloat (maxs[c], ==, want_max[c]);
    }

  /* Points outside the range are dropped; empty columns stay empty. */
  {
    double px[] = { -5, 10, 10, 200 };
    double py[] = { 1, 2, -3, 4 };

    count = _wr_chart_decimate (px, py, 4, 0, 99, columns, mins, maxs, occupied);
    g_assert_cmpuint (count, ==, 1);
    g_assert_true (occupied[10]);
    g_assert_false (occupied[0]);
    g_assert_cmpfloat (mins[10], ==, -3);
    g_assert_cmpfloat (maxs[10], ==, 2);
  }
}

static WrChartSpec *
sample_spec (WrChartType type)
{
  WrChartSpec *spec = wr_chart_spec_new (type);
  double y[] = { 3, 1, 4, 1, 5, 9, 2, 6 };

  spec->title = g_strdup ("Sample");
  spec->x_label = g_strdup ("x");
  spec->y_label = g_strdup ("y");
  wr_chart_spec_add_series (spec, "pi", NULL, y, G_N_ELEMENTS (y));
  return spec;
}

static void
test_export_png (Fixture       *fixture,
                 gconstpointer  data)
{
  for (WrChartType type = WR_CHART_BAR; type <= WR_CHART_PIE; type++)
    for (guint dark = 0; dark < 2; dark++)
      {
        g_autoptr(WrChartSpec) spec = sample_spec (type);
        g_autoptr(GError) error = NULL;
        g_autofree char *path = g_strdup_printf ("%s/chart-%d-%u.png", fixture->dir, type, dark);
        const WrChartStyle *style = dark ? wr_chart_style_dark () : wr_chart_style_light ();
        cairo_surface_t *image;
        unsigned char *pixels;
        guint32 bg, differing = 0;
        int stride;

        g_assert_true (wr_chart_export (spec, path, 320, 200, style, &error));
        g_assert_no_error (error);

        image = cairo_image_surface_create_from_png (path);
        g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
        g_assert_cmpint (cairo_image_surface_get_width (image), ==, 320);
        g_assert_cmpint (cairo_image_surface_get_height (image), ==, 200);
        pixels = cairo_image_surface_get_data (image);
        stride = cairo_image_surface_get_stride (image);
        /* The corner is the style's background. */
        bg = *(guint32 *) pixels;
        g_assert_cmpuint (bg >> 24, ==, 0xff);
        g_assert_cmpfloat (fabs (((bg >> 16) & 0xff) - style->bg.r * 255), <=, 1.0);
        g_assert_cmpfloat (fabs (((bg >> 8) & 0xff) - style->bg.g * 255), <=, 1.0);
        g_assert_cmpfloat (fabs ((bg & 0xff) - style->bg.b * 255), <=, 1.0);
        for (int row = 0; row < 200; row++)
          for (int col = 0; col < 320; col++)
            if (((guint32 *) (pixels + row * stride))[col] != bg)
              differing++;
        /* Drawn, and not just a few stray pixels. */
        g_assert_cmpuint (differing, >, 320 * 200 / 50);
        cairo_surface_destroy (image);
      }
}

static void
test_export_vector (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WrChartSpec) spec = sample_spec (WR_CHART_LINE);
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = g_build_filename (fixture->dir, "chart.svg", NULL);
  g_autofree char *pdf = g_build_filename (fixture->dir, "chart.PDF", NULL);
  g_autofree char *bad = g_build_filename (fixture->dir, "chart.gif", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "chart.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (wr_chart_export (spec, svg, 400, 300, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_clear_pointer (&contents, g_free);

  g_assert_true (wr_chart_export (spec, pdf, 400, 300, wr_chart_style_dark (), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 200);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));

  g_assert_false (wr_chart_export (spec, bad, 400, 300, NULL, &error));
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (wr_chart_export (spec, missing, 400, 300, NULL, &error));
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_FAILED);
}

static void
test_large_draw (void)
{
  const gsize n = 1000000;
  g_autoptr(WrChartSpec) spec = wr_chart_spec_new (WR_CHART_LINE);
  g_autofree double *y = g_new (double, n);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 300);
  cairo_t *cr = cairo_create (surface);

  for (gsize i = 0; i < n; i++)
    y[i] = sin (i / 5000.0) * 100 + (i % 7);
  wr_chart_spec_add_series (spec, "big", NULL, y, n);
  wr_chart_draw (spec, cr, 600, 300, NULL);
  spec->type = WR_CHART_SCATTER;
  wr_chart_draw (spec, cr, 600, 300, wr_chart_style_dark ());
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static char *
import_csv (Fixture    *fixture,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "sales.csv", NULL);
  char *id = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_true (wr_dataset_import_csv (fixture->store, wr_project_get_id (fixture->project), path,
                                        NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_from_dataset (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = import_csv (fixture,
                                    "region,amount,day\n"
                                    "North,10,3\n"
                                    "South,4,1\n"
                                    "North,20,1\n"
                                    "South,n/a,3\n"
                                    "East,7,2\n"
                                    "South,8,1\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  WrChartSeries *series;

  /* Sum per region: categories in order of first appearance. */
  spec = wr_chart_spec_new_from_dataset (fixture->store, id, WR_CHART_BAR, "region", "amount", NULL,
                                         WR_CHART_AGG_SUM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spec->categories->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (spec->categories, 0), ==, "North");
  g_assert_cmpstr (g_ptr_array_index (spec->categories, 1), ==, "South");
  g_assert_cmpstr (g_ptr_array_index (spec->categories, 2), ==, "East");
  series = series_at (spec, 0);
  g_assert_cmpuint (series->n, ==, 3);
  g_assert_cmpfloat (series->y[0], ==, 30);
  g_assert_cmpfloat (series->y[1], ==, 12);   /* "n/a" skipped */
  g_assert_cmpfloat (series->y[2], ==, 7);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* Mean. */
  spec = wr_chart_spec_new_from_dataset (fixture->store, id, WR_CHART_BAR, "region", "amount", NULL,
                                         WR_CHART_AGG_MEAN, &error);
  g_assert_no_error (error);
  series = series_at (spec, 0);
  g_assert_cmpfloat (series->y[0], ==, 15);
  g_assert_cmpfloat (series->y[1], ==, 6);
  g_assert_cmpfloat (series->y[2], ==, 7);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* Count counts rows, numbers or not, and needs no y column. */
  spec = wr_chart_spec_new_from_dataset (fixture->store, id, WR_CHART_PIE, "region", NULL, NULL,
                                         WR_CHART_AGG_COUNT, &error);
  g_assert_no_error (error);
  series = series_at (spec, 0);
  g_assert_cmpfloat (series->y[0], ==, 2);
  g_assert_cmpfloat (series->y[1], ==, 3);
  g_assert_cmpfloat (series->y[2], ==, 1);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* Numeric x for a line: ascending, one series per group. */
  spec = wr_chart_spec_new_from_dataset (fixture->store, id, WR_CHART_LINE, "day", "amount", "region",
                                         WR_CHART_AGG_SUM, &error);
  g_assert_no_error (error);
  g_assert_null (spec->categories);
  g_assert_cmpuint (spec->series->len, ==, 3);
  series = series_at (spec, 0);
  g_assert_cmpstr (series->name, ==, "North");
  g_assert_cmpuint (series->n, ==, 2);
  g_assert_cmpfloat (series->x[0], ==, 1);
  g_assert_cmpfloat (series->y[0], ==, 20);
  g_assert_cmpfloat (series->x[1], ==, 3);
  g_assert_cmpfloat (series->y[1], ==, 10);
  series = series_at (spec, 1);
  g_assert_cmpstr (series->name, ==, "South");
  g_assert_cmpuint (series->n, ==, 1);   /* day 3 had no number */
  g_assert_cmpfloat (series->y[0], ==, 12);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* Unknown column and unknown dataset. */
  spec = wr_chart_spec_new_from_dataset (fixture->store, id, WR_CHART_BAR, "region", "price", NULL,
                                         WR_CHART_AGG_SUM, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "price"));
  g_clear_error (&error);
  spec = wr_chart_spec_new_from_dataset (fixture->store, "0123456789abcdef0123456789abcdef", WR_CHART_BAR,
                                         "region", "amount", NULL, WR_CHART_AGG_SUM, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/json", test_json);
  g_test_add_func ("/chart/json-errors", test_json_errors);
  g_test_add_func ("/chart/json-too-many-points", test_json_too_many_points);
  g_test_add_func ("/chart/nice-ticks", test_nice_ticks);
  g_test_add_func ("/chart/decimate", test_decimate);
  g_test_add_func ("/chart/large-draw", test_large_draw);
  g_test_add ("/chart/export-png", Fixture, NULL, fixture_setup, test_export_png, fixture_teardown);
  g_test_add ("/chart/export-vector", Fixture, NULL, fixture_setup, test_export_vector, fixture_teardown);
  g_test_add ("/chart/from-dataset", Fixture, NULL, fixture_setup, test_from_dataset, fixture_teardown);

  return g_test_run ();
}
