/*
 * test-domain-xml.c: domain XML parse and format: a full round trip through
 * every part of the model, libvirt's defaults, and the errors that name the
 * element.
 */
#include "compare.h"
#include "vmx/vmx.h"
#include "../test-cost.h"

#include <string.h>

/* every element and attribute the model covers, in libvirt's format */
static const char full_xml[] = "<domain type='vmware' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>\n"
                               "  <name>full &amp; &lt;complete&gt;</name>\n"
                               "  <uuid>564d9bef-acd9-b4e0-c8f0-aea8b9103515</uuid>\n"
                               "  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n"
                               "  <description>all of it</description>\n"
                               "  <memory unit='KiB'>2097152</memory>\n"
                               "  <currentMemory unit='KiB'>1048576</currentMemory>\n"
                               "  <memtune>\n"
                               "    <min_guarantee unit='KiB'>262144</min_guarantee>\n"
                               "  </memtune>\n"
                               "  <vcpu placement='static' cpuset='0-3,8'>4</vcpu>\n"
                               "  <cputune>\n"
                               "    <shares>1234</shares>\n"
                               "  </cputune>\n"
                               "  <os firmware='efi'>\n"
                               "    <type arch='x86_64'>hvm</type>\n"
                               "    <firmware>\n"
                               "      <feature enabled='yes' name='secure-boot'/>\n"
                               "    </firmware>\n"
                               "    <smbios mode='host'/>\n"
                               "  </os>\n"
                               "  <cpu>\n"
                               "    <topology sockets='2' dies='1' clusters='1' cores='2' threads='1'/>\n"
                               "  </cpu>\n"
                               "  <clock offset='utc'/>\n"
                               "  <on_poweroff>destroy</on_poweroff>\n"
                               "  <on_reboot>restart</on_reboot>\n"
                               "  <on_crash>destroy</on_crash>\n"
                               "  <devices>\n"
                               "    <disk type='file' device='disk'>\n"
                               "      <driver cache='writethrough'/>\n"
                               "      <source file='[ds] vm/vm.vmdk'/>\n"
                               "      <target dev='sda' bus='scsi'/>\n"
                               "      <transient/>\n"
                               "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
                               "    </disk>\n"
                               "    <disk type='file' device='disk'>\n"
                               "      <source file='[ds] vm/sata.vmdk'/>\n"
                               "      <target dev='sdb' bus='sata'/>\n"
                               "      <address type='drive' controller='0' bus='0' target='0' unit='1'/>\n"
                               "    </disk>\n"
                               "    <disk type='file' device='disk'>\n"
                               "      <source file='[ds] vm/nvme.vmdk'/>\n"
                               "      <target dev='nvme0n1' bus='nvme'/>\n"
                               "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
                               "    </disk>\n"
                               "    <disk type='block' device='lun'>\n"
                               "      <source startupPolicy='optional'/>\n"
                               "      <target dev='hda' bus='ide'/>\n"
                               "      <readonly/>\n"
                               "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
                               "    </disk>\n"
                               "    <disk type='file' device='floppy'>\n"
                               "      <source file='[ds] vm/boot.flp'/>\n"
                               "      <target dev='fda' bus='fdc'/>\n"
                               "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
                               "    </disk>\n"
                               "    <controller type='scsi' index='0' model='vmpvscsi'/>\n"
                               "    <controller type='fdc' index='0'/>\n"
                               "    <controller type='ide' index='0'/>\n"
                               "    <controller type='sata' index='0'/>\n"
                               "    <controller type='nvme' index='0'/>\n"
                               "    <filesystem type='mount' accessmode='passthrough'>\n"
                               "      <source dir='/srv'/>\n"
                               "      <target dir='srv'/>\n"
                               "      <readonly/>\n"
                               "    </filesystem>\n"
                               "    <interface type='bridge'>\n"
                               "      <mac address='00:50:56:11:22:33' type='static' check='yes'/>\n"
                               "      <source bridge='VM Network'/>\n"
                               "      <target dev='vmnet7'/>\n"
                               "      <model type='vmxnet3'/>\n"
                               "    </interface>\n"
                               "    <interface type='network'>\n"
                               "      <mac address='00:0c:29:11:22:33' type='generated'/>\n"
                               "      <source network='Lab'/>\n"
                               "      <model type='e1000e'/>\n"
                               "    </interface>\n"
                               "    <interface type='vds'>\n"
                               "      <mac address='00:50:56:87:65:43' type='generated'/>\n"
                               "      <source switchid='503426b2-94e9-3b16-1d68-87bfff4a5440' portid='5' "
                               "portgroupid='dvportgroup-1285' connectionid='408217997'/>\n"
                               "    </interface>\n"
                               "    <interface type='user'>\n"
                               "      <mac address='00:12:34:56:78:90' check='no'/>\n"
                               "    </interface>\n"
                               "    <interface type='null'>\n"
                               "      <mac address='00:50:56:87:65:44'/>\n"
                               "    </interface>\n"
                               "    <serial type='tcp'>\n"
                               "      <source mode='bind' host='0.0.0.0' service='42001'/>\n"
                               "      <protocol type='telnet'/>\n"
                               "      <target port='0'/>\n"
                               "    </serial>\n"
                               "    <serial type='pipe'>\n"
                               "      <source path='serial1.pipe'/>\n"
                               "      <target port='1'/>\n"
                               "    </serial>\n"
                               "    <parallel type='dev'>\n"
                               "      <source path='/dev/parport0'/>\n"
                               "      <target port='0'/>\n"
                               "    </parallel>\n"
                               "    <console type='tcp'>\n"
                               "      <source mode='bind' host='0.0.0.0' service='42001'/>\n"
                               "      <protocol type='telnet'/>\n"
                               "      <target type='serial' port='0'/>\n"
                               "    </console>\n"
                               "    <graphics type='vnc' port='5903' autoport='no' listen='10.0.0.1' keymap='de' "
                               "passwd='secret'>\n"
                               "      <listen type='address' address='10.0.0.1'/>\n"
                               "    </graphics>\n"
                               "    <video>\n"
                               "      <model type='vmvga' vram='8192' primary='yes'/>\n"
                               "    </video>\n"
                               "  </devices>\n"
                               "  <vmware:datacenterpath>dc1/folder</vmware:datacenterpath>\n"
                               "  <vmware:moref>vm-42</vmware:moref>\n"
                               "</domain>\n";

static void
test_full_round_trip(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(full_xml, &error);
    g_autofree char *xml = NULL;
    g_autofree char *plain = NULL;

    g_assert_no_error(error);
    g_assert_cmpstr(def->name, ==, "full & <complete>");
    g_assert_cmpuint(def->memory_kib, ==, 2097152);
    g_assert_cmpuint(def->disks->len, ==, 5);
    g_assert_cmpuint(def->nets->len, ==, 5);
    g_assert_cmpstr(def->moref, ==, "vm-42");
    xml = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(xml, ==, full_xml); /* byte for byte: libvirt's layout */
    /* without VMX_XML_SECURE the VNC password stays out */
    plain = vmx_domain_format_xml(def, &error);
    g_assert_null(strstr(plain, "secret"));
    g_assert_nonnull(strstr(plain, "keymap='de'"));
}

static void
test_defaults(void)
{
    const char *xml = "<domain type='vmware'><name>d</name>"
                      "<uuid>564d9bef-acd9-b4e0-c8f0-aea8b9103515</uuid>"
                      "<memory unit='MiB'>512</memory><os><type>hvm</type></os>"
                      "<devices><disk type='file' device='cdrom'><target dev='hdc'/></disk>"
                      "<disk device='disk'><source file='[d] x.vmdk'/><target dev='sdq' bus='scsi'/></disk>"
                      "<graphics type='vnc'/><serial type='dev'><source path='/dev/ttyS0'/></serial>"
                      "<input type='mouse' bus='ps2'/><memballoon model='none'/>"
                      "<controller type='usb' index='0'/></devices></domain>";
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml, &error);
    const vmx_disk *cdrom, *disk;
    const vmx_video *video;
    const vmx_graphics *g;

    g_assert_no_error(error);
    g_assert_cmpuint(def->memory_kib, ==, 524288);
    g_assert_cmpuint(def->current_memory_kib, ==, 524288);
    g_assert_cmpuint(def->vcpus, ==, 1);
    cdrom = def->disks->pdata[0];
    g_assert_cmpint(cdrom->bus, ==, VMX_DISK_BUS_IDE); /* from the name */
    g_assert_cmpuint(cdrom->bus_index, ==, 1);
    g_assert_cmpuint(cdrom->unit, ==, 0);
    disk = def->disks->pdata[1];
    g_assert_cmpuint(disk->controller, ==, 1); /* sdq = 16: 1:0:1 */
    g_assert_cmpuint(disk->unit, ==, 1);
    g_assert_cmpuint(def->controllers->len, ==, 0); /* usb ignored */
    g_assert_cmpuint(def->videos->len, ==, 1);      /* graphics bring video */
    video = def->videos->pdata[0];
    g_assert_cmpstr(video->model, ==, "vmvga");
    g_assert_cmpuint(video->vram_kib, ==, 4096);
    g = def->graphics->pdata[0];
    g_assert_true(g->autoport);
    g_assert_true(def->serial_console);
}

static void
expect_error(const char *xml, const char *message)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml, &error);

    g_assert_null(def);
    g_assert_error(error, VMX_ERROR, VMX_ERROR_XML);
    if (!strstr(error->message, message))
        g_error("'%s' lacks '%s'", error->message, message);
}

#define HEAD "<domain type='vmware'><name>e</name><memory>4096</memory><os><type>hvm</type></os>"

static void
test_errors(void)
{
    expect_error("<domain type='vmware'><name>x</name", "malformed domain XML");
    expect_error("<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x 'boom'>]>"
                 "<domain type='vmware'><name>&x;</name></domain>",
                 "DOCTYPE");
    expect_error("<?xml version='1.0'?><!DOCTYPE d SYSTEM 'http://example.com/x.dtd'>"
                 "<domain type='vmware'><name>x</name></domain>",
                 "DOCTYPE");
    expect_error("<network/>", "root element must be <domain>");
    expect_error("<domain><name>x</name></domain>", "element <domain>: missing attribute 'type'");
    expect_error("<domain type='vmware'><memory>4096</memory></domain>", "element <name>");
    expect_error("<domain type='vmware'><name>x</name><uuid>nope</uuid></domain>",
                 "element <uuid>: 'nope' is not a UUID");
    expect_error("<domain type='vmware'><name>x</name><memory unit='parsec'>1</memory>"
                 "<os><type>hvm</type></os></domain>",
                 "element <memory>: unknown unit 'parsec'");
    expect_error("<domain type='vmware'><name>x</name><memory>lots</memory></domain>",
                 "element <memory>: 'lots' is not a size");
    expect_error("<domain type='vmware'><name>x</name><memory>4096</memory></domain>", "missing <os>");
    expect_error(HEAD "<vcpu>0</vcpu></domain>", "element <vcpu>");
    expect_error(HEAD "<vcpu cpuset='1-x'>1</vcpu></domain>", "element <vcpu>: attribute 'cpuset'");
    expect_error("<domain type='vmware'><name>e</name><memory>4096</memory>"
                 "<os><type arch='ppc64'>hvm</type></os></domain>",
                 "element <type>: arch 'ppc64' cannot run on VMware");
    expect_error(HEAD "<devices><disk type='network'><target dev='sda'/></disk></devices></domain>",
                 "element <disk>: type 'network' is not supported");
    expect_error(HEAD "<devices><disk><source file='a'/></disk></devices></domain>",
                 "element <disk>: missing <target>");
    expect_error(HEAD "<devices><disk><target dev='sda' bus='virtio'/></disk></devices></domain>",
                 "element <target>: disk 'sda': bus 'virtio' is not supported");
    expect_error(HEAD "<devices><disk><target dev='xyz' bus='scsi'/></disk></devices></domain>",
                 "'xyz' is not a valid scsi disk name");
    /* found by fuzz-domxml: a name far past any controller */
    expect_error(HEAD "<devices><disk><target dev='sdclocka' bus='scsi'/></disk></devices></domain>",
                 "disk name 'sdclocka' is beyond any controller");
    expect_error(HEAD "<devices><disk><target dev='sda'/><address type='pci'/></disk></devices>"
                      "</domain>",
                 "element <address>: disk 'sda': address type 'pci'");
    expect_error(HEAD "<devices><controller type='scsi' model='virtio-scsi'/></devices></domain>",
                 "element <controller>: SCSI controller 0: model 'virtio-scsi'");
    expect_error(HEAD "<devices><interface type='direct'/></devices></domain>", "element <interface>: type 'direct'");
    expect_error(HEAD "<devices><interface type='bridge'><model type='virtio'/></interface>"
                      "</devices></domain>",
                 "element <model>: network card model 'virtio'");
    expect_error(HEAD "<devices><interface type='bridge'><mac address='zz'/></interface>"
                      "</devices></domain>",
                 "element <mac>: 'zz' is not a MAC address");
    expect_error(HEAD "<devices><serial type='pty'/></devices></domain>", "element <serial>: type 'pty'");
    expect_error(HEAD "<devices><serial type='tcp'><source mode='bind'/></serial></devices>"
                      "</domain>",
                 "element <source>: a tcp serial needs");
    expect_error(HEAD "<devices><graphics type='spice'/></devices></domain>", "element <graphics>: type 'spice'");
    expect_error(HEAD "<devices><filesystem type='block'/></devices></domain>", "element <filesystem>: type 'block'");
}

/* One element with 100,000 attributes (1.1 MB) cost about two minutes of
 * CPU in libxml2 2.9.14's duplicate-attribute check; it is refused before
 * libxml2 sees it. The CPU bound (10 s) is a deadline: it takes milliseconds. */
static void
test_many_attributes(void)
{
    g_autoptr(GString) xml = g_string_new(HEAD "<devices><disk type='file' device='disk'");
    for (guint i = 0; i < 100000; i++)
        g_string_append_printf(xml, " a%u=''", i);
    g_string_append(xml, "/></devices></domain>");
    double before = test_cpu_seconds();
    expect_error(xml->str, "line 1: element <disk> has more than 64 attributes (the limit per element)");
    double cpu = test_cpu_seconds() - before;
    g_test_message("100,000 attributes refused in %.3f s of CPU", cpu);
    if (cpu > 10.0)
        g_error("100,000 attributes took %.1f s of CPU to refuse", cpu);
    /* 64 are allowed (and then unknown attributes are ignored) */
    g_string_assign(xml, HEAD "<devices><disk type='file' device='disk'");
    for (guint i = 0; i < 62; i++)
        g_string_append_printf(xml, " a%u=''", i);
    g_string_append(xml, "><source file='[ds] x.vmdk'/><target dev='sda'/></disk></devices></domain>");
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml->str, &error);
    g_assert_no_error(error);
}

/* A second copy of an element the model reads once is refused, at every
 * level (libvirt reads the first <name> but the last of some others). */
static void
test_duplicates(void)
{
    expect_error("<domain type='vmware'><name>a</name><name>b</name><memory>4096</memory>"
                 "<os><type>hvm</type></os></domain>",
                 "element <domain>: <name> is given a second time (line 1)");
    expect_error(HEAD "<memory>8192</memory></domain>", "element <domain>: <memory> is given a second time");
    expect_error("<domain type='vmware'><name>e</name><memory>4096</memory><os><type>hvm</type>\n"
                 "<type>xen</type></os></domain>",
                 "element <os>: <type> is given a second time (line 2)");
    expect_error("<domain type='vmware' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>"
                 "<name>e</name><memory>4096</memory><os><type>hvm</type></os>"
                 "<vmware:moref>vm-1</vmware:moref><vmware:moref>vm-2</vmware:moref></domain>",
                 "element <domain>: <moref> is given a second time");
    expect_error(HEAD "<devices><disk><source file='[a] a.vmdk'/><source file='[b] b.vmdk'/>"
                      "<target dev='sda'/></disk></devices></domain>",
                 "element <disk>: <source> is given a second time");
    expect_error(HEAD "<devices><interface type='bridge'><mac address='00:50:56:00:00:01'/>"
                      "<mac address='00:50:56:00:00:02'/></interface></devices></domain>",
                 "element <interface>: <mac> is given a second time");
    /* elements that repeat by nature still do */
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def =
        vmx_domain_parse_xml(HEAD "<devices><disk><source file='[a] a.vmdk'/><target dev='sda'/></disk>"
                                  "<disk><source file='[a] b.vmdk'/><target dev='sdb'/></disk></devices></domain>",
                             &error);
    g_assert_no_error(error);
    g_assert_cmpuint(def->disks->len, ==, 2);
}

/* A value of any length is quoted shortened, so the reason after it fits
 * in the ABI's 1024 bytes. */
static void
test_long_value(void)
{
    g_autoptr(GString) xml = g_string_new("<domain type='vmware'><name>e</name><memory>");
    for (int i = 0; i < 3000; i++)
        g_string_append(xml, "\xc3\xa9");
    g_string_append(xml, "</memory><os><type>hvm</type></os></domain>");
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_domain) def = vmx_domain_parse_xml(xml->str, &error);
    g_assert_null(def);
    g_test_message("%s", error->message);
    g_assert_cmpuint(strlen(error->message), <, 300);
    g_assert_true(g_utf8_validate(error->message, -1, NULL));
    g_assert_true(g_str_has_suffix(error->message, "...' is not a size"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmx/domain-xml/full-round-trip", test_full_round_trip);
    g_test_add_func("/vmx/domain-xml/defaults", test_defaults);
    g_test_add_func("/vmx/domain-xml/errors", test_errors);
    g_test_add_func("/vmx/domain-xml/many-attributes", test_many_attributes);
    g_test_add_func("/vmx/domain-xml/duplicates", test_duplicates);
    g_test_add_func("/vmx/domain-xml/long-value", test_long_value);
    return g_test_run();
}
