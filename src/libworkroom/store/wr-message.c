/* wr-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-message.h"
#include "wr-store-private.h"

struct _WrMessage
{
  GObject          parent_instance;
  char            *id;
  char            *chat_id;
  char            *role;
  GString         *content;     /* grows while a model streams */
  char            *model;
  char            *provider_id;
  char            *error;
  char            *route_note;
  char            *citations;   /* JSON array, nullable */
  WrMessageStatus  status;
  gint64           input_tokens;
  gint64           output_tokens;
  gint64           created_at;
  gint64           updated_at;
};

G_DEFINE_FINAL_TYPE (WrMessage, wr_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CHAT_ID,
  PROP_ROLE,
  PROP_CONTENT,
  PROP_MODEL,
  PROP_PROVIDER_ID,
  PROP_STATUS,
  PROP_ERROR,
  PROP_INPUT_TOKENS,
  PROP_OUTPUT_TOKENS,
  PROP_ROUTE_NOTE,
  PROP_CITATIONS,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GEnumValue status_values[] = {
  { WR_MESSAGE_STATUS_COMPLETE, "WR_MESSAGE_STATUS_COMPLETE", "complete" },
  { WR_MESSAGE_STATUS_STREAMING, "WR_MESSAGE_STATUS_STREAMING", "streaming" },
  { WR_MESSAGE_STATUS_PARTIAL, "WR_MESSAGE_STATUS_PARTIAL", "partial" },
  { WR_MESSAGE_STATUS_ERROR, "WR_MESSAGE_STATUS_ERROR", "error" },
  { 0, NULL, NULL }
};

GType
wr_message_status_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static (g_intern_static_string ("WrMessageStatus"),
                                           status_values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

const char *
wr_message_status_to_string (WrMessageStatus status)
{
  for (guint i = 0; status_values[i].value_nick != NULL; i++)
    if ((WrMessageStatus) status_values[i].value == status)
      return status_values[i].value_nick;

  g_return_val_if_reached ("complete");
}

/* Unknown text (a newer build's status) reads as complete: the text is
 * shown as it is rather than hidden. */
WrMessageStatus
wr_message_status_from_string (const char *text)
{
  if (text != NULL)
    {
      for (guint i = 0; status_values[i].value_nick != NULL; i++)
        if (g_str_equal (status_values[i].value_nick, text))
          return status_values[i].value;
    }

  return WR_MESSAGE_STATUS_COMPLETE;
}

static void
wr_message_finalize (GObject *object)
{
  WrMessage *self = WR_MESSAGE (object);

  g_free (self->id);
  g_free (self->chat_id);
  g_free (self->role);
  g_string_free (self->content, TRUE);
  g_free (self->model);
  g_free (self->provider_id);
  g_free (self->error);
  g_free (self->route_note);
  g_free (self->citations);

  G_OBJECT_CLASS (wr_message_parent_class)->finalize (object);
}

static void
wr_message_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WrMessage *self = WR_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CHAT_ID:
      g_value_set_string (value, self->chat_id);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    case PROP_CONTENT:
      g_value_set_string (value, self->content->str);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_INPUT_TOKENS:
      g_value_set_int64 (value, self->input_tokens);
      break;
    case PROP_OUTPUT_TOKENS:
      g_value_set_int64 (value, self->output_tokens);
      break;
    case PROP_ROUTE_NOTE:
      g_value_set_string (value, self->route_note);
      break;
    case PROP_CITATIONS:
      g_value_set_string (value, self->citations);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_message_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WrMessage *self = WR_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_message_set_id (self, g_value_get_string (value));
      break;
    case PROP_CHAT_ID:
      wr_message_set_chat_id (self, g_value_get_string (value));
      break;
    case PROP_ROLE:
      wr_message_set_role (self, g_value_get_string (value));
      break;
    case PROP_CONTENT:
      wr_message_set_content (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      wr_message_set_model (self, g_value_get_string (value));
      break;
    case PROP_PROVIDER_ID:
      wr_message_set_provider_id (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      wr_message_set_status (self, g_value_get_enum (value));
      break;
    case PROP_ERROR:
      wr_message_set_error (self, g_value_get_string (value));
      break;
    case PROP_INPUT_TOKENS:
      wr_message_set_input_tokens (self, g_value_get_int64 (value));
      break;
    case PROP_OUTPUT_TOKENS:
      wr_message_set_output_tokens (self, g_value_get_int64 (value));
      break;
    case PROP_ROUTE_NOTE:
      wr_message_set_route_note (self, g_value_get_string (value));
      break;
    case PROP_CITATIONS:
      wr_message_set_citations (self, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      wr_message_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      wr_message_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_message_class_init (WrMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_message_finalize;
  object_class->get_property = wr_message_get_property;
  object_class->set_property = wr_message_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_CHAT_ID] = g_param_spec_string ("chat-id", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, "user", flags);
  properties[PROP_CONTENT] = g_param_spec_string ("content", NULL, NULL, "", flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               WR_TYPE_MESSAGE_STATUS,
                                               WR_MESSAGE_STATUS_COMPLETE, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_INPUT_TOKENS] = g_param_spec_int64 ("input-tokens", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_OUTPUT_TOKENS] = g_param_spec_int64 ("output-tokens", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ROUTE_NOTE] = g_param_spec_string ("route-note", NULL, NULL, NULL, flags);
  properties[PROP_CITATIONS] = g_param_spec_string ("citations", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_message_init (WrMessage *self)
{
  self->role = g_strdup ("user");
  self->content = g_string_new (NULL);
  self->status = WR_MESSAGE_STATUS_COMPLETE;
  self->input_tokens = -1;
  self->output_tokens = -1;
}

WrMessage *
wr_message_new (const char *role,
                const char *content)
{
  WrMessage *self = g_object_new (WR_TYPE_MESSAGE, NULL);

  if (role != NULL)
    _wr_set_str (&self->role, role);
  if (content != NULL)
    g_string_assign (self->content, content);

  return self;
}

WrMessage *
_wr_message_new_from_row (const char      *id,
                          const char      *chat_id,
                          const char      *role,
                          const char      *content,
                          gsize            content_len,
                          const char      *model,
                          const char      *provider_id,
                          WrMessageStatus  status,
                          const char      *error,
                          const char      *route_note,
                          gint64           input_tokens,
                          gint64           output_tokens,
                          gint64           created_at,
                          gint64           updated_at)
{
  WrMessage *self = g_object_new (WR_TYPE_MESSAGE, NULL);

  self->id = g_strdup (id);
  self->chat_id = g_strdup (chat_id);
  _wr_set_str (&self->role, role);
  if (content != NULL)
    g_string_append_len (self->content, content, content_len);
  self->model = g_strdup (model);
  self->provider_id = g_strdup (provider_id);
  self->status = status;
  self->error = g_strdup (error);
  self->route_note = g_strdup (route_note);
  self->input_tokens = input_tokens;
  self->output_tokens = output_tokens;
  self->created_at = created_at;
  self->updated_at = updated_at;

  return self;
}

WrMessage *
_wr_message_copy (WrMessage *self)
{
  WrMessage *copy;

  g_return_val_if_fail (WR_IS_MESSAGE (self), NULL);

  copy = _wr_message_new_from_row (self->id, self->chat_id, self->role,
                                   self->content->str, self->content->len,
                                   self->model, self->provider_id,
                                   self->status, self->error, self->route_note,
                                   self->input_tokens, self->output_tokens,
                                   self->created_at, self->updated_at);
  copy->citations = g_strdup (self->citations);
  return copy;
}

#define STRING_ACCESSORS(field, PROP)                                   \
const char *                                                            \
wr_message_get_##field (WrMessage *self)                                \
{                                                                       \
  g_return_val_if_fail (WR_IS_MESSAGE (self), NULL);                    \
  return self->field;                                                   \
}                                                                       \
                                                                        \
void                                                                    \
wr_message_set_##field (WrMessage  *self,                               \
                        const char *value)                              \
{                                                                       \
  g_return_if_fail (WR_IS_MESSAGE (self));                              \
                                                                        \
  if (_wr_set_str (&self->field, value))                                \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);       \
}

#define INT64_ACCESSORS(field, PROP, MIN)                               \
gint64                                                                  \
wr_message_get_##field (WrMessage *self)                                \
{                                                                       \
  g_return_val_if_fail (WR_IS_MESSAGE (self), MIN);                     \
  return self->field;                                                   \
}                                                                       \
                                                                        \
void                                                                    \
wr_message_set_##field (WrMessage *self,                                \
                        gint64     value)                               \
{                                                                       \
  g_return_if_fail (WR_IS_MESSAGE (self));                              \
                                                                        \
  value = MAX (value, MIN);                                             \
  if (self->field == value)                                             \
    return;                                                             \
                                                                        \
  self->field = value;                                                  \
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);         \
}

STRING_ACCESSORS (id, PROP_ID)
STRING_ACCESSORS (chat_id, PROP_CHAT_ID)
STRING_ACCESSORS (model, PROP_MODEL)
STRING_ACCESSORS (provider_id, PROP_PROVIDER_ID)
STRING_ACCESSORS (error, PROP_ERROR)
STRING_ACCESSORS (route_note, PROP_ROUTE_NOTE)
STRING_ACCESSORS (citations, PROP_CITATIONS)
INT64_ACCESSORS (input_tokens, PROP_INPUT_TOKENS, -1)
INT64_ACCESSORS (output_tokens, PROP_OUTPUT_TOKENS, -1)
INT64_ACCESSORS (created_at, PROP_CREATED_AT, 0)
INT64_ACCESSORS (updated_at, PROP_UPDATED_AT, 0)

const char *
wr_message_get_role (WrMessage *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE (self), NULL);

  return self->role;
}

void
wr_message_set_role (WrMessage  *self,
                     const char *role)
{
  g_return_if_fail (WR_IS_MESSAGE (self));
  g_return_if_fail (role != NULL);

  if (_wr_set_str (&self->role, role))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

const char *
wr_message_get_content (WrMessage *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE (self), "");

  return self->content->str;
}

gsize
wr_message_get_content_length (WrMessage *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE (self), 0);

  return self->content->len;
}

void
wr_message_set_content (WrMessage  *self,
                        const char *content)
{
  g_return_if_fail (WR_IS_MESSAGE (self));

  if (content == NULL)
    content = "";

  if (strcmp (self->content->str, content) == 0)
    return;

  g_string_assign (self->content, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

void
wr_message_append_content (WrMessage  *self,
                           const char *text,
                           gssize      len)
{
  g_return_if_fail (WR_IS_MESSAGE (self));
  g_return_if_fail (text != NULL || len == 0);

  if (len < 0)
    len = strlen (text);
  if (len == 0)
    return;

  g_string_append_len (self->content, text, len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

WrMessageStatus
wr_message_get_status (WrMessage *self)
{
  g_return_val_if_fail (WR_IS_MESSAGE (self), WR_MESSAGE_STATUS_COMPLETE);

  return self->status;
}

void
wr_message_set_status (WrMessage       *self,
                       WrMessageStatus  status)
{
  g_return_if_fail (WR_IS_MESSAGE (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
