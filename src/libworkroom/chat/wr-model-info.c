/* wr-model-info.c — one model of one provider in the model catalogue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-model-info.h"
#include "wr-model-catalog-private.h"
#include "billing/wr-billing.h"

struct _WrModelInfo
{
  GObject              parent_instance;

  char                *name;
  char                *provider_id;
  char                *provider_name;
  char                *provider_kind;
  char                *reason;
  char                *detail;
  char                *price_pattern;
  gint64               input_price;
  gint64               output_price;
  gint64               listed_at;
  WrModelCapabilities  capabilities;
  guint                local : 1;
  guint                available : 1;
  guint                capabilities_custom : 1;
};

G_DEFINE_FINAL_TYPE (WrModelInfo, wr_model_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_PROVIDER_ID,
  PROP_PROVIDER_NAME,
  PROP_PROVIDER_KIND,
  PROP_LOCAL,
  PROP_AVAILABLE,
  PROP_REASON,
  PROP_DETAIL,
  PROP_INPUT_PRICE,
  PROP_OUTPUT_PRICE,
  PROP_PRICE_PATTERN,
  PROP_CAPABILITIES,
  PROP_CAPABILITIES_CUSTOM,
  PROP_LISTED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Capabilities ------------------------------------------------------------ */

static const GFlagsValue capability_values[] = {
  { WR_MODEL_CAPABILITY_CHAT, "WR_MODEL_CAPABILITY_CHAT", "chat" },
  { WR_MODEL_CAPABILITY_VISION, "WR_MODEL_CAPABILITY_VISION", "vision" },
  { WR_MODEL_CAPABILITY_EMBEDDINGS, "WR_MODEL_CAPABILITY_EMBEDDINGS", "embeddings" },
  { 0, NULL, NULL },
};

GType
wr_model_capabilities_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_flags_register_static (g_intern_static_string ("WrModelCapabilities"),
                                            capability_values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/* Names of models that see images, matched against the lowercase name and
 * its last path segment. */
static const char * const vision_patterns[] = {
  "gpt-4o*", "gpt-4.1*", "gpt-4-turbo*", "gpt-5*", "o3*", "o4*",
  "claude-3*", "claude-*-4*",
  "gemini*",
  "*llava*", "*vision*", "qwen*-vl*", "qwen*vl:*", "pixtral*",
};

static gboolean
glob_any (const char * const *patterns,
          guint               n,
          const char         *name,
          const char         *base)
{
  for (guint i = 0; i < n; i++)
    if (g_pattern_match_simple (patterns[i], name) ||
        (base != NULL && g_pattern_match_simple (patterns[i], base)))
      return TRUE;

  return FALSE;
}

WrModelCapabilities
wr_model_capabilities_guess (const char *model)
{
  g_autofree char *folded = g_utf8_strdown (model != NULL ? model : "", -1);
  const char *slash = strrchr (folded, '/');
  const char *base = slash != NULL ? slash + 1 : NULL;

  if (strstr (folded, "embed") != NULL)
    return WR_MODEL_CAPABILITY_EMBEDDINGS;

  if (glob_any (vision_patterns, G_N_ELEMENTS (vision_patterns), folded, base))
    return WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION;

  return WR_MODEL_CAPABILITY_CHAT;
}

WrModelCapabilities
wr_model_capabilities_parse (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text != NULL ? text : "", ",", -1);
  WrModelCapabilities capabilities = WR_MODEL_CAPABILITY_NONE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_strstrip (words[i]);
      for (guint j = 0; capability_values[j].value_nick != NULL; j++)
        if (g_ascii_strcasecmp (words[i], capability_values[j].value_nick) == 0)
          capabilities |= capability_values[j].value;
    }

  return capabilities;
}

char *
wr_model_capabilities_to_string (WrModelCapabilities capabilities)
{
  GString *text = g_string_new (NULL);

  for (guint j = 0; capability_values[j].value_nick != NULL; j++)
    if (capabilities & capability_values[j].value)
      g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "", capability_values[j].value_nick);

  return g_string_free (text, FALSE);
}

/* GObject ------------------------------------------------------------------ */

static void
wr_model_info_finalize (GObject *object)
{
  WrModelInfo *self = WR_MODEL_INFO (object);

  g_free (self->name);
  g_free (self->provider_id);
  g_free (self->provider_name);
  g_free (self->provider_kind);
  g_free (self->reason);
  g_free (self->detail);
  g_free (self->price_pattern);

  G_OBJECT_CLASS (wr_model_info_parent_class)->finalize (object);
}

static void
wr_model_info_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WrModelInfo *self = WR_MODEL_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_PROVIDER_KIND:
      g_value_set_string (value, self->provider_kind);
      break;
    case PROP_LOCAL:
      g_value_set_boolean (value, self->local);
      break;
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_INPUT_PRICE:
      g_value_set_int64 (value, self->input_price);
      break;
    case PROP_OUTPUT_PRICE:
      g_value_set_int64 (value, self->output_price);
      break;
    case PROP_PRICE_PATTERN:
      g_value_set_string (value, self->price_pattern);
      break;
    case PROP_CAPABILITIES:
      g_value_set_flags (value, self->capabilities);
      break;
    case PROP_CAPABILITIES_CUSTOM:
      g_value_set_boolean (value, self->capabilities_custom);
      break;
    case PROP_LISTED_AT:
      g_value_set_int64 (value, self->listed_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_model_info_class_init (WrModelInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_model_info_finalize;
  object_class->get_property = wr_model_info_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_NAME] = g_param_spec_string ("provider-name", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_KIND] = g_param_spec_string ("provider-kind", NULL, NULL, NULL, flags);
  properties[PROP_LOCAL] = g_param_spec_boolean ("local", NULL, NULL, FALSE, flags);
  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_INPUT_PRICE] = g_param_spec_int64 ("input-price", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_OUTPUT_PRICE] = g_param_spec_int64 ("output-price", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PRICE_PATTERN] = g_param_spec_string ("price-pattern", NULL, NULL, NULL, flags);
  properties[PROP_CAPABILITIES] =
    g_param_spec_flags ("capabilities", NULL, NULL, WR_TYPE_MODEL_CAPABILITIES,
                        WR_MODEL_CAPABILITY_NONE, flags);
  properties[PROP_CAPABILITIES_CUSTOM] = g_param_spec_boolean ("capabilities-custom", NULL, NULL, FALSE, flags);
  properties[PROP_LISTED_AT] = g_param_spec_int64 ("listed-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_model_info_init (WrModelInfo *self)
{
}

/* Private construction (the catalogue) ------------------------------------- */

WrModelInfo *
_wr_model_info_new (const char *name,
                    const char *provider_id,
                    const char *provider_name,
                    const char *provider_kind,
                    gboolean    local)
{
  WrModelInfo *self = g_object_new (WR_TYPE_MODEL_INFO, NULL);

  self->name = g_strdup (name);
  self->provider_id = g_strdup (provider_id);
  self->provider_name = g_strdup (provider_name);
  self->provider_kind = g_strdup (provider_kind);
  self->local = !!local;

  return self;
}

void
_wr_model_info_set_availability (WrModelInfo *self,
                                 gboolean     available,
                                 const char  *reason,
                                 const char  *detail,
                                 gint64       listed_at)
{
  self->available = !!available;
  g_free (self->reason);
  self->reason = available ? NULL : g_strdup (reason);
  g_free (self->detail);
  self->detail = available ? NULL : g_strdup (detail);
  self->listed_at = listed_at;
}

void
_wr_model_info_set_price (WrModelInfo *self,
                          const char  *pattern,
                          gint64       input_price,
                          gint64       output_price)
{
  g_free (self->price_pattern);
  self->price_pattern = g_strdup (pattern);
  self->input_price = MAX (input_price, 0);
  self->output_price = MAX (output_price, 0);
}

void
_wr_model_info_set_capabilities (WrModelInfo         *self,
                                 WrModelCapabilities  capabilities,
                                 gboolean             custom)
{
  self->capabilities = capabilities;
  self->capabilities_custom = !!custom;
}

/* API ----------------------------------------------------------------------- */

const char *
wr_model_info_get_name (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->name;
}

const char *
wr_model_info_get_provider_id (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->provider_id;
}

const char *
wr_model_info_get_provider_name (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->provider_name;
}

const char *
wr_model_info_get_provider_kind (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->provider_kind;
}

gboolean
wr_model_info_get_local (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), FALSE);
  return self->local;
}

gboolean
wr_model_info_get_available (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), FALSE);
  return self->available;
}

const char *
wr_model_info_get_reason (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->reason;
}

const char *
wr_model_info_get_detail (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->detail;
}

gint64
wr_model_info_get_input_price (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), 0);
  return self->input_price;
}

gint64
wr_model_info_get_output_price (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), 0);
  return self->output_price;
}

const char *
wr_model_info_get_price_pattern (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);
  return self->price_pattern;
}

WrModelCapabilities
wr_model_info_get_capabilities (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), WR_MODEL_CAPABILITY_NONE);
  return self->capabilities;
}

gboolean
wr_model_info_get_capabilities_custom (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), FALSE);
  return self->capabilities_custom;
}

gint64
wr_model_info_get_listed_at (WrModelInfo *self)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), 0);
  return self->listed_at;
}

gboolean
wr_model_info_has_capability (WrModelInfo         *self,
                              WrModelCapabilities  capability)
{
  g_return_val_if_fail (WR_IS_MODEL_INFO (self), FALSE);
  return (self->capabilities & capability) == capability && capability != 0;
}

char *
wr_model_info_dup_price_label (WrModelInfo *self)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;

  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);

  if (self->local)
    return g_strdup (_("Free (runs locally)"));

  in = wr_billing_format_credits (self->input_price);
  out = wr_billing_format_credits (self->output_price);
  /* TRANSLATORS: prices per million tokens, e.g. "0.15 in · 0.60 out per 1M tokens" */
  return g_strdup_printf (_("%s in · %s out per 1M tokens"), in, out);
}

char *
wr_model_info_dup_capabilities_label (WrModelInfo *self)
{
  GPtrArray *words;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (WR_IS_MODEL_INFO (self), NULL);

  words = g_ptr_array_new ();
  if (self->capabilities & WR_MODEL_CAPABILITY_CHAT)
    g_ptr_array_add (words, (gpointer) _("chat"));
  if (self->capabilities & WR_MODEL_CAPABILITY_VISION)
    g_ptr_array_add (words, (gpointer) _("vision"));
  if (self->capabilities & WR_MODEL_CAPABILITY_EMBEDDINGS)
    g_ptr_array_add (words, (gpointer) _("embeddings"));
  g_ptr_array_add (words, NULL);

  joined = g_strjoinv (", ", (char **) words->pdata);
  g_ptr_array_unref (words);

  /* Capitalise the first letter only. */
  if (joined[0] != '\0')
    {
      g_autofree char *first = g_utf8_substring (joined, 0, 1);
      g_autofree char *upper = g_utf8_strup (first, -1);

      return g_strconcat (upper, g_utf8_next_char (joined), NULL);
    }

  return g_steal_pointer (&joined);
}
