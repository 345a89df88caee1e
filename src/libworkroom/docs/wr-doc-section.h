/* wr-doc-section.h — one ordered piece of a document's text: a slide, a
 * page, the text under a heading, a sheet. A boxed struct.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  WR_DOC_SECTION_SLIDE,
  WR_DOC_SECTION_PAGE,
  WR_DOC_SECTION_HEADING,
  WR_DOC_SECTION_SHEET,
  WR_DOC_SECTION_SECTION,   /* text before the first heading, headers/footers, notes */
} WrDocSectionKind;

#define WR_TYPE_DOC_SECTION (wr_doc_section_get_type ())

typedef struct
{
  WrDocSectionKind kind;
  guint            index;   /* 1-based, per kind: slide N, sheet N, heading N */
  char            *title;   /* nullable: slide title, heading text, sheet name */
  char            *text;    /* never NULL */
} WrDocSection;

GType         wr_doc_section_get_type (void) G_GNUC_CONST;
WrDocSection *wr_doc_section_new      (WrDocSectionKind    kind,
                                       guint               index,
                                       const char         *title,
                                       const char         *text);
WrDocSection *wr_doc_section_copy     (const WrDocSection *self);
void          wr_doc_section_free     (WrDocSection       *self);
/* "slide", "page", "heading", "sheet", "section" */
const char   *wr_doc_section_kind_to_locator (WrDocSectionKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDocSection, wr_doc_section_free)

G_END_DECLS
