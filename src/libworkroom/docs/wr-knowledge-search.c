/* wr-knowledge-search.c — FTS5 search over document chunks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-knowledge-search.h"
#include "store/wr-store-db.h"

#define DEFAULT_LIMIT 20
#define MAX_LIMIT     1000
/* Words of a query beyond this are ignored (each is an FTS term). */
#define MAX_TERMS     32

void
wr_knowledge_hit_free (WrKnowledgeHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->document_id);
  g_free (hit->document_name);
  g_free (hit->kind);
  g_free (hit->locator_kind);
  g_free (hit->title);
  g_free (hit->snippet);
  g_free (hit);
}

/* Query ------------------------------------------------------------------ */

/* Whether @text has a letter or digit, i.e. something the unicode61
 * tokenizer keeps. */
static gboolean
has_token (const char *text,
           gsize       len)
{
  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || g_unichar_ismark (c))
        return TRUE;
    }

  return FALSE;
}

/* Appends "@text" (a quoted FTS5 string: inner quotes doubled), and * when
 * @prefix. */
static void
append_term (GString    *match,
             const char *text,
             gsize       len,
             gboolean    prefix)
{
  if (match->len > 0)
    g_string_append_c (match, ' ');

  g_string_append_c (match, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, text[i]);
    }
  g_string_append_c (match, '"');

  if (prefix)
    g_string_append_c (match, '*');
}

char *
wr_knowledge_build_match (const char *query)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autofree char *clean = NULL;
  const char *p;
  guint terms = 0;

  g_return_val_if_fail (query != NULL, NULL);

  clean = g_utf8_make_valid (query, -1);
  /* Control characters (our snippet markers among them) never match. */
  for (char *c = clean; *c != '\0'; c++)
    if ((guchar) *c < 0x20)
      *c = ' ';

  p = clean;
  while (*p != '\0' && terms < MAX_TERMS)
    {
      const char *start;
      const char *end;
      gboolean prefix = FALSE;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          /* A phrase, up to the closing quote or the end. */
          start = ++p;
          end = strchr (start, '"');
          if (end == NULL)
            end = start + strlen (start);
          p = *end == '"' ? end + 1 : end;
          if (*p == '*')
            {
              prefix = TRUE;
              p++;
            }
        }
      else
        {
          start = p;
          while (*p != '\0' && !g_ascii_isspace (*p) && *p != '"')
            p++;
          end = p;
          /* word* asks for a prefix. */
          if (end > start && end[-1] == '*')
            {
              prefix = TRUE;
              while (end > start && end[-1] == '*')
                end--;
            }
        }

      if (!has_token (start, end - start))
        continue;

      /* The tokenizer drops punctuation inside a term, which can leave a
       * trailing separator before the *; trim it so the prefix applies to
       * the last word. */
      while (prefix && end > start && !g_ascii_isalnum (end[-1]) && (guchar) end[-1] < 0x80)
        end--;

      append_term (match, start, end - start, prefix);
      terms++;
    }

  if (match->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&match), FALSE);
}

/* Search ----------------------------------------------------------------- */

typedef struct {
  WrStore    *store;
  const char *project_id;
  const char *match;
  guint       limit;
  GPtrArray  *hits;
} SearchTx;

/* The best @limit matches of the project, ranked by bm25 (title counts
 * twice), with snippets made only for the rows kept.
 *
 * The ranking runs first on the FTS index alone for the best CANDIDATES
 * matches of every project, which skips joining each match of a common
 * word (a third of the time over 100,000 chunks); when fewer than @limit of
 * those are the project's, the exact query over all matches runs instead.
 * Both give the same hits: any project hit better than the ones kept is
 * among the candidates. */
#define RANKED_SELECT(extra) \
  "SELECT d.id, d.name, d.kind, c.id, c.locator_kind, c.locator, c.title, " \
  "  snippet(document_chunks_fts, 1, char(2), char(3), '…', 16), top.score" extra " " \
  "FROM top " \
  "CROSS JOIN document_chunks_fts ON document_chunks_fts.rowid = top.id " \
  "JOIN document_chunks c ON c.id = top.id " \
  "JOIN documents d ON d.id = c.document_id " \
  "WHERE document_chunks_fts MATCH ?1 " \
  "ORDER BY top.score, c.id"

static const char *const candidates_sql =
  "WITH cand AS MATERIALIZED ("
  "  SELECT rowid AS id, bm25(document_chunks_fts, 2.0, 1.0) AS score "
  "  FROM document_chunks_fts WHERE document_chunks_fts MATCH ?1 "
  "  ORDER BY score, rowid LIMIT ?4), "
  "top AS MATERIALIZED ("
  "  SELECT cand.id AS id, cand.score AS score FROM cand "
  "  JOIN document_chunks c ON c.id = cand.id "
  "  JOIN documents d ON d.id = c.document_id "
  "  WHERE d.project_id = ?2 AND d.deleted_at IS NULL AND d.status = 'ready' "
  "  ORDER BY cand.score, cand.id LIMIT ?3) "
  RANKED_SELECT (", (SELECT count(*) FROM cand)");

static const char *const exact_sql =
  "WITH top AS MATERIALIZED ("
  "  SELECT c.id AS id, bm25(document_chunks_fts, 2.0, 1.0) AS score "
  "  FROM document_chunks_fts "
  "  JOIN document_chunks c ON c.id = document_chunks_fts.rowid "
  "  JOIN documents d ON d.id = c.document_id "
  "  WHERE document_chunks_fts MATCH ?1 AND d.project_id = ?2 "
  "    AND d.deleted_at IS NULL AND d.status = 'ready' "
  "  ORDER BY score, c.id LIMIT ?3) "
  RANKED_SELECT ("");

/* Whether there are at least ?2 matches in all projects. */
static const char *const count_sql =
  "SELECT count(*) FROM (SELECT 1 FROM document_chunks_fts WHERE document_chunks_fts MATCH ?1 LIMIT ?2)";

static gboolean
run_search (SearchTx    *s,
            const char  *sql,
            guint        candidates,
            gint64      *n_candidates,
            GError     **error)
{
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  stmt = _wr_store_prepare (s->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, s->match);
  _wr_db_bind_text (stmt, 2, s->project_id);
  sqlite3_bind_int (stmt, 3, s->limit);
  if (candidates > 0)
    sqlite3_bind_int (stmt, 4, candidates);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WrKnowledgeHit *hit = g_new0 (WrKnowledgeHit, 1);

      hit->document_id = g_strdup (_wr_db_column_text (stmt, 0));
      hit->document_name = g_strdup (_wr_db_column_text (stmt, 1));
      hit->kind = g_strdup (_wr_db_column_text (stmt, 2));
      hit->chunk_id = sqlite3_column_int64 (stmt, 3);
      hit->locator_kind = g_strdup (_wr_db_column_text (stmt, 4));
      hit->locator = sqlite3_column_int64 (stmt, 5);
      hit->title = g_strdup (_wr_db_column_text (stmt, 6));
      hit->snippet = g_strdup (_wr_db_column_text (stmt, 7));
      hit->score = sqlite3_column_double (stmt, 8);
      if (n_candidates != NULL)
        *n_candidates = sqlite3_column_int64 (stmt, 9);
      if (hit->title == NULL)
        hit->title = g_strdup ("");
      if (hit->snippet == NULL)
        hit->snippet = g_strdup ("");
      g_ptr_array_add (s->hits, hit);
    }
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (s->store, rc, error);

  return TRUE;
}

static gboolean
search_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  SearchTx *s = data;

  (void) db;

  guint candidates = s->limit * 10 + 100;
  gint64 n_candidates = 0;

  if (!run_search (s, candidates_sql, candidates, &n_candidates, error))
    return FALSE;
  if (s->hits->len >= s->limit)
    return TRUE;

  /* Fewer hits than asked: exact when the candidates were every match. */
  if (s->hits->len == 0)
    {
      g_autoptr(WrDbStmt) count = _wr_store_prepare (s->store, count_sql, error);
      int rc;

      if (count == NULL)
        return FALSE;
      _wr_db_bind_text (count, 1, s->match);
      sqlite3_bind_int (count, 2, candidates);
      rc = sqlite3_step (count);
      if (rc != SQLITE_ROW)
        return _wr_store_sqlite_error (s->store, rc, error);
      n_candidates = sqlite3_column_int64 (count, 0);
    }
  if (n_candidates < candidates)
    return TRUE;

  g_ptr_array_set_size (s->hits, 0);
  return run_search (s, exact_sql, 0, NULL, error);
}

GPtrArray *
wr_knowledge_search (WrStore     *store,
                     const char  *project_id,
                     const char  *query,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_knowledge_hit_free);
  g_autofree char *match = NULL;
  SearchTx s = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  match = wr_knowledge_build_match (query);
  if (match == NULL)
    return g_steal_pointer (&hits);

  s.store = store;
  s.project_id = project_id;
  s.match = match;
  s.limit = limit == 0 ? DEFAULT_LIMIT : MIN (limit, MAX_LIMIT);
  s.hits = hits;

  if (!_wr_store_run_read (store, search_tx, &s, error))
    return NULL;

  return g_steal_pointer (&hits);
}

typedef struct {
  char  *project_id;
  char  *query;
  guint  limit;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->project_id);
  g_free (data->query);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  if (g_task_return_error_if_cancelled (task))
    return;

  (void) cancellable;
  hits = wr_knowledge_search (source_object, data->project_id, data->query, data->limit, &error);
  if (hits == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

void
wr_knowledge_search_async (WrStore             *store,
                           const char          *project_id,
                           const char          *query,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (query != NULL);

  data = g_new0 (SearchData, 1);
  data->project_id = g_strdup (project_id);
  data->query = g_strdup (query);
  data->limit = limit;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_knowledge_search_async);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);
}

GPtrArray *
wr_knowledge_search_finish (WrStore       *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_knowledge_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Snippets --------------------------------------------------------------- */

static char *
replace_markers (const char *snippet,
                 const char *start,
                 const char *end,
                 gboolean    escape)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean open = FALSE;
  const char *p = snippet;

  while (*p != '\0')
    {
      gsize run = strcspn (p, WR_KNOWLEDGE_MARK_START WR_KNOWLEDGE_MARK_END);

      if (run > 0)
        {
          if (escape)
            {
              g_autofree char *escaped = g_markup_escape_text (p, run);

              g_string_append (out, escaped);
            }
          else
            {
              g_string_append_len (out, p, run);
            }
          p += run;
          continue;
        }

      /* A marker: only balanced pairs become tags. */
      if (*p == WR_KNOWLEDGE_MARK_START[0] && !open)
        {
          g_string_append (out, start);
          open = TRUE;
        }
      else if (*p == WR_KNOWLEDGE_MARK_END[0] && open)
        {
          g_string_append (out, end);
          open = FALSE;
        }
      p++;
    }

  if (open)
    g_string_append (out, end);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
wr_knowledge_snippet_to_markup (const char *snippet)
{
  g_autofree char *valid = NULL;

  g_return_val_if_fail (snippet != NULL, NULL);

  valid = g_utf8_make_valid (snippet, -1);

  return replace_markers (valid, "<b>", "</b>", TRUE);
}

char *
wr_knowledge_snippet_replace (const char *snippet,
                              const char *start,
                              const char *end)
{
  g_return_val_if_fail (snippet != NULL, NULL);

  return replace_markers (snippet, start != NULL ? start : "", end != NULL ? end : "", FALSE);
}

char *
wr_knowledge_format_locator (const char *locator_kind,
                             gint64      locator)
{
  g_return_val_if_fail (locator_kind != NULL, NULL);

  if (g_str_equal (locator_kind, "slide"))
    return g_strdup_printf (_("slide %" G_GINT64_FORMAT), locator);
  if (g_str_equal (locator_kind, "page"))
    return g_strdup_printf (_("page %" G_GINT64_FORMAT), locator);
  if (g_str_equal (locator_kind, "sheet"))
    return g_strdup_printf (_("sheet %" G_GINT64_FORMAT), locator);
  if (g_str_equal (locator_kind, "heading"))
    return locator > 0 ? g_strdup_printf (_("heading %" G_GINT64_FORMAT), locator)
                       : g_strdup (_("start"));
  if (g_str_equal (locator_kind, "image"))
    return g_strdup (_("image"));

  return locator > 0 ? g_strdup_printf (_("section %" G_GINT64_FORMAT), locator)
                     : g_strdup (_("section"));
}
