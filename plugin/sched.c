/* sched.c — the CPU scheduler of a domain, as libvirt's ESX driver exposes
 * it: scheduler type "allocation" with the parameters reservation (MHz),
 * limit (MHz, -1 unlimited) and shares (-1 low, -2 normal, -3 high, or a
 * custom count), read from config.cpuAllocation and written back whole in
 * one ReconfigVM_Task. Every rule is checked before anything is sent. */
#include "esx-domain.h"
#include "esx-task.h"

#define SCHED_TYPE    "allocation"
#define SCHED_NPARAMS 3

#define SHARES_LOW    (-1)
#define SHARES_NORMAL (-2)
#define SHARES_HIGH   (-3)

/* A VM's CPU allocation in libvirt's terms. */
typedef struct {
    gint64 reservation; /* MHz, >= 0 */
    gint64 limit;       /* MHz, -1 = unlimited */
    gint64 shares;      /* SHARES_* or a custom count >= 0 */
} cpu_alloc;

static const char *const alloc_paths[] = { "config.cpuAllocation", NULL };

/* The allocation in OBJ (config.cpuAllocation read); absent fields are the
 * server's defaults (no reservation, unlimited, normal shares). */
static void
read_alloc(const vi_value *obj, cpu_alloc *a)
{
    a->reservation = 0;
    a->limit = -1;
    a->shares = SHARES_NORMAL;
    vi_object_get_int64(obj, "config.cpuAllocation.reservation", &a->reservation);
    vi_object_get_int64(obj, "config.cpuAllocation.limit", &a->limit);
    const char *level = vi_object_get_string(obj, "config.cpuAllocation.shares.level");
    if (g_strcmp0(level, "low") == 0)
        a->shares = SHARES_LOW;
    else if (g_strcmp0(level, "high") == 0)
        a->shares = SHARES_HIGH;
    else if (g_strcmp0(level, "custom") == 0)
        vi_object_get_int64(obj, "config.cpuAllocation.shares.shares", &a->shares);
}

/* The domain and its allocation. */
static int32_t
resolve_alloc(hvd_conn *conn, const char *domain, esx_vm **vm_out, cpu_alloc *a, hvd_error *err)
{
    g_autoptr(vi_value) obj = NULL;
    int32_t rc = esx_domain_resolve_with(conn, domain, alloc_paths, vm_out, &obj, err);
    if (rc == HVD_OK)
        read_alloc(obj, a);
    return rc;
}

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
    g_autoptr(esx_vm) vm = NULL;
    cpu_alloc a;
    int32_t rc = resolve_alloc(conn, domain, &vm, &a, err);
    if (rc != HVD_OK)
        return rc;
    /* one allocation: the list header, then its entries */
    hvd_param_list *list = g_malloc0(sizeof(*list) + SCHED_NPARAMS * sizeof(hvd_param));
    hvd_param *p = (hvd_param *)(list + 1);
    const struct {
        const char *name;
        gint64 value;
    } values[SCHED_NPARAMS] = {
        { HVD_SCHED_PARAM_RESERVATION, a.reservation },
        { HVD_SCHED_PARAM_LIMIT, a.limit },
        { HVD_SCHED_PARAM_SHARES, a.shares },
    };
    for (guint i = 0; i < SCHED_NPARAMS; i++) {
        p[i].struct_size = sizeof(hvd_param);
        p[i].type = HVD_PARAM_INT64;
        g_strlcpy(p[i].name, values[i].name, sizeof(p[i].name));
        p[i].i = values[i].value;
    }
    list->struct_size = sizeof(*list);
    list->count = SCHED_NPARAMS;
    list->entry_size = sizeof(hvd_param);
    list->entries = p;
    *params_out = list;
    return HVD_OK;
}

/* The parameters given, checked one by one against the spec's rules:
 * *given gets a bit per parameter (1 reservation, 2 limit, 4 shares). */
static int32_t
check_params(const hvd_param *params, uint32_t nparams, cpu_alloc *a, unsigned *given, hvd_error *err)
{
    const char *op = "sched set_params";
    *given = 0;
    if (nparams == 0)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: no parameter given", op);
    if (params == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: params is NULL", op);
    uint32_t stride = params[0].struct_size;
    if (stride < G_STRUCT_OFFSET(hvd_param, s))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: params[0].struct_size is %u, too small", op, stride);
    for (uint32_t i = 0; i < nparams; i++) {
        const hvd_param *p = (const hvd_param *)((const char *)params + (gsize)i * stride);
        if (memchr(p->name, '\0', sizeof(p->name)) == NULL)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: the name of parameter %u is not terminated", op, i);
        unsigned bit;
        if (strcmp(p->name, HVD_SCHED_PARAM_RESERVATION) == 0)
            bit = 1;
        else if (strcmp(p->name, HVD_SCHED_PARAM_LIMIT) == 0)
            bit = 2;
        else if (strcmp(p->name, HVD_SCHED_PARAM_SHARES) == 0)
            bit = 4;
        else
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: unknown parameter '%s' (the allocation scheduler has reservation, limit and shares)",
                            op, p->name);
        if (*given & bit)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: parameter '%s' given twice", op, p->name);
        if (p->type != HVD_PARAM_INT64)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: parameter '%s' must be an INT64 (type %d), not type %d", op, p->name, HVD_PARAM_INT64,
                            p->type);
        *given |= bit;
        if (bit == 1) {
            if (p->i < 0)
                return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                                "%s: parameter 'reservation' is %" G_GINT64_FORMAT " MHz; it must be 0 or greater", op,
                                p->i);
            a->reservation = p->i;
        } else if (bit == 2) {
            if (p->i < -1)
                return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                                "%s: parameter 'limit' is %" G_GINT64_FORMAT
                                " MHz; it must be -1 (unlimited) or 0 or greater",
                                op, p->i);
            a->limit = p->i;
        } else {
            if (p->i < SHARES_HIGH)
                return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                                "%s: parameter 'shares' is %" G_GINT64_FORMAT
                                "; it must be -1 (low), -2 (normal), -3 (high) or a count of 0 or greater",
                                op, p->i);
            if (p->i > G_MAXINT32)
                return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                                "%s: parameter 'shares' is %" G_GINT64_FORMAT "; a count must be at most %d", op, p->i,
                                G_MAXINT32);
            a->shares = p->i;
        }
    }
    return HVD_OK;
}

/* The rule across two parameters, on the allocation as it would be. */
static int32_t
check_limit(const cpu_alloc *a, const char *name, hvd_error *err)
{
    if (a->limit == -1 || a->limit >= a->reservation)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                    "sched set_params: parameter 'limit' (%" G_GINT64_FORMAT
                    " MHz) is below the reservation (%" G_GINT64_FORMAT
                    " MHz) of domain '%s'; it must be -1 (unlimited) or at least the reservation",
                    a->limit, a->reservation, name);
}

static int32_t HVD_CALL
sched_set_params(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
                 hvd_error *err)
{
    const char *op = "sched set_params";
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, 0, err);
    cpu_alloc want = { 0, -1, SHARES_NORMAL };
    unsigned given = 0;
    if (rc == HVD_OK)
        rc = check_params(params, nparams, &want, &given, err);
    /* both bounds given: the rule holds or fails before any call */
    if (rc == HVD_OK && (given & 3) == 3)
        rc = check_limit(&want, domain, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    g_autoptr(esx_vm) vm = NULL;
    cpu_alloc a;
    if (rc == HVD_OK)
        rc = resolve_alloc(conn, domain, &vm, &a, err);
    if (rc != HVD_OK)
        return rc;
    /* the parameters not given keep their values */
    if (given & 1)
        a.reservation = want.reservation;
    if (given & 2)
        a.limit = want.limit;
    if (given & 4)
        a.shares = want.shares;
    rc = check_limit(&a, vm->name, err);
    if (rc != HVD_OK)
        return rc;

    /* the complete allocation, as libvirt sends it */
    g_autoptr(vi_value) args = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value *spec = vi_value_add_object(args, "spec", "VirtualMachineConfigSpec");
    vi_value *alloc = vi_value_add_object(spec, "cpuAllocation", "ResourceAllocationInfo");
    vi_value_add_int(alloc, "reservation", a.reservation);
    vi_value_add_int(alloc, "limit", a.limit);
    vi_value *shares = vi_value_add_object(alloc, "shares", "SharesInfo");
    const char *level = a.shares == SHARES_LOW      ? "low"
                        : a.shares == SHARES_NORMAL ? "normal"
                        : a.shares == SHARES_HIGH   ? "high"
                                                    : "custom";
    vi_value_add_int(shares, "shares", a.shares >= 0 ? a.shares : 0);
    vi_value_add_string(shares, "level", level);
    g_autofree char *what = g_strdup_printf("ReconfigVM_Task on '%s'", vm->name);
    return esx_run_task(conn, "ReconfigVM_Task", &vm->moref, args, what, FALSE, NULL, NULL, err);
}

const hvd_sched_table esx_sched_table = {
    .struct_size = sizeof(hvd_sched_table),
    .get_type = sched_get_type,
    .get_params = sched_get_params,
    .set_params = sched_set_params,
};
