/* wr-store.h — the local SQLite store (WAL, foreign keys, migrations).
 *
 * Threading: a WrStore may be used from any thread. The synchronous API
 * blocks (use it from the CLI, tests and worker threads); the GUI uses the
 * _async variants, which run the same code in a GTask thread and return on
 * the caller's thread-default main context.
 *
 * Deletions are tombstones (deleted_at) so they can later sync; list and get
 * functions skip tombstoned rows.
 */
#pragma once

#include <gio/gio.h>

#include "wr-project.h"
#include "wr-chat.h"
#include "wr-message.h"
#include "wr-profile.h"
#include "wr-provider-record.h"

G_BEGIN_DECLS

#define WR_STORE_ERROR (wr_store_error_quark ())

typedef enum {
  WR_STORE_ERROR_FAILED,
  WR_STORE_ERROR_NOT_FOUND,
  WR_STORE_ERROR_BUSY,       /* locked by another process beyond the busy timeout */
  WR_STORE_ERROR_CORRUPT,    /* the file is not a database or fails integrity */
  WR_STORE_ERROR_FULL,       /* disk full or quota exceeded */
  WR_STORE_ERROR_READONLY,
  WR_STORE_ERROR_INVALID,    /* bad argument, e.g. empty project name */
  WR_STORE_ERROR_TOO_NEW,    /* schema newer than this build understands */
} WrStoreError;

GQuark wr_store_error_quark (void);

#define WR_TYPE_STORE (wr_store_get_type ())
G_DECLARE_FINAL_TYPE (WrStore, wr_store, WR, STORE, GObject)

/* The data directory: $WORKROOM_DATA_DIR, else
 * $XDG_DATA_HOME/io.github.workroom.Workroom (transfer full). */
char          *wr_store_default_dir              (void);

/* Opens (creating the directory and file when needed) and migrates the
 * database at @path ("workroom.db" under a data dir by convention). */
WrStore       *wr_store_open                     (const char    *path,
                                                  GError       **error);
void           wr_store_open_async               (const char    *path,
                                                  GCancellable  *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer       user_data);
WrStore       *wr_store_open_finish              (GAsyncResult  *result,
                                                  GError       **error);

const char    *wr_store_get_path                 (WrStore       *self);
int            wr_store_get_schema_version       (WrStore       *self);
int            wr_store_get_latest_schema_version (void);
/* PRAGMA integrity_check + foreign_key_check. */
gboolean       wr_store_check_integrity          (WrStore       *self,
                                                  GError       **error);

/* Profile (single local user; the row always exists after open). */
WrProfile     *wr_store_get_profile              (WrStore       *self,
                                                  GError       **error);
gboolean       wr_store_save_profile             (WrStore       *self,
                                                  WrProfile     *profile,
                                                  GError       **error);

/* Projects, ordered by created_at. */
WrProject     *wr_store_create_project           (WrStore       *self,
                                                  const char    *name,
                                                  GError       **error);
GPtrArray     *wr_store_list_projects            (WrStore       *self,    /* element-type WrProject */
                                                  GError       **error);
WrProject     *wr_store_get_project              (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);
gboolean       wr_store_rename_project           (WrStore       *self,
                                                  const char    *id,
                                                  const char    *name,
                                                  GError       **error);
gboolean       wr_store_set_project_default_model (WrStore      *self,
                                                  const char    *id,
                                                  const char    *model,   /* nullable */
                                                  GError       **error);
/* Tombstones the project and its chats in one transaction. */
gboolean       wr_store_delete_project           (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);
/* Undo of delete: clears the tombstones set by the last delete of @id. */
gboolean       wr_store_restore_project          (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);

/* Chats, newest activity first (updated_at DESC). */
WrChat        *wr_store_create_chat              (WrStore       *self,
                                                  const char    *project_id,
                                                  const char    *title,   /* nullable */
                                                  GError       **error);
GPtrArray     *wr_store_list_chats               (WrStore       *self,    /* element-type WrChat */
                                                  const char    *project_id,
                                                  GError       **error);
WrChat        *wr_store_get_chat                 (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);
/* Saves title, model and provider_id of @chat; bumps updated_at. */
gboolean       wr_store_save_chat                (WrStore       *self,
                                                  WrChat        *chat,
                                                  GError       **error);
gboolean       wr_store_delete_chat              (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);

/* Messages, oldest first. add assigns id/created_at if unset and bumps the
 * chat's updated_at in the same transaction. */
gboolean       wr_store_add_message              (WrStore       *self,
                                                  WrMessage     *message,
                                                  GError       **error);
/* Bulk insert in one transaction (imports, benchmarks). */
gboolean       wr_store_add_messages             (WrStore       *self,
                                                  GPtrArray     *messages,
                                                  GError       **error);
/* Saves content, status, error, model, provider_id, token counts and the
 * route note. */
gboolean       wr_store_save_message             (WrStore       *self,
                                                  WrMessage     *message,
                                                  GError       **error);
GPtrArray     *wr_store_list_messages            (WrStore       *self,    /* element-type WrMessage */
                                                  const char    *chat_id,
                                                  GError       **error);
WrMessage     *wr_store_get_message              (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);
gboolean       wr_store_delete_message           (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);

/* Model providers configured by the user (API keys are in the keyring). */
gboolean       wr_store_save_provider            (WrStore       *self,    /* insert or update */
                                                  WrProviderRecord *record,
                                                  GError       **error);
GPtrArray     *wr_store_list_providers           (WrStore       *self,    /* element-type WrProviderRecord */
                                                  GError       **error);
gboolean       wr_store_delete_provider          (WrStore       *self,
                                                  const char    *id,
                                                  GError       **error);

/* Async variants for the GUI. Each _finish returns what the sync call
 * returns. */
void           wr_store_list_projects_async      (WrStore *self, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
GPtrArray     *wr_store_list_projects_finish     (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_create_project_async     (WrStore *self, const char *name, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
WrProject     *wr_store_create_project_finish    (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_rename_project_async     (WrStore *self, const char *id, const char *name,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_rename_project_finish    (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_delete_project_async     (WrStore *self, const char *id, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_delete_project_finish    (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_restore_project_async    (WrStore *self, const char *id, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_restore_project_finish   (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_list_chats_async         (WrStore *self, const char *project_id, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
GPtrArray     *wr_store_list_chats_finish        (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_create_chat_async        (WrStore *self, const char *project_id, const char *title,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
WrChat        *wr_store_create_chat_finish       (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_delete_chat_async        (WrStore *self, const char *id, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_delete_chat_finish       (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_list_messages_async      (WrStore *self, const char *chat_id, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
GPtrArray     *wr_store_list_messages_finish     (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_get_profile_async        (WrStore *self, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
WrProfile     *wr_store_get_profile_finish       (WrStore *self, GAsyncResult *result, GError **error);
/* Runs add (when @message has no id yet) or save of a message / chat / profile
 * in a worker thread. The object must not be modified until done. */
void           wr_store_save_message_async       (WrStore *self, WrMessage *message, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_save_message_finish      (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_save_chat_async          (WrStore *self, WrChat *chat, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_save_chat_finish         (WrStore *self, GAsyncResult *result, GError **error);
void           wr_store_save_profile_async       (WrStore *self, WrProfile *profile, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean       wr_store_save_profile_finish      (WrStore *self, GAsyncResult *result, GError **error);

G_END_DECLS
