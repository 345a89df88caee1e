/* fuzz-image-header.c — the header reader that decides, before any
 * decoder runs, whether a picture in a chat is small enough to decode.
 * Any bytes: it must not read past them, and what it accepts must really
 * be within the bounds it states.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdlib.h>

#include "fuzz.h"
#include "wr-thumbnail.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly @size bytes, so ASan sees any read beyond them. */
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  GError *error = NULL;
  gboolean ok = wr_thumbnail_check_size (bytes, &error);

  FUZZ_CHECK (ok == (error == NULL), "result and error disagree");
  if (error != NULL)
    {
      FUZZ_CHECK (error->domain == GDK_PIXBUF_ERROR, "unexpected error domain");
      g_error_free (error);
    }

  return 0;
}
