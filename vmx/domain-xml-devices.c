/*
 * domain-xml-devices.c: the <devices> of domain XML -> the domain model.
 * Device kinds VMware has no equivalent for (input, sound, memballoon, ...)
 * are ignored, as libvirt's VMX driver does.
 */
#include "vmx/internal.h"

#include <string.h>

static gboolean
parse_disk_bus(const char *value, const char *dst, vmx_disk_bus *bus)
{
    static const char *const names[] = { "scsi", "ide", "fdc", "sata", "nvme" };

    if (!value) {
        if (g_str_has_prefix(dst, "sd"))
            *bus = VMX_DISK_BUS_SCSI;
        else if (g_str_has_prefix(dst, "hd"))
            *bus = VMX_DISK_BUS_IDE;
        else if (g_str_has_prefix(dst, "fd"))
            *bus = VMX_DISK_BUS_FDC;
        else if (g_str_has_prefix(dst, "nvme"))
            *bus = VMX_DISK_BUS_NVME;
        else
            return FALSE;
        return TRUE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (strcmp(value, names[i]) == 0) {
            *bus = (vmx_disk_bus)i;
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
parse_disk(const xmlNode *node, vmx_disk *disk, GError **error)
{
    g_autofree char *type = vmx_xml_prop(node, "type");
    g_autofree char *device = vmx_xml_prop(node, "device");
    g_autofree char *bus = NULL;
    xmlNode *target = vmx_xml_child(node, "target");
    xmlNode *source = vmx_xml_child(node, "source");
    xmlNode *driver = vmx_xml_child(node, "driver");
    xmlNode *address = vmx_xml_child(node, "address");

    if (!type || strcmp(type, "file") == 0)
        disk->type = VMX_DISK_TYPE_FILE;
    else if (strcmp(type, "block") == 0)
        disk->type = VMX_DISK_TYPE_BLOCK;
    else
        return vmx_xml_bad(error, "disk", "type '%s' is not supported by VMware (file, block)", type);
    if (!device || strcmp(device, "disk") == 0)
        disk->device = VMX_DISK_DEVICE_DISK;
    else if (strcmp(device, "cdrom") == 0)
        disk->device = VMX_DISK_DEVICE_CDROM;
    else if (strcmp(device, "floppy") == 0)
        disk->device = VMX_DISK_DEVICE_FLOPPY;
    else if (strcmp(device, "lun") == 0)
        disk->device = VMX_DISK_DEVICE_LUN;
    else
        return vmx_xml_bad(error, "disk",
                           "device '%s' is not supported by VMware "
                           "(disk, cdrom, floppy, lun)",
                           device);
    if (!target)
        return vmx_xml_bad(error, "disk", "missing <target>");
    disk->dst = vmx_xml_prop(target, "dev");
    if (!disk->dst)
        return vmx_xml_bad(error, "target", "missing attribute 'dev'");
    bus = vmx_xml_prop(target, "bus");
    if (!parse_disk_bus(bus, disk->dst, &disk->bus))
        return vmx_xml_bad(error, "target",
                           "disk '%s': bus '%s' is not supported by VMware "
                           "(scsi, ide, fdc, sata, nvme)",
                           disk->dst, bus ? bus : "");
    if (source) {
        g_autofree char *policy = vmx_xml_prop(source, "startupPolicy");

        disk->src = vmx_xml_prop(source, disk->type == VMX_DISK_TYPE_FILE ? "file" : "dev");
        disk->startup_optional = g_strcmp0(policy, "optional") == 0;
    }
    if (driver) {
        g_autofree char *cache = vmx_xml_prop(driver, "cache");

        disk->driver_name = vmx_xml_prop(driver, "name");
        if (!cache || strcmp(cache, "default") == 0) {
            disk->cache = VMX_DISK_CACHE_DEFAULT;
        } else if (strcmp(cache, "writethrough") == 0) {
            disk->cache = VMX_DISK_CACHE_WRITETHROUGH;
        } else {
            disk->cache = VMX_DISK_CACHE_OTHER;
            disk->cache_name = g_steal_pointer(&cache);
        }
    }
    disk->readonly = vmx_xml_child(node, "readonly") != NULL;
    disk->transient = vmx_xml_child(node, "transient") != NULL;
    if (address) {
        g_autofree char *atype = vmx_xml_prop(address, "type");

        if (g_strcmp0(atype, "drive") != 0)
            return vmx_xml_bad(error, "address",
                               "disk '%s': address type '%s' is not "
                               "supported, expecting 'drive'",
                               disk->dst, atype ? atype : "");
        if (!vmx_xml_uint_prop(address, "address", "controller", 0, 1000, &disk->controller, error) ||
            !vmx_xml_uint_prop(address, "address", "bus", 0, 1000, &disk->bus_index, error) ||
            !vmx_xml_uint_prop(address, "address", "target", 0, 1000, &disk->target, error) ||
            !vmx_xml_uint_prop(address, "address", "unit", 0, 1000, &disk->unit, error))
            return FALSE;
    } else if (!vmx_disk_address_from_name(disk->bus, disk->dst, &disk->controller, &disk->bus_index, &disk->unit)) {
        return vmx_xml_bad(error, "target", "'%s' is not a valid %s disk name", disk->dst,
                           vmx_disk_bus_name(disk->bus));
    } else if (disk->controller > 1000 || disk->bus_index > 1000 || disk->unit > 1000) {
        return vmx_xml_bad(error, "target", "disk name '%s' is beyond any controller", disk->dst);
    }
    return TRUE;
}

static gboolean
parse_controller(const xmlNode *node, vmx_domain *def, GError **error)
{
    static const char *const types[] = { "scsi", "ide", "fdc", "sata", "nvme" };
    static const char *const models[] = {
        NULL, "auto", "buslogic", "lsilogic", "lsisas1068", "vmpvscsi",
    };
    g_autofree char *type = vmx_xml_prop(node, "type");
    g_autofree char *model = vmx_xml_prop(node, "model");
    vmx_controller c = { 0 };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(types); i++) {
        if (g_strcmp0(type, types[i]) == 0)
            break;
    }
    if (i == G_N_ELEMENTS(types))
        return TRUE; /* pci, usb, virtio-serial, ...: nothing VMware configures */
    c.type = (vmx_controller_type)i;
    if (!vmx_xml_uint_prop(node, "controller", "index", 0, 1000, &c.index, error))
        return FALSE;
    if (model && c.type == VMX_CONTROLLER_SCSI) {
        for (i = 1; i < G_N_ELEMENTS(models); i++) {
            if (strcmp(model, models[i]) == 0)
                c.model = (vmx_scsi_model)i;
        }
        if (c.model == VMX_SCSI_MODEL_NONE)
            return vmx_xml_bad(error, "controller",
                               "SCSI controller %u: model '%s' is not "
                               "supported by VMware (auto, buslogic, lsilogic, lsisas1068, "
                               "vmpvscsi)",
                               c.index, model);
    }
    g_ptr_array_add(def->controllers, g_new(vmx_controller, 1));
    *(vmx_controller *)def->controllers->pdata[def->controllers->len - 1] = c;
    return TRUE;
}

static gboolean
parse_interface(const xmlNode *node, vmx_net *net, GError **error)
{
    static const char *const types[] = { "bridge", "user", "network", "vds", "null" };
    static const char *const models[] = {
        "vlance", "vmxnet", "vmxnet2", "vmxnet3", "e1000", "e1000e",
    };
    g_autofree char *type = vmx_xml_prop(node, "type");
    xmlNode *mac = vmx_xml_child(node, "mac");
    xmlNode *source = vmx_xml_child(node, "source");
    xmlNode *model = vmx_xml_child(node, "model");
    xmlNode *target = vmx_xml_child(node, "target");
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(types); i++) {
        if (g_strcmp0(type, types[i]) == 0)
            break;
    }
    if (i == G_N_ELEMENTS(types))
        return vmx_xml_bad(error, "interface",
                           "type '%s' is not supported by VMware (bridge, "
                           "user, network, vds, null)",
                           type ? type : "");
    net->type = (vmx_net_type)i;
    if (mac) {
        g_autofree char *address = vmx_xml_prop(mac, "address");
        g_autofree char *mtype = vmx_xml_prop(mac, "type");
        g_autofree char *check = vmx_xml_prop(mac, "check");
        gboolean on;

        if (!address || !vmx_parse_mac(address, net->mac))
            return vmx_xml_bad(error, "mac", "'%s' is not a MAC address", address ? address : "");
        net->has_mac = TRUE;
        if (g_strcmp0(mtype, "static") == 0)
            net->mac_type = VMX_MAC_TYPE_STATIC;
        else if (g_strcmp0(mtype, "generated") == 0)
            net->mac_type = VMX_MAC_TYPE_GENERATED;
        else if (mtype)
            return vmx_xml_bad(error, "mac", "type '%s' is neither 'static' nor 'generated'", mtype);
        if (check) {
            if (!vmx_xml_yes_no(check, &on))
                return vmx_xml_bad(error, "mac", "check '%s' is neither 'yes' nor 'no'", check);
            net->mac_check = on ? VMX_TRISTATE_YES : VMX_TRISTATE_NO;
        }
    }
    if (net->type == VMX_NET_BRIDGE) {
        net->source = vmx_xml_prop(source, "bridge");
        if (!net->source)
            net->source = g_strdup("");
    } else if (net->type == VMX_NET_NETWORK) {
        net->source = vmx_xml_prop(source, "network");
        if (!net->source)
            return vmx_xml_bad(error, "source",
                               "an interface of type 'network' needs "
                               "<source network='...'/>");
    } else if (net->type == VMX_NET_VDS) {
        g_autofree char *switch_id = vmx_xml_prop(source, "switchid");

        if (!switch_id || !vmx_uuid_parse(switch_id, net->switch_id))
            return vmx_xml_bad(error, "source",
                               "an interface of type 'vds' needs a UUID in "
                               "attribute 'switchid'");
        net->port_id = vmx_xml_prop(source, "portid");
        net->portgroup_id = vmx_xml_prop(source, "portgroupid");
        net->connection_id = vmx_xml_prop(source, "connectionid");
    }
    net->ifname = vmx_xml_prop(target, "dev");
    if (model) {
        net->model = vmx_xml_prop(model, "type");
        for (i = 0; i < G_N_ELEMENTS(models); i++) {
            if (g_strcmp0(net->model, models[i]) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(models))
            return vmx_xml_bad(error, "model",
                               "network card model '%s' is not supported by "
                               "VMware (vlance, vmxnet, vmxnet2, vmxnet3, e1000, e1000e)",
                               net->model ? net->model : "");
    }
    return TRUE;
}

static gboolean
parse_chr(const xmlNode *node, const char *element, unsigned default_port, vmx_chr *chr, GError **error)
{
    static const char *const types[] = { "dev", "file", "pipe", "tcp", "null" };
    static const char *const protocols[] = { "raw", "telnet", "telnets", "tls" };
    g_autofree char *type = vmx_xml_prop(node, "type");
    xmlNode *source = vmx_xml_child(node, "source");
    xmlNode *protocol = vmx_xml_child(node, "protocol");
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(types); i++) {
        if (g_strcmp0(type, types[i]) == 0)
            break;
    }
    if (i == G_N_ELEMENTS(types))
        return vmx_xml_bad(error, element, "type '%s' is not supported by VMware (dev, file%s)", type ? type : "",
                           strcmp(element, "serial") == 0 ? ", pipe, tcp, null" : "");
    chr->type = (vmx_chr_type)i;
    if (chr->type == VMX_CHR_TCP) {
        g_autofree char *mode = vmx_xml_prop(source, "mode");
        g_autofree char *ptype = vmx_xml_prop(protocol, "type");

        chr->host = vmx_xml_prop(source, "host");
        chr->service = vmx_xml_prop(source, "service");
        chr->listen = g_strcmp0(mode, "bind") == 0;
        /* a listening port without a host listens on every address */
        if ((!chr->host && !chr->listen) || !chr->service)
            return vmx_xml_bad(error, "source", "a tcp %s needs attributes 'host' and 'service'", element);
        chr->protocol = VMX_TCP_RAW;
        for (i = 0; ptype && i < G_N_ELEMENTS(protocols); i++) {
            if (strcmp(ptype, protocols[i]) == 0)
                break;
        }
        if (ptype && i == G_N_ELEMENTS(protocols))
            return vmx_xml_bad(error, "protocol", "type '%s' is not raw, telnet, telnets or tls", ptype);
        if (ptype)
            chr->protocol = (vmx_tcp_protocol)i;
    } else if (chr->type != VMX_CHR_NULL) {
        chr->path = vmx_xml_prop(source, "path");
        if (!chr->path)
            return vmx_xml_bad(error, "source", "a %s of type '%s' needs attribute 'path'", element, type);
    }
    return vmx_xml_uint_prop(vmx_xml_child(node, "target"), "target", "port", default_port, 1000, &chr->port, error);
}

static gboolean
parse_graphics(const xmlNode *node, vmx_domain *def, GError **error)
{
    g_autofree char *type = vmx_xml_prop(node, "type");
    g_autofree char *port = NULL;
    g_autofree char *autoport = NULL;
    vmx_graphics *g;
    xmlNode *listen;
    gboolean on;

    if (g_strcmp0(type, "vnc") != 0)
        return vmx_xml_bad(error, "graphics", "type '%s' is not supported by VMware (vnc)", type ? type : "");
    g = g_new0(vmx_graphics, 1);
    g_ptr_array_add(def->graphics, g);
    port = vmx_xml_prop(node, "port");
    autoport = vmx_xml_prop(node, "autoport");
    g->port = -1;
    if (port && strcmp(port, "-1") != 0) {
        guint64 n;

        if (!vmx_xml_parse_uint(port, 65535, &n))
            return vmx_xml_bad(error, "graphics", "port '%s' is not a port number", port);
        g->port = (int)n;
    }
    g->autoport = g->port < 0;
    if (autoport) {
        if (!vmx_xml_yes_no(autoport, &on))
            return vmx_xml_bad(error, "graphics", "autoport '%s' is neither yes nor no", autoport);
        g->autoport = on || g->port < 0;
    }
    g->keymap = vmx_xml_prop(node, "keymap");
    g->passwd = vmx_xml_prop(node, "passwd");
    g->listen = vmx_xml_prop(node, "listen");
    listen = vmx_xml_child(node, "listen");
    if (!g->listen && listen)
        g->listen = vmx_xml_prop(listen, "address");
    return TRUE;
}

static gboolean
parse_video(const xmlNode *node, vmx_domain *def, GError **error)
{
    xmlNode *model = vmx_xml_child(node, "model");
    vmx_video *v = g_new0(vmx_video, 1);
    g_autofree char *primary = vmx_xml_prop(model, "primary");

    g_ptr_array_add(def->videos, v);
    v->model = vmx_xml_prop(model, "type");
    if (!v->model)
        v->model = g_strdup("vmvga");
    v->primary = g_strcmp0(primary, "yes") == 0;
    if (!vmx_xml_uint_prop(model, "model", "vram", 0, G_MAXINT32, &v->vram_kib, error) ||
        !vmx_xml_uint_prop(model, "model", "heads", 0, 64, &v->heads, error))
        return FALSE;
    if (v->vram_kib == 0 && strcmp(v->model, "vmvga") == 0)
        v->vram_kib = 4096; /* libvirt's default for vmvga */
    return TRUE;
}

static gboolean
parse_filesystem(const xmlNode *node, vmx_domain *def, GError **error)
{
    g_autofree char *type = vmx_xml_prop(node, "type");
    vmx_fs *fs;

    if (type && strcmp(type, "mount") != 0)
        return vmx_xml_bad(error, "filesystem", "type '%s' is not supported by VMware (mount)", type);
    fs = g_new0(vmx_fs, 1);
    g_ptr_array_add(def->fss, fs);
    fs->src = vmx_xml_prop(vmx_xml_child(node, "source"), "dir");
    fs->dst = vmx_xml_prop(vmx_xml_child(node, "target"), "dir");
    fs->readonly = vmx_xml_child(node, "readonly") != NULL;
    if (!fs->src || !fs->dst)
        return vmx_xml_bad(error, "filesystem", "needs <source dir='...'/> and <target dir='...'/>");
    return TRUE;
}

gboolean
vmx_xml_parse_devices(const xmlNode *devices, vmx_domain *def, GError **error)
{
    for (xmlNode *c = devices->children; c; c = c->next) {
        if (vmx_xml_is_elem(c, "disk")) {
            vmx_disk *disk = vmx_disk_new();

            g_ptr_array_add(def->disks, disk);
            if (!parse_disk(c, disk, error))
                return FALSE;
        } else if (vmx_xml_is_elem(c, "controller")) {
            if (!parse_controller(c, def, error))
                return FALSE;
        } else if (vmx_xml_is_elem(c, "interface")) {
            vmx_net *net = vmx_net_new();

            g_ptr_array_add(def->nets, net);
            if (!parse_interface(c, net, error))
                return FALSE;
        } else if (vmx_xml_is_elem(c, "serial") || vmx_xml_is_elem(c, "parallel")) {
            gboolean serial = vmx_xml_is_elem(c, "serial");
            GPtrArray *list = serial ? def->serials : def->parallels;
            vmx_chr *chr = vmx_chr_new();

            g_ptr_array_add(list, chr);
            if (!parse_chr(c, serial ? "serial" : "parallel", list->len - 1, chr, error))
                return FALSE;
        } else if (vmx_xml_is_elem(c, "graphics")) {
            if (!parse_graphics(c, def, error))
                return FALSE;
        } else if (vmx_xml_is_elem(c, "video")) {
            if (!parse_video(c, def, error))
                return FALSE;
        } else if (vmx_xml_is_elem(c, "filesystem")) {
            if (!parse_filesystem(c, def, error))
                return FALSE;
        }
    }
    /* libvirt's defaults: a console mirrors the first serial port, and
     * graphics come with a video card */
    def->serial_console = def->serials->len > 0;
    if (def->graphics->len > 0 && def->videos->len == 0) {
        vmx_video *v = g_new0(vmx_video, 1);

        v->model = g_strdup("vmvga");
        v->vram_kib = 4096;
        v->primary = TRUE;
        g_ptr_array_add(def->videos, v);
    }
    if (def->videos->len > 0) {
        gboolean any = FALSE;

        for (guint i = 0; i < def->videos->len; i++)
            any |= ((vmx_video *)def->videos->pdata[i])->primary;
        if (!any)
            ((vmx_video *)def->videos->pdata[0])->primary = TRUE;
    }
    return TRUE;
}
