#include "vmx/internal.h"
vmx_domain *
vmx_domain_parse_xml(const char *xml, GError **error)
{
    g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "not yet implemented");
    return NULL;
}
