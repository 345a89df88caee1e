/* wr-profile.h — the local user's profile (one row). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_TYPE_PROFILE (wr_profile_get_type ())
G_DECLARE_FINAL_TYPE (WrProfile, wr_profile, WR, PROFILE, GObject)

WrProfile  *wr_profile_new                      (void);
/* properties: "id", "name", "plan" ("free" | "pro" | "enterprise"),
 * "default-model", "default-provider-id", "daily-token-limit" (-1 = none),
 * "retention-days" (-1 = keep), "credits-balance" (read from the ledger's
 * cached balance; changed only by the billing domain), "failover-policy"
 * (WrFailoverPolicy JSON text; NULL = the shipped chains),
 * "embeddings-model" + "embeddings-provider-id" (the model that embeds
 * document passages for hybrid search; NULL = full-text only),
 * "vision-model" + "vision-provider-id" (the model that describes imported
 * images; NULL = OCR only). Setting "" stores NULL. */
const char *wr_profile_get_id                   (WrProfile *self);
void        wr_profile_set_id                   (WrProfile *self, const char *id);
const char *wr_profile_get_name                 (WrProfile *self);
void        wr_profile_set_name                 (WrProfile *self, const char *name);
const char *wr_profile_get_plan                 (WrProfile *self);
void        wr_profile_set_plan                 (WrProfile *self, const char *plan);
const char *wr_profile_get_default_model        (WrProfile *self);
void        wr_profile_set_default_model        (WrProfile *self, const char *model);
const char *wr_profile_get_default_provider_id  (WrProfile *self);
void        wr_profile_set_default_provider_id  (WrProfile *self, const char *provider_id);
gint64      wr_profile_get_daily_token_limit    (WrProfile *self);
void        wr_profile_set_daily_token_limit    (WrProfile *self, gint64 limit);
gint64      wr_profile_get_retention_days       (WrProfile *self);
void        wr_profile_set_retention_days       (WrProfile *self, gint64 days);
gint64      wr_profile_get_credits_balance      (WrProfile *self);
void        wr_profile_set_credits_balance      (WrProfile *self, gint64 balance);
const char *wr_profile_get_failover_policy      (WrProfile *self);   /* nullable */
void        wr_profile_set_failover_policy      (WrProfile *self, const char *json);  /* "" = NULL */
const char *wr_profile_get_embeddings_model      (WrProfile *self);   /* nullable */
void        wr_profile_set_embeddings_model      (WrProfile *self, const char *value);
const char *wr_profile_get_embeddings_provider_id (WrProfile *self);   /* nullable */
void        wr_profile_set_embeddings_provider_id (WrProfile *self, const char *value);
const char *wr_profile_get_vision_model          (WrProfile *self);   /* nullable */
void        wr_profile_set_vision_model          (WrProfile *self, const char *value);
const char *wr_profile_get_vision_provider_id    (WrProfile *self);   /* nullable */
void        wr_profile_set_vision_provider_id    (WrProfile *self, const char *value);

G_END_DECLS
