/* wr-artifacts-view.c — the Artifacts page.
 *
 * The list is a GListStore of WrArtifact read by wr_store_list_artifacts_async,
 * filtered by kind and name in a GtkFilterListModel, shown by a
 * GtkListView (rows are recycled WrArtifactRows). The selected artifact's
 * content is shown by a WrArtifactViewer, which loads it in a worker.
 * Rename, delete, restore and export are async store calls; the list is
 * read again whenever the page is shown, keeping the selection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-artifacts-view.h"
#include "wr-artifacts-view-private.h"
#include "wr-artifact-row.h"
#include "wr-artifact-viewer.h"
#include "wr-gui-util.h"
#include "data/wr-artifact-export.h"

struct _WrArtifactsView
{
  AdwBin              parent_instance;

  WrSession          *session;             /* owned */
  WrProject          *project;             /* owned, nullable */
  GListStore         *artifacts;           /* WrArtifact, newest first */
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  char               *selected_id;         /* to keep or restore the selection */
  char               *search;              /* casefolded, nullable */
  int                 kind_filter;         /* -1: all */
  char               *last_toast;
  char               *undo_id;             /* the last deleted artifact, for Undo */

  GCancellable       *cancellable;         /* the view's lifetime */
  GCancellable       *list_cancellable;    /* loading the project's artifacts */
  guint               n_busy;
  guint               loading : 1;
  guint               filling : 1;

  /* template children */
  AdwToastOverlay    *toast_overlay;       /* the bin's child */
  GtkStack           *main_stack;
  GtkStack           *list_stack;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *kind_dropdown;
  GtkListView        *list_view;
  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar_box;
  GtkWidget          *content_box;
  GtkWidget          *back_button;
  GtkPopoverMenu     *context_menu;
  GtkLabel           *title_label;
  GtkLabel           *subtitle_label;
  WrArtifactViewer   *viewer;
};

G_DEFINE_FINAL_TYPE (WrArtifactsView, wr_artifacts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The kind dropdown's entries, in order: -1 is "All". */
static const int dropdown_kinds[] = {
  -1,
  WR_ARTIFACT_KIND_REPORT,
  WR_ARTIFACT_KIND_TABLE,
  WR_ARTIFACT_KIND_CHART,
  WR_ARTIFACT_KIND_IMAGE,
  WR_ARTIFACT_KIND_FILE,
  WR_ARTIFACT_KIND_HTML,
  WR_ARTIFACT_KIND_MERMAID,
};

/* What an async store call needs back. */
typedef struct {
  WrArtifactsView *self;       /* owned */
  WrArtifact      *artifact;   /* owned */
  char            *name;       /* rename: the new name */
} OpData;

static OpData *
op_data_new (WrArtifactsView *self,
             WrArtifact      *artifact,
             const char      *name)
{
  OpData *op = g_new0 (OpData, 1);

  op->self = g_object_ref (self);
  op->artifact = g_object_ref (artifact);
  op->name = g_strdup (name);
  return op;
}

static void
op_data_free (OpData *op)
{
  g_object_unref (op->self);
  g_object_unref (op->artifact);
  g_free (op->name);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpData, op_data_free)

/* Helpers */

static WrStore *
get_store (WrArtifactsView *self)
{
  return wr_session_get_store (self->session);
}

static void
toast (WrArtifactsView *self,
       AdwToast        *toast)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (adw_toast_get_title (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast_text (WrArtifactsView *self,
            const char      *text)
{
  /* Toast titles are Pango markup in libadwaita 1.2. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  toast (self, adw_toast_new (escaped));
}

static WrArtifact *
get_selected (WrArtifactsView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static WrArtifact *
find_artifact (WrArtifactsView *self,
               const char      *id,
               guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->artifacts));

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(WrArtifact) artifact = g_list_model_get_item (G_LIST_MODEL (self->artifacts), i);

      if (g_strcmp0 (wr_artifact_get_id (artifact), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return artifact;   /* the store holds a reference */
        }
    }
  return NULL;
}

static void
busy_begin (WrArtifactsView *self)
{
  self->n_busy++;
}

static void
busy_end (WrArtifactsView *self)
{
  g_return_if_fail (self->n_busy > 0);
  self->n_busy--;
}

static void
update_actions (WrArtifactsView *self)
{
  gboolean selected = get_selected (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "artifacts.rename", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "artifacts.delete", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "artifacts.export", selected);
}

static void
update_header (WrArtifactsView *self)
{
  WrArtifact *artifact = get_selected (self);
  g_autofree char *date = NULL;
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;

  if (artifact == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->subtitle_label, "");
      return;
    }

  date = wr_artifact_format_date (wr_artifact_get_created_at (artifact), 0);
  size = g_format_size ((guint64) MAX (wr_artifact_get_size (artifact), 0));
  /* Translators: under the artifact shown, "Report · Today 14:02 · 2.1 kB" */
  if (wr_artifact_get_kind (artifact) == WR_ARTIFACT_KIND_TABLE)
    /* Translators: under the table shown, "Table · Today 14:02" (its rows
     * live in the dataset: no size) */
    subtitle = g_strdup_printf (_("%s · %s"), wr_artifact_kind_get_label (WR_ARTIFACT_KIND_TABLE), date);
  else
    subtitle = g_strdup_printf (_("%s · %s · %s"),
                                wr_artifact_kind_get_label (wr_artifact_get_kind (artifact)), date, size);
  gtk_label_set_text (self->title_label, wr_artifact_get_name (artifact));
  gtk_label_set_text (self->subtitle_label, subtitle);
}

static void
update_pages (WrArtifactsView *self)
{
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->artifacts)) > 0;
  gboolean shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0;

  if (self->project == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "no-project");
  else if (!any && !self->loading)
    gtk_stack_set_visible_child_name (self->main_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "artifacts");
  gtk_stack_set_visible_child_name (self->list_stack, shown || self->loading ? "list" : "no-match");
}

static void
show_selected (WrArtifactsView *self)
{
  WrArtifact *artifact = get_selected (self);

  if (artifact != wr_artifact_viewer_get_artifact (self->viewer))
    wr_artifact_viewer_set_artifact (self->viewer, get_store (self), artifact);
  update_header (self);
  update_actions (self);
}

/* Selects @id among the items shown, else the first one. */
static void
select_id (WrArtifactsView *self,
           const char      *id)
{
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (shown);
  guint position = n > 0 ? 0 : GTK_INVALID_LIST_POSITION;

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(WrArtifact) artifact = g_list_model_get_item (shown, i);

      if (g_strcmp0 (wr_artifact_get_id (artifact), id) == 0)
        {
          position = i;
          break;
        }
    }
  gtk_single_selection_set_selected (self->selection, position);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  WrArtifactsView *self = user_data;
  WrArtifact *artifact = item;
  g_autofree char *folded = NULL;

  if (self->kind_filter >= 0 && (int) wr_artifact_get_kind (artifact) != self->kind_filter)
    return FALSE;
  if (self->search == NULL || self->search[0] == '\0')
    return TRUE;
  folded = g_utf8_casefold (wr_artifact_get_name (artifact), -1);
  return strstr (folded, self->search) != NULL;
}

static void
refilter (WrArtifactsView *self)
{
  WrArtifact *selected = get_selected (self);
  g_autofree char *id = g_strdup (selected != NULL ? wr_artifact_get_id (selected) : self->selected_id);

  self->filling = TRUE;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  select_id (self, id);
  self->filling = FALSE;
  update_pages (self);
  show_selected (self);
}

/* List rows */

static void
on_row_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkListItem     *item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (gtk_widget_get_ancestor (row, WR_TYPE_ARTIFACTS_VIEW));
  double bx = 0, by = 0;

  if (self == NULL || gtk_list_item_get_position (item) == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  if (gtk_widget_translate_coordinates (row, self->sidebar_box, x, y, &bx, &by))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { (int) bx, (int) by, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_row_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *row = wr_artifact_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();

  /* Context menu: right click, or a long press on touch screens. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed_cb), item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect_swapped (press, "pressed", G_CALLBACK (on_row_pressed_cb), click);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (press));
  gtk_list_item_set_child (item, row);
}

static void
on_row_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  wr_artifact_row_bind (WR_ARTIFACT_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
on_row_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  wr_artifact_row_unbind (WR_ARTIFACT_ROW (gtk_list_item_get_child (item)));
}

/* Loading */

static void
on_list_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WrArtifactsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = wr_store_list_artifacts_finish (WR_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (list == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not load the artifacts: %s"), error->message);
      toast_text (self, text);
      list = g_ptr_array_new ();
    }

  self->filling = TRUE;
  g_list_store_splice (self->artifacts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->artifacts)),
                       list->pdata, list->len);
  select_id (self, self->selected_id);
  self->filling = FALSE;
  update_pages (self);
  show_selected (self);
}

static void
load_list (WrArtifactsView *self)
{
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);

  if (self->project == NULL)
    {
      self->loading = FALSE;
      g_list_store_remove_all (self->artifacts);
      update_pages (self);
      show_selected (self);
      return;
    }

  self->loading = TRUE;
  self->list_cancellable = g_cancellable_new ();
  wr_store_list_artifacts_async (get_store (self), wr_project_get_id (self->project), NULL,
                                 self->list_cancellable, on_list_loaded, g_object_ref (self));
}

/* Callbacks */

static void
on_selection_changed_cb (WrArtifactsView *self)
{
  WrArtifact *artifact = get_selected (self);

  /* Remembered across reloads and filters; an empty selection (filtered
   * out, being refilled) keeps the last one. */
  if (artifact != NULL)
    {
      g_free (self->selected_id);
      self->selected_id = g_strdup (wr_artifact_get_id (artifact));
    }
  show_selected (self);

  /* Narrow: a choice in the list opens the artifact. */
  if (!self->filling && artifact != NULL && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
on_leaflet_folded_cb (WrArtifactsView *self)
{
  gtk_widget_set_visible (self->back_button, adw_leaflet_get_folded (self->leaflet));
}

static void
on_back_clicked_cb (WrArtifactsView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_search_changed_cb (WrArtifactsView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (self->search);
  self->search = text[0] != '\0' ? g_utf8_casefold (text, -1) : NULL;
  refilter (self);
}

static void
on_kind_selected_cb (WrArtifactsView *self)
{
  guint position = gtk_drop_down_get_selected (self->kind_dropdown);

  self->kind_filter = position < G_N_ELEMENTS (dropdown_kinds) ? dropdown_kinds[position] : -1;
  refilter (self);
}

static void
on_restored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrArtifactsView) self = user_data;
  g_autoptr(GError) error = NULL;

  busy_end (self);
  if (!wr_store_restore_artifact_finish (WR_STORE (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not restore the artifact: %s"), error->message);
      toast_text (self, text);
    }
  load_list (self);
}

static void
undo_delete (WrArtifactsView *self)
{
  g_autofree char *id = g_steal_pointer (&self->undo_id);

  if (id == NULL)
    return;

  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  busy_begin (self);
  wr_store_restore_artifact_async (get_store (self), id, self->cancellable, on_restored, g_object_ref (self));
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpData) op = user_data;
  WrArtifactsView *self = op->self;
  WrArtifact *artifact = op->artifact;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *undo_toast;
  guint position;

  busy_end (self);
  if (!wr_store_delete_artifact_finish (WR_STORE (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not delete the artifact: %s"), error->message);
      toast_text (self, text);
      load_list (self);
      return;
    }

  g_free (self->undo_id);
  self->undo_id = g_strdup (wr_artifact_get_id (artifact));
  if (find_artifact (self, self->undo_id, &position) != NULL)
    {
      self->filling = TRUE;
      g_clear_pointer (&self->selected_id, g_free);
      g_list_store_remove (self->artifacts, position);
      select_id (self, NULL);
      self->filling = FALSE;
      update_pages (self);
      show_selected (self);
    }

  /* Translators: a toast after deleting, "“Sales report” deleted" */
  title = g_markup_printf_escaped (_("“%s” deleted"), wr_artifact_get_name (artifact));
  undo_toast = adw_toast_new (title);
  adw_toast_set_button_label (undo_toast, _("_Undo"));
  adw_toast_set_priority (undo_toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (undo_toast, "button-clicked", G_CALLBACK (undo_delete), self, G_CONNECT_SWAPPED);
  toast (self, undo_toast);
}

static void
on_renamed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpData) op = user_data;
  WrArtifactsView *self = op->self;
  g_autoptr(GError) error = NULL;

  busy_end (self);
  if (!wr_store_rename_artifact_finish (WR_STORE (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not rename the artifact: %s"), error->message);
      toast_text (self, text);
      return;
    }

  wr_artifact_set_name (op->artifact, op->name);
  refilter (self);
}

static void
rename_selected (WrArtifactsView *self,
                 const char      *name)
{
  WrArtifact *artifact = get_selected (self);
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  g_autofree char *problem = _wr_artifacts_view_check_name (stripped);

  if (artifact == NULL)
    return;
  if (problem != NULL)
    {
      toast_text (self, problem);
      return;
    }

  busy_begin (self);
  wr_store_rename_artifact_async (get_store (self), wr_artifact_get_id (artifact), stripped,
                                  self->cancellable, on_renamed, op_data_new (self, artifact, stripped));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrArtifactsView) self = user_data;
  g_autoptr(GError) error = NULL;
  GFile *file = g_object_get_data (G_OBJECT (self), "export-file");
  g_autofree char *text = NULL;

  busy_end (self);
  if (!wr_artifact_export_finish (WR_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not export: %s"), error->message);
    }
  else
    {
      g_autofree char *name = file != NULL ? g_file_get_basename (file) : g_strdup ("");
      /* Translators: a toast after an export, "Exported report.md" */
      text = g_strdup_printf (_("Exported %s"), name);
    }
  toast_text (self, text);
}

static void
export_to (WrArtifactsView *self,
           GFile           *file)
{
  WrArtifact *artifact = get_selected (self);

  if (artifact == NULL)
    return;

  g_object_set_data_full (G_OBJECT (self), "export-file", g_object_ref (file), g_object_unref);
  busy_begin (self);
  wr_artifact_export_async (get_store (self), wr_artifact_get_id (artifact), file, self->cancellable,
                            on_exported, g_object_ref (self));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  g_autoptr(WrArtifactsView) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        export_to (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Rename dialog */

static void
on_rename_entry_changed_cb (GtkEditable      *entry,
                            AdwMessageDialog *dialog)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *problem = _wr_artifacts_view_check_name (stripped);
  GtkLabel *hint = g_object_get_data (G_OBJECT (dialog), "hint");

  adw_message_dialog_set_response_enabled (dialog, "rename", problem == NULL);
  gtk_label_set_text (hint, problem != NULL && stripped[0] != '\0' ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (hint), problem != NULL && stripped[0] != '\0');
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

static void
on_rename_response_cb (WrArtifactsView  *self,
                       const char       *response,
                       AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *id = g_object_get_data (G_OBJECT (dialog), "artifact-id");
  WrArtifact *selected = get_selected (self);

  if (g_strcmp0 (response, "rename") != 0 || selected == NULL
      || g_strcmp0 (wr_artifact_get_id (selected), id) != 0)
    return;
  rename_selected (self, gtk_editable_get_text (entry));
}

/* Actions */

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (widget);
  WrArtifact *artifact = get_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog, *box, *entry, *hint;

  if (artifact == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Rename Artifact"), NULL);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), wr_artifact_get_name (artifact));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  hint = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_add_css_class (hint, "error");
  gtk_widget_set_visible (hint, FALSE);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "hint", hint);
  g_object_set_data_full (G_OBJECT (dialog), "artifact-id", g_strdup (wr_artifact_get_id (artifact)), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_rename_entry_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (widget);
  WrArtifact *artifact = get_selected (self);

  if (artifact == NULL)
    return;

  /* No question first: Undo in the toast brings it back. */
  busy_begin (self);
  wr_store_delete_artifact_async (get_store (self), wr_artifact_get_id (artifact), self->cancellable,
                                  on_deleted, op_data_new (self, artifact, NULL));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (widget);
  WrArtifact *artifact = get_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *suggested = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char * const *extensions;

  if (artifact == NULL)
    return;

  suggested = wr_artifact_suggest_file_name (artifact);
  chooser = gtk_file_chooser_native_new (_("Export Artifact"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  extensions = wr_artifact_export_extensions (wr_artifact_get_kind (artifact));
  if (extensions != NULL && extensions[0] != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; extensions[i] != NULL; i++)
        {
          gtk_file_filter_add_suffix (filter, extensions[i]);
          g_string_append_printf (names, "%s.%s", i > 0 ? ", " : "", extensions[i]);
        }
      gtk_file_filter_set_name (filter, names->str);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (WR_ARTIFACTS_VIEW (widget)->search_entry));
}

/* GObject */

static void
wr_artifacts_view_map (GtkWidget *widget)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (widget);

  GTK_WIDGET_CLASS (wr_artifacts_view_parent_class)->map (widget);
  /* Chats save artifacts while the page is hidden: read the list again
   * whenever it is shown. */
  if (self->project != NULL && !self->loading)
    load_list (self);
}

static void
wr_artifacts_view_dispose (GObject *object)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_ARTIFACTS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->artifacts);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->project);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_artifacts_view_parent_class)->dispose (object);
}

static void
wr_artifacts_view_finalize (GObject *object)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->selected_id);
  g_free (self->search);
  g_free (self->last_toast);
  g_free (self->undo_id);

  G_OBJECT_CLASS (wr_artifacts_view_parent_class)->finalize (object);
}

static void
wr_artifacts_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (object);

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
wr_artifacts_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WrArtifactsView *self = WR_ARTIFACTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      wr_artifacts_view_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_artifacts_view_class_init (WrArtifactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_artifacts_view_dispose;
  object_class->finalize = wr_artifacts_view_finalize;
  object_class->get_property = wr_artifacts_view_get_property;
  object_class->set_property = wr_artifacts_view_set_property;
  widget_class->map = wr_artifacts_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WR_TYPE_ARTIFACT_VIEWER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/artifacts/wr-artifacts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, content_box);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, back_button);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, context_menu);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, title_label);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactsView, viewer);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected_cb);

  gtk_widget_class_install_action (widget_class, "artifacts.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "artifacts.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "artifacts.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "artifacts.focus-search", NULL, focus_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "artifacts.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "artifacts.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "artifacts.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "artifacts.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "artifacts.focus-search", NULL);
}

static void
wr_artifacts_view_init (WrArtifactsView *self)
{
  GtkFilterListModel *filtered;
  GtkListItemFactory *factory;

  self->cancellable = g_cancellable_new ();
  self->kind_filter = -1;
  self->artifacts = g_list_store_new (WR_TYPE_ARTIFACT);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The template's root is the bin's child: not bound, or dispose_template
   * would unparent it under AdwBin's feet. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->artifacts)),
                                        g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_pages (self);
  update_actions (self);
}

/* API */

GtkWidget *
wr_artifacts_view_new (WrSession *session)
{
  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  return g_object_new (WR_TYPE_ARTIFACTS_VIEW, "session", session, NULL);
}

void
wr_artifacts_view_set_project (WrArtifactsView *self,
                               WrProject       *project)
{
  g_return_if_fail (WR_IS_ARTIFACTS_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (self->project == project)
    return;

  g_set_object (&self->project, project);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->undo_id, g_free);
  self->filling = TRUE;
  g_list_store_remove_all (self->artifacts);
  self->filling = FALSE;
  load_list (self);
  update_pages (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

WrProject *
wr_artifacts_view_get_project (WrArtifactsView *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACTS_VIEW (self), NULL);
  return self->project;
}

void
wr_artifacts_view_reload (WrArtifactsView *self)
{
  g_return_if_fail (WR_IS_ARTIFACTS_VIEW (self));
  load_list (self);
}

void
wr_artifacts_view_select_artifact (WrArtifactsView *self,
                                   const char      *id)
{
  g_return_if_fail (WR_IS_ARTIFACTS_VIEW (self));

  /* Filters first: refiltering records the selection it keeps. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_pointer (&self->search, g_free);
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  load_list (self);
}

/* Private (tests) */

gboolean
_wr_artifacts_view_get_loading (WrArtifactsView *self)
{
  return self->loading;
}

GListModel *
_wr_artifacts_view_get_shown (WrArtifactsView *self)
{
  return G_LIST_MODEL (self->selection);
}

void
_wr_artifacts_view_set_kind_filter (WrArtifactsView *self,
                                    int              kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (dropdown_kinds); i++)
    if (dropdown_kinds[i] == kind)
      gtk_drop_down_set_selected (self->kind_dropdown, i);
}

void
_wr_artifacts_view_set_search (WrArtifactsView *self,
                               const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry delays "search-changed"; tests want the result now. */
  on_search_changed_cb (self);
}

WrArtifact *
_wr_artifacts_view_get_selected (WrArtifactsView *self)
{
  return get_selected (self);
}

WrArtifactViewer *
_wr_artifacts_view_get_viewer (WrArtifactsView *self)
{
  return self->viewer;
}

const char *
_wr_artifacts_view_get_page (WrArtifactsView *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
_wr_artifacts_view_get_list_page (WrArtifactsView *self)
{
  return gtk_stack_get_visible_child_name (self->list_stack);
}

const char *
_wr_artifacts_view_get_last_toast (WrArtifactsView *self)
{
  return self->last_toast;
}

void
_wr_artifacts_view_undo (WrArtifactsView *self)
{
  undo_delete (self);
}

void
_wr_artifacts_view_rename (WrArtifactsView *self,
                           const char      *name)
{
  rename_selected (self, name);
}

void
_wr_artifacts_view_export_to (WrArtifactsView *self,
                              GFile           *file)
{
  export_to (self, file);
}

char *
_wr_artifacts_view_check_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return g_strdup (_("Enter a name."));
  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup (_("The name contains characters that are not text."));
  if (g_utf8_strlen (name, -1) > WR_ARTIFACT_MAX_NAME_CHARS)
    return g_strdup_printf (g_dngettext (NULL, "Use at most %d character.", "Use at most %d characters.",
                                         WR_ARTIFACT_MAX_NAME_CHARS),
                            WR_ARTIFACT_MAX_NAME_CHARS);
  return NULL;
}

gboolean
_wr_artifacts_view_get_busy (WrArtifactsView *self)
{
  return self->n_busy > 0 || self->loading || wr_artifact_viewer_get_loading (self->viewer);
}
