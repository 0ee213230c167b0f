#include "vmx/vmx.h"
#include <stdio.h>
int main(int argc, char **argv)
{
    g_autofree char *text = NULL; gsize len; g_autoptr(GError) error = NULL;
    vmx_offline_opts opts = { "[datastore] directory", argc > 2 ? argv[2] : NULL };
    vmx_convert_ctx ctx;
    vmx_offline_ctx_init(&ctx, &opts);
    if (!g_file_get_contents(argv[1], &text, &len, &error)) { fprintf(stderr, "%s\n", error->message); return 1; }
    g_autoptr(vmx_domain) def = vmx_to_domain(text, len, &ctx, &error);
    if (!def) { fprintf(stderr, "error: %s\n", error->message); return 1; }
    g_autofree char *xml = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, &error);
    fputs(xml, stdout);
    return 0;
}
