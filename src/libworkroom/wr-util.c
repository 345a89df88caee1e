/* wr-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-util.h"

#include <string.h>

char *
wr_new_id (void)
{
  guint8 bytes[16];
  char *out = g_malloc (33);

  /* g_random uses a per-thread-safe PRNG seeded from /dev/urandom; ids need
   * uniqueness, not secrecy. */
  for (guint i = 0; i < G_N_ELEMENTS (bytes); i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (bytes + i, &r, 4);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bytes); i++)
    g_snprintf (out + i * 2, 3, "%02x", bytes[i]);

  return out;
}

gint64
wr_now_usec (void)
{
  return g_get_real_time ();
}

char *
wr_format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format_iso8601 (dt);
}

char *
wr_redact_secrets (const char *text)
{
  static GRegex *regex;

  if (text == NULL)
    return NULL;

  if (g_once_init_enter (&regex))
    {
      GRegex *r = g_regex_new ("(Bearer\\s+|sk-|key=|x-api-key:\\s*|x-goog-api-key:\\s*)[A-Za-z0-9_\\-\\.]{6,}",
                               G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, r);
    }

  return g_regex_replace (regex, text, -1, 0, "\\1[redacted]", 0, NULL);
}

char *
wr_strip_name (const char    *name,
               guint          max_chars,
               WrNameProblem *out_problem)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (out_problem != NULL, NULL);

  *out_problem = WR_NAME_EMPTY;
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  stripped = g_strstrip (g_strdup (name));
  if (*stripped == '\0')
    return NULL;
  if (g_utf8_strlen (stripped, -1) > (glong) max_chars)
    {
      *out_problem = WR_NAME_TOO_LONG;
      return NULL;
    }

  *out_problem = WR_NAME_OK;
  return g_steal_pointer (&stripped);
}

typedef struct
{
  GTask              *task;      /* owned */
  WrTaskProgressFunc  deliver;
  double              fraction;
  char               *stage;
} TaskProgress;

static gboolean
task_progress_cb (gpointer user_data)
{
  TaskProgress *event = user_data;

  event->deliver (event->task, event->fraction, event->stage);
  return G_SOURCE_REMOVE;
}

static void
task_progress_free (gpointer user_data)
{
  TaskProgress *event = user_data;

  g_object_unref (event->task);
  g_free (event->stage);
  g_free (event);
}

void
wr_task_post_progress (GTask              *task,
                       GMainContext       *context,
                       WrTaskProgressFunc  deliver,
                       double              fraction,
                       const char         *stage)
{
  TaskProgress *event = g_new0 (TaskProgress, 1);

  event->task = g_object_ref (task);
  event->deliver = deliver;
  event->fraction = fraction;
  event->stage = g_strdup (stage);
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, task_progress_cb, event, task_progress_free);
}
