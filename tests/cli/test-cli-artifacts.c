/* test-cli-artifacts.c — workroom-cli artifact list|show|export|rename|
 * delete|add and the table artifacts "import" reports, through the real
 * binary on a temporary data directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli-test-util.h"

static char *
write_file (CliFixture *fixture,
            const char *name,
            const void *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->data_dir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static JsonArray *
list_artifacts (CliFixture  *fixture,
                const char  *project,
                const char  *kind,
                JsonNode   **out_node)
{
  g_auto(CliResult) result = kind != NULL
    ? cli_run (fixture, "artifact", "list", "--project", project, "--kind", kind, "--json")
    : cli_run (fixture, "artifact", "list", "--project", project, "--json");

  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  *out_node = cli_parse_json (result.out);
  return json_node_get_array (*out_node);
}

static char *
add_artifact (CliFixture *fixture,
              const char *project,
              const char *kind,
              const char *name,
              const char *path)
{
  g_auto(CliResult) result = name != NULL
    ? cli_run (fixture, "artifact", "add", "--project", project, "--kind", kind, "--name", name, path)
    : cli_run (fixture, "artifact", "add", "--project", project, "--kind", kind, path);

  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  g_strchomp (result.out);
  g_assert_cmpuint (strlen (result.out), ==, 32);
  return g_strdup (result.out);
}

static void
test_add_list_show (CliFixture    *fixture,
                    gconstpointer  data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0xff };
  g_autofree char *project = cli_create_project (fixture, "Reports");
  g_autofree char *md = write_file (fixture, "notes.md", "# Notes\n\nFirst *point*.\n", -1);
  g_autofree char *img = write_file (fixture, "logo.png", png, sizeof png);
  g_autofree char *report = add_artifact (fixture, project, "report", "Meeting notes", md);
  g_autofree char *image = add_artifact (fixture, project, "image", NULL, img);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *list;
  JsonObject *object;

  /* Newest first, with the documented fields. */
  list = list_artifacts (fixture, project, NULL, &node);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  object = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, image);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "logo.png");
  g_assert_cmpstr (json_object_get_string_member (object, "mime_type"), ==, "image/png");
  g_assert_cmpstr (json_object_get_string_member (object, "file_name"), ==, "logo.png");
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, sizeof png);
  g_assert_cmpstr (json_object_get_string_member (object, "project_id"), ==, project);
  g_assert_true (json_object_has_member (object, "created_at"));
  g_assert_true (json_object_has_member (object, "chat_id"));
  object = json_array_get_object_element (list, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, report);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Meeting notes");
  g_assert_cmpstr (json_object_get_string_member (object, "mime_type"), ==, "text/markdown");
  g_clear_pointer (&node, json_node_unref);

  /* --kind filters. */
  list = list_artifacts (fixture, project, "report", &node);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* Plain text: one line per artifact, id first. */
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "list", "--project", project);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (result.status, ==, 0);
    lines = g_strsplit (g_strchomp (result.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_true (g_str_has_prefix (lines[0], image));
    g_assert_nonnull (strstr (lines[1], "\treport\tMeeting notes\t"));
  }

  /* show: a text kind prints its content; an image its metadata. */
  {
    g_auto(CliResult) text = cli_run (fixture, "artifact", "show", report);
    g_auto(CliResult) json = cli_run (fixture, "artifact", "show", report, "--json");
    g_auto(CliResult) meta = cli_run (fixture, "artifact", "show", image);
    g_autoptr(JsonNode) shown = NULL;

    g_assert_cmpint (text.status, ==, 0);
    g_assert_cmpstr (text.out, ==, "# Notes\n\nFirst *point*.\n");
    g_assert_cmpint (json.status, ==, 0);
    shown = cli_parse_json (json.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "content"), ==,
                     "# Notes\n\nFirst *point*.\n");
    g_assert_cmpint (meta.status, ==, 0);
    g_assert_nonnull (strstr (meta.out, "image/png"));
    g_assert_nonnull (strstr (meta.out, "logo.png"));
  }
}

static void
test_export_rename_delete (CliFixture    *fixture,
                           gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Work");
  g_autofree char *src = write_file (fixture, "flow.mmd", "graph TD\n  A --> B\n", -1);
  g_autofree char *id = add_artifact (fixture, project, "mermaid", "Flow", src);
  g_autofree char *out = g_build_filename (fixture->data_dir, "exported.mmd", NULL);
  g_autofree char *bad = g_build_filename (fixture->data_dir, "exported.png", NULL);
  g_autofree char *contents = NULL;

  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "export", id, "--out", out);

    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "graph TD\n  A --> B\n");
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "export", id, "--out", bad);

    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, ".mmd"));
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "export", id);   /* no --out */
    g_assert_cmpint (result.status, ==, 2);
  }

  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "rename", id, "Main flow", "--json");
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (result.status, ==, 0);
    node = cli_parse_json (result.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==, "Main flow");
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "rename", id, "   ");
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "name"));
  }

  {
    g_auto(CliResult) deleted = cli_run (fixture, "artifact", "delete", id);
    g_auto(CliResult) again = cli_run (fixture, "artifact", "delete", id);
    g_auto(CliResult) show = cli_run (fixture, "artifact", "show", id);
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpint (deleted.status, ==, 0);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_cmpint (show.status, ==, 1);
    g_assert_nonnull (strstr (show.err, "no longer exists"));
    g_assert_cmpuint (json_array_get_length (list_artifacts (fixture, project, NULL, &node)), ==, 0);
  }
}

static void
test_import_table (CliFixture    *fixture,
                   gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Sales");
  g_autofree char *csv = write_file (fixture, "sales.csv", "region,amount\nNorth,\"1,5\"\n\"South\nEast\",7\n", -1);
  g_autofree char *out = g_build_filename (fixture->data_dir, "sales-out.csv", NULL);
  g_autofree char *artifact = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* import --json names the table artifact of each dataset. */
  {
    g_auto(CliResult) result = cli_run (fixture, "import", csv, "--project", project, "--json");
    JsonObject *object;
    JsonObject *ds;
    JsonArray *artifacts;

    g_assert_cmpstr (result.err, ==, "");
    g_assert_cmpint (result.status, ==, 0);
    node = cli_parse_json (result.out);
    object = json_node_get_object (node);
    ds = json_array_get_object_element (json_object_get_array_member (object, "datasets"), 0);
    dataset = g_strdup (json_object_get_string_member (ds, "id"));
    artifact = g_strdup (json_object_get_string_member (ds, "artifact_id"));
    g_assert_nonnull (artifact);
    artifacts = json_object_get_array_member (object, "artifacts");
    g_assert_cmpuint (json_array_get_length (artifacts), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (artifacts, 0), "id"), ==, artifact);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (artifacts, 0), "kind"), ==, "table");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (artifacts, 0), "dataset_id"), ==, dataset);
    g_clear_pointer (&node, json_node_unref);
  }

  /* Text mode: ids on stdout as before, the artifact named on stderr. */
  {
    g_autofree char *again = write_file (fixture, "more.csv", "a\n1\n", -1);
    g_auto(CliResult) result = cli_run (fixture, "import", again, "--project", project);

    g_assert_cmpint (result.status, ==, 0);
    g_assert_cmpuint (strlen (g_strchomp (result.out)), ==, 32);
    g_assert_nonnull (strstr (result.err, "table artifact"));
  }

  /* show prints the first rows like dataset show. */
  {
    g_auto(CliResult) text = cli_run (fixture, "artifact", "show", artifact);
    g_auto(CliResult) json = cli_run (fixture, "artifact", "show", artifact, "--json", "--rows", "1");
    JsonArray *rows;

    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "2 rows"));
    g_assert_nonnull (strstr (text.out, "region\tamount\n"));
    g_assert_nonnull (strstr (text.out, "North\t1,5\n"));
    g_assert_nonnull (strstr (text.out, "South\\nEast\t7\n"));

    g_assert_cmpint (json.status, ==, 0);
    node = cli_parse_json (json.out);
    rows = json_object_get_array_member (json_node_get_object (node), "rows");
    g_assert_cmpuint (json_array_get_length (rows), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), 0), ==, "North");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (node), "dataset"), "id"),
                     ==, dataset);
    g_clear_pointer (&node, json_node_unref);
  }

  /* export writes the CSV back, quotes and line breaks intact. */
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "export", artifact, "--out", out);

    g_assert_cmpint (result.status, ==, 0);
    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "region,amount\r\nNorth,\"1,5\"\r\n\"South\nEast\",7\r\n");
  }

  /* Deleting the dataset removes its table artifact. */
  {
    g_auto(CliResult) deleted = cli_run (fixture, "dataset", "delete", dataset);
    g_assert_cmpint (deleted.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (list_artifacts (fixture, project, "table", &node)), ==, 1);   /* more.csv's */
  }
}

static void
test_errors_and_usage (CliFixture    *fixture,
                       gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Errors");
  g_autofree char *text = write_file (fixture, "fake.png", "not really a png", -1);
  g_autofree char *bad_utf8 = write_file (fixture, "latin1.md", "caf\xe9\n", -1);
  g_autoptr(JsonNode) node = NULL;

  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "add", "--project", project, "--kind", "image", text);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "PNG, JPEG, WebP or GIF"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "add", "--project", project, "--kind", "report", bad_utf8);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "UTF-8"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "add", "--project", project, "--kind", "poster", text);
    g_assert_cmpint (result.status, ==, 2);
  }
  {
    g_autofree char *missing = g_build_filename (fixture->data_dir, "missing.md", NULL);
    g_auto(CliResult) result = cli_run (fixture, "artifact", "add", "--project", project, "--kind", "report", missing);
    g_assert_cmpint (result.status, ==, 1);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "add", "--project", "nope", "--kind", "file", text);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "project"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "list", "--project", project, "--kind", "bogus");
    g_assert_cmpint (result.status, ==, 2);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "list");
    g_assert_cmpint (result.status, ==, 2);
    g_assert_nonnull (strstr (result.err, "Usage: workroom-cli artifact"));
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "frobnicate");
    g_assert_cmpint (result.status, ==, 2);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "artifact", "show", "00000000000000000000000000000000");
    g_assert_cmpint (result.status, ==, 1);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "--help");
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, "artifact list --project ID"));
  }

  /* Nothing was added by the failures. */
  g_assert_cmpuint (json_array_get_length (list_artifacts (fixture, project, NULL, &node)), ==, 0);
}

static void
setup (CliFixture    *fixture,
       gconstpointer  data)
{
  cli_fixture_setup (fixture, data);
  cli_stop_mock (fixture);   /* no model calls here */
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/artifact/add-list-show", CliFixture, NULL, setup, test_add_list_show, cli_fixture_teardown);
  g_test_add ("/cli/artifact/export-rename-delete", CliFixture, NULL, setup, test_export_rename_delete,
              cli_fixture_teardown);
  g_test_add ("/cli/artifact/import-table", CliFixture, NULL, setup, test_import_table, cli_fixture_teardown);
  g_test_add ("/cli/artifact/errors-and-usage", CliFixture, NULL, setup, test_errors_and_usage,
              cli_fixture_teardown);

  return g_test_run ();
}
