/* wr-ooxml-package.c — relationships and part names of an OPC package.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "wr-ooxml-private.h"

#define MAX_RELS 100000

static void
rel_free (gpointer data)
{
  WrOoxmlRel *rel = data;

  g_free (rel->id);
  g_free (rel->type);
  g_free (rel->target);
  g_free (rel);
}

char *
_wr_ooxml_resolve (const char *base_part,
                   const char *target)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_auto(GStrv) split = NULL;
  g_autofree char *unescaped = NULL;
  const char *slash;

  if (target == NULL || target[0] == '\0')
    return NULL;
  unescaped = g_uri_unescape_string (target, NULL);
  if (unescaped == NULL)
    unescaped = g_strdup (target);
  if (strchr (unescaped, '#') != NULL)
    *strchr (unescaped, '#') = '\0';

  if (unescaped[0] == '/')
    joined = g_strdup (unescaped + 1);
  else
    {
      slash = base_part != NULL ? strrchr (base_part, '/') : NULL;
      if (slash != NULL)
        joined = g_strdup_printf ("%.*s/%s", (int) (slash - base_part), base_part, unescaped);
      else
        joined = g_strdup (unescaped);
    }

  split = g_strsplit (joined, "/", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      if (split[i][0] == '\0' || strcmp (split[i], ".") == 0)
        continue;
      if (strcmp (split[i], "..") == 0)
        {
          if (parts->len == 0)
            return NULL;
          g_ptr_array_remove_index (parts, parts->len - 1);
          continue;
        }
      g_ptr_array_add (parts, split[i]);
    }
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("/", (char **) parts->pdata);
}

static char *
rels_name (const char *part)
{
  const char *slash = strrchr (part, '/');

  if (part[0] == '\0')
    return g_strdup ("_rels/.rels");
  if (slash == NULL)
    return g_strdup_printf ("_rels/%s.rels", part);
  return g_strdup_printf ("%.*s/_rels/%s.rels", (int) (slash - part), part, slash + 1);
}

GPtrArray *
_wr_ooxml_read_rels (WrSafeZip   *zip,
                     const char  *part,
                     GError     **error)
{
  g_autoptr(GPtrArray) rels = g_ptr_array_new_with_free_func (rel_free);
  g_autofree char *name = rels_name (part);
  g_autoptr(WrSafeXml) xml = NULL;
  int ret;

  if (!wr_safe_zip_has_entry (zip, name))
    return g_steal_pointer (&rels);
  xml = wr_safe_xml_new_for_entry (zip, name, error);
  if (xml == NULL)
    return NULL;

  while ((ret = wr_safe_xml_read (xml, error)) == 1)
    {
      g_autofree char *mode = NULL;
      g_autofree char *target = NULL;
      WrOoxmlRel *rel;

      if (!wr_safe_xml_is_start (xml, "Relationship") || rels->len >= MAX_RELS)
        continue;
      rel = g_new0 (WrOoxmlRel, 1);
      rel->id = wr_safe_xml_dup_attribute (xml, "Id");
      rel->type = wr_safe_xml_dup_attribute (xml, "Type");
      mode = wr_safe_xml_dup_attribute (xml, "TargetMode");
      target = wr_safe_xml_dup_attribute (xml, "Target");
      if (mode == NULL || g_ascii_strcasecmp (mode, "External") != 0)
        rel->target = _wr_ooxml_resolve (part, target);
      if (rel->id == NULL)
        rel->id = g_strdup ("");
      if (rel->type == NULL)
        rel->type = g_strdup ("");
      g_ptr_array_add (rels, rel);
    }
  if (ret < 0)
    return NULL;
  return g_steal_pointer (&rels);
}

WrOoxmlRel *
_wr_ooxml_find_rel_type (GPtrArray  *rels,
                         const char *suffix)
{
  for (guint i = 0; i < rels->len; i++)
    {
      WrOoxmlRel *rel = g_ptr_array_index (rels, i);
      if (rel->target != NULL && g_str_has_suffix (rel->type, suffix))
        return rel;
    }
  return NULL;
}

WrOoxmlRel *
_wr_ooxml_find_rel_id (GPtrArray  *rels,
                       const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < rels->len; i++)
    {
      WrOoxmlRel *rel = g_ptr_array_index (rels, i);
      if (strcmp (rel->id, id) == 0)
        return rel;
    }
  return NULL;
}

char *
_wr_ooxml_main_part (WrSafeZip   *zip,
                     const char  *fallback,
                     GError     **error)
{
  g_autoptr(GPtrArray) rels = _wr_ooxml_read_rels (zip, "", error);
  WrOoxmlRel *rel;

  if (rels == NULL)
    return NULL;
  rel = _wr_ooxml_find_rel_type (rels, "/officeDocument");
  if (rel != NULL && wr_safe_zip_has_entry (zip, rel->target))
    return g_strdup (rel->target);
  return g_strdup (fallback);
}
