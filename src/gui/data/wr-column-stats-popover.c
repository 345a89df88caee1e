/* wr-column-stats-popover.c — one column's statistics, and its histogram.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "wr-column-stats-popover.h"

struct _WrColumnStatsPopover
{
  GtkPopover       parent_instance;

  guint            column;
  guint64          bins[WR_COLUMN_STATS_N_BINS];
  guint            n_rows;     /* lines in the grid */
  GString         *text;       /* what is shown, for dup_text() */

  /* template children */
  GtkLabel        *title_label;
  GtkLabel        *type_label;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkGrid         *grid;
  GtkDrawingArea  *histogram;
  GtkLabel        *histogram_range;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (WrColumnStatsPopover, wr_column_stats_popover, GTK_TYPE_POPOVER)

/* Helpers */

static char *
format_number (double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%'.0f", value);
  return g_strdup_printf ("%'.6g", value);
}

static const char *
type_name (WrColumnType type)
{
  switch (type)
    {
    case WR_COLUMN_TYPE_INTEGER: return C_("column type", "integer");
    case WR_COLUMN_TYPE_NUMBER:  return C_("column type", "number");
    case WR_COLUMN_TYPE_BOOLEAN: return C_("column type", "yes/no");
    case WR_COLUMN_TYPE_DATE:    return C_("column type", "date");
    case WR_COLUMN_TYPE_TEXT:
    default:                     return C_("column type", "text");
    }
}

static void
clear_grid (WrColumnStatsPopover *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  self->n_rows = 0;
  g_string_truncate (self->text, 0);
}

static void
add_row (WrColumnStatsPopover *self,
         const char           *label,
         const char           *value)
{
  GtkWidget *name = gtk_label_new (label);
  GtkWidget *text = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 1);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (text, "numeric");
  gtk_grid_attach (self->grid, name, 0, (int) self->n_rows, 1, 1);
  gtk_grid_attach (self->grid, text, 1, (int) self->n_rows, 1, 1);
  self->n_rows++;
  g_string_append_printf (self->text, "%s: %s\n", label, value);
}

static void
add_count_row (WrColumnStatsPopover *self,
               const char           *label,
               gint64                value)
{
  g_autofree char *text = g_strdup_printf ("%'" G_GINT64_FORMAT, value);

  add_row (self, label, text);
}

static void
add_number_row (WrColumnStatsPopover *self,
                const char           *label,
                double                value)
{
  g_autofree char *text = format_number (value);

  add_row (self, label, text);
}

static void
draw_histogram (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  WrColumnStatsPopover *self = WR_COLUMN_STATS_POPOVER (user_data);
  GdkRGBA color;
  guint64 max = 0;
  double bar_width = (double) width / WR_COLUMN_STATS_N_BINS;

  for (guint i = 0; i < WR_COLUMN_STATS_N_BINS; i++)
    max = MAX (max, self->bins[i]);
  if (max == 0)
    return;

  if (!adw_style_manager_get_dark (adw_style_manager_get_default ()))
    gdk_rgba_parse (&color, "#3584e4");
  else
    gdk_rgba_parse (&color, "#78aeed");
  gdk_cairo_set_source_rgba (cr, &color);
  for (guint i = 0; i < WR_COLUMN_STATS_N_BINS; i++)
    {
      double h = self->bins[i] > 0 ? MAX (1.0, (double) self->bins[i] / (double) max * (height - 1)) : 0;

      cairo_rectangle (cr, i * bar_width + 0.5, height - h, MAX (bar_width - 1.5, 1), h);
    }
  cairo_fill (cr);

  /* the baseline */
  color.alpha = 0.5;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_rectangle (cr, 0, height - 1, width, 1);
  cairo_fill (cr);
}

/* GObject */

static void
wr_column_stats_popover_finalize (GObject *object)
{
  WrColumnStatsPopover *self = WR_COLUMN_STATS_POPOVER (object);

  g_string_free (self->text, TRUE);
  G_OBJECT_CLASS (wr_column_stats_popover_parent_class)->finalize (object);
}

static void
wr_column_stats_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WR_TYPE_COLUMN_STATS_POPOVER);
  G_OBJECT_CLASS (wr_column_stats_popover_parent_class)->dispose (object);
}

static void
wr_column_stats_popover_class_init (WrColumnStatsPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_column_stats_popover_dispose;
  object_class->finalize = wr_column_stats_popover_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/data/wr-column-stats-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, title_label);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, type_label);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, stack);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, grid);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, histogram);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, histogram_range);
  gtk_widget_class_bind_template_child (widget_class, WrColumnStatsPopover, error_label);
}

static void
wr_column_stats_popover_init (WrColumnStatsPopover *self)
{
  self->column = G_MAXUINT;
  self->text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->histogram, draw_histogram, self, NULL);
}

/* API */

GtkWidget *
wr_column_stats_popover_new (void)
{
  return g_object_new (WR_TYPE_COLUMN_STATS_POPOVER, NULL);
}

void
wr_column_stats_popover_set_loading (WrColumnStatsPopover *self,
                                     guint                 column,
                                     const char           *name)
{
  g_return_if_fail (WR_IS_COLUMN_STATS_POPOVER (self));

  self->column = column;
  gtk_label_set_text (self->title_label, name);
  gtk_label_set_text (self->type_label, "");
  clear_grid (self);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
wr_column_stats_popover_set_stats (WrColumnStatsPopover *self,
                                   const WrColumnStats  *stats)
{
  gboolean numeric;
  g_autofree char *type = NULL;

  g_return_if_fail (WR_IS_COLUMN_STATS_POPOVER (self));
  g_return_if_fail (stats != NULL);

  self->column = stats->column;
  numeric = (stats->type == WR_COLUMN_TYPE_INTEGER || stats->type == WR_COLUMN_TYPE_NUMBER) && stats->n_numbers > 0;
  gtk_label_set_text (self->title_label, stats->name);
  /* Translators: under a column's name in Column Statistics, "Column 3 · number" */
  type = g_strdup_printf (_("Column %u · %s"), stats->column + 1, type_name (stats->type));
  gtk_label_set_text (self->type_label, type);
  clear_grid (self);

  add_count_row (self, _("Rows"), stats->count);
  add_count_row (self, _("Empty"), stats->empty);
  if (stats->distinct_capped)
    {
      /* Translators: distinct values were counted up to this many */
      g_autofree char *text = g_strdup_printf (_("at least %'" G_GINT64_FORMAT), stats->distinct);
      add_row (self, _("Distinct"), text);
    }
  else
    add_count_row (self, _("Distinct"), stats->distinct);

  if (numeric)
    {
      add_number_row (self, _("Minimum"), stats->min);
      add_number_row (self, _("Maximum"), stats->max);
      add_number_row (self, _("Mean"), stats->mean);
      add_number_row (self, _("Sum"), stats->sum);
    }
  if (stats->earliest != NULL)
    {
      add_row (self, _("Earliest"), stats->earliest);
      add_row (self, _("Latest"), stats->latest);
    }
  for (guint i = 0; i < stats->n_top; i++)
    {
      g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, stats->top_counts[i]);
      GtkWidget *name = gtk_label_new (i == 0 ? _("Most frequent") : "");
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *value = gtk_label_new (stats->top_values[i]);
      GtkWidget *number = gtk_label_new (count);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (name, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_add_css_class (number, "numeric");
      gtk_widget_add_css_class (number, "dim-label");
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), number);
      gtk_grid_attach (self->grid, name, 0, (int) self->n_rows, 1, 1);
      gtk_grid_attach (self->grid, box, 1, (int) self->n_rows, 1, 1);
      self->n_rows++;
      g_string_append_printf (self->text, "%s: %s (%s)\n", _("Most frequent"), stats->top_values[i], count);
    }

  memcpy (self->bins, stats->histogram, sizeof self->bins);
  gtk_widget_set_visible (GTK_WIDGET (self->histogram), numeric);
  gtk_widget_set_visible (GTK_WIDGET (self->histogram_range), numeric);
  if (numeric)
    {
      g_autofree char *min = format_number (stats->min);
      g_autofree char *max = format_number (stats->max);
      /* Translators: the range a histogram covers, "−5 to 10" */
      g_autofree char *range = g_strdup_printf (_("%s to %s, in 20 equal bins"), min, max);

      gtk_label_set_text (self->histogram_range, range);
      gtk_widget_queue_draw (GTK_WIDGET (self->histogram));
    }

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "stats");
}

void
wr_column_stats_popover_set_error (WrColumnStatsPopover *self,
                                   const char           *message)
{
  g_return_if_fail (WR_IS_COLUMN_STATS_POPOVER (self));

  clear_grid (self);
  gtk_label_set_text (self->error_label, message);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

guint
wr_column_stats_popover_get_column (WrColumnStatsPopover *self)
{
  g_return_val_if_fail (WR_IS_COLUMN_STATS_POPOVER (self), G_MAXUINT);
  return self->column;
}

char *
wr_column_stats_popover_dup_text (WrColumnStatsPopover *self)
{
  g_return_val_if_fail (WR_IS_COLUMN_STATS_POPOVER (self), NULL);
  return g_strdup (self->text->str);
}
