/* define_xml of an existing domain with device changes, against the
 * simulator: a domain with two disks, a CD-ROM, two NICs, a serial port and
 * a video card is redefined with one NIC removed, a disk added and the video
 * memory changed; dumpxml on a second connection shows exactly that, the
 * .vmx on the server's datastore says the same and keeps an entry the XML
 * does not model, and the host was asked to reload it. A running domain is
 * refused (its .vmx untouched), as is a disk on a datastore the host lacks.
 * On the ESX model and through a vCenter. */
#include "simconn.h"

#include <json-c/json.h>
#include <string.h>

#define NIC2                                     \
    "    <interface type='bridge'>\n"            \
    "      <mac address='00:50:56:01:02:04'/>\n" \
    "      <source bridge='VM Network'/>\n"      \
    "      <model type='vmxnet3'/>\n"            \
    "    </interface>\n"
#define DISK3                                        \
    "    <disk type='file' device='disk'>\n"         \
    "      <source file='[%s] redef/disk3.vmdk'/>\n" \
    "      <target dev='sdc' bus='scsi'/>\n"         \
    "    </disk>\n"

/* The domain: NIC2 and DISK3 given (or ""), its video memory in KiB. */
static char *
domain_xml(const char *nic2, const char *disk3, unsigned vram)
{
    return g_strdup_printf("<domain type='vmware'>\n"
                           "  <name>redef</name>\n"
                           "  <uuid>564d9bef-acd9-b4e0-c8f0-aeb1e7c1ab02</uuid>\n"
                           "  <memory unit='KiB'>1048576</memory>\n"
                           "  <vcpu placement='static'>2</vcpu>\n"
                           "  <os><type arch='x86_64'>hvm</type></os>\n"
                           "  <devices>\n"
                           "    <disk type='file' device='disk'>\n"
                           "      <source file='[LocalDS_0] redef/disk1.vmdk'/>\n"
                           "      <target dev='sda' bus='scsi'/>\n"
                           "    </disk>\n"
                           "    <disk type='file' device='disk'>\n"
                           "      <source file='[LocalDS_0] redef/disk2.vmdk'/>\n"
                           "      <target dev='sdb' bus='scsi'/>\n"
                           "    </disk>\n"
                           "%s"
                           "    <disk type='file' device='cdrom'>\n"
                           "      <source file='[LocalDS_0] iso/install.iso'/>\n"
                           "      <target dev='hda' bus='ide'/>\n"
                           "    </disk>\n"
                           "    <controller type='scsi' index='0' model='lsilogic'/>\n"
                           "    <interface type='bridge'>\n"
                           "      <mac address='00:50:56:01:02:03'/>\n"
                           "      <source bridge='VM Network'/>\n"
                           "      <model type='e1000'/>\n"
                           "    </interface>\n"
                           "%s"
                           "    <serial type='file'>\n"
                           "      <source path='[LocalDS_0] redef/serial.log'/>\n"
                           "      <target port='0'/>\n"
                           "    </serial>\n"
                           "    <video><model type='vmvga' vram='%u' heads='1'/></video>\n"
                           "  </devices>\n"
                           "</domain>\n",
                           disk3, nic2, vram);
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

/* The server's copy of the domain's .vmx (its local file). */
static char *
vmx_file_name(sim_instance *sim)
{
    g_autofree char *out = NULL;
    control(sim, "GET", "/datastore?name=LocalDS_0", NULL, &out);
    json_object *o = json_tokener_parse(out);
    char *file = g_build_filename(json_object_get_string(json_object_object_get(o, "dir")), "redef", "redef.vmx", NULL);
    json_object_put(o);
    return file;
}

static char *
read_text(const char *file)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
    return text;
}

static void
expect(const char *text, const char *what, gboolean present)
{
    if ((strstr(text, what) != NULL) != present)
        g_error("'%s' should %sbe in:\n%s", what, present ? "" : "not ", text);
}

static void
check_redefine(const char *model)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0);
    const hvd_domain_table *t = drv->domain;
    hvd_error err = HVD_ERROR_INIT;

    g_autofree char *before = domain_xml(NIC2, "", 8192);
    hvd_domain_info *info = NULL;
    if (t->define_xml(conn, before, 0, &info, &err) != HVD_OK)
        g_error("define_xml: %s", err.message);
    g_autofree char *key = g_strdup(info->key);
    drv->free(info);
    /* an entry the XML does not model, as ESX or a user writes them */
    g_autofree char *vmx = vmx_file_name(sim);
    g_autofree char *text0 = read_text(vmx);
    g_autofree char *text1 = g_strconcat(text0, "tools.syncTime = \"TRUE\"\n", NULL);
    g_assert_true(g_file_set_contents(vmx, text1, -1, NULL));

    /* one NIC removed, a disk added, the video memory changed */
    g_autofree char *disk3 = g_strdup_printf(DISK3, "LocalDS_0");
    g_autofree char *after = domain_xml("", disk3, 16384);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    if (t->define_xml(conn, after, 0, &info, &err) != HVD_OK)
        g_error("define_xml (redefine): %s", err.message);
    g_test_message("define_xml (redefine with device changes): %d requests", calls(sim, NULL));
    g_assert_cmpstr(info->key, ==, key);
    drv->free(info);
    g_assert_cmpint(calls(sim, "Reload"), ==, 1);
    g_assert_cmpint(calls(sim, "RegisterVM_Task"), ==, 0);

    /* a second connection sees exactly that */
    g_autofree char *x = dumpxml(other, key);
    expect(x, "[LocalDS_0] redef/disk1.vmdk", TRUE);
    expect(x, "[LocalDS_0] redef/disk2.vmdk", TRUE);
    expect(x, "[LocalDS_0] redef/disk3.vmdk", TRUE);
    expect(x, "<target dev='sdc' bus='scsi'/>", TRUE);
    expect(x, "[LocalDS_0] iso/install.iso", TRUE);
    expect(x, "00:50:56:01:02:03", TRUE);
    expect(x, "00:50:56:01:02:04", FALSE);
    expect(x, "vmxnet3", FALSE);
    expect(x, "[LocalDS_0] redef/serial.log", TRUE);
    expect(x, "<model type='vmvga' vram='16384'", TRUE);
    expect(x, "vram='8192'", FALSE);
    /* ... and defining what it shows changes nothing */
    g_assert_cmpint(t->define_xml(conn, x, 0, NULL, &err), ==, HVD_OK);
    g_autofree char *x2 = dumpxml(other, key);
    g_assert_cmpstr(x2, ==, x);

    /* the server's .vmx: the devices as the XML says, the other entry kept */
    g_autofree char *text2 = read_text(vmx);
    expect(text2, "ethernet1.", FALSE);
    expect(text2, "ethernet0.present = \"true\"", TRUE);
    expect(text2, "disk3.vmdk", TRUE);
    expect(text2, "svga.vramSize = \"16777216\"", TRUE);
    expect(text2, "tools.syncTime = \"TRUE\"", TRUE);

    /* memory alone: no .vmx rewrite, one ReconfigVM_Task */
    g_autofree char *more = g_strdup(x);
    char *mem = strstr(more, "<memory unit='KiB'>1048576</memory>");
    g_assert_nonnull(mem);
    memcpy(mem + strlen("<memory unit='KiB'>"), "2097152", 7);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->define_xml(conn, more, 0, NULL, &err), ==, HVD_OK);
    g_test_message("define_xml (redefine of the memory alone): %d requests", calls(sim, NULL));
    g_assert_cmpint(calls(sim, "Reload"), ==, 0);
    g_assert_cmpint(calls(sim, "ReconfigVM_Task"), ==, 1);
    info = info_of(other, key);
    g_assert_cmpuint(info->max_memory_kib, ==, 2097152);
    drv->free(info);
    g_autofree char *text2b = read_text(vmx);
    g_assert_cmpstr(text2b, ==, text2);

    /* running: refused, naming the state, the .vmx untouched */
    g_assert_cmpint(t->start(conn, key, 0, NULL, &err), ==, HVD_OK);
    g_autofree char *again = domain_xml(NIC2, disk3, 8192);
    g_assert_cmpint(t->define_xml(conn, again, 0, NULL, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "'redef' is not shut off (it is running)"));
    g_assert_nonnull(strstr(err.message, "shut it down"));
    g_autofree char *text3 = read_text(vmx);
    g_assert_cmpstr(text3, ==, text2);
    g_assert_cmpint(t->destroy(conn, key, 0, NULL, &err), ==, HVD_OK);

    /* a disk on a datastore the host does not have: refused, nothing written */
    g_autofree char *nods_disk = g_strdup_printf(DISK3, "NoSuchDS");
    g_autofree char *bad = domain_xml("", nods_disk, 16384);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    g_assert_cmpint(t->define_xml(conn, bad, 0, NULL, &err), !=, HVD_OK);
    g_test_message("%s", err.message);
    g_assert_nonnull(strstr(err.message, "NoSuchDS"));
    g_assert_cmpint(calls(sim, "Reload"), ==, 0);
    g_autofree char *text4 = read_text(vmx);
    g_assert_cmpstr(text4, ==, text2);

    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_redefine_esx(void)
{
    check_redefine("esx");
}

static void
test_redefine_vpx(void)
{
    check_redefine("vc");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/domains-redefine/esx", test_redefine_esx);
    g_test_add_func("/plugin/domains-redefine/vpx", test_redefine_vpx);
    int rc = g_test_run();
    simconn_done();
    return rc;
}
