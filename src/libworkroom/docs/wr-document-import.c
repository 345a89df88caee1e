/* wr-document-import.c — reading a file into document chunks.
 *
 * Extraction runs outside any transaction (it may take minutes); the
 * documents row is written before it ('importing'), and the chunks with
 * the 'ready' status in one transaction after it, so a reader never sees
 * half a document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-document-import.h"
#include "wr-image-text.h"
#include "wr-ooxml-text.h"
#include "wr-pdf-text.h"
#include "wr-text-chunker.h"
#include "store/wr-store-db.h"
#include "wr-util.h"

/* Bounds on what is read into memory before chunking. */
#define MAX_FILE_BYTES (512 * 1024 * 1024)
#define MAX_TEXT_FILE_BYTES (64 * 1024 * 1024)

#define DOCUMENT_COLUMNS "d.id, d.project_id, d.name, d.kind, d.mime_type, d.size, d.sha256, " \
  "d.source_path, d.status, d.error, d.units, d.created_at, d.updated_at, " \
  "(SELECT count(*) FROM document_chunks c WHERE c.document_id = d.id)"

G_DEFINE_QUARK (wr-document-error-quark, wr_document_error)

void
wr_document_info_free (WrDocumentInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->project_id);
  g_free (info->name);
  g_free (info->kind);
  g_free (info->mime_type);
  g_free (info->sha256);
  g_free (info->source_path);
  g_free (info->status);
  g_free (info->error);
  g_free (info);
}

/* Kind detection ---------------------------------------------------------- */

static gboolean
has_suffix (const char *lower_name,
            const char *const *suffixes)
{
  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (lower_name, suffixes[i]))
      return TRUE;

  return FALSE;
}

char *
wr_document_detect_kind (const char  *path,
                         GError     **error)
{
  static const char *const md[] = { ".md", ".markdown", ".mdown", ".mkd", NULL };
  static const char *const csv[] = { ".csv", ".tsv", NULL };
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *lower = NULL;
  guchar head[16] = { 0 };
  gsize n = 0;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  base = g_file_get_basename (file);
  lower = g_utf8_strdown (base, -1);

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &n, NULL, &local_error))
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_FAILED,
                   _("Could not read “%s”: %s. Check that the file exists and can be read."),
                   base, local_error->message);
      return NULL;
    }

  if (n >= 5 && memcmp (head, "%PDF-", 5) == 0)
    return g_strdup ("pdf");
  if ((n >= 8 && memcmp (head, "\x89PNG\r\n\x1a\n", 8) == 0) ||
      (n >= 3 && memcmp (head, "\xff\xd8\xff", 3) == 0) ||
      (n >= 4 && (memcmp (head, "II*\0", 4) == 0 || memcmp (head, "MM\0*", 4) == 0)) ||
      (n >= 12 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WEBP", 4) == 0))
    return g_strdup ("image");
  if (n >= 4 && memcmp (head, "PK\x03\x04", 4) == 0)
    {
      if (g_str_has_suffix (lower, ".pptx"))
        return g_strdup ("pptx");
      if (g_str_has_suffix (lower, ".docx"))
        return g_strdup ("docx");
      if (g_str_has_suffix (lower, ".xlsx"))
        return g_strdup ("xlsx");
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_UNSUPPORTED,
                   _("“%s” is a ZIP archive, not a document Workroom reads. Import PPTX, DOCX, "
                     "XLSX, PDF, images, Markdown or plain text."), base);
      return NULL;
    }
  if (n >= 8 && memcmp (head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_UNSUPPORTED,
                   _("“%s” is an old Office file (or a password-protected one). Save it as "
                     "PPTX, DOCX or XLSX without a password and import that."), base);
      return NULL;
    }
  if (memchr (head, '\0', n) != NULL)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_UNSUPPORTED,
                   _("“%s” is not a kind of document Workroom reads. Import PPTX, DOCX, XLSX, "
                     "PDF, images, Markdown or plain text."), base);
      return NULL;
    }

  if (has_suffix (lower, md))
    return g_strdup ("markdown");
  if (has_suffix (lower, csv))
    return g_strdup ("csv");

  return g_strdup ("text");
}

/* Extraction ------------------------------------------------------------- */

typedef struct {
  WrImportProgressFunc progress;
  gpointer             data;
} Progress;

static void
report (const Progress *progress,
        double          fraction,
        const char     *stage)
{
  if (progress->progress != NULL)
    progress->progress (fraction, stage, progress->data);
}

static void
on_pdf_page_cb (guint    done,
                guint    total,
                gpointer user_data)
{
  const Progress *progress = user_data;

  report (progress, 0.8 * done / MAX (total, 1), _("Reading pages…"));
}

/* A WR_DOCS_ERROR (from the OOXML readers) as the matching
 * WR_DOCUMENT_ERROR, keeping its message. */
static void
propagate_docs_error (GError **error,
                      GError  *docs_error)
{
  if (docs_error->domain == WR_DOCS_ERROR)
    {
      WrDocumentError code = WR_DOCUMENT_ERROR_FAILED;

      switch ((WrDocsError) docs_error->code)
        {
        case WR_DOCS_ERROR_CORRUPT:     code = WR_DOCUMENT_ERROR_CORRUPT; break;
        case WR_DOCS_ERROR_TOO_LARGE:   code = WR_DOCUMENT_ERROR_TOO_LARGE; break;
        case WR_DOCS_ERROR_ENCRYPTED:   code = WR_DOCUMENT_ERROR_ENCRYPTED; break;
        case WR_DOCS_ERROR_UNSUPPORTED: code = WR_DOCUMENT_ERROR_UNSUPPORTED; break;
        default: break;
        }
      g_set_error_literal (error, WR_DOCUMENT_ERROR, code, docs_error->message);
      g_error_free (docs_error);
      return;
    }

  g_propagate_error (error, docs_error);
}

/* Reads a text file: UTF-8 only (a BOM is dropped). */
static char *
read_text_file (const char  *path,
                const char  *name,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_FAILED,
                   _("Could not read “%s”: %s. Check that the file exists and can be read."),
                   name, local_error->message);
      return NULL;
    }
  if (length > MAX_TEXT_FILE_BYTES)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MB; split it into smaller files and import those."),
                   name, MAX_TEXT_FILE_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_utf8_validate_len (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_ENCODING,
                   _("“%s” is not UTF-8 text. Save it as UTF-8 in a text editor and import "
                     "it again."), name);
      return NULL;
    }
  if (length >= 3 && memcmp (contents, "\xef\xbb\xbf", 3) == 0)
    memmove (contents, contents + 3, length - 2);

  return g_steal_pointer (&contents);
}

/* The chunks of @path (element-type WrDocChunk), with the number of
 * slides/pages/… in *@units and a note in *@note. */
static GPtrArray *
extract (const char      *path,
         const char      *name,
         const char      *kind,
         const Progress  *progress,
         gint64          *units,
         char           **note,
         GCancellable    *cancellable,
         GError         **error)
{
  g_autoptr(GPtrArray) chunks = wr_doc_chunks_new ();

  *units = 0;

  if (g_str_equal (kind, "pdf"))
    {
      g_autoptr(GPtrArray) pages = wr_pdf_extract_pages (path, on_pdf_page_cb, (gpointer) progress,
                                                         cancellable, error);

      if (pages == NULL)
        return NULL;
      for (guint i = 0; i < pages->len; i++)
        wr_text_chunker_add_section (chunks, "page", i + 1, NULL, g_ptr_array_index (pages, i));
      *units = pages->len;
    }
  else if (g_str_equal (kind, "image"))
    {
      g_autofree char *text = NULL;

      report (progress, -1, _("Reading text in the image…"));
      text = wr_image_extract_text (path, note, cancellable, error);
      if (text == NULL)
        return NULL;
      wr_text_chunker_add_section (chunks, "image", 0, NULL, text);
      *units = 1;
    }
  else if (g_str_equal (kind, "pptx") || g_str_equal (kind, "docx") || g_str_equal (kind, "xlsx"))
    {
      g_autoptr(GPtrArray) sections = NULL;
      GError *docs_error = NULL;
      gint64 counted = 0;

      report (progress, -1, _("Reading the document…"));
      sections = wr_ooxml_extract (path, kind, cancellable, &docs_error);
      if (sections == NULL)
        {
          propagate_docs_error (error, docs_error);
          return NULL;
        }
      for (guint i = 0; i < sections->len; i++)
        {
          WrDocSection *section = g_ptr_array_index (sections, i);

          wr_text_chunker_add_section (chunks, wr_doc_section_kind_to_locator (section->kind),
                                       section->index, section->title, section->text);
          if ((g_str_equal (kind, "pptx") && section->kind == WR_DOC_SECTION_SLIDE) ||
              (g_str_equal (kind, "xlsx") && section->kind == WR_DOC_SECTION_SHEET) ||
              (g_str_equal (kind, "docx") && section->kind != WR_DOC_SECTION_SECTION))
            counted = MAX (counted, (gint64) section->index);
        }
      *units = counted;
    }
  else
    {
      g_autofree char *text = read_text_file (path, name, error);
      g_autoptr(GPtrArray) parts = NULL;

      if (text == NULL)
        return NULL;
      report (progress, 0.5, _("Reading the text…"));
      parts = g_str_equal (kind, "markdown") ? wr_text_chunker_split_markdown (text)
                                             : wr_text_chunker_split_plain (text);
      g_ptr_array_extend_and_steal (chunks, g_steal_pointer (&parts));
      *units = chunks->len;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&chunks);
}

/* Store ------------------------------------------------------------------ */

typedef struct {
  WrStore    *store;
  const char *id;
  const char *project_id;
  const char *name;
  const char *kind;
  const char *mime_type;
  gint64      size;
  const char *sha256;
  const char *source_path;
  const char *error_text;   /* failed: why; ready: a note */
  gint64      units;
  GPtrArray  *chunks;
  GCancellable *cancellable;
  gint64      now;
} ImportTx;

static gboolean
insert_document_tx (sqlite3   *db,
                    gpointer   data,
                    GError   **error)
{
  ImportTx *tx = data;
  g_autoptr(WrDbStmt) check = NULL;
  g_autoptr(WrDbStmt) insert = NULL;
  int rc;

  (void) db;

  check = _wr_store_prepare (tx->store, "SELECT 1 FROM projects WHERE id = ? AND deleted_at IS NULL", error);
  if (check == NULL)
    return FALSE;
  _wr_db_bind_text (check, 1, tx->project_id);
  rc = sqlite3_step (check);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                           _("The project no longer exists. It may have been deleted in another "
                             "window; choose another project."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _wr_store_sqlite_error (tx->store, rc, error);

  insert = _wr_store_prepare (tx->store,
                              "INSERT INTO documents (id, project_id, name, kind, mime_type, size, sha256, "
                              "source_path, status, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'importing', ?, ?)", error);
  if (insert == NULL)
    return FALSE;
  _wr_db_bind_text (insert, 1, tx->id);
  _wr_db_bind_text (insert, 2, tx->project_id);
  _wr_db_bind_text (insert, 3, tx->name);
  _wr_db_bind_text (insert, 4, tx->kind);
  _wr_db_bind_text (insert, 5, tx->mime_type);
  sqlite3_bind_int64 (insert, 6, tx->size);
  _wr_db_bind_text (insert, 7, tx->sha256);
  _wr_db_bind_text (insert, 8, tx->source_path);
  sqlite3_bind_int64 (insert, 9, tx->now);
  sqlite3_bind_int64 (insert, 10, tx->now);

  return _wr_db_step_done (tx->store, insert, error);
}

static gboolean
store_chunks_tx (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  ImportTx *tx = data;
  g_autoptr(WrDbStmt) update = NULL;

  (void) db;

  for (guint i = 0; i < tx->chunks->len; i++)
    {
      WrDocChunk *chunk = g_ptr_array_index (tx->chunks, i);
      g_autoptr(WrDbStmt) insert = NULL;

      /* Checked now and then: a big document's insert takes a while. */
      if (i % 256 == 0 && g_cancellable_set_error_if_cancelled (tx->cancellable, error))
        return FALSE;

      insert = _wr_store_prepare (tx->store,
                                  "INSERT INTO document_chunks (document_id, ord, locator_kind, locator, "
                                  "title, text) VALUES (?, ?, ?, ?, ?, ?)", error);
      if (insert == NULL)
        return FALSE;
      _wr_db_bind_text (insert, 1, tx->id);
      sqlite3_bind_int64 (insert, 2, i);
      _wr_db_bind_text (insert, 3, chunk->locator_kind);
      sqlite3_bind_int64 (insert, 4, chunk->locator);
      _wr_db_bind_text (insert, 5, chunk->title);
      _wr_db_bind_text (insert, 6, chunk->text);
      if (!_wr_db_step_done (tx->store, insert, error))
        return FALSE;
    }

  update = _wr_store_prepare (tx->store,
                              "UPDATE documents SET status = 'ready', units = ?, error = ?, updated_at = ? "
                              "WHERE id = ?", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, tx->units);
  _wr_db_bind_text (update, 2, tx->error_text);
  sqlite3_bind_int64 (update, 3, wr_now_usec ());
  _wr_db_bind_text (update, 4, tx->id);

  return _wr_db_step_done (tx->store, update, error);
}

static gboolean
fail_document_tx (sqlite3   *db,
                  gpointer   data,
                  GError   **error)
{
  ImportTx *tx = data;
  g_autoptr(WrDbStmt) drop = NULL;
  g_autoptr(WrDbStmt) update = NULL;

  (void) db;

  drop = _wr_store_prepare (tx->store, "DELETE FROM document_chunks WHERE document_id = ?", error);
  if (drop == NULL)
    return FALSE;
  _wr_db_bind_text (drop, 1, tx->id);
  if (!_wr_db_step_done (tx->store, drop, error))
    return FALSE;

  update = _wr_store_prepare (tx->store,
                              "UPDATE documents SET status = 'failed', error = ?, updated_at = ? WHERE id = ?",
                              error);
  if (update == NULL)
    return FALSE;
  _wr_db_bind_text (update, 1, tx->error_text);
  sqlite3_bind_int64 (update, 2, wr_now_usec ());
  _wr_db_bind_text (update, 3, tx->id);

  return _wr_db_step_done (tx->store, update, error);
}

static gboolean
remove_document_tx (sqlite3   *db,
                    gpointer   data,
                    GError   **error)
{
  ImportTx *tx = data;
  g_autoptr(WrDbStmt) drop = NULL;
  g_autoptr(WrDbStmt) remove = NULL;

  (void) db;

  drop = _wr_store_prepare (tx->store, "DELETE FROM document_chunks WHERE document_id = ?", error);
  if (drop == NULL)
    return FALSE;
  _wr_db_bind_text (drop, 1, tx->id);
  if (!_wr_db_step_done (tx->store, drop, error))
    return FALSE;

  remove = _wr_store_prepare (tx->store, "DELETE FROM documents WHERE id = ?", error);
  if (remove == NULL)
    return FALSE;
  _wr_db_bind_text (remove, 1, tx->id);

  return _wr_db_step_done (tx->store, remove, error);
}

/* The SHA-256 of @path and its size, streaming it. */
static char *
hash_file (const char    *path,
           gint64        *size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (64 * 1024);
  gssize n;

  *size = 0;
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 64 * 1024, cancellable, error)) > 0)
    {
      g_checksum_update (checksum, buffer, n);
      *size += n;
    }
  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
wr_document_import_file (WrStore              *store,
                         const char           *project_id,
                         const char           *path,
                         WrImportProgressFunc  progress_func,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         char                **out_document_id,
                         GError              **error)
{
  Progress progress = { progress_func, progress_data };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) chunks = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *id = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *note = NULL;
  ImportTx tx = { 0 };
  gint64 units = 0;
  gint64 size = 0;

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (project_id != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_document_id != NULL)
    *out_document_id = NULL;

  name = g_path_get_basename (path);
  absolute = g_canonicalize_filename (path, NULL);

  if (!g_file_test (absolute, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_FAILED,
                   _("“%s” does not exist or is not a file. Check the path and try again."), path);
      return FALSE;
    }

  report (&progress, 0.0, _("Checking the file…"));
  kind = wr_document_detect_kind (absolute, error);
  if (kind == NULL)
    return FALSE;

  sha256 = hash_file (absolute, &size, cancellable, &local_error);
  if (sha256 == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_FAILED,
                     _("Could not read “%s”: %s. Check that the file exists and can be read."),
                     name, local_error->message);
      return FALSE;
    }
  if (size > MAX_FILE_BYTES)
    {
      g_set_error (error, WR_DOCUMENT_ERROR, WR_DOCUMENT_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MB; split it into smaller files and import those."),
                   name, MAX_FILE_BYTES / (1024 * 1024));
      return FALSE;
    }

  content_type = g_content_type_guess (name, NULL, 0, NULL);
  mime_type = g_content_type_get_mime_type (content_type);

  id = wr_new_id ();
  tx.store = store;
  tx.id = id;
  tx.project_id = project_id;
  tx.name = name;
  tx.kind = kind;
  tx.mime_type = mime_type;
  tx.size = size;
  tx.sha256 = sha256;
  tx.source_path = absolute;
  tx.cancellable = cancellable;
  tx.now = wr_now_usec ();

  if (!_wr_store_run_transaction (store, insert_document_tx, &tx, error))
    return FALSE;

  if (out_document_id != NULL)
    *out_document_id = g_strdup (id);

  chunks = extract (absolute, name, kind, &progress, &units, &note, cancellable, &local_error);
  if (chunks != NULL)
    {
      report (&progress, 0.9, _("Indexing…"));
      tx.chunks = chunks;
      tx.units = units;
      tx.error_text = note;
      if (_wr_store_run_transaction (store, store_chunks_tx, &tx, &local_error))
        {
          report (&progress, 1.0, _("Done"));
          return TRUE;
        }
    }

  g_assert (local_error != NULL);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) remove_error = NULL;

      if (!_wr_store_run_transaction (store, remove_document_tx, &tx, &remove_error))
        g_warning ("Could not remove the cancelled import %s: %s", id, remove_error->message);
      if (out_document_id != NULL)
        g_clear_pointer (out_document_id, g_free);
    }
  else
    {
      g_autoptr(GError) fail_error = NULL;

      tx.error_text = local_error->message;
      if (!_wr_store_run_transaction (store, fail_document_tx, &tx, &fail_error))
        g_warning ("Could not mark the import %s as failed: %s", id, fail_error->message);
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Async import ------------------------------------------------------------ */

typedef struct {
  char                 *project_id;
  char                 *path;
  WrImportProgressFunc  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_destroy;
  GMainContext         *context;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->project_id);
  g_free (data->path);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_main_context_unref (data->context);
  g_free (data);
}

static void
deliver_progress (GTask      *task,
                  double      fraction,
                  const char *stage)
{
  ImportData *data = g_task_get_task_data (task);

  data->progress (fraction, stage, data->progress_data);
}

static void
on_thread_progress_cb (double      fraction,
                       const char *stage,
                       gpointer    user_data)
{
  GTask *task = user_data;
  ImportData *data = g_task_get_task_data (task);

  wr_task_post_progress (task, data->context, deliver_progress, fraction, stage);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (wr_document_import_file (source_object, data->project_id, data->path,
                               data->progress != NULL ? on_thread_progress_cb : NULL, task,
                               cancellable, &id, &error))
    g_task_return_pointer (task, g_steal_pointer (&id), g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
wr_document_import_file_async (WrStore              *store,
                               const char           *project_id,
                               const char           *path,
                               WrImportProgressFunc  progress,
                               gpointer              progress_data,
                               GDestroyNotify        progress_destroy,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (path != NULL);

  data = g_new0 (ImportData, 1);
  data->project_id = g_strdup (project_id);
  data->path = g_strdup (path);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_document_import_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

char *
wr_document_import_file_finish (WrStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_document_import_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* List, get, delete ------------------------------------------------------- */

static WrDocumentInfo *
info_from_row (sqlite3_stmt *stmt)
{
  WrDocumentInfo *info = g_new0 (WrDocumentInfo, 1);

  info->id = g_strdup (_wr_db_column_text (stmt, 0));
  info->project_id = g_strdup (_wr_db_column_text (stmt, 1));
  info->name = g_strdup (_wr_db_column_text (stmt, 2));
  info->kind = g_strdup (_wr_db_column_text (stmt, 3));
  info->mime_type = g_strdup (_wr_db_column_text (stmt, 4));
  info->size = sqlite3_column_int64 (stmt, 5);
  info->sha256 = g_strdup (_wr_db_column_text (stmt, 6));
  info->source_path = g_strdup (_wr_db_column_text (stmt, 7));
  info->status = g_strdup (_wr_db_column_text (stmt, 8));
  info->error = g_strdup (_wr_db_column_text (stmt, 9));
  info->units = sqlite3_column_type (stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 10);
  info->created_at = sqlite3_column_int64 (stmt, 11);
  info->updated_at = sqlite3_column_int64 (stmt, 12);
  info->chunks = sqlite3_column_int64 (stmt, 13);

  return info;
}

typedef struct {
  WrStore        *store;
  const char     *key;
  GPtrArray      *list;
  WrDocumentInfo *info;
} QueryTx;

static gboolean
list_tx (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  QueryTx *q = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  stmt = _wr_store_prepare (q->store,
                            "SELECT " DOCUMENT_COLUMNS " FROM documents d "
                            "WHERE d.project_id = ? AND d.deleted_at IS NULL "
                            "ORDER BY d.created_at DESC, d.id", error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, q->key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (q->list, info_from_row (stmt));
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (q->store, rc, error);

  return TRUE;
}

/* An import still "importing" this long after its last write belongs to
 * a process that ended mid-import (a crash, kill -9): imports write at
 * least once a minute. */
#define STALE_IMPORT_USEC (G_GINT64_CONSTANT (10) * 60 * G_USEC_PER_SEC)

static gboolean
fail_stale_tx (sqlite3   *db,
               gpointer   data,
               GError   **error)
{
  QueryTx *q = data;
  g_autoptr(WrDbStmt) drop = NULL;
  g_autoptr(WrDbStmt) mark = NULL;
  gint64 now = wr_now_usec ();
  int rc;

  (void) db;

  drop = _wr_store_prepare (q->store,
                            "DELETE FROM document_chunks WHERE document_id IN "
                            "(SELECT id FROM documents WHERE project_id = ?1 AND status = 'importing' "
                            "AND deleted_at IS NULL AND updated_at < ?2)", error);
  if (drop == NULL)
    return FALSE;
  _wr_db_bind_text (drop, 1, q->key);
  sqlite3_bind_int64 (drop, 2, now - STALE_IMPORT_USEC);
  if ((rc = sqlite3_step (drop)) != SQLITE_DONE)
    return _wr_store_sqlite_error (q->store, rc, error);

  mark = _wr_store_prepare (q->store,
                            "UPDATE documents SET status = 'failed', error = ?3, updated_at = ?4 "
                            "WHERE project_id = ?1 AND status = 'importing' AND deleted_at IS NULL "
                            "AND updated_at < ?2", error);
  if (mark == NULL)
    return FALSE;
  _wr_db_bind_text (mark, 1, q->key);
  sqlite3_bind_int64 (mark, 2, now - STALE_IMPORT_USEC);
  _wr_db_bind_text (mark, 3, _("Interrupted: Workroom stopped while this file was being imported. Import it again."));
  sqlite3_bind_int64 (mark, 4, now);
  if ((rc = sqlite3_step (mark)) != SQLITE_DONE)
    return _wr_store_sqlite_error (q->store, rc, error);

  return TRUE;
}

GPtrArray *
wr_document_list (WrStore     *store,
                  const char  *project_id,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_document_info_free);
  QueryTx q = { store, project_id, list, NULL };
  gint64 stale_before = wr_now_usec () - STALE_IMPORT_USEC;
  gboolean stale = FALSE;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!_wr_store_run_read (store, list_tx, &q, error))
    return NULL;

  for (guint i = 0; i < list->len; i++)
    {
      WrDocumentInfo *info = g_ptr_array_index (list, i);

      if (g_strcmp0 (info->status, "importing") == 0 && info->updated_at < stale_before)
        stale = TRUE;
    }

  /* Rare: only then take the write lock, and read again. */
  if (stale)
    {
      if (!_wr_store_run_transaction (store, fail_stale_tx, &q, error))
        return NULL;
      g_ptr_array_set_size (list, 0);
      if (!_wr_store_run_read (store, list_tx, &q, error))
        return NULL;
    }

  return g_steal_pointer (&list);
}

static gboolean
get_tx (sqlite3   *db,
        gpointer   data,
        GError   **error)
{
  QueryTx *q = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  stmt = _wr_store_prepare (q->store,
                            "SELECT " DOCUMENT_COLUMNS " FROM documents d "
                            "WHERE d.id = ? AND d.deleted_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, q->key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    q->info = info_from_row (stmt);
  else if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (q->store, rc, error);

  return TRUE;
}

WrDocumentInfo *
wr_document_get (WrStore     *store,
                 const char  *id,
                 GError     **error)
{
  QueryTx q = { store, id, NULL, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_wr_store_run_read (store, get_tx, &q, error))
    return NULL;
  if (q.info == NULL)
    g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                         _("The document no longer exists. It may have been deleted in another "
                           "window; reload the list."));

  return q.info;
}

static gboolean
delete_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  QueryTx *q = data;
  g_autoptr(WrDbStmt) update = NULL;
  g_autoptr(WrDbStmt) drop = NULL;
  gint64 now = wr_now_usec ();

  update = _wr_store_prepare (q->store,
                              "UPDATE documents SET deleted_at = ?, updated_at = ? "
                              "WHERE id = ? AND deleted_at IS NULL", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, now);
  sqlite3_bind_int64 (update, 2, now);
  _wr_db_bind_text (update, 3, q->key);
  if (!_wr_db_step_done (q->store, update, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error_literal (error, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                           _("The document no longer exists. It may have been deleted in another "
                             "window; reload the list."));
      return FALSE;
    }

  drop = _wr_store_prepare (q->store, "DELETE FROM document_chunks WHERE document_id = ?", error);
  if (drop == NULL)
    return FALSE;
  _wr_db_bind_text (drop, 1, q->key);

  return _wr_db_step_done (q->store, drop, error);
}

gboolean
wr_document_delete (WrStore     *store,
                    const char  *id,
                    GError     **error)
{
  QueryTx q = { store, id, NULL, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return _wr_store_run_transaction (store, delete_tx, &q, error);
}

/* Async list and delete ---------------------------------------------------- */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  (void) cancellable;

  list = wr_document_list (source_object, task_data, &error);
  if (list == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

void
wr_document_list_async (WrStore             *store,
                        const char          *project_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (project_id != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_document_list_async);
  g_task_set_task_data (task, g_strdup (project_id), g_free);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
wr_document_list_finish (WrStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_document_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  (void) cancellable;

  if (wr_document_delete (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
wr_document_delete_async (WrStore             *store,
                          const char          *id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (id != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_document_delete_async);
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_task_run_in_thread (task, delete_thread);
}

gboolean
wr_document_delete_finish (WrStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wr_document_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Chunks ----------------------------------------------------------------- */

static gboolean
chunks_tx (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  QueryTx *q = data;
  g_autoptr(WrDbStmt) stmt = NULL;
  int rc;

  (void) db;

  stmt = _wr_store_prepare (q->store,
                            "SELECT c.locator_kind, c.locator, c.title, c.text FROM document_chunks c "
                            "JOIN documents d ON d.id = c.document_id "
                            "WHERE c.document_id = ? AND d.deleted_at IS NULL ORDER BY c.ord", error);
  if (stmt == NULL)
    return FALSE;
  _wr_db_bind_text (stmt, 1, q->key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (q->list, wr_doc_chunk_new (_wr_db_column_text (stmt, 0),
                                                sqlite3_column_int64 (stmt, 1),
                                                _wr_db_column_text (stmt, 2),
                                                _wr_db_column_text (stmt, 3)));
  if (rc != SQLITE_DONE)
    return _wr_store_sqlite_error (q->store, rc, error);

  return TRUE;
}

GPtrArray *
wr_document_list_chunks (WrStore     *store,
                         const char  *document_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) chunks = wr_doc_chunks_new ();
  QueryTx q = { store, document_id, chunks, NULL };

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  if (!_wr_store_run_read (store, chunks_tx, &q, error))
    return NULL;

  return g_steal_pointer (&chunks);
}
