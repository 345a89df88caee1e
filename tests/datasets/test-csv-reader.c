/* test-csv-reader.c — the streaming CSV reader on small inputs: quoting,
 * delimiters, encodings, invalid bytes, bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "data/wr-csv-reader.h"
#include "data/wr-column-type.h"

/* Records joined as "a|b\n" lines with fields in [brackets]. */
static gboolean
collect (const char * const *fields,
         guint               n_fields,
         guint64             record,
         gpointer            user_data,
         GError            **error)
{
  GString *out = user_data;

  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (out, "[%s]", fields[i]);
  g_string_append_c (out, '\n');
  return TRUE;
}

static char *
read_all (const char   *data,
          gsize         len,
          char          delimiter,
          WrCsvReader **out_reader,
          GError      **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);
  g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();
  g_autoptr(GString) out = g_string_new ("");

  if (delimiter != 0)
    wr_csv_reader_set_delimiter (reader, delimiter);
  if (!wr_csv_reader_read_stream (reader, stream, len, collect, out, NULL, error))
    return NULL;
  if (out_reader != NULL)
    *out_reader = g_steal_pointer (&reader);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  const char *name;
  const char *input;
  const char *expected;
  char        delimiter;   /* expected detected delimiter */
} Case;

static const Case cases[] = {
  { "simple", "a,b\n1,2\n", "[a][b]\n[1][2]\n", ',' },
  { "crlf", "a,b\r\n1,2\r\n", "[a][b]\n[1][2]\n", ',' },
  { "no-final-newline", "a,b\n1,2", "[a][b]\n[1][2]\n", ',' },
  { "quoted-newline", "a,b\n1,\"x\ny\"\n", "[a][b]\n[1][x\ny]\n", ',' },
  { "quoted-crlf", "a,b\r\n1,\"x\r\ny\"\r\n", "[a][b]\n[1][x\r\ny]\n", ',' },
  { "escaped-quotes", "a\n\"he said \"\"hi\"\"\"\n", "[a]\n[he said \"hi\"]\n", ',' },
  { "delimiter-in-quotes", "a,b\n\"1,5\",2\n", "[a][b]\n[1,5][2]\n", ',' },
  { "semicolon", "a;b;c\n1,5;2;3\n4;5;6\n", "[a][b][c]\n[1,5][2][3]\n[4][5][6]\n", ';' },
  { "tab", "a\tb\n1\t2\n", "[a][b]\n[1][2]\n", '\t' },
  { "pipe", "a|b|c\n1|2|3\n", "[a][b][c]\n[1][2][3]\n", '|' },
  { "spaces-kept", "a,b\n  x , y\n", "[a][b]\n[  x ][ y]\n", ',' },
  { "ragged", "a,b,c\n1\n1,2,3,4\n", "[a][b][c]\n[1]\n[1][2][3][4]\n", ',' },
  { "empty-fields", "a,b,c\n,,\n", "[a][b][c]\n[][][]\n", ',' },
  { "empty-lines-skipped", "a,b\n\n1,2\n\n", "[a][b]\n[1][2]\n", ',' },
  { "header-only", "a,b,c\n", "[a][b][c]\n", ',' },
  { "empty", "", "", ',' },
  { "utf8-bom", "\xEF\xBB\xBFid,name\n1,\xE4\xB8\xAD\n", "[id][name]\n[1][\xE4\xB8\xAD]\n", ',' },
  { "stray-quote", "a,b\n5\" pipe,2\n", "[a][b]\n[5\" pipe][2]\n", ',' },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrCsvReader) reader = NULL;
  g_autofree char *out = read_all (c->input, strlen (c->input), 0, &reader, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, c->expected);
  g_assert_cmpint (wr_csv_reader_get_delimiter (reader), ==, c->delimiter);
  g_assert_cmpuint (wr_csv_reader_get_n_invalid_records (reader), ==, 0);
}

static void
test_forced_delimiter (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = read_all ("a,b\tc\n1,2\t3\n", 12, '\t', NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "[a,b][c]\n[1,2][3]\n");
}

static GBytes *
utf16 (const char *utf8,
       const char *charset,
       gboolean    bom)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *converted = g_convert (utf8, -1, charset, "UTF-8", NULL, &len, &error);
  GByteArray *bytes = g_byte_array_new ();

  g_assert_no_error (error);
  if (bom)
    g_byte_array_append (bytes, (const guint8 *) (g_str_equal (charset, "UTF-16LE") ? "\xFF\xFE" : "\xFE\xFF"), 2);
  g_byte_array_append (bytes, (const guint8 *) converted, len);
  return g_byte_array_free_to_bytes (bytes);
}

static void
test_utf16 (void)
{
  const char *text = "name;city\nZoë;Zürich\n\"multi\nline\";中国\n";
  const char *expected = "[name][city]\n[Zoë][Zürich]\n[multi\nline][中国]\n";
  const struct { const char *charset; gboolean bom; } variants[] = {
    { "UTF-16LE", TRUE }, { "UTF-16BE", TRUE }, { "UTF-16LE", FALSE }, { "UTF-16BE", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(GBytes) bytes = utf16 (text, variants[i].charset, variants[i].bom);
      g_autoptr(GError) error = NULL;
      g_autoptr(WrCsvReader) reader = NULL;
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autofree char *out = read_all (data, len, 0, &reader, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, expected);
      g_assert_cmpstr (wr_csv_reader_get_encoding (reader), ==, variants[i].charset);
      g_assert_cmpint (wr_csv_reader_get_delimiter (reader), ==, ';');
    }
}

static void
test_invalid_bytes (void)
{
  const char input[] = "a,b\n1,ok\n2,bad\xff\xfe\n3,nul\0x\n4,fine\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(WrCsvReader) reader = NULL;
  g_autofree char *out = read_all (input, sizeof input - 1, 0, &reader, &error);
  GPtrArray *warnings;

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "[a][b]\n[1][ok]\n[2][bad\xEF\xBF\xBD\xEF\xBF\xBD]\n"
                            "[3][nul\xEF\xBF\xBDx]\n[4][fine]\n");
  g_assert_cmpuint (wr_csv_reader_get_n_invalid_records (reader), ==, 2);
  warnings = wr_csv_reader_get_warnings (reader);
  g_assert_cmpuint (warnings->len, ==, 2);
  /* Records are counted from the header: the bad ones are 3 and 4. */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "Row 3:"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 1), "Row 4:"));
}

static void
test_invalid_bytes_bounded (void)
{
  g_autoptr(GString) input = g_string_new ("a\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(WrCsvReader) reader = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append (input, "\xff\n");
  out = read_all (input->str, input->len, 0, &reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr_csv_reader_get_n_invalid_records (reader), ==, 500);
  g_assert_cmpuint (wr_csv_reader_get_warnings (reader)->len, ==, WR_CSV_MAX_WARNINGS);
}

static void
test_chunk_boundaries (void)
{
  /* Quoted newlines and "" escapes straddling the 256 KiB chunks. */
  g_autoptr(GString) input = g_string_new ("id,text\n");
  g_autoptr(GString) expected = g_string_new ("[id][text]\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; input->len < 3 * WR_CSV_CHUNK_SIZE; i++)
    {
      g_string_append_printf (input, "%u,\"line one\nline \"\"%u\"\" two\"\n", i, i);
      g_string_append_printf (expected, "[%u][line one\nline \"%u\" two]\n", i, i);
    }
  out = read_all (input->str, input->len, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected->str);
}

static void
test_field_too_large (void)
{
  gsize len = WR_CSV_MAX_FIELD_BYTES + 1024;
  g_autofree char *input = g_malloc (len);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  /* A quote never closed: the rest of the file would be one field. */
  memcpy (input, "a,b\n1,\"", 7);
  memset (input + 7, 'x', len - 7);
  out = read_all (input, len, 0, NULL, &error);
  g_assert_error (error, WR_CSV_ERROR, WR_CSV_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "Row 2"));
  g_assert_null (out);
}

static void
test_too_many_fields (void)
{
  g_autoptr(GString) input = g_string_new ("a\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; i <= WR_CSV_MAX_FIELDS; i++)
    g_string_append (input, "x,");
  g_string_append (input, "\n");
  out = read_all (input->str, input->len, ',', NULL, &error);
  g_assert_error (error, WR_CSV_ERROR, WR_CSV_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "Row 2"));
}

static gboolean
stop_at_two (const char * const *fields,
             guint               n_fields,
             guint64             record,
             gpointer            user_data,
             GError            **error)
{
  if (record == 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "stop");
      return FALSE;
    }
  return TRUE;
}

static void
test_callback_stops (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("a\n1\n2\n3\n", 8, NULL);
  g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (wr_csv_reader_read_stream (reader, stream, 0, stop_at_two, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

static void
test_cancelled (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("a\n1\n", 4, NULL);
  g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (wr_csv_reader_read_stream (reader, stream, 0, collect, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (out->str, ==, "");
}

static void
test_types (void)
{
  const struct { const char *value; WrColumnType type; } values[] = {
    { "42", WR_COLUMN_TYPE_INTEGER }, { "-7", WR_COLUMN_TYPE_INTEGER }, { "0", WR_COLUMN_TYPE_INTEGER },
    { "08123", WR_COLUMN_TYPE_TEXT }, { "99999999999999999999", WR_COLUMN_TYPE_NUMBER },
    { "3.14", WR_COLUMN_TYPE_NUMBER }, { "-1e5", WR_COLUMN_TYPE_NUMBER }, { ".5", WR_COLUMN_TYPE_NUMBER },
    { "1,5", WR_COLUMN_TYPE_TEXT }, { "e5", WR_COLUMN_TYPE_TEXT }, { "1e", WR_COLUMN_TYPE_TEXT },
    { "TRUE", WR_COLUMN_TYPE_BOOLEAN }, { "no", WR_COLUMN_TYPE_BOOLEAN },
    { "2024-02-29", WR_COLUMN_TYPE_DATE }, { "2023-02-29", WR_COLUMN_TYPE_TEXT },
    { "2024-01-31T12:30:00Z", WR_COLUMN_TYPE_DATE }, { "2024-01-31 12:30", WR_COLUMN_TYPE_DATE },
    { "31/12/2024", WR_COLUMN_TYPE_DATE }, { "12/31/2024", WR_COLUMN_TYPE_DATE },
    { "01.02.2018", WR_COLUMN_TYPE_DATE }, { "32/13/2024", WR_COLUMN_TYPE_TEXT },
    { "hello", WR_COLUMN_TYPE_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      WrColumnType type = wr_column_type_pick (WR_COLUMN_TYPES_ALL & wr_column_type_classify (values[i].value));

      g_test_message ("%s", values[i].value);
      g_assert_cmpstr (wr_column_type_to_string (type), ==, wr_column_type_to_string (values[i].type));
    }

  /* A column is the narrowest type all of its values fit. */
  g_assert_cmpint (wr_column_type_pick (wr_column_type_classify ("1") & wr_column_type_classify ("2.5")), ==,
                   WR_COLUMN_TYPE_NUMBER);
  g_assert_cmpint (wr_column_type_pick (wr_column_type_classify ("1") & wr_column_type_classify ("x")), ==,
                   WR_COLUMN_TYPE_TEXT);
  g_assert_cmpint (wr_column_type_pick (WR_COLUMN_TYPES_ALL), ==, WR_COLUMN_TYPE_TEXT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/csv-reader/case/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/csv-reader/forced-delimiter", test_forced_delimiter);
  g_test_add_func ("/csv-reader/utf16", test_utf16);
  g_test_add_func ("/csv-reader/invalid-bytes", test_invalid_bytes);
  g_test_add_func ("/csv-reader/invalid-bytes-bounded", test_invalid_bytes_bounded);
  g_test_add_func ("/csv-reader/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/csv-reader/field-too-large", test_field_too_large);
  g_test_add_func ("/csv-reader/too-many-fields", test_too_many_fields);
  g_test_add_func ("/csv-reader/callback-stops", test_callback_stops);
  g_test_add_func ("/csv-reader/cancelled", test_cancelled);
  g_test_add_func ("/column-type/classify", test_types);

  return g_test_run ();
}
