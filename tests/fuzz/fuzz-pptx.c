/* fuzz-pptx.c — PPTX text extraction on hostile presentations. Input
 * layout: see fuzz-ooxml.h; parts: presentation.xml, slide1.xml,
 * slide2.xml, chart1.xml, notesSlide1.xml, data1.xml (SmartArt), the
 * presentation's and slide 1's rels. Checks: a WR_DOCS_ERROR or slide
 * sections numbered 1..n with UTF-8 titles and text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-ooxml.h"

static const FuzzPart parts[] = {
  { "ppt/presentation.xml",
    "<p:presentation xmlns:p=\"p\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId2\"/><p:sldId id=\"257\" r:id=\"rId1\"/></p:sldIdLst></p:presentation>" },
  { "ppt/slides/slide1.xml", NULL },
  { "ppt/slides/slide2.xml", NULL },
  { "ppt/charts/chart1.xml", NULL },
  { "ppt/notesSlides/notesSlide1.xml", NULL },
  { "ppt/diagrams/data1.xml", NULL },
  { "ppt/_rels/presentation.xml.rels",
    FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "slide", "slides/slide1.xml")
                     FUZZ_OOXML_REL ("rId2", "slide", "slides/slide2.xml")) },
  { "ppt/slides/_rels/slide1.xml.rels",
    FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "chart", "../charts/chart1.xml")
                     FUZZ_OOXML_REL ("rId2", "notesSlide", "../notesSlides/notesSlide1.xml")
                     FUZZ_OOXML_REL ("rId3", "diagramData", "../diagrams/data1.xml")) },
  { "_rels/.rels", FUZZ_OOXML_RELS (FUZZ_OOXML_REL ("rId1", "officeDocument", "ppt/presentation.xml")) },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GBytes *package = fuzz_ooxml_package (data, size, parts, G_N_ELEMENTS (parts));

  fuzz_ooxml_check (package, "pptx");
  g_bytes_unref (package);
  return 0;
}
