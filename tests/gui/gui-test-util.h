/* gui-test-util.h — helpers the GUI widget tests share: waiting on the
 * main loop, finding dialogs, removing a temporary directory, and
 * screenshots (when WR_SCREENSHOT_DIR is set) in light and dark style. */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>

static inline void
gui_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        gui_test_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static inline void
gui_test_wait_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Iterates until @done (@data) or @timeout_ms; FALSE on timeout. */
static inline gboolean
gui_test_wait_for (gboolean (*done) (gpointer data),
                   gpointer  data,
                   guint     timeout_ms)
{
  gint64 until = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > until)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

/* The message dialog on screen, if any. (transfer none) */
static inline AdwMessageDialog *
gui_test_find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static inline gboolean
gui_test_has_message_dialog (gpointer unused)
{
  return gui_test_find_message_dialog () != NULL;
}

/* Answers the dialog on screen with @response. */
static inline void
gui_test_respond (const char *response)
{
  AdwMessageDialog *dialog;

  g_assert_true (gui_test_wait_for (gui_test_has_message_dialog, NULL, 5000));
  dialog = gui_test_find_message_dialog ();
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_test_wait_ms (50);
}

static inline void
gui_test_save_png (GtkWidget  *widget,
                   const char *path)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Saves @widget as $WR_SCREENSHOT_DIR/@name-light.png and -dark.png. */
static inline void
gui_test_screenshot (GtkWidget  *widget,
                     const char *name)
{
  const char *dir = g_getenv ("WR_SCREENSHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();
  static const struct {
    AdwColorScheme scheme;
    const char    *suffix;
  } schemes[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };

  if (dir == NULL || *dir == '\0')
    return;

  g_mkdir_with_parents (dir, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%s.png", name, schemes[i].suffix);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      adw_style_manager_set_color_scheme (style, schemes[i].scheme);
      gui_test_wait_ms (300);
      gui_test_save_png (widget, path);
      g_test_message ("screenshot: %s", path);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gui_test_wait_ms (100);
}
