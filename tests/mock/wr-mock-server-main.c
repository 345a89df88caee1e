/* wr-mock-server-main.c — the mock OpenAI server as a program, for the CLI
 * and GUI tests.
 *
 *   wr-mock-server [--port N] [--api-key KEY] [--chunk-delay MS]
 *
 * Prints its base URL ("http://127.0.0.1:PORT/v1") as line 1 of stdout,
 * then serves until SIGTERM/SIGINT, or until stdin is closed when stdin is
 * a pipe or socket (so a parent that dies takes the server with it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib-unix.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wr-mock-server.h"

static gboolean
on_quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stdin_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  char buf[256];
  ssize_t n = 0;

  if (condition & G_IO_IN)
    n = read (fd, buf, sizeof buf);

  if (n > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrMockServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *api_key = NULL;
  int port = 0;
  int chunk_delay = -1;
  struct stat st;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (default: any free port)", "N" },
    { "api-key", 'k', 0, G_OPTION_ARG_STRING, &api_key, "Require this API key (Bearer)", "KEY" },
    { "chunk-delay", 0, 0, G_OPTION_ARG_INT, &chunk_delay, "Milliseconds between streamed chunks (default 5)", "MS" },
    { NULL }
  };

  context = g_option_context_new ("— OpenAI-compatible mock server for Workroom tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("wr-mock-server: %s\n", error->message);
      return 2;
    }

  if (port < 0 || port > 65535)
    {
      g_printerr ("wr-mock-server: invalid port %d\n", port);
      return 2;
    }

  server = wr_mock_server_new_on_port (port, &error);
  if (server == NULL)
    {
      g_printerr ("wr-mock-server: cannot listen: %s\n", error->message);
      return 1;
    }
  wr_mock_server_set_api_key (server, api_key);
  if (chunk_delay >= 0)
    wr_mock_server_set_chunk_delay (server, chunk_delay);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_cb, loop);
  g_unix_signal_add (SIGINT, on_quit_cb, loop);

  /* Only a pipe or socket on stdin means "a parent is watching"; /dev/null
   * or a terminal would end the server at once or on a stray Ctrl-D. */
  if (fstat (STDIN_FILENO, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin_cb, loop);

  printf ("%s\n", wr_mock_server_get_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  return 0;
}
