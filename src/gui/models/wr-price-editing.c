/* wr-price-editing.c — price table calls in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-price-editing-private.h"

WrPriceEdit *
_wr_price_edit_new (const char *pattern)
{
  WrPriceEdit *edit = g_new0 (WrPriceEdit, 1);

  edit->pattern = g_strdup (pattern);

  return edit;
}

void
_wr_price_edit_free (WrPriceEdit *edit)
{
  if (edit == NULL)
    return;

  g_free (edit->pattern);
  g_free (edit->capabilities);
  g_free (edit);
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WrBilling *billing = source_object;
  WrPriceEdit *edit = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (edit->reset)
    {
      /* The price first: a row that also carries capabilities keeps them,
       * with the built-in price; then the capabilities, which drops it. */
      ok = wr_billing_reset_price (billing, edit->pattern, &error) &&
           wr_billing_reset_capabilities (billing, edit->pattern, &error);
    }
  else
    {
      if (ok && edit->set_price)
        ok = wr_billing_set_price (billing, edit->pattern, edit->input_micros,
                                   edit->output_micros, &error);
      if (ok && edit->capabilities != NULL)
        ok = wr_billing_set_capabilities (billing, edit->pattern, edit->capabilities, &error);
    }

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
_wr_price_edit_apply_async (WrBilling           *billing,
                           WrPriceEdit         *edit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_BILLING (billing));
  g_return_if_fail (edit != NULL && edit->pattern != NULL);

  task = g_task_new (billing, cancellable, callback, user_data);
  g_task_set_source_tag (task, _wr_price_edit_apply_async);
  g_task_set_task_data (task, edit, (GDestroyNotify) _wr_price_edit_free);
  g_task_run_in_thread (task, apply_thread);
}

gboolean
_wr_price_edit_apply_finish (WrBilling     *billing,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, billing), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _wr_price_edit_apply_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_table_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  WrPriceTable *table;

  if (g_task_return_error_if_cancelled (task))
    return;

  table = wr_billing_load_price_table (WR_BILLING (source_object), &error);
  if (table == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, table, (GDestroyNotify) wr_price_table_unref);
}

void
_wr_price_table_load_async (WrBilling           *billing,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WR_IS_BILLING (billing));

  task = g_task_new (billing, cancellable, callback, user_data);
  g_task_set_source_tag (task, _wr_price_table_load_async);
  g_task_run_in_thread (task, load_table_thread);
}

WrPriceTable *
_wr_price_table_load_finish (WrBilling     *billing,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, billing), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _wr_price_table_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
