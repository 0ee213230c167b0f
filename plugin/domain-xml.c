/* domain-xml.c — get_xml (dumpxml): the VM's .vmx, downloaded from its
 * datastore (GET /folder/DIR/FILE?dcPath=DC&dsName=DS), converted by vmx/
 * with file names mapped through the host's datastores. A .vmx that is
 * missing or empty (vcsim writes empty ones; a real server may hold one we
 * cannot read) is rebuilt from the VM's `config` first: the entries the
 * server would have written for its identity, memory, CPUs, controllers,
 * disks, CD-ROMs, network cards and video card, converted the same way. */
#include "esx-datastore.h"
#include "esx-domain.h"

#include <string.h>

/* The VMX virtualDev of a SCSI controller type, or NULL. */
static const char *
scsi_model(const char *type)
{
    static const struct {
        const char *type, *dev;
    } map[] = {
        { "VirtualLsiLogicController", "lsilogic" },
        { "VirtualLsiLogicSASController", "lsisas1068" },
        { "ParaVirtualSCSIController", "pvscsi" },
        { "VirtualBusLogicController", "buslogic" },
    };
    for (gsize i = 0; type != NULL && i < G_N_ELEMENTS(map); i++) {
        if (strcmp(type, map[i].type) == 0)
            return map[i].dev;
    }
    return NULL;
}

static const char *
nic_model(const char *type)
{
    static const struct {
        const char *type, *dev;
    } map[] = {
        { "VirtualE1000", "e1000" },     { "VirtualE1000e", "e1000e" }, { "VirtualVmxnet3", "vmxnet3" },
        { "VirtualVmxnet2", "vmxnet2" }, { "VirtualVmxnet", "vmxnet" }, { "VirtualPCNet32", "vlance" },
    };
    for (gsize i = 0; type != NULL && i < G_N_ELEMENTS(map); i++) {
        if (strcmp(type, map[i].type) == 0)
            return map[i].dev;
    }
    return NULL;
}

static void
set_key(vmx_file *f, const char *prefix, const char *key, const char *value)
{
    g_autofree char *k = g_strdup_printf("%s.%s", prefix, key);
    vmx_file_set(f, k, value);
}

/* "[ds] dir/f" -> the host's path, or the name as it is when it is no
 * datastore path. */
static char *
host_path(esx_datastore_map *map, const char *name, GError **error)
{
    if (name == NULL || name[0] != '[')
        return g_strdup(name ? name : "");
    return esx_datastore_map_format(map, name, error);
}

/* The controller prefix ("scsi0", "ide1", "sata0") of the device with KEY. */
static const char *
controller_prefix(GHashTable *controllers, gint64 key)
{
    return g_hash_table_lookup(controllers, GINT_TO_POINTER((gint)key));
}

static gboolean
add_devices(vmx_file *f, const vi_value *obj, esx_datastore_map *map, GError **error)
{
    g_autoptr(GPtrArray) devs = vi_object_get_all(obj, "config.hardware.device");
    g_autoptr(GHashTable) controllers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    for (guint i = 0; i < devs->len; i++) {
        const vi_value *d = devs->pdata[i];
        const char *type = vi_value_type(d);
        gint64 key = 0, bus = 0;
        vi_value_get_int64(d, "key", &key);
        vi_value_get_int64(d, "busNumber", &bus);
        char *prefix = NULL;
        if (scsi_model(type) != NULL) {
            prefix = g_strdup_printf("scsi%" G_GINT64_FORMAT, bus);
            set_key(f, prefix, "present", "TRUE");
            set_key(f, prefix, "virtualDev", scsi_model(type));
        } else if (g_strcmp0(type, "VirtualIDEController") == 0) {
            prefix = g_strdup_printf("ide%" G_GINT64_FORMAT, bus);
        } else if (g_strcmp0(type, "VirtualAHCIController") == 0 || g_strcmp0(type, "VirtualSATAController") == 0) {
            prefix = g_strdup_printf("sata%" G_GINT64_FORMAT, bus);
            set_key(f, prefix, "present", "TRUE");
        }
        if (prefix != NULL)
            g_hash_table_insert(controllers, GINT_TO_POINTER((gint)key), prefix);
    }
    guint nic = 0;
    for (guint i = 0; i < devs->len; i++) {
        const vi_value *d = devs->pdata[i];
        const char *type = vi_value_type(d);
        gint64 ckey = -1, unit = 0;
        vi_value_get_int64(d, "controllerKey", &ckey);
        vi_value_get_int64(d, "unitNumber", &unit);
        const char *ctrl = controller_prefix(controllers, ckey);
        gboolean ide = ctrl != NULL && g_str_has_prefix(ctrl, "ide");
        const char *backing = vi_value_type(vi_value_child(d, "backing"));
        const char *file = vi_value_get_string(d, "backing.fileName");
        if (g_strcmp0(type, "VirtualDisk") == 0 && ctrl != NULL) {
            g_autofree char *prefix = g_strdup_printf("%s:%" G_GINT64_FORMAT, ctrl, unit);
            g_autofree char *path = host_path(map, file, error);
            if (path == NULL)
                return FALSE;
            set_key(f, prefix, "present", "TRUE");
            set_key(f, prefix, "deviceType", ide ? "ata-hardDisk" : "scsi-hardDisk");
            set_key(f, prefix, "fileName", path);
        } else if (g_strcmp0(type, "VirtualCdrom") == 0 && ctrl != NULL) {
            g_autofree char *prefix = g_strdup_printf("%s:%" G_GINT64_FORMAT, ctrl, unit);
            set_key(f, prefix, "present", "TRUE");
            if (g_strcmp0(backing, "VirtualCdromIsoBackingInfo") == 0) {
                g_autofree char *path = host_path(map, file, error);
                if (path == NULL)
                    return FALSE;
                set_key(f, prefix, "deviceType", "cdrom-image");
                set_key(f, prefix, "fileName", path);
            } else {
                const char *dev = vi_value_get_string(d, "backing.deviceName");
                set_key(f, prefix, "deviceType", "atapi-cdrom");
                set_key(f, prefix, "fileName", dev ? dev : "");
            }
        } else if (nic_model(type) != NULL) {
            g_autofree char *prefix = g_strdup_printf("ethernet%u", nic++);
            const char *mac = vi_value_get_string(d, "macAddress");
            const char *addr_type = vi_value_get_string(d, "addressType");
            gboolean manual = g_strcmp0(addr_type, "manual") == 0;
            set_key(f, prefix, "present", "TRUE");
            set_key(f, prefix, "virtualDev", nic_model(type));
            const char *network = vi_value_get_string(d, "backing.deviceName");
            const char *dvs = vi_value_get_string(d, "backing.port.switchUuid");
            if (dvs != NULL) {
                /* a distributed switch port: where the .vmx says so too */
                set_key(f, prefix, "dvs.switchId", dvs);
                static const char *const dvs_keys[][2] = { { "backing.port.portKey", "dvs.portId" },
                                                           { "backing.port.portgroupKey", "dvs.portgroupId" },
                                                           { "backing.port.connectionCookie", "dvs.connectionId" } };
                for (gsize k = 0; k < G_N_ELEMENTS(dvs_keys); k++) {
                    const char *v = vi_value_get_string(d, dvs_keys[k][0]);
                    if (v != NULL && *v != '\0')
                        set_key(f, prefix, dvs_keys[k][1], v);
                }
            } else {
                set_key(f, prefix, "networkName", network ? network : "");
            }
            if (mac != NULL) {
                set_key(f, prefix, "addressType", manual ? "static" : "generated");
                set_key(f, prefix, manual ? "address" : "generatedAddress", mac);
            }
        } else if (g_strcmp0(type, "VirtualMachineVideoCard") == 0) {
            gint64 kb = 0;
            if (vi_value_get_int64(d, "videoRamSizeInKB", &kb) && kb > 0) {
                g_autofree char *bytes = g_strdup_printf("%" G_GINT64_FORMAT, kb * 1024);
                vmx_file_set(f, "svga.vramSize", bytes);
            }
        }
    }
    return TRUE;
}

/* The .vmx the server would hold for the VM, from its `config`. */
static vmx_file *
vmx_from_config(const esx_vm *vm, const vi_value *obj, esx_datastore_map *map, GError **error)
{
    g_autoptr(vmx_file) f = vmx_file_new();
    vmx_file_set(f, "config.version", "8");
    const char *hw = vi_object_get_string(obj, "config.version");
    vmx_file_set(f, "virtualHW.version", hw != NULL && g_str_has_prefix(hw, "vmx-") ? hw + 4 : "4");
    g_autofree char *display = vmx_escape_display_name(vm->name);
    vmx_file_set(f, "displayName", display);
    const char *note = vi_object_get_string(obj, "config.annotation");
    if (note != NULL && *note != '\0') {
        g_autofree char *a = vmx_escape_annotation(note);
        vmx_file_set(f, "annotation", a);
    }
    if (vm->has_uuid) {
        const uint8_t *u = vm->uuid;
        g_autofree char *uuid = g_strdup_printf("%02x %02x %02x %02x %02x %02x %02x %02x-%02x %02x %02x %02x %02x %02x "
                                                "%02x %02x",
                                                u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
                                                u[11], u[12], u[13], u[14], u[15]);
        vmx_file_set(f, "uuid.bios", uuid);
    }
    g_autofree char *mem = g_strdup_printf("%" G_GUINT64_FORMAT, vm->max_memory_kib / 1024);
    vmx_file_set(f, "memsize", mem);
    if (vm->memory_kib < vm->max_memory_kib) {
        g_autofree char *limit = g_strdup_printf("%" G_GUINT64_FORMAT, vm->memory_kib / 1024);
        vmx_file_set(f, "sched.mem.max", limit);
    }
    g_autofree char *cpus = g_strdup_printf("%u", vm->vcpus ? vm->vcpus : 1);
    vmx_file_set(f, "numvcpus", cpus);
    const char *guest = vi_object_get_string(obj, "config.guestId");
    vmx_file_set(f, "guestOS", guest != NULL && strstr(guest, "64") != NULL ? "other-64" : "other");
    if (g_strcmp0(vi_object_get_string(obj, "config.firmware"), "efi") == 0)
        vmx_file_set(f, "firmware", "efi");
    if (!add_devices(f, obj, map, error))
        return NULL;
    return g_steal_pointer(&f);
}

int32_t HVD_CALL
esx_domain_get_xml(hvd_conn *conn, const char *domain, uint32_t flags, char **xml_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_xml", flags, 0, xml_out);
    static const char *const paths[] = { "config", NULL };
    g_autoptr(esx_vm) vm = NULL;
    g_autoptr(vi_value) obj = NULL;
    int32_t rc = esx_domain_resolve_with(conn, domain, paths, &vm, &obj, err);
    if (rc != HVD_OK)
        return rc;
    const esx_location *loc = NULL;
    rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    const char *vmx_path = vi_object_get_string(obj, "config.files.vmPathName");
    g_autofree char *ds = NULL, *dir = NULL, *file = NULL;
    if (vmx_path == NULL || !vmx_parse_datastore_path(vmx_path, &ds, &dir, &file, &gerr))
        return esx_fail(err, HVD_ERR_SERVER, NULL, "domain '%s' has no usable configuration file path ('%s')", vm->name,
                        vmx_path ? vmx_path : "");
    g_autofree char *location = dir ? g_strdup_printf("[%s] %s", ds, dir) : g_strdup_printf("[%s]", ds);
    g_autoptr(esx_datastore_map) map = esx_datastore_map_new(conn->vi, loc, location, &gerr);
    if (map == NULL)
        return esx_fail_gerror(err, gerr);
    vmx_convert_ctx ctx;
    esx_datastore_map_ctx(map, &ctx);
    ctx.datacenter_path = loc->datacenter_path;
    ctx.moref = vm->moref.value;

    g_autofree char *rel = dir ? g_strdup_printf("%s/%s", dir, file) : g_strdup(file);
    g_autoptr(GBytes) bytes = vi_datastore_file_get(conn->vi, loc->datacenter_path, ds, rel, &gerr);
    if (bytes == NULL && !g_error_matches(gerr, VI_ERROR, VI_ERROR_NOT_FOUND))
        return esx_fail_gerror(err, gerr);
    g_clear_error(&gerr);
    g_autoptr(vmx_domain) def = NULL;
    gsize len = 0;
    const char *text = bytes ? g_bytes_get_data(bytes, &len) : NULL;
    if (len > 0) {
        def = vmx_to_domain(text, (gssize)len, &ctx, &gerr);
    } else {
        esx_log(&conn->upcalls, HVD_LOG_INFO, "esx", "%s of domain '%s' is %s: its XML comes from its config", vmx_path,
                vm->name, bytes ? "empty" : "missing");
        g_autoptr(vmx_file) f = vmx_from_config(vm, obj, map, &gerr);
        if (f != NULL)
            def = vmx_file_to_domain(f, &ctx, &gerr);
    }
    if (def == NULL)
        return esx_fail_gerror(err, gerr);
    /* the server's name, not the .vmx's displayName (they differ after a rename) */
    g_free(def->name);
    def->name = g_strdup(vm->name);
    char *xml = vmx_domain_format_xml(def, &gerr);
    if (xml == NULL)
        return esx_fail_gerror(err, gerr);
    *xml_out = xml;
    return HVD_OK;
}
