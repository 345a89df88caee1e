/* wr-chat.h — a conversation in a project. Remembers the model and provider
 * it last used. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WR_TYPE_CHAT (wr_chat_get_type ())
G_DECLARE_FINAL_TYPE (WrChat, wr_chat, WR, CHAT, GObject)

WrChat     *wr_chat_new             (void);
/* properties: "id", "project-id", "title", "model", "provider-id",
 * "created-at", "updated-at", "use-knowledge" */
const char *wr_chat_get_id          (WrChat *self);
void        wr_chat_set_id          (WrChat *self, const char *id);
const char *wr_chat_get_project_id  (WrChat *self);
void        wr_chat_set_project_id  (WrChat *self, const char *project_id);
const char *wr_chat_get_title       (WrChat *self);      /* nullable */
void        wr_chat_set_title       (WrChat *self, const char *title);
const char *wr_chat_get_model       (WrChat *self);      /* nullable */
void        wr_chat_set_model       (WrChat *self, const char *model);
const char *wr_chat_get_provider_id (WrChat *self);      /* nullable */
void        wr_chat_set_provider_id (WrChat *self, const char *provider_id);
gint64      wr_chat_get_created_at  (WrChat *self);
void        wr_chat_set_created_at  (WrChat *self, gint64 usec);
gint64      wr_chat_get_updated_at  (WrChat *self);
void        wr_chat_set_updated_at  (WrChat *self, gint64 usec);
/* Whether answers draw on the project's documents and datasets (with
 * numbered citations); saved by wr_store_save_chat(). */
gboolean    wr_chat_get_use_knowledge (WrChat *self);
void        wr_chat_set_use_knowledge (WrChat *self, gboolean use_knowledge);

G_END_DECLS
