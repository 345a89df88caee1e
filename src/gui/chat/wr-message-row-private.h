/* wr-message-row-private.h — what tests of message rows drive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-message-row.h"

G_BEGIN_DECLS

/* The store Save as Artifact writes to when the row is not in a chat
 * view (tests). */
void        _wr_message_row_set_artifact_store (WrMessageRow *self,
                                                WrStore      *store);
/* The Save menu as it would open now (transfer full, nullable). */
GMenuModel *_wr_message_row_get_save_menu      (WrMessageRow *self);
/* Whether the Save button is offered, and whether a save runs. */
gboolean    _wr_message_row_get_can_save       (WrMessageRow *self);
gboolean    _wr_message_row_get_saving         (WrMessageRow *self);

G_END_DECLS
