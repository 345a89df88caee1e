/* wr-column-type.h — inferring a dataset column's type from its values.
 *
 * A column's type is the narrowest that fits all its non-empty values:
 * integer (optional sign, no leading zero, fits 64 bits — so "08123"
 * stays text), number (decimal point and exponent, "." only), boolean
 * (true/false/yes/no, any case), date (YYYY-MM-DD with an optional
 * THH:MM[:SS] or " HH:MM[:SS]", and D/M/YYYY, M/D/YYYY, D.M.YYYY,
 * D-M-YYYY), else text. Integers also fit number.
 *
 * Threading: pure functions, any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  WR_COLUMN_TYPE_INTEGER = 1 << 0,
  WR_COLUMN_TYPE_NUMBER  = 1 << 1,
  WR_COLUMN_TYPE_BOOLEAN = 1 << 2,
  WR_COLUMN_TYPE_DATE    = 1 << 3,
  WR_COLUMN_TYPE_TEXT    = 1 << 4,
} WrColumnType;

#define WR_COLUMN_TYPES_ALL 0x1f

/* The types @value (non-empty, UTF-8) fits, as a mask (TEXT always). */
guint         wr_column_type_classify (const char *value);
/* The narrowest type in @mask (an AND of classify() results); TEXT when
 * the mask is only TEXT or the column had no values. */
WrColumnType  wr_column_type_pick     (guint       mask);
/* "integer", "number", "boolean", "date", "text". */
const char   *wr_column_type_to_string (WrColumnType type);

G_END_DECLS
