/* The driver's statuses for what a server answers, through the loader and
 * the real plugin, against the scripted loopback server of tests/vi: a user
 * the server knows but who lacks a privilege (NoPermission) is
 * HVD_ERR_ACCESS_DENIED, never HVD_ERR_AUTH_FAILED (a GUI would ask for the
 * password again, which cannot help); wrong credentials stay
 * HVD_ERR_AUTH_FAILED. Suite: unit (loopback only). */
#include <string.h>

#include "hvd-loader.h"
#include "fake-server.h"

#define ENVELOPE(x)                                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://"        \
    "schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance" \
    "\"><soapenv:Body>" x "</soapenv:Body></soapenv:Envelope>"
#define FAULT(name, text)                                                                               \
    ENVELOPE("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>" text "</faultstring>" \
             "<detail><" name "Fault xmlns=\"urn:vim25\" xsi:type=\"" name "\"/></detail></soapenv:Fault>")
#define LOGIN_OK                                                                                         \
    ENVELOPE("<LoginResponse xmlns=\"urn:vim25\"><returnval><key>k</key><userName>root</userName>"       \
             "<fullName>Root</fullName><loginTime>2026-11-22T08:00:00Z</loginTime>"                      \
             "<lastActiveTime>2026-11-22T08:00:00Z</lastActiveTime><locale>en</locale><messageLocale>en" \
             "</messageLocale><extensionSession>false</extensionSession></returnval></LoginResponse>")
#define LOGOUT_OK ENVELOPE("<LogoutResponse xmlns=\"urn:vim25\"/>")

static const hvd_driver *drv;

static int32_t HVD_CALL
answer(void *user_data, hvd_credential *creds, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        hvd_credential *c = (hvd_credential *)((char *)creds + (size_t)i * creds[0].struct_size);
        const char *v = c->type == HVD_CRED_USERNAME ? "root" : "not-the-password";
        memcpy(c->result, v, strlen(v) + 1);
        c->result_len = (uint32_t)strlen(v);
    }
    return 0;
}

static fake_server *
server_after_service_content(void)
{
    fake_server *s = fake_server_new();
    g_autofree char *path = g_build_filename(VI_TEST_DATA, "vcsim-service-content.xml", NULL);
    g_autofree char *sc = NULL;
    g_assert_true(g_file_get_contents(path, &sc, NULL, NULL));
    fake_server_push(s, 200, NULL, sc);
    return s;
}

/* esx:// over plain HTTP to the fake server's port */
static char *
uri_of(fake_server *s)
{
    const char *url = fake_server_url(s); /* http://127.0.0.1:PORT/sdk */
    const char *port = strrchr(url, ':') + 1;
    return g_strdup_printf("esx://root@127.0.0.1:%d/?transport=http", atoi(port));
}

/* A connection to S, which has the answers to RetrieveServiceContent and
 * Login queued. */
static hvd_conn *
open_logged_in(fake_server *s)
{
    g_autofree char *uri = uri_of(s);
    hvd_host host = { .struct_size = sizeof(host), .auth = answer };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err) != HVD_OK)
        g_error("open %s: %s", uri, err.message);
    return conn;
}

static void
check_login_fault(const char *fault, int32_t want)
{
    g_autoptr(fake_server) s = server_after_service_content();
    g_autofree char *body = g_strdup_printf(ENVELOPE("<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                                                     "<faultstring>refused</faultstring><detail><%sFault "
                                                     "xmlns=\"urn:vim25\" xsi:type=\"%s\"/></detail>"
                                                     "</soapenv:Fault>"),
                                            fault, fault);
    fake_server_push(s, 500, NULL, body);
    g_autofree char *uri = uri_of(s);
    hvd_host host = { .struct_size = sizeof(host), .auth = answer };
    hvd_conn *conn = (hvd_conn *)0x1;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err);
    if (rc != want)
        g_error("open() with Login answered by %s -> %d (%s), want %d", fault, rc, err.message, want);
    g_assert_null(conn);
    g_assert_cmpstr(err.fault, ==, fault);
    g_assert_cmpint(err.code, ==, want);
}

static void
test_login_no_permission(void)
{
    check_login_fault("NoPermission", HVD_ERR_ACCESS_DENIED);
}

static void
test_login_invalid(void)
{
    check_login_fault("InvalidLogin", HVD_ERR_AUTH_FAILED);
}

/* Logged in, then a call the user may not make. */
static void
test_call_no_permission(void)
{
    g_autoptr(fake_server) s = server_after_service_content();
    fake_server_push(s, 200, "Set-Cookie: vmware_soap_session=\"c\"; Path=/\r\n", LOGIN_OK);
    fake_server_push(s, 500, NULL, FAULT("NoPermission", "Permission to perform this operation was denied."));
    fake_server_push(s, 200, NULL, LOGOUT_OK);
    hvd_error err = HVD_ERROR_INIT;
    hvd_conn *conn = open_logged_in(s);
    char *name = (char *)0x1;
    int32_t rc = drv->connect->get_hostname(conn, 0, &name, &err);
    if (rc != HVD_ERR_ACCESS_DENIED)
        g_error("get_hostname answered by NoPermission -> %d (%s), want HVD_ERR_ACCESS_DENIED", rc, err.message);
    g_assert_null(name);
    g_assert_cmpstr(err.fault, ==, "NoPermission");
    drv->connect->close(conn);
}

/* stall_timeout=1 in the URI reaches the transport: a server that answers
 * RetrieveServiceContent a byte a second is cut off (it held open() for the
 * whole 300 s request timeout before). 60 s is a deadline, not a measure. */
static void
test_stall_timeout_from_uri(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_server_push_stream(s, NULL, fake_stream_drip, (gpointer)ENVELOPE(""));
    g_autofree char *base = uri_of(s);
    g_autofree char *uri = g_strconcat(base, "&stall_timeout=1", NULL);
    hvd_host host = { .struct_size = sizeof(host), .auth = answer };
    hvd_conn *conn = (hvd_conn *)0x1;
    hvd_error err = HVD_ERROR_INIT;
    gint64 start = g_get_monotonic_time();
    int32_t rc = drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err);
    double secs = (g_get_monotonic_time() - start) / 1e6;
    g_print("# a byte a second, stall_timeout=1: %d (%s) after %.1f s\n", rc, err.message, secs);
    g_assert_cmpint(rc, !=, HVD_OK);
    g_assert_null(conn);
    if (!strstr(err.message, "for 1 s (the limit stall_timeout)"))
        g_error("open() against a dripping server: '%s' does not name the stall timeout", err.message);
    if (secs > 60)
        g_error("open() against a dripping server took %.1f s", secs);
}

/* A Login fault whose text and type name would print forged lines (CR, LF,
 * CSI, a right-to-left override) reaches the host escaped, in the message
 * and in the fault name. */
static void
test_forged_fault_lines(void)
{
    g_autoptr(fake_server) s = server_after_service_content();
    fake_server_push(s, 500, NULL,
                     ENVELOPE("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>no&#13;\nerror: "
                              "forged\xc2\x9b"
                              "2K\xe2\x80\xae</faultstring><detail><InvalidLoginFault "
                              "xmlns=\"urn:vim25\" xsi:type=\"Invalid&#10;&#x202E;Login\"/></detail></soapenv:Fault>"));
    g_autofree char *uri = uri_of(s);
    hvd_host host = { .struct_size = sizeof(host), .auth = answer };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err), !=, HVD_OK);
    g_print("# forged lines: fault '%s', message '%s'\n", err.fault, err.message);
    for (const char *p = err.message; *p; p++)
        if ((guchar)*p < 0x20 || strncmp(p, "\xc2\x9b", 2) == 0 || strncmp(p, "\xe2\x80\xae", 3) == 0)
            g_error("the message holds a control character at %d: %s", (int)(p - err.message), err.message);
    g_assert_nonnull(strstr(err.message, "no\\x0d\\x0aerror: forged\\x9b2K\\u202e"));
    g_assert_null(strchr(err.fault, '\n'));
    g_assert_cmpstr(err.fault, ==, "Invalid\\n\\u202ELogin");
}

/* RetrievePropertiesEx's answer: the host ha-host with the propSets OBJECTS. */
#define RETRIEVED(objects)                                                                                     \
    ENVELOPE("<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects><obj type=\"HostSystem\">" \
             "ha-host</obj>" objects "</objects></returnval></RetrievePropertiesExResponse>")

/* The host's summary.hardware with MEM bytes and MHZ, as text. */
static char *
hardware(const char *mem, const char *mhz)
{
    return g_strdup_printf(RETRIEVED("<propSet><name>summary.hardware</name><val xsi:type=\"HostHardwareSummary\">"
                                     "<memorySize>%s</memorySize><cpuModel>X</cpuModel><cpuMhz>%s</cpuMhz>"
                                     "<numCpuPkgs>1</numCpuPkgs><numCpuCores>2</numCpuCores><numCpuThreads>4"
                                     "</numCpuThreads></val></propSet>"),
                           mem, mhz);
}

/* Numbers the server sends that do not fit their type (negative memory,
 * -1 or 2^32 MHz, 2^64 bytes) are refused with a message naming them, not
 * wrapped into 4294967295 MHz. */
static void
test_numbers_out_of_range(void)
{
    static const struct {
        const char *mem, *mhz, *says;
    } bad[] = {
        { "8589934592", "-1", "summary.hardware.cpuMhz = '-1', which is not a whole number from 0 to 4294967295" },
        { "8589934592", "4294967296", "summary.hardware.cpuMhz = '4294967296'" },
        { "-8589934592", "2000", "summary.hardware.memorySize = '-8589934592'" },
        { "18446744073709551616", "2000", "summary.hardware.memorySize = '18446744073709551616'" },
    };
    g_autoptr(fake_server) s = server_after_service_content();
    fake_server_push(s, 200, "Set-Cookie: vmware_soap_session=\"c\"; Path=/\r\n", LOGIN_OK);
    fake_server_push(s, 200, NULL,
                     RETRIEVED("<propSet><name>name</name><val xsi:type=\"xsd:string\">esx1</val></propSet>"));
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *body = hardware(bad[i].mem, bad[i].mhz);
        fake_server_push(s, 200, NULL, body);
    }
    g_autofree char *good = hardware("8589934592", "4294967295");
    fake_server_push(s, 200, NULL, good);
    fake_server_push(s, 200, NULL, LOGOUT_OK);
    hvd_error err = HVD_ERROR_INIT;
    hvd_conn *conn = open_logged_in(s);
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        hvd_node_info info = { .struct_size = sizeof(info) };
        int32_t rc = drv->connect->get_node_info(conn, 0, &info, &err);
        g_print("# memorySize %s, cpuMhz %s: %d (%s)\n", bad[i].mem, bad[i].mhz, rc, rc ? err.message : "accepted");
        if (rc != HVD_ERR_SERVER || !strstr(err.message, bad[i].says))
            g_error("memorySize %s, cpuMhz %s: %d (%s, %u MHz), want HVD_ERR_SERVER saying '%s'", bad[i].mem,
                    bad[i].mhz, rc, rc ? err.message : "accepted", info.mhz, bad[i].says);
    }
    hvd_node_info info = { .struct_size = sizeof(info) };
    g_assert_cmpint(drv->connect->get_node_info(conn, 0, &info, &err), ==, HVD_OK);
    g_assert_cmpuint(info.mhz, ==, 4294967295u);
    g_assert_cmpuint(info.memory_kib, ==, 8388608);
    g_assert_cmpuint(info.cpus, ==, 4);
    drv->connect->close(conn);
}

/* A host that reports no name is named by its managed object id in
 * messages, never "host (null)". */
static void
test_host_without_name(void)
{
    g_autoptr(fake_server) s = server_after_service_content();
    fake_server_push(s, 200, "Set-Cookie: vmware_soap_session=\"c\"; Path=/\r\n", LOGIN_OK);
    /* the locate walk: one HostSystem, no name */
    fake_server_push(s, 200, NULL, RETRIEVED(""));
    /* its properties: no memory size */
    fake_server_push(s, 200, NULL, RETRIEVED(""));
    fake_server_push(s, 200, NULL, LOGOUT_OK);
    g_autofree char *uri = uri_of(s);
    hvd_host host = { .struct_size = sizeof(host), .auth = answer };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    g_assert_cmpint(drv->connect->open(uri, NULL, 0, &host, 0, &conn, &err), ==, HVD_OK);
    uint64_t bytes = 1;
    int32_t rc = drv->connect->get_free_memory(conn, 0, &bytes, &err);
    g_test_message("get_free_memory -> %d: %s", rc, err.message);
    g_assert_cmpint(rc, ==, HVD_ERR_SERVER);
    if (strstr(err.message, "(null)") != NULL || strstr(err.message, "ha-host") == NULL)
        g_error("a host without a name: '%s' (want its id 'ha-host', never '(null)')", err.message);
    drv->connect->close(conn);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_autoptr(GError) gerr = NULL;
    hvd_loader *loader = hvd_loader_new();
    const hvd_loaded_driver *ld = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (hvd_loader_load_for_uri(loader, "esx://x/", HVD_ABI_MINOR, &ld, &err) != HVD_OK)
        g_error("cannot load the driver: %s", err.message);
    drv = ld->driver;
    g_assert_cmpint(drv->init(0, &err), ==, HVD_OK);
    g_test_add_func("/plugin/faults/login-no-permission", test_login_no_permission);
    g_test_add_func("/plugin/faults/login-invalid", test_login_invalid);
    g_test_add_func("/plugin/faults/call-no-permission", test_call_no_permission);
    g_test_add_func("/plugin/faults/host-without-name", test_host_without_name);
    g_test_add_func("/plugin/faults/stall-timeout-from-uri", test_stall_timeout_from_uri);
    g_test_add_func("/plugin/faults/forged-fault-lines", test_forged_fault_lines);
    g_test_add_func("/plugin/faults/numbers-out-of-range", test_numbers_out_of_range);
    int rc = g_test_run();
    drv->shutdown();
    hvd_loader_free(loader);
    return rc;
}
