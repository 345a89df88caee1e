/* test-mermaid-view.c — WrMermaidView: a flowchart draws (small sources at
 * once, large ones from a worker thread), other diagram types say why they
 * are not drawn, and the view follows the dark style. Needs a display
 * (xvfb-run). WR_SCREENSHOT_DIR=DIR saves a 10-node flowchart in light and
 * dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "gui-test-util.h"
#include "wr-mermaid-view.h"

#define TEN_NODES \
  "flowchart TD\n" \
  "  start([Start]) --> read[/Read the order/]\n" \
  "  read --> valid{Valid?}\n" \
  "  valid -->|no| reject[Reject the order]\n" \
  "  valid -->|yes| stock{In stock?}\n" \
  "  stock -- no --> back[(Backorder queue)]\n" \
  "  stock -- yes --> pack[[Pack items]]\n" \
  "  subgraph Shipping\n" \
  "    pack --> ship(Ship) --> notify>Notify customer]\n" \
  "  end\n" \
  "  back -.-> stock\n" \
  "  click ship \"https://example.com\"\n" \
  "  reject & notify --> done((Done))\n"

typedef struct {
  GtkWidget     *window;
  WrMermaidView *view;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 720);
  f->view = WR_MERMAID_VIEW (wr_mermaid_view_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
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
}

/* Pixels of @widget that are not transparent, and how many distinct
 * colours they use. */
static guint
count_ink (GtkWidget *widget,
           guint     *n_colors,
           guint64   *checksum)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  g_autofree guint8 *pixels = NULL;
  guint ink = 0;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return 0;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 px = ((guint32 *) pixels)[i];

      if ((px >> 24) != 0)
        {
          ink++;
          if (checksum != NULL)
            *checksum += px;
          g_hash_table_add (colors, GUINT_TO_POINTER (px));
        }
    }
  if (n_colors != NULL)
    *n_colors = g_hash_table_size (colors);
  return ink;
}

static gboolean
can_render (gpointer data)
{
  return wr_mermaid_view_get_can_render (data);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_flowchart_draws (Fixture       *f,
                      gconstpointer  data)
{
  guint notified = 0, colors = 0, ink;
  gint64 start;

  g_signal_connect (f->view, "notify::can-render", G_CALLBACK (on_notify_cb), &notified);
  start = g_get_monotonic_time ();
  wr_mermaid_view_set_source (f->view, TEN_NODES);
  g_test_message ("10-node flowchart: set_source took %.2f ms (synchronous)",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (wr_mermaid_view_get_can_render (f->view));
  g_assert_cmpuint (notified, ==, 1);
  /* Again, with the fonts loaded: what an edit to the source costs. */
  start = g_get_monotonic_time ();
  wr_mermaid_view_set_source (f->view, TEN_NODES);
  g_test_message ("10-node flowchart again: set_source took %.2f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (wr_mermaid_view_get_can_render (f->view));
  g_assert_cmpuint (notified, ==, 1);
  gui_test_wait_ms (200);

  ink = count_ink (GTK_WIDGET (f->view), &colors, NULL);
  g_assert_cmpuint (ink, >, 5000);
  g_assert_cmpuint (colors, >, 10);   /* fills, strokes, anti-aliased text */

  /* Asks for the diagram's natural size. */
  {
    int natural;

    gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_VERTICAL, -1, NULL, &natural, NULL, NULL);
    g_assert_cmpint (natural, >, 500);
  }

  gui_test_screenshot (f->window, "mermaid-view");
}

static void
test_dark_follows_style (Fixture       *f,
                         gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  guint light_ink, dark_ink, colors;
  guint64 light_sum = 0, dark_sum = 0;

  wr_mermaid_view_set_source (f->view, "graph LR\nA[Light or dark] --> B((B))");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gui_test_wait_ms (200);
  light_ink = count_ink (GTK_WIDGET (f->view), &colors, &light_sum);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gui_test_wait_ms (200);
  g_assert_true (adw_style_manager_get_dark (style));
  dark_ink = count_ink (GTK_WIDGET (f->view), &colors, &dark_sum);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Same shapes, other colours: the drawn area barely changes. */
  g_assert_cmpuint (light_ink, >, 1000);
  g_assert_cmpuint (dark_ink, >, light_ink * 9 / 10);
  g_assert_cmpuint (dark_ink, <, light_ink * 11 / 10);
  g_assert_cmpuint (light_sum, !=, dark_sum);
}

static void
test_unsupported_shows_reason (Fixture       *f,
                               gconstpointer  data)
{
  GtkWidget *child;
  gboolean found = FALSE;

  wr_mermaid_view_set_source (f->view, "graph TD\nA-->B");
  g_assert_true (wr_mermaid_view_get_can_render (f->view));

  wr_mermaid_view_set_source (f->view, "sequenceDiagram\n  Alice->>Bob: Hello\n");
  g_assert_false (wr_mermaid_view_get_can_render (f->view));
  gui_test_wait_ms (100);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (f->view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_STATUS_PAGE (child) && gtk_widget_get_visible (child))
      {
        g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (child)), ==,
                         "Only flowcharts can be previewed; showing the source.");
        found = TRUE;
      }
  g_assert_true (found);

  /* A syntax error names the line. */
  wr_mermaid_view_set_source (f->view, "graph TD\nA --> B\nB -->");
  g_assert_false (wr_mermaid_view_get_can_render (f->view));
  for (child = gtk_widget_get_first_child (GTK_WIDGET (f->view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_STATUS_PAGE (child))
      g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (child)), "Line 3"));
}

static void
test_large_in_thread (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) source = g_string_new ("graph TD\n");
  gint64 start;
  double set_ms;

  for (guint i = 1; i < 1500; i++)
    g_string_append_printf (source, "n%u[Node %u] --> n%u\n", i / 2, i, i);

  start = g_get_monotonic_time ();
  wr_mermaid_view_set_source (f->view, source->str);
  set_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("1,500-node flowchart: set_source returned in %.2f ms", set_ms);
  /* Handed to a thread: nothing is laid out yet when set_source returns
   * (generous bound: ASan builds on a loaded machine). */
  g_assert_false (wr_mermaid_view_get_can_render (f->view));
  g_assert_cmpfloat (set_ms, <, 100);

  g_assert_true (gui_test_wait_for (can_render, f->view, 30000));
  g_test_message ("1,500-node flowchart: drawn after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  gui_test_wait_ms (100);
  g_assert_cmpuint (count_ink (GTK_WIDGET (f->view), NULL, NULL), >, 1000);

  /* A newer source wins over one still in flight. */
  wr_mermaid_view_set_source (f->view, source->str);
  wr_mermaid_view_set_source (f->view, "gantt\n title x");
  g_assert_false (wr_mermaid_view_get_can_render (f->view));
  gui_test_wait_ms (1500);
  g_assert_false (wr_mermaid_view_get_can_render (f->view));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/mermaid-view/flowchart-draws", Fixture, NULL, fixture_setup, test_flowchart_draws, fixture_teardown);
  g_test_add ("/mermaid-view/dark-follows-style", Fixture, NULL, fixture_setup, test_dark_follows_style, fixture_teardown);
  g_test_add ("/mermaid-view/unsupported-shows-reason", Fixture, NULL, fixture_setup, test_unsupported_shows_reason, fixture_teardown);
  g_test_add ("/mermaid-view/large-in-thread", Fixture, NULL, fixture_setup, test_large_in_thread, fixture_teardown);

  return g_test_run ();
}
