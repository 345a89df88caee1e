/* fuzz-xlsx.c — the XLSX reader (wr_xlsx_reader_*) and XLSX text
 * extraction on hostile workbooks. Input layout: see fuzz-ooxml.h; parts:
 * sheet1.xml, sharedStrings.xml, styles.xml, workbook.xml, sheet2.xml.
 * Checks: a WR_DOCS_ERROR or a result; cells' text non-NULL UTF-8; at most
 * 16,384 columns; row numbers ≥ 1; stopping from the callback stops.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-ooxml.h"
#include "docs/wr-xlsx-reader.h"

static const FuzzPart parts[] = {
  { "xl/worksheets/sheet1.xml", NULL },
  { "xl/sharedStrings.xml", NULL },
  { "xl/styles.xml", NULL },
  { "xl/workbook.xml",
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr/><sheets><sheet name=\"A\" r:id=\"rId1\"/><sheet name=\"B\" state=\"hidden\" r:id=\"rId4\"/>"
    "</sheets></workbook>" },
  { "xl/worksheets/sheet2.xml", NULL },
  { "xl/_rels/workbook.xml.rels",
    FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "worksheet", "worksheets/sheet1.xml")
                     FUZZ_OOXML_REL ("rId2", "sharedStrings", "sharedStrings.xml")
                     FUZZ_OOXML_REL ("rId3", "styles", "styles.xml")
                     FUZZ_OOXML_REL ("rId4", "worksheet", "/xl/worksheets/sheet2.xml")) },
  { "_rels/.rels", FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "officeDocument", "xl/workbook.xml")) },
};

typedef struct
{
  guint n_rows;
  guint stop_after;
} Rows;

static gboolean
on_row_cb (guint             row_number,
           const WrXlsxCell *cells,
           guint             n_cells,
           gpointer          user_data)
{
  Rows *rows = user_data;

  FUZZ_CHECK (rows->stop_after == 0 || rows->n_rows < rows->stop_after, "row after stopping");
  FUZZ_CHECK (row_number >= 1, "row number %u", row_number);
  FUZZ_CHECK (n_cells >= 1 && n_cells <= 16384, "%u cells", n_cells);
  for (guint i = 0; i < n_cells; i++)
    {
      FUZZ_CHECK (cells[i].text != NULL, "NULL text");
      FUZZ_CHECK (g_utf8_validate (cells[i].text, -1, NULL), "cell text not UTF-8");
      FUZZ_CHECK (cells[i].type != WR_XLSX_CELL_EMPTY || cells[i].text[0] == '\0', "empty cell with text");
    }
  FUZZ_CHECK (cells[n_cells - 1].type != WR_XLSX_CELL_EMPTY, "trailing empty cell");
  rows->n_rows++;
  return rows->stop_after == 0 || rows->n_rows < rows->stop_after;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GBytes *package = fuzz_ooxml_package (data, size, parts, G_N_ELEMENTS (parts));
  GError *error = NULL;
  WrXlsxReader *reader;

  fuzz_ooxml_check (package, "xlsx");

  reader = wr_xlsx_reader_open_bytes (package, &error);
  if (reader == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == WR_DOCS_ERROR, "open failed without a WR_DOCS_ERROR");
      g_error_free (error);
    }
  else
    {
      for (guint i = 0; i < wr_xlsx_reader_get_n_sheets (reader); i++)
        {
          Rows rows = { 0, size > 1 ? data[size - 1] % 4 : 0 };

          FUZZ_CHECK (g_utf8_validate (wr_xlsx_reader_get_sheet_name (reader, i), -1, NULL), "sheet name");
          if (!wr_xlsx_reader_read_sheet (reader, i, on_row_cb, &rows, NULL, &error))
            {
              FUZZ_CHECK (error != NULL && error->domain == WR_DOCS_ERROR, "read failed without a WR_DOCS_ERROR");
              g_clear_error (&error);
            }
          for (guint m = 0; m < wr_xlsx_reader_get_merges (reader)->len; m++)
            {
              WrXlsxMerge *merge = g_ptr_array_index (wr_xlsx_reader_get_merges (reader), m);
              FUZZ_CHECK (merge->first_row <= merge->last_row && merge->first_column <= merge->last_column,
                          "merge %s", merge->ref);
            }
        }
      wr_xlsx_reader_free (reader);
    }
  g_bytes_unref (package);
  return 0;
}
