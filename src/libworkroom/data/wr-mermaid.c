/* wr-mermaid.c — the Mermaid flowchart parser (see wr-mermaid.h).
 *
 * A hand-written scanner over statements separated by newlines and ";":
 * nothing in the source is ever run or fetched (click lines are dropped).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "wr-mermaid-private.h"

#define MAX_SUBGRAPH_DEPTH 32

G_DEFINE_QUARK (wr-mermaid-error-quark, wr_mermaid_error)

typedef struct {
  const char       *p;
  const char       *end;
  guint             line;
  WrMermaidDiagram *diagram;
  GHashTable       *node_ids;     /* id → index + 1 */
  GArray           *subgraphs;    /* int: open subgraphs, innermost last */
  GError          **error;
} Parser;

typedef struct {
  WrMermaidLine line;
  gboolean      arrow_start;
  gboolean      arrow_end;
  guint         length;
  char         *label;
} Link;

static void
node_free (gpointer data)
{
  WrMermaidNode *node = data;

  g_free (node->id);
  g_free (node->label);
  g_free (node);
}

static void
edge_free (gpointer data)
{
  WrMermaidEdge *edge = data;

  g_free (edge->label);
  g_free (edge->points);
  g_free (edge);
}

static void
subgraph_free (gpointer data)
{
  WrMermaidSubgraph *subgraph = data;

  g_free (subgraph->id);
  g_free (subgraph->title);
  g_free (subgraph);
}

void
wr_mermaid_diagram_free (WrMermaidDiagram *diagram)
{
  if (diagram == NULL)
    return;
  g_ptr_array_unref (diagram->nodes);
  g_ptr_array_unref (diagram->edges);
  g_ptr_array_unref (diagram->subgraphs);
  g_free (diagram);
}

/* Errors */

G_GNUC_PRINTF (2, 3) static gboolean
syntax_error (Parser     *P,
              const char *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_SYNTAX,
               _("Line %u of the flowchart could not be read: %s. Fix the source to see the diagram."),
               P->line, what);
  return FALSE;
}

/* Scanning */

static gboolean
at_end (Parser *P)
{
  return P->p >= P->end;
}

static char
peek (Parser *P,
      gsize   ahead)
{
  return (gsize) (P->end - P->p) > ahead ? P->p[ahead] : '\0';
}

static gboolean
looking_at (Parser     *P,
            const char *text)
{
  gsize len = strlen (text);

  return (gsize) (P->end - P->p) >= len && memcmp (P->p, text, len) == 0;
}

static void
skip_blanks (Parser *P)
{
  while (!at_end (P) && (*P->p == ' ' || *P->p == '\t' || *P->p == '\r'))
    P->p++;
}

static gboolean
at_statement_end (Parser *P)
{
  return at_end (P) || *P->p == '\n' || *P->p == ';' || looking_at (P, "%%");
}

/* Skips the rest of the statement (up to a newline or ";"). */
static void
skip_statement (Parser *P)
{
  while (!at_end (P) && *P->p != '\n' && *P->p != ';')
    P->p++;
}

static void
skip_line (Parser *P)
{
  while (!at_end (P) && *P->p != '\n')
    P->p++;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || (guchar) c >= 0x80;
}

static gboolean
is_id_char (Parser *P,
            gsize   ahead)
{
  char c = peek (P, ahead);

  if (is_word_char (c))
    return TRUE;
  /* "my-node" is one id, but "A-->B", "A-.->B" and "A--text" are links. */
  if (c == '-')
    return is_word_char (peek (P, ahead + 1));
  return FALSE;
}

/* A keyword at the start of a statement: @word followed by no id char. */
static gboolean
at_keyword (Parser     *P,
            const char *word)
{
  gsize len = strlen (word);

  return looking_at (P, word) && !is_id_char (P, len);
}

/* Labels */

static void
replace_all (GString    *text,
             const char *find,
             const char *with)
{
  g_string_replace (text, find, with, 0);
}

static gboolean
check_label_length (Parser     *P,
                    const char *label)
{
  if (g_utf8_strlen (label, -1) > WR_MERMAID_MAX_LABEL)
    {
      g_set_error (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_TOO_LARGE,
                   _("A label on line %u is longer than %d characters; shorten it to see the diagram."),
                   P->line, WR_MERMAID_MAX_LABEL);
      return FALSE;
    }
  return TRUE;
}

/* Mermaid's entity codes (#quot; #35;) and <br> line breaks; trimmed.
 * Returns NULL with the error set when too long. */
static char *
clean_label (Parser     *P,
             const char *start,
             gsize       len)
{
  g_autoptr(GString) text = g_string_new_len (start, len);
  GString *out;

  for (gsize i = 0; i < text->len; i++)
    if (text->str[i] == '\r' || text->str[i] == '\t')
      text->str[i] = ' ';

  replace_all (text, "<br/>", "\n");
  replace_all (text, "<br />", "\n");
  replace_all (text, "<br>", "\n");
  replace_all (text, "<BR>", "\n");

  /* "`**markdown**`" strings: the backticks go, the text stays. */
  g_strstrip (text->str);
  text->len = strlen (text->str);
  if (text->len >= 2 && text->str[0] == '`' && text->str[text->len - 1] == '`')
    {
      g_string_truncate (text, text->len - 1);
      g_string_erase (text, 0, 1);
    }

  out = g_string_sized_new (text->len);
  for (const char *s = text->str; *s != '\0';)
    {
      const char *semi;

      if (*s == '#' && (semi = strchr (s + 1, ';')) != NULL && semi - s <= 8 && semi - s > 1)
        {
          g_autofree char *name = g_strndup (s + 1, semi - s - 1);
          gunichar ch = 0;

          if (g_str_equal (name, "quot"))
            ch = '"';
          else if (g_str_equal (name, "amp"))
            ch = '&';
          else if (g_str_equal (name, "lt"))
            ch = '<';
          else if (g_str_equal (name, "gt"))
            ch = '>';
          else if (g_ascii_isdigit (name[0]))
            {
              guint64 value = 0;

              if (g_ascii_string_to_unsigned (name, 10, 1, 0x10FFFF, &value, NULL))
                ch = (gunichar) value;
            }
          if (ch != 0 && g_unichar_validate (ch))
            {
              g_string_append_unichar (out, ch);
              s = semi + 1;
              continue;
            }
        }
      g_string_append_c (out, *s);
      s++;
    }

  if (!check_label_length (P, out->str))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* A quoted string at P->p ('"'); returns its cleaned text. */
static char *
read_quoted (Parser *P)
{
  const char *start = P->p + 1;
  const char *close = memchr (start, '"', P->end - start);

  if (close == NULL)
    {
      syntax_error (P, _("a quoted text is not closed with “\"”"));
      return NULL;
    }
  for (const char *s = P->p; s < close; s++)
    if (*s == '\n')
      P->line++;
  P->p = close + 1;
  return clean_label (P, start, close - start);
}

/* Nodes */

typedef struct {
  const char     *open;
  const char     *close;
  const char     *close2;   /* nullable: a second accepted closer */
  WrMermaidShape  shape;
} ShapeSyntax;

/* Longest openers first. */
static const ShapeSyntax shapes[] = {
  { "(((", ")))", NULL, WR_MERMAID_SHAPE_CIRCLE },
  { "((", "))", NULL, WR_MERMAID_SHAPE_CIRCLE },
  { "([", "])", NULL, WR_MERMAID_SHAPE_STADIUM },
  { "(", ")", NULL, WR_MERMAID_SHAPE_ROUND },
  { "[[", "]]", NULL, WR_MERMAID_SHAPE_SUBROUTINE },
  { "[(", ")]", NULL, WR_MERMAID_SHAPE_CYLINDER },
  { "[/", "/]", "\\]", WR_MERMAID_SHAPE_PARALLELOGRAM },
  { "[\\", "\\]", "/]", WR_MERMAID_SHAPE_PARALLELOGRAM },
  { "[", "]", NULL, WR_MERMAID_SHAPE_RECT },
  { "{{", "}}", NULL, WR_MERMAID_SHAPE_HEXAGON },
  { "{", "}", NULL, WR_MERMAID_SHAPE_RHOMBUS },
  { ">", "]", NULL, WR_MERMAID_SHAPE_ASYMMETRIC },
};

/* The text of a shape after its opener, up to @syntax's closer. */
static char *
read_shape_text (Parser            *P,
                 const ShapeSyntax *syntax,
                 const char        *id)
{
  g_autofree char *label = NULL;
  const char *start;

  skip_blanks (P);
  if (!at_end (P) && *P->p == '"')
    {
      label = read_quoted (P);
      if (label == NULL)
        return NULL;
      skip_blanks (P);
      if (looking_at (P, syntax->close))
        P->p += strlen (syntax->close);
      else if (syntax->close2 != NULL && looking_at (P, syntax->close2))
        P->p += strlen (syntax->close2);
      else
        {
          syntax_error (P, _("the text of node “%s” is not closed with “%s”"), id, syntax->close);
          return NULL;
        }
      return g_steal_pointer (&label);
    }

  start = P->p;
  while (!at_end (P) && *P->p != '\n')
    {
      if (looking_at (P, syntax->close) ||
          (syntax->close2 != NULL && looking_at (P, syntax->close2)))
        {
          const char *text_end = P->p;

          P->p += looking_at (P, syntax->close) ? strlen (syntax->close) : strlen (syntax->close2);
          return clean_label (P, start, text_end - start);
        }
      P->p++;
    }
  syntax_error (P, _("the text of node “%s” is not closed with “%s”"), id, syntax->close);
  return NULL;
}

static gboolean
add_node (Parser     *P,
          char       *id,          /* transfer full */
          char       *label,       /* transfer full, nullable */
          gboolean    has_shape,
          WrMermaidShape shape,
          guint      *out_index)
{
  WrMermaidDiagram *d = P->diagram;
  gpointer found = g_hash_table_lookup (P->node_ids, id);
  int innermost = P->subgraphs->len > 0 ? g_array_index (P->subgraphs, int, P->subgraphs->len - 1) : -1;
  WrMermaidNode *node;

  if (found != NULL)
    {
      node = g_ptr_array_index (d->nodes, GPOINTER_TO_UINT (found) - 1);
      g_free (id);
      *out_index = GPOINTER_TO_UINT (found) - 1;
    }
  else
    {
      if (d->nodes->len >= WR_MERMAID_MAX_NODES)
        {
          g_free (id);
          g_free (label);
          g_set_error (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_TOO_LARGE,
                       _("The flowchart has more than %d nodes, too many to draw; split it into smaller diagrams."),
                       WR_MERMAID_MAX_NODES);
          return FALSE;
        }
      node = g_new0 (WrMermaidNode, 1);
      node->id = id;
      node->subgraph = -1;
      node->shape = WR_MERMAID_SHAPE_RECT;
      g_ptr_array_add (d->nodes, node);
      g_hash_table_insert (P->node_ids, node->id, GUINT_TO_POINTER (d->nodes->len));
      *out_index = d->nodes->len - 1;
    }

  /* A node belongs to the subgraph it is first mentioned in. */
  if (node->subgraph < 0)
    node->subgraph = innermost;
  if (has_shape)
    {
      node->shape = shape;
      g_free (node->label);
      node->label = label;
    }
  else
    g_free (label);
  if (node->label == NULL)
    node->label = g_strdup (node->id);
  return TRUE;
}

/* One node at P->p: id, shape and ":::class". FALSE with no error when
 * there is no id here. */
static gboolean
parse_node (Parser   *P,
            guint    *out_index,
            gboolean *out_found)
{
  const char *start = P->p;
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  const ShapeSyntax *syntax = NULL;

  *out_found = FALSE;
  while (!at_end (P) && is_id_char (P, 0))
    P->p++;
  if (P->p == start)
    return TRUE;
  *out_found = TRUE;
  id = g_strndup (start, P->p - start);
  if (!check_label_length (P, id))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    if (looking_at (P, shapes[i].open))
      {
        syntax = &shapes[i];
        break;
      }
  if (syntax != NULL)
    {
      P->p += strlen (syntax->open);
      label = read_shape_text (P, syntax, id);
      if (label == NULL)
        return FALSE;
    }

  if (looking_at (P, ":::"))
    {
      P->p += 3;
      while (!at_end (P) && is_id_char (P, 0))
        P->p++;
    }

  return add_node (P, g_steal_pointer (&id), g_steal_pointer (&label),
                   syntax != NULL, syntax != NULL ? syntax->shape : WR_MERMAID_SHAPE_RECT,
                   out_index);
}

/* Nodes joined by "&". Leaves @group empty with no error when there is no
 * node here. */
static gboolean
parse_group (Parser *P,
             GArray *group)
{
  g_array_set_size (group, 0);
  for (;;)
    {
      guint index;
      gboolean found;

      skip_blanks (P);
      if (!parse_node (P, &index, &found))
        return FALSE;
      if (!found)
        {
          if (group->len > 0)
            return syntax_error (P, _("expected a node after “&”"));
          return TRUE;
        }
      g_array_append_val (group, index);
      skip_blanks (P);
      if (at_end (P) || *P->p != '&')
        return TRUE;
      P->p++;
    }
}

/* Links */

static gboolean
at_link (Parser *P)
{
  if (looking_at (P, "<-") || looking_at (P, "<="))
    return TRUE;
  return looking_at (P, "--") || looking_at (P, "-.") || looking_at (P, "==") || looking_at (P, "~~~");
}

static guint
count_run (Parser *P,
           char    c)
{
  guint n = 0;

  while (!at_end (P) && *P->p == c)
    {
      P->p++;
      n++;
    }
  return n;
}

/* An arrow head after a line: ">", or Mermaid's circle and cross ends
 * (drawn as arrows) when no id follows directly. */
static gboolean
read_head (Parser *P)
{
  if (!at_end (P) && *P->p == '>')
    {
      P->p++;
      return TRUE;
    }
  if (!at_end (P) && (*P->p == 'o' || *P->p == 'x') && !is_id_char (P, 1))
    {
      P->p++;
      return TRUE;
    }
  return FALSE;
}

/* "-- text -->", "== text ==>", "-. text .->": the text after the opener,
 * up to @close, then the rest of the link. */
static gboolean
read_link_text (Parser     *P,
                Link       *link,
                const char *close,
                char        run)
{
  const char *start = P->p;

  while (!at_end (P) && *P->p != '\n' && !looking_at (P, close))
    P->p++;
  if (!looking_at (P, close))
    return syntax_error (P, _("a link’s text is not closed with “%s”"), close);
  link->label = clean_label (P, start, P->p - start);
  if (link->label == NULL)
    return FALSE;
  if (run == '.')
    {
      count_run (P, '.');
      if (count_run (P, '-') == 0)
        return syntax_error (P, _("a dotted link is not closed with “.->” or “.-”"));
    }
  else
    link->length = MAX (count_run (P, run), 2) - 1;
  link->arrow_end = read_head (P);
  return TRUE;
}

static gboolean
parse_link (Parser *P,
            Link   *link)
{
  memset (link, 0, sizeof *link);
  link->length = 1;

  if (!at_end (P) && *P->p == '<')
    {
      link->arrow_start = TRUE;
      P->p++;
    }

  if (looking_at (P, "~~~"))
    {
      count_run (P, '~');
      link->line = WR_MERMAID_LINE_INVISIBLE;
    }
  else if (looking_at (P, "-."))
    {
      guint dots;

      link->line = WR_MERMAID_LINE_DOTTED;
      P->p++;
      dots = count_run (P, '.');
      if (!at_end (P) && *P->p == '-')
        {
          P->p++;
          link->length = dots;
          link->arrow_end = read_head (P);
        }
      else if (dots == 1)
        {
          if (!read_link_text (P, link, ".-", '.'))
            return FALSE;
        }
      else
        return syntax_error (P, _("a dotted link is not closed with “.->” or “.-”"));
    }
  else if (looking_at (P, "--") || looking_at (P, "=="))
    {
      char run = *P->p;
      guint n;

      link->line = run == '=' ? WR_MERMAID_LINE_THICK : WR_MERMAID_LINE_SOLID;
      n = count_run (P, run);
      if (read_head (P))
        {
          link->arrow_end = TRUE;
          link->length = MAX (n, 2) - 1;
        }
      else if (n >= 3)
        link->length = n - 2;
      else if (!read_link_text (P, link, run == '=' ? "==" : "--", run))
        return FALSE;
    }
  else
    return syntax_error (P, _("expected a link such as “-->”"));

  link->length = CLAMP (link->length, 1, 8);

  skip_blanks (P);
  if (!at_end (P) && *P->p == '|')
    {
      const char *start = ++P->p;
      g_autofree char *label = NULL;

      skip_blanks (P);
      if (!at_end (P) && *P->p == '"')
        {
          label = read_quoted (P);
          if (label == NULL)
            return FALSE;
          skip_blanks (P);
          if (at_end (P) || *P->p != '|')
            return syntax_error (P, _("a link’s text is not closed with “|”"));
        }
      else
        {
          while (!at_end (P) && *P->p != '|' && *P->p != '\n')
            P->p++;
          if (at_end (P) || *P->p != '|')
            return syntax_error (P, _("a link’s text is not closed with “|”"));
          label = clean_label (P, start, P->p - start);
          if (label == NULL)
            return FALSE;
        }
      P->p++;
      g_free (link->label);
      link->label = g_steal_pointer (&label);
    }
  if (link->label != NULL && link->label[0] == '\0')
    g_clear_pointer (&link->label, g_free);
  return TRUE;
}

static gboolean
add_edges (Parser     *P,
           GArray     *from,
           GArray     *to,
           const Link *link)
{
  WrMermaidDiagram *d = P->diagram;

  for (guint i = 0; i < from->len; i++)
    for (guint j = 0; j < to->len; j++)
      {
        WrMermaidEdge *edge;

        if (d->edges->len >= WR_MERMAID_MAX_EDGES)
          {
            g_set_error (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_TOO_LARGE,
                         _("The flowchart has more than %d links, too many to draw; split it into smaller diagrams."),
                         WR_MERMAID_MAX_EDGES);
            return FALSE;
          }
        edge = g_new0 (WrMermaidEdge, 1);
        edge->from = g_array_index (from, guint, i);
        edge->to = g_array_index (to, guint, j);
        edge->label = g_strdup (link->label);
        edge->line = link->line;
        edge->arrow_start = link->arrow_start;
        edge->arrow_end = link->arrow_end;
        edge->length = link->length;
        g_ptr_array_add (d->edges, edge);
      }
  return TRUE;
}

/* "A --> B & C -- text --> D" */
static gboolean
parse_chain (Parser *P)
{
  g_autoptr(GArray) group = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!parse_group (P, group))
    return FALSE;
  if (group->len == 0)
    {
      g_autofree char *what = g_utf8_make_valid (P->p, MIN (P->end - P->p, 1));

      if (!at_end (P) && (guchar) *P->p < 0x80 && g_ascii_isprint (*P->p))
        return syntax_error (P, _("unexpected “%s”"), what);
      return syntax_error (P, _("expected a node"));
    }

  for (;;)
    {
      Link link;
      gboolean ok;

      skip_blanks (P);
      if (at_statement_end (P))
        return TRUE;
      if (!at_link (P))
        {
          g_autofree char *what = g_strndup (P->p, 1);

          if ((guchar) *P->p < 0x80 && g_ascii_isprint (*P->p))
            return syntax_error (P, _("unexpected “%s”"), what);
          return syntax_error (P, _("unexpected text after a node"));
        }
      if (!parse_link (P, &link))
        {
          g_free (link.label);
          return FALSE;
        }
      ok = parse_group (P, next);
      if (ok && next->len == 0)
        ok = syntax_error (P, _("expected a node after the link"));
      if (ok)
        ok = add_edges (P, group, next, &link);
      g_free (link.label);
      if (!ok)
        return FALSE;
      g_array_set_size (group, 0);
      g_array_append_vals (group, next->data, next->len);
    }
}

/* Subgraphs */

static gboolean
parse_subgraph (Parser *P)
{
  WrMermaidDiagram *d = P->diagram;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  WrMermaidSubgraph *subgraph;
  int index;

  skip_blanks (P);
  if (at_statement_end (P))
    return syntax_error (P, _("a subgraph needs a name"));
  if (P->subgraphs->len >= MAX_SUBGRAPH_DEPTH)
    return syntax_error (P, _("subgraphs are nested more than %d deep"), MAX_SUBGRAPH_DEPTH);
  if (d->subgraphs->len >= WR_MERMAID_MAX_NODES)
    {
      g_set_error (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_TOO_LARGE,
                   _("The flowchart has more than %d subgraphs, too many to draw; split it into smaller diagrams."),
                   WR_MERMAID_MAX_NODES);
      return FALSE;
    }

  if (*P->p == '"')
    {
      title = read_quoted (P);
      if (title == NULL)
        return FALSE;
    }
  else
    {
      const char *start = P->p;

      while (!at_end (P) && is_id_char (P, 0))
        P->p++;
      if (P->p > start && !at_end (P) && (*P->p == '[' || (*P->p == ' ' && peek (P, 1) == '[')))
        {
          id = g_strndup (start, P->p - start);
          skip_blanks (P);
          P->p++;
          skip_blanks (P);
          if (!at_end (P) && *P->p == '"')
            {
              title = read_quoted (P);
              if (title == NULL)
                return FALSE;
              skip_blanks (P);
              if (at_end (P) || *P->p != ']')
                return syntax_error (P, _("a subgraph’s title is not closed with “]”"));
              P->p++;
            }
          else
            {
              const char *tstart = P->p;

              while (!at_end (P) && *P->p != ']' && *P->p != '\n')
                P->p++;
              if (at_end (P) || *P->p != ']')
                return syntax_error (P, _("a subgraph’s title is not closed with “]”"));
              title = clean_label (P, tstart, P->p - tstart);
              if (title == NULL)
                return FALSE;
              P->p++;
            }
        }
      else
        {
          skip_statement (P);
          title = clean_label (P, start, P->p - start);
          if (title == NULL)
            return FALSE;
        }
    }
  skip_blanks (P);
  if (!at_statement_end (P))
    return syntax_error (P, _("unexpected text after a subgraph’s title"));

  subgraph = g_new0 (WrMermaidSubgraph, 1);
  subgraph->id = id != NULL ? g_steal_pointer (&id) : g_strdup (title);
  subgraph->title = g_steal_pointer (&title);
  subgraph->parent = P->subgraphs->len > 0 ? g_array_index (P->subgraphs, int, P->subgraphs->len - 1) : -1;
  g_ptr_array_add (d->subgraphs, subgraph);
  index = d->subgraphs->len - 1;
  g_array_append_val (P->subgraphs, index);
  return TRUE;
}

/* The header */

static gboolean
parse_header (Parser *P)
{
  static const struct {
    const char        *name;
    WrMermaidDirection direction;
  } directions[] = {
    { "TD", WR_MERMAID_TD }, { "TB", WR_MERMAID_TD }, { "BT", WR_MERMAID_BT },
    { "LR", WR_MERMAID_LR }, { "RL", WR_MERMAID_RL },
    { "v", WR_MERMAID_TD }, { "^", WR_MERMAID_BT }, { ">", WR_MERMAID_LR }, { "<", WR_MERMAID_RL },
  };

  if (at_keyword (P, "graph"))
    P->p += strlen ("graph");
  else if (at_keyword (P, "flowchart-elk"))
    P->p += strlen ("flowchart-elk");
  else if (at_keyword (P, "flowchart"))
    P->p += strlen ("flowchart");
  else
    {
      g_set_error_literal (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_UNSUPPORTED,
                           _("Only flowcharts can be previewed; showing the source."));
      return FALSE;
    }

  P->diagram->direction = WR_MERMAID_TD;
  skip_blanks (P);
  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    {
      gsize len = strlen (directions[i].name);

      if (looking_at (P, directions[i].name) && !is_id_char (P, len))
        {
          P->diagram->direction = directions[i].direction;
          P->p += len;
          break;
        }
    }
  return TRUE;
}

/* "---\ntitle: …\n---" front matter before the header. */
static void
skip_front_matter (Parser *P)
{
  const char *close;

  if (!looking_at (P, "---"))
    return;
  close = g_strstr_len (P->p + 3, P->end - P->p - 3, "\n---");
  if (close == NULL)
    return;
  for (const char *s = P->p; s < close + 4; s++)
    if (*s == '\n')
      P->line++;
  P->p = close + 4;
  skip_line (P);
}

static gboolean
parse_statements (Parser *P)
{
  gboolean have_header = FALSE;

  skip_front_matter (P);
  for (;;)
    {
      /* Between statements: blanks, newlines, ";" and comments. */
      while (!at_end (P))
        {
          if (*P->p == '\n')
            {
              P->line++;
              P->p++;
            }
          else if (*P->p == ' ' || *P->p == '\t' || *P->p == '\r' || *P->p == ';')
            P->p++;
          else if (looking_at (P, "%%"))
            skip_line (P);
          else
            break;
        }
      if (at_end (P))
        break;

      if (!have_header)
        {
          if (!parse_header (P))
            return FALSE;
          have_header = TRUE;
          continue;
        }

      if (at_keyword (P, "end"))
        {
          P->p += 3;
          if (P->subgraphs->len == 0)
            return syntax_error (P, _("“end” without a subgraph to close"));
          g_array_set_size (P->subgraphs, P->subgraphs->len - 1);
          continue;
        }
      if (at_keyword (P, "subgraph"))
        {
          P->p += strlen ("subgraph");
          if (!parse_subgraph (P))
            return FALSE;
          continue;
        }
      if (at_keyword (P, "classDef") || at_keyword (P, "class") || at_keyword (P, "style") ||
          at_keyword (P, "linkStyle") || at_keyword (P, "click") || at_keyword (P, "direction") ||
          at_keyword (P, "accTitle") || at_keyword (P, "accDescr"))
        {
          /* Styling and interaction: ignored. A click's callback or URL is
           * never followed, opened or run. */
          if (at_keyword (P, "accDescr") && g_strstr_len (P->p, MIN (P->end - P->p, 12), "{") != NULL)
            {
              const char *close = memchr (P->p, '}', P->end - P->p);

              for (const char *s = P->p; close != NULL && s < close; s++)
                if (*s == '\n')
                  P->line++;
              P->p = close != NULL ? close + 1 : P->end;
            }
          else
            skip_statement (P);
          continue;
        }
      if (!parse_chain (P))
        return FALSE;
    }

  if (!have_header)
    {
      g_set_error_literal (P->error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_SYNTAX,
                           _("The diagram is empty; write a flowchart such as “graph TD; A --> B”."));
      return FALSE;
    }
  /* A missing "end" is forgiven, as Mermaid's own renderer does not. */
  return TRUE;
}

WrMermaidDiagram *
wr_mermaid_parse (const char  *source,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(WrMermaidDiagram) diagram = NULL;
  g_autoptr(GHashTable) node_ids = NULL;
  g_autoptr(GArray) subgraphs = NULL;
  Parser P = { 0 };

  g_return_val_if_fail (source != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (source);
  if (length > WR_MERMAID_MAX_SOURCE)
    {
      g_set_error (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_TOO_LARGE,
                   _("The diagram is larger than %d KiB, too large to draw; split it into smaller diagrams."),
                   WR_MERMAID_MAX_SOURCE / 1024);
      return NULL;
    }
  if (!g_utf8_validate_len (source, length, NULL))
    {
      g_set_error_literal (error, WR_MERMAID_ERROR, WR_MERMAID_ERROR_SYNTAX,
                           _("The diagram is not valid UTF-8 text; save it as UTF-8 to see it."));
      return NULL;
    }

  diagram = g_new0 (WrMermaidDiagram, 1);
  diagram->nodes = g_ptr_array_new_with_free_func (node_free);
  diagram->edges = g_ptr_array_new_with_free_func (edge_free);
  diagram->subgraphs = g_ptr_array_new_with_free_func (subgraph_free);
  node_ids = g_hash_table_new (g_str_hash, g_str_equal);
  subgraphs = g_array_new (FALSE, FALSE, sizeof (int));

  P.p = source;
  P.end = source + length;
  P.line = 1;
  P.diagram = diagram;
  P.node_ids = node_ids;
  P.subgraphs = subgraphs;
  P.error = error;

  if (!parse_statements (&P))
    return NULL;
  return g_steal_pointer (&diagram);
}
