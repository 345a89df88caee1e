/* test-cli-datasets.c — workroom-cli import (CSV, XLSX) and dataset
 * list|show|delete, bad usage and bad files, and Ctrl-C during a large
 * import (exit 130, no dataset left ready). The real binary and a real
 * SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <stdio.h>

#include "cli-test-util.h"

static char *
write_file (CliFixture *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->data_dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonArray *
list_datasets (CliFixture  *fixture,
               const char  *project,
               JsonNode   **out_node)
{
  g_auto(CliResult) listed = cli_run (fixture, "dataset", "list", "--project", project, "--json");

  g_assert_cmpstr (listed.err, ==, "");
  g_assert_cmpint (listed.status, ==, 0);
  *out_node = cli_parse_json (listed.out);
  return json_node_get_array (*out_node);
}

static void
test_import_csv (CliFixture    *fixture,
                 gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Sales");
  g_autofree char *path = write_file (fixture, "sales.csv",
                                      "region;amount;day\nNorth;12.5;2024-01-02\n\"South\nEast\";7;2024-01-03\n");
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *datasets;
  JsonObject *dataset;

  {
    g_auto(CliResult) imported = cli_run (fixture, "import", path, "--project", project, "--json");
    JsonObject *object;

    g_assert_cmpstr (imported.err, ==, "");
    g_assert_cmpint (imported.status, ==, 0);
    node = cli_parse_json (imported.out);
    object = json_node_get_object (node);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "documents")), ==, 0);
    datasets = json_object_get_array_member (object, "datasets");
    g_assert_cmpuint (json_array_get_length (datasets), ==, 1);
    dataset = json_array_get_object_element (datasets, 0);
    g_assert_cmpstr (json_object_get_string_member (dataset, "status"), ==, "ready");
    g_assert_cmpint (json_object_get_int_member (dataset, "row_count"), ==, 2);
    id = g_strdup (json_object_get_string_member (dataset, "id"));
    g_clear_pointer (&node, json_node_unref);
  }

  datasets = list_datasets (fixture, project, &node);
  g_assert_cmpuint (json_array_get_length (datasets), ==, 1);
  dataset = json_array_get_object_element (datasets, 0);
  g_assert_cmpstr (json_object_get_string_member (dataset, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (dataset, "name"), ==, "sales.csv");
  g_clear_pointer (&node, json_node_unref);

  {
    g_auto(CliResult) shown = cli_run (fixture, "dataset", "show", id, "--rows", "1", "--json");
    JsonArray *columns;
    JsonArray *rows;

    g_assert_cmpint (shown.status, ==, 0);
    node = cli_parse_json (shown.out);
    dataset = json_node_get_object (node);
    columns = json_object_get_array_member (dataset, "columns");
    g_assert_cmpuint (json_array_get_length (columns), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, 1), "type"), ==, "number");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, 2), "type"), ==, "date");
    rows = json_object_get_array_member (dataset, "rows");
    g_assert_cmpuint (json_array_get_length (rows), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), 0), ==, "North");
    g_clear_pointer (&node, json_node_unref);
  }

  {
    g_auto(CliResult) shown = cli_run (fixture, "dataset", "show", id);

    g_assert_cmpint (shown.status, ==, 0);
    g_assert_nonnull (strstr (shown.out, "amount: number"));
    g_assert_nonnull (strstr (shown.out, "South\\nEast\t7\t2024-01-03"));
  }

  {
    g_auto(CliResult) deleted = cli_run (fixture, "dataset", "delete", id);
    g_auto(CliResult) again = cli_run (fixture, "dataset", "show", id);

    g_assert_cmpint (deleted.status, ==, 0);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "no dataset"));
  }
}

static void
test_import_xlsx (CliFixture    *fixture,
                  gconstpointer  data)
{
  const char *dir = g_getenv ("WR_FIXTURES_DIR");
  g_autofree char *path = NULL;
  g_autofree char *project = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *datasets;

  if (dir == NULL || *dir == '\0')
    {
      g_test_skip ("WR_FIXTURES_DIR is not set");
      return;
    }
  path = g_build_filename (dir, "documents", "xlsx", "calamine_richtext-after-plain.xlsx", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("fixture missing");
      return;
    }

  project = cli_create_project (fixture, "Books");
  {
    g_auto(CliResult) imported = cli_run (fixture, "import", path, "--project", project, "--json");

    g_assert_cmpint (imported.status, ==, 0);
    node = cli_parse_json (imported.out);
  }
  /* One dataset per sheet with cells. */
  datasets = json_object_get_array_member (json_node_get_object (node), "datasets");
  g_assert_cmpuint (json_array_get_length (datasets), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *dataset = json_array_get_object_element (datasets, i);

      g_assert_cmpstr (json_object_get_string_member (dataset, "kind"), ==, "xlsx");
      g_assert_cmpstr (json_object_get_string_member (dataset, "status"), ==, "ready");
      g_assert_nonnull (json_object_get_string_member (dataset, "sheet"));
    }
}

static void
test_bad_usage_and_files (CliFixture    *fixture,
                          gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "P");
  g_autofree char *path = write_file (fixture, "a.csv", "a\n1\n");
  g_autoptr(GString) unclosed = g_string_new ("a,b\n1,\"");
  g_autofree char *bad = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *datasets;

  {
    g_auto(CliResult) result = cli_run (fixture, "import", path);
    g_assert_cmpint (result.status, ==, 2);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "dataset", "list");
    g_assert_cmpint (result.status, ==, 2);
  }
  {
    g_auto(CliResult) result = cli_run (fixture, "import", path, "--project", "nope");
    g_assert_cmpint (result.status, ==, 1);
  }
  {
    g_autofree char *missing = g_build_filename (fixture->data_dir, "missing.csv", NULL);
    g_auto(CliResult) result = cli_run (fixture, "import", missing, "--project", project);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "missing.csv"));
  }

  /* An unclosed quote running past the field bound: failed, said why. */
  for (guint i = 0; i < (17 << 20) / 32; i++)
    g_string_append (unclosed, "abcdefghijklmnopqrstuvwxyz012345");
  bad = write_file (fixture, "bad.csv", unclosed->str);
  {
    g_auto(CliResult) result = cli_run (fixture, "import", bad, "--project", project);

    g_assert_cmpint (result.status, ==, 1);
    g_assert_nonnull (strstr (result.err, "bad.csv"));
    g_assert_nonnull (strstr (result.err, "Row 2"));
    g_assert_cmpstr (result.out, ==, "");
  }

  datasets = list_datasets (fixture, project, &node);
  g_assert_cmpuint (json_array_get_length (datasets), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (datasets, 0), "status"), ==,
                   "failed");
}

/* The id of @path imported into @project. */
static char *
import_one (CliFixture *fixture,
            const char *project,
            const char *path)
{
  g_auto(CliResult) imported = cli_run (fixture, "import", path, "--project", project, "--json");
  g_autoptr(JsonNode) node = NULL;
  JsonArray *datasets;

  g_assert_cmpint (imported.status, ==, 0);
  node = cli_parse_json (imported.out);
  datasets = json_object_get_array_member (json_node_get_object (node), "datasets");
  return g_strdup (json_object_get_string_member (json_array_get_object_element (datasets, 0), "id"));
}

static void
test_sort_filter_stats (CliFixture    *fixture,
                        gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Fruit");
  g_autofree char *path = write_file (fixture, "fruit.csv",
                                      "name,qty,when\n"
                                      "banana,10,2024-03-01\n"
                                      "Apple,2,2023-12-31\n"
                                      "cherry,,2024-02-01\n"
                                      "apple,10,\n"
                                      "Eclair,-5,2024-01-15\n");
  g_autofree char *id = import_one (fixture, project, path);

  /* --sort qty:desc: numbers numerically, ties in file order. */
  {
    g_auto(CliResult) shown = cli_run (fixture, "dataset", "show", id, "--sort", "qty:desc", "--rows", "3", "--json");
    g_autoptr(JsonNode) node = NULL;
    JsonArray *rows;

    g_assert_cmpstr (shown.err, ==, "");
    g_assert_cmpint (shown.status, ==, 0);
    node = cli_parse_json (shown.out);
    rows = json_object_get_array_member (json_node_get_object (node), "rows");
    g_assert_cmpuint (json_array_get_length (rows), ==, 3);
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), 0), ==, "banana");
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 1), 0), ==, "apple");
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 2), 0), ==, "Apple");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "matched_rows"), ==, 5);
  }
  /* A column by number, ascending; --filter in any column, any case. */
  {
    g_auto(CliResult) shown = cli_run (fixture, "dataset", "show", id, "--sort", "3", "--filter", "APP");

    g_assert_cmpint (shown.status, ==, 0);
    g_assert_nonnull (strstr (shown.out, "2 of 5 rows match"));
    g_assert_nonnull (strstr (shown.out, "Apple\t2\t2023-12-31\napple\t10\t\n"));
    g_assert_null (strstr (shown.out, "banana"));
  }
  {
    g_auto(CliResult) shown = cli_run (fixture, "dataset", "show", id, "--sort", "price");

    g_assert_cmpint (shown.status, ==, 2);
    g_assert_nonnull (strstr (shown.err, "price"));
  }

  /* dataset stats */
  {
    g_auto(CliResult) stats = cli_run (fixture, "dataset", "stats", id, "--json");
    g_autoptr(JsonNode) node = NULL;
    JsonArray *columns;
    JsonObject *qty, *when, *name;

    g_assert_cmpstr (stats.err, ==, "");
    g_assert_cmpint (stats.status, ==, 0);
    node = cli_parse_json (stats.out);
    columns = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (columns), ==, 3);
    qty = json_array_get_object_element (columns, 1);
    g_assert_cmpstr (json_object_get_string_member (qty, "type"), ==, "integer");
    g_assert_cmpint (json_object_get_int_member (qty, "empty"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (qty, "distinct"), ==, 3);
    g_assert_cmpfloat (json_object_get_double_member (qty, "min"), ==, -5);
    g_assert_cmpfloat (json_object_get_double_member (qty, "max"), ==, 10);
    g_assert_cmpfloat (json_object_get_double_member (qty, "mean"), ==, 4.25);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (qty, "histogram")), ==, 20);
    when = json_array_get_object_element (columns, 2);
    g_assert_cmpstr (json_object_get_string_member (when, "earliest"), ==, "2023-12-31");
    g_assert_cmpstr (json_object_get_string_member (when, "latest"), ==, "2024-03-01");
    name = json_array_get_object_element (columns, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (name, "top")), ==, 5);
  }
  {
    g_auto(CliResult) stats = cli_run (fixture, "dataset", "stats", id);

    g_assert_cmpint (stats.status, ==, 0);
    g_assert_nonnull (strstr (stats.out, "qty (integer)\n  rows 5, empty 1, distinct 3\n  min -5, max 10, mean 4.25, sum 17\n"));
  }
  {
    g_auto(CliResult) stats = cli_run (fixture, "dataset", "stats", "no-such-id");

    g_assert_cmpint (stats.status, ==, 1);
    g_assert_nonnull (strstr (stats.err, "no-such-id"));
  }
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_interrupt (CliFixture    *fixture,
                gconstpointer  data)
{
  g_autofree char *project = cli_create_project (fixture, "Big");
  g_autofree char *good = write_file (fixture, "small.csv", "a\n1\n");
  g_autofree char *path = g_build_filename (fixture->data_dir, "big.csv", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *err = NULL;
  JsonArray *datasets;
  gboolean waited = FALSE;
  FILE *file;

  {
    g_auto(CliResult) result = cli_run (fixture, "import", good, "--project", project);
    g_assert_cmpint (result.status, ==, 0);
  }

  file = fopen (path, "w");
  g_assert_nonnull (file);
  fprintf (file, "id,name,amount\n");
  for (guint i = 0; i < 6000000; i++)
    fprintf (file, "%u,name %u,%u.5\n", i, i * 7, i % 1000);
  fclose (file);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              cli_path (), "--data-dir", fixture->data_dir,
                              "import", path, "--project", project, NULL);
  g_assert_no_error (error);

  g_timeout_add (700, timeout_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (process, SIGINT);

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_nonnull (strstr (err, "Interrupted"));

  /* Only the small dataset; nothing of the big one, ready or not. */
  datasets = list_datasets (fixture, project, &node);
  g_assert_cmpuint (json_array_get_length (datasets), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (datasets, 0), "name"), ==,
                   "small.csv");
}

/* No mock server needed: only the data directory. */
static void
setup (CliFixture    *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->data_dir = g_dir_make_tmp ("wr-cli-datasets-XXXXXX", &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/dataset/import-csv", CliFixture, NULL, setup, test_import_csv, cli_fixture_teardown);
  g_test_add ("/cli/dataset/import-xlsx", CliFixture, NULL, setup, test_import_xlsx, cli_fixture_teardown);
  g_test_add ("/cli/dataset/bad-usage-and-files", CliFixture, NULL, setup, test_bad_usage_and_files, cli_fixture_teardown);
  g_test_add ("/cli/dataset/sort-filter-stats", CliFixture, NULL, setup, test_sort_filter_stats, cli_fixture_teardown);
  g_test_add ("/cli/dataset/interrupt", CliFixture, NULL, setup, test_interrupt, cli_fixture_teardown);

  return g_test_run ();
}
