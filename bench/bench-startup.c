/* bench-startup.c — cold start to first mapped window (ms) and idle RSS
 * (MB) of Workroom, measured in the same harness for GNOME Text Editor, and
 * printed as ratios (target: ≤ 1.0 for both).
 *
 * Run under an X server (./workroom.sh bench starts Xvfb): the harness
 * watches the root window for the first MapNotify of a top-level window,
 * then lets the app idle and reads its resident memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <X11/Xlib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#define RUNS 5
#define IDLE_SECONDS 3

typedef struct
{
  double start_ms;
  double rss_mb;
} Sample;

static double
read_rss_mb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;

  line = strstr (contents, "VmRSS:");
  if (line == NULL)
    return -1;

  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

static gboolean
measure_once (Display            *display,
              const char * const *argv,
              const char         *scratch,
              Sample             *sample)
{
  g_autofree char *home = g_build_filename (scratch, "home", NULL);
  g_autofree char *data = g_build_filename (scratch, "data", NULL);
  Window root = DefaultRootWindow (display);
  gint64 start, deadline;
  gboolean mapped = FALSE;
  pid_t pid;

  g_mkdir_with_parents (home, 0700);
  g_mkdir_with_parents (data, 0700);

  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, True);

  start = g_get_monotonic_time ();
  pid = fork ();
  if (pid == 0)
    {
      /* Same conditions for both apps: a fresh home, no accessibility
       * bus, the cairo renderer, memory settings. */
      g_setenv ("HOME", home, TRUE);
      g_setenv ("XDG_CONFIG_HOME", home, TRUE);
      g_setenv ("XDG_DATA_HOME", home, TRUE);
      g_setenv ("XDG_STATE_HOME", home, TRUE);
      g_setenv ("XDG_CACHE_HOME", home, TRUE);
      g_setenv ("WORKROOM_DATA_DIR", data, TRUE);
      g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
      g_setenv ("GTK_A11Y", "none", TRUE);
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
      g_setenv ("GDK_BACKEND", "x11", TRUE);
      execvp (argv[0], (char * const *) argv);
      _exit (127);
    }

  deadline = start + 20 * G_USEC_PER_SEC;
  while (!mapped && g_get_monotonic_time () < deadline)
    {
      while (XPending (display))
        {
          XEvent event;

          XNextEvent (display, &event);
          if (event.type == MapNotify && !event.xmap.override_redirect)
            {
              mapped = TRUE;
              break;
            }
        }
      if (!mapped)
        g_usleep (500);
    }

  sample->start_ms = (g_get_monotonic_time () - start) / 1000.0;

  if (mapped)
    {
      sleep (IDLE_SECONDS);
      sample->rss_mb = read_rss_mb (pid);
    }

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  XSelectInput (display, root, NoEventMask);
  XSync (display, True);

  return mapped && sample->rss_mb > 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static gboolean
measure (Display            *display,
         const char         *name,
         const char * const *argv,
         Sample             *median)
{
  double starts[RUNS], rss[RUNS];
  int ok = 0;

  for (int i = 0; i < RUNS; i++)
    {
      g_autofree char *scratch = g_dir_make_tmp ("wr-bench-XXXXXX", NULL);
      g_autofree char *command = NULL;
      Sample sample = { 0 };

      if (measure_once (display, argv, scratch, &sample))
        {
          starts[ok] = sample.start_ms;
          rss[ok] = sample.rss_mb;
          ok++;
        }
      command = g_strdup_printf ("rm -rf '%s'", scratch);
      if (system (command) != 0)
        g_printerr ("could not remove %s\n", scratch);
    }

  if (ok == 0)
    {
      g_printerr ("%s: no window appeared\n", name);
      return FALSE;
    }

  qsort (starts, ok, sizeof (double), compare_double);
  qsort (rss, ok, sizeof (double), compare_double);
  median->start_ms = starts[ok / 2];
  median->rss_mb = rss[ok / 2];

  printf ("%s_start_to_window_ms: %.0f\n", name, median->start_ms);
  printf ("%s_idle_rss_mb: %.1f\n", name, median->rss_mb);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  const char *workroom = argc > 1 ? argv[1] : g_getenv ("WR_APP");
  const char *app_argv[] = { workroom, NULL };
  const char *gte_argv[] = { "gnome-text-editor", "--standalone", "--ignore-session", NULL };
  g_autofree char *gte = g_find_program_in_path ("gnome-text-editor");
  Display *display;
  Sample app = { 0 }, reference = { 0 };

  if (workroom == NULL)
    {
      g_printerr ("usage: bench-startup PATH-TO-workroom (under an X server)\n");
      return 2;
    }

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      g_printerr ("bench-startup needs an X server (run it with xvfb-run)\n");
      return 77;
    }

  if (!measure (display, "workroom", app_argv, &app))
    return 1;

  if (gte == NULL)
    {
      printf ("gnome_text_editor: not installed (apt install gnome-text-editor for the ratio)\n");
      return 0;
    }

  if (!measure (display, "gnome_text_editor", gte_argv, &reference))
    return 1;

  printf ("start_ratio_vs_gnome_text_editor: %.2f\n", app.start_ms / reference.start_ms);
  printf ("idle_rss_ratio_vs_gnome_text_editor: %.2f\n", app.rss_mb / reference.rss_mb);

  XCloseDisplay (display);
  return 0;
}
