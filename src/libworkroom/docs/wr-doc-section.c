/* wr-doc-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-doc-section.h"

G_DEFINE_BOXED_TYPE (WrDocSection, wr_doc_section, wr_doc_section_copy, wr_doc_section_free)

WrDocSection *
wr_doc_section_new (WrDocSectionKind  kind,
                    guint             index,
                    const char       *title,
                    const char       *text)
{
  WrDocSection *self = g_new0 (WrDocSection, 1);

  self->kind = kind;
  self->index = index;
  self->title = g_strdup (title);
  self->text = g_strdup (text != NULL ? text : "");
  return self;
}

WrDocSection *
wr_doc_section_copy (const WrDocSection *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return wr_doc_section_new (self->kind, self->index, self->title, self->text);
}

void
wr_doc_section_free (WrDocSection *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->text);
  g_free (self);
}

const char *
wr_doc_section_kind_to_locator (WrDocSectionKind kind)
{
  switch (kind)
    {
    case WR_DOC_SECTION_SLIDE: return "slide";
    case WR_DOC_SECTION_PAGE: return "page";
    case WR_DOC_SECTION_HEADING: return "heading";
    case WR_DOC_SECTION_SHEET: return "sheet";
    case WR_DOC_SECTION_SECTION:
    default: return "section";
    }
}
