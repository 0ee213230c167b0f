/* A failed curl request as a VI_ERROR whose message names the server, what
 * failed and, where there is one, the fix. TLS failures say which step
 * failed: the certificate (ca_file= or no_verify=1 can help), the CA file
 * itself, or the handshake (not TLS at all, no common protocol version, the
 * server closing or refusing), where no certificate option helps. */
#include <string.h>

#include "vi/vi-private.h"

/* X509_V_OK is 0, and libcurl reports 1 until a certificate was checked:
 * real verification errors start at 2. */
#define VERIFY_RESULT_FIRST_ERROR 2

static gboolean
mentions(const char *text, const char *const *needles)
{
    g_autofree char *lower = g_ascii_strdown(text, -1);
    for (int i = 0; needles[i]; i++)
        if (strstr(lower, needles[i]))
            return TRUE;
    return FALSE;
}

/* What went wrong in a TLS step: NEEDLES are (lower-case) pieces of the
 * TLS library's text that identify it. */
typedef struct {
    const char *const *needles;
    const char *what;
    const char *fix;
} tls_cause;

static const tls_cause *
find_cause(const tls_cause *causes, gsize n, const char *detail)
{
    for (gsize i = 0; i < n; i++)
        if (mentions(detail, causes[i].needles))
            return &causes[i];
    return NULL;
}

static void
set_certificate_error(GError **error, const char *method, const vi_curl_failure *f, const char *detail)
{
    static const char *const name_mismatch[] = { "subject name", "host name", NULL };
    static const char *const out_of_date[] = { "expired", "not yet valid", NULL };
    static const tls_cause causes[] = {
        { name_mismatch, "is not issued for that host name", "Connect with a name the certificate holds" },
        { out_of_date, "is outside its validity period",
          "Renew the server's certificate (or check this machine's clock)" },
    };
    const tls_cause *c = find_cause(causes, G_N_ELEMENTS(causes), detail);
    g_autofree char *what = c            ? g_strdup(c->what)
                            : f->ca_file ? g_strdup_printf("could not be verified with the CA file "
                                                           "'%s'",
                                                           f->ca_file)
                                         : g_strdup("could not be verified");
    const char *fix = c ? c->fix : "Give the CA certificate that signed the server's certificate (ca_file)";
    if (f->no_verify)
        /* verification is off, yet a certificate check failed: the TLS
         * library checked anyway (e.g. a pinned or revoked certificate) */
        vi_set_error_full(error, VI_ERROR_TLS, method, NULL, NULL,
                          "TLS certificate of %s %s: %s (with no_verify=1 given). %s", f->endpoint, what, detail, fix);
    else
        vi_set_error_full(error, VI_ERROR_TLS, method, NULL, NULL,
                          "TLS certificate of %s %s: %s. %s, or, if you trust the network, add no_verify=1 to the URI",
                          f->endpoint, what, detail, fix);
}

/* The handshake failed before any certificate was judged: say why, and
 * suggest no certificate option, since none would help. */
static void
set_handshake_error(GError **error, const char *method, CURLcode rc, const vi_curl_failure *f, const char *detail)
{
    static const char *const not_tls[] = { "wrong version number",
                                           "packet length too long",
                                           "record layer failure",
                                           "unknown protocol",
                                           "http request",
                                           "unexpected tls packet",
                                           NULL };
    static const char *const version[] = { "protocol version", "unsupported protocol",    "no protocols available",
                                           "version too low",  "unsupported or disabled", NULL };
    static const char *const closed[] = { "ssl_error_syscall",
                                          "unexpected eof",
                                          "reset by peer",
                                          "connection reset",
                                          "connection was closed",
                                          "non-properly terminated",
                                          NULL };
    static const char *const refused[] = { "handshake failure", "no shared cipher", "no ciphers available",
                                           "insufficient security", NULL };
    static const tls_cause causes[] = {
        { not_tls, "the server did not answer in TLS",
          "Check the port; if the server speaks plain HTTP there, use transport=http" },
        { version, "no TLS protocol version that both sides accept",
          "The server may offer only versions this system disables (TLS 1.0 or 1.1 on old "
          "hosts): enable TLS 1.2 or later on the server, or allow the older version in this "
          "system's TLS configuration" },
        { closed, "the server closed the connection during the handshake",
          "Check that the port is the server's HTTPS port and that no firewall or proxy cuts TLS "
          "connections" },
        /* last: CURLE_SSL_CIPHER means this one too */
        { refused, "the server refused it",
          "It may lack a cipher suite both sides accept: check the server's TLS settings" },
    };
    const tls_cause *c =
        rc == CURLE_SSL_CIPHER ? &causes[G_N_ELEMENTS(causes) - 1] : find_cause(causes, G_N_ELEMENTS(causes), detail);
    if (c)
        vi_set_error_full(error, VI_ERROR_TLS, method, NULL, NULL, "TLS handshake with %s failed: %s (%s). %s",
                          f->endpoint, c->what, detail, c->fix);
    else
        vi_set_error_full(error, VI_ERROR_TLS, method, NULL, NULL, "TLS handshake with %s failed: %s", f->endpoint,
                          detail);
}

static gboolean
set_tls_error(GError **error, const char *method, CURLcode rc, const vi_curl_failure *f, const char *detail)
{
    switch (rc) {
    case CURLE_SSL_CACERT_BADFILE:
        if (f->ca_file)
            vi_set_error_full(error, VI_ERROR_TLS, method, NULL, NULL,
                              "Cannot verify %s: the CA file '%s' cannot be used (%s). Give a PEM "
                              "file holding the CA certificate (ca_file)",
                              f->endpoint, f->ca_file, detail);
        else
            vi_set_error_full(error, VI_ERROR_TLS, method, NULL, NULL,
                              "Cannot verify %s: this system's CA certificates cannot be loaded "
                              "(%s). Give the CA certificate in a PEM file (ca_file)",
                              f->endpoint, detail);
        return TRUE;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS: set_certificate_error(error, method, f, detail); return TRUE;
    case CURLE_SSL_CONNECT_ERROR:
        if (f->verify_result >= VERIFY_RESULT_FIRST_ERROR)
            set_certificate_error(error, method, f, detail);
        else
            set_handshake_error(error, method, rc, f, detail);
        return TRUE;
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CERTPROBLEM: set_handshake_error(error, method, rc, f, detail); return TRUE;
    default: return FALSE;
    }
}

/* Which of the three limits cut the request off: no connection in time, no
 * whole response in time, or too slow for too long. */
static void
set_timeout_error(GError **error, const char *method, const vi_curl_failure *f, const char *detail)
{
    const vi_timeouts *t = &f->timeout;
    if (!f->connected)
        vi_set_error_full(error, VI_ERROR_TIMEOUT, method, NULL, NULL,
                          "%s on %s timed out: no connection within %.1f s (the limit connect_timeout): %s", method,
                          f->endpoint, t->connect_ms / 1000.0, detail);
    else if (f->elapsed_ms + 100 >= t->request_ms) /* curl's clock and ours differ by a little */
        vi_set_error_full(error, VI_ERROR_TIMEOUT, method, NULL, NULL,
                          "%s on %s timed out: no whole response within %.1f s (the limit request_timeout): %s", method,
                          f->endpoint, t->request_ms / 1000.0, detail);
    else
        vi_set_error_full(error, VI_ERROR_TIMEOUT, method, NULL, NULL,
                          "%s on %s stalled: fewer than %ld bytes a second for %.0f s (the limit stall_timeout): %s",
                          method, f->endpoint, t->stall_bytes_per_s, t->stall_ms / 1000.0, detail);
}

void
vi_transport_set_error(GError **error, const char *method, CURLcode rc, const vi_curl_failure *f)
{
    g_autofree char *detail = g_strstrip(g_strdup(f->errbuf && f->errbuf[0] ? f->errbuf : curl_easy_strerror(rc)));
    if (set_tls_error(error, method, rc, f, detail))
        return;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        vi_set_error_full(error, VI_ERROR_CONNECT, method, NULL, NULL,
                          "Cannot connect to %s: unknown host name (%s); check the host name", f->endpoint, detail);
        return;
    case CURLE_COULDNT_CONNECT:
        if (f->proxy)
            vi_set_error_full(error, VI_ERROR_PROXY, method, NULL, NULL,
                              "Cannot connect to %s through proxy %s: %s; check the proxy and that "
                              "the server is reachable from it",
                              f->endpoint, f->proxy, detail);
        else
            vi_set_error_full(error, VI_ERROR_CONNECT, method, NULL, NULL,
                              "Cannot connect to %s: %s; check the host name and port and that the "
                              "server is running",
                              f->endpoint, detail);
        return;
    case CURLE_COULDNT_RESOLVE_PROXY:
#if LIBCURL_VERSION_NUM >= 0x074900
    case CURLE_PROXY:
#endif
        vi_set_error_full(error, VI_ERROR_PROXY, method, NULL, NULL,
                          "Proxy %s failed for %s: %s; check the proxy URL and type", f->proxy, f->endpoint, detail);
        return;
    case CURLE_OPERATION_TIMEDOUT: set_timeout_error(error, method, f, detail); return;
    case CURLE_SEND_FAIL_REWIND:
        vi_set_error_full(error, VI_ERROR_CONNECT, method, NULL, NULL,
                          "%s on %s failed: the server closed the connection without answering; %s changes state, "
                          "so it is not sent again blindly: it may or may not have been carried out, check before "
                          "repeating it",
                          method, f->endpoint, method);
        return;
    case CURLE_GOT_NOTHING:
        vi_set_error_full(error, VI_ERROR_CONNECT, method, NULL, NULL,
                          "%s on %s failed: the server closed the connection without answering (%s); the call may "
                          "or may not have been carried out",
                          method, f->endpoint, detail);
        return;
    case CURLE_PARTIAL_FILE:
        vi_set_error_full(error, VI_ERROR_CONNECT, method, NULL, NULL,
                          "%s on %s failed: the server closed the connection in the middle of its answer (%s)", method,
                          f->endpoint, detail);
        return;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
        if (rc == CURLE_FILESIZE_EXCEEDED || f->too_large) {
            vi_set_error_full(error, VI_ERROR_TOO_LARGE, method, NULL, NULL,
                              "Response to %s from %s exceeds the limit of %zu bytes%s (max_response_bytes)", method,
                              f->endpoint, f->max_response, f->encoded ? " once decompressed" : "");
            return;
        }
        break;
    default: break;
    }
    vi_set_error_full(error, VI_ERROR_FAILED, method, NULL, NULL, "%s on %s failed: %s", method, f->endpoint, detail);
}
