/* wr-circuit-breaker.c — closed / open / half-open per provider.
 *
 * Time comes from an injectable monotonic clock so the tests can walk
 * through a 30 s cool-down without waiting for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-circuit-breaker.h"
#include "wr-provider.h"
#include "wr-provider-private.h"
#include "wr-router-private.h"

struct _WrCircuitBreaker
{
  GObject         parent_instance;

  WrCircuitState  state;            /* as last decided; see get_state() */
  guint           failures;         /* consecutive, counted ones */
  gboolean        probing;          /* half-open: the probe is out */
  gint64          open_until_usec;  /* clock time the cool-down ends */
  guint           current_cooldown; /* ms; doubles on a failed probe */

  guint           threshold;
  guint           cooldown;         /* ms */
  guint           max_cooldown;     /* ms */

  WrClockFunc     clock;
  gpointer        clock_data;
};

G_DEFINE_FINAL_TYPE (WrCircuitBreaker, wr_circuit_breaker, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (WrCircuitState, wr_circuit_state,
                    G_DEFINE_ENUM_VALUE (WR_CIRCUIT_CLOSED, "closed"),
                    G_DEFINE_ENUM_VALUE (WR_CIRCUIT_OPEN, "open"),
                    G_DEFINE_ENUM_VALUE (WR_CIRCUIT_HALF_OPEN, "half-open"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_FAILURE_THRESHOLD,
  PROP_COOLDOWN,
  PROP_MAX_COOLDOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static gint64
now_usec (WrCircuitBreaker *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

static void
set_state (WrCircuitBreaker *self,
           WrCircuitState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
open_for (WrCircuitBreaker *self,
          guint             cooldown_ms,
          gint64            retry_after_ms)
{
  gint64 wait_ms = MAX ((gint64) cooldown_ms, retry_after_ms);

  /* A server asking for an hour is not one we wait an hour for. */
  wait_ms = MIN (wait_ms, (gint64) MAX (self->max_cooldown, cooldown_ms));
  self->open_until_usec = now_usec (self) + wait_ms * G_TIME_SPAN_MILLISECOND;
  self->probing = FALSE;
  set_state (self, WR_CIRCUIT_OPEN);
}

/* GObject */

static void
wr_circuit_breaker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WrCircuitBreaker *self = WR_CIRCUIT_BREAKER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, wr_circuit_breaker_get_state (self));
      break;
    case PROP_FAILURE_THRESHOLD:
      g_value_set_uint (value, self->threshold);
      break;
    case PROP_COOLDOWN:
      g_value_set_uint (value, self->cooldown);
      break;
    case PROP_MAX_COOLDOWN:
      g_value_set_uint (value, self->max_cooldown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_circuit_breaker_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  WrCircuitBreaker *self = WR_CIRCUIT_BREAKER (object);

  switch (prop_id)
    {
    case PROP_FAILURE_THRESHOLD:
      wr_circuit_breaker_set_failure_threshold (self, g_value_get_uint (value));
      break;
    case PROP_COOLDOWN:
      wr_circuit_breaker_set_cooldown (self, g_value_get_uint (value));
      break;
    case PROP_MAX_COOLDOWN:
      wr_circuit_breaker_set_max_cooldown (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_circuit_breaker_class_init (WrCircuitBreakerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wr_circuit_breaker_get_property;
  object_class->set_property = wr_circuit_breaker_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       WR_TYPE_CIRCUIT_STATE, WR_CIRCUIT_CLOSED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILURE_THRESHOLD] =
    g_param_spec_uint ("failure-threshold", NULL, NULL,
                       1, G_MAXUINT, WR_CIRCUIT_BREAKER_DEFAULT_THRESHOLD,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COOLDOWN] =
    g_param_spec_uint ("cooldown", NULL, NULL,
                       1, G_MAXUINT, WR_CIRCUIT_BREAKER_DEFAULT_COOLDOWN_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_COOLDOWN] =
    g_param_spec_uint ("max-cooldown", NULL, NULL,
                       1, G_MAXUINT, WR_CIRCUIT_BREAKER_DEFAULT_MAX_COOLDOWN_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_circuit_breaker_init (WrCircuitBreaker *self)
{
  self->state = WR_CIRCUIT_CLOSED;
  self->threshold = WR_CIRCUIT_BREAKER_DEFAULT_THRESHOLD;
  self->cooldown = WR_CIRCUIT_BREAKER_DEFAULT_COOLDOWN_MS;
  self->max_cooldown = WR_CIRCUIT_BREAKER_DEFAULT_MAX_COOLDOWN_MS;
  self->current_cooldown = self->cooldown;
}

/* Private API */

void
_wr_circuit_breaker_set_clock (WrCircuitBreaker *self,
                               WrClockFunc       clock,
                               gpointer          clock_data)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));

  self->clock = clock;
  self->clock_data = clock_data;
}

/* API */

WrCircuitBreaker *
wr_circuit_breaker_new (void)
{
  return g_object_new (WR_TYPE_CIRCUIT_BREAKER, NULL);
}

gboolean
wr_circuit_breaker_error_counts (const GError *error)
{
  if (error == NULL || error->domain != WR_PROVIDER_ERROR)
    return FALSE;

  switch ((WrProviderError) error->code)
    {
    case WR_PROVIDER_ERROR_CONNECTION:
    case WR_PROVIDER_ERROR_TIMEOUT:
    case WR_PROVIDER_ERROR_RATE_LIMITED:
    case WR_PROVIDER_ERROR_SERVER:
    case WR_PROVIDER_ERROR_INTERRUPTED:
      return TRUE;

    case WR_PROVIDER_ERROR_FAILED:
    case WR_PROVIDER_ERROR_AUTH:
    case WR_PROVIDER_ERROR_MODEL_NOT_FOUND:
    case WR_PROVIDER_ERROR_BAD_REQUEST:
    case WR_PROVIDER_ERROR_PROTOCOL:
    default:
      return FALSE;
    }
}

gboolean
wr_circuit_breaker_try_acquire (WrCircuitBreaker *self)
{
  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), TRUE);

  switch (self->state)
    {
    case WR_CIRCUIT_CLOSED:
      return TRUE;

    case WR_CIRCUIT_OPEN:
      if (now_usec (self) < self->open_until_usec)
        return FALSE;
      self->probing = TRUE;
      set_state (self, WR_CIRCUIT_HALF_OPEN);
      return TRUE;

    case WR_CIRCUIT_HALF_OPEN:
    default:
      if (self->probing)
        return FALSE;
      self->probing = TRUE;
      return TRUE;
    }
}

void
wr_circuit_breaker_record_success (WrCircuitBreaker *self)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));

  self->failures = 0;
  self->probing = FALSE;
  self->current_cooldown = self->cooldown;
  set_state (self, WR_CIRCUIT_CLOSED);
}

void
wr_circuit_breaker_record_failure (WrCircuitBreaker *self,
                                   const GError     *error)
{
  gint64 retry_after_ms;

  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));

  if (!wr_circuit_breaker_error_counts (error))
    {
      self->probing = FALSE;
      return;
    }

  self->failures++;
  retry_after_ms = _wr_provider_error_get_retry_after (error);

  switch (self->state)
    {
    case WR_CIRCUIT_CLOSED:
      if (self->failures >= self->threshold)
        open_for (self, self->current_cooldown, retry_after_ms);
      break;

    case WR_CIRCUIT_HALF_OPEN:
      /* The probe failed: the provider is still down, wait longer. */
      self->current_cooldown = (guint) MIN ((guint64) self->current_cooldown * 2,
                                            (guint64) MAX (self->max_cooldown, self->cooldown));
      open_for (self, self->current_cooldown, retry_after_ms);
      break;

    case WR_CIRCUIT_OPEN:
    default:
      /* A request sent while open (the router's last resort) failed:
       * start the same cool-down again. */
      open_for (self, self->current_cooldown, retry_after_ms);
      break;
    }
}

void
wr_circuit_breaker_record_cancelled (WrCircuitBreaker *self)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));

  self->probing = FALSE;
}

void
wr_circuit_breaker_reset (WrCircuitBreaker *self)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));

  self->failures = 0;
  self->probing = FALSE;
  self->open_until_usec = 0;
  self->current_cooldown = self->cooldown;
  set_state (self, WR_CIRCUIT_CLOSED);
}

WrCircuitState
wr_circuit_breaker_get_state (WrCircuitBreaker *self)
{
  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), WR_CIRCUIT_CLOSED);

  if (self->state == WR_CIRCUIT_OPEN && now_usec (self) >= self->open_until_usec)
    return WR_CIRCUIT_HALF_OPEN;
  return self->state;
}

gint64
wr_circuit_breaker_get_remaining_ms (WrCircuitBreaker *self)
{
  gint64 left;

  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), 0);

  if (self->state != WR_CIRCUIT_OPEN)
    return 0;
  left = self->open_until_usec - now_usec (self);
  return left > 0 ? (left + G_TIME_SPAN_MILLISECOND - 1) / G_TIME_SPAN_MILLISECOND : 0;
}

guint
wr_circuit_breaker_get_consecutive_failures (WrCircuitBreaker *self)
{
  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), 0);
  return self->failures;
}

guint
wr_circuit_breaker_get_failure_threshold (WrCircuitBreaker *self)
{
  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), 0);
  return self->threshold;
}

void
wr_circuit_breaker_set_failure_threshold (WrCircuitBreaker *self,
                                          guint             threshold)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));
  g_return_if_fail (threshold >= 1);

  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_THRESHOLD]);
}

guint
wr_circuit_breaker_get_cooldown (WrCircuitBreaker *self)
{
  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), 0);
  return self->cooldown;
}

void
wr_circuit_breaker_set_cooldown (WrCircuitBreaker *self,
                                 guint             msec)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));
  g_return_if_fail (msec >= 1);

  if (self->cooldown == msec)
    return;
  /* A breaker that has not backed off yet follows the new setting. */
  if (self->current_cooldown == self->cooldown)
    self->current_cooldown = msec;
  self->cooldown = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COOLDOWN]);
}

guint
wr_circuit_breaker_get_max_cooldown (WrCircuitBreaker *self)
{
  g_return_val_if_fail (WR_IS_CIRCUIT_BREAKER (self), 0);
  return self->max_cooldown;
}

void
wr_circuit_breaker_set_max_cooldown (WrCircuitBreaker *self,
                                     guint             msec)
{
  g_return_if_fail (WR_IS_CIRCUIT_BREAKER (self));
  g_return_if_fail (msec >= 1);

  if (self->max_cooldown == msec)
    return;
  self->max_cooldown = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_COOLDOWN]);
}
