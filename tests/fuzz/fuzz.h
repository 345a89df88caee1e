/* fuzz.h — the libFuzzer entry point, shared by the fuzz targets and the
 * replay driver (replay.c) that runs them over saved inputs in ordinary
 * builds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Invariant checks must fire in every build type, so no g_assert() (which
 * G_DISABLE_ASSERT would remove): abort() gives libFuzzer a crash. */
#define FUZZ_CHECK(expr, ...)                                              \
  do {                                                                     \
    if (!(expr))                                                           \
      {                                                                    \
        g_printerr ("%s:%d: check failed: %s: ", __FILE__, __LINE__, #expr); \
        g_printerr (__VA_ARGS__);                                          \
        g_printerr ("\n");                                                 \
        abort ();                                                          \
      }                                                                    \
  } while (0)
