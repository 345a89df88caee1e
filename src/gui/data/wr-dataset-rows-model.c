/* wr-dataset-rows-model.c — a dataset's rows, read a page at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-dataset-rows-model.h"
#include "wr-dataset-row.h"
#include "data/wr-dataset.h"

/* Pages asked for but not read yet; older requests are dropped (their rows
 * scrolled out of view; asking again queues them again). */
#define MAX_WANTED 4

typedef struct {
  guint      index;
  JsonArray *rows;
} Page;

typedef struct {
  WrStore         *store;
  char            *dataset_id;
  guint            index;
  guint            generation;
  WrDatasetResult *result;       /* nullable: file order */
  guint            n_columns;
} ReadData;

struct _WrDatasetRowsModel
{
  GObject       parent_instance;

  WrStore      *store;          /* owned */
  char         *dataset_id;
  guint         n_items;
  guint         n_total;        /* the dataset's rows */
  WrDatasetResult *result;      /* owned, nullable: the order shown */
  guint         n_columns;
  guint         generation;     /* bumped when the order changes */
  GQueue        cache;          /* Page *, most recently used first */
  GQueue        wanted;         /* page indexes, most recently asked first */
  GHashTable   *placeholders;   /* position → WrDatasetRow handed out unloaded (weak) */
  GHashTable   *loaded;         /* position → WrDatasetRow handed out with cells (weak) */
  GCancellable *cancellable;
  guint         reading_page;
  guint         n_fetched;
  guint         start_idle_id;
  guint         reading : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WrDatasetRowsModel, wr_dataset_rows_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void start_next (WrDatasetRowsModel *self);

/* Helpers */

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->rows, json_array_unref);
  g_free (page);
}

static void
read_data_free (gpointer data)
{
  ReadData *read = data;

  g_clear_object (&read->store);
  g_clear_pointer (&read->result, wr_dataset_result_unref);
  g_free (read->dataset_id);
  g_free (read);
}

/* The cached page @index, moved to the front, or NULL. */
static Page *
lookup_page (WrDatasetRowsModel *self,
             guint               index)
{
  for (GList *l = self->cache.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        {
          g_queue_unlink (&self->cache, l);
          g_queue_push_head_link (&self->cache, l);
          return page;
        }
    }
  return NULL;
}

static void
on_placeholder_finalized (gpointer  data,
                          GObject  *where_the_object_was)
{
  WrDatasetRowsModel *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->placeholders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        return;
      }
  g_hash_table_iter_init (&iter, self->loaded);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        return;
      }
}

/* The row for @position of a page in the cache, the same one while it is
 * alive (so a new order can refill it in place). */
static WrDatasetRow *
dup_loaded (WrDatasetRowsModel *self,
            guint               position,
            JsonArray          *cells)
{
  WrDatasetRow *row = g_hash_table_lookup (self->loaded, GUINT_TO_POINTER (position));

  if (row != NULL)
    return g_object_ref (row);

  row = wr_dataset_row_new (position, cells);
  g_object_weak_ref (G_OBJECT (row), on_placeholder_finalized, self);
  g_hash_table_insert (self->loaded, GUINT_TO_POINTER (position), row);
  return row;
}

/* A row without cells for @position, the same one while it is alive. */
static WrDatasetRow *
dup_placeholder (WrDatasetRowsModel *self,
                 guint               position)
{
  WrDatasetRow *row = g_hash_table_lookup (self->placeholders, GUINT_TO_POINTER (position));

  if (row != NULL)
    return g_object_ref (row);

  row = wr_dataset_row_new (position, NULL);
  g_object_weak_ref (G_OBJECT (row), on_placeholder_finalized, self);
  g_hash_table_insert (self->placeholders, GUINT_TO_POINTER (position), row);
  return row;
}

/* Fills the rows handed out for @page before it arrived. */
static void
fill_placeholders (WrDatasetRowsModel *self,
                   Page               *page)
{
  guint start = page->index * WR_DATASET_ROWS_PAGE;
  guint length = json_array_get_length (page->rows);
  g_autoptr(GPtrArray) filled = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->placeholders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint position = GPOINTER_TO_UINT (key);

      if (position >= start && position - start < length)
        {
          g_ptr_array_add (filled, g_object_ref (value));
          g_hash_table_iter_remove (&iter);
          g_hash_table_insert (self->loaded, key, value);   /* keeps its weak ref */
        }
    }

  /* Notified after the table is done with, as handlers may ask for rows. */
  for (guint i = 0; i < filled->len; i++)
    {
      WrDatasetRow *row = g_ptr_array_index (filled, i);

      wr_dataset_row_set_cells (row, json_array_get_array_element (page->rows,
                                                                   wr_dataset_row_get_position (row) - start));
    }
}

static gboolean
start_idle_cb (gpointer user_data)
{
  WrDatasetRowsModel *self = user_data;

  self->start_idle_id = 0;
  start_next (self);
  return G_SOURCE_REMOVE;
}

static void
want_page (WrDatasetRowsModel *self,
           guint               index)
{
  gpointer key = GUINT_TO_POINTER (index);

  if (self->reading && self->reading_page == index)
    return;

  g_queue_remove (&self->wanted, key);
  g_queue_push_head (&self->wanted, key);
  while (g_queue_get_length (&self->wanted) > MAX_WANTED)
    g_queue_pop_tail (&self->wanted);

  /* Start once the view has asked for all it shows, so the newest request
   * goes first. */
  if (!self->reading && self->start_idle_id == 0)
    self->start_idle_id = g_idle_add (start_idle_cb, self);
}

/* Callbacks */

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadData *read = task_data;
  g_autoptr(GError) error = NULL;
  JsonArray *rows;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (read->result != NULL)
    rows = wr_dataset_result_read_rows (read->store, read->dataset_id, read->result,
                                        read->index * WR_DATASET_ROWS_PAGE, WR_DATASET_ROWS_PAGE,
                                        read->n_columns, &error);
  else
    rows = wr_dataset_read_rows (read->store, read->dataset_id,
                                 (gint64) read->index * WR_DATASET_ROWS_PAGE,
                                 WR_DATASET_ROWS_PAGE, &error);
  if (rows == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) json_array_unref);
}

static void
on_read_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WrDatasetRowsModel *self = WR_DATASET_ROWS_MODEL (source);
  g_autoptr(GError) error = NULL;
  ReadData *read = g_task_get_task_data (G_TASK (result));
  JsonArray *rows = g_task_propagate_pointer (G_TASK (result), &error);
  guint index = self->reading_page;
  Page *page;

  /* A page of an order no longer shown. */
  if (read->generation != self->generation)
    {
      g_clear_pointer (&rows, json_array_unref);
      return;
    }

  self->reading = FALSE;

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read rows of dataset %s: %s", self->dataset_id, error->message);
      if (!g_cancellable_is_cancelled (self->cancellable))
        start_next (self);
      return;
    }

  self->n_fetched++;
  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = rows;
  g_queue_push_head (&self->cache, page);
  while (g_queue_get_length (&self->cache) > WR_DATASET_ROWS_MAX_PAGES)
    page_free (g_queue_pop_tail (&self->cache));

  fill_placeholders (self, page);

  start_next (self);
}

static void
start_next (WrDatasetRowsModel *self)
{
  g_autoptr(GTask) task = NULL;
  ReadData *read;

  while (!self->reading && !g_queue_is_empty (&self->wanted))
    {
      guint index = GPOINTER_TO_UINT (g_queue_pop_head (&self->wanted));
      gboolean cached = FALSE;

      for (GList *l = self->cache.head; l != NULL && !cached; l = l->next)
        cached = ((Page *) l->data)->index == index;
      if (cached)
        continue;

      read = g_new0 (ReadData, 1);
      read->store = g_object_ref (self->store);
      read->dataset_id = g_strdup (self->dataset_id);
      read->index = index;
      read->generation = self->generation;
      read->result = self->result != NULL ? wr_dataset_result_ref (self->result) : NULL;
      read->n_columns = self->n_columns;

      self->reading = TRUE;
      self->reading_page = index;
      task = g_task_new (self, self->cancellable, on_read_done, NULL);
      g_task_set_source_tag (task, start_next);
      g_task_set_task_data (task, read, read_data_free);
      g_task_run_in_thread (task, read_thread);
    }
}

/* GListModel */

static GType
get_item_type (GListModel *model)
{
  return WR_TYPE_DATASET_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return WR_DATASET_ROWS_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  WrDatasetRowsModel *self = WR_DATASET_ROWS_MODEL (model);
  guint index = position / WR_DATASET_ROWS_PAGE;
  guint offset = position % WR_DATASET_ROWS_PAGE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = lookup_page (self, index);
  if (page == NULL)
    {
      want_page (self, index);
      return dup_placeholder (self, position);
    }

  if (offset >= json_array_get_length (page->rows))
    return dup_placeholder (self, position);

  return dup_loaded (self, position, json_array_get_array_element (page->rows, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* GObject */

static void
wr_dataset_rows_model_dispose (GObject *object)
{
  WrDatasetRowsModel *self = WR_DATASET_ROWS_MODEL (object);

  GHashTableIter iter;
  gpointer value;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_idle_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->placeholders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, on_placeholder_finalized, self);
  g_hash_table_remove_all (self->placeholders);
  g_hash_table_iter_init (&iter, self->loaded);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, on_placeholder_finalized, self);
  g_hash_table_remove_all (self->loaded);
  g_queue_clear (&self->wanted);
  g_queue_clear_full (&self->cache, page_free);
  g_clear_pointer (&self->result, wr_dataset_result_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (wr_dataset_rows_model_parent_class)->dispose (object);
}

static void
wr_dataset_rows_model_finalize (GObject *object)
{
  WrDatasetRowsModel *self = WR_DATASET_ROWS_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->placeholders, g_hash_table_unref);
  g_clear_pointer (&self->loaded, g_hash_table_unref);
  g_free (self->dataset_id);

  G_OBJECT_CLASS (wr_dataset_rows_model_parent_class)->finalize (object);
}

static void
wr_dataset_rows_model_class_init (WrDatasetRowsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_dataset_rows_model_dispose;
  object_class->finalize = wr_dataset_rows_model_finalize;
}

static void
wr_dataset_rows_model_init (WrDatasetRowsModel *self)
{
  g_queue_init (&self->cache);
  g_queue_init (&self->wanted);
  self->placeholders = g_hash_table_new (NULL, NULL);
  self->loaded = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
}

/* API */

WrDatasetRowsModel *
wr_dataset_rows_model_new (WrStore    *store,
                           const char *dataset_id,
                           guint       n_rows)
{
  WrDatasetRowsModel *self;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (dataset_id != NULL, NULL);

  self = g_object_new (WR_TYPE_DATASET_ROWS_MODEL, NULL);
  self->store = g_object_ref (store);
  self->dataset_id = g_strdup (dataset_id);
  self->n_items = n_rows;
  self->n_total = n_rows;
  return self;
}

const char *
wr_dataset_rows_model_get_dataset_id (WrDatasetRowsModel *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROWS_MODEL (self), NULL);

  return self->dataset_id;
}

guint
wr_dataset_rows_model_get_n_fetched (WrDatasetRowsModel *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROWS_MODEL (self), 0);

  return self->n_fetched;
}

guint
wr_dataset_rows_model_get_n_cached (WrDatasetRowsModel *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROWS_MODEL (self), 0);

  return g_queue_get_length (&self->cache);
}

gboolean
wr_dataset_rows_model_get_busy (WrDatasetRowsModel *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROWS_MODEL (self), FALSE);

  return self->reading || !g_queue_is_empty (&self->wanted);
}

void
wr_dataset_rows_model_set_result (WrDatasetRowsModel *self,
                                  WrDatasetResult    *result,
                                  guint               n_columns)
{
  g_autoptr(GPtrArray) emptied = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (WR_IS_DATASET_ROWS_MODEL (self));

  if (result == self->result)
    return;

  /* Pages of the old order are dropped; a read still running is ignored
   * when it ends (generation). */
  self->generation++;
  self->reading = FALSE;
  g_clear_handle_id (&self->start_idle_id, g_source_remove);
  g_queue_clear (&self->wanted);
  g_queue_clear_full (&self->cache, page_free);

  g_clear_pointer (&self->result, wr_dataset_result_unref);
  if (result != NULL)
    self->result = wr_dataset_result_ref (result);
  self->n_columns = n_columns;
  old_n = self->n_items;
  self->n_items = result != NULL ? wr_dataset_result_get_n_rows (result) : self->n_total;

  /* Rows the view holds keep their positions and are refilled in place:
   * a GTK 4.8 list view takes about 10 µs an item to replace a whole
   * list, seconds at a million rows. Only a change of length is emitted,
   * at the end. */
  g_hash_table_iter_init (&iter, self->placeholders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (key) >= self->n_items)
      {
        g_object_weak_unref (value, on_placeholder_finalized, self);
        g_hash_table_iter_remove (&iter);
      }
  g_hash_table_iter_init (&iter, self->loaded);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_remove (&iter);
      if (GPOINTER_TO_UINT (key) >= self->n_items)
        g_object_weak_unref (value, on_placeholder_finalized, self);
      else
        {
          g_hash_table_insert (self->placeholders, key, value);
          g_ptr_array_add (emptied, g_object_ref (value));
        }
    }

  if (old_n > self->n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, old_n - self->n_items, 0);
  else if (old_n < self->n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->n_items - old_n);

  for (guint i = 0; i < emptied->len; i++)
    wr_dataset_row_set_cells (g_ptr_array_index (emptied, i), NULL);

  /* The view asks for nothing new: read the pages of the rows it holds. */
  g_hash_table_iter_init (&iter, self->placeholders);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint index = GPOINTER_TO_UINT (key) / WR_DATASET_ROWS_PAGE;

      if (g_queue_find (&self->wanted, GUINT_TO_POINTER (index)) == NULL)
        want_page (self, index);
    }
}

WrDatasetResult *
wr_dataset_rows_model_get_result (WrDatasetRowsModel *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROWS_MODEL (self), NULL);

  return self->result;
}

guint
wr_dataset_rows_model_get_n_total (WrDatasetRowsModel *self)
{
  g_return_val_if_fail (WR_IS_DATASET_ROWS_MODEL (self), 0);

  return self->n_total;
}
