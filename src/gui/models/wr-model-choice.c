/* wr-model-choice.c — one entry of a model combo row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-model-choice.h"
#include "wr-model-row.h"

struct _WrModelChoice
{
  GObject      parent_instance;

  char        *title;
  char        *model;
  char        *provider_id;
  WrModelInfo *info;
};

G_DEFINE_FINAL_TYPE (WrModelChoice, wr_model_choice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_MODEL,
  PROP_PROVIDER_ID,
  PROP_INFO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_model_choice_dispose (GObject *object)
{
  WrModelChoice *self = WR_MODEL_CHOICE (object);

  g_clear_object (&self->info);

  G_OBJECT_CLASS (wr_model_choice_parent_class)->dispose (object);
}

static void
wr_model_choice_finalize (GObject *object)
{
  WrModelChoice *self = WR_MODEL_CHOICE (object);

  g_free (self->title);
  g_free (self->model);
  g_free (self->provider_id);

  G_OBJECT_CLASS (wr_model_choice_parent_class)->finalize (object);
}

static void
wr_model_choice_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WrModelChoice *self = WR_MODEL_CHOICE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_model_choice_class_init (WrModelChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_model_choice_dispose;
  object_class->finalize = wr_model_choice_finalize;
  object_class->get_property = wr_model_choice_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL, WR_TYPE_MODEL_INFO, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_model_choice_init (WrModelChoice *self)
{
}

WrModelChoice *
wr_model_choice_new_default (const char *title)
{
  WrModelChoice *self = g_object_new (WR_TYPE_MODEL_CHOICE, NULL);

  self->title = g_strdup (title);
  return self;
}

WrModelChoice *
wr_model_choice_new_for_info (WrModelInfo *info)
{
  WrModelChoice *self;

  g_return_val_if_fail (WR_IS_MODEL_INFO (info), NULL);

  self = g_object_new (WR_TYPE_MODEL_CHOICE, NULL);
  self->info = g_object_ref (info);
  self->title = g_strdup (wr_model_info_get_name (info));
  self->model = g_strdup (wr_model_info_get_name (info));
  self->provider_id = g_strdup (wr_model_info_get_provider_id (info));
  return self;
}

WrModelChoice *
wr_model_choice_new_unlisted (const char *model,
                              const char *provider_id)
{
  WrModelChoice *self;

  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (WR_TYPE_MODEL_CHOICE, NULL);
  self->title = g_strdup (model);
  self->model = g_strdup (model);
  self->provider_id = g_strdup (provider_id);
  return self;
}

const char *
wr_model_choice_get_title (WrModelChoice *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CHOICE (self), NULL);
  return self->title;
}

const char *
wr_model_choice_get_model (WrModelChoice *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CHOICE (self), NULL);
  return self->model;
}

const char *
wr_model_choice_get_provider_id (WrModelChoice *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CHOICE (self), NULL);
  return self->provider_id;
}

WrModelInfo *
wr_model_choice_get_info (WrModelChoice *self)
{
  g_return_val_if_fail (WR_IS_MODEL_CHOICE (self), NULL);
  return self->info;
}

static gboolean
matches (WrModelInfo *info,
         const char  *model,
         const char  *provider_id)
{
  return g_strcmp0 (wr_model_info_get_name (info), model) == 0 &&
         (provider_id == NULL || g_strcmp0 (wr_model_info_get_provider_id (info), provider_id) == 0);
}

GListModel *
wr_model_choices_new (GListModel *catalog,
                      const char *default_title,
                      const char *model,
                      const char *provider_id,
                      guint      *out_selected)
{
  GListStore *store = g_list_store_new (WR_TYPE_MODEL_CHOICE);
  g_autoptr(WrModelChoice) first = wr_model_choice_new_default (default_title);
  guint n = catalog != NULL ? g_list_model_get_n_items (catalog) : 0;
  guint selected = 0;
  gboolean found = (model == NULL);

  g_list_store_append (store, first);

  /* Prefer the available entry when only the name is known. */
  for (guint pass = 0; pass < 2 && !found; pass++)
    for (guint i = 0; i < n && !found; i++)
      {
        g_autoptr(WrModelInfo) info = g_list_model_get_item (catalog, i);

        found = matches (info, model, provider_id) && (pass == 1 || wr_model_info_get_available (info));
      }

  if (!found)
    {
      g_autoptr(WrModelChoice) unlisted = wr_model_choice_new_unlisted (model, provider_id);

      g_list_store_append (store, unlisted);
      selected = 1;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrModelInfo) info = g_list_model_get_item (catalog, i);
      g_autoptr(WrModelChoice) choice = NULL;

      if (!wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_CHAT))
        continue;

      choice = wr_model_choice_new_for_info (info);
      g_list_store_append (store, choice);
      if (found && model != NULL && selected == 0 && matches (info, model, provider_id) &&
          wr_model_info_get_available (info))
        selected = g_list_model_get_n_items (G_LIST_MODEL (store)) - 1;
    }

  /* Only unavailable entries carry the name: take the first of them. */
  for (guint i = 1; found && model != NULL && selected == 0 && i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(WrModelChoice) choice = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (choice->info != NULL && matches (choice->info, model, provider_id))
        selected = i;
    }

  if (out_selected != NULL)
    *out_selected = selected;

  return G_LIST_MODEL (store);
}

/* Factories ------------------------------------------------------------------ */

static void
on_label_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_list_item_set_child (item, label);
}

static void
on_label_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  WrModelChoice *choice = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), choice->title);
}

static void
on_row_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *row = wr_model_row_new ();

  /* Unavailable models can still be a default: dimmed, not refused. */
  wr_model_row_set_unavailable_choosable (WR_MODEL_ROW (row), TRUE);
  gtk_list_item_set_child (item, row);
}

static void
on_combo_selected_cb (AdwComboRow *combo,
                      GParamSpec  *pspec,
                      GtkListItem *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (row != NULL)
    wr_model_row_set_selected (WR_MODEL_ROW (row),
                               gtk_list_item_get_position (item) == adw_combo_row_get_selected (combo));
}

static void
on_row_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AdwComboRow              *combo)
{
  WrModelChoice *choice = gtk_list_item_get_item (item);
  WrModelRow *row = WR_MODEL_ROW (gtk_list_item_get_child (item));
  guint position = gtk_list_item_get_position (item);
  GListModel *model = adw_combo_row_get_model (combo);
  const char *header = NULL;

  if (choice->info != NULL)
    {
      g_autoptr(WrModelChoice) before = position > 0 ? g_list_model_get_item (model, position - 1) : NULL;

      wr_model_row_set_info (row, choice->info);
      if (before == NULL || before->info == NULL ||
          g_strcmp0 (wr_model_info_get_provider_id (before->info), wr_model_info_get_provider_id (choice->info)) != 0)
        header = wr_model_info_get_provider_name (choice->info);
    }
  else if (choice->model != NULL)
    wr_model_row_set_text (row, choice->title, _("Not listed by any provider now"));
  else
    wr_model_row_set_text (row, choice->title, NULL);

  wr_model_row_set_header (row, header);
  wr_model_row_set_selected (row, position == adw_combo_row_get_selected (combo));
  g_signal_connect_object (combo, "notify::selected", G_CALLBACK (on_combo_selected_cb), item, 0);
}

static void
on_row_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  AdwComboRow              *combo)
{
  g_signal_handlers_disconnect_by_func (combo, on_combo_selected_cb, item);
}

void
wr_model_choice_setup_combo (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (on_label_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_label_bind_cb), NULL);
  g_signal_connect (list_factory, "setup", G_CALLBACK (on_row_setup_cb), NULL);
  g_signal_connect_object (list_factory, "bind", G_CALLBACK (on_row_bind_cb), row, 0);
  g_signal_connect_object (list_factory, "unbind", G_CALLBACK (on_row_unbind_cb), row, 0);

  adw_combo_row_set_factory (row, factory);
  adw_combo_row_set_list_factory (row, list_factory);
}
