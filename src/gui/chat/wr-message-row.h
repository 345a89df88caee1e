/* wr-message-row.h — one message in the chat's GtkListView: role styling,
 * rendered markdown, caption (model, provider, tokens), partial / error
 * marker, Copy and Retry. Rows are recycled: bind/unbind switch the
 * message shown. While a reply streams, the row re-renders at most once
 * per frame. */
#pragma once

#include <adwaita.h>

#include "workroom.h"
#include "wr-thumbnail.h"

G_BEGIN_DECLS

#define WR_TYPE_MESSAGE_ROW (wr_message_row_get_type ())
G_DECLARE_FINAL_TYPE (WrMessageRow, wr_message_row, WR, MESSAGE_ROW, GtkWidget)

/* @providers: to name providers in captions (nullable). */
GtkWidget *wr_message_row_new         (WrProviderRegistry *providers);
/* Shows @message, an item of @messages (the row offers Retry when it is
 * the last one). */
void       wr_message_row_bind        (WrMessageRow *self,
                                       WrMessage    *message,
                                       GListModel   *messages);
void       wr_message_row_unbind      (WrMessageRow *self);
/* Where the row finds the pictures of its message (nullable: none). */
void       wr_message_row_set_thumbnail_cache (WrMessageRow     *self,
                                               WrThumbnailCache *cache);
/* (transfer none, nullable) */
WrMessage *wr_message_row_get_message (WrMessageRow *self);

G_END_DECLS
