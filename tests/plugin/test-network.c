/* Networks (the host's virtual switches) and host interfaces (its physical
 * NICs) against the simulator: list, lookups by name and by a UUID that
 * stays the same across connections, the <network> XML with its port
 * groups and uplinks, the interfaces' list and <interface> XML; unknown
 * names and flags. On the ESX model and through a vCenter. */
#include "simconn.h"

#include <string.h>

static void
check_network(const char *model)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, HVD_CONNECT_READONLY);
    const hvd_network_table *t = drv->network;
    g_assert_nonnull(t);
    g_assert_true(drv->capabilities & HVD_CAP_NETWORK);
    hvd_error err = HVD_ERROR_INIT;

    hvd_network_list *list = NULL;
    g_assert_cmpint(t->list(conn, 0, &list, &err), ==, HVD_OK);
    g_assert_cmpuint(list->count, ==, 1);
    const hvd_network_info *n0 = HVD_LIST_AT(hvd_network_info, list->entries, list->entry_size, 0);
    g_assert_cmpstr(n0->name, ==, "vSwitch0");
    g_assert_cmpuint(n0->active, ==, 1);
    uint8_t uuid[16];
    memcpy(uuid, n0->uuid, 16);
    drv->free(list);
    g_assert_cmpint(t->list(conn, HVD_NETWORK_LIST_INACTIVE, &list, &err), ==, HVD_OK);
    g_assert_cmpuint(list->count, ==, 0);
    drv->free(list);

    /* the UUID is stable: another connection finds the switch by it */
    hvd_network_info *info = NULL;
    g_assert_cmpint(t->lookup_by_uuid(other, uuid, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpstr(info->name, ==, "vSwitch0");
    drv->free(info);
    g_assert_cmpint(t->lookup_by_name(other, "vSwitch0", 0, &info, &err), ==, HVD_OK);
    g_assert_cmpmem(info->uuid, 16, uuid, 16);
    drv->free(info);
    g_assert_cmpint(t->lookup_by_name(conn, "vSwitch9", 0, &info, &err), ==, HVD_ERR_NO_NETWORK);
    g_assert_nonnull(strstr(err.message, "'vSwitch9'"));
    uint8_t none[16] = { 1 };
    g_assert_cmpint(t->lookup_by_uuid(conn, none, 0, &info, &err), ==, HVD_ERR_NO_NETWORK);

    char *xml = NULL;
    g_assert_cmpint(t->get_xml(conn, "vSwitch0", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<name>vSwitch0</name>"));
    g_assert_nonnull(strstr(xml, "<forward mode='bridge'>\n    <interface dev='vmnic0'/>\n  </forward>"));
    g_assert_nonnull(strstr(xml, "<portgroup name='VM Network'/>"));
    g_assert_nonnull(strstr(xml, "<portgroup name='Management Network'/>"));
    drv->free(xml);
    /* a port group on a VLAN, added on the server */
    control(sim, "POST", "/host", "{\"portgroup\":{\"name\":\"Storage\",\"vswitch\":\"vSwitch0\",\"vlan\":20}}", NULL);
    g_assert_cmpint(t->get_xml(other, "vSwitch0", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(
        strstr(xml, "<portgroup name='Storage'>\n    <vlan>\n      <tag id='20'/>\n    </vlan>\n  </portgroup>"));
    drv->free(xml);
    g_assert_cmpint(t->get_xml(conn, "nope", 0, &xml, &err), ==, HVD_ERR_NO_NETWORK);
    g_assert_cmpint(t->get_xml(conn, "vSwitch0", 0x8, &xml, &err), ==, HVD_ERR_BAD_FLAGS);

    /* host interfaces */
    hvd_iface_list *ifs = NULL;
    g_assert_cmpint(t->iface_list(conn, 0, &ifs, &err), ==, HVD_OK);
    g_assert_cmpuint(ifs->count, ==, 2);
    const hvd_iface_info *i0 = HVD_LIST_AT(hvd_iface_info, ifs->entries, ifs->entry_size, 0);
    g_assert_cmpstr(i0->name, ==, "vmnic0");
    g_assert_cmpstr(i0->mac, ==, "00:0c:29:81:d8:a0");
    drv->free(ifs);
    g_assert_cmpint(t->iface_get_xml(conn, "vmnic0", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<interface type='ethernet' name='vmnic0'>"));
    g_assert_nonnull(strstr(xml, "<mac address='00:0c:29:81:d8:a0'/>"));
    g_assert_nonnull(strstr(xml, "<link "));
    drv->free(xml);
    g_assert_cmpint(t->iface_get_xml(conn, "vmnic9", 0, &xml, &err), ==, HVD_ERR_NO_INTERFACE);
    g_assert_nonnull(t->define_xml); /* tests/plugin/test-network-define.c */
    g_assert_nonnull(t->undefine);
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_network_esx(void)
{
    check_network("esx");
}

static void
test_network_vpx(void)
{
    check_network("vc");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/network/esx", test_network_esx);
    g_test_add_func("/plugin/network/vpx", test_network_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
