/* wr-artifact-export.c — writing artifacts out as files, and the table
 * artifact every imported dataset gets.
 *
 * Every export goes to a temporary file in @dest's folder (same file
 * system, so the rename is atomic), is flushed to disk, and only then
 * renamed over @dest; any failure deletes the temporary file. A table is
 * streamed from dataset_rows a page at a time, so exporting a million rows
 * holds one page in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "wr-artifact-export.h"
#include "wr-chart.h"
#include "wr-dataset.h"

#define TABLE_PAGE_ROWS   1000
#define WRITE_BUFFER_SIZE (64 * 1024)
#define CHART_WIDTH       1200
#define CHART_HEIGHT      750
/* Leaves room for an extension within the usual 255-byte name limit. */
#define MAX_SUGGESTED_CHARS 120

static const char * const report_exts[]  = { "md", "html", NULL };
static const char * const html_exts[]    = { "html", "htm", NULL };
static const char * const mermaid_exts[] = { "mmd", "mermaid", NULL };
static const char * const chart_exts[]   = { "png", "svg", "pdf", "json", NULL };
static const char * const table_exts[]   = { "csv", "json", NULL };
static const char * const image_exts[]   = { "png", "jpg", "jpeg", "webp", "gif", NULL };
static const char * const file_exts[]    = { "bin", NULL };

const char * const *
wr_artifact_export_extensions (WrArtifactKind kind)
{
  switch (kind)
    {
    case WR_ARTIFACT_KIND_REPORT:  return report_exts;
    case WR_ARTIFACT_KIND_HTML:    return html_exts;
    case WR_ARTIFACT_KIND_MERMAID: return mermaid_exts;
    case WR_ARTIFACT_KIND_CHART:   return chart_exts;
    case WR_ARTIFACT_KIND_TABLE:   return table_exts;
    case WR_ARTIFACT_KIND_IMAGE:   return image_exts;
    case WR_ARTIFACT_KIND_FILE:    return file_exts;
    default:                       return file_exts;
    }
}

/* Helpers ---------------------------------------------------------------- */

/* The lowercase extension of @name without the dot; "" when none. */
static char *
name_extension (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return g_strdup ("");

  return g_ascii_strdown (dot + 1, -1);
}

static gboolean
kind_takes_any_extension (WrArtifactKind kind)
{
  return kind == WR_ARTIFACT_KIND_IMAGE || kind == WR_ARTIFACT_KIND_FILE;
}

static gboolean
check_extension (WrArtifactKind   kind,
                 const char      *ext,
                 GError         **error)
{
  const char * const *exts = wr_artifact_export_extensions (kind);
  g_autoptr(GString) list = NULL;

  if (kind_takes_any_extension (kind) || g_strv_contains (exts, ext))
    return TRUE;

  list = g_string_new (NULL);
  for (guint i = 0; exts[i] != NULL; i++)
    g_string_append_printf (list, "%s.%s", i > 0 ? ", " : "", exts[i]);

  if (*ext == '\0')
    g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                 _("The file name has no extension. A %s artifact can be exported as %s; "
                   "add one of those to the name."),
                 wr_artifact_kind_to_string (kind), list->str);
  else
    g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                 _("A %s artifact cannot be exported as .%s. It can be exported as %s; "
                   "change the file name to end in one of those."),
                 wr_artifact_kind_to_string (kind), ext, list->str);
  return FALSE;
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s”: %s. Check that the folder is writable and has free space, "
                 "then try again."),
               display, g_strerror (saved_errno));
  return FALSE;
}

/* The temporary file the export writes ------------------------------------ */

typedef struct {
  char    *dest;      /* the final path */
  char    *path;      /* the temporary file's */
  int      fd;
  GString *buf;
} Output;

static void
output_free (Output *out)
{
  if (out->fd >= 0)
    close (out->fd);
  if (out->path != NULL)
    g_unlink (out->path);   /* still there only when the export failed */
  g_free (out->path);
  g_free (out->dest);
  g_string_free (out->buf, TRUE);
  g_free (out);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Output, output_free)

/* A new temporary file next to @dest, with @dest's extension (the chart
 * writer picks the format by it). */
static Output *
output_new (const char  *dest,
            GError     **error)
{
  g_autoptr(Output) out = g_new0 (Output, 1);
  g_autofree char *dir = g_path_get_dirname (dest);
  g_autofree char *base = g_path_get_basename (dest);
  g_autofree char *ext = name_extension (base);
  g_autofree char *tmpl = NULL;

  out->fd = -1;
  out->buf = g_string_sized_new (WRITE_BUFFER_SIZE);
  out->dest = g_strdup (dest);

  tmpl = g_strdup_printf (".%s.XXXXXX%s%s", base, *ext ? "." : "", ext);
  out->path = g_build_filename (dir, tmpl, NULL);
  /* 0666 less the umask, like any new file, not mkstemp's 0600. */
  out->fd = g_mkstemp_full (out->path, O_RDWR | O_CLOEXEC, 0666);
  if (out->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&out->path, g_free);
      return set_io_error (error, saved_errno, dest), NULL;
    }

  return g_steal_pointer (&out);
}

static gboolean
output_flush (Output  *out,
              GError **error)
{
  gsize done = 0;

  while (done < out->buf->len)
    {
      gssize n = write (out->fd, out->buf->str + done, out->buf->len - done);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return set_io_error (error, errno, out->dest);
        }
      done += (gsize) n;
    }

  g_string_truncate (out->buf, 0);
  return TRUE;
}

static gboolean
output_write (Output        *out,
              const char    *data,
              gsize          len,
              GError       **error)
{
  g_string_append_len (out->buf, data, (gssize) len);

  if (out->buf->len >= WRITE_BUFFER_SIZE)
    return output_flush (out, error);

  return TRUE;
}

/* Flushes, syncs and renames the file over its destination. */
static gboolean
output_commit (Output  *out,
               GError **error)
{
  if (!output_flush (out, error))
    return FALSE;

  if (fsync (out->fd) != 0)
    return set_io_error (error, errno, out->dest);

  if (close (out->fd) != 0)
    {
      out->fd = -1;
      return set_io_error (error, errno, out->dest);
    }
  out->fd = -1;

  if (g_rename (out->path, out->dest) != 0)
    return set_io_error (error, errno, out->dest);

  g_clear_pointer (&out->path, g_free);
  return TRUE;
}

/* Kinds ------------------------------------------------------------------- */

static gboolean
write_report_html (Output      *out,
                   WrArtifact  *artifact,
                   GBytes      *data,
                   GError     **error)
{
  g_autofree char *title = g_markup_escape_text (wr_artifact_get_name (artifact), -1);
  g_autofree char *head = NULL;
  gsize len = 0;
  const char *markdown = g_bytes_get_data (data, &len);
  int options = CMARK_OPT_DEFAULT;
  char *body;
  gboolean ok;

  /* Raw HTML in the Markdown is not passed through: cmark 0.29 and later
   * drop it by default; older versions need CMARK_OPT_SAFE. */
#if defined(CMARK_OPT_SAFE)
  options |= CMARK_OPT_SAFE;
#endif

  head = g_strdup_printf ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
                          "<title>%s</title>\n</head>\n<body>\n", title);
  body = cmark_markdown_to_html (len > 0 ? markdown : "", len, options);

  ok = output_write (out, head, strlen (head), error) &&
       output_write (out, body, strlen (body), error) &&
       output_write (out, "</body>\n</html>\n", strlen ("</body>\n</html>\n"), error);

  free (body);
  return ok;
}

static gboolean
write_chart (Output        *out,
             WrStore       *store,
             GBytes        *data,
             GError       **error)
{
  g_autoptr(WrChartSpec) spec = NULL;
  gsize len = 0;
  const char *json = g_bytes_get_data (data, &len);

  spec = wr_chart_spec_new_from_artifact (store, json != NULL ? json : "", (gssize) len, error);
  if (spec == NULL)
    return FALSE;

  /* Cairo writes the file by name: close ours so nothing writes it twice. */
  close (out->fd);
  out->fd = -1;
  if (!wr_chart_export (spec, out->path, CHART_WIDTH, CHART_HEIGHT, wr_chart_style_light (), error))
    return FALSE;

  out->fd = g_open (out->path, O_RDWR | O_CLOEXEC, 0);
  if (out->fd < 0)
    return set_io_error (error, errno, out->dest);

  return TRUE;
}

/* The dataset a table artifact shows: its dataset_id, else its content's. */
static char *
table_dataset_id (WrArtifact  *artifact,
                  GBytes      *data,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *json = g_bytes_get_data (data, &len);
  JsonNode *root;

  if (wr_artifact_get_dataset_id (artifact) != NULL)
    return g_strdup (wr_artifact_get_dataset_id (artifact));

  if (len > 0 && json_parser_load_from_data (parser, json, (gssize) len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      const char *id = json_object_get_string_member_with_default (json_node_get_object (root),
                                                                   "dataset_id", NULL);
      if (id != NULL)
        return g_strdup (id);
    }

  g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                       _("This table no longer has its data: the dataset it showed was deleted."));
  return NULL;
}

/* The dataset's column names (transfer full), or NULL with @error. */
static GStrv
table_columns (WrDatasetInfo  *info,
               GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonArray *columns;

  if (g_strcmp0 (info->status, "ready") != 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The dataset “%s” did not finish importing, so there are no rows to export. "
                     "Import the file again."),
                   info->name);
      return NULL;
    }

  if (info->columns == NULL ||
      !json_parser_load_from_data (parser, info->columns, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_CORRUPT,
                   _("The columns of dataset “%s” cannot be read. Import the file again."),
                   info->name);
      return NULL;
    }

  columns = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonNode *node = json_array_get_element (columns, i);
      const char *name = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        name = json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL);
      g_strv_builder_add (names, name != NULL ? name : "");
    }

  return g_strv_builder_end (names);
}

/* A cell as text: strings as stored, numbers in C locale, null empty. */
static char *
cell_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (!JSON_NODE_HOLDS_VALUE (node))
    return json_to_string (node, FALSE);

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return g_strdup ("");
    }
}

/* RFC 4180: quoted when it holds a comma, quote or line break, or has
 * spaces at its ends (which readers may trim); quotes doubled. */
static void
append_csv_field (GString    *line,
                  const char *text)
{
  gsize len = strlen (text);

  if (strpbrk (text, ",\"\r\n") == NULL &&
      (len == 0 || (text[0] != ' ' && text[len - 1] != ' ')))
    {
      g_string_append (line, text);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static gboolean
write_table (Output        *out,
             WrStore       *store,
             WrArtifact    *artifact,
             GBytes        *data,
             gboolean       as_json,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(WrDatasetInfo) info = NULL;
  g_autofree char *dataset_id = NULL;
  g_auto(GStrv) columns = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  guint n_columns;
  gint64 offset = 0;
  gboolean first = TRUE;

  if (!(dataset_id = table_dataset_id (artifact, data, error)))
    return FALSE;

  info = wr_dataset_get (store, dataset_id, error);
  if (info == NULL)
    return FALSE;

  if (!(columns = table_columns (info, error)))
    return FALSE;
  n_columns = g_strv_length (columns);

  if (as_json)
    g_string_append (line, "[");
  else
    {
      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append_c (line, ',');
          append_csv_field (line, columns[c]);
        }
      g_string_append (line, "\r\n");
    }
  if (!output_write (out, line->str, line->len, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(JsonArray) rows = NULL;
      guint n_rows;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      rows = wr_dataset_read_rows (store, dataset_id, offset, TABLE_PAGE_ROWS, error);
      if (rows == NULL)
        return FALSE;

      n_rows = json_array_get_length (rows);
      for (guint r = 0; r < n_rows; r++)
        {
          JsonArray *cells = json_array_get_array_element (rows, r);
          guint n_cells = cells != NULL ? json_array_get_length (cells) : 0;

          g_string_truncate (line, 0);
          if (as_json)
            {
              g_autoptr(JsonBuilder) builder = json_builder_new ();
              g_autoptr(JsonNode) root = NULL;
              g_autofree char *text = NULL;

              json_builder_begin_object (builder);
              for (guint c = 0; c < n_columns; c++)
                {
                  json_builder_set_member_name (builder, columns[c]);
                  if (c < n_cells)
                    json_builder_add_value (builder, json_node_copy (json_array_get_element (cells, c)));
                  else
                    json_builder_add_null_value (builder);
                }
              json_builder_end_object (builder);
              root = json_builder_get_root (builder);
              text = json_to_string (root, FALSE);
              g_string_append_printf (line, "%s\n  %s", first ? "" : ",", text);
            }
          else
            {
              for (guint c = 0; c < n_columns; c++)
                {
                  g_autofree char *text = cell_text (c < n_cells ? json_array_get_element (cells, c) : NULL);

                  if (c > 0)
                    g_string_append_c (line, ',');
                  append_csv_field (line, text);
                }
              g_string_append (line, "\r\n");
            }
          first = FALSE;

          if (!output_write (out, line->str, line->len, error))
            return FALSE;
        }

      if (n_rows < TABLE_PAGE_ROWS)
        break;
      offset += n_rows;
    }

  if (as_json)
    return output_write (out, first ? "]\n" : "\n]\n", first ? 2 : 3, error);

  return TRUE;
}

/* Export ------------------------------------------------------------------ */

gboolean
wr_artifact_export (WrStore       *store,
                    const char    *artifact_id,
                    GFile         *dest,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(Output) out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *ext = NULL;
  WrArtifactKind kind;
  gboolean ok;

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (artifact_id != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (dest), FALSE);

  path = g_file_get_path (dest);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (dest);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot write to “%s”: only local folders are supported. Choose a folder on this computer."),
                   uri);
      return FALSE;
    }

  artifact = wr_store_get_artifact (store, artifact_id, error);
  if (artifact == NULL)
    return FALSE;
  kind = wr_artifact_get_kind (artifact);

  base = g_path_get_basename (path);
  ext = name_extension (base);
  if (!check_extension (kind, ext, error))
    return FALSE;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder. Choose a file name inside it instead."), display);
      return FALSE;
    }

  data = wr_store_get_artifact_data (store, artifact_id, error);
  if (data == NULL)
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!(out = output_new (path, error)))
    return FALSE;

  switch (kind)
    {
    case WR_ARTIFACT_KIND_REPORT:
      if (g_str_equal (ext, "html"))
        ok = write_report_html (out, artifact, data, error);
      else
        ok = output_write (out, g_bytes_get_data (data, NULL), g_bytes_get_size (data), error);
      break;

    case WR_ARTIFACT_KIND_CHART:
      if (g_str_equal (ext, "json"))
        ok = output_write (out, g_bytes_get_data (data, NULL), g_bytes_get_size (data), error);
      else
        ok = write_chart (out, store, data, error);
      break;

    case WR_ARTIFACT_KIND_TABLE:
      ok = write_table (out, store, artifact, data, g_str_equal (ext, "json"), cancellable, error);
      break;

    case WR_ARTIFACT_KIND_HTML:
    case WR_ARTIFACT_KIND_MERMAID:
    case WR_ARTIFACT_KIND_IMAGE:
    case WR_ARTIFACT_KIND_FILE:
    default:
      ok = output_write (out, g_bytes_get_data (data, NULL), g_bytes_get_size (data), error);
      break;
    }

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  return ok && output_commit (out, error);
}

typedef struct {
  char  *id;
  GFile *dest;
} ExportArgs;

static void
export_args_free (gpointer data)
{
  ExportArgs *args = data;

  g_free (args->id);
  g_clear_object (&args->dest);
  g_free (args);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportArgs *args = task_data;
  GError *error = NULL;

  if (wr_artifact_export (source_object, args->id, args->dest, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
wr_artifact_export_async (WrStore             *store,
                          const char          *artifact_id,
                          GFile               *dest,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportArgs *args;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (artifact_id != NULL);
  g_return_if_fail (G_IS_FILE (dest));

  args = g_new0 (ExportArgs, 1);
  args->id = g_strdup (artifact_id);
  args->dest = g_object_ref (dest);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_artifact_export_async);
  g_task_set_task_data (task, args, export_args_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
wr_artifact_export_finish (WrStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_artifact_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Names ------------------------------------------------------------------- */

static const char *
image_extension (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  if (g_strcmp0 (mime_type, "image/gif") == 0)
    return "gif";
  return "png";
}

char *
wr_artifact_suggest_file_name (WrArtifact *artifact)
{
  g_autoptr(GString) safe = g_string_new (NULL);
  g_autofree char *stripped = NULL;
  g_autofree char *ext_of_name = NULL;
  WrArtifactKind kind;
  const char *ext;
  guint n_chars = 0;

  g_return_val_if_fail (WR_IS_ARTIFACT (artifact), NULL);

  if (wr_artifact_get_file_name (artifact) != NULL && *wr_artifact_get_file_name (artifact) != '\0')
    return g_strdup (wr_artifact_get_file_name (artifact));

  kind = wr_artifact_get_kind (artifact);
  ext = kind == WR_ARTIFACT_KIND_IMAGE ? image_extension (wr_artifact_get_mime_type (artifact))
                                       : wr_artifact_export_extensions (kind)[0];

  /* Characters file systems or file managers refuse become "_". */
  for (const char *p = wr_artifact_get_name (artifact); *p != '\0' && n_chars < MAX_SUGGESTED_CHARS;
       p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || strchr ("/\\:*?\"<>|", (int) c) != NULL)
        g_string_append_c (safe, '_');
      else
        g_string_append_unichar (safe, c);
    }

  stripped = g_strstrip (g_strdup (safe->str));
  /* No hidden files, no "." or "..". */
  {
    const char *start = stripped;

    while (*start == '.')
      start++;
    if (*start == '\0')
      start = _("artifact");
    g_string_assign (safe, start);
  }

  ext_of_name = name_extension (safe->str);
  if (g_str_equal (ext_of_name, ext) ||
      (kind_takes_any_extension (kind) && *ext_of_name != '\0') ||
      (kind != WR_ARTIFACT_KIND_FILE && g_strv_contains (wr_artifact_export_extensions (kind), ext_of_name)))
    return g_string_free (g_steal_pointer (&safe), FALSE);

  g_string_append_printf (safe, ".%s", ext);
  return g_string_free (g_steal_pointer (&safe), FALSE);
}

/* Dataset tables ---------------------------------------------------------- */

WrArtifact *
wr_artifact_create_for_dataset (WrStore      *store,
                                const char   *dataset_id,
                                GError      **error)
{
  g_autoptr(WrDatasetInfo) info = NULL;
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *name = NULL;
  char *json;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (dataset_id != NULL, NULL);

  info = wr_dataset_get (store, dataset_id, error);
  if (info == NULL)
    return NULL;

  if (g_strcmp0 (info->status, "ready") != 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   _("The dataset “%s” did not finish importing, so it has no table yet."),
                   info->name);
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dataset_id");
  json_builder_add_string_value (builder, dataset_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  data = g_bytes_new_take (json, strlen (json));

  /* A long file or sheet name must not stop the table from being made. */
  if (g_utf8_strlen (info->name, -1) > WR_ARTIFACT_MAX_NAME_CHARS)
    name = g_utf8_substring (info->name, 0, WR_ARTIFACT_MAX_NAME_CHARS);
  else
    name = g_strdup (info->name);

  artifact = wr_artifact_new (info->project_id, WR_ARTIFACT_KIND_TABLE, name);
  wr_artifact_set_dataset_id (artifact, dataset_id);

  if (!wr_store_create_artifact (store, artifact, data, error))
    return NULL;

  return g_steal_pointer (&artifact);
}
