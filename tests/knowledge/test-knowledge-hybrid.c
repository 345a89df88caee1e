/* test-knowledge-hybrid.c — embeddings for the project's knowledge: the
 * indexer (batches, progress, cancel and resume, a new model re-embeds,
 * image descriptions), hybrid search (a synonym only vectors find, RRF
 * order, project isolation, other dimensions ignored) and retrieval's
 * fallback to full-text when the embeddings endpoint fails.
 *
 * Real store, real HTTP to the mock server (mock-embed: a hashed bag of
 * words after a synonym table, see tests/mock/wr-mock-embeddings.h), real
 * keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "../chat/chat-test-util.h"
#include "../chat/knowledge-test-util.h"
#include "chat/wr-knowledge-indexer.h"
#include "chat/wr-knowledge-retrieve.h"
#include "chat/wr-knowledge-embed.h"
#include "chat/wr-chat-service-private.h"
#include "store/wr-store-db.h"
#include "wr-mock-embeddings.h"

#define CAR_TEXT     "The automobile needs new tyres before the winter trip."
#define WEATHER_TEXT "Rain and wind are expected over the harbor all week."
#define SECRET_TEXT  "An automobile secret that belongs to another project."

typedef struct
{
  WrMockServer *mock;
  WrSession    *session;
  char         *data_dir;
  WrProvider   *provider;
  WrProject    *project;
  WrProject    *other;
} Fixture;

static WrStore *
store_of (Fixture *f)
{
  return wr_session_get_store (f->session);
}

static WrChatService *
service_of (Fixture *f)
{
  return wr_session_get_chat_service (f->session);
}

static void
set_models (Fixture    *f,
            const char *embeddings_provider_id,
            const char *embeddings_model,
            const char *vision_model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = wr_store_get_profile (store_of (f), &error);

  g_assert_no_error (error);
  wr_profile_set_embeddings_model (profile, embeddings_model);
  wr_profile_set_embeddings_provider_id (profile, embeddings_provider_id);
  wr_profile_set_vision_model (profile, vision_model);
  wr_profile_set_vision_provider_id (profile, vision_model ? wr_provider_get_id (f->provider) : NULL);
  wr_store_save_profile (store_of (f), profile, &error);
  g_assert_no_error (error);
}

static char *
import_text (Fixture    *f,
             WrProject  *project,
             const char *name,
             const char *text)
{
  g_autofree char *path = knowledge_test_write (f->data_dir, name, text);

  return knowledge_test_import (store_of (f), wr_project_get_id (project), path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  chat_test_clear_environment ();

  f->mock = wr_mock_server_new ();
  f->session = chat_test_session_new ("wr-knowledge-hybrid-XXXXXX", &f->data_dir);
  f->provider = chat_test_add_mock_provider (f->session, f->mock);
  f->project = chat_test_create_project (f->session, "Garage");
  f->other = chat_test_create_project (f->session, "Other");

  a = import_text (f, f->project, "car.md", CAR_TEXT);
  b = import_text (f, f->project, "weather.md", WEATHER_TEXT);
  c = import_text (f, f->other, "secret.md", SECRET_TEXT);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->project);
  g_clear_object (&f->other);
  g_clear_object (&f->provider);
  g_clear_object (&f->session);
  g_clear_object (&f->mock);
  chat_test_remove_data_dir (f->data_dir);
}

/* Running the indexer ---------------------------------------------------- */

typedef struct
{
  gboolean  done;
  guint     embedded;
  guint     described;
  GError   *error;
  guint     progress_calls;
  guint     last_done;
  guint     last_total;
  GCancellable *cancel_on_progress;
} IndexWait;

static void
index_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  IndexWait *w = user_data;

  wr_knowledge_indexer_index_finish (WR_KNOWLEDGE_INDEXER (object), result,
                                     &w->embedded, &w->described, &w->error);
  w->done = TRUE;
}

static void
on_progress_cb (WrKnowledgeIndexer *indexer,
                const char         *project_id,
                guint               done,
                guint               total,
                IndexWait          *w)
{
  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >, w->last_done);
  w->progress_calls++;
  w->last_done = done;
  w->last_total = total;
  if (w->cancel_on_progress != NULL)
    g_cancellable_cancel (w->cancel_on_progress);
}

static void
run_indexer (Fixture   *f,
             WrProject *project,
             IndexWait *w)
{
  g_autoptr(WrKnowledgeIndexer) indexer = wr_knowledge_indexer_new (service_of (f));
  gulong handler = g_signal_connect (indexer, "progress", G_CALLBACK (on_progress_cb), w);

  wr_knowledge_indexer_index_async (indexer, wr_project_get_id (project), w->cancel_on_progress,
                                    index_cb, w);
  g_assert_true (wr_knowledge_indexer_get_running (indexer));
  chat_test_iterate_until (&w->done, 60);
  g_assert_false (wr_knowledge_indexer_get_running (indexer));
  g_signal_handler_disconnect (indexer, handler);
}

static gboolean
count_vectors_tx (sqlite3   *db,
                  gpointer   data,
                  GError   **error)
{
  gpointer *args = data;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM chunk_vectors WHERE model = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, args[0], -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *(gint64 *) args[1] = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gint64
count_vectors (Fixture    *f,
               const char *model)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;
  gpointer args[2] = { (gpointer) model, &n };

  _wr_store_run_read (store_of (f), count_vectors_tx, args, &error);
  g_assert_no_error (error);
  return n;
}

typedef struct
{
  gboolean   done;
  GPtrArray *hits;
  GError    *error;
} RetrieveWait;

static void
retrieve_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RetrieveWait *w = user_data;

  w->hits = wr_knowledge_retrieve_finish (WR_CHAT_SERVICE (object), result, &w->error);
  w->done = TRUE;
}

static GPtrArray *
retrieve (Fixture    *f,
          WrProject  *project,
          const char *query)
{
  RetrieveWait w = { 0 };

  wr_knowledge_retrieve_async (service_of (f), wr_project_get_id (project), query, 8, NULL,
                               retrieve_cb, &w);
  chat_test_iterate_until (&w.done, 30);
  g_assert_no_error (w.error);
  g_assert_nonnull (w.hits);
  return w.hits;
}

static gboolean
hits_contain (GPtrArray  *hits,
              const char *needle)
{
  for (guint i = 0; i < hits->len; i++)
    {
      WrKnowledgeHit *hit = g_ptr_array_index (hits, i);

      if (strstr (hit->snippet, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Tests ---------------------------------------------------------------------- */

/* "car" is not in any passage, so full-text finds nothing; its vector is
 * the same as "automobile"'s, so hybrid retrieval finds the passage. */
static void
test_synonym_via_vectors (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fts = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  IndexWait w = { 0 };
  WrKnowledgeHit *first;

  fts = wr_knowledge_search (store_of (f), wr_project_get_id (f->project), "car", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fts->len, ==, 0);

  /* No model configured: retrieval is full-text only. */
  before = retrieve (f, f->project, "car");
  g_assert_cmpuint (before->len, ==, 0);

  set_models (f, wr_provider_get_id (f->provider), WR_MOCK_EMBED_MODEL, NULL);
  run_indexer (f, f->project, &w);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.embedded, ==, 2);   /* this project's two passages only */
  g_assert_cmpint (count_vectors (f, WR_MOCK_EMBED_MODEL), ==, 2);

  hits = retrieve (f, f->project, "car");
  g_assert_cmpuint (hits->len, >=, 1);
  first = g_ptr_array_index (hits, 0);
  /* Found only by its vector: the snippet is the passage's start. */
  g_assert_true (g_str_has_prefix (first->snippet, "The automobile needs"));
  g_assert_cmpstr (first->document_name, ==, "car.md");
  /* Project isolation: the other project's automobile never shows. */
  g_assert_false (hits_contain (hits, "secret"));
}

/* Search as you type asks again for the same words: the query's vector is
 * reused (one metered call, one usage row), per model. */
static void
test_query_vector_cache (Fixture       *f,
                         gconstpointer  data)
{
  IndexWait w = { 0 };
  guint before;

  set_models (f, wr_provider_get_id (f->provider), WR_MOCK_EMBED_MODEL, NULL);
  run_indexer (f, f->project, &w);
  g_assert_no_error (w.error);

  before = wr_mock_server_get_request_count (f->mock);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) hits = retrieve (f, f->project, i == 1 ? "  car " : "car");

      g_assert_cmpuint (hits->len, >=, 1);
      g_assert_true (g_str_has_prefix (((WrKnowledgeHit *) g_ptr_array_index (hits, 0))->snippet,
                                       "The automobile needs"));
    }
  g_assert_cmpuint (wr_mock_server_get_request_count (f->mock) - before, ==, 1);
  g_assert_cmpuint (_wr_knowledge_retrieve_get_cached (service_of (f)), ==, 1);

  {
    g_autoptr(GPtrArray) other = retrieve (f, f->project, "rain");

    g_assert_cmpuint (wr_mock_server_get_request_count (f->mock) - before, ==, 2);
  }
  g_assert_cmpuint (_wr_knowledge_retrieve_get_cached (service_of (f)), ==, 2);
}

/* Reads the ids of the project's chunks, in import order. */
static gboolean
chunk_ids_tx (sqlite3   *db,
              gpointer   data,
              GError   **error)
{
  GArray *ids = data;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT c.id FROM document_chunks c ORDER BY c.id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

typedef struct {
  gint64       chunk_id;
  const char  *model;
  guint        dims;
  const float *vector;
} VectorRow;

static gboolean
write_vector_tx (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  VectorRow *row = data;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO chunk_vectors VALUES (?, ?, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, row->chunk_id);
  sqlite3_bind_text (stmt, 2, row->model, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, row->dims);
  sqlite3_bind_blob (stmt, 4, row->vector, row->dims * sizeof (float), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
write_vector (Fixture    *f,
              gint64      chunk_id,
              const char *model,
              guint       dims,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  float v[WR_MOCK_EMBED_DIMS] = { 0 };
  VectorRow row = { chunk_id, model, dims, v };

  wr_mock_embed_text (text, v);
  _wr_store_run_transaction (store_of (f), write_vector_tx, &row, &error);
  g_assert_no_error (error);
}

/* Fusion: a passage second in both rankings beats the passages first in
 * only one; vectors of other dimensions and of other projects are
 * ignored. */
static void
test_rrf_order (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  g_autofree char *d3 = NULL;
  float query[WR_MOCK_EMBED_DIMS];
  gint64 apple_only, apple_cherry, cherry_only, other_dims, car, weather, secret;
  WrKnowledgeHit *hit;

  /* Chunks so far: car, weather (project), secret (other). */
  d1 = import_text (f, f->project, "a.md", "apple apple apple orchard");
  d2 = import_text (f, f->project, "b.md", "apple cherry pie");
  d3 = import_text (f, f->project, "c.md", "cherry festival");
  g_free (import_text (f, f->project, "d.md", "zebra stripes"));
  _wr_store_run_read (store_of (f), chunk_ids_tx, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 7);
  car = g_array_index (ids, gint64, 0);
  weather = g_array_index (ids, gint64, 1);
  secret = g_array_index (ids, gint64, 2);
  apple_only = g_array_index (ids, gint64, 3);
  apple_cherry = g_array_index (ids, gint64, 4);
  cherry_only = g_array_index (ids, gint64, 5);
  other_dims = g_array_index (ids, gint64, 6);

  /* apple_only has no vector: full-text rank 1 only. */
  write_vector (f, cherry_only, "m", WR_MOCK_EMBED_DIMS, "cherry festival");
  write_vector (f, apple_cherry, "m", WR_MOCK_EMBED_DIMS, "apple cherry pie");
  write_vector (f, car, "m", WR_MOCK_EMBED_DIMS, CAR_TEXT);
  write_vector (f, weather, "m", WR_MOCK_EMBED_DIMS, WEATHER_TEXT);
  /* A perfect match, but of 32 dimensions: ignored. */
  write_vector (f, other_dims, "m", 32, "cherry festival");
  /* A perfect match in another project: never seen. */
  write_vector (f, secret, "m", WR_MOCK_EMBED_DIMS, "cherry festival");

  wr_mock_embed_text ("cherry festival", query);
  hits = wr_knowledge_search_hybrid (store_of (f), wr_project_get_id (f->project), "apple",
                                     query, WR_MOCK_EMBED_DIMS, "m", 10, &error);
  g_assert_no_error (error);

  /* Full-text: apple_only (1), apple_cherry (2). Vectors: cherry_only (1),
   * apple_cherry (2), then car and weather. RRF: apple_cherry 2/62 first;
   * apple_only and cherry_only 1/61 each, by chunk id; then car 1/63 and
   * weather 1/64. */
  g_assert_cmpuint (hits->len, ==, 5);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpint (hit->chunk_id, ==, apple_cherry);
  g_assert_cmpfloat_with_epsilon (hit->score, -(2.0 / 62), 1e-6);
  g_assert_cmpint (((WrKnowledgeHit *) g_ptr_array_index (hits, 1))->chunk_id, ==, apple_only);
  g_assert_cmpint (((WrKnowledgeHit *) g_ptr_array_index (hits, 2))->chunk_id, ==, cherry_only);
  g_assert_cmpfloat_with_epsilon (((WrKnowledgeHit *) g_ptr_array_index (hits, 2))->score,
                                  -(1.0 / 61), 1e-6);
  /* cherry_only came from vectors only: its snippet is its text. */
  g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 2))->snippet, ==, "cherry festival");
  g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 2))->document_name, ==, "c.md");
  /* The full-text hit keeps its highlighted snippet. */
  g_assert_nonnull (strstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 1))->snippet,
                            WR_KNOWLEDGE_MARK_START "apple" WR_KNOWLEDGE_MARK_END));
  for (guint i = 0; i < hits->len; i++)
    {
      hit = g_ptr_array_index (hits, i);
      g_assert_cmpint (hit->chunk_id, !=, other_dims);
      g_assert_cmpint (hit->chunk_id, !=, secret);
    }
}

/* The embeddings endpoint fails (500): retrieval answers from full-text
 * alone, without an error, and records the failed call. */
static void
test_fallback_to_fts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) car_hits = NULL;
  g_autoptr(GPtrArray) usage = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  WrUsageRecord *last;

  _wr_store_run_read (store_of (f), chunk_ids_tx, ids, &error);
  write_vector (f, g_array_index (ids, gint64, 0), WR_MOCK_EMBED_500_MODEL, WR_MOCK_EMBED_DIMS, CAR_TEXT);
  set_models (f, wr_provider_get_id (f->provider), WR_MOCK_EMBED_500_MODEL, NULL);

  hits = retrieve (f, f->project, "automobile");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_nonnull (strstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 0))->snippet, "automobile"));
  car_hits = retrieve (f, f->project, "car");
  g_assert_cmpuint (car_hits->len, ==, 0);

  usage = wr_billing_list_usage (wr_session_get_billing (f->session), 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, >=, 1);
  last = g_ptr_array_index (usage, 0);
  g_assert_cmpstr (last->model, ==, WR_MOCK_EMBED_500_MODEL);
  g_assert_cmpint (last->outcome, ==, WR_USAGE_OUTCOME_ERROR);
}

/* Many passages: batches of 64, progress after each, one usage row per
 * call with the mock's token count. */
static char *
many_sections (guint n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "# Section %u\n\nParagraph number %u about topic %u.\n\n", i, i, i * 7);
  return g_string_free (text, FALSE);
}

static guint
count_chunks (Fixture *f)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  _wr_store_run_read (store_of (f), chunk_ids_tx, ids, &error);
  g_assert_no_error (error);
  return ids->len;
}

static void
test_indexer_batches_cancel_resume (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) usage = NULL;
  g_autofree char *text = many_sections (150);
  IndexWait first = { 0 };
  IndexWait second = { 0 };
  IndexWait third = { 0 };
  guint n_project;
  gint64 embed_rows = 0;

  g_free (import_text (f, f->project, "many.md", text));
  n_project = count_chunks (f) - 1;   /* minus the other project's */
  g_assert_cmpuint (n_project, >, 2 * WR_PROVIDER_EMBED_BATCH);

  set_models (f, wr_provider_get_id (f->provider), WR_MOCK_EMBED_MODEL, NULL);

  /* Cancelled after the first batch: its vectors stay. */
  first.cancel_on_progress = cancellable;
  run_indexer (f, f->project, &first);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (first.progress_calls, ==, 1);
  g_assert_cmpuint (first.last_done, ==, WR_PROVIDER_EMBED_BATCH);
  g_assert_cmpuint (first.last_total, ==, n_project);
  g_assert_cmpint (count_vectors (f, WR_MOCK_EMBED_MODEL), ==, WR_PROVIDER_EMBED_BATCH);
  g_clear_error (&first.error);

  /* The next run continues with the rest only, 64 at a time. */
  wr_mock_server_reset_counters (f->mock);
  run_indexer (f, f->project, &second);
  g_assert_no_error (second.error);
  g_assert_cmpuint (second.embedded, ==, n_project - WR_PROVIDER_EMBED_BATCH);
  g_assert_cmpuint (second.last_done, ==, second.last_total);
  g_assert_cmpuint (second.progress_calls, ==,
                    (n_project - WR_PROVIDER_EMBED_BATCH + WR_PROVIDER_EMBED_BATCH - 1) / WR_PROVIDER_EMBED_BATCH);
  g_assert_cmpuint (wr_mock_server_get_request_count (f->mock), ==, second.progress_calls);
  g_assert_cmpint (count_vectors (f, WR_MOCK_EMBED_MODEL), ==, n_project);

  /* Every call left a usage row with the mock's count (words). */
  usage = wr_billing_list_usage (wr_session_get_billing (f->session), 1, wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < usage->len; i++)
    {
      WrUsageRecord *record = g_ptr_array_index (usage, i);

      if (g_strcmp0 (record->model, WR_MOCK_EMBED_MODEL) != 0)
        continue;
      embed_rows++;
      g_assert_false (record->estimated);
      g_assert_cmpint (record->input_tokens, >, 0);
      g_assert_cmpint (record->output_tokens, ==, 0);
      g_assert_cmpstr (record->provider_id, ==, wr_provider_get_id (f->provider));
    }
  g_assert_cmpint (embed_rows, ==, first.progress_calls + second.progress_calls);

  /* Another model (Gemini's): everything is embedded again for it. */
  {
    g_autoptr(WrProvider) google = NULL;

    google = g_object_ref (wr_provider_registry_add (wr_session_get_providers (f->session),
                                                     "Google mock", "google",
                                                     wr_mock_server_get_google_url (f->mock),
                                                     NULL, NULL, &error));
    g_assert_no_error (error);
    set_models (f, wr_provider_get_id (google), WR_MOCK_GOOGLE_EMBEDDING_MODEL, NULL);
    run_indexer (f, f->project, &third);
    g_assert_no_error (third.error);
    g_assert_cmpuint (third.embedded, ==, n_project);
    g_assert_cmpint (count_vectors (f, WR_MOCK_GOOGLE_EMBEDDING_MODEL), ==, n_project);
    g_assert_cmpint (count_vectors (f, WR_MOCK_EMBED_MODEL), ==, n_project);
  }
}

/* An image with no text: the vision model's description becomes a
 * passage that search finds. */
static void
test_image_description (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);
  g_autofree char *path = g_build_filename (f->data_dir, "photo.png", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  IndexWait w = { 0 };
  IndexWait again = { 0 };
  WrKnowledgeHit *hit;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  id = knowledge_test_import (store_of (f), wr_project_get_id (f->project), path);

  set_models (f, NULL, NULL, WR_MOCK_VISION_MODEL);
  run_indexer (f, f->project, &w);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.described, ==, 1);
  g_assert_cmpuint (w.embedded, ==, 0);

  /* mock-vision's answer names what it received: "images: 1 (image/png …". */
  hits = wr_knowledge_search (store_of (f), wr_project_get_id (f->project), "png", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->document_id, ==, id);
  g_assert_cmpstr (hit->locator_kind, ==, "image");
  g_assert_cmpstr (hit->title, ==, "Description");

  /* Described once: the next run has nothing to do. */
  run_indexer (f, f->project, &again);
  g_assert_no_error (again.error);
  g_assert_cmpuint (again.described, ==, 0);
}

/* The metered call: vectors unit length, one usage row with the
 * provider's token count. */
static void
embed_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  gpointer *out = user_data;

  out[0] = _wr_knowledge_embed_finish (WR_CHAT_SERVICE (object), result, (GError **) &out[1]);
  out[2] = GINT_TO_POINTER (TRUE);
}

static void
test_embed_metered (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrEmbeddingResult) result = NULL;
  g_autoptr(GPtrArray) usage = NULL;
  const char *texts[] = { "happy people", "glad people here", NULL };
  gpointer out[3] = { NULL, NULL, NULL };
  gboolean *done = (gboolean *) &out[2];
  float expected[WR_MOCK_EMBED_DIMS];
  WrUsageRecord *record;
  double norm = 0;

  _wr_knowledge_embed_async (service_of (f), wr_provider_get_id (f->provider), WR_MOCK_EMBED_MODEL,
                             wr_project_get_id (f->project), texts, NULL, embed_cb, out);
  while (out[2] == NULL)
    g_main_context_iteration (NULL, TRUE);
  (void) done;
  result = out[0];
  g_assert_no_error ((GError *) out[1]);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->n_vectors, ==, 2);
  g_assert_cmpuint (result->dims, ==, WR_MOCK_EMBED_DIMS);
  for (guint i = 0; i < result->dims; i++)
    norm += result->vectors[i] * result->vectors[i];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-5);
  wr_mock_embed_text (texts[1], expected);
  for (guint i = 0; i < result->dims; i++)
    g_assert_cmpfloat_with_epsilon (result->vectors[result->dims + i], expected[i], 1e-6);

  usage = wr_billing_list_usage (wr_session_get_billing (f->session), 1, wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, ==, 1);
  record = g_ptr_array_index (usage, 0);
  g_assert_cmpstr (record->model, ==, WR_MOCK_EMBED_MODEL);
  g_assert_cmpint (record->input_tokens, ==, 5);   /* the mock counts words */
  g_assert_cmpint (record->output_tokens, ==, 0);
  g_assert_cmpint (record->outcome, ==, WR_USAGE_OUTCOME_OK);
  g_assert_cmpint (record->cost_micros, ==, 0);    /* a local server */
}

/* Billed as a remote provider: the price table's input price times the
 * reported tokens, taken from the credits; the daily limit refuses a call
 * before anything is sent. */
static WrEmbeddingResult *
embed_sync (Fixture             *f,
            const char * const  *texts,
            GError             **error)
{
  gpointer out[3] = { NULL, NULL, NULL };

  _wr_knowledge_embed_async (service_of (f), wr_provider_get_id (f->provider), WR_MOCK_EMBED_MODEL,
                             wr_project_get_id (f->project), texts, NULL, embed_cb, out);
  while (out[2] == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (out[1] != NULL)
    g_propagate_error (error, out[1]);
  return out[0];
}

static void
test_embed_billed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refused = NULL;
  g_autoptr(GError) not_included = NULL;
  g_autoptr(WrEmbeddingResult) result = NULL;
  g_autoptr(WrEmbeddingResult) gated = NULL;
  g_autoptr(WrEmbeddingResult) none = NULL;
  g_autoptr(GPtrArray) usage = NULL;
  WrBilling *billing = wr_session_get_billing (f->session);
  const char *texts[] = { "one two three four", NULL };
  gint64 before, after;
  WrUsageRecord *record;

  _wr_chat_service_set_treat_as_remote (service_of (f), TRUE);
  /* 250 credits (250,000,000 micro-credits) per million input tokens. */
  g_assert_true (wr_billing_set_price (billing, WR_MOCK_EMBED_MODEL, 250000000, 0, &error));
  g_assert_no_error (error);

  /* The Free plan's model gate applies to embeddings too. */
  gated = embed_sync (f, texts, &not_included);
  g_assert_null (gated);
  g_assert_error (not_included, WR_BILLING_ERROR, WR_BILLING_ERROR_MODEL_NOT_ALLOWED);
  g_assert_true (wr_billing_set_plan (billing, "pro", &error));
  g_assert_no_error (error);
  g_assert_true (wr_billing_topup (billing, 1000000, NULL, &error));
  g_assert_no_error (error);

  before = wr_billing_get_balance (billing, &error);
  g_assert_no_error (error);
  result = embed_sync (f, texts, &error);
  g_assert_no_error (error);
  usage = wr_billing_list_usage (billing, 1, NULL, &error);
  g_assert_no_error (error);
  record = g_ptr_array_index (usage, 0);
  g_assert_cmpint (record->input_tokens, ==, 4);
  g_assert_cmpint (record->cost_micros, ==, 4 * 250);
  after = wr_billing_get_balance (billing, &error);
  g_assert_cmpint (before - after, ==, 4 * 250);

  g_assert_true (wr_billing_set_daily_token_limit (billing, 1, &error));
  wr_mock_server_reset_counters (f->mock);
  none = embed_sync (f, texts, &refused);
  g_assert_null (none);
  g_assert_error (refused, WR_BILLING_ERROR, WR_BILLING_ERROR_QUOTA_EXCEEDED);
  g_assert_cmpuint (wr_mock_server_get_request_count (f->mock), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/knowledge/hybrid/synonym-via-vectors", test_synonym_via_vectors);
  ADD ("/knowledge/hybrid/rrf-order-isolation-dims", test_rrf_order);
  ADD ("/knowledge/hybrid/fallback-to-fts", test_fallback_to_fts);
  ADD ("/knowledge/hybrid/query-vector-cache", test_query_vector_cache);
  ADD ("/knowledge/hybrid/embed-metered", test_embed_metered);
  ADD ("/knowledge/hybrid/embed-billed", test_embed_billed);
  ADD ("/knowledge/indexer/batches-cancel-resume-model-change", test_indexer_batches_cancel_resume);
  ADD ("/knowledge/indexer/image-description", test_image_description);
#undef ADD

  return g_test_run ();
}
