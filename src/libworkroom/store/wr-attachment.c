/* wr-attachment.c
 *
 * The type checks use the images' own signatures, which are exact for the
 * four formats and need no MIME database; GIO's guess only names what a
 * refused file is instead ("plain text document").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-attachment.h"
#include "wr-attachment-private.h"

struct _WrAttachment
{
  GObject  parent_instance;
  char    *id;
  char    *message_id;
  guint    position;
  char    *name;
  char    *mime_type;
  GBytes  *data;
  gint64   created_at;
};

G_DEFINE_FINAL_TYPE (WrAttachment, wr_attachment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_MESSAGE_ID,
  PROP_POSITION,
  PROP_NAME,
  PROP_MIME_TYPE,
  PROP_DATA,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The supported types: MIME type, the name users know, file extensions. */
static const struct {
  const char *mime_type;
  const char *label;
  const char *extensions[5];
} image_types[] = {
  { "image/png",  "PNG",  { "png", NULL } },
  { "image/jpeg", "JPEG", { "jpg", "jpeg", "jpe", "jfif", NULL } },
  { "image/webp", "WebP", { "webp", NULL } },
  { "image/gif",  "GIF",  { "gif", NULL } },
};

/* Helpers */

/* Lowercase, without parameters, "image/jpg" read as "image/jpeg".
 * (transfer full, nullable) */
static char *
normalize_mime_type (const char *mime_type)
{
  g_autofree char *lower = NULL;
  char *semicolon;

  if (mime_type == NULL)
    return NULL;

  lower = g_ascii_strdown (mime_type, -1);
  semicolon = strchr (lower, ';');
  if (semicolon != NULL)
    *semicolon = '\0';
  g_strstrip (lower);

  if (g_str_equal (lower, "image/jpg") || g_str_equal (lower, "image/pjpeg"))
    return g_strdup ("image/jpeg");

  return g_steal_pointer (&lower);
}

static const char *
type_label (const char *mime_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (image_types); i++)
    if (g_strcmp0 (image_types[i].mime_type, mime_type) == 0)
      return image_types[i].label;

  return mime_type;
}

/* The image type a file name claims by its extension, or NULL. */
static const char *
mime_type_for_name (const char *name)
{
  const char *dot = name != NULL ? strrchr (name, '.') : NULL;
  g_autofree char *extension = NULL;

  if (dot == NULL || dot[1] == '\0')
    return NULL;

  extension = g_ascii_strdown (dot + 1, -1);
  for (guint i = 0; i < G_N_ELEMENTS (image_types); i++)
    for (guint j = 0; image_types[i].extensions[j] != NULL; j++)
      if (g_str_equal (image_types[i].extensions[j], extension))
        return image_types[i].mime_type;

  return NULL;
}

static const char *
sniff_image (const guint8 *data,
             gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";

  return NULL;
}

/* What GIO says @data is, for an error message: "plain text document".
 * (transfer full) */
static char *
describe_contents (GBytes *data)
{
  g_autofree char *mime_type = wr_attachment_sniff_mime_type (data);
  g_autofree char *content_type = g_content_type_from_mime_type (mime_type);

  if (content_type == NULL || g_content_type_is_unknown (content_type))
    return g_strdup (_("data of an unknown kind"));

  return g_content_type_get_description (content_type);
}

static const char *
display_name (const char *name)
{
  return name != NULL && name[0] != '\0' ? name : _("The image");
}

static void
set_too_large_error (GError     **error,
                     const char  *name,
                     guint64      size)
{
  g_autofree char *actual = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: a size in mebibytes; %u is 20. */
  g_autofree char *limit = g_strdup_printf (_("%u MiB"), (guint) (WR_ATTACHMENT_MAX_BYTES / (1024 * 1024)));

  g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
               /* Translators: %s are a file name and two sizes ("25.0 MiB", "20.0 MiB"). */
               _("“%s” is too large to send (%s; an image may be at most %s). "
                 "Make it smaller or choose another image."),
               display_name (name), actual, limit);
}

/* Lifecycle */

static void
wr_attachment_finalize (GObject *object)
{
  WrAttachment *self = WR_ATTACHMENT (object);

  g_free (self->id);
  g_free (self->message_id);
  g_free (self->name);
  g_free (self->mime_type);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (wr_attachment_parent_class)->finalize (object);
}

static void
wr_attachment_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WrAttachment *self = WR_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;
    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_attachment_class_init (WrAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wr_attachment_finalize;
  object_class->get_property = wr_attachment_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, G_TYPE_BYTES, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wr_attachment_init (WrAttachment *self)
{
}

/* API */

WrAttachment *
wr_attachment_new (const char *name,
                   const char *mime_type,
                   GBytes     *data)
{
  WrAttachment *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (WR_TYPE_ATTACHMENT, NULL);
  self->name = g_strdup (name != NULL ? name : "");
  self->data = g_bytes_ref (data);
  self->mime_type = normalize_mime_type (mime_type);
  /* Only an image type is a claim to check; anything else ("application/
   * octet-stream" from a file chooser that did not look) is replaced by
   * what the bytes are. */
  if (self->mime_type == NULL || !g_str_has_prefix (self->mime_type, "image/"))
    {
      g_free (self->mime_type);
      self->mime_type = wr_attachment_sniff_mime_type (data);
    }

  return self;
}

WrAttachment *
_wr_attachment_new_from_row (const char *id,
                             const char *message_id,
                             guint       position,
                             const char *name,
                             const char *mime_type,
                             GBytes     *data,
                             gint64      created_at)
{
  WrAttachment *self = g_object_new (WR_TYPE_ATTACHMENT, NULL);

  self->id = g_strdup (id);
  self->message_id = g_strdup (message_id);
  self->position = position;
  self->name = g_strdup (name != NULL ? name : "");
  self->mime_type = g_strdup (mime_type);
  self->data = data;
  self->created_at = created_at;

  return self;
}

void
_wr_attachment_set_stored (WrAttachment *self,
                           const char   *id,
                           const char   *message_id,
                           guint         position,
                           gint64        created_at)
{
  g_return_if_fail (WR_IS_ATTACHMENT (self));

  g_free (self->id);
  self->id = g_strdup (id);
  g_free (self->message_id);
  self->message_id = g_strdup (message_id);
  self->position = position;
  self->created_at = created_at;
}

const char *
wr_attachment_get_id (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), NULL);
  return self->id;
}

const char *
wr_attachment_get_message_id (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), NULL);
  return self->message_id;
}

guint
wr_attachment_get_position (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), 0);
  return self->position;
}

const char *
wr_attachment_get_name (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), NULL);
  return self->name;
}

const char *
wr_attachment_get_mime_type (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), NULL);
  return self->mime_type;
}

GBytes *
wr_attachment_get_data (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), NULL);
  return self->data;
}

gsize
wr_attachment_get_size (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), 0);
  return g_bytes_get_size (self->data);
}

gint64
wr_attachment_get_created_at (WrAttachment *self)
{
  g_return_val_if_fail (WR_IS_ATTACHMENT (self), 0);
  return self->created_at;
}

gboolean
wr_attachment_is_supported_type (const char *mime_type)
{
  for (guint i = 0; mime_type != NULL && i < G_N_ELEMENTS (image_types); i++)
    if (g_str_equal (image_types[i].mime_type, mime_type))
      return TRUE;

  return FALSE;
}

char *
wr_attachment_sniff_mime_type (GBytes *data)
{
  const guint8 *bytes;
  const char *image;
  gsize size;
  g_autofree char *content_type = NULL;
  char *mime_type;

  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &size);
  image = sniff_image (bytes, size);
  if (image != NULL)
    return g_strdup (image);

  /* GIO reads only the first few KiB for its magic rules. */
  content_type = g_content_type_guess (NULL, bytes, size, NULL);
  mime_type = content_type != NULL ? g_content_type_get_mime_type (content_type) : NULL;

  return mime_type != NULL ? mime_type : g_strdup ("application/octet-stream");
}

gboolean
wr_attachment_check (WrAttachment  *self,
                     GError       **error)
{
  gsize size;
  const char *sniffed;
  const char *claimed;

  g_return_val_if_fail (WR_IS_ATTACHMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  size = g_bytes_get_size (self->data);
  if (size == 0)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   /* Translators: %s is a file name. */
                   _("“%s” is empty. Choose the image again."),
                   display_name (self->name));
      return FALSE;
    }

  if (size > WR_ATTACHMENT_MAX_BYTES)
    {
      set_too_large_error (error, self->name, size);
      return FALSE;
    }

  sniffed = sniff_image (g_bytes_get_data (self->data, NULL), size);
  /* What the declared type or, failing that, the name says it is. */
  claimed = wr_attachment_is_supported_type (self->mime_type) ? self->mime_type
                                                               : mime_type_for_name (self->name);

  if (sniffed == NULL)
    {
      g_autofree char *what = describe_contents (self->data);

      if (claimed != NULL)
        g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                     /* Translators: %s are a file name, an image format ("PNG") and a kind
                      * of file ("plain text document"). */
                     _("“%s” is not a real %s image (its contents: %s). Choose the image "
                       "again, or save it as PNG, JPEG, WebP or GIF."),
                     display_name (self->name), type_label (claimed), what);
      else
        g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                     /* Translators: %s are a file name and a kind of file ("PDF document"). */
                     _("“%s” is not an image Workroom can send (%s). Attach a PNG, JPEG, "
                       "WebP or GIF image instead."),
                     display_name (self->name), what);
      return FALSE;
    }

  /* A declared type that is not an image we send, or another image type
   * than the bytes, or a name that says another image type. */
  if ((self->mime_type != NULL && !g_str_equal (self->mime_type, sniffed)) ||
      (mime_type_for_name (self->name) != NULL && !g_str_equal (mime_type_for_name (self->name), sniffed)))
    {
      const char *said = self->mime_type != NULL && !g_str_equal (self->mime_type, sniffed)
                           ? self->mime_type : mime_type_for_name (self->name);

      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   /* Translators: %s are a file name and two image formats ("PNG", "JPEG"). */
                   _("“%s” is marked as %s but contains a %s image. Rename or convert it so "
                     "the two match, then attach it again."),
                   display_name (self->name), type_label (said), type_label (sniffed));
      return FALSE;
    }

  return TRUE;
}

/* Loading files */

WrAttachment *
wr_attachment_load (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(WrAttachment) attachment = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  const char *name;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  name = g_file_info_get_display_name (info);
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID,
                   /* Translators: %s is a folder name. */
                   _("“%s” is a folder. Choose an image file."), name);
      return NULL;
    }

  /* Refuse a huge file before reading it into memory. */
  if (g_file_info_get_size (info) > WR_ATTACHMENT_MAX_BYTES)
    {
      set_too_large_error (error, name, (guint64) g_file_info_get_size (info));
      return NULL;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  attachment = wr_attachment_new (name, NULL, bytes);
  if (!wr_attachment_check (attachment, error))
    return NULL;

  return g_steal_pointer (&attachment);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  WrAttachment *attachment = wr_attachment_load (task_data, cancellable, &error);

  if (attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, attachment, g_object_unref);
}

void
wr_attachment_load_async (GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_attachment_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

WrAttachment *
wr_attachment_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_attachment_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
