/* wr-cli-search.c — workroom-cli search and document list|delete: the
 * project's knowledge (documents imported with “workroom-cli import”).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "docs/wr-document-import.h"
#include "docs/wr-knowledge-search.h"
#include "chat/wr-knowledge-retrieve.h"
#include "wr-cli-private.h"

static const char *search_usage =
  "Usage: workroom-cli search --project ID [--limit N] [--json] QUERY\n"
  "\n"
  "Finds QUERY in the documents of the project, best match first. Words must\n"
  "all appear; \"quoted words\" must appear together; word* matches words that\n"
  "start with it.\n";

static const char *document_usage =
  "Usage: workroom-cli document list --project ID [--json]\n"
  "       workroom-cli document delete ID\n"
  "\n"
  "Add documents with “workroom-cli import FILE --project ID”.\n";

static JsonNode *
hit_json (WrKnowledgeHit *hit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *plain = wr_knowledge_snippet_replace (hit->snippet, "", "");
  g_autofree char *marked = wr_knowledge_snippet_replace (hit->snippet, "[", "]");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "document_id");
  json_builder_add_string_value (builder, hit->document_id);
  json_builder_set_member_name (builder, "document_name");
  json_builder_add_string_value (builder, hit->document_name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, hit->kind);
  json_builder_set_member_name (builder, "chunk_id");
  json_builder_add_int_value (builder, hit->chunk_id);
  json_builder_set_member_name (builder, "locator_kind");
  json_builder_add_string_value (builder, hit->locator_kind);
  json_builder_set_member_name (builder, "locator");
  json_builder_add_int_value (builder, hit->locator);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, hit->title);
  json_builder_set_member_name (builder, "snippet");
  json_builder_add_string_value (builder, plain);
  json_builder_set_member_name (builder, "snippet_marked");
  json_builder_add_string_value (builder, marked);
  json_builder_set_member_name (builder, "score");
  json_builder_add_double_value (builder, hit->score);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
document_json (WrDocumentInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = wr_format_time (info->created_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, info->id);
  json_builder_set_member_name (builder, "project_id");
  json_builder_add_string_value (builder, info->project_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, info->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, info->kind);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, info->status);
  json_builder_set_member_name (builder, "error");
  if (info->error != NULL)
    json_builder_add_string_value (builder, info->error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "units");
  if (info->units >= 0)
    json_builder_add_int_value (builder, info->units);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "chunks");
  json_builder_add_int_value (builder, info->chunks);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, info->size);
  json_builder_set_member_name (builder, "source_path");
  if (info->source_path != NULL)
    json_builder_add_string_value (builder, info->source_path);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

typedef struct
{
  gboolean   done;
  GPtrArray *hits;
  GError    *error;
} SearchWait;

static void
on_retrieved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SearchWait *w = user_data;

  w->hits = wr_knowledge_retrieve_finish (WR_CHAT_SERVICE (object), result, &w->error);
  w->done = TRUE;
}

/* The project, or NULL after printing why. */
static WrProject *
lookup_project (WrStore    *store,
                const char *project_id)
{
  g_autoptr(GError) error = NULL;
  WrProject *project = wr_store_get_project (store, project_id, &error);

  if (project == NULL)
    wr_cli_fail_error (error);

  return project;
}

int
wr_cli_cmd_search (WrCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *project_id = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  int limit = 10;
  gboolean tty;
  WrSession *session;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N hits (default 10)"), "N" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "QUERY", _("Search the documents of a project."), entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (search_usage);
  if (project_id == NULL)
    {
      wr_cli_fail (_("search needs --project ID."));
      return WR_CLI_EXIT_USAGE;
    }
  if (limit < 1 || limit > 1000)
    {
      wr_cli_fail (_("--limit must be between 1 and 1000."));
      return WR_CLI_EXIT_USAGE;
    }

  query = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (query, -1, NULL))
    return wr_cli_fail (_("The query is not valid UTF-8 text."));

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  project = lookup_project (wr_session_get_store (session), project_id);
  if (project == NULL)
    return WR_CLI_EXIT_FAILURE;

  /* Retrieval: hybrid when a search model is set and the project is
   * indexed, full-text otherwise (and when embedding the query fails). */
  {
    SearchWait w = { 0 };

    wr_knowledge_retrieve_async (wr_session_get_chat_service (session), project_id, query, limit,
                                 NULL, on_retrieved_cb, &w);
    wr_cli_iterate_until (&w.done);
    hits = w.hits;
    if (hits == NULL)
      {
        wr_cli_fail_error (w.error);
        g_clear_error (&w.error);
        return WR_CLI_EXIT_FAILURE;
      }
  }

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < hits->len; i++)
        json_array_add_element (array, hit_json (g_ptr_array_index (hits, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  if (hits->len == 0)
    {
      fprintf (stderr, "%s\n", _("No matches. Try fewer or shorter words, or word* for words that start with it."));
      return 0;
    }

  tty = isatty (STDOUT_FILENO);
  for (guint i = 0; i < hits->len; i++)
    {
      WrKnowledgeHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *where = wr_knowledge_format_locator (hit->locator_kind, hit->locator);
      g_autofree char *snippet = wr_knowledge_snippet_replace (hit->snippet,
                                                               tty ? "\033[1m" : "",
                                                               tty ? "\033[0m" : "");

      g_strdelimit (snippet, "\r\n\t", ' ');
      if (hit->title[0] != '\0')
        printf ("%s — %s: %s\n", hit->document_name, where, hit->title);
      else
        printf ("%s — %s\n", hit->document_name, where);
      printf ("    %s\n", snippet);
    }

  return 0;
}

static int
document_list (WrCli      *cli,
               const char *project_id)
{
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  project = lookup_project (wr_session_get_store (session), project_id);
  if (project == NULL)
    return WR_CLI_EXIT_FAILURE;

  documents = wr_document_list (wr_session_get_store (session), project_id, &error);
  if (documents == NULL)
    return wr_cli_fail_error (error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < documents->len; i++)
        json_array_add_element (array, document_json (g_ptr_array_index (documents, i)));
      json_node_set_array (node, array);
      wr_cli_print_json (node);
      return 0;
    }

  for (guint i = 0; i < documents->len; i++)
    {
      WrDocumentInfo *info = g_ptr_array_index (documents, i);

      printf ("%s\t%s\t%s\t%s\n", info->id, info->kind, info->status, info->name);
      if (info->error != NULL)
        printf ("\t%s\n", info->error);
    }

  return 0;
}

int
wr_cli_cmd_document (WrCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *project_id = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "list|delete ...", _("List or delete the documents of a project."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc < 2)
    return wr_cli_usage (document_usage);

  if (g_str_equal (argv[1], "list") && argc == 2)
    {
      if (project_id == NULL)
        {
          wr_cli_fail (_("document list needs --project ID."));
          return WR_CLI_EXIT_USAGE;
        }
      return document_list (cli, project_id);
    }

  if (g_str_equal (argv[1], "delete") && argc == 3)
    {
      g_autoptr(GError) error = NULL;
      WrSession *session = wr_cli_session (cli);

      if (session == NULL)
        return WR_CLI_EXIT_FAILURE;
      if (!wr_document_delete (wr_session_get_store (session), argv[2], &error))
        return wr_cli_fail_error (error);
      return 0;
    }

  return wr_cli_usage (document_usage);
}
