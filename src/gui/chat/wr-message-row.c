/* wr-message-row.c — one message of the conversation. */
#include <glib/gi18n.h>

#include "wr-message-row.h"
#include "wr-message-row-private.h"
#include "wr-message-artifacts.h"
#include "wr-chat-view.h"
#include "wr-markdown-view.h"
#include "wr-thumbnail.h"
#include "wr-citations-bar.h"
#include "chat/wr-knowledge-context.h"

/* Pictures of a message are at most this tall (pixels). */
#define IMAGE_HEIGHT 160

struct _WrMessageRow
{
  GtkWidget           parent_instance;

  WrProviderRegistry *providers;   /* owned, nullable */
  WrMessage          *message;     /* owned, nullable */
  GListModel         *messages;    /* owned, nullable */
  WrThumbnailCache   *thumbnails;  /* owned, nullable */
  guint               tick_id;
  guint               has_images : 1;

  /* template children */
  GtkWidget          *clamp;
  GtkWidget          *box;
  GtkWidget          *bubble;
  GtkWidget          *spinner;
  GtkWidget          *images_box;
  WrMarkdownView     *markdown;
  GtkWidget          *status_box;
  GtkImage           *status_icon;
  GtkLabel           *status_label;
  GtkWidget          *route_box;
  GtkLabel           *route_label;
  WrCitationsBar     *citations_bar;
  GtkWidget          *footer;
  GtkLabel           *caption;
  GtkWidget          *copy_button;
  GtkWidget          *retry_button;
  GtkWidget          *save_button;
  WrStore            *artifact_store;    /* owned, nullable: tests; else the chat view's */
  GCancellable       *save_cancellable;  /* owned, nullable: a Save as Artifact running */
};

G_DEFINE_FINAL_TYPE (WrMessageRow, wr_message_row, GTK_TYPE_WIDGET)

static gboolean
is_role (WrMessage  *message,
         const char *role)
{
  return g_strcmp0 (wr_message_get_role (message), role) == 0;
}

static void
wr_message_row_render (WrMessageRow *self)
{
  WrMessageStatus status = wr_message_get_status (self->message);
  gboolean streaming = status == WR_MESSAGE_STATUS_STREAMING;
  gboolean empty = wr_message_get_content_length (self->message) == 0;

  wr_markdown_view_set_text (self->markdown, wr_message_get_content (self->message), !streaming);
  gtk_widget_set_visible (GTK_WIDGET (self->markdown), !empty || streaming);
  gtk_widget_set_visible (self->spinner, streaming && empty);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), streaming && empty);
  gtk_widget_set_visible (self->bubble, !empty || streaming || self->has_images);
}

static void
wr_message_row_update_images (WrMessageRow *self)
{
  GPtrArray *items = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->images_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->images_box), child);

  if (self->thumbnails != NULL && self->message != NULL)
    items = wr_thumbnail_cache_lookup (self->thumbnails, wr_message_get_id (self->message));

  self->has_images = items != NULL && items->len > 0;
  for (guint i = 0; self->has_images && i < items->len; i++)
    {
      WrThumbnailItem *item = g_ptr_array_index (items, i);
      GdkTexture *texture = wr_thumbnail_item_get_texture (item);
      g_autofree char *size = g_format_size (wr_thumbnail_item_get_size (item));
      g_autofree char *description = g_strdup_printf (_("%s, %s"), wr_thumbnail_item_get_name (item), size);
      GtkWidget *picture;

      if (texture != NULL)
        {
          int width = gdk_texture_get_width (texture);
          int height = gdk_texture_get_height (texture);

          picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
          gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
          gtk_widget_set_size_request (picture,
                                       height > IMAGE_HEIGHT ? width * IMAGE_HEIGHT / height : width,
                                       MIN (height, IMAGE_HEIGHT));
        }
      else
        {
          picture = gtk_image_new_from_icon_name ("image-missing-symbolic");
          gtk_image_set_pixel_size (GTK_IMAGE (picture), 48);
        }

      gtk_widget_add_css_class (picture, "message-image");
      gtk_widget_set_tooltip_text (picture, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
      gtk_box_append (GTK_BOX (self->images_box), picture);
    }

  gtk_widget_set_visible (self->images_box, self->has_images);
  if (self->message != NULL)
    wr_message_row_render (self);
}

static void
on_thumbnails_loaded_cb (WrMessageRow *self,
                         const char   *message_id)
{
  if (self->message != NULL && g_strcmp0 (wr_message_get_id (self->message), message_id) == 0)
    wr_message_row_update_images (self);
}

void
wr_message_row_set_thumbnail_cache (WrMessageRow     *self,
                                    WrThumbnailCache *cache)
{
  g_return_if_fail (WR_IS_MESSAGE_ROW (self));

  if (self->thumbnails != NULL)
    g_signal_handlers_disconnect_by_data (self->thumbnails, self);
  g_set_object (&self->thumbnails, cache);
  if (cache != NULL)
    g_signal_connect_object (cache, "loaded", G_CALLBACK (on_thumbnails_loaded_cb), self,
                             G_CONNECT_SWAPPED);
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *frame_clock,
            gpointer       user_data)
{
  WrMessageRow *self = WR_MESSAGE_ROW (widget);

  self->tick_id = 0;
  if (self->message != NULL)
    wr_message_row_render (self);
  return G_SOURCE_REMOVE;
}

static void
wr_message_row_queue_render (WrMessageRow *self)
{
  /* Pieces arrive far more often than frames: render once per frame. */
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick_cb, NULL, NULL);
}

static void
wr_message_row_cancel_render (WrMessageRow *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static gboolean
wr_message_row_is_last (WrMessageRow *self)
{
  guint n;
  g_autoptr(WrMessage) last = NULL;

  if (self->messages == NULL || (n = g_list_model_get_n_items (self->messages)) == 0)
    return FALSE;

  last = g_list_model_get_item (self->messages, n - 1);
  return last == self->message;
}

static void
wr_message_row_update_retry (WrMessageRow *self)
{
  gboolean visible = self->message != NULL &&
                     is_role (self->message, "assistant") &&
                     wr_message_get_status (self->message) != WR_MESSAGE_STATUS_STREAMING &&
                     wr_message_row_is_last (self);

  gtk_widget_set_visible (self->retry_button, visible);
}

static void
wr_message_row_update_caption (WrMessageRow *self)
{
  g_autoptr(GString) caption = g_string_new (NULL);
  g_autoptr(GDateTime) created = NULL;
  const char *model = wr_message_get_model (self->message);
  const char *provider_id = wr_message_get_provider_id (self->message);
  gint64 in = wr_message_get_input_tokens (self->message);
  gint64 out = wr_message_get_output_tokens (self->message);
  gint64 created_at = wr_message_get_created_at (self->message);

  if (is_role (self->message, "assistant"))
    {
      WrProvider *provider = NULL;

      if (model != NULL && model[0] != '\0')
        g_string_append (caption, model);

      if (self->providers != NULL && provider_id != NULL)
        provider = wr_provider_registry_lookup (self->providers, provider_id);
      if (provider != NULL && wr_provider_get_name (provider) != NULL)
        {
          if (caption->len > 0)
            g_string_append (caption, " · ");
          g_string_append (caption, wr_provider_get_name (provider));
        }

      if (in >= 0 && out >= 0)
        {
          g_autofree char *in_text = g_strdup_printf ("%" G_GINT64_FORMAT, in);
          g_autofree char *out_text = g_strdup_printf ("%" G_GINT64_FORMAT, out);

          if (caption->len > 0)
            g_string_append (caption, " · ");
          /* Translators: token counts of one answer: tokens sent, tokens received */
          g_string_append_printf (caption, _("%s in / %s out tokens"), in_text, out_text);
        }
      else if (out >= 0)
        {
          g_autofree char *out_text = g_strdup_printf ("%" G_GINT64_FORMAT, out);

          if (caption->len > 0)
            g_string_append (caption, " · ");
          g_string_append_printf (caption, ngettext ("%s token", "%s tokens", (gulong) out), out_text);
        }
    }

  gtk_label_set_text (self->caption, caption->str);
  gtk_widget_set_visible (GTK_WIDGET (self->caption), caption->len > 0);

  if (created_at > 0 && (created = g_date_time_new_from_unix_local (created_at / G_USEC_PER_SEC)) != NULL)
    {
      g_autofree char *when = g_date_time_format (created, "%c");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->caption), when);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->caption), NULL);
}

/* After a failover (or a retry), the router's one-line note says who
 * answered and why, and a chat with knowledge says when the documents
 * could not be used: shown under the answer, in full in the tooltip. */
static void
wr_message_row_update_route (WrMessageRow *self)
{
  const char *note = wr_message_get_route_note (self->message);
  gboolean visible = note != NULL && note[0] != '\0' && is_role (self->message, "assistant");
  g_autofree char *described = NULL;

  gtk_widget_set_visible (self->route_box, visible);
  if (!visible)
    return;

  /* TRANSLATORS: shown on hover over the note under an answer (another
   * provider answered, or the project's documents could not be used);
   * %s is the note */
  described = g_strdup_printf (_("About this answer: %s"), note);
  gtk_label_set_text (self->route_label, note);
  gtk_widget_set_tooltip_text (self->route_box, described);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->route_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, described,
                                  -1);
}

/* The chat service records why a reply ended in the message's error text;
 * a Stop by the user is one of its own (translated) sentences, or no text
 * at all. */
static gboolean
stopped_by_user (const char *error)
{
  return error == NULL || error[0] == '\0' ||
         g_str_equal (error, g_dgettext (GETTEXT_PACKAGE, "Stopped. The partial answer was kept.")) ||
         g_str_equal (error, g_dgettext (GETTEXT_PACKAGE, "Stopped before the model answered."));
}

static void
wr_message_row_update_status (WrMessageRow *self)
{
  WrMessageStatus status = wr_message_get_status (self->message);
  const char *error = wr_message_get_error (self->message);

  gtk_widget_remove_css_class (self->status_box, "error");
  gtk_widget_remove_css_class (self->status_box, "warning");
  gtk_widget_remove_css_class (self->status_box, "dim-label");
  gtk_widget_set_tooltip_text (self->status_box, NULL);

  switch (status)
    {
    case WR_MESSAGE_STATUS_PARTIAL:
      gtk_widget_set_visible (self->status_box, TRUE);
      if (stopped_by_user (error))
        {
          gtk_image_set_from_icon_name (self->status_icon, "media-playback-stop-symbolic");
          gtk_label_set_text (self->status_label, _("Stopped — partial answer"));
          gtk_widget_add_css_class (self->status_box, "dim-label");
        }
      else
        {
          gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
          gtk_label_set_text (self->status_label, _("Connection lost — partial answer"));
          gtk_widget_set_tooltip_text (self->status_box, error);
          gtk_widget_add_css_class (self->status_box, "warning");
        }
      break;

    case WR_MESSAGE_STATUS_ERROR:
      gtk_widget_set_visible (self->status_box, TRUE);
      if (error != NULL && error[0] != '\0' && stopped_by_user (error))
        {
          gtk_image_set_from_icon_name (self->status_icon, "media-playback-stop-symbolic");
          gtk_label_set_text (self->status_label, _("Stopped before the model answered"));
          gtk_widget_add_css_class (self->status_box, "dim-label");
          break;
        }
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_label_set_text (self->status_label,
                          error != NULL && error[0] != '\0'
                            ? error
                            : _("The answer could not be fetched. Try again."));
      gtk_widget_add_css_class (self->status_box, "error");
      break;

    case WR_MESSAGE_STATUS_STREAMING:
    case WR_MESSAGE_STATUS_COMPLETE:
    default:
      gtk_widget_set_visible (self->status_box, FALSE);
      break;
    }

  /* Nothing to copy from a failed or still empty answer. */
  gtk_widget_set_visible (self->copy_button,
                          wr_message_get_content_length (self->message) > 0 &&
                          status != WR_MESSAGE_STATUS_STREAMING);
  /* Save as Artifact: answers only, once complete. */
  gtk_widget_set_visible (self->save_button,
                          is_role (self->message, "assistant") &&
                          wr_message_get_content_length (self->message) > 0 &&
                          status != WR_MESSAGE_STATUS_STREAMING);
  wr_message_row_update_retry (self);
}

static WrStore *wr_message_row_get_artifact_store (WrMessageRow *self);

/* The numbered sources under a knowledge answer. */
static void
wr_message_row_update_citations (WrMessageRow *self)
{
  const char *json = self->message != NULL ? wr_message_get_citations (self->message) : NULL;

  g_autoptr(GPtrArray) citations = wr_citations_parse (json);

  wr_citations_bar_set_citations (self->citations_bar,
                                  json != NULL ? wr_message_row_get_artifact_store (self) : NULL, json);
  wr_markdown_view_set_n_citations (self->markdown, citations->len);
}

static void
on_citation_activated_cb (WrMessageRow *self,
                          guint         n)
{
  wr_citations_bar_open_source (self->citations_bar, n);
}

static void
on_message_notify_cb (WrMessageRow *self,
                      GParamSpec   *pspec,
                      WrMessage    *message)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "content"))
    wr_message_row_queue_render (self);
  else if (g_str_equal (name, "status") || g_str_equal (name, "error"))
    {
      wr_message_row_cancel_render (self);
      wr_message_row_render (self);
      wr_message_row_update_status (self);
      wr_message_row_update_caption (self);
    }
  else if (g_str_equal (name, "model") || g_str_equal (name, "provider-id") ||
           g_str_equal (name, "input-tokens") || g_str_equal (name, "output-tokens"))
    wr_message_row_update_caption (self);
  else if (g_str_equal (name, "route-note"))
    wr_message_row_update_route (self);
  else if (g_str_equal (name, "citations"))
    wr_message_row_update_citations (self);
}

static void
on_messages_items_changed_cb (WrMessageRow *self,
                              guint         position,
                              guint         removed,
                              guint         added,
                              GListModel   *model)
{
  wr_message_row_update_retry (self);
}

static void
on_copy_clicked_cb (WrMessageRow *self,
                    GtkButton    *button)
{
  if (self->message == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          wr_message_get_content (self->message));
}

/* Save as Artifact */

static WrStore *
wr_message_row_get_artifact_store (WrMessageRow *self)
{
  GtkWidget *chat_view;
  g_autoptr(WrSession) session = NULL;

  if (self->artifact_store != NULL)
    return self->artifact_store;
  chat_view = gtk_widget_get_ancestor (GTK_WIDGET (self), WR_TYPE_CHAT_VIEW);
  if (chat_view == NULL)
    return NULL;
  g_object_get (chat_view, "session", &session, NULL);
  return session != NULL ? wr_session_get_store (session) : NULL;   /* the session keeps it */
}

static void
wr_message_row_toast (WrMessageRow *self,
                      AdwToast     *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
on_artifact_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WrMessageRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) artifact = _wr_message_artifacts_save_finish (result, &error);
  AdwToast *toast;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->save_cancellable);
  if (artifact == NULL)
    {
      g_autofree char *text = g_markup_printf_escaped (_("Could not save the artifact: %s"), error->message);
      wr_message_row_toast (self, adw_toast_new (text));
      return;
    }

  toast = adw_toast_new (_("Saved to Artifacts"));
  adw_toast_set_button_label (toast, _("_Show"));
  /* The window switches to the Artifacts page and selects it. */
  adw_toast_set_action_name (toast, "win.show-artifact");
  adw_toast_set_action_target_value (toast, g_variant_new_string (wr_artifact_get_id (artifact)));
  wr_message_row_toast (self, toast);
}

static void
wr_message_row_save_artifact (WrMessageRow *self,
                              int           block)
{
  WrStore *store = wr_message_row_get_artifact_store (self);

  if (self->message == NULL || store == NULL)
    return;

  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  self->save_cancellable = g_cancellable_new ();
  _wr_message_artifacts_save_async (store, self->message, block, self->save_cancellable,
                                    on_artifact_saved, g_object_ref (self));
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  wr_message_row_save_artifact (WR_MESSAGE_ROW (widget), -1);
}

static void
save_code_block_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  wr_message_row_save_artifact (WR_MESSAGE_ROW (widget), (int) MIN (g_variant_get_uint32 (parameter), G_MAXINT));
}

/* The menu lists the code blocks of the message as it is when opened. */
static void
create_save_menu (GtkMenuButton *button,
                  gpointer       user_data)
{
  WrMessageRow *self = user_data;
  g_autoptr(GMenuModel) menu = NULL;

  if (self->message == NULL)
    return;
  menu = _wr_message_artifacts_build_menu (wr_message_get_content (self->message));
  gtk_menu_button_set_menu_model (button, menu);
}

static void
wr_message_row_dispose (GObject *object)
{
  WrMessageRow *self = WR_MESSAGE_ROW (object);

  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  g_clear_object (&self->artifact_store);

  wr_message_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_MESSAGE_ROW);
  g_clear_object (&self->providers);
  g_clear_object (&self->thumbnails);

  G_OBJECT_CLASS (wr_message_row_parent_class)->dispose (object);
}

static void
wr_message_row_class_init (WrMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_message_row_dispose;

  g_type_ensure (WR_TYPE_MARKDOWN_VIEW);
  g_type_ensure (WR_TYPE_CITATIONS_BAR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "message-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/chat/wr-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, clamp);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, images_box);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, markdown);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, route_box);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, route_label);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, citations_bar);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, footer);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, caption);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, WrMessageRow, save_button);
  gtk_widget_class_install_action (widget_class, "message.save-report", NULL, save_report_action);
  gtk_widget_class_install_action (widget_class, "message.save-code-block", "u", save_code_block_action);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked_cb);
}

static void
wr_message_row_init (WrMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->markdown, "citation-activated", G_CALLBACK (on_citation_activated_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->save_button), create_save_menu, self, NULL);
}

GtkWidget *
wr_message_row_new (WrProviderRegistry *providers)
{
  WrMessageRow *self = g_object_new (WR_TYPE_MESSAGE_ROW, NULL);

  g_set_object (&self->providers, providers);
  return GTK_WIDGET (self);
}

void
wr_message_row_bind (WrMessageRow *self,
                     WrMessage    *message,
                     GListModel   *messages)
{
  gboolean user;

  g_return_if_fail (WR_IS_MESSAGE_ROW (self));
  g_return_if_fail (WR_IS_MESSAGE (message));

  wr_message_row_unbind (self);

  self->message = g_object_ref (message);
  g_set_object (&self->messages, messages);

  user = is_role (message, "user");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "user");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "assistant");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "system");
  gtk_widget_add_css_class (GTK_WIDGET (self),
                            user ? "user" : is_role (message, "system") ? "system" : "assistant");
  gtk_widget_set_halign (self->bubble, user ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_widget_set_halign (self->footer, user ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_widget_set_margin_start (self->box, user ? 48 : 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  user ? _("Your message") : _("Answer"),
                                  -1);

  g_signal_connect_object (message, "notify", G_CALLBACK (on_message_notify_cb), self,
                           G_CONNECT_SWAPPED);
  if (messages != NULL)
    g_signal_connect_object (messages, "items-changed", G_CALLBACK (on_messages_items_changed_cb),
                             self, G_CONNECT_SWAPPED);

  wr_message_row_update_images (self);
  wr_message_row_update_status (self);
  wr_message_row_update_caption (self);
  wr_message_row_update_route (self);
  wr_message_row_update_citations (self);
}

void
wr_message_row_unbind (WrMessageRow *self)
{
  g_return_if_fail (WR_IS_MESSAGE_ROW (self));

  wr_message_row_cancel_render (self);
  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_data (self->messages, self);
  g_clear_object (&self->message);
  g_clear_object (&self->messages);
}

WrMessage *
wr_message_row_get_message (WrMessageRow *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE_ROW (self), NULL);
  return self->message;
}

void
_wr_message_row_set_artifact_store (WrMessageRow *self,
                                    WrStore      *store)
{
  g_return_if_fail (WR_IS_MESSAGE_ROW (self));
  g_set_object (&self->artifact_store, store);
}

GMenuModel *
_wr_message_row_get_save_menu (WrMessageRow *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE_ROW (self), NULL);
  if (self->message == NULL)
    return NULL;
  return _wr_message_artifacts_build_menu (wr_message_get_content (self->message));
}

gboolean
_wr_message_row_get_can_save (WrMessageRow *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE_ROW (self), FALSE);
  return gtk_widget_get_visible (self->save_button);
}

gboolean
_wr_message_row_get_saving (WrMessageRow *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE_ROW (self), FALSE);
  return self->save_cancellable != NULL;
}
