/* wr-window.h — the main window: project sidebar and the selected project's
 * pages (Chat, later Data, Documents, ...) in an adaptive AdwLeaflet. */
#pragma once

#include <adwaita.h>

#include "wr-application.h"

G_BEGIN_DECLS

#define WR_TYPE_WINDOW (wr_window_get_type ())
G_DECLARE_FINAL_TYPE (WrWindow, wr_window, WR, WINDOW, AdwApplicationWindow)

WrWindow *wr_window_new       (WrApplication *application);
/* Shows @toast over the window's content. Takes ownership of @toast. */
void      wr_window_add_toast (WrWindow      *self,
                               AdwToast      *toast);

G_END_DECLS
