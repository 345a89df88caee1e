/* wr-mermaid-private.h — what the Mermaid parser, layout and drawing
 * share, and what the tests check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-mermaid.h"

G_BEGIN_DECLS

#define WR_MERMAID_NODE_WRAP   240.0   /* px: node labels wrap here */
#define WR_MERMAID_EDGE_WRAP   180.0   /* px: edge labels wrap here */

/* Whether (@x, @y) lies inside @node's laid-out shape (border included). */
gboolean _wr_mermaid_node_contains (const WrMermaidNode *node,
                                    double               x,
                                    double               y);

/* The Pango font description labels use at @font_size px (transfer full). */
PangoFontDescription *_wr_mermaid_font (double font_size);

G_END_DECLS
