/* wr-filter-bar.h — sorting, filtering and column statistics of the
 * dataset table on the Data page.
 *
 * The bar sits above the table: a filter entry (rows containing the text
 * in any column, any case; runs 200 ms after typing stops, or on Enter),
 * the per-column conditions added from a column header's menu (each a
 * button that removes it), the status line ("12,345 of 1,000,000 rows"),
 * and, while a query or statistics run, a progress bar and Stop. It drives
 * the table given to wr_filter_bar_set_table(): column headers sort
 * (wr-column-header.h), queries run in a worker thread
 * (wr_dataset_query_run_async()) and their result replaces the rows
 * model's order only when complete, so the table stays scrollable
 * meanwhile; Column Statistics open a WrColumnStatsPopover over the
 * column. Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "wr-column-stats-popover.h"
#include "wr-dataset-rows-model.h"
#include "data/wr-dataset.h"
#include "data/wr-dataset-query.h"

G_BEGIN_DECLS

#define WR_TYPE_FILTER_BAR (wr_filter_bar_get_type ())
G_DECLARE_FINAL_TYPE (WrFilterBar, wr_filter_bar, WR, FILTER_BAR, GtkBox)

GtkWidget   *wr_filter_bar_new            (void);
/* Drives @view (whose columns are @info's, in order) over @rows; NULL
 * @info: none (the bar hides). Any query or statistics running for the
 * previous table are cancelled. */
void         wr_filter_bar_set_table      (WrFilterBar         *self,
                                           WrStore             *store,
                                           const WrDatasetInfo *info,
                                           GtkColumnView       *view,
                                           WrDatasetRowsModel  *rows);
/* Ctrl+F: focuses the filter entry. */
void         wr_filter_bar_focus_filter   (WrFilterBar         *self);
/* The filter entry's text is @text (as if typed; runs after the delay). */
void         wr_filter_bar_set_text       (WrFilterBar         *self,
                                           const char          *text);
/* As the condition editor's Add Filter does. */
void         wr_filter_bar_add_condition  (WrFilterBar         *self,
                                           guint                column,
                                           WrDatasetOp          op,
                                           const char          *value);
/* Opens Column Statistics of dataset column @column. */
void         wr_filter_bar_show_stats     (WrFilterBar         *self,
                                           guint                column);
/* The status line's text. */
const char  *wr_filter_bar_get_status     (WrFilterBar         *self);
/* Whether a query or statistics are running (or a filter waits to run). */
gboolean     wr_filter_bar_get_busy       (WrFilterBar         *self);
/* The sort the table shows: column (-1: file order) and direction. */
int          wr_filter_bar_get_sort       (WrFilterBar         *self,
                                           gboolean            *descending);
WrColumnStatsPopover *wr_filter_bar_get_stats_popover (WrFilterBar *self);   /* nullable */

G_END_DECLS
