/* vi/ against the simulator: connecting, TLS, login errors, proxies,
 * session expiry. Suite: sim. */
#include <string.h>

#include "simharness.h"
#include "vi/vi.h"
#include "vi-test-util.h"

static vi_conn *
connect_to(sim_instance *sim, const char *proxy, gboolean use_ca, GError **error)
{
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.ca_file = use_ca ? sim->ca_file : NULL;
    o.proxy = proxy;
    return vi_conn_new(&o, error);
}

static sim_instance *
start(const char *model, gboolean tls, int vms)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = model, .tls = tls, .vms = vms };
    sim_instance *sim = sim_start(&so, &error);
    g_assert_no_error(error);
    return sim;
}

static void
check_login(sim_instance *sim)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_conn) c = connect_to(sim, NULL, TRUE, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(c, sim->username, sim->password, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 2);
    const vi_ServiceContent *sc = vi_conn_service_content(c);
    g_assert_nonnull(sc);
    g_assert_nonnull(sc->about);
    g_assert_cmpstr(sc->about->apiType, ==, "HostAgent");
    g_assert_nonnull(strstr(sc->about->fullName, "ESX"));
    g_assert_cmpstr(sc->rootFolder.type, ==, "Folder");
    g_assert_nonnull(sc->propertyCollector.value);
    g_assert_nonnull(sc->sessionManager.value);
    g_autoptr(vi_UserSession) us = vi_conn_dup_user_session(c);
    g_assert_nonnull(us);
    g_assert_cmpstr(us->userName, ==, sim->username);
}

static void
test_http(void)
{
    g_autoptr(sim_instance) sim = start("esx", FALSE, 0);
    check_login(sim);
}

static void
test_https_verified(void)
{
    g_autoptr(sim_instance) sim = start("esx", TRUE, 0);
    g_assert_nonnull(sim->ca_file);
    check_login(sim);
}

static void
test_https_self_signed_refused(void)
{
    g_autoptr(sim_instance) sim = start("esx", TRUE, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_conn) c = connect_to(sim, NULL, FALSE, &error);
    g_assert_no_error(error);
    g_assert_false(vi_session_login(c, sim->username, sim->password, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_TLS);
    g_assert_nonnull(strstr(error->message, "TLS certificate of 127.0.0.1:"));
    g_assert_nonnull(strstr(error->message, "no_verify=1"));
    g_assert_nonnull(strstr(error->message, "ca_file"));
    g_assert_nonnull(strstr(error->message, sim->host));

    /* no_verify=1 lets it through */
    g_clear_error(&error);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.no_verify = TRUE;
    g_autoptr(vi_conn) c2 = vi_conn_new(&o, &error);
    g_assert_true(vi_session_login(c2, sim->username, sim->password, &error));
    g_assert_no_error(error);
}

/* A CA file that did not sign the server's certificate: a certificate
 * problem, so ca_file and no_verify=1 are the fixes named. */
static void
test_https_other_ca(void)
{
    g_autoptr(sim_instance) sim = start("esx", TRUE, 0);
    g_autoptr(GError) error = NULL;
    g_autofree char *other_ca = g_build_filename(VI_TEST_DATA, "other-ca.pem", NULL);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.ca_file = other_ca;
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_false(vi_session_login(c, sim->username, sim->password, &error));
    g_test_message("%s", error->message);
    g_assert_error(error, VI_ERROR, VI_ERROR_TLS);
    g_autofree char *says = g_strdup_printf("TLS certificate of %s:%d could not be verified with "
                                            "the CA file '%s'",
                                            sim->host, sim->port, other_ca);
    g_assert_nonnull(strstr(error->message, says));
    g_assert_nonnull(strstr(error->message, "(ca_file)"));
    g_assert_nonnull(strstr(error->message, "no_verify=1"));
    g_assert_null(strstr(error->message, "handshake"));
}

/* The right CA, but the server is reached by an address its certificate
 * does not hold (it names 127.0.0.1, ::1 and localhost): a new CA would not
 * help, so ca_file is not suggested. */
/* Logs in to SIM with its CA, which must fail with a VI_ERROR_TLS: the
 * message (newly allocated). */
static char *
tls_login_failure(sim_instance *sim)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_conn) c = connect_to(sim, NULL, TRUE, &error);
    g_assert_no_error(error);
    g_assert_false(vi_session_login(c, sim->username, sim->password, &error));
    g_test_message("%s", error->message);
    g_assert_error(error, VI_ERROR, VI_ERROR_TLS);
    return g_strdup(error->message);
}

static void
test_https_wrong_name(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .tls = TRUE, .vms = -1, .listen = "127.0.0.2:0" };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autofree char *message = tls_login_failure(sim);
    g_assert_nonnull(strstr(message, "TLS certificate of 127.0.0.2:"));
    g_assert_nonnull(strstr(message, "is not issued for that host name"));
    g_assert_nonnull(strstr(message, "no_verify=1"));
    g_assert_null(strstr(message, "ca_file"));
}

/* The right CA, the right name, but a certificate that expired yesterday:
 * the message says so and suggests renewing it (or the clock), not another
 * CA; with no_verify=1 the connection is made. */
static void
test_https_expired(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .tls = TRUE, .expired_cert = TRUE, .vms = -1 };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autofree char *message = tls_login_failure(sim);
    g_assert_nonnull(strstr(message, "is outside its validity period"));
    g_assert_nonnull(strstr(message, "Renew the server's certificate (or check this machine's clock)"));
    g_assert_null(strstr(message, "ca_file"));

    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.no_verify = TRUE;
    g_autoptr(vi_conn) nv = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(nv, sim->username, sim->password, &error));
    g_assert_no_error(error);
}

static void
test_wrong_password(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = -1, .username = "root", .password = "s3cret" };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(vi_conn) c = connect_to(sim, NULL, FALSE, &error);
    g_assert_false(vi_session_login(c, sim->username, "wrong-secret", &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_LOGIN);
    g_assert_cmpstr(vi_error_fault_name(error), ==, "InvalidLogin");
    g_assert_cmpstr(vi_error_method(error), ==, "Login");
    g_assert_nonnull(strstr(error->message, "incorrect user name or password"));
    g_assert_nonnull(strstr(error->message, sim->username));
    g_assert_null(strstr(error->message, "wrong-secret"));
    g_assert_nonnull(strstr(error->message, "Login to 127.0.0.1:"));

    g_clear_error(&error);
    g_assert_true(vi_session_login(c, "root", "s3cret", &error));
    g_assert_no_error(error);
}

static void
test_refused(void)
{
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = "http://127.0.0.1:1/sdk";
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_false(vi_session_login(c, "u", "p", &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_CONNECT);
    g_assert_nonnull(strstr(error->message, "127.0.0.1:1"));
}

static void
test_proxy_refused(void)
{
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = "http://127.0.0.1:2/sdk";
    o.proxy = "socks5://127.0.0.1:1";
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    g_assert_false(vi_session_login(c, "u", "p", &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_PROXY);
    g_assert_nonnull(strstr(error->message, "127.0.0.1:1"));
}

static void
test_response_cap(void)
{
    g_autoptr(sim_instance) sim = start("esx", FALSE, -1);
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.max_response_bytes = 1000; /* the service content is bigger */
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_assert_false(vi_session_login(c, sim->username, sim->password, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_TOO_LARGE);
    g_assert_nonnull(strstr(error->message, "1000 bytes"));
    g_assert_cmpstr(vi_error_method(error), ==, "RetrieveServiceContent");
}

static guint64
stat_counter(sim_instance *sim, const char *name)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *resp = NULL;
    g_assert_true(sim_control(sim, "GET", "/stats", NULL, &resp, &error));
    g_assert_no_error(error);
    g_autofree char *key = g_strdup_printf("\"%s\":", name);
    const char *p = strstr(resp, key);
    g_assert_nonnull(p);
    return g_ascii_strtoull(p + strlen(key), NULL, 10);
}

static void
check_proxy(gboolean tls, const char *kind)
{
    g_autoptr(sim_instance) sim = start("esx", tls, 0);
    g_autoptr(GError) error = NULL;
    g_autofree char *proxy = g_strcmp0(kind, "http") == 0 ? g_strdup_printf("http://%s", sim->http_proxy)
                                                          : g_strdup_printf("%s://%s", kind, sim->socks_proxy);
    g_autoptr(vi_conn) c = connect_to(sim, proxy, TRUE, &error);
    g_assert_no_error(error);
    g_assert_true(vi_session_login(c, sim->username, sim->password, &error));
    g_assert_no_error(error);
    if (g_strcmp0(kind, "http") == 0)
        g_assert_cmpuint(stat_counter(sim, "http_proxy_connections"), >=, 1);
    else
        g_assert_cmpuint(stat_counter(sim, "socks_proxy_tunnels"), >=, 1);
}

static void
test_proxy_http(void)
{
    check_proxy(FALSE, "http");
}
static void
test_proxy_http_tls(void)
{
    check_proxy(TRUE, "http");
}
static void
test_proxy_socks5(void)
{
    check_proxy(TRUE, "socks");
}
static void
test_proxy_socks4a(void)
{
    check_proxy(FALSE, "socks4a");
}

static void
test_session_expiry(void)
{
    g_autoptr(sim_instance) sim = start("esx", FALSE, 2);
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_conn) c = connect_to(sim, NULL, FALSE, &error);
    g_assert_true(vi_session_login(c, sim->username, sim->password, &error));
    g_assert_no_error(error);
    g_autoptr(vi_UserSession) us1 = vi_conn_dup_user_session(c);

    static const char *const paths[] = { "name", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.paths = paths;
    g_autoptr(GPtrArray) before = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(before->len, ==, 2);

    g_assert_true(sim_control(sim, "POST", "/expire-sessions", NULL, NULL, &error));
    g_assert_no_error(error);
    guint64 rt = vi_conn_round_trips(c);
    g_autoptr(GPtrArray) after = vi_collector_retrieve(c, &spec, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(after->len, ==, 2);
    /* failed call + Login + retry */
    g_assert_cmpuint(vi_conn_round_trips(c) - rt, ==, 3);
    g_autoptr(vi_UserSession) us2 = vi_conn_dup_user_session(c);
    g_assert_cmpstr(us2->key, !=, us1->key);

    /* a plain method call re-logs in too */
    g_assert_true(sim_control(sim, "POST", "/expire-sessions", NULL, NULL, &error));
    g_autoptr(vi_value) t =
        vi_call(c, "CurrentTime", &(vi_moref){ "ServiceInstance", "ServiceInstance" }, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(vi_value_get_string(t, "returnval"));
}

static void
collect_log(vi_log_level level, const char *msg, gpointer ud)
{
    g_string_append_printf(ud, "%s\n", msg);
}

static void
test_debug_log_has_no_secrets(void)
{
    g_autoptr(GError) error = NULL;
    sim_options so = { .model = "esx", .vms = 1, .username = "root", .password = "Sup3r-s3cret" };
    g_autoptr(sim_instance) sim = sim_start(&so, &error);
    g_assert_no_error(error);
    g_autoptr(GString) log = g_string_new(NULL);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = sim->url;
    o.log = collect_log;
    o.log_user_data = log;
    o.log_bodies = TRUE;
    g_autoptr(vi_conn) c = vi_conn_new(&o, &error);
    g_assert_true(vi_session_login(c, "root", "Sup3r-s3cret", &error));
    g_assert_no_error(error);
    g_autoptr(vi_UserSession) us = vi_conn_dup_user_session(c);
    g_autofree char *key = g_strdup(us->key);
    gboolean active = FALSE;
    gboolean ok = vi_session_is_active(c, &active, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_true(active);
    g_assert_true(sim_control(sim, "POST", "/expire-sessions", NULL, NULL, &error));
    g_assert_true(vi_session_is_active(c, &active, &error));
    g_assert_no_error(error);
    g_assert_false(active);
    g_clear_pointer(&c, vi_conn_free);
    g_assert_nonnull(strstr(log->str, "-> Login"));
    g_assert_nonnull(strstr(log->str, "<password>***</password>"));
    g_assert_null(strstr(log->str, "Sup3r-s3cret"));
    g_assert_null(strstr(log->str, key)); /* vcsim's cookie is the session key */
    g_assert_null(strstr(log->str, "vmware_soap_session"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/sim/connect/http", test_http);
    g_test_add_func("/vi/sim/connect/https-verified", test_https_verified);
    g_test_add_func("/vi/sim/connect/self-signed-refused", test_https_self_signed_refused);
    g_test_add_func("/vi/sim/connect/https-other-ca", test_https_other_ca);
    g_test_add_func("/vi/sim/connect/https-wrong-name", test_https_wrong_name);
    g_test_add_func("/vi/sim/connect/https-expired", test_https_expired);
    g_test_add_func("/vi/sim/connect/wrong-password", test_wrong_password);
    g_test_add_func("/vi/sim/connect/refused", test_refused);
    g_test_add_func("/vi/sim/connect/response-cap", test_response_cap);
    g_test_add_func("/vi/sim/proxy/refused", test_proxy_refused);
    g_test_add_func("/vi/sim/proxy/http", test_proxy_http);
    g_test_add_func("/vi/sim/proxy/http-tls", test_proxy_http_tls);
    g_test_add_func("/vi/sim/proxy/socks5", test_proxy_socks5);
    g_test_add_func("/vi/sim/proxy/socks4a", test_proxy_socks4a);
    g_test_add_func("/vi/sim/session/expiry", test_session_expiry);
    g_test_add_func("/vi/sim/session/debug-log-has-no-secrets", test_debug_log_has_no_secrets);
    return vi_test_run();
}
