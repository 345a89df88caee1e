/* wr-store-db.h — the store's connection, for the other libworkroom domains
 * (billing, later tasks and data). Not public API: front ends use
 * wr-store.h; domains that own tables of their own run their SQL through
 * these calls instead of opening a second connection.
 *
 * Every call holds the store's lock for its whole duration, so @func runs
 * alone on the connection. Inside @func:
 *   - use only the sqlite3 handle, _wr_store_prepare() and
 *     _wr_store_sqlite_error(); calling any wr_store_*() function deadlocks
 *     (the lock is not recursive);
 *   - statements from _wr_store_prepare() are cached and shared: release
 *     each one before @func returns (g_autoptr(WrDbStmt) does it);
 *   - return FALSE with @error set to roll back.
 *
 * Threading: any thread; the calls block (SQLite, and up to about 15 s when
 * another process holds the write lock).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "wr-store.h"

G_BEGIN_DECLS

typedef gboolean (*WrStoreTxFunc) (sqlite3   *db,
                                   gpointer   data,
                                   GError   **error);

/* Runs @func inside BEGIN IMMEDIATE … COMMIT: the write lock is taken up
 * front (retried like the store's own writes, WR_STORE_ERROR_BUSY after
 * that), so reads in @func see the latest data and nothing can change it
 * before COMMIT. When @func returns FALSE, or COMMIT fails, everything is
 * rolled back and FALSE returned with @error set. */
gboolean       _wr_store_run_transaction (WrStore        *store,
                                          WrStoreTxFunc   func,
                                          gpointer        data,
                                          GError        **error);

/* Runs @func inside a read transaction (BEGIN … COMMIT): every SELECT in
 * @func sees the same snapshot, even while other processes write. @func
 * must not write. */
gboolean       _wr_store_run_read        (WrStore        *store,
                                          WrStoreTxFunc   func,
                                          gpointer        data,
                                          GError        **error);

/* A cached prepared statement for @sql (transfer none). Only valid inside a
 * @func run by the calls above, on the same thread; criticals otherwise.
 * Bind with ?-parameters, never build SQL from values. */
sqlite3_stmt  *_wr_store_prepare         (WrStore        *store,
                                          const char     *sql,
                                          GError        **error);

/* Sets @error (WR_STORE_ERROR, translated, saying what to do) from a SQLite
 * result code @rc; always returns FALSE. Only inside a @func. */
gboolean       _wr_store_sqlite_error    (WrStore        *store,
                                          int             rc,
                                          GError        **error);

/* A statement borrowed from the cache for one @func: resets it and clears
 * its bindings when it goes out of scope. */
typedef sqlite3_stmt WrDbStmt;

static inline void
_wr_db_stmt_release (WrDbStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDbStmt, _wr_db_stmt_release)

/* Binds @text (not copied: it must outlive the step), or NULL for NULL. */
static inline void
_wr_db_bind_text (sqlite3_stmt *stmt,
                  int           idx,
                  const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_STATIC);
}

/* Column @col of the current row as UTF-8, NULL for NULL (transfer none:
 * valid until the next step or reset). */
static inline const char *
_wr_db_column_text (sqlite3_stmt *stmt,
                    int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* Steps @stmt to its end, ignoring any rows (INSERT, UPDATE, DELETE …).
 * Only inside a @func, like _wr_store_sqlite_error(). */
static inline gboolean
_wr_db_step_done (WrStore       *store,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (store, rc, error);

  return TRUE;
}

G_END_DECLS
