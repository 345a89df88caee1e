/* wr-gui-util.h — small helpers the views share. Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Adds the stylesheet at @resource_path (a GResource path) to the default
 * display, once however often it is called; does nothing without a
 * display. */
void       wr_gui_load_css_resource   (const char *resource_path);

/* A question before a destructive step, transient for @widget's window:
 * "_Cancel" (the default, and what Escape answers) and @confirm_label as
 * the destructive response @confirm_id. @body may be NULL (set it later).
 * The caller connects "response" and presents it (transfer none: a new
 * toplevel window). */
GtkWidget *wr_gui_confirm_dialog_new  (GtkWidget  *widget,
                                       const char *heading,
                                       const char *body,
                                       const char *confirm_id,
                                       const char *confirm_label);

G_END_DECLS
