/* wr-safe-xml.h — a libxml2 xmlTextReader for untrusted XML: no network,
 * no DTD loading, no entity substitution; a document with a DOCTYPE is
 * refused (Office Open XML never has one, and that closes XXE and
 * "billion laughs"), and element depth and text node size are bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libxml/xmlreader.h>

#include "wr-safe-zip.h"

G_BEGIN_DECLS

#define WR_SAFE_XML_MAX_DEPTH 256
#define WR_SAFE_XML_MAX_TEXT  (8 * 1024 * 1024)

typedef struct _WrSafeXml WrSafeXml;

/* The reader keeps a reference to bytes. */
WrSafeXml        *wr_safe_xml_new_for_bytes (GBytes      *bytes,
                                             GError     **error);
/* Streams the entry out of the zip (never held whole in memory). The zip
 * must outlive the reader. */
WrSafeXml        *wr_safe_xml_new_for_entry (WrSafeZip   *zip,
                                             const char  *name,
                                             GError     **error);
void              wr_safe_xml_free          (WrSafeXml   *self);

/* 1: at a node; 0: end of document; -1: error (set, WR_DOCS_ERROR). */
int               wr_safe_xml_read          (WrSafeXml   *self,
                                             GError     **error);
/* Skips the current element's subtree (like xmlTextReaderNext): same return values. */
int               wr_safe_xml_skip          (WrSafeXml   *self,
                                             GError     **error);
xmlTextReaderPtr  wr_safe_xml_get_reader    (WrSafeXml   *self);

/* Shortcuts for the current node. */
int               wr_safe_xml_node_type     (WrSafeXml   *self);   /* XML_READER_TYPE_* */
const char       *wr_safe_xml_local_name    (WrSafeXml   *self);   /* borrowed */
gboolean          wr_safe_xml_is_start      (WrSafeXml   *self,
                                             const char  *local_name);
gboolean          wr_safe_xml_is_end        (WrSafeXml   *self,
                                             const char  *local_name);   /* also an empty start element */
gboolean          wr_safe_xml_is_empty      (WrSafeXml   *self);
int               wr_safe_xml_depth         (WrSafeXml   *self);
/* Attribute by local name (any namespace); owned, NULL when missing. */
char             *wr_safe_xml_dup_attribute (WrSafeXml   *self,
                                             const char  *local_name);
/* Text/CDATA/significant whitespace value; borrowed. */
const char       *wr_safe_xml_value         (WrSafeXml   *self);
/* Bytes consumed from the input so far. */
guint64           wr_safe_xml_get_bytes_read (WrSafeXml  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrSafeXml, wr_safe_xml_free)

G_END_DECLS
