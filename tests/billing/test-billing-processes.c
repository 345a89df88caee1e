/* test-billing-processes.c — the credits ledger under several processes
 * writing one database file at once.
 *
 * The binary runs itself as the workers: `test-billing-processes --worker
 * PATH OPS SEED` does OPS random operations (mostly reserve + settle with
 * random amounts, some top-ups, some repeated settles) and prints what it
 * did on one line. Meanwhile the parent reads the ledger in snapshots and,
 * when $WR_CLI is set, tops up through workroom-cli too. Afterwards the
 * balance must equal both the ledger's sum and what the workers report,
 * and no prefix of the ledger may be negative.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing-test-util.h"

#define N_WORKERS     4
#define OPS_PER_WORKER 400
#define INITIAL       (5 * CREDIT)
#define CLI_TOPUPS    4
#define CLI_TOPUP     (CREDIT / 2)

static char *self_exe;

typedef struct {
  gint64 started;       /* g_get_monotonic_time(), shared by all processes */
  gint64 finished;
  gint64 topups;        /* micro-credits added */
  gint64 charged;       /* micro-credits finally charged by settled reservations */
  gint64 reserves;
  gint64 insufficient;
} WorkerReport;

static int
run_worker (const char *path,
            guint       ops,
            guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrStore) store = wr_store_open (path, &error);
  g_autoptr(WrBilling) billing = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  WorkerReport report = { 0 };

  if (store == NULL)
    {
      g_printerr ("worker %u: open: %s\n", seed, error->message);
      return 2;
    }
  billing = wr_billing_new (store);

  /* Start together: say ready, wait for the parent's go. */
  printf ("ready\n");
  fflush (stdout);
  {
    char go[16];

    if (fgets (go, sizeof go, stdin) == NULL)
      return 8;
  }
  report.started = g_get_monotonic_time ();

  for (guint i = 0; i < ops; i++)
    {
      g_autofree char *reservation = NULL;
      gint64 amount, actual, charged = -1, again = -1;

      /* ~30 % top-ups keep the balance hovering near zero, so refusals
       * and capped charges happen while others write. */
      if (g_rand_int_range (rand, 0, 10) < 3)
        {
          amount = g_rand_int_range (rand, 1, 3 * CREDIT);
          if (!wr_billing_topup (billing, amount, "topup", &error))
            {
              g_printerr ("worker %u: topup: %s\n", seed, error->message);
              return 3;
            }
          report.topups += amount;
          continue;
        }

      amount = g_rand_int_range (rand, 0, 2 * CREDIT);
      if (!wr_billing_reserve (billing, amount, "chat_usage", NULL, &reservation, &error))
        {
          if (g_error_matches (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INSUFFICIENT_CREDITS))
            {
              report.insufficient++;
              g_clear_error (&error);
              continue;
            }
          g_printerr ("worker %u: reserve: %s\n", seed, error->message);
          return 4;
        }
      report.reserves++;

      /* Sometimes less than reserved (refund), sometimes more (charge as
       * far as the balance goes). */
      actual = g_rand_int_range (rand, 0, (gint32) (2 * amount + 1));
      if (!wr_billing_settle (billing, reservation, actual, &charged, &error))
        {
          g_printerr ("worker %u: settle: %s\n", seed, error->message);
          return 5;
        }
      if (charged < MIN (actual, amount) || charged > actual)
        {
          g_printerr ("worker %u: charged %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT
                      " reserved, %" G_GINT64_FORMAT " used\n", seed, charged, amount, actual);
          return 6;
        }
      report.charged += charged;

      if (g_rand_int_range (rand, 0, 5) == 0)
        {
          if (!wr_billing_settle (billing, reservation, actual + CREDIT, &again, &error) ||
              again != charged)
            {
              g_printerr ("worker %u: second settle changed the charge\n", seed);
              return 7;
            }
        }
    }

  report.finished = g_get_monotonic_time ();
  printf ("started=%" G_GINT64_FORMAT " finished=%" G_GINT64_FORMAT " ", report.started, report.finished);
  printf ("topups=%" G_GINT64_FORMAT " charged=%" G_GINT64_FORMAT " reserves=%" G_GINT64_FORMAT
          " insufficient=%" G_GINT64_FORMAT "\n",
          report.topups, report.charged, report.reserves, report.insufficient);
  fflush (stdout);

  return 0;
}

static void
parse_report (const char   *line,
              WorkerReport *report)
{
  long long started, finished, topups, charged, reserves, insufficient;

  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "started=%lld finished=%lld topups=%lld charged=%lld "
                           "reserves=%lld insufficient=%lld",
                           &started, &finished, &topups, &charged, &reserves, &insufficient), ==, 6);
  report->started = started;
  report->finished = finished;
  report->topups = topups;
  report->charged = charged;
  report->reserves = reserves;
  report->insufficient = insufficient;
}

static GSubprocess *
spawn_cli_topup (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *amount = g_strdup_printf ("0.%06d", (int) CLI_TOPUP);
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           g_getenv ("WR_CLI"), "--data-dir", dir, "credits", "topup", amount, NULL);
  g_assert_no_error (error);

  return proc;
}

static void
test_processes (BillingFixture *fixture,
                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) clis = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 latest_start = G_MININT64, earliest_end = G_MAXINT64;
  WorkerReport total = { 0 };
  gboolean with_cli = g_getenv ("WR_CLI") != NULL && *g_getenv ("WR_CLI") != '\0';
  gint64 sum, min_prefix, cached, rows, expected;
  guint snapshots = 0;
  sqlite3 *db;

  g_assert_true (wr_billing_topup (fixture->billing, INITIAL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < N_WORKERS; i++)
    {
      g_autofree char *ops = g_strdup_printf ("%u", OPS_PER_WORKER);
      g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int () & 0x7fffffff);

      g_ptr_array_add (workers,
                       g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                                         self_exe, "--worker", fixture->path, ops, seed, NULL));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < workers->len; i++)
    {
      GSubprocess *proc = g_ptr_array_index (workers, i);
      GDataInputStream *in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
      g_autofree char *ready = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (ready, ==, "ready");
      g_ptr_array_add (inputs, in);
    }
  for (guint i = 0; i < workers->len; i++)
    {
      GOutputStream *out = g_subprocess_get_stdin_pipe (g_ptr_array_index (workers, i));

      g_assert_true (g_output_stream_write_all (out, "go\n", 3, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; with_cli && i < CLI_TOPUPS; i++)
    g_ptr_array_add (clis, spawn_cli_topup (fixture->dir));

  /* While they write: every snapshot the parent reads is consistent. */
  for (guint i = 0; i < workers->len; i++)
    {
      GSubprocess *proc = g_ptr_array_index (workers, i);
      GDataInputStream *in = g_ptr_array_index (inputs, i);
      g_autofree char *line = NULL;
      WorkerReport report;

      while (i == 0 && snapshots < 20)
        {
          g_assert_true (wr_billing_verify_ledger (fixture->billing, NULL, NULL, &error));
          g_assert_no_error (error);
          snapshots++;
          g_usleep (2000);
        }

      line = g_data_input_stream_read_line (in, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
      g_assert_no_error (error);
      parse_report (line, &report);
      g_test_message ("worker %u: %s", i, line);

      latest_start = MAX (latest_start, report.started);
      earliest_end = MIN (earliest_end, report.finished);
      total.topups += report.topups;
      total.charged += report.charged;
      total.reserves += report.reserves;
      total.insufficient += report.insufficient;
    }
  for (guint i = 0; i < clis->len; i++)
    {
      g_assert_true (g_subprocess_wait_check (g_ptr_array_index (clis, i), NULL, &error));
      g_assert_no_error (error);
    }

  /* They really ran at the same time: every worker started before any
   * finished. */
  g_test_message ("overlap of all %u workers: %" G_GINT64_FORMAT " us", N_WORKERS,
                  earliest_end - latest_start);
  g_assert_cmpint (latest_start, <, earliest_end);

  /* Every operation ran (none lost to lock contention). */
  g_assert_cmpint (total.reserves + total.insufficient, >, 0);
  g_assert_cmpint (total.reserves, >, N_WORKERS * OPS_PER_WORKER / 4);

  /* The cached balance is the ledger's sum, no prefix went negative… */
  g_assert_true (wr_billing_verify_ledger (fixture->billing, &sum, &min_prefix, &error));
  g_assert_no_error (error);
  billing_test_ledger_scan (fixture->path, &sum, &min_prefix, &cached, &rows);
  g_assert_cmpint (sum, ==, cached);
  g_assert_cmpint (min_prefix, >=, 0);
  g_assert_cmpint (cached, >=, 0);

  /* …and both agree with what the processes say they did. */
  expected = INITIAL + total.topups + (gint64) clis->len * CLI_TOPUP - total.charged;
  g_assert_cmpint (cached, ==, expected);

  db = billing_test_raw_open (fixture->path);
  g_assert_cmpint (billing_test_raw_int (db, "SELECT count(*) FROM credit_reservations"),
                   ==, total.reserves);
  g_assert_cmpint (billing_test_raw_int (db, "SELECT count(*) FROM credit_reservations "
                                             "WHERE settled_at IS NULL"), ==, 0);
  g_assert_cmpint (billing_test_raw_int (db, "SELECT COALESCE(SUM(settled_amount), 0) "
                                             "FROM credit_reservations"), ==, total.charged);
  sqlite3_close (db);

  g_test_message ("%" G_GINT64_FORMAT " reserve+settle, %" G_GINT64_FORMAT " refused, %"
                  G_GINT64_FORMAT " ledger rows, %u CLI top-ups, %u snapshots; balance %"
                  G_GINT64_FORMAT, total.reserves, total.insufficient, rows, clis->len,
                  snapshots, cached);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], "--worker"))
    return run_worker (argv[2], (guint) atoi (argv[3]), (guint32) strtoul (argv[4], NULL, 10));

  self_exe = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/billing/credits/processes", BillingFixture, NULL,
              billing_fixture_setup, test_processes, billing_fixture_teardown);

  return g_test_run ();
}
