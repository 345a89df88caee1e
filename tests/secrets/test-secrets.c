/* test-secrets.c — wr-secrets against a real gnome-keyring
 *
 * Run through tests/with-keyring.sh: a private session bus, a fresh HOME
 * (WR_KEYRING_HOME) and an unlocked login keyring. Every test uses its own
 * owner ids, so tests do not see each other's items.
 *
 * Copyright 2026 The Workroom authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "secrets/wr-secrets.h"

typedef struct {
  char *owner;      /* unique per test */
  char *secret;     /* unique per test, never logged */
} SecretsFixture;

static void
secrets_setup (SecretsFixture *fixture,
               gconstpointer   user_data)
{
  static guint counter;
  guint n = ++counter;

  fixture->owner = g_strdup_printf ("test-owner-%u-%d", n, (int) getpid ());
  fixture->secret = g_strdup_printf ("sk-test-%08x%08x-%u",
                                     g_random_int (), g_random_int (), n);
}

static void
secrets_teardown (SecretsFixture *fixture,
                  gconstpointer   user_data)
{
  g_free (fixture->owner);
  g_free (fixture->secret);
}

/* How many of our items match (kind, owner): 0 or 1 if store replaces. */
static guint
count_items (const char *kind,
             const char *owner)
{
  static const SecretSchema schema = {
    "io.github.workroom.Workroom.Secret", SECRET_SCHEMA_NONE,
    { { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "owner-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } },
  };
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "kind", kind, "owner-id", owner, NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
assert_lookup (const char *kind,
               const char *owner,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = wr_secrets_lookup (kind, owner, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
  wr_secrets_free (secret);
}

static void
test_round_trip (SecretsFixture *fixture,
                 gconstpointer   user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "Workroom: Test provider",
                                   fixture->secret, NULL, &error));
  g_assert_no_error (error);

  assert_lookup ("provider", fixture->owner, fixture->secret);
  g_assert_cmpuint (count_items ("provider", fixture->owner), ==, 1);
}

static void
test_overwrite (SecretsFixture *fixture,
                gconstpointer   user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *second = g_strconcat (fixture->secret, "-rotated", NULL);

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "first", fixture->secret,
                                   NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wr_secrets_store ("provider", fixture->owner, "second", second,
                                   NULL, &error));
  g_assert_no_error (error);

  assert_lookup ("provider", fixture->owner, second);
  /* Replaced, not added next to the old one. */
  g_assert_cmpuint (count_items ("provider", fixture->owner), ==, 1);
}

static void
test_lookup_missing (SecretsFixture *fixture,
                     gconstpointer   user_data)
{
  assert_lookup ("provider", fixture->owner, NULL);
  assert_lookup ("connector", fixture->owner, NULL);
}

static void
test_clear (SecretsFixture *fixture,
            gconstpointer   user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "to clear", fixture->secret,
                                   NULL, &error));
  g_assert_no_error (error);
  assert_lookup ("provider", fixture->owner, fixture->secret);

  g_assert_true (wr_secrets_clear ("provider", fixture->owner, NULL, &error));
  g_assert_no_error (error);
  assert_lookup ("provider", fixture->owner, NULL);
  g_assert_cmpuint (count_items ("provider", fixture->owner), ==, 0);

  /* Clearing what is not there is not an error. */
  g_assert_true (wr_secrets_clear ("provider", fixture->owner, NULL, &error));
  g_assert_no_error (error);
}

static void
test_owners_distinct (SecretsFixture *fixture,
                      gconstpointer   user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner_b = g_strconcat (fixture->owner, "-b", NULL);
  g_autofree char *secret_b = g_strconcat (fixture->secret, "-b", NULL);
  g_autofree char *secret_c = g_strconcat (fixture->secret, "-c", NULL);

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "A", fixture->secret, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wr_secrets_store ("provider", owner_b, "B", secret_b, NULL, &error));
  g_assert_no_error (error);
  /* Same owner id, other kind. */
  g_assert_true (wr_secrets_store ("connector", fixture->owner, "C", secret_c, NULL, &error));
  g_assert_no_error (error);

  assert_lookup ("provider", fixture->owner, fixture->secret);
  assert_lookup ("provider", owner_b, secret_b);
  assert_lookup ("connector", fixture->owner, secret_c);

  g_assert_true (wr_secrets_clear ("provider", fixture->owner, NULL, &error));
  g_assert_no_error (error);
  assert_lookup ("provider", fixture->owner, NULL);
  assert_lookup ("provider", owner_b, secret_b);
  assert_lookup ("connector", fixture->owner, secret_c);
}

static void
on_async_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source);
  g_assert_null (*out);
  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
}

static void
test_async (SecretsFixture *fixture,
            gconstpointer   user_data)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  char *secret;

  wr_secrets_store_async ("provider", fixture->owner, "async", fixture->secret, NULL,
                          on_async_done_cb, &slot);
  stored = wait_for_result (&slot);
  g_assert_true (wr_secrets_store_finish (stored, &error));
  g_assert_no_error (error);

  wr_secrets_lookup_async ("provider", fixture->owner, NULL, on_async_done_cb, &slot);
  found = wait_for_result (&slot);
  secret = wr_secrets_lookup_finish (found, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, fixture->secret);
  wr_secrets_free (secret);

  wr_secrets_clear_async ("provider", fixture->owner, NULL, on_async_done_cb, &slot);
  cleared = wait_for_result (&slot);
  g_assert_true (wr_secrets_clear_finish (cleared, &error));
  g_assert_no_error (error);

  wr_secrets_lookup_async ("provider", fixture->owner, NULL, on_async_done_cb, &slot);
  missing = wait_for_result (&slot);
  secret = wr_secrets_lookup_finish (missing, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
}

/* A result nobody collects must not leak the secret (ASan checks this). */
static void
test_async_uncollected (SecretsFixture *fixture,
                        gconstpointer   user_data)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) found = NULL;

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "uncollected", fixture->secret,
                                   NULL, &error));
  g_assert_no_error (error);

  wr_secrets_lookup_async ("provider", fixture->owner, NULL, on_async_done_cb, &slot);
  found = wait_for_result (&slot);
}

static void
test_async_cancelled (SecretsFixture *fixture,
                      gconstpointer   user_data)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "cancel", fixture->secret,
                                   NULL, &error));
  g_assert_no_error (error);

  g_cancellable_cancel (cancellable);
  wr_secrets_lookup_async ("provider", fixture->owner, cancellable, on_async_done_cb, &slot);
  result = wait_for_result (&slot);
  secret = wr_secrets_lookup_finish (result, &error);
  g_assert_null (secret);
  /* Cancellation is passed through, not turned into a keyring error. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
contains_bytes (const char *haystack,
                gsize       len,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_file_lacks (const char *path,
                   const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      /* Sockets, vanished temporary files: nothing stored there. */
      g_test_message ("skipping %s: %s", path, error->message);
      return;
    }
  if (contains_bytes (contents, len, needle))
    g_error ("the secret is stored in plain text in %s", path);
}

/* Returns how many regular files were checked. */
static guint
assert_tree_lacks (const char *dir,
                   const char *needle)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += assert_tree_lacks (path, needle);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          assert_file_lacks (path, needle);
          n++;
        }
    }
  return n;
}

static void
test_not_on_disk (SecretsFixture *fixture,
                  gconstpointer   user_data)
{
  const char *home = g_getenv ("WR_KEYRING_HOME");
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *keyring = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;

  g_assert_nonnull (home);
  keyring = g_build_filename (home, ".local", "share", "keyrings", "login.keyring", NULL);
  g_assert_true (g_file_get_contents (keyring, &before, &before_len, &error));
  g_assert_no_error (error);

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "on disk?", fixture->secret,
                                   NULL, &error));
  g_assert_no_error (error);
  assert_lookup ("provider", fixture->owner, fixture->secret);

  /* The item really reached the keyring file (gnome-keyring writes before
   * it replies)… */
  g_assert_true (g_file_get_contents (keyring, &after, &after_len, &error));
  g_assert_no_error (error);
  g_assert_true (before_len != after_len || memcmp (before, after, after_len) != 0);

  /* …but nowhere in the private HOME, XDG_RUNTIME_DIR or the wrapper's
   * files is it readable. */
  root = g_path_get_dirname (home);
  g_assert_cmpuint (assert_tree_lacks (root, fixture->secret), >=, 2);
}

/* --- no Secret Service ------------------------------------------------ */

#define UNAVAILABLE_SECRET "sk-unavailable-0123456789abcdef"

static void
assert_unavailable (const GError *error)
{
  g_assert_error (error, WR_SECRETS_ERROR, WR_SECRETS_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, UNAVAILABLE_SECRET));
  g_assert_nonnull (strstr (error->message, "keyring"));
  /* Printed so the parent can check stdout too. */
  g_print ("message: %s\n", error->message);
}

static void
check_all_calls_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;

  g_assert_false (wr_secrets_store ("provider", "nobody", "label", UNAVAILABLE_SECRET,
                                    NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  secret = wr_secrets_lookup ("provider", "nobody", NULL, &error);
  g_assert_null (secret);
  assert_unavailable (error);
  g_clear_error (&error);

  g_assert_false (wr_secrets_clear ("provider", "nobody", NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  wr_secrets_store_async ("provider", "nobody", "label", UNAVAILABLE_SECRET, NULL,
                          on_async_done_cb, &slot);
  result = wait_for_result (&slot);
  g_assert_false (wr_secrets_store_finish (result, &error));
  assert_unavailable (error);
  g_clear_error (&error);
}

/* A real session bus on which nothing provides org.freedesktop.secrets
 * (GTestDBus has no service files): ServiceUnknown. */
static void
test_unavailable_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* Static, never unreffed, and no g_test_dbus_down(): that waits for
       * the last reference to the bus connection, and libsecret's sync calls
       * can leave one behind in their private main contexts (a 30 s stall).
       * This process ends right after; GTestDBus's watcher reaps the bus. */
      static GTestDBus *bus;
      g_autoptr(GDBusConnection) connection = NULL;

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      check_all_calls_unavailable ();

      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      if (connection != NULL)
        g_dbus_connection_set_exit_on_close (connection, FALSE);
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 15 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*message: *keyring*");
  g_test_trap_assert_stdout_unmatched ("*" UNAVAILABLE_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*" UNAVAILABLE_SECRET "*");
}

/* No session bus at all at the address given. */
static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("wr-no-bus-XXXXXX", NULL);
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus", dir);

      g_assert_nonnull (dir);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      check_all_calls_unavailable ();
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 15 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*message: *keyring*");
  g_test_trap_assert_stdout_unmatched ("*" UNAVAILABLE_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*" UNAVAILABLE_SECRET "*");
}

/* --- locked keyring ---------------------------------------------------- */

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  const char *collection = NULL;
  const char *objects[2] = { NULL, NULL };

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  alias = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (alias, "(&o)", &collection);
  g_assert_cmpstr (collection, !=, "/");

  objects[0] = collection;
  locked = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                        "org.freedesktop.Secret.Service", "Lock",
                                        g_variant_new ("(^ao)", objects), G_VARIANT_TYPE ("(aoo)"),
                                        G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* Locks the keyring for good (nothing types the password back in), so
 * this runs last. The unlock prompt libsecret asks for cannot be shown
 * without a display, which is what a dismissed prompt looks like. */
static void
test_locked (SecretsFixture *fixture,
             gconstpointer   user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_strconcat (fixture->owner, "-missing", NULL);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char *secret;

  g_assert_true (wr_secrets_store ("provider", fixture->owner, "locked", fixture->secret,
                                   NULL, &error));
  g_assert_no_error (error);

  lock_default_collection ();

  /* A saved key behind a locked keyring is not "no key". */
  secret = wr_secrets_lookup ("provider", fixture->owner, NULL, &error);
  g_assert_null (secret);
  g_assert_error (error, WR_SECRETS_ERROR, WR_SECRETS_ERROR_LOCKED);
  g_assert_null (strstr (error->message, fixture->secret));
  g_clear_error (&error);

  wr_secrets_lookup_async ("provider", fixture->owner, NULL, on_async_done_cb, &slot);
  result = wait_for_result (&slot);
  secret = wr_secrets_lookup_finish (result, &error);
  g_assert_null (secret);
  g_assert_error (error, WR_SECRETS_ERROR, WR_SECRETS_ERROR_LOCKED);
  g_clear_error (&error);

  /* A key that was never saved is still just missing. */
  assert_lookup ("provider", missing, NULL);

  g_assert_false (wr_secrets_store ("provider", missing, "locked", fixture->secret,
                                    NULL, &error));
  g_assert_error (error, WR_SECRETS_ERROR, WR_SECRETS_ERROR_LOCKED);
  g_assert_null (strstr (error->message, fixture->secret));
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Never touch the keyring of the desktop session this may run in. */
  if (g_getenv ("WR_KEYRING_HOME") == NULL)
    {
      g_printerr ("Run this through tests/with-keyring.sh (meson test does).\n");
      return 77;
    }

#define ADD(path, func) \
  g_test_add (path, SecretsFixture, NULL, secrets_setup, func, secrets_teardown)
  ADD ("/secrets/round-trip", test_round_trip);
  ADD ("/secrets/overwrite", test_overwrite);
  ADD ("/secrets/lookup-missing", test_lookup_missing);
  ADD ("/secrets/clear", test_clear);
  ADD ("/secrets/owners-distinct", test_owners_distinct);
  ADD ("/secrets/async/round-trip", test_async);
  ADD ("/secrets/async/uncollected", test_async_uncollected);
  ADD ("/secrets/async/cancelled", test_async_cancelled);
  ADD ("/secrets/not-on-disk", test_not_on_disk);
#undef ADD
  g_test_add_func ("/secrets/unavailable/no-service", test_unavailable_no_service);
  g_test_add_func ("/secrets/unavailable/no-bus", test_unavailable_no_bus);
  /* Must run last, see test_locked(): GTest runs a suite's own cases before
   * its sub-suites, and sibling suites in the order they were made, so this
   * is a suite of its own, made last. */
  g_test_add ("/secrets-locked/lookup-and-store", SecretsFixture, NULL,
              secrets_setup, test_locked, secrets_teardown);

  ret = g_test_run ();
  /* Let libsecret's cached service and bus connection go before exit, and
   * run the clean-ups GDBus queues for that. */
  secret_service_disconnect ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return ret;
}
