/* wr-application.c — application: session opening, app actions, style. */
#include <glib/gi18n.h>

#include "wr-application.h"
#include "wr-window.h"
#include "preferences/wr-preferences-window.h"

struct _WrApplication
{
  AdwApplication  parent_instance;

  WrSession      *session;         /* owned, nullable */
  GError         *open_error;      /* owned, nullable */
  GSettings      *settings;        /* owned, nullable */
  GCancellable   *cancellable;     /* owned */
  GtkWindow      *preferences;     /* weak */
  guint           opening : 1;
};

G_DEFINE_FINAL_TYPE (WrApplication, wr_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_OPEN_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "win.new-project", { "<Control><Shift>n", NULL } },
  /* F2 for the project is the window's own binding (wr-window.c): pages
   * that rename their own things (Artifacts) get it first. */
  { "win.new-chat", { "<Control>n", NULL } },
  { "win.focus-composer", { "<Control>l", NULL } },
  { "win.show-sidebar", { "F9", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static GtkWindow *
get_main_window (WrApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (WR_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
add_toast (WrApplication *self,
           AdwToast      *toast)
{
  GtkWindow *window = get_main_window (self);

  if (window != NULL)
    wr_window_add_toast (WR_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

static void
update_actions (WrApplication *self)
{
  static const char *needs_session[] = { "add-provider", "detect-ollama" };

  for (guint i = 0; i < G_N_ELEMENTS (needs_session); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), needs_session[i]);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->session != NULL);
    }

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "retry-open")),
                               self->open_error != NULL && !self->opening);
}

static void
apply_style_variant (WrApplication *self,
                     const char    *variant)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (variant, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (variant, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (manager, scheme);
}

static void
on_style_variant_changed_cb (WrApplication *self)
{
  g_autofree char *variant = g_settings_get_string (self->settings, "style-variant");

  apply_style_variant (self, variant);
}

/* Without the settings schema the style choice still works for this run. */
static void
on_style_variant_change_state_cb (GSimpleAction *action,
                                  GVariant      *state,
                                  gpointer       user_data)
{
  g_simple_action_set_state (action, state);
  apply_style_variant (WR_APPLICATION (user_data), g_variant_get_string (state, NULL));
}

static void
on_session_opened_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrApplication) self = user_data;
  g_autoptr(WrSession) session = NULL;
  g_autoptr(GError) error = NULL;

  self->opening = FALSE;
  session = wr_session_new_finish (result, &error);

  if (session == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not open the data store: %s", error->message);
      g_clear_error (&self->open_error);
      self->open_error = g_steal_pointer (&error);
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_ERROR]);
      return;
    }

  self->session = g_steal_pointer (&session);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
open_session (WrApplication *self)
{
  if (self->session != NULL || self->opening)
    return;

  self->opening = TRUE;
  if (self->open_error != NULL)
    {
      g_clear_error (&self->open_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_ERROR]);
    }
  update_actions (self);

  /* NULL: $WORKROOM_DATA_DIR, else the XDG data folder. */
  wr_session_new_async (NULL, self->cancellable, on_session_opened_cb, g_object_ref (self));
}

static void
retry_open_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  open_session (WR_APPLICATION (user_data));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  wr_application_show_preferences (WR_APPLICATION (user_data), FALSE);
}

static void
add_provider_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  wr_application_show_preferences (WR_APPLICATION (user_data), TRUE);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  WrApplication *self = WR_APPLICATION (user_data);
  static const char *developers[] = { "The Workroom Authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Workroom"),
                         "application-icon", WR_APP_ID,
                         "version", WR_VERSION,
                         "developer-name", _("The Workroom Authors"),
                         "developers", developers,
                         "comments", _("Chat with language models about your projects, on your own computer"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2024 The Workroom Authors",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  WrApplication *self = WR_APPLICATION (user_data);

  /* Closing windows lets them save their size. Dialogs go first: GTK 4.8
   * touches a freed parent when a transient window outlives it. */
  for (int pass = 0; pass < 2; pass++)
    {
      GList *windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                                         (GCopyFunc) g_object_ref, NULL);

      for (GList *l = windows; l != NULL; l = l->next)
        {
          /* Closing one window may have destroyed another (its dialogs). */
          if (g_list_find (gtk_application_get_windows (GTK_APPLICATION (self)), l->data) == NULL)
            continue;
          if (pass == 1 || gtk_window_get_transient_for (l->data) != NULL)
            gtk_window_close (l->data);
        }

      g_list_free_full (windows, g_object_unref);
    }

  g_application_quit (G_APPLICATION (self));
}

typedef struct
{
  WrApplication *self;        /* owned */
  WrProvider    *provider;    /* owned */
} OllamaOffer;

static void
ollama_offer_free (OllamaOffer *offer)
{
  g_clear_object (&offer->self);
  g_clear_object (&offer->provider);
  g_free (offer);
}

static void
on_ollama_added_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add_finish (WR_PROVIDER_REGISTRY (object), result, &error);
  if (provider == NULL)
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: %s is the reason */
      title = g_strdup_printf (_("Could not add Ollama: %s"), error->message);
      add_toast (self, adw_toast_new (title));
      return;
    }

  add_toast (self, adw_toast_new (_("Ollama added. You can start chatting.")));
}

static void
on_ollama_offer_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             OllamaOffer      *offer)
{
  WrApplication *self = offer->self;

  if (g_strcmp0 (response, "add") != 0 || self->session == NULL)
    return;

  wr_provider_registry_add_async (wr_session_get_providers (self->session),
                                  "Ollama", "openai",
                                  wr_provider_get_base_url (offer->provider),
                                  NULL,
                                  self->cancellable, on_ollama_added_cb, g_object_ref (self));
}

static void
on_detect_ollama_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(WrApplication) self = user_data;
  g_autoptr(WrProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  OllamaOffer *offer;

  provider = wr_provider_registry_detect_ollama_finish (WR_PROVIDER_REGISTRY (object), result, &error);
  if (provider == NULL)
    {
      AdwToast *toast;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast = adw_toast_new (_("Ollama was not found at 127.0.0.1:11434. Start it with “ollama serve” and try again."));
      adw_toast_set_timeout (toast, 8);
      add_toast (self, toast);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_main_window (self),
                                                       _("Ollama Found"), NULL));
  /* TRANSLATORS: %s is an address such as http://127.0.0.1:11434/v1 */
  adw_message_dialog_format_body (dialog,
                                  _("An Ollama server is running at %s. Add it as a provider so you can chat with its models?"),
                                  wr_provider_get_base_url (provider));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add Ollama"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");

  offer = g_new0 (OllamaOffer, 1);
  offer->self = g_object_ref (self);
  offer->provider = g_steal_pointer (&provider);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_ollama_offer_response_cb),
                         offer, (GClosureNotify) (void (*) (void)) ollama_offer_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
detect_ollama_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  WrApplication *self = WR_APPLICATION (user_data);

  if (self->session == NULL)
    return;

  add_toast (self, adw_toast_new (_("Looking for Ollama…")));
  wr_provider_registry_detect_ollama_async (wr_session_get_providers (self->session), NULL,
                                            self->cancellable, on_detect_ollama_cb,
                                            g_object_ref (self));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
  { "add-provider", add_provider_action },
  { "detect-ollama", detect_ollama_action },
  { "retry-open", retry_open_action },
};

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, WR_APP_ID, TRUE);

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; window size and choices will not be remembered.",
                 WR_APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
wr_application_startup (GApplication *application)
{
  WrApplication *self = WR_APPLICATION (application);

  G_APPLICATION_CLASS (wr_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  self->settings = load_settings ();
  if (self->settings != NULL)
    {
      g_autoptr(GAction) style = g_settings_create_action (self->settings, "style-variant");

      g_action_map_add_action (G_ACTION_MAP (self), style);
      g_signal_connect_object (self->settings, "changed::style-variant",
                               G_CALLBACK (on_style_variant_changed_cb), self, G_CONNECT_SWAPPED);
      on_style_variant_changed_cb (self);
    }
  else
    {
      g_autoptr(GSimpleAction) style =
        g_simple_action_new_stateful ("style-variant", G_VARIANT_TYPE_STRING,
                                      g_variant_new_string ("default"));

      g_signal_connect_object (style, "change-state",
                               G_CALLBACK (on_style_variant_change_state_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (style));
    }

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action, app_accels[i].accels);

  update_actions (self);
  open_session (self);
}

static void
wr_application_activate (GApplication *application)
{
  WrApplication *self = WR_APPLICATION (application);
  GtkWindow *window = get_main_window (self);

  if (window == NULL)
    window = GTK_WINDOW (wr_window_new (self));

  gtk_window_present (window);
}

static void
wr_application_shutdown (GApplication *application)
{
  WrApplication *self = WR_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (wr_application_parent_class)->shutdown (application);
}

static void
wr_application_dispose (GObject *object)
{
  WrApplication *self = WR_APPLICATION (object);

  g_clear_weak_pointer (&self->preferences);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (wr_application_parent_class)->dispose (object);
}

static void
wr_application_finalize (GObject *object)
{
  WrApplication *self = WR_APPLICATION (object);

  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (wr_application_parent_class)->finalize (object);
}

static void
wr_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WrApplication *self = WR_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_OPEN_ERROR:
      g_value_set_boxed (value, self->open_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_application_class_init (WrApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = wr_application_dispose;
  object_class->finalize = wr_application_finalize;
  object_class->get_property = wr_application_get_property;
  app_class->startup = wr_application_startup;
  app_class->activate = wr_application_activate;
  app_class->shutdown = wr_application_shutdown;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN_ERROR] =
    g_param_spec_boxed ("open-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_application_init (WrApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

WrApplication *
wr_application_new (void)
{
  return g_object_new (WR_TYPE_APPLICATION,
                       "application-id", WR_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/workroom/Workroom",
                       NULL);
}

WrSession *
wr_application_get_session (WrApplication *self)
{
  g_return_val_if_fail (WR_IS_APPLICATION (self), NULL);

  return self->session;
}

const GError *
wr_application_get_open_error (WrApplication *self)
{
  g_return_val_if_fail (WR_IS_APPLICATION (self), NULL);

  return self->open_error;
}

GSettings *
wr_application_get_settings (WrApplication *self)
{
  g_return_val_if_fail (WR_IS_APPLICATION (self), NULL);

  return self->settings;
}

void
wr_application_show_preferences (WrApplication *self,
                                 gboolean       add_provider)
{
  g_return_if_fail (WR_IS_APPLICATION (self));

  if (self->preferences == NULL)
    {
      GtkWidget *window = wr_preferences_window_new (get_main_window (self), self->session);

      /* So its "app." actions (Add Provider, style) resolve. */
      gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
      g_set_weak_pointer (&self->preferences, GTK_WINDOW (window));
    }

  if (add_provider)
    wr_preferences_window_show_add_provider (WR_PREFERENCES_WINDOW (self->preferences));

  gtk_window_present (self->preferences);
}
