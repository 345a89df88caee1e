/* wr-chat-view.h — the Chat page of a project: chat list, messages,
 * composer, streaming. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_CHAT_VIEW (wr_chat_view_get_type ())
G_DECLARE_FINAL_TYPE (WrChatView, wr_chat_view, WR, CHAT_VIEW, AdwBin)

GtkWidget *wr_chat_view_new         (WrSession  *session);
/* Shows @project's chats (NULL: nothing). Loads asynchronously. */
void       wr_chat_view_set_project (WrChatView *self,
                                     WrProject  *project);
WrProject *wr_chat_view_get_project (WrChatView *self);
/* Starts a new empty chat in the project and focuses the composer. */
void       wr_chat_view_new_chat    (WrChatView *self);
void       wr_chat_view_focus_composer (WrChatView *self);

G_END_DECLS
