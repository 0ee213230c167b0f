/* hvdctl through faults the simulator injects (tests/sim/faults.go), as a
 * user meets them, each checked on the server afterwards:
 * - the session ends between two pages of `list --all` (25 VMs in pages of
 *   10): one re-login, the listing restarted, the same output; a second
 *   loss in the same listing is an error that says so;
 * - the connection drops after a state-changing request was sent (define,
 *   start, snapshot-create-as, vol-create-as) or before (define): a clear error that the
 *   call may have been carried out, the request sent once (never resent
 *   blindly), and nothing half-done: no duplicate VM or snapshot, no .vmx
 *   deleted from under a VM the server did register, no orphan .vmx left
 *   by a registration that failed for sure.
 * Suite: sim. */
#include "ctlrun.h"
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>

#define N_VMS      25
#define DEADLINE_S 30

typedef struct {
    sim_instance *sim;
    char *dir;
    char *auth;
    char *uri;
} fixture;

typedef ctl_result result;
#define result_clear ctl_result_clear

static void
setup(fixture *f, gconstpointer data)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .vms = N_VMS, .page_size = 10 };
    f->sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    f->dir = ctl_auth_new("esx", f->sim->host, f->sim->username, f->sim->password, &f->auth);
    f->uri = g_strdup_printf("esx://%s:%d/?transport=http", f->sim->host, f->sim->port);
}

static void
teardown(fixture *f, gconstpointer data)
{
    sim_stop(f->sim);
    g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
    for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;) {
        g_autofree char *p = g_build_filename(f->dir, n, NULL);
        g_unlink(p);
    }
    g_rmdir(f->dir);
    g_free(f->auth);
    g_free(f->dir);
    g_free(f->uri);
}

/* hvdctl -c URI ARGS... (NULL-terminated). */
static result
ctl(fixture *f, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    result r = ctl_run_v(f->uri, f->auth, first, ap);
    va_end(ap);
    g_test_message("standard error: %s", r.err);
    return r;
}

static void
control(fixture *f, const char *method, const char *path, const char *body, char **out)
{
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(f->sim, method, path, body, out, &gerr));
    g_assert_no_error(gerr);
}

static void
arm(fixture *f, const char *method, const char *kind, int count)
{
    g_autofree char *body = g_strdup_printf("{\"method\":\"%s\",\"kind\":\"%s\",\"count\":%d}", method, kind, count);
    control(f, "POST", "/faults", body, NULL);
    control(f, "POST", "/stats/reset", NULL, NULL);
}

static int
calls(fixture *f, const char *method)
{
    g_autoptr(GError) gerr = NULL;
    int n = sim_call_count(f->sim, method, &gerr);
    g_assert_no_error(gerr);
    return n;
}

/* Lines of `list --all --name` equal to NAME. */
static int
listed(fixture *f, const char *name)
{
    result r = ctl(f, "list", "--all", "--name", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_auto(GStrv) lines = g_strsplit(r.out, "\n", -1);
    int n = 0;
    for (int i = 0; lines[i] != NULL; i++)
        n += strcmp(lines[i], name) == 0;
    result_clear(&r);
    return n;
}

static void
test_list_relogin(fixture *f, gconstpointer data)
{
    result before = ctl(f, "list", "--all", NULL);
    g_assert_cmpint(before.status, ==, 0);
    arm(f, "ContinueRetrievePropertiesEx", "expire-sessions", 1);
    result after = ctl(f, "list", "--all", NULL);
    g_assert_cmpint(after.status, ==, 0);
    g_assert_cmpstr(after.out, ==, before.out);
    /* this hvdctl's login and the one re-login */
    g_assert_cmpint(calls(f, "Login"), ==, 2);
    g_autofree char *armed = NULL;
    control(f, "GET", "/faults", NULL, &armed);
    g_assert_cmpstr(g_strstrip(armed), ==, "[]");
    result_clear(&before);
    result_clear(&after);

    /* lost again after the restart: an error that says so, no loop */
    arm(f, "ContinueRetrievePropertiesEx", "expire-sessions", 2);
    result twice = ctl(f, "list", "--all", NULL);
    g_assert_cmpint(twice.status, !=, 0);
    g_assert_nonnull(strstr(twice.err, "ended again during a listing that had already been restarted once"));
    g_assert_cmpint(calls(f, "Login"), ==, 2);
    result_clear(&twice);
}

static const char define_xml[] = "<domain type='vmware'>\n"
                                 "  <name>db1</name>\n"
                                 "  <memory unit='KiB'>1048576</memory>\n"
                                 "  <vcpu>1</vcpu>\n"
                                 "  <os><type>hvm</type></os>\n"
                                 "  <devices>\n"
                                 "    <disk type='file' device='disk'>\n"
                                 "      <source file='[LocalDS_0] db1/db1.vmdk'/>\n"
                                 "      <target dev='sda' bus='scsi'/>\n"
                                 "    </disk>\n"
                                 "  </devices>\n"
                                 "</domain>\n";

/* Where the simulator keeps [LocalDS_0] db1/db1.vmx. */
static char *
uploaded_vmx(fixture *f)
{
    g_autofree char *out = NULL;
    control(f, "GET", "/datastore?name=LocalDS_0", NULL, &out);
    json_object *o = json_tokener_parse(out);
    g_assert_nonnull(o);
    char *p = g_build_filename(json_object_get_string(json_object_object_get(o, "dir")), "db1", "db1.vmx", NULL);
    json_object_put(o);
    return p;
}

/* define with the connection dropped after RegisterVM_Task was sent (the
 * server registered the VM) or before (it did not). */
static void
test_define_dropped(fixture *f, gconstpointer data)
{
    const char *kind = data;
    gboolean after = strcmp(kind, "drop-after") == 0;
    g_autofree char *file = g_build_filename(f->dir, "db1.xml", NULL);
    g_assert_true(g_file_set_contents(file, define_xml, -1, NULL));
    arm(f, "RegisterVM_Task", kind, 1);
    gint64 start = g_get_monotonic_time();
    result r = ctl(f, "define", file, NULL);
    g_assert_cmpint((g_get_monotonic_time() - start) / G_USEC_PER_SEC, <, DEADLINE_S);
    g_assert_cmpint(r.status, !=, 0);
    g_assert_nonnull(strstr(r.err, "RegisterVM_Task"));
    g_assert_nonnull(strstr(r.err, "may or may not have been carried out"));
    g_assert_cmpint(calls(f, "RegisterVM_Task"), ==, 1); /* never resent */
    g_autofree char *vmx = uploaded_vmx(f);
    if (after) {
        /* registered once, and its .vmx left where it is */
        g_assert_nonnull(strstr(r.err, "the server shows it registered"));
        g_assert_cmpint(listed(f, "db1"), ==, 1);
        g_assert_true(g_file_test(vmx, G_FILE_TEST_IS_REGULAR));
        g_assert_cmpint(calls(f, "DeleteDatastoreFile_Task"), ==, 0);
    } else {
        /* not registered: the upload is left for the user to check (the
         * registration's fate was unknown to the client), and the message
         * names it; define again then works and makes one VM */
        g_assert_nonnull(strstr(r.err, "[LocalDS_0] db1/db1.vmx is left in place"));
        g_assert_cmpint(listed(f, "db1"), ==, 0);
        result again = ctl(f, "define", file, NULL);
        g_assert_cmpint(again.status, ==, 0);
        result_clear(&again);
        g_assert_cmpint(listed(f, "db1"), ==, 1);
    }
    result_clear(&r);
}

/* A registration that fails for sure (a SOAP fault) removes the upload. */
static void
test_define_fault(fixture *f, gconstpointer data)
{
    g_autofree char *file = g_build_filename(f->dir, "db1.xml", NULL);
    g_assert_true(g_file_set_contents(file, define_xml, -1, NULL));
    arm(f, "RegisterVM_Task", "fault", 1);
    result r = ctl(f, "define", file, NULL);
    g_assert_cmpint(r.status, !=, 0);
    g_assert_nonnull(strstr(r.err, "injected fault"));
    g_assert_cmpint(calls(f, "RegisterVM_Task"), ==, 1);
    g_assert_cmpint(listed(f, "db1"), ==, 0);
    g_autofree char *vmx = uploaded_vmx(f);
    g_assert_false(g_file_test(vmx, G_FILE_TEST_EXISTS));
    result_clear(&r);
}

/* start and snapshot-create-as with the connection dropped after the
 * request: the server carried it out once; the client says it may have. */
static void
test_state_dropped(fixture *f, gconstpointer data)
{
    const char *vm = "ha-host_VM0";
    g_autofree char *body = g_strdup_printf("{\"vm\":\"%s\",\"power\":\"poweredOff\"}", vm);
    control(f, "POST", "/vm", body, NULL);

    arm(f, "PowerOnVM_Task", "drop-after", 1);
    result r = ctl(f, "start", vm, NULL);
    g_assert_cmpint(r.status, !=, 0);
    g_assert_nonnull(strstr(r.err, "may or may not have been carried out"));
    g_assert_cmpint(calls(f, "PowerOnVM_Task"), ==, 1);
    g_autoptr(GError) gerr = NULL;
    g_autofree char *power = sim_vm_field(f->sim, vm, "power", &gerr);
    g_assert_no_error(gerr);
    g_assert_cmpstr(power, ==, "poweredOn");
    result_clear(&r);

    arm(f, "CreateSnapshot_Task", "drop-after", 1);
    r = ctl(f, "snapshot-create-as", vm, "s1", NULL);
    g_assert_cmpint(r.status, !=, 0);
    g_assert_nonnull(strstr(r.err, "may or may not have been carried out"));
    g_assert_cmpint(calls(f, "CreateSnapshot_Task"), ==, 1);
    result_clear(&r);
    r = ctl(f, "snapshot-list", vm, "--name", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "s1\n\n"); /* one snapshot, not two */
    result_clear(&r);

    /* a volume: created once on the server, not deleted by the client */
    arm(f, "CreateVirtualDisk_Task", "drop-after", 1);
    r = ctl(f, "vol-create-as", "LocalDS_0", "d1/d1.vmdk", "1M", NULL);
    g_assert_cmpint(r.status, !=, 0);
    g_assert_nonnull(strstr(r.err, "may or may not have been carried out"));
    g_assert_cmpint(calls(f, "CreateVirtualDisk_Task"), ==, 1);
    g_assert_cmpint(calls(f, "DeleteVirtualDisk_Task"), ==, 0);
    result_clear(&r);
    r = ctl(f, "vol-list", "LocalDS_0", NULL);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "d1/d1.vmdk"));
    result_clear(&r);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hvdctl/faults/list-relogin", fixture, NULL, setup, test_list_relogin, teardown);
    g_test_add("/hvdctl/faults/define-drop-after", fixture, "drop-after", setup, test_define_dropped, teardown);
    g_test_add("/hvdctl/faults/define-drop-before", fixture, "drop-before", setup, test_define_dropped, teardown);
    g_test_add("/hvdctl/faults/define-fault", fixture, NULL, setup, test_define_fault, teardown);
    g_test_add("/hvdctl/faults/state-dropped", fixture, NULL, setup, test_state_dropped, teardown);
    return g_test_run();
}
