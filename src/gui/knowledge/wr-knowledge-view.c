/* wr-knowledge-view.c — the Knowledge page: documents and search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include <string.h>

#include "wr-knowledge-view.h"
#include "wr-source-viewer.h"
#include "wr-indexing-bar.h"
#include "chat/wr-knowledge-retrieve.h"
#include "wr-knowledge-view-private.h"
#include "wr-gui-util.h"
#include "docs/wr-document-import.h"
#include "docs/wr-knowledge-search.h"

#define SEARCH_LIMIT 30

struct _WrKnowledgeView {
  AdwBin          parent_instance;
  WrSession      *session;             /* owned */
  WrProject      *project;             /* owned, nullable */
  GCancellable   *cancellable;         /* list and delete; replaced per project */
  GCancellable   *search_cancellable;  /* the running search, nullable */
  GCancellable   *import_cancellable;  /* the running import, nullable */
  GPtrArray      *documents;           /* element-type WrDocumentInfo */
  GQueue          queue;               /* char * paths waiting to be imported */
  char           *importing_path;      /* nullable */
  GPtrArray      *failures;            /* char *path, char *message pairs not in the store */
  char           *last_toast;
  guint           loading;

  /* template children (not the AdwBin's own child, the toast overlay:
   * AdwBin unparents that one itself) */
  GtkStack        *main_stack;
  GtkSearchEntry  *search_entry;
  GtkStack        *results_stack;
  GtkListBox      *results_list;
  GtkListBox      *documents_list;
  GtkWidget       *progress_box;
  GtkLabel        *progress_label;
  GtkProgressBar  *progress_bar;
  WrIndexingBar   *indexing_bar;       /* below progress_box, made in init */
};

G_DEFINE_FINAL_TYPE (WrKnowledgeView, wr_knowledge_view, ADW_TYPE_BIN)

enum { PROP_0, PROP_SESSION, PROP_PROJECT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void start_next_import (WrKnowledgeView *self);
static void run_search (WrKnowledgeView *self);
static void start_indexing (WrKnowledgeView *self);

/* Helpers ---------------------------------------------------------------- */

static WrStore *
get_store (WrKnowledgeView *self)
{
  return wr_session_get_store (self->session);
}

static void
toast (WrKnowledgeView *self,
       const char      *text)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))),
                               adw_toast_new (text));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static const char *
kind_name (const char *kind)
{
  static const struct { const char *kind; const char *name; } names[] = {
    { "pptx", N_("Presentation") },
    { "docx", N_("Document") },
    { "xlsx", N_("Spreadsheet") },
    { "csv", N_("CSV table") },
    { "pdf", N_("PDF") },
    { "image", N_("Picture") },
    { "markdown", N_("Markdown") },
    { "text", N_("Text") },
  };

  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (kind, names[i].kind))
      return _(names[i].name);
  return _("File");
}

static const char *
kind_icon (const char *kind)
{
  if (g_strcmp0 (kind, "image") == 0)
    return "image-x-generic-symbolic";
  if (g_strcmp0 (kind, "xlsx") == 0 || g_strcmp0 (kind, "csv") == 0)
    return "x-office-spreadsheet-symbolic";
  if (g_strcmp0 (kind, "pptx") == 0)
    return "x-office-presentation-symbolic";
  return "x-office-document-symbolic";
}

/* "12 slides", "3 pages"… (transfer full, nullable when unknown) */
static char *
format_units (const char *kind,
              gint64      units)
{
  gulong n = (gulong) units;

  if (units < 0)
    return NULL;
  if (g_strcmp0 (kind, "pptx") == 0)
    return g_strdup_printf (ngettext ("%lu slide", "%lu slides", n), n);
  if (g_strcmp0 (kind, "pdf") == 0)
    return g_strdup_printf (ngettext ("%lu page", "%lu pages", n), n);
  if (g_strcmp0 (kind, "xlsx") == 0 || g_strcmp0 (kind, "csv") == 0)
    return g_strdup_printf (ngettext ("%lu sheet", "%lu sheets", n), n);
  if (g_strcmp0 (kind, "image") == 0)
    return g_strdup_printf (ngettext ("%lu picture", "%lu pictures", n), n);
  return g_strdup_printf (ngettext ("%lu section", "%lu sections", n), n);
}

/* @text with its first letter upper case ("slide 3" → "Slide 3"). */
static char *
capitalize (const char *text)
{
  g_autofree char *first = NULL;
  const char *rest;

  if (text == NULL || *text == '\0')
    return g_strdup ("");
  rest = g_utf8_next_char (text);
  first = g_utf8_strup (text, rest - text);
  return g_strconcat (first, rest, NULL);
}

static WrDocumentInfo *
find_document (WrKnowledgeView *self,
               const char      *id)
{
  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    {
      WrDocumentInfo *info = g_ptr_array_index (self->documents, i);

      if (g_strcmp0 (info->id, id) == 0)
        return info;
    }
  return NULL;
}

static void
update_actions (WrKnowledgeView *self)
{
  gboolean importing = self->importing_path != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.add-files", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "knowledge.cancel-import", importing);
  gtk_widget_set_visible (self->progress_box, importing);
}

/* Rows ------------------------------------------------------------------- */

static GtkWidget *
document_row_new (const char *id,             /* nullable: not in the store */
                  const char *name,
                  const char *kind,
                  const char *status_text,
                  gboolean    importing,
                  gboolean    failed)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new_from_icon_name (kind_icon (kind));
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *status = gtk_label_new (status_text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (status), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (status, "caption");
  gtk_widget_add_css_class (status, failed ? "error" : "dim-label");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), status);
  gtk_box_append (GTK_BOX (box), text);

  if (importing)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_end (spinner, 6);
      gtk_box_append (GTK_BOX (box), spinner);
    }
  else if (id != NULL)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *label = g_strdup_printf (_("Delete “%s”"), name);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Delete"));
      gtk_widget_add_css_class (button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "knowledge.delete-document");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
      gtk_box_append (GTK_BOX (box), button);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
rebuild_documents (WrKnowledgeView *self)
{
  guint n_rows = 0;

  clear_list (self->documents_list);

  if (self->importing_path != NULL)
    {
      g_autofree char *name = g_path_get_basename (self->importing_path);

      gtk_list_box_append (self->documents_list,
                           document_row_new (NULL, name, NULL, _("Importing…"), TRUE, FALSE));
      n_rows++;
    }
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      g_autofree char *name = g_path_get_basename (l->data);

      gtk_list_box_append (self->documents_list,
                           document_row_new (NULL, name, NULL, _("Waiting to be imported"), FALSE, FALSE));
      n_rows++;
    }
  for (guint i = 0; i + 1 < self->failures->len; i += 2)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (self->failures, i));

      gtk_list_box_append (self->documents_list,
                           document_row_new (NULL, name, NULL, g_ptr_array_index (self->failures, i + 1),
                                             FALSE, TRUE));
      n_rows++;
    }
  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    {
      WrDocumentInfo *info = g_ptr_array_index (self->documents, i);
      g_autofree char *status = NULL;
      gboolean importing = g_strcmp0 (info->status, "importing") == 0;
      gboolean failed = g_strcmp0 (info->status, "failed") == 0;

      /* The file being imported already has its row above. */
      if (importing && g_strcmp0 (info->source_path, self->importing_path) == 0)
        continue;

      if (failed)
        status = g_strdup (info->error != NULL ? info->error : _("This file could not be imported."));
      else if (importing)
        status = g_strdup (_("Importing…"));
      else
        {
          g_autofree char *units = format_units (info->kind, info->units);

          status = units != NULL ? g_strdup_printf ("%s · %s", kind_name (info->kind), units)
                                 : g_strdup (kind_name (info->kind));
        }
      gtk_list_box_append (self->documents_list,
                           document_row_new (info->id, info->name, info->kind, status, importing, failed));
      n_rows++;
    }

  gtk_stack_set_visible_child_name (self->main_stack, n_rows > 0 ? "documents" : "empty");
}

static GtkWidget *
result_row_new (WrKnowledgeHit *hit)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (hit->document_name);
  g_autofree char *locator = wr_knowledge_format_locator (hit->locator_kind, hit->locator);
  g_autofree char *place = capitalize (locator);
  GtkWidget *where = gtk_label_new (NULL);
  g_autofree char *markup = wr_knowledge_snippet_to_markup (hit->snippet);
  GtkWidget *snippet = gtk_label_new (NULL);

  /* A heading's title says more than its number. */
  if (g_strcmp0 (hit->locator_kind, "heading") == 0 && hit->title != NULL && *hit->title != '\0')
    gtk_label_set_text (GTK_LABEL (where), hit->title);
  else if (hit->title != NULL && *hit->title != '\0')
    {
      g_autofree char *with_title = g_strdup_printf ("%s — %s", place, hit->title);

      gtk_label_set_text (GTK_LABEL (where), with_title);
    }
  else
    gtk_label_set_text (GTK_LABEL (where), place);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (where), 1);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (where, TRUE);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "caption");
  gtk_box_append (GTK_BOX (header), name);
  gtk_box_append (GTK_BOX (header), where);

  gtk_label_set_markup (GTK_LABEL (snippet), markup);
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), snippet);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "document-id", g_strdup (hit->document_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "chunk-id", g_memdup2 (&hit->chunk_id, sizeof hit->chunk_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "excerpt",
                          wr_knowledge_snippet_replace (hit->snippet != NULL ? hit->snippet : "", "", ""), g_free);
  return row;
}

/* Loading ---------------------------------------------------------------- */

static void
on_list_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WrKnowledgeView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = wr_document_list_finish (WR_STORE (source), result, &error);

  self->loading--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (documents == NULL)
    {
      toast (self, error->message);
      return;
    }

  g_clear_pointer (&self->documents, g_ptr_array_unref);
  self->documents = g_steal_pointer (&documents);

  /* A failure the store kept is shown from its row. */
  for (guint i = 0; i + 1 < self->failures->len;)
    {
      gboolean stored = FALSE;

      for (guint j = 0; j < self->documents->len && !stored; j++)
        stored = g_strcmp0 (((WrDocumentInfo *) g_ptr_array_index (self->documents, j))->source_path,
                            g_ptr_array_index (self->failures, i)) == 0;
      if (stored)
        g_ptr_array_remove_range (self->failures, i, 2);
      else
        i += 2;
    }

  rebuild_documents (self);
}

static void
reload (WrKnowledgeView *self)
{
  if (self->project == NULL)
    return;
  self->loading++;
  wr_document_list_async (get_store (self), wr_project_get_id (self->project), self->cancellable,
                          on_list_cb, g_object_ref (self));
}

/* Search ----------------------------------------------------------------- */

static void
on_search_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WrKnowledgeView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = wr_knowledge_retrieve_finish (WR_CHAT_SERVICE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->search_cancellable);
  clear_list (self->results_list);
  if (hits == NULL)
    {
      gtk_stack_set_visible_child_name (self->results_stack, "none");
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < hits->len; i++)
    gtk_list_box_append (self->results_list, result_row_new (g_ptr_array_index (hits, i)));
  gtk_stack_set_visible_child_name (self->results_stack, hits->len > 0 ? "results" : "no-results");
}

static void
run_search (WrKnowledgeView *self)
{
  g_autofree char *match = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  match = wr_knowledge_build_match (text);
  if (self->project == NULL || match == NULL)
    {
      clear_list (self->results_list);
      gtk_stack_set_visible_child_name (self->results_stack, "none");
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  /* Hybrid when a search model is set (Preferences › Models), else
   * full-text. */
  wr_knowledge_retrieve_async (wr_session_get_chat_service (self->session),
                               wr_project_get_id (self->project), text, SEARCH_LIMIT,
                               self->search_cancellable, on_search_cb, g_object_ref (self));
}

static void
on_search_entry_search_changed_cb (WrKnowledgeView *self)
{
  run_search (self);
}

static void
on_results_list_row_activated_cb (WrKnowledgeView *self,
                                  GtkListBoxRow   *row)
{
  const char *document_id = g_object_get_data (G_OBJECT (row), "document-id");
  WrDocumentInfo *info = find_document (self, document_id);
  const gint64 *chunk_id = g_object_get_data (G_OBJECT (row), "chunk-id");
  g_autofree char *excerpt = NULL;
  WrCitation citation = { 0, };

  if (document_id == NULL)
    return;

  /* The viewer shows the exact place, and the text kept when the file is
   * gone. */
  if (info != NULL && (info->source_path == NULL || !g_file_test (info->source_path, G_FILE_TEST_IS_REGULAR)))
    toast (self, _("The original file has moved or was deleted. Showing the text Workroom kept; add the file again to open it."));

  /* The snippet's ellipses are not in the text. */
  excerpt = g_strdup (g_object_get_data (G_OBJECT (row), "excerpt"));
  if (excerpt != NULL)
    {
      char *start = excerpt;

      while (g_str_has_prefix (start, "…"))
        start += strlen ("…");
      memmove (excerpt, start, strlen (start) + 1);
      while (g_str_has_suffix (excerpt, "…"))
        excerpt[strlen (excerpt) - strlen ("…")] = '\0';
      g_strstrip (excerpt);
    }

  citation.document_id = (char *) document_id;
  citation.chunk_id = chunk_id != NULL ? *chunk_id : 0;
  citation.excerpt = excerpt;
  wr_source_viewer_show_citation (GTK_WIDGET (self), get_store (self), &citation);
}

/* Import ----------------------------------------------------------------- */

static void
on_import_progress_cb (double      fraction,
                       const char *stage,
                       gpointer    user_data)
{
  WrKnowledgeView *self = user_data;

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  if (stage != NULL)
    {
      g_autofree char *name = g_path_get_basename (self->importing_path != NULL ? self->importing_path : "");
      g_autofree char *text = g_strdup_printf ("%s — %s", name, stage);

      gtk_label_set_text (self->progress_label, text);
    }
}

typedef struct {
  WrKnowledgeView *self;          /* owned */
  GCancellable    *cancellable;   /* owned: tells this import from a later one */
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
on_import_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  WrKnowledgeView *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = wr_document_import_file_finish (WR_STORE (source), result, &error);
  g_autofree char *path = NULL;

  /* An import of a project left since (set_project cancelled it). */
  if (data->cancellable != self->import_cancellable)
    return;

  path = g_steal_pointer (&self->importing_path);
  g_clear_object (&self->import_cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancel stops this one and the ones waiting. */
      g_queue_clear_full (&self->queue, g_free);
      if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL && !g_cancellable_is_cancelled (self->cancellable))
        toast (self, _("Import cancelled"));
    }
  else if (id == NULL)
    {
      g_ptr_array_add (self->failures, g_steal_pointer (&path));
      g_ptr_array_add (self->failures, g_strdup (error->message));
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  start_next_import (self);
  reload (self);
  run_search (self);
  /* The last import of a batch: embeddings and image descriptions, in the
   * background (nothing to do when no model is set). */
  if (id != NULL && self->importing_path == NULL)
    start_indexing (self);
}

static void
on_indexed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(WrKnowledgeView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint described = 0;

  if (!wr_knowledge_indexer_index_finish (WR_KNOWLEDGE_INDEXER (source), result, NULL, &described, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
        {
          /* TRANSLATORS: %s says why and what to do */
          g_autofree char *text = g_strdup_printf (_("Documents could not be indexed for search: %s"),
                                                   error->message);
          toast (self, text);
        }
      return;
    }
  /* Image descriptions are new passages: search them too. */
  if (described > 0 && self->session != NULL)
    run_search (self);
}

static void
start_indexing (WrKnowledgeView *self)
{
  WrKnowledgeIndexer *indexer;

  if (self->project == NULL)
    return;
  indexer = wr_knowledge_indexer_get_default (wr_session_get_chat_service (self->session));
  wr_knowledge_indexer_index_async (indexer, wr_project_get_id (self->project), NULL,
                                    on_indexed_cb, g_object_ref (self));
}

static void
start_next_import (WrKnowledgeView *self)
{
  if (self->importing_path != NULL || self->project == NULL)
    return;

  self->importing_path = g_queue_pop_head (&self->queue);
  if (self->importing_path != NULL)
    {
      g_autofree char *name = g_path_get_basename (self->importing_path);
      ImportData *data = g_new0 (ImportData, 1);

      self->import_cancellable = g_cancellable_new ();
      data->self = g_object_ref (self);
      data->cancellable = g_object_ref (self->import_cancellable);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_label_set_text (self->progress_label, name);
      wr_document_import_file_async (get_store (self), wr_project_get_id (self->project),
                                     self->importing_path, on_import_progress_cb,
                                     g_object_ref (self), g_object_unref,
                                     self->import_cancellable, on_import_cb, data);
    }
  update_actions (self);
  rebuild_documents (self);
}

void
_wr_knowledge_view_import_files (WrKnowledgeView *self,
                                 GPtrArray       *files)
{
  g_return_if_fail (WR_IS_KNOWLEDGE_VIEW (self));
  g_return_if_fail (files != NULL);

  for (guint i = 0; i < files->len; i++)
    {
      char *path = g_file_get_path (g_ptr_array_index (files, i));

      if (path != NULL)
        g_queue_push_tail (&self->queue, path);
    }
  start_next_import (self);
  rebuild_documents (self);
}

static void
on_file_chooser_response_cb (WrKnowledgeView      *self,
                             int                   response,
                             GtkFileChooserNative *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      _wr_knowledge_view_import_files (self, array);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  static const char *patterns[] = { "*.pptx", "*.docx", "*.xlsx", "*.csv", "*.pdf", "*.png", "*.jpg",
                                    "*.jpeg", "*.tif", "*.tiff", "*.webp", "*.md", "*.markdown", "*.txt" };

  native = gtk_file_chooser_native_new (_("Add Files"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  gtk_file_filter_set_name (filter, _("Documents"));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (on_file_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  (void) self;
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (widget);

  g_queue_clear_full (&self->queue, g_free);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  rebuild_documents (self);
}

/* Delete ----------------------------------------------------------------- */

static void
on_delete_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WrKnowledgeView) self = user_data;
  g_autoptr(GError) error = NULL;

  self->loading--;
  if (!wr_document_delete_finish (WR_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
    }
  reload (self);
  run_search (self);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       WrKnowledgeView  *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "document-id");

  if (g_strcmp0 (response, "delete") != 0 || id == NULL)
    return;
  self->loading++;
  wr_document_delete_async (get_store (self), id, self->cancellable, on_delete_cb, g_object_ref (self));
}

static void
delete_document_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  WrDocumentInfo *info = find_document (self, id);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (info == NULL)
    return;
  heading = g_strdup_printf (_("Delete “%s”?"), info->name);
  dialog = wr_gui_confirm_dialog_new (widget, heading,
                                      _("Search will no longer find its text. The original file is kept."),
                                      "delete", _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "document-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  wr_knowledge_view_focus_search (WR_KNOWLEDGE_VIEW (widget));
}

/* GObject ---------------------------------------------------------------- */

static void
wr_knowledge_view_dispose (GObject *object)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_KNOWLEDGE_VIEW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->project);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (wr_knowledge_view_parent_class)->dispose (object);
}

static void
wr_knowledge_view_finalize (GObject *object)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (object);

  g_queue_clear_full (&self->queue, g_free);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_free (self->importing_path);
  g_free (self->last_toast);
  G_OBJECT_CLASS (wr_knowledge_view_parent_class)->finalize (object);
}

static void
wr_knowledge_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_knowledge_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      wr_knowledge_view_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Documents imported elsewhere (workroom-cli, another window) appear, and
 * get indexed, when the page is shown again. */
static void
wr_knowledge_view_map (GtkWidget *widget)
{
  WrKnowledgeView *self = WR_KNOWLEDGE_VIEW (widget);

  GTK_WIDGET_CLASS (wr_knowledge_view_parent_class)->map (widget);

  if (self->project != NULL && self->loading == 0 && self->importing_path == NULL)
    {
      reload (self);
      start_indexing (self);
    }
}

static void
wr_knowledge_view_class_init (WrKnowledgeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_knowledge_view_dispose;
  object_class->finalize = wr_knowledge_view_finalize;
  object_class->get_property = wr_knowledge_view_get_property;
  object_class->set_property = wr_knowledge_view_set_property;
  widget_class->map = wr_knowledge_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/knowledge/wr-knowledge-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, results_list);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, documents_list);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WrKnowledgeView, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_results_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "knowledge.add-files", NULL, add_files_action);
  gtk_widget_class_install_action (widget_class, "knowledge.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "knowledge.delete-document", "s", delete_document_action);
  gtk_widget_class_install_action (widget_class, "knowledge.focus-search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "knowledge.focus-search", NULL);

  gtk_widget_class_set_css_name (widget_class, "knowledgeview");
}

static void
wr_knowledge_view_init (WrKnowledgeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->indexing_bar = WR_INDEXING_BAR (wr_indexing_bar_new ());
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->progress_box)),
                              GTK_WIDGET (self->indexing_bar), self->progress_box);
  self->cancellable = g_cancellable_new ();
  self->failures = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->queue);
  update_actions (self);
}

/* API -------------------------------------------------------------------- */

GtkWidget *
wr_knowledge_view_new (WrSession *session)
{
  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  return g_object_new (WR_TYPE_KNOWLEDGE_VIEW, "session", session, NULL);
}

void
wr_knowledge_view_set_project (WrKnowledgeView *self,
                               WrProject       *project)
{
  g_return_if_fail (WR_IS_KNOWLEDGE_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  /* What ran for the previous project stops. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_queue_clear_full (&self->queue, g_free);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->importing_path, g_free);
  g_ptr_array_set_size (self->failures, 0);
  g_clear_pointer (&self->documents, g_ptr_array_unref);

  wr_indexing_bar_set_project (self->indexing_bar,
                               project != NULL
                               ? wr_knowledge_indexer_get_default (wr_session_get_chat_service (self->session))
                               : NULL,
                               project != NULL ? wr_project_get_id (project) : NULL);
  update_actions (self);
  rebuild_documents (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  run_search (self);
  reload (self);
  /* Passages imported before a search model was chosen (or with another
   * one) are embedded now, in the background; nothing to do otherwise. */
  start_indexing (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

WrProject *
wr_knowledge_view_get_project (WrKnowledgeView *self)
{
  g_return_val_if_fail (WR_IS_KNOWLEDGE_VIEW (self), NULL);

  return self->project;
}

void
wr_knowledge_view_focus_search (WrKnowledgeView *self)
{
  g_return_if_fail (WR_IS_KNOWLEDGE_VIEW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "documents") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Private (tests) -------------------------------------------------------- */

gboolean
_wr_knowledge_view_get_busy (WrKnowledgeView *self)
{
  return self->importing_path != NULL || self->queue.length > 0 || self->loading > 0
         || self->search_cancellable != NULL;
}

GtkSearchEntry *
_wr_knowledge_view_get_search_entry (WrKnowledgeView *self)
{
  return self->search_entry;
}

GtkListBox *
_wr_knowledge_view_get_results (WrKnowledgeView *self)
{
  return self->results_list;
}

GtkListBox *
_wr_knowledge_view_get_documents (WrKnowledgeView *self)
{
  return self->documents_list;
}

const char *
_wr_knowledge_view_get_page (WrKnowledgeView *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
_wr_knowledge_view_get_results_page (WrKnowledgeView *self)
{
  return gtk_stack_get_visible_child_name (self->results_stack);
}

const char *
_wr_knowledge_view_get_last_toast (WrKnowledgeView *self)
{
  return self->last_toast;
}
