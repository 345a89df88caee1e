/* wr-cli-private.h — shared by the workroom-cli command files. */
#pragma once

#include <json-glib/json-glib.h>

#include "workroom.h"

G_BEGIN_DECLS

typedef struct
{
  char      *data_dir;   /* from --data-dir, nullable */
  gboolean   json;       /* --json */
  WrSession *session;    /* opened lazily by wr_cli_session() */
} WrCli;

/* Exit statuses: 0 ok, 1 failure, 2 usage, 3 refused by the plan (model
 * not included, daily token limit reached, not enough credits), 130
 * interrupted (Ctrl-C). */
#define WR_CLI_EXIT_FAILURE 1
#define WR_CLI_EXIT_USAGE   2
#define WR_CLI_EXIT_REFUSED 3
#define WR_CLI_EXIT_INTERRUPTED 130

/* Parses the command's own options plus the global ones (which may appear
 * anywhere); leaves positional arguments in argc and argv (argv[0] is the
 * command). Prints the error and returns FALSE on bad usage. */
gboolean    wr_cli_parse         (WrCli         *cli,
                                  const char    *usage,
                                  const char    *summary,
                                  GOptionEntry  *entries,
                                  int           *argc,
                                  char        ***argv);
WrSession  *wr_cli_session       (WrCli         *cli);
int         wr_cli_fail          (const char    *format,
                                  ...) G_GNUC_PRINTF (1, 2);
int         wr_cli_fail_error    (const GError  *error);
int         wr_cli_usage         (const char    *usage);
void        wr_cli_print_json    (JsonNode      *node);
JsonNode   *wr_cli_project_json  (WrProject     *project);
JsonNode   *wr_cli_chat_json     (WrChat        *chat);
JsonNode   *wr_cli_message_json  (WrMessage     *message);
JsonNode   *wr_cli_provider_json (WrProvider    *provider);
/* Runs a main loop until *done is TRUE. */
void        wr_cli_iterate_until (gboolean      *done);

int         wr_cli_cmd_project   (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_chat      (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_provider  (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_models    (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_usage     (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_credits   (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_plan      (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_humanize  (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_template  (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_search    (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_knowledge (WrCli *cli, int argc, char **argv);
/* wr-cli-knowledge.c: models embeddings|vision [set MODEL|none]. */
int         wr_cli_models_set_role (WrCli *cli, int argc, char **argv, const char *provider_name);
int         wr_cli_cmd_document  (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_import    (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_dataset   (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_chart     (WrCli *cli, int argc, char **argv);
int         wr_cli_cmd_artifact  (WrCli *cli, int argc, char **argv);

/* wr-cli-datasets.c: a dataset (data/wr-dataset.h) as JSON (transfer full). */
struct _WrDatasetInfo;
JsonNode   *wr_cli_dataset_json  (struct _WrDatasetInfo *info);

/* wr-cli-artifacts.c: an artifact's metadata as JSON (transfer full). */
struct _WrArtifact;
JsonNode   *wr_cli_artifact_json (struct _WrArtifact *artifact);

/* wr-cli-knowledge.c: indexes a project for hybrid search with the
 * profile's models (nothing configured: TRUE, nothing done). */
gboolean    wr_cli_index_project (WrCli       *cli,
                                  const char  *project_id,
                                  guint       *out_embedded,    /* nullable */
                                  guint       *out_described,   /* nullable */
                                  GError     **error);

G_END_DECLS
