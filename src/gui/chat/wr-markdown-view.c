/* wr-markdown-view.c — markdown blocks as widgets, updated by diff. */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-markdown-view.h"
#include "wr-chart-block.h"

#include "chat/wr-markdown.h"

/* Width of the bullet column; nested lists and continuation paragraphs
 * indent by the same amount so text lines up under the item's text. */
#define INDENT_STEP 22
#define QUOTE_STEP  14

typedef struct {
  GtkWidget *widget;   /* child of the view */
  GtkLabel  *label;    /* where the block's text goes, NULL for rules */
  gboolean   chart_pending;   /* a ```chart block shown as code until final */
} Slot;

struct _WrMarkdownView
{
  GtkWidget           parent_instance;

  WrMarkdownDocument *document;
  GPtrArray          *shown;    /* WrMarkdownBlock, parallel to slots */
  GArray             *slots;    /* Slot */
  gboolean            final;    /* the text is complete: draw ```chart blocks */
  guint               n_citations;  /* [1]…[n] link to the answer's sources */
};

G_DEFINE_FINAL_TYPE (WrMarkdownView, wr_markdown_view, GTK_TYPE_WIDGET)

enum {
  CITATION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void link_all_citations (WrMarkdownView *self);

static void
on_copy_code_clicked_cb (GtkButton *button,
                         GtkLabel  *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_text (label));
}

static GtkWidget *
text_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  /* Selectable labels would otherwise take focus on every row while
   * tabbing through a long chat. */
  gtk_widget_set_focus_on_click (label, FALSE);
  return label;
}

static GtkWidget *
code_block_new (const WrMarkdownBlock *block,
                GtkLabel             **out_label)
{
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *language = gtk_label_new (block->language);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *code = gtk_label_new (NULL);

  gtk_widget_add_css_class (frame, "md-code");
  gtk_widget_add_css_class (header, "md-code-header");

  gtk_label_set_xalign (GTK_LABEL (language), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (language), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (language, TRUE);
  gtk_widget_add_css_class (language, "caption");
  gtk_widget_add_css_class (language, "dim-label");
  gtk_box_append (GTK_BOX (header), language);

  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_add_css_class (copy, "md-code-copy");
  gtk_widget_set_tooltip_text (copy, _("Copy Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Code"),
                                  -1);
  g_signal_connect_object (copy, "clicked", G_CALLBACK (on_copy_code_clicked_cb), code, 0);
  gtk_box_append (GTK_BOX (header), copy);
  gtk_box_append (GTK_BOX (frame), header);

  gtk_label_set_text (GTK_LABEL (code), block->text);
  gtk_label_set_xalign (GTK_LABEL (code), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (code), TRUE);
  /* Long lines wrap rather than scroll sideways: a horizontal scroller
   * inside the scrolling chat fights the mouse wheel. */
  gtk_label_set_wrap (GTK_LABEL (code), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (code), PANGO_WRAP_CHAR);
  gtk_widget_set_focus_on_click (code, FALSE);
  gtk_widget_add_css_class (code, "md-code-text");
  gtk_widget_add_css_class (code, "monospace");
  gtk_box_append (GTK_BOX (frame), code);

  *out_label = GTK_LABEL (code);
  return frame;
}

static Slot
slot_new (const WrMarkdownBlock *block)
{
  Slot slot = { NULL, NULL };
  int margin = 0;

  switch (block->kind)
    {
    case WR_MARKDOWN_BLOCK_CODE:
      slot.widget = code_block_new (block, &slot.label);
      margin = block->indent * INDENT_STEP;
      break;

    case WR_MARKDOWN_BLOCK_RULE:
      slot.widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_add_css_class (slot.widget, "md-rule");
      margin = block->indent * INDENT_STEP;
      break;

    case WR_MARKDOWN_BLOCK_LIST_ITEM:
      {
        GtkWidget *bullet = gtk_label_new (block->bullet);
        GtkWidget *text = text_label_new ();

        slot.widget = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        gtk_widget_add_css_class (slot.widget, "md-list-item");
        gtk_label_set_xalign (GTK_LABEL (bullet), 0.0f);
        gtk_label_set_yalign (GTK_LABEL (bullet), 0.0f);
        gtk_widget_set_valign (bullet, GTK_ALIGN_START);
        gtk_widget_set_size_request (bullet, INDENT_STEP, -1);
        gtk_widget_add_css_class (bullet, "md-bullet");
        gtk_box_append (GTK_BOX (slot.widget), bullet);
        gtk_label_set_markup (GTK_LABEL (text), block->markup);
        gtk_box_append (GTK_BOX (slot.widget), text);
        slot.label = GTK_LABEL (text);
        margin = (block->indent - 1) * INDENT_STEP;
      }
      break;

    case WR_MARKDOWN_BLOCK_HEADING:
    case WR_MARKDOWN_BLOCK_PARAGRAPH:
    case WR_MARKDOWN_BLOCK_QUOTE:
    default:
      slot.widget = text_label_new ();
      slot.label = GTK_LABEL (slot.widget);
      gtk_label_set_markup (slot.label, block->markup);
      gtk_widget_add_css_class (slot.widget,
                                block->kind == WR_MARKDOWN_BLOCK_HEADING ? "md-heading" : "md-paragraph");
      if (block->kind == WR_MARKDOWN_BLOCK_HEADING)
        gtk_accessible_update_property (GTK_ACCESSIBLE (slot.widget),
                                        GTK_ACCESSIBLE_PROPERTY_LEVEL, (int) block->level,
                                        -1);
      margin = block->indent * INDENT_STEP;
      break;
    }

  if (block->quote_depth > 0)
    {
      gtk_widget_add_css_class (slot.widget, "md-quote");
      margin += (block->quote_depth - 1) * QUOTE_STEP;
    }

  gtk_widget_set_margin_start (slot.widget, MAX (margin, 0));
  return slot;
}

static void
slot_update (Slot                  *slot,
             const WrMarkdownBlock *block)
{
  if (slot->label == NULL)
    return;

  if (block->kind == WR_MARKDOWN_BLOCK_CODE)
    gtk_label_set_text (slot->label, block->text);
  else
    gtk_label_set_markup (slot->label, block->markup);
}

/* ```chart blocks */

static gboolean
is_chart_block (const WrMarkdownBlock *block)
{
  return block->kind == WR_MARKDOWN_BLOCK_CODE && g_strcmp0 (block->language, "chart") == 0;
}

/* A chart once the text is final (a streaming spec is shown as code); an
 * invalid spec stays code with a dim line saying why. */
static Slot
view_slot_new (WrMarkdownView        *self,
               const WrMarkdownBlock *block)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *chart;
  GtkWidget *note;
  Slot slot;

  if (!is_chart_block (block))
    return slot_new (block);
  if (!self->final)
    {
      slot = slot_new (block);
      slot.chart_pending = TRUE;
      return slot;
    }
  chart = _wr_chart_block_new (block->text, &error);
  if (chart != NULL)
    {
      slot = (Slot) { chart, NULL, FALSE };
      gtk_widget_set_margin_start (chart, block->indent * INDENT_STEP);
      return slot;
    }
  slot = slot_new (block);
  note = gtk_label_new (error->message);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0.0f);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_widget_add_css_class (note, "md-chart-error");
  gtk_box_append (GTK_BOX (slot.widget), note);
  return slot;
}

static void
replace_slot (WrMarkdownView        *self,
              guint                  index,
              const WrMarkdownBlock *block)
{
  Slot *slot = &g_array_index (self->slots, Slot, index);
  Slot fresh = view_slot_new (self, block);

  gtk_widget_insert_before (fresh.widget, GTK_WIDGET (self), slot->widget);
  gtk_widget_unparent (slot->widget);
  *slot = fresh;
}

static void
draw_pending_charts (WrMarkdownView *self)
{
  for (guint i = 0; i < self->slots->len && i < self->shown->len; i++)
    if (g_array_index (self->slots, Slot, i).chart_pending)
      replace_slot (self, i, g_ptr_array_index (self->shown, i));
}

static void
wr_markdown_view_apply (WrMarkdownView *self,
                        GPtrArray      *blocks)
{
  g_autoptr(GArray) changes = wr_markdown_diff (self->shown, blocks);

  for (guint i = 0; i < changes->len; i++)
    {
      const WrMarkdownChange *change = &g_array_index (changes, WrMarkdownChange, i);
      const WrMarkdownBlock *block = NULL;
      Slot *slot;
      Slot fresh;

      if (change->kind != WR_MARKDOWN_CHANGE_REMOVE)
        block = g_ptr_array_index (blocks, change->index);

      switch (change->kind)
        {
        case WR_MARKDOWN_CHANGE_UPDATE:
          if (is_chart_block (block) && self->final)
            {
              replace_slot (self, change->index, block);
              break;
            }
          slot_update (&g_array_index (self->slots, Slot, change->index), block);
          break;

        case WR_MARKDOWN_CHANGE_REPLACE:
          slot = &g_array_index (self->slots, Slot, change->index);
          fresh = view_slot_new (self, block);
          gtk_widget_insert_before (fresh.widget, GTK_WIDGET (self), slot->widget);
          gtk_widget_unparent (slot->widget);
          *slot = fresh;
          break;

        case WR_MARKDOWN_CHANGE_INSERT:
          g_assert (change->index == self->slots->len);
          fresh = view_slot_new (self, block);
          gtk_widget_insert_before (fresh.widget, GTK_WIDGET (self), NULL);
          g_array_append_val (self->slots, fresh);
          break;

        case WR_MARKDOWN_CHANGE_REMOVE:
          g_assert (change->index == self->slots->len - 1);
          gtk_widget_unparent (g_array_index (self->slots, Slot, change->index).widget);
          g_array_set_size (self->slots, change->index);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* Keep our own references: the document reuses its array. */
  g_ptr_array_set_size (self->shown, 0);
  for (guint i = 0; i < blocks->len; i++)
    g_ptr_array_add (self->shown, wr_markdown_block_ref (g_ptr_array_index (blocks, i)));

  gtk_widget_set_visible (GTK_WIDGET (self), self->slots->len > 0);
}

static void
wr_markdown_view_dispose (GObject *object)
{
  WrMarkdownView *self = WR_MARKDOWN_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_array_set_size (self->slots, 0);

  G_OBJECT_CLASS (wr_markdown_view_parent_class)->dispose (object);
}

static void
wr_markdown_view_finalize (GObject *object)
{
  WrMarkdownView *self = WR_MARKDOWN_VIEW (object);

  g_clear_pointer (&self->document, wr_markdown_document_free);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->slots, g_array_unref);

  G_OBJECT_CLASS (wr_markdown_view_parent_class)->finalize (object);
}

static void
wr_markdown_view_class_init (WrMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wr_markdown_view_dispose;
  object_class->finalize = wr_markdown_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdown");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /* An in-text [n] was clicked (see wr_markdown_view_set_n_citations()). */
  signals[CITATION_ACTIVATED] =
    g_signal_new ("citation-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
wr_markdown_view_init (WrMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 10);

  self->document = wr_markdown_document_new ();
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) wr_markdown_block_unref);
  self->slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
wr_markdown_view_new (void)
{
  return g_object_new (WR_TYPE_MARKDOWN_VIEW, NULL);
}

void
wr_markdown_view_set_text (WrMarkdownView *self,
                           const char     *text,
                           gboolean        final)
{
  g_return_if_fail (WR_IS_MARKDOWN_VIEW (self));

  self->final = final;
  if (wr_markdown_document_set_text (self->document, text, -1, final))
    wr_markdown_view_apply (self, wr_markdown_document_get_blocks (self->document));
  if (final)
    draw_pending_charts (self);
  if (final && self->n_citations > 0)
    link_all_citations (self);
}

/* In-text citations ----------------------------------------------------- */

/* @markup with each [n] / [n, m] (1 ≤ n ≤ @n_sources) outside tags, links
 * and code made links to "cite:n" (transfer full). */
static char *
link_citations (const char *markup,
                guint       n_sources)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint in_link = 0;
  guint in_code = 0;
  const char *p = markup;

  while (*p != '\0')
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');

          if (end == NULL)
            break;
          if (g_str_has_prefix (p, "<a "))
            in_link++;
          else if (g_str_has_prefix (p, "</a>") && in_link > 0)
            in_link--;
          else if (g_str_has_prefix (p, "<tt>"))
            in_code++;
          else if (g_str_has_prefix (p, "</tt>") && in_code > 0)
            in_code--;
          g_string_append_len (out, p, end + 1 - p);
          p = end + 1;
          continue;
        }

      if (*p == '[' && in_link == 0 && in_code == 0 && g_ascii_isdigit (p[1]))
        {
          const char *q = p + 1;
          gboolean valid = TRUE;

          /* The whole group must be numbers in range. */
          while (valid)
            {
              guint64 n = g_ascii_strtoull (q, (char **) &q, 10);

              valid = n >= 1 && n <= n_sources;
              if (*q == ']')
                break;
              if (*q != ',')
                valid = FALSE;
              else
                {
                  q++;
                  while (*q == ' ')
                    q++;
                  valid = valid && g_ascii_isdigit (*q);
                }
            }

          if (valid && *q == ']')
            {
              const char *r = p + 1;

              g_string_append_c (out, '[');
              while (r < q)
                {
                  const char *start = r;

                  while (g_ascii_isdigit (*r))
                    r++;
                  g_string_append_printf (out, "<a href=\"cite:%.*s\">%.*s</a>",
                                          (int) (r - start), start, (int) (r - start), start);
                  while (r < q && !g_ascii_isdigit (*r))
                    g_string_append_c (out, *r++);
                }
              g_string_append_c (out, ']');
              p = q + 1;
              continue;
            }
        }

      g_string_append_c (out, *p++);
    }
  g_string_append (out, p);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
on_label_activate_link_cb (GtkLabel       *label,
                           const char     *uri,
                           WrMarkdownView *self)
{
  if (!g_str_has_prefix (uri, "cite:"))
    return FALSE;

  g_signal_emit (self, signals[CITATION_ACTIVATED], 0, (guint) g_ascii_strtoull (uri + 5, NULL, 10));
  return TRUE;
}

static void
link_all_citations (WrMarkdownView *self)
{
  for (guint i = 0; i < self->slots->len && i < self->shown->len; i++)
    {
      Slot *slot = &g_array_index (self->slots, Slot, i);
      const WrMarkdownBlock *block = g_ptr_array_index (self->shown, i);
      g_autofree char *linked = NULL;

      if (slot->label == NULL || block->kind == WR_MARKDOWN_BLOCK_CODE || block->markup == NULL ||
          strchr (block->markup, '[') == NULL)
        continue;

      linked = link_citations (block->markup, self->n_citations);
      gtk_label_set_markup (slot->label, linked);
      if (g_object_get_data (G_OBJECT (slot->label), "wr-cite-links") == NULL)
        {
          g_object_set_data (G_OBJECT (slot->label), "wr-cite-links", GINT_TO_POINTER (1));
          g_signal_connect_object (slot->label, "activate-link", G_CALLBACK (on_label_activate_link_cb),
                                   self, 0);
        }
    }
}

void
wr_markdown_view_set_n_citations (WrMarkdownView *self,
                                  guint           n_sources)
{
  g_return_if_fail (WR_IS_MARKDOWN_VIEW (self));

  if (self->n_citations == n_sources)
    return;
  self->n_citations = n_sources;
  if (n_sources > 0)
    link_all_citations (self);
  else
    for (guint i = 0; i < self->slots->len && i < self->shown->len; i++)
      slot_update (&g_array_index (self->slots, Slot, i), g_ptr_array_index (self->shown, i));
}

guint
wr_markdown_view_get_n_blocks (WrMarkdownView *self)
{
  g_return_val_if_fail (WR_IS_MARKDOWN_VIEW (self), 0);
  return self->slots->len;
}
