/* test-cli-search.c — workroom-cli search and document list|delete, end to
 * end on a data directory whose documents were imported through the
 * library (the import command is tested with it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-test-util.h"

#include "docs/wr-document-import.h"
#include "store/wr-store.h"

/* Imports @name with @contents into @project_id of the fixture's data
 * directory; returns the document id (transfer full). */
static char *
import_text (CliFixture *fixture,
             const char *project_id,
             const char *name,
             const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->data_dir, "workroom.db", NULL);
  g_autofree char *path = g_build_filename (fixture->data_dir, name, NULL);
  g_autoptr(WrStore) store = NULL;
  char *id = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  store = wr_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (wr_document_import_file (store, project_id, path, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);

  return id;
}

static void
test_search (CliFixture    *fixture,
             gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Knowledge");
  g_autofree char *other = cli_create_project (fixture, "Elsewhere");
  g_autofree char *doc = import_text (fixture, project, "plan.md",
                                      "# Launch plan\nThe rocket & its payload <fairing> launch in May.\n"
                                      "# Budget\nFuel costs dominate.\n");
  g_autofree char *other_doc = import_text (fixture, other, "elsewhere.txt", "A rocket elsewhere.\n");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  JsonObject *hit;

  {
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "rocket");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    /* Name, place and title, then the snippet; no terminal escapes in a pipe. */
    g_assert_nonnull (strstr (r.out, "plan.md — heading 1: Launch plan"));
    g_assert_nonnull (strstr (r.out, "The rocket & its payload <fairing> launch in May."));
    g_assert_null (strstr (r.out, "\033["));
    g_assert_null (strstr (r.out, "elsewhere.txt"));
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "--json", "search", "--project", project, "--limit", "5", "fuel");

    g_assert_cmpint (r.status, ==, 0);
    node = cli_parse_json (r.out);
    array = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    hit = json_array_get_object_element (array, 0);
    g_assert_cmpstr (json_object_get_string_member (hit, "document_id"), ==, doc);
    g_assert_cmpstr (json_object_get_string_member (hit, "document_name"), ==, "plan.md");
    g_assert_cmpstr (json_object_get_string_member (hit, "kind"), ==, "markdown");
    g_assert_cmpstr (json_object_get_string_member (hit, "locator_kind"), ==, "heading");
    g_assert_cmpint (json_object_get_int_member (hit, "locator"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (hit, "title"), ==, "Budget");
    g_assert_cmpstr (json_object_get_string_member (hit, "snippet"), ==, "Fuel costs dominate.");
    g_assert_cmpstr (json_object_get_string_member (hit, "snippet_marked"), ==, "[Fuel] costs dominate.");
  }

  /* Queries that are FTS5 syntax are searched as words, never errors. */
  {
    const char *hostile[] = { "\"rocket", "NEAR(rocket", "text:rocket", "*", "rock*", "\"\"" };

    for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
      {
        g_auto(CliResult) r = cli_run (fixture, "--json", "search", "--project", project, "--", hostile[i]);

        g_assert_cmpint (r.status, ==, 0);
        g_assert_cmpstr (r.err, ==, "");
      }
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", project, "zeppelin");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_nonnull (strstr (r.err, "No matches"));
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "search", "rocket");

    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--project"));
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "search", "--project", "0123456789abcdef0123456789abcdef", "rocket");

    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_cmpstr (r.err, !=, "");
  }

  (void) other_doc;
}

static void
test_documents (CliFixture    *fixture,
                gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Docs");
  g_autofree char *doc = import_text (fixture, project, "notes.txt", "Meeting notes about the harbour.\n");
  g_autoptr(JsonNode) node = NULL;
  JsonObject *info;

  {
    g_auto(CliResult) r = cli_run (fixture, "--json", "document", "list", "--project", project);

    g_assert_cmpint (r.status, ==, 0);
    node = cli_parse_json (r.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
    info = json_array_get_object_element (json_node_get_array (node), 0);
    g_assert_cmpstr (json_object_get_string_member (info, "id"), ==, doc);
    g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "notes.txt");
    g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "ready");
    g_assert_cmpint (json_object_get_int_member (info, "chunks"), ==, 1);
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "document", "list", "--project", project);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, doc));
    g_assert_nonnull (strstr (r.out, "notes.txt"));
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "document", "delete", doc);

    g_assert_cmpint (r.status, ==, 0);
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "--json", "search", "--project", project, "harbour");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (g_strstrip (r.out), ==, "[]");
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "document", "delete", doc);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "no longer exists"));
  }

  {
    g_auto(CliResult) r = cli_run (fixture, "--help");

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "search --project ID"));
    g_assert_nonnull (strstr (r.out, "document list --project ID"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/search/search", CliFixture, NULL, cli_fixture_setup, test_search, cli_fixture_teardown);
  g_test_add ("/cli/search/documents", CliFixture, NULL, cli_fixture_setup, test_documents, cli_fixture_teardown);

  return g_test_run ();
}
