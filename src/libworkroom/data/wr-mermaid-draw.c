/* wr-mermaid-draw.c — drawing a laid-out flowchart with Cairo and Pango,
 * and exporting it as PNG or SVG (see wr-mermaid.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "wr-mermaid-private.h"

#define ARROW_LENGTH  10.0
#define ARROW_HALF     4.5
#define EXPORT_MAX  8192
#define EXPORT_MAX_PIXELS (4096.0 * 4096.0)   /* 64 MiB of ARGB */

static const WrMermaidStyle light_style = {
  .fg = { 0.14, 0.14, 0.16 },
  .bg = { 1.0, 1.0, 1.0 },
  .node_fill = { 0.91, 0.94, 0.99 },
  .node_stroke = { 0.21, 0.52, 0.89 },
  .edge = { 0.36, 0.36, 0.40 },
  .label_bg = { 0.96, 0.96, 0.97 },
  .subgraph_fill = { 0.98, 0.97, 0.92 },
  .subgraph_stroke = { 0.80, 0.74, 0.52 },
  .font_size = 14.0,
};

static const WrMermaidStyle dark_style = {
  .fg = { 0.92, 0.92, 0.94 },
  .bg = { 0.14, 0.14, 0.16 },
  .node_fill = { 0.15, 0.24, 0.37 },
  .node_stroke = { 0.38, 0.63, 0.98 },
  .edge = { 0.68, 0.68, 0.72 },
  .label_bg = { 0.22, 0.22, 0.25 },
  .subgraph_fill = { 0.20, 0.19, 0.16 },
  .subgraph_stroke = { 0.52, 0.47, 0.32 },
  .font_size = 14.0,
};

const WrMermaidStyle *
wr_mermaid_style_light (void)
{
  return &light_style;
}

const WrMermaidStyle *
wr_mermaid_style_dark (void)
{
  return &dark_style;
}

static void
set_color (cairo_t              *cr,
           const WrMermaidColor *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
ellipse (cairo_t *cr,
         double   cx,
         double   cy,
         double   rx,
         double   ry,
         double   from,
         double   to)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  cairo_arc (cr, 0, 0, 1, from, to);
  cairo_restore (cr);
}

/* Text centred on (@cx, @cy). */
static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       wrap,
           double       cx,
           double       cy)
{
  PangoRectangle logical;

  pango_layout_set_width (layout, (int) (wrap * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_move_to (cr, cx - logical.width / 2.0 - logical.x, cy - logical.height / 2.0 - logical.y);
  pango_cairo_show_layout (cr, layout);
}

static void
node_path (cairo_t             *cr,
           const WrMermaidNode *node)
{
  double hw = node->width / 2, hh = node->height / 2;
  double x0 = node->x - hw, y0 = node->y - hh;
  double x1 = node->x + hw, y1 = node->y + hh;

  cairo_new_path (cr);
  switch (node->shape)
    {
    case WR_MERMAID_SHAPE_ROUND:
      rounded_rect (cr, x0, y0, node->width, node->height, 10);
      break;
    case WR_MERMAID_SHAPE_STADIUM:
      rounded_rect (cr, x0, y0, node->width, node->height, hh);
      break;
    case WR_MERMAID_SHAPE_CIRCLE:
      cairo_arc (cr, node->x, node->y, MIN (hw, hh), 0, 2 * G_PI);
      break;
    case WR_MERMAID_SHAPE_RHOMBUS:
      cairo_move_to (cr, node->x, y0);
      cairo_line_to (cr, x1, node->y);
      cairo_line_to (cr, node->x, y1);
      cairo_line_to (cr, x0, node->y);
      cairo_close_path (cr);
      break;
    case WR_MERMAID_SHAPE_HEXAGON:
      cairo_move_to (cr, x0, node->y);
      cairo_line_to (cr, x0 + hh / 2, y0);
      cairo_line_to (cr, x1 - hh / 2, y0);
      cairo_line_to (cr, x1, node->y);
      cairo_line_to (cr, x1 - hh / 2, y1);
      cairo_line_to (cr, x0 + hh / 2, y1);
      cairo_close_path (cr);
      break;
    case WR_MERMAID_SHAPE_ASYMMETRIC:
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y0);
      cairo_line_to (cr, x1, y1);
      cairo_line_to (cr, x0, y1);
      cairo_line_to (cr, x0 + node->height / 3, node->y);
      cairo_close_path (cr);
      break;
    case WR_MERMAID_SHAPE_PARALLELOGRAM:
      cairo_move_to (cr, x0 + hh, y0);
      cairo_line_to (cr, x1, y0);
      cairo_line_to (cr, x1 - hh, y1);
      cairo_line_to (cr, x0, y1);
      cairo_close_path (cr);
      break;
    case WR_MERMAID_SHAPE_CYLINDER:
      cairo_move_to (cr, x0, y0 + 7);
      cairo_line_to (cr, x0, y1 - 7);
      ellipse (cr, node->x, y1 - 7, hw, 7, G_PI, 0);
      cairo_line_to (cr, x1, y0 + 7);
      ellipse (cr, node->x, y0 + 7, hw, 7, 0, G_PI);
      cairo_close_path (cr);
      break;
    case WR_MERMAID_SHAPE_RECT:
    case WR_MERMAID_SHAPE_SUBROUTINE:
    default:
      rounded_rect (cr, x0, y0, node->width, node->height, 3);
      break;
    }
}

/* What the fill leaves out: the cylinder's rim, the subroutine's bars. */
static void
node_details (cairo_t             *cr,
              const WrMermaidNode *node)
{
  double hw = node->width / 2, hh = node->height / 2;

  cairo_new_path (cr);
  if (node->shape == WR_MERMAID_SHAPE_CYLINDER)
    {
      ellipse (cr, node->x, node->y - hh + 7, hw, 7, G_PI, 2 * G_PI);
      cairo_stroke (cr);
    }
  else if (node->shape == WR_MERMAID_SHAPE_SUBROUTINE)
    {
      cairo_move_to (cr, node->x - hw + 8, node->y - hh);
      cairo_line_to (cr, node->x - hw + 8, node->y + hh);
      cairo_move_to (cr, node->x + hw - 8, node->y - hh);
      cairo_line_to (cr, node->x + hw - 8, node->y + hh);
      cairo_stroke (cr);
    }
}

/* Adds an arrow head to the path (filled with the others). */
static void
arrow_head (cairo_t *cr,
            double   tip_x,
            double   tip_y,
            double   ux,
            double   uy,
            double   size)
{
  double bx = tip_x - ux * ARROW_LENGTH * size;
  double by = tip_y - uy * ARROW_LENGTH * size;

  cairo_move_to (cr, tip_x, tip_y);
  cairo_line_to (cr, bx - uy * ARROW_HALF * size, by + ux * ARROW_HALF * size);
  cairo_line_to (cr, bx + uy * ARROW_HALF * size, by - ux * ARROW_HALF * size);
  cairo_close_path (cr);
}

/* The unit vector from point @a to point @b of @p, (0, 1) when they meet. */
static void
direction (const double *p,
           guint         a,
           guint         b,
           double       *ux,
           double       *uy)
{
  double dx = p[2 * b] - p[2 * a];
  double dy = p[2 * b + 1] - p[2 * a + 1];
  double len = hypot (dx, dy);

  if (len < 1e-9)
    {
      *ux = 0;
      *uy = 1;
      return;
    }
  *ux = dx / len;
  *uy = dy / len;
}

static double
arrow_size (const WrMermaidEdge *edge)
{
  return edge->line == WR_MERMAID_LINE_THICK ? 1.4 : 1.0;
}

/* Adds @edge's line to the path: a Catmull-Rom spline, smooth and through
 * every bend point, so lines keep to the gaps the layout left between
 * nodes; it stops where the arrow heads begin. */
static void
edge_path (cairo_t             *cr,
           const WrMermaidEdge *edge)
{
  const double *p = edge->points;
  guint n = edge->n_points;
  double size = arrow_size (edge);
  double sx = p[0], sy = p[1], ex = p[2 * n - 2], ey = p[2 * n - 1];
  double ux, uy;

  if (edge->arrow_start)
    {
      direction (p, 1, 0, &ux, &uy);
      sx -= ux * ARROW_LENGTH * size * 0.8;
      sy -= uy * ARROW_LENGTH * size * 0.8;
    }
  if (edge->arrow_end)
    {
      direction (p, n - 2, n - 1, &ux, &uy);
      ex -= ux * ARROW_LENGTH * size * 0.8;
      ey -= uy * ARROW_LENGTH * size * 0.8;
    }
  cairo_move_to (cr, sx, sy);
  for (guint i = 0; i + 1 < n; i++)
    {
      guint a = i > 0 ? i - 1 : 0, c = i + 1, e = MIN (i + 2, n - 1);
      double x0 = a == 0 ? sx : p[2 * a], y0 = a == 0 ? sy : p[2 * a + 1];
      double x1 = i == 0 ? sx : p[2 * i], y1 = i == 0 ? sy : p[2 * i + 1];
      double x2 = c == n - 1 ? ex : p[2 * c], y2 = c == n - 1 ? ey : p[2 * c + 1];
      double x3 = e == n - 1 ? ex : p[2 * e], y3 = e == n - 1 ? ey : p[2 * e + 1];

      cairo_curve_to (cr, x1 + (x2 - x0) / 6, y1 + (y2 - y0) / 6,
                      x2 - (x3 - x1) / 6, y2 - (y3 - y1) / 6, x2, y2);
    }
}

/* Lines one by one (one path of all of them costs more: cairo then
 * tessellates every crossing), arrow heads filled together. */
static void
draw_edges (cairo_t                *cr,
            const WrMermaidDiagram *d,
            const WrMermaidStyle   *style,
            double                  scale)
{
  static const double dash[] = { 3.0, 3.0 };

  set_color (cr, &style->edge);
  for (guint e = 0; e < d->edges->len; e++)
    {
      const WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      if (edge->line == WR_MERMAID_LINE_INVISIBLE || edge->n_points < 2)
        continue;
      cairo_new_path (cr);
      edge_path (cr, edge);
      cairo_set_line_width (cr, edge->line == WR_MERMAID_LINE_THICK ? 3.0 :
                                edge->line == WR_MERMAID_LINE_DOTTED && scale < 0.35 ? 0.75 : 1.5);
      /* Zoomed far out the dots would be under a pixel, and stroking
       * thousands of them is slow: a thin line instead. */
      if (edge->line == WR_MERMAID_LINE_DOTTED && scale >= 0.35)
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  cairo_new_path (cr);
  for (guint e = 0; e < d->edges->len; e++)
    {
      const WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      const double *p = edge->points;
      guint n = edge->n_points;
      double ux, uy;

      if (edge->line == WR_MERMAID_LINE_INVISIBLE || n < 2)
        continue;
      if (edge->arrow_end)
        {
          direction (p, n - 2, n - 1, &ux, &uy);
          arrow_head (cr, p[2 * n - 2], p[2 * n - 1], ux, uy, arrow_size (edge));
        }
      if (edge->arrow_start)
        {
          direction (p, 1, 0, &ux, &uy);
          arrow_head (cr, p[0], p[1], ux, uy, arrow_size (edge));
        }
    }
  cairo_fill (cr);
}

void
wr_mermaid_draw (const WrMermaidDiagram *diagram,
                 cairo_t                *cr,
                 double                  width,
                 double                  height,
                 const WrMermaidStyle   *style)
{
  const WrMermaidDiagram *d = diagram;
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  double scale;
  gboolean text;

  g_return_if_fail (diagram != NULL && diagram->laid_out);
  g_return_if_fail (cr != NULL && style != NULL);

  if (d->width <= 0 || d->height <= 0 || width <= 0 || height <= 0)
    return;
  scale = MIN (1.0, MIN (width / d->width, height / d->height));
  /* Text under 3 px cannot be read and costs most of the drawing time of
   * a large diagram zoomed out: leave it out. */
  text = style->font_size * scale >= 3.0;

  cairo_save (cr);
  cairo_translate (cr, (width - d->width * scale) / 2, (height - d->height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  layout = pango_cairo_create_layout (cr);
  font = _wr_mermaid_font (style->font_size);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  /* Subgraphs: parents come first, so inner boxes paint over outer ones. */
  for (guint s = 0; s < d->subgraphs->len; s++)
    {
      const WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);
      PangoRectangle logical;

      if (sub->width <= 0)
        continue;
      rounded_rect (cr, sub->x, sub->y, sub->width, sub->height, 6);
      set_color (cr, &style->subgraph_fill);
      cairo_fill_preserve (cr);
      set_color (cr, &style->subgraph_stroke);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);

      if (!text)
        continue;
      set_color (cr, &style->fg);
      pango_layout_set_width (layout, (int) (sub->width * PANGO_SCALE));
      pango_layout_set_text (layout, sub->title, -1);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      cairo_move_to (cr, sub->x + sub->width / 2 - logical.width / 2.0 - logical.x, sub->y + 6 - logical.y);
      pango_cairo_show_layout (cr, layout);
    }

  draw_edges (cr, d, style, scale);

  for (guint v = 0; v < d->nodes->len; v++)
    {
      const WrMermaidNode *node = g_ptr_array_index (d->nodes, v);

      node_path (cr, node);
      set_color (cr, &style->node_fill);
      cairo_fill_preserve (cr);
      set_color (cr, &style->node_stroke);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      node_details (cr, node);

      if (text)
        {
          set_color (cr, &style->fg);
          show_text (cr, layout, node->label, WR_MERMAID_NODE_WRAP, node->x, node->y);
        }
    }

  /* Edge labels last, over the lines they name. */
  for (guint e = 0; e < d->edges->len; e++)
    {
      const WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      if (edge->label == NULL || edge->line == WR_MERMAID_LINE_INVISIBLE)
        continue;
      rounded_rect (cr, edge->label_x - edge->label_width / 2, edge->label_y - edge->label_height / 2,
                    edge->label_width, edge->label_height, 3);
      set_color (cr, &style->label_bg);
      cairo_fill (cr);
      if (text)
        {
          set_color (cr, &style->fg);
          show_text (cr, layout, edge->label, WR_MERMAID_EDGE_WRAP, edge->label_x, edge->label_y);
        }
    }

  cairo_restore (cr);
}

gboolean
wr_mermaid_export (const char  *source,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(WrMermaidDiagram) diagram = NULL;
  g_autofree char *lower = NULL;
  const WrMermaidStyle *style = wr_mermaid_style_light ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean png;
  double width, height;

  g_return_val_if_fail (source != NULL && path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  png = g_str_has_suffix (lower, ".png");
  if (!png && !g_str_has_suffix (lower, ".svg"))
    {
      g_set_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_FAILED,
                   _("Cannot tell the format of “%s”; name it .png or .svg."), path);
      return FALSE;
    }

  diagram = wr_mermaid_parse (source, -1, error);
  if (diagram == NULL)
    return FALSE;
  wr_mermaid_layout (diagram, NULL, style);

  width = ceil (diagram->width);
  height = ceil (diagram->height);
  if (png && (width > EXPORT_MAX || height > EXPORT_MAX || width * height > EXPORT_MAX_PIXELS))
    {
      double scale = MIN (MIN (EXPORT_MAX / width, EXPORT_MAX / height), sqrt (EXPORT_MAX_PIXELS / (width * height)));

      width = MAX (1, floor (width * scale));
      height = MAX (1, floor (height * scale));
    }
  if (png)
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  else
    surface = cairo_svg_surface_create (path, width, height);

  cr = cairo_create (surface);
  set_color (cr, &style->bg);
  cairo_paint (cr);
  wr_mermaid_draw (diagram, cr, width, height, style);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && png)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_FAILED,
                   _("Could not write the diagram to “%s”: %s. Check the folder exists and is writable."),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
