/* test-usage-view.c — the Usage page, its chart and dialogs, and the
 * Preferences plan page, on a real store with usage rows over several
 * days, models and projects. Needs a display (run under xvfb-run).
 *
 * With WR_SCREENSHOT_DIR set, also paints the chart (light and dark) and
 * the whole page to PNG files there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "workroom.h"
#include "wr-usage-view.h"
#include "wr-usage-view-private.h"
#include "wr-usage-chart-private.h"
#include "wr-usage-plot.h"
#include "wr-usage-format.h"
#include "wr-topup-dialog-private.h"
#include "wr-ledger-dialog-private.h"
#include "wr-ledger-item.h"
#include "wr-plan-page-private.h"
#include "wr-mock-server.h"

#define CREDIT G_GINT64_CONSTANT (1000000)

typedef struct {
  char        *dir;
  WrSession   *session;
  WrProject   *alpha;
  WrProject   *beta;
  GtkWidget   *window;
  WrUsageView *view;
} Fixture;

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WrStore *store;

  f->dir = g_dir_make_tmp ("wr-test-usage-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  store = wr_session_get_store (f->session);
  f->alpha = wr_store_create_project (store, "Alpha", &error);
  g_assert_no_error (error);
  f->beta = wr_store_create_project (store, "Beta", &error);
  g_assert_no_error (error);
}

static void
show_view (Fixture *f)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 1000);
  f->view = WR_USAGE_VIEW (wr_usage_view_new (f->session));
  wr_usage_view_set_project (f->view, f->alpha);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->alpha);
  g_clear_object (&f->beta);
  g_clear_object (&f->session);
  remove_dir (f->dir);
  g_free (f->dir);
}

static gboolean
wait_for (gboolean (*done) (gpointer data),
          gpointer  data,
          guint     timeout_ms)
{
  gint64 until = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > until)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

static void
wait_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
view_loaded (gpointer data)
{
  Fixture *f = data;
  WrUsageTotals totals;

  return gtk_widget_get_mapped (GTK_WIDGET (f->view))
         && !_wr_usage_view_get_loading (f->view)
         && _wr_usage_view_get_totals (f->view, &totals);
}

static void
wait_view_loaded (Fixture *f)
{
  g_assert_true (wait_for (view_loaded, f, 10000));
}

/* Local noon @days_ago days before today: the same local day whatever the
 * time of the test. */
static gint64
noon_days_ago (int days_ago)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now),
                                                     g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now),
                                                     12, 0, 0);
  g_autoptr(GDateTime) then = g_date_time_add_days (noon, -days_ago);

  return g_date_time_to_unix (then) * G_USEC_PER_SEC;
}

static void
record (Fixture    *f,
        int         days_ago,
        WrProject  *project,
        const char *model,
        gint64      input,
        gint64      output,
        gboolean    estimated)
{
  g_autoptr(WrUsageRecord) r = wr_usage_record_new ();
  g_autoptr(GError) error = NULL;

  r->created_at = noon_days_ago (days_ago);
  /* Today's rows must not be in the future, or the quota would miss them. */
  if (days_ago == 0)
    r->created_at = MIN (r->created_at, wr_now_usec () - G_USEC_PER_SEC);
  r->project_id = g_strdup (project != NULL ? wr_project_get_id (project) : NULL);
  r->model = g_strdup (model);
  r->provider_id = g_strdup ("prov");
  r->input_tokens = input;
  r->output_tokens = output;
  r->estimated = estimated;
  g_assert_true (wr_billing_record_usage (wr_session_get_billing (f->session), r, &error));
  g_assert_no_error (error);
}

/* Alpha: gpt-4o-mini on three days, claude-3-5-haiku once (estimated);
 * Beta: gpt-4o twice; one Alpha row 40 days ago, outside the window. */
static void
seed_usage (Fixture *f)
{
  record (f, 0, f->alpha, "gpt-4o-mini", 1000, 400, FALSE);
  record (f, 0, f->alpha, "gpt-4o-mini", 600, 0, FALSE);
  record (f, 0, f->alpha, "claude-3-5-haiku", 300, 100, TRUE);
  record (f, 2, f->alpha, "gpt-4o-mini", 5000, 2000, FALSE);
  record (f, 29, f->alpha, "gpt-4o-mini", 50, 50, FALSE);
  record (f, 40, f->alpha, "gpt-4o-mini", 99999, 99999, FALSE);
  record (f, 1, f->beta, "gpt-4o", 20000, 4000, FALSE);
  record (f, 10, f->beta, "gpt-4o", 3000, 1000, FALSE);
}

/* Screenshots --------------------------------------------------------------- */

static void
save_window_png (GtkWidget  *window,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
maybe_save_window (GtkWidget  *window,
                   const char *name)
{
  const char *dir = g_getenv ("WR_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;

  g_mkdir_with_parents (dir, 0755);
  wait_ms (300);
  file = g_strdup_printf ("%s.png", name);
  path = g_build_filename (dir, file, NULL);
  save_window_png (window, path);
}

static void
maybe_screenshot (Fixture    *f,
                  const char *name)
{
  const char *dir = g_getenv ("WR_SCREENSHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();
  WrUsageChart *chart = _wr_usage_view_get_chart (f->view);

  if (dir == NULL || *dir == '\0')
    return;

  g_mkdir_with_parents (dir, 0755);
  for (int dark = 0; dark <= 1; dark++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *chart_name = g_strdup_printf ("usage-chart-%s-%s.png", name, dark ? "dark" : "light");
      g_autofree char *narrow_name = g_strdup_printf ("usage-chart-%s-%s-narrow.png", name, dark ? "dark" : "light");
      g_autofree char *page_name = g_strdup_printf ("usage-page-%s-%s.png", name, dark ? "dark" : "light");
      g_autofree char *chart_path = g_build_filename (dir, chart_name, NULL);
      g_autofree char *narrow_path = g_build_filename (dir, narrow_name, NULL);
      g_autofree char *page_path = g_build_filename (dir, page_name, NULL);

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      wait_ms (300);
      g_assert_true (_wr_usage_chart_write_png (chart, chart_path, 760, 280, &error));
      g_assert_no_error (error);
      g_assert_true (_wr_usage_chart_write_png (chart, narrow_path, 340, 260, &error));
      g_assert_no_error (error);
      save_window_png (f->window, page_path);
      g_test_message ("wrote %s, %s and %s", chart_path, narrow_path, page_path);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* Tests ---------------------------------------------------------------------- */

static void
test_chart_days_and_models (Fixture       *f,
                            gconstpointer  data)
{
  WrUsageChart *chart;
  WrUsagePlot *plot;
  WrUsageTotals totals;

  seed_usage (f);
  show_view (f);
  wait_view_loaded (f);

  /* "This project": Alpha in the last 30 days. */
  g_assert_cmpuint (gtk_drop_down_get_selected (_wr_usage_view_get_filter (f->view)), ==, 0);
  g_assert_cmpstr (_wr_usage_view_get_chart_page (f->view), ==, "chart");
  chart = _wr_usage_view_get_chart (f->view);
  g_assert_false (wr_usage_chart_is_empty (chart));
  plot = _wr_usage_chart_get_plot (chart);
  g_assert_cmpuint (wr_usage_plot_get_n_days (plot), ==, 30);
  /* Today is the last slot, 29 days ago the first; empty days stay. */
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 29), ==, 1400 + 600 + 400);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 27), ==, 7000);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 0), ==, 100);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 28), ==, 0);
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "gpt-4o-mini"), ==, 1400 + 600 + 7000 + 100);
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "claude-3-5-haiku"), ==, 400);
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "gpt-4o"), ==, 0);
  g_assert_cmpuint (wr_usage_plot_get_n_series (plot), ==, 2);
  g_assert_cmpstr (wr_usage_plot_get_series_label (plot, 0), ==, "gpt-4o-mini");
  g_assert_cmpstr (_wr_usage_chart_get_summary (chart), ==,
                   "Last 30 days: 9,500 tokens, most used gpt-4o-mini.");

  g_assert_true (_wr_usage_view_get_totals (f->view, &totals));
  g_assert_cmpint (totals.calls, ==, 5);
  g_assert_cmpint (totals.input_tokens, ==, 6950);
  g_assert_cmpint (totals.output_tokens, ==, 2550);
  g_assert_cmpint (totals.estimated_calls, ==, 1);
  g_assert_cmpint (totals.cost_micros, >, 0);

  /* Today's tokens count every project against the daily limit (free:
   * 10,000), and the line says so. */
  g_assert_cmpstr (_wr_usage_view_get_quota_text (f->view), ==, "2,400 of 10,000 tokens today");

  maybe_screenshot (f, "alpha");

  /* "All projects": Beta's gpt-4o joins, and is now the largest model. */
  gtk_drop_down_set_selected (_wr_usage_view_get_filter (f->view), 1);
  g_assert_true (_wr_usage_view_get_loading (f->view));
  wait_view_loaded (f);
  g_assert_true (_wr_usage_view_get_totals (f->view, &totals));
  g_assert_cmpint (totals.calls, ==, 7);
  g_assert_cmpint (totals.input_tokens, ==, 6950 + 23000);
  plot = _wr_usage_chart_get_plot (chart);
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "gpt-4o"), ==, 28000);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 28), ==, 24000);
  g_assert_cmpstr (wr_usage_plot_get_top_model (plot), ==, "gpt-4o");

  maybe_screenshot (f, "all");

  /* Another project with "This project" again: Beta only. */
  gtk_drop_down_set_selected (_wr_usage_view_get_filter (f->view), 0);
  wr_usage_view_set_project (f->view, f->beta);
  wait_view_loaded (f);
  g_assert_true (_wr_usage_view_get_totals (f->view, &totals));
  g_assert_cmpint (totals.calls, ==, 2);
  g_assert_cmpint (totals.estimated_calls, ==, 0);
}

static gboolean
chart_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (_wr_usage_view_get_chart_page (f->view), "chart") == 0;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  WrUsageTotals totals;
  WrUsageChart *chart;

  show_view (f);
  wait_view_loaded (f);

  g_assert_cmpstr (_wr_usage_view_get_chart_page (f->view), ==, "empty");
  chart = _wr_usage_view_get_chart (f->view);
  g_assert_true (wr_usage_chart_is_empty (chart));
  g_assert_cmpuint (wr_usage_plot_get_n_days (_wr_usage_chart_get_plot (chart)), ==, 30);
  g_assert_cmpstr (_wr_usage_chart_get_summary (chart), ==, "Last 30 days: no usage.");
  g_assert_true (_wr_usage_view_get_totals (f->view, &totals));
  g_assert_cmpint (totals.calls, ==, 0);
  g_assert_cmpint (_wr_usage_view_get_balance (f->view), ==, 0);

  maybe_screenshot (f, "empty");

  /* A reply recorded while the page is shown appears without a reload by
   * hand: billing's "changed" refreshes it. */
  record (f, 0, f->alpha, "gpt-4o-mini", 10, 20, FALSE);
  g_assert_true (wait_for (chart_shown, f, 10000));
  wait_view_loaded (f);
  g_assert_true (_wr_usage_view_get_totals (f->view, &totals));
  g_assert_cmpint (totals.calls, ==, 1);
}

/* A reply streamed by the chat service while the page is shown: the page
 * refreshes on its own (billing's "changed"), no polling, no reload by hand. */

typedef struct {
  gboolean   done;
  WrMessage *message;
  GError    *error;
} SendWait;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendWait *wait = user_data;

  wait->message = wr_chat_service_send_finish (WR_CHAT_SERVICE (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
view_shows_one_call (gpointer data)
{
  Fixture *f = data;
  WrUsageTotals totals;

  return view_loaded (f) && _wr_usage_view_get_totals (f->view, &totals) && totals.calls == 1;
}

static void
test_reply_updates_page (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = NULL;
  SendWait wait = { 0 };
  WrUsagePlot *plot;
  gint64 deadline;

  chat = wr_store_create_chat (wr_session_get_store (f->session), wr_project_get_id (f->alpha),
                               NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_model (chat, "mock-echo");

  show_view (f);
  wait_view_loaded (f);
  g_assert_cmpstr (_wr_usage_view_get_chart_page (f->view), ==, "empty");

  wr_chat_service_send_async (wr_session_get_chat_service (f->session), chat, "Hello there",
                              NULL, send_cb, &wait);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!wait.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait.done);
  g_assert_no_error (wait.error);
  g_clear_object (&wait.message);

  g_assert_true (wait_for (view_shows_one_call, f, 10000));
  g_assert_cmpstr (_wr_usage_view_get_chart_page (f->view), ==, "chart");
  plot = _wr_usage_chart_get_plot (_wr_usage_view_get_chart (f->view));
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "mock-echo"), >, 0);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 29), ==,
                   wr_usage_plot_get_model_tokens (plot, "mock-echo"));
}

/* Only for the screenshots: many models over many days, and today over the
 * free plan's limit. */
static void
test_screenshots_busy (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const models[] = {
    "gpt-4o-mini", "claude-3-5-haiku-20241022", "gemini-2.0-flash", "llama3.2:3b",
    "mistral-small-latest", "gpt-4.1-nano", "o3-mini", "qwen2.5-coder:7b",
  };

  if (g_getenv ("WR_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("Set WR_SCREENSHOT_DIR to write screenshots");
      return;
    }

  for (int day = 0; day < 30; day++)
    for (guint m = 0; m < G_N_ELEMENTS (models); m++)
      if ((day + m) % 3 != 0)
        record (f, day, f->alpha, models[m], 200 * (m + 1) * (day % 7 + 1), 90 * (m + 1), m == 3);
  /* Over the free plan's 10,000 a day. */
  record (f, 0, f->beta, "gpt-4o-mini", 4000, 1000, FALSE);

  show_view (f);
  wait_view_loaded (f);
  g_assert_cmpstr (_wr_usage_view_get_chart_page (f->view), ==, "chart");
  g_assert_cmpuint (wr_usage_plot_get_n_series (_wr_usage_chart_get_plot (_wr_usage_view_get_chart (f->view))), ==, 6);
  maybe_screenshot (f, "busy");
}

/* Top-up and ledger --------------------------------------------------------- */

static gboolean
dialog_idle (gpointer data)
{
  return !_wr_topup_dialog_get_busy (data);
}

static gboolean
dialog_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static gboolean
ledger_loaded (gpointer data)
{
  return !_wr_ledger_dialog_get_loading (data)
         && g_list_model_get_n_items (_wr_ledger_dialog_get_entries (data)) > 0;
}

static gboolean
view_has_balance (gpointer data)
{
  Fixture *f = data;

  return view_loaded (f) && _wr_usage_view_get_balance (f->view) == 12 * CREDIT + CREDIT / 2;
}

static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child, text);
      if (label != NULL)
        return label;
    }
  return NULL;
}

typedef struct {
  GtkWidget  *widget;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return find_label (wait->widget, wait->text) != NULL;
}

static void
try_amount (WrTopupDialog *dialog,
            const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (_wr_topup_dialog_get_entry (dialog)), text);
  g_assert_null (_wr_topup_dialog_get_error (dialog));
  _wr_topup_dialog_confirm (dialog);
}

static void
test_topup_and_ledger (Fixture       *f,
                       gconstpointer  data)
{
  WrBilling *billing = wr_session_get_billing (f->session);
  g_autoptr(GtkWidget) dialog = NULL;
  g_autoptr(GtkWidget) ledger = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  WrLedgerItem *item;
  LabelWait wait;

  show_view (f);
  wait_view_loaded (f);
  g_assert_cmpint (_wr_usage_view_get_balance (f->view), ==, 0);

  dialog = g_object_ref (_wr_usage_view_open_topup (f->view));
  g_assert_true (WR_IS_TOPUP_DIALOG (dialog));

  /* Refused amounts: a message, nothing written, the dialog stays. */
  try_amount (WR_TOPUP_DIALOG (dialog), "0");
  g_assert_nonnull (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)));
  g_assert_true (strstr (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)), "greater than zero") != NULL);
  g_assert_false (_wr_topup_dialog_get_busy (WR_TOPUP_DIALOG (dialog)));

  try_amount (WR_TOPUP_DIALOG (dialog), "abc");
  g_assert_nonnull (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)));
  g_assert_true (strstr (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)), "“abc”") != NULL);

  try_amount (WR_TOPUP_DIALOG (dialog), "-5");
  g_assert_cmpstr (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)), ==, "Enter an amount greater than zero.");
  try_amount (WR_TOPUP_DIALOG (dialog), "1.0000001");
  g_assert_nonnull (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)));
  maybe_save_window (dialog, "topup-dialog-error");

  wait_ms (100);
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_cmpint (wr_billing_get_balance (billing, NULL), ==, 0);

  /* Typing again clears the message; an exact amount goes through. */
  try_amount (WR_TOPUP_DIALOG (dialog), "12.50");
  g_assert_null (_wr_topup_dialog_get_error (WR_TOPUP_DIALOG (dialog)));
  g_assert_true (wait_for (dialog_idle, dialog, 10000));
  g_assert_true (wait_for (dialog_hidden, dialog, 10000));
  g_assert_cmpint (wr_billing_get_balance (billing, NULL), ==, 12500000);

  entries = wr_billing_list_ledger (billing, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((WrLedgerEntry *) entries->pdata[0])->delta, ==, 12500000);
  g_assert_cmpstr (((WrLedgerEntry *) entries->pdata[0])->reason, ==, "topup");

  /* The page shows the new balance. */
  g_assert_true (wait_for (view_has_balance, f, 10000));

  /* A reply's reservation, newest first in the history. */
  {
    g_autofree char *reservation = NULL;

    g_assert_true (wr_billing_reserve (billing, CREDIT / 4, NULL, NULL, &reservation, &error));
    g_assert_no_error (error);
  }

  ledger = g_object_ref (_wr_usage_view_open_ledger (f->view));
  g_assert_true (wait_for (ledger_loaded, ledger, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (_wr_ledger_dialog_get_entries (WR_LEDGER_DIALOG (ledger))), ==, 2);
  item = g_list_model_get_item (_wr_ledger_dialog_get_entries (WR_LEDGER_DIALOG (ledger)), 0);
  g_assert_cmpstr (wr_ledger_item_get_entry (item)->reason, ==, "chat_usage");
  g_object_unref (item);

  /* The rows say what happened in words, with signed amounts. */
  wait.widget = _wr_ledger_dialog_get_list (WR_LEDGER_DIALOG (ledger));
  wait.text = "Top-up";
  g_assert_true (wait_for (label_shown, &wait, 10000));
  wait.text = "+12.50";
  g_assert_true (wait_for (label_shown, &wait, 10000));
  wait.text = "Chat reply";
  g_assert_true (wait_for (label_shown, &wait, 10000));
  wait.text = "-0.25";
  g_assert_true (wait_for (label_shown, &wait, 10000));
  maybe_save_window (ledger, "ledger-dialog");

  gtk_window_destroy (GTK_WINDOW (ledger));
}

/* Plan page ----------------------------------------------------------------- */

static gboolean
plan_page_idle (gpointer data)
{
  return !_wr_plan_page_get_busy (data);
}

static gint64
own_limit (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = wr_store_get_profile (wr_session_get_store (f->session), &error);

  g_assert_no_error (error);
  return wr_profile_get_daily_token_limit (profile);
}

static void
test_plan_page (Fixture       *f,
                gconstpointer  data)
{
  WrBilling *billing = wr_session_get_billing (f->session);
  g_autoptr(GError) error = NULL;
  WrPlanPage *page;
  GtkWidget *pro;

  g_assert_true (wr_billing_set_daily_token_limit (billing, 1234, &error));
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 700, 800);
  page = WR_PLAN_PAGE (wr_plan_page_new (f->session));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wait_for (plan_page_idle, page, 10000));

  /* What the profile says: free, with its own limit of 1,234. */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_plan_page_get_plan_button (page, "free"))));
  g_assert_false (gtk_switch_get_active (_wr_plan_page_get_use_plan_switch (page)));
  g_assert_cmpint ((gint64) gtk_spin_button_get_value (_wr_plan_page_get_limit_spin (page)), ==, 1234);
  maybe_save_window (f->window, "plan-page");

  /* Choosing Pro saves it, and keeps the own limit. */
  pro = _wr_plan_page_get_plan_button (page, "pro");
  gtk_widget_activate (pro);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (pro)));
  g_assert_true (_wr_plan_page_get_busy (page));
  g_assert_true (wait_for (plan_page_idle, page, 10000));
  g_assert_cmpstr (wr_plan_get_name (wr_billing_get_plan (billing, NULL)), ==, "pro");
  g_assert_cmpint (own_limit (f), ==, 1234);

  /* A new own limit, then back to the plan's. */
  gtk_spin_button_set_value (_wr_plan_page_get_limit_spin (page), 5000);
  g_assert_true (wait_for (plan_page_idle, page, 10000));
  g_assert_cmpint (own_limit (f), ==, 5000);
  gtk_switch_set_active (_wr_plan_page_get_use_plan_switch (page), TRUE);
  g_assert_true (wait_for (plan_page_idle, page, 10000));
  g_assert_cmpint (own_limit (f), ==, -1);
  g_assert_cmpstr (wr_plan_get_name (wr_billing_get_plan (billing, NULL)), ==, "pro");

  /* Quick changes end with what the page shows. */
  gtk_widget_activate (_wr_plan_page_get_plan_button (page, "enterprise"));
  gtk_widget_activate (_wr_plan_page_get_plan_button (page, "free"));
  g_assert_true (wait_for (plan_page_idle, page, 10000));
  g_assert_cmpstr (wr_plan_get_name (wr_billing_get_plan (billing, NULL)), ==, "free");
}

/* The plot alone ------------------------------------------------------------ */

static WrUsageDay *
usage_day (const char *day,
           const char *model,
           gint64      tokens)
{
  WrUsageDay *row = g_new0 (WrUsageDay, 1);

  row->day = g_strdup (day);
  row->model = g_strdup (model);
  row->calls = 1;
  row->input_tokens = tokens;
  return row;
}

static void
test_plot_many_models (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_usage_day_free);
  g_autoptr(WrUsagePlot) plot = NULL;
  g_autofree char *tooltip = NULL;
  GDate last;

  g_date_clear (&last, 1);
  g_date_set_dmy (&last, 30, G_DATE_JUNE, 2025);

  /* Eight models: the five largest keep colours, three share "Other". */
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *model = g_strdup_printf ("model-%d", i);

      g_ptr_array_add (rows, usage_day ("2025-06-30", model, 1000 * (8 - i)));
    }
  g_ptr_array_add (rows, usage_day ("2025-06-01", "model-0", 5));
  g_ptr_array_add (rows, usage_day ("2025-05-31", "model-0", 999999));   /* before the window */
  g_ptr_array_add (rows, usage_day ("2025-06-10", "", 7));

  plot = wr_usage_plot_new (rows, &last, 30);
  g_assert_cmpuint (wr_usage_plot_get_n_series (plot), ==, 6);
  g_assert_cmpstr (wr_usage_plot_get_series_label (plot, 0), ==, "model-0");
  g_assert_cmpstr (wr_usage_plot_get_series_label (plot, 4), ==, "model-4");
  g_assert_cmpstr (wr_usage_plot_get_series_label (plot, 5), ==, "Other");
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "model-0"), ==, 8005);
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, "model-7"), ==, 1000);
  g_assert_cmpint (wr_usage_plot_get_model_tokens (plot, ""), ==, 7);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 0), ==, 5);
  g_assert_cmpint (wr_usage_plot_get_day_tokens (plot, 9), ==, 7);
  g_assert_cmpint (wr_usage_plot_get_total_tokens (plot), ==, 36000 + 12);

  tooltip = wr_usage_plot_dup_tooltip (plot, 29, 0);
  g_assert_true (strstr (tooltip, "<b>model-0: 8,000 tokens") != NULL);
  g_assert_true (strstr (tooltip, "Total: 36,000 tokens in 8 calls") != NULL);
}

static void
test_format (void)
{
  g_autofree char *a = wr_usage_format_count (12400);
  g_autofree char *b = wr_usage_format_count (1234567);
  g_autofree char *c = wr_usage_format_short (2500);
  g_autofree char *d = wr_usage_format_short (250000);
  g_autofree char *e = wr_usage_format_short (1500000);
  g_autofree char *g = wr_usage_format_short (750);
  g_autofree char *h = wr_usage_describe_reason ("topup");
  g_autofree char *i = wr_usage_describe_reason ("summary_usage");

  g_assert_cmpstr (a, ==, "12,400");
  g_assert_cmpstr (b, ==, "1,234,567");
  g_assert_cmpstr (c, ==, "2.5k");
  g_assert_cmpstr (d, ==, "250k");
  g_assert_cmpstr (e, ==, "1.5M");
  g_assert_cmpstr (g, ==, "750");
  g_assert_cmpstr (h, ==, "Top-up");
  g_assert_cmpstr (i, ==, "Summary usage");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WrMockServer) mock = NULL;
  int status;

  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
  /* A provider from the environment, before any thread starts: the mock
   * server, on this process's main context. */
  mock = wr_mock_server_new ();
  g_setenv ("OPENAI_BASE_URL", wr_mock_server_get_url (mock), TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-test-not-a-key", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* What GtkApplication does for the app: our icons from resources. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/workroom/Workroom/icons");

  g_test_add_func ("/usage/format", test_format);
  g_test_add_func ("/usage/plot/many-models", test_plot_many_models);
  g_test_add ("/usage/view/chart-days-models-filter", Fixture, NULL, fixture_setup,
              test_chart_days_and_models, fixture_teardown);
  g_test_add ("/usage/view/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/usage/view/screenshots-busy", Fixture, NULL, fixture_setup,
              test_screenshots_busy, fixture_teardown);
  g_test_add ("/usage/view/topup-and-ledger", Fixture, NULL, fixture_setup,
              test_topup_and_ledger, fixture_teardown);
  g_test_add ("/usage/view/reply-updates-page", Fixture, NULL, fixture_setup,
              test_reply_updates_page, fixture_teardown);
  g_test_add ("/usage/plan-page", Fixture, NULL, fixture_setup, test_plan_page, fixture_teardown);

  status = g_test_run ();
  return status;
}
