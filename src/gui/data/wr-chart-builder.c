/* wr-chart-builder.c — a chart of the selected dataset (see
 * wr-chart-builder.h).
 *
 * Every change of a picker cancels the running aggregation and starts a
 * new one in a worker thread (reading the whole dataset, which stops
 * between batches of rows once cancelled); a late result of a cancelled
 * run is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "wr-chart-builder.h"
#include "wr-chart-builder-private.h"
#include "wr-chart-view.h"
#include "store/wr-artifact.h"

struct _WrChartBuilder
{
  AdwBin          parent_instance;

  WrSession      *session;          /* owned, nullable */
  char           *dataset_id;
  char           *dataset_name;
  char           *project_id;
  char           *columns_json;     /* what the pickers were filled from */
  GPtrArray      *columns;          /* utf8: every column */
  GPtrArray      *numeric;          /* utf8: integer and number columns */
  char           *message;          /* shown instead of a chart, nullable */
  char           *saved_id;         /* the last artifact saved */
  gboolean        filling;
  gboolean        busy;

  GCancellable   *cancellable;      /* the view's lifetime */
  GCancellable   *build_cancellable;

  /* template children */
  GtkDropDown     *type_dropdown;
  GtkDropDown     *x_dropdown;
  GtkDropDown     *y_dropdown;
  GtkDropDown     *group_dropdown;
  GtkDropDown     *aggregate_dropdown;
  GtkSpinner      *spinner;
  GtkStack        *stack;
  AdwStatusPage   *message_page;
  WrChartView     *chart_view;
};

G_DEFINE_FINAL_TYPE (WrChartBuilder, wr_chart_builder, ADW_TYPE_BIN)

static const char * const type_names[] = { "bar", "line", "area", "scatter", "pie" };
static const char * const aggregate_names[] = { "sum", "mean", "count" };

/* Helpers */

static const char *
selected_string (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static const char *
chosen_x (WrChartBuilder *self)
{
  return selected_string (self->x_dropdown);
}

static const char *
chosen_y (WrChartBuilder *self)
{
  return selected_string (self->y_dropdown);
}

/* NULL for "None" (the first item). */
static const char *
chosen_group (WrChartBuilder *self)
{
  guint i = gtk_drop_down_get_selected (self->group_dropdown);

  return i == 0 || i == GTK_INVALID_LIST_POSITION ? NULL : g_ptr_array_index (self->columns, i - 1);
}

static WrChartType
chosen_type (WrChartBuilder *self)
{
  return (WrChartType) MIN (gtk_drop_down_get_selected (self->type_dropdown), WR_CHART_PIE);
}

static WrChartAggregate
chosen_aggregate (WrChartBuilder *self)
{
  return (WrChartAggregate) MIN (gtk_drop_down_get_selected (self->aggregate_dropdown), WR_CHART_AGG_COUNT);
}

static void
set_busy (WrChartBuilder *self,
          gboolean        busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
show_message (WrChartBuilder *self,
              const char     *title,
              const char     *description)
{
  g_free (self->message);
  self->message = g_strdup (description != NULL ? description : title);
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
fill_dropdown (GtkDropDown *dropdown,
               const char  *first,
               GPtrArray   *names)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  if (first != NULL)
    gtk_string_list_append (list, first);
  for (guint i = 0; i < names->len; i++)
    gtk_string_list_append (list, g_ptr_array_index (names, i));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static guint
index_of (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; name != NULL && i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* Fills the pickers from the dataset's columns and picks a first chart:
 * a text column as X, the first numeric column as Y (count without one). */
static void
fill_pickers (WrChartBuilder *self,
              const char     *columns_json)
{
  g_autoptr(JsonNode) node = json_from_string (columns_json != NULL ? columns_json : "[]", NULL);
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint x = 0, y = 0;
  gboolean x_found = FALSE;

  g_ptr_array_set_size (self->columns, 0);
  g_ptr_array_set_size (self->numeric, 0);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *column = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = column != NULL ? json_object_get_string_member_with_default (column, "name", NULL) : NULL;
      const char *type = column != NULL ? json_object_get_string_member_with_default (column, "type", "text") : "text";

      if (name == NULL)
        continue;
      g_ptr_array_add (self->columns, g_strdup (name));
      if (g_str_equal (type, "integer") || g_str_equal (type, "number"))
        g_ptr_array_add (self->numeric, g_strdup (name));
      else if (!x_found)
        {
          x = self->columns->len - 1;
          x_found = TRUE;
        }
    }

  self->filling = TRUE;
  fill_dropdown (self->x_dropdown, NULL, self->columns);
  fill_dropdown (self->y_dropdown, NULL, self->numeric);
  fill_dropdown (self->group_dropdown, _("None"), self->columns);
  if (self->columns->len > 0)
    gtk_drop_down_set_selected (self->x_dropdown, x);
  for (y = 0; y < self->numeric->len; y++)
    if (index_of (self->columns, g_ptr_array_index (self->numeric, y)) != x)
      break;
  if (self->numeric->len > 0)
    gtk_drop_down_set_selected (self->y_dropdown, MIN (y, self->numeric->len - 1));
  gtk_drop_down_set_selected (self->group_dropdown, 0);
  gtk_drop_down_set_selected (self->aggregate_dropdown,
                              self->numeric->len > 0 ? WR_CHART_AGG_SUM : WR_CHART_AGG_COUNT);
  self->filling = FALSE;
}

/* Building */

typedef struct {
  WrStore          *store;
  char             *dataset_id;
  WrChartType       type;
  char             *x;
  char             *y;
  char             *group;
  WrChartAggregate  aggregate;
} BuildJob;

static void
build_job_free (gpointer data)
{
  BuildJob *job = data;

  g_clear_object (&job->store);
  g_free (job->dataset_id);
  g_free (job->x);
  g_free (job->y);
  g_free (job->group);
  g_free (job);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildJob *job = task_data;
  GError *error = NULL;
  WrChartSpec *spec;

  if (g_task_return_error_if_cancelled (task))
    return;
  spec = wr_chart_spec_new_from_dataset_cancellable (job->store, job->dataset_id, job->type, job->x,
                                                     job->aggregate == WR_CHART_AGG_COUNT ? NULL : job->y,
                                                     job->group, job->aggregate, cancellable, &error);
  if (spec == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, spec, (GDestroyNotify) wr_chart_spec_free);
}

static void
on_build_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  WrChartBuilder *self = WR_CHART_BUILDER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChartSpec) spec = g_task_propagate_pointer (G_TASK (result), &error);
  gsize points = 0;

  /* A newer run replaced this one (or the view went away). */
  if (g_task_get_cancellable (G_TASK (result)) != self->build_cancellable)
    return;
  set_busy (self, FALSE);
  g_clear_object (&self->build_cancellable);
  if (spec == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, _("Cannot Draw This Chart"), error->message);
      return;
    }
  for (guint s = 0; s < spec->series->len; s++)
    points += ((WrChartSeries *) g_ptr_array_index (spec->series, s))->n;
  if (points == 0)
    {
      g_autofree char *text = chosen_aggregate (self) == WR_CHART_AGG_COUNT ?
        g_strdup (_("The dataset has no rows to count.")) :
        g_strdup_printf (_("No row of “%s” holds a number. Choose another Y column, or count rows instead."),
                         chosen_y (self));

      show_message (self, _("Nothing to Chart"), text);
      return;
    }
  g_clear_pointer (&self->message, g_free);
  wr_chart_view_set_spec (self->chart_view, g_steal_pointer (&spec));
  gtk_stack_set_visible_child_name (self->stack, "chart");
}

static void
rebuild (WrChartBuilder *self)
{
  g_autoptr(GTask) task = NULL;
  BuildJob *job;
  gboolean count = chosen_aggregate (self) == WR_CHART_AGG_COUNT;

  if (self->build_cancellable != NULL)
    g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  set_busy (self, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->y_dropdown), !count && self->numeric->len > 0);

  if (self->session == NULL || self->dataset_id == NULL)
    {
      wr_chart_view_set_spec (self->chart_view, NULL);
      show_message (self, _("Select a Dataset"), _("Its chart is shown here."));
      return;
    }
  if (chosen_x (self) == NULL)
    {
      show_message (self, _("Nothing to Chart"), _("This dataset has no columns."));
      return;
    }
  if (!count && chosen_y (self) == NULL)
    {
      show_message (self, _("No Numeric Column"),
                    _("No column of this dataset holds only numbers. Choose Count to chart how many rows each X value has."));
      return;
    }

  self->build_cancellable = g_cancellable_new ();
  job = g_new0 (BuildJob, 1);
  job->store = g_object_ref (wr_session_get_store (self->session));
  job->dataset_id = g_strdup (self->dataset_id);
  job->type = chosen_type (self);
  job->x = g_strdup (chosen_x (self));
  job->y = g_strdup (chosen_y (self));
  job->group = g_strdup (chosen_group (self));
  job->aggregate = chosen_aggregate (self);
  task = g_task_new (self, self->build_cancellable, on_build_done, NULL);
  g_task_set_source_tag (task, rebuild);
  g_task_set_task_data (task, job, build_job_free);
  g_task_run_in_thread (task, build_thread);
  set_busy (self, TRUE);
}

/* Saving */

static char *
artifact_json (WrChartBuilder *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  WrChartAggregate aggregate = chosen_aggregate (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type_names[chosen_type (self)]);
  if (self->dataset_name != NULL)
    {
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, self->dataset_name);
    }
  json_builder_set_member_name (builder, "dataset");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->dataset_id);
  json_builder_set_member_name (builder, "x");
  json_builder_add_string_value (builder, chosen_x (self));
  if (aggregate != WR_CHART_AGG_COUNT && chosen_y (self) != NULL)
    {
      json_builder_set_member_name (builder, "y");
      json_builder_add_string_value (builder, chosen_y (self));
    }
  if (chosen_group (self) != NULL)
    {
      json_builder_set_member_name (builder, "group");
      json_builder_add_string_value (builder, chosen_group (self));
    }
  json_builder_set_member_name (builder, "aggregate");
  json_builder_add_string_value (builder, aggregate_names[aggregate]);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
on_save_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WrChartBuilder) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) artifact = wr_store_create_artifact_finish (WR_STORE (source), result, &error);
  g_autoptr(AdwToast) toast = NULL;

  if (artifact == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not save the chart: %s"), error->message);
      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 0);
    }
  else
    {
      g_free (self->saved_id);
      self->saved_id = g_strdup (wr_artifact_get_id (artifact));
      toast = adw_toast_new (_("Chart saved to Artifacts"));
    }
  /* The template's root (not bound: AdwBin owns it and unparents it). */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))), g_steal_pointer (&toast));
}

static void
on_chart_view_save_artifact_cb (WrChartBuilder *self)
{
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  const char *y = chosen_aggregate (self) == WR_CHART_AGG_COUNT ? _("Count") : chosen_y (self);

  if (self->session == NULL || self->dataset_id == NULL || self->project_id == NULL || chosen_x (self) == NULL)
    return;
  json = artifact_json (self);
  /* Translators: a saved chart's name, "sales.csv: amount by region" */
  name = g_strdup_printf (_("%s: %s by %s"), self->dataset_name != NULL ? self->dataset_name : _("Chart"),
                          y != NULL ? y : "", chosen_x (self));
  if (g_utf8_strlen (name, -1) > WR_ARTIFACT_MAX_NAME_CHARS)
    *g_utf8_offset_to_pointer (name, WR_ARTIFACT_MAX_NAME_CHARS) = '\0';
  artifact = wr_artifact_new (self->project_id, WR_ARTIFACT_KIND_CHART, name);
  wr_artifact_set_dataset_id (artifact, self->dataset_id);
  wr_artifact_set_mime_type (artifact, "application/json");
  bytes = g_bytes_new (json, strlen (json));
  wr_store_create_artifact_async (wr_session_get_store (self->session), artifact, bytes,
                                  self->cancellable, on_save_done, g_object_ref (self));
}

/* Callbacks */

static void
on_choice_changed_cb (WrChartBuilder *self)
{
  if (self->filling)
    return;
  rebuild (self);
}

/* Vfuncs */

static void
wr_chart_builder_dispose (GObject *object)
{
  WrChartBuilder *self = WR_CHART_BUILDER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->build_cancellable != NULL)
    g_cancellable_cancel (self->build_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_CHART_BUILDER);
  g_clear_object (&self->build_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_chart_builder_parent_class)->dispose (object);
}

static void
wr_chart_builder_finalize (GObject *object)
{
  WrChartBuilder *self = WR_CHART_BUILDER (object);

  g_free (self->dataset_id);
  g_free (self->dataset_name);
  g_free (self->project_id);
  g_free (self->columns_json);
  g_free (self->message);
  g_free (self->saved_id);
  g_ptr_array_unref (self->columns);
  g_ptr_array_unref (self->numeric);

  G_OBJECT_CLASS (wr_chart_builder_parent_class)->finalize (object);
}

static void
wr_chart_builder_class_init (WrChartBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_chart_builder_dispose;
  object_class->finalize = wr_chart_builder_finalize;

  g_type_ensure (WR_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/data/wr-chart-builder.ui");
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, x_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, y_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, aggregate_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, stack);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, message_page);
  gtk_widget_class_bind_template_child (widget_class, WrChartBuilder, chart_view);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_chart_view_save_artifact_cb);
}

static void
wr_chart_builder_init (WrChartBuilder *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_free);
  self->numeric = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filling = FALSE;
  wr_chart_view_set_can_save (self->chart_view, TRUE);
  show_message (self, _("Select a Dataset"), _("Its chart is shown here."));
}

/* API */

GtkWidget *
wr_chart_builder_new (void)
{
  return g_object_new (WR_TYPE_CHART_BUILDER, NULL);
}

void
wr_chart_builder_set_dataset (WrChartBuilder      *self,
                              WrSession           *session,
                              const WrDatasetInfo *info)
{
  g_return_if_fail (WR_IS_CHART_BUILDER (self));
  g_return_if_fail (session == NULL || WR_IS_SESSION (session));

  if (session == self->session && info != NULL && g_strcmp0 (info->id, self->dataset_id) == 0 &&
      g_strcmp0 (info->columns, self->columns_json) == 0)
    return;

  g_set_object (&self->session, session);
  g_free (self->dataset_id);
  g_free (self->dataset_name);
  g_free (self->project_id);
  g_free (self->columns_json);
  self->dataset_id = info != NULL ? g_strdup (info->id) : NULL;
  self->dataset_name = info != NULL ? g_strdup (info->name) : NULL;
  self->project_id = info != NULL ? g_strdup (info->project_id) : NULL;
  self->columns_json = info != NULL ? g_strdup (info->columns) : NULL;
  wr_chart_view_set_spec (self->chart_view, NULL);
  fill_pickers (self, self->columns_json);
  rebuild (self);
}

/* Private */

gboolean
_wr_chart_builder_choose (WrChartBuilder   *self,
                          WrChartType       type,
                          const char       *x,
                          const char       *y,
                          const char       *group,
                          WrChartAggregate  aggregate)
{
  guint xi, yi = GTK_INVALID_LIST_POSITION, gi = 0;

  g_return_val_if_fail (WR_IS_CHART_BUILDER (self), FALSE);

  xi = index_of (self->columns, x);
  if (y != NULL)
    yi = index_of (self->numeric, y);
  if (group != NULL)
    {
      gi = index_of (self->columns, group);
      if (gi == GTK_INVALID_LIST_POSITION)
        return FALSE;
      gi++;   /* after "None" */
    }
  if (xi == GTK_INVALID_LIST_POSITION || (y != NULL && yi == GTK_INVALID_LIST_POSITION))
    return FALSE;

  self->filling = TRUE;
  gtk_drop_down_set_selected (self->type_dropdown, type);
  gtk_drop_down_set_selected (self->x_dropdown, xi);
  if (yi != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (self->y_dropdown, yi);
  gtk_drop_down_set_selected (self->group_dropdown, gi);
  gtk_drop_down_set_selected (self->aggregate_dropdown, aggregate);
  self->filling = FALSE;
  rebuild (self);
  return TRUE;
}

gboolean
_wr_chart_builder_get_busy (WrChartBuilder *self)
{
  g_return_val_if_fail (WR_IS_CHART_BUILDER (self), FALSE);

  return self->busy;
}

WrChartView *
_wr_chart_builder_get_chart_view (WrChartBuilder *self)
{
  g_return_val_if_fail (WR_IS_CHART_BUILDER (self), NULL);

  return self->chart_view;
}

const char *
_wr_chart_builder_get_message (WrChartBuilder *self)
{
  g_return_val_if_fail (WR_IS_CHART_BUILDER (self), NULL);

  return self->message;
}

const char *
_wr_chart_builder_get_saved_id (WrChartBuilder *self)
{
  g_return_val_if_fail (WR_IS_CHART_BUILDER (self), NULL);

  return self->saved_id;
}

char *
_wr_chart_builder_dup_artifact_json (WrChartBuilder *self)
{
  g_return_val_if_fail (WR_IS_CHART_BUILDER (self), NULL);

  return self->dataset_id != NULL && chosen_x (self) != NULL ? artifact_json (self) : NULL;
}
