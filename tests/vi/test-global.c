/* vi/'s global state has one owner: vi_conn_new() refuses to work before
 * vi_global_init(), and the last vi_global_shutdown() balances every
 * curl_global_init() vi/ made (counted here through the linker's --wrap).
 * valgrind-check.py runs this program under valgrind too, and fails when a
 * block allocated under libcurl is still reachable at exit. Suite: unit. */
#include <string.h>

#include <curl/curl.h>

#include "fake-server.h"
#include "vi/vi.h"
#include "vi-test-util.h"

/* -Wl,--wrap: every call vi/ makes reaches these first */
CURLcode __real_curl_global_init(long flags);
void __real_curl_global_cleanup(void);
CURLcode __wrap_curl_global_init(long flags);
void __wrap_curl_global_cleanup(void);

static int curl_inits, curl_cleanups;

CURLcode
__wrap_curl_global_init(long flags)
{
    curl_inits++;
    return __real_curl_global_init(flags);
}

void
__wrap_curl_global_cleanup(void)
{
    curl_cleanups++;
    __real_curl_global_cleanup();
}

static vi_conn *
conn_to(const char *url, GError **error)
{
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.url = url;
    return vi_conn_new(&o, error);
}

static void
test_not_initialised(void)
{
    g_autoptr(GError) error = NULL;
    g_assert_null(conn_to("http://127.0.0.1:1/sdk", &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_NOT_INITIALISED);
    g_assert_nonnull(strstr(error->message, "vi_global_init()"));
}

static void
test_one_owner(void)
{
    g_autoptr(GError) error = NULL;
    g_assert_true(vi_global_init(&error));
    g_assert_no_error(error);
    /* not reference counted: a second owner is a bug, and says so */
    g_assert_false(vi_global_init(&error));
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "already initialised"));
    vi_global_shutdown();
    vi_global_shutdown(); /* a no-op */
    g_clear_error(&error);
    g_assert_null(conn_to("http://127.0.0.1:1/sdk", &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_NOT_INITIALISED);
    /* init again after the last shutdown */
    g_clear_error(&error);
    g_assert_true(vi_global_init(&error));
    vi_global_shutdown();
}

/* init, a connection that talks to a loopback server, free, shutdown:
 * libcurl's global init is balanced (and, under valgrind, nothing that
 * libcurl allocated is left) */
static void
test_balanced(void)
{
    curl_inits = curl_cleanups = 0;
    g_autoptr(GError) error = NULL;
    g_assert_true(vi_global_init(&error));
    {
        g_autoptr(fake_server) s = fake_server_new();
        gsize len;
        g_autofree char *sc = vi_test_read("vcsim-service-content.xml", &len);
        fake_server_push(s, 200, NULL, sc);
        g_autoptr(vi_conn) c = conn_to(fake_server_url(s), &error);
        g_assert_no_error(error);
        g_assert_true(vi_conn_retrieve_service_content(c, &error));
        g_assert_no_error(error);
    }
    vi_global_shutdown();
    g_assert_cmpint(curl_inits, ==, 1);
    g_assert_cmpint(curl_cleanups, ==, curl_inits);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/global/not-initialised", test_not_initialised);
    g_test_add_func("/vi/global/one-owner", test_one_owner);
    g_test_add_func("/vi/global/balanced", test_balanced);
    return g_test_run();
}
