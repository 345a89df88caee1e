/* wr-failover-chain-row.c — one failover chain, edited in place.
 *
 * The expanded part is built in code: [pattern] [fallback rows…] [error]
 * [actions]. Typing changes the chain as held here and the row's title and
 * summary, without rebuilding anything (the focus stays); adding, moving
 * or removing a fallback rebuilds the fallback rows. */
#include <glib/gi18n.h>

#include "wr-failover-chain-row.h"
#include "wr-failover-page-private.h"

struct _WrFailoverChainRow
{
  AdwExpanderRow      parent_instance;

  WrProviderRegistry *providers;      /* owned, nullable */
  char               *pattern;        /* owned, never NULL */
  GArray             *targets;        /* element-type WrFailoverTarget, owned */
  char               *error;          /* owned, nullable */
  char               *saved_pattern;  /* owned, nullable: never saved */
  GArray             *saved_targets;  /* element-type WrFailoverTarget, owned */

  GtkWidget          *pattern_row;    /* AdwEntryRow */
  GPtrArray          *fallback_rows;  /* element-type GtkListBoxRow (borrowed: the expander owns them) */
  GtkWidget          *error_row;      /* owned (ref): re-added after the fallbacks */
  GtkLabel           *error_label;
  GtkWidget          *actions_row;    /* owned (ref) */
  GtkWidget          *add_button;
  GtkWidget          *remove_button;
  GtkWidget          *error_icon;
};

G_DEFINE_FINAL_TYPE (WrFailoverChainRow, wr_failover_chain_row, ADW_TYPE_EXPANDER_ROW)

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The kinds a fallback can name instead of one provider: the router then
 * picks a configured provider of that kind. */
static const struct {
  const char *kind;
  const char *label;
} kinds[] = {
  { "openai", "OpenAI" },
  { "anthropic", "Anthropic" },
  { "google", "Google" },
};

static void
target_clear (gpointer data)
{
  WrFailoverTarget *target = data;

  g_clear_pointer (&target->provider, g_free);
  g_clear_pointer (&target->model, g_free);
}

static void
copy_targets (GArray *to,
              GArray *from)
{
  g_array_set_size (to, 0);
  for (guint i = 0; i < from->len; i++)
    {
      const WrFailoverTarget *target = &g_array_index (from, WrFailoverTarget, i);
      WrFailoverTarget copy = {
        .provider = g_strdup (target->provider),
        .model = g_strdup (target->model),
      };

      g_array_append_val (to, copy);
    }
}

static const char *
kind_label (const char *provider)
{
  for (guint i = 0; provider != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (kinds[i].kind, provider) == 0)
      return kinds[i].label;
  return NULL;
}

char *
wr_failover_describe_provider (WrProviderRegistry *providers,
                               const char         *provider)
{
  WrProvider *found;

  if (provider == NULL || *provider == '\0')
    return g_strdup (_("No provider"));

  if (kind_label (provider) != NULL)
    return g_strdup (kind_label (provider));

  found = providers != NULL ? wr_provider_registry_lookup (providers, provider) : NULL;
  if (found != NULL)
    return g_strdup (wr_provider_get_name (found));

  return g_strdup (provider);
}

/* A second line for the provider choices: what choosing it means. */
static char *
describe_choice (WrProviderRegistry *providers,
                 const char         *provider)
{
  WrProvider *found;

  if (kind_label (provider) != NULL)
    /* TRANSLATORS: %s is a service, e.g. "OpenAI" */
    return g_strdup_printf (_("Any configured %s provider"), kind_label (provider));

  found = providers != NULL ? wr_provider_registry_lookup (providers, provider) : NULL;
  if (found != NULL)
    return g_strdup (wr_provider_get_base_url (found));

  return g_strdup (_("Not configured: this fallback is skipped"));
}

static void
update_summary (WrFailoverChainRow *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 *self->pattern != '\0' ? self->pattern : _("New Chain"));

  for (guint i = 0; i < self->targets->len; i++)
    {
      const WrFailoverTarget *target = &g_array_index (self->targets, WrFailoverTarget, i);
      g_autofree char *provider = wr_failover_describe_provider (self->providers, target->provider);

      if (i > 0)
        g_string_append_c (summary, ' ');
      /* TRANSLATORS: one step of a failover chain: "→ provider · model" */
      g_string_append_printf (summary, _("→ %s · %s"), provider,
                              target->model != NULL && *target->model != '\0' ? target->model : "…");
    }

  if (summary->len == 0)
    g_string_append (summary, _("No failover: only the chosen provider answers"));

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary->str);
}

static void
emit_changed (WrFailoverChainRow *self,
              gboolean            typing)
{
  update_summary (self);
  g_signal_emit (self, signals[CHANGED], 0, typing);
}

static void rebuild_fallbacks (WrFailoverChainRow *self);

static guint
row_index (GtkWidget *widget)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "wr-fallback-index"));
}

static void
on_provider_selected_cb (GtkDropDown        *dropdown,
                         GParamSpec         *pspec,
                         WrFailoverChainRow *self)
{
  guint index = row_index (GTK_WIDGET (dropdown));
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);
  WrFailoverTarget *target;

  if (item == NULL || index >= self->targets->len)
    return;

  target = &g_array_index (self->targets, WrFailoverTarget, index);
  if (g_strcmp0 (target->provider, gtk_string_object_get_string (item)) == 0)
    return;

  g_free (target->provider);
  target->provider = g_strdup (gtk_string_object_get_string (item));
  emit_changed (self, FALSE);
}

static void
on_model_changed_cb (GtkEditable        *entry,
                     WrFailoverChainRow *self)
{
  guint index = row_index (GTK_WIDGET (entry));
  WrFailoverTarget *target;
  g_autofree char *model = NULL;

  if (index >= self->targets->len)
    return;

  model = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  target = &g_array_index (self->targets, WrFailoverTarget, index);
  if (g_strcmp0 (target->model, model) == 0)
    return;

  g_free (target->model);
  target->model = g_steal_pointer (&model);
  emit_changed (self, TRUE);
}

/* After a rebuild, the focus goes where the user's next action is. */
static void
focus_fallback (WrFailoverChainRow *self,
                guint               index,
                const char         *which)
{
  GtkWidget *widget;

  if (index >= self->fallback_rows->len)
    {
      gtk_widget_grab_focus (self->add_button);
      return;
    }

  widget = _wr_failover_chain_row_get_fallback_widget (self, index, which);
  if (widget == NULL || !gtk_widget_get_sensitive (widget))
    widget = _wr_failover_chain_row_get_fallback_widget (self, index, "model");
  gtk_widget_grab_focus (widget);
}

static void
on_move_clicked_cb (GtkButton          *button,
                    WrFailoverChainRow *self)
{
  guint index = row_index (GTK_WIDGET (button));
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "wr-delta"));
  guint other = index + delta;
  WrFailoverTarget swap;

  if (index >= self->targets->len || other >= self->targets->len)
    return;

  swap = g_array_index (self->targets, WrFailoverTarget, index);
  g_array_index (self->targets, WrFailoverTarget, index) = g_array_index (self->targets, WrFailoverTarget, other);
  g_array_index (self->targets, WrFailoverTarget, other) = swap;

  rebuild_fallbacks (self);
  focus_fallback (self, other, delta < 0 ? "up" : "down");
  emit_changed (self, FALSE);
}

static void
on_remove_fallback_clicked_cb (GtkButton          *button,
                               WrFailoverChainRow *self)
{
  guint index = row_index (GTK_WIDGET (button));

  if (index >= self->targets->len)
    return;

  g_array_remove_index (self->targets, index);
  rebuild_fallbacks (self);
  focus_fallback (self, MIN (index, self->targets->len), "remove");
  emit_changed (self, FALSE);
}

static void
on_add_fallback_clicked_cb (WrFailoverChainRow *self)
{
  WrFailoverTarget target = { NULL, NULL };
  const char *provider = "openai";

  /* Suggest another service than the one the previous fallback names. */
  if (self->targets->len > 0)
    {
      const char *last = g_array_index (self->targets, WrFailoverTarget, self->targets->len - 1).provider;

      if (g_ascii_strcasecmp (last, "openai") == 0)
        provider = "anthropic";
    }

  target.provider = g_strdup (provider);
  target.model = g_strdup ("");
  g_array_append_val (self->targets, target);

  rebuild_fallbacks (self);
  focus_fallback (self, self->targets->len - 1, "model");
  emit_changed (self, FALSE);
}

static void
on_remove_chain_clicked_cb (WrFailoverChainRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
on_pattern_changed_cb (WrFailoverChainRow *self)
{
  g_autofree char *pattern = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pattern_row))));

  if (g_strcmp0 (self->pattern, pattern) == 0)
    return;

  g_free (self->pattern);
  self->pattern = g_steal_pointer (&pattern);
  emit_changed (self, TRUE);
}

/* Provider choices: the button shows the name (ellipsized), the list adds
 * what choosing it means. */
static void
setup_choice_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  in_list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);

  if (in_list != NULL)
    {
      GtkWidget *description = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (description), 0);
      gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (description), 36);
      gtk_widget_add_css_class (description, "caption");
      gtk_widget_add_css_class (description, "dim-label");
      gtk_box_append (GTK_BOX (box), description);
    }
  else
    {
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
    }

  gtk_list_item_set_child (item, box);
}

static void
bind_choice_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                WrFailoverChainRow       *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *description = gtk_widget_get_next_sibling (label);
  const char *value = gtk_string_object_get_string (gtk_list_item_get_item (item));
  g_autofree char *name = wr_failover_describe_provider (self->providers, value);

  gtk_label_set_text (GTK_LABEL (label), name);
  if (description != NULL)
    {
      g_autofree char *text = describe_choice (self->providers, value);

      gtk_label_set_text (GTK_LABEL (description), text);
    }
}

static GtkListItemFactory *
choice_factory (WrFailoverChainRow *self,
                gboolean            in_list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_choice_cb), GINT_TO_POINTER (in_list));
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_choice_cb), self, 0);

  return factory;
}

/* The kinds, the configured providers, and @current when it is neither
 * (a provider since removed, or one named by hand in the settings). */
static GtkWidget *
create_provider_dropdown (WrFailoverChainRow *self,
                          const char         *current)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = choice_factory (self, FALSE);
  g_autoptr(GtkListItemFactory) list_factory = choice_factory (self, TRUE);
  guint selected = GTK_INVALID_LIST_POSITION;
  GtkWidget *dropdown;
  WrProvider *named = NULL;
  guint n;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gtk_string_list_append (choices, kinds[i].kind);
      if (g_ascii_strcasecmp (kinds[i].kind, current) == 0)
        selected = i;
    }

  if (selected == GTK_INVALID_LIST_POSITION && self->providers != NULL)
    named = wr_provider_registry_lookup (self->providers, current);

  n = self->providers != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->providers)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WrProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->providers), i);

      /* The chain keeps naming a provider the way it did (id or name). */
      if (provider == named)
        {
          selected = g_list_model_get_n_items (G_LIST_MODEL (choices));
          gtk_string_list_append (choices, current);
        }
      else
        gtk_string_list_append (choices, wr_provider_get_id (provider));
    }

  if (selected == GTK_INVALID_LIST_POSITION)
    {
      selected = g_list_model_get_n_items (G_LIST_MODEL (choices));
      gtk_string_list_append (choices, current);
    }

  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (choices)), NULL);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), factory);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (dropdown), list_factory);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);

  return dropdown;
}

static GtkWidget *
create_icon_button (const char *icon_name,
                    const char *tooltip,
                    const char *accessible_label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  return button;
}

static GtkWidget *
create_fallback_row (WrFailoverChainRow *self,
                     guint               index)
{
  const WrFailoverTarget *target = &g_array_index (self->targets, WrFailoverTarget, index);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *number;
  GtkWidget *dropdown;
  GtkWidget *entry;
  GtkWidget *up;
  GtkWidget *down;
  GtkWidget *remove;
  g_autofree char *number_text = g_strdup_printf ("%u", index + 1);
  g_autofree char *provider_label = NULL;
  g_autofree char *model_label = NULL;
  g_autofree char *up_label = NULL;
  g_autofree char *down_label = NULL;
  g_autofree char *remove_label = NULL;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  number = gtk_label_new (number_text);
  gtk_label_set_width_chars (GTK_LABEL (number), 2);
  gtk_widget_add_css_class (number, "dim-label");
  gtk_widget_add_css_class (number, "numeric");
  gtk_accessible_update_state (GTK_ACCESSIBLE (number), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), number);

  /* TRANSLATORS: accessible names in a failover chain; %u is the fallback's position */
  provider_label = g_strdup_printf (_("Fallback %u Provider"), index + 1);
  model_label = g_strdup_printf (_("Fallback %u Model"), index + 1);
  up_label = g_strdup_printf (_("Move Fallback %u Up"), index + 1);
  down_label = g_strdup_printf (_("Move Fallback %u Down"), index + 1);
  remove_label = g_strdup_printf (_("Remove Fallback %u"), index + 1);

  dropdown = create_provider_dropdown (self, target->provider);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (dropdown, _("Provider"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, provider_label, -1);
  g_object_set_data (G_OBJECT (dropdown), "wr-fallback-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (on_provider_selected_cb), self, 0);
  gtk_box_append (GTK_BOX (box), dropdown);

  entry = gtk_entry_new ();
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
  gtk_editable_set_text (GTK_EDITABLE (entry), target->model != NULL ? target->model : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Model, e.g. gpt-4o-mini"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, model_label, -1);
  g_object_set_data (G_OBJECT (entry), "wr-fallback-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_model_changed_cb), self, 0);
  gtk_box_append (GTK_BOX (box), entry);

  up = create_icon_button ("go-up-symbolic", _("Move Up"), up_label);
  gtk_widget_set_sensitive (up, index > 0);
  g_object_set_data (G_OBJECT (up), "wr-fallback-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (up), "wr-delta", GINT_TO_POINTER (-1));
  g_signal_connect_object (up, "clicked", G_CALLBACK (on_move_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), up);

  down = create_icon_button ("go-down-symbolic", _("Move Down"), down_label);
  gtk_widget_set_sensitive (down, index + 1 < self->targets->len);
  g_object_set_data (G_OBJECT (down), "wr-fallback-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (down), "wr-delta", GINT_TO_POINTER (1));
  g_signal_connect_object (down, "clicked", G_CALLBACK (on_move_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), down);

  remove = create_icon_button ("user-trash-symbolic", _("Remove Fallback"), remove_label);
  g_object_set_data (G_OBJECT (remove), "wr-fallback-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_fallback_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), remove);

  g_object_set_data (G_OBJECT (row), "wr-provider", dropdown);
  g_object_set_data (G_OBJECT (row), "wr-model", entry);
  g_object_set_data (G_OBJECT (row), "wr-up", up);
  g_object_set_data (G_OBJECT (row), "wr-down", down);
  g_object_set_data (G_OBJECT (row), "wr-remove", remove);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
rebuild_fallbacks (WrFailoverChainRow *self)
{
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (self);

  for (guint i = 0; i < self->fallback_rows->len; i++)
    adw_expander_row_remove (expander, g_ptr_array_index (self->fallback_rows, i));
  g_ptr_array_set_size (self->fallback_rows, 0);
  if (gtk_widget_get_parent (self->error_row) != NULL)
    adw_expander_row_remove (expander, self->error_row);
  if (gtk_widget_get_parent (self->actions_row) != NULL)
    adw_expander_row_remove (expander, self->actions_row);

  for (guint i = 0; i < self->targets->len; i++)
    {
      GtkWidget *row = create_fallback_row (self, i);

      g_ptr_array_add (self->fallback_rows, row);
      adw_expander_row_add_row (expander, row);
    }

  adw_expander_row_add_row (expander, self->error_row);
  adw_expander_row_add_row (expander, self->actions_row);
  gtk_widget_set_sensitive (self->add_button, self->targets->len < WR_FAILOVER_POLICY_MAX_FALLBACKS);
}

static void
build_static_rows (WrFailoverChainRow *self)
{
  GtkWidget *box;
  GtkWidget *add_content;

  self->pattern_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pattern_row), _("Model or Pattern"));
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), self->pattern);
  g_signal_connect_object (self->pattern_row, "changed", G_CALLBACK (on_pattern_changed_cb),
                           self, G_CONNECT_SWAPPED);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->pattern_row);

  self->error_row = g_object_ref_sink (gtk_list_box_row_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->error_row), FALSE);
  gtk_widget_set_visible (self->error_row, FALSE);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_selectable (self->error_label, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->error_label), 8);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->error_row), GTK_WIDGET (self->error_label));

  self->actions_row = g_object_ref_sink (gtk_list_box_row_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->actions_row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  self->add_button = gtk_button_new ();
  add_content = adw_button_content_new ();
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (add_content), "list-add-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (add_content), _("Add _Fallback"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (add_content), TRUE);
  gtk_button_set_child (GTK_BUTTON (self->add_button), add_content);
  gtk_widget_add_css_class (self->add_button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add Fallback"), -1);
  g_signal_connect_object (self->add_button, "clicked", G_CALLBACK (on_add_fallback_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->add_button);

  self->remove_button = gtk_button_new_with_mnemonic (_("_Remove Chain"));
  gtk_widget_set_hexpand (self->remove_button, TRUE);
  gtk_widget_set_halign (self->remove_button, GTK_ALIGN_END);
  gtk_widget_add_css_class (self->remove_button, "flat");
  gtk_widget_add_css_class (self->remove_button, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Chain"), -1);
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (on_remove_chain_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->remove_button);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->actions_row), box);

  self->error_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (self->error_icon, "error");
  gtk_widget_set_tooltip_text (self->error_icon, _("Not saved: fix this chain"));
  /* Kept while not shown (added as a prefix only on error). */
  g_object_ref_sink (self->error_icon);
}

static void
wr_failover_chain_row_dispose (GObject *object)
{
  WrFailoverChainRow *self = WR_FAILOVER_CHAIN_ROW (object);

  g_clear_object (&self->error_row);
  g_clear_object (&self->error_icon);
  g_clear_object (&self->actions_row);
  g_clear_object (&self->providers);
  g_clear_pointer (&self->fallback_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wr_failover_chain_row_parent_class)->dispose (object);
}

static void
wr_failover_chain_row_finalize (GObject *object)
{
  WrFailoverChainRow *self = WR_FAILOVER_CHAIN_ROW (object);

  g_free (self->pattern);
  g_free (self->error);
  g_free (self->saved_pattern);
  g_clear_pointer (&self->targets, g_array_unref);
  g_clear_pointer (&self->saved_targets, g_array_unref);

  G_OBJECT_CLASS (wr_failover_chain_row_parent_class)->finalize (object);
}

static void
wr_failover_chain_row_class_init (WrFailoverChainRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_failover_chain_row_dispose;
  object_class->finalize = wr_failover_chain_row_finalize;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wr_failover_chain_row_init (WrFailoverChainRow *self)
{
  self->pattern = g_strdup ("");
  self->targets = g_array_new (FALSE, TRUE, sizeof (WrFailoverTarget));
  g_array_set_clear_func (self->targets, target_clear);
  self->saved_targets = g_array_new (FALSE, TRUE, sizeof (WrFailoverTarget));
  g_array_set_clear_func (self->saved_targets, target_clear);
  self->fallback_rows = g_ptr_array_new ();

  /* Patterns and model names are shown as typed, never as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
}

GtkWidget *
wr_failover_chain_row_new (WrProviderRegistry     *providers,
                           const char             *pattern,
                           const WrFailoverTarget *targets,
                           guint                   n_targets,
                           gboolean                saved)
{
  WrFailoverChainRow *self;

  g_return_val_if_fail (providers == NULL || WR_IS_PROVIDER_REGISTRY (providers), NULL);
  g_return_val_if_fail (targets != NULL || n_targets == 0, NULL);

  self = g_object_new (WR_TYPE_FAILOVER_CHAIN_ROW, NULL);
  g_set_object (&self->providers, providers);
  g_free (self->pattern);
  self->pattern = g_strdup (pattern != NULL ? pattern : "");

  for (guint i = 0; i < n_targets; i++)
    {
      WrFailoverTarget copy = {
        .provider = g_strdup (targets[i].provider != NULL ? targets[i].provider : ""),
        .model = g_strdup (targets[i].model != NULL ? targets[i].model : ""),
      };

      g_array_append_val (self->targets, copy);
    }

  if (saved)
    wr_failover_chain_row_mark_saved (self);

  build_static_rows (self);
  rebuild_fallbacks (self);
  update_summary (self);

  return GTK_WIDGET (self);
}

void
wr_failover_chain_row_mark_saved (WrFailoverChainRow *self)
{
  g_return_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self));

  g_free (self->saved_pattern);
  self->saved_pattern = g_strdup (self->pattern);
  copy_targets (self->saved_targets, self->targets);
}

const char *
wr_failover_chain_row_get_saved (WrFailoverChainRow      *self,
                                 const WrFailoverTarget **targets,
                                 guint                   *n_targets)
{
  g_return_val_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self), NULL);
  g_return_val_if_fail (targets != NULL && n_targets != NULL, NULL);

  *targets = (const WrFailoverTarget *) (gpointer) self->saved_targets->data;
  *n_targets = self->saved_targets->len;
  return self->saved_pattern;
}

const char *
wr_failover_chain_row_get_pattern (WrFailoverChainRow *self)
{
  g_return_val_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self), NULL);

  return self->pattern;
}

const WrFailoverTarget *
wr_failover_chain_row_get_targets (WrFailoverChainRow *self,
                                   guint              *n_targets)
{
  g_return_val_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self), NULL);
  g_return_val_if_fail (n_targets != NULL, NULL);

  *n_targets = self->targets->len;
  return (const WrFailoverTarget *) (gpointer) self->targets->data;
}

void
wr_failover_chain_row_set_error (WrFailoverChainRow *self,
                                 const char         *message)
{
  g_return_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self));

  if (g_strcmp0 (self->error, message) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->error_row, message != NULL);
  /* Only there while there is an error: a hidden prefix still takes its
   * spacing in libadwaita 1.2 and would shift the title. */
  if (message != NULL && gtk_widget_get_parent (self->error_icon) == NULL)
    adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), self->error_icon);
  else if (message == NULL && gtk_widget_get_parent (self->error_icon) != NULL)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->error_icon);
  if (message != NULL)
    gtk_widget_set_tooltip_text (self->error_icon, message);
}

const char *
wr_failover_chain_row_get_error (WrFailoverChainRow *self)
{
  g_return_val_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self), NULL);

  return self->error;
}

void
wr_failover_chain_row_refresh (WrFailoverChainRow *self)
{
  g_return_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self));

  rebuild_fallbacks (self);
  update_summary (self);
}

void
wr_failover_chain_row_focus_pattern (WrFailoverChainRow *self)
{
  g_return_if_fail (WR_IS_FAILOVER_CHAIN_ROW (self));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  gtk_widget_grab_focus (self->pattern_row);
}

/* For tests */

GtkWidget *
_wr_failover_chain_row_get_pattern_row (WrFailoverChainRow *self)
{
  return self->pattern_row;
}

guint
_wr_failover_chain_row_get_n_fallback_rows (WrFailoverChainRow *self)
{
  return self->fallback_rows->len;
}

GtkWidget *
_wr_failover_chain_row_get_fallback_widget (WrFailoverChainRow *self,
                                            guint               index,
                                            const char         *which)
{
  g_autofree char *key = g_strconcat ("wr-", which, NULL);

  if (index >= self->fallback_rows->len)
    return NULL;

  return g_object_get_data (g_ptr_array_index (self->fallback_rows, index), key);
}

GtkWidget *
_wr_failover_chain_row_get_add_button (WrFailoverChainRow *self)
{
  return self->add_button;
}

GtkWidget *
_wr_failover_chain_row_get_remove_button (WrFailoverChainRow *self)
{
  return self->remove_button;
}
