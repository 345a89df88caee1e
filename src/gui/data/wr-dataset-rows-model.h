/* wr-dataset-rows-model.h — a GListModel of a dataset's rows
 * (WrDatasetRow) that reads them lazily.
 *
 * n_items is the dataset's row count. Rows are read in pages of
 * WR_DATASET_ROWS_PAGE in a worker thread the first time one of them is
 * asked for; until then the row handed out has no cells, and it is filled
 * (notify::loaded) when its page arrives. The model never emits
 * items-changed: rows keep their height, so the view's scroll position
 * stays consistent while pages arrive. At most WR_DATASET_ROWS_MAX_PAGES pages
 * are kept (least recently used go first), and only the pages asked for
 * last are read, so memory stays bounded and fast scrolling does not queue
 * reads of pages already scrolled past. Main thread only.
 *
 * With a query result set (wr_dataset_rows_model_set_result()) the model
 * holds the result's rows, in its order: n_items is the result's row
 * count, and a page is WR_DATASET_ROWS_PAGE consecutive positions of the
 * result, read by row index. Rows handed out keep their positions across
 * a new order: they are emptied (notify::loaded) and refilled when their
 * page arrives; items-changed is only emitted for a change of length, at
 * the end of the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "workroom.h"
#include "data/wr-dataset-query.h"

G_BEGIN_DECLS

#define WR_DATASET_ROWS_PAGE      500
#define WR_DATASET_ROWS_MAX_PAGES 8

#define WR_TYPE_DATASET_ROWS_MODEL (wr_dataset_rows_model_get_type ())
G_DECLARE_FINAL_TYPE (WrDatasetRowsModel, wr_dataset_rows_model, WR, DATASET_ROWS_MODEL, GObject)

WrDatasetRowsModel *wr_dataset_rows_model_new           (WrStore            *store,
                                                         const char         *dataset_id,
                                                         guint               n_rows);
const char         *wr_dataset_rows_model_get_dataset_id (WrDatasetRowsModel *self);
/* Pages read so far, and pages held now (≤ WR_DATASET_ROWS_MAX_PAGES). */
guint               wr_dataset_rows_model_get_n_fetched (WrDatasetRowsModel *self);
guint               wr_dataset_rows_model_get_n_cached  (WrDatasetRowsModel *self);
/* Shows @result's rows in its order (NULL: every row in file order); rows
 * read are padded to @n_columns. A read of the previous order still
 * running is dropped. */
void                wr_dataset_rows_model_set_result    (WrDatasetRowsModel *self,
                                                         WrDatasetResult    *result,
                                                         guint               n_columns);
WrDatasetResult    *wr_dataset_rows_model_get_result    (WrDatasetRowsModel *self);   /* nullable, transfer none */
/* The dataset's row count (n_items without a result). */
guint               wr_dataset_rows_model_get_n_total   (WrDatasetRowsModel *self);
/* Whether a page is being read or waits to be. */
gboolean            wr_dataset_rows_model_get_busy      (WrDatasetRowsModel *self);

G_END_DECLS
