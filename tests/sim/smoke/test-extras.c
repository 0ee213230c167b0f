/* Methods real ESX/vCenter have and vcsim lacks: RebootGuest,
 * ReconfigureAutostart (HostAutoStartManager), MigrateVM_Task, iSCSI
 * adapters and RescanHba. */
#include "soapclient.h"

#include <curl/curl.h>
#include <string.h>

static void
test_reboot_guest(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");
    g_autofree char *reboot =
        g_strdup_printf("<RebootGuest xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></RebootGuest>", vm);

    /* vcsim's VMs run no tools. */
    g_free(soap_fault(sim, cookie, reboot, "ToolsUnavailable"));
    g_free(control_ok(sim, "POST", "/guest-tools", "{\"vm\":\"ha-host_VM0\",\"running\":true}"));
    g_autofree char *tools = get_property(sim, cookie, "VirtualMachine", vm, "guest.toolsRunningStatus");
    g_assert_cmpstr(tools, ==, "guestToolsRunning");

    g_autofree char *boot1 = get_property(sim, cookie, "VirtualMachine", vm, "runtime.bootTime");
    g_usleep(20 * 1000);
    g_autofree char *res = soap_ok(sim, cookie, reboot);
    g_assert_nonnull(strstr(res, "<RebootGuestResponse"));
    g_autofree char *boot2 = get_property(sim, cookie, "VirtualMachine", vm, "runtime.bootTime");
    g_assert_cmpstr(boot1, !=, boot2);
    g_autofree char *state = get_property(sim, cookie, "VirtualMachine", vm, "runtime.powerState");
    g_assert_cmpstr(state, ==, "poweredOn");

    g_autofree char *off = g_strdup_printf(
        "<PowerOffVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this></PowerOffVM_Task>", vm);
    g_free(soap_ok(sim, cookie, off));
    g_free(soap_fault(sim, cookie, reboot, "InvalidPowerState"));
}

static void
test_guest_info(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM1");
    g_autofree char *devices = get_property(sim, cookie, "VirtualMachine", vm, "config.hardware.device");
    g_autofree char *mac = extract_between(devices, "<macAddress>", "</macAddress>");
    g_assert_nonnull(mac);

    g_free(control_ok(sim, "POST", "/guest",
                      "{\"vm\":\"ha-host_VM1\",\"tools_running\":true,\"hostname\":\"vm1.example.org\","
                      "\"nics\":[{\"ips\":[\"192.0.2.5\",\"2001:db8::5\"]}]}"));
    g_autofree char *name = get_property(sim, cookie, "VirtualMachine", vm, "guest.hostName");
    g_assert_cmpstr(name, ==, "vm1.example.org");
    g_autofree char *ip = get_property(sim, cookie, "VirtualMachine", vm, "guest.ipAddress");
    g_assert_cmpstr(ip, ==, "192.0.2.5");
    g_autofree char *net = get_property(sim, cookie, "VirtualMachine", vm, "guest.net");
    g_autofree char *mac_elem = g_strdup_printf("<macAddress>%s</macAddress>", mac);
    g_assert_nonnull(strstr(net, mac_elem));
    g_assert_nonnull(strstr(net, "<ipAddress>2001:db8::5</ipAddress>"));
    g_autofree char *tools = get_property(sim, cookie, "VirtualMachine", vm, "summary.guest.toolsRunningStatus");
    g_assert_cmpstr(tools, ==, "guestToolsRunning");
}

static void
test_autostart(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *host = find_object(sim, cookie, "HostSystem", "localhost.localdomain");
    g_autofree char *cm = get_property(sim, cookie, "HostSystem", host, "configManager");
    g_autofree char *mgr =
        extract_between(cm, "<autoStartManager type=\"HostAutoStartManager\">", "</autoStartManager>");
    g_assert_cmpstr(mgr, ==, "ha-autostart-mgr");

    g_autofree char *initial = get_property(sim, cookie, "HostAutoStartManager", mgr, "config");
    g_assert_nonnull(strstr(initial, "<enabled>false</enabled>"));
    g_assert_null(strstr(initial, "<powerInfo>"));

    g_autofree char *vm0 = find_vm(sim, cookie, "ha-host_VM0");
    g_autofree char *vm1 = find_vm(sim, cookie, "ha-host_VM1");
    g_autofree char *spec =
        g_strdup_printf("<ReconfigureAutostart xmlns=\"urn:vim25\"><_this type=\"HostAutoStartManager\">%s</_this>"
                        "<spec><defaults><enabled>true</enabled><startDelay>30</startDelay></defaults>"
                        "<powerInfo><key type=\"VirtualMachine\">%s</key><startOrder>5</startOrder>"
                        "<startDelay>-1</startDelay><waitForHeartbeat>systemDefault</waitForHeartbeat>"
                        "<startAction>powerOn</startAction><stopDelay>-1</stopDelay>"
                        "<stopAction>systemDefault</stopAction></powerInfo>"
                        "<powerInfo><key type=\"VirtualMachine\">%s</key><startOrder>-1</startOrder>"
                        "<startDelay>-1</startDelay><waitForHeartbeat>systemDefault</waitForHeartbeat>"
                        "<startAction>none</startAction><stopDelay>-1</stopDelay>"
                        "<stopAction>systemDefault</stopAction></powerInfo></spec></ReconfigureAutostart>",
                        mgr, vm0, vm1);
    g_free(soap_ok(sim, cookie, spec));

    g_autofree char *cfg = get_property(sim, cookie, "HostAutoStartManager", mgr, "config");
    g_assert_nonnull(strstr(cfg, "<enabled>true</enabled>"));
    g_assert_nonnull(strstr(cfg, "<startDelay>30</startDelay>"));
    /* Untouched defaults stay. */
    g_assert_nonnull(strstr(cfg, "<stopDelay>120</stopDelay>"));
    /* Ordered entries are renumbered from 1, unordered ones (-1) follow. */
    g_autofree char *first = g_strdup_printf("<key type=\"VirtualMachine\">%s</key><startOrder>1</startOrder>", vm0);
    g_autofree char *second = g_strdup_printf("<key type=\"VirtualMachine\">%s</key><startOrder>-1</startOrder>", vm1);
    g_assert_nonnull(strstr(cfg, first));
    g_assert_nonnull(strstr(cfg, second));
    g_assert_true(strstr(cfg, first) < strstr(cfg, second));

    /* Incremental: only the defaults are changed, the VMs stay. */
    g_autofree char *off =
        g_strdup_printf("<ReconfigureAutostart xmlns=\"urn:vim25\"><_this type=\"HostAutoStartManager\">%s</_this>"
                        "<spec><defaults><enabled>false</enabled></defaults></spec></ReconfigureAutostart>",
                        mgr);
    g_free(soap_ok(sim, cookie, off));
    g_autofree char *cfg2 = get_property(sim, cookie, "HostAutoStartManager", mgr, "config");
    g_assert_nonnull(strstr(cfg2, "<enabled>false</enabled>"));
    g_assert_nonnull(strstr(cfg2, first));

    g_autofree char *bad =
        g_strdup_printf("<ReconfigureAutostart xmlns=\"urn:vim25\"><_this type=\"HostAutoStartManager\">%s</_this>"
                        "<spec><defaults><stopAction>explode</stopAction></defaults></spec></ReconfigureAutostart>",
                        mgr);
    g_free(soap_fault(sim, cookie, bad, "InvalidArgument"));
}

static void
test_migrate(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .model = "vc", .clusters = 2, .hosts = -1, .vms = 1 };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);

    g_autofree char *vm = find_vm(sim, cookie, "DC0_C0_RP0_VM0");
    g_autofree char *c1 = find_object(sim, cookie, "ClusterComputeResource", "DC0_C1");
    g_autofree char *pool = get_property(sim, cookie, "ClusterComputeResource", c1, "resourcePool");
    g_autofree char *hosts = get_property(sim, cookie, "ClusterComputeResource", c1, "host");
    g_autofree char *host =
        extract_between(hosts, "<ManagedObjectReference type=\"HostSystem\">", "</ManagedObjectReference>");
    g_assert_nonnull(host);
    g_autofree char *before = get_property(sim, cookie, "VirtualMachine", vm, "runtime.host");
    g_assert_cmpstr(before, !=, host);

    /* A state that does not match: the task fails, nothing moves. */
    g_autofree char *wrong =
        g_strdup_printf("<MigrateVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this>"
                        "<pool type=\"ResourcePool\">%s</pool><priority>defaultPriority</priority>"
                        "<state>suspended</state></MigrateVM_Task>",
                        vm, pool);
    g_autofree char *r1 = soap_ok(sim, cookie, wrong);
    g_autofree char *t1 = extract_between(r1, "<returnval type=\"Task\">", "</returnval>");
    g_assert_true(wait_property(sim, cookie, "Task", t1, "info.state", "error", 30000));
    g_autofree char *still = get_property(sim, cookie, "VirtualMachine", vm, "runtime.host");
    g_assert_cmpstr(still, ==, before);

    g_free(control_ok(sim, "POST", "/task-delay", "{\"method\":\"MigrateVM_Task\",\"ms\":300,\"steps\":3}"));
    g_autofree char *migrate =
        g_strdup_printf("<MigrateVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this>"
                        "<pool type=\"ResourcePool\">%s</pool><host type=\"HostSystem\">%s</host>"
                        "<priority>defaultPriority</priority></MigrateVM_Task>",
                        vm, pool, host);
    g_autofree char *r2 = soap_ok(sim, cookie, migrate);
    g_assert_nonnull(strstr(r2, "<MigrateVM_TaskResponse"));
    g_autofree char *t2 = extract_between(r2, "<returnval type=\"Task\">", "</returnval>");
    g_assert_true(wait_property(sim, cookie, "Task", t2, "info.state", "success", 30000));
    g_autofree char *after = get_property(sim, cookie, "VirtualMachine", vm, "runtime.host");
    g_assert_cmpstr(after, ==, host);
    g_autofree char *vm_pool = get_property(sim, cookie, "VirtualMachine", vm, "resourcePool");
    g_assert_cmpstr(vm_pool, ==, pool);
    g_autofree char *host_vms = get_property(sim, cookie, "HostSystem", host, "vm");
    g_assert_nonnull(strstr(host_vms, vm));
    g_autofree char *old_vms = get_property(sim, cookie, "HostSystem", before, "vm");
    g_assert_true(old_vms == NULL || strstr(old_vms, vm) == NULL);
}

static void
test_migrate_esx(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");
    g_autofree char *migrate =
        g_strdup_printf("<MigrateVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">%s</_this>"
                        "<host type=\"HostSystem\">ha-host</host><priority>defaultPriority</priority>"
                        "</MigrateVM_Task>",
                        vm);
    g_free(soap_fault(sim, cookie, migrate, "NotSupported"));
}

static void
test_iscsi(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *host = find_object(sim, cookie, "HostSystem", "localhost.localdomain");

    g_autofree char *before = get_property(sim, cookie, "HostSystem", host, "config.storageDevice.hostBusAdapter");
    g_assert_null(strstr(before, "vmhba33"));

    g_autofree char *res =
        control_ok(sim, "POST", "/iscsi",
                   "{\"targets\":[{\"iqn\":\"iqn.2024-01.org.example:t0\",\"address\":\"192.0.2.10\","
                   "\"luns\":[{\"size_mb\":1024},{\"size_mb\":8}]}]}");
    g_assert_nonnull(strstr(res, "\"hba\":\"vmhba33\""));

    g_autofree char *hbas = get_property(sim, cookie, "HostSystem", host, "config.storageDevice.hostBusAdapter");
    g_assert_nonnull(strstr(hbas, "<device>vmhba33</device>"));
    g_assert_nonnull(strstr(hbas, "HostInternetScsiHba"));
    g_assert_nonnull(strstr(hbas, "<configuredStaticTarget><address>192.0.2.10</address>"
                                  "<port>3260</port><iScsiName>iqn.2024-01.org.example:t0</iScsiName>"));
    /* The other adapters stay. */
    g_assert_nonnull(strstr(hbas, "<device>vmhba0</device>"));

    g_autofree char *topo = get_property(sim, cookie, "HostSystem", host, "config.storageDevice.scsiTopology");
    g_assert_nonnull(strstr(topo, "<iScsiName>iqn.2024-01.org.example:t0</iScsiName>"));
    g_autofree char *lun_key =
        extract_between(strstr(topo, "ScsiTopology.Interface-vmhba33"), "<scsiLun>", "</scsiLun>");
    g_assert_nonnull(lun_key);
    g_autofree char *luns = get_property(sim, cookie, "HostSystem", host, "config.storageDevice.scsiLun");
    g_autofree char *key_elem = g_strdup_printf("<key>%s</key>", lun_key);
    const char *disk = strstr(luns, key_elem);
    g_assert_nonnull(disk);
    g_assert_nonnull(strstr(disk, "<block>2097152</block>"));
    g_assert_cmpint(count_substr(luns, "HVDSIM"), >=, 2);

    /* Again, other targets: replaced, not added. */
    g_free(control_ok(sim, "POST", "/iscsi", "{\"host\":\"localhost.localdomain\"}"));
    g_autofree char *hbas2 = get_property(sim, cookie, "HostSystem", host, "config.storageDevice.hostBusAdapter");
    g_assert_cmpint(count_substr(hbas2, "<device>vmhba33</device>"), ==, 1);
    g_assert_null(strstr(hbas2, "iqn.2024-01.org.example:t0"));
    g_autofree char *luns2 = get_property(sim, cookie, "HostSystem", host, "config.storageDevice.scsiLun");
    g_assert_null(strstr(luns2, key_elem));

    g_autofree char *cm = get_property(sim, cookie, "HostSystem", host, "configManager");
    g_autofree char *ss = extract_between(cm, "<storageSystem type=\"HostStorageSystem\">", "</storageSystem>");
    g_assert_nonnull(ss);
    g_autofree char *rescan =
        g_strdup_printf("<RescanHba xmlns=\"urn:vim25\"><_this type=\"HostStorageSystem\">%s</_this>"
                        "<hbaDevice>vmhba33</hbaDevice></RescanHba>",
                        ss);
    g_autofree char *ok = soap_ok(sim, cookie, rescan);
    g_assert_nonnull(strstr(ok, "<RescanHbaResponse"));
    g_autofree char *bad = g_strdup_printf("<RescanHba xmlns=\"urn:vim25\"><_this type=\"HostStorageSystem\">%s</_this>"
                                           "<hbaDevice>vmhba99</hbaDevice></RescanHba>",
                                           ss);
    g_free(soap_fault(sim, cookie, bad, "NotFound"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/extras/reboot-guest", test_reboot_guest);
    g_test_add_func("/sim/extras/guest-info", test_guest_info);
    g_test_add_func("/sim/extras/autostart", test_autostart);
    g_test_add_func("/sim/extras/migrate", test_migrate);
    g_test_add_func("/sim/extras/migrate-esx", test_migrate_esx);
    g_test_add_func("/sim/extras/iscsi", test_iscsi);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
