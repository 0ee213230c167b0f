/* TLS failures that are not about the certificate, against loopback
 * servers that speak broken TLS: each message says what failed (not TLS at
 * all, no common protocol version, closed, refused) and never suggests
 * ca_file or no_verify=1, which would not help; an unusable CA file is named
 * as such. Certificates the client's CA does not sign: vi-sim-connect.
 * Suite: unit (loopback only). */
#include <glib/gstdio.h>
#include <string.h>

#include "fake-server.h"
#include "vi/vi.h"
#include "vi/vi-private.h"
#include "vi-test-util.h"

/* A TLS alert record (TLS 1.0 framing): level fatal, DESCRIPTION. */
#define ALERT(description)                              \
    {                                                   \
        0x15, 0x03, 0x01, 0x00, 0x02, 0x02, description \
    }

/* Connects to a raw server answering REPLY; returns the error message,
 * asserted to be a VI_ERROR_TLS naming the server. */
static char *
tls_failure(const void *reply, gsize len, const char *ca_file)
{
    g_autoptr(fake_server) s = fake_server_new_raw(reply, len);
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = fake_server_url(s);
    o.ca_file = ca_file;
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_false(vi_conn_retrieve_service_content(c, &error));
    g_test_message("%s", error->message);
    g_assert_error(error, VI_ERROR, VI_ERROR_TLS);
    g_autofree char *ep = g_strdup_printf("127.0.0.1:%s", strrchr(o.url, ':') + 1);
    *strchr(ep + 10, '/') = '\0';
    g_assert_nonnull(strstr(error->message, ep));
    return g_strdup(error->message);
}

static void
assert_handshake(const char *msg, const char *cause)
{
    g_assert_nonnull(strstr(msg, "TLS handshake with 127.0.0.1:"));
    g_assert_nonnull(strstr(msg, cause));
    /* not a certificate problem: certificate options would not help */
    g_assert_null(strstr(msg, "no_verify"));
    g_assert_null(strstr(msg, "ca_file"));
    g_assert_null(strstr(msg, "certificate"));
}

static void
test_not_tls(void)
{
    static const char http[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    g_autofree char *msg = tls_failure(http, sizeof http - 1, NULL);
    assert_handshake(msg, "the server did not answer in TLS");
    g_assert_nonnull(strstr(msg, "transport=http"));
}

static void
test_closed(void)
{
    g_autofree char *msg = tls_failure("", 0, NULL);
    assert_handshake(msg, "the server closed the connection during the handshake");
    g_assert_nonnull(strstr(msg, "HTTPS port"));
}

static void
test_protocol_version(void)
{
    static const guchar alert[] = ALERT(70); /* protocol_version */
    g_autofree char *msg = tls_failure(alert, sizeof alert, NULL);
    assert_handshake(msg, "no TLS protocol version that both sides accept");
    g_assert_nonnull(strstr(msg, "TLS 1.2"));
}

static void
test_refused(void)
{
    static const guchar alert[] = ALERT(40); /* handshake_failure */
    g_autofree char *msg = tls_failure(alert, sizeof alert, NULL);
    assert_handshake(msg, "the server refused it");
}

static void
test_bad_ca_file(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("vi-test-ca-XXXXXX.pem", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "not a certificate\n", 18), ==, 18);
    close(fd);
    g_autofree char *msg = tls_failure("", 0, path);
    g_unlink(path);
    g_autofree char *says = g_strdup_printf("the CA file '%s' cannot be used", path);
    g_assert_nonnull(strstr(msg, says));
    g_assert_nonnull(strstr(msg, "PEM"));
    g_assert_null(strstr(msg, "no_verify"));
}

/* The certificate advice fits the URI: "add no_verify=1" only when it is
 * not already there; an expired certificate says renew (or check the
 * clock), a wrong name says connect with a name the certificate holds. */
static void
test_certificate_advice(void)
{
    static const struct {
        const char *detail, *says;
    } cases[] = {
        { "SSL certificate problem: certificate has expired", "is outside its validity period" },
        { "SSL: no alternative certificate subject name matches target host name 'x'",
          "is not issued for that host name" },
        { "SSL certificate problem: self-signed certificate", "could not be verified" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (int nv = 0; nv < 2; nv++) {
            vi_curl_failure f = { .endpoint = "esx1.example.com:443", .errbuf = cases[i].detail, .no_verify = nv };
            g_autoptr(GError) error = NULL;
            vi_transport_set_error(&error, "Login", CURLE_PEER_FAILED_VERIFICATION, &f);
            g_assert_error(error, VI_ERROR, VI_ERROR_TLS);
            g_test_message("%s", error->message);
            g_assert_nonnull(strstr(error->message, cases[i].says));
            if (nv) {
                g_assert_null(strstr(error->message, "add no_verify=1"));
                g_assert_nonnull(strstr(error->message, "with no_verify=1 given"));
            } else {
                g_assert_nonnull(strstr(error->message, "add no_verify=1"));
            }
        }
    }
}

/* A CA file this user cannot read is refused when the connection is made,
 * with the cause and the fix (curl would say "error setting certificate
 * file" at the first request). root reads any file: skipped as root. */
static void
test_unreadable_ca_file(void)
{
    if (geteuid() == 0) {
        g_test_skip("root can read a file of mode 0000");
        return;
    }
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("vi-test-ca-XXXXXX.pem", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_cmpint(g_chmod(path, 0), ==, 0);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = "https://127.0.0.1:1/sdk";
    o.ca_file = path;
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_unlink(path);
    g_assert_null(c);
    g_autofree char *says = g_strdup_printf("CA file '%s' cannot be read (Permission denied): make it readable", path);
    g_assert_nonnull(strstr(error->message, says));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/tls/not-tls", test_not_tls);
    g_test_add_func("/vi/tls/closed", test_closed);
    g_test_add_func("/vi/tls/protocol-version", test_protocol_version);
    g_test_add_func("/vi/tls/refused", test_refused);
    g_test_add_func("/vi/tls/bad-ca-file", test_bad_ca_file);
    g_test_add_func("/vi/tls/certificate-advice", test_certificate_advice);
    g_test_add_func("/vi/tls/unreadable-ca-file", test_unreadable_ca_file);
    return vi_test_run();
}
