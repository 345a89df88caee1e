/* test-markdown.c — the chat view's markdown to Pango markup converter. */
#include <string.h>

#include <pango/pango.h>

#include "chat/wr-markdown.h"

/* GtkLabel takes <a href> out before handing the rest to Pango; do the same
 * (attribute values are escaped, so they hold no '"'), then require that
 * both GMarkup and Pango accept the result. */
static void
assert_valid_markup (const char *markup)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) links = g_regex_new ("<a href=\"[^\"<>]*\"( title=\"[^\"<>]*\")?>|</a>", 0, 0, NULL);
  g_autofree char *pango_markup = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (markup);
  pango_markup = g_regex_replace_literal (links, markup, -1, 0, "", 0, &error);
  g_assert_no_error (error);
  if (!pango_parse_markup (pango_markup, -1, 0, NULL, &text, NULL, &error))
    g_error ("invalid markup (%s): %.200s", error->message, markup);
}

static void
assert_all_valid (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      WrMarkdownBlock *block = g_ptr_array_index (blocks, i);

      if (block->kind == WR_MARKDOWN_BLOCK_CODE || block->kind == WR_MARKDOWN_BLOCK_RULE)
        g_assert_null (block->markup);
      else
        assert_valid_markup (block->markup);
    }
}

static WrMarkdownBlock *
block_at (GPtrArray *blocks,
          guint      i)
{
  g_assert_cmpuint (i, <, blocks->len);
  return g_ptr_array_index (blocks, i);
}

static void
test_headings (void)
{
  g_autoptr(GPtrArray) blocks = wr_markdown_parse ("# Title\n\nText\n\n### Small *one*\n\nSetext\n---\n", -1);

  g_assert_cmpuint (blocks->len, ==, 4);
  g_assert_cmpint (block_at (blocks, 0)->kind, ==, WR_MARKDOWN_BLOCK_HEADING);
  g_assert_cmpuint (block_at (blocks, 0)->level, ==, 1);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==, "<span weight=\"bold\" size=\"x-large\">Title</span>");
  g_assert_cmpint (block_at (blocks, 1)->kind, ==, WR_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpstr (block_at (blocks, 1)->markup, ==, "Text");
  g_assert_cmpuint (block_at (blocks, 2)->level, ==, 3);
  g_assert_cmpstr (block_at (blocks, 2)->markup, ==, "<span weight=\"bold\" size=\"medium\">Small <i>one</i></span>");
  g_assert_cmpint (block_at (blocks, 3)->kind, ==, WR_MARKDOWN_BLOCK_HEADING);
  g_assert_cmpuint (block_at (blocks, 3)->level, ==, 2);
  assert_all_valid (blocks);
}

static void
test_lists (void)
{
  g_autoptr(GPtrArray) blocks = wr_markdown_parse ("- one\n- two\n  - nested\n\n3. three\n4) four\n\n-\n", -1);
  WrMarkdownBlock *b;

  /* one, two, nested, three, (four starts a new list: ")" delimiter), empty */
  g_assert_cmpuint (blocks->len, ==, 6);

  b = block_at (blocks, 0);
  g_assert_cmpint (b->kind, ==, WR_MARKDOWN_BLOCK_LIST_ITEM);
  g_assert_cmpstr (b->bullet, ==, "•");
  g_assert_cmpuint (b->indent, ==, 1);
  g_assert_cmpstr (b->markup, ==, "one");

  b = block_at (blocks, 2);
  g_assert_cmpint (b->kind, ==, WR_MARKDOWN_BLOCK_LIST_ITEM);
  g_assert_cmpstr (b->bullet, ==, "◦");
  g_assert_cmpuint (b->indent, ==, 2);
  g_assert_cmpstr (b->markup, ==, "nested");

  b = block_at (blocks, 3);
  g_assert_cmpstr (b->bullet, ==, "3.");
  g_assert_cmpuint (b->indent, ==, 1);
  b = block_at (blocks, 4);
  g_assert_cmpstr (b->bullet, ==, "4)");
  g_assert_cmpstr (b->markup, ==, "four");

  b = block_at (blocks, 5);
  g_assert_cmpint (b->kind, ==, WR_MARKDOWN_BLOCK_LIST_ITEM);
  g_assert_cmpstr (b->markup, ==, "");
  assert_all_valid (blocks);
}

static void
test_list_item_with_code (void)
{
  g_autoptr(GPtrArray) blocks = wr_markdown_parse ("1. Run:\n\n   ```sh\n   make\n   ```\n\n   Then done.\n", -1);

  g_assert_cmpuint (blocks->len, ==, 3);
  g_assert_cmpint (block_at (blocks, 0)->kind, ==, WR_MARKDOWN_BLOCK_LIST_ITEM);
  g_assert_cmpstr (block_at (blocks, 0)->bullet, ==, "1.");
  g_assert_cmpint (block_at (blocks, 1)->kind, ==, WR_MARKDOWN_BLOCK_CODE);
  g_assert_cmpuint (block_at (blocks, 1)->indent, ==, 1);
  g_assert_cmpstr (block_at (blocks, 1)->text, ==, "make");
  g_assert_cmpint (block_at (blocks, 2)->kind, ==, WR_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpuint (block_at (blocks, 2)->indent, ==, 1);
}

static void
test_emphasis (void)
{
  g_autoptr(GPtrArray) blocks = wr_markdown_parse ("Some **bold** and _it_ and ***both*** a < b & c > d\\\nnext", -1);

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==,
                   "Some <b>bold</b> and <i>it</i> and <i><b>both</b></i> a &lt; b &amp; c &gt; d\nnext");
  assert_all_valid (blocks);
}

static void
test_links (void)
{
  g_autoptr(GPtrArray) blocks =
    wr_markdown_parse ("[ok](https://example.org/?a=1&b=\"2\" \"T'itle\") "
                       "[mail](mailto:me@example.org) "
                       "[bad](javascript:alert(1)) "
                       "[file](file:///etc/passwd) "
                       "[JS](JAVASCRIPT:alert(1)) "
                       "<https://auto.example/x> "
                       "[![img](https://i.example/p.png)](https://x.example)", -1);
  const char *markup;

  g_assert_cmpuint (blocks->len, ==, 1);
  markup = block_at (blocks, 0)->markup;
  g_assert_nonnull (strstr (markup, "<a href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\" title=\"T&apos;itle\">ok</a>"));
  g_assert_nonnull (strstr (markup, "<a href=\"mailto:me@example.org\">mail</a>"));
  g_assert_nonnull (strstr (markup, "<a href=\"https://auto.example/x\">https://auto.example/x</a>"));
  g_assert_null (strstr (markup, "javascript"));
  g_assert_null (strstr (markup, "JAVASCRIPT"));
  g_assert_null (strstr (markup, "file:"));
  g_assert_nonnull (strstr (markup, " bad "));
  g_assert_nonnull (strstr (markup, " file "));
  /* no link inside a link */
  g_assert_nonnull (strstr (markup, "<a href=\"https://x.example\">img</a>"));
  g_assert_true (wr_markdown_url_is_allowed ("HTTPS://EXAMPLE.ORG"));
  g_assert_false (wr_markdown_url_is_allowed ("data:text/html,hi"));
  g_assert_false (wr_markdown_url_is_allowed (NULL));
  assert_all_valid (blocks);
}

static void
test_inline_code (void)
{
  g_autoptr(GPtrArray) blocks = wr_markdown_parse ("Use `g_free (<b>)` and ``a ` b``", -1);

  g_assert_cmpstr (block_at (blocks, 0)->markup, ==,
                   "Use <tt>g_free (&lt;b&gt;)</tt> and <tt>a ` b</tt>");
  assert_all_valid (blocks);
}

static void
test_code_block (void)
{
  g_autoptr(GPtrArray) blocks =
    wr_markdown_parse ("```python title=x\nprint('<hi>')\n\n```\n\n    indented & code\n\n~~~\nno lang\n~~~\n", -1);

  g_assert_cmpuint (blocks->len, ==, 3);
  g_assert_cmpint (block_at (blocks, 0)->kind, ==, WR_MARKDOWN_BLOCK_CODE);
  g_assert_cmpstr (block_at (blocks, 0)->language, ==, "python");
  g_assert_cmpstr (block_at (blocks, 0)->text, ==, "print('<hi>')");
  g_assert_null (block_at (blocks, 0)->markup);
  g_assert_cmpstr (block_at (blocks, 1)->text, ==, "indented & code");
  g_assert_null (block_at (blocks, 1)->language);
  g_assert_null (block_at (blocks, 2)->language);
  g_assert_cmpstr (block_at (blocks, 2)->text, ==, "no lang");
}

static void
test_raw_html (void)
{
  g_autoptr(GPtrArray) blocks =
    wr_markdown_parse ("<div onclick=\"x\">\n<span foreground=\"red\">hi</span>\n</div>\n\n"
                       "Inline <span foreground=\"red\" size=\"999999\">x</span> and <b>not bold</b>\n\n"
                       "> quoted <i>\n\n---\n", -1);

  g_assert_cmpuint (blocks->len, ==, 4);
  g_assert_cmpint (block_at (blocks, 0)->kind, ==, WR_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpstr (block_at (blocks, 0)->markup, ==,
                   "&lt;div onclick=&quot;x&quot;&gt;\n&lt;span foreground=&quot;red&quot;&gt;hi&lt;/span&gt;\n&lt;/div&gt;");
  g_assert_cmpstr (block_at (blocks, 1)->markup, ==,
                   "Inline &lt;span foreground=&quot;red&quot; size=&quot;999999&quot;&gt;x&lt;/span&gt; "
                   "and &lt;b&gt;not bold&lt;/b&gt;");
  g_assert_cmpint (block_at (blocks, 2)->kind, ==, WR_MARKDOWN_BLOCK_QUOTE);
  g_assert_cmpuint (block_at (blocks, 2)->quote_depth, ==, 1);
  g_assert_cmpstr (block_at (blocks, 2)->markup, ==, "quoted &lt;i&gt;");
  g_assert_cmpint (block_at (blocks, 3)->kind, ==, WR_MARKDOWN_BLOCK_RULE);
  assert_all_valid (blocks);
}

static void
test_hostile (void)
{
  static const char * const inputs[] = {
    "<span foreground=\"red\"",
    "</b></i></span></tt></a>",
    "**<b>*<i>`</tt>`</i>*</b>**",
    "[x](https://a\"b<c>d&e' onclick=\"f)",
    "[x](<https://a\"><span>)",
    "&amp; &lt; &#0; &#x1; &#xD800; &#1114112; &bogus; & < >",
    "\x01\x02\x1b[31m control \x7f",
    "bad utf8 \xff\xfe\xc3 \xe2\x82 end",
    "# <a href=\"javascript:x\">h</a>\n***[*a*](https://x)***",
    "`unterminated **code\n\n```\nunclosed fence <b>",
    "[a]: https://ref.example\n\n[a] [b][a] [c]\n",
    "* a\n  > b\n  > * c\n  >   ```\n  >   d",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GPtrArray) blocks = wr_markdown_parse (inputs[i], -1);
      assert_all_valid (blocks);
    }

  /* Deep nesting must neither overflow the stack nor produce bad markup. */
  {
    g_autoptr(GString) deep = g_string_new (NULL);
    g_autoptr(GPtrArray) blocks = NULL;

    for (guint i = 0; i < 20000; i++)
      g_string_append (deep, "> ");
    g_string_append (deep, "- - - - - - - - - - - - - - - - - - - - *x* [y](https://z)\n");
    for (guint i = 0; i < 20000; i++)
      g_string_append (deep, "*[_");
    blocks = wr_markdown_parse (deep->str, deep->len);
    g_assert_cmpuint (blocks->len, >, 0);
    g_assert_cmpuint (block_at (blocks, 0)->quote_depth, <=, 8);
    assert_all_valid (blocks);
  }

  /* Huge input */
  {
    g_autoptr(GString) huge = g_string_new (NULL);
    g_autoptr(GPtrArray) blocks = NULL;

    for (guint i = 0; i < 50000; i++)
      g_string_append_printf (huge, "Line %u with <span> & **bold** `code` [l](https://e/%u)\n%s", i, i,
                              i % 10 == 0 ? "\n" : "");
    blocks = wr_markdown_parse (huge->str, huge->len);
    g_assert_cmpuint (blocks->len, ==, 5001);
    assert_all_valid (blocks);
  }

  /* Random bytes, with markdown and markup punctuation overrepresented. */
  {
    static const char alphabet[] = "<>&\"'*_`[]()!#-+>\n \\:/hjavscript=a1\xc3\xa9\xff";
    GRand *rand = g_rand_new_with_seed (42);

    for (guint round = 0; round < 300; round++)
      {
        char buf[257];
        guint len = g_rand_int_range (rand, 0, sizeof buf);
        g_autoptr(GPtrArray) blocks = NULL;

        for (guint i = 0; i < len; i++)
          buf[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
        buf[len] = '\0';
        blocks = wr_markdown_parse (buf, len);
        assert_all_valid (blocks);
      }
    g_rand_free (rand);
  }
}

static void
test_diff_append (void)
{
  const char *text = "# Plan\n\nFirst paragraph.\n\n- a\n- b\n\nThe last one is stre";
  g_autoptr(GPtrArray) before = wr_markdown_parse (text, -1);
  g_autofree char *longer = g_strconcat (text, "aming **now**", NULL);
  g_autoptr(GPtrArray) after = wr_markdown_parse (longer, -1);
  g_autoptr(GArray) changes = wr_markdown_diff (before, after);
  g_autoptr(GArray) none = wr_markdown_diff (after, after);
  g_autoptr(GArray) grow = NULL;
  g_autoptr(GArray) shrink = NULL;
  g_autoptr(GPtrArray) more = NULL;
  WrMarkdownChange *change;

  g_assert_cmpuint (before->len, ==, 5);
  g_assert_cmpuint (after->len, ==, 5);
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, WrMarkdownChange, 0);
  g_assert_cmpint (change->kind, ==, WR_MARKDOWN_CHANGE_UPDATE);
  g_assert_cmpuint (change->index, ==, 4);
  g_assert_cmpuint (none->len, ==, 0);

  /* A new block at the end; the old last block turns into a heading. */
  more = wr_markdown_parse ("# Plan\n\nFirst paragraph.\n\n- a\n- b\n\nSetext\n===\n\n```c\nx\n```\n", -1);
  grow = wr_markdown_diff (before, more);
  g_assert_cmpuint (grow->len, ==, 2);
  g_assert_cmpint (g_array_index (grow, WrMarkdownChange, 0).kind, ==, WR_MARKDOWN_CHANGE_REPLACE);
  g_assert_cmpuint (g_array_index (grow, WrMarkdownChange, 0).index, ==, 4);
  g_assert_cmpint (g_array_index (grow, WrMarkdownChange, 1).kind, ==, WR_MARKDOWN_CHANGE_INSERT);
  g_assert_cmpuint (g_array_index (grow, WrMarkdownChange, 1).index, ==, 5);

  shrink = wr_markdown_diff (more, NULL);
  g_assert_cmpuint (shrink->len, ==, 6);
  g_assert_cmpint (g_array_index (shrink, WrMarkdownChange, 0).kind, ==, WR_MARKDOWN_CHANGE_REMOVE);
  g_assert_cmpuint (g_array_index (shrink, WrMarkdownChange, 0).index, ==, 5);
  g_assert_cmpuint (g_array_index (shrink, WrMarkdownChange, 5).index, ==, 0);
}

/* Feeds @text to a document in small pieces, as a stream would, and
 * checks after each piece that the incremental parse equals a full one. */
static void
stream_and_compare (const char *text,
                    guint       step)
{
  g_autoptr(WrMarkdownDocument) doc = wr_markdown_document_new ();
  gsize len = strlen (text);

  for (gsize n = 0; n <= len; n = (n == len) ? len + 1 : MIN (n + step, len))
    {
      g_autoptr(GPtrArray) full = wr_markdown_parse (text, n);
      g_autoptr(GArray) changes = NULL;
      GPtrArray *blocks;

      wr_markdown_document_set_text (doc, text, n, FALSE);
      blocks = wr_markdown_document_get_blocks (doc);
      changes = wr_markdown_diff (blocks, full);
      if (changes->len != 0)
        g_error ("incremental parse differs from a full one after %" G_GSIZE_FORMAT " bytes of %s",
                 n, text);
    }

  wr_markdown_document_set_text (doc, text, -1, TRUE);
  {
    g_autoptr(GPtrArray) full = wr_markdown_parse (text, -1);
    g_autoptr(GArray) changes = wr_markdown_diff (wr_markdown_document_get_blocks (doc), full);
    g_assert_cmpuint (changes->len, ==, 0);
  }
}

static void
test_document_incremental (void)
{
  static const char answer[] =
    "# Heading\n\nSome *text* that\ncontinues lazily.\n\n"
    "Setext\n------\n\n"
    "1. one\n2. two\n\n   more of two\n\n"
    "> quote\ncontinued\n\n"
    "```python\ndef f():\n    return '<x>'\n```\n\n"
    "    indented\n\n"
    "---\n\n"
    "- a\n\n- b\n  - c\n\n"
    "<div>html</div>\n\n"
    "Last **bold** [link](https://example.org)";
  g_autoptr(WrMarkdownDocument) doc = wr_markdown_document_new ();
  g_autoptr(GString) grown = g_string_new ("# Title\n\nIntro.\n\nLast ");
  GPtrArray *blocks;
  WrMarkdownBlock *first, *second;

  stream_and_compare (answer, 1);
  stream_and_compare (answer, 7);
  stream_and_compare ("a\r\nb\r\n\r\n- c\r- d\r\n\r\n```\r\nx\r\n", 1);

  /* Appending keeps the blocks before the last top-level one themselves
   * and parses only that one again. */
  wr_markdown_document_set_text (doc, grown->str, grown->len, FALSE);
  blocks = wr_markdown_document_get_blocks (doc);
  g_assert_cmpuint (blocks->len, ==, 3);
  first = g_ptr_array_index (blocks, 0);
  second = g_ptr_array_index (blocks, 1);
  g_string_append (grown, "words.\n\nMore text.");
  g_assert_true (wr_markdown_document_set_text (doc, grown->str, grown->len, FALSE));
  blocks = wr_markdown_document_get_blocks (doc);
  g_assert_cmpuint (blocks->len, ==, 4);
  g_assert_true (g_ptr_array_index (blocks, 0) == first);
  g_assert_true (g_ptr_array_index (blocks, 1) == second);
  g_assert_cmpstr (((WrMarkdownBlock *) g_ptr_array_index (blocks, 2))->markup, ==, "Last words.");
  g_assert_false (wr_markdown_document_set_text (doc, grown->str, grown->len, FALSE));

  /* Replacing the text (not an append) parses it all again. */
  g_assert_true (wr_markdown_document_set_text (doc, "other", -1, FALSE));
  g_assert_cmpuint (wr_markdown_document_get_blocks (doc)->len, ==, 1);
  g_assert_cmpstr (((WrMarkdownBlock *) g_ptr_array_index (wr_markdown_document_get_blocks (doc), 0))->markup,
                   ==, "other");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/markdown/headings", test_headings);
  g_test_add_func ("/markdown/lists", test_lists);
  g_test_add_func ("/markdown/list-item-with-code", test_list_item_with_code);
  g_test_add_func ("/markdown/emphasis", test_emphasis);
  g_test_add_func ("/markdown/links", test_links);
  g_test_add_func ("/markdown/inline-code", test_inline_code);
  g_test_add_func ("/markdown/code-block", test_code_block);
  g_test_add_func ("/markdown/raw-html", test_raw_html);
  g_test_add_func ("/markdown/hostile", test_hostile);
  g_test_add_func ("/markdown/diff-append", test_diff_append);
  g_test_add_func ("/markdown/document-incremental", test_document_incremental);

  return g_test_run ();
}
