/* fuzz-openai-stream.c — what an OpenAI-compatible server sends back:
 * streamed chunks, a whole JSON answer, an HTTP error body.
 *
 * The answer goes through the provider's own decoding without HTTP
 * (_wr_provider_call_*_offline in wr-provider-call.c with the OpenAI
 * protocol). Whatever comes back: a WR_PROVIDER_ERROR, or a result whose
 * content is exactly the deltas handed out, in order. Every string that
 * reaches the UI or the database is valid UTF-8, and no error message holds
 * the API key.
 *
 * Input layout: byte 0 picks the mode (stream, whole answer, error body),
 * bytes 1–2 seed the read sizes; the rest is the body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "providers/wr-openai-provider.h"
#include "providers/wr-provider-private.h"

#define API_KEY "sk-fuzz-0123456789abcdefSECRET"

static void
on_delta_cb (const char *text,
             gsize       len,
             gpointer    user_data)
{
  GString *deltas = user_data;

  FUZZ_CHECK (len > 0 && strlen (text) == len, "delta of %" G_GSIZE_FORMAT " bytes", len);
  g_string_append_len (deltas, text, len);
}

static void
check_utf8 (const char *what,
            const char *text)
{
  if (text != NULL)
    FUZZ_CHECK (g_utf8_validate (text, -1, NULL), "%s is not valid UTF-8", what);
}

static void
check_error (const GError *error)
{
  FUZZ_CHECK (error != NULL, "failure without an error");
  FUZZ_CHECK (error->domain == WR_PROVIDER_ERROR, "error from %s", g_quark_to_string (error->domain));
  check_utf8 ("the error message", error->message);
  FUZZ_CHECK (strstr (error->message, API_KEY) == NULL, "the API key leaked: %s", error->message);
}

static void
check_result (WrChatResult *result,
              GString      *deltas)
{
  FUZZ_CHECK (result->content != NULL, "no content");
  FUZZ_CHECK (strcmp (result->content, deltas->str) == 0,
              "content differs from the deltas");
  check_utf8 ("the content", result->content);
  check_utf8 ("the model", result->model);
  check_utf8 ("the finish reason", result->finish_reason);
  FUZZ_CHECK ((result->first_token_ms >= 0) == (deltas->len > 0), "first token time");
}

static void
on_log_cb (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        user_data)
{
  g_log_default_handler (domain, level, message, user_data);
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static WrProvider *provider;
  g_autoptr(GString) deltas = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  WrChatResult *result = NULL;
  WrProviderCall *call;
  const char *body;
  gsize len;
  guint32 state;

  if (size < 3)
    return 0;

  if (provider == NULL)
    {
      /* A critical (a g_return_if_fail() hit) is a bug: abort, which
       * libFuzzer catches, where G_DEBUG=fatal-criticals would trap. */
      g_log_set_default_handler (on_log_cb, NULL);
      provider = wr_openai_provider_new ("fuzz", "Fuzz", "http://127.0.0.1:9/v1", API_KEY,
                                         WR_PROVIDER_SOURCE_STORED);
    }

  state = (data[1] << 8 | data[2]) + 1;
  body = (const char *) data + 3;
  len = size - 3;

  if (data[0] % 4 == 3)
    {
      /* An HTTP error body. */
      g_autofree char *message = _wr_provider_error_body_message (body, len);

      check_utf8 ("the error body's message", message);
      return 0;
    }

  call = _wr_provider_call_new_offline (provider, _wr_openai_provider_get_protocol (),
                                        on_delta_cb, deltas);
  if (data[0] % 4 == 2)
    {
      /* A server that ignored "stream": one JSON answer. */
      result = _wr_provider_call_parse_whole (call, body, len, &error);
    }
  else
    {
      gsize pos = 0;
      gboolean ok = TRUE;

      /* Reads of any size, as the network hands them over. */
      while (ok && pos < len && !call->done)
        {
          gsize n;

          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          n = MIN (len - pos, 1 + state % 64);
          ok = _wr_provider_call_feed_sse (call, body + pos, n, &error);
          pos += n;
        }
      if (ok)
        {
          FUZZ_CHECK (error == NULL, "error set on success");
          result = _wr_provider_call_end_sse (call, &error);
        }
    }

  if (result == NULL)
    check_error (error);
  else
    {
      FUZZ_CHECK (error == NULL, "error set with a result");
      check_result (result, deltas);
      wr_chat_result_free (result);
    }

  _wr_provider_call_free_offline (call);
  return 0;
}
