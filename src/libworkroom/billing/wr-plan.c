/* wr-plan.c — plan presets and their gates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-plan.h"

struct _WrPlan
{
  GObject             parent_instance;
  const char         *name;        /* static */
  const char         *title;       /* static, untranslated */
  gint64              daily_token_limit;
  gboolean            charges_credits;
  const char * const *models;      /* static */
  const char * const *features;    /* static */
  GPtrArray          *model_specs; /* element-type GPatternSpec, owned */
};

G_DEFINE_FINAL_TYPE (WrPlan, wr_plan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TITLE,
  PROP_DAILY_TOKEN_LIMIT,
  PROP_CHARGES_CREDITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const all_features[] = {
  "humanize", "knowledge", "tasks", "operator", "connectors", "datasets", "teams", NULL
};

/* "*-mini*" rather than "*mini*": the latter would let "gemini-1.5-pro"
 * through. */
static const char * const free_models[] = {
  "*-mini*", "*-nano*", "*flash*", "*haiku*", "*-small*", NULL
};
static const char * const any_model[] = { "*", NULL };

static const char * const free_features[] = { "humanize", "knowledge", NULL };
static const char * const pro_features[] = {
  "humanize", "knowledge", "tasks", "operator", "connectors", "datasets", NULL
};

typedef struct {
  const char         *name;
  const char         *title;
  gint64              daily_token_limit;
  gboolean            charges_credits;
  const char * const *models;
  const char * const *features;
} PlanDef;

static const PlanDef plan_defs[] = {
  { "free",       N_("Free"),       10000,  TRUE,  free_models, free_features },
  { "pro",        N_("Pro"),        250000, TRUE,  any_model,   pro_features },
  { "enterprise", N_("Enterprise"), -1,     FALSE, any_model,   all_features },
};

static void
wr_plan_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  WrPlan *self = WR_PLAN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, wr_plan_get_title (self));
      break;
    case PROP_DAILY_TOKEN_LIMIT:
      g_value_set_int64 (value, self->daily_token_limit);
      break;
    case PROP_CHARGES_CREDITS:
      g_value_set_boolean (value, self->charges_credits);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_plan_finalize (GObject *object)
{
  WrPlan *self = WR_PLAN (object);

  g_clear_pointer (&self->model_specs, g_ptr_array_unref);

  G_OBJECT_CLASS (wr_plan_parent_class)->finalize (object);
}

static void
wr_plan_class_init (WrPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wr_plan_get_property;
  object_class->finalize = wr_plan_finalize;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DAILY_TOKEN_LIMIT] =
    g_param_spec_int64 ("daily-token-limit", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHARGES_CREDITS] =
    g_param_spec_boolean ("charges-credits", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_plan_init (WrPlan *self)
{
  self->model_specs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);
}

static WrPlan *
plan_new (const PlanDef *def)
{
  WrPlan *self = g_object_new (WR_TYPE_PLAN, NULL);

  self->name = def->name;
  self->title = def->title;
  self->daily_token_limit = def->daily_token_limit;
  self->charges_credits = def->charges_credits;
  self->models = def->models;
  self->features = def->features;
  for (guint i = 0; def->models[i] != NULL; i++)
    g_ptr_array_add (self->model_specs, g_pattern_spec_new (def->models[i]));

  return self;
}

WrPlan * const *
wr_plan_list_presets (void)
{
  static WrPlan **presets;

  if (g_once_init_enter (&presets))
    {
      WrPlan **list = g_new0 (WrPlan *, G_N_ELEMENTS (plan_defs) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (plan_defs); i++)
        list[i] = plan_new (&plan_defs[i]);

      g_once_init_leave (&presets, list);
    }

  return presets;
}

WrPlan *
wr_plan_lookup (const char *name)
{
  WrPlan * const *presets = wr_plan_list_presets ();

  if (name == NULL)
    return NULL;

  for (guint i = 0; presets[i] != NULL; i++)
    if (g_str_equal (presets[i]->name, name))
      return presets[i];

  return NULL;
}

const char * const *
wr_plan_list_features (void)
{
  return all_features;
}

const char *
wr_plan_get_name (WrPlan *self)
{
  g_return_val_if_fail (WR_IS_PLAN (self), NULL);

  return self->name;
}

const char *
wr_plan_get_title (WrPlan *self)
{
  g_return_val_if_fail (WR_IS_PLAN (self), NULL);

  return _(self->title);
}

gint64
wr_plan_get_daily_token_limit (WrPlan *self)
{
  g_return_val_if_fail (WR_IS_PLAN (self), -1);

  return self->daily_token_limit;
}

gboolean
wr_plan_get_charges_credits (WrPlan *self)
{
  g_return_val_if_fail (WR_IS_PLAN (self), TRUE);

  return self->charges_credits;
}

const char * const *
wr_plan_get_model_patterns (WrPlan *self)
{
  g_return_val_if_fail (WR_IS_PLAN (self), NULL);

  return self->models;
}

const char * const *
wr_plan_get_features (WrPlan *self)
{
  g_return_val_if_fail (WR_IS_PLAN (self), NULL);

  return self->features;
}

gboolean
wr_plan_allows_model (WrPlan     *self,
                      const char *model,
                      gboolean    provider_is_local)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (WR_IS_PLAN (self), FALSE);

  if (provider_is_local)
    return TRUE;

  if (model == NULL || *model == '\0')
    return FALSE;

  folded = g_utf8_strdown (model, -1);
  for (guint i = 0; i < self->model_specs->len; i++)
    if (g_pattern_spec_match_string (g_ptr_array_index (self->model_specs, i), folded))
      return TRUE;

  return FALSE;
}

gboolean
wr_plan_allows_feature (WrPlan     *self,
                        const char *feature)
{
  g_return_val_if_fail (WR_IS_PLAN (self), FALSE);

  return feature != NULL && g_strv_contains ((const char * const *) self->features, feature);
}
