/* Unit tests of esx:// gsx:// vpx:// URI parsing. */
#include "esx-uri.h"

#include <glib.h>
#include <string.h>

static void
test_defaults(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(esx_uri) u = esx_uri_parse("esx://esx1.example.com", &err);
    g_assert_no_error(err);
    g_assert_cmpint(u->product, ==, ESX_PRODUCT_ESX);
    g_assert_cmpstr(u->host, ==, "esx1.example.com");
    g_assert_cmpint(u->port, ==, 443);
    g_assert_true(u->https);
    g_assert_null(u->user);
    g_assert_null(u->path);
    g_assert_false(u->no_verify);
    g_assert_false(u->auto_answer);
    g_autofree char *url = esx_uri_sdk_url(u);
    g_assert_cmpstr(url, ==, "https://esx1.example.com:443/sdk");
}

static void
test_ports(void)
{
    struct { const char *uri; int port; gboolean https; } cases[] = {
        { "esx://h/?transport=http", 80, FALSE },
        { "vpx://h/dc/host?transport=http", 80, FALSE },
        { "vpx://h/dc/host", 443, TRUE },
        { "gsx://h", 8333, TRUE },
        { "gsx://h?transport=http", 8222, FALSE },
        { "esx://h:8443/", 8443, TRUE },
        { "gsx://h:1234?transport=http", 1234, FALSE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(esx_uri) u = esx_uri_parse(cases[i].uri, &err);
        g_assert_no_error(err);
        g_assert_cmpint(u->port, ==, cases[i].port);
        g_assert_cmpint(u->https, ==, cases[i].https);
    }
}

static void
test_params(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(esx_uri) u = esx_uri_parse(
        "esx://root@[2001:db8::1]:444/?no_verify=1&auto_answer=1&proxy=socks://example-proxy.com:23456"
        "&vcenter=*&ca_file=/tmp/ca%20file.pem", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(u->user, ==, "root");
    g_assert_cmpstr(u->host, ==, "2001:db8::1");
    g_assert_cmpint(u->port, ==, 444);
    g_assert_true(u->no_verify);
    g_assert_true(u->auto_answer);
    g_assert_cmpstr(u->proxy, ==, "socks://example-proxy.com:23456");
    g_assert_cmpstr(u->vcenter, ==, "*");
    g_assert_cmpstr(u->ca_file, ==, "/tmp/ca file.pem");
    g_autofree char *url = esx_uri_sdk_url(u);
    g_assert_cmpstr(url, ==, "https://[2001:db8::1]:444/sdk");
    g_autofree char *canon = esx_uri_format(u);
    g_assert_cmpstr(canon, ==, "esx://root@[2001:db8::1]:444/?vcenter=%2A&no_verify=1&auto_answer=1"
                               "&proxy=socks%3A%2F%2Fexample-proxy.com%3A23456&ca_file=%2Ftmp%2Fca%20file.pem");
    /* the canonical form parses back to the same thing */
    g_autoptr(esx_uri) again = esx_uri_parse(canon, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(again->proxy, ==, u->proxy);
    g_assert_cmpstr(again->ca_file, ==, u->ca_file);
}

static void
test_vpx_path(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(esx_uri) u = esx_uri_parse("vpx://vc.example.com/folder1/dc1/folder2/cluster1/esx1.example.com/", &err);
    g_assert_no_error(err);
    g_assert_cmpint(u->product, ==, ESX_PRODUCT_VPX);
    g_assert_cmpstr(u->path, ==, "folder1/dc1/folder2/cluster1/esx1.example.com");
    g_autoptr(esx_uri) sp = esx_uri_parse("vpx://vc/my%20dc/host%201", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(sp->path, ==, "my dc/host 1");
}

static void
expect_error(const char *uri, const char *fragment)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(esx_uri) u = esx_uri_parse(uri, &err);
    g_assert_null(u);
    g_assert_error(err, ESX_URI_ERROR, 0);
    if (strstr(err->message, fragment) == NULL)
        g_error("error for '%s' is '%s', expected it to mention '%s'", uri, err->message, fragment);
}

static void
test_errors(void)
{
    expect_error("esx+ssh://example.com/", "does not use libvirtd's remote transports");
    expect_error("qemu:///system", "scheme must be esx://, gsx:// or vpx://");
    expect_error("esx:///", "names no server");
    expect_error("esx://h/?transport=ftp", "transport must be 'http' or 'https'");
    expect_error("esx://h/?no_verify=yes", "no_verify' must be 0 or 1");
    expect_error("esx://h/?auto_answer=2", "auto_answer' must be 0 or 1");
    expect_error("esx://h/?no_verfy=1", "unknown query parameter 'no_verfy'");
    expect_error("esx://h/dc1/host", "takes no path");
    expect_error("vpx://vc/", "needs the path");
    expect_error("vpx://vc/onlyone", "needs the path");
    expect_error("vpx://vc/dc//host", "empty element");
    expect_error("vpx://vc/dc/host?vcenter=x", "vcenter parameter is for esx://");
    expect_error("esx://root:secret@h/", "contains a password");
    expect_error("esx://h/?proxy=", "proxy needs a value");
    expect_error("", "no connection URI");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/plugin/uri/defaults", test_defaults);
    g_test_add_func("/plugin/uri/ports", test_ports);
    g_test_add_func("/plugin/uri/params", test_params);
    g_test_add_func("/plugin/uri/vpx-path", test_vpx_path);
    g_test_add_func("/plugin/uri/errors", test_errors);
    return g_test_run();
}
