/* sse-throughput.c — how fast WrSseParser eats a realistic OpenAI (and
 * Anthropic, Gemini) stream, and end-to-end chunks per second through each
 * provider against the in-process mock server.
 *
 *   sse-throughput [MB]     (default 64)
 *
 * Prints:
 *   sse_parse_mb_per_s: N        (fed in 4 KiB pieces)
 *   sse_parse_16b_mb_per_s: N    (fed in 16-byte pieces)
 *   sse_events_per_s: N          (4 KiB pieces)
 *   sse_parse_anthropic_mb_per_s: N   (named events, 4 KiB pieces)
 *   sse_parse_gemini_mb_per_s: N      (GenerateContentResponse, 4 KiB pieces)
 *   e2e_tokens_per_s: N          (mock chunks streamed with no delay, OpenAI)
 *   e2e_tokens_per_s_anthropic: N
 *   e2e_tokens_per_s_gemini: N
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "providers/wr-anthropic-provider.h"
#include "providers/wr-gemini-provider.h"
#include "providers/wr-openai-provider.h"
#include "providers/wr-sse-parser.h"
#include "store/wr-message.h"
#include "wr-mock-server.h"

typedef struct
{
  guint64 events;
  guint64 bytes;
} Counter;

static gboolean
count_cb (const char *event,
          const char *data,
          gsize       data_len,
          const char *id,
          gpointer    user_data)
{
  Counter *c = user_data;

  c->events++;
  c->bytes += data_len + (guchar) data[0];
  return TRUE;
}

static const char *stream_words[] = {
  " the", " quick", " brown", " fox", " jumps", " over", " lazy", " dogs", "\\n\\n",
  " Markdown", " `code`", " **bold**", " émigré", " 12345", ",", ".",
};

static GString *
make_stream (gsize target)
{
  GString *s = g_string_sized_new (target + 1024);
  guint i = 0;

  while (s->len < target)
    {
      g_string_append_printf (s,
                              "data: {\"id\":\"chatcmpl-9xYz3AbCdEfGhIjKlMnOp\",\"object\":\"chat.completion.chunk\","
                              "\"created\":1700000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\","
                              "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
                              stream_words[i++ % G_N_ELEMENTS (stream_words)]);
      if (i % 500 == 0)
        g_string_append (s, ": keep-alive\n\n");
    }
  g_string_append (s, "data: [DONE]\n\n");

  return s;
}

/* What api.anthropic.com sends: named events, text in content_block_delta. */
static GString *
make_anthropic_stream (gsize target)
{
  GString *s = g_string_sized_new (target + 1024);
  guint i = 0;

  g_string_append (s, "event: message_start\n"
                      "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                      "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-3-5-sonnet-20241022\","
                      "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
                      "event: content_block_start\n"
                      "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
  while (s->len < target)
    {
      g_string_append_printf (s,
                              "event: content_block_delta\n"
                              "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"%s\"}}\n\n",
                              stream_words[i++ % G_N_ELEMENTS (stream_words)]);
      if (i % 500 == 0)
        g_string_append (s, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
    }
  g_string_append (s, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                      "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n"
                      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

  return s;
}

/* What generativelanguage.googleapis.com sends with alt=sse (CRLF lines). */
static GString *
make_gemini_stream (gsize target)
{
  GString *s = g_string_sized_new (target + 1024);
  guint i = 0;

  while (s->len < target)
    {
      g_string_append_printf (s,
                              "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"%s\"}],\"role\": \"model\"},"
                              "\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 9,\"candidatesTokenCount\": %u,"
                              "\"totalTokenCount\": %u},\"modelVersion\": \"gemini-1.5-flash-002\"}\r\n\r\n",
                              stream_words[i % G_N_ELEMENTS (stream_words)], i + 1, i + 10);
      i++;
    }

  return s;
}

static double
parse_mb_per_s (GString *stream,
                gsize    piece,
                Counter *counter)
{
  g_autoptr(WrSseParser) parser = wr_sse_parser_new (count_cb, counter);
  gint64 start = g_get_monotonic_time ();
  gint64 end;

  for (gsize off = 0; off < stream->len; off += piece)
    {
      if (!wr_sse_parser_feed (parser, stream->str + off, MIN (piece, stream->len - off), NULL))
        g_error ("parse failed");
    }
  wr_sse_parser_finish (parser);
  end = g_get_monotonic_time ();

  return (stream->len / (1024.0 * 1024.0)) / ((end - start) / (double) G_USEC_PER_SEC);
}

typedef struct
{
  GAsyncResult *result;
  guint         deltas;
} Wait;

static void
on_delta_cb (const char *text,
             gsize       len,
             gpointer    user_data)
{
  ((Wait *) user_data)->deltas++;
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

typedef enum {
  E2E_OPENAI,
  E2E_ANTHROPIC,
  E2E_GEMINI,
} E2eProtocol;

static double
e2e_tokens_per_s (E2eProtocol protocol,
                  guint       n_chunks)
{
  g_autoptr(WrMockServer) mock = wr_mock_server_new ();
  g_autoptr(WrProvider) provider = NULL;
  g_autoptr(WrChatRequest) request = wr_chat_request_new ("mock-long");
  g_autoptr(WrMessage) user = wr_message_new ("user", "go");
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0, };
  gint64 start;
  gint64 end;

  wr_mock_server_set_long_stream (mock, n_chunks, 0);
  switch (protocol)
    {
    case E2E_ANTHROPIC:
      provider = wr_anthropic_provider_new ("bench", "Bench", wr_mock_server_get_anthropic_url (mock), NULL,
                                            WR_PROVIDER_SOURCE_STORED);
      break;
    case E2E_GEMINI:
      provider = wr_gemini_provider_new ("bench", "Bench", wr_mock_server_get_google_url (mock), NULL,
                                         WR_PROVIDER_SOURCE_STORED);
      break;
    case E2E_OPENAI:
    default:
      provider = wr_openai_provider_new ("bench", "Bench", wr_mock_server_get_url (mock), NULL,
                                         WR_PROVIDER_SOURCE_STORED);
      break;
    }
  wr_chat_request_add (request, user);

  start = g_get_monotonic_time ();
  wr_provider_stream_chat_async (provider, request, on_delta_cb, &w, NULL, on_done_cb, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();

  result = wr_provider_stream_chat_finish (provider, w.result, NULL, &error);
  g_clear_object (&w.result);
  if (result == NULL)
    g_error ("e2e failed: %s", error->message);
  if (w.deltas != n_chunks)
    g_error ("e2e: %u deltas, expected %u", w.deltas, n_chunks);

  return n_chunks / ((end - start) / (double) G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  gsize mb = argc > 1 ? (gsize) atoi (argv[1]) : 64;
  g_autoptr(GString) stream = make_stream (MAX (mb, 1) * 1024 * 1024);
  Counter c4k = { 0, };
  Counter c16 = { 0, };
  gint64 start;
  double mbps_4k;
  double mbps_16;
  double events_per_s;

  start = g_get_monotonic_time ();
  mbps_4k = parse_mb_per_s (stream, 4096, &c4k);
  events_per_s = c4k.events / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  mbps_16 = parse_mb_per_s (stream, 16, &c16);
  if (c4k.events != c16.events || c4k.bytes != c16.bytes)
    g_error ("4 KiB and 16-byte feeds disagree");

  printf ("sse_stream_mb: %.1f\n", stream->len / (1024.0 * 1024.0));
  printf ("sse_events: %" G_GUINT64_FORMAT "\n", c4k.events);
  printf ("sse_parse_mb_per_s: %.0f\n", mbps_4k);
  printf ("sse_parse_16b_mb_per_s: %.0f\n", mbps_16);
  printf ("sse_events_per_s: %.0f\n", events_per_s);
  fflush (stdout);

  {
    g_autoptr(GString) anthropic = make_anthropic_stream (MAX (mb, 1) * 1024 * 1024);
    g_autoptr(GString) gemini = make_gemini_stream (MAX (mb, 1) * 1024 * 1024);
    Counter ca = { 0, };
    Counter cg = { 0, };

    printf ("sse_parse_anthropic_mb_per_s: %.0f\n", parse_mb_per_s (anthropic, 4096, &ca));
    printf ("sse_parse_gemini_mb_per_s: %.0f\n", parse_mb_per_s (gemini, 4096, &cg));
    fflush (stdout);
  }

  printf ("e2e_tokens_per_s: %.0f\n", e2e_tokens_per_s (E2E_OPENAI, 20000));
  fflush (stdout);
  printf ("e2e_tokens_per_s_anthropic: %.0f\n", e2e_tokens_per_s (E2E_ANTHROPIC, 20000));
  fflush (stdout);
  printf ("e2e_tokens_per_s_gemini: %.0f\n", e2e_tokens_per_s (E2E_GEMINI, 20000));

  return 0;
}
