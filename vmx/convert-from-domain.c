#include "vmx/internal.h"
char *
vmx_from_domain(const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version, GError **error)
{
    g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED, "not yet implemented");
    return NULL;
}
