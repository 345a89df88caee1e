/* wr-util.h — small helpers shared by every domain of libworkroom. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A random 128-bit id as 32 lowercase hex characters (transfer full). */
char   *wr_new_id              (void);

/* Wall-clock time in microseconds since the Unix epoch (UTC). */
gint64  wr_now_usec            (void);

/* ISO 8601 UTC text for a time in microseconds (transfer full). */
char   *wr_format_time         (gint64 usec);

/* Removes API keys and bearer tokens from @text for logs and error messages. */
char   *wr_redact_secrets      (const char *text);

/* What is wrong with a name someone typed (templates, artifacts…). */
typedef enum {
  WR_NAME_OK,
  WR_NAME_EMPTY,      /* nothing but white space, or not UTF-8 */
  WR_NAME_TOO_LONG,   /* more than the caller's limit of characters */
} WrNameProblem;

/* @name without surrounding white space (transfer full), or NULL with
 * *@out_problem saying why it cannot be used; the caller words the error. */
char   *wr_strip_name          (const char    *name,
                                guint          max_chars,
                                WrNameProblem *out_problem);

/* Progress of a worker thread's task, for callers on another thread:
 * wr_task_post_progress() (any thread) has @deliver run on @context (the
 * caller's thread-default context, kept in the task's data) with the
 * task, which stays alive until then. */
typedef void (*WrTaskProgressFunc) (GTask      *task,
                                    double      fraction,
                                    const char *stage);   /* nullable */

void    wr_task_post_progress  (GTask              *task,
                                GMainContext       *context,
                                WrTaskProgressFunc  deliver,
                                double              fraction,
                                const char         *stage);

G_END_DECLS
