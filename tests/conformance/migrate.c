/* migrate.c — hvd-conformance's checks of the migration table (--uri).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nothing here can move a domain: check() is the only call given a
 * destination, and perform() is called only without one. On the first
 * domain of list_all:
 *   migrate.check.no-dest        check without dest_uri: HVD_ERR_INVALID_ARG
 *   migrate.check.unknown-param  an unknown parameter name: HVD_ERR_INVALID_ARG
 *   migrate.check.rename         a dest_name other than the domain's name
 *                                fails (ESX cannot rename on the way)
 *   migrate.perform.no-dest      perform without dest_uri: HVD_ERR_INVALID_ARG
 *   migrate.get_progress.idle    no migration running: HVD_OK, active 0
 *   migrate.get_progress.truncate  a caller's struct smaller than 1.0's
 *                                hvd_job_info: nothing written beyond it
 *   migrate.get_progress.missing an unknown domain: HVD_ERR_NO_DOMAIN
 *   migrate.cancel.no-job        cancel with no migration running:
 *                                HVD_ERR_OPERATION_INVALID and a message
 *   migrate.cancel.missing       an unknown domain: HVD_ERR_NO_DOMAIN
 * (.idle and .no-job assume nobody migrates that domain meanwhile.)
 */
#include "conformance.h"

#include <stdio.h>
#include <string.h>

#define NO_SUCH_DOMAIN "hvd-conformance-no-such-domain"

static hvd_param
string_param(const char *name, const char *value)
{
    hvd_param p;
    memset(&p, 0, sizeof(p));
    p.struct_size = sizeof(p);
    p.type = HVD_PARAM_STRING;
    snprintf(p.name, sizeof(p.name), "%s", name);
    p.s = value;
    return p;
}

static void
check_params(const conf_ctx *c, hvd_conn *conn, const char *key, const char *name)
{
    const hvd_migrate_table *t = c->drv->migrate;
    g_autofree char *dest = g_strdup_printf("%s://127.0.0.1:1/", c->scheme);
    g_autofree char *renamed = g_strconcat(name, "-hvd-conformance-renamed", NULL);
    hvd_error err = HVD_ERROR_INIT;
    if (t->check != NULL) {
        conf_begin("migrate.check.no-dest", key);
        int32_t rc = t->check(conn, key, NULL, 0, 0, &err);
        conf_check_error("migrate.check.no-dest", "check(no dest_uri)", rc, HVD_ERR_INVALID_ARG, &err);

        hvd_param unknown[2] = { string_param(HVD_MIGRATE_PARAM_DEST_URI, dest),
                                 string_param("hvd-conformance-unknown", "x") };
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("migrate.check.unknown-param", key);
        rc = t->check(conn, key, unknown, 2, 0, &err);
        conf_check_error("migrate.check.unknown-param", "check(unknown parameter)", rc, HVD_ERR_INVALID_ARG, &err);

        hvd_param rename[2] = { string_param(HVD_MIGRATE_PARAM_DEST_URI, dest),
                                string_param(HVD_MIGRATE_PARAM_DEST_NAME, renamed) };
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("migrate.check.rename", key);
        rc = t->check(conn, key, rename, 2, 0, &err);
        conf_check(rc < 0 && err.code == rc && conf_message_ok(&err), "migrate.check.rename",
                   "check(dest_name '%s' for '%s') -> %d (want a failure), message \"%.300s\"", renamed, name, rc,
                   memchr(err.message, '\0', sizeof(err.message)) ? err.message : "<not terminated>");
    } else {
        conf_skip("migrate.check.no-dest", "no check member");
    }
    if (t->perform != NULL) {
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("migrate.perform.no-dest", key);
        int32_t rc = t->perform(conn, key, NULL, 0, 0, NULL, &err);
        conf_check_error("migrate.perform.no-dest", "perform(no dest_uri)", rc, HVD_ERR_INVALID_ARG, &err);
    } else {
        conf_skip("migrate.perform.no-dest", "no perform member");
    }
}

static void
check_jobs(const conf_ctx *c, hvd_conn *conn, const char *key)
{
    const hvd_migrate_table *t = c->drv->migrate;
    hvd_error err = HVD_ERROR_INIT;
    if (t->get_progress != NULL) {
        hvd_job_info info;
        memset(&info, 0xC5, sizeof(info));
        info.struct_size = sizeof(info);
        conf_begin("migrate.get_progress.idle", key);
        int32_t rc = t->get_progress(conn, key, 0, &info, &err);
        conf_check(rc == HVD_OK && info.active == 0 && info.struct_size <= sizeof(info), "migrate.get_progress.idle",
                   "get_progress(%s) with no migration -> %d, active %d, struct_size %u", key, rc, info.active,
                   info.struct_size);

        /* caller-allocated and smaller than 1.0's: nothing written beyond */
        unsigned char box[sizeof(hvd_job_info) + 32];
        memset(box, 0xC5, sizeof(box));
        hvd_job_info *small = (hvd_job_info *)(void *)box;
        uint32_t sz = offsetof(hvd_job_info, percent);
        small->struct_size = sz;
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("migrate.get_progress.truncate", key);
        rc = t->get_progress(conn, key, 0, small, &err);
        int intact = 1;
        for (size_t k = sz; k < sizeof(box); k++)
            intact &= box[k] == 0xC5;
        conf_check(intact && small->struct_size <= sz && (rc == HVD_OK || rc == HVD_ERR_INVALID_ARG),
                   "migrate.get_progress.truncate", "a %u-byte hvd_job_info -> %d, nothing written beyond it (%s)", sz,
                   rc, intact ? "intact" : "OVERWRITTEN");

        err = (hvd_error)HVD_ERROR_INIT;
        info.struct_size = sizeof(info);
        conf_begin("migrate.get_progress.missing", NO_SUCH_DOMAIN);
        rc = t->get_progress(conn, NO_SUCH_DOMAIN, 0, &info, &err);
        conf_check_error("migrate.get_progress.missing", "get_progress(no such domain)", rc, HVD_ERR_NO_DOMAIN, &err);
    } else {
        conf_skip("migrate.get_progress.idle", "no get_progress member");
    }
    if (t->cancel != NULL) {
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("migrate.cancel.no-job", key);
        int32_t rc = t->cancel(conn, key, 0, &err);
        conf_check_error("migrate.cancel.no-job", "cancel(no migration running)", rc, HVD_ERR_OPERATION_INVALID, &err);
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("migrate.cancel.missing", NO_SUCH_DOMAIN);
        rc = t->cancel(conn, NO_SUCH_DOMAIN, 0, &err);
        conf_check_error("migrate.cancel.missing", "cancel(no such domain)", rc, HVD_ERR_NO_DOMAIN, &err);
    } else {
        conf_skip("migrate.cancel.no-job", "no cancel member");
    }
}

void
conf_check_migrate(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_driver *d = c->drv;
    if (d->migrate == NULL) {
        conf_skip("migrate", "no migration table");
        return;
    }
    if (d->domain == NULL || d->domain->list_all == NULL) {
        conf_skip("migrate", "no domain table to find a domain with");
        return;
    }
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_list *all = NULL;
    int32_t rc = d->domain->list_all(conn, 0, &all, &err);
    if (rc != HVD_OK || all == NULL || all->count == 0) {
        conf_skip("migrate", "no domain on the server (list_all -> %d)", rc);
        if (rc == HVD_OK)
            d->free(all);
        return;
    }
    const hvd_domain_info *e = HVD_LIST_AT(const hvd_domain_info, all->entries, all->entry_size, 0);
    g_autofree char *key = g_strdup(e->key);
    g_autofree char *name = g_strdup(e->name);
    d->free(all);
    check_params(c, conn, key, name);
    check_jobs(c, conn, key);
}
