/* wr-dataset-builder.h — the row/type pipeline every dataset import uses
 * (CSV now, XLSX sheets next): private to the data folder and its tests.
 *
 * new() inserts the 'importing' row; add_record() takes records in file
 * order (the first is the header) and writes them in batches; finish()
 * makes the dataset 'ready'; fail() drops the rows and marks it 'failed';
 * discard() removes it (cancel). Exactly one of finish/fail/discard ends a
 * builder before free().
 *
 * Threading: one thread; blocks on SQLite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wr-dataset.h"

G_BEGIN_DECLS

typedef struct _WrDatasetBuilder WrDatasetBuilder;

WrDatasetBuilder *_wr_dataset_builder_new        (WrStore             *store,
                                                  const char          *project_id,
                                                  const char          *name,
                                                  const char          *kind,
                                                  const char          *sheet,        /* nullable */
                                                  const char          *source_name,  /* nullable */
                                                  GError             **error);
const char       *_wr_dataset_builder_get_id     (WrDatasetBuilder    *self);
gboolean          _wr_dataset_builder_add_record (WrDatasetBuilder    *self,
                                                  const char * const  *fields,
                                                  guint                n_fields,
                                                  GError             **error);
/* Appends a translated warning (bounded, like the reader's). */
void              _wr_dataset_builder_warn       (WrDatasetBuilder    *self,
                                                  const char          *warning);
gboolean          _wr_dataset_builder_finish     (WrDatasetBuilder    *self,
                                                  GError             **error);
void              _wr_dataset_builder_fail       (WrDatasetBuilder    *self,
                                                  const char          *message);
void              _wr_dataset_builder_discard    (WrDatasetBuilder    *self);
void              _wr_dataset_builder_free       (WrDatasetBuilder    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WrDatasetBuilder, _wr_dataset_builder_free)

G_END_DECLS
