/* mock-sched.c — the mock driver's scheduler table: the CPU allocation
 * (reservation, limit, shares) of each mock domain and, when built from a
 * header of minor 1 or later, its memory parameters (min_guarantee,
 * hard_limit, shares), kept in memory with the rules hvd.h states. Built
 * from the frozen 1.0 header it is a 1.0 table: the memory members are not
 * there, which the matrix's 1.1 host must handle.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mock-driver.h"

#define NPARAMS 3

/* reservation, limit, shares per domain: [0] CPU, [1] memory */
static int64_t values[2][3][NPARAMS] = {
    { { 0, -1, -2 }, { 0, -1, -2 }, { 0, -1, -2 } },
    { { 0, -1, -2 }, { 0, -1, -2 }, { 0, -1, -2 } },
};
static pthread_mutex_t values_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const cpu_names[NPARAMS] = { HVD_SCHED_PARAM_RESERVATION, HVD_SCHED_PARAM_LIMIT,
                                                HVD_SCHED_PARAM_SHARES };

static int32_t
missing(hvd_error *err, const char *op, const char *domain)
{
    return mock_fail(err, HVD_ERR_NO_DOMAIN, "%s: no domain '%.100s' on mock.example.com", op,
                     domain ? domain : "(null)");
}

static int32_t HVD_CALL
mock_sched_get_type(hvd_conn *conn, const char *domain, uint32_t flags, char **type_out, uint32_t *nparams_out,
                    hvd_error *err)
{
    CLEAR_OUT(nparams_out);
    CONN_OP("sched get_type", 0, type_out);
    CHECK_OUT("sched get_type", nparams_out);
    if (mock_domain_index(domain) < 0)
        return missing(err, "sched get_type", domain);
    *type_out = mock_dup_out("allocation");
    *nparams_out = NPARAMS;
    return HVD_OK;
}

static int32_t
get_list(int kind, const char *const *names, const char *domain, hvd_param_list **params_out, hvd_error *err)
{
    int i = mock_domain_index(domain);
    if (i < 0)
        return missing(err, "get params", domain);
    hvd_param_list *l = calloc(1, sizeof(*l) + NPARAMS * sizeof(hvd_param));
    if (l == NULL)
        return mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    hvd_param *p = (hvd_param *)(l + 1);
    pthread_mutex_lock(&values_lock);
    for (int k = 0; k < NPARAMS; k++) {
        p[k].struct_size = sizeof(hvd_param);
        p[k].type = HVD_PARAM_INT64;
        snprintf(p[k].name, sizeof(p[k].name), "%s", names[k]);
        p[k].i = values[kind][i][k];
    }
    pthread_mutex_unlock(&values_lock);
#if MOCK_BREAK == MOCK_BREAK_MEMPARAMS
    if (kind == 1)
        p[1].i = -7; /* a hard_limit no rule allows */
#endif
    l->struct_size = sizeof(*l);
    l->count = NPARAMS;
    l->entry_size = sizeof(hvd_param);
    l->entries = p;
    *params_out = l;
    return HVD_OK;
}

/* The rules of hvd.h (HVD_SCHED_PARAM_*, HVD_MEM_PARAM_*), checked on all
 * parameters before anything changes. */
static int32_t
set_values(int kind, const char *const *names, const char *op, const char *domain, const hvd_param *params,
           uint32_t nparams, hvd_error *err)
{
    int i = mock_domain_index(domain);
    if (nparams == 0 || params == NULL || params[0].struct_size < offsetof(hvd_param, s))
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: no parameter given", op);
    if (i < 0)
        return missing(err, op, domain);
    pthread_mutex_lock(&values_lock);
    int64_t v[NPARAMS];
    memcpy(v, values[kind][i], sizeof(v));
    pthread_mutex_unlock(&values_lock);
    /* the broken build lets memory parameters through unchecked */
    const int strict = !(MOCK_BREAK == MOCK_BREAK_MEMRULES && kind == 1);
    for (uint32_t n = 0; n < nparams; n++) {
        const hvd_param *p = HVD_LIST_AT(hvd_param, params, params[0].struct_size, n);
        int k = 0;
        while (k < NPARAMS && strncmp(p->name, names[k], sizeof(p->name)) != 0)
            k++;
        if (k == NPARAMS && !strict)
            continue;
        if (k == NPARAMS)
            return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: unknown parameter '%.80s'", op, p->name);
        if (p->type != HVD_PARAM_INT64)
            return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: parameter '%s' must be an INT64", op, names[k]);
        if (strict && ((k == 0 && p->i < 0) || (k == 1 && p->i < -1) || (k == 2 && p->i < -3)))
            return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: parameter '%s' is %lld, out of range", op, names[k],
                             (long long)p->i);
        v[k] = p->i;
    }
    if (strict && v[1] != -1 && v[1] < v[0])
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: parameter '%s' (%lld) is below '%s' (%lld)", op, names[1],
                         (long long)v[1], names[0], (long long)v[0]);
    pthread_mutex_lock(&values_lock);
    memcpy(values[kind][i], v, sizeof(v));
    pthread_mutex_unlock(&values_lock);
    return HVD_OK;
}

static int32_t HVD_CALL
mock_sched_get_params(hvd_conn *conn, const char *domain, uint32_t flags, hvd_param_list **params_out, hvd_error *err)
{
    CONN_OP("sched get_params", 0, params_out);
    return get_list(0, cpu_names, domain, params_out, err);
}

static int32_t HVD_CALL
mock_sched_set_params(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
                      hvd_error *err)
{
    int32_t rc = mock_check_flags("sched set_params", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CONN_NULL_CHECK("sched set_params");
    return set_values(0, cpu_names, "sched set_params", domain, params, nparams, err);
}

#if HVD_ABI_MINOR >= 1
#if MOCK_BREAK == MOCK_BREAK_MEMPARAMS
#define mem_names cpu_names
#else
static const char *const mem_names[NPARAMS] = { HVD_MEM_PARAM_MIN_GUARANTEE, HVD_MEM_PARAM_HARD_LIMIT,
                                                HVD_MEM_PARAM_SHARES };
#endif

static int32_t HVD_CALL
mock_sched_get_memory_params(hvd_conn *conn, const char *domain, uint32_t flags, hvd_param_list **params_out,
                             hvd_error *err)
{
    CONN_OP("sched get_memory_params", 0, params_out);
    return get_list(1, mem_names, domain, params_out, err);
}

static int32_t HVD_CALL
mock_sched_set_memory_params(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams,
                             uint32_t flags, hvd_error *err)
{
    int32_t rc = mock_check_flags("sched set_memory_params", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CONN_NULL_CHECK("sched set_memory_params");
    return set_values(1, mem_names, "sched set_memory_params", domain, params, nparams, err);
}
#endif

const hvd_sched_table mock_sched_table = {
    .struct_size = sizeof(hvd_sched_table),
    .get_type = mock_sched_get_type,
    .get_params = mock_sched_get_params,
    .set_params = mock_sched_set_params,
#if HVD_ABI_MINOR >= 1
    .get_memory_params = mock_sched_get_memory_params,
    .set_memory_params = mock_sched_set_memory_params,
#endif
};

#if HVD_ABI_MINOR >= 1
/* What a host of minor 0 is given: 1.0's size, without the 1.1 members. */
const hvd_sched_table mock_sched_table_1_0 = {
    .struct_size = offsetof(hvd_sched_table, set_params) + sizeof(void (*)(void)),
    .get_type = mock_sched_get_type,
    .get_params = mock_sched_get_params,
    .set_params = mock_sched_set_params,
};
#endif
