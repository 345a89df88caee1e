/* wr-mermaid.h — Mermaid flowcharts parsed, laid out and drawn natively
 * with Cairo and Pango (no widgets, no network, no script).
 *
 * Parsed: a "graph" / "flowchart" header with TD, TB, BT, LR or RL; nodes
 * (id, id[text], id(text), id([text]), id((text)), id{text}, id{{text}},
 * id>text], id[[text]], id[(text)], id[/text/], quoted "text"); links
 * (-->, ---, -.->, -.-, ==>, ===, ~~~, longer forms, -- text -->,
 * -->|text|), chains (A --> B --> C), groups (A & B --> C), subgraph …
 * end, %% comments and ; separators. classDef, class, style, linkStyle
 * and click lines are skipped (click never does anything). Other diagram
 * types fail with WR_MERMAID_ERROR_UNSUPPORTED.
 *
 * Layout is layered (Sugiyama-style): cycles broken by reversing DFS back
 * edges, longest-path ranks, long edges through virtual nodes, barycenter
 * sweeps against crossings, node sizes from the Pango-measured labels.
 *
 * Threading: a diagram belongs to one thread at a time; parse and layout
 * may run in a worker thread (layout uses its own Pango font map when
 * given no context), drawing on any cairo_t.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pango.h>

G_BEGIN_DECLS

#define WR_MERMAID_MAX_SOURCE (256 * 1024)   /* bytes */
#define WR_MERMAID_MAX_NODES  2000
#define WR_MERMAID_MAX_EDGES  5000
#define WR_MERMAID_MAX_LABEL  500            /* characters */

#define WR_MERMAID_ERROR (wr_mermaid_error_quark ())
typedef enum {
  WR_MERMAID_ERROR_UNSUPPORTED,   /* not a flowchart */
  WR_MERMAID_ERROR_SYNTAX,        /* a flowchart we cannot read */
  WR_MERMAID_ERROR_TOO_LARGE,     /* over one of the bounds above */
  WR_MERMAID_ERROR_FAILED,        /* writing an export failed */
} WrMermaidError;
GQuark wr_mermaid_error_quark (void);

typedef enum {
  WR_MERMAID_TD,   /* also TB */
  WR_MERMAID_BT,
  WR_MERMAID_LR,
  WR_MERMAID_RL,
} WrMermaidDirection;

typedef enum {
  WR_MERMAID_SHAPE_RECT,         /* id, id[text] */
  WR_MERMAID_SHAPE_ROUND,        /* id(text) */
  WR_MERMAID_SHAPE_STADIUM,      /* id([text]) */
  WR_MERMAID_SHAPE_CIRCLE,       /* id((text)), id(((text))) */
  WR_MERMAID_SHAPE_RHOMBUS,      /* id{text} */
  WR_MERMAID_SHAPE_HEXAGON,      /* id{{text}} */
  WR_MERMAID_SHAPE_ASYMMETRIC,   /* id>text] */
  WR_MERMAID_SHAPE_SUBROUTINE,   /* id[[text]] */
  WR_MERMAID_SHAPE_CYLINDER,     /* id[(text)] */
  WR_MERMAID_SHAPE_PARALLELOGRAM,/* id[/text/], id[\text\], id[/text\]… */
} WrMermaidShape;

typedef enum {
  WR_MERMAID_LINE_SOLID,
  WR_MERMAID_LINE_DOTTED,
  WR_MERMAID_LINE_THICK,
  WR_MERMAID_LINE_INVISIBLE,     /* ~~~: placement only */
} WrMermaidLine;

typedef struct {
  char           *id;
  char           *label;      /* "\n" between lines; the id when none */
  WrMermaidShape  shape;
  int             subgraph;   /* innermost subgraph index, -1 for none */
  /* after layout: */
  int             rank;
  double          x, y;       /* centre */
  double          width, height;
} WrMermaidNode;

typedef struct {
  guint          from, to;    /* node indexes */
  char          *label;       /* nullable */
  WrMermaidLine  line;
  gboolean       arrow_end;
  gboolean       arrow_start; /* <--> */
  guint          length;      /* 1 for -->, 2 for --->… */
  /* after layout: a polyline from the border of "from" to the border of
   * "to" (x0, y0, x1, y1…), at least two points */
  double        *points;
  guint          n_points;
  double         label_x, label_y;            /* centre */
  double         label_width, label_height;
} WrMermaidEdge;

typedef struct {
  char   *id;
  char   *title;
  int     parent;             /* enclosing subgraph index, -1 for none */
  /* after layout (0 × 0 when it holds no node): */
  double  x, y, width, height;  /* top-left and size */
} WrMermaidSubgraph;

typedef struct {
  WrMermaidDirection direction;
  GPtrArray *nodes;       /* element-type WrMermaidNode */
  GPtrArray *edges;       /* element-type WrMermaidEdge */
  GPtrArray *subgraphs;   /* element-type WrMermaidSubgraph */
  /* after layout: everything lies in 0…width × 0…height */
  gboolean   laid_out;
  double     width, height;
} WrMermaidDiagram;

typedef struct {
  double r, g, b;
} WrMermaidColor;

typedef struct {
  WrMermaidColor fg;            /* text */
  WrMermaidColor bg;            /* background (exports) */
  WrMermaidColor node_fill;
  WrMermaidColor node_stroke;
  WrMermaidColor edge;
  WrMermaidColor label_bg;      /* behind edge labels */
  WrMermaidColor subgraph_fill;
  WrMermaidColor subgraph_stroke;
  double         font_size;     /* px */
} WrMermaidStyle;

const WrMermaidStyle *wr_mermaid_style_light (void);
const WrMermaidStyle *wr_mermaid_style_dark  (void);

/* Parses @source (@length bytes, -1 for NUL-terminated). Returns the
 * diagram, not laid out (transfer full), or NULL with @error set: the
 * message is translated and says what to do. */
WrMermaidDiagram *wr_mermaid_parse         (const char        *source,
                                            gssize             length,
                                            GError           **error);
void              wr_mermaid_diagram_free  (WrMermaidDiagram  *diagram);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrMermaidDiagram, wr_mermaid_diagram_free)

/* Measures the labels with @style's font size and places everything.
 * @context (nullable) measures text; NULL uses a private Pango font map,
 * safe in any thread. */
void              wr_mermaid_layout        (WrMermaidDiagram      *diagram,
                                            PangoContext          *context,
                                            const WrMermaidStyle  *style);

/* Draws a laid-out diagram centred in @width × @height, scaled down to
 * fit (never up). The background is left as it is. */
void              wr_mermaid_draw          (const WrMermaidDiagram *diagram,
                                            cairo_t                *cr,
                                            double                  width,
                                            double                  height,
                                            const WrMermaidStyle   *style);

/* Parses, lays out and writes @source as PNG or SVG by @path's extension,
 * at natural size (PNG scaled down to at most 8192 px each way and 16.7
 * million pixels), in the light style on its background. Blocks. */
gboolean          wr_mermaid_export        (const char        *source,
                                            const char        *path,
                                            GError           **error);

G_END_DECLS
