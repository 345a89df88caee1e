/* test-failover-page.c — the Failover page of Preferences on a real store:
 * the router's chains shown, a chain edited through its widgets (pattern,
 * fallback added, provider chosen, moved, removed), each change in effect
 * in the router and saved in the profile (read back by a second session),
 * invalid input explained in the row while the chain as saved stays in
 * effect, a new chain, removing one, and restoring the defaults.
 * Needs a display (the gui suite runs under xvfb-run). */
#include <string.h>

#include <adwaita.h>

#include "workroom.h"
#include "wr-failover-page.h"
#include "wr-failover-page-private.h"
#include "gui-test-util.h"

typedef struct {
  char           *dir;
  WrSession      *session;
  WrProvider     *local;      /* a stored provider, for the provider choices */
  GtkWidget      *window;
  WrFailoverPage *page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-failover-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);

  /* No key: nothing goes to the keyring. */
  f->local = wr_provider_registry_add (wr_session_get_providers (f->session),
                                       "Lab Server", "openai", "http://127.0.0.1:9/v1",
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_object_ref (f->local);

  f->window = adw_preferences_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 720);
  f->page = WR_FAILOVER_PAGE (wr_failover_page_new (f->session));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (f->window), ADW_PREFERENCES_PAGE (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  gui_test_wait_ms (100);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->local);
  g_clear_object (&f->session);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
}

static WrFailoverPolicy *
router_policy (Fixture *f)
{
  return wr_router_get_policy (wr_chat_service_get_router (wr_session_get_chat_service (f->session)));
}

static WrFailoverChainRow *
chain_row (Fixture *f,
           guint    index)
{
  WrFailoverChainRow *row = _wr_failover_page_get_chain_row (f->page, index);

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
fallback_widget (WrFailoverChainRow *row,
                 guint               index,
                 const char         *which)
{
  GtkWidget *widget = _wr_failover_chain_row_get_fallback_widget (row, index, which);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
save_done (gpointer data)
{
  Fixture *f = data;

  return !_wr_failover_page_get_save_pending (f->page);
}

/* Typing waits for a pause before saving. */
static void
wait_saved (Fixture *f)
{
  g_assert_true (gui_test_wait_for (save_done, f, 5000));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
select_provider (WrFailoverChainRow *row,
                 guint               index,
                 const char         *value)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (fallback_widget (row, index, "provider"));
  GListModel *choices = gtk_drop_down_get_model (dropdown);
  guint n = g_list_model_get_n_items (choices);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (choices, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), value) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
  g_assert_not_reached ();
}

/* The profile as a second session reads it at start. */
static WrFailoverPolicy *
reopened_policy (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrSession) session = wr_session_new (f->dir, NULL, &error);
  WrFailoverPolicy *policy;

  g_assert_no_error (error);
  policy = wr_router_get_policy (wr_chat_service_get_router (wr_session_get_chat_service (session)));
  return g_object_ref (policy);
}

static char *
saved_profile_json (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = wr_store_get_profile (wr_session_get_store (f->session), &error);

  g_assert_no_error (error);
  return g_strdup (wr_profile_get_failover_policy (profile));
}

static void
assert_target (WrFailoverPolicy *policy,
               guint             chain,
               guint             index,
               const char       *provider,
               const char       *model)
{
  const WrFailoverTarget *targets;
  guint n = 0;

  targets = wr_failover_policy_get_targets (policy, chain, &n);
  g_assert_cmpuint (index, <, n);
  g_assert_cmpstr (targets[index].provider, ==, provider);
  g_assert_cmpstr (targets[index].model, ==, model);
}

static guint
n_targets (WrFailoverPolicy *policy,
           guint             chain)
{
  guint n = 0;

  wr_failover_policy_get_targets (policy, chain, &n);
  return n;
}

/* Opened on a fresh profile: the shipped chains, summarised in their rows. */
static void
test_shows_router_chains (Fixture       *f,
                          gconstpointer  data)
{
  WrFailoverChainRow *row;
  const char *subtitle;

  g_assert_cmpuint (_wr_failover_page_get_n_chain_rows (f->page), ==, 3);
  row = chain_row (f, 0);
  g_assert_cmpstr (wr_failover_chain_row_get_pattern (row), ==, "gpt-4o");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "gpt-4o");
  subtitle = adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
  g_assert_nonnull (strstr (subtitle, "Anthropic · claude-3-5-sonnet-latest"));
  g_assert_cmpstr (wr_failover_chain_row_get_pattern (chain_row (f, 1)), ==, "claude*");
  g_assert_cmpstr (wr_failover_chain_row_get_pattern (chain_row (f, 2)), ==, "gemini*");
  g_assert_null (wr_failover_chain_row_get_error (row));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  gui_test_wait_ms (200);
  gui_test_screenshot (f->window, "failover-page");
}

static void
test_edit_chain (Fixture       *f,
                 gconstpointer  data)
{
  WrFailoverChainRow *row = chain_row (f, 0);
  g_autoptr(WrFailoverPolicy) reopened = NULL;
  g_autoptr(WrFailoverPolicy) from_json = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *model;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  /* A new pattern: in effect after the pause. */
  gtk_editable_set_text (GTK_EDITABLE (_wr_failover_chain_row_get_pattern_row (row)), "gpt-4o*");
  g_assert_true (_wr_failover_page_get_save_pending (f->page));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "gpt-4o*");
  wait_saved (f);
  g_assert_cmpstr (wr_failover_policy_get_pattern (router_policy (f), 0), ==, "gpt-4o*");

  /* Add a fallback: until it names a model, the chain as saved stays. */
  click (_wr_failover_chain_row_get_add_button (row));
  g_assert_cmpuint (_wr_failover_chain_row_get_n_fallback_rows (row), ==, 2);
  g_assert_nonnull (wr_failover_chain_row_get_error (row));
  g_assert_nonnull (strstr (wr_failover_chain_row_get_error (row), "fallback 2 needs a “model”"));
  g_assert_cmpuint (n_targets (router_policy (f), 0), ==, 1);

  /* Focus goes to the new fallback's model. */
  model = fallback_widget (row, 1, "model");
  g_assert_nonnull (gtk_window_get_focus (GTK_WINDOW (f->window)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), model));
  gtk_editable_set_text (GTK_EDITABLE (model), "mock-echo");
  wait_saved (f);
  g_assert_null (wr_failover_chain_row_get_error (row));
  g_assert_cmpuint (n_targets (router_policy (f), 0), ==, 2);
  assert_target (router_policy (f), 0, 1, "openai", "mock-echo");

  /* The configured provider, by id: in effect at once. */
  select_provider (row, 1, wr_provider_get_id (f->local));
  g_assert_false (_wr_failover_page_get_save_pending (f->page));
  assert_target (router_policy (f), 0, 1, wr_provider_get_id (f->local), "mock-echo");
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                            "→ Lab Server · mock-echo"));

  /* Move it first. */
  click (fallback_widget (row, 1, "up"));
  assert_target (router_policy (f), 0, 0, wr_provider_get_id (f->local), "mock-echo");
  assert_target (router_policy (f), 0, 1, "anthropic", "claude-3-5-sonnet-latest");
  g_assert_false (gtk_widget_get_sensitive (fallback_widget (row, 0, "up")));
  g_assert_false (gtk_widget_get_sensitive (fallback_widget (row, 1, "down")));

  /* Saved in the profile, and what the next session starts with. */
  json = saved_profile_json (f);
  g_assert_nonnull (json);
  from_json = wr_failover_policy_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_failover_policy_get_pattern (from_json, 0), ==, "gpt-4o*");
  assert_target (from_json, 0, 0, wr_provider_get_id (f->local), "mock-echo");
  reopened = reopened_policy (f);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (reopened), ==, 3);
  assert_target (reopened, 0, 0, wr_provider_get_id (f->local), "mock-echo");
  assert_target (reopened, 0, 1, "anthropic", "claude-3-5-sonnet-latest");

  /* Remove the first fallback again. */
  click (fallback_widget (row, 0, "remove"));
  g_assert_cmpuint (_wr_failover_chain_row_get_n_fallback_rows (row), ==, 1);
  g_assert_cmpuint (n_targets (router_policy (f), 0), ==, 1);
  assert_target (router_policy (f), 0, 0, "anthropic", "claude-3-5-sonnet-latest");
}

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  WrFailoverChainRow *first = chain_row (f, 0);
  WrFailoverChainRow *second = chain_row (f, 1);
  GtkWidget *pattern = _wr_failover_chain_row_get_pattern_row (first);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first), TRUE);

  /* A space: explained in the row; the chain as saved stays in effect. */
  gtk_editable_set_text (GTK_EDITABLE (pattern), "gpt 4o");
  wait_saved (f);
  g_assert_nonnull (wr_failover_chain_row_get_error (first));
  g_assert_nonnull (strstr (wr_failover_chain_row_get_error (first), "without spaces"));
  g_assert_cmpuint (wr_failover_policy_get_n_chains (router_policy (f)), ==, 3);
  g_assert_cmpstr (wr_failover_policy_get_pattern (router_policy (f), 0), ==, "gpt-4o");
  gui_test_wait_ms (200);
  gui_test_screenshot (f->window, "failover-page-error");

  /* A pattern another chain above has (case aside). */
  gtk_editable_set_text (GTK_EDITABLE (pattern), "gpt-4o");
  wait_saved (f);
  g_assert_null (wr_failover_chain_row_get_error (first));
  gtk_editable_set_text (GTK_EDITABLE (_wr_failover_chain_row_get_pattern_row (second)), "GPT-4O");
  wait_saved (f);
  g_assert_nonnull (strstr (wr_failover_chain_row_get_error (second), "already has the pattern"));
  g_assert_cmpstr (wr_failover_policy_get_pattern (router_policy (f), 1), ==, "claude*");

  /* Text that would be markup is shown as typed (and is a valid pattern). */
  gtk_editable_set_text (GTK_EDITABLE (_wr_failover_chain_row_get_pattern_row (second)), "a&b<c>");
  wait_saved (f);
  g_assert_null (wr_failover_chain_row_get_error (second));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (second)), ==, "a&b<c>");
  g_assert_cmpstr (wr_failover_policy_get_pattern (router_policy (f), 1), ==, "a&b<c>");
}

static void
test_add_and_remove_chain (Fixture       *f,
                           gconstpointer  data)
{
  WrFailoverChainRow *row;
  WrFailoverPolicy *policy;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "failover.add-chain", NULL);
  g_assert_cmpuint (_wr_failover_page_get_n_chain_rows (f->page), ==, 4);
  row = chain_row (f, 3);
  /* Empty: says what to type, and is not in effect. */
  g_assert_nonnull (wr_failover_chain_row_get_error (row));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  g_assert_cmpuint (wr_failover_policy_get_n_chains (router_policy (f)), ==, 3);

  gtk_editable_set_text (GTK_EDITABLE (_wr_failover_chain_row_get_pattern_row (row)), "mistral*");
  click (_wr_failover_chain_row_get_add_button (row));
  select_provider (row, 0, "google");
  gtk_editable_set_text (GTK_EDITABLE (fallback_widget (row, 0, "model")), "gemini-2.0-flash");
  wait_saved (f);
  g_assert_null (wr_failover_chain_row_get_error (row));
  policy = router_policy (f);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (policy), ==, 4);
  g_assert_cmpstr (wr_failover_policy_get_pattern (policy, 3), ==, "mistral*");
  assert_target (policy, 3, 0, "google", "gemini-2.0-flash");

  /* Removing a chain takes it out of effect at once. */
  click (_wr_failover_chain_row_get_remove_button (chain_row (f, 1)));
  g_assert_cmpuint (_wr_failover_page_get_n_chain_rows (f->page), ==, 3);
  policy = router_policy (f);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (policy), ==, 3);
  g_assert_cmpstr (wr_failover_policy_get_pattern (policy, 0), ==, "gpt-4o");
  g_assert_cmpstr (wr_failover_policy_get_pattern (policy, 1), ==, "gemini*");
  g_assert_cmpstr (wr_failover_policy_get_pattern (policy, 2), ==, "mistral*");
}

static void
test_restore_defaults (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autoptr(WrFailoverPolicy) reopened = NULL;

  click (_wr_failover_chain_row_get_remove_button (chain_row (f, 0)));
  click (_wr_failover_chain_row_get_remove_button (chain_row (f, 0)));
  g_assert_cmpuint (wr_failover_policy_get_n_chains (router_policy (f)), ==, 1);
  json = saved_profile_json (f);
  g_assert_nonnull (json);

  /* Cancelled: nothing changes. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "failover.restore-defaults", NULL);
  gui_test_respond ("cancel");
  g_assert_cmpuint (_wr_failover_page_get_n_chain_rows (f->page), ==, 1);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (router_policy (f)), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (f->page), "failover.restore-defaults", NULL);
  gui_test_respond ("restore");
  g_assert_cmpuint (_wr_failover_page_get_n_chain_rows (f->page), ==, 3);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (router_policy (f)), ==, 3);
  g_assert_cmpstr (wr_failover_chain_row_get_pattern (chain_row (f, 0)), ==, "gpt-4o");
  g_clear_pointer (&json, g_free);
  json = saved_profile_json (f);
  g_assert_null (json);   /* NULL: the shipped chains */
  reopened = reopened_policy (f);
  g_assert_cmpuint (wr_failover_policy_get_n_chains (reopened), ==, 3);
  assert_target (reopened, 0, 0, "anthropic", "claude-3-5-sonnet-latest");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/failover-page/shows-router-chains", Fixture, NULL, fixture_setup, test_shows_router_chains, fixture_teardown);
  g_test_add ("/failover-page/edit-chain", Fixture, NULL, fixture_setup, test_edit_chain, fixture_teardown);
  g_test_add ("/failover-page/invalid-input", Fixture, NULL, fixture_setup, test_invalid_input, fixture_teardown);
  g_test_add ("/failover-page/add-and-remove-chain", Fixture, NULL, fixture_setup, test_add_and_remove_chain, fixture_teardown);
  g_test_add ("/failover-page/restore-defaults", Fixture, NULL, fixture_setup, test_restore_defaults, fixture_teardown);

  return g_test_run ();
}
