/*
 * fuzz-vmx.c: libFuzzer target for the VMX parser and the conversion to and
 * from the domain model (built with -Dfuzzing=true).
 */
#include "vmx/vmx.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vmx_offline_opts opts = { "[datastore] directory", "dc" };
    vmx_convert_ctx ctx;
    vmx_file *file;
    vmx_domain *def;

    vmx_offline_ctx_init(&ctx, &opts);
    file = vmx_file_parse((const char *)data, size, NULL);
    if (!file)
        return 0;
    /* lossless: an unchanged file formats back to its bytes */
    {
        char *text = vmx_file_format(file, NULL);

        if (text && strcmp(vmx_file_encoding(file), "UTF-8") == 0 &&
            (strlen(text) != size || memcmp(text, data, size) != 0))
            __builtin_trap();
        g_free(text);
    }
    def = vmx_file_to_domain(file, &ctx, NULL);
    if (def) {
        char *xml = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, NULL);
        char *vmx = vmx_from_domain(def, &ctx, 13, NULL);
        vmx_domain *again = xml ? vmx_domain_parse_xml(xml, NULL) : NULL;

        vmx_file_update_from_domain(file, def, &ctx, 4, NULL);
        vmx_domain_free(again);
        g_free(vmx);
        g_free(xml);
        vmx_domain_free(def);
    }
    vmx_file_free(file);
    return 0;
}
