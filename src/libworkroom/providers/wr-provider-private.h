/* wr-provider-private.h — what only the providers folder uses. */
#pragma once

#include "wr-provider.h"

G_BEGIN_DECLS

/* Retry-After carried inside a WR_PROVIDER_ERROR (extended GError), so
 * wr_provider_describe_error() can say how long to wait. -1 when unknown. */
void    _wr_provider_error_set_retry_after (GError *error,
                                            gint64  retry_after_ms);
gint64  _wr_provider_error_get_retry_after (const GError *error);

/* wr_redact_secrets() plus every literal occurrence of the provider's API
 * key, whatever its shape. (transfer full, nullable) */
char   *_wr_provider_redact                (WrProvider *self,
                                            const char *text);

G_END_DECLS
