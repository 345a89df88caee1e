/* test-chat-view.c — the Chat page on a real store: opening a 10,000
 * message chat quickly, streaming into the last row, the composer's keys.
 * Needs a display (the lead runs the gui suite under xvfb-run). */
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "workroom.h"
#include "wr-chat-view.h"
#include "wr-chat-view-private.h"
#include "wr-markdown-view.h"
#include "wr-message-row.h"
#include "wr-mock-server.h"
#include "gui-test-util.h"

/* How fast it opens is measured by bench/bench-chat-open.c; this test only
 * bounds the wait so a hang fails instead of blocking. */

typedef struct {
  char      *dir;
  WrSession *session;
  WrProject *project;
  WrChat    *chat;
  GtkWidget *window;
  WrChatView *view;
} Fixture;

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WrStore *store;

  f->dir = g_dir_make_tmp ("wr-test-chat-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  store = wr_session_get_store (f->session);
  f->project = wr_store_create_project (store, "Test project", &error);
  g_assert_no_error (error);
  f->chat = wr_store_create_chat (store, wr_project_get_id (f->project), "Big chat", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  f->view = WR_CHAT_VIEW (wr_chat_view_new (f->session));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->chat);
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  remove_dir (f->dir);
  g_free (f->dir);
}

static void
add_messages (Fixture *f,
              guint    n)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = (i % 2 == 0)
        ? g_strdup_printf ("Question %u: how do I *do* this?", i)
        : g_strdup_printf ("Answer %u.\n\n- one\n- two\n\n```sh\nmake %u\n```\n", i, i);
      WrMessage *message = wr_message_new (i % 2 == 0 ? "user" : "assistant", text);

      wr_message_set_chat_id (message, wr_chat_get_id (f->chat));
      wr_message_set_status (message, WR_MESSAGE_STATUS_COMPLETE);
      g_ptr_array_add (messages, message);
    }

  g_assert_true (wr_store_add_messages (wr_session_get_store (f->session), messages, &error));
  g_assert_no_error (error);
}

static void
wait_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
wait_for (gboolean (*done) (Fixture *f),
          Fixture  *f,
          guint     timeout_ms)
{
  gint64 until = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (f))
    {
      if (g_get_monotonic_time () > until)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

/* The last message of the chat is bound to a row of the list. */
static WrMessageRow *
find_row_for (GtkWidget *widget,
              WrMessage *message)
{
  if (WR_IS_MESSAGE_ROW (widget) && wr_message_row_get_message (WR_MESSAGE_ROW (widget)) == message)
    return WR_MESSAGE_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      WrMessageRow *row = find_row_for (child, message);
      if (row != NULL)
        return row;
    }
  return NULL;
}

static WrMessage *
last_message (Fixture *f)
{
  GListModel *messages = _wr_chat_view_get_messages (f->view);
  guint n = g_list_model_get_n_items (messages);

  return n > 0 ? g_list_model_get_item (messages, n - 1) : NULL;
}

static gboolean
big_chat_shown (Fixture *f)
{
  g_autoptr(WrMessage) last = NULL;

  if (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_n_loaded_messages (f->view) != 10000)
    return FALSE;

  last = last_message (f);
  return last != NULL &&
         find_row_for (_wr_chat_view_get_message_list (f->view), last) != NULL;
}

static void
test_open_big_chat (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WrMessage) last = NULL;
  gint64 start;
  double elapsed_ms;

  add_messages (f, 10000);
  wait_ms (300);   /* the window is mapped and drawn */

  start = g_get_monotonic_time ();
  wr_chat_view_set_project (f->view, f->project);
  g_assert_true (wait_for (big_chat_shown, f, 10000));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;

  g_test_message ("set_project to a filled list of 10,000 messages: %.1f ms", elapsed_ms);

  g_assert_nonnull (_wr_chat_view_get_chat (f->view));
  g_assert_cmpstr (wr_chat_get_id (_wr_chat_view_get_chat (f->view)), ==, wr_chat_get_id (f->chat));
  last = last_message (f);
  g_assert_cmpstr (wr_message_get_content (last), ==,
                   "Answer 9999.\n\n- one\n- two\n\n```sh\nmake 9999\n```\n");
  /* Only the latest messages are in the list model; the rest wait. */
  g_assert_cmpuint (g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)), <, 10000);
}

static gboolean
streaming_done (Fixture *f)
{
  return FALSE;
}

static void
test_streaming_row (Fixture       *f,
                    gconstpointer  data)
{
  WrChatService *service = wr_session_get_chat_service (f->session);
  g_autoptr(WrMessage) user = wr_message_new ("user", "Tell me");
  g_autoptr(WrMessage) reply = wr_message_new ("assistant", "");
  WrMessageRow *row;
  WrMarkdownView *markdown;
  GtkWidget *child;

  add_messages (f, 4);
  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)), ==, 4);

  /* What the chat service does when a reply starts. */
  wr_message_set_chat_id (user, wr_chat_get_id (f->chat));
  wr_message_set_chat_id (reply, wr_chat_get_id (f->chat));
  wr_message_set_status (reply, WR_MESSAGE_STATUS_STREAMING);
  g_signal_emit_by_name (service, "message-added", _wr_chat_view_get_chat (f->view), user);
  g_signal_emit_by_name (service, "message-added", _wr_chat_view_get_chat (f->view), reply);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)), ==, 6);

  wait_for (streaming_done, f, 200);
  row = find_row_for (_wr_chat_view_get_message_list (f->view), reply);
  g_assert_nonnull (row);

  /* Find the row's markdown view. */
  markdown = NULL;
  for (child = GTK_WIDGET (row); child != NULL; )
    {
      if (WR_IS_MARKDOWN_VIEW (child))
        {
          markdown = WR_MARKDOWN_VIEW (child);
          break;
        }
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && child != GTK_WIDGET (row) && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = (child == NULL || child == GTK_WIDGET (row)) ? NULL : gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_nonnull (markdown);
  g_assert_cmpuint (wr_markdown_view_get_n_blocks (markdown), ==, 0);

  /* Many pieces within one frame are rendered once, on the next frame. */
  for (guint i = 0; i < 500; i++)
    wr_message_append_content (reply, "word ", -1);
  g_assert_cmpuint (wr_markdown_view_get_n_blocks (markdown), ==, 0);
  wait_for (streaming_done, f, 200);
  g_assert_cmpuint (wr_markdown_view_get_n_blocks (markdown), ==, 1);

  wr_message_append_content (reply, "\n\n```c\nint x;\n```\n\nDone.", -1);
  wait_for (streaming_done, f, 200);
  g_assert_cmpuint (wr_markdown_view_get_n_blocks (markdown), ==, 3);

  wr_message_set_status (reply, WR_MESSAGE_STATUS_COMPLETE);
  g_assert_cmpuint (wr_markdown_view_get_n_blocks (markdown), ==, 3);
}

static gboolean
reply_failed (Fixture *f)
{
  g_autoptr(WrMessage) last = last_message (f);

  return last != NULL &&
         g_strcmp0 (wr_message_get_role (last), "assistant") == 0 &&
         wr_message_get_status (last) == WR_MESSAGE_STATUS_ERROR &&
         !wr_chat_service_is_busy (wr_session_get_chat_service (f->session), wr_chat_get_id (f->chat));
}

/* Send through the real chat service to a port where nothing listens: the
 * user message and the failed answer appear, the chat gets its title, and
 * the answer's row says what went wrong. */
static void
test_send_fails_inline (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *composer;
  g_autoptr(WrMessage) last = NULL;
  g_autoptr(WrMessage) first = NULL;
  WrChat *chat;

  wr_chat_set_model (f->chat, "test-model");
  g_assert_true (wr_store_save_chat (wr_session_get_store (f->session), f->chat, NULL));

  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);
  chat = _wr_chat_view_get_chat (f->view);
  g_assert_cmpstr (wr_chat_get_title (chat), ==, "Big chat");
  wr_chat_set_title (chat, NULL);

  wr_chat_view_focus_composer (f->view);
  wait_ms (50);
  composer = gtk_window_get_focus (GTK_WINDOW (f->window));
  g_assert_true (GTK_IS_TEXT_VIEW (composer));

  /* Blank text is not sent. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer)), "  \n ", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.send", NULL);
  wait_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)), ==, 0);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer)),
                            "Hello there\nsecond line", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.send", NULL);
  g_assert_true (wait_for (reply_failed, f, 20000));

  g_assert_cmpuint (g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)), ==, 2);
  first = g_list_model_get_item (_wr_chat_view_get_messages (f->view), 0);
  g_assert_cmpstr (wr_message_get_role (first), ==, "user");
  g_assert_cmpstr (wr_message_get_content (first), ==, "Hello there\nsecond line");
  last = last_message (f);
  g_assert_nonnull (wr_message_get_error (last));
  g_assert_nonnull (find_row_for (_wr_chat_view_get_message_list (f->view), last));
  /* The composer was emptied and the chat named after its first line. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer))), ==, 0);
  g_assert_cmpstr (wr_chat_get_title (chat), ==, "Hello there");
}

/* A label under a revealed revealer (the view's error banner) whose text
 * contains @needle. */
static GtkLabel *
find_banner_label (GtkWidget  *widget,
                   const char *needle,
                   gboolean    revealed)
{
  if (GTK_IS_REVEALER (widget))
    revealed = gtk_revealer_get_reveal_child (GTK_REVEALER (widget));

  if (revealed && GTK_IS_LABEL (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_banner_label (child, needle, revealed);
      if (label != NULL)
        return label;
    }
  return NULL;
}

static gboolean
refusal_shown (Fixture *f)
{
  return !wr_chat_service_is_busy (wr_session_get_chat_service (f->session), wr_chat_get_id (f->chat)) &&
         find_banner_label (GTK_WIDGET (f->view), "daily limit", TRUE) != NULL;
}

/* The plan refuses the call (here the daily token limit) before anything
 * is stored: the message stays in the composer, the banner says why, and
 * no message appears. A refused Retry leaves the old answer as it was and
 * says why in the banner too, not silently. */
static void
test_send_refused_keeps_text (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(WrMessage) user = wr_message_new ("user", "Earlier question");
  g_autoptr(WrMessage) failed = wr_message_new ("assistant", "");
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  GtkTextBuffer *buffer;
  GListModel *messages;
  WrMessage *shown;

  wr_message_set_chat_id (user, wr_chat_get_id (f->chat));
  wr_message_set_chat_id (failed, wr_chat_get_id (f->chat));
  wr_message_set_status (failed, WR_MESSAGE_STATUS_ERROR);
  wr_message_set_error (failed, "Old failure");
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), user, &error));
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), failed, &error));
  wr_chat_set_model (f->chat, "test-model");
  g_assert_true (wr_store_save_chat (wr_session_get_store (f->session), f->chat, &error));
  g_assert_no_error (error);
  g_assert_true (wr_billing_set_daily_token_limit (wr_session_get_billing (f->session), 10, &error));
  g_assert_no_error (error);

  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);
  messages = _wr_chat_view_get_messages (f->view);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);

  /* Retry: refused, said in the banner, the old answer untouched. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.retry", NULL);
  g_assert_true (wait_for (refusal_shown, f, 20000));
  shown = g_list_model_get_item (messages, 1);
  g_assert_cmpint (wr_message_get_status (shown), ==, WR_MESSAGE_STATUS_ERROR);
  g_assert_cmpstr (wr_message_get_error (shown), ==, "Old failure");
  g_object_unref (shown);

  /* Send: the text goes back to the composer. */
  wr_chat_view_focus_composer (f->view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (gtk_window_get_focus (GTK_WINDOW (f->window))));
  gtk_text_buffer_set_text (buffer, "A question over the limit", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.send", NULL);
  wait_ms (10);
  g_assert_true (wait_for (refusal_shown, f, 20000));

  g_object_get (buffer, "text", &left, NULL);
  g_assert_cmpstr (left, ==, "A question over the limit");
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  {
    g_autoptr(GPtrArray) stored = wr_store_list_messages (wr_session_get_store (f->session),
                                                          wr_chat_get_id (f->chat), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (stored->len, ==, 2);
  }
}

/* A reply left "streaming" in the store by a process that died shows as an
 * interrupted, retryable answer with its saved text, not a reply that
 * never ends. */
static void
test_stale_streaming_reply (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(WrMessage) user = wr_message_new ("user", "Tell me a story");
  g_autoptr(WrMessage) stale = wr_message_new ("assistant", "Once upon a");
  g_autoptr(WrMessage) shown_reply = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *messages;

  wr_message_set_chat_id (user, wr_chat_get_id (f->chat));
  wr_message_set_chat_id (stale, wr_chat_get_id (f->chat));
  wr_message_set_status (stale, WR_MESSAGE_STATUS_STREAMING);
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), user, &error));
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), stale, &error));

  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);

  messages = _wr_chat_view_get_messages (f->view);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 2);
  shown_reply = g_list_model_get_item (messages, 1);
  g_assert_cmpstr (wr_message_get_content (shown_reply), ==, "Once upon a");
  g_assert_cmpint (wr_message_get_status (shown_reply), ==, WR_MESSAGE_STATUS_PARTIAL);
  g_assert_nonnull (wr_message_get_error (shown_reply));
}

/* Under an answer: which model and provider answered, and, after a
 * failover, the router's note (also when it arrives on a row already
 * shown). */
static void
test_route_note (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WrMessage) question = wr_message_new ("user", "Hello?");
  g_autoptr(WrMessage) rerouted = wr_message_new ("assistant", "Hello from the fallback.");
  g_autoptr(WrMessage) plain = wr_message_new ("assistant", "Hello from the first try.");
  g_autoptr(GError) error = NULL;
  const char *note = "Answered by OpenAI (environment) (gpt-4o-mini) because Anthropic rejected the API key";
  GListModel *messages;
  WrMessageRow *row;
  GtkWidget *route_box;
  GtkLabel *caption;
  WrMessage *shown;

  wr_message_set_chat_id (question, wr_chat_get_id (f->chat));
  wr_message_set_status (question, WR_MESSAGE_STATUS_COMPLETE);
  wr_message_set_chat_id (rerouted, wr_chat_get_id (f->chat));
  wr_message_set_status (rerouted, WR_MESSAGE_STATUS_COMPLETE);
  wr_message_set_model (rerouted, "gpt-4o-mini");
  wr_message_set_provider_id (rerouted, "env-openai");
  wr_message_set_route_note (rerouted, note);
  wr_message_set_chat_id (plain, wr_chat_get_id (f->chat));
  wr_message_set_status (plain, WR_MESSAGE_STATUS_COMPLETE);
  wr_message_set_model (plain, "gpt-4o-mini");
  wr_message_set_provider_id (plain, "env-openai");
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), question, &error));
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), rerouted, &error));
  g_assert_true (wr_store_add_message (wr_session_get_store (f->session), plain, &error));
  g_assert_no_error (error);

  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);
  wait_ms (200);
  messages = _wr_chat_view_get_messages (f->view);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 3);

  /* The rerouted answer, as read back from the store. */
  shown = g_list_model_get_item (messages, 1);
  g_object_unref (shown);   /* the list keeps it */
  g_assert_cmpstr (wr_message_get_route_note (shown), ==, note);
  row = find_row_for (_wr_chat_view_get_message_list (f->view), shown);
  g_assert_nonnull (row);
  route_box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW, "route_box"));
  caption = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW, "caption"));
  g_assert_true (gtk_widget_get_visible (route_box));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW, "route_label"))), ==, note);
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (route_box), "About this answer: "));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (caption), "gpt-4o-mini · OpenAI (environment)"));

  /* The first-try answer: who answered, no note; a note arriving later
   * shows at once. */
  shown = g_list_model_get_item (messages, 2);
  g_object_unref (shown);
  row = find_row_for (_wr_chat_view_get_message_list (f->view), shown);
  g_assert_nonnull (row);
  route_box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW, "route_box"));
  caption = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW, "caption"));
  g_assert_false (gtk_widget_get_visible (route_box));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (caption), "gpt-4o-mini · OpenAI (environment)"));
  wr_message_set_route_note (shown, "Answered after a retry because OpenAI was limiting requests");
  g_assert_true (gtk_widget_get_visible (route_box));
  wr_message_set_route_note (shown, NULL);
  g_assert_false (gtk_widget_get_visible (route_box));
}

static GBytes *
png_bytes (int width)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, 40);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x4488ccff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static guint
count_pictures (GtkWidget *widget)
{
  guint n = GTK_IS_PICTURE (widget) && gtk_widget_get_visible (widget) &&
            gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_pictures (child);
  return n;
}

static gboolean
vision_reply_done (Fixture *f)
{
  g_autoptr(WrMessage) last = last_message (f);

  return last != NULL && g_strcmp0 (wr_message_get_role (last), "assistant") == 0 &&
         wr_message_get_status (last) == WR_MESSAGE_STATUS_COMPLETE;
}

static gboolean
user_pictures_shown (Fixture *f)
{
  g_autoptr(WrMessage) first = g_list_model_get_n_items (_wr_chat_view_get_messages (f->view)) > 0
                               ? g_list_model_get_item (_wr_chat_view_get_messages (f->view), 0) : NULL;
  WrMessageRow *row = first != NULL ? find_row_for (_wr_chat_view_get_message_list (f->view), first) : NULL;

  return row != NULL && count_pictures (GTK_WIDGET (row)) == 2;
}

static gboolean
bad_image_shown (Fixture *f)
{
  return find_banner_label (GTK_WIDGET (f->view), "not a real PNG", TRUE) != NULL;
}

/* Images in the tray go with the message: the model sees them, the
 * message row shows them, the tray empties; a file that is not what it
 * says is refused where it was added. Reopening the chat shows the
 * pictures again, read back from the store. */
static void
test_send_images (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(WrMockServer) mock = wr_mock_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) wide = png_bytes (120);
  g_autoptr(GBytes) narrow = png_bytes (30);
  g_autoptr(GBytes) fake = g_bytes_new_static ("<html>not a picture</html>", 26);
  g_autoptr(WrAttachment) first = wr_attachment_new ("wide.png", NULL, wide);
  g_autoptr(WrAttachment) second = wr_attachment_new ("narrow.png", NULL, narrow);
  g_autoptr(WrAttachment) bad = wr_attachment_new ("fake.png", "image/png", fake);
  g_autoptr(WrMessage) last = NULL;
  g_autoptr(WrChat) shown = NULL;
  g_autoptr(WrChat) other = NULL;
  WrAttachmentTray *tray = _wr_chat_view_get_attachment_tray (f->view);
  WrProvider *provider;

  provider = wr_provider_registry_add (wr_session_get_providers (f->session), "Mock", "openai",
                                       wr_mock_server_get_url (mock), NULL, NULL, &error);
  g_assert_no_error (error);
  wr_chat_set_model (f->chat, "mock-vision");
  wr_chat_set_provider_id (f->chat, wr_provider_get_id (provider));
  g_assert_true (wr_store_save_chat (wr_session_get_store (f->session), f->chat, NULL));
  g_clear_object (&other);
  other = wr_store_create_chat (wr_session_get_store (f->session), wr_project_get_id (f->project), "Other", &error);
  g_assert_no_error (error);
  /* The chat with the pictures is the newest. */
  g_usleep (2000);
  g_assert_true (wr_store_save_chat (wr_session_get_store (f->session), f->chat, NULL));

  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Images alone can be sent. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tray)));
  wr_attachment_tray_add (tray, first);
  wr_attachment_tray_add (tray, second);
  wr_attachment_tray_add (tray, bad);
  g_assert_true (wait_for (bad_image_shown, f, 2000));
  g_assert_cmpuint (wr_attachment_tray_get_n_items (tray), ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tray)));
  gui_test_screenshot (f->window, "chat-attachments-tray");

  gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.send", NULL);
  g_assert_true (wait_for (vision_reply_done, f, 20000));
  g_assert_cmpuint (wr_attachment_tray_get_n_items (tray), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tray)));

  last = last_message (f);
  g_assert_nonnull (strstr (wr_message_get_content (last), "images: 2"));
  g_assert_true (wait_for (user_pictures_shown, f, 5000));
  gui_test_screenshot (f->window, "chat-attachments-sent");

  /* Open another chat and come back: read back from the store. */
  shown = g_object_ref (_wr_chat_view_get_chat (f->view));
  for (guint i = 0; i < g_list_model_get_n_items (_wr_chat_view_get_chats (f->view)); i++)
    {
      g_autoptr(WrChat) chat = g_list_model_get_item (_wr_chat_view_get_chats (f->view), i);

      if (chat != shown)
        _wr_chat_view_open_chat (f->view, chat);
    }
  g_assert_true (_wr_chat_view_get_chat (f->view) != shown);
  while (_wr_chat_view_get_loading (f->view))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (user_pictures_shown (f));
  _wr_chat_view_open_chat (f->view, shown);
  while (_wr_chat_view_get_loading (f->view))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait_for (user_pictures_shown, f, 5000));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
  /* A provider, so the page shows chats rather than onboarding; nothing
   * listens there and no test sends. */
  g_setenv ("OPENAI_API_KEY", "sk-test-not-a-key", TRUE);
  g_setenv ("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/chat-view/open-big-chat", Fixture, NULL, fixture_setup, test_open_big_chat, fixture_teardown);
  g_test_add ("/chat-view/streaming-row", Fixture, NULL, fixture_setup, test_streaming_row, fixture_teardown);
  g_test_add ("/chat-view/stale-streaming-reply", Fixture, NULL, fixture_setup, test_stale_streaming_reply, fixture_teardown);
  g_test_add ("/chat-view/send-fails-inline", Fixture, NULL, fixture_setup, test_send_fails_inline, fixture_teardown);
  g_test_add ("/chat-view/route-note", Fixture, NULL, fixture_setup, test_route_note, fixture_teardown);
  g_test_add ("/chat-view/send-images", Fixture, NULL, fixture_setup, test_send_images, fixture_teardown);
  g_test_add ("/chat-view/send-refused-keeps-text", Fixture, NULL, fixture_setup, test_send_refused_keeps_text, fixture_teardown);

  return g_test_run ();
}
