/* mermaid-layout.c — parsing, laying out and drawing Mermaid flowcharts
 * (data/wr-mermaid.h) of 10, 50, 500 and 2,000 nodes: ms each (median of
 * RUNS), drawn zoomed-to-fit on a 1600×1200 image surface. Text is
 * measured through one shared Pango context, as the view does on the main
 * thread; "fresh context" is the worker-thread path (a private font map).
 * WrMermaidView lays out sources up to 2 KiB (~50 nodes) synchronously.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "data/wr-mermaid.h"

#define RUNS 7

/* A layered graph: each node links to one or two earlier ones, some links
 * labelled, some nodes decisions, a few back links (cycles), and one
 * subgraph per 100 nodes. */
static char *
make_source (guint n_nodes)
{
  GString *s = g_string_new ("flowchart TD\n");
  GRand *rand = g_rand_new_with_seed (n_nodes);

  for (guint i = 1; i < n_nodes; i++)
    {
      guint parent = g_rand_int_range (rand, MAX ((int) i - 12, 0), i);

      if (i % 100 == 1)
        g_string_append_printf (s, "subgraph group%u [Group %u]\n", i / 100, i / 100);
      if (i % 7 == 0)
        g_string_append_printf (s, "  n%u{Check %u?} -->|yes| n%u[Step number %u]\n", parent, parent, i, i);
      else
        g_string_append_printf (s, "  n%u --> n%u[Step number %u]\n", parent, i, i);
      if (i % 3 == 0 && i > 2)
        g_string_append_printf (s, "  n%u -.-> n%u\n", g_rand_int_range (rand, MAX ((int) i - 30, 0), i), i);
      if (i % 50 == 0)
        g_string_append_printf (s, "  n%u ==> n%u\n", i, g_rand_int_range (rand, 0, i));
      if (i % 100 == 0 || i == n_nodes - 1)
        g_string_append (s, "end\n");
    }
  g_rand_free (rand);
  return g_string_free (s, FALSE);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v)
{
  qsort (v, RUNS, sizeof (double), compare_double);
  return v[RUNS / 2];
}

int
main (int   argc,
      char *argv[])
{
  static const guint sizes[] = { 10, 50, 500, 2000 };
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1600, 1200);

  printf ("%-6s %8s %7s %9s %10s %9s %9s %11s %9s\n", "nodes", "edges", "bytes", "parse ms", "layout ms",
          "draw ms", "total ms", "fresh ctx", "size px");
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autofree char *source = make_source (sizes[k]);
      double parse[RUNS], layout[RUNS], draw[RUNS], fresh[RUNS];
      guint n_edges = 0;
      double w = 0, h = 0;

      for (guint r = 0; r < RUNS; r++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(WrMermaidDiagram) d = NULL;
          g_autoptr(WrMermaidDiagram) d2 = NULL;
          cairo_t *cr;
          gint64 t0, t1, t2, t3;

          t0 = g_get_monotonic_time ();
          d = wr_mermaid_parse (source, -1, &error);
          if (d == NULL)
            g_error ("%s", error->message);
          t1 = g_get_monotonic_time ();
          wr_mermaid_layout (d, context, wr_mermaid_style_light ());
          t2 = g_get_monotonic_time ();
          cr = cairo_create (surface);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          wr_mermaid_draw (d, cr, 1600, 1200, wr_mermaid_style_light ());
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          t3 = g_get_monotonic_time ();
          parse[r] = (t1 - t0) / 1000.0;
          layout[r] = (t2 - t1) / 1000.0;
          draw[r] = (t3 - t2) / 1000.0;

          d2 = wr_mermaid_parse (source, -1, NULL);
          t0 = g_get_monotonic_time ();
          wr_mermaid_layout (d2, NULL, wr_mermaid_style_light ());
          fresh[r] = (g_get_monotonic_time () - t0) / 1000.0;

          n_edges = d->edges->len;
          w = d->width;
          h = d->height;
        }
      {
        double p = median (parse), l = median (layout), dr = median (draw);

        printf ("%-6u %8u %7zu %9.2f %10.2f %9.2f %9.2f %11.2f %4.0f×%-5.0f\n", sizes[k], n_edges, strlen (source),
                p, l, dr, p + l + dr, median (fresh), w, h);
      }
    }

  cairo_surface_destroy (surface);
  g_object_unref (context);
  return 0;
}
