/* test-sse-parser.c — WrSseParser against the WHATWG event-stream rules.
 *
 * Every case is fed whole, split in two at every byte position, and byte by
 * byte; all ways must give the same events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "providers/wr-sse-parser.h"

typedef struct
{
  const char *name;
  const char *input;
  gssize      input_len;   /* -1: strlen */
  const char *expected;    /* events, each "[event|id|escaped data]" */
  gboolean    boundary;    /* what finish() should return */
  gsize       max_size;    /* 0: default */
  gboolean    too_large;   /* feed fails with TOO_LARGE */
} SseCase;

static const SseCase cases[] = {
  { "simple", "data: hello\n\n", -1, "[message||hello]", TRUE },
  { "no-space", "data:hello\n\n", -1, "[message||hello]", TRUE },
  { "one-space-stripped", "data:  two spaces\n\n", -1, "[message|| two spaces]", TRUE },
  { "multi-line", "data: a\ndata: b\ndata:\n\n", -1, "[message||a\\nb\\n]", TRUE },
  { "crlf", "data: a\r\n\r\ndata: b\r\n\r\n", -1, "[message||a][message||b]", TRUE },
  { "cr", "data: a\r\rdata: b\r\r", -1, "[message||a][message||b]", TRUE },
  { "mixed-endings", "data: a\r\n\rdata: b\n\r\ndata: c\r\n\n", -1,
    "[message||a][message||b][message||c]", TRUE },
  { "crlf-multi-line", "data: 1\r\ndata: 2\r\n\r\n", -1, "[message||1\\n2]", TRUE },
  { "cr-then-lf-is-one-end", "data: x\r\ndata: y\r\n\r\n", -1, "[message||x\\ny]", TRUE },
  { "comments", ": keep-alive\n\ndata: x\n: inside\n\n:\n\n", -1, "[message||x]", TRUE },
  { "bom", "\xEF\xBB\xBF" "data: bom\n\n", -1, "[message||bom]", TRUE },
  { "bom-only-once", "\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\ndata: y\n\n", -1, "[message||y]", TRUE },
  { "partial-bom-is-content", "\xEF\xBB" "data: x\n\ndata: y\n\n", -1, "[message||y]", TRUE },
  { "event-and-id", "event: delta\nid: 42\ndata: x\n\ndata: y\n\n", -1,
    "[delta|42|x][message|42|y]", TRUE },
  { "id-reset", "id: 1\ndata: a\n\nid\ndata: b\n\n", -1, "[message|1|a][message||b]", TRUE },
  { "id-with-nul-ignored", "id: 7\ndata: a\n\nid: 8\0x\ndata: b\n\n", 32,
    "[message|7|a][message|7|b]", TRUE },
  { "event-resets", "event: e\ndata: 1\n\ndata: 2\n\n", -1, "[e||1][message||2]", TRUE },
  { "empty-event-name", "event:\ndata: 1\n\n", -1, "[message||1]", TRUE },
  { "field-without-colon", "data\n\n", -1, "[message||]", TRUE },
  { "data-empty-twice", "data\ndata\n\n", -1, "[message||\\n]", TRUE },
  { "no-data-no-event", "event: x\n\nid: 3\n\n", -1, "", TRUE },
  { "unknown-fields-and-retry", "retry: 1000\nretry: x\nfoo: bar\ndata: z\n\n", -1,
    "[message||z]", TRUE },
  { "colon-in-value", "data: a:b: c\n\n", -1, "[message||a:b: c]", TRUE },
  { "leading-blank-lines", "\n\n\r\ndata: x\n\n", -1, "[message||x]", TRUE },
  { "utf8", "data: h\xC3\xA9llo \xE2\x9C\x93\n\n", -1, "[message||h\\303\\251llo \\342\\234\\223]", TRUE },
  { "no-trailing-blank-line", "data: a\n\ndata: b\n", -1, "[message||a]", FALSE },
  { "no-trailing-newline", "data: a\n\ndata: b", -1, "[message||a]", FALSE },
  { "trailing-comment-only", "data: a\n\n: bye\n", -1, "[message||a]", TRUE },
  { "openai", "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
              ": ping\n\n"
              "data: [DONE]\n\n", -1,
    "[message||{\\\"choices\\\":[{\\\"delta\\\":{\\\"content\\\":\\\"Hi\\\"}}]}][message||[DONE]]", TRUE },
  { "empty", "", -1, "", TRUE },
  /* Memory bound: events before the big one still arrive. */
  { "too-large-line", "data: ok\n\ndata: 0123456789abcdefghijklmnop\n\n", -1, "[message||ok]",
    FALSE, 16, TRUE },
  { "too-large-unterminated", "data: ok\n\ndata: 0123456789abcdefghijklmnopqrstuvwxyz", -1,
    "[message||ok]", FALSE, 16, TRUE },
  { "too-large-multi-line", "data: 0123456\ndata: 0123456\ndata: 0123456\n\n", -1, "",
    FALSE, 16, TRUE },
  { "fits-exactly", "data: 0123456789abcd\n\n", -1, "[message||0123456789abcd]", TRUE, 20 },
};

typedef struct
{
  GString *log;
} Collector;

static gboolean
collect_cb (const char *event,
            const char *data,
            gsize       data_len,
            const char *id,
            gpointer    user_data)
{
  Collector *c = user_data;
  g_autofree char *escaped = NULL;

  g_assert_cmpuint (strlen (data), ==, data_len);
  g_assert_nonnull (event);
  g_assert_cmpstr (event, !=, "");
  escaped = g_strescape (data, NULL);
  g_string_append_printf (c->log, "[%s|%s|%s]", event, id ? id : "", escaped);
  return TRUE;
}

/* Feeds @input cut at @cuts (sorted offsets); returns the log. */
static void
run_case (const SseCase *tc,
          const gsize   *cuts,
          guint          n_cuts,
          const char    *how)
{
  Collector c = { g_string_new (NULL) };
  g_autoptr(WrSseParser) parser = wr_sse_parser_new (collect_cb, &c);
  gsize len = tc->input_len >= 0 ? (gsize) tc->input_len : strlen (tc->input);
  gsize pos = 0;
  gboolean failed = FALSE;

  if (tc->max_size > 0)
    wr_sse_parser_set_max_event_size (parser, tc->max_size);

  for (guint i = 0; i <= n_cuts && !failed; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;
      g_autoptr(GError) error = NULL;

      if (!wr_sse_parser_feed (parser, tc->input + pos, end - pos, &error))
        {
          if (!tc->too_large)
            g_error ("case %s (%s): unexpected error: %s", tc->name, how, error->message);
          g_assert_error (error, WR_SSE_ERROR, WR_SSE_ERROR_TOO_LARGE);
          failed = TRUE;
        }
      else
        g_assert_no_error (error);
      /* Bounded memory, whatever the input. */
      if (tc->max_size > 0)
        g_assert_cmpuint (wr_sse_parser_get_buffered (parser), <=, tc->max_size * 2);
      pos = end;
    }

  if (tc->too_large && !failed)
    g_error ("case %s (%s): expected TOO_LARGE", tc->name, how);

  if (g_strcmp0 (c.log->str, tc->expected) != 0)
    g_error ("case %s (%s): got \"%s\", expected \"%s\"", tc->name, how, c.log->str, tc->expected);

  if (!tc->too_large)
    {
      gboolean boundary = wr_sse_parser_finish (parser);
      if (boundary != tc->boundary)
        g_error ("case %s (%s): finish() returned %d", tc->name, how, boundary);
      g_assert_cmpuint (wr_sse_parser_get_buffered (parser), ==, 0);
    }

  g_string_free (c.log, TRUE);
}

static void
test_case (gconstpointer data)
{
  const SseCase *tc = data;
  gsize len = tc->input_len >= 0 ? (gsize) tc->input_len : strlen (tc->input);
  g_autofree gsize *cuts = g_new (gsize, len + 1);

  run_case (tc, NULL, 0, "whole");

  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *how = g_strdup_printf ("split at %" G_GSIZE_FORMAT, i);
      cuts[0] = i;
      run_case (tc, cuts, 1, how);
    }

  for (gsize i = 0; i < len; i++)
    cuts[i] = i + 1;
  run_case (tc, cuts, len > 0 ? len - 1 : 0, "byte by byte");

  /* Three pieces, every pair of cut points (inputs are short). */
  for (gsize i = 0; i <= len; i++)
    for (gsize j = i; j <= len; j++)
      {
        gsize two[2] = { i, j };
        run_case (tc, two, 2, "three pieces");
      }
}

static gboolean
stop_after_first_cb (const char *event,
                     const char *data,
                     gsize       data_len,
                     const char *id,
                     gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
  return FALSE;
}

static void
test_stop (void)
{
  guint count = 0;
  g_autoptr(WrSseParser) parser = wr_sse_parser_new (stop_after_first_cb, &count);
  g_autoptr(GError) error = NULL;
  const char *input = "data: 1\n\ndata: 2\n\n";

  g_assert_true (wr_sse_parser_feed (parser, input, strlen (input), &error));
  g_assert_no_error (error);
  g_assert_true (wr_sse_parser_feed (parser, input, strlen (input), &error));
  g_assert_cmpuint (count, ==, 1);
}

static void
test_error_is_sticky (void)
{
  Collector c = { g_string_new (NULL) };
  g_autoptr(WrSseParser) parser = wr_sse_parser_new (collect_cb, &c);
  g_autoptr(GError) error = NULL;
  char big[64];

  memset (big, 'x', sizeof big);
  wr_sse_parser_set_max_event_size (parser, 32);
  g_assert_true (wr_sse_parser_feed (parser, "data: ", 6, &error));
  /* No line end ever arrives: the buffer must not grow without bound. */
  g_assert_false (wr_sse_parser_feed (parser, big, sizeof big, &error));
  g_assert_error (error, WR_SSE_ERROR, WR_SSE_ERROR_TOO_LARGE);
  g_assert_cmpuint (wr_sse_parser_get_buffered (parser), <=, 32);
  g_clear_error (&error);
  g_assert_false (wr_sse_parser_feed (parser, "\n\n", 2, &error));
  g_assert_error (error, WR_SSE_ERROR, WR_SSE_ERROR_TOO_LARGE);
  g_assert_cmpstr (c.log->str, ==, "");
  g_string_free (c.log, TRUE);
}

/* A long realistic stream in odd-sized pieces matches the whole feed. */
static void
test_large_stream (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  Collector c = { g_string_new (NULL) };
  g_autoptr(WrSseParser) parser = wr_sse_parser_new (collect_cb, &c);
  gsize pos = 0;
  guint step = 1;

  for (guint i = 0; i < 2000; i++)
    {
      const char *eol = (i % 3 == 0) ? "\r\n" : (i % 3 == 1) ? "\n" : "\r";
      g_string_append_printf (input, "data: {\"n\":%u}%s%s", i, eol, eol);
      if (i % 50 == 0)
        g_string_append_printf (input, ": keep-alive%s", eol);
      g_string_append_printf (expected, "[message||{\\\"n\\\":%u}]", i);
    }

  while (pos < input->len)
    {
      gsize n = MIN (step, input->len - pos);
      g_autoptr(GError) error = NULL;

      g_assert_true (wr_sse_parser_feed (parser, input->str + pos, n, &error));
      g_assert_no_error (error);
      pos += n;
      step = step % 97 + 1;
    }

  g_assert_true (wr_sse_parser_finish (parser));
  g_assert_cmpstr (c.log->str, ==, expected->str);
  g_string_free (c.log, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/providers/sse/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/providers/sse/stop", test_stop);
  g_test_add_func ("/providers/sse/error-is-sticky", test_error_is_sticky);
  g_test_add_func ("/providers/sse/large-stream", test_large_stream);

  return g_test_run ();
}
