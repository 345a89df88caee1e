/* wr-cli-import.c — workroom-cli import FILE --project ID
 *
 * Tables become datasets (data/wr-dataset.h): CSV/TSV one, XLSX one per
 * sheet — and a workbook's text also goes to the project's knowledge as a
 * document. Every other file is a document (docs/wr-document-import.h).
 * The work runs in a worker thread while the main loop waits for Ctrl-C,
 * which cancels: nothing half-imported is left ready.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "data/wr-dataset.h"
#include "store/wr-artifact.h"
#include "docs/wr-document-import.h"
#include "wr-cli-private.h"

static const char *usage =
  "Usage: workroom-cli import FILE --project ID\n";

typedef struct
{
  WrStore  *store;
  char     *project_id;
  char     *path;
  char     *name;
  gboolean  tty;
  gboolean  tables;          /* datasets */
  gboolean  document;        /* knowledge */

  /* results, read after the task completed */
  GStrv     dataset_ids;
  char     *document_id;
  char     *document_problem;   /* a workbook's text that did not go in */
} Import;

static void
import_free (Import *import)
{
  g_clear_object (&import->store);
  g_free (import->project_id);
  g_free (import->path);
  g_free (import->name);
  g_strfreev (import->dataset_ids);
  g_free (import->document_id);
  g_free (import->document_problem);
  g_free (import);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Import, import_free)

/* Called on the worker thread; stderr is line-safe enough for one line. */
static void
show_progress (Import *import,
               double  fraction)
{
  if (!import->tty)
    return;
  if (fraction < 0)
    fprintf (stderr, _("\rImporting %s…"), import->name);
  else
    fprintf (stderr, _("\rImporting %s… %d %%"), import->name, (int) (fraction * 100));
  fflush (stderr);
}

static void
on_dataset_progress (double   fraction,
                     gpointer user_data)
{
  Import *import = user_data;

  /* A workbook's document part comes second: datasets are the first half. */
  show_progress (import, import->document && fraction >= 0 ? fraction / 2 : fraction);
}

static void
on_document_progress (double      fraction,
                      const char *stage,
                      gpointer    user_data)
{
  Import *import = user_data;

  show_progress (import, import->tables && fraction >= 0 ? 0.5 + fraction / 2 : fraction);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Import *import = task_data;
  g_autoptr(GError) error = NULL;

  if (import->tables &&
      !wr_dataset_import_file (import->store, import->project_id, import->path,
                               on_dataset_progress, import, cancellable, &import->dataset_ids, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (import->document &&
      !wr_document_import_file (import->store, import->project_id, import->path,
                                on_document_progress, import, cancellable, &import->document_id, &error))
    {
      /* Cancelled half-way through a workbook: its datasets go too. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          for (guint i = 0; import->dataset_ids != NULL && import->dataset_ids[i] != NULL; i++)
            wr_dataset_delete (import->store, import->dataset_ids[i], NULL);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The sheets are in; the searchable text is extra. */
      if (!import->tables)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      import->document_problem = g_strdup (error->message);
    }

  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GCancellable *cancellable;
  gboolean      done;
} Waiter;

static gboolean
on_sigint (gpointer user_data)
{
  Waiter *waiter = user_data;

  g_cancellable_cancel (waiter->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->done = TRUE;
}

static void
print_warnings (WrDatasetInfo *info)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *warnings;

  if (!json_parser_load_from_data (parser, info->warnings, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;

  warnings = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    fprintf (stderr, "workroom-cli: %s: %s\n", info->name, json_array_get_string_element (warnings, i));
}

static JsonNode *
document_json (WrStore    *store,
               const char *id)
{
  g_autoptr(WrDocumentInfo) info = wr_document_get (store, id, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  if (info != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, info->name);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, info->kind);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, info->status);
      json_builder_set_member_name (builder, "units");
      json_builder_add_int_value (builder, info->units);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Text: one id per line (datasets first; their table artifacts are named
 * on stderr). JSON: {"datasets": [... with "artifact_id"], "artifacts":
 * [...], "documents": [...]}. */
static int
print_result (WrCli  *cli,
              Import *import)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(JsonArray) artifacts = json_array_new ();

  /* The table artifacts the import made, one per ready dataset. */
  if (import->dataset_ids != NULL)
    tables = wr_store_list_artifacts (import->store, import->project_id, "table", NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "datasets");
  json_builder_begin_array (builder);
  for (guint i = 0; import->dataset_ids != NULL && import->dataset_ids[i] != NULL; i++)
    {
      g_autoptr(WrDatasetInfo) info = wr_dataset_get (import->store, import->dataset_ids[i], NULL);
      g_autoptr(JsonNode) node = NULL;
      WrArtifact *table = NULL;

      if (info == NULL)
        continue;
      print_warnings (info);
      for (guint j = 0; tables != NULL && j < tables->len && table == NULL; j++)
        if (g_strcmp0 (wr_artifact_get_dataset_id (g_ptr_array_index (tables, j)), info->id) == 0)
          table = g_ptr_array_index (tables, j);

      node = wr_cli_dataset_json (info);
      json_object_set_member (json_node_get_object (node), "artifact_id",
                              table != NULL ? json_node_init_string (json_node_alloc (), wr_artifact_get_id (table))
                                            : json_node_new (JSON_NODE_NULL));
      json_builder_add_value (builder, g_steal_pointer (&node));
      if (table != NULL)
        json_array_add_element (artifacts, wr_cli_artifact_json (table));
      if (!cli->json)
        {
          printf ("%s\n", info->id);
          if (table != NULL)
            fprintf (stderr, _("workroom-cli: “%s” is also the table artifact %s\n"),
                     info->name, wr_artifact_get_id (table));
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "artifacts");
  json_builder_add_value (builder, json_node_init_array (json_node_alloc (), artifacts));

  json_builder_set_member_name (builder, "documents");
  json_builder_begin_array (builder);
  if (import->document_id != NULL)
    {
      json_builder_add_value (builder, document_json (import->store, import->document_id));
      if (!cli->json)
        printf ("%s\n", import->document_id);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (import->document_problem != NULL)
    fprintf (stderr, _("workroom-cli: the sheets were imported, but not their text for search: %s\n"),
             import->document_problem);

  if (cli->json)
    {
      root = json_builder_get_root (builder);
      wr_cli_print_json (root);
    }
  return 0;
}

static int
import_file (WrCli      *cli,
             const char *path,
             const char *project_id)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Import) import = g_new0 (Import, 1);
  g_autoptr(GTask) task = NULL;
  Waiter waiter = { cancellable, FALSE };
  WrSession *session;
  guint sigint_id;
  int status;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return wr_cli_fail (_("Cannot read “%s”: no such file."), path);

  import->tables = wr_dataset_can_import (path);
  if (!import->tables || g_str_has_suffix (path, ".xlsx") || g_str_has_suffix (path, ".XLSX"))
    {
      g_autofree char *kind = wr_document_detect_kind (path, import->tables ? NULL : &error);

      import->document = kind != NULL;
      if (!import->tables && !import->document)
        {
          wr_cli_fail_error (error);
          return WR_CLI_EXIT_USAGE;
        }
    }

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  project = wr_store_get_project (wr_session_get_store (session), project_id, &error);
  if (project == NULL)
    return wr_cli_fail_error (error);

  import->store = g_object_ref (wr_session_get_store (session));
  import->project_id = g_strdup (project_id);
  import->path = g_strdup (path);
  import->name = g_path_get_basename (path);
  import->tty = isatty (STDERR_FILENO);

  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &waiter);
  task = g_task_new (NULL, cancellable, on_import_done, &waiter);
  g_task_set_task_data (task, import, NULL);
  g_task_run_in_thread (task, import_thread);
  wr_cli_iterate_until (&waiter.done);
  g_source_remove (sigint_id);

  if (import->tty)
    fprintf (stderr, "\r\033[K");

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          wr_cli_fail (_("Interrupted. Nothing from “%s” was imported."), import->name);
          status = WR_CLI_EXIT_INTERRUPTED;
        }
      else
        status = wr_cli_fail_error (error);
    }
  else
    status = print_result (cli, import);

  /* With a search or image description model set, the new passages are
   * indexed now, as the app does after an import. A failure keeps the
   * import: it says how to index later. */
  if (status == 0 && import->document_id != NULL &&
      !wr_cli_index_project (cli, project_id, NULL, NULL, &error))
    {
      fprintf (stderr,
               _("“%s” was imported, but it could not be indexed for search: %s\n"
                 "Run “workroom-cli knowledge reindex --project %s” to try again.\n"),
               import->name, error->message, project_id);
    }

  return status;
}

int
wr_cli_cmd_import (WrCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *project_id = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "FILE --project ID",
                     _("Import a table (CSV, TSV, XLSX) as datasets, or a document into the project's knowledge."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc != 2 || project_id == NULL)
    return wr_cli_usage (usage);

  return import_file (cli, argv[1], project_id);
}
