/* wr-chart-block.h — a ```chart block of an answer drawn as a chart (the
 * JSON form of docs/chart-spec.md) in a WrChartView. Its "Save as
 * Artifact" stores a chart artifact of the chat's project with the chat
 * and message set (found from the enclosing message row and chat view).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_CHART_BLOCK_HEIGHT 280

/* A chart of @source, or NULL and @error when @source is not a valid chart
 * (transfer floating). */
GtkWidget *_wr_chart_block_new            (const char  *source,
                                           GError     **error);

/* What saving stores without a chat view around (tests). */
void       _wr_chart_block_set_store      (GtkWidget   *block,
                                           WrStore     *store);
/* The id of the last artifact saved from @block, NULL before. */
const char *_wr_chart_block_get_saved_id  (GtkWidget   *block);

G_END_DECLS
