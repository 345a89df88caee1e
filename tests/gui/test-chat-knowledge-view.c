/* test-chat-knowledge-view.c — a chat that answers from the project's
 * knowledge, in the GUI: the "Use Project Knowledge" switch and its pill,
 * the numbered sources under an answer (mock-cite over real HTTP), and the
 * source viewer opening at the cited slide of a PPTX and the cited page of
 * a PDF (rendered with poppler), with previous/next and a moved file.
 * Needs a display (xvfb-run); screenshots with WR_SCREENSHOT_DIR. */
#include <string.h>

#include <adwaita.h>
#include <cairo-pdf.h>

#include "workroom.h"
#include "wr-chat-view.h"
#include "wr-chat-view-private.h"
#include "wr-citations-bar.h"
#include "wr-message-row.h"
#include "wr-mock-server.h"
#include "wr-source-viewer.h"
#include "wr-source-viewer-private.h"
#include "gui-test-util.h"
#include "../chat/knowledge-test-util.h"

#define SURVEY_TEXT  "Eelgrass meadows in the north basin expanded by forty percent since the dredging stopped."

typedef struct {
  char         *dir;
  WrMockServer *mock;
  WrSession    *session;
  WrProject    *project;
  WrChat       *chat;
  GtkWidget    *window;
  WrChatView   *view;
  char         *pdf_path;
} Fixture;

/* Three A4 pages with distinct text, drawn with Cairo's PDF surface. */
static void
write_pdf (const char *path)
{
  static const char *pages[] = {
    "Harbor inspection report, introduction and scope.",
    "The turbine inspection found worn bearings on pump two.",
    "Recommendations: replace the bearings before winter.",
  };
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 16);
      cairo_move_to (cr, 60, 120);
      cairo_show_text (cr, pages[i]);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deck = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *pdf_id = NULL;
  WrStore *store;
  const char *slides[] = {
    "Welcome", "The quarterly review of the harbor project.",
    "Budget", "Spending stayed within the approved dredging budget.",
    "Survey results", SURVEY_TEXT,
    NULL,
  };

  f->dir = g_dir_make_tmp ("wr-test-chat-knowledge-XXXXXX", &error);
  g_assert_no_error (error);

  /* The environment's provider is the mock server. */
  f->mock = wr_mock_server_new ();
  g_setenv ("OPENAI_BASE_URL", wr_mock_server_get_url (f->mock), TRUE);

  f->session = wr_session_new (f->dir, NULL, &error);
  g_assert_no_error (error);
  store = wr_session_get_store (f->session);
  f->project = wr_store_create_project (store, "Harbor", &error);
  g_assert_no_error (error);

  deck = knowledge_test_write_pptx (f->dir, "review.pptx", slides);
  doc_id = knowledge_test_import (store, wr_project_get_id (f->project), deck);
  f->pdf_path = g_build_filename (f->dir, "inspection.pdf", NULL);
  write_pdf (f->pdf_path);
  pdf_id = knowledge_test_import (store, wr_project_get_id (f->project), f->pdf_path);

  f->chat = wr_store_create_chat (store, wr_project_get_id (f->project), "Harbor questions", &error);
  g_assert_no_error (error);
  wr_chat_set_model (f->chat, WR_MOCK_CITE_MODEL);
  g_assert_true (wr_store_save_chat (store, f->chat, &error));

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  f->view = WR_CHAT_VIEW (wr_chat_view_new (f->session));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));

  wr_chat_view_set_project (f->view, f->project);
  while (_wr_chat_view_get_loading (f->view) || _wr_chat_view_get_chat (f->view) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->chat);
  g_clear_object (&f->project);
  g_clear_object (&f->session);
  g_clear_object (&f->mock);
  gui_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->pdf_path);
}

static WrMessageRow *
find_row_for (GtkWidget *widget,
              WrMessage *message)
{
  if (WR_IS_MESSAGE_ROW (widget) && wr_message_row_get_message (WR_MESSAGE_ROW (widget)) == message)
    return WR_MESSAGE_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      WrMessageRow *row = find_row_for (child, message);
      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
reply_done (gpointer data)
{
  Fixture *f = data;
  GListModel *messages = _wr_chat_view_get_messages (f->view);
  guint n = g_list_model_get_n_items (messages);
  g_autoptr(WrMessage) last = n > 0 ? g_list_model_get_item (messages, n - 1) : NULL;

  return last != NULL && g_strcmp0 (wr_message_get_role (last), "assistant") == 0 &&
         wr_message_get_status (last) == WR_MESSAGE_STATUS_COMPLETE &&
         !wr_chat_service_is_busy (wr_session_get_chat_service (f->session), wr_chat_get_id (f->chat));
}

/* Sends @text from the composer; returns the answer's row. */
static WrMessageRow *
ask (Fixture    *f,
     const char *text)
{
  GtkWidget *composer = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->view), WR_TYPE_CHAT_VIEW,
                                                                   "composer"));
  GListModel *messages = _wr_chat_view_get_messages (f->view);
  g_autoptr(WrMessage) last = NULL;
  WrMessageRow *row;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer)), text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.send", NULL));
  gui_test_wait_ms (50);
  g_assert_true (gui_test_wait_for (reply_done, f, 20000));
  gui_test_wait_ms (300);

  last = g_list_model_get_item (messages, g_list_model_get_n_items (messages) - 1);
  row = find_row_for (_wr_chat_view_get_message_list (f->view), last);
  g_assert_nonnull (row);
  return row;
}

static WrCitationsBar *
row_citations (WrMessageRow *row)
{
  return WR_CITATIONS_BAR (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW,
                                                          "citations_bar"));
}

/* The label under @widget whose markup holds @text (transfer none). */
static GtkLabel *
find_label_with (GtkWidget  *widget,
                 const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label_with (child, text);
      if (label != NULL)
        return label;
    }
  return NULL;
}

static gboolean
viewer_ready (gpointer data)
{
  return !_wr_source_viewer_get_busy (data);
}

/* Clicks source @n under @row's answer; returns the viewer it opened. */
static WrSourceViewer *
open_source (WrMessageRow *row,
             guint         n)
{
  WrCitationsBar *bar = row_citations (row);
  GtkWidget *button = wr_citations_bar_get_button (bar, n);
  WrSourceViewer *viewer;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  viewer = WR_SOURCE_VIEWER (wr_citations_bar_get_last_viewer (bar));
  g_assert_nonnull (viewer);
  g_assert_true (gui_test_wait_for (viewer_ready, viewer, 10000));
  gui_test_wait_ms (200);
  return viewer;
}

static void
test_knowledge_switch (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrChat) stored = NULL;
  GtkWidget *pill = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->view), WR_TYPE_CHAT_VIEW,
                                                               "knowledge_pill"));
  gboolean on = TRUE;

  g_assert_false (gtk_widget_get_visible (pill));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.use-knowledge", NULL));
  g_object_get (f->view, "use-knowledge", &on, NULL);
  g_assert_true (on);
  g_assert_true (wr_chat_get_use_knowledge (_wr_chat_view_get_chat (f->view)));
  g_assert_true (gtk_widget_get_visible (pill));
  gui_test_wait_ms (300);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (pill), "2 documents"));

  stored = wr_store_get_chat (wr_session_get_store (f->session), wr_chat_get_id (f->chat), &error);
  g_assert_no_error (error);
  g_assert_true (wr_chat_get_use_knowledge (stored));
  g_clear_object (&stored);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.use-knowledge", NULL));
  g_assert_false (gtk_widget_get_visible (pill));
  gui_test_wait_ms (300);
  stored = wr_store_get_chat (wr_session_get_store (f->session), wr_chat_get_id (f->chat), &error);
  g_assert_false (wr_chat_get_use_knowledge (stored));
}

static void
test_citations_and_viewer (Fixture       *f,
                           gconstpointer  data)
{
  WrMessageRow *row;
  WrCitationsBar *bar;
  GtkWidget *button;
  WrSourceViewer *viewer;
  g_autofree char *highlighted = NULL;
  const char *label;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "chat.use-knowledge", NULL));

  /* The answer cites the slide; its source is a button under it. */
  row = ask (f, "What did the survey find about eelgrass meadows?");
  bar = row_citations (row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpuint (wr_citations_bar_get_n_cited (bar), ==, 1);
  button = wr_citations_bar_get_button (bar, 1);
  g_assert_nonnull (button);
  label = gtk_button_get_label (GTK_BUTTON (button));
  g_assert_cmpstr (label, ==, "[1] review.pptx · slide 3");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "Eelgrass meadows"));
  gui_test_screenshot (f->window, "chat-knowledge-answer");

  /* The [1] in the text is a link to the same source. */
  {
    GtkWidget *markdown = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), WR_TYPE_MESSAGE_ROW,
                                                                     "markdown"));
    GtkLabel *text = find_label_with (markdown, "According to");
    gboolean handled = FALSE;

    g_assert_nonnull (text);
    g_assert_nonnull (strstr (gtk_label_get_label (text), "[<a href=\"cite:1\">1</a>]"));
    g_signal_emit_by_name (text, "activate-link", "cite:1", &handled);
    g_assert_true (handled);
    viewer = WR_SOURCE_VIEWER (wr_citations_bar_get_last_viewer (bar));
    g_assert_nonnull (viewer);
    g_assert_true (gui_test_wait_for (viewer_ready, viewer, 10000));
    g_assert_cmpstr (_wr_source_viewer_get_place (viewer), ==, "Slide 3 — Survey results");
    gtk_window_destroy (GTK_WINDOW (viewer));
  }

  /* The viewer opens at slide 3, the excerpt highlighted. */
  viewer = open_source (row, 1);
  g_assert_cmpstr (_wr_source_viewer_get_mode (viewer), ==, "text");
  g_assert_cmpstr (_wr_source_viewer_get_place (viewer), ==, "Slide 3 — Survey results");
  g_assert_cmpuint (_wr_source_viewer_get_n_chunks (viewer), ==, 3);
  g_assert_cmpuint (_wr_source_viewer_get_chunk_index (viewer), ==, 2);
  highlighted = _wr_source_viewer_dup_highlighted (viewer);
  g_assert_cmpstr (highlighted, !=, "");
  g_assert_nonnull (strstr (SURVEY_TEXT, highlighted));
  g_assert_false (_wr_source_viewer_get_file_missing (viewer));
  gui_test_screenshot (GTK_WIDGET (viewer), "source-viewer-slide");

  /* Previous passage: slide 2; the last slide has no next. */
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL);
  g_assert_cmpuint (_wr_source_viewer_get_chunk_index (viewer), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL));
  g_assert_cmpuint (_wr_source_viewer_get_chunk_index (viewer), ==, 1);
  g_assert_cmpstr (_wr_source_viewer_get_place (viewer), ==, "Slide 2 — Budget");
  gtk_window_destroy (GTK_WINDOW (viewer));

  /* A PDF page: rendered, at the cited page, with next/previous. */
  row = ask (f, "What did the turbine inspection find?");
  bar = row_citations (row);
  button = wr_citations_bar_get_button (bar, 1);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "[1] inspection.pdf · page 2");
  /* Page 1 matched "inspection" too: offered, not cited, in the popover. */
  g_assert_cmpuint (wr_citations_bar_get_n_cited (bar), ==, 1);
  g_assert_cmpuint (wr_citations_bar_get_n_more (bar), >=, 1);
  g_assert_nonnull (wr_citations_bar_get_button (bar, 2));
  gui_test_screenshot (f->window, "chat-knowledge-more-sources");
  viewer = open_source (row, 1);
  g_assert_cmpstr (_wr_source_viewer_get_mode (viewer), ==, "page");
  g_assert_cmpint (_wr_source_viewer_get_page (viewer), ==, 2);
  g_assert_cmpint (_wr_source_viewer_get_n_pages (viewer), ==, 3);
  g_assert_nonnull (_wr_source_viewer_get_texture (viewer));
  g_assert_cmpint (gdk_texture_get_width (_wr_source_viewer_get_texture (viewer)), ==, 1400);
  g_assert_cmpint (gdk_texture_get_height (_wr_source_viewer_get_texture (viewer)), ==, 1981);
  gui_test_screenshot (GTK_WIDGET (viewer), "source-viewer-pdf");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL));
  g_assert_true (gui_test_wait_for (viewer_ready, viewer, 10000));
  g_assert_cmpint (_wr_source_viewer_get_page (viewer), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL);
  g_assert_true (gui_test_wait_for (viewer_ready, viewer, 10000));
  g_assert_cmpint (_wr_source_viewer_get_page (viewer), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL));
  g_assert_true (gui_test_wait_for (viewer_ready, viewer, 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL));
  g_assert_true (gui_test_wait_for (viewer_ready, viewer, 10000));
  g_assert_cmpint (_wr_source_viewer_get_page (viewer), ==, 1);
  gtk_window_destroy (GTK_WINDOW (viewer));

  /* The PDF moved: the text Workroom kept, and the window says so. */
  g_assert_cmpint (g_unlink (f->pdf_path), ==, 0);
  viewer = open_source (row, 1);
  g_assert_cmpstr (_wr_source_viewer_get_mode (viewer), ==, "text");
  g_assert_true (_wr_source_viewer_get_file_missing (viewer));
  g_assert_cmpstr (_wr_source_viewer_get_place (viewer), ==, "Page 2");
  g_clear_pointer (&highlighted, g_free);
  highlighted = _wr_source_viewer_dup_highlighted (viewer);
  g_assert_nonnull (strstr (highlighted, "turbine inspection"));
  gtk_window_destroy (GTK_WINDOW (viewer));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("WORKROOM_NO_OLLAMA_DETECT", "1", TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-test-not-a-key", TRUE);
  g_unsetenv ("WORKROOM_DEFAULT_MODEL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/chat-knowledge-view/switch", Fixture, NULL, fixture_setup, test_knowledge_switch, fixture_teardown);
  g_test_add ("/chat-knowledge-view/citations-and-viewer", Fixture, NULL, fixture_setup,
              test_citations_and_viewer, fixture_teardown);

  return g_test_run ();
}
