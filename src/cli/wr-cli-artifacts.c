/* wr-cli-artifacts.c — workroom-cli artifact list|show|export|rename|
 * delete|add: the reports, tables, charts, images and files a project
 * keeps (store/wr-artifact.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "data/wr-artifact-export.h"
#include "data/wr-dataset.h"
#include "store/wr-artifact.h"
#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli artifact list --project ID [--kind KIND]\n"
  "       workroom-cli artifact show ID [--rows N]\n"
  "       workroom-cli artifact export ID --out FILE\n"
  "       workroom-cli artifact rename ID NAME\n"
  "       workroom-cli artifact delete ID\n"
  "       workroom-cli artifact add --project ID --kind KIND [--name NAME] FILE\n"
  "\n"
  "KIND is report, table, chart, image, file, html or mermaid. export picks\n"
  "the format by FILE's extension: .md or .html for reports, .csv or .json\n"
  "for tables, .png, .svg, .pdf or .json for charts, .html for HTML, .mmd\n"
  "for Mermaid; images and files are written as stored.\n";

JsonNode *
wr_cli_artifact_json (WrArtifact *artifact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = wr_format_time (wr_artifact_get_created_at (artifact));
  g_autofree char *updated = wr_format_time (wr_artifact_get_updated_at (artifact));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, wr_artifact_get_id (artifact));
  json_builder_set_member_name (builder, "project_id");
  json_builder_add_string_value (builder, wr_artifact_get_project_id (artifact));
  json_builder_set_member_name (builder, "chat_id");
  json_builder_add_string_value (builder, wr_artifact_get_chat_id (artifact));
  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, wr_artifact_get_message_id (artifact));
  json_builder_set_member_name (builder, "dataset_id");
  json_builder_add_string_value (builder, wr_artifact_get_dataset_id (artifact));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, wr_artifact_kind_to_string (wr_artifact_get_kind (artifact)));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, wr_artifact_get_name (artifact));
  json_builder_set_member_name (builder, "mime_type");
  json_builder_add_string_value (builder, wr_artifact_get_mime_type (artifact));
  json_builder_set_member_name (builder, "file_name");
  json_builder_add_string_value (builder, wr_artifact_get_file_name (artifact));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, wr_artifact_get_size (artifact));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, updated);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
is_text_kind (WrArtifactKind kind)
{
  return kind == WR_ARTIFACT_KIND_REPORT || kind == WR_ARTIFACT_KIND_HTML ||
         kind == WR_ARTIFACT_KIND_MERMAID || kind == WR_ARTIFACT_KIND_CHART;
}

static int
artifact_list (WrCli      *cli,
               const char *project_id,
               const char *kind)
{
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  artifacts = wr_store_list_artifacts (wr_session_get_store (session), project_id, kind, &error);
  if (artifacts == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < artifacts->len; i++)
        json_array_add_element (array, wr_cli_artifact_json (g_ptr_array_index (artifacts, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < artifacts->len; i++)
    {
      WrArtifact *artifact = g_ptr_array_index (artifacts, i);
      g_autofree char *created = wr_format_time (wr_artifact_get_created_at (artifact));

      printf ("%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\n", wr_artifact_get_id (artifact),
              wr_artifact_kind_to_string (wr_artifact_get_kind (artifact)),
              wr_artifact_get_name (artifact), wr_artifact_get_size (artifact), created);
    }
  return 0;
}

static void
print_row (JsonArray *cells)
{
  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonNode *cell = json_array_get_element (cells, i);
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (cell) && json_node_get_value_type (cell) == G_TYPE_STRING)
        text = g_strescape (json_node_get_string (cell), "\xc2\xa0");
      else if (!JSON_NODE_HOLDS_NULL (cell))
        text = json_to_string (cell, FALSE);
      printf ("%s%s", i > 0 ? "\t" : "", text != NULL ? text : "");
    }
  printf ("\n");
}

/* A table's first rows: header then rows, tab-separated like "dataset show". */
static int
show_table (WrCli      *cli,
            WrStore    *store,
            WrArtifact *artifact,
            int         n_rows)
{
  g_autoptr(WrDatasetInfo) info = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonNode) columns = NULL;
  g_autoptr(GError) error = NULL;
  const char *dataset_id = wr_artifact_get_dataset_id (artifact);

  if (dataset_id == NULL)
    return wr_cli_fail (_("The table “%s” no longer has its data: its dataset was deleted."),
                        wr_artifact_get_name (artifact));

  info = wr_dataset_get (store, dataset_id, &error);
  if (info == NULL)
    return wr_cli_fail_error (error);
  rows = wr_dataset_read_rows (store, dataset_id, 0, n_rows, &error);
  if (rows == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = wr_cli_artifact_json (artifact);
      JsonObject *object = json_node_get_object (node);
      JsonNode *rows_node = json_node_new (JSON_NODE_ARRAY);

      json_object_set_member (object, "dataset", wr_cli_dataset_json (info));
      json_node_set_array (rows_node, rows);
      json_object_set_member (object, "rows", rows_node);
      wr_cli_print_json (node);
      return 0;
    }

  printf (_("%s (table), %" G_GINT64_FORMAT " rows\n"), wr_artifact_get_name (artifact), info->row_count);

  columns = info->columns != NULL ? json_from_string (info->columns, NULL) : NULL;
  if (columns != NULL && JSON_NODE_HOLDS_ARRAY (columns))
    {
      JsonArray *array = json_node_get_array (columns);
      g_autoptr(JsonArray) names = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *column = json_array_get_object_element (array, i);

          json_array_add_string_element (names, json_object_get_string_member_with_default (column, "name", ""));
        }
      printf ("\n");
      print_row (names);
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    print_row (json_array_get_array_element (rows, i));

  return 0;
}

static int
artifact_show (WrCli      *cli,
               const char *id,
               int         n_rows)
{
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);
  WrStore *store;
  WrArtifactKind kind;

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  store = wr_session_get_store (session);

  artifact = wr_store_get_artifact (store, id, &error);
  if (artifact == NULL)
    return wr_cli_fail_error (error);
  kind = wr_artifact_get_kind (artifact);

  if (kind == WR_ARTIFACT_KIND_TABLE)
    return show_table (cli, store, artifact, n_rows);

  if (is_text_kind (kind))
    {
      data = wr_store_get_artifact_data (store, id, &error);
      if (data == NULL)
        return wr_cli_fail_error (error);
    }

  if (cli->json)
    {
      g_autoptr(JsonNode) node = wr_cli_artifact_json (artifact);

      if (data != NULL)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data));

          json_object_set_string_member (json_node_get_object (node), "content", text);
        }
      wr_cli_print_json (node);
      return 0;
    }

  if (data != NULL)
    {
      gsize len = g_bytes_get_size (data);
      const char *text = g_bytes_get_data (data, NULL);

      if (len > 0)
        fwrite (text, 1, len, stdout);
      if (len == 0 || text[len - 1] != '\n')
        printf ("\n");
      return 0;
    }

  {
    g_autofree char *created = wr_format_time (wr_artifact_get_created_at (artifact));

    printf (_("Name: %s\n"), wr_artifact_get_name (artifact));
    printf (_("Kind: %s\n"), wr_artifact_kind_to_string (kind));
    if (wr_artifact_get_mime_type (artifact) != NULL)
      printf (_("Type: %s\n"), wr_artifact_get_mime_type (artifact));
    if (wr_artifact_get_file_name (artifact) != NULL)
      printf (_("File name: %s\n"), wr_artifact_get_file_name (artifact));
    printf (_("Size: %" G_GINT64_FORMAT " bytes\n"), wr_artifact_get_size (artifact));
    printf (_("Created: %s\n"), created);
  }
  return 0;
}

static int
artifact_export (WrCli      *cli,
                 const char *id,
                 const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dest = g_file_new_for_commandline_arg (out);
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (!wr_artifact_export (wr_session_get_store (session), id, dest, NULL, &error))
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *path = g_file_get_path (dest);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      wr_cli_print_json (node);
    }
  return 0;
}

static int
print_artifact (WrCli      *cli,
                WrStore    *store,
                const char *id)
{
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GError) error = NULL;

  if (!cli->json)
    {
      printf ("%s\n", id);
      return 0;
    }

  artifact = wr_store_get_artifact (store, id, &error);
  if (artifact == NULL)
    return wr_cli_fail_error (error);

  {
    g_autoptr(JsonNode) node = wr_cli_artifact_json (artifact);
    wr_cli_print_json (node);
  }
  return 0;
}

static int
artifact_rename (WrCli      *cli,
                 const char *id,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (!wr_store_rename_artifact (wr_session_get_store (session), id, name, &error))
    return wr_cli_fail_error (error);

  return print_artifact (cli, wr_session_get_store (session), id);
}

static int
artifact_delete (WrCli      *cli,
                 const char *id)
{
  g_autoptr(GError) error = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  if (!wr_store_delete_artifact (wr_session_get_store (session), id, &error))
    return wr_cli_fail_error (error);

  return 0;
}

/* The image types every GTK build shows, by their first bytes. */
static const char *
sniff_image (const guint8 *data,
             gsize         len)
{
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  return NULL;
}

static int
artifact_add (WrCli      *cli,
              const char *project_id,
              const char *kind_name,
              const char *name,
              const char *path)
{
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  WrArtifactKind kind;
  GStatBuf st;
  gsize len = 0;
  WrSession *session;

  if (!wr_artifact_kind_from_string (kind_name, &kind))
    {
      wr_cli_fail (_("“%s” is not a kind of artifact. Use report, table, chart, image, file, html or mermaid."),
                   kind_name);
      return WR_CLI_EXIT_USAGE;
    }

  /* Refuse before reading a file too big to keep. */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > WR_ARTIFACT_MAX_SIZE)
    return wr_cli_fail (_("“%s” is too large to keep as an artifact (at most %d MiB)."),
                        path, WR_ARTIFACT_MAX_SIZE / (1024 * 1024));

  if (!g_file_get_contents (path, &contents, &len, &error))
    return wr_cli_fail_error (error);

  if (kind == WR_ARTIFACT_KIND_IMAGE)
    {
      const char *sniffed = sniff_image ((const guint8 *) contents, len);

      if (sniffed == NULL)
        return wr_cli_fail (_("“%s” is not a PNG, JPEG, WebP or GIF image. Add it with --kind file instead."),
                            path);
      mime_type = g_strdup (sniffed);
    }
  else
    {
      content_type = g_content_type_guess (base, (const guchar *) contents, len, NULL);
      mime_type = g_content_type_get_mime_type (content_type);
    }

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  artifact = wr_artifact_new (project_id, kind, name != NULL ? name : base);
  wr_artifact_set_mime_type (artifact, mime_type);
  wr_artifact_set_file_name (artifact, base);
  data = g_bytes_new_take (g_steal_pointer (&contents), len);

  if (!wr_store_create_artifact (wr_session_get_store (session), artifact, data, &error))
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = wr_cli_artifact_json (artifact);
      wr_cli_print_json (node);
    }
  else
    printf ("%s\n", wr_artifact_get_id (artifact));

  return 0;
}

int
wr_cli_cmd_artifact (WrCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *project_id = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;
  g_autofree char *out = NULL;
  int n_rows = 10;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, N_("Artifact kind (report, table, chart, image, file, html, mermaid)"), "KIND" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the new artifact (add)"), "NAME" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("File to write (export)"), "FILE" },
    { "rows", 'n', 0, G_OPTION_ARG_INT, &n_rows, N_("How many table rows to show (default 10)"), "N" },
    { NULL }
  };
  const char *verb;

  if (!wr_cli_parse (cli, "list|show|export|rename|delete|add ...",
                     _("Reports, tables, charts, images and files a project keeps."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (usage);

  verb = argv[1];
  if (g_str_equal (verb, "list") && argc == 2 && project_id != NULL && name == NULL && out == NULL)
    {
      if (kind != NULL && !wr_artifact_kind_from_string (kind, NULL))
        {
          wr_cli_fail (_("“%s” is not a kind of artifact. Use report, table, chart, image, file, html or mermaid."),
                       kind);
          return WR_CLI_EXIT_USAGE;
        }
      return artifact_list (cli, project_id, kind);
    }
  if (g_str_equal (verb, "show") && argc == 3 && n_rows >= 0)
    return artifact_show (cli, argv[2], n_rows);
  if (g_str_equal (verb, "export") && argc == 3 && out != NULL)
    return artifact_export (cli, argv[2], out);
  if (g_str_equal (verb, "rename") && argc == 4)
    return artifact_rename (cli, argv[2], argv[3]);
  if (g_str_equal (verb, "delete") && argc == 3)
    return artifact_delete (cli, argv[2]);
  if (g_str_equal (verb, "add") && argc == 3 && project_id != NULL && kind != NULL && out == NULL)
    return artifact_add (cli, project_id, kind, name, argv[2]);

  return wr_cli_usage (usage);
}
