/* placeholder until the chat view lands */
#include "wr-chat-view.h"

struct _WrChatView { AdwBin parent_instance; WrSession *session; WrProject *project; };
G_DEFINE_FINAL_TYPE (WrChatView, wr_chat_view, ADW_TYPE_BIN)

static void wr_chat_view_dispose (GObject *o) { WrChatView *s = WR_CHAT_VIEW (o); g_clear_object (&s->session); g_clear_object (&s->project); G_OBJECT_CLASS (wr_chat_view_parent_class)->dispose (o); }
static void wr_chat_view_class_init (WrChatViewClass *k) { G_OBJECT_CLASS (k)->dispose = wr_chat_view_dispose; }
static void wr_chat_view_init (WrChatView *s) { adw_bin_set_child (ADW_BIN (s), gtk_label_new ("Chat")); }
GtkWidget *wr_chat_view_new (WrSession *session) { WrChatView *s = g_object_new (WR_TYPE_CHAT_VIEW, NULL); s->session = g_object_ref (session); return GTK_WIDGET (s); }
void wr_chat_view_set_project (WrChatView *self, WrProject *project) { g_set_object (&self->project, project); }
WrProject *wr_chat_view_get_project (WrChatView *self) { return self->project; }
void wr_chat_view_new_chat (WrChatView *self) {}
void wr_chat_view_focus_composer (WrChatView *self) {}
