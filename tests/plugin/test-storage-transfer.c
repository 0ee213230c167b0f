/* The storage table's transfers against the simulator, through the loader
 * as a host calls it: vol_upload and vol_download of 256 MiB by checksum,
 * with progress and the peak RSS under 32 MiB; ranges (offset, length);
 * a failing, a short and a cancelled upload leaving nothing on the
 * datastore; refusals (a missing file, an unknown pool, an upload at an
 * offset, a read-only connection, which may download); and over HTTPS.
 * On the ESX model and through a vCenter. */
#include "simconn.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The size of datastore file `rel` under `dir` on the server, -1 when missing. */
static gint64
server_size(const char *dir, const char *rel)
{
    g_autofree char *file = g_build_filename(dir, rel, NULL);
    GStatBuf st;
    return g_stat(file, &st) == 0 ? (gint64)st.st_size : -1;
}

/* A source of `size` pseudo-random bytes (no buffer behind it), hashed as
 * it goes; it fails with -1 after `fail_at` bytes when that is not 0. */
typedef struct {
    uint64_t size, sent, fail_at;
    uint32_t state;
    GChecksum *sum;
} gen_source;

static int64_t HVD_CALL
gen_read(void *ud, uint8_t *buf, uint64_t cap)
{
    gen_source *g = ud;
    if (g->fail_at > 0 && g->sent >= g->fail_at)
        return -1;
    uint64_t n = MIN(cap, g->size - g->sent);
    for (uint64_t i = 0; i < n; i++) {
        g->state = g->state * 1103515245u + 12345u;
        buf[i] = (uint8_t)(g->state >> 16);
    }
    g->sent += n;
    if (g->sum != NULL)
        g_checksum_update(g->sum, buf, (gssize)n);
    return (int64_t)n;
}

typedef struct {
    GChecksum *sum;
    GByteArray *keep; /* small downloads kept whole, else NULL */
    uint64_t got;
} hash_sink;

static int32_t HVD_CALL
hash_write(void *ud, const uint8_t *buf, uint64_t len)
{
    hash_sink *h = ud;
    g_checksum_update(h->sum, buf, (gssize)len);
    if (h->keep != NULL)
        g_byte_array_append(h->keep, buf, (guint)len);
    h->got += len;
    return 0;
}

typedef struct {
    int calls, last, stop_at;
} progress_seen;

static int32_t HVD_CALL
on_progress(void *ud, const char *what, int32_t percent)
{
    progress_seen *p = ud;
    g_assert_nonnull(what);
    g_assert_cmpint(percent, >=, p->last);
    p->calls++;
    p->last = percent;
    return p->stop_at > 0 && percent >= p->stop_at;
}

/* The resident set now, in KiB (/proc/self/statm). */
static long
current_rss_kib(void)
{
    g_autofree char *statm = NULL;
    g_assert_true(g_file_get_contents("/proc/self/statm", &statm, NULL, NULL));
    long pages = 0, resident = 0;
    g_assert_cmpint(sscanf(statm, "%ld %ld", &pages, &resident), ==, 2);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void
check_transfers(const char *model)
{
    g_autofree char *uri = NULL;
    sim_instance *sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    g_autofree char *dir = sim_datastore_dir(sim, "LocalDS_0");
    hvd_error err = HVD_ERROR_INIT;

    /* 256 MiB up and down again: the same bytes, constant memory */
    long rss_before = current_rss_kib();
    const uint64_t big = 256u << 20;
    gen_source up = { .size = big, .state = 7, .sum = g_checksum_new(G_CHECKSUM_SHA256) };
    progress_seen seen = { .last = -1 };
    hvd_progress prog = { .struct_size = sizeof(prog), .progress = on_progress, .user_data = &seen };
    g_assert_cmpint(drv->storage->vol_upload(conn, "[LocalDS_0] iso/big.iso", 0, big, gen_read, &up, 0, &prog, &err),
                    ==, HVD_OK);
    g_assert_cmpint(seen.last, ==, 100);
    g_assert_cmpint(server_size(dir, "iso/big.iso"), ==, (gint64)big);
    hash_sink down = { .sum = g_checksum_new(G_CHECKSUM_SHA256) };
    g_assert_cmpint(drv->storage->vol_download(conn, "[LocalDS_0] iso/big.iso", 0, 0, hash_write, &down, 0, NULL, &err),
                    ==, HVD_OK);
    g_assert_cmpuint(down.got, ==, big);
    g_assert_cmpstr(g_checksum_get_string(down.sum), ==, g_checksum_get_string(up.sum));
    /* the peak over both transfers, above what the process held before */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    g_assert_cmpint(ru.ru_maxrss - rss_before, <, 32 * 1024); /* KiB */
    g_checksum_free(up.sum);
    g_checksum_free(down.sum);

    /* a range: offset and length */
    gen_source small = { .size = 1000, .state = 3 };
    g_assert_cmpint(drv->storage->vol_upload(conn, "[LocalDS_0] small.bin", 0, 0, gen_read, &small, 0, NULL, &err), ==,
                    HVD_OK);
    g_autofree char *whole = NULL;
    gsize whole_len = 0;
    g_autofree char *small_file = g_build_filename(dir, "small.bin", NULL);
    g_assert_true(g_file_get_contents(small_file, &whole, &whole_len, NULL));
    g_assert_cmpuint(whole_len, ==, 1000);
    hash_sink part = { .sum = g_checksum_new(G_CHECKSUM_MD5), .keep = g_byte_array_new() };
    g_assert_cmpint(
        drv->storage->vol_download(conn, "[LocalDS_0] small.bin", 100, 50, hash_write, &part, 0, NULL, &err), ==,
        HVD_OK);
    g_assert_cmpuint(part.keep->len, ==, 50);
    g_assert_true(memcmp(part.keep->data, whole + 100, 50) == 0);
    g_byte_array_set_size(part.keep, 0);
    g_assert_cmpint(drv->storage->vol_download(conn, "[LocalDS_0] small.bin", 990, 0, hash_write, &part, 0, NULL, &err),
                    ==, HVD_OK);
    g_assert_cmpuint(part.keep->len, ==, 10);
    g_assert_true(memcmp(part.keep->data, whole + 990, 10) == 0);
    g_byte_array_unref(part.keep);
    g_checksum_free(part.sum);
    hash_sink none = { .sum = g_checksum_new(G_CHECKSUM_MD5) };
    g_assert_cmpint(
        drv->storage->vol_download(conn, "[LocalDS_0] small.bin", 1000, 0, hash_write, &none, 0, NULL, &err), ==,
        HVD_ERR_INVALID_ARG);

    /* broken uploads: a failing source, a short one, a cancel; nothing left behind */
    gen_source bad = { .size = 8u << 20, .fail_at = 3u << 20 };
    g_assert_cmpint(
        drv->storage->vol_upload(conn, "[LocalDS_0] broken.bin", 0, 8u << 20, gen_read, &bad, 0, NULL, &err), ==,
        HVD_ERR_IO);
    g_assert_nonnull(strstr(err.message, "read callback failed"));
    g_assert_cmpint(server_size(dir, "broken.bin"), ==, -1);
    gen_source shortsrc = { .size = 1u << 20 };
    g_assert_cmpint(
        drv->storage->vol_upload(conn, "[LocalDS_0] short.bin", 0, 2u << 20, gen_read, &shortsrc, 0, NULL, &err), ==,
        HVD_ERR_IO);
    g_assert_nonnull(strstr(err.message, "ended after"));
    g_assert_cmpint(server_size(dir, "short.bin"), ==, -1);
    gen_source cancel = { .size = 8u << 20 };
    progress_seen stop = { .last = -1, .stop_at = 30 };
    hvd_progress stopper = { .struct_size = sizeof(stopper), .progress = on_progress, .user_data = &stop };
    g_assert_cmpint(
        drv->storage->vol_upload(conn, "[LocalDS_0] cancel.bin", 0, 8u << 20, gen_read, &cancel, 0, &stopper, &err), ==,
        HVD_ERR_CANCELLED);
    g_assert_cmpint(server_size(dir, "cancel.bin"), ==, -1);

    /* refusals */
    g_assert_cmpint(drv->storage->vol_download(conn, "[LocalDS_0] none.bin", 0, 0, hash_write, &none, 0, NULL, &err),
                    ==, HVD_ERR_NO_VOLUME);
    g_assert_cmpint(drv->storage->vol_upload(conn, "[nods] a.bin", 0, 0, gen_read, &small, 0, NULL, &err), ==,
                    HVD_ERR_NO_POOL);
    g_assert_cmpint(drv->storage->vol_upload(conn, "[LocalDS_0] small.bin", 10, 0, gen_read, &small, 0, NULL, &err), ==,
                    HVD_ERR_NO_SUPPORT);
    hvd_conn *ro = open_flags(sim, uri, HVD_CONNECT_READONLY);
    g_assert_cmpint(drv->storage->vol_upload(ro, "[LocalDS_0] ro.bin", 0, 0, gen_read, &small, 0, NULL, &err), ==,
                    HVD_ERR_ACCESS_DENIED);
    g_assert_cmpint(server_size(dir, "ro.bin"), ==, -1);
    /* a read-only connection may download */
    hash_sink ro_sink = { .sum = none.sum };
    g_assert_cmpint(drv->storage->vol_download(ro, "[LocalDS_0] small.bin", 0, 0, hash_write, &ro_sink, 0, NULL, &err),
                    ==, HVD_OK);
    g_assert_cmpuint(ro_sink.got, ==, 1000);
    g_checksum_free(none.sum);

    drv->connect->close(ro);
    drv->connect->close(conn);
    sim_stop(sim);
}

/* Over HTTPS (the simulator's CA verified): a transfer's handle carries the
 * connection's TLS settings. */
static void
test_transfers_tls(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .tls = TRUE };
    sim_instance *sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?ca_file=%s", sim->host, sim->port, sim->ca_file);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_error err = HVD_ERROR_INIT;
    gen_source up = { .size = 3u << 20, .state = 11, .sum = g_checksum_new(G_CHECKSUM_SHA256) };
    g_assert_cmpint(drv->storage->vol_upload(conn, "[LocalDS_0] tls.bin", 0, 0, gen_read, &up, 0, NULL, &err), ==,
                    HVD_OK);
    hash_sink down = { .sum = g_checksum_new(G_CHECKSUM_SHA256) };
    g_assert_cmpint(drv->storage->vol_download(conn, "[LocalDS_0] tls.bin", 0, 0, hash_write, &down, 0, NULL, &err), ==,
                    HVD_OK);
    g_assert_cmpstr(g_checksum_get_string(down.sum), ==, g_checksum_get_string(up.sum));
    g_checksum_free(up.sum);
    g_checksum_free(down.sum);
    drv->connect->close(conn);
    sim_stop(sim);
}

static void
test_transfers_esx(void)
{
    check_transfers("esx");
}

static void
test_transfers_vpx(void)
{
    check_transfers("vc");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/storage/transfers-esx", test_transfers_esx);
    g_test_add_func("/plugin/storage/transfers-vpx", test_transfers_vpx);
    g_test_add_func("/plugin/storage/transfers-tls", test_transfers_tls);
    int rc = g_test_run();
    simconn_done();
    return rc;
}
