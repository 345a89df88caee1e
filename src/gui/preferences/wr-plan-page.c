/* wr-plan-page.c — Preferences › Plan & Limits.
 *
 * The profile is read with wr_store_get_profile_async(); every change is
 * written in a worker thread, one write at a time (a change made while one
 * runs is written after it, with whatever the page then shows), so the
 * database ends with what the page shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-plan-page.h"
#include "wr-plan-page-private.h"
#include "wr-usage-format.h"

struct _WrPlanPage
{
  AdwPreferencesPage   parent_instance;

  WrSession           *session;       /* owned */
  WrBilling           *billing;       /* owned */
  GCancellable        *cancellable;   /* owned */
  GHashTable          *plan_buttons;  /* plan name → GtkCheckButton (borrowed) */
  WrPlan              *plan;          /* a preset: the one chosen */
  guint                loading : 1;
  guint                saving : 1;
  guint                save_again : 1;
  guint                filling : 1;   /* widgets changed by code, not the reader */

  /* template children */
  AdwPreferencesGroup *plans_group;
  AdwActionRow        *use_plan_row;
  GtkSwitch           *use_plan_switch;
  AdwActionRow        *limit_row;
  GtkSpinButton       *limit_spin;
};

G_DEFINE_FINAL_TYPE (WrPlanPage, wr_plan_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void save (WrPlanPage *self);

static gboolean
is_busy (WrPlanPage *self)
{
  return self->loading || self->saving;
}

static void
set_flags (WrPlanPage *self,
           gboolean    loading,
           gboolean    saving)
{
  gboolean was_busy = is_busy (self);

  self->loading = !!loading;
  self->saving = !!saving;
  if (was_busy != is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
add_toast (WrPlanPage *self,
           const char *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (title));
  else
    g_warning ("%s", title);
}

static void
update_limit_rows (WrPlanPage *self)
{
  gint64 limit = wr_plan_get_daily_token_limit (self->plan);
  g_autofree char *subtitle = NULL;

  if (limit < 0)
    /* TRANSLATORS: %s is a plan's name */
    subtitle = g_strdup_printf (_("%s: no daily limit"), wr_plan_get_title (self->plan));
  else
    {
      g_autofree char *count = wr_usage_format_count (limit);

      /* TRANSLATORS: %1$s is a plan's name, %2$s a number of tokens */
      subtitle = g_strdup_printf (_("%1$s: %2$s tokens a day"), wr_plan_get_title (self->plan), count);
    }

  adw_action_row_set_subtitle (self->use_plan_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->limit_row),
                            !gtk_switch_get_active (self->use_plan_switch));
}

/* Saving */

typedef struct {
  char   *plan;
  gint64  limit;   /* -1 = the plan's */
} Write;

static void
write_free (Write *write)
{
  g_free (write->plan);
  g_free (write);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Write *write = task_data;
  GError *error = NULL;

  if (!wr_billing_set_plan (source_object, write->plan, &error)
      || !wr_billing_set_daily_token_limit (source_object, write->limit, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrPlanPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      {
        /* TRANSLATORS: %s says what went wrong and what to do */
        g_autofree char *title = g_strdup_printf (_("Could not save the plan: %s"), error->message);

        add_toast (self, title);
      }
    }

  if (self->save_again)
    {
      self->save_again = FALSE;
      self->saving = FALSE;
      save (self);
      return;
    }

  set_flags (self, self->loading, FALSE);
}

static void
save (WrPlanPage *self)
{
  g_autoptr(GTask) task = NULL;
  Write *write;

  if (self->loading || self->billing == NULL)
    return;
  if (self->saving)
    {
      self->save_again = TRUE;
      return;
    }

  write = g_new0 (Write, 1);
  write->plan = g_strdup (wr_plan_get_name (self->plan));
  write->limit = gtk_switch_get_active (self->use_plan_switch)
                 ? -1 : (gint64) gtk_spin_button_get_value (self->limit_spin);

  set_flags (self, FALSE, TRUE);
  /* Not cancelled when the page goes: a change made is a change saved. */
  task = g_task_new (self->billing, NULL, on_saved_cb, g_object_ref (self));
  g_task_set_source_tag (task, save);
  g_task_set_task_data (task, write, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_thread);
}

/* Callbacks */

static void
on_plan_toggled_cb (WrPlanPage     *self,
                    GtkCheckButton *button)
{
  WrPlan *plan = g_object_get_data (G_OBJECT (button), "wr-plan");

  if (!gtk_check_button_get_active (button) || plan == self->plan)
    return;

  self->plan = plan;
  update_limit_rows (self);
  if (!self->filling)
    save (self);
}

static void
on_use_plan_changed_cb (WrPlanPage *self)
{
  update_limit_rows (self);
  if (!self->filling)
    save (self);
}

static void
on_limit_changed_cb (WrPlanPage *self)
{
  if (!self->filling && !gtk_switch_get_active (self->use_plan_switch))
    save (self);
}

static void
on_profile_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WrPlanPage) self = user_data;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  WrPlan *plan;
  GtkWidget *button;
  gint64 own;

  profile = wr_store_get_profile_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_flags (self, FALSE, self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);

  if (profile == NULL)
    {
      /* TRANSLATORS: %s says what went wrong and what to do */
      g_autofree char *title = g_strdup_printf (_("Could not read the plan: %s"), error->message);

      add_toast (self, title);
      return;
    }

  /* An unknown name reads as "free", as billing does. */
  plan = wr_plan_lookup (wr_profile_get_plan (profile));
  if (plan == NULL)
    plan = wr_plan_lookup ("free");
  own = wr_profile_get_daily_token_limit (profile);

  self->filling = TRUE;
  button = g_hash_table_lookup (self->plan_buttons, wr_plan_get_name (plan));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
  self->plan = plan;
  gtk_switch_set_active (self->use_plan_switch, own < 0);
  if (own >= 0)
    gtk_spin_button_set_value (self->limit_spin, (double) own);
  else if (wr_plan_get_daily_token_limit (plan) >= 0)
    gtk_spin_button_set_value (self->limit_spin, (double) wr_plan_get_daily_token_limit (plan));
  update_limit_rows (self);
  self->filling = FALSE;
}

/* GObject */

static void
add_plan_rows (WrPlanPage *self)
{
  WrPlan * const *presets = wr_plan_list_presets ();
  GtkCheckButton *group = NULL;

  for (guint i = 0; presets[i] != NULL; i++)
    {
      WrPlan *plan = presets[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *summary = wr_usage_describe_plan (plan);
      g_autofree char *features = wr_usage_describe_features (plan);
      g_autofree char *subtitle = g_strdup_printf ("%s\n%s", summary, features);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wr_plan_get_title (plan));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, wr_plan_get_title (plan),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                      -1);
      g_object_set_data (G_OBJECT (check), "wr-plan", plan);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_plan_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->plans_group, row);
      g_hash_table_insert (self->plan_buttons, (gpointer) wr_plan_get_name (plan), check);
    }
}

static void
wr_plan_page_dispose (GObject *object)
{
  WrPlanPage *self = WR_PLAN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_PLAN_PAGE);
  g_clear_pointer (&self->plan_buttons, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->billing);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_plan_page_parent_class)->dispose (object);
}

static void
wr_plan_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WrPlanPage *self = WR_PLAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_plan_page_class_init (WrPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_plan_page_dispose;
  object_class->get_property = wr_plan_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/usage/wr-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WrPlanPage, plans_group);
  gtk_widget_class_bind_template_child (widget_class, WrPlanPage, use_plan_row);
  gtk_widget_class_bind_template_child (widget_class, WrPlanPage, use_plan_switch);
  gtk_widget_class_bind_template_child (widget_class, WrPlanPage, limit_row);
  gtk_widget_class_bind_template_child (widget_class, WrPlanPage, limit_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_use_plan_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_limit_changed_cb);
}

static void
wr_plan_page_init (WrPlanPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->plan_buttons = g_hash_table_new (g_str_hash, g_str_equal);
  self->plan = wr_plan_lookup ("free");

  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  add_plan_rows (self);
  update_limit_rows (self);
  self->filling = FALSE;
}

GtkWidget *
wr_plan_page_new (WrSession *session)
{
  WrPlanPage *self;

  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  self = g_object_new (WR_TYPE_PLAN_PAGE, NULL);
  self->session = g_object_ref (session);
  /* The session's: "changed" reaches the Usage page. */
  self->billing = g_object_ref (wr_session_get_billing (session));

  /* Nothing to change until the profile says what is chosen. */
  set_flags (self, TRUE, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  wr_store_get_profile_async (wr_session_get_store (session), self->cancellable,
                              on_profile_cb, g_object_ref (self));

  return GTK_WIDGET (self);
}

gboolean
_wr_plan_page_get_busy (WrPlanPage *self)
{
  g_return_val_if_fail (WR_IS_PLAN_PAGE (self), FALSE);

  return is_busy (self);
}

GtkWidget *
_wr_plan_page_get_plan_button (WrPlanPage *self,
                               const char *name)
{
  g_return_val_if_fail (WR_IS_PLAN_PAGE (self), NULL);

  return g_hash_table_lookup (self->plan_buttons, name);
}

GtkSwitch *
_wr_plan_page_get_use_plan_switch (WrPlanPage *self)
{
  g_return_val_if_fail (WR_IS_PLAN_PAGE (self), NULL);

  return self->use_plan_switch;
}

GtkSpinButton *
_wr_plan_page_get_limit_spin (WrPlanPage *self)
{
  g_return_val_if_fail (WR_IS_PLAN_PAGE (self), NULL);

  return self->limit_spin;
}
