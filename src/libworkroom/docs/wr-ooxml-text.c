/* wr-ooxml-text.c — ordered text sections out of PPTX, DOCX and XLSX.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "wr-ooxml-private.h"
#include "wr-ooxml-text.h"
#include "wr-xlsx-reader.h"

typedef struct
{
  WrSafeZip    *zip;
  GCancellable *cancellable;
  GPtrArray    *sections;
  gsize         total;    /* text bytes so far */
} Extract;

static gboolean
check_total (Extract  *ex,
             gsize     more,
             GError  **error)
{
  ex->total += more;
  if (ex->total > WR_OOXML_MAX_TEXT)
    {
      g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE,
                   _("The document holds more than %u MB of text, more than Workroom reads. "
                     "Split it into smaller files and try again."),
                   (guint) (WR_OOXML_MAX_TEXT / (1024 * 1024)));
      return FALSE;
    }
  return TRUE;
}

static char *
tidy (const char *text)
{
  g_autofree char *copy = g_strdup (text != NULL ? text : "");
  return g_strdup (g_strstrip (copy));
}

static void
add_section (Extract          *ex,
             WrDocSectionKind  kind,
             guint             index,
             const char       *title,
             const char       *text)
{
  g_autofree char *clean_title = title != NULL ? tidy (title) : NULL;
  g_autofree char *clean_text = tidy (text);

  g_ptr_array_add (ex->sections, wr_doc_section_new (kind, index, clean_title, clean_text));
}

static gboolean
is_text_node (int type)
{
  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE
         || type == XML_READER_TYPE_CDATA;
}

/* Skips mc:Fallback (the same content as mc:Choice, for older readers). */
static int
read_node (WrSafeXml *xml,
           GError   **error)
{
  int ret = wr_safe_xml_read (xml, error);

  while (ret == 1 && wr_safe_xml_is_start (xml, "Fallback"))
    ret = wr_safe_xml_skip (xml, error);
  return ret;
}

/* ---- DrawingML: slides, notes, charts, SmartArt --------------------------- */

/* Appends the text of a DrawingML part to out; title (nullable) gets the
 * title placeholder's text. skip_placeholders: drop slide numbers, dates,
 * headers and footers (notes pages). */
static gboolean
drawing_text (Extract     *ex,
              const char  *part,
              GString     *out,
              char       **title,
              gboolean     skip_placeholders,
              GError     **error)
{
  g_autoptr(WrSafeXml) xml = NULL;
  int ret, sp_depth = -1, cache_depth = -1;
  gsize sp_start = 0, start = out->len;
  gboolean sp_title = FALSE, sp_skip = FALSE, in_t = FALSE, in_v = FALSE;
  guint n = 0;

  if (part == NULL || !wr_safe_zip_has_entry (ex->zip, part))
    return TRUE;
  xml = wr_safe_xml_new_for_entry (ex->zip, part, error);
  if (xml == NULL)
    return FALSE;

  while ((ret = read_node (xml, error)) == 1)
    {
      int type = wr_safe_xml_node_type (xml);
      const char *name = wr_safe_xml_local_name (xml);

      if ((++n & 1023) == 0 && g_cancellable_set_error_if_cancelled (ex->cancellable, error))
        return FALSE;

      if (type == XML_READER_TYPE_ELEMENT)
        {
          gboolean empty = wr_safe_xml_is_empty (xml);

          if (strcmp (name, "sp") == 0 && !empty && sp_depth < 0)
            {
              sp_depth = wr_safe_xml_depth (xml);
              sp_start = out->len;
              sp_title = sp_skip = FALSE;
            }
          else if (strcmp (name, "ph") == 0 && sp_depth >= 0)
            {
              g_autofree char *ph = wr_safe_xml_dup_attribute (xml, "type");
              if (ph != NULL && (strcmp (ph, "title") == 0 || strcmp (ph, "ctrTitle") == 0))
                sp_title = TRUE;
              if (ph != NULL && skip_placeholders
                  && (strcmp (ph, "sldNum") == 0 || strcmp (ph, "dt") == 0 || strcmp (ph, "hdr") == 0
                      || strcmp (ph, "ftr") == 0))
                sp_skip = TRUE;
            }
          else if (strcmp (name, "t") == 0)
            in_t = !empty;
          else if (strcmp (name, "strCache") == 0 && !empty)
            cache_depth = wr_safe_xml_depth (xml);
          else if (strcmp (name, "v") == 0 && cache_depth >= 0)
            in_v = !empty;
          else if (strcmp (name, "br") == 0)
            g_string_append_c (out, '\n');
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (strcmp (name, "t") == 0)
            in_t = FALSE;
          else if (strcmp (name, "v") == 0)
            {
              if (in_v)
                g_string_append_c (out, '\n');
              in_v = FALSE;
            }
          else if (strcmp (name, "strCache") == 0)
            cache_depth = -1;
          else if (strcmp (name, "p") == 0)
            g_string_append_c (out, '\n');
          else if (strcmp (name, "tc") == 0)
            {
              while (out->len > start && out->str[out->len - 1] == '\n')
                g_string_truncate (out, out->len - 1);
              g_string_append_c (out, '\t');
            }
          else if (strcmp (name, "tr") == 0)
            {
              if (out->len > start && out->str[out->len - 1] == '\t')
                g_string_truncate (out, out->len - 1);
              g_string_append_c (out, '\n');
            }
          else if (strcmp (name, "sp") == 0 && sp_depth == wr_safe_xml_depth (xml))
            {
              if (sp_skip)
                g_string_truncate (out, sp_start);
              else if (sp_title && title != NULL && *title == NULL)
                *title = g_strndup (out->str + sp_start, out->len - sp_start);
              sp_depth = -1;
            }
        }
      else if (is_text_node (type) && (in_t || in_v))
        {
          const char *value = wr_safe_xml_value (xml);
          gsize len = strlen (value);

          if (!check_total (ex, len, error))
            return FALSE;
          g_string_append_len (out, value, len);
        }
    }
  return ret == 0;
}

/* The namespaced r:id of the current element (transitional or strict
 * namespace), not its plain id. */
static char *
dup_relationship_id (WrSafeXml *xml)
{
  xmlTextReaderPtr reader = wr_safe_xml_get_reader (xml);
  char *value = NULL;

  if (xmlTextReaderMoveToFirstAttribute (reader) != 1)
    return NULL;
  do
    {
      const xmlChar *name = xmlTextReaderConstLocalName (reader);
      const xmlChar *ns = xmlTextReaderConstNamespaceUri (reader);

      if (name != NULL && ns != NULL && strcmp ((const char *) name, "id") == 0
          && strstr ((const char *) ns, "relationships") != NULL)
        {
          const xmlChar *v = xmlTextReaderConstValue (reader);
          value = g_strdup (v != NULL ? (const char *) v : "");
          break;
        }
    }
  while (xmlTextReaderMoveToNextAttribute (reader) == 1);
  xmlTextReaderMoveToElement (reader);
  return value;
}

static gboolean
extract_pptx (Extract  *ex,
              GError  **error)
{
  g_autofree char *main = _wr_ooxml_main_part (ex->zip, "ppt/presentation.xml", error);
  g_autoptr(GPtrArray) rels = NULL;
  g_autoptr(GPtrArray) slides = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(WrSafeXml) xml = NULL;
  int ret;

  if (main == NULL)
    return FALSE;
  if (!wr_safe_zip_has_entry (ex->zip, main))
    {
      g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                           _("The file is not a PowerPoint presentation: it has no presentation part. "
                             "Check that it is a .pptx file and try again."));
      return FALSE;
    }
  rels = _wr_ooxml_read_rels (ex->zip, main, error);
  if (rels == NULL)
    return FALSE;
  xml = wr_safe_xml_new_for_entry (ex->zip, main, error);
  if (xml == NULL)
    return FALSE;
  while ((ret = wr_safe_xml_read (xml, error)) == 1)
    if (wr_safe_xml_is_start (xml, "sldId") && slides->len < 100000)
      {
        g_autofree char *rid = dup_relationship_id (xml);
        WrOoxmlRel *rel = _wr_ooxml_find_rel_id (rels, rid);

        g_ptr_array_add (slides, g_strdup (rel != NULL ? rel->target : NULL));
      }
  if (ret < 0)
    return FALSE;
  g_clear_pointer (&xml, wr_safe_xml_free);

  for (guint i = 0; i < slides->len; i++)
    {
      const char *slide = g_ptr_array_index (slides, i);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *title = NULL;

      if (g_cancellable_set_error_if_cancelled (ex->cancellable, error))
        return FALSE;
      if (slide != NULL && wr_safe_zip_has_entry (ex->zip, slide))
        {
          g_autoptr(GPtrArray) slide_rels = _wr_ooxml_read_rels (ex->zip, slide, error);

          if (slide_rels == NULL || !drawing_text (ex, slide, text, &title, FALSE, error))
            return FALSE;
          for (guint j = 0; j < slide_rels->len; j++)
            {
              WrOoxmlRel *rel = g_ptr_array_index (slide_rels, j);
              if (g_str_has_suffix (rel->type, "/chart") || g_str_has_suffix (rel->type, "/diagramData"))
                {
                  g_string_append_c (text, '\n');
                  if (!drawing_text (ex, rel->target, text, NULL, FALSE, error))
                    return FALSE;
                }
            }
          for (guint j = 0; j < slide_rels->len; j++)
            {
              WrOoxmlRel *rel = g_ptr_array_index (slide_rels, j);
              if (g_str_has_suffix (rel->type, "/notesSlide"))
                {
                  g_string_append_c (text, '\n');
                  if (!drawing_text (ex, rel->target, text, NULL, TRUE, error))
                    return FALSE;
                }
            }
        }
      add_section (ex, WR_DOC_SECTION_SLIDE, i + 1, title, text->str);
    }
  return TRUE;
}

/* ---- WordprocessingML ---------------------------------------------------- */

typedef struct
{
  char *based_on;
  int   level;    /* heading level 1..9, 0: none, -1: inherit */
} Style;

static void
style_free (gpointer data)
{
  Style *style = data;

  g_free (style->based_on);
  g_free (style);
}

/* styleId → heading level, for the styles of the document. */
static GHashTable *
read_styles (Extract     *ex,
             const char  *part,
             GError     **error)
{
  g_autoptr(GHashTable) styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, style_free);
  g_autoptr(WrSafeXml) xml = NULL;
  Style *current = NULL;
  int ret;

  if (part == NULL || !wr_safe_zip_has_entry (ex->zip, part))
    return g_steal_pointer (&styles);
  xml = wr_safe_xml_new_for_entry (ex->zip, part, error);
  if (xml == NULL)
    return NULL;
  while ((ret = wr_safe_xml_read (xml, error)) == 1)
    {
      if (wr_safe_xml_is_start (xml, "style") && g_hash_table_size (styles) < 100000)
        {
          char *id = wr_safe_xml_dup_attribute (xml, "styleId");
          current = NULL;
          if (id == NULL || g_hash_table_contains (styles, id))
            {
              g_free (id);
              continue;
            }
          current = g_new0 (Style, 1);
          current->level = -1;
          g_hash_table_insert (styles, id, current);
          if (g_ascii_strncasecmp (id, "Heading", 7) == 0 && g_ascii_isdigit (id[7]) && id[8] == '\0')
            current->level = id[7] - '0';
        }
      else if (current != NULL && wr_safe_xml_is_start (xml, "name"))
        {
          g_autofree char *val = wr_safe_xml_dup_attribute (xml, "val");
          if (val != NULL && g_ascii_strncasecmp (val, "heading ", 8) == 0 && g_ascii_isdigit (val[8]))
            current->level = val[8] - '0';
        }
      else if (current != NULL && wr_safe_xml_is_start (xml, "basedOn"))
        {
          g_free (current->based_on);
          current->based_on = wr_safe_xml_dup_attribute (xml, "val");
        }
      else if (current != NULL && wr_safe_xml_is_start (xml, "outlineLvl"))
        {
          g_autofree char *val = wr_safe_xml_dup_attribute (xml, "val");
          int level = val != NULL ? atoi (val) : 9;
          if (current->level < 0)
            current->level = level >= 0 && level < 9 ? level + 1 : 0;
        }
      else if (wr_safe_xml_node_type (xml) == XML_READER_TYPE_END_ELEMENT
               && strcmp (wr_safe_xml_local_name (xml), "style") == 0)
        current = NULL;
    }
  if (ret < 0)
    return NULL;
  return g_steal_pointer (&styles);
}

static int
style_level (GHashTable *styles,
             const char *id)
{
  for (guint i = 0; id != NULL && i < 16; i++)
    {
      Style *style = g_hash_table_lookup (styles, id);
      if (style == NULL)
        return 0;
      if (style->level >= 0)
        return style->level;
      id = style->based_on;
    }
  return 0;
}

typedef struct
{
  Extract    *ex;
  GHashTable *styles;      /* nullable: no heading split */
  GString    *text;        /* current section */
  char       *title;       /* current section's heading */
  guint       n_headings;
  gboolean    any_heading;
} WordState;

static void
flush_section (WordState *ws)
{
  if (ws->title != NULL)
    add_section (ws->ex, WR_DOC_SECTION_HEADING, ws->n_headings, ws->title, ws->text->str);
  else if (ws->text->len > 0)
    {
      g_autofree char *clean = tidy (ws->text->str);
      if (clean[0] != '\0')
        add_section (ws->ex, WR_DOC_SECTION_SECTION, 1, NULL, clean);
    }
  g_string_truncate (ws->text, 0);
  g_clear_pointer (&ws->title, g_free);
}

static gboolean
word_text (WordState   *ws,
           const char  *part,
           GError     **error)
{
  Extract *ex = ws->ex;
  g_autoptr(WrSafeXml) xml = NULL;
  g_autoptr(GString) para = g_string_new (NULL);
  g_autofree char *style = NULL;
  int ret, p_nesting = 0, table_nesting = 0, outline = -1;
  gboolean in_t = FALSE;
  guint n = 0;

  if (part == NULL || !wr_safe_zip_has_entry (ex->zip, part))
    return TRUE;
  xml = wr_safe_xml_new_for_entry (ex->zip, part, error);
  if (xml == NULL)
    return FALSE;

  while ((ret = read_node (xml, error)) == 1)
    {
      int type = wr_safe_xml_node_type (xml);
      const char *name = wr_safe_xml_local_name (xml);

      if ((++n & 1023) == 0 && g_cancellable_set_error_if_cancelled (ex->cancellable, error))
        return FALSE;

      if (type == XML_READER_TYPE_ELEMENT)
        {
          gboolean empty = wr_safe_xml_is_empty (xml);

          if (strcmp (name, "del") == 0 || strcmp (name, "moveFrom") == 0)
            {
              /* tracked deletions are not current text */
              if (!empty && (ret = wr_safe_xml_skip (xml, error)) != 1)
                break;
              continue;
            }
          if (strcmp (name, "p") == 0)
            {
              if (!empty)
                p_nesting++;
              if (p_nesting == 1)
                {
                  g_string_truncate (para, 0);
                  g_clear_pointer (&style, g_free);
                  outline = -1;
                }
            }
          else if (strcmp (name, "pStyle") == 0 && p_nesting == 1)
            {
              g_free (style);
              style = wr_safe_xml_dup_attribute (xml, "val");
            }
          else if (strcmp (name, "outlineLvl") == 0 && p_nesting == 1)
            {
              g_autofree char *val = wr_safe_xml_dup_attribute (xml, "val");
              outline = val != NULL ? atoi (val) : -1;
            }
          else if (strcmp (name, "t") == 0)
            in_t = !empty;
          else if (strcmp (name, "tab") == 0 && p_nesting > 0)
            g_string_append_c (para, '\t');
          else if ((strcmp (name, "br") == 0 || strcmp (name, "cr") == 0) && p_nesting > 0)
            g_string_append_c (para, '\n');
          else if (strcmp (name, "tbl") == 0 && !empty)
            table_nesting++;
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (strcmp (name, "t") == 0)
            in_t = FALSE;
          else if (strcmp (name, "p") == 0 && p_nesting > 0)
            {
              p_nesting--;
              if (p_nesting > 0)
                g_string_append_c (para, '\n');   /* a text box's paragraph inside a paragraph */
              else
                {
                  int level = outline >= 0 && outline < 9 ? outline + 1
                              : outline >= 9 ? 0
                              : ws->styles != NULL ? style_level (ws->styles, style) : 0;
                  g_autofree char *clean = tidy (para->str);

                  if (ws->styles != NULL && level > 0 && table_nesting == 0 && clean[0] != '\0')
                    {
                      flush_section (ws);
                      ws->title = g_steal_pointer (&clean);
                      ws->n_headings++;
                      ws->any_heading = TRUE;
                    }
                  else
                    {
                      if (!check_total (ex, para->len + 1, error))
                        return FALSE;
                      g_string_append_len (ws->text, para->str, para->len);
                      g_string_append_c (ws->text, table_nesting > 0 ? ' ' : '\n');
                    }
                  g_string_truncate (para, 0);
                }
            }
          else if (strcmp (name, "tc") == 0)
            {
              while (ws->text->len > 0 && ws->text->str[ws->text->len - 1] == ' ')
                g_string_truncate (ws->text, ws->text->len - 1);
              g_string_append_c (ws->text, '\t');
            }
          else if (strcmp (name, "tr") == 0)
            {
              if (ws->text->len > 0 && ws->text->str[ws->text->len - 1] == '\t')
                g_string_truncate (ws->text, ws->text->len - 1);
              g_string_append_c (ws->text, '\n');
            }
          else if (strcmp (name, "tbl") == 0 && table_nesting > 0)
            table_nesting--;
        }
      else if (is_text_node (type) && in_t && p_nesting > 0)
        {
          g_string_append (para, wr_safe_xml_value (xml));
          if (ex->total + para->len > WR_OOXML_MAX_TEXT && !check_total (ex, para->len, error))
            return FALSE;
        }
    }
  return ret == 0;
}

static gboolean
extract_docx (Extract  *ex,
              GError  **error)
{
  g_autofree char *main = _wr_ooxml_main_part (ex->zip, "word/document.xml", error);
  g_autoptr(GPtrArray) rels = NULL;
  g_autoptr(GHashTable) styles = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  WrOoxmlRel *rel;
  WordState ws = { ex, NULL, text, NULL, 0, FALSE };
  static const struct { const char *suffix; const char *title; } extras[] = {
    { "/header", N_("Headers and footers") },
    { "/footnotes", N_("Footnotes") },
    { "/endnotes", N_("Endnotes") },
  };

  if (main == NULL)
    return FALSE;
  if (!wr_safe_zip_has_entry (ex->zip, main))
    {
      g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                           _("The file is not a Word document: it has no document part. "
                             "Check that it is a .docx file and try again."));
      return FALSE;
    }
  rels = _wr_ooxml_read_rels (ex->zip, main, error);
  if (rels == NULL)
    return FALSE;
  rel = _wr_ooxml_find_rel_type (rels, "/styles");
  styles = read_styles (ex, rel != NULL ? rel->target : NULL, error);
  if (styles == NULL)
    return FALSE;

  ws.styles = styles;
  if (!word_text (&ws, main, error))
    {
      g_free (ws.title);
      return FALSE;
    }
  flush_section (&ws);

  /* Headers and footers, then footnotes, then endnotes, each as one section. */
  ws.styles = NULL;
  for (guint k = 0; k < G_N_ELEMENTS (extras); k++)
    {
      g_string_truncate (text, 0);
      for (guint i = 0; i < rels->len; i++)
        {
          WrOoxmlRel *r = g_ptr_array_index (rels, i);
          gboolean match = g_str_has_suffix (r->type, extras[k].suffix)
                           || (k == 0 && g_str_has_suffix (r->type, "/footer"));
          if (match && !word_text (&ws, r->target, error))
            return FALSE;
        }
      {
        g_autofree char *clean = tidy (text->str);
        if (clean[0] != '\0')
          add_section (ex, WR_DOC_SECTION_SECTION, 2 + k, _(extras[k].title), clean);
      }
    }
  return TRUE;
}

/* ---- SpreadsheetML ------------------------------------------------------- */

typedef struct
{
  Extract *ex;
  GString *text;
  GError **error;
  gboolean failed;
} SheetText;

static gboolean
on_row_cb (guint             row_number,
           const WrXlsxCell *cells,
           guint             n_cells,
           gpointer          user_data)
{
  SheetText *st = user_data;
  gsize start = st->text->len;

  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (st->text, '\t');
      g_string_append (st->text, cells[i].text);
    }
  g_string_append_c (st->text, '\n');
  if (!check_total (st->ex, st->text->len - start, st->error))
    {
      st->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
extract_xlsx (Extract  *ex,
              WrSafeZip *zip_owned,
              GBytes   *bytes,
              const char *path,
              GError  **error)
{
  g_autoptr(WrXlsxReader) reader = NULL;

  (void) zip_owned;
  reader = bytes != NULL ? wr_xlsx_reader_open_bytes (bytes, error) : wr_xlsx_reader_open (path, error);
  if (reader == NULL)
    return FALSE;

  for (guint i = 0; i < wr_xlsx_reader_get_n_sheets (reader); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      SheetText st = { ex, text, error, FALSE };

      if (!wr_xlsx_reader_read_sheet (reader, i, on_row_cb, &st, ex->cancellable, error) || st.failed)
        return FALSE;
      add_section (ex, WR_DOC_SECTION_SHEET, i + 1, wr_xlsx_reader_get_sheet_name (reader, i), text->str);
    }
  return TRUE;
}

/* ---- entry points -------------------------------------------------------- */

static const char *
detect_kind (WrSafeZip *zip)
{
  g_autofree char *main = _wr_ooxml_main_part (zip, "", NULL);

  if (main != NULL && g_str_has_prefix (main, "word/"))
    return "docx";
  if (main != NULL && g_str_has_prefix (main, "ppt/"))
    return "pptx";
  if (main != NULL && g_str_has_prefix (main, "xl/"))
    return "xlsx";
  if (wr_safe_zip_has_entry (zip, "word/document.xml"))
    return "docx";
  if (wr_safe_zip_has_entry (zip, "ppt/presentation.xml"))
    return "pptx";
  if (wr_safe_zip_has_entry (zip, "xl/workbook.xml"))
    return "xlsx";
  return NULL;
}

static GPtrArray *
extract (const char    *path,
         GBytes        *bytes,
         const char    *kind,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(WrSafeZip) zip = NULL;
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_doc_section_free);
  Extract ex = { NULL, cancellable, sections, 0 };
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  zip = bytes != NULL ? wr_safe_zip_open_bytes (bytes, NULL, error) : wr_safe_zip_open (path, NULL, error);
  if (zip == NULL)
    return NULL;
  ex.zip = zip;

  if (kind == NULL)
    kind = detect_kind (zip);
  if (g_strcmp0 (kind, "pptx") == 0)
    ok = extract_pptx (&ex, error);
  else if (g_strcmp0 (kind, "docx") == 0)
    ok = extract_docx (&ex, error);
  else if (g_strcmp0 (kind, "xlsx") == 0)
    {
      g_clear_pointer (&zip, wr_safe_zip_free);
      ex.zip = NULL;
      ok = extract_xlsx (&ex, NULL, bytes, path, error);
    }
  else
    {
      g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED,
                           _("The file is not a Word, Excel or PowerPoint document (.docx, .xlsx or .pptx)."));
      ok = FALSE;
    }
  if (!ok)
    return NULL;
  return g_steal_pointer (&sections);
}

GPtrArray *
wr_ooxml_extract (const char    *path,
                  const char    *kind,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return extract (path, NULL, kind, cancellable, error);
}

GPtrArray *
wr_ooxml_extract_bytes (GBytes        *bytes,
                        const char    *kind,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  return extract (NULL, bytes, kind, cancellable, error);
}
