/* wr-templates-view.c — instruction templates: list, search, editor, and
 * the project's choice.
 *
 * The editor works on a copy: the list keeps the templates as saved, and
 * Save (Ctrl+S) writes the editor's name and text in a worker thread. Before
 * another template opens, unsaved changes are saved or discarded as the
 * user chooses. */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-templates-view.h"
#include "wr-templates-view-private.h"
#include "wr-gui-util.h"

typedef enum {
  PENDING_NONE,
  PENDING_OPEN,   /* open pending_item */
  PENDING_NEW,    /* start a new template */
} Pending;

struct _WrTemplatesView
{
  AdwBin               parent_instance;

  WrSession           *session;              /* owned */
  WrProject           *project;              /* owned, nullable */
  GCancellable        *cancellable;          /* owned */
  GCancellable        *project_cancellable;  /* owned, nullable */
  GListStore          *templates;            /* owned, element-type WrTemplate, by name */
  GtkCustomFilter     *filter;               /* owned */
  GtkFilterListModel  *shown;                /* owned */
  GtkSingleSelection  *selection;            /* owned */
  GPtrArray           *bound_rows;           /* borrowed: rows bound now */
  WrTemplate          *editing;              /* owned, nullable: the saved template in the editor */
  char                *project_template_id;  /* owned, nullable */
  char                *search;               /* owned, nullable: case-folded */
  WrTemplate          *pending_item;         /* owned, nullable */
  Pending              pending;
  guint                n_busy;
  guint                loaded : 1;
  guint                editor_open : 1;
  guint                filling : 1;
  guint                saving : 1;
  guint                setting_use : 1;

  /* template children (not the AdwBin's own child, the toast overlay:
   * AdwBin unparents it, dispose_template() must not) */
  AdwLeaflet          *leaflet;
  GtkSearchEntry      *search_entry;
  GtkLabel            *project_label;
  GtkStack            *list_stack;
  GtkListView         *list_view;
  GtkStack            *editor_stack;
  AdwStatusPage       *none_page;
  GtkWidget           *back_button;
  GtkWidget           *focus_target;         /* borrowed template child, nullable */
  GtkEntry            *name_entry;
  GtkWidget           *delete_button;
  GtkWidget           *save_button;
  GtkTextView         *content_view;
  GtkLabel            *error_label;
  AdwActionRow        *use_row;
  GtkSwitch           *use_switch;
};

G_DEFINE_FINAL_TYPE (WrTemplatesView, wr_templates_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void perform_pending (WrTemplatesView *self);

static void
add_toast (WrTemplatesView *self,
           const char      *title)
{
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))),
                               adw_toast_new (title));
}

static WrStore *
get_store (WrTemplatesView *self)
{
  return wr_session_get_store (self->session);
}

static guint
find_position (GListModel *model,
               const char *id)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(WrTemplate) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (wr_template_get_id (item), id) == 0)
        return i;
    }

  return G_MAXUINT;
}

static WrTemplate *
find_template (WrTemplatesView *self,
               const char      *id)
{
  guint position = find_position (G_LIST_MODEL (self->templates), id);

  return position != G_MAXUINT ? g_list_model_get_item (G_LIST_MODEL (self->templates), position) : NULL;
}

/* The first line with text, for the list. (transfer full) */
static char *
first_line (const char *content)
{
  const char *p = content;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      g_autofree char *line = end != NULL ? g_strndup (p, end - p) : g_strdup (p);

      g_strstrip (line);
      if (*line != '\0')
        return g_steal_pointer (&line);
      if (end == NULL)
        break;
      p = end + 1;
    }

  return NULL;
}

static char *
dup_name (WrTemplatesView *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
}

static char *
dup_content (WrTemplatesView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->content_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_dirty (WrTemplatesView *self)
{
  g_autofree char *name = NULL;
  g_autofree char *content = NULL;

  if (!self->editor_open)
    return FALSE;

  name = dup_name (self);
  content = dup_content (self);

  if (self->editing == NULL)
    return *name != '\0' || *content != '\0';

  return g_strcmp0 (name, wr_template_get_name (self->editing)) != 0
         || g_strcmp0 (content, wr_template_get_content (self->editing)) != 0;
}

/* What is wrong with the editor's text before the store is even asked;
 * NULL when nothing. (transfer full) */
static char *
check_editor (WrTemplatesView *self,
              gboolean        *about_name)
{
  g_autofree char *name = dup_name (self);
  g_autofree char *content = dup_content (self);

  *about_name = TRUE;
  if (g_utf8_strlen (name, -1) > WR_TEMPLATE_MAX_NAME_CHARS)
    return g_strdup_printf (_("A template name can have at most %d characters. Choose a shorter name."),
                            WR_TEMPLATE_MAX_NAME_CHARS);

  *about_name = FALSE;
  if (strlen (content) > WR_TEMPLATE_MAX_CONTENT_SIZE)
    return g_strdup_printf (_("The template text is too long (at most %d KiB). Shorten it and try again."),
                            WR_TEMPLATE_MAX_CONTENT_SIZE / 1024);

  return NULL;
}

static void
set_error (WrTemplatesView *self,
           const char      *message,
           gboolean         about_name)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  if (message != NULL && about_name)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "error");
}

static void
update_actions (WrTemplatesView *self)
{
  g_autofree char *name = dup_name (self);
  g_autofree char *problem = NULL;
  gboolean about_name;

  problem = check_editor (self, &about_name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.save",
                                 self->editor_open && !self->saving && problem == NULL
                                 && *name != '\0' && is_dirty (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.delete",
                                 self->editor_open && self->editing != NULL && !self->saving);
}

static void
update_list_stack (WrTemplatesView *self)
{
  const char *page = "list";

  if (self->loaded && g_list_model_get_n_items (G_LIST_MODEL (self->templates)) == 0)
    page = "empty";
  else if (self->loaded && g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0)
    page = "no-results";

  gtk_stack_set_visible_child_name (self->list_stack, page);

  /* With nothing to choose, the editor's side says what templates are. */
  if (g_str_equal (page, "empty"))
    {
      adw_status_page_set_title (self->none_page, _("No Templates"));
      adw_status_page_set_description (self->none_page,
                                       _("Templates are instructions a project’s chats start with, such as “Answer as a careful code reviewer”. Create one, then use it in this project."));
    }
  else
    {
      adw_status_page_set_title (self->none_page, _("No Template Selected"));
      adw_status_page_set_description (self->none_page, _("Choose a template to edit it, or create a new one."));
    }
}

/* The name of the template the project uses, if it is in the list. */
static char *
dup_project_template_name (WrTemplatesView *self)
{
  g_autoptr(WrTemplate) template_ = find_template (self, self->project_template_id);

  return template_ != NULL ? g_strdup (wr_template_get_name (template_)) : NULL;
}

static void
update_project (WrTemplatesView *self)
{
  g_autofree char *used = dup_project_template_name (self);
  g_autofree char *text = NULL;
  gboolean active;

  /* Which template the project uses: above the list, and on the switch. */
  if (self->project == NULL)
    text = NULL;
  else if (used != NULL)
    /* TRANSLATORS: first %s is a project, second a template */
    text = g_strdup_printf (_("“%s” uses “%s”."), wr_project_get_name (self->project), used);
  else
    /* TRANSLATORS: %s is a project */
    text = g_strdup_printf (_("“%s” uses no template."), wr_project_get_name (self->project));
  gtk_label_set_text (self->project_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->project_label), text != NULL);

  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->bound_rows, i);
      const char *id = g_object_get_data (G_OBJECT (row), "wr-template-id");

      gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "wr-check"),
                              id != NULL && g_strcmp0 (id, self->project_template_id) == 0);
    }

  active = self->editing != NULL && self->project_template_id != NULL
           && g_strcmp0 (wr_template_get_id (self->editing), self->project_template_id) == 0;
  self->filling = TRUE;
  gtk_switch_set_active (self->use_switch, active);
  self->filling = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->use_row),
                            self->project != NULL && self->editing != NULL && !self->setting_use);

  g_clear_pointer (&text, g_free);
  if (self->project == NULL)
    text = g_strdup (_("Open a project to choose the instructions its chats start with."));
  else if (self->editing == NULL)
    text = g_strdup (_("Save the template first."));
  else if (active)
    /* TRANSLATORS: %s is a project */
    text = g_strdup_printf (_("New chats in “%s” start with these instructions."),
                            wr_project_get_name (self->project));
  else if (used != NULL)
    /* TRANSLATORS: first %s is a project, second a template */
    text = g_strdup_printf (_("“%s” uses “%s” now. Turn this on to use this template instead."),
                            wr_project_get_name (self->project), used);
  else
    /* TRANSLATORS: %s is a project */
    text = g_strdup_printf (_("New chats in “%s” start without instructions."),
                            wr_project_get_name (self->project));
  adw_action_row_set_subtitle (self->use_row, text);
}

/* Focuses @widget on the editor page, also once a folded leaflet has slid
 * to it (the leaflet then focuses the page's first widget itself). */
static void
focus_editor_widget (WrTemplatesView *self,
                     GtkWidget       *widget)
{
  gtk_widget_grab_focus (widget);
  self->focus_target = adw_leaflet_get_child_transition_running (self->leaflet) ? widget : NULL;
}

static void
on_leaflet_transition_cb (WrTemplatesView *self)
{
  if (adw_leaflet_get_child_transition_running (self->leaflet) || self->focus_target == NULL)
    return;

  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "editor") == 0)
    gtk_widget_grab_focus (self->focus_target);
  self->focus_target = NULL;
}

/* Highlights the template in the editor in the list, when shown. */
static void
sync_selection (WrTemplatesView *self)
{
  guint position = GTK_INVALID_LIST_POSITION;

  if (self->editing != NULL)
    {
      position = find_position (G_LIST_MODEL (self->shown), wr_template_get_id (self->editing));
      if (position == G_MAXUINT)
        position = GTK_INVALID_LIST_POSITION;
    }

  gtk_single_selection_set_selected (self->selection, position);
}

/* Opens @template_ in the editor (NULL: a new, empty one). */
static void
show_template (WrTemplatesView *self,
               WrTemplate      *template_)
{
  g_set_object (&self->editing, template_);
  self->editor_open = TRUE;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry),
                         template_ != NULL ? wr_template_get_name (template_) : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->content_view),
                            template_ != NULL ? wr_template_get_content (template_) : "", -1);
  self->filling = FALSE;

  set_error (self, NULL, FALSE);
  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  adw_leaflet_set_visible_child_name (self->leaflet, "editor");
  sync_selection (self);
  update_actions (self);
  update_project (self);

  /* A new one starts with its name; an existing one with its text. */
  focus_editor_widget (self, template_ == NULL ? GTK_WIDGET (self->name_entry)
                                               : GTK_WIDGET (self->content_view));
}

static void
close_editor (WrTemplatesView *self)
{
  g_clear_object (&self->editing);
  self->editor_open = FALSE;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->content_view), "", -1);
  self->filling = FALSE;

  set_error (self, NULL, FALSE);
  gtk_stack_set_visible_child_name (self->editor_stack, "none");
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  sync_selection (self);
  update_actions (self);
  update_project (self);
}

/* Keeps the list sorted by name, as the store lists it. */
static void
insert_sorted (WrTemplatesView *self,
               WrTemplate      *template_)
{
  g_autofree char *key = g_utf8_casefold (wr_template_get_name (template_), -1);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->templates));
  guint position = 0;

  while (position < n)
    {
      g_autoptr(WrTemplate) other = g_list_model_get_item (G_LIST_MODEL (self->templates), position);
      g_autofree char *other_key = g_utf8_casefold (wr_template_get_name (other), -1);

      if (g_utf8_collate (other_key, key) > 0)
        break;
      position++;
    }

  g_list_store_insert (self->templates, position, template_);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WrTemplatesView) self = user_data;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  self->n_busy--;
  templates = wr_store_list_templates_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (templates == NULL)
    {
      /* TRANSLATORS: %s is the reason */
      g_autofree char *title = g_strdup_printf (_("Could not load the templates: %s"), error->message);

      add_toast (self, title);
      return;
    }

  g_list_store_splice (self->templates, 0, g_list_model_get_n_items (G_LIST_MODEL (self->templates)),
                       templates->pdata, templates->len);
  self->loaded = TRUE;
  update_list_stack (self);
  sync_selection (self);
  update_project (self);
}

static void
reload (WrTemplatesView *self)
{
  self->n_busy++;
  wr_store_list_templates_async (get_store (self), self->cancellable, on_listed_cb, g_object_ref (self));
}

/* Save */

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrTemplatesView) self = user_data;
  g_autoptr(WrTemplate) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  self->n_busy--;
  self->saving = FALSE;
  saved = wr_store_save_template_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (saved == NULL)
    {
      g_autofree char *name = dup_name (self);
      g_autofree char *folded_name = g_utf8_casefold (name, -1);
      g_autofree char *folded_message = g_utf8_casefold (error->message, -1);
      /* The store's messages say what to change; one that names the name
       * (a clash with another template) is about the name field. */
      gboolean about_name = g_error_matches (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID)
                            && *name != '\0' && strstr (folded_message, folded_name) != NULL;

      self->pending = PENDING_NONE;
      g_clear_object (&self->pending_item);
      set_error (self, error->message, about_name);
      sync_selection (self);
      update_actions (self);
      return;
    }

  position = find_position (G_LIST_MODEL (self->templates), wr_template_get_id (saved));
  if (position != G_MAXUINT)
    g_list_store_remove (self->templates, position);
  insert_sorted (self, saved);

  /* The editor keeps what was typed meanwhile; it compares with this. */
  g_set_object (&self->editing, saved);
  set_error (self, NULL, FALSE);
  update_list_stack (self);
  sync_selection (self);
  update_actions (self);
  update_project (self);

  perform_pending (self);
}

static void
save (WrTemplatesView *self)
{
  g_autoptr(WrTemplate) template_ = NULL;
  g_autofree char *name = NULL;
  g_autofree char *content = NULL;
  g_autofree char *problem = NULL;
  gboolean about_name;

  if (!self->editor_open || self->saving)
    return;

  name = dup_name (self);
  content = dup_content (self);
  problem = check_editor (self, &about_name);
  if (problem == NULL && *name == '\0')
    {
      problem = g_strdup (_("A template needs a name. Type a name and try again."));
      about_name = TRUE;
    }
  if (problem != NULL)
    {
      self->pending = PENDING_NONE;
      g_clear_object (&self->pending_item);
      set_error (self, problem, about_name);
      if (about_name)
        gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      sync_selection (self);
      return;
    }

  template_ = wr_template_new (name, content);
  if (self->editing != NULL)
    wr_template_set_id (template_, wr_template_get_id (self->editing));

  self->saving = TRUE;
  self->n_busy++;
  update_actions (self);
  wr_store_save_template_async (get_store (self), template_, self->cancellable,
                                on_saved_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  save (WR_TEMPLATES_VIEW (widget));
}

/* Switching templates with unsaved changes */

static void
perform_pending (WrTemplatesView *self)
{
  g_autoptr(WrTemplate) item = g_steal_pointer (&self->pending_item);
  Pending pending = self->pending;

  self->pending = PENDING_NONE;
  if (pending == PENDING_OPEN)
    show_template (self, item);
  else if (pending == PENDING_NEW)
    show_template (self, NULL);
}

static void
on_unsaved_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        WrTemplatesView  *self)
{
  if (g_strcmp0 (response, "save") == 0)
    save (self);
  else if (g_strcmp0 (response, "discard") == 0)
    perform_pending (self);
  else
    {
      self->pending = PENDING_NONE;
      g_clear_object (&self->pending_item);
      sync_selection (self);
    }
}

static void
request (WrTemplatesView *self,
         Pending          pending,
         WrTemplate      *item)
{
  AdwMessageDialog *dialog;
  GtkRoot *root;
  g_autofree char *name = NULL;

  self->pending = pending;
  g_set_object (&self->pending_item, item);

  if (!is_dirty (self))
    {
      perform_pending (self);
      return;
    }

  if (self->saving)
    return;   /* performed once the save is done */

  name = dup_name (self);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Save Changes?"), NULL));
  if (*name != '\0')
    /* TRANSLATORS: %s is a template name */
    adw_message_dialog_format_body (dialog, _("“%s” has changes that are not saved. Changes you do not save are lost."), name);
  else
    adw_message_dialog_set_body (dialog, _("The new template is not saved. If you do not save it, it is lost."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  request (WR_TEMPLATES_VIEW (widget), PENDING_NEW, NULL);
}

static void
on_list_activate_cb (WrTemplatesView *self,
                     guint            position)
{
  g_autoptr(WrTemplate) item = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (item == NULL)
    return;

  if (self->editor_open && self->editing != NULL
      && g_strcmp0 (wr_template_get_id (self->editing), wr_template_get_id (item)) == 0)
    {
      adw_leaflet_set_visible_child_name (self->leaflet, "editor");
      focus_editor_widget (self, GTK_WIDGET (self->content_view));
      return;
    }

  request (self, PENDING_OPEN, item);
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  WrTemplatesView *self = WR_TEMPLATES_VIEW (widget);

  self->focus_target = NULL;
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* What a store call needs back in its callback. */
typedef struct
{
  WrTemplatesView *self;        /* owned */
  WrTemplate      *template_;   /* owned, nullable */
  char            *id;          /* nullable */
} OpData;

static OpData *
op_data_new (WrTemplatesView *self,
             WrTemplate      *template_,
             const char      *id)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  g_set_object (&data->template_, template_);
  data->id = g_strdup (id);

  return data;
}

static void
op_data_free (OpData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->template_);
  g_free (data->id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpData, op_data_free)

/* Delete */

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OpData) data = user_data;
  WrTemplatesView *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *id = wr_template_get_id (data->template_);
  guint position;

  self->n_busy--;
  if (!wr_store_delete_template_finish (WR_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message, FALSE);
      return;
    }

  position = find_position (G_LIST_MODEL (self->templates), id);
  if (position != G_MAXUINT)
    g_list_store_remove (self->templates, position);
  /* Projects that used it now use none. */
  if (g_strcmp0 (self->project_template_id, id) == 0)
    g_clear_pointer (&self->project_template_id, g_free);
  if (self->editing != NULL && g_strcmp0 (wr_template_get_id (self->editing), id) == 0)
    close_editor (self);

  update_list_stack (self);
  update_project (self);

  /* TRANSLATORS: %s is a template name */
  title = g_strdup_printf (_("“%s” deleted"), wr_template_get_name (data->template_));
  add_toast (self, title);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       WrTemplatesView  *self)
{
  WrTemplate *template_ = g_object_get_data (G_OBJECT (dialog), "wr-template");

  if (g_strcmp0 (response, "delete") != 0 || template_ == NULL)
    return;

  self->n_busy++;
  wr_store_delete_template_async (get_store (self), wr_template_get_id (template_), self->cancellable,
                                  on_deleted_cb, op_data_new (self, template_, NULL));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  WrTemplatesView *self = WR_TEMPLATES_VIEW (widget);
  AdwMessageDialog *dialog;

  if (self->editing == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (wr_gui_confirm_dialog_new (widget, NULL,
                                                          _("Chats and projects that use it go on without instructions. This cannot be undone."),
                                                          "delete", _("_Delete")));
  /* TRANSLATORS: %s is a template name */
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"), wr_template_get_name (self->editing));
  g_object_set_data_full (G_OBJECT (dialog), "wr-template", g_object_ref (self->editing), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The project's template */

static void
on_use_set_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OpData) data = user_data;
  WrTemplatesView *self = data->self;
  g_autoptr(GError) error = NULL;

  self->n_busy--;
  if (!wr_store_set_template_for_finish (WR_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->setting_use = FALSE;
      set_error (self, error->message, FALSE);
      update_project (self);
      return;
    }

  self->setting_use = FALSE;
  g_free (self->project_template_id);
  self->project_template_id = g_steal_pointer (&data->id);
  update_project (self);
}

static void
on_use_switch_cb (WrTemplatesView *self)
{
  gboolean active = gtk_switch_get_active (self->use_switch);
  OpData *data;

  if (self->filling)
    return;

  if (self->project == NULL || self->editing == NULL || self->setting_use)
    {
      update_project (self);
      return;
    }

  data = op_data_new (self, NULL, active ? wr_template_get_id (self->editing) : NULL);

  self->setting_use = TRUE;
  self->n_busy++;
  set_error (self, NULL, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->use_row), FALSE);
  wr_store_set_template_for_async (get_store (self), "project", wr_project_get_id (self->project),
                                   data->id, self->project_cancellable, on_use_set_cb, data);
}

static void
on_project_template_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(WrTemplatesView) self = user_data;
  g_autoptr(GError) error = NULL;
  char *id;

  self->n_busy--;
  id = wr_store_get_template_for_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      /* TRANSLATORS: %s is the reason */
      g_autofree char *title = g_strdup_printf (_("Could not read the project’s template: %s"), error->message);

      add_toast (self, title);
    }

  g_free (self->project_template_id);
  self->project_template_id = id;
  update_project (self);
}

static void
on_project_name_cb (WrTemplatesView *self)
{
  update_project (self);
}

/* Search and list rows */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  WrTemplatesView *self = user_data;
  g_autofree char *name = NULL;
  g_autofree char *content = NULL;

  if (self->search == NULL)
    return TRUE;

  name = g_utf8_casefold (wr_template_get_name (item), -1);
  if (strstr (name, self->search) != NULL)
    return TRUE;

  content = g_utf8_casefold (wr_template_get_content (item), -1);
  return strstr (content, self->search) != NULL;
}

static void
on_search_changed_cb (WrTemplatesView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list_stack (self);
  sync_selection (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              WrTemplatesView          *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *line = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_margin_top (labels, 3);
  gtk_widget_set_margin_bottom (labels, 3);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (line), 0);
  gtk_label_set_ellipsize (GTK_LABEL (line), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (line, "caption");
  gtk_widget_add_css_class (line, "dim-label");
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), line);
  gtk_box_append (GTK_BOX (row), labels);

  gtk_widget_set_visible (check, FALSE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("Used by this project"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Used by this project"), -1);
  gtk_box_append (GTK_BOX (row), check);

  g_object_set_data (G_OBJECT (row), "wr-name", name);
  g_object_set_data (G_OBJECT (row), "wr-line", line);
  g_object_set_data (G_OBJECT (row), "wr-check", check);
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             WrTemplatesView          *self)
{
  WrTemplate *template_ = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  g_autofree char *line = first_line (wr_template_get_content (template_));
  const char *id = wr_template_get_id (template_);

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "wr-name"), wr_template_get_name (template_));
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "wr-line"),
                      line != NULL ? line : _("No instructions yet"));
  g_object_set_data_full (G_OBJECT (row), "wr-template-id", g_strdup (id), g_free);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "wr-check"),
                          id != NULL && g_strcmp0 (id, self->project_template_id) == 0);
  g_ptr_array_add (self->bound_rows, row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               WrTemplatesView          *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (self->bound_rows != NULL)
    g_ptr_array_remove_fast (self->bound_rows, row);
}

static void
on_editor_changed_cb (WrTemplatesView *self)
{
  g_autofree char *problem = NULL;
  gboolean about_name;

  if (self->filling)
    return;

  problem = check_editor (self, &about_name);
  set_error (self, problem, about_name);
  update_actions (self);
}

static void
on_name_activate_cb (WrTemplatesView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->content_view));
}

static void
on_leaflet_folded_cb (WrTemplatesView *self)
{
  gtk_widget_set_visible (self->back_button, adw_leaflet_get_folded (self->leaflet));
}

static void
wr_templates_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WrTemplatesView *self = WR_TEMPLATES_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_templates_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WrTemplatesView *self = WR_TEMPLATES_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      wr_templates_view_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_templates_view_dispose (GObject *object)
{
  WrTemplatesView *self = WR_TEMPLATES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->project_cancellable);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_TEMPLATES_VIEW);

  g_clear_pointer (&self->bound_rows, g_ptr_array_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->templates);
  g_clear_object (&self->editing);
  g_clear_object (&self->pending_item);
  g_clear_object (&self->project);
  g_clear_object (&self->project_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_templates_view_parent_class)->dispose (object);
}

static void
wr_templates_view_finalize (GObject *object)
{
  WrTemplatesView *self = WR_TEMPLATES_VIEW (object);

  g_free (self->project_template_id);
  g_free (self->search);

  G_OBJECT_CLASS (wr_templates_view_parent_class)->finalize (object);
}

static void
wr_templates_view_class_init (WrTemplatesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wr_templates_view_get_property;
  object_class->set_property = wr_templates_view_set_property;
  object_class->dispose = wr_templates_view_dispose;
  object_class->finalize = wr_templates_view_finalize;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/templates/wr-templates-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, project_label);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, list_view);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, none_page);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, back_button);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, name_entry);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, delete_button);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, save_button);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, content_view);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, error_label);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, use_row);
  gtk_widget_class_bind_template_child (widget_class, WrTemplatesView, use_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_use_switch_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);

  gtk_widget_class_install_action (widget_class, "templates.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "templates.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "templates.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "templates.show-list", NULL, show_list_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "templates.save", NULL);
}

static void
wr_templates_view_init (WrTemplatesView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->cancellable = g_cancellable_new ();
  self->project_cancellable = g_cancellable_new ();
  self->bound_rows = g_ptr_array_new ();
  self->templates = g_list_store_new (WR_TYPE_TEMPLATE);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->templates)),
                                           GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (gtk_text_view_get_buffer (self->content_view), "changed",
                           G_CALLBACK (on_editor_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::child-transition-running",
                           G_CALLBACK (on_leaflet_transition_cb), self, G_CONNECT_SWAPPED);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  on_leaflet_folded_cb (self);
  update_actions (self);
}

GtkWidget *
wr_templates_view_new (WrSession *session)
{
  WrTemplatesView *self;

  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  self = g_object_new (WR_TYPE_TEMPLATES_VIEW, NULL);
  self->session = g_object_ref (session);
  update_project (self);
  reload (self);

  return GTK_WIDGET (self);
}

void
wr_templates_view_set_project (WrTemplatesView *self,
                               WrProject       *project)
{
  g_return_if_fail (WR_IS_TEMPLATES_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);

  /* What the previous project used says nothing about this one. */
  g_cancellable_cancel (self->project_cancellable);
  g_clear_object (&self->project_cancellable);
  self->project_cancellable = g_cancellable_new ();
  self->setting_use = FALSE;
  g_clear_pointer (&self->project_template_id, g_free);

  if (project != NULL && self->session != NULL)
    {
      g_signal_connect_object (project, "notify::name", G_CALLBACK (on_project_name_cb),
                               self, G_CONNECT_SWAPPED);
      self->n_busy++;
      wr_store_get_template_for_async (get_store (self), "project", wr_project_get_id (project),
                                       self->project_cancellable, on_project_template_cb,
                                       g_object_ref (self));
      /* Another window or the CLI may have changed the templates. */
      if (self->loaded)
        reload (self);
    }

  update_project (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

WrProject *
wr_templates_view_get_project (WrTemplatesView *self)
{
  g_return_val_if_fail (WR_IS_TEMPLATES_VIEW (self), NULL);

  return self->project;
}

/* For tests */

GListModel *
_wr_templates_view_get_templates (WrTemplatesView *self)
{
  return G_LIST_MODEL (self->templates);
}

GListModel *
_wr_templates_view_get_shown (WrTemplatesView *self)
{
  return G_LIST_MODEL (self->shown);
}

gboolean
_wr_templates_view_get_busy (WrTemplatesView *self)
{
  return self->n_busy > 0;
}

WrTemplate *
_wr_templates_view_get_editing (WrTemplatesView *self)
{
  return self->editing;
}

gboolean
_wr_templates_view_get_editor_open (WrTemplatesView *self)
{
  return self->editor_open;
}

const char *
_wr_templates_view_get_project_template_id (WrTemplatesView *self)
{
  return self->project_template_id;
}
