/* volume.c — storage volumes: the files of a datastore. A pool's volumes
 * are read by one SearchDatastoreSubFolders_Task on its datastore browser
 * (virtual disks with their capacity, allocation and controller, and every
 * other file), never one call per file; a virtual disk's key is its UUID
 * (QueryVirtualDiskUuid, one request per disk, as libvirt's driver does),
 * another file's key is "<pool uuid>/<name>". A list leaves the disks' keys
 * NULL unless HVD_VOL_LIST_KEYS asks for them (libvirt queries every disk:
 * 1,000 requests on a datastore of 1,000 disks); a lookup by path or name
 * searches the one pool it names and queries the one disk it finds; a
 * lookup by a disk UUID searches every accessible pool of the host, with
 * the keys, until it finds the disk. */
#include "esx-domain.h"
#include "esx-storage.h"
#include "esx-task.h"
#include "vmx/vmx.h"

#include <string.h>

void
esx_volume_free(esx_volume *vol)
{
    if (vol == NULL)
        return;
    g_free(vol->name);
    g_free(vol->path);
    g_free(vol->key);
    g_free(vol->pool);
    g_free(vol->format);
    g_free(vol);
}

/* ESX answers QueryVirtualDiskUuid with "60 00 C2 9a ... 5e-1f ..."; the key
 * is the UUID in its usual form, lowercase: 6000c29a-.... */
static char *
normalise_disk_uuid(const char *raw)
{
    GString *hex = g_string_new(NULL);
    for (const char *c = raw; *c; c++) {
        if (g_ascii_isxdigit(*c))
            g_string_append_c(hex, g_ascii_tolower(*c));
    }
    if (hex->len != 32)
        return g_string_free(hex, FALSE);
    const char *h = hex->str;
    char *out = g_strdup_printf("%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    g_string_free(hex, TRUE);
    return out;
}

static int32_t
disk_uuid(hvd_conn *conn, const esx_location *loc, const char *path, char **key_out, hvd_error *err)
{
    g_autoptr(vi_value) args = vi_value_new("QueryVirtualDiskUuid", NULL, NULL);
    vi_value_add_string(args, "name", path);
    vi_value_add_moref(args, "datacenter", &loc->datacenter);
    g_autoptr(GError) gerr = NULL;
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    if (sc == NULL || sc->virtualDiskManager.value == NULL)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL, "%s has no virtual disk manager", conn->uri->host);
    g_autoptr(vi_value) r = vi_call(conn->vi, "QueryVirtualDiskUuid", &sc->virtualDiskManager, args, &gerr);
    if (r == NULL)
        return esx_fail_gerror(err, gerr);
    const char *uuid = vi_value_get_string(r, "returnval");
    if (uuid == NULL)
        return esx_fail(err, HVD_ERR_OPERATION_FAILED, NULL, "the server gave no UUID for virtual disk %s", path);
    *key_out = normalise_disk_uuid(uuid);
    return HVD_OK;
}

static const char *
format_of(const char *name, gboolean disk)
{
    if (disk || g_str_has_suffix(name, ".vmdk"))
        return "vmdk";
    if (g_str_has_suffix(name, ".iso"))
        return "iso";
    return "raw";
}

/* The search's file entry `f` in folder `folder` ("[ds] dir" or "[ds]"). */
static esx_volume *
volume_from(const esx_pool *pool, const char *folder, const vi_value *f)
{
    const char *file = vi_value_get_string(f, "path");
    const char *type = vi_value_type(f);
    if (file == NULL || g_strcmp0(type, "FolderFileInfo") == 0)
        return NULL;
    /* a disk's extents are part of the disk */
    if (g_str_has_suffix(file, "-flat.vmdk") || g_str_has_suffix(file, "-delta.vmdk") ||
        g_str_has_suffix(file, "-ctk.vmdk") || g_str_has_suffix(file, "-sesparse.vmdk"))
        return NULL;
    const char *dir = strchr(folder, ']');
    dir = dir != NULL ? dir + 1 : "";
    while (*dir == ' ' || *dir == '/') /* ESX: "[ds] dir/"; vcsim: "[ds]/dir" */
        dir++;
    esx_volume *v = g_new0(esx_volume, 1);
    gsize dl = strlen(dir);
    v->name = dl == 0 ? g_strdup(file) : g_strdup_printf("%.*s/%s", (int)(dir[dl - 1] == '/' ? dl - 1 : dl), dir, file);
    v->path = g_strdup_printf("[%s] %s", pool->name, v->name);
    v->pool = g_strdup(pool->name);
    gboolean disk = g_strcmp0(type, "VmDiskFileInfo") == 0;
    v->format = g_strdup(format_of(file, disk));
    gint64 size = 0, kb = 0;
    if (vi_value_get_int64(f, "fileSize", &size) && size > 0)
        v->allocation = (uint64_t)size;
    if (disk && vi_value_get_int64(f, "capacityKb", &kb) && kb > 0)
        v->capacity = (uint64_t)kb * 1024;
    else
        v->capacity = v->allocation;
    return v;
}

static vi_value *
search_args(const char *pool_name)
{
    vi_value *args = vi_value_new("SearchDatastoreSubFolders_Task", NULL, NULL);
    g_autofree char *root = g_strdup_printf("[%s]", pool_name);
    vi_value_add_string(args, "datastorePath", root);
    vi_value *spec = vi_value_add_object(args, "searchSpec", "HostDatastoreBrowserSearchSpec");
    /* the disk query first: it claims .vmdk files (and hides their extents) */
    vi_value *dq = vi_value_add_object(spec, "query", "VmDiskFileQuery");
    vi_value *dd = vi_value_add_object(dq, "details", "VmDiskFileQueryFlags");
    vi_value_add_bool(dd, "diskType", TRUE);
    vi_value_add_bool(dd, "capacityKb", TRUE);
    vi_value_add_bool(dd, "hardwareVersion", FALSE);
    vi_value_add_bool(dd, "controllerType", TRUE);
    vi_value_add_bool(dd, "thin", TRUE);
    vi_value_add_object(spec, "query", "FileQuery");
    vi_value *fd = vi_value_add_object(spec, "details", "FileQueryFlags");
    vi_value_add_bool(fd, "fileType", TRUE);
    vi_value_add_bool(fd, "fileSize", TRUE);
    vi_value_add_bool(fd, "modification", FALSE);
    vi_value_add_bool(fd, "fileOwner", FALSE);
    vi_value_add_string(spec, "matchPattern", "*"); /* ESX's default; vcsim matches nothing without it */
    return args;
}

/* Fills the key of the virtual disk `v` when it has none yet: one
 * QueryVirtualDiskUuid. */
static int32_t
fill_key(hvd_conn *conn, esx_volume *v, hvd_error *err)
{
    if (v->key != NULL)
        return HVD_OK;
    const esx_location *loc = NULL;
    int32_t rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    return disk_uuid(conn, loc, v->path, &v->key, err);
}

/* Faults of a search through a hint that say its datastore is gone, cannot
 * be read or is another one now: the pool is resolved again. */
static gboolean
stale_hint(const char *fault)
{
    static const char *const stale[] = { "InvalidDatastore",
                                         "InaccessibleDatastore",
                                         "InvalidDatastorePath",
                                         "FileNotFound",
                                         "NotFound",
                                         "ManagedObjectNotFound",
                                         NULL };
    return fault != NULL && g_strv_contains(stale, fault);
}

/* The volumes (esx_volume *, owned) in `folders`, the
 * HostDatastoreBrowserSearchResults of a search of `pool`; with `keys`,
 * each virtual disk's key by a request (fill_key). */
static int32_t
volumes_of(hvd_conn *conn, const esx_pool *pool, GPtrArray *folders, gboolean keys, GPtrArray **vols_out,
           hvd_error *err)
{
    int32_t rc = HVD_OK;
    char pool_uuid[37];
    esx_pool_uuid_text(pool->uuid, pool_uuid);
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func((GDestroyNotify)esx_volume_free);
    for (guint i = 0; i < folders->len; i++) {
        const char *folder = vi_value_get_string(folders->pdata[i], "folderPath");
        g_autoptr(GPtrArray) files = vi_value_lookup_all(folders->pdata[i], "file");
        for (guint j = 0; folder != NULL && j < files->len; j++) {
            esx_volume *v = volume_from(pool, folder, files->pdata[j]);
            if (v == NULL)
                continue;
            g_ptr_array_add(vols, v);
            if (strcmp(v->format, "vmdk") != 0)
                v->key = g_strdup_printf("%s/%s", pool_uuid, v->name);
            else if (keys)
                rc = fill_key(conn, v, err);
            if (rc != HVD_OK)
                return rc;
        }
    }
    *vols_out = g_steal_pointer(&vols);
    return HVD_OK;
}

/* Runs the search of the datastore `name` through `browser`, the first
 * look at the task bringing `also` (may be NULL) into `also_out`; the
 * task's result (ArrayOfHostDatastoreBrowserSearchResults, owned; NULL
 * when none) into *result_out. With `stale_out`, a fault saying the
 * datastore is not there or not readable through that browser
 * (stale_hint) is HVD_OK with *stale_out TRUE and no result. */
static int32_t
run_search(hvd_conn *conn, const vi_moref *browser, const char *name, const vi_retrieve_spec *also, GPtrArray *also_out,
           gboolean *stale_out, vi_value **result_out, hvd_error *err)
{
    *result_out = NULL;
    g_autoptr(vi_value) args = search_args(name);
    g_autofree char *what = g_strdup_printf("SearchDatastoreSubFolders_Task on '%s'", name);
    hvd_error e = HVD_ERROR_INIT;
    int32_t rc = esx_run_task_also(conn, "SearchDatastoreSubFolders_Task", browser, args, what, also, also_out,
                                   result_out, stale_out != NULL ? &e : err);
    if (rc != HVD_OK && stale_out != NULL && stale_hint(e.fault)) {
        esx_log(&conn->upcalls, HVD_LOG_DEBUG, "esx", "storage pool '%s': the search through %s failed (%s)", name,
                browser->value, e.fault);
        *stale_out = TRUE;
        return HVD_OK;
    }
    if (rc != HVD_OK)
        return stale_out != NULL ? esx_fail(err, e.code, e.fault[0] != '\0' ? e.fault : NULL, "%s", e.message) : rc;
    return HVD_OK;
}

/* Whether every folder of a search result names `ds` as the datastore it
 * read (a server that leaves it out is taken at its word). */
static gboolean
read_datastore(GPtrArray *folders, const vi_moref *ds)
{
    for (guint i = 0; i < folders->len; i++) {
        vi_moref m = { 0 };
        if (vi_value_get_moref(folders->pdata[i], "datastore", &m) && g_strcmp0(m.value, ds->value) != 0)
            return FALSE;
    }
    return TRUE;
}

/* The volumes of the datastore `pool` by one search task and its wait (see
 * pool_volumes). With `stale_out` (`pool` is a hint), *stale_out tells
 * that the server contradicts the hint (the search read a datastore other
 * than its moref, or failed with a stale_hint fault): HVD_OK, no volume. */
static int32_t
search_volumes(hvd_conn *conn, const esx_pool *pool, gboolean keys, gboolean *stale_out, GPtrArray **vols_out,
               hvd_error *err)
{
    g_autoptr(vi_value) result = NULL;
    gboolean stale = FALSE;
    int32_t rc =
        run_search(conn, &pool->browser, pool->name, NULL, NULL, stale_out != NULL ? &stale : NULL, &result, err);
    if (rc != HVD_OK || stale) {
        if (stale_out != NULL)
            *stale_out = stale;
        return rc;
    }
    g_autoptr(GPtrArray) folders = vi_value_lookup_all(result, ""); /* borrowed from `result` */
    if (stale_out != NULL && !read_datastore(folders, &pool->moref)) {
        esx_log(&conn->upcalls, HVD_LOG_DEBUG, "esx",
                "storage pool '%s': the search read another datastore: resolving it again", pool->name);
        *stale_out = TRUE;
        return HVD_OK;
    }
    return volumes_of(conn, pool, folders, keys, vols_out, err);
}

/* ESX's own datastore browser: hostd gives every ESX host the same fixed
 * managed object ids (ha-host, ha-datacenter, ...), this one included. */
#define ESX_HOST_BROWSER "ha-host-datastorebrowser"

/* The volumes of the datastore `name` with nothing known of it yet, in two
 * round trips: the search through the host's own datastore browser
 * (HostSystem.datastoreBrowser, which searches any datastore the host
 * mounts, by name), whose first look at the task brings the browser's
 * datastores along; the pool is the one of them named `name`, and it must
 * be the datastore the search read. The browser is the located host's
 * (vpx:// locates at open); an esx:// connection not located yet takes
 * ESX's fixed one. *fallback_out: no such browser, or the server's answer
 * did not fit (an unknown or inaccessible datastore, an iSCSI target's
 * name, a server without that browser): the caller resolves the pool the
 * long way, whose errors name it. */
static int32_t
browse_host_volumes(hvd_conn *conn, const char *name, gboolean keys, gboolean *fallback_out, GPtrArray **vols_out,
                    hvd_error *err)
{
    *fallback_out = FALSE;
    const esx_location *loc = esx_conn_located(conn);
    vi_moref browser = { 0 };
    if (loc != NULL)
        browser = loc->browser;
    else if (conn->uri->product == ESX_PRODUCT_ESX)
        browser = (vi_moref){ .type = (char *)"HostDatastoreBrowser", .value = (char *)ESX_HOST_BROWSER };
    if (browser.value == NULL) {
        *fallback_out = TRUE;
        return HVD_OK;
    }
    vi_retrieve_spec also = VI_RETRIEVE_SPEC_INIT;
    also.type = "Datastore";
    also.paths = esx_pool_paths;
    also.container = &browser;
    also.container_path = "datastore";
    g_autoptr(GPtrArray) stores = g_ptr_array_new_with_free_func((GDestroyNotify)vi_value_free);
    g_autoptr(vi_value) result = NULL;
    int32_t rc = run_search(conn, &browser, name, &also, stores, fallback_out, &result, err);
    if (rc != HVD_OK || *fallback_out)
        return rc;
    g_autoptr(GPtrArray) folders = vi_value_lookup_all(result, ""); /* borrowed from `result` */
    const vi_value *hit = NULL;
    guint named = 0;
    for (guint i = 0; i < stores->len; i++) {
        if (g_strcmp0(vi_object_get_string(stores->pdata[i], "summary.name"), name) == 0) {
            hit = stores->pdata[i];
            named++;
        }
    }
    g_autoptr(esx_pool) pool = named == 1 ? esx_pool_from_object(hit, loc != NULL ? &loc->host : NULL) : NULL;
    if (pool == NULL || !read_datastore(folders, &pool->moref)) {
        esx_log(&conn->upcalls, HVD_LOG_DEBUG, "esx",
                "storage pool '%s': %u datastores of that name through %s, or another one searched: resolving it", name,
                named, browser.value);
        *fallback_out = TRUE;
        return HVD_OK;
    }
    return volumes_of(conn, pool, folders, keys, vols_out, err);
}

/* Every volume of `pool` (esx_volume *, owned): one search task, then, with
 * `keys`, one QueryVirtualDiskUuid per virtual disk for its key (without,
 * a disk's key stays NULL: fill_key). */
static int32_t
pool_volumes(hvd_conn *conn, const esx_pool *pool, gboolean keys, GPtrArray **vols_out, hvd_error *err)
{
    *vols_out = NULL;
    if (pool->iscsi) {
        /* an iSCSI target's volumes are its LUNs, read with the pool */
        GPtrArray *vols = g_ptr_array_new_with_free_func((GDestroyNotify)esx_volume_free);
        for (guint i = 0; i < pool->luns->len; i++) {
            const esx_lun *l = pool->luns->pdata[i];
            esx_volume *v = g_new0(esx_volume, 1);
            v->name = g_strdup(l->name);
            v->path = g_strdup(l->path);
            v->key = g_strdup(l->path);
            v->pool = g_strdup(pool->name);
            v->format = g_strdup("raw");
            v->capacity = v->allocation = l->capacity;
            v->block = TRUE;
            g_ptr_array_add(vols, v);
        }
        *vols_out = vols;
        return HVD_OK;
    }
    if (!pool->accessible)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "storage pool '%s' is inaccessible: its datastore cannot be read", pool->name);
    if (pool->browser.value == NULL)
        return esx_fail(err, HVD_ERR_OPERATION_FAILED, NULL, "datastore '%s' has no browser", pool->name);
    return search_volumes(conn, pool, keys, NULL, vols_out, err);
}

/* The volumes of the pool named `name`. Through the datastore the last pool
 * list on this connection saw under that name (esx_pool_remembered): the
 * search task and its wait, nothing more. On a connection that has not
 * listed its pools: through the host's datastore browser, the same two
 * round trips (browse_host_volumes). Otherwise, or when that search finds
 * it gone, inaccessible or replaced: the pool resolved again (one
 * retrieval more), whose errors name it (HVD_ERR_NO_POOL, inaccessible),
 * and its volumes. */
static int32_t
named_pool_volumes(hvd_conn *conn, const char *name, gboolean keys, GPtrArray **vols_out, hvd_error *err)
{
    *vols_out = NULL;
    gboolean listed = FALSE;
    g_autoptr(esx_pool) hint = name != NULL ? esx_pool_remembered(conn, name, &listed) : NULL;
    if (hint != NULL) {
        gboolean stale = FALSE;
        int32_t rc = search_volumes(conn, hint, keys, &stale, vols_out, err);
        if (rc != HVD_OK || !stale)
            return rc;
        esx_pool_forget(conn, name);
    } else if (name != NULL && !listed) {
        gboolean fallback = FALSE;
        int32_t rc = browse_host_volumes(conn, name, keys, &fallback, vols_out, err);
        if (rc != HVD_OK || !fallback)
            return rc;
    }
    g_autoptr(esx_pool) pool = NULL;
    int32_t rc = esx_pool_resolve(conn, name, &pool, err);
    if (rc != HVD_OK)
        return rc;
    return pool_volumes(conn, pool, keys, vols_out, err);
}

/* ---- packing ------------------------------------------------------------ */

static gsize
strings_size(const esx_volume *v)
{
    return strlen(v->name) + (v->key != NULL ? strlen(v->key) : 0) + strlen(v->path) + strlen(v->pool) + 4;
}

/* Copies `s` (NULL stays NULL) into the packed strings. */
static const char *
put(char **strings, const char *s)
{
    if (s == NULL)
        return NULL;
    gsize n = strlen(s) + 1;
    memcpy(*strings, s, n);
    const char *at = *strings;
    *strings += n;
    return at;
}

static void
fill_info(hvd_volume_info *info, const esx_volume *v, char **strings)
{
    info->struct_size = sizeof(*info);
    info->type = v->block ? HVD_VOL_BLOCK : HVD_VOL_FILE;
    info->capacity = v->capacity;
    info->allocation = v->allocation;
    info->name = put(strings, v->name);
    info->key = put(strings, v->key);
    info->path = put(strings, v->path);
    info->pool = put(strings, v->pool);
}

static hvd_volume_info *
pack_info(const esx_volume *v)
{
    hvd_volume_info *info = g_malloc0(sizeof(*info) + strings_size(v));
    char *strings = (char *)(info + 1);
    fill_info(info, v, &strings);
    return info;
}

static hvd_volume_list *
pack_list(GPtrArray *vols)
{
    gsize strings = 0;
    for (guint i = 0; i < vols->len; i++)
        strings += strings_size(vols->pdata[i]);
    hvd_volume_list *list = g_malloc0(sizeof(*list) + vols->len * sizeof(hvd_volume_info) + strings);
    hvd_volume_info *entries = (hvd_volume_info *)(list + 1);
    char *p = (char *)(entries + vols->len);
    for (guint i = 0; i < vols->len; i++)
        fill_info(&entries[i], vols->pdata[i], &p);
    list->struct_size = sizeof(*list);
    list->count = vols->len;
    list->entry_size = sizeof(hvd_volume_info);
    list->entries = entries;
    return list;
}

/* ---- resolving a volume ------------------------------------------------- */

/* Takes the volume whose string member at `offset` is `value` out of
 * `vols` (keys, UUIDs, compare without case), or NULL. */
static esx_volume *
take(GPtrArray *vols, glong offset, const char *value)
{
    for (guint i = 0; i < vols->len; i++) {
        esx_volume *v = vols->pdata[i];
        const char *field = G_STRUCT_MEMBER(const char *, v, offset);
        if (field == NULL)
            continue;
        gboolean same = offset == G_STRUCT_OFFSET(esx_volume, key) ? g_ascii_strcasecmp(field, value) == 0
                                                                   : strcmp(field, value) == 0;
        if (same) {
            vols->pdata[i] = NULL;
            return v;
        }
    }
    return NULL;
}

/* The volume `name` of the pool named `pool_name`. */
static int32_t
resolve_in_pool(hvd_conn *conn, const char *pool_name, const char *name, esx_volume **vol_out, hvd_error *err)
{
    g_autoptr(GPtrArray) vols = NULL;
    int32_t rc = named_pool_volumes(conn, pool_name, FALSE, &vols, err);
    if (rc != HVD_OK)
        return rc;
    *vol_out = take(vols, G_STRUCT_OFFSET(esx_volume, name), name);
    if (*vol_out != NULL) {
        rc = fill_key(conn, *vol_out, err);
        if (rc != HVD_OK)
            g_clear_pointer(vol_out, esx_volume_free);
        return rc;
    }
    return esx_fail(err, HVD_ERR_NO_VOLUME, NULL, "no storage volume '%s' in pool '%s'", name, pool_name);
}

/* The LUN at device path `dev` ("/vmfs/devices/disks/naa..."), among the
 * host's iSCSI targets. */
static int32_t
resolve_lun(hvd_conn *conn, const char *dev, esx_volume **vol_out, hvd_error *err)
{
    g_autoptr(GPtrArray) pools = NULL;
    int32_t rc = esx_pool_list(conn, &pools, err);
    if (rc != HVD_OK)
        return rc;
    for (guint i = 0; i < pools->len; i++) {
        const esx_pool *pool = pools->pdata[i];
        if (!pool->iscsi)
            continue;
        g_autoptr(GPtrArray) vols = NULL;
        pool_volumes(conn, pool, TRUE, &vols, NULL);
        *vol_out = take(vols, G_STRUCT_OFFSET(esx_volume, path), dev);
        if (*vol_out != NULL)
            return HVD_OK;
    }
    return esx_fail(err, HVD_ERR_NO_VOLUME, NULL, "no iSCSI LUN at '%s' on %s", dev, conn->uri->host);
}

static int32_t
resolve_path(hvd_conn *conn, const char *path, esx_volume **vol_out, hvd_error *err)
{
    if (path[0] == '/')
        return resolve_lun(conn, path, vol_out, err);
    g_autofree char *ds = NULL, *dir = NULL, *file = NULL;
    g_autoptr(GError) gerr = NULL;
    if (!vmx_parse_datastore_path(path, &ds, &dir, &file, &gerr))
        return esx_fail(err, HVD_ERR_NO_VOLUME, NULL, "'%s' is not a volume path ([datastore] dir/file): %s", path,
                        gerr->message);
    g_autofree char *name = dir != NULL ? g_strdup_printf("%s/%s", dir, file) : g_strdup(file);
    return resolve_in_pool(conn, ds, name, vol_out, err);
}

static int32_t
resolve_key(hvd_conn *conn, const char *key, esx_volume **vol_out, hvd_error *err)
{
    if (key[0] == '/')
        return resolve_lun(conn, key, vol_out, err);
    g_autoptr(GPtrArray) pools = NULL;
    int32_t rc = esx_pool_list(conn, &pools, err);
    if (rc != HVD_OK)
        return rc;
    const char *slash = strchr(key, '/');
    for (guint i = 0; i < pools->len; i++) {
        const esx_pool *pool = pools->pdata[i];
        char uuid[37];
        esx_pool_uuid_text(pool->uuid, uuid);
        /* "<pool uuid>/<name>": that pool only; a disk UUID: any accessible pool */
        if (slash != NULL ? ((gsize)(slash - key) != strlen(uuid) || strncmp(key, uuid, strlen(uuid)) != 0)
                          : !pool->accessible || pool->iscsi)
            continue;
        g_autoptr(GPtrArray) vols = NULL;
        rc = pool_volumes(conn, pool, slash == NULL, &vols, err);
        if (rc != HVD_OK)
            return rc;
        *vol_out = take(vols, G_STRUCT_OFFSET(esx_volume, key), key);
        if (*vol_out != NULL)
            return HVD_OK;
    }
    return esx_fail(err, HVD_ERR_NO_VOLUME, NULL, "no storage volume with key '%s' on %s", key, conn->uri->host);
}

/* A `volume` argument: a path when it starts with '[', else a key. */
static int32_t
resolve_volume(hvd_conn *conn, const char *volume, esx_volume **vol_out, hvd_error *err)
{
    *vol_out = NULL;
    if (volume == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "the volume is NULL");
    return volume[0] == '[' ? resolve_path(conn, volume, vol_out, err) : resolve_key(conn, volume, vol_out, err);
}

/* ---- members ------------------------------------------------------------ */

int32_t HVD_CALL
esx_vol_list(hvd_conn *conn, const char *pool, uint32_t flags, hvd_volume_list **list_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "vol_list", flags, HVD_VOL_LIST_KEYS, list_out);
    g_autoptr(GPtrArray) vols = NULL;
    int32_t rc = named_pool_volumes(conn, pool, (flags & HVD_VOL_LIST_KEYS) != 0, &vols, err);
    if (rc != HVD_OK)
        return rc;
    *list_out = pack_list(vols);
    return HVD_OK;
}

int32_t HVD_CALL
esx_vol_lookup_by_name(hvd_conn *conn, const char *pool, const char *name, uint32_t flags, hvd_volume_info **info_out,
                       hvd_error *err)
{
    ESX_CHECK_CALL(conn, "vol_lookup_by_name", flags, 0, info_out);
    if (name == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "vol_lookup_by_name: name is NULL");
    g_autoptr(esx_volume) v = NULL;
    int32_t rc = resolve_in_pool(conn, pool, name, &v, err);
    if (rc != HVD_OK)
        return rc;
    *info_out = pack_info(v);
    return HVD_OK;
}

int32_t HVD_CALL
esx_vol_lookup_by_path(hvd_conn *conn, const char *path, uint32_t flags, hvd_volume_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "vol_lookup_by_path", flags, 0, info_out);
    if (path == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "vol_lookup_by_path: path is NULL");
    g_autoptr(esx_volume) v = NULL;
    int32_t rc = resolve_path(conn, path, &v, err);
    if (rc != HVD_OK)
        return rc;
    *info_out = pack_info(v);
    return HVD_OK;
}

int32_t HVD_CALL
esx_vol_lookup_by_key(hvd_conn *conn, const char *key, uint32_t flags, hvd_volume_info **info_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "vol_lookup_by_key", flags, 0, info_out);
    if (key == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "vol_lookup_by_key: key is NULL");
    g_autoptr(esx_volume) v = NULL;
    int32_t rc = resolve_key(conn, key, &v, err);
    if (rc != HVD_OK)
        return rc;
    *info_out = pack_info(v);
    return HVD_OK;
}

static char *
volume_xml(const esx_volume *v)
{
    GString *s = g_string_new(v->block ? "<volume type='block'>\n" : "<volume type='file'>\n");
    g_autofree char *name = g_markup_escape_text(v->name, -1);
    g_autofree char *key = g_markup_escape_text(v->key, -1);
    g_autofree char *path = g_markup_escape_text(v->path, -1);
    g_string_append_printf(s, "  <name>%s</name>\n  <key>%s</key>\n", name, key);
    g_string_append_printf(s, "  <capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>\n", v->capacity);
    g_string_append_printf(s, "  <allocation unit='bytes'>%" G_GUINT64_FORMAT "</allocation>\n", v->allocation);
    g_string_append_printf(s, "  <target>\n    <path>%s</path>\n    <format type='%s'/>\n  </target>\n", path,
                           v->format);
    g_string_append(s, "</volume>\n");
    return g_string_free(s, FALSE);
}

int32_t HVD_CALL
esx_vol_get_xml(hvd_conn *conn, const char *volume, uint32_t flags, char **xml_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "vol_get_xml", flags, 0, xml_out);
    g_autoptr(esx_volume) v = NULL;
    int32_t rc = resolve_volume(conn, volume, &v, err);
    if (rc != HVD_OK)
        return rc;
    *xml_out = volume_xml(v);
    return HVD_OK;
}
