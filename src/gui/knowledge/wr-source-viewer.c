/* wr-source-viewer.c — see wr-source-viewer.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>
#include <poppler.h>

#include "docs/wr-document-import.h"
#include "docs/wr-knowledge-search.h"
#include "docs/wr-text-chunker.h"
#include "wr-source-viewer.h"
#include "wr-source-viewer-private.h"

/* Pages are rendered this wide (pixels) and scaled down to the window. */
#define RENDER_WIDTH 1400
/* The words of the excerpt looked for on a PDF page. */
#define FIND_WORDS   6

struct _WrSourceViewer
{
  AdwWindow        parent_instance;

  WrStore         *store;          /* owned */
  char            *document_id;
  gint64           chunk_id;
  char            *excerpt;        /* nullable */
  WrDocumentInfo  *info;           /* nullable until loaded */
  GPtrArray       *chunks;         /* WrDocChunk, nullable until loaded */
  guint            chunk_index;
  int              page;           /* PDF: 1-based; 0 when not a page view */
  int              n_pages;
  gboolean         file_missing;
  gboolean         loading;
  gboolean         rendering;
  char            *place;
  GdkTexture      *texture;        /* owned, nullable */
  GCancellable    *cancellable;    /* the window's lifetime */
  GCancellable    *render_cancellable;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkRevealer     *missing_revealer;
  GtkLabel        *missing_label;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkPicture      *picture;
  GtkLabel        *place_label;
  GtkTextView     *text_view;
  AdwStatusPage   *error_page;
  GtkLabel        *position_label;
};

G_DEFINE_FINAL_TYPE (WrSourceViewer, wr_source_viewer, ADW_TYPE_WINDOW)

static void wr_source_viewer_render_page (WrSourceViewer *self);

/* Helpers */

static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[8] = { 0 };

  if (*text == '\0')
    return g_strdup ("");
  g_unichar_to_utf8 (g_unichar_totitle (first), buf);
  return g_strconcat (buf, g_utf8_next_char (text), NULL);
}

static gboolean
is_pdf_view (WrSourceViewer *self)
{
  return self->page > 0;
}

static void
update_actions (WrSourceViewer *self)
{
  gboolean loaded = !self->loading && self->info != NULL;
  gboolean can_previous, can_next;

  if (is_pdf_view (self))
    {
      can_previous = self->page > 1;
      can_next = self->page < self->n_pages;
    }
  else
    {
      guint n = self->chunks != NULL ? self->chunks->len : 0;

      can_previous = n > 0 && self->chunk_index > 0;
      can_next = n > 0 && self->chunk_index + 1 < n;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", loaded && can_previous);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", loaded && can_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.open-file",
                                 loaded && self->info->source_path != NULL);
}

static void
show_error (WrSourceViewer *self,
            const char     *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_label_set_text (self->position_label, "");
}

/* The passage and where it is; the excerpt highlighted and scrolled to. */
static void
show_chunk (WrSourceViewer *self)
{
  WrDocChunk *chunk;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *locator = NULL;
  g_autofree char *place = NULL;
  g_autofree char *position = NULL;
  const char *found = NULL;
  const char *text;
  gsize found_len = 0;

  self->page = 0;
  if (self->chunks == NULL || self->chunks->len == 0)
    {
      show_error (self, _("Workroom kept no text of this document. Add the file again to search it."));
      update_actions (self);
      return;
    }

  chunk = g_ptr_array_index (self->chunks, self->chunk_index);
  locator = wr_knowledge_format_locator (chunk->locator_kind, chunk->locator);
  place = capitalize (locator);
  g_free (self->place);
  self->place = chunk->title[0] != '\0' && !g_str_equal (chunk->title, locator)
                ? g_strdup_printf ("%s — %s", place, chunk->title)
                : g_strdup (place);
  gtk_label_set_text (self->place_label, self->place);
  adw_window_title_set_subtitle (self->window_title, self->place);

  /* The title is the heading already. */
  text = chunk->text;
  if (chunk->title[0] != '\0' && g_str_has_prefix (text, chunk->title) &&
      (text[strlen (chunk->title)] == '\n' || text[strlen (chunk->title)] == '\0'))
    {
      text += strlen (chunk->title);
      while (*text == '\n' || *text == ' ')
        text++;
    }
  gtk_text_buffer_set_text (buffer, text, -1);

  /* The excerpt, else its first words (an FTS snippet may have lost
   * spacing at its ends). */
  if (self->excerpt != NULL && self->excerpt[0] != '\0')
    {
      found = strstr (text, self->excerpt);
      found_len = strlen (self->excerpt);
      if (found == NULL)
        {
          g_autofree char *head = g_utf8_substring (self->excerpt, 0, MIN (g_utf8_strlen (self->excerpt, -1), 40));

          found = strstr (text, head);
          found_len = strlen (head);
        }
    }

  if (found != NULL)
    {
      GtkTextIter start, end;
      GtkTextMark *mark;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_utf8_pointer_to_offset (text, found));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_utf8_pointer_to_offset (text, found + found_len));
      gtk_text_buffer_apply_tag_by_name (buffer, "excerpt", &start, &end);
      mark = gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE);
      gtk_text_view_scroll_to_mark (self->text_view, mark, 0.1, FALSE, 0, 0);
    }

  position = g_strdup_printf (_("Passage %u of %u"), self->chunk_index + 1, self->chunks->len);
  gtk_label_set_text (self->position_label, position);
  gtk_stack_set_visible_child_name (self->stack, "text");
  gtk_spinner_set_spinning (self->spinner, FALSE);
  update_actions (self);
}

/* Rendering a PDF page -------------------------------------------------- */

typedef struct {
  char *path;
  int   page;
  char *find;      /* nullable: words to highlight */
} RenderJob;

typedef struct {
  GdkTexture *texture;
  int         n_pages;
  int         page;
} RenderResult;

static void
render_job_free (RenderJob *job)
{
  g_free (job->path);
  g_free (job->find);
  g_free (job);
}

static void
render_result_free (RenderResult *result)
{
  g_clear_object (&result->texture);
  g_free (result);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (job->path, NULL, &error);
  /* Older poppler-glib has no autoptr for its types. */
  g_autoptr(GObject) document_ref = NULL;
  g_autoptr(GObject) page_ref = NULL;
  PopplerDocument *document = NULL;
  PopplerPage *page = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  RenderResult *result;
  double width, height, scale;
  int pixel_width, pixel_height;

  if (uri != NULL)
    document = poppler_document_new_from_file (uri, NULL, &error);
  document_ref = G_OBJECT (document);
  if (document == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The PDF could not be opened (%s)."), error->message);
      return;
    }

  result = g_new0 (RenderResult, 1);
  result->n_pages = poppler_document_get_n_pages (document);
  result->page = CLAMP (job->page, 1, MAX (result->n_pages, 1));
  page = result->n_pages > 0 ? poppler_document_get_page (document, result->page - 1) : NULL;
  page_ref = G_OBJECT (page);
  if (page == NULL)
    {
      render_result_free (result);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("The PDF has no pages."));
      return;
    }

  poppler_page_get_size (page, &width, &height);
  scale = RENDER_WIDTH / MAX (width, 1.0);
  pixel_width = RENDER_WIDTH;
  pixel_height = MAX (1, (int) (height * scale + 0.5));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);

  /* The cited words, marked like a highlighter would. */
  if (job->find != NULL && job->find[0] != '\0')
    {
      GList *found = poppler_page_find_text (page, job->find);

      cairo_set_source_rgba (cr, 1.0, 0.85, 0.0, 0.35);
      for (GList *l = found; l != NULL; l = l->next)
        {
          PopplerRectangle *r = l->data;

          cairo_rectangle (cr, r->x1, height - r->y2, r->x2 - r->x1, r->y2 - r->y1);
        }
      cairo_fill (cr);
      g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * pixel_height);
  result->texture = gdk_memory_texture_new (pixel_width, pixel_height,
                                            GDK_MEMORY_DEFAULT, bytes,
                                            cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  g_task_return_pointer (task, result, (GDestroyNotify) render_result_free);
}

static void
on_rendered_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(WrSourceViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  RenderResult *result = g_task_propagate_pointer (G_TASK (res), &error);
  g_autofree char *position = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->rendering = FALSE;
  if (result == NULL)
    {
      /* The text is still there. */
      g_autofree char *note = g_strdup_printf (_("%s Showing the text Workroom kept."), error->message);

      gtk_label_set_text (self->missing_label, note);
      gtk_revealer_set_reveal_child (self->missing_revealer, TRUE);
      show_chunk (self);
      return;
    }

  self->page = result->page;
  self->n_pages = result->n_pages;
  g_set_object (&self->texture, result->texture);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
  position = g_strdup_printf (_("Page %d of %d"), self->page, self->n_pages);
  gtk_label_set_text (self->position_label, position);
  adw_window_title_set_subtitle (self->window_title, position);
  gtk_stack_set_visible_child_name (self->stack, "page");
  gtk_spinner_set_spinning (self->spinner, FALSE);
  render_result_free (result);
  update_actions (self);
}

/* The first words of the excerpt that sit on one line of the page. */
static char *
words_to_find (const char *excerpt)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (excerpt == NULL)
    return NULL;

  words = g_strsplit_set (excerpt, " \t\n", -1);
  for (guint i = 0, n = 0; words[i] != NULL && n < FIND_WORDS; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      n++;
    }

  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static void
wr_source_viewer_render_page (WrSourceViewer *self)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job;

  g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  self->render_cancellable = g_cancellable_new ();
  self->rendering = TRUE;

  job = g_new0 (RenderJob, 1);
  job->path = g_strdup (self->info->source_path);
  job->page = self->page;
  job->find = words_to_find (self->excerpt);

  gtk_spinner_set_spinning (self->spinner, TRUE);
  task = g_task_new (self, self->render_cancellable, on_rendered_cb, g_object_ref (self));
  g_task_set_source_tag (task, wr_source_viewer_render_page);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_thread);
  update_actions (self);
}

/* Loading ---------------------------------------------------------------- */

typedef struct {
  WrDocumentInfo *info;
  GPtrArray      *chunks;
  guint           index;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->info, wr_document_info_free);
  g_clear_pointer (&result->chunks, g_ptr_array_unref);
  g_free (result);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrSourceViewer *self = source_object;
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);

  /* The viewer's fields are set before the task and never change in it. */
  result->info = wr_document_get (self->store, self->document_id, &error);
  if (result->info != NULL)
    result->chunks = wr_knowledge_load_document_chunks (self->store, self->document_id, self->chunk_id,
                                                        &result->index, &error);
  if (result->info == NULL || result->chunks == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  WrSourceViewer *self = WR_SOURCE_VIEWER (source);
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), &error);
  WrDocChunk *chunk = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The document was removed from the project, or could not be read (%s)."),
                                                  error->message);
      show_error (self, message);
      update_actions (self);
      return;
    }

  self->info = g_steal_pointer (&result->info);
  self->chunks = g_steal_pointer (&result->chunks);
  self->chunk_index = result->index;
  load_result_free (result);

  adw_window_title_set_title (self->window_title, self->info->name);
  gtk_window_set_title (GTK_WINDOW (self), self->info->name);

  self->file_missing = self->info->source_path == NULL ||
                       !g_file_test (self->info->source_path, G_FILE_TEST_IS_REGULAR);
  if (self->file_missing)
    {
      g_autofree char *note = self->info->source_path != NULL
        ? g_strdup_printf (_("The original file is no longer at %s. Showing the text Workroom kept."),
                           self->info->source_path)
        : g_strdup (_("Workroom does not know where the original file is. Showing the text it kept."));

      gtk_label_set_text (self->missing_label, note);
      gtk_revealer_set_reveal_child (self->missing_revealer, TRUE);
    }

  if (self->chunks->len > 0)
    chunk = g_ptr_array_index (self->chunks, self->chunk_index);

  if (g_strcmp0 (self->info->kind, "pdf") == 0 && !self->file_missing)
    {
      self->page = chunk != NULL && g_strcmp0 (chunk->locator_kind, "page") == 0 && chunk->locator > 0
                   ? (int) chunk->locator : 1;
      wr_source_viewer_render_page (self);
    }
  else
    show_chunk (self);
}

/* Actions ---------------------------------------------------------------- */

static void
previous_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  WrSourceViewer *self = WR_SOURCE_VIEWER (widget);

  if (is_pdf_view (self) && self->page > 1)
    {
      self->page--;
      wr_source_viewer_render_page (self);
    }
  else if (!is_pdf_view (self) && self->chunk_index > 0)
    {
      self->chunk_index--;
      show_chunk (self);
    }
}

static void
next_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  WrSourceViewer *self = WR_SOURCE_VIEWER (widget);

  if (is_pdf_view (self) && self->page < self->n_pages)
    {
      self->page++;
      wr_source_viewer_render_page (self);
    }
  else if (!is_pdf_view (self) && self->chunks != NULL && self->chunk_index + 1 < self->chunks->len)
    {
      self->chunk_index++;
      show_chunk (self);
    }
}

static void
toast (WrSourceViewer *self,
       const char     *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
on_launched_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WrSourceViewer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("No app could open the file (%s). Open it from your file manager."),
                                                  error->message);
      toast (self, message);
    }
}

static void
open_file_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  WrSourceViewer *self = WR_SOURCE_VIEWER (widget);
  g_autofree char *uri = NULL;

  if (self->info == NULL || self->info->source_path == NULL ||
      !g_file_test (self->info->source_path, G_FILE_TEST_IS_REGULAR))
    {
      toast (self, _("The original file has moved or was deleted. Add it again to open it from here."));
      return;
    }

  uri = g_filename_to_uri (self->info->source_path, NULL, NULL);
  if (uri != NULL)
    g_app_info_launch_default_for_uri_async (uri, NULL, self->cancellable, on_launched_cb, g_object_ref (self));
}

/* GObject ---------------------------------------------------------------- */

static void
wr_source_viewer_dispose (GObject *object)
{
  WrSourceViewer *self = WR_SOURCE_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->render_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_SOURCE_VIEWER);
  g_clear_object (&self->texture);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (wr_source_viewer_parent_class)->dispose (object);
}

static void
wr_source_viewer_finalize (GObject *object)
{
  WrSourceViewer *self = WR_SOURCE_VIEWER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->render_cancellable);
  g_clear_pointer (&self->info, wr_document_info_free);
  g_clear_pointer (&self->chunks, g_ptr_array_unref);
  g_free (self->document_id);
  g_free (self->excerpt);
  g_free (self->place);

  G_OBJECT_CLASS (wr_source_viewer_parent_class)->finalize (object);
}

static void
wr_source_viewer_class_init (WrSourceViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_source_viewer_dispose;
  object_class->finalize = wr_source_viewer_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/knowledge/wr-source-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, missing_revealer);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, missing_label);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, place_label);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, text_view);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, WrSourceViewer, position_label);

  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "viewer.open-file", NULL, open_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "viewer.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "viewer.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wr_source_viewer_init (WrSourceViewer *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "excerpt",
                              "background", "rgba(246, 211, 45, 0.45)",
                              "weight", PANGO_WEIGHT_BOLD,
                              NULL);
}

WrSourceViewer *
wr_source_viewer_new (WrStore    *store,
                      const char *document_id,
                      gint64      chunk_id,
                      const char *excerpt)
{
  WrSourceViewer *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (WR_IS_STORE (store), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  self = g_object_new (WR_TYPE_SOURCE_VIEWER, NULL);
  self->store = g_object_ref (store);
  self->document_id = g_strdup (document_id);
  self->chunk_id = chunk_id;
  self->excerpt = excerpt != NULL && excerpt[0] != '\0' ? g_strdup (excerpt) : NULL;
  self->loading = TRUE;

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  update_actions (self);

  task = g_task_new (self, self->cancellable, on_loaded_cb, NULL);
  g_task_set_source_tag (task, wr_source_viewer_new);
  g_task_run_in_thread (task, load_thread);

  return self;
}

WrSourceViewer *
wr_source_viewer_show_citation (GtkWidget        *parent,
                                WrStore          *store,
                                const WrCitation *citation)
{
  WrSourceViewer *self;
  GtkRoot *root;

  g_return_val_if_fail (citation != NULL, NULL);

  if (citation->document_id == NULL)
    return NULL;

  self = wr_source_viewer_new (store, citation->document_id, citation->chunk_id, citation->excerpt);
  root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self));

  return self;
}

/* Tests ------------------------------------------------------------------ */

gboolean
_wr_source_viewer_get_busy (WrSourceViewer *self)
{
  return self->loading || self->rendering;
}

const char *
_wr_source_viewer_get_mode (WrSourceViewer *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

int
_wr_source_viewer_get_page (WrSourceViewer *self)
{
  return self->page;
}

int
_wr_source_viewer_get_n_pages (WrSourceViewer *self)
{
  return is_pdf_view (self) ? self->n_pages : 0;
}

guint
_wr_source_viewer_get_chunk_index (WrSourceViewer *self)
{
  return self->chunk_index;
}

guint
_wr_source_viewer_get_n_chunks (WrSourceViewer *self)
{
  return self->chunks != NULL ? self->chunks->len : 0;
}

const char *
_wr_source_viewer_get_place (WrSourceViewer *self)
{
  return self->place;
}

char *
_wr_source_viewer_dup_text (WrSourceViewer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
_wr_source_viewer_dup_highlighted (WrSourceViewer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "excerpt");
  GtkTextIter start, end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_starts_tag (&start, tag) && !gtk_text_iter_forward_to_tag_toggle (&start, tag))
    return g_strdup ("");
  end = start;
  gtk_text_iter_forward_to_tag_toggle (&end, tag);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GdkTexture *
_wr_source_viewer_get_texture (WrSourceViewer *self)
{
  return self->texture;
}

gboolean
_wr_source_viewer_get_file_missing (WrSourceViewer *self)
{
  return self->file_missing;
}
