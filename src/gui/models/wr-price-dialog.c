/* wr-price-dialog.c — one model's price and capabilities.
 *
 * Only what the user changed is written: saving the prices shown unchanged
 * adds no row of its own to the price table, and capabilities left as
 * guessed stay guessed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-price-dialog.h"
#include "wr-price-dialog-private.h"
#include "wr-price-editing-private.h"

struct _WrPriceDialog
{
  AdwWindow            parent_instance;

  WrBilling           *billing;       /* owned */
  WrModelInfo         *info;          /* owned */
  GCancellable        *cancellable;   /* owned */
  guint                busy : 1;
  guint                own_row : 1;   /* the price table has a row for this model's name */
  guint                price_tried : 1; /* the running save writes a price */

  /* template children (not the content: AdwWindow unparents it) */
  AdwToastOverlay     *toasts;
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkStack            *save_stack;
  AdwPreferencesGroup *price_group;
  AdwEntryRow         *input_row;
  AdwEntryRow         *output_row;
  GtkLabel            *price_error;
  AdwPreferencesGroup *capabilities_group;
  GtkCheckButton      *chat_check;
  GtkCheckButton      *vision_check;
  GtkCheckButton      *embeddings_check;
  GtkLabel            *capabilities_error;
  GtkWidget           *reset_group;
  GtkWidget           *reset_button;
};

G_DEFINE_FINAL_TYPE (WrPriceDialog, wr_price_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mark_invalid (GtkWidget  *widget,
              const char *message)
{
  if (message != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message != NULL ? message : "",
                                  -1);
}

static void
set_label (GtkLabel   *label,
           const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* @row: the entry at fault (NULL: both prices, as for an amount the
 * price table refuses). */
static void
show_price_error (WrPriceDialog *self,
                  AdwEntryRow   *row,
                  const char    *message)
{
  set_label (self->price_error, message);
  mark_invalid (GTK_WIDGET (self->input_row),
                message != NULL && (row == NULL || row == self->input_row) ? message : NULL);
  mark_invalid (GTK_WIDGET (self->output_row),
                message != NULL && (row == NULL || row == self->output_row) ? message : NULL);
}

static void
show_capabilities_error (WrPriceDialog *self,
                         const char    *message)
{
  set_label (self->capabilities_error, message);
}

static void
set_busy (WrPriceDialog *self,
          gboolean       busy)
{
  self->busy = !!busy;
  gtk_stack_set_visible_child_name (self->save_stack, busy ? "busy" : "save");
  gtk_widget_set_sensitive (GTK_WIDGET (self->price_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->capabilities_group), !busy);
  gtk_widget_set_sensitive (self->cancel_button, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "price.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "price.reset", !busy);
}

/* Credits per million tokens, exactly: "2.50", "0.075", "3" ("2,50" too,
 * as typed where the comma is the decimal mark). */
static gboolean
parse_price (AdwEntryRow  *row,
             const char   *what,
             gint64       *out_micros,
             char        **out_message)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  char *comma = strchr (text, ',');

  if (comma != NULL && strchr (text, '.') == NULL && strchr (comma + 1, ',') == NULL)
    *comma = '.';

  if (*text == '\0')
    /* TRANSLATORS: %s is "Input price" or "Output price" */
    *out_message = g_strdup_printf (_("%s: enter an amount such as 2.50, or 0 for a free model."), what);
  else if (*text == '-')
    /* TRANSLATORS: %s is "Input price" or "Output price" */
    *out_message = g_strdup_printf (_("%s: a price cannot be negative. Enter 0 or more."), what);
  else if (!wr_billing_parse_credits (text, out_micros))
    /* TRANSLATORS: first %s is "Input price" or "Output price", second what was typed */
    *out_message = g_strdup_printf (_("%s: “%s” is not an amount. Enter a number such as 2.50, "
                                      "with at most six decimals."), what, text);
  else
    return TRUE;

  return FALSE;
}

static WrModelCapabilities
checked_capabilities (WrPriceDialog *self)
{
  WrModelCapabilities capabilities = WR_MODEL_CAPABILITY_NONE;

  if (gtk_check_button_get_active (self->chat_check))
    capabilities |= WR_MODEL_CAPABILITY_CHAT;
  if (gtk_check_button_get_active (self->vision_check))
    capabilities |= WR_MODEL_CAPABILITY_VISION;
  if (gtk_check_button_get_active (self->embeddings_check))
    capabilities |= WR_MODEL_CAPABILITY_EMBEDDINGS;

  return capabilities;
}

static void
on_apply_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrPriceDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!_wr_price_edit_apply_finish (WR_BILLING (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      if (self->price_tried && g_error_matches (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID))
        show_price_error (self, NULL, error->message);
      else
        {
          /* TRANSLATORS: %s says why */
          g_autofree char *text = g_strdup_printf (_("Could not save: %s"), error->message);

          adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
        }
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
apply (WrPriceDialog *self,
       WrPriceEdit   *edit)
{
  set_busy (self, TRUE);
  self->price_tried = edit->set_price;
  _wr_price_edit_apply_async (self->billing, edit, self->cancellable, on_apply_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  WrPriceDialog *self = WR_PRICE_DIALOG (widget);
  g_autoptr(WrPriceEdit) edit = NULL;
  WrModelCapabilities capabilities;

  if (self->busy)
    return;

  show_price_error (self, NULL, NULL);
  show_capabilities_error (self, NULL);
  edit = _wr_price_edit_new (wr_model_info_get_name (self->info));

  if (!wr_model_info_get_local (self->info))
    {
      g_autofree char *message = NULL;
      AdwEntryRow *bad = NULL;
      gint64 input = 0, output = 0;

      if (!parse_price (self->input_row, _("Input price"), &input, &message))
        bad = self->input_row;
      else if (!parse_price (self->output_row, _("Output price"), &output, &message))
        bad = self->output_row;

      if (bad != NULL)
        {
          show_price_error (self, bad, message);
          gtk_widget_grab_focus (GTK_WIDGET (bad));
          return;
        }

      edit->set_price = input != wr_model_info_get_input_price (self->info) ||
                        output != wr_model_info_get_output_price (self->info);
      edit->input_micros = input;
      edit->output_micros = output;
    }

  capabilities = checked_capabilities (self);
  if (capabilities == WR_MODEL_CAPABILITY_NONE)
    {
      show_capabilities_error (self, _("Choose at least one thing this model can do."));
      gtk_widget_grab_focus (GTK_WIDGET (self->chat_check));
      return;
    }
  if (capabilities != wr_model_info_get_capabilities (self->info))
    edit->capabilities = wr_model_capabilities_to_string (capabilities);

  /* Nothing changed: nothing to write. */
  if (!edit->set_price && edit->capabilities == NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  apply (self, g_steal_pointer (&edit));
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  WrPriceDialog *self = WR_PRICE_DIALOG (widget);
  WrPriceEdit *edit;

  if (self->busy || !self->own_row)
    return;

  show_price_error (self, NULL, NULL);
  show_capabilities_error (self, NULL);
  edit = _wr_price_edit_new (wr_model_info_get_name (self->info));
  edit->reset = TRUE;
  apply (self, edit);
}

static void
on_entry_changed_cb (WrPriceDialog *self)
{
  /* The message described what was there before. */
  show_price_error (self, NULL, NULL);
}

static void
on_entry_activated_cb (WrPriceDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "price.save", NULL);
}

static void
on_check_toggled_cb (WrPriceDialog *self)
{
  show_capabilities_error (self, NULL);
}

static gboolean
wr_price_dialog_close_request (GtkWindow *window)
{
  gtk_window_set_transient_for (window, NULL);

  return GTK_WINDOW_CLASS (wr_price_dialog_parent_class)->close_request (window);
}

static void
wr_price_dialog_dispose (GObject *object)
{
  WrPriceDialog *self = WR_PRICE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_PRICE_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->info);
  g_clear_object (&self->billing);

  G_OBJECT_CLASS (wr_price_dialog_parent_class)->dispose (object);
}

static void
wr_price_dialog_class_init (WrPriceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_price_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = wr_price_dialog_close_request;

  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/models/wr-price-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, save_stack);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, price_group);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, input_row);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, output_row);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, price_error);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, capabilities_group);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, chat_check);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, vision_check);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, embeddings_check);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, capabilities_error);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, reset_group);
  gtk_widget_class_bind_template_child (widget_class, WrPriceDialog, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_check_toggled_cb);

  gtk_widget_class_install_action (widget_class, "price.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "price.reset", NULL, reset_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wr_price_dialog_init (WrPriceDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* What the prices shown are now, and what Save does to them. */
static char *
describe_price (const WrModelPrice *price,
                gboolean            own_row)
{
  if (price == NULL)
    return g_strdup (_("Credits per million tokens. Saving sets a price for this model only."));

  if (own_row)
    return g_strdup (_("Credits per million tokens. You set this price for this model."));

  if (price->custom)
    /* TRANSLATORS: %s is a model name pattern such as “gpt-4o*” */
    return g_strdup_printf (_("Credits per million tokens, from your price for “%s”. "
                              "Saving sets a price for this model only."), price->pattern);

  if (g_str_equal (price->pattern, "*"))
    return g_strdup (_("Credits per million tokens, the built-in price for models not in the table. "
                       "Saving sets a price for this model only."));

  /* TRANSLATORS: %s is a model name pattern such as “gpt-4o*” */
  return g_strdup_printf (_("Credits per million tokens, the built-in price for “%s”. "
                            "Saving sets a price for this model only."), price->pattern);
}

GtkWidget *
wr_price_dialog_new (GtkWindow          *parent,
                     WrBilling          *billing,
                     WrModelInfo        *info,
                     const WrModelPrice *price)
{
  WrPriceDialog *self;
  WrModelCapabilities capabilities;
  g_autofree char *folded = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WR_IS_BILLING (billing), NULL);
  g_return_val_if_fail (WR_IS_MODEL_INFO (info), NULL);

  self = g_object_new (WR_TYPE_PRICE_DIALOG, "transient-for", parent, NULL);
  self->billing = g_object_ref (billing);
  self->info = g_object_ref (info);

  folded = g_utf8_strdown (wr_model_info_get_name (info), -1);
  self->own_row = price != NULL && price->custom && g_strcmp0 (price->pattern, g_strstrip (folded)) == 0;

  adw_window_title_set_title (self->window_title, wr_model_info_get_name (info));
  adw_window_title_set_subtitle (self->window_title, wr_model_info_get_provider_name (info));

  if (wr_model_info_get_local (info))
    gtk_widget_set_visible (GTK_WIDGET (self->price_group), FALSE);
  else
    {
      g_autofree char *input = wr_billing_format_credits (wr_model_info_get_input_price (info));
      g_autofree char *output = wr_billing_format_credits (wr_model_info_get_output_price (info));

      gtk_editable_set_text (GTK_EDITABLE (self->input_row), input);
      gtk_editable_set_text (GTK_EDITABLE (self->output_row), output);
      description = describe_price (price, self->own_row);
      adw_preferences_group_set_description (self->price_group, description);
    }

  capabilities = wr_model_info_get_capabilities (info);
  gtk_check_button_set_active (self->chat_check, (capabilities & WR_MODEL_CAPABILITY_CHAT) != 0);
  gtk_check_button_set_active (self->vision_check, (capabilities & WR_MODEL_CAPABILITY_VISION) != 0);
  gtk_check_button_set_active (self->embeddings_check, (capabilities & WR_MODEL_CAPABILITY_EMBEDDINGS) != 0);
  if (wr_model_info_get_local (info))
    adw_preferences_group_set_description (self->capabilities_group,
                                           wr_model_info_get_capabilities_custom (info)
                                             ? _("This model runs on this computer, so it is free. "
                                                 "You set what it can do.")
                                             : _("This model runs on this computer, so it is free. "
                                                 "What it can do is guessed from its name: correct the "
                                                 "guess if it is wrong."));
  else
    adw_preferences_group_set_description (self->capabilities_group,
                                           wr_model_info_get_capabilities_custom (info)
                                             ? _("You set what this model can do.")
                                             : _("Guessed from the model’s name. Correct the guess if it is wrong."));
  show_price_error (self, NULL, NULL);
  show_capabilities_error (self, NULL);

  gtk_widget_set_visible (self->reset_group, self->own_row);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "price.reset", self->own_row);

  return GTK_WIDGET (self);
}

GtkEditable *
_wr_price_dialog_get_input_row (WrPriceDialog *self)
{
  g_return_val_if_fail (WR_IS_PRICE_DIALOG (self), NULL);

  return GTK_EDITABLE (self->input_row);
}

GtkEditable *
_wr_price_dialog_get_output_row (WrPriceDialog *self)
{
  g_return_val_if_fail (WR_IS_PRICE_DIALOG (self), NULL);

  return GTK_EDITABLE (self->output_row);
}

GtkWidget *
_wr_price_dialog_get_check (WrPriceDialog       *self,
                            WrModelCapabilities  capability)
{
  g_return_val_if_fail (WR_IS_PRICE_DIALOG (self), NULL);

  switch (capability)
    {
    case WR_MODEL_CAPABILITY_CHAT:
      return GTK_WIDGET (self->chat_check);
    case WR_MODEL_CAPABILITY_VISION:
      return GTK_WIDGET (self->vision_check);
    case WR_MODEL_CAPABILITY_EMBEDDINGS:
      return GTK_WIDGET (self->embeddings_check);
    case WR_MODEL_CAPABILITY_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

GtkWidget *
_wr_price_dialog_get_reset_button (WrPriceDialog *self)
{
  g_return_val_if_fail (WR_IS_PRICE_DIALOG (self), NULL);

  return self->reset_button;
}

void
_wr_price_dialog_save (WrPriceDialog *self)
{
  g_return_if_fail (WR_IS_PRICE_DIALOG (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "price.save", NULL);
}

void
_wr_price_dialog_reset (WrPriceDialog *self)
{
  g_return_if_fail (WR_IS_PRICE_DIALOG (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "price.reset", NULL);
}

const char *
_wr_price_dialog_get_error (WrPriceDialog *self)
{
  g_return_val_if_fail (WR_IS_PRICE_DIALOG (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->price_error)))
    return gtk_label_get_text (self->price_error);
  if (gtk_widget_get_visible (GTK_WIDGET (self->capabilities_error)))
    return gtk_label_get_text (self->capabilities_error);

  return NULL;
}

gboolean
_wr_price_dialog_get_busy (WrPriceDialog *self)
{
  g_return_val_if_fail (WR_IS_PRICE_DIALOG (self), FALSE);

  return self->busy;
}
