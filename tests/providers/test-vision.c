/* test-vision.c — images with messages: the store's attachments (real
 * SQLite file), and each protocol's request shape as the in-process mock
 * receives it (real HTTP; the mock's "mock-vision" model describes what it
 * decoded, so a wrong shape, order or byte fails the test).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "providers/wr-anthropic-provider.h"
#include "providers/wr-gemini-provider.h"
#include "providers/wr-openai-provider.h"
#include "providers/wr-router.h"
#include "store/wr-attachment.h"
#include "provider-test-util.h"
#include "../store/store-test-util.h"

/* Real 1×1 images (ImageMagick), for the formats the fixtures lack. */
static const guint8 tiny_gif[] = {
  0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff,
  0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
};
static const guint8 tiny_webp[] = {
  0x52, 0x49, 0x46, 0x46, 0x3c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20,
  0x30, 0x00, 0x00, 0x00, 0xd0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00,
  0x34, 0x25, 0xa0, 0x02, 0x74, 0xba, 0x01, 0xf8, 0x00, 0x03, 0xb0, 0x00, 0xfe, 0xf0, 0xc4, 0x0b,
  0xff, 0x20, 0xb9, 0x61, 0x75, 0xc8, 0xd7, 0xff, 0x20, 0x3f, 0xe4, 0x07, 0xfc, 0x80, 0xff, 0xf8,
  0xf2, 0x00, 0x00, 0x00,
};

#define FIXTURE_PNG  "documents/images/tesseractjs_escape_chars.png"
#define FIXTURE_JPEG "documents/images/python-docx_jfif-iguana.jpg"

/* Helpers */

/* The third-party samples live outside the repository (WR_FIXTURES_DIR).
 * Where a checkout has none, an image of the same kind made here stands in,
 * so the wire-format checks still run. */
static GBytes *
generated_image (const char *relative)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  gboolean jpeg = g_str_has_suffix (relative, ".jpg");
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, jpeg ? 0x3366ccff : 0xcc6633ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, jpeg ? "jpeg" : "png", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static GBytes *
fixture_bytes (const char *relative)
{
  const char *dir = g_getenv ("WR_FIXTURES_DIR");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, relative, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("%s not found: using a generated image", relative);
      return generated_image (relative);
    }

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static WrAttachment *
fixture_image (const char *relative)
{
  g_autoptr(GBytes) bytes = fixture_bytes (relative);
  g_autofree char *name = g_path_get_basename (relative);

  return wr_attachment_new (name, NULL, bytes);
}

static WrAttachment *
static_image (const char   *name,
              const guint8 *data,
              gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);

  return wr_attachment_new (name, NULL, bytes);
}

/* What mock-vision says about one image. (transfer full) */
static char *
describe (WrAttachment *image)
{
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, wr_attachment_get_data (image));

  return g_strdup_printf ("%s %" G_GSIZE_FORMAT " bytes sha256:%.12s",
                          wr_attachment_get_mime_type (image), wr_attachment_get_size (image), sha);
}

static void
assert_invalid (GError     *error,
                const char *needle1,
                const char *needle2)
{
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, needle1));
  if (needle2 != NULL)
    g_assert_nonnull (strstr (error->message, needle2));
}

/* Sniffing and checks */

static void
test_sniff (void)
{
  struct { const char *name; GBytes *bytes; const char *expected; } cases[] = {
    { "png", fixture_bytes (FIXTURE_PNG), "image/png" },
    { "jpeg", fixture_bytes (FIXTURE_JPEG), "image/jpeg" },
    { "gif", g_bytes_new_static (tiny_gif, sizeof tiny_gif), "image/gif" },
    { "webp", g_bytes_new_static (tiny_webp, sizeof tiny_webp), "image/webp" },
    { "text", g_bytes_new_static ("hello, world\nthis is text\n", 26), "text/plain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sniffed = wr_attachment_sniff_mime_type (cases[i].bytes);
      g_autoptr(WrAttachment) attachment = wr_attachment_new (NULL, NULL, cases[i].bytes);

      g_test_message ("%s → %s", cases[i].name, sniffed);
      g_assert_cmpstr (sniffed, ==, cases[i].expected);
      /* No declared type: the bytes decide. */
      g_assert_cmpstr (wr_attachment_get_mime_type (attachment), ==, cases[i].expected);
      g_assert_cmpstr (wr_attachment_get_name (attachment), ==, "");
      g_assert_null (wr_attachment_get_id (attachment));
      g_bytes_unref (cases[i].bytes);
    }

  g_assert_true (wr_attachment_is_supported_type ("image/png"));
  g_assert_true (wr_attachment_is_supported_type ("image/gif"));
  g_assert_false (wr_attachment_is_supported_type ("image/bmp"));
  g_assert_false (wr_attachment_is_supported_type ("image/svg+xml"));
  g_assert_false (wr_attachment_is_supported_type (NULL));
}

static void
test_check (void)
{
  g_autoptr(GBytes) png = fixture_bytes (FIXTURE_PNG);
  g_autoptr(GBytes) jpeg = fixture_bytes (FIXTURE_JPEG);
  g_autoptr(GBytes) text = g_bytes_new_static ("just some notes\n", 16);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GByteArray) big = g_byte_array_sized_new (WR_ATTACHMENT_MAX_BYTES + 1);
  g_autoptr(GBytes) big_bytes = NULL;

  /* Good ones, with or without a name or declared type. */
  {
    g_autoptr(WrAttachment) a = wr_attachment_new ("scan.PNG", "image/png", png);
    g_autoptr(WrAttachment) b = wr_attachment_new ("photo.jpg", "IMAGE/JPG", jpeg);
    g_autoptr(WrAttachment) c = wr_attachment_new ("photo", "application/octet-stream", jpeg);
    g_autoptr(GError) error = NULL;

    g_assert_true (wr_attachment_check (a, &error));
    g_assert_no_error (error);
    g_assert_true (wr_attachment_check (b, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (wr_attachment_get_mime_type (b), ==, "image/jpeg");
    /* A generic declared type is no claim: the bytes decide. */
    g_assert_true (wr_attachment_check (c, &error));
    g_assert_cmpstr (wr_attachment_get_mime_type (c), ==, "image/jpeg");
    g_assert_true (wr_attachment_get_data (a) == png);   /* shared, not copied */
  }

  /* A text file named .png. */
  {
    g_autoptr(WrAttachment) a = wr_attachment_new ("notes.png", NULL, text);
    g_autoptr(GError) error = NULL;

    g_assert_false (wr_attachment_check (a, &error));
    assert_invalid (error, "“notes.png”", "PNG");
  }
  /* Not an image at all, and not named as one. */
  {
    g_autoptr(WrAttachment) a = wr_attachment_new ("notes.txt", "text/plain", text);
    g_autoptr(GError) error = NULL;

    g_assert_false (wr_attachment_check (a, &error));
    assert_invalid (error, "“notes.txt”", "PNG, JPEG, WebP or GIF");
  }
  /* A JPEG named .png, and one declared as PNG. */
  {
    g_autoptr(WrAttachment) a = wr_attachment_new ("photo.png", NULL, jpeg);
    g_autoptr(WrAttachment) b = wr_attachment_new ("photo", "image/png", jpeg);
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) error_b = NULL;

    g_assert_false (wr_attachment_check (a, &error));
    assert_invalid (error, "“photo.png”", "JPEG");
    g_assert_false (wr_attachment_check (b, &error_b));
    assert_invalid (error_b, "PNG", "JPEG");
  }
  /* A BMP claimed type over PNG bytes. */
  {
    g_autoptr(WrAttachment) a = wr_attachment_new ("x", "image/bmp", png);
    g_autoptr(GError) error = NULL;

    g_assert_false (wr_attachment_check (a, &error));
    assert_invalid (error, "image/bmp", "PNG");
  }
  /* Empty. */
  {
    g_autoptr(WrAttachment) a = wr_attachment_new ("blank.png", "image/png", empty);
    g_autoptr(GError) error = NULL;

    g_assert_false (wr_attachment_check (a, &error));
    assert_invalid (error, "“blank.png”", "empty");
  }
  /* One byte over the limit, with a real PNG start. */
  {
    g_autoptr(WrAttachment) a = NULL;
    g_autoptr(GError) error = NULL;

    g_byte_array_append (big, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
    g_byte_array_set_size (big, WR_ATTACHMENT_MAX_BYTES + 1);
    big_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&big));
    a = wr_attachment_new ("huge.png", NULL, big_bytes);
    g_assert_cmpstr (wr_attachment_get_mime_type (a), ==, "image/png");
    g_assert_false (wr_attachment_check (a, &error));
    assert_invalid (error, "“huge.png”", "at most 20 MiB");
  }
}

static void
test_load_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrAttachment) loaded = NULL;
  g_autoptr(GBytes) expected = fixture_bytes (FIXTURE_PNG);
  g_autofree char *dir = g_dir_make_tmp ("wr-vision-XXXXXX", &error);
  g_autofree char *png_path = g_build_filename (dir, "tesseractjs_escape_chars.png", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png_path);
  g_autofree char *fake = g_build_filename (dir, "fake.png", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.jpg", NULL);
  g_autoptr(GFile) fake_file = g_file_new_for_path (fake);
  g_autoptr(GFile) huge_file = g_file_new_for_path (huge);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  gint64 start;
  int fd;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (png_path, g_bytes_get_data (expected, NULL),
                                      g_bytes_get_size (expected), NULL));
  loaded = wr_attachment_load (png_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_attachment_get_name (loaded), ==, "tesseractjs_escape_chars.png");
  g_assert_cmpstr (wr_attachment_get_mime_type (loaded), ==, "image/png");
  g_assert_true (g_bytes_equal (wr_attachment_get_data (loaded), expected));

  g_assert_true (g_file_set_contents (fake, "<html>not a picture</html>", -1, NULL));
  g_assert_null (wr_attachment_load (fake_file, NULL, &error));
  assert_invalid (error, "“fake.png”", "PNG");
  g_clear_error (&error);

  /* A 1 GiB sparse file: refused from its size, without reading it. */
  fd = g_open (huge, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1 << 30), ==, 0);
  close (fd);
  start = g_get_monotonic_time ();
  g_assert_null (wr_attachment_load (huge_file, NULL, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  assert_invalid (error, "“huge.jpg”", "too large");
  g_clear_error (&error);

  g_assert_null (wr_attachment_load (dir_file, NULL, &error));
  assert_invalid (error, "folder", NULL);
  g_clear_error (&error);

  g_remove (png_path);
  g_remove (fake);
  g_remove (huge);
  g_rmdir (dir);
}

/* Store */

static WrMessage *
add_message (WrStore    *store,
             const char *chat_id,
             const char *role,
             const char *text)
{
  g_autoptr(WrMessage) message = wr_message_new (role, text);
  g_autoptr(GError) error = NULL;

  wr_message_set_chat_id (message, chat_id);
  g_assert_true (wr_store_add_message (store, message, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&message);
}

static WrChat *
make_chat (WrStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrProject) project = wr_store_create_project (store, "Pictures", &error);
  WrChat *chat;

  g_assert_no_error (error);
  chat = wr_store_create_chat (store, wr_project_get_id (project), "Look at this", &error);
  g_assert_no_error (error);
  return chat;
}

static GPtrArray *
images_array (WrAttachment *first,
              ...) G_GNUC_NULL_TERMINATED;

static GPtrArray *
images_array (WrAttachment *first,
              ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (WrAttachment *a = first; a != NULL; a = va_arg (args, WrAttachment *))
    g_ptr_array_add (array, a);
  va_end (args);

  return array;
}

static void
assert_same (WrAttachment *a,
             WrAttachment *b)
{
  g_assert_cmpstr (wr_attachment_get_id (a), ==, wr_attachment_get_id (b));
  g_assert_cmpstr (wr_attachment_get_message_id (a), ==, wr_attachment_get_message_id (b));
  g_assert_cmpuint (wr_attachment_get_position (a), ==, wr_attachment_get_position (b));
  g_assert_cmpstr (wr_attachment_get_name (a), ==, wr_attachment_get_name (b));
  g_assert_cmpstr (wr_attachment_get_mime_type (a), ==, wr_attachment_get_mime_type (b));
  g_assert_cmpint (wr_attachment_get_created_at (a), ==, wr_attachment_get_created_at (b));
  g_assert_true (g_bytes_equal (wr_attachment_get_data (a), wr_attachment_get_data (b)));
}

static void
test_store_round_trip (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(WrMessage) with = add_message (fixture->store, wr_chat_get_id (chat), "user", "What is this?");
  g_autoptr(WrMessage) without = add_message (fixture->store, wr_chat_get_id (chat), "assistant", "A lizard.");
  g_autoptr(GPtrArray) first = images_array (fixture_image (FIXTURE_JPEG), fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(GPtrArray) second = images_array (static_image ("dot.gif", tiny_gif, sizeof tiny_gif), NULL);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GHashTable) table = NULL;
  const char *ids[] = { wr_message_get_id (without), "no-such-message", wr_message_get_id (with), NULL };

  g_assert_true (wr_store_add_attachments (fixture->store, wr_message_get_id (with), first, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < first->len; i++)
    {
      WrAttachment *a = g_ptr_array_index (first, i);

      g_assert_nonnull (wr_attachment_get_id (a));
      g_assert_cmpstr (wr_attachment_get_message_id (a), ==, wr_message_get_id (with));
      g_assert_cmpuint (wr_attachment_get_position (a), ==, i);
      g_assert_cmpint (wr_attachment_get_created_at (a), >, 0);
    }
  /* More later: after those it has. */
  g_assert_true (wr_store_add_attachments (fixture->store, wr_message_get_id (with), second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wr_attachment_get_position (g_ptr_array_index (second, 0)), ==, 2);
  g_ptr_array_extend_and_steal (first, g_steal_pointer (&second));

  /* Read back from a fresh connection: on disk, in order, byte for byte. */
  g_clear_object (&fixture->store);
  fixture->store = wr_store_open (fixture->path, &error);
  g_assert_no_error (error);

  listed = wr_store_list_attachments (fixture->store, wr_message_get_id (with), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);
  for (guint i = 0; i < listed->len; i++)
    assert_same (g_ptr_array_index (listed, i), g_ptr_array_index (first, i));
  g_assert_cmpstr (wr_attachment_get_name (g_ptr_array_index (listed, 0)), ==, "python-docx_jfif-iguana.jpg");
  g_assert_cmpstr (wr_attachment_get_mime_type (g_ptr_array_index (listed, 2)), ==, "image/gif");

  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = wr_store_list_attachments (fixture->store, wr_message_get_id (without), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);

  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Batched, for history: only messages with attachments have an entry. */
  table = wr_store_list_attachments_for_messages (fixture->store, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 1);
  listed = g_ptr_array_ref (g_hash_table_lookup (table, wr_message_get_id (with)));
  g_assert_cmpuint (listed->len, ==, 3);
  for (guint i = 0; i < listed->len; i++)
    assert_same (g_ptr_array_index (listed, i), g_ptr_array_index (first, i));
  g_clear_pointer (&listed, g_ptr_array_unref);

  g_assert_true (wr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

static void
test_store_limits (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(WrMessage) message = add_message (fixture->store, wr_chat_get_id (chat), "user", "Many");
  g_autoptr(GPtrArray) nine = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) six = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) three = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bad_batch = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("plain text", 10);
  sqlite3 *db;

  for (guint i = 0; i < 9; i++)
    g_ptr_array_add (nine, static_image ("dot.gif", tiny_gif, sizeof tiny_gif));
  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (six, static_image ("dot.webp", tiny_webp, sizeof tiny_webp));
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (three, static_image ("dot.gif", tiny_gif, sizeof tiny_gif));

  g_assert_false (wr_store_add_attachments (fixture->store, wr_message_get_id (message), nine, &error));
  assert_invalid (error, "at most 8 images", NULL);
  g_clear_error (&error);

  /* 6 + 3 > 8: refused as a whole. */
  g_assert_true (wr_store_add_attachments (fixture->store, wr_message_get_id (message), six, &error));
  g_assert_no_error (error);
  g_assert_false (wr_store_add_attachments (fixture->store, wr_message_get_id (message), three, &error));
  assert_invalid (error, "at most 8 images", NULL);
  g_clear_error (&error);
  g_assert_null (wr_attachment_get_id (g_ptr_array_index (three, 0)));

  /* One bad image in a batch: none stored. */
  g_ptr_array_set_size (three, 1);
  g_ptr_array_add (three, wr_attachment_new ("notes.png", NULL, text));
  bad_batch = g_ptr_array_ref (three);
  g_assert_false (wr_store_add_attachments (fixture->store, wr_message_get_id (message), bad_batch, &error));
  assert_invalid (error, "“notes.png”", NULL);
  g_clear_error (&error);

  listed = wr_store_list_attachments (fixture->store, wr_message_get_id (message), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 6);

  g_assert_false (wr_store_add_attachments (fixture->store, "no-such-message", six, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM message_attachments", NULL), ==, 6);
  sqlite3_close (db);
}

static void
test_store_tombstones (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(WrChat) other_chat = make_chat (fixture->store);
  g_autoptr(WrMessage) deleted = add_message (fixture->store, wr_chat_get_id (chat), "user", "Gone soon");
  g_autoptr(WrMessage) kept = add_message (fixture->store, wr_chat_get_id (chat), "user", "Stays");
  g_autoptr(WrMessage) in_other = add_message (fixture->store, wr_chat_get_id (other_chat), "user", "Other");
  g_autoptr(GPtrArray) a = images_array (fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(GPtrArray) b = images_array (fixture_image (FIXTURE_JPEG), NULL);
  g_autoptr(GPtrArray) c = images_array (static_image ("dot.gif", tiny_gif, sizeof tiny_gif), NULL);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GHashTable) table = NULL;
  const char *ids[] = { wr_message_get_id (deleted), wr_message_get_id (kept), wr_message_get_id (in_other), NULL };
  sqlite3 *db;

  g_assert_true (wr_store_add_attachments (fixture->store, wr_message_get_id (deleted), a, &error));
  g_assert_true (wr_store_add_attachments (fixture->store, wr_message_get_id (kept), b, &error));
  g_assert_true (wr_store_add_attachments (fixture->store, wr_message_get_id (in_other), c, &error));
  g_assert_no_error (error);

  /* A deleted (tombstoned) message's images are gone from every list, and
   * no more can be added to it. */
  g_assert_true (wr_store_delete_message (fixture->store, wr_message_get_id (deleted), &error));
  g_assert_no_error (error);
  g_assert_null (wr_store_list_attachments (fixture->store, wr_message_get_id (deleted), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wr_store_add_attachments (fixture->store, wr_message_get_id (deleted), c, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* So are those of a deleted chat's messages. */
  g_assert_true (wr_store_delete_chat (fixture->store, wr_chat_get_id (other_chat), &error));
  g_assert_no_error (error);
  g_assert_null (wr_store_list_attachments (fixture->store, wr_message_get_id (in_other), &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  table = wr_store_list_attachments_for_messages (fixture->store, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 1);
  g_assert_nonnull (g_hash_table_lookup (table, wr_message_get_id (kept)));

  listed = wr_store_list_attachments (fixture->store, wr_message_get_id (kept), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);

  /* Tombstones keep the rows (for sync); removing a message row removes
   * its images with it. */
  db = store_test_raw_open (fixture->path);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM message_attachments", NULL), ==, 3);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM message_attachments WHERE message_id = ?",
                                       wr_message_get_id (deleted)), ==, 1);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "DELETE FROM messages WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, wr_message_get_id (deleted), -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
  }
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM message_attachments WHERE message_id = ?",
                                       wr_message_get_id (deleted)), ==, 0);
  g_assert_cmpint (store_test_raw_int (db, "SELECT count(*) FROM message_attachments", NULL), ==, 2);
  sqlite3_close (db);
}

static void
on_async_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_store_async (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) chat = make_chat (fixture->store);
  g_autoptr(WrMessage) message = add_message (fixture->store, wr_chat_get_id (chat), "user", "Async");
  g_autoptr(GPtrArray) images = images_array (fixture_image (FIXTURE_PNG), fixture_image (FIXTURE_JPEG), NULL);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GHashTable) table = NULL;
  GAsyncResult *result = NULL;
  const char *ids[] = { wr_message_get_id (message), NULL };

  wr_store_add_attachments_async (fixture->store, wr_message_get_id (message), images, NULL,
                                  on_async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wr_store_add_attachments_finish (fixture->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  wr_store_list_attachments_async (fixture->store, wr_message_get_id (message), NULL, on_async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  listed = wr_store_list_attachments_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (listed->len, ==, 2);
  assert_same (g_ptr_array_index (listed, 1), g_ptr_array_index (images, 1));

  wr_store_list_attachments_for_messages_async (fixture->store, ids, NULL, on_async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  table = wr_store_list_attachments_for_messages_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (((GPtrArray *) g_hash_table_lookup (table, wr_message_get_id (message)))->len, ==, 2);

  /* Errors come back through _finish. */
  wr_store_list_attachments_async (fixture->store, "missing", NULL, on_async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (wr_store_list_attachments_finish (fixture->store, result, &error));
  g_assert_error (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND);
  g_clear_object (&result);
}

/* Providers */

typedef enum {
  OPENAI,
  ANTHROPIC,
  GEMINI,
} Protocol;

static WrProvider *
protocol_provider (WrMockServer *mock,
                   Protocol      protocol)
{
  switch (protocol)
    {
    case ANTHROPIC:
      return wr_anthropic_provider_new ("test", "Mock Anthropic", wr_mock_server_get_anthropic_url (mock),
                                        NULL, WR_PROVIDER_SOURCE_STORED);
    case GEMINI:
      return wr_gemini_provider_new ("test", "Mock Gemini", wr_mock_server_get_google_url (mock),
                                     NULL, WR_PROVIDER_SOURCE_STORED);
    case OPENAI:
    default:
      return wr_openai_provider_new ("test", "Mock OpenAI", wr_mock_server_get_url (mock),
                                     NULL, WR_PROVIDER_SOURCE_STORED);
    }
}

static void
provider_setup (Fixture       *f,
                gconstpointer  data)
{
  f->mock = wr_mock_server_new ();
  wr_mock_server_set_chunk_delay (f->mock, 1);
  f->provider = protocol_provider (f->mock, GPOINTER_TO_INT (data));
}

/* OpenAI sends the text first, the others the images first. */
static char *
expected_answer (Protocol    protocol,
                 GPtrArray  *images,
                 const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) parts = g_string_new (NULL);

  g_string_append_printf (out, "images: %u", images->len);
  for (guint i = 0; i < images->len; i++)
    {
      g_autofree char *one = describe (g_ptr_array_index (images, i));

      g_string_append (out, i == 0 ? " (" : ", ");
      g_string_append (out, one);
      g_string_append (parts, parts->len > 0 ? " image" : "image");
    }
  if (images->len > 0)
    g_string_append_c (out, ')');

  if (text[0] != '\0')
    {
      if (protocol == OPENAI)
        g_string_prepend (parts, parts->len > 0 ? "text " : "text");
      else
        g_string_append (parts, parts->len > 0 ? " text" : "text");
    }
  g_string_append_printf (out, "; text: %s; parts: %s", text, parts->str);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static WrChatResult *
send_with_images (Fixture     *f,
                  const char  *text,
                  GPtrArray   *images,
                  GError     **error)
{
  g_autoptr(WrChatRequest) request = wr_chat_request_new (WR_MOCK_VISION_MODEL);
  g_autoptr(WrMessage) system = wr_message_new ("system", "Describe images.");
  g_autoptr(WrMessage) user = wr_message_new ("user", text);
  WrChatResult *result;
  Wait w;

  wr_chat_request_add (request, system);
  wr_chat_request_add_with_images (request, user, images);
  g_assert_true (wr_chat_request_get_images (request, user) != images);   /* its own array */
  result = run_request (f, request, NULL, 0, &w, NULL, error);
  if (result != NULL)
    g_assert_cmpstr (w.deltas->str, ==, result->content);
  wait_clear (&w);
  return result;
}

/* The user message of the last request, in the protocol's shape. */
static JsonArray *
last_user_parts (Fixture    *f,
                 JsonParser *parser,
                 Protocol    protocol)
{
  JsonObject *body = last_body (f, parser);
  JsonArray *list;
  JsonObject *last;

  switch (protocol)
    {
    case GEMINI:
      list = json_object_get_array_member (body, "contents");
      last = json_array_get_object_element (list, json_array_get_length (list) - 1);
      g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "user");
      return json_object_get_array_member (last, "parts");
    case ANTHROPIC:
    case OPENAI:
    default:
      list = json_object_get_array_member (body, "messages");
      last = json_array_get_object_element (list, json_array_get_length (list) - 1);
      g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "user");
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (last, "content")));
      return json_object_get_array_member (last, "content");
    }
}

static void
test_one_image (Fixture       *f,
                gconstpointer  data)
{
  Protocol protocol = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) images = images_array (fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *expected = expected_answer (protocol, images, "What does it say?");
  g_autofree char *base64 = NULL;
  JsonArray *parts;
  JsonObject *image = NULL;
  JsonObject *text = NULL;
  const char *data_field = NULL;
  gsize size;
  gconstpointer bytes = g_bytes_get_data (wr_attachment_get_data (g_ptr_array_index (images, 0)), &size);

  result = send_with_images (f, "What does it say?", images, &error);
  g_assert_no_error (error);
  g_test_message ("answer: %s", result->content);
  g_assert_cmpstr (result->content, ==, expected);

  /* The exact shape each API documents. */
  base64 = g_base64_encode (bytes, size);
  parts = last_user_parts (f, parser, protocol);
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  switch (protocol)
    {
    case OPENAI:
      text = json_array_get_object_element (parts, 0);
      image = json_array_get_object_element (parts, 1);
      g_assert_cmpstr (json_object_get_string_member (text, "type"), ==, "text");
      g_assert_cmpstr (json_object_get_string_member (text, "text"), ==, "What does it say?");
      g_assert_cmpstr (json_object_get_string_member (image, "type"), ==, "image_url");
      data_field = json_object_get_string_member (json_object_get_object_member (image, "image_url"), "url");
      g_assert_true (g_str_has_prefix (data_field, "data:image/png;base64,"));
      data_field += strlen ("data:image/png;base64,");
      break;
    case ANTHROPIC:
      image = json_array_get_object_element (parts, 0);
      text = json_array_get_object_element (parts, 1);
      g_assert_cmpstr (json_object_get_string_member (image, "type"), ==, "image");
      image = json_object_get_object_member (image, "source");
      g_assert_cmpstr (json_object_get_string_member (image, "type"), ==, "base64");
      g_assert_cmpstr (json_object_get_string_member (image, "media_type"), ==, "image/png");
      data_field = json_object_get_string_member (image, "data");
      g_assert_cmpstr (json_object_get_string_member (text, "type"), ==, "text");
      g_assert_cmpstr (json_object_get_string_member (text, "text"), ==, "What does it say?");
      break;
    case GEMINI:
      image = json_object_get_object_member (json_array_get_object_element (parts, 0), "inlineData");
      text = json_array_get_object_element (parts, 1);
      g_assert_cmpstr (json_object_get_string_member (image, "mimeType"), ==, "image/png");
      data_field = json_object_get_string_member (image, "data");
      g_assert_cmpstr (json_object_get_string_member (text, "text"), ==, "What does it say?");
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpstr (data_field, ==, base64);
}

/* Several images, of every type the protocol reads, keep their order. */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  Protocol protocol = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) images = images_array (fixture_image (FIXTURE_JPEG),
                                              static_image ("dot.webp", tiny_webp, sizeof tiny_webp),
                                              fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  if (protocol != GEMINI)
    g_ptr_array_insert (images, 1, static_image ("dot.gif", tiny_gif, sizeof tiny_gif));
  expected = expected_answer (protocol, images, "Compare them.");

  result = send_with_images (f, "Compare them.", images, &error);
  g_assert_no_error (error);
  g_test_message ("answer: %s", result->content);
  g_assert_cmpstr (result->content, ==, expected);
}

/* An image with no text at all is still sent (and no empty text part). */
static void
test_image_only (Fixture       *f,
                 gconstpointer  data)
{
  Protocol protocol = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) images = images_array (fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *expected = expected_answer (protocol, images, "");

  result = send_with_images (f, "", images, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, expected);
  g_assert_cmpuint (json_array_get_length (last_user_parts (f, parser, protocol)), ==, 1);
}

/* History: an earlier user message keeps its image; the new one is text
 * only and stays a plain string; images on a non-user message are never
 * sent (no API takes them there). */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  Protocol protocol = GPOINTER_TO_INT (data);
  g_autoptr(WrChatRequest) request = wr_chat_request_new (WR_MOCK_VISION_MODEL);
  g_autoptr(WrMessage) first = wr_message_new ("user", "Here is a picture.");
  g_autoptr(WrMessage) answer = wr_message_new ("assistant", "I see text.");
  g_autoptr(WrMessage) last = wr_message_new ("user", "Read it aloud.");
  g_autoptr(GPtrArray) images = images_array (fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(GPtrArray) stray = images_array (fixture_image (FIXTURE_JPEG), NULL);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *body = NULL;
  g_autofree char *jpeg_base64 = NULL;
  JsonObject *root;
  JsonArray *list;
  JsonNode *first_content;
  JsonNode *last_content;
  Wait w;

  wr_chat_request_add_with_images (request, first, images);
  wr_chat_request_add_with_images (request, answer, stray);
  wr_chat_request_add_with_images (request, last, NULL);
  g_assert_null (wr_chat_request_get_images (request, last));

  result = run_request (f, request, NULL, 0, &w, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, "images: 0; text: Read it aloud.; parts: text");
  wait_clear (&w);

  body = g_strdup (wr_mock_server_get_last_body (f->mock));
  jpeg_base64 = g_base64_encode (g_bytes_get_data (wr_attachment_get_data (g_ptr_array_index (stray, 0)), NULL),
                                 wr_attachment_get_size (g_ptr_array_index (stray, 0)));
  g_assert_null (strstr (body, jpeg_base64));

  root = last_body (f, parser);
  list = json_object_get_array_member (root, protocol == GEMINI ? "contents" : "messages");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  if (protocol == GEMINI)
    {
      first_content = json_object_get_member (json_array_get_object_element (list, 0), "parts");
      g_assert_cmpuint (json_array_get_length (json_node_get_array (first_content)), ==, 2);
      g_assert_nonnull (json_object_get_object_member (json_array_get_object_element (json_node_get_array (first_content), 0),
                                                       "inlineData"));
      last_content = json_object_get_member (json_array_get_object_element (list, 2), "parts");
      g_assert_cmpuint (json_array_get_length (json_node_get_array (last_content)), ==, 1);
    }
  else
    {
      first_content = json_object_get_member (json_array_get_object_element (list, 0), "content");
      g_assert_true (JSON_NODE_HOLDS_ARRAY (first_content));
      g_assert_cmpuint (json_array_get_length (json_node_get_array (first_content)), ==, 2);
      /* Text-only messages stay plain strings. */
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "content"), ==,
                       "I see text.");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 2), "content"), ==,
                       "Read it aloud.");
    }
}

/* Gemini reads no GIF: refused before anything is sent, with a reason. */
static void
test_gemini_gif (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) images = images_array (static_image ("anim.gif", tiny_gif, sizeof tiny_gif), NULL);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;

  result = send_with_images (f, "Animate?", images, &error);
  g_assert_null (result);
  g_assert_error (error, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_BAD_REQUEST);
  g_assert_cmpuint (wr_mock_server_get_chat_count (f->mock), ==, 0);
  described = wr_provider_describe_error (f->provider, error);
  g_test_message ("%s", described);
  g_assert_nonnull (strstr (described, "image/gif"));
  g_assert_nonnull (strstr (described, "“anim.gif”"));
}

/* The largest image allowed makes the trip intact, and the body is built
 * without the base64 text being held more than once. */
static void
test_large_image (Fixture       *f,
                  gconstpointer  data)
{
  Protocol protocol = GPOINTER_TO_INT (data);
  g_autoptr(GByteArray) raw = g_byte_array_sized_new (WR_ATTACHMENT_MAX_BYTES);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 start;

  g_byte_array_set_size (raw, WR_ATTACHMENT_MAX_BYTES);
  for (guint i = 0; i < raw->len / 4; i++)
    ((guint32 *) raw->data)[i] = g_rand_int (rand);
  memcpy (raw->data, "\x89PNG\r\n\x1a\n", 8);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&raw));
  images = images_array (wr_attachment_new ("big.png", NULL, bytes), NULL);
  g_assert_true (wr_attachment_check (g_ptr_array_index (images, 0), NULL));
  expected = expected_answer (protocol, images, "Big one.");

  start = g_get_monotonic_time ();
  result = send_with_images (f, "Big one.", images, &error);
  g_assert_no_error (error);
  g_test_message ("20 MiB image round trip: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpstr (result->content, ==, expected);
  g_assert_cmpuint (strlen (wr_mock_server_get_last_body (f->mock)), >, WR_ATTACHMENT_MAX_BYTES / 3 * 4);
}

/* Failover to another protocol keeps the images: OpenAI fails with 500,
 * the router retries on Anthropic, which must receive the same image. */
static void
test_router_failover (void)
{
  g_autoptr(WrMockServer) mock = wr_mock_server_new ();
  g_autoptr(WrProvider) openai = protocol_provider (mock, OPENAI);
  g_autoptr(WrProvider) anthropic = NULL;
  g_autoptr(GListStore) providers = g_list_store_new (WR_TYPE_PROVIDER);
  g_autoptr(WrRouter) router = NULL;
  g_autoptr(WrChatRequest) request = wr_chat_request_new ("mock-500");
  g_autoptr(WrMessage) user = wr_message_new ("user", "Fail over with me.");
  g_autoptr(GPtrArray) images = images_array (fixture_image (FIXTURE_JPEG), fixture_image (FIXTURE_PNG), NULL);
  g_autoptr(WrChatResult) result = NULL;
  g_autoptr(WrRouterOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = expected_answer (ANTHROPIC, images, "Fail over with me.");
  WrFailoverTarget target = { (char *) "anthropic", (char *) WR_MOCK_VISION_MODEL };
  GAsyncResult *async_result = NULL;

  wr_mock_server_set_chunk_delay (mock, 1);
  anthropic = wr_anthropic_provider_new ("claude", "Mock Anthropic", wr_mock_server_get_anthropic_url (mock),
                                         NULL, WR_PROVIDER_SOURCE_STORED);
  g_list_store_append (providers, openai);
  g_list_store_append (providers, anthropic);
  router = wr_router_new (G_LIST_MODEL (providers), NULL);
  wr_failover_policy_clear (wr_router_get_policy (router));
  g_assert_true (wr_failover_policy_set_chain (wr_router_get_policy (router), "mock-500", &target, 1, &error));
  g_assert_no_error (error);
  wr_router_set_retry_delay (router, 10);

  wr_chat_request_add_with_images (request, user, images);
  wr_router_stream_chat_async (router, openai, request, NULL, NULL, NULL, on_async_done_cb, &async_result);
  /* The router has its own copy: the caller may drop the request now. */
  g_clear_pointer (&request, wr_chat_request_free);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = wr_router_stream_chat_finish (router, async_result, NULL, &outcome, &error);
  g_clear_object (&async_result);
  g_assert_no_error (error);
  g_assert_cmpstr (result->content, ==, expected);
  g_assert_cmpstr (wr_mock_server_get_last_path (mock), ==, "/anthropic/v1/messages");

  g_clear_object (&router);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
add_protocol_tests (const char *name,
                    Protocol    protocol)
{
  static const struct {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "one-image", test_one_image },
    { "order", test_order },
    { "image-only", test_image_only },
    { "history", test_history },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      g_autofree char *path = g_strdup_printf ("/vision/%s/%s", name, tests[i].path);

      g_test_add (path, Fixture, GINT_TO_POINTER (protocol), provider_setup, tests[i].func, fixture_teardown);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vision/sniff", test_sniff);
  g_test_add_func ("/vision/check", test_check);
  g_test_add_func ("/vision/load-file", test_load_file);
  g_test_add ("/vision/store/round-trip", StoreFixture, NULL,
              store_fixture_setup, test_store_round_trip, store_fixture_teardown);
  g_test_add ("/vision/store/limits", StoreFixture, NULL,
              store_fixture_setup, test_store_limits, store_fixture_teardown);
  g_test_add ("/vision/store/tombstones", StoreFixture, NULL,
              store_fixture_setup, test_store_tombstones, store_fixture_teardown);
  g_test_add ("/vision/store/async", StoreFixture, NULL,
              store_fixture_setup, test_store_async, store_fixture_teardown);

  add_protocol_tests ("openai", OPENAI);
  add_protocol_tests ("anthropic", ANTHROPIC);
  add_protocol_tests ("gemini", GEMINI);
  g_test_add ("/vision/gemini/gif-refused", Fixture, GINT_TO_POINTER (GEMINI),
              provider_setup, test_gemini_gif, fixture_teardown);
  g_test_add ("/vision/openai/large-image", Fixture, GINT_TO_POINTER (OPENAI),
              provider_setup, test_large_image, fixture_teardown);
  g_test_add_func ("/vision/router/failover", test_router_failover);

  return g_test_run ();
}
