/* test-mermaid.c — the Mermaid flowchart parser, layout, drawing and
 * export (data/wr-mermaid.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "data/wr-mermaid-private.h"

static WrMermaidDiagram *
parse_ok (const char *source)
{
  g_autoptr(GError) error = NULL;
  WrMermaidDiagram *d = wr_mermaid_parse (source, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (d);
  return d;
}

static WrMermaidNode *
node_by_id (WrMermaidDiagram *d,
            const char       *id)
{
  for (guint i = 0; i < d->nodes->len; i++)
    {
      WrMermaidNode *node = g_ptr_array_index (d->nodes, i);

      if (g_str_equal (node->id, id))
        return node;
    }
  g_error ("no node %s", id);
  return NULL;
}

static WrMermaidEdge *
edge_at (WrMermaidDiagram *d,
         guint             i)
{
  g_assert_cmpuint (i, <, d->edges->len);
  return g_ptr_array_index (d->edges, i);
}

static const char *
edge_from (WrMermaidDiagram *d,
           guint             i)
{
  return ((WrMermaidNode *) g_ptr_array_index (d->nodes, edge_at (d, i)->from))->id;
}

static const char *
edge_to (WrMermaidDiagram *d,
         guint             i)
{
  return ((WrMermaidNode *) g_ptr_array_index (d->nodes, edge_at (d, i)->to))->id;
}

/* Parsing */

static void
test_header (void)
{
  static const struct {
    const char         *source;
    WrMermaidDirection  direction;
  } cases[] = {
    { "graph TD\nA-->B", WR_MERMAID_TD },
    { "graph TB\nA-->B", WR_MERMAID_TD },
    { "flowchart BT\nA-->B", WR_MERMAID_BT },
    { "flowchart LR\nA-->B", WR_MERMAID_LR },
    { "graph RL;A-->B", WR_MERMAID_RL },
    { "graph\nA-->B", WR_MERMAID_TD },
    { "%% a comment first\n\n  flowchart LR\nA-->B", WR_MERMAID_LR },
    { "---\ntitle: Hello\n---\nflowchart RL\nA-->B", WR_MERMAID_RL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WrMermaidDiagram) d = parse_ok (cases[i].source);

      g_assert_cmpint (d->direction, ==, cases[i].direction);
      g_assert_cmpuint (d->nodes->len, ==, 2);
      g_assert_cmpuint (d->edges->len, ==, 1);
    }
}

static void
test_shapes (void)
{
  static const struct {
    const char     *id;
    WrMermaidShape  shape;
    const char     *label;
  } expect[] = {
    { "a", WR_MERMAID_SHAPE_RECT, "a" },
    { "b", WR_MERMAID_SHAPE_RECT, "Box" },
    { "c", WR_MERMAID_SHAPE_ROUND, "Round" },
    { "d", WR_MERMAID_SHAPE_STADIUM, "Stadium" },
    { "e", WR_MERMAID_SHAPE_CIRCLE, "Circle" },
    { "f", WR_MERMAID_SHAPE_RHOMBUS, "Decide?" },
    { "g", WR_MERMAID_SHAPE_ASYMMETRIC, "Flag" },
    { "h", WR_MERMAID_SHAPE_SUBROUTINE, "Sub" },
    { "i", WR_MERMAID_SHAPE_CYLINDER, "Database" },
    { "j", WR_MERMAID_SHAPE_HEXAGON, "Hex" },
    { "k", WR_MERMAID_SHAPE_PARALLELOGRAM, "In" },
    { "l", WR_MERMAID_SHAPE_RECT, "Say \"hi\"; (then) [go] {x} -->" },
    { "m", WR_MERMAID_SHAPE_ROUND, "line one\nline two" },
    { "n", WR_MERMAID_SHAPE_RECT, "Ünïcödé ✓" },
  };
  g_autoptr(WrMermaidDiagram) d = parse_ok (
    "flowchart TD\n"
    "  a\n"
    "  b[Box]\n"
    "  c(Round)\n"
    "  d([Stadium])\n"
    "  e((Circle))\n"
    "  f{Decide?}\n"
    "  g>Flag]\n"
    "  h[[Sub]]\n"
    "  i[(Database)]\n"
    "  j{{Hex}}\n"
    "  k[/In/]\n"
    "  l[\"Say #quot;hi#quot;; (then) [go] {x} -->\"]\n"
    "  m(line one<br/>line two)\n"
    "  n[Ünïcödé ✓]\n");

  g_assert_cmpuint (d->nodes->len, ==, G_N_ELEMENTS (expect));
  g_assert_cmpuint (d->edges->len, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      WrMermaidNode *node = node_by_id (d, expect[i].id);

      g_assert_cmpint (node->shape, ==, expect[i].shape);
      g_assert_cmpstr (node->label, ==, expect[i].label);
    }
}

static void
test_links (void)
{
  g_autoptr(WrMermaidDiagram) d = parse_ok (
    "graph LR\n"
    "A --> B\n"
    "A --- C\n"
    "A -.-> D\n"
    "A ==> E\n"
    "A -- yes --> F\n"
    "A -->|no| G\n"
    "A-->|\"quoted | text\"|H\n"
    "A -. maybe .-> I\n"
    "A == strong ==> J\n"
    "A <--> K\n"
    "A ---> L\n"
    "A ~~~ M\n"
    "my-node-->N\n");

  g_assert_cmpuint (d->edges->len, ==, 13);
  g_assert_cmpint (edge_at (d, 0)->line, ==, WR_MERMAID_LINE_SOLID);
  g_assert_true (edge_at (d, 0)->arrow_end);
  g_assert_null (edge_at (d, 0)->label);
  g_assert_false (edge_at (d, 1)->arrow_end);
  g_assert_cmpint (edge_at (d, 2)->line, ==, WR_MERMAID_LINE_DOTTED);
  g_assert_true (edge_at (d, 2)->arrow_end);
  g_assert_cmpint (edge_at (d, 3)->line, ==, WR_MERMAID_LINE_THICK);
  g_assert_cmpstr (edge_at (d, 4)->label, ==, "yes");
  g_assert_true (edge_at (d, 4)->arrow_end);
  g_assert_cmpstr (edge_to (d, 4), ==, "F");
  g_assert_cmpstr (edge_at (d, 5)->label, ==, "no");
  g_assert_cmpstr (edge_to (d, 5), ==, "G");
  g_assert_cmpstr (edge_at (d, 6)->label, ==, "quoted | text");
  g_assert_cmpstr (edge_at (d, 7)->label, ==, "maybe");
  g_assert_cmpint (edge_at (d, 7)->line, ==, WR_MERMAID_LINE_DOTTED);
  g_assert_cmpstr (edge_at (d, 8)->label, ==, "strong");
  g_assert_cmpint (edge_at (d, 8)->line, ==, WR_MERMAID_LINE_THICK);
  g_assert_true (edge_at (d, 9)->arrow_start);
  g_assert_true (edge_at (d, 9)->arrow_end);
  g_assert_cmpuint (edge_at (d, 10)->length, ==, 2);
  g_assert_cmpint (edge_at (d, 11)->line, ==, WR_MERMAID_LINE_INVISIBLE);
  g_assert_cmpstr (edge_from (d, 12), ==, "my-node");
}

static void
test_chains_and_groups (void)
{
  g_autoptr(WrMermaidDiagram) chain = parse_ok ("graph TD\nA --> B --> C -- go --> D");
  g_autoptr(WrMermaidDiagram) group = parse_ok ("graph TD\nA & B --> C & D\nC --> E & F");
  g_autoptr(WrMermaidDiagram) semis = parse_ok ("graph TD;A-->B;B-->C;");

  g_assert_cmpuint (chain->edges->len, ==, 3);
  g_assert_cmpstr (edge_from (chain, 0), ==, "A");
  g_assert_cmpstr (edge_to (chain, 0), ==, "B");
  g_assert_cmpstr (edge_from (chain, 1), ==, "B");
  g_assert_cmpstr (edge_to (chain, 1), ==, "C");
  g_assert_cmpstr (edge_at (chain, 2)->label, ==, "go");

  g_assert_cmpuint (group->nodes->len, ==, 6);
  g_assert_cmpuint (group->edges->len, ==, 6);
  g_assert_cmpstr (edge_from (group, 0), ==, "A");
  g_assert_cmpstr (edge_to (group, 0), ==, "C");
  g_assert_cmpstr (edge_from (group, 3), ==, "B");
  g_assert_cmpstr (edge_to (group, 3), ==, "D");

  g_assert_cmpuint (semis->nodes->len, ==, 3);
  g_assert_cmpuint (semis->edges->len, ==, 2);
}

static void
test_subgraph (void)
{
  g_autoptr(WrMermaidDiagram) d = parse_ok (
    "flowchart TB\n"
    "  c1-->a2\n"
    "  subgraph one\n"
    "    a1-->a2\n"
    "  end\n"
    "  subgraph two [Second group]\n"
    "    direction LR\n"
    "    b1-->b2\n"
    "    subgraph \"Inner title\"\n"
    "      b3\n"
    "    end\n"
    "  end\n"
    "  one --> two\n");
  WrMermaidSubgraph *one, *two, *inner;

  g_assert_cmpuint (d->subgraphs->len, ==, 3);
  one = g_ptr_array_index (d->subgraphs, 0);
  two = g_ptr_array_index (d->subgraphs, 1);
  inner = g_ptr_array_index (d->subgraphs, 2);
  g_assert_cmpstr (one->title, ==, "one");
  g_assert_cmpstr (two->id, ==, "two");
  g_assert_cmpstr (two->title, ==, "Second group");
  g_assert_cmpstr (inner->title, ==, "Inner title");
  g_assert_cmpint (inner->parent, ==, 1);
  g_assert_cmpint (one->parent, ==, -1);

  /* c1 and a2 appear first outside: a2 stays outside; a1 is inside. */
  g_assert_cmpint (node_by_id (d, "c1")->subgraph, ==, -1);
  g_assert_cmpint (node_by_id (d, "a1")->subgraph, ==, 0);
  g_assert_cmpint (node_by_id (d, "b1")->subgraph, ==, 1);
  g_assert_cmpint (node_by_id (d, "b3")->subgraph, ==, 2);
  g_assert_cmpint (d->direction, ==, WR_MERMAID_TD);   /* "direction" inside is ignored */
}

static void
test_ignored_lines (void)
{
  g_autoptr(WrMermaidDiagram) d = parse_ok (
    "graph TD\n"
    "%% the whole line is a comment --> X\n"
    "A[Start] --> B %% a trailing comment\n"
    "%%{init: {\"theme\": \"dark\"}}%%\n"
    "classDef green fill:#9f6,stroke:#333,stroke-width:2px;\n"
    "class A green\n"
    "A:::green --> C\n"
    "style B fill:#f9f,stroke:#333\n"
    "linkStyle 0 stroke:#ff3\n"
    "click A \"https://example.com\" \"Tooltip\" _blank\n"
    "click B callback\n"
    "click C call alert(\"x\")\n"
    "accTitle: A title\n");

  /* Only A, B and C: nothing of the click, style or class lines. */
  g_assert_cmpuint (d->nodes->len, ==, 3);
  g_assert_cmpuint (d->edges->len, ==, 2);
  g_assert_cmpstr (node_by_id (d, "A")->label, ==, "Start");
  g_assert_cmpstr (edge_to (d, 1), ==, "C");
}

static void
test_unsupported (void)
{
  static const char * const sources[] = {
    "sequenceDiagram\n  Alice->>Bob: Hi",
    "gantt\n  title A Gantt Diagram",
    "classDiagram\n  Animal <|-- Duck",
    "pie title Pets\n \"Dogs\" : 386",
    "%% comment\nstateDiagram-v2\n [*] --> Still",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WrMermaidDiagram) d = wr_mermaid_parse (sources[i], -1, &error);

      g_assert_null (d);
      g_assert_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_UNSUPPORTED);
      g_assert_cmpstr (error->message, ==, "Only flowcharts can be previewed; showing the source.");
    }
}

static void
test_syntax_errors (void)
{
  static const struct {
    const char *source;
    const char *needle;
  } cases[] = {
    { "graph TD\nA -->", "Line 2" },
    { "graph TD\nA --> B\nB[unclosed --> C", "Line 3" },
    { "graph TD\nA & --> B", "Line 2" },
    { "graph TD\nend", "Line 2" },
    { "graph TD\nA -- text B", "Line 2" },
    { "graph TD\nA -->|label B", "Line 2" },
    { "", "empty" },
    { "\n  %% only a comment\n", "empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WrMermaidDiagram) d = wr_mermaid_parse (cases[i].source, -1, &error);

      g_assert_null (d);
      g_assert_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_SYNTAX);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WrMermaidDiagram) d = wr_mermaid_parse ("graph TD\nA-->\xff", -1, &error);

    g_assert_null (d);
    g_assert_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_SYNTAX);
  }
}

static void
assert_too_large (const char *source,
                  gssize      length,
                  const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMermaidDiagram) d = wr_mermaid_parse (source, length, &error);

  g_assert_null (d);
  g_assert_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_bounds (void)
{
  g_autoptr(GString) big = g_string_new ("graph TD\n");
  g_autoptr(GString) nodes = g_string_new ("graph TD\n");
  g_autoptr(GString) edges = g_string_new ("graph TD\n");
  g_autofree char *long_label = g_strnfill (WR_MERMAID_MAX_LABEL + 1, 'x');
  g_autofree char *ok_label = g_strnfill (WR_MERMAID_MAX_LABEL, 'x');
  g_autofree char *too_long = g_strdup_printf ("graph TD\nA[%s]", long_label);
  g_autofree char *just_right = g_strdup_printf ("graph TD\nA[%s] -->|%s| B", ok_label, ok_label);
  g_autofree char *long_edge = g_strdup_printf ("graph TD\nA -->|%s| B", long_label);
  g_autoptr(WrMermaidDiagram) ok = NULL;

  while (big->len <= WR_MERMAID_MAX_SOURCE)
    g_string_append (big, "%% padding padding padding padding padding padding\n");
  assert_too_large (big->str, big->len, "256 KiB");

  for (guint i = 0; i <= WR_MERMAID_MAX_NODES; i++)
    g_string_append_printf (nodes, "n%u\n", i);
  assert_too_large (nodes->str, -1, "2000 nodes");

  /* 71 × 71 = 5041 links from groups */
  for (guint side = 0; side < 2; side++)
    {
      for (guint i = 0; i < 71; i++)
        g_string_append_printf (edges, "%s%c%u", i > 0 ? " & " : "", side == 0 ? 'a' : 'b', i);
      if (side == 0)
        g_string_append (edges, " --> ");
    }
  assert_too_large (edges->str, -1, "5000 links");

  assert_too_large (too_long, -1, "500 characters");
  assert_too_large (long_edge, -1, "500 characters");
  ok = parse_ok (just_right);
  g_assert_cmpuint (ok->nodes->len, ==, 2);
}

/* Layout */

static WrMermaidDiagram *
laid_out (const char *source)
{
  WrMermaidDiagram *d = parse_ok (source);

  wr_mermaid_layout (d, NULL, wr_mermaid_style_light ());
  g_assert_true (d->laid_out);
  return d;
}

static gboolean
boxes_overlap (WrMermaidNode *a,
               WrMermaidNode *b)
{
  return fabs (a->x - b->x) < (a->width + b->width) / 2 &&
         fabs (a->y - b->y) < (a->height + b->height) / 2;
}

/* Every node box apart, every point inside the diagram, and every edge
 * starting and ending on its nodes' borders. */
static void
assert_layout_sane (WrMermaidDiagram *d)
{
  for (guint i = 0; i < d->nodes->len; i++)
    {
      WrMermaidNode *a = g_ptr_array_index (d->nodes, i);

      g_assert_cmpfloat (a->x - a->width / 2, >=, 0);
      g_assert_cmpfloat (a->y - a->height / 2, >=, 0);
      g_assert_cmpfloat (a->x + a->width / 2, <=, d->width);
      g_assert_cmpfloat (a->y + a->height / 2, <=, d->height);
      for (guint j = i + 1; j < d->nodes->len; j++)
        if (boxes_overlap (a, g_ptr_array_index (d->nodes, j)))
          g_error ("nodes %s and %s overlap", a->id, ((WrMermaidNode *) g_ptr_array_index (d->nodes, j))->id);
    }

  for (guint e = 0; e < d->edges->len; e++)
    {
      WrMermaidEdge *edge = g_ptr_array_index (d->edges, e);
      WrMermaidNode *ends[2] = { g_ptr_array_index (d->nodes, edge->from), g_ptr_array_index (d->nodes, edge->to) };
      guint last = edge->n_points - 1;

      g_assert_cmpuint (edge->n_points, >=, 2);
      for (guint i = 0; i < edge->n_points; i++)
        {
          g_assert_true (isfinite (edge->points[2 * i]) && isfinite (edge->points[2 * i + 1]));
          g_assert_cmpfloat (edge->points[2 * i], >=, 0);
          g_assert_cmpfloat (edge->points[2 * i], <=, d->width);
        }
      for (guint k = 0; k < 2; k++)
        {
          WrMermaidNode *node = ends[k];
          double px = edge->points[2 * (k == 0 ? 0 : last)];
          double py = edge->points[2 * (k == 0 ? 0 : last) + 1];
          double dx = px - node->x, dy = py - node->y;
          double len = hypot (dx, dy);

          g_assert_cmpfloat (len, >, 1);
          dx /= len;
          dy /= len;
          /* Half a pixel in is inside the shape, half a pixel out is not. */
          if (!_wr_mermaid_node_contains (node, px - dx * 0.5, py - dy * 0.5) ||
              _wr_mermaid_node_contains (node, px + dx * 0.5, py + dy * 0.5))
            g_error ("edge %u (%s → %s) does not end on the border of %s (shape %d) at %.2f,%.2f",
                     e, ends[0]->id, ends[1]->id, node->id, node->shape, px, py);
        }
    }
}

static void
test_layout_ranks (void)
{
  static const char * const sources[] = {
    "graph TD\nA-->B\nA-->C\nB-->D\nC-->D\nD-->E\nA-->E\nF-->E",
    "graph TD\nA-->|one|B\nA-->C-->D-->|two|E\nB-->E",
  };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr(WrMermaidDiagram) d = laid_out (sources[s]);

      assert_layout_sane (d);
      for (guint e = 0; e < d->edges->len; e++)
        {
          WrMermaidEdge *edge = edge_at (d, e);
          WrMermaidNode *from = g_ptr_array_index (d->nodes, edge->from);
          WrMermaidNode *to = g_ptr_array_index (d->nodes, edge->to);

          g_assert_cmpint (to->rank, >, from->rank);
          g_assert_cmpfloat (to->y, >, from->y);
        }
    }

  /* The other directions turn the same ranks. */
  {
    g_autoptr(WrMermaidDiagram) lr = laid_out ("graph LR\nA-->B-->C");
    g_autoptr(WrMermaidDiagram) bt = laid_out ("graph BT\nA-->B-->C");
    g_autoptr(WrMermaidDiagram) rl = laid_out ("graph RL\nA-->B-->C");

    g_assert_cmpfloat (node_by_id (lr, "A")->x, <, node_by_id (lr, "B")->x);
    g_assert_cmpfloat (node_by_id (lr, "B")->x, <, node_by_id (lr, "C")->x);
    g_assert_cmpfloat (node_by_id (bt, "A")->y, >, node_by_id (bt, "B")->y);
    g_assert_cmpfloat (node_by_id (rl, "A")->x, >, node_by_id (rl, "C")->x);
    assert_layout_sane (lr);
    assert_layout_sane (bt);
    assert_layout_sane (rl);
  }
}

static void
test_layout_shapes_and_cycles (void)
{
  static const char * const directions[] = { "TD", "LR", "BT", "RL" };

  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    {
      g_autofree char *source = g_strdup_printf (
        "flowchart %s\n"
        "a[Rect] --> b(Round) --> c([Stadium]) --> d((Circle)) --> e{Rhombus?}\n"
        "e -->|yes| f{{Hexagon}} --> g>Flag] --> h[[Subroutine]] --> i[(Cylinder)]\n"
        "i --> j[/Parallelogram/] --> a\n"
        "e -- no --> a\n"
        "d --> d\n"
        "a & b & c --> k[A much longer label that has to wrap over more than one line in the node]\n",
        directions[i]);
      g_autoptr(WrMermaidDiagram) d = laid_out (source);

      assert_layout_sane (d);
    }
}

static void
test_layout_no_overlap_large (void)
{
  g_autoptr(GString) source = g_string_new ("graph TD\n");
  g_autoptr(WrMermaidDiagram) d = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 1; i < 150; i++)
    {
      g_string_append_printf (source, "n%u --> n%u\n", g_rand_int_range (rand, 0, i), i);
      if (i % 3 == 0)
        g_string_append_printf (source, "n%u -->|l%u| n%u\n", i, i, g_rand_int_range (rand, 0, 150));
    }
  g_rand_free (rand);
  d = laid_out (source->str);
  assert_layout_sane (d);
}

static void
test_layout_subgraph_boxes (void)
{
  g_autoptr(WrMermaidDiagram) d = laid_out (
    "graph TD\n"
    "X --> A1\n"
    "subgraph Outer\n"
    "  A1 --> A2\n"
    "  subgraph Inner\n"
    "    B1 --> B2\n"
    "  end\n"
    "end\n"
    "A2 --> B1\n"
    "subgraph Empty\n"
    "end\n");
  WrMermaidSubgraph *outer = g_ptr_array_index (d->subgraphs, 0);
  WrMermaidSubgraph *inner = g_ptr_array_index (d->subgraphs, 1);
  WrMermaidSubgraph *empty = g_ptr_array_index (d->subgraphs, 2);
  const char *members[] = { "A1", "A2", "B1", "B2" };

  assert_layout_sane (d);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      WrMermaidNode *n = node_by_id (d, members[i]);

      g_assert_cmpfloat (n->x - n->width / 2, >, outer->x);
      g_assert_cmpfloat (n->x + n->width / 2, <, outer->x + outer->width);
      g_assert_cmpfloat (n->y - n->height / 2, >, outer->y);
      g_assert_cmpfloat (n->y + n->height / 2, <, outer->y + outer->height);
    }
  g_assert_cmpfloat (inner->x, >, outer->x);
  g_assert_cmpfloat (inner->y + inner->height, <, outer->y + outer->height);
  g_assert_false (boxes_overlap (node_by_id (d, "X"), node_by_id (d, "A1")));
  g_assert_cmpfloat (empty->width, ==, 0);
}

static gboolean
node_in (WrMermaidDiagram *d,
         WrMermaidNode    *node,
         int               s)
{
  int t = node->subgraph;

  while (t >= 0 && t != s)
    t = ((WrMermaidSubgraph *) g_ptr_array_index (d->subgraphs, t))->parent;
  return t == s;
}

/* No subgraph box covers a node that is not in it. */
static void
test_layout_boxes_keep_strangers_out (void)
{
  static const char * const directions[] = { "TD", "LR" };

  for (guint k = 0; k < G_N_ELEMENTS (directions); k++)
    {
      g_autofree char *source = g_strdup_printf (
        "flowchart %s\n"
        "  start([Start]) --> read[/Read the order/]\n"
        "  read --> valid{Valid?}\n"
        "  valid -->|no| reject[Reject the order]\n"
        "  valid -->|yes| stock{In stock?}\n"
        "  stock -- no --> back[(Backorder queue)]\n"
        "  stock -- yes --> pack[[Pack items]]\n"
        "  subgraph Shipping\n"
        "    pack --> ship(Ship) --> notify>Notify customer]\n"
        "  end\n"
        "  subgraph Billing\n"
        "    invoice --> pay\n"
        "  end\n"
        "  back -.-> stock\n"
        "  valid --> invoice\n"
        "  reject & notify & pay --> done((Done))\n", directions[k]);
      g_autoptr(WrMermaidDiagram) d = laid_out (source);

      assert_layout_sane (d);
      for (guint s = 0; s < d->subgraphs->len; s++)
        {
          WrMermaidSubgraph *sub = g_ptr_array_index (d->subgraphs, s);

          for (guint i = 0; i < d->nodes->len; i++)
            {
              WrMermaidNode *n = g_ptr_array_index (d->nodes, i);

              if (node_in (d, n, s))
                continue;
              if (n->x + n->width / 2 > sub->x && n->x - n->width / 2 < sub->x + sub->width &&
                  n->y + n->height / 2 > sub->y && n->y - n->height / 2 < sub->y + sub->height)
                g_error ("%s: box %s covers %s", directions[k], sub->title, n->id);
            }
        }
    }
}

/* Drawing and export */

static guint
count_ink (cairo_surface_t *surface)
{
  guint ink = 0;
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + 4 * x);

        if (px != 0xffffffff)
          ink++;
      }
  return ink;
}

static void
test_draw_fits (void)
{
  g_autoptr(WrMermaidDiagram) d = laid_out ("graph LR\nA-->B-->C-->D-->E-->F-->G-->H");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 100);
  cairo_t *cr = cairo_create (surface);
  guint8 *data;
  int stride;
  guint right_edge_ink = 0, middle_ink = 0;

  g_assert_cmpfloat (d->width, >, 200);   /* so it has to shrink */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  wr_mermaid_draw (d, cr, 200, 100, wr_mermaid_style_dark ());
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpuint (count_ink (surface), >, 500);

  /* Scaled to fit: ink reaches near both ends, never past them. */
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 100; y++)
    {
      if (*(guint32 *) (data + y * stride + 4 * 190) != 0xffffffff)
        right_edge_ink++;
      if (*(guint32 *) (data + y * stride + 4 * 100) != 0xffffffff)
        middle_ink++;
    }
  g_assert_cmpuint (right_edge_ink, >, 0);
  g_assert_cmpuint (middle_ink, >, 0);
  cairo_surface_destroy (surface);
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-mermaid-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "d.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "d.svg", NULL);
  g_autofree char *txt = g_build_filename (dir, "d.txt", NULL);
  g_autofree char *svg_text = NULL;
  const char *source = "graph TD\nA[Start] --> B{Ready?}\nB -->|yes| C((Go))\nB -->|no| A";
  cairo_surface_t *image;

  g_assert_no_error (error);
  g_assert_true (wr_mermaid_export (source, png, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), >, 50);
  g_assert_cmpuint (count_ink (image), >, 500);
  cairo_surface_destroy (image);

  g_assert_true (wr_mermaid_export (source, svg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_nonnull (strstr (svg_text, "<svg"));

  /* A 400-node chain is ~50,000 px wide: the PNG is scaled down. */
  {
    g_autoptr(GString) chain = g_string_new ("graph LR\nn0");
    cairo_surface_t *wide;

    for (guint i = 1; i < 400; i++)
      g_string_append_printf (chain, " --> n%u", i);
    g_assert_true (wr_mermaid_export (chain->str, png, &error));
    g_assert_no_error (error);
    wide = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (wide), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (wide), <=, 8192);
    g_assert_cmpint (cairo_image_surface_get_width (wide), >=, 4000);
    cairo_surface_destroy (wide);
  }

  g_assert_false (wr_mermaid_export (source, txt, &error));
  g_assert_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (wr_mermaid_export ("sequenceDiagram\nA->>B: x", png, &error));
  g_assert_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* WR_MERMAID_SAMPLE_DIR keeps 10-node samples to look at. */
  for (guint k = 0; k < 2 && g_getenv ("WR_MERMAID_SAMPLE_DIR") != NULL; k++)
    {
      g_autofree char *name = g_strdup_printf ("mermaid-sample-%s.png", k == 0 ? "td" : "lr");
      g_autofree char *sample = g_build_filename (g_getenv ("WR_MERMAID_SAMPLE_DIR"), name, NULL);
      g_autofree char *text = g_strdup_printf (
        "flowchart %s\n"
        "  start([Start]) --> read[/Read the order/]\n"
        "  read --> valid{Valid?}\n"
        "  valid -->|no| reject[Reject the order]\n"
        "  valid -->|yes| stock{In stock?}\n"
        "  stock -- no --> back[(Backorder queue)]\n"
        "  stock -- yes --> pack[[Pack items]]\n"
        "  subgraph Shipping\n"
        "    pack --> ship(Ship) --> notify>Notify customer]\n"
        "  end\n"
        "  back -.-> stock\n"
        "  reject & notify --> done((Done))\n", k == 0 ? "TD" : "LR");

      g_assert_true (wr_mermaid_export (text, sample, &error));
      g_assert_no_error (error);
    }

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mermaid/parse/header", test_header);
  g_test_add_func ("/mermaid/parse/shapes", test_shapes);
  g_test_add_func ("/mermaid/parse/links", test_links);
  g_test_add_func ("/mermaid/parse/chains-and-groups", test_chains_and_groups);
  g_test_add_func ("/mermaid/parse/subgraph", test_subgraph);
  g_test_add_func ("/mermaid/parse/ignored-lines", test_ignored_lines);
  g_test_add_func ("/mermaid/parse/unsupported", test_unsupported);
  g_test_add_func ("/mermaid/parse/syntax-errors", test_syntax_errors);
  g_test_add_func ("/mermaid/parse/bounds", test_bounds);
  g_test_add_func ("/mermaid/layout/ranks", test_layout_ranks);
  g_test_add_func ("/mermaid/layout/shapes-and-cycles", test_layout_shapes_and_cycles);
  g_test_add_func ("/mermaid/layout/no-overlap-large", test_layout_no_overlap_large);
  g_test_add_func ("/mermaid/layout/subgraph-boxes", test_layout_subgraph_boxes);
  g_test_add_func ("/mermaid/layout/boxes-keep-strangers-out", test_layout_boxes_keep_strangers_out);
  g_test_add_func ("/mermaid/draw/fits", test_draw_fits);
  g_test_add_func ("/mermaid/export", test_export);

  return g_test_run ();
}
