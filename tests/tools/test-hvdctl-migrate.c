/* hvdctl migrate, domjobinfo and domjobabort end to end against the
 * simulator (vc model), as a user runs them: --dry-run moves nothing,
 * --verbose prints virsh's progress lines and the VM's host changes on the
 * server; domjobinfo and domjobabort from another hvdctl process watch and
 * cancel a running migration; the errors and exit statuses. */
#include "ctlrun.h"
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define VM "DC0_C0_RP0_VM0"

typedef struct {
    sim_instance *sim;
    char *dir;
    char *auth;
    char *uri;
    char *dest;
    char *from;
} fixture;

typedef ctl_result result;
#define result_clear ctl_result_clear

/* FIELD of GET /vm-host for VM. */
static char *
vm_host(fixture *f, const char *field)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *out = NULL;
    g_assert_true(sim_control(f->sim, "GET", "/vm-host?vm=" VM, NULL, &out, &gerr));
    json_object *o = json_tokener_parse(out);
    json_object *v = NULL;
    g_assert_true(json_object_object_get_ex(o, field, &v));
    char *s = g_strdup(json_object_get_string(v));
    json_object_put(o);
    return s;
}

static void
setup(fixture *f, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "vc" };
    f->sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    f->dir = ctl_auth_new("vpx", f->sim->host, f->sim->username, f->sim->password, &f->auth);
    f->from = vm_host(f, "host");
    const char *to = strcmp(f->from, "DC0_C0_H1") == 0 ? "DC0_C0_H2" : "DC0_C0_H1";
    f->uri = g_strdup_printf("vpx://%s:%d/DC0/DC0_C0/%s?transport=http", f->sim->host, f->sim->port, f->from);
    f->dest = g_strdup_printf("vpx://%s:%d/DC0/DC0_C0/%s?transport=http", f->sim->host, f->sim->port, to);
}

static void
teardown(fixture *f, gconstpointer data)
{
    (void)data;
    sim_stop(f->sim);
    ctl_auth_remove(f->dir, f->auth);
    g_free(f->uri);
    g_free(f->dest);
    g_free(f->from);
}

/* hvdctl -c URI ARGS... (NULL-terminated). */
#define ctl(f, ...) ctl_run((f)->uri, (f)->auth, __VA_ARGS__)

static void
expect(result *r, int status, const char *out_has, const char *err_has)
{
    if (r->status != status || (out_has && !strstr(r->out, out_has)) || (err_has && !strstr(r->err, err_has)))
        g_error("want exit %d, stdout with '%s', stderr with '%s'; got %d\nstdout: %s\nstderr: %s", status,
                out_has ? out_has : "", err_has ? err_has : "", r->status, r->out, r->err);
    result_clear(r);
}

static void
test_migrate(fixture *f, gconstpointer data)
{
    (void)data;
    result r = ctl(f, "migrate", VM, f->dest, "--dry-run", NULL);
    expect(&r, 0, "nothing was moved", NULL);
    g_autofree char *still = vm_host(f, "host");
    g_assert_cmpstr(still, ==, f->from);

    r = ctl(f, "--json", "migrate", VM, f->dest, "--dry-run", NULL);
    expect(&r, 0, "\"migrated\": false", NULL);

    r = ctl(f, "domjobinfo", VM, NULL);
    expect(&r, 0, "Job type:         None", NULL);
    r = ctl(f, "domjobabort", VM, NULL);
    expect(&r, 1, NULL, "nothing to cancel");

    /* errors */
    r = ctl(f, "migrate", "nosuch", f->dest, NULL);
    expect(&r, 1, NULL, "failed to get domain 'nosuch'");
    r = ctl(f, "migrate", VM, NULL);
    expect(&r, 2, NULL, "a DOMAIN and a DEST_URI are needed");
    r = ctl(f, "migrate", VM, f->dest, "--fast", NULL);
    expect(&r, 2, NULL, "unknown option '--fast'");
    g_autofree char *esx = g_strdup_printf("esx://%s:%d/?transport=http", f->sim->host, f->sim->port);
    r = ctl(f, "migrate", VM, esx, NULL);
    expect(&r, 1, NULL, "add vcenter=*");
    r = ctl(f, "--readonly", "migrate", VM, f->dest, NULL);
    expect(&r, 1, NULL, "read-only");
    g_autofree char *moved = vm_host(f, "host");
    g_assert_cmpstr(moved, ==, f->from);

    r = ctl(f, "migrate", VM, f->dest, "--verbose", NULL);
    expect(&r, 0, "migrated to", "Migration: [100 %]");
    g_autofree char *now = vm_host(f, "host");
    g_assert_cmpstr(now, !=, f->from);
}

/* A migration run by one hvdctl, watched and cancelled by others. */
static void
test_abort(fixture *f, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(f->sim, "POST", "/task-delay",
                              "{\"method\":\"MigrateVM_Task\",\"ms\":60000,\"steps\":600}", NULL, &gerr));
    g_assert_no_error(gerr);
    const char *args[] = { g_getenv("HVDCTL"), "-c", f->uri, "migrate", VM, f->dest, NULL };
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "HVD_AUTH_FILE", f->auth, TRUE);
    GPid pid = 0;
    int err_fd = -1;
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)args, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                           NULL, &err_fd, &gerr));
    g_assert_no_error(gerr);

    /* until another process sees it running (deadline 30 s) */
    gint64 deadline = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;
    g_autofree char *last = NULL;
    for (;;) {
        result r = ctl(f, "domjobinfo", VM, NULL);
        g_assert_cmpint(r.status, ==, 0);
        gboolean running = strstr(r.out, "Outgoing migration") != NULL;
        g_free(last);
        last = g_steal_pointer(&r.out);
        result_clear(&r);
        if (running)
            break;
        if (g_get_monotonic_time() > deadline)
            g_error("domjobinfo never showed the migration within 30 s; last: %s", last);
    }
    g_assert_nonnull(strstr(last, "Job type:         Unbounded"));
    g_assert_nonnull(strstr(last, "Progress:"));

    result r = ctl(f, "domjobabort", VM, NULL);
    expect(&r, 0, NULL, NULL);

    int status = 0;
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);
    char buf[4096];
    gssize n = read(err_fd, buf, sizeof(buf) - 1);
    close(err_fd);
    buf[n > 0 ? n : 0] = '\0';
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    if (strstr(buf, "was cancelled") == NULL)
        g_error("migrate's error: %s", buf);
    g_autofree char *still = vm_host(f, "host");
    g_assert_cmpstr(still, ==, f->from);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hvdctl/migrate", fixture, NULL, setup, test_migrate, teardown);
    g_test_add("/hvdctl/migrate/abort", fixture, NULL, setup, test_abort, teardown);
    return g_test_run();
}
