/* volume-create.c — changing volumes: vol_create_xml (a new virtual disk
 * from libvirt <volume> XML), vol_create_xml_from (CopyVirtualDisk),
 * vol_delete and vol_wipe (ZeroFillVirtualDisk). Each needs a writable
 * connection and runs its task to completion with progress and cancel.
 *
 * <volume> XML: <name> ends in ".vmdk" and may name a directory ("dir/
 * disk.vmdk", created when missing); <capacity> (bytes unless a unit says
 * otherwise) is required and not 0; <allocation> 0 makes a thin disk, equal
 * to the capacity an eager-zeroed thick one (as libvirt, allocation defaults
 * to the capacity; anything between is refused); <target><format
 * type='vmdk'/> is the only format; <target><adapter type='lsiLogic'/>
 * (busLogic, lsiLogic, ide; default busLogic as libvirt's driver) sets the
 * disk's adapter type. */
#include "esx-domain.h"
#include "esx-storage.h"
#include "esx-task.h"
#include "vmx/vmx.h"
#include "xmlguard/xmlguard.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

typedef struct {
    char *name;
    uint64_t capacity, allocation;
    char *adapter;
} volume_def;

static void
volume_def_clear(volume_def *d)
{
    g_free(d->name);
    g_free(d->adapter);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(volume_def, volume_def_clear)

static xmlNode *
child(xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent != NULL ? parent->children : NULL; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    }
    return NULL;
}

static char *
prop(xmlNode *n, const char *name)
{
    xmlChar *v = n != NULL ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    char *s = v != NULL ? g_strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static char *
text(xmlNode *n)
{
    xmlChar *v = n != NULL ? xmlNodeGetContent(n) : NULL;
    char *s = v != NULL ? g_strstrip(g_strdup((const char *)v)) : NULL;
    xmlFree(v);
    return s;
}

/* A size element with libvirt's units (default bytes; vmx_scale_integer(),
 * the one table of units, case-insensitive as libvirt's). */
static int32_t
parse_size(xmlNode *n, const char *what, uint64_t *out, hvd_error *err)
{
    g_autofree char *value = text(n), *unit = prop(n, "unit");
    g_autoptr(GError) error = NULL;
    guint64 v = 0;
    if (!vmx_parse_scaled(value, unit, 1, G_MAXUINT64, &v, &error))
        return esx_fail(err, HVD_ERR_XML, NULL, "volume XML: <%s>: %s", what, error->message);
    *out = v;
    return HVD_OK;
}

static int32_t
parse_root(xmlNode *root, volume_def *def, hvd_error *err)
{
    if (root == NULL || strcmp((const char *)root->name, "volume") != 0)
        return esx_fail(err, HVD_ERR_XML, NULL, "volume XML: the root element is not <volume>");
    def->name = text(child(root, "name"));
    if (def->name == NULL || *def->name == '\0')
        return esx_fail(err, HVD_ERR_XML, NULL, "volume XML: <name> is missing");
    xmlNode *cap = child(root, "capacity"), *alloc = child(root, "allocation");
    if (cap == NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, "volume XML: <capacity> is missing");
    int32_t rc = parse_size(cap, "capacity", &def->capacity, err);
    if (rc == HVD_OK && alloc != NULL)
        rc = parse_size(alloc, "allocation", &def->allocation, err);
    else
        def->allocation = def->capacity;
    if (rc != HVD_OK)
        return rc;
    xmlNode *target = child(root, "target");
    g_autofree char *format = prop(child(target, "format"), "type");
    if (format != NULL && strcmp(format, "vmdk") != 0)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "volume XML: format '%s' is not supported: ESX creates virtual disks (vmdk)", format);
    def->adapter = prop(child(target, "adapter"), "type");
    return HVD_OK;
}

static int32_t
parse_volume(const char *xml, volume_def *def, hvd_error *err)
{
    if (xml == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "the volume XML is NULL");
    g_autofree char *guard = xmlguard_check(xml, strlen(xml), 64);
    if (guard != NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, "volume XML refused before parsing: %s", guard);
    xmlDoc *doc = xmlReadMemory(xml, (int)MIN(strlen(xml), (size_t)G_MAXINT), "volume.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL)
        return esx_fail(err, HVD_ERR_XML, NULL, "malformed volume XML");
    int32_t rc = parse_root(xmlDocGetRootElement(doc), def, err);
    xmlFreeDoc(doc);
    return rc;
}

/* What ESX makes of a definition: the disk type, or a refusal. A copy
 * takes its size and type from its source: only the name counts. */
static int32_t
check_def(const volume_def *def, gboolean copy, const char **disk_type, const char **adapter, hvd_error *err)
{
    if (!g_str_has_suffix(def->name, ".vmdk") || strlen(def->name) == strlen(".vmdk"))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "volume name '%s' does not end in '.vmdk': ESX volumes created here are virtual disks "
                        "(name them e.g. 'dir/disk.vmdk')",
                        def->name);
    if (def->name[0] == '/' || def->name[0] == '[' || strstr(def->name, "..") != NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "volume name '%s' must be relative to its pool, without '..' (e.g. 'dir/disk.vmdk')",
                        def->name);
    if (copy)
        return HVD_OK;
    if (def->capacity == 0)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "volume '%s': a capacity of 0 makes no virtual disk",
                        def->name);
    if (def->capacity % 1024 != 0)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "volume '%s': ESX sizes virtual disks in KiB; %" G_GUINT64_FORMAT " bytes is not a multiple "
                        "of 1024",
                        def->name, def->capacity);
    if (def->allocation == 0)
        *disk_type = "thin";
    else if (def->allocation == def->capacity)
        *disk_type = "eagerZeroedThick";
    else
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "volume '%s': ESX makes thin disks (allocation 0) or eager-zeroed thick ones (allocation = "
                        "capacity), not an allocation of %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                        def->name, def->allocation, def->capacity);
    static const char *const adapters[] = { "busLogic", "lsiLogic", "ide" };
    *adapter = def->adapter == NULL ? "busLogic" : NULL;
    for (gsize i = 0; def->adapter != NULL && i < G_N_ELEMENTS(adapters); i++) {
        if (g_ascii_strcasecmp(def->adapter, adapters[i]) == 0)
            *adapter = adapters[i];
    }
    if (*adapter == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "volume '%s': unknown adapter type '%s' (busLogic, lsiLogic or ide)", def->name, def->adapter);
    return HVD_OK;
}

static int32_t
check_change(hvd_conn *conn, const char *op, uint32_t flags, hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK)
        rc = esx_check_flags(op, flags, 0, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, op, err);
    return rc;
}

/* MakeDirectory for the directory part of `name` in `pool`, with its
 * parents; one that exists already is fine. */
static int32_t
make_directory(hvd_conn *conn, const esx_location *loc, const char *pool, const char *name, hvd_error *err)
{
    const char *slash = strrchr(name, '/');
    if (slash == NULL)
        return HVD_OK;
    g_autofree char *dir = g_strdup_printf("[%s] %.*s", pool, (int)(slash - name), name);
    g_autoptr(vi_value) args = vi_value_new("MakeDirectory", NULL, NULL);
    vi_value_add_string(args, "name", dir);
    vi_value_add_moref(args, "datacenter", &loc->datacenter);
    vi_value_add_bool(args, "createParentDirectories", TRUE);
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) r = vi_call(conn->vi, "MakeDirectory", &sc->fileManager, args, &gerr);
    if (r == NULL && g_strcmp0(vi_error_fault_name(gerr), "FileAlreadyExists") != 0)
        return esx_fail_gerror(err, gerr);
    return HVD_OK;
}

static int32_t
located_disk_manager(hvd_conn *conn, const esx_location **loc, const vi_moref **vdm, hvd_error *err)
{
    int32_t rc = esx_conn_locate(conn, loc, err);
    if (rc != HVD_OK)
        return rc;
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    if (sc == NULL || sc->virtualDiskManager.value == NULL)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL, "%s has no virtual disk manager", conn->uri->host);
    *vdm = &sc->virtualDiskManager;
    return HVD_OK;
}

/* esx_run_task for a disk or file method on `path`: a task that failed
 * because the file exists is HVD_ERR_EXISTS, because it is missing
 * HVD_ERR_NO_VOLUME (task failures are otherwise HVD_ERR_OPERATION_FAILED). */
static int32_t
run_file_task(hvd_conn *conn, const char *method, const vi_moref *obj, const vi_value *args, const char *path,
              const hvd_progress *progress, hvd_error *err)
{
    hvd_error mine = HVD_ERROR_INIT;
    g_autofree char *what = g_strdup_printf("%s for '%s'", method, path);
    int32_t rc = esx_run_task(conn, method, obj, args, what, TRUE, progress, NULL, &mine);
    if (rc == HVD_OK)
        return rc;
    if (strcmp(mine.fault, "FileAlreadyExists") == 0)
        return esx_fail(err, HVD_ERR_EXISTS, mine.fault, "volume '%s' already exists", path);
    if (strcmp(mine.fault, "FileNotFound") == 0)
        return esx_fail(err, HVD_ERR_NO_VOLUME, mine.fault, "%s", mine.message);
    return esx_fail(err, rc, mine.fault[0] ? mine.fault : NULL, "%s", mine.message);
}

/* The new volume's info for `info_out` (may be NULL): looked up again. */
static int32_t
created(hvd_conn *conn, const char *path, hvd_volume_info **info_out, hvd_error *err)
{
    if (info_out == NULL)
        return HVD_OK;
    return esx_vol_lookup_by_path(conn, path, 0, info_out, err);
}

/* The volume at `volume` (a path or a key), as a path. */
static int32_t
volume_path(hvd_conn *conn, const char *volume, char **path_out, gboolean *disk_out, hvd_error *err)
{
    g_autofree hvd_volume_info *v = NULL;
    int32_t rc = volume != NULL && volume[0] == '[' ? esx_vol_lookup_by_path(conn, volume, 0, &v, err)
                                                    : esx_vol_lookup_by_key(conn, volume, 0, &v, err);
    if (rc != HVD_OK)
        return rc;
    if (v->type == HVD_VOL_BLOCK)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "'%s' is an iSCSI LUN: LUNs are managed on their storage array, not through ESX", v->path);
    *path_out = g_strdup(v->path);
    *disk_out = g_str_has_suffix(v->path, ".vmdk");
    return HVD_OK;
}

/* A new volume's place, checked and prepared: the definition, the disk
 * type and adapter for a new disk, the source's path for a copy, the
 * located host and its disk manager, the path; its directory exists. */
typedef struct {
    volume_def def;
    const char *disk_type, *adapter;
    char *source; /* a copy's source path */
    char *path;   /* "[pool] name" */
    const esx_location *loc;
    const vi_moref *vdm;
} new_volume;

static void
new_volume_clear(new_volume *nv)
{
    volume_def_clear(&nv->def);
    g_free(nv->source);
    g_free(nv->path);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(new_volume, new_volume_clear)

static int32_t
prepare(hvd_conn *conn, const char *op, uint32_t flags, const char *pool, const char *xml, const char *source,
        new_volume *nv, hvd_error *err)
{
    int32_t rc = check_change(conn, op, flags, err);
    if (rc == HVD_OK)
        rc = parse_volume(xml, &nv->def, err);
    if (rc == HVD_OK)
        rc = check_def(&nv->def, source != NULL, &nv->disk_type, &nv->adapter, err);
    g_autoptr(esx_pool) p = NULL;
    if (rc == HVD_OK)
        rc = esx_pool_resolve(conn, pool, &p, err);
    if (rc == HVD_OK && p->iscsi)
        rc = esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                      "storage pool '%s' is an iSCSI target: its LUNs are made on the storage array, not through ESX",
                      p->name);
    if (rc != HVD_OK)
        return rc;
    if (source != NULL) {
        gboolean disk = FALSE;
        rc = volume_path(conn, source, &nv->source, &disk, err);
        if (rc != HVD_OK)
            return rc;
        if (!disk)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "'%s' is not a virtual disk: only .vmdk volumes are copied",
                            nv->source);
    }
    rc = located_disk_manager(conn, &nv->loc, &nv->vdm, err);
    if (rc == HVD_OK)
        rc = make_directory(conn, nv->loc, p->name, nv->def.name, err);
    nv->path = g_strdup_printf("[%s] %s", p->name, nv->def.name);
    return rc;
}

int32_t HVD_CALL
esx_vol_create_xml(hvd_conn *conn, const char *pool, const char *xml, uint32_t flags, const hvd_progress *progress,
                   hvd_volume_info **info_out, hvd_error *err)
{
    if (info_out != NULL)
        *info_out = NULL;
    g_auto(new_volume) nv = { 0 };
    int32_t rc = prepare(conn, "vol_create_xml", flags, pool, xml, NULL, &nv, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_value) args = vi_value_new("CreateVirtualDisk_Task", NULL, NULL);
    vi_value_add_string(args, "name", nv.path);
    vi_value_add_moref(args, "datacenter", &nv.loc->datacenter);
    vi_value *spec = vi_value_add_object(args, "spec", "FileBackedVirtualDiskSpec");
    vi_value_add_string(spec, "diskType", nv.disk_type);
    vi_value_add_string(spec, "adapterType", nv.adapter);
    vi_value_add_int(spec, "capacityKb", (gint64)(nv.def.capacity / 1024));
    rc = run_file_task(conn, "CreateVirtualDisk_Task", nv.vdm, args, nv.path, progress, err);
    if (rc != HVD_OK)
        return rc;
    return created(conn, nv.path, info_out, err);
}

int32_t HVD_CALL
esx_vol_create_xml_from(hvd_conn *conn, const char *pool, const char *xml, const char *source, uint32_t flags,
                        const hvd_progress *progress, hvd_volume_info **info_out, hvd_error *err)
{
    if (info_out != NULL)
        *info_out = NULL;
    g_auto(new_volume) nv = { 0 };
    if (source == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "vol_create_xml_from: source is NULL");
    int32_t rc = prepare(conn, "vol_create_xml_from", flags, pool, xml, source, &nv, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_value) args = vi_value_new("CopyVirtualDisk_Task", NULL, NULL);
    vi_value_add_string(args, "sourceName", nv.source);
    vi_value_add_moref(args, "sourceDatacenter", &nv.loc->datacenter);
    vi_value_add_string(args, "destName", nv.path);
    vi_value_add_moref(args, "destDatacenter", &nv.loc->datacenter);
    vi_value_add_bool(args, "force", FALSE);
    rc = run_file_task(conn, "CopyVirtualDisk_Task", nv.vdm, args, nv.path, progress, err);
    if (rc != HVD_OK)
        return rc;
    return created(conn, nv.path, info_out, err);
}

int32_t HVD_CALL
esx_vol_delete(hvd_conn *conn, const char *volume, uint32_t flags, const hvd_progress *progress, hvd_error *err)
{
    int32_t rc = check_change(conn, "vol_delete", flags, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *path = NULL;
    gboolean disk = FALSE;
    rc = volume_path(conn, volume, &path, &disk, err);
    const esx_location *loc = NULL;
    const vi_moref *vdm = NULL;
    if (rc == HVD_OK)
        rc = located_disk_manager(conn, &loc, &vdm, err);
    if (rc != HVD_OK)
        return rc;
    /* a disk goes with its extents; another file alone */
    const char *method = disk ? "DeleteVirtualDisk_Task" : "DeleteDatastoreFile_Task";
    const vi_moref *obj = disk ? vdm : &vi_conn_service_content(conn->vi)->fileManager;
    g_autoptr(vi_value) args = vi_value_new(method, NULL, NULL);
    vi_value_add_string(args, "name", path);
    vi_value_add_moref(args, "datacenter", &loc->datacenter);
    return run_file_task(conn, method, obj, args, path, progress, err);
}

int32_t HVD_CALL
esx_vol_wipe(hvd_conn *conn, const char *volume, uint32_t flags, const hvd_progress *progress, hvd_error *err)
{
    int32_t rc = check_change(conn, "vol_wipe", flags, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *path = NULL;
    gboolean disk = FALSE;
    rc = volume_path(conn, volume, &path, &disk, err);
    if (rc != HVD_OK)
        return rc;
    if (!disk)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "'%s' is not a virtual disk: ESX zero-fills virtual disks only (ZeroFillVirtualDisk)", path);
    const esx_location *loc = NULL;
    const vi_moref *vdm = NULL;
    rc = located_disk_manager(conn, &loc, &vdm, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(vi_value) args = vi_value_new("ZeroFillVirtualDisk_Task", NULL, NULL);
    vi_value_add_string(args, "name", path);
    vi_value_add_moref(args, "datacenter", &loc->datacenter);
    return run_file_task(conn, "ZeroFillVirtualDisk_Task", vdm, args, path, progress, err);
}
