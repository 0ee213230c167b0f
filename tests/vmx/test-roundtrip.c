/*
 * test-roundtrip.c: VMX -> model -> VMX over every convertible VMX file of
 * the corpus (test-roundtrip CORPUS_DIR; TAP output). Per file:
 *
 * 1. update, unchanged: vmx_file_update_from_domain(file, to_domain(file))
 *    keeps every key with its value, and the text byte for byte;
 * 2. update, changed: with more memory, a new description and one vCPU
 *    more, every key of the input is still there; only the keys that carry
 *    the change (memsize, annotation, numvcpus, sched.cpu.shares) differ;
 * 3. regenerate: vmx_from_domain(to_domain(file)) converts back to the same
 *    domain (the model survives a trip through VMX written from scratch;
 *    keys the model does not cover are not written, by design). Two things
 *    libvirt's formatter does on purpose are set aside: a static MAC outside
 *    VMware's ranges gets checkMACAddress = "false" (read back as
 *    check='no'), and a SCSI controller without disks is not written (read
 *    back, below a used one, without its model).
 */
#include "compare.h"
#include "vmx/vmx.h"

#include <stdio.h>
#include <string.h>

static int number, failures;

/* Undoes in @again what libvirt's formatter rules add or drop (see above),
 * so that the rest can be compared with @def. */
static void
set_aside_formatter_rules(const vmx_domain *def, vmx_domain *again)
{
    for (guint i = 0; i < def->nets->len && i < again->nets->len; i++) {
        const vmx_net *before = def->nets->pdata[i];
        vmx_net *after = again->nets->pdata[i];

        if (before->mac_type == VMX_MAC_TYPE_STATIC && before->mac_check == VMX_TRISTATE_ABSENT &&
            after->mac_check == VMX_TRISTATE_NO)
            after->mac_check = VMX_TRISTATE_ABSENT;
    }
    for (guint i = 0; i < again->controllers->len; i++) {
        vmx_controller *after = again->controllers->pdata[i];
        const vmx_controller *before =
            after->type == VMX_CONTROLLER_SCSI ? vmx_domain_find_controller(def, after->type, after->index) : NULL;

        if (before && after->model == VMX_SCSI_MODEL_NONE)
            after->model = before->model;
    }
}

static void
report(const char *name, const char *what, const char *problem)
{
    printf("%s %d - %s %s\n", problem ? "not ok" : "ok", ++number, name, what);
    if (problem) {
        printf("# %s\n", problem);
        failures++;
    }
}

/* NULL when every key of @in is in @out (with the same value unless
 * @changed lists the key); else what is wrong. */
static char *
keys_kept(const vmx_file *in, const vmx_file *out, const char *const *changed)
{
    for (guint i = 0; i < vmx_file_size(in); i++) {
        const char *key = vmx_file_key_at(in, i);
        const char *value = vmx_file_get(out, key);
        gboolean may_change = FALSE;

        for (const char *const *c = changed; c && *c; c++)
            may_change |= g_ascii_strcasecmp(*c, key) == 0;
        if (!value)
            return g_strdup_printf("key '%s' was lost", key);
        if (!may_change && strcmp(value, vmx_file_get(in, key)) != 0)
            return g_strdup_printf("key '%s' changed from \"%s\" to \"%s\"", key, vmx_file_get(in, key), value);
    }
    return NULL;
}

static void
run(const char *path, const char *name)
{
    vmx_offline_opts opts = { "[datastore] directory", NULL };
    vmx_convert_ctx ctx;
    gsize len;
    g_autofree char *text = test_read_file(path, &len);
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_file) in = vmx_file_parse(text, len, &error);
    g_autoptr(vmx_domain) def = NULL;
    g_autofree char *xml = NULL;
    int hw;

    vmx_offline_ctx_init(&ctx, &opts);
    if (!in)
        return;
    def = vmx_file_to_domain(in, &ctx, NULL);
    if (!def)
        return; /* the expected-failure inputs */
    hw = atoi(vmx_file_get(in, "virtualHW.version"));
    xml = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, &error);

    {
        g_autoptr(vmx_file) out = vmx_file_parse(text, len, &error);
        g_autofree char *problem = NULL;
        g_autofree char *formatted = NULL;

        if (!vmx_file_update_from_domain(out, def, &ctx, hw, &error)) {
            report(name, "update unchanged", error->message);
            return;
        }
        problem = keys_kept(in, out, NULL);
        formatted = vmx_file_format(out, &error);
        if (!problem && (strlen(formatted) != len || memcmp(formatted, text, len) != 0))
            problem = g_strdup("the text changed");
        report(name, "update unchanged", problem);
    }
    {
        static const char *const changed[] = {
            "memsize",          "sched.mem.max",      "annotation",           "numvcpus",
            "sched.cpu.shares", "sched.cpu.affinity", "cpuid.coresPerSocket", NULL,
        };
        g_autoptr(vmx_domain) modified = vmx_file_to_domain(in, &ctx, &error);
        g_autoptr(vmx_file) out = vmx_file_parse(text, len, &error);
        g_autofree char *problem = NULL;

        modified->memory_kib *= 2;
        modified->current_memory_kib *= 2;
        g_free(modified->description);
        modified->description = g_strdup("changed by the round trip test");
        if (!modified->cpuset) { /* an affinity set may be too small for more */
            if (modified->has_topology) {
                modified->sockets += 1;
                modified->vcpus += modified->cores;
            } else {
                modified->vcpus += 1;
            }
        }
        if (!vmx_file_update_from_domain(out, modified, &ctx, hw, &error)) {
            report(name, "update changed", error->message);
            return;
        }
        problem = keys_kept(in, out, changed);
        if (!problem && g_strcmp0(vmx_file_get(out, "annotation"), "changed by the round trip test") != 0)
            problem = g_strdup("the new description is missing");
        report(name, "update changed", problem);
    }
    {
        g_autofree char *regenerated = vmx_from_domain(def, &ctx, hw, &error);
        g_autoptr(vmx_domain) again = NULL;
        g_autofree char *xml_again = NULL;
        g_autofree char *diff = NULL;

        if (regenerated)
            again = vmx_to_domain(regenerated, strlen(regenerated), &ctx, &error);
        if (again) {
            set_aside_formatter_rules(def, again);
            xml_again = vmx_domain_format_xml_flags(again, VMX_XML_SECURE, &error);
        }
        if (!xml_again) {
            report(name, "regenerate", error->message);
            return;
        }
        /* the VMX written from scratch names files by absolute datastore
         * paths; compare through the same mapping */
        test_xml_equal(xml_again, xml, &diff);
        report(name, "regenerate", diff);
    }
}

int
main(int argc, char **argv)
{
    const char *root = g_getenv("HVD_VMXCORPUS") ? g_getenv("HVD_VMXCORPUS") : argv[1];
    g_autofree char *dir_path = NULL;
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    if (!root) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    dir_path = g_build_filename(root, "vmx2xml", NULL);
    dir = g_dir_open(dir_path, 0, NULL);
    while (dir && (entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".vmx"))
            g_ptr_array_add(names, g_strdup(entry));
    }
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(dir_path, names->pdata[i], NULL);

        run(path, names->pdata[i]);
    }
    if (number == 0) {
        fprintf(stderr, "no VMX files under %s\n", dir_path);
        return 1;
    }
    printf("1..%d\n", number);
    return failures ? 1 : 0;
}
