/* wr-safe-zip.c — libzip behind limits, for untrusted archives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>
#include <zip.h>

#include "wr-safe-zip.h"

#define CHUNK_SIZE (64 * 1024)
#define MIB (1024 * 1024)
/* Entries below this size are never refused for their ratio: small XML
 * parts compress very well. */
#define RATIO_FLOOR ((guint64) MIB)

struct _WrSafeZip
{
  zip_t          *zip;
  GBytes         *bytes;      /* nullable, backs the zip source */
  WrSafeZipLimits limits;
  guint           n_entries;
  guint64         total_read;
};

struct _WrSafeZipEntry
{
  WrSafeZip   *zip;           /* not owned */
  zip_file_t  *file;
  char        *name;
  guint64      size;          /* declared */
  guint64      limit;         /* most bytes we accept */
  guint64      read;
  gboolean     eof;
};

void
wr_safe_zip_limits_init (WrSafeZipLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_entries = 10000;
  limits->max_entry_size = 512 * (guint64) MIB;
  limits->max_total_size = 2048 * (guint64) MIB;
  limits->max_ratio = 200;
}

static void
set_damaged (GError **error)
{
  g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                       _("The file is damaged (truncated ZIP). Open it in the application that made it, "
                         "save it again, and retry."));
}

static void
set_too_large (GError     **error,
               const char  *name,
               guint64      limit)
{
  g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE,
               _("The part “%s” of the file would expand to more than %u MB, more than Workroom reads. "
                 "Remove large embedded content or split the file, then try again."),
               name, (guint) MAX (1, limit / MIB));
}

static gboolean
memmem_utf16 (const guint8 *data,
              gsize         len,
              const char   *ascii)
{
  gsize n = strlen (ascii);

  if (len < 2 * n)
    return FALSE;
  for (gsize i = 0; i + 2 * n <= len; i++)
    {
      gsize j;
      for (j = 0; j < n; j++)
        if (data[i + 2 * j] != (guint8) ascii[j] || data[i + 2 * j + 1] != 0)
          break;
      if (j == n)
        return TRUE;
    }
  return FALSE;
}

/* Explains why bytes that libzip refused are not a usable archive. */
static void
set_open_error (const guint8 *head,
                gsize         len,
                GError      **error)
{
  static const guint8 cfb[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

  if (len >= 8 && memcmp (head, cfb, 8) == 0)
    {
      if (memmem_utf16 (head, len, "EncryptedPackage") || memmem_utf16 (head, len, "EncryptionInfo"))
        g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_ENCRYPTED,
                             _("The file is password-protected. Remove the password in the application "
                               "that made it, save it, and try again."));
      else
        g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED,
                             _("The file is in an old binary Office format (.doc, .xls or .ppt) or is "
                               "password-protected. Save it as .docx, .xlsx or .pptx and try again."));
    }
  else if (len >= 2 && head[0] == 'P' && head[1] == 'K')
    set_damaged (error);
  else
    g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED,
                         _("The file is not an Office Open XML document (.docx, .xlsx or .pptx)."));
}

static WrSafeZip *
finish_open (zip_t                 *zip,
             GBytes                *bytes,
             const WrSafeZipLimits *limits,
             GError               **error)
{
  g_autoptr(WrSafeZip) self = g_new0 (WrSafeZip, 1);
  zip_int64_t n;

  self->zip = zip;
  self->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  if (limits != NULL)
    self->limits = *limits;
  else
    wr_safe_zip_limits_init (&self->limits);

  n = zip_get_num_entries (zip, 0);
  if (n < 0)
    {
      set_damaged (error);
      return NULL;
    }
  if ((guint64) n > self->limits.max_entries)
    {
      g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE,
                   _("The file holds %" G_GINT64_FORMAT " parts, more than the %u Workroom reads. "
                     "Split it into smaller files and try again."),
                   (gint64) n, self->limits.max_entries);
      return NULL;
    }
  self->n_entries = (guint) n;
  return g_steal_pointer (&self);
}

WrSafeZip *
wr_safe_zip_open (const char            *path,
                  const WrSafeZipLimits *limits,
                  GError               **error)
{
  int code = 0;
  zip_t *zip;

  g_return_val_if_fail (path != NULL, NULL);

  zip = zip_open (path, ZIP_RDONLY, &code);
  if (zip == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileInputStream) in = NULL;
      g_autofree guint8 *head = NULL;
      gsize len = 0;

      if (code == ZIP_ER_OPEN || code == ZIP_ER_READ)
        {
          g_autoptr(GError) io_error = NULL;
          in = g_file_read (file, NULL, &io_error);
          if (in == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&io_error));
              return NULL;
            }
        }
      else
        in = g_file_read (file, NULL, NULL);

      /* Enough of the file to find an encrypted package's stream names. */
      head = g_malloc (MIB);
      if (in != NULL)
        g_input_stream_read_all (G_INPUT_STREAM (in), head, MIB, &len, NULL, NULL);
      set_open_error (head, len, error);
      return NULL;
    }

  return finish_open (zip, NULL, limits, error);
}

WrSafeZip *
wr_safe_zip_open_bytes (GBytes                *bytes,
                        const WrSafeZipLimits *limits,
                        GError               **error)
{
  zip_error_t zerr;
  zip_source_t *source;
  zip_t *zip;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  zip_error_init (&zerr);
  source = zip_source_buffer_create (len > 0 ? (const void *) data : (const void *) "", len, 0, &zerr);
  if (source == NULL)
    {
      zip_error_fini (&zerr);
      set_damaged (error);
      return NULL;
    }
  zip = zip_open_from_source (source, ZIP_RDONLY, &zerr);
  zip_error_fini (&zerr);
  if (zip == NULL)
    {
      zip_source_free (source);
      set_open_error (data, MIN (len, MIB), error);
      return NULL;
    }

  return finish_open (zip, bytes, limits, error);
}

void
wr_safe_zip_free (WrSafeZip *self)
{
  if (self == NULL)
    return;
  if (self->zip != NULL)
    zip_discard (self->zip);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self);
}

guint
wr_safe_zip_get_n_entries (WrSafeZip *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_entries;
}

const char *
wr_safe_zip_get_entry_name (WrSafeZip *self,
                            guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->n_entries)
    return NULL;
  return zip_get_name (self->zip, index, ZIP_FL_ENC_GUESS);
}

static zip_int64_t
locate (WrSafeZip  *self,
        const char *name)
{
  while (name[0] == '/')
    name++;
  if (name[0] == '\0')
    return -1;
  return zip_name_locate (self->zip, name, ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
}

gboolean
wr_safe_zip_has_entry (WrSafeZip  *self,
                       const char *name)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return locate (self, name) >= 0;
}

gint64
wr_safe_zip_get_entry_size (WrSafeZip  *self,
                            const char *name)
{
  zip_stat_t st;
  zip_int64_t index;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  index = locate (self, name);
  if (index < 0)
    return -1;
  zip_stat_init (&st);
  if (zip_stat_index (self->zip, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return -1;
  return (gint64) MIN (st.size, (guint64) G_MAXINT64);
}

WrSafeZipEntry *
wr_safe_zip_entry_open (WrSafeZip   *self,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(WrSafeZipEntry) entry = NULL;
  zip_stat_t st;
  zip_int64_t index;
  guint64 ratio_cap;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  index = locate (self, name);
  if (index < 0)
    {
      g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                   _("The file is damaged: the part “%s” is missing. Open it in the application that "
                     "made it, save it again, and retry."), name);
      return NULL;
    }

  zip_stat_init (&st);
  if (zip_stat_index (self->zip, index, 0, &st) != 0)
    {
      set_damaged (error);
      return NULL;
    }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    {
      g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_ENCRYPTED,
                           _("The file is password-protected. Remove the password in the application "
                             "that made it, save it, and try again."));
      return NULL;
    }

  entry = g_new0 (WrSafeZipEntry, 1);
  entry->zip = self;
  entry->name = g_strdup (name);
  entry->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
  entry->limit = self->limits.max_entry_size;

  if ((st.valid & ZIP_STAT_COMP_SIZE) && self->limits.max_ratio > 0)
    {
      guint64 comp = st.comp_size;
      ratio_cap = comp > G_MAXUINT64 / self->limits.max_ratio ? G_MAXUINT64 : comp * self->limits.max_ratio;
      ratio_cap = MAX (ratio_cap, RATIO_FLOOR);
      if (entry->size > ratio_cap)
        {
          g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE,
                       _("The part “%s” of the file would expand %" G_GUINT64_FORMAT " times its packed size "
                         "(to %" G_GUINT64_FORMAT " MB), which looks like a zip bomb. Workroom does not read it."),
                       name, comp > 0 ? entry->size / comp : entry->size, entry->size / MIB);
          return NULL;
        }
      entry->limit = MIN (entry->limit, ratio_cap);
    }
  if (entry->size > entry->limit)
    {
      set_too_large (error, name, entry->limit);
      return NULL;
    }
  if (self->total_read + entry->size > self->limits.max_total_size)
    {
      set_too_large (error, name, self->limits.max_total_size);
      return NULL;
    }

  entry->file = zip_fopen_index (self->zip, index, 0);
  if (entry->file == NULL)
    {
      zip_error_t *zerr = zip_get_error (self->zip);
      int code = zip_error_code_zip (zerr);

      if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_ENCRYPTED,
                             _("The file is password-protected. Remove the password in the application "
                               "that made it, save it, and try again."));
      else if (code == ZIP_ER_COMPNOTSUPP)
        g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED,
                     _("The part “%s” of the file uses a compression method Workroom cannot read. "
                       "Save the file again in its application and retry."), name);
      else
        set_damaged (error);
      zip_error_clear (self->zip);
      return NULL;
    }

  return g_steal_pointer (&entry);
}

gssize
wr_safe_zip_entry_read (WrSafeZipEntry  *entry,
                        guint8          *buffer,
                        gsize            len,
                        GError         **error)
{
  zip_int64_t n;

  g_return_val_if_fail (entry != NULL, -1);

  if (entry->eof || len == 0)
    return 0;

  /* Read one byte past what we accept, so going over is seen. */
  len = MIN (len, (gsize) MIN ((guint64) G_MAXSSIZE, entry->limit - entry->read + 1));
  n = zip_fread (entry->file, buffer, len);
  if (n < 0)
    {
      set_damaged (error);
      return -1;
    }
  if (n == 0)
    {
      entry->eof = TRUE;
      return 0;
    }

  entry->read += (guint64) n;
  entry->zip->total_read += (guint64) n;
  if (entry->read > entry->limit)
    {
      set_too_large (error, entry->name, entry->limit);
      return -1;
    }
  if (entry->zip->total_read > entry->zip->limits.max_total_size)
    {
      set_too_large (error, entry->name, entry->zip->limits.max_total_size);
      return -1;
    }
  if (entry->size > 0 && entry->read > entry->size)
    {
      set_damaged (error);
      return -1;
    }
  return (gssize) n;
}

guint64
wr_safe_zip_entry_get_size (WrSafeZipEntry *entry)
{
  g_return_val_if_fail (entry != NULL, 0);
  return entry->size;
}

guint64
wr_safe_zip_entry_get_read (WrSafeZipEntry *entry)
{
  g_return_val_if_fail (entry != NULL, 0);
  return entry->read;
}

void
wr_safe_zip_entry_close (WrSafeZipEntry *entry)
{
  if (entry == NULL)
    return;
  if (entry->file != NULL)
    zip_fclose (entry->file);
  g_free (entry->name);
  g_free (entry);
}

gboolean
wr_safe_zip_stream (WrSafeZip          *self,
                    const char         *name,
                    WrSafeZipChunkFunc  func,
                    gpointer            user_data,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autoptr(WrSafeZipEntry) entry = NULL;
  g_autofree guint8 *buffer = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  entry = wr_safe_zip_entry_open (self, name, error);
  if (entry == NULL)
    return FALSE;

  buffer = g_malloc (CHUNK_SIZE);
  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = wr_safe_zip_entry_read (entry, buffer, CHUNK_SIZE, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (!func (buffer, (gsize) n, user_data, error))
        return FALSE;
    }
}

static gboolean
append_cb (const guint8  *data,
           gsize          len,
           gpointer       user_data,
           GError       **error)
{
  g_byte_array_append (user_data, data, len);
  return TRUE;
}

GBytes *
wr_safe_zip_read (WrSafeZip     *self,
                  const char    *name,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GByteArray) array = NULL;
  gint64 size;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* Preallocate from the declared size, but never trust it much. */
  size = wr_safe_zip_get_entry_size (self, name);
  array = g_byte_array_sized_new ((guint) CLAMP (size, 0, 16 * MIB));
  if (!wr_safe_zip_stream (self, name, append_cb, array, cancellable, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}
