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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "workroom.h"

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
/* Whether a page is being read or waits to be. */
gboolean            wr_dataset_rows_model_get_busy      (WrDatasetRowsModel *self);

G_END_DECLS
