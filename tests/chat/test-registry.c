/* test-registry.c — the async calls the GUI uses so that nothing reads
 * SQLite or the keyring on its main thread: removing a provider
 * (wr_provider_registry_remove_async) and reading the profile
 * (wr_store_get_profile_async). Runs against a real store file and the
 * real keyring of tests/with-keyring.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "workroom.h"

#define SECRET_KIND "provider"
#define TEST_KEY "sk-test-registry-KEY"

typedef struct
{
  char         *data_dir;
  WrSession    *session;
  GThread      *main_thread;
  guint         items_changed;
  guint         items_changed_off_thread;
  guint         last_position;
  guint         last_removed;
} Fixture;

typedef struct
{
  gboolean      done;
  gboolean      ok;
  gpointer      object;
  GError       *error;
} Wait;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->items_changed++;
  if (g_thread_self () != fixture->main_thread)
    fixture->items_changed_off_thread++;
  fixture->last_position = position;
  fixture->last_removed = removed;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENAI_BASE_URL");
  g_unsetenv ("OLLAMA_HOST");
  g_unsetenv ("ANTHROPIC_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");

  fixture->main_thread = g_thread_self ();
  fixture->data_dir = g_dir_make_tmp ("wr-registry-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->session = wr_session_new (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);

  g_signal_connect (wr_session_get_providers (fixture->session), "items-changed",
                    G_CALLBACK (on_items_changed), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->data_dir);

  g_signal_handlers_disconnect_by_data (wr_session_get_providers (fixture->session), fixture);
  g_clear_object (&fixture->session);
  g_assert_cmpint (system (command), ==, 0);
  g_free (fixture->data_dir);
  g_unsetenv ("OPENAI_BASE_URL");
}

static void
wait_run (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = wr_provider_registry_remove_finish (WR_PROVIDER_REGISTRY (object), result, &wait->error);
  wait->done = TRUE;
}

static void
get_profile_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->object = wr_store_get_profile_finish (WR_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static char *
add_provider (Fixture    *fixture,
              const char *name,
              const char *api_key)
{
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add (wr_session_get_providers (fixture->session),
                                       name, "openai", "http://127.0.0.1:9/v1",
                                       api_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);

  return g_strdup (wr_provider_get_id (provider));
}

static guint
count_stored_rows (Fixture    *fixture,
                   const char *id)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  guint found = 0;

  records = wr_store_list_providers (wr_session_get_store (fixture->session), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (wr_provider_record_get_id (g_ptr_array_index (records, i)), id) == 0)
      found++;

  return found;
}

static char *
lookup_key (const char *id)
{
  g_autoptr(GError) error = NULL;
  char *key;

  key = wr_secrets_lookup (SECRET_KIND, id, NULL, &error);
  g_assert_no_error (error);

  return key;
}

static void
test_remove_async (Fixture       *fixture,
                   gconstpointer  data)
{
  WrProviderRegistry *registry = wr_session_get_providers (fixture->session);
  g_autofree char *first = add_provider (fixture, "First", TEST_KEY);
  g_autofree char *second = add_provider (fixture, "Second", NULL);
  g_autoptr(WrSession) reopened = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  char *key;

  key = lookup_key (first);
  g_assert_cmpstr (key, ==, TEST_KEY);
  wr_secrets_free (key);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);

  fixture->items_changed = 0;
  wr_provider_registry_remove_async (registry, first, NULL, remove_cb, &wait);
  /* The model changes only in _finish, never during the call. */
  g_assert_cmpuint (fixture->items_changed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);
  wait_run (&wait);

  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_cmpuint (fixture->items_changed, ==, 1);
  g_assert_cmpuint (fixture->items_changed_off_thread, ==, 0);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 1);
  g_assert_null (wr_provider_registry_lookup (registry, first));
  g_assert_nonnull (wr_provider_registry_lookup (registry, second));

  /* Gone from the database and the keyring, so also after a restart. */
  g_assert_cmpuint (count_stored_rows (fixture, first), ==, 0);
  g_assert_cmpuint (count_stored_rows (fixture, second), ==, 1);
  key = lookup_key (first);
  g_assert_null (key);

  reopened = wr_session_new (fixture->data_dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (wr_provider_registry_lookup (wr_session_get_providers (reopened), first));
  g_assert_nonnull (wr_provider_registry_lookup (wr_session_get_providers (reopened), second));
}

static void
test_remove_async_not_stored (Fixture       *fixture,
                              gconstpointer  data)
{
  WrProviderRegistry *registry = wr_session_get_providers (fixture->session);
  g_autofree char *stored = add_provider (fixture, "Stored", NULL);
  g_autoptr(GError) error = NULL;
  WrProvider *environment;
  Wait wait = { 0 };
  Wait wait_unknown = { 0 };

  /* An environment provider cannot be removed, only unset. */
  g_setenv ("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", TRUE);
  g_assert_true (wr_provider_registry_load (registry, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);
  environment = g_list_model_get_item (G_LIST_MODEL (registry), 1);
  g_assert_cmpint (wr_provider_get_source (environment), ==, WR_PROVIDER_SOURCE_ENVIRONMENT);

  fixture->items_changed = 0;
  wr_provider_registry_remove_async (registry, wr_provider_get_id (environment), NULL, remove_cb, &wait);
  wr_provider_registry_remove_async (registry, "no-such-id", NULL, remove_cb, &wait_unknown);
  wait_run (&wait);
  wait_run (&wait_unknown);
  g_object_unref (environment);

  g_assert_false (wait.ok);
  g_assert_error (wait.error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_false (wait_unknown.ok);
  g_assert_error (wait_unknown.error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->items_changed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);
  g_assert_cmpuint (count_stored_rows (fixture, stored), ==, 1);

  g_clear_error (&wait.error);
  g_clear_error (&wait_unknown.error);
}

static void
test_remove_async_cancelled (Fixture       *fixture,
                             gconstpointer  data)
{
  WrProviderRegistry *registry = wr_session_get_providers (fixture->session);
  g_autofree char *id = add_provider (fixture, "Kept", TEST_KEY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { 0 };
  char *key;

  g_cancellable_cancel (cancellable);
  fixture->items_changed = 0;
  wr_provider_registry_remove_async (registry, id, cancellable, remove_cb, &wait);
  wait_run (&wait);

  g_assert_false (wait.ok);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);

  /* Cancelled before the worker ran: nothing was deleted. */
  g_assert_cmpuint (fixture->items_changed, ==, 0);
  g_assert_nonnull (wr_provider_registry_lookup (registry, id));
  g_assert_cmpuint (count_stored_rows (fixture, id), ==, 1);
  key = lookup_key (id);
  g_assert_cmpstr (key, ==, TEST_KEY);
  wr_secrets_free (key);
}

static void
test_get_profile_async (Fixture       *fixture,
                        gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  g_autoptr(WrProfile) profile = NULL;
  g_autoptr(WrProfile) read_back = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  Wait wait_cancelled = { 0 };

  profile = wr_store_get_profile (store, &error);
  g_assert_no_error (error);
  wr_profile_set_default_model (profile, "mock-echo");
  g_assert_true (wr_store_save_profile (store, profile, &error));
  g_assert_no_error (error);

  wr_store_get_profile_async (store, NULL, get_profile_cb, &wait);
  /* Results come back through the main context, not during the call. */
  g_assert_false (wait.done);
  wait_run (&wait);
  g_assert_no_error (wait.error);
  read_back = wait.object;
  g_assert_true (WR_IS_PROFILE (read_back));
  g_assert_true (read_back != profile);
  g_assert_cmpstr (wr_profile_get_default_model (read_back), ==, "mock-echo");
  g_assert_cmpstr (wr_profile_get_id (read_back), ==, wr_profile_get_id (profile));

  g_cancellable_cancel (cancellable);
  wr_store_get_profile_async (store, cancellable, get_profile_cb, &wait_cancelled);
  wait_run (&wait_cancelled);
  g_assert_null (wait_cancelled.object);
  g_assert_error (wait_cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait_cancelled.error);
}

/* Providers from ANTHROPIC_API_KEY / GOOGLE_API_KEY answer without the user
 * naming a model: at the services' own address they have a default model
 * (as OPENAI_API_KEY has gpt-4o-mini); at another base URL, none (the chat
 * service then takes the first model that server lists). */
static void
test_environment_default_models (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(WrProviderRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  WrProvider *anthropic;
  WrProvider *google;

  g_setenv ("ANTHROPIC_API_KEY", "sk-ant-test-env", TRUE);
  g_setenv ("GOOGLE_API_KEY", "AIza-test-env", TRUE);
  g_unsetenv ("ANTHROPIC_BASE_URL");
  g_unsetenv ("GOOGLE_BASE_URL");

  registry = wr_provider_registry_new (wr_session_get_store (fixture->session));
  g_assert_true (wr_provider_registry_load (registry, NULL, &error));
  g_assert_no_error (error);

  anthropic = wr_provider_registry_lookup (registry, "env-anthropic");
  g_assert_nonnull (anthropic);
  g_assert_cmpstr (wr_provider_get_default_model (anthropic), ==, "claude-3-5-sonnet-latest");
  google = wr_provider_registry_lookup (registry, "env-google");
  g_assert_nonnull (google);
  g_assert_cmpstr (wr_provider_get_default_model (google), ==, "gemini-2.0-flash");

  g_setenv ("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/anthropic/v1", TRUE);
  g_setenv ("GOOGLE_BASE_URL", "http://127.0.0.1:9/google/v1beta", TRUE);
  g_assert_true (wr_provider_registry_load (registry, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (wr_provider_get_default_model (wr_provider_registry_lookup (registry, "env-anthropic")));
  g_assert_null (wr_provider_get_default_model (wr_provider_registry_lookup (registry, "env-google")));

  g_unsetenv ("ANTHROPIC_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");
  g_unsetenv ("ANTHROPIC_BASE_URL");
  g_unsetenv ("GOOGLE_BASE_URL");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/registry/remove-async/removes-row-key-and-item", Fixture, NULL,
              fixture_setup, test_remove_async, fixture_teardown);
  g_test_add ("/registry/remove-async/not-stored", Fixture, NULL,
              fixture_setup, test_remove_async_not_stored, fixture_teardown);
  g_test_add ("/registry/remove-async/cancelled", Fixture, NULL,
              fixture_setup, test_remove_async_cancelled, fixture_teardown);
  g_test_add ("/store/get-profile-async", Fixture, NULL,
              fixture_setup, test_get_profile_async, fixture_teardown);
  g_test_add ("/registry/environment/default-models", Fixture, NULL,
              fixture_setup, test_environment_default_models, fixture_teardown);

  return g_test_run ();
}
