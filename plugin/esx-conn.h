/* esx-conn.h — the driver's connection object (hvd_conn). */
#ifndef ESX_CONN_H
#define ESX_CONN_H

#include "esx-private.h"
#include "esx-uri.h"
#include "vi/vi.h"

#include <pthread.h>
#include <string.h>

G_BEGIN_DECLS

/* Where the connection's host sits in the inventory. Found once per
 * connection, on first need (esx_conn_locate), then read-only until close. */
typedef struct {
    vi_moref host;         /* the HostSystem this connection manages */
    vi_moref compute;      /* its ComputeResource / ClusterComputeResource */
    vi_moref datacenter;   /* its Datacenter (vcsim and ESX have one: ha-datacenter) */
    char *datacenter_path; /* inventory path of the datacenter, e.g. "folder1/dc1" */
    char *host_name;       /* the HostSystem's name */
    vi_moref browser;      /* its datastoreBrowser (searches any datastore it mounts); NULL value when none */
} esx_location;

/* Everything here but `location` is set by open() and read-only afterwards,
 * so any number of threads may use a connection at once; vi_conn is itself
 * thread-safe, and `location` is written once under `locate_lock`. The
 * driver caches no server-owned state (the server is the truth); `pools`
 * holds hints only, which the server checks on each use. */
struct hvd_conn {
    esx_uri *uri;
    vi_conn *vi; /* the ESX host, or the vCenter for vpx:// */
    gboolean readonly;
    hvd_host upcalls; /* the host's table passed to open(), copied; members it lacked are NULL */
    /* The locks are pthread mutexes, not GMutex: GLib's are futexes that
     * ThreadSanitizer does not see (as in vi/transport.c). */
    pthread_mutex_t locate_lock; /* held while locating */
    esx_location *location;      /* NULL until located; read it with esx_conn_locate() */
    vi_conn *vcenter;            /* esx:// with vcenter=: the vCenter managing the host, else NULL */
    vi_moref vcenter_host;       /* ... and the host's HostSystem in that vCenter's inventory */
    pthread_mutex_t jobs_lock;   /* migrate.c: guards `jobs` */
    GPtrArray *jobs;             /* migrate.c: the migrations running on this connection (esx_job *) */
    pthread_mutex_t pools_lock;  /* storage-datastore.c: guards `pools` */
    GHashTable *pools;           /* storage-datastore.c: name -> esx_pool *, the datastores the last pool list saw
                                    (a hint a search checks, never the truth: esx_pool_remembered) */
};

/* Fails with HVD_ERR_INVALID_ARG when `conn` is NULL. */
int32_t esx_conn_check(const hvd_conn *conn, const char *op, hvd_error *err);

/* The argument checks every connection call starts with: the output cleared
 * first (hvd.h: NULL/0 on every failure), then a connection, known flags, a
 * non-NULL output. Returns from the calling function on failure. */
#define ESX_CHECK_CALL(conn, op, flags, known, out)       \
    do {                                                  \
        if ((out) != NULL)                                \
            memset((out), 0, sizeof(*(out)));             \
        ESX_CHECK_CALL_INTO(conn, op, flags, known, out); \
    } while (0)

/* The same for a caller-allocated out struct (hvd_node_info...): its
 * struct_size belongs to the caller, so nothing is cleared. */
#define ESX_CHECK_CALL_INTO(conn, op, flags, known, out)                                        \
    do {                                                                                        \
        int32_t rc_ = esx_conn_check((conn), (op), err);                                        \
        if (rc_ == HVD_OK)                                                                      \
            rc_ = esx_check_flags((op), (flags), (known), err);                                 \
        if (rc_ == HVD_OK && (out) == NULL)                                                     \
            rc_ = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: output pointer is NULL", (op)); \
        if (rc_ != HVD_OK)                                                                      \
            return rc_;                                                                         \
    } while (0)

/* locate.c */
int32_t esx_check_product(hvd_conn *conn, hvd_error *err);
/* The connection's host: located by one property-collector retrieval (one
 * round trip per page) on the first call, then the same answer without a
 * request. [thread-safe] `*loc_out` is borrowed (valid until close), NULL
 * on failure. Fails with HVD_ERR_NO_HOST, or the transport's error; a
 * failed locate is tried again by the next call. */
int32_t esx_conn_locate(hvd_conn *conn, const esx_location **loc_out, hvd_error *err);
/* The connection's location when already found (no request), else NULL. */
const esx_location *esx_conn_located(hvd_conn *conn);
void esx_location_free(esx_location *loc);
/* The host the inventory path `path` ("[folder/...]dc/[folder/...][cluster/]host")
 * names in vCenter `vi` (`vc`: its name in messages), into `loc` (fields
 * owned, free with esx_location_free): one inventory walk, not cached.
 * Fails with HVD_ERR_NO_HOST naming the missing path element. */
int32_t esx_locate_path(vi_conn *vi, const char *vc, const char *path, esx_location *loc, hvd_error *err);

/* vcenter.c: esx:// with vcenter=: log in to the vCenter managing the host
 * (credentials asked through the connection's auth upcall, default user "administrator") and check
 * that it manages the host. Sets conn->vcenter and conn->vcenter_host. */
int32_t esx_connect_vcenter(hvd_conn *conn, hvd_error *err);
/* The numeric addresses `name` resolves to (an IP literal resolves to
 * itself, normalised; char *, owned), or NULL with a message in `why`. */
GPtrArray *esx_resolve(const char *name, char **why);
/* The HostSystem of vCenter `vc` at one of `addrs` (SearchIndex.FindByIp,
 * one request per address tried): *found_out TRUE and *host_out set
 * (strings owned), or FALSE when none; a failed request is an error. */
int32_t esx_find_host_by_ip(vi_conn *vc, GPtrArray *addrs, vi_moref *host_out, gboolean *found_out, hvd_error *err);
/* TRUE when the two address lists share an address. */
gboolean esx_share_address(GPtrArray *a, GPtrArray *b);

/* login.c: a vi connection to `server` over `uri`'s transport, port,
 * proxy and TLS settings, logged in with credentials asked through `host`'s auth upcall
 * (the user name too when `user` is NULL, `default_user` offered), in
 * `*vi_out` (set, to be freed by the caller, even on failure when it was
 * created). `context` (may be NULL) prefixes login errors. */
int32_t esx_login(const esx_uri *uri, const char *server, const char *user, const char *default_user,
                  const hvd_host *host, const char *context, vi_conn **vi_out, hvd_error *err);

/* host.c: members of hvd_connect_table */
int32_t HVD_CALL esx_get_hostname(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err);
int32_t HVD_CALL esx_get_version(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err);
int32_t HVD_CALL esx_get_node_info(hvd_conn *conn, uint32_t flags, hvd_node_info *info, hvd_error *err);
int32_t HVD_CALL esx_get_capabilities(hvd_conn *conn, uint32_t flags, char **xml_out, hvd_error *err);
int32_t HVD_CALL esx_get_free_memory(hvd_conn *conn, uint32_t flags, uint64_t *bytes_out, hvd_error *err);
int32_t HVD_CALL esx_get_max_vcpus(hvd_conn *conn, uint32_t flags, uint32_t *max_out, hvd_error *err);

G_END_DECLS

#endif
