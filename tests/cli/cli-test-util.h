/* cli-test-util.h — what the workroom-cli end-to-end tests share: a data
 * directory in a temporary folder, the standalone mock server as a child
 * process, and running the real binary (WR_CLI) with --data-dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  char        *data_dir;
  GSubprocess *mock;      /* nullable: a test may stop it early */
  char        *mock_url;
} CliFixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static inline void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static inline const char *
cli_path (void)
{
  const char *path = g_getenv ("WR_CLI");
  g_assert_nonnull (path);
  return path;
}

static inline void
cli_fixture_setup (CliFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  const char *mock_path = g_getenv ("WR_MOCK_SERVER");

  fixture->data_dir = g_dir_make_tmp ("wr-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_nonnull (mock_path);
  fixture->mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                    &error, mock_path, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->mock));
  fixture->mock_url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fixture->mock_url, "http://127.0.0.1:"));
}

/* Stops the mock server; later calls do nothing. */
static inline void
cli_stop_mock (CliFixture *fixture)
{
  if (fixture->mock == NULL)
    return;
  g_subprocess_force_exit (fixture->mock);
  g_subprocess_wait (fixture->mock, NULL, NULL);
  g_clear_object (&fixture->mock);
}

static inline void
cli_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
          cli_remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

static inline void
cli_fixture_teardown (CliFixture    *fixture,
                      gconstpointer  data)
{
  cli_stop_mock (fixture);
  cli_remove_tree (fixture->data_dir);
  g_free (fixture->data_dir);
  g_free (fixture->mock_url);
}

/* Runs workroom-cli --data-dir DIR and the NULL-terminated arguments;
 * @env_extra (nullable) are "NAME=VALUE" pairs added to the environment;
 * @input (nullable) goes to stdin, which is closed either way. */
G_GNUC_NULL_TERMINATED static inline CliResult
cli_run_full (CliFixture         *fixture,
              const char * const *env_extra,
              const char         *input,
              const char         *first,
              ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CliResult result = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);

  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env_extra[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);

  result.status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return result;
}

#define cli_run(fixture, ...) cli_run_full (fixture, NULL, NULL, __VA_ARGS__, NULL)

static inline JsonNode *
cli_parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Returns the new project's id (transfer full). */
static inline char *
cli_create_project (CliFixture *fixture,
                    const char *name)
{
  g_auto(CliResult) result = cli_run (fixture, "project", "create", name);

  g_assert_cmpint (result.status, ==, 0);
  g_strchomp (result.out);
  g_assert_cmpuint (strlen (result.out), ==, 32);
  return g_strdup (result.out);
}

/* Adds an OpenAI-compatible provider; @key (nullable) goes in through
 * --api-key-stdin. Returns its id (transfer full). */
static inline char *
cli_add_provider (CliFixture *fixture,
                  const char *name,
                  const char *base_url,
                  const char *default_model,
                  const char *key)
{
  g_auto(CliResult) result = cli_run_full (fixture, NULL, key,
                                           "provider", "add", name,
                                           "--base-url", base_url,
                                           "--default-model", default_model,
                                           key != NULL ? "--api-key-stdin" : NULL, NULL);

  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  return g_strdup (g_strchomp (result.out));
}

/* The mock server as a provider whose default model is mock-echo. */
static inline char *
cli_add_mock_provider (CliFixture *fixture,
                       const char *name,
                       const char *key)
{
  return cli_add_provider (fixture, name, fixture->mock_url, "mock-echo", key);
}
