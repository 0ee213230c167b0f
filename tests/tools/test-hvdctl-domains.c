/* hvdctl's domain commands end to end against the simulator, as a user runs
 * them: list and its options, a DOMAIN given as a name, an id, a UUID or a
 * key, dominfo, domstate --reason, domuuid, domid, domname, the lifecycle
 * commands (each checked on the server afterwards through the simulator's
 * control endpoint), setmem, setmaxmem, setvcpus, vcpucount, autostart,
 * domhostname and domifaddr, the snapshot commands, define and undefine,
 * net-define and net-undefine, --json, the errors and exit statuses, and what
 * `list --all` and the new commands cost. On the ESX model and through a vCenter. */
#include "ctlrun.h"
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>

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
    const char *model = data;
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = model };
    f->sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    const char *scheme = strcmp(model, "esx") == 0 ? "esx" : "vpx";
    f->dir = ctl_auth_new(scheme, f->sim->host, f->sim->username, f->sim->password, &f->auth);
    if (strcmp(model, "esx") == 0)
        f->uri = g_strdup_printf("esx://%s:%d/?transport=http", f->sim->host, f->sim->port);
    else
        f->uri = g_strdup_printf("vpx://%s:%d/DC0/DC0_H0?transport=http", f->sim->host, f->sim->port);
}

static void
teardown(fixture *f, gconstpointer data)
{
    (void)data;
    sim_stop(f->sim);
    ctl_auth_remove(f->dir, f->auth);
    g_free(f->uri);
}

/* hvdctl -c URI ARGS... (NULL-terminated). */
#define ctl(f, ...) ctl_run((f)->uri, (f)->auth, __VA_ARGS__)

static void
control(fixture *f, const char *method, const char *path, const char *body, char **out)
{
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(f->sim, method, path, body, out, &gerr));
    g_assert_no_error(gerr);
}

/* FIELD of VM (name or moref) on the server (see sim_vm_field). */
static char *
server_vm(fixture *f, const char *vm, const char *field)
{
    g_autoptr(GError) gerr = NULL;
    char *s = sim_vm_field(f->sim, vm, field, &gerr);
    g_assert_no_error(gerr);
    return s;
}

static void
set_power(fixture *f, const char *vm, const char *power)
{
    g_autofree char *body = g_strdup_printf("{\"vm\":\"%s\",\"power\":\"%s\"}", vm, power);
    control(f, "POST", "/vm", body, NULL);
}

/* The output of a command that must succeed. */
static char *
ok(fixture *f, const char *first, ...)
{
    /* up to 4 arguments after the command */
    va_list ap;
    va_start(ap, first);
    const char *a[5] = { NULL };
    for (int i = 0; i < 4 && (a[i] = va_arg(ap, const char *)) != NULL; i++)
        ;
    va_end(ap);
    result r = ctl(f, first, a[0], a[1], a[2], a[3], NULL);
    if (r.status != 0)
        g_error("hvdctl %s: exit %d: %s", first, r.status, r.err);
    g_free(r.err);
    return r.out;
}

static const char *
vm_name(gconstpointer data, int i)
{
    return strcmp(data, "esx") == 0 ? (i == 0 ? "ha-host_VM0" : "ha-host_VM1") : (i == 0 ? "DC0_H0_VM0" : "DC0_H0_VM1");
}

static void
test_info(fixture *f, gconstpointer data)
{
    const char *vm0 = vm_name(data, 0), *vm1 = vm_name(data, 1);
    g_autofree char *key0 = server_vm(f, vm0, "vm");
    g_autofree char *uuid0 = server_vm(f, vm0, "uuid");
    const char *id0 = strchr(key0, '-') + 1;

    /* the table, virsh's columns */
    g_autofree char *all = ok(f, "list", "--all", NULL);
    g_assert_true(g_str_has_prefix(all, " Id   Name"));
    g_assert_nonnull(strstr(all, "State\n---"));
    g_autofree char *row0 = g_strdup_printf(" %s ", id0);
    g_assert_nonnull(strstr(all, row0));
    g_assert_nonnull(strstr(all, vm1));
    g_assert_nonnull(strstr(all, "running\n"));

    /* a DOMAIN as a name, an id, a UUID, a key */
    const char *forms[] = { vm0, id0, uuid0, key0 };
    for (gsize i = 0; i < G_N_ELEMENTS(forms); i++) {
        g_autofree char *name = ok(f, "domname", forms[i], NULL);
        g_assert_cmpstr(g_strstrip(name), ==, vm0);
    }
    g_autofree char *info = ok(f, "dominfo", vm0, NULL);
    g_autofree char *uuid_line = g_strdup_printf("UUID:           %s\n", uuid0);
    g_assert_nonnull(strstr(info, uuid_line));
    g_assert_nonnull(strstr(info, "State:          running\n"));
    g_assert_nonnull(strstr(info, "CPU(s):"));
    g_assert_nonnull(strstr(info, "Max memory:"));
    g_autofree char *u = ok(f, "domuuid", vm0, NULL);
    g_assert_cmpstr(g_strstrip(u), ==, uuid0);
    g_autofree char *id = ok(f, "domid", vm0, NULL);
    g_assert_cmpstr(g_strstrip(id), ==, id0);

    /* powered off on the server */
    set_power(f, vm1, "poweredOff");
    g_autofree char *st = ok(f, "domstate", "--reason", vm1, NULL);
    g_assert_cmpstr(st, ==, "shut off (unknown)\n");
    g_autofree char *st0 = ok(f, "domstate", vm0, NULL);
    g_assert_cmpstr(st0, ==, "running\n");
    g_autofree char *none = ok(f, "domid", vm1, NULL);
    g_assert_cmpstr(none, ==, "-\n");
    g_autofree char *active = ok(f, "list", "--name", NULL);
    g_autofree char *want_active = g_strdup_printf("%s\n", vm0);
    g_assert_cmpstr(active, ==, want_active);
    g_autofree char *inactive = ok(f, "list", "--inactive", "--name", NULL);
    g_autofree char *want_inactive = g_strdup_printf("%s\n", vm1);
    g_assert_cmpstr(inactive, ==, want_inactive);
    g_autofree char *uuids = ok(f, "list", "--all", "--uuid", NULL);
    g_assert_nonnull(strstr(uuids, uuid0));

    /* --json */
    g_autofree char *js = ok(f, "--json", "list", "--all", NULL);
    json_object *arr = json_tokener_parse(js);
    g_assert_cmpuint(json_object_array_length(arr), ==, 2);
    json_object_put(arr);
    g_autofree char *jst = ok(f, "--json", "domstate", vm1, NULL);
    json_object *o = json_tokener_parse(jst), *v = NULL;
    g_assert_true(json_object_object_get_ex(o, "state", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, "shut off");
    json_object_put(o);

    /* errors: not found (1), bad usage (2) */
    result r = ctl(f, "dominfo", "no-such-vm", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "failed to get domain 'no-such-vm'"));
    result_clear(&r);
    r = ctl(f, "--json", "domstate", "no-such-vm", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "\"status\":-14"));
    result_clear(&r);
    r = ctl(f, "list", "--reason", NULL);
    g_assert_cmpint(r.status, ==, 2);
    result_clear(&r);
    r = ctl(f, "dominfo", NULL);
    g_assert_cmpint(r.status, ==, 2);
    result_clear(&r);
}

/* list --all: RetrieveServiceContent, Login, one page, Logout. */
static void
test_list_cost(fixture *f, gconstpointer data)
{
    (void)data;
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *out = ok(f, "list", "--all", NULL);
    g_autoptr(GError) gerr = NULL;
    int extra = strcmp(data, "esx") == 0 ? 0 : 1; /* vpx://: the host path is checked at open */
    g_assert_cmpint(sim_call_count(f->sim, "RetrievePropertiesEx", &gerr), ==, 1 + extra);
    g_assert_cmpint(sim_call_count(f->sim, NULL, &gerr), ==, 4 + extra);
    g_assert_no_error(gerr);
}

static void
assert_power(fixture *f, const char *vm, const char *power)
{
    g_autofree char *p = server_vm(f, vm, "power");
    g_assert_cmpstr(p, ==, power);
}

/* A command refused in the wrong state: exit 1, virsh's kind of message. */
static void
refused(fixture *f, const char *cmd, const char *vm, const char *why)
{
    result r = ctl(f, cmd, vm, NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_autofree char *want = g_strdup_printf("error: %s: domain '%s' %s", cmd, vm, why);
    g_assert_nonnull(strstr(r.err, want));
    result_clear(&r);
}

/* The requests one command costs in all (connect and logout included). */
static int
cost(fixture *f, const char *cmd, const char *vm)
{
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *out = ok(f, cmd, vm, NULL);
    g_autoptr(GError) gerr = NULL;
    int n = sim_call_count(f->sim, NULL, &gerr);
    g_assert_no_error(gerr);
    g_test_message("%s %s: %d requests", cmd, vm, n);
    return n;
}

static void
test_lifecycle(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 0);
    g_autofree char *done = ok(f, "destroy", vm, NULL);
    g_autofree char *want = g_strdup_printf("Domain '%s' destroyed\n\n", vm);
    g_assert_cmpstr(done, ==, want);
    assert_power(f, vm, "poweredOff");
    refused(f, "destroy", vm, "is not running");
    refused(f, "suspend", vm, "is not running");
    refused(f, "shutdown", vm, "is not running");
    refused(f, "resume", vm, "is not suspended");

    g_autofree char *started = ok(f, "--json", "start", vm, NULL);
    g_assert_nonnull(strstr(started, "\"operation\": \"start\""));
    assert_power(f, vm, "poweredOn");
    refused(f, "start", vm, "is already active");
    g_autofree char *s1 = ok(f, "suspend", vm, NULL);
    assert_power(f, vm, "suspended");
    g_autofree char *s2 = ok(f, "resume", vm, NULL);
    assert_power(f, vm, "poweredOn");

    result r = ctl(f, "shutdown", vm, NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "VMware Tools are not running"));
    result_clear(&r);
    g_autofree char *tools = g_strdup_printf("{\"vm\":\"%s\",\"running\":true}", vm);
    control(f, "POST", "/guest-tools", tools, NULL);
    g_autofree char *rb = ok(f, "reboot", vm, NULL);
    g_autofree char *want_rb = g_strdup_printf("Domain '%s' is being rebooted\n\n", vm);
    g_assert_cmpstr(rb, ==, want_rb);
    assert_power(f, vm, "poweredOn");
    g_autofree char *sd = ok(f, "shutdown", vm, NULL);
    assert_power(f, vm, "poweredOff");

    /* read-only: refused, nothing changes */
    r = ctl(f, "--readonly", "start", vm, NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "read-only"));
    result_clear(&r);
    assert_power(f, vm, "poweredOff");
    r = ctl(f, "start", "no-such-vm", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "failed to get domain 'no-such-vm'"));
    result_clear(&r);

    /* start NAME and destroy NAME: RetrieveServiceContent, Login, the name's
     * brief lookup (a walk of names and power states, one page up to 10,000
     * VMs: key and state are all the call needs), the VM by key (with its
     * question), the *_Task call, one look at the finished task, Logout: 7
     * (libvirt: 23); vpx://: one more, the host path checked at open */
    int extra = strcmp(data, "esx") == 0 ? 0 : 1;
    g_assert_cmpint(cost(f, "start", vm), ==, 7 + extra);
    assert_power(f, vm, "poweredOn");
    g_assert_cmpint(cost(f, "destroy", vm), ==, 7 + extra);
    assert_power(f, vm, "poweredOff");
}

/* dumpxml: the XML of the domain, by any DOMAIN form; --json wraps it; a
 * missing domain is exit 1. What it costs is printed. */
static void
test_dumpxml(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 1);
    g_autofree char *key = server_vm(f, vm, "vm");
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *xml = ok(f, "dumpxml", vm, NULL);
    g_autoptr(GError) gerr = NULL;
    g_test_message("dumpxml %s: %d requests", vm, sim_call_count(f->sim, NULL, &gerr));
    g_assert_true(g_str_has_prefix(xml, "<domain type='vmware'"));
    g_autofree char *name = g_strdup_printf("<name>%s</name>", vm);
    g_assert_nonnull(strstr(xml, name));
    g_autofree char *by_key = ok(f, "dumpxml", key, NULL);
    g_assert_cmpstr(by_key, ==, xml);
    g_autofree char *js = ok(f, "--json", "dumpxml", vm, NULL);
    json_object *o = json_tokener_parse(js), *v = NULL;
    g_assert_true(json_object_object_get_ex(o, "xml", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, xml);
    json_object_put(o);
    result r = ctl(f, "dumpxml", "no-such-vm", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "failed to get domain 'no-such-vm'"));
    result_clear(&r);
}

/* A failing command: exit STATUS, TEXT on stderr. */
static void
fails(fixture *f, int status, const char *text, const char *cmd, const char *a1, const char *a2)
{
    result r = ctl(f, cmd, a1, a2, NULL);
    g_assert_cmpint(r.status, ==, status);
    if (strstr(r.err, text) == NULL)
        g_error("hvdctl %s: '%s' not in '%s'", cmd, text, r.err);
    result_clear(&r);
}

/* setmem, setmaxmem, setvcpus, vcpucount: the change read back by dominfo
 * (the server's state), the rules refused before any call. */
static void
test_resources(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 0);
    fails(f, 1, "is not shut off", "setmaxmem", vm, "2G");
    g_autofree char *d = ok(f, "destroy", vm, NULL);
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *m1 = ok(f, "setmaxmem", vm, "2G", NULL);
    g_assert_cmpstr(m1, ==, "");
    g_autoptr(GError) gerr = NULL;
    g_test_message("setmaxmem %s: %d requests", vm, sim_call_count(f->sim, NULL, &gerr));
    /* units as virsh's: case-insensitive, bytes rounded up to whole KiB */
    g_autofree char *m2 = ok(f, "setmem", vm, "1073741823b", "--config", NULL);
    g_autofree char *v = ok(f, "setvcpus", vm, "4", NULL);
    g_autofree char *info = ok(f, "dominfo", vm, NULL);
    g_assert_nonnull(strstr(info, "Max memory:     2097152 KiB"));
    g_assert_nonnull(strstr(info, "Used memory:    1048576 KiB"));
    g_assert_nonnull(strstr(info, "CPU(s):         4"));
    g_autofree char *count = ok(f, "vcpucount", vm, NULL);
    g_assert_cmpstr(count, ==, "maximum      config         4\ncurrent      config         4\n\n");
    fails(f, 1, "not a multiple of 4096 KiB", "setmem", vm, "5000");
    fails(f, 2, "invalid memory size: 'lots' is not a size", "setmem", vm, "lots");
    fails(f, 2, "invalid memory size: '1Q' has an unknown unit", "setmem", vm, "1Q");
    fails(f, 2, "invalid memory size: '16EiB' is too large", "setmem", vm, "16EiB");
    fails(f, 2, "requires <size>", "setmem", vm, NULL);
    fails(f, 2, "invalid number of virtual CPUs", "setvcpus", vm, "0");
    fails(f, 1, "failed to get domain", "setvcpus", "no-such-vm", "2");
    result r = ctl(f, "--readonly", "setvcpus", vm, "2", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "read-only"));
    result_clear(&r);
    g_autofree char *still = ok(f, "vcpucount", vm, "--config", NULL);
    g_assert_nonnull(strstr(still, "config         4"));
    g_autofree char *s = ok(f, "start", vm, NULL);
    g_autofree char *live = ok(f, "--json", "vcpucount", vm, NULL);
    g_assert_nonnull(strstr(live, "\"live\": true"));
}

/* autostart [--disable], checked through the driver's own read on a second
 * process (the server's HostAutoStartManager config); domhostname and
 * domifaddr, refused while VMware Tools are not running. */
static void
test_autostart_guest(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 0);
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *on = ok(f, "autostart", vm, NULL);
    g_autoptr(GError) gerr = NULL;
    g_test_message("autostart %s: %d requests", vm, sim_call_count(f->sim, NULL, &gerr));
    g_autofree char *want = g_strdup_printf("Domain '%s' marked as autostarted\n\n", vm);
    g_assert_cmpstr(on, ==, want);
    g_autofree char *js = ok(f, "--json", "autostart", vm, "--disable", NULL);
    g_assert_nonnull(strstr(js, "\"autostart\": false"));
    fails(f, 1, "read-only", "--readonly", "autostart", vm);

    fails(f, 1, "VMware Tools are not running", "domhostname", vm, NULL);
    fails(f, 1, "VMware Tools are not running", "domifaddr", vm, NULL);
    g_autofree char *body = g_strdup_printf("{\"vm\":\"%s\",\"tools_running\":true,\"hostname\":\"vm0.example.org\","
                                            "\"nics\":[{\"ips\":[\"192.0.2.5\",\"2001:db8::5\"]}]}",
                                            vm);
    control(f, "POST", "/guest", body, NULL);
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *host = ok(f, "domhostname", vm, NULL);
    g_assert_cmpstr(host, ==, "vm0.example.org\n");
    g_test_message("domhostname %s: %d requests", vm, sim_call_count(f->sim, NULL, &gerr));
    g_autofree char *addrs = ok(f, "domifaddr", vm, NULL);
    g_assert_true(g_str_has_prefix(addrs, " Name       MAC address          Protocol     Address\n---"));
    g_assert_nonnull(strstr(addrs, "    ipv4         192.0.2.5\n"));
    g_assert_nonnull(strstr(addrs, " -          -                    ipv6         2001:db8::5\n"));
    g_autofree char *ja = ok(f, "--json", "domifaddr", vm, NULL);
    g_assert_nonnull(strstr(ja, "\"protocol\": \"ipv6\""));
    fails(f, 1, "failed to get domain", "domhostname", "no-such-vm", NULL);
}

/* The snapshot commands end to end: create-as, list (table, --tree,
 * --roots, --leaves, --parent), info, current, parent, dumpxml, revert and
 * delete, the tree read back with snapshot-list --name after each change. */
static void
test_snapshots(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 1);
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *c1 = ok(f, "snapshot-create-as", vm, "s1", "the first", NULL);
    g_autoptr(GError) gerr = NULL;
    g_test_message("snapshot-create-as %s: %d requests", vm, sim_call_count(f->sim, NULL, &gerr));
    g_assert_cmpstr(c1, ==, "Domain snapshot s1 created\n");
    g_autofree char *c2 = ok(f, "snapshot-create-as", vm, "--name", "s2", NULL);
    g_autofree char *c3 = ok(f, "snapshot-create-as", vm, "s3", "--quiesce", NULL);
    g_autofree char *rv = ok(f, "snapshot-revert", vm, "s1", NULL);
    g_assert_cmpstr(rv, ==, "");
    g_autofree char *c4 = ok(f, "snapshot-create-as", vm, "s4", NULL);

    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *tree = ok(f, "snapshot-list", vm, "--tree", NULL);
    g_test_message("snapshot-list %s: %d requests", vm, sim_call_count(f->sim, NULL, &gerr));
    g_assert_cmpstr(tree, ==, "s1\n  |\n  +- s2\n  |   |\n  |   +- s3\n  |\n  +- s4\n\n");
    g_autofree char *table = ok(f, "snapshot-list", vm, "--parent", NULL);
    g_assert_true(g_str_has_prefix(table, " Name   Creation Time               State     Parent\n"));
    g_assert_nonnull(strstr(table, " s3     "));
    g_assert_nonnull(strstr(table, "running   s2\n"));
    g_autofree char *roots = ok(f, "snapshot-list", vm, "--roots", "--name", NULL);
    g_assert_cmpstr(roots, ==, "s1\n\n");
    g_autofree char *leaves = ok(f, "snapshot-list", vm, "--leaves", "--name", NULL);
    g_assert_cmpstr(leaves, ==, "s3\ns4\n\n");

    g_autofree char *info = ok(f, "snapshot-info", vm, "s1", NULL);
    g_assert_nonnull(strstr(info, "Name:           s1\n"));
    g_assert_nonnull(strstr(info, "Current:        no\n"));
    g_assert_nonnull(strstr(info, "Parent:         -\n"));
    g_assert_nonnull(strstr(info, "Children:       2\n"));
    g_assert_nonnull(strstr(info, "Descendants:    3\n"));
    g_autofree char *cur = ok(f, "snapshot-current", vm, "--name", NULL);
    g_assert_cmpstr(cur, ==, "s4\n");
    g_autofree char *curxml = ok(f, "snapshot-current", vm, NULL);
    g_assert_nonnull(strstr(curxml, "<name>s4</name>"));
    g_autofree char *par = ok(f, "snapshot-parent", vm, "s3", NULL);
    g_assert_cmpstr(par, ==, "s2\n");
    g_autofree char *xml = ok(f, "snapshot-dumpxml", vm, "s1", NULL);
    g_assert_nonnull(strstr(xml, "<description>the first</description>"));

    fails(f, 1, "no snapshot with the name 'nope'", "snapshot-info", vm, "nope");
    fails(f, 1, "has no parent", "snapshot-parent", vm, "s1");
    fails(f, 2, "requires <snapshotname> or --current", "snapshot-delete", vm, NULL);
    result r = ctl(f, "--readonly", "snapshot-delete", vm, "s1", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "read-only"));
    result_clear(&r);

    g_autofree char *d1 = ok(f, "snapshot-delete", vm, "s2", "--children", NULL);
    g_assert_cmpstr(d1, ==, "Domain snapshot s2 deleted\n\n");
    g_autofree char *left = ok(f, "snapshot-list", vm, "--name", NULL);
    g_assert_cmpstr(left, ==, "s1\ns4\n\n");
    g_autofree char *d2 = ok(f, "snapshot-delete", vm, "s1", "--children-only", NULL);
    g_assert_cmpstr(d2, ==, "Domain snapshot s1 children deleted\n\n");
    g_autofree char *d3 = ok(f, "snapshot-delete", vm, "--current", NULL);
    g_autofree char *empty = ok(f, "snapshot-list", vm, "--name", NULL);
    g_assert_cmpstr(empty, ==, "\n");
    fails(f, 1, "has no current snapshot", "snapshot-current", vm, NULL);
}

/* define FILE and undefine: a new domain from its XML, the dumpxml round
 * trip through define, a redefine visible in dominfo, undefine. */
static void
test_define(fixture *f, gconstpointer data)
{
    (void)data;
    static const char xml[] = "<domain type='vmware'>\n"
                              "  <name>db1</name>\n"
                              "  <memory unit='KiB'>1048576</memory>\n"
                              "  <vcpu>1</vcpu>\n"
                              "  <os><type>hvm</type></os>\n"
                              "  <devices>\n"
                              "    <disk type='file' device='disk'>\n"
                              "      <source file='[LocalDS_0] db1/db1.vmdk'/>\n"
                              "      <target dev='sda' bus='scsi'/>\n"
                              "    </disk>\n"
                              "    <interface type='bridge'>\n"
                              "      <mac address='00:50:56:01:02:05'/>\n"
                              "      <source bridge='VM Network'/>\n"
                              "    </interface>\n"
                              "  </devices>\n"
                              "</domain>\n";
    g_autofree char *file = g_build_filename(f->dir, "db1.xml", NULL);
    g_assert_true(g_file_set_contents(file, xml, -1, NULL));
    control(f, "POST", "/stats/reset", NULL, NULL);
    g_autofree char *out = ok(f, "define", file, NULL);
    g_autoptr(GError) gerr = NULL;
    g_test_message("define %s: %d requests", file, sim_call_count(f->sim, NULL, &gerr));
    g_autofree char *want = g_strdup_printf("Domain 'db1' defined from %s\n\n", file);
    g_assert_cmpstr(out, ==, want);
    g_autofree char *name = server_vm(f, "db1", "name");
    g_assert_cmpstr(name, ==, "db1");
    g_autofree char *x1 = ok(f, "dumpxml", "db1", NULL);
    g_assert_nonnull(strstr(x1, "[LocalDS_0] db1/db1.vmdk"));
    g_autofree char *file2 = g_build_filename(f->dir, "db1-dumped.xml", NULL);
    g_assert_true(g_file_set_contents(file2, x1, -1, NULL));
    g_autofree char *again = ok(f, "define", file2, NULL);
    g_autofree char *x2 = ok(f, "dumpxml", "db1", NULL);
    g_assert_cmpstr(x2, ==, x1);

    g_autofree char *more = g_strdup(xml);
    char *m = strstr(more, "1048576");
    memcpy(m, "2097152", 7);
    char *v = strstr(more, "<vcpu>1<");
    v[6] = '2';
    g_assert_true(g_file_set_contents(file, more, -1, NULL));
    g_autofree char *re = ok(f, "define", file, NULL);
    g_autofree char *info = ok(f, "dominfo", "db1", NULL);
    g_assert_nonnull(strstr(info, "CPU(s):         2"));
    g_assert_nonnull(strstr(info, "Max memory:     2097152 KiB"));

    fails(f, 1, "Failed to read file", "define", "/nonexistent/x.xml", NULL);
    fails(f, 2, "requires <file>", "define", NULL, NULL);
    fails(f, 1, "read-only", "--readonly", "undefine", "db1");
    g_autofree char *un = ok(f, "undefine", "db1", NULL);
    g_assert_cmpstr(un, ==, "Domain 'db1' has been undefined\n\n");
    fails(f, 1, "failed to get domain 'db1'", "dominfo", "db1", NULL);
    g_unlink(file);
    g_unlink(file2);
}

/* schedinfo [--set NAME=VALUE]...: virsh's layout, the change on the
 * server (the VM's cpuAllocation), the others kept, the driver's rules. */
static void
test_schedinfo(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 0);
    g_autofree char *set = ok(f, "schedinfo", vm, "--set=reservation=100", "--set=limit=500", "--set=shares=-3", NULL);
    g_assert_cmpstr(set, ==,
                    "Scheduler      : allocation\nreservation    : 100\nlimit          : 500\nshares         : -3\n\n");
    g_autofree char *a1 = server_vm(f, vm, "cpuAllocation");
    g_assert_cmpstr(a1, ==, "reservation=100 limit=500 shares=high:0");
    g_autofree char *j = ok(f, "--json", "schedinfo", vm, "--set", "shares=2000", NULL);
    g_assert_nonnull(strstr(j, "\"scheduler\": \"allocation\""));
    g_assert_nonnull(strstr(j, "\"shares\": 2000"));
    g_assert_nonnull(strstr(j, "\"limit\": 500"));
    g_autofree char *a2 = server_vm(f, vm, "cpuAllocation");
    g_assert_cmpstr(a2, ==, "reservation=100 limit=500 shares=custom:2000");
    fails(f, 1, "parameter 'limit' (50 MHz) is below the reservation (100 MHz)", "schedinfo", vm, "--set=limit=50");
    fails(f, 1, "unknown parameter 'cpu_shares'", "schedinfo", vm, "--set=cpu_shares=5");
    fails(f, 1, "parameter 'reservation' is -5 MHz", "schedinfo", vm, "--set=reservation=-5");
    fails(f, 2, "not an integer", "schedinfo", vm, "--set=limit=lots");
    fails(f, 2, "is not NAME=VALUE", "schedinfo", vm, "--set=limit");
    fails(f, 1, "failed to get domain", "schedinfo", "no-such-vm", NULL);
    result r = ctl(f, "--readonly", "schedinfo", vm, "--set", "shares=-1", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "read-only"));
    result_clear(&r);
    g_autofree char *a3 = server_vm(f, vm, "cpuAllocation");
    g_assert_cmpstr(a3, ==, a2);
}

/* memtune [--min-guarantee KiB] [--hard-limit KiB] [--shares N]: virsh's
 * layout, the change on the server (the VM's memoryAllocation, in MB), the
 * others kept, the driver's rules before any call. */
static void
test_memtune(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 0);
    g_autofree char *set = ok(f, "memtune", vm, "--min-guarantee", "102400", "--hard-limit=204800", NULL);
    g_assert_cmpstr(set, ==, "");
    g_autofree char *m1 = server_vm(f, vm, "memoryAllocation");
    g_assert_cmpstr(m1, ==, "reservation=100 limit=200 shares=normal:0");
    g_autofree char *show = ok(f, "memtune", vm, NULL);
    g_assert_cmpstr(show, ==, "min_guarantee  : 102400\nhard_limit     : 204800\nshares         : -2\n");
    /* one parameter: the others kept; KiB rounded up to the server's MB */
    g_autofree char *s2 = ok(f, "memtune", vm, "--shares=1500", "--hard-limit", "unlimited", NULL);
    g_autofree char *m2 = server_vm(f, vm, "memoryAllocation");
    g_assert_cmpstr(m2, ==, "reservation=100 limit=-1 shares=custom:1500");
    g_autofree char *s3 = ok(f, "memtune", vm, "--min-guarantee=1025", NULL);
    g_autofree char *m3 = server_vm(f, vm, "memoryAllocation");
    g_assert_cmpstr(m3, ==, "reservation=2 limit=-1 shares=custom:1500");
    g_autofree char *j = ok(f, "--json", "memtune", vm, NULL);
    g_assert_nonnull(strstr(j, "\"min_guarantee\": 2048"));
    g_assert_nonnull(strstr(j, "\"hard_limit\": -1"));
    g_assert_nonnull(strstr(j, "\"shares\": 1500"));
    g_autofree char *show2 = ok(f, "memtune", vm, NULL);
    g_assert_nonnull(strstr(show2, "hard_limit     : unlimited\n"));
    /* bad input: nothing changes */
    fails(f, 1, "parameter 'hard_limit' (1024 KiB) is below the reservation 'min_guarantee' (2048 KiB)", "memtune", vm,
          "--hard-limit=1024");
    fails(f, 1, "unknown parameter 'soft_limit' (the memory parameters are min_guarantee, hard_limit and shares",
          "memtune", vm, "--soft-limit=1024");
    fails(f, 1, "parameter 'min_guarantee' is -5 KiB; it must be 0 or greater", "memtune", vm, "--min-guarantee=-5");
    fails(f, 1, "parameter 'hard_limit' is -2 KiB; it must be -1 (unlimited) or 0 or greater", "memtune", vm,
          "--hard-limit=-2");
    fails(f, 1, "must be at most 1099511627776 KiB", "memtune", vm, "--min-guarantee=1099511627777");
    fails(f, 2, "--hard-limit 'lots' is not an integer", "memtune", vm, "--hard-limit=lots");
    fails(f, 2, "unknown option '--bogus'", "memtune", vm, "--bogus");
    fails(f, 2, "--shares needs a value", "memtune", vm, "--shares");
    fails(f, 1, "failed to get domain", "memtune", "no-such-vm", NULL);
    result r = ctl(f, "--readonly", "memtune", vm, "--shares", "-1", NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "read-only"));
    result_clear(&r);
    g_autofree char *m4 = server_vm(f, vm, "memoryAllocation");
    g_assert_cmpstr(m4, ==, m3);
    /* the CPU allocation is another thing: untouched */
    g_autofree char *cpu = server_vm(f, vm, "cpuAllocation");
    g_assert_cmpstr(cpu, !=, m4);
}

/* net-list, net-info, net-uuid, net-dumpxml, iface-list, iface-mac,
 * iface-dumpxml: the host's virtual switch and physical NICs. */
static void
test_network(fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *list = ok(f, "net-list", "--all", NULL);
    g_assert_cmpstr(list, ==,
                    " Name       State    Autostart   Persistent\n"
                    "--------------------------------------------\n"
                    " vSwitch0   active   yes         yes\n\n");
    g_autofree char *uuid = ok(f, "net-uuid", "vSwitch0", NULL);
    g_assert_cmpuint(strlen(uuid), ==, 38);
    uuid[36] = '\0';
    g_autofree char *info = ok(f, "net-info", uuid, NULL);
    g_assert_nonnull(strstr(info, "Name:           vSwitch0\n"));
    g_assert_nonnull(strstr(info, "Active:         yes\n"));
    g_autofree char *xml = ok(f, "net-dumpxml", "vSwitch0", NULL);
    g_assert_nonnull(strstr(xml, "<interface dev='vmnic0'/>"));
    g_assert_nonnull(strstr(xml, "<portgroup name='VM Network'/>"));
    fails(f, 1, "'vSwitch9'", "net-info", "vSwitch9", NULL);
    fails(f, 2, "unknown option '--bogus'", "net-list", "--bogus", NULL);
    g_autofree char *ifs = ok(f, "--json", "iface-list", "--all", NULL);
    g_assert_nonnull(strstr(ifs, "\"name\": \"vmnic0\""));
    g_assert_nonnull(strstr(ifs, "\"name\": \"vmnic1\""));
    g_autofree char *mac = ok(f, "iface-mac", "vmnic0", NULL);
    g_assert_cmpstr(mac, ==, "00:0c:29:81:d8:a0\n\n");
    g_autofree char *ixml = ok(f, "iface-dumpxml", "vmnic0", NULL);
    g_assert_nonnull(strstr(ixml, "<mac address='00:0c:29:81:d8:a0'/>"));
    fails(f, 1, "vmnic9", "iface-dumpxml", "vmnic9", NULL);
    fails(f, 1, "failed to get interface 'vmnic9'", "iface-mac", "vmnic9", NULL);
    g_autofree char *names = ok(f, "net-list", "--all", "--name", NULL);
    g_assert_cmpstr(names, ==, "vSwitch0\n");
}

/* net-define FILE and net-undefine NETWORK: the switch and its port groups
 * appear on the server (seen by a second hvdctl run), an undefine refused
 * while a VM is on a port group names it, bad XML names the element. */
static void
test_net_define(fixture *f, gconstpointer data)
{
    const char *vm = vm_name(data, 0);
    g_autofree char *file = g_build_filename(f->dir, "net.xml", NULL);
    g_assert_true(g_file_set_contents(file,
                                      "<network><name>lab</name><forward mode='bridge'><interface dev='vmnic1'/>"
                                      "</forward><portgroup name='lab-pg'><vlan><tag id='42'/></vlan></portgroup>"
                                      "</network>",
                                      -1, NULL));
    g_autofree char *out = ok(f, "net-define", file, NULL);
    g_autofree char *want = g_strdup_printf("Network lab defined from %s\n\n", file);
    g_assert_cmpstr(out, ==, want);
    g_autofree char *xml = ok(f, "net-dumpxml", "lab", NULL);
    g_assert_nonnull(strstr(xml, "<interface dev='vmnic1'/>"));
    g_assert_nonnull(strstr(xml, "<portgroup name='lab-pg'>\n    <vlan>\n      <tag id='42'/>"));
    fails(f, 1, "network 'lab' already exists", "net-define", file, NULL);
    g_autofree char *body = g_strdup_printf("{\"vm\":\"%s\",\"network\":\"lab-pg\"}", vm);
    control(f, "POST", "/vmnet", body, NULL);
    g_autofree char *named = g_strdup_printf("'%s' (port group 'lab-pg')", vm);
    fails(f, 1, named, "net-undefine", "lab", NULL);
    g_free(body);
    body = g_strdup_printf("{\"vm\":\"%s\",\"network\":\"lab-pg\",\"remove\":true}", vm);
    control(f, "POST", "/vmnet", body, NULL);
    g_autofree char *uuid = ok(f, "net-uuid", "lab", NULL);
    uuid[36] = '\0';
    g_autofree char *gone = ok(f, "--json", "net-undefine", uuid, NULL);
    g_assert_nonnull(strstr(gone, "\"name\": \"lab\""));
    g_autofree char *names = ok(f, "net-list", "--all", "--name", NULL);
    g_assert_cmpstr(names, ==, "vSwitch0\n");
    fails(f, 1, "'lab'", "net-undefine", "lab", NULL);
    g_assert_true(g_file_set_contents(file, "<network><name>x</name><ip address='10.0.0.1'/></network>", -1, NULL));
    fails(f, 1, "<ip> is not supported", "net-define", file, NULL);
    fails(f, 1, "Failed to read file", "net-define", "/nonexistent/net.xml", NULL);
    fails(f, 2, "requires <file>", "net-define", NULL, NULL);
    fails(f, 1, "VMkernel NIC vmk0", "net-undefine", "vSwitch0", NULL);
    g_unlink(file);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    static const char *const models[] = { "esx", "vc" };
    for (gsize i = 0; i < G_N_ELEMENTS(models); i++) {
        g_autofree char *p1 = g_strdup_printf("/tools/hvdctl-domains/%s/info", models[i]);
        g_autofree char *p2 = g_strdup_printf("/tools/hvdctl-domains/%s/list-cost", models[i]);
        g_test_add(p1, fixture, models[i], setup, test_info, teardown);
        g_test_add(p2, fixture, models[i], setup, test_list_cost, teardown);
        g_autofree char *p3 = g_strdup_printf("/tools/hvdctl-domains/%s/lifecycle", models[i]);
        g_test_add(p3, fixture, models[i], setup, test_lifecycle, teardown);
        g_autofree char *p4 = g_strdup_printf("/tools/hvdctl-domains/%s/dumpxml", models[i]);
        g_test_add(p4, fixture, models[i], setup, test_dumpxml, teardown);
        g_autofree char *p5 = g_strdup_printf("/tools/hvdctl-domains/%s/resources", models[i]);
        g_test_add(p5, fixture, models[i], setup, test_resources, teardown);
        g_autofree char *p6 = g_strdup_printf("/tools/hvdctl-domains/%s/autostart-guest", models[i]);
        g_test_add(p6, fixture, models[i], setup, test_autostart_guest, teardown);
        g_autofree char *p7 = g_strdup_printf("/tools/hvdctl-domains/%s/snapshots", models[i]);
        g_test_add(p7, fixture, models[i], setup, test_snapshots, teardown);
        g_autofree char *p8 = g_strdup_printf("/tools/hvdctl-domains/%s/define", models[i]);
        g_test_add(p8, fixture, models[i], setup, test_define, teardown);
        g_autofree char *p9 = g_strdup_printf("/tools/hvdctl-domains/%s/schedinfo", models[i]);
        g_test_add(p9, fixture, models[i], setup, test_schedinfo, teardown);
        g_autofree char *pmem = g_strdup_printf("/tools/hvdctl-domains/%s/memtune", models[i]);
        g_test_add(pmem, fixture, models[i], setup, test_memtune, teardown);
        g_autofree char *p10 = g_strdup_printf("/tools/hvdctl-domains/%s/network", models[i]);
        g_test_add(p10, fixture, models[i], setup, test_network, teardown);
        g_autofree char *p11 = g_strdup_printf("/tools/hvdctl-domains/%s/net-define", models[i]);
        g_test_add(p11, fixture, models[i], setup, test_net_define, teardown);
    }
    return g_test_run();
}
