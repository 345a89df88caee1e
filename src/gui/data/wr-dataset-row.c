/* wr-dataset-row.c — one row of a dataset as the table shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-dataset-row.h"

struct _WrDatasetRow
{
  GObject    parent_instance;

  guint      position;
  JsonArray *cells;      /* owned, nullable: not loaded yet */
};

G_DEFINE_FINAL_TYPE (WrDatasetRow, wr_dataset_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_dataset_row_finalize (GObject *object)
{
  WrDatasetRow *self = WR_DATASET_ROW (object);

  g_clear_pointer (&self->cells, json_array_unref);

  G_OBJECT_CLASS (wr_dataset_row_parent_class)->finalize (object);
}

static void
wr_dataset_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WrDatasetRow *self = WR_DATASET_ROW (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->cells != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_dataset_row_class_init (WrDatasetRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wr_dataset_row_finalize;
  object_class->get_property = wr_dataset_row_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_dataset_row_init (WrDatasetRow *self)
{
}

WrDatasetRow *
wr_dataset_row_new (guint      position,
                    JsonArray *cells)
{
  WrDatasetRow *self = g_object_new (WR_TYPE_DATASET_ROW, NULL);

  self->position = position;
  self->cells = cells != NULL ? json_array_ref (cells) : NULL;
  return self;
}

guint
wr_dataset_row_get_position (WrDatasetRow *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROW (self), 0);

  return self->position;
}

gboolean
wr_dataset_row_get_loaded (WrDatasetRow *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROW (self), FALSE);

  return self->cells != NULL;
}

void
wr_dataset_row_set_cells (WrDatasetRow *self,
                          JsonArray    *cells)
{
  g_return_if_fail (WR_IS_DATASET_ROW (self));

  if (self->cells == cells)
    return;

  g_clear_pointer (&self->cells, json_array_unref);
  self->cells = cells != NULL ? json_array_ref (cells) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

char *
wr_dataset_row_dup_cell (WrDatasetRow *self,
                         guint         column)
{
  JsonNode *node;

  g_return_val_if_fail (WR_IS_DATASET_ROW (self), NULL);

  if (self->cells == NULL || column >= json_array_get_length (self->cells))
    return g_strdup ("");

  node = json_array_get_element (self->cells, column);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return json_to_string (node, FALSE);
}

/* Column cells: user_data is the column's index << 1 | numeric. */

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  gboolean numeric = GPOINTER_TO_UINT (user_data) & 1;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", GUINT_TO_POINTER (GPOINTER_TO_UINT (user_data) >> 1));
  gtk_list_item_set_child (item, label);
}

/* Also called when a row's page arrives after it was bound. */
static void
update_cell (WrDatasetRow *row,
             GParamSpec   *pspec,
             GtkLabel     *label)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "column"));
  g_autofree char *text = wr_dataset_row_dup_cell (row, column);

  gtk_label_set_text (label, text);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  WrDatasetRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));

  update_cell (row, NULL, label);
  /* Also loaded rows: a new sort order refills them in place. */
  g_signal_connect_object (row, "notify::loaded", G_CALLBACK (update_cell), label, 0);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  WrDatasetRow *row = gtk_list_item_get_item (item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, update_cell, gtk_list_item_get_child (item));
}

GtkListItemFactory *
wr_dataset_row_cell_factory_new (guint    column,
                                 gboolean numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  gpointer data = GUINT_TO_POINTER (column << 1 | (numeric ? 1 : 0));

  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), data);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), data);
  return factory;
}
