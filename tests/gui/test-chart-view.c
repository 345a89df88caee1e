/* test-chart-view.c — charts in the app: the chart widget (drawing,
 * tooltips at a known bar and point, keyboard navigation, the dark style,
 * export to PNG/SVG/PDF), the Data page's chart builder (sum per category,
 * Save as Artifact storing a dataset reference that draws again), and
 * ```chart blocks in answers (drawn, or code plus the parse error; saved
 * with the chat and message). Needs a display (run the gui suite under
 * xvfb-run). With WR_SCREENSHOT_DIR set, saves PNGs in light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <string.h>

#include "workroom.h"
#include "data/wr-chart.h"
#include "data/wr-dataset.h"
#include "store/wr-artifact.h"
#include "wr-chart-view.h"
#include "wr-chart-view-private.h"
#include "wr-chart-builder.h"
#include "wr-chart-builder-private.h"
#include "wr-chart-block.h"
#include "wr-data-view.h"
#include "wr-data-view-private.h"
#include "wr-markdown-view.h"
#include "wr-message-row.h"
#include "gui-test-util.h"

typedef struct {
  char      *dir;
  WrSession *session;
  WrProject *project;
  GtkWidget *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-chart-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->project = wr_store_create_project (wr_session_get_store (f->session), "Charts", &error);
  g_assert_no_error (error);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 420);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 100;
}

static gboolean
is_wide (gpointer data)
{
  return gtk_widget_get_width (data) > 800;
}

static WrChartSpec *
sales_spec (void)
{
  g_autoptr(GError) error = NULL;
  WrChartSpec *spec = wr_chart_spec_new_from_json (
    "{\"type\":\"bar\",\"title\":\"Sales\",\"series\":["
    "{\"name\":\"2025\",\"x\":[\"A\",\"B\",\"C\"],\"y\":[10,20,30]},"
    "{\"name\":\"2026\",\"x\":[\"A\",\"B\",\"C\"],\"y\":[15,5,25]}]}", -1, &error);

  g_assert_no_error (error);
  return spec;
}

/* The widget as drawn, as 0xAARRGGBB pixels (transfer full). */
static guint32 *
render (GtkWidget *widget,
        int       *out_width)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint32 *pixels = g_new (guint32, (gsize) width * height);

  gui_test_wait_ms (100);   /* a frame after mapping */
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  *out_width = width;
  return pixels;
}

static guint32
rgb (const WrChartColor *color)
{
  return (guint32) (color->r * 255 + 0.5) << 16 | (guint32) (color->g * 255 + 0.5) << 8 |
         (guint32) (color->b * 255 + 0.5);
}

/* Equal within one step per channel (Cairo rounds colours down). */
static gboolean
same_color (guint32 pixel,
            guint32 expected)
{
  for (int shift = 0; shift <= 16; shift += 8)
    if (ABS ((int) ((pixel >> shift) & 0xff) - (int) ((expected >> shift) & 0xff)) > 1)
      return FALSE;
  return TRUE;
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, type, out);
}

static GtkWidget *
find_one (GtkWidget *widget,
          GType      type)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  find_all (widget, type, all);
  return all->len > 0 ? g_ptr_array_index (all, 0) : NULL;
}

static gboolean
label_contains (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

/* The chart view ---------------------------------------------------------- */

static void
test_draw_and_tooltip (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *view = wr_chart_view_new ();
  const WrChartStyle *style = wr_chart_style_light ();
  g_autofree guint32 *pixels = NULL;
  g_autofree char *text = NULL;
  g_autofree char *far = NULL;
  WrChartLayout layout;
  WrChartHit hit;
  int width;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_null (wr_chart_view_get_spec (WR_CHART_VIEW (view)));
  g_assert_nonnull (strstr (_wr_chart_view_get_summary (WR_CHART_VIEW (view)), "No chart"));
  wr_chart_view_set_spec (WR_CHART_VIEW (view), sales_spec ());
  gtk_window_set_child (GTK_WINDOW (f->window), view);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gui_test_wait_for (is_drawn, view, 5000));
  gui_test_wait_ms (100);

  /* The bar of 2026 in category B: its pixels have series 2's colour and
   * the tooltip names it. */
  wr_chart_layout_compute (wr_chart_view_get_spec (WR_CHART_VIEW (view)), gtk_widget_get_width (view),
                           gtk_widget_get_height (view), style, &layout);
  g_assert_true (wr_chart_hit_for_point (wr_chart_view_get_spec (WR_CHART_VIEW (view)), &layout, 1, 1, &hit));
  pixels = render (view, &width);
  g_assert_true (same_color (pixels[(int) (layout.bottom - 3) * width + (int) hit.px], rgb (&style->palette[1])));
  text = _wr_chart_view_dup_tooltip_at (WR_CHART_VIEW (view), hit.px, layout.bottom - 3);
  g_assert_cmpstr (text, ==, "2026 · B: 5");
  far = _wr_chart_view_dup_tooltip_at (WR_CHART_VIEW (view), 2, 2);
  g_assert_null (far);

  /* What a screen reader hears. */
  g_assert_nonnull (strstr (_wr_chart_view_get_summary (WR_CHART_VIEW (view)), "Bar chart"));
  g_assert_nonnull (strstr (_wr_chart_view_get_summary (WR_CHART_VIEW (view)), "2 series"));
  g_assert_nonnull (strstr (_wr_chart_view_get_summary (WR_CHART_VIEW (view)), "6 points"));
  g_assert_nonnull (strstr (_wr_chart_view_get_summary (WR_CHART_VIEW (view)), "from 5 to 30"));

  /* Keyboard: focusable; arrows walk the points and series. */
  g_assert_true (gtk_widget_get_focusable (view));
  gtk_widget_grab_focus (view);
  g_assert_true (press_key (view, GDK_KEY_Right));
  g_assert_cmpstr (_wr_chart_view_get_focus_text (WR_CHART_VIEW (view)), ==, "2025 · A: 10");
  g_assert_true (press_key (view, GDK_KEY_Right));
  g_assert_true (press_key (view, GDK_KEY_Down));
  g_assert_cmpstr (_wr_chart_view_get_focus_text (WR_CHART_VIEW (view)), ==, "2026 · B: 5");
  g_assert_true (press_key (view, GDK_KEY_Escape));
  g_assert_null (_wr_chart_view_get_focus_text (WR_CHART_VIEW (view)));

  /* Resized: the tooltip follows the new layout. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 500);
  gtk_widget_queue_resize (view);
  g_assert_true (gui_test_wait_for (is_wide, view, 5000));
  wr_chart_layout_compute (wr_chart_view_get_spec (WR_CHART_VIEW (view)), gtk_widget_get_width (view),
                           gtk_widget_get_height (view), style, &layout);
  g_assert_true (wr_chart_hit_for_point (wr_chart_view_get_spec (WR_CHART_VIEW (view)), &layout, 0, 2, &hit));
  g_clear_pointer (&text, g_free);
  text = _wr_chart_view_dup_tooltip_at (WR_CHART_VIEW (view), hit.px, hit.py + 2);
  g_assert_cmpstr (text, ==, "2025 · C: 30");

  /* A line of many points: the tooltip finds the point under the pointer. */
  {
    WrChartSpec *line = wr_chart_spec_new (WR_CHART_LINE);
    g_autofree double *y = g_new (double, 100000);
    g_autofree char *point = NULL;

    for (int i = 0; i < 100000; i++)
      y[i] = i % 1000;
    wr_chart_spec_add_series (line, "saw", NULL, y, 100000);
    wr_chart_view_set_spec (WR_CHART_VIEW (view), line);
    wr_chart_layout_compute (line, gtk_widget_get_width (view), gtk_widget_get_height (view), style, &layout);
    g_assert_true (wr_chart_hit_for_point (line, &layout, 0, 50500, &hit));
    point = _wr_chart_view_dup_tooltip_at (WR_CHART_VIEW (view), hit.px, hit.py);
    g_assert_nonnull (point);
    g_assert_true (g_str_has_prefix (point, "saw · 505"));
  }
}

static gboolean
is_dark (gpointer data)
{
  return _wr_chart_view_is_dark (data);
}

static void
test_dark_style (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *view = wr_chart_view_new ();
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree guint32 *light = NULL;
  g_autofree guint32 *dark = NULL;
  int width;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  wr_chart_view_set_spec (WR_CHART_VIEW (view), sales_spec ());
  gtk_window_set_child (GTK_WINDOW (f->window), view);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gui_test_wait_for (is_drawn, view, 5000));
  light = render (view, &width);
  g_assert_true (same_color (light[5 * width + 5], rgb (&wr_chart_style_light ()->bg)));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (gui_test_wait_for (is_dark, view, 5000));
  dark = render (view, &width);
  g_assert_true (same_color (dark[5 * width + 5], rgb (&wr_chart_style_dark ()->bg)));
  gui_test_screenshot (f->window, "chart-view");
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} ExportWait;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportWait *wait = user_data;

  wait->ok = _wr_chart_view_export_finish (WR_CHART_VIEW (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((ExportWait *) data)->done;
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *view = wr_chart_view_new ();
  static const struct { const char *name, *magic; } files[] = {
    { "chart.png", "\x89PNG" }, { "chart.SVG", "<?xml" }, { "chart.pdf", "%PDF" },
  };

  wr_chart_view_set_spec (WR_CHART_VIEW (view), sales_spec ());
  gtk_window_set_child (GTK_WINDOW (f->window), view);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gui_test_wait_for (is_drawn, view, 5000));

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, files[i].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *contents = NULL;
      gsize length = 0;
      ExportWait wait = { 0 };

      _wr_chart_view_export_async (WR_CHART_VIEW (view), file, NULL, on_exported, &wait);
      /* The spec may change while the file is written. */
      if (i == 0)
        wr_chart_view_set_spec (WR_CHART_VIEW (view), sales_spec ());
      g_assert_true (gui_test_wait_for (export_done, &wait, 10000));
      g_assert_no_error (wait.error);
      g_assert_true (wait.ok);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 500);
      g_assert_true (memcmp (contents, files[i].magic, strlen (files[i].magic)) == 0);
    }

  /* An unknown extension fails with a message saying what to do. */
  {
    g_autofree char *path = g_build_filename (f->dir, "chart.txt", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    ExportWait wait = { 0 };

    _wr_chart_view_export_async (WR_CHART_VIEW (view), file, NULL, on_exported, &wait);
    g_assert_true (gui_test_wait_for (export_done, &wait, 10000));
    g_assert_false (wait.ok);
    g_assert_error (wait.error, WR_CHART_ERROR, WR_CHART_ERROR_INVALID);
    g_assert_nonnull (strstr (wait.error->message, ".png"));
    g_clear_error (&wait.error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* The Data page's chart builder ---------------------------------------------- */

static char *
import_sales (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "sales.csv", NULL);
  char *id = NULL;

  g_file_set_contents (path,
                       "region,amount,units,quarter\n"
                       "North,10,1,Q1\n"
                       "South,4,2,Q1\n"
                       "North,20,3,Q2\n"
                       "East,7,4,Q2\n"
                       "South,8,5,Q2\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (wr_dataset_import_csv (wr_session_get_store (f->session), wr_project_get_id (f->project),
                                        path, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static gboolean
builder_idle (gpointer data)
{
  return !_wr_chart_builder_get_busy (data);
}

static gboolean
builder_saved (gpointer data)
{
  return _wr_chart_builder_get_saved_id (data) != NULL;
}

static void
test_builder (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = import_sales (f);
  WrStore *store = wr_session_get_store (f->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetInfo) info = wr_dataset_get (store, id, &error);
  GtkWidget *builder = wr_chart_builder_new ();
  WrChartView *view;
  const WrChartSpec *spec;
  const WrChartSeries *series;
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WrChartSpec) again = NULL;

  g_assert_no_error (error);
  gtk_window_set_child (GTK_WINDOW (f->window), builder);
  gtk_window_present (GTK_WINDOW (f->window));
  wr_chart_builder_set_dataset (WR_CHART_BUILDER (builder), f->session, info);
  view = _wr_chart_builder_get_chart_view (WR_CHART_BUILDER (builder));

  /* The first chart: the text column against the first numeric one. */
  g_assert_true (_wr_chart_builder_get_busy (WR_CHART_BUILDER (builder)));
  g_assert_true (gui_test_wait_for (builder_idle, builder, 10000));
  g_assert_null (_wr_chart_builder_get_message (WR_CHART_BUILDER (builder)));
  spec = wr_chart_view_get_spec (view);
  g_assert_nonnull (spec);
  g_assert_cmpint (spec->type, ==, WR_CHART_BAR);
  g_assert_cmpuint (spec->categories->len, ==, 3);
  series = g_ptr_array_index (spec->series, 0);
  g_assert_cmpfloat (series->y[0], ==, 30);   /* North */
  g_assert_cmpfloat (series->y[1], ==, 12);   /* South */
  g_assert_cmpfloat (series->y[2], ==, 7);    /* East */

  /* A column that is not numeric is not offered as Y. */
  g_assert_false (_wr_chart_builder_choose (WR_CHART_BUILDER (builder), WR_CHART_BAR, "region", "quarter",
                                            NULL, WR_CHART_AGG_SUM));
  /* Mean of units per quarter, grouped by region: one series each. */
  g_assert_true (_wr_chart_builder_choose (WR_CHART_BUILDER (builder), WR_CHART_LINE, "quarter", "units",
                                           "region", WR_CHART_AGG_MEAN));
  /* A change while a run is going cancels it; the last one wins. */
  g_assert_true (_wr_chart_builder_choose (WR_CHART_BUILDER (builder), WR_CHART_BAR, "quarter", "amount",
                                           "region", WR_CHART_AGG_SUM));
  g_assert_true (gui_test_wait_for (builder_idle, builder, 10000));
  spec = wr_chart_view_get_spec (view);
  g_assert_cmpint (spec->type, ==, WR_CHART_BAR);
  g_assert_cmpuint (spec->series->len, ==, 3);
  series = g_ptr_array_index (spec->series, 0);
  g_assert_cmpstr (series->name, ==, "North");
  g_assert_cmpfloat (series->y[0], ==, 10);
  g_assert_cmpfloat (series->y[1], ==, 20);
  gui_test_wait_ms (100);
  gui_test_screenshot (f->window, "chart-builder");

  /* Save as Artifact: a dataset reference (no points) that draws again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "chart.save-artifact", NULL));
  g_assert_true (gui_test_wait_for (builder_saved, builder, 10000));
  artifact = wr_store_get_artifact (store, _wr_chart_builder_get_saved_id (WR_CHART_BUILDER (builder)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_artifact_get_kind (artifact), ==, WR_ARTIFACT_KIND_CHART);
  g_assert_cmpstr (wr_artifact_get_dataset_id (artifact), ==, id);
  g_assert_cmpstr (wr_artifact_get_project_id (artifact), ==, wr_project_get_id (f->project));
  g_assert_cmpstr (wr_artifact_get_name (artifact), ==, "sales.csv: amount by quarter");
  bytes = wr_store_get_artifact_data (store, wr_artifact_get_id (artifact), &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\"dataset\""));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\"series\""));
  again = wr_chart_spec_new_from_artifact (store, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->series->len, ==, 3);
  series = g_ptr_array_index (again->series, 0);
  g_assert_cmpfloat (series->y[1], ==, 20);

  /* No numeric column chosen with count: rows per X value. */
  g_assert_true (_wr_chart_builder_choose (WR_CHART_BUILDER (builder), WR_CHART_PIE, "region", NULL,
                                           NULL, WR_CHART_AGG_COUNT));
  g_assert_true (gui_test_wait_for (builder_idle, builder, 10000));
  series = g_ptr_array_index (wr_chart_view_get_spec (view)->series, 0);
  g_assert_cmpfloat (series->y[1], ==, 2);
}

static gboolean
data_view_idle (gpointer data)
{
  return !_wr_data_view_get_loading (data) && !_wr_data_view_get_importing (data) &&
         _wr_data_view_get_selected_id (data) != NULL;
}

/* The Chart toggle of the Data page shows the builder of the selected
 * dataset. */
static void
test_data_page (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "sales.csv", NULL);
  g_autoptr(GFile) file = NULL;
  GtkWidget *view = wr_data_view_new (f->session);
  GtkWidget *toggle;
  GtkWidget *builder;

  g_free (import_sales (f));
  file = g_file_new_for_path (path);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 620);
  wr_data_view_set_project (WR_DATA_VIEW (view), f->project);
  gtk_window_set_child (GTK_WINDOW (f->window), view);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gui_test_wait_for (data_view_idle, view, 10000));

  toggle = find_one (view, GTK_TYPE_TOGGLE_BUTTON);
  builder = find_one (view, WR_TYPE_CHART_BUILDER);
  g_assert_nonnull (toggle);
  g_assert_nonnull (builder);
  g_assert_false (gtk_widget_get_mapped (builder));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  gui_test_wait_ms (50);
  g_assert_true (gui_test_wait_for (builder_idle, builder, 10000));
  g_assert_true (gtk_widget_get_mapped (builder));
  g_assert_nonnull (wr_chart_view_get_spec (_wr_chart_builder_get_chart_view (WR_CHART_BUILDER (builder))));
  gui_test_wait_ms (200);
  gui_test_screenshot (f->window, "data-page-chart");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  gui_test_wait_ms (50);
  g_assert_false (gtk_widget_get_mapped (builder));
}

/* ```chart blocks in answers --------------------------------------------------- */

static const char answer[] =
  "Here are the sales:\n\n"
  "```chart\n"
  "{\"type\": \"line\", \"title\": \"Visitors\", \"x_label\": \"Month\",\n"
  " \"series\": [{\"name\": \"2025\", \"x\": [\"Jan\", \"Feb\", \"Mar\", \"Apr\"], \"y\": [120, 180, 150, 210]},\n"
  "            {\"name\": \"2026\", \"x\": [\"Jan\", \"Feb\", \"Mar\", \"Apr\"], \"y\": [140, 160, 220, 260]}]}\n"
  "```\n\n"
  "And a broken one:\n\n"
  "```chart\n"
  "{\"type\": \"bar\"}\n"
  "```\n";

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_markdown (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *markdown = wr_markdown_view_new ();
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();

  gtk_window_set_child (GTK_WINDOW (f->window), markdown);
  gtk_window_present (GTK_WINDOW (f->window));

  /* While the answer streams, specs are code. */
  wr_markdown_view_set_text (WR_MARKDOWN_VIEW (markdown), answer, FALSE);
  find_all (markdown, WR_TYPE_CHART_VIEW, charts);
  g_assert_cmpuint (charts->len, ==, 0);

  /* Complete: the valid one is a chart; the broken one code plus why. */
  wr_markdown_view_set_text (WR_MARKDOWN_VIEW (markdown), answer, TRUE);
  find_all (markdown, WR_TYPE_CHART_VIEW, charts);
  g_assert_cmpuint (charts->len, ==, 1);
  g_assert_cmpstr (wr_chart_view_get_spec (g_ptr_array_index (charts, 0))->title, ==, "Visitors");
  g_assert_true (label_contains (markdown, "{\"type\": \"bar\"}"));
  g_assert_true (label_contains (markdown, "non-empty “series”"));
  g_assert_cmpint (gtk_widget_get_height (g_ptr_array_index (charts, 0)), <=, WR_CHART_BLOCK_HEIGHT + 1);
  /* Outside an answer (a report in the viewer) there is nothing to save
   * it from: only Export is offered. */
  g_assert_true (gui_test_wait_for (is_drawn, g_ptr_array_index (charts, 0), 5000));
  {
    guint emitted = 0;

    g_signal_connect_swapped (g_ptr_array_index (charts, 0), "save-artifact", G_CALLBACK (count_cb), &emitted);
    gtk_widget_activate_action (g_ptr_array_index (charts, 0), "chart.save-artifact", NULL);
    g_assert_cmpuint (emitted, ==, 0);
  }
}

static gboolean
block_saved (gpointer data)
{
  return _wr_chart_block_get_saved_id (data) != NULL;
}

static void
test_markdown_save (Fixture       *f,
                    gconstpointer  data)
{
  WrStore *store = wr_session_get_store (f->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = wr_store_create_chat (store, wr_project_get_id (f->project), "Traffic", &error);
  g_autoptr(WrMessage) message = wr_message_new ("assistant", answer);
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WrChartSpec) spec = NULL;
  GtkWidget *row = wr_message_row_new (NULL);
  GtkWidget *chart;

  g_assert_no_error (error);
  wr_message_set_chat_id (message, wr_chat_get_id (chat));
  wr_message_set_status (message, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_true (wr_store_add_message (store, message, &error));
  g_assert_no_error (error);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 760, 640);
  gtk_window_set_child (GTK_WINDOW (f->window), row);
  gtk_window_present (GTK_WINDOW (f->window));
  wr_message_row_bind (WR_MESSAGE_ROW (row), message, NULL);
  chart = find_one (row, WR_TYPE_CHART_VIEW);
  g_assert_nonnull (chart);
  g_assert_true (gui_test_wait_for (is_drawn, chart, 5000));
  gui_test_wait_ms (200);
  gui_test_screenshot (f->window, "chat-chart");

  _wr_chart_block_set_store (chart, store);
  g_assert_true (gtk_widget_activate_action (chart, "chart.save-artifact", NULL));
  g_assert_true (gui_test_wait_for (block_saved, chart, 10000));
  artifact = wr_store_get_artifact (store, _wr_chart_block_get_saved_id (chart), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wr_artifact_get_kind (artifact), ==, WR_ARTIFACT_KIND_CHART);
  g_assert_cmpstr (wr_artifact_get_name (artifact), ==, "Visitors");
  g_assert_cmpstr (wr_artifact_get_chat_id (artifact), ==, wr_chat_get_id (chat));
  g_assert_cmpstr (wr_artifact_get_message_id (artifact), ==, wr_message_get_id (message));
  g_assert_cmpstr (wr_artifact_get_project_id (artifact), ==, wr_project_get_id (f->project));
  bytes = wr_store_get_artifact_data (store, wr_artifact_get_id (artifact), &error);
  g_assert_no_error (error);
  spec = wr_chart_spec_new_from_artifact (store, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spec->series->len, ==, 2);
  g_assert_cmpfloat (((WrChartSeries *) g_ptr_array_index (spec->series, 1))->y[3], ==, 260);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/chart-view/draw-and-tooltip", Fixture, NULL, fixture_setup, test_draw_and_tooltip, fixture_teardown);
  g_test_add ("/chart-view/dark-style", Fixture, NULL, fixture_setup, test_dark_style, fixture_teardown);
  g_test_add ("/chart-view/export", Fixture, NULL, fixture_setup, test_export, fixture_teardown);
  g_test_add ("/chart-view/builder", Fixture, NULL, fixture_setup, test_builder, fixture_teardown);
  g_test_add ("/chart-view/data-page", Fixture, NULL, fixture_setup, test_data_page, fixture_teardown);
  g_test_add ("/chart-view/markdown", Fixture, NULL, fixture_setup, test_markdown, fixture_teardown);
  g_test_add ("/chart-view/markdown-save", Fixture, NULL, fixture_setup, test_markdown_save, fixture_teardown);

  return g_test_run ();
}
