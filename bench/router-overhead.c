/* router-overhead.c — what WrRouter adds to one chat request, against a
 * direct WrProvider call to the same in-process mock server (mock-echo, no
 * chunk delay, so the HTTP round trip is as short as it gets and the
 * router's share as large as it gets).
 *
 *   router-overhead [REQUESTS]     (default 2000 of each)
 *
 * The two kinds alternate (direct, routed, routed, direct, …) after a
 * warm-up, so drift in the machine's load hits both alike.
 *
 * Prints:
 *   requests: N                       (of each kind)
 *   direct_us_per_request: N          (mean)
 *   router_us_per_request: N          (mean)
 *   direct_us_median: N
 *   router_us_median: N
 *   router_overhead_us: N             (mean difference)
 *   router_overhead_ratio: X          (router mean / direct mean; target <= 1.05)
 *   router_overhead_ratio_median: X
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "providers/wr-openai-provider.h"
#include "providers/wr-router.h"
#include "store/wr-message.h"
#include "wr-mock-server.h"

typedef struct
{
  GAsyncResult *result;
  gsize         received;
} Wait;

static void
on_delta_cb (const char *text,
             gsize       len,
             gpointer    user_data)
{
  ((Wait *) user_data)->received += len;
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static WrChatRequest *
make_request (void)
{
  WrChatRequest *request = wr_chat_request_new ("mock-echo");
  g_autoptr(WrMessage) system = wr_message_new ("system", "You are terse.");
  g_autoptr(WrMessage) user = wr_message_new ("user", "measure the router's overhead per request please");

  wr_chat_request_add (request, system);
  wr_chat_request_add (request, user);
  return request;
}

/* One request; returns its wall time in µs. */
static gint64
one_request (WrProvider *provider,
             WrRouter   *router)   /* NULL: direct */
{
  g_autoptr(WrChatRequest) request = make_request ();
  g_autoptr(WrChatResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { NULL, 0 };
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  if (router != NULL)
    wr_router_stream_chat_async (router, provider, request, on_delta_cb, &w, NULL, on_done_cb, &w);
  else
    wr_provider_stream_chat_async (provider, request, on_delta_cb, &w, NULL, on_done_cb, &w);

  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (router != NULL)
    answer = wr_router_stream_chat_finish (router, w.result, NULL, NULL, &error);
  else
    answer = wr_provider_stream_chat_finish (provider, w.result, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_object_unref (w.result);

  if (answer == NULL || w.received == 0)
    {
      g_printerr ("request failed: %s\n", error ? error->message : "no text");
      exit (1);
    }

  return elapsed;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_gint64);
  return (double) g_array_index (times, gint64, times->len / 2);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  g_autoptr(WrMockServer) mock = wr_mock_server_new ();
  g_autoptr(WrProvider) provider = NULL;
  g_autoptr(GListStore) providers = g_list_store_new (WR_TYPE_PROVIDER);
  g_autoptr(WrRouter) router = NULL;
  g_autoptr(GArray) direct = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_autoptr(GArray) routed = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  gint64 direct_total = 0;
  gint64 routed_total = 0;
  double direct_mean;
  double routed_mean;

  if (n == 0)
    n = 2000;

  wr_mock_server_set_chunk_delay (mock, 0);
  provider = wr_openai_provider_new ("bench", "Bench", wr_mock_server_get_url (mock),
                                     NULL, WR_PROVIDER_SOURCE_STORED);
  g_list_store_append (providers, provider);
  /* The shipped chains: a lookup that finds none for mock-echo, as most
   * requests in the app will. */
  router = wr_router_new (G_LIST_MODEL (providers), NULL);

  for (guint i = 0; i < 100; i++)
    {
      one_request (provider, NULL);
      one_request (provider, router);
    }

  for (guint i = 0; i < n; i++)
    {
      gint64 d, r;

      if (i % 2 == 0)
        {
          d = one_request (provider, NULL);
          r = one_request (provider, router);
        }
      else
        {
          r = one_request (provider, router);
          d = one_request (provider, NULL);
        }
      g_array_append_val (direct, d);
      g_array_append_val (routed, r);
      direct_total += d;
      routed_total += r;
    }

  direct_mean = (double) direct_total / n;
  routed_mean = (double) routed_total / n;

  printf ("requests: %u\n", n);
  printf ("direct_us_per_request: %.1f\n", direct_mean);
  printf ("router_us_per_request: %.1f\n", routed_mean);
  printf ("direct_us_median: %.1f\n", median (direct));
  printf ("router_us_median: %.1f\n", median (routed));
  printf ("router_overhead_us: %.1f\n", routed_mean - direct_mean);
  printf ("router_overhead_ratio: %.3f\n", routed_mean / direct_mean);
  printf ("router_overhead_ratio_median: %.3f\n", median (routed) / median (direct));

  return 0;
}
