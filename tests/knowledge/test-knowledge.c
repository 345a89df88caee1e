/* test-knowledge.c — importing documents into a project and searching
 * them: the fixture files, chunking, FTS ranking and snippets, hostile
 * queries, isolation, deletion and cancellation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "docs/wr-document-import.h"
#include "docs/wr-image-text.h"
#include "docs/wr-knowledge-search.h"
#include "docs/wr-text-chunker.h"
#include "store/wr-store.h"
#include "store/wr-store-db.h"

typedef struct {
  char      *dir;
  WrStore   *store;
  char      *project_id;
  char      *other_project_id;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(WrProject) project = NULL;
  g_autoptr(WrProject) other = NULL;

  fixture->dir = g_dir_make_tmp ("wr-knowledge-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "workroom.db", NULL);
  fixture->store = wr_store_open (db, &error);
  g_assert_no_error (error);

  project = wr_store_create_project (fixture->store, "Research", &error);
  g_assert_no_error (error);
  fixture->project_id = g_strdup (wr_project_get_id (project));
  other = wr_store_create_project (fixture->store, "Other", &error);
  g_assert_no_error (error);
  fixture->other_project_id = g_strdup (wr_project_get_id (other));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->project_id);
  g_free (fixture->other_project_id);
}

/* Writes @contents (@len bytes, -1 for a string) to @name in the fixture's
 * directory; returns the path (transfer full). */
static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);

  return path;
}

static char *
import_ok (Fixture    *fixture,
           const char *project_id,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_assert_true (wr_document_import_file (fixture->store, project_id, path, NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (id);

  return id;
}

/* All chunk text of a document, whitespace collapsed to single spaces. */
static char *
document_text (Fixture    *fixture,
               const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = wr_document_list_chunks (fixture->store, id, &error);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < chunks->len; i++)
    {
      WrDocChunk *chunk = g_ptr_array_index (chunks, i);

      g_string_append (all, chunk->text);
      g_string_append_c (all, ' ');
    }

  for (const char *p = all->str; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
collapse (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (kept, words[i]);
  g_ptr_array_add (kept, NULL);

  return g_strjoinv (" ", (char **) kept->pdata);
}

/* Fixtures --------------------------------------------------------------- */

static JsonArray *
load_manifest (char **out_base)
{
  const char *root = g_getenv ("WR_FIXTURES_DIR");
  g_autofree char *base = NULL;
  g_autofree char *manifest = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (root == NULL || *root == '\0')
    return NULL;
  base = g_build_filename (root, "documents", NULL);
  manifest = g_build_filename (base, "MANIFEST.json", NULL);
  if (!g_file_test (manifest, G_FILE_TEST_EXISTS))
    return NULL;

  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  *out_base = g_steal_pointer (&base);

  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static gboolean
is_kind (const char *kind,
         const char *group)
{
  if (g_str_equal (group, "pdf"))
    return g_str_equal (kind, "pdf");
  if (g_str_equal (group, "image"))
    return g_str_equal (kind, "png") || g_str_equal (kind, "jpeg") || g_str_equal (kind, "tiff") ||
           g_str_equal (kind, "webp");
  return g_str_equal (kind, group);
}

static void
test_fixtures (Fixture       *fixture,
               gconstpointer  data)
{
  const char *group = data;
  g_autofree char *base = NULL;
  g_autoptr(JsonArray) entries = load_manifest (&base);
  guint tested = 0;

  if (entries == NULL)
    {
      g_test_skip ("WR_FIXTURES_DIR/documents/MANIFEST.json not found");
      return;
    }
  if (g_str_equal (group, "image") && !wr_image_ocr_available ())
    {
      g_test_skip ("OCR is not available (no tesseract or no eng language data): image text not checked");
      return;
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *expect = json_object_get_object_member (entry, "expect");
      const char *kind = json_object_get_string_member (entry, "kind");
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GPtrArray) documents = NULL;
      gboolean ok;

      if (!is_kind (kind, group))
        continue;

      path = g_build_filename (base, json_object_get_string_member (entry, "path"), NULL);
      g_test_message ("importing %s", path);
      ok = wr_document_import_file (fixture->store, fixture->project_id, path, NULL, NULL, NULL, &id, &error);

      if (json_object_get_boolean_member (expect, "should_fail"))
        {
          g_autoptr(WrDocumentInfo) info = NULL;

          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_true (error->domain == WR_DOCUMENT_ERROR);
          g_assert_cmpuint (strlen (error->message), >, 20);
          /* Left as failed with the message, never ready, no chunks. */
          if (id != NULL)
            {
              info = wr_document_get (fixture->store, id, NULL);
              g_assert_nonnull (info);
              g_assert_cmpstr (info->status, ==, "failed");
              g_assert_cmpstr (info->error, ==, error->message);
              g_assert_cmpint (info->chunks, ==, 0);
            }
          tested++;
          continue;
        }

      g_assert_no_error (error);
      g_assert_true (ok);

      {
        g_autofree char *text = document_text (fixture, id);
        g_autoptr(WrDocumentInfo) info = wr_document_get (fixture->store, id, &error);
        JsonArray *contains = json_object_get_array_member (expect, "contains");

        g_assert_no_error (error);
        g_assert_cmpstr (info->status, ==, "ready");
        for (guint j = 0; j < json_array_get_length (contains); j++)
          {
            g_autofree char *want = collapse (json_array_get_string_element (contains, j));

            if (strstr (text, want) == NULL)
              g_error ("%s: “%s” not found in the extracted text:\n%s", path, want, text);
          }
        if (json_object_has_member (expect, "slides") && !json_object_get_null_member (expect, "slides"))
          g_assert_cmpint (info->units, ==, json_object_get_int_member (expect, "slides"));
      }

      documents = wr_document_list (fixture->store, fixture->project_id, &error);
      g_assert_no_error (error);
      tested++;
    }

  g_assert_cmpuint (tested, >, 0);
}

/* Chunking --------------------------------------------------------------- */

static void
test_chunk_markdown (void)
{
  const char *md =
    "Intro line before any heading.\n"
    "\n"
    "# Budget\n"
    "The budget is 12 million.\n"
    "\n"
    "```\n"
    "# not a heading inside code\n"
    "```\n"
    "Timeline\n"
    "========\n"
    "Q3 launch.\n"
    "## Empty heading ##\n";
  g_autoptr(GPtrArray) chunks = wr_text_chunker_split_markdown (md);
  WrDocChunk *c;

  g_assert_cmpuint (chunks->len, ==, 4);
  c = g_ptr_array_index (chunks, 0);
  g_assert_cmpstr (c->locator_kind, ==, "heading");
  g_assert_cmpint (c->locator, ==, 0);
  g_assert_cmpstr (c->title, ==, "");
  g_assert_cmpstr (c->text, ==, "Intro line before any heading.");
  c = g_ptr_array_index (chunks, 1);
  g_assert_cmpint (c->locator, ==, 1);
  g_assert_cmpstr (c->title, ==, "Budget");
  g_assert_nonnull (strstr (c->text, "12 million"));
  g_assert_nonnull (strstr (c->text, "# not a heading inside code"));
  c = g_ptr_array_index (chunks, 2);
  g_assert_cmpint (c->locator, ==, 2);
  g_assert_cmpstr (c->title, ==, "Timeline");
  g_assert_cmpstr (c->text, ==, "Q3 launch.");
  c = g_ptr_array_index (chunks, 3);
  g_assert_cmpint (c->locator, ==, 3);
  g_assert_cmpstr (c->title, ==, "Empty heading");
  g_assert_cmpstr (c->text, ==, "Empty heading");
}

static void
test_chunk_plain (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) chunks = NULL;
  gsize total = 0;

  /* 40 paragraphs of ~200 characters: several sections, each cut at a
   * paragraph boundary, none much over the target. */
  for (int i = 0; i < 40; i++)
    {
      g_string_append_printf (text, "Paragraph %d starts here.", i);
      for (int j = 0; j < 17; j++)
        g_string_append (text, " lorem ipsum");
      g_string_append (text, " End.\n\n");
    }

  chunks = wr_text_chunker_split_plain (text->str);
  g_assert_cmpuint (chunks->len, >=, 5);
  for (guint i = 0; i < chunks->len; i++)
    {
      WrDocChunk *c = g_ptr_array_index (chunks, i);

      g_assert_cmpstr (c->locator_kind, ==, "section");
      g_assert_cmpint (c->locator, ==, i + 1);
      g_assert_cmpuint (strlen (c->text), <=, WR_CHUNK_TARGET_CHARS);
      g_assert_true (g_str_has_prefix (c->text, "Paragraph "));
      g_assert_true (g_str_has_suffix (c->text, "End."));
      total += strlen (c->text);
    }
  g_assert_cmpuint (total, >=, text->len - 40 * 2 - 2 * chunks->len);
}

static void
test_chunk_long_page (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) chunks = wr_doc_chunks_new ();
  guint added;

  /* One paragraph with no breaks at all, in multibyte characters. */
  for (int i = 0; i < 2000; i++)
    g_string_append (text, "é");
  for (int i = 0; i < 300; i++)
    g_string_append (text, "word ");

  added = wr_text_chunker_add_section (chunks, "page", 7, NULL, text->str);
  g_assert_cmpuint (added, >=, 3);
  for (guint i = 0; i < chunks->len; i++)
    {
      WrDocChunk *c = g_ptr_array_index (chunks, i);

      g_assert_cmpstr (c->locator_kind, ==, "page");
      g_assert_cmpint (c->locator, ==, 7);
      g_assert_true (g_utf8_validate (c->text, -1, NULL));
      g_assert_cmpuint (strlen (c->text), <=, WR_CHUNK_TARGET_CHARS);
    }

  g_assert_cmpuint (wr_text_chunker_add_section (chunks, "page", 8, NULL, " \n\n \t\n"), ==, 0);
}

/* Import ----------------------------------------------------------------- */

static void
test_import_text_kinds (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *md = write_file (fixture, "notes.md", "# Alpha\nfirst part\n# Beta\nsecond part\n", -1);
  g_autofree char *txt = write_file (fixture, "plain.txt", "\xef\xbb\xbfJust some words.\n", -1);
  g_autofree char *bad = write_file (fixture, "latin1.txt", "caf\xe9 au lait\n", -1);
  g_autofree char *bin = write_file (fixture, "blob.bin", "\x01\x02\0\0binary", 10);
  g_autofree char *md_id = import_ok (fixture, fixture->project_id, md);
  g_autofree char *txt_id = import_ok (fixture, fixture->project_id, txt);
  g_autoptr(GPtrArray) chunks = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_id = NULL;
  WrDocumentInfo *info;

  chunks = wr_document_list_chunks (fixture->store, md_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chunks->len, ==, 2);
  g_assert_cmpstr (((WrDocChunk *) g_ptr_array_index (chunks, 1))->title, ==, "Beta");
  g_clear_pointer (&chunks, g_ptr_array_unref);

  chunks = wr_document_list_chunks (fixture->store, txt_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chunks->len, ==, 1);
  /* The byte-order mark is dropped. */
  g_assert_cmpstr (((WrDocChunk *) g_ptr_array_index (chunks, 0))->text, ==, "Just some words.");

  g_assert_false (wr_document_import_file (fixture->store, fixture->project_id, bad, NULL, NULL, NULL,
                                           &bad_id, &error));
  g_assert_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  g_assert_false (wr_document_import_file (fixture->store, fixture->project_id, bin, NULL, NULL, NULL,
                                           NULL, &error));
  g_assert_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* Unknown project. */
  g_assert_false (wr_document_import_file (fixture->store, "nope", md, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  documents = wr_document_list (fixture->store, fixture->project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 3);   /* md, txt ready; latin1 failed */
  for (guint i = 0; i < documents->len; i++)
    {
      info = g_ptr_array_index (documents, i);
      if (g_str_equal (info->id, bad_id))
        {
          g_assert_cmpstr (info->status, ==, "failed");
          g_assert_nonnull (info->error);
          g_assert_cmpint (info->chunks, ==, 0);
        }
      else
        {
          g_assert_cmpstr (info->status, ==, "ready");
          g_assert_cmpstr (info->kind, ==, g_str_equal (info->id, md_id) ? "markdown" : "text");
          g_assert_cmpint (info->chunks, >, 0);
          g_assert_nonnull (info->sha256);
        }
    }
}

typedef struct {
  GCancellable *cancellable;
  double        cancel_at;
  guint         calls;
} CancelData;

static void
cancel_progress_cb (double      fraction,
                    const char *stage,
                    gpointer    user_data)
{
  CancelData *data = user_data;

  g_assert_nonnull (stage);
  data->calls++;
  if (fraction >= data->cancel_at)
    g_cancellable_cancel (data->cancellable);
}

static void
test_import_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *id = NULL;
  CancelData cancel = { cancellable, 0.9, 0 };

  for (int i = 0; i < 500; i++)
    g_string_append_printf (text, "Paragraph %d about zeppelins and their hangars.\n\n", i);
  path = write_file (fixture, "long.txt", text->str, -1);

  /* Cancelled while indexing: the document row already exists. */
  g_assert_false (wr_document_import_file (fixture->store, fixture->project_id, path,
                                           cancel_progress_cb, &cancel, cancellable, &id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (id);
  g_clear_error (&error);
  g_assert_cmpuint (cancel.calls, >=, 2);

  documents = wr_document_list (fixture->store, fixture->project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 0);
  hits = wr_knowledge_search (fixture->store, fixture->project_id, "zeppelins", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
on_import_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **id = user_data;
  g_autoptr(GError) error = NULL;

  *id = wr_document_import_file_finish (WR_STORE (source), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*id);
}

static void
count_progress_cb (double      fraction,
                   const char *stage,
                   gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
}

static void
on_search_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GPtrArray **hits = user_data;
  g_autoptr(GError) error = NULL;

  *hits = wr_knowledge_search_finish (WR_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_import_async (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "async.md", "# Harbour\nCranes load containers.\n", -1);
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  guint calls = 0;

  wr_document_import_file_async (fixture->store, fixture->project_id, path, count_progress_cb, &calls,
                                 NULL, NULL, on_import_done_cb, &id);
  while (id == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (calls, >, 0);

  wr_knowledge_search_async (fixture->store, fixture->project_id, "cranes", 5, NULL, on_search_done_cb, &hits);
  while (hits == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 0))->document_id, ==, id);
}

/* Search ----------------------------------------------------------------- */

static void
test_search_ranking (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *body = write_file (fixture, "body.md",
                                      "# Overview\nThe quarterly figures mention turbines once, among "
                                      "many other words about grids, cables, meters and substations.\n", -1);
  g_autofree char *title = write_file (fixture, "title.md",
                                       "# Turbines\nBlades, gearboxes and towers, among many other words "
                                       "about grids, cables, meters and substations.\n", -1);
  g_autofree char *body_id = import_ok (fixture, fixture->project_id, body);
  g_autofree char *title_id = import_ok (fixture, fixture->project_id, title);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  WrKnowledgeHit *first;
  WrKnowledgeHit *second;
  g_autofree char *markup = NULL;

  hits = wr_knowledge_search (fixture->store, fixture->project_id, "turbines", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  first = g_ptr_array_index (hits, 0);
  second = g_ptr_array_index (hits, 1);
  g_assert_cmpstr (first->document_id, ==, title_id);
  g_assert_cmpstr (first->title, ==, "Turbines");
  g_assert_cmpstr (first->locator_kind, ==, "heading");
  g_assert_cmpint (first->locator, ==, 1);
  g_assert_cmpstr (first->document_name, ==, "title.md");
  g_assert_cmpstr (first->kind, ==, "markdown");
  g_assert_cmpstr (second->document_id, ==, body_id);
  g_assert_cmpfloat (first->score, <, second->score);

  /* The body hit's snippet marks the word; markup escapes the rest. */
  g_assert_nonnull (strstr (second->snippet, WR_KNOWLEDGE_MARK_START "turbines" WR_KNOWLEDGE_MARK_END));
  markup = wr_knowledge_snippet_to_markup (second->snippet);
  g_assert_nonnull (strstr (markup, "<b>turbines</b>"));
}

static void
test_search_snippet_markup (void)
{
  g_autofree char *a = wr_knowledge_snippet_to_markup ("a < b & \002c\003 > \"d\" \002e");
  g_autofree char *b = wr_knowledge_snippet_replace ("x \002y\003 z\003", "[", "]");
  g_autofree char *c = wr_knowledge_format_locator ("slide", 3);
  g_autofree char *d = wr_knowledge_format_locator ("page", 12);

  g_assert_cmpstr (a, ==, "a &lt; b &amp; <b>c</b> &gt; &quot;d&quot; <b>e</b>");
  g_assert_cmpstr (b, ==, "x [y] z");
  g_assert_cmpstr (c, ==, "slide 3");
  g_assert_cmpstr (d, ==, "page 12");
}

static void
test_search_query_syntax (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *hostile[] = {
    "\"", "\"\"", "\"unbalanced phrase", "a\"b", "NEAR(", "NEAR(alpha beta, 2)", "alpha NEAR beta",
    "*", "**", "alpha*", "*alpha", "text:alpha", "title:alpha", "{title text}: alpha", "-alpha",
    "alpha AND", "OR", "NOT alpha", "(alpha", "alpha)", "^alpha", "alpha + beta", ":", "'",
    "\\", "%", "\001\002\003", "col:", "rank:1", "alpha:beta:gamma", "\"alpha\"*", "é*", "\xff\xfe",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff gg hh ii jj kk",
    "", "   ",
  };
  g_autofree char *path = write_file (fixture, "syntax.txt",
                                      "alpha beta gamma. Alphabet soup. The NEAR miss with text: colons.\n", -1);
  g_autofree char *id = import_ok (fixture, fixture->project_id, path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GPtrArray) hits = wr_knowledge_search (fixture->store, fixture->project_id, hostile[i], 10, &error);

      g_assert_no_error (error);
      g_assert_nonnull (hits);
    }

  /* The features the syntax gives: prefixes, phrases, AND of words. */
  {
    struct { const char *query; guint hits; } cases[] = {
      { "alpha", 1 },
      { "alph*", 1 },
      { "alphabe*", 1 },
      { "\"alpha beta\"", 1 },
      { "\"beta alpha\"", 0 },
      { "alpha soup", 1 },
      { "alpha zebra", 0 },
      { "text:colons", 1 },
      { "NEAR miss", 1 },
      { "ALPHA", 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GPtrArray) hits = wr_knowledge_search (fixture->store, fixture->project_id, cases[i].query, 10, &error);

        g_assert_no_error (error);
        if (hits->len != cases[i].hits)
          g_error ("query %s: %u hits, expected %u", cases[i].query, hits->len, cases[i].hits);
      }
  }
}

static void
test_search_isolation_and_delete (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *a = write_file (fixture, "a.txt", "Photosynthesis in leaves.\n", -1);
  g_autofree char *b = write_file (fixture, "b.txt", "Photosynthesis in algae.\n", -1);
  g_autofree char *a_id = import_ok (fixture, fixture->project_id, a);
  g_autofree char *b_id = import_ok (fixture, fixture->other_project_id, b);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;

  hits = wr_knowledge_search (fixture->store, fixture->project_id, "photosynthesis", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 0))->document_id, ==, a_id);
  g_clear_pointer (&hits, g_ptr_array_unref);

  g_assert_true (wr_document_delete (fixture->store, a_id, &error));
  g_assert_no_error (error);
  hits = wr_knowledge_search (fixture->store, fixture->project_id, "photosynthesis", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  documents = wr_document_list (fixture->store, fixture->project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 0);
  g_assert_null (wr_document_get (fixture->store, a_id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_document_delete (fixture->store, a_id, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A project's few hits are found even when another project has many
   * better ones (beyond the candidates ranked first). */
  {
    g_autoptr(GString) text = g_string_new (NULL);
    g_autofree char *many = NULL;
    g_autofree char *many_id = NULL;
    g_autofree char *one = write_file (fixture, "one.txt", "A single kiwi among many other words in "
                                       "this rather long sentence about fruit and orchards.\n", -1);
    g_autofree char *one_id = import_ok (fixture, fixture->project_id, one);

    for (int i = 0; i < 200; i++)
      {
        for (int j = 0; j < 180; j++)
          g_string_append (text, "kiwi ");
        g_string_append (text, "\n\n");
      }
    many = write_file (fixture, "many.txt", text->str, -1);
    many_id = import_ok (fixture, fixture->other_project_id, many);

    hits = wr_knowledge_search (fixture->store, fixture->project_id, "kiwi", 2, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 0))->document_id, ==, one_id);
    g_clear_pointer (&hits, g_ptr_array_unref);

    hits = wr_knowledge_search (fixture->store, fixture->other_project_id, "kiwi", 5, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 5);
    g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 4))->document_id, ==, many_id);
    g_clear_pointer (&hits, g_ptr_array_unref);
  }

  /* The other project's document is untouched. */
  hits = wr_knowledge_search (fixture->store, fixture->other_project_id, "photosynthesis", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((WrKnowledgeHit *) g_ptr_array_index (hits, 0))->document_id, ==, b_id);
}

/* An import a crashed process left "importing" shows as failed, with why,
 * once it is clearly not running any more; a running one is left alone. */
static gboolean
exec_tx (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  return sqlite3_exec (db, data, NULL, NULL, NULL) == SQLITE_OK;
}

static void
test_stale_import (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  gint64 now = g_get_real_time ();
  g_autofree char *sql =
    g_strdup_printf ("INSERT INTO documents (id, project_id, name, kind, status, created_at, updated_at) VALUES "
                     "('old', '%s', 'old.pdf', 'pdf', 'importing', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "),"
                     "('new', '%s', 'new.pdf', 'pdf', 'importing', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ");"
                     "INSERT INTO document_chunks (document_id, ord, locator_kind, locator, text) "
                     "VALUES ('old', 0, 'page', 1, 'half imported');",
                     fixture->project_id, now - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, now - G_GINT64_CONSTANT (660) * G_USEC_PER_SEC,
                     fixture->project_id, now, now);
  g_autoptr(GPtrArray) hits = NULL;

  g_assert_true (_wr_store_run_transaction (fixture->store, exec_tx, sql, &error));
  g_assert_no_error (error);

  docs = wr_document_list (fixture->store, fixture->project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docs->len, ==, 2);
  for (guint i = 0; i < docs->len; i++)
    {
      WrDocumentInfo *info = g_ptr_array_index (docs, i);

      if (g_str_equal (info->id, "old"))
        {
          g_assert_cmpstr (info->status, ==, "failed");
          g_assert_nonnull (strstr (info->error, "Interrupted"));
          g_assert_cmpint (info->chunks, ==, 0);
        }
      else
        g_assert_cmpstr (info->status, ==, "importing");
    }

  hits = wr_knowledge_search (fixture->store, fixture->project_id, "half imported", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/knowledge/fixtures/pdf", Fixture, "pdf", fixture_setup, test_fixtures, fixture_teardown);
  g_test_add ("/knowledge/fixtures/image", Fixture, "image", fixture_setup, test_fixtures, fixture_teardown);
  g_test_add ("/knowledge/fixtures/pptx", Fixture, "pptx", fixture_setup, test_fixtures, fixture_teardown);
  g_test_add ("/knowledge/fixtures/docx", Fixture, "docx", fixture_setup, test_fixtures, fixture_teardown);
  g_test_add ("/knowledge/fixtures/xlsx", Fixture, "xlsx", fixture_setup, test_fixtures, fixture_teardown);
  g_test_add_func ("/knowledge/chunk/markdown", test_chunk_markdown);
  g_test_add_func ("/knowledge/chunk/plain", test_chunk_plain);
  g_test_add_func ("/knowledge/chunk/long-page", test_chunk_long_page);
  g_test_add ("/knowledge/import/text-kinds", Fixture, NULL, fixture_setup, test_import_text_kinds, fixture_teardown);
  g_test_add ("/knowledge/import/stale", Fixture, NULL, fixture_setup, test_stale_import, fixture_teardown);
  g_test_add ("/knowledge/import/cancel", Fixture, NULL, fixture_setup, test_import_cancel, fixture_teardown);
  g_test_add ("/knowledge/import/async", Fixture, NULL, fixture_setup, test_import_async, fixture_teardown);
  g_test_add ("/knowledge/search/ranking", Fixture, NULL, fixture_setup, test_search_ranking, fixture_teardown);
  g_test_add_func ("/knowledge/search/snippet-markup", test_search_snippet_markup);
  g_test_add ("/knowledge/search/query-syntax", Fixture, NULL, fixture_setup, test_search_query_syntax, fixture_teardown);
  g_test_add ("/knowledge/search/isolation-and-delete", Fixture, NULL, fixture_setup,
              test_search_isolation_and_delete, fixture_teardown);

  return g_test_run ();
}
