/* wr-dataset.c — importing CSV into datasets, and reading them back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "store/wr-store-db.h"
#include "wr-artifact-export.h"
#include "wr-csv-reader.h"
#include "wr-dataset-builder.h"
#include "wr-dataset.h"
#include "wr-util.h"

/* An 'importing' dataset untouched this long was left by a crash. */
#define STALE_IMPORT_USEC (10 * G_USEC_PER_SEC * 60)

void
wr_dataset_info_free (WrDatasetInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->project_id);
  g_free (info->name);
  g_free (info->kind);
  g_free (info->sheet);
  g_free (info->source_name);
  g_free (info->status);
  g_free (info->error);
  g_free (info->columns);
  g_free (info->preview);
  g_free (info->warnings);
  g_free (info);
}

/* Import */

typedef struct
{
  WrDatasetBuilder      *builder;
  WrDatasetProgressFunc  progress;
  gpointer               progress_data;
  int                    last_percent;
} CsvImport;

static gboolean
on_csv_record (const char * const *fields,
               guint               n_fields,
               guint64             record,
               gpointer            user_data,
               GError            **error)
{
  CsvImport *import = user_data;

  return _wr_dataset_builder_add_record (import->builder, fields, n_fields, error);
}

static void
on_csv_progress (guint64  bytes_read,
                 guint64  total,
                 gpointer user_data)
{
  CsvImport *import = user_data;
  int percent;

  if (import->progress == NULL)
    return;
  if (total == 0)
    {
      import->progress (-1, import->progress_data);
      return;
    }
  percent = (int) (bytes_read * 100 / total);
  if (percent != import->last_percent)
    {
      import->last_percent = percent;
      import->progress ((double) bytes_read / (double) total, import->progress_data);
    }
}

/* Every ready dataset is also a "table" artifact of its project. The
 * data is imported either way: a failure here is only logged. */
static void
add_table_artifact (WrStore    *store,
                    const char *dataset_id)
{
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GError) error = NULL;

  artifact = wr_artifact_create_for_dataset (store, dataset_id, &error);
  if (artifact == NULL)
    g_warning ("Could not add the table artifact of dataset %s: %s", dataset_id, error->message);
}

gboolean
wr_dataset_import_csv (WrStore                *store,
                       const char             *project_id,
                       const char             *path,
                       WrDatasetProgressFunc   progress,
                       gpointer                progress_data,
                       GCancellable           *cancellable,
                       char                  **out_id,
                       GError                **error)
{
  g_autoptr(WrDatasetBuilder) builder = NULL;
  g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  CsvImport import = { NULL, progress, progress_data, -1 };
  GPtrArray *warnings;

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (out_id != NULL)
    *out_id = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  name = g_path_get_basename (path);
  /* A file that is not there is no failed dataset: nothing to keep. */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Cannot read “%s”: there is no such file."), path);
      return FALSE;
    }
  builder = _wr_dataset_builder_new (store, project_id, name, "csv", NULL, name, error);
  if (builder == NULL)
    return FALSE;
  if (out_id != NULL)
    *out_id = g_strdup (_wr_dataset_builder_get_id (builder));

  import.builder = builder;
  {
    g_autofree char *lower = g_ascii_strdown (name, -1);
    if (g_str_has_suffix (lower, ".tsv") || g_str_has_suffix (lower, ".tab"))
      wr_csv_reader_set_delimiter (reader, '\t');
  }
  wr_csv_reader_set_progress (reader, on_csv_progress, &import);

  if (wr_csv_reader_read_file (reader, path, on_csv_record, &import, cancellable, &local_error))
    {
      warnings = wr_csv_reader_get_warnings (reader);
      for (guint i = 0; i < warnings->len; i++)
        _wr_dataset_builder_warn (builder, g_ptr_array_index (warnings, i));
      if (wr_csv_reader_get_n_invalid_records (reader) > warnings->len)
        {
          g_autofree char *more =
            g_strdup_printf (_("%" G_GUINT64_FORMAT " rows in all had bytes that are not UTF-8."),
                             wr_csv_reader_get_n_invalid_records (reader));
          _wr_dataset_builder_warn (builder, more);
        }
      if (_wr_dataset_builder_finish (builder, &local_error))
        {
          add_table_artifact (store, _wr_dataset_builder_get_id (builder));
          return TRUE;
        }
    }

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _wr_dataset_builder_discard (builder);
      if (out_id != NULL)
        g_clear_pointer (out_id, g_free);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Could not import “%s”: %s"), name, local_error->message);

      _wr_dataset_builder_fail (builder, message);
      g_free (local_error->message);
      local_error->message = g_steal_pointer (&message);
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

typedef struct
{
  char                  *project_id;
  char                  *path;
  WrDatasetProgressFunc  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  GMainContext          *context;
} ImportTask;

static void
import_task_free (ImportTask *data)
{
  g_free (data->project_id);
  g_free (data->path);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_main_context_unref (data->context);
  g_free (data);
}

static void
deliver_progress (GTask      *task,
                  double      fraction,
                  const char *stage)
{
  ImportTask *data = g_task_get_task_data (task);

  data->progress (fraction, data->progress_data);
}

static void
on_thread_progress (double   fraction,
                    gpointer user_data)
{
  GTask *task = user_data;
  ImportTask *data = g_task_get_task_data (task);

  wr_task_post_progress (task, data->context, deliver_progress, fraction, NULL);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTask *data = task_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  if (wr_dataset_import_file (WR_STORE (source_object), data->project_id, data->path,
                              data->progress != NULL ? on_thread_progress : NULL, task,
                              cancellable, &ids, &error))
    g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
has_suffix (const char *path,
            const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, suffix);
}

gboolean
wr_dataset_can_import (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return has_suffix (path, ".csv") || has_suffix (path, ".tsv") || has_suffix (path, ".tab") ||
         has_suffix (path, ".xlsx");
}

gboolean
wr_dataset_import_file (WrStore                *store,
                        const char             *project_id,
                        const char             *path,
                        WrDatasetProgressFunc   progress,
                        gpointer                progress_data,
                        GCancellable           *cancellable,
                        GStrv                  *out_ids,
                        GError                **error)
{
  g_autofree char *id = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  if (has_suffix (path, ".xlsx"))
    return wr_dataset_import_xlsx (store, project_id, path, progress, progress_data, cancellable,
                                   out_ids, error);

  ok = wr_dataset_import_csv (store, project_id, path, progress, progress_data, cancellable, &id, error);
  if (out_ids != NULL)
    {
      *out_ids = g_new0 (char *, 2);
      (*out_ids)[0] = g_steal_pointer (&id);
      if ((*out_ids)[0] == NULL)
        g_clear_pointer (out_ids, g_strfreev);
    }
  return ok;
}

void
wr_dataset_import_file_async (WrStore               *store,
                             const char            *project_id,
                             const char            *path,
                             WrDatasetProgressFunc  progress,
                             gpointer               progress_data,
                             GDestroyNotify         progress_destroy,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportTask *data = g_new0 (ImportTask, 1);

  g_return_if_fail (WR_IS_STORE (store));

  data->project_id = g_strdup (project_id);
  data->path = g_strdup (path);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_dataset_import_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_task_free);
  g_task_run_in_thread (task, import_thread);
}

GStrv
wr_dataset_import_file_finish (WrStore       *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reading */

#define INFO_COLUMNS "id, project_id, name, kind, sheet, source_name, status, error, row_count," \
                     " columns, preview, warnings, created_at, updated_at"

static WrDatasetInfo *
info_from_row (sqlite3_stmt *stmt)
{
  WrDatasetInfo *info = g_new0 (WrDatasetInfo, 1);

  info->id = g_strdup (_wr_db_column_text (stmt, 0));
  info->project_id = g_strdup (_wr_db_column_text (stmt, 1));
  info->name = g_strdup (_wr_db_column_text (stmt, 2));
  info->kind = g_strdup (_wr_db_column_text (stmt, 3));
  info->sheet = g_strdup (_wr_db_column_text (stmt, 4));
  info->source_name = g_strdup (_wr_db_column_text (stmt, 5));
  info->status = g_strdup (_wr_db_column_text (stmt, 6));
  info->error = g_strdup (_wr_db_column_text (stmt, 7));
  info->row_count = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 8);
  info->columns = g_strdup (_wr_db_column_text (stmt, 9));
  info->preview = g_strdup (_wr_db_column_text (stmt, 10));
  info->warnings = g_strdup (_wr_db_column_text (stmt, 11));
  info->created_at = sqlite3_column_int64 (stmt, 12);
  info->updated_at = sqlite3_column_int64 (stmt, 13);
  return info;
}

typedef struct
{
  WrStore    *store;
  const char *key;
  GPtrArray  *result;
  gboolean    stale;
} ListData;

static gboolean
list_tx (sqlite3  *db,
         gpointer  data,
         GError  **error)
{
  ListData *list = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  gint64 stale_before = wr_now_usec () - STALE_IMPORT_USEC;
  int rc;

  stmt = _wr_store_prepare (list->store,
                            "SELECT " INFO_COLUMNS " FROM datasets"
                            " WHERE project_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
                            error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, list->key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *status = _wr_db_column_text (stmt, 6);

      if (g_strcmp0 (status, "importing") == 0)
        {
          if (sqlite3_column_int64 (stmt, 13) < stale_before)
            list->stale = TRUE;
          continue;
        }
      g_ptr_array_add (list->result, info_from_row (stmt));
    }
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (list->store, rc, error);
  return TRUE;
}

static gboolean
sweep_tx (sqlite3  *db,
          gpointer  data,
          GError  **error)
{
  ListData *list = data;
  g_autoptr(WrDbStmt) rows = NULL;
  g_autoptr(WrDbStmt) mark = NULL;
  gint64 now = wr_now_usec ();

  rows = _wr_store_prepare (list->store,
                            "DELETE FROM dataset_rows WHERE dataset_id IN (SELECT id FROM datasets"
                            " WHERE project_id = ?1 AND status = 'importing' AND updated_at < ?2)", error);
  if (rows == NULL)
    return FALSE;
  _wr_db_bind_text (rows, 1, list->key);
  sqlite3_bind_int64 (rows, 2, now - STALE_IMPORT_USEC);
  if (!_wr_db_step_done (list->store, rows, error))
    return FALSE;

  mark = _wr_store_prepare (list->store,
                            "UPDATE datasets SET status = 'failed', error = ?3, row_count = 0, updated_at = ?4"
                            " WHERE project_id = ?1 AND status = 'importing' AND updated_at < ?2", error);
  if (mark == NULL)
    return FALSE;
  _wr_db_bind_text (mark, 1, list->key);
  sqlite3_bind_int64 (mark, 2, now - STALE_IMPORT_USEC);
  _wr_db_bind_text (mark, 3, _("The import was interrupted. Import the file again."));
  sqlite3_bind_int64 (mark, 4, now);
  return _wr_db_step_done (list->store, mark, error);
}

GPtrArray *
wr_dataset_list (WrStore     *store,
                 const char  *project_id,
                 GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_dataset_info_free);
  ListData data = { store, project_id, result, FALSE };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!_wr_store_run_read (store, list_tx, &data, error))
    return NULL;

  if (data.stale)
    {
      g_ptr_array_set_size (result, 0);
      data.stale = FALSE;
      if (!_wr_store_run_transaction (store, sweep_tx, &data, error) ||
          !_wr_store_run_read (store, list_tx, &data, error))
        return NULL;
    }

  return g_steal_pointer (&result);
}

typedef struct
{
  WrStore       *store;
  const char    *id;
  WrDatasetInfo *info;
  gint64         offset;
  gint64         limit;
  JsonArray     *rows;
} GetData;

static gboolean
get_tx (sqlite3  *db,
        gpointer  data,
        GError  **error)
{
  GetData *get = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  stmt = _wr_store_prepare (get->store,
                            "SELECT " INFO_COLUMNS " FROM datasets WHERE id = ? AND deleted_at IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, get->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                   _("There is no dataset “%s”. List datasets with “workroom-cli dataset list”."),
                   get->id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (get->store, rc, error);
  get->info = info_from_row (stmt);

  if (get->limit > 0)
    {
      g_autoptr(WrDbStmt) rows = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      guint n_columns = 0;

      if (json_parser_load_from_data (parser, get->info->columns, -1, NULL) &&
          JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        n_columns = json_array_get_length (json_node_get_array (json_parser_get_root (parser)));

      rows = _wr_store_prepare (get->store,
                                "SELECT cells FROM dataset_rows WHERE dataset_id = ?"
                                " AND row_index >= ? ORDER BY row_index LIMIT ?", error);
      if (rows == NULL)
        return FALSE;
      _wr_db_bind_text (rows, 1, get->id);
      sqlite3_bind_int64 (rows, 2, get->offset);
      sqlite3_bind_int64 (rows, 3, get->limit);
      get->rows = json_array_new ();
      while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
        {
          g_autoptr(JsonParser) row_parser = json_parser_new ();
          JsonArray *cells;

          if (!json_parser_load_from_data (row_parser, _wr_db_column_text (rows, 0), -1, error))
            return FALSE;
          cells = json_node_get_array (json_parser_get_root (row_parser));
          while (json_array_get_length (cells) < n_columns)
            json_array_add_null_element (cells);
          json_array_add_element (get->rows, json_node_copy (json_parser_get_root (row_parser)));
        }
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (get->store, rc, error);
    }

  return TRUE;
}

WrDatasetInfo *
wr_dataset_get (WrStore     *store,
                const char  *id,
                GError     **error)
{
  GetData data = { store, id, NULL, 0, 0, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_wr_store_run_read (store, get_tx, &data, error))
    {
      g_clear_pointer (&data.info, wr_dataset_info_free);
      return NULL;
    }
  return data.info;
}

JsonArray *
wr_dataset_read_rows (WrStore     *store,
                      const char  *id,
                      gint64       offset,
                      gint64       limit,
                      GError     **error)
{
  GetData data = { store, id, NULL, MAX (offset, 0), MAX (limit, 0), NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_wr_store_run_read (store, get_tx, &data, error))
    {
      g_clear_pointer (&data.info, wr_dataset_info_free);
      g_clear_pointer (&data.rows, json_array_unref);
      return NULL;
    }
  wr_dataset_info_free (data.info);
  return data.rows != NULL ? data.rows : json_array_new ();
}

static gboolean
delete_tx (sqlite3  *db,
           gpointer  data,
           GError  **error)
{
  GetData *del = data;
  g_autoptr(WrDbStmt) mark = NULL;
  g_autoptr(WrDbStmt) rows = NULL;
  gint64 now = wr_now_usec ();

  mark = _wr_store_prepare (del->store,
                            "UPDATE datasets SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                            error);
  if (mark == NULL)
    return FALSE;
  sqlite3_bind_int64 (mark, 1, now);
  sqlite3_bind_int64 (mark, 2, now);
  _wr_db_bind_text (mark, 3, del->id);
  if (!_wr_db_step_done (del->store, mark, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                   _("There is no dataset “%s”. List datasets with “workroom-cli dataset list”."),
                   del->id);
      return FALSE;
    }

  /* Its tables go with it (tombstoned, like the dataset). */
  {
    g_autoptr(WrDbStmt) tables =
      _wr_store_prepare (del->store,
                         "UPDATE artifacts SET deleted_at = ?1, updated_at = ?1 "
                         "WHERE dataset_id = ?2 AND kind = 'table' AND deleted_at IS NULL",
                         error);
    if (tables == NULL)
      return FALSE;
    sqlite3_bind_int64 (tables, 1, now);
    _wr_db_bind_text (tables, 2, del->id);
    if (!_wr_db_step_done (del->store, tables, error))
      return FALSE;
  }

  rows = _wr_store_prepare (del->store, "DELETE FROM dataset_rows WHERE dataset_id = ?", error);
  if (rows == NULL)
    return FALSE;
  _wr_db_bind_text (rows, 1, del->id);
  return _wr_db_step_done (del->store, rows, error);
}

gboolean
wr_dataset_delete (WrStore     *store,
                   const char  *id,
                   GError     **error)
{
  GetData data = { store, id, NULL, 0, 0, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return _wr_store_run_transaction (store, delete_tx, &data, error);
}
