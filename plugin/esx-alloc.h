/* esx-alloc.h — a VM's resource allocation (reservation, limit, shares) as
 * typed parameters: the CPU allocation behind the scheduler parameters and
 * the memory allocation behind the memory parameters (ABI 1.1) share one
 * reader, one set of rules and one ReconfigVM_Task writer (alloc.c). */
#ifndef ESX_ALLOC_H
#define ESX_ALLOC_H

#include "esx-domain.h"

G_BEGIN_DECLS

#define ESX_SHARES_LOW    (-1)
#define ESX_SHARES_NORMAL (-2)
#define ESX_SHARES_HIGH   (-3)

/* Which allocation, and how the ABI names and counts it. */
typedef struct {
    const char *property;    /* VirtualMachineConfigSpec member: "cpuAllocation", "memoryAllocation" */
    const char *set_op;      /* prefix of messages: "sched set_params" */
    const char *names[3];    /* parameter names: reservation, limit, shares */
    const char *known;       /* the names in words, for "unknown parameter" */
    const char *reservation; /* the reservation in messages: "reservation", "reservation 'min_guarantee'" */
    const char *unit;        /* the ABI's unit: "MHz", "KiB" */
    gint64 scale;            /* ABI units per server unit (1 for MHz, 1024 for KiB of MB); set rounds up */
    gint64 max;              /* largest reservation or limit accepted, ABI units */
} esx_alloc_kind;

/* The allocation of DOMAIN as a parameter list [transfer], in ABI units. */
int32_t esx_alloc_get(hvd_conn *conn, const esx_alloc_kind *kind, const char *domain, hvd_param_list **params_out,
                      hvd_error *err);
/* Checks PARAMS against the rules (before any call), then sends the whole
 * allocation with the parameters given changed, in one ReconfigVM_Task. */
int32_t esx_alloc_set(hvd_conn *conn, const esx_alloc_kind *kind, const char *domain, const hvd_param *params,
                      uint32_t nparams, uint32_t flags, hvd_error *err);

G_END_DECLS

#endif
