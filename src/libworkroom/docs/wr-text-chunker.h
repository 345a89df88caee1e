/* wr-text-chunker.h — cutting extracted text into searchable chunks.
 *
 * A chunk keeps where it came from (locator kind + number + title), so a
 * search hit can open the exact slide, page or heading. Long sections are
 * split at paragraph boundaries into pieces of about WR_CHUNK_TARGET_CHARS
 * characters that all keep the section's locator.
 *
 * Threading: pure functions, any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WR_CHUNK_TARGET_CHARS 1500

typedef struct {
  char   *locator_kind;  /* "slide", "page", "heading", "sheet", "section", "image" */
  gint64  locator;       /* 1-based; 0 when none */
  char   *title;         /* never NULL; "" when none */
  char   *text;          /* UTF-8, stripped, never empty */
} WrDocChunk;

WrDocChunk *wr_doc_chunk_new               (const char *locator_kind,
                                            gint64      locator,
                                            const char *title,   /* nullable */
                                            const char *text);
void        wr_doc_chunk_free              (WrDocChunk *chunk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDocChunk, wr_doc_chunk_free)

/* A new array of WrDocChunk (element free func set). */
GPtrArray  *wr_doc_chunks_new              (void);

/* Appends @text to @chunks as one or more chunks with the same locator,
 * split at paragraph (then line, then word) boundaries. Whitespace-only
 * text adds nothing. Returns how many chunks were added. */
guint       wr_text_chunker_add_section    (GPtrArray  *chunks,
                                            const char *locator_kind,
                                            gint64      locator,
                                            const char *title,       /* nullable */
                                            const char *text);

/* Markdown cut at ATX (# …) and setext headings, outside code fences:
 * locator "heading" N (1-based heading order, 0 for text before the first
 * heading), title = the heading text. */
GPtrArray  *wr_text_chunker_split_markdown (const char *text);

/* Plain text in ~WR_CHUNK_TARGET_CHARS sections at paragraph boundaries:
 * locator "section" N (1-based). */
GPtrArray  *wr_text_chunker_split_plain    (const char *text);

G_END_DECLS
