/* sched.c — the scheduler table: the CPU scheduler of a domain, as
 * libvirt's ESX driver exposes it (scheduler type "allocation" with the
 * parameters reservation and limit in MHz and shares, config.cpuAllocation),
 * and since ABI 1.1 its memory parameters (min_guarantee and hard_limit in
 * KiB, shares; config.memoryAllocation, which vSphere counts in MB). Both
 * go through alloc.c: the same rules, checked before anything is sent, and
 * the complete allocation written back in one ReconfigVM_Task. */
#include "esx-alloc.h"

#define SCHED_TYPE    "allocation"
#define SCHED_NPARAMS 3

/* 2^40 KiB = 1 PiB, far beyond any VM; keeps the MB rounding from overflowing */
#define MEMORY_MAX_KIB (G_GINT64_CONSTANT(1) << 40)

static const esx_alloc_kind cpu_kind = {
    .property = "cpuAllocation",
    .set_op = "sched set_params",
    .names = { HVD_SCHED_PARAM_RESERVATION, HVD_SCHED_PARAM_LIMIT, HVD_SCHED_PARAM_SHARES },
    .known = "the allocation scheduler has reservation, limit and shares",
    .reservation = "reservation",
    .unit = "MHz",
    .scale = 1,
    .max = G_MAXINT64,
};

static const esx_alloc_kind memory_kind = {
    .property = "memoryAllocation",
    .set_op = "sched set_memory_params",
    .names = { HVD_MEM_PARAM_MIN_GUARANTEE, HVD_MEM_PARAM_HARD_LIMIT, HVD_MEM_PARAM_SHARES },
    .known = "the memory parameters are min_guarantee, hard_limit and shares; ESX has no soft_limit or swap_hard_limit",
    .reservation = "reservation 'min_guarantee'",
    .unit = "KiB",
    .scale = 1024,
    .max = MEMORY_MAX_KIB,
};

static int32_t HVD_CALL
sched_get_type(hvd_conn *conn, const char *domain, uint32_t flags, char **type_out, uint32_t *nparams_out,
               hvd_error *err)
{
    if (nparams_out != NULL)
        *nparams_out = 0;
    ESX_CHECK_CALL(conn, "sched get_type", flags, 0, type_out);
    if (nparams_out == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "sched get_type: nparams_out is NULL");
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    *type_out = g_strdup(SCHED_TYPE);
    *nparams_out = SCHED_NPARAMS;
    return HVD_OK;
}

static int32_t HVD_CALL
sched_get_params(hvd_conn *conn, const char *domain, uint32_t flags, hvd_param_list **params_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "sched get_params", flags, 0, params_out);
    return esx_alloc_get(conn, &cpu_kind, domain, params_out, err);
}

static int32_t HVD_CALL
sched_set_params(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
                 hvd_error *err)
{
    return esx_alloc_set(conn, &cpu_kind, domain, params, nparams, flags, err);
}

static int32_t HVD_CALL
sched_get_memory_params(hvd_conn *conn, const char *domain, uint32_t flags, hvd_param_list **params_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "sched get_memory_params", flags, 0, params_out);
    return esx_alloc_get(conn, &memory_kind, domain, params_out, err);
}

static int32_t HVD_CALL
sched_set_memory_params(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
                        hvd_error *err)
{
    return esx_alloc_set(conn, &memory_kind, domain, params, nparams, flags, err);
}

const hvd_sched_table esx_sched_table = {
    .struct_size = sizeof(hvd_sched_table),
    .get_type = sched_get_type,
    .get_params = sched_get_params,
    .set_params = sched_set_params,
    .get_memory_params = sched_get_memory_params,
    .set_memory_params = sched_set_memory_params,
};

/* The table a 1.0 host sees (entry.c): exactly 1.0's size, so the members
 * appended in 1.1 are not there for it. */
const hvd_sched_table esx_sched_table_1_0 = {
    .struct_size = offsetof(hvd_sched_table, set_params) + sizeof(esx_sched_table.set_params),
    .get_type = sched_get_type,
    .get_params = sched_get_params,
    .set_params = sched_set_params,
};
