/* test-humanize-view.c — the Humanize page driven like a user would, against
 * the mock server and a real store: type, pick a tone and a model, Rewrite,
 * watch the rewrite arrive, Copy, Replace, the recent rewrites, errors,
 * Stop, tones added and deleted, projects switched, wide and narrow.
 * Needs a display (run the gui suite under xvfb-run). With
 * WR_SCREENSHOT_DIR set, saves PNGs of the page in light and dark style. */
#include <adwaita.h>
#include <string.h>

#include "workroom.h"
#include "wr-humanize-view.h"
#include "wr-humanize-view-private.h"
#include "wr-humanize-tone-dialog.h"
#include "wr-mock-server.h"

typedef struct {
  char           *dir;
  WrMockServer   *mock;
  WrSession      *session;
  WrProject      *project;
  GtkWidget      *window;
  WrHumanizeView *view;
} Fixture;

static void
wait_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
wait_for (gboolean (*done) (Fixture *f),
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

static gboolean
page_ready (Fixture *f)
{
  return gtk_widget_get_width (GTK_WIDGET (f->view)) > 0 &&
         !_wr_humanize_view_get_loading (f->view) &&
         g_list_model_get_n_items (_wr_humanize_view_get_tones (f->view)) >= 4 &&
         g_list_model_get_n_items (_wr_humanize_view_get_models (f->view)) > 1;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->mock = wr_mock_server_new ();
  wr_mock_server_set_chunk_delay (f->mock, 2);
  /* An environment provider at the mock, so nothing touches the keyring. */
  g_setenv ("OPENAI_API_KEY", "sk-test-not-a-key", TRUE);
  g_setenv ("OPENAI_BASE_URL", wr_mock_server_get_url (f->mock), TRUE);

  f->dir = g_dir_make_tmp ("wr-test-humanize-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->project = wr_store_create_project (wr_session_get_store (f->session), "Letters", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 720);
  f->view = WR_HUMANIZE_VIEW (wr_humanize_view_new (f->session));
  wr_humanize_view_set_project (f->view, f->project);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));

  g_assert_true (wait_for (page_ready, f, 10000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  /* Dialogs left open by a failed test go too. */
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (gtk_window_get_toplevels (), 0);
      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  g_clear_object (&f->mock);
  g_assert_cmpint (system (command), ==, 0);
  g_free (f->dir);
}

/* Helpers ---------------------------------------------------------------- */

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
type_text (Fixture    *f,
           const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_wr_humanize_view_get_input (f->view)), text, -1);
}

static void
pick_tone (Fixture    *f,
           const char *id)
{
  GListModel *tones = _wr_humanize_view_get_tones (f->view);

  for (guint i = 0; i < g_list_model_get_n_items (tones); i++)
    {
      g_autoptr(WrHumanizeTone) tone = g_list_model_get_item (tones, i);

      if (g_str_equal (wr_humanize_tone_get_id (tone), id))
        {
          adw_combo_row_set_selected (_wr_humanize_view_get_tone_row (f->view), i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
pick_model (Fixture    *f,
            const char *model)
{
  GListModel *models = _wr_humanize_view_get_models (f->view);

  for (guint i = 0; i < g_list_model_get_n_items (models); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (models), i), model))
      {
        adw_combo_row_set_selected (_wr_humanize_view_get_model_row (f->view), i);
        return;
      }
  g_assert_not_reached ();
}

static gboolean
rewrite_done (Fixture *f)
{
  return !_wr_humanize_view_get_busy (f->view);
}

static gboolean
output_started (Fixture *f)
{
  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (_wr_humanize_view_get_output (f->view))) > 0;
}

static gboolean
action_enabled (Fixture    *f,
                const char *name)
{
  return _wr_humanize_view_action_enabled (f->view, name);
}

static void
rewrite (Fixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.rewrite", NULL);
  g_assert_true (_wr_humanize_view_get_busy (f->view));
  g_assert_true (wait_for (rewrite_done, f, 20000));
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The shown top-level window of exactly @type, or NULL. */
static GtkWidget *
find_toplevel (Fixture *f,
               GType    type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (window != f->window && G_OBJECT_TYPE (window) == type && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("WR_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width, height;

  if (dir == NULL || dir[0] == '\0')
    return;

  wait_ms (400);   /* transitions and a frame or two */
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Tests ------------------------------------------------------------------ */

typedef struct {
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static void
test_rewrite_copy_replace (Fixture       *f,
                           gconstpointer  data)
{
  const char *text = "hey can u check the numbers before friday";
  g_autofree char *expected = g_strconcat (WR_MOCK_ECHO_PREFIX, text, NULL);
  g_autofree char *output = NULL;
  g_autofree char *input = NULL;
  g_autoptr(WrHumanizeRewrite) first = NULL;
  GListModel *history = _wr_humanize_view_get_history (f->view);
  ClipboardRead read = { 0 };

  g_assert_true (_wr_humanize_view_get_wide (f->view));
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 0);
  save_screenshot (f->window, "humanize-empty.png");

  /* Nothing to rewrite yet. */
  g_assert_false (action_enabled (f, "rewrite"));
  g_assert_false (action_enabled (f, "copy"));

  type_text (f, text);
  pick_tone (f, "caring");
  pick_model (f, "mock-echo");
  g_assert_true (action_enabled (f, "rewrite"));

  /* While it streams: Stop instead of Rewrite, text arriving. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.rewrite", NULL);
  g_assert_true (_wr_humanize_view_get_busy (f->view));
  g_assert_true (action_enabled (f, "stop"));
  g_assert_false (action_enabled (f, "rewrite"));
  g_assert_true (wait_for (output_started, f, 10000));
  g_assert_true (wait_for (rewrite_done, f, 20000));

  output = buffer_text (_wr_humanize_view_get_output (f->view));
  g_assert_cmpstr (output, ==, expected);
  g_assert_null (_wr_humanize_view_get_error (f->view));
  g_assert_true (action_enabled (f, "copy"));
  g_assert_false (action_enabled (f, "stop"));

  /* The history gained it, newest first, with its tone and model. */
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 1);
  first = g_list_model_get_item (history, 0);
  g_assert_cmpstr (wr_humanize_rewrite_get_tone_id (first), ==, "caring");
  g_assert_cmpstr (wr_humanize_rewrite_get_model (first), ==, "mock-echo");
  g_assert_cmpstr (wr_humanize_rewrite_get_input (first), ==, text);
  g_assert_cmpstr (wr_humanize_rewrite_get_project_id (first), ==, wr_project_get_id (f->project));
  save_screenshot (f->window, "humanize-light.png");

  /* Copy puts the rewrite on the clipboard. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.copy", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->view)), NULL,
                                 clipboard_read_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (read.text, ==, expected);
  g_free (read.text);

  /* Replace makes it the text. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.replace", NULL);
  input = buffer_text (_wr_humanize_view_get_input (f->view));
  g_assert_cmpstr (input, ==, expected);

  /* A second rewrite of it; clicking the first in the list shows it again. */
  pick_tone (f, "bold");
  rewrite (f);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 2);
  g_clear_pointer (&output, g_free);
  output = buffer_text (_wr_humanize_view_get_output (f->view));
  g_assert_cmpstr (output, ==, "Echo: Echo: hey can u check the numbers before friday");

  g_signal_emit_by_name (_wr_humanize_view_get_history_list (f->view), "activate", 1);
  g_clear_pointer (&output, g_free);
  output = buffer_text (_wr_humanize_view_get_output (f->view));
  g_assert_cmpstr (output, ==, expected);

  /* Dark style. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (f->window, "humanize-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Delete one from the list: gone on screen and in the store. */
  {
    g_autoptr(WrHumanizeRewrite) newest = g_list_model_get_item (history, 0);
    g_autoptr(GPtrArray) stored = NULL;

    gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.delete-rewrite", "s",
                                wr_humanize_rewrite_get_id (newest));
    g_assert_cmpuint (g_list_model_get_n_items (history), ==, 1);
    wait_ms (200);
    stored = wr_humanizer_list_rewrites (wr_session_get_humanizer (f->session),
                                         wr_project_get_id (f->project), 0, NULL);
    g_assert_cmpuint (stored->len, ==, 1);
    g_assert_cmpstr (wr_humanize_rewrite_get_id (g_ptr_array_index (stored, 0)), ==,
                     wr_humanize_rewrite_get_id (first));
  }
}

static gboolean
has_error (Fixture *f)
{
  return _wr_humanize_view_get_error (f->view) != NULL;
}

static void
test_errors_and_stop (Fixture       *f,
                      gconstpointer  data)
{
  GListModel *history = _wr_humanize_view_get_history (f->view);
  g_autoptr(WrHumanizeRewrite) kept = NULL;

  /* The provider refuses: said where the user pressed Rewrite; nothing
   * joins the history. */
  type_text (f, "please fix this");
  pick_model (f, "mock-401");
  rewrite (f);
  g_assert_true (has_error (f));
  g_assert_nonnull (strstr (_wr_humanize_view_get_error (f->view), "key"));
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 0);
  save_screenshot (f->window, "humanize-error.png");

  /* The next try clears it. A dropped stream keeps what arrived. */
  pick_model (f, "mock-drop");
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.rewrite", NULL);
  g_assert_false (has_error (f));
  g_assert_true (wait_for (rewrite_done, f, 20000));
  g_assert_true (has_error (f));
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 1);
  kept = g_list_model_get_item (history, 0);
  g_assert_cmpint (wr_humanize_rewrite_get_status (kept), ==, WR_MESSAGE_STATUS_PARTIAL);

  /* Stop (Escape) while it streams: the text so far stays. */
  pick_model (f, "mock-long");
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.rewrite", NULL);
  g_assert_true (wait_for (output_started, f, 10000));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.stop", NULL);
  g_assert_true (wait_for (rewrite_done, f, 10000));
  g_assert_false (has_error (f));
  g_assert_true (output_started (f));
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 2);

  /* Empty text cannot be sent. */
  type_text (f, "  \n ");
  g_assert_false (action_enabled (f, "rewrite"));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.rewrite", NULL);
  g_assert_false (_wr_humanize_view_get_busy (f->view));
}

static gboolean
tones_are_five (Fixture *f)
{
  return g_list_model_get_n_items (_wr_humanize_view_get_tones (f->view)) == 5;
}

static gboolean
tones_are_four (Fixture *f)
{
  return g_list_model_get_n_items (_wr_humanize_view_get_tones (f->view)) == 4;
}

static void
test_user_tone (Fixture       *f,
                gconstpointer  data)
{
  WrHumanizeToneDialog *dialog;
  GtkWidget *entry;
  GtkWidget *text_view;
  WrHumanizeTone *selected;
  AdwMessageDialog *confirm;

  /* Built-in tones cannot be edited or deleted. */
  pick_tone (f, "bold");
  g_assert_false (action_enabled (f, "delete-tone"));
  g_assert_false (action_enabled (f, "edit-tone"));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.add-tone", NULL);
  wait_ms (100);
  dialog = WR_HUMANIZE_TONE_DIALOG (find_toplevel (f, WR_TYPE_HUMANIZE_TONE_DIALOG));
  g_assert_nonnull (dialog);
  entry = find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  text_view = find_widget (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW);

  /* A taken name cannot be saved. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "caring");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)), "Talk like a pirate.", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Pirate");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");

  /* The new tone is listed and chosen. */
  g_assert_true (wait_for (tones_are_five, f, 5000));
  selected = adw_combo_row_get_selected_item (_wr_humanize_view_get_tone_row (f->view));
  g_assert_cmpstr (wr_humanize_tone_get_name (selected), ==, "Pirate");
  g_assert_true (action_enabled (f, "delete-tone"));

  /* Rewriting in it sends its instructions. */
  type_text (f, "ahoy");
  pick_model (f, "mock-echo");
  rewrite (f);
  g_assert_nonnull (strstr (wr_mock_server_get_last_body (f->mock), "Talk like a pirate."));

  /* Deleted after confirming. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "humanize.delete-tone", NULL);
  wait_ms (100);
  confirm = ADW_MESSAGE_DIALOG (find_toplevel (f, ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "delete");
  g_assert_true (wait_for (tones_are_four, f, 5000));
  selected = adw_combo_row_get_selected_item (_wr_humanize_view_get_tone_row (f->view));
  g_assert_cmpstr (wr_humanize_tone_get_id (selected), ==, "professional");
}

static gboolean
history_has_one (Fixture *f)
{
  return !_wr_humanize_view_get_loading (f->view) &&
         g_list_model_get_n_items (_wr_humanize_view_get_history (f->view)) == 1;
}

static gboolean
history_is_empty (Fixture *f)
{
  return !_wr_humanize_view_get_loading (f->view) &&
         g_list_model_get_n_items (_wr_humanize_view_get_history (f->view)) == 0;
}

static void
test_projects_and_narrow (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WrProject) other = NULL;
  g_autoptr(GError) error = NULL;

  type_text (f, "for the first project");
  pick_model (f, "mock-echo");
  rewrite (f);
  g_assert_true (history_has_one (f));

  /* Each project has its own recent rewrites. */
  other = wr_store_create_project (wr_session_get_store (f->session), "Other", &error);
  g_assert_no_error (error);
  wr_humanize_view_set_project (f->view, other);
  g_assert_true (wait_for (history_is_empty, f, 5000));
  wr_humanize_view_set_project (f->view, f->project);
  g_assert_true (wait_for (history_has_one, f, 5000));

  /* Narrow: the panes stack. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 420, 900);
  wait_ms (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->view)), <, 760);
  g_assert_false (_wr_humanize_view_get_wide (f->view));
  save_screenshot (f->window, "humanize-narrow.png");

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 720);
  wait_ms (500);
  g_assert_true (_wr_humanize_view_get_wide (f->view));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
  g_unsetenv ("WORKROOM_DEFAULT_MODEL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/humanize-view/rewrite-copy-replace", Fixture, NULL, fixture_setup, test_rewrite_copy_replace, fixture_teardown);
  g_test_add ("/humanize-view/errors-and-stop", Fixture, NULL, fixture_setup, test_errors_and_stop, fixture_teardown);
  g_test_add ("/humanize-view/user-tone", Fixture, NULL, fixture_setup, test_user_tone, fixture_teardown);
  g_test_add ("/humanize-view/projects-and-narrow", Fixture, NULL, fixture_setup, test_projects_and_narrow, fixture_teardown);

  return g_test_run ();
}
