/* fuzz-csv.c — WrCsvReader (and column typing) on hostile bytes.
 *
 * Input layout: byte 0 picks the delimiter (0–3 forced , ; tab |, else
 * detected); the rest is the file. Every field handed out must be valid,
 * NUL-terminated UTF-8; records come numbered 1, 2, 3…; no record has
 * more fields than the bound; the warnings stay bounded; the read either
 * succeeds or fails with an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "data/wr-column-type.h"
#include "data/wr-csv-reader.h"

typedef struct
{
  guint64 records;
  guint64 bytes;
} Run;

static gboolean
on_record_cb (const char * const *fields,
              guint               n_fields,
              guint64             record,
              gpointer            user_data,
              GError            **error)
{
  Run *run = user_data;

  FUZZ_CHECK (record == run->records + 1, "record %" G_GUINT64_FORMAT " after %" G_GUINT64_FORMAT,
              record, run->records);
  FUZZ_CHECK (n_fields >= 1 && n_fields <= WR_CSV_MAX_FIELDS, "%u fields", n_fields);
  run->records = record;

  for (guint i = 0; i < n_fields; i++)
    {
      gsize len = strlen (fields[i]);

      FUZZ_CHECK (g_utf8_validate (fields[i], len, NULL), "field %u of record %" G_GUINT64_FORMAT
                  " is not UTF-8", i, record);
      run->bytes += len;
      if (len > 0)
        wr_column_type_pick (wr_column_type_classify (fields[i]));
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char delimiters[] = { ',', ';', '\t', '|' };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0, 0 };
  gboolean ok;

  if (size < 1)
    return 0;

  if (data[0] < G_N_ELEMENTS (delimiters))
    wr_csv_reader_set_delimiter (reader, delimiters[data[0]]);
  stream = g_memory_input_stream_new_from_data (data + 1, size - 1, NULL);

  ok = wr_csv_reader_read_stream (reader, stream, size - 1, on_record_cb, &run, NULL, &error);
  FUZZ_CHECK (ok == (error == NULL), "result and error disagree");
  FUZZ_CHECK (wr_csv_reader_get_warnings (reader)->len <= WR_CSV_MAX_WARNINGS, "unbounded warnings");
  FUZZ_CHECK (wr_csv_reader_get_n_invalid_records (reader) <= run.records, "more invalid records than records");
  FUZZ_CHECK (strchr (",;\t|", wr_csv_reader_get_delimiter (reader)) != NULL, "odd delimiter");
  /* UTF-16 doubles at most… UTF-8 output of any input stays within 3× + BOM. */
  FUZZ_CHECK (run.bytes <= 3 * size + 16, "%" G_GUINT64_FORMAT " field bytes from %zu input bytes",
              run.bytes, size);

  return 0;
}
