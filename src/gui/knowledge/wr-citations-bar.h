/* wr-citations-bar.h — the sources under an answer that used the
 * project's knowledge: a numbered button per cited source ("[1] deck.pptx
 * · slide 3", the excerpt as tooltip) and the others in a "More Sources"
 * popover. Clicking one opens the source viewer at that place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "store/wr-store.h"

G_BEGIN_DECLS

#define WR_TYPE_CITATIONS_BAR (wr_citations_bar_get_type ())
G_DECLARE_FINAL_TYPE (WrCitationsBar, wr_citations_bar, WR, CITATIONS_BAR, GtkWidget)

GtkWidget *wr_citations_bar_new           (void);
/* Shows the citations of @json (a message's citations; NULL hides the
 * bar). @store (nullable) is where the sources are read from. */
void       wr_citations_bar_set_citations (WrCitationsBar *self,
                                           WrStore        *store,
                                           const char     *json);
/* Opens the viewer for source @n (an in-text [n]); FALSE when there is no
 * such document source. */
gboolean   wr_citations_bar_open_source   (WrCitationsBar *self,
                                           guint           n);
/* Sources shown as buttons, and in the popover (tests). */
guint      wr_citations_bar_get_n_cited   (WrCitationsBar *self);
guint      wr_citations_bar_get_n_more    (WrCitationsBar *self);
/* The button of source @n, or NULL (tests; transfer none). */
GtkWidget *wr_citations_bar_get_button    (WrCitationsBar *self,
                                           guint           n);
/* The last viewer opened (tests; transfer none, nullable). */
GtkWindow *wr_citations_bar_get_last_viewer (WrCitationsBar *self);

G_END_DECLS
