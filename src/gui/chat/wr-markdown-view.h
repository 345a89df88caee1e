/* wr-markdown-view.h — shows markdown as a column of wrapped, selectable
 * labels and code frames. Updating the text re-renders only the blocks
 * that changed (see wr_markdown_diff()), so streaming stays cheap. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WR_TYPE_MARKDOWN_VIEW (wr_markdown_view_get_type ())
G_DECLARE_FINAL_TYPE (WrMarkdownView, wr_markdown_view, WR, MARKDOWN_VIEW, GtkWidget)

GtkWidget *wr_markdown_view_new      (void);
/* Shows @text. While a reply streams, pass @final = FALSE so only the last
 * top-level block is parsed again; pass TRUE once it is complete. */
void       wr_markdown_view_set_text (WrMarkdownView *self,
                                      const char     *text,
                                      gboolean        final);
/* Makes each in-text [n] (1 ≤ n ≤ @n_sources; 0 = none) a link that
 * emits "citation-activated" (guint n) once the text is final. */
void       wr_markdown_view_set_n_citations (WrMarkdownView *self,
                                             guint           n_sources);
/* How many blocks are shown (tests). */
guint      wr_markdown_view_get_n_blocks (WrMarkdownView *self);

G_END_DECLS
