/* test-artifacts-view.c — the Artifacts page driven like a user would,
 * against a real store in a temporary directory: the list newest first,
 * filtered by kind and searched by name; each kind's viewer showing the
 * right content (HTML only ever as source or text: its <script> never
 * runs); rename, delete and Undo; export to a file; and "Save as
 * Artifact" from an answer's row. Needs a display (run the gui suite
 * under xvfb-run). With WR_SCREENSHOT_DIR set, saves PNGs of the page in
 * light and dark style. */
#include <adwaita.h>
#include <string.h>

#include "workroom.h"
#include "data/wr-artifact-export.h"
#include "data/wr-dataset.h"
#include "store/wr-artifact.h"
#include "wr-artifacts-view.h"
#include "wr-artifacts-view-private.h"
#include "wr-artifact-viewer-private.h"
#include "wr-artifact-html.h"
#include "wr-artifact-row.h"
#include "wr-markdown-view.h"
#include "wr-mermaid-view.h"
#include "wr-chart-view.h"
#include "wr-message-row.h"
#include "wr-message-row-private.h"
#include "wr-message-artifacts.h"
#include "gui-test-util.h"

#define REPORT_MD "# Quarterly sales\n\nRevenue grew **12 %** over the quarter.\n\n- North: 4.1 M\n- South: 3.2 M\n"
#define HTML_SRC "<html><head><title>Page</title><style>body{color:red}</style></head>" \
                 "<body><h1>Hello there</h1><p>First <b>bold</b> paragraph.</p>" \
                 "<script>document.title='pwned'; window.ran = 1; alert('ran');</script>" \
                 "<p>Second paragraph.</p></body></html>"
#define CHART_JSON "{\"type\": \"bar\", \"title\": \"Sales by region\", \"series\": " \
                   "[{\"name\": \"2025\", \"x\": [\"North\", \"South\"], \"y\": [30, 12]}]}"
#define MERMAID_SRC "graph TD\n  A[Start] --> B{Choice}\n  B -->|yes| C[Done]\n  B -->|no| A\n"

typedef struct {
  char            *dir;
  WrSession       *session;
  WrStore         *store;      /* the session's */
  WrProject       *project;
  GtkWidget       *window;
  WrArtifactsView *view;
} Fixture;

static gboolean
view_idle (gpointer data)
{
  Fixture *f = data;

  return !_wr_artifacts_view_get_busy (f->view);
}

static void
wait_idle (Fixture *f)
{
  gui_test_wait_ms (20);
  g_assert_true (gui_test_wait_for (view_idle, f, 10000));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-artifacts-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->store = wr_session_get_store (f->session);
  f->project = wr_store_create_project (f->store, "Figures", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 640);
  f->view = WR_ARTIFACTS_VIEW (wr_artifacts_view_new (f->session));
  g_assert_cmpstr (_wr_artifacts_view_get_page (f->view), ==, "no-project");
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
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

static WrArtifact *
add_artifact (Fixture        *f,
              WrArtifactKind  kind,
              const char     *name,
              const void     *data,
              gsize           length,
              const char     *mime_type,
              const char     *file_name)
{
  g_autoptr(WrArtifact) artifact = wr_artifact_new (wr_project_get_id (f->project), kind, name);
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(GError) error = NULL;

  wr_artifact_set_mime_type (artifact, mime_type);
  wr_artifact_set_file_name (artifact, file_name);
  g_assert_true (wr_store_create_artifact (f->store, artifact, bytes, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wr_artifact_get_id (artifact));
  /* Distinct creation times, so "newest first" is well defined. */
  g_usleep (2000);
  return g_steal_pointer (&artifact);
}

static GBytes *
make_png (int width,
          int height)
{
  g_autofree guchar *pixels = g_malloc (width * height * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (int i = 0; i < width * height; i++)
    {
      pixels[i * 4 + 0] = 0x35;
      pixels[i * 4 + 1] = 0x84;
      pixels[i * 4 + 2] = 0xe4;
      pixels[i * 4 + 3] = 0xff;
    }
  bytes = g_bytes_new (pixels, width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, width * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

/* The table artifact of a small imported dataset. */
static WrArtifact *
add_table (Fixture *f,
           char   **out_dataset_id)
{
  g_autofree char *path = g_build_filename (f->dir, "regions.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *dataset_id = NULL;
  WrArtifact *artifact = NULL;

  g_file_set_contents (path, "region,revenue\nNorth,4.1\nSouth,3.2\nEast,2.5\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (wr_dataset_import_csv (f->store, wr_project_get_id (f->project), path,
                                        NULL, NULL, NULL, &dataset_id, &error));
  g_assert_no_error (error);

  /* Imports may already have made the dataset's table artifact. */
  tables = wr_store_list_artifacts (f->store, wr_project_get_id (f->project), "table", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tables->len; i++)
    if (g_strcmp0 (wr_artifact_get_dataset_id (g_ptr_array_index (tables, i)), dataset_id) == 0)
      artifact = g_object_ref (g_ptr_array_index (tables, i));
  if (artifact == NULL)
    {
      artifact = wr_artifact_create_for_dataset (f->store, dataset_id, &error);
      g_assert_no_error (error);
    }
  g_usleep (2000);
  if (out_dataset_id != NULL)
    *out_dataset_id = g_steal_pointer (&dataset_id);
  return artifact;
}

static void
show_project (Fixture *f)
{
  wr_artifacts_view_set_project (f->view, f->project);
  wait_idle (f);
}

static void
select_artifact (Fixture    *f,
                 WrArtifact *artifact)
{
  GListModel *shown = _wr_artifacts_view_get_shown (f->view);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(WrArtifact) item = g_list_model_get_item (shown, i);

      if (g_strcmp0 (wr_artifact_get_id (item), wr_artifact_get_id (artifact)) == 0)
        {
          gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (shown), i);
          wait_idle (f);
          g_assert_cmpstr (wr_artifact_get_id (_wr_artifacts_view_get_selected (f->view)), ==,
                           wr_artifact_get_id (artifact));
          return;
        }
    }
  g_assert_not_reached ();
}

static const char *
shown_name (Fixture *f,
            guint    position)
{
  g_autoptr(WrArtifact) item = g_list_model_get_item (_wr_artifacts_view_get_shown (f->view), position);

  g_assert_nonnull (item);
  return wr_artifact_get_name (item);   /* the list store keeps it */
}

/* Whether a label under @widget shows text containing @text. */
static gboolean
has_label_containing (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_containing (child, text))
      return TRUE;
  return FALSE;
}

static void
on_opened (GFile    *file,
           gpointer  user_data)
{
  g_set_object ((GFile **) user_data, file);
}

/* Tests ------------------------------------------------------------------ */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  show_project (f);
  g_assert_cmpstr (_wr_artifacts_view_get_page (f->view), ==, "empty");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->view), "artifacts.delete", NULL) &&
                  _wr_artifacts_view_get_last_toast (f->view) != NULL);
  gui_test_screenshot (f->window, "artifacts-view-empty");
}

static void
test_list_filter_search (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WrArtifact) report = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Quarterly sales", REPORT_MD,
                                               strlen (REPORT_MD), "text/markdown", NULL);
  g_autoptr(WrArtifact) html = add_artifact (f, WR_ARTIFACT_KIND_HTML, "Landing page", HTML_SRC,
                                             strlen (HTML_SRC), "text/html", NULL);
  g_autoptr(WrArtifact) diagram = add_artifact (f, WR_ARTIFACT_KIND_MERMAID, "Sales flow", MERMAID_SRC,
                                                strlen (MERMAID_SRC), NULL, NULL);
  g_autoptr(WrArtifact) file = add_artifact (f, WR_ARTIFACT_KIND_FILE, "snippet.py", "print(1)\n", 9,
                                             "text/x-python", "snippet.py");
  g_autofree char *today = NULL;

  show_project (f);
  g_assert_cmpstr (_wr_artifacts_view_get_page (f->view), ==, "artifacts");
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 4);
  /* Newest first, and the newest is selected. */
  g_assert_cmpstr (shown_name (f, 0), ==, "snippet.py");
  g_assert_cmpstr (shown_name (f, 3), ==, "Quarterly sales");
  g_assert_cmpstr (wr_artifact_get_name (_wr_artifacts_view_get_selected (f->view)), ==, "snippet.py");

  /* Rows say when: made just now is "Today HH:MM". */
  today = wr_artifact_format_date (wr_artifact_get_created_at (report), 0);
  g_assert_true (g_str_has_prefix (today, "Today "));
  g_assert_true (has_label_containing (GTK_WIDGET (f->view), today));
  {
    g_autofree char *old = wr_artifact_format_date (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC,
                                                    G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC);
    g_assert_true (strstr (old, "2023") != NULL);
  }

  /* Kind filter. */
  _wr_artifacts_view_set_kind_filter (f->view, WR_ARTIFACT_KIND_REPORT);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 1);
  g_assert_cmpstr (shown_name (f, 0), ==, "Quarterly sales");
  g_assert_cmpstr (wr_artifact_get_name (_wr_artifacts_view_get_selected (f->view)), ==, "Quarterly sales");
  _wr_artifacts_view_set_kind_filter (f->view, WR_ARTIFACT_KIND_CHART);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 0);
  g_assert_cmpstr (_wr_artifacts_view_get_list_page (f->view), ==, "no-match");
  g_assert_null (_wr_artifacts_view_get_selected (f->view));
  _wr_artifacts_view_set_kind_filter (f->view, -1);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 4);
  g_assert_cmpstr (_wr_artifacts_view_get_list_page (f->view), ==, "list");

  /* Search by name, case-insensitive, combined with the kind. */
  _wr_artifacts_view_set_search (f->view, "SALES");
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 2);
  g_assert_cmpstr (shown_name (f, 0), ==, "Sales flow");
  g_assert_cmpstr (shown_name (f, 1), ==, "Quarterly sales");
  _wr_artifacts_view_set_kind_filter (f->view, WR_ARTIFACT_KIND_MERMAID);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 1);
  _wr_artifacts_view_set_search (f->view, "nothing like this");
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 0);
  _wr_artifacts_view_set_search (f->view, "");
  _wr_artifacts_view_set_kind_filter (f->view, -1);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 4);

  /* Another project's artifacts are not listed; a new one appears on reload. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WrProject) other = wr_store_create_project (f->store, "Other", &error);
    g_autoptr(WrArtifact) elsewhere = wr_artifact_new (wr_project_get_id (other), WR_ARTIFACT_KIND_REPORT, "Elsewhere");
    g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
    g_autoptr(WrArtifact) later = NULL;

    g_assert_no_error (error);
    g_assert_true (wr_store_create_artifact (f->store, elsewhere, bytes, &error));
    select_artifact (f, diagram);
    later = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Later", "# Later\n", 8, NULL, NULL);
    wr_artifacts_view_reload (f->view);
    wait_idle (f);
    g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 5);
    g_assert_cmpstr (shown_name (f, 0), ==, "Later");
    /* The selection survives the reload. */
    g_assert_cmpstr (wr_artifact_get_name (_wr_artifacts_view_get_selected (f->view)), ==, "Sales flow");

    /* "Show" on a Saved to Artifacts toast: filters cleared, that one selected. */
    _wr_artifacts_view_set_kind_filter (f->view, WR_ARTIFACT_KIND_HTML);
    wr_artifacts_view_select_artifact (f->view, wr_artifact_get_id (file));
    wait_idle (f);
    g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 5);
    g_assert_cmpstr (wr_artifact_get_name (_wr_artifacts_view_get_selected (f->view)), ==, "snippet.py");
  }
}

static void
test_viewers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) png = make_png (64, 48);
  g_autofree char *dataset_id = NULL;
  g_autoptr(WrArtifact) table = add_table (f, &dataset_id);
  g_autoptr(WrArtifact) image = add_artifact (f, WR_ARTIFACT_KIND_IMAGE, "Blue square",
                                              g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                              "image/png", "blue.png");
  g_autoptr(WrArtifact) not_image = add_artifact (f, WR_ARTIFACT_KIND_IMAGE, "Broken picture",
                                                  "not a picture", 13, "image/png", NULL);
  g_autoptr(WrArtifact) file = add_artifact (f, WR_ARTIFACT_KIND_FILE, "Analysis script", "print(1)\n", 9,
                                             "text/x-python", "analysis.py");
  g_autoptr(WrArtifact) html = add_artifact (f, WR_ARTIFACT_KIND_HTML, "Landing page", HTML_SRC,
                                             strlen (HTML_SRC), "text/html", NULL);
  g_autoptr(WrArtifact) diagram = add_artifact (f, WR_ARTIFACT_KIND_MERMAID, "Sales flow", MERMAID_SRC,
                                                strlen (MERMAID_SRC), NULL, NULL);
  g_autoptr(WrArtifact) chart = add_artifact (f, WR_ARTIFACT_KIND_CHART, "Sales chart", CHART_JSON,
                                              strlen (CHART_JSON), "application/json", NULL);
  g_autoptr(WrArtifact) report = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Quarterly sales", REPORT_MD,
                                               strlen (REPORT_MD), "text/markdown", NULL);
  WrArtifactViewer *viewer;

  show_project (f);
  viewer = _wr_artifacts_view_get_viewer (f->view);

  /* Report: rendered Markdown, not the raw source. */
  select_artifact (f, report);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "report");
  g_assert_cmpuint (wr_markdown_view_get_n_blocks (WR_MARKDOWN_VIEW (_wr_artifact_viewer_get_markdown_view (viewer))), >=, 3);
  g_assert_true (has_label_containing (_wr_artifact_viewer_get_markdown_view (viewer), "Quarterly sales"));
  g_assert_false (has_label_containing (_wr_artifact_viewer_get_markdown_view (viewer), "# Quarterly"));
  gui_test_screenshot (f->window, "artifacts-view-report");

  /* Chart: the spec, built in a worker, drawn by the chart view. */
  select_artifact (f, chart);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "chart");
  {
    const WrChartSpec *spec = wr_chart_view_get_spec (WR_CHART_VIEW (_wr_artifact_viewer_get_chart_view (viewer)));

    g_assert_nonnull (spec);
  }
  gui_test_screenshot (f->window, "artifacts-view-chart");

  /* Table: the dataset's rows. */
  select_artifact (f, table);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "table");
  {
    GtkColumnView *columns = _wr_artifact_viewer_get_column_view (viewer);
    GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (columns));

    g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (columns)), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
    gui_test_wait_ms (300);
    g_assert_true (has_label_containing (GTK_WIDGET (columns), "South"));
  }
  gui_test_screenshot (f->window, "artifacts-view-table");

  /* Image: decoded in a worker, shown at its size. */
  select_artifact (f, image);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "image");
  {
    GdkPaintable *paintable = gtk_picture_get_paintable (_wr_artifact_viewer_get_picture (viewer));

    g_assert_nonnull (paintable);
    g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 64);
    g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 48);
  }
  select_artifact (f, not_image);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "error");
  g_assert_nonnull (_wr_artifact_viewer_get_error (viewer));

  /* File: details and Open, which writes the bytes under the cache. */
  select_artifact (f, file);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "file");
  g_assert_cmpstr (_wr_artifact_viewer_get_file_title (viewer), ==, "Analysis script");
  {
    g_autoptr(GFile) opened = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "workroom", "open", NULL);
    g_autofree char *path = NULL;
    g_autofree char *base = NULL;

    _wr_artifact_viewer_set_open_func (viewer, on_opened, &opened);
    gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.open", NULL);
    for (guint i = 0; i < 500 && opened == NULL; i++)
      gui_test_wait_ms (10);
    g_assert_nonnull (opened);
    path = g_file_get_path (opened);
    base = g_file_get_basename (opened);
    g_assert_true (g_str_has_prefix (path, cache));
    g_assert_cmpstr (base, ==, "analysis.py");
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "print(1)\n");
    g_unlink (path);
  }

  /* HTML: the source, highlighted and read-only, or its text; the script
   * is neither run nor shown as text. */
  select_artifact (f, html);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "html");
  {
    g_autofree char *source = _wr_artifact_viewer_dup_html_source (viewer);
    g_autofree char *text = _wr_artifact_viewer_dup_html_text (viewer);

    g_assert_cmpstr (source, ==, HTML_SRC);
    g_assert_nonnull (strstr (text, "Hello there"));
    g_assert_nonnull (strstr (text, "First bold paragraph."));
    g_assert_nonnull (strstr (text, "Second paragraph."));
    g_assert_null (strstr (text, "pwned"));
    g_assert_null (strstr (text, "alert"));
    g_assert_null (strstr (text, "color:red"));
    /* Nothing ran: the window's title is untouched. */
    g_assert_null (gtk_window_get_title (GTK_WINDOW (f->window)));
  }
  gui_test_screenshot (f->window, "artifacts-view-html");
  _wr_artifact_viewer_set_show_text (viewer, TRUE);
  gui_test_wait_ms (50);
  g_assert_true (has_label_containing (GTK_WIDGET (viewer), "Second paragraph."));
  gui_test_screenshot (f->window, "artifacts-view-html-text");

  /* Mermaid: the diagram, or its source. */
  select_artifact (f, diagram);
  g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "mermaid");
  {
    g_autofree char *source = _wr_artifact_viewer_dup_mermaid_source (viewer);
    WrMermaidView *mermaid = WR_MERMAID_VIEW (_wr_artifact_viewer_get_mermaid_view (viewer));

    g_assert_cmpstr (source, ==, MERMAID_SRC);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (mermaid)));
    /* A flowchart is drawn; the source shows only on request. */
    g_assert_cmpint (_wr_artifact_viewer_get_show_source (viewer), ==, !wr_mermaid_view_get_can_render (mermaid));
    gui_test_screenshot (f->window, "artifacts-view-mermaid");
    _wr_artifact_viewer_set_show_source (viewer, TRUE);
    g_assert_true (_wr_artifact_viewer_get_show_source (viewer));
  }

  /* A table whose dataset was deleted says so. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (wr_dataset_delete (f->store, dataset_id, &error));
    g_assert_no_error (error);
    /* Deleting a dataset may take its table artifact along; one that is
     * still listed (restored, or another window's list) must say why it
     * shows nothing. */
    if (!wr_store_restore_artifact (f->store, wr_artifact_get_id (table), &error))
      {
        g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
        g_clear_error (&error);
      }
    select_artifact (f, report);
    select_artifact (f, table);
    g_assert_cmpstr (_wr_artifact_viewer_get_page (viewer), ==, "table-gone");
    g_assert_true (has_label_containing (GTK_WIDGET (viewer), "The dataset of this table was deleted"));
  }
}

static void
test_html_text (void)
{
  g_autofree char *text = _wr_artifact_html_extract_text (HTML_SRC, -1);
  g_autofree char *empty = _wr_artifact_html_extract_text ("", 0);
  g_autofree char *broken = _wr_artifact_html_extract_text ("<p>unclosed <b>bold<script>x()", -1);
  g_autoptr(GPtrArray) paragraphs = _wr_artifact_html_extract_paragraphs (HTML_SRC, -1);

  g_assert_cmpstr (text, ==, "Hello there\n\nFirst bold paragraph.\n\nSecond paragraph.");
  g_assert_cmpuint (paragraphs->len, ==, 3);
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (broken, ==, "unclosed bold");
}

static void
test_rename (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WrArtifact) report = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Draft", "# Draft\n", 8, NULL, NULL);
  g_autoptr(WrArtifact) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = g_strnfill (WR_ARTIFACT_MAX_NAME_CHARS + 1, 'x');
  g_autofree char *problem = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  show_project (f);

  /* Validation. */
  problem = _wr_artifacts_view_check_name ("");
  g_assert_nonnull (problem);
  g_clear_pointer (&problem, g_free);
  problem = _wr_artifacts_view_check_name (too_long);
  g_assert_nonnull (problem);
  g_clear_pointer (&problem, g_free);
  g_assert_null (_wr_artifacts_view_check_name ("Fine name"));

  /* F2 opens the dialog; an empty or too long name cannot be confirmed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "artifacts.rename", NULL));
  g_assert_true (gui_test_wait_for (gui_test_has_message_dialog, NULL, 5000));
  dialog = gui_test_find_message_dialog ();
  entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Draft");
  gtk_editable_set_text (entry, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  gtk_editable_set_text (entry, too_long);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  gtk_editable_set_text (entry, "  Final report ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "rename"));
  gui_test_respond ("rename");
  wait_idle (f);

  g_assert_cmpstr (wr_artifact_get_name (_wr_artifacts_view_get_selected (f->view)), ==, "Final report");
  g_assert_true (has_label_containing (GTK_WIDGET (f->view), "Final report"));
  stored = wr_store_get_artifact (f->store, wr_artifact_get_id (report), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_artifact_get_name (stored), ==, "Final report");

  /* The private path the dialog uses refuses bad names too. */
  _wr_artifacts_view_rename (f->view, "");
  wait_idle (f);
  g_assert_nonnull (_wr_artifacts_view_get_last_toast (f->view));
  g_clear_object (&stored);
  stored = wr_store_get_artifact (f->store, wr_artifact_get_id (report), &error);
  g_assert_cmpstr (wr_artifact_get_name (stored), ==, "Final report");
}

static void
test_delete_undo (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WrArtifact) first = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "First", "# 1\n", 4, NULL, NULL);
  g_autoptr(WrArtifact) second = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Second", "# 2\n", 4, NULL, NULL);
  g_autoptr(WrArtifact) gone = NULL;
  g_autoptr(WrArtifact) back = NULL;
  g_autoptr(GError) error = NULL;

  show_project (f);
  select_artifact (f, second);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "artifacts.delete", NULL));
  wait_idle (f);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 1);
  g_assert_cmpstr (shown_name (f, 0), ==, "First");
  g_assert_nonnull (strstr (_wr_artifacts_view_get_last_toast (f->view), "Second"));
  gone = wr_store_get_artifact (f->store, wr_artifact_get_id (second), &error);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);

  /* Undo brings it back, selected. */
  _wr_artifacts_view_undo (f->view);
  wait_idle (f);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 2);
  g_assert_cmpstr (wr_artifact_get_name (_wr_artifacts_view_get_selected (f->view)), ==, "Second");
  back = wr_store_get_artifact (f->store, wr_artifact_get_id (second), &error);
  g_assert_no_error (error);

  /* Deleting the last one shows the empty page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "artifacts.delete", NULL));
  wait_idle (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "artifacts.delete", NULL));
  wait_idle (f);
  g_assert_cmpstr (_wr_artifacts_view_get_page (f->view), ==, "empty");
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WrArtifact) report = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Quarterly sales", REPORT_MD,
                                               strlen (REPORT_MD), "text/markdown", NULL);
  g_autofree char *path = g_build_filename (f->dir, "out.md", NULL);
  g_autofree char *bad_path = g_build_filename (f->dir, "out.exe", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autofree char *contents = NULL;
  g_autofree char *suggested = wr_artifact_suggest_file_name (report);

  show_project (f);
  g_assert_true (g_str_has_suffix (suggested, ".md"));

  _wr_artifacts_view_export_to (f->view, dest);
  wait_idle (f);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, REPORT_MD);
  g_assert_nonnull (strstr (_wr_artifacts_view_get_last_toast (f->view), "out.md"));

  /* A format the kind does not offer: an error in a toast, no file. */
  _wr_artifacts_view_export_to (f->view, bad);
  wait_idle (f);
  g_assert_true (g_str_has_prefix (_wr_artifacts_view_get_last_toast (f->view), "Could not export"));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
}

static void
test_save_from_message (Fixture       *f,
                        gconstpointer  data)
{
  static const char answer[] =
    "## Plan\n\nHere is the code:\n\n"
    "```python\nprint('hi')\n```\n\n"
    "```mermaid\ngraph LR\n  A --> B\n```\n\n"
    "```html\n<p>Hi</p><script>alert(1)</script>\n```\n\n"
    "```chart\n{\"type\": \"bar\"}\n```\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = wr_store_create_chat (f->store, wr_project_get_id (f->project), "Planning", &error);
  g_autoptr(WrMessage) message = wr_message_new ("assistant", answer);
  g_autoptr(WrMessage) question = wr_message_new ("user", "Plan it");
  g_autoptr(GMenuModel) menu = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = wr_message_row_new (NULL);
  static const struct {
    const char     *name;
    WrArtifactKind  kind;
    const char     *content;
  } expected[] = {
    { "Plan", WR_ARTIFACT_KIND_REPORT, answer },
    { "snippet.py", WR_ARTIFACT_KIND_FILE, "print('hi')\n" },
    { "Diagram: Plan", WR_ARTIFACT_KIND_MERMAID, "graph LR\n  A --> B\n" },
    { "HTML: Plan", WR_ARTIFACT_KIND_HTML, "<p>Hi</p><script>alert(1)</script>\n" },
  };

  g_assert_no_error (error);
  wr_message_set_chat_id (message, wr_chat_get_id (chat));
  wr_message_set_status (message, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_true (wr_store_add_message (f->store, message, &error));
  g_assert_no_error (error);
  wr_message_set_chat_id (question, wr_chat_get_id (chat));

  _wr_message_row_set_artifact_store (WR_MESSAGE_ROW (row), f->store);
  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_present (GTK_WINDOW (window));

  /* Questions offer nothing to save. */
  wr_message_row_bind (WR_MESSAGE_ROW (row), question, NULL);
  g_assert_false (_wr_message_row_get_can_save (WR_MESSAGE_ROW (row)));

  wr_message_row_bind (WR_MESSAGE_ROW (row), message, NULL);
  g_assert_true (_wr_message_row_get_can_save (WR_MESSAGE_ROW (row)));

  /* Save as Report, then one entry per code block but the chart. */
  menu = _wr_message_row_get_save_menu (WR_MESSAGE_ROW (row));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  {
    GMenuModel *blocks = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
    g_autofree char *label = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (blocks), ==, 3);
    g_menu_model_get_item_attribute (blocks, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label);
    g_assert_nonnull (strstr (label, "python"));
    g_object_unref (blocks);
  }

  g_assert_true (gtk_widget_activate_action (row, "message.save-report", NULL));
  for (guint i = 0; i < 3; i++)
    {
      while (_wr_message_row_get_saving (WR_MESSAGE_ROW (row)))
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (gtk_widget_activate_action (row, "message.save-code-block", "u", i));
    }
  while (_wr_message_row_get_saving (WR_MESSAGE_ROW (row)))
    g_main_context_iteration (NULL, TRUE);

  artifacts = wr_store_list_artifacts (f->store, wr_project_get_id (f->project), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      /* Newest first. */
      WrArtifact *artifact = g_ptr_array_index (artifacts, artifacts->len - 1 - i);
      g_autoptr(GBytes) bytes = wr_store_get_artifact_data (f->store, wr_artifact_get_id (artifact), &error);
      g_autofree char *content = NULL;

      g_assert_no_error (error);
      content = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_assert_cmpstr (wr_artifact_get_name (artifact), ==, expected[i].name);
      g_assert_cmpint (wr_artifact_get_kind (artifact), ==, expected[i].kind);
      g_assert_cmpstr (content, ==, expected[i].content);
      g_assert_cmpstr (wr_artifact_get_chat_id (artifact), ==, wr_chat_get_id (chat));
      g_assert_cmpstr (wr_artifact_get_message_id (artifact), ==, wr_message_get_id (message));
    }

  /* The page lists them. */
  show_project (f);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_artifacts_view_get_shown (f->view)), ==, 4);

  wr_message_row_unbind (WR_MESSAGE_ROW (row));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A narrow window folds the page: the list first, the artifact after a
 * choice, Back returns. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WrArtifact) first = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "First", "# First\n", 8, NULL, NULL);
  g_autoptr(WrArtifact) second = add_artifact (f, WR_ARTIFACT_KIND_REPORT, "Second", "# Second\n", 9, NULL, NULL);
  GtkWidget *viewer = GTK_WIDGET (_wr_artifacts_view_get_viewer (f->view));

  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 640);
  gtk_widget_set_size_request (f->window, 400, 640);
  show_project (f);
  gui_test_wait_ms (300);
  g_assert_false (gtk_widget_get_child_visible (gtk_widget_get_parent (viewer)));
  gui_test_screenshot (f->window, "artifacts-view-narrow-list");

  select_artifact (f, first);
  gui_test_wait_ms (400);
  g_assert_true (gtk_widget_get_child_visible (gtk_widget_get_parent (viewer)));
  gui_test_screenshot (f->window, "artifacts-view-narrow-artifact");
}

static void
test_file_names (void)
{
  static const struct { const char *language, *file; } cases[] = {
    { "python", "snippet.py" }, { "py", "snippet.py" }, { "JavaScript", "snippet.js" },
    { "bash", "snippet.sh" }, { "c++", "snippet.cpp" }, { "dockerfile", "Dockerfile" },
    { "zig", "snippet.zig" }, { NULL, "snippet.txt" }, { "", "snippet.txt" },
    { "../../etc", "snippet.txt" }, { "a very long language", "snippet.txt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = _wr_message_artifacts_file_name (cases[i].language);
      g_assert_cmpstr (name, ==, cases[i].file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/artifacts-view/html-text", test_html_text);
  g_test_add_func ("/artifacts-view/file-names", test_file_names);
  g_test_add ("/artifacts-view/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/artifacts-view/list-filter-search", Fixture, NULL, fixture_setup, test_list_filter_search, fixture_teardown);
  g_test_add ("/artifacts-view/viewers", Fixture, NULL, fixture_setup, test_viewers, fixture_teardown);
  g_test_add ("/artifacts-view/rename", Fixture, NULL, fixture_setup, test_rename, fixture_teardown);
  g_test_add ("/artifacts-view/delete-undo", Fixture, NULL, fixture_setup, test_delete_undo, fixture_teardown);
  g_test_add ("/artifacts-view/export", Fixture, NULL, fixture_setup, test_export, fixture_teardown);
  g_test_add ("/artifacts-view/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);
  g_test_add ("/artifacts-view/save-from-message", Fixture, NULL, fixture_setup, test_save_from_message, fixture_teardown);

  return g_test_run ();
}
