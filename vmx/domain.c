/*
 * domain.c: allocation of the domain model and small value helpers.
 */
#include "vmx/internal.h"

#include <string.h>

vmx_controller *
vmx_domain_find_controller(const vmx_domain *def, vmx_controller_type type, unsigned index)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        vmx_controller *c = def->controllers->pdata[i];

        if (c->type == type && c->index == index)
            return c;
    }
    return NULL;
}

vmx_disk *
vmx_disk_new(void)
{
    return g_new0(vmx_disk, 1);
}

void
vmx_disk_free(vmx_disk *disk)
{
    if (!disk)
        return;
    g_free(disk->src);
    g_free(disk->dst);
    g_free(disk->cache_name);
    g_free(disk->driver_name);
    g_free(disk);
}

vmx_net *
vmx_net_new(void)
{
    return g_new0(vmx_net, 1);
}

void
vmx_net_free(vmx_net *net)
{
    if (!net)
        return;
    g_free(net->source);
    g_free(net->ifname);
    g_free(net->model);
    g_free(net->port_id);
    g_free(net->portgroup_id);
    g_free(net->connection_id);
    g_free(net);
}

vmx_chr *
vmx_chr_new(void)
{
    return g_new0(vmx_chr, 1);
}

void
vmx_chr_free(vmx_chr *chr)
{
    if (!chr)
        return;
    g_free(chr->path);
    g_free(chr->host);
    g_free(chr->service);
    g_free(chr);
}

static void
fs_free(gpointer p)
{
    vmx_fs *fs = p;

    g_free(fs->src);
    g_free(fs->dst);
    g_free(fs);
}

static void
graphics_free(gpointer p)
{
    vmx_graphics *g = p;

    g_free(g->listen);
    g_free(g->keymap);
    if (g->passwd) {
        memset(g->passwd, 0, strlen(g->passwd));
        g_free(g->passwd);
    }
    g_free(g);
}

static void
video_free(gpointer p)
{
    vmx_video *v = p;

    g_free(v->model);
    g_free(v);
}

vmx_domain *
vmx_domain_new(void)
{
    vmx_domain *def = g_new0(vmx_domain, 1);

    def->boot_devs = g_ptr_array_new_with_free_func(g_free);
    def->disks = g_ptr_array_new_with_free_func((GDestroyNotify)vmx_disk_free);
    def->controllers = g_ptr_array_new_with_free_func(g_free);
    def->fss = g_ptr_array_new_with_free_func(fs_free);
    def->nets = g_ptr_array_new_with_free_func((GDestroyNotify)vmx_net_free);
    def->graphics = g_ptr_array_new_with_free_func(graphics_free);
    def->videos = g_ptr_array_new_with_free_func(video_free);
    def->serials = g_ptr_array_new_with_free_func((GDestroyNotify)vmx_chr_free);
    def->parallels = g_ptr_array_new_with_free_func((GDestroyNotify)vmx_chr_free);
    return def;
}

void
vmx_domain_free(vmx_domain *def)
{
    if (!def)
        return;
    g_free(def->virt_type);
    g_free(def->name);
    g_free(def->description);
    g_free(def->cpuset);
    g_free(def->os_type);
    g_free(def->machine);
    g_free(def->clock_offset);
    g_free(def->on_poweroff);
    g_free(def->on_reboot);
    g_free(def->on_crash);
    g_free(def->datacenter_path);
    g_free(def->moref);
    g_ptr_array_unref(def->boot_devs);
    g_ptr_array_unref(def->disks);
    g_ptr_array_unref(def->controllers);
    g_ptr_array_unref(def->fss);
    g_ptr_array_unref(def->nets);
    g_ptr_array_unref(def->graphics);
    g_ptr_array_unref(def->videos);
    g_ptr_array_unref(def->serials);
    g_ptr_array_unref(def->parallels);
    g_free(def);
}

char *
vmx_disk_index_to_name(unsigned index, const char *prefix)
{
    char suffix[16];
    int pos = sizeof(suffix) - 1;
    long idx = index;

    suffix[pos] = '\0';
    do {
        suffix[--pos] = (char)('a' + idx % 26);
        idx = idx / 26 - 1;
    } while (idx >= 0 && pos > 0);
    return g_strconcat(prefix, suffix + pos, NULL);
}

int
vmx_disk_name_to_index(const char *name)
{
    static const char *const prefixes[] = { "sd", "hd", "fd", "vd" };
    const char *p = NULL;
    long idx = 0;
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(name, prefixes[i])) {
            p = name + strlen(prefixes[i]);
            break;
        }
    }
    if (!p)
        return -1;
    for (; *p >= 'a' && *p <= 'z'; p++, n++) {
        if (n >= 6)
            return -1;
        idx = (idx + (n > 0 ? 1 : 0)) * 26 + (*p - 'a');
    }
    if (n == 0)
        return -1;
    /* a partition number may follow; nothing else */
    for (; *p; p++) {
        if (!g_ascii_isdigit(*p))
            return -1;
    }
    return (int)idx;
}

gboolean
vmx_parse_mac(const char *text, uint8_t mac[6])
{
    const char *p = text;

    for (int i = 0; i < 6; i++) {
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
            return FALSE;
        mac[i] = (uint8_t)(g_ascii_xdigit_value(p[0]) * 16 + g_ascii_xdigit_value(p[1]));
        p += 2;
        if (i < 5) {
            if (*p != ':' && *p != '-')
                return FALSE;
            p++;
        }
    }
    return *p == '\0';
}

/* cpusets: "0-2,5,^1" <-> sorted CPU numbers */

GArray *
vmx_cpuset_parse(const char *text, GError **error)
{
    g_autoptr(GArray) cpus = g_array_new(FALSE, FALSE, sizeof(unsigned));
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    g_autoptr(GHashTable) set = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTableIter iter;
    gpointer key;

    for (char **part = parts; *part; part++) {
        const char *p = g_strstrip(*part);
        gboolean negate = FALSE;
        guint64 first, last;
        char *end;

        if (*p == '^') {
            negate = TRUE;
            p++;
        }
        if (!g_ascii_isdigit(*p))
            goto bad;
        first = last = g_ascii_strtoull(p, &end, 10);
        if (*end == '-' && !negate) {
            if (!g_ascii_isdigit(end[1]))
                goto bad;
            last = g_ascii_strtoull(end + 1, &end, 10);
        }
        if (*end != '\0' || last < first || last >= 4096)
            goto bad;
        for (guint64 cpu = first; cpu <= last; cpu++) {
            if (negate)
                g_hash_table_remove(set, GUINT_TO_POINTER((guint)cpu + 1));
            else
                g_hash_table_add(set, GUINT_TO_POINTER((guint)cpu + 1));
        }
    }
    g_hash_table_iter_init(&iter, set);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        unsigned cpu = GPOINTER_TO_UINT(key) - 1;

        g_array_append_val(cpus, cpu);
    }
    g_array_sort(cpus, (GCompareFunc)vmx_compare_uint);
    return g_steal_pointer(&cpus);

bad:
    g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                "cpuset '%s' is not a list of CPU numbers and ranges like '0-2,5' (0..4095)", text);
    return NULL;
}

int
vmx_compare_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

    return x < y ? -1 : x > y;
}

char *
vmx_cpuset_format(const GArray *cpus)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < cpus->len;) {
        unsigned first = g_array_index(cpus, unsigned, i);
        guint j = i;

        while (j + 1 < cpus->len && g_array_index(cpus, unsigned, j + 1) == g_array_index(cpus, unsigned, j) + 1)
            j++;
        if (out->len)
            g_string_append_c(out, ',');
        if (j > i)
            g_string_append_printf(out, "%u-%u", first, g_array_index(cpus, unsigned, j));
        else
            g_string_append_printf(out, "%u", first);
        i = j + 1;
    }
    return g_string_free(out, FALSE);
}

void
vmx_uuid_format(const uint8_t uuid[16], char out[37])
{
    g_snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0], uuid[1],
               uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10], uuid[11], uuid[12],
               uuid[13], uuid[14], uuid[15]);
}

/* Accepts the XML form (with or without dashes) and VMware's
 * "56 4d 9b ef ac d9 b4 e0-c8 f0 ae a8 b9 10 35 15": 32 hex digits with
 * spaces and dashes anywhere between byte pairs. */
gboolean
vmx_uuid_parse(const char *text, uint8_t uuid[16])
{
    const char *p = text;

    while (*p == ' ')
        p++;
    for (int i = 0; i < 16; i++) {
        while (*p == ' ' || *p == '-')
            p++;
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
            return FALSE;
        uuid[i] = (uint8_t)(g_ascii_xdigit_value(p[0]) * 16 + g_ascii_xdigit_value(p[1]));
        p += 2;
    }
    while (*p == ' ')
        p++;
    return *p == '\0';
}

const char *
vmx_scsi_model_xml_name(vmx_scsi_model model)
{
    static const char *const names[] = {
        [VMX_SCSI_MODEL_NONE] = NULL,
        [VMX_SCSI_MODEL_AUTO] = "auto",
        [VMX_SCSI_MODEL_BUSLOGIC] = "buslogic",
        [VMX_SCSI_MODEL_LSILOGIC] = "lsilogic",
        [VMX_SCSI_MODEL_LSISAS1068] = "lsisas1068",
        [VMX_SCSI_MODEL_VMPVSCSI] = "vmpvscsi",
    };
    return (unsigned)model < G_N_ELEMENTS(names) ? names[model] : NULL;
}

const char *
vmx_disk_bus_name(vmx_disk_bus bus)
{
    static const char *const names[] = { "scsi", "ide", "fdc", "sata", "nvme" };
    return (unsigned)bus < G_N_ELEMENTS(names) ? names[bus] : "?";
}

const char *
vmx_disk_device_name(vmx_disk_device device)
{
    static const char *const names[] = { "disk", "cdrom", "floppy", "lun" };
    return (unsigned)device < G_N_ELEMENTS(names) ? names[device] : "?";
}

const char *
vmx_controller_type_name(vmx_controller_type type)
{
    static const char *const names[] = { "scsi", "ide", "fdc", "sata", "nvme" };
    return (unsigned)type < G_N_ELEMENTS(names) ? names[type] : "?";
}

const char *
vmx_net_type_name(vmx_net_type type)
{
    static const char *const names[] = { "bridge", "user", "network", "vds", "null" };
    return (unsigned)type < G_N_ELEMENTS(names) ? names[type] : "?";
}

const char *
vmx_chr_type_name(vmx_chr_type type)
{
    static const char *const names[] = { "dev", "file", "pipe", "tcp", "null" };
    return (unsigned)type < G_N_ELEMENTS(names) ? names[type] : "?";
}

const char *
vmx_tcp_protocol_name(vmx_tcp_protocol protocol)
{
    static const char *const names[] = { "raw", "telnet", "telnets", "tls" };
    return (unsigned)protocol < G_N_ELEMENTS(names) ? names[protocol] : "?";
}

static gboolean
nvme_name_parse(const char *dst, unsigned *controller, unsigned *unit)
{
    guint64 c, n;
    char *end;

    if (!g_str_has_prefix(dst, "nvme") || !g_ascii_isdigit(dst[4]))
        return FALSE;
    c = g_ascii_strtoull(dst + 4, &end, 10);
    if (*end != 'n' || !g_ascii_isdigit(end[1]))
        return FALSE;
    n = g_ascii_strtoull(end + 1, &end, 10);
    if (*end != '\0' || c > 3 || n < 1 || n > 15)
        return FALSE;
    *controller = (unsigned)c;
    *unit = (unsigned)n - 1;
    return TRUE;
}

gboolean
vmx_disk_address_from_name(vmx_disk_bus bus, const char *dst, unsigned *controller, unsigned *bus_index, unsigned *unit)
{
    int idx;

    *controller = *bus_index = *unit = 0;
    if (bus == VMX_DISK_BUS_NVME)
        return nvme_name_parse(dst, controller, unit);
    idx = vmx_disk_name_to_index(dst);
    if (idx < 0)
        return FALSE;
    switch (bus) {
    case VMX_DISK_BUS_SCSI:
        *controller = idx / 15;
        *unit = idx % 15;
        if (*unit >= 7)
            (*unit)++;
        return TRUE;
    case VMX_DISK_BUS_IDE:
        *bus_index = idx / 2;
        *unit = idx % 2;
        return TRUE;
    case VMX_DISK_BUS_FDC: *unit = idx; return TRUE;
    case VMX_DISK_BUS_SATA:
        *controller = idx / 30;
        *unit = idx % 30;
        return TRUE;
    case VMX_DISK_BUS_NVME: break;
    }
    return FALSE;
}

/* libvirt's names on the superwide SCSI bus of virtual hardware 13 and
 * later: 64 disks per controller (units 0..64 but 7). */
char *
vmx_scsi_superwide_disk_name(unsigned controller, unsigned unit)
{
    return vmx_disk_index_to_name(controller * 64 + (unit < 7 ? unit : unit - 1), "sd");
}

char *
vmx_disk_name_from_address(vmx_disk_bus bus, unsigned controller, unsigned bus_index, unsigned unit)
{
    switch (bus) {
    case VMX_DISK_BUS_SCSI: return vmx_disk_index_to_name(controller * 15 + (unit < 7 ? unit : unit - 1), "sd");
    case VMX_DISK_BUS_IDE: return vmx_disk_index_to_name(bus_index * 2 + unit, "hd");
    case VMX_DISK_BUS_FDC: return vmx_disk_index_to_name(unit, "fd");
    case VMX_DISK_BUS_SATA: return vmx_disk_index_to_name(controller * 30 + unit, "sd");
    case VMX_DISK_BUS_NVME: return g_strdup_printf("nvme%un%u", controller, unit + 1);
    }
    return NULL;
}
