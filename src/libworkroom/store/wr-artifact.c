/* wr-artifact.c — an artifact's metadata (its content is loaded apart).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "wr-artifact.h"
#include "wr-store-private.h"

struct _WrArtifact
{
  GObject         parent_instance;
  char           *id;
  char           *project_id;
  char           *chat_id;
  char           *message_id;
  char           *dataset_id;
  WrArtifactKind  kind;
  char           *name;        /* never NULL */
  char           *mime_type;
  char           *file_name;
  gint64          size;
  gint64          created_at;
  gint64          updated_at;
};

G_DEFINE_FINAL_TYPE (WrArtifact, wr_artifact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROJECT_ID,
  PROP_CHAT_ID,
  PROP_MESSAGE_ID,
  PROP_DATASET_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_MIME_TYPE,
  PROP_FILE_NAME,
  PROP_SIZE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  WrArtifactKind  kind;
  const char     *name;
  const char     *label;
} kinds[] = {
  { WR_ARTIFACT_KIND_REPORT,  "report",  N_("Report") },
  { WR_ARTIFACT_KIND_TABLE,   "table",   N_("Table") },
  { WR_ARTIFACT_KIND_CHART,   "chart",   N_("Chart") },
  { WR_ARTIFACT_KIND_IMAGE,   "image",   N_("Image") },
  { WR_ARTIFACT_KIND_FILE,    "file",    N_("File") },
  { WR_ARTIFACT_KIND_HTML,    "html",    N_("HTML") },
  { WR_ARTIFACT_KIND_MERMAID, "mermaid", N_("Mermaid diagram") },
};

const char *
wr_artifact_kind_to_string (WrArtifactKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;

  g_return_val_if_reached ("file");
}

gboolean
wr_artifact_kind_from_string (const char     *name,
                              WrArtifactKind *out_kind)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      {
        if (out_kind != NULL)
          *out_kind = kinds[i].kind;
        return TRUE;
      }

  return FALSE;
}

const char *
wr_artifact_kind_get_label (WrArtifactKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return _(kinds[i].label);

  g_return_val_if_reached (_("File"));
}

static void
wr_artifact_finalize (GObject *object)
{
  WrArtifact *self = WR_ARTIFACT (object);

  g_free (self->id);
  g_free (self->project_id);
  g_free (self->chat_id);
  g_free (self->message_id);
  g_free (self->dataset_id);
  g_free (self->name);
  g_free (self->mime_type);
  g_free (self->file_name);

  G_OBJECT_CLASS (wr_artifact_parent_class)->finalize (object);
}

static void
wr_artifact_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WrArtifact *self = WR_ARTIFACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_CHAT_ID:
      g_value_set_string (value, self->chat_id);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_DATASET_ID:
      g_value_set_string (value, self->dataset_id);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
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
wr_artifact_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WrArtifact *self = WR_ARTIFACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      wr_artifact_set_id (self, g_value_get_string (value));
      break;
    case PROP_PROJECT_ID:
      wr_artifact_set_project_id (self, g_value_get_string (value));
      break;
    case PROP_CHAT_ID:
      wr_artifact_set_chat_id (self, g_value_get_string (value));
      break;
    case PROP_MESSAGE_ID:
      wr_artifact_set_message_id (self, g_value_get_string (value));
      break;
    case PROP_DATASET_ID:
      wr_artifact_set_dataset_id (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      wr_artifact_set_kind (self, (WrArtifactKind) g_value_get_int (value));
      break;
    case PROP_NAME:
      wr_artifact_set_name (self, g_value_get_string (value));
      break;
    case PROP_MIME_TYPE:
      wr_artifact_set_mime_type (self, g_value_get_string (value));
      break;
    case PROP_FILE_NAME:
      wr_artifact_set_file_name (self, g_value_get_string (value));
      break;
    case PROP_SIZE:
      wr_artifact_set_size (self, g_value_get_int64 (value));
      break;
    case PROP_CREATED_AT:
      wr_artifact_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      wr_artifact_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_artifact_class_init (WrArtifactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = wr_artifact_finalize;
  object_class->get_property = wr_artifact_get_property;
  object_class->set_property = wr_artifact_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_CHAT_ID] = g_param_spec_string ("chat-id", NULL, NULL, NULL, flags);
  properties[PROP_MESSAGE_ID] = g_param_spec_string ("message-id", NULL, NULL, NULL, flags);
  properties[PROP_DATASET_ID] = g_param_spec_string ("dataset-id", NULL, NULL, NULL, flags);
  /* An int, not a registered enum type: the header declares none. */
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, WR_ARTIFACT_KIND_REPORT,
                                                 WR_ARTIFACT_KIND_MERMAID, WR_ARTIFACT_KIND_REPORT, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_MIME_TYPE] = g_param_spec_string ("mime-type", NULL, NULL, NULL, flags);
  properties[PROP_FILE_NAME] = g_param_spec_string ("file-name", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_artifact_init (WrArtifact *self)
{
  self->name = g_strdup ("");
  self->kind = WR_ARTIFACT_KIND_REPORT;
}

WrArtifact *
wr_artifact_new (const char     *project_id,
                 WrArtifactKind  kind,
                 const char     *name)
{
  WrArtifact *self = g_object_new (WR_TYPE_ARTIFACT, NULL);

  self->project_id = g_strdup (project_id);
  self->kind = kind;
  _wr_set_str (&self->name, name != NULL ? name : "");

  return self;
}

const char *
wr_artifact_get_id (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->id;
}

void
wr_artifact_set_id (WrArtifact *self,
                    const char *id)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
wr_artifact_get_project_id (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->project_id;
}

void
wr_artifact_set_project_id (WrArtifact *self,
                            const char *project_id)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->project_id, project_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
}

const char *
wr_artifact_get_chat_id (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->chat_id;
}

void
wr_artifact_set_chat_id (WrArtifact *self,
                         const char *chat_id)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->chat_id, chat_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT_ID]);
}

const char *
wr_artifact_get_message_id (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->message_id;
}

void
wr_artifact_set_message_id (WrArtifact *self,
                            const char *message_id)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->message_id, message_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_ID]);
}

const char *
wr_artifact_get_dataset_id (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->dataset_id;
}

void
wr_artifact_set_dataset_id (WrArtifact *self,
                            const char *dataset_id)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->dataset_id, dataset_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET_ID]);
}

WrArtifactKind
wr_artifact_get_kind (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), WR_ARTIFACT_KIND_FILE);
  return self->kind;
}

void
wr_artifact_set_kind (WrArtifact     *self,
                      WrArtifactKind  kind)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));
  g_return_if_fail (kind >= WR_ARTIFACT_KIND_REPORT && kind <= WR_ARTIFACT_KIND_MERMAID);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
wr_artifact_get_name (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), "");
  return self->name;
}

void
wr_artifact_set_name (WrArtifact *self,
                      const char *name)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->name, name != NULL ? name : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
wr_artifact_get_mime_type (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->mime_type;
}

void
wr_artifact_set_mime_type (WrArtifact *self,
                           const char *mime_type)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->mime_type, mime_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIME_TYPE]);
}

const char *
wr_artifact_get_file_name (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), NULL);
  return self->file_name;
}

void
wr_artifact_set_file_name (WrArtifact *self,
                           const char *file_name)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  if (_wr_set_str (&self->file_name, file_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_NAME]);
}

gint64
wr_artifact_get_size (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), 0);
  return self->size;
}

void
wr_artifact_set_size (WrArtifact *self,
                      gint64      value)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  value = MAX (value, 0);
  if (self->size == value)
    return;

  self->size = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

gint64
wr_artifact_get_created_at (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), 0);
  return self->created_at;
}

void
wr_artifact_set_created_at (WrArtifact *self,
                            gint64      value)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  value = MAX (value, 0);
  if (self->created_at == value)
    return;

  self->created_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
wr_artifact_get_updated_at (WrArtifact *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT (self), 0);
  return self->updated_at;
}

void
wr_artifact_set_updated_at (WrArtifact *self,
                            gint64      value)
{
  g_return_if_fail (WR_IS_ARTIFACT (self));

  value = MAX (value, 0);
  if (self->updated_at == value)
    return;

  self->updated_at = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}
