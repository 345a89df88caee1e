/* wr-xlsx-reader.h — streaming reader for Excel workbooks (.xlsx) from
 * untrusted files: sheets in workbook order, a callback per row with typed
 * cells, so a huge sheet is never held in memory. Not thread-safe: use a
 * reader from one thread at a time (any thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-docs-error.h"

G_BEGIN_DECLS

typedef enum
{
  WR_XLSX_CELL_EMPTY,
  WR_XLSX_CELL_STRING,   /* shared, inline or formula string; also error values like "#DIV/0!" */
  WR_XLSX_CELL_NUMBER,
  WR_XLSX_CELL_BOOL,
  WR_XLSX_CELL_DATE,     /* number with a date/time format; text is ISO */
} WrXlsxCellType;

typedef struct
{
  WrXlsxCellType  type;
  /* Display text, never NULL ("" when empty): the string; a number as
   * "%.15g" ("42", "0.5"); "TRUE"/"FALSE"; a date "2021-01-01", a date and
   * time "2021-01-01 12:30:00", a time "12:30:00", an elapsed time
   * ("[h]:mm:ss") "255:10:10". Borrowed: valid during the callback only. */
  const char     *text;
  double          number;   /* number, date serial, 1/0 for bools; 0 otherwise */
} WrXlsxCell;

/* cells[i] is column i (A = 0), n_cells = last non-empty column + 1; only
 * rows holding a value are reported, with their sheet row number (1-based).
 * Return FALSE to stop reading (read_sheet then returns TRUE). */
typedef gboolean (*WrXlsxRowFunc) (guint             row_number,
                                   const WrXlsxCell *cells,
                                   guint             n_cells,
                                   gpointer          user_data);

/* Bytes of the sheet's XML read so far, out of total (declared size). */
typedef void (*WrXlsxProgressFunc) (guint64  bytes_read,
                                    guint64  bytes_total,
                                    gpointer user_data);

typedef enum
{
  WR_XLSX_SHEET_VISIBLE,
  WR_XLSX_SHEET_HIDDEN,
  WR_XLSX_SHEET_VERY_HIDDEN,
} WrXlsxSheetVisibility;

typedef struct
{
  guint first_row, first_column;   /* 1-based row, 0-based column */
  guint last_row, last_column;
  char *ref;                       /* "A1:C3" */
} WrXlsxMerge;

typedef struct _WrXlsxReader WrXlsxReader;

WrXlsxReader *wr_xlsx_reader_open             (const char    *path,
                                               GError       **error);
WrXlsxReader *wr_xlsx_reader_open_bytes       (GBytes        *bytes,
                                               GError       **error);
void          wr_xlsx_reader_free             (WrXlsxReader  *self);

guint         wr_xlsx_reader_get_n_sheets     (WrXlsxReader  *self);
const char   *wr_xlsx_reader_get_sheet_name   (WrXlsxReader  *self,
                                               guint          index);
WrXlsxSheetVisibility
              wr_xlsx_reader_get_sheet_visibility (WrXlsxReader *self,
                                                   guint         index);
/* FALSE for chart sheets and other sheets without cells (read_sheet then reports no rows). */
gboolean      wr_xlsx_reader_sheet_has_cells  (WrXlsxReader  *self,
                                               guint          index);
gboolean      wr_xlsx_reader_get_date1904     (WrXlsxReader  *self);

void          wr_xlsx_reader_set_progress_func (WrXlsxReader      *self,
                                                WrXlsxProgressFunc func,
                                                gpointer           user_data);

/* Sheets are indexed 0..n_sheets-1 in workbook order. */
gboolean      wr_xlsx_reader_read_sheet       (WrXlsxReader  *self,
                                               guint          index,
                                               WrXlsxRowFunc  func,
                                               gpointer       user_data,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* Merged ranges of the sheet last read with read_sheet() (the value is in
 * the top-left cell); element-type WrXlsxMerge, owned by the reader. */
GPtrArray    *wr_xlsx_reader_get_merges       (WrXlsxReader  *self);

/* Serial day number to ISO text as described for WrXlsxCell.text. */
char         *wr_xlsx_format_serial           (double         serial,
                                               gboolean       date1904,
                                               gboolean       has_date,
                                               gboolean       has_time,
                                               gboolean       elapsed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrXlsxReader, wr_xlsx_reader_free)

G_END_DECLS
