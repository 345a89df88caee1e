/* wr-secrets.h — API keys and tokens in the system keyring (libsecret,
 * schema "io.github.workroom.Workroom.Secret"). The only place secrets are
 * kept: never SQLite, logs, GSettings or child environments.
 *
 * Sync calls block on D-Bus: use them from the CLI or worker threads; the
 * GUI uses the async ones. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WR_SECRETS_ERROR (wr_secrets_error_quark ())
typedef enum {
  WR_SECRETS_ERROR_UNAVAILABLE,   /* no Secret Service on the session bus */
  WR_SECRETS_ERROR_LOCKED,        /* the keyring stayed locked */
  WR_SECRETS_ERROR_FAILED,
} WrSecretsError;
GQuark wr_secrets_error_quark (void);

/* @kind is "provider" or (later) "connector"; @owner_id the row id it
 * belongs to; @label is what the keyring UI (Seahorse) shows. */
gboolean  wr_secrets_store          (const char    *kind,
                                     const char    *owner_id,
                                     const char    *label,
                                     const char    *secret,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Returns NULL without error when there is no such secret. (transfer full;
 * free with wr_secrets_free, which wipes the memory) */
char     *wr_secrets_lookup         (const char    *kind,
                                     const char    *owner_id,
                                     GCancellable  *cancellable,
                                     GError       **error);
gboolean  wr_secrets_clear          (const char    *kind,
                                     const char    *owner_id,
                                     GCancellable  *cancellable,
                                     GError       **error);
void      wr_secrets_free           (char          *secret);

void      wr_secrets_store_async    (const char *kind, const char *owner_id, const char *label,
                                     const char *secret, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean  wr_secrets_store_finish   (GAsyncResult *result, GError **error);
void      wr_secrets_lookup_async   (const char *kind, const char *owner_id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
char     *wr_secrets_lookup_finish  (GAsyncResult *result, GError **error);
void      wr_secrets_clear_async    (const char *kind, const char *owner_id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean  wr_secrets_clear_finish   (GAsyncResult *result, GError **error);

G_END_DECLS
