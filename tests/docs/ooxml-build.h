/* ooxml-build.h — writes small Office Open XML packages for tests and
 * benchmarks (header-only; libzip).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <zip.h>

/* parts: name, content, name, content, ..., NULL. Contents are copied.
 * Returns FALSE on a libzip error. */
static inline gboolean
ooxml_build_zip (const char  *path,
                 const char **parts)
{
  int code = 0;
  zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);

  if (zip == NULL)
    return FALSE;
  for (guint i = 0; parts[i] != NULL && parts[i + 1] != NULL; i += 2)
    {
      gsize len = strlen (parts[i + 1]);
      void *copy = g_memdup2 (parts[i + 1], len);
      zip_source_t *source = zip_source_buffer (zip, copy, len, 1);

      if (source == NULL || zip_file_add (zip, parts[i], source, ZIP_FL_ENC_UTF_8) < 0)
        {
          zip_discard (zip);
          return FALSE;
        }
    }
  return zip_close (zip) == 0;
}

#define OOXML_RELS_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define OOXML_DOC_RELS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static inline char *
ooxml_root_rels (const char *main_part)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<Relationships xmlns=\"" OOXML_RELS_NS "\">"
                          "<Relationship Id=\"rId1\" Type=\"" OOXML_DOC_RELS "/officeDocument\" Target=\"%s\"/>"
                          "</Relationships>", main_part);
}

/* A one-sheet workbook around sheet_data (the <sheetData> children, plus
 * anything after sheetData in extra); styles: the cellXfs numFmtIds,
 * e.g. "0,14,164" with custom format 164 = custom_code. */
static inline gboolean
ooxml_build_xlsx (const char *path,
                  const char *sheet_xml,
                  const char *shared_strings_xml,   /* nullable */
                  const char *styles_xml,           /* nullable */
                  gboolean    date1904)
{
  g_autofree char *root = ooxml_root_rels ("xl/workbook.xml");
  g_autofree char *workbook = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"" OOXML_DOC_RELS "\"><workbookPr%s/>"
    "<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
    date1904 ? " date1904=\"1\"" : "");
  const char *wb_rels =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"" OOXML_RELS_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" OOXML_DOC_RELS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" OOXML_DOC_RELS "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" OOXML_DOC_RELS "/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
  const char *parts[] = {
    "_rels/.rels", root,
    "xl/workbook.xml", workbook,
    "xl/_rels/workbook.xml.rels", wb_rels,
    "xl/worksheets/sheet1.xml", sheet_xml,
    shared_strings_xml != NULL ? "xl/sharedStrings.xml" : NULL, shared_strings_xml,
    styles_xml != NULL ? "xl/styles.xml" : NULL, styles_xml,
    NULL,
  };

  /* drop missing optional parts */
  {
    const char *list[G_N_ELEMENTS (parts)];
    guint n = 0;
    for (guint i = 0; i + 1 < G_N_ELEMENTS (parts); i += 2)
      if (parts[i] != NULL)
        {
          list[n++] = parts[i];
          list[n++] = parts[i + 1];
        }
    list[n] = NULL;
    return ooxml_build_zip (path, list);
  }
}

#define OOXML_SHEET_START \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define OOXML_SHEET_END "</sheetData></worksheet>"
