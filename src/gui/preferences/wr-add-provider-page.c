/* wr-add-provider-page.c — form that adds a provider through the registry. */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-add-provider-page.h"

struct _WrAddProviderPage
{
  GtkBox              parent_instance;

  WrProviderRegistry *registry;          /* owned */
  GCancellable       *cancellable;       /* owned, nullable: while saving */
  GCancellable       *test_cancellable;  /* owned, nullable: while testing */
  guint               filling : 1;       /* the page itself changes fields */

  /* template children */
  GtkWidget          *add_button;
  GtkSpinner         *spinner;
  AdwComboRow        *kind_row;
  AdwComboRow        *server_row;
  AdwEntryRow        *name_row;
  AdwEntryRow        *url_row;
  AdwPreferencesGroup *key_group;
  AdwPasswordEntryRow *key_row;
  AdwActionRow       *test_row;
  GtkWidget          *test_button;
  GtkLabel           *error_label;
};

G_DEFINE_FINAL_TYPE (WrAddProviderPage, wr_add_provider_page, GTK_TYPE_BOX)

enum {
  PROVIDER_ADDED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef WrProvider *(*ProviderNewFunc) (const char       *id,
                                        const char       *name,
                                        const char       *base_url,
                                        const char       *api_key,
                                        WrProviderSource  source);

/* Same order as the kind row's model. The hosted services need a key; a
 * local server usually does not, and its address comes from servers[]. */
static const struct {
  const char      *kind;       /* what the registry saves */
  const char      *name;       /* the name filled in */
  const char      *base_url;   /* NULL: from the server row */
  gboolean         needs_key;
  ProviderNewFunc  new_provider;
} kinds[] = {
  { "openai", "OpenAI", WR_OPENAI_DEFAULT_BASE_URL, TRUE, wr_openai_provider_new },
  { "anthropic", "Anthropic", WR_ANTHROPIC_DEFAULT_BASE_URL, TRUE, wr_anthropic_provider_new },
  { "google", "Google Gemini", WR_GEMINI_DEFAULT_BASE_URL, TRUE, wr_gemini_provider_new },
  { "openai", NULL, NULL, FALSE, wr_openai_provider_new },
};

#define KIND_LOCAL_SERVER 3

/* Same order as the server row's model: each server's default address. */
static const struct {
  const char *name;
  const char *base_url;
} servers[] = {
  { "Ollama", WR_OLLAMA_DEFAULT_HOST "/v1" },
  { "LM Studio", "http://127.0.0.1:1234/v1" },
  { "llama.cpp", "http://127.0.0.1:8080/v1" },
  { "vLLM", "http://127.0.0.1:8000/v1" },
  { NULL, NULL },  /* Other */
};

/* A name or address the page filled in itself (so a change of kind or
 * server may replace it), as opposed to one the user typed. */
static gboolean
is_default_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].name != NULL && g_strcmp0 (kinds[i].name, name) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (servers[i].name != NULL && g_strcmp0 (servers[i].name, name) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
is_default_url (const char *url)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].base_url != NULL && g_strcmp0 (kinds[i].base_url, url) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (servers[i].base_url != NULL && g_strcmp0 (servers[i].base_url, url) == 0)
      return TRUE;

  return FALSE;
}

static guint
get_kind (WrAddProviderPage *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  return selected < G_N_ELEMENTS (kinds) ? selected : 0;
}

static char *
dup_stripped (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static gboolean
url_is_valid (WrAddProviderPage *self)
{
  g_autofree char *url = dup_stripped (self->url_row);

  return (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
         && strlen (url) > strlen ("https://");
}

static gboolean
is_valid (WrAddProviderPage *self)
{
  g_autofree char *name = dup_stripped (self->name_row);
  g_autofree char *key = dup_stripped (self->key_row);

  return *name != '\0'
         && url_is_valid (self)
         && (!kinds[get_kind (self)].needs_key || *key != '\0');
}

static void
update_sensitivity (WrAddProviderPage *self)
{
  gboolean saving = self->cancellable != NULL;
  gboolean testing = self->test_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-provider.add", !saving && is_valid (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-provider.test", !testing && url_is_valid (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), saving);
  gtk_spinner_set_spinning (self->spinner, saving);
}

static void
set_error (WrAddProviderPage *self,
           const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

typedef enum {
  TEST_NONE,
  TEST_RUNNING,
  TEST_OK,
  TEST_FAILED,
} TestState;

static void
set_test_status (WrAddProviderPage *self,
                 TestState          state,
                 const char        *status)
{
  GtkWidget *row = GTK_WIDGET (self->test_row);

  gtk_widget_remove_css_class (row, "wr-test-ok");
  gtk_widget_remove_css_class (row, "wr-test-failed");
  if (state == TEST_OK)
    gtk_widget_add_css_class (row, "wr-test-ok");
  else if (state == TEST_FAILED)
    gtk_widget_add_css_class (row, "wr-test-failed");

  adw_action_row_set_subtitle (self->test_row,
                               status != NULL ? status
                                              : _("Test these settings before adding them."));
}

/* Settings changed: an earlier test result no longer says anything. */
static void
reset_test (WrAddProviderPage *self)
{
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  set_test_status (self, TEST_NONE, NULL);
}

static void
update_key_group (WrAddProviderPage *self)
{
  if (kinds[get_kind (self)].needs_key)
    adw_preferences_group_set_description (self->key_group,
                                           _("Required. Create one in the service’s account settings; Workroom keeps it in your keyring."));
  else
    adw_preferences_group_set_description (self->key_group,
                                           _("Local servers usually need none. A key you enter is kept in your keyring."));
}

/* Fills in the name and address of @name / @base_url, where the user has not
 * typed their own. */
static void
fill_defaults (WrAddProviderPage *self,
               const char        *name,
               const char        *base_url)
{
  const char *current_name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *current_url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));

  self->filling = TRUE;
  if (*current_name == '\0' || is_default_name (current_name))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), name != NULL ? name : "");
  if (*current_url == '\0' || is_default_url (current_url))
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), base_url != NULL ? base_url : "");
  self->filling = FALSE;
}

static void
on_server_selected_cb (WrAddProviderPage *self)
{
  guint selected = adw_combo_row_get_selected (self->server_row);

  if (get_kind (self) != KIND_LOCAL_SERVER || selected >= G_N_ELEMENTS (servers))
    return;

  fill_defaults (self, servers[selected].name, servers[selected].base_url);
  reset_test (self);
  update_sensitivity (self);
}

static void
on_kind_selected_cb (WrAddProviderPage *self)
{
  guint kind = get_kind (self);
  gboolean local = kind == KIND_LOCAL_SERVER;

  gtk_widget_set_visible (GTK_WIDGET (self->server_row), local);
  if (local)
    on_server_selected_cb (self);
  else
    fill_defaults (self, kinds[kind].name, kinds[kind].base_url);

  update_key_group (self);
  reset_test (self);
  update_sensitivity (self);
}

static void
on_connection_changed_cb (WrAddProviderPage *self)
{
  if (!self->filling)
    reset_test (self);
  update_sensitivity (self);
}

static void
reset (WrAddProviderPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  adw_combo_row_set_selected (self->server_row, 0);
  adw_combo_row_set_selected (self->kind_row, 0);
  on_kind_selected_cb (self);
  set_error (self, NULL);
}

static void
on_test_models_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WrAddProviderPage) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  models = wr_provider_list_models_finish (WR_PROVIDER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->test_cancellable);
  update_sensitivity (self);

  if (models == NULL)
    {
      status = wr_provider_describe_error (WR_PROVIDER (object), error);
      set_test_status (self, TEST_FAILED, status);
      return;
    }

  if (models->len == 0)
    status = g_strdup (_("Connected, but the server lists no models yet. Download or load one there first."));
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Connected: %u model available",
                                           "Connected: %u models available",
                                           models->len),
                              models->len);
  set_test_status (self, TEST_OK, status);
}

/* Lists the models with the settings as typed, through an unsaved provider
 * of the chosen kind: the same request the chat's model list makes. */
static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  WrAddProviderPage *self = WR_ADD_PROVIDER_PAGE (widget);
  g_autoptr(WrProvider) provider = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;

  if (self->test_cancellable != NULL || !url_is_valid (self))
    return;

  name = dup_stripped (self->name_row);
  url = dup_stripped (self->url_row);
  key = dup_stripped (self->key_row);

  provider = kinds[get_kind (self)].new_provider ("add-provider-test",
                                                  *name != '\0' ? name : _("This provider"),
                                                  url,
                                                  *key != '\0' ? key : NULL,
                                                  WR_PROVIDER_SOURCE_STORED);
  /* Someone waiting on a form wants an answer soon. */
  wr_provider_set_connect_timeout (provider, 10);
  wr_provider_set_idle_timeout (provider, 20);

  self->test_cancellable = g_cancellable_new ();
  set_test_status (self, TEST_RUNNING, _("Testing connection…"));
  update_sensitivity (self);
  wr_provider_list_models_async (provider, self->test_cancellable,
                                 on_test_models_cb, g_object_ref (self));
}

static void
on_add_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WrAddProviderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add_finish (WR_PROVIDER_REGISTRY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  update_sensitivity (self);

  if (provider == NULL)
    {
      set_error (self, error->message);
      return;
    }

  g_object_ref (provider);
  reset (self);
  g_signal_emit (self, signals[PROVIDER_ADDED], 0, provider);
  g_object_unref (provider);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  WrAddProviderPage *self = WR_ADD_PROVIDER_PAGE (widget);
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;

  if (self->cancellable != NULL || !is_valid (self))
    return;

  name = dup_stripped (self->name_row);
  url = dup_stripped (self->url_row);
  key = dup_stripped (self->key_row);

  set_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);

  wr_provider_registry_add_async (self->registry, name, kinds[get_kind (self)].kind, url,
                                  *key != '\0' ? key : NULL,
                                  self->cancellable, on_add_cb, g_object_ref (self));
  /* The copy on the heap is wiped; the one the row holds is cleared by
   * reset() once the provider is saved. */
  memset (key, 0, strlen (key));
}

static void
on_entry_activated_cb (WrAddProviderPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "add-provider.add", NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  WrAddProviderPage *self = WR_ADD_PROVIDER_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  reset (self);
  update_sensitivity (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

/* Opened to be filled in: start typing the name (the kind already chose
 * one, selected so typing replaces it). */
static void
wr_add_provider_page_map (GtkWidget *widget)
{
  WrAddProviderPage *self = WR_ADD_PROVIDER_PAGE (widget);

  GTK_WIDGET_CLASS (wr_add_provider_page_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
wr_add_provider_page_dispose (GObject *object)
{
  WrAddProviderPage *self = WR_ADD_PROVIDER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_ADD_PROVIDER_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (wr_add_provider_page_parent_class)->dispose (object);
}

static void
wr_add_provider_page_class_init (WrAddProviderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_add_provider_page_dispose;
  widget_class->map = wr_add_provider_page_map;

  signals[PROVIDER_ADDED] =
    g_signal_new ("provider-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, WR_TYPE_PROVIDER);
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/wr-add-provider-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, key_group);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_server_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "add-provider.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "add-provider.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "add-provider.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "add-provider.cancel", NULL);
}

static void
wr_add_provider_page_init (WrAddProviderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  on_kind_selected_cb (self);
  update_sensitivity (self);
}

GtkWidget *
wr_add_provider_page_new (WrProviderRegistry *registry)
{
  WrAddProviderPage *self;

  g_return_val_if_fail (WR_IS_PROVIDER_REGISTRY (registry), NULL);

  self = g_object_new (WR_TYPE_ADD_PROVIDER_PAGE, NULL);
  self->registry = g_object_ref (registry);

  return GTK_WIDGET (self);
}
