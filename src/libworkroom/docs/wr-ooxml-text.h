/* wr-ooxml-text.h — text extraction from Office Open XML files (PPTX,
 * DOCX, XLSX) into ordered sections, for untrusted input. Blocking: call
 * from a thread.
 *
 *  pptx: a WR_DOC_SECTION_SLIDE per slide in presentation order (title =
 *        the title placeholder's text), with shapes, groups, tables,
 *        charts, SmartArt and the speaker notes.
 *  docx: body split at headings (WR_DOC_SECTION_HEADING, title = heading
 *        text; text before the first heading is a WR_DOC_SECTION_SECTION),
 *        then headers/footers, footnotes and endnotes as SECTIONs.
 *  xlsx: a WR_DOC_SECTION_SHEET per sheet (title = sheet name), cells
 *        separated by tabs, rows by newlines.
 *
 * Errors: WR_DOCS_ERROR (damaged, too large, password-protected, not an
 * OOXML file), G_IO_ERROR when the file cannot be opened (e.g. NOT_FOUND)
 * or the cancellable was cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-doc-section.h"
#include "wr-docs-error.h"

G_BEGIN_DECLS

/* Upper bound of the extracted text of one file. */
#define WR_OOXML_MAX_TEXT (256 * 1024 * 1024)

/* kind: "pptx", "docx", "xlsx", or NULL to detect from the package.
 * Returns element-type WrDocSection (free func set). */
GPtrArray *wr_ooxml_extract       (const char    *path,
                                   const char    *kind,
                                   GCancellable  *cancellable,
                                   GError       **error);
GPtrArray *wr_ooxml_extract_bytes (GBytes        *bytes,
                                   const char    *kind,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
