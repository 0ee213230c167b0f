/* The harness's HTTP and SOCKS proxies, end to end with libcurl, and their
 * counters in /hvd-sim/stats. */
#include "soapclient.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <string.h>

static size_t
discard(char *data, size_t size, size_t nmemb, void *userdata)
{
    return size * nmemb;
}

/* GET @url through @proxy; returns the curl code, the HTTP status in @status. */
static CURLcode
get_via(sim_instance *sim, const char *url, const char *proxy, long *status)
{
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROXY, proxy);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    if (sim->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, sim->ca_file);
    CURLcode rc = curl_easy_perform(curl);
    *status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(curl);
    return rc;
}

static int
stat_of(sim_instance *sim, const char *key)
{
    g_autofree char *stats = control_ok(sim, "GET", "/stats", NULL);
    json_object *root = json_tokener_parse(stats), *v = NULL;
    g_assert_true(json_object_object_get_ex(root, key, &v));
    int n = json_object_get_int(v);
    json_object_put(root);
    return n;
}

static void
check_proxies(gboolean tls)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .tls = tls };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_autofree char *about = g_strdup_printf("%s://%s:%d/about", sim->scheme, sim->host, sim->port);
    long status = 0;

    g_autofree char *http_proxy = g_strdup_printf("http://%s", sim->http_proxy);
    g_assert_cmpint(get_via(sim, about, http_proxy, &status), ==, CURLE_OK);
    g_assert_cmpint(status, ==, 200);
    g_assert_cmpint(stat_of(sim, "http_proxy_connections"), ==, 1);
    /* HTTPS goes through a CONNECT tunnel, HTTP is forwarded. */
    g_assert_cmpint(stat_of(sim, "http_proxy_tunnels"), ==, tls ? 1 : 0);
    g_assert_cmpint(stat_of(sim, "http_proxy_requests"), ==, tls ? 0 : 1);

    const char *socks[] = { "socks5h", "socks5", "socks4a", "socks4" };
    for (size_t i = 0; i < G_N_ELEMENTS(socks); i++) {
        g_autofree char *proxy = g_strdup_printf("%s://%s", socks[i], sim->socks_proxy);
        g_assert_cmpint(get_via(sim, about, proxy, &status), ==, CURLE_OK);
        g_assert_cmpint(status, ==, 200);
    }
    g_assert_cmpint(stat_of(sim, "socks_proxy_connections"), ==, 4);
    g_assert_cmpint(stat_of(sim, "socks_proxy_tunnels"), ==, 4);

    /* Only loopback destinations. */
    g_autofree char *socks5 = g_strdup_printf("socks5://%s", sim->socks_proxy);
    g_assert_cmpint(get_via(sim, "http://192.0.2.1:9/", socks5, &status), !=, CURLE_OK);
    g_assert_cmpint(get_via(sim, "http://192.0.2.1:9/", http_proxy, &status), ==, CURLE_OK);
    g_assert_cmpint(status, ==, 403);
    g_assert_cmpint(stat_of(sim, "socks_proxy_tunnels"), ==, 4);

    g_free(control_ok(sim, "POST", "/stats/reset", NULL));
    g_assert_cmpint(stat_of(sim, "socks_proxy_connections"), ==, 0);
}

static void
test_http(void)
{
    check_proxies(FALSE);
}

static void
test_https(void)
{
    check_proxies(TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/proxy/http", test_http);
    g_test_add_func("/sim/proxy/https", test_https);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
