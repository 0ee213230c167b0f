/* vi/'s log callback, against the scripted loopback server: one debug line
 * per SOAP call naming the method, endpoint, status, size and time; an info
 * line for a transparent re-login; bodies only when asked, with passwords
 * and session keys masked; never the session cookie; control characters
 * from the server escaped. Suite: unit (loopback only). */
#include <string.h>

#include "vi/vi-private.h"
#include "vi-test-util.h"
#include "fake-soap.h"

#define PASSWORD "Sup3r-s3cret"

typedef struct {
    GPtrArray *lines; /* char *, "L<level> message" */
} log_capture;

static void
capture(vi_log_level level, const char *message, gpointer user_data)
{
    log_capture *cap = user_data;
    g_ptr_array_add(cap->lines, g_strdup_printf("L%d %s", (int)level, message));
}

static char *
joined(const log_capture *cap)
{
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < cap->lines->len; i++)
        g_string_append_printf(all, "%s\n", (char *)cap->lines->pdata[i]);
    return g_string_free(all, FALSE);
}

/* Every line is one line of printable text without any secret. */
static void
assert_clean(const log_capture *cap)
{
    for (guint i = 0; i < cap->lines->len; i++) {
        const char *l = cap->lines->pdata[i];
        for (const char *p = l; *p; p++)
            g_assert_true((guchar)*p >= 0x20 && *p != 0x7f);
        g_assert_null(strstr(l, PASSWORD));
        g_assert_null(strstr(l, FAKE_SESSION_KEY));
        g_assert_null(strstr(l, FAKE_COOKIE_VALUE));
        g_assert_null(strstr(l, "vmware_soap_session"));
    }
}

static guint
count_prefix(const log_capture *cap, const char *prefix)
{
    guint n = 0;
    for (guint i = 0; i < cap->lines->len; i++)
        n += g_str_has_prefix(cap->lines->pdata[i], prefix);
    return n;
}

static vi_conn *
connect_logged(fake_server *s, log_capture *cap, gboolean bodies)
{
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.log = capture;
    o.log_user_data = cap;
    o.log_bodies = bodies;
    return fake_connect(s, &o, PASSWORD);
}

static void
test_one_line_per_call(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 200, NULL, FAKE_CURRENT_TIME);
    fake_server_push(s, 500, NULL, FAKE_NOT_AUTHENTICATED);
    fake_server_push(s, 200, "Set-Cookie: vmware_soap_session=\"" FAKE_COOKIE_VALUE "\"\r\n", FAKE_LOGIN_OK);
    fake_server_push(s, 200, NULL, FAKE_CURRENT_TIME);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    log_capture cap = { g_ptr_array_new_with_free_func(g_free) };
    g_autoptr(vi_conn) c = connect_logged(s, &cap, FALSE);
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    for (int i = 0; i < 2; i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &si, NULL, &error);
        g_assert_no_error(error);
        g_assert_nonnull(t);
    }
    g_clear_pointer(&c, vi_conn_free);

    g_autofree char *all = joined(&cap);
    g_test_message("log:\n%s", all);
    const char *url = fake_server_url(s);
    g_autofree char *ep = g_strndup(url + 7, strchr(url + 7, '/') - (url + 7));
    g_autofree char *rsc = g_strdup_printf("L%d RetrieveServiceContent on %s: HTTP 200, ", VI_LOG_DEBUG, ep);
    g_autofree char *fault = g_strdup_printf("L%d CurrentTime on %s: HTTP 500, ", VI_LOG_DEBUG, ep);
    g_autofree char *relogin = g_strdup_printf("L%d Session on %s had expired; logged in again as "
                                               "root",
                                               VI_LOG_INFO, ep);
    g_assert_cmpuint(count_prefix(&cap, rsc), ==, 1);
    g_assert_cmpuint(count_prefix(&cap, fault), ==, 1);
    g_assert_cmpuint(count_prefix(&cap, relogin), ==, 1);
    /* RetrieveServiceContent, Login, CurrentTime, CurrentTime (fault), Login,
     * CurrentTime, Logout: one debug line each, with size and time */
    g_autofree char *debug = g_strdup_printf("L%d ", VI_LOG_DEBUG);
    g_assert_cmpuint(count_prefix(&cap, debug), ==, 7);
    for (guint i = 0; i < cap.lines->len; i++) {
        const char *l = cap.lines->pdata[i];
        if (g_str_has_prefix(l, debug))
            g_assert_true(g_regex_match_simple("^L[0-9] [A-Za-z]+ on 127\\.0\\.0\\.1:[0-9]+: HTTP [0-9]+, "
                                               "[0-9]+ bytes in [0-9.]+ ms$",
                                               l, 0, 0));
    }
    g_autofree char *login = g_strdup_printf("L%d Login on %s: HTTP 200", VI_LOG_DEBUG, ep);
    g_autofree char *logout = g_strdup_printf("L%d Logout on %s: HTTP 200", VI_LOG_DEBUG, ep);
    g_assert_cmpuint(count_prefix(&cap, login), ==, 2);
    g_assert_cmpuint(count_prefix(&cap, logout), ==, 1);
    assert_clean(&cap);
    g_ptr_array_free(cap.lines, TRUE);
}

static void
test_bodies_masked(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    log_capture cap = { g_ptr_array_new_with_free_func(g_free) };
    g_autoptr(vi_conn) c = connect_logged(s, &cap, TRUE);
    g_clear_pointer(&c, vi_conn_free);
    g_autofree char *all = joined(&cap);
    g_test_message("log:\n%s", all);
    g_assert_nonnull(strstr(all, "-> Login "));
    g_assert_nonnull(strstr(all, "<userName>root</userName><password>***</password>"));
    g_assert_nonnull(strstr(all, "<- Login "));
    g_assert_nonnull(strstr(all, "<returnval><key>***</key><userName>root</userName>"));
    assert_clean(&cap);
    g_ptr_array_free(cap.lines, TRUE);
}

static void
test_server_text_escaped(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    fake_server_push(s, 500, NULL, FAKE_FAULT("NotImplemented", "line one\r\nline\x1b[2J two\x7f"));
    log_capture cap = { g_ptr_array_new_with_free_func(g_free) };
    g_autoptr(vi_conn) c = connect_logged(s, &cap, TRUE);
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) t = vi_call(c, "CurrentTime", &si, NULL, &error);
    g_assert_null(t);
    g_assert_nonnull(error); /* ESC is not even XML: what matters is the log */
    g_autofree char *all = joined(&cap);
    g_assert_nonnull(strstr(all, "line one\\x0d\\x0aline\\x1b[2J two\\x7f"));
    assert_clean(&cap);
    fake_server_push(s, 200, NULL, FAKE_LOGOUT_OK);
    /* the logout logs too: close before the capture goes */
    g_clear_pointer(&c, vi_conn_free);
    g_ptr_array_free(cap.lines, TRUE);
}

static void
test_redact(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "<password>p</password>", "<password>***</password>" },
        { "<vim25:password xsi:type=\"xsd:string\">p&amp;q</vim25:password>",
          "<vim25:password xsi:type=\"xsd:string\">***</vim25:password>" },
        { "<ChangePassword><oldPassword>a</oldPassword><newPassword>b</newPassword></ChangePassword>",
          "<ChangePassword><oldPassword>***</oldPassword><newPassword>***</newPassword></ChangePassword>" },
        { "<sessionID>52a1</sessionID><userName>root</userName>",
          "<sessionID>***</sessionID><userName>root</userName>" },
        { "<key>52a1</key><keyId>7</keyId><password/>", "<key>***</key><keyId>7</keyId><password/>" },
        { "<password>unterminated", "<password>***" },
        { "<?xml version=\"1.0\"?><!-- <password> --><a>x</a>", "<?xml version=\"1.0\"?><!-- <password> --><a>x</a>" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *out = vi_log_redact(cases[i].in);
        g_assert_cmpstr(out, ==, cases[i].out);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/log/one-line-per-call", test_one_line_per_call);
    g_test_add_func("/vi/log/bodies-masked", test_bodies_masked);
    g_test_add_func("/vi/log/server-text-escaped", test_server_text_escaped);
    g_test_add_func("/vi/log/redact", test_redact);
    return vi_test_run();
}
