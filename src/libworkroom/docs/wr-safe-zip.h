/* wr-safe-zip.h — reading ZIP archives from untrusted files with limits
 * (entry count, per-entry and total uncompressed size, compression ratio),
 * so zip bombs and damaged archives fail with a WR_DOCS_ERROR instead of
 * exhausting memory. Not thread-safe: use one WrSafeZip per thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wr-docs-error.h"

G_BEGIN_DECLS

typedef struct
{
  guint   max_entries;      /* entries in the central directory */
  guint64 max_entry_size;   /* uncompressed bytes of one entry */
  guint64 max_total_size;   /* uncompressed bytes read from the archive, all reads together */
  guint   max_ratio;        /* uncompressed / compressed bytes of one entry (entries over 1 MiB) */
} WrSafeZipLimits;

/* 10,000 entries, 512 MiB per entry, 2 GiB in total, ratio 200. */
void wr_safe_zip_limits_init (WrSafeZipLimits *limits);

typedef struct _WrSafeZip WrSafeZip;
typedef struct _WrSafeZipEntry WrSafeZipEntry;

/* limits: NULL for the defaults. */
WrSafeZip  *wr_safe_zip_open            (const char            *path,
                                         const WrSafeZipLimits *limits,
                                         GError               **error);
WrSafeZip  *wr_safe_zip_open_bytes      (GBytes                *bytes,
                                         const WrSafeZipLimits *limits,
                                         GError               **error);
void        wr_safe_zip_free            (WrSafeZip             *self);

guint       wr_safe_zip_get_n_entries   (WrSafeZip             *self);
/* Borrowed; NULL past the end. */
const char *wr_safe_zip_get_entry_name  (WrSafeZip             *self,
                                         guint                  index);
/* Case-insensitive (OOXML part names are); a leading '/' is ignored. */
gboolean    wr_safe_zip_has_entry       (WrSafeZip             *self,
                                         const char            *name);
/* Declared uncompressed size, -1 when missing. */
gint64      wr_safe_zip_get_entry_size  (WrSafeZip             *self,
                                         const char            *name);

/* Whole entry in memory (within the limits). */
GBytes     *wr_safe_zip_read            (WrSafeZip             *self,
                                         const char            *name,
                                         GCancellable          *cancellable,
                                         GError               **error);

/* Streaming: func gets successive chunks; return FALSE (and set error) to stop. */
typedef gboolean (*WrSafeZipChunkFunc) (const guint8 *data,
                                        gsize         len,
                                        gpointer      user_data,
                                        GError      **error);
gboolean    wr_safe_zip_stream          (WrSafeZip             *self,
                                         const char            *name,
                                         WrSafeZipChunkFunc     func,
                                         gpointer               user_data,
                                         GCancellable          *cancellable,
                                         GError               **error);

/* Pull-style reading of one entry; the entry must not outlive its zip. */
WrSafeZipEntry *wr_safe_zip_entry_open     (WrSafeZip       *self,
                                            const char      *name,
                                            GError         **error);
/* Returns bytes read, 0 at the end, -1 with error set. */
gssize          wr_safe_zip_entry_read     (WrSafeZipEntry  *entry,
                                            guint8          *buffer,
                                            gsize            len,
                                            GError         **error);
guint64         wr_safe_zip_entry_get_size (WrSafeZipEntry  *entry);  /* declared */
guint64         wr_safe_zip_entry_get_read (WrSafeZipEntry  *entry);  /* so far */
void            wr_safe_zip_entry_close    (WrSafeZipEntry  *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrSafeZip, wr_safe_zip_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrSafeZipEntry, wr_safe_zip_entry_close)

G_END_DECLS
