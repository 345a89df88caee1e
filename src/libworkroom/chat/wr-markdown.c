/* wr-markdown.c — CommonMark to display blocks with Pango markup.
 *
 * The tree is walked with cmark's iterator, never by recursion, so deeply
 * nested hostile input ("> > > > …") cannot exhaust the stack. Every tag we
 * open is opened on an ENTER event and closed on the matching EXIT event,
 * and every piece of text goes through g_markup_escape_text(), so the
 * markup is balanced and well formed by construction. */
#include "wr-markdown.h"

#include <string.h>

#include <cmark.h>

/* Deeper nesting still parses, but is shown at this depth at most. */
#define MAX_SHOWN_DEPTH 8

typedef struct {
  cmark_list_type  type;
  cmark_delim_type delim;
  int              number;
} ListState;

typedef struct {
  gsize offset;       /* byte offset of the line where the node starts */
  guint first_block;  /* index of the first block it produced */
} TopLevel;

typedef struct {
  GPtrArray *blocks;
  GArray    *tops;          /* TopLevel, nullable */
  gsize      base_offset;
  const gsize *line_starts;
  guint      n_lines;
  GArray    *lists;         /* ListState */
  guint      quote_depth;
  char      *pending_bullet;  /* the innermost item has not shown it yet */
} ParseCtx;

struct _WrMarkdownDocument {
  GString   *text;
  GPtrArray *blocks;        /* WrMarkdownBlock */
  GArray    *tops;          /* TopLevel */
};

/* Blocks */

static void
block_clear (gpointer data)
{
  WrMarkdownBlock *block = data;

  g_free (block->bullet);
  g_free (block->markup);
  g_free (block->text);
  g_free (block->language);
}

static WrMarkdownBlock *
block_new (WrMarkdownBlockKind kind)
{
  WrMarkdownBlock *block = g_rc_box_new0 (WrMarkdownBlock);

  block->kind = kind;
  return block;
}

WrMarkdownBlock *
wr_markdown_block_ref (WrMarkdownBlock *block)
{
  g_return_val_if_fail (block != NULL, NULL);
  return g_rc_box_acquire (block);
}

void
wr_markdown_block_unref (WrMarkdownBlock *block)
{
  g_return_if_fail (block != NULL);
  g_rc_box_release_full (block, block_clear);
}

gboolean
wr_markdown_block_same_shape (const WrMarkdownBlock *a,
                              const WrMarkdownBlock *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind &&
         a->level == b->level &&
         a->indent == b->indent &&
         a->quote_depth == b->quote_depth &&
         g_strcmp0 (a->bullet, b->bullet) == 0 &&
         g_strcmp0 (a->language, b->language) == 0;
}

gboolean
wr_markdown_block_equal (const WrMarkdownBlock *a,
                         const WrMarkdownBlock *b)
{
  if (a == b)
    return TRUE;

  return wr_markdown_block_same_shape (a, b) &&
         g_strcmp0 (a->markup, b->markup) == 0 &&
         g_strcmp0 (a->text, b->text) == 0;
}

/* Inline rendering */

gboolean
wr_markdown_url_is_allowed (const char *url)
{
  if (url == NULL)
    return FALSE;

  return g_ascii_strncasecmp (url, "http://", 7) == 0 ||
         g_ascii_strncasecmp (url, "https://", 8) == 0 ||
         g_ascii_strncasecmp (url, "mailto:", 7) == 0;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL || text[0] == '\0')
    return;

  escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

static void
render_inlines (cmark_node *block,
                GString    *out)
{
  cmark_iter *iter = cmark_iter_new (block);
  g_autoptr(GArray) link_opened = g_array_new (FALSE, FALSE, sizeof (gboolean));
  guint open_links = 0;
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      gboolean enter = (ev == CMARK_EVENT_ENTER);

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_HTML_INLINE:   /* never interpreted: shown as typed */
          append_escaped (out, cmark_node_get_literal (node));
          break;

        case CMARK_NODE_SOFTBREAK:
          g_string_append_c (out, ' ');
          break;

        case CMARK_NODE_LINEBREAK:
          g_string_append_c (out, '\n');
          break;

        case CMARK_NODE_CODE:
          g_string_append (out, "<tt>");
          append_escaped (out, cmark_node_get_literal (node));
          g_string_append (out, "</tt>");
          break;

        case CMARK_NODE_EMPH:
          g_string_append (out, enter ? "<i>" : "</i>");
          break;

        case CMARK_NODE_STRONG:
          g_string_append (out, enter ? "<b>" : "</b>");
          break;

        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:   /* an image shows its alt text, linked */
          if (enter)
            {
              const char *url = cmark_node_get_url (node);
              const char *title = cmark_node_get_title (node);
              /* GtkLabel does not nest links (an image inside a link). */
              gboolean open = open_links == 0 && wr_markdown_url_is_allowed (url);

              g_array_append_val (link_opened, open);
              if (open)
                {
                  open_links++;
                  g_string_append (out, "<a href=\"");
                  append_escaped (out, url);
                  g_string_append_c (out, '"');
                  if (title != NULL && title[0] != '\0')
                    {
                      g_string_append (out, " title=\"");
                      append_escaped (out, title);
                      g_string_append_c (out, '"');
                    }
                  g_string_append_c (out, '>');
                }
            }
          else
            {
              gboolean open = g_array_index (link_opened, gboolean, link_opened->len - 1);

              g_array_set_size (link_opened, link_opened->len - 1);
              if (open)
                {
                  open_links--;
                  g_string_append (out, "</a>");
                }
            }
          break;

        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
        default:
          break;
        }
    }

  cmark_iter_free (iter);
}

static const char *
heading_size (int level)
{
  switch (level)
    {
    case 1: return "x-large";
    case 2: return "large";
    default: return "medium";
    }
}

/* Flattening the block tree */

static guint
shown_depth (guint depth)
{
  return MIN (depth, MAX_SHOWN_DEPTH);
}

static WrMarkdownBlock *
ctx_add_block (ParseCtx            *ctx,
               WrMarkdownBlockKind  kind)
{
  WrMarkdownBlock *block = block_new (kind);

  block->indent = shown_depth (ctx->lists->len);
  block->quote_depth = shown_depth (ctx->quote_depth);
  g_ptr_array_add (ctx->blocks, block);
  return block;
}

/* An item whose first child is not a paragraph (or that is empty) shows
 * its bullet on a line of its own. */
static void
ctx_flush_bullet (ParseCtx *ctx)
{
  WrMarkdownBlock *block;

  if (ctx->pending_bullet == NULL)
    return;

  block = ctx_add_block (ctx, WR_MARKDOWN_BLOCK_LIST_ITEM);
  block->bullet = g_steal_pointer (&ctx->pending_bullet);
  block->markup = g_strdup ("");
}

static char *
item_bullet (ParseCtx *ctx)
{
  ListState *list;
  static const char * const bullets[] = { "•", "◦", "▪" };

  g_assert (ctx->lists->len > 0);
  list = &g_array_index (ctx->lists, ListState, ctx->lists->len - 1);
  list->number++;

  if (list->type == CMARK_ORDERED_LIST)
    return g_strdup_printf ("%d%c", list->number,
                            list->delim == CMARK_PAREN_DELIM ? ')' : '.');

  return g_strdup (bullets[MIN (ctx->lists->len, G_N_ELEMENTS (bullets)) - 1]);
}

static char *
strip_final_newline (const char *literal)
{
  gsize len = literal ? strlen (literal) : 0;

  while (len > 0 && (literal[len - 1] == '\n' || literal[len - 1] == '\r'))
    len--;

  return g_strndup (literal ? literal : "", len);
}

static void
ctx_note_top_level (ParseCtx   *ctx,
                    cmark_node *node)
{
  TopLevel top;
  int line;

  if (ctx->tops == NULL || cmark_node_parent (node) == NULL ||
      cmark_node_get_type (cmark_node_parent (node)) != CMARK_NODE_DOCUMENT)
    return;

  line = cmark_node_get_start_line (node);
  top.offset = ctx->base_offset +
               ctx->line_starts[CLAMP (line, 1, (int) ctx->n_lines) - 1];
  top.first_block = ctx->blocks->len;
  g_array_append_val (ctx->tops, top);
}

static void
ctx_walk (ParseCtx   *ctx,
          cmark_node *document)
{
  cmark_iter *iter = cmark_iter_new (document);
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      cmark_node_type type = cmark_node_get_type (node);
      cmark_node *parent = cmark_node_parent (node);
      WrMarkdownBlock *block;

      if (ev == CMARK_EVENT_ENTER)
        {
          ctx_note_top_level (ctx, node);

          /* First child of a list item: a paragraph carries the bullet,
           * anything else gets it on a line before. */
          if (ctx->pending_bullet != NULL && parent != NULL &&
              cmark_node_get_type (parent) == CMARK_NODE_ITEM &&
              type != CMARK_NODE_PARAGRAPH)
            ctx_flush_bullet (ctx);
        }

      switch (type)
        {
        case CMARK_NODE_BLOCK_QUOTE:
          if (ev == CMARK_EVENT_ENTER)
            ctx->quote_depth++;
          else
            ctx->quote_depth--;
          break;

        case CMARK_NODE_LIST:
          if (ev == CMARK_EVENT_ENTER)
            {
              ListState list = {
                cmark_node_get_list_type (node),
                cmark_node_get_list_delim (node),
                cmark_node_get_list_start (node) - 1,
              };
              g_array_append_val (ctx->lists, list);
            }
          else
            g_array_set_size (ctx->lists, ctx->lists->len - 1);
          break;

        case CMARK_NODE_ITEM:
          if (ev == CMARK_EVENT_ENTER)
            {
              g_free (ctx->pending_bullet);
              ctx->pending_bullet = item_bullet (ctx);
            }
          else
            ctx_flush_bullet (ctx);   /* an empty item */
          break;

        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
          {
            g_autoptr(GString) markup = g_string_new (NULL);
            gboolean heading = (type == CMARK_NODE_HEADING);

            g_assert (ev == CMARK_EVENT_ENTER);

            if (heading)
              {
                int level = CLAMP (cmark_node_get_heading_level (node), 1, 6);

                block = ctx_add_block (ctx, WR_MARKDOWN_BLOCK_HEADING);
                block->level = level;
                g_string_append_printf (markup, "<span weight=\"bold\" size=\"%s\">",
                                        heading_size (level));
              }
            else if (ctx->pending_bullet != NULL)
              {
                block = ctx_add_block (ctx, WR_MARKDOWN_BLOCK_LIST_ITEM);
                block->bullet = g_steal_pointer (&ctx->pending_bullet);
              }
            else if (ctx->quote_depth > 0)
              block = ctx_add_block (ctx, WR_MARKDOWN_BLOCK_QUOTE);
            else
              block = ctx_add_block (ctx, WR_MARKDOWN_BLOCK_PARAGRAPH);

            render_inlines (node, markup);
            if (heading)
              g_string_append (markup, "</span>");
            block->markup = g_string_free (g_steal_pointer (&markup), FALSE);

            /* The inlines are done; continue after the block. */
            cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
          }
          break;

        case CMARK_NODE_CODE_BLOCK:
          {
            const char *info = cmark_node_get_fence_info (node);

            block = ctx_add_block (ctx, WR_MARKDOWN_BLOCK_CODE);
            block->text = strip_final_newline (cmark_node_get_literal (node));
            if (info != NULL && info[0] != '\0')
              {
                gsize n = strcspn (info, " \t");

                if (n > 0)
                  block->language = g_strndup (info, n);
              }
          }
          break;

        case CMARK_NODE_HTML_BLOCK:
          {
            g_autofree char *literal = strip_final_newline (cmark_node_get_literal (node));

            block = ctx_add_block (ctx, ctx->quote_depth > 0 ? WR_MARKDOWN_BLOCK_QUOTE
                                                             : WR_MARKDOWN_BLOCK_PARAGRAPH);
            block->markup = g_markup_escape_text (literal, -1);
          }
          break;

        case CMARK_NODE_THEMATIC_BREAK:
          ctx_add_block (ctx, WR_MARKDOWN_BLOCK_RULE);
          break;

        case CMARK_NODE_DOCUMENT:
        case CMARK_NODE_CUSTOM_BLOCK:
        default:
          break;
        }
    }

  cmark_iter_free (iter);
}

/* Byte offsets of the starts of lines, as cmark counts them (\n, \r\n, \r). */
static GArray *
find_line_starts (const char *text,
                  gsize       len)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize zero = 0;

  g_array_append_val (starts, zero);
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
        i++;
      if (text[i] == '\n' || text[i] == '\r')
        {
          gsize next = i + 1;
          g_array_append_val (starts, next);
        }
    }

  return starts;
}

/* Parses @len bytes of @text and appends blocks (and, when @tops is not
 * NULL, the top-level nodes' positions, shifted by @base_offset). */
static void
parse_into (const char *text,
            gsize       len,
            gsize       base_offset,
            GPtrArray  *blocks,
            GArray     *tops)
{
  g_autofree char *valid = NULL;
  g_autoptr(GArray) line_starts = NULL;
  g_autoptr(GArray) lists = g_array_new (FALSE, FALSE, sizeof (ListState));
  cmark_node *document;
  ParseCtx ctx = { 0 };

  /* Replacement characters have the same byte length or more, but the
   * repaired text is only ever used for display, and offsets are only
   * kept for valid input (see wr_markdown_document_set_text). */
  if (!g_utf8_validate_len (text, len, NULL))
    {
      valid = g_utf8_make_valid (text, len);
      text = valid;
      len = strlen (valid);
      tops = NULL;
    }

  line_starts = find_line_starts (text, len);
  document = cmark_parse_document (text, len, CMARK_OPT_DEFAULT);

  ctx.blocks = blocks;
  ctx.tops = tops;
  ctx.base_offset = base_offset;
  ctx.line_starts = (const gsize *) (gpointer) line_starts->data;
  ctx.n_lines = line_starts->len;
  ctx.lists = lists;

  ctx_walk (&ctx, document);

  g_free (ctx.pending_bullet);
  cmark_node_free (document);
}

GPtrArray *
wr_markdown_parse (const char *text,
                   gssize      len)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_markdown_block_unref);

  if (text == NULL)
    return blocks;
  if (len < 0)
    len = strlen (text);

  parse_into (text, len, 0, blocks, NULL);
  return blocks;
}

/* Diff */

GArray *
wr_markdown_diff (GPtrArray *old_blocks,
                  GPtrArray *new_blocks)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (WrMarkdownChange));
  guint n_old = old_blocks ? old_blocks->len : 0;
  guint n_new = new_blocks ? new_blocks->len : 0;
  guint common = MIN (n_old, n_new);

  for (guint i = 0; i < common; i++)
    {
      const WrMarkdownBlock *a = g_ptr_array_index (old_blocks, i);
      const WrMarkdownBlock *b = g_ptr_array_index (new_blocks, i);
      WrMarkdownChange change = { WR_MARKDOWN_CHANGE_UPDATE, i };

      if (wr_markdown_block_equal (a, b))
        continue;
      if (!wr_markdown_block_same_shape (a, b))
        change.kind = WR_MARKDOWN_CHANGE_REPLACE;
      g_array_append_val (changes, change);
    }

  for (guint i = common; i < n_new; i++)
    {
      WrMarkdownChange change = { WR_MARKDOWN_CHANGE_INSERT, i };
      g_array_append_val (changes, change);
    }

  for (guint i = n_old; i > common; i--)
    {
      WrMarkdownChange change = { WR_MARKDOWN_CHANGE_REMOVE, i - 1 };
      g_array_append_val (changes, change);
    }

  return changes;
}

/* Incremental document */

WrMarkdownDocument *
wr_markdown_document_new (void)
{
  WrMarkdownDocument *self = g_new0 (WrMarkdownDocument, 1);

  self->text = g_string_new (NULL);
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_markdown_block_unref);
  self->tops = g_array_new (FALSE, FALSE, sizeof (TopLevel));
  return self;
}

void
wr_markdown_document_free (WrMarkdownDocument *self)
{
  if (self == NULL)
    return;

  g_string_free (self->text, TRUE);
  g_ptr_array_unref (self->blocks);
  g_array_unref (self->tops);
  g_free (self);
}

GPtrArray *
wr_markdown_document_get_blocks (WrMarkdownDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->blocks;
}

gboolean
wr_markdown_document_set_text (WrMarkdownDocument *self,
                               const char         *text,
                               gssize              len,
                               gboolean            final)
{
  g_autoptr(GPtrArray) old_tail = NULL;
  TopLevel last;
  gboolean appended;

  g_return_val_if_fail (self != NULL, FALSE);

  if (text == NULL)
    text = "", len = 0;
  if (len < 0)
    len = strlen (text);

  if ((gsize) len == self->text->len && memcmp (text, self->text->str, len) == 0 && !final)
    return FALSE;

  appended = !final &&
             self->tops->len > 0 &&
             (gsize) len >= self->text->len &&
             memcmp (text, self->text->str, self->text->len) == 0;

  if (appended)
    {
      gsize line_start = self->text->len;

      /* A block that starts on the unfinished last line is not settled:
       * cmark reads " *" at the very end as an empty list item that ends a
       * quoted paragraph, where " *emph*" continues it lazily. Parse again
       * from the block before it. */
      while (line_start > 0 &&
             self->text->str[line_start - 1] != '\n' && self->text->str[line_start - 1] != '\r')
        line_start--;
      while (self->tops->len > 0 &&
             g_array_index (self->tops, TopLevel, self->tops->len - 1).offset >= line_start)
        g_array_set_size (self->tops, self->tops->len - 1);
      appended = self->tops->len > 0;
    }

  if (!appended)
    {
      g_ptr_array_set_size (self->blocks, 0);
      g_array_set_size (self->tops, 0);
      g_string_truncate (self->text, 0);
      g_string_append_len (self->text, text, len);
      parse_into (self->text->str, self->text->len, 0, self->blocks, self->tops);
      return TRUE;
    }

  /* Everything before the line where the last top-level block starts was
   * closed by that block, and block parsing never looks ahead, so it parses
   * the same with more text after it: keep its blocks, parse the rest. */
  last = g_array_index (self->tops, TopLevel, self->tops->len - 1);
  old_tail = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_markdown_block_unref);
  for (guint i = last.first_block; i < self->blocks->len; i++)
    g_ptr_array_add (old_tail, wr_markdown_block_ref (g_ptr_array_index (self->blocks, i)));
  g_string_append_len (self->text, text + self->text->len, len - self->text->len);
  g_ptr_array_set_size (self->blocks, last.first_block);
  g_array_set_size (self->tops, self->tops->len - 1);
  parse_into (self->text->str + last.offset, self->text->len - last.offset,
              last.offset, self->blocks, self->tops);

  /* Blocks parsed again that came out the same keep their pointers. */
  for (guint i = 0; i < old_tail->len && last.first_block + i < self->blocks->len; i++)
    {
      WrMarkdownBlock *old = g_ptr_array_index (old_tail, i);
      gpointer *slot = &g_ptr_array_index (self->blocks, last.first_block + i);

      if (*slot != old && wr_markdown_block_equal (old, *slot))
        {
          wr_markdown_block_unref (*slot);
          *slot = wr_markdown_block_ref (old);
        }
    }
  return TRUE;
}
