/* wr-project-sidebar.h — the list of projects in the window's sidebar, and
 * the project operations behind it (create, rename, delete with undo).
 *
 * Dialogs are transient for the sidebar's window; toasts go to the nearest
 * AdwToastOverlay ancestor. All store calls are asynchronous. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_PROJECT_SIDEBAR (wr_project_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (WrProjectSidebar, wr_project_sidebar, WR, PROJECT_SIDEBAR, AdwBin)

GtkWidget  *wr_project_sidebar_new                  (void);

/* Loads the projects of @session's store, then selects the one with
 * @select_id when present (else the first). */
void        wr_project_sidebar_load                 (WrProjectSidebar *self,
                                                     WrSession        *session,
                                                     const char       *select_id);
/* Whether the first load finished ("notify::loaded"). */
gboolean    wr_project_sidebar_get_loaded           (WrProjectSidebar *self);
/* The projects shown (element-type WrProject). (transfer none) */
GListModel *wr_project_sidebar_get_model            (WrProjectSidebar *self);
/* (transfer none, nullable) "notify::selected-project" on change. The
 * "project-activated" signal (WrProject) fires when the user activates a
 * row (click or Enter), so a folded window can show the content. */
WrProject  *wr_project_sidebar_get_selected_project (WrProjectSidebar *self);

/* Asks for a name and creates a project, then selects it. */
void        wr_project_sidebar_new_project          (WrProjectSidebar *self);
/* Asks for a new name for the selected project. */
void        wr_project_sidebar_rename_selected      (WrProjectSidebar *self);
/* Deletes the selected project and offers Undo in a toast. */
void        wr_project_sidebar_delete_selected      (WrProjectSidebar *self);

G_END_DECLS
