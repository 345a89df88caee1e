/* wr-message.h — one chat message. Assistant messages are filled while a
 * model streams: wr_message_append_content() notifies "content" (the GUI
 * coalesces redraws per frame). Must be used from one thread at a time. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  WR_MESSAGE_STATUS_COMPLETE,   /* finished normally */
  WR_MESSAGE_STATUS_STREAMING,  /* a model is writing it now */
  WR_MESSAGE_STATUS_PARTIAL,    /* stream dropped or stopped: text kept, marked */
  WR_MESSAGE_STATUS_ERROR,      /* the call failed before any text; see "error" */
} WrMessageStatus;

#define WR_TYPE_MESSAGE_STATUS (wr_message_status_get_type ())
GType wr_message_status_get_type (void);

/* Stable text forms stored in SQLite and printed by the CLI:
 * "complete", "streaming", "partial", "error". */
const char      *wr_message_status_to_string   (WrMessageStatus status);
WrMessageStatus  wr_message_status_from_string (const char *text);

#define WR_TYPE_MESSAGE (wr_message_get_type ())
G_DECLARE_FINAL_TYPE (WrMessage, wr_message, WR, MESSAGE, GObject)

WrMessage      *wr_message_new               (const char *role,      /* "system" | "user" | "assistant" */
                                              const char *content);
/* properties: "id", "chat-id", "role", "content", "model", "provider-id",
 * "status", "error", "input-tokens", "output-tokens", "route-note",
 * "citations", "created-at", "updated-at" */
const char     *wr_message_get_id            (WrMessage *self);
void            wr_message_set_id            (WrMessage *self, const char *id);
const char     *wr_message_get_chat_id       (WrMessage *self);
void            wr_message_set_chat_id       (WrMessage *self, const char *chat_id);
const char     *wr_message_get_role          (WrMessage *self);
void            wr_message_set_role          (WrMessage *self, const char *role);
const char     *wr_message_get_content       (WrMessage *self);   /* never NULL */
gsize           wr_message_get_content_length (WrMessage *self);
void            wr_message_set_content       (WrMessage *self, const char *content);
void            wr_message_append_content    (WrMessage *self, const char *text, gssize len);
const char     *wr_message_get_model         (WrMessage *self);   /* nullable */
void            wr_message_set_model         (WrMessage *self, const char *model);
const char     *wr_message_get_provider_id   (WrMessage *self);   /* nullable */
void            wr_message_set_provider_id   (WrMessage *self, const char *provider_id);
WrMessageStatus wr_message_get_status        (WrMessage *self);
void            wr_message_set_status        (WrMessage *self, WrMessageStatus status);
const char     *wr_message_get_error         (WrMessage *self);   /* nullable, user-facing */
void            wr_message_set_error         (WrMessage *self, const char *error);
gint64          wr_message_get_input_tokens  (WrMessage *self);   /* -1 = unknown */
void            wr_message_set_input_tokens  (WrMessage *self, gint64 tokens);
gint64          wr_message_get_output_tokens (WrMessage *self);   /* -1 = unknown */
void            wr_message_set_output_tokens (WrMessage *self, gint64 tokens);
/* Why this reply came from where it did, when it was not simply the chosen
 * provider on the first try (the router's outcome summary); nullable. */
const char     *wr_message_get_route_note    (WrMessage *self);
void            wr_message_set_route_note    (WrMessage *self, const char *note);
/* The sources a knowledge answer was given, as the JSON array documented in
 * migrations/0005-artifacts.sql (cited ones carry "cited": true); nullable.
 * Saved by wr_store_save_message(). */
const char     *wr_message_get_citations     (WrMessage *self);
void            wr_message_set_citations     (WrMessage *self, const char *citations_json);
gint64          wr_message_get_created_at    (WrMessage *self);
void            wr_message_set_created_at    (WrMessage *self, gint64 usec);
gint64          wr_message_get_updated_at    (WrMessage *self);
void            wr_message_set_updated_at    (WrMessage *self, gint64 usec);

G_END_DECLS
