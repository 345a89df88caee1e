/* test-data-view.c — the Data page driven like a user would, against a real
 * store: import a CSV and see its columns and rows, a 200,000-row dataset
 * scrolled to its end (only the pages needed are read, memory stays
 * bounded), an import cancelled, a bad file, a dataset deleted, sorting by
 * a column header (ascending, descending, file order), the filter and a
 * column condition with the status line, Column Statistics, and a large
 * dataset sorted while the table scrolls (frame and jump timings). Needs a
 * display (run the gui suite under xvfb-run). With WR_SCREENSHOT_DIR set,
 * saves PNGs of the page in light and dark style. */
#include <adwaita.h>
#include <string.h>

#include "workroom.h"
#include "data/wr-dataset.h"
#include "wr-data-view.h"
#include "wr-data-view-private.h"
#include "wr-dataset-row.h"
#include "wr-column-header.h"
#include "gui-test-util.h"

#define BIG_ROWS 200000

typedef struct {
  char       *dir;
  WrSession  *session;
  WrProject  *project;
  GtkWidget  *window;
  WrDataView *view;
} Fixture;

static gboolean
list_idle (gpointer data)
{
  Fixture *f = data;

  return !_wr_data_view_get_loading (f->view) && !_wr_data_view_get_importing (f->view);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wr-test-data-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  f->project = wr_store_create_project (wr_session_get_store (f->session), "Figures", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 640);
  f->view = WR_DATA_VIEW (wr_data_view_new (f->session));
  g_assert_cmpstr (_wr_data_view_get_page (f->view), ==, "no-project");
  wr_data_view_set_project (f->view, f->project);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));

  g_assert_true (gui_test_wait_for (list_idle, f, 10000));
  g_assert_cmpstr (_wr_data_view_get_page (f->view), ==, "empty");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (gtk_window_get_toplevels (), 0);
      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* Helpers ---------------------------------------------------------------- */

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* id,name,value,flag,day,c5..c9 */
static GFile *
write_big_csv (Fixture    *f,
               const char *name,
               guint       n_rows)
{
  g_autoptr(GString) csv = g_string_new ("id,name,value,flag,day,c5,c6,c7,c8,c9\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (csv, "%u,row %u,%u.5,%s,2024-01-%02u,%u,%u,%u,%u,%u\n",
                            i, i, i, i % 2 ? "true" : "false", i % 28 + 1,
                            i * 2, i * 3, i * 5, i * 7, i % 11);
  return write_file (f, name, csv->str, csv->len);
}

/* A GtkLabel under @widget showing @text, or NULL. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  Fixture    *f;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return find_label (GTK_WIDGET (wait->f->view), wait->text) != NULL;
}

static gboolean
rows_idle (gpointer data)
{
  Fixture *f = data;
  WrDatasetRowsModel *rows = _wr_data_view_get_rows_model (f->view);

  return rows != NULL && !wr_dataset_rows_model_get_busy (rows)
         && wr_dataset_rows_model_get_n_fetched (rows) > 0;
}

static char *
cell (Fixture *f,
      guint    position,
      guint    column)
{
  g_autoptr(WrDatasetRow) row = g_list_model_get_item (G_LIST_MODEL (_wr_data_view_get_rows_model (f->view)),
                                                       position);

  g_assert_nonnull (row);
  g_assert_true (wr_dataset_row_get_loaded (row));
  return wr_dataset_row_dup_cell (row, column);
}

static char *
column_title (Fixture *f,
              guint    index)
{
  GListModel *columns = gtk_column_view_get_columns (_wr_data_view_get_column_view (f->view));
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, index);

  return g_strdup (gtk_column_view_column_get_title (column));
}

static void
import_and_wait (Fixture *f,
                 GFile   *file,
                 guint    timeout_ms)
{
  _wr_data_view_import_file (f->view, file);
  g_assert_true (_wr_data_view_get_importing (f->view));
  g_assert_true (gui_test_wait_for (list_idle, f, timeout_ms));
}

/* Tests ------------------------------------------------------------------ */

static void
test_import_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "people.csv",
                                      "name,age,score\nAda,36,1.5\nGrace,45,2.25\nLinus,,3\n", -1);
  WrDatasetInfo *info;
  GListModel *columns;
  LabelWait wait = { f, "Grace" };
  GtkLabel *label;

  import_and_wait (f, file, 20000);
  g_assert_null (_wr_data_view_get_error (f->view));
  g_assert_cmpuint (_wr_data_view_get_n_progress (f->view), >=, 1);
  g_assert_cmpfloat (_wr_data_view_get_progress (f->view), >, 0.99);

  /* The dataset is listed and selected. */
  g_assert_cmpstr (_wr_data_view_get_page (f->view), ==, "data");
  g_assert_cmpuint (_wr_data_view_get_datasets (f->view)->len, ==, 1);
  info = g_ptr_array_index (_wr_data_view_get_datasets (f->view), 0);
  g_assert_cmpstr (info->name, ==, "people.csv");
  g_assert_cmpint (info->row_count, ==, 3);
  g_assert_cmpstr (_wr_data_view_get_selected_id (f->view), ==, info->id);
  wait.text = "3 rows · 3 columns";
  g_assert_true (gui_test_wait_for (label_shown, &wait, 5000));

  /* One column per dataset column, with its type. */
  columns = gtk_column_view_get_columns (_wr_data_view_get_column_view (f->view));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 3);
  {
    g_autofree char *name = column_title (f, 0);
    g_autofree char *age = column_title (f, 1);
    g_autofree char *score = column_title (f, 2);

    g_assert_cmpstr (name, ==, "name · text");
    g_assert_cmpstr (age, ==, "age · integer");
    g_assert_cmpstr (score, ==, "score · number");
  }

  /* The first rows arrive and are shown; numbers are right-aligned. */
  g_assert_true (gui_test_wait_for (rows_idle, f, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_wr_data_view_get_rows_model (f->view))), ==, 3);
  {
    g_autofree char *ada = cell (f, 0, 0);
    g_autofree char *age = cell (f, 0, 1);
    g_autofree char *empty = cell (f, 2, 1);
    g_autofree char *score = cell (f, 1, 2);

    g_assert_cmpstr (ada, ==, "Ada");
    g_assert_cmpstr (age, ==, "36");
    g_assert_cmpstr (empty, ==, "");
    g_assert_cmpstr (score, ==, "2.25");
  }
  wait.text = "Grace";
  g_assert_true (gui_test_wait_for (label_shown, &wait, 5000));
  label = find_label (GTK_WIDGET (_wr_data_view_get_column_view (f->view)), "45");
  g_assert_nonnull (label);
  g_assert_cmpfloat (gtk_label_get_xalign (label), ==, 1.0);
  label = find_label (GTK_WIDGET (_wr_data_view_get_column_view (f->view)), "Linus");
  g_assert_nonnull (label);
  g_assert_cmpfloat (gtk_label_get_xalign (label), ==, 0.0);

  gui_test_screenshot (f->window, "data-view");
}

static void
scroll_to (GtkAdjustment *adjustment,
           double         fraction)
{
  double upper = gtk_adjustment_get_upper (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);

  gtk_adjustment_set_value (adjustment, (upper - page) * fraction);
}

static void
test_large_dataset (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_big_csv (f, "big.csv", BIG_ROWS);
  GtkAdjustment *adjustment;
  WrDatasetRowsModel *rows;
  LabelWait wait = { f, "row 199999" };
  gint64 start = g_get_monotonic_time ();
  gint64 until;
  guint fetched_before;

  import_and_wait (f, file, 120000);
  g_test_message ("imported %d rows in %.1f s, %u progress reports", BIG_ROWS,
                  (g_get_monotonic_time () - start) / 1e6, _wr_data_view_get_n_progress (f->view));
  g_assert_null (_wr_data_view_get_error (f->view));
  g_assert_cmpuint (_wr_data_view_get_n_progress (f->view), >=, 10);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (_wr_data_view_get_column_view (f->view))), ==, 10);

  /* The top of the table: one page read. */
  g_assert_true (gui_test_wait_for (rows_idle, f, 10000));
  rows = _wr_data_view_get_rows_model (f->view);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, BIG_ROWS);
  wait.text = "row 0";
  g_assert_true (gui_test_wait_for (label_shown, &wait, 5000));
  fetched_before = wr_dataset_rows_model_get_n_fetched (rows);
  g_assert_cmpuint (fetched_before, ==, 1);

  /* Straight to the end: only the last page(s) are read. */
  start = g_get_monotonic_time ();
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (_wr_data_view_get_column_view (f->view)));
  wait.text = "row 199999";
  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!label_shown (&wait) && g_get_monotonic_time () < until)
    {
      scroll_to (adjustment, 1.0);
      gui_test_wait_ms (50);
    }
  g_assert_true (label_shown (&wait));
  g_assert_true (gui_test_wait_for (rows_idle, f, 5000));
  g_test_message ("end shown after %.0f ms, %u pages read",
                  (g_get_monotonic_time () - start) / 1e3, wr_dataset_rows_model_get_n_fetched (rows));
  g_assert_cmpuint (wr_dataset_rows_model_get_n_fetched (rows), <=, fetched_before + 3);
  {
    g_autofree char *id = cell (f, BIG_ROWS - 1, 0);
    g_autofree char *value = cell (f, BIG_ROWS - 1, 2);
    g_autofree char *c8 = cell (f, BIG_ROWS - 1, 8);

    g_assert_cmpstr (id, ==, "199999");
    g_assert_cmpstr (value, ==, "199999.5");
    g_assert_cmpstr (c8, ==, "1399993");
  }
  wait.text = "1399993";
  g_assert_true (label_shown (&wait));

  /* Jumping around the table keeps only a few pages. */
  for (guint i = 0; i < 20; i++)
    {
      scroll_to (adjustment, i / 20.0);
      gui_test_wait_ms (30);
      g_assert_cmpuint (wr_dataset_rows_model_get_n_cached (rows), <=, WR_DATASET_ROWS_MAX_PAGES);
    }
  g_assert_true (gui_test_wait_for (rows_idle, f, 5000));
  g_assert_cmpuint (wr_dataset_rows_model_get_n_cached (rows), <=, WR_DATASET_ROWS_MAX_PAGES);
  g_test_message ("after jumping: %u pages read, %u held",
                  wr_dataset_rows_model_get_n_fetched (rows), wr_dataset_rows_model_get_n_cached (rows));

  gui_test_screenshot (f->window, "data-view-big");
}

/* Sort, filter, statistics ----------------------------------------------- */

static const char query_csv[] =
  "name,qty,price,when\n"
  "banana,10,1.5,2024-03-01\n"
  "Apple,2,,2023-12-31\n"
  "cherry,,0.25,1/2/2024\n"
  "apple,10,3,\n"
  "Eclair,-5,10,2024-01-15\n";

static gboolean
bar_idle (gpointer data)
{
  Fixture *f = data;

  return !wr_filter_bar_get_busy (_wr_data_view_get_filter_bar (f->view)) && rows_idle (f);
}

/* What a primary click on column @index's header does (GTK 4.8's
 * GtkColumnViewTitle: the view's sorter adds the column, toggling its
 * direction when it is already first). A synthesized event cannot carry
 * the button the title checks. */
static void
click_header (Fixture *f,
              guint    index)
{
  GtkColumnView *view = _wr_data_view_get_column_view (f->view);
  GtkColumnViewColumn *column = wr_column_header_find (view, index);
  gboolean descending = FALSE;
  int current = wr_column_header_get_sort (view, &descending);

  g_assert_nonnull (column);
  g_assert_nonnull (gtk_column_view_column_get_sorter (column));
  g_assert_nonnull (gtk_column_view_column_get_header_menu (column));
  gtk_column_view_sort_by_column (view, column,
                                  current == (int) index && !descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  g_assert_true (gui_test_wait_for (bar_idle, f, 10000));
}

static void
assert_first (Fixture    *f,
              const char *name)
{
  g_autofree char *text = cell (f, 0, 0);
  g_assert_cmpstr (text, ==, name);
}

static gboolean
stats_shown (gpointer data)
{
  Fixture *f = data;
  WrColumnStatsPopover *popover = wr_filter_bar_get_stats_popover (_wr_data_view_get_filter_bar (f->view));
  g_autofree char *text = popover != NULL ? wr_column_stats_popover_dup_text (popover) : NULL;

  return text != NULL && strstr (text, "Mean") != NULL;
}

static void
test_sort_filter_stats (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "fruit.csv", query_csv, -1);
  WrFilterBar *bar = _wr_data_view_get_filter_bar (f->view);
  GtkColumnView *column_view = _wr_data_view_get_column_view (f->view);
  WrDatasetRowsModel *rows;
  WrColumnStatsPopover *popover;
  g_autofree char *stats = NULL;
  LabelWait wait = { f, "2 of 5 rows" };
  gboolean descending;

  import_and_wait (f, file, 10000);
  g_assert_true (gui_test_wait_for (rows_idle, f, 5000));
  rows = _wr_data_view_get_rows_model (f->view);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpstr (wr_filter_bar_get_status (bar), ==, "5 rows");

  /* qty: click sorts ascending (numerically, the empty cell last), again descending, a third time file order. */
  click_header (f, 1);
  g_assert_cmpint (wr_filter_bar_get_sort (bar, &descending), ==, 1);
  g_assert_false (descending);
  assert_first (f, "Eclair");
  {
    g_autofree char *last = cell (f, 4, 0);
    g_assert_cmpstr (last, ==, "cherry");
  }
  g_assert_cmpstr (wr_filter_bar_get_status (bar), ==, "5 rows · sorted by qty");
  click_header (f, 1);
  g_assert_cmpint (wr_filter_bar_get_sort (bar, &descending), ==, 1);
  g_assert_true (descending);
  assert_first (f, "banana");
  {
    g_autofree char *second = cell (f, 1, 0);
    g_assert_cmpstr (second, ==, "apple");   /* ties keep file order */
  }
  click_header (f, 1);
  g_assert_cmpint (wr_filter_bar_get_sort (bar, NULL), ==, -1);
  g_assert_null (wr_dataset_rows_model_get_result (rows));
  assert_first (f, "banana");

  /* The name column sorts as text, without case. */
  click_header (f, 0);
  assert_first (f, "Apple");

  /* Typing in the filter: after the delay, 2 of 5 rows, said in the status line. */
  gtk_widget_activate_action (GTK_WIDGET (column_view), "table.clear-sort", NULL);
  g_assert_true (gui_test_wait_for (bar_idle, f, 5000));
  wr_filter_bar_set_text (bar, "APP");
  g_assert_true (wr_filter_bar_get_busy (bar));
  g_assert_true (gui_test_wait_for (bar_idle, f, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 2);
  g_assert_cmpstr (wr_filter_bar_get_status (bar), ==, "2 of 5 rows");
  g_assert_true (gui_test_wait_for (label_shown, &wait, 5000));
  assert_first (f, "Apple");

  /* A column condition from the header menu's Filter… narrows it further. */
  gtk_widget_activate_action (GTK_WIDGET (column_view), "table.filter-column", "i", 1);
  wr_filter_bar_add_condition (bar, 1, WR_DATASET_OP_GREATER, "2");
  g_assert_true (gui_test_wait_for (bar_idle, f, 5000));
  g_assert_cmpstr (wr_filter_bar_get_status (bar), ==, "1 of 5 rows");
  assert_first (f, "apple");

  /* Sorting keeps the filter. */
  gtk_widget_activate_action (GTK_WIDGET (column_view), "table.sort-descending", "i", 2);
  g_assert_true (gui_test_wait_for (bar_idle, f, 5000));
  g_assert_cmpstr (wr_filter_bar_get_status (bar), ==, "1 of 5 rows · sorted by price, descending");
  wr_filter_bar_set_text (bar, "");
  g_assert_true (gui_test_wait_for (bar_idle, f, 5000));
  g_assert_cmpstr (wr_filter_bar_get_status (bar), ==, "2 of 5 rows · sorted by price, descending");
  assert_first (f, "apple");

  /* Column Statistics of qty, from the header menu. */
  gtk_widget_activate_action (GTK_WIDGET (column_view), "table.column-stats", "i", 1);
  g_assert_true (gui_test_wait_for (stats_shown, f, 10000));
  popover = wr_filter_bar_get_stats_popover (bar);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  stats = wr_column_stats_popover_dup_text (popover);
  g_test_message ("%s", stats);
  g_assert_nonnull (strstr (stats, "Rows: 5\n"));
  g_assert_nonnull (strstr (stats, "Empty: 1\n"));
  g_assert_nonnull (strstr (stats, "Distinct: 3\n"));
  g_assert_nonnull (strstr (stats, "Minimum: -5\n"));
  g_assert_nonnull (strstr (stats, "Maximum: 10\n"));
  g_assert_nonnull (strstr (stats, "Mean: 4.25\n"));
  g_assert_nonnull (strstr (stats, "Sum: 17\n"));
  gui_test_wait_ms (300);
  gui_test_screenshot (f->window, "data-view-query");
  gui_test_screenshot (GTK_WIDGET (popover), "data-view-column-stats");
  gtk_popover_popdown (GTK_POPOVER (popover));
}

typedef struct {
  gint64 last;
  gint64 worst;
  guint  n;
} FrameTimes;

static void
on_after_paint (GdkFrameClock *clock,
                FrameTimes    *frames)
{
  gint64 now = g_get_monotonic_time ();

  if (frames->last != 0)
    frames->worst = MAX (frames->worst, now - frames->last);
  frames->last = now;
  frames->n++;
}

/* Scrolls for @ms, a step every 16 ms (@jump: to random places, else
 * smoothly down); returns the longest main loop iteration (µs). */
static gint64
scroll_for (GtkAdjustment *adjustment,
            guint          ms,
            gboolean       jump,
            WrFilterBar   *while_busy)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  gint64 next = 0, worst = 0;

  while (g_get_monotonic_time () < until)
    {
      gint64 start = g_get_monotonic_time ();

      /* (GTK 4.8 warns when the adjustment moves before the view laid out
       * a model that just changed: stop when the sort lands.) */
      if (while_busy != NULL && !wr_filter_bar_get_busy (while_busy))
        break;
      if (start >= next)
        {
          if (jump)
            scroll_to (adjustment, g_random_double ());
          else
            gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 120);
          next = start + 16000;
        }
      g_main_context_iteration (NULL, FALSE);
      worst = MAX (worst, g_get_monotonic_time () - start);
    }
  return worst;
}

/* Jumps to 20 random places; reports the time until the rows on screen
 * are read. */
static void
measure_jumps (Fixture       *f,
               GtkAdjustment *adjustment,
               const char    *what)
{
  double worst_show = 0, sum = 0;
  gint64 worst_iteration = 0;

  for (guint i = 0; i < 20; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      scroll_to (adjustment, g_random_double ());
      worst_iteration = MAX (worst_iteration, scroll_for (adjustment, 1, FALSE, NULL));
      g_assert_true (gui_test_wait_for (rows_idle, f, 10000));
      ms = (g_get_monotonic_time () - t0) / 1e3;
      worst_show = MAX (worst_show, ms);
      sum += ms;
    }
  g_test_message ("jump, %s: rows shown after %.1f ms on average, %.1f ms at worst; longest iteration %.1f ms",
                  what, sum / 20, worst_show, worst_iteration / 1e3);
}

/* A large dataset sorted through its header: the table scrolls while the
 * sort runs, and rows show quickly after jumps in the sorted order.
 * WR_TEST_SORTED_ROWS sets the size (default 100,000; the figures in the
 * README are for 1,000,000). */
static void
test_sorted_scroll (Fixture       *f,
                    gconstpointer  data)
{
  const char *env = g_getenv ("WR_TEST_SORTED_ROWS");
  guint n_rows = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;
  g_autoptr(GFile) file = write_big_csv (f, "sorted.csv", n_rows);
  GtkColumnView *column_view;
  GtkAdjustment *adjustment;
  WrDatasetRowsModel *rows;
  GdkFrameClock *clock;
  FrameTimes frames = { 0 };
  gulong paint_id;
  gint64 start, worst_during_sort, worst_smooth;

  import_and_wait (f, file, 600000);
  g_assert_true (gui_test_wait_for (rows_idle, f, 10000));
  column_view = _wr_data_view_get_column_view (f->view);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  rows = _wr_data_view_get_rows_model (f->view);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (column_view));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &frames);

  /* File order first, for comparison. */
  worst_smooth = scroll_for (adjustment, 2000, FALSE, NULL);
  g_test_message ("smooth scroll, file order: %u frames, worst frame interval %.1f ms, longest iteration %.1f ms",
                  frames.n, frames.worst / 1e3, worst_smooth / 1e3);
  measure_jumps (f, adjustment, "file order");

  /* Sort by "value" descending; scroll while it runs. */
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (column_view), "table.sort-descending", "i", 2);
  g_assert_true (wr_filter_bar_get_busy (_wr_data_view_get_filter_bar (f->view)));
  worst_during_sort = 0;
  while (wr_filter_bar_get_busy (_wr_data_view_get_filter_bar (f->view)))
    worst_during_sort = MAX (worst_during_sort,
                             scroll_for (adjustment, 100, TRUE, _wr_data_view_get_filter_bar (f->view)));
  g_test_message ("sorted %u rows in %.2f s; longest main loop iteration meanwhile %.1f ms",
                  n_rows, (g_get_monotonic_time () - start) / 1e6, worst_during_sort / 1e3);
  g_assert_nonnull (wr_dataset_rows_model_get_result (rows));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, n_rows);

  /* Smooth scrolling through the sorted rows. */
  gui_test_wait_ms (200);
  scroll_to (adjustment, 0);
  g_assert_true (gui_test_wait_for (rows_idle, f, 10000));
  {
    g_autofree char *top = cell (f, 0, 2);
    g_autofree char *expected = g_strdup_printf ("%u.5", n_rows - 1);
    g_assert_cmpstr (top, ==, expected);
  }
  frames.last = 0;
  frames.worst = 0;
  frames.n = 0;
  worst_smooth = scroll_for (adjustment, 2000, FALSE, NULL);
  g_test_message ("smooth scroll, sorted: %u frames, worst frame interval %.1f ms, longest iteration %.1f ms",
                  frames.n, frames.worst / 1e3, worst_smooth / 1e3);

  measure_jumps (f, adjustment, "sorted");
  g_signal_handler_disconnect (clock, paint_id);

  /* The main loop never blocked on the sort or the reads. */
  g_assert_cmpint (worst_during_sort, <, 1000000);
  g_assert_cmpint (worst_smooth, <, 1000000);
}

static gboolean
has_progress (gpointer data)
{
  Fixture *f = data;

  return _wr_data_view_get_n_progress (f->view) > 0 || !_wr_data_view_get_importing (f->view);
}

static void
test_cancel_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_big_csv (f, "cancel.csv", BIG_ROWS);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  _wr_data_view_import_file (f->view, file);
  g_assert_true (_wr_data_view_get_importing (f->view));
  g_assert_true (gui_test_wait_for (has_progress, f, 30000));
  g_assert_true (_wr_data_view_get_importing (f->view));
  g_assert_cmpfloat (_wr_data_view_get_progress (f->view), <, 0.5);
  _wr_data_view_cancel_import (f->view);
  g_assert_true (gui_test_wait_for (list_idle, f, 30000));

  /* Nothing is left, and cancelling is not an error. */
  g_assert_null (_wr_data_view_get_error (f->view));
  g_assert_cmpuint (_wr_data_view_get_datasets (f->view)->len, ==, 0);
  g_assert_cmpstr (_wr_data_view_get_page (f->view), ==, "empty");
  stored = wr_dataset_list (wr_session_get_store (f->session), wr_project_get_id (f->project), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 0);
}

static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) bad = write_file (f, "broken.xlsx", "this is not a workbook\n", -1);
  g_autoptr(GFile) text = write_file (f, "notes.txt", "hello\n", -1);

  /* Not a file we read: said at once. */
  _wr_data_view_import_file (f->view, text);
  g_assert_false (_wr_data_view_get_importing (f->view));
  g_assert_nonnull (_wr_data_view_get_error (f->view));
  g_assert_nonnull (strstr (_wr_data_view_get_error (f->view), "CSV"));

  /* A broken workbook: the import's error is shown. */
  import_and_wait (f, bad, 20000);
  g_assert_nonnull (_wr_data_view_get_error (f->view));
  g_test_message ("error shown: %s", _wr_data_view_get_error (f->view));
  g_assert_cmpstr (_wr_data_view_get_error (f->view), !=, "");
  {
    LabelWait wait = { f, _wr_data_view_get_error (f->view) };
    g_assert_true (gui_test_wait_for (label_shown, &wait, 5000));
  }
  gui_test_screenshot (f->window, "data-view-error");

  gtk_widget_activate_action (GTK_WIDGET (f->view), "data.dismiss-error", NULL);
  g_assert_null (_wr_data_view_get_error (f->view));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) first = write_file (f, "a.csv", "x,y\n1,2\n", -1);
  g_autoptr(GFile) second = write_file (f, "b.tsv", "p\tq\nfoo\tbar\n", -1);
  WrDatasetInfo *info;

  import_and_wait (f, first, 20000);
  import_and_wait (f, second, 20000);
  g_assert_cmpuint (_wr_data_view_get_datasets (f->view)->len, ==, 2);
  info = g_ptr_array_index (_wr_data_view_get_datasets (f->view), 1);
  g_assert_cmpstr (info->name, ==, "b.tsv");
  g_assert_cmpstr (_wr_data_view_get_selected_id (f->view), ==, info->id);

  /* Cancel keeps it. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "data.delete", NULL);
  gui_test_respond ("cancel");
  g_assert_true (gui_test_wait_for (list_idle, f, 5000));
  g_assert_cmpuint (_wr_data_view_get_datasets (f->view)->len, ==, 2);

  gtk_widget_activate_action (GTK_WIDGET (f->view), "data.delete", NULL);
  gui_test_respond ("delete");
  gui_test_wait_ms (100);
  g_assert_true (gui_test_wait_for (list_idle, f, 5000));
  g_assert_cmpuint (_wr_data_view_get_datasets (f->view)->len, ==, 1);
  info = g_ptr_array_index (_wr_data_view_get_datasets (f->view), 0);
  g_assert_cmpstr (info->name, ==, "a.csv");
  g_assert_cmpstr (_wr_data_view_get_selected_id (f->view), ==, info->id);

  gtk_widget_activate_action (GTK_WIDGET (f->view), "data.delete", NULL);
  gui_test_respond ("delete");
  gui_test_wait_ms (100);
  g_assert_true (gui_test_wait_for (list_idle, f, 5000));
  g_assert_cmpuint (_wr_data_view_get_datasets (f->view)->len, ==, 0);
  g_assert_cmpstr (_wr_data_view_get_page (f->view), ==, "empty");
  gui_test_screenshot (f->window, "data-view-empty");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/data-view/import-csv", Fixture, NULL, fixture_setup, test_import_csv, fixture_teardown);
  g_test_add ("/data-view/large-dataset", Fixture, NULL, fixture_setup, test_large_dataset, fixture_teardown);
  g_test_add ("/data-view/sort-filter-stats", Fixture, NULL, fixture_setup, test_sort_filter_stats, fixture_teardown);
  g_test_add ("/data-view/sorted-scroll", Fixture, NULL, fixture_setup, test_sorted_scroll, fixture_teardown);
  g_test_add ("/data-view/cancel-import", Fixture, NULL, fixture_setup, test_cancel_import, fixture_teardown);
  g_test_add ("/data-view/bad-file", Fixture, NULL, fixture_setup, test_bad_file, fixture_teardown);
  g_test_add ("/data-view/delete", Fixture, NULL, fixture_setup, test_delete, fixture_teardown);

  return g_test_run ();
}
