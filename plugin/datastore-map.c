/* datastore-map.c — VMX file names <-> "[datastore] path", asked of the
 * server: a connection knows where each datastore of its host is mounted
 * (/vmfs/volumes/<uuid> on ESX), so a file name is mapped by the datastore
 * that really holds it rather than by the shape of the name; SCSI model
 * auto-detection reads the disk's descriptor on the datastore. Bare file
 * names fall back to vmx/'s offline rules. */
#include "esx-datastore.h"

#include <string.h>

#define VOLUMES "/vmfs/volumes/"

typedef struct {
    char *name;
    char *mount; /* absolute mount path on the host, without a trailing '/' */
} datastore;

struct esx_datastore_map {
    GPtrArray *stores; /* datastore* */
    vi_conn *vi;       /* borrowed: the connection outlives the map */
    char *dc_path;     /* the datacenter's inventory path, for /folder URLs */
    char *host_name;
    vmx_offline_opts offline_opts;
    vmx_convert_ctx offline; /* the fallback */
};

static void
datastore_free(gpointer p)
{
    datastore *d = p;
    g_free(d->name);
    g_free(d->mount);
    g_free(d);
}

void
esx_datastore_map_free(esx_datastore_map *map)
{
    if (map == NULL)
        return;
    g_ptr_array_unref(map->stores);
    g_free(map->dc_path);
    g_free(map->host_name);
    g_free(map);
}

static char *
strip_slashes(const char *path)
{
    char *s = g_strdup(path);
    gsize n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

/* The mount path of a datastore on `host`: its DatastoreHostMount entry for
 * the host, else its summary.url ("ds:///vmfs/volumes/<uuid>/" or a plain
 * path). */
char *
esx_datastore_mount_path(const vi_value *obj, const vi_moref *host)
{
    g_autoptr(GPtrArray) mounts = vi_object_get_all(obj, "host");
    for (guint i = 0; i < mounts->len; i++) {
        const vi_value *m = mounts->pdata[i];
        vi_moref key = { 0 };
        const char *path = vi_value_get_string(m, "mountInfo.path");
        if (path != NULL && *path == '/' && vi_value_get_moref(m, "key", &key) &&
            (host != NULL ? g_strcmp0(key.value, host->value) == 0 : mounts->len == 1))
            return strip_slashes(path);
    }
    const char *url = vi_object_get_string(obj, "summary.url");
    if (url == NULL)
        return NULL;
    if (g_str_has_prefix(url, "ds://"))
        url += strlen("ds://");
    return *url == '/' ? strip_slashes(url) : NULL;
}

esx_datastore_map *
esx_datastore_map_new(vi_conn *vi, const esx_location *loc, const char *vmx_location, GError **error)
{
    static const char *const host_paths[] = { "datastore", NULL };
    g_autoptr(vi_value) host = vi_collector_retrieve_one(vi, &loc->host, host_paths, error);
    if (host == NULL)
        return NULL;
    g_autoptr(GPtrArray) refs = vi_object_get_all(host, "datastore");
    esx_datastore_map *map = g_new0(esx_datastore_map, 1);
    map->stores = g_ptr_array_new_with_free_func(datastore_free);
    map->host_name = g_strdup(loc->host_name);
    map->vi = vi;
    map->dc_path = g_strdup(loc->datacenter_path);
    map->offline_opts.vmx_location = vmx_location;
    vmx_offline_ctx_init(&map->offline, &map->offline_opts);
    if (refs->len == 0)
        return map;

    g_autofree vi_moref *objs = g_new0(vi_moref, refs->len);
    guint n = 0;
    for (guint i = 0; i < refs->len; i++) {
        if (vi_value_get_moref(refs->pdata[i], "", &objs[n]))
            n++;
    }
    static const char *const ds_paths[] = { "summary.name", "summary.url", "host", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.objects = objs;
    spec.n_objects = n;
    spec.paths = ds_paths;
    g_autoptr(GPtrArray) found = vi_collector_retrieve(vi, &spec, error);
    if (found == NULL) {
        esx_datastore_map_free(map);
        return NULL;
    }
    for (guint i = 0; i < found->len; i++) {
        const char *name = vi_object_get_string(found->pdata[i], "summary.name");
        char *mount = esx_datastore_mount_path(found->pdata[i], &loc->host);
        if (name == NULL || mount == NULL) {
            g_free(mount);
            continue;
        }
        datastore *d = g_new0(datastore, 1);
        d->name = g_strdup(name);
        d->mount = mount;
        g_ptr_array_add(map->stores, d);
    }
    return map;
}

char *
esx_datastore_map_parse(esx_datastore_map *map, const char *vmx_name, GError **error)
{
    for (guint i = 0; i < map->stores->len; i++) {
        const datastore *d = map->stores->pdata[i];
        /* by mount path (/vmfs/volumes/<uuid>/...) or by the name link
         * ESX keeps beside it (/vmfs/volumes/<name>/...) */
        g_autofree char *by_name = g_strconcat(VOLUMES, d->name, NULL);
        const char *prefixes[] = { d->mount, by_name };
        for (gsize p = 0; p < G_N_ELEMENTS(prefixes); p++) {
            gsize n = strlen(prefixes[p]);
            if (strncmp(vmx_name, prefixes[p], n) == 0 && (vmx_name[n] == '/' || vmx_name[n] == '\0')) {
                const char *rest = vmx_name[n] == '/' ? vmx_name + n + 1 : "";
                return g_strdup_printf("[%s] %s", d->name, rest);
            }
        }
    }
    if (g_str_has_prefix(vmx_name, VOLUMES)) {
        const char *ds = vmx_name + strlen(VOLUMES);
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "file '%s' is on datastore '%.*s', which host %s does not have mounted", vmx_name,
                    (int)strcspn(ds, "/"), ds, map->host_name);
        return NULL;
    }
    gboolean missing = FALSE;
    char *mapped = map->offline.parse_file_name(vmx_name, &missing, map->offline.user_data, error);
    return mapped;
}

char *
esx_datastore_map_format(esx_datastore_map *map, const char *xml_path, GError **error)
{
    if (xml_path[0] != '[')
        return map->offline.format_file_name(xml_path, map->offline.user_data, error);
    g_autofree char *ds = NULL, *dir = NULL, *file = NULL;
    if (!vmx_parse_datastore_path(xml_path, &ds, &dir, &file, error))
        return NULL;
    GString *known = g_string_new(NULL);
    for (guint i = 0; i < map->stores->len; i++) {
        const datastore *d = map->stores->pdata[i];
        if (strcmp(d->name, ds) == 0) {
            g_string_free(known, TRUE);
            if (dir != NULL)
                return g_strdup_printf("%s/%s/%s", d->mount, dir, file);
            return g_strdup_printf("%s/%s", d->mount, file);
        }
        g_string_append_printf(known, "%s'%s'", known->len ? ", " : "", d->name);
    }
    g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING, "datastore '%s' of '%s' is not mounted on host %s (it has %s)", ds,
                xml_path, map->host_name, known->len ? known->str : "no datastores");
    g_string_free(known, TRUE);
    return NULL;
}

static char *
ctx_parse(const char *vmx_name, gboolean *missing, void *user_data, GError **error)
{
    *missing = FALSE;
    return esx_datastore_map_parse(user_data, vmx_name, error);
}

static char *
ctx_format(const char *xml_path, void *user_data, GError **error)
{
    return esx_datastore_map_format(user_data, xml_path, error);
}

/* SCSI model auto-detection (storage, issue 9) ------------------------------ */

typedef struct {
    GByteArray *buf;
    gsize cap;
} head_sink;

static gboolean
keep_head(gpointer ud, const guint8 *buf, gsize len)
{
    head_sink *h = ud;
    gsize room = h->cap - MIN(h->cap, h->buf->len);
    g_byte_array_append(h->buf, buf, (guint)MIN(room, len));
    return TRUE;
}

/* The adapter a .vmdk descriptor names (ddb.adapterType), as libvirt's
 * driver reads it: the first 64 KiB of the file by a ranged download (a
 * descriptor is a few hundred bytes of text; a monolithic sparse disk
 * embeds it near its start). A disk that is not a "[datastore] x.vmdk"
 * takes the offline answer. */
static gboolean
ctx_autodetect(const vmx_disk *disk, vmx_scsi_model *model, void *user_data, GError **error)
{
    esx_datastore_map *map = user_data;
    if (disk->src == NULL || disk->src[0] != '[' || !g_str_has_suffix(disk->src, ".vmdk"))
        return map->offline.autodetect_scsi_model(disk, model, map->offline.user_data, error);
    g_autofree char *ds = NULL, *dir = NULL, *file = NULL;
    if (!vmx_parse_datastore_path(disk->src, &ds, &dir, &file, error))
        return FALSE;
    g_autofree char *path = dir != NULL ? g_strdup_printf("%s/%s", dir, file) : g_strdup(file);
    g_autoptr(GByteArray) buf = g_byte_array_new();
    head_sink h = { .buf = buf, .cap = 64 * 1024 };
    g_autoptr(GError) gerr = NULL;
    if (!vi_datastore_file_download(map->vi, map->dc_path, ds, path, 0, h.cap, keep_head, &h, &gerr)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "cannot read the descriptor of '%s' to detect its SCSI "
                    "controller model: %s; name the model",
                    disk->src, gerr->message);
        return FALSE;
    }
    static const struct {
        const char *adapter;
        vmx_scsi_model model;
    } adapters[] = {
        { "buslogic", VMX_SCSI_MODEL_BUSLOGIC },
        { "lsilogic", VMX_SCSI_MODEL_LSILOGIC },
        { "lsisas1068", VMX_SCSI_MODEL_LSISAS1068 },
        { "pvscsi", VMX_SCSI_MODEL_VMPVSCSI },
    };
    g_autofree char *text = g_strndup((const char *)buf->data, buf->len);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        g_autofree char *line = g_strstrip(g_strdup(lines[i]));
        if (!g_str_has_prefix(line, "ddb.adapterType"))
            continue;
        const char *eq = strchr(line, '=');
        g_autofree char *value = g_strstrip(g_strdup(eq != NULL ? eq + 1 : ""));
        gsize n = strlen(value);
        if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
            value[n - 1] = '\0';
            memmove(value, value + 1, n - 1);
        }
        for (gsize k = 0; k < G_N_ELEMENTS(adapters); k++) {
            if (g_ascii_strcasecmp(value, adapters[k].adapter) == 0) {
                *model = adapters[k].model;
                return TRUE;
            }
        }
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "disk '%s' asks for adapter type '%s', which is no SCSI controller model", disk->src, value);
        return FALSE;
    }
    g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                "the descriptor of '%s' names no adapter type (ddb.adapterType); name the SCSI controller model",
                disk->src);
    return FALSE;
}

void
esx_datastore_map_ctx(esx_datastore_map *map, vmx_convert_ctx *ctx)
{
    *ctx = map->offline;
    ctx->parse_file_name = ctx_parse;
    ctx->format_file_name = ctx_format;
    ctx->autodetect_scsi_model = ctx_autodetect;
    ctx->user_data = map;
}
