/* test-models-page.c — Preferences › Models and the price dialog, against
 * the mock server (an OpenAI-style provider on this machine: free) and a
 * cloud provider that cannot be reached (its default model listed as
 * unavailable, with its built-in price).
 *
 * What a user relies on: every provider's models listed with price and
 * capabilities; a price typed in the dialog is stored exactly for that
 * model and shows on the page, marked Custom; a bad price is refused in
 * the dialog and nothing is stored; Reset brings back the built-in price;
 * capabilities are saved; Refresh asks the providers again.
 *
 * With WR_SCREENSHOT_DIR set, saves the page and the dialog in the light
 * and the dark style. Needs a display (xvfb-run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <adwaita.h>

#include "workroom.h"
#include "wr-models-page.h"
#include "wr-models-page-private.h"
#include "wr-price-dialog.h"
#include "wr-price-dialog-private.h"
#include "wr-mock-server.h"
#include "gui-test-util.h"

#define N_MOCK_MODELS 13   /* 12 chat models + mock-embed */
#define AWAY_MODEL "claude-3-5-haiku-latest"
/* TEST-NET-1 (RFC 5737): not this machine, so priced; never answers. */
#define AWAY_URL "http://192.0.2.1:9/anthropic/v1"

typedef struct {
  char         *dir;
  WrMockServer *mock;
  WrSession    *session;
  WrBilling    *billing;
  GtkWidget    *window;
  WrModelsPage *page;
} Fixture;

static gboolean
page_ready (gpointer data)
{
  Fixture *f = data;

  return !_wr_models_page_get_busy (f->page) &&
         !wr_model_catalog_get_refreshing (wr_session_get_model_catalog (f->session)) &&
         _wr_models_page_find_row (f->page, "env-openai", "mock-echo") != NULL &&
         _wr_models_page_find_row (f->page, "env-anthropic", AWAY_MODEL) != NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WrProvider *away;

  f->mock = wr_mock_server_new ();
  g_setenv ("OPENAI_BASE_URL", wr_mock_server_get_url (f->mock), TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-test", TRUE);
  g_setenv ("ANTHROPIC_BASE_URL", AWAY_URL, TRUE);
  g_setenv ("ANTHROPIC_API_KEY", "sk-ant-test", TRUE);

  f->dir = g_dir_make_tmp ("wr-test-models-page-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->billing = wr_session_get_billing (f->session);

  away = wr_provider_registry_lookup (wr_session_get_providers (f->session), "env-anthropic");
  g_assert_nonnull (away);
  wr_provider_set_default_model (away, AWAY_MODEL);
  wr_provider_set_connect_timeout (away, 2);

  f->window = adw_preferences_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 760);
  f->page = WR_MODELS_PAGE (wr_models_page_new (f->session));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (f->window), ADW_PREFERENCES_PAGE (f->page));
  gtk_window_present (GTK_WINDOW (f->window));

  g_assert_true (gui_test_wait_for (page_ready, f, 20000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->session);
  g_clear_object (&f->mock);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
}

static AdwActionRow *
row_of (Fixture    *f,
        const char *provider_id,
        const char *model)
{
  AdwActionRow *row = _wr_models_page_find_row (f->page, provider_id, model);

  g_assert_nonnull (row);
  return row;
}

static WrPriceDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (WR_IS_PRICE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
no_dialog (gpointer unused)
{
  return find_dialog () == NULL;
}

/* Chooses the model's row, as a click does. */
static WrPriceDialog *
open_dialog (Fixture    *f,
             const char *provider_id,
             const char *model)
{
  WrPriceDialog *dialog;

  g_assert_null (find_dialog ());
  g_signal_emit_by_name (row_of (f, provider_id, model), "activated");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  gui_test_wait_ms (100);
  return dialog;
}

static WrModelPrice *
price_of (Fixture    *f,
          const char *model)
{
  g_autoptr(GError) error = NULL;
  WrModelPrice *price = wr_billing_get_model_price (f->billing, model, &error);

  g_assert_no_error (error);
  g_assert_nonnull (price);
  return price;
}

static guint
n_custom_prices (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prices = wr_billing_list_prices (f->billing, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < prices->len; i++)
    n += ((WrModelPrice *) g_ptr_array_index (prices, i))->custom ? 1 : 0;
  return n;
}

static const char *expected_subtitle;
static AdwActionRow *watched_row;

static gboolean
row_shows (gpointer data)
{
  Fixture *f = data;

  return !_wr_models_page_get_busy (f->page) &&
         g_strcmp0 (adw_action_row_get_subtitle (watched_row), expected_subtitle) == 0;
}

static void
wait_for_subtitle (Fixture    *f,
                   const char *provider_id,
                   const char *model,
                   const char *subtitle)
{
  watched_row = row_of (f, provider_id, model);
  expected_subtitle = subtitle;
  if (!gui_test_wait_for (row_shows, f, 10000))
    g_error ("row %s shows “%s”, not “%s”", model, adw_action_row_get_subtitle (watched_row), subtitle);
}

/* The model rows shown under @widget. */
static guint
n_rows (gpointer widget)
{
  guint n = ADW_IS_ACTION_ROW (widget) && gtk_widget_get_visible (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += n_rows (child);
  return n;
}

/* Scrolls the page to its end: the unreachable provider's group. */
static void
scroll_to_end (Fixture *f)
{
  GtkWidget *group = GTK_WIDGET (_wr_models_page_find_group (f->page, "env-anthropic"));
  GtkWidget *scroller = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  gui_test_wait_ms (200);
}

static void
test_lists_models (Fixture       *f,
                   gconstpointer  data)
{
  AdwPreferencesGroup *local = _wr_models_page_find_group (f->page, "env-openai");
  AdwPreferencesGroup *away = _wr_models_page_find_group (f->page, "env-anthropic");
  AdwActionRow *echo = row_of (f, "env-openai", "mock-echo");
  AdwActionRow *claude = row_of (f, "env-anthropic", AWAY_MODEL);

  g_assert_null (_wr_models_page_get_status (f->page));

  /* One group per provider, titled with its name; the unreachable one
   * says why instead of failing. */
  g_assert_cmpstr (adw_preferences_group_get_title (local), ==, "OpenAI (environment)");
  g_assert_cmpstr (adw_preferences_group_get_description (local), ==, "");
  g_assert_cmpuint (n_rows (local), ==, N_MOCK_MODELS);
  g_assert_cmpstr (adw_preferences_group_get_title (away), ==, "Anthropic (environment)");
  g_assert_nonnull (adw_preferences_group_get_description (away));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (away), "192.0.2.1"));
  g_assert_cmpuint (n_rows (away), ==, 1);

  /* The mock runs on this machine: free. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (echo)), ==, "mock-echo");
  g_assert_cmpstr (adw_action_row_get_subtitle (echo), ==, "Free — runs on this computer");
  g_assert_false (_wr_models_page_row_get_custom (echo));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (echo), "wr-model-unavailable"));

  /* The cloud model: unavailable, greyed, with its built-in price and
   * the capabilities guessed from its name. */
  g_assert_cmpstr (adw_action_row_get_subtitle (claude), ==,
                   "Unavailable: Not reachable\nIn 0.80 · Out 4.00 per 1M tokens · Vision");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (claude), "wr-model-unavailable"));
  g_assert_false (_wr_models_page_row_get_custom (claude));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (claude)));

  gui_test_screenshot (f->window, "models-page");
  scroll_to_end (f);
  gui_test_screenshot (f->window, "models-page-unavailable");
}

static void
test_edit_price (Fixture       *f,
                 gconstpointer  data)
{
  WrPriceDialog *dialog = open_dialog (f, "env-anthropic", AWAY_MODEL);
  g_autoptr(WrModelPrice) before = price_of (f, AWAY_MODEL);
  g_autoptr(WrModelPrice) after = NULL;
  g_autoptr(GError) error = NULL;

  /* The price that applies now, and no reset: the user set nothing. */
  g_assert_cmpstr (before->pattern, ==, "claude*haiku*");
  g_assert_cmpstr (gtk_editable_get_text (_wr_price_dialog_get_input_row (dialog)), ==, "0.80");
  g_assert_cmpstr (gtk_editable_get_text (_wr_price_dialog_get_output_row (dialog)), ==, "4.00");
  g_assert_false (gtk_widget_is_visible (_wr_price_dialog_get_reset_button (dialog)));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_CHAT))));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_VISION))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_EMBEDDINGS))));

  /* Six decimals, exactly; a decimal comma as typed in many languages. */
  gtk_editable_set_text (_wr_price_dialog_get_input_row (dialog), " 1.234567 ");
  gtk_editable_set_text (_wr_price_dialog_get_output_row (dialog), "5,5");
  gui_test_screenshot (GTK_WIDGET (dialog), "price-dialog");
  _wr_price_dialog_save (dialog);
  g_assert_true (gui_test_wait_for (no_dialog, NULL, 10000));

  /* Stored for this model's exact name, as the user's. */
  after = price_of (f, AWAY_MODEL);
  g_assert_cmpstr (after->pattern, ==, AWAY_MODEL);
  g_assert_true (after->custom);
  g_assert_cmpint (after->input_micros_per_mtok, ==, 1234567);
  g_assert_cmpint (after->output_micros_per_mtok, ==, 5500000);
  /* Capabilities were left alone: still the guess, not stored. */
  g_assert_null (after->capabilities);
  /* Only that model: another Claude Haiku keeps the built-in price. */
  {
    g_autoptr(WrModelPrice) other = price_of (f, "claude-3-7-haiku");
    g_assert_cmpstr (other->pattern, ==, "claude*haiku*");
  }
  /* What a call costs follows: 1M in + 1M out. */
  g_assert_cmpint (wr_billing_cost_micros (f->billing, AWAY_MODEL, 1000000, 1000000, &error), ==, 6734567);
  g_assert_no_error (error);

  /* The page shows it, marked Custom. */
  wait_for_subtitle (f, "env-anthropic", AWAY_MODEL,
                     "Unavailable: Not reachable\nIn 1.234567 · Out 5.50 per 1M tokens · Vision");
  g_assert_true (_wr_models_page_row_get_custom (row_of (f, "env-anthropic", AWAY_MODEL)));
  g_assert_false (wr_model_info_get_capabilities_custom (_wr_models_page_row_get_info (row_of (f, "env-anthropic", AWAY_MODEL))));
  scroll_to_end (f);
  gui_test_screenshot (f->window, "models-page-custom");

  /* Opening it again shows the user's price, which can be reset. */
  dialog = open_dialog (f, "env-anthropic", AWAY_MODEL);
  g_assert_cmpstr (gtk_editable_get_text (_wr_price_dialog_get_input_row (dialog)), ==, "1.234567");
  g_assert_true (gtk_widget_is_visible (_wr_price_dialog_get_reset_button (dialog)));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (gui_test_wait_for (no_dialog, NULL, 5000));
}

static gboolean
dialog_idle (gpointer data)
{
  return !_wr_price_dialog_get_busy (data);
}

/* @text in the input price: refused, with a message, nothing stored. */
static void
assert_refused (Fixture       *f,
                WrPriceDialog *dialog,
                const char    *input,
                const char    *output,
                const char    *expected)
{
  const char *message;

  gtk_editable_set_text (_wr_price_dialog_get_input_row (dialog), input);
  gtk_editable_set_text (_wr_price_dialog_get_output_row (dialog), output);
  g_assert_null (_wr_price_dialog_get_error (dialog));
  _wr_price_dialog_save (dialog);
  g_assert_true (gui_test_wait_for (dialog_idle, dialog, 10000));
  gui_test_wait_ms (50);

  message = _wr_price_dialog_get_error (dialog);
  if (message == NULL || strstr (message, expected) == NULL)
    g_error ("“%s” / “%s”: message “%s”, expected “%s”", input, output, message, expected);
  g_assert_true (find_dialog () == dialog);
  g_assert_cmpuint (n_custom_prices (f), ==, 0);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  WrPriceDialog *dialog = open_dialog (f, "env-anthropic", AWAY_MODEL);
  g_autoptr(WrModelPrice) price = NULL;
  GtkWidget *input = GTK_WIDGET (_wr_price_dialog_get_input_row (dialog));

  assert_refused (f, dialog, "-1", "4", "cannot be negative");
  g_assert_true (gtk_widget_has_css_class (input, "error"));
  gui_test_screenshot (GTK_WIDGET (dialog), "price-dialog-error");
  assert_refused (f, dialog, "cheap", "4", "“cheap” is not an amount");
  assert_refused (f, dialog, "", "4", "Input price: enter an amount");
  assert_refused (f, dialog, "1.2345678", "4", "not an amount");
  assert_refused (f, dialog, "1", "1e3", "Output price:");
  g_assert_false (gtk_widget_has_css_class (input, "error"));
  /* Parsed, but more than the price table takes: refused by billing,
   * shown the same way. */
  assert_refused (f, dialog, "5000", "4", "between 0 and 1000");

  /* Typing clears the message. */
  gtk_editable_set_text (_wr_price_dialog_get_input_row (dialog), "0.9");
  g_assert_null (_wr_price_dialog_get_error (dialog));

  /* Without a capability, a model cannot be used: refused too. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_CHAT)), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_VISION)), FALSE);
  _wr_price_dialog_save (dialog);
  g_assert_nonnull (strstr (_wr_price_dialog_get_error (dialog), "at least one"));
  g_assert_cmpuint (n_custom_prices (f), ==, 0);

  /* Cancel: nothing stored, the page unchanged. */
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (gui_test_wait_for (no_dialog, NULL, 5000));
  gui_test_wait_ms (200);
  price = price_of (f, AWAY_MODEL);
  g_assert_cmpstr (price->pattern, ==, "claude*haiku*");
  g_assert_false (price->custom);
  g_assert_cmpstr (adw_action_row_get_subtitle (row_of (f, "env-anthropic", AWAY_MODEL)), ==,
                   "Unavailable: Not reachable\nIn 0.80 · Out 4.00 per 1M tokens · Vision");
}

static gboolean
row_custom (gpointer data)
{
  return _wr_models_page_row_get_custom (data);
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrModelPrice) price = NULL;
  WrPriceDialog *dialog;

  /* A price and capabilities the user set earlier (say with the CLI). */
  g_assert_true (wr_billing_set_price (f->billing, AWAY_MODEL, 9000000, 9000000, &error));
  g_assert_true (wr_billing_set_capabilities (f->billing, AWAY_MODEL, "chat", &error));
  g_assert_no_error (error);
  wait_for_subtitle (f, "env-anthropic", AWAY_MODEL, "Unavailable: Not reachable\nIn 9.00 · Out 9.00 per 1M tokens");
  g_assert_true (gui_test_wait_for (row_custom, row_of (f, "env-anthropic", AWAY_MODEL), 5000));

  dialog = open_dialog (f, "env-anthropic", AWAY_MODEL);
  g_assert_true (gtk_widget_is_visible (_wr_price_dialog_get_reset_button (dialog)));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_VISION))));
  gui_test_screenshot (GTK_WIDGET (dialog), "price-dialog-custom");
  _wr_price_dialog_reset (dialog);
  g_assert_true (gui_test_wait_for (no_dialog, NULL, 10000));

  /* The built-in price and guess apply again; the user's row is gone. */
  price = price_of (f, AWAY_MODEL);
  g_assert_cmpstr (price->pattern, ==, "claude*haiku*");
  g_assert_false (price->custom);
  g_assert_cmpint (price->input_micros_per_mtok, ==, 800000);
  g_assert_cmpint (price->output_micros_per_mtok, ==, 4000000);
  g_assert_cmpuint (n_custom_prices (f), ==, 0);
  wait_for_subtitle (f, "env-anthropic", AWAY_MODEL,
                     "Unavailable: Not reachable\nIn 0.80 · Out 4.00 per 1M tokens · Vision");
  g_assert_false (_wr_models_page_row_get_custom (row_of (f, "env-anthropic", AWAY_MODEL)));
}

static void
test_capabilities (Fixture       *f,
                   gconstpointer  data)
{
  WrPriceDialog *dialog = open_dialog (f, "env-openai", "mock-echo");
  g_autoptr(WrModelPrice) price = NULL;
  WrModelInfo *info;

  /* A local model is free: only what it can do is asked. */
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (_wr_price_dialog_get_input_row (dialog))));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (_wr_price_dialog_get_output_row (dialog))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_VISION))));
  gui_test_screenshot (GTK_WIDGET (dialog), "price-dialog-local");

  gtk_widget_activate (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_VISION));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (_wr_price_dialog_get_check (dialog, WR_MODEL_CAPABILITY_VISION))));
  _wr_price_dialog_save (dialog);
  g_assert_true (gui_test_wait_for (no_dialog, NULL, 10000));

  price = price_of (f, "mock-echo");
  g_assert_cmpstr (price->pattern, ==, "mock-echo");
  g_assert_cmpstr (price->capabilities, ==, "chat,vision");
  /* Setting capabilities keeps the price that applied (the default). */
  g_assert_cmpint (price->input_micros_per_mtok, ==, 2500000);

  wait_for_subtitle (f, "env-openai", "mock-echo", "Free — runs on this computer · Vision");
  info = _wr_models_page_row_get_info (row_of (f, "env-openai", "mock-echo"));
  g_assert_true (wr_model_info_get_capabilities_custom (info));
  g_assert_true (wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_VISION));
  g_assert_true (_wr_models_page_row_get_custom (row_of (f, "env-openai", "mock-echo")));
  /* The others keep their guess. */
  g_assert_false (_wr_models_page_row_get_custom (row_of (f, "env-openai", "mock-markdown")));
  g_assert_cmpstr (adw_action_row_get_subtitle (row_of (f, "env-openai", "mock-markdown")), ==,
                   "Free — runs on this computer");

  /* Saving without a change writes nothing. */
  dialog = open_dialog (f, "env-openai", "mock-markdown");
  _wr_price_dialog_save (dialog);
  g_assert_true (gui_test_wait_for (no_dialog, NULL, 5000));
  g_assert_cmpuint (n_custom_prices (f), ==, 1);
}

static guint models_requests_before;

static gboolean
refreshed_again (gpointer data)
{
  Fixture *f = data;

  return wr_mock_server_get_models_count (f->mock) > models_requests_before &&
         !wr_model_catalog_get_refreshing (wr_session_get_model_catalog (f->session)) &&
         !_wr_models_page_get_busy (f->page);
}

static gboolean
catalog_refreshing (gpointer data)
{
  Fixture *f = data;

  return wr_model_catalog_get_refreshing (wr_session_get_model_catalog (f->session));
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (f->page), "models.refresh");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  models_requests_before = wr_mock_server_get_models_count (f->mock);

  gtk_widget_activate (button);
  g_assert_true (gui_test_wait_for (catalog_refreshing, f, 2000));
  /* Offered again once this one is done, not meanwhile: asking twice
   * lists once. */
  g_assert_false (gtk_widget_is_sensitive (button));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "models.refresh", NULL);
  g_assert_true (gui_test_wait_for (refreshed_again, f, 15000));
  g_assert_cmpuint (wr_mock_server_get_models_count (f->mock), ==, models_requests_before + 1);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_nonnull (_wr_models_page_find_row (f->page, "env-anthropic", AWAY_MODEL));
  g_assert_cmpuint (n_rows (_wr_models_page_find_group (f->page, "env-openai")), ==, N_MOCK_MODELS);

  /* Closing the window during a refresh stops it (teardown checks the
   * page and its callbacks go cleanly, under ASan too). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "models.refresh", NULL));
  g_assert_true (wr_model_catalog_get_refreshing (wr_session_get_model_catalog (f->session)));
}

static void
test_no_providers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wr-test-models-page-XXXXXX", &error);
  g_autoptr(WrSession) session = NULL;
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page;

  g_unsetenv ("OPENAI_BASE_URL");
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("ANTHROPIC_BASE_URL");
  g_unsetenv ("ANTHROPIC_API_KEY");
  g_assert_no_error (error);
  session = wr_session_new (dir, NULL, &error);
  g_assert_no_error (error);

  page = wr_models_page_new (session);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
  gui_test_wait_ms (200);

  /* Says what to do, offers no refresh and starts none. */
  g_assert_cmpstr (_wr_models_page_get_status (WR_MODELS_PAGE (page)), ==, "No Providers");
  g_assert_false (gtk_widget_is_sensitive (find_action_button (page, "models.refresh")));
  g_assert_false (wr_model_catalog_get_refreshing (wr_session_get_model_catalog (session)));
  g_assert_null (_wr_models_page_find_group (WR_MODELS_PAGE (page), "env-openai"));
  gui_test_screenshot (window, "models-page-empty");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&session);
  gui_test_remove_dir (dir);
}

/* Knowledge Search: the search row offers the embeddings models (and
 * None), the image description row the vision models; a choice is saved
 * in the profile, and None clears it. */
static gboolean
knowledge_idle (gpointer data)
{
  return !_wr_knowledge_models_group_get_busy (data);
}

static guint
find_label (AdwComboRow *row,
            const char  *prefix)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (model), i), prefix))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
vision_lists_echo (gpointer data)
{
  return find_label (data, "mock-echo — ") != GTK_INVALID_LIST_POSITION;
}

static void
test_knowledge_models (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = NULL;
  WrKnowledgeModelsGroup *group = _wr_models_page_get_knowledge_group (f->page);
  AdwComboRow *search = _wr_knowledge_models_group_get_search_row (group);
  AdwComboRow *vision = _wr_knowledge_models_group_get_vision_row (group);
  GListModel *labels;
  guint embed;
  guint echo;

  g_assert_true (gui_test_wait_for (knowledge_idle, group, 5000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (search)), ==, "Search Model");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (vision)), ==, "Image Description Model");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)),
                            "indexed in the background"));

  /* None, then only embeddings models: mock-embed, no chat model. */
  labels = adw_combo_row_get_model (search);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), 0), ==, "None");
  g_assert_cmpuint (adw_combo_row_get_selected (search), ==, 0);
  embed = find_label (search, "mock-embed — ");
  g_assert_cmpuint (embed, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (find_label (search, "mock-echo"), ==, GTK_INVALID_LIST_POSITION);

  adw_combo_row_set_selected (search, embed);
  g_assert_true (gui_test_wait_for (knowledge_idle, group, 5000));
  profile = wr_store_get_profile (wr_session_get_store (f->session), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_embeddings_model (profile), ==, "mock-embed");
  g_assert_cmpstr (wr_profile_get_embeddings_provider_id (profile), ==, "env-openai");
  g_assert_null (wr_profile_get_vision_model (profile));
  g_clear_object (&profile);

  /* A model the user marks as seeing images joins the vision row. */
  g_assert_cmpuint (find_label (vision, "mock-echo — "), ==, GTK_INVALID_LIST_POSITION);
  g_assert_true (wr_billing_set_capabilities (f->billing, "mock-echo", "chat,vision", &error));
  g_assert_no_error (error);
  g_assert_true (gui_test_wait_for (vision_lists_echo, vision, 5000));
  /* The search choice survives the catalogue changing. */
  g_assert_cmpuint (adw_combo_row_get_selected (search), ==, find_label (search, "mock-embed — "));
  echo = find_label (vision, "mock-echo — ");
  adw_combo_row_set_selected (vision, echo);
  adw_combo_row_set_selected (search, 0);
  g_assert_true (gui_test_wait_for (knowledge_idle, group, 5000));
  profile = wr_store_get_profile (wr_session_get_store (f->session), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_profile_get_vision_model (profile), ==, "mock-echo");
  g_assert_null (wr_profile_get_embeddings_model (profile));
  g_assert_null (wr_profile_get_embeddings_provider_id (profile));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
  g_unsetenv ("OLLAMA_HOST");
  g_unsetenv ("GOOGLE_API_KEY");
  g_unsetenv ("WORKROOM_DEFAULT_MODEL");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Under Xvfb without a window manager, the window with the focused
   * entry can turn inactive while its cursor blinks, which GTK 4.8 warns
   * about (fatal here). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add ("/models-page/lists-models", Fixture, NULL, fixture_setup, test_lists_models, fixture_teardown);
  g_test_add ("/models-page/edit-price", Fixture, NULL, fixture_setup, test_edit_price, fixture_teardown);
  g_test_add ("/models-page/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/models-page/reset", Fixture, NULL, fixture_setup, test_reset, fixture_teardown);
  g_test_add ("/models-page/capabilities", Fixture, NULL, fixture_setup, test_capabilities, fixture_teardown);
  g_test_add ("/models-page/refresh", Fixture, NULL, fixture_setup, test_refresh, fixture_teardown);
  g_test_add ("/models-page/knowledge-models", Fixture, NULL, fixture_setup, test_knowledge_models, fixture_teardown);
  g_test_add_func ("/models-page/no-providers", test_no_providers);

  return g_test_run ();
}
