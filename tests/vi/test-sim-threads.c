/* vi/ from 8 threads on one connection: every call correct, and a session
 * expiry in the middle costs exactly one re-login; threads reading the
 * session while others log in again (race-free under ThreadSanitizer: the
 * session is read under its lock). Suite: sim. (The speedup is measured by
 * vi-bench, not asserted here.) */
#include <string.h>

#include "simharness.h"
#include "vi/vi.h"
#include "vi-test-util.h"

#define THREADS 8
#define ROUNDS  25

typedef struct {
    vi_conn *conn;
    GPtrArray *refs;      /* vi_moref * */
    GHashTable *expected; /* moref value -> "name|uuid|state" */
    gint failures;
    gint done; /* calls completed */
    GMutex lock;
    GString *first_error;
} shared;

static char *
summary_of(const vi_value *o)
{
    return g_strdup_printf("%s|%s|%s", vi_object_get_string(o, "name"), vi_object_get_string(o, "config.uuid"),
                           vi_object_get_string(o, "runtime.powerState"));
}

static const char *const paths[] = { "name", "config.uuid", "runtime.powerState", NULL };

static gpointer
worker(gpointer data)
{
    shared *s = data;
    for (int r = 0; r < ROUNDS; r++) {
        for (guint i = 0; i < s->refs->len; i++) {
            const vi_moref *m = s->refs->pdata[(i + r) % s->refs->len];
            g_autoptr(GError) error = NULL;
            g_autoptr(vi_value) o = vi_collector_retrieve_one(s->conn, m, paths, &error);
            g_autofree char *got = o ? summary_of(o) : NULL;
            g_atomic_int_inc(&s->done);
            if (!o || g_strcmp0(got, g_hash_table_lookup(s->expected, m->value)) != 0) {
                g_atomic_int_inc(&s->failures);
                g_mutex_lock(&s->lock);
                if (!s->first_error->len)
                    g_string_printf(s->first_error, "%s: %s", m->value, error ? error->message : got);
                g_mutex_unlock(&s->lock);
            }
        }
    }
    return NULL;
}

/* An ESX simulator with VMS VMs. */
static sim_instance *
start(int vms)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = vms };
    sim_instance *sim = sim_start(&so, &error);
    g_assert_no_error(error);
    return sim;
}

/* A connection to SIM, logged in. */
static vi_conn *
login(sim_instance *sim)
{
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    vi_conn *conn = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(conn, sim->username, sim->password, &error));
    g_assert_no_error(error);
    return conn;
}

static void
test_threads(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = start(8);
    g_autoptr(vi_conn) conn = login(sim);

    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    g_autoptr(GPtrArray) vms = vi_collector_retrieve(conn, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(vms->len, ==, 8);

    shared s = { .conn = conn };
    s.refs = g_ptr_array_new_with_free_func((GDestroyNotify)vi_moref_free);
    s.expected = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s.first_error = g_string_new(NULL);
    g_mutex_init(&s.lock);
    for (guint i = 0; i < vms->len; i++) {
        vi_moref m;
        g_assert_true(vi_object_moref(vms->pdata[i], &m));
        g_ptr_array_add(s.refs, vi_moref_copy(&m));
        g_hash_table_insert(s.expected, g_strdup(m.value), summary_of(vms->pdata[i]));
    }

    g_assert_true(sim_control(sim, "POST", "/stats/reset", NULL, NULL, &error));
    GThread *th[THREADS];
    for (int i = 0; i < THREADS; i++)
        th[i] = g_thread_new("worker", worker, &s);
    /* every session dies while the workers run: a third of the way in */
    while (g_atomic_int_get(&s.done) < THREADS * ROUNDS * 8 / 3)
        g_usleep(1000);
    g_assert_true(sim_control(sim, "POST", "/expire-sessions", NULL, NULL, &error));
    g_assert_no_error(error);
    for (int i = 0; i < THREADS; i++)
        g_thread_join(th[i]);

    g_assert_cmpstr(s.first_error->str, ==, "");
    g_assert_cmpint(s.failures, ==, 0);

    g_autofree char *stats = NULL;
    g_assert_true(sim_control(sim, "GET", "/stats", NULL, &stats, &error));
    g_assert_no_error(error);
    /* one re-login for all 8 threads */
    g_assert_nonnull(strstr(stats, "\"Login\":1"));

    g_ptr_array_free(s.refs, TRUE);
    g_hash_table_destroy(s.expected);
    g_string_free(s.first_error, TRUE);
    g_mutex_clear(&s.lock);
}

#define READERS  4
#define EXPIRIES 20

typedef struct {
    vi_conn *conn;
    const char *user;
    gint stop;
    gint reads;
    gint failures;
} readers_state;

static gpointer
session_reader(gpointer data)
{
    readers_state *st = data;
    while (!g_atomic_int_get(&st->stop)) {
        g_autoptr(GError) error = NULL;
        gboolean active = FALSE;
        gboolean ok = vi_session_is_active(st->conn, &active, &error);
        g_autoptr(vi_UserSession) us = vi_conn_dup_user_session(st->conn);
        if (!ok || !us || g_strcmp0(us->userName, st->user) != 0)
            g_atomic_int_inc(&st->failures);
        g_atomic_int_inc(&st->reads);
    }
    return NULL;
}

/* Readers of the session (is_active, a copy of the user session) while
 * the main thread's calls log in again after each of 20 expiries. */
static void
test_session_reads_during_relogins(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = start(-1);
    g_autoptr(vi_conn) conn = login(sim);

    readers_state st = { .conn = conn, .user = sim->username };
    GThread *th[READERS];
    for (int i = 0; i < READERS; i++)
        th[i] = g_thread_new("reader", session_reader, &st);
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    for (int i = 0; i < EXPIRIES; i++) {
        g_assert_true(sim_control(sim, "POST", "/expire-sessions", NULL, NULL, &error));
        g_autoptr(vi_value) t = vi_call(conn, "CurrentTime", &si, NULL, &error);
        g_assert_no_error(error);
        g_assert_nonnull(t);
    }
    g_atomic_int_set(&st.stop, 1);
    for (int i = 0; i < READERS; i++)
        g_thread_join(th[i]);
    g_test_message("%d session reads during %d re-logins", st.reads, EXPIRIES);
    g_assert_cmpint(st.reads, >, 0);
    g_assert_cmpint(st.failures, ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/sim/threads/8-threads-one-connection", test_threads);
    g_test_add_func("/vi/sim/threads/session-reads-during-relogins", test_session_reads_during_relogins);
    return vi_test_run();
}
