/* twohosts.c — two hosts in one process (hvd.h "Departures"; issue: one
 * process-wide upcall table): two hvd_host tables with their own user_data,
 * log and auth upcalls, two connections open at once. Each connection's
 * auth prompts and log lines must reach only the host that opened it, and
 * closing one (after which its host may free the table: here it is unmapped)
 * must leave the other working.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "conformance.h"

#include <glib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    const conf_ctx *c;
    int auth;      /* auth upcalls received */
    int log;       /* log lines received */
    int foreign;   /* upcalls that carried the other host's user_data */
    GString *seen; /* log lines, for the no-secret check */
} host_state;

static host_state hosts[2];

static int32_t
auth_common(int me, void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    host_state *h = &hosts[me];
    h->foreign += user_data != h;
    h->auth++;
    uint32_t stride = ncreds ? creds[0].struct_size : 0;
    for (uint32_t i = 0; i < ncreds; i++) {
        hvd_credential *cr = (hvd_credential *)(void *)((char *)creds + (size_t)i * stride);
        conf_fill_credential(cr, cr->type == HVD_CRED_USERNAME ? (h->c->user ? h->c->user : cr->default_result)
                                                               : h->c->password);
    }
    return 0;
}

static void
log_common(int me, void *user_data, const char *message)
{
    host_state *h = &hosts[me];
    h->foreign += user_data != h;
    h->log++;
    if (message != NULL)
        g_string_append_printf(h->seen, "%s\n", message);
}

/* Distinct functions per host, so neither user_data nor the function can
 * stand in for the other. */
static int32_t HVD_CALL
auth_a(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    return auth_common(0, user_data, creds, ncreds);
}

static int32_t HVD_CALL
auth_b(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    return auth_common(1, user_data, creds, ncreds);
}

static void HVD_CALL
log_a(void *user_data, int32_t level, const char *component, const char *message)
{
    (void)level, (void)component;
    log_common(0, user_data, message);
}

static void HVD_CALL
log_b(void *user_data, int32_t level, const char *component, const char *message)
{
    (void)level, (void)component;
    log_common(1, user_data, message);
}

/* Calls that read (and may log) on `conn`; 1 if all that exist succeeded. */
static int
use(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_connect_table *t = c->drv->connect;
    int ok = 1;
    hvd_error err = HVD_ERROR_INIT;
    char *s = NULL;
    if (t->get_uri != NULL) {
        ok &= t->get_uri(conn, 0, &s, &err) == HVD_OK;
        c->drv->free(s);
    }
    if (t->get_hostname != NULL) {
        ok &= t->get_hostname(conn, 0, &s, &err) == HVD_OK;
        c->drv->free(s);
    }
    int32_t alive = 0;
    if (t->is_alive != NULL)
        ok &= t->is_alive(conn, 0, &alive, &err) == HVD_OK && alive == 1;
    if (c->drv->domain != NULL && c->drv->domain->list_all != NULL) {
        hvd_domain_list *l = NULL;
        ok &= c->drv->domain->list_all(conn, 0, &l, &err) == HVD_OK;
        c->drv->free(l);
    }
    return ok;
}

static int
counts(int i, int auth, int log)
{
    return hosts[i].auth == auth && hosts[i].log == log && hosts[i].foreign == 0;
}

void
conf_check_two_hosts(const conf_ctx *c, GString *seen)
{
    const hvd_driver *d = c->drv;
    hvd_host *table[2];
    hvd_conn *conn[2] = { NULL, NULL };
    for (int i = 0; i < 2; i++) {
        hosts[i] = (host_state){ .c = c, .seen = seen };
        table[i] = conf_guarded(sizeof(hvd_host));
        *table[i] = (hvd_host){ sizeof(hvd_host), 0, &hosts[i], i ? log_b : log_a, i ? auth_b : auth_a, NULL };
    }
    d->init(0, NULL);
    int32_t rc[2];
    int auth_ok = 1;
    for (int i = 0; i < 2; i++) {
        hvd_error err = HVD_ERROR_INIT;
        int other_auth = hosts[!i].auth, other_log = hosts[!i].log;
        conf_begin("live.two-hosts.auth", i ? "open() for the second host" : "open() for the first host");
        rc[i] = d->connect->open(c->uri, NULL, 0, table[i], 0, &conn[i], &err);
        if (rc[i] != HVD_OK)
            conf_info("open() for host %c -> %d: %.300s", 'A' + i, rc[i], err.message);
        /* this open() made no upcall to the other host */
        auth_ok &= rc[i] == HVD_OK && counts(!i, other_auth, other_log);
    }
    int asked = hosts[0].auth > 0 || hosts[1].auth > 0;
    conf_check(auth_ok && hosts[0].foreign + hosts[1].foreign == 0, "live.two-hosts.auth",
               "two connections open at once, each with its own hvd_host; each open()'s prompts and log lines "
               "reached its own host only (prompts A %d, B %d%s)",
               hosts[0].auth, hosts[1].auth, asked ? "" : ": the server asked for none");
    if (rc[0] != HVD_OK || rc[1] != HVD_OK) {
        for (int i = 0; i < 2; i++) {
            if (rc[i] == HVD_OK)
                d->connect->close(conn[i]);
        }
        d->shutdown();
        return;
    }

    /* Each connection's calls log to its own host only. */
    int a_auth = hosts[0].auth, b_auth = hosts[1].auth, a_log = hosts[0].log, b_log = hosts[1].log;
    conf_begin("live.two-hosts.log", "calls on the first connection");
    int used = use(c, conn[0]);
    int log_ok = counts(1, b_auth, b_log);
    a_log = hosts[0].log;
    conf_begin("live.two-hosts.log", "calls on the second connection");
    used &= use(c, conn[1]);
    log_ok &= counts(0, a_auth, a_log);
    conf_check(used && log_ok, "live.two-hosts.log",
               "calls on each connection succeed and their log lines reach its own host only (A %d, B %d line(s) "
               "in all%s)",
               hosts[0].log, hosts[1].log,
               hosts[0].log + hosts[1].log ? "" : ": the driver logged nothing, so only auth was told apart");

    /* Close B; its host may free the table now: unmap it. A goes on. */
    d->connect->close(conn[1]);
    long page = sysconf(_SC_PAGESIZE);
    mprotect((void *)((uintptr_t)table[1] & ~(uintptr_t)(page - 1)), (size_t)page, PROT_NONE);
    b_log = hosts[1].log;
    conf_begin("live.two-hosts.close", "calls on the first connection after closing the second");
    used = use(c, conn[0]);
    conf_check(used && hosts[1].log == b_log && hosts[0].foreign == 0, "live.two-hosts.close",
               "after the second connection closed (its host table unmapped) the first works and logs to its own "
               "host only");
    d->connect->close(conn[0]);
    d->shutdown();
}
