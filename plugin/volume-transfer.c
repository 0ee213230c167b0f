/* volume-transfer.c — vol_upload and vol_download: a datastore file's bytes
 * streamed between the host's callbacks and the server's /folder URL (HTTP
 * PUT and GET with the session), one curl buffer in memory whatever the
 * size. A download takes an offset and a length (a Range request); an
 * upload replaces the whole file (ESX's /folder PUT has no offset), creating
 * it when the path names a file that does not exist yet. Progress goes to
 * the host as a percentage of the bytes expected; a progress callback that
 * returns non-zero stops the transfer (HVD_ERR_CANCELLED). A transfer that
 * breaks (the source fails or ends short, the sink refuses, the connection
 * drops) fails with HVD_ERR_IO or the transport's error, and an upload that
 * did not complete removes what it left on the datastore. */
#include "esx-domain.h"
#include "esx-storage.h"
#include "esx-task.h"
#include "vmx/vmx.h"

#include <string.h>

typedef struct {
    hvd_read_fn read;
    hvd_write_fn write;
    void *user_data;
    uint64_t expected; /* bytes the transfer should move, 0 when unknown */
    uint64_t moved;
    int last_percent;
    hvd_progress_fn progress;
    void *progress_data;
    const char *what;
    gboolean cancelled; /* the progress callback said stop */
    gboolean failed;    /* the host's callback failed */
    gboolean short_src; /* the source ended before `expected` */
} transfer;

/* Reports progress; FALSE when the host asks to stop. */
static gboolean
advance(transfer *t, gsize n)
{
    t->moved += n;
    if (t->progress == NULL || t->expected == 0)
        return TRUE;
    int percent = (int)MIN(100, t->moved * 100 / t->expected);
    if (percent == t->last_percent)
        return TRUE;
    t->last_percent = percent;
    if (t->progress(t->progress_data, t->what, percent) != 0) {
        t->cancelled = TRUE;
        return FALSE;
    }
    return TRUE;
}

static gssize
source(gpointer ud, guint8 *buf, gsize cap)
{
    transfer *t = ud;
    if (t->expected > 0) {
        if (t->moved >= t->expected)
            return 0;
        cap = (gsize)MIN((uint64_t)cap, t->expected - t->moved);
    }
    int64_t n = t->read(t->user_data, buf, cap);
    if (n < 0 || (uint64_t)n > cap) {
        t->failed = TRUE;
        return -1;
    }
    if (n == 0 && t->expected > 0) {
        t->short_src = TRUE;
        return -1;
    }
    return advance(t, (gsize)n) ? (gssize)n : -1;
}

static gboolean
sink(gpointer ud, const guint8 *buf, gsize len)
{
    transfer *t = ud;
    if (t->write(t->user_data, buf, len) != 0) {
        t->failed = TRUE;
        return FALSE;
    }
    return advance(t, len);
}

static void
transfer_init(transfer *t, hvd_conn *conn, const hvd_progress *progress, const char *what)
{
    t->last_percent = -1;
    t->what = what;
    if (progress != NULL) {
        if (HVD_HAS_MEMBER(progress, hvd_progress, user_data)) {
            t->progress = progress->progress;
            t->progress_data = progress->user_data;
        }
    } else {
        t->progress = conn->upcalls.progress;
        t->progress_data = conn->upcalls.user_data;
    }
}

/* The status for a transfer that failed with `gerr`. */
static int32_t
transfer_failed(const transfer *t, const char *verb, const char *path, const GError *gerr, hvd_error *err)
{
    if (t->cancelled)
        return esx_fail(err, HVD_ERR_CANCELLED, NULL, "%s of %s cancelled after %" G_GUINT64_FORMAT " bytes", verb,
                        path, t->moved);
    if (t->short_src)
        return esx_fail(err, HVD_ERR_IO, NULL,
                        "%s of %s: the source ended after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes", verb,
                        path, t->moved, t->expected);
    if (t->failed)
        return esx_fail(err, HVD_ERR_IO, NULL, "%s of %s: the %s callback failed after %" G_GUINT64_FORMAT " bytes",
                        verb, path, t->read != NULL ? "read" : "write", t->moved);
    if (g_error_matches(gerr, VI_ERROR, VI_ERROR_NOT_FOUND))
        return esx_fail(err, HVD_ERR_NO_VOLUME, NULL, "%s", gerr->message);
    int32_t rc = esx_fail_gerror(err, gerr);
    return rc;
}

/* "[ds] dir/file" of `volume` (a path, which need not exist when
 * `may_be_new`, or a key) and its datastore and file parts. */
static int32_t
target(hvd_conn *conn, const char *volume, gboolean may_be_new, char **ds_out, char **file_out, uint64_t *size_out,
       hvd_error *err)
{
    g_autofree char *path = NULL;
    *size_out = 0;
    if (volume == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "the volume is NULL");
    if (volume[0] == '/')
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "'%s' is a device: ESX transfers datastore files, not raw devices", volume);
    if (volume[0] == '[' && may_be_new) {
        path = g_strdup(volume);
    } else {
        g_autofree hvd_volume_info *v = NULL;
        int32_t rc = volume[0] == '[' ? esx_vol_lookup_by_path(conn, volume, 0, &v, err)
                                      : esx_vol_lookup_by_key(conn, volume, 0, &v, err);
        if (rc != HVD_OK)
            return rc;
        if (v->type == HVD_VOL_BLOCK)
            return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                            "'%s' is an iSCSI LUN: ESX transfers datastore files, not raw devices", v->path);
        path = g_strdup(v->path);
        *size_out = v->allocation;
    }
    g_autofree char *dir = NULL, *file = NULL;
    g_autoptr(GError) gerr = NULL;
    if (!vmx_parse_datastore_path(path, ds_out, &dir, &file, &gerr))
        return esx_fail(err, HVD_ERR_NO_VOLUME, NULL, "'%s' is not a volume path ([datastore] dir/file): %s", path,
                        gerr->message);
    /* the pool must exist and be readable, new file or not */
    g_autoptr(esx_pool) pool = NULL;
    int32_t rc = esx_pool_resolve(conn, *ds_out, &pool, err);
    if (rc != HVD_OK)
        return rc;
    if (!pool->accessible)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL, "storage pool '%s' is inaccessible", pool->name);
    *file_out = dir != NULL ? g_strdup_printf("%s/%s", dir, file) : g_strdup(file);
    return HVD_OK;
}

/* Best effort: what a broken upload left is not a volume anyone wants. The
 * server may open the file only after the client has given up (the request
 * and the delete travel on different connections), so a delete that finds
 * nothing is tried again for about a second. */
static void
remove_partial(hvd_conn *conn, const esx_location *loc, const char *path)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    g_autoptr(vi_value) args = vi_value_new("DeleteDatastoreFile_Task", NULL, NULL);
    vi_value_add_string(args, "name", path);
    vi_value_add_moref(args, "datacenter", &loc->datacenter);
    for (int attempt = 0; attempt < 10; attempt++) {
        hvd_error e = HVD_ERROR_INIT;
        int32_t rc = esx_run_task(conn, "DeleteDatastoreFile_Task", &sc->fileManager, args, "DeleteDatastoreFile_Task",
                                  TRUE, NULL, NULL, &e);
        if (rc == HVD_OK || strcmp(e.fault, "FileNotFound") != 0)
            return;
        g_usleep(G_USEC_PER_SEC / 10);
    }
}

int32_t HVD_CALL
esx_vol_upload(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length, hvd_read_fn read, void *user_data,
               uint32_t flags, const hvd_progress *progress, hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, "vol_upload", err);
    if (rc == HVD_OK)
        rc = esx_check_flags("vol_upload", flags, 0, err);
    if (rc == HVD_OK)
        rc = esx_check_writable(conn, "vol_upload", err);
    if (rc != HVD_OK)
        return rc;
    if (read == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "vol_upload: the read callback is NULL");
    g_autofree char *ds = NULL, *file = NULL;
    uint64_t size = 0;
    rc = target(conn, volume, TRUE, &ds, &file, &size, err);
    if (rc != HVD_OK)
        return rc;
    if (offset != 0)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "vol_upload: ESX replaces a datastore file whole; an upload at offset %" G_GUINT64_FORMAT
                        " is not possible",
                        offset);
    const esx_location *loc = NULL;
    rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *path = g_strdup_printf("[%s] %s", ds, file);
    g_autofree char *what = g_strdup_printf("upload to %s", path);
    transfer t = { .read = read, .user_data = user_data, .expected = length };
    transfer_init(&t, conn, progress, what);
    g_autoptr(GError) gerr = NULL;
    if (!vi_datastore_file_upload(conn->vi, loc->datacenter_path, ds, file, length > 0 ? (gint64)length : -1, source,
                                  &t, &gerr)) {
        rc = transfer_failed(&t, "upload", path, gerr, err);
        remove_partial(conn, loc, path);
        return rc;
    }
    return HVD_OK;
}

int32_t HVD_CALL
esx_vol_download(hvd_conn *conn, const char *volume, uint64_t offset, uint64_t length, hvd_write_fn write,
                 void *user_data, uint32_t flags, const hvd_progress *progress, hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, "vol_download", err);
    if (rc == HVD_OK)
        rc = esx_check_flags("vol_download", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    if (write == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "vol_download: the write callback is NULL");
    g_autofree char *ds = NULL, *file = NULL;
    uint64_t size = 0;
    rc = target(conn, volume, FALSE, &ds, &file, &size, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *path = g_strdup_printf("[%s] %s", ds, file);
    if (offset > 0 && offset >= size)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "vol_download: offset %" G_GUINT64_FORMAT " is at or past the end of %s (%" G_GUINT64_FORMAT
                        " bytes)",
                        offset, path, size);
    const esx_location *loc = NULL;
    rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    g_autofree char *what = g_strdup_printf("download of %s", path);
    transfer t = { .write = write, .user_data = user_data };
    t.expected = length > 0 ? MIN(length, size - offset) : size - offset;
    transfer_init(&t, conn, progress, what);
    g_autoptr(GError) gerr = NULL;
    if (!vi_datastore_file_download(conn->vi, loc->datacenter_path, ds, file, offset, length, sink, &t, &gerr))
        return transfer_failed(&t, "download", path, gerr, err);
    return HVD_OK;
}
