/* wr-project.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-project.h"
#include "wr-store-private.h"

struct _WrProject
{
  GObject  parent_instance;
  char    *id;
  char    *name;
  char    *description;
  char    *default_model;
  gint64   created_at;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (WrProject, wr_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_DEFAULT_MODEL,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_project_finalize (GObject *object)
{
  WrProject *self = WR_PROJECT (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->default_model);

  G_OBJECT_CLASS (wr_project_parent_class)->finalize (object);
}

static void
wr_project_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WrProject *self = WR_PROJECT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
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
wr_project_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WrProject *self = WR_PROJECT (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_project_set_id (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      wr_project_set_name (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      wr_project_set_description (self, g_value_get_string (value));
      break;
    case PROP_DEFAULT_MODEL:
      wr_project_set_default_model (self, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      wr_project_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      wr_project_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_project_class_init (WrProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_project_finalize;
  object_class->get_property = wr_project_get_property;
  object_class->set_property = wr_project_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_DEFAULT_MODEL] = g_param_spec_string ("default-model", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_project_init (WrProject *self)
{
}

WrProject *
wr_project_new (void)
{
  return g_object_new (WR_TYPE_PROJECT, NULL);
}

const char *
wr_project_get_id (WrProject *self)
{
  g_return_val_if_fail (WR_IS_PROJECT (self), NULL);
  return self->id;
}

void
wr_project_set_id (WrProject *self,
                   const char *value)
{
  g_return_if_fail (WR_IS_PROJECT (self));

  if (_wr_set_str (&self->id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
wr_project_get_name (WrProject *self)
{
  g_return_val_if_fail (WR_IS_PROJECT (self), NULL);
  return self->name;
}

void
wr_project_set_name (WrProject *self,
                     const char *value)
{
  g_return_if_fail (WR_IS_PROJECT (self));

  if (_wr_set_str (&self->name, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wr_project_get_description (WrProject *self)
{
  g_return_val_if_fail (WR_IS_PROJECT (self), NULL);
  return self->description;
}

void
wr_project_set_description (WrProject *self,
                            const char *value)
{
  g_return_if_fail (WR_IS_PROJECT (self));

  if (_wr_set_str (&self->description, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
wr_project_get_default_model (WrProject *self)
{
  g_return_val_if_fail (WR_IS_PROJECT (self), NULL);
  return self->default_model;
}

void
wr_project_set_default_model (WrProject *self,
                              const char *value)
{
  g_return_if_fail (WR_IS_PROJECT (self));

  if (_wr_set_str (&self->default_model, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_MODEL]);
}

gint64
wr_project_get_created_at (WrProject *self)
{
  g_return_val_if_fail (WR_IS_PROJECT (self), 0);
  return self->created_at;
}

void
wr_project_set_created_at (WrProject *self,
                           gint64 value)
{
  g_return_if_fail (WR_IS_PROJECT (self));

  if (self->created_at == value)
    return;

  self->created_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
wr_project_get_updated_at (WrProject *self)
{
  g_return_val_if_fail (WR_IS_PROJECT (self), 0);
  return self->updated_at;
}

void
wr_project_set_updated_at (WrProject *self,
                           gint64 value)
{
  g_return_if_fail (WR_IS_PROJECT (self));

  if (self->updated_at == value)
    return;

  self->updated_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

