/* wr-mermaid-layout.c — layered layout of a parsed flowchart (see
 * wr-mermaid.h): ranks along the flow direction, order and position across
 * it, computed in "rank space" (along = TD's y, cross = TD's x) and then
 * turned to the diagram's direction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "wr-mermaid-private.h"

#define PAD_X         16.0
#define PAD_Y         10.0
#define MIN_WIDTH     40.0
#define NODE_GAP      32.0    /* across, between real nodes */
#define VIRTUAL_GAP   14.0    /* across, next to an edge's bend point */
#define RANK_GAP      52.0    /* along, between ranks (halved with labels) */
#define SUB_PAD       12.0    /* inside a subgraph's box */
#define MARGIN        16.0
#define MAX_VIRTUAL   200000  /* bend points in all; longer edges go straight */
#define SWEEPS        8
#define SELF_LOOP     26.0

typedef struct {
  int    node;        /* real node index, or -1 */
  int    rank;
  int    group;       /* outermost subgraph, or -1 */
  int    inner;       /* innermost subgraph, or -1 */
  double cross;       /* extent across the ranks */
  double along;       /* extent along */
  double pos;         /* centre across */
  double key;         /* sort key (barycenter) */
  double group_key;
} LNode;

typedef struct {
  WrMermaidDiagram *d;
  double            font_size;
  gboolean          label_mode;     /* ranks doubled so labels sit between */
  gboolean          vertical;       /* TD or BT */
  guint             n_real;
  GArray           *lnodes;         /* LNode */
  /* DAG orientation per edge */
  gboolean         *reversed;
  int              *ranks;
  /* per edge: its chain of lnodes (top to bottom), and the label's lnode */
  guint            *chain_start;    /* n_edges + 1 */
  GArray           *chains;         /* int */
  int              *label_lnode;
  /* segments between adjacent ranks, as neighbour lists (CSR) */
  guint            *up_start, *down_start;
  int              *up, *down;
  /* layers: lnode indexes by rank, in order */
  guint             n_ranks;
  guint            *layer_start;
  int              *layers;
  double           *rank_pos;       /* centre along, per rank */
  double           *group_sum;      /* per subgraph, zero between uses */
  guint            *group_count;
  double           *title_width;    /* per subgraph */
  double            title_height;
} Layout;

/* Text */

PangoFontDescription *
_wr_mermaid_font (double font_size)
{
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, font_size * PANGO_SCALE);
  return font;
}

static void
measure (PangoLayout *layout,
         const char  *text,
         double       wrap,
         double      *width,
         double      *height)
{
  PangoRectangle logical;

  pango_layout_set_width (layout, (int) (wrap * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *width = MAX (logical.width, 1);
  *height = MAX (logical.height, 1);
}

/* Shapes */

static void
node_size (WrMermaidNode *node,
           double         tw,
           double         th)
{
  double w = tw + 2 * PAD_X;
  double h = th + 2 * PAD_Y;

  switch (node->shape)
    {
    case WR_MERMAID_SHAPE_CIRCLE:
      w = h = MAX (sqrt (tw * tw + th * th) + 12, 44);
      break;
    case WR_MERMAID_SHAPE_RHOMBUS:
      /* (tw/2)/hw + (th/2)/hh < 1 keeps the text inside the diamond. */
      w = 2 * tw + 2 * PAD_Y;
      h = 2 * th + 2 * PAD_Y;
      break;
    case WR_MERMAID_SHAPE_HEXAGON:
      w += h / 2;
      break;
    case WR_MERMAID_SHAPE_STADIUM:
      w += h / 2;
      break;
    case WR_MERMAID_SHAPE_SUBROUTINE:
      w += 16;
      break;
    case WR_MERMAID_SHAPE_CYLINDER:
      h += 14;
      break;
    case WR_MERMAID_SHAPE_ASYMMETRIC:
      w += h / 3;
      break;
    case WR_MERMAID_SHAPE_PARALLELOGRAM:
      w += h / 2;
      break;
    case WR_MERMAID_SHAPE_RECT:
    case WR_MERMAID_SHAPE_ROUND:
    default:
      break;
    }
  node->width = MAX (w, node->shape == WR_MERMAID_SHAPE_CIRCLE ? w : MIN_WIDTH);
  node->height = h;
}

gboolean
_wr_mermaid_node_contains (const WrMermaidNode *node,
                           double               x,
                           double               y)
{
  const double eps = 1e-6;
  double sx = x - node->x;
  double sy = y - node->y;
  double dx = fabs (sx);
  double dy = fabs (sy);
  double hw = node->width / 2;
  double hh = node->height / 2;

  if (dx > hw + eps || dy > hh + eps)
    return FALSE;

  switch (node->shape)
    {
    case WR_MERMAID_SHAPE_CIRCLE:
      {
        double r = MIN (hw, hh);
        return dx * dx + dy * dy <= r * r + eps;
      }
    case WR_MERMAID_SHAPE_RHOMBUS:
      return dx / hw + dy / hh <= 1 + eps;
    case WR_MERMAID_SHAPE_HEXAGON:
      return dx <= hw - (hh / 2) * (dy / hh) + eps;
    case WR_MERMAID_SHAPE_STADIUM:
      {
        double r = MIN (hh, hw);
        double cx = dx - (hw - r);

        return cx <= 0 || cx * cx + dy * dy <= r * r + eps;
      }
    case WR_MERMAID_SHAPE_PARALLELOGRAM:
      {
        double s = hh;                        /* the slant, across */
        double t = (sy + hh) / (2 * hh);      /* 0 at the top, 1 at the bottom */

        return sx >= -hw + s * (1 - t) - eps && sx <= hw - s * t + eps;
      }
    default:
      return TRUE;
    }
}

/* The point where the ray from @node's centre towards (@tx, @ty) leaves
 * its shape. */
static void
clip_to_border (const WrMermaidNode *node,
                double               tx,
                double               ty,
                double              *out_x,
                double              *out_y)
{
  double dx = tx - node->x;
  double dy = ty - node->y;
  double len = hypot (dx, dy);
  double reach = node->width + node->height + 1;
  double lo = 0, hi = 1;

  if (len < 1e-9 || !isfinite (len))
    {
      dx = 0;
      dy = 1;
      len = 1;
    }
  dx = dx / len * reach;
  dy = dy / len * reach;
  for (int i = 0; i < 48; i++)
    {
      double mid = (lo + hi) / 2;

      if (_wr_mermaid_node_contains (node, node->x + dx * mid, node->y + dy * mid))
        lo = mid;
      else
        hi = mid;
    }
  *out_x = node->x + dx * lo;
  *out_y = node->y + dy * lo;
}

/* Ranking */

static void
break_cycles (Layout *L)
{
  WrMermaidDiagram *d = L->d;
  guint n = L->n_real, m = d->edges->len;
  g_autofree guint *out_start = g_new0 (guint, n + 1);
  g_autofree guint *fill = g_new0 (guint, n + 1);
  g_autofree int *out = g_new (int, MAX (m, 1));
  g_autofree guint8 *state = g_new0 (guint8, n);
  g_autofree guint *indeg = g_new0 (guint, n);
  g_autofree guint *stack_node = g_new (guint, n);
  g_autofree guint *stack_next = g_new (guint, n);

  for (guint e = 0; e < m; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      if (edge->from != edge->to)
        {
          out_start[edge->from + 1]++;
          indeg[edge->to]++;
        }
    }
  for (guint v = 0; v < n; v++)
    out_start[v + 1] += out_start[v];
  memcpy (fill, out_start, sizeof (guint) * (n + 1));
  for (guint e = 0; e < m; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      if (edge->from != edge->to)
        out[fill[edge->from]++] = e;
    }

  /* Iterative DFS, from the nodes nothing points at first: an edge to a
   * node still on the stack closes a cycle and is reversed. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint s = 0; s < n; s++)
      {
        guint top = 0;

        if (state[s] != 0 || (pass == 0 && indeg[s] > 0))
          continue;
        state[s] = 1;
        stack_node[0] = s;
        stack_next[0] = out_start[s];
        top = 1;
        while (top > 0)
          {
            guint v = stack_node[top - 1];

            if (stack_next[top - 1] < out_start[v + 1])
              {
                int e = out[stack_next[top - 1]++];
                WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
                guint w = edge->to;

                if (state[w] == 1)
                  L->reversed[e] = TRUE;
                else if (state[w] == 0)
                  {
                    state[w] = 1;
                    stack_node[top] = w;
                    stack_next[top] = out_start[w];
                    top++;
                  }
              }
            else
              {
                state[v] = 2;
                top--;
              }
          }
      }
}

static guint
edge_minlen (Layout        *L,
             WrMermaidEdge *edge)
{
  return edge->length * (L->label_mode ? 2 : 1);
}

static void
edge_ends (Layout *L,
           guint   e,
           guint  *top,
           guint  *bottom)
{
  WrMermaidEdge *edge = g_ptr_array_index (L->d->edges, e);

  *top = L->reversed[e] ? edge->to : edge->from;
  *bottom = L->reversed[e] ? edge->from : edge->to;
}

/* Longest path over the DAG (Kahn's order), then nodes nothing points at
 * move down next to what they point at. */
static void
assign_ranks (Layout *L)
{
  WrMermaidDiagram *d = L->d;
  guint n = L->n_real, m = d->edges->len;
  g_autofree guint *indeg = g_new0 (guint, n);
  g_autofree guint *out_start = g_new0 (guint, n + 1);
  g_autofree guint *fill = g_new0 (guint, n + 1);
  g_autofree guint *out = g_new (guint, MAX (m, 1));
  g_autofree guint *queue = g_new (guint, MAX (n, 1));
  g_autofree gboolean *has_pred = g_new0 (gboolean, MAX (n, 1));
  guint head = 0, tail = 0;
  int min_rank = G_MAXINT;

  for (guint e = 0; e < m; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      guint u, v;

      if (edge->from == edge->to)
        continue;
      edge_ends (L, e, &u, &v);
      indeg[v]++;
      out_start[u + 1]++;
    }
  for (guint v = 0; v < n; v++)
    out_start[v + 1] += out_start[v];
  memcpy (fill, out_start, sizeof (guint) * (n + 1));
  for (guint e = 0; e < m; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      guint u, v;

      if (edge->from == edge->to)
        continue;
      edge_ends (L, e, &u, &v);
      out[fill[u]++] = e;
    }

  for (guint v = 0; v < n; v++)
    {
      L->ranks[v] = 0;
      has_pred[v] = indeg[v] > 0;
      if (indeg[v] == 0)
        queue[tail++] = v;
    }
  while (head < tail)
    {
      guint u = queue[head++];

      for (guint i = out_start[u]; i < out_start[u + 1]; i++)
        {
          WrMermaidEdge *edge = g_ptr_array_index (d->edges, out[i]);
          guint top, v;

          edge_ends (L, out[i], &top, &v);
          L->ranks[v] = MAX (L->ranks[v], L->ranks[u] + (int) edge_minlen (L, edge));
          if (--indeg[v] == 0)
            queue[tail++] = v;
        }
    }
  g_assert (tail == n);   /* break_cycles() left a DAG */

  /* Nodes nothing points at sit just above their highest successor
   * rather than all on rank 0. */
  for (guint u = 0; u < n; u++)
    {
      int best = G_MAXINT;

      if (has_pred[u] || out_start[u + 1] == out_start[u])
        continue;
      for (guint i = out_start[u]; i < out_start[u + 1]; i++)
        {
          WrMermaidEdge *edge = g_ptr_array_index (d->edges, out[i]);
          guint top, v;

          edge_ends (L, out[i], &top, &v);
          best = MIN (best, L->ranks[v] - (int) edge_minlen (L, edge));
        }
      L->ranks[u] = MAX (L->ranks[u], best);
    }

  for (guint v = 0; v < n; v++)
    min_rank = MIN (min_rank, L->ranks[v]);
  for (guint v = 0; v < n; v++)
    L->ranks[v] -= min_rank;
}

/* Subgraphs */

static int
outermost_subgraph (WrMermaidDiagram *d,
                    int               s)
{
  /* Parents always come before their children, so this ends. */
  while (s >= 0)
    {
      WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);

      if (sub->parent < 0)
        return s;
      s = sub->parent;
    }
  return -1;
}

static guint
subgraph_depth (WrMermaidDiagram *d,
                int               s)
{
  guint depth = 0;

  while (s >= 0)
    {
      depth++;
      s = ((WrMermaidSubgraph *) g_ptr_array_index (d->subgraphs, s))->parent;
    }
  return depth;
}

/* Virtual nodes and segments */

static int
add_lnode (Layout *L,
           int     node,
           int     rank,
           int     group,
           int     inner)
{
  LNode ln = { 0 };

  ln.node = node;
  ln.rank = rank;
  ln.group = group;
  ln.inner = inner;
  g_array_append_val (L->lnodes, ln);
  return L->lnodes->len - 1;
}

#define LN(L, i) (&g_array_index ((L)->lnodes, LNode, (i)))

static void
build_chains (Layout *L,
              GArray *segs)
{
  WrMermaidDiagram *d = L->d;
  guint m = d->edges->len;
  guint budget = MAX_VIRTUAL;

  L->chain_start = g_new0 (guint, m + 1);
  L->chains = g_array_new (FALSE, FALSE, sizeof (int));
  L->label_lnode = g_new (int, MAX (m, 1));

  for (guint e = 0; e < m; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      guint top, bottom;
      int span;
      guint first = L->chains->len;

      L->chain_start[e] = first;
      L->label_lnode[e] = -1;
      if (edge->from == edge->to)
        continue;
      edge_ends (L, e, &top, &bottom);
      span = L->ranks[bottom] - L->ranks[top];
      g_array_append_val (L->chains, top);
      if (span > 1 && (guint) (span - 1) <= budget)
        {
          int group = LN (L, top)->group == LN (L, bottom)->group ? LN (L, top)->group : -1;
          int inner = LN (L, top)->inner == LN (L, bottom)->inner ? LN (L, top)->inner : group;

          budget -= span - 1;
          for (int r = L->ranks[top] + 1; r < L->ranks[bottom]; r++)
            {
              int v = add_lnode (L, -1, r, group, inner);

              LN (L, v)->cross = 0;
              g_array_append_val (L->chains, v);
            }
        }
      g_array_append_val (L->chains, bottom);

      if (L->chains->len - first == 2 && span > 1)
        continue;   /* over budget: drawn straight, not ordered */
      for (guint i = first; i + 1 < L->chains->len; i++)
        {
          int pair[2] = { g_array_index (L->chains, int, i), g_array_index (L->chains, int, i + 1) };

          g_array_append_vals (segs, pair, 2);
        }
      if (L->chains->len - first > 2)
        L->label_lnode[e] = g_array_index (L->chains, int, first + (L->chains->len - first) / 2);
    }
  L->chain_start[m] = L->chains->len;
}

static void
build_neighbours (Layout *L,
                  GArray *segs)
{
  guint n = L->lnodes->len;
  guint n_segs = segs->len / 2;
  g_autofree guint *up_fill = NULL;
  g_autofree guint *down_fill = NULL;

  L->up_start = g_new0 (guint, n + 1);
  L->down_start = g_new0 (guint, n + 1);
  L->up = g_new (int, MAX (n_segs, 1));
  L->down = g_new (int, MAX (n_segs, 1));
  for (guint s = 0; s < n_segs; s++)
    {
      int a = g_array_index (segs, int, 2 * s);
      int b = g_array_index (segs, int, 2 * s + 1);

      L->down_start[a + 1]++;
      L->up_start[b + 1]++;
    }
  for (guint v = 0; v < n; v++)
    {
      L->up_start[v + 1] += L->up_start[v];
      L->down_start[v + 1] += L->down_start[v];
    }
  up_fill = g_memdup2 (L->up_start, sizeof (guint) * (n + 1));
  down_fill = g_memdup2 (L->down_start, sizeof (guint) * (n + 1));
  for (guint s = 0; s < n_segs; s++)
    {
      int a = g_array_index (segs, int, 2 * s);
      int b = g_array_index (segs, int, 2 * s + 1);

      L->down[down_fill[a]++] = b;
      L->up[up_fill[b]++] = a;
    }
}

/* Ordering */

static int
compare_in_layer (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  Layout *L = user_data;
  const LNode *x = LN (L, *(const int *) a);
  const LNode *y = LN (L, *(const int *) b);

  if (x->group_key != y->group_key)
    return x->group_key < y->group_key ? -1 : 1;
  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  if (x->inner != y->inner)
    return x->inner < y->inner ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return *(const int *) a - *(const int *) b;
}

static void
build_layers (Layout *L)
{
  guint n = L->lnodes->len;
  g_autofree guint *fill = NULL;

  L->n_ranks = 0;
  for (guint v = 0; v < n; v++)
    L->n_ranks = MAX (L->n_ranks, (guint) LN (L, v)->rank + 1);
  L->layer_start = g_new0 (guint, L->n_ranks + 1);
  L->layers = g_new (int, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    L->layer_start[LN (L, v)->rank + 1]++;
  for (guint r = 0; r < L->n_ranks; r++)
    L->layer_start[r + 1] += L->layer_start[r];
  fill = g_memdup2 (L->layer_start, sizeof (guint) * (L->n_ranks + 1));
  for (guint v = 0; v < n; v++)
    {
      LN (L, v)->key = fill[LN (L, v)->rank] - L->layer_start[LN (L, v)->rank];
      L->layers[fill[LN (L, v)->rank]++] = v;
    }
}

/* Sorts layer @r by the mean order of each node's neighbours in the layer
 * before it (@down) or after it; subgraph members stay together. */
static void
sort_layer (Layout  *L,
            guint    r,
            gboolean down)
{
  guint first = L->layer_start[r], last = L->layer_start[r + 1];

  for (guint i = first; i < last; i++)
    {
      int v = L->layers[i];
      LNode *ln = LN (L, v);
      const guint *start = down ? L->up_start : L->down_start;
      const int *nbr = down ? L->up : L->down;
      double sum = 0;
      guint count = start[v + 1] - start[v];

      for (guint k = start[v]; k < start[v + 1]; k++)
        sum += LN (L, nbr[k])->pos;
      ln->key = count > 0 ? sum / count : ln->pos;
    }

  /* Groups sort by their members' mean key. */
  for (guint i = first; i < last; i++)
    {
      LNode *ln = LN (L, L->layers[i]);

      if (ln->group >= 0)
        {
          L->group_sum[ln->group] += ln->key;
          L->group_count[ln->group]++;
        }
    }
  for (guint i = first; i < last; i++)
    {
      LNode *ln = LN (L, L->layers[i]);

      ln->group_key = ln->group >= 0 ? L->group_sum[ln->group] / L->group_count[ln->group] : ln->key;
    }
  for (guint i = first; i < last; i++)
    {
      LNode *ln = LN (L, L->layers[i]);

      if (ln->group >= 0)
        {
          L->group_sum[ln->group] = 0;
          L->group_count[ln->group] = 0;
        }
    }

  g_qsort_with_data (L->layers + first, last - first, sizeof (int), compare_in_layer, L);
  for (guint i = first; i < last; i++)
    LN (L, L->layers[i])->pos = i - first;
}

static void
order_layers (Layout *L)
{
  for (guint v = 0; v < L->lnodes->len; v++)
    LN (L, v)->pos = LN (L, v)->key;

  for (guint sweep = 0; sweep < SWEEPS; sweep++)
    {
      if (sweep % 2 == 0)
        for (guint r = 1; r < L->n_ranks; r++)
          sort_layer (L, r, TRUE);
      else
        for (guint r = L->n_ranks; r-- > 1;)
          sort_layer (L, r - 1, FALSE);
    }
}

/* Positions across */

static double
separation (Layout *L,
            LNode  *a,
            LNode  *b)
{
  double gap = (a->node >= 0 && b->node >= 0) ? NODE_GAP : VIRTUAL_GAP;

  if (a->inner != b->inner && (a->node >= 0 || b->node >= 0))
    gap += 2 * SUB_PAD;
  if (a->group != b->group && (a->group >= 0 || b->group >= 0))
    gap += 2 * SUB_PAD;
  return (a->cross + b->cross) / 2 + gap;
}

/* Moves layer @r's nodes as close to @desired as the order and the
 * separations allow: the mean of a left-to-right and a right-to-left
 * packing, which keeps every separation. */
static void
place_layer (Layout *L,
             guint   r,
             double *desired,
             double *left,
             double *right)
{
  guint first = L->layer_start[r], n = L->layer_start[r + 1] - first;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      left[i] = desired[i];
      if (i > 0)
        left[i] = MAX (left[i], left[i - 1] + separation (L, LN (L, L->layers[first + i - 1]),
                                                             LN (L, L->layers[first + i])));
    }
  for (guint i = n; i-- > 0;)
    {
      right[i] = desired[i];
      if (i + 1 < n)
        right[i] = MIN (right[i], right[i + 1] - separation (L, LN (L, L->layers[first + i]),
                                                                LN (L, L->layers[first + i + 1])));
    }
  for (guint i = 0; i < n; i++)
    LN (L, L->layers[first + i])->pos = (left[i] + right[i]) / 2;
}

static void keep_out_of_boxes (Layout *L,
                               double *desired,
                               double *left,
                               double *right);

static void
position_across (Layout *L)
{
  guint n = L->lnodes->len;
  g_autofree double *desired = g_new (double, MAX (n, 1));
  g_autofree double *left = g_new (double, MAX (n, 1));
  g_autofree double *right = g_new (double, MAX (n, 1));

  /* Packed, centred on 0. */
  for (guint r = 0; r < L->n_ranks; r++)
    {
      guint first = L->layer_start[r], last = L->layer_start[r + 1];
      double x = 0;

      for (guint i = first; i < last; i++)
        {
          if (i > first)
            x += separation (L, LN (L, L->layers[i - 1]), LN (L, L->layers[i]));
          LN (L, L->layers[i])->pos = x;
        }
      for (guint i = first; i < last; i++)
        LN (L, L->layers[i])->pos -= x / 2;
    }

  /* Pull each node towards its neighbours: down, up, then both ways. */
  for (guint iter = 0; iter < 10; iter++)
    {
      gboolean both = iter >= 6;
      gboolean down = iter % 2 == 0;

      for (guint k = 0; k < L->n_ranks; k++)
        {
          guint r = down ? k : L->n_ranks - 1 - k;
          guint first = L->layer_start[r], last = L->layer_start[r + 1];

          for (guint i = first; i < last; i++)
            {
              int v = L->layers[i];
              double sum = 0;
              guint count = 0;

              if (both || down)
                for (guint j = L->up_start[v]; j < L->up_start[v + 1]; j++, count++)
                  sum += LN (L, L->up[j])->pos;
              if (both || !down)
                for (guint j = L->down_start[v]; j < L->down_start[v + 1]; j++, count++)
                  sum += LN (L, L->down[j])->pos;
              desired[i - first] = count > 0 ? sum / count : LN (L, v)->pos;
            }
          place_layer (L, r, desired, left, right);
        }
    }
  keep_out_of_boxes (L, desired, left, right);
}

/* Whether real lnode @ln lies in subgraph @s or one inside it. */
static gboolean
in_subgraph (Layout *L,
             LNode  *ln,
             int     s)
{
  int t = ln->inner;

  if (ln->node < 0)
    return FALSE;
  while (t >= 0 && t != s)
    t = ((WrMermaidSubgraph *) g_ptr_array_index (L->d->subgraphs, t))->parent;
  return t == s;
}

/* Subgraph boxes span ranks: nodes of other groups on those ranks are
 * pushed across, out of the box's range, so no box covers a stranger. */
static void
keep_out_of_boxes (Layout *L,
                   double *desired,
                   double *left,
                   double *right)
{
  WrMermaidDiagram *d = L->d;

  if (d->subgraphs->len == 0 || d->subgraphs->len > 500)
    return;
  for (guint pass = 0; pass < 3; pass++)
    for (guint s = 0; s < d->subgraphs->len; s++)
      {
        double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, centre, margin;
        int rmin = G_MAXINT, rmax = -1;
        guint depth = subgraph_depth (d, s);

        for (guint v = 0; v < L->n_real; v++)
          if (in_subgraph (L, LN (L, v), s))
            {
              lo = MIN (lo, LN (L, v)->pos - LN (L, v)->cross / 2);
              hi = MAX (hi, LN (L, v)->pos + LN (L, v)->cross / 2);
              rmin = MIN (rmin, LN (L, v)->rank);
              rmax = MAX (rmax, LN (L, v)->rank);
            }
        if (rmax < 0)
          continue;
        /* The box's inner padding grows with nesting; its title may be
         * wider than its nodes. */
        if (L->vertical && hi - lo < L->title_width[s])
          {
            centre = (lo + hi) / 2;
            lo = centre - L->title_width[s] / 2;
            hi = centre + L->title_width[s] / 2;
          }
        margin = SUB_PAD * (MIN (depth, 4) + 1) + VIRTUAL_GAP;
        centre = (lo + hi) / 2;

        for (int r = rmin; r <= rmax; r++)
          {
            guint first = L->layer_start[r], last = L->layer_start[r + 1];
            int first_member = -1;
            gboolean moved = FALSE;

            for (guint i = first; i < last && first_member < 0; i++)
              if (in_subgraph (L, LN (L, L->layers[i]), s))
                first_member = i;
            for (guint i = first; i < last; i++)
              {
                LNode *ln = LN (L, L->layers[i]);
                gboolean leftward;

                desired[i - first] = ln->pos;
                if (ln->node < 0 || in_subgraph (L, ln, s))
                  continue;
                leftward = first_member >= 0 ? (int) i < first_member : ln->pos < centre;
                /* Across LR ranks the title sits on the low side. */
                if (leftward && ln->pos + ln->cross / 2 > lo - margin - (L->vertical ? 0 : depth * L->title_height))
                  desired[i - first] = lo - margin - (L->vertical ? 0 : depth * L->title_height) - ln->cross / 2;
                else if (!leftward && ln->pos - ln->cross / 2 < hi + margin)
                  desired[i - first] = hi + margin + ln->cross / 2;
                else
                  continue;
                moved = TRUE;
              }
            if (moved)
              place_layer (L, r, desired, left, right);
          }
      }
}

/* Positions along */

static void
position_along (Layout *L,
                double  title_height)
{
  WrMermaidDiagram *d = L->d;
  g_autofree double *thickness = g_new0 (double, MAX (L->n_ranks, 1));
  double gap = L->label_mode ? RANK_GAP / 2 : RANK_GAP;
  guint depth = 0;
  double y = 0;

  for (guint s = 0; s < d->subgraphs->len; s++)
    depth = MAX (depth, subgraph_depth (d, s));
  if (depth > 0)
    gap += MIN (depth, 3) * (L->vertical ? 2 * SUB_PAD + title_height : 2 * SUB_PAD) /
           (L->label_mode ? 2 : 1);

  L->rank_pos = g_new0 (double, MAX (L->n_ranks, 1));
  for (guint v = 0; v < L->lnodes->len; v++)
    thickness[LN (L, v)->rank] = MAX (thickness[LN (L, v)->rank], LN (L, v)->along);
  for (guint r = 0; r < L->n_ranks; r++)
    {
      if (r > 0)
        y += thickness[r - 1] / 2 + gap + thickness[r] / 2;
      L->rank_pos[r] = y;
    }
}

/* Direction */

static void
to_diagram (Layout *L,
            double  across,
            double  along,
            double *x,
            double *y)
{
  switch (L->d->direction)
    {
    case WR_MERMAID_BT:
      *x = across;
      *y = -along;
      break;
    case WR_MERMAID_LR:
      *x = along;
      *y = across;
      break;
    case WR_MERMAID_RL:
      *x = -along;
      *y = across;
      break;
    case WR_MERMAID_TD:
    default:
      *x = across;
      *y = along;
      break;
    }
}

static void
lnode_point (Layout *L,
             int     v,
             double *x,
             double *y)
{
  to_diagram (L, LN (L, v)->pos, L->rank_pos[LN (L, v)->rank], x, y);
}

/* Edges */

static void
route_self_loop (WrMermaidEdge *edge,
                 WrMermaidNode *node)
{
  double out = node->x + node->width / 2 + SELF_LOOP;

  edge->n_points = 4;
  edge->points = g_new (double, 8);
  clip_to_border (node, node->x + node->width, node->y - node->height / 4, &edge->points[0], &edge->points[1]);
  edge->points[2] = out;
  edge->points[3] = node->y - node->height / 4;
  edge->points[4] = out;
  edge->points[5] = node->y + node->height / 4;
  clip_to_border (node, node->x + node->width, node->y + node->height / 4, &edge->points[6], &edge->points[7]);
  edge->label_x = out + edge->label_width / 2 + 4;
  edge->label_y = node->y;
}

static void
route_edges (Layout *L)
{
  WrMermaidDiagram *d = L->d;

  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      WrMermaidNode *from = g_ptr_array_index (d->nodes, edge->from);
      WrMermaidNode *to = g_ptr_array_index (d->nodes, edge->to);
      guint first = L->chain_start[e], n = L->chain_start[e + 1] - first;
      double *p;

      g_clear_pointer (&edge->points, g_free);
      if (edge->from == edge->to)
        {
          route_self_loop (edge, from);
          continue;
        }

      edge->n_points = n;
      edge->points = p = g_new (double, 2 * n);
      for (guint i = 0; i < n; i++)
        {
          /* Chains run down the DAG; a reversed edge runs back up. */
          guint k = L->reversed[e] ? n - 1 - i : i;

          lnode_point (L, g_array_index (L->chains, int, first + k), &p[2 * i], &p[2 * i + 1]);
        }
      clip_to_border (from, p[2], p[3], &p[0], &p[1]);
      clip_to_border (to, p[2 * n - 4], p[2 * n - 3], &p[2 * n - 2], &p[2 * n - 1]);

      if (L->label_lnode[e] >= 0)
        lnode_point (L, L->label_lnode[e], &edge->label_x, &edge->label_y);
      else
        {
          guint mid = (n - 1) / 2;

          edge->label_x = (p[2 * mid] + p[2 * mid + 2]) / 2;
          edge->label_y = (p[2 * mid + 1] + p[2 * mid + 3]) / 2;
        }
    }
}

/* Subgraph boxes, innermost first, around their nodes and inner boxes. */
static void
box_subgraphs (Layout        *L,
               PangoLayout   *layout,
               double         title_height)
{
  WrMermaidDiagram *d = L->d;
  guint n_sub = d->subgraphs->len;
  g_autofree double *box = g_new (double, 4 * MAX (n_sub, 1));   /* x0 y0 x1 y1 */
  g_autofree guint *order = g_new (guint, MAX (n_sub, 1));
  g_autofree guint *depth = g_new (guint, MAX (n_sub, 1));

  for (guint s = 0; s < n_sub; s++)
    {
      box[4 * s] = box[4 * s + 1] = G_MAXDOUBLE;
      box[4 * s + 2] = box[4 * s + 3] = -G_MAXDOUBLE;
      depth[s] = subgraph_depth (d, s);
    }
  for (guint v = 0; v < d->nodes->len; v++)
    {
      WrMermaidNode *node = g_ptr_array_index (d->nodes, v);
      int s = node->subgraph;

      if (s < 0)
        continue;
      box[4 * s] = MIN (box[4 * s], node->x - node->width / 2);
      box[4 * s + 1] = MIN (box[4 * s + 1], node->y - node->height / 2);
      box[4 * s + 2] = MAX (box[4 * s + 2], node->x + node->width / 2);
      box[4 * s + 3] = MAX (box[4 * s + 3], node->y + node->height / 2);
    }

  /* Deepest first: counting sort by depth. */
  {
    guint k = 0;
    guint max_depth = 0;

    for (guint s = 0; s < n_sub; s++)
      max_depth = MAX (max_depth, depth[s]);
    for (guint dep = max_depth; dep >= 1; dep--)
      for (guint s = 0; s < n_sub; s++)
        if (depth[s] == dep)
          order[k++] = s;
  }

  for (guint i = 0; i < n_sub; i++)
    {
      guint s = order[i];
      WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);
      double tw, th;

      if (box[4 * s] > box[4 * s + 2])
        {
          sub->x = sub->y = sub->width = sub->height = 0;
          continue;
        }
      measure (layout, sub->title, WR_MERMAID_NODE_WRAP, &tw, &th);
      sub->x = box[4 * s] - SUB_PAD;
      sub->y = box[4 * s + 1] - SUB_PAD - title_height;
      sub->width = box[4 * s + 2] - box[4 * s] + 2 * SUB_PAD;
      sub->height = box[4 * s + 3] - box[4 * s + 1] + 2 * SUB_PAD + title_height;
      if (sub->width < tw + 2 * SUB_PAD)
        {
          sub->x -= (tw + 2 * SUB_PAD - sub->width) / 2;
          sub->width = tw + 2 * SUB_PAD;
        }
      if (sub->parent >= 0)
        {
          guint p = sub->parent;

          box[4 * p] = MIN (box[4 * p], sub->x);
          box[4 * p + 1] = MIN (box[4 * p + 1], sub->y);
          box[4 * p + 2] = MAX (box[4 * p + 2], sub->x + sub->width);
          box[4 * p + 3] = MAX (box[4 * p + 3], sub->y + sub->height);
        }
    }
}

/* Moves everything so the drawing starts at MARGIN, and sets the size. */
static void
normalize (WrMermaidDiagram *d)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

#define GROW(ax, ay, bx, by) G_STMT_START { \
    x0 = MIN (x0, (ax)); y0 = MIN (y0, (ay)); x1 = MAX (x1, (bx)); y1 = MAX (y1, (by)); \
  } G_STMT_END

  for (guint v = 0; v < d->nodes->len; v++)
    {
      WrMermaidNode *n = g_ptr_array_index (d->nodes, v);

      GROW (n->x - n->width / 2, n->y - n->height / 2, n->x + n->width / 2, n->y + n->height / 2);
    }
  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      for (guint i = 0; i < edge->n_points; i++)
        GROW (edge->points[2 * i], edge->points[2 * i + 1], edge->points[2 * i], edge->points[2 * i + 1]);
      if (edge->label != NULL)
        GROW (edge->label_x - edge->label_width / 2, edge->label_y - edge->label_height / 2,
              edge->label_x + edge->label_width / 2, edge->label_y + edge->label_height / 2);
    }
  for (guint s = 0; s < d->subgraphs->len; s++)
    {
      WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);

      if (sub->width > 0)
        GROW (sub->x, sub->y, sub->x + sub->width, sub->y + sub->height);
    }
#undef GROW

  if (x0 > x1)
    x0 = y0 = x1 = y1 = 0;

  for (guint v = 0; v < d->nodes->len; v++)
    {
      WrMermaidNode *n = g_ptr_array_index (d->nodes, v);

      n->x += MARGIN - x0;
      n->y += MARGIN - y0;
    }
  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      for (guint i = 0; i < edge->n_points; i++)
        {
          edge->points[2 * i] += MARGIN - x0;
          edge->points[2 * i + 1] += MARGIN - y0;
        }
      edge->label_x += MARGIN - x0;
      edge->label_y += MARGIN - y0;
    }
  for (guint s = 0; s < d->subgraphs->len; s++)
    {
      WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);

      if (sub->width > 0)
        {
          sub->x += MARGIN - x0;
          sub->y += MARGIN - y0;
        }
    }
  d->width = x1 - x0 + 2 * MARGIN;
  d->height = y1 - y0 + 2 * MARGIN;
}

void
wr_mermaid_layout (WrMermaidDiagram     *diagram,
                   PangoContext         *context,
                   const WrMermaidStyle *style)
{
  g_autoptr(PangoFontMap) own_map = NULL;
  PangoContext *own_context = NULL;   /* no autoptr in Pango 1.50 */
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GArray) segs = NULL;
  g_autoptr(GArray) lnodes = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  WrMermaidDiagram *d = diagram;
  Layout L = { 0 };
  double title_height;
  double text_w, text_h;

  g_return_if_fail (diagram != NULL);
  g_return_if_fail (style != NULL);

  if (context == NULL)
    {
      own_map = pango_cairo_font_map_new ();
      own_context = pango_font_map_create_context (own_map);
      context = own_context;
    }
  layout = pango_layout_new (context);
  font = _wr_mermaid_font (style->font_size);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  measure (layout, "Mg", -1, &text_w, &title_height);
  title_height += 8;
  L.title_height = title_height;

  L.d = d;
  L.font_size = style->font_size;
  L.n_real = d->nodes->len;
  L.vertical = d->direction == WR_MERMAID_TD || d->direction == WR_MERMAID_BT;
  lnodes = L.lnodes = g_array_new (FALSE, TRUE, sizeof (LNode));
  segs = g_array_new (FALSE, FALSE, sizeof (int));
  L.reversed = g_new0 (gboolean, MAX (d->edges->len, 1));
  L.ranks = g_new0 (int, MAX (d->nodes->len, 1));
  L.group_sum = g_new0 (double, MAX (d->subgraphs->len, 1));
  L.group_count = g_new0 (guint, MAX (d->subgraphs->len, 1));
  L.title_width = g_new0 (double, MAX (d->subgraphs->len, 1));
  for (guint s = 0; s < d->subgraphs->len; s++)
    {
      WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);

      measure (layout, sub->title, WR_MERMAID_NODE_WRAP, &text_w, &text_h);
      L.title_width[s] = text_w + 2 * SUB_PAD;
    }

  for (guint e = 0; e < d->edges->len && !L.label_mode; e++)
    if (((WrMermaidEdge *) g_ptr_array_index (d->edges, e))->label != NULL)
      L.label_mode = TRUE;

  for (guint v = 0; v < d->nodes->len; v++)
    {
      WrMermaidNode *node = g_ptr_array_index (d->nodes, v);

      measure (layout, node->label, WR_MERMAID_NODE_WRAP, &text_w, &text_h);
      node_size (node, text_w, text_h);
    }
  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);

      edge->label_width = edge->label_height = 0;
      if (edge->label == NULL)
        continue;
      measure (layout, edge->label, WR_MERMAID_EDGE_WRAP, &text_w, &text_h);
      edge->label_width = text_w + 8;
      edge->label_height = text_h + 4;
    }

  break_cycles (&L);
  assign_ranks (&L);
  for (guint v = 0; v < d->nodes->len; v++)
    {
      WrMermaidNode *node = g_ptr_array_index (d->nodes, v);
      int idx = add_lnode (&L, v, L.ranks[v], outermost_subgraph (d, node->subgraph), node->subgraph);

      node->rank = L.ranks[v];
      LN (&L, idx)->cross = L.vertical ? node->width : node->height;
      LN (&L, idx)->along = L.vertical ? node->height : node->width;
    }
  build_chains (&L, segs);
  for (guint e = 0; e < d->edges->len; e++)
    if (L.label_lnode[e] >= 0)
      {
        WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
        LNode *ln = LN (&L, L.label_lnode[e]);

        ln->cross = L.vertical ? edge->label_width : edge->label_height;
        ln->along = L.vertical ? edge->label_height : edge->label_width;
      }
  build_neighbours (&L, segs);
  build_layers (&L);
  order_layers (&L);
  position_across (&L);
  position_along (&L, title_height);

  for (guint v = 0; v < d->nodes->len; v++)
    {
      WrMermaidNode *node = g_ptr_array_index (d->nodes, v);

      lnode_point (&L, v, &node->x, &node->y);
    }
  route_edges (&L);
  box_subgraphs (&L, layout, title_height);
  normalize (d);
  d->laid_out = TRUE;

  g_free (L.reversed);
  g_free (L.ranks);
  g_free (L.chain_start);
  g_array_unref (L.chains);
  g_free (L.label_lnode);
  g_free (L.up_start);
  g_free (L.down_start);
  g_free (L.up);
  g_free (L.down);
  g_free (L.layer_start);
  g_free (L.layers);
  g_free (L.rank_pos);
  g_free (L.group_sum);
  g_free (L.group_count);
  g_free (L.title_width);
  g_clear_object (&layout);
  g_clear_object (&own_context);
}
