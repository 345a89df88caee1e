/* wr-chart.c — chart specs and Cairo drawing (see wr-chart.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "wr-chart-private.h"
#include "wr-chart.h"
#include "wr-dataset.h"

#define DENSE_POINTS 20000   /* above this, scatter draws through a pixel mask */

G_DEFINE_QUARK (wr-chart-error-quark, wr_chart_error)

static const char * const type_names[] = { "bar", "line", "area", "scatter", "pie" };
static const char * const agg_names[] = { "sum", "mean", "count" };

static const WrChartStyle light_style = {
  { 0.14, 0.14, 0.16 }, { 1.0, 1.0, 1.0 }, { 0.87, 0.87, 0.89 },
  { { 0.21, 0.52, 0.89 }, { 0.90, 0.38, 0.00 }, { 0.18, 0.76, 0.49 }, { 0.75, 0.11, 0.16 },
    { 0.57, 0.25, 0.67 }, { 0.96, 0.76, 0.07 }, { 0.39, 0.27, 0.22 }, { 0.20, 0.60, 0.65 } },
  12.0,
};

static const WrChartStyle dark_style = {
  { 0.92, 0.92, 0.94 }, { 0.14, 0.14, 0.16 }, { 0.28, 0.28, 0.31 },
  { { 0.38, 0.63, 0.98 }, { 1.00, 0.56, 0.20 }, { 0.34, 0.89, 0.54 }, { 0.96, 0.38, 0.32 },
    { 0.75, 0.52, 0.85 }, { 0.98, 0.84, 0.30 }, { 0.72, 0.58, 0.48 }, { 0.40, 0.80, 0.85 } },
  12.0,
};

const WrChartStyle *
wr_chart_style_light (void)
{
  return &light_style;
}

const WrChartStyle *
wr_chart_style_dark (void)
{
  return &dark_style;
}

gboolean
wr_chart_type_from_string (const char  *name,
                           WrChartType *out_type)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (name, type_names[i]))
      {
        *out_type = (WrChartType) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
wr_chart_aggregate_from_string (const char       *name,
                                WrChartAggregate *out_agg)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (agg_names); i++)
    if (g_str_equal (name, agg_names[i]))
      {
        *out_agg = (WrChartAggregate) i;
        return TRUE;
      }
  return FALSE;
}

static void
series_free (gpointer data)
{
  WrChartSeries *series = data;

  g_free (series->name);
  g_free (series->x);
  g_free (series->y);
  g_free (series);
}

WrChartSpec *
wr_chart_spec_new (WrChartType type)
{
  WrChartSpec *spec = g_new0 (WrChartSpec, 1);

  spec->type = type;
  spec->series = g_ptr_array_new_with_free_func (series_free);
  return spec;
}

void
wr_chart_spec_free (WrChartSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->title);
  g_free (spec->x_label);
  g_free (spec->y_label);
  g_clear_pointer (&spec->categories, g_ptr_array_unref);
  g_clear_pointer (&spec->series, g_ptr_array_unref);
  g_free (spec);
}

static WrChartSeries *
add_series_take (WrChartSpec *spec,
                 const char  *name,
                 double      *x,
                 double      *y,
                 gsize        n)
{
  WrChartSeries *series = g_new0 (WrChartSeries, 1);

  series->name = g_strdup (name);
  series->x = x;
  series->y = y;
  series->n = n;
  g_ptr_array_add (spec->series, series);
  return series;
}

void
wr_chart_spec_add_series (WrChartSpec  *spec,
                          const char   *name,
                          const double *x,
                          const double *y,
                          gsize         n)
{
  double *xs = g_new (double, MAX (n, 1));

  g_return_if_fail (spec != NULL);
  for (gsize i = 0; i < n; i++)
    xs[i] = x != NULL ? x[i] : (double) i;
  add_series_take (spec, name, xs, g_memdup2 (y, MAX (n, 1) * sizeof (double)), n);
}

/* JSON */

static guint
category_index (WrChartSpec *spec,
                GHashTable  *index,
                const char  *name)
{
  gpointer value;

  if (g_hash_table_lookup_extended (index, name, NULL, &value))
    return GPOINTER_TO_UINT (value);
  g_ptr_array_add (spec->categories, g_strdup (name));
  g_hash_table_insert (index, g_strdup (name), GUINT_TO_POINTER (spec->categories->len - 1));
  return spec->categories->len - 1;
}

static const char *
optional_string (JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

WrChartSpec *
wr_chart_spec_new_from_json (const char  *json,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *series;
  const char *type_name;
  WrChartType type;
  gsize total = 0;
  int x_kind = 0;   /* 0 unknown, 1 numbers, 2 strings */

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("The chart description is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("The chart description must be a JSON object with “type” and “series”."));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  type_name = optional_string (root, "type");
  if (!wr_chart_type_from_string (type_name, &type))
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("Unknown chart type “%s”. Use bar, line, area, scatter or pie."),
                   type_name != NULL ? type_name : "");
      return NULL;
    }
  spec = wr_chart_spec_new (type);
  spec->title = g_strdup (optional_string (root, "title"));
  spec->x_label = g_strdup (optional_string (root, "x_label"));
  spec->y_label = g_strdup (optional_string (root, "y_label"));

  if (!json_object_has_member (root, "series") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "series")) ||
      json_array_get_length (json_object_get_array_member (root, "series")) == 0)
    {
      g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("The chart needs a non-empty “series” array."));
      return NULL;
    }
  series = json_object_get_array_member (root, "series");

  for (guint s = 0; s < json_array_get_length (series); s++)
    {
      JsonNode *node = json_array_get_element (series, s);
      JsonObject *object;
      JsonArray *xs = NULL;
      JsonArray *ys;
      gsize n;
      double *x;
      double *y;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          json_object_get_member (json_node_get_object (node), "y") == NULL ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (node), "y")))
        {
          g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                       _("Series %u needs a “y” array of numbers."), s + 1);
          return NULL;
        }
      object = json_node_get_object (node);
      ys = json_object_get_array_member (object, "y");
      n = json_array_get_length (ys);
      if (json_object_has_member (object, "x"))
        {
          if (!JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "x")))
            {
              g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("Series %u: “x” must be an array."), s + 1);
              return NULL;
            }
          xs = json_object_get_array_member (object, "x");
          if (json_array_get_length (xs) != n)
            {
              g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("Series %u has %u x values but %u y values; give the same number of each."),
                           s + 1, json_array_get_length (xs), (guint) n);
              return NULL;
            }
        }
      total += n;
      if (total > WR_CHART_MAX_POINTS)
        {
          g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_TOO_LARGE,
                       _("The chart has more than %d points; aggregate or sample the data first."),
                       WR_CHART_MAX_POINTS);
          return NULL;
        }

      x = g_new (double, MAX (n, 1));
      y = g_new (double, MAX (n, 1));
      add_series_take (spec, optional_string (object, "name"), x, y, n);
      for (gsize i = 0; i < n; i++)
        {
          JsonNode *yn = json_array_get_element (ys, i);

          if (!node_is_number (yn))
            {
              g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("Series %u: y value %u is not a number."), s + 1, (guint) i + 1);
              return NULL;
            }
          y[i] = json_node_get_double (yn);

          if (xs == NULL)
            x[i] = (double) i;
          else
            {
              JsonNode *xn = json_array_get_element (xs, i);
              int kind = node_is_number (xn) ? 1 :
                         (JSON_NODE_HOLDS_VALUE (xn) && json_node_get_value_type (xn) == G_TYPE_STRING) ? 2 : 0;

              if (kind == 0 || (x_kind != 0 && kind != x_kind))
                {
                  g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                               _("Series %u: x values must be all numbers or all strings."), s + 1);
                  return NULL;
                }
              x_kind = kind;
              if (kind == 1)
                x[i] = json_node_get_double (xn);
              else
                {
                  if (spec->categories == NULL)
                    spec->categories = g_ptr_array_new_with_free_func (g_free);
                  x[i] = category_index (spec, index, json_node_get_string (xn));
                }
            }
        }
    }

  return g_steal_pointer (&spec);
}

/* Datasets */

typedef struct {
  double sum;
  gint64 count;
  gint64 numbers;
} Cell;

static int
column_index (const WrDatasetInfo *info,
              const char          *name)
{
  g_autoptr(JsonNode) node = json_from_string (info->columns, NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return -1;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *column = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (column, "name", NULL), name) == 0)
        return (int) i;
    }
  return -1;
}

static const char *
cell_text (JsonArray *row,
           int        column)
{
  JsonNode *node;

  if (column < 0 || (guint) column >= json_array_get_length (row))
    return NULL;
  node = json_array_get_element (row, column);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL || *text == '\0')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

typedef struct {
  GPtrArray *keys;      /* x texts in order of first appearance */
  double    *values;    /* parsed when every key is a number */
} XOrder;

static const XOrder *sort_order;

static int
compare_x (gconstpointer a,
           gconstpointer b)
{
  double va = sort_order->values[*(const guint *) a];
  double vb = sort_order->values[*(const guint *) b];

  return va < vb ? -1 : va > vb ? 1 : 0;
}

WrChartSpec *
wr_chart_spec_new_from_dataset (WrStore           *store,
                                const char        *dataset_id,
                                WrChartType        type,
                                const char        *x_column,
                                const char        *y_column,
                                const char        *group_column,
                                WrChartAggregate   aggregate,
                                GError           **error)
{
  g_autoptr(WrDatasetInfo) info = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(GHashTable) x_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) g_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) x_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) order = NULL;
  g_autofree double *x_values = NULL;
  gboolean numeric = TRUE;
  int xc, yc = -1, gc = -1;
  gint64 offset = 0;
  XOrder x_order;

  g_return_val_if_fail (store != NULL && dataset_id != NULL && x_column != NULL, NULL);

  info = wr_dataset_get (store, dataset_id, error);
  if (info == NULL)
    return NULL;
  if (g_strcmp0 (info->status, "ready") != 0)
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("Dataset “%s” is not ready; import it again."), info->name);
      return NULL;
    }
  xc = column_index (info, x_column);
  if (y_column != NULL)
    yc = column_index (info, y_column);
  if (group_column != NULL)
    gc = column_index (info, group_column);
  if (xc < 0 || (aggregate != WR_CHART_AGG_COUNT && yc < 0) ||
      (y_column != NULL && yc < 0) || (group_column != NULL && gc < 0))
    {
      const char *missing = xc < 0 ? x_column : (y_column == NULL || yc < 0) && aggregate != WR_CHART_AGG_COUNT ?
                            (y_column != NULL ? y_column : "") : y_column != NULL && yc < 0 ? y_column : group_column;
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("Dataset “%s” has no column “%s”; see “dataset show” for its columns."),
                   info->name, missing);
      return NULL;
    }

  for (;;)
    {
      g_autoptr(JsonArray) rows = wr_dataset_read_rows (store, dataset_id, offset,
                                                        WR_DATASET_BATCH_ROWS, error);
      guint n;

      if (rows == NULL)
        return NULL;
      n = json_array_get_length (rows);
      for (guint r = 0; r < n; r++)
        {
          JsonArray *row = json_array_get_array_element (rows, r);
          const char *x_text = cell_text (row, xc);
          const char *g_text = gc >= 0 ? cell_text (row, gc) : "";
          gpointer value;
          guint xi, gi;
          gint64 key;
          Cell *cell;
          double y = 0;
          gboolean y_ok = yc >= 0 && parse_number (cell_text (row, yc), &y);

          if (x_text == NULL)
            continue;
          if (g_text == NULL)
            g_text = "";
          if (!g_hash_table_lookup_extended (x_index, x_text, NULL, &value))
            {
              value = GUINT_TO_POINTER (x_keys->len);
              g_ptr_array_add (x_keys, g_strdup (x_text));
              g_hash_table_insert (x_index, g_strdup (x_text), value);
            }
          xi = GPOINTER_TO_UINT (value);
          if (!g_hash_table_lookup_extended (g_index, g_text, NULL, &value))
            {
              value = GUINT_TO_POINTER (groups->len);
              g_ptr_array_add (groups, g_strdup (g_text));
              g_hash_table_insert (g_index, g_strdup (g_text), value);
            }
          gi = GPOINTER_TO_UINT (value);
          key = ((gint64) gi << 32) | xi;
          cell = g_hash_table_lookup (cells, &key);
          if (cell == NULL)
            {
              cell = g_new0 (Cell, 1);
              g_hash_table_insert (cells, g_memdup2 (&key, sizeof key), cell);
            }
          cell->count++;
          if (y_ok)
            {
              cell->sum += y;
              cell->numbers++;
            }
        }
      offset += n;
      if (n < WR_DATASET_BATCH_ROWS)
        break;
    }

  x_values = g_new (double, MAX (x_keys->len, 1));
  for (guint i = 0; i < x_keys->len; i++)
    if (!parse_number (g_ptr_array_index (x_keys, i), &x_values[i]))
      numeric = FALSE;
  if (x_keys->len == 0 || type == WR_CHART_BAR || type == WR_CHART_PIE)
    numeric = FALSE;

  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), x_keys->len);
  for (guint i = 0; i < x_keys->len; i++)
    g_array_append_val (order, i);
  if (numeric)
    {
      x_order.keys = x_keys;
      x_order.values = x_values;
      sort_order = &x_order;
      g_array_sort (order, compare_x);
      sort_order = NULL;
    }

  spec = wr_chart_spec_new (type);
  spec->x_label = g_strdup (x_column);
  spec->y_label = aggregate == WR_CHART_AGG_COUNT ? g_strdup (_("Count")) :
                  g_strdup_printf ("%s (%s)", y_column, agg_names[aggregate]);
  spec->title = g_strdup (info->name);
  if (!numeric)
    {
      spec->categories = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < x_keys->len; i++)
        g_ptr_array_add (spec->categories, g_strdup (g_ptr_array_index (x_keys, i)));
    }

  for (guint gi = 0; gi < groups->len; gi++)
    {
      double *x = g_new (double, MAX (x_keys->len, 1));
      double *y = g_new (double, MAX (x_keys->len, 1));
      gsize n = 0;

      for (guint k = 0; k < order->len; k++)
        {
          guint xi = g_array_index (order, guint, k);
          gint64 key = ((gint64) gi << 32) | xi;
          Cell *cell = g_hash_table_lookup (cells, &key);

          if (cell == NULL || (aggregate != WR_CHART_AGG_COUNT && cell->numbers == 0))
            continue;
          x[n] = numeric ? x_values[xi] : (double) xi;
          y[n] = aggregate == WR_CHART_AGG_COUNT ? (double) cell->count :
                 aggregate == WR_CHART_AGG_SUM ? cell->sum : cell->sum / (double) cell->numbers;
          n++;
        }
      add_series_take (spec, gc >= 0 ? g_ptr_array_index (groups, gi) : (y_column ? y_column : _("Count")),
                       x, y, n);
    }
  if (groups->len == 0)
    add_series_take (spec, y_column, g_new0 (double, 1), g_new0 (double, 1), 0);

  return g_steal_pointer (&spec);
}

/* Ticks and decimation */

double
_wr_chart_nice_step (double  min,
                     double  max,
                     int     max_ticks,
                     double *out_first)
{
  double range = max - min;
  double raw, magnitude, step, fraction;

  if (max_ticks < 2)
    max_ticks = 2;
  if (!(range > 0))
    range = fabs (max) > 0 ? fabs (max) : 1;
  raw = range / (max_ticks - 1);
  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  if (fraction <= 1.0 + 1e-9)
    step = 1;
  else if (fraction <= 2.0 + 1e-9)
    step = 2;
  else if (fraction <= 5.0 + 1e-9)
    step = 5;
  else
    step = 10;
  step *= magnitude;
  if (out_first != NULL)
    *out_first = ceil (min / step - 1e-9) * step;
  return step;
}

guint
_wr_chart_decimate (const double *x,
                    const double *y,
                    gsize         n,
                    double        x0,
                    double        x1,
                    guint         columns,
                    double       *out_min,
                    double       *out_max,
                    gboolean     *occupied)
{
  double scale = x1 > x0 ? (columns - 1) / (x1 - x0) : 0;
  guint count = 0;

  memset (occupied, 0, columns * sizeof (gboolean));
  for (gsize i = 0; i < n; i++)
    {
      double c = (x[i] - x0) * scale + 0.5;
      guint col;

      if (!(c >= 0) || c >= columns || !isfinite (y[i]))
        continue;
      col = (guint) c;
      if (!occupied[col])
        {
          occupied[col] = TRUE;
          out_min[col] = out_max[col] = y[i];
          count++;
        }
      else if (y[i] < out_min[col])
        out_min[col] = y[i];
      else if (y[i] > out_max[col])
        out_max[col] = y[i];
    }
  return count;
}

/* Drawing */

typedef struct {
  const WrChartSpec  *spec;
  const WrChartStyle *style;
  cairo_t            *cr;
  double              left, top, right, bottom;   /* plot area */
  double              x0, x1, y0, y1;             /* data ranges */
  gboolean            categorical;
} Plot;

static void
set_color (cairo_t            *cr,
           const WrChartColor *color,
           double              alpha)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, alpha);
}

static double
text_width (cairo_t    *cr,
            const char *text)
{
  cairo_text_extents_t extents;

  cairo_text_extents (cr, text, &extents);
  return extents.x_advance;
}

static char *
format_number (double value,
               double step)
{
  const char *suffix = "";
  double scale = 1;
  int decimals;

  if (fabs (value) < step * 1e-6)
    return g_strdup ("0");
  if (step >= 1e9)
    scale = 1e9, suffix = "G";
  else if (step >= 1e6)
    scale = 1e6, suffix = "M";
  else if (step >= 1e3)
    scale = 1e3, suffix = "k";
  decimals = (int) MAX (0, -floor (log10 (step / scale) + 1e-9));
  return g_strdup_printf ("%.*f%s", MIN (decimals, 9), value / scale, suffix);
}

static double
map_x (const Plot *p,
       double      x)
{
  if (p->categorical)
    {
      double slot = (p->right - p->left) / MAX (p->x1, 1);
      return p->left + (x + 0.5) * slot;
    }
  return p->left + (x - p->x0) / (p->x1 - p->x0) * (p->right - p->left);
}

static double
map_y (const Plot *p,
       double      y)
{
  return p->bottom - (y - p->y0) / (p->y1 - p->y0) * (p->bottom - p->top);
}

static void
compute_ranges (Plot *p)
{
  const WrChartSpec *spec = p->spec;
  gboolean any = FALSE;

  p->x0 = p->y0 = G_MAXDOUBLE;
  p->x1 = p->y1 = -G_MAXDOUBLE;
  for (guint s = 0; s < spec->series->len; s++)
    {
      WrChartSeries *series = g_ptr_array_index (spec->series, s);

      for (gsize i = 0; i < series->n; i++)
        {
          if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
            continue;
          p->x0 = MIN (p->x0, series->x[i]);
          p->x1 = MAX (p->x1, series->x[i]);
          p->y0 = MIN (p->y0, series->y[i]);
          p->y1 = MAX (p->y1, series->y[i]);
          any = TRUE;
        }
    }
  if (!any)
    p->x0 = p->y0 = 0, p->x1 = p->y1 = 1;
  if (p->categorical)
    {
      p->x0 = 0;
      p->x1 = spec->categories != NULL ? MAX (spec->categories->len, 1) : p->x1 + 1;
    }
  if (spec->type == WR_CHART_BAR || spec->type == WR_CHART_AREA)
    {
      p->y0 = MIN (p->y0, 0);
      p->y1 = MAX (p->y1, 0);
    }
  if (p->y1 <= p->y0)
    p->y1 = p->y0 + 1, p->y0 -= p->y0 != 0 ? 1 : 0;
  if (p->x1 <= p->x0)
    p->x1 = p->x0 + 1, p->x0 -= 1;
}

static void
draw_y_axis (Plot *p)
{
  cairo_t *cr = p->cr;
  int max_ticks = (int) MAX (2, (p->bottom - p->top) / (p->style->font_size * 3));
  double first, step = _wr_chart_nice_step (p->y0, p->y1, max_ticks, &first);

  /* Widen the range to whole steps so the top and bottom lines are ticks. */
  p->y0 = floor (p->y0 / step + 1e-9) * step;
  p->y1 = ceil (p->y1 / step - 1e-9) * step;
  first = p->y0;

  cairo_set_line_width (cr, 1);
  for (double v = first; v <= p->y1 + step * 0.5; v += step)
    {
      double y = round (map_y (p, v)) + 0.5;
      g_autofree char *label = format_number (v, step);

      set_color (cr, &p->style->grid, 1);
      cairo_move_to (cr, p->left, y);
      cairo_line_to (cr, p->right, y);
      cairo_stroke (cr);
      set_color (cr, &p->style->fg, 0.8);
      cairo_move_to (cr, p->left - 6 - text_width (cr, label), y + p->style->font_size * 0.35);
      cairo_show_text (cr, label);
    }
}

static void
draw_x_axis (Plot *p)
{
  cairo_t *cr = p->cr;
  double baseline = p->bottom + p->style->font_size + 6;

  set_color (cr, &p->style->fg, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, p->left, round (p->bottom) + 0.5);
  cairo_line_to (cr, p->right, round (p->bottom) + 0.5);
  cairo_stroke (cr);

  set_color (cr, &p->style->fg, 0.8);
  if (p->categorical)
    {
      guint n = (guint) p->x1;
      double slot = (p->right - p->left) / MAX (n, 1);
      double widest = 0;
      guint every;

      for (guint i = 0; i < n; i++)
        {
          const char *name = p->spec->categories != NULL && i < p->spec->categories->len ?
                             g_ptr_array_index (p->spec->categories, i) : NULL;
          g_autofree char *fallback = name == NULL ? g_strdup_printf ("%u", i) : NULL;
          widest = MAX (widest, text_width (cr, name != NULL ? name : fallback));
        }
      /* Skip labels so neighbours never overlap. */
      every = (guint) MAX (1, ceil ((widest + 8) / slot));
      for (guint i = 0; i < n; i += every)
        {
          const char *name = p->spec->categories != NULL && i < p->spec->categories->len ?
                             g_ptr_array_index (p->spec->categories, i) : NULL;
          g_autofree char *fallback = name == NULL ? g_strdup_printf ("%u", i) : NULL;
          const char *text = name != NULL ? name : fallback;

          cairo_move_to (cr, map_x (p, i) - text_width (cr, text) / 2, baseline);
          cairo_show_text (cr, text);
        }
    }
  else
    {
      g_autofree char *sample0 = NULL;
      g_autofree char *sample1 = NULL;
      double first, step, label_w;
      int max_ticks;

      step = _wr_chart_nice_step (p->x0, p->x1, 10, NULL);
      sample0 = format_number (p->x0, step);
      sample1 = format_number (p->x1, step);
      label_w = MAX (text_width (cr, sample0), text_width (cr, sample1)) + 16;
      max_ticks = (int) MAX (2, (p->right - p->left) / label_w);
      step = _wr_chart_nice_step (p->x0, p->x1, max_ticks, &first);
      for (double v = first; v <= p->x1 + step * 1e-6; v += step)
        {
          g_autofree char *label = format_number (v, step);
          double x = map_x (p, v);
          double w = text_width (cr, label);

          set_color (cr, &p->style->fg, 0.6);
          cairo_move_to (cr, round (x) + 0.5, p->bottom);
          cairo_line_to (cr, round (x) + 0.5, p->bottom + 4);
          cairo_stroke (cr);
          set_color (cr, &p->style->fg, 0.8);
          cairo_move_to (cr, CLAMP (x - w / 2, p->left - 20, p->right + 20 - w), baseline);
          cairo_show_text (cr, label);
        }
    }
}

static void
draw_bars (Plot *p)
{
  guint n_series = p->spec->series->len;
  double slot = (p->right - p->left) / MAX (p->x1, 1);
  double bar = slot * 0.8 / MAX (n_series, 1);
  double zero = map_y (p, MAX (p->y0, MIN (0, p->y1)));

  for (guint s = 0; s < n_series; s++)
    {
      WrChartSeries *series = g_ptr_array_index (p->spec->series, s);

      set_color (p->cr, &p->style->palette[s % WR_CHART_PALETTE_SIZE], 1);
      for (gsize i = 0; i < series->n; i++)
        {
          double x = p->left + series->x[i] * slot + slot * 0.1 + s * bar;
          double y = map_y (p, series->y[i]);

          cairo_rectangle (p->cr, x, MIN (y, zero), MAX (bar - 1, 0.5), fabs (zero - y));
        }
      cairo_fill (p->cr);
    }
}

static void
draw_lines (Plot *p)
{
  cairo_t *cr = p->cr;
  guint columns = (guint) MAX (2, ceil (p->right - p->left) + 1);
  g_autofree double *mins = g_new (double, columns);
  g_autofree double *maxs = g_new (double, columns);
  g_autofree gboolean *occupied = g_new (gboolean, columns);
  double base = map_y (p, MAX (p->y0, MIN (0, p->y1)));

  cairo_save (cr);
  cairo_rectangle (cr, p->left, p->top - 2, p->right - p->left, p->bottom - p->top + 4);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 2);

  for (guint s = 0; s < p->spec->series->len; s++)
    {
      WrChartSeries *series = g_ptr_array_index (p->spec->series, s);
      const WrChartColor *color = &p->style->palette[s % WR_CHART_PALETTE_SIZE];
      gboolean started = FALSE;
      double first_x = 0, last_x = 0;

      if (series->n == 0)
        continue;

      if (series->n > columns * 2 && !p->categorical)
        {
          double col_x0 = p->left;

          _wr_chart_decimate (series->x, series->y, series->n, p->x0, p->x1, columns, mins, maxs, occupied);
          for (guint c = 0; c < columns; c++)
            {
              if (!occupied[c])
                continue;
              if (!started)
                {
                  cairo_move_to (cr, col_x0 + c, map_y (p, maxs[c]));
                  first_x = col_x0 + c;
                  started = TRUE;
                }
              else
                cairo_line_to (cr, col_x0 + c, map_y (p, maxs[c]));
              if (mins[c] != maxs[c])
                cairo_line_to (cr, col_x0 + c, map_y (p, mins[c]));
              last_x = col_x0 + c;
            }
        }
      else
        {
          for (gsize i = 0; i < series->n; i++)
            {
              double x = map_x (p, series->x[i]);
              double y = map_y (p, series->y[i]);

              if (!isfinite (series->y[i]))
                continue;
              if (!started)
                {
                  cairo_move_to (cr, x, y);
                  first_x = x;
                  started = TRUE;
                }
              else
                cairo_line_to (cr, x, y);
              last_x = x;
            }
        }
      if (!started)
        continue;

      if (p->spec->type == WR_CHART_AREA)
        {
          cairo_path_t *path = cairo_copy_path (cr);

          cairo_line_to (cr, last_x, base);
          cairo_line_to (cr, first_x, base);
          cairo_close_path (cr);
          set_color (cr, color, 0.35);
          cairo_fill (cr);
          cairo_append_path (cr, path);
          cairo_path_destroy (path);
        }
      set_color (cr, color, 1);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_scatter (Plot *p)
{
  cairo_t *cr = p->cr;
  int w = (int) ceil (p->right - p->left) + 1;
  int h = (int) ceil (p->bottom - p->top) + 1;

  cairo_save (cr);
  cairo_rectangle (cr, p->left - 3, p->top - 3, p->right - p->left + 6, p->bottom - p->top + 6);
  cairo_clip (cr);
  for (guint s = 0; s < p->spec->series->len; s++)
    {
      WrChartSeries *series = g_ptr_array_index (p->spec->series, s);
      const WrChartColor *color = &p->style->palette[s % WR_CHART_PALETTE_SIZE];

      if (series->n <= DENSE_POINTS)
        {
          set_color (cr, color, 0.85);
          for (gsize i = 0; i < series->n; i++)
            {
              double x = map_x (p, series->x[i]);
              double y = map_y (p, series->y[i]);

              if (!isfinite (x) || !isfinite (y))
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, 3, 0, 2 * G_PI);
            }
          cairo_fill (cr);
        }
      else
        {
          /* One dot per occupied pixel, painted through an A8 mask. */
          cairo_surface_t *mask = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
          unsigned char *data;
          int stride;
          double sx = (w - 1) / (p->x1 - p->x0);
          double sy = (h - 1) / (p->y1 - p->y0);

          cairo_surface_flush (mask);
          data = cairo_image_surface_get_data (mask);
          stride = cairo_image_surface_get_stride (mask);
          for (gsize i = 0; i < series->n; i++)
            {
              double fx = (series->x[i] - p->x0) * sx + 0.5;
              double fy = (p->y1 - series->y[i]) * sy + 0.5;

              if (!(fx >= 0) || !(fy >= 0) || fx >= w || fy >= h)
                continue;
              data[(int) fy * stride + (int) fx] = 0xff;
            }
          cairo_surface_mark_dirty (mask);
          set_color (cr, color, 1);
          cairo_mask_surface (cr, mask, floor (p->left), floor (p->top));
          cairo_surface_destroy (mask);
        }
    }
  cairo_restore (cr);
}

static void
draw_legend (Plot   *p,
             double  width)
{
  cairo_t *cr = p->cr;
  const WrChartSpec *spec = p->spec;
  gboolean pie = spec->type == WR_CHART_PIE;
  WrChartSeries *first = spec->series->len > 0 ? g_ptr_array_index (spec->series, 0) : NULL;
  guint n = pie ? (first != NULL ? (guint) first->n : 0) : spec->series->len;
  double fs = p->style->font_size;
  double x = p->left;
  double y = p->top - fs * 0.8;

  if (!pie && n < 2)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *fallback = NULL;
      const char *name = NULL;
      double w;

      if (pie)
        {
          guint cat = (guint) first->x[i];
          if (spec->categories != NULL && cat < spec->categories->len)
            name = g_ptr_array_index (spec->categories, cat);
          else
            name = fallback = format_number (first->x[i], 1);
        }
      else
        {
          WrChartSeries *series = g_ptr_array_index (spec->series, i);
          name = series->name;
          if (name == NULL)
            name = fallback = g_strdup_printf (_("Series %u"), i + 1);
        }
      w = fs + 4 + text_width (cr, name) + 14;
      if (x + w > width - 8 && x > p->left)
        {
          if (pie)
            break;
          x = p->left;
          y += fs * 1.4;
        }
      set_color (cr, &p->style->palette[i % WR_CHART_PALETTE_SIZE], 1);
      cairo_rectangle (cr, x, y - fs * 0.8, fs * 0.8, fs * 0.8);
      cairo_fill (cr);
      set_color (cr, &p->style->fg, 0.9);
      cairo_move_to (cr, x + fs + 2, y);
      cairo_show_text (cr, name);
      x += w;
    }
}

static void
draw_pie (Plot *p)
{
  cairo_t *cr = p->cr;
  WrChartSeries *series = p->spec->series->len > 0 ? g_ptr_array_index (p->spec->series, 0) : NULL;
  double cx = (p->left + p->right) / 2;
  double cy = (p->top + p->bottom) / 2;
  double r = MAX (MIN (p->right - p->left, p->bottom - p->top) / 2 - 4, 1);
  double total = 0, angle = -G_PI / 2;

  if (series == NULL)
    return;
  for (gsize i = 0; i < series->n; i++)
    if (series->y[i] > 0)
      total += series->y[i];
  if (total <= 0)
    return;
  cairo_set_line_width (cr, 1.5);
  for (gsize i = 0; i < series->n; i++)
    {
      double sweep;

      if (!(series->y[i] > 0))
        continue;
      sweep = series->y[i] / total * 2 * G_PI;
      cairo_move_to (cr, cx, cy);
      cairo_arc (cr, cx, cy, r, angle, angle + sweep);
      cairo_close_path (cr);
      set_color (cr, &p->style->palette[i % WR_CHART_PALETTE_SIZE], 1);
      cairo_fill_preserve (cr);
      set_color (cr, &p->style->bg, 1);
      cairo_stroke (cr);
      if (sweep > 0.25)
        {
          g_autofree char *label = g_strdup_printf ("%.0f%%", series->y[i] / total * 100);
          double mid = angle + sweep / 2;

          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_move_to (cr, cx + cos (mid) * r * 0.65 - text_width (cr, label) / 2,
                         cy + sin (mid) * r * 0.65 + p->style->font_size * 0.35);
          cairo_show_text (cr, label);
        }
      angle += sweep;
    }
}

void
wr_chart_draw (const WrChartSpec  *spec,
               cairo_t            *cr,
               double              width,
               double              height,
               const WrChartStyle *style)
{
  Plot p = { 0 };
  double fs;
  gboolean legend;

  g_return_if_fail (spec != NULL && cr != NULL);

  if (style == NULL)
    style = wr_chart_style_light ();
  fs = style->font_size;
  p.spec = spec;
  p.style = style;
  p.cr = cr;
  p.categorical = spec->categories != NULL || spec->type == WR_CHART_BAR;

  cairo_save (cr);
  set_color (cr, &style->bg, 1);
  cairo_paint (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, fs);

  legend = spec->type == WR_CHART_PIE || spec->series->len > 1;
  p.top = 12 + (spec->title != NULL ? fs * 2.2 : 0) + (legend ? fs * 1.8 : 0);
  p.bottom = height - 12 - (spec->type != WR_CHART_PIE ? fs * 1.6 : 0) - (spec->x_label != NULL ? fs * 1.6 : 0);
  p.right = width - 24;
  p.left = 16;

  if (spec->title != NULL)
    {
      cairo_set_font_size (cr, fs * 1.35);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      set_color (cr, &style->fg, 1);
      cairo_move_to (cr, MAX (8, (width - text_width (cr, spec->title)) / 2), 12 + fs * 1.35);
      cairo_show_text (cr, spec->title);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, fs);
    }

  if (spec->type == WR_CHART_PIE)
    {
      draw_legend (&p, width);
      draw_pie (&p);
      cairo_restore (cr);
      return;
    }

  compute_ranges (&p);
  {
    /* Room for the widest y label (measured on the rounded range). */
    double first, step = _wr_chart_nice_step (p.y0, p.y1, (int) MAX (2, (p.bottom - p.top) / (fs * 3)), &first);
    g_autofree char *lo = format_number (floor (p.y0 / step) * step, step);
    g_autofree char *hi = format_number (ceil (p.y1 / step) * step, step);

    p.left = 12 + (spec->y_label != NULL ? fs * 1.8 : 0) + MAX (text_width (cr, lo), text_width (cr, hi)) + 8;
  }
  if (p.right - p.left < 10 || p.bottom - p.top < 10)
    {
      cairo_restore (cr);
      return;
    }

  draw_y_axis (&p);
  draw_x_axis (&p);
  draw_legend (&p, width);

  set_color (cr, &style->fg, 0.9);
  if (spec->x_label != NULL)
    {
      cairo_move_to (cr, (p.left + p.right - text_width (cr, spec->x_label)) / 2, height - 12);
      cairo_show_text (cr, spec->x_label);
    }
  if (spec->y_label != NULL)
    {
      cairo_save (cr);
      cairo_move_to (cr, 12 + fs, (p.top + p.bottom + text_width (cr, spec->y_label)) / 2);
      cairo_rotate (cr, -G_PI / 2);
      cairo_show_text (cr, spec->y_label);
      cairo_restore (cr);
    }

  switch (spec->type)
    {
    case WR_CHART_BAR:
      draw_bars (&p);
      break;
    case WR_CHART_LINE:
    case WR_CHART_AREA:
      draw_lines (&p);
      break;
    case WR_CHART_SCATTER:
      draw_scatter (&p);
      break;
    case WR_CHART_PIE:
    default:
      break;
    }
  cairo_restore (cr);
}

gboolean
wr_chart_export (const WrChartSpec  *spec,
                 const char         *path,
                 int                 width,
                 int                 height,
                 const WrChartStyle *style,
                 GError            **error)
{
  g_autofree char *lower = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean png = FALSE;

  g_return_val_if_fail (spec != NULL && path != NULL, FALSE);

  if (width < 16 || height < 16 || width > 20000 || height > 20000)
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("The chart size %d×%d is out of range; use 16 to 20000 pixels each way."),
                   width, height);
      return FALSE;
    }
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      png = TRUE;
    }
  else if (g_str_has_suffix (lower, ".svg"))
    surface = cairo_svg_surface_create (path, width, height);
  else if (g_str_has_suffix (lower, ".pdf"))
    surface = cairo_pdf_surface_create (path, width, height);
  else
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("Cannot tell the format of “%s”; name it .png, .svg or .pdf."), path);
      return FALSE;
    }

  cr = cairo_create (surface);
  wr_chart_draw (spec, cr, width, height, style);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && png)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_FAILED,
                   _("Could not write the chart to “%s”: %s. Check the folder exists and is writable."),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
