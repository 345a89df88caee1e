/* wr-dataset-query.c — sort, filter and statistics over dataset_rows.
 *
 * Rows are streamed in chunks of WR_DATASET_QUERY_CHUNK (keyset paging on
 * the primary key), and each row's cells (a JSON array of strings or null,
 * as the import wrote it) are split by a small scanner instead of a JSON
 * parser: at a million rows the parser's allocations would cost more than
 * the rest of the work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "store/wr-store-db.h"
#include "wr-dataset-query.h"
#include "wr-util.h"

/* Cell scanner */

typedef struct {
  GString *buf;       /* unescaped cells, each NUL-terminated */
  GArray  *offsets;   /* gssize per cell: offset in @buf, -1 for empty */
} Cells;

static void
cells_init (Cells *cells)
{
  cells->buf = g_string_sized_new (256);
  cells->offsets = g_array_sized_new (FALSE, FALSE, sizeof (gssize), 16);
}

static void
cells_clear (Cells *cells)
{
  g_string_free (cells->buf, TRUE);
  g_array_unref (cells->offsets);
}

static guint
read_hex4 (const char *p,
           gboolean   *ok)
{
  guint value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        {
          *ok = FALSE;
          return 0;
        }
      value = value * 16 + (guint) digit;
    }
  return value;
}

/* Splits @json (an array of strings, numbers, booleans or null) into
 * cells; FALSE when it is not such an array. Empty strings are empty
 * cells, like null. */
static gboolean
cells_parse (Cells      *cells,
             const char *json)
{
  const char *p = json;

  g_string_truncate (cells->buf, 0);
  g_array_set_size (cells->offsets, 0);

  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '[')
    return FALSE;

  for (;;)
    {
      gssize offset = (gssize) cells->buf->len;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == ']' && cells->offsets->len == 0)
        return TRUE;

      if (*p == '"')
        {
          p++;
          for (;;)
            {
              const char *run = p;

              while (*p != '"' && *p != '\\' && *p != '\0')
                p++;
              g_string_append_len (cells->buf, run, p - run);
              if (*p == '"')
                {
                  p++;
                  break;
                }
              if (*p == '\0')
                return FALSE;
              p++;   /* backslash */
              switch (*p)
                {
                case 'n': g_string_append_c (cells->buf, '\n'); p++; break;
                case 'r': g_string_append_c (cells->buf, '\r'); p++; break;
                case 't': g_string_append_c (cells->buf, '\t'); p++; break;
                case 'b': g_string_append_c (cells->buf, '\b'); p++; break;
                case 'f': g_string_append_c (cells->buf, '\f'); p++; break;
                case 'u':
                  {
                    gboolean ok = TRUE;
                    gunichar c = read_hex4 (p + 1, &ok);

                    if (!ok)
                      return FALSE;
                    p += 5;
                    if (c >= 0xd800 && c < 0xdc00 && p[0] == '\\' && p[1] == 'u')
                      {
                        gunichar low = read_hex4 (p + 2, &ok);

                        if (ok && low >= 0xdc00 && low < 0xe000)
                          {
                            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                            p += 6;
                          }
                      }
                    if (c == 0 || (c >= 0xd800 && c < 0xe000))
                      c = 0xfffd;
                    g_string_append_unichar (cells->buf, c);
                    break;
                  }
                case '\0':
                  return FALSE;
                default:
                  g_string_append_c (cells->buf, *p++);
                  break;
                }
            }
          if ((gssize) cells->buf->len == offset)
            offset = -1;
        }
      else if (strncmp (p, "null", 4) == 0)
        {
          p += 4;
          offset = -1;
        }
      else
        {
          const char *start = p;

          while (*p != ',' && *p != ']' && *p != '\0' && !g_ascii_isspace (*p))
            p++;
          if (p == start)
            return FALSE;
          g_string_append_len (cells->buf, start, p - start);
        }
      g_string_append_c (cells->buf, '\0');
      g_array_append_val (cells->offsets, offset);

      while (g_ascii_isspace (*p))
        p++;
      if (*p == ',')
        p++;
      else if (*p == ']')
        return TRUE;
      else
        return FALSE;
    }
}

/* Cell @column, or NULL when empty or missing. Valid until the next parse. */
static const char *
cells_get (Cells *cells,
           guint  column)
{
  gssize offset;

  if (column >= cells->offsets->len)
    return NULL;
  offset = g_array_index (cells->offsets, gssize, column);
  return offset < 0 ? NULL : cells->buf->str + offset;
}

/* Values */

static guint
read_digits (const char **p,
             guint        max,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (n < max && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }
  return n;
}

static gboolean
valid_ymd (guint y,
           guint m,
           guint d)
{
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y);
}

/* A date as the number YYYYMMDDhhmmss (exact in a double), as the column
 * type reads dates: ISO with an optional time, or D/M/YYYY (M/D/YYYY with
 * '/' when the day-first reading is no date). */
static gboolean
parse_date_key (const char *s,
                double     *out)
{
  const char *p = s;
  guint a, b, c, na, nb, nc, y, m, d, hh = 0, mm = 0, ss = 0;
  char sep;

  na = read_digits (&p, 4, &a);
  sep = *p;
  if (na == 0 || (sep != '-' && sep != '/' && sep != '.'))
    return FALSE;
  p++;
  nb = read_digits (&p, 2, &b);
  if (nb == 0 || *p++ != sep)
    return FALSE;
  nc = read_digits (&p, 4, &c);

  if (na == 4 && sep == '-' && nb == 2 && nc == 2)
    {
      y = a, m = b, d = c;
      if (*p == 'T' || *p == ' ')
        {
          p++;
          if (read_digits (&p, 2, &hh) != 2 || *p++ != ':' || read_digits (&p, 2, &mm) != 2)
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (read_digits (&p, 2, &ss) != 2)
                return FALSE;
            }
        }
      else if (*p != '\0')
        return FALSE;
    }
  else if (na <= 2 && nc == 4 && *p == '\0')
    {
      y = c;
      if (valid_ymd (c, b, a))
        m = b, d = a;
      else
        m = a, d = b;
    }
  else
    return FALSE;

  if (!valid_ymd (y, m, d) || hh > 23 || mm > 59 || ss > 60)
    return FALSE;
  *out = ((((y * 100.0 + m) * 100.0 + d) * 100.0 + hh) * 100.0 + mm) * 100.0 + ss;
  return TRUE;
}

static char *
format_date_key (double key)
{
  guint64 k = (guint64) key;
  guint ss = k % 100, mm = (k / 100) % 100, hh = (k / 10000) % 100;
  guint d = (k / 1000000) % 100, m = (k / 100000000) % 100, y = (guint) (k / 10000000000ULL);

  if (hh == 0 && mm == 0 && ss == 0)
    return g_strdup_printf ("%04u-%02u-%02u", y, m, d);
  return g_strdup_printf ("%04u-%02u-%02u %02u:%02u:%02u", y, m, d, hh, mm, ss);
}

static gboolean
is_numeric_type (WrColumnType type)
{
  return type != WR_COLUMN_TYPE_TEXT;
}

/* The value of @s as a number for a column of @type (not text). */
static gboolean
numeric_key (WrColumnType  type,
             const char   *s,
             double       *out)
{
  char *end = NULL;

  switch (type)
    {
    case WR_COLUMN_TYPE_INTEGER:
    case WR_COLUMN_TYPE_NUMBER:
      *out = g_ascii_strtod (s, &end);
      return end != s && *end == '\0' && isfinite (*out);
    case WR_COLUMN_TYPE_BOOLEAN:
      if (g_ascii_strcasecmp (s, "true") == 0 || g_ascii_strcasecmp (s, "yes") == 0)
        *out = 1;
      else if (g_ascii_strcasecmp (s, "false") == 0 || g_ascii_strcasecmp (s, "no") == 0)
        *out = 0;
      else
        return FALSE;
      return TRUE;
    case WR_COLUMN_TYPE_DATE:
      return parse_date_key (s, out);
    case WR_COLUMN_TYPE_TEXT:
    default:
      return FALSE;
    }
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* Appends @s casefolded (ASCII fast path) and a NUL to @out. */
static void
append_casefold (GString    *out,
                 const char *s)
{
  if (is_ascii (s))
    {
      for (; *s != '\0'; s++)
        g_string_append_c (out, g_ascii_tolower (*s));
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (s, -1);
      g_string_append (out, folded);
    }
  g_string_append_c (out, '\0');
}

/* Whether @hay contains @needle (casefolded); @ascii_needle: compare
 * bytes without case instead of folding @hay. */
static gboolean
contains_folded (const char *hay,
                 const char *needle,
                 gsize       needle_len,
                 gboolean    ascii_needle)
{
  if (needle_len == 0)
    return TRUE;
  if (ascii_needle)
    {
      char first = needle[0];

      for (const char *p = hay; *p != '\0'; p++)
        {
          gsize i;

          if (g_ascii_tolower (*p) != first)
            continue;
          for (i = 1; i < needle_len && p[i] != '\0' && g_ascii_tolower (p[i]) == needle[i]; i++)
            ;
          if (i == needle_len)
            return TRUE;
        }
      return FALSE;
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (hay, -1);
      return strstr (folded, needle) != NULL;
    }
}

/* Ops */

static const char * const op_names[] = { "=", "!=", "<", ">", "contains", "empty" };

const char *
wr_dataset_op_to_string (WrDatasetOp op)
{
  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (op_names), "=");
  return op_names[op];
}

gboolean
wr_dataset_op_from_string (const char  *text,
                           WrDatasetOp *op)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (op_names); i++)
    if (g_str_equal (text, op_names[i]))
      {
        *op = (WrDatasetOp) i;
        return TRUE;
      }
  if (g_str_equal (text, "≠"))
    {
      *op = WR_DATASET_OP_NOT_EQUALS;
      return TRUE;
    }
  return FALSE;
}

/* Query */

typedef struct {
  guint        column;
  WrDatasetOp  op;
  char        *value;
} Condition;

struct _WrDatasetQuery {
  int      sort_column;
  gboolean descending;
  char    *text;
  GArray  *conditions;   /* Condition */
};

static void
condition_clear (gpointer data)
{
  g_free (((Condition *) data)->value);
}

WrDatasetQuery *
wr_dataset_query_new (void)
{
  WrDatasetQuery *query = g_new0 (WrDatasetQuery, 1);

  query->sort_column = -1;
  query->conditions = g_array_new (FALSE, TRUE, sizeof (Condition));
  g_array_set_clear_func (query->conditions, condition_clear);
  return query;
}

WrDatasetQuery *
wr_dataset_query_copy (const WrDatasetQuery *query)
{
  WrDatasetQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = wr_dataset_query_new ();
  copy->sort_column = query->sort_column;
  copy->descending = query->descending;
  copy->text = g_strdup (query->text);
  for (guint i = 0; i < query->conditions->len; i++)
    {
      const Condition *c = &g_array_index (query->conditions, Condition, i);
      wr_dataset_query_add_condition (copy, c->column, c->op, c->value);
    }
  return copy;
}

void
wr_dataset_query_free (WrDatasetQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->text);
  g_array_unref (query->conditions);
  g_free (query);
}

void
wr_dataset_query_set_sort (WrDatasetQuery *query,
                           int             column,
                           gboolean        descending)
{
  g_return_if_fail (query != NULL);

  query->sort_column = MAX (column, -1);
  query->descending = column >= 0 && descending;
}

int
wr_dataset_query_get_sort_column (const WrDatasetQuery *query)
{
  g_return_val_if_fail (query != NULL, -1);
  return query->sort_column;
}

gboolean
wr_dataset_query_get_descending (const WrDatasetQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);
  return query->descending;
}

void
wr_dataset_query_set_text (WrDatasetQuery *query,
                           const char     *text)
{
  g_return_if_fail (query != NULL);

  g_free (query->text);
  query->text = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

const char *
wr_dataset_query_get_text (const WrDatasetQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);
  return query->text;
}

void
wr_dataset_query_add_condition (WrDatasetQuery *query,
                                guint           column,
                                WrDatasetOp     op,
                                const char     *value)
{
  Condition c = { column, op, NULL };

  g_return_if_fail (query != NULL);
  g_return_if_fail ((guint) op < G_N_ELEMENTS (op_names));

  c.value = g_strdup (op == WR_DATASET_OP_IS_EMPTY || value == NULL ? "" : value);
  g_array_append_val (query->conditions, c);
}

guint
wr_dataset_query_get_n_conditions (const WrDatasetQuery *query)
{
  g_return_val_if_fail (query != NULL, 0);
  return query->conditions->len;
}

void
wr_dataset_query_clear_conditions (WrDatasetQuery *query)
{
  g_return_if_fail (query != NULL);
  g_array_set_size (query->conditions, 0);
}

gboolean
wr_dataset_query_is_empty (const WrDatasetQuery *query)
{
  g_return_val_if_fail (query != NULL, TRUE);
  return query->sort_column < 0 && query->text == NULL && query->conditions->len == 0;
}

/* Result */

struct _WrDatasetResult {
  gatomicrefcount  ref_count;
  guint            n_total;
  GArray          *rows;   /* guint32 */
};

WrDatasetResult *
wr_dataset_result_ref (WrDatasetResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
wr_dataset_result_unref (WrDatasetResult *result)
{
  g_return_if_fail (result != NULL);
  if (g_atomic_ref_count_dec (&result->ref_count))
    {
      g_array_unref (result->rows);
      g_free (result);
    }
}

guint
wr_dataset_result_get_n_rows (const WrDatasetResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->rows->len;
}

guint
wr_dataset_result_get_n_total (const WrDatasetResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->n_total;
}

guint32
wr_dataset_result_get_index (const WrDatasetResult *result,
                             guint                  position)
{
  g_return_val_if_fail (result != NULL, 0);
  g_return_val_if_fail (position < result->rows->len, 0);
  return g_array_index (result->rows, guint32, position);
}

/* Dataset shape */

typedef struct {
  guint         n_columns;
  guint         n_rows;
  GPtrArray    *names;   /* char * */
  WrColumnType *types;
} Shape;

static void
shape_clear (Shape *shape)
{
  g_clear_pointer (&shape->names, g_ptr_array_unref);
  g_clear_pointer (&shape->types, g_free);
}

static WrColumnType
type_from_string (const char *type)
{
  static const WrColumnType types[] = {
    WR_COLUMN_TYPE_INTEGER, WR_COLUMN_TYPE_NUMBER, WR_COLUMN_TYPE_BOOLEAN, WR_COLUMN_TYPE_DATE,
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (type, wr_column_type_to_string (types[i])))
      return types[i];
  return WR_COLUMN_TYPE_TEXT;
}

static gboolean
load_shape (WrStore     *store,
            const char  *id,
            Shape       *shape,
            GError     **error)
{
  g_autoptr(WrDatasetInfo) info = wr_dataset_get (store, id, error);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *columns;

  if (info == NULL)
    return FALSE;
  if (g_strcmp0 (info->status, "ready") != 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The dataset “%s” is not ready: its import failed or is still running. Import the file again."),
                   info->name);
      return FALSE;
    }
  node = json_from_string (info->columns != NULL ? info->columns : "[]", NULL);
  columns = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  shape->n_columns = columns != NULL ? json_array_get_length (columns) : 0;
  shape->n_rows = (guint) CLAMP (info->row_count, 0, G_MAXUINT32);
  shape->names = g_ptr_array_new_with_free_func (g_free);
  shape->types = g_new0 (WrColumnType, MAX (shape->n_columns, 1));
  for (guint i = 0; i < shape->n_columns; i++)
    {
      JsonObject *spec = json_array_get_object_element (columns, i);

      g_ptr_array_add (shape->names,
                       g_strdup (spec != NULL ? json_object_get_string_member_with_default (spec, "name", "") : ""));
      shape->types[i] = type_from_string (spec != NULL ? json_object_get_string_member_with_default (spec, "type", "text")
                                          : "text");
    }
  return TRUE;
}

/* Streaming */

typedef void (*RowFunc) (guint32     row_index,
                         const char *cells_json,
                         gpointer    data);

typedef struct {
  WrStore    *store;
  const char *id;
  gint64      next;
  guint       n_read;
  RowFunc     func;
  gpointer    data;
} Chunk;

static gboolean
chunk_tx (sqlite3  *db,
          gpointer  data,
          GError  **error)
{
  Chunk *chunk = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  stmt = _wr_store_prepare (chunk->store,
                            "SELECT row_index, cells FROM dataset_rows WHERE dataset_id = ?"
                            " AND row_index >= ? ORDER BY row_index LIMIT ?", error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, chunk->id);
  sqlite3_bind_int64 (stmt, 2, chunk->next);
  sqlite3_bind_int (stmt, 3, WR_DATASET_QUERY_CHUNK);
  chunk->n_read = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 index = sqlite3_column_int64 (stmt, 0);
      const char *cells = _wr_db_column_text (stmt, 1);

      chunk->func ((guint32) index, cells != NULL ? cells : "[]", chunk->data);
      chunk->next = index + 1;
      chunk->n_read++;
    }
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (chunk->store, rc, error);
  return TRUE;
}

/* Calls @func for every row in file order, a chunk per store read.
 * Progress goes from @base to @base + @span. */
static gboolean
stream_rows (WrStore               *store,
             const char            *id,
             guint                  n_rows,
             RowFunc                func,
             gpointer               data,
             WrDatasetProgressFunc  progress,
             gpointer               progress_data,
             double                 base,
             double                 span,
             GCancellable          *cancellable,
             GError               **error)
{
  Chunk chunk = { store, id, 0, 0, func, data };
  guint64 done = 0;

  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!_wr_store_run_read (store, chunk_tx, &chunk, error))
        return FALSE;
      done += chunk.n_read;
      if (progress != NULL)
        progress (base + span * MIN (1.0, n_rows > 0 ? (double) done / n_rows : 1.0), progress_data);
    }
  while (chunk.n_read == WR_DATASET_QUERY_CHUNK);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Running a query */

typedef struct {
  guint32 row;
  guint8  rank;    /* 0: a value, 1: not of the column's type, 2: empty */
  double  key;
} NumEntry;

typedef struct {
  guint32 row;
  guint8  rank;
  guint32 offset;  /* of the casefolded key in the arena */
} TextEntry;

typedef struct {
  Condition   *conditions;
  guint        n_conditions;
  double      *numbers;      /* per condition: the value as a number */
  gboolean    *has_number;
  char       **folded;       /* per condition: the value casefolded */
} Compiled;

typedef struct {
  const Shape          *shape;
  const WrDatasetQuery *query;
  Cells                 cells;
  char                 *needle;        /* casefolded text filter, nullable */
  gsize                 needle_len;
  gboolean              needle_ascii;
  Compiled              compiled;
  GString              *scratch;
  /* output */
  GArray               *rows;          /* guint32, when not sorting */
  GArray               *num_entries;   /* NumEntry */
  GArray               *text_entries;  /* TextEntry */
  GString              *arena;
  gboolean              descending;
} RunData;

static gboolean
condition_matches (RunData    *run,
                   guint       i,
                   const char *cell)
{
  const Condition *c = &run->compiled.conditions[i];
  WrColumnType type = c->column < run->shape->n_columns ? run->shape->types[c->column] : WR_COLUMN_TYPE_TEXT;
  double number;
  int cmp;

  if (c->op == WR_DATASET_OP_IS_EMPTY)
    return cell == NULL;
  if (cell == NULL)
    return FALSE;
  if (c->op == WR_DATASET_OP_CONTAINS)
    return contains_folded (cell, run->compiled.folded[i], strlen (run->compiled.folded[i]),
                            is_ascii (run->compiled.folded[i]));

  if (is_numeric_type (type) && run->compiled.has_number[i] && numeric_key (type, cell, &number))
    cmp = number < run->compiled.numbers[i] ? -1 : number > run->compiled.numbers[i] ? 1 : 0;
  else
    {
      g_string_truncate (run->scratch, 0);
      append_casefold (run->scratch, cell);
      cmp = strcmp (run->scratch->str, run->compiled.folded[i]);
    }

  switch (c->op)
    {
    case WR_DATASET_OP_EQUALS:     return cmp == 0;
    case WR_DATASET_OP_NOT_EQUALS: return cmp != 0;
    case WR_DATASET_OP_LESS:       return cmp < 0;
    case WR_DATASET_OP_GREATER:    return cmp > 0;
    case WR_DATASET_OP_CONTAINS:
    case WR_DATASET_OP_IS_EMPTY:
    default:                       return FALSE;
    }
}

static gboolean
row_passes (RunData *run)
{
  for (guint i = 0; i < run->compiled.n_conditions; i++)
    if (!condition_matches (run, i, cells_get (&run->cells, run->compiled.conditions[i].column)))
      return FALSE;

  if (run->needle != NULL)
    {
      for (guint c = 0; c < run->cells.offsets->len; c++)
        {
          const char *cell = cells_get (&run->cells, c);

          if (cell != NULL && contains_folded (cell, run->needle, run->needle_len, run->needle_ascii))
            return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

static void
on_query_row (guint32     row_index,
              const char *json,
              gpointer    data)
{
  RunData *run = data;
  int sort_column = run->query->sort_column;

  if (!cells_parse (&run->cells, json))
    g_array_set_size (run->cells.offsets, 0);   /* unreadable row: all empty */

  if (!row_passes (run))
    return;

  if (sort_column < 0)
    g_array_append_val (run->rows, row_index);
  else
    {
      const char *cell = cells_get (&run->cells, (guint) sort_column);
      WrColumnType type = (guint) sort_column < run->shape->n_columns ? run->shape->types[sort_column]
                                                                      : WR_COLUMN_TYPE_TEXT;

      if (is_numeric_type (type))
        {
          NumEntry entry = { row_index, 2, 0 };

          if (cell != NULL)
            entry.rank = numeric_key (type, cell, &entry.key) ? 0 : 1;
          g_array_append_val (run->num_entries, entry);
        }
      else
        {
          TextEntry entry = { row_index, 2, 0 };

          if (cell != NULL)
            {
              entry.rank = 0;
              entry.offset = (guint32) run->arena->len;
              append_casefold (run->arena, cell);
            }
          g_array_append_val (run->text_entries, entry);
        }
    }
}

static int
compare_num (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const NumEntry *x = a, *y = b;
  gboolean descending = *(gboolean *) user_data;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  if (x->rank == 0 && x->key != y->key)
    return (x->key < y->key) != descending ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row ? 1 : 0;
}

typedef struct {
  const char *arena;
  gboolean    descending;
} TextSort;

static int
compare_text (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const TextEntry *x = a, *y = b;
  const TextSort *sort = user_data;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  if (x->rank == 0)
    {
      int cmp = strcmp (sort->arena + x->offset, sort->arena + y->offset);

      if (cmp != 0)
        return sort->descending ? -cmp : cmp;
    }
  return x->row < y->row ? -1 : x->row > y->row ? 1 : 0;
}

WrDatasetResult *
wr_dataset_query_run (WrStore               *store,
                      const char            *id,
                      const WrDatasetQuery  *query,
                      WrDatasetProgressFunc  progress,
                      gpointer               progress_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  Shape shape = { 0 };
  RunData run = { 0 };
  WrDatasetResult *result = NULL;
  gboolean ok;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!load_shape (store, id, &shape, error))
    return NULL;
  if (query->sort_column >= (int) shape.n_columns)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The dataset has no column %d to sort by. It has %u columns."),
                   query->sort_column + 1, shape.n_columns);
      shape_clear (&shape);
      return NULL;
    }

  run.shape = &shape;
  run.query = query;
  cells_init (&run.cells);
  run.scratch = g_string_new (NULL);
  if (query->text != NULL)
    {
      GString *folded = g_string_new (NULL);

      append_casefold (folded, query->text);
      run.needle_len = strlen (folded->str);
      run.needle = g_string_free (folded, FALSE);
      run.needle_ascii = is_ascii (run.needle);
    }
  run.compiled.conditions = (Condition *) (gpointer) query->conditions->data;
  run.compiled.n_conditions = query->conditions->len;
  run.compiled.numbers = g_new0 (double, MAX (run.compiled.n_conditions, 1));
  run.compiled.has_number = g_new0 (gboolean, MAX (run.compiled.n_conditions, 1));
  run.compiled.folded = g_new0 (char *, run.compiled.n_conditions + 1);
  for (guint i = 0; i < run.compiled.n_conditions; i++)
    {
      const Condition *c = &run.compiled.conditions[i];
      WrColumnType type = c->column < shape.n_columns ? shape.types[c->column] : WR_COLUMN_TYPE_TEXT;
      GString *folded = g_string_new (NULL);

      append_casefold (folded, c->value);
      run.compiled.folded[i] = g_string_free (folded, FALSE);
      run.compiled.has_number[i] = is_numeric_type (type) && numeric_key (type, c->value, &run.compiled.numbers[i]);
    }

  if (query->sort_column < 0)
    run.rows = g_array_sized_new (FALSE, FALSE, sizeof (guint32), shape.n_rows);
  else if (is_numeric_type (shape.types[query->sort_column]))
    run.num_entries = g_array_sized_new (FALSE, FALSE, sizeof (NumEntry), shape.n_rows);
  else
    {
      run.text_entries = g_array_sized_new (FALSE, FALSE, sizeof (TextEntry), shape.n_rows);
      run.arena = g_string_sized_new (1024 * 1024);
    }

  ok = stream_rows (store, id, shape.n_rows, on_query_row, &run, progress, progress_data,
                    0, query->sort_column >= 0 ? 0.9 : 1.0, cancellable, error);

  if (ok)
    {
      result = g_new0 (WrDatasetResult, 1);
      g_atomic_ref_count_init (&result->ref_count);
      result->n_total = shape.n_rows;

      if (run.rows != NULL)
        result->rows = g_steal_pointer (&run.rows);
      else if (run.num_entries != NULL)
        {
          gboolean descending = query->descending;

          g_qsort_with_data (run.num_entries->data, (gint) run.num_entries->len, sizeof (NumEntry),
                             compare_num, &descending);
          result->rows = g_array_sized_new (FALSE, FALSE, sizeof (guint32), run.num_entries->len);
          for (guint i = 0; i < run.num_entries->len; i++)
            g_array_append_val (result->rows, g_array_index (run.num_entries, NumEntry, i).row);
        }
      else
        {
          TextSort sort = { run.arena->str, query->descending };

          g_qsort_with_data (run.text_entries->data, (gint) run.text_entries->len, sizeof (TextEntry),
                             compare_text, &sort);
          result->rows = g_array_sized_new (FALSE, FALSE, sizeof (guint32), run.text_entries->len);
          for (guint i = 0; i < run.text_entries->len; i++)
            g_array_append_val (result->rows, g_array_index (run.text_entries, TextEntry, i).row);
        }
      if (progress != NULL)
        progress (1.0, progress_data);
    }

  g_clear_pointer (&run.rows, g_array_unref);
  g_clear_pointer (&run.num_entries, g_array_unref);
  g_clear_pointer (&run.text_entries, g_array_unref);
  if (run.arena != NULL)
    g_string_free (run.arena, TRUE);
  g_string_free (run.scratch, TRUE);
  g_free (run.needle);
  g_free (run.compiled.numbers);
  g_free (run.compiled.has_number);
  g_strfreev (run.compiled.folded);
  cells_clear (&run.cells);
  shape_clear (&shape);
  return result;
}

/* Reading a result */

typedef struct {
  WrStore               *store;
  const char            *id;
  const WrDatasetResult *result;
  guint                  offset;
  guint                  limit;
  guint                  n_columns;
  JsonArray             *rows;
} ReadData;

typedef struct {
  guint32 row;
  guint   slot;
} Lookup;

static int
compare_lookup (gconstpointer a,
                gconstpointer b)
{
  const Lookup *x = a, *y = b;

  return x->row < y->row ? -1 : x->row > y->row;
}

/* Reads the rows in row_index order (neighbouring lookups share B-tree
 * pages) and puts each in its result slot; cells are split by the scanner
 * rather than a JSON parser (a page costs 500 of them). */
static gboolean
read_tx (sqlite3  *db,
         gpointer  data,
         GError  **error)
{
  ReadData *read = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  guint end = MIN (read->result->rows->len, read->offset + read->limit);
  guint n = end - read->offset;
  g_autofree Lookup *lookups = g_new (Lookup, MAX (n, 1));
  g_autofree JsonNode **slots = g_new0 (JsonNode *, MAX (n, 1));
  Cells cells;
  gboolean ok = TRUE;

  stmt = _wr_store_prepare (read->store,
                            "SELECT cells FROM dataset_rows WHERE dataset_id = ? AND row_index = ?", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      lookups[i].row = g_array_index (read->result->rows, guint32, read->offset + i);
      lookups[i].slot = i;
    }
  qsort (lookups, n, sizeof (Lookup), compare_lookup);

  cells_init (&cells);
  for (guint i = 0; i < n && ok; i++)
    {
      JsonArray *array = json_array_sized_new (read->n_columns);
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      int rc;

      json_node_take_array (node, array);
      slots[lookups[i].slot] = node;

      sqlite3_reset (stmt);
      _wr_db_bind_text (stmt, 1, read->id);
      sqlite3_bind_int64 (stmt, 2, lookups[i].row);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          if (!cells_parse (&cells, _wr_db_column_text (stmt, 0)))
            g_array_set_size (cells.offsets, 0);
          for (guint c = 0; c < cells.offsets->len; c++)
            {
              const char *cell = cells_get (&cells, c);

              if (cell == NULL)
                json_array_add_null_element (array);
              else
                json_array_add_string_element (array, cell);
            }
        }
      else if (rc != SQLITE_DONE)
        ok = _wr_store_sqlite_error (read->store, rc, error);
      while (json_array_get_length (array) < read->n_columns)
        json_array_add_null_element (array);
    }
  cells_clear (&cells);

  for (guint i = 0; i < n; i++)
    if (ok)
      json_array_add_element (read->rows, slots[i]);
    else if (slots[i] != NULL)
      json_node_unref (slots[i]);
  return ok;
}

JsonArray *
wr_dataset_result_read_rows (WrStore               *store,
                             const char            *id,
                             const WrDatasetResult *result,
                             guint                  offset,
                             guint                  limit,
                             guint                  n_columns,
                             GError               **error)
{
  ReadData read = { store, id, result, offset, limit, n_columns, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (result != NULL, NULL);

  read.rows = json_array_new ();
  if (offset >= result->rows->len || limit == 0)
    return read.rows;
  if (!_wr_store_run_read (store, read_tx, &read, error))
    {
      json_array_unref (read.rows);
      return NULL;
    }
  return read.rows;
}

/* Statistics */

void
wr_column_stats_free (WrColumnStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->name);
  g_free (stats->earliest);
  g_free (stats->latest);
  for (guint i = 0; i < stats->n_top; i++)
    g_free (stats->top_values[i]);
  g_free (stats);
}

JsonNode *
wr_column_stats_to_json (const WrColumnStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (stats != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "column");
  json_builder_add_int_value (builder, stats->column);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, stats->name);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, wr_column_type_to_string (stats->type));
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, stats->count);
  json_builder_set_member_name (builder, "empty");
  json_builder_add_int_value (builder, stats->empty);
  json_builder_set_member_name (builder, "distinct");
  json_builder_add_int_value (builder, stats->distinct);
  json_builder_set_member_name (builder, "distinct_capped");
  json_builder_add_boolean_value (builder, stats->distinct_capped);
  if ((stats->type == WR_COLUMN_TYPE_INTEGER || stats->type == WR_COLUMN_TYPE_NUMBER) && stats->n_numbers > 0)
    {
      json_builder_set_member_name (builder, "min");
      json_builder_add_double_value (builder, stats->min);
      json_builder_set_member_name (builder, "max");
      json_builder_add_double_value (builder, stats->max);
      json_builder_set_member_name (builder, "sum");
      json_builder_add_double_value (builder, stats->sum);
      json_builder_set_member_name (builder, "mean");
      json_builder_add_double_value (builder, stats->mean);
      json_builder_set_member_name (builder, "histogram");
      json_builder_begin_array (builder);
      for (guint i = 0; i < WR_COLUMN_STATS_N_BINS; i++)
        json_builder_add_int_value (builder, (gint64) stats->histogram[i]);
      json_builder_end_array (builder);
    }
  if (stats->earliest != NULL)
    {
      json_builder_set_member_name (builder, "earliest");
      json_builder_add_string_value (builder, stats->earliest);
      json_builder_set_member_name (builder, "latest");
      json_builder_add_string_value (builder, stats->latest);
    }
  if (stats->n_top > 0)
    {
      json_builder_set_member_name (builder, "top");
      json_builder_begin_array (builder);
      for (guint i = 0; i < stats->n_top; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, stats->top_values[i]);
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, stats->top_counts[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

typedef struct {
  WrColumnStats *stats;
  GHashTable    *values;    /* char * → count (GUINT_TO_POINTER) */
  double         min_date;
  double         max_date;
  gboolean       has_date;
} Acc;

typedef struct {
  Cells   cells;
  guint   first;        /* columns [first, first + n) */
  guint   n;
  Acc    *acc;
  gboolean histogram;   /* second pass */
} StatsData;

static void
on_stats_row (guint32     row_index,
              const char *json,
              gpointer    data)
{
  StatsData *sd = data;

  if (!cells_parse (&sd->cells, json))
    g_array_set_size (sd->cells.offsets, 0);

  for (guint i = 0; i < sd->n; i++)
    {
      Acc *acc = &sd->acc[i];
      WrColumnStats *stats = acc->stats;
      const char *cell = cells_get (&sd->cells, sd->first + i);
      double number;

      if (sd->histogram)
        {
          if (cell != NULL && stats->n_numbers > 0 &&
              (stats->type == WR_COLUMN_TYPE_INTEGER || stats->type == WR_COLUMN_TYPE_NUMBER) &&
              numeric_key (stats->type, cell, &number))
            {
              guint bin = 0;

              if (stats->max > stats->min)
                bin = (guint) MIN ((number - stats->min) / (stats->max - stats->min) * WR_COLUMN_STATS_N_BINS,
                                   WR_COLUMN_STATS_N_BINS - 1);
              stats->histogram[bin]++;
            }
          continue;
        }

      stats->count++;
      if (cell == NULL)
        {
          stats->empty++;
          continue;
        }

      if (acc->values != NULL)
        {
          gpointer count;

          if (g_hash_table_lookup_extended (acc->values, cell, NULL, &count))
            g_hash_table_insert (acc->values, g_strdup (cell), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
          else if (g_hash_table_size (acc->values) < WR_COLUMN_STATS_MAX_DISTINCT)
            g_hash_table_insert (acc->values, g_strdup (cell), GUINT_TO_POINTER (1));
          else
            stats->distinct_capped = TRUE;
        }

      if ((stats->type == WR_COLUMN_TYPE_INTEGER || stats->type == WR_COLUMN_TYPE_NUMBER) &&
          numeric_key (stats->type, cell, &number))
        {
          if (stats->n_numbers == 0 || number < stats->min)
            stats->min = number;
          if (stats->n_numbers == 0 || number > stats->max)
            stats->max = number;
          stats->sum += number;
          stats->n_numbers++;
        }
      else if (stats->type == WR_COLUMN_TYPE_DATE && parse_date_key (cell, &number))
        {
          if (!acc->has_date || number < acc->min_date)
            acc->min_date = number;
          if (!acc->has_date || number > acc->max_date)
            acc->max_date = number;
          acc->has_date = TRUE;
        }
    }
}

typedef struct {
  const char *value;
  guint       count;
} TopEntry;

static int
compare_top (gconstpointer a,
             gconstpointer b)
{
  const TopEntry *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->value, y->value);
}

static void
finish_acc (Acc *acc)
{
  WrColumnStats *stats = acc->stats;
  GHashTableIter iter;
  gpointer key, value;
  TopEntry top[WR_COLUMN_STATS_N_TOP + 1];
  guint n_top = 0;

  stats->distinct = g_hash_table_size (acc->values);
  if (stats->n_numbers > 0)
    stats->mean = stats->sum / (double) stats->n_numbers;
  if (acc->has_date)
    {
      stats->earliest = format_date_key (acc->min_date);
      stats->latest = format_date_key (acc->max_date);
    }
  if (stats->type != WR_COLUMN_TYPE_TEXT && stats->type != WR_COLUMN_TYPE_BOOLEAN)
    return;

  /* The top values by insertion into a small sorted array. */
  g_hash_table_iter_init (&iter, acc->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TopEntry entry = { key, GPOINTER_TO_UINT (value) };
      guint pos = n_top;

      while (pos > 0 && compare_top (&entry, &top[pos - 1]) < 0)
        pos--;
      if (pos >= WR_COLUMN_STATS_N_TOP)
        continue;
      memmove (&top[pos + 1], &top[pos], (MIN (n_top, WR_COLUMN_STATS_N_TOP - 1) - pos) * sizeof (TopEntry));
      top[pos] = entry;
      n_top = MIN (n_top + 1, WR_COLUMN_STATS_N_TOP);
    }
  for (guint i = 0; i < n_top; i++)
    {
      stats->top_values[i] = g_strdup (top[i].value);
      stats->top_counts[i] = top[i].count;
    }
  stats->n_top = n_top;
}

GPtrArray *
wr_dataset_compute_stats (WrStore               *store,
                          const char            *id,
                          int                    column,
                          WrDatasetProgressFunc  progress,
                          gpointer               progress_data,
                          GCancellable          *cancellable,
                          GError               **error)
{
  Shape shape = { 0 };
  StatsData sd = { 0 };
  g_autoptr(GPtrArray) result = NULL;
  gboolean has_numbers = FALSE;
  gboolean ok;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!load_shape (store, id, &shape, error))
    return NULL;
  if (column >= (int) shape.n_columns)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The dataset has no column %d. It has %u columns."), column + 1, shape.n_columns);
      shape_clear (&shape);
      return NULL;
    }

  sd.first = column < 0 ? 0 : (guint) column;
  sd.n = column < 0 ? shape.n_columns : 1;
  sd.acc = g_new0 (Acc, MAX (sd.n, 1));
  cells_init (&sd.cells);
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_column_stats_free);
  for (guint i = 0; i < sd.n; i++)
    {
      WrColumnStats *stats = g_new0 (WrColumnStats, 1);

      stats->column = sd.first + i;
      stats->name = g_strdup (g_ptr_array_index (shape.names, sd.first + i));
      stats->type = shape.types[sd.first + i];
      has_numbers |= stats->type == WR_COLUMN_TYPE_INTEGER || stats->type == WR_COLUMN_TYPE_NUMBER;
      sd.acc[i].stats = stats;
      sd.acc[i].values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_ptr_array_add (result, stats);
    }

  ok = stream_rows (store, id, shape.n_rows, on_stats_row, &sd, progress, progress_data,
                    0, has_numbers ? 0.6 : 1.0, cancellable, error);
  for (guint i = 0; i < sd.n; i++)
    {
      if (ok)
        finish_acc (&sd.acc[i]);
      g_hash_table_unref (sd.acc[i].values);
    }
  if (ok && has_numbers)
    {
      sd.histogram = TRUE;
      ok = stream_rows (store, id, shape.n_rows, on_stats_row, &sd, progress, progress_data,
                        0.6, 0.4, cancellable, error);
    }

  g_free (sd.acc);
  cells_clear (&sd.cells);
  shape_clear (&shape);
  return ok ? g_steal_pointer (&result) : NULL;
}

/* Async */

typedef struct {
  char                  *id;
  WrDatasetQuery        *query;      /* nullable: statistics */
  int                    column;
  WrDatasetProgressFunc  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  GMainContext          *context;
  int                    last_percent;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *async = data;

  g_free (async->id);
  g_clear_pointer (&async->query, wr_dataset_query_free);
  if (async->progress_destroy != NULL)
    async->progress_destroy (async->progress_data);
  g_main_context_unref (async->context);
  g_free (async);
}

static void
deliver_progress (GTask      *task,
                  double      fraction,
                  const char *stage)
{
  AsyncData *async = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    async->progress (fraction, async->progress_data);
}

static void
on_async_progress (double   fraction,
                   gpointer user_data)
{
  GTask *task = user_data;
  AsyncData *async = g_task_get_task_data (task);
  int percent = (int) (fraction * 100);

  if (percent == async->last_percent)
    return;
  async->last_percent = percent;
  wr_task_post_progress (task, async->context, deliver_progress, fraction, NULL);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AsyncData *async = task_data;
  g_autoptr(GError) error = NULL;
  WrDatasetProgressFunc progress = async->progress != NULL ? on_async_progress : NULL;

  if (async->query != NULL)
    {
      WrDatasetResult *result = wr_dataset_query_run (WR_STORE (source_object), async->id, async->query,
                                                      progress, task, cancellable, &error);
      if (result == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, result, (GDestroyNotify) wr_dataset_result_unref);
    }
  else
    {
      GPtrArray *stats = wr_dataset_compute_stats (WR_STORE (source_object), async->id, async->column,
                                                   progress, task, cancellable, &error);
      if (stats == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, stats, (GDestroyNotify) g_ptr_array_unref);
    }
}

static void
start_async (WrStore               *store,
             const char            *id,
             WrDatasetQuery        *query,
             int                    column,
             WrDatasetProgressFunc  progress,
             gpointer               progress_data,
             GDestroyNotify         progress_destroy,
             GCancellable          *cancellable,
             GAsyncReadyCallback    callback,
             gpointer               user_data,
             gpointer               source_tag)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *async = g_new0 (AsyncData, 1);

  async->id = g_strdup (id);
  async->query = query;
  async->column = column;
  async->progress = progress;
  async->progress_data = progress_data;
  async->progress_destroy = progress_destroy;
  async->context = g_main_context_ref_thread_default ();
  async->last_percent = -1;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, async, async_data_free);
  g_task_run_in_thread (task, query_thread);
}

void
wr_dataset_query_run_async (WrStore               *store,
                            const char            *id,
                            const WrDatasetQuery  *query,
                            WrDatasetProgressFunc  progress,
                            gpointer               progress_data,
                            GDestroyNotify         progress_destroy,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);
  g_return_if_fail (query != NULL);

  start_async (store, id, wr_dataset_query_copy (query), -1, progress, progress_data, progress_destroy,
               cancellable, callback, user_data, wr_dataset_query_run_async);
}

WrDatasetResult *
wr_dataset_query_run_finish (WrStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wr_dataset_compute_stats_async (WrStore               *store,
                                const char            *id,
                                int                    column,
                                WrDatasetProgressFunc  progress,
                                gpointer               progress_data,
                                GDestroyNotify         progress_destroy,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  start_async (store, id, NULL, column, progress, progress_data, progress_destroy,
               cancellable, callback, user_data, wr_dataset_compute_stats_async);
}

GPtrArray *
wr_dataset_compute_stats_finish (WrStore       *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
