/* wr-humanize-tone.h — a tone the humanize page can rewrite text in: one of
 * the four built-in ones ("professional", "humorous", "caring", "bold") or
 * one the user added. Immutable once made, so it may be passed between
 * threads; WrHumanizer makes them (see wr-humanizer.h for the calls that
 * add, edit and delete user tones).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_TYPE_HUMANIZE_TONE (wr_humanize_tone_get_type ())
G_DECLARE_FINAL_TYPE (WrHumanizeTone, wr_humanize_tone, WR, HUMANIZE_TONE, GObject)

/* properties (construct-only): "id" (a built-in's stable name, or a user
 * tone's row id), "name" (shown to people; translated for built-ins),
 * "instructions" (tells the model how to write in this tone), "builtin",
 * "created-at", "updated-at" (µs since the epoch; 0 for built-ins) */
WrHumanizeTone *wr_humanize_tone_new              (const char     *id,
                                                   const char     *name,
                                                   const char     *instructions,
                                                   gboolean        builtin,
                                                   gint64          created_at,
                                                   gint64          updated_at);
const char     *wr_humanize_tone_get_id           (WrHumanizeTone *self);
const char     *wr_humanize_tone_get_name         (WrHumanizeTone *self);
const char     *wr_humanize_tone_get_instructions (WrHumanizeTone *self);
gboolean        wr_humanize_tone_get_builtin      (WrHumanizeTone *self);
gint64          wr_humanize_tone_get_created_at   (WrHumanizeTone *self);
gint64          wr_humanize_tone_get_updated_at   (WrHumanizeTone *self);

G_END_DECLS
