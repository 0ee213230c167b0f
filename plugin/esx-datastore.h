/* esx-datastore.h — mapping VMX file names through the server's datastores. */
#ifndef ESX_DATASTORE_H
#define ESX_DATASTORE_H

#include "esx-conn.h"
#include "vmx/vmx.h"

G_BEGIN_DECLS

typedef struct esx_datastore_map esx_datastore_map;

/* Reads the datastores mounted on the host at `loc` (two round trips).
 * `vmx_location` ("[DS] DIR", may be NULL) places bare file names; it must
 * outlive the map. NULL with `error` on failure. */
esx_datastore_map *esx_datastore_map_new(vi_conn *vi, const esx_location *loc, const char *vmx_location,
                                         GError **error);
void esx_datastore_map_free(esx_datastore_map *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_datastore_map, esx_datastore_map_free)

/* "/vmfs/volumes/<uuid or name>/dir/f.vmdk" -> "[name] dir/f.vmdk"; other
 * absolute paths unchanged; a path under /vmfs/volumes/ on no mounted
 * datastore is an error; bare names follow the offline rules. */
char *esx_datastore_map_parse(esx_datastore_map *map, const char *vmx_name, GError **error);
/* "[name] dir/f.vmdk" -> "<mount path>/dir/f.vmdk"; an unknown datastore is an
 * error listing the host's datastores. */
char *esx_datastore_map_format(esx_datastore_map *map, const char *xml_path, GError **error);

/* The mount path on `host` of a datastore retrieved with its "host" and
 * "summary.url" (or "summary"): its DatastoreHostMount for the host (`host`
 * NULL: its only one, on a datastore mounted by one host), else the path
 * of summary.url; no trailing '/'. NULL when neither is known. */
char *esx_datastore_mount_path(const vi_value *obj, const vi_moref *host);

/* A conversion context that maps through `map` (which must outlive it). */
void esx_datastore_map_ctx(esx_datastore_map *map, vmx_convert_ctx *ctx);

G_END_DECLS

#endif
