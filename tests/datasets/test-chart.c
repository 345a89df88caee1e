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

/* Categories from strings and index-only series: repeated categories are
 * fine; a series without x needs a category per point (the fuzzer found
 * points that a saved chart would otherwise lose). */
static void
test_json_categories (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) repeated = wr_chart_spec_new_from_json (
    "{\"type\":\"bar\",\"series\":[{\"x\":[\"a\",\"a\",\"b\"],\"y\":[1,2,3]},{\"y\":[4,5]}]}", -1, &error);
  g_autoptr(WrChartSpec) short_of = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (repeated);
  g_assert_cmpuint (repeated->categories->len, ==, 2);

  short_of = wr_chart_spec_new_from_json (
    "{\"type\":\"bar\",\"series\":[{\"y\":[1,2,3]},{\"x\":[\"a\",\"b\"],\"y\":[4,5]}]}", -1, &error);
  g_assert_null (short_of);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Series 1 has 3 points but the chart names 2 categories"));
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
    { "{\"type\":\"line\",\"series\":[{\"y\":[1,1e999]}]}", WR_CHART_ERROR_INVALID, "not a number" },
    { "{\"type\":\"area\",\"series\":[{\"x\":[2e308,1],\"y\":[1,2]}]}", WR_CHART_ERROR_INVALID, "all numbers" },
    { "{\"type\":\"line\",\"series\":[{\"x\":[1,\"b\"],\"y\":[1,2]}]}", WR_CHART_ERROR_INVALID, "all numbers" },
    { "{\"type\":\"line\",\"series\":[{\"x\":[1]}]}", WR_CHART_ERROR_INVALID, "“y”" },
    { "{\"type\":\"pie\",\"series\":[{\"y\":[0,1,2]}],\"categories\":[\"a\",\"b\"]}", WR_CHART_ERROR_INVALID, "names 2 categories" },
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
  g_clear_error (&error);

  /* A cancelled aggregation stops (the Data page cancels on every change). */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    spec = wr_chart_spec_new_from_dataset_cancellable (fixture->store, id, WR_CHART_BAR, "region", "amount",
                                                       NULL, WR_CHART_AGG_SUM, cancellable, &error);
    g_assert_null (spec);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

static void
test_artifact_json_roundtrip (void)
{
  const char *json = "{\"type\":\"bar\",\"title\":\"Sales \\\"Q1\\\"\",\"x_label\":\"Region\","
                     "\"series\":[{\"name\":\"2025\",\"x\":[\"North\",\"South\"],\"y\":[1.5,2]},"
                     "{\"name\":\"2026\",\"x\":[\"East\",\"North\"],\"y\":[0.1,-3e20]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(WrChartSpec) again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  WrChartSeries *series;

  /* The JSON form needs no store. */
  spec = wr_chart_spec_new_from_artifact (NULL, json, -1, &error);
  g_assert_no_error (error);
  out = wr_chart_spec_to_json (spec);
  again = wr_chart_spec_new_from_json (out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->type, ==, WR_CHART_BAR);
  g_assert_cmpstr (again->title, ==, "Sales \"Q1\"");
  g_assert_cmpstr (again->x_label, ==, "Region");
  g_assert_null (again->y_label);
  g_assert_cmpuint (again->categories->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (again->categories, 2), ==, "East");
  series = series_at (again, 1);
  g_assert_cmpstr (series->name, ==, "2026");
  g_assert_cmpfloat (series->x[0], ==, 2);
  g_assert_cmpfloat (series->y[0], ==, 0.1);   /* shortest exact form */
  g_assert_cmpfloat (series->y[1], ==, -3e20);
  g_assert_nonnull (strstr (out, "0.1,"));
  /* Stable: writing it again gives the same text. */
  out2 = wr_chart_spec_to_json (again);
  g_assert_cmpstr (out, ==, out2);
}

static void
test_artifact_json_keeps_order (void)
{
  g_autoptr(WrChartSpec) spec = wr_chart_spec_new (WR_CHART_LINE);
  g_autoptr(WrChartSpec) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  double x1[] = { 1, 2 }, y1[] = { 5, 6 };
  double x2[] = { 0 }, y2[] = { 7 };
  double xn[] = { 0, 1, 2 }, yn[] = { 1, NAN, 3 };

  /* Category order (and an unused one) survive although the first series
   * starts at the second category. */
  spec->categories = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (spec->categories, g_strdup ("Jan"));
  g_ptr_array_add (spec->categories, g_strdup ("Feb"));
  g_ptr_array_add (spec->categories, g_strdup ("Mar"));
  g_ptr_array_add (spec->categories, g_strdup ("Apr"));
  wr_chart_spec_add_series (spec, "a\n\x01", x1, y1, 2);
  wr_chart_spec_add_series (spec, NULL, x2, y2, 1);
  wr_chart_spec_add_series (spec, "gaps", xn, yn, 3);
  out = wr_chart_spec_to_json (spec);
  again = wr_chart_spec_new_from_json (out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->categories->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (again->categories, 0), ==, "Jan");
  g_assert_cmpstr (g_ptr_array_index (again->categories, 3), ==, "Apr");
  g_assert_cmpstr (series_at (again, 0)->name, ==, "a\n\x01");
  g_assert_cmpfloat (series_at (again, 0)->x[0], ==, 1);
  g_assert_null (series_at (again, 1)->name);
  /* NaN has no JSON form: that point is left out. */
  g_assert_cmpuint (series_at (again, 2)->n, ==, 2);
  g_assert_cmpfloat (series_at (again, 2)->y[1], ==, 3);

  /* Bad categories are refused. */
  g_clear_pointer (&again, wr_chart_spec_free);
  again = wr_chart_spec_new_from_json ("{\"type\":\"bar\",\"categories\":[1],\"series\":[{\"y\":[1]}]}",
                                       -1, &error);
  g_assert_null (again);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
}

static void
test_artifact_dataset (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *id = import_csv (fixture,
                                    "region,amount\n"
                                    "North,10\n"
                                    "South,4\n"
                                    "North,20\n");
  g_autofree char *json = g_strdup_printf ("{\"type\":\"pie\",\"title\":\"Share\","
                                           "\"dataset\":{\"id\":\"%s\",\"x\":\"region\",\"y\":\"amount\","
                                           "\"aggregate\":\"sum\"}}", id);
  g_autofree char *count = g_strdup_printf ("{\"type\":\"bar\",\"dataset\":{\"id\":\"%s\",\"x\":\"region\","
                                            "\"aggregate\":\"count\"}}", id);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = NULL;

  spec = wr_chart_spec_new_from_artifact (fixture->store, json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (spec->type, ==, WR_CHART_PIE);
  g_assert_cmpstr (spec->title, ==, "Share");
  g_assert_cmpfloat (series_at (spec, 0)->y[0], ==, 30);
  g_assert_cmpfloat (series_at (spec, 0)->y[1], ==, 4);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* Count needs no y; sum defaults when no aggregate is given. */
  spec = wr_chart_spec_new_from_artifact (fixture->store, count, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (series_at (spec, 0)->y[0], ==, 2);
  g_clear_pointer (&spec, wr_chart_spec_free);

  /* A dataset reference without a store, a missing y, a bad aggregate. */
  spec = wr_chart_spec_new_from_artifact (NULL, json, -1, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
  g_clear_error (&error);
  spec = wr_chart_spec_new_from_artifact (fixture->store,
                                          "{\"type\":\"bar\",\"dataset\":{\"id\":\"x\",\"x\":\"region\"}}",
                                          -1, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
  g_clear_error (&error);
  spec = wr_chart_spec_new_from_artifact (fixture->store,
                                          "{\"type\":\"bar\",\"dataset\":{\"id\":\"x\",\"x\":\"r\",\"y\":\"a\",\"aggregate\":\"median\"}}",
                                          -1, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "median"));
  g_clear_error (&error);

  /* The dataset is gone: NOT_FOUND, saying which and what to do. */
  spec = wr_chart_spec_new_from_artifact (fixture->store,
                                          "{\"type\":\"bar\",\"dataset\":{\"id\":\"0123456789abcdef0123456789abcdef\","
                                          "\"x\":\"region\",\"y\":\"amount\"}}", -1, &error);
  g_assert_null (spec);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "0123456789abcdef0123456789abcdef"));
  g_assert_nonnull (strstr (error->message, "no longer exists"));
}

/* Hit tests agree with what is drawn: the pixel under a hit bar has the
 * series' colour. */
static void
test_hit_bars (void)
{
  g_autoptr(WrChartSpec) spec = wr_chart_spec_new (WR_CHART_BAR);
  const WrChartStyle *style = wr_chart_style_light ();
  double y1[] = { 10, 20, 30 }, y2[] = { 5, 15, 25 };
  WrChartLayout layout;
  WrChartHit hit;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 400);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *text = NULL;
  guint32 pixel;

  spec->categories = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (spec->categories, g_strdup ("A"));
  g_ptr_array_add (spec->categories, g_strdup ("B"));
  g_ptr_array_add (spec->categories, g_strdup ("C"));
  wr_chart_spec_add_series (spec, "one", NULL, y1, 3);
  wr_chart_spec_add_series (spec, "two", NULL, y2, 3);
  wr_chart_draw (spec, cr, 600, 400, style);
  cairo_surface_flush (surface);
  wr_chart_layout_compute (spec, 600, 400, style, &layout);

  /* Second series of category B. */
  g_assert_true (wr_chart_hit_for_point (spec, &layout, 1, 1, &hit));
  g_assert_true (wr_chart_hit_test (spec, 600, 400, style, hit.px, layout.bottom - 3, &hit));
  g_assert_cmpuint (hit.series, ==, 1);
  g_assert_cmpuint (hit.index, ==, 1);
  g_assert_cmpstr (hit.category, ==, "B");
  g_assert_cmpfloat (hit.y, ==, 15);
  pixel = ((guint32 *) (void *) cairo_image_surface_get_data (surface))
    [(int) (layout.bottom - 3) * cairo_image_surface_get_stride (surface) / 4 + (int) hit.px] & 0xffffff;
  g_assert_cmphex (pixel, ==, ((guint32) (style->palette[1].r * 255 + 0.5) << 16 |
                               (guint32) (style->palette[1].g * 255 + 0.5) << 8 |
                               (guint32) (style->palette[1].b * 255 + 0.5)));
  text = wr_chart_hit_format (spec, &hit);
  g_assert_cmpstr (text, ==, "two · B: 15");

  /* The gap between slots, the margin and outside the plot hit nothing. */
  g_assert_false (wr_chart_hit_test_layout (spec, &layout, layout.left + 1, layout.bottom - 3, NULL));
  g_assert_false (wr_chart_hit_test_layout (spec, &layout, hit.px, layout.top - 5, NULL));
  g_assert_false (wr_chart_hit_test_layout (spec, &layout, 2, 2, NULL));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_hit_points (void)
{
  g_autoptr(WrChartSpec) spec = wr_chart_spec_new (WR_CHART_LINE);
  gsize n = 1000000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  WrChartLayout layout;
  WrChartHit hit, target;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = (double) i / 1000;
      y[i] = sin ((double) i / 50000) * 100;
    }
  wr_chart_spec_add_series (spec, "wave", x, y, n);
  wr_chart_layout_compute (spec, 1200, 600, NULL, &layout);

  /* Right on a point: that point or one within a pixel of it. */
  g_assert_true (wr_chart_hit_for_point (spec, &layout, 0, 500000, &target));
  g_assert_true (wr_chart_hit_test_layout (spec, &layout, target.px, target.py, &hit));
  g_assert_cmpfloat (fabs (hit.px - target.px), <, 1);
  g_assert_cmpfloat (fabs (hit.py - target.py), <, 1);
  g_assert_cmpfloat (fabs (hit.x - 500), <, 1);
  /* A few pixels off still finds the curve; far off does not. */
  g_assert_true (wr_chart_hit_test_layout (spec, &layout, target.px + 3, target.py - 4, &hit));
  g_assert_false (wr_chart_hit_test_layout (spec, &layout, target.px, target.py - 100, &hit));

  /* Scatter of a few points: the nearest one. */
  g_clear_pointer (&spec, wr_chart_spec_free);
  spec = wr_chart_spec_new (WR_CHART_SCATTER);
  {
    double sx[] = { 5, 1, 3 }, sy[] = { 5, 1, 3 };

    wr_chart_spec_add_series (spec, NULL, sx, sy, 3);
  }
  wr_chart_layout_compute (spec, 400, 300, NULL, &layout);
  g_assert_true (wr_chart_hit_for_point (spec, &layout, 0, 2, &target));
  g_assert_true (wr_chart_hit_test_layout (spec, &layout, target.px + 2, target.py + 2, &hit));
  g_assert_cmpuint (hit.index, ==, 2);
  text = wr_chart_hit_format (spec, &hit);
  g_assert_cmpstr (text, ==, "Series 1 · 3: 3");
}

static void
test_hit_pie (void)
{
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  WrChartLayout layout;
  WrChartHit hit;
  g_autofree char *text = NULL;

  spec = wr_chart_spec_new_from_json ("{\"type\":\"pie\",\"series\":[{\"name\":\"Share\","
                                      "\"x\":[\"a\",\"b\",\"c\"],\"y\":[1,0,3]}]}", -1, &error);
  g_assert_no_error (error);
  wr_chart_layout_compute (spec, 400, 400, NULL, &layout);
  /* "a" is the first quarter clockwise from 12 o'clock, "c" the rest
   * ("b" is empty and has no slice). */
  g_assert_true (wr_chart_hit_test_layout (spec, &layout, layout.cx + 20, layout.cy - 30, &hit));
  g_assert_cmpstr (hit.category, ==, "a");
  text = wr_chart_hit_format (spec, &hit);
  g_assert_cmpstr (text, ==, "Share · a: 1 (25%)");
  g_assert_true (wr_chart_hit_test_layout (spec, &layout, layout.cx - 20, layout.cy - 30, &hit));
  g_assert_cmpstr (hit.category, ==, "c");
  g_assert_true (wr_chart_hit_test_layout (spec, &layout, layout.cx + 20, layout.cy + 30, &hit));
  g_assert_cmpstr (hit.category, ==, "c");
  g_assert_false (wr_chart_hit_test_layout (spec, &layout, layout.cx + layout.radius + 2, layout.cy, &hit));
  g_assert_false (wr_chart_hit_for_point (spec, &layout, 0, 1, &hit));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/json", test_json);
  g_test_add_func ("/chart/json-categories", test_json_categories);
  g_test_add_func ("/chart/json-errors", test_json_errors);
  g_test_add_func ("/chart/json-too-many-points", test_json_too_many_points);
  g_test_add_func ("/chart/nice-ticks", test_nice_ticks);
  g_test_add_func ("/chart/decimate", test_decimate);
  g_test_add_func ("/chart/large-draw", test_large_draw);
  g_test_add ("/chart/export-png", Fixture, NULL, fixture_setup, test_export_png, fixture_teardown);
  g_test_add ("/chart/export-vector", Fixture, NULL, fixture_setup, test_export_vector, fixture_teardown);
  g_test_add ("/chart/from-dataset", Fixture, NULL, fixture_setup, test_from_dataset, fixture_teardown);
  g_test_add_func ("/chart/artifact/json-roundtrip", test_artifact_json_roundtrip);
  g_test_add_func ("/chart/artifact/json-keeps-order", test_artifact_json_keeps_order);
  g_test_add ("/chart/artifact/dataset", Fixture, NULL, fixture_setup, test_artifact_dataset, fixture_teardown);
  g_test_add_func ("/chart/hit/bars", test_hit_bars);
  g_test_add_func ("/chart/hit/points", test_hit_points);
  g_test_add_func ("/chart/hit/pie", test_hit_pie);

  return g_test_run ();
}
