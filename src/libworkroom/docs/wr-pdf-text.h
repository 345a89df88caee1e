/* wr-pdf-text.h — the text of a PDF, page by page (poppler-glib).
 *
 * Threading: any thread; blocks while poppler parses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WR_PDF_MAX_PAGES      5000
#define WR_PDF_MAX_TEXT_BYTES (64 * 1024 * 1024)

/* Called after each page with the number of pages read and in all. */
typedef void (*WrPdfPageFunc) (guint    done,
                               guint    total,
                               gpointer user_data);

/* The text of each page of the PDF at @path, in page order (element-type
 * utf8, "" for a page with no text; transfer full). Errors are in
 * WR_DOCUMENT_ERROR: ENCRYPTED for a password-protected file, CORRUPT for
 * one poppler cannot open, TOO_LARGE beyond WR_PDF_MAX_PAGES pages or
 * WR_PDF_MAX_TEXT_BYTES of text; G_IO_ERROR_CANCELLED when cancelled. */
GPtrArray *wr_pdf_extract_pages (const char     *path,
                                 WrPdfPageFunc   page_func,   /* nullable */
                                 gpointer        page_data,
                                 GCancellable   *cancellable,
                                 GError        **error);

G_END_DECLS
