/* wr-column-header.c — column headers that sort a query, not the model.
 *
 * GTK 4.8 has no API to read which column a GtkColumnViewSorter sorts by
 * (gtk_column_view_sorter_get_primary_sort_column() is 4.10), so each
 * column's sorter is a probe: comparing two items with the view's sorter
 * calls the primary column's sorter first, which records its column, and
 * the sign of the answer gives the direction (the view inverts it for
 * descending). Nothing else ever compares with these sorters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-column-header.h"

#define INDEX_KEY "wr-column-index"

static guint probed;   /* index + 1 of the last sorter asked; main thread only */

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  probed = GPOINTER_TO_UINT (user_data);
  return GTK_ORDERING_SMALLER;
}

static GMenuItem *
menu_item (const char *label,
           const char *action,
           int         index)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  if (index >= 0)
    g_menu_item_set_action_and_target_value (item, action, g_variant_new_int32 (index));
  else
    g_menu_item_set_action_and_target_value (item, action, NULL);
  return item;
}

void
wr_column_header_setup (GtkColumnViewColumn *column,
                        guint                index)
{
  g_autoptr(GtkSorter) sorter = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) sort = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();
  g_autoptr(GMenuItem) ascending = menu_item (_("Sort _Ascending"), "table.sort-ascending", (int) index);
  g_autoptr(GMenuItem) descending = menu_item (_("Sort _Descending"), "table.sort-descending", (int) index);
  g_autoptr(GMenuItem) original = menu_item (_("_Original Order"), "table.clear-sort", -1);
  g_autoptr(GMenuItem) filter = menu_item (_("_Filter…"), "table.filter-column", (int) index);
  g_autoptr(GMenuItem) stats = menu_item (_("Column _Statistics"), "table.column-stats", (int) index);

  g_return_if_fail (GTK_IS_COLUMN_VIEW_COLUMN (column));

  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, GUINT_TO_POINTER (index + 1), NULL));
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_set_data (G_OBJECT (column), INDEX_KEY, GUINT_TO_POINTER (index + 1));

  g_menu_append_item (sort, ascending);
  g_menu_append_item (sort, descending);
  g_menu_append_item (sort, original);
  g_menu_append_item (more, filter);
  g_menu_append_item (more, stats);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (sort));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (menu));
}

int
wr_column_header_get_sort (GtkColumnView *view,
                           gboolean      *descending)
{
  GtkSorter *sorter;
  g_autoptr(GObject) a = NULL;
  g_autoptr(GObject) b = NULL;
  GtkOrdering order;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), -1);

  *descending = FALSE;
  sorter = gtk_column_view_get_sorter (view);
  if (sorter == NULL)
    return -1;

  a = g_object_new (G_TYPE_OBJECT, NULL);
  b = g_object_new (G_TYPE_OBJECT, NULL);
  probed = 0;
  order = gtk_sorter_compare (sorter, a, b);
  if (probed == 0 || order == GTK_ORDERING_EQUAL)
    return -1;
  *descending = order == GTK_ORDERING_LARGER;
  return (int) probed - 1;
}

GtkColumnViewColumn *
wr_column_header_find (GtkColumnView *view,
                       guint          index)
{
  GListModel *columns;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (column), INDEX_KEY)) == index + 1)
        return column;   /* the view keeps it alive */
    }
  return NULL;
}
