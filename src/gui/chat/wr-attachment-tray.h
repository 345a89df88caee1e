/* wr-attachment-tray.h — the images waiting above the composer: a chip
 * per image (thumbnail, name, remove button). Reads files in a worker
 * thread; refuses what the store would refuse (type, size, number) with a
 * message the view shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_ATTACHMENT_TRAY (wr_attachment_tray_get_type ())
G_DECLARE_FINAL_TYPE (WrAttachmentTray, wr_attachment_tray, WR, ATTACHMENT_TRAY, GtkWidget)

GtkWidget *wr_attachment_tray_new         (void);
/* Reads each file and adds it; a file that cannot be added emits "error". */
void       wr_attachment_tray_add_files   (WrAttachmentTray *self,
                                           GListModel       *files);   /* of GFile */
void       wr_attachment_tray_add         (WrAttachmentTray *self,
                                           WrAttachment     *attachment);
guint      wr_attachment_tray_get_n_items (WrAttachmentTray *self);
/* Everything waiting, in order, and empties the tray (element-type
 * WrAttachment, transfer full; NULL when empty). */
GPtrArray *wr_attachment_tray_take        (WrAttachmentTray *self);
/* Puts back what a refused send took. */
void       wr_attachment_tray_restore     (WrAttachmentTray *self,
                                           GPtrArray        *attachments);

/* Signals: "error" (const char *message), "changed" (no arguments; the
 * number of items changed). Property "n-items". */

G_END_DECLS
