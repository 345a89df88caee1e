/* wr-column-header.h — what a dataset table's column header offers: a
 * click sorts by the column (again: descending; the owner turns a third
 * click into file order), the sort indicator, and a menu (right click)
 * with Sort Ascending/Descending, Original Order, Filter… and Column
 * Statistics, as "table.*" actions the owner inserts on the column view:
 *   table.sort-ascending (i), table.sort-descending (i), table.clear-sort,
 *   table.filter-column (i), table.column-stats (i)
 * where i is the column's index in the dataset.
 *
 * The view's model is never sorted by GTK: each column gets a sorter that
 * only tells which column and direction the header asks for, and the
 * owner runs the query (wr-dataset-query.h). Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets @column's sorter and header menu; @index is its dataset column. */
void  wr_column_header_setup    (GtkColumnViewColumn *column,
                                 guint                index);
/* The dataset column @view is sorted by (-1: none) and its direction. */
int   wr_column_header_get_sort (GtkColumnView       *view,
                                 gboolean            *descending);
/* The view's column set up for dataset column @index (transfer none), or NULL. */
GtkColumnViewColumn *wr_column_header_find (GtkColumnView *view,
                                            guint          index);

G_END_DECLS
