/* hvd-bench-api: the hvd-esx contender of tests/bench through the C API in
 * one process (the loader, the driver, no hvdctl), as a host application
 * uses it. A benchmark client, not a test.
 *
 *   hvd-bench-api URI WORKLOAD [ARG...]
 *
 *   version                  connect, the server's version
 *   list                     list_all, one line per domain
 *   dominfo NAME             lookup_by_name, then get_info by its key
 *   threads N KEY OPS        N threads on ONE connection, each calling
 *                            get_info(KEY) OPS times
 *   conns N KEY OPS          the same, each thread on its own connection
 *
 * The user name is the URI's or HVD_BENCH_USER; the password comes from
 * HVD_BENCH_PASSWORD (the simulator's; never printed). The threads
 * workloads print the operations per second of the calls alone (connects
 * excluded) on stderr as "ops_per_s N", the runner reads the whole
 * process's time. */
#include "hvd-loader.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64
#define MAX_OPS     100000

static const hvd_driver *drv;

static int32_t HVD_CALL
creds(void *user_data, hvd_credential *c, uint32_t n)
{
    (void)user_data;
    for (uint32_t i = 0; i < n; i++) {
        const char *v = c[i].type == HVD_CRED_USERNAME ? g_getenv("HVD_BENCH_USER") : g_getenv("HVD_BENCH_PASSWORD");
        if (v == NULL)
            return -1;
        g_strlcpy(c[i].result, v, c[i].result_capacity);
        c[i].result_len = (uint32_t)strlen(c[i].result);
    }
    return 0;
}

static hvd_conn *
connect_to(const char *uri)
{
    hvd_host host = { .struct_size = sizeof(host), .auth = creds };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err) != HVD_OK) {
        fprintf(stderr, "hvd-bench-api: connecting to %s: %s\n", uri, err.message);
        exit(1);
    }
    return conn;
}

typedef struct {
    hvd_conn *conn; /* shared, or this thread's own */
    const char *uri;
    const char *key;
    int ops;
    int failed;
    GMutex *ready_lock; /* the threads start together */
    GCond *ready;
    gboolean *go;
} worker;

static gpointer
work(gpointer p)
{
    worker *w = p;
    g_mutex_lock(w->ready_lock);
    while (!*w->go)
        g_cond_wait(w->ready, w->ready_lock);
    g_mutex_unlock(w->ready_lock);
    for (int i = 0; i < w->ops; i++) {
        hvd_domain_info *info = NULL;
        hvd_error err = HVD_ERROR_INIT;
        if (drv->domain->get_info(w->conn, w->key, 0, &info, &err) != HVD_OK) {
            fprintf(stderr, "hvd-bench-api: get_info %s: %s\n", w->key, err.message);
            w->failed++;
            continue;
        }
        drv->free(info);
    }
    return NULL;
}

static int
run_threads(const char *uri, gboolean shared, const char *n_arg, const char *key, const char *ops_arg)
{
    guint64 n = 0, ops = 0;
    if (!g_ascii_string_to_unsigned(n_arg, 10, 1, MAX_THREADS, &n, NULL) ||
        !g_ascii_string_to_unsigned(ops_arg, 10, 1, MAX_OPS, &ops, NULL)) {
        fprintf(stderr, "hvd-bench-api: threads: N from 1 to %d and OPS from 1 to %d\n", MAX_THREADS, MAX_OPS);
        return 2;
    }
    GMutex lock;
    GCond ready;
    gboolean go = FALSE;
    g_mutex_init(&lock);
    g_cond_init(&ready);
    hvd_conn *one = shared ? connect_to(uri) : NULL;
    worker w[MAX_THREADS];
    GThread *t[MAX_THREADS];
    for (guint i = 0; i < n; i++) {
        w[i] = (worker){ shared ? one : connect_to(uri), uri, key, (int)ops, 0, &lock, &ready, &go };
        t[i] = g_thread_new("bench", work, &w[i]);
    }
    gint64 t0 = g_get_monotonic_time();
    g_mutex_lock(&lock);
    go = TRUE;
    g_cond_broadcast(&ready);
    g_mutex_unlock(&lock);
    int failed = 0;
    for (guint i = 0; i < n; i++) {
        g_thread_join(t[i]);
        failed += w[i].failed;
        if (!shared)
            drv->connect->close(w[i].conn);
    }
    gint64 t1 = g_get_monotonic_time();
    if (shared)
        drv->connect->close(one);
    g_mutex_clear(&lock);
    g_cond_clear(&ready);
    fprintf(stderr, "ops_per_s %.1f\n", (double)(n * ops) / ((double)(t1 - t0) / 1e6));
    return failed ? 1 : 0;
}

static int
run(const char *uri, int argc, char **argv)
{
    const char *workload = argv[0];
    hvd_error err = HVD_ERROR_INIT;
    if (strcmp(workload, "threads") == 0 || strcmp(workload, "conns") == 0) {
        if (argc != 4)
            return 2;
        return run_threads(uri, strcmp(workload, "threads") == 0, argv[1], argv[2], argv[3]);
    }
    hvd_conn *conn = connect_to(uri);
    int rc = 0;
    if (strcmp(workload, "version") == 0 && argc == 1) {
        hvd_version *v = NULL;
        if (drv->connect->get_version(conn, 0, &v, &err) == HVD_OK)
            printf("%s\n", v->product);
        else
            rc = 1;
        drv->free(v);
    } else if (strcmp(workload, "list") == 0 && argc == 1) {
        hvd_domain_list *l = NULL;
        if (drv->domain->list_all(conn, 0, &l, &err) == HVD_OK) {
            for (uint32_t i = 0; i < l->count; i++) {
                const hvd_domain_info *d = HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i);
                printf("%d\t%s\t%d\n", d->id, d->name, d->state);
            }
        } else {
            rc = 1;
        }
        drv->free(l);
    } else if (strcmp(workload, "dominfo") == 0 && argc == 2) {
        hvd_domain_info *a = NULL, *b = NULL;
        if (drv->domain->lookup_by_name(conn, argv[1], 0, &a, &err) == HVD_OK &&
            drv->domain->get_info(conn, a->key, 0, &b, &err) == HVD_OK)
            printf("%s %s %d %" G_GUINT64_FORMAT " %u\n", b->name, b->key, b->state, b->memory_kib, b->vcpus);
        else
            rc = 1;
        drv->free(a);
        drv->free(b);
    } else {
        rc = 2;
    }
    if (rc == 1)
        fprintf(stderr, "hvd-bench-api: %s: %s\n", workload, err.message);
    drv->connect->close(conn);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hvd-bench-api URI version|list|dominfo NAME|threads N KEY OPS|conns N KEY OPS\n");
        return 2;
    }
    hvd_loader *loader = hvd_loader_new();
    hvd_error err = HVD_ERROR_INIT;
    const hvd_loaded_driver *ld = NULL;
    if (loader == NULL || hvd_loader_load_for_uri(loader, argv[1], HVD_ABI_MINOR, &ld, &err) != HVD_OK) {
        fprintf(stderr, "hvd-bench-api: loading the driver for %s: %s\n", argv[1], err.message);
        return 1;
    }
    drv = ld->driver;
    if (drv->init(0, &err) != HVD_OK) {
        fprintf(stderr, "hvd-bench-api: init: %s\n", err.message);
        return 1;
    }
    int rc = run(argv[1], argc - 2, argv + 2);
    if (rc == 2)
        fprintf(stderr, "hvd-bench-api: bad arguments for workload '%s'\n", argv[2]);
    drv->shutdown();
    hvd_loader_free(loader);
    return rc;
}
