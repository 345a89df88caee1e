/* wr-attachment-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-attachment-tray.h"
#include "wr-thumbnail.h"

#define CHIP_SIZE 56

struct _WrAttachmentTray
{
  GtkWidget     parent_instance;

  GtkWidget    *scroller;     /* our only child */
  GtkWidget    *box;          /* the chips */
  GPtrArray    *items;        /* WrAttachment, in order */
  GCancellable *cancellable;
  guint         reading;      /* files being read */
};

G_DEFINE_FINAL_TYPE (WrAttachmentTray, wr_attachment_tray, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ERROR,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
tray_changed (WrAttachmentTray *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), self->items->len > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_remove_clicked_cb (GtkButton        *button,
                      WrAttachmentTray *self)
{
  GtkWidget *chip = g_object_get_data (G_OBJECT (button), "chip");
  WrAttachment *attachment = g_object_get_data (G_OBJECT (chip), "attachment");

  g_ptr_array_remove (self->items, attachment);
  gtk_box_remove (GTK_BOX (self->box), chip);
  tray_changed (self);
}

static void
on_thumbnail_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkImage) image = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = wr_thumbnail_new_finish (result, &error);
  if (texture != NULL)
    gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
}

static char *
describe_attachment (WrAttachment *attachment)
{
  g_autofree char *size = g_format_size (wr_attachment_get_size (attachment));

  /* Translators: an attached image: "photo.jpg, 2.1 MB" */
  return g_strdup_printf (_("%s, %s"), wr_attachment_get_name (attachment), size);
}

static GtkWidget *
chip_new (WrAttachmentTray *self,
          WrAttachment     *attachment)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  /* A GtkImage keeps every chip the same square, whatever the picture's
   * shape. */
  GtkWidget *picture = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *description = describe_attachment (attachment);
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), wr_attachment_get_name (attachment));

  gtk_image_set_pixel_size (GTK_IMAGE (picture), CHIP_SIZE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_set_tooltip_text (overlay, description);
  gtk_frame_set_child (GTK_FRAME (frame), picture);
  gtk_widget_add_css_class (frame, "attachment-chip");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), frame);

  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_add_css_class (remove, "osd");
  gtk_widget_add_css_class (remove, "attachment-remove");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), remove);

  g_object_set_data_full (G_OBJECT (overlay), "attachment", g_object_ref (attachment), g_object_unref);
  g_object_set_data (G_OBJECT (remove), "chip", overlay);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);

  wr_thumbnail_new_async (wr_attachment_get_data (attachment), CHIP_SIZE * 2, self->cancellable,
                          on_thumbnail_cb, g_object_ref (picture));

  return overlay;
}

void
wr_attachment_tray_add (WrAttachmentTray *self,
                        WrAttachment     *attachment)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (WR_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (WR_IS_ATTACHMENT (attachment));

  if (self->items->len >= WR_ATTACHMENT_MAX_PER_MESSAGE)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("A message can carry at most %d image.",
                                   "A message can carry at most %d images.",
                                   WR_ATTACHMENT_MAX_PER_MESSAGE),
                         WR_ATTACHMENT_MAX_PER_MESSAGE);
      g_signal_emit (self, signals[ERROR], 0, message);
      return;
    }

  if (!wr_attachment_check (attachment, &error))
    {
      g_signal_emit (self, signals[ERROR], 0, error->message);
      return;
    }

  g_ptr_array_add (self->items, g_object_ref (attachment));
  gtk_box_append (GTK_BOX (self->box), chip_new (self, attachment));
  tray_changed (self);
}

static void
on_file_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WrAttachmentTray) self = user_data;
  g_autoptr(WrAttachment) attachment = NULL;
  g_autoptr(GError) error = NULL;

  self->reading--;
  attachment = wr_attachment_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (attachment == NULL)
    g_signal_emit (self, signals[ERROR], 0, error->message);
  else
    wr_attachment_tray_add (self, attachment);
}

void
wr_attachment_tray_add_files (WrAttachmentTray *self,
                              GListModel       *files)
{
  guint n;

  g_return_if_fail (WR_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  n = g_list_model_get_n_items (files);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);

      self->reading++;
      wr_attachment_load_async (file, self->cancellable, on_file_loaded_cb, g_object_ref (self));
    }
}

guint
wr_attachment_tray_get_n_items (WrAttachmentTray *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT_TRAY (self), 0);

  return self->items->len;
}

GPtrArray *
wr_attachment_tray_take (WrAttachmentTray *self)
{
  GPtrArray *taken;
  GtkWidget *child;

  g_return_val_if_fail (WR_IS_ATTACHMENT_TRAY (self), NULL);

  if (self->items->len == 0)
    return NULL;

  taken = g_steal_pointer (&self->items);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  tray_changed (self);

  return taken;
}

void
wr_attachment_tray_restore (WrAttachmentTray *self,
                            GPtrArray        *attachments)
{
  g_return_if_fail (WR_IS_ATTACHMENT_TRAY (self));

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    wr_attachment_tray_add (self, g_ptr_array_index (attachments, i));
}

static void
wr_attachment_tray_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WrAttachmentTray *self = WR_ATTACHMENT_TRAY (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_attachment_tray_dispose (GObject *object)
{
  WrAttachmentTray *self = WR_ATTACHMENT_TRAY (object);

  g_cancellable_cancel (self->cancellable);
  self->box = NULL;
  g_clear_pointer (&self->scroller, gtk_widget_unparent);

  G_OBJECT_CLASS (wr_attachment_tray_parent_class)->dispose (object);
}

static void
wr_attachment_tray_finalize (GObject *object)
{
  WrAttachmentTray *self = WR_ATTACHMENT_TRAY (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (wr_attachment_tray_parent_class)->finalize (object);
}

static void
wr_attachment_tray_class_init (WrAttachmentTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wr_attachment_tray_get_property;
  object_class->dispose = wr_attachment_tray_dispose;
  object_class->finalize = wr_attachment_tray_finalize;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "attachment-tray");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wr_attachment_tray_init (WrAttachmentTray *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();

  self->scroller = gtk_scrolled_window_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->box);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Images to send"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
wr_attachment_tray_new (void)
{
  return g_object_new (WR_TYPE_ATTACHMENT_TRAY, NULL);
}
