/* wr-mermaid-view.h — a Mermaid diagram drawn natively with Cairo from
 * libworkroom's parser (no network, no script): flowcharts ("graph" /
 * "flowchart") are drawn; other diagram types, and sources the parser
 * refuses, show a message saying why, and the host shows the source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WR_TYPE_MERMAID_VIEW (wr_mermaid_view_get_type ())
G_DECLARE_FINAL_TYPE (WrMermaidView, wr_mermaid_view, WR, MERMAID_VIEW, GtkWidget)

GtkWidget *wr_mermaid_view_new        (void);
void       wr_mermaid_view_set_source (WrMermaidView *self,
                                       const char    *source);
/* Whether the last source could be drawn ("can-render" notifies). */
gboolean   wr_mermaid_view_get_can_render (WrMermaidView *self);

G_END_DECLS
