/* The conversion corpus through the whole stack, offline:
 *   hvdctl domxml-from-native vmware-vmx --vmx-location '[datastore] directory' FILE
 *   hvdctl domxml-to-native vmware-vmx --hw-version N FILE
 * i.e. loader -> plugin's native table -> vmx/, compared semantically with
 * the corpus (and tests/data/vmx/overrides). Output is TAP.
 *
 *   test-hvdctl-native CORPUS_DIR OVERRIDES_DIR   (HVDCTL names the binary)
 *   test-hvdctl-native --own DIR                  (tests/data/vmx/own: corpus and
 *                                                  overrides in one, HVD_VMXCORPUS ignored) */
#include "compare.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static const char *hvdctl;
static const char *corpus;
static const char *overrides;
static int n_tests;
static int n_failed;

static void
report(const char *name, gboolean ok, const char *why)
{
    printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n_tests, name);
    if (!ok) {
        n_failed++;
        g_auto(GStrv) lines = g_strsplit(why ? why : "", "\n", -1);
        for (char **l = lines; *l != NULL; l++)
            if (**l)
                printf("# %s\n", *l);
    }
}

static int
run(const char *const *args, char **out, char **err)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)hvdctl);
    for (const char *const *a = args; *a != NULL; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    int status = 0;
    g_autoptr(GError) gerr = NULL;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, out, err, &status,
                      &gerr)) {
        *err = g_strdup(gerr->message);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *
expected_file(const char *sub, const char *name)
{
    char *o = g_build_filename(overrides, sub, name, NULL);
    if (g_file_test(o, G_FILE_TEST_EXISTS))
        return o;
    g_free(o);
    return g_build_filename(corpus, sub, name, NULL);
}

static char *
datacenter_of(const char *xml)
{
    const char *open = strstr(xml, "<vmware:datacenterpath>");
    if (open == NULL)
        return NULL;
    open += strlen("<vmware:datacenterpath>");
    const char *close = strstr(open, "</vmware:datacenterpath>");
    return close ? g_strndup(open, close - open) : NULL;
}

static void
vmx2xml(const char *name)
{
    g_autofree char *vmx = g_strdup_printf("%s/vmx2xml/%s.vmx", corpus, name);
    g_autofree char *xml_name = g_strdup_printf("%s.xml", name);
    g_autofree char *err_name = g_strdup_printf("%s.error", name);
    g_autofree char *expect_path = expected_file("vmx2xml", xml_name);
    g_autofree char *error_path = g_build_filename(overrides, "vmx2xml", err_name, NULL);
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *label = g_strdup_printf("hvdctl domxml-from-native vmx2xml/%s", name);

    if (!g_file_test(expect_path, G_FILE_TEST_EXISTS)) {
        /* an input that must be refused, with an error that says why */
        const char *args[] = {
            "domxml-from-native", "vmware-vmx", "--vmx-location", "[datastore] directory", vmx, NULL
        };
        int rc = run(args, &out, &err);
        g_autofree char *want = NULL;
        g_file_get_contents(error_path, &want, NULL, NULL);
        if (want != NULL)
            g_strstrip(want);
        gboolean ok = rc == 1 && g_str_has_prefix(err, "error: ") && (want == NULL || strstr(err, want) != NULL);
        g_autofree char *why =
            g_strdup_printf("exit %d, stderr: %s(expected exit 1 mentioning '%s')", rc, err, want ? want : "");
        report(label, ok, why);
        return;
    }
    g_autofree char *expected = test_read_file(expect_path, NULL);
    g_autofree char *dc = datacenter_of(expected);
    const char *args[] = { "domxml-from-native",           "vmware-vmx",   "--vmx-location", "[datastore] directory",
                           dc ? "--datacenter-path" : vmx, dc ? dc : NULL, dc ? vmx : NULL,  NULL };
    int rc = run(args, &out, &err);
    if (rc != 0) {
        g_autofree char *why = g_strdup_printf("exit %d: %s", rc, err);
        report(label, FALSE, why);
        return;
    }
    g_autofree char *diff = NULL;
    report(label, test_xml_equal(out, expected, &diff), diff);
}

static void
xml2vmx(const char *name)
{
    g_autofree char *xml = g_strdup_printf("%s/xml2vmx/%s.xml", corpus, name);
    g_autofree char *vmx_name = g_strdup_printf("%s.vmx", name);
    g_autofree char *expect_path = expected_file("xml2vmx", vmx_name);
    g_autofree char *label = g_strdup_printf("hvdctl domxml-to-native xml2vmx/%s", name);
    if (!g_file_test(expect_path, G_FILE_TEST_EXISTS))
        return;
    g_autofree char *expected = test_read_file(expect_path, NULL);
    /* the hardware version each case is formatted for is the one it expects */
    const char *hw = strstr(expected, "virtualHW.version = \"");
    g_autofree char *hw_version =
        hw ? g_strndup(hw + strlen("virtualHW.version = \""), strcspn(hw + strlen("virtualHW.version = \""), "\""))
           : g_strdup("4");
    const char *args[] = { "domxml-to-native", "vmware-vmx", "--hw-version", hw_version, xml, NULL };
    g_autofree char *out = NULL, *err = NULL;
    int rc = run(args, &out, &err);
    if (rc != 0) {
        g_autofree char *why = g_strdup_printf("exit %d: %s", rc, err);
        report(label, FALSE, why);
        return;
    }
    g_autofree char *diff = NULL;
    report(label, test_vmx_equal(out, expected, &diff), diff);
}

static void
each_case(const char *sub, const char *suffix, void (*fn)(const char *))
{
    g_autofree char *dir = g_build_filename(corpus, sub, NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d)) != NULL) {
        if (g_str_has_suffix(e, suffix))
            g_ptr_array_add(names, g_strndup(e, strlen(e) - strlen(suffix)));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    for (guint i = 0; i < names->len; i++)
        fn(names->pdata[i]);
}

int
main(int argc, char **argv)
{
    hvdctl = g_getenv("HVDCTL");
    if (hvdctl == NULL || argc != 3) {
        fprintf(stderr, "usage: HVDCTL=... %s CORPUS_DIR OVERRIDES_DIR\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "--own") == 0) {
        corpus = overrides = argv[2];
    } else {
        corpus = g_getenv("HVD_VMXCORPUS") ? g_getenv("HVD_VMXCORPUS") : argv[1];
        overrides = argv[2];
    }
    each_case("vmx2xml", ".vmx", vmx2xml);
    each_case("xml2vmx", ".xml", xml2vmx);
    printf("1..%d\n", n_tests);
    return n_failed == 0 ? 0 : 1;
}
