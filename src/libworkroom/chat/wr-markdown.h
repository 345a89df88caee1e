/* wr-markdown.h — CommonMark (libcmark) to a flat list of display blocks
 * with Pango markup, for the chat view. No widgets.
 *
 * Raw HTML is never interpreted: HTML blocks and inline HTML come out as
 * escaped text. Links keep their target only for http, https and mailto;
 * other schemes (javascript:, file:, data:, ...) are shown as plain text.
 * Every markup string is valid Pango markup (plus GtkLabel's <a href>),
 * whatever the input: invalid UTF-8 is repaired before parsing.
 *
 * Streaming: a WrMarkdownDocument re-parses only the last top-level block
 * when its text grows by appending, and keeps the earlier blocks (the same
 * pointers), so wr_markdown_diff() finds the changed ones cheaply.
 *
 * Threading: plain data; use each object from one thread at a time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  WR_MARKDOWN_BLOCK_PARAGRAPH,
  WR_MARKDOWN_BLOCK_HEADING,
  WR_MARKDOWN_BLOCK_CODE,
  WR_MARKDOWN_BLOCK_LIST_ITEM,
  WR_MARKDOWN_BLOCK_QUOTE,      /* a paragraph inside a block quote */
  WR_MARKDOWN_BLOCK_RULE,
} WrMarkdownBlockKind;

/* Reference counted (wr_markdown_block_ref/unref); immutable once made. */
typedef struct {
  WrMarkdownBlockKind kind;
  guint  level;        /* HEADING: 1–6; otherwise 0 */
  guint  indent;       /* list nesting depth: 0 outside lists, 1 in a top-level list */
  guint  quote_depth;  /* how many block quotes enclose the block */
  char  *bullet;       /* LIST_ITEM: "•", "◦", "▪", "3." or "3)"; else NULL */
  char  *markup;       /* text kinds: Pango markup (never NULL, maybe ""); CODE, RULE: NULL */
  char  *text;         /* CODE: the code, without its final newline; else NULL */
  char  *language;     /* CODE: first word of the fence's info string (nullable) */
} WrMarkdownBlock;

WrMarkdownBlock *wr_markdown_block_ref   (WrMarkdownBlock *block);
void             wr_markdown_block_unref (WrMarkdownBlock *block);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrMarkdownBlock, wr_markdown_block_unref)

/* Same content and layout. */
gboolean         wr_markdown_block_equal (const WrMarkdownBlock *a,
                                          const WrMarkdownBlock *b);
/* Same kind and layout (a widget showing @a can be updated to show @b by
 * replacing its text). */
gboolean         wr_markdown_block_same_shape (const WrMarkdownBlock *a,
                                               const WrMarkdownBlock *b);

/* Parses @text (@len bytes, or -1 when nul-terminated). Returns a
 * GPtrArray (element-type WrMarkdownBlock, transfer full) that unrefs its
 * blocks when freed. */
GPtrArray       *wr_markdown_parse       (const char *text,
                                          gssize      len);

/* Whether @url may be a link target (http, https, mailto). */
gboolean         wr_markdown_url_is_allowed (const char *url);

typedef enum {
  WR_MARKDOWN_CHANGE_UPDATE,    /* same shape, new text: update the widget */
  WR_MARKDOWN_CHANGE_REPLACE,   /* different shape: make a new widget */
  WR_MARKDOWN_CHANGE_INSERT,    /* new block at the end */
  WR_MARKDOWN_CHANGE_REMOVE,    /* block gone from the end */
} WrMarkdownChangeKind;

typedef struct {
  WrMarkdownChangeKind kind;
  guint                index;
} WrMarkdownChange;

/* What turns @old_blocks into @new_blocks, position by position: UPDATE /
 * REPLACE for differing blocks in the common range (ascending), then
 * INSERT for each extra new block (ascending) or REMOVE for each extra old
 * block (descending, so removing in order keeps indexes valid). Either
 * array may be NULL (empty). Returns a GArray of WrMarkdownChange. */
GArray          *wr_markdown_diff        (GPtrArray *old_blocks,
                                          GPtrArray *new_blocks);

/* Incremental parsing of a growing text. */
typedef struct _WrMarkdownDocument WrMarkdownDocument;

WrMarkdownDocument *wr_markdown_document_new       (void);
void                wr_markdown_document_free      (WrMarkdownDocument *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrMarkdownDocument, wr_markdown_document_free)

/* Sets the whole text. When @text starts with the previous text and
 * @final is FALSE, only the last top-level block onward is parsed again
 * (earlier blocks keep their pointers). @final = TRUE always parses the
 * whole text, which settles what a partial parse may approximate (link
 * reference definitions used before their definition). Returns TRUE when
 * the blocks may have changed. */
gboolean            wr_markdown_document_set_text  (WrMarkdownDocument *self,
                                                    const char         *text,
                                                    gssize              len,
                                                    gboolean            final);
/* (element-type WrMarkdownBlock) (transfer none); never NULL. */
GPtrArray          *wr_markdown_document_get_blocks (WrMarkdownDocument *self);

G_END_DECLS
