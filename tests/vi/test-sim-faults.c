/* vi/ through the simulator's fault injection (POST /hvd-sim/faults,
 * tests/sim/faults.go): per request the server drops the connection before
 * or after the call, stalls, answers 500 or 503, truncates the body or
 * sends a valid fault. Each call ends within its limit (a 2 s stall_timeout;
 * every call is bounded by a 30 s deadline measured here) with an error
 * naming the cause, and the same connection serves the next call.
 * Read-only calls are resent once on a dropped keep-alive connection (the
 * server counts two); a call that changes state is never resent (one).
 * Suite: sim. */
#include <string.h>

#include "simharness.h"
#include "vi/vi.h"
#include "vi-test-util.h"

#define DEADLINE_S 30.0

typedef struct {
    sim_instance *sim;
    vi_conn *conn;
    vi_moref vm;
} fixture;

static void
setup(fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = 1 };
    f->sim = sim_start(&so, &error);
    g_assert_no_error(error);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = f->sim->url;
    o.stall_timeout_ms = 2000;
    f->conn = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(f->conn, f->sim->username, f->sim->password, &error));
    g_assert_no_error(error);
    static const char *const paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    g_autoptr(GPtrArray) vms = vi_collector_retrieve(f->conn, &spec, &error);
    g_assert_no_error(error);
    vi_moref m;
    g_assert_true(vi_object_moref(vms->pdata[0], &m));
    f->vm.type = g_strdup(m.type);
    f->vm.value = g_strdup(m.value);
}

static void
teardown(fixture *f, gconstpointer data)
{
    vi_conn_free(f->conn);
    sim_stop(f->sim);
    vi_moref_clear(&f->vm);
}

static void
arm(fixture *f, const char *method, const char *kind)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *body = g_strdup_printf("{\"method\":\"%s\",\"kind\":\"%s\"}", method, kind);
    g_assert_true(sim_control(f->sim, "POST", "/faults", body, NULL, &error));
    g_assert_no_error(error);
    g_assert_true(sim_control(f->sim, "POST", "/stats/reset", NULL, NULL, &error));
}

static vi_value *
current_time(fixture *f, double *seconds, GError **error)
{
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    gint64 start = g_get_monotonic_time();
    vi_value *v = vi_call(f->conn, "CurrentTime", &si, NULL, error);
    *seconds = (g_get_monotonic_time() - start) / 1e6;
    if (*seconds > DEADLINE_S)
        g_error("CurrentTime took %.1f s, past the %.0f s deadline", *seconds, DEADLINE_S);
    return v;
}

/* the connection serves the next call */
static void
next_call_works(fixture *f)
{
    g_autoptr(GError) error = NULL;
    double s;
    g_autoptr(vi_value) v = current_time(f, &s, &error);
    g_assert_no_error(error);
    g_assert_nonnull(v);
}

typedef struct {
    const char *kind;
    const char *says; /* NULL: the read-only call succeeds (resent once) */
    int server_calls;
} read_case;

static const read_case read_cases[] = {
    { "drop-before", NULL, 2 },
    { "drop-after", NULL, 2 },
    { "stall", "stalled: fewer than 100 bytes a second for 2 s (the limit stall_timeout)", 1 },
    { "500", "failed: HTTP status 500 (no SOAP answer: the server or a proxy in front of it failed)", 1 },
    { "503", "failed: HTTP status 503 (service unavailable, no SOAP answer", 1 },
    { "truncate", "the server closed the connection in the middle of its answer", 1 },
    { "fault", "failed: injected fault", 1 },
};

static void
test_read_only(fixture *f, gconstpointer data)
{
    const read_case *c = data;
    next_call_works(f); /* a keep-alive connection to drop */
    arm(f, "CurrentTime", c->kind);
    g_autoptr(GError) error = NULL;
    double s;
    g_autoptr(vi_value) v = current_time(f, &s, &error);
    g_test_message("%s: %.2f s, %s", c->kind, s, error ? error->message : "succeeded");
    if (c->says == NULL) {
        g_assert_no_error(error);
    } else {
        g_assert_null(v);
        g_assert_nonnull(error);
        if (strstr(error->message, c->says) == NULL)
            g_error("%s: '%s' lacks '%s'", c->kind, error->message, c->says);
    }
    g_assert_cmpint(vi_test_sim_calls(f->sim, "CurrentTime"), ==, c->server_calls);
    next_call_works(f);
}

/* A call that changes state is never resent: dropped after the server
 * carried it out, it fails saying so, and the server saw it once. */
static void
test_state_changing(fixture *f, gconstpointer data)
{
    const char *kind = data;
    next_call_works(f);
    arm(f, "PowerOnVM_Task", kind);
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time();
    g_autoptr(vi_moref) task = vi_call_moref(f->conn, "PowerOnVM_Task", &f->vm, NULL, &error);
    double s = (g_get_monotonic_time() - start) / 1e6;
    g_test_message("%s: %.2f s, %s", kind, s, error ? error->message : "succeeded");
    g_assert_null(task);
    g_assert_nonnull(error);
    g_assert_cmpfloat(s, <, DEADLINE_S);
    g_assert_nonnull(strstr(error->message, "it may or may not have been carried out"));
    g_assert_cmpint(vi_test_sim_calls(f->sim, "PowerOnVM_Task"), ==, 1);
    next_call_works(f);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(read_cases); i++) {
        g_autofree char *path = g_strdup_printf("/vi/sim-faults/read-only/%s", read_cases[i].kind);
        g_test_add(path, fixture, &read_cases[i], setup, test_read_only, teardown);
    }
    g_test_add("/vi/sim-faults/state-changing/drop-before", fixture, "drop-before", setup, test_state_changing,
               teardown);
    g_test_add("/vi/sim-faults/state-changing/drop-after", fixture, "drop-after", setup, test_state_changing, teardown);
    return vi_test_run();
}
