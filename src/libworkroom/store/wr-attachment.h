/* wr-attachment.h — an image sent with a message (table
 * message_attachments), and the store calls that keep them.
 *
 * Only PNG, JPEG, WebP and GIF images, at most WR_ATTACHMENT_MAX_BYTES
 * each and WR_ATTACHMENT_MAX_PER_MESSAGE per message: what every supported
 * provider accepts. The type is judged by the bytes, never by the name
 * alone; a file whose name or declared type says one thing and whose bytes
 * say another is refused.
 *
 * A WrAttachment is immutable once made, except that the store sets its
 * id, message id, position and creation time when it saves it; it may be
 * read from any thread. The bytes are shared, never copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-store.h"

G_BEGIN_DECLS

#define WR_ATTACHMENT_MAX_BYTES        (20 * 1024 * 1024)
#define WR_ATTACHMENT_MAX_PER_MESSAGE  8

#define WR_TYPE_ATTACHMENT (wr_attachment_get_type ())
G_DECLARE_FINAL_TYPE (WrAttachment, wr_attachment, WR, ATTACHMENT, GObject)

/* @name is what the user sees ("photo.png"; nullable: ""). @mime_type is
 * what the caller believes the type is; NULL, or a type that is not
 * "image/…", means the type sniffed from @data. @data is referenced, not
 * copied. Nothing is checked here; see wr_attachment_check(). */
WrAttachment *wr_attachment_new            (const char    *name,
                                            const char    *mime_type,
                                            GBytes        *data);
/* properties (read-only): "id", "message-id", "position", "name",
 * "mime-type", "data", "created-at" */
const char   *wr_attachment_get_id         (WrAttachment  *self);   /* NULL until stored */
const char   *wr_attachment_get_message_id (WrAttachment  *self);   /* NULL until stored */
guint         wr_attachment_get_position   (WrAttachment  *self);   /* 0-based, within its message */
const char   *wr_attachment_get_name       (WrAttachment  *self);   /* never NULL */
const char   *wr_attachment_get_mime_type  (WrAttachment  *self);
GBytes       *wr_attachment_get_data       (WrAttachment  *self);   /* (transfer none) */
gsize         wr_attachment_get_size       (WrAttachment  *self);
gint64        wr_attachment_get_created_at (WrAttachment  *self);   /* 0 until stored */

/* Whether @mime_type is one of the image types a message may carry. */
gboolean      wr_attachment_is_supported_type (const char *mime_type);

/* The MIME type of @data judged by its bytes only: "image/png",
 * "image/jpeg", "image/webp" or "image/gif" for those, otherwise what GIO
 * guesses from the bytes ("text/plain", "application/octet-stream", …).
 * (transfer full) */
char         *wr_attachment_sniff_mime_type (GBytes       *data);

/* Whether @self may be stored and sent: a supported type, bytes that are
 * that type, a name that does not claim another image type, not empty, not
 * over WR_ATTACHMENT_MAX_BYTES. Otherwise FALSE with WR_STORE_ERROR_INVALID
 * and a translated sentence that names the file and says what to do. */
gboolean      wr_attachment_check          (WrAttachment  *self,
                                            GError       **error);

/* Reads an image file for attaching: refuses files over the size limit
 * before reading them, sniffs the type and runs wr_attachment_check().
 * The sync call blocks (CLI, threads); the async one runs in a thread. */
WrAttachment *wr_attachment_load           (GFile         *file,
                                            GCancellable  *cancellable,
                                            GError       **error);
void          wr_attachment_load_async     (GFile               *file,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
WrAttachment *wr_attachment_load_finish    (GAsyncResult        *result,
                                            GError             **error);

/* Store calls (wr-store-attachments.c). Threading as in wr-store.h: the
 * sync calls block; use them from threads, the CLI and tests. */

/* Saves @attachments (element-type WrAttachment) with the live message
 * @message_id, after those it already has, in one transaction: all or
 * none. Each is checked first (wr_attachment_check()), and the message may
 * carry at most WR_ATTACHMENT_MAX_PER_MESSAGE in all (WR_STORE_ERROR_INVALID
 * otherwise; WR_STORE_ERROR_NOT_FOUND for a missing or deleted message).
 * Sets id, message id, position and creation time on each. */
gboolean      wr_store_add_attachments     (WrStore       *self,
                                            const char    *message_id,
                                            GPtrArray     *attachments,
                                            GError       **error);
/* The attachments of a live message, in order (element-type WrAttachment;
 * empty when none). WR_STORE_ERROR_NOT_FOUND when the message, or its
 * chat, is missing or deleted. */
GPtrArray    *wr_store_list_attachments    (WrStore       *self,
                                            const char    *message_id,
                                            GError       **error);
/* For building a conversation's history in one go (one read snapshot,
 * one cached statement): message id (utf8) → GPtrArray of WrAttachment in
 * order, for those of @message_ids (NULL-terminated) that are live and have
 * attachments; others have no entry. (transfer full) */
GHashTable   *wr_store_list_attachments_for_messages (WrStore           *self,
                                                      const char * const *message_ids,
                                                      GError           **error);

/* Async variants for the GUI: each _finish returns what the sync call
 * returns. The attachments given to add must not be used until it is done. */
void          wr_store_add_attachments_async  (WrStore *self, const char *message_id, GPtrArray *attachments,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean      wr_store_add_attachments_finish (WrStore *self, GAsyncResult *result, GError **error);
void          wr_store_list_attachments_async (WrStore *self, const char *message_id,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
GPtrArray    *wr_store_list_attachments_finish (WrStore *self, GAsyncResult *result, GError **error);
void          wr_store_list_attachments_for_messages_async  (WrStore *self, const char * const *message_ids,
                                                             GCancellable *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer user_data);
GHashTable   *wr_store_list_attachments_for_messages_finish (WrStore *self, GAsyncResult *result,
                                                             GError **error);

G_END_DECLS
