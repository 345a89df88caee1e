/* billing-test-util.h — fixture shared by the billing tests: a real store
 * file in a temporary directory and a WrBilling over it. */
#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/wr-store.h"
#include "store/wr-store-db.h"
#include "billing/wr-billing.h"
#include "billing/wr-billing-private.h"

#define CREDIT G_GINT64_CONSTANT (1000000)

typedef struct {
  char      *dir;
  char      *path;
  WrStore   *store;
  WrBilling *billing;
} BillingFixture;

static inline void
billing_test_rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        billing_test_rm_rf (child);
      else
        g_remove (child);
    }

  g_rmdir (dir);
}

static inline void
billing_fixture_setup (BillingFixture *fixture,
                       gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("wr-billing-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workroom.db", NULL);
  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->billing = wr_billing_new (fixture->store);
}

static inline void
billing_fixture_teardown (BillingFixture *fixture,
                          gconstpointer   data)
{
  g_clear_object (&fixture->billing);
  g_clear_object (&fixture->store);
  billing_test_rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

/* A second, raw connection for checks the API does not expose. */
static inline sqlite3 *
billing_test_raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static inline gint64
billing_test_raw_int (sqlite3    *db,
                      const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* Recomputes what wr_billing_verify_ledger() checks, independently: the sum
 * of the ledger and its lowest running total, in insertion order. */
static inline void
billing_test_ledger_scan (const char *path,
                          gint64     *out_sum,
                          gint64     *out_min_prefix,
                          gint64     *out_balance,
                          gint64     *out_rows)
{
  sqlite3 *db = billing_test_raw_open (path);
  sqlite3_stmt *stmt = NULL;
  gint64 sum = 0, min_prefix = 0, rows = 0;
  int rc;

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT delta FROM credit_ledger ORDER BY rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sum += sqlite3_column_int64 (stmt, 0);
      min_prefix = MIN (min_prefix, sum);
      rows++;
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  *out_balance = billing_test_raw_int (db, "SELECT credits_balance FROM profile WHERE deleted_at IS NULL");
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  *out_sum = sum;
  *out_min_prefix = min_prefix;
  if (out_rows != NULL)
    *out_rows = rows;
}
