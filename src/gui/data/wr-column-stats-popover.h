/* wr-column-stats-popover.h — "Column Statistics": the counts, range,
 * mean and sum, earliest and latest, or most frequent values of one
 * column of a dataset, with a 20-bin histogram drawn for number columns.
 * The popover only shows what it is given; its owner computes the
 * statistics in a worker thread (wr_dataset_compute_stats_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "data/wr-dataset-query.h"

G_BEGIN_DECLS

#define WR_TYPE_COLUMN_STATS_POPOVER (wr_column_stats_popover_get_type ())
G_DECLARE_FINAL_TYPE (WrColumnStatsPopover, wr_column_stats_popover, WR, COLUMN_STATS_POPOVER, GtkPopover)

GtkWidget *wr_column_stats_popover_new         (void);
/* Shows that the statistics of @column (named @name) are being computed. */
void       wr_column_stats_popover_set_loading (WrColumnStatsPopover *self,
                                                guint                 column,
                                                const char           *name);
/* Shows @stats (a copy of what is shown is kept). */
void       wr_column_stats_popover_set_stats   (WrColumnStatsPopover *self,
                                                const WrColumnStats  *stats);
void       wr_column_stats_popover_set_error   (WrColumnStatsPopover *self,
                                                const char           *message);
/* The column shown, G_MAXUINT when none. */
guint      wr_column_stats_popover_get_column  (WrColumnStatsPopover *self);
/* What the popover shows, one "Label: value" line per figure (for
 * tests and screen readers; transfer full). */
char      *wr_column_stats_popover_dup_text    (WrColumnStatsPopover *self);

G_END_DECLS
