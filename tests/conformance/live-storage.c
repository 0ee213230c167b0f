/* live-storage.c — hvd-conformance's checks of the storage table against a
 * server (--uri).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reading: the pool list (sizes, names, unique UUIDs), lookups by name and
 * UUID agreeing with it, the pool XML, the volume list of the first running
 * pool and lookups by name, path and key agreeing with it. With --write,
 * in that pool and under names of its own ("hvd-conformance/..."): a small
 * thin vmdk created, found and deleted, and a file uploaded, downloaded
 * (the same bytes, by checksum) and deleted.
 */
#include "conformance.h"

#include <glib.h>
#include <string.h>

#define CONF_DISK      "hvd-conformance/disk.vmdk"
#define CONF_BLOB      "hvd-conformance/blob.bin"
#define CONF_BLOB_SIZE (192u << 10)

static int
same_pool(const hvd_pool_info *a, const hvd_pool_info *b)
{
    return a != NULL && b != NULL && a->struct_size >= HVD_1_0_SIZEOF_hvd_pool_info && strcmp(a->name, b->name) == 0 &&
           memcmp(a->uuid, b->uuid, 16) == 0 && a->state == b->state && a->capacity == b->capacity &&
           g_strcmp0(a->type, b->type) == 0;
}

/* The pools; the name of the first running file pool (not iSCSI) in *pool_out. */
static void
check_pools(const conf_ctx *c, hvd_conn *conn, char **pool_out)
{
    const hvd_storage_table *t = c->drv->storage;
    hvd_error err = HVD_ERROR_INIT;
    hvd_pool_list *l = NULL;
    conf_begin("storage.pool.list", "pool_list");
    int32_t rc = t->pool_list(conn, 0, &l, &err);
    int ok = rc == HVD_OK && l != NULL && l->entry_size >= HVD_1_0_SIZEOF_hvd_pool_info &&
             (l->count == 0 || l->entries != NULL);
    for (uint32_t i = 0; ok && i < l->count; i++) {
        const hvd_pool_info *p = HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, i);
        ok = p->name != NULL && p->name[0] != '\0' && p->state >= HVD_POOL_INACTIVE &&
             p->state <= HVD_POOL_INACCESSIBLE && (p->state != HVD_POOL_RUNNING || p->allocation <= p->capacity);
        for (uint32_t k = 0; ok && k < i; k++) {
            const hvd_pool_info *o = HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, k);
            ok = memcmp(o->uuid, p->uuid, 16) != 0 && strcmp(o->name, p->name) != 0;
        }
        if (ok && *pool_out == NULL && p->state == HVD_POOL_RUNNING && g_strcmp0(p->type, "iscsi") != 0)
            *pool_out = g_strdup(p->name);
    }
    conf_check(ok, "storage.pool.list",
               "pool_list -> %d, %u pool(s), each named, a valid state, allocation <= capacity, unique names and "
               "UUIDs",
               rc, l != NULL ? l->count : 0);
    if (!ok) {
        if (rc == HVD_OK)
            c->drv->free(l);
        return;
    }

    int agree = 1;
    for (uint32_t i = 0; i < l->count && i < 20; i++) {
        const hvd_pool_info *p = HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, i);
        hvd_pool_info *x = NULL;
        if (t->pool_lookup_by_name != NULL) {
            rc = t->pool_lookup_by_name(conn, p->name, 0, &x, &err);
            if (rc != HVD_OK || !same_pool(x, p)) {
                agree = 0;
                conf_info("pool_lookup_by_name(%s) -> %d, disagrees with pool_list", p->name, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(x);
        }
        if (t->pool_lookup_by_uuid != NULL) {
            rc = t->pool_lookup_by_uuid(conn, p->uuid, 0, &x, &err);
            if (rc != HVD_OK || !same_pool(x, p)) {
                agree = 0;
                conf_info("pool_lookup_by_uuid(<%s>) -> %d, disagrees with pool_list", p->name, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(x);
        }
    }
    conf_check(agree, "storage.pool.lookup", "lookups by name and UUID agree with pool_list");

    if (t->pool_get_xml != NULL) {
        int xml_ok = 1;
        for (uint32_t i = 0; i < l->count && i < 20; i++) {
            const hvd_pool_info *p = HVD_LIST_AT(hvd_pool_info, l->entries, l->entry_size, i);
            char *xml = NULL;
            rc = t->pool_get_xml(conn, p->name, 0, &xml, &err);
            int plain = strpbrk(p->name, "<>&'\"") == NULL;
            if (rc != HVD_OK || xml == NULL || strstr(xml, "<pool") == NULL ||
                (plain && strstr(xml, p->name) == NULL)) {
                xml_ok = 0;
                conf_info("pool_get_xml(%s) -> %d: no <pool> naming it", p->name, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(xml);
        }
        conf_check(xml_ok, "storage.pool.xml", "pool_get_xml gives a <pool> naming each pool");
    }
    hvd_pool_info *x = NULL;
    err = (hvd_error)HVD_ERROR_INIT;
    rc = t->pool_lookup_by_name(conn, "hvd-conformance-no-such-pool", 0, &x, &err);
    conf_check_error("storage.pool.missing", "pool_lookup_by_name(no such pool)", rc, HVD_ERR_NO_POOL, &err);
    if (rc == HVD_OK)
        c->drv->free(x);
    c->drv->free(l);
}

static int
same_volume(const hvd_volume_info *a, const hvd_volume_info *b)
{
    return a != NULL && b != NULL && a->struct_size >= HVD_1_0_SIZEOF_hvd_volume_info && a->type == b->type &&
           strcmp(a->name, b->name) == 0 && strcmp(a->path, b->path) == 0 && strcmp(a->pool, b->pool) == 0 &&
           a->capacity == b->capacity && a->allocation == b->allocation &&
           (b->key == NULL || g_strcmp0(a->key, b->key) == 0);
}

/* Lookups by name, path and key of `v` agree with it (and give a key). */
static int
lookups_agree(const conf_ctx *c, hvd_conn *conn, const char *pool, const hvd_volume_info *v)
{
    const hvd_storage_table *t = c->drv->storage;
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *x = NULL;
    int ok = 1;
    g_autofree char *key = NULL;
    int32_t rc = t->vol_lookup_by_name(conn, pool, v->name, 0, &x, &err);
    if (rc != HVD_OK || !same_volume(x, v) || x->key == NULL || x->key[0] == '\0' || x->key[0] == '[') {
        ok = 0;
        conf_info("vol_lookup_by_name(%s, %s) -> %d, disagrees with vol_list or has no key", pool, v->name, rc);
    } else {
        key = g_strdup(x->key);
    }
    if (rc == HVD_OK)
        c->drv->free(x);
    rc = t->vol_lookup_by_path(conn, v->path, 0, &x, &err);
    if (rc != HVD_OK || !same_volume(x, v) || (key != NULL && g_strcmp0(x->key, key) != 0)) {
        ok = 0;
        conf_info("vol_lookup_by_path(%s) -> %d, disagrees", v->path, rc);
    }
    if (rc == HVD_OK)
        c->drv->free(x);
    if (key != NULL) {
        rc = t->vol_lookup_by_key(conn, key, 0, &x, &err);
        if (rc != HVD_OK || !same_volume(x, v)) {
            ok = 0;
            conf_info("vol_lookup_by_key(%s) -> %d, disagrees", key, rc);
        }
        if (rc == HVD_OK)
            c->drv->free(x);
    }
    return ok;
}

static void
check_volumes(const conf_ctx *c, hvd_conn *conn, const char *pool)
{
    const hvd_storage_table *t = c->drv->storage;
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_list *l = NULL;
    conf_begin("storage.vol.list", pool);
    int32_t rc = t->vol_list(conn, pool, 0, &l, &err);
    int ok = rc == HVD_OK && l != NULL && l->entry_size >= HVD_1_0_SIZEOF_hvd_volume_info &&
             (l->count == 0 || l->entries != NULL);
    for (uint32_t i = 0; ok && i < l->count; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        ok = v->name != NULL && v->path != NULL && v->path[0] != '\0' && v->pool != NULL &&
             strcmp(v->pool, pool) == 0 && (v->key == NULL || v->key[0] != '[');
    }
    conf_check(ok, "storage.vol.list", "vol_list(%s) -> %d, %u volume(s), each named, with a path and its pool", pool,
               rc, l != NULL ? l->count : 0);
    if (!ok) {
        if (rc == HVD_OK)
            c->drv->free(l);
        return;
    }
    int agree = 1;
    for (uint32_t i = 0; i < l->count && i < 10; i++)
        agree &= lookups_agree(c, conn, pool, HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i));
    conf_check(agree, "storage.vol.lookup", "lookups by name, path and key agree with vol_list (%u volume(s))",
               l->count < 10 ? l->count : 10);
    c->drv->free(l);
    hvd_volume_info *x = NULL;
    err = (hvd_error)HVD_ERROR_INIT;
    rc = t->vol_lookup_by_name(conn, pool, "hvd-conformance/no-such-volume.vmdk", 0, &x, &err);
    conf_check_error("storage.vol.missing", "vol_lookup_by_name(no such volume)", rc, HVD_ERR_NO_VOLUME, &err);
    if (rc == HVD_OK)
        c->drv->free(x);
}

/* The volume NAME of POOL as vol_list shows it, or NULL. */
static hvd_volume_info *
listed(const conf_ctx *c, hvd_conn *conn, const char *pool, const char *name)
{
    hvd_volume_list *l = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (c->drv->storage->vol_list(conn, pool, 0, &l, &err) != HVD_OK)
        return NULL;
    hvd_volume_info *found = NULL;
    for (uint32_t i = 0; i < l->count && found == NULL; i++) {
        const hvd_volume_info *v = HVD_LIST_AT(hvd_volume_info, l->entries, l->entry_size, i);
        if (strcmp(v->name, name) == 0) {
            found = g_new(hvd_volume_info, 1);
            *found = *v; /* strings still point into the list */
            found->name = g_strdup(v->name), found->path = g_strdup(v->path), found->pool = g_strdup(v->pool);
            found->key = g_strdup(v->key);
        }
    }
    c->drv->free(l);
    return found;
}

static void
listed_free(hvd_volume_info *v)
{
    if (v == NULL)
        return;
    g_free((char *)v->name), g_free((char *)v->path), g_free((char *)v->pool), g_free((char *)v->key);
    g_free(v);
}

static void
check_create_delete(const conf_ctx *c, hvd_conn *conn, const char *pool)
{
    const hvd_storage_table *t = c->drv->storage;
    if (t->vol_create_xml == NULL || t->vol_delete == NULL) {
        conf_skip("storage.vol.create", "no vol_create_xml or vol_delete");
        return;
    }
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *made = NULL;
    static const char xml[] = "<volume><name>" CONF_DISK "</name><capacity unit='bytes'>1048576</capacity>"
                              "<allocation unit='bytes'>0</allocation><target><format type='vmdk'/></target>"
                              "</volume>";
    conf_begin("storage.vol.create", CONF_DISK);
    int32_t rc = t->vol_create_xml(conn, pool, xml, 0, NULL, &made, &err);
    hvd_volume_info *seen = listed(c, conn, pool, CONF_DISK);
    int ok = rc == HVD_OK && made != NULL && strcmp(made->name, CONF_DISK) == 0 && made->capacity == 1048576 &&
             seen != NULL && seen->capacity == 1048576 && lookups_agree(c, conn, pool, seen);
    conf_check(ok, "storage.vol.create",
               "vol_create_xml(%s, 1 MiB thin) -> %d: returned, listed and looked up with a capacity of 1 MiB "
               "(listed %s)",
               CONF_DISK, rc, seen != NULL ? "yes" : "no");
    if (rc == HVD_OK)
        c->drv->free(made);
    if (seen == NULL) {
        conf_skip("storage.vol.delete", "nothing was created");
        return;
    }
    g_autofree char *path = g_strdup(seen->path);
    listed_free(seen);
    conf_begin("storage.vol.delete", path);
    rc = t->vol_delete(conn, path, 0, NULL, &err);
    hvd_volume_info *gone = NULL;
    hvd_error e2 = HVD_ERROR_INIT;
    int32_t lr = t->vol_lookup_by_path(conn, path, 0, &gone, &e2);
    seen = listed(c, conn, pool, CONF_DISK);
    conf_check(rc == HVD_OK && lr == HVD_ERR_NO_VOLUME && seen == NULL, "storage.vol.delete",
               "vol_delete(%s) -> %d; then lookup -> %d (want %d), listed: %s", path, rc, lr, HVD_ERR_NO_VOLUME,
               seen != NULL ? "STILL" : "no");
    if (lr == HVD_OK)
        c->drv->free(gone);
    listed_free(seen);
}

typedef struct {
    uint64_t left, total;
    GChecksum *sum;
} blob_src;

static int64_t HVD_CALL
blob_read(void *ud, uint8_t *buf, uint64_t cap)
{
    blob_src *s = ud;
    uint64_t n = cap < s->left ? cap : s->left;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t at = s->total - s->left + i;
        buf[i] = (uint8_t)(at * 31 + (at >> 9));
    }
    g_checksum_update(s->sum, buf, (gssize)n);
    s->left -= n;
    return (int64_t)n;
}

static int32_t HVD_CALL
blob_write(void *ud, const uint8_t *buf, uint64_t len)
{
    blob_src *s = ud;
    g_checksum_update(s->sum, buf, (gssize)len);
    s->total += len;
    return 0;
}

static void
check_transfer(const conf_ctx *c, hvd_conn *conn, const char *pool)
{
    const hvd_storage_table *t = c->drv->storage;
    if (t->vol_upload == NULL || t->vol_download == NULL) {
        conf_skip("storage.transfer", "no vol_upload or vol_download");
        return;
    }
    g_autofree char *path = g_strdup_printf("[%s] %s", pool, CONF_BLOB);
    hvd_error err = HVD_ERROR_INIT;
    blob_src up = { .left = CONF_BLOB_SIZE, .total = CONF_BLOB_SIZE, .sum = g_checksum_new(G_CHECKSUM_SHA256) };
    blob_src down = { .sum = g_checksum_new(G_CHECKSUM_SHA256) };
    conf_begin("storage.transfer", path);
    int32_t ru = t->vol_upload(conn, path, 0, CONF_BLOB_SIZE, blob_read, &up, 0, NULL, &err);
    int32_t rd = ru == HVD_OK ? t->vol_download(conn, path, 0, 0, blob_write, &down, 0, NULL, &err) : ru;
    g_autofree char *want = g_strdup(g_checksum_get_string(up.sum));
    g_autofree char *got = g_strdup(g_checksum_get_string(down.sum));
    conf_check(ru == HVD_OK && rd == HVD_OK && down.total == CONF_BLOB_SIZE && strcmp(want, got) == 0,
               "storage.transfer", "upload of %u bytes to %s -> %d, download -> %d: %llu bytes, SHA-256 %s",
               CONF_BLOB_SIZE, path, ru, rd, (unsigned long long)down.total,
               strcmp(want, got) == 0 ? "equal" : "DIFFERENT");
    g_checksum_free(up.sum);
    g_checksum_free(down.sum);
    if (ru == HVD_OK && t->vol_delete != NULL)
        t->vol_delete(conn, path, 0, NULL, &err);
}

void
conf_live_storage(const conf_ctx *c, hvd_conn *conn)
{
    const hvd_storage_table *t = c->drv->storage;
    if (t == NULL || t->pool_list == NULL || t->pool_lookup_by_name == NULL) {
        conf_skip("storage", "no storage table / pool_list / pool_lookup_by_name");
        return;
    }
    g_autofree char *pool = NULL;
    check_pools(c, conn, &pool);
    if (pool == NULL || t->vol_list == NULL || t->vol_lookup_by_name == NULL || t->vol_lookup_by_path == NULL ||
        t->vol_lookup_by_key == NULL) {
        conf_skip("storage.vol", "no running file pool, or no vol_list and volume lookups");
        return;
    }
    check_volumes(c, conn, pool);
    if (!c->write) {
        conf_skip("storage.vol.create", "no --write: checks that create volumes not run");
        return;
    }
    check_create_delete(c, conn, pool);
    check_transfer(c, conn, pool);
}
