/* memory.c — live checks of the memory parameters ABI 1.1 added to
 * hvd_sched_table: the names, types and rules of what get_memory_params
 * returns (memory.params), and set_memory_params refusing each broken rule
 * before anything changes (memory.rules). Built from a 1.0 header it skips.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "conformance.h"

#include <stdio.h>
#include <string.h>

#if HVD_ABI_MINOR >= 1

static hvd_param
int_param(const char *name, int64_t value)
{
    hvd_param p;
    memset(&p, 0, sizeof(p));
    p.struct_size = sizeof(p);
    p.type = HVD_PARAM_INT64;
    snprintf(p.name, sizeof(p.name), "%s", name);
    p.i = value;
    return p;
}

/* get_memory_params of `key` into v[0..2] (min_guarantee, hard_limit,
 * shares); 1 if the three names are there, INT64, within their rules. */
static int
read_memory(const hvd_driver *d, hvd_conn *conn, const char *key, int64_t v[3], char *why, size_t why_len)
{
    static const char *const names[3] = { HVD_MEM_PARAM_MIN_GUARANTEE, HVD_MEM_PARAM_HARD_LIMIT, HVD_MEM_PARAM_SHARES };
    hvd_param_list *list = NULL;
    hvd_error err;
    memset(&err, 0, sizeof(err));
    err.struct_size = sizeof(err);
    int32_t rc = d->sched->get_memory_params(conn, key, 0, &list, &err);
    if (rc != HVD_OK || list == NULL) {
        snprintf(why, why_len, "get_memory_params(%s) -> %d %.200s", key, rc, rc ? err.message : "(no list)");
        return 0;
    }
    int found = 0, ok = 1;
    for (uint32_t i = 0; i < list->count && i < 64; i++) {
        const hvd_param *p = HVD_LIST_AT(hvd_param, list->entries, list->entry_size, i);
        for (int k = 0; k < 3; k++) {
            if (strncmp(p->name, names[k], sizeof(p->name)) != 0)
                continue;
            found |= 1 << k;
            ok &= p->type == HVD_PARAM_INT64;
            v[k] = p->i;
        }
    }
    d->free(list);
    if (found != 7 || !ok) {
        snprintf(why, why_len, "the list lacks %s, %s or %s, or one is not an INT64", names[0], names[1], names[2]);
        return 0;
    }
    if (v[0] < 0 || (v[1] != -1 && v[1] < v[0]) || v[2] < -3) {
        snprintf(why, why_len, "values break their rules: min_guarantee %lld, hard_limit %lld, shares %lld",
                 (long long)v[0], (long long)v[1], (long long)v[2]);
        return 0;
    }
    snprintf(why, why_len, "min_guarantee %lld KiB, hard_limit %lld KiB, shares %lld", (long long)v[0], (long long)v[1],
             (long long)v[2]);
    return 1;
}

/* One set that breaks a rule: HVD_ERR_INVALID_ARG naming `name`. */
static int
refused(const hvd_driver *d, hvd_conn *conn, const char *key, const hvd_param *params, uint32_t n, const char *name)
{
    hvd_error err;
    memset(&err, 0, sizeof(err));
    err.struct_size = sizeof(err);
    int32_t rc = d->sched->set_memory_params(conn, key, params, n, 0, &err);
    int ok = rc == HVD_ERR_INVALID_ARG && strstr(err.message, name) != NULL;
    conf_info("set_memory_params(%s breaking a rule) -> %d \"%.200s\"", name, rc, rc ? err.message : "");
    return ok;
}

void
conf_check_memory(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_driver *d = c->drv;
    if (c->minor < 1 || d->sched == NULL || !HVD_HAS_MEMBER(d->sched, hvd_sched_table, set_memory_params) ||
        d->sched->get_memory_params == NULL || d->sched->set_memory_params == NULL) {
        conf_skip("memory", "the driver offers no memory parameters (ABI 1.0, or NULL members)");
        return;
    }
    hvd_domain_list *all = NULL;
    hvd_error err;
    memset(&err, 0, sizeof(err));
    err.struct_size = sizeof(err);
    if (d->domain == NULL || d->domain->list_all == NULL || d->domain->list_all(conn, 0, &all, &err) != HVD_OK ||
        all == NULL || all->count == 0) {
        if (all != NULL)
            d->free(all);
        conf_skip("memory", "no domain to read memory parameters of");
        return;
    }
    const hvd_domain_info *first = HVD_LIST_AT(hvd_domain_info, all->entries, all->entry_size, 0);
    char key[256];
    snprintf(key, sizeof(key), "%s", first->key ? first->key : "");
    d->free(all);

    int64_t before[3] = { 0, 0, 0 }, after[3] = { 0, 0, 0 };
    char why[400];
    conf_begin("memory.params", "sched.get_memory_params");
    int ok = read_memory(d, conn, key, before, why, sizeof(why));
    conf_check(ok, "memory.params", "%s: %s", key, why);
    if (!ok)
        return;
    /* Each broken rule refused before anything changes (hvd.h). */
    conf_begin("memory.rules", "sched.set_memory_params");
    hvd_param below[2] = { int_param(HVD_MEM_PARAM_MIN_GUARANTEE, 2048), int_param(HVD_MEM_PARAM_HARD_LIMIT, 1024) };
    hvd_param unknown = int_param("soft_limit", 1024);
    hvd_param negative = int_param(HVD_MEM_PARAM_MIN_GUARANTEE, -1);
    hvd_param low_limit = int_param(HVD_MEM_PARAM_HARD_LIMIT, -2);
    int rules = refused(d, conn, key, below, 2, HVD_MEM_PARAM_HARD_LIMIT);
    rules &= refused(d, conn, key, &unknown, 1, "soft_limit");
    rules &= refused(d, conn, key, &negative, 1, HVD_MEM_PARAM_MIN_GUARANTEE);
    rules &= refused(d, conn, key, &low_limit, 1, HVD_MEM_PARAM_HARD_LIMIT);
    int same = read_memory(d, conn, key, after, why, sizeof(why)) && memcmp(before, after, sizeof(before)) == 0;
    conf_check(rules && same, "memory.rules",
               "hard_limit below min_guarantee, an unknown name, a negative min_guarantee and a hard_limit of -2 "
               "each fail with HVD_ERR_INVALID_ARG naming the parameter%s",
               same ? ", and nothing changed" : " (the values CHANGED)");
}

#else

void
conf_check_memory(const conf_ctx *c, hvd_conn *conn)
{
    (void)c, (void)conn;
    conf_skip("memory", "built from a 1.0 header");
}

#endif
