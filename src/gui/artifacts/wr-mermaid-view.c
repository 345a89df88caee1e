/* wr-mermaid-view.c — a Mermaid flowchart drawn with data/wr-mermaid.h,
 * zoomed to fit, in the light or dark style (see wr-mermaid-view.h).
 *
 * Small sources are parsed and laid out on the main thread (well under a
 * millisecond for tens of nodes); larger ones in a GTask thread so a
 * 2,000-node diagram never blocks a frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "data/wr-mermaid.h"
#include "wr-mermaid-view.h"

/* Sources up to this many bytes are laid out at once (see
 * bench/mermaid-layout.c: about 50 nodes, ~1 ms). */
#define SYNC_MAX_BYTES 2048

struct _WrMermaidView {
  GtkWidget         parent_instance;
  WrMermaidDiagram *diagram;      /* owned, nullable */
  GCancellable     *cancellable;  /* the layout in flight */
  GtkWidget        *status;       /* AdwStatusPage: why nothing is drawn */
  gboolean          can_render;
};

G_DEFINE_FINAL_TYPE (WrMermaidView, wr_mermaid_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CAN_RENDER, N_PROPS };
static GParamSpec *properties[N_PROPS];

static WrMermaidDiagram *
parse_and_layout (const char    *source,
                  PangoContext  *context,
                  GError       **error)
{
  g_autoptr(WrMermaidDiagram) diagram = wr_mermaid_parse (source, -1, error);

  if (diagram == NULL)
    return NULL;
  /* Both styles share the font size, so one layout serves light and dark. */
  wr_mermaid_layout (diagram, context, wr_mermaid_style_light ());
  return g_steal_pointer (&diagram);
}

static void
set_can_render (WrMermaidView *self,
                gboolean       can_render)
{
  if (self->can_render == can_render)
    return;
  self->can_render = can_render;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RENDER]);
}

static void
show_result (WrMermaidView    *self,
             WrMermaidDiagram *diagram,   /* transfer full, nullable */
             const GError     *error)
{
  g_clear_pointer (&self->diagram, wr_mermaid_diagram_free);
  self->diagram = diagram;

  if (diagram != NULL)
    {
      g_autofree char *description =
        g_strdup_printf (ngettext ("Flowchart with %u node", "Flowchart with %u nodes",
                                   diagram->nodes->len),
                         diagram->nodes->len);

      gtk_widget_set_visible (self->status, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
    }
  else
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (self->status),
                                       error != NULL ? error->message : "");
      gtk_widget_set_visible (self->status, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Diagram preview not available"),
                                      -1);
    }
  set_can_render (self, diagram != NULL);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  WrMermaidDiagram *diagram;

  if (g_task_return_error_if_cancelled (task))
    return;
  diagram = parse_and_layout (task_data, NULL, &error);
  if (diagram == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, diagram, (GDestroyNotify) wr_mermaid_diagram_free);
}

static void
on_layout_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WrMermaidView *self = WR_MERMAID_VIEW (object);
  g_autoptr(GError) error = NULL;
  WrMermaidDiagram *diagram = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer source, or dispose, cancelled this one. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_clear_pointer (&diagram, wr_mermaid_diagram_free);
      return;
    }
  show_result (self, diagram, error);
}

static void
on_dark_changed_cb (WrMermaidView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* vfuncs */

static void
wr_mermaid_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  WrMermaidView *self = WR_MERMAID_VIEW (widget);

  *minimum = *natural = 0;
  if (gtk_widget_get_visible (self->status))
    gtk_widget_measure (self->status, orientation, for_size, minimum, natural, NULL, NULL);
  else if (self->diagram != NULL)
    {
      double size = orientation == GTK_ORIENTATION_HORIZONTAL ? self->diagram->width : self->diagram->height;

      /* Natural: the diagram at 1:1; it shrinks to fit when given less. */
      *natural = (int) ceil (size);
      *minimum = MIN (*natural, 48);
    }
}

static void
wr_mermaid_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  WrMermaidView *self = WR_MERMAID_VIEW (widget);

  if (gtk_widget_get_visible (self->status))
    gtk_widget_allocate (self->status, width, height, baseline, NULL);
}

static void
wr_mermaid_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  WrMermaidView *self = WR_MERMAID_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (self->diagram != NULL && width > 0 && height > 0)
    {
      gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      wr_mermaid_draw (self->diagram, cr, width, height,
                       dark ? wr_mermaid_style_dark () : wr_mermaid_style_light ());
      cairo_destroy (cr);
    }
  gtk_widget_snapshot_child (widget, self->status, snapshot);
}

static void
wr_mermaid_view_dispose (GObject *object)
{
  WrMermaidView *self = WR_MERMAID_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->status, gtk_widget_unparent);
  g_clear_pointer (&self->diagram, wr_mermaid_diagram_free);
  G_OBJECT_CLASS (wr_mermaid_view_parent_class)->dispose (object);
}

static void
wr_mermaid_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WrMermaidView *self = WR_MERMAID_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAN_RENDER:
      g_value_set_boolean (value, self->can_render);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wr_mermaid_view_class_init (WrMermaidViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_mermaid_view_dispose;
  object_class->get_property = wr_mermaid_view_get_property;
  widget_class->measure = wr_mermaid_view_measure;
  widget_class->size_allocate = wr_mermaid_view_size_allocate;
  widget_class->snapshot = wr_mermaid_view_snapshot;

  properties[PROP_CAN_RENDER] =
    g_param_spec_boolean ("can-render", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "mermaidview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wr_mermaid_view_init (WrMermaidView *self)
{
  self->status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status), "dialog-information-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->status), _("No Preview"));
  gtk_widget_add_css_class (self->status, "compact");
  gtk_widget_set_visible (self->status, FALSE);
  gtk_widget_set_parent (self->status, GTK_WIDGET (self));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);
}

/* API */

GtkWidget *
wr_mermaid_view_new (void)
{
  return g_object_new (WR_TYPE_MERMAID_VIEW, NULL);
}

void
wr_mermaid_view_set_source (WrMermaidView *self,
                            const char    *source)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_MERMAID_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (source == NULL)
    source = "";

  if (strlen (source) <= SYNC_MAX_BYTES)
    {
      g_autoptr(GError) error = NULL;
      WrMermaidDiagram *diagram = parse_and_layout (source, gtk_widget_get_pango_context (GTK_WIDGET (self)),
                                                    &error);

      show_result (self, diagram, error);
      return;
    }

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_layout_done_cb, NULL);
  g_task_set_source_tag (task, wr_mermaid_view_set_source);
  g_task_set_task_data (task, g_strdup (source), g_free);
  g_task_run_in_thread (task, layout_thread);
}

gboolean
wr_mermaid_view_get_can_render (WrMermaidView *self)
{
  g_return_val_if_fail (WR_IS_MERMAID_VIEW (self), FALSE);

  return self->can_render;
}
