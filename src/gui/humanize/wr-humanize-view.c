/* wr-humanize-view.c — the Humanize page.
 *
 * Two panes: the text with the tone and model choices and Rewrite, and the
 * rewrite with Copy, Replace and the recent rewrites. Side by side when
 * the page is wide, one above the other when it is narrow (the box's
 * orientation follows the allocated width). Tones and history load
 * asynchronously with cancellables that dispose cancels, models come from
 * the session's model catalogue; the rewrite streams into the output once
 * per frame. */
#include <glib/gi18n.h>

#include "wr-humanize-view.h"
#include "wr-humanize-view-private.h"
#include "wr-humanize-history-row.h"
#include "wr-humanize-tone-dialog.h"
#include "wr-gui-util.h"

/* Below this width the panes are stacked. */
#define WIDE_WIDTH 760

struct _WrHumanizeView
{
  AdwBin              parent_instance;

  WrSession          *session;              /* owned */
  WrProject          *project;              /* owned, nullable */
  GListStore         *tones;                /* WrHumanizeTone */
  GtkStringList      *models;               /* "Default", then the providers' models */
  GListStore         *history;              /* WrHumanizeRewrite, newest first */

  GCancellable       *cancellable;          /* the view's lifetime */
  GCancellable       *history_cancellable;  /* loading the project's history */
  GCancellable       *rewrite_cancellable;  /* nullable: the streaming rewrite */

  GString            *pending;              /* streamed, not yet in the output */
  guint               flush_tick_id;
  char               *rewrite_project_id;   /* where the streaming rewrite goes */
  char               *select_tone_id;       /* to select once tones are loaded */
  char               *wanted_model;         /* to select once a provider offers it */
  guint               loading_tones : 1;
  guint               loading_history : 1;
  guint               rebuilding_models : 1;
  guint               wide : 1;
  guint               disposed : 1;

  /* template children (the AdwBin's own child, the toast overlay, is not
   * bound: AdwBin unparents it, dispose_template() must not) */
  GtkStack           *main_stack;
  GtkBox             *content_box;
  GtkTextView        *input_view;
  GtkWidget          *input_placeholder;
  AdwComboRow        *tone_row;
  AdwComboRow        *model_row;
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  GtkStack           *rewrite_stack;
  GtkLabel           *output_info;
  GtkTextView        *output_view;
  GtkWidget          *output_placeholder;
  GtkStack           *history_stack;
  GtkListView        *history_list;
};

G_DEFINE_FINAL_TYPE (WrHumanizeView, wr_humanize_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static WrHumanizer *
get_humanizer (WrHumanizeView *self)
{
  return wr_session_get_humanizer (self->session);
}

static WrProviderRegistry *
get_providers (WrHumanizeView *self)
{
  return wr_session_get_providers (self->session);
}

static const char *
project_id (WrHumanizeView *self)
{
  return self->project != NULL ? wr_project_get_id (self->project) : NULL;
}

static char *
dup_buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
input_is_blank (WrHumanizeView *self)
{
  g_autofree char *text = dup_buffer_text (self->input_view);

  return g_strstrip (text)[0] == '\0';
}

static gboolean
is_busy (WrHumanizeView *self)
{
  return self->rewrite_cancellable != NULL;
}

static WrHumanizeTone *
selected_tone (WrHumanizeView *self)
{
  return adw_combo_row_get_selected_item (self->tone_row);
}

/* NULL for "Default". */
static const char *
selected_model (WrHumanizeView *self)
{
  guint position = adw_combo_row_get_selected (self->model_row);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  return gtk_string_list_get_string (self->models, position);
}

static void
toast (WrHumanizeView *self,
       const char     *text)
{
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self))),
                               adw_toast_new (text));
}

static void
show_error (WrHumanizeView *self,
            const char     *text)
{
  gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
hide_error (WrHumanizeView *self)
{
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

/* State to widgets */

/* Which of the page's actions can run now, by name (without "humanize."). */
static gboolean
action_enabled (WrHumanizeView *self,
                const char     *name)
{
  WrHumanizeTone *tone = selected_tone (self);
  gboolean busy = is_busy (self);
  gboolean has_output = gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->output_view)) > 0;
  gboolean user_tone = tone != NULL && !wr_humanize_tone_get_builtin (tone);

  if (g_str_equal (name, "rewrite"))
    return !busy && tone != NULL && !input_is_blank (self);
  if (g_str_equal (name, "stop"))
    return busy;
  if (g_str_equal (name, "copy") || g_str_equal (name, "replace"))
    return !busy && has_output;
  if (g_str_equal (name, "edit-tone") || g_str_equal (name, "delete-tone"))
    return user_tone;
  if (g_str_equal (name, "clear-history"))
    return g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0;

  return TRUE;
}

static void
update_actions (WrHumanizeView *self)
{
  static const char * const names[] = {
    "rewrite", "stop", "copy", "replace", "edit-tone", "delete-tone", "clear-history",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *action = g_strconcat ("humanize.", names[i], NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), action, action_enabled (self, names[i]));
    }

  gtk_stack_set_visible_child_name (self->rewrite_stack, is_busy (self) ? "stop" : "rewrite");
}

static void
update_pages (WrHumanizeView *self)
{
  gtk_stack_set_visible_child_name (self->main_stack,
                                    wr_provider_registry_is_empty (get_providers (self))
                                    ? "onboarding" : "humanize");
  gtk_stack_set_visible_child_name (self->history_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0
                                    ? "list" : "empty");
  update_actions (self);
}

static void
set_output_info (WrHumanizeView    *self,
                 WrHumanizeRewrite *rewrite)
{
  g_autofree char *caption = NULL;
  g_autofree char *text = NULL;
  const char *model;

  if (rewrite == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->output_info), FALSE);
      return;
    }

  caption = wr_humanize_history_row_format_caption (rewrite);
  model = wr_humanize_rewrite_get_model (rewrite);
  /* Translators: "Caring · 14:02 · gpt-4o-mini" */
  text = model != NULL ? g_strdup_printf (_("%s · %s"), caption, model) : g_strdup (caption);
  gtk_label_set_text (self->output_info, text);
  gtk_widget_set_visible (GTK_WIDGET (self->output_info), TRUE);
}

static void
set_output (WrHumanizeView *self,
            const char     *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view), text, -1);
}

/* Streaming */

static void
flush_pending (WrHumanizeView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  GtkTextIter end;

  if (self->pending->len == 0)
    return;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, self->pending->str, (int) self->pending->len);
  g_string_truncate (self->pending, 0);
}

static gboolean
on_flush_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (user_data);

  self->flush_tick_id = 0;
  flush_pending (self);
  return G_SOURCE_REMOVE;
}

static void
on_delta (const char *text,
          gsize       len,
          gpointer    user_data)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (user_data);

  if (self->disposed)
    return;

  /* Pieces arrive far more often than frames: insert once per frame. */
  g_string_append_len (self->pending, text, len);
  if (self->flush_tick_id == 0)
    self->flush_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->output_view),
                                                        on_flush_tick_cb, self, NULL);
}

static void
cancel_flush (WrHumanizeView *self)
{
  if (self->flush_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->output_view), self->flush_tick_id);
      self->flush_tick_id = 0;
    }
}

static void
add_to_history (WrHumanizeView    *self,
                WrHumanizeRewrite *rewrite)
{
  guint n;

  g_list_store_insert (self->history, 0, rewrite);
  while ((n = g_list_model_get_n_items (G_LIST_MODEL (self->history))) > WR_HUMANIZER_HISTORY_SIZE)
    g_list_store_remove (self->history, n - 1);
}

static void
on_rewrite_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(WrHumanizeRewrite) rewrite = NULL;
  g_autoptr(WrHumanizeRewrite) partial = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rewrite_project = NULL;
  WrHumanizeRewrite *shown;

  rewrite = wr_humanizer_rewrite_finish (WR_HUMANIZER (object), result, &partial, &error);

  if (self->disposed)
    return;

  cancel_flush (self);
  flush_pending (self);
  g_clear_object (&self->rewrite_cancellable);
  rewrite_project = g_steal_pointer (&self->rewrite_project_id);

  shown = rewrite != NULL ? rewrite : partial;
  if (shown != NULL)
    {
      /* The stored text is the reference (a server may send the answer in
       * one piece the stream never saw). */
      set_output (self, wr_humanize_rewrite_get_output (shown));
      set_output_info (self, shown);
      if (g_strcmp0 (rewrite_project, project_id (self)) == 0)
        add_to_history (self, shown);
    }

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, partial != NULL ? _("Stopped. The partial rewrite was kept.")
                                     : _("Stopped before the model answered."));
      else if (partial != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The rewrite stopped part way; what arrived was kept. %s"),
                                                   error->message);
          show_error (self, text);
        }
      else
        show_error (self, error->message);
    }

  update_pages (self);
}

/* Tones */

static void
select_tone_id (WrHumanizeView *self,
                const char     *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tones));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrHumanizeTone) tone = g_list_model_get_item (G_LIST_MODEL (self->tones), i);

      if (g_strcmp0 (wr_humanize_tone_get_id (tone), id) == 0)
        {
          adw_combo_row_set_selected (self->tone_row, i);
          return;
        }
    }

  if (n > 0)
    adw_combo_row_set_selected (self->tone_row, 0);
}

static void
on_tones_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GPtrArray) tones = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *select_id = NULL;

  tones = wr_humanizer_list_tones_finish (WR_HUMANIZER (object), result, &error);
  if (self->disposed)
    return;

  self->loading_tones = FALSE;
  select_id = g_steal_pointer (&self->select_tone_id);

  if (tones == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      update_actions (self);
      return;
    }

  if (select_id == NULL && selected_tone (self) != NULL)
    select_id = g_strdup (wr_humanize_tone_get_id (selected_tone (self)));

  g_list_store_splice (self->tones, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tones)),
                       tones->pdata, tones->len);
  select_tone_id (self, select_id != NULL ? select_id : WR_HUMANIZE_TONE_PROFESSIONAL);
  update_actions (self);
}

static void
load_tones (WrHumanizeView *self,
            const char     *select_id)
{
  g_free (self->select_tone_id);
  self->select_tone_id = g_strdup (select_id);
  self->loading_tones = TRUE;
  wr_humanizer_list_tones_async (get_humanizer (self), self->cancellable,
                                 on_tones_loaded_cb, g_object_ref (self));
}

static char *
transform_tone_name (WrHumanizeTone *tone)
{
  return g_strdup (tone != NULL ? wr_humanize_tone_get_name (tone) : "");
}

/* Models: "Default", then the available chat models of the catalogue
 * (each name once: the router picks the provider). */

static void
rebuild_models (WrHumanizeView *self)
{
  GListModel *catalog = G_LIST_MODEL (wr_session_get_model_catalog (self->session));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *keep = NULL;
  guint n = g_list_model_get_n_items (catalog);
  guint selected = 0;

  keep = g_strdup (selected_model (self) != NULL ? selected_model (self) : self->wanted_model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrModelInfo) info = g_list_model_get_item (catalog, i);
      const char *name = wr_model_info_get_name (info);

      if (!wr_model_info_get_available (info) ||
          !wr_model_info_has_capability (info, WR_MODEL_CAPABILITY_CHAT) ||
          g_hash_table_contains (seen, name))
        continue;

      g_ptr_array_add (names, g_strdup (name));
      g_hash_table_add (seen, g_ptr_array_index (names, names->len - 1));
      if (g_strcmp0 (name, keep) == 0)
        selected = names->len;
    }
  g_ptr_array_add (names, NULL);

  self->rebuilding_models = TRUE;
  adw_combo_row_set_selected (self->model_row, 0);
  gtk_string_list_splice (self->models, 1, g_list_model_get_n_items (G_LIST_MODEL (self->models)) - 1,
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->model_row, selected);
  self->rebuilding_models = FALSE;

  /* A choice no provider offers now is remembered for when one does. */
  if (selected == 0 && keep != NULL)
    {
      g_free (self->wanted_model);
      self->wanted_model = g_steal_pointer (&keep);
    }
  else
    g_clear_pointer (&self->wanted_model, g_free);
}

static void
on_catalog_refreshed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self G_GNUC_UNUSED = user_data;
  g_autoptr(GError) error = NULL;

  /* Unreachable providers are not errors; their models are just not
   * offered, and "Default" still works. */
  if (!wr_model_catalog_refresh_finish (WR_MODEL_CATALOG (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not list the models: %s", error->message);
}

static void
refresh_models (WrHumanizeView *self)
{
  wr_model_catalog_refresh_async (wr_session_get_model_catalog (self->session), self->cancellable,
                                  on_catalog_refreshed_cb, g_object_ref (self));
}

static void
on_model_selected_cb (WrHumanizeView *self)
{
  /* The user's choice wins over one remembered across a refresh. */
  if (!self->rebuilding_models)
    g_clear_pointer (&self->wanted_model, g_free);
}

/* History */

static void
on_history_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GPtrArray) rewrites = NULL;
  g_autoptr(GError) error = NULL;

  rewrites = wr_humanizer_list_rewrites_finish (WR_HUMANIZER (object), result, &error);
  if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_history = FALSE;
  if (rewrites == NULL)
    toast (self, error->message);
  else
    g_list_store_splice (self->history, 0, g_list_model_get_n_items (G_LIST_MODEL (self->history)),
                         rewrites->pdata, rewrites->len);

  update_pages (self);
}

static void
load_history (WrHumanizeView *self)
{
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  self->history_cancellable = g_cancellable_new ();

  g_list_store_remove_all (self->history);
  self->loading_history = TRUE;
  update_pages (self);

  wr_humanizer_list_rewrites_async (get_humanizer (self), project_id (self), WR_HUMANIZER_HISTORY_SIZE,
                                    self->history_cancellable, on_history_loaded_cb, g_object_ref (self));
}

static void
on_history_activate_cb (WrHumanizeView *self,
                        guint           position,
                        GtkListView    *list)
{
  g_autoptr(WrHumanizeRewrite) rewrite = g_list_model_get_item (G_LIST_MODEL (self->history), position);

  /* The streaming rewrite keeps the output until it is done. */
  if (rewrite == NULL || is_busy (self))
    return;

  set_output (self, wr_humanize_rewrite_get_output (rewrite));
  set_output_info (self, rewrite);
  hide_error (self);
  update_actions (self);
}

static void
on_history_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  gtk_list_item_set_child (item, wr_humanize_history_row_new ());
}

static void
on_history_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  wr_humanize_history_row_bind (WR_HUMANIZE_HISTORY_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
on_history_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  wr_humanize_history_row_bind (WR_HUMANIZE_HISTORY_ROW (gtk_list_item_get_child (item)), NULL);
}

/* Callbacks */

static void
on_input_changed_cb (WrHumanizeView *self,
                     GtkTextBuffer  *buffer)
{
  gtk_widget_set_visible (self->input_placeholder, gtk_text_buffer_get_char_count (buffer) == 0);
  update_actions (self);
}

static void
on_output_changed_cb (WrHumanizeView *self,
                      GtkTextBuffer  *buffer)
{
  gtk_widget_set_visible (self->output_placeholder, gtk_text_buffer_get_char_count (buffer) == 0);
}

static gboolean
on_input_key_pressed_cb (WrHumanizeView        *self,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         GtkEventControllerKey *controller)
{
  /* Before the text view turns Ctrl+Enter into a new line. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & GDK_CONTROL_MASK) != 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "humanize.rewrite", NULL);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_error_dismiss_clicked_cb (WrHumanizeView *self,
                             GtkButton      *button)
{
  hide_error (self);
}

static void
on_providers_changed_cb (WrHumanizeView *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         GListModel     *model)
{
  update_pages (self);
  refresh_models (self);
}

/* Actions */

static void
rewrite_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  WrHumanizeTone *tone = selected_tone (self);
  g_autofree char *text = NULL;

  if (is_busy (self) || tone == NULL || input_is_blank (self))
    return;

  text = dup_buffer_text (self->input_view);

  hide_error (self);
  cancel_flush (self);
  g_string_truncate (self->pending, 0);
  set_output (self, "");
  set_output_info (self, NULL);

  self->rewrite_cancellable = g_cancellable_new ();
  g_free (self->rewrite_project_id);
  self->rewrite_project_id = g_strdup (project_id (self));

  wr_humanizer_rewrite_async (get_humanizer (self), project_id (self), text,
                              wr_humanize_tone_get_id (tone), selected_model (self),
                              on_delta, self, self->rewrite_cancellable,
                              on_rewrite_done_cb, g_object_ref (self));
  update_actions (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);

  if (self->rewrite_cancellable != NULL)
    g_cancellable_cancel (self->rewrite_cancellable);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  g_autofree char *text = dup_buffer_text (self->output_view);

  if (text[0] == '\0')
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Rewrite copied"));
}

static void
replace_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  g_autofree char *text = dup_buffer_text (self->output_view);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (text[0] == '\0' || is_busy (self))
    return;

  /* One user action (not set_text, which is irreversible), so Ctrl+Z in
   * the text brings the old text back. */
  buffer = gtk_text_view_get_buffer (self->input_view);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  gtk_widget_grab_focus (GTK_WIDGET (self->input_view));
}

static void
tone_saved (WrHumanizeView *self,
            WrHumanizeTone *tone,
            GError         *error)
{
  if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (tone == NULL)
    {
      toast (self, error->message);
      return;
    }

  load_tones (self, wr_humanize_tone_get_id (tone));
}

static void
on_tone_added_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrHumanizeTone) tone = wr_humanizer_add_tone_finish (WR_HUMANIZER (object), result, &error);

  tone_saved (self, tone, error);
}

static void
on_tone_updated_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WrHumanizeTone) tone = wr_humanizer_update_tone_finish (WR_HUMANIZER (object), result, &error);

  tone_saved (self, tone, error);
}

static void
on_tone_dialog_response_cb (WrHumanizeView       *self,
                            const char           *response,
                            WrHumanizeToneDialog *dialog)
{
  g_autofree char *name = NULL;
  g_autofree char *instructions = NULL;
  WrHumanizeTone *tone;

  if (g_strcmp0 (response, "save") != 0)
    return;

  name = wr_humanize_tone_dialog_dup_name (dialog);
  instructions = wr_humanize_tone_dialog_dup_instructions (dialog);
  tone = wr_humanize_tone_dialog_get_tone (dialog);

  if (tone == NULL)
    wr_humanizer_add_tone_async (get_humanizer (self), name, instructions, self->cancellable,
                                 on_tone_added_cb, g_object_ref (self));
  else
    wr_humanizer_update_tone_async (get_humanizer (self), wr_humanize_tone_get_id (tone), name,
                                    instructions, self->cancellable, on_tone_updated_cb,
                                    g_object_ref (self));
}

static void
present_tone_dialog (WrHumanizeView *self,
                     WrHumanizeTone *tone)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = wr_humanize_tone_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        G_LIST_MODEL (self->tones), tone);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_tone_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_tone_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  present_tone_dialog (WR_HUMANIZE_VIEW (widget), NULL);
}

static void
edit_tone_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  WrHumanizeTone *tone = selected_tone (self);

  if (tone != NULL && !wr_humanize_tone_get_builtin (tone))
    present_tone_dialog (self, tone);
}

static void
on_tone_deleted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_humanizer_delete_tone_finish (WR_HUMANIZER (object), result, &error))
    {
      if (!self->disposed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  if (!self->disposed)
    load_tones (self, WR_HUMANIZE_TONE_PROFESSIONAL);
}

static void
on_delete_tone_response_cb (WrHumanizeView   *self,
                            const char       *response,
                            AdwMessageDialog *dialog)
{
  WrHumanizeTone *tone = g_object_get_data (G_OBJECT (dialog), "tone");

  if (g_strcmp0 (response, "delete") == 0 && tone != NULL)
    wr_humanizer_delete_tone_async (get_humanizer (self), wr_humanize_tone_get_id (tone),
                                    self->cancellable, on_tone_deleted_cb, g_object_ref (self));
}

static void
delete_tone_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  WrHumanizeTone *tone = selected_tone (self);
  GtkWidget *dialog;

  if (tone == NULL || wr_humanize_tone_get_builtin (tone))
    return;

  dialog = wr_gui_confirm_dialog_new (widget, _("Delete Tone?"), NULL, "delete", _("_Delete"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will no longer be offered. Rewrites made in it stay in the list."),
                                  wr_humanize_tone_get_name (tone));
  g_object_set_data_full (G_OBJECT (dialog), "tone", g_object_ref (tone), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_tone_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_rewrite (WrHumanizeView *self,
                const char     *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrHumanizeRewrite) rewrite = g_list_model_get_item (G_LIST_MODEL (self->history), i);

      if (g_strcmp0 (wr_humanize_rewrite_get_id (rewrite), id) == 0)
        {
          g_list_store_remove (self->history, i);
          return;
        }
    }
}

static void
on_rewrite_deleted_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Already gone from the list; put it back if it is still stored. */
  if (!wr_humanizer_delete_rewrite_finish (WR_HUMANIZER (object), result, &error) &&
      !g_error_matches (error, WR_HUMANIZER_ERROR, WR_HUMANIZER_ERROR_NOT_FOUND) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !self->disposed)
    {
      toast (self, error->message);
      load_history (self);
    }
}

static void
delete_rewrite_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  wr_humanizer_delete_rewrite_async (get_humanizer (self), id, self->cancellable,
                                     on_rewrite_deleted_cb, g_object_ref (self));
  /* Gone from the list at once: deleting is quick, and the row's button
   * must not be pressed twice. */
  remove_rewrite (self, id);
  update_pages (self);
}

static void
on_history_cleared_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(WrHumanizeView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wr_humanizer_clear_rewrites_finish (WR_HUMANIZER (object), result, &error))
    {
      if (!self->disposed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          toast (self, error->message);
          load_history (self);
        }
    }
}

static void
on_clear_response_cb (WrHumanizeView   *self,
                      const char       *response,
                      AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "clear") != 0)
    return;

  wr_humanizer_clear_rewrites_async (get_humanizer (self), project_id (self), self->cancellable,
                                     on_history_cleared_cb, g_object_ref (self));
  g_list_store_remove_all (self->history);
  update_pages (self);
}

static void
clear_history_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  GtkWidget *dialog;

  dialog = wr_gui_confirm_dialog_new (widget, _("Clear Recent Rewrites?"),
                                      _("The rewrites listed here will be deleted. Your text and the rewrite on screen stay."),
                                      "clear", _("C_lear"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_clear_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GtkWidget: the view lays its child out itself (not with AdwBin's
 * layout manager) to see its width before the child is allocated. */

static void
wr_humanize_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural,
                        minimum_baseline, natural_baseline);
}

static void
wr_humanize_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean wide = width >= WIDE_WIDTH;

  /* Decided before the child is allocated, so it gets this very
   * allocation in the new orientation. */
  if (wide != self->wide)
    {
      self->wide = wide;
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->content_box),
                                      wide ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
      gtk_box_set_homogeneous (self->content_box, wide);
    }

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

/* GObject */

static void
wr_humanize_view_constructed (GObject *object)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (object);
  WrModelCatalog *catalog;

  G_OBJECT_CLASS (wr_humanize_view_parent_class)->constructed (object);

  g_assert (WR_IS_SESSION (self->session));

  g_signal_connect_object (get_providers (self), "items-changed",
                           G_CALLBACK (on_providers_changed_cb), self, G_CONNECT_SWAPPED);
  catalog = wr_session_get_model_catalog (self->session);
  g_signal_connect_object (catalog, "items-changed",
                           G_CALLBACK (rebuild_models), self, G_CONNECT_SWAPPED);

  load_tones (self, NULL);
  rebuild_models (self);
  if (wr_model_catalog_get_refreshed_at (catalog) == 0 && !wr_model_catalog_get_refreshing (catalog))
    refresh_models (self);
  load_history (self);
}

static void
wr_humanize_view_dispose (GObject *object)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->history_cancellable);
  if (self->rewrite_cancellable != NULL)
    g_cancellable_cancel (self->rewrite_cancellable);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (get_providers (self), self);
      g_signal_handlers_disconnect_by_data (wr_session_get_model_catalog (self->session), self);
    }

  cancel_flush (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_HUMANIZE_VIEW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_object (&self->rewrite_cancellable);
  g_clear_object (&self->tones);
  g_clear_object (&self->models);
  g_clear_object (&self->history);
  g_clear_object (&self->project);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_humanize_view_parent_class)->dispose (object);
}

static void
wr_humanize_view_finalize (GObject *object)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (object);

  g_string_free (self->pending, TRUE);
  g_free (self->rewrite_project_id);
  g_free (self->select_tone_id);
  g_free (self->wanted_model);

  G_OBJECT_CLASS (wr_humanize_view_parent_class)->finalize (object);
}

static void
wr_humanize_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (object);

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
wr_humanize_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WrHumanizeView *self = WR_HUMANIZE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROJECT:
      wr_humanize_view_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_humanize_view_class_init (WrHumanizeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wr_humanize_view_constructed;
  object_class->dispose = wr_humanize_view_dispose;
  object_class->finalize = wr_humanize_view_finalize;
  object_class->get_property = wr_humanize_view_get_property;
  object_class->set_property = wr_humanize_view_set_property;

  widget_class->measure = wr_humanize_view_measure;
  widget_class->size_allocate = wr_humanize_view_size_allocate;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, WR_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, WR_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/humanize/wr-humanize-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, content_box);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, input_view);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, input_placeholder);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, tone_row);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, model_row);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, error_label);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, rewrite_stack);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, output_info);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, output_view);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, output_placeholder);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, history_stack);
  gtk_widget_class_bind_template_child (widget_class, WrHumanizeView, history_list);
  gtk_widget_class_bind_template_callback (widget_class, on_error_dismiss_clicked_cb);

  gtk_widget_class_install_action (widget_class, "humanize.rewrite", NULL, rewrite_action);
  gtk_widget_class_install_action (widget_class, "humanize.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "humanize.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "humanize.replace", NULL, replace_action);
  gtk_widget_class_install_action (widget_class, "humanize.add-tone", NULL, add_tone_action);
  gtk_widget_class_install_action (widget_class, "humanize.edit-tone", NULL, edit_tone_action);
  gtk_widget_class_install_action (widget_class, "humanize.delete-tone", NULL, delete_tone_action);
  gtk_widget_class_install_action (widget_class, "humanize.delete-rewrite", "s", delete_rewrite_action);
  gtk_widget_class_install_action (widget_class, "humanize.clear-history", NULL, clear_history_action);

  /* Ctrl+Enter rewrites wherever the focus is in the page; Escape stops a
   * rewrite (when none streams the action is disabled and the key goes
   * on). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "humanize.rewrite", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "humanize.rewrite", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "humanize.stop", NULL);

  gtk_widget_class_set_css_name (widget_class, "humanizeview");
}

static void
wr_humanize_view_init (WrHumanizeView *self)
{
  GtkListItemFactory *factory;
  GtkEventController *keys;
  g_autoptr(GtkExpression) name_expression = NULL;
  const char *default_model[] = { NULL, NULL };

  wr_gui_load_css_resource ("/io/github/workroom/Workroom/humanize/humanize.css");
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->history_cancellable = g_cancellable_new ();
  self->pending = g_string_new (NULL);

  /* Tones */
  self->tones = g_list_store_new (WR_TYPE_HUMANIZE_TONE);
  name_expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                 G_CALLBACK (transform_tone_name), NULL, NULL);
  adw_combo_row_set_expression (self->tone_row, name_expression);
  adw_combo_row_set_model (self->tone_row, G_LIST_MODEL (self->tones));
  g_signal_connect_object (self->tone_row, "notify::selected",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  /* Models */
  default_model[0] = _("Default");
  self->models = gtk_string_list_new (default_model);
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (self->models));
  g_signal_connect_object (self->model_row, "notify::selected",
                           G_CALLBACK (on_model_selected_cb), self, G_CONNECT_SWAPPED);

  /* History */
  self->history = g_list_store_new (WR_TYPE_HUMANIZE_REWRITE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_history_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_history_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_history_unbind_cb), NULL);
  gtk_list_view_set_factory (self->history_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->history_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->history)))));
  g_signal_connect_object (self->history_list, "activate",
                           G_CALLBACK (on_history_activate_cb), self, G_CONNECT_SWAPPED);

  /* Text */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_input_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->input_view), keys);
  g_signal_connect_object (gtk_text_view_get_buffer (self->input_view), "changed",
                           G_CALLBACK (on_input_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->output_view), "changed",
                           G_CALLBACK (on_output_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->output_view), "changed",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);

  update_actions (self);
}

/* API */

GtkWidget *
wr_humanize_view_new (WrSession *session)
{
  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  return g_object_new (WR_TYPE_HUMANIZE_VIEW, "session", session, NULL);
}

void
wr_humanize_view_set_project (WrHumanizeView *self,
                              WrProject      *project)
{
  g_return_if_fail (WR_IS_HUMANIZE_VIEW (self));
  g_return_if_fail (project == NULL || WR_IS_PROJECT (project));

  if (self->project == project ||
      (self->project != NULL && project != NULL &&
       g_strcmp0 (wr_project_get_id (self->project), wr_project_get_id (project)) == 0))
    {
      g_set_object (&self->project, project);
      return;
    }

  g_set_object (&self->project, project);
  hide_error (self);
  if (self->session != NULL)
    load_history (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

WrProject *
wr_humanize_view_get_project (WrHumanizeView *self)
{
  g_return_val_if_fail (WR_IS_HUMANIZE_VIEW (self), NULL);
  return self->project;
}

void
wr_humanize_view_focus_input (WrHumanizeView *self)
{
  g_return_if_fail (WR_IS_HUMANIZE_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->input_view));
}

/* Private, for tests */

GtkTextView *
_wr_humanize_view_get_input (WrHumanizeView *self)
{
  return self->input_view;
}

GtkTextView *
_wr_humanize_view_get_output (WrHumanizeView *self)
{
  return self->output_view;
}

AdwComboRow *
_wr_humanize_view_get_tone_row (WrHumanizeView *self)
{
  return self->tone_row;
}

AdwComboRow *
_wr_humanize_view_get_model_row (WrHumanizeView *self)
{
  return self->model_row;
}

GtkWidget *
_wr_humanize_view_get_history_list (WrHumanizeView *self)
{
  return GTK_WIDGET (self->history_list);
}

GListModel *
_wr_humanize_view_get_tones (WrHumanizeView *self)
{
  return G_LIST_MODEL (self->tones);
}

GListModel *
_wr_humanize_view_get_models (WrHumanizeView *self)
{
  return G_LIST_MODEL (self->models);
}

GListModel *
_wr_humanize_view_get_history (WrHumanizeView *self)
{
  return G_LIST_MODEL (self->history);
}

gboolean
_wr_humanize_view_get_busy (WrHumanizeView *self)
{
  return is_busy (self);
}

gboolean
_wr_humanize_view_get_loading (WrHumanizeView *self)
{
  return self->loading_tones || self->loading_history;
}

const char *
_wr_humanize_view_get_error (WrHumanizeView *self)
{
  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

gboolean
_wr_humanize_view_action_enabled (WrHumanizeView *self,
                                  const char     *name)
{
  return action_enabled (self, name);
}

gboolean
_wr_humanize_view_get_wide (WrHumanizeView *self)
{
  return self->wide;
}
