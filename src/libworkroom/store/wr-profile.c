/* wr-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-profile.h"
#include "wr-store-private.h"

struct _WrProfile
{
  GObject  parent_instance;
  char    *id;
  char    *name;
  char    *plan;
  char    *default_model;
  char    *default_provider_id;
  gint64   daily_token_limit;
  gint64   retention_days;
  gint64   credits_balance;
  char    *failover_policy;
  char    *embeddings_model;
  char    *embeddings_provider_id;
  char    *vision_model;
  char    *vision_provider_id;
};

G_DEFINE_FINAL_TYPE (WrProfile, wr_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PLAN,
  PROP_DEFAULT_MODEL,
  PROP_DEFAULT_PROVIDER_ID,
  PROP_DAILY_TOKEN_LIMIT,
  PROP_RETENTION_DAYS,
  PROP_CREDITS_BALANCE,
  PROP_FAILOVER_POLICY,
  PROP_EMBEDDINGS_MODEL,
  PROP_EMBEDDINGS_PROVIDER_ID,
  PROP_VISION_MODEL,
  PROP_VISION_PROVIDER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_profile_finalize (GObject *object)
{
  WrProfile *self = WR_PROFILE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->plan);
  g_free (self->default_model);
  g_free (self->default_provider_id);
  g_free (self->failover_policy);
  g_free (self->embeddings_model);
  g_free (self->embeddings_provider_id);
  g_free (self->vision_model);
  g_free (self->vision_provider_id);

  G_OBJECT_CLASS (wr_profile_parent_class)->finalize (object);
}

static void
wr_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WrProfile *self = WR_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PLAN:
      g_value_set_string (value, self->plan);
      break;
    case PROP_DEFAULT_MODEL:
      g_value_set_string (value, self->default_model);
      break;
    case PROP_DEFAULT_PROVIDER_ID:
      g_value_set_string (value, self->default_provider_id);
      break;
    case PROP_DAILY_TOKEN_LIMIT:
      g_value_set_int64 (value, self->daily_token_limit);
      break;
    case PROP_RETENTION_DAYS:
      g_value_set_int64 (value, self->retention_days);
      break;
    case PROP_CREDITS_BALANCE:
      g_value_set_int64 (value, self->credits_balance);
      break;
    case PROP_FAILOVER_POLICY:
      g_value_set_string (value, self->failover_policy);
      break;
    case PROP_EMBEDDINGS_MODEL:
      g_value_set_string (value, self->embeddings_model);
      break;
    case PROP_EMBEDDINGS_PROVIDER_ID:
      g_value_set_string (value, self->embeddings_provider_id);
      break;
    case PROP_VISION_MODEL:
      g_value_set_string (value, self->vision_model);
      break;
    case PROP_VISION_PROVIDER_ID:
      g_value_set_string (value, self->vision_provider_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WrProfile *self = WR_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_profile_set_id (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      wr_profile_set_name (self, g_value_get_string (value));
      break;
    case PROP_PLAN:
      wr_profile_set_plan (self, g_value_get_string (value));
      break;
    case PROP_DEFAULT_MODEL:
      wr_profile_set_default_model (self, g_value_get_string (value));
      break;
    case PROP_DEFAULT_PROVIDER_ID:
      wr_profile_set_default_provider_id (self, g_value_get_string (value));
      break;
    case PROP_DAILY_TOKEN_LIMIT:
      wr_profile_set_daily_token_limit (self, g_value_get_int64 (value));
      break;
    case PROP_RETENTION_DAYS:
      wr_profile_set_retention_days (self, g_value_get_int64 (value));
      break;
    case PROP_CREDITS_BALANCE:
      wr_profile_set_credits_balance (self, g_value_get_int64 (value));
      break;
    case PROP_FAILOVER_POLICY:
      wr_profile_set_failover_policy (self, g_value_get_string (value));
      break;
    case PROP_EMBEDDINGS_MODEL:
      wr_profile_set_embeddings_model (self, g_value_get_string (value));
      break;
    case PROP_EMBEDDINGS_PROVIDER_ID:
      wr_profile_set_embeddings_provider_id (self, g_value_get_string (value));
      break;
    case PROP_VISION_MODEL:
      wr_profile_set_vision_model (self, g_value_get_string (value));
      break;
    case PROP_VISION_PROVIDER_ID:
      wr_profile_set_vision_provider_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_profile_class_init (WrProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_profile_finalize;
  object_class->get_property = wr_profile_get_property;
  object_class->set_property = wr_profile_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PLAN] = g_param_spec_string ("plan", NULL, NULL, NULL, flags);
  properties[PROP_DEFAULT_MODEL] = g_param_spec_string ("default-model", NULL, NULL, NULL, flags);
  properties[PROP_DEFAULT_PROVIDER_ID] = g_param_spec_string ("default-provider-id", NULL, NULL, NULL, flags);
  properties[PROP_DAILY_TOKEN_LIMIT] = g_param_spec_int64 ("daily-token-limit", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_RETENTION_DAYS] = g_param_spec_int64 ("retention-days", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_CREDITS_BALANCE] = g_param_spec_int64 ("credits-balance", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);

  properties[PROP_FAILOVER_POLICY] = g_param_spec_string ("failover-policy", NULL, NULL, NULL, flags);
  properties[PROP_EMBEDDINGS_MODEL] = g_param_spec_string ("embeddings-model", NULL, NULL, NULL, flags);
  properties[PROP_EMBEDDINGS_PROVIDER_ID] = g_param_spec_string ("embeddings-provider-id", NULL, NULL, NULL, flags);
  properties[PROP_VISION_MODEL] = g_param_spec_string ("vision-model", NULL, NULL, NULL, flags);
  properties[PROP_VISION_PROVIDER_ID] = g_param_spec_string ("vision-provider-id", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_profile_init (WrProfile *self)
{
  self->plan = g_strdup ("free");
  self->daily_token_limit = -1;
  self->retention_days = -1;
}

WrProfile *
wr_profile_new (void)
{
  return g_object_new (WR_TYPE_PROFILE, NULL);
}

const char *
wr_profile_get_id (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->id;
}

void
wr_profile_set_id (WrProfile *self,
                   const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (_wr_set_str (&self->id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
wr_profile_get_name (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->name;
}

void
wr_profile_set_name (WrProfile *self,
                     const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (_wr_set_str (&self->name, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wr_profile_get_plan (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->plan;
}

void
wr_profile_set_plan (WrProfile *self,
                     const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (_wr_set_str (&self->plan, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

const char *
wr_profile_get_default_model (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->default_model;
}

void
wr_profile_set_default_model (WrProfile *self,
                              const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (_wr_set_str (&self->default_model, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_MODEL]);
}

const char *
wr_profile_get_default_provider_id (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->default_provider_id;
}

void
wr_profile_set_default_provider_id (WrProfile *self,
                                    const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (_wr_set_str (&self->default_provider_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_PROVIDER_ID]);
}

gint64
wr_profile_get_daily_token_limit (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), -1);
  return self->daily_token_limit;
}

void
wr_profile_set_daily_token_limit (WrProfile *self,
                                  gint64 value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (value < -1)
    value = -1;

  if (self->daily_token_limit == value)
    return;

  self->daily_token_limit = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAILY_TOKEN_LIMIT]);
}

gint64
wr_profile_get_retention_days (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), -1);
  return self->retention_days;
}

void
wr_profile_set_retention_days (WrProfile *self,
                               gint64 value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (value < -1)
    value = -1;

  if (self->retention_days == value)
    return;

  self->retention_days = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETENTION_DAYS]);
}

gint64
wr_profile_get_credits_balance (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), 0);
  return self->credits_balance;
}

void
wr_profile_set_credits_balance (WrProfile *self,
                                gint64 value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (self->credits_balance == value)
    return;

  self->credits_balance = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITS_BALANCE]);
}

const char *
wr_profile_get_failover_policy (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->failover_policy;
}

void
wr_profile_set_failover_policy (WrProfile  *self,
                                const char *json)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (json != NULL && *json == '\0')
    json = NULL;

  if (_wr_set_str (&self->failover_policy, json))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILOVER_POLICY]);
}

const char *
wr_profile_get_embeddings_model (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->embeddings_model;
}

void
wr_profile_set_embeddings_model (WrProfile  *self,
                                const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (value != NULL && *value == '\0')
    value = NULL;

  if (_wr_set_str (&self->embeddings_model, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMBEDDINGS_MODEL]);
}

const char *
wr_profile_get_embeddings_provider_id (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->embeddings_provider_id;
}

void
wr_profile_set_embeddings_provider_id (WrProfile  *self,
                                      const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (value != NULL && *value == '\0')
    value = NULL;

  if (_wr_set_str (&self->embeddings_provider_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMBEDDINGS_PROVIDER_ID]);
}

const char *
wr_profile_get_vision_model (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->vision_model;
}

void
wr_profile_set_vision_model (WrProfile  *self,
                            const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (value != NULL && *value == '\0')
    value = NULL;

  if (_wr_set_str (&self->vision_model, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISION_MODEL]);
}

const char *
wr_profile_get_vision_provider_id (WrProfile *self)
{
  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);
  return self->vision_provider_id;
}

void
wr_profile_set_vision_provider_id (WrProfile  *self,
                                  const char *value)
{
  g_return_if_fail (WR_IS_PROFILE (self));

  if (value != NULL && *value == '\0')
    value = NULL;

  if (_wr_set_str (&self->vision_provider_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISION_PROVIDER_ID]);
}

WrProfile *
_wr_profile_copy (WrProfile *self)
{
  WrProfile *copy;

  g_return_val_if_fail (WR_IS_PROFILE (self), NULL);

  copy = wr_profile_new ();
  _wr_set_str (&copy->id, self->id);
  _wr_set_str (&copy->name, self->name);
  _wr_set_str (&copy->plan, self->plan);
  _wr_set_str (&copy->default_model, self->default_model);
  _wr_set_str (&copy->default_provider_id, self->default_provider_id);
  copy->daily_token_limit = self->daily_token_limit;
  copy->retention_days = self->retention_days;
  copy->credits_balance = self->credits_balance;
  _wr_set_str (&copy->failover_policy, self->failover_policy);
  _wr_set_str (&copy->embeddings_model, self->embeddings_model);
  _wr_set_str (&copy->embeddings_provider_id, self->embeddings_provider_id);
  _wr_set_str (&copy->vision_model, self->vision_model);
  _wr_set_str (&copy->vision_provider_id, self->vision_provider_id);

  return copy;
}
