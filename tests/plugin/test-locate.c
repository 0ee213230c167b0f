/* Which host a connection manages, and what finding it costs: the requests
 * the simulator counts for open + version (no locate), for host calls (one
 * locate per connection, shared by threads), for vpx:// paths through
 * folders, datacenters and clusters (located at open; a wrong element fails
 * there, naming it), and for esx:// with vcenter= (a second simulator plays
 * the vCenter). Loaded through the loader, as a host does. */
#include "hvd-loader.h"
#include "simharness.h"

#include <glib.h>
#include <string.h>

static const hvd_driver *drv;

/* ---- credentials: answers per server (the challenge) ------------------- */

typedef struct {
    const char *server;
    const char *user;
    const char *password;
} login;

typedef struct {
    login logins[2];
    GString *asked; /* "server[default user]," per upcall, in order */
} auth_book;

static int32_t HVD_CALL
book_auth(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    auth_book *b = user_data;
    const login *l = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(b->logins) && l == NULL; i++) {
        if (b->logins[i].server != NULL && g_strcmp0(b->logins[i].server, creds[0].challenge) == 0)
            l = &b->logins[i];
    }
    g_string_append_printf(b->asked, "%s[%s],", creds[0].challenge,
                           creds[0].type == HVD_CRED_USERNAME ? creds[0].default_result : "");
    if (l == NULL)
        return 1;
    for (uint32_t i = 0; i < ncreds; i++) {
        const char *v = creds[i].type == HVD_CRED_USERNAME ? l->user : l->password;
        g_assert_cmpuint(strlen(v) + 1, <=, creds[i].result_capacity);
        memcpy(creds[i].result, v, strlen(v) + 1);
        creds[i].result_len = (uint32_t)strlen(v);
    }
    return 0;
}

static int32_t
open_uri(const char *uri, auth_book *book, hvd_conn **conn, hvd_error *err)
{
    hvd_host host = { .struct_size = sizeof(host), .auth = book_auth, .user_data = book };
    return drv->connect->open(uri, NULL, 0, &host, 0, conn, err);
}

/* Opens `uri` on `sim` (its own user and password), or fails the test. */
static hvd_conn *
open_ok(sim_instance *sim, const char *uri)
{
    g_autoptr(GString) asked = g_string_new(NULL);
    auth_book book = { .logins = { { sim->host, sim->username, sim->password } }, .asked = asked };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = open_uri(uri, &book, &conn, &err);
    if (rc != HVD_OK)
        g_error("open %s: %d %s", uri, rc, err.message);
    return conn;
}

static int
calls(sim_instance *sim, const char *method)
{
    g_autoptr(GError) gerr = NULL;
    int n = sim_call_count(sim, method, &gerr);
    g_assert_no_error(gerr);
    return n;
}

static void
reset(sim_instance *sim)
{
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(sim, "POST", "/stats/reset", NULL, NULL, &gerr));
    g_assert_no_error(gerr);
}

static void
node_info(hvd_conn *conn, hvd_node_info *n)
{
    hvd_error err = HVD_ERROR_INIT;
    *n = (hvd_node_info){ .struct_size = sizeof(*n) };
    int32_t rc = drv->connect->get_node_info(conn, 0, n, &err);
    if (rc != HVD_OK)
        g_error("get_node_info: %d %s", rc, err.message);
    g_assert_cmpuint(n->cpus, >, 0);
}

/* open, get_version, close: what `hvdctl version` does. */
static void
open_version_close(sim_instance *sim, const char *uri)
{
    hvd_conn *conn = open_ok(sim, uri);
    hvd_error err = HVD_ERROR_INIT;
    hvd_version *v = NULL;
    g_assert_cmpint(drv->connect->get_version(conn, 0, &v, &err), ==, HVD_OK);
    g_assert_true(g_str_has_prefix(v->product, "VMware"));
    drv->free(v);
    drv->connect->close(conn);
}

/* ---- esx:// ------------------------------------------------------------ */

/* An ESX simulator and the esx:// URI of it. */
static sim_instance *
start_esx(char **uri_out)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = "esx" };
    sim_instance *sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    *uri_out = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    return sim;
}

static void
test_esx_requests(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start_esx(&uri);

    /* version: RetrieveServiceContent, Login, Logout; the product check
     * reads ServiceContent.about, and nothing needs the host */
    reset(sim);
    open_version_close(sim, uri);
    g_assert_cmpint(calls(sim, "RetrieveServiceContent"), ==, 1);
    g_assert_cmpint(calls(sim, "Login"), ==, 1);
    g_assert_cmpint(calls(sim, "Logout"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 3);

    /* nodeinfo: + the locate + the host's hardware properties */
    reset(sim);
    hvd_conn *conn = open_ok(sim, uri);
    g_assert_cmpint(calls(sim, NULL), ==, 2);
    hvd_node_info n;
    node_info(conn, &n);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 2);
    /* the host is located once per connection: later calls cost their own
     * retrieval only */
    node_info(conn, &n);
    char *name = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->connect->get_hostname(conn, 0, &name, &err), ==, HVD_OK);
    drv->free(name);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 4);
    drv->connect->close(conn);
    g_assert_cmpint(calls(sim, "Logout"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 2 + 4 + 1);
}

#define N_THREADS 8

typedef struct {
    hvd_conn *conn;
    GMutex lock;
    GCond cond;
    int waiting;
} race;

static gpointer
race_node_info(gpointer data)
{
    race *r = data;
    /* all threads start together, so several reach the locate at once */
    g_mutex_lock(&r->lock);
    if (++r->waiting == N_THREADS)
        g_cond_broadcast(&r->cond);
    while (r->waiting < N_THREADS)
        g_cond_wait(&r->cond, &r->lock);
    g_mutex_unlock(&r->lock);
    hvd_node_info n;
    node_info(r->conn, &n);
    return GUINT_TO_POINTER(n.cpus);
}

/* Threads sharing a fresh connection locate its host once: whatever the
 * interleaving, the server sees one locate and one retrieval per call. */
static void
test_esx_threads(void)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start_esx(&uri);
    race r = { .conn = open_ok(sim, uri) };
    g_mutex_init(&r.lock);
    g_cond_init(&r.cond);
    reset(sim);
    GThread *threads[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        threads[i] = g_thread_new("node-info", race_node_info, &r);
    guint cpus = 0;
    for (int i = 0; i < N_THREADS; i++) {
        guint c = GPOINTER_TO_UINT(g_thread_join(threads[i]));
        g_assert_true(cpus == 0 || c == cpus);
        cpus = c;
    }
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1 + N_THREADS);
    g_assert_cmpint(calls(sim, NULL), ==, 1 + N_THREADS);
    drv->connect->close(r.conn);
    g_mutex_clear(&r.lock);
    g_cond_clear(&r.cond);
}

/* ---- vpx:// ------------------------------------------------------------ */

/* vcsim with 2 datacenters, the second in folder F0 with its hosts in host
 * subfolder F0: DC0/DC0_C0/DC0_C0_H0, DC0/DC0_H0, F0/DC1/F0/DC1_C0/..., and
 * F0/DC1/F0/DC1_H0. */
static sim_instance *
start_vc(int page_size)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = {
        .model = "vc", .datacenters = 2, .folders = 1, .clusters = 1, .hosts = 1, .vms = 1, .page_size = page_size
    };
    sim_instance *sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    return sim;
}

static void
set_host(sim_instance *sim, const char *json)
{
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(sim, "POST", "/host", json, NULL, &gerr));
    g_assert_no_error(gerr);
}

static void
test_vpx_paths(void)
{
    g_autoptr(sim_instance) sim = start_vc(0);
    /* vcsim's hosts all call themselves "localhost": name each after its
     * inventory name, to see which one a path reaches */
    static const char *const hosts[] = { "DC1_C0_H1", "DC1_H0", "DC0_C0_H2", "DC0_H0", "DC1_C0_H2" };
    for (gsize i = 0; i < G_N_ELEMENTS(hosts); i++) {
        g_autofree char *json = g_strdup_printf("{\"host\":\"%s\",\"hostname\":\"%s\"}", hosts[i], hosts[i]);
        set_host(sim, json);
    }
    static const char *const paths[] = {
        "F0/DC1/F0/DC1_C0/DC1_C0_H1", /* folder, datacenter, host folder, cluster, host */
        "F0/DC1/F0/DC1_H0",           /* folder, datacenter, host folder, standalone host */
        "DC0/DC0_C0/DC0_C0_H2",
        "DC0/DC0_H0",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
        g_autofree char *uri = g_strdup_printf("vpx://%s:%d/%s?transport=http", sim->host, sim->port, paths[i]);
        reset(sim);
        hvd_conn *conn = open_ok(sim, uri);
        /* the path is checked at open: one locate */
        g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
        g_assert_cmpint(calls(sim, NULL), ==, 3);
        /* the host is the one the path names */
        char *name = NULL;
        hvd_error err = HVD_ERROR_INIT;
        g_assert_cmpint(drv->connect->get_hostname(conn, 0, &name, &err), ==, HVD_OK);
        g_autofree char *expect = g_strconcat(strrchr(paths[i], '/') + 1, ".localdomain", NULL);
        g_assert_cmpstr(name, ==, expect);
        drv->free(name);
        hvd_node_info n;
        node_info(conn, &n);
        g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 3);
        drv->connect->close(conn);
        g_assert_cmpint(calls(sim, NULL), ==, 3 + 2 + 1);
    }
}

static void
test_vpx_requests(void)
{
    g_autoptr(sim_instance) sim = start_vc(0);
    g_autofree char *uri =
        g_strdup_printf("vpx://%s:%d/F0/DC1/F0/DC1_C0/DC1_C0_H0?transport=http", sim->host, sim->port);
    /* version: + the locate that validates the path at open */
    reset(sim);
    open_version_close(sim, uri);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(calls(sim, NULL), ==, 4);
    /* nodeinfo: + the host's hardware properties, no second locate */
    reset(sim);
    hvd_conn *conn = open_ok(sim, uri);
    hvd_node_info n;
    node_info(conn, &n);
    drv->connect->close(conn);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 2);
    g_assert_cmpint(calls(sim, NULL), ==, 5);
}

/* The locate is one retrieval: one round trip per page. */
static void
test_vpx_paged(void)
{
    /* 19 objects: 5 folders (root, 2 host folders, F0 twice), 2
     * datacenters, 2 clusters + 2 standalone compute resources, 8 hosts;
     * in pages of 4: RetrievePropertiesEx + 4 ContinueRetrievePropertiesEx */
    g_autoptr(sim_instance) sim = start_vc(4);
    g_autofree char *uri = g_strdup_printf("vpx://%s:%d/F0/DC1/F0/DC1_H0?transport=http", sim->host, sim->port);
    reset(sim);
    hvd_conn *conn = open_ok(sim, uri);
    g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
    g_assert_cmpint(calls(sim, "ContinueRetrievePropertiesEx"), ==, 4);
    g_assert_cmpint(calls(sim, NULL), ==, 2 + 5);
    drv->connect->close(conn);
}

static void
test_vpx_wrong_paths(void)
{
    g_autoptr(sim_instance) sim = start_vc(0);
    struct {
        const char *path;
        const char *fragments[3];
    } bad[] = {
        { "F1/DC1/F0/DC1_H0", { "no folder or datacenter named 'F1'", "path element 1", "'DC0', 'F0'" } },
        { "F0/DC9/F0/DC1_H0", { "no folder or datacenter named 'DC9'", "path element 2", "'DC1'" } },
        { "F0/DC1/F9/DC1_H0", { "no folder, cluster or host named 'F9'", "path element 3", "'F0'" } },
        { "F0/DC1/F0/DC1_C0/DC1_C0_H7", { "cluster 'DC1_C0'", "no host named 'DC1_C0_H7'", "'DC1_C0_H0'" } },
        { "F0/DC1/F0/DC1_C0", { "ends at cluster 'DC1_C0'", "'DC1_C0_H2'", NULL } },
        { "F0/DC1/F0/DC1_H0/extra", { "standalone host", "nothing may follow", "drop 'extra' (path element 5)" } },
        { "F0/DC1/F0/DC1_C0/DC1_C0_H0/x", { "goes on after host 'DC1_C0_H0'", "drop 'x' (path element 6)", NULL } },
        { "F0/DC1", { "ends before a host", "'F0'", NULL } },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *uri = g_strdup_printf("vpx://%s:%d/%s?transport=http", sim->host, sim->port, bad[i].path);
        g_autoptr(GString) asked = g_string_new(NULL);
        auth_book book = { .logins = { { sim->host, sim->username, sim->password } }, .asked = asked };
        hvd_conn *conn = NULL;
        hvd_error err = HVD_ERROR_INIT;
        reset(sim);
        int32_t rc = open_uri(uri, &book, &conn, &err);
        if (rc != HVD_ERR_NO_HOST)
            g_error("%s: %d %s", bad[i].path, rc, err.message);
        g_test_message("%s: %s", bad[i].path, err.message);
        g_assert_null(conn);
        g_assert_cmpint(err.code, ==, HVD_ERR_NO_HOST);
        for (gsize f = 0; f < G_N_ELEMENTS(bad[i].fragments) && bad[i].fragments[f] != NULL; f++) {
            if (strstr(err.message, bad[i].fragments[f]) == NULL)
                g_error("%s: '%s' lacks '%s'", bad[i].path, err.message, bad[i].fragments[f]);
        }
        /* one locate, and the session it opened was closed */
        g_assert_cmpint(calls(sim, "RetrievePropertiesEx"), ==, 1);
        g_assert_cmpint(calls(sim, "Login"), ==, 1);
        g_assert_cmpint(calls(sim, "Logout"), ==, 1);
    }
}

/* ---- esx:// with vcenter= ---------------------------------------------- */

typedef struct {
    sim_instance *esx; /* on 127.0.0.1:PORT */
    sim_instance *vc;  /* on 127.0.0.2:PORT: the vCenter is reached on the host's port */
} pair;

static void
pair_stop(pair *p)
{
    sim_stop(p->vc);
    sim_stop(p->esx);
}

static void
start_pair(pair *p)
{
    /* the vCenter must listen on the ESX simulator's port at another
     * loopback address; should that port be taken there, try another */
    for (int attempt = 0; attempt < 5; attempt++) {
        g_autoptr(GError) gerr = NULL;
        sim_options eo = { .model = "esx" };
        p->esx = sim_start(&eo, &gerr);
        g_assert_no_error(gerr);
        g_autofree char *listen = g_strdup_printf("127.0.0.2:%d", p->esx->port);
        sim_options vo = { .model = "vc", .listen = listen, .username = "administrator", .password = "vc-secret" };
        p->vc = sim_start(&vo, &gerr);
        if (p->vc != NULL)
            return;
        g_test_message("no vCenter simulator on %s (%s); trying another port", listen, gerr->message);
        sim_stop(p->esx);
    }
    g_error("could not start a vCenter simulator on 127.0.0.2 at an ESX simulator's port");
}

static int32_t
open_vcenter(pair *p, const char *vcenter, GString *asked, hvd_conn **conn, hvd_error *err)
{
    g_autofree char *uri =
        g_strdup_printf("esx://%s:%d/?transport=http&vcenter=%s", p->esx->host, p->esx->port, vcenter);
    auth_book book = {
        .logins = { { "127.0.0.1", p->esx->username, p->esx->password },
                    { "127.0.0.2", p->vc->username, p->vc->password } },
        .asked = asked,
    };
    reset(p->esx);
    reset(p->vc);
    return open_uri(uri, &book, conn, err);
}

/* An open that must fail with `expect`; its message goes to the test log. */
static void
refused(int32_t rc, int32_t expect, hvd_conn *const *conn, const hvd_error *err)
{
    g_test_message("refused (%d): %s", rc, err->message);
    if (rc != expect)
        g_error("expected status %d, got %d: %s", expect, rc, err->message);
    g_assert_null(*conn);
    g_assert_cmpint(err->code, ==, expect);
}

/* An open with vcenter= that must succeed: the vCenter's credentials are
 * asked for separately, after the host's, with the vCenter as the challenge
 * and "administrator" offered; the vCenter sees a login and the host looked
 * up by its address. */
static hvd_conn *
open_vcenter_ok(pair *p, const char *vcenter, GString *asked)
{
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_string_truncate(asked, 0);
    int32_t rc = open_vcenter(p, vcenter, asked, &conn, &err);
    if (rc != HVD_OK)
        g_error("vcenter=%s: %d %s", vcenter, rc, err.message);
    g_assert_cmpstr(asked->str, ==, "127.0.0.1[root],127.0.0.2[administrator],");
    g_assert_cmpint(calls(p->vc, "Login"), ==, 1);
    g_assert_cmpint(calls(p->vc, "FindByIp"), ==, 1);
    return conn;
}

static void
test_vcenter_given(void)
{
    pair p;
    start_pair(&p);
    g_autoptr(GString) asked = g_string_new(NULL);
    hvd_conn *conn = open_vcenter_ok(&p, "127.0.0.2", asked);
    /* the host: locate + its managementServerIp (empty: any vCenter that
     * manages it will do); the vCenter: login, then the host found by IP */
    g_assert_cmpint(calls(p.esx, NULL), ==, 4);
    g_assert_cmpint(calls(p.vc, NULL), ==, 3);
    /* host calls still go to the host, not the vCenter */
    hvd_node_info n;
    node_info(conn, &n);
    g_assert_cmpint(calls(p.vc, NULL), ==, 3);
    drv->connect->close(conn);
    g_assert_cmpint(calls(p.esx, "Logout"), ==, 1);
    g_assert_cmpint(calls(p.vc, "Logout"), ==, 1);

    /* a vcenter= that is not a vCenter: the host itself */
    g_string_truncate(asked, 0);
    hvd_error nerr = HVD_ERROR_INIT;
    refused(open_vcenter(&p, "127.0.0.1", asked, &conn, &nerr), HVD_ERR_URI, &conn, &nerr);
    g_assert_nonnull(strstr(nerr.message, "vcenter=127.0.0.1: 127.0.0.1 is not a vCenter"));
    g_assert_cmpint(calls(p.esx, "Login"), ==, 2);
    g_assert_cmpint(calls(p.esx, "Logout"), ==, 2);

    /* the host reports its vCenter: another vcenter= is refused, naming both */
    set_host(p.esx, "{\"management_server_ip\":\"127.0.0.2\"}");
    hvd_error merr = HVD_ERROR_INIT;
    refused(open_vcenter(&p, "127.0.0.3", asked, &conn, &merr), HVD_ERR_URI, &conn, &merr);
    g_assert_nonnull(strstr(merr.message, "managed by the vCenter at 127.0.0.2"));
    g_assert_nonnull(strstr(merr.message, "vcenter=127.0.0.3"));
    g_assert_nonnull(strstr(merr.message, "use vcenter=* or vcenter=127.0.0.2"));
    g_assert_cmpint(calls(p.vc, NULL), ==, 0);
    pair_stop(&p);
}

static void
test_vcenter_star(void)
{
    pair p;
    start_pair(&p);
    g_autoptr(GString) asked = g_string_new(NULL);
    hvd_conn *conn = NULL;

    /* a host no vCenter manages */
    hvd_error uerr = HVD_ERROR_INIT;
    refused(open_vcenter(&p, "*", asked, &conn, &uerr), HVD_ERR_URI, &conn, &uerr);
    g_assert_nonnull(strstr(uerr.message, "vcenter=*: host 127.0.0.1 is not managed by a vCenter"));
    g_assert_cmpint(calls(p.vc, NULL), ==, 0);
    g_assert_cmpint(calls(p.esx, "Logout"), ==, 1);

    /* the host reports its vCenter: * logs in there */
    set_host(p.esx, "{\"management_server_ip\":\"127.0.0.2\"}");
    conn = open_vcenter_ok(&p, "*", asked);
    hvd_error err = HVD_ERROR_INIT;
    char *canon = NULL;
    g_assert_cmpint(drv->connect->get_uri(conn, 0, &canon, &err), ==, HVD_OK);
    g_assert_nonnull(strstr(canon, "vcenter=%2A"));
    drv->free(canon);
    drv->connect->close(conn);
    g_assert_cmpint(calls(p.vc, "Logout"), ==, 1);

    /* a vCenter that does not manage the host (none of its hosts has the
     * host's address): refused after the lookup, the session closed */
    set_host(p.vc, "{\"ip\":\"192.0.2.20\"}");
    hvd_error nerr = HVD_ERROR_INIT;
    refused(open_vcenter(&p, "*", asked, &conn, &nerr), HVD_ERR_NO_HOST, &conn, &nerr);
    g_assert_nonnull(strstr(nerr.message, "vCenter 127.0.0.2 manages no host at the address of 127.0.0.1"));
    g_assert_cmpint(calls(p.vc, "FindByIp"), ==, 1);
    g_assert_cmpint(calls(p.vc, "Logout"), ==, 1);
    g_assert_cmpint(calls(p.esx, "Logout"), ==, 1);

    /* wrong vCenter credentials: an auth failure that names the vCenter */
    set_host(p.vc, "{\"ip\":\"127.0.0.1\"}");
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http&vcenter=*", p.esx->host, p.esx->port);
    auth_book book = {
        .logins = { { "127.0.0.1", p.esx->username, p.esx->password }, { "127.0.0.2", "administrator", "nope" } },
        .asked = asked,
    };
    hvd_error aerr = HVD_ERROR_INIT;
    refused(open_uri(uri, &book, &conn, &aerr), HVD_ERR_AUTH_FAILED, &conn, &aerr);
    g_assert_nonnull(strstr(aerr.message, "vcenter=*"));
    g_assert_null(strstr(aerr.message, "nope"));
    pair_stop(&p);
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
    g_test_add_func("/plugin/locate/esx-requests", test_esx_requests);
    g_test_add_func("/plugin/locate/esx-threads", test_esx_threads);
    g_test_add_func("/plugin/locate/vpx-paths", test_vpx_paths);
    g_test_add_func("/plugin/locate/vpx-requests", test_vpx_requests);
    g_test_add_func("/plugin/locate/vpx-paged", test_vpx_paged);
    g_test_add_func("/plugin/locate/vpx-wrong-paths", test_vpx_wrong_paths);
    g_test_add_func("/plugin/vcenter/given", test_vcenter_given);
    g_test_add_func("/plugin/vcenter/star", test_vcenter_star);
    int ret = g_test_run();
    drv->shutdown();
    hvd_loader_free(loader);
    return ret;
}
