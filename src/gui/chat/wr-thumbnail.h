/* wr-thumbnail.h — small textures of images, decoded and scaled in a
 * worker thread (a 20 MiB photo must not stall the main loop), and a
 * per-chat cache of the thumbnails of stored message attachments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "workroom.h"

G_BEGIN_DECLS

/* Pictures are decoded whole before they are scaled (JPEG excepted: it
 * decodes scaled), so their size is bounded: 40 megapixels (160 MB while
 * decoding), 250 for JPEG. */
#define WR_THUMBNAIL_MAX_PIXELS      G_GUINT64_CONSTANT (40000000)
#define WR_THUMBNAIL_MAX_JPEG_PIXELS G_GUINT64_CONSTANT (250000000)

/* Whether @data's header claims a picture small enough to decode (and is
 * one of PNG, JPEG, WebP, GIF). Reads only the header. */
gboolean    wr_thumbnail_check_size  (GBytes              *data,
                                      GError             **error);

/* Decodes @data and scales it to fit @size × @size (never up). Fails with
 * the decoder's error for data that is not an image. */
void        wr_thumbnail_new_async   (GBytes              *data,
                                      int                  size,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GdkTexture *wr_thumbnail_new_finish  (GAsyncResult        *result,
                                      GError             **error);

/* One image of a message, as shown in its row. */
#define WR_TYPE_THUMBNAIL_ITEM (wr_thumbnail_item_get_type ())
G_DECLARE_FINAL_TYPE (WrThumbnailItem, wr_thumbnail_item, WR, THUMBNAIL_ITEM, GObject)

GdkTexture *wr_thumbnail_item_get_texture   (WrThumbnailItem *self);   /* nullable: could not decode */
const char *wr_thumbnail_item_get_name      (WrThumbnailItem *self);
const char *wr_thumbnail_item_get_mime_type (WrThumbnailItem *self);
gsize       wr_thumbnail_item_get_size      (WrThumbnailItem *self);

/* Thumbnails of the attachments of a chat's messages, loaded on demand in
 * batches (one store query per main-loop iteration for all rows that asked)
 * and kept until cleared. */
#define WR_TYPE_THUMBNAIL_CACHE (wr_thumbnail_cache_get_type ())
G_DECLARE_FINAL_TYPE (WrThumbnailCache, wr_thumbnail_cache, WR, THUMBNAIL_CACHE, GObject)

WrThumbnailCache *wr_thumbnail_cache_new     (WrStore          *store,
                                              int               size);
/* The thumbnails of @message_id (element-type WrThumbnailItem; empty when
 * it has no images), or NULL while unknown: then a load is queued and
 * "loaded" is emitted with @message_id when they are known. (transfer none) */
GPtrArray        *wr_thumbnail_cache_lookup  (WrThumbnailCache *self,
                                              const char       *message_id);
/* Known without asking the store: the images a message was just sent with. */
void              wr_thumbnail_cache_insert  (WrThumbnailCache *self,
                                              const char       *message_id,
                                              GPtrArray        *attachments);   /* element-type WrAttachment */
/* Forgets everything and cancels loads (another chat opened). */
void              wr_thumbnail_cache_clear   (WrThumbnailCache *self);

/* Signal "loaded" (const char *message_id). */

G_END_DECLS
