/* test-registry-kinds.c — the provider registry builds the WrProvider
 * subclass a stored record's kind names ("openai", "anthropic", "google"),
 * and ANTHROPIC_API_KEY / GOOGLE_API_KEY define unsaved providers. Runs in
 * a private keyring (with-keyring.sh); talks to the in-process mock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "workroom.h"
#include "wr-mock-server.h"

#define TEST_KEY "registry-secret-key-456"

typedef struct
{
  char         *data_dir;
  WrMockServer *mock;
} Fixture;

static const char *env_names[] = {
  "OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST",
  "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "GOOGLE_API_KEY", "GOOGLE_BASE_URL",
};

static void
unset_environment (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (env_names); i++)
    g_unsetenv (env_names[i]);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  unset_environment ();
  f->data_dir = g_dir_make_tmp ("wr-registry-XXXXXX", &error);
  g_assert_no_error (error);
  f->mock = wr_mock_server_new ();
  wr_mock_server_set_api_key (f->mock, TEST_KEY);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->data_dir);

  unset_environment ();
  g_clear_object (&f->mock);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (system (command), ==, 0);
  g_free (f->data_dir);
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

/* One mock-echo chat through @provider; returns its text. */
static char *
chat_echo (WrProvider *provider,
           const char *text)
{
  g_autoptr(WrChatRequest) request = wr_chat_request_new ("mock-echo");
  g_autoptr(WrMessage) user = wr_message_new ("user", text);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0, };

  wr_chat_request_add (request, user);
  wr_provider_stream_chat_async (provider, request, NULL, NULL, NULL, on_done_cb, &w);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = wr_provider_stream_chat_finish (provider, w.result, NULL, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);

  return g_strdup (result->content);
}

static void
test_stored_kinds (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrSession) session = NULL;
  g_autoptr(WrSession) reopened = NULL;
  g_autoptr(WrProviderRecord) legacy = wr_provider_record_new ();
  g_autofree char *anthropic_id = NULL;
  g_autofree char *google_id = NULL;
  g_autofree char *openai_id = NULL;
  WrProviderRegistry *registry;
  WrProvider *provider;

  session = wr_session_new (f->data_dir, NULL, &error);
  g_assert_no_error (error);
  registry = wr_session_get_providers (session);

  provider = wr_provider_registry_add (registry, "Claude", "anthropic",
                                       wr_mock_server_get_anthropic_url (f->mock), TEST_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (WR_IS_ANTHROPIC_PROVIDER (provider));
  anthropic_id = g_strdup (wr_provider_get_id (provider));

  provider = wr_provider_registry_add (registry, "Gemini", "google",
                                       wr_mock_server_get_google_url (f->mock), TEST_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (WR_IS_GEMINI_PROVIDER (provider));
  google_id = g_strdup (wr_provider_get_id (provider));

  provider = wr_provider_registry_add (registry, "Local", "openai",
                                       wr_mock_server_get_url (f->mock), TEST_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (WR_IS_OPENAI_PROVIDER (provider));
  openai_id = g_strdup (wr_provider_get_id (provider));

  /* Unknown kinds are refused, and nothing is saved for them. */
  g_assert_null (wr_provider_registry_add (registry, "Other", "cohere",
                                           "https://api.cohere.com/v1", NULL, NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "anthropic"));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 3);

  /* A record of a kind from before there were kinds speaks OpenAI. */
  wr_provider_record_set_id (legacy, "legacy-provider");
  wr_provider_record_set_name (legacy, "Legacy");
  wr_provider_record_set_kind (legacy, "ollama");
  wr_provider_record_set_base_url (legacy, wr_mock_server_get_url (f->mock));
  g_assert_true (wr_store_save_provider (wr_session_get_store (session), legacy, &error));
  g_assert_no_error (error);
  g_clear_object (&session);

  /* A fresh load builds each subclass from its stored record, with the
   * key from the keyring. */
  reopened = wr_session_new (f->data_dir, NULL, &error);
  g_assert_no_error (error);
  registry = wr_session_get_providers (reopened);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 4);

  provider = wr_provider_registry_lookup (registry, anthropic_id);
  g_assert_true (WR_IS_ANTHROPIC_PROVIDER (provider));
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "anthropic");
  g_assert_cmpstr (wr_provider_get_name (provider), ==, "Claude");
  g_assert_cmpstr (wr_provider_get_base_url (provider), ==, wr_mock_server_get_anthropic_url (f->mock));
  g_assert_cmpstr (wr_provider_get_api_key (provider), ==, TEST_KEY);
  g_assert_cmpint (wr_provider_get_source (provider), ==, WR_PROVIDER_SOURCE_STORED);
  {
    g_autofree char *text = chat_echo (provider, "to claude");
    g_assert_cmpstr (text, ==, WR_MOCK_ECHO_PREFIX "to claude");
    g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-api-key"), ==, TEST_KEY);
  }

  provider = wr_provider_registry_lookup (registry, google_id);
  g_assert_true (WR_IS_GEMINI_PROVIDER (provider));
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "google");
  g_assert_cmpstr (wr_provider_get_api_key (provider), ==, TEST_KEY);
  {
    g_autofree char *text = chat_echo (provider, "to gemini");
    g_assert_cmpstr (text, ==, WR_MOCK_ECHO_PREFIX "to gemini");
    g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-goog-api-key"), ==, TEST_KEY);
  }

  provider = wr_provider_registry_lookup (registry, openai_id);
  g_assert_true (WR_IS_OPENAI_PROVIDER (provider));
  g_assert_cmpstr (wr_provider_get_kind (provider), ==, "openai");

  provider = wr_provider_registry_lookup (registry, "legacy-provider");
  g_assert_true (WR_IS_OPENAI_PROVIDER (provider));
}

static void
test_environment (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrSession) session = NULL;
  g_autoptr(GPtrArray) records = NULL;
  WrProviderRegistry *registry;
  WrProvider *anthropic;
  WrProvider *google;

  g_setenv ("ANTHROPIC_API_KEY", TEST_KEY, TRUE);
  g_setenv ("ANTHROPIC_BASE_URL", wr_mock_server_get_anthropic_url (f->mock), TRUE);
  g_setenv ("GOOGLE_API_KEY", "AIza-env-google-key", TRUE);

  session = wr_session_new (f->data_dir, NULL, &error);
  g_assert_no_error (error);
  registry = wr_session_get_providers (session);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);

  anthropic = wr_provider_registry_lookup (registry, "env-anthropic");
  g_assert_true (WR_IS_ANTHROPIC_PROVIDER (anthropic));
  g_assert_cmpint (wr_provider_get_source (anthropic), ==, WR_PROVIDER_SOURCE_ENVIRONMENT);
  g_assert_cmpstr (wr_provider_get_kind (anthropic), ==, "anthropic");
  g_assert_cmpstr (wr_provider_get_api_key (anthropic), ==, TEST_KEY);
  g_assert_cmpstr (wr_provider_get_base_url (anthropic), ==, wr_mock_server_get_anthropic_url (f->mock));
  {
    g_autofree char *text = chat_echo (anthropic, "from the environment");
    g_assert_cmpstr (text, ==, WR_MOCK_ECHO_PREFIX "from the environment");
    g_assert_cmpstr (wr_mock_server_get_last_header (f->mock, "x-api-key"), ==, TEST_KEY);
  }

  /* No GOOGLE_BASE_URL: Google's own address. */
  google = wr_provider_registry_lookup (registry, "env-google");
  g_assert_true (WR_IS_GEMINI_PROVIDER (google));
  g_assert_cmpint (wr_provider_get_source (google), ==, WR_PROVIDER_SOURCE_ENVIRONMENT);
  g_assert_cmpstr (wr_provider_get_api_key (google), ==, "AIza-env-google-key");
  g_assert_cmpstr (wr_provider_get_base_url (google), ==, "https://generativelanguage.googleapis.com/v1beta");

  /* Nothing of this is saved. */
  records = wr_store_list_providers (wr_session_get_store (session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);

  /* GOOGLE_BASE_URL moves it; without ANTHROPIC_API_KEY a base URL alone
   * defines nothing (the hosted API needs a key). */
  g_setenv ("GOOGLE_BASE_URL", wr_mock_server_get_google_url (f->mock), TRUE);
  g_unsetenv ("ANTHROPIC_API_KEY");
  g_assert_true (wr_provider_registry_load (registry, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (wr_provider_registry_lookup (registry, "env-anthropic"));
  google = wr_provider_registry_lookup (registry, "env-google");
  g_assert_nonnull (google);
  g_assert_cmpstr (wr_provider_get_base_url (google), ==, wr_mock_server_get_google_url (f->mock));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);

  /* Empty values count as unset. */
  g_setenv ("GOOGLE_API_KEY", "", TRUE);
  g_assert_true (wr_provider_registry_load (registry, NULL, &error));
  g_assert_true (wr_provider_registry_is_empty (registry));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/providers/registry/stored-kinds", Fixture, NULL, fixture_setup, test_stored_kinds, fixture_teardown);
  g_test_add ("/providers/registry/environment", Fixture, NULL, fixture_setup, test_environment, fixture_teardown);

  return g_test_run ();
}
