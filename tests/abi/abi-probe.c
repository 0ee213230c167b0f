/* abi-probe.c — a minimal driver whose debug info holds every type of the
 * header it is built with (all reachable from the entry's signature): the
 * abidiff self-test builds it from abi/hvd.h and from altered copies
 * (gen-abi-variant.py) and checks which changes the baseline check lets
 * through. hvd_host is reached through hvd_connect_table.open.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include HVD_HEADER

HVD_EXPORT int32_t HVD_CALL
hvd_driver_entry_v1(uint32_t host_minor, const hvd_driver **driver_out, uint32_t *minor_out)
{
    static const hvd_driver table = { .struct_size = sizeof(hvd_driver), .abi_major = HVD_ABI_MAJOR };
    if (driver_out == NULL || minor_out == NULL)
        return HVD_ERR_INVALID_ARG;
    *driver_out = &table;
    uint32_t mine = HVD_ABI_MINOR;
    *minor_out = host_minor < mine ? host_minor : mine;
    return HVD_OK;
}
