/* esx-conn.h — the driver's connection object (hvd_conn). */
#ifndef ESX_CONN_H
#define ESX_CONN_H

#include "esx-private.h"
#include "esx-uri.h"
#include "vi/vi.h"

G_BEGIN_DECLS

/* Everything here is set by open() and read-only afterwards, so any number of
 * threads may use a connection at once; vi_conn is itself thread-safe. The
 * driver caches no server-owned state (the server is the truth). */
struct hvd_conn {
    esx_uri *uri;
    vi_conn *vi;             /* the ESX host, or the vCenter for vpx:// */
    vi_moref host;           /* the HostSystem this connection manages */
    vi_moref compute;        /* its ComputeResource / ClusterComputeResource */
    vi_moref datacenter;     /* its Datacenter (vcsim and ESX have one: ha-datacenter) */
    char *datacenter_path;   /* inventory path of the datacenter, e.g. "folder1/dc1" */
    char *host_name;         /* the HostSystem's name */
    gboolean readonly;
};

/* Fails with HVD_ERR_INVALID_ARG when `conn` is NULL. */
int32_t esx_conn_check(const hvd_conn *conn, const char *op, hvd_error *err);
/* Fails with HVD_ERR_OPERATION_INVALID on a read-only connection. */
int32_t esx_conn_check_writable(const hvd_conn *conn, const char *op, hvd_error *err);

G_END_DECLS

#endif
