/* wr-csv-reader.h — streaming CSV reading (libcsv underneath).
 *
 * Reads RFC 4180 CSV in fixed-size chunks, so memory stays bounded
 * whatever the file's size: quoted fields may hold delimiters, newlines
 * and "" escapes. Before parsing it
 *   - skips a UTF-8 byte order mark, and converts UTF-16 (LE/BE, with a
 *     BOM, or without one when the first bytes make it obvious) to UTF-8
 *     on the fly;
 *   - detects the delimiter (, ; tab |) from the first lines, unless one
 *     was set: the candidate that splits the most lines into the same
 *     number (> 1) of fields, outside quotes, wins; ties go in that order.
 * Bytes that are not UTF-8 (and NUL bytes) become U+FFFD; each record
 * where that happened is noted in the warnings ("Row 12: …"), the first
 * WR_CSV_MAX_WARNINGS of them plus a count.
 *
 * Parsing is lenient (libcsv without CSV_STRICT), like spreadsheets: a
 * stray quote inside an unquoted field is kept as a character, and a
 * quote left open at the end of the file ends there. Values are kept
 * exactly: no spaces are trimmed. Empty lines are skipped.
 *
 * Bounds: a field over WR_CSV_MAX_FIELD_BYTES, a record over
 * WR_CSV_MAX_RECORD_BYTES or with more than WR_CSV_MAX_FIELDS fields stops
 * the read with WR_CSV_ERROR_TOO_LARGE and a message naming the record.
 *
 * Threading: a reader is used by one thread at a time; parsing blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WR_CSV_ERROR (wr_csv_error_quark ())

typedef enum {
  WR_CSV_ERROR_FAILED,
  WR_CSV_ERROR_TOO_LARGE,   /* a field or record beyond the bounds below */
  WR_CSV_ERROR_ENCODING,    /* UTF-16 that does not convert */
} WrCsvError;

GQuark wr_csv_error_quark (void);

#define WR_CSV_CHUNK_SIZE        (256 * 1024)
#define WR_CSV_MAX_FIELD_BYTES   (16 * 1024 * 1024)
#define WR_CSV_MAX_RECORD_BYTES  (64 * 1024 * 1024)
#define WR_CSV_MAX_FIELDS        16384
#define WR_CSV_MAX_WARNINGS      100

/* One record: @fields[0 .. @n_fields - 1] are valid UTF-8, NUL-terminated
 * (transfer none, valid during the call). @record is 1-based, in file
 * order (the header, when there is one, is record 1). Return FALSE with
 * @error set to stop the read. */
typedef gboolean (*WrCsvRecordFunc) (const char * const *fields,
                                     guint               n_fields,
                                     guint64             record,
                                     gpointer            user_data,
                                     GError            **error);

/* @bytes_read of @total (0 when unknown) input bytes, after each chunk. */
typedef void (*WrCsvProgressFunc) (guint64  bytes_read,
                                   guint64  total,
                                   gpointer user_data);

typedef struct _WrCsvReader WrCsvReader;

WrCsvReader  *wr_csv_reader_new            (void);
void          wr_csv_reader_free           (WrCsvReader       *self);

/* Forces the delimiter (e.g. '\t' for .tsv); 0 (the default) detects it. */
void          wr_csv_reader_set_delimiter  (WrCsvReader       *self,
                                            char               delimiter);
void          wr_csv_reader_set_progress   (WrCsvReader       *self,
                                            WrCsvProgressFunc  progress,
                                            gpointer           user_data);

/* Reads all of @stream (@total bytes, 0 when unknown, for progress),
 * calling @func per record. G_IO_ERROR_CANCELLED when @cancellable is
 * cancelled (checked per chunk). A reader reads one stream. */
gboolean      wr_csv_reader_read_stream    (WrCsvReader       *self,
                                            GInputStream      *stream,
                                            guint64            total,
                                            WrCsvRecordFunc    func,
                                            gpointer           user_data,
                                            GCancellable      *cancellable,
                                            GError           **error);
gboolean      wr_csv_reader_read_file      (WrCsvReader       *self,
                                            const char        *path,
                                            WrCsvRecordFunc    func,
                                            gpointer           user_data,
                                            GCancellable      *cancellable,
                                            GError           **error);

/* After a read: the delimiter used, the encoding found ("UTF-8",
 * "UTF-16LE", "UTF-16BE"), the warnings (transfer none, translated) and
 * how many records had invalid bytes (all of them, not only those with a
 * warning). */
char          wr_csv_reader_get_delimiter  (WrCsvReader       *self);
const char   *wr_csv_reader_get_encoding   (WrCsvReader       *self);
GPtrArray    *wr_csv_reader_get_warnings   (WrCsvReader       *self);  /* element-type utf8 */
guint64       wr_csv_reader_get_n_invalid_records (WrCsvReader *self);
guint64       wr_csv_reader_get_bytes_read (WrCsvReader       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrCsvReader, wr_csv_reader_free)

G_END_DECLS
