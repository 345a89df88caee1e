/* wr-price-table.c — a snapshot of the price table for pricing many models
 * at once (the model catalogue merges hundreds).
 *
 * Matching is wr_billing_cost_micros' rule, in the same order: the built-in
 * patterns in their table order, then the user's rows in database order;
 * a pattern scores twice its literal characters, plus one for the user's;
 * the first strictly better score wins. Patterns are compiled once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "wr-billing.h"
#include "wr-billing-private.h"

typedef struct {
  WrModelPrice *price;   /* owned */
  GPatternSpec *spec;    /* owned */
  int           score;
} Entry;

struct _WrPriceTable
{
  gatomicrefcount  ref_count;
  GArray          *entries;   /* element-type Entry */
};

G_DEFINE_BOXED_TYPE (WrPriceTable, wr_price_table, wr_price_table_ref, wr_price_table_unref)

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->price, wr_model_price_free);
  g_clear_pointer (&entry->spec, g_pattern_spec_free);
}

static int
literal_chars (const char *pattern)
{
  int n = 0;

  for (const char *p = pattern; *p != '\0'; p++)
    if (*p != '*' && *p != '?')
      n++;

  return n;
}

WrPriceTable *
_wr_price_table_new (void)
{
  WrPriceTable *self = g_new0 (WrPriceTable, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);

  return self;
}

void
_wr_price_table_add (WrPriceTable       *self,
                     const WrModelPrice *price)
{
  Entry entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (price != NULL && price->pattern != NULL);

  entry.price = wr_model_price_copy (price);
  entry.spec = g_pattern_spec_new (price->pattern);
  entry.score = literal_chars (price->pattern) * 2 + (price->custom ? 1 : 0);
  g_array_append_val (self->entries, entry);
}

WrPriceTable *
wr_price_table_ref (WrPriceTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wr_price_table_unref (WrPriceTable *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->entries);
  g_free (self);
}

static const WrModelPrice *
table_match (WrPriceTable *self,
             const char   *model,
             gboolean      capabilities_only)
{
  g_autofree char *folded = g_utf8_strdown (model != NULL ? model : "", -1);
  const char *slash = strrchr (folded, '/');
  const char *base = slash != NULL ? slash + 1 : NULL;
  gsize len = strlen (folded);
  gsize base_len = base != NULL ? strlen (base) : 0;
  const WrModelPrice *best = NULL;
  int best_score = -1;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->score <= best_score)
        continue;
      if (capabilities_only && entry->price->capabilities == NULL)
        continue;
      if (g_pattern_spec_match (entry->spec, len, folded, NULL) ||
          (base != NULL && g_pattern_spec_match (entry->spec, base_len, base, NULL)))
        {
          best = entry->price;
          best_score = entry->score;
        }
    }

  return best;
}

const WrModelPrice *
wr_price_table_match (WrPriceTable *self,
                      const char   *model)
{
  const WrModelPrice *price;

  g_return_val_if_fail (self != NULL, NULL);

  price = table_match (self, model, FALSE);
  /* Only a table without the built-in "*" could miss. */
  g_return_val_if_fail (price != NULL, NULL);

  return price;
}

const WrModelPrice *
wr_price_table_match_capabilities (WrPriceTable *self,
                                   const char   *model)
{
  g_return_val_if_fail (self != NULL, NULL);

  return table_match (self, model, TRUE);
}
