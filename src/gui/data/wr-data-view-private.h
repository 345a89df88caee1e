/* wr-data-view-private.h — what tests of the Data page look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-data-view.h"
#include "wr-dataset-rows-model.h"
#include "wr-filter-bar.h"

G_BEGIN_DECLS

/* Imports @file as the file chooser would. */
void                _wr_data_view_import_file      (WrDataView *self,
                                                    GFile      *file);
void                _wr_data_view_cancel_import    (WrDataView *self);
gboolean            _wr_data_view_get_importing    (WrDataView *self);
/* Progress reports of the last import, and the last fraction. */
guint               _wr_data_view_get_n_progress   (WrDataView *self);
double              _wr_data_view_get_progress     (WrDataView *self);
/* Whether the dataset list is loading. */
gboolean            _wr_data_view_get_loading      (WrDataView *self);
/* The datasets listed (element-type WrDatasetInfo, transfer none). */
GPtrArray          *_wr_data_view_get_datasets     (WrDataView *self);
const char         *_wr_data_view_get_selected_id  (WrDataView *self);   /* nullable */
void                _wr_data_view_select_dataset   (WrDataView *self,
                                                    const char *id);
/* The error shown inline, or NULL when none is shown. */
const char         *_wr_data_view_get_error        (WrDataView *self);
GtkColumnView      *_wr_data_view_get_column_view  (WrDataView *self);
WrDatasetRowsModel *_wr_data_view_get_rows_model   (WrDataView *self);   /* nullable */
/* Sort, filter and statistics of the table (wr-filter-bar.h). */
WrFilterBar        *_wr_data_view_get_filter_bar   (WrDataView *self);
/* "no-project", "empty" or "data". */
const char         *_wr_data_view_get_page         (WrDataView *self);

G_END_DECLS
