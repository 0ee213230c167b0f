/*
 * convert-from-domain.c: domain model -> VMX, the settings of the whole VM
 * and the simple devices. Disks and network cards are in
 * convert-from-devices.c. Entries are written in libvirt's order.
 */
#include "vmx/internal.h"

#include <string.h>

static void setf(vmx_file *out, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
setf(vmx_file *out, const char *key, const char *fmt, ...)
{
    va_list args;
    g_autofree char *value = NULL;

    va_start(args, fmt);
    value = g_strdup_vprintf(fmt, args);
    va_end(args);
    vmx_file_set(out, key, value);
}

static gboolean
format_memory_cpu(const vmx_domain *def, vmx_file *out, GError **error)
{
    guint64 max_kib = (def->memory_kib + 4095) / 4096 * 4096;
    guint64 cur_kib = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;

    if (def->memory_kib == 0) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "element <memory>: must not be 0");
        return FALSE;
    }
    setf(out, "memsize", "%" G_GUINT64_FORMAT, max_kib / 1024);
    if (cur_kib < max_kib)
        setf(out, "sched.mem.max", "%" G_GUINT64_FORMAT, (cur_kib + 1023) / 1024);
    if (def->min_guarantee_kib > 0)
        setf(out, "sched.mem.minsize", "%" G_GUINT64_FORMAT, (def->min_guarantee_kib + 1023) / 1024);

    if (def->current_vcpus && def->current_vcpus != def->vcpus) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "element <vcpu>: attribute 'current' is not supported by VMware; remove it "
                    "or make it equal to the number of vCPUs");
        return FALSE;
    }
    if (def->vcpus == 0) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "element <vcpu>: must not be 0");
        return FALSE;
    }
    setf(out, "numvcpus", "%u", def->vcpus);
    if (def->has_topology) {
        guint64 product = (guint64)def->sockets * def->dies * def->clusters * def->cores * def->threads;

        if (product != def->vcpus) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "element <topology>: sockets*dies*clusters*cores*threads = %" G_GUINT64_FORMAT
                        " does not match <vcpu> (%u)",
                        product, def->vcpus);
            return FALSE;
        }
        if (def->dies != 1 || def->clusters != 1 || def->threads != 1) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                        "element <topology>: VMware supports only dies='1', clusters='1' and "
                        "threads='1'");
            return FALSE;
        }
        setf(out, "cpuid.coresPerSocket", "%u", def->cores);
    }
    if (def->cpuset) {
        g_autoptr(GArray) cpus = vmx_cpuset_parse(def->cpuset, error);
        g_autoptr(GString) list = g_string_new(NULL);

        if (!cpus) {
            g_prefix_error(error, "element <vcpu>: ");
            return FALSE;
        }
        if (cpus->len < def->vcpus) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "element <vcpu>: attribute 'cpuset' must contain at least %u CPU(s)", def->vcpus);
            return FALSE;
        }
        for (guint i = 0; i < cpus->len; i++)
            g_string_append_printf(list, "%s%u", i ? "," : "", g_array_index(cpus, unsigned, i));
        vmx_file_set(out, "sched.cpu.affinity", list->str);
    }
    if (def->has_shares) {
        if (def->shares == def->vcpus * 500ULL)
            vmx_file_set(out, "sched.cpu.shares", "low");
        else if (def->shares == def->vcpus * 1000ULL)
            vmx_file_set(out, "sched.cpu.shares", "normal");
        else if (def->shares == def->vcpus * 2000ULL)
            vmx_file_set(out, "sched.cpu.shares", "high");
        else
            setf(out, "sched.cpu.shares", "%" G_GUINT64_FORMAT, def->shares);
    }
    return TRUE;
}

static gboolean
format_identity(const vmx_domain *def, vmx_file *out, GError **error)
{
    static const uint8_t zero[16];
    g_autofree char *display = NULL;
    const uint8_t *u = def->uuid;

    if (def->arch == VMX_ARCH_X86_64)
        vmx_file_set(out, "guestOS", "other-64");
    else
        vmx_file_set(out, "guestOS", "other");
    if (def->smbios_mode == VMX_SMBIOS_HOST) {
        vmx_file_set(out, "smbios.reflecthost", "true");
    } else if (def->smbios_mode == VMX_SMBIOS_SYSINFO) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "element <smbios>: mode 'sysinfo' is not supported by VMware (host, emulate)");
        return FALSE;
    }
    if (memcmp(def->uuid, zero, 16) == 0)
        vmx_file_set(out, "uuid.action", "create");
    else
        setf(out, "uuid.bios", "%02x %02x %02x %02x %02x %02x %02x %02x-%02x %02x %02x %02x %02x %02x %02x %02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    if (def->has_genid) {
        /* the inverse of the reading (libvirt writes no generation ID) */
        const uint8_t *g = def->genid;
        guint64 lo = 0, hi = 0;

        for (int i = 0; i < 8; i++) {
            lo = (lo << 8) | g[i];
            hi = (hi << 8) | g[8 + i];
        }
        setf(out, "vm.genid", "%" G_GINT64_FORMAT, (gint64)lo);
        setf(out, "vm.genidX", "%" G_GINT64_FORMAT, (gint64)hi);
    }
    display = vmx_escape_display_name(def->name);
    vmx_file_set(out, "displayName", display);
    if (def->description) {
        g_autofree char *annotation = vmx_escape_annotation(def->description);

        vmx_file_set(out, "annotation", annotation);
    }
    return TRUE;
}

static gboolean
format_graphics(const vmx_domain *def, vmx_file *out, GError **error)
{
    if (def->graphics->len > 1) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "element <graphics>: VMware has one VNC display, found %u <graphics>", def->graphics->len);
        return FALSE;
    }
    for (guint i = 0; i < def->graphics->len; i++) {
        const vmx_graphics *g = def->graphics->pdata[i];

        vmx_file_set(out, "RemoteDisplay.vnc.enabled", "true");
        if (!g->autoport && g->port >= 0)
            setf(out, "RemoteDisplay.vnc.port", "%d", g->port);
        if (g->listen)
            vmx_file_set(out, "RemoteDisplay.vnc.ip", g->listen);
        if (g->keymap)
            vmx_file_set(out, "RemoteDisplay.vnc.keymap", g->keymap);
        if (g->passwd)
            vmx_file_set(out, "RemoteDisplay.vnc.password", g->passwd);
    }
    return TRUE;
}

static gboolean
format_fss(const vmx_domain *def, vmx_file *out, GError **error)
{
    if (def->fss->len == 0)
        return TRUE;
    vmx_file_set(out, "isolation.tools.hgfs.disable", "false");
    setf(out, "sharedFolder.maxNum", "%u", def->fss->len);
    for (guint i = 0; i < def->fss->len; i++) {
        const vmx_fs *fs = def->fss->pdata[i];
        char prefix[32], key[96];

        g_snprintf(prefix, sizeof(prefix), "sharedFolder%u", i);
        vmx_file_set(out, vmx_key(key, prefix, "present"), "true");
        vmx_file_set(out, vmx_key(key, prefix, "enabled"), "true");
        vmx_file_set(out, vmx_key(key, prefix, "readAccess"), "true");
        vmx_file_set(out, vmx_key(key, prefix, "writeAccess"), fs->readonly ? "false" : "true");
        vmx_file_set(out, vmx_key(key, prefix, "hostPath"), fs->src);
        vmx_file_set(out, vmx_key(key, prefix, "guestName"), fs->dst);
    }
    return TRUE;
}

static gboolean
format_video(const vmx_domain *def, vmx_file *out, GError **error)
{
    const vmx_video *v;

    if (def->videos->len == 0)
        return TRUE;
    if (def->videos->len > 1) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "element <video>: VMware has one video card, found %u",
                    def->videos->len);
        return FALSE;
    }
    v = def->videos->pdata[0];
    if (g_strcmp0(v->model, "vmvga") != 0) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "element <video>: model '%s' is not supported by VMware (vmvga)", v->model ? v->model : "");
        return FALSE;
    }
    if (v->heads > 1) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "element <video>: VMware supports one head, found heads='%u'", v->heads);
        return FALSE;
    }
    /* a multiple of 64 KiB, as Windows guests want it */
    setf(out, "svga.vramSize", "%" G_GUINT64_FORMAT, ((guint64)v->vram_kib + 63) / 64 * 64 * 1024);
    return TRUE;
}

static gboolean
format_chr(const vmx_convert_ctx *ctx, const vmx_chr *chr, gboolean serial, vmx_file *out, GError **error)
{
    static const char *const schemes[] = { "tcp", "telnet", "telnets", "ssl" };
    const char *kind = serial ? "serial" : "parallel";
    unsigned max = serial ? 3 : 2;
    char prefix[32], key[96];

    if (chr->port > max) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "element <%s>: port %u is out of VMware's range 0..%u",
                    kind, chr->port, max);
        return FALSE;
    }
    g_snprintf(prefix, sizeof(prefix), "%s%u", kind, chr->port);
    if (vmx_file_get(out, vmx_key(key, prefix, "present"))) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "element <%s>: two ports use target port %u", kind, chr->port);
        return FALSE;
    }
    vmx_file_set(out, key, "true");
    switch (chr->type) {
    case VMX_CHR_DEV:
        vmx_file_set(out, vmx_key(key, prefix, "fileType"), "device");
        if (chr->path)
            vmx_file_set(out, vmx_key(key, prefix, "fileName"), chr->path);
        break;
    case VMX_CHR_FILE: {
        g_autofree char *name = NULL;

        vmx_file_set(out, vmx_key(key, prefix, "fileType"), "file");
        if (!chr->path)
            break; /* its file did not exist when it was read */
        name = ctx->format_file_name(chr->path, ctx->user_data, error);
        if (!name) {
            g_prefix_error(error, "element <%s> (port %u): ", kind, chr->port);
            return FALSE;
        }
        vmx_file_set(out, vmx_key(key, prefix, "fileName"), name);
        break;
    }
    case VMX_CHR_PIPE:
        if (!serial)
            goto unsupported;
        vmx_file_set(out, vmx_key(key, prefix, "fileType"), "pipe");
        /* VMware's own defaults for a pipe created in its client */
        vmx_file_set(out, vmx_key(key, prefix, "pipe.endPoint"), "client");
        vmx_file_set(out, vmx_key(key, prefix, "tryNoRxLoss"), "false");
        if (chr->path)
            vmx_file_set(out, vmx_key(key, prefix, "fileName"), chr->path);
        break;
    case VMX_CHR_TCP: {
        g_autofree char *uri = NULL;

        if (!serial)
            goto unsupported;
        uri = g_strdup_printf(chr->host && strchr(chr->host, ':') ? "%s://[%s]:%s" : "%s://%s:%s",
                              schemes[chr->protocol], chr->host ? chr->host : "", chr->service);
        vmx_file_set(out, vmx_key(key, prefix, "fileType"), "network");
        vmx_file_set(out, vmx_key(key, prefix, "fileName"), uri);
        vmx_file_set(out, vmx_key(key, prefix, "network.endPoint"), chr->listen ? "server" : "client");
        break;
    }
    case VMX_CHR_NULL:
        if (!serial)
            goto unsupported;
        /* what ESX writes for a network port nobody set up, and reads back as null */
        vmx_file_set(out, vmx_key(key, prefix, "fileType"), "network");
        vmx_file_set(out, vmx_key(key, prefix, "fileName"), "");
        break;
    }
    if (serial)
        vmx_file_set(out, vmx_key(key, prefix, "yieldOnMsrRead"), "true");
    return TRUE;

unsupported:
    g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                "element <%s>: type '%s' is not supported for VMware %s ports (dev, file)", kind,
                vmx_chr_type_name(chr->type), kind);
    return FALSE;
}

vmx_file *
vmx_file_from_domain(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, GError **error)
{
    g_autoptr(vmx_file) out = vmx_file_new();

    if (!ctx || !ctx->format_file_name) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "no file name mapper given (vmx_convert_ctx.format_file_name); use "
                    "vmx_offline_ctx_init() when there is no connection");
        return NULL;
    }
    if (!def->name || !*def->name) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "element <name>: the domain has no name");
        return NULL;
    }
    if (g_strcmp0(def->virt_type, "vmware") != 0) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "element <domain>: type must be 'vmware', found '%s'",
                    def->virt_type ? def->virt_type : "");
        return NULL;
    }
    if (hw_version < 4) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "virtual hardware version %d is not supported; use 4 or newer",
                    hw_version);
        return NULL;
    }
    if (def->secure_boot == VMX_TRISTATE_YES && def->firmware != VMX_FIRMWARE_EFI) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "element <os>: secure boot needs firmware='efi'");
        return NULL;
    }
    vmx_file_set(out, ".encoding", "UTF-8");
    vmx_file_set(out, "config.version", "8");
    setf(out, "virtualHW.version", "%d", hw_version);
    if (!format_identity(def, out, error) || !format_memory_cpu(def, out, error) || !format_graphics(def, out, error) ||
        !vmx_format_disks(def, ctx, hw_version, out, error) || !format_fss(def, out, error) ||
        !vmx_format_nets(def, hw_version, out, error) || !format_video(def, out, error))
        return NULL;
    if (hw_version >= 7) {
        /* libvirt adds the PCIe root ports when it wrote a SCSI controller */
        if (vmx_file_get(out, "scsi0.present") || vmx_file_get(out, "scsi1.present") ||
            vmx_file_get(out, "scsi2.present") || vmx_file_get(out, "scsi3.present")) {
            vmx_file_set(out, "pciBridge0.present", "true");
            for (int i = 4; i <= 7; i++) {
                char key[32];

                g_snprintf(key, sizeof(key), "pciBridge%d.present", i);
                vmx_file_set(out, key, "true");
                g_snprintf(key, sizeof(key), "pciBridge%d.virtualDev", i);
                vmx_file_set(out, key, "pcieRootPort");
                g_snprintf(key, sizeof(key), "pciBridge%d.functions", i);
                vmx_file_set(out, key, "8");
            }
        }
        vmx_file_set(out, "vmci0.present", "true");
    }
    for (guint i = 0; i < def->serials->len; i++) {
        if (!format_chr(ctx, def->serials->pdata[i], TRUE, out, error))
            return NULL;
    }
    for (guint i = 0; i < def->parallels->len; i++) {
        if (!format_chr(ctx, def->parallels->pdata[i], FALSE, out, error))
            return NULL;
    }
    if (def->firmware == VMX_FIRMWARE_EFI) {
        vmx_file_set(out, "firmware", "efi");
        if (def->secure_boot == VMX_TRISTATE_YES)
            vmx_file_set(out, "uefi.secureBoot.enabled", "true");
    }
    return g_steal_pointer(&out);
}

char *
vmx_from_domain(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, GError **error)
{
    g_autoptr(vmx_file) out = vmx_file_from_domain(def, ctx, hw_version, error);

    return out ? vmx_file_format(out, error) : NULL;
}
