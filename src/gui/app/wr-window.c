/* wr-window.c — main window: loading / error / welcome / main states, the
 * project sidebar and the selected project's pages. */
#include <glib/gi18n.h>

#include "wr-window.h"
#include "wr-chat-view.h"
#include "wr-data-view.h"
#include "wr-humanize-view.h"
#include "wr-knowledge-view.h"
#include "wr-artifacts-view.h"
#include "wr-usage-view.h"
#include "wr-templates-view.h"
#include "projects/wr-project-sidebar.h"
#include "wr-project-settings.h"

struct _WrWindow
{
  AdwApplicationWindow parent_instance;

  WrSession         *session;          /* owned, nullable until opened */
  GSettings         *settings;         /* owned, nullable */
  GtkWidget         *chat_view;        /* owned by view_stack */
  WrProject         *project;          /* owned, nullable: the selected one */
  GCancellable      *cancellable;      /* owned */
  WrProvider        *ollama;           /* owned, nullable: found by the first-start probe */
  guint              skipped_welcome : 1;
  guint              sidebar_visible : 1;
  guint              probed_ollama : 1;
  guint              adding_ollama : 1;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_box;
  GtkWidget            *sidebar_separator;
  WrProjectSidebar     *sidebar;
  GtkStack             *content_stack;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *project_menu_button;
  GtkWidget            *ollama_offer;
  GtkLabel             *ollama_label;
  GtkWidget            *add_provider_button;
  GtkWidget            *detect_ollama_button;
};

G_DEFINE_FINAL_TYPE (WrWindow, wr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SIDEBAR_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static WrApplication *
get_app (WrWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? WR_APPLICATION (app) : NULL;
}

static gboolean
invert_boolean (gpointer unused,
                gboolean value)
{
  return !value;
}

/* The store's messages already say what to do next (move a damaged file
 * aside, free disk space, ...); add where the data lives. */
static char *
describe_open_error (const GError *error)
{
  g_autofree char *dir = wr_store_default_dir ();

  /* TRANSLATORS: %1$s is the error, %2$s the data folder */
  return g_strdup_printf (_("%1$s\n\nData folder: %2$s"), error->message, dir);
}

static void
update_actions (WrWindow *self)
{
  WrProject *project = wr_project_sidebar_get_selected_project (self->sidebar);
  gboolean has_project = project != NULL && self->chat_view != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-project", self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.project-settings", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-chat", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-composer", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.use-ollama",
                                 self->session != NULL && self->ollama != NULL && !self->adding_ollama);
  gtk_widget_set_sensitive (self->project_menu_button, has_project);
}

static void
update_content (WrWindow *self)
{
  WrApplication *app = get_app (self);
  const GError *error = app != NULL ? wr_application_get_open_error (app) : NULL;
  const char *page;

  if (error != NULL)
    {
      g_autofree char *description = describe_open_error (error);

      adw_status_page_set_description (self->error_page, description);
      page = "error";
    }
  else if (self->session == NULL)
    page = "loading";
  /* The welcome page is for a first start. Someone who already has projects
   * and removes their last provider keeps their work on screen; the Chat
   * page then offers to add a provider. */
  else if (wr_provider_registry_is_empty (wr_session_get_providers (self->session))
           && !self->skipped_welcome
           && !(wr_project_sidebar_get_loaded (self->sidebar)
                && g_list_model_get_n_items (wr_project_sidebar_get_model (self->sidebar)) > 0))
    page = "welcome";
  else
    page = "main";

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->main_stack, page);

  if (wr_project_sidebar_get_loaded (self->sidebar)
      && g_list_model_get_n_items (wr_project_sidebar_get_model (self->sidebar)) == 0)
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "project");

  update_actions (self);
}

static void
apply_sidebar_visible (WrWindow *self)
{
  gboolean visible = self->sidebar_visible || adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->sidebar_box, visible);
  gtk_widget_set_visible (self->sidebar_separator, visible);
}

static void
on_project_name_changed_cb (WrWindow *self)
{
  adw_view_switcher_title_set_title (self->switcher_title,
                                     self->project != NULL ? wr_project_get_name (self->project) : "");
}

static void
on_sidebar_selected_project_cb (WrWindow *self)
{
  WrProject *project = wr_project_sidebar_get_selected_project (self->sidebar);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_name_changed_cb, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "notify::name",
                             G_CALLBACK (on_project_name_changed_cb), self, G_CONNECT_SWAPPED);
  on_project_name_changed_cb (self);

  if (self->chat_view != NULL)
    wr_chat_view_set_project (WR_CHAT_VIEW (self->chat_view), project);
  {
    GtkWidget *humanize = adw_view_stack_get_child_by_name (self->view_stack, "humanize");

    if (humanize != NULL)
      wr_humanize_view_set_project (WR_HUMANIZE_VIEW (humanize), project);
  }

  {
    GtkWidget *data = adw_view_stack_get_child_by_name (self->view_stack, "data");

    if (data != NULL)
      wr_data_view_set_project (WR_DATA_VIEW (data), project);
  }
  {
    GtkWidget *usage = adw_view_stack_get_child_by_name (self->view_stack, "usage");

    if (usage != NULL)
      wr_usage_view_set_project (WR_USAGE_VIEW (usage), project);
  }
  {
    GtkWidget *templates = adw_view_stack_get_child_by_name (self->view_stack, "instructions");

    if (templates != NULL)
      wr_templates_view_set_project (WR_TEMPLATES_VIEW (templates), project);
  }

  {
    GtkWidget *knowledge = adw_view_stack_get_child_by_name (self->view_stack, "knowledge");

    if (knowledge != NULL)
      wr_knowledge_view_set_project (WR_KNOWLEDGE_VIEW (knowledge), project);
  }

  {
    GtkWidget *artifacts = adw_view_stack_get_child_by_name (self->view_stack, "artifacts");

    if (artifacts != NULL)
      wr_artifacts_view_set_project (WR_ARTIFACTS_VIEW (artifacts), project);
  }

  if (self->settings != NULL && project != NULL
      && wr_project_sidebar_get_loaded (self->sidebar))
    g_settings_set_string (self->settings, "last-project-id", wr_project_get_id (project));

  update_actions (self);
}

static void
on_sidebar_project_activated_cb (WrWindow  *self,
                                 WrProject *project)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_leaflet_folded_cb (WrWindow *self)
{
  apply_sidebar_visible (self);
}

static void
on_project_model_items_changed_cb (WrWindow *self)
{
  update_content (self);
}

static void
on_registry_items_changed_cb (WrWindow *self)
{
  update_content (self);
}

/* First start: the welcome page offers a local Ollama when one answers. */

static void
show_ollama_offer (WrWindow *self,
                   int       n_models)
{
  g_autofree char *text = NULL;

  if (n_models < 0)
    text = g_strdup (_("Ready to use, without an API key"));
  else if (n_models == 0)
    text = g_strdup (_("No models yet: download one with “ollama pull”"));
  else
    /* TRANSLATORS: %d is a number of models */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%d model, ready to use",
                                         "%d models, ready to use",
                                         n_models),
                            n_models);

  gtk_label_set_text (self->ollama_label, text);
  gtk_widget_set_visible (self->ollama_offer, TRUE);
  /* One prominent choice: the found server; the manual way stays. */
  gtk_widget_remove_css_class (self->add_provider_button, "suggested-action");
  gtk_widget_set_visible (self->detect_ollama_button, FALSE);
  update_actions (self);
}

static void
on_ollama_models_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(WrWindow) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  models = wr_provider_list_models_finish (WR_PROVIDER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->ollama == NULL)
    return;

  show_ollama_offer (self, models != NULL ? (int) models->len : -1);
}

static void
on_ollama_detected_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(WrWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->ollama);
  self->ollama = wr_provider_registry_detect_ollama_finish (WR_PROVIDER_REGISTRY (object), result, &error);
  if (self->ollama == NULL)
    {
      /* Quietly: most computers have no Ollama; the welcome page stays. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No local Ollama: %s", error->message);
      return;
    }

  /* Detection keeps only the first model; count them for the offer. */
  wr_provider_list_models_async (self->ollama, self->cancellable,
                                 on_ollama_models_cb, g_object_ref (self));
}

static void
maybe_probe_ollama (WrWindow *self)
{
  const char *host;

  if (self->probed_ollama || self->session == NULL
      || !wr_provider_registry_is_empty (wr_session_get_providers (self->session))
      || g_getenv ("WORKROOM_NO_OLLAMA_DETECT") != NULL)
    return;

  self->probed_ollama = TRUE;

  /* WORKROOM_OLLAMA_PROBE_HOST ("host:port" or a URL) replaces the default
   * 127.0.0.1:11434 for this probe only. Unlike OLLAMA_HOST it does not
   * also define an environment provider, which would skip the welcome
   * page: the GUI test points it at its mock server. */
  host = g_getenv ("WORKROOM_OLLAMA_PROBE_HOST");
  if (host != NULL && *host == '\0')
    host = NULL;

  wr_provider_registry_detect_ollama_async (wr_session_get_providers (self->session), host,
                                            self->cancellable, on_ollama_detected_cb,
                                            g_object_ref (self));
}

static void
on_ollama_added_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add_finish (WR_PROVIDER_REGISTRY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->adding_ollama = FALSE;

  if (provider == NULL)
    {
      /* TRANSLATORS: %s is the reason */
      g_autofree char *title = g_strdup_printf (_("Could not add Ollama: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
      update_actions (self);
      return;
    }

  g_clear_object (&self->ollama);
  gtk_widget_set_visible (self->ollama_offer, FALSE);
  update_actions (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Ollama added. Create a project to start chatting.")));
}

static void
use_ollama_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);

  if (self->session == NULL || self->ollama == NULL || self->adding_ollama)
    return;

  self->adding_ollama = TRUE;
  update_actions (self);
  wr_provider_registry_add_async (wr_session_get_providers (self->session),
                                  "Ollama", "openai", wr_provider_get_base_url (self->ollama), NULL,
                                  self->cancellable, on_ollama_added_cb, g_object_ref (self));
}

static void
setup_session (WrWindow  *self,
               WrSession *session)
{
  g_autofree char *last_id = NULL;
  AdwViewStackPage *page;

  if (self->session == session)
    return;

  g_return_if_fail (self->session == NULL);
  self->session = g_object_ref (session);

  self->chat_view = wr_chat_view_new (session);
  page = adw_view_stack_add_titled (self->view_stack, self->chat_view, "chat", _("Chat"));
  adw_view_stack_page_set_icon_name (page, "wr-chat-symbolic");

  {
    GtkWidget *knowledge = wr_knowledge_view_new (session);

    wr_knowledge_view_set_project (WR_KNOWLEDGE_VIEW (knowledge), self->project);
    page = adw_view_stack_add_titled (self->view_stack, knowledge, "knowledge", _("Knowledge"));
    adw_view_stack_page_set_icon_name (page, "system-search-symbolic");
  }

  {
    GtkWidget *data = wr_data_view_new (session);

    wr_data_view_set_project (WR_DATA_VIEW (data), self->project);
    page = adw_view_stack_add_titled (self->view_stack, data, "data", _("Data"));
    adw_view_stack_page_set_icon_name (page, "x-office-spreadsheet-symbolic");
  }

  {
    GtkWidget *artifacts = wr_artifacts_view_new (session);

    wr_artifacts_view_set_project (WR_ARTIFACTS_VIEW (artifacts), self->project);
    page = adw_view_stack_add_titled (self->view_stack, artifacts, "artifacts", _("Artifacts"));
    adw_view_stack_page_set_icon_name (page, "folder-documents-symbolic");
  }

  {
    GtkWidget *humanize = wr_humanize_view_new (session);

    wr_humanize_view_set_project (WR_HUMANIZE_VIEW (humanize), self->project);
    page = adw_view_stack_add_titled (self->view_stack, humanize, "humanize", _("Humanize"));
    adw_view_stack_page_set_icon_name (page, "wr-humanize-symbolic");
  }

  {
    GtkWidget *templates = wr_templates_view_new (session);

    wr_templates_view_set_project (WR_TEMPLATES_VIEW (templates), self->project);
    page = adw_view_stack_add_titled (self->view_stack, templates, "instructions", _("Instructions"));
    adw_view_stack_page_set_icon_name (page, "wr-instructions-symbolic");
  }

  {
    GtkWidget *usage = wr_usage_view_new (session);

    wr_usage_view_set_project (WR_USAGE_VIEW (usage), self->project);
    page = adw_view_stack_add_titled (self->view_stack, usage, "usage", _("Usage"));
    adw_view_stack_page_set_icon_name (page, "wr-usage-symbolic");
  }

  g_signal_connect_object (wr_session_get_providers (session), "items-changed",
                           G_CALLBACK (on_registry_items_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    last_id = g_settings_get_string (self->settings, "last-project-id");
  wr_project_sidebar_load (self->sidebar, session, last_id);

  update_content (self);
  maybe_probe_ollama (self);
}

static void
on_app_session_changed_cb (WrWindow *self)
{
  WrSession *session = wr_application_get_session (get_app (self));

  if (session != NULL)
    setup_session (self, session);
  update_content (self);
}

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);

  /* The dialog needs the main page behind it, even at first start. */
  self->skipped_welcome = TRUE;
  update_content (self);
  wr_project_sidebar_new_project (self->sidebar);
}

static void
rename_project_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  wr_project_sidebar_rename_selected (WR_WINDOW (widget)->sidebar);
}

static void
project_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);
  WrProject *project = wr_project_sidebar_get_selected_project (self->sidebar);
  GtkWidget *dialog;

  if (project == NULL || self->session == NULL)
    return;

  dialog = wr_project_settings_new (self->session, project);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_project_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  wr_project_sidebar_delete_selected (WR_WINDOW (widget)->sidebar);
}

static void
new_chat_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);

  if (self->chat_view == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "chat");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  wr_chat_view_new_chat (WR_CHAT_VIEW (self->chat_view));
}

static void
focus_composer_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);

  if (self->chat_view == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "chat");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  wr_chat_view_focus_composer (WR_CHAT_VIEW (self->chat_view));
}

/* Ctrl+F when the focus is not in a page that handles it itself (after
 * clicking a page's tab): the shown page's search or filter. */
static gboolean
find_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  static const struct { const char *page, *action; } finders[] = {
    { "knowledge", "knowledge.focus-search" },
    { "data", "data.focus-filter" },
    { "artifacts", "artifacts.focus-search" },
  };
  WrWindow *self = WR_WINDOW (widget);
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  for (guint i = 0; i < G_N_ELEMENTS (finders); i++)
    if (g_strcmp0 (page, finders[i].page) == 0)
      return gtk_widget_activate_action (adw_view_stack_get_child_by_name (self->view_stack, page),
                                         finders[i].action, NULL);
  return FALSE;
}

/* "Show" on a "Saved to Artifacts" toast: the Artifacts page, with the
 * artifact (an id, or "") selected. */
static void
show_artifact_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);
  GtkWidget *artifacts = adw_view_stack_get_child_by_name (self->view_stack, "artifacts");
  const char *id = g_variant_get_string (param, NULL);

  if (artifacts == NULL)
    return;
  if (id[0] != '\0')
    wr_artifacts_view_select_artifact (WR_ARTIFACTS_VIEW (artifacts), id);
  adw_view_stack_set_visible_child_name (self->view_stack, "artifacts");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
show_projects_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  adw_leaflet_navigate (WR_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
skip_welcome_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  WrWindow *self = WR_WINDOW (widget);

  self->skipped_welcome = TRUE;
  update_content (self);
}

static void
open_data_folder_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  g_autofree char *dir = wr_store_default_dir ();
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (GTK_WINDOW (widget), uri, GDK_CURRENT_TIME);
}

static void
save_window_state (WrWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
wr_window_close_request (GtkWindow *window)
{
  save_window_state (WR_WINDOW (window));

  return GTK_WINDOW_CLASS (wr_window_parent_class)->close_request (window);
}

/* Called once the window belongs to @app ("application" is set after
 * construction, so this cannot live in constructed). */
static void
attach_to_application (WrWindow      *self,
                       WrApplication *app)
{
  if (wr_application_get_settings (app) != NULL)
    {
      self->settings = g_object_ref (wr_application_get_settings (app));
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  g_signal_connect_object (app, "notify::session",
                           G_CALLBACK (on_app_session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::open-error",
                           G_CALLBACK (on_app_session_changed_cb), self, G_CONNECT_SWAPPED);
  on_app_session_changed_cb (self);
}

static void
wr_window_dispose (GObject *object)
{
  WrWindow *self = WR_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_name_changed_cb, self);
  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_WINDOW);
  self->chat_view = NULL;
  g_clear_object (&self->ollama);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_window_parent_class)->dispose (object);
}

static void
wr_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  WrWindow *self = WR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_VISIBLE:
      g_value_set_boolean (value, self->sidebar_visible);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  WrWindow *self = WR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_VISIBLE:
      if (adw_leaflet_get_folded (self->leaflet))
        {
          /* Folded: the sidebar is a page of its own; show it or the content. */
          adw_leaflet_navigate (self->leaflet,
                                g_value_get_boolean (value) ? ADW_NAVIGATION_DIRECTION_BACK
                                                            : ADW_NAVIGATION_DIRECTION_FORWARD);
          break;
        }
      if (self->sidebar_visible != g_value_get_boolean (value))
        {
          self->sidebar_visible = g_value_get_boolean (value);
          apply_sidebar_visible (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_window_class_init (WrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wr_window_dispose;
  object_class->get_property = wr_window_get_property;
  object_class->set_property = wr_window_set_property;
  window_class->close_request = wr_window_close_request;

  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WR_TYPE_PROJECT_SIDEBAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/wr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WrWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, project_menu_button);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, ollama_offer);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, ollama_label);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, add_provider_button);
  gtk_widget_class_bind_template_child (widget_class, WrWindow, detect_ollama_button);
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);
  gtk_widget_class_bind_template_callback (widget_class, update_content);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_selected_project_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_project_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.rename-project", NULL, rename_project_action);
  gtk_widget_class_install_action (widget_class, "win.project-settings", NULL, project_settings_action);
  gtk_widget_class_install_action (widget_class, "win.delete-project", NULL, delete_project_action);
  gtk_widget_class_install_action (widget_class, "win.new-chat", NULL, new_chat_action);
  gtk_widget_class_install_action (widget_class, "win.focus-composer", NULL, focus_composer_action);
  gtk_widget_class_install_action (widget_class, "win.show-projects", NULL, show_projects_action);
  gtk_widget_class_install_action (widget_class, "win.show-artifact", "s", show_artifact_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, find_shortcut, NULL);
  /* Bindings run after the focused page's own (application accels would
   * run before them): F2 renames the artifact on Artifacts, else the
   * project. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename-project", NULL);
  gtk_widget_class_install_action (widget_class, "win.skip-welcome", NULL, skip_welcome_action);
  gtk_widget_class_install_action (widget_class, "win.use-ollama", NULL, use_ollama_action);
  gtk_widget_class_install_action (widget_class, "win.open-data-folder", NULL, open_data_folder_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-sidebar", "sidebar-visible");
}

static void
wr_window_init (WrWindow *self)
{
  self->sidebar_visible = TRUE;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (on_leaflet_folded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (wr_project_sidebar_get_model (self->sidebar), "items-changed",
                           G_CALLBACK (on_project_model_items_changed_cb), self, G_CONNECT_SWAPPED);

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  update_content (self);
}

WrWindow *
wr_window_new (WrApplication *application)
{
  WrWindow *self;

  g_return_val_if_fail (WR_IS_APPLICATION (application), NULL);

  self = g_object_new (WR_TYPE_WINDOW, "application", application, NULL);
  attach_to_application (self, application);

  return self;
}

void
wr_window_add_toast (WrWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (WR_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
