/* wr-failover-page.h — the Failover page of Preferences: the chains of
 * fallbacks the router tries when a model's provider cannot answer. Every
 * valid edit is saved at once (typing: after a short pause) through
 * wr_chat_service_set_failover_policy(), so chats and the CLI use it. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_FAILOVER_PAGE (wr_failover_page_get_type ())
G_DECLARE_FINAL_TYPE (WrFailoverPage, wr_failover_page, WR, FAILOVER_PAGE, AdwPreferencesPage)

GtkWidget *wr_failover_page_new (WrSession *session);

G_END_DECLS
