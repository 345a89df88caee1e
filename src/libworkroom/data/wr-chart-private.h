/* wr-chart-private.h — wr-chart.c internals exposed for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A 1/2/5×10^n step so that [@min, @max] holds at most @max_ticks ticks;
 * *@out_first is the first multiple of the step ≥ @min. */
double _wr_chart_nice_step (double  min,
                            double  max,
                            int     max_ticks,
                            double *out_first);

/* Min and max y per pixel column of [@x0, @x1] over @columns columns;
 * @occupied[c] is TRUE where a point fell. Returns the occupied count. */
guint  _wr_chart_decimate  (const double *x,
                            const double *y,
                            gsize         n,
                            double        x0,
                            double        x1,
                            guint         columns,
                            double       *out_min,
                            double       *out_max,
                            gboolean     *occupied);

G_END_DECLS
