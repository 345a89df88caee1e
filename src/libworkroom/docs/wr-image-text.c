/* wr-image-text.c — OCR of images: gdk-pixbuf decodes, tesseract reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#ifdef WR_HAVE_TESSERACT
#include <stdbool.h>
#include <tesseract/capi.h>
#endif

#include "wr-image-text.h"
#include "wr-document-import.h"

/* The language of the data we ask tesseract for; WORKROOM_OCR_LANG
 * overrides it ("eng+deu"). */
static const char *
ocr_language (void)
{
  const char *lang = g_getenv ("WORKROOM_OCR_LANG");

  return lang != NULL && *lang != '\0' ? lang : "eng";
}

#ifdef WR_HAVE_TESSERACT
/* A new initialised engine, or NULL when the language data is missing. */
static TessBaseAPI *
ocr_engine_new (void)
{
  TessBaseAPI *api = TessBaseAPICreate ();

  if (TessBaseAPIInit3 (api, NULL, ocr_language ()) != 0)
    {
      TessBaseAPIDelete (api);
      return NULL;
    }

  return api;
}

static bool
ocr_cancel_cb (void *cancel_this,
               int   words)
{
  (void) words;
  return g_cancellable_is_cancelled (cancel_this);
}
#endif

gboolean
wr_image_ocr_available (void)
{
#ifdef WR_HAVE_TESSERACT
  static gsize checked = 0;
  static gboolean available = FALSE;

  if (g_once_init_enter (&checked))
    {
      TessBaseAPI *api = ocr_engine_new ();

      available = api != NULL;
      if (api != NULL)
        {
          TessBaseAPIEnd (api);
          TessBaseAPIDelete (api);
        }
      g_once_init_leave (&checked, 1);
    }

  return available;
#else
  return FALSE;
#endif
}

char *
wr_image_extract_text (const char    *path,
                       char         **out_note,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  int width = 0;
  int height = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (out_note != NULL)
    *out_note = NULL;

  name = g_path_get_basename (path);

  /* Refuse huge images before decoding them. */
  if (gdk_pixbuf_get_file_info (path, &width, &height) == NULL)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_CORRUPT,
                   _("“%s” is not an image this computer can read; it may be damaged or in an "
                     "unsupported format. Save it as PNG or JPEG and import that."), name);
      return NULL;
    }
  if ((gint64) width * height > WR_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_TOO_LARGE,
                   _("“%s” is %d × %d pixels; images up to %d megapixels can be read. "
                     "Scale it down and import it again."),
                   name, width, height, WR_IMAGE_MAX_PIXELS / 1000000);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  pixbuf = gdk_pixbuf_new_from_file (path, &local_error);
  if (pixbuf == NULL)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_CORRUPT,
                   _("“%s” could not be decoded (%s); it may be damaged. Open it in an image "
                     "viewer, save it again and import the new copy."), name, local_error->message);
      return NULL;
    }

#ifdef WR_HAVE_TESSERACT
  {
    g_autoptr(GdkPixbuf) oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
    TessBaseAPI *api;
    ETEXT_DESC *monitor;
    char *raw;
    char *text;
    int rc;

    if (oriented == NULL)
      oriented = g_object_ref (pixbuf);

    api = ocr_engine_new ();
    if (api == NULL)
      {
        if (out_note != NULL)
          *out_note = g_strdup_printf (_("No text was read from this image: the OCR language data "
                                         "(%s) is not installed. Install tesseract-ocr-%s and "
                                         "import it again."), ocr_language (), ocr_language ());
        return g_strdup ("");
      }

    TessBaseAPISetImage (api, gdk_pixbuf_read_pixels (oriented),
                         gdk_pixbuf_get_width (oriented), gdk_pixbuf_get_height (oriented),
                         gdk_pixbuf_get_n_channels (oriented), gdk_pixbuf_get_rowstride (oriented));
    /* Screenshots and scans rarely say their resolution; 300 dpi avoids a
     * warning and suits both. */
    TessBaseAPISetSourceResolution (api, 300);

    monitor = TessMonitorCreate ();
    TessMonitorSetCancelFunc (monitor, ocr_cancel_cb);
    TessMonitorSetCancelThis (monitor, cancellable);
    rc = cancellable != NULL ? TessBaseAPIRecognize (api, monitor) : TessBaseAPIRecognize (api, NULL);
    raw = rc == 0 ? TessBaseAPIGetUTF8Text (api) : NULL;
    text = g_strdup (raw != NULL ? raw : "");
    if (raw != NULL)
      TessDeleteText (raw);
    TessMonitorDelete (monitor);
    TessBaseAPIEnd (api);
    TessBaseAPIDelete (api);

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      {
        g_free (text);
        return NULL;
      }
    if (!g_utf8_validate (text, -1, NULL))
      {
        char *valid = g_utf8_make_valid (text, -1);

        g_free (text);
        text = valid;
      }

    return text;
  }
#else
  if (out_note != NULL)
    *out_note = g_strdup (_("No text was read from this image: this build of Workroom has no OCR "
                            "(tesseract). Install a build with OCR to search images."));
  return g_strdup ("");
#endif
}
