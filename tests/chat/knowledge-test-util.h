/* knowledge-test-util.h — project documents for the chat-with-knowledge
 * tests (chat, CLI, GUI): Markdown notes, a PPTX deck with a title and body
 * per slide, and a CSV dataset, imported through the real readers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "data/wr-dataset.h"
#include "docs/wr-document-import.h"
#include "../docs/ooxml-build.h"

#define KNOWLEDGE_TEST_PML \
  "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
  "xmlns:r=\"" OOXML_DOC_RELS "\" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""

/* Writes @contents to @dir/@name; returns the path (transfer full). */
static inline char *
knowledge_test_write (const char *dir,
                      const char *name,
                      const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* A deck at @dir/@name with one slide per title/body pair of @slides
 * (title, body, title, body, …, NULL); returns the path (transfer full). */
static inline char *
knowledge_test_write_pptx (const char         *dir,
                           const char         *name,
                           const char * const *slides)
{
  g_autofree char *root = ooxml_root_rels ("ppt/presentation.xml");
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) rels = g_string_new ("<Relationships xmlns=\"" OOXML_RELS_NS "\">");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pres = NULL;
  char *path = g_build_filename (dir, name, NULL);
  guint n = 0;

  for (guint i = 0; slides[i] != NULL && slides[i + 1] != NULL; i += 2)
    {
      n++;
      g_string_append_printf (ids, "<p:sldId id=\"%u\" r:id=\"rId%u\"/>", 255 + n, n);
      g_string_append_printf (rels, "<Relationship Id=\"rId%u\" Type=\"" OOXML_DOC_RELS "/slide\" "
                              "Target=\"slides/slide%u.xml\"/>", n, n);
      g_ptr_array_add (parts, g_strdup_printf ("ppt/slides/slide%u.xml", n));
      g_ptr_array_add (parts, g_strdup_printf (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p:sld " KNOWLEDGE_TEST_PML "><p:cSld><p:spTree>"
        "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr>"
        "<p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>"
        "<p:sp><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>"
        "</p:spTree></p:cSld></p:sld>", slides[i], slides[i + 1]));
    }
  g_string_append (rels, "</Relationships>");
  pres = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p:presentation " KNOWLEDGE_TEST_PML ">"
                          "<p:sldIdLst>%s</p:sldIdLst></p:presentation>", ids->str);

  g_ptr_array_insert (parts, 0, g_strdup ("_rels/.rels"));
  g_ptr_array_insert (parts, 1, g_strdup (root));
  g_ptr_array_insert (parts, 2, g_strdup ("ppt/presentation.xml"));
  g_ptr_array_insert (parts, 3, g_strdup (pres));
  g_ptr_array_insert (parts, 4, g_strdup ("ppt/_rels/presentation.xml.rels"));
  g_ptr_array_insert (parts, 5, g_strdup (rels->str));
  g_ptr_array_add (parts, NULL);

  g_assert_true (ooxml_build_zip (path, (const char **) parts->pdata));
  return path;
}

/* Imports @path into @project_id; returns the document id (transfer full). */
static inline char *
knowledge_test_import (WrStore    *store,
                       const char *project_id,
                       const char *path)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_assert_true (wr_document_import_file (store, project_id, path, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* Imports CSV @contents as @dir/@name into @project_id. */
static inline void
knowledge_test_import_csv (WrStore    *store,
                           const char *project_id,
                           const char *dir,
                           const char *name,
                           const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = knowledge_test_write (dir, name, contents);
  g_autofree char *id = NULL;

  g_assert_true (wr_dataset_import_csv (store, project_id, path, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
}
