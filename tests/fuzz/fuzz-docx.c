/* fuzz-docx.c — DOCX text extraction on hostile documents. Input layout:
 * see fuzz-ooxml.h; parts: document.xml, styles.xml, footnotes.xml,
 * header1.xml, document.xml.rels. Checks: a WR_DOCS_ERROR or sections
 * with UTF-8 titles and text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-ooxml.h"

static const FuzzPart parts[] = {
  { "word/document.xml", NULL },
  { "word/styles.xml", NULL },
  { "word/footnotes.xml", NULL },
  { "word/header1.xml", NULL },
  { "word/_rels/document.xml.rels",
    FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "styles", "styles.xml")
                     FUZZ_OOXML_REL ("rId2", "footnotes", "footnotes.xml")
                     FUZZ_OOXML_REL ("rId3", "header", "header1.xml")) },
  { "_rels/.rels", FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "officeDocument", "word/document.xml")) },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GBytes *package = fuzz_ooxml_package (data, size, parts, G_N_ELEMENTS (parts));

  fuzz_ooxml_check (package, size > 0 && (data[0] & 2) ? NULL : "docx");
  g_bytes_unref (package);
  return 0;
}
