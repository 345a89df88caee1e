/* wr-column-type.c — value classification for column type inference.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>

#include "wr-column-type.h"

static gboolean
is_integer (const char *s)
{
  const char *p = s;
  guint digits = 0;

  if (*p == '-' || *p == '+')
    p++;
  if (p[0] == '0' && p[1] != '\0')
    return FALSE;           /* leading zero: an identifier, keep as text */
  for (; *p != '\0'; p++, digits++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (digits == 0 || digits > 19)
    return FALSE;
  if (digits == 19)
    {
      char *end = NULL;

      errno = 0;
      g_ascii_strtoll (s, &end, 10);
      return errno == 0;
    }
  return TRUE;
}

static gboolean
is_number (const char *s)
{
  const char *p = s;
  guint mantissa = 0;

  if (*p == '-' || *p == '+')
    p++;
  if (p[0] == '0' && g_ascii_isdigit (p[1]))
    return FALSE;           /* "0812": an identifier */
  for (; g_ascii_isdigit (*p); p++)
    mantissa++;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      mantissa++;
  if (mantissa == 0)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      guint exp = 0;

      p++;
      if (*p == '-' || *p == '+')
        p++;
      for (; g_ascii_isdigit (*p); p++)
        exp++;
      if (exp == 0)
        return FALSE;
    }
  return *p == '\0';
}

static gboolean
is_boolean (const char *s)
{
  return g_ascii_strcasecmp (s, "true") == 0 || g_ascii_strcasecmp (s, "false") == 0 ||
         g_ascii_strcasecmp (s, "yes") == 0 || g_ascii_strcasecmp (s, "no") == 0;
}

/* Reads 1..@max digits; returns how many, 0 when none. */
static guint
read_digits (const char **p,
             guint        max,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (n < max && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }
  return n;
}

static gboolean
valid_ymd (guint y,
           guint m,
           guint d)
{
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y);
}

static gboolean
is_time (const char *p)
{
  guint h, m, s;

  if (read_digits (&p, 2, &h) != 2 || *p++ != ':' || read_digits (&p, 2, &m) != 2)
    return FALSE;
  if (*p == ':')
    {
      p++;
      if (read_digits (&p, 2, &s) != 2 || s > 60)
        return FALSE;
      if (*p == '.')
        for (p++; g_ascii_isdigit (*p); p++)
          ;
    }
  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      guint tz;
      p++;
      if (read_digits (&p, 2, &tz) != 2)
        return FALSE;
      if (*p == ':')
        p++;
      if (read_digits (&p, 2, &tz) != 2)
        return FALSE;
    }
  return h < 24 && m < 60 && *p == '\0';
}

static gboolean
is_date (const char *s)
{
  const char *p = s;
  guint a, b, c;
  guint na, nb, nc;
  char sep;

  na = read_digits (&p, 4, &a);
  if (na == 0)
    return FALSE;
  sep = *p;
  if (sep != '-' && sep != '/' && sep != '.')
    return FALSE;
  p++;
  nb = read_digits (&p, 2, &b);
  if (nb == 0 || *p++ != sep)
    return FALSE;
  nc = read_digits (&p, 4, &c);

  if (na == 4 && sep == '-' && nb == 2 && nc == 2)
    {
      if (!valid_ymd (a, b, c))
        return FALSE;
      if (*p == '\0')
        return TRUE;
      if (*p == 'T' || *p == ' ')
        return is_time (p + 1);
      return FALSE;
    }

  if (na <= 2 && nc == 4 && *p == '\0')
    return valid_ymd (c, b, a) || (sep == '/' && valid_ymd (c, a, b));

  return FALSE;
}

guint
wr_column_type_classify (const char *value)
{
  guint mask = WR_COLUMN_TYPE_TEXT;

  g_return_val_if_fail (value != NULL, mask);

  if (is_integer (value))
    mask |= WR_COLUMN_TYPE_INTEGER | WR_COLUMN_TYPE_NUMBER;
  else if (is_number (value))
    mask |= WR_COLUMN_TYPE_NUMBER;
  else if (is_boolean (value))
    mask |= WR_COLUMN_TYPE_BOOLEAN;
  else if (is_date (value))
    mask |= WR_COLUMN_TYPE_DATE;

  return mask;
}

WrColumnType
wr_column_type_pick (guint mask)
{
  static const WrColumnType order[] = {
    WR_COLUMN_TYPE_INTEGER, WR_COLUMN_TYPE_NUMBER, WR_COLUMN_TYPE_BOOLEAN, WR_COLUMN_TYPE_DATE,
  };

  if (mask == WR_COLUMN_TYPES_ALL)
    return WR_COLUMN_TYPE_TEXT;   /* no values */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (mask & order[i])
      return order[i];
  return WR_COLUMN_TYPE_TEXT;
}

const char *
wr_column_type_to_string (WrColumnType type)
{
  switch (type)
    {
    case WR_COLUMN_TYPE_INTEGER: return "integer";
    case WR_COLUMN_TYPE_NUMBER:  return "number";
    case WR_COLUMN_TYPE_BOOLEAN: return "boolean";
    case WR_COLUMN_TYPE_DATE:    return "date";
    case WR_COLUMN_TYPE_TEXT:
    default:                     return "text";
    }
}
