/* wr-provider-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-provider-record.h"
#include "wr-store-private.h"

struct _WrProviderRecord
{
  GObject  parent_instance;
  char    *id;
  char    *name;
  char    *kind;
  char    *base_url;
  char    *default_model;
  gint64   created_at;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (WrProviderRecord, wr_provider_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_BASE_URL,
  PROP_DEFAULT_MODEL,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_provider_record_finalize (GObject *object)
{
  WrProviderRecord *self = WR_PROVIDER_RECORD (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->base_url);
  g_free (self->default_model);

  G_OBJECT_CLASS (wr_provider_record_parent_class)->finalize (object);
}

static void
wr_provider_record_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WrProviderRecord *self = WR_PROVIDER_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_DEFAULT_MODEL:
      g_value_set_string (value, self->default_model);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_provider_record_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  WrProviderRecord *self = WR_PROVIDER_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_provider_record_set_id (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      wr_provider_record_set_name (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      wr_provider_record_set_kind (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      wr_provider_record_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_DEFAULT_MODEL:
      wr_provider_record_set_default_model (self, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      wr_provider_record_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      wr_provider_record_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_provider_record_class_init (WrProviderRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_provider_record_finalize;
  object_class->get_property = wr_provider_record_get_property;
  object_class->set_property = wr_provider_record_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, flags);
  properties[PROP_DEFAULT_MODEL] = g_param_spec_string ("default-model", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_provider_record_init (WrProviderRecord *self)
{
}

WrProviderRecord *
wr_provider_record_new (void)
{
  return g_object_new (WR_TYPE_PROVIDER_RECORD, NULL);
}

const char *
wr_provider_record_get_id (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), NULL);
  return self->id;
}

void
wr_provider_record_set_id (WrProviderRecord *self,
                           const char *value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (_wr_set_str (&self->id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
wr_provider_record_get_name (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), NULL);
  return self->name;
}

void
wr_provider_record_set_name (WrProviderRecord *self,
                             const char *value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (_wr_set_str (&self->name, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wr_provider_record_get_kind (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), NULL);
  return self->kind;
}

void
wr_provider_record_set_kind (WrProviderRecord *self,
                             const char *value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (_wr_set_str (&self->kind, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
wr_provider_record_get_base_url (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), NULL);
  return self->base_url;
}

void
wr_provider_record_set_base_url (WrProviderRecord *self,
                                 const char *value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (_wr_set_str (&self->base_url, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

const char *
wr_provider_record_get_default_model (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), NULL);
  return self->default_model;
}

void
wr_provider_record_set_default_model (WrProviderRecord *self,
                                      const char *value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (_wr_set_str (&self->default_model, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_MODEL]);
}

gint64
wr_provider_record_get_created_at (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), 0);
  return self->created_at;
}

void
wr_provider_record_set_created_at (WrProviderRecord *self,
                                   gint64 value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (self->created_at == value)
    return;

  self->created_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
wr_provider_record_get_updated_at (WrProviderRecord *self)
{
  g_return_val_if_fail (WR_IS_PROVIDER_RECORD (self), 0);
  return self->updated_at;
}

void
wr_provider_record_set_updated_at (WrProviderRecord *self,
                                   gint64 value)
{
  g_return_if_fail (WR_IS_PROVIDER_RECORD (self));

  if (self->updated_at == value)
    return;

  self->updated_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

