/* wr-model-selector.c — the model button in a chat's header.
 *
 * The popover lists the session's model catalogue (chat models only) in a
 * GtkListView, a provider heading above the first model of each provider.
 * Opening it refreshes the catalogue when it is older than a minute, and
 * reloads the instruction templates and the one the chat uses. Choosing
 * saves a copy of the chat (the service may be reading the original in a
 * worker), so nothing here blocks or races the send path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-model-selector.h"
#include "wr-model-selector-private.h"
#include "wr-model-row.h"
#include "store/wr-template.h"

/* The catalogue is asked again when the popover opens after this long. */
#define STALE_USEC (60 * G_USEC_PER_SEC)

struct _WrModelSelector
{
  AdwBin              parent_instance;

  WrSession          *session;            /* owned, nullable until set */
  WrChat             *chat;               /* owned, nullable */
  WrProject          *project;            /* owned, nullable */
  WrModelCatalog     *catalog;            /* owned, nullable */
  GtkFilterListModel *models;             /* owned: the catalogue's chat models */
  GCancellable       *cancellable;        /* the widget's lifetime */
  GCancellable       *chat_cancellable;   /* reads for the current chat */
  GPtrArray          *bound;              /* GtkListItem bound to rows (unowned) */
  char               *profile_model;      /* the profile's default, nullable */
  char               *template_id;        /* the chat's instructions, nullable */
  char               *label_text;
  guint               pending;

  GtkWidget          *button;             /* the AdwBin's child */

  /* template children (not the AdwBin's own child: AdwBin unparents it,
   * dispose_template() must not) */
  GtkLabel           *label;
  GtkWidget          *popover;
  GtkWidget          *spinner;
  GtkWidget          *refresh_button;
  GtkWidget          *default_button;
  WrModelRow         *default_row;
  GtkWidget          *scroller;
  GtkListView        *list;
  GtkWidget          *empty_label;
  GtkListBox         *templates_list;
  GtkLabel           *templates_status;
};

G_DEFINE_FINAL_TYPE (WrModelSelector, wr_model_selector, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CHAT,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static WrStore *
get_store (WrModelSelector *self)
{
  return wr_session_get_store (self->session);
}

static void
toast (WrModelSelector *self,
       const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_message ("%s", text);
}

static gboolean
chat_is_busy (WrModelSelector *self)
{
  return self->chat != NULL && self->session != NULL &&
         wr_chat_service_is_busy (wr_session_get_chat_service (self->session), wr_chat_get_id (self->chat));
}

/* The model a chat without its own gets, as the chat service resolves it:
 * project > profile > $WORKROOM_DEFAULT_MODEL > the default provider's
 * default > the first available. @out_origin says which. */
static char *
dup_default_model (WrModelSelector  *self,
                   const char      **out_origin)
{
  const char *model;
  WrProvider *provider;

  if ((model = nonempty (self->project != NULL ? wr_project_get_default_model (self->project) : NULL)) != NULL)
    {
      *out_origin = _("This project’s default");
      return g_strdup (model);
    }
  if ((model = nonempty (self->profile_model)) != NULL ||
      (model = nonempty (g_getenv ("WORKROOM_DEFAULT_MODEL"))) != NULL)
    {
      *out_origin = _("Your default, from Preferences");
      return g_strdup (model);
    }

  provider = self->session != NULL ? wr_provider_registry_get_default (wr_session_get_providers (self->session)) : NULL;
  if (provider != NULL && (model = nonempty (wr_provider_get_default_model (provider))) != NULL)
    {
      *out_origin = _("The provider’s default");
      return g_strdup (model);
    }

  if (self->catalog != NULL)
    {
      g_autoptr(WrModelInfo) first = wr_model_catalog_get_first_available (self->catalog);

      if (first != NULL)
        {
          *out_origin = _("The first model available");
          return g_strdup (wr_model_info_get_name (first));
        }
    }

  *out_origin = _("Chosen when you send");
  return NULL;
}

static gboolean
info_is_current (WrModelSelector *self,
                 WrModelInfo     *info)
{
  const char *model = self->chat != NULL ? nonempty (wr_chat_get_model (self->chat)) : NULL;
  const char *provider_id = self->chat != NULL ? nonempty (wr_chat_get_provider_id (self->chat)) : NULL;

  return model != NULL && g_strcmp0 (wr_model_info_get_name (info), model) == 0 &&
         (provider_id == NULL || g_strcmp0 (wr_model_info_get_provider_id (info), provider_id) == 0);
}

static void
update_checks (WrModelSelector *self)
{
  for (guint i = 0; i < self->bound->len; i++)
    {
      GtkListItem *item = g_ptr_array_index (self->bound, i);
      WrModelInfo *info = gtk_list_item_get_item (item);
      GtkWidget *row = gtk_list_item_get_child (item);

      if (info != NULL && row != NULL)
        wr_model_row_set_selected (WR_MODEL_ROW (row), info_is_current (self, info));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->templates_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = GTK_IS_LIST_BOX_ROW (child) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child)) : NULL;

      if (WR_IS_MODEL_ROW (row))
        wr_model_row_set_selected (WR_MODEL_ROW (row),
                                   g_strcmp0 (g_object_get_data (G_OBJECT (child), "wr-template-id"),
                                              self->template_id) == 0);
    }
}

static void
update_label (WrModelSelector *self)
{
  const char *model = self->chat != NULL ? nonempty (wr_chat_get_model (self->chat)) : NULL;
  const char *origin = NULL;
  g_autofree char *default_model = dup_default_model (self, &origin);
  g_autofree char *default_title = NULL;
  g_autofree char *tooltip = NULL;
  guint n = self->models != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->models)) : 0;

  /* TRANSLATORS: the model a chat uses when it has none of its own */
  default_title = default_model != NULL ? g_strdup_printf (_("Default (%s)"), default_model)
                                        : g_strdup (_("Default"));

  g_free (self->label_text);
  self->label_text = g_strdup (model != NULL ? model : default_title);
  gtk_label_set_text (self->label, self->label_text);

  if (model != NULL && self->catalog != NULL)
    {
      g_autoptr(WrModelInfo) info = wr_model_catalog_lookup (self->catalog, model,
                                                             nonempty (wr_chat_get_provider_id (self->chat)));

      if (info != NULL)
        /* TRANSLATORS: first %s is a model, second its provider */
        tooltip = g_strdup_printf (_("%s from %s. Choose another model or instructions for this chat."),
                                   model, wr_model_info_get_provider_name (info));
    }
  gtk_widget_set_tooltip_text (self->button,
                               tooltip != NULL ? tooltip : _("Choose the model and instructions for this chat."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->label_text,
                                  -1);

  wr_model_row_set_text (self->default_row, default_title, origin);
  wr_model_row_set_selected (self->default_row, model == NULL);

  gtk_widget_set_visible (self->scroller, n > 0);
  gtk_widget_set_visible (self->empty_label, n == 0 && self->catalog != NULL &&
                                             !wr_model_catalog_get_refreshing (self->catalog));
  update_checks (self);
}

/* Profile ------------------------------------------------------------------ */

static void
on_profile_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrModelSelector) self = user_data;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = wr_store_get_profile_finish (WR_STORE (object), result, &error);
  self->pending--;
  if (profile == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the profile: %s", error->message);
      return;
    }

  g_free (self->profile_model);
  self->profile_model = g_strdup (nonempty (wr_profile_get_default_model (profile)));
  update_label (self);
}

static void
load_profile (WrModelSelector *self)
{
  self->pending++;
  wr_store_get_profile_async (get_store (self), self->cancellable, on_profile_loaded_cb, g_object_ref (self));
}

/* Choosing a model ------------------------------------------------------------ */

static WrChat *
chat_copy (WrChat *chat)
{
  WrChat *copy = wr_chat_new ();

  wr_chat_set_id (copy, wr_chat_get_id (chat));
  wr_chat_set_project_id (copy, wr_chat_get_project_id (chat));
  wr_chat_set_title (copy, wr_chat_get_title (chat));
  wr_chat_set_model (copy, wr_chat_get_model (chat));
  wr_chat_set_provider_id (copy, wr_chat_get_provider_id (chat));
  wr_chat_set_created_at (copy, wr_chat_get_created_at (chat));
  wr_chat_set_updated_at (copy, wr_chat_get_updated_at (chat));

  return copy;
}

static void
on_chat_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WrModelSelector) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!wr_store_save_chat_finish (WR_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the model for this chat: %s"), error->message);

      toast (self, text);
    }
}

static void
choose (WrModelSelector *self,
        const char      *model,
        const char      *provider_id)
{
  g_autoptr(WrChat) copy = NULL;

  if (self->chat == NULL || self->session == NULL)
    return;

  if (chat_is_busy (self))
    {
      toast (self, _("A reply is still being written. Choose the model again when it is done."));
      return;
    }

  /* In memory first: the next send uses it even before the save is done. */
  wr_chat_set_model (self->chat, model);
  wr_chat_set_provider_id (self->chat, provider_id);
  copy = chat_copy (self->chat);

  self->pending++;
  wr_store_save_chat_async (get_store (self), copy, self->cancellable, on_chat_saved_cb, g_object_ref (self));

  update_label (self);
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_list_activate_cb (WrModelSelector *self,
                     guint            position)
{
  g_autoptr(WrModelInfo) info = g_list_model_get_item (G_LIST_MODEL (self->models), position);

  if (info == NULL || !wr_model_info_get_available (info))
    return;

  choose (self, wr_model_info_get_name (info), wr_model_info_get_provider_id (info));
}

static void
on_default_activated_cb (WrModelSelector *self)
{
  choose (self, NULL, NULL);
}

/* Instructions ------------------------------------------------------------------ */

static GtkWidget *
template_row_new (const char *id,
                  const char *title,
                  const char *caption)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *child = wr_model_row_new ();

  wr_model_row_set_text (WR_MODEL_ROW (child), title, caption);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  g_object_set_data_full (G_OBJECT (row), "wr-template-id", g_strdup (id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return row;
}

static char *
first_line (const char *content)
{
  g_autofree char *line = g_strndup (content, strcspn (content, "\n"));

  if (g_utf8_strlen (line, -1) > 60)
    {
      g_autofree char *head = g_utf8_substring (line, 0, 59);
      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&line);
}

static void
set_templates_status (WrModelSelector *self,
                      const char      *text)
{
  gtk_label_set_text (self->templates_status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->templates_status), text != NULL);
}

typedef struct {
  WrModelSelector *self;
  GPtrArray       *templates;   /* element-type WrTemplate */
} TemplatesLoad;

static void
templates_load_free (TemplatesLoad *load)
{
  g_clear_object (&load->self);
  g_clear_pointer (&load->templates, g_ptr_array_unref);
  g_free (load);
}

static void
fill_templates (WrModelSelector *self,
                GPtrArray       *templates)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->templates_list))) != NULL)
    gtk_list_box_remove (self->templates_list, child);

  gtk_list_box_append (self->templates_list,
                       template_row_new (NULL, _("None"), _("No system prompt beyond the project’s")));
  for (guint i = 0; i < templates->len; i++)
    {
      WrTemplate *template_ = g_ptr_array_index (templates, i);
      g_autofree char *caption = first_line (wr_template_get_content (template_));

      gtk_list_box_append (self->templates_list,
                           template_row_new (wr_template_get_id (template_), wr_template_get_name (template_),
                                             caption));
    }

  set_templates_status (self, templates->len == 0
                              ? _("Write instructions on the Instructions page to use them here.")
                              : NULL);
  update_checks (self);
}

static void
on_chat_template_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TemplatesLoad *load = user_data;
  WrModelSelector *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = wr_store_get_template_for_finish (WR_STORE (object), result, &error);
  self->pending--;
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_templates_status (self, error->message);
      templates_load_free (load);
      return;
    }

  g_free (self->template_id);
  self->template_id = g_steal_pointer (&id);
  fill_templates (self, load->templates);
  templates_load_free (load);
}

static void
on_templates_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TemplatesLoad *load = user_data;
  WrModelSelector *self = load->self;
  g_autoptr(GError) error = NULL;

  load->templates = wr_store_list_templates_finish (WR_STORE (object), result, &error);
  if (load->templates == NULL || self->chat == NULL)
    {
      self->pending--;
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not read the instructions: %s"), error->message);
          set_templates_status (self, text);
        }
      templates_load_free (load);
      return;
    }

  wr_store_get_template_for_async (WR_STORE (object), "chat", wr_chat_get_id (self->chat),
                                   self->chat_cancellable, on_chat_template_cb, load);
}

static void
load_templates (WrModelSelector *self)
{
  TemplatesLoad *load;

  if (self->chat == NULL || self->session == NULL)
    return;

  load = g_new0 (TemplatesLoad, 1);
  load->self = g_object_ref (self);
  self->pending++;
  wr_store_list_templates_async (get_store (self), self->chat_cancellable, on_templates_listed_cb, load);
}

typedef struct {
  WrModelSelector *self;
  char            *template_id;
} TemplateSet;

static void
on_template_set_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TemplateSet *set = user_data;
  WrModelSelector *self = set->self;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (wr_store_set_template_for_finish (WR_STORE (object), result, &error))
    {
      g_free (self->template_id);
      self->template_id = g_steal_pointer (&set->template_id);
      set_templates_status (self, NULL);
      update_checks (self);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not use these instructions: %s"), error->message);

      set_templates_status (self, text);
    }

  g_object_unref (set->self);
  g_free (set->template_id);
  g_free (set);
}

static void
on_template_activated_cb (WrModelSelector *self,
                          GtkListBoxRow   *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "wr-template-id");
  TemplateSet *set;

  if (self->chat == NULL || g_strcmp0 (id, self->template_id) == 0)
    return;

  set = g_new0 (TemplateSet, 1);
  set->self = g_object_ref (self);
  set->template_id = g_strdup (id);
  self->pending++;
  wr_store_set_template_for_async (get_store (self), "chat", wr_chat_get_id (self->chat), id,
                                   self->chat_cancellable, on_template_set_cb, set);
}

/* Catalogue ------------------------------------------------------------------- */

static void
on_refresh_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrModelSelector) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not list the models: %s"), error->message);
      toast (self, text);
    }
}

static void
refresh (WrModelSelector *self)
{
  if (self->catalog == NULL || wr_model_catalog_get_refreshing (self->catalog))
    return;

  wr_model_catalog_refresh_async (self->catalog, self->cancellable, on_refresh_done_cb, g_object_ref (self));
}

static void
on_refreshing_cb (WrModelSelector *self)
{
  gboolean refreshing = wr_model_catalog_get_refreshing (self->catalog);

  gtk_widget_set_visible (self->spinner, refreshing);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), refreshing);
  gtk_widget_set_sensitive (self->refresh_button, !refreshing);
  update_label (self);
}

static void
on_refresh_clicked_cb (WrModelSelector *self)
{
  refresh (self);
}

static void
on_popover_show_cb (WrModelSelector *self)
{
  gint64 refreshed_at;
  gboolean busy = chat_is_busy (self);

  if (self->session == NULL)
    return;

  refreshed_at = wr_model_catalog_get_refreshed_at (self->catalog);
  if (refreshed_at == 0 || g_get_real_time () - refreshed_at > STALE_USEC)
    refresh (self);

  /* While a reply streams, the chat's model stays. */
  gtk_widget_set_sensitive (self->scroller, !busy);
  gtk_widget_set_sensitive (self->default_button, !busy);

  load_profile (self);
  load_templates (self);
  update_label (self);
}

static gboolean
filter_chat_models (gpointer item,
                    gpointer user_data)
{
  return wr_model_info_has_capability (item, WR_MODEL_CAPABILITY_CHAT);
}

/* Rows ------------------------------------------------------------------------- */

static void
on_item_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  WrModelSelector          *self)
{
  gtk_list_item_set_child (item, wr_model_row_new ());
}

static void
on_item_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 WrModelSelector          *self)
{
  WrModelInfo *info = gtk_list_item_get_item (item);
  WrModelRow *row = WR_MODEL_ROW (gtk_list_item_get_child (item));
  guint position = gtk_list_item_get_position (item);
  g_autoptr(WrModelInfo) before = NULL;
  gboolean available = wr_model_info_get_available (info);

  if (position > 0)
    before = g_list_model_get_item (G_LIST_MODEL (self->models), position - 1);

  wr_model_row_set_info (row, info);
  wr_model_row_set_header (row, before == NULL ||
                                g_strcmp0 (wr_model_info_get_provider_id (before),
                                           wr_model_info_get_provider_id (info)) != 0
                                ? wr_model_info_get_provider_name (info) : NULL);
  wr_model_row_set_selected (row, info_is_current (self, info));
  gtk_list_item_set_activatable (item, available);
  g_ptr_array_add (self->bound, item);
}

static void
on_item_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   WrModelSelector          *self)
{
  g_ptr_array_remove_fast (self->bound, item);
}

/* The default's name may be the first available model. */
static void
on_models_changed_cb (WrModelSelector *self,
                      guint            position,
                      guint            removed,
                      guint            added)
{
  update_label (self);
}

/* GObject ------------------------------------------------------------------------ */

static void
wr_model_selector_dispose (GObject *object)
{
  WrModelSelector *self = WR_MODEL_SELECTOR (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->chat_cancellable);
  /* The chat and the project outlive this widget (the service may still
   * change the chat's model). */
  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_data (self->catalog, self);
  if (self->chat != NULL)
    g_signal_handlers_disconnect_by_data (self->chat, self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  if (self->bound != NULL)
    g_ptr_array_set_size (self->bound, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_MODEL_SELECTOR);

  g_clear_object (&self->models);
  g_clear_object (&self->catalog);
  g_clear_object (&self->chat);
  g_clear_object (&self->project);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chat_cancellable);

  G_OBJECT_CLASS (wr_model_selector_parent_class)->dispose (object);
}

static void
wr_model_selector_finalize (GObject *object)
{
  WrModelSelector *self = WR_MODEL_SELECTOR (object);

  g_clear_pointer (&self->bound, g_ptr_array_unref);
  g_free (self->profile_model);
  g_free (self->template_id);
  g_free (self->label_text);

  G_OBJECT_CLASS (wr_model_selector_parent_class)->finalize (object);
}

static void
wr_model_selector_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WrModelSelector *self = WR_MODEL_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CHAT:
      g_value_set_object (value, self->chat);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_model_selector_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WrModelSelector *self = WR_MODEL_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      wr_model_selector_set_session (self, g_value_get_object (value));
      break;
    case PROP_CHAT:
      wr_model_selector_set_chat (self, g_value_get_object (value));
      break;
    case PROP_PROJECT:
      wr_model_selector_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_model_selector_class_init (WrModelSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_model_selector_dispose;
  object_class->finalize = wr_model_selector_finalize;
  object_class->get_property = wr_model_selector_get_property;
  object_class->set_property = wr_model_selector_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHAT] =
    g_param_spec_object ("chat", NULL, NULL, WR_TYPE_CHAT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WR_TYPE_MODEL_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/models/wr-model-selector.ui");
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, label);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, popover);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, default_button);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, default_row);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, scroller);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, list);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, empty_label);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, templates_list);
  gtk_widget_class_bind_template_child (widget_class, WrModelSelector, templates_status);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_default_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_template_activated_cb);
}

static void
wr_model_selector_init (WrModelSelector *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->button = adw_bin_get_child (ADW_BIN (self));

  self->cancellable = g_cancellable_new ();
  self->chat_cancellable = g_cancellable_new ();
  self->bound = g_ptr_array_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_item_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_item_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_item_unbind_cb), self);
  gtk_list_view_set_factory (self->list, factory);

  update_label (self);
}

/* API ------------------------------------------------------------------------------ */

GtkWidget *
wr_model_selector_new (WrSession *session)
{
  return g_object_new (WR_TYPE_MODEL_SELECTOR, "session", session, NULL);
}

void
wr_model_selector_set_session (WrModelSelector *self,
                               WrSession       *session)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (WR_IS_MODEL_SELECTOR (self));
  g_return_if_fail (session == NULL || WR_IS_SESSION (session));

  if (session == self->session)
    return;

  /* Set once: a selector belongs to one session's chat view. */
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->catalog = g_object_ref (wr_session_get_model_catalog (session));
  self->models = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->catalog)),
                                            GTK_FILTER (gtk_custom_filter_new (filter_chat_models, NULL, NULL)));
  g_signal_connect_object (self->models, "items-changed", G_CALLBACK (on_models_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->catalog, "notify::refreshing", G_CALLBACK (on_refreshing_cb), self,
                           G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->models)));
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (selection));

  load_profile (self);
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
wr_model_selector_set_chat (WrModelSelector *self,
                            WrChat          *chat)
{
  g_return_if_fail (WR_IS_MODEL_SELECTOR (self));
  g_return_if_fail (chat == NULL || WR_IS_CHAT (chat));

  if (chat == self->chat)
    return;

  if (self->chat != NULL)
    g_signal_handlers_disconnect_by_func (self->chat, update_label, self);

  g_cancellable_cancel (self->chat_cancellable);
  g_clear_object (&self->chat_cancellable);
  self->chat_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->template_id, g_free);

  g_set_object (&self->chat, chat);
  /* The service records the model it used on the chat after a send. */
  if (chat != NULL)
    {
      g_signal_connect_object (chat, "notify::model", G_CALLBACK (update_label), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (chat, "notify::provider-id", G_CALLBACK (update_label), self, G_CONNECT_SWAPPED);
    }

  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT]);
}

WrChat *
wr_model_selector_get_chat (WrModelSelector *self)
{
  g_return_val_if_fail (WR_IS_MODEL_SELECTOR (self), NULL);
  return self->chat;
}

void
wr_model_selector_set_project (WrModelSelector *self,
                               WrProject       *project)
{
  g_return_if_fail (WR_IS_MODEL_SELECTOR (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (project == self->project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, update_label, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "notify::default-model", G_CALLBACK (update_label), self,
                             G_CONNECT_SWAPPED);

  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

const char *
wr_model_selector_get_label (WrModelSelector *self)
{
  g_return_val_if_fail (WR_IS_MODEL_SELECTOR (self), NULL);
  return self->label_text;
}

/* Private API for tests ----------------------------------------------------------- */

GtkWidget *
_wr_model_selector_get_button (WrModelSelector *self)
{
  return self->button;
}

GtkWidget *
_wr_model_selector_get_popover (WrModelSelector *self)
{
  return self->popover;
}

GListModel *
_wr_model_selector_get_models (WrModelSelector *self)
{
  return G_LIST_MODEL (self->models);
}

GtkWidget *
_wr_model_selector_get_list (WrModelSelector *self)
{
  return GTK_WIDGET (self->list);
}

GtkWidget *
_wr_model_selector_get_default_button (WrModelSelector *self)
{
  return self->default_button;
}

GtkListBox *
_wr_model_selector_get_templates_list (WrModelSelector *self)
{
  return self->templates_list;
}

guint
_wr_model_selector_get_pending (WrModelSelector *self)
{
  return self->pending;
}

const char *
_wr_model_selector_get_template_id (WrModelSelector *self)
{
  return self->template_id;
}
