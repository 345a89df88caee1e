/* wr-knowledge-context.c — see wr-knowledge-context.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "data/wr-dataset.h"
#include "docs/wr-text-chunker.h"
#include "store/wr-store-db.h"
#include "wr-knowledge-context.h"

/* What datasets may take of the block, and each dataset's entry. */
#define DATASETS_MAX_CHARS      3000
#define DATASET_MAX_CHARS       1200
#define DATASET_PREVIEW_ROWS    3
#define DATASET_MAX_COLUMNS     24
#define CELL_MAX_CHARS          40
/* A passage shorter than this is not worth its header. */
#define PASSAGE_MIN_CHARS       200
#define MAX_KEYWORDS            8

typedef struct {
  WrKnowledgeHit *hit;          /* owned; NULL for a dataset */
  char           *excerpt;      /* documents: a piece of the passage */
  char           *dataset_id;
  char           *dataset_name;
} Source;

struct _WrKnowledgeContext {
  GPtrArray *sources;           /* element-type Source; number = index + 1 */
  char      *prompt;
  guint      n_datasets;
};

static void
source_free (Source *source)
{
  g_clear_pointer (&source->hit, wr_knowledge_hit_free);
  g_free (source->excerpt);
  g_free (source->dataset_id);
  g_free (source->dataset_name);
  g_free (source);
}

void
wr_knowledge_context_free (WrKnowledgeContext *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_free (self->prompt);
  g_free (self);
}

static WrKnowledgeHit *
hit_copy (const WrKnowledgeHit *hit)
{
  WrKnowledgeHit *copy = g_new0 (WrKnowledgeHit, 1);

  copy->document_id = g_strdup (hit->document_id);
  copy->document_name = g_strdup (hit->document_name);
  copy->kind = g_strdup (hit->kind);
  copy->chunk_id = hit->chunk_id;
  copy->locator_kind = g_strdup (hit->locator_kind);
  copy->locator = hit->locator;
  copy->title = g_strdup (hit->title != NULL ? hit->title : "");
  copy->snippet = g_strdup (hit->snippet != NULL ? hit->snippet : "");
  copy->score = hit->score;

  return copy;
}

/* ------------------------------------------------------------- keywords */

static const char *const stopwords[] = {
  "about", "after", "all", "also", "and", "any", "are", "been", "but", "can",
  "could", "did", "does", "for", "from", "had", "has", "have", "how", "into",
  "its", "not", "our", "please", "say", "says", "should", "tell", "than",
  "that", "the", "their", "them", "then", "there", "these", "they", "this",
  "those", "was", "were", "what", "when", "where", "which", "who", "why",
  "will", "with", "would", "you", "your", NULL,
};

/* The question's distinctive words, lower-cased, each once. */
static GPtrArray *
question_keywords (const char *question)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = g_utf8_make_valid (question, -1);
  g_autofree char *lower = g_utf8_strdown (valid, -1);
  const char *p = lower;

  while (*p != '\0' && words->len < MAX_KEYWORDS)
    {
      const char *start;
      g_autofree char *word = NULL;
      gboolean seen = FALSE;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;

      word = g_strndup (start, p - start);
      if (g_utf8_strlen (word, -1) < 3 || g_strv_contains (stopwords, word))
        continue;

      for (guint i = 0; i < words->len && !seen; i++)
        seen = g_str_equal (g_ptr_array_index (words, i), word);
      if (!seen)
        g_ptr_array_add (words, g_steal_pointer (&word));
    }

  return g_steal_pointer (&words);
}

typedef struct {
  WrKnowledgeHit *hit;          /* borrowed from a search result */
  guint           matches;      /* keywords whose search found it */
  guint           best_rank;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = *(Candidate * const *) a;
  const Candidate *cb = *(Candidate * const *) b;

  if (ca->matches != cb->matches)
    return ca->matches > cb->matches ? -1 : 1;
  if (ca->best_rank != cb->best_rank)
    return ca->best_rank < cb->best_rank ? -1 : 1;
  return (ca->hit->chunk_id > cb->hit->chunk_id) - (ca->hit->chunk_id < cb->hit->chunk_id);
}

static gboolean
hits_have_chunk (GPtrArray *hits,
                 gint64     chunk_id)
{
  for (guint i = 0; i < hits->len; i++)
    if (((WrKnowledgeHit *) g_ptr_array_index (hits, i))->chunk_id == chunk_id)
      return TRUE;
  return FALSE;
}

/* Full-text search wants every word in one passage; a question's words
 * rarely are. Adds passages matching any keyword (most keywords first)
 * until @hits has @limit. A failing search adds nothing. */
static void
add_keyword_hits (WrStore    *store,
                  const char *project_id,
                  const char *question,
                  GPtrArray  *hits,
                  guint       limit)
{
  g_autoptr(GPtrArray) keywords = question_keywords (question);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) by_chunk = NULL;
  g_autoptr(GPtrArray) candidates = NULL;

  if (hits->len >= limit || keywords->len == 0)
    return;

  by_chunk = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, NULL);
  candidates = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < keywords->len; k++)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *found = wr_knowledge_search (store, project_id, g_ptr_array_index (keywords, k),
                                              limit * 2, &error);

      if (found == NULL)
        {
          g_debug ("Searching the project's documents for a keyword failed: %s", error->message);
          continue;
        }
      g_ptr_array_add (results, found);

      for (guint i = 0; i < found->len; i++)
        {
          WrKnowledgeHit *hit = g_ptr_array_index (found, i);
          Candidate *candidate;

          if (hits_have_chunk (hits, hit->chunk_id))
            continue;

          candidate = g_hash_table_lookup (by_chunk, &hit->chunk_id);
          if (candidate == NULL)
            {
              candidate = g_new0 (Candidate, 1);
              candidate->hit = hit;
              candidate->best_rank = i;
              g_hash_table_insert (by_chunk, &hit->chunk_id, candidate);
              g_ptr_array_add (candidates, candidate);
            }
          candidate->matches++;
          candidate->best_rank = MIN (candidate->best_rank, i);
        }
    }

  g_ptr_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len && hits->len < limit; i++)
    g_ptr_array_add (hits, hit_copy (((Candidate *) g_ptr_array_index (candidates, i))->hit));
}

/* ----------------------------------------------------------- store reads */

typedef struct {
  WrStore   *store;
  GPtrArray *hits;
  GPtrArray *texts;   /* element-type utf8, parallel to @hits */
} TextsTx;

static gboolean
read_texts_tx (sqlite3   *db,
               gpointer   data,
               GError   **error)
{
  TextsTx *tx = data;
  g_autoptr(WrDbStmt) stmt = _wr_store_prepare (tx->store,
                                                "SELECT text FROM document_chunks WHERE id = ?",
                                                error);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < tx->hits->len; i++)
    {
      WrKnowledgeHit *hit = g_ptr_array_index (tx->hits, i);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, hit->chunk_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (tx->texts, g_strdup (_wr_db_column_text (stmt, 0)));
      else if (rc == SQLITE_DONE)
        g_ptr_array_add (tx->texts, g_strdup (""));
      else
        return _wr_store_sqlite_error (tx->store, rc, error);
    }

  return TRUE;
}

/* ------------------------------------------------------------- trimming */

/* At most about @max_bytes of @text from @start, cut at a character (and
 * when one is near, a word) boundary, "…" marking cuts (transfer full). */
static char *
trim_text (const char *text,
           gsize       start,
           gsize       max_bytes)
{
  gsize len = strlen (text);
  const char *from;
  const char *end;
  const char *space;

  start = MIN (start, len);
  from = text + start;
  while (from > text && (*from & 0xC0) == 0x80)
    from--;
  if (strlen (from) <= max_bytes)
    return from == text ? g_strdup (text) : g_strconcat ("…", from, NULL);

  end = from + max_bytes;
  while (end > from && (*end & 0xC0) == 0x80)
    end--;
  space = end;
  while (space > from && !g_ascii_isspace (*space) && end - space < 40)
    space--;
  if (space > from && g_ascii_isspace (*space))
    end = space;

  {
    g_autofree char *piece = g_strndup (from, end - from);

    return g_strconcat (from == text ? "" : "…", piece, "…", NULL);
  }
}

/* The FTS snippet without its markers and ellipses: a piece of the text. */
static char *
snippet_plain (const char *snippet)
{
  g_autofree char *plain = wr_knowledge_snippet_replace (snippet != NULL ? snippet : "", "", "");
  char *p = plain;
  gsize len;

  while (g_str_has_prefix (p, "…"))
    p += strlen ("…");
  len = strlen (p);
  while (len >= strlen ("…") && strcmp (p + len - strlen ("…"), "…") == 0)
    {
      len -= strlen ("…");
      p[len] = '\0';
    }

  return g_strstrip (g_strdup (p));
}

/* One line, without newlines or tabs (for table cells and titles). */
static char *
one_line (const char *text,
          gsize       max_bytes)
{
  g_autofree char *copy = g_strdup (text != NULL ? text : "");

  for (char *c = copy; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t' || *c == '|')
      *c = ' ';

  return trim_text (g_strstrip (copy), 0, max_bytes);
}

/* ------------------------------------------------------------- datasets */

static char *
cell_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return one_line (json_node_get_string (node), CELL_MAX_CHARS);

  {
    g_autofree char *json = json_to_string (node, FALSE);
    return one_line (json, CELL_MAX_CHARS);
  }
}

/* "[n] name — dataset, 1,234 rows" then columns and first rows, bounded. */
static void
append_dataset (GString             *out,
                guint                n,
                const WrDatasetInfo *info)
{
  g_autoptr(GString) entry = g_string_new (NULL);
  g_autoptr(JsonNode) columns = info->columns != NULL ? json_from_string (info->columns, NULL) : NULL;
  g_autoptr(JsonNode) preview = info->preview != NULL ? json_from_string (info->preview, NULL) : NULL;
  g_autofree char *name = one_line (info->name, 120);
  guint n_columns = 0;

  g_string_append_printf (entry, "[%u] %s — ", n, name);
  g_string_append_printf (entry,
                          ngettext ("dataset, %" G_GINT64_FORMAT " row",
                                    "dataset, %" G_GINT64_FORMAT " rows",
                                    (gulong) MAX (info->row_count, 0)),
                          MAX (info->row_count, 0));
  g_string_append_c (entry, '\n');

  if (columns != NULL && JSON_NODE_HOLDS_ARRAY (columns))
    {
      JsonArray *array = json_node_get_array (columns);

      n_columns = json_array_get_length (array);
      g_string_append (entry, _("Columns:"));
      for (guint i = 0; i < n_columns && i < DATASET_MAX_COLUMNS; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *column = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *column_name = NULL;

          if (column == NULL)
            continue;
          column_name = one_line (json_object_get_string_member_with_default (column, "name", ""), 60);
          g_string_append_printf (entry, "%s %s (%s)", i > 0 ? "," : "", column_name,
                                  json_object_get_string_member_with_default (column, "type", "text"));
        }
      if (n_columns > DATASET_MAX_COLUMNS)
        g_string_append_printf (entry, _(", and %u more"), n_columns - DATASET_MAX_COLUMNS);
      g_string_append_c (entry, '\n');
    }

  if (preview != NULL && JSON_NODE_HOLDS_ARRAY (preview) && json_array_get_length (json_node_get_array (preview)) > 0)
    {
      JsonArray *rows = json_node_get_array (preview);

      g_string_append (entry, _("First rows:"));
      g_string_append_c (entry, '\n');
      for (guint r = 0; r < json_array_get_length (rows) && r < DATASET_PREVIEW_ROWS; r++)
        {
          JsonNode *row = json_array_get_element (rows, r);

          if (!JSON_NODE_HOLDS_ARRAY (row))
            continue;
          for (guint c = 0; c < json_array_get_length (json_node_get_array (row)) && c < DATASET_MAX_COLUMNS; c++)
            {
              g_autofree char *cell = cell_text (json_array_get_element (json_node_get_array (row), c));

              g_string_append_printf (entry, "%s%s", c > 0 ? " | " : "", cell);
            }
          g_string_append_c (entry, '\n');
        }
    }

  if (entry->len > DATASET_MAX_CHARS)
    {
      g_autofree char *cut = trim_text (entry->str, 0, DATASET_MAX_CHARS);

      g_string_append (out, cut);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append (out, entry->str);
  g_string_append_c (out, '\n');
}

/* ---------------------------------------------------------------- build */

static void
append_instructions (GString  *out,
                     gboolean  any_sources,
                     gboolean  has_datasets)
{
  g_string_append (out, _("# Project knowledge\n\n"));
  if (!any_sources)
    {
      g_string_append (out, _("The project's documents were searched for this question and nothing "
                              "relevant was found. Say that the project's documents do not contain "
                              "the answer before answering from general knowledge.\n"));
      return;
    }

  g_string_append (out, _("Answer from the numbered sources below, taken from the project's documents "
                          "and datasets. After each statement that uses a source, cite it with its "
                          "number in square brackets, like [1] or [1, 3]. Cite only numbers listed "
                          "below. If the sources do not contain the answer, say so plainly instead "
                          "of guessing.\n"));
  if (has_datasets)
    g_string_append (out, _("When a chart would answer best, reply with a fenced code block whose "
                            "info string is chart, holding JSON of the form {\"type\": \"bar\" | "
                            "\"line\" | \"area\" | \"scatter\" | \"pie\", \"title\": \"…\", "
                            "\"x_label\": \"…\", \"y_label\": \"…\", \"series\": [{\"name\": \"…\", "
                            "\"x\": [\"Jan\", \"Feb\"] or numbers, \"y\": [numbers]}]}, with values "
                            "taken from the sources.\n"));
  g_string_append (out, _("\nSources:\n\n"));
}

WrKnowledgeContext *
wr_knowledge_context_build (WrStore     *store,
                            const char  *project_id,
                            const char  *question,
                            GPtrArray   *hits,
                            GError     **error)
{
  g_autoptr(WrKnowledgeContext) self = NULL;
  g_autoptr(GPtrArray) all_hits = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_knowledge_hit_free);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GPtrArray) ready = g_ptr_array_new ();
  g_autoptr(GString) sources = g_string_new (NULL);
  g_autoptr(GString) prompt = g_string_new (NULL);
  TextsTx tx = { store, all_hits, texts };
  gsize budget;
  gsize dataset_budget = DATASETS_MAX_CHARS;
  guint n_passages = 0;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (question != NULL, NULL);

  self = g_new0 (WrKnowledgeContext, 1);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);

  for (guint i = 0; hits != NULL && i < hits->len && all_hits->len < WR_KNOWLEDGE_CONTEXT_SOURCES; i++)
    {
      WrKnowledgeHit *hit = g_ptr_array_index (hits, i);

      if (!hits_have_chunk (all_hits, hit->chunk_id))
        g_ptr_array_add (all_hits, hit_copy (hit));
    }
  add_keyword_hits (store, project_id, question, all_hits, WR_KNOWLEDGE_CONTEXT_SOURCES);

  if (all_hits->len > 0 && !_wr_store_run_read (store, read_texts_tx, &tx, error))
    return NULL;

  datasets = wr_dataset_list (store, project_id, error);
  if (datasets == NULL)
    return NULL;
  for (guint i = 0; i < datasets->len; i++)
    {
      WrDatasetInfo *info = g_ptr_array_index (datasets, i);

      if (g_strcmp0 (info->status, "ready") == 0 && g_strcmp0 (info->project_id, project_id) == 0)
        g_ptr_array_add (ready, info);
    }

  /* Passages get what the instructions and datasets leave. */
  {
    g_autoptr(GString) head = g_string_new (NULL);

    append_instructions (head, TRUE, ready->len > 0);
    budget = WR_KNOWLEDGE_CONTEXT_MAX_CHARS - head->len;
    if (ready->len > 0)
      budget -= MIN (budget / 3, (gsize) DATASETS_MAX_CHARS);
  }

  for (guint i = 0; i < all_hits->len; i++)
    {
      WrKnowledgeHit *hit = g_ptr_array_index (all_hits, i);
      const char *text = g_ptr_array_index (texts, i);
      g_autofree char *locator = wr_knowledge_format_locator (hit->locator_kind, hit->locator);
      g_autofree char *name = one_line (hit->document_name, 120);
      g_autofree char *title = one_line (hit->title, 120);
      g_autofree char *plain = snippet_plain (hit->snippet);
      g_autoptr(GString) header = g_string_new (NULL);
      g_autofree char *passage = NULL;
      const char *at;
      gsize share;
      gsize start = 0;
      Source *source;

      /* The title is in the header already. */
      if (hit->title != NULL && hit->title[0] != '\0' && g_str_has_prefix (text, hit->title) &&
          (text[strlen (hit->title)] == '\n' || text[strlen (hit->title)] == '\0'))
        {
          text += strlen (hit->title);
          while (*text == '\n' || *text == ' ')
            text++;
        }
      if (text[0] == '\0')
        continue;

      g_string_append_printf (header, "[%u] %s — %s", self->sources->len + 1, name, locator);
      if (title[0] != '\0')
        g_string_append_printf (header, ": %s", title);
      g_string_append_c (header, '\n');

      /* An even share of what is left, so later passages still fit. */
      if (budget < header->len + PASSAGE_MIN_CHARS + 2)
        break;
      share = (budget - header->len - 2) / MAX (1u, MIN (all_hits->len - i, 3u));
      share = CLAMP (share, PASSAGE_MIN_CHARS, WR_KNOWLEDGE_PASSAGE_MAX_CHARS);

      /* Long passages show the part around the match. */
      at = plain[0] != '\0' ? strstr (text, plain) : NULL;
      if (at != NULL && (gsize) (at - text) + strlen (plain) > share)
        start = (gsize) (at - text) > share / 3 ? (gsize) (at - text) - share / 3 : 0;
      passage = trim_text (text, start, share);

      g_string_append (sources, header->str);
      g_string_append (sources, passage);
      g_string_append (sources, "\n\n");
      budget -= MIN (budget, header->len + strlen (passage) + 2);

      source = g_new0 (Source, 1);
      source->hit = hit_copy (hit);
      source->excerpt = plain[0] != '\0' && at != NULL ? g_strdup (plain)
                                                      : trim_text (text, 0, WR_KNOWLEDGE_EXCERPT_MAX_CHARS);
      if (strlen (source->excerpt) > WR_KNOWLEDGE_EXCERPT_MAX_CHARS + 8)
        {
          g_autofree char *longer = g_steal_pointer (&source->excerpt);
          source->excerpt = trim_text (longer, 0, WR_KNOWLEDGE_EXCERPT_MAX_CHARS);
        }
      g_ptr_array_add (self->sources, source);
      n_passages++;
    }

  for (guint i = 0; i < ready->len; i++)
    {
      WrDatasetInfo *info = g_ptr_array_index (ready, i);
      g_autoptr(GString) entry = g_string_new (NULL);
      Source *source;

      append_dataset (entry, self->sources->len + 1, info);
      if (entry->len > dataset_budget)
        break;
      dataset_budget -= entry->len;
      g_string_append (sources, entry->str);

      source = g_new0 (Source, 1);
      source->dataset_id = g_strdup (info->id);
      source->dataset_name = g_strdup (info->name);
      g_ptr_array_add (self->sources, source);
      self->n_datasets++;
    }

  append_instructions (prompt, self->sources->len > 0, self->n_datasets > 0);
  g_string_append (prompt, sources->str);
  while (prompt->len > 0 && prompt->str[prompt->len - 1] == '\n')
    g_string_truncate (prompt, prompt->len - 1);
  g_string_append_c (prompt, '\n');
  self->prompt = g_string_free (g_steal_pointer (&prompt), FALSE);

  return g_steal_pointer (&self);
}

const char *
wr_knowledge_context_get_prompt (WrKnowledgeContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->prompt;
}

guint
wr_knowledge_context_get_n_sources (WrKnowledgeContext *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->sources->len;
}

guint
wr_knowledge_context_get_n_datasets (WrKnowledgeContext *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_datasets;
}

/* -------------------------------------------------------------- citing */

GArray *
wr_knowledge_parse_cited (const char *answer,
                          guint       n_sources)
{
  GArray *cited = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *p = answer;

  if (answer == NULL)
    return cited;

  while ((p = strchr (p, '[')) != NULL)
    {
      const char *q = ++p;
      g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
      gboolean valid = FALSE;

      /* "[1]", "[1, 3]", "[1,3]" */
      while (g_ascii_isdigit (*q))
        {
          guint64 n = 0;

          while (g_ascii_isdigit (*q))
            {
              n = MIN (n * 10 + (guint64) (*q - '0'), (guint64) G_MAXUINT);
              q++;
            }
          g_array_append_val (numbers, n);
          if (*q == ']')
            {
              valid = TRUE;
              break;
            }
          if (*q != ',')
            break;
          q++;
          while (*q == ' ')
            q++;
        }

      /* "[1](https://…)" is a link, not a citation. */
      if (!valid || q[1] == '(')
        continue;

      for (guint i = 0; i < numbers->len; i++)
        {
          guint n = g_array_index (numbers, guint, i);
          gboolean seen = FALSE;

          for (guint j = 0; j < cited->len && !seen; j++)
            seen = g_array_index (cited, guint, j) == n;
          if (n >= 1 && n <= n_sources && !seen)
            g_array_append_val (cited, n);
        }
      p = q + 1;
    }

  return cited;
}

char *
wr_knowledge_context_to_json (WrKnowledgeContext *self,
                              const char         *answer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) cited = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  cited = wr_knowledge_parse_cited (answer, self->sources->len);

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *source = g_ptr_array_index (self->sources, i);
      gboolean is_cited = FALSE;

      for (guint j = 0; j < cited->len && !is_cited; j++)
        is_cited = g_array_index (cited, guint, j) == i + 1;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, i + 1);
      if (source->hit != NULL)
        {
          json_builder_set_member_name (builder, "document_id");
          json_builder_add_string_value (builder, source->hit->document_id);
          json_builder_set_member_name (builder, "document_name");
          json_builder_add_string_value (builder, source->hit->document_name);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, source->hit->kind);
          json_builder_set_member_name (builder, "chunk_id");
          json_builder_add_int_value (builder, source->hit->chunk_id);
          json_builder_set_member_name (builder, "locator_kind");
          json_builder_add_string_value (builder, source->hit->locator_kind);
          json_builder_set_member_name (builder, "locator");
          json_builder_add_int_value (builder, source->hit->locator);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, source->hit->title);
          json_builder_set_member_name (builder, "excerpt");
          json_builder_add_string_value (builder, source->excerpt);
        }
      else
        {
          json_builder_set_member_name (builder, "dataset_id");
          json_builder_add_string_value (builder, source->dataset_id);
          json_builder_set_member_name (builder, "dataset_name");
          json_builder_add_string_value (builder, source->dataset_name);
        }
      if (is_cited)
        {
          json_builder_set_member_name (builder, "cited");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ----------------------------------------------------------- citations */

void
wr_citation_free (WrCitation *citation)
{
  if (citation == NULL)
    return;

  g_free (citation->document_id);
  g_free (citation->document_name);
  g_free (citation->kind);
  g_free (citation->locator_kind);
  g_free (citation->title);
  g_free (citation->excerpt);
  g_free (citation->dataset_id);
  g_free (citation->dataset_name);
  g_free (citation);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

GPtrArray *
wr_citations_parse (const char *json)
{
  GPtrArray *citations = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_citation_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (json == NULL)
    return citations;

  root = json_from_string (json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return citations;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      WrCitation *citation;

      if (object == NULL)
        continue;

      citation = g_new0 (WrCitation, 1);
      citation->n = (guint) json_object_get_int_member_with_default (object, "n", i + 1);
      citation->cited = json_object_get_boolean_member_with_default (object, "cited", FALSE);
      citation->document_id = dup_member (object, "document_id");
      citation->document_name = dup_member (object, "document_name");
      citation->kind = dup_member (object, "kind");
      citation->chunk_id = json_object_get_int_member_with_default (object, "chunk_id", 0);
      citation->locator_kind = dup_member (object, "locator_kind");
      citation->locator = json_object_get_int_member_with_default (object, "locator", 0);
      citation->title = dup_member (object, "title");
      citation->excerpt = dup_member (object, "excerpt");
      citation->dataset_id = dup_member (object, "dataset_id");
      citation->dataset_name = dup_member (object, "dataset_name");
      g_ptr_array_add (citations, citation);
    }

  return citations;
}

char *
wr_citation_describe (const WrCitation *citation,
                      const char       *separator)
{
  g_autofree char *locator = NULL;

  g_return_val_if_fail (citation != NULL, NULL);

  if (citation->document_id == NULL)
    return g_strdup (citation->dataset_name != NULL ? citation->dataset_name : _("Dataset"));

  if (citation->locator_kind == NULL)
    return g_strdup (citation->document_name != NULL ? citation->document_name : "");

  locator = wr_knowledge_format_locator (citation->locator_kind, citation->locator);
  return g_strdup_printf ("%s%s%s", citation->document_name != NULL ? citation->document_name : "",
                          separator != NULL ? separator : ", ", locator);
}

/* ------------------------------------------------------ document chunks */

typedef struct {
  WrStore    *store;
  const char *document_id;
  gint64      chunk_id;
  GPtrArray  *chunks;
  guint       index;
} ChunksTx;

static gboolean
read_chunks_tx (sqlite3   *db,
                gpointer   data,
                GError   **error)
{
  ChunksTx *tx = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  stmt = _wr_store_prepare (tx->store,
                            "SELECT c.id, c.locator_kind, c.locator, c.title, c.text "
                            "FROM document_chunks c JOIN documents d ON d.id = c.document_id "
                            "WHERE c.document_id = ? AND d.deleted_at IS NULL ORDER BY c.ord, c.id",
                            error);
  if (stmt == NULL)
    return FALSE;

  _wr_db_bind_text (stmt, 1, tx->document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sqlite3_column_int64 (stmt, 0) == tx->chunk_id)
        tx->index = tx->chunks->len;
      g_ptr_array_add (tx->chunks, wr_doc_chunk_new (_wr_db_column_text (stmt, 1),
                                                     sqlite3_column_int64 (stmt, 2),
                                                     _wr_db_column_text (stmt, 3),
                                                     _wr_db_column_text (stmt, 4)));
    }
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (tx->store, rc, error);

  return TRUE;
}

GPtrArray *
wr_knowledge_load_document_chunks (WrStore     *store,
                                   const char  *document_id,
                                   gint64       chunk_id,
                                   guint       *out_index,
                                   GError     **error)
{
  g_autoptr(GPtrArray) chunks = wr_doc_chunks_new ();
  ChunksTx tx = { store, document_id, chunk_id, chunks, 0 };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  if (!_wr_store_run_read (store, read_chunks_tx, &tx, error))
    return NULL;

  if (out_index != NULL)
    *out_index = tx.index;
  return g_steal_pointer (&chunks);
}
