/* wr-templates-view-private.h — what tests of the templates view look at. */
#pragma once

#include "store/wr-template.h"
#include "wr-templates-view.h"

G_BEGIN_DECLS

/* The templates as loaded (element-type WrTemplate). (transfer none) */
GListModel *_wr_templates_view_get_templates           (WrTemplatesView *self);
/* The templates the list shows (after the search). (transfer none) */
GListModel *_wr_templates_view_get_shown               (WrTemplatesView *self);
/* Loading, saving, deleting or choosing for the project. */
gboolean    _wr_templates_view_get_busy                (WrTemplatesView *self);
/* The template in the editor (NULL: none, or a new one not yet saved). */
WrTemplate *_wr_templates_view_get_editing             (WrTemplatesView *self);
/* Whether the editor is open (on a saved or a new template). */
gboolean    _wr_templates_view_get_editor_open         (WrTemplatesView *self);
/* The id of the template the project uses, as last read or set. */
const char *_wr_templates_view_get_project_template_id (WrTemplatesView *self);

G_END_DECLS
