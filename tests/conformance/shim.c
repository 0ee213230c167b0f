/* shim.c — a deliberately broken storage or snapshot table, for proving
 * that each of hvd-conformance's live storage and snapshot checks can fail
 * (tests/conformance/meson.build builds one shim per SHIM_BREAK_*).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The shim loads the real driver (SHIM_REAL, a path) at its entry call and
 * answers with a copy of its tables in which one member misbehaves the way
 * SHIM_BREAK names; everything else is the real driver's. It breaks other
 * rules on the way (its entry loads a library, its members live in another
 * object): the tests that use it only require that the named check fails.
 */
#include "hvd.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#define SHIM_BREAK_POOL_LIST    1  /* pool_list: an entry with an invalid state */
#define SHIM_BREAK_POOL_LOOKUP  2  /* pool_lookup_by_uuid: a capacity off by one */
#define SHIM_BREAK_POOL_XML     3  /* pool_get_xml: not a <pool> */
#define SHIM_BREAK_VOL_LIST     4  /* vol_list: entries name another pool */
#define SHIM_BREAK_VOL_LOOKUP   5  /* vol_lookup_by_path: an allocation off by one */
#define SHIM_BREAK_VOL_CREATE   6  /* vol_create_xml: succeeds, leaves nothing */
#define SHIM_BREAK_VOL_DELETE   7  /* vol_delete: succeeds, deletes nothing */
#define SHIM_BREAK_TRANSFER     8  /* vol_download: one byte changed */
#define SHIM_BREAK_SNAP_CREATE  9  /* create_xml: the info names another snapshot */
#define SHIM_BREAK_SNAP_LIST    10 /* list: the last snapshot missing */
#define SHIM_BREAK_SNAP_CURRENT 11 /* current: the current one's parent */
#define SHIM_BREAK_SNAP_PARENT  12 /* lookup: no parent_key */
#define SHIM_BREAK_SNAP_REVERT  13 /* revert: succeeds, reverts nothing */
#define SHIM_BREAK_SNAP_DELETE  14 /* remove by key: succeeds, removes nothing */

#ifndef SHIM_BREAK
#error "SHIM_BREAK names the member to break"
#endif

static const hvd_driver *real;
static hvd_driver shim_driver;
static hvd_storage_table shim_storage;
static hvd_snapshot_table shim_snapshot;

#if SHIM_BREAK == SHIM_BREAK_POOL_LIST
static int32_t HVD_CALL
pool_list(hvd_conn *conn, uint32_t flags, hvd_pool_list **list_out, hvd_error *err)
{
    int32_t rc = real->storage->pool_list(conn, flags, list_out, err);
    if (rc == HVD_OK && (*list_out)->count > 0)
        ((hvd_pool_info *)(void *)(*list_out)->entries)->state = 99;
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_POOL_LOOKUP
static int32_t HVD_CALL
pool_lookup_by_uuid(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_pool_info **info_out, hvd_error *err)
{
    int32_t rc = real->storage->pool_lookup_by_uuid(conn, uuid, flags, info_out, err);
    if (rc == HVD_OK)
        (*info_out)->capacity++;
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_POOL_XML
static int32_t HVD_CALL
pool_get_xml(hvd_conn *conn, const char *pool, uint32_t flags, char **xml_out, hvd_error *err)
{
    int32_t rc = real->storage->pool_get_xml(conn, pool, flags, xml_out, err);
    char *at = rc == HVD_OK ? strstr(*xml_out, "<pool") : NULL;
    if (at != NULL)
        memcpy(at, "<loop", 5);
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_VOL_LIST
static int32_t HVD_CALL
vol_list(hvd_conn *conn, const char *pool, uint32_t flags, hvd_volume_list **list_out, hvd_error *err)
{
    int32_t rc = real->storage->vol_list(conn, pool, flags, list_out, err);
    for (uint32_t i = 0; rc == HVD_OK && i < (*list_out)->count; i++) {
        hvd_volume_info *v =
            (hvd_volume_info *)(void *)((char *)(void *)(*list_out)->entries + (size_t)i * (*list_out)->entry_size);
        ((char *)v->pool)[0] ^= 0x20; /* the packed string, the driver's own memory */
    }
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_VOL_LOOKUP
static int32_t HVD_CALL
vol_lookup_by_path(hvd_conn *conn, const char *path, uint32_t flags, hvd_volume_info **info_out, hvd_error *err)
{
    int32_t rc = real->storage->vol_lookup_by_path(conn, path, flags, info_out, err);
    if (rc == HVD_OK)
        (*info_out)->allocation++;
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_VOL_CREATE
static int32_t HVD_CALL
vol_create_xml(hvd_conn *conn, const char *pool, const char *xml, uint32_t flags, const hvd_progress *progress,
               hvd_volume_info **info_out, hvd_error *err)
{
    int32_t rc = real->storage->vol_create_xml(conn, pool, xml, flags, progress, info_out, err);
    if (rc == HVD_OK && *info_out != NULL)
        real->storage->vol_delete(conn, (*info_out)->path, 0, NULL, err);
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_VOL_DELETE
static int32_t HVD_CALL
vol_delete(hvd_conn *conn, const char *volume, uint32_t flags, const hvd_progress *progress, hvd_error *err)
{
    (void)conn, (void)volume, (void)flags, (void)progress, (void)err;
    return HVD_OK;
}
#elif SHIM_BREAK == SHIM_BREAK_TRANSFER
typedef struct {
    hvd_write_fn write;
    void *user_data;
    int done;
} flip;

static int32_t HVD_CALL
flip_write(void *ud, const uint8_t *buf, uint64_t len)
{
    flip *f = ud;
    if (f->done || len == 0)
        return f->write(f->user_data, buf, len);
    uint8_t first = (uint8_t)(buf[0] ^ 0x01);
    f->done = 1;
    int32_t rc = f->write(f->user_data, &first, 1);
    return rc != 0 ? rc : f->write(f->user_data, buf + 1, len - 1);
}

static int32_t HVD_CALL
vol_download(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length, hvd_write_fn write, void *user_data,
             uint32_t flags, const hvd_progress *progress, hvd_error *err)
{
    flip f = { write, user_data, 0 };
    return real->storage->vol_download(conn, volume, offset, length, flip_write, &f, flags, progress, err);
}
#elif SHIM_BREAK == SHIM_BREAK_SNAP_CREATE
static int32_t HVD_CALL
create_xml(hvd_conn *conn, const char *domain, const char *xml, uint32_t flags, const hvd_progress *progress,
           hvd_snapshot_info **info_out, hvd_error *err)
{
    int32_t rc = real->snapshot->create_xml(conn, domain, xml, flags, progress, info_out, err);
    if (rc == HVD_OK && info_out != NULL && *info_out != NULL)
        (*info_out)->name = "another";
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_SNAP_LIST
static int32_t HVD_CALL
list(hvd_conn *conn, const char *domain, uint32_t flags, hvd_snapshot_list **list_out, hvd_error *err)
{
    int32_t rc = real->snapshot->list(conn, domain, flags, list_out, err);
    if (rc == HVD_OK && (*list_out)->count > 1)
        (*list_out)->count--;
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_SNAP_CURRENT
static int32_t HVD_CALL
current(hvd_conn *conn, const char *domain, uint32_t flags, hvd_snapshot_info **info_out, hvd_error *err)
{
    int32_t rc = real->snapshot->current(conn, domain, flags, info_out, err);
    if (rc != HVD_OK || (*info_out)->parent_key == NULL)
        return rc;
    hvd_snapshot_info *parent = NULL;
    if (real->snapshot->parent(conn, domain, (*info_out)->key, HVD_SNAPSHOT_BY_KEY, &parent, err) != HVD_OK)
        return rc;
    real->free(*info_out);
    *info_out = parent;
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_SNAP_PARENT
static int32_t HVD_CALL
lookup(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, hvd_snapshot_info **info_out,
       hvd_error *err)
{
    int32_t rc = real->snapshot->lookup(conn, domain, snapshot, flags, info_out, err);
    if (rc == HVD_OK)
        (*info_out)->parent_key = NULL;
    return rc;
}
#elif SHIM_BREAK == SHIM_BREAK_SNAP_REVERT
static int32_t HVD_CALL
revert(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, const hvd_progress *progress,
       hvd_error *err)
{
    (void)conn, (void)domain, (void)snapshot, (void)flags, (void)progress, (void)err;
    return HVD_OK;
}
#elif SHIM_BREAK == SHIM_BREAK_SNAP_DELETE
static int32_t HVD_CALL
snapshot_remove(hvd_conn *conn, const char *domain, const char *snapshot, uint32_t flags, const hvd_progress *progress,
                hvd_error *err)
{
    if (flags & HVD_SNAPSHOT_BY_KEY)
        return HVD_OK;
    return real->snapshot->remove(conn, domain, snapshot, flags, progress, err);
}
#endif

static void
patch(void)
{
#if SHIM_BREAK == SHIM_BREAK_POOL_LIST
    shim_storage.pool_list = pool_list;
#elif SHIM_BREAK == SHIM_BREAK_POOL_LOOKUP
    shim_storage.pool_lookup_by_uuid = pool_lookup_by_uuid;
#elif SHIM_BREAK == SHIM_BREAK_POOL_XML
    shim_storage.pool_get_xml = pool_get_xml;
#elif SHIM_BREAK == SHIM_BREAK_VOL_LIST
    shim_storage.vol_list = vol_list;
#elif SHIM_BREAK == SHIM_BREAK_VOL_LOOKUP
    shim_storage.vol_lookup_by_path = vol_lookup_by_path;
#elif SHIM_BREAK == SHIM_BREAK_VOL_CREATE
    shim_storage.vol_create_xml = vol_create_xml;
#elif SHIM_BREAK == SHIM_BREAK_VOL_DELETE
    shim_storage.vol_delete = vol_delete;
#elif SHIM_BREAK == SHIM_BREAK_TRANSFER
    shim_storage.vol_download = vol_download;
#elif SHIM_BREAK == SHIM_BREAK_SNAP_CREATE
    shim_snapshot.create_xml = create_xml;
#elif SHIM_BREAK == SHIM_BREAK_SNAP_LIST
    shim_snapshot.list = list;
#elif SHIM_BREAK == SHIM_BREAK_SNAP_CURRENT
    shim_snapshot.current = current;
#elif SHIM_BREAK == SHIM_BREAK_SNAP_PARENT
    shim_snapshot.lookup = lookup;
#elif SHIM_BREAK == SHIM_BREAK_SNAP_REVERT
    shim_snapshot.revert = revert;
#elif SHIM_BREAK == SHIM_BREAK_SNAP_DELETE
    shim_snapshot.remove = snapshot_remove;
#endif
}

HVD_EXPORT int32_t HVD_CALL
hvd_driver_entry_v1(uint32_t host_minor, const hvd_driver **driver_out, uint32_t *minor_out)
{
    if (driver_out == NULL || minor_out == NULL)
        return HVD_ERR_INVALID_ARG;
    if (real == NULL) {
        void *h = dlopen(SHIM_REAL, RTLD_NOW | RTLD_LOCAL);
        void *sym = h != NULL ? dlsym(h, "hvd_driver_entry_v1") : NULL;
        if (sym == NULL)
            return HVD_ERR_INTERNAL;
        hvd_driver_entry_fn entry;
        memcpy(&entry, &sym, sizeof(entry));
        int32_t rc = entry(host_minor, &real, minor_out);
        if (rc != HVD_OK)
            return rc;
        shim_driver = *real;
        shim_storage = *real->storage;
        shim_snapshot = *real->snapshot;
        shim_driver.storage = &shim_storage;
        shim_driver.snapshot = &shim_snapshot;
        patch();
    }
    *driver_out = &shim_driver;
    *minor_out = host_minor < real->abi_minor ? host_minor : real->abi_minor;
    return HVD_OK;
}
