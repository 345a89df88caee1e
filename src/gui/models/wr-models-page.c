/* wr-models-page.c — Preferences › Models.
 *
 * Shows the session's model catalogue (which re-merges its prices when the
 * price table changes) grouped by provider, in the registry's order. The
 * "Custom" tag needs to know whether the price that applies was set by the
 * user, which only the price table says: the page keeps a snapshot of it,
 * read in a worker thread at start and after every billing change.
 *
 * The groups and rows are kept and updated in place while the providers
 * and their model names stay the same (a price change), so the page does
 * not jump; they are rebuilt when those change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-models-page.h"
#include "wr-models-page-private.h"
#include "wr-price-dialog.h"
#include "wr-price-editing-private.h"

typedef struct {
  char                *provider_id;
  AdwPreferencesGroup *group;   /* borrowed: a child of the page */
  GPtrArray           *rows;    /* element-type AdwActionRow, borrowed */
} ProviderGroup;

struct _WrModelsPage
{
  AdwPreferencesPage   parent_instance;

  WrSession           *session;             /* owned */
  WrModelCatalog      *catalog;             /* owned */
  WrBilling           *billing;             /* owned */
  GCancellable        *cancellable;         /* owned: table reads */
  GCancellable        *refresh_cancellable; /* owned, nullable: our refresh */
  WrPriceTable        *table;               /* owned, nullable until read */
  GPtrArray           *groups;              /* element-type ProviderGroup, in order */
  guint                loading_table : 1;
  guint                table_again : 1;     /* the table changed while being read */

  /* template children */
  AdwPreferencesGroup *intro_group;
  GtkSpinner          *spinner;
  GtkWidget           *status_group;
  AdwActionRow        *status_row;
  WrKnowledgeModelsGroup *knowledge_group;
};

G_DEFINE_FINAL_TYPE (WrModelsPage, wr_models_page, ADW_TYPE_PREFERENCES_PAGE)

static void load_table (WrModelsPage *self);

static void
provider_group_free (ProviderGroup *group)
{
  g_free (group->provider_id);
  g_ptr_array_unref (group->rows);
  g_free (group);
}

static void
add_toast (WrModelsPage *self,
           const char   *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (title));
  else
    g_message ("%s", title);
}

/* "Vision", "Embeddings only"…: what the model does beyond chatting
 * (nothing for a chat-only model). */
static const char *
capabilities_text (WrModelCapabilities capabilities)
{
  gboolean chat = (capabilities & WR_MODEL_CAPABILITY_CHAT) != 0;
  gboolean vision = (capabilities & WR_MODEL_CAPABILITY_VISION) != 0;
  gboolean embeddings = (capabilities & WR_MODEL_CAPABILITY_EMBEDDINGS) != 0;

  if (vision && embeddings)
    return chat ? _("Vision, embeddings") : _("Vision and embeddings only");
  if (vision)
    return chat ? _("Vision") : _("Vision only");
  if (embeddings)
    return chat ? _("Chat, embeddings") : _("Embeddings only");

  return NULL;
}

static char *
dup_subtitle (WrModelInfo *info)
{
  const char *capabilities = capabilities_text (wr_model_info_get_capabilities (info));
  g_autofree char *price = NULL;
  g_autofree char *line = NULL;

  if (wr_model_info_get_local (info))
    price = g_strdup (_("Free — runs on this computer"));
  else
    {
      g_autofree char *input = wr_billing_format_credits (wr_model_info_get_input_price (info));
      g_autofree char *output = wr_billing_format_credits (wr_model_info_get_output_price (info));

      /* TRANSLATORS: credits per million tokens: "In 2.50 · Out 10.00 per 1M tokens" */
      price = g_strdup_printf (_("In %s · Out %s per 1M tokens"), input, output);
    }

  if (capabilities != NULL)
    /* TRANSLATORS: a price, then what the model can do: "In 2.50 · Out 10.00 per 1M tokens · Vision" */
    line = g_strdup_printf (_("%s · %s"), price, capabilities);
  else
    line = g_steal_pointer (&price);

  if (!wr_model_info_get_available (info))
    /* TRANSLATORS: %s is a short reason ("Not reachable"), then the price line */
    return g_strdup_printf (_("Unavailable: %s\n%s"), wr_model_info_get_reason (info), line);

  return g_steal_pointer (&line);
}

/* Whether the user set this model's price (the row that applies is theirs)
 * or capabilities. */
static gboolean
is_custom (WrModelsPage *self,
           WrModelInfo  *info)
{
  if (wr_model_info_get_capabilities_custom (info))
    return TRUE;

  if (!wr_model_info_get_local (info) && self->table != NULL)
    return wr_price_table_match (self->table, wr_model_info_get_name (info))->custom;

  return FALSE;
}

static void
update_row (WrModelsPage *self,
            AdwActionRow *row,
            WrModelInfo  *info)
{
  GtkWidget *tag = g_object_get_data (G_OBJECT (row), "wr-custom-tag");
  g_autofree char *subtitle = dup_subtitle (info);
  gboolean available = wr_model_info_get_available (info);

  g_object_set_data_full (G_OBJECT (row), "wr-model-info", g_object_ref (info), g_object_unref);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wr_model_info_get_name (info));
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_visible (tag, is_custom (self, info));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), available ? NULL : wr_model_info_get_detail (info));
  if (available)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "wr-model-unavailable");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "wr-model-unavailable");
}

static void
on_row_activated_cb (WrModelsPage *self,
                     AdwActionRow *row)
{
  WrModelInfo *info = g_object_get_data (G_OBJECT (row), "wr-model-info");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const WrModelPrice *price = NULL;
  GtkWidget *dialog;

  if (info == NULL)
    return;

  if (self->table != NULL)
    price = wr_price_table_match (self->table, wr_model_info_get_name (info));

  dialog = wr_price_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->billing, info, price);
  /* No need to listen for "saved": the change reaches the row through the
   * billing "changed" signal (the catalogue re-merges, the table is read
   * again). */
  gtk_window_present (GTK_WINDOW (dialog));
}

static AdwActionRow *
create_row (WrModelsPage *self)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *tag = gtk_label_new (_("Custom"));
  GtkWidget *arrow = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", "go-next-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_set_subtitle_lines (row, 0);

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (tag, _("You set this model’s price or capabilities"));
  gtk_widget_add_css_class (tag, "wr-custom-tag");
  gtk_widget_set_visible (tag, FALSE);
  adw_action_row_add_suffix (row, tag);
  g_object_set_data (G_OBJECT (row), "wr-custom-tag", tag);

  adw_action_row_add_suffix (row, arrow);

  g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);

  return row;
}

static void
clear_groups (WrModelsPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    {
      ProviderGroup *group = g_ptr_array_index (self->groups, i);

      adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), group->group);
    }
  g_ptr_array_set_size (self->groups, 0);
}

static gboolean
same_names (ProviderGroup *group,
            GPtrArray     *infos)
{
  if (group->rows->len != infos->len)
    return FALSE;

  for (guint i = 0; i < infos->len; i++)
    {
      WrModelInfo *shown = g_object_get_data (g_ptr_array_index (group->rows, i), "wr-model-info");

      if (g_strcmp0 (wr_model_info_get_name (shown), wr_model_info_get_name (g_ptr_array_index (infos, i))) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
fill_group (WrModelsPage  *self,
            ProviderGroup *group,
            WrProvider    *provider,
            GPtrArray     *infos)
{
  const char *reason = NULL;
  const char *detail = NULL;
  const char *description = NULL;

  adw_preferences_group_set_title (group->group, wr_provider_get_name (provider));

  if (wr_model_catalog_get_provider_problem (self->catalog, wr_provider_get_id (provider), &reason, &detail))
    description = detail != NULL ? detail : reason;
  else if (infos->len == 0 && wr_model_catalog_get_refreshing (self->catalog))
    description = _("Loading models…");
  else if (infos->len == 0)
    description = _("This provider lists no models. Refresh to ask it again.");
  adw_preferences_group_set_description (group->group, description);

  if (same_names (group, infos))
    {
      for (guint i = 0; i < infos->len; i++)
        update_row (self, g_ptr_array_index (group->rows, i), g_ptr_array_index (infos, i));
      return;
    }

  for (guint i = 0; i < group->rows->len; i++)
    adw_preferences_group_remove (group->group, g_ptr_array_index (group->rows, i));
  g_ptr_array_set_size (group->rows, 0);

  for (guint i = 0; i < infos->len; i++)
    {
      AdwActionRow *row = create_row (self);

      update_row (self, row, g_ptr_array_index (infos, i));
      adw_preferences_group_add (group->group, GTK_WIDGET (row));
      g_ptr_array_add (group->rows, row);
    }
}

static void
set_status (WrModelsPage *self,
            const char   *title,
            const char   *subtitle)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), title != NULL ? title : "");
  adw_action_row_set_subtitle (self->status_row, subtitle);
  gtk_widget_set_visible (self->status_group, title != NULL);
}

/* Brings the groups and rows in line with the providers, the catalogue
 * and the price table. */
static void
sync_page (WrModelsPage *self)
{
  GListModel *providers = G_LIST_MODEL (wr_session_get_providers (self->session));
  GListModel *items = G_LIST_MODEL (self->catalog);
  guint n_providers = g_list_model_get_n_items (providers);
  g_autoptr(GHashTable) by_provider = NULL;
  gboolean same_providers;

  if (n_providers == 0)
    {
      clear_groups (self);
      set_status (self, _("No Providers"),
                  _("Add a provider on the Providers page, or start a local server such as Ollama."));
      return;
    }

  if (self->table == NULL)
    {
      set_status (self, _("Loading…"), NULL);
      return;
    }

  if (g_list_model_get_n_items (items) == 0 && wr_model_catalog_get_refreshing (self->catalog))
    set_status (self, _("Loading models…"), NULL);
  else
    set_status (self, NULL, NULL);

  by_provider = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      WrModelInfo *info = g_list_model_get_item (items, i);
      GPtrArray *infos = g_hash_table_lookup (by_provider, wr_model_info_get_provider_id (info));

      if (infos == NULL)
        {
          infos = g_ptr_array_new_with_free_func (g_object_unref);
          /* Keyed by the info's own string: it lives as long as the array. */
          g_hash_table_insert (by_provider, (gpointer) wr_model_info_get_provider_id (info), infos);
        }
      g_ptr_array_add (infos, info);
    }

  same_providers = self->groups->len == n_providers;
  for (guint i = 0; same_providers && i < n_providers; i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (providers, i);
      ProviderGroup *group = g_ptr_array_index (self->groups, i);

      same_providers = g_strcmp0 (group->provider_id, wr_provider_get_id (provider)) == 0;
    }

  if (!same_providers)
    {
      clear_groups (self);
      for (guint i = 0; i < n_providers; i++)
        {
          g_autoptr(WrProvider) provider = g_list_model_get_item (providers, i);
          ProviderGroup *group = g_new0 (ProviderGroup, 1);

          group->provider_id = g_strdup (wr_provider_get_id (provider));
          group->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          group->rows = g_ptr_array_new ();
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group->group);
          g_ptr_array_add (self->groups, group);
        }
    }

  for (guint i = 0; i < n_providers; i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (providers, i);
      g_autoptr(GPtrArray) none = g_ptr_array_new ();
      GPtrArray *infos = g_hash_table_lookup (by_provider, wr_provider_get_id (provider));

      fill_group (self, g_ptr_array_index (self->groups, i), provider, infos != NULL ? infos : none);
    }
}

static void
on_refreshing_changed_cb (WrModelsPage *self)
{
  gboolean refreshing = wr_model_catalog_get_refreshing (self->catalog);
  gboolean any = !wr_provider_registry_is_empty (wr_session_get_providers (self->session));

  gtk_spinner_set_spinning (self->spinner, refreshing);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), refreshing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "models.refresh", any && !refreshing);
  sync_page (self);
}

static void
on_refresh_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WrModelsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: %s says why */
      title = g_strdup_printf (_("Could not list the models: %s"), error->message);
      add_toast (self, title);
    }

  g_clear_object (&self->refresh_cancellable);
}

static void
refresh (WrModelsPage *self)
{
  if (wr_provider_registry_is_empty (wr_session_get_providers (self->session)))
    return;

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();
  wr_model_catalog_refresh_async (self->catalog, self->refresh_cancellable, on_refresh_cb, g_object_ref (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  refresh (WR_MODELS_PAGE (widget));
}

static void
on_table_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrModelsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  WrPriceTable *table;

  table = _wr_price_table_load_finish (WR_BILLING (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_table = FALSE;
  if (table == NULL)
    {
      /* TRANSLATORS: %s says why */
      g_autofree char *title = g_strdup_printf (_("Could not read the model prices: %s"), error->message);

      add_toast (self, title);
    }
  else
    {
      g_clear_pointer (&self->table, wr_price_table_unref);
      self->table = table;
    }

  if (self->table_again)
    load_table (self);
  sync_page (self);
}

/* One read at a time; a change during a read reads again after it. */
static void
load_table (WrModelsPage *self)
{
  if (self->loading_table)
    {
      self->table_again = TRUE;
      return;
    }

  self->loading_table = TRUE;
  self->table_again = FALSE;
  _wr_price_table_load_async (self->billing, self->cancellable, on_table_loaded_cb, g_object_ref (self));
}

static void
on_providers_changed_cb (WrModelsPage *self)
{
  on_refreshing_changed_cb (self);
}

static void
wr_models_page_dispose (GObject *object)
{
  WrModelsPage *self = WR_MODELS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->catalog, self);
      g_signal_handlers_disconnect_by_data (self->billing, self);
      g_signal_handlers_disconnect_by_data (wr_session_get_providers (self->session), self);
    }
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_MODELS_PAGE);
  g_clear_pointer (&self->table, wr_price_table_unref);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->catalog);
  g_clear_object (&self->billing);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_models_page_parent_class)->dispose (object);
}

static void
wr_models_page_class_init (WrModelsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  object_class->dispose = wr_models_page_dispose;

  g_type_ensure (WR_TYPE_KNOWLEDGE_MODELS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/models/wr-models-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WrModelsPage, intro_group);
  gtk_widget_class_bind_template_child (widget_class, WrModelsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrModelsPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, WrModelsPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, WrModelsPage, knowledge_group);

  gtk_widget_class_install_action (widget_class, "models.refresh", NULL, refresh_action);

  if (gdk_display_get_default () != NULL)
    {
      gtk_css_provider_load_from_resource (provider, "/io/github/workroom/Workroom/models/models.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
}

static void
wr_models_page_init (WrModelsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_group_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wr_models_page_new (WrSession *session)
{
  WrModelsPage *self;

  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  self = g_object_new (WR_TYPE_MODELS_PAGE, NULL);
  self->session = g_object_ref (session);
  self->catalog = g_object_ref (wr_session_get_model_catalog (session));
  self->billing = g_object_ref (wr_session_get_billing (session));
  wr_knowledge_models_group_set_session (self->knowledge_group, session);

  g_signal_connect_object (self->catalog, "items-changed", G_CALLBACK (sync_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->catalog, "notify::refreshing",
                           G_CALLBACK (on_refreshing_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (wr_session_get_providers (session), "items-changed",
                           G_CALLBACK (on_providers_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->billing, "changed", G_CALLBACK (load_table), self, G_CONNECT_SWAPPED);

  load_table (self);
  /* Preferences refreshes the catalogue when it opens; alone, the page
   * does it if nobody has. */
  if (wr_model_catalog_get_refreshed_at (self->catalog) == 0 && !wr_model_catalog_get_refreshing (self->catalog))
    refresh (self);
  on_refreshing_changed_cb (self);

  return GTK_WIDGET (self);
}

AdwPreferencesGroup *
_wr_models_page_find_group (WrModelsPage *self,
                            const char   *provider_id)
{
  g_return_val_if_fail (WR_IS_MODELS_PAGE (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      ProviderGroup *group = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (group->provider_id, provider_id) == 0)
        return group->group;
    }

  return NULL;
}

AdwActionRow *
_wr_models_page_find_row (WrModelsPage *self,
                          const char   *provider_id,
                          const char   *model)
{
  g_return_val_if_fail (WR_IS_MODELS_PAGE (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      ProviderGroup *group = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (group->provider_id, provider_id) != 0)
        continue;
      for (guint j = 0; j < group->rows->len; j++)
        {
          AdwActionRow *row = g_ptr_array_index (group->rows, j);

          if (g_strcmp0 (wr_model_info_get_name (_wr_models_page_row_get_info (row)), model) == 0)
            return row;
        }
    }

  return NULL;
}

WrModelInfo *
_wr_models_page_row_get_info (AdwActionRow *row)
{
  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), NULL);

  return g_object_get_data (G_OBJECT (row), "wr-model-info");
}

gboolean
_wr_models_page_row_get_custom (AdwActionRow *row)
{
  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), FALSE);

  return gtk_widget_get_visible (g_object_get_data (G_OBJECT (row), "wr-custom-tag"));
}

gboolean
_wr_models_page_get_busy (WrModelsPage *self)
{
  g_return_val_if_fail (WR_IS_MODELS_PAGE (self), FALSE);

  return self->loading_table || self->refresh_cancellable != NULL;
}

WrKnowledgeModelsGroup *
_wr_models_page_get_knowledge_group (WrModelsPage *self)
{
  g_return_val_if_fail (WR_IS_MODELS_PAGE (self), NULL);

  return self->knowledge_group;
}

const char *
_wr_models_page_get_status (WrModelsPage *self)
{
  g_return_val_if_fail (WR_IS_MODELS_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->status_group))
    return NULL;

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->status_row));
}
