/* wr-topup-dialog.c — adding credits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-topup-dialog.h"
#include "wr-topup-dialog-private.h"
#include "wr-usage-format.h"

struct _WrTopupDialog
{
  AdwWindow     parent_instance;

  WrBilling    *billing;       /* owned */
  GCancellable *cancellable;   /* owned */
  gint64        amount;        /* being added */
  guint         busy : 1;

  /* template children */
  AdwEntryRow  *amount_row;
  GtkLabel     *error_label;
  GtkLabel     *balance_label;
  GtkStack     *add_stack;
  GtkWidget    *cancel_button;
};

G_DEFINE_FINAL_TYPE (WrTopupDialog, wr_topup_dialog, ADW_TYPE_WINDOW)

enum {
  TOPPED_UP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (WrTopupDialog *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->amount_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->amount_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->amount_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->amount_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message != NULL ? message : "",
                                  -1);
}

static void
set_busy (WrTopupDialog *self,
          gboolean       busy)
{
  self->busy = !!busy;
  gtk_stack_set_visible_child_name (self->add_stack, busy ? "busy" : "add");
  gtk_widget_set_sensitive (GTK_WIDGET (self->amount_row), !busy);
  gtk_widget_set_sensitive (self->cancel_button, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "topup.add", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "topup.preset", !busy);
}

static void
on_topup_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrTopupDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_billing_topup_finish (WR_BILLING (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[TOPPED_UP], 0, self->amount);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
parse_amount (WrTopupDialog  *self,
              gint64         *out_amount)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->amount_row))));
  g_autofree char *message = NULL;
  gint64 amount = 0;

  if (*text == '\0')
    message = g_strdup (_("Enter how many credits to add, such as 10 or 12.50."));
  else if (*text == '-')
    message = g_strdup (_("Enter an amount greater than zero."));
  else if (!wr_billing_parse_credits (text, &amount))
    /* TRANSLATORS: %s is what the user typed */
    message = g_strdup_printf (_("“%s” is not an amount. Enter a number such as 10 or 12.50, "
                                 "with a dot and at most six decimals."), text);
  else if (amount <= 0)
    message = g_strdup (_("Enter an amount greater than zero."));

  show_error (self, message);
  if (message != NULL)
    return FALSE;

  *out_amount = amount;
  return TRUE;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  WrTopupDialog *self = WR_TOPUP_DIALOG (widget);
  gint64 amount;

  if (self->busy || !parse_amount (self, &amount))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
      return;
    }

  set_busy (self, TRUE);
  self->amount = amount;
  wr_billing_topup_async (self->billing, amount, NULL, self->cancellable, on_topup_cb,
                          g_object_ref (self));
}

static void
preset_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  WrTopupDialog *self = WR_TOPUP_DIALOG (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), g_variant_get_string (param, NULL));
  show_error (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
}

static void
on_amount_changed_cb (WrTopupDialog *self)
{
  /* The message described what was there before. */
  show_error (self, NULL);
}

static void
on_amount_activated_cb (WrTopupDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "topup.add", NULL);
}

static gboolean
wr_topup_dialog_close_request (GtkWindow *window)
{
  gtk_window_set_transient_for (window, NULL);

  return GTK_WINDOW_CLASS (wr_topup_dialog_parent_class)->close_request (window);
}

static void
wr_topup_dialog_dispose (GObject *object)
{
  WrTopupDialog *self = WR_TOPUP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_TOPUP_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->billing);

  G_OBJECT_CLASS (wr_topup_dialog_parent_class)->dispose (object);
}

static void
wr_topup_dialog_class_init (WrTopupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_topup_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = wr_topup_dialog_close_request;

  signals[TOPPED_UP] =
    g_signal_new ("topped-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/usage/wr-topup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WrTopupDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, WrTopupDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, WrTopupDialog, balance_label);
  gtk_widget_class_bind_template_child (widget_class, WrTopupDialog, add_stack);
  gtk_widget_class_bind_template_child (widget_class, WrTopupDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_activated_cb);

  gtk_widget_class_install_action (widget_class, "topup.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "topup.preset", "s", preset_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wr_topup_dialog_init (WrTopupDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wr_topup_dialog_new (GtkWindow *parent,
                     WrBilling *billing,
                     gint64     balance)
{
  WrTopupDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WR_IS_BILLING (billing), NULL);

  self = g_object_new (WR_TYPE_TOPUP_DIALOG, "transient-for", parent, NULL);
  self->billing = g_object_ref (billing);

  if (balance >= 0)
    {
      g_autofree char *credits = wr_usage_format_credits (balance);
      /* TRANSLATORS: %s is an amount of credits, "12.50 credits" */
      g_autofree char *text = g_strdup_printf (_("Current balance: %s"), credits);

      gtk_label_set_text (self->balance_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->balance_label), balance >= 0);

  /* The amount is what people come here to type. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->amount_row));

  return GTK_WIDGET (self);
}

GtkWidget *
_wr_topup_dialog_get_entry (WrTopupDialog *self)
{
  g_return_val_if_fail (WR_IS_TOPUP_DIALOG (self), NULL);

  return GTK_WIDGET (self->amount_row);
}

void
_wr_topup_dialog_confirm (WrTopupDialog *self)
{
  g_return_if_fail (WR_IS_TOPUP_DIALOG (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "topup.add", NULL);
}

const char *
_wr_topup_dialog_get_error (WrTopupDialog *self)
{
  g_return_val_if_fail (WR_IS_TOPUP_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

gboolean
_wr_topup_dialog_get_busy (WrTopupDialog *self)
{
  g_return_val_if_fail (WR_IS_TOPUP_DIALOG (self), FALSE);

  return self->busy;
}
