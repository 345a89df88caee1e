/* wr-humanize-rewrite.h — one rewrite of the humanize page, as stored in
 * its history: the text given, the tone, what the model wrote and which
 * model and provider answered. Immutable once made, so it may be passed
 * between threads; WrHumanizer makes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "store/wr-message.h"

G_BEGIN_DECLS

#define WR_TYPE_HUMANIZE_REWRITE (wr_humanize_rewrite_get_type ())
G_DECLARE_FINAL_TYPE (WrHumanizeRewrite, wr_humanize_rewrite, WR, HUMANIZE_REWRITE, GObject)

/* properties (construct-only):
 *   "id", "project-id" (nullable: made without a project, e.g. the CLI),
 *   "tone-id" (a built-in's stable name or a user tone's id),
 *   "tone-name" (shown to people; the id when the tone is gone),
 *   "model", "provider-id" (what answered; nullable when nothing did),
 *   "input", "output" (never NULL),
 *   "status" (WrMessageStatus: complete, or partial when the stream broke
 *     or was stopped; the history only keeps rewrites that produced text),
 *   "route-note" (nullable, not stored: why another provider answered),
 *   "created-at", "updated-at" (µs since the epoch) */
const char      *wr_humanize_rewrite_get_id          (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_project_id  (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_tone_id     (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_tone_name   (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_model       (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_provider_id (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_input       (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_output      (WrHumanizeRewrite *self);
WrMessageStatus  wr_humanize_rewrite_get_status      (WrHumanizeRewrite *self);
const char      *wr_humanize_rewrite_get_route_note  (WrHumanizeRewrite *self);
gint64           wr_humanize_rewrite_get_created_at  (WrHumanizeRewrite *self);
gint64           wr_humanize_rewrite_get_updated_at  (WrHumanizeRewrite *self);

/* The first non-blank line of the output (else of the input), at most
 * @max_chars characters with "…" when cut: for lists. (transfer full) */
char            *wr_humanize_rewrite_dup_summary     (WrHumanizeRewrite *self,
                                                      guint              max_chars);

G_END_DECLS
