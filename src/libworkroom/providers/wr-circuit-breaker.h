/* wr-circuit-breaker.h — stops sending to a provider that keeps failing.
 *
 * One breaker per provider (the router keeps them by provider id):
 *   closed     requests go through; "failure-threshold" consecutive
 *              transient failures (connection, timeout, 429, 5xx, a stream
 *              dropped) open it. Configuration errors (401/403, 404, 400,
 *              unreadable answers) do not count: the provider is up, and
 *              pausing it would not fix the key or the model name.
 *   open       requests are refused for the cool-down ("cooldown", 30 s by
 *              default, or the provider's Retry-After when longer).
 *   half-open  once the cool-down is over, one probe request goes through;
 *              its success closes the breaker (and resets the cool-down),
 *              its failure opens it again for twice the cool-down, up to
 *              "max-cooldown" (5 min).
 *
 * Not thread-safe; use from one thread (the router's). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  WR_CIRCUIT_CLOSED,
  WR_CIRCUIT_OPEN,
  WR_CIRCUIT_HALF_OPEN,
} WrCircuitState;

#define WR_TYPE_CIRCUIT_STATE (wr_circuit_state_get_type ())
GType wr_circuit_state_get_type (void);

#define WR_CIRCUIT_BREAKER_DEFAULT_THRESHOLD     3
#define WR_CIRCUIT_BREAKER_DEFAULT_COOLDOWN_MS   (30 * 1000)
#define WR_CIRCUIT_BREAKER_DEFAULT_MAX_COOLDOWN_MS (5 * 60 * 1000)

#define WR_TYPE_CIRCUIT_BREAKER (wr_circuit_breaker_get_type ())
G_DECLARE_FINAL_TYPE (WrCircuitBreaker, wr_circuit_breaker, WR, CIRCUIT_BREAKER, GObject)

/* properties: "state" (WrCircuitState, read-only, notified on every
 * change), "failure-threshold" (guint, >= 1), "cooldown" (ms, >= 1),
 * "max-cooldown" (ms) */
WrCircuitBreaker *wr_circuit_breaker_new               (void);

/* TRUE when a request may be sent now. When the cool-down is over this
 * moves an open breaker to half-open and admits exactly one probe; every
 * later call is refused until that probe is recorded. */
gboolean          wr_circuit_breaker_try_acquire       (WrCircuitBreaker *self);
void              wr_circuit_breaker_record_success    (WrCircuitBreaker *self);
/* Counts @error when wr_circuit_breaker_error_counts() says so; any other
 * error only ends a half-open probe without deciding (the next request
 * probes again). */
void              wr_circuit_breaker_record_failure    (WrCircuitBreaker *self,
                                                        const GError     *error);
/* A request that was cancelled: ends a probe without deciding. */
void              wr_circuit_breaker_record_cancelled  (WrCircuitBreaker *self);
/* Back to closed, counters and cool-down reset. */
void              wr_circuit_breaker_reset             (WrCircuitBreaker *self);

/* The state now: an open breaker whose cool-down is over reads as
 * half-open (the next request will probe). */
WrCircuitState    wr_circuit_breaker_get_state         (WrCircuitBreaker *self);
/* Milliseconds until an open breaker lets a probe through; 0 otherwise. */
gint64            wr_circuit_breaker_get_remaining_ms  (WrCircuitBreaker *self);
guint             wr_circuit_breaker_get_consecutive_failures (WrCircuitBreaker *self);

guint             wr_circuit_breaker_get_failure_threshold (WrCircuitBreaker *self);
void              wr_circuit_breaker_set_failure_threshold (WrCircuitBreaker *self,
                                                            guint             threshold);
guint             wr_circuit_breaker_get_cooldown      (WrCircuitBreaker *self);
void              wr_circuit_breaker_set_cooldown      (WrCircuitBreaker *self,
                                                        guint             msec);
guint             wr_circuit_breaker_get_max_cooldown  (WrCircuitBreaker *self);
void              wr_circuit_breaker_set_max_cooldown  (WrCircuitBreaker *self,
                                                        guint             msec);

/* Whether @error says the provider is unwell (counts toward opening):
 * WR_PROVIDER_ERROR CONNECTION, TIMEOUT, RATE_LIMITED, SERVER,
 * INTERRUPTED. Not cancellation, not configuration errors. */
gboolean          wr_circuit_breaker_error_counts      (const GError     *error);

G_END_DECLS
