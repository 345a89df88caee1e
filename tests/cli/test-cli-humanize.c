/* test-cli-humanize.c — workroom-cli humanize end to end: the real binary, a
 * real SQLite file, the real keyring (run under tests/with-keyring.sh) and
 * the standalone mock server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>

#include "cli-test-util.h"

static void
test_rewrite (CliFixture    *fixture,
              gconstpointer  data)
{
  g_autofree char *project = NULL;

  g_free (cli_add_mock_provider (fixture, "Mock", NULL));
  project = cli_create_project (fixture, "Letters");

  {
    /* Streams the rewrite to stdout; nothing else. */
    g_auto(CliResult) result = cli_run (fixture, "humanize", "--tone", "professional", "hello", "world");
    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Echo: hello world\n");
  }
  {
    g_auto(CliResult) result = cli_run_full (fixture, NULL, "from standard input\n", "humanize", "--tone", "Caring", "-", NULL);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Echo: from standard input\n");
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "-t", "bold", "--model", "mock-nousage",
                                        "--project", project, "--json", "make it bold");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    g_assert_cmpint (result.status, ==, 0);
    node = cli_parse_json (result.out);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "output"), ==, "Echo: make it bold");
    g_assert_cmpstr (json_object_get_string_member (object, "input"), ==, "make it bold");
    g_assert_cmpstr (json_object_get_string_member (object, "tone"), ==, "bold");
    g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "mock-nousage");
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "complete");
    g_assert_cmpstr (json_object_get_string_member (object, "project_id"), ==, project);
    g_assert_nonnull (json_object_get_string_member (object, "provider_id"));
  }
  {
    /* Each history is its own: the project's, and the one without. */
    g_auto(CliResult) in_project = cli_run (fixture, "humanize", "history", "--project", project, "--json");
    g_auto(CliResult) without = cli_run (fixture, "humanize", "history", "--json");
    g_autoptr(JsonNode) a = cli_parse_json (in_project.out);
    g_autoptr(JsonNode) b = cli_parse_json (without.out);
    JsonArray *list = json_node_get_array (b);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (a)), ==, 1);
    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "input"),
                     ==, "from standard input\n");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "tone_name"),
                     ==, "Caring");
  }
}

static void
test_tones (CliFixture    *fixture,
            gconstpointer  data)
{
  g_autofree char *id = NULL;

  g_free (cli_add_mock_provider (fixture, "Mock", NULL));

  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "tones");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==,
                     "professional\tProfessional\tbuilt-in\n"
                     "humorous\tHumorous\tbuilt-in\n"
                     "caring\tCaring\tbuilt-in\n"
                     "bold\tBold\tbuilt-in\n");
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "tone", "add", "Pirate", "Talk like a pirate.");
    g_assert_cmpint (result.status, ==, 0);
    id = g_strdup (g_strchomp (result.out));
    g_assert_cmpuint (strlen (id), ==, 32);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "tone", "add", "PIRATE", "Again.");
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "already"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "tones", "--json");
    g_autoptr(JsonNode) node = cli_parse_json (result.out);
    JsonArray *tones = json_node_get_array (node);
    JsonObject *pirate;

    g_assert_cmpuint (json_array_get_length (tones), ==, 5);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (tones, 0), "builtin"));
    pirate = json_array_get_object_element (tones, 4);
    g_assert_cmpstr (json_object_get_string_member (pirate, "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (pirate, "name"), ==, "Pirate");
    g_assert_cmpstr (json_object_get_string_member (pirate, "instructions"), ==, "Talk like a pirate.");
    g_assert_false (json_object_get_boolean_member (pirate, "builtin"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "--tone", "pirate", "ahoy");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpstr (result.out, ==, "Echo: ahoy\n");
  }
  {
    g_auto(CliResult) builtin = cli_run (fixture, "humanize", "tone", "delete", "bold");
    g_assert_cmpint (builtin.status, ==, 1);
    g_assert_nonnull (strstr (builtin.err, "Built-in"));
  }
  {
    g_auto(CliResult) deleted = cli_run (fixture, "humanize", "tone", "delete", "Pirate");
    g_auto(CliResult) again = cli_run (fixture, "humanize", "tone", "delete", "Pirate");
    g_assert_cmpint (deleted.status, ==, 0);
    g_assert_cmpint (again.status, ==, 2);
    g_assert_nonnull (strstr (again.err, "professional, humorous, caring, bold"));
  }
}

static void
test_errors (CliFixture    *fixture,
             gconstpointer  data)
{
  g_free (cli_add_mock_provider (fixture, "Mock", NULL));

  {
    /* An unknown tone: usage error, with the tones to choose from. */
    g_auto(CliResult) result = cli_run (fixture, "humanize", "--tone", "sarcastic", "hello");
    g_assert_cmpint (result.status, ==, 2);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "sarcastic"));
    g_assert_nonnull (strstr (result.err, "professional, humorous, caring, bold"));
  }
  {
    g_auto(CliResult) result = cli_run_full (fixture, NULL, "  \n", "humanize", "--tone", "bold", "-", NULL);
    g_assert_cmpint (result.status, ==, 2);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "text"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "hello");
    g_assert_cmpint (result.status, ==, 2);
    g_assert_nonnull (strstr (result.err, "--tone"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "--tone", "bold", "--project", "nope", "hello");
    g_assert_cmpint (result.status, ==, 1);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "humanize", "--tone", "bold", "--model", "mock-401", "hello");
    g_assert_cmpint (result.status, ==, 1);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "key"));
  }
  {
    /* A dropped stream: the partial rewrite is printed, kept and marked. */
    g_auto(CliResult) result = cli_run (fixture, "humanize", "--tone", "bold", "--model", "mock-drop",
                                        "--json", "hello");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    g_assert_cmpint (result.status, ==, 1);
    node = cli_parse_json (result.out);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "partial");
    g_assert_cmpuint (strlen (json_object_get_string_member (object, "output")), >, 0);
    g_assert_nonnull (json_object_get_string_member (object, "error"));
  }
  {
    g_auto(CliResult) history = cli_run (fixture, "humanize", "history");
    g_assert_cmpint (history.status, ==, 0);
    g_assert_nonnull (strstr (history.out, "\tpartial\t"));
    g_assert_null (strstr (history.out, "\tcomplete\t"));
  }
}

/* Ctrl-C while streaming: what arrived is printed and kept as partial. */
static void
test_interrupt (CliFixture    *fixture,
                gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char buf[64];
  gssize n;

  g_free (cli_add_mock_provider (fixture, "Mock", NULL));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              cli_path (), "--data-dir", fixture->data_dir, "humanize",
                              "--tone", "humorous", "--model", "mock-long", "a long story", NULL);
  g_assert_no_error (error);

  n = g_input_stream_read (g_subprocess_get_stdout_pipe (process), buf, sizeof buf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);

  {
    g_auto(CliResult) history = cli_run (fixture, "humanize", "history", "--json");
    g_autoptr(JsonNode) node = cli_parse_json (history.out);
    JsonArray *list = json_node_get_array (node);
    JsonObject *kept;

    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    kept = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (kept, "status"), ==, "partial");
    g_assert_cmpstr (json_object_get_string_member (kept, "tone"), ==, "humorous");
    g_assert_cmpuint (strlen (json_object_get_string_member (kept, "output")), >=, (gsize) n);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/humanize/rewrite", CliFixture, NULL, cli_fixture_setup, test_rewrite, cli_fixture_teardown);
  g_test_add ("/cli/humanize/tones", CliFixture, NULL, cli_fixture_setup, test_tones, cli_fixture_teardown);
  g_test_add ("/cli/humanize/errors", CliFixture, NULL, cli_fixture_setup, test_errors, cli_fixture_teardown);
  g_test_add ("/cli/humanize/interrupt", CliFixture, NULL, cli_fixture_setup, test_interrupt, cli_fixture_teardown);

  return g_test_run ();
}
