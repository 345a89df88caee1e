/* fuzz-ooxml.h — shared by fuzz-xlsx/docx/pptx: turns a fuzz input into an
 * Office Open XML package and checks what the extractor returns.
 *
 * Input layout: byte 0 even → the rest is the package's bytes (a ZIP);
 * byte 0 odd → the rest is the contents of the target's parts separated
 * by NUL bytes (in the order of its `parts` list), zipped here with
 * default contents for the parts the input leaves out. The second form
 * lets the fuzzer work on the XML instead of on CRCs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "fuzz.h"
#include "docs/wr-ooxml-text.h"

typedef struct
{
  const char *name;
  const char *fallback;   /* used when the input has no content for it */
} FuzzPart;

static GBytes *
fuzz_ooxml_package (const uint8_t  *data,
                    size_t          size,
                    const FuzzPart *parts,
                    guint           n_parts)
{
  zip_error_t zerr;
  zip_source_t *src;
  zip_t *zip;
  zip_stat_t st;
  GPtrArray *contents;
  const uint8_t *p, *end;
  guint8 *out;
  zip_int64_t n;

  if (size == 0)
    return g_bytes_new (NULL, 0);
  if ((data[0] & 1) == 0)
    return g_bytes_new (data + 1, size - 1);

  /* split at NUL */
  contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p = data + 1;
  end = data + size;
  while (p <= end && contents->len < n_parts)
    {
      const uint8_t *nul = memchr (p, 0, (size_t) (end - p));
      const uint8_t *stop = nul != NULL ? nul : end;
      g_ptr_array_add (contents, g_bytes_new (p, (gsize) (stop - p)));
      p = stop + 1;
    }

  zip_error_init (&zerr);
  src = zip_source_buffer_create (NULL, 0, 0, &zerr);
  FUZZ_CHECK (src != NULL, "zip source");
  zip_source_keep (src);
  zip = zip_open_from_source (src, ZIP_TRUNCATE, &zerr);
  FUZZ_CHECK (zip != NULL, "zip open");
  for (guint i = 0; i < n_parts; i++)
    {
      const void *bytes;
      gsize len;
      zip_source_t *part;
      zip_int64_t index;

      if (i < contents->len && g_bytes_get_size (g_ptr_array_index (contents, i)) > 0)
        bytes = g_bytes_get_data (g_ptr_array_index (contents, i), &len);
      else if (parts[i].fallback != NULL)
        {
          bytes = parts[i].fallback;
          len = strlen (parts[i].fallback);
        }
      else
        continue;
      part = zip_source_buffer (zip, bytes, len, 0);
      index = zip_file_add (zip, parts[i].name, part, 0);
      FUZZ_CHECK (index >= 0, "zip add");
      zip_set_file_compression (zip, (zip_uint64_t) index, ZIP_CM_STORE, 0);
    }
  FUZZ_CHECK (zip_close (zip) == 0, "zip close");
  g_ptr_array_unref (contents);

  zip_stat_init (&st);
  FUZZ_CHECK (zip_source_stat (src, &st) == 0, "zip stat");
  FUZZ_CHECK (zip_source_open (src) == 0, "zip source open");
  out = g_malloc (st.size + 1);
  n = zip_source_read (src, out, st.size);
  FUZZ_CHECK (n == (zip_int64_t) st.size, "zip source read");
  zip_source_close (src);
  zip_source_free (src);
  zip_error_fini (&zerr);
  return g_bytes_new_take (out, (gsize) n);
}

/* Extracts and checks the invariants every result must hold. */
static void
fuzz_ooxml_check (GBytes     *package,
                  const char *kind)
{
  GError *error = NULL;
  GPtrArray *sections = wr_ooxml_extract_bytes (package, kind, NULL, &error);

  if (sections == NULL)
    {
      FUZZ_CHECK (error != NULL, "failure without an error");
      FUZZ_CHECK (error->domain == WR_DOCS_ERROR, "error outside WR_DOCS_ERROR: %s", error->message);
      FUZZ_CHECK (error->message != NULL && error->message[0] != '\0', "empty error message");
      g_error_free (error);
      return;
    }
  FUZZ_CHECK (error == NULL, "result and error");
  for (guint i = 0; i < sections->len; i++)
    {
      WrDocSection *s = g_ptr_array_index (sections, i);

      FUZZ_CHECK (s->text != NULL && g_utf8_validate (s->text, -1, NULL), "text not UTF-8");
      FUZZ_CHECK (s->title == NULL || g_utf8_validate (s->title, -1, NULL), "title not UTF-8");
      FUZZ_CHECK (s->index >= 1, "index %u", s->index);
      if (s->kind == WR_DOC_SECTION_SLIDE || s->kind == WR_DOC_SECTION_SHEET)
        FUZZ_CHECK (s->index == i + 1, "section %u has index %u", i, s->index);
    }
  g_ptr_array_unref (sections);
}

#define FUZZ_OOXML_RELS(...) \
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" __VA_ARGS__ "</Relationships>"
#define FUZZ_OOXML_REL(id, type, target) \
  "<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/" type "\" Target=\"" target "\"/>"
