/* fuzz-chart-spec.c — the JSON chart spec (data/wr-chart.h), which models
 * return in ```chart blocks: hostile text from the network.
 *
 * Input: the whole input is the spec's text. Either parsing fails with a
 * WR_CHART_ERROR and a UTF-8 message, or the spec holds at most
 * WR_CHART_MAX_POINTS points, draws without putting the cairo context in
 * an error state, hit tests anywhere in the chart stay inside their
 * series, and wr_chart_spec_to_json() gives text that parses again into
 * the same number of series and points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz.h"
#include "data/wr-chart.h"

static gsize
count_points (const WrChartSpec *spec)
{
  gsize n = 0;

  for (guint i = 0; i < spec->series->len; i++)
    n += ((WrChartSeries *) g_ptr_array_index (spec->series, i))->n;
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(WrChartSpec) again = NULL;
  g_autofree char *json = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gsize points;

  if (size > 256 * 1024)
    return 0;

  spec = wr_chart_spec_new_from_json ((const char *) data, (gssize) size, &error);
  if (spec == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == WR_CHART_ERROR, "no chart error");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "message not UTF-8");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "error set on success");
  points = count_points (spec);
  FUZZ_CHECK (points <= WR_CHART_MAX_POINTS, "%" G_GSIZE_FORMAT " points", points);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 160, 100);
  cr = cairo_create (surface);
  wr_chart_draw (spec, cr, 160, 100, wr_chart_style_dark ());
  FUZZ_CHECK (cairo_status (cr) == CAIRO_STATUS_SUCCESS, "cairo: %s",
              cairo_status_to_string (cairo_status (cr)));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  for (int px = 0; px <= 160; px += 40)
    for (int py = 0; py <= 100; py += 25)
      {
        WrChartHit hit;

        if (!wr_chart_hit_test (spec, 160, 100, wr_chart_style_light (), px, py, &hit))
          continue;
        FUZZ_CHECK (hit.series < spec->series->len, "hit series %u", hit.series);
        FUZZ_CHECK (hit.index < ((WrChartSeries *) g_ptr_array_index (spec->series, hit.series))->n,
                    "hit index %" G_GSIZE_FORMAT, hit.index);
      }

  json = wr_chart_spec_to_json (spec);
  FUZZ_CHECK (json != NULL && g_utf8_validate (json, -1, NULL), "to_json not UTF-8");
  again = wr_chart_spec_new_from_json (json, -1, &error);
  FUZZ_CHECK (again != NULL, "to_json does not parse again: %s", error->message);
  FUZZ_CHECK (again->series->len == spec->series->len, "series %u != %u",
              again->series->len, spec->series->len);
  FUZZ_CHECK (count_points (again) == points, "points changed");
  return 0;
}
