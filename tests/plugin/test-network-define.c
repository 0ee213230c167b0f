/* Network define and undefine against the simulator, on the ESX model and
 * through a vCenter (vpx:// with a host path): a define creates the vSwitch
 * with its uplink, MTU and port groups (VLANs), seen by a second
 * connection; what cannot be mapped is refused before any call, naming the
 * element; a define that fails midway leaves nothing behind (and, when the
 * undo fails too, says what is left and how to remove it); an undefine is
 * refused while a VM is on one of the port groups (naming the VM) or the
 * host's VMkernel NIC is, and otherwise removes everything. */
#include "simconn.h"

#include <string.h>

#define NET_XML                                                                                                       \
    "<network>\n  <name>hvdnet</name>\n  <forward mode='bridge'>\n    <interface dev='vmnic1'/>\n  </forward>\n"      \
    "  <mtu size='9000'/>\n  <portgroup name='pgA'>\n    <vlan>\n      <tag id='10'/>\n    </vlan>\n  </portgroup>\n" \
    "  <portgroup name='pgB'/>\n</network>\n"

static const hvd_network_table *t;

/* The number of networks CONN lists. */
static guint
count(hvd_conn *conn)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_list *list = NULL;
    g_assert_cmpint(t->list(conn, 0, &list, &err), ==, HVD_OK);
    guint n = list->count;
    drv->free(list);
    return n;
}

/* Asserts that CONN sees no network NAME. */
static void
assert_gone(hvd_conn *conn, const char *name)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_info *info = NULL;
    int32_t rc = t->lookup_by_name(conn, name, 0, &info, &err);
    if (rc != HVD_ERR_NO_NETWORK)
        g_error("network %s should be gone, lookup gave %d: %s", name, rc, err.message);
}

/* Defines XML on CONN expecting status RC and a message containing WANT;
 * returns the message. */
static char *
define_fails(hvd_conn *conn, const char *xml, int32_t rc, const char *want)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_info *info = NULL;
    int32_t got = t->define_xml(conn, xml, 0, &info, &err);
    if (got != rc || strstr(err.message, want) == NULL)
        g_error("define of\n%s\ngave %d (%s), expected %d with \"%s\"", xml, got, err.message, rc, want);
    g_assert_null(info);
    return g_strdup(err.message);
}

/* A network "bad" with BODY inside <network>. */
static char *
bad(const char *body)
{
    return g_strdup_printf("<network><name>bad</name>%s</network>", body);
}

static void
check_bad_inputs(sim_instance *sim, hvd_conn *conn, hvd_conn *ro)
{
    static const struct {
        const char *body;
        int32_t rc;
        const char *want;
    } cases[] = {
        { "<ip address='192.168.1.1'><dhcp/></ip>", HVD_ERR_CONFIG_UNSUPPORTED, "<ip> is not supported" },
        { "<dns/>", HVD_ERR_CONFIG_UNSUPPORTED, "<dns> is not supported" },
        { "<bandwidth/>", HVD_ERR_CONFIG_UNSUPPORTED, "<bandwidth> is not supported" },
        { "<forward mode='nat'/>", HVD_ERR_CONFIG_UNSUPPORTED, "forward mode 'nat'" },
        { "<forward/>", HVD_ERR_CONFIG_UNSUPPORTED, "<forward> without a mode" },
        { "<forward mode='bridge'><pf dev='vmnic1'/></forward>", HVD_ERR_CONFIG_UNSUPPORTED, "<pf> in <forward>" },
        { "<bridge name='virbr0'/>", HVD_ERR_CONFIG_UNSUPPORTED, "<bridge name='virbr0'> differs" },
        { "<bridge name='bad' stp='on'/>", HVD_ERR_CONFIG_UNSUPPORTED, "attribute 'stp' of <bridge>" },
        { "<portgroup name='p'><vlan trunk='yes'><tag id='1'/></vlan></portgroup>", HVD_ERR_CONFIG_UNSUPPORTED,
          "attribute 'trunk' of <vlan>" },
        { "<portgroup name='p'><vlan><tag id='1'/><tag id='2'/></vlan></portgroup>", HVD_ERR_CONFIG_UNSUPPORTED,
          "more than one VLAN tag" },
        { "<portgroup name='p'><vlan><tag id='5000'/></vlan></portgroup>", HVD_ERR_INVALID_ARG, "from 0 to 4095" },
        { "<portgroup name='p'/><portgroup name='p'/>", HVD_ERR_XML, "port group 'p' appears twice" },
        { "<portgroup/>", HVD_ERR_XML, "a <portgroup> has no name" },
        { "<mtu size='100'/>", HVD_ERR_INVALID_ARG, "from 1280 to 9000" },
        { "<uuid>not-a-uuid</uuid>", HVD_ERR_XML, "is not a UUID" },
        { "<uuid>00000000-0000-0000-0000-000000000001</uuid>", HVD_ERR_CONFIG_UNSUPPORTED, "leave <uuid> out" },
        { "<forward mode='bridge'><interface dev='vmnic9'/></forward>", HVD_ERR_NO_INTERFACE,
          "no physical NIC 'vmnic9' on the host (it has: vmnic0, vmnic1" },
        { "<forward mode='bridge'><interface dev='vmnic0'/></forward>", HVD_ERR_OPERATION_INVALID,
          "'vmnic0' is already an uplink of network 'vSwitch0'" },
        { "<portgroup name='VM Network'/>", HVD_ERR_EXISTS,
          "port group 'VM Network' already exists on the host (on network 'vSwitch0')" },
    };
    int before = calls(sim, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = bad(cases[i].body);
        g_free(define_fails(conn, xml, cases[i].rc, cases[i].want));
    }
    /* refused before any change: only reads reached the server */
    g_assert_cmpint(calls(sim, "AddVirtualSwitch"), ==, 0);
    g_assert_cmpint(calls(sim, "AddPortGroup"), ==, 0);
    g_assert_cmpint(calls(sim, NULL), >, before);
    assert_gone(conn, "bad");
    g_free(define_fails(conn, "<network><name>x</name>", HVD_ERR_XML, "malformed network XML"));
    g_free(define_fails(conn, "<net><name>x</name></net>", HVD_ERR_XML, "root element is not <network>"));
    g_free(define_fails(conn, "<network/>", HVD_ERR_XML, "<name> is missing"));
    g_free(define_fails(conn, "<network><name>abcdefghijklmnopqrstuvwxyz0123456789</name></network>",
                        HVD_ERR_INVALID_ARG, "longer than 32 bytes"));
    g_free(define_fails(conn, "<network><name>vSwitch0</name></network>", HVD_ERR_EXISTS,
                        "network 'vSwitch0' already exists on the host"));
    g_free(define_fails(conn, NULL, HVD_ERR_INVALID_ARG, "NULL"));
    g_free(define_fails(ro, NET_XML, HVD_ERR_ACCESS_DENIED, "read-only"));
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(t->define_xml(conn, NET_XML, 0x4, NULL, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_cmpint(t->undefine(conn, "vSwitch9", 0, &err), ==, HVD_ERR_NO_NETWORK);
    g_assert_nonnull(strstr(err.message, "'vSwitch9'"));
    g_assert_cmpint(t->undefine(ro, "vSwitch0", 0, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(t->undefine(conn, NULL, 0, &err), ==, HVD_ERR_INVALID_ARG);
    g_assert_cmpint(t->undefine(conn, "vSwitch0", 0x1, &err), ==, HVD_ERR_BAD_FLAGS);
    /* vSwitch0 carries the host's management VMkernel NIC */
    g_assert_cmpint(t->undefine(conn, "vSwitch0", 0, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "'Management Network' carries the host's VMkernel NIC vmk0"));
    g_assert_cmpint(calls(sim, "RemoveVirtualSwitch"), ==, 0);
    g_assert_cmpint(calls(sim, "RemovePortGroup"), ==, 0);
}

/* A define that fails midway on the server is undone: nothing stays. */
static void
check_undo(sim_instance *sim, hvd_conn *conn, hvd_conn *other)
{
    /* the injected fault hits the first AddPortGroup: the switch goes again */
    control(sim, "POST", "/faults", "{\"method\":\"AddPortGroup\",\"kind\":\"fault\",\"count\":1}", NULL);
    g_autofree char *msg = define_fails(conn, NET_XML, HVD_ERR_SERVER, "adding port group 'pgA': ");
    if (strstr(msg, "injected fault") == NULL || strstr(msg, "undone: the virtual switch 'hvdnet'") == NULL)
        g_error("undone define: %s", msg);
    assert_gone(other, "hvdnet");
    g_assert_cmpuint(count(other), ==, 1);
    g_assert_cmpint(calls(sim, "RemoveVirtualSwitch"), ==, 1);

    /* when the undo fails too, the message says so and what to run; the
     * switch is then left (as the server has it) and net-undefine clears it */
    control(sim, "POST", "/faults", "{\"method\":\"AddPortGroup\",\"kind\":\"fault\",\"count\":1}", NULL);
    control(sim, "POST", "/faults", "{\"method\":\"RemoveVirtualSwitch\",\"kind\":\"fault\",\"count\":1}", NULL);
    g_free(msg);
    msg = define_fails(conn, NET_XML, HVD_ERR_SERVER, "adding port group 'pgA': ");
    if (strstr(msg, "undoing it failed too (removing the virtual switch: ") == NULL ||
        strstr(msg, "remove what is left with net-undefine hvdnet") == NULL)
        g_error("failed undo: %s", msg);
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(t->undefine(other, "hvdnet", 0, &err), ==, HVD_OK);
    assert_gone(conn, "hvdnet");
    g_assert_cmpint(calls(sim, "RemoveVirtualSwitch"), ==, 3);

    /* the switch is made but the answer is lost: it is removed again */
    control(sim, "POST", "/faults", "{\"method\":\"AddVirtualSwitch\",\"kind\":\"drop-after\",\"count\":1}", NULL);
    g_free(msg);
    msg = define_fails(conn, NET_XML, HVD_ERR_CONNECT, "adding the virtual switch: ");
    if (strstr(msg, "the switch the server had made all the same was removed") == NULL)
        g_error("lost answer: %s", msg);
    assert_gone(other, "hvdnet");
    g_assert_cmpint(calls(sim, "RemoveVirtualSwitch"), ==, 4);
    if (strcmp(sim->model, "vc") != 0)
        return;
    /* through a vCenter: the second port group's name is taken by the
     * datacenter's distributed port group, which the host's own port groups
     * do not show, so the server refuses it after the first was made */
    g_free(msg);
    msg =
        define_fails(conn, "<network><name>hvdnet</name><portgroup name='pgA'/><portgroup name='DC0_DVPG0'/></network>",
                     HVD_ERR_EXISTS, "adding port group 'DC0_DVPG0': ");
    if (strstr(msg, "undone: the virtual switch 'hvdnet'") == NULL)
        g_error("undone define: %s", msg);
    g_assert_cmpint(calls(sim, "RemovePortGroup"), ==, 1);
    g_assert_cmpint(calls(sim, "RemoveVirtualSwitch"), ==, 5);
    assert_gone(other, "hvdnet");
    g_assert_cmpuint(count(other), ==, 1);
}

static void
check_define(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0);
    hvd_conn *ro = open_flags(sim, uri, HVD_CONNECT_READONLY);
    t = drv->network;
    g_assert_nonnull(t->define_xml);
    g_assert_nonnull(t->undefine);
    hvd_error err = HVD_ERROR_INIT;
    check_bad_inputs(sim, conn, ro);
    g_assert_cmpuint(count(other), ==, 1);

    check_undo(sim, conn, other);
    int removed_pgs = calls(sim, "RemovePortGroup"), removed_sw = calls(sim, "RemoveVirtualSwitch");

    hvd_network_info *info = NULL;
    int before = calls(sim, NULL);
    g_assert_cmpint(t->define_xml(conn, NET_XML, 0, &info, &err), ==, HVD_OK);
    /* one retrieval of the host, AddVirtualSwitch, one AddPortGroup per port group */
    g_test_message("define (2 port groups): %d requests", calls(sim, NULL) - before);
    g_assert_cmpint(calls(sim, NULL) - before, ==, 4);
    g_assert_cmpstr(info->name, ==, "hvdnet");
    g_assert_cmpuint(info->active, ==, 1);
    uint8_t uuid[16];
    memcpy(uuid, info->uuid, 16);
    drv->free(info);

    /* the server has it: a second connection sees switch, uplink, MTU, port groups */
    g_assert_cmpuint(count(other), ==, 2);
    g_assert_cmpint(t->lookup_by_uuid(other, uuid, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpstr(info->name, ==, "hvdnet");
    drv->free(info);
    char *xml = NULL;
    g_assert_cmpint(t->get_xml(other, "hvdnet", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<forward mode='bridge'>\n    <interface dev='vmnic1'/>\n  </forward>"));
    g_assert_nonnull(strstr(xml, "<mtu size='9000'/>"));
    g_assert_nonnull(
        strstr(xml, "<portgroup name='pgA'>\n    <vlan>\n      <tag id='10'/>\n    </vlan>\n  </portgroup>"));
    g_assert_nonnull(strstr(xml, "<portgroup name='pgB'/>"));
    g_assert_null(strstr(xml, "VM Network"));
    /* the dumped XML defines the same network again (its UUID is the derived one) */
    g_free(
        define_fails(conn, xml, HVD_ERR_EXISTS, "network 'hvdnet' already exists on the host; hvd-esx does not edit"));
    drv->free(xml);
    /* vSwitch0 kept its port groups */
    g_assert_cmpint(t->get_xml(other, "vSwitch0", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<portgroup name='VM Network'/>"));
    g_assert_null(strstr(xml, "pgA"));
    drv->free(xml);

    /* in use by a VM: refused, naming it, and nothing removed */
    g_autofree char *body = g_strdup_printf("{\"vm\":\"%s\",\"network\":\"pgA\"}", vm);
    control(sim, "POST", "/vmnet", body, NULL);
    g_assert_cmpint(t->undefine(conn, "hvdnet", 0, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_autofree char *named = g_strdup_printf("in use by 1 domain: '%s' (port group 'pgA')", vm);
    if (strstr(err.message, named) == NULL)
        g_error("undefine in use: %s", err.message);
    g_assert_cmpint(calls(sim, "RemovePortGroup"), ==, removed_pgs);
    g_assert_cmpint(t->get_xml(other, "hvdnet", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<portgroup name='pgA'>"));
    drv->free(xml);
    g_free(body);
    body = g_strdup_printf("{\"vm\":\"%s\",\"network\":\"pgA\",\"remove\":true}", vm);
    control(sim, "POST", "/vmnet", body, NULL);

    before = calls(sim, NULL);
    g_assert_cmpint(t->undefine(conn, "hvdnet", 0, &err), ==, HVD_OK);
    /* the host, its VMs, their networks' names; two RemovePortGroup, RemoveVirtualSwitch */
    g_test_message("undefine (2 port groups): %d requests", calls(sim, NULL) - before);
    g_assert_cmpint(calls(sim, NULL) - before, ==, 6);
    assert_gone(other, "hvdnet");
    g_assert_cmpuint(count(other), ==, 1);
    g_assert_cmpint(calls(sim, "RemovePortGroup"), ==, removed_pgs + 2);
    g_assert_cmpint(calls(sim, "RemoveVirtualSwitch"), ==, removed_sw + 1);
    /* the port groups went with it: the same definition works again */
    g_assert_cmpint(t->define_xml(conn, NET_XML, 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(t->undefine(other, "hvdnet", 0, &err), ==, HVD_OK);
    assert_gone(conn, "hvdnet");

    drv->connect->close(conn);
    drv->connect->close(other);
    drv->connect->close(ro);
}

static void
test_define_esx(void)
{
    check_define("esx", "ha-host_VM0");
}

static void
test_define_vpx(void)
{
    check_define("vc", "DC0_H0_VM0");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/network-define/esx", test_define_esx);
    g_test_add_func("/plugin/network-define/vpx", test_define_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
