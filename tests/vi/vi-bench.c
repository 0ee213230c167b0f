/* vi-bench: how vi/ performs against the simulator, next to govmomi.
 *
 *   build/tests/vi/vi-bench [--vms N]... [--tls] [--reps N] [--threads-calls N]
 *
 * For each size (default 1,000 and 10,000 VMs) a child process (so that its
 * peak RSS is its own) starts hvd-sim, then prints: round trips and wall
 * time to connect; round trips, pages and wall time to fetch name, UUID,
 * power state, memory and vCPUs of every VM into compact records; peak RSS
 * (getrusage); the speedup of 8 threads over 1 issuing the same calls on
 * one connection; and the govmomi peer's figures on the same simulator.
 * A benchmark, not a test: it asserts nothing but correctness of counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "simharness.h"
#include "vi/vi.h"

typedef struct {
    const char *name; /* in the string chunk */
    char uuid[37];
    guint8 state; /* 0 off, 1 on, 2 suspended */
    guint8 vcpus;
    guint32 memory_mb;
} vm_record;

typedef struct {
    GArray *records;
    GStringChunk *names;
} list_ctx;

static const char *const vm_paths[] = {
    "name", "config.uuid", "runtime.powerState", "config.hardware.memoryMB", "config.hardware.numCPU", NULL
};

static gboolean
keep_vm(const vi_value *obj, gpointer ud, GError **error)
{
    list_ctx *c = ud;
    vm_record r = { 0 };
    const char *name = vi_object_get_string(obj, "name");
    const char *uuid = vi_object_get_string(obj, "config.uuid");
    const char *state = vi_object_get_string(obj, "runtime.powerState");
    gint64 mem = 0, cpus = 0;
    vi_object_get_int64(obj, "config.hardware.memoryMB", &mem);
    vi_object_get_int64(obj, "config.hardware.numCPU", &cpus);
    r.name = g_string_chunk_insert_const(c->names, name ? name : "");
    g_strlcpy(r.uuid, uuid ? uuid : "", sizeof r.uuid);
    r.state = g_strcmp0(state, "poweredOn") == 0 ? 1 : g_strcmp0(state, "suspended") == 0 ? 2 : 0;
    r.vcpus = (guint8)cpus;
    r.memory_mb = (guint32)mem;
    g_array_append_val(c->records, r);
    return TRUE;
}

static double
ms_since(gint64 t0)
{
    return (g_get_monotonic_time() - t0) / 1000.0;
}

static double
cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1000.0 + ru.ru_utime.tv_usec / 1000.0 + ru.ru_stime.tv_sec * 1000.0 +
           ru.ru_stime.tv_usec / 1000.0;
}

static long
peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

typedef struct {
    vi_conn *conn;
    GPtrArray *refs; /* NULL: call CurrentTime instead */
    guint calls;
    guint first;
    guint errors;
} call_job;

static gpointer
run_calls(gpointer data)
{
    call_job *j = data;
    static const char *const paths[] = { "name", "runtime.powerState", NULL };
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    for (guint i = 0; i < j->calls; i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(vi_value) o = NULL;
        if (j->refs)
            o = vi_collector_retrieve_one(j->conn, j->refs->pdata[(j->first + i) % j->refs->len], paths, &error);
        else
            o = vi_call(j->conn, "CurrentTime", &si, NULL, &error);
        if (!o)
            j->errors++;
    }
    return NULL;
}

/* CALLS calls spread over NTHREADS threads; returns wall ms. */
static double
timed_calls(vi_conn *conn, GPtrArray *refs, guint calls, guint nthreads, guint *errors)
{
    call_job jobs[16];
    GThread *th[16];
    gint64 t0 = g_get_monotonic_time();
    for (guint i = 0; i < nthreads; i++) {
        jobs[i] = (call_job){ conn, refs, calls / nthreads, i * 97, 0 };
        th[i] = g_thread_new("bench", run_calls, &jobs[i]);
    }
    for (guint i = 0; i < nthreads; i++) {
        g_thread_join(th[i]);
        *errors += jobs[i].errors;
    }
    return ms_since(t0);
}

static double
json_number(const char *json, const char *key)
{
    g_autofree char *k = g_strdup_printf("\"%s\":", key);
    const char *p = json ? strstr(json, k) : NULL;
    return p ? g_ascii_strtod(p + strlen(k), NULL) : -1;
}

/* One run of the govmomi peer: its JSON line, or NULL. */
static char *
run_peer(sim_instance *sim)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)HVD_SIM_PEER);
    g_ptr_array_add(argv, sim->url);
    if (sim->ca_file) {
        g_ptr_array_add(argv, (char *)"--ca");
        g_ptr_array_add(argv, sim->ca_file);
    } else {
        g_ptr_array_add(argv, (char *)"--insecure");
    }
    g_ptr_array_add(argv, NULL);
    char *out = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                      &error) ||
        !g_spawn_check_wait_status(status, &error)) {
        fprintf(stderr, "vi-bench: govmomi peer failed: %s\n", error ? error->message : "?");
        g_free(out);
        return NULL;
    }
    return g_strchomp(out);
}

typedef struct {
    double connect_ms, list_ms;
    guint64 connect_rt, list_rt;
    guint pages, vms;
} figures;

/* One vi/ run: a fresh connection, then the whole VM list into compact records. */
static gboolean
vi_run(sim_instance *sim, figures *f, vi_conn **conn_out, GError **error)
{
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.ca_file = sim->ca_file;
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(vi_conn) conn = vi_conn_new(&o, error);
    if (!conn || !vi_session_login(conn, sim->username, sim->password, error))
        return FALSE;
    f->connect_ms = ms_since(t0);
    f->connect_rt = vi_conn_round_trips(conn);

    list_ctx ctx = { g_array_new(FALSE, FALSE, sizeof(vm_record)), g_string_chunk_new(64 * 1024) };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = vm_paths;
    t0 = g_get_monotonic_time();
    gboolean ok = vi_collector_foreach(conn, &spec, keep_vm, &ctx, &f->pages, error);
    f->list_ms = ms_since(t0);
    f->list_rt = vi_conn_round_trips(conn) - f->connect_rt;
    f->vms = ctx.records->len;
    g_array_free(ctx.records, TRUE);
    g_string_chunk_free(ctx.names);
    if (ok && conn_out)
        *conn_out = g_steal_pointer(&conn);
    return ok;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, guint n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

static int
bench_one(int vms, gboolean tls, guint thread_calls, guint reps)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = vms, .tls = tls };
    gint64 t0 = g_get_monotonic_time();
    sim_instance *sim = sim_start(&so, &error);
    if (!sim) {
        fprintf(stderr, "vi-bench: %s\n", error->message);
        return 1;
    }
    printf("%d VMs over %s (simulator ready in %.1f s), median of %u runs each, "
           "vi/ and govmomi alternating\n",
           vms, sim->scheme, ms_since(t0) / 1000, reps);

    double vc[16], vl[16], gc[16], gl[16];
    figures f = { 0 };
    double g_rt = 0, g_crt = 0, g_vms = 0;
    vi_conn *conn = NULL;
    for (guint r = 0; r < reps; r++) {
        g_autofree char *peer = run_peer(sim);
        gc[r] = json_number(peer, "connect_ms");
        gl[r] = json_number(peer, "list_ms");
        g_rt = json_number(peer, "list_round_trips");
        g_crt = json_number(peer, "connect_round_trips");
        g_vms = json_number(peer, "vms");
        vi_conn_free(conn);
        conn = NULL;
        if (!vi_run(sim, &f, &conn, &error)) {
            fprintf(stderr, "vi-bench: %s\n", error->message);
            return 1;
        }
        vc[r] = f.connect_ms;
        vl[r] = f.list_ms;
    }
    printf("  connect  vi/: %" G_GUINT64_FORMAT " round trips, %7.1f ms   govmomi: %.0f round "
           "trips, %7.1f ms\n",
           f.connect_rt, median(vc, reps), g_crt, median(gc, reps));
    printf("  list     vi/: %" G_GUINT64_FORMAT " round trips (%u pages), %7.1f ms   govmomi: "
           "%.0f round trips, %7.1f ms   (%u / %.0f VMs)\n",
           f.list_rt, f.pages, median(vl, reps), g_rt, median(gl, reps), f.vms, g_vms);
    printf("  peak RSS vi/: %.1f MiB (this process: %u connects + lists)\n", peak_rss_kb() / 1024.0, reps);
    if ((int)f.vms != vms)
        fprintf(stderr, "vi-bench: expected %d VMs, got %u\n", vms, f.vms);

    /* threads: the same calls from 1 and from 8 threads on one connection */
    g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func((GDestroyNotify)vi_moref_free);
    vi_retrieve_spec few = VI_RETRIEVE_SPEC_INIT;
    few.type = "VirtualMachine";
    static const char *const name_only[] = { "name", NULL };
    few.paths = name_only;
    few.page_size = 100;
    g_autoptr(GPtrArray) some = vi_collector_retrieve(conn, &few, &error);
    for (guint i = 0; some && i < some->len && i < 100; i++) {
        vi_moref m;
        if (vi_object_moref(some->pdata[i], &m))
            g_ptr_array_add(refs, vi_moref_copy(&m));
    }
    for (int kind = 0; kind < 2; kind++) {
        guint errors = 0;
        GPtrArray *r = kind ? refs : NULL;
        double c0 = cpu_ms();
        double one = timed_calls(conn, r, thread_calls, 1, &errors);
        double c1 = cpu_ms();
        double eight = timed_calls(conn, r, thread_calls, 8, &errors);
        double c8 = cpu_ms() - c1;
        printf("  threads  vi/: %u %s: 1 thread %.0f ms, 8 threads %.0f ms, speedup %.2fx"
               " (%u errors; vi/ CPU %.0f / %.0f ms)\n",
               thread_calls, kind ? "VM property retrievals" : "CurrentTime calls", one, eight, one / eight, errors,
               c1 - c0, c8);
    }
    printf("           (client and simulator share this machine's %u cores)\n", g_get_num_processors());
    vi_conn_free(conn);
    sim_stop(sim);
    return 0;
}

int
main(int argc, char **argv)
{
    g_autoptr(GArray) sizes = g_array_new(FALSE, FALSE, sizeof(int));
    gboolean tls = FALSE, child = FALSE;
    guint thread_calls = 2000, reps = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--vms") == 0 && i + 1 < argc) {
            int n = atoi(argv[++i]);
            g_array_append_val(sizes, n);
        } else if (strcmp(argv[i], "--tls") == 0) {
            tls = TRUE;
        } else if (strcmp(argv[i], "--child") == 0) {
            child = TRUE;
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            int n = atoi(argv[++i]);
            reps = CLAMP(n, 1, 16);
        } else if (strcmp(argv[i], "--threads-calls") == 0 && i + 1 < argc) {
            thread_calls = (guint)atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: vi-bench [--vms N]... [--tls] [--reps N] [--threads-calls N]\n");
            return 2;
        }
    }
    if (child) {
        g_autoptr(GError) error = NULL;
        if (!vi_global_init(&error)) {
            fprintf(stderr, "vi-bench: %s\n", error->message);
            return 1;
        }
        int crc = bench_one(g_array_index(sizes, int, 0), tls, thread_calls, reps);
        vi_global_shutdown();
        return crc;
    }
    if (!sizes->len) {
        int d[] = { 1000, 10000 };
        g_array_append_vals(sizes, d, 2);
    }
    /* one child per size: each peak RSS is that run's alone */
    int rc = 0;
    for (guint i = 0; i < sizes->len; i++) {
        g_autofree char *n = g_strdup_printf("%d", g_array_index(sizes, int, i));
        g_autofree char *calls = g_strdup_printf("%u", thread_calls);
        g_autofree char *nreps = g_strdup_printf("%u", reps);
        char *cargv[] = { argv[0],
                          (char *)"--child",
                          (char *)"--vms",
                          n,
                          (char *)"--threads-calls",
                          calls,
                          (char *)"--reps",
                          nreps,
                          tls ? (char *)"--tls" : NULL,
                          NULL };
        int status = 0;
        g_autoptr(GError) error = NULL;
        fflush(stdout);
        if (!g_spawn_sync(NULL, cargv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status, &error) ||
            !g_spawn_check_wait_status(status, &error)) {
            fprintf(stderr, "vi-bench: run with %s VMs failed: %s\n", n, error->message);
            rc = 1;
        }
    }
    return rc;
}
