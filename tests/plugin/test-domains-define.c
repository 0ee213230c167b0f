/* define_xml and undefine against the simulator: a new domain's .vmx
 * uploaded next to its first disk and registered, the define -> dumpxml ->
 * define -> dumpxml round trip of a domain with two disks, a CD-ROM, two
 * NICs, a serial port and a video card, a redefine changing memory and
 * vCPUs read back by a second connection, undefine (refused while running
 * or with snapshots unless asked), read-only and not-found refusals. On the
 * ESX model and through a vCenter. */
#include "simconn.h"

#include <string.h>

#define DOMAIN_XML                                                     \
    "<domain type='vmware'>\n"                                         \
    "  <name>%s</name>\n"                                              \
    "  <uuid>564d9bef-acd9-b4e0-c8f0-aeb1e7c1ab01</uuid>\n"            \
    "  <memory unit='KiB'>%u</memory>\n"                               \
    "  <vcpu placement='static'>%u</vcpu>\n"                           \
    "  <os><type arch='x86_64'>hvm</type></os>\n"                      \
    "  <devices>\n"                                                    \
    "    <disk type='file' device='disk'>\n"                           \
    "      <source file='[LocalDS_0] %s/disk1.vmdk'/>\n"               \
    "      <target dev='sda' bus='scsi'/>\n"                           \
    "    </disk>\n"                                                    \
    "    <disk type='file' device='disk'>\n"                           \
    "      <source file='[LocalDS_0] %s/disk2.vmdk'/>\n"               \
    "      <target dev='sdb' bus='scsi'/>\n"                           \
    "    </disk>\n"                                                    \
    "    <disk type='file' device='cdrom'>\n"                          \
    "      <source file='[LocalDS_0] iso/install.iso'/>\n"             \
    "      <target dev='hda' bus='ide'/>\n"                            \
    "    </disk>\n"                                                    \
    "    <controller type='scsi' index='0' model='lsilogic'/>\n"       \
    "    <interface type='bridge'>\n"                                  \
    "      <mac address='00:50:56:01:02:03'/>\n"                       \
    "      <source bridge='VM Network'/>\n"                            \
    "      <model type='e1000'/>\n"                                    \
    "    </interface>\n"                                               \
    "    <interface type='bridge'>\n"                                  \
    "      <mac address='00:50:56:01:02:04'/>\n"                       \
    "      <source bridge='VM Network'/>\n"                            \
    "      <model type='vmxnet3'/>\n"                                  \
    "    </interface>\n"                                               \
    "    <serial type='file'>\n"                                       \
    "      <source path='[LocalDS_0] %s/serial.log'/>\n"               \
    "      <target port='0'/>\n"                                       \
    "    </serial>\n"                                                  \
    "    <video><model type='vmvga' vram='8192' heads='1'/></video>\n" \
    "  </devices>\n"                                                   \
    "</domain>\n"

static char *
domain_xml(const char *name, unsigned mib, unsigned vcpus)
{
    return g_strdup_printf(DOMAIN_XML, name, mib * 1024, vcpus, name, name, name);
}

static char *
dumpxml(hvd_conn *conn, const char *key)
{
    char *xml = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->domain->get_xml(conn, key, 0, &xml, &err) != HVD_OK)
        g_error("get_xml: %s", err.message);
    return xml;
}

static int32_t HVD_CALL
cancel_at_once(void *user_data, const char *what, int32_t percent)
{
    (void)user_data, (void)what, (void)percent;
    return 1;
}

static void
check_define(const char *model)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0);
    const hvd_domain_table *t = drv->domain;
    hvd_error err = HVD_ERROR_INIT;

    g_autofree char *xml = domain_xml("web 1", 1024, 2);
    hvd_domain_info *info = NULL;
    control(sim, "POST", "/stats/reset", NULL, NULL);
    if (t->define_xml(conn, xml, 0, &info, &err) != HVD_OK)
        g_error("define_xml: %s", err.message);
    g_test_message("define_xml (new): %d requests", calls(sim, NULL));
    g_assert_cmpint(calls(sim, "RegisterVM_Task"), ==, 1);
    g_assert_cmpstr(info->name, ==, "web 1");
    g_autofree char *key = g_strdup(info->key);
    drv->free(info);
    /* the server has it, on its datastore next to its first disk */
    g_autofree char *server_name = server_vm(sim, key, "name");
    g_assert_cmpstr(server_name, ==, "web 1");

    /* define -> dumpxml -> define -> dumpxml keeps every element */
    g_autofree char *x1 = dumpxml(other, key);
    static const char *const kept[] = { "[LocalDS_0] web 1/disk1.vmdk",
                                        "[LocalDS_0] web 1/disk2.vmdk",
                                        "device='cdrom'",
                                        "[LocalDS_0] iso/install.iso",
                                        "00:50:56:01:02:03",
                                        "00:50:56:01:02:04",
                                        "<model type='vmxnet3'/>",
                                        "<serial type='file'>",
                                        "[LocalDS_0] web 1/serial.log",
                                        "<model type='vmvga' vram='8192'",
                                        "<memory unit='KiB'>1048576</memory>",
                                        "<vcpu placement='static'>2</vcpu>" };
    for (gsize i = 0; i < G_N_ELEMENTS(kept); i++) {
        if (strstr(x1, kept[i]) == NULL)
            g_error("'%s' lost by define -> dumpxml:\n%s", kept[i], x1);
    }
    g_assert_cmpint(t->define_xml(conn, x1, 0, NULL, &err), ==, HVD_OK);
    g_autofree char *x2 = dumpxml(other, key);
    g_assert_cmpstr(x2, ==, x1);

    /* a redefine changing memory and vCPUs shows in the info */
    g_autofree char *bigger = domain_xml("web 1", 2048, 4);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->define_xml(conn, bigger, 0, &info, &err), ==, HVD_OK);
    g_test_message("define_xml (redefine): %d requests", calls(sim, NULL));
    g_assert_cmpint(calls(sim, "RegisterVM_Task"), ==, 0);
    g_assert_cmpstr(info->key, ==, key);
    drv->free(info);
    info = info_of(other, key);
    g_assert_cmpuint(info->max_memory_kib, ==, 2048 * 1024);
    g_assert_cmpuint(info->vcpus, ==, 4);
    drv->free(info);

    /* a running domain is not redefined nor undefined */
    g_assert_cmpint(t->start(conn, key, 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(t->define_xml(conn, bigger, 0, NULL, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "is not shut off"));
    g_assert_cmpint(t->undefine(conn, key, 0, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_cmpint(t->destroy(conn, key, 0, NULL, &err), ==, HVD_OK);

    /* snapshots: only with HVD_UNDEFINE_SNAPSHOTS */
    hvd_snapshot_info *snap = NULL;
    g_assert_cmpint(
        drv->snapshot->create_xml(conn, key, "<domainsnapshot><name>s</name></domainsnapshot>", 0, NULL, &snap, &err),
        ==, HVD_OK);
    drv->free(snap);
    g_assert_cmpint(t->undefine(conn, key, 0, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "HVD_UNDEFINE_SNAPSHOTS"));

    /* read-only and not found */
    hvd_conn *ro = open_flags(sim, uri, HVD_CONNECT_READONLY);
    g_assert_cmpint(t->define_xml(ro, xml, 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(t->undefine(ro, key, HVD_UNDEFINE_SNAPSHOTS, &err), ==, HVD_ERR_ACCESS_DENIED);
    drv->connect->close(ro);
    g_assert_cmpint(t->undefine(conn, "vm-424242", 0, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->define_xml(conn, "<domain", 0, NULL, &err), ==, HVD_ERR_XML);

    g_assert_cmpint(t->undefine(conn, key, HVD_UNDEFINE_SNAPSHOTS, &err), ==, HVD_OK);
    g_assert_cmpint(t->get_info(other, key, 0, &info, &err), ==, HVD_ERR_NO_DOMAIN);
    /* the files stay: defining it again registers the same .vmx */
    g_assert_cmpint(t->define_xml(conn, xml, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpstr(info->name, ==, "web 1");
    g_autofree char *key_again = g_strdup(info->key);
    drv->free(info);

    /* the .vmx of a VM registered under another name is never overwritten */
    g_autofree char *rename = g_strdup_printf("{\"vm\":\"%s\",\"name\":\"renamed\"}", key_again);
    control(sim, "POST", "/vm", rename, NULL);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->define_xml(conn, xml, 0, NULL, &err), ==, HVD_ERR_EXISTS);
    g_assert_nonnull(strstr(err.message, key_again));
    g_assert_cmpint(calls(sim, "RegisterVM_Task"), ==, 0);

    /* a registration that fails (cancelled here) removes the uploaded .vmx */
    control(sim, "POST", "/task-delay", "{\"method\":\"RegisterVM_Task\",\"ms\":3000,\"steps\":3}", NULL);
    hvd_conn *cancelling = open_progress(sim, uri, cancel_at_once);
    g_autofree char *gone = domain_xml("gone", 1024, 1);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->define_xml(cancelling, gone, 0, NULL, &err), ==, HVD_ERR_CANCELLED);
    g_assert_cmpint(calls(sim, "DeleteDatastoreFile_Task"), ==, 1);
    drv->connect->close(cancelling);
    control(sim, "POST", "/task-delay", "{\"method\":\"RegisterVM_Task\",\"ms\":0}", NULL);
    hvd_domain_list *l = NULL;
    g_assert_cmpint(t->list_all(other, 0, &l, &err), ==, HVD_OK);
    for (uint32_t i = 0; i < l->count; i++)
        g_assert_cmpstr(HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i)->name, !=, "gone");
    drv->free(l);

    /* a disk on a datastore the host does not have: nothing registered */
    g_autofree char *bad = g_strdup_printf(DOMAIN_XML, "bad", 1024u * 1024, 1u, "x", "x", "x");
    char *p = strstr(bad, "[LocalDS_0] x/disk1.vmdk");
    g_assert_nonnull(p);
    g_autofree char *bad2 =
        g_strdup_printf("%.*s[NoSuchDS] x/disk1.vmdk%s", (int)(p - bad), bad, p + strlen("[LocalDS_0] x/disk1.vmdk"));
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->define_xml(conn, bad2, 0, NULL, &err), !=, HVD_OK);
    g_assert_cmpint(calls(sim, "RegisterVM_Task"), ==, 0);
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_define_esx(void)
{
    check_define("esx");
}

static void
test_define_vpx(void)
{
    check_define("vc");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/domains-define/esx", test_define_esx);
    g_test_add_func("/plugin/domains-define/vpx", test_define_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
