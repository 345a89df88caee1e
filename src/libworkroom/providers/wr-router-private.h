/* wr-router-private.h — what only the router, its breakers and their tests
 * use. */
#pragma once

#include "wr-circuit-breaker.h"
#include "wr-router.h"

G_BEGIN_DECLS

/* A monotonic clock in microseconds (g_get_monotonic_time by default). */
typedef gint64 (*WrClockFunc) (gpointer user_data);

/* Replaces the breaker's clock (NULL: the real one), so tests can step
 * through cool-downs without sleeping. */
void  _wr_circuit_breaker_set_clock (WrCircuitBreaker *self,
                                     WrClockFunc       clock,
                                     gpointer          clock_data);
/* The same for every breaker the router has and will make. */
void  _wr_router_set_clock          (WrRouter         *self,
                                     WrClockFunc       clock,
                                     gpointer          clock_data);

G_END_DECLS
