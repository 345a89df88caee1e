/* test-artifact-export.c — writing artifacts out (data/wr-artifact-export.h)
 * from a real SQLite store: every kind's formats, byte-exact copies, CSV
 * that reads back, chart files by their magic bytes, refusals that leave
 * nothing behind, and the table artifacts dataset imports make.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "data/wr-artifact-export.h"
#include "data/wr-csv-reader.h"
#include "data/wr-dataset.h"
#include "ooxml-build.h"

typedef struct
{
  char      *dir;       /* the database */
  char      *out;       /* where exports go */
  WrStore   *store;
  char      *project;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("wr-artifact-export-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->out = g_build_filename (fixture->dir, "out", NULL);
  g_assert_cmpint (g_mkdir (fixture->out, 0755), ==, 0);
  path = g_build_filename (fixture->dir, "workroom.db", NULL);
  fixture->store = wr_store_open (path, &error);
  g_assert_no_error (error);
  project = wr_store_create_project (fixture->store, "Exports", &error);
  g_assert_no_error (error);
  fixture->project = g_strdup (wr_project_get_id (project));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  g_chmod (path, 0755);
  handle = g_dir_open (path, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->out);
  g_free (fixture->project);
}

/* Helpers ---------------------------------------------------------------- */

static char *
add (Fixture        *fixture,
     WrArtifactKind  kind,
     const char     *name,
     const void     *content,
     gsize           len,
     const char     *mime_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (content, len);
  g_autoptr(WrArtifact) artifact = wr_artifact_new (fixture->project, kind, name);

  wr_artifact_set_mime_type (artifact, mime_type);
  g_assert_true (wr_store_create_artifact (fixture->store, artifact, data, &error));
  g_assert_no_error (error);
  return g_strdup (wr_artifact_get_id (artifact));
}

static char *
out_path (Fixture    *fixture,
          const char *name)
{
  return g_build_filename (fixture->out, name, NULL);
}

static gboolean
export_to (Fixture     *fixture,
           const char  *id,
           const char  *path,
           GError     **error)
{
  g_autoptr(GFile) dest = g_file_new_for_path (path);

  return wr_artifact_export (fixture->store, id, dest, NULL, error);
}

/* The export at @name, which must exist (transfer full). */
static GBytes *
export_ok (Fixture    *fixture,
           const char *id,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = out_path (fixture, name);
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (export_to (fixture, id, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Names of the files in @dir, sorted, joined by "|". */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *content)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* A dataset imported from @csv, with its table artifact (transfer full). */
static WrArtifact *
import_table (Fixture    *fixture,
              const char *file_name,
              const char *csv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (fixture, file_name, csv);
  g_autofree char *dataset = NULL;
  g_autoptr(GPtrArray) tables = NULL;

  g_assert_true (wr_dataset_import_csv (fixture->store, fixture->project, path, NULL, NULL, NULL,
                                        &dataset, &error));
  g_assert_no_error (error);

  tables = wr_store_list_artifacts (fixture->store, fixture->project, "table", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tables->len; i++)
    if (g_strcmp0 (wr_artifact_get_dataset_id (g_ptr_array_index (tables, i)), dataset) == 0)
      return g_object_ref (g_ptr_array_index (tables, i));

  g_assert_not_reached ();
}

/* Text kinds -------------------------------------------------------------- */

static void
test_text_kinds_byte_exact (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *report = "# Résumé\n\nLine with trailing spaces   \r\nno final newline";
  const char *html = "<!doctype html><p onclick=\"x()\">Ünïcode &amp; raw</p>\n";
  const char *mermaid = "graph TD\n  A[Start] --> B{Ok?}\n";
  g_autofree char *r = add (fixture, WR_ARTIFACT_KIND_REPORT, "Report", report, strlen (report), NULL);
  g_autofree char *h = add (fixture, WR_ARTIFACT_KIND_HTML, "Page", html, strlen (html), NULL);
  g_autofree char *m = add (fixture, WR_ARTIFACT_KIND_MERMAID, "Flow", mermaid, strlen (mermaid), NULL);
  struct { const char *id; const char *name; const char *content; } cases[] = {
    { r, "report.md", report },
    { r, "REPORT.MD", report },
    { h, "page.html", html },
    { h, "page.htm", html },
    { m, "flow.mmd", mermaid },
    { m, "flow.mermaid", mermaid },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) got = export_ok (fixture, cases[i].id, cases[i].name);

      g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                       cases[i].content, strlen (cases[i].content));
    }

  /* Only what was written is in the folder: no temporary files. */
  {
    g_autofree char *listing = list_dir (fixture->out);
    g_assert_cmpstr (listing, ==, "REPORT.MD|flow.mermaid|flow.mmd|page.htm|page.html|report.md");
  }
}

static void
test_report_html (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *report = "# Sales & costs <Q3>\n\nSome **bold** text.\n\n<script>alert(1)</script>\n\n"
                       "<img src=x onerror=alert(2)>\n\n- one\n- two\n";
  g_autofree char *r = add (fixture, WR_ARTIFACT_KIND_REPORT, "Q3 & more", report, strlen (report), NULL);
  g_autoptr(GBytes) got = export_ok (fixture, r, "report.html");
  g_autofree char *html = g_strndup (g_bytes_get_data (got, NULL), g_bytes_get_size (got));

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "<meta charset=\"utf-8\">"));
  g_assert_nonnull (strstr (html, "<title>Q3 &amp; more</title>"));
  g_assert_nonnull (strstr (html, "<h1>Sales &amp; costs <!-- raw HTML omitted --></h1>"));
  g_assert_nonnull (strstr (html, "<strong>bold</strong>"));
  g_assert_nonnull (strstr (html, "<li>one</li>"));
  /* Raw HTML is not passed through. */
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "onerror"));
  g_assert_true (g_str_has_suffix (html, "</html>\n"));
}

/* Binary kinds ------------------------------------------------------------ */

static void
test_image_and_file_byte_exact (Fixture       *fixture,
                                gconstpointer  data)
{
  guint8 bytes[4096];
  g_autofree char *image = NULL;
  g_autofree char *file = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) (i * 31 + 7);
  memcpy (bytes, "\x89PNG\r\n\x1a\n", 8);
  bytes[100] = 0;

  image = add (fixture, WR_ARTIFACT_KIND_IMAGE, "Logo", bytes, sizeof bytes, "image/png");
  file = add (fixture, WR_ARTIFACT_KIND_FILE, "Blob", bytes + 8, sizeof bytes - 8, "application/octet-stream");

  /* Any extension, even none: the bytes as stored. */
  {
    g_autoptr(GBytes) a = export_ok (fixture, image, "logo.png");
    g_autoptr(GBytes) b = export_ok (fixture, image, "logo-copy");
    g_autoptr(GBytes) c = export_ok (fixture, file, "blob.dat");

    g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a), bytes, sizeof bytes);
    g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), bytes, sizeof bytes);
    g_assert_cmpmem (g_bytes_get_data (c, NULL), g_bytes_get_size (c), bytes + 8, sizeof bytes - 8);
  }

  /* Exporting over an existing file replaces it. */
  {
    g_autofree char *path = out_path (fixture, "blob.dat");
    g_autoptr(GBytes) again = NULL;

    g_assert_true (g_file_set_contents (path, "old contents, longer than nothing", -1, NULL));
    again = export_ok (fixture, file, "blob.dat");
    g_assert_cmpmem (g_bytes_get_data (again, NULL), g_bytes_get_size (again), bytes + 8, sizeof bytes - 8);
  }
}

/* Tables ------------------------------------------------------------------ */

/* Reads @path back with the app's own CSV reader. */
static gboolean
collect_record (const char * const *fields,
                guint               n_fields,
                guint64             record,
                gpointer            user_data,
                GError            **error)
{
  GPtrArray *records = user_data;

  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < n_fields; i++)
    g_strv_builder_add (builder, fields[i] != NULL ? fields[i] : "");
  g_ptr_array_add (records, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);
  return TRUE;
}

static void
test_table_csv_round_trip (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) table =
    import_table (fixture, "tricky.csv",
                  "name,note,amount\n"
                  "\"Smith, John\",\"He said \"\"hi\"\"\",12.5\n"
                  "Ann,\"two\nlines\",\n"
                  "  padded  ,\"a,b,\"\"c\"\"\",0081\n"
                  "Zoë,,-3\n");
  g_autofree char *path = out_path (fixture, "tricky-out.csv");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(WrCsvReader) reader = wr_csv_reader_new ();
  g_autoptr(GBytes) raw = NULL;
  const char *expected[][3] = {
    { "name", "note", "amount" },
    { "Smith, John", "He said \"hi\"", "12.5" },
    { "Ann", "two\nlines", "" },
    { "  padded  ", "a,b,\"c\"", "0081" },
    { "Zoë", "", "-3" },
  };

  raw = export_ok (fixture, wr_artifact_get_id (table), "tricky-out.csv");
  /* RFC 4180: CRLF between records, quotes doubled, fields quoted. */
  g_assert_true (g_str_has_prefix (g_bytes_get_data (raw, NULL), "name,note,amount\r\n\"Smith, John\",\"He said \"\"hi\"\"\",12.5\r\n"));

  wr_csv_reader_set_delimiter (reader, ',');
  g_assert_true (wr_csv_reader_read_file (reader, path, collect_record, records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (expected));
  for (guint r = 0; r < G_N_ELEMENTS (expected); r++)
    {
      char **fields = g_ptr_array_index (records, r);

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      for (guint c = 0; c < 3; c++)
        g_assert_cmpstr (fields[c], ==, expected[r][c]);
    }
}

static void
test_table_json (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) table = import_table (fixture, "small.csv", "city,pop\nParis,2100000\n\"Lyon, FR\",\n");
  g_autoptr(GBytes) raw = export_ok (fixture, wr_artifact_get_id (table), "small.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows;
  JsonObject *row;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), &error));
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "city"), ==, "Paris");
  g_assert_cmpstr (json_object_get_string_member (row, "pop"), ==, "2100000");
  row = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "city"), ==, "Lyon, FR");
  g_assert_true (json_object_get_null_member (row, "pop"));
}

/* More rows than one page: every row, in order, once. */
static void
test_table_many_rows (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("i,label\n");
  g_autoptr(WrArtifact) table = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 2503;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%u,row %u\n", i, i);
  table = import_table (fixture, "many.csv", csv->str);
  raw = export_ok (fixture, wr_artifact_get_id (table), "many.csv");

  {
    g_autofree char *text = g_strndup (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
    lines = g_strsplit (text, "\r\n", -1);
  }
  g_assert_cmpuint (g_strv_length (lines), ==, n + 2);   /* header, rows, "" after the last CRLF */
  g_assert_cmpstr (lines[0], ==, "i,label");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *want = g_strdup_printf ("%u,row %u", i, i);
      g_assert_cmpstr (lines[i + 1], ==, want);
    }
  g_assert_cmpstr (lines[n + 1], ==, "");
}

/* Charts ------------------------------------------------------------------ */

static void
test_chart_formats (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *spec = "{\"type\": \"bar\", \"title\": \"Sales\", "
                     "\"series\": [{\"name\": \"2024\", \"x\": [\"Jan\", \"Feb\", \"Mar\"], \"y\": [3, 5, 2]}]}";
  g_autofree char *chart = add (fixture, WR_ARTIFACT_KIND_CHART, "Sales", spec, strlen (spec), NULL);
  g_autoptr(GBytes) png = export_ok (fixture, chart, "chart.png");
  g_autoptr(GBytes) svg = export_ok (fixture, chart, "chart.svg");
  g_autoptr(GBytes) pdf = export_ok (fixture, chart, "chart.pdf");
  g_autoptr(GBytes) json = export_ok (fixture, chart, "chart.json");
  g_autofree char *svg_text = g_strndup (g_bytes_get_data (svg, NULL), g_bytes_get_size (svg));

  g_assert_cmpuint (g_bytes_get_size (png), >, 1000);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_nonnull (strstr (svg_text, "<svg"));
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
  g_assert_cmpmem (g_bytes_get_data (json, NULL), g_bytes_get_size (json), spec, strlen (spec));

  {
    g_autofree char *listing = list_dir (fixture->out);
    g_assert_cmpstr (listing, ==, "chart.json|chart.pdf|chart.png|chart.svg");
  }
}

static void
test_chart_from_dataset (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WrArtifact) table = import_table (fixture, "sales.csv", "region,amount\nNorth,3\nSouth,4\nNorth,2\n");
  g_autofree char *spec = g_strdup_printf ("{\"type\": \"bar\", \"title\": \"By region\", "
                                           "\"dataset\": {\"id\": \"%s\", \"x\": \"region\", "
                                           "\"y\": \"amount\", \"aggregate\": \"sum\"}}",
                                           wr_artifact_get_dataset_id (table));
  g_autofree char *chart = add (fixture, WR_ARTIFACT_KIND_CHART, "By region", spec, strlen (spec), NULL);
  g_autoptr(GBytes) png = export_ok (fixture, chart, "by-region.png");

  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
}

/* Refusals ---------------------------------------------------------------- */

static void
test_invalid_extension (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *spec = "{\"type\": \"line\", \"series\": [{\"y\": [1, 2]}]}";
  g_autofree char *r = add (fixture, WR_ARTIFACT_KIND_REPORT, "R", "x", 1, NULL);
  g_autofree char *c = add (fixture, WR_ARTIFACT_KIND_CHART, "C", spec, strlen (spec), NULL);
  g_autofree char *existing = out_path (fixture, "keep.txt");

  {
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));
    g_assert_false (export_to (fixture, r, existing, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==,
                     "A report artifact cannot be exported as .txt. It can be exported as .md, .html; "
                     "change the file name to end in one of those.");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = out_path (fixture, "chart.jpeg");

    g_assert_false (export_to (fixture, c, path, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, ".png, .svg, .pdf, .json"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = out_path (fixture, "noext");

    g_assert_false (export_to (fixture, r, path, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "no extension"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = out_path (fixture, "gone.md");

    g_assert_false (export_to (fixture, "00000000000000000000000000000000", path, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  }

  /* Nothing written, the existing file untouched. */
  {
    g_autofree char *listing = list_dir (fixture->out);
    g_autofree char *kept = NULL;

    g_assert_cmpstr (listing, ==, "keep.txt");
    g_assert_true (g_file_get_contents (existing, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "keep me");
  }
}

static void
test_atomic_failures (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *r = add (fixture, WR_ARTIFACT_KIND_REPORT, "R", "# new", 5, NULL);
  g_autofree char *folder = out_path (fixture, "folder.md");
  g_autofree char *locked = out_path (fixture, "locked");
  g_autofree char *locked_dest = g_build_filename (locked, "report.md", NULL);
  g_autofree char *missing_dest = out_path (fixture, "no/such/dir/report.md");
  const char *spec = "{\"type\": \"bar\", \"series\": [{\"x\": [\"a\"], \"y\": [\"not a number\"]}]}";
  g_autofree char *bad_chart = add (fixture, WR_ARTIFACT_KIND_CHART, "Bad", spec, strlen (spec), NULL);

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);

  /* The destination is a folder. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (export_to (fixture, r, folder, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
    g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  }

  /* A folder that is not writable (root ignores permissions: skip that). */
  if (geteuid () != 0)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (export_to (fixture, r, locked_dest, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "report.md"));
    }

  /* A "folder" that is a file (fails for root too). */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *file = out_path (fixture, "plain");
    g_autofree char *under = g_build_filename (file, "report.md", NULL);

    g_assert_true (g_file_set_contents (file, "x", 1, NULL));
    g_assert_false (export_to (fixture, r, under, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "report.md"));
    g_unlink (file);
  }

  /* A folder that does not exist. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (export_to (fixture, r, missing_dest, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }

  /* The content fails half-way (a chart that cannot be drawn): the
   * temporary file is removed. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = out_path (fixture, "bad.png");

    g_assert_false (export_to (fixture, bad_chart, path, &error));
    g_assert_nonnull (error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* No temporary file left anywhere. */
  {
    g_autofree char *listing = list_dir (fixture->out);
    g_autofree char *locked_listing = list_dir (locked);

    g_assert_cmpstr (listing, ==, "folder.md|locked");
    g_assert_cmpstr (locked_listing, ==, "");
  }
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrArtifact) table = import_table (fixture, "c.csv", "a\n1\n2\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = out_path (fixture, "c.csv");
  g_autoptr(GFile) dest = g_file_new_for_path (path);

  g_cancellable_cancel (cancellable);
  g_assert_false (wr_artifact_export (fixture->store, wr_artifact_get_id (table), dest, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  {
    g_autofree char *listing = list_dir (fixture->out);
    g_assert_cmpstr (listing, ==, "");
  }
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *r = add (fixture, WR_ARTIFACT_KIND_MERMAID, "M", "graph LR\n", 9, NULL);
  g_autofree char *path = out_path (fixture, "m.mmd");
  g_autoptr(GFile) dest = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  Wait wait = { loop, NULL };

  wr_artifact_export_async (fixture->store, r, dest, NULL, on_exported, &wait);
  g_main_loop_run (loop);
  g_assert_true (wr_artifact_export_finish (fixture->store, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "graph LR\n");

  /* Errors come back through _finish. */
  {
    g_autofree char *bad = out_path (fixture, "m.png");
    g_autoptr(GFile) bad_dest = g_file_new_for_path (bad);

    wr_artifact_export_async (fixture->store, r, bad_dest, NULL, on_exported, &wait);
    g_main_loop_run (loop);
    g_assert_false (wr_artifact_export_finish (fixture->store, wait.result, &error));
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
    g_clear_object (&wait.result);
  }
}

/* Names ------------------------------------------------------------------- */

static void
test_extensions_and_names (void)
{
  g_autoptr(WrArtifact) report = wr_artifact_new ("p", WR_ARTIFACT_KIND_REPORT, "Q3: sales/costs?");
  g_autoptr(WrArtifact) table = wr_artifact_new ("p", WR_ARTIFACT_KIND_TABLE, "sales.csv");
  g_autoptr(WrArtifact) sheet = wr_artifact_new ("p", WR_ARTIFACT_KIND_TABLE, "book.xlsx — Sheet1");
  g_autoptr(WrArtifact) image = wr_artifact_new ("p", WR_ARTIFACT_KIND_IMAGE, "photo");
  g_autoptr(WrArtifact) named = wr_artifact_new ("p", WR_ARTIFACT_KIND_FILE, "whatever");
  g_autoptr(WrArtifact) hidden = wr_artifact_new ("p", WR_ARTIFACT_KIND_MERMAID, "..");
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;

  g_assert_cmpstr (wr_artifact_export_extensions (WR_ARTIFACT_KIND_REPORT)[0], ==, "md");
  g_assert_cmpstr (wr_artifact_export_extensions (WR_ARTIFACT_KIND_TABLE)[0], ==, "csv");
  g_assert_cmpstr (wr_artifact_export_extensions (WR_ARTIFACT_KIND_CHART)[0], ==, "png");
  g_assert_cmpstr (wr_artifact_export_extensions (WR_ARTIFACT_KIND_HTML)[0], ==, "html");
  g_assert_cmpstr (wr_artifact_export_extensions (WR_ARTIFACT_KIND_MERMAID)[0], ==, "mmd");
  g_assert_true (g_strv_contains (wr_artifact_export_extensions (WR_ARTIFACT_KIND_CHART), "pdf"));

  wr_artifact_set_mime_type (image, "image/jpeg");
  wr_artifact_set_file_name (named, "original name.tar.gz");

  a = wr_artifact_suggest_file_name (report);
  b = wr_artifact_suggest_file_name (table);
  c = wr_artifact_suggest_file_name (sheet);
  d = wr_artifact_suggest_file_name (image);
  e = wr_artifact_suggest_file_name (named);
  f = wr_artifact_suggest_file_name (hidden);
  g_assert_cmpstr (a, ==, "Q3_ sales_costs_.md");
  g_assert_cmpstr (b, ==, "sales.csv");
  g_assert_cmpstr (c, ==, "book.xlsx — Sheet1.csv");
  g_assert_cmpstr (d, ==, "photo.jpg");
  g_assert_cmpstr (e, ==, "original name.tar.gz");
  g_assert_cmpstr (f, ==, "artifact.mmd");
}

/* Imports make tables ----------------------------------------------------- */

static void
test_import_creates_table (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (fixture, "people.csv", "name,age\nAda,36\n");
  g_autofree char *dataset = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *expected = NULL;
  WrArtifact *table;

  g_assert_true (wr_dataset_import_csv (fixture->store, fixture->project, path, NULL, NULL, NULL,
                                        &dataset, &error));
  g_assert_no_error (error);

  tables = wr_store_list_artifacts (fixture->store, fixture->project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tables->len, ==, 1);
  table = g_ptr_array_index (tables, 0);
  g_assert_cmpint (wr_artifact_get_kind (table), ==, WR_ARTIFACT_KIND_TABLE);
  g_assert_cmpstr (wr_artifact_get_name (table), ==, "people.csv");
  g_assert_cmpstr (wr_artifact_get_dataset_id (table), ==, dataset);

  content = wr_store_get_artifact_data (fixture->store, wr_artifact_get_id (table), &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("{\"dataset_id\":\"%s\"}", dataset);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), expected, strlen (expected));

  /* Deleting the dataset takes its table with it. */
  g_assert_true (wr_dataset_delete (fixture->store, dataset, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tables, g_ptr_array_unref);
  tables = wr_store_list_artifacts (fixture->store, fixture->project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tables->len, ==, 0);
}

static void
test_only_ready_datasets_get_tables (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_build_filename (fixture->dir, "workroom.db", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  const char *ids[] = { "00000000000000000000000000000d01", "00000000000000000000000000000d02" };
  sqlite3 *db = NULL;

  /* A failed import and one still running, as the importer leaves them. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO datasets (id, project_id, name, kind, status, created_at, updated_at) "
                         "VALUES ('%s', '%s', 'bad.csv', 'csv', 'failed', 1, 1), "
                         "       ('%s', '%s', 'slow.csv', 'csv', 'importing', 1, 1)",
                         ids[0], fixture->project, ids[1], fixture->project);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(WrArtifact) artifact = wr_artifact_create_for_dataset (fixture->store, ids[i], &error);

      g_assert_null (artifact);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  {
    g_autoptr(WrArtifact) artifact = wr_artifact_create_for_dataset (fixture->store, "nope", &error);

    g_assert_null (artifact);
    g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  tables = wr_store_list_artifacts (fixture->store, fixture->project, "table", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tables->len, ==, 0);
}

static void
test_xlsx_import_creates_tables (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "book.xlsx", NULL);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  const char *sheet = OOXML_SHEET_START
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>city</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Oslo</t></is></c><c r=\"B2\"><v>4</v></c></row>"
    OOXML_SHEET_END;

  g_assert_true (ooxml_build_xlsx (path, sheet, NULL, NULL, FALSE));
  g_assert_true (wr_dataset_import_xlsx (fixture->store, fixture->project, path, NULL, NULL, NULL, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);

  tables = wr_store_list_artifacts (fixture->store, fixture->project, "table", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tables->len, ==, 1);
  g_assert_cmpstr (wr_artifact_get_dataset_id (g_ptr_array_index (tables, 0)), ==, ids[0]);
  g_assert_cmpstr (wr_artifact_get_name (g_ptr_array_index (tables, 0)), ==, "book.xlsx — Data");

  {
    g_autoptr(GBytes) csv = export_ok (fixture, wr_artifact_get_id (g_ptr_array_index (tables, 0)), "book.csv");
    const char *want = "city,n\r\nOslo,4\r\n";

    g_assert_cmpmem (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), want, strlen (want));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/artifact-export/text-kinds-byte-exact", test_text_kinds_byte_exact);
  ADD ("/artifact-export/report-html", test_report_html);
  ADD ("/artifact-export/image-file-byte-exact", test_image_and_file_byte_exact);
  ADD ("/artifact-export/table-csv-round-trip", test_table_csv_round_trip);
  ADD ("/artifact-export/table-json", test_table_json);
  ADD ("/artifact-export/table-many-rows", test_table_many_rows);
  ADD ("/artifact-export/chart-formats", test_chart_formats);
  ADD ("/artifact-export/chart-from-dataset", test_chart_from_dataset);
  ADD ("/artifact-export/invalid-extension", test_invalid_extension);
  ADD ("/artifact-export/atomic-failures", test_atomic_failures);
  ADD ("/artifact-export/cancelled", test_cancelled);
  ADD ("/artifact-export/async", test_async);
  ADD ("/artifact-export/import-creates-table", test_import_creates_table);
  ADD ("/artifact-export/only-ready-datasets-get-tables", test_only_ready_datasets_get_tables);
  ADD ("/artifact-export/xlsx-import-creates-tables", test_xlsx_import_creates_tables);
#undef ADD
  g_test_add_func ("/artifact-export/extensions-and-names", test_extensions_and_names);

  return g_test_run ();
}
