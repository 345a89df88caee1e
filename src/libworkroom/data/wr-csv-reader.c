/* wr-csv-reader.c — streaming CSV reading over libcsv.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <csv.h>
#include <glib/gi18n.h>

#include "wr-csv-reader.h"

#define SNIFF_BYTES      (64 * 1024)
#define SNIFF_LINES      50
#define UTF16_PEEK_BYTES 512

struct _WrCsvReader
{
  char               delimiter;       /* 0 until set or detected */
  const char        *encoding;
  WrCsvProgressFunc  progress;
  gpointer           progress_data;

  /* the record being assembled: fields NUL-separated in @record, starting
   * at @offsets[i] */
  GString           *record;
  GArray            *offsets;         /* element-type gsize */
  GPtrArray         *pointers;        /* const char *, for the callback */
  GPtrArray         *repaired;        /* owned strings made valid */
  guint64            n_records;

  WrCsvRecordFunc    func;
  gpointer           func_data;
  GError            *error;           /* first error; parsing stops */

  GPtrArray         *warnings;
  guint64            n_invalid;
  guint64            bytes_read;
  gboolean           used;
};

G_DEFINE_QUARK (wr-csv-error-quark, wr_csv_error)

WrCsvReader *
wr_csv_reader_new (void)
{
  WrCsvReader *self = g_new0 (WrCsvReader, 1);

  self->encoding = "UTF-8";
  self->record = g_string_sized_new (1024);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->pointers = g_ptr_array_new ();
  self->repaired = g_ptr_array_new_with_free_func (g_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
wr_csv_reader_free (WrCsvReader *self)
{
  if (self == NULL)
    return;
  g_string_free (self->record, TRUE);
  g_array_unref (self->offsets);
  g_ptr_array_unref (self->pointers);
  g_ptr_array_unref (self->repaired);
  g_ptr_array_unref (self->warnings);
  g_clear_error (&self->error);
  g_free (self);
}

void
wr_csv_reader_set_delimiter (WrCsvReader *self,
                             char         delimiter)
{
  g_return_if_fail (self != NULL);
  self->delimiter = delimiter;
}

void
wr_csv_reader_set_progress (WrCsvReader       *self,
                            WrCsvProgressFunc  progress,
                            gpointer           user_data)
{
  g_return_if_fail (self != NULL);
  self->progress = progress;
  self->progress_data = user_data;
}

char
wr_csv_reader_get_delimiter (WrCsvReader *self)
{
  return self->delimiter != 0 ? self->delimiter : ',';
}

const char *
wr_csv_reader_get_encoding (WrCsvReader *self)
{
  return self->encoding;
}

GPtrArray *
wr_csv_reader_get_warnings (WrCsvReader *self)
{
  return self->warnings;
}

guint64
wr_csv_reader_get_n_invalid_records (WrCsvReader *self)
{
  return self->n_invalid;
}

guint64
wr_csv_reader_get_bytes_read (WrCsvReader *self)
{
  return self->bytes_read;
}

/* libcsv grows a field's buffer through this: refusing beyond the bound
 * makes csv_parse() stop with CSV_ENOMEM, which we report as too large. */
static void *
bounded_realloc (void   *ptr,
                 size_t  size)
{
  if (size > WR_CSV_MAX_FIELD_BYTES + 1)
    return NULL;
  return realloc (ptr, size);
}

/* Values are kept as written: nothing counts as padding. */
static int
no_space (unsigned char c)
{
  return 0;
}

static void
stop_with (WrCsvReader *self,
           GError      *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

static void
on_field (void   *s,
          size_t  len,
          void   *data)
{
  WrCsvReader *self = data;
  gsize start = self->record->len;

  if (self->error != NULL)
    return;

  if (self->offsets->len >= WR_CSV_MAX_FIELDS)
    {
      stop_with (self, g_error_new (WR_CSV_ERROR, WR_CSV_ERROR_TOO_LARGE,
                                    _("Row %" G_GUINT64_FORMAT " has more than %d fields. "
                                      "Check that the file is really CSV, or split it."),
                                    self->n_records + 1, WR_CSV_MAX_FIELDS));
      return;
    }
  if (start + len + 1 > WR_CSV_MAX_RECORD_BYTES)
    {
      stop_with (self, g_error_new (WR_CSV_ERROR, WR_CSV_ERROR_TOO_LARGE,
                                    _("Row %" G_GUINT64_FORMAT " is larger than %d MB. "
                                      "Check for a quote that is never closed."),
                                    self->n_records + 1, WR_CSV_MAX_RECORD_BYTES / (1024 * 1024)));
      return;
    }

  /* One resize and a copy: this runs for every field of the file. */
  g_array_append_val (self->offsets, start);
  g_string_set_size (self->record, start + len + 1);
  if (len > 0)
    memcpy (self->record->str + start, s, len);
  self->record->str[start + len] = '\0';
}

static void
on_record (int   terminator,
           void *data)
{
  WrCsvReader *self = data;
  guint n = self->offsets->len;
  gboolean invalid = FALSE;
  GError *error = NULL;

  if (self->error != NULL)
    return;

  self->n_records++;
  g_ptr_array_set_size (self->pointers, 0);

  for (guint i = 0; i < n; i++)
    {
      gsize start = g_array_index (self->offsets, gsize, i);
      gsize end = i + 1 < n ? g_array_index (self->offsets, gsize, i + 1) - 1 : self->record->len - 1;
      const char *field = self->record->str + start;

      /* A NUL inside the field fails validation too. */
      if (!g_utf8_validate (field, end - start, NULL))
        {
          char *fixed = g_utf8_make_valid (field, end - start);

          g_ptr_array_add (self->repaired, fixed);
          field = fixed;
          invalid = TRUE;
        }
      g_ptr_array_add (self->pointers, (gpointer) field);
    }

  if (invalid)
    {
      self->n_invalid++;
      if (self->warnings->len < WR_CSV_MAX_WARNINGS)
        g_ptr_array_add (self->warnings,
                         g_strdup_printf (_("Row %" G_GUINT64_FORMAT ": bytes that are not UTF-8 "
                                            "were replaced by “\xEF\xBF\xBD”."), self->n_records));
    }

  if (!self->func ((const char * const *) self->pointers->pdata, n, self->n_records,
                   self->func_data, &error))
    stop_with (self, error != NULL ? error
                                   : g_error_new_literal (WR_CSV_ERROR, WR_CSV_ERROR_FAILED,
                                                          _("The import was stopped.")));

  g_string_truncate (self->record, 0);
  g_array_set_size (self->offsets, 0);
  g_ptr_array_set_size (self->repaired, 0);
}

/* The candidate that splits the most of the first lines into the same
 * number (> 1) of fields; quotes are honoured. */
static char
detect_delimiter (const char *text,
                  gsize       len)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  char best = ',';
  guint best_score = 0;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint first = 0, count = 1, lines = 0, score = 0;
      gboolean quoted = FALSE;

      for (gsize i = 0; i < len && lines < SNIFF_LINES; i++)
        {
          char ch = text[i];

          if (ch == '"')
            quoted = !quoted;
          else if (!quoted && ch == candidates[c])
            count++;
          else if (!quoted && (ch == '\n' || i + 1 == len))
            {
              if (count > 1 || lines > 0)
                {
                  if (lines == 0)
                    first = count;
                  if (count == first)
                    score++;
                  lines++;
                }
              count = 1;
            }
        }

      if (first > 1 && score > best_score)
        {
          best = candidates[c];
          best_score = score;
        }
    }

  return best;
}

/* Zero bytes at odd (LE) or even (BE) offsets of ASCII-heavy text. */
static const char *
sniff_utf16 (const guint8 *data,
             gsize         len)
{
  guint zeros[2] = { 0, 0 };

  len &= ~(gsize) 1;
  if (len < 4)
    return NULL;

  for (gsize i = 0; i < len; i++)
    if (data[i] == 0)
      zeros[i & 1]++;

  if (zeros[1] * 10 >= len / 2 * 7 && zeros[0] == 0)
    return "UTF-16LE";
  if (zeros[0] * 10 >= len / 2 * 7 && zeros[1] == 0)
    return "UTF-16BE";
  return NULL;
}

static gboolean
feed (WrCsvReader       *self,
      struct csv_parser *parser,
      const char        *data,
      gsize              len,
      GError           **error)
{
  gsize done = csv_parse (parser, data, len, on_field, on_record, self);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }
  if (done < len)
    {
      if (csv_error (parser) == CSV_ENOMEM || csv_error (parser) == CSV_ETOOBIG)
        g_set_error (error, WR_CSV_ERROR, WR_CSV_ERROR_TOO_LARGE,
                     _("Row %" G_GUINT64_FORMAT " has a field larger than %d MB. "
                       "Check for a quote that is never closed."),
                     self->n_records + 1, WR_CSV_MAX_FIELD_BYTES / (1024 * 1024));
      else
        g_set_error (error, WR_CSV_ERROR, WR_CSV_ERROR_FAILED,
                     _("Row %" G_GUINT64_FORMAT " could not be read: %s."),
                     self->n_records + 1, csv_strerror (csv_error (parser)));
      return FALSE;
    }
  return TRUE;
}

static void
parser_free (struct csv_parser *parser)
{
  csv_free (parser);
}

gboolean
wr_csv_reader_read_stream (WrCsvReader      *self,
                           GInputStream     *stream,
                           guint64           total,
                           WrCsvRecordFunc   func,
                           gpointer          user_data,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autofree char *chunk = NULL;
  struct csv_parser parser;
  const guint8 *peek;
  gsize available = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (!self->used, FALSE);

  self->used = TRUE;
  self->func = func;
  self->func_data = user_data;

  /* Look at the first bytes for a BOM or UTF-16 without one. */
  buffered = g_buffered_input_stream_new_sized (stream, WR_CSV_CHUNK_SIZE);
  for (;;)
    {
      gssize n = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered),
                                               UTF16_PEEK_BYTES - available,
                                               cancellable, error);
      if (n < 0)
        return FALSE;
      available = g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered));
      if (n == 0 || available >= UTF16_PEEK_BYTES)
        break;
    }
  peek = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &available);

  if (available >= 3 && memcmp (peek, "\xEF\xBB\xBF", 3) == 0)
    {
      if (g_input_stream_skip (buffered, 3, cancellable, error) < 0)
        return FALSE;
    }
  else if (available >= 2 && (memcmp (peek, "\xFF\xFE", 2) == 0 || memcmp (peek, "\xFE\xFF", 2) == 0))
    {
      self->encoding = peek[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      if (g_input_stream_skip (buffered, 2, cancellable, error) < 0)
        return FALSE;
    }
  else
    {
      const char *sniffed = sniff_utf16 (peek, available);

      if (sniffed != NULL)
        self->encoding = sniffed;
    }

  if (g_str_has_prefix (self->encoding, "UTF-16"))
    {
      g_autoptr(GCharsetConverter) converter = g_charset_converter_new ("UTF-8", self->encoding, error);

      if (converter == NULL)
        return FALSE;
      input = g_converter_input_stream_new (buffered, G_CONVERTER (converter));
    }
  else
    input = g_object_ref (buffered);

  if (csv_init (&parser, 0) != 0)
    {
      g_set_error_literal (error, WR_CSV_ERROR, WR_CSV_ERROR_FAILED, _("Out of memory."));
      return FALSE;
    }
  {
    g_autoptr(GError) local_error = NULL;
    gboolean ok = TRUE;

    csv_set_realloc_func (&parser, bounded_realloc);
    csv_set_space_func (&parser, no_space);
    csv_set_blk_size (&parser, 64 * 1024);

    chunk = g_malloc (WR_CSV_CHUNK_SIZE);
    for (;;)
      {
        gsize len = 0;

        /* Not every stream checks it (memory streams do not). */
        if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
          {
            ok = FALSE;
            break;
          }
        if (!g_input_stream_read_all (input, chunk, WR_CSV_CHUNK_SIZE, &len, cancellable, &local_error))
          {
            if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
                g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
              {
                g_clear_error (&local_error);
                g_set_error (&local_error, WR_CSV_ERROR, WR_CSV_ERROR_ENCODING,
                             _("The file starts like %s text but has bytes that do not convert "
                               "(after row %" G_GUINT64_FORMAT "). Save it as UTF-8 and import it again."),
                             self->encoding, self->n_records);
              }
            ok = FALSE;
            break;
          }

        if (first)
          {
            if (self->delimiter == 0)
              self->delimiter = detect_delimiter (chunk, MIN (len, SNIFF_BYTES));
            csv_set_delim (&parser, (unsigned char) self->delimiter);
            first = FALSE;
          }

        if (len == 0)
          break;

        self->bytes_read += len;
        if (!feed (self, &parser, chunk, len, &local_error))
          {
            ok = FALSE;
            break;
          }

        if (self->progress != NULL)
          {
            guint64 position = self->bytes_read;

            if (G_IS_SEEKABLE (stream) && g_seekable_can_seek (G_SEEKABLE (stream)))
              position = g_seekable_tell (G_SEEKABLE (stream));
            self->progress (total > 0 ? MIN (position, total) : position, total, self->progress_data);
          }

        if (len < WR_CSV_CHUNK_SIZE)
          break;
      }

    if (ok)
      {
        csv_fini (&parser, on_field, on_record, self);
        if (self->error != NULL)
          {
            g_propagate_error (&local_error, g_steal_pointer (&self->error));
            ok = FALSE;
          }
      }
    parser_free (&parser);

    if (!ok)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  }

  return TRUE;
}

gboolean
wr_csv_reader_read_file (WrCsvReader      *self,
                         const char       *path,
                         WrCsvRecordFunc   func,
                         gpointer          user_data,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);

  return wr_csv_reader_read_stream (self, G_INPUT_STREAM (stream),
                                    info != NULL ? (guint64) g_file_info_get_size (info) : 0,
                                    func, user_data, cancellable, error);
}
