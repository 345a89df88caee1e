/* test-model-catalog.c — the model catalogue over real providers (the mock
 * server, a closed port, a server that never answers), a real store and
 * real billing: what is merged, what it costs, what it can do, what stays
 * visible (as unavailable, with a reason) while a provider is away, and
 * that a refresh can be stopped and never hangs on one provider.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <sqlite3.h>

#include "chat/wr-model-catalog-private.h"
#include "chat-test-util.h"

#define N_MOCK_MODELS 13   /* 12 chat models + mock-embed */

typedef struct
{
  char               *data_dir;
  WrMockServer       *mock;
  WrStore            *store;
  WrProviderRegistry *registry;
  WrBilling          *billing;
  WrModelCatalog     *catalog;
  GSocketService     *stall;        /* nullable: accepts, never answers */
  GPtrArray          *held;         /* connections the stall service keeps open */
  guint               items_changed;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->items_changed++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->data_dir = g_dir_make_tmp ("wr-catalog-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  fixture->mock = wr_mock_server_new ();
  fixture->store = wr_store_open (path, &error);
  g_assert_no_error (error);
  fixture->registry = wr_provider_registry_new (fixture->store);
  fixture->billing = wr_billing_new (fixture->store);
  fixture->catalog = wr_model_catalog_new (fixture->registry, fixture->billing);
  fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->catalog, "items-changed", G_CALLBACK (on_items_changed), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->catalog, fixture);
  if (fixture->stall != NULL)
    {
      g_socket_service_stop (fixture->stall);
      g_socket_listener_close (G_SOCKET_LISTENER (fixture->stall));
      g_clear_object (&fixture->stall);
    }
  g_clear_pointer (&fixture->held, g_ptr_array_unref);
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->billing);
  g_clear_object (&fixture->registry);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->mock);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  chat_test_remove_data_dir (g_steal_pointer (&fixture->data_dir));
}

static WrProvider *
add_provider (Fixture    *fixture,
              const char *name,
              const char *kind,
              const char *url)
{
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add (fixture->registry, name, kind, url, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  return provider;
}

/* A URL where nothing listens. */
static char *
closed_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u/v1", port);
}

static gboolean
on_stall_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   Fixture           *fixture)
{
  g_ptr_array_add (fixture->held, g_object_ref (connection));
  return TRUE;
}

/* A URL whose server accepts the connection and then says nothing. */
static char *
stall_url (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  fixture->stall = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->stall), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->stall, "incoming", G_CALLBACK (on_stall_incoming), fixture);
  g_socket_service_start (fixture->stall);

  return g_strdup_printf ("http://127.0.0.1:%u/v1",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &wait->error);
  wait->done = TRUE;
}

static void
refresh (Fixture *fixture)
{
  Wait wait = { 0 };

  wr_model_catalog_refresh_async (fixture->catalog, NULL, refresh_cb, &wait);
  g_assert_true (wr_model_catalog_get_refreshing (fixture->catalog));
  chat_test_iterate_until (&wait.done, 20);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_false (wr_model_catalog_get_refreshing (fixture->catalog));
}

static guint
count_provider (Fixture    *fixture,
                const char *provider_id,
                gboolean    available)
{
  GListModel *list = G_LIST_MODEL (fixture->catalog);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(WrModelInfo) info = g_list_model_get_item (list, i);

      if (g_strcmp0 (wr_model_info_get_provider_id (info), provider_id) == 0 &&
          wr_model_info_get_available (info) == available)
        n++;
    }

  return n;
}

/* Two providers, one reachable and one not: the reachable one's models are
 * available, grouped and sorted; the other shows its default model as
 * unavailable, with a reason, and the refresh does not fail. */
static void
test_two_providers (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *down_url = closed_url ();
  WrProvider *mock = add_provider (fixture, "Mock", "openai", wr_mock_server_get_url (fixture->mock));
  WrProvider *down = add_provider (fixture, "Down", "openai", down_url);
  GListModel *list = G_LIST_MODEL (fixture->catalog);
  g_autoptr(WrModelInfo) echo = NULL;
  g_autoptr(WrModelInfo) missing = NULL;
  g_autoptr(WrModelInfo) first = NULL;
  const char *reason = NULL;
  const char *detail = NULL;

  wr_provider_set_default_model (down, "gpt-4o-mini");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_true (g_list_model_get_item_type (list) == WR_TYPE_MODEL_INFO);

  refresh (fixture);

  g_assert_cmpuint (fixture->items_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, N_MOCK_MODELS + 1);
  g_assert_cmpuint (count_provider (fixture, wr_provider_get_id (mock), TRUE), ==, N_MOCK_MODELS);
  g_assert_cmpuint (count_provider (fixture, wr_provider_get_id (down), FALSE), ==, 1);
  g_assert_cmpint (wr_model_catalog_get_refreshed_at (fixture->catalog), >, 0);

  /* The registry's order, then names. */
  {
    g_autoptr(WrModelInfo) a = g_list_model_get_item (list, 0);
    g_autoptr(WrModelInfo) b = g_list_model_get_item (list, 1);
    g_autoptr(WrModelInfo) last = g_list_model_get_item (list, N_MOCK_MODELS);

    g_assert_cmpstr (wr_model_info_get_provider_name (a), ==, "Mock");
    g_assert_cmpint (g_ascii_strcasecmp (wr_model_info_get_name (a), wr_model_info_get_name (b)), <, 0);
    g_assert_cmpstr (wr_model_info_get_provider_name (last), ==, "Down");
  }

  echo = wr_model_catalog_lookup (fixture->catalog, "mock-echo", NULL);
  g_assert_nonnull (echo);
  g_assert_true (wr_model_info_get_available (echo));
  g_assert_null (wr_model_info_get_reason (echo));
  g_assert_cmpstr (wr_model_info_get_provider_id (echo), ==, wr_provider_get_id (mock));
  g_assert_cmpstr (wr_model_info_get_provider_kind (echo), ==, "openai");
  /* The mock runs on this machine: local, free, not priced. */
  g_assert_true (wr_model_info_get_local (echo));
  g_assert_cmpint (wr_model_info_get_input_price (echo), ==, 0);
  g_assert_cmpint (wr_model_info_get_output_price (echo), ==, 0);
  g_assert_null (wr_model_info_get_price_pattern (echo));
  g_assert_true (wr_model_info_has_capability (echo, WR_MODEL_CAPABILITY_CHAT));
  g_assert_false (wr_model_info_has_capability (echo, WR_MODEL_CAPABILITY_VISION));

  missing = wr_model_catalog_lookup (fixture->catalog, "gpt-4o-mini", wr_provider_get_id (down));
  g_assert_nonnull (missing);
  g_assert_false (wr_model_info_get_available (missing));
  g_assert_cmpstr (wr_model_info_get_reason (missing), ==, "Not reachable");
  g_assert_nonnull (strstr (wr_model_info_get_detail (missing), down_url));
  g_assert_true (wr_model_info_has_capability (missing, WR_MODEL_CAPABILITY_VISION));

  g_assert_true (wr_model_catalog_get_provider_problem (fixture->catalog, wr_provider_get_id (down),
                                                        &reason, &detail));
  g_assert_cmpstr (reason, ==, "Not reachable");
  g_assert_false (wr_model_catalog_get_provider_problem (fixture->catalog, wr_provider_get_id (mock),
                                                         NULL, NULL));

  /* The last step of the resolution: the first available chat model. */
  first = wr_model_catalog_get_first_available (fixture->catalog);
  g_assert_nonnull (first);
  g_assert_cmpstr (wr_model_info_get_provider_id (first), ==, wr_provider_get_id (mock));
  g_assert_null (wr_model_catalog_lookup (fixture->catalog, "no-such-model", NULL));
}

static gint64
cache_rows (Fixture    *fixture,
            const char *provider_id)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM model_cache WHERE provider_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, provider_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A provider that answered once and then went away keeps its models in
 * the catalogue, unavailable with the reason; they come back when it
 * answers again. A rejected key says so. */
static void
test_cache_when_unreachable (Fixture       *fixture,
                             gconstpointer  data)
{
  WrMockServer *second = wr_mock_server_new ();
  g_autofree char *second_url = g_strdup (wr_mock_server_get_url (second));
  WrProvider *away = add_provider (fixture, "Away", "openai", second_url);
  WrProvider *keyed = add_provider (fixture, "Keyed", "openai", wr_mock_server_get_url (fixture->mock));
  const char *away_id = wr_provider_get_id (away);
  gint64 first_listed;

  refresh (fixture);
  g_assert_cmpuint (count_provider (fixture, away_id, TRUE), ==, N_MOCK_MODELS);
  g_assert_cmpint (cache_rows (fixture, away_id), ==, N_MOCK_MODELS);
  first_listed = wr_model_catalog_get_refreshed_at (fixture->catalog);

  /* The server goes away; the other one starts wanting a key. */
  g_object_unref (second);
  wr_mock_server_set_api_key (fixture->mock, "sk-right");
  wr_provider_set_api_key (keyed, "sk-wrong");
  refresh (fixture);

  g_assert_cmpuint (count_provider (fixture, away_id, TRUE), ==, 0);
  g_assert_cmpuint (count_provider (fixture, away_id, FALSE), ==, N_MOCK_MODELS);
  g_assert_cmpint (cache_rows (fixture, away_id), ==, N_MOCK_MODELS);
  {
    g_autoptr(WrModelInfo) echo = wr_model_catalog_lookup (fixture->catalog, "mock-echo", away_id);
    g_autoptr(WrModelInfo) keyed_echo = wr_model_catalog_lookup (fixture->catalog, "mock-echo",
                                                                 wr_provider_get_id (keyed));

    g_assert_false (wr_model_info_get_available (echo));
    g_assert_cmpstr (wr_model_info_get_reason (echo), ==, "Not reachable");
    g_assert_cmpint (wr_model_info_get_listed_at (echo), ==, first_listed);
    g_assert_false (wr_model_info_get_available (keyed_echo));
    g_assert_cmpstr (wr_model_info_get_reason (keyed_echo), ==, "Key rejected");
    g_assert_null (strstr (wr_model_info_get_detail (keyed_echo), "sk-wrong"));
  }

  /* Without a key at all, the reason says one is needed. */
  wr_provider_set_api_key (keyed, NULL);
  refresh (fixture);
  {
    g_autoptr(WrModelInfo) keyed_echo = wr_model_catalog_lookup (fixture->catalog, "mock-echo",
                                                                 wr_provider_get_id (keyed));
    g_assert_cmpstr (wr_model_info_get_reason (keyed_echo), ==, "Needs an API key");
  }

  /* The key is fixed: available again, and the cache follows. */
  wr_provider_set_api_key (keyed, "sk-right");
  refresh (fixture);
  g_assert_cmpuint (count_provider (fixture, wr_provider_get_id (keyed), TRUE), ==, N_MOCK_MODELS);
  g_assert_cmpint (cache_rows (fixture, wr_provider_get_id (keyed)), ==, N_MOCK_MODELS);
}

static gboolean
has_vision (Fixture    *fixture,
            const char *model)
{
  g_autoptr(WrModelInfo) info = wr_model_catalog_lookup (fixture->catalog, model, NULL);

  g_assert_nonnull (info);
  return wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_VISION);
}

/* The user's capabilities replace the guess, and the catalogue follows a
 * change without asking the providers again. */
static void
test_capabilities_override (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint changes, lists;

  add_provider (fixture, "Mock", "openai", wr_mock_server_get_url (fixture->mock));
  refresh (fixture);
  g_assert_false (has_vision (fixture, "mock-echo"));
  lists = wr_mock_server_get_models_count (fixture->mock);

  changes = fixture->items_changed;
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "mock-e*", "chat,vision", &error));
  g_assert_no_error (error);
  while (fixture->items_changed == changes)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (has_vision (fixture, "mock-echo"));
  g_assert_true (has_vision (fixture, "mock-error-event"));
  g_assert_false (has_vision (fixture, "mock-markdown"));
  {
    g_autoptr(WrModelInfo) echo = wr_model_catalog_lookup (fixture->catalog, "mock-echo", NULL);

    g_assert_true (wr_model_info_get_capabilities_custom (echo));
    g_assert_true (wr_model_info_get_available (echo));
  }
  g_assert_cmpuint (wr_mock_server_get_models_count (fixture->mock), ==, lists);

  changes = fixture->items_changed;
  g_assert_true (wr_billing_reset_capabilities (fixture->billing, "mock-e*", &error));
  g_assert_no_error (error);
  while (fixture->items_changed == changes)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (has_vision (fixture, "mock-echo"));
}

static void
test_guess (void)
{
  static const struct {
    const char          *model;
    WrModelCapabilities  expected;
  } cases[] = {
    { "gpt-4o-mini", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "GPT-4.1", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "gpt-3.5-turbo", WR_MODEL_CAPABILITY_CHAT },
    { "claude-3-5-sonnet-latest", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "claude-sonnet-4-20250514", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "claude-2.1", WR_MODEL_CAPABILITY_CHAT },
    { "models/gemini-1.5-flash", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "llava:13b", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "llama3.2-vision", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "qwen2.5-vl-7b-instruct", WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION },
    { "qwen2.5:7b", WR_MODEL_CAPABILITY_CHAT },
    { "text-embedding-3-small", WR_MODEL_CAPABILITY_EMBEDDINGS },
    { "nomic-embed-text", WR_MODEL_CAPABILITY_EMBEDDINGS },
    { "models/gemini-embedding-001", WR_MODEL_CAPABILITY_EMBEDDINGS },
    { "llama3", WR_MODEL_CAPABILITY_CHAT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = wr_model_capabilities_to_string (wr_model_capabilities_guess (cases[i].model));

      g_test_message ("%s: %s", cases[i].model, text);
      g_assert_cmpint (wr_model_capabilities_guess (cases[i].model), ==, cases[i].expected);
    }

  g_assert_cmpint (wr_model_capabilities_parse ("vision, chat"), ==,
                   WR_MODEL_CAPABILITY_CHAT | WR_MODEL_CAPABILITY_VISION);
  {
    g_autofree char *all = wr_model_capabilities_to_string (WR_MODEL_CAPABILITY_CHAT |
                                                            WR_MODEL_CAPABILITY_VISION |
                                                            WR_MODEL_CAPABILITY_EMBEDDINGS);
    g_assert_cmpstr (all, ==, "chat,vision,embeddings");
  }
}

static GPtrArray *
strv_array (const char * const *names)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (array, g_strdup (names[i]));
  return array;
}

static WrModelInfo *
find_info (GPtrArray  *items,
           const char *model)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (wr_model_info_get_name (g_ptr_array_index (items, i)), model))
      return g_ptr_array_index (items, i);
  return NULL;
}

/* The merge for a cloud provider: prices from the table (the user's win),
 * capabilities, duplicates, order. */
static void
test_merge_prices (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *listed[] = {
    "text-embedding-3-small", "gpt-4o-mini", "gpt-4o", "gpt-4o-mini", "custom-model", "", NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) _wr_catalog_source_free);
  g_autoptr(WrPriceTable) prices = NULL;
  g_autoptr(GPtrArray) items = NULL;
  WrCatalogSource *cloud;
  WrModelInfo *info;

  g_assert_true (wr_billing_set_price (fixture->billing, "custom-*", 1000000, 2000000, &error));
  g_assert_no_error (error);
  prices = wr_billing_load_price_table (fixture->billing, &error);
  g_assert_no_error (error);

  cloud = _wr_catalog_source_new ("cloud", "Cloud", "openai", NULL, FALSE);
  cloud->listed = strv_array (listed);
  g_ptr_array_add (sources, cloud);

  items = _wr_model_catalog_merge (sources, NULL, prices, 42);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_cmpstr (wr_model_info_get_name (g_ptr_array_index (items, 0)), ==, "custom-model");
  g_assert_cmpstr (wr_model_info_get_name (g_ptr_array_index (items, 3)), ==, "text-embedding-3-small");

  info = find_info (items, "gpt-4o-mini");
  g_assert_false (wr_model_info_get_local (info));
  g_assert_true (wr_model_info_get_available (info));
  g_assert_cmpint (wr_model_info_get_listed_at (info), ==, 42);
  g_assert_cmpstr (wr_model_info_get_price_pattern (info), ==, "gpt-4o-mini*");
  g_assert_cmpint (wr_model_info_get_input_price (info), ==, 150000);
  g_assert_cmpint (wr_model_info_get_output_price (info), ==, 600000);
  {
    g_autofree char *label = wr_model_info_dup_price_label (info);
    g_assert_cmpstr (label, ==, "0.15 in · 0.60 out per 1M tokens");
  }

  info = find_info (items, "custom-model");
  g_assert_cmpint (wr_model_info_get_input_price (info), ==, 1000000);
  g_assert_cmpint (wr_model_info_get_output_price (info), ==, 2000000);

  info = find_info (items, "text-embedding-3-small");
  g_assert_true (wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_EMBEDDINGS));
  g_assert_false (wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_CHAT));
  {
    g_autofree char *label = wr_model_info_dup_capabilities_label (info);
    g_assert_cmpstr (label, ==, "Embeddings");
  }
}

static void
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* A provider that accepts and never answers: Stop ends the refresh at
 * once, leaving the items as they were; without Stop, the provider's own
 * timeout ends its listing and the others are shown. */
static void
test_cancel_and_timeout (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = stall_url (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  WrProvider *stalled = add_provider (fixture, "Silent", "openai", url);
  Wait wait = { 0 };
  gint64 start;

  add_provider (fixture, "Mock", "openai", wr_mock_server_get_url (fixture->mock));
  wr_provider_set_default_model (stalled, "silent-model");

  wr_model_catalog_refresh_async (fixture->catalog, cancellable, refresh_cb, &wait);
  g_timeout_add_once (200, cancel_cb, cancellable);
  start = g_get_monotonic_time ();
  chat_test_iterate_until (&wait.done, 5);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_false (wait.ok);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->catalog)), ==, 0);
  g_assert_cmpuint (fixture->items_changed, ==, 0);
  g_assert_false (wr_model_catalog_get_refreshing (fixture->catalog));
  g_assert_cmpint (wr_model_catalog_get_refreshed_at (fixture->catalog), ==, 0);

  wr_provider_set_connect_timeout (stalled, 1);
  start = g_get_monotonic_time ();
  refresh (fixture);
  g_test_message ("refresh with a silent provider (1 s timeout): %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_provider (fixture, wr_provider_get_id (stalled), FALSE), ==, 1);
  {
    g_autoptr(WrModelInfo) silent = wr_model_catalog_lookup (fixture->catalog, "silent-model", NULL);

    g_assert_nonnull (silent);
    g_assert_cmpstr (wr_model_info_get_reason (silent), ==, "Not answering");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->catalog)), ==, N_MOCK_MODELS + 1);
}

/* A provider removed from the registry leaves with its models. */
static void
test_provider_removed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WrProvider *gone = add_provider (fixture, "Gone", "openai", wr_mock_server_get_url (fixture->mock));
  g_autofree char *gone_id = g_strdup (wr_provider_get_id (gone));

  add_provider (fixture, "Anthropic mock", "anthropic", wr_mock_server_get_anthropic_url (fixture->mock));
  refresh (fixture);
  /* Anthropic lists no embeddings model. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->catalog)), ==, 2 * N_MOCK_MODELS - 1);

  g_assert_true (wr_provider_registry_remove (fixture->registry, gone_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->catalog)), ==, N_MOCK_MODELS - 1);
  g_assert_cmpuint (count_provider (fixture, gone_id, TRUE), ==, 0);
  {
    g_autoptr(WrModelInfo) echo = wr_model_catalog_lookup (fixture->catalog, "mock-echo", NULL);
    g_assert_cmpstr (wr_model_info_get_provider_kind (echo), ==, "anthropic");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENAI_BASE_URL");
  g_unsetenv ("OLLAMA_HOST");
  g_unsetenv ("ANTHROPIC_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-catalog/capabilities-guess", test_guess);
  g_test_add ("/model-catalog/two-providers", Fixture, NULL,
              fixture_setup, test_two_providers, fixture_teardown);
  g_test_add ("/model-catalog/merge-prices", Fixture, NULL,
              fixture_setup, test_merge_prices, fixture_teardown);
  g_test_add ("/model-catalog/cache-when-unreachable", Fixture, NULL,
              fixture_setup, test_cache_when_unreachable, fixture_teardown);
  g_test_add ("/model-catalog/capabilities-override", Fixture, NULL,
              fixture_setup, test_capabilities_override, fixture_teardown);
  g_test_add ("/model-catalog/cancel-and-timeout", Fixture, NULL,
              fixture_setup, test_cancel_and_timeout, fixture_teardown);
  g_test_add ("/model-catalog/provider-removed", Fixture, NULL,
              fixture_setup, test_provider_removed, fixture_teardown);

  return g_test_run ();
}
