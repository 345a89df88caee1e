/* wr-humanize-history-row.h — one rewrite in the humanize page's list of
 * recent rewrites: its first line, tone and time, and a Delete button
 * (action humanize.delete-rewrite with the rewrite's id). */
#pragma once

#include <gtk/gtk.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_HUMANIZE_HISTORY_ROW (wr_humanize_history_row_get_type ())
G_DECLARE_FINAL_TYPE (WrHumanizeHistoryRow, wr_humanize_history_row, WR, HUMANIZE_HISTORY_ROW, GtkWidget)

GtkWidget *wr_humanize_history_row_new  (void);
/* @rewrite: nullable (unbinds). */
void       wr_humanize_history_row_bind (WrHumanizeHistoryRow *self,
                                         WrHumanizeRewrite    *rewrite);
/* "Caring · 14:02", "Bold · 3 Mar · Partial" (transfer full) */
char      *wr_humanize_history_row_format_caption (WrHumanizeRewrite *rewrite);

G_END_DECLS
