/*
 * bench.c: conversion throughput over the corpus.
 *
 *   vmx-bench [CORPUS_DIR] [SECONDS]
 *
 * Converts every vmx2xml/NAME.vmx to domain XML (parse, convert, format) and
 * every xml2vmx/NAME.xml to VMX (parse, convert, format) in a loop for about
 * SECONDS (default 2) each, and prints MB/s of input converted.
 */
#include "vmx/vmx.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char *text;
    gsize len;
    int hw;
} input;

static void
input_free(gpointer p)
{
    input *in = p;

    g_free(in->text);
    g_free(in);
}

static GPtrArray *
load(const char *root, const char *sub, const char *suffix)
{
    g_autofree char *dir_path = g_build_filename(root, sub, NULL);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    GPtrArray *inputs = g_ptr_array_new_with_free_func(input_free);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        input *in;

        if (!g_str_has_suffix(name, suffix))
            continue;
        path = g_build_filename(dir_path, name, NULL);
        in = g_new0(input, 1);
        in->hw = 4;
        if (!g_file_get_contents(path, &in->text, &in->len, NULL)) {
            input_free(in);
            continue;
        }
        if (strcmp(suffix, ".xml") == 0) {
            g_autofree char *vmx_path = g_strndup(path, strlen(path) - 4);
            g_autofree char *vmx = NULL;
            char *tmp = g_strconcat(vmx_path, ".vmx", NULL);
            const char *hw;

            if (g_file_get_contents(tmp, &vmx, NULL, NULL) && (hw = strstr(vmx, "virtualHW.version = \"")))
                in->hw = atoi(hw + strlen("virtualHW.version = \""));
            g_free(tmp);
        }
        g_ptr_array_add(inputs, in);
    }
    return inputs;
}

static double
run_vmx2xml(GPtrArray *inputs, double seconds, guint64 *bytes)
{
    vmx_offline_opts opts = { "[datastore] directory", NULL };
    vmx_convert_ctx ctx;
    g_autoptr(GTimer) timer = g_timer_new();

    vmx_offline_ctx_init(&ctx, &opts);
    *bytes = 0;
    do {
        for (guint i = 0; i < inputs->len; i++) {
            input *in = inputs->pdata[i];
            g_autoptr(vmx_domain) def = vmx_to_domain(in->text, in->len, &ctx, NULL);
            g_autofree char *xml = def ? vmx_domain_format_xml(def, NULL) : NULL;

            (void)xml; /* produced to be timed, then freed */
            *bytes += in->len;
        }
    } while (g_timer_elapsed(timer, NULL) < seconds);
    return g_timer_elapsed(timer, NULL);
}

static double
run_xml2vmx(GPtrArray *inputs, double seconds, guint64 *bytes)
{
    vmx_convert_ctx ctx;
    g_autoptr(GTimer) timer = g_timer_new();

    vmx_offline_ctx_init(&ctx, NULL);
    *bytes = 0;
    do {
        for (guint i = 0; i < inputs->len; i++) {
            input *in = inputs->pdata[i];
            g_autoptr(vmx_domain) def = vmx_domain_parse_xml(in->text, NULL);
            g_autofree char *vmx = def ? vmx_from_domain(def, &ctx, in->hw, NULL) : NULL;

            (void)vmx; /* produced to be timed, then freed */
            *bytes += in->len;
        }
    } while (g_timer_elapsed(timer, NULL) < seconds);
    return g_timer_elapsed(timer, NULL);
}

int
main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : g_getenv("HVD_VMXCORPUS");
    double seconds = argc > 2 ? g_ascii_strtod(argv[2], NULL) : 2.0;
    g_autoptr(GPtrArray) vmx_inputs = NULL;
    g_autoptr(GPtrArray) xml_inputs = NULL;
    guint64 bytes;
    double elapsed;

    if (!root) {
        fprintf(stderr, "usage: %s CORPUS_DIR [SECONDS]  (or set HVD_VMXCORPUS)\n", argv[0]);
        return 2;
    }
    vmx_inputs = load(root, "vmx2xml", ".vmx");
    xml_inputs = load(root, "xml2vmx", ".xml");
    if (vmx_inputs->len == 0 || xml_inputs->len == 0) {
        fprintf(stderr, "no corpus under %s\n", root);
        return 1;
    }
    elapsed = run_vmx2xml(vmx_inputs, seconds, &bytes);
    printf("VMX -> XML: %u files, %.1f MB in %.2f s: %.1f MB/s\n", vmx_inputs->len, bytes / 1e6, elapsed,
           bytes / 1e6 / elapsed);
    elapsed = run_xml2vmx(xml_inputs, seconds, &bytes);
    printf("XML -> VMX: %u files, %.1f MB in %.2f s: %.1f MB/s\n", xml_inputs->len, bytes / 1e6, elapsed,
           bytes / 1e6 / elapsed);
    return 0;
}
