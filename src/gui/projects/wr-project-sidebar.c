/* wr-project-sidebar.c — project list (GtkListView over a GListStore of
 * WrProject) and the dialogs that change it. */
#include <glib/gi18n.h>

#include "wr-project-sidebar.h"

struct _WrProjectSidebar
{
  AdwBin              parent_instance;

  WrSession          *session;       /* owned, nullable */
  GListStore         *projects;      /* owned, element-type WrProject */
  GtkSingleSelection *selection;     /* owned */
  GCancellable       *cancellable;   /* owned */
  char               *select_id;     /* selection to restore after load */
  guint               loaded : 1;

  /* template children */
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (WrProjectSidebar, wr_project_sidebar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_SELECTED_PROJECT,
  N_PROPS
};

enum {
  PROJECT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A deleted project waiting for a possible Undo. */
typedef struct
{
  WrProjectSidebar *self;       /* owned while a store call runs, else NULL */
  WrProject        *project;    /* owned */
  guint             position;
} DeletedProject;

static void
deleted_project_free (DeletedProject *deleted)
{
  g_clear_object (&deleted->project);
  g_free (deleted);
}

static void
add_toast (WrProjectSidebar *self,
           AdwToast         *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
show_error_toast (WrProjectSidebar *self,
                  const char       *what,
                  const GError     *error)
{
  g_autofree char *title = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* TRANSLATORS: first %s says what failed, second the reason */
  title = g_strdup_printf (_("%s: %s"), what, error->message);
  add_toast (self, adw_toast_new (title));
}

static gboolean
find_project_by_id (WrProjectSidebar *self,
                    const char       *id,
                    guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrProject) project = g_list_model_get_item (G_LIST_MODEL (self->projects), i);

      if (g_strcmp0 (wr_project_get_id (project), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
select_project_id (WrProjectSidebar *self,
                   const char       *id)
{
  guint position;

  if (id != NULL && find_project_by_id (self, id, &position))
    gtk_single_selection_set_selected (self->selection, position);
}

/* A dialog asking for a project name; Enter in the entry accepts. */
static AdwMessageDialog *
name_dialog_new (WrProjectSidebar *self,
                 const char       *heading,
                 const char       *body,
                 const char       *initial,
                 const char       *accept_label,
                 GtkEditable     **out_entry)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "accept", accept_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "accept", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "accept");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Project Name"));
  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Project Name"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_set_response_enabled (dialog, "accept", initial != NULL && *initial != '\0');

  *out_entry = GTK_EDITABLE (entry);
  return dialog;
}

static void
on_name_entry_changed_cb (GtkEditable      *entry,
                          AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "accept", *name != '\0');
}

static char *
dialog_dup_name (AdwMessageDialog *dialog)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
on_list_projects_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(WrProjectSidebar) self = user_data;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = wr_store_list_projects_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (projects != NULL)
    g_list_store_splice (self->projects, 0,
                         g_list_model_get_n_items (G_LIST_MODEL (self->projects)),
                         projects->pdata, projects->len);
  else
    show_error_toast (self, _("Could not load projects"), error);

  if (self->select_id != NULL)
    select_project_id (self, self->select_id);
  g_clear_pointer (&self->select_id, g_free);

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
on_create_project_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrProjectSidebar) self = user_data;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  project = wr_store_create_project_finish (WR_STORE (object), result, &error);
  if (project == NULL)
    {
      show_error_toast (self, _("Could not create the project"), error);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));
  g_list_store_append (self->projects, project);
  gtk_single_selection_set_selected (self->selection, n);
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, project);
}

static void
on_new_project_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            WrProjectSidebar *self)
{
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "accept") != 0 || self->session == NULL)
    return;

  name = dialog_dup_name (dialog);
  if (*name == '\0')
    return;

  wr_store_create_project_async (wr_session_get_store (self->session), name,
                                 self->cancellable, on_create_project_cb,
                                 g_object_ref (self));
}

typedef struct
{
  WrProjectSidebar *self;     /* owned */
  WrProject        *project;  /* owned */
  char             *name;
} RenameData;

static void
rename_data_free (RenameData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->project);
  g_free (data->name);
  g_free (data);
}

static void
on_rename_project_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RenameData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (wr_store_rename_project_finish (WR_STORE (object), result, &error))
    wr_project_set_name (data->project, data->name);
  else
    show_error_toast (data->self, _("Could not rename the project"), error);

  rename_data_free (data);
}

static void
on_rename_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       WrProjectSidebar *self)
{
  WrProject *project;
  RenameData *data;

  if (g_strcmp0 (response, "accept") != 0 || self->session == NULL)
    return;

  project = g_object_get_data (G_OBJECT (dialog), "wr-project");
  data = g_new0 (RenameData, 1);
  data->self = g_object_ref (self);
  data->project = g_object_ref (project);
  data->name = dialog_dup_name (dialog);

  if (*data->name == '\0' || g_strcmp0 (data->name, wr_project_get_name (project)) == 0)
    {
      rename_data_free (data);
      return;
    }

  wr_store_rename_project_async (wr_session_get_store (self->session),
                                 wr_project_get_id (project), data->name,
                                 self->cancellable, on_rename_project_cb, data);
}

static void
on_restore_project_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  DeletedProject *deleted = user_data;
  g_autoptr(GError) error = NULL;

  if (wr_store_restore_project_finish (WR_STORE (object), result, &error))
    {
      WrProjectSidebar *self = deleted->self;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->projects));
      guint position = MIN (deleted->position, n);

      g_list_store_insert (self->projects, position, deleted->project);
      gtk_single_selection_set_selected (self->selection, position);
    }
  else
    show_error_toast (deleted->self, _("Could not restore the project"), error);

  g_object_unref (deleted->self);
  deleted_project_free (deleted);
}

static void
on_undo_delete_cb (AdwToast         *toast,
                   WrProjectSidebar *self)
{
  DeletedProject *deleted = g_object_steal_data (G_OBJECT (toast), "wr-deleted");

  if (deleted == NULL || self->session == NULL)
    {
      g_clear_pointer (&deleted, deleted_project_free);
      return;
    }

  deleted->self = g_object_ref (self);
  wr_store_restore_project_async (wr_session_get_store (self->session),
                                  wr_project_get_id (deleted->project),
                                  self->cancellable, on_restore_project_cb, deleted);
}

static void
on_delete_project_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  DeletedProject *deleted = user_data;
  g_autoptr(WrProjectSidebar) self = deleted->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint position;

  deleted->self = NULL;

  if (!wr_store_delete_project_finish (WR_STORE (object), result, &error))
    {
      show_error_toast (self, _("Could not delete the project"), error);
      deleted_project_free (deleted);
      return;
    }

  if (find_project_by_id (self, wr_project_get_id (deleted->project), &position))
    {
      deleted->position = position;
      g_list_store_remove (self->projects, position);
    }

  /* TRANSLATORS: %s is a project name */
  title = g_strdup_printf (_("“%s” deleted"), wr_project_get_name (deleted->project));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "wr-deleted", deleted,
                          (GDestroyNotify) deleted_project_free);
  g_signal_connect_object (toast, "button-clicked",
                           G_CALLBACK (on_undo_delete_cb), self, 0);
  add_toast (self, toast);
}

static void
on_list_view_activate_cb (WrProjectSidebar *self,
                          guint             position)
{
  g_autoptr(WrProject) project = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (project != NULL)
    g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, project);
}

static void
on_selection_changed_cb (WrProjectSidebar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PROJECT]);
}

static void
wr_project_sidebar_dispose (GObject *object)
{
  WrProjectSidebar *self = WR_PROJECT_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_PROJECT_SIDEBAR);
  g_clear_object (&self->selection);
  g_clear_object (&self->projects);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wr_project_sidebar_parent_class)->dispose (object);
}

static void
wr_project_sidebar_finalize (GObject *object)
{
  WrProjectSidebar *self = WR_PROJECT_SIDEBAR (object);

  g_free (self->select_id);

  G_OBJECT_CLASS (wr_project_sidebar_parent_class)->finalize (object);
}

static void
wr_project_sidebar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WrProjectSidebar *self = WR_PROJECT_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_SELECTED_PROJECT:
      g_value_set_object (value, wr_project_sidebar_get_selected_project (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_project_sidebar_class_init (WrProjectSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_project_sidebar_dispose;
  object_class->finalize = wr_project_sidebar_finalize;
  object_class->get_property = wr_project_sidebar_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_PROJECT] =
    g_param_spec_object ("selected-project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROJECT_ACTIVATED] =
    g_signal_new ("project-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, WR_TYPE_PROJECT);

  /* The row template looks up WrProject by name. */
  g_type_ensure (WR_TYPE_PROJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/wr-project-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, WrProjectSidebar, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);
}

static void
wr_project_sidebar_init (WrProjectSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->projects = g_list_store_new (WR_TYPE_PROJECT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->projects)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
wr_project_sidebar_new (void)
{
  return g_object_new (WR_TYPE_PROJECT_SIDEBAR, NULL);
}

void
wr_project_sidebar_load (WrProjectSidebar *self,
                         WrSession        *session,
                         const char       *select_id)
{
  g_return_if_fail (WR_IS_PROJECT_SIDEBAR (self));
  g_return_if_fail (WR_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_free (self->select_id);
  self->select_id = g_strdup (select_id);
  wr_store_list_projects_async (wr_session_get_store (session), self->cancellable,
                                on_list_projects_cb, g_object_ref (self));
}

gboolean
wr_project_sidebar_get_loaded (WrProjectSidebar *self)
{
  g_return_val_if_fail (WR_IS_PROJECT_SIDEBAR (self), FALSE);

  return self->loaded;
}

GListModel *
wr_project_sidebar_get_model (WrProjectSidebar *self)
{
  g_return_val_if_fail (WR_IS_PROJECT_SIDEBAR (self), NULL);

  return G_LIST_MODEL (self->projects);
}

WrProject *
wr_project_sidebar_get_selected_project (WrProjectSidebar *self)
{
  g_return_val_if_fail (WR_IS_PROJECT_SIDEBAR (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

void
wr_project_sidebar_new_project (WrProjectSidebar *self)
{
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  g_return_if_fail (WR_IS_PROJECT_SIDEBAR (self));

  if (self->session == NULL)
    return;

  dialog = name_dialog_new (self, _("New Project"),
                            _("Projects keep related chats together."),
                            NULL, _("C_reate"), &entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_name_entry_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_project_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (entry));
}

void
wr_project_sidebar_rename_selected (WrProjectSidebar *self)
{
  WrProject *project;
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  g_return_if_fail (WR_IS_PROJECT_SIDEBAR (self));

  project = wr_project_sidebar_get_selected_project (self);
  if (project == NULL || self->session == NULL)
    return;

  dialog = name_dialog_new (self, _("Rename Project"), NULL,
                            wr_project_get_name (project), _("_Rename"), &entry);
  g_object_set_data_full (G_OBJECT (dialog), "wr-project", g_object_ref (project), g_object_unref);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_name_entry_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  gtk_editable_select_region (entry, 0, -1);
}

void
wr_project_sidebar_delete_selected (WrProjectSidebar *self)
{
  WrProject *project;
  DeletedProject *deleted;

  g_return_if_fail (WR_IS_PROJECT_SIDEBAR (self));

  project = wr_project_sidebar_get_selected_project (self);
  if (project == NULL || self->session == NULL)
    return;

  deleted = g_new0 (DeletedProject, 1);
  deleted->self = g_object_ref (self);
  deleted->project = g_object_ref (project);
  wr_store_delete_project_async (wr_session_get_store (self->session),
                                 wr_project_get_id (project),
                                 self->cancellable, on_delete_project_cb, deleted);
}
