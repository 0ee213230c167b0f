/* Connect/login through the plugin, loaded by the loader exactly as a host
 * does, against the vSphere simulator: HTTP, verified HTTPS, TLS refusal,
 * no_verify, wrong password, vpx:// host paths. */
#include "hvd-loader.h"
#include "simharness.h"

#include <glib.h>
#include <string.h>

typedef struct {
    const char *user; /* NULL: do not answer the user name prompt */
    const char *password;
    gboolean cancel;
    int calls;
    char challenge[256];
} auth_answers;

static int32_t HVD_CALL
test_auth(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    auth_answers *a = user_data;
    a->calls++;
    if (a->cancel)
        return 1;
    for (uint32_t i = 0; i < ncreds; i++) {
        hvd_credential *c = &creds[i];
        const char *v = c->type == HVD_CRED_USERNAME ? a->user : a->password;
        g_assert_nonnull(c->challenge);
        g_strlcpy(a->challenge, c->challenge, sizeof(a->challenge));
        if (v == NULL)
            v = c->default_result ? c->default_result : "";
        g_assert_cmpuint(strlen(v) + 1, <=, c->result_capacity);
        memcpy(c->result, v, strlen(v) + 1);
        c->result_len = (uint32_t)strlen(v);
    }
    return 0;
}

static hvd_loader *loader;
static const hvd_driver *drv;

static int32_t
open_with(const char *uri, auth_answers *answers, hvd_conn **conn, hvd_error *err)
{
    hvd_host host = { .struct_size = sizeof(host), .auth = test_auth, .user_data = answers };
    return drv->connect->open(uri, NULL, 0, &host, 0, conn, err);
}

static void
check_host_calls(hvd_conn *conn)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_version *v = NULL;
    g_assert_cmpint(drv->connect->get_version(conn, 0, &v, &err), ==, HVD_OK);
    g_assert_cmpuint(v->struct_size, >=, sizeof(hvd_version));
    g_assert_true(g_str_has_prefix(v->product, "VMware"));
    g_assert_cmpuint(v->major, >=, 6);
    g_assert_cmpuint(v->version, ==, v->major * 1000000ull + v->minor * 1000ull + v->release);
    drv->free(v);

    char *name = NULL;
    g_assert_cmpint(drv->connect->get_hostname(conn, 0, &name, &err), ==, HVD_OK);
    g_assert_cmpstr(name, !=, "");
    drv->free(name);

    hvd_node_info n = { .struct_size = sizeof(n) };
    g_assert_cmpint(drv->connect->get_node_info(conn, 0, &n, &err), ==, HVD_OK);
    g_assert_cmpuint(n.cpus, >, 0);
    g_assert_cmpuint(n.cpus, ==, n.nodes * n.sockets * n.cores * n.threads);
    g_assert_cmpuint(n.memory_kib, >, 1024);
    g_assert_cmpuint(n.mhz, >, 0);
    g_assert_cmpstr(n.model, !=, "");

    /* unknown flags are rejected, not ignored */
    g_assert_cmpint(drv->connect->get_node_info(conn, 0x80000000u, &n, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_cmpint(err.code, ==, HVD_ERR_BAD_FLAGS);
}

static void
test_http(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx" };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    auth_answers a = { .user = sim->username, .password = sim->password };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = open_with(uri, &a, &conn, &err);
    if (rc != HVD_OK)
        g_error("open %s: %d %s", uri, rc, err.message);
    /* user name and password asked in one upcall, with the host as challenge */
    g_assert_cmpint(a.calls, ==, 1);
    g_assert_cmpstr(a.challenge, ==, sim->host);
    check_host_calls(conn);
    int32_t secure = -1;
    g_assert_cmpint(drv->connect->is_secure(conn, 0, &secure, &err), ==, HVD_OK);
    g_assert_cmpint(secure, ==, 0);
    char *canon = NULL;
    g_assert_cmpint(drv->connect->get_uri(conn, 0, &canon, &err), ==, HVD_OK);
    g_autofree char *expect = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    g_assert_cmpstr(canon, ==, expect);
    drv->free(canon);
    drv->connect->close(conn);
}

static void
test_https_verified(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .tls = TRUE };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    auth_answers a = { .user = sim->username, .password = sim->password };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;

    /* the user name in the URI is used; only the password is asked for */
    g_autofree char *uri =
        g_strdup_printf("esx://%s@%s:%d/?ca_file=%s", sim->username, sim->host, sim->port, sim->ca_file);
    int32_t rc = open_with(uri, &a, &conn, &err);
    if (rc != HVD_OK)
        g_error("open %s: %d %s", uri, rc, err.message);
    check_host_calls(conn);
    int32_t secure = -1;
    g_assert_cmpint(drv->connect->is_secure(conn, 0, &secure, &err), ==, HVD_OK);
    g_assert_cmpint(secure, ==, 1);
    int32_t alive = -1;
    g_assert_cmpint(drv->connect->is_alive(conn, 0, &alive, &err), ==, HVD_OK);
    g_assert_cmpint(alive, ==, 1);
    drv->connect->close(conn);

    /* without the CA the self-made certificate is refused, with the fix named */
    g_autofree char *bare = g_strdup_printf("esx://%s:%d/", sim->host, sim->port);
    hvd_error terr = HVD_ERROR_INIT;
    conn = NULL;
    rc = open_with(bare, &a, &conn, &terr);
    g_assert_cmpint(rc, ==, HVD_ERR_TLS);
    g_assert_null(conn);
    g_assert_nonnull(strstr(terr.message, "no_verify=1"));

    /* ... and accepted with no_verify=1 */
    g_autofree char *nv = g_strdup_printf("esx://%s:%d/?no_verify=1", sim->host, sim->port);
    rc = open_with(nv, &a, &conn, &err);
    g_assert_cmpint(rc, ==, HVD_OK);
    drv->connect->close(conn);
}

static void
test_wrong_password(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx", .tls = TRUE };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri =
        g_strdup_printf("esx://%s@%s:%d/?ca_file=%s", sim->username, sim->host, sim->port, sim->ca_file);
    auth_answers a = { .user = sim->username, .password = "not-the-password" };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = open_with(uri, &a, &conn, &err);
    g_assert_cmpint(rc, ==, HVD_ERR_AUTH_FAILED);
    g_assert_null(conn);
    g_assert_cmpstr(err.fault, ==, "InvalidLogin");
    g_autofree char *lower = g_ascii_strdown(err.message, -1);
    g_assert_nonnull(strstr(lower, "login"));
    g_assert_nonnull(strstr(lower, "failed"));
    g_assert_nonnull(strstr(err.message, sim->username));
    /* the password never appears in an error */
    g_assert_null(strstr(err.message, "not-the-password"));

    /* a cancelled prompt is its own status */
    auth_answers c = { .cancel = TRUE };
    hvd_error cerr = HVD_ERROR_INIT;
    g_assert_cmpint(open_with(uri, &c, &conn, &cerr), ==, HVD_ERR_AUTH_CANCELLED);
}

static void
test_vcenter_paths(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "vc", .datacenters = 1, .clusters = 1, .hosts = 1 };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    auth_answers a = { .user = sim->username, .password = sim->password };
    hvd_error err = HVD_ERROR_INIT;
    hvd_conn *conn = NULL;

    /* a host in a cluster, and a standalone host (vcsim names them DC0_C0_H0, DC0_H0) */
    const char *paths[] = { "DC0/DC0_C0/DC0_C0_H0", "DC0/DC0_H0" };
    for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
        g_autofree char *uri = g_strdup_printf("vpx://%s:%d/%s?transport=http", sim->host, sim->port, paths[i]);
        int32_t rc = open_with(uri, &a, &conn, &err);
        if (rc != HVD_OK)
            g_error("open %s: %d %s", uri, rc, err.message);
        check_host_calls(conn);
        drv->connect->close(conn);
    }

    struct {
        const char *path;
        const char *fragment;
    } bad[] = {
        { "NODC/DC0_H0", "no folder or datacenter named 'NODC'" },
        { "DC0/DC0_C0/nohost", "has no host named 'nohost'" },
        { "DC0/nothing", "no folder, cluster or host named 'nothing'" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *uri = g_strdup_printf("vpx://%s:%d/%s?transport=http", sim->host, sim->port, bad[i].path);
        hvd_error berr = HVD_ERROR_INIT;
        g_assert_cmpint(open_with(uri, &a, &conn, &berr), ==, HVD_ERR_NO_HOST);
        if (strstr(berr.message, bad[i].fragment) == NULL)
            g_error("%s: '%s' lacks '%s'", bad[i].path, berr.message, bad[i].fragment);
    }

    /* esx:// pointed at a vCenter says what to use instead */
    g_autofree char *esx = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    hvd_error perr = HVD_ERROR_INIT;
    g_assert_cmpint(open_with(esx, &a, &conn, &perr), ==, HVD_ERR_URI);
    g_assert_nonnull(strstr(perr.message, "vpx://"));
}

static void
test_unreachable(void)
{
    /* a port nobody listens on: a connection error naming host and port */
    auth_answers a = { .user = "u", .password = "p" };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = open_with("esx://127.0.0.1:9/?transport=http", &a, &conn, &err);
    g_assert_cmpint(rc, ==, HVD_ERR_CONNECT);
    g_assert_nonnull(strstr(err.message, "127.0.0.1"));
    /* a malformed URI never reaches the network */
    hvd_error uerr = HVD_ERROR_INIT;
    g_assert_cmpint(open_with("esx+ssh://h/", &a, &conn, &uerr), ==, HVD_ERR_URI);
    g_assert_cmpint(a.calls, ==, 1);
}

/* Not inlined: gcc 12's -Wdangling-pointer misreads the out argument. */
static G_GNUC_NO_INLINE char *
convert(hvd_conn *conn, gboolean to_native, const char *input, const char *vmx_location, hvd_error *err, int32_t *rc)
{
    hvd_param p[1];
    memset(p, 0, sizeof(p));
    uint32_t n = 0;
    if (vmx_location != NULL) {
        p[0].struct_size = sizeof(hvd_param);
        p[0].type = HVD_PARAM_STRING;
        g_strlcpy(p[0].name, HVD_NATIVE_PARAM_VMX_LOCATION, sizeof(p[0].name));
        p[0].s = vmx_location;
        n = 1;
    }
    char *out = NULL;
    *rc = to_native ? drv->native->from_xml(conn, "vmware-vmx", input, p, n, 0, &out, err)
                    : drv->native->to_xml(conn, "vmware-vmx", input, p, n, 0, &out, err);
    return out;
}

static void
test_native_connected(void)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx" };
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    auth_answers a = { .user = sim->username, .password = sim->password };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(open_with(uri, &a, &conn, &err), ==, HVD_OK);

    static const char xml[] = "<domain type='vmware'><name>t1</name><memory>1048576</memory><vcpu>1</vcpu>"
                              "<os><type arch='x86_64'>hvm</type></os><devices>"
                              "<disk type='file' device='disk'><source file='[LocalDS_0] t1/t1.vmdk'/>"
                              "<target dev='sda' bus='scsi'/></disk>"
                              "<disk type='file' device='cdrom'><source file='/usr/lib/vmware/isoimages/linux.iso'/>"
                              "<target dev='hdc' bus='ide'/></disk></devices></domain>";
    int32_t rc = 0;
    /* XML -> VMX: the datastore's real mount path on the host, not a guess */
    char *vmx = convert(conn, TRUE, xml, NULL, &err, &rc);
    g_assert_cmpint(rc, ==, HVD_OK);
    const char *disk = strstr(vmx, "scsi0:0.fileName = \"");
    g_assert_nonnull(disk);
    disk += strlen("scsi0:0.fileName = \"");
    g_assert_true(disk[0] == '/');
    g_assert_false(g_str_has_prefix(disk, "/vmfs/volumes/LocalDS_0/"));
    const char *tail = strstr(disk, "/t1/t1.vmdk\"");
    g_assert_nonnull(tail);
    g_assert_null(memchr(disk, '"', (size_t)(tail - disk)));
    g_assert_nonnull(strstr(vmx, "ide1:0.fileName = \"/usr/lib/vmware/isoimages/linux.iso\""));

    /* ... and back: the mount path becomes "[LocalDS_0] ...", the datacenter is the connection's */
    char *back = convert(conn, FALSE, vmx, NULL, &err, &rc);
    g_assert_cmpint(rc, ==, HVD_OK);
    g_assert_nonnull(strstr(back, "<source file='[LocalDS_0] t1/t1.vmdk'/>"));
    g_assert_nonnull(strstr(back, "<source file='/usr/lib/vmware/isoimages/linux.iso'/>"));
    g_assert_nonnull(strstr(back, "<vmware:datacenterpath>ha-datacenter</vmware:datacenterpath>"));
    drv->free(back);
    drv->free(vmx);

    /* ESX's name link /vmfs/volumes/<name>/ maps too; a bare name sits beside the VMX */
    static const char named[] =
        "config.version = \"8\"\nvirtualHW.version = \"7\"\ndisplayName = \"t2\"\nmemsize = \"512\"\n"
        "scsi0.present = \"true\"\nscsi0.virtualDev = \"lsilogic\"\n"
        "scsi0:0.present = \"true\"\nscsi0:0.deviceType = \"scsi-hardDisk\"\n"
        "scsi0:0.fileName = \"/vmfs/volumes/LocalDS_0/t2/t2.vmdk\"\n"
        "scsi0:1.present = \"true\"\nscsi0:1.deviceType = \"scsi-hardDisk\"\n"
        "scsi0:1.fileName = \"t2-data.vmdk\"\n";
    char *x2 = convert(conn, FALSE, named, "[LocalDS_0] t2", &err, &rc);
    g_assert_cmpint(rc, ==, HVD_OK);
    g_assert_nonnull(strstr(x2, "<source file='[LocalDS_0] t2/t2.vmdk'/>"));
    g_assert_nonnull(strstr(x2, "<source file='[LocalDS_0] t2/t2-data.vmdk'/>"));
    drv->free(x2);

    /* a datastore the host does not have is an error naming it and the ones it has */
    g_autofree char *bad_xml = g_strdup(xml);
    memcpy(strstr(bad_xml, "[LocalDS_0]"), "[NoSuchDS0]", strlen("[NoSuchDS0]"));
    hvd_error berr = HVD_ERROR_INIT;
    g_assert_null(convert(conn, TRUE, bad_xml, NULL, &berr, &rc));
    g_assert_cmpint(rc, ==, HVD_ERR_XML);
    g_assert_nonnull(strstr(berr.message, "'NoSuchDS0'"));
    g_assert_nonnull(strstr(berr.message, "'LocalDS_0'"));
    g_autofree char *bad_vmx = g_strdup(named);
    memcpy(strstr(bad_vmx, "LocalDS_0/t2/"), "NoSuchDS0", strlen("NoSuchDS0"));
    hvd_error verr = HVD_ERROR_INIT;
    g_assert_null(convert(conn, FALSE, bad_vmx, NULL, &verr, &rc));
    g_assert_nonnull(strstr(verr.message, "does not have mounted"));
    drv->connect->close(conn);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    loader = hvd_loader_new();
    hvd_error err = HVD_ERROR_INIT;
    const hvd_loaded_driver *ld = NULL;
    int32_t rc = hvd_loader_load_for_uri(loader, "esx://x/", HVD_ABI_MINOR, &ld, &err);
    if (rc != HVD_OK)
        g_error("loading the driver: %s", err.message);
    drv = ld->driver;
    g_assert_cmpint(drv->init(0, &err), ==, HVD_OK);
    g_test_add_func("/plugin/connect/http", test_http);
    g_test_add_func("/plugin/connect/https-verified", test_https_verified);
    g_test_add_func("/plugin/connect/wrong-password", test_wrong_password);
    g_test_add_func("/plugin/connect/vcenter-paths", test_vcenter_paths);
    g_test_add_func("/plugin/connect/unreachable", test_unreachable);
    g_test_add_func("/plugin/connect/native-connected", test_native_connected);
    int ret = g_test_run();
    drv->shutdown();
    hvd_loader_free(loader);
    return ret;
}
