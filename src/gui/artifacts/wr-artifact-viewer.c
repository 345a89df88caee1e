/* wr-artifact-viewer.c — one artifact's content, by kind.
 *
 * Everything that blocks — reading the content, looking the table's
 * dataset up, building a chart from a dataset, extracting HTML text — runs
 * in one worker task per artifact shown; images are then decoded by
 * wr_thumbnail_new_async (also a worker) after a header size check. HTML
 * is only ever shown as source or as extracted text: nothing of it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "wr-artifact-viewer.h"
#include "wr-artifact-viewer-private.h"
#include "wr-artifact-html.h"
#include "wr-artifact-row.h"
#include "wr-chart-view.h"
#include "wr-dataset-row.h"
#include "wr-dataset-rows-model.h"
#include "wr-markdown-view.h"
#include "wr-mermaid-view.h"
#include "wr-thumbnail.h"
#include "data/wr-artifact-export.h"
#include "data/wr-chart.h"
#include "data/wr-dataset.h"

#define COLUMN_WIDTH 160
/* Images are shown scaled to fit this many pixels a side at most. */
#define IMAGE_MAX_SIDE 2048

struct _WrArtifactViewer
{
  AdwBin              parent_instance;

  WrStore            *store;          /* owned, nullable */
  WrArtifact         *artifact;       /* owned, nullable */
  GBytes             *data;           /* owned, nullable: the content shown */
  WrDatasetRowsModel *rows;           /* owned, nullable */
  GCancellable       *cancellable;    /* the artifact shown's loads */
  char               *error;
  WrArtifactOpenFunc  open_func;
  gpointer            open_data;
  gboolean            loading;

  /* template children */
  GtkStack           *stack;          /* the bin's child */
  AdwStatusPage      *error_page;
  WrMarkdownView     *markdown;
  GtkColumnView      *column_view;
  AdwBin             *chart_bin;
  GtkPicture         *picture;
  AdwStatusPage      *file_page;
  GtkToggleButton    *html_text_toggle;
  GtkStack           *html_stack;
  GtkSourceView      *html_source;
  GtkLabel           *html_text;
  GtkToggleButton    *mermaid_source_toggle;
  WrMermaidView      *mermaid_view;
  GtkWidget          *mermaid_source_window;
  GtkSourceView      *mermaid_source;
  GtkWidget          *chart_view;     /* in chart_bin */
};

G_DEFINE_FINAL_TYPE (WrArtifactViewer, wr_artifact_viewer, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the worker read for the viewer. */
typedef struct {
  WrArtifactKind  kind;
  char           *id;
  GBytes         *data;
  WrDatasetInfo  *dataset;        /* table: nullable when gone */
  WrChartSpec    *spec;           /* chart */
  char           *html_text;      /* html */
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->id, g_free);
  g_clear_pointer (&result->data, g_bytes_unref);
  g_clear_pointer (&result->dataset, wr_dataset_info_free);
  g_clear_pointer (&result->spec, wr_chart_spec_free);
  g_clear_pointer (&result->html_text, g_free);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, load_result_free)

/* Helpers */

static void
set_loading (WrArtifactViewer *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_error (WrArtifactViewer *self,
            const char       *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  adw_status_page_set_description (self->error_page, text);
  gtk_stack_set_visible_child_name (self->stack, "error");
  set_loading (self, FALSE);
}

static void
clear_columns (WrArtifactViewer *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  gtk_column_view_set_model (self->column_view, NULL);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
    }
  g_clear_object (&self->rows);
}

static void
set_text (GtkSourceView *view,
          const char    *text,
          gsize          length)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_text_buffer_set_text (buffer, text, (int) MIN (length, G_MAXINT));
}

static char *
dup_text (GtkSourceView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_style_scheme (WrArtifactViewer *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);
  GtkSourceView *views[] = { self->html_source, self->mermaid_source };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (views[i])));
      gtk_source_buffer_set_style_scheme (buffer, scheme);
    }
}

static void
setup_source_view (GtkSourceView *view,
                   const char    *language_id)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  g_autoptr(GtkSourceBuffer) buffer = NULL;
  GtkSourceLanguage *language = NULL;

  if (language_id != NULL)
    language = gtk_source_language_manager_get_language (languages, language_id);
  buffer = gtk_source_buffer_new (NULL);
  gtk_source_buffer_set_language (buffer, language);
  gtk_source_buffer_set_highlight_syntax (buffer, language != NULL);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (view), GTK_TEXT_BUFFER (buffer));
}

static const char *
dup_data_text (GBytes *data,
               gsize  *length)
{
  return data != NULL ? g_bytes_get_data (data, length) : (*length = 0, "");
}

/* Table */

static void
show_table (WrArtifactViewer    *self,
            const WrDatasetInfo *info)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *columns;

  clear_columns (self);
  if (info == NULL || g_strcmp0 (info->status, "ready") != 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "table-gone");
      return;
    }

  node = json_from_string (info->columns != NULL ? info->columns : "[]", NULL);
  columns = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; columns != NULL && i < json_array_get_length (columns); i++)
    {
      JsonObject *spec = json_array_get_object_element (columns, i);
      const char *name = spec != NULL ? json_object_get_string_member_with_default (spec, "name", "") : "";
      const char *type = spec != NULL ? json_object_get_string_member_with_default (spec, "type", "text") : "text";
      gboolean numeric = g_str_equal (type, "integer") || g_str_equal (type, "number");
      g_autoptr(GtkColumnViewColumn) column = NULL;
      GtkListItemFactory *factory = wr_dataset_row_cell_factory_new (i, numeric);

      column = gtk_column_view_column_new (name, factory);
      gtk_column_view_column_set_fixed_width (column, COLUMN_WIDTH);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }

  self->rows = wr_dataset_rows_model_new (self->store, info->id,
                                          (guint) CLAMP (info->row_count, 0, G_MAXUINT));
  gtk_column_view_set_model (self->column_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))));
  gtk_stack_set_visible_child_name (self->stack, "table");
}

/* Mermaid */

static void
update_mermaid (WrArtifactViewer *self)
{
  gboolean can_render = wr_mermaid_view_get_can_render (self->mermaid_view);
  gboolean show_source = gtk_toggle_button_get_active (self->mermaid_source_toggle);

  /* A diagram that cannot be drawn shows why (the view's message) above
   * its source. */
  gtk_widget_set_visible (GTK_WIDGET (self->mermaid_view), !show_source || !can_render);
  gtk_widget_set_vexpand (GTK_WIDGET (self->mermaid_view), can_render);
  gtk_widget_set_visible (self->mermaid_source_window, show_source || !can_render);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mermaid_source_toggle), can_render);
}

/* File */

static char *
describe_type (WrArtifactViewer *self)
{
  const char *mime = wr_artifact_get_mime_type (self->artifact);
  g_autofree char *guessed = NULL;
  g_autofree char *content_type = NULL;

  if (mime == NULL)
    {
      gsize length = 0;
      const guchar *bytes = self->data != NULL ? g_bytes_get_data (self->data, &length) : NULL;

      guessed = g_content_type_guess (wr_artifact_get_file_name (self->artifact), bytes, length, NULL);
      content_type = g_strdup (guessed);
    }
  else
    content_type = g_content_type_from_mime_type (mime);

  return g_content_type_get_description (content_type != NULL ? content_type : "application/octet-stream");
}

static void
show_file (WrArtifactViewer *self)
{
  const char *file_name = wr_artifact_get_file_name (self->artifact);
  g_autofree char *type = describe_type (self);
  g_autofree char *size = g_format_size ((guint64) MAX (wr_artifact_get_size (self->artifact), 0));
  g_autofree char *description = NULL;
  g_autoptr(GIcon) icon = NULL;
  const char *mime = wr_artifact_get_mime_type (self->artifact);

  /* Translators: a file artifact's details, "report.pdf — PDF document, 1.2 MB" */
  if (file_name != NULL && g_strcmp0 (file_name, wr_artifact_get_name (self->artifact)) != 0)
    description = g_strdup_printf (_("%s — %s, %s"), file_name, type, size);
  else
    /* Translators: a file artifact's details, "PDF document, 1.2 MB" */
    description = g_strdup_printf (_("%s, %s"), type, size);

  if (mime != NULL)
    {
      g_autofree char *content_type = g_content_type_from_mime_type (mime);
      if (content_type != NULL)
        icon = g_content_type_get_symbolic_icon (content_type);
    }
  adw_status_page_set_title (self->file_page, wr_artifact_get_name (self->artifact));
  adw_status_page_set_description (self->file_page, description);
  adw_status_page_set_icon_name (self->file_page, "text-x-generic-symbolic");
  if (icon != NULL && G_IS_THEMED_ICON (icon))
    {
      const char * const *names = g_themed_icon_get_names (G_THEMED_ICON (icon));
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        if (gtk_icon_theme_has_icon (theme, names[i]))
          {
            adw_status_page_set_icon_name (self->file_page, names[i]);
            break;
          }
    }
  gtk_stack_set_visible_child_name (self->stack, "file");
}

/* Worker threads */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrStore *store = WR_STORE (source_object);
  LoadResult *request = task_data;
  g_autoptr(LoadResult) result = g_new0 (LoadResult, 1);
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *text = NULL;
  const char *bytes;

  result->kind = request->kind;
  result->data = wr_store_get_artifact_data (store, request->id, &error);
  if (result->data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Stored content is not nul-terminated; parsers get a terminated copy. */
  bytes = g_bytes_get_data (result->data, &length);
  if (result->kind == WR_ARTIFACT_KIND_TABLE || result->kind == WR_ARTIFACT_KIND_CHART
      || result->kind == WR_ARTIFACT_KIND_HTML)
    text = g_strndup (bytes != NULL ? bytes : "", length);

  switch (result->kind)
    {
    case WR_ARTIFACT_KIND_TABLE:
      {
        g_autoptr(JsonNode) node = json_from_string (text[0] != '\0' ? text : "{}", NULL);
        const char *dataset_id = NULL;

        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          dataset_id = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                   "dataset_id", NULL);
        if (dataset_id != NULL)
          /* NOT_FOUND: deleted since; the viewer says so. */
          result->dataset = wr_dataset_get (store, dataset_id, NULL);
      }
      break;

    case WR_ARTIFACT_KIND_CHART:
      result->spec = wr_chart_spec_new_from_artifact (store, text, (gssize) strlen (text), &error);
      if (result->spec == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      break;

    case WR_ARTIFACT_KIND_HTML:
      result->html_text = _wr_artifact_html_extract_text (text, -1);
      break;

    case WR_ARTIFACT_KIND_REPORT:
    case WR_ARTIFACT_KIND_IMAGE:
    case WR_ARTIFACT_KIND_FILE:
    case WR_ARTIFACT_KIND_MERMAID:
    default:
      break;
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) load_result_free);
}

/* Writes the content to the cache's open/ folder; returns the GFile. */
static void
write_open_file_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GBytes *data = g_object_get_data (G_OBJECT (task), "data");
  const char *name = task_data;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "workroom", "open", NULL);
  g_autofree char *template = g_build_filename (dir, "XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *bytes = g_bytes_get_data (data, &length);

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_mkdtemp (template) == NULL)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not make a folder for the file: %s"), g_strerror (saved));
      return;
    }

  /* Each open gets its own folder, so the file keeps its own name. */
  path = g_build_filename (template, name, NULL);
  file = g_file_new_for_path (path);
  if (!g_file_replace_contents (file, bytes, length, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

/* Callbacks */

static void
on_image_decoded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WrArtifactViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = wr_thumbnail_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("This image cannot be shown: %s"), error->message);
      show_error (self, text);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  wr_artifact_get_name (self->artifact), -1);
  gtk_stack_set_visible_child_name (self->stack, "image");
  set_loading (self, FALSE);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(WrArtifactViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LoadResult) result = g_task_propagate_pointer (G_TASK (res), &error);
  gsize length = 0;
  const char *text;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->artifact == NULL)
    return;
  if (result == NULL)
    {
      g_autofree char *message = NULL;

      if (wr_artifact_get_kind (self->artifact) == WR_ARTIFACT_KIND_CHART)
        message = g_strdup_printf (_("This chart cannot be drawn: %s"), error->message);
      else
        message = g_strdup_printf (_("Could not read the artifact: %s"), error->message);
      show_error (self, message);
      return;
    }

  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = g_bytes_ref (result->data);
  text = dup_data_text (result->data, &length);

  switch (result->kind)
    {
    case WR_ARTIFACT_KIND_REPORT:
      {
        g_autofree char *copy = g_strndup (text, length);
        wr_markdown_view_set_text (self->markdown, copy, TRUE);
        gtk_stack_set_visible_child_name (self->stack, "report");
      }
      break;

    case WR_ARTIFACT_KIND_TABLE:
      show_table (self, result->dataset);
      break;

    case WR_ARTIFACT_KIND_CHART:
      wr_chart_view_set_spec (WR_CHART_VIEW (self->chart_view), g_steal_pointer (&result->spec));
      gtk_stack_set_visible_child_name (self->stack, "chart");
      break;

    case WR_ARTIFACT_KIND_IMAGE:
      {
        g_autoptr(GError) size_error = NULL;

        if (!wr_thumbnail_check_size (result->data, &size_error))
          {
            g_autofree char *message = g_strdup_printf (_("This image cannot be shown: %s"),
                                                        size_error->message);
            show_error (self, message);
            return;
          }
        wr_thumbnail_new_async (result->data, IMAGE_MAX_SIDE, self->cancellable,
                                on_image_decoded, g_object_ref (self));
      }
      return;   /* still loading */

    case WR_ARTIFACT_KIND_FILE:
      show_file (self);
      break;

    case WR_ARTIFACT_KIND_HTML:
      set_text (self->html_source, text, length);
      gtk_label_set_text (self->html_text, result->html_text);
      gtk_stack_set_visible_child_name (self->stack, "html");
      break;

    case WR_ARTIFACT_KIND_MERMAID:
      {
        g_autofree char *copy = g_strndup (text, length);

        set_text (self->mermaid_source, text, length);
        wr_mermaid_view_set_source (self->mermaid_view, copy);
        update_mermaid (self);
        gtk_stack_set_visible_child_name (self->stack, "mermaid");
      }
      break;

    default:
      show_error (self, _("This kind of artifact cannot be shown."));
      return;
    }
  set_loading (self, FALSE);
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WrArtifactViewer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("No app could open the file: %s"), error->message);
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
      else
        g_warning ("%s", text);
    }
}

static void
on_open_file_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrArtifactViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (file == NULL)
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
      return;
    }

  if (self->open_func != NULL)
    {
      self->open_func (file, self->open_data);
      return;
    }

  /* In a Flatpak this goes through the OpenURI portal. */
  uri = g_file_get_uri (file);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), self->cancellable,
                                           on_launched, g_object_ref (self));
}

static void
on_html_text_toggled_cb (WrArtifactViewer *self)
{
  gtk_stack_set_visible_child_name (self->html_stack,
                                    gtk_toggle_button_get_active (self->html_text_toggle) ? "text" : "source");
}

static void
on_mermaid_source_toggled_cb (WrArtifactViewer *self)
{
  update_mermaid (self);
}

/* Actions */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WrArtifactViewer *self = WR_ARTIFACT_VIEWER (widget);
  g_autoptr(GTask) task = NULL;
  g_autofree char *suggested = NULL;
  g_autofree char *name = NULL;

  if (self->artifact == NULL || self->data == NULL)
    return;

  suggested = wr_artifact_suggest_file_name (self->artifact);
  name = g_path_get_basename (suggested != NULL && suggested[0] != '\0' ? suggested : "file");
  if (g_str_equal (name, ".") || g_str_equal (name, "..") || g_str_equal (name, G_DIR_SEPARATOR_S))
    {
      g_free (name);
      name = g_strdup ("file");
    }

  task = g_task_new (NULL, self->cancellable, on_open_file_written, g_object_ref (self));
  g_task_set_source_tag (task, open_action);
  g_task_set_task_data (task, g_steal_pointer (&name), g_free);
  g_object_set_data_full (G_OBJECT (task), "data", g_bytes_ref (self->data), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_open_file_thread);
}

/* GObject */

static void
wr_artifact_viewer_dispose (GObject *object)
{
  WrArtifactViewer *self = WR_ARTIFACT_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->column_view != NULL)
    clear_columns (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_ARTIFACT_VIEWER);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->artifact);
  g_clear_object (&self->store);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (wr_artifact_viewer_parent_class)->dispose (object);
}

static void
wr_artifact_viewer_finalize (GObject *object)
{
  WrArtifactViewer *self = WR_ARTIFACT_VIEWER (object);

  g_free (self->error);

  G_OBJECT_CLASS (wr_artifact_viewer_parent_class)->finalize (object);
}

static void
wr_artifact_viewer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WrArtifactViewer *self = WR_ARTIFACT_VIEWER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_artifact_viewer_class_init (WrArtifactViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_artifact_viewer_dispose;
  object_class->finalize = wr_artifact_viewer_finalize;
  object_class->get_property = wr_artifact_viewer_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (WR_TYPE_MARKDOWN_VIEW);
  g_type_ensure (WR_TYPE_MERMAID_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/artifacts/wr-artifact-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, markdown);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, column_view);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, chart_bin);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, file_page);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, html_text_toggle);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, html_stack);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, html_source);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, html_text);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, mermaid_source_toggle);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, mermaid_view);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, mermaid_source_window);
  gtk_widget_class_bind_template_child (widget_class, WrArtifactViewer, mermaid_source);
  gtk_widget_class_bind_template_callback (widget_class, on_html_text_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_mermaid_source_toggled_cb);

  gtk_widget_class_install_action (widget_class, "viewer.open", NULL, open_action);
}

static void
wr_artifact_viewer_init (WrArtifactViewer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The template's root is the bin's child: not bound, or dispose_template
   * would unparent it under AdwBin's feet. */
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));

  self->chart_view = wr_chart_view_new ();
  adw_bin_set_child (self->chart_bin, self->chart_view);

  setup_source_view (self->html_source, "html");
  setup_source_view (self->mermaid_source, NULL);
  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mermaid_view, "notify::can-render",
                           G_CALLBACK (update_mermaid), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "none");
}

/* API */

GtkWidget *
wr_artifact_viewer_new (void)
{
  return g_object_new (WR_TYPE_ARTIFACT_VIEWER, NULL);
}

void
wr_artifact_viewer_set_artifact (WrArtifactViewer *self,
                                 WrStore          *store,
                                 WrArtifact       *artifact)
{
  g_autoptr(GTask) task = NULL;
  LoadResult *request;

  g_return_if_fail (WR_IS_ARTIFACT_VIEWER (self));
  g_return_if_fail (artifact == NULL || WR_IS_STORE (store));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->store, store);
  g_set_object (&self->artifact, artifact);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->error, g_free);
  clear_columns (self);
  gtk_picture_set_paintable (self->picture, NULL);
  /* Each artifact opens on its rendered form. */
  gtk_toggle_button_set_active (self->html_text_toggle, FALSE);
  gtk_toggle_button_set_active (self->mermaid_source_toggle, FALSE);

  if (artifact == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  set_loading (self, TRUE);

  request = g_new0 (LoadResult, 1);
  request->kind = wr_artifact_get_kind (artifact);
  request->id = g_strdup (wr_artifact_get_id (artifact));
  task = g_task_new (store, self->cancellable, on_loaded, g_object_ref (self));
  g_task_set_source_tag (task, wr_artifact_viewer_set_artifact);
  g_task_set_task_data (task, request, (GDestroyNotify) load_result_free);
  g_task_run_in_thread (task, load_thread);
}

WrArtifact *
wr_artifact_viewer_get_artifact (WrArtifactViewer *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT_VIEWER (self), NULL);
  return self->artifact;
}

gboolean
wr_artifact_viewer_get_loading (WrArtifactViewer *self)
{
  g_return_val_if_fail (WR_IS_ARTIFACT_VIEWER (self), FALSE);
  return self->loading;
}

/* Private (tests) */

const char *
_wr_artifact_viewer_get_page (WrArtifactViewer *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_wr_artifact_viewer_get_error (WrArtifactViewer *self)
{
  return self->error;
}

GtkWidget *
_wr_artifact_viewer_get_markdown_view (WrArtifactViewer *self)
{
  return GTK_WIDGET (self->markdown);
}

GtkColumnView *
_wr_artifact_viewer_get_column_view (WrArtifactViewer *self)
{
  return self->column_view;
}

GtkWidget *
_wr_artifact_viewer_get_chart_view (WrArtifactViewer *self)
{
  return self->chart_view;
}

GtkPicture *
_wr_artifact_viewer_get_picture (WrArtifactViewer *self)
{
  return self->picture;
}

char *
_wr_artifact_viewer_dup_html_source (WrArtifactViewer *self)
{
  return dup_text (self->html_source);
}

char *
_wr_artifact_viewer_dup_html_text (WrArtifactViewer *self)
{
  return g_strdup (gtk_label_get_text (self->html_text));
}

void
_wr_artifact_viewer_set_show_text (WrArtifactViewer *self,
                                   gboolean          show_text)
{
  gtk_toggle_button_set_active (self->html_text_toggle, show_text);
}

GtkWidget *
_wr_artifact_viewer_get_mermaid_view (WrArtifactViewer *self)
{
  return GTK_WIDGET (self->mermaid_view);
}

char *
_wr_artifact_viewer_dup_mermaid_source (WrArtifactViewer *self)
{
  return dup_text (self->mermaid_source);
}

gboolean
_wr_artifact_viewer_get_show_source (WrArtifactViewer *self)
{
  return gtk_widget_get_visible (self->mermaid_source_window);
}

void
_wr_artifact_viewer_set_show_source (WrArtifactViewer *self,
                                     gboolean          show_source)
{
  gtk_toggle_button_set_active (self->mermaid_source_toggle, show_source);
}

void
_wr_artifact_viewer_set_open_func (WrArtifactViewer   *self,
                                   WrArtifactOpenFunc  func,
                                   gpointer            user_data)
{
  self->open_func = func;
  self->open_data = user_data;
}

const char *
_wr_artifact_viewer_get_file_title (WrArtifactViewer *self)
{
  return adw_status_page_get_title (self->file_page);
}
