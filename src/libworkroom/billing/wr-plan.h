/* wr-plan.h — the plans Workroom knows: presets, not rows. The profile
 * names one ("free", "pro", "enterprise"); billing enforces what it allows.
 *
 *   plan        tokens/day   models                          credits
 *   free        10,000       small ones (see below) + local  charged
 *   pro         250,000      all                             charged
 *   enterprise  unlimited    all                             not charged
 *
 * Models are matched case-insensitively against glob patterns. Free allows
 * "*-mini*", "*-nano*", "*flash*", "*haiku*", "*-small*" (gpt-4o-mini,
 * o3-mini, gpt-4.1-nano, gemini-2.0-flash, claude-3-5-haiku,
 * mistral-small…; note "gemini-1.5-pro" is not matched by "*-mini*"). Models
 * of a local provider (base URL on the loopback interface, e.g. Ollama) are
 * allowed on every plan and never cost credits.
 *
 * Features (wr_plan_list_features()): "humanize", "knowledge" on every plan;
 * "tasks", "operator", "connectors", "datasets" from pro; "teams" on
 * enterprise.
 *
 * A profile's own daily_token_limit, when set, replaces the plan's.
 *
 * Threading: presets are immutable and may be used from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_TYPE_PLAN (wr_plan_get_type ())
G_DECLARE_FINAL_TYPE (WrPlan, wr_plan, WR, PLAN, GObject)

/* The preset named @name, or NULL when there is none (transfer none; presets
 * live as long as the process). */
WrPlan             *wr_plan_lookup              (const char *name);
/* All presets, cheapest first, NULL-terminated (transfer none). */
WrPlan * const     *wr_plan_list_presets        (void);
/* Every feature name a plan can allow, NULL-terminated (transfer none). */
const char * const *wr_plan_list_features       (void);

/* properties: "name" ("free" | "pro" | "enterprise"), "title" (translated),
 * "daily-token-limit" (-1 = none), "charges-credits" */
const char         *wr_plan_get_name            (WrPlan     *self);
const char         *wr_plan_get_title           (WrPlan     *self);
gint64              wr_plan_get_daily_token_limit (WrPlan   *self);
/* Whether calls to non-local models reserve and settle credits. */
gboolean            wr_plan_get_charges_credits (WrPlan     *self);
/* NULL-terminated (transfer none). */
const char * const *wr_plan_get_model_patterns  (WrPlan     *self);
const char * const *wr_plan_get_features        (WrPlan     *self);

gboolean            wr_plan_allows_model        (WrPlan     *self,
                                                 const char *model,
                                                 gboolean    provider_is_local);
gboolean            wr_plan_allows_feature      (WrPlan     *self,
                                                 const char *feature);

G_END_DECLS
