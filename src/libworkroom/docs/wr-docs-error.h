/* wr-docs-error.h — errors of the document readers (src/libworkroom/docs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WR_DOCS_ERROR (wr_docs_error_quark ())

typedef enum
{
  WR_DOCS_ERROR_CORRUPT,      /* damaged ZIP, malformed XML, missing parts */
  WR_DOCS_ERROR_TOO_LARGE,    /* over a size, count, depth or ratio limit */
  WR_DOCS_ERROR_ENCRYPTED,    /* password-protected */
  WR_DOCS_ERROR_UNSUPPORTED,  /* not an Office Open XML file, DTDs, ... */
} WrDocsError;

GQuark wr_docs_error_quark (void);

G_END_DECLS
