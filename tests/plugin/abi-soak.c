/* abi-soak — a soak run through the ABI (a command, not a test): the loader
 * and the driver, mixed calls against the simulator for a bounded time,
 * printing this process's RSS and open file descriptors after a warm-up
 * (the first quarter) and at the end; both should stay flat.
 *
 *   HVD_DRIVER_FILES=build/plugin/esx.json build/tests/plugin/abi-soak
 *       [--vms N] [--seconds S] [--threads T] [--expire-every E]
 *                                         (default 10000, 60, 4, 0: never)
 *
 * Each thread repeats on one shared connection: list_all (every VM, all
 * pages), get_info, get_state and get_xml of one VM (a different one each
 * round), pool_list. With --expire-every E the simulator ends every session
 * each E seconds (listings then lose theirs between pages). Exits 1 if a
 * call failed, printing the first three errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test-cost.h"
#include "simconn.h"

typedef struct {
    hvd_conn *conn;
    sim_instance *sim;
    gint64 until;
    gint64 expire_us; /* 0: never */
    gint64 next_expiry;
    guint rounds;
    guint errors;
    guint64 calls;
    int id;
} worker;

static void
note(worker *w, int32_t rc, const char *what, const hvd_error *err)
{
    w->calls++;
    if (rc == HVD_OK)
        return;
    if (w->errors++ < 3)
        fprintf(stderr, "thread %d: %s: %s\n", w->id, what, err->message);
}

static gpointer
run(gpointer data)
{
    worker *w = data;
    while (g_get_monotonic_time() < w->until) {
        hvd_error err = HVD_ERROR_INIT;
        hvd_domain_list *l = NULL;
        int32_t rc = drv->domain->list_all(w->conn, 0, &l, &err);
        note(w, rc, "list_all", &err);
        if (rc == HVD_OK && l->count > 0) {
            const hvd_domain_info *d =
                (const hvd_domain_info *)((const char *)l->entries + (size_t)(w->rounds % l->count) * l->entry_size);
            g_autofree char *key = g_strdup(d->key);
            hvd_domain_info *info = NULL;
            note(w, drv->domain->get_info(w->conn, key, 0, &info, &err), "get_info", &err);
            drv->free(info);
            int32_t state = 0, reason = 0;
            note(w, drv->domain->get_state(w->conn, key, 0, &state, &reason, &err), "get_state", &err);
            char *xml = NULL;
            note(w, drv->domain->get_xml(w->conn, key, 0, &xml, &err), "get_xml", &err);
            drv->free(xml);
        }
        drv->free(l);
        hvd_pool_list *pools = NULL;
        note(w, drv->storage->pool_list(w->conn, 0, &pools, &err), "pool_list", &err);
        drv->free(pools);
        if (w->id == 0 && w->expire_us > 0 && g_get_monotonic_time() >= w->next_expiry) {
            sim_control(w->sim, "POST", "/expire-sessions", NULL, NULL, NULL);
            w->next_expiry = g_get_monotonic_time() + w->expire_us;
        }
        w->rounds++;
    }
    return NULL;
}

static int
arg_int(const char *name, const char *v, int lo, int hi)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (end == v || *end != '\0' || n < lo || n > hi) {
        fprintf(stderr, "abi-soak: %s takes a number from %d to %d, not '%s'\n", name, lo, hi, v);
        exit(2);
    }
    return (int)n;
}

int
main(int argc, char **argv)
{
    int vms = 10000, seconds = 60, threads = 4, expire_every = 0;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) {
            fprintf(stderr, "abi-soak: %s needs a value\n", argv[i]);
            return 2;
        }
        if (strcmp(argv[i], "--vms") == 0)
            vms = arg_int(argv[i], argv[i + 1], 1, 100000);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = arg_int(argv[i], argv[i + 1], 4, 86400);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = arg_int(argv[i], argv[i + 1], 1, 64);
        else if (strcmp(argv[i], "--expire-every") == 0)
            expire_every = arg_int(argv[i], argv[i + 1], 0, 86400);
        else {
            fprintf(stderr, "abi-soak: unknown option %s (--vms, --seconds, --threads, --expire-every)\n", argv[i]);
            return 2;
        }
    }
    simconn_init();
    GError *error = NULL;
    sim_options so = { .model = "esx", .vms = vms };
    sim_instance *sim = sim_start(&so, &error);
    if (sim == NULL) {
        fprintf(stderr, "hvd-sim: %s\n", error->message);
        return 1;
    }
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    hvd_conn *conn = open_flags(sim, uri, 0);
    worker *w = g_new0(worker, threads);
    GThread **t = g_new0(GThread *, threads);
    gint64 until = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
    gint64 expire_us = (gint64)expire_every * G_USEC_PER_SEC;
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){ .conn = conn, .sim = sim, .until = until, .expire_us = expire_us, .id = i };
        w[i].next_expiry = g_get_monotonic_time() + expire_us;
        t[i] = g_thread_new("soak", run, &w[i]);
    }
    /* the first quarter warms up (the pool grows to one connection per
     * thread, the allocator to its working set) */
    g_usleep((gulong)seconds * G_USEC_PER_SEC / 4);
    long rss0 = test_rss_kib();
    int fds0 = test_open_fds();
    printf("start (after %d s of warm-up): %d VMs, %d threads through the ABI; RSS %.1f MiB, %d open descriptors\n",
           seconds / 4, vms, threads, rss0 / 1024.0, fds0);
    fflush(stdout);
    guint rounds = 0, errors = 0;
    guint64 calls = 0;
    for (int i = 0; i < threads; i++) {
        g_thread_join(t[i]);
        rounds += w[i].rounds;
        errors += w[i].errors;
        calls += w[i].calls;
    }
    long rss1 = test_rss_kib();
    int fds1 = test_open_fds();
    printf("end: %u rounds (%" G_GUINT64_FORMAT " ABI calls), %u errors; RSS %.1f MiB (%+.1f), %d open descriptors "
           "(%+d)\n",
           rounds, calls, errors, rss1 / 1024.0, (rss1 - rss0) / 1024.0, fds1, fds1 - fds0);
    g_free(w);
    g_free(t);
    drv->connect->close(conn);
    sim_stop(sim);
    simconn_done();
    return errors == 0 ? 0 : 1;
}
