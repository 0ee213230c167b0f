/*
 * test-convert.c: VMX <-> domain conversion beyond the corpus: the spec's
 * Fedora11 example both ways, the offline mapper, genid, memory rounding,
 * MAC ranges, CPU topology, SATA/NVMe, conversion errors and the update of an
 * existing file.
 */
#include "compare.h"
#include "vmx/vmx.h"

#include <string.h>

static char *
data_path(const char *name)
{
    return g_build_filename(g_getenv("VMX_CORPUS_DIR"), "..", "fedora11", name, NULL);
}

/* A connected caller would ask the server which datastore a UUID path is;
 * the spec's example shows "local-storage" for 498076b2-.... */
static char *
fedora_parse(const char *name, gboolean *missing, void *user_data, GError **error)
{
    const char *prefix = "/vmfs/volumes/498076b2-02796c1a-ef5b-000ae484a6a3/";

    *missing = FALSE;
    if (g_str_has_prefix(name, prefix))
        return g_strdup_printf("[local-storage] %s", name + strlen(prefix));
    g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING, "unexpected file name '%s'", name);
    return NULL;
}

static void
test_fedora11_from_native(void)
{
    g_autofree char *path = data_path("demo.vmx");
    gsize len;
    g_autofree char *vmx = test_read_file(path, &len);
    vmx_convert_ctx ctx = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = NULL;
    g_autofree char *xml = NULL;
    const vmx_disk *disk;
    const vmx_controller *controller;
    const vmx_net *net;
    char uuid[37];

    ctx.parse_file_name = fedora_parse;
    def = vmx_to_domain(vmx, len, &ctx, &error);
    g_assert_no_error(error);
    /* the spec's answer, element by element (libvirt of today adds the
     * video card, mac type='generated' and placement='static' to it) */
    g_assert_cmpstr(def->name, ==, "Fedora11");
    g_snprintf(uuid, sizeof(uuid), "%02x%02x%02x%02x-", def->uuid[0], def->uuid[1], def->uuid[2], def->uuid[3]);
    g_assert_cmpstr(uuid, ==, "50115e16-");
    g_assert_cmpuint(def->memory_kib, ==, 1048576);
    g_assert_cmpuint(def->current_memory_kib, ==, 1048576);
    g_assert_cmpuint(def->vcpus, ==, 1);
    g_assert_cmpint(def->arch, ==, VMX_ARCH_I686);
    g_assert_cmpuint(def->disks->len, ==, 1); /* the client-device CD-ROM is not shown */
    disk = def->disks->pdata[0];
    g_assert_cmpstr(disk->src, ==, "[local-storage] Fedora11/Fedora11.vmdk");
    g_assert_cmpstr(disk->dst, ==, "sda");
    g_assert_cmpint(disk->bus, ==, VMX_DISK_BUS_SCSI);
    g_assert_cmpuint(def->controllers->len, ==, 1);
    controller = def->controllers->pdata[0];
    g_assert_cmpint(controller->model, ==, VMX_SCSI_MODEL_LSILOGIC);
    g_assert_cmpuint(def->nets->len, ==, 1);
    net = def->nets->pdata[0];
    g_assert_cmpint(net->type, ==, VMX_NET_BRIDGE);
    g_assert_cmpstr(net->source, ==, "VM Network");
    g_assert_cmpuint(net->mac[5], ==, 0xc7);

    /* and the whole document agrees with the spec's XML once that is read
     * with today's defaults (what our parser applies) */
    xml = vmx_domain_format_xml(def, &error);
    g_assert_no_error(error);
    {
        g_autofree char *spec_path = data_path("demo-from-native.xml");
        g_autofree char *spec_xml = test_read_file(spec_path, NULL);
        g_autoptr(vmx_domain) spec = vmx_domain_parse_xml(spec_xml, &error);
        g_autofree char *spec_norm = NULL;
        g_autofree char *ours_norm = NULL;
        g_autofree char *diff = NULL;

        g_assert_no_error(error);
        /* the spec predates the mac type, the implicit video card and
         * reading sched.cpu.shares */
        ((vmx_net *)def->nets->pdata[0])->mac_type = VMX_MAC_TYPE_NONE;
        g_assert_cmpuint(def->shares, ==, 1000);
        def->has_shares = FALSE;
        g_ptr_array_set_size(def->videos, 0);
        spec_norm = vmx_domain_format_xml(spec, &error);
        ours_norm = vmx_domain_format_xml(def, &error);
        if (!test_xml_equal(ours_norm, spec_norm, &diff))
            g_error("Fedora11: %s", diff);
    }
}

static void
test_fedora11_to_native(void)
{
    g_autofree char *xml_path = data_path("demo.xml");
    g_autofree char *vmx_path = data_path("demo-to-native.vmx");
    g_autofree char *xml = test_read_file(xml_path, NULL);
    g_autofree char *expected = test_read_file(vmx_path, NULL);
    vmx_convert_ctx ctx;
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = NULL;
    g_autoptr(vmx_file) got = NULL;
    g_autoptr(vmx_file) want = NULL;
    g_autofree char *vmx = NULL;

    vmx_offline_ctx_init(&ctx, NULL);
    def = vmx_domain_parse_xml(xml, &error);
    g_assert_no_error(error);
    vmx = vmx_from_domain(def, &ctx, 4, &error);
    g_assert_no_error(error);
    got = vmx_file_parse(vmx, strlen(vmx), &error);
    want = vmx_file_parse(expected, strlen(expected), &error);
    g_assert_no_error(error);
    /* every entry of the spec's answer; MAC case aside (libvirt writes
     * lower case today) */
    for (guint i = 0; i < vmx_file_size(want); i++) {
        const char *key = vmx_file_key_at(want, i);
        const char *value = vmx_file_get(got, key);

        if (!value || g_ascii_strcasecmp(value, vmx_file_value_at(want, i)) != 0)
            g_error("%s = \"%s\", expected \"%s\"", key, value ? value : "(absent)", vmx_file_value_at(want, i));
    }
    /* and nothing else but the defaults libvirt writes today */
    for (guint i = 0; i < vmx_file_size(got); i++) {
        const char *key = vmx_file_key_at(got, i);

        if (!vmx_file_get(want, key) && strcmp(key, ".encoding") != 0 && strcmp(key, "floppy0.present") != 0 &&
            strcmp(key, "floppy1.present") != 0)
            g_error("unexpected entry %s", key);
    }
}

static void
test_offline_mapper(void)
{
    vmx_offline_opts with = { "[datastore] directory", "dc" };
    vmx_convert_ctx ctx, bare;
    g_autoptr(GError) error = NULL;
    gboolean missing;
    char *s;

    vmx_offline_ctx_init(&ctx, &with);
    vmx_offline_ctx_init(&bare, NULL);
    g_assert_cmpstr(ctx.datacenter_path, ==, "dc");
#define PARSE(c, in)  (c).parse_file_name(in, &missing, (c).user_data, &error)
#define FORMAT(c, in) (c).format_file_name(in, (c).user_data, &error)
    s = PARSE(ctx, "/vmfs/volumes/ds1/dir/a.vmdk");
    g_assert_cmpstr(s, ==, "[ds1] dir/a.vmdk");
    g_free(s);
    s = PARSE(ctx, "a.vmdk");
    g_assert_cmpstr(s, ==, "[datastore] directory/a.vmdk");
    g_free(s);
    s = PARSE(bare, "a.vmdk");
    g_assert_cmpstr(s, ==, "a.vmdk");
    g_free(s);
    s = PARSE(ctx, "/data/a.vmdk");
    g_assert_cmpstr(s, ==, "/data/a.vmdk");
    g_free(s);
    g_assert_null(PARSE(ctx, "/vmfs/volumes/missing/a.iso"));
    g_assert_true(missing);
    g_assert_no_error(error);
    g_assert_null(PARSE(ctx, "/vmfs/volumes/ds/missing-a.iso"));
    g_assert_true(missing);
    g_assert_null(PARSE(ctx, "dir/a.vmdk"));
    g_assert_false(missing);
    g_assert_error(error, VMX_ERROR, VMX_ERROR_MAPPING);
    g_assert_nonnull(strstr(error->message, "dir/a.vmdk"));
    g_clear_error(&error);
    s = FORMAT(ctx, "[ds1] dir/a.vmdk");
    g_assert_cmpstr(s, ==, "/vmfs/volumes/ds1/dir/a.vmdk");
    g_free(s);
    s = FORMAT(ctx, "/abs/x.iso");
    g_assert_cmpstr(s, ==, "/abs/x.iso");
    g_free(s);
    g_assert_null(FORMAT(ctx, "[broken"));
    g_assert_error(error, VMX_ERROR, VMX_ERROR_MAPPING);
    g_clear_error(&error);
    g_assert_null(FORMAT(ctx, "rel/x.iso"));
    g_assert_error(error, VMX_ERROR, VMX_ERROR_MAPPING);
#undef PARSE
#undef FORMAT
}

static vmx_domain *
from_vmx(const char *vmx, GError **error)
{
    vmx_offline_opts opts = { "[ds] vm", NULL };
    vmx_convert_ctx ctx;

    vmx_offline_ctx_init(&ctx, &opts);
    return vmx_to_domain(vmx, strlen(vmx), &ctx, error);
}

static vmx_file *
to_vmx(const vmx_domain *def, int hw, GError **error)
{
    vmx_convert_ctx ctx;

    vmx_offline_ctx_init(&ctx, NULL);
    return vmx_file_from_domain(def, &ctx, hw, error);
}

#define VMX_HEAD "config.version = \"8\"\nvirtualHW.version = \"13\"\ndisplayName = \"t\"\n"

static void
test_genid_topology_sata_nvme(void)
{
    const char *vmx = VMX_HEAD "vm.genid = \"-8536691797830587195\"\nvm.genidX = \"-1723453263670062919\"\n"
                               "numvcpus = \"8\"\ncpuid.coresPerSocket = \"4\"\n"
                               "firmware = \"efi\"\nuefi.secureBoot.enabled = \"TRUE\"\n"
                               "scsi0.present = \"true\"\nscsi0:0.present = \"true\"\nscsi0:0.fileName = \"a.vmdk\"\n"
                               "sata0.present = \"true\"\nsata0:0.present = \"true\"\nsata0:0.fileName = \"b.vmdk\"\n"
                               "sata0:1.present = \"true\"\nsata0:1.deviceType = \"cdrom-image\"\n"
                               "sata0:1.fileName = \"c.iso\"\n"
                               "nvme0.present = \"true\"\nnvme0:0.present = \"true\"\nnvme0:0.fileName = \"d.vmdk\"\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = from_vmx(vmx, &error);
    g_autoptr(vmx_file) out = NULL;
    g_autoptr(vmx_domain) again = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *xml_again = NULL;
    g_autofree char *text = NULL;
    g_autofree char *diff = NULL;

    g_assert_no_error(error);
    xml = vmx_domain_format_xml(def, &error);
    /* the two numbers in hex, vm.genid first (libvirt's order) */
    g_assert_nonnull(strstr(xml, "<genid>8987940a-0951-2cc5-e815-10634ff550b9</genid>"));
    g_assert_nonnull(strstr(xml, "<topology sockets='2' dies='1' clusters='1' cores='4' "
                                 "threads='1'/>"));
    g_assert_nonnull(strstr(xml, "<feature enabled='yes' name='enrolled-keys'/>\n"
                                 "      <feature enabled='yes' name='secure-boot'/>"));
    /* scsi0:0 is sda and so is sata0:0: libvirt's names, each disk placed
     * by its <address> */
    g_assert_nonnull(strstr(xml, "<target dev='sda' bus='scsi'/>"));
    g_assert_nonnull(strstr(xml, "<target dev='sda' bus='sata'/>"));
    g_assert_nonnull(strstr(xml, "<target dev='sdb' bus='sata'/>"));
    g_assert_nonnull(strstr(xml, "<target dev='nvme0n1' bus='nvme'/>"));
    g_assert_nonnull(strstr(xml, "<controller type='sata' index='0'/>"));
    g_assert_nonnull(strstr(xml, "<controller type='nvme' index='0'/>"));

    out = to_vmx(def, 13, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(vmx_file_get(out, "vm.genid"), ==, "-8536691797830587195");
    g_assert_cmpstr(vmx_file_get(out, "vm.genidX"), ==, "-1723453263670062919");
    g_assert_cmpstr(vmx_file_get(out, "cpuid.coresPerSocket"), ==, "4");
    g_assert_cmpstr(vmx_file_get(out, "uefi.secureBoot.enabled"), ==, "true");
    g_assert_cmpstr(vmx_file_get(out, "sata0:0.fileName"), ==, "/vmfs/volumes/ds/vm/b.vmdk");
    g_assert_cmpstr(vmx_file_get(out, "sata0:1.deviceType"), ==, "cdrom-image");
    g_assert_cmpstr(vmx_file_get(out, "nvme0.present"), ==, "true");
    g_assert_cmpstr(vmx_file_get(out, "nvme0:0.fileName"), ==, "/vmfs/volumes/ds/vm/d.vmdk");
    /* and back again: the same domain */
    text = vmx_file_format(out, &error);
    again = from_vmx(text, &error);
    g_assert_no_error(error);
    xml_again = vmx_domain_format_xml(again, &error);
    if (!test_xml_equal(xml_again, xml, &diff))
        g_error("VMX -> XML -> VMX -> XML: %s", diff);
}

static void
test_memory_mac_rules(void)
{
    const char *xml = "<domain type='vmware'><name>m</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
                      "<memory unit='KiB'>219136</memory><vcpu>3</vcpu><os><type>hvm</type></os><devices>"
                      "<interface type='bridge'><mac address='00:0c:29:00:00:01'/><source bridge='a'/></interface>"
                      "<interface type='bridge'><mac address='00:50:56:3f:ff:ff'/><source bridge='b'/></interface>"
                      "<interface type='bridge'><mac address='00:50:56:80:00:00'/><source bridge='c'/></interface>"
                      "<interface type='bridge'><mac address='00:50:56:40:00:00'/><source bridge='d'/></interface>"
                      "<interface type='bridge'><source bridge='e'/></interface>"
                      "</devices></domain>";
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml, &error);
    g_autoptr(vmx_file) out = NULL;

    g_assert_no_error(error);
    out = to_vmx(def, 7, &error); /* 5 cards: hardware 7 or later */
    g_assert_no_error(error);
    g_assert_cmpstr(vmx_file_get(out, "memsize"), ==, "216"); /* up to 4 MiB */
    /* current (214 MiB) below the rounded size: the balloon limit says so */
    g_assert_cmpstr(vmx_file_get(out, "sched.mem.max"), ==, "214");
    g_assert_cmpstr(vmx_file_get(out, "numvcpus"), ==, "3"); /* any number */
    g_assert_cmpstr(vmx_file_get(out, "ethernet0.addressType"), ==, "generated");
    g_assert_cmpstr(vmx_file_get(out, "ethernet0.generatedAddressOffset"), ==, "0");
    g_assert_cmpstr(vmx_file_get(out, "ethernet1.addressType"), ==, "static");
    g_assert_null(vmx_file_get(out, "ethernet1.checkMACAddress"));
    g_assert_cmpstr(vmx_file_get(out, "ethernet2.addressType"), ==, "vpx");
    g_assert_cmpstr(vmx_file_get(out, "ethernet3.addressType"), ==, "static");
    g_assert_cmpstr(vmx_file_get(out, "ethernet3.checkMACAddress"), ==, "false");
    /* no MAC: one is made up in the range ESX generates from */
    g_assert_cmpstr(vmx_file_get(out, "ethernet4.addressType"), ==, "generated");
    g_assert_true(g_str_has_prefix(vmx_file_get(out, "ethernet4.generatedAddress"), "00:0c:29:"));
}

static void
expect_from_error(const char *devices_and_more, int hw, const char *message)
{
    g_autofree char *xml =
        g_strdup_printf("<domain type='vmware'><name>e</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
                        "<memory>4096</memory>%s</domain>",
                        devices_and_more);
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml, &error);
    g_autoptr(vmx_file) out = NULL;

    g_assert_no_error(error);
    out = to_vmx(def, hw, &error);
    g_assert_null(out);
    g_assert_nonnull(error);
    if (!strstr(error->message, message))
        g_error("'%s' lacks '%s'", error->message, message);
}

#define OS "<os><type>hvm</type></os>"

static void
test_from_errors(void)
{
    expect_from_error(OS, 3, "virtual hardware version 3");
    expect_from_error("<vcpu current='1'>2</vcpu>" OS, 4, "element <vcpu>: attribute 'current'");
    expect_from_error("<vcpu>4</vcpu>" OS "<cpu><topology sockets='1' cores='2' threads='1'/></cpu>", 4,
                      "element <topology>");
    expect_from_error("<vcpu>4</vcpu>" OS "<cpu><topology sockets='2' cores='1' threads='2'/></cpu>", 4, "threads='1'");
    expect_from_error("<vcpu cpuset='1'>2</vcpu>" OS, 4, "at least 2 CPU(s)");
    expect_from_error(OS "<devices><disk><source file='[d] a.vmdk'/><target dev='sda'/>"
                         "<address type='drive' controller='1' bus='0' unit='0'/></disk></devices>",
                      4, "disk 'sda': address 1:0:0 does not match");
    expect_from_error(OS "<devices><disk><driver cache='none'/><source file='[d] a.vmdk'/>"
                         "<target dev='sda'/></disk></devices>",
                      4, "cache mode 'none'");
    expect_from_error(OS "<devices><disk><source file='[d] a.img'/><target dev='sda'/></disk>"
                         "</devices>",
                      4, "expecting '.vmdk'");
    expect_from_error(OS "<devices><disk type='block'><source dev='/dev/sdz'/><target dev='sda'/>"
                         "</disk></devices>",
                      4, "a hard disk must be of type 'file'");
    expect_from_error(OS "<devices><disk><source file='rel/a.vmdk'/><target dev='sda'/></disk>"
                         "</devices>",
                      4, "disk 'sda': file name 'rel/a.vmdk'");
    expect_from_error(OS "<devices><disk><source file='[d] a.vmdk'/><target dev='sdh'/></disk>"
                         "<disk><source file='[d] b.vmdk'/><target dev='sdh' bus='scsi'/></disk>"
                         "</devices>",
                      4, "slot scsi0:8 is already used");
    expect_from_error(OS "<devices><disk><source file='[d] a.vmdk'/><target dev='sdbz'/></disk>"
                         "</devices>",
                      4, "outside VMware's scsi slots");
    expect_from_error(OS "<devices><disk><driver name='virtio'/><source file='[d] a.vmdk'/>"
                         "<target dev='sda'/></disk></devices>",
                      4, "<driver name='virtio'/>");
    expect_from_error(OS "<devices><controller type='scsi' index='0' model='buslogic'/><disk>"
                         "<driver name='lsilogic'/><source file='[d] a.vmdk'/><target dev='sda'/>"
                         "</disk></devices>",
                      4, "contradicts model 'buslogic'");
    expect_from_error(OS "<devices><parallel type='pipe'><source path='p'/></parallel></devices>", 4,
                      "element <parallel>: type 'pipe'");
    expect_from_error(OS "<devices><serial type='dev'><source path='/dev/a'/>"
                         "<target port='4'/></serial></devices>",
                      4, "port 4 is out of");
    expect_from_error(OS "<devices><video><model type='cirrus'/></video></devices>", 4,
                      "element <video>: model 'cirrus'");
    expect_from_error(OS "<devices><video><model type='vmvga' heads='2'/></video></devices>", 4, "heads='2'");
    expect_from_error("<os><type>hvm</type><smbios mode='sysinfo'/></os>", 4, "element <smbios>: mode 'sysinfo'");
    expect_from_error("<os><type>hvm</type><firmware><feature enabled='yes' name='secure-boot'/>"
                      "</firmware></os>",
                      4, "secure boot needs firmware='efi'");
    {
        /* a domain of another hypervisor */
        g_autoptr(GError) error = NULL;
        g_autoptr(vmx_domain) def =
            vmx_domain_parse_xml("<domain type='kvm'><name>k</name><memory>4096</memory>" OS "</domain>", &error);
        g_autoptr(vmx_file) out = to_vmx(def, 4, &error);

        g_assert_null(out);
        g_assert_nonnull(strstr(error->message, "type must be 'vmware', found 'kvm'"));
    }
}

static void
expect_to_error(const char *vmx, const char *message)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = from_vmx(vmx, &error);

    if (def)
        g_error("converted, but expected an error with '%s'", message);
    g_assert_nonnull(error);
    if (!strstr(error->message, message))
        g_error("'%s' lacks '%s'", error->message, message);
}

static void
test_to_errors(void)
{
    expect_to_error("virtualHW.version = \"4\"\n", "no 'config.version'");
    expect_to_error("config.version = \"7\"\nvirtualHW.version = \"4\"\n", "must be 8, found 7");
    expect_to_error("config.version = \"8\"\nvirtualHW.version = \"3\"\n", "4 or newer");
    expect_to_error("config.version = \"8\"\nvirtualHW.version = \"4\"\n", "no 'displayName'");
    expect_to_error(VMX_HEAD "memsize = \"1001\"\n", "'memsize' must be a positive multiple of 4");
    expect_to_error(VMX_HEAD "memsize = \"big\"\n", "'memsize' must be an integer");
    expect_to_error(VMX_HEAD "numvcpus = \"0\"\n", "'numvcpus'");
    expect_to_error(VMX_HEAD "numvcpus = \"6\"\ncpuid.coresPerSocket = \"4\"\n", "multiple of 'cpuid.coresPerSocket'");
    expect_to_error(VMX_HEAD "numvcpus = \"2\"\nsched.cpu.affinity = \"1\"\n",
                    "lists 1 CPU(s), fewer than 'numvcpus' (2)");
    expect_to_error(VMX_HEAD "sched.cpu.shares = \"lots\"\n", "'sched.cpu.shares'");
    expect_to_error(VMX_HEAD "uuid.bios = \"12 34\"\n", "'uuid.bios' is not a UUID");
    expect_to_error("config.version = \"8\"\nvirtualHW.version = \"4\"\ndisplayName = \"a|2\"\n",
                    "'displayName' has an invalid escape sequence");
    expect_to_error(VMX_HEAD "scsi0.present = \"maybe\"\n", "'scsi0.present' must be \"true\" or \"false\"");
    expect_to_error(VMX_HEAD "scsi0.present = \"true\"\nscsi0.virtualDev = \"megaraid\"\n",
                    "'scsi0.virtualDev' must be");
    expect_to_error(VMX_HEAD "scsi0.present = \"true\"\nscsi0:1.present = \"true\"\n"
                             "scsi0:1.deviceType = \"rawDisk\"\n",
                    "device sdb (scsi0:1.deviceType)");
    expect_to_error(VMX_HEAD "ide0:1.present = \"true\"\nide0:1.fileName = \"x.img\"\n",
                    "device hdb (ide0:1): no deviceType");
    expect_to_error(VMX_HEAD "ide0:1.present = \"true\"\nide0:1.fileName = \"dir/x.vmdk\"\n",
                    "disk 'hdb' (ide0:1.fileName): relative file name 'dir/x.vmdk'");
    expect_to_error(VMX_HEAD "ethernet0.present = \"true\"\nethernet0.virtualDev = \"virtio\"\n",
                    "'ethernet0.virtualDev' must be");
    expect_to_error(VMX_HEAD "ethernet0.present = \"true\"\nethernet0.connectionType = \"hostonly\"\n",
                    "network card ethernet0: connectionType \"hostonly\"");
    expect_to_error(VMX_HEAD "ethernet0.present = \"true\"\nethernet0.addressType = \"static\"\n"
                             "ethernet0.address = \"00:50:56\"\n",
                    "must be a MAC address");
    {
        /* a network port without a port number is kept as a port with no
         * backend, as libvirt keeps one whose file name is not a URI */
        g_autoptr(GError) error = NULL;
        g_autoptr(vmx_domain) def = from_vmx(VMX_HEAD "serial0.present = \"true\"\nserial0.fileType = \"network\"\n"
                                                      "serial0.fileName = \"tcp://host\"\n",
                                             &error);

        g_assert_no_error(error);
        g_assert_cmpuint(def->serials->len, ==, 1);
        g_assert_cmpint(((vmx_chr *)def->serials->pdata[0])->type, ==, VMX_CHR_NULL);
    }
    expect_to_error(VMX_HEAD "serial0.present = \"true\"\nserial0.fileType = \"network\"\n"
                             "serial0.fileName = \"gopher://host:1\"\n",
                    "URI scheme");
    expect_to_error(VMX_HEAD "parallel0.present = \"true\"\nparallel0.fileType = \"pipe\"\n",
                    "parallel port parallel0: fileType \"pipe\"");
}

/* vmx_file_update_from_domain: keeps what the model does not cover */
static void
test_update(void)
{
    const char *vmx =
        "#!/usr/bin/vmware\n" VMX_HEAD "memsize = \"512\"\nnvram = \"t.nvram\"\ntools.syncTime = \"TRUE\"\n"
        "ethernet0.present = \"TRUE\"\nethernet0.networkName = \"A\"\n"
        "ethernet0.addressType = \"generated\"\n"
        "ethernet0.generatedAddress = \"00:0c:29:00:00:01\"\n"
        "ethernet0.pciSlotNumber = \"32\"\n"
        "ethernet1.present = \"TRUE\"\nethernet1.networkName = \"B\"\n"
        "ethernet1.addressType = \"generated\"\n"
        "ethernet1.generatedAddress = \"00:0c:29:00:00:02\"\n"
        "ethernet1.pciSlotNumber = \"33\"\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_file) file = vmx_file_parse(vmx, strlen(vmx), &error);
    g_autoptr(vmx_domain) def = from_vmx(vmx, &error);
    vmx_convert_ctx ctx;
    g_autofree char *unchanged = NULL;

    vmx_offline_ctx_init(&ctx, NULL);
    g_assert_no_error(error);
    /* the same domain: not a byte changes */
    g_assert_true(vmx_file_update_from_domain(file, def, &ctx, 4, &error));
    unchanged = vmx_file_format(file, &error);
    g_assert_cmpstr(unchanged, ==, vmx);

    /* more memory, the second NIC gone, the first on another network */
    def->memory_kib = def->current_memory_kib = 1024 * 1024;
    g_ptr_array_remove_index(def->nets, 1);
    g_free(((vmx_net *)def->nets->pdata[0])->source);
    ((vmx_net *)def->nets->pdata[0])->source = g_strdup("C");
    g_assert_true(vmx_file_update_from_domain(file, def, &ctx, 4, &error));
    g_assert_cmpstr(vmx_file_get(file, "memsize"), ==, "1024");
    g_assert_cmpstr(vmx_file_get(file, "nvram"), ==, "t.nvram");
    g_assert_cmpstr(vmx_file_get(file, "tools.syncTime"), ==, "TRUE");
    g_assert_cmpstr(vmx_file_get(file, "ethernet0.networkName"), ==, "C");
    g_assert_cmpstr(vmx_file_get(file, "ethernet0.pciSlotNumber"), ==, "32");
    g_assert_null(vmx_file_get(file, "ethernet1.present"));
    g_assert_null(vmx_file_get(file, "ethernet1.pciSlotNumber"));
    g_assert_null(vmx_file_get(file, "ethernet1.networkName"));
    g_assert_cmpstr(vmx_file_key_at(file, 0), ==, "config.version"); /* order kept */

    /* a new NIC in a slot a disabled one left entries in: no stale model */
    {
        const char *old = VMX_HEAD "ethernet0.present = \"FALSE\"\n"
                                   "ethernet0.virtualDev = \"e1000\"\n";
        g_autoptr(vmx_file) f = vmx_file_parse(old, strlen(old), &error);
        g_autoptr(vmx_domain) d = from_vmx(old, &error);
        vmx_net *net = vmx_net_new();

        g_assert_no_error(error);
        net->type = VMX_NET_BRIDGE;
        net->source = g_strdup("VM Network");
        net->has_mac = TRUE;
        memcpy(net->mac, "\x00\x50\x56\x01\x02\x03", 6);
        g_ptr_array_add(d->nets, net);
        g_assert_true(vmx_file_update_from_domain(f, d, &ctx, 4, &error));
        g_assert_cmpstr(vmx_file_get(f, "ethernet0.present"), ==, "true");
        g_assert_null(vmx_file_get(f, "ethernet0.virtualDev"));
        g_assert_cmpstr(vmx_file_get(f, "ethernet0.address"), ==, "00:50:56:01:02:03");
    }
    /* cards in sparse slots stay in their slots */
    {
        const char *old = VMX_HEAD "ethernet1.present = \"TRUE\"\nethernet1.networkName = \"A\"\n"
                                   "ethernet1.addressType = \"static\"\n"
                                   "ethernet1.address = \"00:50:56:00:00:01\"\n";
        g_autoptr(vmx_file) f = vmx_file_parse(old, strlen(old), &error);
        g_autoptr(vmx_domain) d = from_vmx(old, &error);
        vmx_net *net;

        g_assert_no_error(error);
        g_free(((vmx_net *)d->nets->pdata[0])->source);
        ((vmx_net *)d->nets->pdata[0])->source = g_strdup("B");
        net = vmx_net_new();
        net->type = VMX_NET_USER;
        net->has_mac = TRUE;
        memcpy(net->mac, "\x00\x50\x56\x00\x00\x02", 6);
        g_ptr_array_add(d->nets, net);
        g_assert_true(vmx_file_update_from_domain(f, d, &ctx, 4, &error));
        g_assert_cmpstr(vmx_file_get(f, "ethernet1.networkName"), ==, "B");
        g_assert_cmpstr(vmx_file_get(f, "ethernet0.connectionType"), ==, "nat");
        g_assert_cmpstr(vmx_file_get(f, "ethernet0.address"), ==, "00:50:56:00:00:02");
        g_assert_null(vmx_file_get(f, "ethernet2.present"));
    }
}

static void
test_datastore_paths(void)
{
    g_autoptr(GError) error = NULL;
    char *ds, *dir, *file;
    g_autoptr(vmx_domain) def = NULL;
    char *loc;

    g_assert_true(vmx_parse_datastore_path("[local-storage] Fedora11/sub/F.vmdk", &ds, &dir, &file, &error));
    g_assert_cmpstr(ds, ==, "local-storage");
    g_assert_cmpstr(dir, ==, "Fedora11/sub");
    g_assert_cmpstr(file, ==, "F.vmdk");
    g_free(ds), g_free(dir), g_free(file);
    g_assert_true(vmx_parse_datastore_path("[ds] F.vmdk", &ds, &dir, &file, &error));
    g_assert_null(dir);
    g_assert_cmpstr(file, ==, "F.vmdk");
    g_free(ds), g_free(dir), g_free(file);
    g_assert_false(vmx_parse_datastore_path("/vmfs/volumes/x", &ds, &dir, &file, &error));
    g_assert_error(error, VMX_ERROR, VMX_ERROR_MAPPING);
    g_clear_error(&error);

    def = vmx_domain_parse_xml("<domain type='vmware'><name>l</name><memory>4096</memory><os><type>hvm</type></os>"
                               "<devices><disk device='cdrom'><source file='[iso] x.iso'/><target dev='hdc'/></disk>"
                               "<disk><source file='[ds2] vm/disk.vmdk'/><target dev='sda'/></disk></devices></domain>",
                               &error);
    g_assert_no_error(error);
    loc = vmx_domain_vmx_location(def, &error);
    g_assert_cmpstr(loc, ==, "[ds2] vm");
    g_free(loc);
    g_ptr_array_remove_index(def->disks, 1);
    g_assert_null(vmx_domain_vmx_location(def, &error));
    g_assert_error(error, VMX_ERROR, VMX_ERROR_INVALID);
}

static void
test_summary(void)
{
    const char *text = VMX_HEAD "memsize = \"2048\"\nnumvcpus = \"4\"\n"
                                "uuid.bios = \"56 4d 9b ef ac d9 b4 e0-c8 f0 ae a8 b9 10 35 15\"\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_file) file = vmx_file_parse(text, strlen(text), &error);
    vmx_summary summary;

    g_assert_true(vmx_file_summary(file, &summary, &error));
    g_assert_cmpstr(summary.name, ==, "t");
    g_assert_true(summary.has_uuid);
    g_assert_cmpuint(summary.uuid[15], ==, 0x15);
    g_assert_cmpuint(summary.memory_kib, ==, 2097152);
    g_assert_cmpuint(summary.vcpus, ==, 4);
    vmx_summary_clear(&summary);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VMX_CORPUS_DIR"))
        g_setenv("VMX_CORPUS_DIR", "tests/data/vmx/corpus", FALSE);
    g_test_add_func("/vmx/convert/fedora11-from-native", test_fedora11_from_native);
    g_test_add_func("/vmx/convert/fedora11-to-native", test_fedora11_to_native);
    g_test_add_func("/vmx/convert/offline-mapper", test_offline_mapper);
    g_test_add_func("/vmx/convert/genid-topology-sata-nvme", test_genid_topology_sata_nvme);
    g_test_add_func("/vmx/convert/memory-mac-rules", test_memory_mac_rules);
    g_test_add_func("/vmx/convert/from-errors", test_from_errors);
    g_test_add_func("/vmx/convert/to-errors", test_to_errors);
    g_test_add_func("/vmx/convert/update", test_update);
    g_test_add_func("/vmx/convert/datastore-paths", test_datastore_paths);
    g_test_add_func("/vmx/convert/summary", test_summary);
    return g_test_run();
}
