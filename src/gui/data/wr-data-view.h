/* wr-data-view.h — the Data page of a project: its datasets, the rows of
 * the selected one in a table that reads them as they scroll into view,
 * and CSV/TSV/XLSX imports running in the background with progress and
 * Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_DATA_VIEW (wr_data_view_get_type ())
G_DECLARE_FINAL_TYPE (WrDataView, wr_data_view, WR, DATA_VIEW, AdwBin)

GtkWidget *wr_data_view_new         (WrSession  *session);
/* Shows @project's datasets (NULL: none). Loads asynchronously. */
void       wr_data_view_set_project (WrDataView *self,
                                     WrProject  *project);
WrProject *wr_data_view_get_project (WrDataView *self);   /* nullable */

G_END_DECLS
