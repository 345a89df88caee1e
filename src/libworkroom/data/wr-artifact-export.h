/* wr-artifact-export.h — writing an artifact out as a file people can use
 * elsewhere, and the chart/table content forms shared by the GUI and CLI.
 *
 * Export formats by kind (by @dest's extension):
 *   report   .md (the Markdown) or .html (rendered by cmark, no raw HTML)
 *   html     .html / .htm (the source as stored)
 *   mermaid  .mmd / .mermaid (the source)
 *   chart    .png, .svg, .pdf (drawn by wr-chart.h) or .json (the spec)
 *   table    .csv (RFC 4180, header row, every row of the dataset, streamed)
 *            or .json (array of row objects)
 *   image    the stored bytes (any extension)
 *   file     the stored bytes (any extension)
 * Anything else fails with WR_STORE_ERROR_INVALID naming the formats the
 * kind offers. The file is written to a temporary name next to @dest and
 * renamed, so a failure (disk full) never leaves half a file.
 *
 * Threading: blocks; the GUI uses the _async pair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/wr-artifact.h"

G_BEGIN_DECLS

gboolean    wr_artifact_export          (WrStore       *store,
                                         const char    *artifact_id,
                                         GFile         *dest,
                                         GCancellable  *cancellable,
                                         GError       **error);
void        wr_artifact_export_async    (WrStore             *store,
                                         const char          *artifact_id,
                                         GFile               *dest,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    wr_artifact_export_finish   (WrStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* The extensions @kind exports to, the default first, without dots
 * (static, NULL-terminated). */
const char * const *wr_artifact_export_extensions (WrArtifactKind kind);

/* A file name for the save dialog: the artifact's file_name, else its name
 * made safe for file systems plus the kind's default extension
 * (transfer full). */
char       *wr_artifact_suggest_file_name (WrArtifact *artifact);

/* Creates the "table" artifact of a ready dataset (named after it, content
 * {"dataset_id": …}, dataset_id set). Returns the new artifact (transfer
 * full). Dataset imports call this for every dataset they make ready. */
WrArtifact *wr_artifact_create_for_dataset (WrStore      *store,
                                            const char   *dataset_id,
                                            GError      **error);

G_END_DECLS
