/* wr-chart-view.c — a WrChartSpec on screen (see wr-chart-view.h).
 *
 * The chart is painted with wr_chart_draw() into a Cairo node; the layout
 * it uses is kept (one pass over the points) until the spec, the size or
 * the style changes, so hovering a million-point chart costs a bisection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "wr-chart-view.h"
#include "wr-chart-view-private.h"

#define EXPORT_WIDTH 1200
#define ERROR_SECONDS 6

/* The spec shared with export threads: set_spec may replace it while a
 * file is written. */
typedef struct {
  WrChartSpec *spec;
} SpecBox;

static void
spec_box_clear (gpointer data)
{
  SpecBox *box = data;

  g_clear_pointer (&box->spec, wr_chart_spec_free);
}

static SpecBox *
spec_box_new (WrChartSpec *spec)
{
  SpecBox *box = g_atomic_rc_box_new0 (SpecBox);

  box->spec = spec;
  return box;
}

static void
spec_box_unref (SpecBox *box)
{
  g_atomic_rc_box_release_full (box, spec_box_clear);
}

struct _WrChartView
{
  GtkWidget      parent_instance;

  SpecBox       *box;            /* owned, nullable */
  WrChartLayout  layout;
  gboolean       layout_valid;
  int            layout_width;
  int            layout_height;
  gboolean       dark;

  gboolean       has_hover;
  WrChartHit     hover;
  gboolean       pointer_inside;
  double         pointer_x;
  double         pointer_y;
  guint          hover_tick;
  gboolean       has_focus_point;
  WrChartHit     focus_point;
  char          *focus_text;     /* owned */
  char          *summary;        /* owned */
  char          *error_text;     /* owned */
  guint          error_timeout;
  gboolean       can_save;

  GCancellable  *cancellable;

  GtkWidget     *menu_button;
  GtkWidget     *error_label;
  GtkWidget     *point_popover;
  GtkWidget     *point_label;
};

G_DEFINE_FINAL_TYPE (WrChartView, wr_chart_view, GTK_TYPE_WIDGET)

enum { SAVE_ARTIFACT, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const type_labels[] = {
  N_("Bar chart"), N_("Line chart"), N_("Area chart"), N_("Scatter chart"), N_("Pie chart"),
};

/* Helpers */

static const WrChartSpec *
get_spec (WrChartView *self)
{
  return self->box != NULL ? self->box->spec : NULL;
}

static const WrChartStyle *
get_style (WrChartView *self)
{
  return self->dark ? wr_chart_style_dark () : wr_chart_style_light ();
}

static const WrChartLayout *
ensure_layout (WrChartView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (get_spec (self) == NULL || width <= 0 || height <= 0)
    return NULL;
  if (!self->layout_valid || width != self->layout_width || height != self->layout_height)
    {
      wr_chart_layout_compute (get_spec (self), width, height, get_style (self), &self->layout);
      self->layout_valid = TRUE;
      self->layout_width = width;
      self->layout_height = height;
    }
  return &self->layout;
}

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", value));
}

static char *
build_summary (const WrChartSpec *spec)
{
  GString *text;
  gsize points = 0;
  double x0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y0 = G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (spec == NULL)
    return g_strdup (_("No chart yet."));

  for (guint s = 0; s < spec->series->len; s++)
    {
      const WrChartSeries *series = g_ptr_array_index (spec->series, s);

      points += series->n;
      for (gsize i = 0; i < series->n; i++)
        {
          if (!isfinite (series->x[i]) || !isfinite (series->y[i]))
            continue;
          x0 = MIN (x0, series->x[i]);
          x1 = MAX (x1, series->x[i]);
          y0 = MIN (y0, series->y[i]);
          y1 = MAX (y1, series->y[i]);
        }
    }

  text = g_string_new (NULL);
  g_string_append (text, _(type_labels[spec->type]));
  if (spec->title != NULL)
    g_string_append_printf (text, _(", “%s”"), spec->title);
  g_string_append_printf (text, ngettext (": %u series", ": %u series", spec->series->len),
                          spec->series->len);
  g_string_append_printf (text, ngettext (", %" G_GSIZE_FORMAT " point.",
                                          ", %" G_GSIZE_FORMAT " points.", points), points);
  if (x0 <= x1)
    {
      g_autofree char *lo_y = format_number (y0);
      g_autofree char *hi_y = format_number (y1);

      if (spec->categories != NULL && spec->categories->len > 0)
        g_string_append_printf (text, _(" %u categories, from “%s” to “%s”."), spec->categories->len,
                                (const char *) g_ptr_array_index (spec->categories, 0),
                                (const char *) g_ptr_array_index (spec->categories, spec->categories->len - 1));
      else
        {
          g_autofree char *lo_x = format_number (x0);
          g_autofree char *hi_x = format_number (x1);

          g_string_append_printf (text, _(" %s from %s to %s."),
                                  spec->x_label != NULL ? spec->x_label : _("X"), lo_x, hi_x);
        }
      g_string_append_printf (text, _(" %s from %s to %s."),
                              spec->y_label != NULL ? spec->y_label : _("Values"), lo_y, hi_y);
    }
  return g_string_free (text, FALSE);
}

static void
update_summary (WrChartView *self)
{
  g_free (self->summary);
  self->summary = build_summary (get_spec (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

static void
update_menu (WrChartView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  g_menu_append (menu, _("_Export…"), "chart.export");
  if (self->can_save)
    g_menu_append (menu, _("_Save as Artifact"), "chart.save-artifact");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), G_MENU_MODEL (menu));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.export", get_spec (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.save-artifact",
                                 self->can_save && get_spec (self) != NULL);
}

static gboolean
on_error_timeout_cb (gpointer data)
{
  WrChartView *self = data;

  self->error_timeout = 0;
  gtk_widget_set_visible (self->error_label, FALSE);
  return G_SOURCE_REMOVE;
}

static void
show_error (WrChartView *self,
            const char  *message)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, TRUE);
  g_clear_handle_id (&self->error_timeout, g_source_remove);
  self->error_timeout = g_timeout_add_seconds (ERROR_SECONDS, on_error_timeout_cb, self);
}

static void
clear_focus_point (WrChartView *self)
{
  self->has_focus_point = FALSE;
  g_clear_pointer (&self->focus_text, g_free);
  if (self->point_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->point_popover));
}

static void
show_focus_point (WrChartView *self)
{
  GdkRectangle rect;

  g_free (self->focus_text);
  self->focus_text = wr_chart_hit_format (get_spec (self), &self->focus_point);
  gtk_label_set_text (GTK_LABEL (self->point_label), self->focus_text);
  rect.x = (int) self->focus_point.px - 4;
  rect.y = (int) self->focus_point.py - 4;
  rect.width = rect.height = 8;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->point_popover), &rect);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_popover_popup (GTK_POPOVER (self->point_popover));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Moves the keyboard selection by @dx points along a series and @dy series. */
static void
move_focus_point (WrChartView *self,
                  int          dx,
                  int          dy)
{
  const WrChartSpec *spec = get_spec (self);
  const WrChartLayout *layout = ensure_layout (self);
  guint s = self->has_focus_point ? self->focus_point.series : 0;
  gssize i = self->has_focus_point ? (gssize) self->focus_point.index : -1;
  guint n_series;

  if (spec == NULL || layout == NULL || spec->series->len == 0)
    return;
  n_series = spec->type == WR_CHART_PIE ? 1 : spec->series->len;
  if (self->has_focus_point && dy != 0)
    s = (guint) CLAMP ((int) s + dy, 0, (int) n_series - 1);
  if (!self->has_focus_point)
    dx = MAX (dx, 1);

  /* Skip points that are not drawn (non-finite, pie slices ≤ 0). */
  for (int tries = 0; tries < 2; tries++)
    {
      const WrChartSeries *series = g_ptr_array_index (spec->series, s);
      gssize j = i;

      if (series->n == 0)
        return;
      if (dx == 0)
        j = CLAMP (j, 0, (gssize) series->n - 1);
      for (int step = 0; step < 1000; step++)
        {
          if (dx != 0)
            j += dx > 0 ? 1 : -1;
          if (j < 0 || j >= (gssize) series->n)
            break;
          if (wr_chart_hit_for_point (spec, layout, s, (gsize) j, &self->focus_point))
            {
              self->has_focus_point = TRUE;
              show_focus_point (self);
              return;
            }
          if (dx == 0)
            dx = 1;
        }
      i = CLAMP (i, 0, (gssize) series->n - 1);
      dx = 0;
    }
}

/* Callbacks */

/* One hit test per frame however fast the pointer moves: a scatter of a
 * million points scans them all. */
static gboolean
on_hover_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  WrChartView *self = WR_CHART_VIEW (widget);
  const WrChartLayout *layout = ensure_layout (self);
  WrChartHit hit;
  gboolean found;

  self->hover_tick = 0;
  found = self->pointer_inside && layout != NULL &&
          wr_chart_hit_test_layout (get_spec (self), layout, self->pointer_x, self->pointer_y, &hit);
  if (found == self->has_hover && (!found || (hit.series == self->hover.series && hit.index == self->hover.index)))
    return G_SOURCE_REMOVE;
  self->has_hover = found;
  if (found)
    self->hover = hit;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

static void
on_motion_cb (WrChartView *self,
              double       x,
              double       y)
{
  self->pointer_inside = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->hover_tick == 0)
    self->hover_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_hover_tick_cb, NULL, NULL);
}

static void
on_leave_cb (WrChartView *self)
{
  self->pointer_inside = FALSE;
  if (self->hover_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->hover_tick);
      self->hover_tick = 0;
    }
  if (!self->has_hover)
    return;
  self->has_hover = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_key_pressed_cb (WrChartView     *self,
                   guint            keyval,
                   guint            keycode,
                   GdkModifierType  state)
{
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      move_focus_point (self, 1, 0);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      move_focus_point (self, -1, 0);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_focus_point (self, 0, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_focus_point (self, 0, 1);
      return TRUE;
    case GDK_KEY_Escape:
      if (!self->has_focus_point)
        return FALSE;
      clear_focus_point (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_focus_leave_cb (WrChartView *self)
{
  clear_focus_point (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pressed_cb (WrChartView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_dark_changed_cb (WrChartView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  if (dark == self->dark)
    return;
  self->dark = dark;
  self->layout_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Export */

typedef struct {
  SpecBox *box;
  char    *path;
  int      width;
  int      height;
  gboolean dark;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  spec_box_unref (job->box);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (!wr_chart_export (job->box->spec, job->path, job->width, job->height,
                        job->dark ? wr_chart_style_dark () : wr_chart_style_light (), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_wr_chart_view_export_async (WrChartView         *self,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;
  int width, height;

  g_return_if_fail (WR_IS_CHART_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _wr_chart_view_export_async);
  if (get_spec (self) == NULL || g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, WR_CHART_ERROR, WR_CHART_ERROR_INVALID,
                               _("There is no chart to export, or the place chosen is not a local file. Choose a folder on this computer."));
      return;
    }
  /* The widget's aspect ratio at a printable width. */
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  job = g_new0 (ExportJob, 1);
  job->box = g_atomic_rc_box_acquire (self->box);
  job->path = g_file_get_path (file);
  job->width = EXPORT_WIDTH;
  job->height = width > 0 && height > 0 ? CLAMP (EXPORT_WIDTH * height / width, 300, 1600) : 700;
  job->dark = self->dark;
  g_task_set_task_data (task, job, export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
_wr_chart_view_export_finish (WrChartView   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!_wr_chart_view_export_finish (WR_CHART_VIEW (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (WR_CHART_VIEW (source), error->message);
}

static void
on_export_chooser_response_cb (GtkNativeDialog *chooser,
                               int              response,
                               gpointer         user_data)
{
  g_autoptr(WrChartView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
      g_autofree char *lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;

      if (lower != NULL && !g_str_has_suffix (lower, ".png") && !g_str_has_suffix (lower, ".svg") &&
          !g_str_has_suffix (lower, ".pdf"))
        {
          /* No known extension: PNG. */
          g_autoptr(GFile) parent = g_file_get_parent (file);
          g_autofree char *png = g_strconcat (name, ".png", NULL);

          g_clear_object (&file);
          file = g_file_get_child (parent, png);
        }
      if (file != NULL)
        _wr_chart_view_export_async (self, file, self->cancellable, on_export_done, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrChartView *self = WR_CHART_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const WrChartSpec *spec = get_spec (self);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  struct { const char *label, *suffix; } formats[] = {
    { N_("PNG image"), "png" }, { N_("SVG drawing"), "svg" }, { N_("PDF document"), "pdf" },
  };

  if (spec == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Chart"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(formats[i].label));
      gtk_file_filter_add_suffix (filter, formats[i].suffix);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  name = g_strdup_printf ("%s.png", spec->title != NULL && *spec->title != '\0' ? spec->title : _("Chart"));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_artifact_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WrChartView *self = WR_CHART_VIEW (widget);

  if (self->can_save && get_spec (self) != NULL)
    g_signal_emit (self, signals[SAVE_ARTIFACT], 0);
}

/* Vfuncs */

static void
draw_marker (cairo_t            *cr,
             const WrChartStyle *style,
             const WrChartHit   *hit)
{
  const WrChartColor *color = &style->palette[hit->series % WR_CHART_PALETTE_SIZE];

  cairo_new_path (cr);
  cairo_arc (cr, hit->px, hit->py, 5.5, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, style->bg.r, style->bg.g, style->bg.b);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 2.5);
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
  cairo_stroke (cr);
}

static void
wr_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  WrChartView *self = WR_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const WrChartSpec *spec = get_spec (self);

  if (spec != NULL && width > 0 && height > 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      const WrChartStyle *style = get_style (self);

      wr_chart_draw (spec, cr, width, height, style);
      if (self->has_hover)
        draw_marker (cr, style, &self->hover);
      if (self->has_focus_point)
        draw_marker (cr, style, &self->focus_point);
      if (gtk_widget_has_visible_focus (widget))
        {
          cairo_set_source_rgba (cr, style->palette[0].r, style->palette[0].g, style->palette[0].b, 0.8);
          cairo_set_line_width (cr, 2);
          cairo_rectangle (cr, 1, 1, width - 2, height - 2);
          cairo_stroke (cr);
        }
      cairo_destroy (cr);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != self->point_popover)
      gtk_widget_snapshot_child (widget, child, snapshot);
}

static void
wr_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  WrChartView *self = WR_CHART_VIEW (widget);
  int child_min = 0, child_nat = 0;

  gtk_widget_measure (self->menu_button, orientation, -1, &child_min, &child_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (200, child_min);
      *natural = 560;
    }
  else
    {
      *minimum = MAX (160, child_min);
      *natural = 280;
    }
}

static void
wr_chart_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  WrChartView *self = WR_CHART_VIEW (widget);
  int min_w, min_h;
  int label_h = 0;

  gtk_widget_measure (self->menu_button, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (self->menu_button, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
  gtk_widget_allocate (self->menu_button, min_w, min_h, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (MAX (0, width - min_w - 4), 4)));
  if (gtk_widget_get_visible (self->error_label))
    {
      int label_w = MAX (1, width - 24);

      gtk_widget_measure (self->error_label, GTK_ORIENTATION_VERTICAL, label_w, &label_h, NULL, NULL, NULL);
      gtk_widget_allocate (self->error_label, label_w, label_h, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (12, MAX (0, height - label_h - 12))));
    }
  gtk_popover_present (GTK_POPOVER (self->point_popover));
  if (self->has_focus_point && (width != self->layout_width || height != self->layout_height))
    {
      const WrChartLayout *layout;

      self->layout_valid = FALSE;
      layout = ensure_layout (self);
      if (layout != NULL &&
          wr_chart_hit_for_point (get_spec (self), layout, self->focus_point.series,
                                  self->focus_point.index, &self->focus_point))
        show_focus_point (self);
    }
  /* A new size is a new layout. */
  if (width != self->layout_width || height != self->layout_height)
    self->has_hover = FALSE;
}

static gboolean
wr_chart_view_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  WrChartView *self = WR_CHART_VIEW (widget);
  g_autofree char *text = NULL;

  if (keyboard_mode)
    return FALSE;   /* the point popover speaks for the keyboard */
  text = _wr_chart_view_dup_tooltip_at (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
wr_chart_view_dispose (GObject *object)
{
  WrChartView *self = WR_CHART_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->error_timeout, g_source_remove);
  if (self->hover_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->hover_tick);
      self->hover_tick = 0;
    }
  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  g_clear_pointer (&self->error_label, gtk_widget_unparent);
  g_clear_pointer (&self->point_popover, gtk_widget_unparent);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, spec_box_unref);

  G_OBJECT_CLASS (wr_chart_view_parent_class)->dispose (object);
}

static void
wr_chart_view_finalize (GObject *object)
{
  WrChartView *self = WR_CHART_VIEW (object);

  g_free (self->focus_text);
  g_free (self->summary);
  g_free (self->error_text);

  G_OBJECT_CLASS (wr_chart_view_parent_class)->finalize (object);
}

static void
wr_chart_view_class_init (WrChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_chart_view_dispose;
  object_class->finalize = wr_chart_view_finalize;
  widget_class->snapshot = wr_chart_view_snapshot;
  widget_class->measure = wr_chart_view_measure;
  widget_class->size_allocate = wr_chart_view_size_allocate;
  widget_class->query_tooltip = wr_chart_view_query_tooltip;

  signals[SAVE_ARTIFACT] = g_signal_new ("save-artifact", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "chart.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "chart.save-artifact", NULL, save_artifact_action);

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wr_chart_view_init (WrChartView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->cancellable = g_cancellable_new ();
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_set_tooltip_text (self->menu_button, _("Chart Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart Menu"), -1);
  gtk_widget_set_parent (self->menu_button, widget);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "app-notification");
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_set_parent (self->error_label, widget);

  self->point_label = gtk_label_new (NULL);
  self->point_popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->point_popover), self->point_label);
  gtk_popover_set_autohide (GTK_POPOVER (self->point_popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->point_popover), TRUE);
  gtk_widget_set_can_focus (self->point_popover, FALSE);
  gtk_widget_set_can_target (self->point_popover, FALSE);
  gtk_widget_set_parent (self->point_popover, widget);

  g_signal_connect_object (motion, "enter", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, motion);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, keys);
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, focus);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart"), -1);
  update_summary (self);
  update_menu (self);
}

/* API */

GtkWidget *
wr_chart_view_new (void)
{
  return g_object_new (WR_TYPE_CHART_VIEW, NULL);
}

void
wr_chart_view_set_spec (WrChartView *self,
                        WrChartSpec *spec)
{
  g_return_if_fail (WR_IS_CHART_VIEW (self));

  g_clear_pointer (&self->box, spec_box_unref);
  if (spec != NULL)
    self->box = spec_box_new (spec);
  self->layout_valid = FALSE;
  self->has_hover = FALSE;
  clear_focus_point (self);
  if (spec != NULL && spec->title != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, spec->title, -1);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart"), -1);
  update_summary (self);
  update_menu (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const WrChartSpec *
wr_chart_view_get_spec (WrChartView *self)
{
  g_return_val_if_fail (WR_IS_CHART_VIEW (self), NULL);

  return get_spec (self);
}

void
wr_chart_view_set_can_save (WrChartView *self,
                            gboolean     can_save)
{
  g_return_if_fail (WR_IS_CHART_VIEW (self));

  can_save = !!can_save;
  if (self->can_save == can_save)
    return;
  self->can_save = can_save;
  update_menu (self);
}

/* Private */

char *
_wr_chart_view_dup_tooltip_at (WrChartView *self,
                               double       x,
                               double       y)
{
  const WrChartLayout *layout;
  WrChartHit hit;

  g_return_val_if_fail (WR_IS_CHART_VIEW (self), NULL);

  layout = ensure_layout (self);
  if (layout == NULL || !wr_chart_hit_test_layout (get_spec (self), layout, x, y, &hit))
    return NULL;
  return wr_chart_hit_format (get_spec (self), &hit);
}

const char *
_wr_chart_view_get_focus_text (WrChartView *self)
{
  g_return_val_if_fail (WR_IS_CHART_VIEW (self), NULL);

  return self->focus_text;
}

const char *
_wr_chart_view_get_summary (WrChartView *self)
{
  g_return_val_if_fail (WR_IS_CHART_VIEW (self), NULL);

  return self->summary;
}

const char *
_wr_chart_view_get_error_text (WrChartView *self)
{
  g_return_val_if_fail (WR_IS_CHART_VIEW (self), NULL);

  return self->error_text;
}

gboolean
_wr_chart_view_is_dark (WrChartView *self)
{
  g_return_val_if_fail (WR_IS_CHART_VIEW (self), FALSE);

  return self->dark;
}
