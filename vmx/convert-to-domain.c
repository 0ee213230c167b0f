/*
 * convert-to-domain.c: VMX -> domain model, the settings of the whole VM
 * (name, memory, CPUs, OS). Devices are in convert-to-devices.c.
 */
#include "vmx/internal.h"

#include <string.h>

static gboolean
parse_versions(const vmx_file *file, GError **error)
{
    gint64 config_version, hw_version;

    if (!vmx_file_get(file, "config.version")) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "the VMX file has no 'config.version' entry; is this a VMX file?");
        return FALSE;
    }
    if (!vmx_get_long(file, "config.version", 0, &config_version, error))
        return FALSE;
    if (config_version != 8) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "VMX entry 'config.version' must be 8, found %" G_GINT64_FORMAT, config_version);
        return FALSE;
    }
    if (!vmx_file_get(file, "virtualHW.version")) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "the VMX file has no 'virtualHW.version' entry");
        return FALSE;
    }
    if (!vmx_get_long(file, "virtualHW.version", 0, &hw_version, error))
        return FALSE;
    if (hw_version < 4) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "VMX entry 'virtualHW.version' must be 4 or newer, found %" G_GINT64_FORMAT, hw_version);
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_identity(const vmx_file *file, vmx_domain *def, GError **error)
{
    const char *value;
    gint64 genid = 0, genid_x = 0;

    value = vmx_file_get(file, "uuid.bios");
    if (value && !vmx_uuid_parse(value, def->uuid)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "VMX entry 'uuid.bios' is not a UUID: \"%s\"", value);
        return FALSE;
    }
    value = vmx_file_get(file, "displayName");
    if (!value) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "the VMX file has no 'displayName' entry; a domain needs a name");
        return FALSE;
    }
    def->name = vmx_unescape_display_name(value);
    if (!def->name) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "VMX entry 'displayName' has an invalid escape sequence: \"%s\"", value);
        return FALSE;
    }
    value = vmx_file_get(file, "annotation");
    if (value) {
        def->description = vmx_unescape_annotation(value);
        if (!def->description) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "VMX entry 'annotation' has an invalid escape sequence");
            return FALSE;
        }
    }
    /* vm.genid/vm.genidX are the two signed 64-bit halves of the generation
     * ID; libvirt's <genid> is their 16 hex digits each, vm.genid first
     * (its "%.16llx%.16llx"): both halves big-endian. */
    if (!vmx_get_long(file, "vm.genid", 0, &genid, error) || !vmx_get_long(file, "vm.genidX", 0, &genid_x, error))
        return FALSE;
    if (genid != 0 || genid_x != 0) {
        guint64 lo = (guint64)genid, hi = (guint64)genid_x;

        def->has_genid = TRUE;
        for (int i = 0; i < 8; i++) {
            def->genid[i] = (uint8_t)(lo >> (56 - 8 * i));
            def->genid[8 + i] = (uint8_t)(hi >> (56 - 8 * i));
        }
    }
    return TRUE;
}

static gboolean
parse_memory(const vmx_file *file, vmx_domain *def, GError **error)
{
    gint64 memsize, mem_max, minsize;

    if (!vmx_get_long(file, "memsize", 32, &memsize, error))
        return FALSE;
    if (memsize <= 0 || memsize % 4 != 0 || memsize > G_MAXINT64 / 1024) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "VMX entry 'memsize' must be a positive multiple of 4 (MiB), found %" G_GINT64_FORMAT, memsize);
        return FALSE;
    }
    def->memory_kib = (guint64)memsize * 1024;
    if (!vmx_get_long(file, "sched.mem.max", memsize, &mem_max, error))
        return FALSE;
    if (mem_max < 0 || mem_max > memsize)
        mem_max = memsize;
    def->current_memory_kib = (guint64)mem_max * 1024;
    if (!vmx_get_long(file, "sched.mem.minsize", 0, &minsize, error))
        return FALSE;
    if (minsize < 0)
        minsize = 0;
    if (minsize > memsize)
        minsize = memsize;
    def->min_guarantee_kib = (guint64)minsize * 1024;
    return TRUE;
}

static gboolean
parse_cpus(const vmx_file *file, vmx_domain *def, GError **error)
{
    gint64 numvcpus, cores;
    const char *value;

    if (!vmx_get_long(file, "numvcpus", 1, &numvcpus, error))
        return FALSE;
    if (numvcpus <= 0 || numvcpus > 4096) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "VMX entry 'numvcpus' must be a positive number of CPUs, found %" G_GINT64_FORMAT, numvcpus);
        return FALSE;
    }
    def->vcpus = (unsigned)numvcpus;

    if (!vmx_get_long(file, "cpuid.coresPerSocket", 1, &cores, error))
        return FALSE;
    if (cores > 1) {
        if (cores > numvcpus || numvcpus % cores != 0) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "VMX entry 'numvcpus' (%" G_GINT64_FORMAT ") must be a multiple of "
                        "'cpuid.coresPerSocket' (%" G_GINT64_FORMAT ")",
                        numvcpus, cores);
            return FALSE;
        }
        def->has_topology = TRUE;
        def->sockets = (unsigned)(numvcpus / cores);
        def->dies = 1;
        def->clusters = 1;
        def->cores = (unsigned)cores;
        def->threads = 1;
    }

    value = vmx_file_get(file, "sched.cpu.affinity");
    if (value && g_ascii_strcasecmp(value, "all") != 0) {
        g_autoptr(GError) local = NULL;
        g_autoptr(GArray) cpus = vmx_cpuset_parse(value, &local);

        if (!cpus || cpus->len == 0) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "VMX entry 'sched.cpu.affinity' must be a comma separated list of "
                        "CPU numbers, found \"%s\"",
                        value);
            return FALSE;
        }
        if (cpus->len < def->vcpus) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "VMX entry 'sched.cpu.affinity' lists %u CPU(s), fewer than "
                        "'numvcpus' (%u)",
                        cpus->len, def->vcpus);
            return FALSE;
        }
        def->cpuset = vmx_cpuset_format(cpus);
    }

    value = vmx_file_get(file, "sched.cpu.shares");
    if (value) {
        char *end;

        def->has_shares = TRUE;
        if (g_ascii_strcasecmp(value, "low") == 0) {
            def->shares = def->vcpus * 500ULL;
        } else if (g_ascii_strcasecmp(value, "normal") == 0) {
            def->shares = def->vcpus * 1000ULL;
        } else if (g_ascii_strcasecmp(value, "high") == 0) {
            def->shares = def->vcpus * 2000ULL;
        } else {
            def->shares = g_ascii_strtoull(value, &end, 10);
            if (!g_ascii_isdigit(*value) || *end != '\0') {
                g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                            "VMX entry 'sched.cpu.shares' must be a number or 'low', "
                            "'normal' or 'high', found \"%s\"",
                            value);
                return FALSE;
            }
        }
    }
    return TRUE;
}

static gboolean
parse_os(const vmx_file *file, vmx_domain *def, GError **error)
{
    const char *value;
    gboolean flag;

    def->os_type = g_strdup("hvm");
    value = vmx_file_get(file, "guestOS");
    def->arch = value && vmx_str_has_suffix_ci(value, "-64") ? VMX_ARCH_X86_64 : VMX_ARCH_I686;
    if (!vmx_get_bool(file, "smbios.reflecthost", FALSE, &flag, error))
        return FALSE;
    if (flag)
        def->smbios_mode = VMX_SMBIOS_HOST;
    value = vmx_file_get(file, "firmware");
    if (value && g_ascii_strcasecmp(value, "efi") == 0) {
        def->firmware = VMX_FIRMWARE_EFI;
        if (!vmx_get_bool(file, "uefi.secureBoot.enabled", FALSE, &flag, error))
            return FALSE;
        /* libvirt: secure boot with the keys VMware's firmware enrols */
        if (flag)
            def->secure_boot = def->enrolled_keys = VMX_TRISTATE_YES;
    }
    def->clock_offset = g_strdup("utc");
    def->on_poweroff = g_strdup("destroy");
    def->on_reboot = g_strdup("restart");
    def->on_crash = g_strdup("destroy");
    return TRUE;
}

static gboolean
parse_video(const vmx_file *file, vmx_domain *def, GError **error)
{
    vmx_video *video;
    gint64 vram;

    if (!vmx_get_long(file, "svga.vramSize", 4 * 1024 * 1024, &vram, error))
        return FALSE;
    if (vram < 0 || vram > (gint64)G_MAXUINT * 1024) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "VMX entry 'svga.vramSize' must be a size in bytes, found %" G_GINT64_FORMAT, vram);
        return FALSE;
    }
    video = g_new0(vmx_video, 1);
    video->model = g_strdup("vmvga");
    video->vram_kib = (unsigned)((vram + 1023) / 1024);
    video->primary = TRUE;
    g_ptr_array_add(def->videos, video);
    return TRUE;
}

vmx_domain *
vmx_file_to_domain(const vmx_file *file, const vmx_convert_ctx *ctx, GError **error)
{
    g_autoptr(vmx_domain) def = vmx_domain_new();

    if (!ctx || !ctx->parse_file_name) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "no file name mapper given (vmx_convert_ctx.parse_file_name); use "
                    "vmx_offline_ctx_init() when there is no connection");
        return NULL;
    }
    def->virt_type = g_strdup("vmware");
    if (!parse_versions(file, error) || !parse_identity(file, def, error) || !parse_memory(file, def, error) ||
        !parse_cpus(file, def, error) || !parse_os(file, def, error) || !vmx_parse_vnc(file, def, error) ||
        !vmx_parse_disks(file, ctx, def, error) || !vmx_parse_fss(file, def, error) ||
        !vmx_parse_nets(file, def, error) || !parse_video(file, def, error) || !vmx_parse_chrs(file, ctx, def, error))
        return NULL;
    def->datacenter_path = g_strdup(ctx->datacenter_path);
    def->moref = g_strdup(ctx->moref);
    return g_steal_pointer(&def);
}

vmx_domain *
vmx_to_domain(const char *vmx_text, gssize len, const vmx_convert_ctx *ctx, GError **error)
{
    g_autoptr(vmx_file) file = NULL;

    if (!vmx_text) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX, "no VMX text given");
        return NULL;
    }
    file = vmx_file_parse(vmx_text, len < 0 ? strlen(vmx_text) : (gsize)len, error);

    if (!file)
        return NULL;
    return vmx_file_to_domain(file, ctx, error);
}

gboolean
vmx_file_summary(const vmx_file *file, vmx_summary *out, GError **error)
{
    const char *value;
    gint64 memsize, numvcpus;

    memset(out, 0, sizeof(*out));
    value = vmx_file_get(file, "uuid.bios");
    if (value)
        out->has_uuid = vmx_uuid_parse(value, out->uuid);
    value = vmx_file_get(file, "displayName");
    out->name = value ? vmx_unescape_display_name(value) : NULL;
    if (!vmx_get_long(file, "memsize", 32, &memsize, error) || !vmx_get_long(file, "numvcpus", 1, &numvcpus, error)) {
        vmx_summary_clear(out);
        return FALSE;
    }
    out->memory_kib = memsize > 0 ? (guint64)memsize * 1024 : 0;
    out->vcpus = numvcpus > 0 && numvcpus <= 4096 ? (unsigned)numvcpus : 1;
    return TRUE;
}

void
vmx_summary_clear(vmx_summary *summary)
{
    g_clear_pointer(&summary->name, g_free);
}
