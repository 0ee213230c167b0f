/* vi/ on the wire, against a scripted loopback server: headers (no Expect,
 * SOAPAction version), the session cookie, escaping in request bodies,
 * transparent re-login after a NotAuthenticated fault, and the guard against
 * endless empty pages. Suite: unit (loopback only). */
#include <string.h>

#include "vi/vi.h"
#include "vi-test-util.h"
#include "fake-soap.h"

/* An empty page of results with the continuation token "t%d" (a new one
 * each time: a repeated token is refused at once). */
#define EMPTY_PAGE                                                                                  \
    FAKE_ENVELOPE("<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>t%d</token>" \
                  "</returnval></RetrievePropertiesExResponse>")

static void
test_headers_and_cookie(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 200, NULL, FAKE_CURRENT_TIME);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "p&ss<w>rd");
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 2);
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(vi_value_get_string(t, "returnval"), ==, "2026-11-22T08:00:01Z");
    g_clear_pointer(&c, vi_conn_free);

    GPtrArray *all = fake_server_requests(s);
    g_assert_cmpuint(all->len, ==, 4); /* RetrieveServiceContent, Login, CurrentTime, Logout */
    for (guint i = 0; i < all->len; i++) {
        g_autofree char *head = g_ascii_strdown(fake_request_at(s, i)->head, -1);
        g_assert_true(g_str_has_prefix(head, "post /sdk http/1.1"));
        g_assert_null(strstr(head, "expect:"));
        g_assert_nonnull(strstr(head, "content-type: text/xml; charset=utf-8"));
        /* the cookie from Login's Set-Cookie travels from then on */
        gboolean has_cookie = strstr(head, "vmware_soap_session=\"" FAKE_COOKIE_VALUE "\"") != NULL;
        g_assert_true(has_cookie == (i >= 2));
    }
    /* RetrieveServiceContent with a conservative version, then the server's */
    g_assert_nonnull(strstr(fake_request_at(s, 0)->head, "SOAPAction: \"urn:vim25/5.0\""));
    g_assert_nonnull(strstr(fake_request_at(s, 1)->head, "SOAPAction: \"urn:vim25/6.5\""));
    g_assert_nonnull(strstr(fake_request_at(s, 1)->body, "<userName>root</userName>"
                                                         "<password>p&amp;ss&lt;w&gt;rd</password>"));
    g_assert_nonnull(strstr(fake_request_at(s, 3)->body, "<Logout xmlns=\"urn:vim25\">"));
}

static void
test_relogin_after_fault(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    fake_server_push(s, 200, NULL, FAKE_LOGIN_OK);
    fake_server_push(s, 200, NULL, FAKE_CURRENT_TIME);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(t);
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 5);
    g_assert_nonnull(strstr(fake_request_at(s, 3)->body, "<Login "));
    g_assert_nonnull(strstr(fake_request_at(s, 4)->body, "<CurrentTime "));

    /* a second NotAuthenticated right after the re-login is reported, not looped */
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    fake_server_push(s, 200, NULL, FAKE_LOGIN_OK);
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    g_autoptr(vi_value) t2 = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_null(t2);
    g_assert_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED);
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 8);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
}

static void
test_empty_pages(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    for (int i = 1; i <= 5; i++) {
        g_autofree char *empty_page = g_strdup_printf(EMPTY_PAGE, i);
        fake_server_push(s, 200, NULL, empty_page);
    }
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) r = vi_collector_retrieve(c, &spec, &error);
    g_assert_null(r);
    g_assert_error(error, VI_ERROR, VI_ERROR_PARSE);
    g_assert_nonnull(strstr(error->message, "empty result pages"));
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 2 + 3);
    /* the traversal from the root folder, all properties, maxObjects 1000 */
    const char *body = fake_request_at(s, 2)->body;
    g_assert_nonnull(strstr(body, "<obj type=\"Folder\">ha-folder-root</obj>"));
    g_assert_nonnull(strstr(body, "<all>true</all>"));
    g_assert_nonnull(strstr(body, "<maxObjects>1000</maxObjects>"));
    g_assert_nonnull(strstr(fake_request_at(s, 3)->body, "<token>t1</token>"));
}

/* A redirect is not followed, and the error shows where it points (escaped,
 * a long Location shortened after the reason); the connection serves the
 * next call. */
static void
test_redirect(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    fake_server_push(s, 302, "Location: https://vc2.example.com/sdk\r\n", "");
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_null(t);
    g_assert_error(error, VI_ERROR, VI_ERROR_HTTP);
    g_test_message("%s", error->message);
    g_assert_nonnull(strstr(error->message, "was redirected (HTTP 302), which is not followed: the server points at "
                                            "https://vc2.example.com/sdk; if that is the vSphere server"));
    g_clear_error(&error);

    g_autoptr(GString) far = g_string_new("Location: https://example.com/");
    for (int i = 0; i < 300; i++)
        g_string_append(far, "abc");
    g_string_append(far, "\r\n");
    fake_server_push(s, 301, far->str, "");
    g_autoptr(vi_value) t2 = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_null(t2);
    g_assert_nonnull(strstr(error->message, "abc...; if that is the vSphere server"));
    g_assert_cmpuint(strlen(error->message), <, 512);
    g_clear_error(&error);

    fake_server_push(s, 200, NULL, FAKE_CURRENT_TIME);
    g_autoptr(vi_value) t3 = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_no_error(error);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
}

/* The session is lost and the password changed meanwhile: the one
 * re-login fails, and the call ends with the login error after two round
 * trips (the call, Login), not a loop. */
static void
test_relogin_password_changed(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "old-secret");
    guint before = vi_conn_round_trips(c);
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    fake_server_push(s, 500, NULL,
                     FAKE_FAULT("InvalidLogin", "Cannot complete login due to an incorrect user name or password."));
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_null(t);
    g_assert_error(error, VI_ERROR, VI_ERROR_LOGIN);
    g_test_message("%s", error->message);
    g_assert_nonnull(strstr(error->message, "incorrect user name or password"));
    g_assert_cmpuint(vi_conn_round_trips(c) - before, ==, 2);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/protocol/headers-and-cookie", test_headers_and_cookie);
    g_test_add_func("/vi/protocol/relogin-after-fault", test_relogin_after_fault);
    g_test_add_func("/vi/protocol/empty-pages", test_empty_pages);
    g_test_add_func("/vi/protocol/redirect", test_redirect);
    g_test_add_func("/vi/protocol/relogin-password-changed", test_relogin_password_changed);
    return vi_test_run();
}
