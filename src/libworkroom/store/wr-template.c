/* wr-template.c — an instruction template (a named system prompt).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-template.h"
#include "wr-store-private.h"

struct _WrTemplate
{
  GObject  parent_instance;
  char    *id;
  char    *name;
  char    *content;      /* never NULL */
  gint64   created_at;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (WrTemplate, wr_template, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_CONTENT,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_template_finalize (GObject *object)
{
  WrTemplate *self = WR_TEMPLATE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->content);

  G_OBJECT_CLASS (wr_template_parent_class)->finalize (object);
}

static void
wr_template_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WrTemplate *self = WR_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CONTENT:
      g_value_set_string (value, self->content);
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
wr_template_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WrTemplate *self = WR_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_template_set_id (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      wr_template_set_name (self, g_value_get_string (value));
      break;
    case PROP_CONTENT:
      wr_template_set_content (self, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      wr_template_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      wr_template_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_template_class_init (WrTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_template_finalize;
  object_class->get_property = wr_template_get_property;
  object_class->set_property = wr_template_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_CONTENT] = g_param_spec_string ("content", NULL, NULL, "", flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_template_init (WrTemplate *self)
{
  self->content = g_strdup ("");
}

WrTemplate *
wr_template_new (const char *name,
                 const char *content)
{
  WrTemplate *self = g_object_new (WR_TYPE_TEMPLATE, NULL);

  self->name = g_strdup (name);
  if (content != NULL)
    _wr_set_str (&self->content, content);

  return self;
}

const char *
wr_template_get_id (WrTemplate *self)
{
  g_return_val_if_fail (WR_IS_TEMPLATE (self), NULL);
  return self->id;
}

void
wr_template_set_id (WrTemplate *self,
                    const char *id)
{
  g_return_if_fail (WR_IS_TEMPLATE (self));

  if (_wr_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
wr_template_get_name (WrTemplate *self)
{
  g_return_val_if_fail (WR_IS_TEMPLATE (self), NULL);
  return self->name;
}

void
wr_template_set_name (WrTemplate *self,
                      const char *name)
{
  g_return_if_fail (WR_IS_TEMPLATE (self));

  if (_wr_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wr_template_get_content (WrTemplate *self)
{
  g_return_val_if_fail (WR_IS_TEMPLATE (self), "");
  return self->content;
}

void
wr_template_set_content (WrTemplate *self,
                         const char *content)
{
  g_return_if_fail (WR_IS_TEMPLATE (self));

  if (_wr_set_str (&self->content, content != NULL ? content : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

gint64
wr_template_get_created_at (WrTemplate *self)
{
  g_return_val_if_fail (WR_IS_TEMPLATE (self), 0);
  return self->created_at;
}

void
wr_template_set_created_at (WrTemplate *self,
                            gint64      usec)
{
  g_return_if_fail (WR_IS_TEMPLATE (self));

  usec = MAX (usec, 0);
  if (self->created_at == usec)
    return;

  self->created_at = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
wr_template_get_updated_at (WrTemplate *self)
{
  g_return_val_if_fail (WR_IS_TEMPLATE (self), 0);
  return self->updated_at;
}

void
wr_template_set_updated_at (WrTemplate *self,
                            gint64      usec)
{
  g_return_if_fail (WR_IS_TEMPLATE (self));

  usec = MAX (usec, 0);
  if (self->updated_at == usec)
    return;

  self->updated_at = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

WrTemplate *
_wr_template_copy (WrTemplate *self)
{
  WrTemplate *copy;

  g_return_val_if_fail (WR_IS_TEMPLATE (self), NULL);

  copy = wr_template_new (self->name, self->content);
  copy->id = g_strdup (self->id);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;

  return copy;
}
