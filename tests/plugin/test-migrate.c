/* Migration through a vCenter against the simulator (vc model: cluster
 * DC0_C0 of 3 hosts and the standalone host DC0_H0): check and perform,
 * the VM's host read back from the server (control endpoint) and through a
 * second connection to the destination, the pre-check's problems each
 * named, every refusal before anything moves, and get_progress / cancel
 * from another thread while perform runs. */
#include "simconn.h"

#include <json-c/json.h>
#include <string.h>

#define VM "DC0_C0_RP0_VM0"

static hvd_param
sparam(const char *name, const char *value)
{
    hvd_param p = { .struct_size = sizeof(hvd_param), .type = HVD_PARAM_STRING, .s = value };
    g_strlcpy(p.name, name, sizeof(p.name));
    return p;
}

/* FIELD of GET /vm-host for VM ("host", "pool"). */
static char *
vm_host(sim_instance *sim, const char *vm, const char *field)
{
    g_autofree char *path = g_strdup_printf("/vm-host?vm=%s", vm);
    g_autofree char *out = NULL;
    control(sim, "GET", path, NULL, &out);
    json_object *o = json_tokener_parse(out);
    json_object *v = NULL;
    g_assert_true(json_object_object_get_ex(o, field, &v));
    char *s = g_strdup(json_object_get_string(v));
    json_object_put(o);
    return s;
}

static char *
vpx_uri(sim_instance *sim, const char *path)
{
    return g_strdup_printf("vpx://%s:%d/DC0/%s?transport=http", sim->host, sim->port, path);
}

/* A host of the cluster other than `not`. */
static const char *
other_cluster_host(const char * not )
{
    return strcmp(not, "DC0_C0_H1") == 0 ? "DC0_C0_H2" : "DC0_C0_H1";
}

/* A connection to the host the VM runs on now. */
static hvd_conn *
open_at_vm(sim_instance *sim, const char *vm)
{
    g_autofree char *host = vm_host(sim, vm, "host");
    g_autofree char *path = g_str_has_prefix(host, "DC0_C0_") ? g_strdup_printf("DC0_C0/%s", host) : g_strdup(host);
    g_autofree char *uri = vpx_uri(sim, path);
    return open_flags(sim, uri, 0);
}

/* A vc simulator, VM's key, its host, a destination in the cluster and a
 * connection to the VM's host. */
typedef struct {
    sim_instance *sim;
    char *key;
    char *from;
    const char *to;
    char *to_path;
    char *dest;
    hvd_conn *conn;
} fixture;

static void
setup(fixture *f)
{
    g_autofree char *uri = NULL;
    f->sim = start("vc", &uri);
    f->key = server_vm(f->sim, VM, "vm");
    f->from = vm_host(f->sim, VM, "host");
    f->to = other_cluster_host(f->from);
    f->to_path = g_strdup_printf("DC0_C0/%s", f->to);
    f->dest = vpx_uri(f->sim, f->to_path);
    f->conn = open_at_vm(f->sim, VM);
}

static void
teardown(fixture *f)
{
    if (f->conn != NULL)
        drv->connect->close(f->conn);
    g_free(f->key);
    g_free(f->from);
    g_free(f->to_path);
    g_free(f->dest);
    sim_stop(f->sim);
}

static int32_t
migrate(hvd_conn *conn, gboolean dry, const char *key, const char *dest, uint32_t flags, hvd_error *err)
{
    hvd_param p = sparam(HVD_MIGRATE_PARAM_DEST_URI, dest);
    if (dry)
        return drv->migrate->check(conn, key, &p, 1, flags, err);
    return drv->migrate->perform(conn, key, &p, 1, flags, NULL, err);
}

/* check moves nothing; perform moves the VM within the cluster (it keeps
 * its pool), then to the standalone host (the pool of DC0_H0); a second
 * connection to the destination sees it there. */
static void
test_move(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start("vc", &uri);
    g_assert_nonnull(drv->migrate);
    g_assert_true((drv->capabilities & HVD_CAP_MIGRATE) != 0);
    g_autofree char *key = server_vm(sim, VM, "vm");
    g_autofree char *from = vm_host(sim, VM, "host");
    g_autofree char *pool = vm_host(sim, VM, "pool");
    const char *to = other_cluster_host(from);
    g_autofree char *to_path = g_strdup_printf("DC0_C0/%s", to);
    g_autofree char *dest = vpx_uri(sim, to_path);
    hvd_conn *conn = open_at_vm(sim, VM);
    hvd_error err = HVD_ERROR_INIT;

    /* the dry run: CheckMigrate_Task only */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    if (migrate(conn, TRUE, key, dest, 0, &err) != HVD_OK)
        g_error("check: %s", err.message);
    g_assert_cmpint(calls(sim, "CheckMigrate_Task"), ==, 1);
    g_assert_cmpint(calls(sim, "MigrateVM_Task"), ==, 0);
    int check_calls = calls(sim, NULL);
    g_autofree char *still = vm_host(sim, VM, "host");
    g_assert_cmpstr(still, ==, from);

    /* within the cluster */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    if (migrate(conn, FALSE, key, dest, 0, &err) != HVD_OK)
        g_error("perform: %s", err.message);
    int perform_calls = calls(sim, NULL);
    g_test_message("requests: check %d, perform %d", check_calls, perform_calls);
    /* docs/migration.md's "Cost": the plan 5, CheckMigrate_Task and one look
     * at the finished task 2; MigrateVM_Task (not delayed here) 2 more */
    g_assert_cmpint(check_calls, ==, 7);
    g_assert_cmpint(perform_calls, ==, 9);
    g_autofree char *now = vm_host(sim, VM, "host");
    g_assert_cmpstr(now, ==, to);
    g_autofree char *pool_now = vm_host(sim, VM, "pool");
    g_assert_cmpstr(pool_now, ==, pool);
    g_autofree char *to_uri = vpx_uri(sim, to_path);
    hvd_conn *there = open_flags(sim, to_uri, 0);
    hvd_domain_info *info = NULL;
    if (drv->domain->lookup_by_name(there, VM, 0, &info, &err) != HVD_OK)
        g_error("%s not on %s: %s", VM, to, err.message);
    g_assert_cmpstr(info->key, ==, key);
    drv->free(info);
    drv->connect->close(conn);

    /* to the standalone host: another compute resource, its root pool */
    g_autofree char *h0 = vpx_uri(sim, "DC0_H0");
    if (migrate(there, FALSE, key, h0, 0, &err) != HVD_OK)
        g_error("perform to DC0_H0: %s", err.message);
    g_autofree char *last = vm_host(sim, VM, "host");
    g_assert_cmpstr(last, ==, "DC0_H0");
    g_autofree char *pool_h0 = vm_host(sim, "DC0_H0_VM0", "pool");
    g_autofree char *pool_last = vm_host(sim, VM, "pool");
    g_assert_cmpstr(pool_last, ==, pool_h0);

    /* a live migration of a running VM back into the cluster */
    hvd_conn *h0conn = open_flags(sim, h0, 0);
    if (migrate(h0conn, FALSE, key, dest, HVD_MIGRATE_LIVE, &err) != HVD_OK)
        g_error("live perform: %s", err.message);
    g_autofree char *back = vm_host(sim, VM, "host");
    g_assert_cmpstr(back, ==, to);
    drv->connect->close(h0conn);
    drv->connect->close(there);
}

/* Every refusal comes before anything moves, naming the cause. */
static void
test_refused(void)
{
    fixture f = { 0 };
    setup(&f);
    sim_instance *sim = f.sim;
    const char *key = f.key, *from = f.from, *to_path = f.to_path, *dest = f.dest;
    hvd_conn *conn = f.conn;
    hvd_error err = HVD_ERROR_INIT;
    control(sim, "POST", "/stats/reset", NULL, NULL);

    assert_error(migrate(conn, FALSE, "vm-nosuch", dest, 0, &err), &err, HVD_ERR_NO_DOMAIN, "vm-nosuch");
    assert_error(migrate(conn, TRUE, "vm-nosuch", dest, 0, &err), &err, HVD_ERR_NO_DOMAIN, "vm-nosuch");
    assert_error(drv->migrate->perform(conn, key, NULL, 0, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "give the parameter dest_uri");
    hvd_param bad[2] = { sparam(HVD_MIGRATE_PARAM_DEST_URI, dest), sparam("bandwidth", "10") };
    assert_error(drv->migrate->perform(conn, key, bad, 2, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "unknown parameter 'bandwidth'");
    bad[1] = sparam(HVD_MIGRATE_PARAM_DEST_NAME, "renamed");
    assert_error(drv->migrate->perform(conn, key, bad, 2, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "ESX cannot rename a domain");
    bad[1] = sparam(HVD_MIGRATE_PARAM_PRIORITY, "urgent");
    assert_error(drv->migrate->perform(conn, key, bad, 2, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "priority 'urgent' is not one of default, high, low");
    bad[1] = sparam(HVD_MIGRATE_PARAM_DEST_NAME, VM); /* the same name is fine */
    g_assert_cmpint(drv->migrate->check(conn, key, bad, 2, 0, &err), ==, HVD_OK);
    assert_error(migrate(conn, FALSE, key, dest, 0x80, &err), &err, HVD_ERR_BAD_FLAGS, "");

    /* esx:// without vcenter=, gsx://, a path naming no host, the same host */
    g_autofree char *esx = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    assert_error(migrate(conn, FALSE, key, esx, 0, &err), &err, HVD_ERR_URI, "add vcenter=*");
    assert_error(migrate(conn, FALSE, key, "gsx://server.example.com/", 0, &err), &err, HVD_ERR_URI,
                 "is a VMware Server");
    assert_error(migrate(conn, FALSE, key, "not a uri", 0, &err), &err, HVD_ERR_URI, "dest_uri");
    g_autofree char *nohost = vpx_uri(sim, "DC0_C0/nosuch");
    assert_error(migrate(conn, FALSE, key, nohost, 0, &err), &err, HVD_ERR_NO_HOST, "no host named 'nosuch'");
    g_autofree char *from_path = g_strdup_printf("DC0_C0/%s", from);
    g_autofree char *same = vpx_uri(sim, from_path);
    assert_error(migrate(conn, FALSE, key, same, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "already runs on host");

    /* a destination under another vCenter: a second simulator */
    g_autofree char *uri2 = NULL;
    g_autoptr(sim_instance) other = start("vc", &uri2);
    g_autofree char *foreign = vpx_uri(other, to_path);
    assert_error(migrate(conn, FALSE, key, foreign, 0, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "must be managed by the same vCenter");
    g_assert_nonnull(strstr(err.message, "nothing was moved"));
    assert_error(migrate(conn, TRUE, key, foreign, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "same vCenter");
    g_autofree char *foreign_esx =
        g_strdup_printf("esx://%s:%d/?transport=http&vcenter=%s", other->host, other->port, other->host);
    assert_error(migrate(conn, FALSE, key, foreign_esx, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "same vCenter");

    /* live needs a running domain */
    control(sim, "POST", "/vm", "{\"vm\":\"" VM "\",\"power\":\"poweredOff\"}", NULL);
    assert_error(migrate(conn, FALSE, key, dest, HVD_MIGRATE_LIVE, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "a live migration moves a running domain");

    /* read-only connections may check, not move */
    g_autofree char *ro_uri = vpx_uri(sim, from_path);
    hvd_conn *ro = open_flags(sim, ro_uri, HVD_CONNECT_READONLY);
    g_assert_cmpint(migrate(ro, TRUE, key, dest, 0, &err), ==, HVD_OK);
    assert_error(migrate(ro, FALSE, key, dest, 0, &err), &err, HVD_ERR_ACCESS_DENIED, "read-only");
    drv->connect->close(ro);

    g_assert_cmpint(calls(sim, "MigrateVM_Task"), ==, 0);
    g_autofree char *still = vm_host(sim, VM, "host");
    g_assert_cmpstr(still, ==, from);

    /* esx:// without vcenter= as the source */
    g_autofree char *esx_uri = NULL;
    g_autoptr(sim_instance) esxsim = start("esx", &esx_uri);
    hvd_conn *econn = open_flags(esxsim, esx_uri, 0);
    g_autofree char *ekey = server_vm(esxsim, "ha-host_VM0", "vm");
    assert_error(migrate(econn, FALSE, ekey, dest, 0, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "migration needs a vCenter");
    g_assert_nonnull(strstr(err.message, "?vcenter=*"));
    drv->connect->close(econn);
    teardown(&f);
}

/* The pre-check: a destination that cannot reach the VM's datastore and
 * network, or is in maintenance mode, is refused naming each problem. */
static void
test_precheck(void)
{
    fixture f = { 0 };
    setup(&f);
    sim_instance *sim = f.sim;
    const char *key = f.key, *from = f.from, *to = f.to, *dest = f.dest;
    hvd_conn *conn = f.conn;
    hvd_error err = HVD_ERROR_INIT;

    g_autofree char *cut =
        g_strdup_printf("{\"host\":\"%s\",\"datastore\":\"LocalDS_0\",\"network\":\"DC0_DVPG0\"}", to);
    control(sim, "POST", "/host-access", cut, NULL);
    for (int dry = 1; dry >= 0; dry--) {
        assert_error(migrate(conn, dry, key, dest, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "found 2 problems");
        g_assert_nonnull(strstr(err.message, "Datastore 'LocalDS_0'"));
        g_assert_nonnull(strstr(err.message, "DatastoreNotWritableOnHost"));
        g_assert_nonnull(strstr(err.message, "network 'DC0_DVPG0'"));
        g_assert_nonnull(strstr(err.message, to));
    }
    g_autofree char *back = g_strdup_printf("{\"host\":\"%s\",\"datastore\":\"LocalDS_0\",\"access\":true}", to);
    control(sim, "POST", "/host-access", back, NULL);
    assert_error(migrate(conn, TRUE, key, dest, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "found 1 problem");
    g_assert_null(strstr(err.message, "LocalDS_0"));
    g_autofree char *back2 =
        g_strdup_printf("{\"host\":\"%s\",\"network\":\"DC0_DVPG0\",\"access\":true,\"maintenance\":true}", to);
    control(sim, "POST", "/host-access", back2, NULL);
    assert_error(migrate(conn, FALSE, key, dest, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "maintenance mode");
    g_assert_cmpint(calls(sim, "MigrateVM_Task"), ==, 0);
    g_autofree char *still = vm_host(sim, VM, "host");
    g_assert_cmpstr(still, ==, from);
    teardown(&f);
}

/* ---- get_progress and cancel from another thread ------------------------ */

typedef struct {
    hvd_conn *conn;
    const char *key;
    const char *dest;
    GMutex lock;
    GCond cond;
    int last_percent; /* -1 before the first report */
    gboolean done;
    int32_t rc;
    hvd_error err;
} mig_run;

static int32_t HVD_CALL
on_progress(void *user_data, const char *what, int32_t percent)
{
    mig_run *r = user_data;
    g_assert_nonnull(strstr(what, "MigrateVM_Task"));
    g_mutex_lock(&r->lock);
    r->last_percent = percent;
    g_cond_broadcast(&r->cond);
    g_mutex_unlock(&r->lock);
    return 0;
}

static gpointer
run_perform(gpointer data)
{
    mig_run *r = data;
    hvd_param p = sparam(HVD_MIGRATE_PARAM_DEST_URI, r->dest);
    hvd_progress prog = { .struct_size = sizeof(prog), .progress = on_progress, .user_data = r };
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = drv->migrate->perform(r->conn, r->key, &p, 1, 0, &prog, &err);
    g_mutex_lock(&r->lock);
    r->rc = rc;
    r->err = err;
    r->done = TRUE;
    g_cond_broadcast(&r->cond);
    g_mutex_unlock(&r->lock);
    return NULL;
}

/* Waits (deadline 30 s) until the task reported progress or perform ended. */
static void
wait_running(mig_run *r)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&r->lock);
    while (r->last_percent < 0 && !r->done) {
        if (!g_cond_wait_until(&r->cond, &r->lock, deadline))
            g_error("no progress from the migration within 30 s (done %d)", r->done);
    }
    if (r->done)
        g_error("perform ended before it was seen running: %d %s", r->rc, r->err.message);
    g_mutex_unlock(&r->lock);
}

static void
wait_done(mig_run *r)
{
    gint64 deadline = g_get_monotonic_time() + 60 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&r->lock);
    while (!r->done) {
        if (!g_cond_wait_until(&r->cond, &r->lock, deadline))
            g_error("perform did not end within 60 s after the cancel (last percent %d)", r->last_percent);
    }
    g_mutex_unlock(&r->lock);
}

static void
test_cancel(void)
{
    fixture f = { 0 };
    setup(&f);
    sim_instance *sim = f.sim;
    const char *key = f.key, *from = f.from, *dest = f.dest;
    hvd_conn *conn = f.conn;
    hvd_error err = HVD_ERROR_INIT;

    /* no job: get_progress says so, cancel refuses, an unknown domain is an error */
    hvd_job_info info = { .struct_size = sizeof(info) };
    g_assert_cmpint(drv->migrate->get_progress(conn, key, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpint(info.active, ==, 0);
    assert_error(drv->migrate->cancel(conn, key, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "nothing to cancel");
    assert_error(drv->migrate->cancel(conn, "vm-nosuch", 0, &err), &err, HVD_ERR_NO_DOMAIN, "vm-nosuch");
    assert_error(drv->migrate->get_progress(conn, "vm-nosuch", 0, &info, &err), &err, HVD_ERR_NO_DOMAIN, "vm-nosuch");

    /* a long migration, cancelled from this thread while perform runs on the same connection */
    control(sim, "POST", "/task-delay", "{\"method\":\"MigrateVM_Task\",\"ms\":60000,\"steps\":600}", NULL);
    mig_run r = { .conn = conn, .key = key, .dest = dest, .last_percent = -1 };
    g_mutex_init(&r.lock);
    g_cond_init(&r.cond);
    GThread *t = g_thread_new("perform", run_perform, &r);
    wait_running(&r);
    info = (hvd_job_info){ .struct_size = sizeof(info) };
    g_assert_cmpint(drv->migrate->get_progress(conn, key, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpint(info.active, ==, 1);
    g_assert_cmpint(info.percent, >=, 0);
    g_assert_cmpint(info.percent, <, 100);
    g_assert_cmpint(info.elapsed_ms, >=, 0);
    /* another connection (another process, say) sees it through the server */
    hvd_conn *other = open_at_vm(sim, VM);
    hvd_job_info oinfo = { .struct_size = sizeof(oinfo) };
    if (drv->migrate->get_progress(other, key, 0, &oinfo, &err) != HVD_OK)
        g_error("get_progress on another connection: %s", err.message);
    g_assert_cmpint(oinfo.active, ==, 1);
    g_assert_cmpint(oinfo.percent, >=, 0);
    /* a second migration of the same domain on this connection is refused */
    assert_error(migrate(conn, FALSE, key, dest, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "already running");
    if (drv->migrate->cancel(conn, key, 0, &err) != HVD_OK)
        g_error("cancel: %s", err.message);
    wait_done(&r);
    g_thread_join(t);
    assert_error(r.rc, &r.err, HVD_ERR_CANCELLED, "was cancelled");
    g_autofree char *still = vm_host(sim, VM, "host");
    g_assert_cmpstr(still, ==, from);
    g_assert_cmpint(drv->migrate->get_progress(conn, key, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpint(info.active, ==, 0);

    /* a task the server will not cancel: cancel says so, the migration ends */
    control(sim, "POST", "/task-delay", "{\"method\":\"MigrateVM_Task\",\"ms\":8000,\"steps\":80,\"cancelable\":false}",
            NULL);
    r.last_percent = -1;
    r.done = FALSE;
    t = g_thread_new("perform", run_perform, &r);
    wait_running(&r);
    assert_error(drv->migrate->cancel(conn, key, 0, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "the server refused to cancel");
    assert_error(drv->migrate->cancel(other, key, 0, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "the server refused to cancel");
    wait_done(&r);
    g_thread_join(t);
    if (r.rc != HVD_OK)
        g_error("uncancellable migration: %d %s", r.rc, r.err.message);
    g_autofree char *moved = vm_host(sim, VM, "host");
    g_assert_cmpstr(moved, !=, from);
    /* after it: nothing to watch or cancel (at its new host; the old one's
     * connections no longer see the domain) */
    drv->connect->close(other);
    other = open_at_vm(sim, VM);
    g_assert_cmpint(drv->migrate->get_progress(other, key, 0, &oinfo, &err), ==, HVD_OK);
    g_assert_cmpint(oinfo.active, ==, 0);
    assert_error(drv->migrate->cancel(other, key, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "nothing to cancel");
    assert_error(drv->migrate->cancel(conn, key, 0, &err), &err, HVD_ERR_NO_DOMAIN, key);
    drv->connect->close(other);
    g_mutex_clear(&r.lock);
    g_cond_clear(&r.cond);
    teardown(&f);
}

/* ---- esx:// with vcenter= ---------------------------------------------- */

/* An ESX simulator on 127.0.0.1:PORT and a vCenter simulator on
 * 127.0.0.2:PORT (the driver reaches a host's vCenter on the host's port),
 * both with the user/pass credentials. In the vCenter, DC0_C0_H0 has the
 * ESX host's address, the destination host 127.0.0.3, the others addresses
 * nobody asks for; the ESX VM ha-host_VM0 has the UUID of the vCenter's VM. */
static void
start_pair(sim_instance **esx, sim_instance **vc)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        g_autoptr(GError) gerr = NULL;
        sim_options eo = { .model = "esx" };
        *esx = sim_start(&eo, &gerr);
        g_assert_no_error(gerr);
        g_autofree char *listen = g_strdup_printf("127.0.0.2:%d", (*esx)->port);
        sim_options vo = { .model = "vc", .listen = listen };
        *vc = sim_start(&vo, &gerr);
        if (*vc != NULL)
            return;
        g_test_message("no vCenter simulator on %s (%s); trying another port", listen, gerr->message);
        sim_stop(*esx);
    }
    g_error("could not start a vCenter simulator on 127.0.0.2 at an ESX simulator's port");
}

static void
test_esx_vcenter(void)
{
    sim_instance *esx = NULL, *vc = NULL;
    start_pair(&esx, &vc);
    g_autofree char *from = vm_host(vc, VM, "host");
    const char *to = other_cluster_host(from);
    const char *hosts[] = { "DC0_H0", "DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2" };
    for (guint i = 0; i < G_N_ELEMENTS(hosts); i++) {
        const char *ip = strcmp(hosts[i], to) == 0                                            ? "127.0.0.3"
                         : strcmp(hosts[i], "DC0_C0_H0") == 0 && strcmp(to, "DC0_C0_H0") != 0 ? "127.0.0.1"
                                                                                              : "192.0.2.99";
        g_autofree char *body = g_strdup_printf("{\"host\":\"%s\",\"ip\":\"%s\"}", hosts[i], ip);
        control(vc, "POST", "/host", body, NULL);
    }
    control(esx, "POST", "/host", "{\"management_server_ip\":\"127.0.0.2\"}", NULL);
    g_autofree char *uuid = server_vm(vc, VM, "uuid");
    g_autofree char *set_uuid = g_strdup_printf("{\"vm\":\"ha-host_VM0\",\"uuid\":\"%s\"}", uuid);
    control(esx, "POST", "/vm", set_uuid, NULL);
    g_autofree char *key = server_vm(esx, "ha-host_VM0", "vm");

    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http&vcenter=*", esx->host, esx->port);
    hvd_conn *conn = open_flags(esx, uri, 0);
    hvd_error err = HVD_ERROR_INIT;
    int port = esx->port;

    /* vcenter=* and an explicit vcenter= naming the same vCenter: checked */
    g_autofree char *dest = g_strdup_printf("esx://127.0.0.3:%d/?transport=http&vcenter=*", port);
    g_autofree char *dest_named = g_strdup_printf("esx://127.0.0.3:%d/?transport=http&vcenter=127.0.0.2", port);
    if (migrate(conn, TRUE, key, dest_named, 0, &err) != HVD_OK)
        g_error("check to %s: %s", dest_named, err.message);
    /* another vCenter, or a host the vCenter does not manage: refused */
    g_autofree char *other_vc = g_strdup_printf("esx://127.0.0.3:%d/?transport=http&vcenter=127.0.0.4", port);
    assert_error(migrate(conn, FALSE, key, other_vc, 0, &err), &err, HVD_ERR_OPERATION_INVALID, "same vCenter");
    g_autofree char *unmanaged = g_strdup_printf("esx://127.0.0.5:%d/?transport=http&vcenter=*", port);
    assert_error(migrate(conn, FALSE, key, unmanaged, 0, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "manages no host at the address of 127.0.0.5");
    g_autofree char *still = vm_host(vc, VM, "host");
    g_assert_cmpstr(still, ==, from);

    if (migrate(conn, FALSE, key, dest, 0, &err) != HVD_OK)
        g_error("migrate to %s: %s", dest, err.message);
    g_autofree char *now = vm_host(vc, VM, "host");
    g_assert_cmpstr(now, ==, to);
    drv->connect->close(conn);
    sim_stop(vc);
    sim_stop(esx);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/migrate/move", test_move);
    g_test_add_func("/plugin/migrate/refused", test_refused);
    g_test_add_func("/plugin/migrate/precheck", test_precheck);
    g_test_add_func("/plugin/migrate/cancel", test_cancel);
    g_test_add_func("/plugin/migrate/esx-vcenter", test_esx_vcenter);
    int rc = g_test_run();
    simconn_done();
    return rc;
}
