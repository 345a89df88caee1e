/* test-cli-knowledge.c — workroom-cli models embeddings|vision set,
 * knowledge reindex (progress on stderr, counts) and search through
 * retrieval: hybrid once indexed, so a synonym full-text misses is found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-test-util.h"

#include "docs/wr-document-import.h"
#include "store/wr-store.h"

static void
import_text (CliFixture *fixture,
             const char *project_id,
             const char *name,
             const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  g_autofree char *path = g_build_filename (fixture->data_dir, name, NULL);
  g_autoptr(WrStore) store = NULL;
  g_autofree char *id = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  store = wr_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (wr_document_import_file (store, project_id, path, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
}

static void
test_reindex_and_hybrid_search (CliFixture    *fixture,
                                gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Garage");
  g_autofree char *provider = cli_add_mock_provider (fixture, "Mock", NULL);

  import_text (fixture, project, "car.md", "The automobile needs new tyres before winter.");
  import_text (fixture, project, "rain.md", "Rain is expected over the harbor.");

  {
    /* Nothing configured: reindex says what to do. */
    g_auto(CliResult) r = cli_run (fixture, "knowledge", "reindex", "--project", project);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "models embeddings set MODEL"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "car");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");   /* full-text misses the synonym */
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "models", "embeddings", "set", "mock-embed", "--provider", "Mock");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Search model: mock-embed\n");
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "--json", "models", "embeddings");
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    g_assert_cmpint (r.status, ==, 0);
    node = cli_parse_json (r.out);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "mock-embed");
    g_assert_cmpstr (json_object_get_string_member (object, "provider_id"), ==, provider);
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "knowledge", "reindex", "--project", project);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "Indexing 2 of 2 passages…"));
    g_assert_cmpstr (r.out, ==, "Indexed: 2 passages embedded, 0 images described.\n");
  }
  {
    /* Resumable: nothing left the second time. */
    g_auto(CliResult) r = cli_run (fixture, "--json", "knowledge", "reindex", "--project", project);
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (r.status, ==, 0);
    node = cli_parse_json (r.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "embedded"), ==, 0);
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "car");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "car.md"));
    g_assert_nonnull (strstr (r.out, "The automobile needs new tyres"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "models", "embeddings", "set", "none");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Search model: none"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "models", "vision", "set", "mock-vision");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Image description model: mock-vision\n");
  }
  {
    /* Back to full-text. */
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "car");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "knowledge", "reindex");

    g_assert_cmpint (r.status, ==, 2);
  }
}

/* With a search model set, `import` indexes what it imported, as the app
 * does; an embeddings failure keeps the document and says how to retry. */
static void
test_import_indexes (CliFixture    *fixture,
                     gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Garage");
  g_autofree char *provider = cli_add_mock_provider (fixture, "Mock", NULL);
  g_autofree char *car = g_build_filename (fixture->data_dir, "car.md", NULL);
  g_autofree char *boat = g_build_filename (fixture->data_dir, "boat.md", NULL);

  g_assert_true (g_file_set_contents (car, "The automobile needs new tyres before winter.", -1, NULL));
  g_assert_true (g_file_set_contents (boat, "The vessel is moored in the harbor.", -1, NULL));
  {
    g_auto(CliResult) r = cli_run (fixture, "models", "embeddings", "set", "mock-embed", "--provider", "Mock");

    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "import", car, "--project", project);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "Indexing 1 of 1 passages…"));
  }
  {
    /* Found through its vector: full-text alone misses the synonym. */
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "car");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "car.md"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "models", "embeddings", "set", "mock-embed-500", "--provider", "Mock");

    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "import", boat, "--project", project);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "“boat.md” was imported, but it could not be indexed for search"));
    g_assert_nonnull (strstr (r.err, "knowledge reindex --project"));
  }
  {
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "harbor");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "boat.md"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/knowledge/reindex-hybrid-search", CliFixture, NULL,
              cli_fixture_setup, test_reindex_and_hybrid_search, cli_fixture_teardown);
  g_test_add ("/cli/knowledge/import-indexes", CliFixture, NULL,
              cli_fixture_setup, test_import_indexes, cli_fixture_teardown);

  return g_test_run ();
}
