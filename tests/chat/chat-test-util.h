/* chat-test-util.h — what the chat-service tests share: a session over a
 * temporary data directory with the mock server as its stored provider,
 * waiting on the main loop with a deadline, and sending a message the way
 * the views do (async, then iterate).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "workroom.h"
#include "wr-mock-server.h"

/* Drops what would add environment providers or pick a default model, so a
 * developer's shell does not leak into the tests. */
static inline void
chat_test_clear_environment (void)
{
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENAI_BASE_URL");
  g_unsetenv ("OLLAMA_HOST");
  g_unsetenv ("WORKROOM_DEFAULT_MODEL");
}

/* A session over a new directory made from @tmpl (g_dir_make_tmp());
 * the directory goes to @out_data_dir (transfer full). */
static inline WrSession *
chat_test_session_new (const char  *tmpl,
                       char       **out_data_dir)
{
  g_autoptr(GError) error = NULL;
  WrSession *session;

  *out_data_dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  session = wr_session_new (*out_data_dir, NULL, &error);
  g_assert_no_error (error);
  return session;
}

/* Stores @mock as the OpenAI-compatible provider "Mock" (transfer full). */
static inline WrProvider *
chat_test_add_mock_provider (WrSession    *session,
                             WrMockServer *mock)
{
  g_autoptr(GError) error = NULL;
  WrProvider *provider;

  provider = wr_provider_registry_add (wr_session_get_providers (session),
                                       "Mock", "openai", wr_mock_server_get_url (mock),
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return g_object_ref (provider);
}

static inline WrProject *
chat_test_create_project (WrSession  *session,
                          const char *name)
{
  g_autoptr(GError) error = NULL;
  WrProject *project = wr_store_create_project (wr_session_get_store (session), name, &error);

  g_assert_no_error (error);
  return project;
}

/* Removes @data_dir and everything in it, and frees the string. */
static inline void
chat_test_remove_data_dir (char *data_dir)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", data_dir);

  g_assert_cmpint (system (command), ==, 0);
  g_free (data_dir);
}

/* Iterates the default main context until *@done; fails the test after
 * @seconds. */
static inline void
chat_test_iterate_until (gboolean *done,
                         guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* What an async chat-service call gave back; the callbacks below fill it. */
typedef struct
{
  gboolean      done;
  WrMessage    *message;
  WrCompletion *completion;
  WrCompletion *partial;
  GError       *error;
} ChatTestWait;

static inline void
chat_test_send_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ChatTestWait *wait = user_data;

  wait->message = wr_chat_service_send_finish (WR_CHAT_SERVICE (object), result, &wait->error);
  wait->done = TRUE;
}

static inline void
chat_test_retry_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ChatTestWait *wait = user_data;

  wait->message = wr_chat_service_retry_finish (WR_CHAT_SERVICE (object), result, &wait->error);
  wait->done = TRUE;
}

static inline void
chat_test_complete_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ChatTestWait *wait = user_data;

  wait->completion = wr_chat_service_complete_finish (WR_CHAT_SERVICE (object), result,
                                                      &wait->partial, &wait->error);
  wait->done = TRUE;
}

/* Sends @text in @chat through the session's chat service and waits for
 * the reply (transfer full, nullable on error). */
static inline WrMessage *
chat_test_send (WrSession   *session,
                WrChat      *chat,
                const char  *text,
                GError     **error)
{
  ChatTestWait wait = { 0 };

  wr_chat_service_send_async (wr_session_get_chat_service (session), chat, text, NULL,
                              chat_test_send_cb, &wait);
  chat_test_iterate_until (&wait.done, 20);

  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.message;
}

/* @chat's messages as stored (transfer container). */
static inline GPtrArray *
chat_test_stored_messages (WrSession *session,
                           WrChat    *chat)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  messages = wr_store_list_messages (wr_session_get_store (session), wr_chat_get_id (chat), &error);
  g_assert_no_error (error);
  return messages;
}

static inline void
chat_test_cancel_after_text (WrMessage    *message,
                             GParamSpec   *pspec,
                             GCancellable *cancellable)
{
  if (wr_message_get_content_length (message) > 0)
    g_cancellable_cancel (cancellable);
}

/* A "message-added" handler (user data: a GCancellable) that stops the
 * reply once its first text arrived, as the Stop button would. */
static inline void
chat_test_on_added_cancel (WrChatService *service,
                           WrChat        *chat,
                           WrMessage     *message,
                           GCancellable  *cancellable)
{
  if (g_strcmp0 (wr_message_get_role (message), "assistant") == 0)
    g_signal_connect_object (message, "notify::content", G_CALLBACK (chat_test_cancel_after_text),
                             cancellable, 0);
}
