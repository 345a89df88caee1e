/* wr-humanize-tone.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-humanize-tone.h"

struct _WrHumanizeTone
{
  GObject   parent_instance;
  char     *id;
  char     *name;
  char     *instructions;
  gboolean  builtin;
  gint64    created_at;
  gint64    updated_at;
};

G_DEFINE_FINAL_TYPE (WrHumanizeTone, wr_humanize_tone, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_INSTRUCTIONS,
  PROP_BUILTIN,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_humanize_tone_finalize (GObject *object)
{
  WrHumanizeTone *self = WR_HUMANIZE_TONE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->instructions);

  G_OBJECT_CLASS (wr_humanize_tone_parent_class)->finalize (object);
}

static void
wr_humanize_tone_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WrHumanizeTone *self = WR_HUMANIZE_TONE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_INSTRUCTIONS:
      g_value_set_string (value, self->instructions);
      break;
    case PROP_BUILTIN:
      g_value_set_boolean (value, self->builtin);
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
wr_humanize_tone_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WrHumanizeTone *self = WR_HUMANIZE_TONE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_INSTRUCTIONS:
      self->instructions = g_value_dup_string (value);
      break;
    case PROP_BUILTIN:
      self->builtin = g_value_get_boolean (value);
      break;
    case PROP_CREATED_AT:
      self->created_at = g_value_get_int64 (value);
      break;
    case PROP_UPDATED_AT:
      self->updated_at = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_humanize_tone_class_init (WrHumanizeToneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_humanize_tone_finalize;
  object_class->get_property = wr_humanize_tone_get_property;
  object_class->set_property = wr_humanize_tone_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_INSTRUCTIONS] = g_param_spec_string ("instructions", NULL, NULL, NULL, flags);
  properties[PROP_BUILTIN] = g_param_spec_boolean ("builtin", NULL, NULL, FALSE, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_humanize_tone_init (WrHumanizeTone *self)
{
}

WrHumanizeTone *
wr_humanize_tone_new (const char *id,
                      const char *name,
                      const char *instructions,
                      gboolean    builtin,
                      gint64      created_at,
                      gint64      updated_at)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (WR_TYPE_HUMANIZE_TONE,
                       "id", id,
                       "name", name,
                       "instructions", instructions != NULL ? instructions : "",
                       "builtin", builtin,
                       "created-at", MAX (created_at, 0),
                       "updated-at", MAX (updated_at, 0),
                       NULL);
}

const char *
wr_humanize_tone_get_id (WrHumanizeTone *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE (self), NULL);
  return self->id;
}

const char *
wr_humanize_tone_get_name (WrHumanizeTone *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE (self), NULL);
  return self->name;
}

const char *
wr_humanize_tone_get_instructions (WrHumanizeTone *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE (self), NULL);
  return self->instructions;
}

gboolean
wr_humanize_tone_get_builtin (WrHumanizeTone *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE (self), FALSE);
  return self->builtin;
}

gint64
wr_humanize_tone_get_created_at (WrHumanizeTone *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE (self), 0);
  return self->created_at;
}

gint64
wr_humanize_tone_get_updated_at (WrHumanizeTone *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_TONE (self), 0);
  return self->updated_at;
}
