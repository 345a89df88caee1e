/* wr-dataset-builder.c — batches records into dataset_rows and infers
 * column types on the way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "store/wr-store-db.h"
#include "wr-column-type.h"
#include "wr-csv-reader.h"
#include "wr-dataset-builder.h"
#include "wr-util.h"

#define BATCH_BYTES (8 * 1024 * 1024)

typedef struct
{
  char   *name;
  guint   mask;          /* AND of the classify() masks of its values */
  gint64  non_empty;
} Column;

struct _WrDatasetBuilder
{
  WrStore   *store;
  char      *id;
  gboolean   ended;

  gboolean   have_header;
  GArray    *columns;      /* element-type Column */
  gint64     n_rows;       /* data rows seen */
  gint64     n_stored;     /* data rows committed */

  GString   *batch;        /* the rows' JSON, back to back */
  GArray    *batch_ends;   /* element-type gsize: end of each row in @batch */
  GPtrArray *preview;      /* element-type utf8: JSON of the first rows */
  GPtrArray *warnings;     /* element-type utf8 */
  guint64    n_dropped_warnings;
  gint64     n_ragged;
};

static void
column_clear (gpointer data)
{
  Column *column = data;
  g_free (column->name);
}

void
_wr_dataset_builder_free (WrDatasetBuilder *self)
{
  if (self == NULL)
    return;
  if (!self->ended)
    _wr_dataset_builder_discard (self);
  g_clear_object (&self->store);
  g_free (self->id);
  g_array_unref (self->columns);
  g_string_free (self->batch, TRUE);
  g_array_unref (self->batch_ends);
  g_ptr_array_unref (self->preview);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

typedef struct
{
  WrDatasetBuilder *self;
  const char       *project_id;
  const char       *name;
  const char       *kind;
  const char       *sheet;
  const char       *source_name;
} CreateData;

static gboolean
create_tx (sqlite3  *db,
           gpointer  data,
           GError  **error)
{
  CreateData *create = data;
  WrStore *store = create->self->store;
  g_autoptr(WrDbStmt) check = NULL;
  g_autoptr(WrDbStmt) insert = NULL;
  gint64 now = wr_now_usec ();
  int rc;

  check = _wr_store_prepare (store, "SELECT 1 FROM projects WHERE id = ? AND deleted_at IS NULL", error);
  if (check == NULL)
    return FALSE;
  sqlite3_bind_text (check, 1, create->project_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (check);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                   _("There is no project “%s”. List projects with “workroom-cli project list”."),
                   create->project_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (store, rc, error);

  insert = _wr_store_prepare (store,
                              "INSERT INTO datasets (id, project_id, name, kind, sheet, source_name,"
                              " status, row_count, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, 'importing', 0, ?, ?)", error);
  if (insert == NULL)
    return FALSE;
  _wr_db_bind_text (insert, 1, create->self->id);
  _wr_db_bind_text (insert, 2, create->project_id);
  _wr_db_bind_text (insert, 3, create->name);
  _wr_db_bind_text (insert, 4, create->kind);
  _wr_db_bind_text (insert, 5, create->sheet);
  _wr_db_bind_text (insert, 6, create->source_name);
  sqlite3_bind_int64 (insert, 7, now);
  sqlite3_bind_int64 (insert, 8, now);
  return _wr_db_step_done (store, insert, error);
}

WrDatasetBuilder *
_wr_dataset_builder_new (WrStore     *store,
                         const char  *project_id,
                         const char  *name,
                         const char  *kind,
                         const char  *sheet,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(WrDatasetBuilder) self = g_new0 (WrDatasetBuilder, 1);
  CreateData create = { self, project_id, name, kind, sheet, source_name };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL && name != NULL && kind != NULL, NULL);

  self->store = g_object_ref (store);
  self->id = wr_new_id ();
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  self->batch = g_string_sized_new (64 * 1024);
  self->batch_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->preview = g_ptr_array_new_with_free_func (g_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);

  if (!_wr_store_run_transaction (store, create_tx, &create, error))
    {
      self->ended = TRUE;   /* nothing was stored */
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
_wr_dataset_builder_get_id (WrDatasetBuilder *self)
{
  return self->id;
}

void
_wr_dataset_builder_warn (WrDatasetBuilder *self,
                          const char       *warning)
{
  if (self->warnings->len < WR_CSV_MAX_WARNINGS)
    g_ptr_array_add (self->warnings, g_strdup (warning));
  else
    self->n_dropped_warnings++;
}

/* JSON string escaping, fast path for plain text. */
static void
append_json_string (GString    *out,
                    const char *s)
{
  const char *run = s;

  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = p + 1;
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static void
set_header (WrDatasetBuilder   *self,
            const char * const *fields,
            guint               n_fields)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (fields[i]));
      Column column = { NULL, WR_COLUMN_TYPES_ALL, 0 };
      char *name;

      if (*stripped == '\0')
        name = g_strdup_printf (_("Column %u"), i + 1);
      else
        name = g_steal_pointer (&stripped);

      for (guint n = 2; g_hash_table_contains (seen, name); n++)
        {
          char *base = g_strdup_printf ("%s (%u)", name, n);

          if (!g_hash_table_contains (seen, base))
            {
              g_free (name);
              name = base;
              break;
            }
          g_free (base);
        }
      column.name = name;
      g_array_append_val (self->columns, column);
      g_hash_table_add (seen, column.name);
    }
}

typedef struct
{
  WrDatasetBuilder *self;
  gboolean          final;
} FlushData;

static gboolean
flush_tx (sqlite3  *db,
          gpointer  data,
          GError  **error)
{
  WrDatasetBuilder *self = ((FlushData *) data)->self;
  g_autoptr(WrDbStmt) insert = NULL;
  g_autoptr(WrDbStmt) touch = NULL;
  gsize start = 0;

  insert = _wr_store_prepare (self->store,
                              "INSERT INTO dataset_rows (dataset_id, row_index, cells) VALUES (?, ?, ?)",
                              error);
  if (insert == NULL)
    return FALSE;

  for (guint i = 0; i < self->batch_ends->len; i++)
    {
      gsize end = g_array_index (self->batch_ends, gsize, i);
      int rc;

      sqlite3_bind_text (insert, 1, self->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, self->n_stored + i);
      sqlite3_bind_text (insert, 3, self->batch->str + start, (int) (end - start), SQLITE_STATIC);
      rc = sqlite3_step (insert);
      sqlite3_reset (insert);
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (self->store, rc, error);
      start = end;
    }

  /* Keeps the import visibly alive for the crash sweep in wr_dataset_list(). */
  touch = _wr_store_prepare (self->store, "UPDATE datasets SET row_count = ?, updated_at = ? WHERE id = ?", error);
  if (touch == NULL)
    return FALSE;
  sqlite3_bind_int64 (touch, 1, self->n_stored + self->batch_ends->len);
  sqlite3_bind_int64 (touch, 2, wr_now_usec ());
  sqlite3_bind_text (touch, 3, self->id, -1, SQLITE_STATIC);
  return _wr_db_step_done (self->store, touch, error);
}

static gboolean
flush (WrDatasetBuilder  *self,
       GError           **error)
{
  FlushData data = { self, FALSE };

  if (self->batch_ends->len == 0)
    return TRUE;
  if (!_wr_store_run_transaction (self->store, flush_tx, &data, error))
    return FALSE;

  self->n_stored += self->batch_ends->len;
  g_string_truncate (self->batch, 0);
  g_array_set_size (self->batch_ends, 0);
  return TRUE;
}

gboolean
_wr_dataset_builder_add_record (WrDatasetBuilder    *self,
                                const char * const  *fields,
                                guint                n_fields,
                                GError             **error)
{
  gsize row_start;

  g_return_val_if_fail (!self->ended, FALSE);

  if (!self->have_header)
    {
      set_header (self, fields, n_fields);
      self->have_header = TRUE;
      return TRUE;
    }

  self->n_rows++;

  if (n_fields != self->columns->len)
    {
      /* A lone empty field is an empty line's worth: keep it quiet. */
      if (!(n_fields == 1 && fields[0][0] == '\0'))
        {
          self->n_ragged++;
          if (self->n_ragged <= 10)
            {
              g_autofree char *warning =
                g_strdup_printf (_("Row %" G_GINT64_FORMAT " has %u fields; the header has %u."),
                                 self->n_rows + 1, n_fields, self->columns->len);
              _wr_dataset_builder_warn (self, warning);
            }
        }
      while (n_fields > self->columns->len)
        {
          Column column = { NULL, WR_COLUMN_TYPES_ALL, 0 };

          column.name = g_strdup_printf (_("Column %u"), self->columns->len + 1);
          g_array_append_val (self->columns, column);
        }
    }

  row_start = self->batch->len;
  g_string_append_c (self->batch, '[');
  for (guint i = 0; i < n_fields; i++)
    {
      Column *column = &g_array_index (self->columns, Column, i);

      if (i > 0)
        g_string_append_c (self->batch, ',');
      if (fields[i][0] == '\0')
        {
          g_string_append (self->batch, "null");
          continue;
        }
      column->non_empty++;
      if (column->mask != WR_COLUMN_TYPE_TEXT)
        column->mask &= wr_column_type_classify (fields[i]);
      append_json_string (self->batch, fields[i]);
    }
  g_string_append_c (self->batch, ']');
  g_array_append_val (self->batch_ends, self->batch->len);

  if (self->preview->len < WR_DATASET_PREVIEW_ROWS)
    g_ptr_array_add (self->preview, g_strndup (self->batch->str + row_start, self->batch->len - row_start));

  if (self->batch_ends->len >= WR_DATASET_BATCH_ROWS || self->batch->len >= BATCH_BYTES)
    return flush (self, error);

  return TRUE;
}

typedef struct
{
  WrDatasetBuilder *self;
  const char       *columns;
  const char       *preview;
  const char       *warnings;
} FinishData;

static gboolean
finish_tx (sqlite3  *db,
           gpointer  data,
           GError  **error)
{
  FinishData *finish = data;
  g_autoptr(WrDbStmt) update = NULL;

  update = _wr_store_prepare (finish->self->store,
                              "UPDATE datasets SET status = 'ready', error = NULL, row_count = ?,"
                              " columns = ?, preview = ?, warnings = ?, updated_at = ? WHERE id = ?",
                              error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, finish->self->n_rows);
  _wr_db_bind_text (update, 2, finish->columns);
  _wr_db_bind_text (update, 3, finish->preview);
  _wr_db_bind_text (update, 4, finish->warnings);
  sqlite3_bind_int64 (update, 5, wr_now_usec ());
  _wr_db_bind_text (update, 6, finish->self->id);
  return _wr_db_step_done (finish->self->store, update, error);
}

gboolean
_wr_dataset_builder_finish (WrDatasetBuilder  *self,
                            GError           **error)
{
  g_autoptr(GString) columns = g_string_new ("[");
  g_autoptr(GString) preview = g_string_new ("[");
  g_autoptr(GString) warnings = g_string_new ("[");
  FinishData data = { self, NULL, NULL, NULL };

  g_return_val_if_fail (!self->ended, FALSE);

  if (!flush (self, error))
    return FALSE;

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = &g_array_index (self->columns, Column, i);

      if (i > 0)
        g_string_append_c (columns, ',');
      g_string_append (columns, "{\"name\":");
      append_json_string (columns, column->name);
      g_string_append_printf (columns, ",\"type\":\"%s\",\"empty_count\":%" G_GINT64_FORMAT "}",
                              wr_column_type_to_string (wr_column_type_pick (column->mask)),
                              self->n_rows - column->non_empty);
    }
  g_string_append_c (columns, ']');

  for (guint i = 0; i < self->preview->len; i++)
    {
      if (i > 0)
        g_string_append_c (preview, ',');
      g_string_append (preview, g_ptr_array_index (self->preview, i));
    }
  g_string_append_c (preview, ']');

  if (self->n_dropped_warnings > 0)
    {
      g_autofree char *more = g_strdup_printf (_("… and %" G_GUINT64_FORMAT " more warnings."),
                                               self->n_dropped_warnings);
      g_ptr_array_add (self->warnings, g_steal_pointer (&more));
    }
  for (guint i = 0; i < self->warnings->len; i++)
    {
      if (i > 0)
        g_string_append_c (warnings, ',');
      append_json_string (warnings, g_ptr_array_index (self->warnings, i));
    }
  g_string_append_c (warnings, ']');

  data.columns = columns->str;
  data.preview = preview->str;
  data.warnings = warnings->str;
  if (!_wr_store_run_transaction (self->store, finish_tx, &data, error))
    return FALSE;

  self->ended = TRUE;
  return TRUE;
}

typedef struct
{
  WrDatasetBuilder *self;
  const char       *message;   /* NULL: remove the dataset */
} EndData;

static gboolean
end_tx (sqlite3  *db,
        gpointer  data,
        GError  **error)
{
  EndData *end = data;
  WrStore *store = end->self->store;
  g_autoptr(WrDbStmt) rows = NULL;
  g_autoptr(WrDbStmt) update = NULL;

  rows = _wr_store_prepare (store, "DELETE FROM dataset_rows WHERE dataset_id = ?", error);
  if (rows == NULL)
    return FALSE;
  _wr_db_bind_text (rows, 1, end->self->id);
  if (!_wr_db_step_done (store, rows, error))
    return FALSE;

  if (end->message == NULL)
    update = _wr_store_prepare (store, "DELETE FROM datasets WHERE id = ?1", error);
  else
    update = _wr_store_prepare (store,
                                "UPDATE datasets SET status = 'failed', error = ?2, row_count = 0,"
                                " updated_at = ?3 WHERE id = ?1", error);
  if (update == NULL)
    return FALSE;
  _wr_db_bind_text (update, 1, end->self->id);
  if (end->message != NULL)
    {
      _wr_db_bind_text (update, 2, end->message);
      sqlite3_bind_int64 (update, 3, wr_now_usec ());
    }
  return _wr_db_step_done (store, update, error);
}

static void
end_with (WrDatasetBuilder *self,
          const char       *message)
{
  g_autoptr(GError) error = NULL;
  EndData data = { self, message };

  self->ended = TRUE;
  g_string_truncate (self->batch, 0);
  g_array_set_size (self->batch_ends, 0);
  /* If even this fails the row stays 'importing' and the crash sweep in
   * wr_dataset_list() fails it later: never 'ready'. */
  if (!_wr_store_run_transaction (self->store, end_tx, &data, &error))
    g_warning ("Could not clean up dataset %s: %s", self->id, error->message);
}

void
_wr_dataset_builder_fail (WrDatasetBuilder *self,
                          const char       *message)
{
  g_return_if_fail (!self->ended);
  g_return_if_fail (message != NULL);
  end_with (self, message);
}

void
_wr_dataset_builder_discard (WrDatasetBuilder *self)
{
  g_return_if_fail (!self->ended);
  end_with (self, NULL);
}
