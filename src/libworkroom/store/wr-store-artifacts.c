/* wr-store-artifacts.c — artifacts on the store's connection
 * (wr-store-db.h).
 *
 * Content is checked before the write: text kinds must be UTF-8, chart and
 * table content a JSON object (SQLite's json_type(), so the store needs no
 * JSON library). A table artifact's dataset_id comes from its content when
 * the caller did not set it, so the column and the content agree.
 *
 * The project must be live when an artifact is created, listed, read or
 * restored: a tombstoned project hides its artifacts with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-artifact.h"
#include "wr-store-db.h"
#include "wr-store-private.h"
#include "wr-util.h"

#define ARTIFACT_NOT_FOUND _("The artifact no longer exists. It may have been deleted in another window; reload the list.")
#define PROJECT_GONE       _("The project no longer exists. It may have been deleted in another window; reload the list.")

#define ARTIFACT_COLUMNS "a.id, a.project_id, a.chat_id, a.message_id, a.dataset_id, a.kind, a.name, " \
                         "a.mime_type, a.file_name, a.size, a.created_at, a.updated_at"
/* Artifacts whose project is live. */
#define LIVE_ARTIFACTS   "artifacts AS a JOIN projects AS p ON p.id = a.project_id AND p.deleted_at IS NULL "

/* Helpers ---------------------------------------------------------------- */

static gboolean
set_not_found (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND, message);
  return FALSE;
}

static WrArtifact *
artifact_from_row (sqlite3_stmt *stmt)
{
  WrArtifactKind kind = WR_ARTIFACT_KIND_FILE;
  WrArtifact *artifact;

  /* The CHECK constraint keeps kind to the known names. */
  wr_artifact_kind_from_string (_wr_db_column_text (stmt, 5), &kind);

  artifact = wr_artifact_new (_wr_db_column_text (stmt, 1), kind, _wr_db_column_text (stmt, 6));
  wr_artifact_set_id (artifact, _wr_db_column_text (stmt, 0));
  wr_artifact_set_chat_id (artifact, _wr_db_column_text (stmt, 2));
  wr_artifact_set_message_id (artifact, _wr_db_column_text (stmt, 3));
  wr_artifact_set_dataset_id (artifact, _wr_db_column_text (stmt, 4));
  wr_artifact_set_mime_type (artifact, _wr_db_column_text (stmt, 7));
  wr_artifact_set_file_name (artifact, _wr_db_column_text (stmt, 8));
  wr_artifact_set_size (artifact, sqlite3_column_int64 (stmt, 9));
  wr_artifact_set_created_at (artifact, sqlite3_column_int64 (stmt, 10));
  wr_artifact_set_updated_at (artifact, sqlite3_column_int64 (stmt, 11));

  return artifact;
}

/* A snapshot for a worker thread (transfer full). */
static WrArtifact *
artifact_copy (WrArtifact *self)
{
  WrArtifact *copy = wr_artifact_new (wr_artifact_get_project_id (self),
                                      wr_artifact_get_kind (self),
                                      wr_artifact_get_name (self));

  wr_artifact_set_id (copy, wr_artifact_get_id (self));
  wr_artifact_set_chat_id (copy, wr_artifact_get_chat_id (self));
  wr_artifact_set_message_id (copy, wr_artifact_get_message_id (self));
  wr_artifact_set_dataset_id (copy, wr_artifact_get_dataset_id (self));
  wr_artifact_set_mime_type (copy, wr_artifact_get_mime_type (self));
  wr_artifact_set_file_name (copy, wr_artifact_get_file_name (self));
  wr_artifact_set_size (copy, wr_artifact_get_size (self));
  wr_artifact_set_created_at (copy, wr_artifact_get_created_at (self));
  wr_artifact_set_updated_at (copy, wr_artifact_get_updated_at (self));

  return copy;
}

/* The stripped name, or NULL with INVALID. */
static char *
check_name (const char  *name,
            GError     **error)
{
  WrNameProblem problem;
  char *stripped = wr_strip_name (name, WR_ARTIFACT_MAX_NAME_CHARS, &problem);

  if (problem == WR_NAME_EMPTY)
    g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                         _("An artifact needs a name. Type a name and try again."));
  else if (problem == WR_NAME_TOO_LONG)
    g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                 _("An artifact name can have at most %d characters. Choose a shorter name."),
                 WR_ARTIFACT_MAX_NAME_CHARS);
  return stripped;
}

static gboolean
kind_is_text (WrArtifactKind kind)
{
  return kind != WR_ARTIFACT_KIND_IMAGE && kind != WR_ARTIFACT_KIND_FILE;
}

static gboolean
kind_is_json (WrArtifactKind kind)
{
  return kind == WR_ARTIFACT_KIND_CHART || kind == WR_ARTIFACT_KIND_TABLE;
}

/* Checks what can be checked without the database (size, UTF-8). */
static gboolean
check_content (WrArtifactKind   kind,
               const guint8    *data,
               gsize            size,
               GError         **error)
{
  if (size > WR_ARTIFACT_MAX_SIZE)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The content is too large to keep as an artifact (at most %d MiB). "
                     "Keep the file on disk instead."),
                   WR_ARTIFACT_MAX_SIZE / (1024 * 1024));
      return FALSE;
    }

  /* g_utf8_validate() with a length also refuses NUL bytes. */
  if (kind_is_text (kind) && size > 0 && !g_utf8_validate ((const char *) data, (gssize) size, NULL))
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The content of a %s artifact must be UTF-8 text. "
                     "Save it as UTF-8, or add it as a file instead."),
                   wr_artifact_kind_to_string (kind));
      return FALSE;
    }

  if (kind_is_json (kind) && size == 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The content of a %s artifact must be a JSON object, and it is empty."),
                   wr_artifact_kind_to_string (kind));
      return FALSE;
    }

  return TRUE;
}

/* NOT_FOUND when @project_id is not a live project. */
static gboolean
check_live_project (WrStore     *store,
                    const char  *project_id,
                    GError     **error)
{
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (store, "SELECT 1 FROM projects WHERE id = ? AND deleted_at IS NULL", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, project_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_not_found (error, PROJECT_GONE);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (store, rc, error);

  return TRUE;
}

/* Create ------------------------------------------------------------------ */

typedef struct {
  WrStore        *store;
  WrArtifact     *artifact;
  const char     *id;
  const char     *name;
  WrArtifactKind  kind;
  const guint8   *data;
  gsize           size;
  gint64          now;
  char           *dataset_id;   /* out, owned */
} ArtifactCreate;

/* For chart and table content: INVALID unless a JSON object; the table's
 * dataset_id from the content when the artifact has none. */
static gboolean
check_json_tx (ArtifactCreate  *create,
               GError         **error)
{
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (create->store,
                       "SELECT CASE WHEN json_valid (?1) THEN json_type (?1) END, "
                       "CASE WHEN json_valid (?1) AND json_type (?1) = 'object' "
                       "THEN json_extract (?1, '$.dataset_id') END",
                       error);
  const char *type;
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, (const char *) create->data, (int) create->size, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (create->store, rc, error);

  type = _wr_db_column_text (stmt, 0);
  if (g_strcmp0 (type, "object") != 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The content of a %s artifact must be a JSON object. "
                     "Check the content and try again."),
                   wr_artifact_kind_to_string (create->kind));
      return FALSE;
    }

  if (create->kind == WR_ARTIFACT_KIND_TABLE &&
      create->dataset_id == NULL &&
      sqlite3_column_type (stmt, 1) == SQLITE_TEXT)
    create->dataset_id = g_strdup (_wr_db_column_text (stmt, 1));

  return TRUE;
}

static gboolean
create_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  ArtifactCreate *create = data;
  WrArtifact *artifact = create->artifact;
  g_autoptr(WrDbStmt) stmt = NULL;

  if (!check_live_project (create->store, wr_artifact_get_project_id (artifact), error))
    return FALSE;

  if (kind_is_json (create->kind) && !check_json_tx (create, error))
    return FALSE;

  stmt = _wr_store_prepare (create->store,
                            "INSERT INTO artifacts (id, project_id, chat_id, message_id, dataset_id, kind, "
                            "name, data, mime_type, file_name, size, created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                            error);
  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, create->id);
  _wr_db_bind_text (stmt, 2, wr_artifact_get_project_id (artifact));
  _wr_db_bind_text (stmt, 3, wr_artifact_get_chat_id (artifact));
  _wr_db_bind_text (stmt, 4, wr_artifact_get_message_id (artifact));
  _wr_db_bind_text (stmt, 5, create->dataset_id);
  _wr_db_bind_text (stmt, 6, wr_artifact_kind_to_string (create->kind));
  _wr_db_bind_text (stmt, 7, create->name);
  /* Never NULL, so the content of an empty artifact reads back as "". */
  sqlite3_bind_blob64 (stmt, 8, create->size > 0 ? (const void *) create->data : "",
                       create->size, SQLITE_STATIC);
  _wr_db_bind_text (stmt, 9, wr_artifact_get_mime_type (artifact));
  _wr_db_bind_text (stmt, 10, wr_artifact_get_file_name (artifact));
  sqlite3_bind_int64 (stmt, 11, (sqlite3_int64) create->size);
  sqlite3_bind_int64 (stmt, 12, create->now);

  return _wr_db_step_done (create->store, stmt, error);
}

gboolean
wr_store_create_artifact (WrStore     *store,
                          WrArtifact  *artifact,
                          GBytes      *data,
                          GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  ArtifactCreate create = { 0 };
  gboolean ok;

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (WR_IS_ARTIFACT (artifact), FALSE);

  if (!(name = check_name (wr_artifact_get_name (artifact), error)))
    return FALSE;

  create.kind = wr_artifact_get_kind (artifact);
  if (data != NULL)
    create.data = g_bytes_get_data (data, &create.size);

  if (!check_content (create.kind, create.data, create.size, error))
    return FALSE;

  if (wr_artifact_get_project_id (artifact) == NULL)
    return set_not_found (error, PROJECT_GONE);

  create.store = store;
  create.artifact = artifact;
  create.id = id = wr_new_id ();
  create.name = name;
  create.now = wr_now_usec ();
  create.dataset_id = g_strdup (wr_artifact_get_dataset_id (artifact));

  ok = _wr_store_run_transaction (store, create_tx, &create, error);

  if (ok)
    {
      g_object_freeze_notify (G_OBJECT (artifact));
      wr_artifact_set_id (artifact, id);
      wr_artifact_set_name (artifact, name);
      wr_artifact_set_dataset_id (artifact, create.dataset_id);
      wr_artifact_set_size (artifact, (gint64) create.size);
      wr_artifact_set_created_at (artifact, create.now);
      wr_artifact_set_updated_at (artifact, create.now);
      g_object_thaw_notify (G_OBJECT (artifact));
    }

  g_free (create.dataset_id);
  return ok;
}

/* List and get ------------------------------------------------------------ */

typedef struct {
  WrStore    *store;
  const char *id;
  const char *kind;
  GPtrArray  *artifacts;   /* out, element-type WrArtifact */
  WrArtifact *found;       /* out */
  GBytes     *data;        /* out */
} ArtifactRead;

static gboolean
list_tx (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  ArtifactRead *read = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  if (!check_live_project (read->store, read->id, error))
    return FALSE;

  /* rowid breaks ties between artifacts made in the same microsecond. */
  stmt = _wr_store_prepare (read->store,
                            "SELECT " ARTIFACT_COLUMNS " FROM artifacts AS a "
                            "WHERE a.project_id = ?1 AND a.deleted_at IS NULL "
                            "AND (?2 IS NULL OR a.kind = ?2) "
                            "ORDER BY a.created_at DESC, a.rowid DESC",
                            error);
  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, read->id);
  _wr_db_bind_text (stmt, 2, read->kind);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (read->artifacts, artifact_from_row (stmt));

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (read->store, rc, error);

  return TRUE;
}

GPtrArray *
wr_store_list_artifacts (WrStore     *store,
                         const char  *project_id,
                         const char  *kind_filter,
                         GError     **error)
{
  g_autoptr(GPtrArray) artifacts = g_ptr_array_new_with_free_func (g_object_unref);
  ArtifactRead read = { store, project_id, kind_filter, artifacts, NULL, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (kind_filter != NULL && !wr_artifact_kind_from_string (kind_filter, NULL))
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("“%s” is not a kind of artifact. Use report, table, chart, image, file, "
                     "html or mermaid."),
                   kind_filter);
      return NULL;
    }

  if (!_wr_store_run_read (store, list_tx, &read, error))
    return NULL;

  return g_steal_pointer (&artifacts);
}

static gboolean
get_tx (sqlite3   *db,
        gpointer   data,
        GError   **error)
{
  ArtifactRead *read = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (read->store,
                       "SELECT " ARTIFACT_COLUMNS " FROM " LIVE_ARTIFACTS
                       "WHERE a.id = ? AND a.deleted_at IS NULL",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, read->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_not_found (error, ARTIFACT_NOT_FOUND);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (read->store, rc, error);

  read->found = artifact_from_row (stmt);
  return TRUE;
}

WrArtifact *
wr_store_get_artifact (WrStore     *store,
                       const char  *id,
                       GError     **error)
{
  ArtifactRead read = { store, id, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_wr_store_run_read (store, get_tx, &read, error))
    return NULL;

  return read.found;
}

static gboolean
get_data_tx (sqlite3   *db,
             gpointer   data,
             GError   **error)
{
  ArtifactRead *read = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (read->store,
                       "SELECT a.data FROM " LIVE_ARTIFACTS
                       "WHERE a.id = ? AND a.deleted_at IS NULL",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, read->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_not_found (error, ARTIFACT_NOT_FOUND);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (read->store, rc, error);

  /* Rows from before 0005 may hold text or NULL: read them as bytes. */
  {
    const void *blob = sqlite3_column_blob (stmt, 0);
    int len = sqlite3_column_bytes (stmt, 0);

    read->data = g_bytes_new (blob, blob != NULL ? (gsize) len : 0);
  }

  return TRUE;
}

GBytes *
wr_store_get_artifact_data (WrStore     *store,
                            const char  *id,
                            GError     **error)
{
  ArtifactRead read = { store, id, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_wr_store_run_read (store, get_data_tx, &read, error))
    return NULL;

  return read.data;
}

/* Rename, delete, restore ------------------------------------------------- */

typedef struct {
  WrStore    *store;
  const char *id;
  const char *name;
  gint64      now;
} ArtifactWrite;

static gboolean
rename_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  ArtifactWrite *write = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (write->store,
                       "UPDATE artifacts SET name = ?1, updated_at = ?2 "
                       "WHERE id = ?3 AND deleted_at IS NULL AND project_id IN "
                       "(SELECT id FROM projects WHERE deleted_at IS NULL)",
                       error);

  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, write->name);
  sqlite3_bind_int64 (stmt, 2, write->now);
  _wr_db_bind_text (stmt, 3, write->id);
  if (!_wr_db_step_done (write->store, stmt, error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    return set_not_found (error, ARTIFACT_NOT_FOUND);

  return TRUE;
}

gboolean
wr_store_rename_artifact (WrStore     *store,
                          const char  *id,
                          const char  *name,
                          GError     **error)
{
  g_autofree char *stripped = NULL;
  ArtifactWrite write = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!(stripped = check_name (name, error)))
    return FALSE;

  write.store = store;
  write.id = id;
  write.name = stripped;
  write.now = wr_now_usec ();

  return _wr_store_run_transaction (store, rename_tx, &write, error);
}

static gboolean
delete_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  ArtifactWrite *write = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (write->store,
                       "UPDATE artifacts SET deleted_at = ?1, updated_at = ?1 "
                       "WHERE id = ?2 AND deleted_at IS NULL AND project_id IN "
                       "(SELECT id FROM projects WHERE deleted_at IS NULL)",
                       error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->now);
  _wr_db_bind_text (stmt, 2, write->id);
  if (!_wr_db_step_done (write->store, stmt, error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    return set_not_found (error, ARTIFACT_NOT_FOUND);

  return TRUE;
}

gboolean
wr_store_delete_artifact (WrStore     *store,
                          const char  *id,
                          GError     **error)
{
  ArtifactWrite write = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  write.store = store;
  write.id = id;
  write.now = wr_now_usec ();

  return _wr_store_run_transaction (store, delete_tx, &write, error);
}

static gboolean
restore_tx (sqlite3   *db,
            gpointer   data,
            GError   **error)
{
  ArtifactWrite *write = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (write->store,
                       "UPDATE artifacts SET deleted_at = NULL, updated_at = ?1 "
                       "WHERE id = ?2 AND deleted_at IS NOT NULL AND project_id IN "
                       "(SELECT id FROM projects WHERE deleted_at IS NULL)",
                       error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->now);
  _wr_db_bind_text (stmt, 2, write->id);
  if (!_wr_db_step_done (write->store, stmt, error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    return set_not_found (error, _("There is no deleted artifact to restore. "
                                   "It may have been restored already; reload the list."));

  return TRUE;
}

gboolean
wr_store_restore_artifact (WrStore     *store,
                           const char  *id,
                           GError     **error)
{
  ArtifactWrite write = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  write.store = store;
  write.id = id;
  write.now = wr_now_usec ();

  return _wr_store_run_transaction (store, restore_tx, &write, error);
}

/* Async ------------------------------------------------------------------- */

typedef struct {
  gboolean  (*by_id) (WrStore *store, const char *id, GError **error);   /* delete, restore */
  char       *id;          /* artifact id, or project id for list */
  char       *name;        /* new name, or kind filter for list */
  WrArtifact *artifact;    /* a copy, the worker's */
  GBytes     *data;
} AsyncArgs;

static void
async_args_free (gpointer data)
{
  AsyncArgs *args = data;

  g_free (args->id);
  g_free (args->name);
  g_clear_object (&args->artifact);
  g_clear_pointer (&args->data, g_bytes_unref);
  g_free (args);
}

static GTask *
async_task_new (WrStore             *store,
                const char          *id,
                const char          *name,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  AsyncArgs *args = g_new0 (AsyncArgs, 1);

  args->id = g_strdup (id);
  args->name = g_strdup (name);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, args, async_args_free);

  return task;
}

/* Delete and restore: the sync call named in the args, on the id. */
static void
by_id_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_boolean_or_error (task, args->by_id (source_object, args->id, &error), &error);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!wr_store_create_artifact (source_object, args->artifact, args->data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (args->artifact), g_object_unref);
}

void
wr_store_create_artifact_async (WrStore             *store,
                                WrArtifact          *artifact,
                                GBytes              *data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (WR_IS_ARTIFACT (artifact));

  task = async_task_new (store, NULL, NULL, cancellable, callback, user_data,
                         wr_store_create_artifact_async);
  args = g_task_get_task_data (task);
  args->artifact = artifact_copy (artifact);
  args->data = data != NULL ? g_bytes_ref (data) : NULL;
  g_task_run_in_thread (task, create_thread);
}

WrArtifact *
wr_store_create_artifact_finish (WrStore       *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _wr_store_propagate_pointer (store, result, wr_store_create_artifact_async, error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_pointer_or_error (task,
                                     wr_store_list_artifacts (source_object, args->id, args->name, &error),
                                     &error, (GDestroyNotify) g_ptr_array_unref);
}

void
wr_store_list_artifacts_async (WrStore             *store,
                               const char          *project_id,
                               const char          *kind_filter,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (project_id != NULL);

  task = async_task_new (store, project_id, kind_filter, cancellable, callback, user_data,
                         wr_store_list_artifacts_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
wr_store_list_artifacts_finish (WrStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _wr_store_propagate_pointer (store, result, wr_store_list_artifacts_async, error);
}

static void
get_data_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_pointer_or_error (task,
                                     wr_store_get_artifact_data (source_object, args->id, &error),
                                     &error, (GDestroyNotify) g_bytes_unref);
}

void
wr_store_get_artifact_data_async (WrStore             *store,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = async_task_new (store, id, NULL, cancellable, callback, user_data,
                         wr_store_get_artifact_data_async);
  g_task_run_in_thread (task, get_data_thread);
}

GBytes *
wr_store_get_artifact_data_finish (WrStore       *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _wr_store_propagate_pointer (store, result, wr_store_get_artifact_data_async, error);
}

static void
rename_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_boolean_or_error (task,
                                     wr_store_rename_artifact (source_object, args->id, args->name, &error),
                                     &error);
}

void
wr_store_rename_artifact_async (WrStore             *store,
                                const char          *id,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = async_task_new (store, id, name, cancellable, callback, user_data,
                         wr_store_rename_artifact_async);
  g_task_run_in_thread (task, rename_thread);
}

gboolean
wr_store_rename_artifact_finish (WrStore       *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _wr_store_propagate_boolean (store, result, wr_store_rename_artifact_async, error);
}

void
wr_store_delete_artifact_async (WrStore             *store,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = async_task_new (store, id, NULL, cancellable, callback, user_data,
                         wr_store_delete_artifact_async);
  ((AsyncArgs *) g_task_get_task_data (task))->by_id = wr_store_delete_artifact;
  g_task_run_in_thread (task, by_id_thread);
}

gboolean
wr_store_delete_artifact_finish (WrStore       *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _wr_store_propagate_boolean (store, result, wr_store_delete_artifact_async, error);
}

void
wr_store_restore_artifact_async (WrStore             *store,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = async_task_new (store, id, NULL, cancellable, callback, user_data,
                         wr_store_restore_artifact_async);
  ((AsyncArgs *) g_task_get_task_data (task))->by_id = wr_store_restore_artifact;
  g_task_run_in_thread (task, by_id_thread);
}

gboolean
wr_store_restore_artifact_finish (WrStore       *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _wr_store_propagate_boolean (store, result, wr_store_restore_artifact_async, error);
}
