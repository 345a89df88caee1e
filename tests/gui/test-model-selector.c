/* test-model-selector.c — choosing models and instructions in the app's
 * widgets, against the mock server and a provider that cannot be reached:
 * the chat header's model selector (the catalogue grouped by provider,
 * unavailable models greyed with why, choosing stores the model on the
 * chat and the next send uses it, instructions per chat) and the Project
 * Settings dialog (default model and instructions saved).
 *
 * With WR_SCREENSHOT_DIR set, saves PNGs of the popover and the dialog in
 * the light and the dark style. Needs a display (xvfb-run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "workroom.h"
#include "store/wr-template.h"
#include "wr-chat-view.h"
#include "wr-chat-view-private.h"
#include "wr-model-row.h"
#include "wr-model-choice.h"
#include "wr-model-selector.h"
#include "wr-model-selector-private.h"
#include "wr-project-settings.h"
#include "wr-project-settings-private.h"
#include "wr-mock-server.h"

#define N_MOCK_MODELS 12

typedef struct {
  char            *dir;
  WrMockServer    *mock;
  WrSession       *session;
  WrProject       *project;
  WrChat          *chat;
  WrTemplate      *reviewer;
  GtkWidget       *window;
  WrChatView      *view;
  WrModelSelector *selector;
} Fixture;

static char *closed_url;

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

static gboolean
wait_until (gboolean (*done) (Fixture *f),
            Fixture  *f,
            guint     timeout_ms)
{
  gint64 until = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (f))
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

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (WR_IS_MODEL_ROW (widget))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The first label under @widget whose text is @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("WR_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL || *dir == '\0')
    return;

  wait_ms (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  wait_ms (200);
}

static gboolean
chat_open (Fixture *f)
{
  return !_wr_chat_view_get_loading (f->view) && _wr_chat_view_get_chat (f->view) != NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrTemplate) terse = wr_template_new ("Terse", "Answer in one sentence.");
  WrStore *store;
  WrProvider *away;

  f->mock = wr_mock_server_new ();
  g_setenv ("OPENAI_BASE_URL", wr_mock_server_get_url (f->mock), TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-test", TRUE);
  g_setenv ("ANTHROPIC_BASE_URL", closed_url, TRUE);
  g_setenv ("ANTHROPIC_API_KEY", "sk-ant-test", TRUE);

  f->dir = g_dir_make_tmp ("wr-test-model-selector-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  store = wr_session_get_store (f->session);

  /* The unreachable provider's default model shows as unavailable. */
  away = wr_provider_registry_lookup (wr_session_get_providers (f->session), "env-anthropic");
  g_assert_nonnull (away);
  wr_provider_set_default_model (away, "claude-3-5-haiku-latest");
  wr_provider_set_connect_timeout (away, 2);

  f->project = wr_store_create_project (store, "Models", &error);
  g_assert_no_error (error);
  g_assert_true (wr_store_set_project_default_model (store, wr_project_get_id (f->project), "mock-echo", &error));
  wr_project_set_default_model (f->project, "mock-echo");
  f->chat = wr_store_create_chat (store, wr_project_get_id (f->project), "Pick a model", &error);
  g_assert_no_error (error);

  f->reviewer = wr_template_new ("Reviewer", "You are a careful reviewer.\nPoint out risks first.");
  g_assert_true (wr_store_save_template (store, f->reviewer, &error));
  g_assert_true (wr_store_save_template (store, terse, &error));
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 980, 640);
  f->view = WR_CHAT_VIEW (wr_chat_view_new (f->session));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));

  wr_chat_view_set_project (f->view, f->project);
  g_assert_true (wait_until (chat_open, f, 10000));
  f->selector = WR_MODEL_SELECTOR (find_by_type (GTK_WIDGET (f->view), WR_TYPE_MODEL_SELECTOR));
  g_assert_nonnull (f->selector);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->selector)));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->reviewer);
  g_clear_object (&f->chat);
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  g_clear_object (&f->mock);
  remove_dir (f->dir);
  g_free (f->dir);
  set_dark (FALSE);
}

static gboolean
catalog_listed (Fixture *f)
{
  return g_list_model_get_n_items (_wr_model_selector_get_models (f->selector)) == N_MOCK_MODELS + 1 &&
         !wr_model_catalog_get_refreshing (wr_session_get_model_catalog (f->session));
}

static gboolean
selector_idle (Fixture *f)
{
  return _wr_model_selector_get_pending (f->selector) == 0;
}

static guint
find_model (Fixture    *f,
            const char *name)
{
  GListModel *models = _wr_model_selector_get_models (f->selector);

  for (guint i = 0; i < g_list_model_get_n_items (models); i++)
    {
      g_autoptr(WrModelInfo) info = g_list_model_get_item (models, i);

      if (g_str_equal (wr_model_info_get_name (info), name))
        return i;
    }
  g_assert_not_reached ();
}

static void
open_popover (Fixture *f)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (_wr_model_selector_get_button (f->selector)));
  g_assert_true (wait_until (catalog_listed, f, 15000));
  g_assert_true (wait_until (selector_idle, f, 5000));
  wait_ms (100);
}

static gboolean
reply_done (Fixture *f)
{
  GListModel *messages = _wr_chat_view_get_messages (f->view);
  guint n = g_list_model_get_n_items (messages);
  g_autoptr(WrMessage) last = n > 0 ? g_list_model_get_item (messages, n - 1) : NULL;

  return last != NULL && g_strcmp0 (wr_message_get_role (last), "assistant") == 0 &&
         wr_message_get_status (last) != WR_MESSAGE_STATUS_STREAMING;
}

static void
test_choose_model (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *popover = _wr_model_selector_get_popover (f->selector);
  GListModel *models;
  WrChat *chat = _wr_chat_view_get_chat (f->view);
  g_autoptr(WrModelInfo) away = NULL;
  g_autoptr(WrChat) stored = NULL;
  g_autoptr(WrMessage) reply = NULL;
  GtkWidget *composer;
  gboolean any_insensitive = FALSE;

  /* No model of its own: the project's default, said so. */
  g_assert_null (wr_chat_get_model (chat));
  g_assert_cmpstr (wr_model_selector_get_label (f->selector), ==, "Default (mock-echo)");

  open_popover (f);
  g_assert_true (gtk_widget_get_visible (popover));
  models = _wr_model_selector_get_models (f->selector);

  /* Grouped by provider, each with a heading; the unreachable provider's
   * model is there, greyed, with why. */
  g_assert_nonnull (find_label (popover, "OpenAI (environment)"));
  g_assert_nonnull (find_label (popover, "Anthropic (environment)"));
  away = g_list_model_get_item (models, g_list_model_get_n_items (models) - 1);
  g_assert_cmpstr (wr_model_info_get_name (away), ==, "claude-3-5-haiku-latest");
  g_assert_false (wr_model_info_get_available (away));
  g_assert_cmpstr (wr_model_info_get_reason (away), ==, "Not reachable");
  collect_rows (_wr_model_selector_get_list (f->selector), rows);
  g_assert_cmpuint (rows->len, >=, 5);
  for (guint i = 0; i < rows->len; i++)
    any_insensitive |= !gtk_widget_is_sensitive (gtk_widget_get_last_child (g_ptr_array_index (rows, i)));
  g_assert_true (any_insensitive);

  set_dark (FALSE);
  screenshot (GTK_WIDGET (f->window), "chat-header-light.png");
  screenshot (popover, "model-selector-light.png");
  set_dark (TRUE);
  screenshot (popover, "model-selector-dark.png");
  /* Scrolled to the end: the provider that cannot be reached. */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (_wr_model_selector_get_list (f->selector),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    wait_ms (200);
    screenshot (popover, "model-selector-unavailable-dark.png");
    set_dark (FALSE);
    screenshot (popover, "model-selector-unavailable-light.png");
    gtk_adjustment_set_value (adj, 0);
  }
  g_assert_nonnull (find_label (popover, "Not reachable"));

  /* An unavailable model cannot be chosen. */
  g_signal_emit_by_name (_wr_model_selector_get_list (f->selector), "activate",
                         g_list_model_get_n_items (models) - 1);
  g_assert_null (wr_chat_get_model (chat));

  /* Choosing one stores it on the chat. */
  g_signal_emit_by_name (_wr_model_selector_get_list (f->selector), "activate", find_model (f, "mock-markdown"));
  g_assert_cmpstr (wr_chat_get_model (chat), ==, "mock-markdown");
  g_assert_cmpstr (wr_chat_get_provider_id (chat), ==, "env-openai");
  g_assert_cmpstr (wr_model_selector_get_label (f->selector), ==, "mock-markdown");
  g_assert_true (wait_until (selector_idle, f, 5000));
  stored = wr_store_get_chat (wr_session_get_store (f->session), wr_chat_get_id (chat), NULL);
  g_assert_cmpstr (wr_chat_get_model (stored), ==, "mock-markdown");
  g_assert_cmpstr (wr_chat_get_provider_id (stored), ==, "env-openai");
  wait_ms (300);
  g_assert_false (gtk_widget_get_visible (popover));

  /* The next send uses it. */
  wr_chat_view_focus_composer (f->view);
  wait_ms (50);
  composer = gtk_window_get_focus (GTK_WINDOW (f->window));
  g_assert_true (GTK_IS_TEXT_VIEW (composer));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer)), "Show me markdown", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.send", NULL);
  g_assert_true (wait_until (reply_done, f, 20000));
  reply = g_list_model_get_item (_wr_chat_view_get_messages (f->view),
                                 g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)) - 1);
  g_assert_cmpint (wr_message_get_status (reply), ==, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpstr (wr_message_get_model (reply), ==, "mock-markdown");
  g_assert_cmpstr (wr_message_get_provider_id (reply), ==, "env-openai");
  g_assert_nonnull (strstr (wr_mock_server_get_last_body (f->mock), "\"mock-markdown\""));
  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_MARKDOWN_TEXT);

  /* Back to the default. */
  open_popover (f);
  gtk_widget_activate (_wr_model_selector_get_default_button (f->selector));
  g_assert_null (wr_chat_get_model (chat));
  g_assert_cmpstr (wr_model_selector_get_label (f->selector), ==, "Default (mock-echo)");
  g_assert_true (wait_until (selector_idle, f, 5000));
  g_clear_object (&stored);
  stored = wr_store_get_chat (wr_session_get_store (f->session), wr_chat_get_id (chat), NULL);
  g_assert_null (wr_chat_get_model (stored));
}

static GtkListBoxRow *
template_row (Fixture    *f,
              const char *title)
{
  GtkListBox *list = _wr_model_selector_get_templates_list (f->selector);

  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;
      if (find_label (GTK_WIDGET (row), title) != NULL)
        return row;
    }
}

static void
test_chat_instructions (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  GtkListBoxRow *row;
  WrChat *chat = _wr_chat_view_get_chat (f->view);

  open_popover (f);
  g_assert_nonnull (template_row (f, "None"));
  g_assert_nonnull (template_row (f, "Terse"));
  row = template_row (f, "Reviewer");
  g_assert_nonnull (row);
  g_assert_false (wr_model_row_get_selected (WR_MODEL_ROW (gtk_list_box_row_get_child (row))));
  g_assert_true (wr_model_row_get_selected (WR_MODEL_ROW (gtk_list_box_row_get_child (template_row (f, "None")))));

  gtk_widget_activate (GTK_WIDGET (row));
  g_assert_true (wait_until (selector_idle, f, 5000));
  g_assert_cmpstr (_wr_model_selector_get_template_id (f->selector), ==, wr_template_get_id (f->reviewer));
  g_assert_true (wr_model_row_get_selected (WR_MODEL_ROW (gtk_list_box_row_get_child (row))));
  stored = wr_store_get_chat_template_id (wr_session_get_store (f->session), wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, wr_template_get_id (f->reviewer));

  /* Opening again reads it back; a template added meanwhile shows. */
  gtk_popover_popdown (GTK_POPOVER (_wr_model_selector_get_popover (f->selector)));
  {
    g_autoptr(WrTemplate) later = wr_template_new ("Later", "Added while the menu was closed.");
    g_assert_true (wr_store_save_template (wr_session_get_store (f->session), later, &error));
  }
  wait_ms (200);
  open_popover (f);
  g_assert_nonnull (template_row (f, "Later"));
  g_assert_true (wr_model_row_get_selected (WR_MODEL_ROW (gtk_list_box_row_get_child (template_row (f, "Reviewer")))));

  gtk_widget_activate (GTK_WIDGET (template_row (f, "None")));
  g_assert_true (wait_until (selector_idle, f, 5000));
  g_clear_pointer (&stored, g_free);
  stored = wr_store_get_chat_template_id (wr_session_get_store (f->session), wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

static gboolean dialog_saved;

static void
on_saved (WrProjectSettings *dialog,
          gpointer           user_data)
{
  dialog_saved = TRUE;
}

static WrProjectSettings *waited_dialog;

static gboolean
dialog_ready (Fixture *f)
{
  return _wr_project_settings_get_pending (waited_dialog) == 0 &&
         _wr_project_settings_get_templates_loaded (waited_dialog) &&
         g_list_model_get_n_items (adw_combo_row_get_model (_wr_project_settings_get_model_row (waited_dialog))) >
           N_MOCK_MODELS;
}

static gboolean
is_saved (Fixture *f)
{
  return dialog_saved;
}

static void
test_project_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) stored = NULL;
  g_autofree char *template_id = NULL;
  GtkWidget *dialog = wr_project_settings_new (f->session, f->project);
  AdwComboRow *model_row;
  AdwComboRow *template_row_;
  GListModel *choices;
  GListModel *names;
  guint markdown = GTK_INVALID_LIST_POSITION;
  guint reviewer = GTK_INVALID_LIST_POSITION;

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (f->window));
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), NULL);
  dialog_saved = FALSE;
  gtk_window_present (GTK_WINDOW (dialog));
  waited_dialog = WR_PROJECT_SETTINGS (dialog);
  g_assert_true (wait_until (dialog_ready, f, 15000));

  model_row = _wr_project_settings_get_model_row (WR_PROJECT_SETTINGS (dialog));
  template_row_ = _wr_project_settings_get_template_row (WR_PROJECT_SETTINGS (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_wr_project_settings_get_name_row (WR_PROJECT_SETTINGS (dialog)))),
                   ==, "Models");

  /* The project's default is selected; the first entry is the profile's. */
  choices = adw_combo_row_get_model (model_row);
  {
    g_autoptr(WrModelChoice) first = g_list_model_get_item (choices, 0);
    WrModelChoice *current = adw_combo_row_get_selected_item (model_row);

    g_assert_null (wr_model_choice_get_model (first));
    g_assert_cmpstr (wr_model_choice_get_title (first), ==, "Use the Profile Default");
    g_assert_cmpstr (wr_model_choice_get_model (current), ==, "mock-echo");
  }
  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    {
      g_autoptr(WrModelChoice) choice = g_list_model_get_item (choices, i);

      if (g_strcmp0 (wr_model_choice_get_model (choice), "mock-markdown") == 0)
        markdown = i;
    }
  g_assert_cmpuint (markdown, !=, GTK_INVALID_LIST_POSITION);

  names = adw_combo_row_get_model (template_row_);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (template_row_), ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Reviewer"))
      reviewer = i;
  g_assert_cmpuint (reviewer, !=, GTK_INVALID_LIST_POSITION);

  adw_combo_row_set_selected (model_row, markdown);
  adw_combo_row_set_selected (template_row_, reviewer);
  gtk_editable_set_text (GTK_EDITABLE (_wr_project_settings_get_name_row (WR_PROJECT_SETTINGS (dialog))),
                         "  Models & More ");

  set_dark (FALSE);
  screenshot (dialog, "project-settings-light.png");
  set_dark (TRUE);
  screenshot (dialog, "project-settings-dark.png");
  set_dark (FALSE);

  /* An empty name cannot be saved. */
  gtk_editable_set_text (GTK_EDITABLE (_wr_project_settings_get_name_row (WR_PROJECT_SETTINGS (dialog))), "  ");
  g_assert_false (gtk_widget_is_sensitive (_wr_project_settings_get_save_button (WR_PROJECT_SETTINGS (dialog))));
  gtk_editable_set_text (GTK_EDITABLE (_wr_project_settings_get_name_row (WR_PROJECT_SETTINGS (dialog))),
                         "  Models & More ");

  g_signal_emit_by_name (_wr_project_settings_get_save_button (WR_PROJECT_SETTINGS (dialog)), "clicked");
  g_assert_true (wait_until (is_saved, f, 10000));

  /* Stored, and the shared project object follows (so the chat header
   * does). */
  stored = wr_store_get_project (wr_session_get_store (f->session), wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_project_get_name (stored), ==, "Models & More");
  g_assert_cmpstr (wr_project_get_default_model (stored), ==, "mock-markdown");
  template_id = wr_store_get_project_template_id (wr_session_get_store (f->session),
                                                  wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (template_id, ==, wr_template_get_id (f->reviewer));
  g_assert_cmpstr (wr_project_get_name (f->project), ==, "Models & More");
  g_assert_cmpstr (wr_project_get_default_model (f->project), ==, "mock-markdown");
  g_assert_cmpstr (wr_model_selector_get_label (f->selector), ==, "Default (mock-markdown)");
  wait_ms (100);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port;

  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
  g_unsetenv ("OLLAMA_HOST");
  g_unsetenv ("GOOGLE_API_KEY");
  g_unsetenv ("WORKROOM_DEFAULT_MODEL");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  /* A port nothing listens on: the "Anthropic" provider is away. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_assert_cmpuint (port, >, 0);
  g_socket_listener_close (listener);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u/anthropic/v1", port);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/model-selector/choose-model", Fixture, NULL, fixture_setup, test_choose_model, fixture_teardown);
  g_test_add ("/model-selector/chat-instructions", Fixture, NULL, fixture_setup, test_chat_instructions, fixture_teardown);
  g_test_add ("/model-selector/project-settings", Fixture, NULL, fixture_setup, test_project_settings, fixture_teardown);

  return g_test_run ();
}
