/* test-ooxml.c — the Office Open XML readers against third-party fixtures
 * (WR_FIXTURES_DIR/documents/MANIFEST.json) and crafted hostile files:
 * zip bombs, too many entries, XXE, billion laughs, truncated archives,
 * and the XLSX details (dates in both systems, merges, streaming).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <zip.h>

#include "docs/wr-ooxml-text.h"
#include "docs/wr-safe-xml.h"
#include "docs/wr-safe-zip.h"
#include "docs/wr-xlsx-reader.h"
#include "ooxml-build.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-ooxml-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
joined_text (GPtrArray *sections)
{
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < sections->len; i++)
    {
      WrDocSection *s = g_ptr_array_index (sections, i);
      if (s->title != NULL)
        g_string_append_printf (all, "%s\n", s->title);
      g_string_append_printf (all, "%s\n", s->text);
    }
  return g_string_free (all, FALSE);
}

static guint
count_kind (GPtrArray        *sections,
            WrDocSectionKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < sections->len; i++)
    if (((WrDocSection *) g_ptr_array_index (sections, i))->kind == kind)
      n++;
  return n;
}

static gboolean
count_rows_cb (guint             row_number,
               const WrXlsxCell *cells,
               guint             n_cells,
               gpointer          user_data)
{
  guint *n = user_data;
  (*n)++;
  return TRUE;
}

/* ---- fixtures ----------------------------------------------------------- */

static void
test_fixtures (void)
{
  const char *root = g_getenv ("WR_FIXTURES_DIR");
  g_autofree char *docs = NULL;
  g_autofree char *manifest = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  guint n_checked = 0;

  if (root == NULL || root[0] == '\0')
    {
      g_test_skip ("WR_FIXTURES_DIR is not set");
      return;
    }
  docs = g_build_filename (root, "documents", NULL);
  manifest = g_build_filename (docs, "MANIFEST.json", NULL);
  if (!g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("no fixtures at %s", manifest);
      g_test_skip (msg);
      return;
    }

  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  entries = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *expect = json_object_get_object_member (entry, "expect");
      const char *kind = json_object_get_string_member (entry, "kind");
      g_autofree char *path = g_build_filename (docs, json_object_get_string_member (entry, "path"), NULL);
      g_autoptr(GPtrArray) sections = NULL;
      g_autoptr(GError) err = NULL;
      g_autofree char *all = NULL;
      gint64 start = g_get_monotonic_time ();

      if (strcmp (kind, "pptx") != 0 && strcmp (kind, "docx") != 0 && strcmp (kind, "xlsx") != 0)
        continue;
      g_test_message ("%s", path);
      n_checked++;

      sections = wr_ooxml_extract (path, kind, NULL, &err);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);

      if (json_object_get_boolean_member (expect, "should_fail"))
        {
          g_assert_null (sections);
          g_assert_nonnull (err);
          g_assert_true (err->domain == WR_DOCS_ERROR);
          g_assert_cmpstr (err->message, !=, "");
          g_test_message ("  fails as expected: %s", err->message);
          continue;
        }
      g_assert_no_error (err);
      g_assert_nonnull (sections);

      all = joined_text (sections);
      {
        JsonArray *contains = json_object_get_array_member (expect, "contains");
        for (guint j = 0; j < json_array_get_length (contains); j++)
          {
            const char *needle = json_array_get_string_element (contains, j);
            if (strstr (all, needle) == NULL)
              g_error ("%s: extracted text lacks “%s”", path, needle);
          }
      }
      if (!json_object_get_null_member (expect, "slides"))
        g_assert_cmpuint (count_kind (sections, WR_DOC_SECTION_SLIDE), ==,
                          (guint) json_object_get_int_member (expect, "slides"));
      if (!json_object_get_null_member (expect, "sheets"))
        {
          g_autoptr(WrXlsxReader) reader = wr_xlsx_reader_open (path, &err);
          g_assert_no_error (err);
          g_assert_cmpuint (count_kind (sections, WR_DOC_SECTION_SHEET), ==,
                            (guint) json_object_get_int_member (expect, "sheets"));
          g_assert_cmpuint (wr_xlsx_reader_get_n_sheets (reader), ==,
                            (guint) json_object_get_int_member (expect, "sheets"));
        }
      if (strcmp (kind, "xlsx") == 0 && !json_object_get_null_member (expect, "rows_min"))
        {
          g_autoptr(WrXlsxReader) reader = wr_xlsx_reader_open (path, &err);
          guint rows = 0;

          g_assert_no_error (err);
          for (guint s = 0; s < wr_xlsx_reader_get_n_sheets (reader); s++)
            {
              wr_xlsx_reader_read_sheet (reader, s, count_rows_cb, &rows, NULL, &err);
              g_assert_no_error (err);
            }
          g_assert_cmpuint (rows, >=, (guint) json_object_get_int_member (expect, "rows_min"));
        }
    }
  g_assert_cmpuint (n_checked, >, 0);
}

/* ---- hostile archives --------------------------------------------------- */

/* One entry of `size` zero bytes, deflated (a ratio of about 1000:1). */
static char *
write_zeros_zip (Fixture    *f,
                 const char *file,
                 const char *entry,
                 gsize       size)
{
  char *path = g_build_filename (f->dir, file, NULL);
  int code = 0;
  zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  void *zeros = g_malloc0 (size);
  zip_source_t *source = zip_source_buffer (zip, zeros, size, 1);

  g_assert_nonnull (zip);
  g_assert_cmpint (zip_file_add (zip, entry, source, 0), >=, 0);
  g_assert_cmpint (zip_close (zip), ==, 0);
  return path;
}

static void
test_zip_bomb (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *path = write_zeros_zip (f, "bomb.zip", "xl/worksheets/sheet1.xml", 200 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrSafeZip) zip = wr_safe_zip_open (path, NULL, &error);
  g_autoptr(GBytes) bytes = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  bytes = wr_safe_zip_read (zip, "xl/worksheets/sheet1.xml", NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "zip bomb"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_zip_size_limit (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *path = write_zeros_zip (f, "big.zip", "big.bin", 4 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  WrSafeZipLimits limits;
  g_autoptr(WrSafeZip) zip = NULL;
  g_autoptr(GBytes) bytes = NULL;

  wr_safe_zip_limits_init (&limits);
  limits.max_entry_size = 1024 * 1024;
  limits.max_ratio = 0;
  zip = wr_safe_zip_open (path, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_safe_zip_get_entry_size (zip, "big.bin"), ==, 4 * 1024 * 1024);
  bytes = wr_safe_zip_read (zip, "big.bin", NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "more than 1 MB"));
  g_clear_error (&error);

  /* total: two reads of 0.75 MB under a 1 MB total */
  {
    g_autofree char *p2 = write_zeros_zip (f, "mid.zip", "mid.bin", 768 * 1024);
    g_autoptr(WrSafeZip) z2 = NULL;
    g_autoptr(GBytes) b1 = NULL;
    g_autoptr(GBytes) b2 = NULL;

    wr_safe_zip_limits_init (&limits);
    limits.max_total_size = 1024 * 1024;
    z2 = wr_safe_zip_open (p2, &limits, &error);
    g_assert_no_error (error);
    b1 = wr_safe_zip_read (z2, "mid.bin", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (b1), ==, 768 * 1024);
    b2 = wr_safe_zip_read (z2, "MID.BIN", NULL, &error);   /* names are case-insensitive */
    g_assert_null (b2);
    g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE);
  }
}

static void
test_zip_too_many_entries (Fixture      *f,
                           gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "many.zip", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrSafeZip) zip = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  int code = 0;
  zip_t *z = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);

  for (guint i = 0; i < 10001; i++)
    {
      g_autofree char *name = g_strdup_printf ("x/%u", i);
      zip_source_t *source = zip_source_buffer (z, "", 0, 0);
      g_assert_cmpint (zip_file_add (z, name, source, 0), >=, 0);
    }
  g_assert_cmpint (zip_close (z), ==, 0);

  zip = wr_safe_zip_open (path, NULL, &error);
  g_assert_null (zip);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE);
  g_clear_error (&error);

  sections = wr_ooxml_extract (path, "docx", NULL, &error);
  g_assert_null (sections);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE);
}

static void
test_zip_truncated (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "cut.xlsx", NULL);
  g_autofree char *cut = g_build_filename (f->dir, "cut2.xlsx", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  g_assert_true (ooxml_build_xlsx (path, OOXML_SHEET_START "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                   OOXML_SHEET_END, NULL, NULL, FALSE));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (cut, contents, len / 2, NULL));

  sections = wr_ooxml_extract (cut, "xlsx", NULL, &error);
  g_assert_null (sections);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_clear_error (&error);

  bytes = g_bytes_new (contents, len / 2);
  sections = wr_ooxml_extract_bytes (bytes, NULL, NULL, &error);
  g_assert_null (sections);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT);
  g_clear_error (&error);

  /* not a zip at all */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = g_bytes_new_static ("hello", 5);
  sections = wr_ooxml_extract_bytes (bytes, NULL, NULL, &error);
  g_assert_null (sections);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED);
}

/* ---- hostile XML -------------------------------------------------------- */

static void
test_xml_xxe (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "xxe.xlsx", NULL);
  const char *sheet =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>before &x; after</t></is></c></row>"
    OOXML_SHEET_END;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;

  g_assert_true (ooxml_build_xlsx (path, sheet, NULL, NULL, FALSE));
  sections = wr_ooxml_extract (path, "xlsx", NULL, &error);
  if (sections != NULL)
    {
      g_autofree char *all = joined_text (sections);
      g_assert_null (strstr (all, "root:"));
    }
  else
    g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED);
  g_assert_null (sections);   /* we refuse any DTD */

  /* The same with the DOCTYPE after a comment, straight into the reader. */
  {
    const char *doc = "<?xml version=\"1.0\"?><!-- c --><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
    g_autoptr(GBytes) bytes = g_bytes_new_static (doc, strlen (doc));
    g_autoptr(GError) err = NULL;
    g_autoptr(WrSafeXml) xml = wr_safe_xml_new_for_bytes (bytes, &err);
    int ret = 1;

    if (xml != NULL)
      while ((ret = wr_safe_xml_read (xml, &err)) == 1)
        g_assert_null (strstr (wr_safe_xml_value (xml), "root:"));
    g_assert_cmpint (ret, ==, -1);
    g_assert_error (err, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED);
  }
}

static const char billion_laughs[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE lolz [\n"
  " <!ENTITY lol \"lol\">\n"
  " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
  " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
  " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
  " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
  " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
  " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
  " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
  " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
  " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
  "]>\n"
  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&lol9;</t></si></sst>";

static void
test_xml_billion_laughs (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "lol.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (ooxml_build_xlsx (path, OOXML_SHEET_START "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                                   OOXML_SHEET_END, billion_laughs, NULL, FALSE));
  sections = wr_ooxml_extract (path, "xlsx", NULL, &error);
  g_assert_null (sections);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Behind 64 KiB of whitespace and comments, the prolog scan still sees it. */
  {
    g_autoptr(GString) doc = g_string_new ("<?xml version=\"1.0\"?>");
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(WrSafeXml) xml = NULL;
    int ret = 1;

    for (guint i = 0; i < 4096; i++)
      g_string_append (doc, "<!-- padding -->\n");
    g_string_append (doc, strchr (billion_laughs, '\n') + 1);
    bytes = g_bytes_new (doc->str, doc->len);
    xml = wr_safe_xml_new_for_bytes (bytes, &err);
    if (xml != NULL)
      while ((ret = wr_safe_xml_read (xml, &err)) == 1)
        g_assert_cmpuint (strlen (wr_safe_xml_value (xml)), <, 1000);
    g_assert_cmpint (ret, ==, -1);
    g_assert_error (err, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED);
  }
}

/* UTF-16 hides the DOCTYPE from the byte scan: the reader's DTD node check
 * (and libxml2's own amplification limit) must still refuse it. */
static void
test_xml_billion_laughs_utf16 (void)
{
  g_autoptr(GError) err = NULL;
  gsize len = 0;
  g_autofree char *utf16 = g_convert (billion_laughs, -1, "UTF-16", "UTF-8", NULL, &len, &err);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WrSafeXml) xml = NULL;
  gint64 start = g_get_monotonic_time ();
  gsize longest = 0;
  int ret = 1;

  g_assert_no_error (err);
  bytes = g_bytes_new (utf16, len);
  xml = wr_safe_xml_new_for_bytes (bytes, &err);
  if (xml != NULL)
    while ((ret = wr_safe_xml_read (xml, &err)) == 1)
      longest = MAX (longest, strlen (wr_safe_xml_value (xml)));
  g_assert_cmpint (ret, ==, -1);
  g_assert_true (err->domain == WR_DOCS_ERROR);
  g_assert_cmpuint (longest, <, 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_xml_depth (void)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) err = NULL;
  g_autoptr(WrSafeXml) xml = NULL;
  int ret = 1;

  for (guint i = 0; i < 5000; i++)
    g_string_append (doc, "<a>");
  bytes = g_bytes_new (doc->str, doc->len);
  xml = wr_safe_xml_new_for_bytes (bytes, &err);
  if (xml != NULL)
    while ((ret = wr_safe_xml_read (xml, &err)) == 1)
      ;
  g_assert_cmpint (ret, ==, -1);
  g_assert_true (err->domain == WR_DOCS_ERROR);
}

/* ---- XLSX details -------------------------------------------------------- */

static void
test_xlsx_serial_dates (void)
{
  struct { double serial; gboolean d1904, date, time, elapsed; const char *text; } cases[] = {
    { 1, FALSE, TRUE, FALSE, FALSE, "1900-01-01" },
    { 59, FALSE, TRUE, FALSE, FALSE, "1900-02-28" },
    { 60, FALSE, TRUE, FALSE, FALSE, "1900-02-29" },   /* Lotus' leap-year bug */
    { 61, FALSE, TRUE, FALSE, FALSE, "1900-03-01" },
    { 44197, FALSE, TRUE, FALSE, FALSE, "2021-01-01" },
    { 43132, FALSE, TRUE, FALSE, FALSE, "2018-02-01" },
    { 0, TRUE, TRUE, FALSE, FALSE, "1904-01-01" },
    { 42735, TRUE, TRUE, FALSE, FALSE, "2021-01-01" },
    { 44197.5, FALSE, TRUE, TRUE, FALSE, "2021-01-01 12:00:00" },
    { 0.75, FALSE, FALSE, TRUE, FALSE, "18:00:00" },
    { 10.6320601851852, FALSE, FALSE, TRUE, TRUE, "255:10:10" },
    { 2958465, FALSE, TRUE, FALSE, FALSE, "9999-12-31" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = wr_xlsx_format_serial (cases[i].serial, cases[i].d1904, cases[i].date,
                                                     cases[i].time, cases[i].elapsed);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (wr_xlsx_format_serial (-1, FALSE, TRUE, FALSE, FALSE));
  g_assert_null (wr_xlsx_format_serial (1e12, FALSE, TRUE, FALSE, FALSE));
}

typedef struct
{
  GPtrArray *rows;   /* "N: type:text|type:text" */
  guint      stop_after;
  GCancellable *cancel_at_2;
  guint      n_progress;
} Collect;

static gboolean
collect_cb (guint             row_number,
            const WrXlsxCell *cells,
            guint             n_cells,
            gpointer          user_data)
{
  Collect *c = user_data;
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%u:", row_number);
  for (guint i = 0; i < n_cells; i++)
    g_string_append_printf (line, "%s%d=%s", i > 0 ? "|" : "", cells[i].type, cells[i].text);
  g_ptr_array_add (c->rows, g_string_free (line, FALSE));
  if (c->cancel_at_2 != NULL && c->rows->len == 2)
    g_cancellable_cancel (c->cancel_at_2);
  return c->stop_after == 0 || c->rows->len < c->stop_after;
}

static void
on_progress_cb (guint64  read,
                guint64  total,
                gpointer user_data)
{
  Collect *c = user_data;

  g_assert_cmpuint (read, <=, total);
  c->n_progress++;
}

static const char styles_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"dd.mm.yyyy\"/>"
  "<numFmt numFmtId=\"165\" formatCode=\"&quot;d&quot;0.00\"/>"
  "<numFmt numFmtId=\"166\" formatCode=\"[hh]:mm:ss\"/></numFmts>"
  "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
  "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
  "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>";

static void
test_xlsx_cells (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "cells.xlsx", NULL);
  const char *sheet =
    OOXML_SHEET_START
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c r=\"A2\"/><c r=\"B2\" s=\"0\"/></row>"   /* styled but empty: skipped */
    "<row r=\"4\"><c r=\"A4\"><v>42</v></c><c r=\"B4\"><v>0.5</v></c><c r=\"C4\" t=\"b\"><v>1</v></c>"
    "<c r=\"D4\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c><c r=\"E4\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c>"
    "<c r=\"F4\" t=\"e\"><v>#DIV/0!</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" s=\"1\"><v>44197</v></c><c r=\"B5\" s=\"2\"><v>43132</v></c>"
    "<c r=\"C5\" s=\"3\"><v>7</v></c><c r=\"D5\" s=\"4\"><v>10.6320601851852</v></c><c r=\"E5\" s=\"5\"><v>44197.25</v></c></row>"
    "<row r=\"7\"><c r=\"B7\" t=\"s\"><v>99</v></c></row>"
    "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B2\"/></mergeCells></worksheet>";
  const char *sst =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>Merged head</t></si><si><r><t>ri</t></r><r><t xml:space=\"preserve\">ch </t></r><rPh><t>PHON</t></rPh></si></sst>";
  g_autoptr(GError) error = NULL;
  g_autoptr(WrXlsxReader) reader = NULL;
  Collect c = { g_ptr_array_new_with_free_func (g_free), 0, NULL, 0 };
  GPtrArray *merges;

  g_assert_true (ooxml_build_xlsx (path, sheet, sst, styles_xml, FALSE));
  reader = wr_xlsx_reader_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr_xlsx_reader_get_n_sheets (reader), ==, 1);
  g_assert_cmpstr (wr_xlsx_reader_get_sheet_name (reader, 0), ==, "Data");
  g_assert_cmpint (wr_xlsx_reader_get_sheet_visibility (reader, 0), ==, WR_XLSX_SHEET_VISIBLE);
  g_assert_false (wr_xlsx_reader_get_date1904 (reader));

  wr_xlsx_reader_set_progress_func (reader, on_progress_cb, &c);
  g_assert_true (wr_xlsx_reader_read_sheet (reader, 0, collect_cb, &c, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.n_progress, >=, 1);
  g_assert_cmpuint (c.rows->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (c.rows, 0), ==, "1:1=Merged head|0=|1=rich ");
  g_assert_cmpstr (g_ptr_array_index (c.rows, 1), ==, "4:2=42|2=0.5|3=TRUE|1=ab|1=inline|1=#DIV/0!");
  g_assert_cmpstr (g_ptr_array_index (c.rows, 2), ==,
                   "5:4=2021-01-01|4=2018-02-01|2=7|4=255:10:10|4=2021-01-01 06:00:00");
  g_assert_cmpstr (g_ptr_array_index (c.rows, 3), ==, "7:0=|1=");   /* out-of-range shared string */

  merges = wr_xlsx_reader_get_merges (reader);
  g_assert_cmpuint (merges->len, ==, 1);
  {
    WrXlsxMerge *m = g_ptr_array_index (merges, 0);
    g_assert_cmpstr (m->ref, ==, "A1:B2");
    g_assert_cmpuint (m->first_row, ==, 1);
    g_assert_cmpuint (m->last_row, ==, 2);
    g_assert_cmpuint (m->first_column, ==, 0);
    g_assert_cmpuint (m->last_column, ==, 1);
  }

  /* stopping from the callback */
  g_ptr_array_set_size (c.rows, 0);
  c.stop_after = 2;
  g_assert_true (wr_xlsx_reader_read_sheet (reader, 0, collect_cb, &c, NULL, &error));
  g_assert_cmpuint (c.rows->len, ==, 2);

  /* cancelling */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_ptr_array_set_size (c.rows, 0);
    c.stop_after = 0;
    c.cancel_at_2 = cancellable;
    g_assert_false (wr_xlsx_reader_read_sheet (reader, 0, collect_cb, &c, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (c.rows->len, ==, 2);
  }
  g_ptr_array_unref (c.rows);
}

static void
test_xlsx_date1904 (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "d1904.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  WrDocSection *s;

  g_assert_true (ooxml_build_xlsx (path, OOXML_SHEET_START
                                   "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>42735</v></c><c r=\"B1\" s=\"2\"><v>0</v></c></row>"
                                   OOXML_SHEET_END, NULL, styles_xml, TRUE));
  sections = wr_ooxml_extract (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sections->len, ==, 1);
  s = g_ptr_array_index (sections, 0);
  g_assert_cmpint (s->kind, ==, WR_DOC_SECTION_SHEET);
  g_assert_cmpuint (s->index, ==, 1);
  g_assert_cmpstr (s->title, ==, "Data");
  g_assert_cmpstr (s->text, ==, "2021-01-01\t1904-01-01");
}

/* ---- PPTX and DOCX structure --------------------------------------------- */

#define PML "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
            "xmlns:r=\"" OOXML_DOC_RELS "\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""

static char *
slide_xml (const char *title,
           const char *body)
{
  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p:sld " PML "><p:cSld><p:spTree>"
    "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr>"
    "<p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>"
    "<p:grpSp><p:sp><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp></p:grpSp>"
    "</p:spTree></p:cSld></p:sld>", title, body);
}

static void
test_pptx_order (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "deck.pptx", NULL);
  g_autofree char *root = ooxml_root_rels ("ppt/presentation.xml");
  g_autofree char *s1 = slide_xml ("Second title", "second body");
  g_autofree char *s2 = slide_xml ("First title", "first body");
  const char *pres =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p:presentation " PML ">"
    "<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId7\"/><p:sldId id=\"257\" r:id=\"rId3\"/></p:sldIdLst></p:presentation>";
  const char *pres_rels =
    "<Relationships xmlns=\"" OOXML_RELS_NS "\">"
    "<Relationship Id=\"rId3\" Type=\"" OOXML_DOC_RELS "/slide\" Target=\"slides/slide1.xml\"/>"
    "<Relationship Id=\"rId7\" Type=\"" OOXML_DOC_RELS "/slide\" Target=\"/ppt/slides/slide2.xml\"/>"
    "</Relationships>";
  const char *parts[] = {
    "_rels/.rels", root, "ppt/presentation.xml", pres, "ppt/_rels/presentation.xml.rels", pres_rels,
    "ppt/slides/slide1.xml", s1, "ppt/slides/slide2.xml", s2, NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  WrDocSection *s;

  g_assert_true (ooxml_build_zip (path, parts));
  sections = wr_ooxml_extract (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sections->len, ==, 2);
  s = g_ptr_array_index (sections, 0);
  g_assert_cmpint (s->kind, ==, WR_DOC_SECTION_SLIDE);
  g_assert_cmpuint (s->index, ==, 1);
  g_assert_cmpstr (s->title, ==, "First title");
  g_assert_cmpstr (s->text, ==, "First title\nfirst body");
  g_assert_cmpstr (wr_doc_section_kind_to_locator (s->kind), ==, "slide");
  s = g_ptr_array_index (sections, 1);
  g_assert_cmpuint (s->index, ==, 2);
  g_assert_cmpstr (s->title, ==, "Second title");

  /* cancelled before it starts */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GPtrArray) none = NULL;

    g_cancellable_cancel (cancellable);
    none = wr_ooxml_extract (path, "pptx", cancellable, &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

static void
test_zip_encrypted_entry (Fixture      *f,
                          gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "locked.docx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  int code = 0;
  zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  const char *doc = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>secret</w:t></w:r></w:p></w:body></w:document>";
  zip_int64_t index = zip_file_add (zip, "word/document.xml", zip_source_buffer (zip, doc, strlen (doc), 0), 0);

  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (zip_file_set_encryption (zip, (zip_uint64_t) index, ZIP_EM_AES_256, "pw"), ==, 0);
  g_assert_cmpint (zip_close (zip), ==, 0);

  sections = wr_ooxml_extract (path, "docx", NULL, &error);
  g_assert_null (sections);
  g_assert_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_ENCRYPTED);
  g_assert_nonnull (strstr (error->message, "password-protected"));
}

#define WML "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static void
test_docx_headings (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "doc.docx", NULL);
  g_autofree char *root = ooxml_root_rels ("word/document.xml");
  const char *doc =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document " WML "><w:body>"
    "<w:p><w:r><w:t>Intro text</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:pStyle w:val=\"Titre1\"/></w:pPr><w:r><w:t>Chapter </w:t></w:r><w:r><w:t>one</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Body </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:t>one</w:t></w:r></w:p>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "<w:p><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr><w:r><w:t>Part two</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Body two</w:t></w:r></w:p>"
    "</w:body></w:document>";
  const char *styles =
    "<w:styles " WML "><w:style w:styleId=\"Titre1\"><w:name w:val=\"heading 1\"/></w:style></w:styles>";
  const char *rels =
    "<Relationships xmlns=\"" OOXML_RELS_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" OOXML_DOC_RELS "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" OOXML_DOC_RELS "/footer\" Target=\"footer1.xml\"/>"
    "</Relationships>";
  const char *footer = "<w:ftr " WML "><w:p><w:r><w:t>Page footer</w:t></w:r></w:p></w:ftr>";
  const char *parts[] = {
    "_rels/.rels", root, "word/document.xml", doc, "word/styles.xml", styles,
    "word/_rels/document.xml.rels", rels, "word/footer1.xml", footer, NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  WrDocSection *s;

  g_assert_true (ooxml_build_zip (path, parts));
  sections = wr_ooxml_extract (path, "docx", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sections->len, ==, 4);
  s = g_ptr_array_index (sections, 0);
  g_assert_cmpint (s->kind, ==, WR_DOC_SECTION_SECTION);
  g_assert_cmpstr (s->text, ==, "Intro text");
  s = g_ptr_array_index (sections, 1);
  g_assert_cmpint (s->kind, ==, WR_DOC_SECTION_HEADING);
  g_assert_cmpuint (s->index, ==, 1);
  g_assert_cmpstr (s->title, ==, "Chapter one");
  g_assert_cmpstr (s->text, ==, "Body one\na1\tb1");
  s = g_ptr_array_index (sections, 2);
  g_assert_cmpuint (s->index, ==, 2);
  g_assert_cmpstr (s->title, ==, "Part two");
  g_assert_cmpstr (s->text, ==, "Body two");
  s = g_ptr_array_index (sections, 3);
  g_assert_cmpint (s->kind, ==, WR_DOC_SECTION_SECTION);
  g_assert_cmpstr (s->text, ==, "Page footer");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/docs/ooxml/fixtures", test_fixtures);
  g_test_add ("/docs/zip/bomb", Fixture, NULL, fixture_setup, test_zip_bomb, fixture_teardown);
  g_test_add ("/docs/zip/size-limit", Fixture, NULL, fixture_setup, test_zip_size_limit, fixture_teardown);
  g_test_add ("/docs/zip/too-many-entries", Fixture, NULL, fixture_setup, test_zip_too_many_entries, fixture_teardown);
  g_test_add ("/docs/zip/encrypted-entry", Fixture, NULL, fixture_setup, test_zip_encrypted_entry, fixture_teardown);
  g_test_add ("/docs/zip/truncated", Fixture, NULL, fixture_setup, test_zip_truncated, fixture_teardown);
  g_test_add ("/docs/xml/xxe", Fixture, NULL, fixture_setup, test_xml_xxe, fixture_teardown);
  g_test_add ("/docs/xml/billion-laughs", Fixture, NULL, fixture_setup, test_xml_billion_laughs, fixture_teardown);
  g_test_add_func ("/docs/xml/billion-laughs-utf16", test_xml_billion_laughs_utf16);
  g_test_add_func ("/docs/xml/depth", test_xml_depth);
  g_test_add_func ("/docs/xlsx/serial-dates", test_xlsx_serial_dates);
  g_test_add ("/docs/xlsx/cells", Fixture, NULL, fixture_setup, test_xlsx_cells, fixture_teardown);
  g_test_add ("/docs/xlsx/date1904", Fixture, NULL, fixture_setup, test_xlsx_date1904, fixture_teardown);
  g_test_add ("/docs/pptx/order", Fixture, NULL, fixture_setup, test_pptx_order, fixture_teardown);
  g_test_add ("/docs/docx/headings", Fixture, NULL, fixture_setup, test_docx_headings, fixture_teardown);

  return g_test_run ();
}
