/* wr-filter-bar.c — the query behind the dataset table.
 *
 * The state (sort, filter text, conditions) lives here; every change
 * cancels the query running and starts a new one. The rows model keeps
 * showing the last complete result until the new one arrives. Statistics
 * are computed per column on first request and kept for the dataset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-column-header.h"
#include "wr-filter-bar.h"

#define FILTER_DELAY_MS 200
#define COLUMN_WIDTH    160   /* the Data page's default */

typedef struct {
  guint        column;
  WrDatasetOp  op;
  char        *value;
  GtkWidget   *chip;    /* the button that removes it (owned by conditions_box) */
} Condition;

struct _WrFilterBar
{
  GtkBox                parent_instance;

  WrStore              *store;              /* owned, nullable */
  char                 *dataset_id;
  GPtrArray            *names;              /* char *, per column */
  GArray               *types;              /* WrColumnType */
  GtkColumnView        *view;               /* owned, nullable */
  WrDatasetRowsModel   *rows;               /* owned, nullable */
  GSimpleActionGroup   *table_actions;      /* inserted on @view as "table" */
  gulong                sorter_changed_id;

  int                   sort_column;        /* asked for */
  gboolean              descending;
  int                   shown_column;       /* of the result on screen */
  gboolean              shown_descending;
  GArray               *conditions;         /* Condition */
  guint                 editing_column;
  guint                 filter_timeout_id;
  GCancellable         *query_cancellable;  /* nullable: a query runs */
  GCancellable         *stats_cancellable;  /* nullable: statistics run */
  GPtrArray            *stats;              /* WrColumnStats or NULL, per column */
  WrColumnStatsPopover *popover;            /* nullable, child of self */
  char                 *status;
  char                 *error;              /* nullable: the last query's */
  guint                 applying_sort : 1;
  guint                 resetting : 1;

  /* template children */
  GtkSearchEntry       *filter_entry;
  GtkBox               *conditions_box;
  GtkLabel             *status_label;
  GtkProgressBar       *progress_bar;
  GtkButton            *cancel_button;
  GtkRevealer          *condition_revealer;
  GtkLabel             *condition_column_label;
  GtkDropDown          *condition_op;
  GtkEntry             *condition_value;
};

G_DEFINE_FINAL_TYPE (WrFilterBar, wr_filter_bar, GTK_TYPE_BOX)

static void run_query (WrFilterBar *self);

/* Helpers */

static void
condition_clear (gpointer data)
{
  g_free (((Condition *) data)->value);
}

static const char *
column_name (WrFilterBar *self,
             guint        column)
{
  return column < self->names->len ? g_ptr_array_index (self->names, column) : "";
}

static WrColumnType
column_type (WrFilterBar *self,
             guint        column)
{
  return column < self->types->len ? g_array_index (self->types, WrColumnType, column) : WR_COLUMN_TYPE_TEXT;
}

static const char *
op_label (WrDatasetOp op)
{
  switch (op)
    {
    case WR_DATASET_OP_EQUALS:     return "=";
    case WR_DATASET_OP_NOT_EQUALS: return "≠";
    case WR_DATASET_OP_LESS:       return "<";
    case WR_DATASET_OP_GREATER:    return ">";
    /* Translators: a filter condition in a short button, "name contains ann" */
    case WR_DATASET_OP_CONTAINS:   return C_("filter", "contains");
    /* Translators: a filter condition in a short button, "city is empty" */
    case WR_DATASET_OP_IS_EMPTY:   return C_("filter", "is empty");
    default:                       return "";
    }
}

static gboolean
running (WrFilterBar *self)
{
  return self->query_cancellable != NULL || self->stats_cancellable != NULL;
}

static void
update_status (WrFilterBar *self)
{
  g_autofree char *count = NULL;
  WrDatasetResult *result;
  guint n_total, n_shown;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running (self));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filter-bar.cancel", running (self));

  g_clear_pointer (&self->status, g_free);
  if (self->rows == NULL)
    {
      gtk_label_set_text (self->status_label, "");
      return;
    }

  if (self->query_cancellable != NULL)
    {
      self->status = g_strdup (self->sort_column >= 0 && self->conditions->len == 0
                               && gtk_editable_get_text (GTK_EDITABLE (self->filter_entry))[0] == '\0'
                               ? _("Sorting…") : _("Filtering…"));
      gtk_label_set_text (self->status_label, self->status);
      return;
    }
  if (self->error != NULL)
    {
      self->status = g_strdup (self->error);
      gtk_label_set_text (self->status_label, self->status);
      return;
    }

  result = wr_dataset_rows_model_get_result (self->rows);
  n_total = wr_dataset_rows_model_get_n_total (self->rows);
  n_shown = result != NULL ? wr_dataset_result_get_n_rows (result) : n_total;
  if (n_shown != n_total)
    /* Translators: the rows a filter kept, "12,345 of 1,000,000 rows" */
    count = g_strdup_printf (g_dngettext (NULL, "%'u of %'u row", "%'u of %'u rows", n_total), n_shown, n_total);
  else
    count = g_strdup_printf (g_dngettext (NULL, "%'u row", "%'u rows", n_total), n_total);

  if (self->shown_column >= 0)
    /* Translators: "12,345 rows · sorted by Price, descending" */
    self->status = g_strdup_printf (self->shown_descending ? _("%s · sorted by %s, descending")
                                                           : _("%s · sorted by %s"),
                                    count, column_name (self, (guint) self->shown_column));
  else
    self->status = g_steal_pointer (&count);
  gtk_label_set_text (self->status_label, self->status);
}

/* Shows @column (-1: none) as the header's sort without running a query. */
static void
show_sort_indicator (WrFilterBar *self,
                     int          column,
                     gboolean     descending)
{
  GtkColumnViewColumn *view_column = column >= 0 ? wr_column_header_find (self->view, (guint) column) : NULL;

  self->applying_sort = TRUE;
  gtk_column_view_sort_by_column (self->view, view_column,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->applying_sort = FALSE;
}

static void
set_sort (WrFilterBar *self,
          int          column,
          gboolean     descending)
{
  self->sort_column = column;
  self->descending = column >= 0 && descending;
  show_sort_indicator (self, column, self->descending);
  run_query (self);
}

static void
cancel_all (WrFilterBar *self)
{
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  if (self->stats_cancellable != NULL)
    g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
}

static void
remove_chips (WrFilterBar *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conditions_box))) != NULL)
    gtk_box_remove (self->conditions_box, child);
}

static void
detach (WrFilterBar *self)
{
  cancel_all (self);
  if (self->view != NULL)
    {
      g_clear_signal_handler (&self->sorter_changed_id, gtk_column_view_get_sorter (self->view));
      gtk_widget_insert_action_group (GTK_WIDGET (self->view), "table", NULL);
    }
  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  g_clear_object (&self->view);
  g_clear_object (&self->rows);
  g_clear_object (&self->store);
  g_clear_pointer (&self->dataset_id, g_free);
  g_clear_pointer (&self->error, g_free);
  g_ptr_array_set_size (self->names, 0);
  g_array_set_size (self->types, 0);
  g_ptr_array_set_size (self->stats, 0);
  g_array_set_size (self->conditions, 0);
  remove_chips (self);
  self->sort_column = self->shown_column = -1;
  self->descending = self->shown_descending = FALSE;
}

static WrColumnType
type_from_string (const char *type)
{
  if (g_strcmp0 (type, "integer") == 0)
    return WR_COLUMN_TYPE_INTEGER;
  if (g_strcmp0 (type, "number") == 0)
    return WR_COLUMN_TYPE_NUMBER;
  if (g_strcmp0 (type, "boolean") == 0)
    return WR_COLUMN_TYPE_BOOLEAN;
  if (g_strcmp0 (type, "date") == 0)
    return WR_COLUMN_TYPE_DATE;
  return WR_COLUMN_TYPE_TEXT;
}

/* Callbacks */

static void
on_query_progress (double   fraction,
                   gpointer user_data)
{
  WrFilterBar *self = user_data;

  if (self->query_cancellable != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
on_query_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(WrFilterBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrDatasetResult) result = wr_dataset_query_run_finish (WR_STORE (source), res, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));

  /* A newer query, another table, or Stop took over. */
  if (cancellable != self->query_cancellable || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->query_cancellable);

  if (result == NULL)
    {
      g_free (self->error);
      /* Translators: %s says why, and what to do */
      self->error = g_strdup_printf (_("Could not sort or filter the rows: %s"), error->message);
    }
  else
    {
      guint n_columns = self->names->len;

      self->shown_column = self->sort_column;
      self->shown_descending = self->descending;
      wr_dataset_rows_model_set_result (self->rows, result, n_columns);
    }
  update_status (self);
}

static void
run_query (WrFilterBar *self)
{
  g_autoptr(WrDatasetQuery) query = wr_dataset_query_new ();

  if (self->rows == NULL)
    return;

  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  g_clear_pointer (&self->error, g_free);

  wr_dataset_query_set_sort (query, self->sort_column, self->descending);
  wr_dataset_query_set_text (query, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
  for (guint i = 0; i < self->conditions->len; i++)
    {
      Condition *c = &g_array_index (self->conditions, Condition, i);
      wr_dataset_query_add_condition (query, c->column, c->op, c->value);
    }

  if (wr_dataset_query_is_empty (query))
    {
      self->shown_column = -1;
      self->shown_descending = FALSE;
      wr_dataset_rows_model_set_result (self->rows, NULL, self->names->len);
      update_status (self);
      return;
    }

  self->query_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  update_status (self);
  wr_dataset_query_run_async (self->store, self->dataset_id, query,
                              on_query_progress, g_object_ref (self), g_object_unref,
                              self->query_cancellable, on_query_done, g_object_ref (self));
}

static void
on_sorter_changed_cb (WrFilterBar *self)
{
  gboolean descending = FALSE;
  int column;

  if (self->applying_sort || self->view == NULL)
    return;

  column = wr_column_header_get_sort (self->view, &descending);
  /* A third click on the same header: back to file order. */
  if (column >= 0 && column == self->sort_column && self->descending && !descending)
    column = -1;
  set_sort (self, column, descending);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  WrFilterBar *self = user_data;

  self->filter_timeout_id = 0;
  run_query (self);
  return G_SOURCE_REMOVE;
}

static void
on_filter_entry_changed_cb (WrFilterBar *self)
{
  if (self->resetting || self->rows == NULL)
    return;
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  self->filter_timeout_id = g_timeout_add (FILTER_DELAY_MS, filter_timeout_cb, self);
}

static void
on_filter_entry_activate_cb (WrFilterBar *self)
{
  if (self->filter_timeout_id != 0)
    run_query (self);
}

static void
on_filter_entry_stop_search_cb (WrFilterBar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
}

static void
on_chip_clicked_cb (WrFilterBar *self,
                    GtkButton   *chip)
{
  for (guint i = 0; i < self->conditions->len; i++)
    if (g_array_index (self->conditions, Condition, i).chip == GTK_WIDGET (chip))
      {
        g_array_remove_index (self->conditions, i);
        break;
      }
  gtk_box_remove (self->conditions_box, GTK_WIDGET (chip));
  run_query (self);
}

static void
on_stats_progress (double   fraction,
                   gpointer user_data)
{
  WrFilterBar *self = user_data;

  if (self->stats_cancellable != NULL && self->query_cancellable == NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
on_stats_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(WrFilterBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stats = wr_dataset_compute_stats_finish (WR_STORE (source), res, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));

  if (cancellable != self->stats_cancellable || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->stats_cancellable);

  if (stats == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not compute the statistics: %s"), error->message);

      if (self->popover != NULL)
        wr_column_stats_popover_set_error (self->popover, text);
    }
  else if (stats->len == 1)
    {
      WrColumnStats *column = g_ptr_array_steal_index (stats, 0);
      guint index = column->column;

      if (index < self->stats->len)
        {
          g_clear_pointer (&g_ptr_array_index (self->stats, index), wr_column_stats_free);
          g_ptr_array_index (self->stats, index) = column;
          if (self->popover != NULL && wr_column_stats_popover_get_column (self->popover) == index)
            wr_column_stats_popover_set_stats (self->popover, column);
        }
      else
        wr_column_stats_free (column);
    }
  update_status (self);
}

/* Where the header of dataset column @column is, in the bar's coordinates. */
static void
header_rect (WrFilterBar  *self,
             guint         column,
             GdkRectangle *rect)
{
  GListModel *columns = gtk_column_view_get_columns (self->view);
  GtkAdjustment *hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->view));
  double x = 0, width = COLUMN_WIDTH, bx = 0, by = 0;
  GtkColumnViewColumn *target = wr_column_header_find (self->view, column);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);
      int w = gtk_column_view_column_get_fixed_width (c);

      width = w > 0 ? w : COLUMN_WIDTH;
      if (c == target)
        break;
      if (gtk_column_view_column_get_visible (c))
        x += width;
    }
  if (hadjustment != NULL)
    x -= gtk_adjustment_get_value (hadjustment);
  x = CLAMP (x, 0, MAX (gtk_widget_get_width (GTK_WIDGET (self->view)) - 40, 0));

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->view), GTK_WIDGET (self), x, 0, &bx, &by))
    bx = x, by = gtk_widget_get_height (GTK_WIDGET (self));
  rect->x = (int) bx;
  rect->y = (int) by;
  rect->width = (int) MIN (width, gtk_widget_get_width (GTK_WIDGET (self->view)));
  rect->height = 32;
}

/* Actions */

static void
sort_ascending_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  set_sort (WR_FILTER_BAR (user_data), g_variant_get_int32 (parameter), FALSE);
}

static void
sort_descending_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  set_sort (WR_FILTER_BAR (user_data), g_variant_get_int32 (parameter), TRUE);
}

static void
clear_sort_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  set_sort (WR_FILTER_BAR (user_data), -1, FALSE);
}

static void
filter_column_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  WrFilterBar *self = WR_FILTER_BAR (user_data);
  guint column = (guint) g_variant_get_int32 (parameter);
  WrColumnType type = column_type (self, column);

  if (column >= self->names->len)
    return;
  self->editing_column = column;
  gtk_label_set_text (self->condition_column_label, column_name (self, column));
  gtk_drop_down_set_selected (self->condition_op,
                              type == WR_COLUMN_TYPE_TEXT ? WR_DATASET_OP_CONTAINS : WR_DATASET_OP_EQUALS);
  gtk_editable_set_text (GTK_EDITABLE (self->condition_value), "");
  gtk_revealer_set_reveal_child (self->condition_revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->condition_value));
}

static void
column_stats_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  wr_filter_bar_show_stats (WR_FILTER_BAR (user_data), (guint) g_variant_get_int32 (parameter));
}

static void
add_condition_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WrFilterBar *self = WR_FILTER_BAR (widget);
  WrDatasetOp op = (WrDatasetOp) gtk_drop_down_get_selected (self->condition_op);
  const char *value = gtk_editable_get_text (GTK_EDITABLE (self->condition_value));

  if (op > WR_DATASET_OP_IS_EMPTY)
    op = WR_DATASET_OP_EQUALS;
  if (op != WR_DATASET_OP_IS_EMPTY && *value == '\0')
    {
      gtk_widget_error_bell (widget);
      gtk_widget_grab_focus (GTK_WIDGET (self->condition_value));
      return;
    }
  wr_filter_bar_add_condition (self, self->editing_column, op, value);
  gtk_revealer_set_reveal_child (self->condition_revealer, FALSE);
}

static void
on_condition_value_activate_cb (WrFilterBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "filter-bar.add-condition", NULL);
}

static void
close_condition_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (WR_FILTER_BAR (widget)->condition_revealer, FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrFilterBar *self = WR_FILTER_BAR (widget);
  gboolean stats = self->stats_cancellable != NULL;

  cancel_all (self);
  /* The table keeps the order it shows: say so in the header too. */
  self->sort_column = self->shown_column;
  self->descending = self->shown_descending;
  if (self->view != NULL)
    show_sort_indicator (self, self->shown_column, self->shown_descending);
  if (stats && self->popover != NULL)
    wr_column_stats_popover_set_error (self->popover,
                                       _("Stopped. Open Column Statistics again to compute them."));
  update_status (self);
}

/* GObject */

static void
wr_filter_bar_dispose (GObject *object)
{
  WrFilterBar *self = WR_FILTER_BAR (object);

  detach (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_FILTER_BAR);
  g_clear_object (&self->table_actions);

  G_OBJECT_CLASS (wr_filter_bar_parent_class)->dispose (object);
}

static void
wr_filter_bar_finalize (GObject *object)
{
  WrFilterBar *self = WR_FILTER_BAR (object);

  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->types, g_array_unref);
  g_clear_pointer (&self->stats, g_ptr_array_unref);
  g_clear_pointer (&self->conditions, g_array_unref);
  g_free (self->status);

  G_OBJECT_CLASS (wr_filter_bar_parent_class)->finalize (object);
}

static void
wr_filter_bar_class_init (WrFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_filter_bar_dispose;
  object_class->finalize = wr_filter_bar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/data/wr-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, conditions_box);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, condition_revealer);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, condition_column_label);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, condition_op);
  gtk_widget_class_bind_template_child (widget_class, WrFilterBar, condition_value);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_condition_value_activate_cb);

  gtk_widget_class_install_action (widget_class, "filter-bar.add-condition", NULL, add_condition_action);
  gtk_widget_class_install_action (widget_class, "filter-bar.close-condition", NULL, close_condition_action);
  gtk_widget_class_install_action (widget_class, "filter-bar.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "filter-bar.cancel", NULL);
}

static void
wr_filter_bar_init (WrFilterBar *self)
{
  static const GActionEntry entries[] = {
    { "sort-ascending", sort_ascending_action, "i", NULL, NULL, { 0 } },
    { "sort-descending", sort_descending_action, "i", NULL, NULL, { 0 } },
    { "clear-sort", clear_sort_action, NULL, NULL, NULL, { 0 } },
    { "filter-column", filter_column_action, "i", NULL, NULL, { 0 } },
    { "column-stats", column_stats_action, "i", NULL, NULL, { 0 } },
  };

  self->names = g_ptr_array_new_with_free_func (g_free);
  self->types = g_array_new (FALSE, TRUE, sizeof (WrColumnType));
  self->stats = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_column_stats_free);
  self->conditions = g_array_new (FALSE, TRUE, sizeof (Condition));
  g_array_set_clear_func (self->conditions, condition_clear);
  self->sort_column = self->shown_column = -1;

  self->table_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->table_actions), entries, G_N_ELEMENTS (entries), self);

  gtk_widget_init_template (GTK_WIDGET (self));
  update_status (self);
}

/* API */

GtkWidget *
wr_filter_bar_new (void)
{
  return g_object_new (WR_TYPE_FILTER_BAR, NULL);
}

void
wr_filter_bar_set_table (WrFilterBar         *self,
                         WrStore             *store,
                         const WrDatasetInfo *info,
                         GtkColumnView       *view,
                         WrDatasetRowsModel  *rows)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *columns;
  GListModel *view_columns;

  g_return_if_fail (WR_IS_FILTER_BAR (self));

  detach (self);
  self->resetting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
  self->resetting = FALSE;
  gtk_revealer_set_reveal_child (self->condition_revealer, FALSE);

  if (info == NULL || view == NULL || rows == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      update_status (self);
      return;
    }

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (WR_IS_DATASET_ROWS_MODEL (rows));

  self->store = g_object_ref (store);
  self->dataset_id = g_strdup (info->id);
  self->view = g_object_ref (view);
  self->rows = g_object_ref (rows);

  node = json_from_string (info->columns != NULL ? info->columns : "[]", NULL);
  columns = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; columns != NULL && i < json_array_get_length (columns); i++)
    {
      JsonObject *spec = json_array_get_object_element (columns, i);
      WrColumnType type = type_from_string (spec != NULL ? json_object_get_string_member_with_default (spec, "type", "text")
                                            : "text");

      g_ptr_array_add (self->names,
                       g_strdup (spec != NULL ? json_object_get_string_member_with_default (spec, "name", "") : ""));
      g_array_append_val (self->types, type);
      g_ptr_array_add (self->stats, NULL);
    }

  view_columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (view_columns) && i < self->names->len; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (view_columns, i);
      wr_column_header_setup (column, i);
    }
  show_sort_indicator (self, -1, FALSE);
  self->sorter_changed_id = g_signal_connect_object (gtk_column_view_get_sorter (view), "changed",
                                                     G_CALLBACK (on_sorter_changed_cb), self,
                                                     G_CONNECT_SWAPPED);
  gtk_widget_insert_action_group (GTK_WIDGET (view), "table", G_ACTION_GROUP (self->table_actions));

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  update_status (self);
}

void
wr_filter_bar_focus_filter (WrFilterBar *self)
{
  g_return_if_fail (WR_IS_FILTER_BAR (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

void
wr_filter_bar_set_text (WrFilterBar *self,
                        const char  *text)
{
  g_return_if_fail (WR_IS_FILTER_BAR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text != NULL ? text : "");
}

void
wr_filter_bar_add_condition (WrFilterBar *self,
                             guint        column,
                             WrDatasetOp  op,
                             const char  *value)
{
  Condition condition = { column, op, NULL, NULL };
  g_autofree char *label = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *box, *text;

  g_return_if_fail (WR_IS_FILTER_BAR (self));

  if (self->rows == NULL || column >= self->names->len)
    return;

  condition.value = g_strdup (op == WR_DATASET_OP_IS_EMPTY || value == NULL ? "" : value);
  if (op == WR_DATASET_OP_IS_EMPTY)
    label = g_strdup_printf ("%s %s", column_name (self, column), op_label (op));
  else
    label = g_strdup_printf ("%s %s %s", column_name (self, column), op_label (op), condition.value);

  condition.chip = gtk_button_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  text = gtk_label_new (label);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 24);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
  gtk_button_set_child (GTK_BUTTON (condition.chip), box);
  /* Translators: tooltip of a filter condition's button, "Remove the filter “price > 10”" */
  tooltip = g_strdup_printf (_("Remove the filter “%s”"), label);
  gtk_widget_set_tooltip_text (condition.chip, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (condition.chip), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_signal_connect_object (condition.chip, "clicked", G_CALLBACK (on_chip_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->conditions_box, condition.chip);
  g_array_append_val (self->conditions, condition);
  gtk_revealer_set_reveal_child (self->condition_revealer, FALSE);

  run_query (self);
}

void
wr_filter_bar_show_stats (WrFilterBar *self,
                          guint        column)
{
  GdkRectangle rect;
  WrColumnStats *cached;

  g_return_if_fail (WR_IS_FILTER_BAR (self));

  if (self->rows == NULL || column >= self->names->len)
    return;

  if (self->popover == NULL)
    {
      self->popover = WR_COLUMN_STATS_POPOVER (wr_column_stats_popover_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
    }

  cached = g_ptr_array_index (self->stats, column);
  if (cached != NULL)
    wr_column_stats_popover_set_stats (self->popover, cached);
  else
    {
      wr_column_stats_popover_set_loading (self->popover, column, column_name (self, column));
      if (self->stats_cancellable != NULL)
        g_cancellable_cancel (self->stats_cancellable);
      g_clear_object (&self->stats_cancellable);
      self->stats_cancellable = g_cancellable_new ();
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      wr_dataset_compute_stats_async (self->store, self->dataset_id, (int) column,
                                      on_stats_progress, g_object_ref (self), g_object_unref,
                                      self->stats_cancellable, on_stats_done, g_object_ref (self));
      update_status (self);
    }

  header_rect (self, column, &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

const char *
wr_filter_bar_get_status (WrFilterBar *self)
{
  g_return_val_if_fail (WR_IS_FILTER_BAR (self), NULL);
  return self->status != NULL ? self->status : "";
}

gboolean
wr_filter_bar_get_busy (WrFilterBar *self)
{
  g_return_val_if_fail (WR_IS_FILTER_BAR (self), FALSE);
  return running (self) || self->filter_timeout_id != 0;
}

int
wr_filter_bar_get_sort (WrFilterBar *self,
                        gboolean    *descending)
{
  g_return_val_if_fail (WR_IS_FILTER_BAR (self), -1);
  if (descending != NULL)
    *descending = self->shown_descending;
  return self->shown_column;
}

WrColumnStatsPopover *
wr_filter_bar_get_stats_popover (WrFilterBar *self)
{
  g_return_val_if_fail (WR_IS_FILTER_BAR (self), NULL);
  return self->popover;
}
