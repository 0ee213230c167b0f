/*
 * domain-xml-parse.c: domain XML -> the domain model. libxml2 runs with
 * network access off and without entity expansion; documents with a DTD are
 * refused outright. Elements the model does not cover (and that VMware cannot
 * express) are ignored as libvirt's VMX driver ignores them; values of
 * covered elements are checked and rejected with an error naming the
 * element.
 */
#include "vmx/internal.h"

#include <libxml/parser.h>
#include <string.h>

#include "xmlguard/xmlguard.h"

/* Attributes per element: libvirt's carry a dozen at most; libxml2 2.9
 * takes quadratic time over them, so more are refused before it parses. */
#define VMX_MAX_ATTRIBUTES 64

/* A size with libvirt's units (vmx_scale_integer(), default KiB), in KiB
 * rounded up as libvirt's virDomainParseMemory rounds. */
static gboolean
parse_kib(const xmlNode *node, const char *element, guint64 *out, GError **error)
{
    g_autofree char *unit = vmx_xml_prop(node, "unit");
    g_autofree char *value = vmx_xml_text(node);
    g_autoptr(GError) local = NULL;
    guint64 bytes;

    if (!vmx_parse_scaled(value, unit, 1024, G_MAXUINT64, &bytes, &local))
        return vmx_xml_bad(error, element, "%s", local->message);
    *out = bytes / 1024 + (bytes % 1024 != 0);
    if (*out > (G_GUINT64_CONSTANT(1) << 40))
        return vmx_xml_bad(error, element, "%s%s is larger than any VMware VM can have", value, unit ? unit : "KiB");
    return TRUE;
}

static gboolean
parse_memory(const xmlNode *root, vmx_domain *def, GError **error)
{
    xmlNode *node = vmx_xml_child(root, "memory");
    xmlNode *tune = vmx_xml_child(root, "memtune");

    if (!node)
        return vmx_xml_bad(error, "domain", "missing <memory>");
    if (!parse_kib(node, "memory", &def->memory_kib, error))
        return FALSE;
    node = vmx_xml_child(root, "currentMemory");
    if (node && !parse_kib(node, "currentMemory", &def->current_memory_kib, error))
        return FALSE;
    if (def->current_memory_kib == 0 || def->current_memory_kib > def->memory_kib)
        def->current_memory_kib = def->memory_kib;
    node = tune ? vmx_xml_child(tune, "min_guarantee") : NULL;
    if (node && !parse_kib(node, "min_guarantee", &def->min_guarantee_kib, error))
        return FALSE;
    return TRUE;
}

static gboolean
parse_vcpu(const xmlNode *root, vmx_domain *def, GError **error)
{
    xmlNode *node = vmx_xml_child(root, "vcpu");
    xmlNode *tune = vmx_xml_child(root, "cputune");
    xmlNode *cpu = vmx_xml_child(root, "cpu");
    g_autofree char *value = NULL;
    guint64 n;

    def->vcpus = 1;
    if (node) {
        value = g_strstrip(vmx_xml_text(node));
        if (!vmx_xml_parse_uint(value, 4096, &n) || n == 0)
            return vmx_xml_bad(error, "vcpu", "'%s' is not a number of CPUs (1..4096)", value);
        def->vcpus = (unsigned)n;
        if (!vmx_xml_uint_prop(node, "vcpu", "current", def->vcpus, 4096, &def->current_vcpus, error))
            return FALSE;
        g_free(value);
        value = vmx_xml_prop(node, "cpuset");
        if (value) {
            g_autoptr(GError) local = NULL;
            g_autoptr(GArray) cpus = vmx_cpuset_parse(value, &local);

            if (!cpus)
                return vmx_xml_bad(error, "vcpu", "attribute 'cpuset': %s", local->message);
            def->cpuset = cpus->len ? vmx_cpuset_format(cpus) : NULL;
        }
    }
    if (tune && vmx_xml_child(tune, "shares")) {
        g_autofree char *shares = vmx_xml_child_text(tune, "shares");

        if (!vmx_xml_parse_uint(shares, G_MAXUINT32, &def->shares))
            return vmx_xml_bad(error, "shares", "'%s' is not a number", shares);
        def->has_shares = TRUE;
    }
    node = cpu ? vmx_xml_child(cpu, "topology") : NULL;
    if (node) {
        def->has_topology = TRUE;
        if (!vmx_xml_uint_prop(node, "topology", "sockets", 1, 4096, &def->sockets, error) ||
            !vmx_xml_uint_prop(node, "topology", "dies", 1, 4096, &def->dies, error) ||
            !vmx_xml_uint_prop(node, "topology", "clusters", 1, 4096, &def->clusters, error) ||
            !vmx_xml_uint_prop(node, "topology", "cores", 1, 4096, &def->cores, error) ||
            !vmx_xml_uint_prop(node, "topology", "threads", 1, 4096, &def->threads, error))
            return FALSE;
        if (!def->sockets || !def->dies || !def->clusters || !def->cores || !def->threads)
            return vmx_xml_bad(error, "topology", "every count must be at least 1");
    }
    return TRUE;
}

static gboolean
parse_os(const xmlNode *root, vmx_domain *def, GError **error)
{
    xmlNode *os = vmx_xml_child(root, "os");
    xmlNode *node;
    g_autofree char *value = NULL;

    if (!os)
        return vmx_xml_bad(error, "domain", "missing <os>");
    value = vmx_xml_prop(os, "firmware");
    if (value) {
        if (strcmp(value, "efi") == 0)
            def->firmware = VMX_FIRMWARE_EFI;
        else if (strcmp(value, "bios") == 0)
            def->firmware = VMX_FIRMWARE_BIOS;
        else
            return vmx_xml_bad(error, "os", "firmware '%s' is neither 'efi' nor 'bios'", value);
    }
    node = vmx_xml_child(os, "type");
    if (!node)
        return vmx_xml_bad(error, "os", "missing <type>");
    def->os_type = g_strstrip(vmx_xml_text(node));
    def->machine = vmx_xml_prop(node, "machine");
    g_free(value);
    value = vmx_xml_prop(node, "arch");
    if (!value)
        def->arch = VMX_ARCH_NONE;
    else if (strcmp(value, "i686") == 0)
        def->arch = VMX_ARCH_I686;
    else if (strcmp(value, "x86_64") == 0)
        def->arch = VMX_ARCH_X86_64;
    else
        return vmx_xml_bad(error, "type", "arch '%s' cannot run on VMware (i686 or x86_64)", value);
    for (xmlNode *c = os->children; c; c = c->next) {
        if (vmx_xml_is_elem(c, "boot")) {
            char *dev = vmx_xml_prop(c, "dev");

            if (!dev)
                return vmx_xml_bad(error, "boot", "missing attribute 'dev'");
            g_ptr_array_add(def->boot_devs, dev);
        } else if (vmx_xml_is_elem(c, "smbios")) {
            g_free(value);
            value = vmx_xml_prop(c, "mode");
            if (g_strcmp0(value, "emulate") == 0)
                def->smbios_mode = VMX_SMBIOS_EMULATE;
            else if (g_strcmp0(value, "host") == 0)
                def->smbios_mode = VMX_SMBIOS_HOST;
            else if (g_strcmp0(value, "sysinfo") == 0)
                def->smbios_mode = VMX_SMBIOS_SYSINFO;
            else
                return vmx_xml_bad(error, "smbios", "mode '%s' is not emulate, host or sysinfo", value ? value : "");
        } else if (vmx_xml_is_elem(c, "firmware")) {
            for (xmlNode *f = c->children; f; f = f->next) {
                g_autofree char *name = vmx_xml_is_elem(f, "feature") ? vmx_xml_prop(f, "name") : NULL;
                g_autofree char *enabled = name ? vmx_xml_prop(f, "enabled") : NULL;
                gboolean on;

                vmx_tristate *feature = g_strcmp0(name, "secure-boot") == 0     ? &def->secure_boot
                                        : g_strcmp0(name, "enrolled-keys") == 0 ? &def->enrolled_keys
                                                                                : NULL;

                if (!feature)
                    continue;
                if (!vmx_xml_yes_no(enabled, &on))
                    return vmx_xml_bad(error, "feature", "attribute 'enabled' must be yes or no");
                *feature = on ? VMX_TRISTATE_YES : VMX_TRISTATE_NO;
            }
        } else if (vmx_xml_is_elem(c, "loader")) {
            g_autofree char *secure = vmx_xml_prop(c, "secure");
            gboolean on;

            if (secure && vmx_xml_yes_no(secure, &on) && def->secure_boot == VMX_TRISTATE_ABSENT)
                def->secure_boot = on ? VMX_TRISTATE_YES : VMX_TRISTATE_NO;
        }
    }
    return TRUE;
}

static gboolean
parse_lifecycle(const xmlNode *root, vmx_domain *def, GError **error)
{
    xmlNode *clock = vmx_xml_child(root, "clock");

    def->clock_offset = vmx_xml_prop(clock, "offset");
    def->on_poweroff = vmx_xml_child_text(root, "on_poweroff");
    def->on_reboot = vmx_xml_child_text(root, "on_reboot");
    def->on_crash = vmx_xml_child_text(root, "on_crash");
    return TRUE;
}

/* Elements the model reads once, as PARENT/CHILD. libvirt reads the first
 * of two copies of some and the last of others; we refuse a second copy of
 * any of these, so a document cannot mean one thing here and another there. */
static const char *const single_elements[] = {
    "domain/name",
    "domain/uuid",
    "domain/genid",
    "domain/title",
    "domain/description",
    "domain/memory",
    "domain/currentMemory",
    "domain/memtune",
    "domain/vcpu",
    "domain/cputune",
    "domain/cpu",
    "domain/os",
    "domain/clock",
    "domain/on_poweroff",
    "domain/on_reboot",
    "domain/on_crash",
    "domain/devices",
    "domain/vmware:datacenterpath",
    "domain/vmware:moref",
    "memtune/min_guarantee",
    "cputune/shares",
    "cpu/topology",
    "os/type",
    "os/smbios",
    "os/firmware",
    "os/loader",
    "disk/target",
    "disk/source",
    "disk/driver",
    "disk/address",
    "disk/readonly",
    "disk/transient",
    "interface/mac",
    "interface/source",
    "interface/model",
    "interface/target",
    "serial/source",
    "serial/protocol",
    "serial/target",
    "parallel/source",
    "parallel/protocol",
    "parallel/target",
    "video/model",
    "filesystem/source",
    "filesystem/target",
    "filesystem/readonly",
    NULL,
};

static gboolean
is_single(const char *parent, const xmlNode *child)
{
    g_autofree char *key =
        g_strdup_printf("%s/%s%s", parent, vmx_xml_is_vmware_elem(child, (const char *)child->name) ? "vmware:" : "",
                        (const char *)child->name);

    return g_strv_contains(single_elements, key);
}

/* Refuses a second copy of a single element, down to the children of
 * devices (depth 3). */
static gboolean
check_single(const xmlNode *node, int depth, GError **error)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_single((const char *)node->name, c)) {
            for (const xmlNode *d = c->next; d; d = d->next) {
                if (d->type == XML_ELEMENT_NODE && xmlStrEqual(d->name, c->name) &&
                    vmx_xml_is_vmware_elem(d, (const char *)d->name) ==
                        vmx_xml_is_vmware_elem(c, (const char *)c->name))
                    return vmx_xml_bad(error, (const char *)node->name,
                                       "<%s> is given a second time (line %ld); give it once", (const char *)c->name,
                                       (long)xmlGetLineNo(d));
            }
        }
        if (depth < 3 && !check_single(c, depth + 1, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
vmx_domain_parse_root(const xmlNode *root, vmx_domain *def, GError **error)
{
    g_autofree char *value = NULL;
    xmlNode *node;

    if (!check_single(root, 1, error))
        return FALSE;
    def->virt_type = vmx_xml_prop(root, "type");
    if (!def->virt_type)
        return vmx_xml_bad(error, "domain", "missing attribute 'type' (use type='vmware')");
    def->name = vmx_xml_child_text(root, "name");
    if (!def->name || !*def->name)
        return vmx_xml_bad(error, "name", "a domain needs a non-empty <name>");
    value = vmx_xml_child_text(root, "uuid");
    if (value) {
        if (!vmx_uuid_parse(value, def->uuid))
            return vmx_xml_bad(error, "uuid", "'%s' is not a UUID", value);
    } else {
        /* libvirt makes one up, and so do we */
        g_autofree char *random = g_uuid_string_random();

        vmx_uuid_parse(random, def->uuid);
    }
    node = vmx_xml_child(root, "genid");
    if (node) {
        g_autofree char *genid = g_strstrip(vmx_xml_text(node));

        def->has_genid = TRUE;
        if (!*genid) {
            g_autofree char *random = g_uuid_string_random();

            vmx_uuid_parse(random, def->genid);
        } else if (!vmx_uuid_parse(genid, def->genid)) {
            return vmx_xml_bad(error, "genid", "'%s' is not a UUID", genid);
        }
    }
    node = vmx_xml_child(root, "description");
    if (node)
        def->description = vmx_xml_text(node);
    if (!parse_memory(root, def, error) || !parse_vcpu(root, def, error) || !parse_os(root, def, error) ||
        !parse_lifecycle(root, def, error))
        return FALSE;
    for (xmlNode *c = root->children; c; c = c->next) {
        if (vmx_xml_is_vmware_elem(c, "datacenterpath")) {
            g_free(def->datacenter_path);
            def->datacenter_path = g_strstrip(vmx_xml_text(c));
        } else if (vmx_xml_is_vmware_elem(c, "moref")) {
            g_free(def->moref);
            def->moref = g_strstrip(vmx_xml_text(c));
        }
    }
    node = vmx_xml_child(root, "devices");
    return !node || vmx_xml_parse_devices(node, def, error);
}

vmx_domain *
vmx_domain_parse_xml(const char *xml, GError **error)
{
    g_autoptr(vmx_domain) def = vmx_domain_new();
    xmlDoc *doc;
    xmlNode *root;
    gboolean ok = FALSE;

    if (!xml) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "no domain XML given");
        return NULL;
    }
    g_autofree char *guard = xmlguard_check(xml, strlen(xml), VMX_MAX_ATTRIBUTES);
    if (guard) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "domain XML refused before parsing: %s", guard);
        return NULL;
    }
    doc = xmlReadMemory(xml, (int)MIN(strlen(xml), (size_t)G_MAXINT), "domain.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();

        if (e && e->message)
            g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "malformed domain XML (line %d): %s", e->line,
                        g_strchomp(e->message));
        else
            g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "malformed domain XML");
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    if (doc->intSubset || doc->extSubset) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "domain XML with a <!DOCTYPE> is refused (no DTDs or entities)");
    } else if (!root || !vmx_xml_is_elem(root, "domain")) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_XML, "the root element must be <domain>, found <%s>",
                    root ? (const char *)root->name : "");
    } else {
        ok = vmx_domain_parse_root(root, def, error);
    }
    xmlFreeDoc(doc);
    return ok ? g_steal_pointer(&def) : NULL;
}
