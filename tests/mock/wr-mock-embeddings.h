/* wr-mock-embeddings.h — the mock server's embeddings: deterministic
 * vectors, so tests can predict what a search finds.
 *
 * A text's vector has WR_MOCK_EMBED_DIMS dimensions: its words (runs of
 * letters and digits, lower-cased), each first mapped through a small
 * synonym table (car → automobile, happy → glad, big → large, buy →
 * purchase, film → movie, doctor → physician, quick/fast → rapid,
 * house → home), are hashed into a bag of words (FNV-1a: dimension
 * hash % dims, +1) and the result normalised to length 1 (all zeros when
 * the text has no word). So "car" and "automobile" get the same vector,
 * which full-text search cannot match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WR_MOCK_EMBED_MODEL      "mock-embed"       /* OpenAI /v1/embeddings */
#define WR_MOCK_EMBED_500_MODEL  "mock-embed-500"   /* always 500 */
#define WR_MOCK_EMBED_DIMS       64

/* Fills @out (WR_MOCK_EMBED_DIMS floats) with @text's vector. */
void  wr_mock_embed_text            (const char *text,
                                     float      *out);

/* The answer to POST /v1/embeddings with @body: JSON text (transfer full)
 * and its HTTP status in @status. */
char *_wr_mock_embeddings_openai    (JsonObject *body,
                                     guint      *status);
/* The answer to POST /google/v1beta/models/@model:batchEmbedContents. */
char *_wr_mock_embeddings_google    (const char *model,
                                     JsonObject *body,
                                     guint      *status);

G_END_DECLS
