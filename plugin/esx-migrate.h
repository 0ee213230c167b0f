/* esx-migrate.h — migration through a vCenter (migrate.c, migrate-plan.c). */
#ifndef ESX_MIGRATE_H
#define ESX_MIGRATE_H

#include "esx-domain.h"

G_BEGIN_DECLS

/* What a migration moves, where to, and through which vCenter: resolved
 * from the connection, the `domain` argument and the typed parameters,
 * before anything is sent that could move the VM. */
typedef struct {
    vi_conn *vc;        /* borrowed: the vCenter session (conn->vi for vpx://, conn->vcenter for esx://) */
    char *vc_name;      /* the vCenter's address as the URI gave it, for messages */
    char *domain_key;   /* the domain's key on this connection */
    char *domain_uuid;  /* its textual UUID, or NULL */
    char *vm_name;      /* its name */
    char *power;        /* runtime.powerState in the vCenter */
    vi_moref vm;        /* the VirtualMachine in the vCenter's inventory */
    vi_moref from_host; /* where it runs now */
    char *from_host_name;
    vi_moref to_host; /* the destination HostSystem */
    char *to_host_name;
    vi_moref to_pool;     /* the destination pool; type NULL: the VM keeps its pool (same compute resource) */
    char *dest_text;      /* the destination URI, password-free, for messages */
    const char *priority; /* VirtualMachineMovePriority: defaultPriority, highPriority, lowPriority */
    const char *state;    /* "poweredOn" for a live migration, else NULL (any state) */
} esx_migration;

void esx_migration_free(esx_migration *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_migration, esx_migration_free)

/* migrate-plan.c: checks the parameters (HVD_MIGRATE_PARAM_*), the
 * connection's vCenter, the domain, and the destination URI (vpx:// of the
 * same vCenter, or esx://HOST/?vcenter= whose vCenter is the same one),
 * each with an error naming what is wrong and what to do; nothing is
 * changed on the server. `op` prefixes messages ("migrate check"). */
int32_t esx_migration_plan(hvd_conn *conn, const char *op, const char *domain, const hvd_param *params,
                           uint32_t nparams, uint32_t flags, esx_migration **out, hvd_error *err);

/* migrate-plan.c: the source half of the plan alone: the connection's
 * vCenter (its port in *port_out, may be NULL) and the domain's VM there,
 * its power state and host (vc, vc_name, domain_*, vm_name, vm, power,
 * from_host). */
int32_t esx_migration_source(hvd_conn *conn, const char *op, const char *domain, esx_migration **out, int *port_out,
                             hvd_error *err);

/* migrate.c */
extern const hvd_migrate_table esx_migrate_table;

G_END_DECLS

#endif
