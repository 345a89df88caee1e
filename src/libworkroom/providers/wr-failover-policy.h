/* wr-failover-policy.h — which providers and models answer when a model's
 * provider cannot: an ordered list of chains, each a model pattern and the
 * fallbacks to try in order.
 *
 * A pattern is a model name, or a glob with '*' and '?' ("claude*"); the
 * first chain whose pattern matches the requested model wins. A fallback
 * names a provider kind ("openai", "anthropic", "google") or one provider's
 * id (or name), and the model to ask it for; the router resolves it against
 * the configured providers at call time and skips fallbacks no provider
 * can serve.
 *
 * JSON form (wr_failover_policy_to_json / _new_from_json), for settings:
 *   { "version": 1,
 *     "chains": [ { "model": "gpt-4o",
 *                   "fallbacks": [ { "provider": "anthropic",
 *                                    "model": "claude-3-5-sonnet-latest" } ] } ] }
 * An empty "fallbacks" list is allowed: it turns failover off for models the
 * pattern matches (and hides later, broader patterns).
 *
 * Not thread-safe; use from one thread (the main thread in the app). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_FAILOVER_POLICY_ERROR (wr_failover_policy_error_quark ())

typedef enum {
  WR_FAILOVER_POLICY_ERROR_PARSE,     /* not JSON */
  WR_FAILOVER_POLICY_ERROR_INVALID,   /* JSON, but not a valid policy */
} WrFailoverPolicyError;

GQuark wr_failover_policy_error_quark (void);

/* Limits that keep a hand-edited policy sane. */
#define WR_FAILOVER_POLICY_MAX_CHAINS    256
#define WR_FAILOVER_POLICY_MAX_FALLBACKS 8

/* One fallback of a chain. */
typedef struct {
  char *provider;   /* kind ("openai", "anthropic", "google") or provider id/name */
  char *model;      /* a model name, never a pattern */
} WrFailoverTarget;

#define WR_TYPE_FAILOVER_POLICY (wr_failover_policy_get_type ())
G_DECLARE_FINAL_TYPE (WrFailoverPolicy, wr_failover_policy, WR, FAILOVER_POLICY, GObject)

/* No chains: nothing fails over. (transfer full) */
WrFailoverPolicy *wr_failover_policy_new            (void);
/* The shipped chains: gpt-4o → anthropic claude-3-5-sonnet-latest;
 * claude* → openai gpt-4o-mini; gemini* → openai gpt-4o-mini. */
WrFailoverPolicy *wr_failover_policy_new_default    (void);
/* Parses and validates; on error returns NULL and says where and what
 * (translatable). (transfer full) */
WrFailoverPolicy *wr_failover_policy_new_from_json  (const char        *json,
                                                     gssize             length,
                                                     GError           **error);
/* Pretty-printed JSON of the chains, readable by _new_from_json.
 * (transfer full) */
char             *wr_failover_policy_to_json        (WrFailoverPolicy  *self);

/* Replaces the chain of @pattern (keeping its place) or appends a new one.
 * @targets has @n_targets elements (may be 0). Validates like the JSON
 * reader. Emits "changed". */
gboolean          wr_failover_policy_set_chain      (WrFailoverPolicy       *self,
                                                     const char             *pattern,
                                                     const WrFailoverTarget *targets,
                                                     guint                   n_targets,
                                                     GError                **error);
/* Returns FALSE when no chain has exactly this pattern. Emits "changed". */
gboolean          wr_failover_policy_remove_chain   (WrFailoverPolicy  *self,
                                                     const char        *pattern);
/* Emits "changed". */
void              wr_failover_policy_clear          (WrFailoverPolicy  *self);

guint             wr_failover_policy_get_n_chains   (WrFailoverPolicy  *self);
/* The pattern of chain @index. (transfer none) */
const char       *wr_failover_policy_get_pattern    (WrFailoverPolicy  *self,
                                                     guint              index);
/* The fallbacks of chain @index; @n_targets receives their number.
 * (transfer none, valid until the policy changes) */
const WrFailoverTarget *wr_failover_policy_get_targets (WrFailoverPolicy *self,
                                                        guint             index,
                                                        guint            *n_targets);

/* The fallbacks for @model: those of the first chain whose pattern
 * matches, or none (NULL, *n_targets = 0). (transfer none, valid until the
 * policy changes) */
const WrFailoverTarget *wr_failover_policy_lookup   (WrFailoverPolicy  *self,
                                                     const char        *model,
                                                     guint             *n_targets);

/* Signal "changed" (no arguments): any edit, so a settings page or the
 * store can save it. */

G_END_DECLS
