/* wr-humanizer.h — the humanize feature: rewrites a text in a tone
 * (professional, humorous, caring, bold, or one the user added) through
 * one metered, routed model call, and keeps the last rewrites of each
 * project.
 *
 * Tones: the four built-in ones have stable ids ("professional",
 * "humorous", "caring", "bold"), translated names and instructions written
 * for the model; they cannot be edited or deleted. User tones live in the
 * humanize_tones table; their names are unique among live tones and the
 * built-in ones, compared case-insensitively. Deleting one is a tombstone:
 * rewrites made in it still show its name.
 *
 * Rewriting: the system prompt is the tone's instructions plus rules that
 * tell the model to return only the rewritten text, keeping its meaning,
 * language and formatting; the text itself is the one user message. The
 * call goes through wr_chat_service_complete_async(), so it is metered,
 * routed and failed over like a chat reply. When the chat service has a
 * WrBilling, the plan's "humanize" feature gate is checked first. Before
 * any call, empty or whitespace-only text, text that is not UTF-8 and text
 * over WR_HUMANIZER_MAX_TEXT_SIZE bytes are refused.
 *
 * History: each rewrite that produced text is stored (status complete, or
 * partial when the stream broke or was stopped), and in the same
 * transaction the project's rewrites beyond the newest
 * WR_HUMANIZER_HISTORY_SIZE are pruned. A rewrite whose model produced no
 * text is not stored. Deletions are tombstones whose text is cleared.
 *
 * Threading: the synchronous calls block on SQLite; use them from worker
 * threads, the CLI and tests. The _async calls run them in a GTask thread
 * and call back on the caller's thread-default main context. A rewrite
 * runs on the thread that owns the chat service (the GUI's or the CLI's
 * main context); its delta callback is invoked there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/wr-store.h"
#include "chat/wr-chat-service.h"
#include "chat/wr-humanize-tone.h"
#include "chat/wr-humanize-rewrite.h"

G_BEGIN_DECLS

#define WR_HUMANIZER_MAX_TEXT_SIZE          (32 * 1024)   /* bytes of text to rewrite */
#define WR_HUMANIZER_MAX_TONE_NAME_CHARS    40
#define WR_HUMANIZER_MAX_INSTRUCTIONS_SIZE  (4 * 1024)    /* bytes */
#define WR_HUMANIZER_HISTORY_SIZE           20            /* rewrites kept per project */

/* The stable ids of the built-in tones. */
#define WR_HUMANIZE_TONE_PROFESSIONAL "professional"
#define WR_HUMANIZE_TONE_HUMOROUS     "humorous"
#define WR_HUMANIZE_TONE_CARING       "caring"
#define WR_HUMANIZE_TONE_BOLD         "bold"

#define WR_HUMANIZER_ERROR (wr_humanizer_error_quark ())

typedef enum {
  WR_HUMANIZER_ERROR_EMPTY,          /* no text to rewrite */
  WR_HUMANIZER_ERROR_TOO_LONG,       /* text, tone name or instructions over their bound */
  WR_HUMANIZER_ERROR_INVALID,        /* not UTF-8; empty tone name or instructions */
  WR_HUMANIZER_ERROR_UNKNOWN_TONE,   /* no live tone with that id or name */
  WR_HUMANIZER_ERROR_NAME_TAKEN,     /* another tone has that name */
  WR_HUMANIZER_ERROR_BUILTIN_TONE,   /* built-in tones cannot be changed or deleted */
  WR_HUMANIZER_ERROR_NOT_FOUND,      /* no such rewrite */
  WR_HUMANIZER_ERROR_NO_OUTPUT,      /* the model answered with no text */
} WrHumanizerError;

GQuark wr_humanizer_error_quark (void);

#define WR_TYPE_HUMANIZER (wr_humanizer_get_type ())
G_DECLARE_FINAL_TYPE (WrHumanizer, wr_humanizer, WR, HUMANIZER, GObject)

/* @service makes the model calls (and meters them through its billing). */
WrHumanizer    *wr_humanizer_new                (WrStore            *store,
                                                 WrChatService      *service);
WrChatService  *wr_humanizer_get_chat_service   (WrHumanizer        *self);   /* transfer none */

/* The system prompt a rewrite in @tone sends (transfer full). */
char           *wr_humanizer_build_system_prompt (WrHumanizeTone    *tone);

/* Tones ------------------------------------------------------------------ */

/* The built-in tones in their fixed order, then the user's by name.
 * element-type WrHumanizeTone */
GPtrArray      *wr_humanizer_list_tones         (WrHumanizer        *self,
                                                 GError            **error);
/* By id, else by name (case-insensitive; a built-in also by its English
 * or translated name). UNKNOWN_TONE when none matches. */
WrHumanizeTone *wr_humanizer_find_tone          (WrHumanizer        *self,
                                                 const char         *id_or_name,
                                                 GError            **error);
/* Adds a user tone. @name is stripped; INVALID when it or @instructions is
 * empty, TOO_LONG over the bounds above, NAME_TAKEN when another tone has
 * the name. */
WrHumanizeTone *wr_humanizer_add_tone           (WrHumanizer        *self,
                                                 const char         *name,
                                                 const char         *instructions,
                                                 GError            **error);
/* Renames and/or rewrites the instructions of the user tone @id (NULL
 * leaves that field as it is). Same checks as add; BUILTIN_TONE for a
 * built-in one. Returns the tone as saved. */
WrHumanizeTone *wr_humanizer_update_tone        (WrHumanizer        *self,
                                                 const char         *id,
                                                 const char         *name,
                                                 const char         *instructions,
                                                 GError            **error);
/* Deletes the user tone with that id or name; BUILTIN_TONE for a built-in
 * one, UNKNOWN_TONE when there is none. */
gboolean        wr_humanizer_delete_tone        (WrHumanizer        *self,
                                                 const char         *id_or_name,
                                                 GError            **error);

/* Rewriting -------------------------------------------------------------- */

/* Rewrites @text in the tone @tone (id or name). @project_id (nullable)
 * picks the project's default model and files the rewrite in the
 * project's history (NULL: the history of rewrites without a project);
 * @model (nullable) overrides the model. @delta_func (nullable) gets the
 * rewritten text as it streams. Stop with @cancellable. */
void               wr_humanizer_rewrite_async   (WrHumanizer        *self,
                                                 const char         *project_id,
                                                 const char         *text,
                                                 const char         *tone,
                                                 const char         *model,
                                                 WrChatDeltaFunc     delta_func,
                                                 gpointer            delta_data,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
/* The stored rewrite, or NULL with @error. When text arrived before the
 * failure (dropped stream, Stop: G_IO_ERROR_CANCELLED), it was stored with
 * status partial and is returned in @partial (nullable; transfer full). A
 * refusal of the plan is a WR_BILLING_ERROR; a bad text, tone or store
 * failure is reported before any model call. */
WrHumanizeRewrite *wr_humanizer_rewrite_finish  (WrHumanizer        *self,
                                                 GAsyncResult       *result,
                                                 WrHumanizeRewrite **partial,
                                                 GError            **error);

/* History ---------------------------------------------------------------- */

/* The newest @limit (0 = all kept) rewrites of @project_id (NULL: those
 * made without a project), newest first. element-type WrHumanizeRewrite */
GPtrArray      *wr_humanizer_list_rewrites      (WrHumanizer        *self,
                                                 const char         *project_id,
                                                 guint               limit,
                                                 GError            **error);
/* NOT_FOUND when there is no such live rewrite. */
gboolean        wr_humanizer_delete_rewrite     (WrHumanizer        *self,
                                                 const char         *id,
                                                 GError            **error);
/* Deletes every rewrite of @project_id (NULL: those without a project). */
gboolean        wr_humanizer_clear_rewrites     (WrHumanizer        *self,
                                                 const char         *project_id,
                                                 GError            **error);

/* Async variants for the GUI: the same calls in a worker thread. Each
 * _finish returns what the sync call returns. */
void            wr_humanizer_list_tones_async     (WrHumanizer *self, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
GPtrArray      *wr_humanizer_list_tones_finish    (WrHumanizer *self, GAsyncResult *result, GError **error);
void            wr_humanizer_add_tone_async       (WrHumanizer *self, const char *name, const char *instructions,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
WrHumanizeTone *wr_humanizer_add_tone_finish      (WrHumanizer *self, GAsyncResult *result, GError **error);
void            wr_humanizer_update_tone_async    (WrHumanizer *self, const char *id, const char *name,
                                                   const char *instructions, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
WrHumanizeTone *wr_humanizer_update_tone_finish   (WrHumanizer *self, GAsyncResult *result, GError **error);
void            wr_humanizer_delete_tone_async    (WrHumanizer *self, const char *id_or_name,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean        wr_humanizer_delete_tone_finish   (WrHumanizer *self, GAsyncResult *result, GError **error);
void            wr_humanizer_list_rewrites_async  (WrHumanizer *self, const char *project_id, guint limit,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
GPtrArray      *wr_humanizer_list_rewrites_finish (WrHumanizer *self, GAsyncResult *result, GError **error);
void            wr_humanizer_delete_rewrite_async (WrHumanizer *self, const char *id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean        wr_humanizer_delete_rewrite_finish (WrHumanizer *self, GAsyncResult *result, GError **error);
void            wr_humanizer_clear_rewrites_async (WrHumanizer *self, const char *project_id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean        wr_humanizer_clear_rewrites_finish (WrHumanizer *self, GAsyncResult *result, GError **error);

G_END_DECLS
