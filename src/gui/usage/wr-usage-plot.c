/* wr-usage-plot.c — data and Cairo painting of the usage chart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "wr-usage-plot.h"
#include "wr-usage-format.h"
#include "workroom.h"

/* At most this many colours; beyond, the smallest models share "Other". */
#define MAX_SERIES    6
#define PAD           4.0
#define SWATCH        10.0
#define LEGEND_GAP    6.0
#define LEGEND_SPACE  18.0
#define LABEL_GAP     8.0
#define MAX_BAR_WIDTH 28.0

/* GNOME palette: darker shades for light backgrounds, lighter ones for
 * dark; the last entry is "Other". */
static const char * const light_palette[MAX_SERIES + 1] = {
  "#1c71d8", "#26a269", "#e66100", "#813d9c", "#c88800", "#c01c28", "#77767b",
};
static const char * const dark_palette[MAX_SERIES + 1] = {
  "#62a0ea", "#57e389", "#ffa348", "#c061cb", "#f8e45c", "#f66151", "#9a9996",
};

struct _WrUsagePlot
{
  guint        n_days;
  GDate        last_day;
  GPtrArray  **days;           /* n_days arrays of WrUsageDay (owned), largest series first */
  gint64      *day_tokens;     /* n_days */
  gint64      *stack;          /* n_days × n_series tokens */
  GHashTable  *model_tokens;   /* model name → gint64 * */
  GHashTable  *model_series;   /* model name → series index + 1 */
  GPtrArray   *series_labels;  /* char * */
  char        *top_model;      /* nullable */
  gint64       total;

  /* from the last draw */
  gboolean     drawn;
  double       plot_x, plot_y, plot_w, plot_h;
  double       slot_w, bar_w;
  gint64       top;
};

static const char *
model_label (const char *model)
{
  return model != NULL && *model != '\0' ? model : _("Unnamed model");
}

static int
day_index (WrUsagePlot *self,
           const char  *text)
{
  GDate date;
  int year, month, day;
  int offset;

  if (text == NULL || sscanf (text, "%d-%d-%d", &year, &month, &day) != 3
      || !g_date_valid_dmy (day, month, year))
    return -1;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  offset = g_date_days_between (&date, &self->last_day);
  if (offset < 0 || offset >= (int) self->n_days)
    return -1;

  return (int) self->n_days - 1 - offset;
}

static int
compare_models (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  GHashTable *tokens = user_data;
  const char *model_a = *(const char * const *) a;
  const char *model_b = *(const char * const *) b;
  gint64 ta = *(gint64 *) g_hash_table_lookup (tokens, model_a);
  gint64 tb = *(gint64 *) g_hash_table_lookup (tokens, model_b);

  if (ta != tb)
    return ta > tb ? -1 : 1;
  return g_strcmp0 (model_a, model_b);
}

static int
series_of (WrUsagePlot *self,
           const char  *model)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->model_series, model)) - 1;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  WrUsagePlot *self = user_data;
  const WrUsageDay *da = *(const WrUsageDay * const *) a;
  const WrUsageDay *db = *(const WrUsageDay * const *) b;
  int sa = series_of (self, da->model);
  int sb = series_of (self, db->model);

  if (sa != sb)
    return sa - sb;
  return g_strcmp0 (da->model, db->model);
}

WrUsagePlot *
wr_usage_plot_new (GPtrArray   *rows,
                   const GDate *last_day,
                   guint        n_days)
{
  WrUsagePlot *self;
  g_autofree const char **models = NULL;
  guint n_models;
  guint n_series;

  g_return_val_if_fail (last_day != NULL && g_date_valid (last_day), NULL);
  g_return_val_if_fail (n_days > 0, NULL);

  self = g_new0 (WrUsagePlot, 1);
  self->n_days = n_days;
  self->last_day = *last_day;
  self->days = g_new0 (GPtrArray *, n_days);
  self->day_tokens = g_new0 (gint64, n_days);
  self->model_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->model_series = g_hash_table_new (g_str_hash, g_str_equal);
  self->series_labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_days; i++)
    self->days[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_usage_day_free);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const WrUsageDay *row = g_ptr_array_index (rows, i);
      const char *model = row->model != NULL ? row->model : "";
      int index = day_index (self, row->day);
      gint64 tokens = row->input_tokens + row->output_tokens;
      gint64 *model_total;

      if (index < 0)
        continue;

      g_ptr_array_add (self->days[index], wr_usage_day_copy (row));
      self->day_tokens[index] += tokens;
      self->total += tokens;

      model_total = g_hash_table_lookup (self->model_tokens, model);
      if (model_total == NULL)
        {
          model_total = g_new0 (gint64, 1);
          g_hash_table_insert (self->model_tokens, g_strdup (model), model_total);
        }
      *model_total += tokens;
    }

  /* Series: the largest models, then "Other" for the rest. */
  models = (const char **) g_hash_table_get_keys_as_array (self->model_tokens, &n_models);
  g_qsort_with_data (models, n_models, sizeof (char *), compare_models, self->model_tokens);
  n_series = n_models <= MAX_SERIES ? n_models : MAX_SERIES;
  for (guint i = 0; i < n_models; i++)
    {
      guint series = MIN (i, n_series - 1);

      g_hash_table_insert (self->model_series, (gpointer) models[i], GUINT_TO_POINTER (series + 1));
      if (i < n_series - 1 || n_models <= MAX_SERIES)
        g_ptr_array_add (self->series_labels, g_strdup (model_label (models[i])));
      else if (i == n_series - 1)
        g_ptr_array_add (self->series_labels, g_strdup (_("Other")));
    }
  if (n_models > 0)
    self->top_model = g_strdup (models[0]);

  self->stack = g_new0 (gint64, (gsize) n_days * MAX (n_series, 1));
  for (guint d = 0; d < n_days; d++)
    {
      g_ptr_array_sort_with_data (self->days[d], compare_entries, self);
      for (guint i = 0; i < self->days[d]->len; i++)
        {
          const WrUsageDay *row = g_ptr_array_index (self->days[d], i);
          int series = series_of (self, row->model != NULL ? row->model : "");

          self->stack[d * n_series + series] += row->input_tokens + row->output_tokens;
        }
    }

  return self;
}

void
wr_usage_plot_free (WrUsagePlot *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_days; i++)
    g_ptr_array_unref (self->days[i]);
  g_free (self->days);
  g_free (self->day_tokens);
  g_free (self->stack);
  g_hash_table_unref (self->model_series);
  g_hash_table_unref (self->model_tokens);
  g_ptr_array_unref (self->series_labels);
  g_free (self->top_model);
  g_free (self);
}

guint
wr_usage_plot_get_n_days (WrUsagePlot *self)
{
  return self->n_days;
}

gboolean
wr_usage_plot_is_empty (WrUsagePlot *self)
{
  return g_hash_table_size (self->model_tokens) == 0;
}

gint64
wr_usage_plot_get_total_tokens (WrUsagePlot *self)
{
  return self->total;
}

gint64
wr_usage_plot_get_day_tokens (WrUsagePlot *self,
                              guint        day)
{
  g_return_val_if_fail (day < self->n_days, 0);

  return self->day_tokens[day];
}

gint64
wr_usage_plot_get_model_tokens (WrUsagePlot *self,
                                const char  *model)
{
  gint64 *tokens = g_hash_table_lookup (self->model_tokens, model != NULL ? model : "");

  return tokens != NULL ? *tokens : 0;
}

const char *
wr_usage_plot_get_top_model (WrUsagePlot *self)
{
  return self->top_model;
}

guint
wr_usage_plot_get_n_series (WrUsagePlot *self)
{
  return self->series_labels->len;
}

const char *
wr_usage_plot_get_series_label (WrUsagePlot *self,
                                guint        series)
{
  g_return_val_if_fail (series < self->series_labels->len, NULL);

  return g_ptr_array_index (self->series_labels, series);
}

char *
wr_usage_plot_dup_summary (WrUsagePlot *self)
{
  g_autofree char *tokens = NULL;

  if (wr_usage_plot_is_empty (self))
    /* TRANSLATORS: %u is a number of days */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Last %u day: no usage.",
                                         "Last %u days: no usage.",
                                         self->n_days),
                            self->n_days);

  tokens = wr_usage_format_count (self->total);
  /* TRANSLATORS: "Last 30 days: 12,400 tokens, most used gpt-4o-mini." */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Last %u day: %s tokens, most used %s.",
                                       "Last %u days: %s tokens, most used %s.",
                                       self->n_days),
                          self->n_days, tokens, model_label (self->top_model));
}

/* Painting ----------------------------------------------------------------- */

typedef struct {
  cairo_t              *cr;
  PangoContext         *context;
  PangoFontDescription *font;
  const WrUsagePlotStyle *style;
} Painter;

static PangoLayout *
painter_layout (Painter    *p,
                const char *text)
{
  PangoLayout *layout;

  if (p->context != NULL)
    layout = pango_layout_new (p->context);
  else
    layout = pango_cairo_create_layout (p->cr);

  pango_layout_set_font_description (layout, p->font);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

static void
painter_size (Painter    *p,
              const char *text,
              double     *width,
              double     *height)
{
  g_autoptr(PangoLayout) layout = painter_layout (p, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

static void
set_foreground (Painter *p,
                double   alpha)
{
  const GdkRGBA *fg = &p->style->foreground;

  cairo_set_source_rgba (p->cr, fg->red, fg->green, fg->blue, fg->alpha * alpha);
}

static void
show_text (Painter    *p,
           const char *text,
           double      x,
           double      y,
           double      alpha)
{
  g_autoptr(PangoLayout) layout = painter_layout (p, text);

  set_foreground (p, alpha);
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, layout);
}

static void
set_series_colour (Painter     *p,
                   WrUsagePlot *self,
                   guint        series)
{
  const char * const *palette = p->style->dark ? dark_palette : light_palette;
  gboolean other = series == MAX_SERIES - 1 && g_hash_table_size (self->model_tokens) > MAX_SERIES;
  GdkRGBA colour;

  gdk_rgba_parse (&colour, palette[other ? MAX_SERIES : MIN (series, MAX_SERIES - 1)]);
  cairo_set_source_rgba (p->cr, colour.red, colour.green, colour.blue, 1.0);
}

/* The smallest round step (1, 2, 2.5 or 5 times a power of ten, whole
 * tokens) that reaches @max in at most five intervals. */
static gint64
nice_step (gint64 max)
{
  static const double multiples[] = { 1.0, 2.0, 2.5, 5.0 };
  double magnitude = pow (10.0, floor (log10 (MAX ((double) max / 5.0, 1.0))));

  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (multiples); i++)
        {
          gint64 step = llround (multiples[i] * magnitude);

          /* 2.5 only where it stays whole: 25, 250, 2.5k… */
          if (multiples[i] == 2.5 && magnitude < 10.0)
            continue;
          if ((max + step - 1) / step <= 5)
            return step;
        }
      magnitude *= 10.0;
    }
}

static GDateTime *
day_time (WrUsagePlot *self,
          guint        day)
{
  GDate date = self->last_day;

  g_date_subtract_days (&date, self->n_days - 1 - day);

  return g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                g_date_get_day (&date), 12, 0, 0);
}

static char *
format_day (WrUsagePlot *self,
            guint        day,
            const char  *format)
{
  g_autoptr(GDateTime) time = day_time (self, day);

  return g_date_time_format (time, format);
}

static void
draw_empty (WrUsagePlot *self,
            Painter     *p,
            int          width,
            int          height)
{
  g_autofree char *text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "No usage in the last %u day",
                                  "No usage in the last %u days",
                                  self->n_days),
                     self->n_days);
  double w, h;

  painter_size (p, text, &w, &h);
  show_text (p, text, (width - w) / 2.0, (height - h) / 2.0, 0.55);
}

typedef struct {
  double x;
  double width;
  guint  line;
} LegendItem;

void
wr_usage_plot_draw (WrUsagePlot            *self,
                    cairo_t                *cr,
                    PangoContext           *context,
                    int                     width,
                    int                     height,
                    const WrUsagePlotStyle *style)
{
  g_autoptr(PangoFontDescription) font = NULL;
  g_autofree LegendItem *legend = NULL;
  Painter p = { cr, context, NULL, style };
  guint n_series = self->series_labels->len;
  gint64 max = 1, step, top;
  double text_h, axis_w = 0, legend_h, x_labels_h, line_w;
  double label_w = 0;
  guint n_lines = 1;
  guint label_step = 1;
  static const guint label_steps[] = { 1, 2, 3, 5, 7, 10, 14, 15, 30 };

  g_return_if_fail (self != NULL && cr != NULL && style != NULL);

  self->drawn = FALSE;

  if (context != NULL && pango_context_get_font_description (context) != NULL)
    font = pango_font_description_copy (pango_context_get_font_description (context));
  else
    font = pango_font_description_from_string ("Sans 10");
  if (pango_font_description_get_size (font) > 0)
    {
      int size = (int) (pango_font_description_get_size (font) * 0.85);

      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size);
      else
        pango_font_description_set_size (font, size);
    }
  p.font = font;

  cairo_save (cr);

  if (wr_usage_plot_is_empty (self) || width < 40 || height < 40)
    {
      if (wr_usage_plot_is_empty (self))
        draw_empty (self, &p, width, height);
      cairo_restore (cr);
      return;
    }

  for (guint d = 0; d < self->n_days; d++)
    max = MAX (max, self->day_tokens[d]);
  step = nice_step (max);
  top = ((max + step - 1) / step) * step;

  painter_size (&p, "0", NULL, &text_h);
  for (gint64 v = 0; v <= top; v += step)
    {
      g_autofree char *text = wr_usage_format_short (v);
      double w;

      painter_size (&p, text, &w, NULL);
      axis_w = MAX (axis_w, w);
    }

  /* The legend wraps under the chart. */
  legend = g_new0 (LegendItem, MAX (n_series, 1));
  line_w = 0;
  for (guint s = 0; s < n_series; s++)
    {
      double w;

      painter_size (&p, g_ptr_array_index (self->series_labels, s), &w, NULL);
      legend[s].width = SWATCH + LEGEND_GAP + w;
      if (line_w > 0 && line_w + legend[s].width > width - 2 * PAD)
        {
          n_lines++;
          line_w = 0;
        }
      legend[s].x = PAD + line_w;
      legend[s].line = n_lines - 1;
      line_w += legend[s].width + LEGEND_SPACE;
    }
  legend_h = n_lines * (text_h + 4.0);
  x_labels_h = text_h + 6.0;

  self->plot_x = PAD + axis_w + LABEL_GAP;
  self->plot_y = PAD + text_h / 2.0;
  self->plot_w = width - self->plot_x - PAD;
  self->plot_h = height - self->plot_y - x_labels_h - legend_h - 2 * PAD - 6.0;
  if (self->plot_w < 20 || self->plot_h < 20)
    {
      cairo_restore (cr);
      return;
    }
  self->slot_w = self->plot_w / self->n_days;
  self->bar_w = MIN (MAX (self->slot_w * 0.7, 1.0), MAX_BAR_WIDTH);
  self->top = top;
  self->drawn = TRUE;

  /* Grid lines and y labels. */
  cairo_set_line_width (cr, 1.0);
  for (gint64 v = 0; v <= top; v += step)
    {
      g_autofree char *text = wr_usage_format_short (v);
      double y = round (self->plot_y + self->plot_h - (double) v / top * self->plot_h) + 0.5;
      double w;

      set_foreground (&p, v == 0 ? 0.35 : 0.12);
      cairo_move_to (cr, self->plot_x, y);
      cairo_line_to (cr, self->plot_x + self->plot_w, y);
      cairo_stroke (cr);

      painter_size (&p, text, &w, NULL);
      show_text (&p, text, self->plot_x - LABEL_GAP - w, y - text_h / 2.0, 0.7);
    }

  /* Bars: largest series at the bottom, rounded tops. */
  for (guint d = 0; d < self->n_days; d++)
    {
      double x = self->plot_x + d * self->slot_w + (self->slot_w - self->bar_w) / 2.0;
      double base = self->plot_y + self->plot_h;
      double bar_h = (double) self->day_tokens[d] / top * self->plot_h;
      double radius = MIN (3.0, self->bar_w / 2.0);
      double y;

      if (style->hover_day == (int) d)
        {
          set_foreground (&p, 0.07);
          cairo_rectangle (cr, self->plot_x + d * self->slot_w, self->plot_y,
                           self->slot_w, self->plot_h);
          cairo_fill (cr);
        }

      if (self->day_tokens[d] == 0)
        {
          /* An empty slot: the day is there, with nothing used. */
          set_foreground (&p, 0.18);
          cairo_rectangle (cr, x, base - 2.0, self->bar_w, 2.0);
          cairo_fill (cr);
          continue;
        }

      bar_h = MAX (bar_h, 1.0);
      radius = MIN (radius, bar_h / 2.0);
      cairo_save (cr);
      cairo_new_sub_path (cr);
      cairo_move_to (cr, x, base);
      cairo_arc (cr, x + radius, base - bar_h + radius, radius, G_PI, 1.5 * G_PI);
      cairo_arc (cr, x + self->bar_w - radius, base - bar_h + radius, radius, 1.5 * G_PI, 2 * G_PI);
      cairo_line_to (cr, x + self->bar_w, base);
      cairo_close_path (cr);
      cairo_clip (cr);

      y = base;
      for (guint s = 0; s < n_series; s++)
        {
          gint64 tokens = self->stack[d * n_series + s];
          double h;

          if (tokens == 0)
            continue;

          h = (double) tokens / self->day_tokens[d] * bar_h;
          set_series_colour (&p, self, s);
          cairo_rectangle (cr, x, y - h, self->bar_w, h);
          cairo_fill (cr);
          y -= h;
        }
      cairo_restore (cr);
    }

  /* Dates: today and every label_step days before it, as many as fit. */
  for (guint d = 0; d < self->n_days; d++)
    {
      g_autofree char *text = format_day (self, d, C_("chart date", "%b %-d"));
      double w;

      painter_size (&p, text, &w, NULL);
      label_w = MAX (label_w, w);
    }
  for (guint i = 0; i < G_N_ELEMENTS (label_steps); i++)
    {
      label_step = label_steps[i];
      if (label_step * self->slot_w >= label_w + 12.0)
        break;
    }
  {
    double left_edge = G_MAXDOUBLE;

    for (int d = (int) self->n_days - 1; d >= 0; d -= (int) label_step)
      {
        g_autofree char *text = format_day (self, d, C_("chart date", "%b %-d"));
        double w, x;

        painter_size (&p, text, &w, NULL);
        x = self->plot_x + (d + 0.5) * self->slot_w - w / 2.0;
        x = CLAMP (x, PAD, width - PAD - w);
        /* Shifted into the widget, a label may now touch its neighbour. */
        if (x + w + 8.0 > left_edge)
          continue;
        left_edge = x;
        show_text (&p, text, x, self->plot_y + self->plot_h + 4.0, 0.7);
      }
  }

  /* Legend. */
  for (guint s = 0; s < n_series; s++)
    {
      double y = self->plot_y + self->plot_h + x_labels_h + 6.0 + legend[s].line * (text_h + 4.0);

      set_series_colour (&p, self, s);
      cairo_rectangle (cr, legend[s].x, y + (text_h - SWATCH) / 2.0, SWATCH, SWATCH);
      cairo_fill (cr);
      show_text (&p, g_ptr_array_index (self->series_labels, s),
                 legend[s].x + SWATCH + LEGEND_GAP, y, 0.85);
    }

  cairo_restore (cr);
}

gboolean
wr_usage_plot_hit (WrUsagePlot *self,
                   double       x,
                   double       y,
                   int         *out_day,
                   int         *out_series)
{
  guint n_series = self->series_labels->len;
  double base, bar_x, seg_y;
  int day;

  if (!self->drawn || x < self->plot_x || x >= self->plot_x + self->plot_w
      || y < self->plot_y || y > self->plot_y + self->plot_h)
    return FALSE;

  day = (int) ((x - self->plot_x) / self->slot_w);
  day = CLAMP (day, 0, (int) self->n_days - 1);
  *out_day = day;
  *out_series = -1;

  bar_x = self->plot_x + day * self->slot_w + (self->slot_w - self->bar_w) / 2.0;
  if (x < bar_x || x > bar_x + self->bar_w || self->day_tokens[day] == 0)
    return TRUE;

  base = self->plot_y + self->plot_h;
  seg_y = base;
  for (guint s = 0; s < n_series; s++)
    {
      double h = (double) self->stack[day * n_series + s] / self->top * self->plot_h;

      if (y <= seg_y && y >= seg_y - h)
        {
          *out_series = (int) s;
          break;
        }
      seg_y -= h;
    }

  return TRUE;
}

char *
wr_usage_plot_dup_tooltip (WrUsagePlot *self,
                           guint        day,
                           int          series)
{
  g_autofree char *date = NULL;
  GString *out;
  gint64 calls = 0;

  g_return_val_if_fail (day < self->n_days, NULL);

  date = format_day (self, day, C_("tooltip date", "%A, %B %-d"));
  out = g_string_new (NULL);
  g_string_append_printf (out, "<b>%s</b>", date);

  if (self->days[day]->len == 0)
    {
      g_string_append_printf (out, "\n%s", _("No usage"));
      return g_string_free (out, FALSE);
    }

  for (guint i = 0; i < self->days[day]->len; i++)
    {
      const WrUsageDay *row = g_ptr_array_index (self->days[day], i);
      g_autofree char *tokens = wr_usage_format_count (row->input_tokens + row->output_tokens);
      g_autofree char *cost = wr_usage_format_credits (row->cost_micros);
      g_autofree char *line = NULL;
      gboolean bold = series >= 0 && series_of (self, row->model != NULL ? row->model : "") == series;

      /* TRANSLATORS: model: tokens and cost in a chart tooltip */
      line = g_markup_printf_escaped (_("%s: %s tokens, %s"), model_label (row->model), tokens, cost);
      g_string_append_printf (out, bold ? "\n<b>%s</b>" : "\n%s", line);
      calls += row->calls;
    }

  if (self->days[day]->len > 1 || calls > 1)
    {
      g_autofree char *tokens = wr_usage_format_count (self->day_tokens[day]);
      g_autofree char *n_calls = wr_usage_format_count (calls);
      g_autofree char *line = NULL;

      /* TRANSLATORS: a day's total in a chart tooltip: "Total: 12,400 tokens in 5 calls" */
      line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Total: %s tokens in %s call",
                                           "Total: %s tokens in %s calls",
                                           (gulong) calls),
                              tokens, n_calls);
      g_string_append_printf (out, "\n%s", line);
    }

  return g_string_free (out, FALSE);
}
