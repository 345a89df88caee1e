/* wr-pdf-text.c — PDF text through poppler-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>
#include <poppler.h>

#include "wr-pdf-text.h"
#include "wr-document-import.h"

GPtrArray *
wr_pdf_extract_pages (const char     *path,
                      WrPdfPageFunc   page_func,
                      gpointer        page_data,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GFile) file = NULL;
  PopplerDocument *document;
  g_autoptr(GObject) document_owner = NULL;   /* older poppler has no autoptr */
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  gsize total_bytes = 0;
  int n_pages;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  name = g_file_get_basename (file);
  document = poppler_document_new_from_gfile (file, NULL, cancellable, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      else if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_ENCRYPTED,
                       _("This PDF (“%s”) is password-protected. Open it with its password, "
                         "save a copy without one and import that."), name);
        }
      else if (local_error != NULL && local_error->domain == G_IO_ERROR)
        {
          g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_FAILED,
                       _("Could not read “%s”: %s. Check that the file exists and can be read."),
                       name, local_error->message);
        }
      else
        {
          g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_CORRUPT,
                       _("“%s” is not a readable PDF; it may be damaged. Open it in a PDF "
                         "viewer and save it again, then import the new copy."), name);
        }
      return NULL;
    }
  document_owner = G_OBJECT (document);

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages > WR_PDF_MAX_PAGES)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_TOO_LARGE,
                   _("“%s” has %d pages; at most %d can be imported. Split it into "
                     "smaller files and import those."), name, n_pages, WR_PDF_MAX_PAGES);
      return NULL;
    }

  pages = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page;
      g_autoptr(GObject) page_owner = NULL;
      char *text;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      page = poppler_document_get_page (document, i);
      page_owner = page != NULL ? G_OBJECT (page) : NULL;
      text = page != NULL ? poppler_page_get_text (page) : NULL;
      if (text == NULL)
        text = g_strdup ("");
      else if (!g_utf8_validate (text, -1, NULL))
        {
          char *valid = g_utf8_make_valid (text, -1);

          g_free (text);
          text = valid;
        }

      total_bytes += strlen (text);
      g_ptr_array_add (pages, text);
      if (total_bytes > WR_PDF_MAX_TEXT_BYTES)
        {
          g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_TOO_LARGE,
                       _("“%s” holds more than %d MB of text. Split it into smaller files "
                         "and import those."), name, WR_PDF_MAX_TEXT_BYTES / (1024 * 1024));
          return NULL;
        }

      if (page_func != NULL)
        page_func (i + 1, n_pages, page_data);
    }

  return g_steal_pointer (&pages);
}
