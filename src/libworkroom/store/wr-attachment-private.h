/* wr-attachment-private.h — what only the store folder uses of
 * WrAttachment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-attachment.h"

G_BEGIN_DECLS

/* Records where the store saved @self. */
void          _wr_attachment_set_stored   (WrAttachment *self,
                                           const char   *id,
                                           const char   *message_id,
                                           guint         position,
                                           gint64        created_at);

/* An attachment read back from a row; @data is taken. */
WrAttachment *_wr_attachment_new_from_row (const char   *id,
                                           const char   *message_id,
                                           guint         position,
                                           const char   *name,
                                           const char   *mime_type,
                                           GBytes       *data,
                                           gint64        created_at);

G_END_DECLS
