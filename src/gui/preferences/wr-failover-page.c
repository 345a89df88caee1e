/* wr-failover-page.c — the failover chains, edited and saved as you go.
 *
 * The rows hold the chains as edited; after each edit every chain is
 * checked through WrFailoverPolicy (the same validation the router and the
 * JSON reader use) and the chains are saved in order. A chain that is not
 * valid says why in its row and stays in effect as it was last saved (a new
 * one: not at all), so a half-typed chain neither holds back the others nor
 * switches its own failover off. */
#include <glib/gi18n.h>

#include "wr-failover-page.h"
#include "wr-failover-page-private.h"

/* Typing pauses this long before the chains are saved. */
#define SAVE_DELAY_MS 500

struct _WrFailoverPage
{
  AdwPreferencesPage   parent_instance;

  WrSession           *session;      /* owned */
  GPtrArray           *rows;         /* element-type WrFailoverChainRow, owned refs, in order */
  GtkWidget           *placeholder;  /* owned (ref) */
  guint                save_id;

  /* template children */
  AdwPreferencesGroup *chains_group;
};

G_DEFINE_FINAL_TYPE (WrFailoverPage, wr_failover_page, ADW_TYPE_PREFERENCES_PAGE)

static void save_now (WrFailoverPage *self);

static WrRouter *
get_router (WrFailoverPage *self)
{
  return wr_chat_service_get_router (wr_session_get_chat_service (self->session));
}

static void
add_toast (WrFailoverPage *self,
           AdwToast       *toast)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(AdwToast) owned = toast;

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), g_steal_pointer (&owned));
  else
    g_debug ("Toast without a window: %s", adw_toast_get_title (toast));
}

/* Puts the rows in the group in order (or the placeholder when none). */
static void
relayout (WrFailoverPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (gtk_widget_get_parent (row) != NULL)
        adw_preferences_group_remove (self->chains_group, row);
    }
  if (gtk_widget_get_parent (self->placeholder) != NULL)
    adw_preferences_group_remove (self->chains_group, self->placeholder);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_add (self->chains_group, g_ptr_array_index (self->rows, i));
  if (self->rows->len == 0)
    adw_preferences_group_add (self->chains_group, self->placeholder);
}

static gboolean
on_save_timeout_cb (gpointer user_data)
{
  WrFailoverPage *self = user_data;

  self->save_id = 0;
  save_now (self);

  return G_SOURCE_REMOVE;
}

static void
on_row_changed_cb (WrFailoverPage     *self,
                   gboolean            typing,
                   WrFailoverChainRow *row)
{
  g_clear_handle_id (&self->save_id, g_source_remove);

  if (!typing)
    {
      save_now (self);
      return;
    }

  self->save_id = g_timeout_add (SAVE_DELAY_MS, on_save_timeout_cb, self);
}

static void on_row_remove_cb (WrFailoverPage *self, WrFailoverChainRow *row);

static WrFailoverChainRow *
create_row (WrFailoverPage         *self,
            const char             *pattern,
            const WrFailoverTarget *targets,
            guint                   n_targets,
            gboolean                saved)
{
  GtkWidget *row = wr_failover_chain_row_new (wr_session_get_providers (self->session),
                                              pattern, targets, n_targets, saved);

  g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_row_remove_cb), self, G_CONNECT_SWAPPED);

  return WR_FAILOVER_CHAIN_ROW (g_object_ref_sink (row));
}

/* Shows the chains the router uses now. */
static void
load (WrFailoverPage *self)
{
  WrFailoverPolicy *policy = wr_router_get_policy (get_router (self));
  guint n = policy != NULL ? wr_failover_policy_get_n_chains (policy) : 0;

  g_clear_handle_id (&self->save_id, g_source_remove);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (gtk_widget_get_parent (row) != NULL)
        adw_preferences_group_remove (self->chains_group, row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < n; i++)
    {
      const WrFailoverTarget *targets;
      guint n_targets = 0;

      targets = wr_failover_policy_get_targets (policy, i, &n_targets);
      g_ptr_array_add (self->rows,
                       create_row (self, wr_failover_policy_get_pattern (policy, i), targets, n_targets, TRUE));
    }

  relayout (self);
}

/* Whether @policy already has a chain with @pattern (set_chain would
 * replace it: here that is a second chain no model would ever reach). */
static gboolean
has_pattern (WrFailoverPolicy *policy,
             const char       *pattern)
{
  guint n = wr_failover_policy_get_n_chains (policy);

  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (wr_failover_policy_get_pattern (policy, i), pattern) == 0)
      return TRUE;
  return FALSE;
}

/* Checks every row and marks the ones that are not valid. Returns the
 * chains to put in effect, in order: each row as edited when valid, else as
 * last saved (a new chain: not at all). */
static WrFailoverPolicy *
build_policy (WrFailoverPage *self,
              GPtrArray      *valid_rows)   /* nullable: receives the rows used as edited */
{
  g_autoptr(WrFailoverPolicy) policy = wr_failover_policy_new ();

  for (guint i = 0; i < self->rows->len; i++)
    {
      WrFailoverChainRow *row = g_ptr_array_index (self->rows, i);
      const char *pattern = wr_failover_chain_row_get_pattern (row);
      const WrFailoverTarget *targets;
      const WrFailoverTarget *saved_targets;
      const char *saved_pattern;
      guint n_targets = 0;
      guint n_saved = 0;
      g_autoptr(WrFailoverPolicy) alone = wr_failover_policy_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *problem = NULL;

      targets = wr_failover_chain_row_get_targets (row, &n_targets);
      saved_pattern = wr_failover_chain_row_get_saved (row, &saved_targets, &n_saved);

      /* On its own first, so an error is about this chain. */
      if (!wr_failover_policy_set_chain (alone, pattern, targets, n_targets, &error))
        problem = g_strdup (error->message);
      else if (has_pattern (policy, pattern))
        /* TRANSLATORS: %s is a model pattern */
        problem = g_strdup_printf (_("A chain above already has the pattern “%s”, so this one would never be used. Change the pattern, or merge the two chains."),
                                   pattern);
      else if (wr_failover_policy_set_chain (policy, pattern, targets, n_targets, NULL))
        {
          wr_failover_chain_row_set_error (row, NULL);
          if (valid_rows != NULL)
            g_ptr_array_add (valid_rows, row);
          continue;
        }
      else
        problem = g_strdup (_("This chain could not be added."));

      if (saved_pattern != NULL && !has_pattern (policy, saved_pattern)
          && wr_failover_policy_set_chain (policy, saved_pattern, saved_targets, n_saved, NULL))
        {
          /* TRANSLATORS: %s is what is wrong with a failover chain */
          g_autofree char *message = g_strdup_printf (_("%s Until then, the chain as it was before is used."), problem);

          wr_failover_chain_row_set_error (row, message);
        }
      else
        {
          /* TRANSLATORS: %s is what is wrong with a failover chain */
          g_autofree char *message = g_strdup_printf (_("%s Until then, this chain is not used."), problem);

          wr_failover_chain_row_set_error (row, message);
        }
    }

  return g_steal_pointer (&policy);
}

static gboolean
same_policy (WrFailoverPolicy *a,
             WrFailoverPolicy *b)
{
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  json_a = wr_failover_policy_to_json (a);
  json_b = wr_failover_policy_to_json (b);

  return g_strcmp0 (json_a, json_b) == 0;
}

static void
save_now (WrFailoverPage *self)
{
  g_autoptr(WrFailoverPolicy) policy = NULL;
  g_autoptr(GPtrArray) valid_rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->save_id, g_source_remove);

  if (self->session == NULL)
    return;

  policy = build_policy (self, valid_rows);
  if (!same_policy (policy, wr_router_get_policy (get_router (self)))
      && !wr_chat_service_set_failover_policy (wr_session_get_chat_service (self->session),
                                               policy, &error))
    {
      /* TRANSLATORS: %s is the reason */
      g_autofree char *title = g_strdup_printf (_("Could not save the failover chains: %s"),
                                                error->message);

      add_toast (self, adw_toast_new (title));
      return;
    }

  for (guint i = 0; i < valid_rows->len; i++)
    wr_failover_chain_row_mark_saved (g_ptr_array_index (valid_rows, i));
}

static void
on_undo_remove_cb (AdwToast       *toast,
                   WrFailoverPage *self)
{
  WrFailoverChainRow *row = g_object_get_data (G_OBJECT (toast), "wr-row");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "wr-index"));

  if (row == NULL || self->session == NULL)
    return;

  g_ptr_array_insert (self->rows, MIN (index, self->rows->len), g_object_ref (row));
  relayout (self);
  save_now (self);
}

static void
on_row_remove_cb (WrFailoverPage     *self,
                  WrFailoverChainRow *row)
{
  g_autoptr(WrFailoverChainRow) removed = g_object_ref (row);
  g_autofree char *title = NULL;
  const char *pattern = wr_failover_chain_row_get_pattern (row);
  AdwToast *toast;
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;

  g_ptr_array_remove_index (self->rows, index);
  adw_preferences_group_remove (self->chains_group, GTK_WIDGET (row));
  relayout (self);
  save_now (self);

  if (*pattern != '\0')
    /* TRANSLATORS: %s is a model pattern */
    title = g_strdup_printf (_("Chain for “%s” removed"), pattern);
  else
    title = g_strdup (_("Chain removed"));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "wr-row", g_steal_pointer (&removed), g_object_unref);
  g_object_set_data (G_OBJECT (toast), "wr-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_remove_cb), self, 0);
  add_toast (self, toast);
}

static void
add_chain_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  WrFailoverPage *self = WR_FAILOVER_PAGE (widget);
  g_autoptr(WrFailoverPolicy) unchanged = NULL;
  WrFailoverChainRow *row;

  if (self->session == NULL)
    return;

  /* Empty and unused until it has a pattern: its row says what to type. */
  row = create_row (self, "", NULL, 0, FALSE);
  g_ptr_array_add (self->rows, row);
  relayout (self);
  unchanged = build_policy (self, NULL);
  wr_failover_chain_row_focus_pattern (row);
}

static void
on_restore_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        WrFailoverPage   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "restore") != 0 || self->session == NULL)
    return;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!wr_chat_service_set_failover_policy (wr_session_get_chat_service (self->session), NULL, &error))
    {
      /* TRANSLATORS: %s is the reason */
      g_autofree char *title = g_strdup_printf (_("Could not restore the default chains: %s"),
                                                error->message);

      add_toast (self, adw_toast_new (title));
      return;
    }

  load (self);
  add_toast (self, adw_toast_new (_("Default chains restored")));
}

static void
restore_defaults_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  WrFailoverPage *self = WR_FAILOVER_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (self->session == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Restore the Default Chains?"),
                                                       _("Your chains are replaced by the ones Workroom comes with. This cannot be undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_restore_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_providers_changed_cb (WrFailoverPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    wr_failover_chain_row_refresh (g_ptr_array_index (self->rows, i));
}

static GtkWidget *
create_placeholder (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Failover Chains"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Replies come only from the chosen provider. Add a chain to name fallbacks."));
  gtk_widget_add_css_class (row, "dim-label");

  return row;
}

static void
wr_failover_page_dispose (GObject *object)
{
  WrFailoverPage *self = WR_FAILOVER_PAGE (object);

  /* Typed just before closing: still saved. */
  if (self->save_id != 0)
    save_now (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_FAILOVER_PAGE);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->placeholder);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wr_failover_page_parent_class)->dispose (object);
}

static void
wr_failover_page_class_init (WrFailoverPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_failover_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/wr-failover-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WrFailoverPage, chains_group);

  gtk_widget_class_install_action (widget_class, "failover.add-chain", NULL, add_chain_action);
  gtk_widget_class_install_action (widget_class, "failover.restore-defaults", NULL, restore_defaults_action);
}

static void
wr_failover_page_init (WrFailoverPage *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->placeholder = g_object_ref_sink (create_placeholder ());

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wr_failover_page_new (WrSession *session)
{
  WrFailoverPage *self;

  g_return_val_if_fail (WR_IS_SESSION (session), NULL);

  self = g_object_new (WR_TYPE_FAILOVER_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (wr_session_get_providers (session), "items-changed",
                           G_CALLBACK (on_providers_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);

  return GTK_WIDGET (self);
}

/* For tests */

guint
_wr_failover_page_get_n_chain_rows (WrFailoverPage *self)
{
  return self->rows->len;
}

WrFailoverChainRow *
_wr_failover_page_get_chain_row (WrFailoverPage *self,
                                 guint           index)
{
  return index < self->rows->len ? g_ptr_array_index (self->rows, index) : NULL;
}

gboolean
_wr_failover_page_get_save_pending (WrFailoverPage *self)
{
  return self->save_id != 0;
}
