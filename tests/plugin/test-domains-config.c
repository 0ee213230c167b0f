/* A domain's resources, autostart and guest information against the
 * simulator: set_memory, set_max_memory and set_vcpus (the 4 MiB rule and
 * the limits checked before any call, the change read back through a second
 * connection), get_autostart and set_autostart (HostAutoStartManager),
 * the guest's host name and addresses from VMware Tools; each refused in
 * the wrong state, on a read-only connection and for an unknown domain. On
 * the ESX model and through a vCenter. */
#include "simconn.h"

#include <string.h>

static void
check_resources(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0); /* reads the server's state */
    g_autofree char *key = server_vm(sim, vm, "vm");
    const hvd_domain_table *t = drv->domain;
    hvd_error err = HVD_ERROR_INIT;

    /* the rules, before any call */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    assert_error(t->set_memory(conn, key, 5000, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG, "multiple of 4096 KiB");
    assert_error(t->set_max_memory(conn, key, 0, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG, "multiple of 4096 KiB");
    assert_error(t->set_max_memory(conn, key, UINT64_C(1) << 40, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "more than a VM can have");
    assert_error(t->set_vcpus(conn, key, 0, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG, "at least 1 vCPU");
    g_assert_cmpint(calls(sim, NULL), ==, 0);
    assert_error(t->set_vcpus(conn, key, 100000, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "more than the host allows");
    g_assert_cmpint(calls(sim, "ReconfigVM_Task"), ==, 0);

    /* the maximum changes only while the domain is off */
    g_autofree char *want = g_strdup_printf("domain '%s' is not shut off (it is running)", vm);
    assert_error(t->set_max_memory(conn, key, 2048 * 1024, 0, NULL, &err), &err, HVD_ERR_OPERATION_INVALID, want);
    g_assert_cmpint(t->destroy(conn, key, 0, NULL, &err), ==, HVD_OK);
    assert_error(t->set_memory(conn, key, 4096, HVD_AFFECT_LIVE, NULL, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "is not running (it is shut off)");

    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->set_max_memory(conn, key, 2048 * 1024, HVD_AFFECT_CONFIG, NULL, &err), ==, HVD_OK);
    /* the domain (with its question), the task, a look at it */
    g_assert_cmpint(calls(sim, NULL), <=, 3);
    hvd_domain_info *info = info_of(other, key);
    g_assert_cmpuint(info->max_memory_kib, ==, 2048 * 1024);
    g_assert_cmpuint(info->memory_kib, ==, 2048 * 1024);
    drv->free(info);

    g_assert_cmpint(t->set_memory(conn, key, 1024 * 1024, 0, NULL, &err), ==, HVD_OK);
    info = info_of(other, key);
    g_assert_cmpuint(info->memory_kib, ==, 1024 * 1024);
    g_assert_cmpuint(info->max_memory_kib, ==, 2048 * 1024);
    drv->free(info);
    assert_error(t->set_memory(conn, key, 4096 * 1024, 0, NULL, &err), &err, HVD_ERR_INVALID_ARG,
                 "its maximum is 2097152 KiB");
    /* a smaller maximum brings the current memory down with it */
    g_assert_cmpint(t->set_max_memory(conn, key, 512 * 1024, 0, NULL, &err), ==, HVD_OK);
    info = info_of(other, key);
    g_assert_cmpuint(info->memory_kib, ==, 512 * 1024);
    g_assert_cmpuint(info->max_memory_kib, ==, 512 * 1024);
    drv->free(info);

    g_assert_cmpint(t->set_vcpus(conn, key, 4, 0, NULL, &err), ==, HVD_OK);
    info = info_of(other, key);
    g_assert_cmpuint(info->vcpus, ==, 4);
    drv->free(info);
    /* the server rewrote the VM's .vmx: dumpxml, which reads it, agrees */
    char *xml = NULL;
    g_assert_cmpint(t->get_xml(other, key, 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, ">4</vcpu>"));
    g_assert_nonnull(strstr(xml, "<memory unit='KiB'>524288</memory>"));
    drv->free(xml);

    /* a running domain's memory limit and vCPUs change live */
    g_assert_cmpint(t->start(conn, key, 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(t->set_memory(conn, key, 256 * 1024, HVD_AFFECT_LIVE, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(t->set_vcpus(conn, key, 2, HVD_AFFECT_LIVE | HVD_AFFECT_CONFIG, NULL, &err), ==, HVD_OK);
    info = info_of(other, key);
    g_assert_cmpuint(info->memory_kib, ==, 256 * 1024);
    g_assert_cmpuint(info->vcpus, ==, 2);
    drv->free(info);

    /* unknown domain and flags */
    g_assert_cmpint(t->set_vcpus(conn, "vm-424242", 1, 0, NULL, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->set_memory(conn, "vm-424242", 4096, 0, NULL, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->set_max_memory(conn, "vm-424242", 4096, 0, NULL, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->set_vcpus(conn, key, 1, 0x8, NULL, &err), ==, HVD_ERR_BAD_FLAGS);
    drv->connect->close(conn);

    /* read-only: nothing sent, nothing changed */
    conn = open_flags(sim, uri, HVD_CONNECT_READONLY);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->set_memory(conn, key, 4096, 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(t->set_max_memory(conn, key, 4096, 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(t->set_vcpus(conn, key, 1, 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(t->set_autostart(conn, key, 1, 0, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_nonnull(strstr(err.message, "read-only"));
    g_assert_cmpint(calls(sim, NULL), ==, 0);
    info = info_of(other, key);
    g_assert_cmpuint(info->vcpus, ==, 2);
    drv->free(info);
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_resources_esx(void)
{
    check_resources("esx", "ha-host_VM0");
}

static void
test_resources_vpx(void)
{
    check_resources("vc", "DC0_H0_VM1");
}

static int32_t
autostart_of(hvd_conn *conn, const char *key)
{
    int32_t on = -1;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->domain->get_autostart(conn, key, 0, &on, &err) != HVD_OK)
        g_error("get_autostart: %s", err.message);
    return on;
}

static void
check_autostart(const char *model, const char *vm, const char *vm2)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, vm, "vm");
    g_autofree char *key2 = server_vm(sim, vm2, "vm");
    const hvd_domain_table *t = drv->domain;
    hvd_error err = HVD_ERROR_INIT;

    g_assert_cmpint(autostart_of(conn, key), ==, 0);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->set_autostart(conn, key, 1, 0, &err), ==, HVD_OK);
    g_assert_cmpint(calls(sim, "ReconfigureAutostart"), ==, 1);
    g_assert_cmpint(autostart_of(other, key), ==, 1);
    g_assert_cmpint(autostart_of(other, key2), ==, 0);
    g_assert_cmpint(t->set_autostart(conn, key2, 1, 0, &err), ==, HVD_OK);
    g_assert_cmpint(autostart_of(other, key2), ==, 1);
    g_assert_cmpint(t->set_autostart(conn, key, 0, 0, &err), ==, HVD_OK);
    g_assert_cmpint(autostart_of(other, key), ==, 0);
    g_assert_cmpint(autostart_of(other, key2), ==, 1);

    g_assert_cmpint(t->set_autostart(conn, key, 2, 0, &err), ==, HVD_ERR_INVALID_ARG);
    int32_t on = 0;
    g_assert_cmpint(t->get_autostart(conn, "vm-424242", 0, &on, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->set_autostart(conn, "vm-424242", 1, 0, &err), ==, HVD_ERR_NO_DOMAIN);
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_autostart_esx(void)
{
    check_autostart("esx", "ha-host_VM0", "ha-host_VM1");
}

static void
test_autostart_vpx(void)
{
    check_autostart("vc", "DC0_H0_VM0", "DC0_H0_VM1");
}

static void
check_guest(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, HVD_CONNECT_READONLY); /* reading only */
    g_autofree char *key = server_vm(sim, vm, "vm");
    const hvd_domain_table *t = drv->domain;
    hvd_error err = HVD_ERROR_INIT;
    char *name = NULL;
    hvd_guest_address_list *l = NULL;

    assert_error(t->get_guest_hostname(conn, key, 0, &name, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "VMware Tools are not running");
    assert_error(t->get_guest_addresses(conn, key, 0, &l, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "VMware Tools are not running");
    g_assert_null(l);

    g_autofree char *body = g_strdup_printf("{\"vm\":\"%s\",\"tools_running\":true,\"hostname\":\"vm0.example.org\","
                                            "\"nics\":[{\"ips\":[\"192.0.2.5\",\"2001:db8::5\"]},{\"ips\":[]}]}",
                                            vm);
    control(sim, "POST", "/guest", body, NULL);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->get_guest_hostname(conn, key, 0, &name, &err), ==, HVD_OK);
    g_assert_cmpstr(name, ==, "vm0.example.org");
    drv->free(name);
    g_assert_cmpint(calls(sim, NULL), ==, 1); /* one retrieval: the VM with its guest */

    g_assert_cmpint(t->get_guest_addresses(conn, key, 0, &l, &err), ==, HVD_OK);
    g_assert_cmpuint(l->count, ==, 2);
    g_assert_cmpuint(l->entry_size, ==, sizeof(hvd_guest_address));
    const hvd_guest_address *a = HVD_LIST_AT(hvd_guest_address, l->entries, l->entry_size, 0);
    g_assert_cmpint(a->family, ==, 4);
    g_assert_cmpstr(a->address, ==, "192.0.2.5");
    g_assert_cmpuint(strlen(a->mac), ==, 17);
    g_assert_cmpstr(a->interface, ==, a->mac);
    a = HVD_LIST_AT(hvd_guest_address, l->entries, l->entry_size, 1);
    g_assert_cmpint(a->family, ==, 6);
    g_assert_cmpstr(a->address, ==, "2001:db8::5");
    drv->free(l);

    /* a domain that is off has no guest to ask */
    g_autofree char *off = g_strdup_printf("{\"vm\":\"%s\",\"power\":\"poweredOff\"}", vm);
    control(sim, "POST", "/vm", off, NULL);
    assert_error(t->get_guest_hostname(conn, key, 0, &name, &err), &err, HVD_ERR_OPERATION_INVALID,
                 "it is not running");
    g_assert_cmpint(t->get_guest_hostname(conn, "vm-424242", 0, &name, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->get_guest_addresses(conn, "vm-424242", 0, &l, &err), ==, HVD_ERR_NO_DOMAIN);
    drv->connect->close(conn);
}

static void
test_guest_esx(void)
{
    check_guest("esx", "ha-host_VM0");
}

static void
test_guest_vpx(void)
{
    check_guest("vc", "DC0_H0_VM0");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/domains-config/resources-esx", test_resources_esx);
    g_test_add_func("/plugin/domains-config/resources-vpx", test_resources_vpx);
    g_test_add_func("/plugin/domains-config/autostart-esx", test_autostart_esx);
    g_test_add_func("/plugin/domains-config/autostart-vpx", test_autostart_vpx);
    g_test_add_func("/plugin/domains-config/guest-esx", test_guest_esx);
    g_test_add_func("/plugin/domains-config/guest-vpx", test_guest_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
