/* pptx-extract.c — time to extract the text of a generated 100-slide
 * deck (title, body, a group, a table and speaker notes per slide) with
 * wr_ooxml_extract(); the target is ≤ 200 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docs/wr-ooxml-text.h"
#include "../tests/docs/ooxml-build.h"

#define N_SLIDES 100
#define RUNS 7

#define PML "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
            "xmlns:r=\"" OOXML_DOC_RELS "\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static char *
shape (const char *ph,
       const char *text)
{
  return g_strdup_printf ("<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"s\"/><p:cNvSpPr/><p:nvPr>%s%s%s</p:nvPr></p:nvSpPr>"
                          "<p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:rPr lang=\"en-US\"/><a:t>%s</a:t></a:r></a:p>"
                          "</p:txBody></p:sp>", ph ? "<p:ph type=\"" : "", ph ? ph : "", ph ? "\"/>" : "", text);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("wr-bench-pptx-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "deck.pptx", NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) pres = g_string_new ("<p:presentation " PML "><p:sldIdLst>");
  g_autoptr(GString) pres_rels = g_string_new ("<Relationships xmlns=\"" OOXML_RELS_NS "\">");
  double times[RUNS];

  g_ptr_array_add (parts, g_strdup ("_rels/.rels"));
  g_ptr_array_add (parts, ooxml_root_rels ("ppt/presentation.xml"));
  for (guint i = 1; i <= N_SLIDES; i++)
    {
      g_autoptr(GString) slide = g_string_new ("<p:sld " PML "><p:cSld><p:spTree>");
      g_autofree char *title = g_strdup_printf ("Slide %u: quarterly results and outlook", i);
      g_autofree char *t = shape ("title", title);
      g_autofree char *b = shape ("body", "Revenue grew in every region; costs stayed flat; hiring resumes next quarter.");
      g_autofree char *g = shape (NULL, "A grouped callout with some more words in it");
      g_autofree char *n = shape ("body", "Speaker notes: remember to thank the team and take questions.");

      g_string_append_printf (pres, "<p:sldId id=\"%u\" r:id=\"rId%u\"/>", 255 + i, i);
      g_string_append_printf (pres_rels, "<Relationship Id=\"rId%u\" Type=\"" OOXML_DOC_RELS "/slide\" "
                              "Target=\"slides/slide%u.xml\"/>", i, i);
      g_string_append_printf (slide, "%s%s<p:grpSp>%s%s</p:grpSp><p:graphicFrame><a:graphic><a:graphicData><a:tbl>", t, b, g, g);
      for (guint r = 0; r < 4; r++)
        {
          g_string_append (slide, "<a:tr>");
          for (guint c = 0; c < 4; c++)
            g_string_append_printf (slide, "<a:tc><a:txBody><a:p><a:r><a:t>cell %u.%u</a:t></a:r></a:p></a:txBody></a:tc>", r, c);
          g_string_append (slide, "</a:tr>");
        }
      g_string_append (slide, "</a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>");

      g_ptr_array_add (parts, g_strdup_printf ("ppt/slides/slide%u.xml", i));
      g_ptr_array_add (parts, g_string_free (g_steal_pointer (&slide), FALSE));
      g_ptr_array_add (parts, g_strdup_printf ("ppt/slides/_rels/slide%u.xml.rels", i));
      g_ptr_array_add (parts, g_strdup_printf ("<Relationships xmlns=\"" OOXML_RELS_NS "\"><Relationship Id=\"rId1\" "
                                               "Type=\"" OOXML_DOC_RELS "/notesSlide\" Target=\"../notesSlides/notesSlide%u.xml\"/>"
                                               "</Relationships>", i));
      g_ptr_array_add (parts, g_strdup_printf ("ppt/notesSlides/notesSlide%u.xml", i));
      g_ptr_array_add (parts, g_strdup_printf ("<p:notes " PML "><p:cSld><p:spTree>%s</p:spTree></p:cSld></p:notes>", n));
    }
  g_string_append (pres, "</p:sldIdLst></p:presentation>");
  g_string_append (pres_rels, "</Relationships>");
  g_ptr_array_add (parts, g_strdup ("ppt/presentation.xml"));
  g_ptr_array_add (parts, g_string_free (g_steal_pointer (&pres), FALSE));
  g_ptr_array_add (parts, g_strdup ("ppt/_rels/presentation.xml.rels"));
  g_ptr_array_add (parts, g_string_free (g_steal_pointer (&pres_rels), FALSE));
  g_ptr_array_add (parts, NULL);

  if (!ooxml_build_zip (path, (const char **) parts->pdata))
    g_error ("could not write %s", path);

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) sections = NULL;
      gint64 start = g_get_monotonic_time ();

      sections = wr_ooxml_extract (path, "pptx", NULL, &error);
      times[run] = (g_get_monotonic_time () - start) / 1000.0;
      if (sections == NULL)
        g_error ("%s", error->message);
      if (sections->len != N_SLIDES)
        g_error ("%u slides", sections->len);
    }
  qsort (times, RUNS, sizeof times[0], compare_double);
  printf ("pptx extract (%d slides): median %.1f ms, best %.1f ms (target <= 200 ms)\n",
          N_SLIDES, times[RUNS / 2], times[0]);

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
