/* chart-draw.c — drawing a 1,000,000-point line chart and scatter chart
 * (data/wr-chart.h) to a 1200×600 image surface. Target ≤ 50 ms each.
 * And hit testing (tooltips) at that size: µs per query with the layout
 * kept, as the chart view does, and with it computed per query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "data/wr-chart.h"

#define N_POINTS 1000000
#define RUNS 5
#define QUERIES 2000

/* µs per hit test over a row of pointer positions along the plot's middle
 * and near the curve (found points are counted so nothing is optimised
 * away). */
static double
hit_us (WrChartSpec *spec,
        guint       *out_found)
{
  WrChartLayout layout;
  gint64 start;
  guint found = 0;

  wr_chart_layout_compute (spec, 1200, 600, NULL, &layout);
  start = g_get_monotonic_time ();
  for (int q = 0; q < QUERIES; q++)
    {
      double px = layout.left + (layout.right - layout.left) * q / QUERIES;
      double py = layout.top + (layout.bottom - layout.top) * ((q * 7) % 100) / 100.0;
      WrChartHit hit;

      if (wr_chart_hit_test_layout (spec, &layout, px, py, &hit))
        found++;
    }
  *out_found = found;
  return (double) (g_get_monotonic_time () - start) / QUERIES;
}

static double
hit_full_ms (WrChartSpec *spec)
{
  gint64 start = g_get_monotonic_time ();

  for (int q = 0; q < 5; q++)
    wr_chart_hit_test (spec, 1200, 600, NULL, 600, 300, NULL);
  return (g_get_monotonic_time () - start) / 5000.0;
}

static double
draw_ms (WrChartSpec        *spec,
         const WrChartStyle *style)
{
  double best = G_MAXDOUBLE;

  for (int run = 0; run < RUNS; run++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 600);
      cairo_t *cr = cairo_create (surface);
      gint64 start = g_get_monotonic_time ();

      wr_chart_draw (spec, cr, 1200, 600, style);
      cairo_surface_flush (surface);
      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  return best;
}

int
main (void)
{
  g_autoptr(WrChartSpec) spec = wr_chart_spec_new (WR_CHART_LINE);
  g_autofree double *x = g_new (double, N_POINTS);
  g_autofree double *y = g_new (double, N_POINTS);
  double line_ms, area_ms, scatter_ms;
  double line_hit_us, scatter_hit_us, line_full_ms;
  guint line_found, scatter_found;
  GRand *rand = g_rand_new_with_seed (7);

  for (int i = 0; i < N_POINTS; i++)
    {
      x[i] = i;
      y[i] = sin (i / 20000.0) * 500 + g_rand_double_range (rand, -50, 50);
    }
  wr_chart_spec_add_series (spec, "signal", x, y, N_POINTS);
  line_ms = draw_ms (spec, wr_chart_style_light ());
  line_hit_us = hit_us (spec, &line_found);
  line_full_ms = hit_full_ms (spec);
  spec->type = WR_CHART_AREA;
  area_ms = draw_ms (spec, wr_chart_style_light ());

  /* Scatter: points spread over the whole plot (the worst case). */
  for (int i = 0; i < N_POINTS; i++)
    {
      x[i] = g_rand_double (rand);
      y[i] = g_rand_double (rand) + x[i] * 0.5;
    }
  g_ptr_array_set_size (spec->series, 0);
  wr_chart_spec_add_series (spec, "cloud", x, y, N_POINTS);
  spec->type = WR_CHART_SCATTER;
  scatter_ms = draw_ms (spec, wr_chart_style_dark ());
  scatter_hit_us = hit_us (spec, &scatter_found);
  g_rand_free (rand);

  printf ("chart line    1,000,000 points 1200x600: %.1f ms (best of %d; target <= 50)\n", line_ms, RUNS);
  printf ("chart area    1,000,000 points 1200x600: %.1f ms\n", area_ms);
  printf ("chart scatter 1,000,000 points 1200x600: %.1f ms (target <= 50)\n", scatter_ms);
  printf ("chart hit test line    1,000,000 points: %.1f µs per query (layout kept; %u of %d hit)\n",
          line_hit_us, line_found, QUERIES);
  printf ("chart hit test scatter 1,000,000 points: %.1f µs per query (layout kept; %u of %d hit)\n",
          scatter_hit_us, scatter_found, QUERIES);
  printf ("chart hit test line with its layout computed per query: %.2f ms\n", line_full_ms);
  return line_ms <= 50 && scatter_ms <= 50 ? 0 : 1;
}
