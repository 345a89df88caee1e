/* wr-provider-images.h — what the providers folder shares for sending
 * images: the request's image table, and base64 data written straight
 * into a JSON request body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wr-provider.h"

G_BEGIN_DECLS

/* A copy of @request's image table for another request with the same
 * messages (the router's attempts), or NULL when it has none. The image
 * lists are shared. (transfer full) */
GHashTable  *_wr_chat_request_dup_images (WrChatRequest *request);

/* The images of @request's user messages, or NULL when @message is not a
 * user message or has none: only users send images. (transfer none) */
GPtrArray   *_wr_chat_request_user_images (WrChatRequest *request,
                                           WrMessage     *message);

/* NULL when every image @request sends is of one of @mime_types
 * (NULL-terminated), else a WR_PROVIDER_ERROR_BAD_REQUEST naming the first
 * that is not, to fail the call before anything is sent. (transfer full) */
GError      *_wr_chat_request_check_images (WrChatRequest      *request,
                                            const char * const *mime_types);

/* "data:image/png;base64," (transfer full) */
char        *_wr_data_url_prefix (const char *mime_type);

/* Large base64 strings in a JSON body. json-glib can only copy a string
 * into its tree and then again into the output, so an image would be held
 * in memory three times over as text. Instead the builder gets a short
 * placeholder, and _wr_json_blobs_to_bytes() encodes each image straight
 * into the final body: the body is the only copy. */
typedef struct _WrJsonBlobs WrJsonBlobs;

WrJsonBlobs *_wr_json_blobs_new          (void);
void         _wr_json_blobs_free         (WrJsonBlobs *self);
/* Adds to @builder (where a value is expected) a string that will read
 * @prefix followed by @data in base64. @prefix must need no JSON escaping
 * ("data:image/png;base64,"); @data is referenced. */
void         _wr_json_blobs_add_base64   (WrJsonBlobs *self,
                                          JsonBuilder *builder,
                                          const char  *prefix,
                                          GBytes      *data);
/* The JSON text of @builder's root with the blobs in place. (transfer full) */
GBytes      *_wr_json_blobs_to_bytes     (WrJsonBlobs *self,
                                          JsonBuilder *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrJsonBlobs, _wr_json_blobs_free)

G_END_DECLS
