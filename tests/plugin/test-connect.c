/* Connect/login through the plugin, loaded by the loader exactly as a host
 * does, against the vSphere simulator: HTTP, verified HTTPS, TLS refusal,
 * no_verify, wrong password, vpx:// host paths. */
#include "hvd-loader.h"
#include "simharness.h"

#include <glib.h>
#include <string.h>

typedef struct {
    const char *user;      /* NULL: do not answer the user name prompt */
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
    hvd_auth auth = { .struct_size = sizeof(auth), .auth = test_auth, .user_data = answers };
    return drv->connect->open(uri, NULL, 0, &auth, 0, conn, err);
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
    g_autofree char *uri = g_strdup_printf("esx://%s@%s:%d/?ca_file=%s", sim->username, sim->host, sim->port,
                                           sim->ca_file);
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
    g_autofree char *uri = g_strdup_printf("esx://%s@%s:%d/?ca_file=%s", sim->username, sim->host, sim->port,
                                           sim->ca_file);
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

    struct { const char *path; const char *fragment; } bad[] = {
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

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    loader = hvd_loader_new();
    hvd_error err = HVD_ERROR_INIT;
    const hvd_loaded_driver *ld = NULL;
    int32_t rc = hvd_loader_load_for_uri(loader, "esx://x/", HVD_ABI_MINOR, NULL, &ld, &err);
    if (rc != HVD_OK)
        g_error("loading the driver: %s", err.message);
    drv = ld->driver;
    g_assert_cmpint(drv->init(0, &err), ==, HVD_OK);
    g_test_add_func("/plugin/connect/http", test_http);
    g_test_add_func("/plugin/connect/https-verified", test_https_verified);
    g_test_add_func("/plugin/connect/wrong-password", test_wrong_password);
    g_test_add_func("/plugin/connect/vcenter-paths", test_vcenter_paths);
    g_test_add_func("/plugin/connect/unreachable", test_unreachable);
    int ret = g_test_run();
    drv->shutdown();
    hvd_loader_free(loader);
    return ret;
}
