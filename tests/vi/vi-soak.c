/* vi-soak — a soak run (a command, not a test): mixed calls against the
 * simulator for a bounded time, printing this process's RSS and open file
 * descriptors after a warm-up (the first quarter) and at the end; both
 * should stay flat.
 *
 *   vi-soak [--vms N] [--seconds S] [--threads T] [--expire-every E]
 *                                         (default 10000, 60, 4, 0: never)
 *
 * Each thread repeats: list every VM's name and power state (all pages),
 * one VM's properties, CurrentTime; one connection shared by the threads.
 * With --expire-every E the sessions are expired every E seconds (one
 * re-login each). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test-cost.h"
#include "simharness.h"
#include "vi/vi.h"

typedef struct {
    vi_conn *conn;
    sim_instance *sim;
    gint64 until;
    gint64 expire_us; /* 0: never */
    gint64 next_expiry;
    guint rounds;
    guint errors;
    int id;
} worker;

static gpointer
run(gpointer data)
{
    worker *w = data;
    static const char *const paths[] = { "name", "runtime.powerState", NULL };
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    while (g_get_monotonic_time() < w->until) {
        GError *error = NULL;
        vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
        spec.type = "VirtualMachine";
        spec.paths = paths;
        GPtrArray *vms = vi_collector_retrieve(w->conn, &spec, &error);
        if (vms != NULL && vms->len > 0) {
            vi_moref m;
            if (vi_object_moref(vms->pdata[w->rounds % vms->len], &m)) {
                vi_retrieve_spec one = VI_RETRIEVE_SPEC_INIT;
                one.type = "VirtualMachine";
                one.paths = paths;
                one.objects = &m;
                one.n_objects = 1;
                GPtrArray *o = vi_collector_retrieve(w->conn, &one, &error);
                if (o != NULL)
                    g_ptr_array_unref(o);
            }
        }
        if (vms != NULL)
            g_ptr_array_unref(vms);
        vi_value *t = error == NULL ? vi_call(w->conn, "CurrentTime", &si, NULL, &error) : NULL;
        vi_value_free(t);
        if (error != NULL) {
            w->errors++;
            if (w->errors <= 3)
                fprintf(stderr, "thread %d: %s\n", w->id, error->message);
            g_clear_error(&error);
        }
        if (w->id == 0 && w->expire_us > 0 && g_get_monotonic_time() >= w->next_expiry) {
            sim_control(w->sim, "POST", "/expire-sessions", NULL, NULL, NULL);
            w->next_expiry = g_get_monotonic_time() + w->expire_us;
        }
        w->rounds++;
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    int vms = 10000, seconds = 60, threads = 4, expire_every = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--vms") == 0)
            vms = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = CLAMP(atoi(argv[i + 1]), 1, 64);
        else if (strcmp(argv[i], "--expire-every") == 0)
            expire_every = atoi(argv[i + 1]);
    }
    GError *error = NULL;
    if (!vi_global_init(&error)) {
        fprintf(stderr, "vi_global_init: %s\n", error->message);
        return 1;
    }
    sim_options so = { .model = "esx", .vms = vms };
    sim_instance *sim = sim_start(&so, &error);
    if (sim == NULL) {
        fprintf(stderr, "hvd-sim: %s\n", error->message);
        return 1;
    }
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    vi_conn *conn = vi_conn_new(&o, &error);
    if (conn == NULL || !vi_session_login(conn, sim->username, sim->password, &error)) {
        fprintf(stderr, "connect: %s\n", error->message);
        return 1;
    }
    worker *w = g_new0(worker, threads);
    GThread **t = g_new0(GThread *, threads);
    gint64 until = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
    for (int i = 0; i < threads; i++) {
        gint64 expire_us = (gint64)MAX(expire_every, 0) * G_USEC_PER_SEC;
        w[i] = (worker){ conn, sim, until, expire_us, g_get_monotonic_time() + expire_us, 0, 0, i };
        t[i] = g_thread_new("soak", run, &w[i]);
    }
    /* the first quarter warms up (the pool grows to one connection per
     * thread, the allocator to its working set): the start figures are
     * taken after it, while the threads run */
    g_usleep((gulong)seconds * G_USEC_PER_SEC / 4);
    long rss0 = test_rss_kib();
    int fds0 = test_open_fds();
    printf("start (after %d s of warm-up): %d VMs, %d threads; RSS %.1f MiB, %d open descriptors\n", seconds / 4, vms,
           threads, rss0 / 1024.0, fds0);
    fflush(stdout);
    guint rounds = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        g_thread_join(t[i]);
        rounds += w[i].rounds;
        errors += w[i].errors;
    }
    long rss1 = test_rss_kib();
    int fds1 = test_open_fds();
    printf("end: %u rounds (%" G_GUINT64_FORMAT
           " round trips), %u errors; RSS %.1f MiB (%+.1f), %d open descriptors (%+d)\n",
           rounds, (guint64)vi_conn_round_trips(conn), errors, rss1 / 1024.0, (rss1 - rss0) / 1024.0, fds1,
           fds1 - fds0);
    g_free(w);
    g_free(t);
    vi_conn_free(conn);
    sim_stop(sim);
    vi_global_shutdown();
    return errors == 0 ? 0 : 1;
}
