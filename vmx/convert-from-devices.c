/*
 * convert-from-devices.c: domain model -> VMX for disks, their controllers
 * and network cards.
 */
#include "vmx/internal.h"

#include <string.h>

static const char *const scsi_vmx_models[] = {
    [VMX_SCSI_MODEL_BUSLOGIC] = "buslogic",
    [VMX_SCSI_MODEL_LSILOGIC] = "lsilogic",
    [VMX_SCSI_MODEL_LSISAS1068] = "lsisas1068",
    [VMX_SCSI_MODEL_VMPVSCSI] = "pvscsi",
};

/* Checks the drive address against VMware's slots and against the target
 * name (libvirt derives one from the other, so they must agree). */
/* @superwide: SCSI units 0..64 (virtual hardware 13 and later) */
static gboolean
check_address(const vmx_disk *disk, gboolean superwide, GError **error)
{
    unsigned controller, bus, unit;
    unsigned max_controller = 0, max_bus = 0, max_unit = 0;

    switch (disk->bus) {
    case VMX_DISK_BUS_SCSI:
        max_controller = 3;
        max_unit = superwide ? 64 : 15;
        break;
    case VMX_DISK_BUS_IDE:
        max_bus = 1;
        max_unit = 1;
        break;
    case VMX_DISK_BUS_FDC: max_unit = 1; break;
    case VMX_DISK_BUS_SATA:
        max_controller = 3;
        max_unit = 29;
        break;
    case VMX_DISK_BUS_NVME:
        max_controller = 3;
        max_unit = 14;
        break;
    }
    if (disk->controller > max_controller || disk->bus_index > max_bus || disk->unit > max_unit || disk->target != 0 ||
        (disk->bus == VMX_DISK_BUS_SCSI && disk->unit == 7)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "disk '%s': address controller %u bus %u target %u unit %u is outside "
                    "VMware's %s slots (controller 0..%u, bus 0..%u, target 0, unit 0..%u%s)",
                    disk->dst, disk->controller, disk->bus_index, disk->target, disk->unit,
                    vmx_disk_bus_name(disk->bus), max_controller, max_bus, max_unit,
                    disk->bus == VMX_DISK_BUS_SCSI ? " but 7" : "");
        return FALSE;
    }
    if (disk->bus == VMX_DISK_BUS_SATA)
        return TRUE; /* SATA names may have been moved out of the SCSI range */
    if (disk->bus == VMX_DISK_BUS_SCSI && superwide) {
        g_autofree char *wide = vmx_scsi_superwide_disk_name(disk->controller, disk->unit);

        if (strcmp(wide, disk->dst) == 0)
            return TRUE; /* the name libvirt reads from hardware 13 on */
    }
    if (!vmx_disk_address_from_name(disk->bus, disk->dst, &controller, &bus, &unit)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "disk '%s': not a valid name for a %s disk", disk->dst,
                    vmx_disk_bus_name(disk->bus));
        return FALSE;
    }
    if (controller != disk->controller || bus != disk->bus_index || unit != disk->unit) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "disk '%s': address %u:%u:%u does not match the target name (which means "
                    "%u:%u:%u); fix or remove the <address>",
                    disk->dst, disk->controller, disk->bus_index, disk->unit, controller, bus, unit);
        return FALSE;
    }
    return TRUE;
}

/* The model of each SCSI controller with disks: the <controller> element's,
 * the legacy <driver name=...> of its disks, or auto-detection. */
static gboolean
gather_scsi(const vmx_domain *def, const vmx_convert_ctx *ctx, gboolean present[4], vmx_scsi_model models[4],
            GError **error)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const vmx_controller *c = def->controllers->pdata[i];

        if (c->type == VMX_CONTROLLER_SCSI && c->index > 3) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "element <controller>: SCSI controller index %u is out of VMware's "
                        "range 0..3",
                        c->index);
            return FALSE;
        }
    }
    for (guint i = 0; i < def->disks->len; i++) {
        const vmx_disk *disk = def->disks->pdata[i];
        const vmx_controller *c;
        vmx_scsi_model model = VMX_SCSI_MODEL_NONE;
        unsigned idx = disk->controller;

        if (disk->bus != VMX_DISK_BUS_SCSI)
            continue;
        if (!present[idx]) {
            present[idx] = TRUE;
            c = vmx_domain_find_controller(def, VMX_CONTROLLER_SCSI, idx);
            models[idx] = c ? c->model : VMX_SCSI_MODEL_NONE;
        }
        if (!disk->driver_name)
            continue;
        for (int m = VMX_SCSI_MODEL_AUTO; m <= VMX_SCSI_MODEL_VMPVSCSI; m++) {
            if (g_ascii_strcasecmp(disk->driver_name, vmx_scsi_model_xml_name(m)) == 0)
                model = (vmx_scsi_model)m;
        }
        if (model == VMX_SCSI_MODEL_NONE) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "disk '%s': <driver name='%s'/> is not a SCSI controller model "
                        "(buslogic, lsilogic, lsisas1068, vmpvscsi)",
                        disk->dst, disk->driver_name);
            return FALSE;
        }
        if (models[idx] == VMX_SCSI_MODEL_NONE) {
            models[idx] = model;
        } else if (models[idx] != model) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "disk '%s': <driver name='%s'/> contradicts model '%s' of SCSI "
                        "controller %u",
                        disk->dst, disk->driver_name, vmx_scsi_model_xml_name(models[idx]), idx);
            return FALSE;
        }
    }
    for (unsigned idx = 0; idx < 4; idx++) {
        if (!present[idx] || models[idx] != VMX_SCSI_MODEL_AUTO)
            continue;
        if (!ctx->autodetect_scsi_model) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "SCSI controller %u: model 'auto' needs auto-detection, which this "
                        "connection cannot do; name the model",
                        idx);
            return FALSE;
        }
        models[idx] = VMX_SCSI_MODEL_NONE;
        for (guint i = 0; i < def->disks->len; i++) {
            const vmx_disk *disk = def->disks->pdata[i];
            vmx_scsi_model found;

            if (disk->bus != VMX_DISK_BUS_SCSI || disk->controller != idx)
                continue;
            if (!ctx->autodetect_scsi_model(disk, &found, ctx->user_data, error)) {
                g_prefix_error(error, "SCSI controller %u, disk '%s': ", idx, disk->dst);
                return FALSE;
            }
            if (models[idx] != VMX_SCSI_MODEL_NONE && models[idx] != found) {
                g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                            "SCSI controller %u: its disks ask for different controller "
                            "models; cannot auto-detect, name the model",
                            idx);
                return FALSE;
            }
            models[idx] = found;
        }
        if (models[idx] == VMX_SCSI_MODEL_AUTO || models[idx] == VMX_SCSI_MODEL_NONE) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "SCSI controller %u: auto-detection found no model", idx);
            return FALSE;
        }
    }
    return TRUE;
}

static char *
slot_prefix(const vmx_disk *disk)
{
    switch (disk->bus) {
    case VMX_DISK_BUS_SCSI: return g_strdup_printf("scsi%u:%u", disk->controller, disk->unit);
    case VMX_DISK_BUS_IDE: return g_strdup_printf("ide%u:%u", disk->bus_index, disk->unit);
    case VMX_DISK_BUS_FDC: return g_strdup_printf("floppy%u", disk->unit);
    case VMX_DISK_BUS_SATA: return g_strdup_printf("sata%u:%u", disk->controller, disk->unit);
    case VMX_DISK_BUS_NVME: return g_strdup_printf("nvme%u:%u", disk->controller, disk->unit);
    }
    return NULL;
}

/* A host drive (atapi-cdrom, cdrom-raw, scsi-passthru): its device path, or
 * VMware's "auto detect" for a drive without one that may be missing. */
static void
set_raw_source(vmx_file *out, char *key, const char *prefix, const vmx_disk *disk)
{
    if (!disk->src && disk->startup_optional) {
        vmx_file_set(out, vmx_key(key, prefix, "autodetect"), "true");
        vmx_file_set(out, vmx_key(key, prefix, "fileName"), "auto detect");
    } else if (disk->src) {
        vmx_file_set(out, vmx_key(key, prefix, "fileName"), disk->src);
    }
}

static gboolean
map_image(const vmx_convert_ctx *ctx, const vmx_disk *disk, const char *suffix, char **out, GError **error)
{
    if (suffix && !vmx_str_has_suffix_ci(disk->src, suffix)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "disk '%s': image file '%s' has an unsupported suffix, expecting '%s'", disk->dst, disk->src,
                    suffix);
        return FALSE;
    }
    *out = ctx->format_file_name(disk->src, ctx->user_data, error);
    if (!*out) {
        g_prefix_error(error, "disk '%s': ", disk->dst);
        return FALSE;
    }
    return TRUE;
}

static gboolean
format_disk(const vmx_convert_ctx *ctx, const vmx_disk *disk, vmx_file *out, GError **error)
{
    g_autofree char *prefix = slot_prefix(disk);
    g_autofree char *name = NULL;
    char key[96];

    if (disk->device == VMX_DISK_DEVICE_FLOPPY) {
        if (disk->bus != VMX_DISK_BUS_FDC)
            goto bad_bus;
        vmx_file_set(out, vmx_key(key, prefix, "present"), "true");
        vmx_file_set(out, vmx_key(key, prefix, "fileType"), disk->type == VMX_DISK_TYPE_FILE ? "file" : "device");
        if (disk->src && disk->type == VMX_DISK_TYPE_FILE && !map_image(ctx, disk, NULL, &name, error))
            return FALSE;
        if (disk->src)
            vmx_file_set(out, vmx_key(key, prefix, "fileName"), name ? name : disk->src);
        return TRUE;
    }
    if (disk->bus == VMX_DISK_BUS_FDC)
        goto bad_bus;
    vmx_file_set(out, vmx_key(key, prefix, "present"), "true");
    switch (disk->device) {
    case VMX_DISK_DEVICE_DISK:
        if (disk->type != VMX_DISK_TYPE_FILE) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "disk '%s': a hard disk must be of type 'file' (a .vmdk image)", disk->dst);
            return FALSE;
        }
        if (disk->bus == VMX_DISK_BUS_SCSI)
            vmx_file_set(out, vmx_key(key, prefix, "deviceType"), "scsi-hardDisk");
        else if (disk->bus == VMX_DISK_BUS_IDE)
            vmx_file_set(out, vmx_key(key, prefix, "deviceType"), "ata-hardDisk");
        if (disk->src) {
            if (!map_image(ctx, disk, ".vmdk", &name, error))
                return FALSE;
            vmx_file_set(out, vmx_key(key, prefix, "fileName"), name);
        }
        if (disk->cache == VMX_DISK_CACHE_WRITETHROUGH) {
            vmx_file_set(out, vmx_key(key, prefix, "writeThrough"), "true");
        } else if (disk->cache == VMX_DISK_CACHE_OTHER) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "disk '%s': cache mode '%s' is not supported by VMware (writethrough, "
                        "default)",
                        disk->dst, disk->cache_name);
            return FALSE;
        }
        if (disk->transient)
            vmx_file_set(out, vmx_key(key, prefix, "mode"), "independent-nonpersistent");
        return TRUE;
    case VMX_DISK_DEVICE_CDROM:
        if (disk->type == VMX_DISK_TYPE_FILE) {
            vmx_file_set(out, vmx_key(key, prefix, "deviceType"), "cdrom-image");
            if (disk->src && !map_image(ctx, disk, ".iso", &name, error))
                return FALSE;
            vmx_file_set(out, vmx_key(key, prefix, "fileName"), name ? name : "emptyBackingString");
        } else {
            vmx_file_set(out, vmx_key(key, prefix, "deviceType"), "atapi-cdrom");
            set_raw_source(out, key, prefix, disk);
        }
        return TRUE;
    case VMX_DISK_DEVICE_LUN:
        if (disk->type != VMX_DISK_TYPE_BLOCK) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "disk '%s': a lun must be of type 'block'", disk->dst);
            return FALSE;
        }
        vmx_file_set(out, vmx_key(key, prefix, "deviceType"),
                     disk->bus == VMX_DISK_BUS_SCSI && disk->src && g_str_has_prefix(disk->src, "/vmfs/devices/cdrom/")
                         ? "scsi-passthru"
                         : "cdrom-raw");
        set_raw_source(out, key, prefix, disk);
        return TRUE;
    case VMX_DISK_DEVICE_FLOPPY: break;
    }
    return TRUE;

bad_bus:
    g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "disk '%s': a %s cannot sit on bus '%s'", disk->dst,
                vmx_disk_device_name(disk->device), vmx_disk_bus_name(disk->bus));
    return FALSE;
}

gboolean
vmx_format_disks(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, vmx_file *out, GError **error)
{
    gboolean present[4] = { FALSE }, sata[4] = { FALSE }, nvme[4] = { FALSE };
    vmx_scsi_model models[4] = { VMX_SCSI_MODEL_NONE };
    g_autoptr(GHashTable) slots = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean floppy[2] = { FALSE, FALSE };

    for (guint i = 0; i < def->disks->len; i++) {
        const vmx_disk *disk = def->disks->pdata[i];
        char *prefix;

        if (!check_address(disk, hw_version >= 13, error))
            return FALSE;
        prefix = slot_prefix(disk);
        if (g_hash_table_contains(slots, prefix)) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "disk '%s': slot %s is already used by disk '%s'",
                        disk->dst, prefix, (const char *)g_hash_table_lookup(slots, prefix));
            g_free(prefix);
            return FALSE;
        }
        g_hash_table_insert(slots, prefix, disk->dst);
        if (disk->bus == VMX_DISK_BUS_SATA)
            sata[disk->controller] = TRUE;
        if (disk->bus == VMX_DISK_BUS_NVME)
            nvme[disk->controller] = TRUE;
        if (disk->bus == VMX_DISK_BUS_FDC)
            floppy[disk->unit] = TRUE;
    }
    if (!gather_scsi(def, ctx, present, models, error))
        return FALSE;
    for (unsigned idx = 0; idx < 4; idx++) {
        char key[32];

        if (present[idx]) {
            g_snprintf(key, sizeof(key), "scsi%u.present", idx);
            vmx_file_set(out, key, "true");
            if (models[idx] != VMX_SCSI_MODEL_NONE) {
                g_snprintf(key, sizeof(key), "scsi%u.virtualDev", idx);
                vmx_file_set(out, key, scsi_vmx_models[models[idx]]);
            }
        }
        if (sata[idx]) {
            g_snprintf(key, sizeof(key), "sata%u.present", idx);
            vmx_file_set(out, key, "true");
        }
        if (nvme[idx]) {
            g_snprintf(key, sizeof(key), "nvme%u.present", idx);
            vmx_file_set(out, key, "true");
        }
    }
    for (guint i = 0; i < def->disks->len; i++) {
        if (!format_disk(ctx, def->disks->pdata[i], out, error))
            return FALSE;
    }
    /* floppies default to present: switch off the unused ones */
    if (!floppy[0])
        vmx_file_set(out, "floppy0.present", "false");
    if (!floppy[1])
        vmx_file_set(out, "floppy1.present", "false");
    return TRUE;
}

static void
format_mac(const vmx_net *net, const char *prefix, vmx_file *out)
{
    uint8_t random_mac[6] = { 0x00, 0x0c, 0x29 };
    const uint8_t *m = net->mac;
    unsigned oui, nic;
    char mac[18], key[96];
    vmx_mac_type type = net->mac_type;
    vmx_tristate check = net->mac_check;

    if (!net->has_mac) {
        /* libvirt makes one up in VMware's range for generated addresses */
        for (int i = 3; i < 6; i++)
            random_mac[i] = (uint8_t)g_random_int_range(0, 256);
        m = random_mac;
        type = VMX_MAC_TYPE_GENERATED;
    }
    g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    oui = ((unsigned)m[0] << 16) | ((unsigned)m[1] << 8) | m[2];
    nic = ((unsigned)m[3] << 16) | ((unsigned)m[4] << 8) | m[5];
    if (type == VMX_MAC_TYPE_NONE) {
        /* pick by VMware's ranges */
        if (oui == 0x000c29) {
            type = VMX_MAC_TYPE_GENERATED;
        } else if (oui == 0x005056 && nic <= 0x3fffff) {
            type = VMX_MAC_TYPE_STATIC;
        } else if (oui == 0x005056 && nic >= 0x800000 && nic <= 0xbfffff) {
            vmx_file_set(out, vmx_key(key, prefix, "addressType"), "vpx");
            vmx_file_set(out, vmx_key(key, prefix, "generatedAddress"), mac);
            goto check;
        } else {
            type = VMX_MAC_TYPE_STATIC;
            if (check == VMX_TRISTATE_ABSENT)
                check = VMX_TRISTATE_NO; /* outside VMware's ranges: ESX must not check */
        }
    } else if (type == VMX_MAC_TYPE_STATIC && check == VMX_TRISTATE_ABSENT && oui != 0x000c29 &&
               !(oui == 0x005056 && (nic <= 0x3fffff || (nic >= 0x800000 && nic <= 0xbfffff)))) {
        check = VMX_TRISTATE_NO; /* a static address outside VMware's ranges, as libvirt writes it */
    } else if (type == VMX_MAC_TYPE_GENERATED && oui == 0x005056 && nic >= 0x800000 && nic <= 0xbfffff) {
        /* what vCenter generated keeps its "vpx" address type */
        vmx_file_set(out, vmx_key(key, prefix, "addressType"), "vpx");
        vmx_file_set(out, vmx_key(key, prefix, "generatedAddress"), mac);
        goto check;
    }
    if (type == VMX_MAC_TYPE_GENERATED) {
        vmx_file_set(out, vmx_key(key, prefix, "addressType"), "generated");
        vmx_file_set(out, vmx_key(key, prefix, "generatedAddress"), mac);
        vmx_file_set(out, vmx_key(key, prefix, "generatedAddressOffset"), "0");
    } else {
        vmx_file_set(out, vmx_key(key, prefix, "addressType"), "static");
        vmx_file_set(out, vmx_key(key, prefix, "address"), mac);
    }
check:
    if (check != VMX_TRISTATE_ABSENT)
        vmx_file_set(out, vmx_key(key, prefix, "checkMACAddress"), check == VMX_TRISTATE_YES ? "true" : "false");
}

gboolean
vmx_format_nets(const vmx_domain *def, int hw_version, vmx_file *out, GError **error)
{
    /* 4 cards before virtual hardware 7 (ESX 4.0), 10 from it on */
    guint max = hw_version >= 7 ? 10 : 4;

    if (def->nets->len > max) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "element <interface>: VMware supports %u network cards with virtual hardware %d, found %u", max,
                    hw_version, def->nets->len);
        return FALSE;
    }
    for (guint i = 0; i < def->nets->len; i++) {
        const vmx_net *net = def->nets->pdata[i];
        char prefix[32], key[96];

        g_snprintf(prefix, sizeof(prefix), "ethernet%u", i);
        vmx_file_set(out, vmx_key(key, prefix, "present"), "true");
        if (g_strcmp0(net->model, "vmxnet2") == 0) {
            vmx_file_set(out, vmx_key(key, prefix, "virtualDev"), "vmxnet");
            vmx_file_set(out, vmx_key(key, prefix, "features"), "15");
        } else if (net->model) {
            vmx_file_set(out, vmx_key(key, prefix, "virtualDev"), net->model);
        }
        switch (net->type) {
        case VMX_NET_BRIDGE:
            if (net->source && *net->source)
                vmx_file_set(out, vmx_key(key, prefix, "networkName"), net->source);
            if (net->ifname) {
                vmx_file_set(out, vmx_key(key, prefix, "connectionType"), "custom");
                vmx_file_set(out, vmx_key(key, prefix, "vnet"), net->ifname);
            } else {
                vmx_file_set(out, vmx_key(key, prefix, "connectionType"), "bridged");
            }
            break;
        case VMX_NET_NETWORK:
            vmx_file_set(out, vmx_key(key, prefix, "networkName"), net->source);
            vmx_file_set(out, vmx_key(key, prefix, "connectionType"), "bridged");
            break;
        case VMX_NET_USER: vmx_file_set(out, vmx_key(key, prefix, "connectionType"), "nat"); break;
        case VMX_NET_VDS: {
            const uint8_t *u = net->switch_id;
            g_autofree char *id = g_strdup_printf(
                "%02x %02x %02x %02x %02x %02x %02x %02x-%02x %02x %02x %02x %02x %02x %02x %02x", u[0], u[1], u[2],
                u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);

            vmx_file_set(out, vmx_key(key, prefix, "dvs.switchId"), id);
            if (net->port_id)
                vmx_file_set(out, vmx_key(key, prefix, "dvs.portId"), net->port_id);
            if (net->portgroup_id)
                vmx_file_set(out, vmx_key(key, prefix, "dvs.portgroupId"), net->portgroup_id);
            if (net->connection_id)
                vmx_file_set(out, vmx_key(key, prefix, "dvs.connectionId"), net->connection_id);
            break;
        }
        case VMX_NET_NULL: break;
        }
        format_mac(net, prefix, out);
    }
    return TRUE;
}
