/* wr-provider-registry.h — every provider the app can use, as a GListModel
 * of WrProvider: stored ones (SQLite + keyring), ones defined by
 * environment variables (OPENAI_API_KEY + OPENAI_BASE_URL, OLLAMA_HOST), and
 * a local Ollama when detected. */
#pragma once

#include <gio/gio.h>

#include "store/wr-store.h"
#include "wr-provider.h"

G_BEGIN_DECLS

#define WR_TYPE_PROVIDER_REGISTRY (wr_provider_registry_get_type ())
G_DECLARE_FINAL_TYPE (WrProviderRegistry, wr_provider_registry, WR, PROVIDER_REGISTRY, GObject)

WrProviderRegistry *wr_provider_registry_new          (WrStore *store);

/* Loads stored providers (keys from the keyring) and environment ones.
 * A key that cannot be read leaves the provider without key, not an error. */
gboolean     wr_provider_registry_load               (WrProviderRegistry *self,
                                                      GCancellable       *cancellable,
                                                      GError            **error);
void         wr_provider_registry_load_async         (WrProviderRegistry *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean     wr_provider_registry_load_finish        (WrProviderRegistry *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/* Saves a provider (row + key in keyring) and adds it to the model.
 * (transfer none) */
WrProvider  *wr_provider_registry_add                (WrProviderRegistry *self,
                                                      const char         *name,
                                                      const char         *kind,
                                                      const char         *base_url,
                                                      const char         *api_key,  /* nullable */
                                                      GCancellable       *cancellable,
                                                      GError            **error);
void         wr_provider_registry_add_async          (WrProviderRegistry *self,
                                                      const char         *name,
                                                      const char         *kind,
                                                      const char         *base_url,
                                                      const char         *api_key,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
WrProvider  *wr_provider_registry_add_finish         (WrProviderRegistry *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
/* Removes a stored provider and its key. */
gboolean     wr_provider_registry_remove             (WrProviderRegistry *self,
                                                      const char         *id,
                                                      GCancellable       *cancellable,
                                                      GError            **error);
/* The same in a worker thread (row delete, then keyring clear); the model
 * changes in _finish, on the caller's thread, whenever the row was deleted
 * (also when clearing the key then failed and _finish returns the error).
 * Fails with WR_STORE_ERROR_NOT_FOUND for an id that is not a stored
 * provider. */
void         wr_provider_registry_remove_async       (WrProviderRegistry *self,
                                                      const char         *id,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean     wr_provider_registry_remove_finish      (WrProviderRegistry *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/* By id, else by name (case-insensitive). (transfer none, nullable) */
WrProvider  *wr_provider_registry_lookup             (WrProviderRegistry *self,
                                                      const char         *id_or_name);
/* The profile's default provider if set and present, else the first one.
 * (transfer none, nullable) */
WrProvider  *wr_provider_registry_get_default        (WrProviderRegistry *self);
gboolean     wr_provider_registry_is_empty           (WrProviderRegistry *self);

/* Probes @host (NULL: $OLLAMA_HOST or 127.0.0.1:11434) for an Ollama server
 * and returns an unsaved provider for it, or NULL with an error. */
void         wr_provider_registry_detect_ollama_async  (WrProviderRegistry *self,
                                                        const char         *host,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
WrProvider  *wr_provider_registry_detect_ollama_finish (WrProviderRegistry *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

G_END_DECLS
