/* wr-knowledge-search.c — FTS5 search over document chunks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
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

/* Hybrid search ------------------------------------------------------------ */

#define VECTOR_SNIPPET_CHARS 160

void
wr_knowledge_normalize (float *vector,
                        guint  dims)
{
  double norm = 0;

  for (guint i = 0; i < dims; i++)
    norm += (double) vector[i] * vector[i];
  if (norm <= 0)
    return;
  norm = sqrt (norm);
  for (guint i = 0; i < dims; i++)
    vector[i] = (float) (vector[i] / norm);
}

typedef struct {
  gint64 chunk_id;
  float  score;
} Scored;

/* Eight independent sums: one running sum is a chain of dependent
 * additions (the compiler may not reorder float math), eight let the CPU
 * and the vectoriser work in parallel — four times faster over 768
 * dimensions. */
static inline float
load_float (const guint8 *p)
{
  float value;

  /* Unaligned (a blob inside an SQLite page): memcpy compiles to a plain
   * load. */
  memcpy (&value, p, sizeof value);
  return value;
}

/* @a: @n little-endian float32 as stored, read in place (no copy of the
 * row) on little-endian hosts. */
static float
dot_product (const guint8 *a,
             const float  *b,
             guint         n)
{
  float acc[8] = { 0 };
  float sum = 0;
  guint i = 0;

  for (; i + 8 <= n; i += 8)
    for (guint j = 0; j < 8; j++)
      acc[j] += load_float (a + 4 * (i + j)) * b[i + j];
  for (; i < n; i++)
    sum += load_float (a + 4 * i) * b[i];
  for (guint j = 0; j < 8; j++)
    sum += acc[j];
  return sum;
}

/* A min-heap of the best @cap scores: the root is the worst kept. */
typedef struct {
  Scored *items;
  guint   len;
  guint   cap;
} TopK;

static gboolean
scored_worse (const Scored *a,
              const Scored *b)
{
  return a->score < b->score || (a->score == b->score && a->chunk_id > b->chunk_id);
}

static void
topk_offer (TopK   *top,
            gint64  chunk_id,
            float   score)
{
  Scored item = { chunk_id, score };
  guint i;

  if (top->len < top->cap)
    {
      /* sift up */
      i = top->len++;
      while (i > 0 && scored_worse (&item, &top->items[(i - 1) / 2]))
        {
          top->items[i] = top->items[(i - 1) / 2];
          i = (i - 1) / 2;
        }
      top->items[i] = item;
      return;
    }

  if (top->cap == 0 || !scored_worse (&top->items[0], &item))
    return;

  /* replace the root, sift down */
  i = 0;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      const Scored *best = &item;

      if (l < top->len && scored_worse (&top->items[l], best))
        {
          m = l;
          best = &top->items[l];
        }
      if (r < top->len && scored_worse (&top->items[r], best))
        m = r;
      if (m == i)
        break;
      top->items[i] = top->items[m];
      i = m;
    }
  top->items[i] = item;
}

static int
compare_scored_desc (gconstpointer a,
                     gconstpointer b)
{
  const Scored *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->chunk_id < y->chunk_id ? -1 : x->chunk_id > y->chunk_id;
}

typedef struct {
  WrStore     *store;
  const char  *project_id;
  const char  *model;
  const float *query;      /* unit length */
  guint        dims;
  TopK         top;
  GArray      *fused;      /* Scored, chunks found only by vectors: filled in */
  GPtrArray   *hits;       /* hits to fill in */
} VectorTx;

/* Every vector of the project's live chunks, one row at a time. */
static const char *const vectors_sql =
  "SELECT c.id, v.vector FROM documents d "
  "JOIN document_chunks c ON c.document_id = d.id "
  "JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ?2 "
  "WHERE d.project_id = ?1 AND d.deleted_at IS NULL AND d.status = 'ready' AND v.dims = ?3";

static gboolean
vector_scan_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  VectorTx *s = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  g_autofree float *row = g_new (float, s->dims);
  gsize expected = (gsize) s->dims * sizeof (float);
  int rc;

  (void) db;

  stmt = _wr_store_prepare (s->store, vectors_sql, error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, s->project_id);
  _wr_db_bind_text (stmt, 2, s->model);
  sqlite3_bind_int (stmt, 3, s->dims);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (stmt, 1);
      float dot;

      if (blob == NULL || (gsize) sqlite3_column_bytes (stmt, 1) != expected)
        continue;
#if G_BYTE_ORDER == G_BIG_ENDIAN
      memcpy (row, blob, expected);
      for (guint i = 0; i < s->dims; i++)
        {
          guint32 bits;

          memcpy (&bits, &row[i], 4);
          bits = GUINT32_FROM_LE (bits);
          memcpy (&row[i], &bits, 4);
        }
      blob = row;
#else
      /* SQLite's buffers are malloc'ed, so aligned; copy when one is not. */
      if ((guintptr) blob % G_ALIGNOF (float) != 0)
        {
          memcpy (row, blob, expected);
          blob = row;
        }
#endif
      dot = dot_product (blob, s->query, s->dims);
      topk_offer (&s->top, sqlite3_column_int64 (stmt, 0), dot);
    }
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (s->store, rc, error);

  return TRUE;
}

static const char *const chunk_hit_sql =
  "SELECT d.id, d.name, d.kind, c.locator_kind, c.locator, c.title, substr (c.text, 1, ?2) "
  "FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ?1";

/* Hits for the chunks only the vectors found: the start of the passage as
 * snippet. */
static gboolean
vector_hits_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  VectorTx *s = data;
  g_autoptr(WrDbStmt) stmt = NULL;

  (void) db;

  stmt = _wr_store_prepare (s->store, chunk_hit_sql, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < s->fused->len; i++)
    {
      Scored *item = &g_array_index (s->fused, Scored, i);
      WrKnowledgeHit *hit;
      const char *text;
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, item->chunk_id);
      sqlite3_bind_int (stmt, 2, VECTOR_SNIPPET_CHARS + 1);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        return _wr_store_sqlite_error (s->store, rc, error);

      hit = g_new0 (WrKnowledgeHit, 1);
      hit->document_id = g_strdup (_wr_db_column_text (stmt, 0));
      hit->document_name = g_strdup (_wr_db_column_text (stmt, 1));
      hit->kind = g_strdup (_wr_db_column_text (stmt, 2));
      hit->chunk_id = item->chunk_id;
      hit->locator_kind = g_strdup (_wr_db_column_text (stmt, 3));
      hit->locator = sqlite3_column_int64 (stmt, 4);
      hit->title = g_strdup (_wr_db_column_text (stmt, 5) ? _wr_db_column_text (stmt, 5) : "");
      text = _wr_db_column_text (stmt, 6) ? _wr_db_column_text (stmt, 6) : "";
      if (g_utf8_strlen (text, -1) > VECTOR_SNIPPET_CHARS)
        {
          g_autofree char *start = g_utf8_substring (text, 0, VECTOR_SNIPPET_CHARS);

          hit->snippet = g_strconcat (g_strchomp (start), "…", NULL);
        }
      else
        hit->snippet = g_strdup (text);
      g_strdelimit (hit->snippet, "\n\t\r", ' ');
      hit->score = -item->score;
      g_ptr_array_add (s->hits, hit);
    }

  return TRUE;
}

GPtrArray *
wr_knowledge_search_hybrid (WrStore      *store,
                            const char   *project_id,
                            const char   *query,
                            const float  *query_vector,
                            guint         dims,
                            const char   *model,
                            guint         limit,
                            GError      **error)
{
  g_autoptr(GPtrArray) text_hits = NULL;
  g_autoptr(GPtrArray) vector_only = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_knowledge_hit_free);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_knowledge_hit_free);
  g_autoptr(GHashTable) fused = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Scored));
  g_autoptr(GArray) lookups = g_array_new (FALSE, FALSE, sizeof (Scored));
  g_autoptr(GHashTable) by_chunk = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree float *unit = NULL;
  g_autofree Scored *items = NULL;
  VectorTx s = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (query_vector != NULL || dims == 0, NULL);

  limit = limit == 0 ? DEFAULT_LIMIT : MIN (limit, MAX_LIMIT);

  text_hits = wr_knowledge_search (store, project_id, query, MAX (limit, WR_KNOWLEDGE_HYBRID_DEPTH), error);
  if (text_hits == NULL)
    return NULL;

  if (dims > 0 && model != NULL)
    {
      unit = g_memdup2 (query_vector, sizeof (float) * dims);
      wr_knowledge_normalize (unit, dims);

      items = g_new (Scored, MAX (limit, WR_KNOWLEDGE_HYBRID_DEPTH));
      s.store = store;
      s.project_id = project_id;
      s.model = model;
      s.query = unit;
      s.dims = dims;
      s.top.items = items;
      s.top.cap = MAX (limit, WR_KNOWLEDGE_HYBRID_DEPTH);
      if (!_wr_store_run_read (store, vector_scan_tx, &s, error))
        return NULL;
      qsort (s.top.items, s.top.len, sizeof (Scored), compare_scored_desc);
    }

  /* Reciprocal rank fusion. */
  for (guint i = 0; i < text_hits->len; i++)
    {
      WrKnowledgeHit *hit = g_ptr_array_index (text_hits, i);
      gint64 *key = g_memdup2 (&hit->chunk_id, sizeof (gint64));
      Scored item = { hit->chunk_id, 1.0f / (WR_KNOWLEDGE_RRF_K + i + 1) };

      g_hash_table_insert (fused, key, GUINT_TO_POINTER (ranked->len + 1));
      g_hash_table_insert (by_chunk, &hit->chunk_id, hit);
      g_array_append_val (ranked, item);
    }
  for (guint i = 0; i < s.top.len; i++)
    {
      gint64 chunk_id = s.top.items[i].chunk_id;
      float rrf = 1.0f / (WR_KNOWLEDGE_RRF_K + i + 1);
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (fused, &chunk_id));

      if (at > 0)
        g_array_index (ranked, Scored, at - 1).score += rrf;
      else
        {
          Scored item = { chunk_id, rrf };

          g_hash_table_insert (fused, g_memdup2 (&chunk_id, sizeof chunk_id),
                               GUINT_TO_POINTER (ranked->len + 1));
          g_array_append_val (ranked, item);
        }
    }
  g_array_sort (ranked, compare_scored_desc);
  if (ranked->len > limit)
    g_array_set_size (ranked, limit);

  for (guint i = 0; i < ranked->len; i++)
    {
      Scored *item = &g_array_index (ranked, Scored, i);

      if (!g_hash_table_contains (by_chunk, &item->chunk_id))
        g_array_append_val (lookups, *item);
    }
  if (lookups->len > 0)
    {
      s.fused = lookups;
      s.hits = vector_only;
      if (!_wr_store_run_read (store, vector_hits_tx, &s, error))
        return NULL;
      for (guint i = 0; i < vector_only->len; i++)
        {
          WrKnowledgeHit *hit = g_ptr_array_index (vector_only, i);

          g_hash_table_insert (by_chunk, &hit->chunk_id, hit);
        }
    }

  for (guint i = 0; i < ranked->len; i++)
    {
      Scored *item = &g_array_index (ranked, Scored, i);
      WrKnowledgeHit *hit = g_hash_table_lookup (by_chunk, &item->chunk_id);
      WrKnowledgeHit *copy;

      if (hit == NULL)
        continue;
      copy = g_new0 (WrKnowledgeHit, 1);
      copy->document_id = g_strdup (hit->document_id);
      copy->document_name = g_strdup (hit->document_name);
      copy->kind = g_strdup (hit->kind);
      copy->chunk_id = hit->chunk_id;
      copy->locator_kind = g_strdup (hit->locator_kind);
      copy->locator = hit->locator;
      copy->title = g_strdup (hit->title);
      copy->snippet = g_strdup (hit->snippet);
      copy->score = -item->score;
      g_ptr_array_add (hits, copy);
    }

  return g_steal_pointer (&hits);
}

static gboolean
has_vectors_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  VectorTx *s = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  stmt = _wr_store_prepare (s->store,
                            "SELECT EXISTS (SELECT 1 FROM documents d "
                            "JOIN document_chunks c ON c.document_id = d.id "
                            "JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ?2 "
                            "WHERE d.project_id = ?1 AND d.deleted_at IS NULL)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, s->project_id);
  _wr_db_bind_text (stmt, 2, s->model);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (s->store, rc, error);
  s->dims = sqlite3_column_int (stmt, 0);
  return TRUE;
}

gboolean
wr_knowledge_has_vectors (WrStore     *store,
                          const char  *project_id,
                          const char  *model,
                          GError     **error)
{
  VectorTx s = { 0 };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL && model != NULL, FALSE);

  s.store = store;
  s.project_id = project_id;
  s.model = model;
  if (!_wr_store_run_read (store, has_vectors_tx, &s, error))
    return FALSE;
  return s.dims != 0;
}
