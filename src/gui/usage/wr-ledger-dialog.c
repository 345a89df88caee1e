/* wr-ledger-dialog.c — the credits ledger in a GtkListView.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-ledger-dialog.h"
#include "wr-ledger-dialog-private.h"
#include "wr-ledger-item.h"
#include "wr-usage-format.h"

/* The newest rows; the list could grow by two rows per reply for years. */
#define LEDGER_LIMIT 1000

struct _WrLedgerDialog
{
  AdwWindow     parent_instance;

  WrBilling    *billing;       /* owned */
  GListStore   *entries;       /* WrLedgerItem */
  GCancellable *cancellable;   /* owned, nullable: the load under way */
  guint         loading : 1;

  /* template children */
  GtkStack      *stack;
  GtkListView   *list_view;
  AdwStatusPage *error_page;
  GtkLabel      *limit_label;
};

G_DEFINE_FINAL_TYPE (WrLedgerDialog, wr_ledger_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (WrLedgerDialog *self,
             gboolean        loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_ledger_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(WrLedgerDialog) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  rows = wr_billing_list_ledger_finish (WR_BILLING (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);

  if (rows == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, wr_ledger_item_new (g_ptr_array_index (rows, i)));
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       items->pdata, items->len);

  gtk_widget_set_visible (GTK_WIDGET (self->limit_label), rows->len >= LEDGER_LIMIT);
  gtk_stack_set_visible_child_name (self->stack, rows->len > 0 ? "list" : "empty");
}

static void
reload (WrLedgerDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->entries)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  wr_billing_list_ledger_async (self->billing, LEDGER_LIMIT, self->cancellable,
                                on_ledger_loaded_cb, g_object_ref (self));
}

/* Rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *amount = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_valign (amount, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (amount, "numeric");
  gtk_label_set_selectable (GTK_LABEL (amount), FALSE);

  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), amount);

  g_object_set_data (G_OBJECT (box), "wr-title", title);
  g_object_set_data (G_OBJECT (box), "wr-subtitle", subtitle);
  g_object_set_data (G_OBJECT (box), "wr-amount", amount);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const WrLedgerEntry *entry = wr_ledger_item_get_entry (gtk_list_item_get_item (item));
  GtkWidget *amount = g_object_get_data (G_OBJECT (box), "wr-amount");
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (entry->created_at / G_USEC_PER_SEC);
  g_autofree char *reason = wr_usage_describe_reason (entry->reason);
  g_autofree char *date = g_date_time_format (when, C_("ledger date", "%B %-d, %Y, %H:%M"));
  g_autofree char *credits = wr_billing_format_credits (entry->delta);
  g_autofree char *signed_credits = entry->delta > 0 ? g_strconcat ("+", credits, NULL) : g_strdup (credits);

  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "wr-title"), reason);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "wr-subtitle"), date);
  gtk_label_set_text (GTK_LABEL (amount), signed_credits);
  if (entry->delta > 0)
    gtk_widget_add_css_class (amount, "success");
  else
    gtk_widget_remove_css_class (amount, "success");
}

/* GObject */

static void
wr_ledger_dialog_dispose (GObject *object)
{
  WrLedgerDialog *self = WR_LEDGER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->billing != NULL)
    g_signal_handlers_disconnect_by_data (self->billing, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_LEDGER_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->entries);
  g_clear_object (&self->billing);

  G_OBJECT_CLASS (wr_ledger_dialog_parent_class)->dispose (object);
}

static void
wr_ledger_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WrLedgerDialog *self = WR_LEDGER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Lets go of the parent while it is alive (see the preferences window). */
static gboolean
wr_ledger_dialog_close_request (GtkWindow *window)
{
  gtk_window_set_transient_for (window, NULL);

  return GTK_WINDOW_CLASS (wr_ledger_dialog_parent_class)->close_request (window);
}

static void
wr_ledger_dialog_class_init (WrLedgerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_ledger_dialog_dispose;
  object_class->get_property = wr_ledger_dialog_get_property;
  GTK_WINDOW_CLASS (klass)->close_request = wr_ledger_dialog_close_request;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/usage/wr-ledger-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WrLedgerDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, WrLedgerDialog, list_view);
  gtk_widget_class_bind_template_child (widget_class, WrLedgerDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, WrLedgerDialog, limit_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
wr_ledger_dialog_init (WrLedgerDialog *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->entries = g_list_store_new (WR_TYPE_LEDGER_ITEM);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->entries))));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, selection);
}

GtkWidget *
wr_ledger_dialog_new (GtkWindow *parent,
                      WrBilling *billing)
{
  WrLedgerDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (WR_IS_BILLING (billing), NULL);

  self = g_object_new (WR_TYPE_LEDGER_DIALOG, "transient-for", parent, NULL);
  self->billing = g_object_ref (billing);
  g_signal_connect_object (billing, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);

  return GTK_WIDGET (self);
}

GListModel *
_wr_ledger_dialog_get_entries (WrLedgerDialog *self)
{
  g_return_val_if_fail (WR_IS_LEDGER_DIALOG (self), NULL);

  return G_LIST_MODEL (self->entries);
}

gboolean
_wr_ledger_dialog_get_loading (WrLedgerDialog *self)
{
  g_return_val_if_fail (WR_IS_LEDGER_DIALOG (self), FALSE);

  return self->loading;
}

GtkWidget *
_wr_ledger_dialog_get_list (WrLedgerDialog *self)
{
  g_return_val_if_fail (WR_IS_LEDGER_DIALOG (self), NULL);

  return GTK_WIDGET (self->list_view);
}
