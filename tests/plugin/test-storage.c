/* The storage table's pools and volumes against the simulator, through the
 * loader as a host calls it: pool_list (what it costs, active and
 * inactive), the lookups by name and by UUID (the same UUID on a second
 * connection), pool_get_xml for a local and an NFS datastore, pool_refresh
 * checked on the server; the volume lookups, XML, create, clone, wipe and
 * delete checked on the server's files; iSCSI targets and their LUNs; on
 * the ESX model and through a vCenter; unknown pools, bad flags and a
 * read-only connection. The server's state is read through the simulator's
 * control endpoint (/hvd-sim/datastore). Transfers:
 * test-storage-transfer.c. */
#include "hvd-loader.h"
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>
#include <stdio.h>

static const hvd_driver *drv;

typedef struct {
    sim_instance *sim;
    char *uri;
    const char *host; /* the URI's host, as the control endpoint names it */
} fixture;

static int32_t HVD_CALL
answer_credentials(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    const sim_instance *sim = user_data;
    for (uint32_t i = 0; i < ncreds; i++) {
        const char *v = creds[i].type == HVD_CRED_USERNAME ? sim->username : sim->password;
        size_t n = strlen(v);
        g_assert_cmpuint(n + 1, <=, creds[i].result_capacity);
        memcpy(creds[i].result, v, n + 1);
        creds[i].result_len = (uint32_t)n;
    }
    return 0;
}

static hvd_conn *
connect_to(fixture *f, uint32_t flags)
{
    hvd_host host = { .struct_size = sizeof(host), .auth = answer_credentials, .user_data = f->sim };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->connect->open(f->uri, NULL, 0, &host, flags, &conn, &err) != HVD_OK)
        g_error("open %s: %s", f->uri, err.message);
    return conn;
}

static void
fixture_start(fixture *f, const char *model)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = model };
    f->sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    f->host = strcmp(model, "esx") == 0 ? "" : "DC0_H0";
    if (strcmp(model, "esx") == 0)
        f->uri = g_strdup_printf("esx://%s:%d/?transport=http", f->sim->host, f->sim->port);
    else
        f->uri = g_strdup_printf("vpx://%s:%d/DC0/DC0_H0?transport=http", f->sim->host, f->sim->port);
}

static void
fixture_stop(fixture *f)
{
    sim_stop(f->sim);
    g_free(f->uri);
}

/* A control request; its JSON answer (NULL when not wanted). */
static json_object *
sim_json(fixture *f, const char *method, const char *path, const char *body)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *out = NULL;
    g_assert_true(sim_control(f->sim, method, path, body, &out, &gerr));
    g_assert_no_error(gerr);
    return out != NULL ? json_tokener_parse(out) : NULL;
}

static int
request_count(fixture *f, const char *method)
{
    g_autoptr(GError) gerr = NULL;
    int n = sim_call_count(f->sim, method, &gerr);
    g_assert_no_error(gerr);
    return n;
}

static hvd_pool_list *
pools(hvd_conn *conn, uint32_t flags)
{
    hvd_pool_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->storage->pool_list(conn, flags, &l, &err) != HVD_OK)
        g_error("pool_list: %s", err.message);
    g_assert_cmpuint(l->entry_size, ==, sizeof(hvd_pool_info));
    return l;
}

static const hvd_pool_info *
pool_named(const hvd_pool_list *l, const char *name)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_pool_info *p = HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, i);
        if (strcmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}

static hvd_pool_info *
pool_info(hvd_conn *conn, const char *name)
{
    hvd_pool_info *p = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->storage->pool_lookup_by_name(conn, name, 0, &p, &err) != HVD_OK)
        g_error("pool_lookup_by_name %s: %s", name, err.message);
    return p;
}

static char *
pool_xml(hvd_conn *conn, const char *name)
{
    char *xml = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->storage->pool_get_xml(conn, name, 0, &xml, &err) != HVD_OK)
        g_error("pool_get_xml %s: %s", name, err.message);
    return xml;
}

static void
add_nfs(fixture *f, const char *name)
{
    g_autofree char *body = g_strdup_printf("{\"host\":\"%s\",\"name\":\"%s\",\"type\":\"NFS\","
                                            "\"remote_host\":\"192.0.2.30\",\"remote_path\":\"/export/%s\"}",
                                            f->host, name, name);
    json_object *o = sim_json(f, "POST", "/datastore", body);
    json_object_put(o);
}

/* ---- the tests ----------------------------------------------------------- */

static void
check_pools(const char *model)
{
    fixture f = { 0 };
    fixture_start(&f, model);
    hvd_conn *conn = connect_to(&f, 0);
    if (strcmp(model, "esx") == 0) {
        /* esx:// serves one host: no locate, the list is the first request */
        json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
        drv->free(pools(conn, 0));
        g_assert_cmpint(request_count(&f, NULL), ==, 1);
    } else {
        drv->free(pools(conn, 0)); /* located at open */
    }

    /* one property round trip for the whole list */
    json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
    hvd_pool_list *l = pools(conn, 0);
    g_assert_cmpint(request_count(&f, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(request_count(&f, NULL), ==, 1);
    const hvd_pool_info *local = pool_named(l, "LocalDS_0");
    g_assert_nonnull(local);
    g_assert_cmpint(local->state, ==, HVD_POOL_RUNNING);
    g_assert_cmpstr(local->type, ==, "other");
    json_object *ds = sim_json(&f, "GET", "/datastore?name=LocalDS_0", NULL);
    g_assert_cmpuint(local->capacity, ==, (uint64_t)json_object_get_int64(json_object_object_get(ds, "capacity")));
    g_assert_cmpuint(local->available, ==, (uint64_t)json_object_get_int64(json_object_object_get(ds, "free_space")));
    json_object_put(ds);
    g_assert_cmpuint(local->allocation, ==, local->capacity - local->available);
    uint8_t uuid[16];
    memcpy(uuid, local->uuid, 16);
    drv->free(l);

    /* an NFS datastore: type netfs, with its server and export */
    add_nfs(&f, "nfs1");
    hvd_pool_info *nfs = pool_info(conn, "nfs1");
    g_assert_cmpstr(nfs->type, ==, "nfs");
    g_assert_cmpint(nfs->state, ==, HVD_POOL_RUNNING);
    g_assert_true(memcmp(nfs->uuid, uuid, 16) != 0);
    drv->free(nfs);
    g_autofree char *xml = pool_xml(conn, "nfs1");
    g_assert_nonnull(strstr(xml, "<pool type='netfs'>"));
    g_assert_nonnull(strstr(xml, "<name>nfs1</name>"));
    g_assert_nonnull(strstr(xml, "<host name='192.0.2.30'/>"));
    g_assert_nonnull(strstr(xml, "<dir path='/export/nfs1'/>"));
    g_assert_nonnull(strstr(xml, "<format type='nfs'/>"));
    g_autofree char *lxml = pool_xml(conn, "LocalDS_0");
    g_assert_nonnull(strstr(lxml, "<pool type='dir'>"));
    g_assert_nonnull(strstr(lxml, "<capacity unit='bytes'>"));

    /* the UUID is the datastore's, not the list's: the same on a new connection */
    hvd_conn *other = connect_to(&f, 0);
    hvd_pool_info *p = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->storage->pool_lookup_by_uuid(other, uuid, 0, &p, &err), ==, HVD_OK);
    g_assert_cmpstr(p->name, ==, "LocalDS_0");
    drv->free(p);
    char text[37];
    g_snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0],
               uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10], uuid[11],
               uuid[12], uuid[13], uuid[14], uuid[15]);
    g_assert_nonnull(strstr(lxml, text));

    /* an inaccessible datastore is an inactive pool */
    json_object_put(sim_json(&f, "POST", "/datastore", "{\"name\":\"nfs1\",\"accessible\":false}"));
    hvd_pool_list *act = pools(other, HVD_POOL_LIST_ACTIVE), *inact = pools(other, HVD_POOL_LIST_INACTIVE);
    g_assert_null(pool_named(act, "nfs1"));
    g_assert_nonnull(pool_named(act, "LocalDS_0"));
    g_assert_cmpuint(inact->count, ==, 1);
    g_assert_cmpint(pool_named(inact, "nfs1")->state, ==, HVD_POOL_INACCESSIBLE);
    drv->free(act);
    drv->free(inact);

    /* refresh: one RefreshDatastore on the server */
    json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
    g_assert_cmpint(drv->storage->pool_refresh(conn, "LocalDS_0", 0, &err), ==, HVD_OK);
    g_assert_cmpint(request_count(&f, "RefreshDatastore"), ==, 1);

    /* unknown pools, bad flags */
    g_assert_cmpint(drv->storage->pool_lookup_by_name(conn, "no-such-ds", 0, &p, &err), ==, HVD_ERR_NO_POOL);
    g_assert_null(p);
    g_assert_nonnull(strstr(err.message, "no-such-ds"));
    g_assert_nonnull(strstr(err.message, "LocalDS_0"));
    uint8_t none[16] = { 1, 2, 3 };
    g_assert_cmpint(drv->storage->pool_lookup_by_uuid(conn, none, 0, &p, &err), ==, HVD_ERR_NO_POOL);
    char *x = NULL;
    g_assert_cmpint(drv->storage->pool_get_xml(conn, "no-such-ds", 0, &x, &err), ==, HVD_ERR_NO_POOL);
    g_assert_null(x);
    g_assert_cmpint(drv->storage->pool_refresh(conn, "no-such-ds", 0, &err), ==, HVD_ERR_NO_POOL);
    hvd_pool_list *bad = NULL;
    g_assert_cmpint(drv->storage->pool_list(conn, 0x4, &bad, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_null(bad);

    /* read-only: reads work, refresh is refused before any request */
    hvd_conn *ro = connect_to(&f, HVD_CONNECT_READONLY);
    drv->free(pools(ro, 0));
    json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
    g_assert_cmpint(drv->storage->pool_refresh(ro, "LocalDS_0", 0, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(request_count(&f, "RefreshDatastore"), ==, 0);

    drv->connect->close(ro);
    drv->connect->close(other);
    drv->connect->close(conn);
    fixture_stop(&f);
}

/* The local directory that holds a datastore's files on the simulator. */
static char *
datastore_dir(fixture *f, const char *name)
{
    g_autofree char *path = g_strdup_printf("/datastore?name=%s", name);
    json_object *ds = sim_json(f, "GET", path, NULL);
    char *dir = g_strdup(json_object_get_string(json_object_object_get(ds, "dir")));
    json_object_put(ds);
    return dir;
}

static const hvd_volume_info *
volume_named(const hvd_volume_list *l, const char *name)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        if (strcmp(v->name, name) == 0)
            return v;
    }
    return NULL;
}

static void
check_volumes(const char *model)
{
    fixture f = { 0 };
    fixture_start(&f, model);
    hvd_conn *conn = connect_to(&f, 0);
    g_autofree char *dir = datastore_dir(&f, "LocalDS_0");
    g_autofree char *isodir = g_build_filename(dir, "iso", NULL);
    g_assert_cmpint(g_mkdir(isodir, 0755), ==, 0);
    g_autofree char *iso = g_build_filename(isodir, "install.iso", NULL);
    g_autofree char *bytes = g_malloc0(3 << 20);
    g_assert_true(g_file_set_contents(iso, bytes, 3 << 20, NULL));
    drv->free(pools(conn, 0)); /* the connection locates its host once */

    /* one search task for the pool; with HVD_VOL_LIST_KEYS, then one UUID
     * query per virtual disk (test-storage-keys counts the plain list) */
    json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
    hvd_volume_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->storage->vol_list(conn, "LocalDS_0", HVD_VOL_LIST_KEYS, &l, &err) != HVD_OK)
        g_error("vol_list: %s", err.message);
    g_assert_cmpint(request_count(&f, "SearchDatastoreSubFolders_Task"), ==, 1);
    g_assert_cmpint(request_count(&f, "SearchDatastore_Task"), ==, 0);
    uint32_t disks = 0;
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        g_assert_null(strstr(v->name, "-flat.vmdk"));
        g_assert_true(v->key[0] != '[');
        g_assert_cmpstr(v->pool, ==, "LocalDS_0");
        disks += g_str_has_suffix(v->name, ".vmdk");
    }
    g_assert_cmpuint(disks, >=, 1);
    g_assert_cmpint(request_count(&f, "QueryVirtualDiskUuid"), ==, (int)disks);
    const hvd_volume_info *i1 = volume_named(l, "iso/install.iso");
    g_assert_nonnull(i1);
    g_assert_cmpuint(i1->capacity, ==, 3 << 20);
    g_assert_cmpuint(i1->allocation, ==, 3 << 20);
    g_assert_cmpstr(i1->path, ==, "[LocalDS_0] iso/install.iso");
    g_autofree char *iso_key = g_strdup(i1->key);
    const hvd_volume_info *d1 = NULL;
    for (uint32_t i = 0; i < l->count && d1 == NULL; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        if (g_str_has_suffix(v->name, "/disk1.vmdk"))
            d1 = v;
    }
    g_assert_nonnull(d1);
    g_assert_cmpuint(strlen(d1->key), ==, 36); /* the disk's UUID */
    g_autofree char *disk_key = g_strdup(d1->key), *disk_name = g_strdup(d1->name), *disk_path = g_strdup(d1->path);
    drv->free(l);

    /* lookups: by path, by (pool, name), by key on a second connection */
    hvd_volume_info *v = NULL;
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, "[LocalDS_0] iso/install.iso", 0, &v, &err), ==, HVD_OK);
    g_assert_cmpstr(v->key, ==, iso_key);
    drv->free(v);
    g_assert_cmpint(drv->storage->vol_lookup_by_name(conn, "LocalDS_0", disk_name, 0, &v, &err), ==, HVD_OK);
    g_assert_cmpstr(v->key, ==, disk_key);
    drv->free(v);
    hvd_conn *other = connect_to(&f, HVD_CONNECT_READONLY);
    g_assert_cmpint(drv->storage->vol_lookup_by_key(other, disk_key, 0, &v, &err), ==, HVD_OK);
    g_assert_cmpstr(v->path, ==, disk_path);
    drv->free(v);
    g_assert_cmpint(drv->storage->vol_lookup_by_key(other, iso_key, 0, &v, &err), ==, HVD_OK);
    g_assert_cmpstr(v->name, ==, "iso/install.iso");
    drv->free(v);
    char *xml = NULL;
    g_assert_cmpint(drv->storage->vol_get_xml(other, "[LocalDS_0] iso/install.iso", 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<name>iso/install.iso</name>"));
    g_assert_nonnull(strstr(xml, "<capacity unit='bytes'>3145728</capacity>"));
    g_assert_nonnull(strstr(xml, "<path>[LocalDS_0] iso/install.iso</path>"));
    g_assert_nonnull(strstr(xml, "<format type='iso'/>"));
    drv->free(xml);
    g_assert_cmpint(drv->storage->vol_get_xml(other, disk_key, 0, &xml, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(xml, "<format type='vmdk'/>"));
    drv->free(xml);

    /* missing volumes and pools; an inaccessible pool */
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, "[LocalDS_0] iso/nope.iso", 0, &v, &err), ==,
                    HVD_ERR_NO_VOLUME);
    g_assert_null(v);
    g_assert_nonnull(strstr(err.message, "iso/nope.iso"));
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, "[nods] a.iso", 0, &v, &err), ==, HVD_ERR_NO_POOL);
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, "not a path", 0, &v, &err), ==, HVD_ERR_NO_VOLUME);
    g_assert_cmpint(drv->storage->vol_lookup_by_key(conn, "6000c29a-0000-0000-0000-000000000000", 0, &v, &err), ==,
                    HVD_ERR_NO_VOLUME);
    g_assert_cmpint(drv->storage->vol_lookup_by_name(conn, "nods", "a.iso", 0, &v, &err), ==, HVD_ERR_NO_POOL);
    g_assert_cmpint(drv->storage->vol_list(conn, "nods", 0, &l, &err), ==, HVD_ERR_NO_POOL);
    g_assert_null(l);
    g_assert_cmpint(drv->storage->vol_list(conn, "LocalDS_0", 0x2, &l, &err), ==, HVD_ERR_BAD_FLAGS);
    add_nfs(&f, "nfs2");
    json_object_put(sim_json(&f, "POST", "/datastore", "{\"name\":\"nfs2\",\"accessible\":false}"));
    g_assert_cmpint(drv->storage->vol_list(conn, "nfs2", 0, &l, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "inaccessible"));
    /* a key lookup passes the inaccessible pool by */
    g_assert_cmpint(drv->storage->vol_lookup_by_key(conn, disk_key, 0, &v, &err), ==, HVD_OK);
    drv->free(v);

    drv->connect->close(other);
    drv->connect->close(conn);
    fixture_stop(&f);
}

/* The text of the datastore file `rel` on the server, or NULL. */
static char *
server_file(const char *dir, const char *rel)
{
    g_autofree char *file = g_build_filename(dir, rel, NULL);
    char *text = NULL;
    if (!g_file_get_contents(file, &text, NULL, NULL))
        return NULL;
    return text;
}

static gint64
server_size(const char *dir, const char *rel)
{
    g_autofree char *file = g_build_filename(dir, rel, NULL);
    GStatBuf st;
    return g_stat(file, &st) == 0 ? (gint64)st.st_size : -1;
}

static int32_t
create(hvd_conn *conn, const char *xml, hvd_volume_info **info, hvd_error *err)
{
    return drv->storage->vol_create_xml(conn, "LocalDS_0", xml, 0, NULL, info, err);
}

/* domxml-to-native with a connection for a domain whose SCSI controller
 * model is 'auto' and whose disk is `disk`: the VMX, or NULL when the call
 * fails with `want` (any failure status when `want` is not HVD_OK). */
static char *
scsi_auto_vmx(hvd_conn *conn, const char *disk, int32_t want)
{
    g_autofree char *xml =
        g_strdup_printf("<domain type='vmware'><name>auto</name><memory>262144</memory><vcpu>1</vcpu>"
                        "<os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='%s'/>"
                        "<target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' unit='0'/></disk>"
                        "<controller type='scsi' index='0' model='auto'/></devices></domain>",
                        disk);
    char *vmx = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = drv->native->from_xml(conn, "vmware-vmx", xml, NULL, 0, 0, &vmx, &err);
    if (want == HVD_OK && rc != HVD_OK)
        g_error("from_xml %s: %s", disk, err.message);
    if (want != HVD_OK) {
        g_assert_cmpint(rc, !=, HVD_OK);
        g_assert_nonnull(strstr(err.message, "descriptor"));
        return NULL;
    }
    char *copy = g_strdup(vmx);
    drv->free(vmx);
    return copy;
}

static void
check_changes(const char *model)
{
    fixture f = { 0 };
    fixture_start(&f, model);
    hvd_conn *conn = connect_to(&f, 0), *ro = connect_to(&f, HVD_CONNECT_READONLY);
    g_autofree char *dir = datastore_dir(&f, "LocalDS_0");
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *v = NULL;

    /* thin (allocation 0), in a directory that does not exist yet */
    g_assert_cmpint(create(conn,
                           "<volume><name>new/thin.vmdk</name><capacity unit='MiB'>10</capacity>"
                           "<allocation>0</allocation></volume>",
                           &v, &err),
                    ==, HVD_OK);
    g_assert_cmpstr(v->path, ==, "[LocalDS_0] new/thin.vmdk");
    g_assert_cmpuint(v->capacity, ==, 10 << 20);
    g_assert_cmpuint(v->allocation, ==, 0);
    g_assert_cmpuint(strlen(v->key), ==, 36);
    drv->free(v);
    g_autofree char *desc = server_file(dir, "new/thin.vmdk");
    g_assert_nonnull(desc);
    g_assert_nonnull(strstr(desc, "RW 20480 VMFS \"thin-flat.vmdk\""));
    g_assert_nonnull(strstr(desc, "ddb.adapterType = \"busLogic\""));
    g_assert_nonnull(strstr(desc, "ddb.thinProvisioned = \"1\""));

    /* eager-zeroed thick (allocation = capacity), lsiLogic */
    g_assert_cmpint(create(conn,
                           "<volume><name>new/thick.vmdk</name><capacity unit='kib'>2048</capacity>"
                           "<allocation unit='KIB'>2048</allocation><target><format type='vmdk'/>"
                           "<adapter type='lsiLogic'/></target></volume>",
                           NULL, &err),
                    ==, HVD_OK);
    g_autofree char *thick = server_file(dir, "new/thick.vmdk");
    g_assert_nonnull(strstr(thick, "ddb.adapterType = \"lsiLogic\""));
    g_assert_nonnull(strstr(thick, "ddb.hvdsim.diskType = \"eagerZeroedThick\""));
    g_assert_cmpint(server_size(dir, "new/thick-flat.vmdk"), ==, 2 << 20);
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, "[LocalDS_0] new/thick.vmdk", 0, &v, &err), ==, HVD_OK);
    g_assert_cmpuint(v->capacity, ==, 2 << 20);
    g_assert_cmpuint(v->allocation, ==, 2 << 20);
    drv->free(v);

    /* SCSI controller model 'auto': read from each disk's descriptor */
    g_autofree char *vmx_thick = scsi_auto_vmx(conn, "[LocalDS_0] new/thick.vmdk", HVD_OK);
    g_assert_nonnull(strstr(vmx_thick, "scsi0.virtualDev = \"lsilogic\""));
    g_autofree char *vmx_thin = scsi_auto_vmx(conn, "[LocalDS_0] new/thin.vmdk", HVD_OK);
    g_assert_nonnull(strstr(vmx_thin, "scsi0.virtualDev = \"buslogic\""));
    g_autofree char *vmx_none = scsi_auto_vmx(conn, "[LocalDS_0] new/none.vmdk", HVD_ERR_CONFIG_UNSUPPORTED);

    /* refusals: nothing is created */
    g_assert_cmpint(create(conn, "<volume><name>new/disk</name><capacity>1048576</capacity></volume>", &v, &err), ==,
                    HVD_ERR_INVALID_ARG);
    g_assert_null(v);
    g_assert_nonnull(strstr(err.message, "does not end in '.vmdk'"));
    g_assert_cmpint(create(conn, "<volume><name>z.vmdk</name><capacity>0</capacity></volume>", &v, &err), ==,
                    HVD_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(err.message, "capacity of 0"));
    g_assert_cmpint(create(conn,
                           "<volume><name>z.vmdk</name><capacity>2097152</capacity>"
                           "<allocation>1048576</allocation></volume>",
                           &v, &err),
                    ==, HVD_ERR_NO_SUPPORT);
    g_assert_cmpint(create(conn, "<volume><name>z.vmdk</name>", &v, &err), ==, HVD_ERR_XML);
    /* units: libvirt's table, case-insensitive (vmx/units.c) */
    g_assert_cmpint(create(conn, "<volume><name>z.vmdk</name><capacity unit='parsec'>1</capacity></volume>", &v, &err),
                    ==, HVD_ERR_XML);
    g_assert_nonnull(strstr(err.message, "<capacity>: unknown unit 'parsec'"));
    g_assert_cmpint(create(conn, "<volume><name>z.vmdk</name><capacity unit='EiB'>16</capacity></volume>", &v, &err),
                    ==, HVD_ERR_XML);
    g_assert_nonnull(strstr(err.message, "<capacity>: 16EiB is too large"));
    g_assert_cmpint(drv->storage->vol_create_xml(conn, "nods",
                                                 "<volume><name>z.vmdk</name><capacity>1048576</capacity></volume>", 0,
                                                 NULL, &v, &err),
                    ==, HVD_ERR_NO_POOL);
    int32_t rc = create(conn, "<volume><name>new/thin.vmdk</name><capacity>1048576</capacity></volume>", &v, &err);
    g_assert_cmpint(rc, ==, HVD_ERR_EXISTS);
    g_assert_nonnull(strstr(err.message, "already exists"));
    g_assert_cmpint(drv->storage->vol_create_xml(ro, "LocalDS_0",
                                                 "<volume><name>ro.vmdk</name><capacity>1048576</capacity></volume>", 0,
                                                 NULL, &v, &err),
                    ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(server_size(dir, "ro.vmdk"), ==, -1);
    g_assert_cmpint(server_size(dir, "z.vmdk"), ==, -1);

    /* clone (CopyVirtualDisk) */
    g_assert_cmpint(drv->storage->vol_create_xml_from(conn, "LocalDS_0",
                                                      "<volume><name>copies/thin2.vmdk</name><capacity>0</capacity>"
                                                      "<allocation>0</allocation></volume>",
                                                      "[LocalDS_0] new/thin.vmdk", 0, NULL, &v, &err),
                    ==, HVD_OK);
    g_assert_cmpstr(v->path, ==, "[LocalDS_0] copies/thin2.vmdk");
    g_assert_cmpuint(v->capacity, ==, 10 << 20);
    drv->free(v);
    g_autofree char *copy = server_file(dir, "copies/thin2.vmdk");
    g_assert_nonnull(copy);
    g_assert_nonnull(strstr(copy, "RW 20480 VMFS"));
    g_assert_cmpint(drv->storage->vol_create_xml_from(conn, "LocalDS_0",
                                                      "<volume><name>c3.vmdk</name><capacity>1024</capacity></volume>",
                                                      "[LocalDS_0] new/none.vmdk", 0, NULL, &v, &err),
                    ==, HVD_ERR_NO_VOLUME);
    g_assert_cmpint(drv->storage->vol_create_xml_from(ro, "LocalDS_0",
                                                      "<volume><name>c3.vmdk</name><capacity>1024</capacity></volume>",
                                                      "[LocalDS_0] new/thin.vmdk", 0, NULL, &v, &err),
                    ==, HVD_ERR_ACCESS_DENIED);

    /* wipe: the thin disk zero-filled, now eager-zeroed thick */
    g_assert_cmpint(drv->storage->vol_wipe(ro, "[LocalDS_0] new/thin.vmdk", 0, NULL, &err), ==, HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(server_size(dir, "new/thin-flat.vmdk"), ==, 0);
    g_assert_cmpint(drv->storage->vol_wipe(conn, "[LocalDS_0] new/thin.vmdk", 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(server_size(dir, "new/thin-flat.vmdk"), ==, 10 << 20);
    g_autofree char *wiped = server_file(dir, "new/thin.vmdk");
    g_assert_nonnull(strstr(wiped, "eagerZeroedThick"));
    g_assert_cmpint(drv->storage->vol_wipe(conn, "[LocalDS_0] new/none.vmdk", 0, NULL, &err), ==, HVD_ERR_NO_VOLUME);
    g_autofree char *junk = g_build_filename(dir, "junk.txt", NULL);
    g_assert_true(g_file_set_contents(junk, "junk", 4, NULL));
    g_assert_cmpint(drv->storage->vol_wipe(conn, "[LocalDS_0] junk.txt", 0, NULL, &err), ==, HVD_ERR_NO_SUPPORT);

    /* delete: a disk with its extent, another file by its key */
    g_assert_cmpint(drv->storage->vol_delete(ro, "[LocalDS_0] new/thick.vmdk", 0, NULL, &err), ==,
                    HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(server_size(dir, "new/thick.vmdk"), >, 0);
    g_assert_cmpint(drv->storage->vol_delete(conn, "[LocalDS_0] new/thick.vmdk", 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(server_size(dir, "new/thick.vmdk"), ==, -1);
    g_assert_cmpint(server_size(dir, "new/thick-flat.vmdk"), ==, -1);
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, "[LocalDS_0] junk.txt", 0, &v, &err), ==, HVD_OK);
    g_autofree char *junk_key = g_strdup(v->key);
    drv->free(v);
    g_assert_cmpint(drv->storage->vol_delete(conn, junk_key, 0, NULL, &err), ==, HVD_OK);
    g_assert_cmpint(server_size(dir, "junk.txt"), ==, -1);
    g_assert_cmpint(drv->storage->vol_delete(conn, "[LocalDS_0] new/thick.vmdk", 0, NULL, &err), ==, HVD_ERR_NO_VOLUME);
    g_assert_cmpint(drv->storage->vol_delete(conn, "[nods] x.vmdk", 0, NULL, &err), ==, HVD_ERR_NO_POOL);

    drv->connect->close(ro);
    drv->connect->close(conn);
    fixture_stop(&f);
}

static void
test_changes_esx(void)
{
    check_changes("esx");
}

static void
test_changes_vpx(void)
{
    check_changes("vc");
}

/* A download sink for a download that must be refused before any byte. */
static int32_t HVD_CALL
never_write(void *ud, const uint8_t *buf, uint64_t len)
{
    g_test_fail_printf("a download that must be refused wrote %" G_GUINT64_FORMAT " bytes", len);
    return -1;
}

/* iSCSI: the static targets of the host's software adapter are pools, their
 * LUNs block volumes; listed in the same one round trip as the datastores. */
static void
check_iscsi(const char *model)
{
    fixture f = { 0 };
    fixture_start(&f, model);
    hvd_conn *conn = connect_to(&f, 0);
    g_autofree char *body = g_strdup_printf("{\"host\":\"%s\"}", f.host);
    json_object_put(sim_json(&f, "POST", "/iscsi", body));
    const char *t0 = "iqn.2024-01.org.example.storage:target0";
    drv->free(pools(conn, 0));
    json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
    hvd_pool_list *l = pools(conn, 0);
    g_assert_cmpint(request_count(&f, NULL), ==, 1);
    g_assert_nonnull(pool_named(l, "LocalDS_0"));
    g_assert_nonnull(pool_named(l, "iqn.2024-01.org.example.storage:target1"));
    const hvd_pool_info *p0 = pool_named(l, t0);
    g_assert_nonnull(p0);
    g_assert_cmpstr(p0->type, ==, "iscsi");
    g_assert_cmpint(p0->state, ==, HVD_POOL_RUNNING);
    g_assert_cmpuint(p0->capacity, ==, (uint64_t)3072 << 20);
    uint8_t uuid[16];
    memcpy(uuid, p0->uuid, 16);
    drv->free(l);
    hvd_error err = HVD_ERROR_INIT;
    hvd_pool_info *pi = NULL;
    g_assert_cmpint(drv->storage->pool_lookup_by_uuid(conn, uuid, 0, &pi, &err), ==, HVD_OK);
    g_assert_cmpstr(pi->name, ==, t0);
    drv->free(pi);
    g_autofree char *xml = pool_xml(conn, t0);
    g_assert_nonnull(strstr(xml, "<pool type='iscsi'>"));
    g_assert_nonnull(strstr(xml, "<host name='192.0.2.10' port='3260'/>"));
    g_assert_nonnull(strstr(xml, "<device path='iqn.2024-01.org.example.storage:target0'/>"));

    /* its LUNs */
    hvd_volume_list *vl = NULL;
    g_assert_cmpint(drv->storage->vol_list(conn, t0, 0, &vl, &err), ==, HVD_OK);
    g_assert_cmpuint(vl->count, ==, 2);
    const hvd_volume_info *v0 = HVD_LIST_AT(hvd_volume_info, vl->entries, vl->entry_size, 0);
    g_assert_cmpint(v0->type, ==, HVD_VOL_BLOCK);
    g_assert_true(g_str_has_prefix(v0->name, "naa."));
    g_assert_true(g_str_has_prefix(v0->path, "/vmfs/devices/disks/naa."));
    g_assert_cmpuint(v0->capacity, ==, (uint64_t)1024 << 20);
    g_autofree char *key = g_strdup(v0->key);
    drv->free(vl);
    hvd_volume_info *v = NULL;
    g_assert_cmpint(drv->storage->vol_lookup_by_key(conn, key, 0, &v, &err), ==, HVD_OK);
    g_assert_cmpstr(v->pool, ==, t0);
    drv->free(v);
    char *vx = NULL;
    g_assert_cmpint(drv->storage->vol_get_xml(conn, key, 0, &vx, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(vx, "<volume type='block'>"));
    drv->free(vx);
    g_assert_cmpint(drv->storage->vol_lookup_by_key(conn, "/vmfs/devices/disks/naa.none", 0, &v, &err), ==,
                    HVD_ERR_NO_VOLUME);

    /* refresh rescans the adapter; LUNs are not made or removed through ESX */
    json_object_put(sim_json(&f, "POST", "/stats/reset", NULL));
    g_assert_cmpint(drv->storage->pool_refresh(conn, t0, 0, &err), ==, HVD_OK);
    g_assert_cmpint(request_count(&f, "RescanHba"), ==, 1);
    g_assert_cmpint(drv->storage->vol_create_xml(conn, t0,
                                                 "<volume><name>x.vmdk</name><capacity>1048576</capacity></volume>", 0,
                                                 NULL, &v, &err),
                    ==, HVD_ERR_NO_SUPPORT);
    g_assert_cmpint(drv->storage->vol_delete(conn, key, 0, NULL, &err), ==, HVD_ERR_NO_SUPPORT);
    g_assert_cmpint(drv->storage->vol_download(conn, key, 0, 0, never_write, NULL, 0, NULL, &err), ==,
                    HVD_ERR_NO_SUPPORT);

    drv->connect->close(conn);
    fixture_stop(&f);
}

static void
test_iscsi_esx(void)
{
    check_iscsi("esx");
}

static void
test_iscsi_vpx(void)
{
    check_iscsi("vc");
}

static void
test_volumes_esx(void)
{
    check_volumes("esx");
}

static void
test_volumes_vpx(void)
{
    check_volumes("vc");
}

static void
test_pools_esx(void)
{
    check_pools("esx");
}

static void
test_pools_vpx(void)
{
    check_pools("vc");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    hvd_loader *loader = hvd_loader_new();
    hvd_error err = HVD_ERROR_INIT;
    const hvd_loaded_driver *ld = NULL;
    if (hvd_loader_load_for_uri(loader, "esx://x/", HVD_ABI_MINOR, &ld, &err) != HVD_OK)
        g_error("loading the driver: %s", err.message);
    drv = ld->driver;
    g_assert_cmpint(drv->init(0, &err), ==, HVD_OK);
    g_test_add_func("/plugin/storage/pools-esx", test_pools_esx);
    g_test_add_func("/plugin/storage/pools-vpx", test_pools_vpx);
    g_test_add_func("/plugin/storage/volumes-esx", test_volumes_esx);
    g_test_add_func("/plugin/storage/volumes-vpx", test_volumes_vpx);
    g_test_add_func("/plugin/storage/changes-esx", test_changes_esx);
    g_test_add_func("/plugin/storage/changes-vpx", test_changes_vpx);
    g_test_add_func("/plugin/storage/iscsi-esx", test_iscsi_esx);
    g_test_add_func("/plugin/storage/iscsi-vpx", test_iscsi_vpx);
    int ret = g_test_run();
    drv->shutdown();
    hvd_loader_free(loader);
    return ret;
}
