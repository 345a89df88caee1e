/* fuzz-markdown.c — the markdown converter must turn anything into markup
 * that GtkLabel accepts.
 *
 * Every text block's markup goes through what GtkLabel does with it: its
 * <a href> links are taken out by a GMarkup pass (GTK's parse_uri_markup()
 * only knows href, title and class, and no nesting), and the rest must
 * pass pango_parse_markup(). Code and rule blocks carry no markup, code
 * text must be valid UTF-8. The same text fed to a WrMarkdownDocument as a
 * growing stream (split at points taken from the input) must give valid
 * blocks at every step, and the final parse must equal wr_markdown_parse().
 *
 * Input layout: byte 0 seeds the stream's split points; the rest is the
 * markdown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <pango/pango.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "chat/wr-markdown.h"

typedef struct
{
  GString *out;
  guint    link_depth;
} Unlink;

static void
unlink_start (GMarkupParseContext  *context,
              const char           *element,
              const char          **names,
              const char          **values,
              gpointer              user_data,
              GError              **error)
{
  Unlink *u = user_data;

  if (g_str_equal (element, "a"))
    {
      gboolean has_href = FALSE;

      if (u->link_depth > 0)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "nested link");
          return;
        }
      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "href"))
            has_href = TRUE;
          else if (!g_str_equal (names[i], "title") && !g_str_equal (names[i], "class"))
            {
              g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ATTRIBUTE,
                           "link attribute %s", names[i]);
              return;
            }
        }
      if (!has_href)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE, "link without href");
          return;
        }
      u->link_depth++;
      return;
    }

  g_string_append_printf (u->out, "<%s", element);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = g_markup_escape_text (values[i], -1);
      g_string_append_printf (u->out, " %s=\"%s\"", names[i], value);
    }
  g_string_append_c (u->out, '>');
}

static void
unlink_end (GMarkupParseContext  *context,
            const char           *element,
            gpointer              user_data,
            GError              **error)
{
  Unlink *u = user_data;

  if (g_str_equal (element, "a"))
    u->link_depth--;
  else
    g_string_append_printf (u->out, "</%s>", element);
}

static void
unlink_text (GMarkupParseContext  *context,
             const char           *text,
             gsize                 len,
             gpointer              user_data,
             GError              **error)
{
  Unlink *u = user_data;
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (u->out, escaped);
}

static const GMarkupParser unlink_parser = {
  unlink_start, unlink_end, unlink_text, NULL, NULL,
};

static void
check_markup (const char *markup)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *wrapped = NULL;
  g_autofree char *text = NULL;
  Unlink u = { out, 0 };

  FUZZ_CHECK (markup != NULL, "text block without markup");
  FUZZ_CHECK (g_utf8_validate (markup, -1, NULL), "invalid UTF-8 in markup");

  /* As GtkLabel: a root element around the label's text. */
  wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  context = g_markup_parse_context_new (&unlink_parser, 0, &u, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    FUZZ_CHECK (FALSE, "GtkLabel would reject %s: %s", markup, error->message);
  FUZZ_CHECK (u.link_depth == 0, "unclosed link");

  /* out still holds the <markup> root, which Pango accepts. */
  if (!pango_parse_markup (out->str, out->len, 0, NULL, &text, NULL, &error))
    FUZZ_CHECK (FALSE, "Pango rejects %s: %s", markup, error->message);
}

static void
check_blocks (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      const WrMarkdownBlock *block = g_ptr_array_index (blocks, i);

      switch (block->kind)
        {
        case WR_MARKDOWN_BLOCK_CODE:
          FUZZ_CHECK (block->markup == NULL, "code block with markup");
          FUZZ_CHECK (block->text != NULL && g_utf8_validate (block->text, -1, NULL),
                      "code text missing or invalid UTF-8");
          FUZZ_CHECK (block->language == NULL || g_utf8_validate (block->language, -1, NULL),
                      "invalid language");
          break;
        case WR_MARKDOWN_BLOCK_RULE:
          FUZZ_CHECK (block->markup == NULL && block->text == NULL, "rule with text");
          break;
        case WR_MARKDOWN_BLOCK_HEADING:
          FUZZ_CHECK (block->level >= 1 && block->level <= 6, "heading level %u", block->level);
          check_markup (block->markup);
          break;
        case WR_MARKDOWN_BLOCK_LIST_ITEM:
          FUZZ_CHECK (block->bullet != NULL && g_utf8_validate (block->bullet, -1, NULL), "bullet");
          FUZZ_CHECK (block->indent >= 1, "list item outside a list");
          check_markup (block->markup);
          break;
        case WR_MARKDOWN_BLOCK_PARAGRAPH:
        case WR_MARKDOWN_BLOCK_QUOTE:
          check_markup (block->markup);
          break;
        default:
          FUZZ_CHECK (FALSE, "unknown block kind %d", block->kind);
        }
    }
}

static void
check_same_blocks (GPtrArray *a,
                   GPtrArray *b)
{
  FUZZ_CHECK (a->len == b->len, "%u blocks streamed, %u parsed whole", a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    FUZZ_CHECK (wr_markdown_block_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)),
                "block %u differs when streamed", i);

  /* The diff between equal lists is empty. */
  {
    g_autoptr(GArray) changes = wr_markdown_diff (a, b);
    FUZZ_CHECK (changes->len == 0, "diff of equal blocks");
  }
}

static gpointer
copy_block (gconstpointer src,
            gpointer      user_data)
{
  return wr_markdown_block_ref ((WrMarkdownBlock *) src);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(WrMarkdownDocument) doc = NULL;
  g_autoptr(GPtrArray) previous = NULL;
  const char *text;
  gsize len, pos = 0;
  guint32 state;

  /* cmark is linear, but its pathological cases still cost; keep runs fast. */
  if (size < 1 || size > 64 * 1024)
    return 0;

  state = data[0] * 2654435761u + 1;
  text = (const char *) data + 1;
  len = size - 1;

  whole = wr_markdown_parse (text, len);
  check_blocks (whole);

  /* The stream: prefixes grow like a streamed answer (cut anywhere, even
   * inside a UTF-8 sequence). */
  doc = wr_markdown_document_new ();
  while (pos < len)
    {
      g_autoptr(GArray) changes = NULL;
      GPtrArray *blocks;

      state = state * 1103515245u + 12345u;
      pos = MIN (len, pos + 1 + (state >> 16) % 24);
      wr_markdown_document_set_text (doc, text, pos, FALSE);
      blocks = wr_markdown_document_get_blocks (doc);
      check_blocks (blocks);

      /* Applying the diff's shape to the previous list gives the new length. */
      changes = wr_markdown_diff (previous, blocks);
      for (guint i = 0; i < changes->len; i++)
        {
          const WrMarkdownChange *c = &g_array_index (changes, WrMarkdownChange, i);
          FUZZ_CHECK (c->kind == WR_MARKDOWN_CHANGE_INSERT || c->kind == WR_MARKDOWN_CHANGE_REMOVE ||
                      c->index < MIN (previous ? previous->len : 0, blocks->len),
                      "change out of range");
        }
      g_clear_pointer (&previous, g_ptr_array_unref);
      previous = g_ptr_array_copy (blocks, copy_block, NULL);
      g_ptr_array_set_free_func (previous, (GDestroyNotify) wr_markdown_block_unref);
    }

  /* Without link reference definitions (which may follow their use), the
   * streamed parse must already equal the whole one. */
  if (len > 0 && memchr (text, ']', len) == NULL)
    check_same_blocks (wr_markdown_document_get_blocks (doc), whole);

  wr_markdown_document_set_text (doc, text, len, TRUE);
  check_blocks (wr_markdown_document_get_blocks (doc));
  check_same_blocks (wr_markdown_document_get_blocks (doc), whole);

  return 0;
}
