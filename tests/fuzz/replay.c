/* replay.c — runs a fuzz target's LLVMFuzzerTestOneInput() over saved
 * inputs, so the corpus and every crasher found so far are checked by the
 * ordinary test suite (gcc, no libFuzzer needed).
 *
 * Usage: fuzz-replay-TARGET PATH...   (files, or directories of files)
 * Fails when an input crashes, or when no input was found at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdlib.h>

#include "fuzz.h"

static guint n_run;

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);

  /* An exact-size copy, so ASan sees reads past the end of the input. */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, len);

    if (g_getenv ("FUZZ_REPLAY_VERBOSE") != NULL)
      g_printerr ("%s\n", path);
    LLVMFuzzerTestOneInput (copy, len);
  }
  n_run++;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
replay_dir (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    g_error ("%s", error->message);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] == '.' || g_str_equal (name, "README.md"))
        continue;
      g_ptr_array_add (files, g_build_filename (path, name, NULL));
    }
  g_ptr_array_sort (files, compare_paths);

  for (guint i = 0; i < files->len; i++)
    replay_file (g_ptr_array_index (files, i));
}

int
main (int   argc,
      char *argv[])
{
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        replay_dir (argv[i]);
      else if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
        replay_file (argv[i]);
      /* A target may have no regressions yet: a missing path is fine. */
    }

  if (n_run == 0)
    {
      g_printerr ("no inputs found\n");
      return EXIT_FAILURE;
    }

  g_print ("%u inputs replayed\n", n_run);
  return EXIT_SUCCESS;
}
