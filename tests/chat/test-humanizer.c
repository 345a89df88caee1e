/* test-humanizer.c — the humanize feature against the mock OpenAI server and
 * a real SQLite file: built-in and user tones, rewrites that stream and are
 * stored with the model that answered, the system prompt, partial rewrites,
 * refusals before any call, the bounded history and the plan gate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "chat-test-util.h"

typedef struct
{
  char         *data_dir;
  WrMockServer *mock;
  WrSession    *session;
  WrHumanizer  *humanizer;
  WrProject    *project;
  WrProvider   *provider;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  chat_test_clear_environment ();

  fixture->mock = wr_mock_server_new ();
  wr_mock_server_set_chunk_delay (fixture->mock, 1);
  fixture->session = chat_test_session_new ("wr-humanize-XXXXXX", &fixture->data_dir);
  fixture->humanizer = g_object_ref (wr_session_get_humanizer (fixture->session));
  g_assert_true (wr_session_get_humanizer (fixture->session) == fixture->humanizer);

  fixture->provider = chat_test_add_mock_provider (fixture->session, fixture->mock);
  fixture->project = chat_test_create_project (fixture->session, "Letters");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->provider);
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->humanizer);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->mock);
  chat_test_remove_data_dir (g_steal_pointer (&fixture->data_dir));
}

/* Rewrite helper --------------------------------------------------------- */

typedef struct
{
  gboolean           done;
  GString           *streamed;
  guint              deltas;
  GCancellable      *cancel_on_delta;   /* nullable */
  WrHumanizeRewrite *rewrite;
  WrHumanizeRewrite *partial;
  GError            *error;
} Rewrite;

static void
rewrite_clear (Rewrite *rewrite)
{
  g_string_free (rewrite->streamed, TRUE);
  g_clear_object (&rewrite->rewrite);
  g_clear_object (&rewrite->partial);
  g_clear_error (&rewrite->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Rewrite, rewrite_clear)

static void
on_delta (const char *text,
          gsize       len,
          gpointer    user_data)
{
  Rewrite *rewrite = user_data;

  g_string_append_len (rewrite->streamed, text, len);
  rewrite->deltas++;
  if (rewrite->cancel_on_delta != NULL)
    g_cancellable_cancel (rewrite->cancel_on_delta);
}

static void
rewrite_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Rewrite *rewrite = user_data;

  rewrite->rewrite = wr_humanizer_rewrite_finish (WR_HUMANIZER (object), result,
                                                  &rewrite->partial, &rewrite->error);
  rewrite->done = TRUE;
}

static Rewrite
run_rewrite (Fixture      *fixture,
             const char   *project_id,
             const char   *text,
             const char   *tone,
             const char   *model,
             GCancellable *cancel_on_delta)
{
  Rewrite rewrite = { FALSE, g_string_new (NULL), 0, cancel_on_delta };

  wr_humanizer_rewrite_async (fixture->humanizer, project_id, text, tone, model,
                              on_delta, &rewrite, cancel_on_delta, rewrite_cb, &rewrite);
  chat_test_iterate_until (&rewrite.done, 30);

  return rewrite;
}

/* The system message of the last request the mock received. */
static char *
last_system_prompt (Fixture *fixture)
{
  g_autoptr(JsonNode) body = json_from_string (wr_mock_server_get_last_body (fixture->mock), NULL);
  JsonArray *messages;
  JsonObject *first;

  g_assert_nonnull (body);
  messages = json_object_get_array_member (json_node_get_object (body), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  first = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "role"),
                   ==, "user");

  return g_strdup (json_object_get_string_member (first, "content"));
}

/* Tones ------------------------------------------------------------------ */

static void
test_builtin_tones (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *ids[] = { "professional", "humorous", "caring", "bold" };
  static const char *names[] = { "Professional", "Humorous", "Caring", "Bold" };
  g_autoptr(GPtrArray) tones = NULL;
  g_autoptr(WrHumanizeTone) bold = NULL;
  g_autoptr(WrHumanizeTone) caring = NULL;
  g_autoptr(GError) error = NULL;

  tones = wr_humanizer_list_tones (fixture->humanizer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tones->len, ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      WrHumanizeTone *tone = g_ptr_array_index (tones, i);
      g_autofree char *prompt = wr_humanizer_build_system_prompt (tone);

      g_assert_cmpstr (wr_humanize_tone_get_id (tone), ==, ids[i]);
      g_assert_cmpstr (wr_humanize_tone_get_name (tone), ==, names[i]);
      g_assert_true (wr_humanize_tone_get_builtin (tone));
      g_assert_cmpuint (strlen (wr_humanize_tone_get_instructions (tone)), >, 60);
      g_assert_nonnull (strstr (prompt, wr_humanize_tone_get_instructions (tone)));
      g_assert_nonnull (strstr (prompt, "Return only the rewritten text"));
      g_assert_nonnull (strstr (prompt, "same language"));
      g_assert_nonnull (strstr (prompt, "formatting"));
    }

  /* By name too, whatever the case. */
  bold = wr_humanizer_find_tone (fixture->humanizer, "BOLD", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_humanize_tone_get_id (bold), ==, "bold");
  caring = wr_humanizer_find_tone (fixture->humanizer, "Caring", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_humanize_tone_get_id (caring), ==, "caring");

  g_assert_null (wr_humanizer_find_tone (fixture->humanizer, "sarcastic", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_UNKNOWN_TONE);
  g_clear_error (&error);

  /* Built-ins are not the user's to change. */
  g_assert_false (wr_humanizer_delete_tone (fixture->humanizer, "bold", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_BUILTIN_TONE);
  g_clear_error (&error);
  g_assert_false (wr_humanizer_delete_tone (fixture->humanizer, "Professional", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_BUILTIN_TONE);
  g_clear_error (&error);
  g_assert_null (wr_humanizer_update_tone (fixture->humanizer, "humorous", "Funny", NULL, &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_BUILTIN_TONE);
}

static void
test_user_tones (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(WrHumanizeTone) pirate = NULL;
  g_autoptr(WrHumanizeTone) found = NULL;
  g_autoptr(WrHumanizeTone) renamed = NULL;
  g_autoptr(WrHumanizeTone) again = NULL;
  g_autoptr(WrHumanizeTone) zoe = NULL;
  g_autoptr(GPtrArray) tones = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (WR_HUMANIZER_MAX_TONE_NAME_CHARS + 1, 'x');

  pirate = wr_humanizer_add_tone (fixture->humanizer, "  Pirate ", "Talk like a pirate, arr.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (wr_humanize_tone_get_id (pirate)), ==, 32);
  g_assert_cmpstr (wr_humanize_tone_get_name (pirate), ==, "Pirate");
  g_assert_false (wr_humanize_tone_get_builtin (pirate));
  g_assert_cmpint (wr_humanize_tone_get_created_at (pirate), >, 0);

  /* Names clash case-insensitively, with user tones and built-ins. */
  g_assert_null (wr_humanizer_add_tone (fixture->humanizer, "PIRATE", "Other", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NAME_TAKEN);
  g_clear_error (&error);
  g_assert_null (wr_humanizer_add_tone (fixture->humanizer, "professional", "Other", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NAME_TAKEN);
  g_clear_error (&error);
  zoe = wr_humanizer_add_tone (fixture->humanizer, "Zoë", "Like Zoë.", &error);
  g_assert_no_error (error);
  g_assert_null (wr_humanizer_add_tone (fixture->humanizer, "ZOË", "Other", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NAME_TAKEN);
  g_clear_error (&error);

  /* Unusable names and instructions. */
  g_assert_null (wr_humanizer_add_tone (fixture->humanizer, "  ", "Something", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (wr_humanizer_add_tone (fixture->humanizer, "Quiet", " \n", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (wr_humanizer_add_tone (fixture->humanizer, long_name, "Something", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* Listed after the built-ins, by name. */
  tones = wr_humanizer_list_tones (fixture->humanizer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tones->len, ==, 6);
  g_assert_cmpstr (wr_humanize_tone_get_name (g_ptr_array_index (tones, 4)), ==, "Pirate");
  g_assert_cmpstr (wr_humanize_tone_get_name (g_ptr_array_index (tones, 5)), ==, "Zoë");
  g_clear_pointer (&tones, g_ptr_array_unref);

  found = wr_humanizer_find_tone (fixture->humanizer, "pirate", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_humanize_tone_get_id (found), ==, wr_humanize_tone_get_id (pirate));
  g_assert_cmpstr (wr_humanize_tone_get_instructions (found), ==, "Talk like a pirate, arr.");

  /* Rename and edit; a rename onto another tone's name is refused. */
  g_assert_null (wr_humanizer_update_tone (fixture->humanizer, wr_humanize_tone_get_id (pirate),
                                           "zoë", NULL, &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NAME_TAKEN);
  g_clear_error (&error);
  renamed = wr_humanizer_update_tone (fixture->humanizer, wr_humanize_tone_get_id (pirate),
                                      "Sea Dog", "Salty and cheerful.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_humanize_tone_get_name (renamed), ==, "Sea Dog");
  g_assert_cmpstr (wr_humanize_tone_get_instructions (renamed), ==, "Salty and cheerful.");
  g_assert_null (wr_humanizer_find_tone (fixture->humanizer, "Pirate", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_UNKNOWN_TONE);
  g_clear_error (&error);

  /* Delete by name; the name is free again. */
  g_assert_true (wr_humanizer_delete_tone (fixture->humanizer, "sea dog", &error));
  g_assert_no_error (error);
  g_assert_false (wr_humanizer_delete_tone (fixture->humanizer, "sea dog", &error));
  g_assert_error (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_UNKNOWN_TONE);
  g_clear_error (&error);
  again = wr_humanizer_add_tone (fixture->humanizer, "Sea Dog", "Back again.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_humanize_tone_get_id (again), !=, wr_humanize_tone_get_id (pirate));

  tones = wr_humanizer_list_tones (fixture->humanizer, &error);
  g_assert_cmpuint (tones->len, ==, 6);
}

typedef struct
{
  gboolean        done;
  GPtrArray      *array;
  WrHumanizeTone *tone;
  gboolean        ok;
  GError         *error;
} AsyncWait;

static void
list_tones_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->array = wr_humanizer_list_tones_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
add_tone_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->tone = wr_humanizer_add_tone_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
update_tone_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->tone = wr_humanizer_update_tone_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
delete_tone_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->ok = wr_humanizer_delete_tone_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
list_rewrites_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->array = wr_humanizer_list_rewrites_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
delete_rewrite_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->ok = wr_humanizer_delete_rewrite_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
clear_rewrites_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;
  wait->ok = wr_humanizer_clear_rewrites_finish (WR_HUMANIZER (object), result, &wait->error);
  wait->done = TRUE;
}

static void
async_wait_clear (AsyncWait *wait)
{
  g_clear_pointer (&wait->array, g_ptr_array_unref);
  g_clear_object (&wait->tone);
  g_clear_error (&wait->error);
  wait->done = FALSE;
  wait->ok = FALSE;
}

static void
test_tones_async (Fixture       *fixture,
                  gconstpointer  data)
{
  AsyncWait wait = { 0 };
  g_autofree char *id = NULL;

  wr_humanizer_add_tone_async (fixture->humanizer, "Gentle", "Soft and slow.", NULL, add_tone_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  id = g_strdup (wr_humanize_tone_get_id (wait.tone));
  async_wait_clear (&wait);

  wr_humanizer_add_tone_async (fixture->humanizer, "gentle", "Again.", NULL, add_tone_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_error (wait.error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NAME_TAKEN);
  g_assert_null (wait.tone);
  async_wait_clear (&wait);

  wr_humanizer_update_tone_async (fixture->humanizer, id, NULL, "Soft, slow and kind.", NULL,
                                  update_tone_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  g_assert_cmpstr (wr_humanize_tone_get_name (wait.tone), ==, "Gentle");
  g_assert_cmpstr (wr_humanize_tone_get_instructions (wait.tone), ==, "Soft, slow and kind.");
  async_wait_clear (&wait);

  wr_humanizer_list_tones_async (fixture->humanizer, NULL, list_tones_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.array->len, ==, 5);
  g_assert_cmpstr (wr_humanize_tone_get_id (g_ptr_array_index (wait.array, 4)), ==, id);
  async_wait_clear (&wait);

  wr_humanizer_delete_tone_async (fixture->humanizer, id, NULL, delete_tone_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  async_wait_clear (&wait);

  wr_humanizer_list_tones_async (fixture->humanizer, NULL, list_tones_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_cmpuint (wait.array->len, ==, 4);
  async_wait_clear (&wait);
}

/* Rewriting -------------------------------------------------------------- */

static void
test_rewrite_streams_and_stores (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *project_id = wr_project_get_id (fixture->project);
  const char *text = "hey can u send me the report by friday thx";
  g_autoptr(WrHumanizeTone) caring = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strconcat (WR_MOCK_ECHO_PREFIX, text, NULL);
  g_autofree char *prompt = NULL;
  WrHumanizeRewrite *stored;

  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, text, "caring", "mock-echo", NULL);

    g_assert_no_error (rewrite.error);
    g_assert_nonnull (rewrite.rewrite);
    g_assert_null (rewrite.partial);
    /* Streamed in pieces, and the pieces are the rewrite. */
    g_assert_cmpuint (rewrite.deltas, >, 1);
    g_assert_cmpstr (rewrite.streamed->str, ==, expected);
    g_assert_cmpstr (wr_humanize_rewrite_get_output (rewrite.rewrite), ==, expected);
    g_assert_cmpstr (wr_humanize_rewrite_get_input (rewrite.rewrite), ==, text);
    g_assert_cmpstr (wr_humanize_rewrite_get_tone_id (rewrite.rewrite), ==, "caring");
    g_assert_cmpstr (wr_humanize_rewrite_get_tone_name (rewrite.rewrite), ==, "Caring");
    g_assert_cmpstr (wr_humanize_rewrite_get_project_id (rewrite.rewrite), ==, project_id);
    g_assert_cmpstr (wr_humanize_rewrite_get_model (rewrite.rewrite), ==, "mock-echo");
    g_assert_cmpstr (wr_humanize_rewrite_get_provider_id (rewrite.rewrite), ==,
                     wr_provider_get_id (fixture->provider));
    g_assert_cmpint (wr_humanize_rewrite_get_status (rewrite.rewrite), ==, WR_MESSAGE_STATUS_COMPLETE);
    g_assert_cmpint (wr_humanize_rewrite_get_created_at (rewrite.rewrite), >, 0);

    /* The tone's instructions went to the model as the system prompt, the
     * text as the one user message. */
    caring = wr_humanizer_find_tone (fixture->humanizer, "caring", &error);
    prompt = last_system_prompt (fixture);
    g_assert_nonnull (strstr (prompt, wr_humanize_tone_get_instructions (caring)));
    g_assert_nonnull (strstr (prompt, "Return only the rewritten text"));

    history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (history->len, ==, 1);
    stored = g_ptr_array_index (history, 0);
    g_assert_cmpstr (wr_humanize_rewrite_get_id (stored), ==, wr_humanize_rewrite_get_id (rewrite.rewrite));
    g_assert_cmpstr (wr_humanize_rewrite_get_output (stored), ==, expected);
    g_assert_cmpstr (wr_humanize_rewrite_get_input (stored), ==, text);
    g_assert_cmpstr (wr_humanize_rewrite_get_model (stored), ==, "mock-echo");
    g_assert_cmpstr (wr_humanize_rewrite_get_provider_id (stored), ==, wr_provider_get_id (fixture->provider));
    g_assert_cmpstr (wr_humanize_rewrite_get_tone_name (stored), ==, "Caring");
    g_assert_cmpint (wr_humanize_rewrite_get_status (stored), ==, WR_MESSAGE_STATUS_COMPLETE);
  }

  /* No model given: the project's default answers and is recorded. */
  g_assert_true (wr_store_set_project_default_model (wr_session_get_store (fixture->session), project_id,
                                                     "mock-nousage", &error));
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "second one", "bold", NULL, NULL);

    g_assert_no_error (rewrite.error);
    g_assert_cmpstr (wr_humanize_rewrite_get_model (rewrite.rewrite), ==, "mock-nousage");
    g_assert_cmpstr (wr_humanize_rewrite_get_output (rewrite.rewrite), ==, "Echo: second one");
  }

  /* A user tone's instructions reach the model too; the history keeps its
   * name after the tone is deleted. */
  {
    g_autoptr(WrHumanizeTone) pirate = wr_humanizer_add_tone (fixture->humanizer, "Pirate",
                                                              "Talk like a pirate, arr.", &error);
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "hello", "pirate", "mock-echo", NULL);
    g_autofree char *pirate_prompt = last_system_prompt (fixture);
    g_autoptr(GPtrArray) after = NULL;

    g_assert_no_error (rewrite.error);
    g_assert_nonnull (strstr (pirate_prompt, "Talk like a pirate, arr."));
    g_assert_cmpstr (wr_humanize_rewrite_get_tone_id (rewrite.rewrite), ==, wr_humanize_tone_get_id (pirate));

    g_assert_true (wr_humanizer_delete_tone (fixture->humanizer, "Pirate", &error));
    after = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, &error);
    g_assert_cmpuint (after->len, ==, 3);
    g_assert_cmpstr (wr_humanize_rewrite_get_tone_name (g_ptr_array_index (after, 0)), ==, "Pirate");
    g_assert_cmpstr (wr_humanize_rewrite_get_input (g_ptr_array_index (after, 2)), ==, text);
  }
}

static void
test_rewrite_partial (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *project_id = wr_project_get_id (fixture->project);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;

  /* The stream breaks: what arrived is kept, marked partial, and the
   * error is returned. */
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "please rewrite", "professional",
                                           "mock-drop", NULL);

    g_assert_nonnull (rewrite.error);
    g_assert_null (rewrite.rewrite);
    g_assert_nonnull (rewrite.partial);
    g_assert_cmpint (wr_humanize_rewrite_get_status (rewrite.partial), ==, WR_MESSAGE_STATUS_PARTIAL);
    g_assert_cmpstr (wr_humanize_rewrite_get_output (rewrite.partial), ==, rewrite.streamed->str);
    g_assert_true (g_str_has_prefix (WR_MOCK_DROP_TEXT, rewrite.streamed->str));
    g_assert_cmpuint (rewrite.streamed->len, >, 0);
  }

  /* Stop after the first piece: cancelled, and the piece is kept. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "a long one", "bold", "mock-long", cancellable);

    g_assert_error (rewrite.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_nonnull (rewrite.partial);
    g_assert_cmpint (wr_humanize_rewrite_get_status (rewrite.partial), ==, WR_MESSAGE_STATUS_PARTIAL);
    g_assert_cmpuint (strlen (wr_humanize_rewrite_get_output (rewrite.partial)), >, 0);
  }

  /* A failure before any text: nothing is stored. */
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "hello", "bold", "mock-401", NULL);

    g_assert_nonnull (rewrite.error);
    g_assert_null (rewrite.partial);
    g_assert_null (rewrite.rewrite);
  }

  history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (wr_humanize_rewrite_get_status (g_ptr_array_index (history, 0)), ==, WR_MESSAGE_STATUS_PARTIAL);
  g_assert_cmpstr (wr_humanize_rewrite_get_input (g_ptr_array_index (history, 0)), ==, "a long one");
  g_assert_cmpint (wr_humanize_rewrite_get_status (g_ptr_array_index (history, 1)), ==, WR_MESSAGE_STATUS_PARTIAL);
}

static void
test_refused_before_call (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *project_id = wr_project_get_id (fixture->project);
  g_autofree char *too_long = g_strnfill (WR_HUMANIZER_MAX_TEXT_SIZE + 1, 'a');
  g_autofree char *just_fits = g_strnfill (WR_HUMANIZER_MAX_TEXT_SIZE, 'a');
  g_autoptr(GPtrArray) history = NULL;

  wr_mock_server_reset_counters (fixture->mock);

  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "", "bold", "mock-echo", NULL);
    g_assert_error (rewrite.error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_EMPTY);
  }
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, " \n\t ", "bold", "mock-echo", NULL);
    g_assert_error (rewrite.error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_EMPTY);
  }
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, too_long, "bold", "mock-echo", NULL);
    g_assert_error (rewrite.error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_TOO_LONG);
  }
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "hi", "sarcastic", "mock-echo", NULL);
    g_assert_error (rewrite.error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_UNKNOWN_TONE);
  }
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, "no-such-project", "hi", "bold", "mock-echo", NULL);
    g_assert_error (rewrite.error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  }
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Rewrite rewrite = { FALSE, g_string_new (NULL) };

    g_cancellable_cancel (cancellable);
    wr_humanizer_rewrite_async (fixture->humanizer, project_id, "hi", "bold", "mock-echo",
                                on_delta, &rewrite, cancellable, rewrite_cb, &rewrite);
    chat_test_iterate_until (&rewrite.done, 30);
    g_assert_error (rewrite.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (rewrite.partial);
    rewrite_clear (&rewrite);
  }

  /* None of those reached the model or the history. */
  g_assert_cmpuint (wr_mock_server_get_chat_count (fixture->mock), ==, 0);
  history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, NULL);
  g_assert_cmpuint (history->len, ==, 0);

  /* The bound itself is allowed. */
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, just_fits, "bold", "mock-echo", NULL);
    g_assert_no_error (rewrite.error);
    g_assert_cmpuint (strlen (wr_humanize_rewrite_get_output (rewrite.rewrite)),
                      ==, strlen (WR_MOCK_ECHO_PREFIX) + WR_HUMANIZER_MAX_TEXT_SIZE);
  }
}

/* History ---------------------------------------------------------------- */

static void
test_history_pruned (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *project_id = wr_project_get_id (fixture->project);
  g_autoptr(WrProject) other = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { 0 };
  guint n = WR_HUMANIZER_HISTORY_SIZE + 5;
  g_autofree char *deleted_id = NULL;

  other = wr_store_create_project (wr_session_get_store (fixture->session), "Other", &error);
  g_assert_no_error (error);

  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, wr_project_get_id (other), "other project", "bold", "mock-echo", NULL);
    g_assert_no_error (rewrite.error);
  }
  {
    g_auto(Rewrite) rewrite = run_rewrite (fixture, NULL, "no project", "bold", "mock-echo", NULL);
    g_assert_no_error (rewrite.error);
  }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("text %u", i);
      g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, text, "professional", "mock-echo", NULL);

      g_assert_no_error (rewrite.error);
    }

  /* The newest 20, newest first; the five oldest are gone. */
  history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, WR_HUMANIZER_HISTORY_SIZE);
  for (guint i = 0; i < history->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("text %u", n - 1 - i);
      g_assert_cmpstr (wr_humanize_rewrite_get_input (g_ptr_array_index (history, i)), ==, text);
    }
  g_clear_pointer (&history, g_ptr_array_unref);

  history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 3, &error);
  g_assert_cmpuint (history->len, ==, 3);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Other projects and the project-less history are their own. */
  history = wr_humanizer_list_rewrites (fixture->humanizer, wr_project_get_id (other), 0, &error);
  g_assert_cmpuint (history->len, ==, 1);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = wr_humanizer_list_rewrites (fixture->humanizer, NULL, 0, &error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (wr_humanize_rewrite_get_input (g_ptr_array_index (history, 0)), ==, "no project");
  g_assert_null (wr_humanize_rewrite_get_project_id (g_ptr_array_index (history, 0)));
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Delete one, then clear, through the async calls. */
  wr_humanizer_list_rewrites_async (fixture->humanizer, project_id, 1, NULL, list_rewrites_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  deleted_id = g_strdup (wr_humanize_rewrite_get_id (g_ptr_array_index (wait.array, 0)));
  async_wait_clear (&wait);

  wr_humanizer_delete_rewrite_async (fixture->humanizer, deleted_id, NULL, delete_rewrite_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  async_wait_clear (&wait);

  wr_humanizer_delete_rewrite_async (fixture->humanizer, deleted_id, NULL, delete_rewrite_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_error (wait.error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NOT_FOUND);
  async_wait_clear (&wait);

  history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, &error);
  g_assert_cmpuint (history->len, ==, WR_HUMANIZER_HISTORY_SIZE - 1);
  g_assert_cmpstr (wr_humanize_rewrite_get_id (g_ptr_array_index (history, 0)), !=, deleted_id);
  g_clear_pointer (&history, g_ptr_array_unref);

  wr_humanizer_clear_rewrites_async (fixture->humanizer, project_id, NULL, clear_rewrites_cb, &wait);
  chat_test_iterate_until (&wait.done, 30);
  g_assert_no_error (wait.error);
  async_wait_clear (&wait);

  history = wr_humanizer_list_rewrites (fixture->humanizer, project_id, 0, &error);
  g_assert_cmpuint (history->len, ==, 0);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = wr_humanizer_list_rewrites (fixture->humanizer, wr_project_get_id (other), 0, &error);
  g_assert_cmpuint (history->len, ==, 1);
}

/* Plan gate -------------------------------------------------------------- */

static void
test_plan_gate_and_usage (Fixture       *fixture,
                          gconstpointer  data)
{
  WrBilling *billing = wr_session_get_billing (fixture->session);
  const char *project_id = wr_project_get_id (fixture->project);
  WrPlan * const *plans = wr_plan_list_presets ();
  g_autoptr(GPtrArray) usage = NULL;
  g_autoptr(GError) error = NULL;
  guint n_plans = 0;

  /* The session meters humanize through the chat service's billing. */
  g_assert_nonnull (billing);
  g_assert_true (wr_chat_service_get_billing (wr_session_get_chat_service (fixture->session)) == billing);

  /* Every plan includes humanize; the library checks it before calling. */
  for (guint i = 0; plans[i] != NULL; i++)
    {
      g_assert_true (wr_billing_set_plan (billing, wr_plan_get_name (plans[i]), &error));
      g_assert_no_error (error);
      g_assert_true (wr_billing_check_feature (billing, NULL, "humanize", &error));

      {
        g_auto(Rewrite) rewrite = run_rewrite (fixture, project_id, "gate check", "bold", "mock-echo", NULL);
        g_assert_no_error (rewrite.error);
      }
      n_plans++;
    }

  /* Each call left a usage row for the project, from the model that
   * answered. */
  usage = wr_billing_list_usage (billing, 1, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_plans, >=, 3);
  g_assert_cmpuint (usage->len, ==, n_plans);
  for (guint i = 0; i < usage->len; i++)
    {
      WrUsageRecord *record = g_ptr_array_index (usage, i);

      g_assert_cmpstr (record->model, ==, "mock-echo");
      g_assert_cmpstr (record->provider_id, ==, wr_provider_get_id (fixture->provider));
      g_assert_cmpint (record->output_tokens, >, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/humanizer/tones/builtin", Fixture, NULL, fixture_setup, test_builtin_tones, fixture_teardown);
  g_test_add ("/humanizer/tones/user", Fixture, NULL, fixture_setup, test_user_tones, fixture_teardown);
  g_test_add ("/humanizer/tones/async", Fixture, NULL, fixture_setup, test_tones_async, fixture_teardown);
  g_test_add ("/humanizer/rewrite/streams-and-stores", Fixture, NULL, fixture_setup, test_rewrite_streams_and_stores, fixture_teardown);
  g_test_add ("/humanizer/rewrite/partial", Fixture, NULL, fixture_setup, test_rewrite_partial, fixture_teardown);
  g_test_add ("/humanizer/rewrite/refused-before-call", Fixture, NULL, fixture_setup, test_refused_before_call, fixture_teardown);
  g_test_add ("/humanizer/history/pruned", Fixture, NULL, fixture_setup, test_history_pruned, fixture_teardown);
  g_test_add ("/humanizer/plan-gate-and-usage", Fixture, NULL, fixture_setup, test_plan_gate_and_usage, fixture_teardown);

  return g_test_run ();
}
