/* wr-data-view.c — the Data page.
 *
 * Datasets on the left (name, rows and columns, or why the import
 * failed), the selected one's rows on the right in a GtkColumnView over a
 * WrDatasetRowsModel, which reads pages of rows as they scroll into view.
 * The list loads, imports run and deletions happen in worker threads with
 * cancellables that dispose cancels; an import shows its progress above the
 * page with Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-data-view.h"
#include "wr-data-view-private.h"
#include "wr-dataset-row.h"
#include "wr-dataset-rows-model.h"
#include "wr-filter-bar.h"
#include "wr-chart-builder.h"
#include "wr-gui-util.h"
#include "data/wr-dataset.h"

#define COLUMN_WIDTH 160

struct _WrDataView
{
  AdwBin              parent_instance;

  WrSession          *session;             /* owned */
  WrProject          *project;             /* owned, nullable */
  GPtrArray          *datasets;            /* WrDatasetInfo */
  WrDatasetRowsModel *rows;                /* owned, nullable: the selected dataset's */
  char               *selected_id;
  char               *select_after_load;   /* to select once the list is loaded */
  char               *error;               /* shown inline, nullable */

  GCancellable       *cancellable;         /* the view's lifetime */
  GCancellable       *list_cancellable;    /* loading the project's datasets */
  GCancellable       *import_cancellable;  /* nullable: the running import */
  double              progress;
  guint               n_progress;
  guint               loading : 1;
  guint               filling_list : 1;

  /* template children */
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  GtkRevealer        *progress_revealer;
  GtkLabel           *progress_label;
  GtkProgressBar     *progress_bar;
  GtkStack           *main_stack;
  GtkListBox         *dataset_list;
  GtkLabel           *table_title;
  GtkLabel           *table_subtitle;
  GtkStack           *table_stack;
  AdwStatusPage      *failed_page;
  GtkColumnView      *column_view;
  WrFilterBar        *filter_bar;
  GtkToggleButton    *chart_toggle;
  WrChartBuilder     *chart_builder;
};

G_DEFINE_FINAL_TYPE (WrDataView, wr_data_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_list (WrDataView *self);
static void show_dataset (WrDataView *self);

/* Helpers */

static WrStore *
get_store (WrDataView *self)
{
  return wr_session_get_store (self->session);
}

static WrDatasetInfo *
find_dataset (WrDataView *self,
              const char *id)
{
  for (guint i = 0; id != NULL && i < self->datasets->len; i++)
    {
      WrDatasetInfo *info = g_ptr_array_index (self->datasets, i);

      if (g_strcmp0 (info->id, id) == 0)
        return info;
    }
  return NULL;
}

static void
show_error (WrDataView *self,
            const char *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
hide_error (WrDataView *self)
{
  g_clear_pointer (&self->error, g_free);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

static void
update_actions (WrDataView *self)
{
  WrDatasetInfo *info = find_dataset (self, self->selected_id);
  gboolean importing = self->import_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.import",
                                 self->project != NULL && !importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-import", importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.delete", info != NULL);
}

static const char *
type_label (const char *type)
{
  if (g_strcmp0 (type, "integer") == 0)
    return C_("column type", "integer");
  if (g_strcmp0 (type, "number") == 0)
    return C_("column type", "number");
  if (g_strcmp0 (type, "boolean") == 0)
    return C_("column type", "yes/no");
  if (g_strcmp0 (type, "date") == 0)
    return C_("column type", "date");
  return C_("column type", "text");
}

static guint
count_columns (const WrDatasetInfo *info)
{
  g_autoptr(JsonNode) node = NULL;

  if (info->columns == NULL)
    return 0;
  node = json_from_string (info->columns, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  return json_array_get_length (json_node_get_array (node));
}

/* "12,345 rows · 8 columns" */
static char *
describe_dataset (const WrDatasetInfo *info)
{
  guint n_columns = count_columns (info);
  gint64 n_rows = MAX (info->row_count, 0);
  g_autofree char *rows = NULL;
  g_autofree char *columns = NULL;

  rows = g_strdup_printf (g_dngettext (NULL, "%'" G_GINT64_FORMAT " row", "%'" G_GINT64_FORMAT " rows",
                                       (gulong) n_rows), n_rows);
  columns = g_strdup_printf (g_dngettext (NULL, "%u column", "%u columns", n_columns), n_columns);
  /* Translators: rows and columns of a dataset, "12,345 rows · 8 columns" */
  return g_strdup_printf (_("%s · %s"), rows, columns);
}

static void
clear_columns (WrDataView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  gtk_column_view_set_model (self->column_view, NULL);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
    }
}

/* The rows, or with Chart toggled the chart builder (which reads the
 * dataset only while shown). */
static void
show_table_or_chart (WrDataView    *self,
                     WrDatasetInfo *info)
{
  gboolean chart = gtk_toggle_button_get_active (self->chart_toggle);

  if (chart)
    wr_chart_builder_set_dataset (self->chart_builder, self->session, info);
  gtk_stack_set_visible_child_name (self->table_stack, chart ? "chart" : "table");
  /* The chart is of the whole dataset: the table's filter does not apply. */
  gtk_widget_set_visible (GTK_WIDGET (self->filter_bar), !chart);
}

static void
on_chart_toggle_toggled_cb (WrDataView *self)
{
  if (find_dataset (self, self->selected_id) != NULL)
    show_dataset (self);
}

static void
show_dataset (WrDataView *self)
{
  WrDatasetInfo *info = find_dataset (self, self->selected_id);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *columns;
  g_autofree char *subtitle = NULL;

  if (info == NULL || self->rows == NULL
      || g_strcmp0 (wr_dataset_rows_model_get_dataset_id (self->rows), info->id) != 0)
    {
      wr_filter_bar_set_table (self->filter_bar, NULL, NULL, NULL, NULL);
      clear_columns (self);
      g_clear_object (&self->rows);
    }

  if (info == NULL)
    {
      gtk_label_set_text (self->table_title, "");
      gtk_label_set_text (self->table_subtitle, "");
      gtk_stack_set_visible_child_name (self->table_stack, "none");
      update_actions (self);
      return;
    }

  gtk_label_set_text (self->table_title, info->name);
  if (g_strcmp0 (info->status, "ready") != 0)
    {
      gtk_label_set_text (self->table_subtitle, _("Import failed"));
      adw_status_page_set_description (self->failed_page,
                                       info->error != NULL ? info->error
                                       : _("The file could not be read. Delete this dataset and import the file again."));
      gtk_stack_set_visible_child_name (self->table_stack, "failed");
      update_actions (self);
      return;
    }

  subtitle = describe_dataset (info);
  gtk_label_set_text (self->table_subtitle, subtitle);
  show_table_or_chart (self, info);
  update_actions (self);

  if (self->rows != NULL)
    return;

  node = json_from_string (info->columns != NULL ? info->columns : "[]", NULL);
  columns = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; columns != NULL && i < json_array_get_length (columns); i++)
    {
      JsonObject *spec = json_array_get_object_element (columns, i);
      const char *name = spec != NULL ? json_object_get_string_member_with_default (spec, "name", "") : "";
      const char *type = spec != NULL ? json_object_get_string_member_with_default (spec, "type", "text") : "text";
      gboolean numeric = g_str_equal (type, "integer") || g_str_equal (type, "number");
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autofree char *title = NULL;
      GtkListItemFactory *factory = wr_dataset_row_cell_factory_new (i, numeric);

      /* Translators: a table's column header, "Price · number" */
      title = g_strdup_printf (_("%s · %s"), name, type_label (type));
      column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_fixed_width (column, COLUMN_WIDTH);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }

  self->rows = wr_dataset_rows_model_new (get_store (self), info->id,
                                          (guint) CLAMP (info->row_count, 0, G_MAXUINT));
  gtk_column_view_set_model (self->column_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))));
  wr_filter_bar_set_table (self->filter_bar, get_store (self), info, self->column_view, self->rows);
}

static GtkWidget *
create_dataset_row (WrDataView          *self,
                    const WrDatasetInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean ready = g_strcmp0 (info->status, "ready") == 0;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
  if (ready)
    subtitle = describe_dataset (info);
  else
    subtitle = g_strdup (info->error != NULL ? info->error : _("Import failed"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                ready ? "x-office-spreadsheet-symbolic" : "dialog-warning-symbolic");
  if (!ready)
    gtk_widget_add_css_class (row, "error");
  g_object_set_data_full (G_OBJECT (row), "dataset-id", g_strdup (info->id), g_free);
  return row;
}

static void
fill_list (WrDataView *self)
{
  GtkWidget *child;
  GtkListBoxRow *selected = NULL;

  self->filling_list = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->dataset_list))) != NULL)
    gtk_list_box_remove (self->dataset_list, child);

  for (guint i = 0; i < self->datasets->len; i++)
    {
      WrDatasetInfo *info = g_ptr_array_index (self->datasets, i);
      GtkWidget *row = create_dataset_row (self, info);

      gtk_list_box_append (self->dataset_list, row);
      if (g_strcmp0 (info->id, self->selected_id) == 0)
        selected = GTK_LIST_BOX_ROW (row);
    }

  if (selected == NULL && self->datasets->len > 0)
    {
      WrDatasetInfo *last = g_ptr_array_index (self->datasets, self->datasets->len - 1);

      selected = gtk_list_box_get_row_at_index (self->dataset_list, self->datasets->len - 1);
      g_free (self->selected_id);
      self->selected_id = g_strdup (last->id);
    }
  else if (selected == NULL)
    g_clear_pointer (&self->selected_id, g_free);

  gtk_list_box_select_row (self->dataset_list, selected);
  self->filling_list = FALSE;

  if (self->project == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "no-project");
  else
    gtk_stack_set_visible_child_name (self->main_stack, self->datasets->len > 0 ? "data" : "empty");
  show_dataset (self);
}

/* Worker threads */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = wr_dataset_list (WR_STORE (source_object), task_data, &error);

  if (list == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (wr_dataset_delete (WR_STORE (source_object), task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Callbacks */

static gboolean
same_datasets (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const WrDatasetInfo *x = g_ptr_array_index (a, i);
      const WrDatasetInfo *y = g_ptr_array_index (b, i);

      if (g_strcmp0 (x->id, y->id) != 0 || x->updated_at != y->updated_at
          || g_strcmp0 (x->status, y->status) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
on_list_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WrDataView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (list == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not load the datasets: %s"), error->message);
      show_error (self, text);
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_dataset_info_free);
    }

  /* A refresh (the page shown again) that finds nothing new keeps the
   * table as it is: its scroll position, sort and filter. */
  if (self->select_after_load == NULL && self->datasets->len > 0
      && same_datasets (self->datasets, list))
    return;

  g_ptr_array_unref (self->datasets);
  self->datasets = g_steal_pointer (&list);
  if (self->select_after_load != NULL && find_dataset (self, self->select_after_load) != NULL)
    {
      g_free (self->selected_id);
      self->selected_id = g_steal_pointer (&self->select_after_load);
    }
  g_clear_pointer (&self->select_after_load, g_free);
  fill_list (self);
}

static void
load_list (WrDataView *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);

  if (self->project == NULL)
    {
      self->loading = FALSE;
      g_ptr_array_set_size (self->datasets, 0);
      fill_list (self);
      return;
    }

  self->loading = TRUE;
  self->list_cancellable = g_cancellable_new ();
  task = g_task_new (get_store (self), self->list_cancellable, on_list_loaded, g_object_ref (self));
  g_task_set_source_tag (task, load_list);
  g_task_set_task_data (task, g_strdup (wr_project_get_id (self->project)), g_free);
  g_task_run_in_thread (task, list_thread);
}

static void
on_dataset_list_row_selected_cb (WrDataView    *self,
                                 GtkListBoxRow *row)
{
  const char *id;

  if (self->filling_list || row == NULL)
    return;

  id = g_object_get_data (G_OBJECT (row), "dataset-id");
  if (g_strcmp0 (id, self->selected_id) == 0)
    return;

  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  show_dataset (self);
}

static void
on_import_progress (double   fraction,
                    gpointer user_data)
{
  WrDataView *self = user_data;

  if (self->import_cancellable == NULL)
    return;

  self->n_progress++;
  self->progress = fraction;
  if (fraction < 0)
    gtk_progress_bar_pulse (self->progress_bar);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WrDataView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = wr_dataset_import_file_finish (WR_STORE (source), result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);

  if (ids == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The library's message names the file and says what is wrong. */
      show_error (self, error->message);
    }
  else if (ids != NULL && ids[0] != NULL)
    {
      g_free (self->select_after_load);
      self->select_after_load = g_strdup (ids[0]);
    }

  update_actions (self);
  load_list (self);
}

static void
start_import (WrDataView *self,
              GFile      *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *label = NULL;

  g_return_if_fail (self->project != NULL);

  if (self->import_cancellable != NULL)
    return;

  hide_error (self);
  if (path == NULL || !wr_dataset_can_import (path))
    {
      show_error (self, _("This file cannot be imported. Choose a CSV, TSV or Excel (.xlsx) file."));
      return;
    }

  self->import_cancellable = g_cancellable_new ();
  self->progress = 0;
  self->n_progress = 0;
  /* Translators: shown while a file is imported, "Importing sales.csv…" */
  label = g_strdup_printf (_("Importing %s…"), name);
  gtk_label_set_text (self->progress_label, label);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  update_actions (self);

  wr_dataset_import_file_async (get_store (self), wr_project_get_id (self->project), path,
                                on_import_progress, g_object_ref (self), g_object_unref,
                                self->import_cancellable, on_import_done, g_object_ref (self));
}

static void
on_file_chooser_response_cb (GtkNativeDialog *dialog,
                             int              response,
                             gpointer         user_data)
{
  g_autoptr(WrDataView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT && self->project != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        start_import (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_delete_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WrDataView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not delete the dataset: %s"), error->message);
      show_error (self, text);
    }
  load_list (self);
}

static void
on_delete_response_cb (WrDataView *self,
                       const char *response,
                       AdwMessageDialog *dialog)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "dataset-id");
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "delete") != 0 || id == NULL)
    return;

  task = g_task_new (get_store (self), self->cancellable, on_delete_done, g_object_ref (self));
  g_task_set_source_tag (task, on_delete_response_cb);
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_task_run_in_thread (task, delete_thread);
}

/* Actions */

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrDataView *self = WR_DATA_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Data"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Spreadsheets (CSV, TSV, Excel)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "tab");
  gtk_file_filter_add_suffix (filter, "xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WrDataView *self = WR_DATA_VIEW (widget);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrDataView *self = WR_DATA_VIEW (widget);
  WrDatasetInfo *info = find_dataset (self, self->selected_id);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (info == NULL)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), info->name);
  dialog = wr_gui_confirm_dialog_new (widget, heading,
                                      _("Its rows are removed from this project. The file you imported is not touched."),
                                      "delete", _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "dataset-id", g_strdup (info->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  hide_error (WR_DATA_VIEW (widget));
}

static gboolean
focus_filter_shortcut (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  wr_filter_bar_focus_filter (WR_DATA_VIEW (widget)->filter_bar);
  return TRUE;
}

static void
focus_filter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  wr_filter_bar_focus_filter (WR_DATA_VIEW (widget)->filter_bar);
}

/* GObject */

static void
wr_data_view_dispose (GObject *object)
{
  WrDataView *self = WR_DATA_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);

  if (self->filter_bar != NULL)
    wr_filter_bar_set_table (self->filter_bar, NULL, NULL, NULL, NULL);
  if (self->column_view != NULL)
    clear_columns (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_DATA_VIEW);

  g_clear_object (&self->rows);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->project);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_data_view_parent_class)->dispose (object);
}

static void
wr_data_view_finalize (GObject *object)
{
  WrDataView *self = WR_DATA_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->datasets, g_ptr_array_unref);
  g_free (self->selected_id);
  g_free (self->select_after_load);
  g_free (self->error);

  G_OBJECT_CLASS (wr_data_view_parent_class)->finalize (object);
}

static void
wr_data_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WrDataView *self = WR_DATA_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_data_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WrDataView *self = WR_DATA_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      wr_data_view_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Datasets imported elsewhere (workroom-cli, another window) appear when
 * the page is shown again. */
static void
wr_data_view_map (GtkWidget *widget)
{
  WrDataView *self = WR_DATA_VIEW (widget);

  GTK_WIDGET_CLASS (wr_data_view_parent_class)->map (widget);

  if (self->project != NULL && !self->loading)
    load_list (self);
}

static void
wr_data_view_class_init (WrDataViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_data_view_dispose;
  object_class->finalize = wr_data_view_finalize;
  object_class->get_property = wr_data_view_get_property;
  object_class->set_property = wr_data_view_set_property;
  widget_class->map = wr_data_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WR_TYPE_CHART_BUILDER);
  g_type_ensure (WR_TYPE_FILTER_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/data/wr-data-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrDataView, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, error_label);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, dataset_list);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, table_title);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, table_subtitle);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, table_stack);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, failed_page);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, column_view);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, chart_toggle);
  gtk_widget_class_bind_template_child (widget_class, WrDataView, chart_builder);
  gtk_widget_class_bind_template_callback (widget_class, on_chart_toggle_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dataset_list_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "data.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "data.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "data.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "data.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_filter_shortcut, NULL);
  /* The window's Ctrl+F, when the focus is outside the page. */
  gtk_widget_class_install_action (widget_class, "data.focus-filter", NULL, focus_filter_action);

  wr_gui_load_css_resource ("/io/github/workroom/Workroom/data/data.css");
}

static void
wr_data_view_init (WrDataView *self)
{
  self->cancellable = g_cancellable_new ();
  self->datasets = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_dataset_info_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->main_stack, "no-project");
  update_actions (self);
}

/* API */

GtkWidget *
wr_data_view_new (WrSession *session)
{
  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  return g_object_new (WR_TYPE_DATA_VIEW, "session", session, NULL);
}

void
wr_data_view_set_project (WrDataView *self,
                          WrProject  *project)
{
  g_return_if_fail (WR_IS_DATA_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (self->project == project)
    return;

  g_set_object (&self->project, project);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->select_after_load, g_free);
  hide_error (self);
  load_list (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

WrProject *
wr_data_view_get_project (WrDataView *self)
{
  g_return_val_if_fail (WR_IS_DATA_VIEW (self), NULL);

  return self->project;
}

/* Private (tests) */

void
_wr_data_view_import_file (WrDataView *self,
                           GFile      *file)
{
  start_import (self, file);
}

void
_wr_data_view_cancel_import (WrDataView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "data.cancel-import", NULL);
}

gboolean
_wr_data_view_get_importing (WrDataView *self)
{
  return self->import_cancellable != NULL;
}

guint
_wr_data_view_get_n_progress (WrDataView *self)
{
  return self->n_progress;
}

double
_wr_data_view_get_progress (WrDataView *self)
{
  return self->progress;
}

gboolean
_wr_data_view_get_loading (WrDataView *self)
{
  return self->loading;
}

GPtrArray *
_wr_data_view_get_datasets (WrDataView *self)
{
  return self->datasets;
}

const char *
_wr_data_view_get_selected_id (WrDataView *self)
{
  return self->selected_id;
}

void
_wr_data_view_select_dataset (WrDataView *self,
                              const char *id)
{
  for (guint i = 0; i < self->datasets->len; i++)
    if (g_strcmp0 (((WrDatasetInfo *) g_ptr_array_index (self->datasets, i))->id, id) == 0)
      gtk_list_box_select_row (self->dataset_list, gtk_list_box_get_row_at_index (self->dataset_list, i));
}

const char *
_wr_data_view_get_error (WrDataView *self)
{
  return self->error;
}

GtkColumnView *
_wr_data_view_get_column_view (WrDataView *self)
{
  return self->column_view;
}

WrDatasetRowsModel *
_wr_data_view_get_rows_model (WrDataView *self)
{
  return self->rows;
}

const char *
_wr_data_view_get_page (WrDataView *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

WrFilterBar *
_wr_data_view_get_filter_bar (WrDataView *self)
{
  return self->filter_bar;
}
