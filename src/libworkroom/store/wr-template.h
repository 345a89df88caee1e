/* wr-template.h — instruction templates: named system prompts a chat or a
 * project can use ("You are a careful reviewer…"), and their store calls.
 *
 * Names are unique among live templates, compared case-insensitively.
 * Deletion is a tombstone; chats and projects that used a deleted template
 * go on with none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-store.h"

G_BEGIN_DECLS

#define WR_TEMPLATE_MAX_NAME_CHARS   80
#define WR_TEMPLATE_MAX_CONTENT_SIZE (64 * 1024)   /* bytes */

#define WR_TYPE_TEMPLATE (wr_template_get_type ())
G_DECLARE_FINAL_TYPE (WrTemplate, wr_template, WR, TEMPLATE, GObject)

/* properties: "id", "name", "content", "created-at", "updated-at" */
WrTemplate *wr_template_new            (const char *name,
                                        const char *content);
const char *wr_template_get_id         (WrTemplate *self);   /* NULL until saved */
void        wr_template_set_id         (WrTemplate *self, const char *id);
const char *wr_template_get_name       (WrTemplate *self);
void        wr_template_set_name       (WrTemplate *self, const char *name);
const char *wr_template_get_content    (WrTemplate *self);   /* never NULL */
void        wr_template_set_content    (WrTemplate *self, const char *content);
gint64      wr_template_get_created_at (WrTemplate *self);
void        wr_template_set_created_at (WrTemplate *self, gint64 usec);
gint64      wr_template_get_updated_at (WrTemplate *self);
void        wr_template_set_updated_at (WrTemplate *self, gint64 usec);

/* Live templates by name (case-insensitive). element-type WrTemplate */
GPtrArray  *wr_store_list_templates    (WrStore     *store,
                                        GError     **error);
/* By id, else by exact name (case-insensitive). NOT_FOUND when neither. */
WrTemplate *wr_store_get_template      (WrStore     *store,
                                        const char  *id_or_name,
                                        GError     **error);
/* Inserts (no id: assigns id and times) or updates name and content.
 * INVALID for an empty or too long name, too long content, or a name
 * another live template has. */
gboolean    wr_store_save_template     (WrStore     *store,
                                        WrTemplate  *template_,
                                        GError     **error);
/* Tombstones; NOT_FOUND when there is no such live template. */
gboolean    wr_store_delete_template   (WrStore     *store,
                                        const char  *id,
                                        GError     **error);

/* Which template a chat / a project uses (NULL = none; a tombstoned one
 * reads as NULL). Setting an unknown id fails with NOT_FOUND. */
char       *wr_store_get_chat_template_id     (WrStore *store, const char *chat_id, GError **error);
gboolean    wr_store_set_chat_template_id     (WrStore *store, const char *chat_id,
                                               const char *template_id, GError **error);
char       *wr_store_get_project_template_id  (WrStore *store, const char *project_id, GError **error);
gboolean    wr_store_set_project_template_id  (WrStore *store, const char *project_id,
                                               const char *template_id, GError **error);

/* The system prompt for a chat: its template's content, else its
 * project's template's content; NULL when neither has one. */
char       *wr_store_resolve_system_prompt    (WrStore *store, const char *chat_id, GError **error);

/* Async variants for the GUI. */
void        wr_store_list_templates_async   (WrStore *store, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray  *wr_store_list_templates_finish  (WrStore *store, GAsyncResult *result, GError **error);
/* Saves a copy; the finish returns the saved template (with its id). */
void        wr_store_save_template_async    (WrStore *store, WrTemplate *template_, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
WrTemplate *wr_store_save_template_finish   (WrStore *store, GAsyncResult *result, GError **error);
void        wr_store_delete_template_async  (WrStore *store, const char *id, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean    wr_store_delete_template_finish (WrStore *store, GAsyncResult *result, GError **error);
/* @kind: "chat" or "project"; @template_id NULL = none. */
void        wr_store_set_template_for_async  (WrStore *store, const char *kind, const char *owner_id,
                                              const char *template_id, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean    wr_store_set_template_for_finish (WrStore *store, GAsyncResult *result, GError **error);
/* The template id a chat or project uses (NULL = none). */
void        wr_store_get_template_for_async  (WrStore *store, const char *kind, const char *owner_id,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char       *wr_store_get_template_for_finish (WrStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
