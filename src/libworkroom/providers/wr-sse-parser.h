/* wr-sse-parser.h — incremental Server-Sent Events parser (WHATWG
 * "event stream" rules): input may be split at any byte; lines end in LF,
 * CR or CRLF (also split across feeds); multi-line data joined with "\n";
 * comment lines (":" keep-alives) ignored; a leading UTF-8 BOM skipped;
 * an event is dispatched at a blank line. Memory is bounded: an event or a
 * line larger than the limit makes feed() fail. Not thread-safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WR_SSE_ERROR (wr_sse_error_quark ())
typedef enum {
  WR_SSE_ERROR_TOO_LARGE,
} WrSseError;
GQuark wr_sse_error_quark (void);

/* @event is "message" when the stream gave no event name; @data is
 * NUL-terminated (data_len excludes the NUL); @id may be NULL. Return FALSE
 * to stop parsing (feed() then returns TRUE and ignores the rest). */
typedef gboolean (*WrSseEventFunc) (const char *event,
                                    const char *data,
                                    gsize       data_len,
                                    const char *id,
                                    gpointer    user_data);

typedef struct _WrSseParser WrSseParser;

#define WR_SSE_DEFAULT_MAX_EVENT_SIZE (16 * 1024 * 1024)

WrSseParser *wr_sse_parser_new       (WrSseEventFunc func,
                                      gpointer       user_data);
void         wr_sse_parser_set_max_event_size (WrSseParser *self,
                                      gsize          max_bytes);
gboolean     wr_sse_parser_feed      (WrSseParser   *self,
                                      const char    *buf,
                                      gsize          len,
                                      GError       **error);
/* End of stream: a pending event without its blank line is discarded, as
 * the spec says. Returns TRUE when the stream ended on an event boundary. */
gboolean     wr_sse_parser_finish    (WrSseParser   *self);
/* Bytes currently buffered (for tests of the memory bound). */
gsize        wr_sse_parser_get_buffered (WrSseParser *self);
void         wr_sse_parser_free      (WrSseParser   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrSseParser, wr_sse_parser_free)

G_END_DECLS
