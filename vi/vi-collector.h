/* Property collector: bulk retrieval of object properties.
 *
 * A retrieval lists either every object of a type under a container (through
 * a ContainerView, recursive by default) or explicit objects, with a list of
 * property paths. Results come in pages (RetrievePropertiesEx with maxObjects,
 * then ContinueRetrievePropertiesEx): one round trip per page.
 *
 * Each result object is an ObjectContent vi_value; read it with the
 * vi_object_* accessors, which look a property path up across property
 * boundaries: with "summary" retrieved, vi_object_get_string(o,
 * "summary.config.name") works, as it does with "summary.config.name"
 * retrieved directly. */
#pragma once

#include <glib.h>

#include "vi/vi-conn.h"

G_BEGIN_DECLS

/* One managed object type and the paths to fetch for it. The type also
 * matches its subtypes ("ComputeResource" covers ClusterComputeResource). */
typedef struct {
    const char *type;
    const char *const *paths; /* NULL-terminated; NULL = all properties */
} vi_type_paths;

/* How far a walk from the root folder goes. */
typedef enum {
    /* the whole inventory: folders, datacenters' VM, host, datastore and
     * network folders, compute resources' hosts and resource pools */
    VI_WALK_INVENTORY = 0,
    /* folders, datacenters' host folders, compute resources and their hosts
     * only: finding hosts does not make the server walk every VM */
    VI_WALK_HOSTS,
    /* VI_WALK_HOSTS and datacenters' datastore folders: the datastores and
     * the hosts, without walking the VMs */
    VI_WALK_STORAGE,
} vi_walk;

typedef struct {
    gsize struct_size; /* set by VI_RETRIEVE_SPEC_INIT */
    /* Managed object type to list ("VirtualMachine", "HostSystem", ...).
     * Required with a container; ignored with OBJECTS (their own types are used). */
    const char *type;
    /* Property paths ("name", "summary.hardware"), NULL-terminated. NULL = all
     * properties (expensive). */
    const char *const *paths;
    /* Where to look: NULL = the root folder. */
    const vi_moref *container;
    gboolean non_recursive; /* only the container's direct children */
    /* With CONTAINER: instead of a ContainerView (two more round trips),
     * the objects this property of the container refers to ("vm" of a
     * HostSystem): one traversal step, one round trip per page. */
    const char *container_path;
    /* Alternatively, exactly these objects (N_OBJECTS of them). */
    const vi_moref *objects;
    gsize n_objects;
    /* Objects per page (maxObjects); 0 = 1000. */
    guint page_size;
    /* Alternatively to TYPE and PATHS: several types (N_TYPES of them), each
     * with its own paths, in one walk from the root folder, so one round trip
     * per page for all of them. Objects of other types on the way are not
     * returned. Not with CONTAINER, NON_RECURSIVE or OBJECTS. */
    const vi_type_paths *types;
    gsize n_types;
    vi_walk walk; /* for a walk from the root folder (TYPE or TYPES) */
    /* Objects one retrieval may return, all pages together; 0 = 1,000,000.
     * A server that sends more (or repeats a continuation token) ends the
     * retrieval with VI_ERROR_TOO_LARGE (VI_ERROR_PARSE) and it is cancelled
     * on the server. */
    guint64 max_objects;
    /* With CONTAINER and CONTAINER_PATH: the container itself is returned
     * too, with these properties (NULL-terminated), in the same round trip. */
    const char *const *container_self_paths;
} vi_retrieve_spec;

#define VI_RETRIEVE_SPEC_INIT                   \
    {                                           \
        .struct_size = sizeof(vi_retrieve_spec) \
    }

/* Called once per result object, in server order. OBJ is borrowed for the
 * call only: copy what you need (vi_value_copy() for all of it). Return FALSE
 * and set ERROR to stop; the rest of the retrieval is then cancelled on the
 * server. */
typedef gboolean (*vi_object_func)(const vi_value *obj, gpointer user_data, GError **error);

/* Streams the result of SPEC to FUNC, one page in memory at a time. Returns
 * FALSE with an error from the server or FUNC. PAGES_OUT (optional) receives
 * the number of pages (round trips) used.
 * When the session ends between two pages (the continuation token dies with
 * it), the connection logs in again and the listing restarts from its first
 * page, once: FUNC is not called again for an object it already had (same
 * moref), so each object reaches it at most once. A second loss in the same
 * listing is VI_ERROR_NOT_AUTHENTICATED; a failed login (password changed
 * meanwhile) is VI_ERROR_LOGIN. vi_collector_retrieve() restarts the same
 * way, with an empty array. */
gboolean vi_collector_foreach(vi_conn *conn, const vi_retrieve_spec *spec, vi_object_func func, gpointer user_data,
                              guint *pages_out, GError **error);

/* Collects the whole result: a GPtrArray of ObjectContent vi_value * (owned,
 * element free function set), or NULL with an error. */
GPtrArray *vi_collector_retrieve(vi_conn *conn, const vi_retrieve_spec *spec, GError **error);

/* Properties of one object: the ObjectContent, or NULL with
 * VI_ERROR_NOT_FOUND when the server returns nothing for it. */
vi_value *vi_collector_retrieve_one(vi_conn *conn, const vi_moref *obj, const char *const *paths, GError **error);

/* Properties of OBJ (PATHS) as vi_collector_retrieve_one, and in the same
 * round trip (one RetrievePropertiesEx with both object sets) the objects
 * of ALSO, appended to ALSO_OUT (ObjectContent vi_value *, owned by the
 * array, whose free function must be vi_value_free). ALSO must need no
 * ContainerView (a walk from the root folder, a container with
 * container_path, or explicit objects) and list no object of OBJ's type
 * (VI_ERROR_INVALID_ARG). On failure ALSO_OUT is as it was. */
vi_value *vi_collector_retrieve_one_also(vi_conn *conn, const vi_moref *obj, const char *const *paths,
                                         const vi_retrieve_spec *also, GPtrArray *also_out, GError **error);

/* --- ObjectContent accessors ------------------------------------------- */

/* The object's moref, borrowed (valid while OBJ lives). */
gboolean vi_object_moref(const vi_value *obj, vi_moref *out);
/* The value at PATH (see above), or NULL. */
const vi_value *vi_object_get(const vi_value *obj, const char *path);
const char *vi_object_get_string(const vi_value *obj, const char *path);
gboolean vi_object_get_int64(const vi_value *obj, const char *path, gint64 *out);
gboolean vi_object_get_moref(const vi_value *obj, const char *path, vi_moref *out);
/* Items of an array property at PATH (borrowed pointers; free the array). */
GPtrArray *vi_object_get_all(const vi_value *obj, const char *path);
/* The fault name the server gave for PATH in missingSet, or NULL when PATH is
 * not missing. */
const char *vi_object_missing(const vi_value *obj, const char *path);

G_END_DECLS
