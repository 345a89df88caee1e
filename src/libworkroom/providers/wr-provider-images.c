/* wr-provider-images.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wr-provider-images.h"
#include "wr-util.h"

/* Request images */

GPtrArray *
_wr_chat_request_user_images (WrChatRequest *request,
                              WrMessage     *message)
{
  GPtrArray *images;

  if (request->images == NULL || g_strcmp0 (wr_message_get_role (message), "user") != 0)
    return NULL;

  images = g_hash_table_lookup (request->images, message);
  return images != NULL && images->len > 0 ? images : NULL;
}

GError *
_wr_chat_request_check_images (WrChatRequest      *request,
                               const char * const *mime_types)
{
  for (guint i = 0; request->messages != NULL && i < request->messages->len; i++)
    {
      GPtrArray *images = _wr_chat_request_user_images (request, g_ptr_array_index (request->messages, i));

      for (guint j = 0; images != NULL && j < images->len; j++)
        {
          WrAttachment *image = g_ptr_array_index (images, j);
          const char *mime_type = wr_attachment_get_mime_type (image);

          if (mime_type == NULL || !g_strv_contains (mime_types, mime_type))
            return g_error_new (WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_BAD_REQUEST,
                                /* Translators: %s are a file type ("image/gif") and a file name. */
                                _("this model cannot read %s images such as “%s”; convert the "
                                  "image to PNG or JPEG, or choose another model"),
                                mime_type != NULL ? mime_type : "?", wr_attachment_get_name (image));
        }
    }

  return NULL;
}

char *
_wr_data_url_prefix (const char *mime_type)
{
  return g_strconcat ("data:", mime_type, ";base64,", NULL);
}

/* JSON blobs */

/* Bytes of image per base64 step: a multiple of 3, so every step but the
 * last ends on a whole group. */
#define ENCODE_CHUNK (3 * 4096)

typedef struct
{
  char   *prefix;
  GBytes *data;
} Blob;

struct _WrJsonBlobs
{
  char   *marker;   /* "wr-blob-<random id>-"; then the blob's index */
  GArray *blobs;    /* element-type Blob */
};

static void
blob_clear (gpointer data)
{
  Blob *blob = data;

  g_free (blob->prefix);
  g_bytes_unref (blob->data);
}

WrJsonBlobs *
_wr_json_blobs_new (void)
{
  WrJsonBlobs *self = g_new0 (WrJsonBlobs, 1);
  g_autofree char *nonce = wr_new_id ();

  /* 128 random bits: no text of the conversation can hold it by chance,
   * and it needs no escaping, so it appears verbatim in the output. */
  self->marker = g_strdup_printf ("wr-blob-%s-", nonce);
  self->blobs = g_array_new (FALSE, TRUE, sizeof (Blob));
  g_array_set_clear_func (self->blobs, blob_clear);

  return self;
}

void
_wr_json_blobs_free (WrJsonBlobs *self)
{
  if (self == NULL)
    return;

  g_free (self->marker);
  g_array_unref (self->blobs);
  g_free (self);
}

static gboolean
is_plain_json_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '"' || *p == '\\' || (guchar) *p < 0x20 || (guchar) *p >= 0x7f)
      return FALSE;

  return TRUE;
}

void
_wr_json_blobs_add_base64 (WrJsonBlobs *self,
                           JsonBuilder *builder,
                           const char  *prefix,
                           GBytes      *data)
{
  g_autofree char *placeholder = NULL;
  Blob blob;

  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (data != NULL);
  g_return_if_fail (prefix == NULL || is_plain_json_text (prefix));

  placeholder = g_strdup_printf ("%s%u", self->marker, self->blobs->len);
  json_builder_add_string_value (builder, placeholder);

  blob.prefix = g_strdup (prefix != NULL ? prefix : "");
  blob.data = g_bytes_ref (data);
  g_array_append_val (self->blobs, blob);
}

static gsize
base64_length (gsize size)
{
  return (size / 3 + (size % 3 != 0)) * 4;
}

/* The body being written: exactly @size bytes were allocated (GString
 * would round a 27 MB body up to 32 MB). */
typedef struct
{
  char  *data;
  gsize  len;
  gsize  size;
} Out;

static void
out_append (Out        *out,
            const char *text,
            gsize       len)
{
  g_assert (len <= out->size - out->len);
  memcpy (out->data + out->len, text, len);
  out->len += len;
}

static void
out_append_base64 (Out    *out,
                   GBytes *data)
{
  const guint8 *bytes;
  gsize size;
  char buf[(ENCODE_CHUNK / 3 + 1) * 4 + 4];
  int state = 0;
  int save = 0;
  gsize n;

  bytes = g_bytes_get_data (data, &size);
  for (gsize offset = 0; offset < size; offset += ENCODE_CHUNK)
    {
      n = g_base64_encode_step (bytes + offset, MIN (ENCODE_CHUNK, size - offset), FALSE,
                                buf, &state, &save);
      out_append (out, buf, n);
    }
  n = g_base64_encode_close (FALSE, buf, &state, &save);
  out_append (out, buf, n);
}

GBytes *
_wr_json_blobs_to_bytes (WrJsonBlobs *self,
                         JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *needle = NULL;
  Out out = { NULL, 0, 0 };
  gsize text_len;
  gsize needle_len;
  const char *pos;
  const char *hit;
  guint found = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &text_len);

  if (self->blobs->len == 0)
    {
      gsize len = text_len;
      return g_bytes_new_take (g_steal_pointer (&text), len);
    }

  /* The body's final size, so it is allocated once. */
  out.size = text_len;
  for (guint i = 0; i < self->blobs->len; i++)
    {
      Blob *blob = &g_array_index (self->blobs, Blob, i);
      g_autofree char *placeholder = g_strdup_printf ("%s%u", self->marker, i);

      out.size += strlen (blob->prefix) + base64_length (g_bytes_get_size (blob->data));
      out.size -= strlen (placeholder);
    }
  out.data = g_malloc (out.size);

  /* The generator escapes no character of a placeholder, so each appears
   * verbatim, in quotes; the text never holds NUL (it is written \u0000). */
  needle = g_strconcat ("\"", self->marker, NULL);
  needle_len = strlen (needle);
  pos = text;
  while ((hit = strstr (pos, needle)) != NULL)
    {
      const char *digits = hit + needle_len;
      char *end = NULL;
      guint64 index = g_ascii_strtoull (digits, &end, 10);
      Blob *blob;

      if (end == digits || *end != '"' || index >= self->blobs->len)
        {
          /* Not one of ours after all: keep it as it is. */
          out_append (&out, pos, digits - pos);
          pos = digits;
          continue;
        }

      blob = &g_array_index (self->blobs, Blob, index);
      out_append (&out, pos, hit + 1 - pos);
      out_append (&out, blob->prefix, strlen (blob->prefix));
      out_append_base64 (&out, blob->data);
      pos = end;
      found++;
    }
  out_append (&out, pos, text + text_len - pos);
  g_assert (found == self->blobs->len);
  g_assert (out.len == out.size);

  return g_bytes_new_take (out.data, out.len);
}
