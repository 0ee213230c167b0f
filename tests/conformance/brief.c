/* brief.c — the live check of HVD_LIST_BRIEF (ABI 1.1): a brief list_all
 * has the same keys, names, ids and states as the full one, and leaves the
 * fields it does not fill zero (domain.list.brief). A driver at minor 0
 * refusing the flag with HVD_ERR_BAD_FLAGS passes: the flag is not its.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "conformance.h"

#include <string.h>

#ifdef HVD_LIST_BRIEF

/* The entry of `l` with key `key`, or NULL. */
static const hvd_domain_info *
by_key(const hvd_domain_list *l, const char *key)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_domain_info *e = HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i);
        if (e->key != NULL && strcmp(e->key, key) == 0)
            return e;
    }
    return NULL;
}

static const uint8_t zero_uuid[16];

/* 1 if the brief entry `b` says what the full entry `f` says; else a line
 * naming the first difference. */
static int
same_brief(const hvd_domain_info *f, const hvd_domain_info *b)
{
    if (b == NULL) {
        conf_info("domain '%s' (%s) is missing from the brief list", f->name, f->key);
        return 0;
    }
    if (b->struct_size < HVD_1_0_SIZEOF_hvd_domain_info || b->name == NULL || strcmp(b->name, f->name) != 0 ||
        b->id != f->id || b->state != f->state) {
        conf_info("domain %s: full list '%s' id %d state %d, brief list '%s' id %d state %d", f->key, f->name, f->id,
                  f->state, b->name != NULL ? b->name : "(null)", b->id, b->state);
        return 0;
    }
    /* what a brief entry leaves out is zero, or the full value */
    int rest = (memcmp(b->uuid, zero_uuid, 16) == 0 || memcmp(b->uuid, f->uuid, 16) == 0) &&
               (b->memory_kib == 0 || b->memory_kib == f->memory_kib) &&
               (b->max_memory_kib == 0 || b->max_memory_kib == f->max_memory_kib) &&
               (b->vcpus == 0 || b->vcpus == f->vcpus);
    if (!rest)
        conf_info("domain %s: the brief entry's UUID, memory or vCPUs are neither zero nor the full list's", f->key);
    return rest;
}

void
conf_check_brief(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_domain_table *t = c->drv->domain;
    if (t == NULL || t->list_all == NULL) {
        conf_skip("domain.list.brief", "no domain table / list_all");
        return;
    }
    conf_begin("domain.list.brief", "list_all");
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_list *full = NULL, *brief = NULL;
    int32_t rc = t->list_all(conn, 0, &full, &err);
    if (rc != HVD_OK || full == NULL) {
        conf_skip("domain.list.brief", "list_all -> %d", rc);
        return;
    }
    err = (hvd_error)HVD_ERROR_INIT;
    rc = t->list_all(conn, HVD_LIST_BRIEF, &brief, &err);
    if (rc == HVD_ERR_BAD_FLAGS && c->minor == 0) {
        conf_check(1, "domain.list.brief", "a driver at minor 0 refuses HVD_LIST_BRIEF (HVD_ERR_BAD_FLAGS)");
        c->drv->free(full);
        return;
    }
    if (rc != HVD_OK || brief == NULL) {
        conf_check(0, "domain.list.brief", "list_all(HVD_LIST_BRIEF) at minor %u -> %d %.300s", c->minor, rc,
                   rc != HVD_OK ? err.message : "(no list)");
        c->drv->free(full);
        return;
    }
    int ok = brief->count == full->count && brief->entry_size >= HVD_1_0_SIZEOF_hvd_domain_info;
    if (!ok)
        conf_info("brief list: %u entries of %u bytes, full list: %u", brief->count, brief->entry_size, full->count);
    for (uint32_t i = 0; ok && i < full->count; i++) {
        const hvd_domain_info *f = HVD_LIST_AT(hvd_domain_info, full->entries, full->entry_size, i);
        ok = same_brief(f, by_key(brief, f->key));
    }
    conf_check(ok, "domain.list.brief", "list_all(HVD_LIST_BRIEF): the same %u keys, names, ids and states as list_all",
               full->count);
    c->drv->free(brief);
    c->drv->free(full);
}

#else

void
conf_check_brief(const conf_ctx *c, hvd_conn *conn)
{
    (void)c;
    (void)conn;
    conf_skip("domain.list.brief", "built from a 1.0 header");
}

#endif
