/* wr-sse-parser.c — incremental Server-Sent Events parser.
 *
 * Follows the WHATWG "event stream interpretation" rules. Lines are found
 * with memchr() and handed to the field logic straight from the caller's
 * buffer; only a line split across two feeds is copied, so a typical stream
 * costs one copy of each data value into the event buffer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-sse-parser.h"

#include <string.h>

G_DEFINE_QUARK (wr-sse-error-quark, wr_sse_error)

static const guint8 utf8_bom[] = { 0xEF, 0xBB, 0xBF };

struct _WrSseParser
{
  WrSseEventFunc  func;
  gpointer        user_data;
  gsize           max_event_size;

  GString        *line;        /* a line split across feeds */
  GString        *data;        /* data buffer of the pending event */
  GString        *event;       /* event type buffer */
  char           *last_id;     /* last event id; persists across events */
  gint64          retry_ms;    /* last valid "retry" field, -1 if none */

  guint           bom_seen;    /* leading bytes matched against the BOM */
  guint           bom_done : 1;
  guint           skip_lf : 1; /* last feed ended in CR: drop a leading LF */
  guint           dirty : 1;   /* a field was seen since the last dispatch */
  guint           stopped : 1; /* the callback asked to stop */
  guint           failed : 1;  /* a limit was exceeded */
};

static gboolean
set_too_large (WrSseParser  *self,
               GError      **error)
{
  self->failed = TRUE;
  g_set_error (error, WR_SSE_ERROR, WR_SSE_ERROR_TOO_LARGE,
               "Server-sent event larger than %" G_GSIZE_FORMAT " bytes",
               self->max_event_size);
  return FALSE;
}

static void
reset_event (WrSseParser *self)
{
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event, 0);
  self->dirty = FALSE;
}

static void
dispatch (WrSseParser *self)
{
  const char *event;

  if (self->data->len == 0)
    {
      reset_event (self);
      return;
    }

  /* Every data line appended a LF; the last one is not part of the data. */
  g_string_truncate (self->data, self->data->len - 1);
  event = self->event->len > 0 ? self->event->str : "message";

  if (!self->func (event, self->data->str, self->data->len,
                   (self->last_id && self->last_id[0]) ? self->last_id : NULL,
                   self->user_data))
    self->stopped = TRUE;

  reset_event (self);
}

#define FIELD_IS(name) (field_len == sizeof (name) - 1 && memcmp (line, name, sizeof (name) - 1) == 0)

static gboolean
process_line (WrSseParser  *self,
              const char   *line,
              gsize         len,
              GError      **error)
{
  const char *colon;
  const char *value;
  gsize field_len;
  gsize value_len;

  if (len == 0)
    {
      dispatch (self);
      return TRUE;
    }

  if (line[0] == ':')
    return TRUE;

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      field_len = colon - line;
      value = colon + 1;
      value_len = len - field_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      field_len = len;
      value = "";
      value_len = 0;
    }

  if (FIELD_IS ("data"))
    {
      self->dirty = TRUE;
      if (self->data->len + self->event->len + value_len + 1 > self->max_event_size)
        return set_too_large (self, error);
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
    }
  else if (FIELD_IS ("event"))
    {
      self->dirty = TRUE;
      if (self->data->len + value_len > self->max_event_size)
        return set_too_large (self, error);
      /* A name with a NUL cannot be passed as a C string (it would come
       * out cut short, or empty): ignored, as ids with a NUL are. */
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->event, 0);
          g_string_append_len (self->event, value, value_len);
        }
    }
  else if (FIELD_IS ("id"))
    {
      self->dirty = TRUE;
      /* The spec ignores ids containing NUL. */
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_free (self->last_id);
          self->last_id = g_strndup (value, value_len);
        }
    }
  else if (FIELD_IS ("retry"))
    {
      gint64 ms = 0;
      gsize i;

      for (i = 0; i < value_len; i++)
        {
          if (!g_ascii_isdigit (value[i]) || ms > G_MAXINT64 / 20)
            break;
          ms = ms * 10 + (value[i] - '0');
        }
      if (value_len > 0 && i == value_len)
        self->retry_ms = ms;
    }
  /* Any other field is ignored. */

  return TRUE;
}

#undef FIELD_IS

/* Feeds bytes after BOM handling. */
static gboolean
feed_lines (WrSseParser  *self,
            const char   *buf,
            gsize         len,
            GError      **error)
{
  const char *p = buf;
  const char *end = buf + len;
  const char *next_cr;
  const char *next_lf;

  if (len == 0)
    return TRUE;

  /* Every bound below counts the whole pending event (data and name) with
   * the line, so wr_sse_parser_get_buffered() never exceeds the limit. */

  if (self->skip_lf)
    {
      self->skip_lf = FALSE;
      if (*p == '\n')
        p++;
    }

  /* Cache the next CR and LF positions: re-searching for a byte that is
   * not in the rest of the buffer would make mixed input quadratic. */
  next_cr = memchr (p, '\r', end - p);
  next_lf = memchr (p, '\n', end - p);

  while (p < end && !self->stopped)
    {
      const char *eol;

      if (next_cr != NULL && next_cr < p)
        next_cr = memchr (p, '\r', end - p);
      if (next_lf != NULL && next_lf < p)
        next_lf = memchr (p, '\n', end - p);

      if (next_cr == NULL)
        eol = next_lf;
      else if (next_lf == NULL)
        eol = next_cr;
      else
        eol = MIN (next_cr, next_lf);

      if (eol == NULL)
        {
          /* Incomplete line: keep it for the next feed. */
          if (self->line->len + (end - p) + self->data->len + self->event->len > self->max_event_size)
            return set_too_large (self, error);
          g_string_append_len (self->line, p, end - p);
          return TRUE;
        }

      if (self->line->len > 0)
        {
          if (self->line->len + (eol - p) + self->data->len + self->event->len > self->max_event_size)
            return set_too_large (self, error);
          g_string_append_len (self->line, p, eol - p);
          if (!process_line (self, self->line->str, self->line->len, error))
            return FALSE;
          g_string_truncate (self->line, 0);
        }
      else
        {
          if ((gsize) (eol - p) + self->data->len + self->event->len > self->max_event_size)
            return set_too_large (self, error);
          if (!process_line (self, p, eol - p, error))
            return FALSE;
        }

      p = eol + 1;
      if (*eol == '\r')
        {
          if (p == end)
            self->skip_lf = TRUE;
          else if (*p == '\n')
            p++;
        }
    }

  return TRUE;
}

WrSseParser *
wr_sse_parser_new (WrSseEventFunc func,
                   gpointer       user_data)
{
  WrSseParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (WrSseParser, 1);
  self->func = func;
  self->user_data = user_data;
  self->max_event_size = WR_SSE_DEFAULT_MAX_EVENT_SIZE;
  self->line = g_string_sized_new (256);
  self->data = g_string_sized_new (1024);
  self->event = g_string_new (NULL);
  self->retry_ms = -1;

  return self;
}

void
wr_sse_parser_set_max_event_size (WrSseParser *self,
                                  gsize        max_bytes)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_bytes > 0);

  self->max_event_size = max_bytes;
}

gboolean
wr_sse_parser_feed (WrSseParser  *self,
                    const char   *buf,
                    gsize         len,
                    GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (buf != NULL || len == 0, FALSE);

  if (self->failed)
    return set_too_large (self, error);

  if (self->stopped)
    return TRUE;

  /* A BOM may itself arrive split across feeds. */
  while (!self->bom_done && len > 0)
    {
      if ((guint8) buf[0] == utf8_bom[self->bom_seen])
        {
          buf++;
          len--;
          if (++self->bom_seen == sizeof utf8_bom)
            self->bom_done = TRUE;
        }
      else
        {
          guint seen = self->bom_seen;

          self->bom_done = TRUE;
          /* Not a BOM after all: the bytes matched so far are content. */
          if (seen > 0 && !feed_lines (self, (const char *) utf8_bom, seen, error))
            return FALSE;
        }
    }

  return feed_lines (self, buf, len, error);
}

gboolean
wr_sse_parser_finish (WrSseParser *self)
{
  gboolean boundary;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->bom_done && self->bom_seen > 0)
    boundary = FALSE;
  else
    boundary = self->line->len == 0 && !self->dirty;

  g_string_truncate (self->line, 0);
  reset_event (self);
  self->skip_lf = FALSE;

  return boundary;
}

gsize
wr_sse_parser_get_buffered (WrSseParser *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->line->len + self->data->len + self->event->len;
}

void
wr_sse_parser_free (WrSseParser *self)
{
  if (self == NULL)
    return;

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event, TRUE);
  g_free (self->last_id);
  g_free (self);
}
