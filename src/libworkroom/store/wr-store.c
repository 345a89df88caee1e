/* wr-store.c — the local SQLite store.
 *
 * One connection per WrStore, opened with SQLITE_OPEN_FULLMUTEX and shared
 * by every thread. Cached prepared statements and multi-statement
 * transactions are not safe to interleave between threads, so every public
 * call holds self->lock for its whole duration; other processes (the CLI
 * next to the GUI) are handled by WAL, the busy timeout and retries of
 * BEGIN IMMEDIATE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wr-store.h"
#include "wr-store-private.h"
#include "wr-store-db.h"
#include "wr-store-resources.h"
#include "wr-util.h"

#define MIGRATIONS_PATH     "/io/github/workroom/Workroom/store/migrations"
/* How long one statement waits for another process's lock, and how many
 * more times BEGIN IMMEDIATE tries after that: worst case about 15 s before
 * WR_STORE_ERROR_BUSY. */
#define BUSY_TIMEOUT_MS     5000
#define BEGIN_RETRIES       2

struct _WrStore
{
  GObject     parent_instance;
  char       *path;
  sqlite3    *db;
  GMutex      lock;           /* held by every public call; see top of file */
  GHashTable *statements;     /* SQL text (owned) -> sqlite3_stmt (owned) */
  int         schema_version;
  int         busy_timeout_ms;
};

G_DEFINE_FINAL_TYPE (WrStore, wr_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (wr-store-error-quark, wr_store_error)

/* A cached statement borrowed for one call: g_autoptr resets it (ending any
 * implicit read transaction) and clears its bindings on every exit path.
 * Declare it after the GMutexLocker so it is released before the lock. */
typedef sqlite3_stmt WrStmt;

static void
wr_stmt_release (WrStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrStmt, wr_stmt_release)

/* Migrations ------------------------------------------------------------ */

typedef struct {
  int   version;
  char *name;      /* e.g. "0001-initial.sql" */
} Migration;

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  const Migration *ma = *(const Migration * const *) a;
  const Migration *mb = *(const Migration * const *) b;

  return (ma->version > mb->version) - (ma->version < mb->version);
}

/* The migrations compiled into this build, sorted; element i has version
 * i + 1. Adding one is only: drop NNNN-name.sql in migrations/ and list it in
 * wr-store.gresource.xml. A gap or duplicate is a build bug and aborts. */
static GPtrArray *
get_migrations (void)
{
  static GPtrArray *migrations;

  if (g_once_init_enter (&migrations))
    {
      GPtrArray *list = g_ptr_array_new ();
      g_auto(GStrv) names = NULL;
      g_autoptr(GError) error = NULL;

      names = g_resource_enumerate_children (wr_store_get_resource (), MIGRATIONS_PATH,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (names == NULL)
        g_error ("No store migrations in the resources: %s", error->message);

      for (guint i = 0; names[i] != NULL; i++)
        {
          Migration *m;
          char *end = NULL;
          gint64 version;

          if (!g_str_has_suffix (names[i], ".sql"))
            continue;

          version = g_ascii_strtoll (names[i], &end, 10);
          if (end == names[i] || *end != '-' || version <= 0 || version > G_MAXINT)
            g_error ("Store migration %s is not named NNNN-name.sql", names[i]);

          m = g_new0 (Migration, 1);
          m->version = (int) version;
          m->name = g_strdup (names[i]);
          g_ptr_array_add (list, m);
        }

      g_ptr_array_sort (list, compare_migrations);

      for (guint i = 0; i < list->len; i++)
        {
          const Migration *m = g_ptr_array_index (list, i);

          if (m->version != (int) i + 1)
            g_error ("Store migrations must be numbered 1, 2, 3…; found %s at position %u",
                     m->name, i + 1);
        }

      g_once_init_leave (&migrations, list);
    }

  return migrations;
}

int
wr_store_get_latest_schema_version (void)
{
  return (int) get_migrations ()->len;
}

/* Errors ---------------------------------------------------------------- */

/* Sets @error from a SQLite result code; always returns FALSE. Messages say
 * what the user can do; the SQLite text is appended for bug reports (it never
 * contains bound values). */
static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *path,
                  int          rc)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_BUSY,
                   _("The Workroom database is in use by another program (%s). "
                     "Wait a moment and try again; if it persists, close other "
                     "Workroom windows and commands."),
                   detail);
      break;

    case SQLITE_FULL:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_FULL,
                   _("There is no space left to save Workroom data (%s). "
                     "Free some disk space, then try again."),
                   detail);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged or is not a Workroom database (%s). "
                     "Restore it from a backup, or move it aside so Workroom "
                     "can start a new one."),
                   path, detail);
      break;

    case SQLITE_READONLY:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_READONLY,
                   _("Workroom cannot write to “%s” (%s). Check that the file "
                     "and its folder are writable and the disk is not read-only."),
                   path, detail);
      break;

    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The database refused the change (%s). Check the values "
                     "and try again."),
                   detail);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_FAILED,
                   _("Workroom cannot open its database “%s” (%s). Check that "
                     "the folder exists and that you can write to it."),
                   path, detail);
      break;

    default:
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_FAILED,
                   _("Workroom could not use its database “%s” (%s). Try again; "
                     "if it keeps failing, check the disk for errors."),
                   path, detail);
      break;
    }

  return FALSE;
}

static gboolean
store_error (WrStore  *self,
             GError  **error,
             int       rc)
{
  return set_sqlite_error (error, self->db, self->path, rc);
}

static gboolean
not_found (GError     **error,
           const char  *what)
{
  g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND, what);
  return FALSE;
}

#define PROJECT_NOT_FOUND _("The project no longer exists. It may have been deleted in another window; reload the list.")
#define CHAT_NOT_FOUND    _("The chat no longer exists. It may have been deleted in another window; reload the list.")
#define MESSAGE_NOT_FOUND _("The message no longer exists. It may have been deleted in another window.")
#define PROVIDER_NOT_FOUND _("The provider no longer exists. It may have been removed in another window.")

/* Statements and transactions ------------------------------------------- */

/* Returns a cached statement for @sql (transfer none; release with
 * g_autoptr(WrStmt)). Caller holds self->lock. */
static WrStmt *
store_prepare (WrStore     *self,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      store_error (self, error, rc);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Steps a statement that returns no rows. */
static gboolean
stmt_run (WrStore       *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;

  if (rc != SQLITE_DONE)
    return store_error (self, error, rc);

  return TRUE;
}

static gboolean
store_exec (WrStore     *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr(WrStmt) stmt = store_prepare (self, sql, error);

  return stmt != NULL && stmt_run (self, stmt, error);
}

/* BEGIN IMMEDIATE takes the write lock up front, so a transaction never has
 * to upgrade a read snapshot (which fails with SQLITE_BUSY_SNAPSHOT in WAL
 * without waiting). The busy handler already waits busy_timeout_ms; the
 * retries cover a writer in another process that holds the lock longer. */
static gboolean
tx_begin (WrStore  *self,
          GError  **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(WrStmt) stmt = store_prepare (self, "BEGIN IMMEDIATE", error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        return TRUE;

      if ((rc & 0xff) != SQLITE_BUSY || attempt >= BEGIN_RETRIES)
        return store_error (self, error, rc);

      g_usleep (g_random_int_range (2000, 20000));
    }
}

static void
tx_rollback (WrStore *self)
{
  /* Fails harmlessly when SQLite already rolled back (e.g. SQLITE_FULL). */
  if (sqlite3_get_autocommit (self->db) == 0)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
tx_commit (WrStore  *self,
           GError  **error)
{
  if (!store_exec (self, "COMMIT", error))
    {
      tx_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Rolls back and returns FALSE, for `return tx_fail (self);`. */
static gboolean
tx_fail (WrStore *self)
{
  tx_rollback (self);
  return FALSE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           idx,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_STATIC);
}

/* Negative means unknown / none and is stored as NULL. */
static void
bind_optional_int64 (sqlite3_stmt *stmt,
                     int           idx,
                     gint64        value)
{
  if (value < 0)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, value);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static gint64
column_optional_int64 (sqlite3_stmt *stmt,
                       int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return -1;

  return sqlite3_column_int64 (stmt, col);
}

/* Reads a single integer (PRAGMA user_version and friends). */
static gboolean
query_int (WrStore     *self,
           const char  *sql,
           int         *out,
           GError     **error)
{
  g_autoptr(WrStmt) stmt = store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return store_error (self, error, rc);

  *out = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* Open and migrate ------------------------------------------------------ */

static gboolean
apply_migration (WrStore          *self,
                 const Migration  *migration,
                 GError          **error)
{
  g_autofree char *resource = g_build_path ("/", MIGRATIONS_PATH, migration->name, NULL);
  g_autofree char *set_version = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  gconstpointer data;
  gsize size;
  char *errmsg = NULL;
  int rc;

  bytes = g_resource_lookup_data (wr_store_get_resource (), resource,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  sql = g_strndup (data, size);
  rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      store_error (self, error, rc);
      g_prefix_error (error, "%s: ", migration->name);
      sqlite3_free (errmsg);
      return FALSE;
    }

  /* A migration that rebuilds a table must leave every reference valid. */
  {
    g_autoptr(WrStmt) check = store_prepare (self, "PRAGMA foreign_key_check", error);

    if (check == NULL)
      return FALSE;

    rc = sqlite3_step (check);
    if (rc == SQLITE_ROW)
      {
        g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT,
                     _("Updating the database with %s left broken references in "
                       "table “%s”. Restore the database from a backup and report "
                       "this problem."),
                     migration->name, column_text (check, 0));
        return FALSE;
      }
    if (rc != SQLITE_DONE)
      return store_error (self, error, rc);
  }

  /* PRAGMA takes no bound parameters; the version is our own integer. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", migration->version);
  rc = sqlite3_exec (self->db, set_version, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return store_error (self, error, rc);

  return TRUE;
}

/* Applies migrations one transaction each until @target. The version is
 * re-read under the write lock, so two processes opening a new file at once
 * do not both run the same migration. */
static gboolean
store_migrate (WrStore  *self,
               int       target,
               GError  **error)
{
  GPtrArray *migrations = get_migrations ();
  int latest = (int) migrations->len;

  for (;;)
    {
      int version = 0;

      if (!tx_begin (self, error))
        return FALSE;

      if (!query_int (self, "PRAGMA user_version", &version, error))
        return tx_fail (self);

      if (version > latest)
        {
          tx_rollback (self);
          g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_TOO_NEW,
                       _("“%s” was written by a newer version of Workroom "
                         "(schema %d; this version knows up to %d). Update "
                         "Workroom to open it."),
                       self->path, version, latest);
          return FALSE;
        }

      if (version >= target)
        {
          self->schema_version = version;
          return tx_commit (self, error);
        }

      if (!apply_migration (self, g_ptr_array_index (migrations, version), error))
        return tx_fail (self);

      if (!tx_commit (self, error))
        return FALSE;
    }
}

static gboolean
ensure_profile (WrStore  *self,
                GError  **error)
{
  g_autofree char *id = wr_new_id ();
  gint64 now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "INSERT INTO profile (id, created_at, updated_at) "
                     "SELECT ?1, ?2, ?2 "
                     "WHERE NOT EXISTS (SELECT 1 FROM profile WHERE deleted_at IS NULL)",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    bind_text (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, now);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self);
  }

  return tx_commit (self, error);
}

static gboolean
store_configure (WrStore  *self,
                 GError  **error)
{
  gint64 deadline;
  int rc;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, self->busy_timeout_ms);

  /* The first statement reads the header: a file that is not a database
   * fails here with SQLITE_NOTADB before anything is written to it.
   * synchronous=NORMAL in WAL: a commit survives the process being killed;
   * only a power loss may drop the last commits, never corrupt the file.
   *
   * Switching a new file to WAL needs an exclusive lock; when two processes
   * open a new file at once, SQLite answers SQLITE_BUSY at once instead of
   * waiting (it would deadlock), so retry for as long as the busy timeout. */
  deadline = g_get_monotonic_time () + self->busy_timeout_ms * G_TIME_SPAN_MILLISECOND;
  for (;;)
    {
      rc = sqlite3_exec (self->db,
                         "PRAGMA journal_mode = WAL;"
                         "PRAGMA synchronous = NORMAL;"
                         "PRAGMA foreign_keys = ON;",
                         NULL, NULL, NULL);
      if ((rc & 0xff) != SQLITE_BUSY || g_get_monotonic_time () > deadline)
        break;

      g_usleep (g_random_int_range (1000, 10000));
    }

  if (rc != SQLITE_OK)
    return store_error (self, error, rc);

  return TRUE;
}

static WrStore *
store_open (const char  *path,
            int          target,
            GError     **error)
{
  g_autoptr(WrStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_str_equal (path, ":memory:"))
    {
      int fd;

      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int errsv = errno;

          g_set_error (error, WR_STORE_ERROR,
                       errsv == EROFS || errsv == EACCES ? WR_STORE_ERROR_READONLY
                                                         : WR_STORE_ERROR_FAILED,
                       _("Workroom cannot create its data folder “%s” (%s). "
                         "Check that you can write there, or set "
                         "WORKROOM_DATA_DIR to another folder."),
                       dir, g_strerror (errsv));
          return NULL;
        }

      /* Create a new database readable by its owner only (chats are
       * private); SQLite gives the -wal and -shm files the same mode. */
      fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
    }

  self = g_object_new (WR_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      store_error (self, error, rc);
      return NULL;
    }

  {
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    if (!store_configure (self, error) ||
        !store_migrate (self, target, error))
      return NULL;

    if (self->schema_version >= 1 && !ensure_profile (self, error))
      return NULL;
  }

  return g_steal_pointer (&self);
}

/* GObject --------------------------------------------------------------- */

static void
wr_store_finalize (GObject *object)
{
  WrStore *self = WR_STORE (object);

  /* Statements first: sqlite3_close_v2 would otherwise keep the file open. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (wr_store_parent_class)->finalize (object);
}

static void
wr_store_class_init (WrStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wr_store_finalize;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
wr_store_init (WrStore *self)
{
  g_mutex_init (&self->lock);
  self->busy_timeout_ms = BUSY_TIMEOUT_MS;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal,
                                            g_free, finalize_statement);
}

/* Public: open ----------------------------------------------------------- */

char *
wr_store_default_dir (void)
{
  const char *env = g_getenv ("WORKROOM_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), WR_APP_ID, NULL);
}

WrStore *
wr_store_open (const char  *path,
               GError     **error)
{
  return store_open (path, wr_store_get_latest_schema_version (), error);
}

WrStore *
_wr_store_open_at_version (const char  *path,
                           int          version,
                           GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= wr_store_get_latest_schema_version (), NULL);

  return store_open (path, version, error);
}

void
_wr_store_set_busy_timeout (WrStore *self,
                            int      msec)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (WR_IS_STORE (self));

  locker = g_mutex_locker_new (&self->lock);
  self->busy_timeout_ms = msec;
  sqlite3_busy_timeout (self->db, msec);
}

const char *
wr_store_get_path (WrStore *self)
{
  g_return_val_if_fail (WR_IS_STORE (self), NULL);

  return self->path;
}

int
wr_store_get_schema_version (WrStore *self)
{
  g_return_val_if_fail (WR_IS_STORE (self), 0);

  return self->schema_version;
}

gboolean
wr_store_check_integrity (WrStore  *self,
                          GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);

  {
    g_autoptr(WrStmt) stmt = store_prepare (self, "PRAGMA integrity_check", error);

    if (stmt == NULL)
      return FALSE;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *line = column_text (stmt, 0);

        if (g_strcmp0 (line, "ok") != 0)
          g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
      }
    if (rc != SQLITE_DONE)
      return store_error (self, error, rc);
  }

  {
    g_autoptr(WrStmt) stmt = store_prepare (self, "PRAGMA foreign_key_check", error);

    if (stmt == NULL)
      return FALSE;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_string_append_printf (problems, "%sbroken reference in %s row %lld to %s",
                              problems->len ? "; " : "",
                              column_text (stmt, 0),
                              (long long) sqlite3_column_int64 (stmt, 1),
                              column_text (stmt, 2));
    if (rc != SQLITE_DONE)
      return store_error (self, error, rc);
  }

  if (problems->len > 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT,
                   _("The Workroom database “%s” is damaged (%s). Restore it "
                     "from a backup, or export what you can and start a new one."),
                   self->path, problems->str);
      return FALSE;
    }

  return TRUE;
}

/* Profile ---------------------------------------------------------------- */

WrProfile *
wr_store_get_profile (WrStore  *self,
                      GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  WrProfile *profile;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = store_prepare (self,
                        "SELECT id, name, plan, default_model, default_provider_id, "
                        "daily_token_limit, retention_days, credits_balance, failover_policy, "
                        "embeddings_model, embeddings_provider_id, vision_model, vision_provider_id "
                        "FROM profile WHERE deleted_at IS NULL "
                        "ORDER BY created_at, rowid LIMIT 1",
                        error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, _("The user profile is missing. Restart Workroom to create it again."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      store_error (self, error, rc);
      return NULL;
    }

  profile = wr_profile_new ();
  wr_profile_set_id (profile, column_text (stmt, 0));
  wr_profile_set_name (profile, column_text (stmt, 1));
  wr_profile_set_plan (profile, column_text (stmt, 2));
  wr_profile_set_default_model (profile, column_text (stmt, 3));
  wr_profile_set_default_provider_id (profile, column_text (stmt, 4));
  wr_profile_set_daily_token_limit (profile, column_optional_int64 (stmt, 5));
  wr_profile_set_retention_days (profile, column_optional_int64 (stmt, 6));
  wr_profile_set_credits_balance (profile, sqlite3_column_int64 (stmt, 7));
  wr_profile_set_failover_policy (profile, column_text (stmt, 8));
  wr_profile_set_embeddings_model (profile, column_text (stmt, 9));
  wr_profile_set_embeddings_provider_id (profile, column_text (stmt, 10));
  wr_profile_set_vision_model (profile, column_text (stmt, 11));
  wr_profile_set_vision_provider_id (profile, column_text (stmt, 12));

  return profile;
}

static gboolean
is_valid_plan (const char *plan)
{
  return g_strcmp0 (plan, "free") == 0 ||
         g_strcmp0 (plan, "pro") == 0 ||
         g_strcmp0 (plan, "enterprise") == 0;
}

/* credits-balance is not written: only the billing domain changes it,
 * together with the ledger. */
gboolean
wr_store_save_profile (WrStore    *self,
                       WrProfile  *profile,
                       GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const char *id;
  const char *plan;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (WR_IS_PROFILE (profile), FALSE);

  id = wr_profile_get_id (profile);
  plan = wr_profile_get_plan (profile);

  if (id == NULL)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("This profile was not loaded from the database. "
                             "Load the profile, change it, then save it."));
      return FALSE;
    }

  if (!is_valid_plan (plan))
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("“%s” is not a plan. Choose free, pro or enterprise."),
                   plan ? plan : "");
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE profile SET name = ?, plan = ?, default_model = ?, "
                     "default_provider_id = ?, daily_token_limit = ?, retention_days = ?, "
                     "failover_policy = ?, updated_at = ?, embeddings_model = ?10, "
                     "embeddings_provider_id = ?11, vision_model = ?12, vision_provider_id = ?13 "
                     "WHERE id = ?9 AND deleted_at IS NULL",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    bind_text (stmt, 1, wr_profile_get_name (profile) ? wr_profile_get_name (profile) : "");
    bind_text (stmt, 2, plan);
    bind_text (stmt, 3, wr_profile_get_default_model (profile));
    bind_text (stmt, 4, wr_profile_get_default_provider_id (profile));
    bind_optional_int64 (stmt, 5, wr_profile_get_daily_token_limit (profile));
    bind_optional_int64 (stmt, 6, wr_profile_get_retention_days (profile));
    bind_text (stmt, 7, wr_profile_get_failover_policy (profile));
    sqlite3_bind_int64 (stmt, 8, now);
    bind_text (stmt, 9, id);
    bind_text (stmt, 10, wr_profile_get_embeddings_model (profile));
    bind_text (stmt, 11, wr_profile_get_embeddings_provider_id (profile));
    bind_text (stmt, 12, wr_profile_get_vision_model (profile));
    bind_text (stmt, 13, wr_profile_get_vision_provider_id (profile));

    if (!stmt_run (self, stmt, error))
      return tx_fail (self);

    if (sqlite3_changes (self->db) == 0)
      {
        tx_rollback (self);
        return not_found (error, _("The user profile is missing. Restart Workroom to create it again."));
      }
  }

  return tx_commit (self, error);
}

/* Projects --------------------------------------------------------------- */

#define PROJECT_COLUMNS "id, name, description, default_model, created_at, updated_at"

static WrProject *
project_from_row (sqlite3_stmt *stmt)
{
  WrProject *project = wr_project_new ();

  wr_project_set_id (project, column_text (stmt, 0));
  wr_project_set_name (project, column_text (stmt, 1));
  wr_project_set_description (project, column_text (stmt, 2));
  wr_project_set_default_model (project, column_text (stmt, 3));
  wr_project_set_created_at (project, sqlite3_column_int64 (stmt, 4));
  wr_project_set_updated_at (project, sqlite3_column_int64 (stmt, 5));

  return project;
}

/* Returns the stripped name, or NULL with INVALID when nothing is left. */
static char *
check_project_name (const char  *name,
                    GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("A project needs a name. Type a name and try again."));
      return NULL;
    }

  return g_steal_pointer (&stripped);
}

WrProject *
wr_store_create_project (WrStore     *self,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *id = NULL;
  WrProject *project;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);

  if (!(clean = check_project_name (name, error)))
    return NULL;

  id = wr_new_id ();
  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return NULL;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                     error);

    if (stmt == NULL)
      return tx_fail (self), NULL;

    bind_text (stmt, 1, id);
    bind_text (stmt, 2, clean);
    sqlite3_bind_int64 (stmt, 3, now);
    sqlite3_bind_int64 (stmt, 4, now);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self), NULL;
  }

  if (!tx_commit (self, error))
    return NULL;

  project = wr_project_new ();
  wr_project_set_id (project, id);
  wr_project_set_name (project, clean);
  wr_project_set_created_at (project, now);
  wr_project_set_updated_at (project, now);

  return project;
}

GPtrArray *
wr_store_list_projects (WrStore  *self,
                        GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = store_prepare (self,
                        "SELECT " PROJECT_COLUMNS " FROM projects "
                        "WHERE deleted_at IS NULL ORDER BY created_at, rowid",
                        error);
  if (stmt == NULL)
    return NULL;

  projects = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (projects, project_from_row (stmt));

  if (rc != SQLITE_DONE)
    return store_error (self, error, rc), NULL;

  return g_steal_pointer (&projects);
}

WrProject *
wr_store_get_project (WrStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = store_prepare (self,
                        "SELECT " PROJECT_COLUMNS " FROM projects "
                        "WHERE id = ? AND deleted_at IS NULL",
                        error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, PROJECT_NOT_FOUND), NULL;
  if (rc != SQLITE_ROW)
    return store_error (self, error, rc), NULL;

  return project_from_row (stmt);
}

/* Runs @sql (which must end in "WHERE id = ?N AND deleted_at IS NULL") as
 * one write; binds @text at 1, @now at 2 and @id at 3. NOT_FOUND when no
 * live row matched. */
static gboolean
update_live_row (WrStore     *self,
                 const char  *sql,
                 const char  *text,
                 const char  *id,
                 const char  *missing,
                 GError     **error)
{
  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt = store_prepare (self, sql, error);

    if (stmt == NULL)
      return tx_fail (self);

    bind_text (stmt, 1, text);
    sqlite3_bind_int64 (stmt, 2, wr_now_usec ());
    bind_text (stmt, 3, id);

    if (!stmt_run (self, stmt, error))
      return tx_fail (self);

    if (sqlite3_changes (self->db) == 0)
      {
        tx_rollback (self);
        return not_found (error, missing);
      }
  }

  return tx_commit (self, error);
}

gboolean
wr_store_rename_project (WrStore     *self,
                         const char  *id,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!(clean = check_project_name (name, error)))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  return update_live_row (self,
                          "UPDATE projects SET name = ?1, updated_at = ?2 "
                          "WHERE id = ?3 AND deleted_at IS NULL",
                          clean, id, PROJECT_NOT_FOUND, error);
}

gboolean
wr_store_set_project_default_model (WrStore     *self,
                                    const char  *id,
                                    const char  *model,
                                    GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (model != NULL && *model == '\0')
    model = NULL;

  locker = g_mutex_locker_new (&self->lock);
  return update_live_row (self,
                          "UPDATE projects SET default_model = ?1, updated_at = ?2 "
                          "WHERE id = ?3 AND deleted_at IS NULL",
                          model, id, PROJECT_NOT_FOUND, error);
}

gboolean
wr_store_delete_project (WrStore     *self,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE projects SET deleted_at = ?1, updated_at = ?1 "
                     "WHERE id = ?2 AND deleted_at IS NULL",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    sqlite3_bind_int64 (stmt, 1, now);
    bind_text (stmt, 2, id);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self);

    if (sqlite3_changes (self->db) == 0)
      {
        tx_rollback (self);
        return not_found (error, PROJECT_NOT_FOUND);
      }
  }

  /* The same deleted_at marks which chats went with the project, so a
   * restore brings back exactly those and not chats deleted before. */
  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE chats SET deleted_at = ?1, updated_at = ?1 "
                     "WHERE project_id = ?2 AND deleted_at IS NULL",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    sqlite3_bind_int64 (stmt, 1, now);
    bind_text (stmt, 2, id);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self);
  }

  return tx_commit (self, error);
}

gboolean
wr_store_restore_project (WrStore     *self,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 deleted_at;
  gint64 now;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt = store_prepare (self, "SELECT deleted_at FROM projects WHERE id = ?", error);

    if (stmt == NULL)
      return tx_fail (self);

    bind_text (stmt, 1, id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        tx_rollback (self);
        return not_found (error, PROJECT_NOT_FOUND);
      }
    if (rc != SQLITE_ROW)
      {
        store_error (self, error, rc);
        return tx_fail (self);
      }

    /* Not deleted: nothing to undo. */
    if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
      {
        wr_stmt_release (stmt);
        return tx_commit (self, error);
      }

    deleted_at = sqlite3_column_int64 (stmt, 0);
  }

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE chats SET deleted_at = NULL, updated_at = ?1 "
                     "WHERE project_id = ?2 AND deleted_at = ?3",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    sqlite3_bind_int64 (stmt, 1, now);
    bind_text (stmt, 2, id);
    sqlite3_bind_int64 (stmt, 3, deleted_at);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self);
  }

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE projects SET deleted_at = NULL, updated_at = ?1 WHERE id = ?2",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    sqlite3_bind_int64 (stmt, 1, now);
    bind_text (stmt, 2, id);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self);
  }

  return tx_commit (self, error);
}

/* Chats ------------------------------------------------------------------ */

#define CHAT_COLUMNS "id, project_id, title, model, provider_id, created_at, updated_at, use_knowledge"

static WrChat *
chat_from_row (sqlite3_stmt *stmt)
{
  WrChat *chat = wr_chat_new ();

  wr_chat_set_id (chat, column_text (stmt, 0));
  wr_chat_set_project_id (chat, column_text (stmt, 1));
  wr_chat_set_title (chat, column_text (stmt, 2));
  wr_chat_set_model (chat, column_text (stmt, 3));
  wr_chat_set_provider_id (chat, column_text (stmt, 4));
  wr_chat_set_created_at (chat, sqlite3_column_int64 (stmt, 5));
  wr_chat_set_updated_at (chat, sqlite3_column_int64 (stmt, 6));
  wr_chat_set_use_knowledge (chat, sqlite3_column_int (stmt, 7) != 0);

  return chat;
}

/* Caller holds the lock. */
static gboolean
row_is_live (WrStore     *self,
             const char  *sql,
             const char  *id,
             const char  *missing,
             GError     **error)
{
  g_autoptr(WrStmt) stmt = store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, missing);
  if (rc != SQLITE_ROW)
    return store_error (self, error, rc);

  return TRUE;
}

#define PROJECT_IS_LIVE_SQL "SELECT 1 FROM projects WHERE id = ? AND deleted_at IS NULL"
#define CHAT_IS_LIVE_SQL    "SELECT 1 FROM chats WHERE id = ? AND deleted_at IS NULL"

WrChat *
wr_store_create_chat (WrStore     *self,
                      const char  *project_id,
                      const char  *title,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *id = NULL;
  WrChat *chat;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  id = wr_new_id ();
  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return NULL;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "INSERT INTO chats (id, project_id, title, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?)",
                     error);
    int rc;

    if (stmt == NULL)
      return tx_fail (self), NULL;

    bind_text (stmt, 1, id);
    bind_text (stmt, 2, project_id);
    bind_text (stmt, 3, title);
    sqlite3_bind_int64 (stmt, 4, now);
    sqlite3_bind_int64 (stmt, 5, now);

    /* The foreign key refuses a project that never existed ... */
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      return tx_fail (self), not_found (error, PROJECT_NOT_FOUND), NULL;
    if (rc != SQLITE_DONE)
      return store_error (self, error, rc), tx_fail (self), NULL;
  }

  /* ... and this one a project that is in the trash. */
  if (!row_is_live (self, PROJECT_IS_LIVE_SQL, project_id, PROJECT_NOT_FOUND, error))
    return tx_fail (self), NULL;

  if (!tx_commit (self, error))
    return NULL;

  chat = wr_chat_new ();
  wr_chat_set_id (chat, id);
  wr_chat_set_project_id (chat, project_id);
  wr_chat_set_title (chat, title);
  wr_chat_set_created_at (chat, now);
  wr_chat_set_updated_at (chat, now);

  return chat;
}

GPtrArray *
wr_store_list_chats (WrStore     *self,
                     const char  *project_id,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);

  if (!row_is_live (self, PROJECT_IS_LIVE_SQL, project_id, PROJECT_NOT_FOUND, error))
    return NULL;

  stmt = store_prepare (self,
                        "SELECT " CHAT_COLUMNS " FROM chats "
                        "WHERE project_id = ? AND deleted_at IS NULL "
                        "ORDER BY updated_at DESC, rowid DESC",
                        error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, project_id);
  chats = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (chats, chat_from_row (stmt));

  if (rc != SQLITE_DONE)
    return store_error (self, error, rc), NULL;

  return g_steal_pointer (&chats);
}

WrChat *
wr_store_get_chat (WrStore     *self,
                   const char  *id,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = store_prepare (self,
                        "SELECT " CHAT_COLUMNS " FROM chats WHERE id = ? AND deleted_at IS NULL",
                        error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, CHAT_NOT_FOUND), NULL;
  if (rc != SQLITE_ROW)
    return store_error (self, error, rc), NULL;

  return chat_from_row (stmt);
}

gboolean
wr_store_save_chat (WrStore  *self,
                    WrChat   *chat,
                    GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const char *id;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (WR_IS_CHAT (chat), FALSE);

  id = wr_chat_get_id (chat);
  if (id == NULL)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("This chat was never created in the database. "
                             "Create the chat first, then save it."));
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE chats SET title = ?, model = ?, provider_id = ?, updated_at = ?, "
                     "use_knowledge = ?6 WHERE id = ?5 AND deleted_at IS NULL",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    bind_text (stmt, 1, wr_chat_get_title (chat));
    bind_text (stmt, 2, wr_chat_get_model (chat));
    bind_text (stmt, 3, wr_chat_get_provider_id (chat));
    sqlite3_bind_int64 (stmt, 4, now);
    bind_text (stmt, 5, id);
    sqlite3_bind_int (stmt, 6, wr_chat_get_use_knowledge (chat) ? 1 : 0);
    if (!stmt_run (self, stmt, error))
      return tx_fail (self);

    if (sqlite3_changes (self->db) == 0)
      {
        tx_rollback (self);
        return not_found (error, CHAT_NOT_FOUND);
      }
  }

  if (!tx_commit (self, error))
    return FALSE;

  /* Notify outside the lock: a handler may call the store. */
  g_clear_pointer (&locker, g_mutex_locker_free);
  wr_chat_set_updated_at (chat, now);
  return TRUE;
}

/* @sql sets deleted_at = updated_at = ?2 on the live row ?3; ?1 is unused. */
static gboolean
tombstone_row (WrStore     *self,
               const char  *sql,
               const char  *id,
               const char  *missing,
               GError     **error)
{
  return update_live_row (self, sql, NULL, id, missing, error);
}

gboolean
wr_store_delete_chat (WrStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return tombstone_row (self,
                        "UPDATE chats SET deleted_at = ?2, updated_at = ?2 "
                        "WHERE id = ?3 AND deleted_at IS NULL",
                        id, CHAT_NOT_FOUND, error);
}

/* Messages --------------------------------------------------------------- */

#define MESSAGE_COLUMNS "m.id, m.chat_id, m.role, m.content, m.model, m.provider_id, m.status, " \
                        "m.error, m.input_tokens, m.output_tokens, m.created_at, m.updated_at, " \
                        "m.route_note, m.citations"

static WrMessage *
message_from_row (sqlite3_stmt *stmt)
{
  WrMessage *message;

  message = _wr_message_new_from_row (column_text (stmt, 0),
                                   column_text (stmt, 1),
                                   column_text (stmt, 2),
                                   column_text (stmt, 3),
                                   sqlite3_column_bytes (stmt, 3),
                                   column_text (stmt, 4),
                                   column_text (stmt, 5),
                                   wr_message_status_from_string (column_text (stmt, 6)),
                                   column_text (stmt, 7),
                                   column_text (stmt, 12),
                                   column_optional_int64 (stmt, 8),
                                   column_optional_int64 (stmt, 9),
                                   sqlite3_column_int64 (stmt, 10),
                                   sqlite3_column_int64 (stmt, 11));
  /* Only knowledge answers have citations: no notification for the rest. */
  if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
    wr_message_set_citations (message, column_text (stmt, 13));

  return message;
}

static gboolean
check_new_message (WrMessage  *message,
                   GError    **error)
{
  const char *role = wr_message_get_role (message);

  if (wr_message_get_chat_id (message) == NULL)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("The message belongs to no chat. Open a chat and try again."));
      return FALSE;
    }

  if (g_strcmp0 (role, "system") != 0 &&
      g_strcmp0 (role, "user") != 0 &&
      g_strcmp0 (role, "assistant") != 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("“%s” is not a message role; use system, user or assistant."),
                   role ? role : "");
      return FALSE;
    }

  return TRUE;
}

/* Inserts one message inside the caller's transaction, with @id and
 * @created_at already decided. */
static gboolean
insert_message (WrStore     *self,
                WrMessage   *message,
                const char  *id,
                gint64       created_at,
                gint64       now,
                GError     **error)
{
  g_autoptr(WrStmt) stmt =
    store_prepare (self,
                   "INSERT INTO messages (id, chat_id, seq, role, content, model, provider_id, "
                   "status, error, input_tokens, output_tokens, created_at, updated_at, route_note, "
                   "citations) "
                   "VALUES (?1, ?2, (SELECT IFNULL(MAX(seq), 0) + 1 FROM messages), "
                   "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                   error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, wr_message_get_chat_id (message));
  bind_text (stmt, 3, wr_message_get_role (message));
  sqlite3_bind_text (stmt, 4, wr_message_get_content (message),
                     (int) MIN (wr_message_get_content_length (message), G_MAXINT),
                     SQLITE_STATIC);
  bind_text (stmt, 5, wr_message_get_model (message));
  bind_text (stmt, 6, wr_message_get_provider_id (message));
  bind_text (stmt, 7, wr_message_status_to_string (wr_message_get_status (message)));
  bind_text (stmt, 8, wr_message_get_error (message));
  bind_optional_int64 (stmt, 9, wr_message_get_input_tokens (message));
  bind_optional_int64 (stmt, 10, wr_message_get_output_tokens (message));
  sqlite3_bind_int64 (stmt, 11, created_at);
  sqlite3_bind_int64 (stmt, 12, now);
  bind_text (stmt, 13, wr_message_get_route_note (message));
  bind_text (stmt, 14, wr_message_get_citations (message));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return not_found (error, CHAT_NOT_FOUND);
  if (rc != SQLITE_DONE)
    return store_error (self, error, rc);

  return TRUE;
}

/* A new message is activity: the chat moves to the top of the list. Also
 * refuses chats in the trash (the foreign key only knows they exist). */
static gboolean
touch_chat (WrStore     *self,
            const char  *chat_id,
            gint64       now,
            GError     **error)
{
  g_autoptr(WrStmt) stmt =
    store_prepare (self,
                   "UPDATE chats SET updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                   error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now);
  bind_text (stmt, 2, chat_id);
  if (!stmt_run (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    return not_found (error, CHAT_NOT_FOUND);

  return TRUE;
}

gboolean
wr_store_add_message (WrStore    *self,
                      WrMessage  *message,
                      GError    **error)
{
  g_autoptr(GPtrArray) one = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (WR_IS_MESSAGE (message), FALSE);

  one = g_ptr_array_new ();
  g_ptr_array_add (one, message);

  return wr_store_add_messages (self, one, error);
}

gboolean
wr_store_add_messages (WrStore    *self,
                       GPtrArray  *messages,
                       GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) chats = NULL;
  g_auto(GStrv) ids = NULL;
  GHashTableIter iter;
  gpointer chat_id;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (messages != NULL, FALSE);

  for (guint i = 0; i < messages->len; i++)
    {
      g_return_val_if_fail (WR_IS_MESSAGE (g_ptr_array_index (messages, i)), FALSE);

      if (!check_new_message (g_ptr_array_index (messages, i), error))
        return FALSE;
    }

  /* Ids are decided first but set on the objects only after the commit, so
   * a failed add leaves them as they were. */
  ids = g_new0 (char *, messages->len + 1);
  chats = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (messages, i);

      ids[i] = wr_message_get_id (message) ? g_strdup (wr_message_get_id (message)) : wr_new_id ();
      g_hash_table_add (chats, (gpointer) wr_message_get_chat_id (message));
    }

  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  for (guint i = 0; i < messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (messages, i);
      gint64 created_at = wr_message_get_created_at (message);

      if (!insert_message (self, message, ids[i], created_at > 0 ? created_at : now, now, error))
        return tx_fail (self);
    }

  g_hash_table_iter_init (&iter, chats);
  while (g_hash_table_iter_next (&iter, &chat_id, NULL))
    {
      if (!touch_chat (self, chat_id, now, error))
        return tx_fail (self);
    }

  if (!tx_commit (self, error))
    return FALSE;

  g_clear_pointer (&locker, g_mutex_locker_free);

  for (guint i = 0; i < messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (messages, i);

      g_object_freeze_notify (G_OBJECT (message));
      wr_message_set_id (message, ids[i]);
      if (wr_message_get_created_at (message) <= 0)
        wr_message_set_created_at (message, now);
      wr_message_set_updated_at (message, now);
      g_object_thaw_notify (G_OBJECT (message));
    }

  return TRUE;
}

gboolean
wr_store_save_message (WrStore    *self,
                       WrMessage  *message,
                       GError    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const char *id;
  gint64 now;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (WR_IS_MESSAGE (message), FALSE);

  id = wr_message_get_id (message);
  if (id == NULL)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("This message was never added to the database. "
                             "Add it first, then save it."));
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "UPDATE messages SET content = ?, status = ?, error = ?, model = ?, "
                     "provider_id = ?, input_tokens = ?, output_tokens = ?, updated_at = ?, "
                     "route_note = ?9, citations = ?11 WHERE id = ?10 AND deleted_at IS NULL",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    sqlite3_bind_text (stmt, 1, wr_message_get_content (message),
                       (int) MIN (wr_message_get_content_length (message), G_MAXINT),
                       SQLITE_STATIC);
    bind_text (stmt, 2, wr_message_status_to_string (wr_message_get_status (message)));
    bind_text (stmt, 3, wr_message_get_error (message));
    bind_text (stmt, 4, wr_message_get_model (message));
    bind_text (stmt, 5, wr_message_get_provider_id (message));
    bind_optional_int64 (stmt, 6, wr_message_get_input_tokens (message));
    bind_optional_int64 (stmt, 7, wr_message_get_output_tokens (message));
    sqlite3_bind_int64 (stmt, 8, now);
    bind_text (stmt, 9, wr_message_get_route_note (message));
    bind_text (stmt, 10, id);
    bind_text (stmt, 11, wr_message_get_citations (message));

    if (!stmt_run (self, stmt, error))
      return tx_fail (self);

    if (sqlite3_changes (self->db) == 0)
      {
        tx_rollback (self);
        return not_found (error, MESSAGE_NOT_FOUND);
      }
  }

  if (!tx_commit (self, error))
    return FALSE;

  g_clear_pointer (&locker, g_mutex_locker_free);
  wr_message_set_updated_at (message, now);
  return TRUE;
}

GPtrArray *
wr_store_list_messages (WrStore     *self,
                        const char  *chat_id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (chat_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);

  /* One read transaction: the chat check and the rows see one snapshot. */
  if (!store_exec (self, "BEGIN", error))
    return NULL;

  if (!row_is_live (self, CHAT_IS_LIVE_SQL, chat_id, CHAT_NOT_FOUND, error))
    return tx_fail (self), NULL;

  {
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "SELECT " MESSAGE_COLUMNS " FROM messages AS m "
                     "WHERE m.chat_id = ? AND m.deleted_at IS NULL "
                     "ORDER BY m.created_at, m.seq",
                     error);

    if (stmt == NULL)
      return tx_fail (self), NULL;

    bind_text (stmt, 1, chat_id);
    messages = g_ptr_array_new_with_free_func (g_object_unref);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (messages, message_from_row (stmt));

    if (rc != SQLITE_DONE)
      return store_error (self, error, rc), tx_fail (self), NULL;
  }

  if (!tx_commit (self, error))
    return NULL;

  return g_steal_pointer (&messages);
}

WrMessage *
wr_store_get_message (WrStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = store_prepare (self,
                        "SELECT " MESSAGE_COLUMNS " FROM messages AS m "
                        "JOIN chats AS c ON c.id = m.chat_id "
                        "WHERE m.id = ? AND m.deleted_at IS NULL AND c.deleted_at IS NULL",
                        error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, MESSAGE_NOT_FOUND), NULL;
  if (rc != SQLITE_ROW)
    return store_error (self, error, rc), NULL;

  return message_from_row (stmt);
}

gboolean
wr_store_delete_message (WrStore     *self,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return tombstone_row (self,
                        "UPDATE messages SET deleted_at = ?2, updated_at = ?2 "
                        "WHERE id = ?3 AND deleted_at IS NULL",
                        id, MESSAGE_NOT_FOUND, error);
}

/* Providers -------------------------------------------------------------- */

gboolean
wr_store_save_provider (WrStore           *self,
                        WrProviderRecord  *record,
                        GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *id = NULL;
  const char *name;
  const char *kind;
  gint64 created_at = 0;
  gint64 now;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (record), FALSE);

  name = wr_provider_record_get_name (record);
  kind = wr_provider_record_get_kind (record);

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("A provider needs a name. Type a name and try again."));
      return FALSE;
    }
  if (kind == NULL || *kind == '\0')
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                           _("Choose the kind of provider (for example OpenAI-compatible) and try again."));
      return FALSE;
    }

  id = wr_provider_record_get_id (record) ? g_strdup (wr_provider_record_get_id (record)) : wr_new_id ();
  locker = g_mutex_locker_new (&self->lock);
  now = wr_now_usec ();

  if (!tx_begin (self, error))
    return FALSE;

  {
    /* Saving a removed provider again brings it back. */
    g_autoptr(WrStmt) stmt =
      store_prepare (self,
                     "INSERT INTO providers (id, name, kind, base_url, default_model, created_at, updated_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
                     "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                     "base_url = excluded.base_url, default_model = excluded.default_model, "
                     "updated_at = excluded.updated_at, deleted_at = NULL "
                     "RETURNING created_at",
                     error);

    if (stmt == NULL)
      return tx_fail (self);

    bind_text (stmt, 1, id);
    bind_text (stmt, 2, name);
    bind_text (stmt, 3, kind);
    bind_text (stmt, 4, wr_provider_record_get_base_url (record));
    bind_text (stmt, 5, wr_provider_record_get_default_model (record));
    sqlite3_bind_int64 (stmt, 6, now);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      created_at = sqlite3_column_int64 (stmt, 0);
    if (rc != SQLITE_DONE)
      return store_error (self, error, rc), tx_fail (self);
  }

  if (!tx_commit (self, error))
    return FALSE;

  g_clear_pointer (&locker, g_mutex_locker_free);

  g_object_freeze_notify (G_OBJECT (record));
  wr_provider_record_set_id (record, id);
  wr_provider_record_set_created_at (record, created_at);
  wr_provider_record_set_updated_at (record, now);
  g_object_thaw_notify (G_OBJECT (record));

  return TRUE;
}

GPtrArray *
wr_store_list_providers (WrStore  *self,
                         GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(WrStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (WR_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = store_prepare (self,
                        "SELECT id, name, kind, base_url, default_model, created_at, updated_at "
                        "FROM providers WHERE deleted_at IS NULL ORDER BY created_at, rowid",
                        error);
  if (stmt == NULL)
    return NULL;

  records = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WrProviderRecord *record = wr_provider_record_new ();

      wr_provider_record_set_id (record, column_text (stmt, 0));
      wr_provider_record_set_name (record, column_text (stmt, 1));
      wr_provider_record_set_kind (record, column_text (stmt, 2));
      wr_provider_record_set_base_url (record, column_text (stmt, 3));
      wr_provider_record_set_default_model (record, column_text (stmt, 4));
      wr_provider_record_set_created_at (record, sqlite3_column_int64 (stmt, 5));
      wr_provider_record_set_updated_at (record, sqlite3_column_int64 (stmt, 6));
      g_ptr_array_add (records, record);
    }

  if (rc != SQLITE_DONE)
    return store_error (self, error, rc), NULL;

  return g_steal_pointer (&records);
}

gboolean
wr_store_delete_provider (WrStore     *self,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return tombstone_row (self,
                        "UPDATE providers SET deleted_at = ?2, updated_at = ?2 "
                        "WHERE id = ?3 AND deleted_at IS NULL",
                        id, PROVIDER_NOT_FOUND, error);
}

/* Async ------------------------------------------------------------------ */

/* What a worker needs, copied on the calling thread. */
typedef struct {
  char *a;
  char *b;
} Args;

static void
args_free (gpointer data)
{
  Args *args = data;

  g_free (args->a);
  g_free (args->b);
  g_free (args);
}

static GTask *
task_new (WrStore             *self,
          const char          *a,
          const char          *b,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Args *args = g_new0 (Args, 1);

  args->a = g_strdup (a);
  args->b = g_strdup (b);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, args, args_free);

  return task;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Args *args = task_data;
  GError *error = NULL;
  WrStore *store;

  if (g_task_return_error_if_cancelled (task))
    return;

  store = wr_store_open (args->a, &error);
  _wr_store_return_pointer_or_error (task, store, &error, g_object_unref);
}

void
wr_store_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Args *args;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_store_open_async);
  args = g_new0 (Args, 1);
  args->a = g_strdup (path);
  g_task_set_task_data (task, args, args_free);
  g_task_run_in_thread (task, open_thread);
}

WrStore *
wr_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The workers: each runs the sync call on the arguments copied in Args. */

#define DEFINE_WORKER(name, body)                                       \
static void                                                             \
name (GTask        *task,                                               \
      gpointer      source_object,                                      \
      gpointer      task_data,                                          \
      GCancellable *cancellable)                                        \
{                                                                       \
  WrStore *self = source_object;                                        \
  Args *args = task_data;                                               \
  GError *error = NULL;                                                 \
                                                                        \
  (void) args;                                                          \
  if (g_task_return_error_if_cancelled (task))                          \
    return;                                                             \
                                                                        \
  body;                                                                 \
}

DEFINE_WORKER (list_projects_thread,
               _wr_store_return_pointer_or_error (task, wr_store_list_projects (self, &error), &error,
                                                  (GDestroyNotify) g_ptr_array_unref))
DEFINE_WORKER (create_project_thread,
               _wr_store_return_pointer_or_error (task, wr_store_create_project (self, args->a, &error), &error,
                                                  g_object_unref))
DEFINE_WORKER (rename_project_thread,
               _wr_store_return_boolean_or_error (task, wr_store_rename_project (self, args->a, args->b, &error),
                                                  &error))
DEFINE_WORKER (delete_project_thread,
               _wr_store_return_boolean_or_error (task, wr_store_delete_project (self, args->a, &error), &error))
DEFINE_WORKER (restore_project_thread,
               _wr_store_return_boolean_or_error (task, wr_store_restore_project (self, args->a, &error), &error))
DEFINE_WORKER (list_chats_thread,
               _wr_store_return_pointer_or_error (task, wr_store_list_chats (self, args->a, &error), &error,
                                                  (GDestroyNotify) g_ptr_array_unref))
DEFINE_WORKER (create_chat_thread,
               _wr_store_return_pointer_or_error (task, wr_store_create_chat (self, args->a, args->b, &error), &error,
                                                  g_object_unref))
DEFINE_WORKER (delete_chat_thread,
               _wr_store_return_boolean_or_error (task, wr_store_delete_chat (self, args->a, &error), &error))
DEFINE_WORKER (list_messages_thread,
               _wr_store_return_pointer_or_error (task, wr_store_list_messages (self, args->a, &error), &error,
                                                  (GDestroyNotify) g_ptr_array_unref))
DEFINE_WORKER (get_profile_thread,
               _wr_store_return_pointer_or_error (task, wr_store_get_profile (self, &error), &error,
                                                  g_object_unref))

void
wr_store_list_projects_async (WrStore             *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));

  task = task_new (self, NULL, NULL, cancellable, callback, user_data, wr_store_list_projects_async);
  g_task_run_in_thread (task, list_projects_thread);
}

GPtrArray *
wr_store_list_projects_finish (WrStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_list_projects_async, error);
}

void
wr_store_create_project_async (WrStore             *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));

  task = task_new (self, name, NULL, cancellable, callback, user_data, wr_store_create_project_async);
  g_task_run_in_thread (task, create_project_thread);
}

WrProject *
wr_store_create_project_finish (WrStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_create_project_async, error);
}

void
wr_store_rename_project_async (WrStore             *self,
                               const char          *id,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (id != NULL);

  task = task_new (self, id, name, cancellable, callback, user_data, wr_store_rename_project_async);
  g_task_run_in_thread (task, rename_project_thread);
}

gboolean
wr_store_rename_project_finish (WrStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_rename_project_async, error);
}

void
wr_store_delete_project_async (WrStore             *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (id != NULL);

  task = task_new (self, id, NULL, cancellable, callback, user_data, wr_store_delete_project_async);
  g_task_run_in_thread (task, delete_project_thread);
}

gboolean
wr_store_delete_project_finish (WrStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_delete_project_async, error);
}

void
wr_store_restore_project_async (WrStore             *self,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (id != NULL);

  task = task_new (self, id, NULL, cancellable, callback, user_data, wr_store_restore_project_async);
  g_task_run_in_thread (task, restore_project_thread);
}

gboolean
wr_store_restore_project_finish (WrStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_restore_project_async, error);
}

void
wr_store_list_chats_async (WrStore             *self,
                           const char          *project_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (project_id != NULL);

  task = task_new (self, project_id, NULL, cancellable, callback, user_data, wr_store_list_chats_async);
  g_task_run_in_thread (task, list_chats_thread);
}

GPtrArray *
wr_store_list_chats_finish (WrStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_list_chats_async, error);
}

void
wr_store_create_chat_async (WrStore             *self,
                            const char          *project_id,
                            const char          *title,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (project_id != NULL);

  task = task_new (self, project_id, title, cancellable, callback, user_data, wr_store_create_chat_async);
  g_task_run_in_thread (task, create_chat_thread);
}

WrChat *
wr_store_create_chat_finish (WrStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_create_chat_async, error);
}

void
wr_store_delete_chat_async (WrStore             *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (id != NULL);

  task = task_new (self, id, NULL, cancellable, callback, user_data, wr_store_delete_chat_async);
  g_task_run_in_thread (task, delete_chat_thread);
}

gboolean
wr_store_delete_chat_finish (WrStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_delete_chat_async, error);
}

void
wr_store_list_messages_async (WrStore             *self,
                              const char          *chat_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (chat_id != NULL);

  task = task_new (self, chat_id, NULL, cancellable, callback, user_data, wr_store_list_messages_async);
  g_task_run_in_thread (task, list_messages_thread);
}

GPtrArray *
wr_store_list_messages_finish (WrStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_list_messages_async, error);
}

void
wr_store_get_profile_async (WrStore             *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (self));

  task = task_new (self, NULL, NULL, cancellable, callback, user_data, wr_store_get_profile_async);
  g_task_run_in_thread (task, get_profile_thread);
}

WrProfile *
wr_store_get_profile_finish (WrStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _wr_store_propagate_pointer (self, result, wr_store_get_profile_async, error);
}

/* Saving objects ----------------------------------------------------------
 *
 * The caller's object stays on the caller's thread: the worker writes a
 * snapshot taken before it starts, and what the store assigned (id,
 * timestamps) is copied back to the original on the caller's thread when the
 * worker is done, before the caller's callback runs. Hence two tasks: the
 * inner one runs in the thread, the outer one is what the caller sees. */

typedef enum {
  SAVE_MESSAGE_ADD,
  SAVE_MESSAGE_UPDATE,
  SAVE_CHAT,
  SAVE_PROFILE,
} SaveKind;

typedef struct {
  SaveKind  kind;
  GObject  *original;   /* caller's thread only */
  GObject  *snapshot;   /* the worker's, then the caller's once done */
} SaveData;

/* Owned by the outer task, so the caller's object is released on the
 * caller's thread, never in the worker. */
static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_object (&save->original);
  g_clear_object (&save->snapshot);
  g_free (save);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrStore *self = source_object;
  SaveData *save = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (save->kind)
    {
    case SAVE_MESSAGE_ADD:
      ok = wr_store_add_message (self, WR_MESSAGE (save->snapshot), &error);
      break;
    case SAVE_MESSAGE_UPDATE:
      ok = wr_store_save_message (self, WR_MESSAGE (save->snapshot), &error);
      break;
    case SAVE_CHAT:
      ok = wr_store_save_chat (self, WR_CHAT (save->snapshot), &error);
      break;
    case SAVE_PROFILE:
      ok = wr_store_save_profile (self, WR_PROFILE (save->snapshot), &error);
      break;
    default:
      g_assert_not_reached ();
    }

  _wr_store_return_boolean_or_error (task, ok, &error);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  SaveData *save = g_task_get_task_data (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  switch (save->kind)
    {
    case SAVE_MESSAGE_ADD:
    case SAVE_MESSAGE_UPDATE:
      {
        WrMessage *original = WR_MESSAGE (save->original);
        WrMessage *snapshot = WR_MESSAGE (save->snapshot);

        g_object_freeze_notify (save->original);
        wr_message_set_id (original, wr_message_get_id (snapshot));
        wr_message_set_created_at (original, wr_message_get_created_at (snapshot));
        wr_message_set_updated_at (original, wr_message_get_updated_at (snapshot));
        g_object_thaw_notify (save->original);
      }
      break;
    case SAVE_CHAT:
      wr_chat_set_updated_at (WR_CHAT (save->original),
                              wr_chat_get_updated_at (WR_CHAT (save->snapshot)));
      break;
    case SAVE_PROFILE:
      break;
    default:
      g_assert_not_reached ();
    }

  g_task_return_boolean (outer, TRUE);
}

/* Takes ownership of @snapshot. */
static void
save_async (WrStore             *self,
            SaveKind             kind,
            GObject             *original,
            GObject             *snapshot,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;
  SaveData *save = g_new0 (SaveData, 1);

  save->kind = kind;
  save->original = g_object_ref (original);
  save->snapshot = snapshot;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, source_tag);
  g_task_set_task_data (outer, save, save_data_free);

  /* The inner task reports what really happened even when cancelled late,
   * so the original object always matches the database. It holds the only
   * reference to @outer until save_done_cb. */
  inner = g_task_new (self, cancellable, save_done_cb, outer);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, save, NULL);
  g_task_run_in_thread (inner, save_thread);
}

void
wr_store_save_message_async (WrStore             *self,
                             WrMessage           *message,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (WR_IS_MESSAGE (message));

  save_async (self,
              wr_message_get_id (message) == NULL ? SAVE_MESSAGE_ADD : SAVE_MESSAGE_UPDATE,
              G_OBJECT (message), G_OBJECT (_wr_message_copy (message)),
              cancellable, callback, user_data, wr_store_save_message_async);
}

gboolean
wr_store_save_message_finish (WrStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_save_message_async, error);
}

void
wr_store_save_chat_async (WrStore             *self,
                          WrChat              *chat,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (WR_IS_CHAT (chat));

  save_async (self, SAVE_CHAT, G_OBJECT (chat), G_OBJECT (_wr_chat_copy (chat)),
              cancellable, callback, user_data, wr_store_save_chat_async);
}

gboolean
wr_store_save_chat_finish (WrStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_save_chat_async, error);
}

void
wr_store_save_profile_async (WrStore             *self,
                             WrProfile           *profile,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (WR_IS_STORE (self));
  g_return_if_fail (WR_IS_PROFILE (profile));

  save_async (self, SAVE_PROFILE, G_OBJECT (profile), G_OBJECT (_wr_profile_copy (profile)),
              cancellable, callback, user_data, wr_store_save_profile_async);
}

gboolean
wr_store_save_profile_finish (WrStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _wr_store_propagate_boolean (self, result, wr_store_save_profile_async, error);
}

/* For other domains (wr-store-db.h) --------------------------------------- */

/* The store whose lock this thread holds while running a domain's function:
 * _wr_store_prepare() checks it, and a nested run (which would deadlock on
 * the non-recursive lock) is refused. */
static GPrivate db_call_store;

static gboolean
run_domain_func (WrStore        *self,
                 gboolean        write,
                 WrStoreTxFunc   func,
                 gpointer        data,
                 GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (WR_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (g_private_get (&db_call_store) != self, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (write ? !tx_begin (self, error) : !store_exec (self, "BEGIN", error))
    return FALSE;

  g_private_set (&db_call_store, self);
  ok = func (self->db, data, &local_error);
  g_private_set (&db_call_store, NULL);

  if (!ok)
    {
      tx_rollback (self);
      if (local_error == NULL)
        g_set_error_literal (&local_error, WR_STORE_ERROR, WR_STORE_ERROR_FAILED,
                             _("Workroom could not save the change. Try again."));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return tx_commit (self, error);
}

gboolean
_wr_store_run_transaction (WrStore        *self,
                           WrStoreTxFunc   func,
                           gpointer        data,
                           GError        **error)
{
  return run_domain_func (self, TRUE, func, data, error);
}

gboolean
_wr_store_run_read (WrStore        *self,
                    WrStoreTxFunc   func,
                    gpointer        data,
                    GError        **error)
{
  return run_domain_func (self, FALSE, func, data, error);
}

sqlite3_stmt *
_wr_store_prepare (WrStore     *self,
                   const char  *sql,
                   GError     **error)
{
  g_return_val_if_fail (WR_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (g_private_get (&db_call_store) == self, NULL);

  return store_prepare (self, sql, error);
}

gboolean
_wr_store_sqlite_error (WrStore  *self,
                        int       rc,
                        GError  **error)
{
  g_return_val_if_fail (WR_IS_STORE (self), FALSE);

  return store_error (self, error, rc);
}
