/* wr-usage-view.c — the Usage page.
 *
 * Two loads per refresh, both off the main loop: the chart's rows through
 * wr_billing_usage_by_day_async(), and an overview (totals, today's tokens
 * and limit, balance, plan) in one worker thread. A refresh cancels the
 * one before it. Refreshes happen when the page is shown, when the filter
 * or project changes, and on billing's "changed" while shown — never by
 * polling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-usage-view.h"
#include "wr-usage-view-private.h"
#include "wr-usage-chart.h"
#include "wr-usage-format.h"
#include "wr-topup-dialog.h"
#include "wr-ledger-dialog.h"
#include "wr-gui-util.h"

#define N_DAYS 30

/* The filter drop-down's items. */
enum {
  FILTER_PROJECT,
  FILTER_ALL,
};

struct _WrUsageView
{
  AdwBin         parent_instance;

  WrSession     *session;           /* owned */
  WrBilling     *billing;           /* owned */
  WrProject     *project;           /* owned, nullable */
  GCancellable  *cancellable;       /* the view's lifetime */
  GCancellable  *load_cancellable;  /* the refresh under way, nullable */
  guint          pending;           /* loads of the refresh still running */
  WrUsageTotals  totals;
  gint64         balance;           /* -1 = not loaded */
  guint          has_totals : 1;
  guint          want_all : 1;          /* the reader chose "All projects" */
  guint          updating_filter : 1;

  /* template children (the AdwBin's own child, the toast overlay, is not
   * bound: AdwBin unparents it, dispose_template() must not) */
  GtkDropDown   *filter_dropdown;
  GtkLabel      *period_label;
  GtkLabel      *calls_label;
  GtkLabel      *input_label;
  GtkLabel      *output_label;
  GtkLabel      *cost_label;
  GtkLabel      *estimate_label;
  GtkStack      *chart_stack;
  WrUsageChart  *chart;
  GtkLabel      *quota_label;
  GtkLevelBar   *quota_bar;
  GtkLabel      *quota_detail_label;
  AdwActionRow  *balance_row;
  AdwActionRow  *plan_row;
};

G_DEFINE_FINAL_TYPE (WrUsageView, wr_usage_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (WrUsageView *self);

/* Helpers */

static const char *
filter_project_id (WrUsageView *self)
{
  if (self->project == NULL || gtk_drop_down_get_selected (self->filter_dropdown) == FILTER_ALL)
    return NULL;

  return wr_project_get_id (self->project);
}

static void
add_toast (WrUsageView *self,
           const char  *title)
{
  GtkWidget *overlay = adw_bin_get_child (ADW_BIN (self));

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
load_done (WrUsageView *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_load_error (WrUsageView  *self,
                 const GError *error)
{
  /* TRANSLATORS: %s says what went wrong and what to do */
  g_autofree char *title = g_strdup_printf (_("Could not load usage: %s"), error->message);

  add_toast (self, title);
}

/* Overview: everything but the chart, read in one worker thread. */

typedef struct {
  char          *project_id;
  WrUsageTotals  totals;
  gint64         used_today;
  gint64         limit;
  gint64         resets_at;
  gint64         balance;
  WrPlan        *plan;        /* a preset: not owned */
} Overview;

static void
overview_free (Overview *overview)
{
  g_free (overview->project_id);
  g_free (overview);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Overview, overview_free)

static void
overview_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  WrBilling *billing = source_object;
  Overview *overview = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!wr_billing_usage_totals (billing, N_DAYS, overview->project_id, &overview->totals, &error)
      || !wr_billing_get_quota (billing, &overview->used_today, &overview->limit,
                                &overview->resets_at, &error)
      || (overview->balance = wr_billing_get_balance (billing, &error)) < 0
      || (overview->plan = wr_billing_get_plan (billing, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static char *
format_tokens (gint64   tokens,
               gboolean estimated)
{
  g_autofree char *count = wr_usage_format_count (tokens);

  /* "≈" marks totals that include estimated counts. */
  return estimated ? g_strconcat ("≈ ", count, NULL) : g_steal_pointer (&count);
}

static void
show_totals (WrUsageView         *self,
             const WrUsageTotals *totals)
{
  gboolean estimated = totals->estimated_calls > 0;
  g_autofree char *calls = wr_usage_format_count (totals->calls);
  g_autofree char *input = format_tokens (totals->input_tokens, estimated);
  g_autofree char *output = format_tokens (totals->output_tokens, estimated);
  g_autofree char *credits = wr_billing_format_credits (totals->cost_micros);
  g_autofree char *cost = estimated ? g_strconcat ("≈ ", credits, NULL) : g_strdup (credits);

  gtk_label_set_text (self->calls_label, calls);
  gtk_label_set_text (self->input_label, input);
  gtk_label_set_text (self->output_label, output);
  gtk_label_set_text (self->cost_label, cost);

  if (estimated)
    {
      g_autofree char *n_estimated = wr_usage_format_count (totals->estimated_calls);
      g_autofree char *text = NULL;

      /* TRANSLATORS: %1$s and %2$s are numbers of calls */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "≈ Estimates: %1$s of %2$s call had no token counts from "
                                           "its provider, so its tokens and cost are guessed from "
                                           "the text (about four characters a token).",
                                           "≈ Estimates: %1$s of %2$s calls had no token counts from "
                                           "their provider, so their tokens and cost are guessed from "
                                           "the text (about four characters a token).",
                                           (gulong) totals->calls),
                              n_estimated, calls);
      gtk_label_set_text (self->estimate_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->estimate_label), estimated);
}

static void
show_quota (WrUsageView *self,
            gint64       used,
            gint64       limit,
            gint64       resets_at)
{
  g_autofree char *used_text = wr_usage_format_count (used);
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  if (limit < 0)
    {
      /* TRANSLATORS: %s is a number of tokens */
      title = g_strdup_printf (_("%s tokens today"), used_text);
      detail = g_strdup (_("There is no daily token limit. You can set one in Preferences."));
      gtk_widget_set_visible (GTK_WIDGET (self->quota_bar), FALSE);
    }
  else
    {
      g_autofree char *limit_text = wr_usage_format_count (limit);
      g_autofree char *reset = wr_usage_describe_reset (resets_at, wr_now_usec ());
      double fraction = limit > 0 ? MIN ((double) used / (double) limit, 1.0) : 1.0;

      /* TRANSLATORS: "1,234 of 10,000 tokens today" */
      title = g_strdup_printf (_("%1$s of %2$s tokens today"), used_text, limit_text);
      if (used >= limit)
        /* TRANSLATORS: %s is "at midnight, in 5 hours" */
        detail = g_strdup_printf (_("Today’s limit is reached. Replies from cloud models wait until "
                                    "it resets %s; models on this computer still answer. Raise the "
                                    "limit or change the plan in Preferences."), reset);
      else
        /* TRANSLATORS: %s is "at midnight, in 5 hours" */
        detail = g_strdup_printf (_("Each call is checked against the limit before it starts and "
                                    "counted when it ends. The limit resets %s."), reset);

      gtk_level_bar_set_value (self->quota_bar, fraction);
      gtk_widget_set_visible (GTK_WIDGET (self->quota_bar), TRUE);
    }

  gtk_label_set_text (self->quota_label, title);
  gtk_label_set_text (self->quota_detail_label, detail);
}

static void
show_credits_and_plan (WrUsageView *self,
                       gint64       balance,
                       WrPlan      *plan)
{
  g_autofree char *credits = wr_usage_format_credits (balance);
  g_autofree char *plan_text = wr_usage_describe_plan (plan);

  if (wr_plan_get_charges_credits (plan))
    adw_action_row_set_subtitle (self->balance_row, credits);
  else
    {
      /* TRANSLATORS: %s is "12.50 credits" */
      g_autofree char *text = g_strdup_printf (_("%s — your plan does not use them"), credits);

      adw_action_row_set_subtitle (self->balance_row, text);
    }

  {
    /* TRANSLATORS: %1$s is a plan's name, %2$s what it includes */
    g_autofree char *subtitle = g_strdup_printf (_("%1$s: %2$s"), wr_plan_get_title (plan), plan_text);

    adw_action_row_set_subtitle (self->plan_row, subtitle);
  }
}

static void
on_overview_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WrUsageView) self = user_data;
  g_autoptr(GError) error = NULL;
  Overview *overview = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_load_error (self, error);
      load_done (self);
      return;
    }

  self->totals = overview->totals;
  self->has_totals = TRUE;
  self->balance = overview->balance;
  show_totals (self, &overview->totals);
  show_quota (self, overview->used_today, overview->limit, overview->resets_at);
  show_credits_and_plan (self, overview->balance, overview->plan);
  load_done (self);
}

static void
on_usage_by_day_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrUsageView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = wr_billing_usage_by_day_finish (WR_BILLING (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (rows == NULL)
    show_load_error (self, error);
  else
    {
      wr_usage_chart_set_usage (self->chart, rows, N_DAYS);
      gtk_stack_set_visible_child_name (self->chart_stack,
                                        wr_usage_chart_is_empty (self->chart) ? "empty" : "chart");
    }

  load_done (self);
}

static void
reload (WrUsageView *self)
{
  g_autoptr(GTask) task = NULL;
  Overview *overview;
  gboolean was_loading = self->pending > 0;

  if (self->billing == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->pending = 2;
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  wr_billing_usage_by_day_async (self->billing, N_DAYS, filter_project_id (self),
                                 self->load_cancellable, on_usage_by_day_cb, g_object_ref (self));

  overview = g_new0 (Overview, 1);
  overview->project_id = g_strdup (filter_project_id (self));
  task = g_task_new (self->billing, self->load_cancellable, on_overview_cb, g_object_ref (self));
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, overview, (GDestroyNotify) overview_free);
  g_task_run_in_thread (task, overview_thread);
}

/* Without a project only "All projects" makes sense; the reader's choice
 * comes back with the next project. */
static void
update_filter (WrUsageView *self)
{
  gboolean has_project = self->project != NULL;

  self->updating_filter = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_dropdown), has_project);
  gtk_drop_down_set_selected (self->filter_dropdown,
                              !has_project || self->want_all ? FILTER_ALL : FILTER_PROJECT);
  self->updating_filter = FALSE;
}

/* Callbacks */

static void
on_filter_selected_cb (WrUsageView *self)
{
  if (self->updating_filter)
    return;

  self->want_all = gtk_drop_down_get_selected (self->filter_dropdown) == FILTER_ALL;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
}

static void
on_billing_changed_cb (WrUsageView *self)
{
  /* Hidden pages reload when shown. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
}

static void
on_topped_up_cb (WrUsageView *self,
                 gint64       amount)
{
  g_autofree char *credits = wr_usage_format_credits (amount);
  /* TRANSLATORS: %s is "12.50 credits" */
  g_autofree char *title = g_strdup_printf (_("Added %s"), credits);

  add_toast (self, title);
  reload (self);
}

static GtkWindow *
get_parent_window (WrUsageView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkWidget *
open_topup (WrUsageView *self)
{
  GtkWidget *dialog = wr_topup_dialog_new (get_parent_window (self), self->billing, self->balance);

  g_signal_connect_object (dialog, "topped-up", G_CALLBACK (on_topped_up_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static GtkWidget *
open_ledger (WrUsageView *self)
{
  GtkWidget *dialog = wr_ledger_dialog_new (get_parent_window (self), self->billing);

  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
add_credits_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  open_topup (WR_USAGE_VIEW (widget));
}

static void
credit_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  open_ledger (WR_USAGE_VIEW (widget));
}

/* CSS */

static void
wr_usage_view_load_css (void)
{
  wr_gui_load_css_resource ("/io/github/workroom/Workroom/usage/usage.css");
}

/* GObject */

static void
wr_usage_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wr_usage_view_parent_class)->map (widget);

  /* Shown: what changed since (replies, top-ups, another process). */
  reload (WR_USAGE_VIEW (widget));
}

static void
wr_usage_view_constructed (GObject *object)
{
  WrUsageView *self = WR_USAGE_VIEW (object);

  G_OBJECT_CLASS (wr_usage_view_parent_class)->constructed (object);

  g_assert (WR_IS_SESSION (self->session));

  /* The chat service's own: its "changed" follows every reply. */
  self->billing = g_object_ref (wr_session_get_billing (self->session));
  g_signal_connect_object (self->billing, "changed", G_CALLBACK (on_billing_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_filter (self);
}

static void
wr_usage_view_dispose (GObject *object)
{
  WrUsageView *self = WR_USAGE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  if (self->billing != NULL)
    g_signal_handlers_disconnect_by_data (self->billing, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_USAGE_VIEW);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->project);
  g_clear_object (&self->billing);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_usage_view_parent_class)->dispose (object);
}

static void
wr_usage_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WrUsageView *self = WR_USAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_usage_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WrUsageView *self = WR_USAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      wr_usage_view_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_usage_view_class_init (WrUsageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wr_usage_view_constructed;
  object_class->dispose = wr_usage_view_dispose;
  object_class->get_property = wr_usage_view_get_property;
  object_class->set_property = wr_usage_view_set_property;
  widget_class->map = wr_usage_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WR_TYPE_USAGE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/usage/wr-usage-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, period_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, calls_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, input_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, output_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, cost_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, chart);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, quota_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, quota_bar);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, quota_detail_label);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, balance_row);
  gtk_widget_class_bind_template_child (widget_class, WrUsageView, plan_row);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_selected_cb);

  gtk_widget_class_install_action (widget_class, "usage.add-credits", NULL, add_credits_action);
  gtk_widget_class_install_action (widget_class, "usage.credit-history", NULL, credit_history_action);

  gtk_widget_class_set_css_name (widget_class, "usageview");
}

static void
wr_usage_view_init (WrUsageView *self)
{
  g_autofree char *period = NULL;

  self->cancellable = g_cancellable_new ();
  self->balance = -1;

  wr_usage_view_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A fuller bar is a warning, not progress: our own colours per level. */
  gtk_level_bar_remove_offset_value (self->quota_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->quota_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->quota_bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (self->quota_bar, "quota-ok", 0.8);
  gtk_level_bar_add_offset_value (self->quota_bar, "quota-high", 0.9999);
  gtk_level_bar_add_offset_value (self->quota_bar, "quota-full", 1.0);

  /* TRANSLATORS: %d is a number of days */
  period = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last %d Day", "Last %d Days", N_DAYS), N_DAYS);
  gtk_label_set_text (self->period_label, period);
}

GtkWidget *
wr_usage_view_new (WrSession *session)
{
  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  return g_object_new (WR_TYPE_USAGE_VIEW, "session", session, NULL);
}

void
wr_usage_view_set_project (WrUsageView *self,
                           WrProject   *project)
{
  g_return_if_fail (WR_IS_USAGE_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  update_filter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
}

WrProject *
wr_usage_view_get_project (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return self->project;
}

gboolean
_wr_usage_view_get_loading (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), FALSE);

  return self->pending > 0;
}

gboolean
_wr_usage_view_get_totals (WrUsageView   *self,
                           WrUsageTotals *out_totals)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), FALSE);

  *out_totals = self->totals;
  return self->has_totals;
}

gint64
_wr_usage_view_get_balance (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), -1);

  return self->balance;
}

const char *
_wr_usage_view_get_chart_page (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->chart_stack);
}

WrUsageChart *
_wr_usage_view_get_chart (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return self->chart;
}

GtkDropDown *
_wr_usage_view_get_filter (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return self->filter_dropdown;
}

const char *
_wr_usage_view_get_quota_text (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return gtk_label_get_text (self->quota_label);
}

GtkWidget *
_wr_usage_view_open_topup (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return open_topup (self);
}

GtkWidget *
_wr_usage_view_open_ledger (WrUsageView *self)
{
  g_return_val_if_fail (WR_IS_USAGE_VIEW (self), NULL);

  return open_ledger (self);
}
