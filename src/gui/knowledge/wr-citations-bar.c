/* wr-citations-bar.c — see wr-citations-bar.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "chat/wr-knowledge-context.h"
#include "wr-citations-bar.h"
#include "wr-source-viewer.h"

struct _WrCitationsBar
{
  GtkWidget   parent_instance;

  WrStore    *store;        /* owned, nullable */
  GPtrArray  *citations;    /* WrCitation */
  GHashTable *buttons;      /* n → GtkWidget (borrowed: children) */
  guint       n_cited;
  guint       n_more;
  GtkWindow  *last_viewer;  /* weak */

  /* template children */
  GtkWidget  *box;
  GtkFlowBox *flow;
};

G_DEFINE_FINAL_TYPE (WrCitationsBar, wr_citations_bar, GTK_TYPE_WIDGET)

static WrCitation *
find_citation (WrCitationsBar *self,
               guint           n)
{
  for (guint i = 0; self->citations != NULL && i < self->citations->len; i++)
    {
      WrCitation *citation = g_ptr_array_index (self->citations, i);

      if (citation->n == n)
        return citation;
    }
  return NULL;
}

static void
on_source_clicked_cb (GtkButton      *button,
                      WrCitationsBar *self)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "citation-n"));
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  wr_citations_bar_open_source (self, n);
}

/* "[1] deck.pptx · slide 3", the excerpt as tooltip. */
static GtkWidget *
source_button_new (WrCitationsBar *self,
                   WrCitation     *citation,
                   gboolean        in_popover)
{
  g_autofree char *place = wr_citation_describe (citation, " · ");
  g_autofree char *label = g_strdup_printf ("[%u] %s", citation->n, place);
  g_autofree char *accessible = NULL;
  GtkWidget *button = gtk_button_new_with_label (label);
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (child), 36);
  if (in_popover)
    {
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      gtk_widget_add_css_class (button, "flat");
    }
  else
    gtk_widget_add_css_class (button, "citation-button");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "small");

  if (citation->document_id != NULL)
    {
      g_autofree char *tooltip = NULL;

      if (citation->excerpt != NULL && citation->title != NULL && citation->title[0] != '\0')
        tooltip = g_strdup_printf ("%s\n“%s”", citation->title, citation->excerpt);
      else if (citation->excerpt != NULL)
        tooltip = g_strdup_printf ("“%s”", citation->excerpt);
      gtk_widget_set_tooltip_text (button, tooltip);
      accessible = g_strdup_printf (_("Source %u: %s. Opens the source."), citation->n, place);
      g_object_set_data (G_OBJECT (button), "citation-n", GUINT_TO_POINTER (citation->n));
      g_signal_connect (button, "clicked", G_CALLBACK (on_source_clicked_cb), self);
    }
  else
    {
      gtk_widget_set_tooltip_text (button, _("A dataset of the project: its columns and first rows were given to the model."));
      accessible = g_strdup_printf (_("Source %u: dataset %s"), citation->n, place);
      gtk_widget_set_can_target (button, FALSE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_hash_table_insert (self->buttons, GUINT_TO_POINTER (citation->n), button);
  return button;
}

static void
clear (WrCitationsBar *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow))) != NULL)
    gtk_flow_box_remove (self->flow, child);
  g_hash_table_remove_all (self->buttons);
  g_clear_pointer (&self->citations, g_ptr_array_unref);
  self->n_cited = 0;
  self->n_more = 0;
}

void
wr_citations_bar_set_citations (WrCitationsBar *self,
                                WrStore        *store,
                                const char     *json)
{
  GtkWidget *more_box = NULL;

  g_return_if_fail (WR_IS_CITATIONS_BAR (self));

  clear (self);
  g_set_object (&self->store, store);
  self->citations = wr_citations_parse (json);

  for (guint i = 0; i < self->citations->len; i++)
    {
      WrCitation *citation = g_ptr_array_index (self->citations, i);

      if (citation->cited)
        {
          gtk_flow_box_append (self->flow, source_button_new (self, citation, FALSE));
          self->n_cited++;
        }
      else
        {
          if (more_box == NULL)
            more_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
          gtk_box_append (GTK_BOX (more_box), source_button_new (self, citation, TRUE));
          self->n_more++;
        }
    }

  if (more_box != NULL)
    {
      GtkWidget *button = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      g_autofree char *label = self->n_cited > 0
        ? g_strdup_printf (ngettext ("%u More Source", "%u More Sources", self->n_more), self->n_more)
        : g_strdup_printf (ngettext ("%u Source Given", "%u Sources Given", self->n_more), self->n_more);

      gtk_popover_set_child (GTK_POPOVER (popover), more_box);
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
      gtk_menu_button_set_label (GTK_MENU_BUTTON (button), label);
      gtk_widget_set_tooltip_text (button, _("Sources the model was given but did not cite"));
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "small");
      gtk_flow_box_append (self->flow, button);
    }

  gtk_widget_set_visible (GTK_WIDGET (self), self->citations->len > 0);
}

gboolean
wr_citations_bar_open_source (WrCitationsBar *self,
                              guint           n)
{
  WrCitation *citation;
  WrSourceViewer *viewer;

  g_return_val_if_fail (WR_IS_CITATIONS_BAR (self), FALSE);

  citation = find_citation (self, n);
  if (citation == NULL || citation->document_id == NULL || self->store == NULL)
    return FALSE;

  viewer = wr_source_viewer_show_citation (GTK_WIDGET (self), self->store, citation);
  g_set_weak_pointer (&self->last_viewer, GTK_WINDOW (viewer));
  return viewer != NULL;
}

guint
wr_citations_bar_get_n_cited (WrCitationsBar *self)
{
  return self->n_cited;
}

guint
wr_citations_bar_get_n_more (WrCitationsBar *self)
{
  return self->n_more;
}

GtkWidget *
wr_citations_bar_get_button (WrCitationsBar *self,
                             guint           n)
{
  return g_hash_table_lookup (self->buttons, GUINT_TO_POINTER (n));
}

GtkWindow *
wr_citations_bar_get_last_viewer (WrCitationsBar *self)
{
  return self->last_viewer;
}

static void
wr_citations_bar_dispose (GObject *object)
{
  WrCitationsBar *self = WR_CITATIONS_BAR (object);

  g_clear_weak_pointer (&self->last_viewer);
  gtk_widget_dispose_template (GTK_WIDGET (self), WR_TYPE_CITATIONS_BAR);
  g_clear_object (&self->store);
  g_clear_pointer (&self->citations, g_ptr_array_unref);

  G_OBJECT_CLASS (wr_citations_bar_parent_class)->dispose (object);
}

static void
wr_citations_bar_finalize (GObject *object)
{
  WrCitationsBar *self = WR_CITATIONS_BAR (object);

  g_hash_table_unref (self->buttons);

  G_OBJECT_CLASS (wr_citations_bar_parent_class)->finalize (object);
}

static void
wr_citations_bar_class_init (WrCitationsBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_citations_bar_dispose;
  object_class->finalize = wr_citations_bar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/workroom/Workroom/knowledge/wr-citations-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, WrCitationsBar, box);
  gtk_widget_class_bind_template_child (widget_class, WrCitationsBar, flow);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "citations");
}

static void
wr_citations_bar_init (WrCitationsBar *self)
{
  self->buttons = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
wr_citations_bar_new (void)
{
  return g_object_new (WR_TYPE_CITATIONS_BAR, NULL);
}
