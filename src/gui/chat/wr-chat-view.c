/* wr-chat-view.c — the Chat page of a project.
 *
 * Chats of the project on the left (a GtkListView over a GListStore), the
 * open chat's messages on the right (a GtkListView of WrMessageRow over a
 * GListStore, so a chat of 10,000 messages costs what the screen shows),
 * and the composer. Every store and service call is asynchronous with a
 * GCancellable that dispose cancels. One reply streams at a time. */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-chat-view.h"
#include "wr-chat-view-private.h"
#include "wr-attachment-tray.h"
#include "wr-message-row.h"
#include "wr-model-selector.h"
#include "wr-gui-util.h"
#include "docs/wr-document-import.h"

/* Within this distance of the end, the conversation follows new text. */
#define BOTTOM_SLACK 48.0
/* GtkListView (before GTK 4.12) keeps up to 200 rows realized and measured
 * around what is shown, whatever the model's size. So a chat opens with
 * its last messages in the model, and earlier ones are put in front, a
 * page at a time, when the reader scrolls near the top. */
#define FIRST_PAGE    16
/* Pictures in messages are decoded at most this big (pixels, either side):
 * twice what a row shows, for HiDPI screens. */
#define THUMBNAIL_SIZE 320
#define EARLIER_PAGE  20

struct _WrChatView
{
  AdwBin              parent_instance;

  WrSession          *session;             /* owned */
  WrProject          *project;             /* owned, nullable */
  WrChat             *chat;                /* owned, nullable: the open chat */
  GListStore         *chats;               /* WrChat */
  GtkSingleSelection *chat_selection;
  GListStore         *messages;            /* WrMessage of the open chat: the latest ones */
  GPtrArray          *earlier;             /* WrMessage loaded but not yet in messages, oldest first */
  guint               earlier_idle_id;
  GBinding           *title_binding;

  GCancellable       *cancellable;         /* the view's lifetime */
  GCancellable       *project_cancellable; /* loading the project's chats */
  GCancellable       *chat_cancellable;    /* loading the open chat's messages */
  GCancellable       *send_cancellable;    /* the streaming reply, nullable */

  WrChat             *streaming_chat;      /* owned, nullable */
  WrMessage          *streaming_message;   /* owned, nullable */
  char               *pending_text;        /* sent once the new chat exists */
  GPtrArray          *pending_attachments; /* WrAttachment, idem; nullable */
  GPtrArray          *sending_attachments; /* WrAttachment of the message being sent; nullable */
  WrThumbnailCache   *thumbnails;          /* pictures of the open chat's messages */

  double              last_scroll_value;
  double              last_upper;
  double              last_page;
  guint               follow_tick_id;
  guint               follow_frames;
  guint               loading_chats : 1;
  guint               loading_messages : 1;
  guint               creating_chat : 1;
  guint               stick_to_bottom : 1;
  guint               scrolling : 1;
  guint               selecting : 1;       /* selection changed by code, not the user */
  guint               disposed : 1;

  /* template children (the AdwBin's own child, the toast overlay, is not
   * bound: AdwBin unparents it, dispose_template() must not) */
  GtkStack           *main_stack;
  AdwLeaflet         *leaflet;
  GtkWidget          *chat_list_pane;
  GtkWidget          *conversation_pane;
  GtkListView        *chat_list;
  GtkLabel           *title_label;
  GtkWidget          *menu_button;
  GtkWidget          *knowledge_pill;
  GtkWidget          *model_selector;
  GtkStack           *conversation_stack;
  GtkSpinner         *loading_spinner;
  GtkScrolledWindow  *messages_scroller;
  GtkListView        *message_list;
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  GtkTextView        *composer;
  GtkWidget          *placeholder;
  WrAttachmentTray   *attachment_tray;
  GtkWidget          *composer_area;
  GtkStack           *send_stack;
};

G_DEFINE_FINAL_TYPE (WrChatView, wr_chat_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  PROP_LOADING,
  PROP_USE_KNOWLEDGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void wr_chat_view_open_chat   (WrChatView *self,
                                      WrChat     *chat);
static void wr_chat_view_send_text   (WrChatView *self,
                                      WrChat     *chat,
                                      const char *text,
                                      GPtrArray  *attachments);

/* Helpers */

static WrStore *
get_store (WrChatView *self)
{
  return wr_session_get_store (self->session);
}

static WrProviderRegistry *
get_providers (WrChatView *self)
{
  return wr_session_get_providers (self->session);
}

static gboolean
same_chat (WrChat *a,
           WrChat *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (wr_chat_get_id (a), wr_chat_get_id (b)) == 0;
}

static gboolean
wr_chat_view_is_streaming_here (WrChatView *self)
{
  return self->streaming_chat != NULL && same_chat (self->streaming_chat, self->chat);
}

static gboolean
wr_chat_view_is_loading (WrChatView *self)
{
  return self->loading_chats || self->loading_messages;
}

static char *
wr_chat_view_dup_composer_text (WrChatView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
wr_chat_view_composer_is_blank (WrChatView *self)
{
  g_autofree char *text = wr_chat_view_dup_composer_text (self);

  return g_strstrip (text)[0] == '\0';
}

static WrMessage *
wr_chat_view_dup_last_message (WrChatView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));

  return n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->messages), n - 1) : NULL;
}

static void
wr_chat_view_toast (WrChatView *self,
                    const char *text)
{
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))),
                               adw_toast_new (text));
}

/* Knowledge ------------------------------------------------------------- */

static void
on_knowledge_documents_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(GPtrArray) documents = wr_document_list_finish (WR_STORE (source), result, NULL);
  g_autofree char *tooltip = NULL;
  guint ready = 0;

  if (documents == NULL || self->disposed)
    return;

  for (guint i = 0; i < documents->len; i++)
    if (g_strcmp0 (((WrDocumentInfo *) g_ptr_array_index (documents, i))->status, "ready") == 0)
      ready++;

  tooltip = ready > 0
    ? g_strdup_printf (ngettext ("Answers draw on this project’s %u document and its datasets, with numbered sources",
                                 "Answers draw on this project’s %u documents and its datasets, with numbered sources",
                                 ready), ready)
    : g_strdup (_("Answers draw on this project’s documents and datasets, but it has no documents yet. Add some on the Knowledge page."));
  gtk_widget_set_tooltip_text (self->knowledge_pill, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->knowledge_pill),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
}

/* The "Knowledge" pill in the header, with how many documents it uses. */
static void
wr_chat_view_update_knowledge (WrChatView *self)
{
  gboolean on = self->chat != NULL && wr_chat_get_use_knowledge (self->chat);

  gtk_widget_set_visible (self->knowledge_pill, on);
  if (on && self->project != NULL)
    wr_document_list_async (get_store (self), wr_project_get_id (self->project), self->cancellable,
                            on_knowledge_documents_cb, g_object_ref (self));
}

static void
on_knowledge_saved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_store_save_chat_finish (WR_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !self->disposed)
    {
      g_autofree char *text = g_strdup_printf (_("The knowledge setting could not be saved: %s"), error->message);

      wr_chat_view_toast (self, text);
    }
}

static void
wr_chat_view_set_use_knowledge (WrChatView *self,
                                gboolean    use_knowledge)
{
  if (self->chat == NULL || wr_chat_get_use_knowledge (self->chat) == use_knowledge)
    return;

  wr_chat_set_use_knowledge (self->chat, use_knowledge);
  wr_store_save_chat_async (get_store (self), self->chat, self->cancellable,
                            on_knowledge_saved_cb, g_object_ref (self));
  wr_chat_view_update_knowledge (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_KNOWLEDGE]);
}

static void
wr_chat_view_show_error (WrChatView *self,
                         const char *text)
{
  gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
wr_chat_view_hide_error (WrChatView *self)
{
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

/* State to widgets */

static void
wr_chat_view_update_actions (WrChatView *self)
{
  gboolean has_project = self->project != NULL;
  gboolean busy = self->streaming_chat != NULL;
  gboolean here = wr_chat_view_is_streaming_here (self);
  gboolean loading = wr_chat_view_is_loading (self);
  g_autoptr(WrMessage) last = wr_chat_view_dup_last_message (self);
  gboolean can_retry;

  can_retry = self->chat != NULL && !busy && !loading && last != NULL &&
              g_strcmp0 (wr_message_get_role (last), "assistant") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.new",
                                 has_project && !self->creating_chat);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.send",
                                 has_project && !busy && !loading && !self->creating_chat &&
                                 (!wr_chat_view_composer_is_blank (self) ||
                                  wr_attachment_tray_get_n_items (self->attachment_tray) > 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.attach", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.retry", can_retry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.delete", self->chat != NULL && !here);

  gtk_stack_set_visible_child_name (self->send_stack, here ? "stop" : "send");
}

static void
wr_chat_view_update_pages (WrChatView *self)
{
  const char *conversation;

  if (self->project == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "no-project");
  else if (wr_provider_registry_is_empty (get_providers (self)))
    gtk_stack_set_visible_child_name (self->main_stack, "onboarding");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "chats");

  if (self->loading_messages)
    conversation = "loading";
  else if (self->chat == NULL && !self->creating_chat)
    conversation = self->loading_chats ? "loading" : "no-chats";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->messages)) == 0)
    conversation = "empty-chat";
  else
    conversation = "messages";

  gtk_stack_set_visible_child_name (self->conversation_stack, conversation);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (conversation, "loading"));
  gtk_widget_set_visible (self->menu_button, self->chat != NULL);
  gtk_widget_set_visible (self->model_selector, self->chat != NULL);

  wr_chat_view_update_actions (self);
}

static void
wr_chat_view_set_loading (WrChatView *self,
                          gboolean    chats,
                          gboolean    messages)
{
  gboolean was = wr_chat_view_is_loading (self);

  self->loading_chats = chats;
  self->loading_messages = messages;
  wr_chat_view_update_pages (self);

  if (was != wr_chat_view_is_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Scrolling */

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - BOTTOM_SLACK;
}

static void
wr_chat_view_scroll_to_bottom (WrChatView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->messages_scroller);

  self->scrolling = TRUE;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  self->last_scroll_value = gtk_adjustment_get_value (adj);
  self->last_upper = gtk_adjustment_get_upper (adj);
  self->last_page = gtk_adjustment_get_page_size (adj);
  self->scrolling = FALSE;
}

static void wr_chat_view_queue_follow (WrChatView *self,
                                       guint       frames);
static void wr_chat_view_maybe_show_earlier (WrChatView *self);

static void
on_vadjustment_changed_cb (WrChatView    *self,
                           GtkAdjustment *adj)
{
  /* The content grew (streaming text, rows measured): keep following.
   * Not from here: this runs inside the list's size allocation, where a
   * new value would be ignored; the next frame's tick does it. */
  if (self->stick_to_bottom)
    wr_chat_view_queue_follow (self, 2);
  wr_chat_view_maybe_show_earlier (self);
}

static gboolean
show_earlier_cb (gpointer user_data)
{
  WrChatView *self = WR_CHAT_VIEW (user_data);
  guint n = MIN (self->earlier->len, EARLIER_PAGE);
  guint first = self->earlier->len - n;

  self->earlier_idle_id = 0;

  /* Rows put in front of what is shown leave the shown rows in place. */
  g_list_store_splice (self->messages, 0, 0, self->earlier->pdata + first, n);
  g_ptr_array_set_size (self->earlier, first);

  return G_SOURCE_REMOVE;
}

/* Within a screen of the top (and not because the chat just opened and is
 * on its way to the end), or when what is shown does not fill two screens. */
static void
wr_chat_view_maybe_show_earlier (WrChatView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->messages_scroller);
  double page = gtk_adjustment_get_page_size (adj);

  if (self->earlier->len == 0 || self->earlier_idle_id != 0 || page <= 0)
    return;

  if ((gtk_adjustment_get_value (adj) < page && !self->stick_to_bottom) ||
      gtk_adjustment_get_upper (adj) < 2 * page)
    self->earlier_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_earlier_cb, self, NULL);
}

static void
on_vadjustment_value_changed_cb (WrChatView    *self,
                                 GtkAdjustment *adj)
{
  double value = gtk_adjustment_get_value (adj);
  double upper = gtk_adjustment_get_upper (adj);
  double page = gtk_adjustment_get_page_size (adj);

  /* Moves that come with a new size are the list view re-anchoring while
   * it measures rows, not the reader. */
  if (!self->scrolling && upper == self->last_upper && page == self->last_page)
    {
      /* Moving up means the user wants to read: stop following until
       * they come back to the end. */
      if (at_bottom (adj))
        self->stick_to_bottom = TRUE;
      else if (value < self->last_scroll_value)
        self->stick_to_bottom = FALSE;
    }

  self->last_scroll_value = value;
  self->last_upper = upper;
  self->last_page = page;

  wr_chat_view_maybe_show_earlier (self);
}

static gboolean
on_follow_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  WrChatView *self = WR_CHAT_VIEW (user_data);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->messages_scroller);

  /* Rows are measured as they come into view, which moves the end a few
   * times after a chat opens: follow it for a few frames. */
  if (self->stick_to_bottom &&
      gtk_adjustment_get_value (adj) < gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj))
    wr_chat_view_scroll_to_bottom (self);

  if (self->follow_frames > 0 && --self->follow_frames > 0)
    return G_SOURCE_CONTINUE;

  self->follow_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
wr_chat_view_queue_follow (WrChatView *self,
                           guint       frames)
{
  self->follow_frames = MAX (self->follow_frames, frames);
  if (self->follow_tick_id == 0)
    self->follow_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->messages_scroller),
                                                         on_follow_tick_cb, self, NULL);
}

static void
wr_chat_view_follow (WrChatView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));

  self->stick_to_bottom = TRUE;
  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->message_list), "list.scroll-to-item", "u", n - 1);
  wr_chat_view_queue_follow (self, 12);
}

/* Chats */

static void
wr_chat_view_select_chat (WrChatView *self,
                          WrChat     *chat)
{
  guint position = GTK_INVALID_LIST_POSITION;

  if (chat != NULL && !g_list_store_find (self->chats, chat, &position))
    position = GTK_INVALID_LIST_POSITION;

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->chat_selection, position);
  self->selecting = FALSE;
}

static void
wr_chat_view_move_chat_to_top (WrChatView *self,
                               WrChat     *chat)
{
  guint position;

  if (!g_list_store_find (self->chats, chat, &position) || position == 0)
    return;

  self->selecting = TRUE;
  g_object_ref (chat);
  g_list_store_remove (self->chats, position);
  g_list_store_insert (self->chats, 0, chat);
  g_object_unref (chat);
  self->selecting = FALSE;

  if (same_chat (chat, self->chat))
    wr_chat_view_select_chat (self, chat);
}

static void
on_chat_selected_cb (WrChatView         *self,
                     GParamSpec         *pspec,
                     GtkSingleSelection *selection)
{
  WrChat *chat = gtk_single_selection_get_selected_item (selection);

  if (self->selecting)
    {
      if (chat != NULL)
        wr_chat_view_open_chat (self, chat);
      return;
    }

  if (chat == NULL)
    return;

  wr_chat_view_open_chat (self, chat);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_chats_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(GError) error = NULL;

  chats = wr_store_list_chats_finish (WR_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;

  if (error != NULL)
    {
      wr_chat_view_set_loading (self, FALSE, FALSE);
      wr_chat_view_show_error (self, error->message);
      return;
    }

  g_list_store_splice (self->chats, 0, g_list_model_get_n_items (G_LIST_MODEL (self->chats)),
                       chats->pdata, chats->len);
  self->loading_chats = FALSE;

  /* Reopen the most recent chat. */
  if (chats->len > 0)
    wr_chat_view_select_chat (self, g_ptr_array_index (chats, 0));

  wr_chat_view_set_loading (self, FALSE, self->loading_messages);
}

static void
on_chat_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) attachments = NULL;

  chat = wr_store_create_chat_finish (WR_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;

  self->creating_chat = FALSE;
  text = g_steal_pointer (&self->pending_text);
  attachments = g_steal_pointer (&self->pending_attachments);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the chat: %s"), error->message);

      wr_chat_view_show_error (self, message);
      if (text != NULL && wr_chat_view_composer_is_blank (self))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer), text, -1);
      wr_attachment_tray_restore (self->attachment_tray, attachments);
      wr_chat_view_update_pages (self);
      return;
    }

  /* The project may have changed meanwhile. */
  if (self->project == NULL ||
      g_strcmp0 (wr_chat_get_project_id (chat), wr_project_get_id (self->project)) != 0)
    {
      wr_chat_view_update_pages (self);
      return;
    }

  g_list_store_insert (self->chats, 0, chat);
  wr_chat_view_select_chat (self, chat);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);

  if (text != NULL)
    wr_chat_view_send_text (self, chat, text, attachments);
  else
    wr_chat_view_focus_composer (self);

  wr_chat_view_update_pages (self);
}

static void
wr_chat_view_create_chat (WrChatView *self,
                          const char *then_send,
                          GPtrArray  *attachments)   /* transfer full, nullable */
{
  if (self->project == NULL || self->creating_chat)
    return;

  self->creating_chat = TRUE;
  g_free (self->pending_text);
  self->pending_text = g_strdup (then_send);
  g_clear_pointer (&self->pending_attachments, g_ptr_array_unref);
  self->pending_attachments = g_steal_pointer (&attachments);
  wr_store_create_chat_async (get_store (self), wr_project_get_id (self->project), NULL,
                              self->project_cancellable, on_chat_created_cb, g_object_ref (self));
  wr_chat_view_update_pages (self);
}

static void
on_chat_deleted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_store_delete_chat_finish (WR_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !self->disposed)
        {
          g_autofree char *message = g_strdup_printf (_("Could not delete the chat: %s"), error->message);
          wr_chat_view_show_error (self, message);
        }
      return;
    }

  if (!self->disposed)
    wr_chat_view_toast (self, _("Chat deleted"));
}

static void
wr_chat_view_delete_chat (WrChatView *self,
                          WrChat     *chat)
{
  guint position;

  if (!g_list_store_find (self->chats, chat, &position))
    return;

  g_object_ref (chat);
  wr_store_delete_chat_async (get_store (self), wr_chat_get_id (chat), self->cancellable,
                              on_chat_deleted_cb, g_object_ref (self));

  if (same_chat (chat, self->chat))
    wr_chat_view_open_chat (self, NULL);

  self->selecting = TRUE;
  g_list_store_remove (self->chats, position);
  self->selecting = FALSE;

  /* Show the neighbour, as a file manager would. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->chats)) > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->chats));
      g_autoptr(WrChat) next = g_list_model_get_item (G_LIST_MODEL (self->chats), MIN (position, n - 1));

      wr_chat_view_select_chat (self, next);
    }
  else
    wr_chat_view_select_chat (self, NULL);

  g_object_unref (chat);
  wr_chat_view_update_pages (self);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  WrChatView *self = WR_CHAT_VIEW (user_data);
  WrChat *chat = g_object_get_data (G_OBJECT (dialog), "chat");

  if (g_str_equal (response, "delete") && !self->disposed && chat != NULL)
    wr_chat_view_delete_chat (self, chat);
}

/* Messages */

static void
on_messages_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  messages = wr_store_list_messages_finish (WR_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not load the chat: %s"), error->message);

      wr_chat_view_set_loading (self, self->loading_chats, FALSE);
      wr_chat_view_show_error (self, message);
      return;
    }

  /* A reply still streaming into this chat: show the live message, not
   * the snapshot the store holds. */
  if (self->streaming_message != NULL && wr_chat_view_is_streaming_here (self))
    {
      const char *id = wr_message_get_id (self->streaming_message);
      gboolean found = FALSE;

      for (guint i = messages->len; id != NULL && i > 0 && !found; i--)
        {
          WrMessage *message = g_ptr_array_index (messages, i - 1);

          if (g_strcmp0 (wr_message_get_id (message), id) == 0)
            {
              g_ptr_array_index (messages, i - 1) = g_object_ref (self->streaming_message);
              g_object_unref (message);
              found = TRUE;
            }
        }
      if (!found)
        g_ptr_array_add (messages, g_object_ref (self->streaming_message));
    }

  /* A reply left "streaming" by a process that ended mid-answer (a crash,
   * kill -9, power loss) shows what was saved, as a partial answer that can
   * be retried. */
  if (!wr_chat_service_is_busy (wr_session_get_chat_service (self->session), wr_chat_get_id (self->chat)))
    {
      for (guint i = 0; i < messages->len; i++)
        {
          WrMessage *message = g_ptr_array_index (messages, i);

          if (wr_message_get_status (message) != WR_MESSAGE_STATUS_STREAMING)
            continue;

          wr_message_set_status (message, wr_message_get_content_length (message) > 0
                                            ? WR_MESSAGE_STATUS_PARTIAL : WR_MESSAGE_STATUS_ERROR);
          wr_message_set_error (message, _("Interrupted: Workroom closed while this answer was being written."));
        }
    }

  {
    guint first = messages->len > FIRST_PAGE ? messages->len - FIRST_PAGE : 0;

    g_ptr_array_set_size (self->earlier, 0);
    for (guint i = 0; i < first; i++)
      g_ptr_array_add (self->earlier, g_object_ref (g_ptr_array_index (messages, i)));
    g_list_store_splice (self->messages, 0, g_list_model_get_n_items (G_LIST_MODEL (self->messages)),
                         messages->pdata + first, messages->len - first);
  }
  wr_chat_view_set_loading (self, self->loading_chats, FALSE);
  wr_chat_view_follow (self);
}

static void
wr_chat_view_open_chat (WrChatView *self,
                        WrChat     *chat)
{
  if (chat == self->chat)
    return;

  g_cancellable_cancel (self->chat_cancellable);
  g_clear_object (&self->chat_cancellable);
  self->chat_cancellable = g_cancellable_new ();

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_set_object (&self->chat, chat);
  wr_model_selector_set_chat (WR_MODEL_SELECTOR (self->model_selector), chat);
  wr_chat_view_update_knowledge (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_KNOWLEDGE]);
  g_ptr_array_set_size (self->earlier, 0);
  g_list_store_remove_all (self->messages);
  wr_thumbnail_cache_clear (self->thumbnails);
  wr_chat_view_hide_error (self);

  if (chat == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      wr_chat_view_set_loading (self, self->loading_chats, FALSE);
      return;
    }

  self->title_binding = g_object_bind_property_full (chat, "title", self->title_label, "label",
                                                     G_BINDING_SYNC_CREATE,
                                                     NULL, NULL, NULL, NULL);
  if (wr_chat_get_title (chat) == NULL || wr_chat_get_title (chat)[0] == '\0')
    gtk_label_set_text (self->title_label, _("New Chat"));

  wr_chat_view_set_loading (self, self->loading_chats, TRUE);
  wr_store_list_messages_async (get_store (self), wr_chat_get_id (chat), self->chat_cancellable,
                                on_messages_loaded_cb, g_object_ref (self));
}

static void
on_message_added_cb (WrChatView    *self,
                     WrChat        *chat,
                     WrMessage     *message,
                     WrChatService *service)
{
  if (self->streaming_chat != NULL && same_chat (chat, self->streaming_chat) &&
      g_strcmp0 (wr_message_get_role (message), "assistant") == 0)
    g_set_object (&self->streaming_message, message);

  /* The pictures just sent are known: no need to read them back. */
  if (self->sending_attachments != NULL && g_strcmp0 (wr_message_get_role (message), "user") == 0 &&
      self->streaming_chat != NULL && same_chat (chat, self->streaming_chat) && same_chat (chat, self->chat))
    wr_thumbnail_cache_insert (self->thumbnails, wr_message_get_id (message), self->sending_attachments);

  if (!same_chat (chat, self->chat) || self->loading_messages)
    return;

  {
    g_autoptr(WrMessage) last = wr_chat_view_dup_last_message (self);

    if (last == message)
      return;
  }

  g_list_store_append (self->messages, message);
  wr_chat_view_update_pages (self);
  wr_chat_view_follow (self);
}

static void
wr_chat_view_stream_done (WrChatView   *self,
                          WrMessage    *reply,
                          const GError *error,
                          const char   *sent_text,
                          GPtrArray    *sent_attachments)
{
  gboolean shown_inline;
  g_autoptr(WrMessage) streamed = g_steal_pointer (&self->streaming_message);
  g_autoptr(WrChat) chat G_GNUC_UNUSED = g_steal_pointer (&self->streaming_chat);

  g_clear_object (&self->send_cancellable);
  g_clear_pointer (&self->sending_attachments, g_ptr_array_unref);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Failures the service stored on the answer are shown in its row;
       * the rest (no provider, no model, store errors) here. A refusal of
       * the plan (model, daily limit, credits) comes before anything is
       * stored or changed, even on a retried answer that shows an older
       * error: always here. */
      shown_inline = streamed != NULL &&
                     error->domain != WR_BILLING_ERROR &&
                     (wr_message_get_status (streamed) == WR_MESSAGE_STATUS_ERROR ||
                      wr_message_get_status (streamed) == WR_MESSAGE_STATUS_PARTIAL);
      if (!shown_inline)
        {
          wr_chat_view_show_error (self, error->message);
          /* Nothing was sent: give the text back. */
          if (sent_text != NULL && streamed == NULL && wr_chat_view_composer_is_blank (self))
            gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer), sent_text, -1);
          if (streamed == NULL && wr_attachment_tray_get_n_items (self->attachment_tray) == 0)
            wr_attachment_tray_restore (self->attachment_tray, sent_attachments);
        }
    }

  wr_chat_view_update_pages (self);
}

typedef struct {
  WrChatView *self;          /* owned */
  char       *text;
  GPtrArray  *attachments;   /* nullable */
} SendData;

static void
send_data_free (SendData *data)
{
  g_object_unref (data->self);
  g_free (data->text);
  g_clear_pointer (&data->attachments, g_ptr_array_unref);
  g_free (data);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendData, send_data_free)

static void
on_send_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  WrChatView *self = data->self;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = wr_chat_service_send_finish (WR_CHAT_SERVICE (source), result, &error);
  if (self->disposed)
    return;

  wr_chat_view_stream_done (self, reply, error, data->text, data->attachments);
}

static void
on_retry_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = wr_chat_service_retry_finish (WR_CHAT_SERVICE (source), result, &error);
  if (self->disposed)
    return;

  wr_chat_view_stream_done (self, reply, error, NULL, NULL);
}

static void
wr_chat_view_begin_stream (WrChatView *self,
                           WrChat     *chat)
{
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  g_set_object (&self->streaming_chat, chat);
  g_clear_object (&self->streaming_message);
  wr_chat_view_hide_error (self);
  self->stick_to_bottom = TRUE;
}

static void
wr_chat_view_send_text (WrChatView *self,
                        WrChat     *chat,
                        const char *text,
                        GPtrArray  *attachments)
{
  WrChatService *service = wr_session_get_chat_service (self->session);
  SendData *data;

  /* The service titles the chat after its first message and saves it;
   * the list and the header follow "notify::title". */
  wr_chat_view_begin_stream (self, chat);
  wr_chat_view_move_chat_to_top (self, chat);

  data = g_new0 (SendData, 1);
  data->self = g_object_ref (self);
  data->text = g_strdup (text);
  data->attachments = attachments != NULL ? g_ptr_array_ref (attachments) : NULL;
  g_clear_pointer (&self->sending_attachments, g_ptr_array_unref);
  self->sending_attachments = attachments != NULL ? g_ptr_array_ref (attachments) : NULL;
  wr_chat_service_send_with_attachments_async (service, chat, text, attachments,
                                               self->send_cancellable, on_send_done_cb, data);

  wr_chat_view_update_pages (self);
}

/* Composer */

static void
on_attachment_error_cb (WrChatView *self,
                        const char *message)
{
  wr_chat_view_show_error (self, message);
}

static gboolean
on_files_dropped_cb (WrChatView    *self,
                     const GValue  *value,
                     double         x,
                     double         y,
                     GtkDropTarget *target)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GListStore) list = g_list_store_new (G_TYPE_FILE);

  if (self->project == NULL)
    return FALSE;

  for (GSList *l = files; l != NULL; l = l->next)
    g_list_store_append (list, l->data);

  wr_chat_view_hide_error (self);
  wr_attachment_tray_add_files (self->attachment_tray, G_LIST_MODEL (list));
  return TRUE;
}

static void
on_pasted_texture_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrChatView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(WrAttachment) attachment = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  if (self->disposed)
    return;
  if (texture == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not paste the image: %s"), error->message);
      wr_chat_view_show_error (self, message);
      return;
    }

  png = gdk_texture_save_to_png_bytes (texture);
  attachment = wr_attachment_new (_("Pasted image.png"), "image/png", png);
  wr_attachment_tray_add (self->attachment_tray, attachment);
}

/* An image on the clipboard (a screenshot) is attached instead of pasted
 * as nothing. Text, when there is any, pastes as usual. */
static void
on_composer_paste_cb (WrChatView  *self,
                      GtkTextView *composer)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (composer));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (self->project == NULL ||
      !gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) ||
      gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    return;

  g_signal_stop_emission_by_name (composer, "paste-clipboard");
  gdk_clipboard_read_texture_async (clipboard, self->cancellable, on_pasted_texture_cb, g_object_ref (self));
}

static void
on_attach_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       WrChatView      *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      wr_chat_view_hide_error (self);
      wr_attachment_tray_add_files (self->attachment_tray, files);
    }

  g_object_unref (self);
  g_object_unref (dialog);
}

static void
chat_attach_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WrChatView *self = WR_CHAT_VIEW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/gif");

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_file_chooser_native_new (_("Attach Images"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Attach"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_attach_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_composer_changed_cb (WrChatView    *self,
                        GtkTextBuffer *buffer)
{
  gtk_widget_set_visible (self->placeholder, gtk_text_buffer_get_char_count (buffer) == 0);
  wr_chat_view_update_actions (self);
}

static gboolean
on_composer_key_pressed_cb (WrChatView            *self,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & GDK_SHIFT_MASK) == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "chat.send", NULL);
      return GDK_EVENT_STOP;
    }

  if (keyval == GDK_KEY_Escape && self->streaming_chat != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "chat.stop", NULL);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_chat_list_activate_cb (WrChatView  *self,
                          guint        position,
                          GtkListView *list)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  wr_chat_view_focus_composer (self);
}

static void
on_back_clicked_cb (WrChatView *self,
                    GtkButton  *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_error_dismiss_clicked_cb (WrChatView *self,
                             GtkButton  *button)
{
  wr_chat_view_hide_error (self);
}

static void
on_providers_changed_cb (WrChatView *self,
                         guint       position,
                         guint       removed,
                         guint       added,
                         GListModel *model)
{
  wr_chat_view_update_pages (self);
}

/* List item factories */

static gboolean
transform_title_cb (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  const char *title = g_value_get_string (from);

  g_value_set_string (to, title != NULL && title[0] != '\0' ? title : _("New Chat"));
  return TRUE;
}

static void
on_chat_item_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "chat-title");
  gtk_list_item_set_child (item, label);
}

static void
on_chat_item_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  WrChat *chat = gtk_list_item_get_item (item);
  GBinding *binding;

  binding = g_object_bind_property_full (chat, "title", gtk_list_item_get_child (item), "label",
                                         G_BINDING_SYNC_CREATE, transform_title_cb, NULL, NULL, NULL);
  g_object_set_data (G_OBJECT (item), "binding", binding);
}

static void
on_chat_item_unbind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (item), "binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static void
on_message_item_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          WrChatView               *self)
{
  GtkWidget *row = wr_message_row_new (get_providers (self));

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);

  wr_message_row_set_thumbnail_cache (WR_MESSAGE_ROW (row), self->thumbnails);
  gtk_list_item_set_child (item, row);
}

static void
on_message_item_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         WrChatView               *self)
{
  wr_message_row_bind (WR_MESSAGE_ROW (gtk_list_item_get_child (item)),
                       gtk_list_item_get_item (item),
                       G_LIST_MODEL (self->messages));
}

static void
on_message_item_unbind_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *item,
                           WrChatView               *self)
{
  wr_message_row_unbind (WR_MESSAGE_ROW (gtk_list_item_get_child (item)));
}

/* Actions */

static void
chat_new_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  wr_chat_view_new_chat (WR_CHAT_VIEW (widget));
}

static void
chat_send_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WrChatView *self = WR_CHAT_VIEW (widget);
  g_autofree char *text = wr_chat_view_dup_composer_text (self);
  g_autoptr(GPtrArray) attachments = NULL;

  g_strstrip (text);
  if ((text[0] == '\0' && wr_attachment_tray_get_n_items (self->attachment_tray) == 0) ||
      self->project == NULL || self->streaming_chat != NULL ||
      self->creating_chat || wr_chat_view_is_loading (self))
    return;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer), "", 0);
  attachments = wr_attachment_tray_take (self->attachment_tray);

  if (self->chat == NULL)
    wr_chat_view_create_chat (self, text, g_steal_pointer (&attachments));
  else
    wr_chat_view_send_text (self, self->chat, text, attachments);
}

static void
chat_stop_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WrChatView *self = WR_CHAT_VIEW (widget);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
}

static void
chat_retry_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WrChatView *self = WR_CHAT_VIEW (widget);
  g_autoptr(WrMessage) last = wr_chat_view_dup_last_message (self);

  if (self->chat == NULL || self->streaming_chat != NULL || last == NULL ||
      g_strcmp0 (wr_message_get_role (last), "assistant") != 0)
    return;

  wr_chat_view_begin_stream (self, self->chat);
  g_set_object (&self->streaming_message, last);
  wr_chat_service_retry_async (wr_session_get_chat_service (self->session), self->chat, last,
                               self->send_cancellable, on_retry_done_cb, g_object_ref (self));
  wr_chat_view_update_pages (self);
  wr_chat_view_follow (self);
}

static void
chat_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WrChatView *self = WR_CHAT_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *title;
  GtkWidget *dialog;

  if (self->chat == NULL)
    return;

  title = wr_chat_get_title (self->chat);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Chat?"), NULL);
  if (title != NULL && title[0] != '\0')
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("“%s” and all its messages will be deleted."), title);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("This chat and all its messages will be deleted."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "chat", g_object_ref (self->chat), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* CSS */

static void
wr_chat_view_load_css (void)
{
  wr_gui_load_css_resource ("/io/github/workroom/Workroom/chat/chat.css");
}

/* GObject */

static void
wr_chat_view_constructed (GObject *object)
{
  WrChatView *self = WR_CHAT_VIEW (object);
  WrProviderRegistry *providers;

  G_OBJECT_CLASS (wr_chat_view_parent_class)->constructed (object);

  g_assert (WR_IS_SESSION (self->session));
  self->thumbnails = wr_thumbnail_cache_new (get_store (self), THUMBNAIL_SIZE);
  wr_model_selector_set_session (WR_MODEL_SELECTOR (self->model_selector), self->session);

  providers = get_providers (self);
  g_signal_connect_object (providers, "items-changed", G_CALLBACK (on_providers_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (wr_session_get_chat_service (self->session), "message-added",
                           G_CALLBACK (on_message_added_cb), self, G_CONNECT_SWAPPED);

  wr_chat_view_update_pages (self);
}

static void
wr_chat_view_dispose (GObject *object)
{
  WrChatView *self = WR_CHAT_VIEW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->project_cancellable);
  g_cancellable_cancel (self->chat_cancellable);
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (get_providers (self), self);
      g_signal_handlers_disconnect_by_data (wr_session_get_chat_service (self->session), self);
    }

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_handle_id (&self->earlier_idle_id, g_source_remove);
  if (self->follow_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->messages_scroller), self->follow_tick_id);
      self->follow_tick_id = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_CHAT_VIEW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->project_cancellable);
  g_clear_object (&self->chat_cancellable);
  g_clear_object (&self->send_cancellable);
  g_clear_object (&self->streaming_chat);
  g_clear_object (&self->streaming_message);
  g_clear_pointer (&self->pending_attachments, g_ptr_array_unref);
  g_clear_pointer (&self->sending_attachments, g_ptr_array_unref);
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->chat_selection);
  g_clear_object (&self->chats);
  g_clear_object (&self->messages);
  g_clear_object (&self->chat);
  g_clear_object (&self->project);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_chat_view_parent_class)->dispose (object);
}

static void
wr_chat_view_finalize (GObject *object)
{
  WrChatView *self = WR_CHAT_VIEW (object);

  g_clear_pointer (&self->pending_text, g_free);
  g_clear_pointer (&self->earlier, g_ptr_array_unref);

  G_OBJECT_CLASS (wr_chat_view_parent_class)->finalize (object);
}

static void
wr_chat_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WrChatView *self = WR_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, wr_chat_view_is_loading (self));
      break;
    case PROP_USE_KNOWLEDGE:
      g_value_set_boolean (value, self->chat != NULL && wr_chat_get_use_knowledge (self->chat));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_chat_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WrChatView *self = WR_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      wr_chat_view_set_project (self, g_value_get_object (value));
      break;
    case PROP_USE_KNOWLEDGE:
      wr_chat_view_set_use_knowledge (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_chat_view_class_init (WrChatViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wr_chat_view_constructed;
  object_class->dispose = wr_chat_view_dispose;
  object_class->finalize = wr_chat_view_finalize;
  object_class->get_property = wr_chat_view_get_property;
  object_class->set_property = wr_chat_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The open chat answers from the project's knowledge (saved with it). */
  properties[PROP_USE_KNOWLEDGE] =
    g_param_spec_boolean ("use-knowledge", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WR_TYPE_MESSAGE_ROW);
  g_type_ensure (WR_TYPE_MODEL_SELECTOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/chat/wr-chat-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrChatView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, chat_list_pane);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, conversation_pane);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, chat_list);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, title_label);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, menu_button);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, knowledge_pill);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, model_selector);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, conversation_stack);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, messages_scroller);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, message_list);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, error_label);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, composer);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, placeholder);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, send_stack);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, attachment_tray);
  gtk_widget_class_bind_template_child (widget_class, WrChatView, composer_area);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_error_dismiss_clicked_cb);

  gtk_widget_class_install_action (widget_class, "chat.new", NULL, chat_new_action);
  gtk_widget_class_install_action (widget_class, "chat.send", NULL, chat_send_action);
  gtk_widget_class_install_action (widget_class, "chat.stop", NULL, chat_stop_action);
  gtk_widget_class_install_action (widget_class, "chat.retry", NULL, chat_retry_action);
  gtk_widget_class_install_action (widget_class, "chat.delete", NULL, chat_delete_action);
  gtk_widget_class_install_action (widget_class, "chat.attach", NULL, chat_attach_action);
  gtk_widget_class_install_property_action (widget_class, "chat.use-knowledge", "use-knowledge");

  /* Escape stops a reply wherever the focus is in the page; when nothing
   * streams the action is disabled and the key goes on. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "chat.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "chat.attach", NULL);

  gtk_widget_class_set_css_name (widget_class, "chatview");

  g_type_ensure (WR_TYPE_ATTACHMENT_TRAY);
}

static void
wr_chat_view_init (WrChatView *self)
{
  GtkListItemFactory *factory;
  GtkEventController *keys;
  GtkAdjustment *vadj;

  wr_chat_view_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->project_cancellable = g_cancellable_new ();
  self->chat_cancellable = g_cancellable_new ();
  self->stick_to_bottom = TRUE;

  self->chats = g_list_store_new (WR_TYPE_CHAT);
  self->chat_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->chats)));
  gtk_single_selection_set_autoselect (self->chat_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->chat_selection, TRUE);
  g_signal_connect_object (self->chat_selection, "notify::selected-item",
                           G_CALLBACK (on_chat_selected_cb), self, G_CONNECT_SWAPPED);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_chat_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_chat_item_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_chat_item_unbind_cb), NULL);
  gtk_list_view_set_factory (self->chat_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->chat_list, GTK_SELECTION_MODEL (self->chat_selection));
  g_signal_connect_object (self->chat_list, "activate", G_CALLBACK (on_chat_list_activate_cb), self,
                           G_CONNECT_SWAPPED);

  self->messages = g_list_store_new (WR_TYPE_MESSAGE);
  self->earlier = g_ptr_array_new_with_free_func (g_object_unref);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_message_item_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_message_item_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_message_item_unbind_cb), self);
  gtk_list_view_set_factory (self->message_list, factory);
  g_object_unref (factory);
  {
    g_autoptr(GtkNoSelection) selection =
      gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->messages)));
    gtk_list_view_set_model (self->message_list, GTK_SELECTION_MODEL (selection));
  }

  vadj = gtk_scrolled_window_get_vadjustment (self->messages_scroller);
  g_signal_connect_object (vadj, "changed", G_CALLBACK (on_vadjustment_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (on_vadjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Capture: the text view would otherwise insert the newline first. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_composer_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->composer), keys);
  g_signal_connect_object (gtk_text_view_get_buffer (self->composer), "changed",
                           G_CALLBACK (on_composer_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->attachment_tray, "changed",
                           G_CALLBACK (wr_chat_view_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachment_tray, "error",
                           G_CALLBACK (on_attachment_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->composer, "paste-clipboard",
                           G_CALLBACK (on_composer_paste_cb), self, G_CONNECT_SWAPPED);

  /* Images dropped anywhere on the conversation go with the next message. */
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect_object (drop, "drop", G_CALLBACK (on_files_dropped_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (self->conversation_pane, GTK_EVENT_CONTROLLER (drop));
  }
}

/* API */

GtkWidget *
wr_chat_view_new (WrSession *session)
{
  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  return g_object_new (WR_TYPE_CHAT_VIEW, "session", session, NULL);
}

void
wr_chat_view_set_project (WrChatView *self,
                          WrProject  *project)
{
  g_return_if_fail (WR_IS_CHAT_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (project == self->project)
    return;
  if (project != NULL && self->project != NULL &&
      g_strcmp0 (wr_project_get_id (project), wr_project_get_id (self->project)) == 0)
    {
      g_set_object (&self->project, project);
      wr_model_selector_set_project (WR_MODEL_SELECTOR (self->model_selector), project);
      return;
    }

  g_cancellable_cancel (self->project_cancellable);
  g_clear_object (&self->project_cancellable);
  self->project_cancellable = g_cancellable_new ();
  self->creating_chat = FALSE;
  g_clear_pointer (&self->pending_text, g_free);

  g_set_object (&self->project, project);
  wr_model_selector_set_project (WR_MODEL_SELECTOR (self->model_selector), project);
  wr_chat_view_open_chat (self, NULL);
  self->selecting = TRUE;
  g_list_store_remove_all (self->chats);
  self->selecting = FALSE;
  wr_chat_view_hide_error (self);

  if (project != NULL)
    {
      wr_chat_view_set_loading (self, TRUE, FALSE);
      wr_store_list_chats_async (get_store (self), wr_project_get_id (project),
                                 self->project_cancellable, on_chats_loaded_cb, g_object_ref (self));
    }
  else
    wr_chat_view_set_loading (self, FALSE, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

WrProject *
wr_chat_view_get_project (WrChatView *self)
{
  g_return_val_if_fail (WR_IS_CHAT_VIEW (self), NULL);
  return self->project;
}

void
wr_chat_view_new_chat (WrChatView *self)
{
  g_return_if_fail (WR_IS_CHAT_VIEW (self));

  if (self->project == NULL)
    return;

  /* An open chat without messages is already a new chat. */
  if (self->chat != NULL && !self->loading_messages &&
      g_list_model_get_n_items (G_LIST_MODEL (self->messages)) == 0)
    {
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
      wr_chat_view_focus_composer (self);
      return;
    }

  wr_chat_view_create_chat (self, NULL, NULL);
}

void
wr_chat_view_focus_composer (WrChatView *self)
{
  g_return_if_fail (WR_IS_CHAT_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

/* Private API for tests */

WrAttachmentTray *
_wr_chat_view_get_attachment_tray (WrChatView *self)
{
  g_return_val_if_fail (WR_IS_CHAT_VIEW (self), NULL);

  return self->attachment_tray;
}

GListModel *
_wr_chat_view_get_chats (WrChatView *self)
{
  return G_LIST_MODEL (self->chats);
}

GListModel *
_wr_chat_view_get_messages (WrChatView *self)
{
  return G_LIST_MODEL (self->messages);
}

guint
_wr_chat_view_get_n_loaded_messages (WrChatView *self)
{
  return self->earlier->len + g_list_model_get_n_items (G_LIST_MODEL (self->messages));
}

WrChat *
_wr_chat_view_get_chat (WrChatView *self)
{
  return self->chat;
}

gboolean
_wr_chat_view_get_loading (WrChatView *self)
{
  return wr_chat_view_is_loading (self);
}

GtkWidget *
_wr_chat_view_get_message_list (WrChatView *self)
{
  return GTK_WIDGET (self->message_list);
}

void
_wr_chat_view_open_chat (WrChatView *self,
                         WrChat     *chat)
{
  wr_chat_view_select_chat (self, chat);
}
