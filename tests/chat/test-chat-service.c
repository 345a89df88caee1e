/* test-chat-service.c — the send → stream → save flow against the mock
 * OpenAI server: model resolution order, streaming into the message,
 * history, partial answers, Stop, Retry, busy chats, and the provider
 * registry's environment providers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "store/wr-store-db.h"
#include "chat-test-util.h"

typedef struct
{
  char         *data_dir;
  WrMockServer *mock;
  WrSession    *session;
  WrProject    *project;
  WrChat       *chat;
  WrProvider   *provider;   /* stored, pointing at the mock */
  GPtrArray    *added;      /* messages seen through "message-added" */
  guint         content_notifies;
} Fixture;

static void
on_content (WrMessage  *message,
            GParamSpec *pspec,
            Fixture    *fixture)
{
  fixture->content_notifies++;
}

static void
on_message_added (WrChatService *service,
                  WrChat        *chat,
                  WrMessage     *message,
                  Fixture       *fixture)
{
  g_ptr_array_add (fixture->added, g_object_ref (message));
  g_signal_connect (message, "notify::content", G_CALLBACK (on_content), fixture);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WrStore *store;

  chat_test_clear_environment ();

  fixture->mock = wr_mock_server_new ();
  fixture->added = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->session = chat_test_session_new ("wr-chat-XXXXXX", &fixture->data_dir);
  store = wr_session_get_store (fixture->session);

  if (data == NULL)
    fixture->provider = chat_test_add_mock_provider (fixture->session, fixture->mock);

  fixture->project = chat_test_create_project (fixture->session, "Test");
  fixture->chat = wr_store_create_chat (store, wr_project_get_id (fixture->project), NULL, &error);
  g_assert_no_error (error);

  g_signal_connect (wr_session_get_chat_service (fixture->session), "message-added",
                    G_CALLBACK (on_message_added), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < fixture->added->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (fixture->added, i), fixture);
  g_signal_handlers_disconnect_by_data (wr_session_get_chat_service (fixture->session), fixture);

  g_clear_pointer (&fixture->added, g_ptr_array_unref);
  g_clear_object (&fixture->provider);
  g_clear_object (&fixture->chat);
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->mock);
  chat_test_remove_data_dir (g_steal_pointer (&fixture->data_dir));
}

static void
test_send_streams_and_saves (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(WrChat) stored_chat = NULL;
  WrMessage *saved;

  wr_chat_set_model (fixture->chat, "mock-echo");
  reply = chat_test_send (fixture->session, fixture->chat, "hello world", &error);
  g_assert_no_error (error);

  /* The view learns of both messages before the reply is done. */
  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpstr (wr_message_get_role (g_ptr_array_index (fixture->added, 0)), ==, "user");
  g_assert_true (g_ptr_array_index (fixture->added, 1) == reply);
  /* Streamed: several content updates, not one. */
  g_assert_cmpuint (fixture->content_notifies, >, 2);

  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_ECHO_PREFIX "hello world");
  g_assert_cmpint (wr_message_get_status (reply), ==, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpint (wr_message_get_input_tokens (reply), ==, 2);
  g_assert_cmpint (wr_message_get_output_tokens (reply), >, 1);
  g_assert_cmpstr (wr_message_get_provider_id (reply), ==, wr_provider_get_id (fixture->provider));

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
  saved = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (wr_message_get_id (saved), ==, wr_message_get_id (reply));
  g_assert_cmpstr (wr_message_get_content (saved), ==, WR_MOCK_ECHO_PREFIX "hello world");
  g_assert_cmpint (wr_message_get_status (saved), ==, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpint (wr_message_get_output_tokens (saved), ==, wr_message_get_output_tokens (reply));
  g_assert_cmpstr (wr_message_get_model (saved), ==, "mock-echo");

  /* The chat got a title and remembers model and provider. */
  stored_chat = wr_store_get_chat (wr_session_get_store (fixture->session), wr_chat_get_id (fixture->chat), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_chat_get_title (stored_chat), ==, "hello world");
  g_assert_cmpstr (wr_chat_get_model (stored_chat), ==, "mock-echo");
  g_assert_cmpstr (wr_chat_get_provider_id (stored_chat), ==, wr_provider_get_id (fixture->provider));
}

static void
test_history_is_sent (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) first = NULL;
  g_autoptr(WrMessage) second = NULL;
  const char *body;

  wr_chat_set_model (fixture->chat, "mock-echo");
  first = chat_test_send (fixture->session, fixture->chat, "alpha", &error);
  g_assert_no_error (error);
  second = chat_test_send (fixture->session, fixture->chat, "beta", &error);
  g_assert_no_error (error);

  body = wr_mock_server_get_last_body (fixture->mock);
  g_assert_nonnull (strstr (body, "alpha"));
  g_assert_nonnull (strstr (body, WR_MOCK_ECHO_PREFIX "alpha"));
  g_assert_nonnull (strstr (body, "beta"));
  g_assert_true (strstr (body, "alpha") < strstr (body, "beta"));
  /* Four stored messages, in order. */
  {
    g_autoptr(GPtrArray) messages = chat_test_stored_messages (fixture->session, fixture->chat);
    g_assert_cmpuint (messages->len, ==, 4);
    g_assert_cmpstr (wr_message_get_content (g_ptr_array_index (messages, 2)), ==, "beta");
  }
}

typedef struct
{
  gboolean    done;
  WrProvider *provider;
  char       *model;
  GError     *error;
} ResolveWait;

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ResolveWait *wait = user_data;

  wr_chat_service_resolve_finish (WR_CHAT_SERVICE (object), result,
                                  &wait->provider, &wait->model, &wait->error);
  wait->done = TRUE;
}

static char *
resolve_model (Fixture *fixture)
{
  ResolveWait wait = { 0 };

  wr_chat_service_resolve_async (wr_session_get_chat_service (fixture->session),
                                 fixture->chat, NULL, resolve_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_no_error (wait.error);
  g_assert_true (wait.provider == fixture->provider);
  g_clear_object (&wait.provider);

  return wait.model;
}

/* chat > project > profile > WORKROOM_DEFAULT_MODEL > provider default >
 * first listed model. Each level is removed in turn. */
static void
test_resolution_order (Fixture       *fixture,
                       gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  const char *project_id = wr_project_get_id (fixture->project);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = NULL;
  char *model;

  wr_chat_set_model (fixture->chat, "mock-chat");
  g_assert_true (wr_store_set_project_default_model (store, project_id, "mock-project", &error));
  profile = wr_store_get_profile (store, &error);
  g_assert_no_error (error);
  wr_profile_set_default_model (profile, "mock-profile");
  g_assert_true (wr_store_save_profile (store, profile, &error));
  g_setenv ("WORKROOM_DEFAULT_MODEL", "mock-env", TRUE);
  wr_provider_set_default_model (fixture->provider, "mock-provider");

  model = resolve_model (fixture);
  g_assert_cmpstr (model, ==, "mock-chat");
  g_free (model);

  wr_chat_set_model (fixture->chat, NULL);
  model = resolve_model (fixture);
  g_assert_cmpstr (model, ==, "mock-project");
  g_free (model);

  g_assert_true (wr_store_set_project_default_model (store, project_id, NULL, &error));
  model = resolve_model (fixture);
  g_assert_cmpstr (model, ==, "mock-profile");
  g_free (model);

  wr_profile_set_default_model (profile, NULL);
  g_assert_true (wr_store_save_profile (store, profile, &error));
  model = resolve_model (fixture);
  g_assert_cmpstr (model, ==, "mock-env");
  g_free (model);

  g_unsetenv ("WORKROOM_DEFAULT_MODEL");
  model = resolve_model (fixture);
  g_assert_cmpstr (model, ==, "mock-provider");
  g_free (model);

  /* Nothing chosen anywhere: the provider's first listed model. */
  wr_provider_set_default_model (fixture->provider, NULL);
  g_assert_cmpuint (wr_mock_server_get_models_count (fixture->mock), ==, 0);
  model = resolve_model (fixture);
  g_assert_nonnull (model);
  g_assert_true (g_str_has_prefix (model, "mock-"));
  g_assert_cmpuint (wr_mock_server_get_models_count (fixture->mock), ==, 1);
  g_free (model);
}

static void
test_drop_keeps_partial (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  WrMessage *assistant;

  wr_chat_set_model (fixture->chat, "mock-drop");
  reply = chat_test_send (fixture->session, fixture->chat, "hi", &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_INTERRUPTED);
  g_assert_null (reply);

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
  assistant = g_ptr_array_index (messages, 1);
  g_assert_cmpint (wr_message_get_status (assistant), ==, WR_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpstr (wr_message_get_content (assistant), ==, WR_MOCK_DROP_TEXT);
  g_assert_nonnull (wr_message_get_error (assistant));
}

static void
test_auth_error_before_text (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  WrMessage *assistant;

  wr_chat_set_model (fixture->chat, "mock-401");
  reply = chat_test_send (fixture->session, fixture->chat, "hi", &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_AUTH);

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  assistant = g_ptr_array_index (messages, 1);
  g_assert_cmpint (wr_message_get_status (assistant), ==, WR_MESSAGE_STATUS_ERROR);
  g_assert_cmpstr (wr_message_get_content (assistant), ==, "");
  g_assert_nonnull (strstr (wr_message_get_error (assistant), "key"));
}

/* Stop: the chat is free again, what arrived is saved and marked. */
static void
test_stop_keeps_partial (Fixture       *fixture,
                         gconstpointer  data)
{
  WrChatService *service = wr_session_get_chat_service (fixture->session);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) messages = NULL;
  ChatTestWait wait = { 0 };
  WrMessage *assistant;
  gulong handler;

  handler = g_signal_connect (service, "message-added", G_CALLBACK (chat_test_on_added_cancel), cancellable);
  wr_chat_set_model (fixture->chat, "mock-long");
  wr_chat_service_send_async (service, fixture->chat, "long please", cancellable, chat_test_send_cb, &wait);
  g_assert_true (wr_chat_service_is_busy (service, wr_chat_get_id (fixture->chat)));
  chat_test_iterate_until (&wait.done, 20);
  g_signal_handler_disconnect (service, handler);

  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_false (wr_chat_service_is_busy (service, wr_chat_get_id (fixture->chat)));
  for (guint i = 0; i < fixture->added->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (fixture->added, i), chat_test_cancel_after_text,
                                          cancellable);

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  assistant = g_ptr_array_index (messages, 1);
  g_assert_cmpint (wr_message_get_status (assistant), ==, WR_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpuint (wr_message_get_content_length (assistant), >, 0);
  g_assert_nonnull (wr_message_get_error (assistant));
}

static void
test_busy_chat_refuses_second_send (Fixture       *fixture,
                                    gconstpointer  data)
{
  WrChatService *service = wr_session_get_chat_service (fixture->session);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ChatTestWait first = { 0 }, second = { 0 };

  wr_chat_set_model (fixture->chat, "mock-long");
  wr_chat_service_send_async (service, fixture->chat, "one", cancellable, chat_test_send_cb, &first);
  wr_chat_service_send_async (service, fixture->chat, "two", NULL, chat_test_send_cb, &second);
  chat_test_iterate_until (&second.done, 20);
  g_assert_error (second.error, WR_CHAT_ERROR, WR_CHAT_ERROR_BUSY);
  g_clear_error (&second.error);

  g_cancellable_cancel (cancellable);
  chat_test_iterate_until (&first.done, 20);
  g_clear_error (&first.error);
  g_clear_object (&first.message);
}

/* Retry regenerates the failed reply in place, from the same history. */
static void
test_retry_in_place (Fixture       *fixture,
                     gconstpointer  data)
{
  WrChatService *service = wr_session_get_chat_service (fixture->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) failed = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  WrMessage *assistant;
  ChatTestWait wait = { 0 };

  wr_chat_set_model (fixture->chat, "mock-500");
  failed = chat_test_send (fixture->session, fixture->chat, "try me", &error);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_SERVER);
  g_clear_error (&error);
  assistant = g_ptr_array_index (fixture->added, 1);
  g_assert_cmpint (wr_message_get_status (assistant), ==, WR_MESSAGE_STATUS_ERROR);

  wr_chat_set_model (fixture->chat, "mock-echo");
  wr_chat_service_retry_async (service, fixture->chat, assistant, NULL, chat_test_retry_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);
  g_assert_no_error (wait.error);
  g_assert_true (wait.message == assistant);
  g_clear_object (&wait.message);

  g_assert_cmpstr (wr_message_get_content (assistant), ==, WR_MOCK_ECHO_PREFIX "try me");
  g_assert_cmpint (wr_message_get_status (assistant), ==, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_null (wr_message_get_error (assistant));

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (wr_message_get_content (g_ptr_array_index (messages, 1)), ==, WR_MOCK_ECHO_PREFIX "try me");
}

/* No provider at all: a clear error, nothing stored. */
static void
test_no_provider (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  g_assert_true (wr_provider_registry_is_empty (wr_session_get_providers (fixture->session)));
  reply = chat_test_send (fixture->session, fixture->chat, "anyone?", &error);
  g_assert_error (error, WR_CHAT_ERROR, WR_CHAT_ERROR_NO_PROVIDER);
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 0);
}

/* OPENAI_* and OLLAMA_HOST define providers that are not saved. */
static void
test_environment_providers (Fixture       *fixture,
                            gconstpointer  data)
{
  WrProviderRegistry *registry = wr_session_get_providers (fixture->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(WrMessage) reply = NULL;
  WrProvider *openai, *ollama;

  g_setenv ("OPENAI_API_KEY", "sk-env", TRUE);
  g_setenv ("OPENAI_BASE_URL", wr_mock_server_get_url (fixture->mock), TRUE);
  g_setenv ("OLLAMA_HOST", "127.0.0.1:1", TRUE);
  g_assert_true (wr_provider_registry_load (registry, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 2);
  openai = wr_provider_registry_lookup (registry, "env-openai");
  ollama = wr_provider_registry_lookup (registry, "env-ollama");
  g_assert_nonnull (openai);
  g_assert_nonnull (ollama);
  g_assert_cmpstr (wr_provider_get_api_key (openai), ==, "sk-env");
  g_assert_cmpstr (wr_provider_get_base_url (ollama), ==, "http://127.0.0.1:1/v1");
  g_assert_true (wr_provider_registry_get_default (registry) == openai);

  records = wr_store_list_providers (wr_session_get_store (fixture->session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);

  wr_chat_set_model (fixture->chat, "mock-echo");
  reply = chat_test_send (fixture->session, fixture->chat, "env", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_mock_server_get_last_header (fixture->mock, "Authorization"), ==, "Bearer sk-env");

  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENAI_BASE_URL");
  g_unsetenv ("OLLAMA_HOST");
}

/* A provider failing before any text: the reply comes from the next one in
 * the model's failover chain, and the message says who answered. */
static void
test_failover_to_next_provider (Fixture       *fixture,
                                gconstpointer  data)
{
  WrChatService *service = wr_session_get_chat_service (fixture->session);
  g_autoptr(WrMockServer) backup_mock = wr_mock_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  WrFailoverPolicy *policy = wr_router_get_policy (wr_chat_service_get_router (service));
  WrProvider *backup;
  WrFailoverTarget target = { NULL, (char *) "mock-echo" };

  backup = wr_provider_registry_add (wr_session_get_providers (fixture->session),
                                     "Backup", "openai", wr_mock_server_get_url (backup_mock),
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  target.provider = (char *) wr_provider_get_id (backup);
  g_assert_true (wr_failover_policy_set_chain (policy, "mock-500", &target, 1, &error));
  g_assert_no_error (error);
  wr_router_set_retry_delay (wr_chat_service_get_router (service), 10);

  wr_chat_set_model (fixture->chat, "mock-500");
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (fixture->provider));
  reply = chat_test_send (fixture->session, fixture->chat, "are you there", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (wr_message_get_content (reply), ==, WR_MOCK_ECHO_PREFIX "are you there");
  g_assert_cmpstr (wr_message_get_provider_id (reply), ==, wr_provider_get_id (backup));
  g_assert_cmpstr (wr_message_get_model (reply), ==, "mock-echo");
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), >=, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (backup_mock), ==, 1);

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpstr (wr_message_get_provider_id (g_ptr_array_index (messages, 1)), ==, wr_provider_get_id (backup));
  g_assert_cmpint (wr_message_get_status (g_ptr_array_index (messages, 1)), ==, WR_MESSAGE_STATUS_COMPLETE);
}

/* Images go with the text, are stored with the user message, and are sent
 * again with later turns; an image alone is a message too. */
static GPtrArray *
png_attachments (guint n)
{
  GPtrArray *attachments = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8 + i, 8);
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("picture-%u.png", i);
      g_autoptr(GBytes) bytes = NULL;
      char *buffer = NULL;
      gsize size = 0;

      gdk_pixbuf_fill (pixbuf, 0x336699ff);
      gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
      g_assert_no_error (error);
      bytes = g_bytes_new_take (buffer, size);
      g_ptr_array_add (attachments, wr_attachment_new (name, NULL, bytes));
    }

  return attachments;
}

static WrMessage *
send_with_images (Fixture     *fixture,
                  const char  *text,
                  GPtrArray   *attachments,
                  GError     **error)
{
  ChatTestWait wait = { 0 };

  wr_chat_service_send_with_attachments_async (wr_session_get_chat_service (fixture->session),
                                               fixture->chat, text, attachments, NULL, chat_test_send_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);

  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.message;
}

static guint
count_substrings (const char *haystack,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_send_images (Fixture       *fixture,
                  gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  g_autoptr(GPtrArray) two = png_attachments (2);
  g_autoptr(GPtrArray) one = png_attachments (1);
  g_autoptr(GPtrArray) nine = png_attachments (9);
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autoptr(WrMessage) second = NULL;
  g_autoptr(WrMessage) third = NULL;
  g_autoptr(WrMessage) refused = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  wr_chat_set_model (fixture->chat, "mock-vision");
  wr_chat_set_provider_id (fixture->chat, wr_provider_get_id (fixture->provider));

  reply = send_with_images (fixture, "what is in these?", two, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (wr_message_get_content (reply), "images: 2"));
  g_assert_nonnull (strstr (wr_message_get_content (reply), "what is in these?"));

  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 2);
  stored = wr_store_list_attachments (store, wr_message_get_id (g_ptr_array_index (messages, 0)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpstr (wr_attachment_get_name (g_ptr_array_index (stored, 1)), ==, "picture-1.png");
  g_assert_true (g_bytes_equal (wr_attachment_get_data (g_ptr_array_index (stored, 0)),
                                wr_attachment_get_data (g_ptr_array_index (two, 0))));

  /* The next turn, text only: the earlier pictures are still in the
   * conversation the model reads. */
  second = chat_test_send (fixture->session, fixture->chat, "and now?", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_substrings (wr_mock_server_get_last_body (fixture->mock), "data:image/png;base64,"), ==, 2);

  /* A picture without words. */
  third = send_with_images (fixture, "", one, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (wr_message_get_content (third), "images: 1"));
  g_assert_cmpuint (count_substrings (wr_mock_server_get_last_body (fixture->mock), "data:image/png;base64,"), ==, 3);

  /* Too many: refused before anything is stored or sent. */
  g_clear_pointer (&messages, g_ptr_array_unref);
  refused = send_with_images (fixture, "all of them", nine, &error);
  g_assert_null (refused);
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at most 8"));
  messages = chat_test_stored_messages (fixture->session, fixture->chat);
  g_assert_cmpuint (messages->len, ==, 6);
}

/* A project's default model names no provider: the reply goes to the
 * provider that listed that model last time, not simply the first one. */
static gboolean
cache_model_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  const char **row = data;

  return sqlite3_exec (db, row[0], NULL, NULL, NULL) == SQLITE_OK;
}

static void
test_default_model_finds_its_provider (Fixture       *fixture,
                                       gconstpointer  data)
{
  WrStore *store = wr_session_get_store (fixture->session);
  g_autoptr(WrMockServer) other_mock = wr_mock_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMessage) reply = NULL;
  g_autofree char *sql = NULL;
  const char *row[1];
  WrProvider *other;

  other = wr_provider_registry_add (wr_session_get_providers (fixture->session),
                                    "Other", "openai", wr_mock_server_get_url (other_mock),
                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wr_provider_registry_get_default (wr_session_get_providers (fixture->session)) == fixture->provider);

  sql = g_strdup_printf ("INSERT INTO model_cache (provider_id, model, listed_at) VALUES ('%s', 'mock-markdown', 1)",
                         wr_provider_get_id (other));
  row[0] = sql;
  g_assert_true (_wr_store_run_transaction (store, cache_model_tx, row, &error));
  g_assert_no_error (error);
  g_assert_true (wr_store_set_project_default_model (store, wr_project_get_id (fixture->project),
                                                     "mock-markdown", &error));

  reply = chat_test_send (fixture->session, fixture->chat, "hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_message_get_provider_id (reply), ==, wr_provider_get_id (other));
  g_assert_cmpstr (wr_message_get_model (reply), ==, "mock-markdown");
  g_assert_cmpuint (wr_mock_server_get_chat_count (other_mock), ==, 1);
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/chat/send/streams-and-saves", Fixture, NULL, fixture_setup, test_send_streams_and_saves, fixture_teardown);
  g_test_add ("/chat/send/history", Fixture, NULL, fixture_setup, test_history_is_sent, fixture_teardown);
  g_test_add ("/chat/resolve/order", Fixture, NULL, fixture_setup, test_resolution_order, fixture_teardown);
  g_test_add ("/chat/send/drop-keeps-partial", Fixture, NULL, fixture_setup, test_drop_keeps_partial, fixture_teardown);
  g_test_add ("/chat/send/auth-error", Fixture, NULL, fixture_setup, test_auth_error_before_text, fixture_teardown);
  g_test_add ("/chat/send/stop-keeps-partial", Fixture, NULL, fixture_setup, test_stop_keeps_partial, fixture_teardown);
  g_test_add ("/chat/send/busy", Fixture, NULL, fixture_setup, test_busy_chat_refuses_second_send, fixture_teardown);
  g_test_add ("/chat/send/failover", Fixture, NULL, fixture_setup, test_failover_to_next_provider, fixture_teardown);
  g_test_add ("/chat/send/images", Fixture, NULL, fixture_setup, test_send_images, fixture_teardown);
  g_test_add ("/chat/resolve/default-model-provider", Fixture, NULL, fixture_setup, test_default_model_finds_its_provider, fixture_teardown);
  g_test_add ("/chat/retry/in-place", Fixture, NULL, fixture_setup, test_retry_in_place, fixture_teardown);
  g_test_add ("/chat/send/no-provider", Fixture, "no-provider", fixture_setup, test_no_provider, fixture_teardown);
  g_test_add ("/chat/registry/environment", Fixture, "no-provider", fixture_setup, test_environment_providers, fixture_teardown);

  return g_test_run ();
}
