/* wr-dataset.h — tabular data (CSV, XLSX sheets) imported into a project.
 *
 * An import creates the datasets row with status 'importing', streams the
 * file's records into dataset_rows in transactions of WR_DATASET_BATCH_ROWS
 * rows (so memory stays bounded for files of any size), infers each
 * column's type on the way (wr-column-type.h), and only then sets columns,
 * row_count, preview (the first WR_DATASET_PREVIEW_ROWS rows) and status
 * 'ready'. A failure drops the rows already stored and leaves the dataset
 * 'failed' with a user-facing message; a cancelled import removes the
 * dataset. Other datasets are never touched.
 *
 * The first record is the header: empty names become "Column N",
 * repeated ones "name (2)". Cells are stored as written, as JSON strings
 * (so "08123" keeps its zero), empty cells as null; the column type says
 * how to read them. A record longer than the header adds "Column N"
 * columns; rows returned by wr_dataset_read_rows() are padded with null to
 * the dataset's column count.
 *
 * Threading: these calls block (file I/O, SQLite); use them from worker
 * threads, the CLI and tests. The GUI uses the _async pair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "store/wr-store.h"

G_BEGIN_DECLS

#define WR_DATASET_BATCH_ROWS   5000
#define WR_DATASET_PREVIEW_ROWS 20

/* @fraction of the file read, 0..1 (-1 when the size is unknown). */
typedef void (*WrDatasetProgressFunc) (double   fraction,
                                       gpointer user_data);

/* One stored dataset (a snapshot; free with wr_dataset_info_free()). */
typedef struct _WrDatasetInfo {
  char   *id;
  char   *project_id;
  char   *name;          /* the file's base name, or the sheet's name */
  char   *kind;          /* "csv" or "xlsx" */
  char   *sheet;         /* nullable: XLSX sheet */
  char   *source_name;   /* nullable: the file's base name */
  char   *status;        /* "importing", "ready", "failed" */
  char   *error;         /* nullable: why the import failed */
  gint64  row_count;     /* data rows (header excluded); -1 when unknown */
  char   *columns;       /* JSON: [{"name","type","empty_count"}] */
  char   *preview;       /* JSON: first rows, arrays of cells */
  char   *warnings;      /* JSON: array of translated strings */
  gint64  created_at;    /* µs since the epoch */
  gint64  updated_at;
} WrDatasetInfo;

void            wr_dataset_info_free         (WrDatasetInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDatasetInfo, wr_dataset_info_free)

/* Imports the CSV file at @path into @project_id (delimiter detected; a
 * ".tsv" name forces tab). On success *@out_id (nullable) receives the new
 * dataset's id (transfer full). On failure returns FALSE with @error; when
 * the dataset row was already created it is left 'failed' (no rows) and
 * *@out_id is still set. Cancelled: the dataset is removed and
 * G_IO_ERROR_CANCELLED returned. */
gboolean        wr_dataset_import_csv        (WrStore               *store,
                                              const char            *project_id,
                                              const char            *path,
                                              WrDatasetProgressFunc  progress,      /* nullable */
                                              gpointer               progress_data,
                                              GCancellable          *cancellable,
                                              char                 **out_id,
                                              GError               **error);

/* TRUE when @path names a file wr_dataset_import_file() reads: .csv,
 * .tsv, .tab or .xlsx (by name; the content is checked on import). */
gboolean        wr_dataset_can_import        (const char            *path);

/* wr_dataset_import_csv() or wr_dataset_import_xlsx() by @path's name;
 * *@out_ids (nullable) as for the latter (one id for CSV). */
gboolean        wr_dataset_import_file       (WrStore               *store,
                                              const char            *project_id,
                                              const char            *path,
                                              WrDatasetProgressFunc  progress,      /* nullable */
                                              gpointer               progress_data,
                                              GCancellable          *cancellable,
                                              GStrv                 *out_ids,
                                              GError               **error);

/* wr_dataset_import_file() in a worker thread; @progress is called on the
 * caller's thread-default main context (at most every 1 %). _finish
 * returns the new datasets' ids (transfer full) or NULL with @error. */
void            wr_dataset_import_file_async (WrStore               *store,
                                              const char            *project_id,
                                              const char            *path,
                                              WrDatasetProgressFunc  progress,      /* nullable */
                                              gpointer               progress_data,
                                              GDestroyNotify         progress_destroy,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
GStrv           wr_dataset_import_file_finish (WrStore              *store,
                                              GAsyncResult          *result,
                                              GError               **error);

/* Imports every sheet of the XLSX workbook at @path that has cells as its
 * own dataset (kind "xlsx", sheet set, name "book.xlsx — Sheet"), through
 * docs/wr-xlsx-reader.h; cells are stored as the reader's display text
 * (numbers "%.15g", dates ISO, booleans "TRUE"/"FALSE"). On success
 * *@out_ids (nullable) receives the new ids in sheet order (transfer
 * full). When a sheet fails, the sheets before it stay ready, that sheet's
 * dataset is left 'failed' and FALSE returned; *@out_ids then holds the
 * ids created, the failed one last. Cancelled: every dataset of this
 * import is removed, G_IO_ERROR_CANCELLED returned and *@out_ids NULL. */
gboolean        wr_dataset_import_xlsx       (WrStore               *store,
                                              const char            *project_id,
                                              const char            *path,
                                              WrDatasetProgressFunc  progress,      /* nullable */
                                              gpointer               progress_data,
                                              GCancellable          *cancellable,
                                              GStrv                 *out_ids,
                                              GError               **error);

/* Live datasets of @project_id that are ready or failed, oldest first
 * (element-type WrDatasetInfo, transfer full). Imports left 'importing'
 * by a crash (untouched for 10 minutes) are failed here first. */
GPtrArray      *wr_dataset_list              (WrStore       *store,
                                              const char    *project_id,
                                              GError       **error);
/* One live dataset, or NULL with WR_STORE_ERROR_NOT_FOUND. */
WrDatasetInfo  *wr_dataset_get               (WrStore       *store,
                                              const char    *id,
                                              GError       **error);
/* Rows [@offset, @offset + @limit) of a dataset, as a JSON array of
 * arrays padded to the column count (transfer full). */
JsonArray      *wr_dataset_read_rows         (WrStore       *store,
                                              const char    *id,
                                              gint64         offset,
                                              gint64         limit,
                                              GError       **error);
/* Tombstones the dataset and drops its rows. WR_STORE_ERROR_NOT_FOUND
 * when it does not exist or is already deleted. */
gboolean        wr_dataset_delete            (WrStore       *store,
                                              const char    *id,
                                              GError       **error);

G_END_DECLS
