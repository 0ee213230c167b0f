/* members-1-1.c — the members ABI 1.1 appended, for hvd-conformance and
 * the matrix hosts: the memory parameter members of hvd_sched_table as
 * member descriptors (probed with every other member by members.c), and
 * the check of the per-minor view a driver may return from its entry.
 * Built from a 1.0 header it describes no member. (memory.c holds the
 * live checks of the memory parameters.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "members-call.h"

#include <stdio.h>

#if HVD_ABI_MINOR >= 1

CALL_PTR(sched_get_memory_params, hvd_sched_table, get_memory_params, hvd_param_list, CONN, DOMAIN, FLAGS, OUTP, ERR)
CALL_NONE(sched_set_memory_params, hvd_sched_table, set_memory_params, CONN, DOMAIN, NULL, 0, FLAGS, ERR)

const conf_member conf_members_1_1[] = {
    { 3,
      "sched.get_memory_params",
      offsetof(hvd_sched_table, get_memory_params),
      1,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, CONF_END },
      call_sched_get_memory_params },
    { 3,
      "sched.set_memory_params",
      offsetof(hvd_sched_table, set_memory_params),
      0,
      0,
      0,
      { HVD_ERR_NO_DOMAIN, HVD_ERR_INVALID_ARG, CONF_END },
      call_sched_set_memory_params },
};
const size_t conf_nmembers_1_1 = sizeof(conf_members_1_1) / sizeof(conf_members_1_1[0]);

#else

const conf_member conf_members_1_1[1];
const size_t conf_nmembers_1_1 = 0;

#endif

int
conf_view_ok(const hvd_driver *d, uint32_t minor, char *why, size_t why_len)
{
    uint32_t want = 0;
    if (d->abi_minor < minor) {
        snprintf(why, why_len, "abi_minor %u is below the negotiated %u", d->abi_minor, minor);
        return 0;
    }
    if (!conf_table_size_ok(-1, d->struct_size, d->abi_minor, &want)) {
        snprintf(why, why_len, "hvd_driver.struct_size %u, not %u (minor %u)", d->struct_size, want, d->abi_minor);
        return 0;
    }
    if (d->struct_size < HVD_1_0_SIZEOF_hvd_driver)
        return 1;
    for (int i = 0; i < 8; i++) {
        const void *t = conf_table(d, i);
        uint32_t size;
        if (t == NULL)
            continue;
        memcpy(&size, t, sizeof(size));
        if (!conf_table_size_ok(i, size, d->abi_minor, &want)) {
            snprintf(why, why_len, "%s table struct_size %u, but minor %u's is %u", conf_table_names[i], size,
                     d->abi_minor, want);
            return 0;
        }
    }
    snprintf(why, why_len, "minor %u's layout", d->abi_minor);
    return 1;
}
