/* test-templates-view.c — the Instructions page on a real store: creating
 * and editing a template, a duplicate or too long name explained inline,
 * searching, unsaved changes kept or dropped as asked, deleting, and
 * "Use in This Project" read back from the store.
 * Needs a display (the gui suite runs under xvfb-run). */
#include <string.h>

#include <adwaita.h>

#include "workroom.h"
#include "store/wr-template.h"
#include "wr-templates-view.h"
#include "wr-templates-view-private.h"
#include "gui-test-util.h"

#define REVIEWER_TEXT "You are a careful code reviewer.\nPoint out bugs before style."

typedef struct {
  char            *dir;
  WrSession       *session;
  WrProject       *project;
  GtkWidget       *window;
  WrTemplatesView *view;
} Fixture;

static gboolean
idle (gpointer data)
{
  Fixture *f = data;

  return !_wr_templates_view_get_busy (f->view);
}

static void
wait_idle (Fixture *f)
{
  gui_test_wait_ms (10);
  g_assert_true (gui_test_wait_for (idle, f, 10000));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-templates-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->project = wr_store_create_project (wr_session_get_store (f->session), "Website", &error);
  g_assert_no_error (error);

  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 600);
  f->view = WR_TEMPLATES_VIEW (wr_templates_view_new (f->session));
  wr_templates_view_set_project (f->view, f->project);
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_idle (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->view), WR_TYPE_TEMPLATES_VIEW, name);

  g_assert_nonnull (object);
  return object;
}

static void
type_editor (Fixture    *f,
             const char *name,
             const char *content)
{
  if (name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (child (f, "name_entry")), name);
  if (content != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f, "content_view"))), content, -1);
}

static gboolean
action_enabled (Fixture    *f,
                const char *action)
{
  GtkWidget *button = child (f, g_str_equal (action, "save") ? "save_button" : "delete_button");

  return gtk_widget_get_sensitive (button);
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_autofree char *name = g_strconcat ("templates.", action, NULL);

  gtk_widget_activate_action (GTK_WIDGET (f->view), name, NULL);
}

static const char *
shown_error (Fixture *f)
{
  GtkLabel *label = child (f, "error_label");

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/* New template, typed, saved: returns its id. */
static char *
create (Fixture    *f,
        const char *name,
        const char *content)
{
  WrTemplate *editing;

  activate (f, "new");
  g_assert_true (_wr_templates_view_get_editor_open (f->view));
  g_assert_null (_wr_templates_view_get_editing (f->view));
  type_editor (f, name, content);
  g_assert_true (action_enabled (f, "save"));
  activate (f, "save");
  wait_idle (f);
  g_assert_null (shown_error (f));
  editing = _wr_templates_view_get_editing (f->view);
  g_assert_nonnull (editing);
  g_assert_nonnull (wr_template_get_id (editing));
  g_assert_false (action_enabled (f, "save"));

  return g_strdup (wr_template_get_id (editing));
}

static WrTemplate *
stored (Fixture    *f,
        const char *id_or_name)
{
  g_autoptr(GError) error = NULL;
  WrTemplate *template_ = wr_store_get_template (wr_session_get_store (f->session), id_or_name, &error);

  if (g_error_matches (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);
  return template_;
}

static void
open_at (Fixture *f,
         guint    position)
{
  gtk_widget_activate_action (GTK_WIDGET (child (f, "list_view")), "list.activate-item", "u", position);
  gui_test_wait_ms (20);
}

static void
test_create_and_edit (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(WrTemplate) saved = NULL;
  g_autoptr(WrTemplate) edited = NULL;
  g_autoptr(WrTemplate) item = NULL;
  GListModel *templates = _wr_templates_view_get_templates (f->view);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "list_stack")), ==, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "editor_stack")), ==, "none");

  /* A new template without a name is not saved; the editor says why. */
  activate (f, "new");
  type_editor (f, NULL, "Only text");
  g_assert_false (action_enabled (f, "save"));
  type_editor (f, "", "");

  id = create (f, "Reviewer", REVIEWER_TEXT);
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "list_stack")), ==, "list");
  saved = stored (f, id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (wr_template_get_name (saved), ==, "Reviewer");
  g_assert_cmpstr (wr_template_get_content (saved), ==, REVIEWER_TEXT);
  /* The list highlights it. */
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (child (f, "list_view")))), ==, 0);

  /* Edit: Save is offered only once something changed. */
  type_editor (f, "Strict Reviewer", REVIEWER_TEXT "\nBe brief.");
  g_assert_true (action_enabled (f, "save"));
  activate (f, "save");
  wait_idle (f);
  edited = stored (f, id);
  g_assert_cmpstr (wr_template_get_name (edited), ==, "Strict Reviewer");
  g_assert_cmpstr (wr_template_get_content (edited), ==, REVIEWER_TEXT "\nBe brief.");
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 1);
  item = g_list_model_get_item (templates, 0);
  g_assert_cmpstr (wr_template_get_name (item), ==, "Strict Reviewer");
}

static void
test_name_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id G_GNUC_UNUSED = create (f, "Reviewer", REVIEWER_TEXT);
  g_autofree char *long_name = g_strnfill (WR_TEMPLATE_MAX_NAME_CHARS + 1, 'x');
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  /* Another template, same name but for case: the store refuses, the
   * editor says so at the name. */
  activate (f, "new");
  type_editor (f, "reviewer", "Something else");
  activate (f, "save");
  wait_idle (f);
  g_assert_nonnull (shown_error (f));
  g_assert_nonnull (strstr (shown_error (f), "already exists"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (child (f, "name_entry")), "error"));
  g_assert_null (_wr_templates_view_get_editing (f->view));
  g_assert_cmpuint (g_list_model_get_n_items (_wr_templates_view_get_templates (f->view)), ==, 1);

  /* Too long: said while typing, and Save is off. */
  type_editor (f, long_name, NULL);
  g_assert_nonnull (shown_error (f));
  g_assert_nonnull (strstr (shown_error (f), "at most 80 characters"));
  g_assert_false (action_enabled (f, "save"));

  type_editor (f, "Translator", NULL);
  g_assert_null (shown_error (f));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (child (f, "name_entry")), "error"));
  activate (f, "save");
  wait_idle (f);
  all = wr_store_list_templates (wr_session_get_store (f->session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
}

static void
test_search_and_unsaved (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *reviewer = create (f, "Reviewer", REVIEWER_TEXT);
  g_autofree char *translator = create (f, "Translator", "Translate into plain English.");
  GListModel *shown = _wr_templates_view_get_shown (f->view);
  g_autoptr(WrTemplate) first = NULL;
  g_autoptr(WrTemplate) kept = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  /* By name or by text, any case. */
  gtk_editable_set_text (GTK_EDITABLE (child (f, "search_entry")), "ENGLISH");
  gui_test_wait_ms (400);   /* the search entry's delay */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (child (f, "search_entry")), "nothing like this");
  gui_test_wait_ms (400);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "list_stack")), ==, "no-results");
  gtk_editable_set_text (GTK_EDITABLE (child (f, "search_entry")), "");
  gui_test_wait_ms (400);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);

  /* Unsaved changes, then another template: Discard drops them. */
  type_editor (f, NULL, "Changed, not saved");
  open_at (f, 0);
  gui_test_respond ("discard");
  first = g_object_ref (_wr_templates_view_get_editing (f->view));
  g_assert_cmpstr (wr_template_get_id (first), ==, reviewer);
  kept = stored (f, translator);
  g_assert_cmpstr (wr_template_get_content (kept), ==, "Translate into plain English.");

  /* Cancel stays; Save saves, then opens the other. */
  type_editor (f, NULL, "Reviewed twice");
  open_at (f, 1);
  gui_test_respond ("cancel");
  g_assert_cmpstr (wr_template_get_id (_wr_templates_view_get_editing (f->view)), ==, reviewer);
  open_at (f, 1);
  gui_test_respond ("save");
  wait_idle (f);
  g_assert_cmpstr (wr_template_get_id (_wr_templates_view_get_editing (f->view)), ==, translator);
  g_clear_object (&kept);
  kept = stored (f, reviewer);
  g_assert_cmpstr (wr_template_get_content (kept), ==, "Reviewed twice");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = create (f, "Reviewer", REVIEWER_TEXT);
  g_autoptr(WrTemplate) gone = NULL;

  /* Cancelled: still there. */
  activate (f, "delete");
  gui_test_respond ("cancel");
  g_assert_cmpuint (g_list_model_get_n_items (_wr_templates_view_get_templates (f->view)), ==, 1);

  activate (f, "delete");
  gui_test_respond ("delete");
  wait_idle (f);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_templates_view_get_templates (f->view)), ==, 0);
  g_assert_false (_wr_templates_view_get_editor_open (f->view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "editor_stack")), ==, "none");
  gone = stored (f, id);
  g_assert_null (gone);
}

static void
test_use_in_project (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *reviewer = create (f, "Reviewer", REVIEWER_TEXT);
  g_autofree char *translator = NULL;
  g_autofree char *in_store = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(WrProject) other = NULL;
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  WrStore *store = wr_session_get_store (f->session);
  GtkSwitch *use = child (f, "use_switch");

  /* An unsaved template cannot be chosen yet. */
  activate (f, "new");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child (f, "use_row"))));
  translator = create (f, "Translator", "Translate into plain English.");

  open_at (f, 0);
  g_assert_cmpstr (wr_template_get_id (_wr_templates_view_get_editing (f->view)), ==, reviewer);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child (f, "use_row"))));
  g_assert_false (gtk_switch_get_active (use));
  gtk_switch_set_active (use, TRUE);
  wait_idle (f);
  g_assert_null (shown_error (f));
  in_store = wr_store_get_project_template_id (store, wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (in_store, ==, reviewer);
  g_assert_cmpstr (_wr_templates_view_get_project_template_id (f->view), ==, reviewer);
  g_assert_cmpstr (gtk_label_get_text (child (f, "project_label")), ==, "“Website” uses “Reviewer”.");

  /* New chats of the project get it as their system prompt. */
  chat = wr_store_create_chat (store, wr_project_get_id (f->project), "A chat", &error);
  g_assert_no_error (error);
  prompt = wr_store_resolve_system_prompt (store, wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, REVIEWER_TEXT);

  gui_test_screenshot (f->window, "templates-view");

  /* Another template: its switch is off and says which one is used. */
  open_at (f, 1);
  g_assert_false (gtk_switch_get_active (use));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (f, "use_row")), "uses “Reviewer” now"));

  /* Another project uses none; back to this one: read from the store. */
  other = wr_store_create_project (store, "Other", &error);
  g_assert_no_error (error);
  wr_templates_view_set_project (f->view, other);
  wait_idle (f);
  g_assert_null (_wr_templates_view_get_project_template_id (f->view));
  g_assert_cmpstr (gtk_label_get_text (child (f, "project_label")), ==, "“Other” uses no template.");
  wr_templates_view_set_project (f->view, f->project);
  wait_idle (f);
  g_assert_cmpstr (_wr_templates_view_get_project_template_id (f->view), ==, reviewer);

  /* Off again: the project uses none. */
  open_at (f, 0);
  g_assert_true (gtk_switch_get_active (use));
  gtk_switch_set_active (use, FALSE);
  wait_idle (f);
  g_clear_pointer (&in_store, g_free);
  in_store = wr_store_get_project_template_id (store, wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  g_assert_null (in_store);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id G_GNUC_UNUSED = create (f, "Reviewer", REVIEWER_TEXT);
  AdwLeaflet *leaflet = child (f, "leaflet");

  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 600);
  gtk_widget_set_size_request (f->window, 400, 600);
  gui_test_wait_ms (300);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  /* Folded: one pane at a time, with a way back. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (f, "back_button"))));
  activate (f, "show-list");
  gui_test_wait_ms (300);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  open_at (f, 0);
  gui_test_wait_ms (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "editor");
  /* Typing goes to the text, not over the name. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)),
                                         GTK_WIDGET (child (f, "content_view")))
                 || gtk_window_get_focus (GTK_WINDOW (f->window)) == GTK_WIDGET (child (f, "content_view")));
  gui_test_screenshot (f->window, "templates-view-narrow");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/templates-view/create-and-edit", Fixture, NULL, fixture_setup, test_create_and_edit, fixture_teardown);
  g_test_add ("/templates-view/name-errors", Fixture, NULL, fixture_setup, test_name_errors, fixture_teardown);
  g_test_add ("/templates-view/search-and-unsaved", Fixture, NULL, fixture_setup, test_search_and_unsaved, fixture_teardown);
  g_test_add ("/templates-view/delete", Fixture, NULL, fixture_setup, test_delete, fixture_teardown);
  g_test_add ("/templates-view/use-in-project", Fixture, NULL, fixture_setup, test_use_in_project, fixture_teardown);
  g_test_add ("/templates-view/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);

  return g_test_run ();
}
