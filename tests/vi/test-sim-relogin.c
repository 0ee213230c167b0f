/* The session ends in the middle of a multi-page listing: between two
 * pages (the simulator's "expire-sessions" fault on
 * ContinueRetrievePropertiesEx, tests/sim/faults.go), or because another
 * user of the connection logged in again. The continuation token died with
 * the session, so the collector logs in again once and restarts the listing
 * from its first page, once; each object reaches the caller once. A second
 * loss in the same listing, or a password changed meanwhile, ends it with a
 * clear error and no loop (the server's Login count says so). 25 VMs in
 * pages of 10 (the simulator's cap): 3 pages. Suite: sim. */
#include <string.h>

#include "simharness.h"
#include "vi/vi.h"
#include "vi-test-util.h"

#define N_VMS 25

typedef struct {
    sim_instance *sim;
    vi_conn *conn;
} fixture;

static void
setup(fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = N_VMS, .page_size = 10 };
    f->sim = sim_start(&so, &error);
    g_assert_no_error(error);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = f->sim->url;
    f->conn = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(f->conn, f->sim->username, f->sim->password, &error));
    g_assert_no_error(error);
}

static void
teardown(fixture *f, gconstpointer data)
{
    vi_conn_free(f->conn);
    sim_stop(f->sim);
}

/* Sessions end when the (AFTER+1)th ContinueRetrievePropertiesEx arrives,
 * COUNT times; the stats start from zero. */
static void
arm_expiry(fixture *f, int after, int count)
{
    g_autofree char *body = g_strdup_printf(
        "{\"method\":\"ContinueRetrievePropertiesEx\",\"kind\":\"expire-sessions\",\"after\":%d,\"count\":%d}", after,
        count);
    vi_test_sim_post(f->sim, "/faults", body);
    vi_test_sim_post(f->sim, "/stats/reset", NULL);
}

/* Nothing left armed: the fault fired as many times as the test expects. */
static void
assert_disarmed(fixture *f)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *armed = NULL;
    g_assert_true(sim_control(f->sim, "GET", "/faults", NULL, &armed, &error));
    g_assert_no_error(error);
    g_strstrip(armed);
    if (strcmp(armed, "null") != 0 && strcmp(armed, "[]") != 0)
        g_error("faults still armed: %s", armed);
}

typedef struct {
    fixture *f;
    guint count;
    GHashTable *names;
    gboolean relogin_in_callback; /* once, at the 12th object (page 2) */
} walk;

static gboolean
take(const vi_value *obj, gpointer ud, GError **error)
{
    walk *w = ud;
    const char *name = vi_object_get_string(obj, "name");
    g_assert_nonnull(name);
    if (!g_hash_table_add(w->names, g_strdup(name)))
        g_error("%s handed over twice", name);
    if (++w->count == 12 && w->relogin_in_callback) {
        /* another user of the connection finds the session gone and logs
         * in again: the listing's token belonged to the old session */
        vi_test_sim_post(w->f->sim, "/expire-sessions", NULL);
        vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
        g_autoptr(GError) e = NULL;
        g_autoptr(vi_value) t = vi_call(w->f->conn, "CurrentTime", &si, NULL, &e);
        g_assert_no_error(e);
        g_assert_nonnull(t);
    }
    return TRUE;
}

static gboolean
list(fixture *f, walk *w, GError **error)
{
    static const char *const paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    w->f = f;
    w->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    guint pages = 0;
    gboolean ok = vi_collector_foreach(f->conn, &spec, take, w, &pages, error);
    g_test_message("%u objects in %u pages: %s", w->count, pages, ok ? "ok" : (*error)->message);
    return ok;
}

/* Expired between pages 1 and 2 (AFTER 0) or 2 and 3 (AFTER 1): one
 * re-login, the listing restarted, every VM once. */
static void
test_restart(fixture *f, gconstpointer data)
{
    int after = GPOINTER_TO_INT(data);
    arm_expiry(f, after, 1);
    g_autoptr(GError) error = NULL;
    walk w = { 0 };
    g_assert_true(list(f, &w, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(w.count, ==, N_VMS);
    g_assert_cmpuint(g_hash_table_size(w.names), ==, N_VMS);
    g_hash_table_destroy(w.names);
    assert_disarmed(f);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 1);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "RetrievePropertiesEx"), ==, 2);
    /* the failed continuation, then pages 2 and 3 of the second pass */
    g_assert_cmpint(vi_test_sim_calls(f->sim, "ContinueRetrievePropertiesEx"), ==, after + 1 + 2);

    /* the connection goes on with the new session */
    w = (walk){ 0 };
    g_assert_true(list(f, &w, &error));
    g_assert_cmpuint(w.count, ==, N_VMS);
    g_hash_table_destroy(w.names);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 1);
}

/* vi_collector_retrieve() restarts with an empty array: N_VMS objects, not
 * those of the first pass too. */
static void
test_restart_collect(fixture *f, gconstpointer data)
{
    arm_expiry(f, 0, 1);
    static const char *const paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) all = vi_collector_retrieve(f->conn, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(all->len, ==, N_VMS);
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < all->len; i++)
        g_assert_true(g_hash_table_add(names, (char *)vi_object_get_string(all->pdata[i], "name")));
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 1);
    assert_disarmed(f);
}

/* Another user of the connection logged in again during the listing: the
 * token is unknown to the new session (InvalidArgument), and the listing
 * restarts without a login of its own. */
static void
test_other_relogin(fixture *f, gconstpointer data)
{
    vi_test_sim_post(f->sim, "/stats/reset", NULL);
    g_autoptr(GError) error = NULL;
    walk w = { .relogin_in_callback = TRUE };
    g_assert_true(list(f, &w, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(g_hash_table_size(w.names), ==, N_VMS);
    g_hash_table_destroy(w.names);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 1); /* CurrentTime's re-login only */
    g_assert_cmpint(vi_test_sim_calls(f->sim, "RetrievePropertiesEx"), ==, 2);
}

/* Lost again in the restarted listing: an error that says so, after one
 * re-login per loss and no third pass. */
static void
test_lost_twice(fixture *f, gconstpointer data)
{
    arm_expiry(f, 0, 2);
    g_autoptr(GError) error = NULL;
    walk w = { 0 };
    g_assert_false(list(f, &w, &error));
    g_hash_table_destroy(w.names);
    g_assert_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED);
    g_assert_nonnull(strstr(error->message, "ended again during a listing that had already been restarted once"));
    g_assert_nonnull(strstr(error->message, f->sim->host));
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 1);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "RetrievePropertiesEx"), ==, 2);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "ContinueRetrievePropertiesEx"), ==, 2);
    assert_disarmed(f);
}

/* The password changed meanwhile: the one re-login fails with a login
 * error naming the cause, and nothing is tried again. */
static void
test_password_changed(fixture *f, gconstpointer data)
{
    arm_expiry(f, 0, 1);
    vi_test_sim_post(f->sim, "/password", "{\"password\":\"changed-meanwhile\"}");
    g_autoptr(GError) error = NULL;
    walk w = { 0 };
    g_assert_false(list(f, &w, &error));
    g_hash_table_destroy(w.names);
    g_assert_error(error, VI_ERROR, VI_ERROR_LOGIN);
    g_assert_nonnull(strstr(error->message, "expired and logging in again failed"));
    g_assert_nonnull(strstr(error->message, "incorrect user name or password"));
    g_assert_null(strstr(error->message, "changed-meanwhile"));
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 1);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "ContinueRetrievePropertiesEx"), ==, 1);

    /* and the next call fails the same way, once, without looping */
    g_clear_error(&error);
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    g_autoptr(vi_value) t = vi_call(f->conn, "CurrentTime", &si, NULL, &error);
    g_assert_null(t);
    g_assert_error(error, VI_ERROR, VI_ERROR_LOGIN);
    g_assert_cmpint(vi_test_sim_calls(f->sim, "Login"), ==, 2);
}

/* Bad input to the fault endpoint is refused with a reason. */
static void
test_bad_arm(fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_assert_false(sim_control(
        f->sim, "POST", "/faults",
        "{\"method\":\"ContinueRetrievePropertiesEx\",\"kind\":\"expire-sessions\",\"after\":-1}", NULL, &error));
    g_assert_nonnull(strstr(error->message, "after must be 0 or more"));
    g_clear_error(&error);
    g_assert_false(sim_control(f->sim, "POST", "/password", "{\"password\":\"\"}", NULL, &error));
    g_assert_nonnull(strstr(error->message, "non-empty"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/vi/sim-relogin/restart-after-page-1", fixture, GINT_TO_POINTER(0), setup, test_restart, teardown);
    g_test_add("/vi/sim-relogin/restart-after-page-2", fixture, GINT_TO_POINTER(1), setup, test_restart, teardown);
    g_test_add("/vi/sim-relogin/restart-collect", fixture, NULL, setup, test_restart_collect, teardown);
    g_test_add("/vi/sim-relogin/other-relogin", fixture, NULL, setup, test_other_relogin, teardown);
    g_test_add("/vi/sim-relogin/lost-twice", fixture, NULL, setup, test_lost_twice, teardown);
    g_test_add("/vi/sim-relogin/password-changed", fixture, NULL, setup, test_password_changed, teardown);
    g_test_add("/vi/sim-relogin/bad-arm", fixture, NULL, setup, test_bad_arm, teardown);
    return vi_test_run();
}
