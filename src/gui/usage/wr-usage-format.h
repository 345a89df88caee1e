/* wr-usage-format.h — how the usage page writes numbers, credits and
 * ledger reasons. Plain functions, any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "workroom.h"

G_BEGIN_DECLS

/* "12,400": grouped with the locale's separator (a comma where the locale
 * has none, as in C). (transfer full) */
char *wr_usage_format_count   (gint64      value);
/* Short axis labels: "750", "1k", "2.5k", "250k", "1.5M". (transfer full) */
char *wr_usage_format_short   (gint64      value);
/* "12.50 credits" for micro-credits. (transfer full) */
char *wr_usage_format_credits (gint64      micros);
/* A ledger reason in words: "topup" → "Top-up", "chat_usage" → "Chat
 * reply", "refund" → "Refund"; others are made readable. (transfer full) */
char *wr_usage_describe_reason (const char *reason);
/* What @plan includes, in one line: "10,000 tokens a day · small models
 * and local ones · charges credits". (transfer full) */
char *wr_usage_describe_plan   (WrPlan     *plan);
/* "Includes Humanize, Knowledge". (transfer full) */
char *wr_usage_describe_features (WrPlan   *plan);
/* When a daily limit that resets at @resets_at (µs) resets, from @now:
 * "at midnight, in 5 hours". (transfer full) */
char *wr_usage_describe_reset  (gint64      resets_at,
                                gint64      now);

G_END_DECLS
