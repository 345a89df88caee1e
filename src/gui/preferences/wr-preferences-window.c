/* wr-preferences-window.c — Preferences window. */
#include <glib/gi18n.h>

#include "wr-preferences-window.h"
#include "wr-add-provider-page.h"
#include "wr-model-choice.h"
#include "wr-plan-page.h"
#include "wr-failover-page.h"
#include "wr-models-page.h"

struct _WrPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  WrSession           *session;          /* owned, nullable */
  GCancellable        *cancellable;      /* owned */
  GCancellable        *models_cancellable; /* owned, nullable: while listing */
  GtkWidget           *add_provider_page;  /* owned (ref), nullable */
  /* The profile's default model as last read or saved (NULL: automatic). */
  char                *default_model;    /* owned, nullable */
  char                *default_provider_id; /* owned, nullable: the model's provider */
  guint                filling_models : 1;
  guint                profile_loaded : 1;
  guint                saving_profile : 1;
  guint                save_pending : 1;

  /* template children */
  GtkWidget           *providers_page;
  GtkListBox          *providers_list;
  AdwComboRow         *model_row;
  GtkStringList       *models;
};

G_DEFINE_FINAL_TYPE (WrPreferencesWindow, wr_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void reload_models (WrPreferencesWindow *self);
static void save_default_model (WrPreferencesWindow *self);

static const char *
source_label (WrProviderSource source)
{
  switch (source)
    {
    case WR_PROVIDER_SOURCE_STORED:
      return _("Saved");
    case WR_PROVIDER_SOURCE_ENVIRONMENT:
      return _("From environment");
    case WR_PROVIDER_SOURCE_DETECTED:
      return _("Detected");
    default:
      return "";
    }
}

static void
set_row_status (AdwActionRow *row,
                const char   *status)
{
  const char *base = g_object_get_data (G_OBJECT (row), "wr-base-subtitle");
  g_autofree char *subtitle = NULL;

  if (status != NULL)
    subtitle = g_strdup_printf ("%s\n%s", base, status);
  else
    subtitle = g_strdup (base);

  adw_action_row_set_subtitle (row, subtitle);
}

static void
on_test_models_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "wr-test-button");

  models = wr_provider_list_models_finish (WR_PROVIDER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (button, TRUE);

  if (models == NULL)
    {
      g_autofree char *description = wr_provider_describe_error (WR_PROVIDER (object), error);

      set_row_status (ADW_ACTION_ROW (row), description);
      gtk_widget_remove_css_class (row, "wr-test-ok");
      gtk_widget_add_css_class (row, "wr-test-failed");
      return;
    }

  {
    g_autofree char *status =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "Connected: %u model available",
                                    "Connected: %u models available",
                                    models->len),
                       models->len);

    set_row_status (ADW_ACTION_ROW (row), status);
    gtk_widget_remove_css_class (row, "wr-test-failed");
    gtk_widget_add_css_class (row, "wr-test-ok");
  }
}

static void
on_test_clicked_cb (GtkButton *button,
                    GtkWidget *row)
{
  WrPreferencesWindow *self = WR_PREFERENCES_WINDOW (gtk_widget_get_root (row));
  WrProvider *provider = g_object_get_data (G_OBJECT (row), "wr-provider");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  gtk_widget_remove_css_class (row, "wr-test-failed");
  gtk_widget_remove_css_class (row, "wr-test-ok");
  set_row_status (ADW_ACTION_ROW (row), _("Testing connection…"));
  wr_provider_list_models_async (provider, self->cancellable, on_test_models_cb, g_object_ref (row));
}

static void
on_remove_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_provider_registry_remove_finish (WR_PROVIDER_REGISTRY (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_strdup_printf (_("Could not remove the provider: %s"), error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
    }
}

static void
on_remove_response_cb (AdwMessageDialog    *dialog,
                       const char          *response,
                       WrPreferencesWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "wr-provider-id");

  if (g_strcmp0 (response, "remove") != 0 || self->session == NULL)
    return;

  /* The row disappears when the registry's model changes, once the row
   * delete and the keyring call are done in a worker thread. */
  wr_provider_registry_remove_async (wr_session_get_providers (self->session), id,
                                     self->cancellable, on_remove_cb, g_object_ref (self));
}

static void
on_remove_clicked_cb (GtkButton *button,
                      GtkWidget *row)
{
  WrPreferencesWindow *self = WR_PREFERENCES_WINDOW (gtk_widget_get_root (row));
  WrProvider *provider = g_object_get_data (G_OBJECT (row), "wr-provider");
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  /* TRANSLATORS: %s is a provider name */
  adw_message_dialog_format_heading (dialog, _("Remove “%s”?"), wr_provider_get_name (provider));
  adw_message_dialog_set_body (dialog, _("Its API key is deleted from your keyring. Chats that used it stay, but new messages need another provider."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "wr-provider-id",
                          g_strdup (wr_provider_get_id (provider)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_provider_row (gpointer item,
                     gpointer user_data)
{
  WrProvider *provider = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  g_autofree char *subtitle = NULL;
  g_autofree char *test_label = NULL;

  /* TRANSLATORS: "base URL · where the provider comes from" */
  subtitle = g_strdup_printf (_("%s · %s"), wr_provider_get_base_url (provider),
                              source_label (wr_provider_get_source (provider)));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wr_provider_get_name (provider));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  g_object_set_data_full (G_OBJECT (row), "wr-base-subtitle", g_steal_pointer (&subtitle), g_free);
  g_object_set_data_full (G_OBJECT (row), "wr-provider", g_object_ref (provider), g_object_unref);

  /* TRANSLATORS: accessible name of a button; %s is a provider name */
  test_label = g_strdup_printf (_("Test Connection to %s"), wr_provider_get_name (provider));
  button = gtk_button_new_with_mnemonic (_("_Test"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Test Connection"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, test_label, -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_test_clicked_cb), row, 0);
  g_object_set_data (G_OBJECT (row), "wr-test-button", button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  if (wr_provider_get_source (provider) == WR_PROVIDER_SOURCE_STORED)
    {
      g_autofree char *remove_label = NULL;

      /* TRANSLATORS: %s is a provider name */
      remove_label = g_strdup_printf (_("Remove %s"), wr_provider_get_name (provider));
      button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove Provider"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_clicked_cb), row, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  return row;
}

static GtkWidget *
create_placeholder (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Providers"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Add a provider, or start a local server such as Ollama."));
  gtk_widget_add_css_class (row, "dim-label");

  return row;
}

/* Fills the model row from the model catalogue: "Automatic" (no default:
 * a chat uses its project's, else the default provider's first model),
 * then every chat model of every provider, under its provider's name;
 * models of a provider that cannot be reached now are marked with why and
 * can still be chosen. The profile's model stays listed when no provider
 * lists it. Runs again when the catalogue or the profile changes. */
static void
refill_models (WrPreferencesWindow *self)
{
  WrModelCatalog *catalog = wr_session_get_model_catalog (self->session);
  GListModel *providers = G_LIST_MODEL (wr_session_get_providers (self->session));
  g_autoptr(GListModel) choices = NULL;
  g_autoptr(GString) away = g_string_new (NULL);
  g_autofree char *status = NULL;
  guint selected = 0;

  choices = wr_model_choices_new (G_LIST_MODEL (catalog), _("Automatic"),
                                  self->default_model, self->default_provider_id, &selected);
  self->filling_models = TRUE;
  adw_combo_row_set_model (self->model_row, choices);
  adw_combo_row_set_selected (self->model_row, selected);
  self->filling_models = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (providers, i);

      if (wr_model_catalog_get_provider_problem (catalog, wr_provider_get_id (provider), NULL, NULL))
        g_string_append_printf (away, "%s%s", away->len > 0 ? ", " : "", wr_provider_get_name (provider));
    }

  if (g_list_model_get_n_items (providers) == 0)
    status = g_strdup (_("Add a provider to choose a model."));
  else if (wr_model_catalog_get_refreshing (catalog))
    status = g_strdup (_("Loading models…"));
  else if (away->len > 0)
    /* TRANSLATORS: %s is a list of provider names */
    status = g_strdup_printf (_("Not reachable now: %s. Their models are marked; try Reload later."), away->str);

  /* A choice made before the profile is read would be overwritten by it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), self->profile_loaded);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row),
                               self->profile_loaded ? status : _("Loading…"));
}

static void
on_get_profile_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WrPreferencesWindow) self = user_data;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  const char *model;
  const char *provider_id;

  profile = wr_store_get_profile_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (profile == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not read your settings: %s"), error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
      return;
    }

  model = wr_profile_get_default_model (profile);
  provider_id = wr_profile_get_default_provider_id (profile);
  g_free (self->default_model);
  self->default_model = model != NULL && *model != '\0' ? g_strdup (model) : NULL;
  g_free (self->default_provider_id);
  self->default_provider_id = provider_id != NULL && *provider_id != '\0' ? g_strdup (provider_id) : NULL;
  self->profile_loaded = TRUE;
  refill_models (self);
}

static void
on_refresh_models_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not list the models: %s"), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
    }

  g_clear_object (&self->models_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.reload-models", TRUE);
  refill_models (self);
}

/* Asks every provider again (the catalogue caches what they said). */
static void
reload_models (WrPreferencesWindow *self)
{
  if (self->session == NULL)
    return;

  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);

  if (wr_provider_registry_is_empty (wr_session_get_providers (self->session)))
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.reload-models", FALSE);
      refill_models (self);
      return;
    }

  self->models_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.reload-models", FALSE);
  wr_model_catalog_refresh_async (wr_session_get_model_catalog (self->session), self->models_cancellable,
                                  on_refresh_models_cb, g_object_ref (self));
  refill_models (self);
}

static void
reload_models_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  reload_models (WR_PREFERENCES_WINDOW (widget));
}

/* A save reads the profile first (off the main thread) and changes only its
 * default model; one save runs at a time, and a choice made meanwhile
 * (save_pending) is saved next, so the last choice wins. */
static void
on_save_profile_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_store_save_profile_finish (WR_STORE (object), result, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not save the default model: %s"), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
    }

  self->saving_profile = FALSE;
  if (self->save_pending)
    save_default_model (self);
}

static void
on_get_profile_for_save_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(WrPreferencesWindow) self = user_data;
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = wr_store_get_profile_finish (WR_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (profile == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not save the default model: %s"), error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
      self->saving_profile = FALSE;
      return;
    }

  if (self->save_pending)
    {
      /* Chosen again while reading: save the newest choice instead. */
      self->saving_profile = FALSE;
      save_default_model (self);
      return;
    }

  if (g_strcmp0 (wr_profile_get_default_model (profile), self->default_model) == 0 &&
      (self->default_provider_id == NULL ||
       g_strcmp0 (wr_profile_get_default_provider_id (profile), self->default_provider_id) == 0))
    {
      self->saving_profile = FALSE;
      return;
    }

  wr_profile_set_default_model (profile, self->default_model);
  /* The model's provider answers for it ("Automatic" keeps the provider). */
  if (self->default_provider_id != NULL)
    wr_profile_set_default_provider_id (profile, self->default_provider_id);
  wr_store_save_profile_async (WR_STORE (object), profile,
                               self->cancellable, on_save_profile_cb, g_object_ref (self));
}

static void
save_default_model (WrPreferencesWindow *self)
{
  if (self->session == NULL)
    return;

  if (self->saving_profile)
    {
      self->save_pending = TRUE;
      return;
    }

  self->saving_profile = TRUE;
  self->save_pending = FALSE;
  wr_store_get_profile_async (wr_session_get_store (self->session), self->cancellable,
                              on_get_profile_for_save_cb, g_object_ref (self));
}

static void
on_model_selected_cb (WrPreferencesWindow *self)
{
  WrModelChoice *choice;
  const char *model;
  const char *provider_id;

  if (self->filling_models || self->session == NULL || !self->profile_loaded)
    return;

  choice = adw_combo_row_get_selected_item (self->model_row);
  if (choice == NULL)
    return;
  /* "Automatic" has no model: no default model. */
  model = wr_model_choice_get_model (choice);
  provider_id = model != NULL ? wr_model_choice_get_provider_id (choice) : NULL;

  if (g_strcmp0 (self->default_model, model) == 0 &&
      (provider_id == NULL || g_strcmp0 (self->default_provider_id, provider_id) == 0))
    return;

  g_free (self->default_model);
  self->default_model = g_strdup (model);
  g_free (self->default_provider_id);
  self->default_provider_id = g_strdup (provider_id);
  save_default_model (self);
}

static void
on_registry_items_changed_cb (WrPreferencesWindow *self)
{
  reload_models (self);
}

static void
on_provider_added_cb (WrPreferencesWindow *self,
                      WrProvider          *provider)
{
  g_autofree char *title = NULL;

  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  /* TRANSLATORS: %s is a provider name */
  title = g_strdup_printf (_("“%s” added"), wr_provider_get_name (provider));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
}

static void
on_add_provider_cancelled_cb (WrPreferencesWindow *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

/* Lets go of the parent while it is alive: the last reference to this
 * window can be dropped after the parent is freed (the accessibility bridge
 * keeps one), and GTK 4.8 would then disconnect from the freed parent. */
static gboolean
wr_preferences_window_close_request (GtkWindow *window)
{
  gtk_window_set_transient_for (window, NULL);

  return GTK_WINDOW_CLASS (wr_preferences_window_parent_class)->close_request (window);
}

static void
wr_preferences_window_dispose (GObject *object)
{
  WrPreferencesWindow *self = WR_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->models_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->add_provider_page);
  g_clear_object (&self->models_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_preferences_window_parent_class)->dispose (object);
}

static void
wr_preferences_window_finalize (GObject *object)
{
  WrPreferencesWindow *self = WR_PREFERENCES_WINDOW (object);

  g_free (self->default_model);
  g_free (self->default_provider_id);

  G_OBJECT_CLASS (wr_preferences_window_parent_class)->finalize (object);
}

static void
wr_preferences_window_class_init (WrPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_preferences_window_dispose;
  object_class->finalize = wr_preferences_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = wr_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/wr-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WrPreferencesWindow, providers_page);
  gtk_widget_class_bind_template_child (widget_class, WrPreferencesWindow, providers_list);
  gtk_widget_class_bind_template_child (widget_class, WrPreferencesWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, WrPreferencesWindow, models);
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected_cb);

  gtk_widget_class_install_action (widget_class, "preferences.reload-models", NULL, reload_models_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wr_preferences_window_init (WrPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->providers_list, create_placeholder ());
}

GtkWidget *
wr_preferences_window_new (GtkWindow *parent,
                           WrSession *session)
{
  WrPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (session == NULL || WR_IS_SESSION (session), NULL);

  self = g_object_new (WR_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);

  if (session == NULL)
    {
      adw_preferences_window_remove (ADW_PREFERENCES_WINDOW (self),
                                     ADW_PREFERENCES_PAGE (self->providers_page));
      self->providers_page = NULL;
      return GTK_WIDGET (self);
    }

  self->session = g_object_ref (session);
  gtk_list_box_bind_model (self->providers_list,
                           G_LIST_MODEL (wr_session_get_providers (session)),
                           create_provider_row, self, NULL);
  g_signal_connect_object (wr_session_get_providers (session), "items-changed",
                           G_CALLBACK (on_registry_items_changed_cb), self, G_CONNECT_SWAPPED);
  wr_store_get_profile_async (wr_session_get_store (session), self->cancellable,
                              on_get_profile_cb, g_object_ref (self));
  wr_model_choice_setup_combo (self->model_row);
  g_signal_connect_object (wr_session_get_model_catalog (session), "items-changed",
                           G_CALLBACK (refill_models), self, G_CONNECT_SWAPPED);
  reload_models (self);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (wr_models_page_new (session)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (wr_failover_page_new (session)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (wr_plan_page_new (session)));

  return GTK_WIDGET (self);
}

void
wr_preferences_window_show_add_provider (WrPreferencesWindow *self)
{
  g_return_if_fail (WR_IS_PREFERENCES_WINDOW (self));

  if (self->session == NULL)
    return;

  if (self->add_provider_page == NULL)
    {
      self->add_provider_page =
        g_object_ref_sink (wr_add_provider_page_new (wr_session_get_providers (self->session)));
      g_signal_connect_object (self->add_provider_page, "provider-added",
                               G_CALLBACK (on_provider_added_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->add_provider_page, "cancelled",
                               G_CALLBACK (on_add_provider_cancelled_cb), self, G_CONNECT_SWAPPED);
    }

  /* Already shown: nothing to do (presenting twice would re-parent). */
  if (gtk_widget_get_parent (self->add_provider_page) != NULL)
    return;

  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), self->add_provider_page);
}
