/* wr-dataset-query.h — sorting, filtering and column statistics of a
 * stored dataset, at a million rows and more.
 *
 * A query is an optional sort (one column, ascending or descending) and an
 * optional filter: a text that some cell of the row contains (any case),
 * and conditions on single columns (all must hold). Running it streams the
 * dataset's rows once, keeping only the sort key of each row that passes
 * (a double for integer, number, boolean and date columns, a casefolded
 * byte string for text), and returns a WrDatasetResult: the ordered row
 * indexes (4 bytes a row). Reading a page of the result reads those rows
 * by index, in result order. Nothing ever holds all cells of the dataset.
 *
 * Ordering: numbers numerically, dates by their calendar value (ISO, and
 * D/M/YYYY, M/D/YYYY, D.M.YYYY, D-M-YYYY as the column type accepts them),
 * booleans false before true, text by casefolded UTF-8 bytes. Empty cells
 * come last in both directions, and a cell that does not read as the
 * column's type comes after the ones that do. Ties keep file order.
 *
 * Conditions compare as the column's type: = and ≠ numerically for
 * numbers and dates, case-insensitively for text; < and > likewise;
 * "contains" is a case-insensitive substring of the cell's text; "is
 * empty" matches empty cells. A condition other than "is empty" never
 * matches an empty cell.
 *
 * The rows are streamed in chunks, each its own read of the store, so
 * other store calls (reading the page on screen) run between them.
 *
 * Threading: the sync calls block (SQLite); use them from worker threads,
 * the CLI and tests. Progress callbacks of the sync calls run on the
 * calling thread; those of the _async calls on the caller's
 * thread-default main context. A WrDatasetResult is immutable and may be
 * shared between threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "store/wr-store.h"
#include "wr-column-type.h"
#include "wr-dataset.h"

G_BEGIN_DECLS

/* Rows read per store read while streaming a dataset. */
#define WR_DATASET_QUERY_CHUNK 20000
/* Distinct values are counted exactly up to this many per column. */
#define WR_COLUMN_STATS_MAX_DISTINCT 100000
#define WR_COLUMN_STATS_N_BINS       20
#define WR_COLUMN_STATS_N_TOP        5

typedef enum {
  WR_DATASET_OP_EQUALS,
  WR_DATASET_OP_NOT_EQUALS,
  WR_DATASET_OP_LESS,
  WR_DATASET_OP_GREATER,
  WR_DATASET_OP_CONTAINS,
  WR_DATASET_OP_IS_EMPTY,
} WrDatasetOp;

/* "=", "!=", "<", ">", "contains", "empty"; parse returns FALSE for others. */
const char     *wr_dataset_op_to_string    (WrDatasetOp   op);
gboolean        wr_dataset_op_from_string  (const char   *text,
                                            WrDatasetOp  *op);

typedef struct _WrDatasetQuery WrDatasetQuery;

WrDatasetQuery *wr_dataset_query_new             (void);
WrDatasetQuery *wr_dataset_query_copy            (const WrDatasetQuery *query);
void            wr_dataset_query_free            (WrDatasetQuery *query);
/* @column -1: file order. */
void            wr_dataset_query_set_sort        (WrDatasetQuery *query,
                                                  int             column,
                                                  gboolean        descending);
int             wr_dataset_query_get_sort_column (const WrDatasetQuery *query);
gboolean        wr_dataset_query_get_descending  (const WrDatasetQuery *query);
/* @text nullable or "": no text filter. */
void            wr_dataset_query_set_text        (WrDatasetQuery *query,
                                                  const char     *text);
const char     *wr_dataset_query_get_text        (const WrDatasetQuery *query);  /* nullable */
/* @value is ignored for WR_DATASET_OP_IS_EMPTY. */
void            wr_dataset_query_add_condition   (WrDatasetQuery *query,
                                                  guint           column,
                                                  WrDatasetOp     op,
                                                  const char     *value);
guint           wr_dataset_query_get_n_conditions (const WrDatasetQuery *query);
void            wr_dataset_query_clear_conditions (WrDatasetQuery *query);
/* TRUE when the query neither sorts nor filters (the result is file order). */
gboolean        wr_dataset_query_is_empty        (const WrDatasetQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDatasetQuery, wr_dataset_query_free)

/* The rows a query selected, in its order. Reference counted, immutable. */
typedef struct _WrDatasetResult WrDatasetResult;

WrDatasetResult *wr_dataset_result_ref         (WrDatasetResult *result);
void             wr_dataset_result_unref       (WrDatasetResult *result);
/* Rows that passed the filter, and rows of the dataset. */
guint            wr_dataset_result_get_n_rows  (const WrDatasetResult *result);
guint            wr_dataset_result_get_n_total (const WrDatasetResult *result);
/* The dataset row index (0-based, file order) at @position. */
guint32          wr_dataset_result_get_index   (const WrDatasetResult *result,
                                                guint                  position);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDatasetResult, wr_dataset_result_unref)

/* Runs @query over dataset @id (which must be ready). @progress gets the
 * fraction of rows read (nullable). Cancelled: NULL with
 * G_IO_ERROR_CANCELLED, checked between chunks. */
WrDatasetResult *wr_dataset_query_run          (WrStore                *store,
                                                const char             *id,
                                                const WrDatasetQuery   *query,
                                                WrDatasetProgressFunc   progress,
                                                gpointer                progress_data,
                                                GCancellable           *cancellable,
                                                GError                **error);
/* In a worker thread (the query is copied); @progress at most every 1 %. */
void             wr_dataset_query_run_async    (WrStore                *store,
                                                const char             *id,
                                                const WrDatasetQuery   *query,
                                                WrDatasetProgressFunc   progress,
                                                gpointer                progress_data,
                                                GDestroyNotify          progress_destroy,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
WrDatasetResult *wr_dataset_query_run_finish   (WrStore                *store,
                                                GAsyncResult           *result,
                                                GError                **error);

/* Rows [@offset, @offset + @limit) of @result, in result order, as a JSON
 * array of arrays padded to @n_columns (transfer full). One point lookup
 * per row on the primary key. */
JsonArray       *wr_dataset_result_read_rows   (WrStore                *store,
                                                const char             *id,
                                                const WrDatasetResult  *result,
                                                guint                   offset,
                                                guint                   limit,
                                                guint                   n_columns,
                                                GError                **error);

/* Statistics of one column. */
typedef struct _WrColumnStats {
  guint         column;
  char         *name;
  WrColumnType  type;
  gint64        count;           /* rows */
  gint64        empty;           /* empty cells */
  gint64        distinct;        /* distinct non-empty values */
  gboolean      distinct_capped; /* TRUE: at least @distinct (more were not counted) */
  /* integer, number: over the values that read as numbers */
  gint64        n_numbers;
  double        min, max, sum, mean;
  guint64       histogram[WR_COLUMN_STATS_N_BINS];   /* equal bins over [min, max] */
  /* date: ISO text of the earliest and latest, nullable */
  char         *earliest;
  char         *latest;
  /* text (and boolean): the most frequent values, most first, counted
   * exactly while distinct is not capped */
  guint         n_top;
  char         *top_values[WR_COLUMN_STATS_N_TOP];
  gint64        top_counts[WR_COLUMN_STATS_N_TOP];
} WrColumnStats;

void            wr_column_stats_free          (WrColumnStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrColumnStats, wr_column_stats_free)
/* A JSON object of @stats (transfer full): name, type, count, empty,
 * distinct, distinct_capped, and min/max/sum/mean/histogram, or
 * earliest/latest, or top ([{value, count}]) as the type has them. */
JsonNode       *wr_column_stats_to_json       (const WrColumnStats *stats);

/* Statistics of column @column of dataset @id, or of every column when
 * @column is -1 (element-type WrColumnStats, transfer full), in one pass
 * over the rows (a second over the number columns for the histogram).
 * Cancelled: NULL with G_IO_ERROR_CANCELLED. */
GPtrArray      *wr_dataset_compute_stats      (WrStore                *store,
                                               const char             *id,
                                               int                     column,
                                               WrDatasetProgressFunc   progress,
                                               gpointer                progress_data,
                                               GCancellable           *cancellable,
                                               GError                **error);
void            wr_dataset_compute_stats_async (WrStore               *store,
                                               const char             *id,
                                               int                     column,
                                               WrDatasetProgressFunc   progress,
                                               gpointer                progress_data,
                                               GDestroyNotify          progress_destroy,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
GPtrArray      *wr_dataset_compute_stats_finish (WrStore              *store,
                                               GAsyncResult           *result,
                                               GError                **error);

G_END_DECLS
