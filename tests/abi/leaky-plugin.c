/* leaky-plugin.c — a "driver" without hvd_driver_entry_v1 that depends on a
 * library of the host which has one: dlsym() on this plugin's handle finds
 * the host's symbol. The loader must refuse it (ABI rule 4).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hostentry.h"

HVD_EXPORT int leaky_plugin_marker(void);

HVD_EXPORT int
leaky_plugin_marker(void)
{
    return hostentry_marker();
}
