/* wr-store-templates.c — instruction templates and which one a chat or a
 * project uses, on the store's connection (wr-store-db.h).
 *
 * Names are compared case-insensitively with Unicode case folding (SQLite's
 * lower() and NOCASE only fold ASCII), so uniqueness is checked here, inside
 * the write transaction that saves the name: nothing can add the same name
 * between the check and the commit, in this process or another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-template.h"
#include "wr-store-db.h"
#include "wr-store-private.h"
#include "wr-util.h"

#define TEMPLATE_NOT_FOUND _("The template no longer exists. It may have been deleted in another window; reload the list.")
#define CHAT_GONE          _("The chat no longer exists. It may have been deleted in another window; reload the list.")
#define PROJECT_GONE       _("The project no longer exists. It may have been deleted in another window; reload the list.")

#define TEMPLATE_COLUMNS "id, name, content, created_at, updated_at"

/* Helpers ---------------------------------------------------------------- */

static gboolean
set_not_found (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND, message);
  return FALSE;
}

static WrTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  WrTemplate *template_ = wr_template_new (_wr_db_column_text (stmt, 1), _wr_db_column_text (stmt, 2));

  wr_template_set_id (template_, _wr_db_column_text (stmt, 0));
  wr_template_set_created_at (template_, sqlite3_column_int64 (stmt, 3));
  wr_template_set_updated_at (template_, sqlite3_column_int64 (stmt, 4));

  return template_;
}

/* What two names are compared by: NFKC, then Unicode case folding. */
static char *
name_key (const char *name)
{
  g_autofree char *normal = g_utf8_normalize (name, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : name, -1);
}

static int
compare_templates (gconstpointer a,
                   gconstpointer b)
{
  WrTemplate *ta = *(WrTemplate * const *) a;
  WrTemplate *tb = *(WrTemplate * const *) b;
  g_autofree char *ka = name_key (wr_template_get_name (ta));
  g_autofree char *kb = name_key (wr_template_get_name (tb));
  int cmp = g_utf8_collate (ka, kb);

  return cmp != 0 ? cmp : g_strcmp0 (wr_template_get_id (ta), wr_template_get_id (tb));
}

/* The stripped name, or NULL with INVALID. */
static char *
check_name (const char  *name,
            GError     **error)
{
  WrNameProblem problem;
  char *stripped = wr_strip_name (name, WR_TEMPLATE_MAX_NAME_CHARS, &problem);

  if (problem == WR_NAME_EMPTY)
    g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                         _("A template needs a name. Type a name and try again."));
  else if (problem == WR_NAME_TOO_LONG)
    g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                 _("A template name can have at most %d characters. Choose a shorter name."),
                 WR_TEMPLATE_MAX_NAME_CHARS);
  return stripped;
}

static gboolean
check_content (const char  *content,
               GError     **error)
{
  if (strlen (content) > WR_TEMPLATE_MAX_CONTENT_SIZE)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The template text is too long (at most %d KiB). Shorten it and try again."),
                   WR_TEMPLATE_MAX_CONTENT_SIZE / 1024);
      return FALSE;
    }

  if (!g_utf8_validate (content, -1, NULL))
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("The template text is not valid UTF-8. Save the file as UTF-8 and try again."));
      return FALSE;
    }

  return TRUE;
}

/* List and get ------------------------------------------------------------ */

typedef struct {
  WrStore    *store;
  const char *key;        /* id or name */
  GPtrArray  *templates;  /* out, element-type WrTemplate */
  WrTemplate *found;      /* out */
} TemplateRead;

static gboolean
list_tx (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  TemplateRead *read = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (read->store,
                       "SELECT " TEMPLATE_COLUMNS " FROM instruction_templates "
                       "WHERE deleted_at IS NULL",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (read->templates, template_from_row (stmt));

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (read->store, rc, error);

  return TRUE;
}

GPtrArray *
wr_store_list_templates (WrStore  *store,
                         GError  **error)
{
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_object_unref);
  TemplateRead read = { store, NULL, templates, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);

  if (!_wr_store_run_read (store, list_tx, &read, error))
    return NULL;

  g_ptr_array_sort (templates, compare_templates);
  return g_steal_pointer (&templates);
}

static gboolean
get_tx (sqlite3   *db,
        gpointer   data,
        GError   **error)
{
  TemplateRead *read = data;
  g_autofree char *key = NULL;

  {
    g_autoptr(WrDbStmt) stmt =
      _wr_store_prepare (read->store,
                         "SELECT " TEMPLATE_COLUMNS " FROM instruction_templates "
                         "WHERE id = ? AND deleted_at IS NULL",
                         error);
    int rc;

    if (stmt == NULL)
      return FALSE;

    _wr_db_bind_text (stmt, 1, read->key);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      {
        read->found = template_from_row (stmt);
        return TRUE;
      }
    if (rc != SQLITE_DONE)
      return _wr_store_sqlite_error (read->store, rc, error);
  }

  if (!list_tx (db, read, error))
    return FALSE;

  key = name_key (read->key);
  for (guint i = 0; i < read->templates->len; i++)
    {
      WrTemplate *template_ = g_ptr_array_index (read->templates, i);
      g_autofree char *other = name_key (wr_template_get_name (template_));

      if (g_str_equal (key, other))
        {
          read->found = g_object_ref (template_);
          return TRUE;
        }
    }

  return TRUE;
}

WrTemplate *
wr_store_get_template (WrStore     *store,
                       const char  *id_or_name,
                       GError     **error)
{
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *stripped = NULL;
  TemplateRead read = { store, NULL, templates, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  if (!g_utf8_validate (id_or_name, -1, NULL))
    return set_not_found (error, TEMPLATE_NOT_FOUND), NULL;

  stripped = g_strstrip (g_strdup (id_or_name));
  read.key = stripped;

  if (!_wr_store_run_read (store, get_tx, &read, error))
    return NULL;

  if (read.found == NULL)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                   _("There is no template “%s”. List the templates to see their names."),
                   stripped);
      return NULL;
    }

  return read.found;
}

/* Save and delete --------------------------------------------------------- */

typedef struct {
  WrStore    *store;
  const char *id;         /* NULL = insert */
  const char *new_id;
  const char *name;
  const char *content;
  gint64      now;
  gint64      created_at; /* out */
} TemplateWrite;

/* INVALID when a live template other than @except_id has @name. */
static gboolean
check_unique_name (TemplateWrite  *write,
                   GError        **error)
{
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (write->store,
                       "SELECT id, name FROM instruction_templates WHERE deleted_at IS NULL",
                       error);
  g_autofree char *key = name_key (write->name);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *other = name_key (_wr_db_column_text (stmt, 1) ? _wr_db_column_text (stmt, 1) : "");

      if (g_strcmp0 (_wr_db_column_text (stmt, 0), write->id) == 0)
        continue;

      if (g_str_equal (key, other))
        {
          g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                       _("A template called “%s” already exists. Choose another name, "
                         "or edit that template."),
                       _wr_db_column_text (stmt, 1));
          return FALSE;
        }
    }

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (write->store, rc, error);

  return TRUE;
}

static gboolean
save_tx (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  TemplateWrite *write = data;

  if (!check_unique_name (write, error))
    return FALSE;

  if (write->id == NULL)
    {
      g_autoptr(WrDbStmt) stmt =
        _wr_store_prepare (write->store,
                           "INSERT INTO instruction_templates (id, name, content, created_at, updated_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?4)",
                           error);

      if (stmt == NULL)
        return FALSE;

      _wr_db_bind_text (stmt, 1, write->new_id);
      _wr_db_bind_text (stmt, 2, write->name);
      _wr_db_bind_text (stmt, 3, write->content);
      sqlite3_bind_int64 (stmt, 4, write->now);
      write->created_at = write->now;
      return _wr_db_step_done (write->store, stmt, error);
    }
  else
    {
      g_autoptr(WrDbStmt) stmt =
        _wr_store_prepare (write->store,
                           "UPDATE instruction_templates SET name = ?1, content = ?2, updated_at = ?3 "
                           "WHERE id = ?4 AND deleted_at IS NULL RETURNING created_at",
                           error);
      gboolean found = FALSE;
      int rc;

      if (stmt == NULL)
        return FALSE;

      _wr_db_bind_text (stmt, 1, write->name);
      _wr_db_bind_text (stmt, 2, write->content);
      sqlite3_bind_int64 (stmt, 3, write->now);
      _wr_db_bind_text (stmt, 4, write->id);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          found = TRUE;
          write->created_at = sqlite3_column_int64 (stmt, 0);
        }
      if (rc != SQLITE_DONE)
        return _wr_store_sqlite_error (write->store, rc, error);

      if (!found)
        return set_not_found (error, TEMPLATE_NOT_FOUND);

      return TRUE;
    }
}

gboolean
wr_store_save_template (WrStore     *store,
                        WrTemplate  *template_,
                        GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *new_id = NULL;
  TemplateWrite write = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (WR_IS_TEMPLATE (template_), FALSE);

  if (!(name = check_name (wr_template_get_name (template_), error)))
    return FALSE;

  if (!check_content (wr_template_get_content (template_), error))
    return FALSE;

  write.store = store;
  write.id = wr_template_get_id (template_);
  if (write.id == NULL)
    write.new_id = new_id = wr_new_id ();
  write.name = name;
  write.content = wr_template_get_content (template_);
  write.now = wr_now_usec ();

  if (!_wr_store_run_transaction (store, save_tx, &write, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (template_));
  if (new_id != NULL)
    wr_template_set_id (template_, new_id);
  wr_template_set_name (template_, name);
  wr_template_set_created_at (template_, write.created_at);
  wr_template_set_updated_at (template_, write.now);
  g_object_thaw_notify (G_OBJECT (template_));

  return TRUE;
}

static gboolean
delete_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  TemplateWrite *write = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (write->store,
                       "UPDATE instruction_templates SET deleted_at = ?1, updated_at = ?1 "
                       "WHERE id = ?2 AND deleted_at IS NULL",
                       error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->now);
  _wr_db_bind_text (stmt, 2, write->id);
  if (!_wr_db_step_done (write->store, stmt, error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    return set_not_found (error, TEMPLATE_NOT_FOUND);

  return TRUE;
}

/* Chats and projects keep their template_id: the reference reads as "none"
 * while the template is tombstoned, and comes back if it is restored. */
gboolean
wr_store_delete_template (WrStore     *store,
                          const char  *id,
                          GError     **error)
{
  TemplateWrite write = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  write.store = store;
  write.id = id;
  write.now = wr_now_usec ();

  return _wr_store_run_transaction (store, delete_tx, &write, error);
}

/* Which template a chat / project uses ------------------------------------ */

typedef enum {
  OWNER_CHAT,
  OWNER_PROJECT,
} OwnerKind;

typedef struct {
  WrStore    *store;
  OwnerKind   kind;
  const char *owner_id;
  const char *template_id;
  gint64      now;
  char       *result;     /* out */
} OwnerOp;

static const char *
owner_gone (OwnerKind kind)
{
  return kind == OWNER_CHAT ? CHAT_GONE : PROJECT_GONE;
}

static gboolean
get_owner_tx (sqlite3   *db,
              gpointer   data,
              GError   **error)
{
  OwnerOp *op = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (op->store,
                       op->kind == OWNER_CHAT
                       ? "SELECT t.id FROM chats AS o "
                         "LEFT JOIN instruction_templates AS t "
                         "  ON t.id = o.template_id AND t.deleted_at IS NULL "
                         "WHERE o.id = ? AND o.deleted_at IS NULL"
                       : "SELECT t.id FROM projects AS o "
                         "LEFT JOIN instruction_templates AS t "
                         "  ON t.id = o.template_id AND t.deleted_at IS NULL "
                         "WHERE o.id = ? AND o.deleted_at IS NULL",
                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, op->owner_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_not_found (error, owner_gone (op->kind));
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (op->store, rc, error);

  op->result = g_strdup (_wr_db_column_text (stmt, 0));
  return TRUE;
}

static gboolean
set_owner_tx (sqlite3   *db,
              gpointer   data,
              GError   **error)
{
  OwnerOp *op = data;

  if (op->template_id != NULL)
    {
      g_autoptr(WrDbStmt) stmt =
        _wr_store_prepare (op->store,
                           "SELECT 1 FROM instruction_templates WHERE id = ? AND deleted_at IS NULL",
                           error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      _wr_db_bind_text (stmt, 1, op->template_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        return set_not_found (error, TEMPLATE_NOT_FOUND);
      if (rc != SQLITE_ROW)
        return _wr_store_sqlite_error (op->store, rc, error);
    }

  {
    g_autoptr(WrDbStmt) stmt =
      _wr_store_prepare (op->store,
                         op->kind == OWNER_CHAT
                         ? "UPDATE chats SET template_id = ?1, updated_at = ?2 "
                           "WHERE id = ?3 AND deleted_at IS NULL"
                         : "UPDATE projects SET template_id = ?1, updated_at = ?2 "
                           "WHERE id = ?3 AND deleted_at IS NULL",
                         error);

    if (stmt == NULL)
      return FALSE;

    _wr_db_bind_text (stmt, 1, op->template_id);
    sqlite3_bind_int64 (stmt, 2, op->now);
    _wr_db_bind_text (stmt, 3, op->owner_id);
    if (!_wr_db_step_done (op->store, stmt, error))
      return FALSE;

    if (sqlite3_changes (db) == 0)
      return set_not_found (error, owner_gone (op->kind));
  }

  return TRUE;
}

/* Runs @func, a read that sets op->result, on a chat or project; its
 * result (transfer full), or NULL with or without @error. */
static char *
read_owner (WrStore        *store,
            OwnerKind       kind,
            const char     *owner_id,
            WrStoreTxFunc   func,
            GError        **error)
{
  OwnerOp op = { store, kind, owner_id, NULL, 0, NULL };

  if (!_wr_store_run_read (store, func, &op, error))
    {
      g_free (op.result);
      return NULL;
    }

  return op.result;
}

static char *
get_owner_template (WrStore     *store,
                    OwnerKind    kind,
                    const char  *owner_id,
                    GError     **error)
{
  return read_owner (store, kind, owner_id, get_owner_tx, error);
}

static gboolean
set_owner_template (WrStore     *store,
                    OwnerKind    kind,
                    const char  *owner_id,
                    const char  *template_id,
                    GError     **error)
{
  OwnerOp op = { store, kind, owner_id, NULL, 0, NULL };

  if (template_id != NULL && *template_id == '\0')
    template_id = NULL;

  op.template_id = template_id;
  op.now = wr_now_usec ();

  return _wr_store_run_transaction (store, set_owner_tx, &op, error);
}

char *
wr_store_get_chat_template_id (WrStore     *store,
                               const char  *chat_id,
                               GError     **error)
{
  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (chat_id != NULL, NULL);

  return get_owner_template (store, OWNER_CHAT, chat_id, error);
}

gboolean
wr_store_set_chat_template_id (WrStore     *store,
                               const char  *chat_id,
                               const char  *template_id,
                               GError     **error)
{
  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (chat_id != NULL, FALSE);

  return set_owner_template (store, OWNER_CHAT, chat_id, template_id, error);
}

char *
wr_store_get_project_template_id (WrStore     *store,
                                  const char  *project_id,
                                  GError     **error)
{
  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return get_owner_template (store, OWNER_PROJECT, project_id, error);
}

gboolean
wr_store_set_project_template_id (WrStore     *store,
                                  const char  *project_id,
                                  const char  *template_id,
                                  GError     **error)
{
  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);

  return set_owner_template (store, OWNER_PROJECT, project_id, template_id, error);
}

/* The chat's template wins when it has one, even with empty text (the
 * user chose "no instructions" for this chat). */
static gboolean
resolve_tx (sqlite3   *db,
            gpointer   data,
            GError   **error)
{
  OwnerOp *op = data;
  g_autoptr(WrDbStmt) stmt =
    _wr_store_prepare (op->store,
                       "SELECT ct.id, ct.content, pt.content FROM chats AS c "
                       "JOIN projects AS p ON p.id = c.project_id "
                       "LEFT JOIN instruction_templates AS ct "
                       "  ON ct.id = c.template_id AND ct.deleted_at IS NULL "
                       "LEFT JOIN instruction_templates AS pt "
                       "  ON pt.id = p.template_id AND pt.deleted_at IS NULL "
                       "WHERE c.id = ? AND c.deleted_at IS NULL",
                       error);
  const char *content;
  int rc;

  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, op->owner_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_not_found (error, CHAT_GONE);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (op->store, rc, error);

  content = sqlite3_column_type (stmt, 0) != SQLITE_NULL ? _wr_db_column_text (stmt, 1)
                                                         : _wr_db_column_text (stmt, 2);
  if (content != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (content));

      if (*stripped != '\0')
        op->result = g_strdup (content);
    }

  return TRUE;
}

char *
wr_store_resolve_system_prompt (WrStore     *store,
                                const char  *chat_id,
                                GError     **error)
{
  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (chat_id != NULL, NULL);

  return read_owner (store, OWNER_CHAT, chat_id, resolve_tx, error);
}

/* Async ------------------------------------------------------------------- */

typedef struct {
  OwnerKind   kind;
  char       *owner_id;
  char       *id;
  WrTemplate *template_;   /* a copy, the worker's */
} AsyncArgs;

static void
async_args_free (gpointer data)
{
  AsyncArgs *args = data;

  g_free (args->owner_id);
  g_free (args->id);
  g_clear_object (&args->template_);
  g_free (args);
}

static GTask *
async_task_new (WrStore             *store,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag,
                AsyncArgs          **out_args)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  AsyncArgs *args = g_new0 (AsyncArgs, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, args, async_args_free);
  *out_args = args;

  return task;
}

/* A task about @owner_id, a chat or a project as @kind says; NULL when
 * @kind is neither, the error already returned through the task. */
static GTask *
owner_task_new (WrStore             *store,
                const char          *kind,
                const char          *owner_id,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag,
                AsyncArgs          **out_args)
{
  g_autoptr(GTask) task = async_task_new (store, cancellable, callback, user_data, source_tag, out_args);
  AsyncArgs *args = *out_args;

  if (g_strcmp0 (kind, "chat") == 0)
    args->kind = OWNER_CHAT;
  else if (g_strcmp0 (kind, "project") == 0)
    args->kind = OWNER_PROJECT;
  else
    {
      g_task_return_new_error (task, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                               "“%s” is not chat or project", kind ? kind : "");
      return NULL;
    }

  args->owner_id = g_strdup (owner_id);
  return g_steal_pointer (&task);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_pointer_or_error (task, wr_store_list_templates (source_object, &error), &error,
                                     (GDestroyNotify) g_ptr_array_unref);
}

void
wr_store_list_templates_async (WrStore             *store,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (store));

  task = async_task_new (store, cancellable, callback, user_data,
                         wr_store_list_templates_async, &args);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
wr_store_list_templates_finish (WrStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _wr_store_propagate_pointer (store, result, wr_store_list_templates_async, error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!wr_store_save_template (source_object, args->template_, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (args->template_), g_object_unref);
}

void
wr_store_save_template_async (WrStore             *store,
                              WrTemplate          *template_,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (WR_IS_TEMPLATE (template_));

  task = async_task_new (store, cancellable, callback, user_data,
                         wr_store_save_template_async, &args);
  args->template_ = _wr_template_copy (template_);
  g_task_run_in_thread (task, save_thread);
}

WrTemplate *
wr_store_save_template_finish (WrStore       *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _wr_store_propagate_pointer (store, result, wr_store_save_template_async, error);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_boolean_or_error (task, wr_store_delete_template (source_object, args->id, &error),
                                     &error);
}

void
wr_store_delete_template_async (WrStore             *store,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = async_task_new (store, cancellable, callback, user_data,
                         wr_store_delete_template_async, &args);
  args->id = g_strdup (id);
  g_task_run_in_thread (task, delete_thread);
}

gboolean
wr_store_delete_template_finish (WrStore       *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _wr_store_propagate_boolean (store, result, wr_store_delete_template_async, error);
}

static void
set_for_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  _wr_store_return_boolean_or_error (task,
                                     set_owner_template (source_object, args->kind, args->owner_id,
                                                         args->id, &error),
                                     &error);
}

void
wr_store_set_template_for_async (WrStore             *store,
                                 const char          *kind,
                                 const char          *owner_id,
                                 const char          *template_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (owner_id != NULL);

  task = owner_task_new (store, kind, owner_id, cancellable, callback, user_data,
                         wr_store_set_template_for_async, &args);
  if (task == NULL)
    return;
  args->id = g_strdup (template_id);
  g_task_run_in_thread (task, set_for_thread);
}

gboolean
wr_store_set_template_for_finish (WrStore       *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _wr_store_propagate_boolean (store, result, wr_store_set_template_for_async, error);
}

/* The result is a string that may be NULL (no template) without an error:
 * returned boxed so "none" and "failed" stay apart. */
typedef struct {
  char *id;
} TemplateId;

static void
template_id_free (TemplateId *boxed)
{
  g_free (boxed->id);
  g_free (boxed);
}

static void
get_for_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AsyncArgs *args = task_data;
  GError *error = NULL;
  TemplateId *boxed;

  if (g_task_return_error_if_cancelled (task))
    return;

  boxed = g_new0 (TemplateId, 1);
  boxed->id = get_owner_template (source_object, args->kind, args->owner_id, &error);
  if (error != NULL)
    {
      template_id_free (boxed);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, boxed, (GDestroyNotify) template_id_free);
}

void
wr_store_get_template_for_async (WrStore             *store,
                                 const char          *kind,
                                 const char          *owner_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncArgs *args;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (owner_id != NULL);

  task = owner_task_new (store, kind, owner_id, cancellable, callback, user_data,
                         wr_store_get_template_for_async, &args);
  if (task != NULL)
    g_task_run_in_thread (task, get_for_thread);
}

/* NULL with no error = no template. */
char *
wr_store_get_template_for_finish (WrStore       *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  TemplateId *boxed;
  char *id;

  boxed = _wr_store_propagate_pointer (store, result, wr_store_get_template_for_async, error);
  if (boxed == NULL)
    return NULL;

  id = g_steal_pointer (&boxed->id);
  template_id_free (boxed);
  return id;
}
