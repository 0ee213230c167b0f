/* esx-storage.h — storage pools (datastores) and the storage table. */
#ifndef ESX_STORAGE_H
#define ESX_STORAGE_H

#include "esx-conn.h"

G_BEGIN_DECLS

/* One LUN of an iSCSI target, as a volume. */
typedef struct {
    char *name; /* canonical name, "naa.6..." */
    char *path; /* device path, "/vmfs/devices/disks/naa.6..." (also its key) */
    uint64_t capacity;
} esx_lun;

/* One datastore of the connection's host, or one static target of its
 * software iSCSI adapter, as a pool. */
typedef struct {
    vi_moref moref;
    vi_moref browser; /* its HostDatastoreBrowser */
    char *name;
    uint8_t uuid[16];    /* MD5 of the mount path (libvirt's choice): stable, not list order */
    gboolean accessible; /* summary.accessible */
    uint64_t capacity, available;
    char *ds_type;   /* summary.type lowercased: "vmfs", "nfs", "nfs41", "other", ... */
    char *pool_type; /* libvirt's pool type: "fs", "netfs", "dir" */
    char *mount;     /* mount path on the host, "" when unknown */
    char *nas_host;  /* NAS datastores: the server and its export, else NULL */
    char *nas_path;
    char *nas_type; /* "nfs", "cifs", ... */
    /* iSCSI targets: the target's address ("192.0.2.10:3260"), its LUNs
     * (esx_lun *), the adapter ("vmhba33") and the host's storage system */
    gboolean iscsi;
    char *iscsi_address;
    GPtrArray *luns;
    char *hba;
    vi_moref storage_system;
} esx_pool;

void esx_pool_free(esx_pool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_pool, esx_pool_free)

/* Every datastore of the connection's host and every static target of its
 * software iSCSI adapter (esx_pool *, owned): one property-collector round
 * trip per page once the host is located. A host without an iSCSI adapter
 * has its datastores only. */
int32_t esx_pool_list(hvd_conn *conn, GPtrArray **pools_out, hvd_error *err);
/* The datastore named `name`: HVD_ERR_NO_POOL naming it and the host's
 * datastores, HVD_ERR_INVALID_ARG for NULL. */
int32_t esx_pool_resolve(hvd_conn *conn, const char *name, esx_pool **pool_out, hvd_error *err);

/* The properties of a Datastore esx_pool_from_object reads. */
extern const char *const esx_pool_paths[];
/* The pool of a Datastore retrieved with esx_pool_paths, its mount path
 * (hence its UUID) the one on `host` (NULL: see esx_datastore_mount_path);
 * NULL when the object has no name. */
esx_pool *esx_pool_from_object(const vi_value *obj, const vi_moref *host);

/* The datastore the last esx_pool_list on this connection saw under
 * `name` (a copy, owned: its name, moref, browser and UUID; accessible
 * then), or NULL (never listed, gone from the last list, inaccessible then,
 * a name two pools share, an iSCSI target). A hint, not the truth: a search
 * through it checks which datastore it read, and esx_pool_forget() drops a
 * hint the server contradicted. *listed_out: whether this connection has
 * listed its pools at all (then a name without a hint is unknown there,
 * inaccessible, an iSCSI target's or shared). */
esx_pool *esx_pool_remembered(hvd_conn *conn, const char *name, gboolean *listed_out);
void esx_pool_forget(hvd_conn *conn, const char *name);

/* The pool's UUID in text form. */
void esx_pool_uuid_text(const uint8_t *uuid, char out[37]);

/* One file of a datastore, as a volume. */
typedef struct {
    char *name;   /* relative to the datastore: "dir/disk.vmdk" */
    char *path;   /* "[ds] dir/disk.vmdk" */
    char *key;    /* the virtual disk's UUID for a .vmdk, else "<pool uuid>/<name>" */
    char *pool;   /* the datastore's name */
    char *format; /* "vmdk", "iso", "raw" */
    uint64_t capacity, allocation;
    gboolean block; /* an iSCSI LUN */
} esx_volume;

void esx_volume_free(esx_volume *vol);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_volume, esx_volume_free)

/* volume.c: the volume members of the storage table. */
int32_t HVD_CALL esx_vol_list(hvd_conn *conn, const char *pool, uint32_t flags, hvd_volume_list **list_out,
                              hvd_error *err);
int32_t HVD_CALL esx_vol_lookup_by_name(hvd_conn *conn, const char *pool, const char *name, uint32_t flags,
                                        hvd_volume_info **info_out, hvd_error *err);
int32_t HVD_CALL esx_vol_lookup_by_path(hvd_conn *conn, const char *path, uint32_t flags, hvd_volume_info **info_out,
                                        hvd_error *err);
int32_t HVD_CALL esx_vol_lookup_by_key(hvd_conn *conn, const char *key, uint32_t flags, hvd_volume_info **info_out,
                                       hvd_error *err);
int32_t HVD_CALL esx_vol_get_xml(hvd_conn *conn, const char *volume, uint32_t flags, char **xml_out, hvd_error *err);
/* volume-create.c: the members that change volumes. */
int32_t HVD_CALL esx_vol_create_xml(hvd_conn *conn, const char *pool, const char *xml, uint32_t flags,
                                    const hvd_progress *progress, hvd_volume_info **info_out, hvd_error *err);
int32_t HVD_CALL esx_vol_create_xml_from(hvd_conn *conn, const char *pool, const char *xml, const char *source,
                                         uint32_t flags, const hvd_progress *progress, hvd_volume_info **info_out,
                                         hvd_error *err);
int32_t HVD_CALL esx_vol_delete(hvd_conn *conn, const char *volume, uint32_t flags, const hvd_progress *progress,
                                hvd_error *err);
int32_t HVD_CALL esx_vol_wipe(hvd_conn *conn, const char *volume, uint32_t flags, const hvd_progress *progress,
                              hvd_error *err);
/* volume-transfer.c: streamed uploads and downloads. */
int32_t HVD_CALL esx_vol_upload(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length, hvd_read_fn read,
                                void *user_data, uint32_t flags, const hvd_progress *progress, hvd_error *err);
int32_t HVD_CALL esx_vol_download(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length,
                                  hvd_write_fn write, void *user_data, uint32_t flags, const hvd_progress *progress,
                                  hvd_error *err);

extern const hvd_storage_table esx_storage_table;

G_END_DECLS

#endif
