/* wr-xlsx-reader.c — streaming XLSX reader over WrSafeZip + WrSafeXml.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wr-ooxml-private.h"
#include "wr-xlsx-reader.h"

#define MAX_COLUMNS 16384          /* XFD */
#define MAX_ROWS    1048576
#define MAX_MERGES  100000
#define MAX_STRINGS_BYTES (512 * 1024 * 1024)
#define MAX_STRINGS (16 * 1024 * 1024)
#define MAX_NUM_FMTS 100000
#define PROGRESS_STEP (256 * 1024)

enum
{
  FMT_DATE    = 1 << 0,
  FMT_TIME    = 1 << 1,
  FMT_ELAPSED = 1 << 2,
};

typedef struct
{
  char                 *name;
  char                 *part;   /* nullable */
  WrXlsxSheetVisibility visibility;
  gboolean              has_cells;
} Sheet;

struct _WrXlsxReader
{
  WrSafeZip          *zip;
  GPtrArray          *sheets;    /* Sheet */
  GString            *sst;       /* shared strings, NUL-separated */
  GArray             *sst_index; /* gsize offset into sst per string */
  GArray             *xf_flags;  /* guint8 per cellXfs entry */
  gboolean            date1904;
  WrXlsxProgressFunc  progress_func;
  gpointer            progress_data;
  GPtrArray          *merges;    /* WrXlsxMerge */
};

static void
sheet_free (gpointer data)
{
  Sheet *sheet = data;

  g_free (sheet->name);
  g_free (sheet->part);
  g_free (sheet);
}

static void
merge_free (gpointer data)
{
  WrXlsxMerge *merge = data;

  g_free (merge->ref);
  g_free (merge);
}

/* ---- number formats ---------------------------------------------------- */

static guint8
builtin_format_flags (guint id)
{
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58))
    return FMT_DATE;
  if ((id >= 18 && id <= 21) || id == 45 || id == 47 || id == 32 || id == 33)
    return FMT_TIME;
  if (id == 22)
    return FMT_DATE | FMT_TIME;
  if (id == 46)
    return FMT_TIME | FMT_ELAPSED;
  return 0;
}

/* d/m/y/h/s outside quotes, brackets and escapes, in the first section. */
static guint8
custom_format_flags (const char *code)
{
  gboolean d = FALSE, m = FALSE, y = FALSE, h = FALSE, s = FALSE, elapsed = FALSE;
  guint8 flags = 0;

  for (const char *p = code; *p != '\0' && *p != ';'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (*p == '"')
        {
          p = strchr (p + 1, '"');
          if (p == NULL)
            break;
          continue;
        }
      if (*p == '\\' || *p == '_' || *p == '*')
        {
          if (p[1] == '\0')
            break;
          p++;
          continue;
        }
      if (*p == '[')
        {
          const char *end = strchr (p, ']');
          gboolean all_hms = end != NULL && end > p + 1;

          if (end == NULL)
            break;
          for (const char *q = p + 1; q < end; q++)
            if (strchr ("hHmMsS", *q) == NULL)
              all_hms = FALSE;
          if (all_hms)
            elapsed = TRUE;
          p = end;
          continue;
        }
      if (c == 'd')
        d = TRUE;
      else if (c == 'm')
        m = TRUE;
      else if (c == 'y')
        y = TRUE;
      else if (c == 'h')
        h = TRUE;
      else if (c == 's')
        s = TRUE;
      else if (c == 'e' && p > code && g_ascii_tolower (p[-1]) == 'e')
        y = TRUE;   /* "ee": era year */
    }

  if (elapsed)
    return FMT_TIME | FMT_ELAPSED;
  if (d || y || (m && !h && !s))
    flags |= FMT_DATE;
  if (h || s)
    flags |= FMT_TIME;
  return flags;
}

static void
days_to_civil (gint64 z, int *year, int *month, int *day)
{
  /* Howard Hinnant's algorithm; z = days since 1970-01-01. */
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = (int) (yoe + era * 400 + (*month <= 2));
}

char *
wr_xlsx_format_serial (double   serial,
                       gboolean date1904,
                       gboolean has_date,
                       gboolean has_time,
                       gboolean elapsed)
{
  gint64 total_seconds, days, secs;
  int year, month, day;

  if (!isfinite (serial) || serial < 0 || serial > 2958466.0)
    return NULL;

  total_seconds = (gint64) llround (serial * 86400.0);
  if (elapsed)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", total_seconds / 3600,
                            (int) (total_seconds / 60 % 60), (int) (total_seconds % 60));

  days = total_seconds / 86400;
  secs = total_seconds % 86400;

  if (date1904)
    days_to_civil (days - 24107, &year, &month, &day);   /* 1904-01-01 is day 0 */
  else if (days == 60)
    year = 1900, month = 2, day = 29;                    /* Lotus 1-2-3's leap day */
  else if (days < 60)
    days_to_civil (days - 25568, &year, &month, &day);   /* 1 = 1900-01-01 */
  else
    days_to_civil (days - 25569, &year, &month, &day);   /* 25569 = 1970-01-01 */

  if (!has_date && days == 0)
    return g_strdup_printf ("%02d:%02d:%02d", (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
  if (!has_time && secs == 0)
    return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
  return g_strdup_printf ("%04d-%02d-%02d %02d:%02d:%02d", year, month, day,
                          (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
}

/* ---- workbook parts ---------------------------------------------------- */

static gboolean
add_string (WrXlsxReader *self,
            const char   *text,
            gsize         len)
{
  gsize offset = self->sst->len;

  if (self->sst_index->len >= MAX_STRINGS)
    return FALSE;
  g_string_append_len (self->sst, text, len);
  g_string_append_c (self->sst, '\0');
  g_array_append_val (self->sst_index, offset);
  return TRUE;
}

static gboolean
read_workbook (WrXlsxReader *self,
               const char   *part,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr(GPtrArray) rels = _wr_ooxml_read_rels (self->zip, part, error);
  g_autoptr(WrSafeXml) xml = NULL;
  int ret;

  if (rels == NULL)
    return FALSE;
  xml = wr_safe_xml_new_for_entry (self->zip, part, error);
  if (xml == NULL)
    return FALSE;

  while ((ret = wr_safe_xml_read (xml, error)) == 1)
    {
      if (wr_safe_xml_is_start (xml, "workbookPr"))
        {
          g_autofree char *v = wr_safe_xml_dup_attribute (xml, "date1904");
          self->date1904 = v != NULL && (strcmp (v, "1") == 0 || g_ascii_strcasecmp (v, "true") == 0);
        }
      else if (wr_safe_xml_is_start (xml, "sheet") && self->sheets->len < 100000)
        {
          g_autofree char *state = wr_safe_xml_dup_attribute (xml, "state");
          g_autofree char *id = wr_safe_xml_dup_attribute (xml, "id");
          WrOoxmlRel *rel = _wr_ooxml_find_rel_id (rels, id);
          Sheet *sheet = g_new0 (Sheet, 1);

          sheet->name = wr_safe_xml_dup_attribute (xml, "name");
          if (sheet->name == NULL)
            sheet->name = g_strdup_printf ("Sheet%u", self->sheets->len + 1);
          if (state != NULL && strcmp (state, "hidden") == 0)
            sheet->visibility = WR_XLSX_SHEET_HIDDEN;
          else if (state != NULL && strcmp (state, "veryHidden") == 0)
            sheet->visibility = WR_XLSX_SHEET_VERY_HIDDEN;
          if (rel != NULL && rel->target != NULL)
            {
              sheet->part = g_strdup (rel->target);
              sheet->has_cells = g_str_has_suffix (rel->type, "/worksheet")
                                 && wr_safe_zip_has_entry (self->zip, rel->target);
            }
          g_ptr_array_add (self->sheets, sheet);
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (ret < 0)
    return FALSE;

  /* Shared strings and styles, found through the workbook's relationships. */
  {
    WrOoxmlRel *rel = _wr_ooxml_find_rel_type (rels, "/sharedStrings");
    g_autoptr(WrSafeXml) sst = NULL;
    g_autoptr(GString) text = g_string_new (NULL);
    gsize total = 0;
    gboolean in_si = FALSE, in_t = FALSE;
    int rph_depth = -1;

    if (rel != NULL && wr_safe_zip_has_entry (self->zip, rel->target))
      {
        sst = wr_safe_xml_new_for_entry (self->zip, rel->target, error);
        if (sst == NULL)
          return FALSE;
        while ((ret = wr_safe_xml_read (sst, error)) == 1)
          {
            int type = wr_safe_xml_node_type (sst);

            if (type == XML_READER_TYPE_ELEMENT)
              {
                const char *name = wr_safe_xml_local_name (sst);
                gboolean empty = wr_safe_xml_is_empty (sst);

                if (strcmp (name, "si") == 0)
                  {
                    g_string_truncate (text, 0);
                    in_si = !empty;
                    if (empty)
                      add_string (self, "", 0);
                  }
                else if (strcmp (name, "rPh") == 0 && !empty && rph_depth < 0)
                  rph_depth = wr_safe_xml_depth (sst);
                else if (strcmp (name, "t") == 0 && !empty)
                  in_t = TRUE;
              }
            else if (type == XML_READER_TYPE_END_ELEMENT)
              {
                const char *name = wr_safe_xml_local_name (sst);

                if (strcmp (name, "si") == 0 && in_si)
                  {
                    total += text->len;
                    if (total > MAX_STRINGS_BYTES)
                      goto too_many;
                    if (!add_string (self, text->str, text->len))
                      goto too_many;
                    in_si = FALSE;
                  }
                else if (strcmp (name, "rPh") == 0 && rph_depth == wr_safe_xml_depth (sst))
                  rph_depth = -1;
                else if (strcmp (name, "t") == 0)
                  in_t = FALSE;
              }
            else if (in_si && in_t && rph_depth < 0
                     && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE
                         || type == XML_READER_TYPE_CDATA))
              {
                g_string_append (text, wr_safe_xml_value (sst));
                if (total + text->len > MAX_STRINGS_BYTES)
                  goto too_many;
              }
          }
        if (ret < 0)
          return FALSE;
      }
  }
  goto styles;

too_many:
  g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_TOO_LARGE,
                       _("The workbook holds more text than Workroom reads. "
                         "Split it into smaller files and try again."));
  return FALSE;

styles:
  {
    WrOoxmlRel *rel = _wr_ooxml_find_rel_type (rels, "/styles");
    g_autoptr(WrSafeXml) styles = NULL;
    g_autoptr(GHashTable) custom = g_hash_table_new (NULL, NULL);
    gboolean in_xfs = FALSE;

    if (rel != NULL && wr_safe_zip_has_entry (self->zip, rel->target))
      {
        styles = wr_safe_xml_new_for_entry (self->zip, rel->target, error);
        if (styles == NULL)
          return FALSE;
        while ((ret = wr_safe_xml_read (styles, error)) == 1)
          {
            if (wr_safe_xml_is_start (styles, "numFmt"))
              {
                g_autofree char *id = wr_safe_xml_dup_attribute (styles, "numFmtId");
                g_autofree char *code = wr_safe_xml_dup_attribute (styles, "formatCode");
                if (id != NULL && code != NULL && g_hash_table_size (custom) < MAX_NUM_FMTS)
                  g_hash_table_insert (custom, GUINT_TO_POINTER ((guint) strtoul (id, NULL, 10)),
                                       GUINT_TO_POINTER ((guint) custom_format_flags (code) | 0x100));
              }
            else if (wr_safe_xml_is_start (styles, "cellXfs"))
              in_xfs = !wr_safe_xml_is_empty (styles);
            else if (wr_safe_xml_node_type (styles) == XML_READER_TYPE_END_ELEMENT
                     && strcmp (wr_safe_xml_local_name (styles), "cellXfs") == 0)
              in_xfs = FALSE;
            else if (in_xfs && wr_safe_xml_is_start (styles, "xf") && self->xf_flags->len < 1000000)
              {
                g_autofree char *id = wr_safe_xml_dup_attribute (styles, "numFmtId");
                guint fmt = id != NULL ? (guint) strtoul (id, NULL, 10) : 0;
                gpointer found = g_hash_table_lookup (custom, GUINT_TO_POINTER (fmt));
                guint8 flags = found != NULL ? (guint8) (GPOINTER_TO_UINT (found) & 0xff)
                                             : builtin_format_flags (fmt);
                g_array_append_val (self->xf_flags, flags);
              }
          }
        if (ret < 0)
          return FALSE;
      }
  }

  return TRUE;
}

static WrXlsxReader *
open_zip (WrSafeZip *zip,
          GError   **error)
{
  g_autoptr(WrXlsxReader) self = g_new0 (WrXlsxReader, 1);
  g_autofree char *part = NULL;

  self->zip = zip;
  self->sheets = g_ptr_array_new_with_free_func (sheet_free);
  self->sst = g_string_new (NULL);
  self->sst_index = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->xf_flags = g_array_new (FALSE, FALSE, sizeof (guint8));
  self->merges = g_ptr_array_new_with_free_func (merge_free);

  part = _wr_ooxml_main_part (zip, "xl/workbook.xml", error);
  if (part == NULL)
    return NULL;
  if (!wr_safe_zip_has_entry (zip, part))
    {
      g_set_error_literal (error, WR_DOCS_ERROR, WR_DOCS_ERROR_CORRUPT,
                           _("The file is not an Excel workbook: it has no workbook part. "
                             "Check that it is an .xlsx file and try again."));
      return NULL;
    }
  if (!read_workbook (self, part, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

WrXlsxReader *
wr_xlsx_reader_open (const char  *path,
                     GError     **error)
{
  WrSafeZip *zip;

  g_return_val_if_fail (path != NULL, NULL);

  zip = wr_safe_zip_open (path, NULL, error);
  return zip != NULL ? open_zip (zip, error) : NULL;
}

WrXlsxReader *
wr_xlsx_reader_open_bytes (GBytes  *bytes,
                           GError **error)
{
  WrSafeZip *zip;

  g_return_val_if_fail (bytes != NULL, NULL);

  zip = wr_safe_zip_open_bytes (bytes, NULL, error);
  return zip != NULL ? open_zip (zip, error) : NULL;
}

void
wr_xlsx_reader_free (WrXlsxReader *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  if (self->sst != NULL)
    g_string_free (self->sst, TRUE);
  g_clear_pointer (&self->sst_index, g_array_unref);
  g_clear_pointer (&self->xf_flags, g_array_unref);
  g_clear_pointer (&self->merges, g_ptr_array_unref);
  g_clear_pointer (&self->zip, wr_safe_zip_free);
  g_free (self);
}

guint
wr_xlsx_reader_get_n_sheets (WrXlsxReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->sheets->len;
}

const char *
wr_xlsx_reader_get_sheet_name (WrXlsxReader *self,
                               guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->sheets->len, NULL);
  return ((Sheet *) g_ptr_array_index (self->sheets, index))->name;
}

WrXlsxSheetVisibility
wr_xlsx_reader_get_sheet_visibility (WrXlsxReader *self,
                                     guint         index)
{
  g_return_val_if_fail (self != NULL, WR_XLSX_SHEET_VISIBLE);
  g_return_val_if_fail (index < self->sheets->len, WR_XLSX_SHEET_VISIBLE);
  return ((Sheet *) g_ptr_array_index (self->sheets, index))->visibility;
}

gboolean
wr_xlsx_reader_sheet_has_cells (WrXlsxReader *self,
                                guint         index)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (index < self->sheets->len, FALSE);
  return ((Sheet *) g_ptr_array_index (self->sheets, index))->has_cells;
}

gboolean
wr_xlsx_reader_get_date1904 (WrXlsxReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->date1904;
}

void
wr_xlsx_reader_set_progress_func (WrXlsxReader      *self,
                                  WrXlsxProgressFunc func,
                                  gpointer           user_data)
{
  g_return_if_fail (self != NULL);
  self->progress_func = func;
  self->progress_data = user_data;
}

GPtrArray *
wr_xlsx_reader_get_merges (WrXlsxReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->merges;
}

/* ---- sheets ------------------------------------------------------------ */

/* "BC12" → column 54 (0-based), row 12; FALSE when malformed. */
static gboolean
parse_ref (const char *ref,
           guint      *column,
           guint      *row)
{
  guint col = 0, r = 0, n_letters = 0;
  const char *p = ref;

  if (*p == '$')
    p++;
  for (; g_ascii_isalpha (*p) && n_letters < 4; p++, n_letters++)
    col = col * 26 + (guint) (g_ascii_toupper (*p) - 'A' + 1);
  if (n_letters == 0 || col > MAX_COLUMNS)
    return FALSE;
  if (*p == '$')
    p++;
  for (; g_ascii_isdigit (*p) && r <= MAX_ROWS; p++)
    r = r * 10 + (guint) (*p - '0');
  *column = col - 1;
  *row = r;
  return TRUE;
}

typedef struct
{
  WrXlsxCellType type;
  gsize          offset;   /* into the row's text arena */
  double         number;
} CellBuf;

typedef struct
{
  WrXlsxReader *self;
  GArray       *cells;   /* CellBuf, index = column */
  GArray       *out;     /* WrXlsxCell */
  GString      *arena;
  guint         row;
  gboolean      has_value;
  /* the cell being read */
  guint         column;
  char          type[16];
  guint         style;
  GString      *value;
  gboolean      in_v, in_is_t;
  int           rph_depth;
} RowState;

static void
store_cell (RowState *st)
{
  WrXlsxReader *self = st->self;
  CellBuf cell = { WR_XLSX_CELL_EMPTY, 0, 0 };
  const char *text = NULL;
  g_autofree char *owned = NULL;
  const char *t = st->type;

  if (st->column >= MAX_COLUMNS)
    return;

  if (strcmp (t, "inlineStr") == 0)
    {
      if (st->value->len > 0)
        cell.type = WR_XLSX_CELL_STRING, text = st->value->str;
    }
  else if (st->value->len == 0)
    ;
  else if (strcmp (t, "s") == 0)
    {
      char *end = NULL;
      guint64 idx = g_ascii_strtoull (st->value->str, &end, 10);
      text = idx < self->sst_index->len ? self->sst->str + g_array_index (self->sst_index, gsize, idx) : "";
      cell.type = WR_XLSX_CELL_STRING;
    }
  else if (strcmp (t, "str") == 0 || strcmp (t, "e") == 0)
    cell.type = WR_XLSX_CELL_STRING, text = st->value->str;
  else if (strcmp (t, "b") == 0)
    {
      cell.type = WR_XLSX_CELL_BOOL;
      cell.number = strcmp (st->value->str, "0") != 0 && g_ascii_strcasecmp (st->value->str, "false") != 0;
      text = cell.number != 0 ? "TRUE" : "FALSE";
    }
  else if (strcmp (t, "d") == 0)
    cell.type = WR_XLSX_CELL_DATE, text = st->value->str;
  else
    {
      char *end = NULL;
      double number = g_ascii_strtod (g_strstrip (st->value->str), &end);
      guint8 flags = st->style < self->xf_flags->len ? g_array_index (self->xf_flags, guint8, st->style) : 0;

      if (end == NULL || end == st->value->str || *end != '\0' || !isfinite (number))
        cell.type = WR_XLSX_CELL_STRING, text = st->value->str;
      else
        {
          cell.number = number;
          if (flags != 0)
            owned = wr_xlsx_format_serial (number, self->date1904, (flags & FMT_DATE) != 0,
                                           (flags & FMT_TIME) != 0, (flags & FMT_ELAPSED) != 0);
          if (owned != NULL)
            cell.type = WR_XLSX_CELL_DATE, text = owned;
          else
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];
              cell.type = WR_XLSX_CELL_NUMBER;
              if (number == floor (number) && fabs (number) < 1e15)
                g_snprintf (buf, sizeof buf, "%.0f", number);
              else
                g_ascii_formatd (buf, sizeof buf, "%.15g", number);
              owned = g_strdup (buf);
              text = owned;
            }
        }
    }

  if (cell.type == WR_XLSX_CELL_EMPTY)
    return;

  cell.offset = st->arena->len;
  g_string_append (st->arena, text);
  g_string_append_c (st->arena, '\0');

  if (st->cells->len <= st->column)
    {
      CellBuf empty = { WR_XLSX_CELL_EMPTY, G_MAXSIZE, 0 };
      while (st->cells->len <= st->column)
        g_array_append_val (st->cells, empty);
    }
  g_array_index (st->cells, CellBuf, st->column) = cell;
  st->has_value = TRUE;
}

static gboolean
emit_row (RowState      *st,
          WrXlsxRowFunc  func,
          gpointer       user_data)
{
  guint n = st->cells->len;
  gboolean go_on = TRUE;

  if (st->has_value)
    {
      g_array_set_size (st->out, n);
      for (guint i = 0; i < n; i++)
        {
          CellBuf *buf = &g_array_index (st->cells, CellBuf, i);
          WrXlsxCell *cell = &g_array_index (st->out, WrXlsxCell, i);

          cell->type = buf->type;
          cell->number = buf->number;
          cell->text = buf->type == WR_XLSX_CELL_EMPTY ? "" : st->arena->str + buf->offset;
        }
      go_on = func (st->row, (const WrXlsxCell *) (gpointer) st->out->data, n, user_data);
    }
  g_array_set_size (st->cells, 0);
  g_string_truncate (st->arena, 0);
  st->has_value = FALSE;
  return go_on;
}

/* Reads the c element's r, t and s attributes without allocating. */
static void
read_cell_attributes (RowState  *st,
                      WrSafeXml *xml)
{
  xmlTextReaderPtr reader = wr_safe_xml_get_reader (xml);
  gboolean have_ref = FALSE;

  st->type[0] = '\0';
  st->style = 0;
  if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
    {
      do
        {
          const char *name = (const char *) xmlTextReaderConstLocalName (reader);
          const char *value = (const char *) xmlTextReaderConstValue (reader);

          if (name == NULL || value == NULL)
            continue;
          if (strcmp (name, "r") == 0)
            {
              guint column, row;
              if (parse_ref (value, &column, &row))
                {
                  st->column = column;
                  have_ref = TRUE;
                }
            }
          else if (strcmp (name, "t") == 0)
            g_strlcpy (st->type, value, sizeof st->type);
          else if (strcmp (name, "s") == 0)
            st->style = (guint) MIN (g_ascii_strtoull (value, NULL, 10), G_MAXUINT);
        }
      while (xmlTextReaderMoveToNextAttribute (reader) == 1);
      xmlTextReaderMoveToElement (reader);
    }
  if (!have_ref)
    st->column = st->cells->len > 0 ? st->column + 1 : 0;
}

static void
add_merge (WrXlsxReader *self,
           const char   *ref)
{
  g_auto(GStrv) ends = NULL;
  WrXlsxMerge *merge;
  guint c1, r1, c2, r2;

  if (ref == NULL || self->merges->len >= MAX_MERGES)
    return;
  ends = g_strsplit (ref, ":", 3);
  if (ends[0] == NULL || ends[1] == NULL || ends[2] != NULL
      || !parse_ref (ends[0], &c1, &r1) || !parse_ref (ends[1], &c2, &r2))
    return;
  merge = g_new0 (WrXlsxMerge, 1);
  merge->first_row = MIN (r1, r2);
  merge->last_row = MAX (r1, r2);
  merge->first_column = MIN (c1, c2);
  merge->last_column = MAX (c1, c2);
  merge->ref = g_strdup (ref);
  g_ptr_array_add (self->merges, merge);
}

gboolean
wr_xlsx_reader_read_sheet (WrXlsxReader  *self,
                           guint          index,
                           WrXlsxRowFunc  func,
                           gpointer       user_data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(WrSafeXml) xml = NULL;
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (CellBuf));
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (WrXlsxCell));
  g_autoptr(GString) arena = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  RowState st = { 0, };
  Sheet *sheet;
  guint64 total, reported = 0;
  gboolean in_row = FALSE, in_cell = FALSE, stopped = FALSE;
  int ret;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (index < self->sheets->len, FALSE);

  g_ptr_array_set_size (self->merges, 0);
  sheet = g_ptr_array_index (self->sheets, index);
  if (!sheet->has_cells)
    return TRUE;

  total = (guint64) MAX (0, wr_safe_zip_get_entry_size (self->zip, sheet->part));
  xml = wr_safe_xml_new_for_entry (self->zip, sheet->part, error);
  if (xml == NULL)
    return FALSE;

  st.self = self;
  st.cells = cells;
  st.out = out;
  st.arena = arena;
  st.value = value;
  st.rph_depth = -1;

  while ((ret = wr_safe_xml_read (xml, error)) == 1)
    {
      int type = wr_safe_xml_node_type (xml);

      if (type == XML_READER_TYPE_ELEMENT)
        {
          const char *name = wr_safe_xml_local_name (xml);
          gboolean empty = wr_safe_xml_is_empty (xml);

          if (in_cell)
            {
              if (strcmp (name, "v") == 0)
                st.in_v = !empty;
              else if (strcmp (name, "rPh") == 0 && !empty && st.rph_depth < 0)
                st.rph_depth = wr_safe_xml_depth (xml);
              else if (strcmp (name, "t") == 0)
                st.in_is_t = !empty;
            }
          else if (strcmp (name, "row") == 0)
            {
              g_autofree char *r = wr_safe_xml_dup_attribute (xml, "r");
              guint64 number = r != NULL ? g_ascii_strtoull (r, NULL, 10) : 0;

              st.row = number > 0 && number <= MAX_ROWS ? (guint) number : st.row + 1;
              st.column = 0;
              g_array_set_size (cells, 0);
              in_row = !empty;
            }
          else if (strcmp (name, "c") == 0 && in_row)
            {
              read_cell_attributes (&st, xml);
              g_string_truncate (value, 0);
              st.in_v = st.in_is_t = FALSE;
              st.rph_depth = -1;
              in_cell = !empty;
              if (empty)
                store_cell (&st);
            }
          else if (strcmp (name, "mergeCell") == 0)
            {
              g_autofree char *ref = wr_safe_xml_dup_attribute (xml, "ref");
              add_merge (self, ref);
            }
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          const char *name = wr_safe_xml_local_name (xml);

          if (in_cell)
            {
              if (strcmp (name, "c") == 0)
                {
                  store_cell (&st);
                  in_cell = FALSE;
                }
              else if (strcmp (name, "v") == 0)
                st.in_v = FALSE;
              else if (strcmp (name, "t") == 0)
                st.in_is_t = FALSE;
              else if (strcmp (name, "rPh") == 0 && st.rph_depth == wr_safe_xml_depth (xml))
                st.rph_depth = -1;
            }
          else if (strcmp (name, "row") == 0 && in_row)
            {
              in_row = FALSE;
              if (!stopped && !emit_row (&st, func, user_data))
                stopped = TRUE;
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
              if (self->progress_func != NULL && wr_safe_xml_get_bytes_read (xml) >= reported + PROGRESS_STEP)
                {
                  reported = wr_safe_xml_get_bytes_read (xml);
                  self->progress_func (reported, MAX (total, reported), self->progress_data);
                }
              if (stopped)
                break;
            }
        }
      else if (in_cell && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE
                           || type == XML_READER_TYPE_CDATA))
        {
          gboolean inline_str = strcmp (st.type, "inlineStr") == 0;

          if ((inline_str && st.in_is_t && st.rph_depth < 0) || (!inline_str && st.in_v))
            {
              if (value->len < WR_SAFE_XML_MAX_TEXT)
                g_string_append (value, wr_safe_xml_value (xml));
            }
        }
    }
  if (ret < 0)
    return FALSE;

  if (self->progress_func != NULL)
    {
      guint64 done = wr_safe_xml_get_bytes_read (xml);
      self->progress_func (done, MAX (total, done), self->progress_data);
    }
  return TRUE;
}
