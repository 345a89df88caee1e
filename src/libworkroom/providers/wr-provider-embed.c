/* wr-provider-embed.c — embeddings calls of WrProvider: the result type,
 * the split into requests of WR_PROVIDER_EMBED_BATCH inputs, and the
 * default vfunc of providers whose API has no embeddings (Anthropic).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-provider.h"
#include "wr-provider-private.h"

#include <glib/gi18n.h>
#include <string.h>

WrEmbeddingResult *
wr_embedding_result_new (void)
{
  WrEmbeddingResult *self = g_new0 (WrEmbeddingResult, 1);

  self->input_tokens = -1;
  self->latency_ms = -1;
  return self;
}

void
wr_embedding_result_free (WrEmbeddingResult *self)
{
  if (self == NULL)
    return;

  g_free (self->vectors);
  g_free (self->model);
  g_free (self);
}

gboolean
_wr_provider_read_vector (JsonArray *array,
                          float     *out,
                          guint      dims)
{
  if (array == NULL || json_array_get_length (array) != dims)
    return FALSE;

  for (guint i = 0; i < dims; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node))
        return FALSE;
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_DOUBLE:
          out[i] = (float) json_node_get_double (node);
          break;
        case G_TYPE_INT64:
          out[i] = (float) json_node_get_int (node);
          break;
        default:
          return FALSE;
        }
    }

  return TRUE;
}

void
_wr_provider_embed_json_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonNode *root = _wr_provider_call_json_finish (WR_PROVIDER (object), result, &error);

  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

/* Default vfunc -------------------------------------------------------------- */

void
_wr_provider_real_embed_async (WrProvider          *self,
                               const char          *model,
                               const char * const  *inputs,
                               guint                n_inputs,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *who;

  g_task_set_source_tag (task, _wr_provider_real_embed_async);

  if (g_strcmp0 (wr_provider_get_kind (self), "anthropic") == 0)
    who = "Anthropic";
  else if (wr_provider_get_name (self) != NULL && wr_provider_get_name (self)[0] != '\0')
    who = wr_provider_get_name (self);
  else
    who = _("This provider");

  g_task_return_new_error (task, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_UNSUPPORTED,
                           /* Translators: %s is a provider's name, such as Anthropic. */
                           _("%s does not offer embeddings; choose an OpenAI, Google or local model."),
                           who);
}

WrEmbeddingResult *
_wr_provider_real_embed_finish (WrProvider    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Batching ---------------------------------------------------------------- */

typedef struct
{
  char              *model;
  GStrv              inputs;
  guint              n_inputs;
  guint              next;         /* first input of the next request */
  GArray            *floats;       /* every vector so far */
  WrEmbeddingResult *result;
  gint64             start_usec;
} EmbedData;

static void
embed_data_free (EmbedData *data)
{
  g_free (data->model);
  g_strfreev (data->inputs);
  g_array_unref (data->floats);
  wr_embedding_result_free (data->result);
  g_free (data);
}

static void embed_next (GTask *task);

static void
on_batch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WrProvider *self = WR_PROVIDER (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(WrEmbeddingResult) batch = NULL;
  EmbedData *data = g_task_get_task_data (task);
  GError *error = NULL;
  guint asked = MIN (WR_PROVIDER_EMBED_BATCH, data->n_inputs - data->next);

  batch = WR_PROVIDER_GET_CLASS (self)->embed_finish (self, result, &error);
  if (batch == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (batch->n_vectors != asked || batch->dims == 0 ||
      (data->result->dims != 0 && batch->dims != data->result->dims))
    {
      g_task_return_new_error (task, WR_PROVIDER_ERROR, WR_PROVIDER_ERROR_PROTOCOL,
                               "The server sent %u vectors of %u dimensions for %u inputs",
                               batch->n_vectors, batch->dims, asked);
      return;
    }

  data->result->dims = batch->dims;
  data->result->n_vectors += batch->n_vectors;
  g_array_append_vals (data->floats, batch->vectors, (guint) batch->n_vectors * batch->dims);
  if (data->result->model == NULL)
    data->result->model = g_strdup (batch->model);
  if (batch->input_tokens < 0 || (data->next > 0 && data->result->input_tokens < 0))
    data->result->input_tokens = -1;
  else
    data->result->input_tokens = MAX (data->result->input_tokens, 0) + batch->input_tokens;

  data->next += asked;
  embed_next (g_steal_pointer (&task));
}

/* Takes @task_ (transfer full): it goes on to the next request or ends
 * here. */
static void
embed_next (GTask *task_)
{
  g_autoptr(GTask) task = task_;
  EmbedData *data = g_task_get_task_data (task);
  WrProvider *self = g_task_get_source_object (task);
  GCancellable *cancellable;
  guint n;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->next >= data->n_inputs)
    {
      WrEmbeddingResult *result = g_steal_pointer (&data->result);

      result->vectors = (float *) g_array_free (g_steal_pointer (&data->floats), FALSE);
      data->floats = g_array_new (FALSE, FALSE, sizeof (float));
      result->latency_ms = (g_get_monotonic_time () - data->start_usec) / 1000;
      g_task_return_pointer (task, result, (GDestroyNotify) wr_embedding_result_free);
      return;
    }

  n = MIN (WR_PROVIDER_EMBED_BATCH, data->n_inputs - data->next);
  cancellable = g_task_get_cancellable (task);
  WR_PROVIDER_GET_CLASS (self)->embed_async (self, data->model,
                                             (const char * const *) data->inputs + data->next, n,
                                             cancellable, on_batch_cb, g_steal_pointer (&task));
}

void
wr_provider_embed_async (WrProvider          *self,
                         const char          *model,
                         const char * const  *inputs,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EmbedData *data;

  g_return_if_fail (WR_IS_PROVIDER (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (inputs != NULL && inputs[0] != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wr_provider_embed_async);

  data = g_new0 (EmbedData, 1);
  data->model = g_strdup (model);
  data->inputs = g_strdupv ((char **) inputs);
  data->n_inputs = g_strv_length (data->inputs);
  data->floats = g_array_new (FALSE, FALSE, sizeof (float));
  data->result = wr_embedding_result_new ();
  data->start_usec = g_get_monotonic_time ();
  g_task_set_task_data (task, data, (GDestroyNotify) embed_data_free);

  embed_next (g_steal_pointer (&task));
}

WrEmbeddingResult *
wr_provider_embed_finish (WrProvider    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (WR_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
