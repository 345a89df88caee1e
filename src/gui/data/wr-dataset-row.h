/* wr-dataset-row.h — one row of a dataset as the table shows it: its
 * position and, once its page has been read, its cells.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WR_TYPE_DATASET_ROW (wr_dataset_row_get_type ())
G_DECLARE_FINAL_TYPE (WrDatasetRow, wr_dataset_row, WR, DATASET_ROW, GObject)

/* @cells: the row's JSON array (a reference is taken), NULL while loading. */
WrDatasetRow *wr_dataset_row_new           (guint         position,
                                            JsonArray    *cells);
guint         wr_dataset_row_get_position  (WrDatasetRow *self);
gboolean      wr_dataset_row_get_loaded    (WrDatasetRow *self);
/* Fills a row handed out while loading, or (NULL) empties it again when
 * the order it belongs to changed (the rows model does both). */
void          wr_dataset_row_set_cells     (WrDatasetRow *self,
                                            JsonArray    *cells);
/* The cell's text ("" for empty cells and rows still loading). */
char         *wr_dataset_row_dup_cell      (WrDatasetRow *self,
                                            guint         column);

/* A factory for a GtkColumnView column of WrDatasetRow items: a
 * one-line, ellipsized label of cell @column (right-aligned, tabular
 * figures when @numeric), updated when the row's page arrives or a new
 * order refills it. */
GtkListItemFactory *wr_dataset_row_cell_factory_new (guint    column,
                                                     gboolean numeric);

G_END_DECLS
