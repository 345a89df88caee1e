/* wr-docs-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wr-docs-error.h"

G_DEFINE_QUARK (wr-docs-error-quark, wr_docs_error)
