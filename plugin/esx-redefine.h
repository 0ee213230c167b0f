/* esx-redefine.h — define_xml of an existing domain (domain-redefine.c). */
#ifndef ESX_REDEFINE_H
#define ESX_REDEFINE_H

#include "esx-domain.h"
#include "vmx/vmx.h"

G_BEGIN_DECLS

/* Makes the shut-off VM `vm` what `def` describes: its .vmx rewritten and
 * reloaded (devices and all), then memory, vCPUs and description through
 * ReconfigVM_Task. HVD_ERR_OPERATION_INVALID naming its state when it is
 * not shut off; HVD_ERR_CONFIG_UNSUPPORTED for what ESX cannot express. */
int32_t esx_domain_redefine(hvd_conn *conn, const esx_vm *vm, const vmx_domain *def, hvd_error *err);

G_END_DECLS

#endif
