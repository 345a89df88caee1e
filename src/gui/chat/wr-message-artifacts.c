/* wr-message-artifacts.c — saving an answer, or a code block of it, as an
 * artifact of the chat's project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pango.h>

#include "wr-message-artifacts.h"
#include "chat/wr-markdown.h"

/* Names taken from an answer are cut to this many characters. */
#define NAME_CHARS 60

typedef struct {
  const char *language;
  const char *extension;
} LanguageExtension;

static const LanguageExtension extensions[] = {
  { "python", "py" }, { "py", "py" }, { "python3", "py" },
  { "javascript", "js" }, { "js", "js" }, { "typescript", "ts" }, { "ts", "ts" },
  { "jsx", "jsx" }, { "tsx", "tsx" },
  { "c", "c" }, { "h", "h" }, { "cpp", "cpp" }, { "c++", "cpp" }, { "cc", "cpp" },
  { "csharp", "cs" }, { "cs", "cs" }, { "c#", "cs" },
  { "rust", "rs" }, { "rs", "rs" }, { "go", "go" }, { "golang", "go" },
  { "java", "java" }, { "kotlin", "kt" }, { "swift", "swift" }, { "ruby", "rb" },
  { "rb", "rb" }, { "php", "php" }, { "perl", "pl" }, { "lua", "lua" }, { "r", "r" },
  { "bash", "sh" }, { "sh", "sh" }, { "shell", "sh" }, { "zsh", "sh" }, { "console", "sh" },
  { "powershell", "ps1" }, { "ps1", "ps1" },
  { "json", "json" }, { "yaml", "yaml" }, { "yml", "yaml" }, { "toml", "toml" },
  { "ini", "ini" }, { "xml", "xml" }, { "svg", "svg" }, { "css", "css" }, { "scss", "scss" },
  { "sql", "sql" }, { "markdown", "md" }, { "md", "md" }, { "csv", "csv" },
  { "tex", "tex" }, { "latex", "tex" }, { "dockerfile", "Dockerfile" }, { "makefile", "Makefile" },
  { "meson", "build" }, { "text", "txt" }, { "txt", "txt" }, { "plaintext", "txt" },
};

static gboolean
is_chart (const WrMarkdownBlock *block)
{
  /* ```chart blocks belong to the chart view ("Save as Artifact" there). */
  return g_strcmp0 (block->language, "chart") == 0;
}

/* The code blocks a message offers to save, in order (transfer container). */
static GPtrArray *
savable_blocks (GPtrArray *blocks)
{
  GPtrArray *code = g_ptr_array_new ();

  for (guint i = 0; i < blocks->len; i++)
    {
      WrMarkdownBlock *block = g_ptr_array_index (blocks, i);

      if (block->kind == WR_MARKDOWN_BLOCK_CODE && !is_chart (block))
        g_ptr_array_add (code, block);
    }
  return code;
}

char *
_wr_message_artifacts_file_name (const char *language)
{
  g_autofree char *lower = language != NULL ? g_ascii_strdown (language, -1) : NULL;

  for (guint i = 0; lower != NULL && i < G_N_ELEMENTS (extensions); i++)
    if (g_str_equal (lower, extensions[i].language))
      {
        const char *ext = extensions[i].extension;

        /* Files known by their whole name. */
        if (g_ascii_isupper (ext[0]))
          return g_strdup (ext);
        return g_strconcat ("snippet.", ext, NULL);
      }

  /* An unknown language that looks like an extension is used as one. */
  if (lower != NULL && lower[0] != '\0' && strlen (lower) <= 10)
    {
      gboolean plain = TRUE;

      for (const char *p = lower; *p != '\0'; p++)
        plain = plain && g_ascii_isalnum (*p);
      if (plain)
        return g_strconcat ("snippet.", lower, NULL);
    }
  return g_strdup ("snippet.txt");
}

static char *
block_label (const WrMarkdownBlock *block,
             guint                  number,
             guint                  n_blocks)
{
  const char *language = block->language;

  if (g_strcmp0 (language, "mermaid") == 0)
    return n_blocks > 1 ? g_strdup_printf (_("Save Diagram %u"), number) : g_strdup (_("Save Diagram"));
  if (g_strcmp0 (language, "html") == 0)
    return n_blocks > 1 ? g_strdup_printf (_("Save HTML Block %u"), number) : g_strdup (_("Save HTML Block"));
  if (language == NULL || language[0] == '\0')
    return n_blocks > 1 ? g_strdup_printf (_("Save Code Block %u"), number) : g_strdup (_("Save Code Block"));
  if (n_blocks > 1)
    /* Translators: a menu entry, "Save Code Block 2 (python)" */
    return g_strdup_printf (_("Save Code Block %u (%s)"), number, language);
  /* Translators: a menu entry, "Save Code Block (python)" */
  return g_strdup_printf (_("Save Code Block (%s)"), language);
}

GMenuModel *
_wr_message_artifacts_build_menu (const char *content)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) blocks_section = g_menu_new ();
  g_autoptr(GPtrArray) blocks = wr_markdown_parse (content != NULL ? content : "", -1);
  g_autoptr(GPtrArray) code = savable_blocks (blocks);

  g_menu_append (menu, _("Save as _Report"), "message.save-report");
  for (guint i = 0; i < code->len; i++)
    {
      g_autofree char *label = block_label (g_ptr_array_index (code, i), i + 1, code->len);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "message.save-code-block", g_variant_new_uint32 (i));
      g_menu_append_item (blocks_section, item);
    }
  if (code->len > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (blocks_section));
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

/* The first line of text of an answer, for a name: a heading if there is
 * one, else the first paragraph, cut short. */
static char *
title_of (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      WrMarkdownBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *plain = NULL;
      g_autoptr(GString) line = NULL;
      char *newline;

      if (block->markup == NULL || block->markup[0] == '\0')
        continue;
      if (!pango_parse_markup (block->markup, -1, 0, NULL, &plain, NULL, NULL))
        continue;
      if ((newline = strchr (plain, '\n')) != NULL)
        *newline = '\0';
      g_strstrip (plain);
      if (plain[0] == '\0')
        continue;
      line = g_string_new (plain);
      if (g_utf8_strlen (line->str, -1) > NAME_CHARS)
        {
          g_string_truncate (line, g_utf8_offset_to_pointer (line->str, NAME_CHARS) - line->str);
          g_string_append (line, "…");
        }
      return g_string_free (g_steal_pointer (&line), FALSE);
    }
  return NULL;
}

/* Copied on the main thread: the message object is not shared with the worker. */
typedef struct {
  char *content;
  char *chat_id;
  char *message_id;
  int   block;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->content);
  g_free (data->chat_id);
  g_free (data->message_id);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WrStore *store = WR_STORE (source_object);
  SaveData *data = task_data;
  const char *content = data->content;
  g_autoptr(GPtrArray) blocks = wr_markdown_parse (content, -1);
  g_autoptr(GPtrArray) code = savable_blocks (blocks);
  g_autoptr(WrChat) chat = NULL;
  g_autoptr(WrArtifact) artifact = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = title_of (blocks);
  g_autofree char *name = NULL;

  chat = wr_store_get_chat (store, data->chat_id, &error);
  if (chat == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->block < 0)
    {
      artifact = wr_artifact_new (wr_chat_get_project_id (chat), WR_ARTIFACT_KIND_REPORT,
                                  title != NULL ? title : _("Report"));
      wr_artifact_set_mime_type (artifact, "text/markdown");
      bytes = g_bytes_new (content, strlen (content));
    }
  else if ((guint) data->block < code->len)
    {
      WrMarkdownBlock *block = g_ptr_array_index (code, data->block);
      const char *language = block->language;
      g_autofree char *text = g_strconcat (block->text != NULL ? block->text : "", "\n", NULL);

      if (g_strcmp0 (language, "mermaid") == 0)
        {
          name = title != NULL ? g_strdup_printf (_("Diagram: %s"), title) : g_strdup (_("Diagram"));
          artifact = wr_artifact_new (wr_chat_get_project_id (chat), WR_ARTIFACT_KIND_MERMAID, name);
          wr_artifact_set_mime_type (artifact, "text/vnd.mermaid");
        }
      else if (g_strcmp0 (language, "html") == 0)
        {
          name = title != NULL ? g_strdup_printf (_("HTML: %s"), title) : g_strdup (_("HTML page"));
          artifact = wr_artifact_new (wr_chat_get_project_id (chat), WR_ARTIFACT_KIND_HTML, name);
          wr_artifact_set_mime_type (artifact, "text/html");
        }
      else
        {
          g_autofree char *file_name = _wr_message_artifacts_file_name (language);
          g_autofree char *type = g_content_type_guess (file_name, NULL, 0, NULL);
          g_autofree char *mime = g_content_type_get_mime_type (type);

          artifact = wr_artifact_new (wr_chat_get_project_id (chat), WR_ARTIFACT_KIND_FILE, file_name);
          wr_artifact_set_file_name (artifact, file_name);
          /* Code is text whatever the guess says (.ts is not a video). */
          wr_artifact_set_mime_type (artifact, mime != NULL && g_str_has_prefix (mime, "text/") ? mime : "text/plain");
        }
      bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (block->text != NULL ? block->text : "") + 1);
    }
  else
    {
      g_task_return_new_error (task, WR_STORE_ERROR, WR_STORE_ERROR_NOT_FOUND,
                               _("This answer has no such code block."));
      return;
    }

  wr_artifact_set_chat_id (artifact, wr_chat_get_id (chat));
  wr_artifact_set_message_id (artifact, data->message_id);
  if (!wr_store_create_artifact (store, artifact, bytes, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&artifact), g_object_unref);
}

void
_wr_message_artifacts_save_async (WrStore             *store,
                                  WrMessage           *message,
                                  int                  block,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (WR_IS_STORE (store));
  g_return_if_fail (WR_IS_MESSAGE (message));

  data = g_new0 (SaveData, 1);
  data->content = g_strdup (wr_message_get_content (message) != NULL ? wr_message_get_content (message) : "");
  data->chat_id = g_strdup (wr_message_get_chat_id (message));
  data->message_id = g_strdup (wr_message_get_id (message));
  data->block = block;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, _wr_message_artifacts_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

WrArtifact *
_wr_message_artifacts_save_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _wr_message_artifacts_save_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
