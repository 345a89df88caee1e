/* wr-templates-view.h — the Instructions page of a project: the
 * instruction templates (named system prompts), searchable, with an editor,
 * and which one the project's chats start with. Templates are shared by
 * all projects; the choice is per project. */
#pragma once

#include <adwaita.h>

#include "workroom.h"

G_BEGIN_DECLS

#define WR_TYPE_TEMPLATES_VIEW (wr_templates_view_get_type ())
G_DECLARE_FINAL_TYPE (WrTemplatesView, wr_templates_view, WR, TEMPLATES_VIEW, AdwBin)

GtkWidget *wr_templates_view_new         (WrSession       *session);
/* The project "Use in This Project" applies to (NULL: none). Loads which
 * template it uses asynchronously. */
void       wr_templates_view_set_project (WrTemplatesView *self,
                                          WrProject       *project);
WrProject *wr_templates_view_get_project (WrTemplatesView *self);

G_END_DECLS
