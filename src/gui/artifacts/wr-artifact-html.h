/* wr-artifact-html.h — the readable text of an HTML artifact, for its
 * "Text" view. The HTML is parsed by libxml2's HTML parser with network
 * access off and nothing of it run: script, style, template, noscript and
 * head content are skipped; block elements end paragraphs.
 * No widgets; any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The paragraphs of @html (@length bytes, -1 when nul-terminated), each
 * with its white space collapsed (element-type utf8, transfer full; empty
 * when there is no text). */
GPtrArray *_wr_artifact_html_extract_paragraphs (const char *html,
                                                 gssize      length);
/* The same joined by blank lines (transfer full). */
char      *_wr_artifact_html_extract_text       (const char *html,
                                                 gssize      length);

G_END_DECLS
