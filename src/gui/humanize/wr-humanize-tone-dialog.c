/* wr-humanize-tone-dialog.c — name + instructions of a user tone. */
#include <glib/gi18n.h>

#include "wr-humanize-tone-dialog.h"

struct _WrHumanizeToneDialog
{
  AdwMessageDialog  parent_instance;

  GListModel       *tones;   /* owned */
  WrHumanizeTone   *tone;    /* owned, nullable: the one edited */

  /* template children */
  GtkEntry         *name_entry;
  GtkTextView      *instructions_view;
  GtkWidget        *instructions_placeholder;
  GtkLabel         *problem_label;
};

G_DEFINE_FINAL_TYPE (WrHumanizeToneDialog, wr_humanize_tone_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_str_equal (fa, fb);
}

/* The other tone called @name (transfer none), or NULL. */
static WrHumanizeTone *
find_clash (WrHumanizeToneDialog *self,
            const char           *name)
{
  guint n = g_list_model_get_n_items (self->tones);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrHumanizeTone) tone = g_list_model_get_item (self->tones, i);

      if (self->tone != NULL &&
          g_strcmp0 (wr_humanize_tone_get_id (tone), wr_humanize_tone_get_id (self->tone)) == 0)
        continue;

      if (same_name (wr_humanize_tone_get_name (tone), name) ||
          (wr_humanize_tone_get_builtin (tone) && same_name (wr_humanize_tone_get_id (tone), name)))
        return tone;   /* the model keeps it alive */
    }

  return NULL;
}

static void
update_response (WrHumanizeToneDialog *self)
{
  g_autofree char *name = wr_humanize_tone_dialog_dup_name (self);
  g_autofree char *instructions = wr_humanize_tone_dialog_dup_instructions (self);
  WrHumanizeTone *clash = name[0] != '\0' ? find_clash (self, name) : NULL;

  gtk_widget_set_visible (self->instructions_placeholder,
                          gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->instructions_view)) == 0);

  if (clash != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("There is already a tone called “%s”. Choose another name."),
                                               wr_humanize_tone_get_name (clash));
      gtk_label_set_text (self->problem_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), clash != NULL);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save",
                                           name[0] != '\0' && instructions[0] != '\0' && clash == NULL);
}

static void
wr_humanize_tone_dialog_dispose (GObject *object)
{
  WrHumanizeToneDialog *self = WR_HUMANIZE_TONE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_HUMANIZE_TONE_DIALOG);
  g_clear_object (&self->tones);
  g_clear_object (&self->tone);

  G_OBJECT_CLASS (wr_humanize_tone_dialog_parent_class)->dispose (object);
}

static void
wr_humanize_tone_dialog_class_init (WrHumanizeToneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_humanize_tone_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/humanize/wr-humanize-tone-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeToneDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeToneDialog, instructions_view);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeToneDialog, instructions_placeholder);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeToneDialog, problem_label);
}

static void
wr_humanize_tone_dialog_init (WrHumanizeToneDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->name_entry, "changed",
                           G_CALLBACK (update_response), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->instructions_view), "changed",
                           G_CALLBACK (update_response), self, G_CONNECT_SWAPPED);
}

GtkWidget *
wr_humanize_tone_dialog_new (GtkWindow      *parent,
                             GListModel     *tones,
                             WrHumanizeTone *tone)
{
  WrHumanizeToneDialog *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (tones), NULL);
  g_return_val_if_fail (tone == NULL || WR_IS_HUMANIZE_TONE (tone), NULL);

  self = g_object_new (WR_TYPE_HUMANIZE_TONE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->tones = g_object_ref (tones);

  if (tone != NULL)
    {
      self->tone = g_object_ref (tone);
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Edit Tone"));
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "save", _("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), wr_humanize_tone_get_name (tone));
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->instructions_view),
                                wr_humanize_tone_get_instructions (tone), -1);
    }

  update_response (self);
  return GTK_WIDGET (self);
}

WrHumanizeTone *
wr_humanize_tone_dialog_get_tone (WrHumanizeToneDialog *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE_DIALOG (self), NULL);
  return self->tone;
}

char *
wr_humanize_tone_dialog_dup_name (WrHumanizeToneDialog *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
}

char *
wr_humanize_tone_dialog_dup_instructions (WrHumanizeToneDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (WR_IS_HUMANIZE_TONE_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->instructions_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}
