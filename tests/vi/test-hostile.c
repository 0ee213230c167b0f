/* A hostile server (the scripted loopback server, fake-server.c, streaming
 * what it sends so that the test holds none of it): each case ends with an
 * error naming the limit it hit, and the test measures what the case cost
 * (peak RSS of a subprocess of its own, wall time) against that limit.
 * Suite: unit. */
#include <string.h>
#include <zlib.h>

#include "vi/vi.h"
#include "fake-soap.h"
#include "../test-cost.h"

#define MiB ((gsize)1024 * 1024)

/* What vi/'s defaults allow a response (vi-conn.h): its bytes and its tree. */
#define DEFAULT_MAX_RESPONSE (256 * MiB)
#define DEFAULT_MAX_TREE     (256 * MiB)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define CASE_DEADLINE_US (300 * G_USEC_PER_SEC)

/* A body of many tiny elements under a RetrieveServiceContent response:
 * TOTAL bytes of "<a/>", gzip-compressed on the wire when GZIP. */
typedef struct {
    gsize total;
    gboolean gzip;
    gsize wire; /* bytes sent, written by the server's thread */
} elements_body;

#define BODY_HEAD                                                                                             \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/" \
    "soap/envelope/\"><soapenv:Body><RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval>"
#define BODY_TAIL "</returnval></RetrieveServiceContentResponse></soapenv:Body></soapenv:Envelope>"

/* Sends LEN bytes of DATA, deflated through Z when it is not NULL (FINISH:
 * the last piece). FALSE once the client has gone. */
static gboolean
send_piece(fake_server *s, int fd, z_stream *z, const char *data, gsize len, gboolean finish, elements_body *b)
{
    if (!z) {
        b->wire += len;
        return fake_stream_send(s, fd, data, len);
    }
    static unsigned char out[65536];
    z->next_in = (unsigned char *)data;
    z->avail_in = (uInt)len;
    int rc;
    do {
        z->next_out = out;
        z->avail_out = sizeof out;
        rc = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
        gsize n = sizeof out - z->avail_out;
        b->wire += n;
        if (n && !fake_stream_send(s, fd, out, n))
            return FALSE;
    } while (z->avail_out == 0 || (finish && rc != Z_STREAM_END));
    return TRUE;
}

static void
stream_elements(fake_server *s, int fd, gpointer data)
{
    elements_body *b = data;
    z_stream zs = { 0 };
    z_stream *z = NULL;
    if (b->gzip) {
        g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
        z = &zs;
    }
    g_autofree char *chunk = g_malloc(65536);
    for (gsize i = 0; i < 65536; i += 4)
        memcpy(chunk + i, "<a/>", 4);
    gboolean ok = send_piece(s, fd, z, BODY_HEAD, strlen(BODY_HEAD), FALSE, b);
    for (gsize sent = 0; ok && sent < b->total; sent += 65536)
        ok = send_piece(s, fd, z, chunk, MIN((gsize)65536, b->total - sent), FALSE, b);
    if (ok)
        send_piece(s, fd, z, BODY_TAIL, strlen(BODY_TAIL), TRUE, b);
    if (z)
        deflateEnd(z);
}

static gboolean
retrieve_service_content(vi_conn *c, GError **error)
{
    return vi_conn_retrieve_service_content(c, error);
}

/* What a case expects: CALL (default RetrieveServiceContent) on a
 * connection with OPTS (NULL: vi/'s defaults) fails with CODE and a message
 * holding SAYS, and the process's peak RSS grows by at most MAX_RSS, its CPU
 * time by at most MAX_CPU seconds (0: not bounded). */
typedef struct {
    const char *what;
    int code;
    const char *says;
    gsize max_rss;
    double max_cpu;
    double max_secs; /* wall time, 0: not bounded */
    const vi_conn_options *opts;
    gboolean (*call)(vi_conn *c, GError **error);
} expectation;

/* Runs E against S, prints what it saw and cost, and fails unless it is E. */
static void
expect_refused(fake_server *s, const expectation *e)
{
    g_autoptr(vi_conn) c = fake_conn_new(s, e->opts);
    g_autoptr(GError) error = NULL;
    gsize rss_before = test_peak_rss();
    double cpu_before = test_cpu_seconds();
    gint64 start = g_get_monotonic_time();
    gboolean ok = (e->call ? e->call : retrieve_service_content)(c, &error);
    double secs = (g_get_monotonic_time() - start) / 1e6;
    double cpu = test_cpu_seconds() - cpu_before;
    g_clear_pointer(&c, vi_conn_free);
    gsize rss = test_peak_rss();
    g_print("# %s: %s; %.1f s (%.1f s CPU), peak RSS %zu MiB (%zu before)\n", e->what,
            error ? error->message : "accepted", secs, cpu, rss / MiB, rss_before / MiB);
    if (ok || !g_error_matches(error, VI_ERROR, e->code) || !strstr(error->message, e->says))
        g_error("%s: expected error code %d saying '%s', got %s", e->what, e->code, e->says,
                error ? error->message : "success");
    if (e->max_secs && secs > e->max_secs)
        g_error("%s: took %.1f s, more than %.1f s", e->what, secs, e->max_secs);
    if (e->max_cpu && cpu > e->max_cpu)
        g_error("%s: %.1f s of CPU, more than %.1f s", e->what, cpu, e->max_cpu);
#ifndef UNDER_ASAN
    if (rss > rss_before + e->max_rss)
        g_error("%s: peak RSS %zu MiB, more than %zu MiB over the %zu MiB before", e->what, rss / MiB, e->max_rss / MiB,
                rss_before / MiB);
#endif
}

/* expect_refused() against a server streaming B. */
static void
expect_elements_refused(elements_body *b, const expectation *e)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_server_push_stream(s, b->gzip ? "Content-Encoding: gzip\r\n" : NULL, stream_elements, b);
    expect_refused(s, e);
    g_clear_pointer(&s, fake_server_free);
    g_print("# %s: %zu bytes of XML, %zu on the wire\n", e->what, b->total, b->wire);
}

/* Runs the case BODY (a void (*)(void)) in a subprocess of its own, so that
 * its peak RSS is its own, within a generous deadline (cases take seconds). */
static void
isolated(gconstpointer body)
{
    if (g_test_subprocess()) {
        ((void (*)(void))body)();
        return;
    }
    g_test_trap_subprocess(NULL, CASE_DEADLINE_US, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

/* 200 MB of "<a/>" (50 million elements; 5.2 GB and 22 s before the tree
 * budget): within the byte cap, refused by the tree budget. At most the body
 * and the budget are ever held, plus slack for libxml2 and the heap. */
static void
tiny_elements(void)
{
    elements_body b = { 200 * 1000 * 1000, FALSE, 0 };
    expectation e = { .what = "200 MB of <a/>",
                      .code = VI_ERROR_TOO_LARGE,
                      .says = "max_tree_bytes",
                      .max_rss = DEFAULT_MAX_RESPONSE + DEFAULT_MAX_TREE + 64 * MiB };
    expect_elements_refused(&b, &e);
}

/* About 245 KB of gzip decoding to 250 MB of "<a/>" (6.6 GB before): under
 * the byte cap once decompressed, refused by the tree budget. */
static void
gzip_tree(void)
{
    elements_body b = { 250 * 1000 * 1000, TRUE, 0 };
    expectation e = { .what = "gzip bomb, 250 MB of <a/>",
                      .code = VI_ERROR_TOO_LARGE,
                      .says = "max_tree_bytes",
                      .max_rss = DEFAULT_MAX_RESPONSE + DEFAULT_MAX_TREE + 64 * MiB };
    expect_elements_refused(&b, &e);
    g_assert_cmpuint(b.wire, <, 1 * MiB);
}

/* gzip decoding to 600 MB: cut off at the byte cap, which counts the
 * decompressed bytes; nothing is parsed. */
static void
gzip_size(void)
{
    elements_body b = { 600 * 1000 * 1000, TRUE, 0 };
    expectation e = { .what = "gzip bomb, 600 MB",
                      .code = VI_ERROR_TOO_LARGE,
                      .says = "once decompressed (max_response_bytes)",
                      .max_rss = DEFAULT_MAX_RESPONSE + 64 * MiB };
    expect_elements_refused(&b, &e);
}

/* One element with 100,000 attributes (1.1 MB): about two minutes of CPU in
 * libxml2 2.9.14's duplicate-attribute check before it was refused
 * unparsed. 10 s of CPU is a deadline, not a measure: it takes milliseconds. */
static void
many_attributes(void)
{
    g_autoptr(GString) body = g_string_new(BODY_HEAD "<about");
    for (guint i = 0; i < 100000; i++)
        g_string_append_printf(body, " a%u=\"\"", i);
    g_string_append(body, "/>" BODY_TAIL);
    g_autoptr(fake_server) s = fake_server_new();
    fake_server_push(s, 200, NULL, body->str);
    expectation e = { .what = "100,000 attributes",
                      .code = VI_ERROR_PARSE,
                      .says = "line 1: element <about> has more than 64 attributes",
                      .max_rss = 64 * MiB,
                      .max_cpu = 10.0 };
    expect_refused(s, &e);
}

/* expect_refused() with VI_ERROR_TIMEOUT saying SAYS, against a server
 * whose response STREAM (with DATA) writes, on a connection with O. 60 s
 * is a deadline, not a measure. */
static void
expect_timeout(fake_stream_func stream, gpointer data, const vi_conn_options *o, const char *what, const char *says)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_server_push_stream(s, NULL, stream, data);
    expectation e = {
        .what = what, .code = VI_ERROR_TIMEOUT, .says = says, .max_rss = 64 * MiB, .max_secs = 60, .opts = o
    };
    expect_refused(s, &e);
}

/* A byte a second held a request for the whole request timeout (300 s):
 * a stall timeout of 2 s, set through the option, cuts it off. */
static void
dripping_server(void)
{
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.stall_timeout_ms = 2000;
    expect_timeout(fake_stream_drip, (gpointer)BODY_HEAD, &o, "a byte a second, stall_timeout 2 s",
                   "stalled: fewer than 100 bytes a second for 2 s (the limit stall_timeout)");
}

/* Sends whitespace after BODY_HEAD, 1 KB every 100 ms (far above the stall
 * speed), until the client goes (or ten minutes). */
static void
trickle(fake_server *s, int fd, gpointer data)
{
    char spaces[1024];
    memset(spaces, ' ', sizeof spaces);
    if (!fake_stream_send(s, fd, BODY_HEAD, strlen(BODY_HEAD)))
        return;
    for (int i = 0; i < 6000 && fake_stream_send(s, fd, spaces, sizeof spaces); i++)
        g_usleep(G_USEC_PER_SEC / 10);
}

/* A server that keeps sending, fast enough not to stall, never finishes:
 * the request timeout (2 s here, 300 s by default) ends the request. */
static void
endless_response(void)
{
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    o.request_timeout_ms = 2000;
    expect_timeout(trickle, NULL, &o, "10 KB/s without end, request_timeout 2 s",
                   "no whole response within 2.0 s (the limit request_timeout)");
}

/* A page of RetrievePropertiesEx (FIRST) or its continuation holding N
 * objects and TOKEN. */
static char *
page(gboolean first, guint n, const char *token)
{
    const char *method = first ? "RetrievePropertiesExResponse" : "ContinueRetrievePropertiesExResponse";
    const char *envelope = FAKE_ENVELOPE("");
    const char *tail = strstr(envelope, "</soapenv:Body>");
    g_autoptr(GString) b = g_string_new_len(envelope, tail - envelope);
    g_string_append_printf(b, "<%s xmlns=\"urn:vim25\"><returnval><token>%s</token>", method, token);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(b, "<objects><obj type=\"VirtualMachine\">vm-%s-%u</obj></objects>", token, i);
    g_string_append_printf(b, "</returnval></%s>%s", method, tail);
    return g_string_free(g_steal_pointer(&b), FALSE);
}

static guint64 paging_max_objects;

static gboolean
retrieve_vms(vi_conn *c, GError **error)
{
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = "VirtualMachine";
    spec.max_objects = paging_max_objects;
    g_autoptr(GPtrArray) all = vi_collector_retrieve(c, &spec, error);
    return all != NULL;
}

/* A server that sends non-empty pages with the same token forever: the
 * walk stops at the first repeat and cancels the retrieval. */
static void
repeated_token(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    g_autofree char *first = page(TRUE, 2, "t1");
    g_autofree char *again = page(FALSE, 2, "t1");
    fake_server_push(s, 200, NULL, first);
    for (int i = 0; i < 100; i++)
        fake_server_push(s, 200, NULL, again);
    vi_conn_options o = VI_CONN_OPTIONS_INIT;
    g_autoptr(vi_conn) c = fake_connect(s, &o, "secret");
    g_autoptr(GError) error = NULL;
    g_assert_false(retrieve_vms(c, &error));
    g_print("# the same token again: %s\n", error->message);
    g_assert_error(error, VI_ERROR, VI_ERROR_PARSE);
    g_assert_nonnull(
        strstr(error->message, "sent the continuation token 't1' twice in one retrieval (after 4 objects)"));
    /* RetrieveServiceContent, Login, RetrievePropertiesEx, Continue (t1 again), Cancel */
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 5);
    g_assert_nonnull(strstr(fake_request_at(s, 4)->body, "<CancelRetrievePropertiesEx"));
}

/* A server that sends pages with ever new tokens: the walk stops past
 * max_objects (10 here; 1,000,000 by default). */
static void
endless_pages(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_push_connect(s);
    for (int i = 0; i < 100; i++) {
        g_autofree char *token = g_strdup_printf("t%d", i);
        g_autofree char *p = page(i == 0, 3, token);
        fake_server_push(s, 200, NULL, p);
    }
    g_autoptr(vi_conn) c = fake_connect(s, NULL, "secret");
    g_autoptr(GError) error = NULL;
    paging_max_objects = 10;
    g_assert_false(retrieve_vms(c, &error));
    g_print("# ever new tokens: %s\n", error->message);
    g_assert_error(error, VI_ERROR, VI_ERROR_TOO_LARGE);
    g_assert_nonnull(strstr(error->message, "more than 10 objects in one retrieval (the limit max_objects)"));
    /* 2 to log in, 4 pages (12 objects), Cancel */
    g_assert_cmpuint(vi_conn_round_trips(c), ==, 7);
}

/* Whether S holds a byte below 0x20, DEL, a C1 control or a bidirectional
 * override / isolate (U+202A-U+202E, U+2066-U+2069) as UTF-8. */
static gboolean
holds_controls(const char *s)
{
    for (const guchar *p = (const guchar *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
            (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
            (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))
            return TRUE;
    }
    return FALSE;
}

/* A fault whose string and type name hold CR, LF, CSI (the C1 control that
 * starts terminal sequences; ESC itself is not allowed in XML) and a
 * right-to-left override cannot forge "error:" lines: the message has them
 * escaped; the accessors keep the server's text. */
static void
forged_fault_lines(void)
{
    g_autoptr(fake_server) s = fake_server_new();
    fake_server_push(s, 500, NULL,
                     FAKE_ENVELOPE("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>denied&#13;\n"
                                   "error: forged\xc2\x9b"
                                   "2K\xe2\x80\xae!</faultstring><detail>"
                                   "<NoPermissionFault xmlns=\"urn:vim25\" xsi:type=\"No&#10;&#13;forged&#x202E;\"/>"
                                   "</detail></soapenv:Fault>"));
    g_autoptr(vi_conn) c = fake_conn_new(s, NULL);
    g_autoptr(GError) error = NULL;
    g_assert_false(vi_conn_retrieve_service_content(c, &error));
    g_print("# forged lines: %s\n", error->message);
    g_assert_error(error, VI_ERROR, VI_ERROR_FAULT);
    if (holds_controls(error->message))
        g_error("the message holds control characters: %s", error->message);
    g_assert_nonnull(strstr(error->message, "denied\\x0d\\x0aerror: forged\\x9b2K\\u202e!"));
    g_assert_nonnull(strstr(error->message, "(No\\x0a\\x0dforged\\u202e)"));
    g_assert_cmpstr(vi_error_fault_name(error), ==, "No\n\rforged\xe2\x80\xae");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/vi/hostile/memory/tiny-elements", tiny_elements, isolated);
    g_test_add_data_func("/vi/hostile/memory/gzip-tree", gzip_tree, isolated);
    g_test_add_data_func("/vi/hostile/memory/gzip-size", gzip_size, isolated);
    g_test_add_data_func("/vi/hostile/cpu/many-attributes", many_attributes, isolated);
    g_test_add_data_func("/vi/hostile/time/dripping-server", dripping_server, isolated);
    g_test_add_data_func("/vi/hostile/time/endless-response", endless_response, isolated);
    g_test_add_func("/vi/hostile/time/repeated-token", repeated_token);
    g_test_add_func("/vi/hostile/time/endless-pages", endless_pages);
    g_test_add_func("/vi/hostile/output/forged-fault-lines", forged_fault_lines);
    return vi_test_run();
}
