/* wr-image-text.h — the text in an image, by OCR (tesseract).
 *
 * OCR is optional: when this build has no tesseract, or its language data
 * is not installed, extraction returns no text and a note saying so (not
 * an error), so the image is still listed.
 *
 * Threading: any thread; blocks for the whole recognition (seconds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WR_IMAGE_MAX_PIXELS (40 * 1000 * 1000)

/* Whether OCR works here: tesseract built in and the language data found. */
gboolean  wr_image_ocr_available (void);

/* The recognised text of the image at @path (transfer full; "" when none)
 * and in *@out_note (nullable, transfer full) a translated note when OCR
 * could not run. Errors are in WR_DOCUMENT_ERROR: CORRUPT for an image
 * that cannot be decoded, TOO_LARGE beyond WR_IMAGE_MAX_PIXELS pixels;
 * G_IO_ERROR_CANCELLED when cancelled. */
char     *wr_image_extract_text  (const char    *path,
                                  char         **out_note,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
