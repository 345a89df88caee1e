/* wr-artifact.h — things a chat produced or the user saved: reports,
 * tables, charts, images, files, HTML and Mermaid sources. Artifacts belong
 * to a project and outlive the chat that made them.
 *
 * The metadata is a WrArtifact; the content is loaded separately (it may
 * be megabytes). What the content holds per kind is written in
 * migrations/0005-artifacts.sql. Deletion is a tombstone (undoable with
 * restore); names need not be unique.
 *
 * Threading: the sync calls block (SQLite); the GUI uses the _async ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-store.h"

G_BEGIN_DECLS

#define WR_ARTIFACT_MAX_NAME_CHARS 200
#define WR_ARTIFACT_MAX_SIZE       (64 * 1024 * 1024)   /* bytes of content */

typedef enum {
  WR_ARTIFACT_KIND_REPORT,
  WR_ARTIFACT_KIND_TABLE,
  WR_ARTIFACT_KIND_CHART,
  WR_ARTIFACT_KIND_IMAGE,
  WR_ARTIFACT_KIND_FILE,
  WR_ARTIFACT_KIND_HTML,
  WR_ARTIFACT_KIND_MERMAID,
} WrArtifactKind;

/* "report", "table"… as stored (not translated). */
const char *wr_artifact_kind_to_string   (WrArtifactKind  kind);
/* FALSE for an unknown name. */
gboolean    wr_artifact_kind_from_string (const char     *name,
                                          WrArtifactKind *out_kind);
/* "Report", "Table"… for people (translated). */
const char *wr_artifact_kind_get_label   (WrArtifactKind  kind);

#define WR_TYPE_ARTIFACT (wr_artifact_get_type ())
G_DECLARE_FINAL_TYPE (WrArtifact, wr_artifact, WR, ARTIFACT, GObject)

/* properties: "id", "project-id", "chat-id", "message-id", "dataset-id",
 * "kind", "name", "mime-type", "file-name", "size", "created-at",
 * "updated-at" (all notify on change). */
WrArtifact     *wr_artifact_new            (const char     *project_id,
                                            WrArtifactKind  kind,
                                            const char     *name);
const char     *wr_artifact_get_id         (WrArtifact *self);   /* NULL until created */
void            wr_artifact_set_id         (WrArtifact *self, const char *id);
const char     *wr_artifact_get_project_id (WrArtifact *self);
void            wr_artifact_set_project_id (WrArtifact *self, const char *project_id);
const char     *wr_artifact_get_chat_id    (WrArtifact *self);   /* nullable */
void            wr_artifact_set_chat_id    (WrArtifact *self, const char *chat_id);
const char     *wr_artifact_get_message_id (WrArtifact *self);   /* nullable */
void            wr_artifact_set_message_id (WrArtifact *self, const char *message_id);
const char     *wr_artifact_get_dataset_id (WrArtifact *self);   /* nullable; table artifacts */
void            wr_artifact_set_dataset_id (WrArtifact *self, const char *dataset_id);
WrArtifactKind  wr_artifact_get_kind       (WrArtifact *self);
void            wr_artifact_set_kind       (WrArtifact *self, WrArtifactKind kind);
const char     *wr_artifact_get_name       (WrArtifact *self);   /* never NULL */
void            wr_artifact_set_name       (WrArtifact *self, const char *name);
const char     *wr_artifact_get_mime_type  (WrArtifact *self);   /* nullable */
void            wr_artifact_set_mime_type  (WrArtifact *self, const char *mime_type);
const char     *wr_artifact_get_file_name  (WrArtifact *self);   /* nullable: suggested export name */
void            wr_artifact_set_file_name  (WrArtifact *self, const char *file_name);
gint64          wr_artifact_get_size       (WrArtifact *self);   /* bytes of content */
void            wr_artifact_set_size       (WrArtifact *self, gint64 size);
gint64          wr_artifact_get_created_at (WrArtifact *self);   /* µs since the epoch */
void            wr_artifact_set_created_at (WrArtifact *self, gint64 usec);
gint64          wr_artifact_get_updated_at (WrArtifact *self);
void            wr_artifact_set_updated_at (WrArtifact *self, gint64 usec);

/* Stores a new artifact with @data as its content (nullable: empty) and
 * sets its id, size and times. INVALID for an empty or too long name,
 * content over WR_ARTIFACT_MAX_SIZE, or text kinds (report, html,
 * mermaid, chart, table) whose content is not UTF-8 / chart and table
 * content that is not a JSON object; NOT_FOUND for an unknown live
 * project. */
gboolean    wr_store_create_artifact      (WrStore     *store,
                                           WrArtifact  *artifact,
                                           GBytes      *data,
                                           GError     **error);
/* Live artifacts of @project_id, newest first; @kind_filter (nullable)
 * keeps one kind ("chart"…). element-type WrArtifact */
GPtrArray  *wr_store_list_artifacts       (WrStore     *store,
                                           const char  *project_id,
                                           const char  *kind_filter,
                                           GError     **error);
/* A live artifact; NOT_FOUND otherwise. */
WrArtifact *wr_store_get_artifact         (WrStore     *store,
                                           const char  *id,
                                           GError     **error);
/* Its content (transfer full; empty GBytes when none). */
GBytes     *wr_store_get_artifact_data    (WrStore     *store,
                                           const char  *id,
                                           GError     **error);
/* INVALID as for create; NOT_FOUND for no such live artifact. */
gboolean    wr_store_rename_artifact      (WrStore     *store,
                                           const char  *id,
                                           const char  *name,
                                           GError     **error);
/* Tombstone; NOT_FOUND for no such live artifact. */
gboolean    wr_store_delete_artifact      (WrStore     *store,
                                           const char  *id,
                                           GError     **error);
/* Undo of delete. NOT_FOUND when there is no tombstoned artifact @id. */
gboolean    wr_store_restore_artifact     (WrStore     *store,
                                           const char  *id,
                                           GError     **error);

/* Async variants for the GUI; each _finish returns what the sync call
 * returns (create's returns the created artifact, a copy with its id). */
void        wr_store_create_artifact_async   (WrStore *store, WrArtifact *artifact, GBytes *data,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
WrArtifact *wr_store_create_artifact_finish  (WrStore *store, GAsyncResult *result, GError **error);
void        wr_store_list_artifacts_async    (WrStore *store, const char *project_id, const char *kind_filter,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GPtrArray  *wr_store_list_artifacts_finish   (WrStore *store, GAsyncResult *result, GError **error);
void        wr_store_get_artifact_data_async (WrStore *store, const char *id, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GBytes     *wr_store_get_artifact_data_finish (WrStore *store, GAsyncResult *result, GError **error);
void        wr_store_rename_artifact_async   (WrStore *store, const char *id, const char *name,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean    wr_store_rename_artifact_finish  (WrStore *store, GAsyncResult *result, GError **error);
void        wr_store_delete_artifact_async   (WrStore *store, const char *id, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean    wr_store_delete_artifact_finish  (WrStore *store, GAsyncResult *result, GError **error);
void        wr_store_restore_artifact_async  (WrStore *store, const char *id, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean    wr_store_restore_artifact_finish (WrStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
