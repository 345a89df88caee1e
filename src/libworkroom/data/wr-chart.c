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

static void
make_valid (char **text)
{
  if (*text != NULL && !g_utf8_validate (*text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (*text, -1);

      g_free (*text);
      *text = valid;
    }
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
  /* 1e999 parses as infinity: not a value a chart can place. */
  return type == G_TYPE_INT64 || (type == G_TYPE_DOUBLE && isfinite (json_node_get_double (node)));
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
      /* json-glib quotes the bytes it stopped at, which may not be text. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("The chart description is not valid JSON: %s"), reason);
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

  if (json_object_has_member (root, "categories"))
    {
      JsonNode *node = json_object_get_member (root, "categories");
      JsonArray *names = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; names != NULL && i < json_array_get_length (names); i++)
        {
          JsonNode *name = json_array_get_element (names, i);

          if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
            {
              names = NULL;
              break;
            }
        }
      if (names == NULL)
        {
          g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                               _("The chart’s “categories” must be an array of strings."));
          return NULL;
        }
      spec->categories = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (names); i++)
        category_index (spec, index, json_array_get_string_element (names, i));
      x_kind = 2;
    }

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

  /* Drawn with cairo, which refuses text that is not UTF-8 (JSON escapes
   * can make such strings). */
  make_valid (&spec->title);
  make_valid (&spec->x_label);
  make_valid (&spec->y_label);
  for (guint s = 0; s < spec->series->len; s++)
    make_valid (&((WrChartSeries *) g_ptr_array_index (spec->series, s))->name);
  for (guint i = 0; spec->categories != NULL && i < spec->categories->len; i++)
    make_valid ((char **) &g_ptr_array_index (spec->categories, i));

  /* A series without x has points 0, 1, 2…: with categories (named, or
   * from another series' strings) those are category indexes, so there
   * must be a category for each. */
  for (guint s = 0; spec->categories != NULL && s < spec->series->len; s++)
    {
      const WrChartSeries *one = g_ptr_array_index (spec->series, s);
      gboolean outside = FALSE;

      for (gsize i = 0; i < one->n && !outside; i++)
        outside = one->x[i] >= spec->categories->len;
      if (outside)
        {
          g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                       _("Series %u has %u points but the chart names %u categories; give each point its “x”."),
                       s + 1, (guint) one->n, spec->categories->len);
          return NULL;
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
  return wr_chart_spec_new_from_dataset_cancellable (store, dataset_id, type, x_column, y_column,
                                                     group_column, aggregate, NULL, error);
}

WrChartSpec *
wr_chart_spec_new_from_dataset_cancellable (WrStore           *store,
                                            const char        *dataset_id,
                                            WrChartType        type,
                                            const char        *x_column,
                                            const char        *y_column,
                                            const char        *group_column,
                                            WrChartAggregate   aggregate,
                                            GCancellable      *cancellable,
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
      g_autoptr(JsonArray) rows = NULL;
      guint n;

      /* Between batches: a chart nobody waits for stops reading. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      rows = wr_dataset_read_rows (store, dataset_id, offset, WR_DATASET_BATCH_ROWS, error);
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

/* Artifacts */

WrChartSpec *
wr_chart_spec_new_from_artifact (WrStore     *store,
                                 const char  *json,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WrChartSpec) spec = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonObject *ref;
  JsonNode *node;
  const char *type_name, *id, *x, *y, *group, *agg_name;
  WrChartType type;
  WrChartAggregate aggregate = WR_CHART_AGG_SUM;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      /* json-glib quotes the bytes it stopped at, which may not be text. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("The chart description is not valid JSON: %s"), reason);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("The chart description must be a JSON object with “type” and “series”."));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "dataset");
  if (node == NULL)
    return wr_chart_spec_new_from_json (json, length, error);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("The chart’s “dataset” must be an object with “id”, “x” and “y”."));
      return NULL;
    }
  ref = json_node_get_object (node);
  type_name = optional_string (root, "type");
  if (!wr_chart_type_from_string (type_name, &type))
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("Unknown chart type “%s”. Use bar, line, area, scatter or pie."),
                   type_name != NULL ? type_name : "");
      return NULL;
    }
  id = optional_string (ref, "id");
  x = optional_string (ref, "x");
  y = optional_string (ref, "y");
  group = optional_string (ref, "group");
  agg_name = optional_string (ref, "aggregate");
  if (agg_name != NULL && !wr_chart_aggregate_from_string (agg_name, &aggregate))
    {
      g_set_error (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                   _("Unknown aggregate “%s”. Use sum, mean or count."), agg_name);
      return NULL;
    }
  if (id == NULL || *id == '\0' || x == NULL || *x == '\0' ||
      (aggregate != WR_CHART_AGG_COUNT && (y == NULL || *y == '\0')))
    {
      g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("The chart’s “dataset” needs an “id”, an “x” column and, unless it counts rows, a “y” column."));
      return NULL;
    }
  if (store == NULL)
    {
      g_set_error_literal (error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                           _("This chart reads a dataset; open it in the project that holds the dataset."));
      return NULL;
    }
  if (group != NULL && *group == '\0')
    group = NULL;

  spec = wr_chart_spec_new_from_dataset (store, id, type, x, y, group, aggregate, &local_error);
  if (spec == NULL)
    {
      if (g_error_matches (local_error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND))
        g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                     _("This chart reads dataset “%s”, which no longer exists. Import the data again and make a new chart."),
                     id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (optional_string (root, "title") != NULL)
    {
      g_free (spec->title);
      spec->title = g_strdup (optional_string (root, "title"));
    }
  if (optional_string (root, "x_label") != NULL)
    {
      g_free (spec->x_label);
      spec->x_label = g_strdup (optional_string (root, "x_label"));
    }
  if (optional_string (root, "y_label") != NULL)
    {
      g_free (spec->y_label);
      spec->y_label = g_strdup (optional_string (root, "y_label"));
    }
  return g_steal_pointer (&spec);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if ((guchar) *c < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *c);
          else
            g_string_append_c (out, *c);
        }
    }
  g_string_append_c (out, '"');
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
static void
append_json_number (GString *out,
                    double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (out, buf);
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  if (value == NULL)
    return;
  g_string_append_c (out, ',');
  append_json_string (out, name);
  g_string_append_c (out, ':');
  append_json_string (out, value);
}

char *
wr_chart_spec_to_json (const WrChartSpec *spec)
{
  GString *out;

  g_return_val_if_fail (spec != NULL, NULL);

  out = g_string_new ("{\"type\":");
  append_json_string (out, type_names[spec->type]);
  append_member (out, "title", spec->title);
  append_member (out, "x_label", spec->x_label);
  append_member (out, "y_label", spec->y_label);
  if (spec->categories != NULL)
    {
      /* Keeps the category order (and categories no point uses). */
      g_string_append (out, ",\"categories\":[");
      for (guint i = 0; i < spec->categories->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json_string (out, g_ptr_array_index (spec->categories, i));
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, ",\"series\":[");
  for (guint s = 0; s < spec->series->len; s++)
    {
      const WrChartSeries *series = g_ptr_array_index (spec->series, s);
      gboolean first = TRUE;

      g_string_append (out, s > 0 ? ",{" : "{");
      if (series->name != NULL)
        {
          g_string_append (out, "\"name\":");
          append_json_string (out, series->name);
          g_string_append_c (out, ',');
        }
      /* Points JSON cannot hold (NaN, infinities, unknown categories)
       * are left out of both arrays. */
      g_string_append (out, "\"x\":[");
      for (gsize i = 0; i < series->n; i++)
        {
          if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
            continue;
          if (spec->categories != NULL &&
              !(series->x[i] >= 0 && series->x[i] < spec->categories->len))
            continue;
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          if (spec->categories != NULL)
            append_json_string (out, g_ptr_array_index (spec->categories, (guint) series->x[i]));
          else
            append_json_number (out, series->x[i]);
        }
      g_string_append (out, "],\"y\":[");
      first = TRUE;
      for (gsize i = 0; i < series->n; i++)
        {
          if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
            continue;
          if (spec->categories != NULL &&
              !(series->x[i] >= 0 && series->x[i] < spec->categories->len))
            continue;
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          append_json_number (out, series->y[i]);
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
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
  WrChartLayout       l;
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
  if (p->l.categorical)
    {
      double slot = (p->l.right - p->l.left) / MAX (p->l.x1, 1);
      return p->l.left + (x + 0.5) * slot;
    }
  return p->l.left + (x - p->l.x0) / (p->l.x1 - p->l.x0) * (p->l.right - p->l.left);
}

static double
map_y (const Plot *p,
       double      y)
{
  return p->l.bottom - (y - p->l.y0) / (p->l.y1 - p->l.y0) * (p->l.bottom - p->l.top);
}

static void
compute_ranges (Plot *p)
{
  const WrChartSpec *spec = p->spec;
  gboolean any = FALSE;

  p->l.x0 = p->l.y0 = G_MAXDOUBLE;
  p->l.x1 = p->l.y1 = -G_MAXDOUBLE;
  for (guint s = 0; s < spec->series->len; s++)
    {
      WrChartSeries *series = g_ptr_array_index (spec->series, s);

      for (gsize i = 0; i < series->n; i++)
        {
          if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
            continue;
          p->l.x0 = MIN (p->l.x0, series->x[i]);
          p->l.x1 = MAX (p->l.x1, series->x[i]);
          p->l.y0 = MIN (p->l.y0, series->y[i]);
          p->l.y1 = MAX (p->l.y1, series->y[i]);
          any = TRUE;
        }
    }
  if (!any)
    p->l.x0 = p->l.y0 = 0, p->l.x1 = p->l.y1 = 1;
  if (p->l.categorical)
    {
      p->l.x0 = 0;
      p->l.x1 = spec->categories != NULL ? MAX (spec->categories->len, 1) : p->l.x1 + 1;
    }
  if (spec->type == WR_CHART_BAR || spec->type == WR_CHART_AREA)
    {
      p->l.y0 = MIN (p->l.y0, 0);
      p->l.y1 = MAX (p->l.y1, 0);
    }
  if (p->l.y1 <= p->l.y0)
    p->l.y1 = p->l.y0 + 1, p->l.y0 -= p->l.y0 != 0 ? 1 : 0;
  if (p->l.x1 <= p->l.x0)
    p->l.x1 = p->l.x0 + 1, p->l.x0 -= 1;
}

static void
draw_y_axis (Plot *p)
{
  cairo_t *cr = p->cr;
  double step = p->l.y_step;
  double first = p->l.y0;

  cairo_set_line_width (cr, 1);
  for (double v = first; v <= p->l.y1 + step * 0.5; v += step)
    {
      double y = round (map_y (p, v)) + 0.5;
      g_autofree char *label = format_number (v, step);

      set_color (cr, &p->style->grid, 1);
      cairo_move_to (cr, p->l.left, y);
      cairo_line_to (cr, p->l.right, y);
      cairo_stroke (cr);
      set_color (cr, &p->style->fg, 0.8);
      cairo_move_to (cr, p->l.left - 6 - text_width (cr, label), y + p->style->font_size * 0.35);
      cairo_show_text (cr, label);
    }
}

static void
draw_x_axis (Plot *p)
{
  cairo_t *cr = p->cr;
  double baseline = p->l.bottom + p->style->font_size + 6;

  set_color (cr, &p->style->fg, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, p->l.left, round (p->l.bottom) + 0.5);
  cairo_line_to (cr, p->l.right, round (p->l.bottom) + 0.5);
  cairo_stroke (cr);

  set_color (cr, &p->style->fg, 0.8);
  if (p->l.categorical)
    {
      guint n = (guint) p->l.x1;
      double slot = (p->l.right - p->l.left) / MAX (n, 1);
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

      step = _wr_chart_nice_step (p->l.x0, p->l.x1, 10, NULL);
      sample0 = format_number (p->l.x0, step);
      sample1 = format_number (p->l.x1, step);
      label_w = MAX (text_width (cr, sample0), text_width (cr, sample1)) + 16;
      max_ticks = (int) MAX (2, (p->l.right - p->l.left) / label_w);
      step = _wr_chart_nice_step (p->l.x0, p->l.x1, max_ticks, &first);
      for (double v = first; v <= p->l.x1 + step * 1e-6; v += step)
        {
          g_autofree char *label = format_number (v, step);
          double x = map_x (p, v);
          double w = text_width (cr, label);

          set_color (cr, &p->style->fg, 0.6);
          cairo_move_to (cr, round (x) + 0.5, p->l.bottom);
          cairo_line_to (cr, round (x) + 0.5, p->l.bottom + 4);
          cairo_stroke (cr);
          set_color (cr, &p->style->fg, 0.8);
          cairo_move_to (cr, CLAMP (x - w / 2, p->l.left - 20, p->l.right + 20 - w), baseline);
          cairo_show_text (cr, label);
        }
    }
}

static void
draw_bars (Plot *p)
{
  guint n_series = p->spec->series->len;
  double slot = (p->l.right - p->l.left) / MAX (p->l.x1, 1);
  double bar = slot * 0.8 / MAX (n_series, 1);
  double zero = map_y (p, MAX (p->l.y0, MIN (0, p->l.y1)));

  for (guint s = 0; s < n_series; s++)
    {
      WrChartSeries *series = g_ptr_array_index (p->spec->series, s);

      set_color (p->cr, &p->style->palette[s % WR_CHART_PALETTE_SIZE], 1);
      for (gsize i = 0; i < series->n; i++)
        {
          double x = p->l.left + series->x[i] * slot + slot * 0.1 + s * bar;
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
  guint columns = (guint) MAX (2, ceil (p->l.right - p->l.left) + 1);
  g_autofree double *mins = g_new (double, columns);
  g_autofree double *maxs = g_new (double, columns);
  g_autofree gboolean *occupied = g_new (gboolean, columns);
  double base = map_y (p, MAX (p->l.y0, MIN (0, p->l.y1)));

  cairo_save (cr);
  cairo_rectangle (cr, p->l.left, p->l.top - 2, p->l.right - p->l.left, p->l.bottom - p->l.top + 4);
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

      if (series->n > columns * 2 && !p->l.categorical)
        {
          double col_x0 = p->l.left;

          _wr_chart_decimate (series->x, series->y, series->n, p->l.x0, p->l.x1, columns, mins, maxs, occupied);
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
  int w = (int) ceil (p->l.right - p->l.left) + 1;
  int h = (int) ceil (p->l.bottom - p->l.top) + 1;

  cairo_save (cr);
  cairo_rectangle (cr, p->l.left - 3, p->l.top - 3, p->l.right - p->l.left + 6, p->l.bottom - p->l.top + 6);
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
          double sx = (w - 1) / (p->l.x1 - p->l.x0);
          double sy = (h - 1) / (p->l.y1 - p->l.y0);

          cairo_surface_flush (mask);
          data = cairo_image_surface_get_data (mask);
          stride = cairo_image_surface_get_stride (mask);
          for (gsize i = 0; i < series->n; i++)
            {
              double fx = (series->x[i] - p->l.x0) * sx + 0.5;
              double fy = (p->l.y1 - series->y[i]) * sy + 0.5;

              if (!(fx >= 0) || !(fy >= 0) || fx >= w || fy >= h)
                continue;
              data[(int) fy * stride + (int) fx] = 0xff;
            }
          cairo_surface_mark_dirty (mask);
          set_color (cr, color, 1);
          cairo_mask_surface (cr, mask, floor (p->l.left), floor (p->l.top));
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
  double x = p->l.left;
  double y = p->l.top - fs * 0.8;

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
      if (x + w > width - 8 && x > p->l.left)
        {
          if (pie)
            break;
          x = p->l.left;
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
  double cx = p->l.cx;
  double cy = p->l.cy;
  double r = p->l.radius;
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

/* The layout wr_chart_draw() uses; @p->cr measures the y labels. */
static void
compute_layout (Plot   *p,
                double  width,
                double  height)
{
  const WrChartSpec *spec = p->spec;
  double fs = p->style->font_size;
  gboolean legend = spec->type == WR_CHART_PIE || spec->series->len > 1;
  double first, step;

  memset (&p->l, 0, sizeof p->l);
  p->l.categorical = spec->categories != NULL || spec->type == WR_CHART_BAR;
  p->l.top = 12 + (spec->title != NULL ? fs * 2.2 : 0) + (legend ? fs * 1.8 : 0);
  p->l.bottom = height - 12 - (spec->type != WR_CHART_PIE ? fs * 1.6 : 0) - (spec->x_label != NULL ? fs * 1.6 : 0);
  p->l.right = width - 24;
  p->l.left = 16;

  if (spec->type == WR_CHART_PIE)
    {
      p->l.cx = (p->l.left + p->l.right) / 2;
      p->l.cy = (p->l.top + p->l.bottom) / 2;
      p->l.radius = MAX (MIN (p->l.right - p->l.left, p->l.bottom - p->l.top) / 2 - 4, 1);
      p->l.empty = p->l.right - p->l.left < 10 || p->l.bottom - p->l.top < 10;
      return;
    }

  compute_ranges (p);
  /* Widen y to whole steps so the top and bottom lines are ticks, and
   * leave room for the widest y label. */
  step = _wr_chart_nice_step (p->l.y0, p->l.y1, (int) MAX (2, (p->l.bottom - p->l.top) / (fs * 3)), &first);
  p->l.y0 = floor (p->l.y0 / step + 1e-9) * step;
  p->l.y1 = ceil (p->l.y1 / step - 1e-9) * step;
  p->l.y_step = step;
  {
    g_autofree char *lo = format_number (p->l.y0, step);
    g_autofree char *hi = format_number (p->l.y1, step);

    p->l.left = 12 + (spec->y_label != NULL ? fs * 1.8 : 0) + MAX (text_width (p->cr, lo), text_width (p->cr, hi)) + 8;
  }
  p->l.empty = p->l.right - p->l.left < 10 || p->l.bottom - p->l.top < 10;
}

static void
set_font (cairo_t            *cr,
          const WrChartStyle *style)
{
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, style->font_size);
}

void
wr_chart_layout_compute (const WrChartSpec  *spec,
                         double              width,
                         double              height,
                         const WrChartStyle *style,
                         WrChartLayout      *out_layout)
{
  cairo_surface_t *surface;
  Plot p = { 0 };

  g_return_if_fail (spec != NULL && out_layout != NULL);

  if (style == NULL)
    style = wr_chart_style_light ();
  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  p.spec = spec;
  p.style = style;
  p.cr = cairo_create (surface);
  set_font (p.cr, style);
  compute_layout (&p, width, height);
  *out_layout = p.l;
  cairo_destroy (p.cr);
  cairo_surface_destroy (surface);
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

  g_return_if_fail (spec != NULL && cr != NULL);

  if (style == NULL)
    style = wr_chart_style_light ();
  fs = style->font_size;
  p.spec = spec;
  p.style = style;
  p.cr = cr;

  cairo_save (cr);
  set_color (cr, &style->bg, 1);
  cairo_paint (cr);
  set_font (cr, style);
  compute_layout (&p, width, height);

  if (spec->title != NULL)
    {
      cairo_set_font_size (cr, fs * 1.35);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      set_color (cr, &style->fg, 1);
      cairo_move_to (cr, MAX (8, (width - text_width (cr, spec->title)) / 2), 12 + fs * 1.35);
      cairo_show_text (cr, spec->title);
      set_font (cr, style);
    }

  if (spec->type == WR_CHART_PIE)
    {
      draw_legend (&p, width);
      draw_pie (&p);
      cairo_restore (cr);
      return;
    }

  if (p.l.empty)
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
      cairo_move_to (cr, (p.l.left + p.l.right - text_width (cr, spec->x_label)) / 2, height - 12);
      cairo_show_text (cr, spec->x_label);
    }
  if (spec->y_label != NULL)
    {
      cairo_save (cr);
      cairo_move_to (cr, 12 + fs, (p.l.top + p.l.bottom + text_width (cr, spec->y_label)) / 2);
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

/* Hit testing: the same layout and mapping as drawing. */

static double
bar_slot (const WrChartLayout *l)
{
  return (l->right - l->left) / MAX (l->x1, 1);
}

static gboolean
point_position (const WrChartSpec   *spec,
                const WrChartLayout *layout,
                guint                s,
                gsize                i,
                double              *out_x,
                double              *out_y)
{
  Plot p = { .spec = spec, .l = *layout };
  WrChartSeries *series = g_ptr_array_index (spec->series, s);

  if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
    return FALSE;
  if (spec->type == WR_CHART_BAR)
    {
      double slot = bar_slot (layout);
      double bar = slot * 0.8 / MAX (spec->series->len, 1);

      *out_x = layout->left + series->x[i] * slot + slot * 0.1 + s * bar + bar / 2;
      *out_y = map_y (&p, series->y[i]);
    }
  else
    {
      *out_x = map_x (&p, series->x[i]);
      *out_y = map_y (&p, series->y[i]);
    }
  return TRUE;
}

static void
fill_hit (const WrChartSpec   *spec,
          const WrChartLayout *layout,
          guint                s,
          gsize                i,
          WrChartHit          *hit)
{
  WrChartSeries *series = g_ptr_array_index (spec->series, s);

  hit->series = s;
  hit->index = i;
  hit->x = series->x[i];
  hit->y = series->y[i];
  hit->category = NULL;
  if (spec->categories != NULL && series->x[i] >= 0 && series->x[i] < spec->categories->len)
    hit->category = g_ptr_array_index (spec->categories, (guint) series->x[i]);
  if (spec->type != WR_CHART_PIE)
    point_position (spec, layout, s, i, &hit->px, &hit->py);
}

/* Index of the first point with x ≥ @value (x ascending). */
static gsize
lower_bound (const double *x,
             gsize         n,
             double        value)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (x[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The point of series @s at slot @x (bars): x = index first, then
 * bisection, then a scan for specs in no order. */
static gssize
find_x (const WrChartSeries *series,
        double               x)
{
  gsize i;

  if (x >= 0 && x < series->n && series->x[(gsize) x] == x)
    return (gssize) x;
  i = lower_bound (series->x, series->n, x);
  if (i < series->n && series->x[i] == x)
    return (gssize) i;
  for (i = 0; i < series->n; i++)
    if (series->x[i] == x)
      return (gssize) i;
  return -1;
}

static gboolean
hit_bars (const WrChartSpec   *spec,
          const WrChartLayout *l,
          double               px,
          double               py,
          WrChartHit          *hit)
{
  double slot = bar_slot (l);
  double bar = slot * 0.8 / MAX (spec->series->len, 1);
  double slot_index = floor ((px - l->left) / slot);
  double offset = px - l->left - slot_index * slot - slot * 0.1;
  guint s;
  gssize i;

  if (py < l->top || py > l->bottom || offset < 0 || bar <= 0)
    return FALSE;
  s = (guint) (offset / bar);
  if (s >= spec->series->len)
    return FALSE;
  i = find_x (g_ptr_array_index (spec->series, s), slot_index);
  if (i < 0 || !isfinite (((WrChartSeries *) g_ptr_array_index (spec->series, s))->y[i]))
    return FALSE;
  fill_hit (spec, l, s, (gsize) i, hit);
  return TRUE;
}

static gboolean
hit_points (const WrChartSpec   *spec,
            const WrChartLayout *l,
            double               px,
            double               py,
            WrChartHit          *hit)
{
  Plot p = { .spec = spec, .l = *l };
  double best = WR_CHART_HIT_RADIUS * WR_CHART_HIT_RADIUS;
  double sx, sy, dx_lo, dx_hi, dy_lo, dy_hi;
  gssize best_i = -1;
  guint best_s = 0;

  if (l->categorical)
    sx = (l->right - l->left) / MAX (l->x1, 1);
  else
    sx = (l->right - l->left) / (l->x1 - l->x0);
  sy = (l->bottom - l->top) / (l->y1 - l->y0);
  /* The window of data values within the radius, to skip most points
   * without mapping them. */
  dx_lo = (px - WR_CHART_HIT_RADIUS - l->left) / sx + (l->categorical ? -0.5 : l->x0);
  dx_hi = (px + WR_CHART_HIT_RADIUS - l->left) / sx + (l->categorical ? -0.5 : l->x0);
  dy_lo = l->y0 + (l->bottom - (py + WR_CHART_HIT_RADIUS)) / sy;
  dy_hi = l->y0 + (l->bottom - (py - WR_CHART_HIT_RADIUS)) / sy;

  for (guint s = 0; s < spec->series->len; s++)
    {
      const WrChartSeries *series = g_ptr_array_index (spec->series, s);
      gsize from = 0, to = series->n;

      if (spec->type != WR_CHART_SCATTER)
        {
          from = lower_bound (series->x, series->n, dx_lo);
          to = from;
          while (to < series->n && series->x[to] <= dx_hi)
            to++;
        }
      const double *xs = series->x, *ys = series->y;
      double cx = (dx_lo + dx_hi) / 2, hx = (dx_hi - dx_lo) / 2;
      double cy = (dy_lo + dy_hi) / 2, hy = (dy_hi - dy_lo) / 2;

      for (gsize i = from; i < to; i++)
        {
          double d, mx, my;

          /* Cheap reject first: one compare per point mostly. */
          if (!(fabs (xs[i] - cx) <= hx) || !(fabs (ys[i] - cy) <= hy))
            continue;
          mx = map_x (&p, xs[i]) - px;
          my = map_y (&p, ys[i]) - py;
          d = mx * mx + my * my;
          if (d <= best)
            {
              best = d;
              best_i = (gssize) i;
              best_s = s;
            }
        }
    }
  if (best_i < 0)
    return FALSE;
  fill_hit (spec, l, best_s, (gsize) best_i, hit);
  return TRUE;
}

static gboolean
hit_pie (const WrChartSpec   *spec,
         const WrChartLayout *l,
         double               px,
         double               py,
         WrChartHit          *hit)
{
  const WrChartSeries *series;
  double total = 0, angle, start = 0;
  double dx = px - l->cx, dy = py - l->cy;

  if (spec->series->len == 0 || dx * dx + dy * dy > l->radius * l->radius)
    return FALSE;
  series = g_ptr_array_index (spec->series, 0);
  for (gsize i = 0; i < series->n; i++)
    if (series->y[i] > 0)
      total += series->y[i];
  if (total <= 0)
    return FALSE;
  /* Slices start at 12 o'clock and go clockwise (y points down). */
  angle = atan2 (dy, dx) + G_PI / 2;
  if (angle < 0)
    angle += 2 * G_PI;
  for (gsize i = 0; i < series->n; i++)
    {
      double sweep;

      if (!(series->y[i] > 0))
        continue;
      sweep = series->y[i] / total * 2 * G_PI;
      if (angle >= start && angle < start + sweep)
        {
          double mid = -G_PI / 2 + start + sweep / 2;

          fill_hit (spec, l, 0, i, hit);
          hit->px = l->cx + cos (mid) * l->radius * 0.65;
          hit->py = l->cy + sin (mid) * l->radius * 0.65;
          return TRUE;
        }
      start += sweep;
    }
  return FALSE;
}

gboolean
wr_chart_hit_test_layout (const WrChartSpec   *spec,
                          const WrChartLayout *layout,
                          double               px,
                          double               py,
                          WrChartHit          *out_hit)
{
  WrChartHit hit = { 0 };
  gboolean found;

  g_return_val_if_fail (spec != NULL && layout != NULL, FALSE);

  if (layout->empty || !isfinite (px) || !isfinite (py))
    return FALSE;
  switch (spec->type)
    {
    case WR_CHART_BAR:
      found = hit_bars (spec, layout, px, py, &hit);
      break;
    case WR_CHART_PIE:
      found = hit_pie (spec, layout, px, py, &hit);
      break;
    case WR_CHART_LINE:
    case WR_CHART_AREA:
    case WR_CHART_SCATTER:
    default:
      found = hit_points (spec, layout, px, py, &hit);
      break;
    }
  if (found && out_hit != NULL)
    *out_hit = hit;
  return found;
}

gboolean
wr_chart_hit_test (const WrChartSpec  *spec,
                   double              width,
                   double              height,
                   const WrChartStyle *style,
                   double              px,
                   double              py,
                   WrChartHit         *out_hit)
{
  WrChartLayout layout;

  g_return_val_if_fail (spec != NULL, FALSE);

  wr_chart_layout_compute (spec, width, height, style, &layout);
  return wr_chart_hit_test_layout (spec, &layout, px, py, out_hit);
}

gboolean
wr_chart_hit_for_point (const WrChartSpec   *spec,
                        const WrChartLayout *layout,
                        guint                series,
                        gsize                index,
                        WrChartHit          *out_hit)
{
  const WrChartSeries *s;
  WrChartHit hit = { 0 };

  g_return_val_if_fail (spec != NULL && layout != NULL, FALSE);

  if (series >= spec->series->len)
    return FALSE;
  s = g_ptr_array_index (spec->series, series);
  if (index >= s->n || !isfinite (s->x[index]) || !isfinite (s->y[index]))
    return FALSE;
  if (spec->type == WR_CHART_PIE)
    {
      double total = 0, start = 0;

      if (series != 0 || !(s->y[index] > 0))
        return FALSE;
      for (gsize i = 0; i < s->n; i++)
        if (s->y[i] > 0)
          {
            if (i < index)
              start += s->y[i];
            total += s->y[i];
          }
      fill_hit (spec, layout, 0, index, &hit);
      {
        double mid = -G_PI / 2 + (start + s->y[index] / 2) / total * 2 * G_PI;

        hit.px = layout->cx + cos (mid) * layout->radius * 0.65;
        hit.py = layout->cy + sin (mid) * layout->radius * 0.65;
      }
    }
  else
    fill_hit (spec, layout, series, index, &hit);
  if (out_hit != NULL)
    *out_hit = hit;
  return TRUE;
}

static char *
format_value (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);
  g_ascii_formatd (buf, sizeof buf, "%.6g", value);
  return g_strdup (buf);
}

char *
wr_chart_hit_format (const WrChartSpec *spec,
                     const WrChartHit  *hit)
{
  const WrChartSeries *series;
  g_autofree char *fallback = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  const char *name;

  g_return_val_if_fail (spec != NULL && hit != NULL, NULL);
  g_return_val_if_fail (hit->series < spec->series->len, NULL);

  series = g_ptr_array_index (spec->series, hit->series);
  name = series->name;
  if (name == NULL)
    name = fallback = g_strdup_printf (_("Series %u"), hit->series + 1);
  x = hit->category != NULL ? g_strdup (hit->category) : format_value (hit->x);
  y = format_value (hit->y);
  if (spec->type == WR_CHART_PIE)
    {
      double total = 0;

      for (gsize i = 0; i < series->n; i++)
        if (series->y[i] > 0)
          total += series->y[i];
      /* TRANSLATORS: a pie slice: series · category: value (share) */
      return g_strdup_printf (_("%s · %s: %s (%.0f%%)"), name, x, y,
                              total > 0 ? hit->y / total * 100 : 0);
    }
  /* TRANSLATORS: a point's tooltip: series · x: y */
  return g_strdup_printf (_("%s · %s: %s"), name, x, y);
}
