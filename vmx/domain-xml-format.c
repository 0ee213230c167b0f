/*
 * domain-xml-format.c: the domain model as libvirt formats it (2-space
 * indent, libvirt's element and attribute order).
 */
#include "vmx/internal.h"

#include <string.h>

typedef struct {
    GString *out;
    int depth;
    const char *bad; /* first element whose text XML cannot carry */
    const char *current;
} writer;

static void
escape_into(writer *w, const char *text)
{
    GString *out = w->out;

    for (const char *p = text; *p; p++) {
        if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
            /* XML 1.0 has no way to write these, not even as references */
            if (!w->bad)
                w->bad = w->current;
            continue;
        }
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&apos;"); break;
        default: g_string_append_c(out, *p); break;
        }
    }
}

static void
indent(writer *w)
{
    for (int i = 0; i < w->depth; i++)
        g_string_append(w->out, "  ");
}

/* Starts "<name" at the current depth; attributes follow with attr(). */
static void
open_start(writer *w, const char *name)
{
    w->current = name;
    indent(w);
    g_string_append_printf(w->out, "<%s", name);
}

static void
attr(writer *w, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(w->out, " %s='", name);
    escape_into(w, value);
    g_string_append_c(w->out, '\'');
}

static void
attr_uint(writer *w, const char *name, guint64 value)
{
    g_string_append_printf(w->out, " %s='%" G_GUINT64_FORMAT "'", name, value);
}

/* ">\n", children follow one level deeper */
static void
open_end(writer *w)
{
    g_string_append(w->out, ">\n");
    w->depth++;
}

static void
empty_end(writer *w)
{
    g_string_append(w->out, "/>\n");
}

static void
close_elem(writer *w, const char *name)
{
    w->depth--;
    indent(w);
    g_string_append_printf(w->out, "</%s>\n", name);
}

static void
text_elem(writer *w, const char *name, const char *text)
{
    if (!text)
        return;
    w->current = name;
    indent(w);
    g_string_append_printf(w->out, "<%s>", name);
    escape_into(w, text);
    g_string_append_printf(w->out, "</%s>\n", name);
}

static void
format_disk(writer *w, const vmx_disk *disk)
{
    open_start(w, "disk");
    attr(w, "type", disk->type == VMX_DISK_TYPE_FILE ? "file" : "block");
    attr(w, "device", vmx_disk_device_name(disk->device));
    open_end(w);
    if (disk->driver_name || disk->cache != VMX_DISK_CACHE_DEFAULT) {
        open_start(w, "driver");
        attr(w, "name", disk->driver_name);
        if (disk->cache == VMX_DISK_CACHE_WRITETHROUGH)
            attr(w, "cache", "writethrough");
        else if (disk->cache == VMX_DISK_CACHE_OTHER)
            attr(w, "cache", disk->cache_name);
        empty_end(w);
    }
    if (disk->src || disk->startup_optional) {
        open_start(w, "source");
        attr(w, disk->type == VMX_DISK_TYPE_FILE ? "file" : "dev", disk->src);
        if (disk->startup_optional)
            attr(w, "startupPolicy", "optional");
        empty_end(w);
    }
    open_start(w, "target");
    attr(w, "dev", disk->dst);
    attr(w, "bus", vmx_disk_bus_name(disk->bus));
    empty_end(w);
    if (disk->readonly) {
        indent(w);
        g_string_append(w->out, "<readonly/>\n");
    }
    if (disk->transient) {
        indent(w);
        g_string_append(w->out, "<transient/>\n");
    }
    open_start(w, "address");
    attr(w, "type", "drive");
    attr_uint(w, "controller", disk->controller);
    attr_uint(w, "bus", disk->bus_index);
    attr_uint(w, "target", disk->target);
    attr_uint(w, "unit", disk->unit);
    empty_end(w);
    close_elem(w, "disk");
}

static void
format_net(writer *w, const vmx_net *net)
{
    open_start(w, "interface");
    attr(w, "type", vmx_net_type_name(net->type));
    open_end(w);
    if (net->has_mac) {
        char mac[18];

        g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0], net->mac[1], net->mac[2],
                   net->mac[3], net->mac[4], net->mac[5]);
        open_start(w, "mac");
        attr(w, "address", mac);
        if (net->mac_type != VMX_MAC_TYPE_NONE)
            attr(w, "type", net->mac_type == VMX_MAC_TYPE_STATIC ? "static" : "generated");
        if (net->mac_check != VMX_TRISTATE_ABSENT)
            attr(w, "check", net->mac_check == VMX_TRISTATE_YES ? "yes" : "no");
        empty_end(w);
    }
    switch (net->type) {
    case VMX_NET_BRIDGE:
        open_start(w, "source");
        attr(w, "bridge", net->source ? net->source : "");
        empty_end(w);
        break;
    case VMX_NET_NETWORK:
        open_start(w, "source");
        attr(w, "network", net->source ? net->source : "");
        empty_end(w);
        break;
    case VMX_NET_VDS: {
        char uuid[37];

        vmx_uuid_format(net->switch_id, uuid);
        open_start(w, "source");
        attr(w, "switchid", uuid);
        attr(w, "portid", net->port_id);
        attr(w, "portgroupid", net->portgroup_id);
        attr(w, "connectionid", net->connection_id);
        empty_end(w);
        break;
    }
    case VMX_NET_USER:
    case VMX_NET_NULL: break;
    }
    if (net->ifname) {
        open_start(w, "target");
        attr(w, "dev", net->ifname);
        empty_end(w);
    }
    if (net->model) {
        open_start(w, "model");
        attr(w, "type", net->model);
        empty_end(w);
    }
    close_elem(w, "interface");
}

static void
format_chr(writer *w, const char *element, const vmx_chr *chr, gboolean console)
{
    open_start(w, element);
    attr(w, "type", vmx_chr_type_name(chr->type));
    open_end(w);
    if (chr->type != VMX_CHR_NULL) {
        open_start(w, "source");
        if (chr->type == VMX_CHR_TCP) {
            attr(w, "mode", chr->listen ? "bind" : "connect");
            attr(w, "host", chr->host);
            attr(w, "service", chr->service);
        } else {
            attr(w, "path", chr->path);
        }
        empty_end(w);
    }
    if (chr->type == VMX_CHR_TCP) {
        open_start(w, "protocol");
        attr(w, "type", vmx_tcp_protocol_name(chr->protocol));
        empty_end(w);
    }
    open_start(w, "target");
    if (console)
        attr(w, "type", "serial");
    attr_uint(w, "port", chr->port);
    empty_end(w);
    close_elem(w, element);
}

static void
format_graphics(writer *w, const vmx_graphics *g, unsigned flags)
{
    open_start(w, "graphics");
    attr(w, "type", "vnc");
    if (g->autoport) {
        attr(w, "port", "-1");
        attr(w, "autoport", "yes");
    } else {
        g_string_append_printf(w->out, " port='%d'", g->port);
        attr(w, "autoport", "no");
    }
    attr(w, "listen", g->listen);
    attr(w, "keymap", g->keymap);
    if (flags & VMX_XML_SECURE)
        attr(w, "passwd", g->passwd);
    open_end(w);
    open_start(w, "listen");
    attr(w, "type", "address");
    attr(w, "address", g->listen);
    empty_end(w);
    close_elem(w, "graphics");
}

static void
format_devices(writer *w, const vmx_domain *def, unsigned flags)
{
    open_start(w, "devices");
    open_end(w);
    for (guint i = 0; i < def->disks->len; i++)
        format_disk(w, def->disks->pdata[i]);
    for (guint i = 0; i < def->controllers->len; i++) {
        const vmx_controller *c = def->controllers->pdata[i];

        open_start(w, "controller");
        attr(w, "type", vmx_controller_type_name(c->type));
        attr_uint(w, "index", c->index);
        if (c->type == VMX_CONTROLLER_SCSI)
            attr(w, "model", vmx_scsi_model_xml_name(c->model));
        empty_end(w);
    }
    for (guint i = 0; i < def->fss->len; i++) {
        const vmx_fs *fs = def->fss->pdata[i];

        open_start(w, "filesystem");
        attr(w, "type", "mount");
        attr(w, "accessmode", "passthrough");
        open_end(w);
        open_start(w, "source");
        attr(w, "dir", fs->src);
        empty_end(w);
        open_start(w, "target");
        attr(w, "dir", fs->dst);
        empty_end(w);
        if (fs->readonly) {
            indent(w);
            g_string_append(w->out, "<readonly/>\n");
        }
        close_elem(w, "filesystem");
    }
    for (guint i = 0; i < def->nets->len; i++)
        format_net(w, def->nets->pdata[i]);
    for (guint i = 0; i < def->serials->len; i++)
        format_chr(w, "serial", def->serials->pdata[i], FALSE);
    for (guint i = 0; i < def->parallels->len; i++)
        format_chr(w, "parallel", def->parallels->pdata[i], FALSE);
    if (def->serial_console && def->serials->len > 0)
        format_chr(w, "console", def->serials->pdata[0], TRUE);
    for (guint i = 0; i < def->graphics->len; i++)
        format_graphics(w, def->graphics->pdata[i], flags);
    for (guint i = 0; i < def->videos->len; i++) {
        const vmx_video *v = def->videos->pdata[i];

        open_start(w, "video");
        open_end(w);
        open_start(w, "model");
        attr(w, "type", v->model ? v->model : "vmvga");
        if (v->vram_kib)
            attr_uint(w, "vram", v->vram_kib);
        if (v->heads)
            attr_uint(w, "heads", v->heads);
        if (v->primary)
            attr(w, "primary", "yes");
        empty_end(w);
        close_elem(w, "video");
    }
    close_elem(w, "devices");
}

static void
firmware_feature(writer *w, const char *name, vmx_tristate state)
{
    if (state == VMX_TRISTATE_ABSENT)
        return;
    open_start(w, "feature");
    attr(w, "enabled", state == VMX_TRISTATE_YES ? "yes" : "no");
    attr(w, "name", name);
    empty_end(w);
}

static void
format_os(writer *w, const vmx_domain *def)
{
    static const char *const arch_names[] = { NULL, "i686", "x86_64" };

    open_start(w, "os");
    if (def->firmware == VMX_FIRMWARE_EFI)
        attr(w, "firmware", "efi");
    else if (def->firmware == VMX_FIRMWARE_BIOS)
        attr(w, "firmware", "bios");
    open_end(w);
    open_start(w, "type");
    attr(w, "arch", arch_names[def->arch]);
    attr(w, "machine", def->machine);
    g_string_append(w->out, ">");
    escape_into(w, def->os_type ? def->os_type : "hvm");
    g_string_append(w->out, "</type>\n");
    if (def->secure_boot != VMX_TRISTATE_ABSENT || def->enrolled_keys != VMX_TRISTATE_ABSENT) {
        open_start(w, "firmware");
        open_end(w);
        firmware_feature(w, "enrolled-keys", def->enrolled_keys);
        firmware_feature(w, "secure-boot", def->secure_boot);
        close_elem(w, "firmware");
    }
    for (guint i = 0; i < def->boot_devs->len; i++) {
        open_start(w, "boot");
        attr(w, "dev", def->boot_devs->pdata[i]);
        empty_end(w);
    }
    if (def->smbios_mode != VMX_SMBIOS_NONE) {
        static const char *const modes[] = { NULL, "emulate", "host", "sysinfo" };

        open_start(w, "smbios");
        attr(w, "mode", modes[def->smbios_mode]);
        empty_end(w);
    }
    close_elem(w, "os");
}

char *
vmx_domain_format_xml_flags(const vmx_domain *def, unsigned flags, GError **error)
{
    writer w = { g_string_new(NULL), 0, NULL, NULL };
    char uuid[37];

    if (!def->name) {
        g_string_free(w.out, TRUE);
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "the domain has no <name>");
        return NULL;
    }
    open_start(&w, "domain");
    attr(&w, "type", def->virt_type ? def->virt_type : "vmware");
    if (def->datacenter_path || def->moref)
        attr(&w, "xmlns:vmware", VMX_NS_URI);
    open_end(&w);
    text_elem(&w, "name", def->name);
    vmx_uuid_format(def->uuid, uuid);
    text_elem(&w, "uuid", uuid);
    if (def->has_genid) {
        vmx_uuid_format(def->genid, uuid);
        text_elem(&w, "genid", uuid);
    }
    text_elem(&w, "description", def->description);
    open_start(&w, "memory");
    attr(&w, "unit", "KiB");
    g_string_append_printf(w.out, ">%" G_GUINT64_FORMAT "</memory>\n", def->memory_kib);
    open_start(&w, "currentMemory");
    attr(&w, "unit", "KiB");
    g_string_append_printf(w.out, ">%" G_GUINT64_FORMAT "</currentMemory>\n",
                           def->current_memory_kib ? def->current_memory_kib : def->memory_kib);
    if (def->min_guarantee_kib) {
        open_start(&w, "memtune");
        open_end(&w);
        open_start(&w, "min_guarantee");
        attr(&w, "unit", "KiB");
        g_string_append_printf(w.out, ">%" G_GUINT64_FORMAT "</min_guarantee>\n", def->min_guarantee_kib);
        close_elem(&w, "memtune");
    }
    open_start(&w, "vcpu");
    attr(&w, "placement", "static");
    attr(&w, "cpuset", def->cpuset);
    if (def->current_vcpus && def->current_vcpus != def->vcpus)
        attr_uint(&w, "current", def->current_vcpus);
    g_string_append_printf(w.out, ">%u</vcpu>\n", def->vcpus ? def->vcpus : 1);
    if (def->has_shares) {
        open_start(&w, "cputune");
        open_end(&w);
        g_string_append_printf(w.out, "%*s<shares>%" G_GUINT64_FORMAT "</shares>\n", w.depth * 2, "", def->shares);
        close_elem(&w, "cputune");
    }
    format_os(&w, def);
    if (def->has_topology) {
        open_start(&w, "cpu");
        open_end(&w);
        open_start(&w, "topology");
        attr_uint(&w, "sockets", def->sockets);
        attr_uint(&w, "dies", def->dies ? def->dies : 1);
        attr_uint(&w, "clusters", def->clusters ? def->clusters : 1);
        attr_uint(&w, "cores", def->cores);
        attr_uint(&w, "threads", def->threads);
        empty_end(&w);
        close_elem(&w, "cpu");
    }
    if (def->clock_offset) {
        open_start(&w, "clock");
        attr(&w, "offset", def->clock_offset);
        empty_end(&w);
    }
    text_elem(&w, "on_poweroff", def->on_poweroff);
    text_elem(&w, "on_reboot", def->on_reboot);
    text_elem(&w, "on_crash", def->on_crash);
    format_devices(&w, def, flags);
    text_elem(&w, "vmware:datacenterpath", def->datacenter_path);
    text_elem(&w, "vmware:moref", def->moref);
    close_elem(&w, "domain");
    if (w.bad) {
        g_string_free(w.out, TRUE);
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "element <%s>: the value contains control characters, which XML cannot "
                    "carry; remove them from the VMX entry",
                    w.bad);
        return NULL;
    }
    return g_string_free(w.out, FALSE);
}

char *
vmx_domain_format_xml(const vmx_domain *def, GError **error)
{
    return vmx_domain_format_xml_flags(def, 0, error);
}
