/* test-knowledge-view.c — the Knowledge page driven like a user would, with
 * a real store: add a Markdown file, wait until it is ready, search a word
 * and see the hit with its document and the match in bold, delete the
 * document and see the hit go; a text file that is not UTF-8 shows its
 * error on its row. Needs a display (run the gui suite under xvfb-run).
 * With WR_SCREENSHOT_DIR set, saves PNGs in light and dark style. */
#include <adwaita.h>
#include <string.h>

#include "workroom.h"
#include "docs/wr-document-import.h"
#include "wr-knowledge-view.h"
#include "wr-knowledge-view-private.h"
#include "gui-test-util.h"
#include "wr-indexing-bar.h"
#include "wr-mock-server.h"

typedef struct {
  char            *dir;
  WrSession       *session;
  WrProject       *project;
  GtkWidget       *window;
  WrKnowledgeView *view;
} Fixture;

static gboolean
view_idle (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_width (GTK_WIDGET (f->view)) > 0 && !_wr_knowledge_view_get_busy (f->view);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-knowledge-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->project = wr_store_create_project (wr_session_get_store (f->session), "Research", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 640);
  f->view = WR_KNOWLEDGE_VIEW (wr_knowledge_view_new (f->session));
  wr_knowledge_view_set_project (f->view, f->project);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));

  g_assert_true (gui_test_wait_for (view_idle, f, 10000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (gtk_window_get_toplevels (), 0);
      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* Helpers ---------------------------------------------------------------- */

/* The labels' texts (markup as written) under @widget, joined by "\n". */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
row_text (GtkListBox *list,
          int         index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (row);
  collect_labels (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
import_path (Fixture    *f,
             const char *path)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, g_file_new_for_path (path));
  _wr_knowledge_view_import_files (f->view, files);
  g_assert_true (_wr_knowledge_view_get_busy (f->view));
  g_assert_true (gui_test_wait_for (view_idle, f, 20000));
}

static void
search (Fixture    *f,
        const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (_wr_knowledge_view_get_search_entry (f->view)), text);
  /* The debounce, then the search itself. */
  gui_test_wait_ms (400);
  g_assert_true (gui_test_wait_for (view_idle, f, 10000));
}

static void
respond_confirm (const char *response)
{
  gui_test_respond (response);
}

/* Tests ------------------------------------------------------------------ */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpstr (_wr_knowledge_view_get_page (f->view), ==, "empty");
  g_assert_cmpuint (n_rows (_wr_knowledge_view_get_documents (f->view)), ==, 0);
  gui_test_screenshot (GTK_WIDGET (f->window), "knowledge-empty");
}

static void
test_import_search_delete (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = write_file (f, "field-notes.md",
                                      "# Harbour survey\n\n"
                                      "The lighthouse keeper logged seventeen herons along the breakwater.\n\n"
                                      "# Supplies\n\n"
                                      "Rope, lamps & oil <for the winter>.\n", -1);
  g_autofree char *doc_text = NULL;
  g_autofree char *hit_text = NULL;
  GtkListBox *documents = _wr_knowledge_view_get_documents (f->view);
  GtkListBox *results = _wr_knowledge_view_get_results (f->view);

  import_path (f, path);

  g_assert_cmpstr (_wr_knowledge_view_get_page (f->view), ==, "documents");
  g_assert_cmpuint (n_rows (documents), ==, 1);
  doc_text = row_text (documents, 0);
  g_assert_nonnull (strstr (doc_text, "field-notes.md"));
  g_assert_nonnull (strstr (doc_text, "Markdown"));
  g_assert_nonnull (strstr (doc_text, "section"));

  /* Nothing typed: no results part. */
  g_assert_cmpstr (_wr_knowledge_view_get_results_page (f->view), ==, "none");

  search (f, "herons");
  g_assert_cmpstr (_wr_knowledge_view_get_results_page (f->view), ==, "results");
  g_assert_cmpuint (n_rows (results), ==, 1);
  hit_text = row_text (results, 0);
  g_assert_nonnull (strstr (hit_text, "field-notes.md"));
  g_assert_nonnull (strstr (hit_text, "<b>herons</b>"));
  gui_test_screenshot (GTK_WIDGET (f->window), "knowledge-results");

  /* Markup in the document stays text. */
  search (f, "lamps");
  g_assert_cmpuint (n_rows (results), ==, 1);
  g_clear_pointer (&hit_text, g_free);
  hit_text = row_text (results, 0);
  g_assert_nonnull (strstr (hit_text, "&amp; oil &lt;for"));

  search (f, "zeppelin");
  g_assert_cmpstr (_wr_knowledge_view_get_results_page (f->view), ==, "no-results");
  g_assert_cmpuint (n_rows (results), ==, 0);

  /* The source moved: activating the hit says so instead of opening. */
  search (f, "herons");
  g_assert_cmpuint (n_rows (results), ==, 1);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_signal_emit_by_name (results, "row-activated", gtk_list_box_get_row_at_index (results, 0));
  g_assert_nonnull (_wr_knowledge_view_get_last_toast (f->view));
  g_assert_nonnull (strstr (_wr_knowledge_view_get_last_toast (f->view), "moved"));

  /* Delete asks first; Cancel keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "knowledge.delete-document", "s",
                                             "nonexistent"));
  g_assert_null (gui_test_find_message_dialog ());
  {
    g_autoptr(GPtrArray) docs = wr_document_list (wr_session_get_store (f->session),
                                                  wr_project_get_id (f->project), NULL);
    WrDocumentInfo *info;

    g_assert_cmpuint (docs->len, ==, 1);
    info = g_ptr_array_index (docs, 0);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "knowledge.delete-document", "s", info->id));
    respond_confirm ("cancel");
    g_assert_true (gui_test_wait_for (view_idle, f, 5000));
    g_assert_cmpuint (n_rows (documents), ==, 1);
    g_assert_cmpuint (n_rows (results), ==, 1);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "knowledge.delete-document", "s", info->id));
    respond_confirm ("delete");
  }
  gui_test_wait_ms (100);
  g_assert_true (gui_test_wait_for (view_idle, f, 10000));
  g_assert_cmpuint (n_rows (results), ==, 0);
  g_assert_cmpstr (_wr_knowledge_view_get_results_page (f->view), ==, "no-results");
  g_assert_cmpstr (_wr_knowledge_view_get_page (f->view), ==, "empty");
}

static void
test_invalid_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *good = write_file (f, "agenda.md", "# Agenda\n\nBudget review on Tuesday.\n", -1);
  g_autofree char *bad = write_file (f, "latin1.txt", "caf\xe9 cr\xe8me \xff\xfe broken", -1);
  g_autofree char *text = NULL;
  GtkListBox *documents = _wr_knowledge_view_get_documents (f->view);
  gboolean found = FALSE;

  import_path (f, good);
  import_path (f, bad);

  g_assert_cmpuint (n_rows (documents), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (documents, i);
      g_autofree char *labels = row_text (documents, i);

      if (strstr (labels, "latin1.txt") == NULL)
        continue;
      found = TRUE;
      /* Its error is on its row, in error style. */
      g_assert_nonnull (strstr (labels, "UTF-8"));
      {
        gboolean has_error_label = FALSE;
        GtkWidget *w = GTK_WIDGET (row);
        GPtrArray *stack = g_ptr_array_new ();

        g_ptr_array_add (stack, w);
        while (stack->len > 0)
          {
            GtkWidget *cur = g_ptr_array_steal_index (stack, stack->len - 1);

            if (GTK_IS_LABEL (cur) && gtk_widget_has_css_class (cur, "error"))
              has_error_label = TRUE;
            for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
              g_ptr_array_add (stack, c);
          }
        g_ptr_array_unref (stack);
        g_assert_true (has_error_label);
      }
    }
  g_assert_true (found);
  gui_test_screenshot (GTK_WIDGET (f->window), "knowledge-failed");

  /* The good one is still found. */
  search (f, "budget");
  g_assert_cmpuint (n_rows (_wr_knowledge_view_get_results (f->view)), ==, 1);
  text = row_text (_wr_knowledge_view_get_results (f->view), 0);
  g_assert_nonnull (strstr (text, "agenda.md"));
}

/* Indexing ----------------------------------------------------------------- */

static WrIndexingBar *
find_indexing_bar (GtkWidget *widget)
{
  if (WR_IS_INDEXING_BAR (widget))
    return WR_INDEXING_BAR (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      WrIndexingBar *bar = find_indexing_bar (child);

      if (bar != NULL)
        return bar;
    }
  return NULL;
}

typedef struct {
  WrIndexingBar *bar;
  GPtrArray     *texts;     /* what the bar said at each batch */
  gboolean       shown;
} IndexingWatch;

static void
on_indexing_progress_cb (WrKnowledgeIndexer *indexer,
                         const char         *project_id,
                         guint               done,
                         guint               total,
                         IndexingWatch      *watch)
{
  watch->shown |= gtk_widget_get_visible (GTK_WIDGET (watch->bar));
  g_ptr_array_add (watch->texts, g_strdup (_wr_indexing_bar_get_text (watch->bar)));
}

static gboolean
indexer_idle (gpointer data)
{
  return !wr_knowledge_indexer_get_running (data);
}

/* With a search model set, an import is indexed in the background: the
 * bar says "Indexing N of M passages…" while it runs and hides after, and
 * search then finds a synonym full-text misses. */
static void
test_indexing_progress (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMockServer) mock = wr_mock_server_new ();
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  WrKnowledgeIndexer *indexer = wr_knowledge_indexer_get_default (wr_session_get_chat_service (f->session));
  WrProvider *provider;
  IndexingWatch watch = { find_indexing_bar (GTK_WIDGET (f->view)), texts, FALSE };
  gulong handler;
  GtkListBox *results = _wr_knowledge_view_get_results (f->view);
  g_autofree char *hit = NULL;

  g_assert_nonnull (watch.bar);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (watch.bar)));

  provider = wr_provider_registry_add (wr_session_get_providers (f->session), "Mock", "openai",
                                       wr_mock_server_get_url (mock), NULL, NULL, &error);
  g_assert_no_error (error);
  profile = wr_store_get_profile (wr_session_get_store (f->session), &error);
  g_assert_no_error (error);
  wr_profile_set_embeddings_model (profile, "mock-embed");
  wr_profile_set_embeddings_provider_id (profile, wr_provider_get_id (provider));
  g_assert_true (wr_store_save_profile (wr_session_get_store (f->session), profile, &error));

  g_string_append (text, "# Garage\n\nThe automobile needs new tyres before winter.\n\n");
  for (guint i = 0; i < 80; i++)
    g_string_append_printf (text, "# Note %u\n\nHarbour log entry number %u.\n\n", i, i);
  path = write_file (f, "log.md", text->str, -1);

  handler = g_signal_connect (indexer, "progress", G_CALLBACK (on_indexing_progress_cb), &watch);
  import_path (f, path);
  g_assert_true (gui_test_wait_for (indexer_idle, indexer, 20000));
  g_signal_handler_disconnect (indexer, handler);

  /* 81 passages: a batch of 64, then 17. */
  g_assert_true (watch.shown);
  g_assert_cmpuint (texts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "Indexing 64 of 81 passages…");
  g_assert_cmpstr (g_ptr_array_index (texts, 1), ==, "Indexing 81 of 81 passages…");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (watch.bar)));

  /* "car" is not in the text; its vector finds the automobile passage. */
  search (f, "car");
  g_assert_cmpuint (n_rows (results), >=, 1);
  hit = row_text (results, 0);
  g_assert_nonnull (strstr (hit, "automobile"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/knowledge-view/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/knowledge-view/import-search-delete", Fixture, NULL,
              fixture_setup, test_import_search_delete, fixture_teardown);
  g_test_add ("/knowledge-view/invalid-text", Fixture, NULL,
              fixture_setup, test_invalid_text, fixture_teardown);
  g_test_add ("/knowledge-view/indexing-progress", Fixture, NULL,
              fixture_setup, test_indexing_progress, fixture_teardown);
  return g_test_run ();
}
