/* wr-ooxml-private.h — package helpers shared by the OOXML readers
 * (relationships, part name resolution). Only for src/libworkroom/docs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-safe-xml.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *type;     /* full relationship type URI */
  char *target;   /* resolved part name without leading '/', NULL if external */
} WrOoxmlRel;

/* Relationships of part (e.g. "ppt/presentation.xml", or "" for the
 * package): element-type WrOoxmlRel in document order; an empty array when
 * the .rels part is missing. NULL with error only when it is damaged. */
GPtrArray  *_wr_ooxml_read_rels       (WrSafeZip   *zip,
                                       const char  *part,
                                       GError     **error);
/* First relationship whose type ends with suffix (e.g. "/officeDocument"); borrowed. */
WrOoxmlRel *_wr_ooxml_find_rel_type   (GPtrArray   *rels,
                                       const char  *suffix);
WrOoxmlRel *_wr_ooxml_find_rel_id     (GPtrArray   *rels,
                                       const char  *id);
/* Resolves target relative to the folder of base_part; NULL when it leaves the package. */
char       *_wr_ooxml_resolve         (const char  *base_part,
                                       const char  *target);
/* The main part (workbook.xml, document.xml, presentation.xml) from
 * _rels/.rels, or fallback when the package has none. */
char       *_wr_ooxml_main_part       (WrSafeZip   *zip,
                                       const char  *fallback,
                                       GError     **error);

G_END_DECLS
