/*
 * fuzz-domxml.c: libFuzzer target for the domain XML parser, formatter and
 * the conversion to VMX (built with -Dfuzzing=true).
 */
#include "vmx/vmx.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(void *ctx, const char *msg, ...)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *xml = g_strndup((const char *)data, size);
    vmx_convert_ctx ctx;
    vmx_domain *def;

    xmlSetGenericErrorFunc(NULL, quiet);
    vmx_offline_ctx_init(&ctx, NULL);
    def = vmx_domain_parse_xml(xml, NULL);
    if (def) {
        char *out = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, NULL);
        char *vmx = vmx_from_domain(def, &ctx, 10, NULL);

        /* what we format, we parse back */
        if (out) {
            vmx_domain *again = vmx_domain_parse_xml(out, NULL);

            if (!again)
                __builtin_trap();
            vmx_domain_free(again);
        }
        g_free(vmx);
        g_free(out);
        vmx_domain_free(def);
    }
    g_free(xml);
    return 0;
}
