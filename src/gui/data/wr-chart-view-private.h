/* wr-chart-view-private.h — WrChartView internals for tests and hosts in
 * src/gui.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-chart-view.h"

G_BEGIN_DECLS

/* The tooltip text at (@x, @y) in widget coordinates, NULL when nothing is
 * there (transfer full). */
char       *_wr_chart_view_dup_tooltip_at   (WrChartView *self,
                                             double       x,
                                             double       y);
/* The text of the keyboard-selected point, NULL when none. */
const char *_wr_chart_view_get_focus_text   (WrChartView *self);
/* What screen readers hear as the description. */
const char *_wr_chart_view_get_summary      (WrChartView *self);
/* The last export error shown, NULL when none. */
const char *_wr_chart_view_get_error_text   (WrChartView *self);
/* Whether it draws in the dark style now. */
gboolean    _wr_chart_view_is_dark          (WrChartView *self);

/* What Export… does after the file chooser: writes @file (PNG, SVG or PDF
 * by its extension) in a worker thread. */
void        _wr_chart_view_export_async     (WrChartView         *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    _wr_chart_view_export_finish    (WrChartView         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
