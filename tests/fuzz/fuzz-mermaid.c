/* fuzz-mermaid.c — the Mermaid flowchart parser, layout and drawing
 * (data/wr-mermaid.h) on hostile sources.
 *
 * Input layout: the whole input is the diagram source. Either parsing
 * fails with a WR_MERMAID_ERROR and a UTF-8 message, or the diagram stays
 * within the bounds (nodes, links, labels), every link names existing
 * nodes, and after layout every coordinate is finite and inside the
 * diagram, no two node boxes overlap, and every link starts and ends on
 * its nodes' borders. Drawing must not fail the cairo context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>

#include <pango/pangocairo.h>

#include "fuzz.h"
#include "data/wr-mermaid-private.h"

static PangoContext *
shared_context (void)
{
  static PangoContext *context;

  /* One font map for the whole run: a new one per input would spend the
   * time loading fonts instead of fuzzing. */
  if (context == NULL)
    context = pango_font_map_create_context (pango_cairo_font_map_new ());
  return context;
}

static void
check_label (const char *label)
{
  FUZZ_CHECK (label != NULL, "NULL label");
  FUZZ_CHECK (g_utf8_validate (label, -1, NULL), "label not UTF-8");
  FUZZ_CHECK (g_utf8_strlen (label, -1) <= WR_MERMAID_MAX_LABEL, "label over the bound");
}

static void
check_on_border (const WrMermaidNode *node,
                 double               px,
                 double               py)
{
  double dx = px - node->x, dy = py - node->y;
  double len = hypot (dx, dy);

  FUZZ_CHECK (len > 0.5, "edge ends at the centre of %s", node->id);
  dx /= len;
  dy /= len;
  FUZZ_CHECK (_wr_mermaid_node_contains (node, px - dx * 0.25, py - dy * 0.25) &&
              !_wr_mermaid_node_contains (node, px + dx * 0.25, py + dy * 0.25),
              "edge end (%g, %g) not on the border of %s", px, py, node->id);
}

static void
check_layout (WrMermaidDiagram *d)
{
  const double slack = 1e-6;

  FUZZ_CHECK (isfinite (d->width) && isfinite (d->height), "size not finite");
  for (guint i = 0; i < d->nodes->len; i++)
    {
      WrMermaidNode *a = g_ptr_array_index (d->nodes, i);

      FUZZ_CHECK (isfinite (a->x) && isfinite (a->y), "node not finite");
      FUZZ_CHECK (a->x - a->width / 2 >= -slack && a->x + a->width / 2 <= d->width + slack &&
                  a->y - a->height / 2 >= -slack && a->y + a->height / 2 <= d->height + slack,
                  "node %s outside the diagram", a->id);
      /* Quadratic: only for small diagrams. */
      for (guint j = i + 1; j < d->nodes->len && d->nodes->len <= 300; j++)
        {
          WrMermaidNode *b = g_ptr_array_index (d->nodes, j);

          FUZZ_CHECK (!(fabs (a->x - b->x) < (a->width + b->width) / 2 - slack &&
                        fabs (a->y - b->y) < (a->height + b->height) / 2 - slack),
                      "nodes %s and %s overlap", a->id, b->id);
        }
    }
  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      guint last;

      FUZZ_CHECK (edge->n_points >= 2 && edge->points != NULL, "edge without points");
      for (guint i = 0; i < edge->n_points; i++)
        FUZZ_CHECK (isfinite (edge->points[2 * i]) && isfinite (edge->points[2 * i + 1]) &&
                    edge->points[2 * i] >= -slack && edge->points[2 * i] <= d->width + slack &&
                    edge->points[2 * i + 1] >= -slack && edge->points[2 * i + 1] <= d->height + slack,
                    "edge point outside the diagram");
      last = edge->n_points - 1;
      check_on_border (g_ptr_array_index (d->nodes, edge->from), edge->points[0], edge->points[1]);
      check_on_border (g_ptr_array_index (d->nodes, edge->to), edge->points[2 * last], edge->points[2 * last + 1]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMermaidDiagram) d = wr_mermaid_parse ((const char *) data, size, &error);
  cairo_surface_t *surface;
  cairo_t *cr;

  if (d == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == WR_MERMAID_ERROR, "failure without a mermaid error");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message not UTF-8");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "diagram and error");
  FUZZ_CHECK (d->nodes->len <= WR_MERMAID_MAX_NODES, "too many nodes");
  FUZZ_CHECK (d->edges->len <= WR_MERMAID_MAX_EDGES, "too many edges");
  for (guint i = 0; i < d->nodes->len; i++)
    {
      WrMermaidNode *node = g_ptr_array_index (d->nodes, i);

      check_label (node->label);
      FUZZ_CHECK (node->subgraph < (int) d->subgraphs->len, "bad subgraph");
    }
  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      FUZZ_CHECK (edge->from < d->nodes->len && edge->to < d->nodes->len, "edge to a missing node");
      if (edge->label != NULL)
        check_label (edge->label);
    }
  for (guint s = 0; s < d->subgraphs->len; s++)
    {
      WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);

      check_label (sub->title);
      FUZZ_CHECK (sub->parent < (int) s, "subgraph parent after its child");
    }

  wr_mermaid_layout (d, shared_context (), wr_mermaid_style_light ());
  check_layout (d);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 48);
  cr = cairo_create (surface);
  wr_mermaid_draw (d, cr, 64, 48, wr_mermaid_style_dark ());
  FUZZ_CHECK (cairo_status (cr) == CAIRO_STATUS_SUCCESS, "cairo: %s", cairo_status_to_string (cairo_status (cr)));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return 0;
}
