/* wr-billing.h — plans and their gates, token usage, the daily token limit,
 * model prices and the credits ledger, over the store's database.
 *
 * Money is integers only: prices in millionths of a currency unit per
 * million tokens, costs and credits in micro-credits (1 credit =
 * 1,000,000 micro-credits = one currency unit of model cost).
 *
 * Who pays credits: a call to a model of a non-local provider when the
 * profile's plan charges credits (free and pro; enterprise does not, see
 * wr-plan.h). Such a call reserves its estimated cost before it starts and
 * settles to its actual cost afterwards. Local providers (base URL on the
 * loopback interface) cost nothing and are never gated.
 *
 * Intended call sequence for one model call (the chat service):
 *
 *   before the request
 *     plan = wr_billing_get_plan ()
 *     wr_billing_check_model (plan, model, is_local)     MODEL_NOT_ALLOWED
 *     est_in = wr_billing_estimate_tokens (prompt text)  (if no better count)
 *     wr_billing_check_quota (est_in + expected output)  QUOTA_EXCEEDED
 *     if wr_billing_call_charges_credits (plan, is_local):
 *       cost = wr_billing_cost_micros (model, est_in, expected output)
 *       wr_billing_reserve (cost, "chat_usage", meta, &reservation)
 *                                                        INSUFFICIENT_CREDITS
 *   after the request (also when it failed or was cancelled)
 *     record = usage row with the provider's token counts, or estimates with
 *              estimated = TRUE; cost_micros = -1 to price it here, 0 if local
 *     wr_billing_record_usage (record)
 *     if reservation: wr_billing_settle (reservation, record->cost_micros)
 *
 * The quota check is advisory between concurrent calls (two calls may both
 * pass and together go a little over); credits are exact: a reservation
 * succeeds only when the balance covers it, atomically, across processes.
 *
 * Threading: a WrBilling may be used from any thread. Every call blocks on
 * SQLite (normally well under a millisecond, up to ~15 s when another
 * process holds the write lock): call from a worker thread, the CLI or
 * tests, or use the _async variants from the GUI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/wr-store.h"
#include "billing/wr-plan.h"

G_BEGIN_DECLS

#define WR_BILLING_ERROR (wr_billing_error_quark ())

typedef enum {
  WR_BILLING_ERROR_MODEL_NOT_ALLOWED,     /* the plan does not include the model */
  WR_BILLING_ERROR_FEATURE_NOT_ALLOWED,   /* the plan does not include the feature */
  WR_BILLING_ERROR_QUOTA_EXCEEDED,        /* today's token limit would be passed */
  WR_BILLING_ERROR_INSUFFICIENT_CREDITS,  /* the balance does not cover the amount */
  WR_BILLING_ERROR_NOT_FOUND,             /* no such reservation */
  WR_BILLING_ERROR_INVALID,               /* bad amount, plan name or price */
} WrBillingError;

GQuark wr_billing_error_quark (void);

/* Usage records --------------------------------------------------------- */

typedef enum {
  WR_USAGE_OUTCOME_OK,
  WR_USAGE_OUTCOME_PARTIAL,     /* the reply stopped part way */
  WR_USAGE_OUTCOME_ERROR,
  WR_USAGE_OUTCOME_CANCELLED,
} WrUsageOutcome;

const char *wr_usage_outcome_to_string   (WrUsageOutcome  outcome);
gboolean    wr_usage_outcome_from_string (const char     *text,
                                          WrUsageOutcome *out_outcome);

/* One model call. Strings are owned; NULL means none. */
typedef struct {
  char           *id;             /* assigned by record_usage when NULL */
  gint64          created_at;     /* µs since the epoch; 0 = now */
  char           *project_id;
  char           *chat_id;
  char           *message_id;
  char           *model;
  char           *provider_id;
  gint64          input_tokens;
  gint64          output_tokens;
  gboolean        estimated;      /* counts guessed, not reported by the provider */
  gint64          cost_micros;    /* -1 = price it from the table; stored NULL if still unknown */
  gint64          latency_ms;     /* -1 = unknown */
  WrUsageOutcome  outcome;
} WrUsageRecord;

#define WR_TYPE_USAGE_RECORD (wr_usage_record_get_type ())
GType          wr_usage_record_get_type (void) G_GNUC_CONST;
/* Zero tokens, cost -1, latency -1, outcome ok. */
WrUsageRecord *wr_usage_record_new      (void);
WrUsageRecord *wr_usage_record_copy     (const WrUsageRecord *record);
void           wr_usage_record_free     (WrUsageRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrUsageRecord, wr_usage_record_free)

/* Tokens and cost of one model on one local day. */
typedef struct {
  char   *day;              /* "YYYY-MM-DD", local time */
  char   *model;            /* "" when the calls named none */
  gint64  calls;
  gint64  input_tokens;
  gint64  output_tokens;
  gint64  cost_micros;      /* sum of the known costs */
} WrUsageDay;

#define WR_TYPE_USAGE_DAY (wr_usage_day_get_type ())
GType       wr_usage_day_get_type (void) G_GNUC_CONST;
WrUsageDay *wr_usage_day_copy     (const WrUsageDay *day);
void        wr_usage_day_free     (WrUsageDay *day);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrUsageDay, wr_usage_day_free)

typedef struct {
  gint64 calls;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cost_micros;
  gint64 estimated_calls;   /* calls whose counts were estimated */
} WrUsageTotals;

/* Credits ---------------------------------------------------------------- */

/* One ledger row: a credit movement. */
typedef struct {
  char   *id;
  gint64  delta;       /* micro-credits; + top-up or refund, - reservation or charge */
  char   *reason;      /* "topup", "refund", "charge", or the reserver's reason */
  char   *meta;        /* JSON object text */
  gint64  created_at;
} WrLedgerEntry;

#define WR_TYPE_LEDGER_ENTRY (wr_ledger_entry_get_type ())
GType          wr_ledger_entry_get_type (void) G_GNUC_CONST;
WrLedgerEntry *wr_ledger_entry_copy     (const WrLedgerEntry *entry);
void           wr_ledger_entry_free     (WrLedgerEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrLedgerEntry, wr_ledger_entry_free)

/* Prices ----------------------------------------------------------------- */

typedef struct {
  char     *pattern;                 /* glob over lowercase model names */
  gint64    input_micros_per_mtok;   /* per million input tokens */
  gint64    output_micros_per_mtok;
  gboolean  custom;                  /* set by the user (else built in) */
  char     *capabilities;            /* nullable: what the user says models of
                                      * @pattern can do, a canonical comma list
                                      * ("chat,vision", "embeddings") */
} WrModelPrice;

#define WR_TYPE_MODEL_PRICE (wr_model_price_get_type ())
GType         wr_model_price_get_type (void) G_GNUC_CONST;
WrModelPrice *wr_model_price_copy     (const WrModelPrice *price);
void          wr_model_price_free     (WrModelPrice *price);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrModelPrice, wr_model_price_free)

/* WrBilling -------------------------------------------------------------- */

#define WR_TYPE_BILLING (wr_billing_get_type ())
G_DECLARE_FINAL_TYPE (WrBilling, wr_billing, WR, BILLING, GObject)

/* Signal "changed": a write through this object committed (usage
 * recorded, credits moved, plan, limit or a price changed), from whichever
 * thread wrote. Emitted once per burst of writes, from an idle in the main
 * context that was the thread-default one when the object was created (the
 * GUI's), so views can reload. Writes by other WrBilling objects or other
 * processes are not seen. */

WrBilling  *wr_billing_new                 (WrStore        *store);
WrStore    *wr_billing_get_store           (WrBilling      *self);

/* Whether @base_url points at this machine (loopback address or
 * "localhost"): such providers are local — free and never gated. */
gboolean    wr_billing_is_local_url        (const char     *base_url);

/* Plans: the profile's plan (transfer none; an unknown name in the database
 * reads as "free"), and changing it. The profile's own daily limit is kept
 * across plan changes. */
WrPlan     *wr_billing_get_plan            (WrBilling      *self,
                                            GError        **error);
gboolean    wr_billing_set_plan            (WrBilling      *self,
                                            const char     *name,
                                            GError        **error);
/* The profile's own limit, replacing the plan's; -1 = use the plan's. */
gboolean    wr_billing_set_daily_token_limit (WrBilling    *self,
                                            gint64          limit,
                                            GError        **error);

/* Gates. @plan NULL = the profile's plan. */
gboolean    wr_billing_check_model         (WrBilling      *self,
                                            WrPlan         *plan,
                                            const char     *model,
                                            gboolean        provider_is_local,
                                            GError        **error);
gboolean    wr_billing_check_feature       (WrBilling      *self,
                                            WrPlan         *plan,
                                            const char     *feature,
                                            GError        **error);
gboolean    wr_billing_call_charges_credits (WrPlan        *plan,
                                            gboolean        provider_is_local);

/* Daily token limit. A day is local time, midnight to midnight. The limit is
 * the profile's own when set, else the plan's; -1 = none. */
gboolean    wr_billing_get_quota           (WrBilling      *self,
                                            gint64         *out_used_today,
                                            gint64         *out_limit,
                                            gint64         *out_resets_at,   /* µs, next local midnight */
                                            GError        **error);
/* Fails with QUOTA_EXCEEDED when today's tokens + @estimated_tokens would
 * pass the limit; the message gives the limit and the reset time. */
gboolean    wr_billing_check_quota         (WrBilling      *self,
                                            gint64          estimated_tokens,
                                            GError        **error);

/* About four characters per token, at least one for non-empty text: for
 * providers that report no counts (mark the record estimated). */
gint64      wr_billing_estimate_tokens     (const char     *text);

/* Prices: the user's over the built-in ones; for a model, the matching
 * pattern with the most literal characters wins (the user's on a tie), so
 * "gpt-4o-mini*" beats "gpt-4o*"; a built-in "*" default catches the rest.
 * Local models cost 0: do not price them. Returns -1 with @error on a
 * database error. Rounds up to whole micros. */
gint64      wr_billing_cost_micros         (WrBilling      *self,
                                            const char     *model,
                                            gint64          input_tokens,
                                            gint64          output_tokens,
                                            GError        **error);
GPtrArray  *wr_billing_list_prices         (WrBilling      *self,   /* element-type WrModelPrice, by pattern */
                                            GError        **error);
gboolean    wr_billing_set_price           (WrBilling      *self,
                                            const char     *pattern,
                                            gint64          input_micros_per_mtok,
                                            gint64          output_micros_per_mtok,
                                            GError        **error);
/* Drops the user's price for @pattern (the built-in one, if any, applies
 * again). */
gboolean    wr_billing_reset_price         (WrBilling      *self,
                                            const char     *pattern,
                                            GError        **error);
/* The price that applies to @model (transfer full): the pattern
 * wr_billing_cost_micros picks, with its prices and capabilities. */
WrModelPrice *wr_billing_get_model_price   (WrBilling      *self,
                                            const char     *model,
                                            GError        **error);
/* What models matching @pattern can do, as the user says: a comma list of
 * "chat", "vision", "embeddings" (any order, spaces allowed; INVALID when
 * empty or for another word). Stored canonical. A pattern without a price
 * row gets one carrying the price that applies to it now, so setting
 * capabilities never changes a price. */
gboolean    wr_billing_set_capabilities    (WrBilling      *self,
                                            const char     *pattern,
                                            const char     *capabilities,
                                            GError        **error);
/* Back to the built-in guess for @pattern. A row that then says nothing
 * beyond the price that would apply without it is dropped. */
gboolean    wr_billing_reset_capabilities  (WrBilling      *self,
                                            const char     *pattern,
                                            GError        **error);
/* A canonical capability list for @text (transfer full), or NULL with
 * INVALID. */
char       *wr_billing_normalize_capabilities (const char  *text,
                                            GError        **error);

/* A snapshot of the whole price table (one read), to price many models
 * without a read each (the model catalogue). Immutable; any thread. */
typedef struct _WrPriceTable WrPriceTable;

#define WR_TYPE_PRICE_TABLE (wr_price_table_get_type ())
GType         wr_price_table_get_type  (void) G_GNUC_CONST;
WrPriceTable *wr_billing_load_price_table (WrBilling   *self,
                                           GError     **error);
WrPriceTable *wr_price_table_ref       (WrPriceTable *self);
void          wr_price_table_unref     (WrPriceTable *self);
/* The price for @model, picked exactly as wr_billing_cost_micros picks it
 * (transfer none, never NULL: the "*" default catches every name). */
const WrModelPrice *wr_price_table_match (WrPriceTable *self,
                                          const char   *model);
/* Of the rows with capabilities, the best match for @model by the same
 * rule; NULL when none matches (transfer none). */
const WrModelPrice *wr_price_table_match_capabilities (WrPriceTable *self,
                                                       const char   *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrPriceTable, wr_price_table_unref)

/* Usage. Stores @record (inout: id, created_at and a cost of -1 are filled
 * in). */
gboolean    wr_billing_record_usage        (WrBilling      *self,
                                            WrUsageRecord  *record,
                                            GError        **error);
/* @days: today and the @days - 1 days before it (local time); 0 = all.
 * @project_id: NULL = all projects. */
GPtrArray  *wr_billing_list_usage          (WrBilling      *self,   /* element-type WrUsageRecord, newest first */
                                            guint           days,
                                            const char     *project_id,
                                            GError        **error);
GPtrArray  *wr_billing_usage_by_day        (WrBilling      *self,   /* element-type WrUsageDay, by day then model */
                                            guint           days,
                                            const char     *project_id,
                                            GError        **error);
gboolean    wr_billing_usage_totals        (WrBilling      *self,
                                            guint           days,
                                            const char     *project_id,
                                            WrUsageTotals  *out_totals,
                                            GError        **error);

/* Credits. Amounts in micro-credits. */
gint64      wr_billing_get_balance         (WrBilling      *self,   /* -1 on error */
                                            GError        **error);
/* Takes @amount from the balance, in one transaction with its ledger row,
 * only if the balance covers it (else INSUFFICIENT_CREDITS and nothing
 * changes). @meta: JSON object text or NULL. */
gboolean    wr_billing_reserve             (WrBilling      *self,
                                            gint64          amount,
                                            const char     *reason,
                                            const char     *meta,
                                            char          **out_reservation_id,   /* transfer full */
                                            GError        **error);
/* Settles a reservation to @actual_amount: refunds what was reserved beyond
 * it, or charges the rest only as far as the balance goes (never below
 * zero). Once only: settling again changes nothing and returns TRUE.
 * @out_charged: the reservation's final charge. */
gboolean    wr_billing_settle              (WrBilling      *self,
                                            const char     *reservation_id,
                                            gint64          actual_amount,
                                            gint64         *out_charged,
                                            GError        **error);
gboolean    wr_billing_topup               (WrBilling      *self,
                                            gint64          amount,
                                            const char     *reason,   /* NULL = "topup" */
                                            GError        **error);
/* A call's reservation is settled within seconds of the call ending; one
 * still open after this long belongs to a process that ended mid-call (a
 * crash, kill -9, power loss). */
#define WR_BILLING_STALE_RESERVATION_USEC (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* Gives back, in full, every reservation open for longer than
 * @max_age_usec (ledger reason "refund"): what such a call cost is unknown,
 * and credits must not stay locked forever. One transaction. */
gboolean    wr_billing_release_stale_reservations (WrBilling *self,
                                                   gint64     max_age_usec,
                                                   guint     *out_released,
                                                   GError   **error);

/* Credits a new profile starts with, so cloud models answer before anyone
 * thinks of topping up: 5 credits (WORKROOM_WELCOME_CREDITS overrides it for
 * the session, "0" for none). */
#define WR_BILLING_WELCOME_CREDITS_MICROS G_GINT64_CONSTANT (5000000)

/* Gives @amount once per profile, ledger reason "welcome": does nothing
 * when a welcome grant was ever given (atomically, across processes).
 * @out_granted: what was given now (0 when nothing). */
gboolean    wr_billing_grant_welcome       (WrBilling      *self,
                                            gint64          amount,
                                            gint64         *out_granted,
                                            GError        **error);
/* @limit: 0 = all. */
GPtrArray  *wr_billing_list_ledger         (WrBilling      *self,   /* element-type WrLedgerEntry, newest first */
                                            guint           limit,
                                            GError        **error);
/* Checks, in one snapshot, that the cached balance equals the ledger's sum
 * and that no prefix of the ledger (in commit order) was negative. */
gboolean    wr_billing_verify_ledger       (WrBilling      *self,
                                            gint64         *out_sum,
                                            gint64         *out_min_prefix,
                                            GError        **error);

/* "12.5" style text for micro-credits (at least two decimals, no trailing
 * zeros beyond), and back; parsing is exact (no floating point). */
char       *wr_billing_format_credits      (gint64          micros);
gboolean    wr_billing_parse_credits       (const char     *text,
                                            gint64         *out_micros);

/* Async variants for the GUI: the same calls in a worker thread. */
void        wr_billing_usage_by_day_async  (WrBilling *self, guint days, const char *project_id,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
GPtrArray  *wr_billing_usage_by_day_finish (WrBilling *self, GAsyncResult *result, GError **error);
void        wr_billing_list_ledger_async   (WrBilling *self, guint limit, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
GPtrArray  *wr_billing_list_ledger_finish  (WrBilling *self, GAsyncResult *result, GError **error);
void        wr_billing_topup_async         (WrBilling *self, gint64 amount,
                                            const char *reason,   /* NULL = "topup" */
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean    wr_billing_topup_finish        (WrBilling *self, GAsyncResult *result, GError **error);

G_END_DECLS
