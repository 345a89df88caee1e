/* wr-artifact-html.c — text out of HTML without running any of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "wr-artifact-html.h"

/* Element nesting is bounded so a hostile document cannot exhaust the stack. */
#define MAX_DEPTH 256

static gboolean
is_skipped (const char *name)
{
  static const char * const skipped[] = {
    "script", "style", "template", "noscript", "head", "iframe", "object",
    "embed", "svg", "math", "canvas", NULL
  };

  return g_strv_contains (skipped, name);
}

static gboolean
is_block (const char *name)
{
  static const char * const blocks[] = {
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "section",
    "article", "header", "footer", "nav", "aside", "main", "figure",
    "figcaption", "form", "fieldset", "address", "details", "summary",
    "caption", "body", "html", NULL
  };

  return g_strv_contains (blocks, name);
}

static void
end_paragraph (GString   *current,
               GPtrArray *paragraphs)
{
  g_autofree char *text = g_strstrip (g_strdup (current->str));

  if (text[0] != '\0')
    g_ptr_array_add (paragraphs, g_steal_pointer (&text));
  g_string_truncate (current, 0);
}

/* Appends @text with runs of white space collapsed to one space. */
static void
append_collapsed (GString    *current,
                  const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (current->len > 0 && current->str[current->len - 1] != ' ')
            g_string_append_c (current, ' ');
        }
      else
        g_string_append_c (current, *p);
    }
}

static void
walk (xmlNode   *node,
      guint      depth,
      GString   *current,
      GPtrArray *paragraphs)
{
  if (depth > MAX_DEPTH)
    return;

  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          if (node->content != NULL)
            append_collapsed (current, (const char *) node->content);
        }
      else if (node->type == XML_ELEMENT_NODE && node->name != NULL)
        {
          g_autofree char *name = g_ascii_strdown ((const char *) node->name, -1);
          gboolean block;

          if (is_skipped (name))
            continue;
          block = is_block (name);
          if (block)
            end_paragraph (current, paragraphs);
          walk (node->children, depth + 1, current, paragraphs);
          if (block)
            end_paragraph (current, paragraphs);
        }
    }
}

GPtrArray *
_wr_artifact_html_extract_paragraphs (const char *html,
                                      gssize      length)
{
  g_autoptr(GPtrArray) paragraphs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) current = g_string_new (NULL);
  htmlDocPtr doc;

  g_return_val_if_fail (html != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (html);
  if (length == 0 || length > G_MAXINT)
    return g_steal_pointer (&paragraphs);

  doc = htmlReadMemory (html, (int) length, NULL, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                        | HTML_PARSE_NOBLANKS | HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED);
  if (doc == NULL)
    return g_steal_pointer (&paragraphs);

  walk (doc->children, 0, current, paragraphs);
  end_paragraph (current, paragraphs);
  xmlFreeDoc (doc);
  return g_steal_pointer (&paragraphs);
}

char *
_wr_artifact_html_extract_text (const char *html,
                                gssize      length)
{
  g_autoptr(GPtrArray) paragraphs = _wr_artifact_html_extract_paragraphs (html, length);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; paragraphs != NULL && i < paragraphs->len; i++)
    {
      if (i > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, g_ptr_array_index (paragraphs, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
