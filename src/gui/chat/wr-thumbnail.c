/* wr-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-thumbnail.h"

/* ------------------------------------------------------------ decoding */

static void
on_size_prepared_cb (GdkPixbufLoader *loader,
                     int              width,
                     int              height,
                     gpointer         user_data)
{
  int size = GPOINTER_TO_INT (user_data);
  double scale;

  if (width <= size && height <= size)
    return;

  scale = MIN ((double) size / width, (double) size / height);
  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)), MAX (1, (int) (height * scale)));
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint32
le16 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8);
}

static guint32
le24 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16);
}

/* The pixel size an image's header claims, read before decoding: the
 * decoders allocate the whole picture first (except JPEG, which decodes
 * scaled), so a small file claiming 100,000 × 100,000 pixels must be
 * refused before that. FALSE when the header is not one of the four
 * formats or is cut short. */
static gboolean
image_dimensions (const guint8 *p,
                  gsize         n,
                  guint32      *width,
                  guint32      *height,
                  gboolean     *is_jpeg)
{
  *is_jpeg = FALSE;

  if (n >= 24 && memcmp (p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp (p + 12, "IHDR", 4) == 0)
    {
      *width = be32 (p + 16);
      *height = be32 (p + 20);
      return TRUE;
    }

  if (n >= 10 && (memcmp (p, "GIF87a", 6) == 0 || memcmp (p, "GIF89a", 6) == 0))
    {
      *width = le16 (p + 6);
      *height = le16 (p + 8);
      return TRUE;
    }

  if (n >= 30 && memcmp (p, "RIFF", 4) == 0 && memcmp (p + 8, "WEBP", 4) == 0)
    {
      if (memcmp (p + 12, "VP8X", 4) == 0)
        {
          *width = le24 (p + 24) + 1;
          *height = le24 (p + 27) + 1;
          return TRUE;
        }
      if (memcmp (p + 12, "VP8L", 4) == 0 && n >= 25)
        {
          guint32 bits = (guint32) p[21] | ((guint32) p[22] << 8) | ((guint32) p[23] << 16) | ((guint32) p[24] << 24);

          *width = (bits & 0x3fff) + 1;
          *height = ((bits >> 14) & 0x3fff) + 1;
          return TRUE;
        }
      if (memcmp (p + 12, "VP8 ", 4) == 0)
        {
          *width = le16 (p + 26) & 0x3fff;
          *height = le16 (p + 28) & 0x3fff;
          return TRUE;
        }
      return FALSE;
    }

  if (n >= 4 && p[0] == 0xff && p[1] == 0xd8)
    {
      gsize i = 2;

      *is_jpeg = TRUE;
      /* Walk the segments to the first start-of-frame marker. */
      while (i + 4 <= n)
        {
          guint8 marker;
          gsize length;

          if (p[i] != 0xff)
            return FALSE;
          marker = p[i + 1];
          if (marker == 0xff)
            {
              i++;
              continue;
            }
          if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            {
              i += 2;
              continue;
            }
          length = ((gsize) p[i + 2] << 8) | p[i + 3];
          if (length < 2)
            return FALSE;
          if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
            {
              if (i + 9 > n)
                return FALSE;
              *height = ((guint32) p[i + 5] << 8) | p[i + 6];
              *width = ((guint32) p[i + 7] << 8) | p[i + 8];
              return TRUE;
            }
          i += 2 + length;
        }
      return FALSE;
    }

  return FALSE;
}

gboolean
wr_thumbnail_check_size (GBytes  *data,
                         GError **error)
{
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (data, &n);
  guint32 width = 0;
  guint32 height = 0;
  gboolean is_jpeg = FALSE;

  if (!image_dimensions (p, n, &width, &height, &is_jpeg))
    {
      g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                           _("The image could not be read."));
      return FALSE;
    }

  if (width == 0 || height == 0 ||
      (guint64) width * height > (is_jpeg ? WR_THUMBNAIL_MAX_JPEG_PIXELS : WR_THUMBNAIL_MAX_PIXELS))
    {
      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY,
                   _("The image is too large to show (%u × %u pixels)."), width, height);
      return FALSE;
    }

  return TRUE;
}

/* Any thread. */
static GdkTexture *
thumbnail_decode (GBytes  *data,
                  int      size,
                  GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GdkPixbuf *pixbuf;
  gboolean ok;

  if (!wr_thumbnail_check_size (data, error))
    return NULL;

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared_cb), GINT_TO_POINTER (size));

  ok = gdk_pixbuf_loader_write_bytes (loader, data, error);
  /* Always close, or the loader complains when it is finalized. */
  if (!gdk_pixbuf_loader_close (loader, ok ? error : NULL) || !ok)
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                           _("The image could not be read."));
      return NULL;
    }

  /* Photos from phones say in their EXIF data which way is up. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return gdk_texture_new_for_pixbuf (oriented != NULL ? oriented : pixbuf);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GBytes *data = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "size"));
  GError *error = NULL;
  GdkTexture *texture = thumbnail_decode (data, size, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

void
wr_thumbnail_new_async (GBytes              *data,
                        int                  size,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (data != NULL);
  g_return_if_fail (size > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_thumbnail_new_async);
  g_task_set_task_data (task, g_bytes_ref (data), (GDestroyNotify) g_bytes_unref);
  g_object_set_data (G_OBJECT (task), "size", GINT_TO_POINTER (size));
  g_task_run_in_thread (task, thumbnail_thread);
}

GdkTexture *
wr_thumbnail_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------ item */

struct _WrThumbnailItem
{
  GObject     parent_instance;

  GdkTexture *texture;
  char       *name;
  char       *mime_type;
  gsize       size;
};

G_DEFINE_FINAL_TYPE (WrThumbnailItem, wr_thumbnail_item, G_TYPE_OBJECT)

static void
wr_thumbnail_item_finalize (GObject *object)
{
  WrThumbnailItem *self = WR_THUMBNAIL_ITEM (object);

  g_clear_object (&self->texture);
  g_free (self->name);
  g_free (self->mime_type);

  G_OBJECT_CLASS (wr_thumbnail_item_parent_class)->finalize (object);
}

static void
wr_thumbnail_item_class_init (WrThumbnailItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wr_thumbnail_item_finalize;
}

static void
wr_thumbnail_item_init (WrThumbnailItem *self)
{
}

/* Any thread: decodes the attachment's thumbnail. */
static WrThumbnailItem *
thumbnail_item_new (WrAttachment *attachment,
                    int           size)
{
  WrThumbnailItem *self = g_object_new (WR_TYPE_THUMBNAIL_ITEM, NULL);
  g_autoptr(GError) error = NULL;

  self->name = g_strdup (wr_attachment_get_name (attachment));
  self->mime_type = g_strdup (wr_attachment_get_mime_type (attachment));
  self->size = wr_attachment_get_size (attachment);
  self->texture = thumbnail_decode (wr_attachment_get_data (attachment), size, &error);
  if (self->texture == NULL)
    g_debug ("No thumbnail for %s: %s", self->name, error->message);

  return self;
}

GdkTexture *
wr_thumbnail_item_get_texture (WrThumbnailItem *self)
{
  g_return_val_if_fail (WR_IS_THUMBNAIL_ITEM (self), NULL);
  return self->texture;
}

const char *
wr_thumbnail_item_get_name (WrThumbnailItem *self)
{
  g_return_val_if_fail (WR_IS_THUMBNAIL_ITEM (self), NULL);
  return self->name;
}

const char *
wr_thumbnail_item_get_mime_type (WrThumbnailItem *self)
{
  g_return_val_if_fail (WR_IS_THUMBNAIL_ITEM (self), NULL);
  return self->mime_type;
}

gsize
wr_thumbnail_item_get_size (WrThumbnailItem *self)
{
  g_return_val_if_fail (WR_IS_THUMBNAIL_ITEM (self), 0);
  return self->size;
}

/* ------------------------------------------------------------ cache */

struct _WrThumbnailCache
{
  GObject       parent_instance;

  WrStore      *store;
  int           size;
  GHashTable   *known;      /* message id → GPtrArray of WrThumbnailItem */
  GHashTable   *queued;     /* message id → NULL: asked, load not started */
  GHashTable   *loading;    /* message id → NULL: in a running load */
  GCancellable *cancellable;
  guint         idle_id;
};

G_DEFINE_FINAL_TYPE (WrThumbnailCache, wr_thumbnail_cache, G_TYPE_OBJECT)

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  WrStore    *store;
  int         size;
  GStrv       ids;        /* the messages asked for */
  GHashTable *given;      /* message id → GPtrArray of WrAttachment; NULL = ask the store */
  GHashTable *result;     /* message id → GPtrArray of WrThumbnailItem */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_strfreev (data->ids);
  g_clear_pointer (&data->given, g_hash_table_unref);
  g_clear_pointer (&data->result, g_hash_table_unref);
  g_free (data);
}

static GPtrArray *
new_item_array (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GHashTable) stored = NULL;
  GHashTable *attachments = data->given;
  GError *error = NULL;

  if (attachments == NULL)
    {
      stored = wr_store_list_attachments_for_messages (data->store, (const char * const *) data->ids, &error);
      if (stored == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      attachments = stored;
    }

  data->result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; data->ids[i] != NULL; i++)
    {
      GPtrArray *list = g_hash_table_lookup (attachments, data->ids[i]);
      GPtrArray *items = new_item_array ();

      for (guint j = 0; list != NULL && j < list->len; j++)
        {
          if (g_cancellable_is_cancelled (cancellable))
            break;
          g_ptr_array_add (items, thumbnail_item_new (g_ptr_array_index (list, j), data->size));
        }

      g_hash_table_insert (data->result, g_strdup (data->ids[i]), items);
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_load_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WrThumbnailCache *self = WR_THUMBNAIL_CACHE (source);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Rows without their pictures are better than rows asking forever. */
      g_warning ("Could not load the images of messages: %s", error->message);
    }

  for (guint i = 0; data->ids[i] != NULL; i++)
    {
      const char *id = data->ids[i];
      GPtrArray *items = data->result != NULL ? g_hash_table_lookup (data->result, id) : NULL;

      if (!g_hash_table_remove (self->loading, id))
        continue;   /* cleared meanwhile */

      g_hash_table_insert (self->known, g_strdup (id),
                           items != NULL ? g_ptr_array_ref (items) : new_item_array ());
      g_signal_emit (self, signals[LOADED], 0, id);
    }
}

static void
start_load (WrThumbnailCache *self,
            GStrv             ids,
            GHashTable       *given)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (self->loading, g_strdup (ids[i]));

  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (self->store);
  data->size = self->size;
  data->ids = ids;
  data->given = given;

  task = g_task_new (self, self->cancellable, on_load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
flush_queue_cb (gpointer user_data)
{
  WrThumbnailCache *self = user_data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  self->idle_id = 0;

  g_hash_table_iter_init (&iter, self->queued);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  g_hash_table_remove_all (self->queued);

  start_load (self, g_strv_builder_end (builder), NULL);

  return G_SOURCE_REMOVE;
}

GPtrArray *
wr_thumbnail_cache_lookup (WrThumbnailCache *self,
                           const char       *message_id)
{
  GPtrArray *items;

  g_return_val_if_fail (WR_IS_THUMBNAIL_CACHE (self), NULL);

  if (message_id == NULL)
    return NULL;

  items = g_hash_table_lookup (self->known, message_id);
  if (items != NULL)
    return items;

  if (!g_hash_table_contains (self->loading, message_id))
    {
      g_hash_table_add (self->queued, g_strdup (message_id));
      if (self->idle_id == 0)
        self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_queue_cb, self, NULL);
    }

  return NULL;
}

void
wr_thumbnail_cache_insert (WrThumbnailCache *self,
                           const char       *message_id,
                           GPtrArray        *attachments)
{
  g_autoptr(GHashTable) given = NULL;
  GStrv ids;

  g_return_if_fail (WR_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (message_id != NULL);

  g_hash_table_remove (self->known, message_id);
  g_hash_table_remove (self->queued, message_id);

  given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_insert (given, g_strdup (message_id),
                       attachments != NULL ? g_ptr_array_ref (attachments)
                                           : g_ptr_array_new_with_free_func (g_object_unref));

  ids = g_new0 (char *, 2);
  ids[0] = g_strdup (message_id);
  start_load (self, ids, g_steal_pointer (&given));
}

void
wr_thumbnail_cache_clear (WrThumbnailCache *self)
{
  g_return_if_fail (WR_IS_THUMBNAIL_CACHE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_hash_table_remove_all (self->known);
  g_hash_table_remove_all (self->queued);
  g_hash_table_remove_all (self->loading);
}

static void
wr_thumbnail_cache_dispose (GObject *object)
{
  WrThumbnailCache *self = WR_THUMBNAIL_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_id, g_source_remove);

  G_OBJECT_CLASS (wr_thumbnail_cache_parent_class)->dispose (object);
}

static void
wr_thumbnail_cache_finalize (GObject *object)
{
  WrThumbnailCache *self = WR_THUMBNAIL_CACHE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_hash_table_unref (self->known);
  g_hash_table_unref (self->queued);
  g_hash_table_unref (self->loading);

  G_OBJECT_CLASS (wr_thumbnail_cache_parent_class)->finalize (object);
}

static void
wr_thumbnail_cache_class_init (WrThumbnailCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_thumbnail_cache_dispose;
  object_class->finalize = wr_thumbnail_cache_finalize;

  /**
   * WrThumbnailCache::loaded:
   * @message_id: the message whose thumbnails are now known
   */
  signals[LOADED] =
    g_signal_new ("loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
wr_thumbnail_cache_init (WrThumbnailCache *self)
{
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->loading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

WrThumbnailCache *
wr_thumbnail_cache_new (WrStore *store,
                        int      size)
{
  WrThumbnailCache *self;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (size > 0, NULL);

  self = g_object_new (WR_TYPE_THUMBNAIL_CACHE, NULL);
  self->store = g_object_ref (store);
  self->size = size;

  return self;
}
