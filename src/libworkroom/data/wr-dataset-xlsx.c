/* wr-dataset-xlsx.c — each sheet of a workbook as a dataset, through the
 * docs domain's streaming XLSX reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "docs/wr-xlsx-reader.h"
#include "wr-artifact-export.h"
#include "wr-dataset-builder.h"
#include "wr-dataset.h"

typedef struct
{
  WrDatasetBuilder      *builder;
  GPtrArray             *fields;     /* const char *, borrowed per row */
  GError                *error;
  WrDatasetProgressFunc  progress;
  gpointer               progress_data;
  guint                  sheet;
  guint                  n_sheets;
  int                    last_percent;
} XlsxImport;

static gboolean
on_xlsx_row (guint             row_number,
             const WrXlsxCell *cells,
             guint             n_cells,
             gpointer          user_data)
{
  XlsxImport *import = user_data;

  g_ptr_array_set_size (import->fields, 0);
  for (guint i = 0; i < n_cells; i++)
    g_ptr_array_add (import->fields, (gpointer) cells[i].text);

  return _wr_dataset_builder_add_record (import->builder, (const char * const *) import->fields->pdata,
                                         n_cells, &import->error);
}

static void
on_xlsx_progress (guint64  bytes_read,
                  guint64  bytes_total,
                  gpointer user_data)
{
  XlsxImport *import = user_data;
  double sheet_fraction = bytes_total > 0 ? MIN (1.0, (double) bytes_read / (double) bytes_total) : 0;
  double fraction = (import->sheet + sheet_fraction) / MAX (import->n_sheets, 1);
  int percent = (int) (fraction * 100);

  if (import->progress != NULL && percent != import->last_percent)
    {
      import->last_percent = percent;
      import->progress (fraction, import->progress_data);
    }
}

static void
remove_datasets (WrStore   *store,
                 GPtrArray *ids)
{
  for (guint i = 0; i < ids->len; i++)
    wr_dataset_delete (store, g_ptr_array_index (ids, i), NULL);
}

gboolean
wr_dataset_import_xlsx (WrStore                *store,
                        const char             *project_id,
                        const char             *path,
                        WrDatasetProgressFunc   progress,
                        gpointer                progress_data,
                        GCancellable           *cancellable,
                        GStrv                  *out_ids,
                        GError                **error)
{
  g_autoptr(WrXlsxReader) reader = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autofree char *file_name = NULL;
  XlsxImport import = { NULL, fields, NULL, progress, progress_data, 0, 0, -1 };
  gboolean failed = FALSE;

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (out_ids != NULL)
    *out_ids = NULL;

  /* Before reading: an unknown project is the caller's mistake, not the
   * file's. */
  project = wr_store_get_project (store, project_id, error);
  if (project == NULL)
    return FALSE;

  file_name = g_path_get_basename (path);
  reader = wr_xlsx_reader_open (path, &local_error);
  if (reader == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not import “%s”: %s"), file_name, local_error->message);
      return FALSE;
    }
  wr_xlsx_reader_set_progress_func (reader, on_xlsx_progress, &import);
  import.n_sheets = wr_xlsx_reader_get_n_sheets (reader);

  for (guint i = 0; i < import.n_sheets; i++)
    {
      g_autoptr(WrDatasetBuilder) builder = NULL;
      g_autofree char *name = NULL;
      const char *sheet = wr_xlsx_reader_get_sheet_name (reader, i);
      gboolean ok;

      if (!wr_xlsx_reader_sheet_has_cells (reader, i))
        continue;

      import.sheet = i;
      name = g_strdup_printf ("%s — %s", file_name, sheet);
      builder = _wr_dataset_builder_new (store, project_id, name, "xlsx", sheet, file_name, error);
      if (builder == NULL)
        {
          failed = TRUE;
          break;
        }
      g_ptr_array_add (ids, g_strdup (_wr_dataset_builder_get_id (builder)));

      import.builder = builder;
      ok = wr_xlsx_reader_read_sheet (reader, i, on_xlsx_row, &import, cancellable, &local_error);
      if (ok && import.error != NULL)
        {
          ok = FALSE;
          g_propagate_error (&local_error, g_steal_pointer (&import.error));
        }
      if (ok && g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        ok = FALSE;
      if (ok && _wr_dataset_builder_finish (builder, &local_error))
        {
          g_autoptr(WrArtifact) table = NULL;
          g_autoptr(GError) table_error = NULL;

          /* The sheet's table artifact; the import goes on without it. */
          table = wr_artifact_create_for_dataset (store, _wr_dataset_builder_get_id (builder), &table_error);
          if (table == NULL)
            g_warning ("Could not add the table artifact of sheet “%s”: %s", sheet, table_error->message);
          continue;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          _wr_dataset_builder_discard (builder);
          g_ptr_array_set_size (ids, ids->len - 1);
          remove_datasets (store, ids);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      {
        g_autofree char *message = g_strdup_printf (_("Could not import sheet “%s” of “%s”: %s"),
                                                    sheet, file_name, local_error->message);
        _wr_dataset_builder_fail (builder, message);
        g_set_error_literal (error, local_error->domain, local_error->code, message);
      }
      failed = TRUE;
      break;
    }

  if (out_ids != NULL)
    {
      g_ptr_array_add (ids, NULL);
      *out_ids = (GStrv) g_ptr_array_steal (ids, NULL);
    }

  return !failed;
}
