/* wr-provider-record.h — a model provider the user configured: what is
 * stored in SQLite. The API key is never here; it lives in the keyring under
 * the record's id (see secrets/wr-secrets.h). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_TYPE_PROVIDER_RECORD (wr_provider_record_get_type ())
G_DECLARE_FINAL_TYPE (WrProviderRecord, wr_provider_record, WR, PROVIDER_RECORD, GObject)

WrProviderRecord *wr_provider_record_new (void);
/* properties: "id", "name", "kind" ("openai" for any OpenAI-compatible
 * server; later "anthropic", "google"), "base-url", "default-model",
 * "created-at", "updated-at" */
const char *wr_provider_record_get_id            (WrProviderRecord *self);
void        wr_provider_record_set_id            (WrProviderRecord *self, const char *id);
const char *wr_provider_record_get_name          (WrProviderRecord *self);
void        wr_provider_record_set_name          (WrProviderRecord *self, const char *name);
const char *wr_provider_record_get_kind          (WrProviderRecord *self);
void        wr_provider_record_set_kind          (WrProviderRecord *self, const char *kind);
const char *wr_provider_record_get_base_url      (WrProviderRecord *self);
void        wr_provider_record_set_base_url      (WrProviderRecord *self, const char *base_url);
const char *wr_provider_record_get_default_model (WrProviderRecord *self);
void        wr_provider_record_set_default_model (WrProviderRecord *self, const char *model);
gint64      wr_provider_record_get_created_at    (WrProviderRecord *self);
void        wr_provider_record_set_created_at    (WrProviderRecord *self, gint64 usec);
gint64      wr_provider_record_get_updated_at    (WrProviderRecord *self);
void        wr_provider_record_set_updated_at    (WrProviderRecord *self, gint64 usec);

G_END_DECLS
