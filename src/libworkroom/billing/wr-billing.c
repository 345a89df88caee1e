/* wr-billing.c — plans, usage, the daily limit, prices and credits.
 *
 * All SQL runs on the store's own connection through wr-store-db.h: writes
 * in BEGIN IMMEDIATE transactions (so a read-then-write inside one never
 * races another process), reads that need several SELECTs in one snapshot.
 *
 * The credit balance (profile.credits_balance) is only a cache of
 * SUM(credit_ledger.delta): it changes only in the same transaction as a
 * ledger row, and a debit is a single conditional UPDATE (... WHERE
 * credits_balance >= amount) whose changes() decides, never a balance read
 * in one transaction and a write in another. Migration 0002 adds triggers
 * that refuse a negative balance and changes to ledger rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-billing.h"
#include "wr-billing-private.h"
#include "store/wr-store-db.h"
#include "wr-util.h"

/* Bounds that keep every product of tokens and prices inside gint64. */
#define MAX_TOKENS        G_GINT64_CONSTANT (1000000000)        /* per call */
#define MAX_PRICE         G_GINT64_CONSTANT (1000000000)        /* µ per Mtok = 1,000 units */
#define MAX_BALANCE       G_GINT64_CONSTANT (1000000000000000)  /* 10^9 credits */
#define MICROS_PER_CREDIT G_GINT64_CONSTANT (1000000)

#define PROFILE_ID \
  "(SELECT id FROM profile WHERE deleted_at IS NULL ORDER BY created_at, rowid LIMIT 1)"

struct _WrBilling
{
  GObject       parent_instance;
  WrStore      *store;           /* owned */
  GMainContext *context;         /* owned: where "changed" is emitted */
  gint64        fake_now;        /* tests; 0 = real clock */
  int           changed_pending; /* atomic: a "changed" idle is queued */
};

G_DEFINE_FINAL_TYPE (WrBilling, wr_billing, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (wr-billing-error-quark, wr_billing_error)

/* Records ---------------------------------------------------------------- */

G_DEFINE_BOXED_TYPE (WrUsageRecord, wr_usage_record, wr_usage_record_copy, wr_usage_record_free)
G_DEFINE_BOXED_TYPE (WrUsageDay, wr_usage_day, wr_usage_day_copy, wr_usage_day_free)
G_DEFINE_BOXED_TYPE (WrLedgerEntry, wr_ledger_entry, wr_ledger_entry_copy, wr_ledger_entry_free)
G_DEFINE_BOXED_TYPE (WrModelPrice, wr_model_price, wr_model_price_copy, wr_model_price_free)

WrUsageRecord *
wr_usage_record_new (void)
{
  WrUsageRecord *record = g_new0 (WrUsageRecord, 1);

  record->cost_micros = -1;
  record->latency_ms = -1;
  record->outcome = WR_USAGE_OUTCOME_OK;

  return record;
}

WrUsageRecord *
wr_usage_record_copy (const WrUsageRecord *record)
{
  WrUsageRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->project_id = g_strdup (record->project_id);
  copy->chat_id = g_strdup (record->chat_id);
  copy->message_id = g_strdup (record->message_id);
  copy->model = g_strdup (record->model);
  copy->provider_id = g_strdup (record->provider_id);

  return copy;
}

void
wr_usage_record_free (WrUsageRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->project_id);
  g_free (record->chat_id);
  g_free (record->message_id);
  g_free (record->model);
  g_free (record->provider_id);
  g_free (record);
}

WrUsageDay *
wr_usage_day_copy (const WrUsageDay *day)
{
  WrUsageDay *copy;

  g_return_val_if_fail (day != NULL, NULL);

  copy = g_memdup2 (day, sizeof *day);
  copy->day = g_strdup (day->day);
  copy->model = g_strdup (day->model);

  return copy;
}

void
wr_usage_day_free (WrUsageDay *day)
{
  if (day == NULL)
    return;

  g_free (day->day);
  g_free (day->model);
  g_free (day);
}

WrLedgerEntry *
wr_ledger_entry_copy (const WrLedgerEntry *entry)
{
  WrLedgerEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->id = g_strdup (entry->id);
  copy->reason = g_strdup (entry->reason);
  copy->meta = g_strdup (entry->meta);

  return copy;
}

void
wr_ledger_entry_free (WrLedgerEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->id);
  g_free (entry->reason);
  g_free (entry->meta);
  g_free (entry);
}

WrModelPrice *
wr_model_price_copy (const WrModelPrice *price)
{
  WrModelPrice *copy;

  g_return_val_if_fail (price != NULL, NULL);

  copy = g_memdup2 (price, sizeof *price);
  copy->pattern = g_strdup (price->pattern);
  copy->capabilities = g_strdup (price->capabilities);

  return copy;
}

void
wr_model_price_free (WrModelPrice *price)
{
  if (price == NULL)
    return;

  g_free (price->pattern);
  g_free (price->capabilities);
  g_free (price);
}

static const char * const outcome_names[] = { "ok", "partial", "error", "cancelled" };

const char *
wr_usage_outcome_to_string (WrUsageOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), "error");

  return outcome_names[outcome];
}

gboolean
wr_usage_outcome_from_string (const char     *text,
                              WrUsageOutcome *out_outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names); i++)
    if (g_strcmp0 (text, outcome_names[i]) == 0)
      {
        *out_outcome = (WrUsageOutcome) i;
        return TRUE;
      }

  return FALSE;
}

/* Built-in prices ---------------------------------------------------------
 *
 * Public list prices per million tokens (USD, 2025), in millionths. The "*"
 * default prices models nobody listed like gpt-4o, so an unknown cloud
 * model is never free; the user can change any of these. */

typedef struct {
  const char *pattern;
  gint64      input;
  gint64      output;
} BuiltinPrice;

static const BuiltinPrice builtin_prices[] = {
  { "*",                      2500000, 10000000 },
  { "gpt-4o*",                2500000, 10000000 },
  { "gpt-4o-mini*",            150000,   600000 },
  { "gpt-4.1*",               2000000,  8000000 },
  { "gpt-4.1-mini*",           400000,  1600000 },
  { "gpt-4.1-nano*",           100000,   400000 },
  { "gpt-4-turbo*",          10000000, 30000000 },
  { "gpt-3.5-turbo*",          500000,  1500000 },
  { "o1*",                   15000000, 60000000 },
  { "o1-mini*",               1100000,  4400000 },
  { "o3*",                    2000000,  8000000 },
  { "o3-mini*",               1100000,  4400000 },
  { "o4-mini*",               1100000,  4400000 },
  { "claude*opus*",          15000000, 75000000 },
  { "claude*sonnet*",         3000000, 15000000 },
  { "claude*haiku*",           800000,  4000000 },
  { "claude-3-haiku*",         250000,  1250000 },
  { "gemini*pro*",            1250000, 10000000 },
  { "gemini-1.5-pro*",        1250000,  5000000 },
  { "gemini*flash*",           100000,   400000 },
  { "gemini*flash-lite*",       75000,   300000 },
  { "gemini-1.5-flash*",        75000,   300000 },
  { "gemini-2.5-flash*",       300000,  2500000 },
  { "mistral-large*",         2000000,  6000000 },
  { "mistral-small*",          200000,   600000 },
  /* Embeddings (search models): input only. */
  { "text-embedding-3-small*",   20000,        0 },
  { "text-embedding-3-large*",  130000,        0 },
  { "text-embedding-ada-002*",  100000,        0 },
  { "*embedding-00*",            15000,        0 },   /* Gemini text-embedding-004, embedding-001 */
  { "gemini-embedding*",        150000,        0 },
};

/* Characters that must match literally: a longer literal part is a more
 * specific pattern. */
static guint
pattern_specificity (const char *pattern)
{
  guint n = 0;

  for (const char *p = pattern; *p != '\0'; p++)
    if (*p != '*' && *p != '?')
      n++;

  return n;
}

static gboolean
pattern_matches (const char *pattern,
                 const char *model,
                 const char *base)
{
  g_autoptr(GPatternSpec) spec = g_pattern_spec_new (pattern);

  return g_pattern_spec_match_string (spec, model) ||
         (base != NULL && g_pattern_spec_match_string (spec, base));
}

/* Helpers ---------------------------------------------------------------- */

static gint64
billing_now (WrBilling *self)
{
  return self->fake_now != 0 ? self->fake_now : wr_now_usec ();
}

gint64
_wr_billing_local_midnight (gint64 usec,
                            int    day_offset)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  midnight = g_date_time_new_local (g_date_time_get_year (at),
                                    g_date_time_get_month (at),
                                    g_date_time_get_day_of_month (at), 0, 0, 0);
  /* Adding days keeps the wall-clock time across DST changes. */
  shifted = g_date_time_add_days (midnight, day_offset);

  return g_date_time_to_unix (shifted) * G_USEC_PER_SEC;
}

/* [since, until) for "today and the @days - 1 days before". */
static void
day_window (WrBilling *self,
            guint      days,
            gint64    *since,
            gint64    *until)
{
  gint64 now = billing_now (self);

  *until = _wr_billing_local_midnight (now, 1);
  *since = days == 0 ? G_MININT64 : _wr_billing_local_midnight (now, 1 - (int) MIN (days, 36600));
}

/* "changed" ------------------------------------------------------------- */

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static gboolean
emit_changed_cb (gpointer data)
{
  g_autoptr(WrBilling) self = g_weak_ref_get (data);

  if (self != NULL)
    {
      g_atomic_int_set (&self->changed_pending, 0);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  return G_SOURCE_REMOVE;
}

/* From any thread: one emission per burst of writes, in self->context. The
 * idle holds only a weak reference, so a context nobody iterates (the CLI)
 * keeps nothing alive. */
static void
notify_changed (WrBilling *self)
{
  g_autoptr(GSource) source = NULL;
  GWeakRef *ref;

  if (!g_atomic_int_compare_and_exchange (&self->changed_pending, 0, 1))
    return;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_changed_cb, ref, weak_ref_free);
  g_source_set_static_name (source, "[workroom] billing changed");
  g_source_attach (source, self->context);
}

/* A write transaction; "changed" follows when it committed. */
static gboolean
run_write (WrBilling      *self,
           WrStoreTxFunc   func,
           gpointer        data,
           GError        **error)
{
  if (!_wr_store_run_transaction (self->store, func, data, error))
    return FALSE;

  notify_changed (self);
  return TRUE;
}

static sqlite3_stmt *
prepare (WrBilling   *self,
         const char  *sql,
         GError     **error)
{
  return _wr_store_prepare (self->store, sql, error);
}

static gboolean
run_done (WrBilling     *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (self->store, rc, error);

  return TRUE;
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

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static gint64
column_optional (sqlite3_stmt *stmt,
                 int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return -1;

  return sqlite3_column_int64 (stmt, col);
}

static char *
format_tokens (gint64 tokens)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, tokens);
}

/* Profile ---------------------------------------------------------------- */

typedef struct {
  WrBilling *self;
  char      *plan;
  gint64     own_limit;      /* -1 = the plan's */
  gint64     balance;
  gint64     since;          /* for used_today */
  gint64     until;
  gint64     used_today;
} ProfileRead;

static void
profile_read_clear (ProfileRead *read)
{
  g_clear_pointer (&read->plan, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProfileRead, profile_read_clear)

static gboolean
read_profile_tx (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  ProfileRead *read = data;
  WrBilling *self = read->self;

  {
    g_autoptr(WrDbStmt) stmt =
      prepare (self,
               "SELECT plan, daily_token_limit, credits_balance FROM profile "
               "WHERE deleted_at IS NULL ORDER BY created_at, rowid LIMIT 1",
               error);
    int rc;

    if (stmt == NULL)
      return FALSE;

    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                             _("The user profile is missing. Restart Workroom to create it again."));
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      return _wr_store_sqlite_error (self->store, rc, error);

    read->plan = column_dup (stmt, 0);
    read->own_limit = column_optional (stmt, 1);
    read->balance = sqlite3_column_int64 (stmt, 2);
  }

  if (read->until != 0)
    {
      g_autoptr(WrDbStmt) stmt =
        prepare (self,
                 "SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM usage "
                 "WHERE deleted_at IS NULL AND created_at >= ?1 AND created_at < ?2",
                 error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, read->since);
      sqlite3_bind_int64 (stmt, 2, read->until);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        return _wr_store_sqlite_error (self->store, rc, error);

      read->used_today = sqlite3_column_int64 (stmt, 0);
    }

  return TRUE;
}

static WrPlan *
plan_or_free (const char *name)
{
  WrPlan *plan = wr_plan_lookup (name);

  return plan != NULL ? plan : wr_plan_lookup ("free");
}

WrPlan *
wr_billing_get_plan (WrBilling  *self,
                     GError    **error)
{
  g_auto(ProfileRead) read = { .self = self };

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  if (!_wr_store_run_read (self->store, read_profile_tx, &read, error))
    return NULL;

  return plan_or_free (read.plan);
}

typedef struct {
  WrBilling  *self;
  const char *plan;      /* NULL: set the limit instead */
  gint64      limit;
} ProfileWrite;

static gboolean
write_profile_tx (sqlite3   *db,
                  gpointer   data,
                  GError   **error)
{
  ProfileWrite *write = data;
  g_autoptr(WrDbStmt) stmt = NULL;

  if (write->plan != NULL)
    stmt = prepare (write->self,
                    "UPDATE profile SET plan = ?1, updated_at = ?2 WHERE id = " PROFILE_ID,
                    error);
  else
    stmt = prepare (write->self,
                    "UPDATE profile SET daily_token_limit = ?1, updated_at = ?2 WHERE id = " PROFILE_ID,
                    error);
  if (stmt == NULL)
    return FALSE;

  if (write->plan != NULL)
    bind_text (stmt, 1, write->plan);
  else if (write->limit < 0)
    sqlite3_bind_null (stmt, 1);
  else
    sqlite3_bind_int64 (stmt, 1, write->limit);
  sqlite3_bind_int64 (stmt, 2, billing_now (write->self));

  if (!run_done (write->self, stmt, error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                           _("The user profile is missing. Restart Workroom to create it again."));
      return FALSE;
    }

  return TRUE;
}

gboolean
wr_billing_set_plan (WrBilling   *self,
                     const char  *name,
                     GError     **error)
{
  ProfileWrite write = { self, name, -1 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if (wr_plan_lookup (name) == NULL)
    {
      g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                   _("“%s” is not a plan. Choose free, pro or enterprise."),
                   name != NULL ? name : "");
      return FALSE;
    }

  return run_write (self, write_profile_tx, &write, error);
}

gboolean
wr_billing_set_daily_token_limit (WrBilling  *self,
                                  gint64      limit,
                                  GError    **error)
{
  ProfileWrite write = { self, NULL, limit < 0 ? -1 : limit };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  return run_write (self, write_profile_tx, &write, error);
}

/* Gates ------------------------------------------------------------------ */

gboolean
wr_billing_is_local_url (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;

  if (base_url == NULL || *base_url == '\0')
    return FALSE;

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      /* "localhost:11434", as OLLAMA_HOST is often written. */
      g_autofree char *with_scheme = g_strconcat ("http://", base_url, NULL);

      g_clear_pointer (&uri, g_uri_unref);
      uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
    }
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (g_str_equal (host, "localhost") || g_str_has_suffix (host, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static WrPlan *
resolve_plan (WrBilling  *self,
              WrPlan     *plan,
              GError    **error)
{
  return plan != NULL ? plan : wr_billing_get_plan (self, error);
}

gboolean
wr_billing_check_model (WrBilling   *self,
                        WrPlan      *plan,
                        const char  *model,
                        gboolean     provider_is_local,
                        GError     **error)
{
  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);
  g_return_val_if_fail (plan == NULL || WR_IS_PLAN (plan), FALSE);

  if (provider_is_local)
    return TRUE;

  if ((plan = resolve_plan (self, plan, error)) == NULL)
    return FALSE;

  if (wr_plan_allows_model (plan, model, FALSE))
    return TRUE;

  g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_MODEL_NOT_ALLOWED,
               _("The %s plan does not include the model “%s”. Choose a smaller "
                 "model (its name contains mini, nano, flash or haiku), a local "
                 "model, or upgrade the plan."),
               wr_plan_get_title (plan), model != NULL ? model : "");
  return FALSE;
}

gboolean
wr_billing_check_feature (WrBilling   *self,
                          WrPlan      *plan,
                          const char  *feature,
                          GError     **error)
{
  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);
  g_return_val_if_fail (plan == NULL || WR_IS_PLAN (plan), FALSE);

  if ((plan = resolve_plan (self, plan, error)) == NULL)
    return FALSE;

  if (wr_plan_allows_feature (plan, feature))
    return TRUE;

  if (feature == NULL || !g_strv_contains (wr_plan_list_features (), feature))
    g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_FEATURE_NOT_ALLOWED,
                 _("Workroom has no feature called “%s”. Update Workroom, or report "
                   "this problem."),
                 feature != NULL ? feature : "");
  else
    g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_FEATURE_NOT_ALLOWED,
                 _("The %s plan does not include %s. Upgrade the plan to use it."),
                 wr_plan_get_title (plan), feature);
  return FALSE;
}

gboolean
wr_billing_call_charges_credits (WrPlan   *plan,
                                 gboolean  provider_is_local)
{
  g_return_val_if_fail (WR_IS_PLAN (plan), TRUE);

  return !provider_is_local && wr_plan_get_charges_credits (plan);
}

/* Daily limit ------------------------------------------------------------ */

gboolean
wr_billing_get_quota (WrBilling  *self,
                      gint64     *out_used_today,
                      gint64     *out_limit,
                      gint64     *out_resets_at,
                      GError    **error)
{
  g_auto(ProfileRead) read = { .self = self };
  gint64 now;
  gint64 limit;

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  now = billing_now (self);
  read.since = _wr_billing_local_midnight (now, 0);
  read.until = _wr_billing_local_midnight (now, 1);

  if (!_wr_store_run_read (self->store, read_profile_tx, &read, error))
    return FALSE;

  limit = read.own_limit >= 0 ? read.own_limit
                              : wr_plan_get_daily_token_limit (plan_or_free (read.plan));

  if (out_used_today != NULL)
    *out_used_today = read.used_today;
  if (out_limit != NULL)
    *out_limit = limit;
  if (out_resets_at != NULL)
    *out_resets_at = read.until;

  return TRUE;
}

gboolean
wr_billing_check_quota (WrBilling  *self,
                        gint64      estimated_tokens,
                        GError    **error)
{
  g_autoptr(GDateTime) reset = NULL;
  g_autofree char *reset_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *used_text = NULL;
  g_autofree char *need_text = NULL;
  gint64 used, limit, resets_at, wait_min;
  WrPlan *plan;

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  estimated_tokens = MAX (estimated_tokens, 0);

  if (!wr_billing_get_quota (self, &used, &limit, &resets_at, error))
    return FALSE;

  if (limit < 0 || used + estimated_tokens <= limit)
    return TRUE;

  if ((plan = wr_billing_get_plan (self, error)) == NULL)
    return FALSE;

  reset = g_date_time_new_from_unix_local (resets_at / G_USEC_PER_SEC);
  reset_text = g_date_time_format (reset, "%Y-%m-%d %H:%M");
  limit_text = format_tokens (limit);
  used_text = format_tokens (used);
  need_text = format_tokens (estimated_tokens);
  wait_min = MAX ((resets_at - billing_now (self) + 59 * G_USEC_PER_SEC) / (60 * G_USEC_PER_SEC), 1);

  g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_QUOTA_EXCEEDED,
               _("This would pass the daily limit of %s tokens (%s plan): %s used "
                 "today, about %s more needed. The limit resets at midnight, %s "
                 "(in %d h %02d min); wait until then, raise the daily limit, or "
                 "upgrade the plan."),
               limit_text, wr_plan_get_title (plan), used_text, need_text, reset_text,
               (int) (wait_min / 60), (int) (wait_min % 60));
  return FALSE;
}

gint64
wr_billing_estimate_tokens (const char *text)
{
  glong chars;

  if (text == NULL || *text == '\0')
    return 0;

  chars = g_utf8_strlen (text, -1);
  return MAX ((chars + 3) / 4, 1);
}

/* Prices ----------------------------------------------------------------- */

typedef struct {
  WrBilling  *self;
  GPtrArray  *custom;    /* element-type WrModelPrice */
} PriceRead;

static gboolean
read_prices_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  PriceRead *read = data;
  g_autoptr(WrDbStmt) stmt =
    prepare (read->self,
             "SELECT pattern, input_micros_per_mtok, output_micros_per_mtok, capabilities "
             "FROM model_prices WHERE deleted_at IS NULL ORDER BY pattern",
             error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WrModelPrice *price = g_new0 (WrModelPrice, 1);

      price->pattern = column_dup (stmt, 0);
      price->input_micros_per_mtok = sqlite3_column_int64 (stmt, 1);
      price->output_micros_per_mtok = sqlite3_column_int64 (stmt, 2);
      price->custom = TRUE;
      price->capabilities = column_dup (stmt, 3);
      g_ptr_array_add (read->custom, price);
    }

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (read->self->store, rc, error);

  return TRUE;
}

static GPtrArray *
read_custom_prices (WrBilling  *self,
                    GError    **error)
{
  PriceRead read = { self, g_ptr_array_new_with_free_func ((GDestroyNotify) wr_model_price_free) };

  if (!_wr_store_run_read (self->store, read_prices_tx, &read, error))
    {
      g_ptr_array_unref (read.custom);
      return NULL;
    }

  return read.custom;
}

/* Finds the price for @model among @custom and the built-in ones. */
static void
find_price (GPtrArray  *custom,
            const char *model,
            gint64     *out_input,
            gint64     *out_output)
{
  g_autofree char *folded = g_utf8_strdown (model != NULL ? model : "", -1);
  const char *slash = strrchr (folded, '/');
  const char *base = slash != NULL ? slash + 1 : NULL;
  int best = -1;

  /* The "*" default always matches. */
  *out_input = builtin_prices[0].input;
  *out_output = builtin_prices[0].output;

  for (guint i = 0; i < G_N_ELEMENTS (builtin_prices); i++)
    {
      int score = (int) pattern_specificity (builtin_prices[i].pattern) * 2;

      if (score > best && pattern_matches (builtin_prices[i].pattern, folded, base))
        {
          best = score;
          *out_input = builtin_prices[i].input;
          *out_output = builtin_prices[i].output;
        }
    }

  /* The user's price wins a tie (+1), so it replaces a built-in pattern of
   * the same specificity, including the same pattern. */
  for (guint i = 0; custom != NULL && i < custom->len; i++)
    {
      const WrModelPrice *price = g_ptr_array_index (custom, i);
      int score = (int) pattern_specificity (price->pattern) * 2 + 1;

      if (score > best && pattern_matches (price->pattern, folded, base))
        {
          best = score;
          *out_input = price->input_micros_per_mtok;
          *out_output = price->output_micros_per_mtok;
        }
    }
}

static gint64
compute_cost (gint64 input_tokens,
              gint64 output_tokens,
              gint64 input_price,
              gint64 output_price)
{
  gint64 in = CLAMP (input_tokens, 0, MAX_TOKENS);
  gint64 out = CLAMP (output_tokens, 0, MAX_TOKENS);
  gint64 pin = CLAMP (input_price, 0, MAX_PRICE);
  gint64 pout = CLAMP (output_price, 0, MAX_PRICE);

  /* At most 2 × 10^18 < G_MAXINT64; round up to a whole micro. */
  return (in * pin + out * pout + 999999) / 1000000;
}

gint64
wr_billing_cost_micros (WrBilling   *self,
                        const char  *model,
                        gint64       input_tokens,
                        gint64       output_tokens,
                        GError     **error)
{
  g_autoptr(GPtrArray) custom = NULL;
  gint64 pin, pout;

  g_return_val_if_fail (WR_IS_BILLING (self), -1);

  if ((custom = read_custom_prices (self, error)) == NULL)
    return -1;

  find_price (custom, model, &pin, &pout);
  return compute_cost (input_tokens, output_tokens, pin, pout);
}

static int
compare_prices (gconstpointer a,
                gconstpointer b)
{
  const WrModelPrice *pa = *(const WrModelPrice * const *) a;
  const WrModelPrice *pb = *(const WrModelPrice * const *) b;

  return strcmp (pa->pattern, pb->pattern);
}

GPtrArray *
wr_billing_list_prices (WrBilling  *self,
                        GError    **error)
{
  g_autoptr(GPtrArray) custom = NULL;
  GPtrArray *list;

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  if ((custom = read_custom_prices (self, error)) == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_model_price_free);
  for (guint i = 0; i < G_N_ELEMENTS (builtin_prices); i++)
    {
      gboolean replaced = FALSE;

      for (guint j = 0; j < custom->len && !replaced; j++)
        replaced = g_str_equal (((WrModelPrice *) g_ptr_array_index (custom, j))->pattern,
                                builtin_prices[i].pattern);
      if (!replaced)
        {
          WrModelPrice *price = g_new0 (WrModelPrice, 1);

          price->pattern = g_strdup (builtin_prices[i].pattern);
          price->input_micros_per_mtok = builtin_prices[i].input;
          price->output_micros_per_mtok = builtin_prices[i].output;
          g_ptr_array_add (list, price);
        }
    }
  for (guint j = 0; j < custom->len; j++)
    g_ptr_array_add (list, wr_model_price_copy (g_ptr_array_index (custom, j)));

  g_ptr_array_sort (list, compare_prices);
  return list;
}

/* Inside a transaction: the price @pattern would get from the table
 * without its own row. */
static gboolean
price_without_row (WrBilling   *self,
                   sqlite3     *db,
                   const char  *pattern,
                   gint64      *out_input,
                   gint64      *out_output,
                   GError     **error)
{
  PriceRead read = { self, g_ptr_array_new_with_free_func ((GDestroyNotify) wr_model_price_free) };
  gboolean ok = read_prices_tx (db, &read, error);

  if (ok)
    {
      for (guint i = 0; i < read.custom->len; i++)
        if (g_str_equal (((WrModelPrice *) g_ptr_array_index (read.custom, i))->pattern, pattern))
          g_ptr_array_remove_index (read.custom, i--);
      find_price (read.custom, pattern, out_input, out_output);
    }

  g_ptr_array_unref (read.custom);
  return ok;
}

static gboolean
reprice_without_row (WrBilling   *self,
                     sqlite3     *db,
                     const char  *pattern,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(WrDbStmt) stmt = NULL;
  gint64 input, output;

  if (!price_without_row (self, db, pattern, &input, &output, error))
    return FALSE;

  stmt = prepare (self,
                  "UPDATE model_prices SET input_micros_per_mtok = ?2, output_micros_per_mtok = ?3, "
                  "updated_at = ?4 WHERE pattern = ?1 AND deleted_at IS NULL AND capabilities IS NOT NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, pattern);
  sqlite3_bind_int64 (stmt, 2, input);
  sqlite3_bind_int64 (stmt, 3, output);
  sqlite3_bind_int64 (stmt, 4, now);

  return run_done (self, stmt, error);
}

typedef struct {
  WrBilling  *self;
  const char *pattern;
  gint64      input;
  gint64      output;
  gboolean    reset;
} PriceWrite;

static gboolean
write_price_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  PriceWrite *write = data;
  g_autofree char *id = wr_new_id ();
  gint64 now = billing_now (write->self);
  g_autoptr(WrDbStmt) stmt = NULL;

  if (write->reset)
    {
      /* A row that also carries capabilities stays for them, with the
       * price that would apply without it. */
      if (!reprice_without_row (write->self, db, write->pattern, now, error))
        return FALSE;

      stmt = prepare (write->self,
                      "UPDATE model_prices SET deleted_at = ?2, updated_at = ?2 "
                      "WHERE pattern = ?1 AND deleted_at IS NULL AND capabilities IS NULL",
                      error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, write->pattern);
      sqlite3_bind_int64 (stmt, 2, now);
      return run_done (write->self, stmt, error);
    }

  stmt = prepare (write->self,
                  "INSERT INTO model_prices (id, pattern, input_micros_per_mtok, "
                  "output_micros_per_mtok, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) "
                  "ON CONFLICT (pattern) DO UPDATE SET input_micros_per_mtok = ?3, "
                  "output_micros_per_mtok = ?4, updated_at = ?5, deleted_at = NULL",
                  error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, write->pattern);
  sqlite3_bind_int64 (stmt, 3, write->input);
  sqlite3_bind_int64 (stmt, 4, write->output);
  sqlite3_bind_int64 (stmt, 5, now);

  return run_done (write->self, stmt, error);
}

static char *
check_pattern (const char  *pattern,
               GError     **error)
{
  g_autofree char *clean = g_utf8_strdown (pattern != NULL ? pattern : "", -1);

  g_strstrip (clean);
  if (*clean == '\0')
    {
      g_set_error_literal (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                           _("A price needs a model name or pattern, such as "
                             "“gpt-4o*”. Type one and try again."));
      return NULL;
    }

  return g_steal_pointer (&clean);
}

gboolean
wr_billing_set_price (WrBilling   *self,
                      const char  *pattern,
                      gint64       input_micros_per_mtok,
                      gint64       output_micros_per_mtok,
                      GError     **error)
{
  g_autofree char *clean = NULL;
  PriceWrite write = { self, NULL, input_micros_per_mtok, output_micros_per_mtok, FALSE };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if ((clean = check_pattern (pattern, error)) == NULL)
    return FALSE;

  if (input_micros_per_mtok < 0 || input_micros_per_mtok > MAX_PRICE ||
      output_micros_per_mtok < 0 || output_micros_per_mtok > MAX_PRICE)
    {
      g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                   _("A price per million tokens must be between 0 and %d. "
                     "Correct it and try again."),
                   (int) (MAX_PRICE / MICROS_PER_CREDIT));
      return FALSE;
    }

  write.pattern = clean;
  return run_write (self, write_price_tx, &write, error);
}

gboolean
wr_billing_reset_price (WrBilling   *self,
                        const char  *pattern,
                        GError     **error)
{
  g_autofree char *clean = NULL;
  PriceWrite write = { self, NULL, 0, 0, TRUE };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if ((clean = check_pattern (pattern, error)) == NULL)
    return FALSE;

  write.pattern = clean;
  return run_write (self, write_price_tx, &write, error);
}

/* Capabilities ------------------------------------------------------------ */

static const char * const capability_names[] = { "chat", "vision", "embeddings" };

char *
wr_billing_normalize_capabilities (const char  *text,
                                   GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", ", \t", -1);
  gboolean seen[G_N_ELEMENTS (capability_names)] = { FALSE, };
  g_autoptr(GString) canonical = g_string_new (NULL);
  gboolean any = FALSE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = g_ascii_strdown (words[i], -1);
      gboolean known = FALSE;

      if (*word == '\0')
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (capability_names); j++)
        if (g_str_equal (word, capability_names[j]))
          known = seen[j] = any = TRUE;
      if (!known)
        {
          g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                       _("“%s” is not a model capability. Use chat, vision or embeddings, "
                         "separated by commas."), words[i]);
          return NULL;
        }
    }

  if (!any)
    {
      g_set_error_literal (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                           _("Name at least one capability: chat, vision or embeddings."));
      return NULL;
    }

  for (guint j = 0; j < G_N_ELEMENTS (capability_names); j++)
    if (seen[j])
      g_string_append_printf (canonical, "%s%s", canonical->len > 0 ? "," : "", capability_names[j]);

  return g_string_free (g_steal_pointer (&canonical), FALSE);
}

typedef struct {
  WrBilling  *self;
  const char *pattern;
  const char *capabilities;   /* NULL = reset */
} CapabilitiesWrite;

static gboolean
write_capabilities_tx (sqlite3   *db,
                       gpointer   data,
                       GError   **error)
{
  CapabilitiesWrite *write = data;
  g_autofree char *id = wr_new_id ();
  gint64 now = billing_now (write->self);
  g_autoptr(WrDbStmt) stmt = NULL;
  gint64 input, output;

  /* Without its own row, the pattern would cost this; a new row carries it
   * so that adding capabilities leaves the price as it was. */
  if (!price_without_row (write->self, db, write->pattern, &input, &output, error))
    return FALSE;

  if (write->capabilities != NULL)
    {
      stmt = prepare (write->self,
                      "INSERT INTO model_prices (id, pattern, input_micros_per_mtok, "
                      "output_micros_per_mtok, capabilities, created_at, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
                      "ON CONFLICT (pattern) DO UPDATE SET capabilities = ?5, updated_at = ?6, "
                      "input_micros_per_mtok = CASE WHEN deleted_at IS NULL THEN input_micros_per_mtok ELSE ?3 END, "
                      "output_micros_per_mtok = CASE WHEN deleted_at IS NULL THEN output_micros_per_mtok ELSE ?4 END, "
                      "deleted_at = NULL",
                      error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, id);
      bind_text (stmt, 2, write->pattern);
      sqlite3_bind_int64 (stmt, 3, input);
      sqlite3_bind_int64 (stmt, 4, output);
      bind_text (stmt, 5, write->capabilities);
      sqlite3_bind_int64 (stmt, 6, now);
      return run_done (write->self, stmt, error);
    }

  stmt = prepare (write->self,
                  "UPDATE model_prices SET capabilities = NULL, updated_at = ?2, "
                  "deleted_at = CASE WHEN input_micros_per_mtok = ?3 AND output_micros_per_mtok = ?4 "
                  "THEN ?2 ELSE NULL END "
                  "WHERE pattern = ?1 AND deleted_at IS NULL AND capabilities IS NOT NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, write->pattern);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, input);
  sqlite3_bind_int64 (stmt, 4, output);
  return run_done (write->self, stmt, error);
}

gboolean
wr_billing_set_capabilities (WrBilling   *self,
                             const char  *pattern,
                             const char  *capabilities,
                             GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *canonical = NULL;
  CapabilitiesWrite write = { self, NULL, NULL };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if ((clean = check_pattern (pattern, error)) == NULL ||
      (canonical = wr_billing_normalize_capabilities (capabilities, error)) == NULL)
    return FALSE;

  write.pattern = clean;
  write.capabilities = canonical;
  return run_write (self, write_capabilities_tx, &write, error);
}

gboolean
wr_billing_reset_capabilities (WrBilling   *self,
                               const char  *pattern,
                               GError     **error)
{
  g_autofree char *clean = NULL;
  CapabilitiesWrite write = { self, NULL, NULL };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if ((clean = check_pattern (pattern, error)) == NULL)
    return FALSE;

  write.pattern = clean;
  return run_write (self, write_capabilities_tx, &write, error);
}

WrPriceTable *
wr_billing_load_price_table (WrBilling  *self,
                             GError    **error)
{
  g_autoptr(GPtrArray) custom = NULL;
  WrPriceTable *table;

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  if ((custom = read_custom_prices (self, error)) == NULL)
    return NULL;

  /* Built-in first, in table order, then the user's: find_price's order. */
  table = _wr_price_table_new ();
  for (guint i = 0; i < G_N_ELEMENTS (builtin_prices); i++)
    {
      WrModelPrice price = { (char *) builtin_prices[i].pattern,
                             builtin_prices[i].input, builtin_prices[i].output, FALSE, NULL };

      _wr_price_table_add (table, &price);
    }
  for (guint i = 0; i < custom->len; i++)
    _wr_price_table_add (table, g_ptr_array_index (custom, i));

  return table;
}

WrModelPrice *
wr_billing_get_model_price (WrBilling   *self,
                            const char  *model,
                            GError     **error)
{
  g_autoptr(WrPriceTable) table = NULL;

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  if ((table = wr_billing_load_price_table (self, error)) == NULL)
    return NULL;

  return wr_model_price_copy (wr_price_table_match (table, model));
}

/* Usage ------------------------------------------------------------------ */

typedef struct {
  WrBilling     *self;
  WrUsageRecord *record;
} UsageWrite;

static gboolean
record_usage_tx (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  UsageWrite *write = data;
  WrUsageRecord *record = write->record;
  g_autoptr(WrDbStmt) stmt = NULL;

  if (record->cost_micros < 0 && record->model != NULL)
    {
      PriceRead read = { write->self, g_ptr_array_new_with_free_func ((GDestroyNotify) wr_model_price_free) };
      gint64 pin, pout;
      gboolean ok = read_prices_tx (db, &read, error);

      if (ok)
        {
          find_price (read.custom, record->model, &pin, &pout);
          record->cost_micros = compute_cost (record->input_tokens, record->output_tokens, pin, pout);
        }
      g_ptr_array_unref (read.custom);
      if (!ok)
        return FALSE;
    }

  stmt = prepare (write->self,
                  "INSERT INTO usage (id, project_id, chat_id, message_id, model, provider_id, "
                  "input_tokens, output_tokens, estimated, cost_micros, latency_ms, outcome, "
                  "created_at, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                  error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, record->id);
  bind_text (stmt, 2, record->project_id);
  bind_text (stmt, 3, record->chat_id);
  bind_text (stmt, 4, record->message_id);
  bind_text (stmt, 5, record->model);
  bind_text (stmt, 6, record->provider_id);
  sqlite3_bind_int64 (stmt, 7, CLAMP (record->input_tokens, 0, G_MAXINT64));
  sqlite3_bind_int64 (stmt, 8, CLAMP (record->output_tokens, 0, G_MAXINT64));
  sqlite3_bind_int (stmt, 9, record->estimated ? 1 : 0);
  if (record->cost_micros < 0)
    sqlite3_bind_null (stmt, 10);
  else
    sqlite3_bind_int64 (stmt, 10, record->cost_micros);
  if (record->latency_ms < 0)
    sqlite3_bind_null (stmt, 11);
  else
    sqlite3_bind_int64 (stmt, 11, record->latency_ms);
  bind_text (stmt, 12, wr_usage_outcome_to_string (record->outcome));
  sqlite3_bind_int64 (stmt, 13, record->created_at);

  return run_done (write->self, stmt, error);
}

gboolean
wr_billing_record_usage (WrBilling      *self,
                         WrUsageRecord  *record,
                         GError        **error)
{
  UsageWrite write = { self, record };
  gboolean assigned_id = FALSE;

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (record->id == NULL)
    {
      record->id = wr_new_id ();
      assigned_id = TRUE;
    }
  if (record->created_at == 0)
    record->created_at = billing_now (self);

  if (!run_write (self, record_usage_tx, &write, error))
    {
      if (assigned_id)
        g_clear_pointer (&record->id, g_free);
      return FALSE;
    }

  return TRUE;
}

typedef enum {
  USAGE_LIST,
  USAGE_BY_DAY,
  USAGE_TOTALS,
} UsageQuery;

typedef struct {
  WrBilling     *self;
  UsageQuery     query;
  gint64         since;
  gint64         until;
  const char    *project_id;
  GPtrArray     *rows;
  WrUsageTotals  totals;
} UsageRead;

#define USAGE_WHERE \
  "WHERE deleted_at IS NULL AND created_at >= ?1 AND created_at < ?2 " \
  "AND (?3 IS NULL OR project_id = ?3) "

static gboolean
read_usage_tx (sqlite3   *db,
               gpointer   data,
               GError   **error)
{
  UsageRead *read = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  switch (read->query)
    {
    case USAGE_LIST:
      stmt = prepare (read->self,
                      "SELECT id, created_at, project_id, chat_id, message_id, model, provider_id, "
                      "input_tokens, output_tokens, estimated, cost_micros, latency_ms, outcome "
                      "FROM usage " USAGE_WHERE "ORDER BY created_at DESC, rowid DESC",
                      error);
      break;
    case USAGE_BY_DAY:
      /* SQLite's 'localtime' and GLib's local zone both follow TZ. */
      stmt = prepare (read->self,
                      "SELECT date(created_at / 1000000, 'unixepoch', 'localtime') AS day, "
                      "COALESCE(model, '') AS m, COUNT(*), SUM(input_tokens), SUM(output_tokens), "
                      "COALESCE(SUM(cost_micros), 0) "
                      "FROM usage " USAGE_WHERE "GROUP BY day, m ORDER BY day, m",
                      error);
      break;
    case USAGE_TOTALS:
      stmt = prepare (read->self,
                      "SELECT COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), "
                      "COALESCE(SUM(cost_micros), 0), COALESCE(SUM(estimated), 0) "
                      "FROM usage " USAGE_WHERE,
                      error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, read->since);
  sqlite3_bind_int64 (stmt, 2, read->until);
  bind_text (stmt, 3, read->project_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      switch (read->query)
        {
        case USAGE_LIST:
          {
            WrUsageRecord *record = wr_usage_record_new ();

            record->id = column_dup (stmt, 0);
            record->created_at = sqlite3_column_int64 (stmt, 1);
            record->project_id = column_dup (stmt, 2);
            record->chat_id = column_dup (stmt, 3);
            record->message_id = column_dup (stmt, 4);
            record->model = column_dup (stmt, 5);
            record->provider_id = column_dup (stmt, 6);
            record->input_tokens = sqlite3_column_int64 (stmt, 7);
            record->output_tokens = sqlite3_column_int64 (stmt, 8);
            record->estimated = sqlite3_column_int (stmt, 9) != 0;
            record->cost_micros = column_optional (stmt, 10);
            record->latency_ms = column_optional (stmt, 11);
            if (!wr_usage_outcome_from_string ((const char *) sqlite3_column_text (stmt, 12),
                                               &record->outcome))
              record->outcome = WR_USAGE_OUTCOME_ERROR;
            g_ptr_array_add (read->rows, record);
          }
          break;
        case USAGE_BY_DAY:
          {
            WrUsageDay *day = g_new0 (WrUsageDay, 1);

            day->day = column_dup (stmt, 0);
            day->model = column_dup (stmt, 1);
            day->calls = sqlite3_column_int64 (stmt, 2);
            day->input_tokens = sqlite3_column_int64 (stmt, 3);
            day->output_tokens = sqlite3_column_int64 (stmt, 4);
            day->cost_micros = sqlite3_column_int64 (stmt, 5);
            g_ptr_array_add (read->rows, day);
          }
          break;
        case USAGE_TOTALS:
          read->totals.calls = sqlite3_column_int64 (stmt, 0);
          read->totals.input_tokens = sqlite3_column_int64 (stmt, 1);
          read->totals.output_tokens = sqlite3_column_int64 (stmt, 2);
          read->totals.cost_micros = sqlite3_column_int64 (stmt, 3);
          read->totals.estimated_calls = sqlite3_column_int64 (stmt, 4);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (read->self->store, rc, error);

  return TRUE;
}

static gboolean
run_usage_query (WrBilling   *self,
                 UsageRead   *read,
                 guint        days,
                 GError     **error)
{
  read->self = self;
  day_window (self, days, &read->since, &read->until);

  return _wr_store_run_read (self->store, read_usage_tx, read, error);
}

GPtrArray *
wr_billing_list_usage (WrBilling   *self,
                       guint        days,
                       const char  *project_id,
                       GError     **error)
{
  UsageRead read = { .query = USAGE_LIST, .project_id = project_id };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_usage_record_free);

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  read.rows = rows;
  if (!run_usage_query (self, &read, days, error))
    return NULL;

  return g_steal_pointer (&rows);
}

GPtrArray *
wr_billing_usage_by_day (WrBilling   *self,
                         guint        days,
                         const char  *project_id,
                         GError     **error)
{
  UsageRead read = { .query = USAGE_BY_DAY, .project_id = project_id };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_usage_day_free);

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  read.rows = rows;
  if (!run_usage_query (self, &read, days, error))
    return NULL;

  return g_steal_pointer (&rows);
}

gboolean
wr_billing_usage_totals (WrBilling      *self,
                         guint           days,
                         const char     *project_id,
                         WrUsageTotals  *out_totals,
                         GError        **error)
{
  UsageRead read = { .query = USAGE_TOTALS, .project_id = project_id };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);
  g_return_val_if_fail (out_totals != NULL, FALSE);

  if (!run_usage_query (self, &read, days, error))
    return FALSE;

  *out_totals = read.totals;
  return TRUE;
}

/* Credits ---------------------------------------------------------------- */

gint64
wr_billing_get_balance (WrBilling  *self,
                        GError    **error)
{
  g_auto(ProfileRead) read = { .self = self };

  g_return_val_if_fail (WR_IS_BILLING (self), -1);

  if (!_wr_store_run_read (self->store, read_profile_tx, &read, error))
    return -1;

  return read.balance;
}

static gboolean
insert_ledger_row (WrBilling   *self,
                   const char  *id,
                   gint64       delta,
                   const char  *reason,
                   const char  *meta,
                   const char  *reservation_id,   /* for refunds and charges */
                   gint64       uncharged,
                   GError     **error)
{
  g_autoptr(WrDbStmt) stmt = NULL;

  if (reservation_id != NULL)
    stmt = prepare (self,
                    "INSERT INTO credit_ledger (id, delta, reason, meta, created_at, updated_at) "
                    "VALUES (?1, ?2, ?3, json_object('reservation', ?4, 'uncharged', ?5), ?6, ?6)",
                    error);
  else
    stmt = prepare (self,
                    "INSERT INTO credit_ledger (id, delta, reason, meta, created_at, updated_at) "
                    "VALUES (?1, ?2, ?3, COALESCE(?4, '{}'), ?6, ?6)",
                    error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, delta);
  bind_text (stmt, 3, reason);
  bind_text (stmt, 4, reservation_id != NULL ? reservation_id : meta);
  sqlite3_bind_int64 (stmt, 5, uncharged);
  sqlite3_bind_int64 (stmt, 6, billing_now (self));

  return run_done (self, stmt, error);
}

/* Moves the balance by @delta. A debit happens only if the balance covers
 * it, decided by the UPDATE itself: returns FALSE without @error when it
 * does not. */
static gboolean
move_balance (WrBilling  *self,
              gint64      delta,
              gboolean   *out_moved,
              GError    **error)
{
  g_autoptr(WrDbStmt) stmt =
    prepare (self,
             "UPDATE profile SET credits_balance = credits_balance + ?1, updated_at = ?2 "
             "WHERE id = " PROFILE_ID " AND credits_balance + ?1 >= 0 "
             "AND credits_balance <= ?3 - ?1",
             error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, delta);
  sqlite3_bind_int64 (stmt, 2, billing_now (self));
  sqlite3_bind_int64 (stmt, 3, MAX_BALANCE);
  if (!run_done (self, stmt, error))
    return FALSE;

  *out_moved = sqlite3_changes (sqlite3_db_handle (stmt)) == 1;
  return TRUE;
}

static gboolean
read_balance (WrBilling  *self,
              gint64     *out_balance,
              GError    **error)
{
  g_autoptr(WrDbStmt) stmt =
    prepare (self, "SELECT credits_balance FROM profile WHERE id = " PROFILE_ID, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                           _("The user profile is missing. Restart Workroom to create it again."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (self->store, rc, error);

  *out_balance = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static void
set_insufficient (GError **error,
                  gint64   needed,
                  gint64   balance)
{
  g_autofree char *needed_text = wr_billing_format_credits (needed);
  g_autofree char *balance_text = wr_billing_format_credits (balance);

  g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INSUFFICIENT_CREDITS,
               _("This needs %s credits but the balance is %s. Top up credits, "
                 "or choose a local model, to continue."),
               needed_text, balance_text);
}

typedef struct {
  WrBilling  *self;
  gint64      amount;
  const char *reason;
  const char *meta;
  const char *id;
  gint64      charged;    /* settle: out */
} CreditOp;

static gboolean
reserve_tx (sqlite3   *db,
            gpointer   data,
            GError   **error)
{
  CreditOp *op = data;
  gboolean moved = FALSE;

  if (!move_balance (op->self, -op->amount, &moved, error))
    return FALSE;

  if (!moved)
    {
      gint64 balance = 0;

      if (!read_balance (op->self, &balance, error))
        return FALSE;
      set_insufficient (error, op->amount, balance);
      return FALSE;
    }

  if (!insert_ledger_row (op->self, op->id, -op->amount, op->reason, op->meta, NULL, 0, error))
    return FALSE;

  {
    g_autoptr(WrDbStmt) stmt =
      prepare (op->self,
               "INSERT INTO credit_reservations (id, amount, created_at, updated_at) "
               "VALUES (?1, ?2, ?3, ?3)",
               error);

    if (stmt == NULL)
      return FALSE;

    bind_text (stmt, 1, op->id);
    sqlite3_bind_int64 (stmt, 2, op->amount);
    sqlite3_bind_int64 (stmt, 3, billing_now (op->self));
    return run_done (op->self, stmt, error);
  }
}

static gboolean
check_amount (gint64    amount,
              gboolean  allow_zero,
              GError  **error)
{
  if (amount < (allow_zero ? 0 : 1) || amount > MAX_BALANCE)
    {
      g_autofree char *max_text = wr_billing_format_credits (MAX_BALANCE);

      g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                   _("An amount of credits must be more than 0 and at most %s. "
                     "Correct it and try again."),
                   max_text);
      return FALSE;
    }

  return TRUE;
}

gboolean
wr_billing_reserve (WrBilling   *self,
                    gint64       amount,
                    const char  *reason,
                    const char  *meta,
                    char       **out_reservation_id,
                    GError     **error)
{
  g_autofree char *id = wr_new_id ();
  CreditOp op = { self, amount, reason != NULL ? reason : "chat_usage", meta, id, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if (!check_amount (amount, TRUE, error))
    return FALSE;

  if (!run_write (self, reserve_tx, &op, error))
    return FALSE;

  if (out_reservation_id != NULL)
    *out_reservation_id = g_steal_pointer (&id);

  return TRUE;
}

static gboolean
settle_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  CreditOp *op = data;
  WrBilling *self = op->self;
  gint64 reserved;
  gint64 charged;

  {
    g_autoptr(WrDbStmt) stmt =
      prepare (self,
               "SELECT amount, settled_at IS NOT NULL, settled_amount "
               "FROM credit_reservations WHERE id = ?1",
               error);
    int rc;

    if (stmt == NULL)
      return FALSE;

    bind_text (stmt, 1, op->id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_NOT_FOUND,
                     _("There is no credit reservation “%s”. It may belong to "
                       "another Workroom database."),
                     op->id);
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      return _wr_store_sqlite_error (self->store, rc, error);

    reserved = sqlite3_column_int64 (stmt, 0);
    if (sqlite3_column_int (stmt, 1) != 0)
      {
        /* Settled before: nothing more to do. */
        op->charged = sqlite3_column_int64 (stmt, 2);
        return TRUE;
      }
  }

  charged = reserved;
  if (op->amount < reserved)
    {
      g_autofree char *ledger_id = wr_new_id ();
      gboolean moved = FALSE;

      if (!move_balance (self, reserved - op->amount, &moved, error))
        return FALSE;
      if (!moved)
        {
          g_set_error_literal (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                               _("The credit balance is at its maximum; the refund "
                                 "cannot be added. Report this problem."));
          return FALSE;
        }
      if (!insert_ledger_row (self, ledger_id, reserved - op->amount, "refund", NULL,
                              op->id, 0, error))
        return FALSE;
      charged = op->amount;
    }
  else if (op->amount > reserved)
    {
      g_autofree char *ledger_id = wr_new_id ();
      gint64 wanted = op->amount - reserved;
      gint64 balance = 0;
      gint64 extra;

      /* Inside BEGIN IMMEDIATE: nobody can change the balance between this
       * read and the update below. */
      if (!read_balance (self, &balance, error))
        return FALSE;

      extra = MIN (wanted, balance);
      if (extra > 0)
        {
          gboolean moved = FALSE;

          if (!move_balance (self, -extra, &moved, error))
            return FALSE;
          g_assert (moved);
        }
      if (!insert_ledger_row (self, ledger_id, -extra, "charge", NULL, op->id, wanted - extra, error))
        return FALSE;
      charged = reserved + extra;
    }

  {
    g_autoptr(WrDbStmt) stmt =
      prepare (self,
               "UPDATE credit_reservations SET settled_amount = ?2, settled_at = ?3, "
               "updated_at = ?3 WHERE id = ?1 AND settled_at IS NULL",
               error);

    if (stmt == NULL)
      return FALSE;

    bind_text (stmt, 1, op->id);
    sqlite3_bind_int64 (stmt, 2, charged);
    sqlite3_bind_int64 (stmt, 3, billing_now (self));
    if (!run_done (self, stmt, error))
      return FALSE;
  }

  op->charged = charged;
  return TRUE;
}

gboolean
wr_billing_settle (WrBilling   *self,
                   const char  *reservation_id,
                   gint64       actual_amount,
                   gint64      *out_charged,
                   GError     **error)
{
  CreditOp op = { self, actual_amount, NULL, NULL, reservation_id, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);
  g_return_val_if_fail (reservation_id != NULL, FALSE);

  if (!check_amount (actual_amount, TRUE, error))
    return FALSE;

  if (!run_write (self, settle_tx, &op, error))
    return FALSE;

  if (out_charged != NULL)
    *out_charged = op.charged;

  return TRUE;
}

static gboolean
topup_tx (sqlite3   *db,
          gpointer   data,
          GError   **error)
{
  CreditOp *op = data;
  gboolean moved = FALSE;

  if (!move_balance (op->self, op->amount, &moved, error))
    return FALSE;

  if (!moved)
    {
      g_autofree char *max_text = wr_billing_format_credits (MAX_BALANCE);

      g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                   _("The balance cannot go above %s credits. Top up a smaller amount."),
                   max_text);
      return FALSE;
    }

  return insert_ledger_row (op->self, op->id, op->amount, op->reason, op->meta, NULL, 0, error);
}

gboolean
wr_billing_topup (WrBilling   *self,
                  gint64       amount,
                  const char  *reason,
                  GError     **error)
{
  g_autofree char *id = wr_new_id ();
  CreditOp op = { self, amount, reason != NULL ? reason : "topup", NULL, id, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if (!check_amount (amount, FALSE, error))
    return FALSE;

  return run_write (self, topup_tx, &op, error);
}

typedef struct {
  WrBilling *self;
  gint64     before;
  guint      released;
} StaleOp;

static gboolean
release_stale_tx (sqlite3   *db,
                  gpointer   data,
                  GError   **error)
{
  StaleOp *stale = data;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  {
    g_autoptr(WrDbStmt) stmt =
      prepare (stale->self,
               "SELECT id FROM credit_reservations "
               "WHERE settled_at IS NULL AND deleted_at IS NULL AND created_at < ?1",
               error);
    int rc;

    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, stale->before);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    if (rc != SQLITE_DONE)
      return _wr_store_sqlite_error (stale->self->store, rc, error);
  }

  for (guint i = 0; i < ids->len; i++)
    {
      CreditOp op = { stale->self, 0, NULL, NULL, g_ptr_array_index (ids, i), 0 };

      if (!settle_tx (db, &op, error))
        return FALSE;
    }

  stale->released = ids->len;
  return TRUE;
}

gboolean
wr_billing_release_stale_reservations (WrBilling  *self,
                                       gint64      max_age_usec,
                                       guint      *out_released,
                                       GError    **error)
{
  StaleOp stale = { self, billing_now (self) - max_age_usec, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);
  g_return_val_if_fail (max_age_usec >= 0, FALSE);

  if (out_released != NULL)
    *out_released = 0;
  if (!run_write (self, release_stale_tx, &stale, error))
    return FALSE;
  if (out_released != NULL)
    *out_released = stale.released;
  return TRUE;
}

static gboolean
welcome_tx (sqlite3   *db,
            gpointer   data,
            GError   **error)
{
  CreditOp *op = data;
  g_autoptr(WrDbStmt) stmt =
    prepare (op->self, "SELECT 1 FROM credit_ledger WHERE reason = 'welcome' LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;   /* given before */
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID, "%s", sqlite3_errmsg (db));
      return FALSE;
    }

  if (!topup_tx (db, op, error))
    return FALSE;
  op->charged = op->amount;
  return TRUE;
}

gboolean
wr_billing_grant_welcome (WrBilling   *self,
                          gint64       amount,
                          gint64      *out_granted,
                          GError     **error)
{
  g_autofree char *id = wr_new_id ();
  CreditOp op = { self, amount, "welcome", NULL, id, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if (out_granted != NULL)
    *out_granted = 0;
  if (amount == 0)
    return TRUE;
  if (!check_amount (amount, FALSE, error))
    return FALSE;
  if (!run_write (self, welcome_tx, &op, error))
    return FALSE;

  if (out_granted != NULL)
    *out_granted = op.charged;
  return TRUE;
}

typedef struct {
  WrBilling *self;
  guint      limit;
  GPtrArray *rows;
  gint64     balance;
  gint64     sum;
  gint64     min_prefix;
} LedgerRead;

static gboolean
list_ledger_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  LedgerRead *read = data;
  g_autoptr(WrDbStmt) stmt =
    prepare (read->self,
             "SELECT id, delta, reason, meta, created_at FROM credit_ledger "
             "WHERE deleted_at IS NULL ORDER BY rowid DESC LIMIT ?1",
             error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, read->limit == 0 ? -1 : (gint64) read->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WrLedgerEntry *entry = g_new0 (WrLedgerEntry, 1);

      entry->id = column_dup (stmt, 0);
      entry->delta = sqlite3_column_int64 (stmt, 1);
      entry->reason = column_dup (stmt, 2);
      entry->meta = column_dup (stmt, 3);
      entry->created_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (read->rows, entry);
    }

  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (read->self->store, rc, error);

  return TRUE;
}

GPtrArray *
wr_billing_list_ledger (WrBilling  *self,
                        guint       limit,
                        GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_ledger_entry_free);
  LedgerRead read = { self, limit, rows, 0, 0, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  if (!_wr_store_run_read (self->store, list_ledger_tx, &read, error))
    return NULL;

  return g_steal_pointer (&rows);
}

static gboolean
verify_ledger_tx (sqlite3   *db,
                  gpointer   data,
                  GError   **error)
{
  LedgerRead *read = data;
  /* Rows are inserted under the write lock, so rowid order is commit
   * order: every prefix is a balance the profile once had. */
  g_autoptr(WrDbStmt) stmt =
    prepare (read->self,
             "SELECT COALESCE(SUM(delta), 0), MIN(0, COALESCE(MIN(prefix), 0)) FROM "
             "(SELECT delta, SUM(delta) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) AS prefix "
             " FROM credit_ledger)",
             error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (read->self->store, rc, error);

  read->sum = sqlite3_column_int64 (stmt, 0);
  read->min_prefix = sqlite3_column_int64 (stmt, 1);

  return read_balance (read->self, &read->balance, error);
}

gboolean
wr_billing_verify_ledger (WrBilling  *self,
                          gint64     *out_sum,
                          gint64     *out_min_prefix,
                          GError    **error)
{
  LedgerRead read = { self, 0, NULL, 0, 0, 0 };

  g_return_val_if_fail (WR_IS_BILLING (self), FALSE);

  if (!_wr_store_run_read (self->store, verify_ledger_tx, &read, error))
    return FALSE;

  if (out_sum != NULL)
    *out_sum = read.sum;
  if (out_min_prefix != NULL)
    *out_min_prefix = read.min_prefix;

  if (read.sum != read.balance || read.min_prefix < 0)
    {
      g_autofree char *balance_text = wr_billing_format_credits (read.balance);
      g_autofree char *sum_text = wr_billing_format_credits (read.sum);
      g_autofree char *min_text = wr_billing_format_credits (read.min_prefix);

      g_set_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID,
                   _("The credit balance (%s) does not match its ledger (sum %s, "
                     "lowest %s). Report this problem."),
                   balance_text, sum_text, min_text);
      return FALSE;
    }

  return TRUE;
}

/* Formatting ------------------------------------------------------------- */

char *
wr_billing_format_credits (gint64 micros)
{
  guint64 magnitude = micros < 0 ? (guint64) 0 - (guint64) micros : (guint64) micros;
  char frac[8];
  int len;

  g_snprintf (frac, sizeof frac, "%06" G_GUINT64_FORMAT, magnitude % 1000000);
  for (len = 6; len > 2 && frac[len - 1] == '0'; len--)
    ;
  frac[len] = '\0';

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", micros < 0 ? "-" : "",
                          magnitude / 1000000, frac);
}

gboolean
wr_billing_parse_credits (const char *text,
                          gint64     *out_micros)
{
  gint64 whole = 0;
  gint64 frac = 0;
  int frac_digits = 0;
  gboolean any = FALSE;
  const char *p = text;

  g_return_val_if_fail (out_micros != NULL, FALSE);

  if (p == NULL)
    return FALSE;

  for (; g_ascii_isdigit (*p); p++)
    {
      whole = whole * 10 + (*p - '0');
      any = TRUE;
      if (whole > MAX_BALANCE / MICROS_PER_CREDIT)
        return FALSE;
    }

  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      {
        if (++frac_digits > 6)
          return FALSE;
        frac = frac * 10 + (*p - '0');
        any = TRUE;
      }

  if (!any || *p != '\0')
    return FALSE;

  for (; frac_digits < 6; frac_digits++)
    frac *= 10;

  *out_micros = whole * MICROS_PER_CREDIT + frac;
  return TRUE;
}

/* GObject ---------------------------------------------------------------- */

static void
wr_billing_dispose (GObject *object)
{
  WrBilling *self = WR_BILLING (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (wr_billing_parent_class)->dispose (object);
}

static void
wr_billing_finalize (GObject *object)
{
  WrBilling *self = WR_BILLING (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (wr_billing_parent_class)->finalize (object);
}

static void
wr_billing_class_init (WrBillingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_billing_dispose;
  object_class->finalize = wr_billing_finalize;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wr_billing_init (WrBilling *self)
{
  self->context = g_main_context_ref_thread_default ();
}

WrBilling *
wr_billing_new (WrStore *store)
{
  WrBilling *self;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);

  self = g_object_new (WR_TYPE_BILLING, NULL);
  self->store = g_object_ref (store);

  return self;
}

WrStore *
wr_billing_get_store (WrBilling *self)
{
  g_return_val_if_fail (WR_IS_BILLING (self), NULL);

  return self->store;
}

void
_wr_billing_set_now (WrBilling *self,
                     gint64     now_usec)
{
  g_return_if_fail (WR_IS_BILLING (self));

  self->fake_now = now_usec;
}

/* Async ------------------------------------------------------------------ */

typedef struct {
  guint  days;
  char  *project_id;
} ListArgs;

static void
list_args_free (gpointer data)
{
  ListArgs *args = data;

  g_free (args->project_id);
  g_free (args);
}

static void
usage_by_day_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ListArgs *args = task_data;
  GError *error = NULL;
  GPtrArray *rows;

  if (g_task_return_error_if_cancelled (task))
    return;

  rows = wr_billing_usage_by_day (source_object, args->days, args->project_id, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_ledger_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ListArgs *args = task_data;
  GError *error = NULL;
  GPtrArray *rows;

  if (g_task_return_error_if_cancelled (task))
    return;

  rows = wr_billing_list_ledger (source_object, args->days, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
run_list_async (WrBilling           *self,
                guint                number,
                const char          *project_id,
                GTaskThreadFunc      func,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListArgs *args = g_new0 (ListArgs, 1);

  args->days = number;
  args->project_id = g_strdup (project_id);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, args, list_args_free);
  g_task_run_in_thread (task, func);
}

void
wr_billing_usage_by_day_async (WrBilling           *self,
                               guint                days,
                               const char          *project_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (WR_IS_BILLING (self));

  run_list_async (self, days, project_id, usage_by_day_thread, wr_billing_usage_by_day_async,
                  cancellable, callback, user_data);
}

GPtrArray *
wr_billing_usage_by_day_finish (WrBilling     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_billing_usage_by_day_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
wr_billing_list_ledger_async (WrBilling           *self,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (WR_IS_BILLING (self));

  run_list_async (self, limit, NULL, list_ledger_thread, wr_billing_list_ledger_async,
                  cancellable, callback, user_data);
}

GPtrArray *
wr_billing_list_ledger_finish (WrBilling     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_billing_list_ledger_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  gint64  amount;
  char   *reason;
} TopupArgs;

static void
topup_args_free (gpointer data)
{
  TopupArgs *args = data;

  g_free (args->reason);
  g_free (args);
}

static void
topup_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TopupArgs *args = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (wr_billing_topup (source_object, args->amount, args->reason, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
wr_billing_topup_async (WrBilling           *self,
                        gint64               amount,
                        const char          *reason,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TopupArgs *args;

  g_return_if_fail (WR_IS_BILLING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  args = g_new0 (TopupArgs, 1);
  args->amount = amount;
  args->reason = g_strdup (reason);
  g_task_set_source_tag (task, wr_billing_topup_async);
  g_task_set_task_data (task, args, topup_args_free);
  /* Once started, a top-up commits even if the caller stops waiting: the
   * cancellable only stops one that has not begun. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, topup_thread);
}

gboolean
wr_billing_topup_finish (WrBilling     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_billing_topup_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
