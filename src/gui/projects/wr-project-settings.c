/* wr-project-settings.c — the Project Settings dialog.
 *
 * Everything it shows is read asynchronously (the model catalogue, refreshed
 * if it never was; the instruction templates and the one the project uses);
 * Save runs the store calls in one worker thread, then updates the WrProject
 * the sidebar and the chat view share, so they follow at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-project-settings.h"
#include "wr-project-settings-private.h"
#include "wr-model-choice.h"
#include "store/wr-template.h"

struct _WrProjectSettings
{
  AdwWindow        parent_instance;

  WrSession       *session;        /* owned */
  WrProject       *project;        /* owned */
  WrModelCatalog  *catalog;        /* owned */
  GCancellable    *cancellable;
  GListModel      *choices;        /* owned, element-type WrModelChoice */
  GPtrArray       *template_ids;   /* parallel to template_names; [0] NULL = none */
  char            *template_id;    /* the project's, as read */
  guint            pending;
  guint            templates_loaded : 1;
  guint            saving : 1;
  guint            disposed : 1;

  AdwToastOverlay *toasts;          /* the window's content */

  /* template children (not the content: AdwWindow unparents it) */
  GtkWidget       *save_button;
  AdwEntryRow     *name_row;
  AdwComboRow     *model_row;
  GtkWidget       *models_spinner;
  AdwComboRow     *template_row;
  GtkStringList   *template_names;
};

G_DEFINE_FINAL_TYPE (WrProjectSettings, wr_project_settings, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static void
show_error (WrProjectSettings *self,
            const char        *what,
            const GError      *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* TRANSLATORS: first %s says what failed, second why */
  text = g_strdup_printf (_("%s: %s"), what, error->message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static char *
dup_name (WrProjectSettings *self)
{
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  return g_strdup (g_strstrip (name));
}

static void
update_actions (WrProjectSettings *self)
{
  g_autofree char *name = dup_name (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.save", !self->saving && *name != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), !self->saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->template_row), !self->saving && self->templates_loaded);
}

/* The chosen default model (NULL: the profile's), from the combo. */
static WrModelChoice *
selected_choice (WrProjectSettings *self)
{
  return WR_MODEL_CHOICE (adw_combo_row_get_selected_item (self->model_row));
}

/* Models ---------------------------------------------------------------------- */

static void
fill_models (WrProjectSettings *self)
{
  WrModelChoice *current = self->choices != NULL ? selected_choice (self) : NULL;
  g_autofree char *model = NULL;
  g_autofree char *provider_id = NULL;
  guint selected = 0;

  if (current != NULL)
    {
      model = g_strdup (wr_model_choice_get_model (current));
      provider_id = g_strdup (wr_model_choice_get_provider_id (current));
    }
  else
    model = g_strdup (nonempty (wr_project_get_default_model (self->project)));

  g_clear_object (&self->choices);
  self->choices = wr_model_choices_new (G_LIST_MODEL (self->catalog), _("Use the Profile Default"),
                                        model, provider_id, &selected);
  adw_combo_row_set_model (self->model_row, self->choices);
  adw_combo_row_set_selected (self->model_row, selected);
}

static void
on_catalog_changed_cb (WrProjectSettings *self)
{
  fill_models (self);
}

static void
on_refreshing_cb (WrProjectSettings *self)
{
  gboolean refreshing = wr_model_catalog_get_refreshing (self->catalog);

  gtk_widget_set_visible (self->models_spinner, refreshing);
  gtk_spinner_set_spinning (GTK_SPINNER (self->models_spinner), refreshing);
}

static void
on_refresh_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrProjectSettings) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &error))
    show_error (self, _("Could not list the models"), error);
}

/* Instructions ------------------------------------------------------------------ */

typedef struct {
  WrProjectSettings *self;
  GPtrArray         *templates;
} TemplatesLoad;

static void
templates_load_free (TemplatesLoad *load)
{
  g_clear_object (&load->self);
  g_clear_pointer (&load->templates, g_ptr_array_unref);
  g_free (load);
}

static void
on_project_template_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TemplatesLoad *load = user_data;
  WrProjectSettings *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint selected = 0;

  id = wr_store_get_template_for_finish (WR_STORE (object), result, &error);
  self->pending--;
  if (error != NULL)
    {
      show_error (self, _("Could not read the instructions"), error);
      templates_load_free (load);
      return;
    }

  g_ptr_array_set_size (self->template_ids, 0);
  g_ptr_array_add (self->template_ids, NULL);
  gtk_string_list_splice (self->template_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->template_names)), NULL);
  gtk_string_list_append (self->template_names, _("None"));

  for (guint i = 0; i < load->templates->len; i++)
    {
      WrTemplate *template_ = g_ptr_array_index (load->templates, i);

      gtk_string_list_append (self->template_names, wr_template_get_name (template_));
      g_ptr_array_add (self->template_ids, g_strdup (wr_template_get_id (template_)));
      if (g_strcmp0 (wr_template_get_id (template_), id) == 0)
        selected = i + 1;
    }

  g_free (self->template_id);
  self->template_id = g_steal_pointer (&id);
  adw_combo_row_set_selected (self->template_row, selected);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->template_row),
                               load->templates->len == 0
                               ? _("Write instructions on the Instructions page to use them here.")
                               : NULL);
  self->templates_loaded = TRUE;
  update_actions (self);
  templates_load_free (load);
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TemplatesLoad *load = user_data;
  WrProjectSettings *self = load->self;
  g_autoptr(GError) error = NULL;

  load->templates = wr_store_list_templates_finish (WR_STORE (object), result, &error);
  if (load->templates == NULL)
    {
      self->pending--;
      show_error (self, _("Could not read the instructions"), error);
      templates_load_free (load);
      return;
    }

  wr_store_get_template_for_async (WR_STORE (object), "project", wr_project_get_id (self->project),
                                   self->cancellable, on_project_template_cb, load);
}

/* Save ---------------------------------------------------------------------------- */

typedef struct {
  WrProject *project;        /* owned: updated when stored, even if the dialog is gone */
  char     *project_id;
  char     *name;            /* NULL: unchanged */
  char     *model;           /* NULL: the profile's */
  gboolean  model_changed;
  char     *template_id;     /* NULL: none */
  gboolean  template_changed;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->project);
  g_free (data->project_id);
  g_free (data->name);
  g_free (data->model);
  g_free (data->template_id);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrStore *store = task_data;
  SaveData *data = g_object_get_data (G_OBJECT (task), "wr-save");
  GError *error = NULL;

  if ((data->name != NULL && !wr_store_rename_project (store, data->project_id, data->name, &error)) ||
      (data->model_changed && !wr_store_set_project_default_model (store, data->project_id, data->model, &error)) ||
      (data->template_changed && !wr_store_set_project_template_id (store, data->project_id, data->template_id, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WrProjectSettings *self = WR_PROJECT_SETTINGS (object);
  SaveData *data = g_object_get_data (G_OBJECT (result), "wr-save");
  g_autoptr(GError) error = NULL;
  gboolean saved = g_task_propagate_boolean (G_TASK (result), &error);

  self->pending--;
  self->saving = FALSE;

  /* What was stored shows in the sidebar and the chats, closed or not. */
  if (saved && data->name != NULL)
    wr_project_set_name (data->project, data->name);
  if (saved && data->model_changed)
    wr_project_set_default_model (data->project, data->model);

  if (self->disposed)
    return;

  if (!saved)
    {
      show_error (self, _("Could not save the project settings"), error);
      update_actions (self);
      return;
    }

  if (data->template_changed)
    {
      g_free (self->template_id);
      self->template_id = g_strdup (data->template_id);
    }

  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  WrProjectSettings *self = WR_PROJECT_SETTINGS (widget);
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = dup_name (self);
  WrModelChoice *choice = selected_choice (self);
  const char *model = choice != NULL ? wr_model_choice_get_model (choice) : NULL;
  SaveData *data;

  if (self->saving || *name == '\0')
    return;

  data = g_new0 (SaveData, 1);
  data->project = g_object_ref (self->project);
  data->project_id = g_strdup (wr_project_get_id (self->project));
  if (g_strcmp0 (name, wr_project_get_name (self->project)) != 0)
    data->name = g_steal_pointer (&name);
  data->model = g_strdup (model);
  data->model_changed = g_strcmp0 (model, nonempty (wr_project_get_default_model (self->project))) != 0;
  if (self->templates_loaded)
    {
      guint selected = adw_combo_row_get_selected (self->template_row);

      if (selected != GTK_INVALID_LIST_POSITION && selected < self->template_ids->len)
        data->template_id = g_strdup (g_ptr_array_index (self->template_ids, selected));
      data->template_changed = g_strcmp0 (data->template_id, self->template_id) != 0;
    }

  self->saving = TRUE;
  self->pending++;
  update_actions (self);

  /* Not cancellable: closing the dialog mid-save must not leave the store
   * changed and the project shown unchanged. */
  task = g_task_new (self, NULL, on_saved_cb, NULL);
  g_task_set_source_tag (task, save_action);
  g_task_set_task_data (task, g_object_ref (wr_session_get_store (self->session)), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "wr-save", data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

/* Signals ------------------------------------------------------------------------ */

static void
on_name_changed_cb (WrProjectSettings *self)
{
  update_actions (self);
}

static void
on_name_activated_cb (WrProjectSettings *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.save", NULL);
}

/* GObject -------------------------------------------------------------------------- */

static void
wr_project_settings_dispose (GObject *object)
{
  WrProjectSettings *self = WR_PROJECT_SETTINGS (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_data (self->catalog, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_PROJECT_SETTINGS);

  g_clear_object (&self->choices);
  g_clear_object (&self->catalog);
  g_clear_object (&self->project);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wr_project_settings_parent_class)->dispose (object);
}

static void
wr_project_settings_finalize (GObject *object)
{
  WrProjectSettings *self = WR_PROJECT_SETTINGS (object);

  g_clear_pointer (&self->template_ids, g_ptr_array_unref);
  g_free (self->template_id);

  G_OBJECT_CLASS (wr_project_settings_parent_class)->finalize (object);
}

static void
wr_project_settings_class_init (WrProjectSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_project_settings_dispose;
  object_class->finalize = wr_project_settings_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/models/wr-project-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, WrProjectSettings, save_button);
  gtk_widget_class_bind_template_child (widget_class, WrProjectSettings, name_row);
  gtk_widget_class_bind_template_child (widget_class, WrProjectSettings, model_row);
  gtk_widget_class_bind_template_child (widget_class, WrProjectSettings, models_spinner);
  gtk_widget_class_bind_template_child (widget_class, WrProjectSettings, template_row);
  gtk_widget_class_bind_template_child (widget_class, WrProjectSettings, template_names);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activated_cb);

  gtk_widget_class_install_action (widget_class, "settings.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wr_project_settings_init (WrProjectSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toasts = ADW_TOAST_OVERLAY (adw_window_get_content (ADW_WINDOW (self)));

  self->cancellable = g_cancellable_new ();
  self->template_ids = g_ptr_array_new_with_free_func (g_free);
  wr_model_choice_setup_combo (self->model_row);
}

GtkWidget *
wr_project_settings_new (WrSession *session,
                         WrProject *project)
{
  WrProjectSettings *self;
  TemplatesLoad *load;

  g_return_val_if_fail (WR_IS_SESSION (session), NULL);
  g_return_val_if_fail (WR_IS_PROJECT (project), NULL);

  self = g_object_new (WR_TYPE_PROJECT_SETTINGS, NULL);
  self->session = g_object_ref (session);
  self->project = g_object_ref (project);
  self->catalog = g_object_ref (wr_session_get_model_catalog (session));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), wr_project_get_name (project));
  fill_models (self);
  g_signal_connect_object (self->catalog, "items-changed", G_CALLBACK (on_catalog_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->catalog, "notify::refreshing", G_CALLBACK (on_refreshing_cb), self,
                           G_CONNECT_SWAPPED);
  on_refreshing_cb (self);
  if (wr_model_catalog_get_refreshed_at (self->catalog) == 0 && !wr_model_catalog_get_refreshing (self->catalog))
    {
      self->pending++;
      wr_model_catalog_refresh_async (self->catalog, self->cancellable, on_refresh_done_cb, g_object_ref (self));
    }

  load = g_new0 (TemplatesLoad, 1);
  load->self = g_object_ref (self);
  self->pending++;
  wr_store_list_templates_async (wr_session_get_store (session), self->cancellable, on_templates_listed_cb, load);

  update_actions (self);
  return GTK_WIDGET (self);
}

/* Private API for tests ------------------------------------------------------------- */

AdwEntryRow *
_wr_project_settings_get_name_row (WrProjectSettings *self)
{
  return self->name_row;
}

AdwComboRow *
_wr_project_settings_get_model_row (WrProjectSettings *self)
{
  return self->model_row;
}

AdwComboRow *
_wr_project_settings_get_template_row (WrProjectSettings *self)
{
  return self->template_row;
}

GtkWidget *
_wr_project_settings_get_save_button (WrProjectSettings *self)
{
  return self->save_button;
}

guint
_wr_project_settings_get_pending (WrProjectSettings *self)
{
  return self->pending;
}

gboolean
_wr_project_settings_get_templates_loaded (WrProjectSettings *self)
{
  return self->templates_loaded;
}
