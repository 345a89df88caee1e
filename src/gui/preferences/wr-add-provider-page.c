/* wr-add-provider-page.c — form that adds a provider through the registry. */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-add-provider-page.h"

struct _WrAddProviderPage
{
  GtkBox              parent_instance;

  WrProviderRegistry *registry;       /* owned */
  GCancellable       *cancellable;    /* owned, nullable: while saving */

  /* template children */
  GtkWidget          *add_button;
  GtkSpinner         *spinner;
  AdwComboRow        *preset_row;
  AdwEntryRow        *name_row;
  AdwComboRow        *kind_row;
  AdwEntryRow        *url_row;
  AdwPasswordEntryRow *key_row;
  GtkLabel           *error_label;
};

G_DEFINE_FINAL_TYPE (WrAddProviderPage, wr_add_provider_page, GTK_TYPE_BOX)

enum {
  PROVIDER_ADDED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Same order as the preset row's model. */
static const struct {
  const char *name;
  const char *base_url;
} presets[] = {
  { "OpenAI", "https://api.openai.com/v1" },
  { "Ollama", "http://127.0.0.1:11434/v1" },
  { "LM Studio", "http://127.0.0.1:1234/v1" },
  { "llama.cpp", "http://127.0.0.1:8080/v1" },
  { NULL, NULL },  /* Other */
};

static gboolean
is_preset_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (presets[i].name != NULL && g_strcmp0 (presets[i].name, name) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
is_preset_url (const char *url)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (presets[i].base_url != NULL && g_strcmp0 (presets[i].base_url, url) == 0)
      return TRUE;

  return FALSE;
}

static char *
dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
is_valid (WrAddProviderPage *self)
{
  g_autofree char *name = dup_stripped (self->name_row);
  g_autofree char *url = dup_stripped (self->url_row);

  return *name != '\0'
         && (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
         && strlen (url) > strlen ("https://");
}

static void
update_sensitivity (WrAddProviderPage *self)
{
  gboolean saving = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-provider.add", !saving && is_valid (self));
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

static void
on_preset_selected_cb (WrAddProviderPage *self)
{
  guint selected = adw_combo_row_get_selected (self->preset_row);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));

  if (selected >= G_N_ELEMENTS (presets))
    return;

  /* Fill in what the user has not typed themselves. */
  if (*name == '\0' || is_preset_name (name))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                           presets[selected].name != NULL ? presets[selected].name : "");
  if (*url == '\0' || is_preset_url (url))
    gtk_editable_set_text (GTK_EDITABLE (self->url_row),
                           presets[selected].base_url != NULL ? presets[selected].base_url : "");

  update_sensitivity (self);
}

static void
reset (WrAddProviderPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  adw_combo_row_set_selected (self->preset_row, 0);
  on_preset_selected_cb (self);
  set_error (self, NULL);
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
  const char *key;

  if (self->cancellable != NULL || !is_valid (self))
    return;

  name = dup_stripped (self->name_row);
  url = dup_stripped (self->url_row);
  key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  set_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);

  /* Only "openai" exists for now (the kind row has one entry). */
  wr_provider_registry_add_async (self->registry, name, "openai", url,
                                  *key != '\0' ? key : NULL,
                                  self->cancellable, on_add_cb, g_object_ref (self));
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

/* Opened to be filled in: start typing the name (the preset already chose
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
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_ADD_PROVIDER_PAGE);
  g_clear_object (&self->cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, preset_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, WrAddProviderPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "add-provider.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "add-provider.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "add-provider.cancel", NULL);
}

static void
wr_add_provider_page_init (WrAddProviderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  on_preset_selected_cb (self);
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
