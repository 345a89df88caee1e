/* test-add-provider-page.c — the Add Provider page: each kind fills in its
 * own address, the hosted services need a key and a local server does not,
 * "Test" lists the models of every kind against the real mock server (and
 * says when the key is wrong), and a local server is added to the registry.
 * Nothing here uses the keyring: keys are only sent to the mock server.
 * Needs a display (the gui suite runs under xvfb-run). */
#include <string.h>

#include <adwaita.h>

#include "workroom.h"
#include "wr-add-provider-page.h"
#include "wr-mock-server.h"
#include "gui-test-util.h"

#define MOCK_KEY "sk-mock-add-provider"

enum {
  KIND_OPENAI,
  KIND_ANTHROPIC,
  KIND_GOOGLE,
  KIND_LOCAL,
};

enum {
  SERVER_OLLAMA,
  SERVER_LM_STUDIO,
  SERVER_LLAMA_CPP,
  SERVER_VLLM,
  SERVER_OTHER,
};

typedef struct {
  char         *dir;
  WrSession    *session;
  WrMockServer *mock;
  GtkWidget    *window;
  GtkWidget    *page;
  WrProvider   *added;
} Fixture;

static void
on_provider_added_cb (GtkWidget  *page,
                      WrProvider *provider,
                      Fixture    *f)
{
  g_set_object (&f->added, provider);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-add-provider-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->mock = wr_mock_server_new ();
  wr_mock_server_set_api_key (f->mock, MOCK_KEY);

  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 720);
  f->page = wr_add_provider_page_new (wr_session_get_providers (f->session));
  g_signal_connect (f->page, "provider-added", G_CALLBACK (on_provider_added_cb), f);
  adw_window_set_content (ADW_WINDOW (f->window), f->page);
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
  g_clear_object (&f->added);
  g_clear_object (&f->mock);
  g_clear_object (&f->session);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (f->page, WR_TYPE_ADD_PROVIDER_PAGE, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
text_of (Fixture    *f,
         const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (f, name)));
}

static void
set_text (Fixture    *f,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, name)), text);
}

static gboolean
can_add (Fixture *f)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (child (f, "add_button")));
}

static void
select_kind (Fixture *f,
             guint    kind)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (f, "kind_row")), kind);
}

static gboolean
test_finished (gpointer data)
{
  Fixture *f = data;
  GtkWidget *row = child (f, "test_row");

  return gtk_widget_has_css_class (row, "wr-test-ok") || gtk_widget_has_css_class (row, "wr-test-failed");
}

/* Presses Test and returns whether it connected; @status gets the row's
 * subtitle. */
static gboolean
run_test (Fixture  *f,
          char    **status)
{
  GtkWidget *row = child (f, "test_row");

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child (f, "test_button"))));
  gtk_widget_activate_action (f->page, "add-provider.test", NULL);
  g_assert_true (gui_test_wait_for (test_finished, f, 15000));
  *status = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));

  return gtk_widget_has_css_class (row, "wr-test-ok");
}

static void
test_kinds (Fixture       *f,
            gconstpointer  data)
{
  gui_test_screenshot (f->window, "add-provider-page-openai");

  /* OpenAI first: its address, and a key is needed. */
  g_assert_cmpstr (text_of (f, "name_row"), ==, "OpenAI");
  g_assert_cmpstr (text_of (f, "url_row"), ==, "https://api.openai.com/v1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (child (f, "server_row"))));
  g_assert_false (can_add (f));
  set_text (f, "key_row", "sk-something");
  g_assert_true (can_add (f));
  set_text (f, "key_row", "   ");
  g_assert_false (can_add (f));

  select_kind (f, KIND_ANTHROPIC);
  g_assert_cmpstr (text_of (f, "name_row"), ==, "Anthropic");
  g_assert_cmpstr (text_of (f, "url_row"), ==, "https://api.anthropic.com/v1");
  g_assert_false (can_add (f));

  select_kind (f, KIND_GOOGLE);
  g_assert_cmpstr (text_of (f, "name_row"), ==, "Google Gemini");
  g_assert_cmpstr (text_of (f, "url_row"), ==, "https://generativelanguage.googleapis.com/v1beta");
  set_text (f, "key_row", "AIza-something");
  g_assert_true (can_add (f));
  set_text (f, "key_row", "");

  /* A local server: its own address, no key needed. */
  select_kind (f, KIND_LOCAL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (f, "server_row"))));
  g_assert_cmpstr (text_of (f, "name_row"), ==, "Ollama");
  g_assert_cmpstr (text_of (f, "url_row"), ==, "http://127.0.0.1:11434/v1");
  g_assert_true (can_add (f));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (f, "server_row")), SERVER_VLLM);
  g_assert_cmpstr (text_of (f, "name_row"), ==, "vLLM");
  g_assert_cmpstr (text_of (f, "url_row"), ==, "http://127.0.0.1:8000/v1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (f, "server_row")), SERVER_LM_STUDIO);
  g_assert_cmpstr (text_of (f, "url_row"), ==, "http://127.0.0.1:1234/v1");

  /* What the user typed stays when the kind changes. */
  set_text (f, "name_row", "My Box");
  set_text (f, "url_row", "http://192.168.1.20:8080/v1");
  select_kind (f, KIND_ANTHROPIC);
  g_assert_cmpstr (text_of (f, "name_row"), ==, "My Box");
  g_assert_cmpstr (text_of (f, "url_row"), ==, "http://192.168.1.20:8080/v1");

  /* Not a web address: neither Add nor Test. */
  set_text (f, "url_row", "api.example.com");
  set_text (f, "key_row", "sk-something");
  g_assert_false (can_add (f));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child (f, "test_button"))));
}

static void
test_each_kind (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    guint        kind;
    const char *(*url) (WrMockServer *mock);
  } cases[] = {
    { KIND_OPENAI, wr_mock_server_get_url },
    { KIND_ANTHROPIC, wr_mock_server_get_anthropic_url },
    { KIND_GOOGLE, wr_mock_server_get_google_url },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *status = NULL;

      select_kind (f, cases[i].kind);
      set_text (f, "url_row", cases[i].url (f->mock));
      set_text (f, "key_row", MOCK_KEY);
      wr_mock_server_reset_counters (f->mock);
      g_assert_true (run_test (f, &status));
      g_assert_true (g_str_has_prefix (status, "Connected: "));
      g_assert_cmpuint (wr_mock_server_get_models_count (f->mock), ==, 1);
      g_test_message ("kind %u: %s", cases[i].kind, status);

      /* A wrong key is said so, in the provider's own terms. */
      g_clear_pointer (&status, g_free);
      set_text (f, "key_row", "sk-wrong");
      /* Changing a setting clears the last result. */
      g_assert_false (test_finished (f));
      g_assert_false (run_test (f, &status));
      g_assert_null (strstr (status, "sk-wrong"));
      g_test_message ("kind %u, wrong key: %s", cases[i].kind, status);
    }

  /* A local server without a key. */
  {
    g_autofree char *status = NULL;

    wr_mock_server_set_api_key (f->mock, NULL);
    select_kind (f, KIND_LOCAL);
    set_text (f, "url_row", wr_mock_server_get_url (f->mock));
    set_text (f, "key_row", "");
    g_assert_true (run_test (f, &status));
    g_assert_true (g_str_has_prefix (status, "Connected: "));
  }

  gui_test_screenshot (f->window, "add-provider-page");
}

static gboolean
was_added (gpointer data)
{
  Fixture *f = data;

  return f->added != NULL;
}

static void
test_add_local_server (Fixture       *f,
                       gconstpointer  data)
{
  WrProviderRegistry *registry = wr_session_get_providers (f->session);
  WrProvider *provider;

  select_kind (f, KIND_LOCAL);
  set_text (f, "name_row", "Mock Llama");
  set_text (f, "url_row", wr_mock_server_get_url (f->mock));
  g_assert_true (can_add (f));
  gtk_widget_activate_action (f->page, "add-provider.add", NULL);
  g_assert_true (gui_test_wait_for (was_added, f, 10000));

  provider = wr_provider_registry_lookup (registry, "Mock Llama");
  g_assert_nonnull (provider);
  g_assert_true (provider == f->added);
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "openai");
  g_assert_cmpstr (wr_provider_get_base_url (provider), ==, wr_mock_server_get_url (f->mock));
  g_assert_null (wr_provider_get_api_key (provider));
  g_assert_cmpint (wr_provider_get_source (provider), ==, WR_PROVIDER_SOURCE_STORED);

  /* The form is ready for the next one. */
  g_assert_cmpstr (text_of (f, "name_row"), ==, "OpenAI");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (f, "kind_row"))), ==, KIND_OPENAI);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The app's style (test results in colour), as the app loads it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/workroom/Workroom/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/add-provider-page/kinds", Fixture, NULL, fixture_setup, test_kinds, fixture_teardown);
  g_test_add ("/add-provider-page/test-each-kind", Fixture, NULL, fixture_setup, test_each_kind, fixture_teardown);
  g_test_add ("/add-provider-page/add-local-server", Fixture, NULL, fixture_setup, test_add_local_server, fixture_teardown);

  return g_test_run ();
}
