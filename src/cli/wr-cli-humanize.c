/* wr-cli-humanize.c — workroom-cli humanize: rewrite a text in a tone,
 * list and manage tones, show the history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli humanize --tone TONE [--model M] [--project ID] TEXT|-\n"
  "       workroom-cli humanize tones\n"
  "       workroom-cli humanize tone add NAME INSTRUCTIONS\n"
  "       workroom-cli humanize tone delete NAME\n"
  "       workroom-cli humanize history [--project ID] [--limit N]\n";

/* JSON ------------------------------------------------------------------- */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
tone_json (WrHumanizeTone *tone)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "id", wr_humanize_tone_get_id (tone));
  add_string (builder, "name", wr_humanize_tone_get_name (tone));
  add_string (builder, "instructions", wr_humanize_tone_get_instructions (tone));
  json_builder_set_member_name (builder, "builtin");
  json_builder_add_boolean_value (builder, wr_humanize_tone_get_builtin (tone));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
rewrite_json (WrHumanizeRewrite *rewrite,
              const GError      *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = wr_format_time (wr_humanize_rewrite_get_created_at (rewrite));

  json_builder_begin_object (builder);
  add_string (builder, "id", wr_humanize_rewrite_get_id (rewrite));
  add_string (builder, "project_id", wr_humanize_rewrite_get_project_id (rewrite));
  add_string (builder, "tone", wr_humanize_rewrite_get_tone_id (rewrite));
  add_string (builder, "tone_name", wr_humanize_rewrite_get_tone_name (rewrite));
  add_string (builder, "model", wr_humanize_rewrite_get_model (rewrite));
  add_string (builder, "provider_id", wr_humanize_rewrite_get_provider_id (rewrite));
  add_string (builder, "input", wr_humanize_rewrite_get_input (rewrite));
  add_string (builder, "output", wr_humanize_rewrite_get_output (rewrite));
  add_string (builder, "status", wr_message_status_to_string (wr_humanize_rewrite_get_status (rewrite)));
  add_string (builder, "route_note", wr_humanize_rewrite_get_route_note (rewrite));
  add_string (builder, "error", error != NULL ? error->message : NULL);
  add_string (builder, "created_at", created);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Helpers ---------------------------------------------------------------- */

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

/* "professional, humorous, caring, bold, Pirate" (transfer full) */
static char *
dup_tone_names (WrHumanizer *humanizer)
{
  g_autoptr(GPtrArray) tones = wr_humanizer_list_tones (humanizer, NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; tones != NULL && i < tones->len; i++)
    {
      WrHumanizeTone *tone = g_ptr_array_index (tones, i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, wr_humanize_tone_get_builtin (tone) ? wr_humanize_tone_get_id (tone)
                                                                   : wr_humanize_tone_get_name (tone));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static int
fail_unknown_tone (WrHumanizer *humanizer,
                   const char  *tone)
{
  g_autofree char *names = dup_tone_names (humanizer);

  wr_cli_fail (_("Unknown tone “%s”. Tones: %s."), tone, names);
  return WR_CLI_EXIT_USAGE;
}

/* Exit status for a failed humanize call. */
static int
fail_humanize (WrHumanizer  *humanizer,
               const GError *error,
               const char   *tone)
{
  if (g_error_matches (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_UNKNOWN_TONE))
    return fail_unknown_tone (humanizer, tone);

  wr_cli_fail_error (error);

  if (error->domain == WR_BILLING_ERROR)
    return WR_CLI_EXIT_REFUSED;
  if (g_error_matches (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_EMPTY) ||
      g_error_matches (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_TOO_LONG) ||
      g_error_matches (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_INVALID))
    return WR_CLI_EXIT_USAGE;

  return WR_CLI_EXIT_FAILURE;
}

/* Rewrite ---------------------------------------------------------------- */

typedef struct
{
  WrCli             *cli;
  GCancellable      *cancellable;
  gsize              printed;
  gboolean           ends_with_newline;
  gboolean           done;
  WrHumanizeRewrite *rewrite;
  WrHumanizeRewrite *partial;
  GError            *error;
} RewriteState;

static void
on_delta (const char *text,
          gsize       len,
          gpointer    user_data)
{
  RewriteState *state = user_data;

  if (state->cli->json || len == 0)
    return;

  fwrite (text, 1, len, stdout);
  fflush (stdout);
  state->printed += len;
  state->ends_with_newline = text[len - 1] == '\n';
}

static void
rewrite_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RewriteState *state = user_data;

  state->rewrite = wr_humanizer_rewrite_finish (WR_HUMANIZER (object), result,
                                                &state->partial, &state->error);
  state->done = TRUE;
}

static gboolean
on_sigint (gpointer user_data)
{
  RewriteState *state = user_data;

  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
humanize_rewrite (WrCli      *cli,
                  const char *tone,
                  const char *model,
                  const char *project_id,
                  const char *text)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WrHumanizeTone) found = NULL;
  g_autoptr(GError) error = NULL;
  RewriteState state = { 0 };
  WrHumanizer *humanizer;
  WrSession *session;
  WrHumanizeRewrite *shown;
  guint sigint_id;
  int status = 0;

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  humanizer = wr_session_get_humanizer (session);

  /* Said before anything else, with the tones to choose from. */
  found = wr_humanizer_find_tone (humanizer, tone, &error);
  if (found == NULL)
    return fail_humanize (humanizer, error, tone);

  state.cli = cli;
  state.cancellable = cancellable;
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &state);

  wr_humanizer_rewrite_async (humanizer, project_id, text, wr_humanize_tone_get_id (found), model,
                              on_delta, &state, cancellable, rewrite_cb, &state);
  wr_cli_iterate_until (&state.done);
  g_source_remove (sigint_id);

  shown = state.rewrite != NULL ? state.rewrite : state.partial;

  if (cli->json && shown != NULL)
    {
      g_autoptr(JsonNode) node = rewrite_json (shown, state.error);
      wr_cli_print_json (node);
    }
  else if (state.printed > 0 && !state.ends_with_newline)
    {
      printf ("\n");
      fflush (stdout);
    }

  if (state.error != NULL)
    {
      if (g_error_matches (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (state.partial != NULL)
            wr_cli_fail (_("Interrupted. What arrived is kept in the humanize history."));
          else
            wr_cli_fail (_("Interrupted before the model answered."));
          status = WR_CLI_EXIT_INTERRUPTED;
        }
      else
        status = fail_humanize (humanizer, state.error, tone);
    }

  g_clear_error (&state.error);
  g_clear_object (&state.rewrite);
  g_clear_object (&state.partial);

  return status;
}

/* Tones ------------------------------------------------------------------ */

static int
humanize_tones (WrCli *cli)
{
  g_autoptr(GPtrArray) tones = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  tones = wr_humanizer_list_tones (wr_session_get_humanizer (session), &error);
  if (tones == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < tones->len; i++)
        json_array_add_element (array, tone_json (g_ptr_array_index (tones, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < tones->len; i++)
    {
      WrHumanizeTone *tone = g_ptr_array_index (tones, i);

      printf ("%s\t%s\t%s\n", wr_humanize_tone_get_id (tone), wr_humanize_tone_get_name (tone),
              wr_humanize_tone_get_builtin (tone) ? "built-in" : "custom");
    }

  return 0;
}

static int
humanize_tone_add (WrCli      *cli,
                   const char *name,
                   const char *instructions)
{
  g_autoptr(WrHumanizeTone) tone = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  tone = wr_humanizer_add_tone (wr_session_get_humanizer (session), name, instructions, &error);
  if (tone == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = tone_json (tone);
      wr_cli_print_json (node);
    }
  else
    printf ("%s\n", wr_humanize_tone_get_id (tone));

  return 0;
}

static int
humanize_tone_delete (WrCli      *cli,
                      const char *name)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);
  WrHumanizer *humanizer;

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  humanizer = wr_session_get_humanizer (session);
  if (!wr_humanizer_delete_tone (humanizer, name, &error))
    {
      if (g_error_matches (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_UNKNOWN_TONE))
        return fail_unknown_tone (humanizer, name);
      return wr_cli_fail_error (error);
    }

  return 0;
}

/* History ---------------------------------------------------------------- */

static int
humanize_history (WrCli      *cli,
                  const char *project_id,
                  int         limit)
{
  g_autoptr(GPtrArray) rewrites = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  rewrites = wr_humanizer_list_rewrites (wr_session_get_humanizer (session), project_id,
                                         (guint) MAX (limit, 0), &error);
  if (rewrites == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < rewrites->len; i++)
        json_array_add_element (array, rewrite_json (g_ptr_array_index (rewrites, i), NULL));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < rewrites->len; i++)
    {
      WrHumanizeRewrite *rewrite = g_ptr_array_index (rewrites, i);
      g_autofree char *when = wr_format_time (wr_humanize_rewrite_get_created_at (rewrite));
      g_autofree char *summary = wr_humanize_rewrite_dup_summary (rewrite, 60);

      printf ("%s\t%s\t%s\t%s\t%s\n", wr_humanize_rewrite_get_id (rewrite), when,
              wr_humanize_rewrite_get_tone_name (rewrite),
              wr_message_status_to_string (wr_humanize_rewrite_get_status (rewrite)), summary);
    }

  return 0;
}

/* Command ---------------------------------------------------------------- */

int
wr_cli_cmd_humanize (WrCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *tone = NULL;
  g_autofree char *model = NULL;
  g_autofree char *project_id = NULL;
  int limit = 0;
  GOptionEntry entries[] = {
    { "tone", 't', 0, G_OPTION_ARG_STRING, &tone, N_("Tone to write in (see “humanize tones”)"), "TONE" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("Model to use"), "MODEL" },
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project whose default model and history to use"), "ID" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("How many rewrites to list"), "N" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "--tone TONE TEXT|- | tones | tone add|delete ... | history",
                     _("Rewrite a text in a tone."), entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (tone != NULL)
    {
      g_autofree char *text = NULL;

      if (argc < 2 || (argc == 2 && g_str_equal (argv[1], "-")))
        {
          g_autoptr(GError) error = NULL;

          text = read_stdin_text (&error);
          if (text == NULL)
            return wr_cli_fail_error (error);
        }
      else
        text = g_strjoinv (" ", argv + 1);

      return humanize_rewrite (cli, tone, model, project_id, text);
    }

  if (argc == 2 && g_str_equal (argv[1], "tones"))
    return humanize_tones (cli);

  if (argc == 5 && g_str_equal (argv[1], "tone") && g_str_equal (argv[2], "add"))
    return humanize_tone_add (cli, argv[3], argv[4]);

  if (argc == 4 && g_str_equal (argv[1], "tone") && g_str_equal (argv[2], "delete"))
    return humanize_tone_delete (cli, argv[3]);

  if (argc == 2 && g_str_equal (argv[1], "history"))
    return humanize_history (cli, project_id, limit);

  if (argc >= 2 && !g_str_equal (argv[1], "tone"))
    {
      wr_cli_fail (_("humanize needs --tone TONE. Run “workroom-cli humanize tones” for the list."));
      return WR_CLI_EXIT_USAGE;
    }

  return wr_cli_usage (usage);
}
