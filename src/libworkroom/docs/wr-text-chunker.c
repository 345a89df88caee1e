/* wr-text-chunker.c — cutting text at its structure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "wr-text-chunker.h"

WrDocChunk *
wr_doc_chunk_new (const char *locator_kind,
                  gint64      locator,
                  const char *title,
                  const char *text)
{
  WrDocChunk *chunk = g_new0 (WrDocChunk, 1);

  chunk->locator_kind = g_strdup (locator_kind);
  chunk->locator = locator;
  chunk->title = g_strdup (title != NULL ? title : "");
  chunk->text = g_strdup (text);

  return chunk;
}

void
wr_doc_chunk_free (WrDocChunk *chunk)
{
  if (chunk == NULL)
    return;

  g_free (chunk->locator_kind);
  g_free (chunk->title);
  g_free (chunk->text);
  g_free (chunk);
}

GPtrArray *
wr_doc_chunks_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) wr_doc_chunk_free);
}

/* Helpers ---------------------------------------------------------------- */

static gboolean
is_blank (const char *start,
          const char *end)
{
  for (const char *p = start; p < end; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

static void
flush (GPtrArray   *chunks,
       const char  *locator_kind,
       gint64       locator,
       const char  *title,
       GString     *buffer,
       guint       *added)
{
  g_autofree char *text = g_strstrip (g_strndup (buffer->str, buffer->len));

  g_string_truncate (buffer, 0);
  if (*text == '\0')
    return;

  g_ptr_array_add (chunks, wr_doc_chunk_new (locator_kind, locator, title, text));
  (*added)++;
}

/* Where to cut @text (length @len bytes, longer than @max) so the first
 * piece holds at most about @max bytes: the last newline, else the last
 * space, in the second half of the window, else a UTF-8 boundary. */
static gsize
cut_point (const char *text,
           gsize       len,
           gsize       max)
{
  gsize limit = MIN (len, max);

  for (gsize i = limit; i > max / 2; i--)
    if (text[i - 1] == '\n')
      return i;

  for (gsize i = limit; i > max / 2; i--)
    if (text[i - 1] == ' ' || text[i - 1] == '\t')
      return i;

  /* Hard cut, backing up to the start of a UTF-8 character. */
  while (limit > 0 && ((guchar) text[limit] & 0xC0) == 0x80)
    limit--;

  return limit > 0 ? limit : len;
}

/* API -------------------------------------------------------------------- */

guint
wr_text_chunker_add_section (GPtrArray  *chunks,
                             const char *locator_kind,
                             gint64      locator,
                             const char *title,
                             const char *text)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  const gsize max = WR_CHUNK_TARGET_CHARS;
  const char *p;
  guint added = 0;

  g_return_val_if_fail (chunks != NULL, 0);
  g_return_val_if_fail (locator_kind != NULL, 0);

  if (text == NULL)
    return 0;

  p = text;
  while (*p != '\0')
    {
      /* One paragraph: up to a blank line. */
      const char *end = p;
      const char *next;

      for (;;)
        {
          const char *nl = strchr (end, '\n');
          const char *line_end;

          if (nl == NULL)
            {
              end = end + strlen (end);
              next = end;
              break;
            }

          /* Is the following line blank? */
          line_end = strchr (nl + 1, '\n');
          if (line_end == NULL)
            line_end = nl + 1 + strlen (nl + 1);
          if (is_blank (nl + 1, line_end))
            {
              end = nl;
              next = *line_end != '\0' ? line_end + 1 : line_end;
              break;
            }
          end = nl + 1;
        }

      if (!is_blank (p, end))
        {
          gsize len = end - p;

          if (buffer->len > 0 && buffer->len + 2 + len > max)
            flush (chunks, locator_kind, locator, title, buffer, &added);

          if (len > max)
            {
              /* A paragraph longer than a chunk: cut it into pieces. */
              const char *q = p;

              while ((gsize) (end - q) > max)
                {
                  gsize cut = cut_point (q, end - q, max);

                  g_string_append_len (buffer, q, cut);
                  flush (chunks, locator_kind, locator, title, buffer, &added);
                  q += cut;
                }
              g_string_append_len (buffer, q, end - q);
            }
          else
            {
              if (buffer->len > 0)
                g_string_append (buffer, "\n\n");
              g_string_append_len (buffer, p, len);
            }
        }

      p = next;
    }

  flush (chunks, locator_kind, locator, title, buffer, &added);

  return added;
}

GPtrArray *
wr_text_chunker_split_plain (const char *text)
{
  g_autoptr(GPtrArray) chunks = wr_doc_chunks_new ();
  g_autoptr(GPtrArray) pieces = wr_doc_chunks_new ();

  g_return_val_if_fail (text != NULL, NULL);

  /* Cut once, then number the pieces as sections. */
  wr_text_chunker_add_section (pieces, "section", 0, NULL, text);
  for (guint i = 0; i < pieces->len; i++)
    {
      WrDocChunk *piece = g_ptr_array_index (pieces, i);

      g_ptr_array_add (chunks, wr_doc_chunk_new ("section", i + 1, NULL, piece->text));
    }

  return g_steal_pointer (&chunks);
}

/* The heading text of an ATX heading line ("## Title ##"), or NULL. */
static char *
atx_heading (const char *line)
{
  const char *p = line;
  int level = 0;
  g_autofree char *text = NULL;
  char *end;

  while (*p == ' ' && p - line < 3)
    p++;
  while (*p == '#')
    {
      level++;
      p++;
    }
  if (level == 0 || level > 6 || (*p != ' ' && *p != '\t' && *p != '\0'))
    return NULL;

  text = g_strstrip (g_strdup (p));
  /* Drop a closing run of #s. */
  end = text + strlen (text);
  while (end > text && end[-1] == '#')
    end--;
  if (end == text || end[-1] == ' ' || end[-1] == '\t')
    *end = '\0';

  return g_strdup (g_strstrip (text));
}

static gboolean
is_setext_underline (const char *line)
{
  g_autofree char *s = g_strstrip (g_strdup (line));
  char c = s[0];

  if (c != '=' && c != '-')
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (*p != c)
      return FALSE;

  return TRUE;
}

static gboolean
is_fence (const char *line)
{
  const char *p = line;

  while (*p == ' ' && p - line < 3)
    p++;

  return g_str_has_prefix (p, "```") || g_str_has_prefix (p, "~~~");
}

/* A heading's section; a heading with no text under it is still
 * searchable by its title. */
static void
add_heading (GPtrArray  *chunks,
             gint64      heading,
             const char *title,
             const char *body)
{
  if (wr_text_chunker_add_section (chunks, "heading", heading, title, body) == 0 && *title != '\0')
    g_ptr_array_add (chunks, wr_doc_chunk_new ("heading", heading, title, title));
}

GPtrArray *
wr_text_chunker_split_markdown (const char *text)
{
  g_autoptr(GPtrArray) chunks = wr_doc_chunks_new ();
  g_autoptr(GString) body = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *title = g_strdup ("");
  gint64 heading = 0;
  gboolean in_fence = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autofree char *atx = NULL;
      char *cr = strchr (lines[i], '\r');

      if (cr != NULL && cr[1] == '\0')
        *cr = '\0';

      if (is_fence (line))
        in_fence = !in_fence;

      if (!in_fence && (atx = atx_heading (line)) != NULL)
        {
          add_heading (chunks, heading, title, body->str);
          g_string_truncate (body, 0);
          g_free (title);
          title = g_steal_pointer (&atx);
          heading++;
          continue;
        }

      /* "Title\n=====": the previous line (the last of the body) is the
       * heading. */
      if (!in_fence && lines[i + 1] != NULL && i > 0 && is_setext_underline (line) &&
          strchr (line, '=') != NULL)
        {
          const char *last_nl;
          g_autofree char *heading_text = NULL;

          g_strchomp (body->str);
          body->len = strlen (body->str);
          last_nl = strrchr (body->str, '\n');
          heading_text = g_strstrip (g_strdup (last_nl != NULL ? last_nl + 1 : body->str));
          if (*heading_text != '\0')
            {
              g_string_truncate (body, last_nl != NULL ? (gsize) (last_nl - body->str) : 0);
              add_heading (chunks, heading, title, body->str);
              g_string_truncate (body, 0);
              g_free (title);
              title = g_steal_pointer (&heading_text);
              heading++;
              continue;
            }
        }

      g_string_append (body, line);
      g_string_append_c (body, '\n');
    }

  add_heading (chunks, heading, title, body->str);

  return g_steal_pointer (&chunks);
}
