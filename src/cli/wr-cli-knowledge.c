/* wr-cli-knowledge.c — workroom-cli knowledge reindex (embeddings and
 * image descriptions for hybrid search) and models embeddings|vision set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <glib/gi18n.h>

#include "chat/wr-knowledge-indexer.h"
#include "wr-cli-private.h"

static const char *knowledge_usage =
  "Usage: workroom-cli knowledge reindex --project ID\n"
  "\n"
  "Embeds the project's passages that have no vector of the search model yet\n"
  "(see “workroom-cli models embeddings set MODEL”) and describes its images\n"
  "with the image description model (“models vision set MODEL”). Progress goes\n"
  "to standard error; stopping it keeps what was done.\n";

static const char *role_usage =
  "Usage: workroom-cli models embeddings [set MODEL|none] [--provider P]\n"
  "       workroom-cli models vision [set MODEL|none] [--provider P]\n"
  "\n"
  "The search model embeds document passages for hybrid search; the image\n"
  "description model describes imported images so search finds what they show.\n"
  "Without --provider the default provider answers.\n";

typedef struct
{
  gboolean done;
  guint    embedded;
  guint    described;
  GError  *error;
} ReindexWait;

static void
on_progress_cb (WrKnowledgeIndexer *indexer,
                const char         *project_id,
                guint               done,
                guint               total,
                gpointer            user_data)
{
  /* Translators: progress of indexing, e.g. "Indexing 120 of 400 passages…" */
  fprintf (stderr, _("Indexing %u of %u passages…"), done, total);
  fputc ('\n', stderr);
}

static void
reindex_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReindexWait *w = user_data;

  wr_knowledge_indexer_index_finish (WR_KNOWLEDGE_INDEXER (object), result,
                                     &w->embedded, &w->described, &w->error);
  w->done = TRUE;
}

/* Indexes @project_id with the profile's models (progress on stderr).
 * FALSE with @error when indexing failed (a billing refusal keeps its
 * WR_BILLING_ERROR). Nothing configured: TRUE, nothing done. */
gboolean
wr_cli_index_project (WrCli       *cli,
                      const char  *project_id,
                      guint       *out_embedded,
                      guint       *out_described,
                      GError     **error)
{
  g_autoptr(WrProfile) profile = NULL;
  WrKnowledgeIndexer *indexer;
  ReindexWait w = { 0 };
  WrSession *session = wr_cli_session (cli);

  g_return_val_if_fail (session != NULL, FALSE);

  profile = wr_store_get_profile (wr_session_get_store (session), error);
  if (profile == NULL)
    return FALSE;
  if (wr_profile_get_embeddings_model (profile) == NULL && wr_profile_get_vision_model (profile) == NULL)
    return TRUE;

  indexer = wr_knowledge_indexer_get_default (wr_session_get_chat_service (session));
  g_signal_connect (indexer, "progress", G_CALLBACK (on_progress_cb), NULL);
  wr_knowledge_indexer_index_async (indexer, project_id, NULL, reindex_cb, &w);
  wr_cli_iterate_until (&w.done);
  g_signal_handlers_disconnect_by_func (indexer, on_progress_cb, NULL);

  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  if (out_embedded != NULL)
    *out_embedded = w.embedded;
  if (out_described != NULL)
    *out_described = w.described;
  return TRUE;
}

static int
knowledge_reindex (WrCli      *cli,
                   const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrProfile) profile = NULL;
  ReindexWait w = { 0 };
  WrSession *session = wr_cli_session (cli);

  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;

  project = wr_store_get_project (wr_session_get_store (session), project_id, &error);
  if (project == NULL)
    return wr_cli_fail_error (error);
  profile = wr_store_get_profile (wr_session_get_store (session), &error);
  if (profile == NULL)
    return wr_cli_fail_error (error);
  if (wr_profile_get_embeddings_model (profile) == NULL && wr_profile_get_vision_model (profile) == NULL)
    return wr_cli_fail (_("No search model is set, so there is nothing to index. "
                          "Choose one with “workroom-cli models embeddings set MODEL”."));

  if (!wr_cli_index_project (cli, project_id, &w.embedded, &w.described, &error))
    {
      int status = error->domain == WR_BILLING_ERROR ? WR_CLI_EXIT_REFUSED : WR_CLI_EXIT_FAILURE;

      wr_cli_fail_error (error);
      return status;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "project_id");
      json_builder_add_string_value (builder, project_id);
      json_builder_set_member_name (builder, "embedded");
      json_builder_add_int_value (builder, w.embedded);
      json_builder_set_member_name (builder, "described");
      json_builder_add_int_value (builder, w.described);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      wr_cli_print_json (node);
      return 0;
    }

  /* Translators: first %u passages embedded, second %u images described. */
  printf (_("Indexed: %u passages embedded, %u images described."), w.embedded, w.described);
  putchar ('\n');
  return 0;
}

int
wr_cli_cmd_knowledge (WrCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *project_id = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project_id, N_("Project id"), "ID" },
    { NULL }
  };

  if (!wr_cli_parse (cli, "reindex", _("Index a project's documents for hybrid search."),
                     entries, &argc, &argv))
    return WR_CLI_EXIT_USAGE;

  if (argc != 2 || !g_str_equal (argv[1], "reindex"))
    return wr_cli_usage (knowledge_usage);
  if (project_id == NULL)
    {
      wr_cli_fail (_("knowledge reindex needs --project ID."));
      return WR_CLI_EXIT_USAGE;
    }

  return knowledge_reindex (cli, project_id);
}

int
wr_cli_models_set_role (WrCli        *cli,
                        int           argc,
                        char        **argv,
                        const char   *provider_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProfile) profile = NULL;
  gboolean vision = g_str_equal (argv[1], "vision");
  const char *model;
  const char *provider_id = NULL;
  WrSession *session;

  if (!(argc == 2 || (argc == 4 && g_str_equal (argv[2], "set"))))
    return wr_cli_usage (role_usage);

  session = wr_cli_session (cli);
  if (session == NULL)
    return WR_CLI_EXIT_FAILURE;
  profile = wr_store_get_profile (wr_session_get_store (session), &error);
  if (profile == NULL)
    return wr_cli_fail_error (error);

  if (argc == 4)
    {
      model = g_str_equal (argv[3], "none") ? NULL : argv[3];
      if (provider_name != NULL && model != NULL)
        {
          WrProvider *provider = wr_provider_registry_lookup (wr_session_get_providers (session),
                                                              provider_name);

          if (provider == NULL)
            return wr_cli_fail (_("No provider “%s”. See “workroom-cli provider list”."), provider_name);
          provider_id = wr_provider_get_id (provider);
        }
      if (vision)
        {
          wr_profile_set_vision_model (profile, model);
          wr_profile_set_vision_provider_id (profile, provider_id);
        }
      else
        {
          wr_profile_set_embeddings_model (profile, model);
          wr_profile_set_embeddings_provider_id (profile, provider_id);
        }
      if (!wr_store_save_profile (wr_session_get_store (session), profile, &error))
        return wr_cli_fail_error (error);
    }

  model = vision ? wr_profile_get_vision_model (profile) : wr_profile_get_embeddings_model (profile);
  provider_id = vision ? wr_profile_get_vision_provider_id (profile)
                       : wr_profile_get_embeddings_provider_id (profile);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, vision ? "vision" : "embeddings");
      json_builder_set_member_name (builder, "model");
      if (model != NULL)
        json_builder_add_string_value (builder, model);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "provider_id");
      if (provider_id != NULL)
        json_builder_add_string_value (builder, provider_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      wr_cli_print_json (node);
      return 0;
    }

  if (model == NULL)
    puts (vision ? _("Image description model: none (images are searched by their text only).")
                 : _("Search model: none (full-text search only)."));
  else if (vision)
    /* Translators: %s is a model name. */
    printf (_("Image description model: %s"), model), putchar ('\n');
  else
    /* Translators: %s is a model name. */
    printf (_("Search model: %s"), model), putchar ('\n');
  return 0;
}
