/* wr-chat-view-private.h — what tests of the chat view look at. */
#pragma once

#include "wr-chat-view.h"
#include "wr-attachment-tray.h"

G_BEGIN_DECLS

/* The chats of the project (element-type WrChat). (transfer none) */
GListModel *_wr_chat_view_get_chats    (WrChatView *self);
/* The messages of the open chat in the list (element-type WrMessage): the
 * latest ones; earlier ones join as the reader scrolls up. (transfer none) */
GListModel *_wr_chat_view_get_messages (WrChatView *self);
/* All messages of the open chat loaded, shown or not yet. */
guint       _wr_chat_view_get_n_loaded_messages (WrChatView *self);
/* The open chat. (transfer none, nullable) */
WrChat     *_wr_chat_view_get_chat     (WrChatView *self);
/* Whether chats or messages are being loaded ("notify::loading"). */
gboolean    _wr_chat_view_get_loading  (WrChatView *self);
/* The list view showing the messages. (transfer none) */
GtkWidget  *_wr_chat_view_get_message_list (WrChatView *self);
/* Opens @chat (which must be one of the project's chats). */
void        _wr_chat_view_open_chat    (WrChatView *self,
                                        WrChat     *chat);

/* The images waiting above the composer. (transfer none) */
WrAttachmentTray *_wr_chat_view_get_attachment_tray (WrChatView *self);

G_END_DECLS
