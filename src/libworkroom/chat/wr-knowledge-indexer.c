/* wr-knowledge-indexer.c — see wr-knowledge-indexer.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-knowledge-indexer.h"
#include "wr-chat-meter.h"
#include "wr-chat-service-private.h"
#include "wr-knowledge-embed.h"
#include "docs/wr-knowledge-search.h"
#include "store/wr-store-db.h"

/* What of a passage is embedded: embeddings models read a few thousand
 * tokens at most. */
#define MAX_EMBED_CHARS 6000
/* The remaining count is exact at the start and every this many batches. */
#define RECOUNT_EVERY   16
#define DESCRIPTION_TITLE "Description"

struct _WrKnowledgeIndexer
{
  GObject        parent_instance;
  WrChatService *service;          /* owned, or weak for the default indexer */
  gboolean       owns_service;
  GQueue         waiting;          /* GTask, transfer full */
  GTask         *current;          /* the run's first request (owned) */
  GPtrArray     *joined;           /* other requests for the running project */
  GCancellable  *run_cancellable;
  gulong         cancel_handler;
  char          *project_id;
  guint          done;
  guint          total;
};

G_DEFINE_FINAL_TYPE (WrKnowledgeIndexer, wr_knowledge_indexer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PROJECT_ID,
  PROP_DONE,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char *document_id;
  char *path;
  char *name;
} ImageDoc;

static void
image_doc_free (ImageDoc *doc)
{
  g_free (doc->document_id);
  g_free (doc->path);
  g_free (doc->name);
  g_free (doc);
}

typedef struct {
  /* Held for the run, so a session closing mid-run frees nothing a step
   * still uses (the default indexer only points weakly at its service). */
  WrChatService *service;
  WrStore       *store;
  char          *project_id;
  char          *embed_model;
  char          *embed_provider_id;
  char          *vision_model;
  char          *vision_provider_id;
  GPtrArray     *images;           /* ImageDoc */
  guint          image_index;
  /* the image being described */
  WrAttachment  *attachment;
  WrProvider    *provider;
  char          *model;
  WrChatRequest *request;
  WrChatMeter   *meter;
  char          *description;
  /* the batch being embedded */
  GArray        *batch_ids;        /* gint64 */
  GPtrArray     *batch_texts;      /* char*, NULL-terminated */
  WrEmbeddingResult *vectors;
  gint64         cursor;           /* last chunk id fetched */
  gboolean       wrapped;          /* the cursor went back to the start once */
  gint64         remaining;
  guint          batches;
  guint          embedded;
  guint          described;
} RunData;

static void
run_data_clear_image (RunData *data)
{
  g_clear_object (&data->attachment);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->model, g_free);
  g_clear_pointer (&data->request, wr_chat_request_free);
  g_clear_pointer (&data->meter, _wr_chat_meter_free);
  g_clear_pointer (&data->description, g_free);
}

static void
run_data_free (RunData *data)
{
  run_data_clear_image (data);
  g_clear_object (&data->service);
  g_clear_object (&data->store);
  g_free (data->project_id);
  g_free (data->embed_model);
  g_free (data->embed_provider_id);
  g_free (data->vision_model);
  g_free (data->vision_provider_id);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_clear_pointer (&data->batch_ids, g_array_unref);
  g_clear_pointer (&data->batch_texts, g_ptr_array_unref);
  g_clear_pointer (&data->vectors, wr_embedding_result_free);
  g_free (data);
}

static WrStore *
get_store (gpointer task_data)
{
  return ((RunData *) task_data)->store;
}

static void run_next (WrKnowledgeIndexer *self);
static void describe_next (WrKnowledgeIndexer *self);
static void embed_next (WrKnowledgeIndexer *self);

static void
set_progress (WrKnowledgeIndexer *self,
              guint               done,
              guint               total)
{
  gboolean done_changed = self->done != done;
  gboolean total_changed = self->total != total;

  self->done = done;
  self->total = total;
  if (done_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  if (total_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

/* Ends the run: every request for it gets @error, or the counts. */
static void
run_finish (WrKnowledgeIndexer *self,
            GError             *error)   /* transfer full, nullable */
{
  g_autoptr(GTask) task = g_steal_pointer (&self->current);
  g_autoptr(GPtrArray) joined = g_steal_pointer (&self->joined);
  RunData *data = g_task_get_task_data (task);
  guint64 counts = ((guint64) data->described << 32) | data->embedded;

  if (self->cancel_handler != 0 && g_task_get_cancellable (task) != NULL)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancel_handler);
  self->cancel_handler = 0;
  g_clear_object (&self->run_cancellable);

  for (guint i = 0; joined != NULL && i < joined->len; i++)
    {
      GTask *other = g_ptr_array_index (joined, i);

      if (error != NULL)
        g_task_return_error (other, g_error_copy (error));
      else
        g_task_return_pointer (other, g_memdup2 (&counts, sizeof counts), g_free);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&counts, sizeof counts), g_free);

  g_clear_pointer (&self->project_id, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  run_next (self);
}

static gboolean
run_cancelled (WrKnowledgeIndexer *self)
{
  if (!g_cancellable_is_cancelled (self->run_cancellable))
    return FALSE;

  run_finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         _("Indexing was stopped. It continues where it stopped next time.")));
  return TRUE;
}

/* A thread step of the run: @func runs with the run's data; @done gets the
 * indexer back on the main thread. */
static void
run_in_thread (WrKnowledgeIndexer  *self,
               GTaskThreadFunc      func,
               GAsyncReadyCallback  done)
{
  g_autoptr(GTask) step = g_task_new (self, NULL, done, NULL);

  g_task_set_task_data (step, g_task_get_task_data (self->current), NULL);
  g_task_run_in_thread (step, func);
}

/* A transaction step of the run: @tx runs in a thread with { store, the
 * run's data } as its data; @done gets a boolean result. */
typedef struct {
  gpointer       data;   /* RunData, owned by the run */
  WrStoreTxFunc  tx;
} TxStep;

static void
tx_step_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TxStep *step = task_data;
  gpointer args[2] = { get_store (step->data), step->data };
  GError *error = NULL;

  if (!_wr_store_run_transaction (args[0], step->tx, args, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_tx_in_thread (WrKnowledgeIndexer  *self,
                  WrStoreTxFunc        tx,
                  GAsyncReadyCallback  done)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, done, NULL);
  TxStep *step = g_new (TxStep, 1);

  step->data = g_task_get_task_data (self->current);
  step->tx = tx;
  g_task_set_task_data (task, step, g_free);
  g_task_run_in_thread (task, tx_step_thread);
}

/* Configuration ------------------------------------------------------------ */

static gboolean
list_images_tx (sqlite3   *db,
                gpointer   user_data,
                GError   **error)
{
  gpointer *args = user_data;
  WrStore *store = args[0];
  RunData *data = args[1];
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  stmt = _wr_store_prepare (store,
                            "SELECT d.id, d.source_path, d.name FROM documents d "
                            "WHERE d.project_id = ?1 AND d.kind = 'image' AND d.status = 'ready' "
                            "  AND d.deleted_at IS NULL AND d.source_path IS NOT NULL "
                            "  AND NOT EXISTS (SELECT 1 FROM document_chunks c "
                            "    WHERE c.document_id = d.id AND c.locator_kind = 'image' "
                            "      AND c.title = '" DESCRIPTION_TITLE "') "
                            "ORDER BY d.created_at, d.id",
                            error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, data->project_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ImageDoc *doc = g_new0 (ImageDoc, 1);

      doc->document_id = g_strdup (_wr_db_column_text (stmt, 0));
      doc->path = g_strdup (_wr_db_column_text (stmt, 1));
      doc->name = g_strdup (_wr_db_column_text (stmt, 2));
      g_ptr_array_add (data->images, doc);
    }
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (store, rc, error);
  return TRUE;
}

static void
config_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(WrProfile) profile = NULL;
  GError *error = NULL;
  gpointer args[2] = { get_store (data), data };

  profile = wr_store_get_profile (get_store (data), &error);
  if (profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->embed_model = g_strdup (wr_profile_get_embeddings_model (profile));
  data->embed_provider_id = g_strdup (wr_profile_get_embeddings_provider_id (profile));
  data->vision_model = g_strdup (wr_profile_get_vision_model (profile));
  data->vision_provider_id = g_strdup (wr_profile_get_vision_provider_id (profile));

  if (data->vision_model != NULL &&
      !_wr_store_run_read (get_store (data), list_images_tx, args, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
config_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_finish (self, error);
      return;
    }

  describe_next (self);
}

/* Image descriptions --------------------------------------------------------- */

static void
load_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  RunData *data = task_data;
  ImageDoc *doc = g_ptr_array_index (data->images, data->image_index);
  g_autoptr(GFile) file = g_file_new_for_path (doc->path);
  GError *error = NULL;

  data->attachment = wr_attachment_load (file, NULL, &error);
  if (data->attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
image_done (WrKnowledgeIndexer *self,
            const char         *why)     /* nullable: described */
{
  RunData *data = g_task_get_task_data (self->current);

  if (why != NULL)
    {
      ImageDoc *doc = g_ptr_array_index (data->images, data->image_index);

      g_message ("Could not describe the image “%s”: %s", doc->name, why);
    }
  run_data_clear_image (data);
  data->image_index++;
  describe_next (self);
}

static gboolean
insert_description_tx (sqlite3   *db,
                       gpointer   user_data,
                       GError   **error)
{
  gpointer *args = user_data;
  WrStore *store = args[0];
  RunData *data = args[1];
  ImageDoc *doc = g_ptr_array_index (data->images, data->image_index);
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  stmt = _wr_store_prepare (store,
                            "INSERT INTO document_chunks (document_id, ord, locator_kind, locator, title, text) "
                            "SELECT ?1, (SELECT coalesce (max (ord), -1) + 1 FROM document_chunks "
                            "            WHERE document_id = ?1), 'image', 0, '" DESCRIPTION_TITLE "', ?2 "
                            "WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND deleted_at IS NULL)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, doc->document_id);
  _wr_db_bind_text (stmt, 2, data->description);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (store, rc, error);
  return TRUE;
}

static void
description_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);
  RunData *data = g_task_get_task_data (self->current);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      image_done (self, error->message);
      return;
    }
  data->described++;
  image_done (self, NULL);
}

static void
describe_metered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  WrKnowledgeIndexer *self = user_data;
  g_autoptr(WrUsageRecord) record = _wr_chat_meter_finish_finish (result);
  RunData *data = g_task_get_task_data (self->current);

  if (run_cancelled (self))
    {
      g_object_unref (self);
      return;
    }

  if (data->description == NULL)
    image_done (self, _("the model gave no description"));
  else
    run_tx_in_thread (self, insert_description_tx, description_stored_cb);
  g_object_unref (self);
}

static void
describe_answer_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WrKnowledgeIndexer *self = user_data;
  RunData *data = g_task_get_task_data (self->current);
  g_autoptr(WrChatResult) answer = NULL;
  g_autoptr(WrChatResult) partial = NULL;
  g_autoptr(WrRouterOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  answer = wr_router_stream_chat_finish (WR_ROUTER (object), result, &partial, &outcome, &error);
  if (answer != NULL)
    {
      text = g_strstrip (g_strdup (answer->content));
      if (text[0] != '\0')
        data->description = g_steal_pointer (&text);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Image description failed: %s", error->message);

  _wr_chat_meter_finish_async (data->meter, NULL, outcome, answer != NULL ? answer : partial,
                               answer != NULL ? answer->content : (partial ? partial->content : ""),
                               _wr_chat_meter_outcome_for (answer != NULL, error,
                                                           partial != NULL && partial->content[0] != '\0'),
                               describe_metered_cb, user_data);
}

static void
describe_gate_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);
  RunData *data = g_task_get_task_data (self->current);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      image_done (self, error->message);
      return;
    }

  /* Even when cancelled meanwhile: the call then fails at once and the
   * meter gives back what it reserved. */
  _wr_chat_meter_start (data->meter);
  wr_router_stream_chat_async (wr_chat_service_get_router (data->service), data->provider,
                               data->request, NULL, NULL, self->run_cancellable,
                               describe_answer_cb, g_object_ref (self));
}

static void
describe_gate_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  RunData *data = task_data;
  WrBilling *billing = wr_chat_service_get_billing (data->service);
  GError *error = NULL;

  data->meter = _wr_chat_meter_begin (billing, _wr_chat_service_get_treat_as_remote (data->service),
                                      data->provider, data->model, data->project_id, NULL,
                                      data->request, &error);
  if (data->meter == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
describe_resolved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  WrKnowledgeIndexer *self = user_data;
  RunData *data = g_task_get_task_data (self->current);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) message = NULL;
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  if (!wr_chat_service_resolve_finish (WR_CHAT_SERVICE (object), result,
                                       &data->provider, &data->model, &error))
    {
      image_done (self, error->message);
      g_object_unref (self);
      return;
    }

  data->request = wr_chat_request_new (data->model);
  message = wr_message_new ("user", WR_KNOWLEDGE_DESCRIBE_PROMPT);
  g_ptr_array_add (images, data->attachment);
  wr_chat_request_add_with_images (data->request, message, images);

  run_in_thread (self, describe_gate_thread, describe_gate_cb);
  g_object_unref (self);
}

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);
  RunData *data = g_task_get_task_data (self->current);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      image_done (self, error->message);
      return;
    }
  if (run_cancelled (self))
    return;

  _wr_chat_service_resolve_async (data->service, data->vision_provider_id, data->vision_model,
                                  data->project_id, self->run_cancellable,
                                  describe_resolved_cb, g_object_ref (self));
}

static void
describe_next (WrKnowledgeIndexer *self)
{
  RunData *data = g_task_get_task_data (self->current);

  if (run_cancelled (self))
    return;

  if (data->images == NULL || data->image_index >= data->images->len)
    {
      embed_next (self);
      return;
    }

  run_in_thread (self, load_image_thread, image_loaded_cb);
}

/* Embeddings ---------------------------------------------------------------- */

#define MISSING_WHERE \
  "WHERE d.project_id = ?1 AND d.deleted_at IS NULL AND d.status = 'ready' " \
  "  AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model = ?2) "

static gboolean
fetch_batch_tx (sqlite3   *db,
                gpointer   user_data,
                GError   **error)
{
  gpointer *args = user_data;
  WrStore *store = args[0];
  RunData *data = args[1];
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  if (data->batches % RECOUNT_EVERY == 0)
    {
      g_autoptr(WrDbStmt) count = _wr_store_prepare (store,
                                                     "SELECT count (*) FROM documents d "
                                                     "JOIN document_chunks c ON c.document_id = d.id "
                                                     MISSING_WHERE,
                                                     error);
      if (count == NULL)
        return FALSE;
      _wr_db_bind_text (count, 1, data->project_id);
      _wr_db_bind_text (count, 2, data->embed_model);
      rc = sqlite3_step (count);
      if (rc != SQLITE_ROW)
        return _wr_store_sqlite_error (store, rc, error);
      data->remaining = sqlite3_column_int64 (count, 0);
    }

  stmt = _wr_store_prepare (store,
                            "SELECT c.id, c.title, substr (c.text, 1, ?4) FROM documents d "
                            "JOIN document_chunks c ON c.document_id = d.id "
                            MISSING_WHERE
                            "  AND c.id > ?3 ORDER BY c.id LIMIT ?5",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (;;)
    {
      _wr_db_bind_text (stmt, 1, data->project_id);
      _wr_db_bind_text (stmt, 2, data->embed_model);
      sqlite3_bind_int64 (stmt, 3, data->cursor);
      sqlite3_bind_int (stmt, 4, MAX_EMBED_CHARS);
      sqlite3_bind_int (stmt, 5, WR_PROVIDER_EMBED_BATCH);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *title = _wr_db_column_text (stmt, 1);
          const char *text = _wr_db_column_text (stmt, 2);
          gint64 id = sqlite3_column_int64 (stmt, 0);
          char *input;

          if (title != NULL && title[0] != '\0')
            input = g_strconcat (title, "\n\n", text ? text : "", NULL);
          else
            input = g_strdup (text ? text : "");
          if (g_strstrip (input)[0] == '\0')
            {
              g_free (input);
              input = g_strdup ("(empty)");
            }
          g_array_append_val (data->batch_ids, id);
          g_ptr_array_add (data->batch_texts, input);
          data->cursor = id;
        }
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (store, rc, error);

      /* Passages added behind the cursor (a rare id reuse): one more pass. */
      if (data->batch_ids->len > 0 || data->wrapped || data->cursor == 0)
        break;
      data->wrapped = TRUE;
      data->cursor = 0;
      sqlite3_reset (stmt);
    }

  if (data->batch_ids->len == 0)
    data->remaining = 0;
  return TRUE;
}

static void
fetch_batch_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RunData *data = task_data;
  gpointer args[2] = { get_store (data), data };
  GError *error = NULL;

  g_array_set_size (data->batch_ids, 0);
  g_ptr_array_set_size (data->batch_texts, 0);
  if (!_wr_store_run_read (args[0], fetch_batch_tx, args, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->batches++;
  g_ptr_array_add (data->batch_texts, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
write_vectors_tx (sqlite3   *db,
                  gpointer   user_data,
                  GError   **error)
{
  gpointer *args = user_data;
  WrStore *store = args[0];
  RunData *data = args[1];
  WrEmbeddingResult *vectors = data->vectors;
  g_autoptr(WrDbStmt) stmt = NULL;
  gsize size = (gsize) vectors->dims * sizeof (float);

  (void) db;

  stmt = _wr_store_prepare (store,
                            "INSERT OR REPLACE INTO chunk_vectors (chunk_id, model, dims, vector) "
                            "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM document_chunks WHERE id = ?1)",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < vectors->n_vectors; i++)
    {
      const float *v = vectors->vectors + (gsize) i * vectors->dims;
      int rc;
#if G_BYTE_ORDER == G_BIG_ENDIAN
      g_autofree guint32 *le = g_new (guint32, vectors->dims);

      for (guint j = 0; j < vectors->dims; j++)
        {
          guint32 bits;

          memcpy (&bits, &v[j], 4);
          le[j] = GUINT32_TO_LE (bits);
        }
      v = (const float *) le;
#endif

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (data->batch_ids, gint64, i));
      _wr_db_bind_text (stmt, 2, data->embed_model);
      sqlite3_bind_int (stmt, 3, vectors->dims);
      sqlite3_bind_blob (stmt, 4, v, size, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (store, rc, error);
    }

  return TRUE;
}

static void
vectors_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);
  RunData *data = g_task_get_task_data (self->current);
  GError *error = NULL;
  guint n = data->vectors->n_vectors;

  g_clear_pointer (&data->vectors, wr_embedding_result_free);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_finish (self, error);
      return;
    }

  data->embedded += n;
  data->remaining = MAX (data->remaining - (gint64) n, 0);
  set_progress (self, data->embedded, data->embedded + (guint) data->remaining);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, data->project_id, self->done, self->total);

  embed_next (self);
}

static void
embedded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WrKnowledgeIndexer *self = user_data;
  RunData *data = g_task_get_task_data (self->current);
  GError *error = NULL;

  data->vectors = _wr_knowledge_embed_finish (WR_CHAT_SERVICE (object), result, &error);
  if (data->vectors == NULL)
    {
      run_finish (self, error);
      g_object_unref (self);
      return;
    }
  if (data->vectors->n_vectors != data->batch_ids->len)
    {
      run_finish (self, g_error_new (WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                                     _("The embeddings model sent %u vectors for %u passages. Try another model."),
                                     data->vectors->n_vectors, data->batch_ids->len));
      g_object_unref (self);
      return;
    }

  /* Stored even when cancelled meanwhile: they are paid for. */
  run_tx_in_thread (self, write_vectors_tx, vectors_written_cb);
  g_object_unref (self);
}

static void
batch_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);
  RunData *data = g_task_get_task_data (self->current);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_finish (self, error);
      return;
    }
  if (run_cancelled (self))
    return;

  set_progress (self, data->embedded, data->embedded + (guint) MAX (data->remaining, (gint64) data->batch_ids->len));
  if (data->batch_ids->len == 0)
    {
      run_finish (self, NULL);
      return;
    }

  _wr_knowledge_embed_async (data->service, data->embed_provider_id, data->embed_model,
                             data->project_id, (const char * const *) data->batch_texts->pdata,
                             self->run_cancellable, embedded_cb, g_object_ref (self));
}

static void
embed_next (WrKnowledgeIndexer *self)
{
  RunData *data = g_task_get_task_data (self->current);

  if (run_cancelled (self))
    return;

  if (data->embed_model == NULL)
    {
      run_finish (self, NULL);
      return;
    }

  if (data->batch_ids == NULL)
    {
      data->batch_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      data->batch_texts = g_ptr_array_new_with_free_func (g_free);
    }
  run_in_thread (self, fetch_batch_thread, batch_fetched_cb);
}

/* Queue ----------------------------------------------------------------------- */

static void
on_request_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
run_next (WrKnowledgeIndexer *self)
{
  GTask *task;
  RunData *data;

  if (self->current != NULL)
    return;

  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      if (!g_task_return_error_if_cancelled (task))
        break;
      g_object_unref (task);
    }
  if (task == NULL)
    return;

  data = g_task_get_task_data (task);
  if (self->service == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The session is closed");
      g_object_unref (task);
      run_next (self);
      return;
    }
  data->service = g_object_ref (self->service);
  data->store = g_object_ref (_wr_chat_service_get_store (self->service));
  self->current = task;
  self->joined = g_ptr_array_new_with_free_func (g_object_unref);
  self->run_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    self->cancel_handler = g_cancellable_connect (g_task_get_cancellable (task),
                                                  G_CALLBACK (on_request_cancelled_cb),
                                                  g_object_ref (self->run_cancellable),
                                                  g_object_unref);
  self->project_id = g_strdup (data->project_id);
  data->images = g_ptr_array_new_with_free_func ((GDestroyNotify) image_doc_free);
  set_progress (self, 0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  run_in_thread (self, config_thread, config_cb);
}

/* GObject ------------------------------------------------------------------------ */

static void
wr_knowledge_indexer_dispose (GObject *object)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);

  /* A run holds a reference to the indexer through its steps, so a run
   * never outlives dispose's caller by accident; cancel what waits. */
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);

  if (self->owns_service)
    g_clear_object (&self->service);
  else if (self->service != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->service), (gpointer *) &self->service);
      self->service = NULL;
    }

  G_OBJECT_CLASS (wr_knowledge_indexer_parent_class)->dispose (object);
}

static void
wr_knowledge_indexer_finalize (GObject *object)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);

  g_queue_clear_full (&self->waiting, g_object_unref);
  g_free (self->project_id);

  G_OBJECT_CLASS (wr_knowledge_indexer_parent_class)->finalize (object);
}

static void
wr_knowledge_indexer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  WrKnowledgeIndexer *self = WR_KNOWLEDGE_INDEXER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, wr_knowledge_indexer_get_running (self));
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_knowledge_indexer_class_init (WrKnowledgeIndexerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = wr_knowledge_indexer_dispose;
  object_class->finalize = wr_knowledge_indexer_finalize;
  object_class->get_property = wr_knowledge_indexer_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
}

static void
wr_knowledge_indexer_init (WrKnowledgeIndexer *self)
{
  g_queue_init (&self->waiting);
}

/* API ----------------------------------------------------------------------------- */

WrKnowledgeIndexer *
wr_knowledge_indexer_new (WrChatService *service)
{
  WrKnowledgeIndexer *self;

  g_return_val_if_fail (WR_IS_CHAT_SERVICE (service), NULL);

  self = g_object_new (WR_TYPE_KNOWLEDGE_INDEXER, NULL);
  self->service = g_object_ref (service);
  self->owns_service = TRUE;
  return self;
}

#define DEFAULT_KEY "wr-knowledge-indexer"

WrKnowledgeIndexer *
wr_knowledge_indexer_get_default (WrChatService *service)
{
  WrKnowledgeIndexer *self;

  g_return_val_if_fail (WR_IS_CHAT_SERVICE (service), NULL);

  self = g_object_get_data (G_OBJECT (service), DEFAULT_KEY);
  if (self != NULL)
    return self;

  /* The service owns its indexer; the indexer only points back. */
  self = g_object_new (WR_TYPE_KNOWLEDGE_INDEXER, NULL);
  self->service = service;
  g_object_add_weak_pointer (G_OBJECT (service), (gpointer *) &self->service);
  g_object_set_data_full (G_OBJECT (service), DEFAULT_KEY, self, g_object_unref);
  return self;
}

gboolean
wr_knowledge_indexer_get_running (WrKnowledgeIndexer *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_INDEXER (self), FALSE);
  return self->current != NULL;
}

const char *
wr_knowledge_indexer_get_project_id (WrKnowledgeIndexer *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_INDEXER (self), NULL);
  return self->project_id;
}

guint
wr_knowledge_indexer_get_done (WrKnowledgeIndexer *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_INDEXER (self), 0);
  return self->done;
}

guint
wr_knowledge_indexer_get_total (WrKnowledgeIndexer *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_INDEXER (self), 0);
  return self->total;
}

void
wr_knowledge_indexer_index_async (WrKnowledgeIndexer  *self,
                                  const char          *project_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (WR_IS_KNOWLEDGE_INDEXER (self));
  g_return_if_fail (project_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_knowledge_indexer_index_async);
  /* The run reports its own cancellation, after storing what arrived. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->service == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The session is closed");
      return;
    }

  if (self->current != NULL && g_strcmp0 (self->project_id, project_id) == 0)
    {
      /* The running run picks up what was added meanwhile. */
      g_ptr_array_add (self->joined, g_steal_pointer (&task));
      return;
    }

  data = g_new0 (RunData, 1);
  data->project_id = g_strdup (project_id);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  run_next (self);
}

gboolean
wr_knowledge_indexer_index_finish (WrKnowledgeIndexer  *self,
                                   GAsyncResult        *result,
                                   guint               *out_embedded,
                                   guint               *out_described,
                                   GError             **error)
{
  g_autofree guint64 *counts = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_knowledge_indexer_index_async, FALSE);

  counts = g_task_propagate_pointer (G_TASK (result), error);
  if (out_embedded != NULL)
    *out_embedded = counts != NULL ? (guint) (*counts & 0xffffffffu) : 0;
  if (out_described != NULL)
    *out_described = counts != NULL ? (guint) (*counts >> 32) : 0;
  return counts != NULL;
}

void
wr_knowledge_indexer_cancel (WrKnowledgeIndexer *self)
{
  GTask *task;

  g_return_if_fail (WR_IS_KNOWLEDGE_INDEXER (self));

  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Indexing was stopped. It continues where it stopped next time."));
      g_object_unref (task);
    }
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}
