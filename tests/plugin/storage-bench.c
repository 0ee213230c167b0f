/* storage-bench: what the storage table costs against the simulator.
 *
 *   build/tests/plugin/storage-bench [--files N] [--mib N]
 *
 * Prints: the requests of pool_list after connecting (one property round
 * trip); of vol_list on a datastore holding N files (default 1,000) after
 * that list (one search task and its wait through the datastore the list
 * saw; no UUID query), and as the first call of another connection (the
 * search through the host's datastore browser and its wait, which brings
 * the datastores along); the
 * throughput of vol_upload and vol_download of a file of N MiB (default
 * 256) next to curl moving the same file to and from the same simulator
 * (the floor). A benchmark, not a test. */
#include "hvd-loader.h"
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hvd_driver *drv;

static int32_t HVD_CALL
creds(void *user_data, hvd_credential *c, uint32_t n)
{
    const sim_instance *sim = user_data;
    for (uint32_t i = 0; i < n; i++) {
        const char *v = c[i].type == HVD_CRED_USERNAME ? sim->username : sim->password;
        g_strlcpy(c[i].result, v, c[i].result_capacity);
        c[i].result_len = (uint32_t)strlen(c[i].result);
    }
    return 0;
}

static int
count(sim_instance *sim)
{
    g_autoptr(GError) gerr = NULL;
    return sim_call_count(sim, NULL, &gerr);
}

static void
reset(sim_instance *sim)
{
    g_autoptr(GError) gerr = NULL;
    sim_control(sim, "POST", "/stats/reset", NULL, NULL, &gerr);
}

typedef struct {
    uint64_t left;
} zero_src;

static int64_t HVD_CALL
zeros(void *ud, uint8_t *buf, uint64_t cap)
{
    zero_src *z = ud;
    uint64_t n = MIN(cap, z->left);
    memset(buf, 0x5a, n);
    z->left -= n;
    return (int64_t)n;
}

static int32_t HVD_CALL
discard(void *ud, const uint8_t *buf, uint64_t len)
{
    (void)ud, (void)buf, (void)len;
    return 0;
}

static double
mb_per_s(uint64_t bytes, gint64 us)
{
    return us > 0 ? (double)bytes / 1e6 / ((double)us / 1e6) : 0;
}

int
main(int argc, char **argv)
{
    int files = 1000, mib = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--files") == 0)
            files = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--mib") == 0)
            mib = atoi(argv[i + 1]);
    }
    hvd_loader *loader = hvd_loader_new();
    hvd_error err = HVD_ERROR_INIT;
    const hvd_loaded_driver *ld = NULL;
    if (hvd_loader_load_for_uri(loader, "esx://x/", HVD_ABI_MINOR, &ld, &err) != HVD_OK)
        g_error("loading the driver: %s", err.message);
    drv = ld->driver;
    drv->init(0, &err);
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx" };
    sim_instance *sim = sim_start(&so, &gerr);
    if (sim == NULL)
        g_error("simulator: %s", gerr->message);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    hvd_host host = { .struct_size = sizeof(host), .auth = creds, .user_data = sim };
    hvd_conn *conn = NULL;
    if (drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err) != HVD_OK)
        g_error("open: %s", err.message);

    reset(sim);
    hvd_pool_list *pl = NULL;
    drv->storage->pool_list(conn, 0, &pl, &err);
    printf("pool_list after connect: %d requests (%u pools)\n", count(sim), pl ? pl->count : 0);
    drv->free(pl);

    g_autofree char *ds = NULL;
    sim_control(sim, "GET", "/datastore?name=LocalDS_0", NULL, &ds, &gerr);
    json_object *o = json_tokener_parse(ds);
    g_autofree char *dir = g_build_filename(json_object_get_string(json_object_object_get(o, "dir")), "bench", NULL);
    json_object_put(o);
    g_mkdir_with_parents(dir, 0755);
    for (int i = 0; i < files; i++) {
        g_autofree char *f = g_strdup_printf("%s/file%04d.iso", dir, i);
        g_file_set_contents(f, "x", 1, NULL);
    }
    reset(sim);
    gint64 t0 = g_get_monotonic_time();
    hvd_volume_list *vl = NULL;
    drv->storage->vol_list(conn, "LocalDS_0", 0, &vl, &err);
    gint64 t1 = g_get_monotonic_time();
    printf("vol_list after pool_list, %u volumes (%d files added): %d requests (SearchDatastoreSubFolders_Task %d, "
           "QueryVirtualDiskUuid %d), %.1f ms\n",
           vl ? vl->count : 0, files, count(sim), sim_call_count(sim, "SearchDatastoreSubFolders_Task", NULL),
           sim_call_count(sim, "QueryVirtualDiskUuid", NULL), (double)(t1 - t0) / 1000.0);
    drv->free(vl);

    /* what one `hvdctl vol-list POOL` process pays after connecting: a
     * vol_list as the first call of a connection */
    hvd_conn *fresh = NULL;
    if (drv->connect->open(uri, NULL, 0, &host, 0, &fresh, &err) != HVD_OK)
        g_error("open: %s", err.message);
    reset(sim);
    drv->storage->vol_list(fresh, "LocalDS_0", 0, &vl, &err);
    printf("vol_list as a connection's first call: %d requests (%u volumes)\n", count(sim), vl ? vl->count : 0);
    drv->free(vl);
    drv->connect->close(fresh);

    uint64_t bytes = (uint64_t)mib << 20;
    zero_src z = { .left = bytes };
    t0 = g_get_monotonic_time();
    int32_t rc = drv->storage->vol_upload(conn, "[LocalDS_0] bench/big.bin", 0, bytes, zeros, &z, 0, NULL, &err);
    t1 = g_get_monotonic_time();
    printf("vol_upload %d MiB: %s, %.0f MB/s\n", mib, rc == HVD_OK ? "ok" : err.message, mb_per_s(bytes, t1 - t0));
    t0 = g_get_monotonic_time();
    rc = drv->storage->vol_download(conn, "[LocalDS_0] bench/big.bin", 0, 0, discard, NULL, 0, NULL, &err);
    t1 = g_get_monotonic_time();
    printf("vol_download %d MiB: %s, %.0f MB/s\n", mib, rc == HVD_OK ? "ok" : err.message, mb_per_s(bytes, t1 - t0));

    /* the floor: curl moving the same bytes to and from the same URL */
    g_autofree char *local = g_build_filename(g_get_tmp_dir(), "storage-bench.bin", NULL);
    {
        FILE *fp = fopen(local, "wb");
        g_autofree char *chunk = g_malloc(1 << 20);
        memset(chunk, 0x5a, 1 << 20);
        for (int i = 0; fp != NULL && i < mib; i++)
            fwrite(chunk, 1, 1 << 20, fp);
        if (fp != NULL)
            fclose(fp);
    }
    g_autofree char *url = g_strdup_printf("http://%s:%d/folder/bench/curl.bin?dcPath=ha-datacenter&dsName=LocalDS_0",
                                           sim->host, sim->port);
    const char *up[] = { "curl", "-s", "-o", "/dev/null", "-T", local, url, NULL };
    const char *down[] = { "curl", "-s", "-o", "/dev/null", url, NULL };
    const char *const *cmds[] = { up, down };
    const char *names[] = { "curl upload", "curl download" };
    for (int i = 0; i < 2; i++) {
        int status = 0;
        t0 = g_get_monotonic_time();
        gboolean ran =
            g_spawn_sync(NULL, (char **)cmds[i], NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL);
        t1 = g_get_monotonic_time();
        printf("%s %d MiB: %s, %.0f MB/s\n", names[i], mib, ran && status == 0 ? "ok" : "failed",
               mb_per_s(bytes, t1 - t0));
    }
    g_unlink(local);

    drv->connect->close(conn);
    sim_stop(sim);
    drv->shutdown();
    hvd_loader_free(loader);
    return 0;
}
