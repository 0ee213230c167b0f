/*
 * test-corpus.c: the VMX <-> domain XML conformance corpus.
 *
 *   test-corpus --corpus DIR --overrides DIR [CASE...]
 *   test-corpus --own DIR [CASE...]
 *
 * DIR holds vmx2xml/ and xml2vmx/ (libvirt's test data); the environment
 * variable HVD_VMXCORPUS replaces --corpus. Without CASE every case in the
 * folders is run, so dropping two files in adds a case. --own DIR runs the
 * project's own cases (tests/data/vmx/own): DIR is both the corpus and its
 * overrides (the .error files of inputs that must fail live beside them),
 * and HVD_VMXCORPUS does not replace it. A case is
 * "vmx2xml/NAME" or "xml2vmx/xml2vmx-NAME". Output is TAP.
 *
 * Rules (see the corpus README and tests/data/vmx/README.md):
 * - vmx2xml/NAME.vmx + NAME.xml: convert offline with the VMX file at
 *   "[datastore] directory"; the datacenter path is the expected file's
 *   <vmware:datacenterpath> (the caller's input), compared semantically.
 * - vmx2xml/NAME.vmx alone: must fail; overrides/vmx2xml/NAME.error holds a
 *   text the message must contain.
 * - vmx2xml/NAME.xml alone: parse and format, semantically unchanged.
 * - xml2vmx/xml2vmx-NAME.xml + .vmx: convert for the hardware version of the
 *   expected file's virtualHW.version, compared as key/value sets.
 * - overrides/<dir>/<file> replaces a corpus expectation where we convert
 *   differently from libvirt on purpose.
 */
#include "compare.h"
#include "vmx/vmx.h"

#include <stdio.h>
#include <string.h>

static const char *corpus_dir;
static const char *overrides_dir;
static int test_number;
static int failures;

static char *
expected_path(const char *sub, const char *file)
{
    char *override = g_build_filename(overrides_dir, sub, file, NULL);

    if (g_file_test(override, G_FILE_TEST_EXISTS))
        return override;
    g_free(override);
    return g_build_filename(corpus_dir, sub, file, NULL);
}

static void
report(const char *name, gboolean ok, const char *detail)
{
    printf("%s %d - %s\n", ok ? "ok" : "not ok", ++test_number, name);
    if (!ok) {
        g_auto(GStrv) lines = g_strsplit(detail ? detail : "", "\n", -1);

        failures++;
        for (char **l = lines; *l; l++) {
            if (**l)
                printf("# %s\n", *l);
        }
    }
}

static char *
datacenter_of(const char *xml)
{
    const char *open = strstr(xml, "<vmware:datacenterpath>");
    const char *close = open ? strstr(open, "</vmware:datacenterpath>") : NULL;

    if (!close)
        return NULL;
    open += strlen("<vmware:datacenterpath>");
    return g_strndup(open, close - open);
}

static void
run_vmx2xml(const char *name)
{
    g_autofree char *vmx_path = g_strdup_printf("%s/vmx2xml/%s.vmx", corpus_dir, name);
    g_autofree char *xml_file = g_strdup_printf("%s.xml", name);
    g_autofree char *xml_path = expected_path("vmx2xml", xml_file);
    g_autofree char *case_name = g_strdup_printf("vmx2xml/%s", name);
    g_autoptr(GError) error = NULL;
    gboolean has_vmx = g_file_test(vmx_path, G_FILE_TEST_EXISTS);
    gboolean has_xml = g_file_test(xml_path, G_FILE_TEST_EXISTS);

    if (has_vmx && has_xml) {
        gsize len;
        g_autofree char *vmx = test_read_file(vmx_path, &len);
        g_autofree char *expected = test_read_file(xml_path, NULL);
        g_autofree char *dc = datacenter_of(expected);
        vmx_offline_opts opts = { "[datastore] directory", dc };
        vmx_convert_ctx ctx;
        g_autoptr(vmx_domain) def = NULL;
        g_autofree char *xml = NULL;
        g_autofree char *diff = NULL;

        vmx_offline_ctx_init(&ctx, &opts);
        def = vmx_to_domain(vmx, len, &ctx, &error);
        if (def)
            xml = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, &error);
        if (!xml) {
            report(case_name, FALSE, error->message);
            return;
        }
        {
            gboolean ok = test_xml_equal(xml, expected, &diff);

            report(case_name, ok, diff);
        }
    } else if (has_vmx) {
        g_autofree char *err_path = g_strdup_printf("%s/vmx2xml/%s.error", overrides_dir, name);
        g_autofree char *want = NULL;
        gsize len;
        g_autofree char *vmx = test_read_file(vmx_path, &len);
        vmx_offline_opts opts = { "[datastore] directory", NULL };
        vmx_convert_ctx ctx;
        g_autoptr(vmx_domain) def = NULL;
        g_autofree char *detail = NULL;

        if (g_file_test(err_path, G_FILE_TEST_EXISTS))
            want = g_strstrip(test_read_file(err_path, NULL));
        vmx_offline_ctx_init(&ctx, &opts);
        def = vmx_to_domain(vmx, len, &ctx, &error);
        if (def) {
            report(case_name, FALSE, "converted, but this input must fail");
        } else if (want && !strstr(error->message, want)) {
            detail = g_strdup_printf("message \"%s\" lacks \"%s\"", error->message, want);
            report(case_name, FALSE, detail);
        } else {
            report(case_name, TRUE, NULL);
        }
    } else if (has_xml) {
        g_autofree char *expected = test_read_file(xml_path, NULL);
        g_autoptr(vmx_domain) def = vmx_domain_parse_xml(expected, &error);
        g_autofree char *xml = def ? vmx_domain_format_xml_flags(def, VMX_XML_SECURE, &error) : NULL;
        g_autofree char *diff = NULL;

        if (!xml)
            report(case_name, FALSE, error->message);
        else {
            gboolean ok = test_xml_equal(xml, expected, &diff);

            report(case_name, ok, diff);
        }
    } else {
        report(case_name, FALSE, "no such case");
    }
}

static void
run_xml2vmx(const char *name)
{
    g_autofree char *xml_path = g_strdup_printf("%s/xml2vmx/%s.xml", corpus_dir, name);
    g_autofree char *vmx_file_name = g_strdup_printf("%s.vmx", name);
    g_autofree char *vmx_path = expected_path("xml2vmx", vmx_file_name);
    g_autofree char *case_name = g_strdup_printf("xml2vmx/%s", name);
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(vmx_file) expected_file = NULL;
    g_autoptr(vmx_domain) def = NULL;
    g_autofree char *vmx = NULL;
    g_autofree char *diff = NULL;
    vmx_convert_ctx ctx;
    const char *hw;
    gsize len;

    if (!g_file_test(xml_path, G_FILE_TEST_EXISTS) || !g_file_test(vmx_path, G_FILE_TEST_EXISTS)) {
        report(case_name, FALSE, "needs both NAME.xml and NAME.vmx");
        return;
    }
    xml = test_read_file(xml_path, NULL);
    expected = test_read_file(vmx_path, &len);
    expected_file = vmx_file_parse(expected, len, &error);
    hw = expected_file ? vmx_file_get(expected_file, "virtualHW.version") : NULL;
    if (!hw) {
        report(case_name, FALSE, "the expected VMX has no virtualHW.version");
        return;
    }
    vmx_offline_ctx_init(&ctx, NULL);
    def = vmx_domain_parse_xml(xml, &error);
    if (def)
        vmx = vmx_from_domain(def, &ctx, atoi(hw), &error);
    if (!vmx) {
        report(case_name, FALSE, error->message);
        return;
    }
    {
        gboolean ok = test_vmx_equal(vmx, expected, &diff);

        report(case_name, ok, diff);
    }
}

static void
run_case(const char *c)
{
    if (g_str_has_prefix(c, "vmx2xml/"))
        run_vmx2xml(c + 8);
    else if (g_str_has_prefix(c, "xml2vmx/"))
        run_xml2vmx(c + 8);
    else
        report(c, FALSE, "a case is vmx2xml/NAME or xml2vmx/NAME");
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every case of a folder: names of .vmx and .xml files without suffix */
static GPtrArray *
list_cases(const char *sub)
{
    g_autofree char *dir_path = g_build_filename(corpus_dir, sub, NULL);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *cases = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
        char *base;

        if (!g_str_has_suffix(entry, ".vmx") && !g_str_has_suffix(entry, ".xml"))
            continue;
        base = g_strdup_printf("%s/%.*s", sub, (int)strlen(entry) - 4, entry);
        if (g_hash_table_add(seen, base))
            g_ptr_array_add(cases, g_strdup(base));
    }
    g_ptr_array_sort(cases, compare_strings);
    return cases;
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(g_free);
    gboolean own = FALSE;
    int i = 1;

    for (; i + 1 < argc && g_str_has_prefix(argv[i], "--"); i += 2) {
        if (strcmp(argv[i], "--corpus") == 0)
            corpus_dir = argv[i + 1];
        else if (strcmp(argv[i], "--overrides") == 0)
            overrides_dir = argv[i + 1];
        else if (strcmp(argv[i], "--own") == 0) {
            corpus_dir = overrides_dir = argv[i + 1];
            own = TRUE;
        }
    }
    if (!own && g_getenv("HVD_VMXCORPUS"))
        corpus_dir = g_getenv("HVD_VMXCORPUS");
    if (!corpus_dir || !overrides_dir) {
        fprintf(stderr, "usage: %s --corpus DIR --overrides DIR [CASE...] | --own DIR [CASE...]\n", argv[0]);
        return 2;
    }
    for (; i < argc; i++)
        g_ptr_array_add(cases, g_strdup(argv[i]));
    if (cases->len == 0) {
        g_autoptr(GPtrArray) a = list_cases("vmx2xml");
        g_autoptr(GPtrArray) b = list_cases("xml2vmx");

        for (guint k = 0; k < a->len; k++)
            g_ptr_array_add(cases, g_strdup(a->pdata[k]));
        for (guint k = 0; k < b->len; k++)
            g_ptr_array_add(cases, g_strdup(b->pdata[k]));
        if (cases->len == 0) {
            fprintf(stderr, "no cases found under %s (vmx2xml/, xml2vmx/)\n", corpus_dir);
            return 1;
        }
    }
    printf("1..%u\n", cases->len);
    for (guint k = 0; k < cases->len; k++)
        run_case(cases->pdata[k]);
    return failures ? 1 : 0;
}
