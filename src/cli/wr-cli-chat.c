/* wr-cli-chat.c — workroom-cli chat send|list|show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "chat/wr-knowledge-context.h"
#include "store/wr-template.h"
#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli chat send --project ID [--chat ID] [--model M] [--provider P]\n"
  "                              [--template ID_OR_NAME] [--image FILE]... [--knowledge] TEXT\n"
  "       workroom-cli chat knowledge CHAT_ID on|off\n"
  "       workroom-cli chat list --project ID\n"
  "       workroom-cli chat show CHAT_ID\n";

typedef struct
{
  WrCli        *cli;
  WrMessage    *assistant;
  gsize         printed;
  gboolean      done;
  WrMessage    *result;
  GError       *error;
  GCancellable *cancellable;
} SendState;

static void
on_content_changed (WrMessage  *message,
                    GParamSpec *pspec,
                    SendState  *state)
{
  const char *content = wr_message_get_content (message);
  gsize len = wr_message_get_content_length (message);

  /* Retry resets the content; print only what is new. */
  if (len < state->printed)
    state->printed = 0;

  fwrite (content + state->printed, 1, len - state->printed, stdout);
  fflush (stdout);
  state->printed = len;
}

static void
on_message_added (WrChatService *service,
                  WrChat        *chat,
                  WrMessage     *message,
                  SendState     *state)
{
  if (g_strcmp0 (wr_message_get_role (message), "assistant") != 0)
    return;

  g_set_object (&state->assistant, message);
  if (!state->cli->json)
    g_signal_connect (message, "notify::content", G_CALLBACK (on_content_changed), state);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;

  state->result = wr_chat_service_send_finish (WR_CHAT_SERVICE (object), result, &state->error);
  state->done = TRUE;
}

static gboolean
on_sigint (gpointer user_data)
{
  SendState *state = user_data;

  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static char *
read_stdin_text (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;

  if (g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* "Sources:" and the sources the answer cited, "[1] deck.pptx, slide 3". */
static void
print_sources (WrMessage *assistant)
{
  g_autoptr(GPtrArray) citations = wr_citations_parse (wr_message_get_citations (assistant));
  gboolean any = FALSE;

  for (guint i = 0; i < citations->len; i++)
    {
      WrCitation *citation = g_ptr_array_index (citations, i);
      g_autofree char *place = NULL;

      if (!citation->cited)
        continue;
      if (!any)
        printf ("\n%s\n", _("Sources:"));
      any = TRUE;
      place = wr_citation_describe (citation, ", ");
      printf ("[%u] %s\n", citation->n, place);
    }
  fflush (stdout);
}

static int
chat_send (WrCli      *cli,
           const char *project_id,
           const char *chat_id,
           const char *model,
           const char *provider_name,
           const char *template_name,
           char      **image_paths,
           gboolean    knowledge,
           const char *text)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SendState state = { 0 };
  WrSession *session;
  WrStore *store;
  WrChatService *service;
  gulong handler;
  guint sigint_id;
  int status = 0;

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  store = wr_session_get_store (session);
  service = wr_session_get_chat_service (session);

  /* Before a chat is created, so a wrong file leaves nothing behind. */
  for (guint i = 0; image_paths != NULL && image_paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (image_paths[i]);
      WrAttachment *image = wr_attachment_load (file, NULL, &error);

      if (image == NULL)
        return wr_cli_fail_error (error);
      g_ptr_array_add (images, image);
    }

  /* Before a chat is created, so a wrong name leaves nothing behind. */
  if (template_name != NULL)
    {
      template_ = wr_store_get_template (store, template_name, &error);
      if (template_ == NULL)
        return wr_cli_fail_error (error);
    }

  if (chat_id != NULL)
    {
      chat = wr_store_get_chat (store, chat_id, &error);
      if (chat == NULL)
        return wr_cli_fail_error (error);
      if (project_id != NULL && g_strcmp0 (project_id, wr_chat_get_project_id (chat)) != 0)
        return wr_cli_fail (_("Chat %s does not belong to project %s."), chat_id, project_id);
    }
  else
    {
      project = wr_store_get_project (store, project_id, &error);
      if (project == NULL)
        return wr_cli_fail_error (error);

      chat = wr_store_create_chat (store, project_id, NULL, &error);
      if (chat == NULL)
        return wr_cli_fail_error (error);
      created = TRUE;
    }

  /* The chat keeps it: later turns, here or in the app, use it too. */
  if (template_ != NULL &&
      !wr_store_set_chat_template_id (store, wr_chat_get_id (chat), wr_template_get_id (template_), &error))
    return wr_cli_fail_error (error);

  if (provider_name != NULL)
    {
      WrProvider *provider = wr_provider_registry_lookup (wr_session_get_providers (session), provider_name);

      if (provider == NULL)
        return wr_cli_fail (_("No provider “%s”. See “workroom-cli provider list”."), provider_name);
      wr_chat_set_provider_id (chat, wr_provider_get_id (provider));
    }

  if (model != NULL)
    wr_chat_set_model (chat, model);

  /* Remembered by the chat (saved with the turn), like the model. */
  if (knowledge)
    wr_chat_set_use_knowledge (chat, TRUE);

  state.cli = cli;
  state.cancellable = cancellable;
  handler = g_signal_connect (service, "message-added", G_CALLBACK (on_message_added), &state);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &state);

  wr_chat_service_send_with_attachments_async (service, chat, text, images, cancellable, send_cb, &state);
  wr_cli_iterate_until (&state.done);

  g_source_remove (sigint_id);
  g_signal_handler_disconnect (service, handler);
  if (state.assistant != NULL)
    g_signal_handlers_disconnect_by_data (state.assistant, &state);

  /* Refused by the plan before anything was stored: say why on one line,
   * with its own exit status, and drop the chat made for it. */
  if (state.error != NULL && state.error->domain == WR_BILLING_ERROR)
    {
      if (created && state.assistant == NULL)
        wr_store_delete_chat (store, wr_chat_get_id (chat), NULL);
      wr_cli_fail_error (state.error);
      g_clear_error (&state.error);
      g_clear_object (&state.assistant);
      return WR_CLI_EXIT_REFUSED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "chat_id");
      json_builder_add_string_value (builder, wr_chat_get_id (chat));
      json_builder_set_member_name (builder, "message");
      if (state.assistant != NULL)
        json_builder_add_value (builder, wr_cli_message_json (state.assistant));
      else
        json_builder_add_null_value (builder);
      /* The sources offered, "cited": true on those the answer used. */
      json_builder_set_member_name (builder, "citations");
      if (state.assistant != NULL && wr_message_get_citations (state.assistant) != NULL)
        json_builder_add_value (builder, json_from_string (wr_message_get_citations (state.assistant), NULL));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
    }
  else
    {
      if (state.printed > 0 && wr_message_get_content (state.assistant)[state.printed - 1] != '\n')
        {
          printf ("\n");
          fflush (stdout);
        }
      if (state.assistant != NULL)
        print_sources (state.assistant);
    }

  if (state.error != NULL)
    {
      if (g_error_matches (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          wr_cli_fail (_("Interrupted. What was received is saved in chat %s."), wr_chat_get_id (chat));
          status = WR_CLI_EXIT_INTERRUPTED;
        }
      else if (state.assistant != NULL && wr_message_get_error (state.assistant) != NULL)
        status = wr_cli_fail ("%s", wr_message_get_error (state.assistant));
      else
        status = wr_cli_fail_error (state.error);
    }

  g_clear_error (&state.error);
  g_clear_object (&state.result);
  g_clear_object (&state.assistant);

  return status;
}

static int
chat_list (WrCli      *cli,
           const char *project_id)
{
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  project = wr_store_get_project (wr_session_get_store (session), project_id, &error);
  if (project == NULL)
    return wr_cli_fail_error (error);

  chats = wr_store_list_chats (wr_session_get_store (session), project_id, &error);
  if (chats == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < chats->len; i++)
        json_array_add_element (array, wr_cli_chat_json (g_ptr_array_index (chats, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < chats->len; i++)
    {
      WrChat *chat = g_ptr_array_index (chats, i);
      const char *title = wr_chat_get_title (chat);

      printf ("%s\t%s\n", wr_chat_get_id (chat), title != NULL ? title : _("Untitled"));
    }

  return 0;
}

static int
chat_show (WrCli      *cli,
           const char *chat_id)
{
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  chat = wr_store_get_chat (wr_session_get_store (session), chat_id, &error);
  if (chat == NULL)
    return wr_cli_fail_error (error);

  messages = wr_store_list_messages (wr_session_get_store (session), chat_id, &error);
  if (messages == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "chat");
      json_builder_add_value (builder, wr_cli_chat_json (chat));
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; i < messages->len; i++)
        json_builder_add_value (builder, wr_cli_message_json (g_ptr_array_index (messages, i)));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
      return 0;
    }

  for (guint i = 0; i < messages->len; i++)
    {
      WrMessage *message = g_ptr_array_index (messages, i);
      WrMessageStatus status = wr_message_get_status (message);

      printf ("%s%s%s:\n%s\n", wr_message_get_role (message),
              status != WR_MESSAGE_STATUS_COMPLETE ? " " : "",
              status != WR_MESSAGE_STATUS_COMPLETE ? wr_message_status_to_string (status) : "",
              wr_message_get_content (message));
      if (wr_message_get_error (message) != NULL)
        printf ("(%s)\n", wr_message_get_error (message));
      printf ("\n");
    }

  return 0;
}

static int
chat_knowledge (WrCli      *cli,
                const char *chat_id,
                const char *state)
{
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session;
  WrStore *store;
  gboolean on;

  if (g_str_equal (state, "on"))
    on = TRUE;
  else if (g_str_equal (state, "off"))
    on = FALSE;
  else
    {
      wr_cli_fail (_("Say “on” or “off” after the chat id."));
      return WR_CLI_EXIT_USAGE;
    }

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  store = wr_session_get_store (session);

  chat = wr_store_get_chat (store, chat_id, &error);
  if (chat == NULL)
    return wr_cli_fail_error (error);

  wr_chat_set_use_knowledge (chat, on);
  if (!wr_store_save_chat (store, chat, &error))
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "chat_id");
      json_builder_add_string_value (builder, wr_chat_get_id (chat));
      json_builder_set_member_name (builder, "use_knowledge");
      json_builder_add_boolean_value (builder, on);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
    }
  else if (on)
    printf (_("Chat %s now answers from its project’s documents and datasets.\n"), chat_id);
  else
    printf (_("Chat %s no longer uses its project’s documents and datasets.\n"), chat_id);

  return 0;
}

int
wr_cli_cmd_chat (WrCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *project_id = NULL;
  g_autofree char *chat_id = NULL;
  g_autofree char *model = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *template_name = NULL;
  g_auto(GStrv) image_paths = NULL;
  gboolean knowledge = FALSE;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { "chat", 'c', 0, G_OPTION_ARG_STRING, &chat_id, N_("Continue this chat"), "ID" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("Model to use (remembered by the chat)"), "MODEL" },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider, N_("Provider id or name"), "PROVIDER" },
    { "template", 't', 0, G_OPTION_ARG_STRING, &template_name,
      N_("Instruction template for the chat (remembered by the chat)"), "ID_OR_NAME" },
    { "image", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &image_paths,
      N_("Send this image with the message (PNG, JPEG, WebP or GIF; repeatable)"), "FILE" },
    { "knowledge", 'k', 0, G_OPTION_ARG_NONE, &knowledge,
      N_("Answer from the project’s documents and datasets and list the sources (remembered by the chat)"), NULL },
    { NULL }
  };
  const char *verb;

  if (!wr_cli_parse (cli, "send|list|show|knowledge ...", _("Talk to a model in a project."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (usage);

  verb = argv[1];
  if (g_str_equal (verb, "send"))
    {
      g_autofree char *text = NULL;

      if (project_id == NULL && chat_id == NULL)
        {
          wr_cli_fail (_("chat send needs --project ID (or --chat ID)."));
          return WR_CLI_EXIT_USAGE;
        }

      if (argc < 3 && image_paths != NULL)
        text = g_strdup ("");
      else if (argc < 3 || (argc == 3 && g_str_equal (argv[2], "-")))
        {
          g_autoptr(GError) error = NULL;

          text = read_stdin_text (&error);
          if (text == NULL)
            return wr_cli_fail_error (error);
        }
      else
        text = g_strjoinv (" ", argv + 2);

      if (!g_utf8_validate (text, -1, NULL))
        return wr_cli_fail (_("The message is not valid UTF-8 text."));

      return chat_send (cli, project_id, chat_id, model, provider, template_name, image_paths, knowledge, text);
    }

  if (g_str_equal (verb, "list") && argc == 2)
    {
      if (project_id == NULL)
        {
          wr_cli_fail (_("chat list needs --project ID."));
          return WR_CLI_EXIT_USAGE;
        }
      return chat_list (cli, project_id);
    }

  if (g_str_equal (verb, "show") && argc == 3)
    return chat_show (cli, argv[2]);

  if (g_str_equal (verb, "knowledge") && argc == 4)
    return chat_knowledge (cli, argv[2], argv[3]);

  return wr_cli_usage (usage);
}
