/* test-store-processes.c — the store across processes: commits survive
 * kill -9, and two processes (GUI + CLI) write the same file at once.
 *
 * The binary runs itself as the writer: `test-store-processes --writer PATH
 * CHAT_ID COUNT TAG` adds COUNT messages (0 = until killed), each in its own
 * transaction, and prints each id on stdout once committed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "store-test-util.h"

static char *self_exe;

static int
run_writer (const char *path,
            const char *chat_id,
            guint64     count,
            const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = wr_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("writer %s: open: %s\n", tag, error->message);
      return 2;
    }

  for (guint64 i = 0; count == 0 || i < count; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, tag, i);
      g_autoptr(WrMessage) m = wr_message_new ("user", text);

      wr_message_set_chat_id (m, chat_id);
      if (!wr_store_add_message (store, m, &error))
        {
          g_printerr ("writer %s: message %" G_GUINT64_FORMAT ": %s (code %d)\n",
                      tag, i, error->message, error->code);
          return 3;
        }

      /* Reported only after the commit returned. */
      printf ("%s\n", wr_message_get_id (m));
      fflush (stdout);
    }

  return 0;
}

static GSubprocess *
spawn_writer (const char *path,
              const char *chat_id,
              guint       count,
              const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           self_exe, "--writer", path, chat_id, count_text, tag, NULL);
  g_assert_no_error (error);

  return proc;
}

static char *
make_chat_closed (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = wr_store_open (path, &error);
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrChat) chat = NULL;

  g_assert_no_error (error);
  project = wr_store_create_project (store, "Processes", &error);
  g_assert_no_error (error);
  chat = wr_store_create_chat (store, wr_project_get_id (project), "busy", &error);
  g_assert_no_error (error);

  return g_strdup (wr_chat_get_id (chat));
}

static void
test_crash_kill9 (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autofree char *chat_id = make_chat_closed (fixture->path);
  g_autoptr(GPtrArray) reported = g_ptr_array_new_with_free_func (g_free);
  const guint rounds = 3;

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *tag = g_strdup_printf ("r%u", round);
      g_autoptr(GSubprocess) proc = spawn_writer (fixture->path, chat_id, 0, tag);
      g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
      g_autoptr(GString) rest = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;
      guint seen = 0;
      char buf[4096];
      gssize n;

      /* Wait until the child has committed some, then kill it while it is
       * still writing (it never stops by itself). */
      while (seen < 200)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (line);
          g_assert_cmpint (strlen (line), ==, 32);
          g_ptr_array_add (reported, g_steal_pointer (&line));
          seen++;
        }

      g_subprocess_force_exit (proc);
      g_assert_true (g_subprocess_wait (proc, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (proc));
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

      /* Lines it reported before dying; a last line without newline was cut
       * mid-write and does not count. */
      while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, NULL, &error)) > 0)
        g_string_append_len (rest, buf, n);
      g_assert_no_error (error);
      lines = g_strsplit (rest->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
        g_ptr_array_add (reported, g_strdup (lines[i]));

      g_test_message ("round %u: %u commits reported before the kill", round, reported->len);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WrStore) store = wr_store_open (fixture->path, &error);
    g_autoptr(GPtrArray) list = NULL;

    g_assert_no_error (error);
    g_assert_true (wr_store_check_integrity (store, &error));
    g_assert_no_error (error);

    for (guint i = 0; i < reported->len; i++)
      {
        g_autoptr(WrMessage) m = wr_store_get_message (store, g_ptr_array_index (reported, i), &error);

        g_assert_no_error (error);
        g_assert_cmpstr (wr_message_get_chat_id (m), ==, chat_id);
      }

    list = wr_store_list_messages (store, chat_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, >=, reported->len);

    /* Still writable after the crashes. */
    {
      g_autoptr(WrMessage) m = wr_message_new ("user", "after");

      wr_message_set_chat_id (m, chat_id);
      g_assert_true (wr_store_add_message (store, m, &error));
      g_assert_no_error (error);
    }
  }
}

static void
test_two_processes (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autofree char *chat_id = make_chat_closed (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) cli_a = NULL;
  g_autoptr(GSubprocess) cli_b = NULL;
  g_autoptr(GBytes) out_a = NULL;
  g_autoptr(GBytes) out_b = NULL;
  g_autoptr(WrStore) gui = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint m = 400;

  /* The "GUI" keeps the store open and writes too while two "CLI"
   * processes write the same chat. */
  gui = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);

  cli_a = spawn_writer (fixture->path, chat_id, m, "A");
  cli_b = spawn_writer (fixture->path, chat_id, m, "B");

  for (guint i = 0; i < m; i++)
    {
      g_autofree char *text = g_strdup_printf ("G:%u", i);
      g_autoptr(WrMessage) msg = wr_message_new ("assistant", text);

      wr_message_set_chat_id (msg, chat_id);
      g_assert_true (wr_store_add_message (gui, msg, &error));
      g_assert_no_error (error);
    }

  g_assert_true (g_subprocess_communicate (cli_a, NULL, NULL, &out_a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (cli_b, NULL, NULL, &out_b, NULL, &error));
  g_assert_no_error (error);
  /* Exit status 0: not one BUSY (or other) error in either writer. */
  g_assert_true (g_subprocess_get_if_exited (cli_a));
  g_assert_cmpint (g_subprocess_get_exit_status (cli_a), ==, 0);
  g_assert_true (g_subprocess_get_if_exited (cli_b));
  g_assert_cmpint (g_subprocess_get_exit_status (cli_b), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (out_a), ==, m * 33);
  g_assert_cmpuint (g_bytes_get_size (out_b), ==, m * 33);

  list = wr_store_list_messages (gui, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3 * m);

  /* Every writer's messages are all there, in the order it wrote them. */
  for (guint i = 0; i < list->len; i++)
    {
      const char *content = wr_message_get_content (g_ptr_array_index (list, i));
      g_autofree char *who = g_strndup (content, 1);
      guint expected = GPOINTER_TO_UINT (g_hash_table_lookup (next, who));
      g_autofree char *want = g_strdup_printf ("%s:%u", who, expected);

      g_assert_cmpstr (content, ==, want);
      g_hash_table_replace (next, g_steal_pointer (&who), GUINT_TO_POINTER (expected + 1));
    }
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (next, "A")), ==, m);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (next, "B")), ==, m);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (next, "G")), ==, m);

  g_assert_true (wr_store_check_integrity (gui, &error));
  g_assert_no_error (error);
}

/* Two processes opening a brand-new file at the same moment: exactly one
 * runs the migrations, both end up with the same single profile. */
static void
test_two_processes_first_open (StoreFixture  *fixture,
                               gconstpointer  data)
{
  /* The race window is small: try it several times. */
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) a = NULL;
      g_autoptr(GSubprocess) b = NULL;
      g_autofree char *path = g_strdup_printf ("%s/first-open-%u.db", fixture->dir, round);
      sqlite3 *db;

      a = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe, "--open", path, NULL);
      g_assert_no_error (error);
      b = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe, "--open", path, NULL);
      g_assert_no_error (error);

      g_assert_true (g_subprocess_wait_check (a, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (b, NULL, &error));
      g_assert_no_error (error);

      db = store_test_raw_open (path);
      g_assert_cmpint (store_test_raw_int (db, "PRAGMA user_version", NULL), ==,
                       wr_store_get_latest_schema_version ());
      g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM profile", NULL), ==, 1);
      sqlite3_close (db);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 6 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2], argv[3], g_ascii_strtoull (argv[4], NULL, 10), argv[5]);

  if (argc == 3 && g_str_equal (argv[1], "--open"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WrStore) store = wr_store_open (argv[2], &error);

      if (store == NULL)
        g_printerr ("open: %s\n", error->message);
      return store != NULL ? 0 : 1;
    }

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_canonicalize_filename (argv[0], NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/processes/kill-9-mid-write", StoreFixture, NULL,
              store_fixture_setup_closed, test_crash_kill9, store_fixture_teardown);
  g_test_add ("/store/processes/concurrent-writers", StoreFixture, NULL,
              store_fixture_setup_closed, test_two_processes, store_fixture_teardown);
  g_test_add ("/store/processes/concurrent-first-open", StoreFixture, NULL,
              store_fixture_setup_closed, test_two_processes_first_open, store_fixture_teardown);

  return g_test_run ();
}
