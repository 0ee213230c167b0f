/* The storage table's costs and its transfers across a session expiry,
 * against the simulator: vol_list without HVD_VOL_LIST_KEYS leaves the
 * virtual disks' keys NULL and costs one search task plus its wait whatever
 * the number of files (1,000 here), as a connection's first call too (the
 * host's datastore browser), with the flag one QueryVirtualDiskUuid
 * per disk, and a lookup still gives the key; an upload or a download whose
 * session expired before it started (the simulator expires every session
 * when the transfer arrives and answers it 401, as ESX does, or redirects
 * it to a login page, as a vCenter may) logs in again once and succeeds,
 * checked on the server's file; an upload that had
 * streamed more than can be sent again fails with a message saying so and
 * leaves no file. */
#include "simconn.h"

#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>

static void
reset(sim_instance *sim)
{
    control(sim, "POST", "/stats/reset", NULL, NULL);
}

static hvd_volume_list *
list(hvd_conn *conn, const char *pool, uint32_t flags)
{
    hvd_volume_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->storage->vol_list(conn, pool, flags, &l, &err) != HVD_OK)
        g_error("vol_list %s: %s", pool, err.message);
    return l;
}

/* Writes N virtual disk descriptors and N other files under DIR. */
static void
fill(const char *dir, int n)
{
    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    for (int i = 0; i < n; i++) {
        g_autofree char *disk = g_strdup_printf("%s/disk%04d.vmdk", dir, i);
        g_autofree char *text = g_strdup_printf("# Disk DescriptorFile\nversion=1\ncreateType=\"vmfs\"\n"
                                                "RW 2048 VMFS \"disk%04d-flat.vmdk\"\nddb.adapterType = \"lsilogic\"\n",
                                                i);
        g_assert_true(g_file_set_contents(disk, text, -1, NULL));
        g_autofree char *iso = g_strdup_printf("%s/file%04d.iso", dir, i);
        g_assert_true(g_file_set_contents(iso, "x", 1, NULL));
    }
}

/* Two listings of the same pool agree, volume by volume, keys included. */
static void
assert_same_volumes(const hvd_volume_list *a, const hvd_volume_list *b)
{
    g_assert_cmpuint(a->count, ==, b->count);
    for (uint32_t i = 0; i < a->count; i++) {
        const hvd_volume_info *x = HVD_LIST_AT(hvd_volume_info, a->entries, a->entry_size, i);
        const hvd_volume_info *y = HVD_LIST_AT(hvd_volume_info, b->entries, b->entry_size, i);
        g_assert_cmpstr(x->name, ==, y->name);
        g_assert_cmpstr(x->path, ==, y->path);
        g_assert_cmpstr(x->key, ==, y->key);
        g_assert_cmpstr(x->pool, ==, y->pool);
        g_assert_cmpuint(x->capacity, ==, y->capacity);
        g_assert_cmpuint(x->allocation, ==, y->allocation);
    }
}

static void
check_list_costs(const char *model)
{
    g_autofree char *uri = NULL;
    sim_instance *sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *dir = sim_datastore_dir(sim, "LocalDS_0");
    g_autofree char *many = g_build_filename(dir, "many", NULL);
    fill(many, 500);
    /* the first list on a connection: the search through the host's
     * browser, and its wait, which brings the datastores along (the pool's
     * UUID for the files' keys) */
    reset(sim);
    hvd_volume_list *first = list(conn, "LocalDS_0", 0);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1); /* the finished task and the datastores */
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 2);
    /* after a pool list: its hint, the same volumes and keys */
    hvd_pool_list *pools = NULL;
    hvd_error perr = HVD_ERROR_INIT;
    g_assert_cmpint(drv->storage->pool_list(conn, 0, &pools, &perr), ==, HVD_OK);
    drv->free(pools);
    reset(sim);
    hvd_volume_list *again = list(conn, "LocalDS_0", 0);
    g_assert_cmpint(calls(sim, NULL), ==, 2);
    assert_same_volumes(first, again);
    drv->free(first);
    drv->free(again);

    /* 1,000 files, 500 of them disks: one search task and its wait through
     * the datastore the connection has seen; nothing per file */
    reset(sim);
    hvd_volume_list *l = list(conn, "LocalDS_0", 0);
    int total = calls(sim, NULL), search = calls(sim, "SearchDatastoreSubFolders_Task");
    g_test_message("vol_list over %u volumes: %d requests", l->count, total);
    g_assert_cmpint(search, ==, 1);
    g_assert_cmpint(calls(sim, "QueryVirtualDiskUuid"), ==, 0);
    g_assert_cmpint(total, ==, 2);
    g_assert_cmpuint(l->count, >=, 1000);
    uint32_t disks = 0, keyless = 0;
    const char *a_disk = NULL;
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        gboolean disk = g_str_has_suffix(v->name, ".vmdk");
        disks += disk;
        keyless += v->key == NULL;
        if (!disk)
            g_assert_nonnull(v->key); /* "<pool uuid>/<name>": free */
        if (disk && g_str_has_suffix(v->name, "/disk1.vmdk") && !g_str_has_prefix(v->name, "many/"))
            a_disk = v->path;
    }
    g_assert_cmpuint(disks, >=, 501);
    g_assert_cmpuint(keyless, ==, disks);
    g_assert_nonnull(a_disk);
    g_autofree char *disk_path = g_strdup(a_disk);
    drv->free(l);

    /* a lookup gives the key of the one disk it finds: one query */
    reset(sim);
    hvd_volume_info *v = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->storage->vol_lookup_by_path(conn, disk_path, 0, &v, &err), ==, HVD_OK);
    g_assert_cmpint(calls(sim, "QueryVirtualDiskUuid"), ==, 1);
    g_assert_nonnull(v->key);
    g_assert_cmpuint(strlen(v->key), ==, 36);
    g_autofree char *key = g_strdup(v->key);
    drv->free(v);

    /* with HVD_VOL_LIST_KEYS, every disk's UUID (the VM disks only: the
     * hand-written descriptors are gone) */
    for (int i = 0; i < 500; i++) {
        g_autofree char *disk = g_strdup_printf("%s/disk%04d.vmdk", many, i);
        g_assert_cmpint(g_unlink(disk), ==, 0);
    }
    reset(sim);
    l = list(conn, "LocalDS_0", HVD_VOL_LIST_KEYS);
    disks = 0;
    gboolean found = FALSE;
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_volume_info *e = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        g_assert_nonnull(e->key);
        disks += g_str_has_suffix(e->name, ".vmdk");
        found |= strcmp(e->path, disk_path) == 0 && strcmp(e->key, key) == 0;
    }
    g_assert_true(found);
    g_assert_cmpint(calls(sim, "QueryVirtualDiskUuid"), ==, (int)disks);

    /* unknown flags are still refused */
    hvd_volume_list *bad = NULL;
    g_assert_cmpint(drv->storage->vol_list(conn, "LocalDS_0", 0x4, &bad, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_null(bad);
    drv->free(l);
    drv->connect->close(conn);
    sim_stop(sim);
}

static void
test_list_costs_esx(void)
{
    check_list_costs("esx");
}

static void
test_list_costs_vpx(void)
{
    check_list_costs("vc");
}

/* ---- lists through the datastore the connection has seen --------------- */

static int32_t
try_list(hvd_conn *conn, const char *pool, hvd_volume_list **l, hvd_error *err)
{
    *l = NULL;
    return drv->storage->vol_list(conn, pool, 0, l, err);
}

static gboolean
server_accessible(sim_instance *sim, const char *name)
{
    g_autofree char *path = g_strdup_printf("/datastore?name=%s", name), *out = NULL;
    control(sim, "GET", path, NULL, &out);
    json_object *ds = json_tokener_parse(out);
    gboolean accessible = json_object_get_boolean(json_object_object_get(ds, "accessible"));
    json_object_put(ds);
    return accessible;
}

static void
set_accessible(sim_instance *sim, const char *name, gboolean accessible)
{
    g_autofree char *body = g_strdup_printf("{\"name\":\"%s\",\"accessible\":%s}", name, accessible ? "true" : "false");
    control(sim, "POST", "/datastore", body, NULL);
    g_assert_cmpint(server_accessible(sim, name), ==, accessible);
}

static void
check_list_hints(const char *model)
{
    g_autofree char *uri = NULL;
    sim_instance *sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    control(sim, "POST", "/datastore",
            "{\"name\":\"nfs9\",\"type\":\"NFS\",\"remote_host\":\"192.0.2.30\",\"remote_path\":\"/export/nfs9\"}",
            NULL);
    g_autofree char *dir = sim_datastore_dir(sim, "nfs9");
    g_autofree char *iso = g_build_filename(dir, "a.iso", NULL);
    g_assert_true(g_file_set_contents(iso, "abc", 3, NULL));
    hvd_error err = HVD_ERROR_INIT;
    hvd_pool_list *pools = NULL;
    g_assert_cmpint(drv->storage->pool_list(conn, 0, &pools, &err), ==, HVD_OK);
    drv->free(pools);

    /* listed: the search task and its wait */
    reset(sim);
    hvd_volume_list *l = list(conn, "nfs9", 0);
    g_assert_cmpint(calls(sim, NULL), ==, 2);
    g_assert_cmpuint(l->count, ==, 1);
    const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, 0);
    g_assert_cmpstr(v->path, ==, "[nfs9] a.iso");
    g_assert_cmpuint(v->capacity, ==, 3);
    drv->free(l);

    /* a lookup by name the same way */
    reset(sim);
    hvd_volume_info *info = NULL;
    g_assert_cmpint(drv->storage->vol_lookup_by_name(conn, "nfs9", "a.iso", 0, &info, &err), ==, HVD_OK);
    g_assert_cmpint(calls(sim, NULL), ==, 2);
    g_assert_cmpstr(info->path, ==, "[nfs9] a.iso");
    drv->free(info);

    /* a fault that says nothing of the datastore is the caller's, as the
     * server gave it: no retrieval */
    control(sim, "POST", "/faults", "{\"method\":\"SearchDatastoreSubFolders_Task\",\"kind\":\"fault\",\"count\":1}",
            NULL);
    reset(sim);
    g_assert_cmpint(try_list(conn, "nfs9", &l, &err), !=, HVD_OK);
    g_test_message("injected: %s", err.message);
    g_assert_null(l);
    g_assert_nonnull(strstr(err.message, "injected fault"));
    g_assert_cmpint(calls(sim, NULL), ==, 1);

    /* its NFS server gone: the search fails (InaccessibleDatastore), the
     * pool is read again and the error names it */
    set_accessible(sim, "nfs9", FALSE);
    reset(sim);
    g_assert_cmpint(try_list(conn, "nfs9", &l, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_test_message("inaccessible: %s", err.message);
    g_assert_null(l);
    g_assert_nonnull(strstr(err.message, "'nfs9'"));
    g_assert_nonnull(strstr(err.message, "inaccessible"));
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 3);
    /* the same error again, from the retrieval alone: no search */
    reset(sim);
    g_assert_cmpint(try_list(conn, "nfs9", &l, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_assert_nonnull(strstr(err.message, "'nfs9'"));
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 0);
    g_assert_cmpint(calls(sim, NULL), ==, 1);

    /* back: resolved once, then through the hint again */
    set_accessible(sim, "nfs9", TRUE);
    reset(sim);
    drv->free(list(conn, "nfs9", 0));
    g_assert_cmpint(calls(sim, NULL), ==, 3);
    reset(sim);
    drv->free(list(conn, "nfs9", 0));
    g_assert_cmpint(calls(sim, NULL), ==, 2);

    /* an unknown pool: HVD_ERR_NO_POOL naming it and the pools there are */
    reset(sim);
    g_assert_cmpint(try_list(conn, "nods", &l, &err), ==, HVD_ERR_NO_POOL);
    g_test_message("unknown: %s", err.message);
    g_assert_null(l);
    g_assert_nonnull(strstr(err.message, "'nods'"));
    g_assert_nonnull(strstr(err.message, "'LocalDS_0'"));
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 0);
    drv->connect->close(conn);
    sim_stop(sim);
}

static char *only_volume(hvd_conn *conn, const char *pool);

/* A list as a connection's first storage call, on fresh connections: the
 * host's browser finds a datastore added after the server started, by
 * name; the pool's UUID in the files' keys is the one pool_lookup gives.
 * An unknown pool, an inaccessible one, and a server without the host
 * browser (ESX's fixed one, or the one the located host names) fall back
 * to resolving the pool, whose errors name it, and list the same volumes. */
static void
check_list_first_call(const char *model)
{
    g_autofree char *uri = NULL;
    sim_instance *sim = start(model, &uri);
    control(sim, "POST", "/datastore",
            "{\"name\":\"nfs9\",\"type\":\"NFS\",\"remote_host\":\"192.0.2.30\",\"remote_path\":\"/export/nfs9\"}",
            NULL);
    g_autofree char *dir = sim_datastore_dir(sim, "nfs9");
    g_autofree char *iso = g_build_filename(dir, "a.iso", NULL);
    g_assert_true(g_file_set_contents(iso, "abcd", 4, NULL));

    hvd_conn *conn = open_flags(sim, uri, 0);
    reset(sim);
    g_autofree char *name = only_volume(conn, "nfs9"); /* list, then pool_lookup_by_name */
    g_assert_cmpstr(name, ==, "a.iso");
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 1);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 2); /* the task with the datastores; the lookup */
    drv->connect->close(conn);

    /* an unknown pool */
    conn = open_flags(sim, uri, 0);
    hvd_volume_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(try_list(conn, "nods", &l, &err), ==, HVD_ERR_NO_POOL);
    g_test_message("unknown: %s", err.message);
    g_assert_null(l);
    g_assert_nonnull(strstr(err.message, "'nods'"));
    g_assert_nonnull(strstr(err.message, "'LocalDS_0'"));
    drv->connect->close(conn);

    /* an inaccessible one */
    set_accessible(sim, "nfs9", FALSE);
    conn = open_flags(sim, uri, 0);
    g_assert_cmpint(try_list(conn, "nfs9", &l, &err), ==, HVD_ERR_OPERATION_INVALID);
    g_test_message("inaccessible: %s", err.message);
    g_assert_null(l);
    g_assert_nonnull(strstr(err.message, "'nfs9'"));
    g_assert_nonnull(strstr(err.message, "inaccessible"));
    drv->connect->close(conn);
    set_accessible(sim, "nfs9", TRUE);

    /* no host browser on the server: the same volumes, the long way */
    conn = open_flags(sim, uri, 0);
    hvd_volume_list *with = list(conn, "LocalDS_0", 0);
    drv->connect->close(conn);
    control(sim, "POST", "/host-browser", "{\"enabled\":false}", NULL);
    conn = open_flags(sim, uri, 0);
    reset(sim);
    hvd_volume_list *without = list(conn, "LocalDS_0", 0);
    /* the search through the missing browser, the pools, the search and its wait */
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 2);
    g_assert_cmpint(calls(sim, NULL), ==, 4);
    assert_same_volumes(with, without);
    drv->free(with);
    drv->free(without);
    drv->connect->close(conn);
    sim_stop(sim);
}

static void
test_list_first_call_esx(void)
{
    check_list_first_call("esx");
}

static void
test_list_first_call_vpx(void)
{
    check_list_first_call("vc");
}

/* The only volume of `pool`, and `pool`'s UUID, checked against each
 * other: a file's key is "<pool uuid>/<name>". */
static char *
only_volume(hvd_conn *conn, const char *pool)
{
    hvd_volume_list *l = list(conn, pool, 0);
    g_assert_cmpuint(l->count, ==, 1);
    const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, 0);
    hvd_pool_info *p = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->storage->pool_lookup_by_name(conn, pool, 0, &p, &err), ==, HVD_OK);
    GString *u = g_string_new(NULL);
    for (int i = 0; i < 16; i++)
        g_string_append_printf(u, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", p->uuid[i]);
    g_autofree char *want = g_strdup_printf("%s/%s", u->str, v->name);
    g_string_free(u, TRUE);
    g_assert_cmpstr(v->key, ==, want);
    char *name = g_strdup(v->name);
    drv->free(p);
    drv->free(l);
    return name;
}

/* A name that now belongs to another datastore (two renamed on the
 * server): the search through the hint reads that other datastore, which
 * its results name; the hint is dropped and the pool resolved again, so the
 * volumes and their keys are the other datastore's. */
static void
check_list_hint_renamed(const char *model)
{
    g_autofree char *uri = NULL;
    sim_instance *sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    const char *const names[] = { "nfs8", "nfs9" };
    for (int i = 0; i < 2; i++) {
        g_autofree char *body = g_strdup_printf(
            "{\"name\":\"%s\",\"type\":\"NFS\",\"remote_host\":\"192.0.2.30\",\"remote_path\":\"/export/%s\"}",
            names[i], names[i]);
        control(sim, "POST", "/datastore", body, NULL);
        g_autofree char *dir = sim_datastore_dir(sim, names[i]);
        g_autofree char *file = g_strdup_printf("%s/%s.iso", dir, names[i]);
        g_assert_true(g_file_set_contents(file, "x", 1, NULL));
    }
    g_autofree char *nine = only_volume(conn, "nfs9"); /* and a hint for each */
    g_assert_cmpstr(nine, ==, "nfs9.iso");

    control(sim, "POST", "/datastore", "{\"name\":\"nfs9\",\"rename\":\"old9\"}", NULL);
    control(sim, "POST", "/datastore", "{\"name\":\"nfs8\",\"rename\":\"nfs9\"}", NULL);
    reset(sim);
    g_autofree char *now = only_volume(conn, "nfs9");
    g_assert_cmpstr(now, ==, "nfs8.iso");
    /* 2 through the hint, the retrieval, 2 through the datastore it gave
     * (and only_volume's own lookup) */
    g_assert_cmpint(calls(sim, "SearchDatastoreSubFolders_Task"), ==, 2);
    g_assert_cmpint(calls(sim, NULL), ==, 6);
    drv->connect->close(conn);
    sim_stop(sim);
}

static void
test_list_hint_renamed_esx(void)
{
    check_list_hint_renamed("esx");
}

static void
test_list_hint_renamed_vpx(void)
{
    check_list_hint_renamed("vc");
}

static void
test_list_hints_esx(void)
{
    check_list_hints("esx");
}

static void
test_list_hints_vpx(void)
{
    check_list_hints("vc");
}

/* ---- transfers across a session expiry ---------------------------------- */

typedef struct {
    uint64_t left;
    uint64_t calls;
} pattern_src;

static int64_t HVD_CALL
pattern(void *ud, uint8_t *buf, uint64_t cap)
{
    pattern_src *p = ud;
    uint64_t n = MIN(cap, p->left);
    for (uint64_t i = 0; i < n; i++)
        buf[i] = (uint8_t)((p->left - i) * 7);
    p->left -= n;
    p->calls++;
    return (int64_t)n;
}

static int32_t HVD_CALL
collect(void *ud, const uint8_t *buf, uint64_t len)
{
    g_byte_array_append(ud, buf, (guint)len);
    return 0;
}

/* The bytes `pattern` gives for SIZE. */
static GBytes *
expected_bytes(uint64_t size)
{
    pattern_src p = { .left = size };
    guint8 *b = g_malloc(size);
    g_assert_cmpint(pattern(&p, b, size), ==, (int64_t)size);
    return g_bytes_new_take(b, size);
}

static void
check_transfer_relogin(const char *model)
{
    g_autofree char *uri = NULL;
    sim_instance *sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *dir = sim_datastore_dir(sim, "LocalDS_0");
    hvd_error err = HVD_ERROR_INIT;

    /* an upload of 512 KiB: the server takes it all, then answers 401; the
     * driver logs in again and sends the same bytes */
    const uint64_t small = 512 << 10;
    reset(sim);
    control(sim, "POST", "/expire-sessions?at=folder", NULL, NULL);
    pattern_src src = { .left = small };
    int32_t rc = drv->storage->vol_upload(conn, "[LocalDS_0] up/small.bin", 0, small, pattern, &src, 0, NULL, &err);
    if (rc != HVD_OK)
        g_error("upload after the session expired: %s", err.message);
    g_assert_cmpint(calls(sim, "folder-401"), ==, 1);
    g_assert_cmpint(calls(sim, "Login"), ==, 1);
    g_autofree char *file = g_build_filename(dir, "up", "small.bin", NULL);
    g_autofree char *got = NULL;
    gsize got_len = 0;
    g_assert_true(g_file_get_contents(file, &got, &got_len, NULL));
    g_autoptr(GBytes) want = expected_bytes(small);
    g_assert_cmpmem(got, got_len, g_bytes_get_data(want, NULL), g_bytes_get_size(want));

    /* a download across an expiry: one re-login, the same bytes */
    reset(sim);
    control(sim, "POST", "/expire-sessions?at=folder", NULL, NULL);
    g_autoptr(GByteArray) down = g_byte_array_new();
    rc = drv->storage->vol_download(conn, "[LocalDS_0] up/small.bin", 0, 0, collect, down, 0, NULL, &err);
    if (rc != HVD_OK)
        g_error("download after the session expired: %s", err.message);
    g_assert_cmpint(calls(sim, "folder-401"), ==, 1);
    g_assert_cmpint(calls(sim, "Login"), ==, 1);
    g_assert_cmpmem(down->data, down->len, g_bytes_get_data(want, NULL), g_bytes_get_size(want));

    /* the same when the server redirects to its login page (a vCenter) */
    reset(sim);
    control(sim, "POST", "/expire-sessions?at=folder&answer=302", NULL, NULL);
    g_byte_array_set_size(down, 0);
    rc = drv->storage->vol_download(conn, "[LocalDS_0] up/small.bin", 0, 0, collect, down, 0, NULL, &err);
    if (rc != HVD_OK)
        g_error("download after a redirect to the login page: %s", err.message);
    g_assert_cmpint(calls(sim, "folder-302"), ==, 1);
    g_assert_cmpint(calls(sim, "Login"), ==, 1);
    g_assert_cmpmem(down->data, down->len, g_bytes_get_data(want, NULL), g_bytes_get_size(want));
    reset(sim);
    control(sim, "POST", "/expire-sessions?at=folder&answer=302", NULL, NULL);
    pattern_src redirected = { .left = small };
    rc = drv->storage->vol_upload(conn, "[LocalDS_0] up/small.bin", 0, small, pattern, &redirected, 0, NULL, &err);
    if (rc != HVD_OK)
        g_error("upload after a redirect to the login page: %s", err.message);
    g_assert_cmpint(calls(sim, "folder-302"), ==, 1);
    g_assert_cmpint(calls(sim, "Login"), ==, 1);

    /* 4 MiB: more than the driver keeps to send again; a clear error, no
     * file left, and the connection still works */
    const uint64_t big = 4 << 20;
    control(sim, "POST", "/expire-sessions?at=folder", NULL, NULL);
    pattern_src big_src = { .left = big };
    rc = drv->storage->vol_upload(conn, "[LocalDS_0] up/big.bin", 0, big, pattern, &big_src, 0, NULL, &err);
    g_assert_cmpint(rc, ==, HVD_ERR_SERVER); /* not AUTH_FAILED: a new password would not help */
    g_test_message("%s", err.message);
    g_assert_nonnull(strstr(err.message, "[LocalDS_0] up/big.bin"));
    g_assert_nonnull(strstr(err.message, "expired"));
    g_assert_nonnull(strstr(err.message, "upload again"));
    g_autofree char *big_file = g_build_filename(dir, "up", "big.bin", NULL);
    g_assert_false(g_file_test(big_file, G_FILE_TEST_EXISTS));
    pattern_src again = { .left = big };
    rc = drv->storage->vol_upload(conn, "[LocalDS_0] up/big.bin", 0, big, pattern, &again, 0, NULL, &err);
    if (rc != HVD_OK)
        g_error("upload again: %s", err.message);
    GStatBuf st;
    g_assert_cmpint(g_stat(big_file, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, (goffset)big);

    drv->connect->close(conn);
    sim_stop(sim);
}

static void
test_relogin_esx(void)
{
    check_transfer_relogin("esx");
}

static void
test_relogin_vpx(void)
{
    check_transfer_relogin("vc");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/storage/list-costs-esx", test_list_costs_esx);
    g_test_add_func("/plugin/storage/list-costs-vpx", test_list_costs_vpx);
    g_test_add_func("/plugin/storage/list-first-call-esx", test_list_first_call_esx);
    g_test_add_func("/plugin/storage/list-first-call-vpx", test_list_first_call_vpx);
    g_test_add_func("/plugin/storage/list-hints-esx", test_list_hints_esx);
    g_test_add_func("/plugin/storage/list-hints-vpx", test_list_hints_vpx);
    g_test_add_func("/plugin/storage/list-hint-renamed-esx", test_list_hint_renamed_esx);
    g_test_add_func("/plugin/storage/list-hint-renamed-vpx", test_list_hint_renamed_vpx);
    g_test_add_func("/plugin/storage/transfer-relogin-esx", test_relogin_esx);
    g_test_add_func("/plugin/storage/transfer-relogin-vpx", test_relogin_vpx);
    int rc = g_test_run();
    simconn_done();
    return rc;
}
