/* wr-util.h — small helpers shared by every domain of libworkroom. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A random 128-bit id as 32 lowercase hex characters (transfer full). */
char   *wr_new_id              (void);

/* Wall-clock time in microseconds since the Unix epoch (UTC). */
gint64  wr_now_usec            (void);

/* ISO 8601 UTC text for a time in microseconds (transfer full). */
char   *wr_format_time         (gint64 usec);

/* Removes API keys and bearer tokens from @text for logs and error messages. */
char   *wr_redact_secrets      (const char *text);

G_END_DECLS
