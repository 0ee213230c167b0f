/* Canned vSphere responses for the scripted loopback server (fake-server.h),
 * shared by the vi/ unit tests that talk to it. Include after
 * vi-test-util.h (VI_TEST_DATA). */
#pragma once

#include "fake-server.h"
#include "vi-test-util.h"

#define FAKE_ENVELOPE(x)                                                                         \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://"        \
    "schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance" \
    "\"><soapenv:Body>" x "</soapenv:Body></soapenv:Envelope>"

/* The session key Login returns and the cookie that comes with it: secrets
 * that must never appear in a log or an error. */
#define FAKE_SESSION_KEY  "52a1-session-key"
#define FAKE_COOKIE_VALUE "abc123-cookie"

#define FAKE_LOGIN_OK                                                                                             \
    FAKE_ENVELOPE("<LoginResponse xmlns=\"urn:vim25\"><returnval><key>" FAKE_SESSION_KEY "</key>"                 \
                  "<userName>root</userName><fullName>Root</fullName><loginTime>2026-11-22T08:00:00Z</loginTime>" \
                  "<lastActiveTime>2026-11-22T08:00:00Z</lastActiveTime><locale>en</locale>"                      \
                  "<messageLocale>en</messageLocale><extensionSession>false</extensionSession>"                   \
                  "</returnval></LoginResponse>")

#define FAKE_NOT_AUTHENTICATED                                                                            \
    FAKE_ENVELOPE("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The session is not " \
                  "authenticated.</faultstring><detail><NotAuthenticatedFault xmlns=\"urn:vim25\" "       \
                  "xsi:type=\"NotAuthenticated\"><object type=\"Folder\">ha-folder-root</object>"         \
                  "<privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault>")

#define FAKE_CURRENT_TIME                                                                                \
    FAKE_ENVELOPE("<CurrentTimeResponse xmlns=\"urn:vim25\"><returnval>2026-11-22T08:00:01Z</returnval>" \
                  "</CurrentTimeResponse>")

#define FAKE_LOGOUT_OK FAKE_ENVELOPE("<LogoutResponse xmlns=\"urn:vim25\"/>")

/* A fault of type NAME (e.g. "NotImplemented") with message TEXT. */
#define FAKE_FAULT(name, text)                                                                               \
    FAKE_ENVELOPE("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>" text "</faultstring>" \
                  "<detail><" name "Fault xmlns=\"urn:vim25\" xsi:type=\"" name "\"/></detail></soapenv:Fault>")

/* Queues RetrieveServiceContent (vcsim's, ESX model) and Login, whose
 * response sets the session cookie. */
static inline void
fake_push_connect(fake_server *s)
{
    gsize len;
    g_autofree char *sc = vi_test_read("vcsim-service-content.xml", &len);
    fake_server_push(s, 200, NULL, sc);
    fake_server_push(s, 200,
                     "Set-Cookie: vmware_soap_session=\"" FAKE_COOKIE_VALUE "\"; Path=/; "
                     "HttpOnly\r\n",
                     FAKE_LOGIN_OK);
}

/* A connection to S with OPTS (NULL: defaults; its url is replaced),
 * logged in as root with PASSWORD: 2 round trips. */
/* A connection to S with OPTS (NULL: defaults; its url is replaced), not
 * logged in: no round trip yet. */
static inline vi_conn *
fake_conn_new(fake_server *s, const vi_conn_options *opts)
{
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    if (opts)
        o = *opts;
    o.url = fake_server_url(s);
    vi_conn *c = vi_conn_new(&o, &error);
    g_assert_no_error(error);
    return c;
}

static inline vi_conn *
fake_connect(fake_server *s, const vi_conn_options *opts, const char *password)
{
    g_autoptr(GError) error = NULL;
    vi_conn *c = fake_conn_new(s, opts);
    g_assert_true(vi_session_login(c, "root", password, &error));
    g_assert_no_error(error);
    return c;
}

/* Request I received by S. */
static inline const fake_request *
fake_request_at(fake_server *s, guint i)
{
    GPtrArray *all = fake_server_requests(s);
    g_assert_cmpuint(i, <, all->len);
    return all->pdata[i];
}
