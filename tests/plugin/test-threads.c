/* Concurrency through the ABI (loader + driver): 8 threads x N mixed
 * read-only calls (list_all, get_info, get_xml, get_state, pool_list,
 * sched get_params, snapshot list), first all on ONE connection, then each
 * thread on its own connection. Every result is compared with the one a
 * serial run got for the same call: identical, or the test fails naming the
 * call and both results. Built with -Db_sanitize=thread, the same test is
 * the ThreadSanitizer run (tests/tsan.supp, docs/testing.md).
 *
 * N: $HVD_THREADS_CALLS, default 1000 (some 14 s here, 20 s under
 * ThreadSanitizer: docs/testing.md). Suite: sim. */
#include "simconn.h"

#include <stdlib.h>
#include <string.h>

#define N_THREADS 8
#define N_VMS     4
#define N_OPS     7

static const char *const op_names[N_OPS] = { "list_all",  "get_info",   "get_xml",      "get_state",
                                             "pool_list", "get_params", "snapshot list" };

typedef struct {
    hvd_conn *conn;
    char *doms[N_VMS];
    char *expected[N_OPS][N_VMS];
} world;

#define ENTRY(list, type, i) ((const type *)((const char *)(list)->entries + (size_t)(i) * (list)->entry_size))

/* What op OP on domain DOM returns, as one string ("error: ..." on failure). */
static char *
digest(hvd_conn *conn, int op, const char *dom)
{
    hvd_error err = HVD_ERROR_INIT;
    GString *s = g_string_new(NULL);
    int32_t rc = HVD_OK;
    switch (op) {
    case 0: {
        hvd_domain_list *l = NULL;
        rc = drv->domain->list_all(conn, 0, &l, &err);
        for (uint32_t i = 0; rc == HVD_OK && i < l->count; i++) {
            const hvd_domain_info *d = ENTRY(l, hvd_domain_info, i);
            g_string_append_printf(s, "%s/%s/%d/%d/%" G_GUINT64_FORMAT "/%u;", d->name, d->key, d->state, d->id,
                                   d->memory_kib, d->vcpus);
        }
        drv->free(l);
        break;
    }
    case 1: {
        hvd_domain_info *d = NULL;
        rc = drv->domain->get_info(conn, dom, 0, &d, &err);
        if (rc == HVD_OK)
            g_string_append_printf(s, "%s/%d/%d/%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "/%u", d->name, d->state,
                                   d->id, d->memory_kib, d->max_memory_kib, d->vcpus);
        drv->free(d);
        break;
    }
    case 2: {
        char *xml = NULL;
        rc = drv->domain->get_xml(conn, dom, 0, &xml, &err);
        if (rc == HVD_OK)
            g_string_append(s, xml);
        drv->free(xml);
        break;
    }
    case 3: {
        int32_t state = 0, reason = 0;
        rc = drv->domain->get_state(conn, dom, 0, &state, &reason, &err);
        g_string_append_printf(s, "%d/%d", state, reason);
        break;
    }
    case 4: {
        hvd_pool_list *l = NULL;
        rc = drv->storage->pool_list(conn, 0, &l, &err);
        for (uint32_t i = 0; rc == HVD_OK && i < l->count; i++) {
            const hvd_pool_info *p = ENTRY(l, hvd_pool_info, i);
            g_string_append_printf(s, "%s/%s/%d/%" G_GUINT64_FORMAT ";", p->name, p->type, p->state, p->capacity);
        }
        drv->free(l);
        break;
    }
    case 5: {
        hvd_param_list *l = NULL;
        rc = drv->sched->get_params(conn, dom, 0, &l, &err);
        for (uint32_t i = 0; rc == HVD_OK && i < l->count; i++) {
            const hvd_param *p = ENTRY(l, hvd_param, i);
            g_string_append_printf(s, "%s=%d:%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT ";", p->name, p->type, p->i,
                                   p->u);
        }
        drv->free(l);
        break;
    }
    default: {
        hvd_snapshot_list *l = NULL;
        rc = drv->snapshot->list(conn, dom, 0, &l, &err);
        for (uint32_t i = 0; rc == HVD_OK && i < l->count; i++) {
            const hvd_snapshot_info *p = ENTRY(l, hvd_snapshot_info, i);
            g_string_append_printf(s, "%s<%s/%u;", p->name, p->parent ? p->parent : "-", p->is_current);
        }
        drv->free(l);
        break;
    }
    }
    if (rc != HVD_OK) {
        g_string_truncate(s, 0);
        g_string_append_printf(s, "error %d: %s", rc, err.message);
    }
    return g_string_free(s, FALSE);
}

typedef struct {
    world *w;
    hvd_conn *conn;
    int id;
    int calls;
    int mismatches;
    char *first_mismatch;
} worker;

static gpointer
run(gpointer data)
{
    worker *k = data;
    for (int j = 0; j < k->calls; j++) {
        int n = k->id * k->calls + j;
        int op = n % N_OPS, dom = (n / N_OPS) % N_VMS;
        g_autofree char *got = digest(k->conn, op, k->w->doms[dom]);
        if (strcmp(got, k->w->expected[op][dom]) != 0 && k->mismatches++ == 0)
            k->first_mismatch = g_strdup_printf("thread %d, call %d: %s of %s gave\n%s\ninstead of\n%s", k->id, j,
                                                op_names[op], k->w->doms[dom], got, k->w->expected[op][dom]);
    }
    return NULL;
}

static void
run_threads(world *w, sim_instance *sim, const char *uri, gboolean shared, int calls)
{
    worker k[N_THREADS];
    GThread *t[N_THREADS];
    gint64 start = g_get_monotonic_time();
    for (int i = 0; i < N_THREADS; i++) {
        k[i] = (worker){ .w = w, .id = i, .calls = calls };
        k[i].conn = shared ? w->conn : open_flags(sim, uri, 0);
        t[i] = g_thread_new("caller", run, &k[i]);
    }
    int mismatches = 0;
    const char *first = NULL;
    for (int i = 0; i < N_THREADS; i++) {
        g_thread_join(t[i]);
        mismatches += k[i].mismatches;
        if (first == NULL)
            first = k[i].first_mismatch;
    }
    g_test_message("%d threads x %d calls on %s: %.1f s, %d results differ from the serial run", N_THREADS, calls,
                   shared ? "one connection" : "a connection each", (g_get_monotonic_time() - start) / 1e6, mismatches);
    if (mismatches != 0)
        g_error("%d of %d results differ from the serial run; the first: %s", mismatches, N_THREADS * calls, first);
    for (int i = 0; i < N_THREADS; i++) {
        if (!shared)
            drv->connect->close(k[i].conn);
        g_free(k[i].first_mismatch);
    }
}

static void
test_threads(void)
{
    const char *env = g_getenv("HVD_THREADS_CALLS");
    int calls = env != NULL ? atoi(env) : 1000;
    if (calls <= 0 || calls > 1000000)
        g_error("HVD_THREADS_CALLS must be 1 to 1000000, not '%s'", env);
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .vms = N_VMS };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    world w = { .conn = open_flags(sim, uri, 0) };

    /* the domains (by key, as the ABI addresses them), one with a snapshot
     * tree so that its list has content */
    hvd_domain_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->domain->list_all(w.conn, 0, &l, &err), ==, HVD_OK);
    g_assert_cmpuint(l->count, ==, N_VMS);
    for (int i = 0; i < N_VMS; i++)
        w.doms[i] = g_strdup(ENTRY(l, hvd_domain_info, i)->key);
    drv->free(l);
    for (int i = 0; i < 2; i++) {
        g_autofree char *xml = g_strdup_printf("<domainsnapshot><name>s%d</name></domainsnapshot>", i);
        if (drv->snapshot->create_xml(w.conn, w.doms[0], xml, 0, NULL, NULL, &err) != HVD_OK)
            g_error("creating snapshot s%d of %s: %s", i, w.doms[0], err.message);
    }

    /* the serial run */
    for (int op = 0; op < N_OPS; op++) {
        for (int d = 0; d < N_VMS; d++) {
            w.expected[op][d] = digest(w.conn, op, w.doms[d]);
            if (g_str_has_prefix(w.expected[op][d], "error"))
                g_error("serial %s of %s: %s", op_names[op], w.doms[d], w.expected[op][d]);
        }
    }
    g_assert_nonnull(strstr(w.expected[6][0], "s1<s0"));

    run_threads(&w, sim, uri, TRUE, calls);
    run_threads(&w, sim, uri, FALSE, calls);

    drv->connect->close(w.conn);
    for (int d = 0; d < N_VMS; d++) {
        g_free(w.doms[d]);
        for (int op = 0; op < N_OPS; op++)
            g_free(w.expected[op][d]);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/threads/mixed-calls", test_threads);
    int rc = g_test_run();
    simconn_done();
    return rc;
}
