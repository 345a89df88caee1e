/* wr-humanize-rewrite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "wr-humanize-rewrite.h"

struct _WrHumanizeRewrite
{
  GObject          parent_instance;
  char            *id;
  char            *project_id;
  char            *tone_id;
  char            *tone_name;
  char            *model;
  char            *provider_id;
  char            *input;
  char            *output;
  WrMessageStatus  status;
  char            *route_note;
  gint64           created_at;
  gint64           updated_at;
};

G_DEFINE_FINAL_TYPE (WrHumanizeRewrite, wr_humanize_rewrite, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROJECT_ID,
  PROP_TONE_ID,
  PROP_TONE_NAME,
  PROP_MODEL,
  PROP_PROVIDER_ID,
  PROP_INPUT,
  PROP_OUTPUT,
  PROP_STATUS,
  PROP_ROUTE_NOTE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wr_humanize_rewrite_finalize (GObject *object)
{
  WrHumanizeRewrite *self = WR_HUMANIZE_REWRITE (object);

  g_free (self->id);
  g_free (self->project_id);
  g_free (self->tone_id);
  g_free (self->tone_name);
  g_free (self->model);
  g_free (self->provider_id);
  g_free (self->input);
  g_free (self->output);
  g_free (self->route_note);

  G_OBJECT_CLASS (wr_humanize_rewrite_parent_class)->finalize (object);
}

static void
wr_humanize_rewrite_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  WrHumanizeRewrite *self = WR_HUMANIZE_REWRITE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_TONE_ID:
      g_value_set_string (value, self->tone_id);
      break;
    case PROP_TONE_NAME:
      g_value_set_string (value, self->tone_name);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_INPUT:
      g_value_set_string (value, self->input);
      break;
    case PROP_OUTPUT:
      g_value_set_string (value, self->output);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_ROUTE_NOTE:
      g_value_set_string (value, self->route_note);
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
wr_humanize_rewrite_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  WrHumanizeRewrite *self = WR_HUMANIZE_REWRITE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_PROJECT_ID:
      self->project_id = g_value_dup_string (value);
      break;
    case PROP_TONE_ID:
      self->tone_id = g_value_dup_string (value);
      break;
    case PROP_TONE_NAME:
      self->tone_name = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      self->model = g_value_dup_string (value);
      break;
    case PROP_PROVIDER_ID:
      self->provider_id = g_value_dup_string (value);
      break;
    case PROP_INPUT:
      self->input = g_value_dup_string (value);
      break;
    case PROP_OUTPUT:
      self->output = g_value_dup_string (value);
      break;
    case PROP_STATUS:
      self->status = g_value_get_enum (value);
      break;
    case PROP_ROUTE_NOTE:
      self->route_note = g_value_dup_string (value);
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
wr_humanize_rewrite_constructed (GObject *object)
{
  WrHumanizeRewrite *self = WR_HUMANIZE_REWRITE (object);

  G_OBJECT_CLASS (wr_humanize_rewrite_parent_class)->constructed (object);

  if (self->input == NULL)
    self->input = g_strdup ("");
  if (self->output == NULL)
    self->output = g_strdup ("");
  if (self->tone_name == NULL)
    self->tone_name = g_strdup (self->tone_id != NULL ? self->tone_id : "");
}

static void
wr_humanize_rewrite_class_init (WrHumanizeRewriteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = wr_humanize_rewrite_constructed;
  object_class->finalize = wr_humanize_rewrite_finalize;
  object_class->get_property = wr_humanize_rewrite_get_property;
  object_class->set_property = wr_humanize_rewrite_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_TONE_ID] = g_param_spec_string ("tone-id", NULL, NULL, NULL, flags);
  properties[PROP_TONE_NAME] = g_param_spec_string ("tone-name", NULL, NULL, NULL, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, flags);
  properties[PROP_INPUT] = g_param_spec_string ("input", NULL, NULL, NULL, flags);
  properties[PROP_OUTPUT] = g_param_spec_string ("output", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, WR_TYPE_MESSAGE_STATUS,
                                                 WR_MESSAGE_STATUS_COMPLETE, flags);
  properties[PROP_ROUTE_NOTE] = g_param_spec_string ("route-note", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_humanize_rewrite_init (WrHumanizeRewrite *self)
{
  self->status = WR_MESSAGE_STATUS_COMPLETE;
}

const char *
wr_humanize_rewrite_get_id (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->id;
}

const char *
wr_humanize_rewrite_get_project_id (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->project_id;
}

const char *
wr_humanize_rewrite_get_tone_id (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->tone_id;
}

const char *
wr_humanize_rewrite_get_tone_name (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->tone_name;
}

const char *
wr_humanize_rewrite_get_model (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->model;
}

const char *
wr_humanize_rewrite_get_provider_id (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->provider_id;
}

const char *
wr_humanize_rewrite_get_input (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->input;
}

const char *
wr_humanize_rewrite_get_output (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->output;
}

WrMessageStatus
wr_humanize_rewrite_get_status (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), WR_MESSAGE_STATUS_ERROR);
  return self->status;
}

const char *
wr_humanize_rewrite_get_route_note (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);
  return self->route_note;
}

gint64
wr_humanize_rewrite_get_created_at (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), 0);
  return self->created_at;
}

gint64
wr_humanize_rewrite_get_updated_at (WrHumanizeRewrite *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), 0);
  return self->updated_at;
}

static char *
first_line (const char *text,
            guint       max_chars)
{
  const char *line = text;

  while (line != NULL && *line != '\0')
    {
      const char *end = strchr (line, '\n');
      g_autofree char *piece = end != NULL ? g_strndup (line, end - line) : g_strdup (line);

      g_strstrip (piece);
      if (piece[0] != '\0')
        {
          if (g_utf8_strlen (piece, -1) <= (glong) max_chars)
            return g_steal_pointer (&piece);
          {
            g_autofree char *head = g_utf8_substring (piece, 0, MAX (max_chars, 2) - 1);
            return g_strconcat (head, "…", NULL);
          }
        }
      line = end != NULL ? end + 1 : NULL;
    }

  return NULL;
}

char *
wr_humanize_rewrite_dup_summary (WrHumanizeRewrite *self,
                                 guint              max_chars)
{
  char *line;

  g_return_val_if_fail (WR_IS_HUMANIZE_REWRITE (self), NULL);

  line = first_line (self->output, max_chars);
  if (line == NULL)
    line = first_line (self->input, max_chars);

  return line != NULL ? line : g_strdup ("");
}
