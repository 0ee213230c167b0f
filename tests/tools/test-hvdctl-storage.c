/* hvdctl's storage commands end to end against the simulator, as a user
 * runs them: pool-list (--all, --details, --json), pool-info, pool-uuid,
 * pool-name, pool-dumpxml, pool-refresh; vol-list, vol-info, vol-dumpxml,
 * vol-path, vol-key, vol-name, vol-pool; vol-create-as, vol-create,
 * vol-create-from, vol-clone, vol-wipe, vol-delete, each checked on the
 * server (the datastore's directory) afterwards; the errors, exit statuses
 * and --readonly; vol-list --keys; iSCSI targets as pools (pool-list,
 * pool-info, pool-dumpxml, vol-list of their LUNs, vol-info of a LUN)
 * against what the simulator was told the host has. On the ESX model and
 * through a vCenter. */
#include "simharness.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>

typedef struct {
    sim_instance *sim;
    char *tmp; /* auth file and XML files */
    char *uri;
    char *dsdir; /* LocalDS_0's files on the server */
} fixture;

static void
setup(fixture *f, gconstpointer data)
{
    gboolean esx = strcmp(data, "esx") == 0;
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = data };
    f->sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    f->tmp = g_dir_make_tmp("hvdctl-storage-XXXXXX", NULL);
    g_autofree char *auth = g_build_filename(f->tmp, "auth.conf", NULL);
    g_autofree char *text = g_strdup_printf("[credentials-sim]\nusername=%s\npassword=%s\n\n[auth-%s-%s]\n"
                                            "credentials=sim\n",
                                            f->sim->username, f->sim->password, esx ? "esx" : "vpx", f->sim->host);
    g_assert_true(g_file_set_contents(auth, text, -1, NULL));
    g_assert_cmpint(g_chmod(auth, 0600), ==, 0); /* others may not read an auth file */
    f->uri = esx ? g_strdup_printf("esx://%s:%d/?transport=http", f->sim->host, f->sim->port)
                 : g_strdup_printf("vpx://%s:%d/DC0/DC0_H0?transport=http", f->sim->host, f->sim->port);
    g_autofree char *ds = NULL;
    g_assert_true(sim_control(f->sim, "GET", "/datastore?name=LocalDS_0", NULL, &ds, &gerr));
    json_object *o = json_tokener_parse(ds);
    f->dsdir = g_strdup(json_object_get_string(json_object_object_get(o, "dir")));
    json_object_put(o);
}

static void
teardown(fixture *f, gconstpointer data)
{
    (void)data;
    sim_stop(f->sim);
    g_autofree char *auth = g_build_filename(f->tmp, "auth.conf", NULL);
    g_autofree char *xml = g_build_filename(f->tmp, "vol.xml", NULL);
    g_unlink(auth);
    g_unlink(xml);
    g_rmdir(f->tmp);
    g_free(f->tmp);
    g_free(f->uri);
    g_free(f->dsdir);
}

/* Runs `hvdctl -c URI ARGS...` (args NULL-terminated); its exit status,
 * stdout in *out and stderr in *err (both optional). */
static int
hvdctl(fixture *f, const char *const *args, char **out, char **err)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)g_getenv("HVDCTL"));
    g_ptr_array_add(argv, "-c");
    g_ptr_array_add(argv, f->uri);
    for (const char *const *a = args; *a != NULL; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    g_autofree char *auth = g_build_filename(f->tmp, "auth.conf", NULL);
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "HVD_AUTH_FILE", auth, TRUE);
    g_autofree char *o = NULL, *e = NULL;
    int wait = 0;
    g_autoptr(GError) gerr = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &o, &e, &wait, &gerr));
    g_assert_no_error(gerr);
    g_assert_true(WIFEXITED(wait));
    if (out != NULL)
        *out = g_steal_pointer(&o);
    if (err != NULL)
        *err = g_steal_pointer(&e);
    return WEXITSTATUS(wait);
}

/* The output of a command that must succeed. */
#define OK(f, ...) ok_args((f), (const char *const[]){ __VA_ARGS__, NULL })
/* (not inlined: gcc 12's -Wdangling-pointer at -O3 takes the returned
 * string for the address of the local `out` once this is inlined) */
G_GNUC_NO_INLINE static char *
ok_args(fixture *f, const char *const *args)
{
    char *out = NULL;
    g_autofree char *err = NULL;
    int status = hvdctl(f, args, &out, &err);
    if (status != 0)
        g_error("hvdctl %s: exit %d: %s", args[0], status, err);
    return out;
}

/* The stderr of a command that must fail with `status`. */
#define FAILS(f, status, ...) fails_args((f), (status), (const char *const[]){ __VA_ARGS__, NULL })
G_GNUC_NO_INLINE static char *
fails_args(fixture *f, int status, const char *const *args)
{
    char *err = NULL;
    g_autofree char *out = NULL;
    g_assert_cmpint(hvdctl(f, args, &out, &err), ==, status);
    return err;
}

static gint64
server_size(fixture *f, const char *rel)
{
    g_autofree char *file = g_build_filename(f->dsdir, rel, NULL);
    GStatBuf st;
    return g_stat(file, &st) == 0 ? (gint64)st.st_size : -1;
}

static void
test_pools(fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *list = OK(f, "pool-list");
    g_assert_nonnull(strstr(list, " Name        State    Autostart\n"));
    g_assert_nonnull(strstr(list, " LocalDS_0   active   yes\n"));
    g_autofree char *details = OK(f, "pool-list", "--all", "--details");
    g_assert_nonnull(strstr(details, "Capacity"));
    g_assert_nonnull(strstr(details, " GiB"));
    g_autofree char *info = OK(f, "pool-info", "LocalDS_0");
    g_assert_nonnull(strstr(info, "Name:           LocalDS_0\n"));
    g_assert_nonnull(strstr(info, "State:          running\n"));
    g_autofree char *uuid = OK(f, "pool-uuid", "LocalDS_0");
    g_strstrip(uuid);
    g_assert_cmpuint(strlen(uuid), ==, 36);
    g_autofree char *name = OK(f, "pool-name", uuid);
    g_assert_cmpstr(name, ==, "LocalDS_0\n");
    g_autofree char *xml = OK(f, "pool-dumpxml", "LocalDS_0");
    g_assert_true(g_str_has_prefix(xml, "<pool type='dir'>"));
    g_autofree char *refreshed = OK(f, "pool-refresh", "LocalDS_0");
    g_assert_cmpstr(refreshed, ==, "Pool LocalDS_0 refreshed\n\n");
    g_autofree char *json = OK(f, "--json", "pool-list");
    json_object *arr = json_tokener_parse(json);
    g_assert_true(json_object_is_type(arr, json_type_array));
    g_assert_cmpstr(json_object_get_string(json_object_object_get(json_object_array_get_idx(arr, 0), "name")), ==,
                    "LocalDS_0");
    json_object_put(arr);
    g_autofree char *e1 = FAILS(f, 1, "pool-info", "nosuch");
    g_assert_nonnull(strstr(e1, "no storage pool named 'nosuch'"));
    g_autofree char *e2 = FAILS(f, 2, "pool-list", "--bogus");
    g_autofree char *e3 = FAILS(f, 1, "--readonly", "pool-refresh", "LocalDS_0");
    g_assert_nonnull(strstr(e3, "read-only"));
}

static void
test_volumes(fixture *f, gconstpointer data)
{
    (void)data;
    /* create: thin, then thick with the default allocation */
    g_autofree char *c1 = OK(f, "vol-create-as", "LocalDS_0", "data/thin.vmdk", "8M", "--allocation", "0");
    g_assert_cmpstr(c1, ==, "Vol data/thin.vmdk created\n\n");
    g_assert_cmpint(server_size(f, "data/thin-flat.vmdk"), ==, 0);
    g_autofree char *c2 = OK(f, "vol-create-as", "LocalDS_0", "data/thick.vmdk", "1mib");
    g_assert_cmpint(server_size(f, "data/thick-flat.vmdk"), ==, 1 << 20);
    g_autofree char *e1 = FAILS(f, 1, "vol-create-as", "LocalDS_0", "data/bad", "1M");
    g_assert_nonnull(strstr(e1, "does not end in '.vmdk'"));
    g_autofree char *e2 = FAILS(f, 1, "vol-create-as", "LocalDS_0", "data/zero.vmdk", "0");
    g_assert_nonnull(strstr(e2, "capacity of 0"));
    g_autofree char *e3 = FAILS(f, 2, "vol-create-as", "LocalDS_0", "data/x.vmdk", "12Q");
    g_assert_nonnull(strstr(e3, "capacity: '12Q' has an unknown unit"));
    g_autofree char *e3b = FAILS(f, 2, "vol-create-as", "LocalDS_0", "data/x.vmdk", "1M", "--allocation", "99EB");
    g_assert_nonnull(strstr(e3b, "--allocation: '99EB' is too large"));
    g_autofree char *e4 = FAILS(f, 1, "--readonly", "vol-create-as", "LocalDS_0", "data/ro.vmdk", "1M");
    g_assert_cmpint(server_size(f, "data/ro.vmdk"), ==, -1);

    /* from an XML file */
    g_autofree char *file = g_build_filename(f->tmp, "vol.xml", NULL);
    g_assert_true(g_file_set_contents(file,
                                      "<volume><name>xml/disk.vmdk</name><capacity unit='MiB'>2</capacity>"
                                      "<allocation>0</allocation><target><adapter type='lsiLogic'/></target>"
                                      "</volume>",
                                      -1, NULL));
    g_autofree char *c3 = OK(f, "vol-create", "LocalDS_0", file);
    g_assert_true(g_str_has_prefix(c3, "Vol xml/disk.vmdk created from "));
    g_autofree char *desc_file = g_build_filename(f->dsdir, "xml/disk.vmdk", NULL);
    g_autofree char *desc = NULL;
    g_assert_true(g_file_get_contents(desc_file, &desc, NULL, NULL));
    g_assert_nonnull(strstr(desc, "ddb.adapterType = \"lsiLogic\""));

    /* list and the single-volume commands */
    g_autofree char *list = OK(f, "vol-list", "LocalDS_0", "--details");
    g_assert_nonnull(strstr(list, " data/thin.vmdk "));
    g_assert_nonnull(strstr(list, "[LocalDS_0] data/thin.vmdk"));
    g_assert_nonnull(strstr(list, "8.00 MiB"));
    g_assert_null(strstr(list, "-flat.vmdk"));
    g_autofree char *info = OK(f, "vol-info", "[LocalDS_0] data/thin.vmdk");
    g_assert_cmpstr(info, ==,
                    "Name:           data/thin.vmdk\nType:           file\nCapacity:       8.00 MiB\n"
                    "Allocation:     0.00 B\n");
    g_autofree char *key = OK(f, "vol-key", "--pool", "LocalDS_0", "data/thin.vmdk");
    g_strstrip(key);
    g_assert_cmpuint(strlen(key), ==, 36);
    g_autofree char *path = OK(f, "vol-path", key);
    g_assert_cmpstr(path, ==, "[LocalDS_0] data/thin.vmdk\n");
    g_autofree char *name = OK(f, "vol-name", key);
    g_assert_cmpstr(name, ==, "data/thin.vmdk\n");
    g_autofree char *pool = OK(f, "vol-pool", key);
    g_assert_cmpstr(pool, ==, "LocalDS_0\n");
    g_autofree char *xml = OK(f, "vol-dumpxml", key);
    g_assert_nonnull(strstr(xml, "<capacity unit='bytes'>8388608</capacity>"));
    g_autofree char *json = OK(f, "--json", "vol-info", "[LocalDS_0] data/thick.vmdk");
    json_object *o = json_tokener_parse(json);
    g_assert_cmpint(json_object_get_int64(json_object_object_get(o, "capacity")), ==, 1 << 20);
    g_assert_cmpint(json_object_get_int64(json_object_object_get(o, "allocation")), ==, 1 << 20);
    json_object_put(o);
    g_autofree char *e5 = FAILS(f, 1, "vol-info", "[LocalDS_0] data/none.vmdk");
    g_assert_nonnull(strstr(e5, "no storage volume 'data/none.vmdk'"));
    g_autofree char *e6 = FAILS(f, 1, "vol-list", "nosuch");
    g_assert_nonnull(strstr(e6, "no storage pool named 'nosuch'"));

    /* a one-shot vol-list by name: connect, the search and its wait, logout
     * (vpx://: the host path checked at open); by UUID a lookup first */
    g_autoptr(GError) gerr = NULL;
    int at_open = strcmp(data, "esx") == 0 ? 0 : 1;
    g_assert_true(sim_control(f->sim, "POST", "/stats/reset", NULL, NULL, &gerr));
    g_autofree char *by_name = OK(f, "vol-list", "LocalDS_0");
    g_assert_cmpint(sim_call_count(f->sim, "SearchDatastoreSubFolders_Task", &gerr), ==, 1);
    g_assert_cmpint(sim_call_count(f->sim, "RetrievePropertiesEx", &gerr), ==, 1 + at_open);
    g_assert_cmpint(sim_call_count(f->sim, NULL, &gerr), ==, 5 + at_open);
    g_assert_no_error(gerr);
    g_autofree char *pool_uuid = OK(f, "pool-uuid", "LocalDS_0");
    g_strstrip(pool_uuid);
    g_autofree char *by_uuid = OK(f, "vol-list", pool_uuid);
    g_assert_cmpstr(by_uuid, ==, by_name);

    /* keys: not in a plain listing (a request per disk), with --keys */
    g_autofree char *plain = OK(f, "--json", "vol-list", "LocalDS_0");
    json_object *arr = json_tokener_parse(plain);
    gboolean seen = FALSE;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (strcmp(json_object_get_string(json_object_object_get(v, "name")), "data/thin.vmdk") == 0) {
            seen = TRUE;
            g_assert_null(json_object_object_get(v, "key"));
        }
    }
    g_assert_true(seen);
    json_object_put(arr);
    g_autofree char *keyed = OK(f, "vol-list", "LocalDS_0", "--keys");
    g_assert_nonnull(strstr(keyed, " Key"));
    const char *row = strstr(keyed, "[LocalDS_0] data/thin.vmdk ");
    g_assert_nonnull(row);
    g_autofree char *line = g_strndup(row, strcspn(row, "\n"));
    g_assert_true(g_str_has_suffix(line, key));
    g_autofree char *e6b = FAILS(f, 2, "vol-list", "LocalDS_0", "--key");
    g_assert_nonnull(strstr(e6b, "--key"));

    /* clone, create-from, wipe, delete */
    g_autofree char *cl = OK(f, "vol-clone", "[LocalDS_0] data/thin.vmdk", "copy/thin.vmdk");
    g_assert_cmpstr(cl, ==, "Vol copy/thin.vmdk cloned from [LocalDS_0] data/thin.vmdk\n\n");
    g_assert_cmpint(server_size(f, "copy/thin.vmdk"), >, 0);
    g_assert_true(
        g_file_set_contents(file, "<volume><name>copy/second.vmdk</name><capacity>0</capacity></volume>", -1, NULL));
    g_autofree char *cf = OK(f, "vol-create-from", "LocalDS_0", file, "[LocalDS_0] data/thick.vmdk");
    g_assert_cmpstr(cf, ==, "Vol copy/second.vmdk created from input vol [LocalDS_0] data/thick.vmdk\n\n");
    g_assert_cmpint(server_size(f, "copy/second-flat.vmdk"), ==, 1 << 20);
    g_autofree char *w = OK(f, "vol-wipe", "[LocalDS_0] data/thin.vmdk");
    g_assert_cmpstr(w, ==, "Vol [LocalDS_0] data/thin.vmdk wiped\n\n");
    g_assert_cmpint(server_size(f, "data/thin-flat.vmdk"), ==, 8 << 20);
    g_autofree char *e7 = FAILS(f, 1, "--readonly", "vol-delete", "[LocalDS_0] data/thick.vmdk");
    g_assert_cmpint(server_size(f, "data/thick.vmdk"), >, 0);
    g_autofree char *d = OK(f, "vol-delete", "--pool", "LocalDS_0", "data/thick.vmdk");
    g_assert_cmpstr(d, ==, "Vol data/thick.vmdk deleted\n\n");
    g_assert_cmpint(server_size(f, "data/thick.vmdk"), ==, -1);
    g_assert_cmpint(server_size(f, "data/thick-flat.vmdk"), ==, -1);
    g_autofree char *e8 = FAILS(f, 1, "vol-delete", "[LocalDS_0] data/thick.vmdk");
}

static void
test_transfers(fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *src = g_build_filename(f->tmp, "up.iso", NULL);
    g_autofree char *dst = g_build_filename(f->tmp, "down.iso", NULL);
    g_autofree char *bytes = g_malloc(3 << 20);
    for (gsize i = 0; i < (3u << 20); i++)
        bytes[i] = (char)(i * 7 + i / 4096);
    g_assert_true(g_file_set_contents(src, bytes, 3 << 20, NULL));
    g_autofree char *o1 = OK(f, "vol-upload", "[LocalDS_0] iso/up.iso", src);
    g_assert_cmpstr(o1, ==, "");
    g_assert_cmpint(server_size(f, "iso/up.iso"), ==, 3 << 20);
    g_autofree char *o2 = OK(f, "vol-download", "[LocalDS_0] iso/up.iso", dst);
    g_autofree char *back = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(dst, &back, &len, NULL));
    g_assert_cmpuint(len, ==, 3 << 20);
    g_assert_true(memcmp(back, bytes, len) == 0);
    g_autofree char *o3 =
        OK(f, "vol-download", "--pool", "LocalDS_0", "iso/up.iso", dst, "--offset", "1M", "--length", "4096");
    g_free(back);
    back = NULL;
    g_assert_true(g_file_get_contents(dst, &back, &len, NULL));
    g_assert_cmpuint(len, ==, 4096);
    g_assert_true(memcmp(back, bytes + (1 << 20), 4096) == 0);
    g_autofree char *json = OK(f, "--json", "vol-upload", "[LocalDS_0] iso/second.iso", src, "--length", "1000");
    json_object *o = json_tokener_parse(json);
    g_assert_cmpint(json_object_get_int64(json_object_object_get(o, "bytes")), ==, 1000);
    json_object_put(o);
    g_assert_cmpint(server_size(f, "iso/second.iso"), ==, 1000);
    g_autofree char *e1 = FAILS(f, 1, "vol-download", "[LocalDS_0] iso/none.iso", dst);
    g_assert_nonnull(strstr(e1, "no storage volume"));
    g_autofree char *e2 = FAILS(f, 1, "vol-upload", "[LocalDS_0] iso/x.iso", src, "--offset", "10");
    g_assert_nonnull(strstr(e2, "offset"));
    g_autofree char *e3 = FAILS(f, 1, "--readonly", "vol-upload", "[LocalDS_0] iso/ro.iso", src);
    g_assert_cmpint(server_size(f, "iso/ro.iso"), ==, -1);
    g_unlink(src);
    g_unlink(dst);
}

/* iSCSI targets: the simulator gives the host a software adapter with two
 * static targets (192.0.2.10 with LUNs of 1 and 2 GiB, 192.0.2.11 with one
 * of 512 MiB: tests/sim/iscsi.go); each target is a pool, its LUNs block
 * volumes. */
static void
test_iscsi(fixture *f, gconstpointer data)
{
    const char *t0 = "iqn.2024-01.org.example.storage:target0";
    const char *t1 = "iqn.2024-01.org.example.storage:target1";
    g_autofree char *before = OK(f, "pool-list");
    g_assert_null(strstr(before, t0));
    g_autofree char *body = g_strdup_printf("{\"host\":\"%s\"}", strcmp(data, "esx") == 0 ? "" : "DC0_H0");
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(f->sim, "POST", "/iscsi", body, NULL, &gerr));
    g_assert_no_error(gerr);

    g_autofree char *list = OK(f, "pool-list", "--details");
    g_assert_nonnull(strstr(list, " LocalDS_0 "));
    g_autofree char *at0 = g_strdup_printf("\n %s ", t0);
    const char *row0 = strstr(list, at0);
    g_assert_nonnull(row0);
    g_autofree char *line0 = g_strndup(row0 + 1, strcspn(row0 + 1, "\n"));
    g_assert_nonnull(strstr(line0, " running "));
    g_assert_nonnull(strstr(line0, " 3.00 GiB "));
    g_assert_nonnull(strstr(list, t1));
    g_autofree char *json = OK(f, "--json", "pool-list");
    json_object *arr = json_tokener_parse(json);
    int iscsi = 0;
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        iscsi += strcmp(json_object_get_string(json_object_object_get(json_object_array_get_idx(arr, i), "type")),
                        "iscsi") == 0;
    g_assert_cmpint(iscsi, ==, 2);
    json_object_put(arr);

    g_autofree char *info = OK(f, "pool-info", t0);
    g_autofree char *name_line = g_strdup_printf("Name:           %s\n", t0);
    g_assert_nonnull(strstr(info, name_line));
    g_assert_nonnull(strstr(info, "State:          running\n"));
    g_assert_nonnull(strstr(info, "Capacity:       3.00 GiB\n"));
    g_autofree char *uuid = OK(f, "pool-uuid", t0);
    g_strstrip(uuid);
    g_autofree char *by_uuid = OK(f, "pool-name", uuid);
    g_autofree char *t0_line = g_strdup_printf("%s\n", t0);
    g_assert_cmpstr(by_uuid, ==, t0_line);
    g_autofree char *xml = OK(f, "pool-dumpxml", t0);
    g_assert_true(g_str_has_prefix(xml, "<pool type='iscsi'>"));
    g_assert_nonnull(strstr(xml, "<host name='192.0.2.10' port='3260'/>"));
    g_autofree char *dev = g_strdup_printf("<device path='%s'/>", t0);
    g_assert_nonnull(strstr(xml, dev));

    g_autofree char *vols = OK(f, "vol-list", t0, "--details");
    g_auto(GStrv) lines = g_strsplit(vols, "\n", -1);
    int luns = 0;
    char *lun_path = NULL;
    for (char **l = lines; *l != NULL; l++) {
        if (strstr(*l, "/vmfs/devices/disks/naa.") == NULL)
            continue;
        luns++;
        g_assert_nonnull(strstr(*l, " block "));
        if (strstr(*l, "1.00 GiB") != NULL && lun_path == NULL)
            lun_path = g_strndup(strstr(*l, "/vmfs/"), strcspn(strstr(*l, "/vmfs/"), " "));
    }
    g_assert_cmpint(luns, ==, 2);
    g_assert_nonnull(lun_path);
    g_autofree char *lun = lun_path;
    g_autofree char *vinfo = OK(f, "vol-info", lun);
    g_assert_nonnull(strstr(vinfo, "Type:           block\n"));
    g_assert_nonnull(strstr(vinfo, "Capacity:       1.00 GiB\n"));
    g_autofree char *vpool = OK(f, "vol-pool", lun);
    g_assert_cmpstr(vpool, ==, t0_line);
    g_autofree char *vxml = OK(f, "vol-dumpxml", lun);
    g_assert_true(g_str_has_prefix(vxml, "<volume type='block'>"));
    g_autofree char *other = OK(f, "vol-list", t1);
    g_auto(GStrv) other_luns = g_strsplit(other, "/vmfs/devices/disks/naa.", -1);
    g_assert_cmpuint(g_strv_length(other_luns), ==, 2); /* one LUN */

    /* what ESX cannot do with a LUN, and a LUN that is not there */
    g_autofree char *e1 = FAILS(f, 1, "vol-delete", lun);
    g_assert_nonnull(strstr(e1, "iSCSI"));
    g_autofree char *e2 = FAILS(f, 1, "vol-info", "/vmfs/devices/disks/naa.none");
    g_assert_nonnull(strstr(e2, "naa.none"));
    g_autofree char *e3 = FAILS(f, 1, "pool-info", "iqn.2024-01.org.example.storage:none");
    g_assert_nonnull(strstr(e3, "iqn.2024-01.org.example.storage:none"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    static const char *const models[] = { "esx", "vc" };
    for (gsize i = 0; i < G_N_ELEMENTS(models); i++) {
        g_autofree char *p1 = g_strdup_printf("/tools/hvdctl/storage/pools-%s", models[i]);
        g_autofree char *p2 = g_strdup_printf("/tools/hvdctl/storage/volumes-%s", models[i]);
        g_test_add(p1, fixture, models[i], setup, test_pools, teardown);
        g_test_add(p2, fixture, models[i], setup, test_volumes, teardown);
        g_autofree char *p3 = g_strdup_printf("/tools/hvdctl/storage/transfers-%s", models[i]);
        g_test_add(p3, fixture, models[i], setup, test_transfers, teardown);
        g_autofree char *p4 = g_strdup_printf("/tools/hvdctl/storage/iscsi-%s", models[i]);
        g_test_add(p4, fixture, models[i], setup, test_iscsi, teardown);
    }
    return g_test_run();
}
