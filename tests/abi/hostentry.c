/* hostentry.c — a host's own library that defines hvd_driver_entry_v1 (say,
 * a driver linked into the application). A plugin that depends on it makes
 * dlsym(plugin, "hvd_driver_entry_v1") return this symbol (ABI rule 4).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hvd.h"
#include "hostentry.h"

HVD_EXPORT int
hostentry_marker(void)
{
    return 4;
}

HVD_EXPORT int32_t HVD_CALL
hvd_driver_entry_v1(uint32_t host_minor, const hvd_driver **driver_out, uint32_t *minor_out)
{
    (void)host_minor, (void)driver_out, (void)minor_out;
    return HVD_ERR_INTERNAL; /* never reached through the loader */
}
