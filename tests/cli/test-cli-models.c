/* test-cli-models.c — workroom-cli models end to end: the real binary, a
 * real SQLite file, the real keyring and the standalone mock server. Every
 * provider's models with availability, prices and capabilities; a provider
 * that went away keeps its models (from the cache of an earlier run) as
 * unavailable instead of failing; prices and capabilities per pattern.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-test-util.h"

/* A closed port on this machine. */
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

static JsonArray *
models_json (CliFixture  *fixture,
             JsonNode **out_node,
             char     **out_err)
{
  g_auto(CliResult) result = cli_run (fixture, "models", "--json");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (result.status, ==, 0);
  *out_node = json_from_string (result.out, &error);
  g_assert_no_error (error);
  if (out_err != NULL)
    *out_err = g_strdup (result.err);
  return json_node_get_array (*out_node);
}

static JsonObject *
find_model (JsonArray  *array,
            const char *model,
            const char *provider_id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "id"), model) &&
          (provider_id == NULL || g_str_equal (json_object_get_string_member (object, "provider_id"), provider_id)))
        return object;
    }
  return NULL;
}

static char *
capabilities_of (JsonObject *object)
{
  JsonArray *array = json_object_get_array_member (object, "capabilities");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "", json_array_get_string_element (array, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_list (CliFixture    *fixture,
           gconstpointer  data)
{
  g_autofree char *down_url = closed_url ();
  g_autofree char *mock_id = cli_add_provider (fixture, "Mock", fixture->mock_url, "mock-echo", NULL);
  g_autofree char *down_id = cli_add_provider (fixture, "Down", down_url, "gpt-4o-mini", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *err = NULL;
  JsonArray *array = models_json (fixture, &node, &err);
  JsonObject *echo, *missing;

  /* Not an error: the reachable provider's models, the other's default
   * model as unavailable, and what to do on stderr. */
  echo = find_model (array, "mock-echo", mock_id);
  g_assert_nonnull (echo);
  g_assert_true (json_object_get_boolean_member (echo, "available"));
  g_assert_cmpstr (json_object_get_string_member (echo, "provider"), ==, "Mock");
  g_assert_true (json_object_get_boolean_member (echo, "local"));
  g_assert_cmpint (json_object_get_int_member (echo, "input_micros_per_mtok"), ==, 0);
  {
    g_autofree char *caps = capabilities_of (echo);
    g_assert_cmpstr (caps, ==, "chat");
  }

  missing = find_model (array, "gpt-4o-mini", down_id);
  g_assert_nonnull (missing);
  g_assert_false (json_object_get_boolean_member (missing, "available"));
  g_assert_cmpstr (json_object_get_string_member (missing, "reason"), ==, "Not reachable");
  {
    g_autofree char *caps = capabilities_of (missing);
    g_assert_cmpstr (caps, ==, "chat,vision");
  }
  g_assert_nonnull (strstr (err, "Down: "));
  g_assert_null (strstr (err, "Mock: "));

  /* The table: a header and one line per model, the reason in place. */
  {
    g_auto(CliResult) text = cli_run (fixture, "models");
    g_auto(GStrv) lines = g_strsplit (g_strchomp (text.out), "\n", -1);

    g_assert_cmpint (text.status, ==, 0);
    g_assert_true (g_str_has_prefix (lines[0], "MODEL"));
    g_assert_nonnull (strstr (lines[0], "CAPABILITIES"));
    g_assert_cmpuint (g_strv_length (lines), ==, json_array_get_length (array) + 1);
    g_assert_nonnull (strstr (text.out, "no: Not reachable"));
  }

  /* --provider keeps one provider's models. */
  {
    g_auto(CliResult) one = cli_run (fixture, "models", "--provider", "Mock", "--json");
    g_autoptr(JsonNode) one_node = json_from_string (one.out, NULL);

    g_assert_cmpint (one.status, ==, 0);
    g_assert_cmpstr (one.err, ==, "");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (one_node)), ==,
                      json_array_get_length (array) - 1);
  }
}

/* A second run, after the server went away, still lists what the first
 * run saw, as unavailable. */
static void
test_cache_across_runs (CliFixture    *fixture,
                        gconstpointer  data)
{
  g_autofree char *mock_id = cli_add_provider (fixture, "Mock", fixture->mock_url, "mock-echo", NULL);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  JsonArray *before = models_json (fixture, &first, NULL);
  JsonArray *after;
  JsonObject *echo;

  g_assert_true (json_object_get_boolean_member (find_model (before, "mock-markdown", mock_id), "available"));
  cli_stop_mock (fixture);

  after = models_json (fixture, &second, NULL);
  g_assert_cmpuint (json_array_get_length (after), ==, json_array_get_length (before));
  echo = find_model (after, "mock-markdown", mock_id);
  g_assert_nonnull (echo);
  g_assert_false (json_object_get_boolean_member (echo, "available"));
  g_assert_cmpstr (json_object_get_string_member (echo, "reason"), ==, "Not reachable");
  g_assert_true (json_object_has_member (echo, "listed_at"));
  g_assert_false (json_object_get_null_member (echo, "listed_at"));
}

static void
test_price_and_capabilities (CliFixture    *fixture,
                             gconstpointer  data)
{
  g_autofree char *mock_id = cli_add_provider (fixture, "Mock", fixture->mock_url, "mock-echo", NULL);

  {
    g_auto(CliResult) set = cli_run (fixture, "models", "price", "Cloud-X*", "1.5", "3");
    g_assert_cmpint (set.status, ==, 0);
    g_assert_cmpstr (set.out, ==, "cloud-x*: 1.50 in, 3.00 out per 1M tokens\n");
  }
  {
    g_auto(CliResult) bad = cli_run (fixture, "models", "price", "cloud-x*", "cheap", "3");
    g_assert_cmpint (bad.status, ==, 2);
    g_assert_true (g_str_has_prefix (bad.err, "workroom-cli: "));
  }
  {
    /* Capabilities keep the price. */
    g_auto(CliResult) caps = cli_run (fixture, "models", "capabilities", "cloud-x*", "vision, chat", "--json");
    g_autoptr(JsonNode) node = json_from_string (caps.out, NULL);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpint (caps.status, ==, 0);
    g_assert_cmpint (json_object_get_int_member (object, "input_micros_per_mtok"), ==, 1500000);
    g_assert_cmpstr (json_object_get_string_member (object, "capabilities"), ==, "chat,vision");
  }
  {
    g_auto(CliResult) reset = cli_run (fixture, "models", "price", "cloud-x*", "--reset");
    g_assert_cmpint (reset.status, ==, 0);
    g_assert_cmpstr (reset.out, ==, "cloud-x*: 2.50 in, 10.00 out per 1M tokens; capabilities: chat,vision\n");
  }

  /* The listing shows the user's capabilities, marked. */
  {
    g_auto(CliResult) caps = cli_run (fixture, "models", "capabilities", "mock-echo", "chat,vision");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *echo;

    g_assert_cmpint (caps.status, ==, 0);
    echo = find_model (models_json (fixture, &node, NULL), "mock-echo", mock_id);
    g_assert_true (json_object_get_boolean_member (echo, "capabilities_custom"));
    {
      g_autofree char *text = capabilities_of (echo);
      g_assert_cmpstr (text, ==, "chat,vision");
    }
  }
  {
    g_auto(CliResult) text = cli_run (fixture, "models");
    g_assert_nonnull (strstr (text.out, "chat,vision (set)"));
  }
  {
    g_auto(CliResult) reset = cli_run (fixture, "models", "capabilities", "mock-echo", "--reset");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *echo;

    g_assert_cmpint (reset.status, ==, 0);
    echo = find_model (models_json (fixture, &node, NULL), "mock-echo", mock_id);
    g_assert_false (json_object_get_boolean_member (echo, "capabilities_custom"));
  }
  {
    g_auto(CliResult) bad = cli_run (fixture, "models", "capabilities", "mock-echo", "telepathy");
    g_assert_cmpint (bad.status, ==, 1);
    g_assert_nonnull (strstr (bad.err, "telepathy"));
  }
  {
    g_auto(CliResult) usage = cli_run (fixture, "models", "capabilities", "mock-echo");
    g_assert_cmpint (usage.status, ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/models/list", CliFixture, NULL, cli_fixture_setup, test_list, cli_fixture_teardown);
  g_test_add ("/cli/models/cache-across-runs", CliFixture, NULL, cli_fixture_setup, test_cache_across_runs, cli_fixture_teardown);
  g_test_add ("/cli/models/price-and-capabilities", CliFixture, NULL, cli_fixture_setup, test_price_and_capabilities, cli_fixture_teardown);

  return g_test_run ();
}
