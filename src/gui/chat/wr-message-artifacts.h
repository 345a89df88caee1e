/* wr-message-artifacts.h — "Save as Artifact" for an answer: the whole
 * message as a report, or one of its fenced code blocks (mermaid → a
 * diagram, html → an HTML artifact, other languages → a file named after
 * the language; ```chart blocks are saved by the chart view instead).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "workroom.h"
#include "store/wr-artifact.h"

G_BEGIN_DECLS

/* The "Save" section of a message's menu for @content: "Save as Report"
 * (action message.save-report) and one entry per code block
 * (message.save-code-block, its index as a "u" target). transfer full */
GMenuModel *_wr_message_artifacts_build_menu (const char *content);

/* "snippet.py" for "python"… ("snippet.txt" when unknown; transfer full). */
char       *_wr_message_artifacts_file_name  (const char *language);

/* Stores an artifact of @message's project (read from its chat) with
 * @message's content (@block < 0) or its code block @block. The finish
 * returns the created artifact (transfer full). Runs in a worker. */
void        _wr_message_artifacts_save_async  (WrStore             *store,
                                               WrMessage           *message,
                                               int                  block,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
WrArtifact *_wr_message_artifacts_save_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
