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
    struct {
        const char *uri;
        int port;
        gboolean https;
    } cases[] = {
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
    g_autoptr(esx_uri) u =
        esx_uri_parse("esx://root@[2001:db8::1]:444/?no_verify=1&auto_answer=1&proxy=socks://example-proxy.com:23456"
                      "&vcenter=*&ca_file=/tmp/ca%20file.pem",
                      &err);
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
    g_assert_cmpstr(canon, ==,
                    "esx://root@[2001:db8::1]:444/?vcenter=%2A&no_verify=1&auto_answer=1"
                    "&proxy=socks%3A%2F%2Fexample-proxy.com%3A23456&ca_file=%2Ftmp%2Fca%20file.pem");
    /* the canonical form parses back to the same thing */
    g_autoptr(esx_uri) again = esx_uri_parse(canon, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(again->proxy, ==, u->proxy);
    g_assert_cmpstr(again->ca_file, ==, u->ca_file);
}

static void
test_timeouts(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(esx_uri) d = esx_uri_parse("esx://h/", &err);
    g_assert_no_error(err);
    g_assert_cmpuint(d->connect_timeout_s, ==, 0);
    g_assert_cmpuint(d->stall_timeout_s, ==, 0);
    g_assert_cmpuint(d->request_timeout_s, ==, 0);
    g_autoptr(esx_uri) u = esx_uri_parse("esx://h/?connect_timeout=5&stall_timeout=2&request_timeout=86400", &err);
    g_assert_no_error(err);
    g_assert_cmpuint(u->connect_timeout_s, ==, 5);
    g_assert_cmpuint(u->stall_timeout_s, ==, 2);
    g_assert_cmpuint(u->request_timeout_s, ==, 86400);
    g_autofree char *canon = esx_uri_format(u);
    g_assert_cmpstr(canon, ==, "esx://h:443/?connect_timeout=5&stall_timeout=2&request_timeout=86400");
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
    for (const char *const *t = (const char *const[]){ "connect_timeout", "stall_timeout", "request_timeout", NULL };
         *t; t++) {
        static const char *const bad[] = { "0", "86401", "-1", "+5", " 5", "5s", "", "99999999999999999999" };
        for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
            g_autofree char *uri = g_strdup_printf("esx://h/?%s=%s", *t, bad[i]);
            g_autofree char *says = g_strdup_printf("'%s' must be a number of seconds from 1 to 86400", *t);
            expect_error(uri, says);
        }
    }
    expect_error("esx://h/?stall_timeout", "'stall_timeout' must be a number of seconds");
}

/* A repeated parameter would silently change meaning (the last one wins in
 * some parsers, the first in others): refused, whatever the values. */
static void
test_repeats(void)
{
    expect_error("esx://h/?no_verify=0&no_verify=1",
                 "query parameter 'no_verify' is given more than once; give it once");
    expect_error("esx://h/?no_verify=1&NO_VERIFY=1", "is given more than once");
    expect_error("esx://h/?stall_timeout=2&auto_answer=1&stall_timeout=2", "'stall_timeout' is given more than once");
    expect_error("esx://h/?transport=http&transport=https", "'transport' is given more than once");
    expect_error("esx://h/?%6eo_verify=0&no_verify=1", "'no_verify' is given more than once");
}

/* A URI with a password in it fails to parse; the message quotes the URI
 * without the password (no piece of it, however the password is spelt or
 * whatever else is wrong with the URI), and with control characters escaped. */
static void
expect_no_secret(const char *uri, const char *fragment)
{
    static const char *const pieces[] = { "pwA1x", "pwB2y", NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(esx_uri) u = esx_uri_parse(uri, &err);
    g_assert_null(u);
    g_assert_error(err, ESX_URI_ERROR, 0);
    g_autofree char *shown = g_strescape(uri, NULL);
    for (const char *const *p = pieces; *p != NULL; p++) {
        if (strstr(err->message, *p) != NULL)
            g_error("error for \"%s\" repeats (part of) its password: '%s'", shown, err->message);
    }
    for (const char *c = err->message; *c != '\0'; c++) {
        if ((guchar)*c < 0x20 || *c == 0x7f)
            g_error("error for \"%s\" holds control character 0x%02x: '%s'", shown, (guchar)*c, err->message);
    }
    if (fragment != NULL && strstr(err->message, fragment) == NULL)
        g_error("error for \"%s\" is '%s', expected it to mention '%s'", shown, err->message, fragment);
}

static void
test_errors_hide_password(void)
{
    /* the cases of issue 7: malformed port, a transport, garbage after it */
    expect_no_secret("esx://root:pwA1x@h:99999/", "URI 'esx://root@h:99999/' contains a password");
    expect_no_secret("esx+ssh://root:pwA1x@h/", "URI 'esx+ssh://root@h/'");
    expect_no_secret("esx://root:pwA1x@h:99999/%zz\x1b[2J\x7f", "\\x1B[2J");
    expect_no_secret("gsx://root:pwA1x@h/?transport=ftp", "gsx://root@h/");
    expect_no_secret("vpx://root:pwA1x@vc/", "vpx://root@vc/");
    expect_no_secret("esx://root:pwA1x@/", "esx://root@/");
    /* passwords holding the characters that delimit a URI's parts */
    expect_no_secret("esx://root:pwA1x@pwB2y@h:99999/", "esx://root@h:99999/");
    expect_no_secret("esx://root:pwA1x:pwB2y@h/", "esx://root@h/");
    expect_no_secret("esx://root:pwA1x%40pwB2y@h:99999/", "esx://root@h:99999/");
    expect_no_secret("esx://root:pwA1x/pwB2y@h/", "esx://root@h/");
    expect_no_secret("esx://root:pwA1x?pwB2y@h/", "esx://root@h/");
    expect_no_secret("esx://root:pwA1x#pwB2y@h/", "esx://root@h/");
    expect_no_secret("esx://root:pwA1x pwB2y@h/", "esx://root@h/");
    expect_no_secret("esx://root:pwA1x@pwB2y/x@h:1/", "esx://root@h:1/");
    /* no host after it: what follows the ':' is not a port, so not shown */
    expect_no_secret("esx://root:pwA1x", "not a port number");
    expect_no_secret("esx://root:pwA1x/pwB2y", NULL);
    /* a proxy with credentials, plain or %-encoded */
    expect_no_secret("esx://h/?proxy=http://u:pwA1x@px:3128", "proxy");
    expect_no_secret("esx://h/?proxy=u:pwA1x@px", "proxy");
    expect_no_secret("esx://h/?proxy=http%3A%2F%2Fu%3ApwA1x%40px", "proxy");
    expect_no_secret("esx://h/?no_verify=2&proxy=u:pwA1x@px", "no_verify");
    expect_no_secret("esx://h/?no_verify=http://u:pwA1x@px", "no_verify");
    expect_no_secret("esx:///?proxy=u:pwA1x@px", "names no server");
    /* no scheme the parser recognises: the text is not quoted at all */
    expect_no_secret("root:pwA1x@h", "esx://, gsx:// or vpx://");
    expect_no_secret("esx:/root:pwA1x@h/", "esx://, gsx:// or vpx://");
    expect_no_secret("root:pwA1x@h/x://y", "esx://, gsx:// or vpx://");
    /* other input is quoted with control characters escaped */
    expect_no_secret("esx://h/?transport=\x1b]0;pwned\x07", "transport must be");
}

static void
test_redact(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        /* nothing to drop */
        { "", "" },
        { "no URI here: a:b@c", "no URI here: a:b@c" },
        { "esx://root@h:443/", "esx://root@h:443/" },
        { "esx://h:443/dc@x", "esx://h:443/dc@x" },
        { "esx://[2001:db8::1]:443/", "esx://[2001:db8::1]:443/" },
        { "esx://root@[::1]:443/?ca_file=/a:b", "esx://root@[::1]:443/?ca_file=/a:b" },
        { "vpx://vc/dc/h?vcenter=vc:443", "vpx://vc/dc/h?vcenter=vc:443" },
        { "gsx://h:/", "gsx://h:/" },
        { "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },
        /* the userinfo password, however it is spelt */
        { "esx://root:s3cret@h:99999/", "esx://root@h:99999/" },
        { "esx+ssh://root:s3cret@h/", "esx+ssh://root@h/" },
        { "esx://root:@h/", "esx://root@h/" },
        { "esx://root:443@h/", "esx://root@h/" },
        { "esx://root:p@ss@h/", "esx://root@h/" },
        { "esx://root:a:b@h/", "esx://root@h/" },
        { "esx://root:a%40b@h/", "esx://root@h/" },
        { "esx://root:a/b@h/x", "esx://root@h/x" },
        { "esx://root:a?b#c@h/", "esx://root@h/" },
        { "esx://root:a b@h/", "esx://root@h/" },
        { "esx://root:pw@[::1]:443/", "esx://root@[::1]:443/" },
        { "esx://[x:pw@h/", "esx://[x@h/" },
        { "esx://root:s3cret@h/%zz garbage]]", "esx://root@h/%zz garbage]]" },
        /* a ':' that no port number follows, and no '@' */
        { "esx://root:s3cret", "esx://root" },
        { "esx://root:a/b c", "esx://root c" },
        { "URI 'esx://h:abc/x' is bad", "URI 'esx://h' is bad" },
        /* several URIs, and URIs in query values */
        { "see esx://root:pw@h/ and gsx://u:x@g/", "see esx://root@h/ and gsx://u@g/" },
        { "esx://h/?proxy=http://u:pw@px:3128", "esx://h/?proxy=http://u@px:3128" },
        { "esx://h/?proxy=u:pw@px&no_verify=1", "esx://h/?proxy=u@px&no_verify=1" },
        { "esx://h/?proxy=http%3A%2F%2Fu%3Apw%40px%3A3128", "esx://h/?proxy=http%3A%2F%2Fu%40px%3A3128" },
        { "esx://root:pw@h/?proxy=http://u:x@px", "esx://root@h/?proxy=http://u@px" },
        /* control characters, format characters, bytes that are not UTF-8 */
        { "esx://root:pw@h/\x1b[2J\n", "esx://root@h/\\x1B[2J\\n" },
        { "a\tb\x7f"
          "c\xc2\x9b"
          "d\xe2\x80\xae"
          "e\xff",
          "a\\tb\\x7Fc\\u009Bd\\u202Ee\\xFF" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = esx_uri_redact(cases[i].in);
        if (strcmp(got, cases[i].out) != 0) {
            g_autofree char *in = g_strescape(cases[i].in, NULL);
            g_error("esx_uri_redact(\"%s\") = '%s', expected '%s'", in, got, cases[i].out);
        }
    }
    g_autofree char *null = esx_uri_redact(NULL);
    g_assert_cmpstr(null, ==, "");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/plugin/uri/defaults", test_defaults);
    g_test_add_func("/plugin/uri/ports", test_ports);
    g_test_add_func("/plugin/uri/params", test_params);
    g_test_add_func("/plugin/uri/timeouts", test_timeouts);
    g_test_add_func("/plugin/uri/repeats", test_repeats);
    g_test_add_func("/plugin/uri/vpx-path", test_vpx_path);
    g_test_add_func("/plugin/uri/errors", test_errors);
    g_test_add_func("/plugin/uri/errors-hide-password", test_errors_hide_password);
    g_test_add_func("/plugin/uri/redact", test_redact);
    return g_test_run();
}
