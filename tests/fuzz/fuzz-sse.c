/* fuzz-sse.c — WrSseParser with hostile streams split at hostile places.
 *
 * Input layout: byte 0 picks a small event size limit, byte 1 after how
 * many events the callback asks to stop (0: never), bytes 2–3 seed the
 * chunk sizes; the rest is the stream. It is parsed twice, in one feed and
 * in chunks (some empty); both must give the same events, the same
 * failure and the same finish() result, and the buffered bytes must stay
 * within the limit after every feed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "providers/wr-sse-parser.h"

typedef struct
{
  GString *log;
  gsize    max;
  guint    n_events;
  guint    stop_after;   /* 0: never */
  gboolean stopped;
} Run;

static gboolean
on_event_cb (const char *event,
             const char *data,
             gsize       data_len,
             const char *id,
             gpointer    user_data)
{
  Run *run = user_data;

  FUZZ_CHECK (!run->stopped, "event after the callback asked to stop");
  FUZZ_CHECK (event != NULL && event[0] != '\0', "empty event name");
  FUZZ_CHECK (data != NULL && data[data_len] == '\0', "data not NUL-terminated");
  FUZZ_CHECK (data_len < run->max, "event of %" G_GSIZE_FORMAT " bytes over the limit", data_len);
  FUZZ_CHECK (id == NULL || id[0] != '\0', "empty id given as non-NULL");
  FUZZ_CHECK (id == NULL || strlen (id) < run->max + 8, "id longer than a line may be");

  /* Lengths first, so different splits of the same bytes compare equal
   * only when they really are equal. */
  g_string_append_printf (run->log, "[%zu:%s|%zu:%s|%zu:", strlen (event), event,
                          id ? strlen (id) : 0, id ? id : "", data_len);
  g_string_append_len (run->log, data, data_len);
  g_string_append_c (run->log, ']');

  run->n_events++;
  if (run->stop_after != 0 && run->n_events >= run->stop_after)
    {
      run->stopped = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* xorshift32: chunk sizes reproducible from the input alone. */
static guint32
next_random (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

static gboolean
parse (const char *buf,
       gsize       len,
       gsize       max,
       guint       stop_after,
       guint32     seed,     /* 0: in one feed */
       GString    *log,
       gboolean   *boundary)
{
  g_autoptr(WrSseParser) parser = NULL;
  Run run = { log, max, 0, stop_after, FALSE };
  guint32 state = seed;
  gsize pos = 0;
  gboolean ok = TRUE;

  parser = wr_sse_parser_new (on_event_cb, &run);
  wr_sse_parser_set_max_event_size (parser, max);

  do
    {
      g_autoptr(GError) error = NULL;
      gsize n = len - pos;

      if (seed != 0)
        {
          guint32 r = next_random (&state);

          /* Mostly tiny pieces (CR|LF and BOM splits), some empty, a few big. */
          n = MIN (n, (r & 0xff) < 0xf0 ? (r >> 8) % 5 : (r >> 8) % 300);
        }

      if (!wr_sse_parser_feed (parser, buf + pos, n, &error))
        {
          FUZZ_CHECK (g_error_matches (error, WR_SSE_ERROR, WR_SSE_ERROR_TOO_LARGE),
                      "unexpected error %s", error ? error->message : "(none)");
          ok = FALSE;
          break;
        }
      FUZZ_CHECK (error == NULL, "error set on success");
      FUZZ_CHECK (wr_sse_parser_get_buffered (parser) <= max,
                  "%" G_GSIZE_FORMAT " bytes buffered with a limit of %" G_GSIZE_FORMAT,
                  wr_sse_parser_get_buffered (parser), max);
      pos += n;
    }
  while (pos < len);

  if (!ok)
    {
      g_autoptr(GError) error = NULL;

      /* A failed parser stays failed. */
      FUZZ_CHECK (!wr_sse_parser_feed (parser, "data: x\n\n", 9, &error), "feed after failure");
      FUZZ_CHECK (error != NULL, "no error after failure");
      g_string_append (log, "<too large>");
    }
  else
    {
      /* Once stopped, more input is ignored. */
      if (run.stopped)
        FUZZ_CHECK (wr_sse_parser_feed (parser, "data: x\n\n", 9, NULL), "feed after stop");
      *boundary = wr_sse_parser_finish (parser);
      FUZZ_CHECK (wr_sse_parser_get_buffered (parser) == 0, "finish() kept data");
    }

  return ok;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) split = g_string_new (NULL);
  gboolean boundary_whole = FALSE, boundary_split = FALSE;
  gboolean ok_whole, ok_split;
  const char *stream;
  gsize len, max;
  guint stop_after;
  guint32 seed;

  if (size < 4)
    return 0;

  max = 1 + data[0] % 96;
  stop_after = data[1] % 8;
  seed = (data[2] << 8 | data[3]) + 1;   /* never 0 */
  stream = (const char *) data + 4;
  len = size - 4;

  ok_whole = parse (stream, len, max, stop_after, 0, whole, &boundary_whole);
  ok_split = parse (stream, len, max, stop_after, seed, split, &boundary_split);

  FUZZ_CHECK (ok_whole == ok_split, "whole %s, split %s",
              ok_whole ? "ok" : "failed", ok_split ? "ok" : "failed");
  FUZZ_CHECK (g_string_equal (whole, split), "whole %s\nsplit %s", whole->str, split->str);
  if (ok_whole && stop_after == 0)
    FUZZ_CHECK (boundary_whole == boundary_split, "finish() differs");

  /* Default limit, one feed: only the splitting-independent checks. */
  {
    g_autoptr(GString) log = g_string_new (NULL);
    gboolean boundary;

    FUZZ_CHECK (parse (stream, len, WR_SSE_DEFAULT_MAX_EVENT_SIZE, 0, 0, log, &boundary),
                "a small input overflowed the default limit");
  }

  return 0;
}
