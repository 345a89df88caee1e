/* wr-safe-xml.c — libxml2's xmlTextReader for untrusted XML.
 *
 * Input reaches the parser through an I/O callback that also scans the
 * prolog: a "<!DOCTYPE" before the root element is refused before libxml2
 * sees it, so internal subsets (entity declarations: XXE, billion laughs)
 * are never parsed. A DOCTYPE node or an entity reference the scan missed
 * (e.g. UTF-16 input) is refused by wr_safe_xml_read() too, and the parser
 * runs without XML_PARSE_NOENT, DTD loading, network or XML_PARSE_HUGE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <string.h>

#include "wr-safe-xml.h"

#define PROLOG_MAX (256 * 1024)

typedef enum
{
  PROLOG_SCANNING,
  PROLOG_DONE,
  PROLOG_DOCTYPE,
} PrologState;

struct _WrSafeXml
{
  xmlTextReaderPtr  reader;
  char             *name;          /* part name, for messages */
  /* input: bytes or a zip entry */
  GBytes           *bytes;
  gsize             offset;
  WrSafeZipEntry   *entry;
  guint64           bytes_read;
  GString          *prolog;
  PrologState       prolog_state;
  GError           *io_error;      /* from the input callback */
  char             *parse_error;   /* first libxml2 error */
  int               parse_line;
  gboolean          failed;
};

static void
init_libxml (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      xmlInitParser ();
      g_once_init_leave (&once, 1);
    }
}

/* Looks at the document's start for a DOCTYPE before the root element. */
static PrologState
scan_prolog (const char *s,
             gsize       len)
{
  gsize i = 0;

  /* UTF-8 byte order mark */
  if (len >= 3 && (guchar) s[0] == 0xEF && (guchar) s[1] == 0xBB && (guchar) s[2] == 0xBF)
    i = 3;

  while (i < len)
    {
      const char *end;

      if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
        {
          i++;
          continue;
        }
      if (s[i] != '<')
        return PROLOG_DONE;   /* not markup: let the parser complain */
      if (i + 1 >= len)
        return PROLOG_SCANNING;
      if (s[i + 1] == '?')
        {
          end = g_strstr_len (s + i + 2, len - i - 2, "?>");
          if (end == NULL)
            return PROLOG_SCANNING;
          i = (gsize) (end - s) + 2;
          continue;
        }
      if (s[i + 1] == '!')
        {
          if (i + 4 > len)
            return PROLOG_SCANNING;
          if (s[i + 2] == '-' && s[i + 3] == '-')
            {
              end = g_strstr_len (s + i + 4, len - i - 4, "-->");
              if (end == NULL)
                return PROLOG_SCANNING;
              i = (gsize) (end - s) + 3;
              continue;
            }
          return PROLOG_DOCTYPE;   /* <!DOCTYPE, or anything else odd before the root */
        }
      return PROLOG_DONE;   /* the root element */
    }
  return PROLOG_SCANNING;
}

static gssize
pull (WrSafeXml *self,
      char      *buffer,
      gsize      len)
{
  if (self->entry != NULL)
    return wr_safe_zip_entry_read (self->entry, (guint8 *) buffer, len, &self->io_error);

  {
    gsize size;
    const char *data = g_bytes_get_data (self->bytes, &size);
    gsize n = MIN (len, size - self->offset);

    if (n > 0)
      memcpy (buffer, data + self->offset, n);
    self->offset += n;
    return (gssize) n;
  }
}

static int
on_read_cb (void *context,
            char *buffer,
            int   len)
{
  WrSafeXml *self = context;
  gssize n;

  if (self->io_error != NULL || len <= 0)
    return -1;

  n = pull (self, buffer, (gsize) len);
  if (n < 0)
    return -1;
  self->bytes_read += (guint64) n;

  if (self->prolog_state == PROLOG_SCANNING && n > 0)
    {
      g_string_append_len (self->prolog, buffer, n);
      self->prolog_state = scan_prolog (self->prolog->str, self->prolog->len);
      if (self->prolog_state == PROLOG_SCANNING && self->prolog->len > PROLOG_MAX)
        self->prolog_state = PROLOG_DOCTYPE;
      if (self->prolog_state == PROLOG_DOCTYPE)
        {
          g_set_error (&self->io_error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED,
                       _("The part “%s” of the file declares an XML document type (DTD), which Office "
                         "files never do; Workroom does not read it. Save the file again in its "
                         "application and retry."), self->name);
          return -1;
        }
      if (self->prolog_state == PROLOG_DONE)
        g_string_free (g_steal_pointer (&self->prolog), TRUE);
    }
  return (int) n;
}

static int
on_close_cb (void *context)
{
  return 0;
}

static void
on_error_cb (void                   *arg,
             const char             *msg,
             xmlParserSeverities     severity,
             xmlTextReaderLocatorPtr locator)
{
  WrSafeXml *self = arg;

  if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR)
    return;
  if (self->parse_error == NULL)
    {
      self->parse_error = g_strstrip (g_strdup (msg != NULL ? msg : ""));
      self->parse_line = locator != NULL ? xmlTextReaderLocatorLineNumber (locator) : 0;
    }
}

/* Creates the reader once the input is set (it reads the first bytes at once). */
static gboolean
setup (WrSafeXml  *self,
       GError    **error)
{
  /* No NOENT (entities stay references), no DTDLOAD/DTDATTR/DTDVALID, no
   * XINCLUDE, no HUGE (libxml2 keeps its depth and size limits). */
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA
                | XML_PARSE_COMPACT;

  init_libxml ();
  self->prolog = g_string_new (NULL);
  self->prolog_state = PROLOG_SCANNING;
  self->reader = xmlReaderForIO (on_read_cb, on_close_cb, self, NULL, NULL, options);
  if (self->reader == NULL)
    {
      if (self->io_error != NULL)
        g_propagate_error (error, g_steal_pointer (&self->io_error));
      else
        g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                     _("The file is damaged: its part “%s” is empty or not XML. Open it in the "
                       "application that made it, save it again, and retry."), self->name);
      return FALSE;
    }
  xmlTextReaderSetErrorHandler (self->reader, on_error_cb, self);
  return TRUE;
}

WrSafeXml *
wr_safe_xml_new_for_bytes (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(WrSafeXml) self = g_new0 (WrSafeXml, 1);

  g_return_val_if_fail (bytes != NULL, NULL);

  self->name = g_strdup ("XML");
  self->bytes = g_bytes_ref (bytes);
  if (!setup (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

WrSafeXml *
wr_safe_xml_new_for_entry (WrSafeZip   *zip,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(WrSafeXml) self = g_new0 (WrSafeXml, 1);

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self->name = g_strdup (name);
  self->entry = wr_safe_zip_entry_open (zip, name, error);
  if (self->entry == NULL || !setup (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
wr_safe_xml_free (WrSafeXml *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->reader, xmlFreeTextReader);
  g_clear_pointer (&self->entry, wr_safe_zip_entry_close);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  if (self->prolog != NULL)
    g_string_free (self->prolog, TRUE);
  g_clear_error (&self->io_error);
  g_free (self->parse_error);
  g_free (self->name);
  g_free (self);
}

static int
fail (WrSafeXml *self,
      GError   **error)
{
  self->failed = TRUE;
  if (self->io_error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->io_error));
  else
    g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                 _("The file is damaged: its part “%s” is not well-formed XML (line %d: %s). Open it "
                   "in the application that made it, save it again, and retry."),
                 self->name, self->parse_line, self->parse_error != NULL ? self->parse_error : "?");
  return -1;
}

/* Refuses nodes a safe Office file never has, and what is over a limit. */
static int
check_node (WrSafeXml *self,
            GError   **error)
{
  int type = xmlTextReaderNodeType (self->reader);

  switch (type)
    {
    case XML_READER_TYPE_DOCUMENT_TYPE:
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
    case XML_READER_TYPE_NOTATION:
      self->failed = TRUE;
      g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_UNSUPPORTED,
                   _("The part “%s” of the file declares an XML document type (DTD), which Office "
                     "files never do; Workroom does not read it. Save the file again in its "
                     "application and retry."), self->name);
      return -1;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
      {
        const xmlChar *value = xmlTextReaderConstValue (self->reader);
        if (value != NULL && strlen ((const char *) value) > WR_SAFE_XML_MAX_TEXT)
          goto too_large;
      }
      break;
    default:
      break;
    }

  if (xmlTextReaderDepth (self->reader) > WR_SAFE_XML_MAX_DEPTH)
    goto too_large;
  return 1;

too_large:
  self->failed = TRUE;
  g_set_error (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE,
               _("The part “%s” of the file is nested too deeply or holds too much text in one place "
                 "for Workroom to read."), self->name);
  return -1;
}

int
wr_safe_xml_read (WrSafeXml  *self,
                  GError    **error)
{
  int ret;

  g_return_val_if_fail (self != NULL, -1);

  if (self->failed)
    return fail (self, error);
  ret = xmlTextReaderRead (self->reader);
  if (ret < 0 || self->io_error != NULL)
    return fail (self, error);
  if (ret == 0)
    return 0;
  return check_node (self, error);
}

int
wr_safe_xml_skip (WrSafeXml  *self,
                  GError    **error)
{
  int ret;

  g_return_val_if_fail (self != NULL, -1);

  if (self->failed)
    return fail (self, error);
  ret = xmlTextReaderNext (self->reader);
  if (ret < 0 || self->io_error != NULL)
    return fail (self, error);
  if (ret == 0)
    return 0;
  return check_node (self, error);
}

xmlTextReaderPtr
wr_safe_xml_get_reader (WrSafeXml *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->reader;
}

int
wr_safe_xml_node_type (WrSafeXml *self)
{
  return xmlTextReaderNodeType (self->reader);
}

const char *
wr_safe_xml_local_name (WrSafeXml *self)
{
  const xmlChar *name = xmlTextReaderConstLocalName (self->reader);
  return name != NULL ? (const char *) name : "";
}

gboolean
wr_safe_xml_is_start (WrSafeXml  *self,
                      const char *local_name)
{
  return xmlTextReaderNodeType (self->reader) == XML_READER_TYPE_ELEMENT
         && strcmp (wr_safe_xml_local_name (self), local_name) == 0;
}

gboolean
wr_safe_xml_is_empty (WrSafeXml *self)
{
  return xmlTextReaderIsEmptyElement (self->reader) == 1;
}

gboolean
wr_safe_xml_is_end (WrSafeXml  *self,
                    const char *local_name)
{
  int type = xmlTextReaderNodeType (self->reader);

  if (type == XML_READER_TYPE_END_ELEMENT)
    return strcmp (wr_safe_xml_local_name (self), local_name) == 0;
  if (type == XML_READER_TYPE_ELEMENT && wr_safe_xml_is_empty (self))
    return strcmp (wr_safe_xml_local_name (self), local_name) == 0;
  return FALSE;
}

int
wr_safe_xml_depth (WrSafeXml *self)
{
  return xmlTextReaderDepth (self->reader);
}

char *
wr_safe_xml_dup_attribute (WrSafeXml  *self,
                           const char *local_name)
{
  char *value = NULL;

  if (xmlTextReaderNodeType (self->reader) != XML_READER_TYPE_ELEMENT)
    return NULL;
  if (xmlTextReaderMoveToFirstAttribute (self->reader) != 1)
    return NULL;
  do
    {
      const xmlChar *name = xmlTextReaderConstLocalName (self->reader);
      if (name != NULL && strcmp ((const char *) name, local_name) == 0)
        {
          const xmlChar *v = xmlTextReaderConstValue (self->reader);
          value = g_strdup (v != NULL ? (const char *) v : "");
          break;
        }
    }
  while (xmlTextReaderMoveToNextAttribute (self->reader) == 1);
  xmlTextReaderMoveToElement (self->reader);
  return value;
}

const char *
wr_safe_xml_value (WrSafeXml *self)
{
  const xmlChar *value = xmlTextReaderConstValue (self->reader);
  return value != NULL ? (const char *) value : "";
}

guint64
wr_safe_xml_get_bytes_read (WrSafeXml *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_read;
}
