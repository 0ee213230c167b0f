/* Connection options without a server: URL, proxy and CA validation,
 * endpoints for error messages. Suite: unit. */
#include <string.h>

#include "vi/vi.h"
#include "vi-test-util.h"

static void
test_proxy_parse(void)
{
    static const struct {
        const char *in, *url;
        vi_proxy_type type;
    } ok[] = {
        { "proxy.example.com", "http://proxy.example.com:1080", VI_PROXY_HTTP },
        { "http://proxy:3128", "http://proxy:3128", VI_PROXY_HTTP },
        { "socks://example-proxy.com:23456", "socks5h://example-proxy.com:23456", VI_PROXY_SOCKS5 },
        { "socks5://10.0.0.1", "socks5h://10.0.0.1:1080", VI_PROXY_SOCKS5 },
        { "socks4://p", "socks4://p:1080", VI_PROXY_SOCKS4 },
        { "SOCKS4A://p:99", "socks4a://p:99", VI_PROXY_SOCKS4A },
        { "[2001:db8::1]:8080", "http://[2001:db8::1]:8080", VI_PROXY_HTTP },
        { "socks://[::1]", "socks5h://[::1]:1080", VI_PROXY_SOCKS5 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *url = NULL;
        vi_proxy_type t = -1;
        g_assert_true(vi_proxy_parse(ok[i].in, &url, &t, &error));
        g_assert_no_error(error);
        g_assert_cmpstr(url, ==, ok[i].url);
        g_assert_cmpint(t, ==, ok[i].type);
    }
    static const struct {
        const char *in, *says;
    } bad[] = {
        { "", "Empty proxy" },
        { "ftp://p:21", "Unknown proxy type 'ftp'" },
        { "socks://", "no host name" },
        { "p:0", "between 1 and 65535" },
        { "p:70000", "between 1 and 65535" },
        { "p:12ab", "between 1 and 65535" },
        { "p/path", "unexpected '/path'" },
        { "[::1", "unterminated IPv6" },
        { "user@p", "unexpected '@p'" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        g_assert_false(vi_proxy_parse(bad[i].in, NULL, NULL, &error));
        g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
        if (!strstr(error->message, bad[i].says))
            g_error("'%s': '%s' lacks '%s'", bad[i].in, error->message, bad[i].says);
    }
}

static void
test_conn_new(void)
{
    static const struct {
        const char *url, *endpoint;
    } ok[] = {
        { "https://esx.example.com/sdk", "esx.example.com:443" },
        { "http://esx.example.com/sdk", "esx.example.com:80" },
        { "https://[fe80::1]:8443/sdk", "[fe80::1]:8443" },
        { "https://192.0.2.1:8333/sdk", "192.0.2.1:8333" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
        g_autoptr(GError) error = NULL;
        vi_conn_options o = VI_CONN_OPTIONS_INIT;
        o.url = ok[i].url;
        g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(vi_conn_endpoint(c), ==, ok[i].endpoint);
        g_assert_cmpuint(vi_conn_round_trips(c), ==, 0);
        g_assert_null(vi_conn_service_content(c));
    }
    static const struct {
        const char *url, *ca, *proxy, *says;
    } bad[] = {
        { "not a url", NULL, NULL, "Invalid server URL" },
        { "ftp://h/sdk", NULL, NULL, "must use http or https" },
        { "https://h/sdk", "/nonexistent/ca.pem", NULL, "CA file '/nonexistent/ca.pem'" },
        { "https://h/sdk", NULL, "gopher://p", "Unknown proxy type" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        vi_conn_options o = VI_CONN_OPTIONS_INIT;
        o.url = bad[i].url;
        o.ca_file = bad[i].ca;
        o.proxy = bad[i].proxy;
        g_assert_null(vi_conn_new(&o, &error));
        g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
        g_assert_nonnull(strstr(error->message, bad[i].says));
    }
    g_autoptr(GError) error = NULL;
    vi_conn_options zero = { 0 };
    g_assert_null(vi_conn_new(&zero, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
}

static void
test_not_logged_in(void)
{
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = "http://127.0.0.1:1/sdk";
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    g_assert_null(vi_collector_retrieve(c, &spec, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED);
    /* logout when never logged in is a no-op */
    g_clear_error(&error);
    g_assert_true(vi_session_logout(c, &error));
    g_assert_no_error(error);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/transport/proxy-parse", test_proxy_parse);
    g_test_add_func("/vi/transport/conn-new", test_conn_new);
    g_test_add_func("/vi/transport/not-logged-in", test_not_logged_in);
    return vi_test_run();
}
