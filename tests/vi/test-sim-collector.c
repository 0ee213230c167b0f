/* vi/ property collector against the simulator: host and VM properties,
 * typed structs, paging. Suite: sim. */
#include <string.h>

#include "simharness.h"
#include "vi/vi.h"
#include "vi-test-util.h"

static vi_conn *
login(sim_instance *sim)
{
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.ca_file = sim->ca_file;
    vi_conn *c = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(c, sim->username, sim->password, &error));
    g_assert_no_error(error);
    return c;
}

static void
test_host(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .tls = TRUE };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(vi_conn) c = login(sim);

    static const char *const paths[] = {
        "name",
        "summary.hardware",
        "hardware.cpuInfo.hz",
        "hardware.numaInfo.numNodes",
        "config.network.dnsConfig",
        "summary.quickStats.overallMemoryUsage",
        "config.product",
        NULL,
    };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "HostSystem";
    spec.paths = paths;
    guint64 rt = vi_conn_round_trips(c);
    g_autoptr(GPtrArray) hosts = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(vi_conn_round_trips(c) - rt, ==, 1);
    g_assert_cmpuint(hosts->len, ==, 1);
    const vi_value *h = hosts->pdata[0];
    vi_moref m;
    g_assert_true(vi_object_moref(h, &m));
    g_assert_cmpstr(m.type, ==, "HostSystem");
    g_assert_cmpstr(vi_object_get_string(h, "name"), ==, "localhost.localdomain");
    g_assert_nonnull(vi_object_get_string(h, "summary.hardware.cpuModel"));
    gint64 mem = 0, hz = 0, cores = 0;
    g_assert_true(vi_object_get_int64(h, "summary.hardware.memorySize", &mem));
    g_assert_cmpint(mem, >, 0);
    g_assert_true(vi_object_get_int64(h, "summary.hardware.numCpuCores", &cores));
    g_assert_cmpint(cores, >, 0);
    g_assert_true(vi_object_get_int64(h, "hardware.cpuInfo.hz", &hz));
    g_assert_cmpint(hz, >, 0);

    g_autoptr(vi_HostHardwareSummary) hw =
        vi_value_to_new_struct(vi_object_get(h, "summary.hardware"), &vi_type_HostHardwareSummary, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(hw->cpuModel, ==, vi_object_get_string(h, "summary.hardware.cpuModel"));
    g_assert_cmpint(hw->memorySize, ==, mem);
    g_assert_cmpint(hw->numCpuCores, ==, cores);
    g_assert_cmpint(hw->numCpuThreads, >=, hw->numCpuCores);

    g_autoptr(vi_AboutInfo) product =
        vi_value_to_new_struct(vi_object_get(h, "config.product"), &vi_type_AboutInfo, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(product->apiType, ==, "HostAgent");
    g_autoptr(vi_HostDnsConfig) dns =
        vi_value_to_new_struct(vi_object_get(h, "config.network.dnsConfig"), &vi_type_HostDnsConfig, &error);
    g_assert_no_error(error);
    g_assert_nonnull(dns);
    g_assert_nonnull(dns->hostName);
}

static void
test_vms(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = 5 };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(vi_conn) c = login(sim);
    static const char *const paths[] = {
        "name",
        "config.uuid",
        "config.instanceUuid",
        "runtime.powerState",
        "config.hardware.memoryMB",
        "config.hardware.numCPU",
        "summary.quickStats",
        "config.files.vmPathName",
        "runtime.question",
        "snapshot",
        NULL,
    };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    g_autoptr(GPtrArray) vms = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(vms->len, ==, 5);
    for (guint i = 0; i < vms->len; i++) {
        const vi_value *vm = vms->pdata[i];
        g_assert_true(g_str_has_prefix(vi_object_get_string(vm, "name"), "ha-host_VM"));
        g_assert_cmpuint(strlen(vi_object_get_string(vm, "config.uuid")), ==, 36);
        g_assert_cmpstr(vi_object_get_string(vm, "runtime.powerState"), ==, "poweredOn");
        gint64 mb = 0, cpus = 0;
        g_assert_true(vi_object_get_int64(vm, "config.hardware.memoryMB", &mb));
        g_assert_true(vi_object_get_int64(vm, "config.hardware.numCPU", &cpus));
        g_assert_cmpint(mb, >, 0);
        g_assert_cmpint(cpus, >, 0);
        g_assert_nonnull(vi_object_get(vm, "summary.quickStats"));
        g_assert_true(g_str_has_prefix(vi_object_get_string(vm, "config.files.vmPathName"), "["));
        g_assert_null(vi_object_get(vm, "runtime.question"));
    }

    /* the same VMs by explicit morefs */
    g_autoptr(GArray) refs = g_array_new(FALSE, TRUE, sizeof(vi_moref));
    for (guint i = 0; i < vms->len; i++) {
        vi_moref m;
        g_assert_true(vi_object_moref(vms->pdata[i], &m));
        g_array_append_val(refs, m);
    }
    vi_retrieve_spec by_ref = VI_RETRIEVE_SPEC_INIT;
    by_ref.objects = (const vi_moref *)refs->data;
    by_ref.n_objects = refs->len;
    by_ref.paths = paths;
    g_autoptr(GPtrArray) again = vi_collector_retrieve(c, &by_ref, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(again->len, ==, 5);

    /* a container view (the host's VMs through the datacenter) */
    static const char *const dc_paths[] = { "name", NULL };
    vi_retrieve_spec dcs = VI_RETRIEVE_SPEC_INIT;
    dcs.type = "Datacenter";
    dcs.paths = dc_paths;
    g_autoptr(GPtrArray) dc = vi_collector_retrieve(c, &dcs, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(dc->len, ==, 1);
    vi_moref dcref;
    g_assert_true(vi_object_moref(dc->pdata[0], &dcref));
    vi_retrieve_spec in_dc = VI_RETRIEVE_SPEC_INIT;
    in_dc.type = "VirtualMachine";
    in_dc.paths = dc_paths;
    in_dc.container = &dcref;
    g_autoptr(GPtrArray) in = vi_collector_retrieve(c, &in_dc, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(in->len, ==, 5);

    /* a missing object is a ManagedObjectNotFound fault */
    vi_moref ghost = { (char *)"VirtualMachine", (char *)"vm-does-not-exist" };
    g_autoptr(vi_value) none = vi_collector_retrieve_one(c, &ghost, dc_paths, &error);
    g_assert_null(none);
    g_assert_nonnull(error);
    g_assert_true(vi_error_is_fault(error, "ManagedObjectNotFound") || error->code == VI_ERROR_NOT_FOUND);
}

typedef struct {
    guint count;
    GHashTable *names;
} count_ctx;

static gboolean
count_vm(const vi_value *obj, gpointer ud, GError **error)
{
    count_ctx *c = ud;
    c->count++;
    g_hash_table_add(c->names, g_strdup(vi_object_get_string(obj, "name")));
    return TRUE;
}

static void
test_paging(void)
{
    /* 10,000 VMs in the vCenter model: 1 cluster + 1 host, 5,000 each */
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "vc", .vms = 5000, .page_size = 1000 };
    sim_instance *sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(vi_conn) c = login(sim);
    static const char *const paths[] = { "name", "config.uuid", "runtime.powerState", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    spec.page_size = 2000; /* the server caps pages at 1000 */
    count_ctx ctx = { 0, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
    guint pages = 0;
    guint64 rt = vi_conn_round_trips(c);
    g_assert_true(vi_collector_foreach(c, &spec, count_vm, &ctx, &pages, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(ctx.count, ==, 10000);
    g_assert_cmpuint(g_hash_table_size(ctx.names), ==, 10000);
    g_assert_cmpuint(pages, ==, 10);
    g_assert_cmpuint(vi_conn_round_trips(c) - rt, ==, pages);
    g_hash_table_destroy(ctx.names);
    g_clear_pointer(&c, vi_conn_free);
    /* a 10,000-VM simulator may be slow to exit on a loaded machine: the
     * harness waits 20 s, then kills it with a message (not a warning) */
    sim_stop(sim);
}

/* Several types in one walk that stops at hosts: folders, datacenters,
 * compute resources (clusters as their subtype) and hosts, one round trip
 * per page, and nothing of the VMs, datastores or networks on the way. */
static void
test_types_hosts_walk(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "vc", .clusters = 1, .hosts = 1, .vms = 3, .page_size = 5 };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(vi_conn) c = login(sim);
    static const char *const entity[] = { "name", "parent", NULL };
    static const char *const dc[] = { "name", "parent", "hostFolder", NULL };
    const vi_type_paths types[] = {
        { "Folder", entity },
        { "Datacenter", dc },
        { "ComputeResource", entity },
        { "HostSystem", entity },
    };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.types = types;
    spec.n_types = G_N_ELEMENTS(types);
    spec.walk = VI_WALK_HOSTS;
    guint64 rt = vi_conn_round_trips(c);
    g_autoptr(GPtrArray) all = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_autoptr(GHashTable) count = g_hash_table_new(g_str_hash, g_str_equal);
    gboolean host_folder = FALSE;
    for (guint i = 0; i < all->len; i++) {
        vi_moref m;
        g_assert_true(vi_object_moref(all->pdata[i], &m));
        g_assert_nonnull(vi_object_get_string(all->pdata[i], "name"));
        g_hash_table_insert(count, m.type, GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(count, m.type)) + 1));
        host_folder = host_folder || g_strcmp0(vi_object_get_string(all->pdata[i], "name"), "host") == 0;
        /* the walk does not enter the datacenter's VM, datastore or network folders */
        g_assert_cmpstr(vi_object_get_string(all->pdata[i], "name"), !=, "vm");
        g_assert_cmpstr(vi_object_get_string(all->pdata[i], "name"), !=, "datastore");
    }
    g_assert_true(host_folder);
    /* root folder + the datacenter's host folder; DC0; DC0_H0's compute
     * resource and cluster DC0_C0; DC0_H0 and the cluster's 3 hosts */
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(count, "Folder")), ==, 2);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(count, "Datacenter")), ==, 1);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(count, "ComputeResource")), ==, 1);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(count, "ClusterComputeResource")), ==, 1);
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(count, "HostSystem")), ==, 4);
    g_assert_cmpuint(g_hash_table_size(count), ==, 5);
    g_assert_cmpuint(all->len, ==, 9);
    /* 9 objects in pages of at most 5 (the server's cap): 2 round trips */
    g_assert_cmpuint(vi_conn_round_trips(c) - rt, ==, 2);

    /* types exclude a container */
    vi_retrieve_spec bad = spec;
    bad.type = "HostSystem";
    g_assert_null(vi_collector_retrieve(c, &bad, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
}

/* The storage walk: the datastores and the hosts in one round trip, never
 * the VMs (asked for, none comes: their folder is not entered), the
 * networks or the resource pools. */
static void
test_types_storage_walk(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = 20 };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(vi_conn) c = login(sim);
    static const char *const name[] = { "name", NULL };
    const vi_type_paths types[] = {
        { "Datastore", name }, { "HostSystem", name },   { "VirtualMachine", name },
        { "Network", name },   { "ResourcePool", name },
    };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.types = types;
    spec.n_types = G_N_ELEMENTS(types);
    spec.walk = VI_WALK_STORAGE;
    guint64 rt = vi_conn_round_trips(c);
    g_autoptr(GPtrArray) all = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(vi_conn_round_trips(c) - rt, ==, 1);
    guint ds = 0, hosts = 0;
    for (guint i = 0; i < all->len; i++) {
        vi_moref m;
        g_assert_true(vi_object_moref(all->pdata[i], &m));
        if (strcmp(m.type, "Datastore") == 0)
            ds++;
        else if (strcmp(m.type, "HostSystem") == 0)
            hosts++;
        else
            g_error("the storage walk returned %s %s", m.type, m.value);
    }
    g_assert_cmpuint(ds, >=, 1);
    g_assert_cmpuint(hosts, ==, 1);
    /* the whole inventory, for comparison: the VMs are there */
    spec.walk = VI_WALK_INVENTORY;
    g_autoptr(GPtrArray) every = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(every->len, >=, all->len + 20);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/sim/collector/host", test_host);
    g_test_add_func("/vi/sim/collector/vms", test_vms);
    g_test_add_func("/vi/sim/collector/paging-10000", test_paging);
    g_test_add_func("/vi/sim/collector/types-hosts-walk", test_types_hosts_walk);
    g_test_add_func("/vi/sim/collector/types-storage-walk", test_types_storage_walk);
    return vi_test_run();
}
