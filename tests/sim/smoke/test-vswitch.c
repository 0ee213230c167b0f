/* Smoke test of hvd-sim's HostNetworkSystem switch and port group methods
 * (vswitch.go), in raw SOAP: each fault ESX gives (InvalidArgument,
 * AlreadyExists, ResourceInUse, NotFound), and config.network after each
 * change; /vmnet connects a VM to a port group, which then cannot go. */
#include "soapclient.h"

#include <curl/curl.h>
#include <string.h>

typedef struct {
    sim_instance *sim;
    char *cookie;
    char *ns; /* the HostNetworkSystem's moref value */
    char *host;
} net;

/* <METHOD> on the network system with ARGS (XML). */
static char *
body(const net *n, const char *method, const char *args)
{
    return g_strdup_printf("<%s xmlns=\"urn:vim25\"><_this type=\"HostNetworkSystem\">%s</_this>%s</%s>", method, n->ns,
                           args, method);
}

static void
fault(const net *n, const char *method, const char *args, const char *want)
{
    g_autofree char *b = body(n, method, args);
    g_free(soap_fault(n->sim, n->cookie, b, want));
}

static void
ok(const net *n, const char *method, const char *args)
{
    g_autofree char *b = body(n, method, args);
    g_free(soap_ok(n->sim, n->cookie, b));
}

static char *
network(const net *n)
{
    return get_property(n->sim, n->cookie, "HostSystem", n->host, "config.network");
}

#define SWITCH_SPEC(nics)                                                                            \
    "<spec><numPorts>128</numPorts><bridge xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " \
    "xsi:type=\"HostVirtualSwitchBondBridge\">" nics "</bridge><mtu>9000</mtu></spec>"
#define PG(name, vlan, sw) \
    "<portgrp><name>" name "</name><vlanId>" vlan "</vlanId><vswitchName>" sw "</vswitchName><policy/></portgrp>"

static void
test_vswitch(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    net n = { .sim = sim, .cookie = soap_login(sim) };
    n.host = find_object(sim, n.cookie, "HostSystem", "localhost.localdomain");
    g_autofree char *cm = get_property(sim, n.cookie, "HostSystem", n.host, "configManager");
    n.ns = extract_between(cm, "<networkSystem type=\"HostNetworkSystem\">", "</networkSystem>");
    g_assert_nonnull(n.ns);

    fault(&n, "AddVirtualSwitch", "<vswitchName>vSwitch0</vswitchName>", "AlreadyExists");
    fault(&n, "AddVirtualSwitch", "<vswitchName>abcdefghijklmnopqrstuvwxyz0123456789</vswitchName>", "InvalidArgument");
    fault(&n, "AddVirtualSwitch", "<vswitchName>sw1</vswitchName>" SWITCH_SPEC("<nicDevice>vmnic0</nicDevice>"),
          "ResourceInUse");
    fault(&n, "AddVirtualSwitch", "<vswitchName>sw1</vswitchName>" SWITCH_SPEC("<nicDevice>vmnic9</nicDevice>"),
          "InvalidArgument");
    g_autofree char *before = network(&n);
    g_assert_null(strstr(before, "sw1"));

    ok(&n, "AddVirtualSwitch", "<vswitchName>sw1</vswitchName>" SWITCH_SPEC("<nicDevice>vmnic1</nicDevice>"));
    g_autofree char *after = network(&n);
    g_assert_nonnull(strstr(after, "<name>sw1</name><key>key-vim.host.VirtualSwitch-sw1</key>"));
    g_assert_nonnull(strstr(after, "<pnic>key-vim.host.PhysicalNic-vmnic1</pnic>"));
    g_assert_nonnull(strstr(after, "<mtu>9000</mtu>"));

    fault(&n, "AddPortGroup", PG("pg1", "5000", "sw1"), "InvalidArgument");
    fault(&n, "AddPortGroup", PG("pg1", "7", "nosuch"), "NotFound");
    fault(&n, "AddPortGroup", PG("VM Network", "0", "sw1"), "AlreadyExists");
    ok(&n, "AddPortGroup", PG("pg1", "7", "sw1"));
    g_autofree char *with_pg = network(&n);
    g_assert_nonnull(strstr(with_pg, "<key>key-vim.host.PortGroup-pg1</key>"));
    g_assert_nonnull(strstr(with_pg, "<vlanId>7</vlanId>"));
    g_assert_nonnull(strstr(with_pg, "<portgroup>key-vim.host.PortGroup-pg1</portgroup>"));

    /* a VM on pg1: neither the port group nor its switch can go */
    g_free(control_ok(sim, "POST", "/vmnet", "{\"vm\":\"ha-host_VM0\",\"network\":\"pg1\"}"));
    fault(&n, "RemovePortGroup", "<pgName>pg1</pgName>", "ResourceInUse");
    fault(&n, "RemoveVirtualSwitch", "<vswitchName>sw1</vswitchName>", "ResourceInUse");
    /* the host's own VMkernel NIC is on vSwitch0's Management Network */
    fault(&n, "RemovePortGroup", "<pgName>Management Network</pgName>", "ResourceInUse");
    g_free(control_ok(sim, "POST", "/vmnet", "{\"vm\":\"ha-host_VM0\",\"network\":\"pg1\",\"remove\":true}"));

    /* the switch goes with its port group */
    ok(&n, "RemoveVirtualSwitch", "<vswitchName>sw1</vswitchName>");
    g_autofree char *gone = network(&n);
    g_assert_null(strstr(gone, "sw1"));
    g_assert_null(strstr(gone, "pg1"));
    fault(&n, "RemovePortGroup", "<pgName>pg1</pgName>", "NotFound");
    fault(&n, "RemoveVirtualSwitch", "<vswitchName>sw1</vswitchName>", "NotFound");
    /* and its port group's name is free again */
    ok(&n, "AddPortGroup", PG("pg1", "0", "vSwitch0"));
    ok(&n, "RemovePortGroup", "<pgName>pg1</pgName>");
    g_free(n.cookie);
    g_free(n.ns);
    g_free(n.host);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/vswitch", test_vswitch);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
