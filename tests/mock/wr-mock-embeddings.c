/* wr-mock-embeddings.c — see wr-mock-embeddings.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "wr-mock-embeddings.h"
#include "wr-mock-server.h"

static const char *const synonyms[][2] = {
  { "car", "automobile" }, { "cars", "automobile" }, { "automobiles", "automobile" },
  { "happy", "glad" }, { "big", "large" }, { "buy", "purchase" },
  { "film", "movie" }, { "films", "movie" }, { "movies", "movie" },
  { "doctor", "physician" }, { "quick", "rapid" }, { "fast", "rapid" },
  { "house", "home" },
};

static void
add_word (const char *word,
          float      *out)
{
  guint32 hash = 2166136261u;

  for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
    if (strcmp (word, synonyms[i][0]) == 0)
      {
        word = synonyms[i][1];
        break;
      }

  for (const char *p = word; *p != '\0'; p++)
    {
      hash ^= (guint8) *p;
      hash *= 16777619u;
    }
  out[hash % WR_MOCK_EMBED_DIMS] += 1.0f;
}

void
wr_mock_embed_text (const char *text,
                    float      *out)
{
  g_autofree char *lower = g_utf8_strdown (text != NULL ? text : "", -1);
  g_autoptr(GString) word = g_string_new (NULL);
  double norm = 0;

  memset (out, 0, sizeof (float) * WR_MOCK_EMBED_DIMS);

  for (const char *p = lower; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        add_word (word->str, out);
      g_string_truncate (word, 0);
      if (c == 0)
        break;
    }

  for (guint i = 0; i < WR_MOCK_EMBED_DIMS; i++)
    norm += (double) out[i] * out[i];
  if (norm > 0)
    for (guint i = 0; i < WR_MOCK_EMBED_DIMS; i++)
      out[i] = (float) (out[i] / sqrt (norm));
}

static guint
count_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      n++;
  return n;
}

static void
add_vector (JsonBuilder *b,
            const char  *text)
{
  float v[WR_MOCK_EMBED_DIMS];

  wr_mock_embed_text (text, v);
  json_builder_begin_array (b);
  for (guint i = 0; i < WR_MOCK_EMBED_DIMS; i++)
    json_builder_add_double_value (b, v[i]);
  json_builder_end_array (b);
}

static char *
to_string (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
openai_error (guint      *status,
              guint       code,
              const char *message,
              const char *type)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  *status = code;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return to_string (b);
}

char *
_wr_mock_embeddings_openai (JsonObject *body,
                            guint      *status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  const char *model = json_object_has_member (body, "model")
                      ? json_object_get_string_member_with_default (body, "model", NULL) : NULL;
  JsonNode *input = json_object_get_member (body, "input");
  guint words = 0;

  if (g_strcmp0 (model, WR_MOCK_EMBED_500_MODEL) == 0)
    return openai_error (status, 500, "The embeddings server had an error.", "server_error");
  if (g_strcmp0 (model, WR_MOCK_EMBED_MODEL) != 0)
    return openai_error (status, 404, "The model does not exist.", "invalid_request_error");

  if (input != NULL && JSON_NODE_HOLDS_VALUE (input) && json_node_get_value_type (input) == G_TYPE_STRING)
    g_ptr_array_add (inputs, (gpointer) json_node_get_string (input));
  else if (input != NULL && JSON_NODE_HOLDS_ARRAY (input))
    {
      JsonArray *array = json_node_get_array (input);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return openai_error (status, 400, "'input' must be strings.", "invalid_request_error");
          g_ptr_array_add (inputs, (gpointer) json_node_get_string (item));
        }
    }
  if (inputs->len == 0 || inputs->len > 2048)
    return openai_error (status, 400, "'input' must have 1 to 2048 items.", "invalid_request_error");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "list");
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  /* In reverse: clients must place vectors by "index". */
  for (guint i = inputs->len; i-- > 0;)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "object");
      json_builder_add_string_value (b, "embedding");
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      json_builder_set_member_name (b, "embedding");
      add_vector (b, g_ptr_array_index (inputs, i));
      json_builder_end_object (b);
      words += count_words (g_ptr_array_index (inputs, i));
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "prompt_tokens");
  json_builder_add_int_value (b, words);
  json_builder_set_member_name (b, "total_tokens");
  json_builder_add_int_value (b, words);
  json_builder_end_object (b);
  json_builder_end_object (b);

  *status = 200;
  return to_string (b);
}

static char *
google_error (guint      *status,
              guint       code,
              const char *state,
              const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  *status = code;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, state);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return to_string (b);
}

char *
_wr_mock_embeddings_google (const char *model,
                            JsonObject *body,
                            guint      *status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *requests;

  if (g_strcmp0 (model, WR_MOCK_GOOGLE_EMBEDDING_MODEL) != 0)
    return google_error (status, 404, "NOT_FOUND", "The model does not support embeddings.");

  requests = json_object_has_member (body, "requests")
             ? json_object_get_array_member (body, "requests") : NULL;
  if (requests == NULL || json_array_get_length (requests) == 0 ||
      json_array_get_length (requests) > 100)
    return google_error (status, 400, "INVALID_ARGUMENT", "requests must have 1 to 100 items.");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "embeddings");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      g_autofree char *expected = g_strconcat ("models/", model, NULL);
      JsonObject *content;
      JsonArray *parts;
      g_autoptr(GString) text = g_string_new (NULL);

      if (request == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (request, "model", NULL), expected) != 0 ||
          !json_object_has_member (request, "content") ||
          (content = json_object_get_object_member (request, "content")) == NULL ||
          !json_object_has_member (content, "parts") ||
          (parts = json_object_get_array_member (content, "parts")) == NULL ||
          json_array_get_length (parts) == 0)
        return google_error (status, 400, "INVALID_ARGUMENT",
                             "Each request needs the batch's model and content.parts.");

      for (guint j = 0; j < json_array_get_length (parts); j++)
        {
          JsonObject *part = json_array_get_object_element (parts, j);
          const char *t = part != NULL ? json_object_get_string_member_with_default (part, "text", NULL) : NULL;

          if (t == NULL)
            return google_error (status, 400, "INVALID_ARGUMENT", "Only text parts can be embedded.");
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, t);
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "values");
      add_vector (b, text->str);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  *status = 200;
  return to_string (b);
}
