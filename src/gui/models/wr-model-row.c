/* wr-model-row.c — one model in a model list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-model-row.h"

struct _WrModelRow
{
  GtkBox     parent_instance;

  gboolean   selected;
  gboolean   unavailable_choosable;

  /* template children */
  GtkLabel  *header;
  GtkWidget *body;
  GtkLabel  *title;
  GtkLabel  *caption;
  GtkWidget *check;
};

G_DEFINE_FINAL_TYPE (WrModelRow, wr_model_row, GTK_TYPE_BOX)

static void
set_caption (WrModelRow *self,
             const char *caption)
{
  gtk_label_set_text (self->caption, caption != NULL ? caption : "");
  gtk_widget_set_visible (GTK_WIDGET (self->caption), caption != NULL && *caption != '\0');
}

static void
wr_model_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WR_TYPE_MODEL_ROW);

  G_OBJECT_CLASS (wr_model_row_parent_class)->dispose (object);
}

static void
wr_model_row_class_init (WrModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_model_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/models/wr-model-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WrModelRow, header);
  gtk_widget_class_bind_template_child (widget_class, WrModelRow, body);
  gtk_widget_class_bind_template_child (widget_class, WrModelRow, title);
  gtk_widget_class_bind_template_child (widget_class, WrModelRow, caption);
  gtk_widget_class_bind_template_child (widget_class, WrModelRow, check);
}

static void
wr_model_row_init (WrModelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wr_model_row_new (void)
{
  return g_object_new (WR_TYPE_MODEL_ROW, NULL);
}

void
wr_model_row_set_info (WrModelRow  *self,
                       WrModelInfo *info)
{
  g_autofree char *caption = NULL;
  g_autofree char *tooltip = NULL;
  gboolean available;

  g_return_if_fail (WR_IS_MODEL_ROW (self));
  g_return_if_fail (info == NULL || WR_IS_MODEL_INFO (info));

  if (info == NULL)
    {
      wr_model_row_set_text (self, "", NULL);
      return;
    }

  available = wr_model_info_get_available (info);
  gtk_label_set_text (self->title, wr_model_info_get_name (info));

  if (available)
    {
      g_autofree char *price = wr_model_info_dup_price_label (info);

      if (wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_VISION))
        /* TRANSLATORS: a price, then a capability: "0.15 in · 0.60 out per 1M tokens · Sees images" */
        caption = g_strdup_printf (_("%s · Sees images"), price);
      else if (!wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_CHAT))
        /* TRANSLATORS: a price, then what the model is for */
        caption = g_strdup_printf (_("%s · Embeddings only"), price);
      else
        caption = g_steal_pointer (&price);
      tooltip = wr_model_info_dup_capabilities_label (info);
    }
  else
    {
      caption = g_strdup (wr_model_info_get_reason (info));
      tooltip = g_strdup (wr_model_info_get_detail (info));
    }

  set_caption (self, caption);
  gtk_widget_set_tooltip_text (self->body, tooltip);
  gtk_widget_set_sensitive (self->body, available || self->unavailable_choosable);
  if (available)
    gtk_widget_remove_css_class (GTK_WIDGET (self->title), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->title), "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, caption != NULL ? caption : "",
                                  -1);
}

void
wr_model_row_set_text (WrModelRow *self,
                       const char *title,
                       const char *caption)
{
  g_return_if_fail (WR_IS_MODEL_ROW (self));

  gtk_label_set_text (self->title, title != NULL ? title : "");
  set_caption (self, caption);
  gtk_widget_set_tooltip_text (self->body, NULL);
  gtk_widget_set_sensitive (self->body, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->title), "dim-label");
}

void
wr_model_row_set_unavailable_choosable (WrModelRow *self,
                                        gboolean    choosable)
{
  g_return_if_fail (WR_IS_MODEL_ROW (self));

  self->unavailable_choosable = !!choosable;
}

void
wr_model_row_set_header (WrModelRow *self,
                         const char *header)
{
  g_return_if_fail (WR_IS_MODEL_ROW (self));

  gtk_label_set_text (self->header, header != NULL ? header : "");
  gtk_widget_set_visible (GTK_WIDGET (self->header), header != NULL);
}

void
wr_model_row_set_selected (WrModelRow *self,
                           gboolean    selected)
{
  g_return_if_fail (WR_IS_MODEL_ROW (self));

  self->selected = !!selected;
  gtk_widget_set_opacity (self->check, selected ? 1.0 : 0.0);
}

gboolean
wr_model_row_get_selected (WrModelRow *self)
{
  g_return_val_if_fail (WR_IS_MODEL_ROW (self), FALSE);
  return self->selected;
}
