/* The session layer against the scripted loopback server: whether the
 * session is alive on servers without SessionIsActive (one place: vi/, not
 * the driver), copies of the user session, and re-logins that do not make
 * the connection grow. Suite: unit (loopback only). */
#include <malloc.h>
#include <string.h>

#include "vi/vi.h"
#include "vi-test-util.h"
#include "fake-soap.h"

#define CURRENT_SESSION(session)                                                                      \
    FAKE_ENVELOPE("<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"            \
                  "<obj type=\"SessionManager\">ha-sessionmgr</obj>" session "</objects></returnval>" \
                  "</RetrievePropertiesExResponse>")
#define SESSION_ALIVE                                                                                          \
    CURRENT_SESSION("<propSet><name>currentSession</name><val xsi:type=\"UserSession\"><key>" FAKE_SESSION_KEY \
                    "</key><userName>root</userName></val></propSet>")
#define SESSION_GONE CURRENT_SESSION("")

static const vi_moref service_instance = { (char *)"ServiceInstance", (char *)"ServiceInstance" };

/* SessionIsActive answered by FAULT, then currentSession as CURRENT. */
static void
check_fallback(const char *fault, const char *current, gboolean expect_active)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 500, NULL, fault);
    fake_server_push(s, 200, NULL, current);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    g_autoptr(GError) error = NULL;
    gboolean active = !expect_active;
    g_assert_true(vi_session_is_active(c, &active, &error));
    g_assert_no_error(error);
    g_assert_cmpint(active, ==, expect_active);
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 4);
    g_assert_nonnull(
        strstr(fake_request_at(s, 2)->body, "<sessionID>" FAKE_SESSION_KEY "</sessionID><userName>root</userName>"));
    const char *retrieve = fake_request_at(s, 3)->body;
    g_assert_nonnull(strstr(retrieve, "<RetrievePropertiesEx "));
    g_assert_nonnull(strstr(retrieve, "<type>SessionManager</type><pathSet>currentSession</pathSet>"));
    g_assert_nonnull(strstr(retrieve, "<obj type=\"SessionManager\">ha-sessionmgr</obj>"));
}

static void
test_is_active_fallback(void)
{
    /* ESX hosts answer NotImplemented or NotSupported; MethodNotFound for
     * servers without the method; NoPermission for a user who may not ask */
    static const char *const faults[] = {
        FAKE_FAULT("NotImplemented", "not implemented"),
        FAKE_FAULT("NotSupported", "The operation is not supported on the object."),
        FAKE_FAULT("MethodNotFound", "no such method"),
        FAKE_FAULT("NoPermission", "Permission to perform this operation was denied."),
    };
    for (gsize i = 0; i < G_N_ELEMENTS(faults); i++) {
        check_fallback(faults[i], SESSION_ALIVE, TRUE);
        check_fallback(faults[i], SESSION_GONE, FALSE);
    }
}

static void
test_is_active_other_fault(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 500, NULL, FAKE_FAULT("InvalidArgument", "bad"));
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    g_autoptr(GError) error = NULL;
    gboolean active = TRUE;
    /* another fault is an error, not a guess */
    g_assert_false(vi_session_is_active(c, &active, &error));
    g_assert_true(vi_error_is_fault(error, "InvalidArgument"));
    /* NotAuthenticated means "not active", and does not log in again */
    g_clear_error(&error);
    active = TRUE;
    g_assert_true(vi_session_is_active(c, &active, &error));
    g_assert_no_error(error);
    g_assert_false(active);
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 4);
}

static void
test_user_session_copy(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    g_autoptr(GError) error = NULL;
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = fake_server_url(s);
    g_autoptr(vi_conn) c0 = vi_conn_new(&o, &error);
    g_assert_null(vi_conn_dup_user_session(c0));
    fake_push_connect(s);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    g_autoptr(vi_UserSession) a = vi_conn_dup_user_session(c);
    g_autoptr(vi_UserSession) b = vi_conn_dup_user_session(c);
    g_assert_nonnull(a);
    g_assert_true(a != b);
    g_assert_cmpstr(a->key, ==, FAKE_SESSION_KEY);
    g_assert_cmpstr(a->userName, ==, "root");
    g_assert_true(vi_session_logout(c, &error));
    g_assert_null(vi_conn_dup_user_session(c));
    g_assert_cmpstr(a->userName, ==, "root"); /* a copy outlives the session */
}

/* One expiry: the call fails with NotAuthenticated, vi/ logs in again and
 * retries. */
static void
expire_and_call(fake_server *s, vi_conn *c)
{
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    fake_server_push(s, 200, NULL, FAKE_LOGIN_OK);
    fake_server_push(s, 200, NULL, FAKE_CURRENT_TIME);
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &service_instance, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(t);
    fake_server_forget_requests(s);
}

/* Re-logins replace the session: the connection does not keep every
 * session it ever had. Heap in use after warming up, then after 500 more
 * re-logins (each session kept would cost some 300 bytes). */
static void
test_relogin_bounded(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    for (int i = 0; i < 50; i++)
        expire_and_call(s, c);
    size_t before = mallinfo2().uordblks;
    guint64 rt = vi_conn_round_trips(c);
    for (int i = 0; i < 500; i++)
        expire_and_call(s, c);
    size_t after = mallinfo2().uordblks;
    g_assert_cmpuint(vi_conn_round_trips(c) - rt, ==, 3 * 500);
    g_test_message("heap in use: %zu bytes before, %zu after 500 re-logins", before, after);
    g_assert_cmpint((gssize)after - (gssize)before, <, 16 * 1024);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/session/is-active-fallback", test_is_active_fallback);
    g_test_add_func("/vi/session/is-active-other-fault", test_is_active_other_fault);
    g_test_add_func("/vi/session/user-session-copy", test_user_session_copy);
    g_test_add_func("/vi/session/relogin-bounded", test_relogin_bounded);
    return vi_test_run();
}
