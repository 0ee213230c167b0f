/* Smoke tests of the harness itself: start/stop, HTTP and verified HTTPS,
 * the vCenter model, start failures. */
#include "soapclient.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

static void
test_esx_http(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(sim->scheme, ==, "http");
    g_assert_cmpstr(sim->model, ==, "esx");
    g_assert_cmpstr(sim->host, ==, "127.0.0.1");
    g_assert_cmpint(sim->port, >, 0);
    g_assert_null(sim->ca_file);
    g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d/sdk", sim->port);
    g_assert_cmpstr(sim->url, ==, url);

    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");
    g_assert_cmpstr(vm, !=, "");

    g_autofree char *stats = NULL;
    g_assert_true(sim_control(sim, "GET", "/stats", NULL, &stats, &error));
    g_assert_no_error(error);
    json_object *root = json_tokener_parse(stats);
    json_object *calls = NULL, *login = NULL;
    g_assert_true(json_object_object_get_ex(root, "calls", &calls));
    g_assert_true(json_object_object_get_ex(calls, "Login", &login));
    g_assert_cmpint(json_object_get_int(login), ==, 1);
    json_object_put(root);

    /* An unknown control endpoint is an error naming it. */
    g_assert_false(sim_control(sim, "GET", "/no-such-thing", NULL, NULL, &error));
    g_assert_error(error, SIM_ERROR, SIM_ERROR_HTTP);
    g_assert_nonnull(strstr(error->message, "no-such-thing"));
}

static size_t
discard(char *data, size_t size, size_t nmemb, void *userdata)
{
    return size * nmemb;
}

/* GET /about (vcsim's) with or without the harness CA. */
static CURLcode
fetch_about(sim_instance *sim, const char *ca_file)
{
    g_autofree char *url = g_strdup_printf("%s://%s:%d/about", sim->scheme, sim->host, sim->port);
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK)
        g_assert_cmpint(status, ==, 200);
    return rc;
}

static void
test_esx_https(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .tls = TRUE };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(sim->scheme, ==, "https");
    g_assert_true(g_str_has_prefix(sim->url, "https://127.0.0.1:"));
    g_assert_true(g_str_has_prefix(sim->control_url, "https://127.0.0.1:"));
    g_assert_nonnull(sim->ca_file);
    g_assert_true(g_file_test(sim->ca_file, G_FILE_TEST_IS_REGULAR));

    /* Verified with the generated CA (RSA-2048, accepted by OpenSSL 3)... */
    g_assert_cmpint(fetch_about(sim, sim->ca_file), ==, CURLE_OK);
    /* ...and refused with only the system's CAs. */
    g_assert_cmpint(fetch_about(sim, NULL), ==, CURLE_PEER_FAILED_VERIFICATION);

    /* SOAP and the control endpoint over verified TLS. */
    g_autofree char *cookie = soap_login(sim);
    g_assert_true(g_str_has_prefix(cookie, "vmware_soap_session"));
    g_assert_true(sim_control(sim, "GET", "/stats", NULL, NULL, &error));
    g_assert_no_error(error);

    /* The temporary certificate directory goes away with the simulator. */
    g_autofree char *ca = g_strdup(sim->ca_file);
    sim_stop(g_steal_pointer(&sim));
    g_assert_false(g_file_test(ca, G_FILE_TEST_EXISTS));
}

static void
test_ipv6(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .tls = TRUE, .listen = "[::1]:0" };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    if (!sim) {
        g_test_skip("no IPv6 loopback here");
        return;
    }
    g_assert_cmpstr(sim->host, ==, "::1");
    g_autofree char *url = g_strdup_printf("https://[::1]:%d/sdk", sim->port);
    g_assert_cmpstr(sim->url, ==, url);
    /* The certificate covers ::1; the control endpoint works over it. */
    g_assert_true(sim_control(sim, "GET", "/stats", NULL, NULL, &error));
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_assert_nonnull(cookie);
}

static void
test_vc_model(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .model = "vc", .datacenters = 2, .clusters = 2, .hosts = -1, .vms = 1 };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(sim->model, ==, "vc");

    g_autofree char *content =
        soap_ok(sim, NULL,
                "<RetrieveServiceContent xmlns=\"urn:vim25\">"
                "<_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent>");
    g_assert_nonnull(strstr(content, "<apiType>VirtualCenter</apiType>"));

    g_autofree char *cookie = soap_login(sim);
    struct {
        const char *type;
        int count;
    } expect[] = {
        { "Datacenter", 2 },
        { "ClusterComputeResource", 4 },
        { "HostSystem", 4 * 3 }, /* no standalone hosts, 3 per cluster */
        { "VirtualMachine", 4 }, /* 1 per cluster resource pool */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        g_autofree char *view = create_container_view(sim, cookie, expect[i].type);
        g_autofree char *body = retrieve_ex_body(sim, view, expect[i].type, "name", 0);
        g_autofree char *res = soap_ok(sim, cookie, body);
        g_autofree char *obj = g_strdup_printf("<obj type=\"%s\">", expect[i].type);
        g_assert_cmpint(count_substr(res, obj), ==, expect[i].count);
    }
}

static void
test_bad_binary(void)
{
    g_autoptr(GError) error = NULL;
    g_setenv("HVD_SIM", "/nonexistent/hvd-sim", TRUE);
    sim_instance *sim = sim_start(NULL, &error);
    g_unsetenv("HVD_SIM");
    g_assert_null(sim);
    g_assert_error(error, SIM_ERROR, SIM_ERROR_SPAWN);
    g_assert_nonnull(strstr(error->message, "/nonexistent/hvd-sim"));
}

static void
test_exits_early(void)
{
    g_autoptr(GError) error = NULL;
    g_setenv("HVD_SIM", "/bin/false", TRUE);
    sim_instance *sim = sim_start(NULL, &error);
    g_unsetenv("HVD_SIM");
    g_assert_null(sim);
    g_assert_error(error, SIM_ERROR, SIM_ERROR_SPAWN);
    g_assert_nonnull(strstr(error->message, "exited with status 1"));
}

static void
test_timeout(void)
{
    /* cat never prints a line: it waits on its stdin, the harness's pipe. */
    g_autoptr(GError) error = NULL;
    g_setenv("HVD_SIM", "/bin/cat", TRUE);
    g_setenv("HVD_SIM_START_TIMEOUT", "1", TRUE);
    sim_instance *sim = sim_start(NULL, &error);
    g_unsetenv("HVD_SIM");
    g_unsetenv("HVD_SIM_START_TIMEOUT");
    g_assert_null(sim);
    g_assert_error(error, SIM_ERROR, SIM_ERROR_TIMEOUT);
    g_assert_nonnull(strstr(error->message, "did not announce itself within 1 s"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/start/esx-http", test_esx_http);
    g_test_add_func("/sim/start/esx-https", test_esx_https);
    g_test_add_func("/sim/start/ipv6", test_ipv6);
    g_test_add_func("/sim/start/vc-model", test_vc_model);
    g_test_add_func("/sim/start/bad-binary", test_bad_binary);
    g_test_add_func("/sim/start/exits-early", test_exits_early);
    g_test_add_func("/sim/start/timeout", test_timeout);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
