/* wr-chart.h — charts drawn with Cairo, shared by the CLI and the GUI (no
 * widgets): a WrChartSpec (what to draw) from a small JSON form or from a
 * dataset, drawn on any cairo_t or exported to PNG, SVG or PDF.
 *
 * JSON form (wr_chart_spec_new_from_json):
 *
 *   { "type": "bar" | "line" | "area" | "scatter" | "pie",
 *     "title": "…", "x_label": "…", "y_label": "…",     (all optional)
 *     "categories": ["Jan", …],          (optional: the order of string x)
 *     "series": [ { "name": "…",                         (optional)
 *                   "x": [1, 2.5, …] or ["Jan", "Feb", …], (optional: 0, 1, 2…)
 *                   "y": [3, 4, …] } ] }
 *
 * x holds numbers or strings (categories), the same kind in every series;
 * categories are shared by all series in order of first appearance. x and
 * y must have the same length, y numbers; at most WR_CHART_MAX_POINTS
 * points in all. A pie draws the first series, one slice per point.
 *
 * Line, area and scatter charts are decimated when drawn (min/max y per
 * pixel column; one dot per occupied pixel), so a million points draw in
 * a few milliseconds. Line and area expect x ascending.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "store/wr-store.h"

G_BEGIN_DECLS

#define WR_CHART_MAX_POINTS 5000000
#define WR_CHART_PALETTE_SIZE 8

#define WR_CHART_ERROR (wr_chart_error_quark ())
typedef enum {
  WR_CHART_ERROR_INVALID,     /* bad spec or arguments */
  WR_CHART_ERROR_TOO_LARGE,   /* more than WR_CHART_MAX_POINTS points */
  WR_CHART_ERROR_FAILED,      /* writing the file failed */
} WrChartError;
GQuark wr_chart_error_quark (void);

typedef enum {
  WR_CHART_BAR,
  WR_CHART_LINE,
  WR_CHART_AREA,
  WR_CHART_SCATTER,
  WR_CHART_PIE,
} WrChartType;

typedef enum {
  WR_CHART_AGG_SUM,
  WR_CHART_AGG_MEAN,
  WR_CHART_AGG_COUNT,
} WrChartAggregate;

typedef struct {
  char   *name;     /* nullable */
  double *x;        /* numbers, or indexes into the spec's categories */
  double *y;
  gsize   n;
} WrChartSeries;

typedef struct {
  WrChartType  type;
  char        *title;       /* nullable */
  char        *x_label;     /* nullable */
  char        *y_label;     /* nullable */
  GPtrArray   *categories;  /* element-type utf8; NULL when x is numeric */
  GPtrArray   *series;      /* element-type WrChartSeries */
} WrChartSpec;

typedef struct {
  double r, g, b;
} WrChartColor;

typedef struct {
  WrChartColor fg;
  WrChartColor bg;
  WrChartColor grid;
  WrChartColor palette[WR_CHART_PALETTE_SIZE];
  double       font_size;   /* px */
} WrChartStyle;

const WrChartStyle *wr_chart_style_light (void);
const WrChartStyle *wr_chart_style_dark  (void);

/* "bar", "line"… → TRUE and *@out_type; FALSE for anything else. */
gboolean      wr_chart_type_from_string      (const char        *name,
                                              WrChartType       *out_type);
gboolean      wr_chart_aggregate_from_string (const char        *name,
                                              WrChartAggregate  *out_agg);

WrChartSpec  *wr_chart_spec_new              (WrChartType        type);
void          wr_chart_spec_free             (WrChartSpec       *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrChartSpec, wr_chart_spec_free)

/* Adds a series (copies @x and @y; @x NULL means 0, 1, 2…). */
void          wr_chart_spec_add_series       (WrChartSpec       *spec,
                                              const char        *name,
                                              const double      *x,
                                              const double      *y,
                                              gsize              n);

WrChartSpec  *wr_chart_spec_new_from_json    (const char        *json,
                                              gssize             length,
                                              GError           **error);

/* Reads the whole dataset @dataset_id (blocking) and aggregates @y_column
 * per distinct @x_column value (and per @group_column value, one series
 * each; nullable). Count ignores @y_column's values (it may be NULL).
 * x is numeric (ascending) when every x cell is a number, categories in
 * order of first appearance otherwise. Rows whose y is not a number are
 * skipped for sum and mean. */
WrChartSpec  *wr_chart_spec_new_from_dataset (WrStore           *store,
                                              const char        *dataset_id,
                                              WrChartType        type,
                                              const char        *x_column,
                                              const char        *y_column,
                                              const char        *group_column,
                                              WrChartAggregate   aggregate,
                                              GError           **error);
/* The same, stopping between batches of rows when @cancellable (nullable)
 * is cancelled: NULL with G_IO_ERROR_CANCELLED. */
WrChartSpec  *wr_chart_spec_new_from_dataset_cancellable (WrStore           *store,
                                                          const char        *dataset_id,
                                                          WrChartType        type,
                                                          const char        *x_column,
                                                          const char        *y_column,
                                                          const char        *group_column,
                                                          WrChartAggregate   aggregate,
                                                          GCancellable      *cancellable,
                                                          GError           **error);

/* A chart artifact's content: the JSON form above, or a dataset
 * reference that is aggregated now (blocking, reads the dataset):
 *   { "type": "…", "title": "…",
 *     "dataset": { "id": "…", "x": "col", "y": "col", "group": "col",
 *                  "aggregate": "sum" | "mean" | "count" } }
 * (title, group and y for count optional). */
WrChartSpec  *wr_chart_spec_new_from_artifact (WrStore          *store,
                                               const char       *json,
                                               gssize            length,
                                               GError          **error);
/* The spec as the JSON form above (data embedded), for saving a chart
 * as an artifact (transfer full). */
char         *wr_chart_spec_to_json          (const WrChartSpec *spec);

/* Where wr_chart_draw() puts things at a size: the plot area in pixels,
 * the data ranges it maps onto it (y widened to whole ticks), and for a
 * pie its centre and radius. Computing it reads every point once (the
 * ranges); keep it while the spec, size and style stay the same. */
typedef struct {
  double   left, top, right, bottom;
  double   x0, x1, y0, y1;
  double   y_step;
  gboolean categorical;   /* x is a slot index: bars, or string x */
  gboolean empty;         /* too small to draw a plot */
  double   cx, cy, radius;
} WrChartLayout;

void          wr_chart_layout_compute        (const WrChartSpec  *spec,
                                              double              width,
                                              double              height,
                                              const WrChartStyle *style,
                                              WrChartLayout      *out_layout);

/* What is under the pointer (or selected with the keyboard). */
typedef struct {
  guint        series;
  gsize        index;      /* into the series' x and y */
  double       x, y;       /* the data values */
  const char  *category;   /* x's category (borrowed from the spec), or NULL */
  double       px, py;     /* the point on screen: a dot, the top of a bar, a slice's middle */
} WrChartHit;

/* The point of a line, area or scatter chart nearest to (@px, @py)
 * within WR_CHART_HIT_RADIUS pixels, the bar under it (anywhere in the
 * bar's column of the plot), or the pie slice. Line and area search by
 * bisection on x (ascending); scatter scans its points once (no per-frame
 * index). FALSE when nothing is there. */
#define WR_CHART_HIT_RADIUS 10.0
gboolean      wr_chart_hit_test              (const WrChartSpec  *spec,
                                              double              width,
                                              double              height,
                                              const WrChartStyle *style,
                                              double              px,
                                              double              py,
                                              WrChartHit         *out_hit);
gboolean      wr_chart_hit_test_layout       (const WrChartSpec   *spec,
                                              const WrChartLayout *layout,
                                              double               px,
                                              double               py,
                                              WrChartHit          *out_hit);
/* Fills @out_hit for point @index of series @series (keyboard
 * navigation); FALSE when out of range or not drawn (non-finite). */
gboolean      wr_chart_hit_for_point         (const WrChartSpec   *spec,
                                              const WrChartLayout *layout,
                                              guint                series,
                                              gsize                index,
                                              WrChartHit          *out_hit);
/* "Series · x: y" for a tooltip (a pie adds the share), transfer full. */
char         *wr_chart_hit_format            (const WrChartSpec  *spec,
                                              const WrChartHit   *hit);

void          wr_chart_draw                  (const WrChartSpec  *spec,
                                              cairo_t            *cr,
                                              double              width,
                                              double              height,
                                              const WrChartStyle *style);

/* Writes PNG, SVG or PDF by @path's extension. */
gboolean      wr_chart_export                (const WrChartSpec  *spec,
                                              const char         *path,
                                              int                 width,
                                              int                 height,
                                              const WrChartStyle *style,
                                              GError            **error);

G_END_DECLS
