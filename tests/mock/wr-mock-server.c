/* wr-mock-server.c — OpenAI-compatible mock server for tests.
 *
 * Streaming answers are written with the server message paused: each timer
 * tick appends one piece of the SSE byte stream and unpauses, so the client
 * really receives the answer over time and in pieces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-mock-server.h"
#include "wr-mock-embeddings.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#define DEFAULT_CHUNK_DELAY_MS 5
#define LONG_CHUNK_DELAY_MS    50

typedef enum {
  END_COMPLETE,   /* end the body normally */
  END_DROP,       /* cut the connection */
  END_STALL,      /* never end */
} StreamEnd;

typedef struct _Stream Stream;

struct _WrMockServer
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *url;
  char        *anthropic_url;
  char        *google_url;
  guint        port;
  char        *api_key;
  guint        chunk_delay_ms;
  guint        long_chunks;
  guint        long_delay_ms;

  GPtrArray   *streams;       /* element-type Stream, owned */

  guint        request_count;
  guint        chat_count;
  guint        models_count;
  char        *last_method;
  char        *last_path;
  char        *last_query;
  char        *last_body;
  GHashTable  *last_headers;  /* lowercase name → value */
};

struct _Stream
{
  WrMockServer      *server;    /* unowned; the server owns the stream */
  SoupServerMessage *msg;       /* owned */
  GPtrArray         *pieces;    /* element-type GBytes */
  guint              next;
  guint              delay_ms;
  guint              timeout_id;
  guint              wrote;
  StreamEnd          end;
  gboolean           ended;
};

G_DEFINE_FINAL_TYPE (WrMockServer, wr_mock_server, G_TYPE_OBJECT)

static const char *mock_models[] = {
  "mock-echo", "mock-markdown", "mock-long", "mock-401", "mock-404", "mock-429",
  "mock-500", "mock-drop", "mock-stall", "mock-error-event", "mock-nousage", "mock-nostream",
};

/* soup_server_message_pause() is libsoup 3.2; 3.0 only has the server's. */
#if SOUP_CHECK_VERSION (3, 2, 0)
# define msg_pause(server, msg)   soup_server_message_pause (msg)
# define msg_unpause(server, msg) soup_server_message_unpause (msg)
#else
# define msg_pause(server, msg)   soup_server_pause_message (server, msg)
# define msg_unpause(server, msg) soup_server_unpause_message (server, msg)
#endif

/* JSON helpers */

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return node_to_string (root);
}

static char *
error_json (const char *message,
            const char *type,
            const char *code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "param");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "code");
  if (code != NULL)
    json_builder_add_string_value (b, code);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              char              *json)   /* transfer full */
{
  /* libsoup has no phrase for 429. */
  soup_server_message_set_status (msg, status, status == 429 ? "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    json, strlen (json));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message,
               const char        *type,
               const char        *code)
{
  respond_json (msg, status, error_json (message, type, code));
}

/* Chunk JSON: content NULL = no content member; finish NULL = null. */
static char *
chunk_json (const char *model,
            gboolean    role,
            const char *content,
            const char *finish)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "chatcmpl-mock");
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "chat.completion.chunk");
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, 1700000000);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  if (role)
    {
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, "assistant");
    }
  if (content != NULL)
    {
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, content);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  if (finish != NULL)
    json_builder_add_string_value (b, finish);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static void
add_usage (JsonBuilder *b,
           gint64       prompt,
           gint64       completion)
{
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "prompt_tokens");
  json_builder_add_int_value (b, prompt);
  json_builder_set_member_name (b, "completion_tokens");
  json_builder_add_int_value (b, completion);
  json_builder_set_member_name (b, "total_tokens");
  json_builder_add_int_value (b, prompt + completion);
  json_builder_end_object (b);
}

static char *
usage_chunk_json (const char *model,
                  gint64      prompt,
                  gint64      completion)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "chatcmpl-mock");
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "chat.completion.chunk");
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, 1700000000);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  add_usage (b, prompt, completion);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static char *
completion_json (const char *model,
                 const char *content,
                 gint64      prompt,
                 gint64      completion)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "chatcmpl-mock");
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "chat.completion");
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, 1700000000);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "message");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  json_builder_add_string_value (b, "stop");
  json_builder_end_object (b);
  json_builder_end_array (b);
  add_usage (b, prompt, completion);
  json_builder_end_object (b);

  return builder_to_string (b);
}

/* Splits after each run of whitespace: "Echo: a b" → "Echo: ", "a ", "b". */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = p;

      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      g_ptr_array_add (out, g_strndup (start, p - start));
    }

  return out;
}

/* Fixed-size pieces cut at UTF-8 character boundaries. */
static GPtrArray *
split_sized (const char *text,
             gsize       size)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;
  const char *end = text + strlen (text);

  while (p < end)
    {
      const char *q = p + MIN (size, (gsize) (end - p));

      while (q < end && (((guchar) *q) & 0xC0) == 0x80)
        q++;
      g_ptr_array_add (out, g_strndup (p, q - p));
      p = q;
    }

  return out;
}

static gint64
count_words (const char *text)
{
  gint64 n = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        in_word = FALSE;
      else if (!in_word)
        {
          in_word = TRUE;
          n++;
        }
    }

  return n;
}

/* Streams */

static void
stream_free (Stream *stream)
{
  g_clear_handle_id (&stream->timeout_id, g_source_remove);
  if (stream->msg != NULL)
    g_signal_handlers_disconnect_by_data (stream->msg, stream);
  g_clear_object (&stream->msg);
  g_clear_pointer (&stream->pieces, g_ptr_array_unref);
  g_free (stream);
}

static void
stream_end (Stream *stream)
{
  if (stream->ended)
    return;
  stream->ended = TRUE;
  /* Frees the stream. */
  g_ptr_array_remove (stream->server->streams, stream);
}

static void
on_stream_msg_finished_cb (SoupServerMessage *msg,
                           gpointer           user_data)
{
  stream_end (user_data);
}

static gboolean
on_stream_drop_cb (gpointer user_data)
{
  Stream *stream = user_data;
  GSocket *socket = soup_server_message_get_socket (stream->msg);

  stream->timeout_id = 0;
  /* The client sees the connection end in the middle of the chunked body;
   * soup's next write fails and finishes the message. */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
  msg_unpause (stream->server->server, stream->msg);

  return G_SOURCE_REMOVE;
}

static void
on_stream_wrote_chunk_cb (SoupServerMessage *msg,
                          gpointer           user_data)
{
  Stream *stream = user_data;

  stream->wrote++;
  if (stream->end == END_DROP && stream->wrote == stream->pieces->len && stream->timeout_id == 0)
    stream->timeout_id = g_timeout_add (20, on_stream_drop_cb, stream);
}

static gboolean
on_stream_tick_cb (gpointer user_data)
{
  Stream *stream = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);

  if (stream->next < stream->pieces->len)
    {
      soup_message_body_append_bytes (body, g_ptr_array_index (stream->pieces, stream->next));
      stream->next++;
      msg_unpause (stream->server->server, stream->msg);
      if (stream->next < stream->pieces->len)
        return G_SOURCE_CONTINUE;
    }

  stream->timeout_id = 0;

  switch (stream->end)
    {
    case END_COMPLETE:
      soup_message_body_complete (body);
      msg_unpause (stream->server->server, stream->msg);
      break;
    case END_DROP:
      /* Dropped once the last piece is on the wire (wrote-chunk). */
      if (stream->wrote == stream->pieces->len)
        stream->timeout_id = g_timeout_add (20, on_stream_drop_cb, stream);
      break;
    case END_STALL:
    default:
      break;
    }

  return G_SOURCE_REMOVE;
}

static void
stream_start (WrMockServer      *self,
              SoupServerMessage *msg,
              GPtrArray         *pieces,   /* transfer full */
              guint              delay_ms,
              StreamEnd          end)
{
  Stream *stream = g_new0 (Stream, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  stream->server = self;
  stream->msg = g_object_ref (msg);
  stream->pieces = pieces;
  stream->delay_ms = delay_ms;
  stream->end = end;
  g_ptr_array_add (self->streams, stream);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");

  g_signal_connect (msg, "finished", G_CALLBACK (on_stream_msg_finished_cb), stream);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_stream_msg_finished_cb), stream);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_stream_wrote_chunk_cb), stream);

  msg_pause (self->server, msg);
  stream->timeout_id = g_timeout_add (delay_ms, on_stream_tick_cb, stream);
}

static void
append_event (GPtrArray  *events,
              char       *json)   /* transfer full */
{
  char *event = g_strconcat ("data: ", json, "\n\n", NULL);

  g_free (json);
  g_ptr_array_add (events, g_bytes_new_take (event, strlen (event)));
}

/* Anthropic-style SSE: a named event. */
static void
append_named_event (GPtrArray  *events,
                    const char *name,
                    char       *json)   /* transfer full */
{
  char *event = g_strconcat ("event: ", name, "\ndata: ", json, "\n\n", NULL);

  g_free (json);
  g_ptr_array_add (events, g_bytes_new_take (event, strlen (event)));
}

/* Re-cuts a byte stream into 37-byte pieces so they straddle lines and
 * events. (transfer full) */
static GPtrArray *
recut_pieces (GPtrArray *events)   /* transfer full */
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < events->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (events, i), &len);
      g_byte_array_append (all, data, len);
    }
  for (gsize off = 0; off < all->len; off += 37)
    g_ptr_array_add (pieces, g_bytes_new (all->data + off, MIN (37, all->len - off)));
  g_ptr_array_unref (events);

  return pieces;
}

/* Chat */

typedef enum {
  PROTOCOL_OPENAI,
  PROTOCOL_ANTHROPIC,
  PROTOCOL_GOOGLE,
} Protocol;

typedef struct
{
  const char *model;
  gboolean    stream;
  gboolean    include_usage;
  gboolean    json_array;     /* Gemini without alt=sse: an array of responses */
  const char *last_user;
  gint64      prompt_words;
  const char *vision;         /* mock-vision: the last user turn described */
  const char *system;         /* the system prompt's text, nullable (mock-cite) */
} ChatRequest;

/* What a model name asks for, whatever the protocol. */
typedef enum {
  PLAN_STREAM,
  PLAN_401,
  PLAN_404,
  PLAN_429,
  PLAN_500,
  PLAN_529,
} PlanKind;

typedef struct
{
  PlanKind    kind;
  char       *text;
  GPtrArray  *chunks;       /* element-type utf8 */
  StreamEnd   end;
  gboolean    usage;
  gboolean    error_event;
  gboolean    markdown;
  guint       delay;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_free (plan->text);
  g_clear_pointer (&plan->chunks, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* mock-cite: "According to [n], <first words of source n's passage>." for
 * the first line of @system that starts with "[n] ", the passage being the
 * next non-empty line. */
static char *
cite_answer (const char *system)
{
  g_auto(GStrv) lines = g_strsplit (system != NULL ? system : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *p = line + 1;
      const char *passage = NULL;
      g_autoptr(GPtrArray) words = NULL;
      g_autoptr(GString) quote = g_string_new (NULL);

      if (line[0] != '[' || !g_ascii_isdigit (*p))
        continue;
      while (g_ascii_isdigit (*p))
        p++;
      if (p[0] != ']' || p[1] != ' ')
        continue;

      for (guint j = i + 1; lines[j] != NULL && passage == NULL; j++)
        if (g_strstrip (lines[j])[0] != '\0')
          passage = lines[j];
      words = split_words (passage != NULL ? passage : p + 2);
      for (guint w = 0; w < words->len && w < 6; w++)
        {
          const char *word = g_ptr_array_index (words, w);
          g_autofree char *trimmed = g_strstrip (g_strdup (word));

          if (quote->len > 0)
            g_string_append_c (quote, ' ');
          g_string_append (quote, trimmed);
        }
      return g_strdup_printf ("According to %.*s, %s.", (int) (p + 1 - line), line, quote->str);
    }

  return g_strdup (WR_MOCK_CITE_NONE);
}

static void
make_plan (WrMockServer *self,
           ChatRequest  *req,
           Plan         *plan,
           Protocol      protocol)
{
  memset (plan, 0, sizeof *plan);
  plan->kind = PLAN_STREAM;
  plan->end = END_COMPLETE;
  plan->usage = TRUE;
  plan->delay = self->chunk_delay_ms;

  if (g_str_equal (req->model, "mock-echo") || g_str_equal (req->model, "mock-nousage") ||
      g_str_equal (req->model, "mock-nostream") || g_str_equal (req->model, "mock-nostream-array"))
    {
      plan->text = g_strconcat (WR_MOCK_ECHO_PREFIX, req->last_user, NULL);
      plan->chunks = split_words (plan->text);
      plan->usage = !g_str_equal (req->model, "mock-nousage");
      /* A server that ignores "stream": true. */
      if (g_str_equal (req->model, "mock-nostream"))
        req->stream = FALSE;
      else if (g_str_equal (req->model, "mock-nostream-array") && protocol == PROTOCOL_GOOGLE)
        {
          req->stream = FALSE;
          req->json_array = TRUE;
        }
      else if (g_str_equal (req->model, "mock-nostream-array"))
        plan->kind = PLAN_404;
    }
  else if (g_str_equal (req->model, WR_MOCK_CITE_MODEL))
    {
      plan->text = cite_answer (req->system);
      plan->chunks = split_words (plan->text);
    }
  else if (g_str_equal (req->model, WR_MOCK_VISION_MODEL))
    {
      plan->text = g_strdup (req->vision != NULL ? req->vision : "images: 0; text: ; parts:");
      plan->chunks = split_words (plan->text);
    }
  else if (g_str_equal (req->model, "mock-markdown"))
    {
      plan->text = g_strdup (WR_MOCK_MARKDOWN_TEXT);
      plan->chunks = split_sized (plan->text, 12);
      plan->markdown = TRUE;
    }
  else if (g_str_equal (req->model, "mock-long"))
    {
      GString *all = g_string_new (NULL);

      plan->chunks = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 1; i <= self->long_chunks; i++)
        {
          char *line = g_strdup_printf ("Line %u of a long answer.\n", i);
          g_string_append (all, line);
          g_ptr_array_add (plan->chunks, line);
        }
      plan->text = g_string_free (all, FALSE);
      plan->delay = self->long_delay_ms;
    }
  else if (g_str_equal (req->model, "mock-drop"))
    {
      plan->text = g_strdup (WR_MOCK_DROP_TEXT);
      plan->chunks = split_words (plan->text);
      plan->end = END_DROP;
    }
  else if (g_str_equal (req->model, "mock-stall"))
    {
      plan->text = g_strdup (WR_MOCK_STALL_TEXT);
      plan->chunks = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (plan->chunks, g_strdup (plan->text));
      plan->end = END_STALL;
    }
  else if (g_str_equal (req->model, "mock-error-event"))
    {
      plan->text = g_strdup (WR_MOCK_ERROR_EVENT_TEXT);
      plan->chunks = split_words (plan->text);
      plan->error_event = TRUE;
    }
  else if (g_str_equal (req->model, "mock-401"))
    plan->kind = PLAN_401;
  else if (g_str_equal (req->model, "mock-429"))
    plan->kind = PLAN_429;
  else if (g_str_equal (req->model, "mock-500"))
    plan->kind = PLAN_500;
  else if (g_str_equal (req->model, "mock-529") && protocol == PROTOCOL_ANTHROPIC)
    plan->kind = PLAN_529;
  else
    plan->kind = PLAN_404;
}

/* Sends a planned failure that needs no stream. Returns TRUE when the
 * message was answered (drop) or parked (stall). */
static gboolean
respond_unstreamed_fault (WrMockServer      *self,
                          SoupServerMessage *msg,
                          Plan              *plan)
{
  if (plan->end == END_STALL)
    {
      /* Never answers; the stream list keeps the message until the
       * client goes away or the server is disposed. */
      stream_start (self, msg, g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                    G_MAXINT / 2, END_STALL);
      return TRUE;
    }
  if (plan->end == END_DROP)
    {
      GSocket *socket = soup_server_message_get_socket (msg);
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return TRUE;
    }
  return FALSE;
}

/* Images (mock-vision) */

/* What a user turn held, part by part, as mock-vision describes it. */
typedef struct
{
  GString *images;    /* "image/png 10945 bytes sha256:…, …" */
  guint    n_images;
  GString *text;      /* the text parts, joined by blank lines */
  GString *parts;     /* "image image text" */
} Vision;

static void
vision_init (Vision *v)
{
  v->images = g_string_new (NULL);
  v->n_images = 0;
  v->text = g_string_new (NULL);
  v->parts = g_string_new (NULL);
}

static void
vision_clear (Vision *v)
{
  if (v->images == NULL)
    return;
  g_string_free (v->images, TRUE);
  g_string_free (v->text, TRUE);
  g_string_free (v->parts, TRUE);
  v->images = v->text = v->parts = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Vision, vision_clear)

static void
vision_add_part (Vision     *v,
                 const char *kind)
{
  if (v->parts->len > 0)
    g_string_append_c (v->parts, ' ');
  g_string_append (v->parts, kind);
}

static void
vision_add_text (Vision     *v,
                 const char *text)
{
  if (v->text->len > 0)
    g_string_append (v->text, "\n\n");
  g_string_append (v->text, text);
  vision_add_part (v, "text");
}

/* Strict base64 (what the real APIs check): the alphabet, whole groups,
 * padding only at the end. (transfer full, NULL if invalid) */
static GBytes *
decode_base64_strict (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;
  gsize out_len = 0;
  guchar *data;

  if (len == 0 || len % 4 != 0)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      if (c == '=' && (i == len - 1 || (i == len - 2 && text[len - 1] == '=')))
        continue;
      return NULL;
    }

  data = g_base64_decode (text, &out_len);
  return g_bytes_new_take (data, out_len);
}

/* Adds an image; FALSE (with *@error set) when the data is not base64. */
static gboolean
vision_add_image (Vision      *v,
                  const char  *mime_type,
                  const char  *base64,
                  char       **error)
{
  g_autoptr(GBytes) bytes = decode_base64_strict (base64);
  g_autofree char *sha = NULL;

  if (bytes == NULL)
    {
      *error = g_strdup_printf ("Invalid base64 data for an image of type %s", mime_type);
      return FALSE;
    }

  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (v->n_images > 0)
    g_string_append (v->images, ", ");
  g_string_append_printf (v->images, "%s %" G_GSIZE_FORMAT " bytes sha256:%.12s",
                          mime_type, g_bytes_get_size (bytes), sha);
  v->n_images++;
  vision_add_part (v, "image");
  return TRUE;
}

static char *
vision_describe (Vision *v)
{
  if (v->n_images == 0)
    return g_strdup_printf ("images: 0; text: %s; parts: %s", v->text->str, v->parts->str);

  return g_strdup_printf ("images: %u (%s); text: %s; parts: %s",
                          v->n_images, v->images->str, v->text->str, v->parts->str);
}

static gboolean
is_mock_image_type (const char *mime_type,
                    gboolean    gif)
{
  return g_strcmp0 (mime_type, "image/png") == 0 || g_strcmp0 (mime_type, "image/jpeg") == 0 ||
         g_strcmp0 (mime_type, "image/webp") == 0 || (gif && g_strcmp0 (mime_type, "image/gif") == 0);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* An OpenAI message "content": a string, or an array of text and
 * image_url parts (data URLs only; images only from users). */
static gboolean
openai_read_content (JsonNode    *node,
                     const char  *role,
                     Vision      *v,
                     char       **error)
{
  JsonArray *parts;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      vision_add_text (v, json_node_get_string (node));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *error = g_strdup ("Invalid type for 'messages.content': expected a string or an array of parts");
      return FALSE;
    }

  parts = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *part_node = json_array_get_element (parts, i);
      JsonObject *part = JSON_NODE_HOLDS_OBJECT (part_node) ? json_node_get_object (part_node) : NULL;
      const char *type = member_string (part, "type");

      if (g_strcmp0 (type, "text") == 0 && member_string (part, "text") != NULL)
        vision_add_text (v, member_string (part, "text"));
      else if (g_strcmp0 (type, "image_url") == 0)
        {
          const char *url = member_string (member_object (part, "image_url"), "url");
          const char *comma = url != NULL ? strchr (url, ',') : NULL;
          g_autofree char *mime_type = NULL;

          if (g_strcmp0 (role, "user") != 0)
            {
              *error = g_strdup ("Image URLs are only allowed for messages with role 'user'");
              return FALSE;
            }
          if (url == NULL || !g_str_has_prefix (url, "data:") || comma == NULL ||
              comma - url < 12 || strncmp (comma - 7, ";base64", 7) != 0)
            {
              *error = g_strdup ("Invalid 'image_url.url': expected a base64 data URL");
              return FALSE;
            }
          mime_type = g_strndup (url + 5, (comma - 7) - (url + 5));
          if (!is_mock_image_type (mime_type, TRUE))
            {
              *error = g_strdup_printf ("Invalid MIME type %s: supported are image/png, image/jpeg, "
                                        "image/webp, image/gif", mime_type);
              return FALSE;
            }
          if (!vision_add_image (v, mime_type, comma + 1, error))
            return FALSE;
        }
      else
        {
          *error = g_strdup_printf ("Invalid value: '%s'. Supported values are: 'text' and 'image_url'.",
                                    type != NULL ? type : "");
          return FALSE;
        }
    }

  return TRUE;
}

/* An Anthropic message "content": a string, or text and image blocks
 * (base64 sources; images only from users). */
static gboolean
anthropic_read_content (JsonNode    *node,
                        const char  *role,
                        Vision      *v,
                        char       **error)
{
  JsonArray *blocks;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      vision_add_text (v, json_node_get_string (node));
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      *error = g_strdup ("messages: content: Input should be a valid list");
      return FALSE;
    }

  blocks = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonNode *block_node = json_array_get_element (blocks, i);
      JsonObject *block = JSON_NODE_HOLDS_OBJECT (block_node) ? json_node_get_object (block_node) : NULL;
      const char *type = member_string (block, "type");

      if (g_strcmp0 (type, "text") == 0 && member_string (block, "text") != NULL)
        {
          if (member_string (block, "text")[0] == '\0')
            {
              *error = g_strdup ("messages: text content blocks must be non-empty");
              return FALSE;
            }
          vision_add_text (v, member_string (block, "text"));
        }
      else if (g_strcmp0 (type, "image") == 0)
        {
          JsonObject *source = member_object (block, "source");
          const char *media_type = member_string (source, "media_type");

          if (g_strcmp0 (role, "user") != 0)
            {
              *error = g_strdup ("messages: image content blocks are only allowed in user messages");
              return FALSE;
            }
          if (g_strcmp0 (member_string (source, "type"), "base64") != 0)
            {
              *error = g_strdup ("messages: image.source.type: Input should be 'base64'");
              return FALSE;
            }
          if (!is_mock_image_type (media_type, TRUE))
            {
              *error = g_strdup ("messages: image.source.media_type: Input should be 'image/jpeg', "
                                 "'image/png', 'image/gif' or 'image/webp'");
              return FALSE;
            }
          if (!vision_add_image (v, media_type, member_string (source, "data"), error))
            return FALSE;
        }
      else
        {
          *error = g_strdup_printf ("messages: Input tag '%s' found using 'type' does not match any "
                                    "of the expected tags: 'text', 'image'", type != NULL ? type : "");
          return FALSE;
        }
    }

  return TRUE;
}

/* A Gemini Content's parts: text, or inlineData (also inline_data, as
 * the API reads both spellings). GIF is not a Gemini image type. */
static gboolean
google_read_parts (JsonObject  *content,
                   Vision      *v,
                   char       **error)
{
  JsonNode *node = json_object_get_member (content, "parts");
  JsonArray *parts = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonNode *part_node = json_array_get_element (parts, i);
      JsonObject *part = JSON_NODE_HOLDS_OBJECT (part_node) ? json_node_get_object (part_node) : NULL;
      JsonObject *inline_data = member_object (part, "inlineData");
      const char *mime_type;

      if (inline_data == NULL)
        inline_data = member_object (part, "inline_data");

      if (member_string (part, "text") != NULL)
        vision_add_text (v, member_string (part, "text"));
      else if (inline_data != NULL)
        {
          mime_type = member_string (inline_data, "mimeType");
          if (mime_type == NULL)
            mime_type = member_string (inline_data, "mime_type");
          if (!is_mock_image_type (mime_type, FALSE))
            {
              *error = g_strdup_printf ("Unsupported MIME type: %s", mime_type != NULL ? mime_type : "");
              return FALSE;
            }
          if (!vision_add_image (v, mime_type, member_string (inline_data, "data"), error))
            return FALSE;
        }
      else
        {
          *error = g_strdup ("* GenerateContentRequest.contents.parts: a part must have text or inlineData");
          return FALSE;
        }
    }

  return TRUE;
}

/* OpenAI */

static void
handle_openai_chat (WrMockServer      *self,
                    SoupServerMessage *msg,
                    JsonObject        *request_object)
{
  ChatRequest req = { 0, };
  JsonObject *stream_options;
  JsonArray *messages;
  g_auto(Plan) plan = { 0, };
  g_autofree char *model_message = NULL;
  g_autofree char *last_user = NULL;
  g_autofree char *vision = NULL;
  g_autoptr(GString) system_text = g_string_new (NULL);
  GPtrArray *events;

  req.model = json_object_get_string_member_with_default (request_object, "model", "");
  req.stream = json_object_get_boolean_member_with_default (request_object, "stream", FALSE);
  stream_options = json_object_has_member (request_object, "stream_options") &&
                   JSON_NODE_HOLDS_OBJECT (json_object_get_member (request_object, "stream_options"))
                     ? json_object_get_object_member (request_object, "stream_options") : NULL;
  req.include_usage = stream_options != NULL &&
                      json_object_get_boolean_member_with_default (stream_options, "include_usage", FALSE);
  req.last_user = "";

  messages = json_object_has_member (request_object, "messages") &&
             JSON_NODE_HOLDS_ARRAY (json_object_get_member (request_object, "messages"))
               ? json_object_get_array_member (request_object, "messages") : NULL;
  if (messages == NULL)
    {
      respond_error (msg, 400, "'messages' is a required property", "invalid_request_error", NULL);
      return;
    }
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_auto(Vision) v = { 0, };
      g_autofree char *read_error = NULL;
      const char *role;

      if (m == NULL)
        continue;
      role = member_string (m, "role");
      vision_init (&v);
      if (!openai_read_content (json_object_get_member (m, "content"), role, &v, &read_error))
        {
          respond_error (msg, 400, read_error, "invalid_request_error", NULL);
          return;
        }
      req.prompt_words += count_words (v.text->str);
      if (g_strcmp0 (role, "system") == 0)
        g_string_append (system_text, v.text->str);
      if (g_strcmp0 (role, "user") == 0)
        {
          g_free (last_user);
          last_user = g_strdup (v.text->str);
          g_free (vision);
          vision = vision_describe (&v);
        }
    }
  if (last_user != NULL)
    req.last_user = last_user;
  req.vision = vision;
  req.system = system_text->str;
  req.prompt_words = MAX (req.prompt_words, 1);

  make_plan (self, &req, &plan, PROTOCOL_OPENAI);
  switch (plan.kind)
    {
    case PLAN_401:
      respond_error (msg, 401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                     "invalid_request_error", "invalid_api_key");
      return;
    case PLAN_429:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      respond_error (msg, 429, "Rate limit reached for mock-429. Please try again in 1s.",
                     "requests", "rate_limit_exceeded");
      return;
    case PLAN_500:
    case PLAN_529:
      respond_error (msg, 500, "The server had an error while processing your request. Sorry about that!",
                     "server_error", NULL);
      return;
    case PLAN_404:
      model_message = g_strdup_printf ("The model `%s` does not exist or you do not have access to it.",
                                       req.model);
      respond_error (msg, 404, model_message, "invalid_request_error", "model_not_found");
      return;
    case PLAN_STREAM:
    default:
      break;
    }

  if (!req.stream)
    {
      if (respond_unstreamed_fault (self, msg, &plan))
        return;
      if (plan.error_event)
        {
          respond_json (msg, 200, error_json (WR_MOCK_ERROR_EVENT_MESSAGE, "server_error", NULL));
          return;
        }
      respond_json (msg, 200, completion_json (req.model, plan.text, req.prompt_words, plan.chunks->len));
      return;
    }

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  append_event (events, chunk_json (req.model, TRUE, "", NULL));
  for (guint i = 0; i < plan.chunks->len; i++)
    append_event (events, chunk_json (req.model, FALSE, g_ptr_array_index (plan.chunks, i), NULL));

  if (plan.error_event)
    append_event (events, error_json (WR_MOCK_ERROR_EVENT_MESSAGE, "server_error", NULL));
  else if (plan.end == END_COMPLETE)
    {
      append_event (events, chunk_json (req.model, FALSE, NULL, "stop"));
      if (plan.usage && req.include_usage)
        append_event (events, usage_chunk_json (req.model, req.prompt_words, plan.chunks->len));
      g_ptr_array_add (events, g_bytes_new_static ("data: [DONE]\n\n", 14));
    }

  if (plan.markdown)
    events = recut_pieces (events);

  stream_start (self, msg, events, plan.delay, plan.end);
}

/* Anthropic */

static char *
anthropic_error_json (const char *type,
                      const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "error");
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static void
anthropic_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *type,
                         const char        *message)
{
  respond_json (msg, status, anthropic_error_json (type, message));
}

/* A content string, or the text of an array of content blocks. */
static char *
anthropic_content_text (JsonNode *node)
{
  GString *text = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (text, json_node_get_string (node));
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *blocks = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (blocks); i++)
        {
          JsonNode *block = json_array_get_element (blocks, i);

          if (JSON_NODE_HOLDS_OBJECT (block))
            g_string_append (text, json_object_get_string_member_with_default (json_node_get_object (block),
                                                                               "text", ""));
        }
    }

  return g_string_free (text, FALSE);
}

static void
anthropic_add_usage (JsonBuilder *b,
                     gint64       input,
                     gint64       output)
{
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  if (input >= 0)
    {
      json_builder_set_member_name (b, "input_tokens");
      json_builder_add_int_value (b, input);
    }
  json_builder_set_member_name (b, "output_tokens");
  json_builder_add_int_value (b, output);
  json_builder_end_object (b);
}

/* The Message object: streamed (empty content, null stop_reason) or whole. */
static char *
anthropic_message_json (const char *model,
                        const char *text,        /* NULL: streaming start */
                        gboolean    usage,
                        gint64      input,
                        gint64      output)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "msg_mock01");
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "message");
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "assistant");
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  if (text != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "text");
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "stop_reason");
  if (text != NULL)
    json_builder_add_string_value (b, "end_turn");
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "stop_sequence");
  json_builder_add_null_value (b);
  if (usage)
    anthropic_add_usage (b, input, output);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static char *
anthropic_message_start_json (const char *model,
                              gboolean    usage,
                              gint64      input)
{
  g_autofree char *message = anthropic_message_json (model, NULL, usage, input, 1);

  return g_strconcat ("{\"type\":\"message_start\",\"message\":", message, "}", NULL);
}

static char *
anthropic_delta_json (const char *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "content_block_delta");
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "text_delta");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static char *
anthropic_message_delta_json (gboolean usage,
                              gint64   output)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "message_delta");
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stop_reason");
  json_builder_add_string_value (b, "end_turn");
  json_builder_set_member_name (b, "stop_sequence");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  if (usage)
    anthropic_add_usage (b, -1, output);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static void
handle_anthropic_chat (WrMockServer      *self,
                       SoupServerMessage *msg,
                       JsonObject        *request_object)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  ChatRequest req = { 0, };
  JsonArray *messages;
  JsonNode *system;
  g_auto(Plan) plan = { 0, };
  g_autofree char *last_user = NULL;
  g_autofree char *vision = NULL;
  g_autofree char *model_message = NULL;
  g_autofree char *system_text = NULL;
  const char *previous_role = NULL;
  GPtrArray *events;

  if (soup_message_headers_get_one (headers, "anthropic-version") == NULL)
    {
      anthropic_respond_error (msg, 400, "invalid_request_error", "anthropic-version: header is required");
      return;
    }

  req.model = json_object_get_string_member_with_default (request_object, "model", "");
  req.stream = json_object_get_boolean_member_with_default (request_object, "stream", FALSE);
  if (!json_object_has_member (request_object, "max_tokens"))
    {
      anthropic_respond_error (msg, 400, "invalid_request_error", "max_tokens: Field required");
      return;
    }

  system = json_object_get_member (request_object, "system");
  if (system != NULL)
    {
      g_autofree char *text = anthropic_content_text (system);
      req.prompt_words += count_words (text);
      system_text = g_steal_pointer (&text);
    }

  messages = json_object_has_member (request_object, "messages") &&
             JSON_NODE_HOLDS_ARRAY (json_object_get_member (request_object, "messages"))
               ? json_object_get_array_member (request_object, "messages") : NULL;
  if (messages == NULL || json_array_get_length (messages) == 0)
    {
      anthropic_respond_error (msg, 400, "invalid_request_error", "messages: Field required");
      return;
    }
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *role;
      g_auto(Vision) v = { 0, };
      g_autofree char *read_error = NULL;

      if (m == NULL)
        continue;
      role = json_object_get_string_member_with_default (m, "role", "");
      /* What the real API refuses. */
      if (!g_str_equal (role, "user") && !g_str_equal (role, "assistant"))
        {
          model_message = g_strdup_printf ("messages.%u.role: Input should be 'user' or 'assistant'", i);
          anthropic_respond_error (msg, 400, "invalid_request_error", model_message);
          return;
        }
      if (previous_role != NULL && g_str_equal (previous_role, role))
        {
          anthropic_respond_error (msg, 400, "invalid_request_error",
                                   "messages: roles must alternate between \"user\" and \"assistant\"");
          return;
        }
      previous_role = role;
      vision_init (&v);
      if (!anthropic_read_content (json_object_get_member (m, "content"), role, &v, &read_error))
        {
          anthropic_respond_error (msg, 400, "invalid_request_error", read_error);
          return;
        }
      if (v.text->len == 0 && v.n_images == 0)
        {
          anthropic_respond_error (msg, 400, "invalid_request_error",
                                   "messages: text content blocks must be non-empty");
          return;
        }
      req.prompt_words += count_words (v.text->str);
      if (g_str_equal (role, "user"))
        {
          g_free (last_user);
          last_user = g_strdup (v.text->str);
          g_free (vision);
          vision = vision_describe (&v);
        }
    }
  req.last_user = last_user != NULL ? last_user : "";
  req.vision = vision;
  req.system = system_text;
  req.prompt_words = MAX (req.prompt_words, 1);

  make_plan (self, &req, &plan, PROTOCOL_ANTHROPIC);
  switch (plan.kind)
    {
    case PLAN_401:
      anthropic_respond_error (msg, 401, "authentication_error", "invalid x-api-key");
      return;
    case PLAN_429:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "retry-after", "1");
      anthropic_respond_error (msg, 429, "rate_limit_error",
                               "Number of request tokens has exceeded your per-minute rate limit");
      return;
    case PLAN_500:
      anthropic_respond_error (msg, 500, "api_error", "Internal server error");
      return;
    case PLAN_529:
      anthropic_respond_error (msg, 529, "overloaded_error", "Overloaded");
      return;
    case PLAN_404:
      model_message = g_strdup_printf ("model: %s", req.model);
      anthropic_respond_error (msg, 404, "not_found_error", model_message);
      return;
    case PLAN_STREAM:
    default:
      break;
    }

  if (!req.stream)
    {
      if (respond_unstreamed_fault (self, msg, &plan))
        return;
      if (plan.error_event)
        {
          anthropic_respond_error (msg, 529, "overloaded_error", WR_MOCK_ERROR_EVENT_MESSAGE);
          return;
        }
      respond_json (msg, 200, anthropic_message_json (req.model, plan.text, plan.usage,
                                                      req.prompt_words, plan.chunks->len));
      return;
    }

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  append_named_event (events, "message_start",
                      anthropic_message_start_json (req.model, plan.usage, req.prompt_words));
  append_named_event (events, "content_block_start",
                      g_strdup ("{\"type\":\"content_block_start\",\"index\":0,"
                                "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
  append_named_event (events, "ping", g_strdup ("{\"type\": \"ping\"}"));
  for (guint i = 0; i < plan.chunks->len; i++)
    append_named_event (events, "content_block_delta",
                        anthropic_delta_json (g_ptr_array_index (plan.chunks, i)));

  if (plan.error_event)
    append_named_event (events, "error",
                        anthropic_error_json ("overloaded_error", WR_MOCK_ERROR_EVENT_MESSAGE));
  else if (plan.end == END_COMPLETE)
    {
      append_named_event (events, "content_block_stop",
                          g_strdup ("{\"type\":\"content_block_stop\",\"index\":0}"));
      append_named_event (events, "message_delta",
                          anthropic_message_delta_json (plan.usage, plan.chunks->len));
      append_named_event (events, "message_stop", g_strdup ("{\"type\":\"message_stop\"}"));
    }

  if (plan.markdown)
    events = recut_pieces (events);

  stream_start (self, msg, events, plan.delay, plan.end);
}

/* Google Gemini */

static char *
google_error_json (guint       code,
                   const char *status,
                   const char *message,
                   const char *reason,        /* nullable: an ErrorInfo detail */
                   const char *retry_delay)   /* nullable: a RetryInfo detail */
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  if (reason != NULL || retry_delay != NULL)
    {
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      if (reason != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "@type");
          json_builder_add_string_value (b, "type.googleapis.com/google.rpc.ErrorInfo");
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, reason);
          json_builder_set_member_name (b, "domain");
          json_builder_add_string_value (b, "googleapis.com");
          json_builder_end_object (b);
        }
      if (retry_delay != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "@type");
          json_builder_add_string_value (b, "type.googleapis.com/google.rpc.RetryInfo");
          json_builder_set_member_name (b, "retryDelay");
          json_builder_add_string_value (b, retry_delay);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static void
google_respond_error (SoupServerMessage *msg,
                      guint              code,
                      const char        *status,
                      const char        *message,
                      const char        *reason,
                      const char        *retry_delay)
{
  respond_json (msg, code, google_error_json (code, status, message, reason, retry_delay));
}

/* One GenerateContentResponse; @usage_output < 0 = no usageMetadata. */
static void
google_build_response (JsonBuilder *b,
                       const char  *model,
                       const char  *text,
                       const char  *finish,
                       gint64       prompt,
                       gint64       usage_output)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "model");
  json_builder_end_object (b);
  if (finish != NULL)
    {
      json_builder_set_member_name (b, "finishReason");
      json_builder_add_string_value (b, finish);
    }
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (usage_output >= 0)
    {
      json_builder_set_member_name (b, "usageMetadata");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "promptTokenCount");
      json_builder_add_int_value (b, prompt);
      json_builder_set_member_name (b, "candidatesTokenCount");
      json_builder_add_int_value (b, usage_output);
      json_builder_set_member_name (b, "totalTokenCount");
      json_builder_add_int_value (b, prompt + usage_output);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "modelVersion");
  json_builder_add_string_value (b, model);
  json_builder_end_object (b);
}

static char *
google_response_json (const char *model,
                      const char *text,
                      const char *finish,
                      gint64      prompt,
                      gint64      usage_output)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  google_build_response (b, model, text, finish, prompt, usage_output);
  return builder_to_string (b);
}

/* The texts of a Content's parts, joined by blank lines. */
static char *
google_parts_text (JsonObject *content)
{
  JsonArray *parts = json_object_has_member (content, "parts") &&
                     JSON_NODE_HOLDS_ARRAY (json_object_get_member (content, "parts"))
                       ? json_object_get_array_member (content, "parts") : NULL;
  GString *text = g_string_new (NULL);

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, json_object_get_string_member_with_default (json_node_get_object (node),
                                                                         "text", ""));
    }

  return g_string_free (text, FALSE);
}

static void
handle_google_chat (WrMockServer      *self,
                    SoupServerMessage *msg,
                    const char        *model,
                    gboolean           streaming_method,
                    gboolean           alt_sse,
                    JsonObject        *request_object)
{
  ChatRequest req = { 0, };
  JsonArray *contents;
  g_auto(Plan) plan = { 0, };
  g_autofree char *last_user = NULL;
  g_autofree char *vision = NULL;
  g_autofree char *model_message = NULL;
  g_autofree char *system_text = NULL;
  GPtrArray *events;

  req.model = model;
  req.stream = streaming_method && alt_sse;
  req.json_array = streaming_method && !alt_sse;

  if (json_object_has_member (request_object, "systemInstruction") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request_object, "systemInstruction")))
    {
      g_autofree char *text = google_parts_text (json_object_get_object_member (request_object,
                                                                                "systemInstruction"));
      req.prompt_words += count_words (text);
      system_text = g_steal_pointer (&text);
    }

  contents = json_object_has_member (request_object, "contents") &&
             JSON_NODE_HOLDS_ARRAY (json_object_get_member (request_object, "contents"))
               ? json_object_get_array_member (request_object, "contents") : NULL;
  if (contents == NULL || json_array_get_length (contents) == 0)
    {
      google_respond_error (msg, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified",
                            NULL, NULL);
      return;
    }
  for (guint i = 0; i < json_array_get_length (contents); i++)
    {
      JsonNode *node = json_array_get_element (contents, i);
      JsonObject *c = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *role;
      g_autofree char *text = NULL;
      g_auto(Vision) v = { 0, };
      g_autofree char *read_error = NULL;

      if (c == NULL)
        continue;
      role = json_object_get_string_member_with_default (c, "role", "user");
      if (!g_str_equal (role, "user") && !g_str_equal (role, "model"))
        {
          model_message = g_strdup_printf ("Please use a valid role: user, model. (got \"%s\")", role);
          google_respond_error (msg, 400, "INVALID_ARGUMENT", model_message, NULL, NULL);
          return;
        }
      vision_init (&v);
      if (!google_read_parts (c, &v, &read_error))
        {
          google_respond_error (msg, 400, "INVALID_ARGUMENT", read_error, NULL, NULL);
          return;
        }
      text = g_strdup (v.text->str);
      if (text[0] == '\0' && v.n_images == 0)
        {
          google_respond_error (msg, 400, "INVALID_ARGUMENT",
                                "* GenerateContentRequest.contents.parts: contents.parts must not be empty.",
                                NULL, NULL);
          return;
        }
      req.prompt_words += count_words (text);
      if (g_str_equal (role, "user"))
        {
          g_free (last_user);
          last_user = g_steal_pointer (&text);
          g_free (vision);
          vision = vision_describe (&v);
        }
    }
  req.last_user = last_user != NULL ? last_user : "";
  req.vision = vision;
  req.system = system_text;
  req.prompt_words = MAX (req.prompt_words, 1);

  make_plan (self, &req, &plan, PROTOCOL_GOOGLE);
  switch (plan.kind)
    {
    case PLAN_401:
      /* Gemini answers a bad key with 400, not 401. */
      google_respond_error (msg, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                            "API_KEY_INVALID", NULL);
      return;
    case PLAN_429:
      google_respond_error (msg, 429, "RESOURCE_EXHAUSTED",
                            "You exceeded your current quota, please check your plan and billing details.",
                            NULL, "1s");
      return;
    case PLAN_500:
    case PLAN_529:
      google_respond_error (msg, 500, "INTERNAL", "An internal error has occurred. Please retry.", NULL, NULL);
      return;
    case PLAN_404:
      model_message = g_strdup_printf ("models/%s is not found for API version v1beta, or is not supported for generateContent.",
                                       req.model);
      google_respond_error (msg, 404, "NOT_FOUND", model_message, NULL, NULL);
      return;
    case PLAN_STREAM:
    default:
      break;
    }

  if (!req.stream)
    {
      if (respond_unstreamed_fault (self, msg, &plan))
        return;
      if (plan.error_event)
        {
          google_respond_error (msg, 503, "UNAVAILABLE", WR_MOCK_ERROR_EVENT_MESSAGE, NULL, NULL);
          return;
        }
      if (req.json_array)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_array (b);
          for (guint i = 0; i < plan.chunks->len; i++)
            google_build_response (b, req.model, g_ptr_array_index (plan.chunks, i),
                                   i + 1 == plan.chunks->len ? "STOP" : NULL,
                                   req.prompt_words, plan.usage ? (gint64) i + 1 : -1);
          json_builder_end_array (b);
          respond_json (msg, 200, builder_to_string (b));
          return;
        }
      respond_json (msg, 200, google_response_json (req.model, plan.text, "STOP", req.prompt_words,
                                                    plan.usage ? (gint64) plan.chunks->len : -1));
      return;
    }

  /* Every response carries the usage so far; the last one has finishReason. */
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < plan.chunks->len; i++)
    {
      gboolean last = i + 1 == plan.chunks->len;

      append_event (events, google_response_json (req.model, g_ptr_array_index (plan.chunks, i),
                                                  last && plan.end == END_COMPLETE && !plan.error_event
                                                    ? "STOP" : NULL,
                                                  req.prompt_words, plan.usage ? (gint64) i + 1 : -1));
    }
  if (plan.error_event)
    append_event (events, google_error_json (503, "UNAVAILABLE", WR_MOCK_ERROR_EVENT_MESSAGE, NULL, NULL));

  if (plan.markdown)
    events = recut_pieces (events);

  stream_start (self, msg, events, plan.delay, plan.end);
}

/* Request dispatch */

static void
record_request (WrMockServer      *self,
                SoupServerMessage *msg,
                const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  g_autoptr(GBytes) body = NULL;

  self->request_count++;
  g_free (self->last_method);
  self->last_method = g_strdup (soup_server_message_get_method (msg));
  g_free (self->last_path);
  self->last_path = g_strdup (path);
  g_free (self->last_query);
  self->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_free (self->last_body);
  self->last_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  g_hash_table_remove_all (self->last_headers);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_replace (self->last_headers, g_ascii_strdown (name, -1), g_strdup (value));
}

static gboolean
check_api_key (WrMockServer      *self,
               SoupServerMessage *msg)
{
  const char *auth;
  g_autofree char *message = NULL;

  if (self->api_key == NULL)
    return TRUE;

  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (auth == NULL || !g_str_has_prefix (auth, "Bearer "))
    {
      respond_error (msg, 401,
                     "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                     "invalid_request_error", NULL);
      return FALSE;
    }

  if (g_strcmp0 (auth + strlen ("Bearer "), self->api_key) != 0)
    {
      /* Echoes the wrong key in full so clients' redaction is tested. */
      message = g_strdup_printf ("Incorrect API key provided: %s. You can find your API key at https://platform.openai.com/account/api-keys.",
                                 auth + strlen ("Bearer "));
      respond_error (msg, 401, message, "invalid_request_error", "invalid_api_key");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_anthropic_api_key (WrMockServer      *self,
                         SoupServerMessage *msg)
{
  const char *key;
  g_autofree char *message = NULL;

  if (self->api_key == NULL)
    return TRUE;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "x-api-key");
  if (key == NULL)
    {
      anthropic_respond_error (msg, 401, "authentication_error", "x-api-key header is required");
      return FALSE;
    }
  if (g_strcmp0 (key, self->api_key) != 0)
    {
      /* Echoes the wrong key in full so clients' redaction is tested. */
      message = g_strdup_printf ("invalid x-api-key: %s", key);
      anthropic_respond_error (msg, 401, "authentication_error", message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_google_api_key (WrMockServer      *self,
                      SoupServerMessage *msg)
{
  const char *key;
  g_autofree char *message = NULL;

  if (self->api_key == NULL)
    return TRUE;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "x-goog-api-key");
  if (key == NULL)
    {
      google_respond_error (msg, 403, "PERMISSION_DENIED",
                            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
                            NULL, NULL);
      return FALSE;
    }
  if (g_strcmp0 (key, self->api_key) != 0)
    {
      /* Echoes the wrong key in full so clients' redaction is tested. */
      message = g_strdup_printf ("API key not valid: %s. Please pass a valid API key.", key);
      google_respond_error (msg, 400, "INVALID_ARGUMENT", message, "API_KEY_INVALID", NULL);
      return FALSE;
    }

  return TRUE;
}

static void
handle_models (WrMockServer      *self,
               SoupServerMessage *msg,
               Protocol           protocol)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (protocol == PROTOCOL_OPENAI)
    {
      json_builder_set_member_name (b, "object");
      json_builder_add_string_value (b, "list");
    }
  json_builder_set_member_name (b, protocol == PROTOCOL_GOOGLE ? "models" : "data");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (mock_models); i++)
    {
      json_builder_begin_object (b);
      switch (protocol)
        {
        case PROTOCOL_OPENAI:
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, mock_models[i]);
          json_builder_set_member_name (b, "object");
          json_builder_add_string_value (b, "model");
          json_builder_set_member_name (b, "created");
          json_builder_add_int_value (b, 1700000000);
          json_builder_set_member_name (b, "owned_by");
          json_builder_add_string_value (b, "workroom-mock");
          break;
        case PROTOCOL_ANTHROPIC:
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "model");
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, mock_models[i]);
          json_builder_set_member_name (b, "display_name");
          json_builder_add_string_value (b, mock_models[i]);
          json_builder_set_member_name (b, "created_at");
          json_builder_add_string_value (b, "2024-10-22T00:00:00Z");
          break;
        case PROTOCOL_GOOGLE:
        default:
          {
            g_autofree char *name = g_strconcat ("models/", mock_models[i], NULL);

            json_builder_set_member_name (b, "name");
            json_builder_add_string_value (b, name);
            json_builder_set_member_name (b, "displayName");
            json_builder_add_string_value (b, mock_models[i]);
            json_builder_set_member_name (b, "supportedGenerationMethods");
            json_builder_begin_array (b);
            json_builder_add_string_value (b, "generateContent");
            json_builder_add_string_value (b, "countTokens");
            json_builder_end_array (b);
          }
          break;
        }
      json_builder_end_object (b);
    }
  if (protocol == PROTOCOL_OPENAI)
    {
      /* The embeddings model (wr-mock-embeddings.h). */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, WR_MOCK_EMBED_MODEL);
      json_builder_set_member_name (b, "object");
      json_builder_add_string_value (b, "model");
      json_builder_set_member_name (b, "owned_by");
      json_builder_add_string_value (b, "workroom-mock");
      json_builder_end_object (b);
    }
  if (protocol == PROTOCOL_GOOGLE)
    {
      /* Not a chat model: a client must leave it out. */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, "models/" WR_MOCK_GOOGLE_EMBEDDING_MODEL);
      json_builder_set_member_name (b, "supportedGenerationMethods");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "embedContent");
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (protocol == PROTOCOL_ANTHROPIC)
    {
      json_builder_set_member_name (b, "has_more");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_set_member_name (b, "first_id");
      json_builder_add_string_value (b, mock_models[0]);
      json_builder_set_member_name (b, "last_id");
      json_builder_add_string_value (b, mock_models[G_N_ELEMENTS (mock_models) - 1]);
    }
  json_builder_end_object (b);

  respond_json (msg, 200, builder_to_string (b));
}

/* The request body as a JSON object, or NULL after answering 400. */
static JsonObject *
parse_body (WrMockServer      *self,
            SoupServerMessage *msg,
            JsonParser        *parser,
            Protocol           protocol)
{
  JsonNode *root;

  if (self->last_body != NULL &&
      json_parser_load_from_data (parser, self->last_body, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    return json_node_get_object (root);

  switch (protocol)
    {
    case PROTOCOL_ANTHROPIC:
      anthropic_respond_error (msg, 400, "invalid_request_error", "There was an issue with the request body");
      break;
    case PROTOCOL_GOOGLE:
      google_respond_error (msg, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.", NULL, NULL);
      break;
    case PROTOCOL_OPENAI:
    default:
      respond_error (msg, 400, "We could not parse the JSON body of your request.",
                     "invalid_request_error", NULL);
      break;
    }
  return NULL;
}

#define ANTHROPIC_PREFIX "/anthropic/v1"
#define GOOGLE_PREFIX    "/google/v1beta"

static void
on_anthropic_request (WrMockServer      *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      const char        *method)
{
  if (g_str_equal (path, "/models") && g_str_equal (method, "GET"))
    {
      self->models_count++;
      if (check_anthropic_api_key (self, msg))
        handle_models (self, msg, PROTOCOL_ANTHROPIC);
    }
  else if (g_str_equal (path, "/messages") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *body;

      self->chat_count++;
      if (check_anthropic_api_key (self, msg) &&
          (body = parse_body (self, msg, parser, PROTOCOL_ANTHROPIC)) != NULL)
        handle_anthropic_chat (self, msg, body);
    }
  else
    anthropic_respond_error (msg, 404, "not_found_error", "Not found");
}

static void
on_google_request (WrMockServer      *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   const char        *method,
                   GHashTable        *query)
{
  const char *colon;

  if (g_str_equal (path, "/models") && g_str_equal (method, "GET"))
    {
      self->models_count++;
      if (check_google_api_key (self, msg))
        handle_models (self, msg, PROTOCOL_GOOGLE);
      return;
    }

  colon = strrchr (path, ':');
  if (g_str_has_prefix (path, "/models/") && colon != NULL && g_str_equal (method, "POST") &&
      (g_str_equal (colon, ":streamGenerateContent") || g_str_equal (colon, ":generateContent")))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *model = g_strndup (path + strlen ("/models/"), colon - path - strlen ("/models/"));
      gboolean streaming = g_str_equal (colon, ":streamGenerateContent");
      gboolean alt_sse = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "alt"), "sse") == 0;
      JsonObject *body;

      self->chat_count++;
      if (check_google_api_key (self, msg) &&
          (body = parse_body (self, msg, parser, PROTOCOL_GOOGLE)) != NULL)
        handle_google_chat (self, msg, model, streaming, alt_sse, body);
      return;
    }

  if (g_str_has_prefix (path, "/models/") && colon != NULL && g_str_equal (method, "POST") &&
      g_str_equal (colon, ":batchEmbedContents"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *model = g_strndup (path + strlen ("/models/"), colon - path - strlen ("/models/"));
      JsonObject *body;
      guint status = 500;
      char *answer;

      if (check_google_api_key (self, msg) &&
          (body = parse_body (self, msg, parser, PROTOCOL_GOOGLE)) != NULL)
        {
          answer = _wr_mock_embeddings_google (model, body, &status);
          respond_json (msg, status, answer);
        }
      return;
    }

  google_respond_error (msg, 404, "NOT_FOUND", "The requested URL was not found on this server.", NULL, NULL);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  WrMockServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  record_request (self, msg, path);

  if (g_str_has_prefix (path, ANTHROPIC_PREFIX "/"))
    on_anthropic_request (self, msg, path + strlen (ANTHROPIC_PREFIX), method);
  else if (g_str_has_prefix (path, GOOGLE_PREFIX "/"))
    on_google_request (self, msg, path + strlen (GOOGLE_PREFIX), method, query);
  else if (g_str_equal (path, "/v1/models") && g_str_equal (method, "GET"))
    {
      self->models_count++;
      if (check_api_key (self, msg))
        handle_models (self, msg, PROTOCOL_OPENAI);
    }
  else if (g_str_equal (path, "/v1/chat/completions") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *body;

      self->chat_count++;
      if (check_api_key (self, msg) &&
          (body = parse_body (self, msg, parser, PROTOCOL_OPENAI)) != NULL)
        handle_openai_chat (self, msg, body);
    }
  else if (g_str_equal (path, "/v1/embeddings") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *body;
      guint status = 500;
      char *answer;

      if (check_api_key (self, msg) &&
          (body = parse_body (self, msg, parser, PROTOCOL_OPENAI)) != NULL)
        {
          answer = _wr_mock_embeddings_openai (body, &status);
          respond_json (msg, status, answer);
        }
    }
  else if (g_str_equal (path, "/v1/chat/completions") || g_str_equal (path, "/v1/models"))
    respond_error (msg, 405, "Method not allowed", "invalid_request_error", NULL);
  else
    respond_error (msg, 404, "Unknown request URL. Please check the URL for typos.",
                   "invalid_request_error", "unknown_url");
}

/* GObject */

static void
wr_mock_server_dispose (GObject *object)
{
  WrMockServer *self = WR_MOCK_SERVER (object);

  if (self->streams != NULL)
    {
      /* Stop the streams reacting while the server tears connections down. */
      for (guint i = 0; i < self->streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (self->streams, i);

          stream->ended = TRUE;
          g_clear_handle_id (&stream->timeout_id, g_source_remove);
          g_signal_handlers_disconnect_by_data (stream->msg, stream);
        }
    }

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (wr_mock_server_parent_class)->dispose (object);
}

static void
wr_mock_server_finalize (GObject *object)
{
  WrMockServer *self = WR_MOCK_SERVER (object);

  g_free (self->url);
  g_free (self->anthropic_url);
  g_free (self->google_url);
  g_free (self->api_key);
  g_free (self->last_method);
  g_free (self->last_path);
  g_free (self->last_query);
  g_free (self->last_body);
  g_hash_table_unref (self->last_headers);

  G_OBJECT_CLASS (wr_mock_server_parent_class)->finalize (object);
}

static void
wr_mock_server_class_init (WrMockServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wr_mock_server_dispose;
  object_class->finalize = wr_mock_server_finalize;
}

static void
wr_mock_server_init (WrMockServer *self)
{
  self->chunk_delay_ms = DEFAULT_CHUNK_DELAY_MS;
  self->long_chunks = WR_MOCK_LONG_CHUNKS;
  self->long_delay_ms = LONG_CHUNK_DELAY_MS;
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* API */

WrMockServer *
wr_mock_server_new_on_port (guint    port,
                            GError **error)
{
  g_autoptr(WrMockServer) self = g_object_new (WR_TYPE_MOCK_SERVER, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  self->server = soup_server_new ("server-header", "workroom-mock ", NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);

  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->url = g_strdup_printf ("http://127.0.0.1:%u/v1", self->port);
  self->anthropic_url = g_strdup_printf ("http://127.0.0.1:%u" ANTHROPIC_PREFIX, self->port);
  self->google_url = g_strdup_printf ("http://127.0.0.1:%u" GOOGLE_PREFIX, self->port);

  return g_steal_pointer (&self);
}

WrMockServer *
wr_mock_server_new (void)
{
  g_autoptr(GError) error = NULL;
  WrMockServer *self = wr_mock_server_new_on_port (0, &error);

  g_assert_no_error (error);
  return self;
}

const char *
wr_mock_server_get_url (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->url;
}

const char *
wr_mock_server_get_anthropic_url (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->anthropic_url;
}

const char *
wr_mock_server_get_google_url (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->google_url;
}

guint
wr_mock_server_get_port (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), 0);
  return self->port;
}

void
wr_mock_server_set_api_key (WrMockServer *self,
                            const char   *api_key)
{
  g_return_if_fail (WR_IS_MOCK_SERVER (self));

  g_free (self->api_key);
  self->api_key = (api_key && api_key[0]) ? g_strdup (api_key) : NULL;
}

void
wr_mock_server_set_chunk_delay (WrMockServer *self,
                                guint         msec)
{
  g_return_if_fail (WR_IS_MOCK_SERVER (self));
  self->chunk_delay_ms = msec;
}

void
wr_mock_server_set_long_stream (WrMockServer *self,
                                guint         n_chunks,
                                guint         delay_msec)
{
  g_return_if_fail (WR_IS_MOCK_SERVER (self));
  self->long_chunks = MAX (n_chunks, 1);
  self->long_delay_ms = delay_msec;
}

guint
wr_mock_server_get_request_count (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), 0);
  return self->request_count;
}

guint
wr_mock_server_get_chat_count (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), 0);
  return self->chat_count;
}

guint
wr_mock_server_get_models_count (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), 0);
  return self->models_count;
}

guint
wr_mock_server_get_open_streams (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), 0);
  return self->streams->len;
}

void
wr_mock_server_reset_counters (WrMockServer *self)
{
  g_return_if_fail (WR_IS_MOCK_SERVER (self));
  self->request_count = 0;
  self->chat_count = 0;
  self->models_count = 0;
}

const char *
wr_mock_server_get_last_method (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->last_method;
}

const char *
wr_mock_server_get_last_path (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->last_path;
}

const char *
wr_mock_server_get_last_query (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->last_query;
}

const char *
wr_mock_server_get_last_body (WrMockServer *self)
{
  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  return self->last_body;
}

const char *
wr_mock_server_get_last_header (WrMockServer *self,
                                const char   *name)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (WR_IS_MOCK_SERVER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  lower = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (self->last_headers, lower);
}
