/* wr-failover-policy.c — failover chains per model, editable as JSON.
 *
 * Kept as plain data (an ordered array of chains) because the router reads
 * it once per request and the settings page rewrites it whole. Every way in
 * (JSON, set_chain) goes through the same validation, so the router never
 * sees an empty provider or a pattern where a model belongs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-failover-policy.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define POLICY_VERSION 1
#define MAX_NAME_LEN   200

typedef struct
{
  char   *pattern;
  char   *folded;     /* lower case, what lookups match against */
  GArray *targets;    /* element-type WrFailoverTarget */
} Chain;

struct _WrFailoverPolicy
{
  GObject    parent_instance;
  GPtrArray *chains;   /* element-type Chain */
};

G_DEFINE_FINAL_TYPE (WrFailoverPolicy, wr_failover_policy, G_TYPE_OBJECT)
G_DEFINE_QUARK (wr-failover-policy-error-quark, wr_failover_policy_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static void
target_clear (gpointer data)
{
  WrFailoverTarget *target = data;

  g_clear_pointer (&target->provider, g_free);
  g_clear_pointer (&target->model, g_free);
}

static void
chain_free (gpointer data)
{
  Chain *chain = data;

  g_free (chain->pattern);
  g_free (chain->folded);
  g_clear_pointer (&chain->targets, g_array_unref);
  g_free (chain);
}

static Chain *
chain_new (const char             *pattern,
           const WrFailoverTarget *targets,
           guint                   n_targets)
{
  Chain *chain = g_new0 (Chain, 1);

  chain->pattern = g_strdup (pattern);
  chain->folded = g_ascii_strdown (pattern, -1);
  chain->targets = g_array_sized_new (FALSE, TRUE, sizeof (WrFailoverTarget), n_targets);
  g_array_set_clear_func (chain->targets, target_clear);

  for (guint i = 0; i < n_targets; i++)
    {
      WrFailoverTarget copy = {
        .provider = g_strdup (targets[i].provider),
        .model = g_strdup (targets[i].model),
      };
      g_array_append_val (chain->targets, copy);
    }

  return chain;
}

static int
find_chain (WrFailoverPolicy *self,
            const char       *pattern)
{
  for (guint i = 0; i < self->chains->len; i++)
    {
      Chain *chain = g_ptr_array_index (self->chains, i);

      if (g_ascii_strcasecmp (chain->pattern, pattern) == 0)
        return (int) i;
    }
  return -1;
}

/* A name (pattern, provider, model): not empty, not too long, one word of
 * printable UTF-8. */
static gboolean
name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL || (len = strlen (name)) == 0 || len > MAX_NAME_LEN)
    return FALSE;
  if (!g_utf8_validate (name, len, NULL))
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_chain (const char             *pattern,
                guint                   chain_number,   /* 1-based; 0: not from a list */
                const WrFailoverTarget *targets,
                guint                   n_targets,
                GError                **error)
{
  /* Errors name the chain by its pattern when it has a usable one. */
  g_autofree char *where = NULL;

  if (!name_is_valid (pattern))
    {
      if (chain_number > 0)
        g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                     /* Translators: %u is a number (the chain's position). */
                     _("Failover chain %u needs a “model”: a model name or a pattern such as “claude*”, without spaces."),
                     chain_number);
      else
        g_set_error_literal (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                             _("A failover chain needs a model name or a pattern such as “claude*”, without spaces."));
      return FALSE;
    }

  /* Translators: how an error names a failover chain; %s is its model pattern. */
  where = g_strdup_printf (_("The failover chain for “%s”"), pattern);

  if (n_targets > WR_FAILOVER_POLICY_MAX_FALLBACKS)
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                   /* Translators: first %s names a chain, %u is the largest allowed number of fallbacks. */
                   _("%s has too many fallbacks. Keep at most %u."),
                   where, (guint) WR_FAILOVER_POLICY_MAX_FALLBACKS);
      return FALSE;
    }

  for (guint i = 0; i < n_targets; i++)
    {
      const WrFailoverTarget *target = &targets[i];

      if (!name_is_valid (target->provider))
        {
          g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                       /* Translators: %s names a chain, %u is the fallback's position. */
                       _("%s: fallback %u needs a “provider”: a kind such as “openai”, “anthropic” or “google”, or a provider’s id."),
                       where, i + 1);
          return FALSE;
        }
      if (!name_is_valid (target->model))
        {
          g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                       /* Translators: %s names a chain, %u is the fallback's position. */
                       _("%s: fallback %u needs a “model”, such as “gpt-4o-mini”."),
                       where, i + 1);
          return FALSE;
        }
      if (strpbrk (target->model, "*?") != NULL)
        {
          g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                       /* Translators: first %s names a chain, %u is the fallback's position, last %s a model. */
                       _("%s: fallback %u asks for “%s”, a pattern. Name one model."),
                       where, i + 1, target->model);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (g_ascii_strcasecmp (targets[j].provider, target->provider) == 0 &&
            g_strcmp0 (targets[j].model, target->model) == 0)
          {
            g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                         /* Translators: first %s names a chain, %u are positions. */
                         _("%s: fallbacks %u and %u are the same. Remove one."),
                         where, j + 1, i + 1);
            return FALSE;
          }
    }

  return TRUE;
}

static void
emit_changed (WrFailoverPolicy *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* JSON reading */

static gboolean
check_members (JsonObject  *object,
               const char * const *allowed,
               const char  *where,
               GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                       /* Translators: first %s says where (a chain), second a JSON member name. */
                       _("%s has an unknown setting “%s”. Check its spelling."),
                       where, (const char *) l->data);
          return FALSE;
        }
    }

  return TRUE;
}

/* A string member, or NULL when absent or not a string. */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
read_chain (WrFailoverPolicy *self,
            JsonNode         *node,
            guint             number,
            GError          **error)
{
  static const char * const chain_members[] = { "model", "fallbacks", NULL };
  static const char * const target_members[] = { "provider", "model", NULL };
  g_autoptr(GArray) targets = NULL;
  g_autofree char *where = NULL;
  JsonObject *object;
  JsonNode *fallbacks;
  const char *pattern;
  JsonArray *array;
  guint n;

  /* Translators: how an error names a failover chain; %u is its position. */
  where = g_strdup_printf (_("Failover chain %u"), number);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                   /* Translators: %s names a chain. */
                   _("%s must be an object with “model” and “fallbacks”."), where);
      return FALSE;
    }

  object = json_node_get_object (node);
  if (!check_members (object, chain_members, where, error))
    return FALSE;

  pattern = get_string (object, "model");
  fallbacks = json_object_get_member (object, "fallbacks");
  if (fallbacks == NULL || !JSON_NODE_HOLDS_ARRAY (fallbacks))
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                   /* Translators: %s names a chain. */
                   _("%s needs a “fallbacks” list (it may be empty)."), where);
      return FALSE;
    }

  array = json_node_get_array (fallbacks);
  n = json_array_get_length (array);
  targets = g_array_sized_new (FALSE, TRUE, sizeof (WrFailoverTarget), n);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *target_where = NULL;
      WrFailoverTarget target = { NULL, NULL };
      JsonObject *target_object;

      /* Translators: first %s names a chain, %u is the fallback's position. */
      target_where = g_strdup_printf (_("%s, fallback %u,"), where, i + 1);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                       /* Translators: %s names a chain, %u is the fallback's position. */
                       _("%s: fallback %u must be an object with “provider” and “model”."),
                       where, i + 1);
          return FALSE;
        }
      target_object = json_node_get_object (element);
      if (!check_members (target_object, target_members, target_where, error))
        return FALSE;

      /* Borrowed: validate_chain only reads them. */
      target.provider = (char *) get_string (target_object, "provider");
      target.model = (char *) get_string (target_object, "model");
      g_array_append_val (targets, target);
    }

  if (!validate_chain (pattern, number, (const WrFailoverTarget *) targets->data, targets->len, error))
    return FALSE;

  if (find_chain (self, pattern) >= 0)
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                   /* Translators: %s names a chain, second %s is its model pattern. */
                   _("%s repeats the pattern “%s” of an earlier chain; only the first would ever be used. Merge them."),
                   where, pattern);
      return FALSE;
    }

  g_ptr_array_add (self->chains,
                   chain_new (pattern, (const WrFailoverTarget *) targets->data, targets->len));
  return TRUE;
}

/* GObject */

static void
wr_failover_policy_finalize (GObject *object)
{
  WrFailoverPolicy *self = WR_FAILOVER_POLICY (object);

  g_clear_pointer (&self->chains, g_ptr_array_unref);

  G_OBJECT_CLASS (wr_failover_policy_parent_class)->finalize (object);
}

static void
wr_failover_policy_class_init (WrFailoverPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wr_failover_policy_finalize;

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
wr_failover_policy_init (WrFailoverPolicy *self)
{
  self->chains = g_ptr_array_new_with_free_func (chain_free);
}

/* API */

WrFailoverPolicy *
wr_failover_policy_new (void)
{
  return g_object_new (WR_TYPE_FAILOVER_POLICY, NULL);
}

WrFailoverPolicy *
wr_failover_policy_new_default (void)
{
  /* The chains the product shipped with: a flagship model falls back to
   * the other vendor's flagship, the others to a cheap, widely available
   * model. */
  static const WrFailoverTarget gpt4o[] = { { (char *) "anthropic", (char *) "claude-3-5-sonnet-latest" } };
  static const WrFailoverTarget claude[] = { { (char *) "openai", (char *) "gpt-4o-mini" } };
  static const WrFailoverTarget gemini[] = { { (char *) "openai", (char *) "gpt-4o-mini" } };
  WrFailoverPolicy *self = wr_failover_policy_new ();

  g_ptr_array_add (self->chains, chain_new ("gpt-4o", gpt4o, G_N_ELEMENTS (gpt4o)));
  g_ptr_array_add (self->chains, chain_new ("claude*", claude, G_N_ELEMENTS (claude)));
  g_ptr_array_add (self->chains, chain_new ("gemini*", gemini, G_N_ELEMENTS (gemini)));

  return self;
}

WrFailoverPolicy *
wr_failover_policy_new_from_json (const char  *json,
                                  gssize       length,
                                  GError     **error)
{
  static const char * const root_members[] = { "version", "chains", NULL };
  g_autoptr(WrFailoverPolicy) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root_object;
  JsonNode *version;
  JsonNode *chains;
  JsonNode *root;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_PARSE,
                   /* Translators: %s is a technical parser message. */
                   _("The failover settings are not valid JSON (%s). Fix them, or reset them to the defaults."),
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                           _("The failover settings must be a JSON object with a “chains” list."));
      return NULL;
    }

  root_object = json_node_get_object (root);
  if (!check_members (root_object, root_members, _("The failover settings"), error))
    return NULL;

  version = json_object_get_member (root_object, "version");
  if (version != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
        {
          g_set_error_literal (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                               _("The failover settings have a “version” that is not a number. Use 1."));
          return NULL;
        }
      if (json_node_get_int (version) != POLICY_VERSION)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (version));

          g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                       /* Translators: %s is a version number. */
                       _("The failover settings are version %s, which this Workroom does not understand. Update Workroom, or reset them to the defaults."),
                       number);
          return NULL;
        }
    }

  chains = json_object_get_member (root_object, "chains");
  if (chains == NULL || !JSON_NODE_HOLDS_ARRAY (chains))
    {
      g_set_error_literal (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                           _("The failover settings must be a JSON object with a “chains” list."));
      return NULL;
    }

  array = json_node_get_array (chains);
  n = json_array_get_length (array);
  if (n > WR_FAILOVER_POLICY_MAX_CHAINS)
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                   /* Translators: %u is the largest allowed number of chains. */
                   _("The failover settings have too many chains. Keep at most %u."),
                   (guint) WR_FAILOVER_POLICY_MAX_CHAINS);
      return NULL;
    }

  self = wr_failover_policy_new ();
  for (guint i = 0; i < n; i++)
    if (!read_chain (self, json_array_get_element (array, i), i + 1, error))
      return NULL;

  return g_steal_pointer (&self);
}

char *
wr_failover_policy_to_json (WrFailoverPolicy *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, POLICY_VERSION);
  json_builder_set_member_name (builder, "chains");
  json_builder_begin_array (builder);

  for (guint i = 0; i < self->chains->len; i++)
    {
      Chain *chain = g_ptr_array_index (self->chains, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, chain->pattern);
      json_builder_set_member_name (builder, "fallbacks");
      json_builder_begin_array (builder);
      for (guint j = 0; j < chain->targets->len; j++)
        {
          const WrFailoverTarget *target = &g_array_index (chain->targets, WrFailoverTarget, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "provider");
          json_builder_add_string_value (builder, target->provider);
          json_builder_set_member_name (builder, "model");
          json_builder_add_string_value (builder, target->model);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

gboolean
wr_failover_policy_set_chain (WrFailoverPolicy       *self,
                              const char             *pattern,
                              const WrFailoverTarget *targets,
                              guint                   n_targets,
                              GError                **error)
{
  Chain *chain;
  int index;

  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), FALSE);
  g_return_val_if_fail (targets != NULL || n_targets == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_chain (pattern, 0, targets, n_targets, error))
    return FALSE;

  index = find_chain (self, pattern);
  if (index < 0 && self->chains->len >= WR_FAILOVER_POLICY_MAX_CHAINS)
    {
      g_set_error (error, WR_FAILOVER_POLICY_ERROR, WR_FAILOVER_POLICY_ERROR_INVALID,
                   /* Translators: %u is the largest allowed number of chains. */
                   _("The failover settings have too many chains. Keep at most %u."),
                   (guint) WR_FAILOVER_POLICY_MAX_CHAINS);
      return FALSE;
    }

  chain = chain_new (pattern, targets, n_targets);
  if (index >= 0)
    {
      chain_free (g_ptr_array_index (self->chains, index));
      g_ptr_array_index (self->chains, index) = chain;
    }
  else
    g_ptr_array_add (self->chains, chain);

  emit_changed (self);
  return TRUE;
}

gboolean
wr_failover_policy_remove_chain (WrFailoverPolicy *self,
                                 const char       *pattern)
{
  int index;

  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), FALSE);
  g_return_val_if_fail (pattern != NULL, FALSE);

  index = find_chain (self, pattern);
  if (index < 0)
    return FALSE;

  g_ptr_array_remove_index (self->chains, index);
  emit_changed (self);
  return TRUE;
}

void
wr_failover_policy_clear (WrFailoverPolicy *self)
{
  g_return_if_fail (WR_IS_FAILOVER_POLICY (self));

  g_ptr_array_set_size (self->chains, 0);
  emit_changed (self);
}

guint
wr_failover_policy_get_n_chains (WrFailoverPolicy *self)
{
  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), 0);
  return self->chains->len;
}

const char *
wr_failover_policy_get_pattern (WrFailoverPolicy *self,
                                guint             index)
{
  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), NULL);
  g_return_val_if_fail (index < self->chains->len, NULL);

  return ((Chain *) g_ptr_array_index (self->chains, index))->pattern;
}

const WrFailoverTarget *
wr_failover_policy_get_targets (WrFailoverPolicy *self,
                                guint             index,
                                guint            *n_targets)
{
  Chain *chain;

  if (n_targets != NULL)
    *n_targets = 0;

  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), NULL);
  g_return_val_if_fail (index < self->chains->len, NULL);

  chain = g_ptr_array_index (self->chains, index);
  if (n_targets != NULL)
    *n_targets = chain->targets->len;

  return chain->targets->len > 0 ? (const WrFailoverTarget *) chain->targets->data : NULL;
}

const WrFailoverTarget *
wr_failover_policy_lookup (WrFailoverPolicy *self,
                           const char       *model,
                           guint            *n_targets)
{
  g_autofree char *folded = NULL;

  if (n_targets != NULL)
    *n_targets = 0;

  g_return_val_if_fail (WR_IS_FAILOVER_POLICY (self), NULL);

  if (model == NULL || self->chains->len == 0)
    return NULL;

  folded = g_ascii_strdown (model, -1);
  for (guint i = 0; i < self->chains->len; i++)
    {
      Chain *chain = g_ptr_array_index (self->chains, i);

      if (!g_pattern_match_simple (chain->folded, folded))
        continue;

      if (n_targets != NULL)
        *n_targets = chain->targets->len;
      return chain->targets->len > 0 ? (const WrFailoverTarget *) chain->targets->data : NULL;
    }

  return NULL;
}
