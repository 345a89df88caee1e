/* wr-document-import.h — adding files to a project's knowledge.
 *
 * Import reads a file (PPTX, DOCX, XLSX, PDF, PNG/JPEG/TIFF/WebP images
 * through OCR, Markdown, plain text), cuts its text along its structure
 * (slide, page, heading, sheet, section) and stores the chunks, which the
 * documents FTS index (bm25) then finds; see wr-knowledge-search.h.
 *
 * The documents row is inserted with status 'importing', the chunks go in
 * one transaction, then the row becomes 'ready' with its unit count. A
 * failure leaves the row 'failed' with a user-facing error and no chunks;
 * a cancelled import leaves nothing.
 *
 * Threading: the sync calls block (parsing, OCR, SQLite); use them from
 * worker threads, the CLI and tests. The GUI uses the _async pair.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/wr-store.h"

G_BEGIN_DECLS

#define WR_DOCUMENT_ERROR (wr_document_error_quark ())

typedef enum {
  WR_DOCUMENT_ERROR_FAILED,
  WR_DOCUMENT_ERROR_UNSUPPORTED,   /* a kind of file we cannot read */
  WR_DOCUMENT_ERROR_CORRUPT,       /* damaged or not what its name says */
  WR_DOCUMENT_ERROR_ENCRYPTED,     /* password-protected */
  WR_DOCUMENT_ERROR_TOO_LARGE,     /* beyond a size, page or pixel bound */
  WR_DOCUMENT_ERROR_ENCODING,      /* text that is not UTF-8 */
} WrDocumentError;

GQuark wr_document_error_quark (void);

/* Progress of one import: @fraction in 0..1 (or -1 when unknown) and a
 * short translated @stage ("Reading pages…"). Called on the importing
 * thread. */
typedef void (*WrImportProgressFunc) (double      fraction,
                                      const char *stage,
                                      gpointer    user_data);

/* One stored document (a snapshot; plain struct, free with
 * wr_document_info_free()). */
typedef struct {
  char   *id;
  char   *project_id;
  char   *name;          /* the file's base name */
  char   *kind;          /* "pptx", "docx", "xlsx", "csv", "pdf", "image", "markdown", "text" */
  char   *mime_type;     /* nullable */
  gint64  size;          /* bytes */
  char   *sha256;        /* nullable */
  char   *source_path;   /* nullable: where it was imported from */
  char   *status;        /* "importing", "ready", "failed" */
  char   *error;         /* nullable: why it failed */
  gint64  units;         /* slides, pages, sheets…; -1 when unknown */
  gint64  chunks;        /* stored chunks */
  gint64  created_at;    /* µs since the epoch */
  gint64  updated_at;
} WrDocumentInfo;

void            wr_document_info_free          (WrDocumentInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDocumentInfo, wr_document_info_free)

/* The kind wr_document_import_file() would give @path ("pdf", "image"…),
 * from its first bytes and its extension; NULL (with @error) when it is not
 * a document we read (transfer full). */
char           *wr_document_detect_kind        (const char    *path,
                                                GError       **error);

/* Imports @path into @project_id. On success *@out_document_id (nullable)
 * receives the new document's id (transfer full). On failure returns FALSE
 * with @error set; when the documents row was already created it is left
 * 'failed' with the message, and *@out_document_id is still set. When
 * @cancellable is cancelled the document is removed and G_IO_ERROR_CANCELLED
 * returned. */
gboolean        wr_document_import_file        (WrStore              *store,
                                                const char           *project_id,
                                                const char           *path,
                                                WrImportProgressFunc  progress,       /* nullable */
                                                gpointer              progress_data,
                                                GCancellable         *cancellable,
                                                char                **out_document_id,
                                                GError              **error);

/* The same in a worker thread; @progress is called on the caller's
 * thread-default main context. _finish returns the new document id
 * (transfer full) or NULL with @error. */
void            wr_document_import_file_async  (WrStore              *store,
                                                const char           *project_id,
                                                const char           *path,
                                                WrImportProgressFunc  progress,       /* nullable */
                                                gpointer              progress_data,
                                                GDestroyNotify        progress_destroy,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char           *wr_document_import_file_finish (WrStore              *store,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Live (not deleted) documents of @project_id, newest first (element-type
 * WrDocumentInfo, transfer full). */
GPtrArray      *wr_document_list               (WrStore       *store,
                                                const char    *project_id,
                                                GError       **error);
/* One live document, or NULL with WR_STORE_ERROR_NOT_FOUND. */
WrDocumentInfo *wr_document_get                (WrStore       *store,
                                                const char    *id,
                                                GError       **error);
/* The chunks of a live document in order (element-type WrDocChunk from
 * wr-text-chunker.h, transfer full); for showing a hit in its context. */
GPtrArray      *wr_document_list_chunks        (WrStore       *store,
                                                const char    *document_id,
                                                GError       **error);
/* Tombstones the document and drops its chunks (so search no longer finds
 * it). WR_STORE_ERROR_NOT_FOUND when it does not exist or is deleted. */
gboolean        wr_document_delete             (WrStore       *store,
                                                const char    *id,
                                                GError       **error);

void            wr_document_list_async         (WrStore             *store,
                                                const char          *project_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray      *wr_document_list_finish        (WrStore             *store,
                                                GAsyncResult        *result,
                                                GError             **error);
void            wr_document_delete_async       (WrStore             *store,
                                                const char          *id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        wr_document_delete_finish      (WrStore             *store,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
