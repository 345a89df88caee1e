/* wr-knowledge-models-group.c — see wr-knowledge-models-group.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-knowledge-models-group.h"

typedef struct {
  char *model;         /* NULL: None */
  char *provider_id;
} Choice;

static void
choice_free (Choice *choice)
{
  g_free (choice->model);
  g_free (choice->provider_id);
  g_free (choice);
}

struct _WrKnowledgeModelsGroup
{
  AdwPreferencesGroup  parent_instance;

  WrSession           *session;       /* owned */
  WrModelCatalog      *catalog;       /* owned */
  WrProfile           *profile;       /* owned, nullable until loaded */
  GCancellable        *cancellable;
  guint                syncing;       /* > 0: selection changes are ours */
  guint                saving;        /* a save is under way */
  gboolean             stale;         /* the rows wait for the group to show */
  GQueue               pending;       /* SaveData, one save at a time */

  AdwComboRow         *search_row;
  AdwComboRow         *vision_row;
  GPtrArray           *search_choices; /* Choice, in the row's order */
  GPtrArray           *vision_choices;
};

G_DEFINE_FINAL_TYPE (WrKnowledgeModelsGroup, wr_knowledge_models_group, ADW_TYPE_PREFERENCES_GROUP)

static void
add_choice (GPtrArray     *choices,
            GtkStringList *labels,
            const char    *model,
            const char    *provider_id,
            const char    *label)
{
  Choice *choice = g_new0 (Choice, 1);

  choice->model = g_strdup (model);
  choice->provider_id = g_strdup (provider_id);
  g_ptr_array_add (choices, choice);
  gtk_string_list_append (labels, label);
}

/* Fills @row with None + the catalogue's models that can do @capability,
 * and selects what the profile names (shown even when not listed now). */
static void
fill_row (WrKnowledgeModelsGroup *self,
          AdwComboRow            *row,
          GPtrArray              *choices,
          WrModelCapabilities     capability,
          const char             *current_model,
          const char             *current_provider)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GListModel *items = G_LIST_MODEL (self->catalog);
  guint selected = 0;

  g_ptr_array_set_size (choices, 0);
  add_choice (choices, labels, NULL, NULL, _("None"));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(WrModelInfo) info = g_list_model_get_item (items, i);
      g_autofree char *label = NULL;

      if ((wr_model_info_get_capabilities (info) & capability) == 0)
        continue;
      /* TRANSLATORS: a model, then its provider: "text-embedding-3-small — OpenAI" */
      label = g_strdup_printf (_("%s — %s"), wr_model_info_get_name (info),
                               wr_model_info_get_provider_name (info));
      if (g_strcmp0 (wr_model_info_get_name (info), current_model) == 0 &&
          (current_provider == NULL || g_strcmp0 (wr_model_info_get_provider_id (info), current_provider) == 0) &&
          selected == 0)
        selected = choices->len;
      add_choice (choices, labels, wr_model_info_get_name (info), wr_model_info_get_provider_id (info), label);
    }

  if (current_model != NULL && selected == 0)
    {
      selected = choices->len;
      add_choice (choices, labels, current_model, current_provider, current_model);
    }

  self->syncing++;
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, selected);
  self->syncing--;
}

static void
sync_rows (WrKnowledgeModelsGroup *self)
{
  gboolean loaded = self->profile != NULL;

  /* While hidden (another Preferences page shows), the rows wait: the
   * catalogue changes often then (a provider added refreshes it), and
   * replacing a combo row's model under the accessibility bridge each
   * time slows the whole window. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->search_row), loaded);
  gtk_widget_set_sensitive (GTK_WIDGET (self->vision_row), loaded);
  if (!loaded || self->catalog == NULL)
    return;

  fill_row (self, self->search_row, self->search_choices, WR_MODEL_CAPABILITY_EMBEDDINGS,
            wr_profile_get_embeddings_model (self->profile),
            wr_profile_get_embeddings_provider_id (self->profile));
  fill_row (self, self->vision_row, self->vision_choices, WR_MODEL_CAPABILITY_VISION,
            wr_profile_get_vision_model (self->profile),
            wr_profile_get_vision_provider_id (self->profile));
}

static void start_next_save (WrKnowledgeModelsGroup *self);

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrKnowledgeModelsGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving--;
  start_next_save (self);
  if (!wr_store_save_profile_finish (WR_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      /* TRANSLATORS: %s says why */
      g_autofree char *title = g_strdup_printf (_("Could not save the model choice: %s"), error->message);

      if (ADW_IS_PREFERENCES_WINDOW (root))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (title));
      else
        g_warning ("%s", title);
    }
}

typedef struct {
  WrKnowledgeModelsGroup *self;     /* owned */
  gboolean                vision;
  Choice                 *choice;   /* owned */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  choice_free (data->choice);
  g_free (data);
}

/* The profile as stored now (other pages change it too), with only this
 * choice changed. */
static void
on_fresh_profile_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SaveData *data = user_data;
  WrKnowledgeModelsGroup *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = wr_store_get_profile_finish (WR_STORE (object), result, &error);

  if (profile == NULL)
    {
      self->saving--;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not read the profile: %s", error->message);
          start_next_save (self);
        }
      save_data_free (data);
      return;
    }

  if (data->vision)
    {
      wr_profile_set_vision_model (profile, data->choice->model);
      wr_profile_set_vision_provider_id (profile, data->choice->provider_id);
    }
  else
    {
      wr_profile_set_embeddings_model (profile, data->choice->model);
      wr_profile_set_embeddings_provider_id (profile, data->choice->provider_id);
    }
  g_set_object (&self->profile, profile);
  wr_store_save_profile_async (wr_session_get_store (self->session), profile,
                               self->cancellable, on_saved_cb, g_object_ref (self));
  save_data_free (data);
}

static void
on_selected_cb (WrKnowledgeModelsGroup *self,
                GParamSpec             *pspec,
                AdwComboRow            *row)
{
  gboolean vision = row == self->vision_row;
  GPtrArray *choices = vision ? self->vision_choices : self->search_choices;
  guint selected = adw_combo_row_get_selected (row);
  Choice *choice;
  SaveData *data;

  if (self->syncing > 0 || self->profile == NULL || selected >= choices->len)
    return;

  choice = g_ptr_array_index (choices, selected);
  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->vision = vision;
  data->choice = g_new0 (Choice, 1);
  data->choice->model = g_strdup (choice->model);
  data->choice->provider_id = g_strdup (choice->provider_id);

  g_queue_push_tail (&self->pending, data);
  start_next_save (self);
}

/* Saves run one after the other, each on the profile the previous one
 * stored, so two quick choices both stick. */
static void
start_next_save (WrKnowledgeModelsGroup *self)
{
  SaveData *data;

  if (self->saving > 0 || (data = g_queue_pop_head (&self->pending)) == NULL)
    return;

  self->saving++;
  wr_store_get_profile_async (wr_session_get_store (self->session), self->cancellable,
                              on_fresh_profile_cb, data);
}

static void
on_profile_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WrKnowledgeModelsGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  WrProfile *profile = wr_store_get_profile_finish (WR_STORE (object), result, &error);

  if (profile == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the profile: %s", error->message);
      return;
    }

  g_set_object (&self->profile, profile);
  g_object_unref (profile);
  sync_rows (self);
}

static void
on_map_cb (WrKnowledgeModelsGroup *self)
{
  if (self->stale)
    sync_rows (self);
}

static AdwComboRow *
create_row (WrKnowledgeModelsGroup *self,
            const char             *title,
            const char             *subtitle)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_sensitive (GTK_WIDGET (row), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_selected_cb), self, G_CONNECT_SWAPPED);
  return row;
}

static void
wr_knowledge_models_group_dispose (GObject *object)
{
  WrKnowledgeModelsGroup *self = WR_KNOWLEDGE_MODELS_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->pending, (GDestroyNotify) save_data_free);
  g_clear_object (&self->profile);
  g_clear_object (&self->catalog);
  g_clear_object (&self->session);
  g_clear_pointer (&self->search_choices, g_ptr_array_unref);
  g_clear_pointer (&self->vision_choices, g_ptr_array_unref);

  G_OBJECT_CLASS (wr_knowledge_models_group_parent_class)->dispose (object);
}

static void
wr_knowledge_models_group_class_init (WrKnowledgeModelsGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wr_knowledge_models_group_dispose;
}

static void
wr_knowledge_models_group_init (WrKnowledgeModelsGroup *self)
{
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->pending);
  self->search_choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  self->vision_choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Knowledge Search"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
    _("A search model lets project search and chats find passages by meaning, not only by their "
      "words; an image description model describes imported images so search finds what they show. "
      "Documents are indexed in the background after they are imported; each model call is "
      "metered like a chat."));

  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);

  self->search_row = create_row (self, _("Search Model"),
                                 _("An embeddings model. None: search matches words only."));
  self->vision_row = create_row (self, _("Image Description Model"),
                                 _("A model that can see images. None: images are searched by the text in them."));
}

void
wr_knowledge_models_group_set_session (WrKnowledgeModelsGroup *self,
                                       WrSession              *session)
{
  g_return_if_fail (WR_IS_KNOWLEDGE_MODELS_GROUP (self));
  g_return_if_fail (WR_IS_SESSION (session));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->catalog = g_object_ref (wr_session_get_model_catalog (session));
  g_signal_connect_object (self->catalog, "items-changed", G_CALLBACK (sync_rows), self, G_CONNECT_SWAPPED);
  wr_store_get_profile_async (wr_session_get_store (session), self->cancellable, on_profile_cb, g_object_ref (self));
}

AdwComboRow *
_wr_knowledge_models_group_get_search_row (WrKnowledgeModelsGroup *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_MODELS_GROUP (self), NULL);
  return self->search_row;
}

AdwComboRow *
_wr_knowledge_models_group_get_vision_row (WrKnowledgeModelsGroup *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_MODELS_GROUP (self), NULL);
  return self->vision_row;
}

gboolean
_wr_knowledge_models_group_get_busy (WrKnowledgeModelsGroup *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_MODELS_GROUP (self), FALSE);
  return self->profile == NULL || self->saving > 0 || !g_queue_is_empty (&self->pending);
}
