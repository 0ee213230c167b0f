/*
 * convert-to-devices.c: VMX -> domain model, the devices: disks and their
 * controllers, shared folders, network cards, serial and parallel ports, VNC.
 */
#include "vmx/internal.h"

#include <string.h>

/* Maps a VMX file name through the caller; *missing when it does not exist. */
static char *
map_file_name(const vmx_convert_ctx *ctx, const char *name, gboolean *missing, GError **error)
{
    *missing = FALSE;
    return ctx->parse_file_name(name, missing, ctx->user_data, error);
}

typedef struct {
    vmx_disk_bus bus;
    const char *prefix; /* "scsi0:1", "ide1:0", "floppy0" */
    unsigned controller, bus_index, unit;
    gboolean superwide; /* SCSI of virtual hardware 13 and later */
} slot;

static gboolean
set_cdrom_image(const vmx_convert_ctx *ctx, vmx_disk *disk, const char *file_name, GError **error)
{
    gboolean missing;

    disk->type = VMX_DISK_TYPE_FILE;
    disk->device = VMX_DISK_DEVICE_CDROM;
    if (!file_name || !*file_name || g_ascii_strcasecmp(file_name, "emptyBackingString") == 0)
        return TRUE;
    disk->src = map_file_name(ctx, file_name, &missing, error);
    return disk->src || missing;
}

/* Fills @disk from the entries of @s; *skip when the slot holds nothing the
 * domain shows (absent, not present, client device). */
static gboolean
parse_disk(const vmx_file *file, const vmx_convert_ctx *ctx, const slot *s, vmx_disk *disk, gboolean *skip,
           GError **error)
{
    char key[96];
    gboolean present, client, write_through;
    const char *device_type, *file_type, *file_name, *mode;

    *skip = TRUE;
    if (!vmx_get_bool(file, vmx_key(key, s->prefix, "present"), FALSE, &present, error))
        return FALSE;
    if (!present)
        return TRUE;
    if (!vmx_get_bool(file, vmx_key(key, s->prefix, "clientDevice"), FALSE, &client, error))
        return FALSE;
    if (client)
        return TRUE; /* backed by the client's drive: nothing on the host */
    if (!vmx_get_bool(file, vmx_key(key, s->prefix, "writeThrough"), FALSE, &write_through, error))
        return FALSE;
    device_type = vmx_file_get(file, vmx_key(key, s->prefix, "deviceType"));
    file_type = vmx_file_get(file, vmx_key(key, s->prefix, "fileType"));
    file_name = vmx_file_get(file, vmx_key(key, s->prefix, "fileName"));
    mode = vmx_file_get(file, vmx_key(key, s->prefix, "mode"));
    *skip = FALSE;

    disk->bus = s->bus;
    disk->controller = s->controller;
    disk->bus_index = s->bus_index;
    disk->unit = s->unit;
    disk->dst = s->superwide ? vmx_scsi_superwide_disk_name(s->controller, s->unit)
                             : vmx_disk_name_from_address(s->bus, s->controller, s->bus_index, s->unit);

    if (s->bus == VMX_DISK_BUS_FDC) {
        gboolean missing;

        disk->device = VMX_DISK_DEVICE_FLOPPY;
        if (file_type
                ? g_ascii_strcasecmp(file_type, "device") == 0
                : (file_name && !vmx_str_has_suffix_ci(file_name, ".flp") && g_str_has_prefix(file_name, "/dev/"))) {
            disk->type = VMX_DISK_TYPE_BLOCK;
            disk->src = g_strdup(file_name);
            return TRUE;
        }
        if (file_type && g_ascii_strcasecmp(file_type, "file") != 0) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "floppy '%s' (%s.fileType): \"%s\" is not supported, expecting "
                        "\"file\" or \"device\"",
                        disk->dst, s->prefix, file_type);
            return FALSE;
        }
        disk->type = VMX_DISK_TYPE_FILE;
        if (file_name && *file_name) {
            disk->src = map_file_name(ctx, file_name, &missing, error);
            if (!disk->src && !missing) {
                g_prefix_error(error, "floppy '%s' (%s.fileName): ", disk->dst, s->prefix);
                return FALSE;
            }
        }
        return TRUE;
    }

    if (device_type ? (g_ascii_strcasecmp(device_type, "disk") == 0 || vmx_str_has_suffix_ci(device_type, "-hardDisk"))
                    : (file_name && vmx_str_has_suffix_ci(file_name, ".vmdk"))) {
        gboolean missing;

        disk->type = VMX_DISK_TYPE_FILE;
        disk->device = VMX_DISK_DEVICE_DISK;
        if (!file_name || !*file_name) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "disk '%s' (%s): the hard disk has no '%s.fileName' entry",
                        disk->dst, s->prefix, s->prefix);
            return FALSE;
        }
        disk->src = map_file_name(ctx, file_name, &missing, error);
        if (!disk->src) {
            if (missing)
                g_set_error(error, VMX_ERROR, VMX_ERROR_MISSING_FILE,
                            "disk '%s' (%s.fileName): the disk image '%s' does not exist; "
                            "fix the path or remove the disk",
                            disk->dst, s->prefix, file_name);
            else
                g_prefix_error(error, "disk '%s' (%s.fileName): ", disk->dst, s->prefix);
            return FALSE;
        }
        if (write_through)
            disk->cache = VMX_DISK_CACHE_WRITETHROUGH;
        if (mode && g_ascii_strcasecmp(mode, "independent-nonpersistent") == 0)
            disk->transient = TRUE;
        return TRUE;
    }

    disk->readonly = TRUE;
    if (device_type ? g_ascii_strcasecmp(device_type, "cdrom-image") == 0
                    : (file_name && vmx_str_has_suffix_ci(file_name, ".iso"))) {
        if (!set_cdrom_image(ctx, disk, file_name, error)) {
            g_prefix_error(error, "cdrom '%s' (%s.fileName): ", disk->dst, s->prefix);
            return FALSE;
        }
        return TRUE;
    }
    if (device_type &&
        (g_ascii_strcasecmp(device_type, "atapi-cdrom") == 0 || g_ascii_strcasecmp(device_type, "cdrom-raw") == 0 ||
         g_ascii_strcasecmp(device_type, "scsi-passthru") == 0)) {
        disk->type = VMX_DISK_TYPE_BLOCK;
        disk->device =
            g_ascii_strcasecmp(device_type, "atapi-cdrom") == 0 ? VMX_DISK_DEVICE_CDROM : VMX_DISK_DEVICE_LUN;
        if (file_name && g_ascii_strcasecmp(file_name, "auto detect") == 0 &&
            g_ascii_strcasecmp(device_type, "scsi-passthru") != 0)
            disk->startup_optional = TRUE;
        else if (file_name && *file_name)
            disk->src = g_strdup(file_name);
        return TRUE;
    }
    if (device_type)
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "device %s (%s.deviceType): \"%s\" is not supported; expecting a hard "
                    "disk, \"cdrom-image\", \"atapi-cdrom\", \"cdrom-raw\" or \"scsi-passthru\"",
                    disk->dst, s->prefix, device_type);
    else
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "device %s (%s): no deviceType entry and the file name \"%s\" is neither "
                    "a .vmdk disk image nor a .iso image",
                    disk->dst, s->prefix, file_name ? file_name : "");
    return FALSE;
}

static gboolean
parse_slot(const vmx_file *file, const vmx_convert_ctx *ctx, const slot *s, vmx_domain *def, GError **error)
{
    vmx_disk *disk = vmx_disk_new();
    gboolean skip;

    if (!parse_disk(file, ctx, s, disk, &skip, error) || skip) {
        vmx_disk_free(disk);
        return skip;
    }
    g_ptr_array_add(def->disks, disk);
    return TRUE;
}

static gboolean
parse_scsi_model(const vmx_file *file, unsigned controller, vmx_scsi_model *model, GError **error)
{
    char key[96];
    const char *value;

    g_snprintf(key, sizeof(key), "scsi%u.virtualDev", controller);
    value = vmx_file_get(file, key);
    *model = VMX_SCSI_MODEL_NONE;
    if (!value)
        return TRUE;
    if (g_ascii_strcasecmp(value, "buslogic") == 0)
        *model = VMX_SCSI_MODEL_BUSLOGIC;
    else if (g_ascii_strcasecmp(value, "lsilogic") == 0)
        *model = VMX_SCSI_MODEL_LSILOGIC;
    else if (g_ascii_strcasecmp(value, "lsisas1068") == 0)
        *model = VMX_SCSI_MODEL_LSISAS1068;
    else if (g_ascii_strcasecmp(value, "pvscsi") == 0)
        *model = VMX_SCSI_MODEL_VMPVSCSI;
    else {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "VMX entry '%s' must be 'buslogic', 'lsilogic', 'lsisas1068' or 'pvscsi', "
                    "found \"%s\"",
                    key, value);
        return FALSE;
    }
    return TRUE;
}

static gboolean
has_disk_on(const vmx_domain *def, vmx_disk_bus bus, unsigned controller)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const vmx_disk *disk = def->disks->pdata[i];

        if (disk->bus == bus && disk->controller == controller)
            return TRUE;
    }
    return FALSE;
}

static void
add_controller(vmx_domain *def, vmx_controller_type type, unsigned index, vmx_scsi_model model)
{
    vmx_controller *c = g_new0(vmx_controller, 1);

    c->type = type;
    c->index = index;
    c->model = model;
    g_ptr_array_add(def->controllers, c);
}

/* Controllers 0..N of @type where N is the highest index a disk on @bus
 * uses; a SCSI controller's model when its scsiN.present is true. */
static void
add_controllers_up_to_last(vmx_domain *def, vmx_disk_bus bus, vmx_controller_type type, const gboolean *present,
                           const vmx_scsi_model *models)
{
    int last = -1;

    for (guint i = 0; i < def->disks->len; i++) {
        const vmx_disk *disk = def->disks->pdata[i];

        if (disk->bus == bus && (int)disk->controller > last)
            last = (int)disk->controller;
    }
    for (int c = 0; c <= last; c++)
        add_controller(def, type, (unsigned)c, present && present[c] ? models[c] : VMX_SCSI_MODEL_NONE);
}

/* SATA and NVMe: controllers 0..3 with @units slots each */
static gboolean
parse_controller_slots(const vmx_file *file, const vmx_convert_ctx *ctx, vmx_disk_bus bus, const char *name,
                       unsigned units, gboolean present[4], vmx_domain *def, GError **error)
{
    for (unsigned c = 0; c < 4; c++) {
        char prefix[32], key[96];

        g_snprintf(prefix, sizeof(prefix), "%s%u", name, c);
        if (!vmx_get_bool(file, vmx_key(key, prefix, "present"), FALSE, &present[c], error))
            return FALSE;
        for (unsigned unit = 0; present[c] && unit < units; unit++) {
            slot s = { bus, prefix, c, 0, unit, FALSE };

            g_snprintf(prefix, sizeof(prefix), "%s%u:%u", name, c, unit);
            if (!parse_slot(file, ctx, &s, def, error))
                return FALSE;
        }
    }
    return TRUE;
}

gboolean
vmx_parse_disks(const vmx_file *file, const vmx_convert_ctx *ctx, vmx_domain *def, GError **error)
{
    vmx_scsi_model models[4];
    gboolean present[4], sata_present[4], nvme_present[4];
    char prefix[32], key[96];
    gint64 hw_version;

    if (!vmx_get_long(file, "virtualHW.version", 4, &hw_version, error))
        return FALSE;

    for (unsigned c = 0; c < 4; c++) {
        g_snprintf(prefix, sizeof(prefix), "scsi%u", c);
        if (!vmx_get_bool(file, vmx_key(key, prefix, "present"), FALSE, &present[c], error))
            return FALSE;
        if (!present[c])
            continue;
        if (!parse_scsi_model(file, c, &models[c], error))
            return FALSE;
        /* units 0..15, from virtual hardware 13 on 0..64 (as libvirt reads
         * them, whatever the model); 7 is the controller itself */
        for (unsigned unit = 0; unit < (hw_version >= 13 ? 65u : 16u); unit++) {
            slot s = { VMX_DISK_BUS_SCSI, prefix, c, 0, unit, hw_version >= 13 };

            if (unit == 7)
                continue; /* the controller itself */
            g_snprintf(prefix, sizeof(prefix), "scsi%u:%u", c, unit);
            if (!parse_slot(file, ctx, &s, def, error))
                return FALSE;
        }
    }
    if (!parse_controller_slots(file, ctx, VMX_DISK_BUS_SATA, "sata", 30, sata_present, def, error))
        return FALSE;
    for (unsigned bus = 0; bus < 2; bus++) {
        for (unsigned unit = 0; unit < 2; unit++) {
            slot s = { VMX_DISK_BUS_IDE, prefix, 0, bus, unit, FALSE };

            g_snprintf(prefix, sizeof(prefix), "ide%u:%u", bus, unit);
            if (!parse_slot(file, ctx, &s, def, error))
                return FALSE;
        }
    }
    for (unsigned unit = 0; unit < 2; unit++) {
        slot s = { VMX_DISK_BUS_FDC, prefix, 0, 0, unit, FALSE };

        g_snprintf(prefix, sizeof(prefix), "floppy%u", unit);
        if (!parse_slot(file, ctx, &s, def, error))
            return FALSE;
    }
    if (!parse_controller_slots(file, ctx, VMX_DISK_BUS_NVME, "nvme", 15, nvme_present, def, error))
        return FALSE;

    /* controllers in libvirt's order: those it adds while reading (SCSI,
     * SATA, NVMe: every index up to the last one a disk uses, so scsi0
     * shows when only scsi1 has disks), then the implicit FDC and IDE */
    add_controllers_up_to_last(def, VMX_DISK_BUS_SCSI, VMX_CONTROLLER_SCSI, present, models);
    add_controllers_up_to_last(def, VMX_DISK_BUS_SATA, VMX_CONTROLLER_SATA, NULL, NULL);
    add_controllers_up_to_last(def, VMX_DISK_BUS_NVME, VMX_CONTROLLER_NVME, NULL, NULL);
    if (has_disk_on(def, VMX_DISK_BUS_FDC, 0))
        add_controller(def, VMX_CONTROLLER_FDC, 0, VMX_SCSI_MODEL_NONE);
    if (has_disk_on(def, VMX_DISK_BUS_IDE, 0))
        add_controller(def, VMX_CONTROLLER_IDE, 0, VMX_SCSI_MODEL_NONE);
    return TRUE;
}

gboolean
vmx_parse_fss(const vmx_file *file, vmx_domain *def, GError **error)
{
    gboolean disabled;
    gint64 max;

    if (!vmx_get_bool(file, "isolation.tools.hgfs.disable", TRUE, &disabled, error))
        return FALSE;
    if (disabled)
        return TRUE;
    if (!vmx_get_long(file, "sharedFolder.maxNum", 0, &max, error))
        return FALSE;
    for (gint64 i = 0; i < max && i < 256; i++) {
        char prefix[32], key[96];
        gboolean present, enabled, write;
        const char *host, *guest;
        vmx_fs *fs;

        g_snprintf(prefix, sizeof(prefix), "sharedFolder%" G_GINT64_FORMAT, i);
        if (!vmx_get_bool(file, vmx_key(key, prefix, "present"), FALSE, &present, error) ||
            !vmx_get_bool(file, vmx_key(key, prefix, "enabled"), FALSE, &enabled, error) ||
            !vmx_get_bool(file, vmx_key(key, prefix, "writeAccess"), FALSE, &write, error))
            return FALSE;
        if (!present || !enabled)
            continue;
        host = vmx_file_get(file, vmx_key(key, prefix, "hostPath"));
        guest = vmx_file_get(file, vmx_key(key, prefix, "guestName"));
        if (!host || !guest) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "shared folder %s: needs both '%s.hostPath' and '%s.guestName'", prefix, prefix, prefix);
            return FALSE;
        }
        fs = g_new0(vmx_fs, 1);
        fs->src = g_strdup(host);
        fs->dst = g_strdup(guest);
        fs->readonly = !write;
        g_ptr_array_add(def->fss, fs);
    }
    return TRUE;
}

gboolean
vmx_parse_vnc(const vmx_file *file, vmx_domain *def, GError **error)
{
    gboolean enabled;
    gint64 port;
    vmx_graphics *g;

    if (!vmx_get_bool(file, "RemoteDisplay.vnc.enabled", FALSE, &enabled, error))
        return FALSE;
    if (!enabled)
        return TRUE;
    if (!vmx_get_long(file, "RemoteDisplay.vnc.port", -1, &port, error))
        return FALSE;
    g = g_new0(vmx_graphics, 1);
    if (port < 0 || port > 65535) {
        g->port = -1;
        g->autoport = TRUE;
    } else {
        g->port = (int)port;
    }
    g->listen = g_strdup(vmx_file_get(file, "RemoteDisplay.vnc.ip"));
    g->keymap = g_strdup(vmx_file_get(file, "RemoteDisplay.vnc.keymap"));
    g->passwd = g_strdup(vmx_file_get(file, "RemoteDisplay.vnc.password"));
    g_ptr_array_add(def->graphics, g);
    return TRUE;
}
