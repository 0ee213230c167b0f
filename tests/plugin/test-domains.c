/* The domain table against the simulator, through the loader as a host
 * calls it: list_all (and what it costs), the lookups by name (percent-
 * unescaped), UUID and id, get_info and get_state, on the ESX model and
 * through a vCenter (only the VMs of the URI's host); names and UUIDs two
 * VMs share; the lifecycle members, each checked on the server afterwards
 * through the simulator's control endpoint, refused in the wrong state and
 * on a read-only connection. */
#include "simconn.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

static void
set_vm(sim_instance *sim, const char *json)
{
    control(sim, "POST", "/vm", json, NULL);
}

static hvd_domain_list *
list(hvd_conn *conn, uint32_t flags)
{
    hvd_domain_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->domain->list_all(conn, flags, &l, &err) != HVD_OK)
        g_error("list_all: %s", err.message);
    g_assert_cmpuint(l->entry_size, ==, sizeof(hvd_domain_info));
    return l;
}

static const hvd_domain_info *
entry(const hvd_domain_list *l, uint32_t i)
{
    return HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i);
}

/* The entry named NAME, or NULL. */
static const hvd_domain_info *
named(const hvd_domain_list *l, const char *name)
{
    for (uint32_t i = 0; i < l->count; i++) {
        if (strcmp(entry(l, i)->name, name) == 0)
            return entry(l, i);
    }
    return NULL;
}

/* ---- listing and lookups ------------------------------------------------ */

static void
check_list(const char *model, const char *prefix)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    hvd_domain_list *l = list(conn, 0);
    /* one page, whatever the number of VMs: no locate, view or per-VM call */
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 1);
    g_assert_cmpuint(l->count, ==, 2);
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_domain_info *e = entry(l, i);
        g_assert_true(g_str_has_prefix(e->name, prefix));
        g_assert_true(g_str_has_prefix(e->key, "vm-"));
        g_assert_cmpint(e->state, ==, HVD_DOMAIN_RUNNING);
        g_assert_cmpint(e->reason, ==, 1); /* booted */
        g_assert_cmpint(e->id, ==, atoi(e->key + 3));
        g_assert_cmpuint(e->max_memory_kib, >, 0);
        g_assert_cmpuint(e->memory_kib, ==, e->max_memory_kib);
        g_assert_cmpuint(e->vcpus, >, 0);
        g_assert_cmpuint(e->persistent, ==, 1);
    }
    g_autofree char *vm0 = g_strdup_printf("%sVM0", prefix);
    g_autofree char *vm1 = g_strdup_printf("%sVM1", prefix);
    g_autofree char *key1 = g_strdup(named(l, vm1)->key);
    int32_t id0 = named(l, vm0)->id;
    drv->free(l);

    /* a VM powered off on the server: inactive, id -1, shut off */
    g_autofree char *off = g_strdup_printf("{\"vm\":\"%s\",\"power\":\"poweredOff\"}", vm1);
    set_vm(sim, off);
    hvd_domain_list *act = list(conn, HVD_LIST_ACTIVE), *inact = list(conn, HVD_LIST_INACTIVE);
    hvd_domain_list *both = list(conn, HVD_LIST_ACTIVE | HVD_LIST_INACTIVE);
    g_assert_cmpuint(act->count, ==, 1);
    g_assert_cmpstr(entry(act, 0)->name, ==, vm0);
    g_assert_cmpuint(inact->count, ==, 1);
    g_assert_cmpstr(entry(inact, 0)->name, ==, vm1);
    g_assert_cmpint(entry(inact, 0)->id, ==, -1);
    g_assert_cmpint(entry(inact, 0)->state, ==, HVD_DOMAIN_SHUTOFF);
    g_assert_cmpuint(both->count, ==, 2);
    drv->free(act);
    drv->free(inact);
    drv->free(both);

    /* lookups: by name, by id (running only), by key, state and reason */
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *x = NULL;
    g_assert_cmpint(drv->domain->lookup_by_name(conn, vm1, 0, &x, &err), ==, HVD_OK);
    g_assert_cmpstr(x->key, ==, key1);
    drv->free(x);
    g_assert_cmpint(drv->domain->lookup_by_id(conn, id0, 0, &x, &err), ==, HVD_OK);
    g_assert_cmpstr(x->name, ==, vm0);
    drv->free(x);
    g_assert_cmpint(drv->domain->lookup_by_id(conn, atoi(key1 + 3), 0, &x, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_null(x);
    x = info_of(conn, key1);
    g_assert_cmpstr(x->name, ==, vm1);
    g_assert_cmpint(x->state, ==, HVD_DOMAIN_SHUTOFF);
    drv->free(x);
    int32_t state = -1, reason = -1;
    g_assert_cmpint(drv->domain->get_state(conn, key1, 0, &state, &reason, &err), ==, HVD_OK);
    g_assert_cmpint(state, ==, HVD_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, 0);
    g_autofree char *susp = g_strdup_printf("{\"vm\":\"%s\",\"power\":\"suspended\"}", vm1);
    set_vm(sim, susp);
    g_assert_cmpint(drv->domain->get_state(conn, key1, 0, &state, &reason, &err), ==, HVD_OK);
    g_assert_cmpint(state, ==, HVD_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, 1); /* user */

    /* HVD_LIST_BRIEF: the full list's names, keys, ids, states and reasons
     * (one running, one suspended), nothing else; in one request */
    hvd_domain_list *full = list(conn, 0);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    hvd_domain_list *brief = list(conn, HVD_LIST_BRIEF);
    g_assert_cmpint(calls(sim, NULL), ==, 1);
    g_assert_cmpuint(brief->count, ==, full->count);
    static const uint8_t zero[16];
    for (uint32_t i = 0; i < full->count; i++) {
        const hvd_domain_info *f = entry(full, i), *b = named(brief, f->name);
        g_assert_nonnull(b);
        g_assert_cmpstr(b->key, ==, f->key);
        g_assert_cmpint(b->id, ==, f->id);
        g_assert_cmpint(b->state, ==, f->state);
        g_assert_cmpint(b->reason, ==, f->reason);
        g_assert_cmpmem(b->uuid, 16, zero, 16);
        g_assert_cmpuint(b->memory_kib + b->max_memory_kib + b->vcpus, ==, 0);
    }
    drv->free(full);
    drv->free(brief);
    hvd_domain_list *brief_active = list(conn, HVD_LIST_BRIEF | HVD_LIST_ACTIVE);
    g_assert_cmpuint(brief_active->count, ==, 2); /* running and suspended */
    drv->free(brief_active);
    /* a brief lookup by name answers from its walk (1 request), a full one
     * reads the VM too (2) */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(drv->domain->lookup_by_name(conn, vm1, HVD_LIST_BRIEF, &x, &err), ==, HVD_OK);
    g_assert_cmpint(calls(sim, NULL), ==, 1);
    g_assert_cmpstr(x->key, ==, key1);
    g_assert_cmpint(x->state, ==, HVD_DOMAIN_PAUSED);
    g_assert_cmpint(x->reason, ==, 1);
    g_assert_cmpint(x->id, ==, atoi(key1 + 3));
    g_assert_cmpuint(x->vcpus, ==, 0);
    drv->free(x);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(drv->domain->lookup_by_name(conn, vm1, 0, &x, &err), ==, HVD_OK);
    g_assert_cmpint(calls(sim, NULL), ==, 2);
    g_assert_cmpuint(x->vcpus, >, 0);
    drv->free(x);
    g_assert_cmpint(drv->domain->lookup_by_name(conn, "no-such-vm", HVD_LIST_BRIEF, &x, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(err.message, "'no-such-vm'"));

    /* missing */
    g_assert_cmpint(drv->domain->get_info(conn, "vm-424242", 0, &x, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(err.message, "'vm-424242'"));
    g_assert_cmpint(drv->domain->lookup_by_name(conn, "no-such-vm", 0, &x, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(err.message, "'no-such-vm'"));
    g_assert_cmpint(drv->domain->get_state(conn, "00000000-0000-0000-0000-000000000001", 0, &state, &reason, &err), ==,
                    HVD_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(err.message, "00000000-0000-0000-0000-000000000001"));
    g_assert_cmpint(drv->domain->list_all(conn, 0x8, &l, &err), ==, HVD_ERR_BAD_FLAGS);
    drv->connect->close(conn);
}

static void
test_list_esx(void)
{
    check_list("esx", "ha-host_");
}

static void
test_list_vpx(void)
{
    check_list("vc", "DC0_H0_");
}

/* Through a vCenter, a VM of another host is not a domain of this one. */
static void
test_vpx_other_host(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start("vc", &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, "DC0_C0_RP0_VM0", "vm");
    hvd_domain_info *x = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->domain->get_info(conn, key, 0, &x, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(drv->domain->lookup_by_name(conn, "DC0_C0_RP0_VM0", 0, &x, &err), ==, HVD_ERR_NO_DOMAIN);
    drv->connect->close(conn);
}

/* Names come percent-unescaped; a name or a UUID two VMs share is
 * ambiguous, and the error lists both keys. */
static void
test_shared(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start("esx", &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    set_vm(sim, "{\"vm\":\"ha-host_VM0\",\"name\":\"web%2fdb %25 one\"}");
    hvd_domain_list *l = list(conn, 0);
    const hvd_domain_info *e = named(l, "web/db % one");
    g_assert_nonnull(e);
    g_autofree char *key0 = g_strdup(e->key);
    g_autofree char *key1 = g_strdup(named(l, "ha-host_VM1")->key);
    drv->free(l);
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *x = NULL;
    g_assert_cmpint(drv->domain->lookup_by_name(conn, "web/db % one", 0, &x, &err), ==, HVD_OK);
    g_assert_cmpstr(x->key, ==, key0);
    drv->free(x);

    set_vm(sim, "{\"vm\":\"ha-host_VM1\",\"name\":\"web%2fdb %25 one\"}");
    g_assert_cmpint(drv->domain->lookup_by_name(conn, "web/db % one", 0, &x, &err), ==, HVD_ERR_AMBIGUOUS);
    g_assert_null(x);
    g_assert_nonnull(strstr(err.message, key0));
    g_assert_nonnull(strstr(err.message, key1));
    /* brief too: a shared name is ambiguous whatever is read */
    g_assert_cmpint(drv->domain->lookup_by_name(conn, "web/db % one", HVD_LIST_BRIEF, &x, &err), ==, HVD_ERR_AMBIGUOUS);
    g_assert_null(x);
    g_assert_nonnull(strstr(err.message, key1));

    static const char uuid_text[] = "42a1b2c3-d4e5-46f7-8899-aabbccddeeff";
    static const uint8_t uuid[16] = { 0x42, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0x46, 0xf7,
                                      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    g_autofree char *set0 = g_strdup_printf("{\"vm\":\"%s\",\"uuid\":\"%s\"}", key0, uuid_text);
    set_vm(sim, set0);
    g_assert_cmpint(drv->domain->lookup_by_uuid(conn, uuid, 0, &x, &err), ==, HVD_OK);
    g_assert_cmpstr(x->key, ==, key0);
    g_assert_cmpmem(x->uuid, 16, uuid, 16);
    drv->free(x);
    /* the textual UUID, in any case, addresses it too */
    g_autofree char *upper = g_ascii_strup(uuid_text, -1);
    x = info_of(conn, upper);
    g_assert_cmpstr(x->key, ==, key0);
    drv->free(x);

    g_autofree char *set1 = g_strdup_printf("{\"vm\":\"%s\",\"uuid\":\"%s\"}", key1, uuid_text);
    set_vm(sim, set1);
    g_assert_cmpint(drv->domain->lookup_by_uuid(conn, uuid, 0, &x, &err), ==, HVD_ERR_AMBIGUOUS);
    int32_t state = 0, reason = 0;
    g_assert_cmpint(drv->domain->get_state(conn, uuid_text, 0, &state, &reason, &err), ==, HVD_ERR_AMBIGUOUS);
    g_assert_nonnull(strstr(err.message, key0));
    g_assert_nonnull(strstr(err.message, key1));
    /* the keys still address each one */
    x = info_of(conn, key1);
    g_assert_cmpstr(x->key, ==, key1);
    drv->free(x);
    drv->connect->close(conn);
}

/* What `hvdctl list --all` costs: connect, one page, logout. */
static void
test_list_requests(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start("esx", &uri);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    hvd_conn *conn = open_flags(sim, uri, 0);
    drv->free(list(conn, 0));
    drv->connect->close(conn);
    g_assert_cmpint(calls(sim, "RetrieveServiceContent"), ==, 1);
    g_assert_cmpint(calls(sim, "Login"), ==, 1);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(calls(sim, "Logout"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 4);
}

/* Pages: a server that caps pages at 2 objects gives 5 VMs in 3 round trips
 * (RetrievePropertiesEx and two ContinueRetrievePropertiesEx), all listed;
 * no VMs at all is an empty list. */
static void
test_list_paged(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .vms = 5, .page_size = 2 };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    hvd_conn *conn = open_flags(sim, uri, 0);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    hvd_domain_list *l = list(conn, 0);
    g_assert_cmpuint(l->count, ==, 5);
    for (int i = 0; i < 5; i++) {
        g_autofree char *name = g_strdup_printf("ha-host_VM%d", i);
        g_assert_nonnull(named(l, name));
    }
    drv->free(l);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(calls(sim, "ContinueRetrievePropertiesEx"), ==, 2);
    g_assert_cmpint(calls(sim, NULL), ==, 3);
    drv->connect->close(conn);

    sim_options none = { .model = "esx", .vms = -1 };
    g_autoptr(sim_instance) empty = sim_start(&none, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri2 = g_strdup_printf("esx://%s:%d/?transport=http", empty->host, empty->port);
    conn = open_flags(empty, uri2, 0);
    l = list(conn, 0);
    g_assert_cmpuint(l->count, ==, 0);
    drv->free(l);
    drv->connect->close(conn);
}

/* ---- dumpxml --------------------------------------------------------------- */

static char *
xml_of(hvd_conn *conn, const char *domain)
{
    char *xml = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->domain->get_xml(conn, domain, 0, &xml, &err) != HVD_OK)
        g_error("get_xml %s: %s", domain, err.message);
    return xml;
}

static void
assert_has(const char *xml, const char *part)
{
    if (strstr(xml, part) == NULL)
        g_error("'%s' not in:\n%s", part, xml);
}

/* The XML of a VM as the simulator made it (one disk, e1000), from its
 * .vmx or from its config. */
static void
assert_made_by_sim(const char *xml, const char *model, const char *vm, const char *key, const char *uuid,
                   const char *dc)
{
    g_autofree char *name = g_strdup_printf("<name>%s</name>", vm);
    g_autofree char *uuid_el = g_strdup_printf("<uuid>%s</uuid>", uuid);
    g_autofree char *disk = g_strdup_printf("<source file='[LocalDS_0] %s/disk1.vmdk'/>", vm);
    g_autofree char *moref = g_strdup_printf("<vmware:moref>%s</vmware:moref>", key);
    g_autofree char *dcpath = g_strdup_printf("<vmware:datacenterpath>%s</vmware:datacenterpath>", dc);
    assert_has(xml, "<domain type='vmware'");
    assert_has(xml, name);
    assert_has(xml, uuid_el);
    assert_has(xml, "<memory unit='KiB'>32768</memory>");
    assert_has(xml, disk);
    /* vcsim's vCenter model puts its VMs on a distributed switch */
    assert_has(xml, strcmp(model, "esx") == 0 ? "<source bridge='VM Network'/>" : "<interface type='vds'>");
    assert_has(xml, "<model type='e1000'/>");
    assert_has(xml, moref);
    assert_has(xml, dcpath);
}

/* The simulator writes each VM's .vmx from its config (as ESX keeps it): the
 * XML comes from there; an empty .vmx (vcsim's own) makes the driver build
 * the same from the VM's config; a .vmx uploaded as a client would is then
 * the source, its file names mapped to [datastore] paths; the domain's name
 * is the server's. */
static void
check_xml(const char *model, const char *vm, const char *dc)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, vm, "vm");
    g_autofree char *uuid = server_vm(sim, vm, "uuid");

    char *xml = xml_of(conn, key);
    assert_made_by_sim(xml, model, vm, key, uuid, dc);
    drv->free(xml);
    /* an empty .vmx: built from the config */
    g_autofree char *path = g_strdup_printf("%s/%s.vmx", vm, vm);
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_put_file(sim, dc, "LocalDS_0", path, "", &gerr));
    g_assert_no_error(gerr);
    xml = xml_of(conn, key);
    assert_made_by_sim(xml, model, vm, key, uuid, dc);
    drv->free(xml);
    g_autofree char *name = g_strdup_printf("<name>%s</name>", vm);
    g_autofree char *disk = g_strdup_printf("<source file='[LocalDS_0] %s/disk1.vmdk'/>", vm);

    g_autofree char *vmx =
        g_strdup_printf(".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvirtualHW.version = \"13\"\n"
                        "displayName = \"%s\"\nannotation = \"written by the test\"\n"
                        "memsize = \"2048\"\nnumvcpus = \"2\"\nguestOS = \"other-64\"\n"
                        "scsi0.present = \"TRUE\"\nscsi0.virtualDev = \"lsilogic\"\n"
                        "scsi0:0.present = \"TRUE\"\nscsi0:0.deviceType = \"scsi-hardDisk\"\n"
                        "scsi0:0.fileName = \"disk1.vmdk\"\n"
                        "scsi0:1.present = \"TRUE\"\nscsi0:1.deviceType = \"scsi-hardDisk\"\n"
                        "scsi0:1.fileName = \"data.vmdk\"\n"
                        "ethernet0.present = \"TRUE\"\nethernet0.virtualDev = \"vmxnet3\"\n"
                        "ethernet0.networkName = \"VM Network\"\nethernet0.addressType = \"static\"\n"
                        "ethernet0.address = \"00:50:56:11:22:33\"\n",
                        vm);
    g_assert_true(sim_put_file(sim, dc, "LocalDS_0", path, vmx, &gerr));
    g_assert_no_error(gerr);
    xml = xml_of(conn, key);
    assert_has(xml, name);
    assert_has(xml, "<description>written by the test</description>");
    assert_has(xml, "<memory unit='KiB'>2097152</memory>");
    assert_has(xml, ">2</vcpu>");
    assert_has(xml, "arch='x86_64'");
    assert_has(xml, disk);
    g_autofree char *data = g_strdup_printf("<source file='[LocalDS_0] %s/data.vmdk'/>", vm);
    assert_has(xml, data);
    assert_has(xml, "model='lsilogic'");
    assert_has(xml, "<mac address='00:50:56:11:22:33' type='static'/>");
    assert_has(xml, "<model type='vmxnet3'/>");
    /* by its UUID: the same document */
    char *by_uuid = xml_of(conn, uuid);
    g_assert_cmpstr(by_uuid, ==, xml);
    drv->free(by_uuid);
    drv->free(xml);

    hvd_error err = HVD_ERROR_INIT;
    char *none = NULL;
    g_assert_cmpint(drv->domain->get_xml(conn, "vm-424242", 0, &none, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_null(none);
    drv->connect->close(conn);
}

static void
test_xml_esx(void)
{
    check_xml("esx", "ha-host_VM1", "ha-datacenter");
}

static void
test_xml_vpx(void)
{
    check_xml("vc", "DC0_H0_VM0", "DC0");
}

/* ---- lifecycle ------------------------------------------------------------ */

static void
assert_power(sim_instance *sim, const char *vm, const char *power)
{
    g_autofree char *p = server_vm(sim, vm, "power");
    g_assert_cmpstr(p, ==, power);
}

/* A call refused in the wrong state: the message names the domain and its state. */
static void
assert_refused(int32_t rc, const hvd_error *err, const char *name, const char *why)
{
    g_assert_cmpint(rc, ==, HVD_ERR_OPERATION_INVALID);
    g_autofree char *want = g_strdup_printf("domain '%s' %s", name, why);
    g_assert_nonnull(strstr(err->message, want));
}

static void
check_lifecycle(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, vm, "vm");
    const hvd_domain_table *t = drv->domain;
    hvd_error err = HVD_ERROR_INIT;

    g_assert_cmpint(t->destroy(conn, key, 0, NULL, &err), ==, HVD_OK);
    assert_power(sim, vm, "poweredOff");
    assert_refused(t->destroy(conn, key, 0, NULL, &err), &err, vm, "is not running (it is shut off)");
    assert_refused(t->suspend(conn, key, 0, NULL, &err), &err, vm, "is not running");
    assert_refused(t->shutdown(conn, key, 0, &err), &err, vm, "is not running");
    assert_refused(t->reboot(conn, key, 0, &err), &err, vm, "is not running");
    assert_refused(t->resume(conn, key, 0, NULL, &err), &err, vm, "is not suspended");

    g_assert_cmpint(t->start(conn, key, 0, NULL, &err), ==, HVD_OK);
    assert_power(sim, vm, "poweredOn");
    assert_refused(t->start(conn, key, 0, NULL, &err), &err, vm, "is already active (it is running)");

    g_assert_cmpint(t->suspend(conn, key, 0, NULL, &err), ==, HVD_OK);
    assert_power(sim, vm, "suspended");
    assert_refused(t->suspend(conn, key, 0, NULL, &err), &err, vm, "is not running (it is suspended)");
    assert_refused(t->start(conn, key, 0, NULL, &err), &err, vm, "is already active");
    g_assert_cmpint(t->resume(conn, key, 0, NULL, &err), ==, HVD_OK);
    assert_power(sim, vm, "poweredOn");

    /* the guest is asked through VMware Tools: refused while they are not running */
    g_assert_cmpint(t->shutdown(conn, key, HVD_SHUTDOWN_GUEST_AGENT, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "VMware Tools are not running"));
    g_assert_cmpint(t->reboot(conn, key, 0, &err), ==, HVD_ERR_OPERATION_INVALID);
    assert_power(sim, vm, "poweredOn");
    g_autofree char *tools = g_strdup_printf("{\"vm\":\"%s\",\"running\":true}", vm);
    control(sim, "POST", "/guest-tools", tools, NULL);
    g_assert_cmpint(t->reboot(conn, key, HVD_SHUTDOWN_GUEST_AGENT, &err), ==, HVD_OK);
    assert_power(sim, vm, "poweredOn");
    g_assert_cmpint(t->shutdown(conn, key, 0, &err), ==, HVD_OK);
    assert_power(sim, vm, "poweredOff");

    /* not found, unknown flags */
    g_assert_cmpint(t->start(conn, "vm-424242", 0, NULL, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->start(conn, key, 0x8, NULL, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_cmpint(t->shutdown(conn, key, 0x8, &err), ==, HVD_ERR_BAD_FLAGS);
    drv->connect->close(conn);

    /* a read-only connection changes nothing */
    conn = open_flags(sim, uri, HVD_CONNECT_READONLY);
    g_assert_cmpint(t->start(conn, key, 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_nonnull(strstr(err.message, "read-only"));
    g_assert_cmpint(t->destroy(conn, key, 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(t->shutdown(conn, key, 0, &err), ==, HVD_ERR_ACCESS_DENIED);
    assert_power(sim, vm, "poweredOff");
    /* reading still works */
    hvd_domain_info *x = info_of(conn, key);
    g_assert_cmpint(x->state, ==, HVD_DOMAIN_SHUTOFF);
    drv->free(x);
    drv->connect->close(conn);
}

static void
test_lifecycle_esx(void)
{
    check_lifecycle("esx", "ha-host_VM0");
}

static void
test_lifecycle_vpx(void)
{
    check_lifecycle("vc", "DC0_H0_VM1");
}

typedef struct {
    GString *seen; /* "what:percent," per report */
    int cancel_at; /* return 1 from the report with this percent or above; -1 never */
    int after_cancel;
    gboolean cancelled;
} progress_log;

static int32_t HVD_CALL
log_progress(void *user_data, const char *what, int32_t percent)
{
    progress_log *l = user_data;
    if (l->cancelled)
        l->after_cancel++;
    g_string_append_printf(l->seen, "%s:%d,", what, percent);
    if (l->cancel_at >= 0 && percent >= l->cancel_at) {
        l->cancelled = TRUE;
        return 1;
    }
    return 0;
}

/* Progress through the call's hvd_progress; a cancel the server honours
 * (HVD_ERR_CANCELLED, nothing done) and one it refuses (the task's own
 * result, no report after the request). */
static void
test_progress_cancel(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start("esx", &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, "ha-host_VM1", "vm");
    hvd_error err = HVD_ERROR_INIT;

    control(sim, "POST", "/task-delay", "{\"method\":\"PowerOffVM_Task\",\"ms\":1500,\"steps\":3}", NULL);
    g_autoptr(GString) seen = g_string_new(NULL);
    progress_log l = { .seen = seen, .cancel_at = -1 };
    hvd_progress p = { .struct_size = sizeof(p), .progress = log_progress, .user_data = &l };
    g_assert_cmpint(drv->domain->destroy(conn, key, 0, &p, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(seen->str, "PowerOffVM_Task on 'ha-host_VM1':"));
    g_assert_nonnull(strstr(seen->str, ":100,"));
    assert_power(sim, "ha-host_VM1", "poweredOff");

    /* cancelled on the server: still off */
    control(sim, "POST", "/task-delay", "{\"method\":\"PowerOnVM_Task\",\"ms\":4000,\"steps\":8}", NULL);
    g_string_truncate(seen, 0);
    l = (progress_log){ .seen = seen, .cancel_at = 0 };
    g_assert_cmpint(drv->domain->start(conn, key, 0, &p, &err), ==, HVD_ERR_CANCELLED);
    g_assert_cmpint(l.after_cancel, ==, 0);
    assert_power(sim, "ha-host_VM1", "poweredOff");

    /* a task that cannot be cancelled: it runs to its end and succeeds */
    control(sim, "POST", "/task-delay", "{\"method\":\"PowerOnVM_Task\",\"ms\":1500,\"steps\":3,\"cancelable\":false}",
            NULL);
    l = (progress_log){ .seen = seen, .cancel_at = 0 };
    g_assert_cmpint(drv->domain->start(conn, key, 0, &p, &err), ==, HVD_OK);
    g_assert_cmpint(l.after_cancel, ==, 0);
    assert_power(sim, "ha-host_VM1", "poweredOn");
    drv->connect->close(conn);
}

/* A question raised by the power-on task: answered with its default under
 * auto_answer=1, else the call fails naming it. */
static void
test_question(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start("esx", &uri);
    g_autofree char *key = server_vm(sim, "ha-host_VM0", "vm");
    hvd_error err = HVD_ERROR_INIT;
    control(sim, "POST", "/vm", "{\"vm\":\"ha-host_VM0\",\"power\":\"poweredOff\"}", NULL);

    hvd_conn *conn = open_flags(sim, uri, 0);
    control(sim, "POST", "/question", "{\"vm\":\"ha-host_VM0\",\"on\":\"PowerOnVM_Task\"}", NULL);
    g_assert_cmpint(drv->domain->start(conn, key, 0, NULL, &err), ==, HVD_ERR_QUESTION);
    g_assert_nonnull(strstr(err.message, "I Copied It"));
    drv->connect->close(conn);

    g_autofree char *auto_uri = g_strconcat(uri, "&auto_answer=1", NULL);
    conn = open_flags(sim, auto_uri, 0);
    control(sim, "POST", "/question", "{\"vm\":\"ha-host_VM0\",\"on\":\"PowerOnVM_Task\"}", NULL);
    g_assert_cmpint(drv->domain->start(conn, key, 0, NULL, &err), ==, HVD_OK);
    assert_power(sim, "ha-host_VM0", "poweredOn");
    g_autofree char *q = NULL;
    control(sim, "GET", "/question?vm=ha-host_VM0", NULL, &q);
    g_assert_nonnull(strstr(q, "\"choice\":\"2\""));
    drv->connect->close(conn);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/domains/list-esx", test_list_esx);
    g_test_add_func("/plugin/domains/list-vpx", test_list_vpx);
    g_test_add_func("/plugin/domains/vpx-other-host", test_vpx_other_host);
    g_test_add_func("/plugin/domains/shared", test_shared);
    g_test_add_func("/plugin/domains/list-requests", test_list_requests);
    g_test_add_func("/plugin/domains/list-paged", test_list_paged);
    g_test_add_func("/plugin/domains/xml-esx", test_xml_esx);
    g_test_add_func("/plugin/domains/xml-vpx", test_xml_vpx);
    g_test_add_func("/plugin/domains/lifecycle-esx", test_lifecycle_esx);
    g_test_add_func("/plugin/domains/lifecycle-vpx", test_lifecycle_vpx);
    g_test_add_func("/plugin/domains/progress-cancel", test_progress_cancel);
    g_test_add_func("/plugin/domains/question", test_question);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
