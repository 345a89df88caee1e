/* wr-chat.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-chat.h"
#include "wr-store-private.h"

struct _WrChat
{
  GObject  parent_instance;
  char    *id;
  char    *project_id;
  char    *title;
  char    *model;
  char    *provider_id;
  gint64   created_at;
  gint64   updated_at;
  gboolean use_knowledge;
};

G_DEFINE_FINAL_TYPE (WrChat, wr_chat, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROJECT_ID,
  PROP_TITLE,
  PROP_MODEL,
  PROP_PROVIDER_ID,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_USE_KNOWLEDGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_chat_finalize (GObject *object)
{
  WrChat *self = WR_CHAT (object);

  g_free (self->id);
  g_free (self->project_id);
  g_free (self->title);
  g_free (self->model);
  g_free (self->provider_id);

  G_OBJECT_CLASS (wr_chat_parent_class)->finalize (object);
}

static void
wr_chat_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  WrChat *self = WR_CHAT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_USE_KNOWLEDGE:
      g_value_set_boolean (value, self->use_knowledge);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_chat_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  WrChat *self = WR_CHAT (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_chat_set_id (self, g_value_get_string (value));
      break;
    case PROP_PROJECT_ID:
      wr_chat_set_project_id (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      wr_chat_set_title (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      wr_chat_set_model (self, g_value_get_string (value));
      break;
    case PROP_PROVIDER_ID:
      wr_chat_set_provider_id (self, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      wr_chat_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      wr_chat_set_updated_at (self, g_value_get_int64 (value));
      break;
    case PROP_USE_KNOWLEDGE:
      wr_chat_set_use_knowledge (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_chat_class_init (WrChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_chat_finalize;
  object_class->get_property = wr_chat_get_property;
  object_class->set_property = wr_chat_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_USE_KNOWLEDGE] = g_param_spec_boolean ("use-knowledge", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_chat_init (WrChat *self)
{
}

WrChat *
wr_chat_new (void)
{
  return g_object_new (WR_TYPE_CHAT, NULL);
}

const char *
wr_chat_get_id (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), NULL);
  return self->id;
}

void
wr_chat_set_id (WrChat *self,
                const char *value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (_wr_set_str (&self->id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
wr_chat_get_project_id (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), NULL);
  return self->project_id;
}

void
wr_chat_set_project_id (WrChat *self,
                        const char *value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (_wr_set_str (&self->project_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
}

const char *
wr_chat_get_title (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), NULL);
  return self->title;
}

void
wr_chat_set_title (WrChat *self,
                   const char *value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (_wr_set_str (&self->title, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
wr_chat_get_model (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), NULL);
  return self->model;
}

void
wr_chat_set_model (WrChat *self,
                   const char *value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (_wr_set_str (&self->model, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

const char *
wr_chat_get_provider_id (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), NULL);
  return self->provider_id;
}

void
wr_chat_set_provider_id (WrChat *self,
                         const char *value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (_wr_set_str (&self->provider_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_ID]);
}

gint64
wr_chat_get_created_at (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), 0);
  return self->created_at;
}

void
wr_chat_set_created_at (WrChat *self,
                        gint64 value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (self->created_at == value)
    return;

  self->created_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
wr_chat_get_updated_at (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), 0);
  return self->updated_at;
}

void
wr_chat_set_updated_at (WrChat *self,
                        gint64 value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  if (self->updated_at == value)
    return;

  self->updated_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
wr_chat_get_use_knowledge (WrChat *self)
{
  g_return_val_if_fail (WR_IS_CHAT (self), FALSE);
  return self->use_knowledge;
}

void
wr_chat_set_use_knowledge (WrChat   *self,
                           gboolean  value)
{
  g_return_if_fail (WR_IS_CHAT (self));

  value = !!value;
  if (self->use_knowledge == value)
    return;

  self->use_knowledge = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_KNOWLEDGE]);
}

WrChat *
_wr_chat_copy (WrChat *self)
{
  WrChat *copy;

  g_return_val_if_fail (WR_IS_CHAT (self), NULL);

  copy = wr_chat_new ();
  _wr_set_str (&copy->id, self->id);
  _wr_set_str (&copy->project_id, self->project_id);
  _wr_set_str (&copy->title, self->title);
  _wr_set_str (&copy->model, self->model);
  _wr_set_str (&copy->provider_id, self->provider_id);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->use_knowledge = self->use_knowledge;

  return copy;
}
