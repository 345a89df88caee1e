/* xlsx-rows.c — rows per second streaming a generated 200,000-row ×
 * 10-column workbook through WrXlsxReader (numbers, shared strings,
 * dates, booleans), and the peak RSS while doing it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "docs/wr-xlsx-reader.h"
#include "../tests/docs/ooxml-build.h"

#define N_ROWS 200000
#define N_COLS 10
#define RUNS 3

static gboolean
on_row_cb (guint             row_number,
           const WrXlsxCell *cells,
           guint             n_cells,
           gpointer          user_data)
{
  guint64 *n = user_data;

  if (n_cells != N_COLS)
    g_error ("row %u has %u cells", row_number, n_cells);
  (*n)++;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-xlsx-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.xlsx", NULL);
  g_autoptr(GString) sheet = g_string_new (OOXML_SHEET_START);
  g_autoptr(GString) sst = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                         "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
  const char *styles = "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                       "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
  double best = G_MAXDOUBLE;
  gsize xml_len;
  struct rusage usage;
  GStatBuf st;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (sst, "<si><t>Customer name number %u</t></si>", i);
  g_string_append (sst, "</sst>");

  for (guint r = 1; r <= N_ROWS; r++)
    {
      g_string_append_printf (sheet, "<row r=\"%u\">", r);
      g_string_append_printf (sheet, "<c r=\"A%u\"><v>%u</v></c>", r, r);
      g_string_append_printf (sheet, "<c r=\"B%u\" t=\"s\"><v>%u</v></c>", r, r % 1000);
      g_string_append_printf (sheet, "<c r=\"C%u\"><v>%u.%02u</v></c>", r, r * 7 % 10000, r % 100);
      g_string_append_printf (sheet, "<c r=\"D%u\" s=\"1\"><v>%u</v></c>", r, 40000 + r % 5000);
      g_string_append_printf (sheet, "<c r=\"E%u\" t=\"b\"><v>%u</v></c>", r, r % 2);
      g_string_append_printf (sheet, "<c r=\"F%u\" t=\"s\"><v>%u</v></c>", r, (r * 13) % 1000);
      g_string_append_printf (sheet, "<c r=\"G%u\"><v>%.6f</v></c>", r, r / 7.0);
      g_string_append_printf (sheet, "<c r=\"H%u\" t=\"str\"><f>A%u&amp;\"x\"</f><v>%ux</v></c>", r, r, r);
      g_string_append_printf (sheet, "<c r=\"I%u\"><v>%d</v></c>", r, -(int) r);
      g_string_append_printf (sheet, "<c r=\"J%u\" t=\"inlineStr\"><is><t>note %u</t></is></c>", r, r);
      g_string_append (sheet, "</row>");
    }
  g_string_append (sheet, OOXML_SHEET_END);

  if (!ooxml_build_xlsx (path, sheet->str, sst->str, styles, FALSE))
    g_error ("could not write %s", path);
  g_stat (path, &st);
  printf ("workbook: %d rows x %d columns, sheet XML %.1f MB, file %.1f MB\n",
          N_ROWS, N_COLS, sheet->len / 1e6, st.st_size / 1e6);
  xml_len = sheet->len;
  g_string_free (g_steal_pointer (&sheet), TRUE);

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WrXlsxReader) reader = NULL;
      guint64 rows = 0;
      gint64 start = g_get_monotonic_time ();
      double secs;

      reader = wr_xlsx_reader_open (path, &error);
      if (reader == NULL || !wr_xlsx_reader_read_sheet (reader, 0, on_row_cb, &rows, NULL, &error))
        g_error ("%s", error->message);
      secs = (g_get_monotonic_time () - start) / 1e6;
      if (rows != N_ROWS)
        g_error ("read %" G_GUINT64_FORMAT " rows", rows);
      best = MIN (best, secs);
    }

  getrusage (RUSAGE_SELF, &usage);
  printf ("xlsx rows: best of %d: %.2f s, %.0f rows/s, %.1f MB sheet XML/s\n",
          RUNS, best, N_ROWS / best, xml_len / 1e6 / best);
  printf ("peak RSS (includes the generated XML): %ld MB\n", usage.ru_maxrss / 1024);

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
