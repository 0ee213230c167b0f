/* alloc.c — a VM's resource allocation as libvirt's ESX driver exposes it:
 * reservation (>= 0), limit (-1 unlimited, else >= reservation) and shares
 * (-1 low, -2 normal, -3 high, or a custom count), read from
 * config.cpuAllocation or config.memoryAllocation and written back whole in
 * one ReconfigVM_Task. Every rule is checked before anything is sent. The
 * kind (esx-alloc.h) says which allocation, its parameter names and units. */
#include "esx-alloc.h"
#include "esx-task.h"

#define ALLOC_NPARAMS 3

#define GIVEN_RESERVATION 1u
#define GIVEN_LIMIT       2u
#define GIVEN_SHARES      4u

/* An allocation in ABI units. */
typedef struct {
    gint64 reservation; /* >= 0 */
    gint64 limit;       /* -1 = unlimited */
    gint64 shares;      /* ESX_SHARES_* or a custom count >= 0 */
} alloc_values;

/* The allocation in OBJ (config.<property> read); absent fields are the
 * server's defaults (no reservation, unlimited, normal shares). */
static void
read_alloc(const esx_alloc_kind *kind, const vi_value *obj, alloc_values *a)
{
    g_autofree char *res = g_strdup_printf("config.%s.reservation", kind->property);
    g_autofree char *lim = g_strdup_printf("config.%s.limit", kind->property);
    g_autofree char *lvl = g_strdup_printf("config.%s.shares.level", kind->property);
    g_autofree char *cnt = g_strdup_printf("config.%s.shares.shares", kind->property);
    a->reservation = 0;
    a->limit = -1;
    a->shares = ESX_SHARES_NORMAL;
    if (vi_object_get_int64(obj, res, &a->reservation))
        a->reservation *= kind->scale;
    if (vi_object_get_int64(obj, lim, &a->limit) && a->limit >= 0)
        a->limit *= kind->scale;
    const char *level = vi_object_get_string(obj, lvl);
    if (g_strcmp0(level, "low") == 0)
        a->shares = ESX_SHARES_LOW;
    else if (g_strcmp0(level, "high") == 0)
        a->shares = ESX_SHARES_HIGH;
    else if (g_strcmp0(level, "custom") == 0)
        vi_object_get_int64(obj, cnt, &a->shares);
}

/* The domain and its allocation. */
static int32_t
resolve_alloc(hvd_conn *conn, const esx_alloc_kind *kind, const char *domain, esx_vm **vm_out, alloc_values *a,
              hvd_error *err)
{
    g_autofree char *path = g_strdup_printf("config.%s", kind->property);
    const char *const paths[] = { path, NULL };
    g_autoptr(vi_value) obj = NULL;
    int32_t rc = esx_domain_resolve_with(conn, domain, paths, vm_out, &obj, err);
    if (rc == HVD_OK)
        read_alloc(kind, obj, a);
    return rc;
}

int32_t
esx_alloc_get(hvd_conn *conn, const esx_alloc_kind *kind, const char *domain, hvd_param_list **params_out,
              hvd_error *err)
{
    g_autoptr(esx_vm) vm = NULL;
    alloc_values a;
    int32_t rc = resolve_alloc(conn, kind, domain, &vm, &a, err);
    if (rc != HVD_OK)
        return rc;
    /* one allocation: the list header, then its entries */
    hvd_param_list *list = g_malloc0(sizeof(*list) + ALLOC_NPARAMS * sizeof(hvd_param));
    hvd_param *p = (hvd_param *)(list + 1);
    const gint64 values[ALLOC_NPARAMS] = { a.reservation, a.limit, a.shares };
    for (guint i = 0; i < ALLOC_NPARAMS; i++) {
        p[i].struct_size = sizeof(hvd_param);
        p[i].type = HVD_PARAM_INT64;
        g_strlcpy(p[i].name, kind->names[i], sizeof(p[i].name));
        p[i].i = values[i];
    }
    list->struct_size = sizeof(*list);
    list->count = ALLOC_NPARAMS;
    list->entry_size = sizeof(hvd_param);
    list->entries = p;
    *params_out = list;
    return HVD_OK;
}

/* The value of parameter `bit` against its own rule, into *a. */
static int32_t
check_value(const esx_alloc_kind *kind, unsigned bit, gint64 v, alloc_values *a, hvd_error *err)
{
    const char *op = kind->set_op;
    if (bit == GIVEN_RESERVATION || bit == GIVEN_LIMIT) {
        const char *name = kind->names[bit == GIVEN_RESERVATION ? 0 : 1];
        if (bit == GIVEN_RESERVATION && v < 0)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: parameter '%s' is %" G_GINT64_FORMAT " %s; it must be 0 or greater", op, name, v,
                            kind->unit);
        if (bit == GIVEN_LIMIT && v < -1)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: parameter '%s' is %" G_GINT64_FORMAT " %s; it must be -1 (unlimited) or 0 or greater",
                            op, name, v, kind->unit);
        if (v > kind->max)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: parameter '%s' is %" G_GINT64_FORMAT " %s; it must be at most %" G_GINT64_FORMAT " %s",
                            op, name, v, kind->unit, kind->max, kind->unit);
        *(bit == GIVEN_RESERVATION ? &a->reservation : &a->limit) = v;
        return HVD_OK;
    }
    if (v < ESX_SHARES_HIGH)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: parameter '%s' is %" G_GINT64_FORMAT
                        "; it must be -1 (low), -2 (normal), -3 (high) or a count of 0 or greater",
                        op, kind->names[2], v);
    if (v > G_MAXINT32)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: parameter '%s' is %" G_GINT64_FORMAT "; a count must be at most %d", op, kind->names[2], v,
                        G_MAXINT32);
    a->shares = v;
    return HVD_OK;
}

/* The parameters given, checked one by one against the rules: *given gets
 * a GIVEN_* bit per parameter. */
static int32_t
check_params(const esx_alloc_kind *kind, const hvd_param *params, uint32_t nparams, alloc_values *a, unsigned *given,
             hvd_error *err)
{
    const char *op = kind->set_op;
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
        unsigned bit = 0;
        for (unsigned k = 0; k < ALLOC_NPARAMS && bit == 0; k++) {
            if (strcmp(p->name, kind->names[k]) == 0)
                bit = 1u << k;
        }
        if (bit == 0) {
            g_autofree char *name = g_strescape(p->name, NULL);
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: unknown parameter '%s' (%s)", op, name, kind->known);
        }
        if (*given & bit)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: parameter '%s' given twice", op, p->name);
        if (p->type != HVD_PARAM_INT64)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: parameter '%s' must be an INT64 (type %d), not type %d", op, p->name, HVD_PARAM_INT64,
                            p->type);
        *given |= bit;
        int32_t rc = check_value(kind, bit, p->i, a, err);
        if (rc != HVD_OK)
            return rc;
    }
    return HVD_OK;
}

/* The rule across two parameters, on the allocation as it would be. */
static int32_t
check_limit(const esx_alloc_kind *kind, const alloc_values *a, const char *name, hvd_error *err)
{
    if (a->limit == -1 || a->limit >= a->reservation)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                    "%s: parameter '%s' (%" G_GINT64_FORMAT " %s) is below the %s (%" G_GINT64_FORMAT
                    " %s) of domain '%s'; it must be -1 (unlimited) or at least the %s",
                    kind->set_op, kind->names[1], a->limit, kind->unit, kind->reservation, a->reservation, kind->unit,
                    name, kind->reservation);
}

/* ABI units to server units, rounded up (never below what was asked). */
static gint64
to_server(const esx_alloc_kind *kind, gint64 v)
{
    return v <= 0 ? v : (v + kind->scale - 1) / kind->scale;
}

int32_t
esx_alloc_set(hvd_conn *conn, const esx_alloc_kind *kind, const char *domain, const hvd_param *params, uint32_t nparams,
              uint32_t flags, hvd_error *err)
{
    const char *op = kind->set_op;
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, 0, err);
    alloc_values want = { 0, -1, ESX_SHARES_NORMAL };
    unsigned given = 0;
    if (rc == HVD_OK)
        rc = check_params(kind, params, nparams, &want, &given, err);
    /* both bounds given: the rule holds or fails before any call */
    if (rc == HVD_OK && (given & (GIVEN_RESERVATION | GIVEN_LIMIT)) == (GIVEN_RESERVATION | GIVEN_LIMIT))
        rc = check_limit(kind, &want, domain, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    g_autoptr(esx_vm) vm = NULL;
    alloc_values a;
    if (rc == HVD_OK)
        rc = resolve_alloc(conn, kind, domain, &vm, &a, err);
    if (rc != HVD_OK)
        return rc;
    /* the parameters not given keep their values */
    if (given & GIVEN_RESERVATION)
        a.reservation = want.reservation;
    if (given & GIVEN_LIMIT)
        a.limit = want.limit;
    if (given & GIVEN_SHARES)
        a.shares = want.shares;
    rc = check_limit(kind, &a, vm->name, err);
    if (rc != HVD_OK)
        return rc;

    /* the complete allocation, as libvirt sends it */
    g_autoptr(vi_value) args = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value *spec = vi_value_add_object(args, "spec", "VirtualMachineConfigSpec");
    vi_value *alloc = vi_value_add_object(spec, kind->property, "ResourceAllocationInfo");
    vi_value_add_int(alloc, "reservation", to_server(kind, a.reservation));
    vi_value_add_int(alloc, "limit", to_server(kind, a.limit));
    vi_value *shares = vi_value_add_object(alloc, "shares", "SharesInfo");
    const char *level = a.shares == ESX_SHARES_LOW      ? "low"
                        : a.shares == ESX_SHARES_NORMAL ? "normal"
                        : a.shares == ESX_SHARES_HIGH   ? "high"
                                                        : "custom";
    vi_value_add_int(shares, "shares", a.shares >= 0 ? a.shares : 0);
    vi_value_add_string(shares, "level", level);
    g_autofree char *what = g_strdup_printf("ReconfigVM_Task on '%s'", vm->name);
    return esx_run_task(conn, "ReconfigVM_Task", &vm->moref, args, what, FALSE, NULL, NULL, err);
}
