/* wr-project.h — a project: the unit the sidebar lists. Plain data object;
 * changes persist only through WrStore. Properties notify on change. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_TYPE_PROJECT (wr_project_get_type ())
G_DECLARE_FINAL_TYPE (WrProject, wr_project, WR, PROJECT, GObject)

WrProject  *wr_project_new               (void);
/* properties: "id", "name", "description", "default-model", "created-at",
 * "updated-at" (gint64 usec, UTC) */
const char *wr_project_get_id            (WrProject *self);
void        wr_project_set_id            (WrProject *self, const char *id);
const char *wr_project_get_name          (WrProject *self);
void        wr_project_set_name          (WrProject *self, const char *name);
const char *wr_project_get_description   (WrProject *self);
void        wr_project_set_description   (WrProject *self, const char *description);
const char *wr_project_get_default_model (WrProject *self);
void        wr_project_set_default_model (WrProject *self, const char *model);
gint64      wr_project_get_created_at    (WrProject *self);
void        wr_project_set_created_at    (WrProject *self, gint64 usec);
gint64      wr_project_get_updated_at    (WrProject *self);
void        wr_project_set_updated_at    (WrProject *self, gint64 usec);

G_END_DECLS
