/* test-thumbnail.c — pictures in chats are decoded off the main loop, scaled
 * down, and never decoded at all when their header claims a size that would
 * take gigabytes (a "decompression bomb": a small file, a huge picture).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <gtk/gtk.h>

#include "wr-thumbnail.h"

static GBytes *
encode (int         width,
        int         height,
        const char *type)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x2266aaff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* A PNG whose IHDR says @width × @height, followed by nothing that could
 * be decoded. */
static GBytes *
png_header (guint32 width,
            guint32 height)
{
  guint8 bytes[64] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

  bytes[16] = width >> 24; bytes[17] = width >> 16; bytes[18] = width >> 8; bytes[19] = width;
  bytes[20] = height >> 24; bytes[21] = height >> 16; bytes[22] = height >> 8; bytes[23] = height;
  bytes[24] = 8;  /* bit depth */
  bytes[25] = 2;  /* RGB */
  return g_bytes_new (bytes, sizeof bytes);
}

typedef struct {
  gboolean    done;
  GdkTexture *texture;
  GError     *error;
} Wait;

static void
thumbnail_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->texture = wr_thumbnail_new_finish (result, &wait->error);
  wait->done = TRUE;
}

static GdkTexture *
thumbnail (GBytes  *data,
           int      size,
           GError **error)
{
  Wait wait = { 0 };

  wr_thumbnail_new_async (data, size, NULL, thumbnail_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.texture;
}

static void
test_scaled (void)
{
  g_autoptr(GBytes) png = encode (3000, 2000, "png");
  g_autoptr(GBytes) jpeg = encode (1200, 1600, "jpeg");
  g_autoptr(GBytes) small = encode (40, 30, "png");
  g_autoptr(GdkTexture) wide = NULL;
  g_autoptr(GdkTexture) tall = NULL;
  g_autoptr(GdkTexture) tiny = NULL;
  g_autoptr(GError) error = NULL;

  wide = thumbnail (png, 320, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (wide), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (wide), ==, 213);

  tall = thumbnail (jpeg, 320, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (tall), ==, 240);
  g_assert_cmpint (gdk_texture_get_height (tall), ==, 320);

  /* Never scaled up. */
  tiny = thumbnail (small, 320, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (tiny), ==, 40);
}

static void
test_header_sizes (void)
{
  g_autoptr(GBytes) jpeg = encode (333, 222, "jpeg");
  g_autoptr(GBytes) ok_png = png_header (6000, 6000);
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 0x10, 0x27, 0x10, 0x27, 0, 0, 0 };   /* 10000 × 10000 */
  static const guint8 webp[] = { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X',
                                 10, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x27, 0x00, 0x0f, 0x27, 0x00 };  /* 10000 × 10000 */
  g_autoptr(GBytes) gif_bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(GBytes) webp_bytes = g_bytes_new_static (webp, sizeof webp);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, not a picture", 20);
  g_autoptr(GError) error = NULL;

  /* Real headers and sizes under the bound pass (the JPEG's size sits
   * behind its JFIF segment). */
  g_assert_true (wr_thumbnail_check_size (jpeg, &error));
  g_assert_no_error (error);
  g_assert_true (wr_thumbnail_check_size (ok_png, &error));

  /* 100 megapixels claimed by a GIF and a WebP of a few bytes. */
  g_assert_false (wr_thumbnail_check_size (gif_bytes, &error));
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY);
  g_assert_nonnull (strstr (error->message, "10000 × 10000"));
  g_clear_error (&error);
  g_assert_false (wr_thumbnail_check_size (webp_bytes, &error));
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY);
  g_clear_error (&error);

  g_assert_false (wr_thumbnail_check_size (text, &error));
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE);
}

/* 100,000 × 100,000 would need 40 GB to decode: refused from the header,
 * at once. */
static void
test_bomb_refused (void)
{
  g_autoptr(GBytes) bomb = png_header (100000, 100000);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  texture = thumbnail (bomb, 320, &error);
  g_assert_null (texture);
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/thumbnail/scaled", test_scaled);
  g_test_add_func ("/thumbnail/header-sizes", test_header_sizes);
  g_test_add_func ("/thumbnail/bomb-refused", test_bomb_refused);

  return g_test_run ();
}
