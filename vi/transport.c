/* HTTP transport on libcurl: a pool of easy handles per connection, so that
 * several threads can have requests in flight at once. Each pooled handle
 * keeps its own persistent connection; DNS and TLS sessions are shared
 * through a CURLSH. Cookies (the session) are kept here, not in curl's cookie
 * engine: libcurl does not support sharing cookies or connections between
 * concurrent threads. */
#include <pthread.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vi/vi-private.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 30000
#define DEFAULT_MAX_RESPONSE       (256u * 1024 * 1024)
#define DEFAULT_MAX_HANDLES        16
#define DEFAULT_REQUEST_TIMEOUT_MS (300 * 1000)
#define DEFAULT_STALL_TIMEOUT_MS   (60 * 1000)
/* A transfer slower than this for the stall timeout is cut off: a server
 * that drips a byte a second is as stuck as a silent one. */
#define STALL_MIN_BYTES_PER_S      100

struct vi_transport {
    char *url;
    char *endpoint; /* host:port for messages */
    char *ca_file;
    char *proxy; /* curl proxy URL, NULL = none (and no env proxies) */
    char *user_agent;
    gboolean no_verify;
    long connect_timeout_ms;
    long request_timeout_ms;
    long stall_timeout_ms;
    gsize max_response;
    gsize max_tree;
    guint max_handles;
    vi_log_sink log;

    /* pthread mutexes rather than GMutex: glib's are futexes that thread
     * sanitizers cannot see, which hides real races behind false ones */
    CURLSH *share;
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t pool_lock;
    GPtrArray *pool; /* idle CURL * */
    pthread_mutex_t cookie_lock;
    GHashTable *cookies; /* name -> value, as the server set them */
    guint64 round_trips; /* atomic */
};

static void
share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *user)
{
    vi_transport *t = user;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&t->share_locks[data]);
}

static void
share_unlock(CURL *h, curl_lock_data data, void *user)
{
    vi_transport *t = user;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&t->share_locks[data]);
}

gboolean
vi_proxy_parse(const char *proxy, char **curl_url_out, vi_proxy_type *type_out, GError **error)
{
    static const struct {
        const char *name;
        vi_proxy_type type;
        const char *scheme;
    } kinds[] = {
        { "http", VI_PROXY_HTTP, "http" },        { "socks", VI_PROXY_SOCKS5, "socks5h" },
        { "socks4", VI_PROXY_SOCKS4, "socks4" },  { "socks4a", VI_PROXY_SOCKS4A, "socks4a" },
        { "socks5", VI_PROXY_SOCKS5, "socks5h" },
    };
    if (!proxy || !*proxy) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Empty proxy; expected [type://]host[:port]");
        return FALSE;
    }
    const char *rest = proxy;
    gsize k = 0;
    const char *sep = strstr(proxy, "://");
    if (sep) {
        g_autofree char *type = g_strndup(proxy, sep - proxy);
        gboolean found = FALSE;
        for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++)
            if (g_ascii_strcasecmp(kinds[i].name, type) == 0) {
                k = i;
                found = TRUE;
            }
        if (!found) {
            g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                        "Unknown proxy type '%s' in '%s'; use http, socks, socks4, socks4a or socks5", type, proxy);
            return FALSE;
        }
        rest = sep + 3;
    }
    /* host: name, IPv4 or [IPv6]; then optional :port; nothing else */
    g_autofree char *host = NULL;
    const char *after;
    if (rest[0] == '[') {
        const char *close = strchr(rest, ']');
        if (!close || close == rest + 1) {
            g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                        "Proxy '%s': unterminated IPv6 address (expected [addr]:port)", proxy);
            return FALSE;
        }
        host = g_strndup(rest, close - rest + 1);
        after = close + 1;
    } else {
        gsize n = strcspn(rest, ":/?#@");
        host = g_strndup(rest, n);
        after = rest + n;
    }
    if (!*host) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Proxy '%s' has no host name", proxy);
        return FALSE;
    }
    guint64 port = 1080;
    if (*after == ':') {
        if (!g_ascii_string_to_unsigned(after + 1, 10, 1, 65535, &port, NULL)) {
            g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                        "Proxy '%s': port '%s' is not a number between 1 and 65535", proxy, after + 1);
            return FALSE;
        }
    } else if (*after) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Proxy '%s': unexpected '%s'; expected [type://]host[:port]",
                    proxy, after);
        return FALSE;
    }
    if (curl_url_out)
        *curl_url_out = g_strdup_printf("%s://%s:%u", kinds[k].scheme, host, (guint)port);
    if (type_out)
        *type_out = kinds[k].type;
    return TRUE;
}

static gboolean
parse_url(vi_transport *t, const char *url, GError **error)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *scheme = NULL;
    gboolean ok = FALSE;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Invalid server URL '%s' (expected e.g. https://host/sdk)",
                    url);
    } else if (g_ascii_strcasecmp(scheme, "http") != 0 && g_ascii_strcasecmp(scheme, "https") != 0) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Server URL '%s' must use http or https, not '%s'", url,
                    scheme);
    } else {
        t->endpoint = g_strdup_printf("%s:%s", host, port);
        ok = TRUE;
    }
    curl_free(host);
    curl_free(port);
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

vi_transport *
vi_transport_new(const vi_conn_options *opts, GError **error)
{
    if (!vi_global_is_initialised()) {
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_INITIALISED,
                    "vi/ is not initialised: call vi_global_init() before vi_conn_new()");
        return NULL;
    }
    if (!opts || opts->struct_size < sizeof(vi_conn_options) || !opts->url) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "vi_conn_new: options missing (use VI_CONN_OPTIONS_INIT and set .url)");
        return NULL;
    }
    vi_transport *t = g_new0(vi_transport, 1);
    t->url = g_strdup(opts->url);
    if (!parse_url(t, opts->url, error)) {
        vi_transport_free(t);
        return NULL;
    }
    if (opts->proxy && !vi_proxy_parse(opts->proxy, &t->proxy, NULL, error)) {
        vi_transport_free(t);
        return NULL;
    }
    if (opts->ca_file && !g_file_test(opts->ca_file, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "CA file '%s' does not exist or is not a regular file",
                    opts->ca_file);
        vi_transport_free(t);
        return NULL;
    }
    if (opts->ca_file && access(opts->ca_file, R_OK) != 0) {
        /* curl would only say "error setting certificate file" at the first
         * request: name the cause and the fix now */
        int e = errno;
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "CA file '%s' cannot be read (%s): make it readable to this user (chmod a+r), or give a copy "
                    "that is (ca_file)",
                    opts->ca_file, g_strerror(e));
        vi_transport_free(t);
        return NULL;
    }
    t->ca_file = g_strdup(opts->ca_file);
    t->no_verify = opts->no_verify;
    t->user_agent = g_strdup(opts->user_agent ? opts->user_agent : "hvd-esx-vi/0.1");
    t->connect_timeout_ms = opts->connect_timeout_ms ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
    t->request_timeout_ms = opts->request_timeout_ms ? opts->request_timeout_ms : DEFAULT_REQUEST_TIMEOUT_MS;
    t->stall_timeout_ms = opts->stall_timeout_ms ? opts->stall_timeout_ms : DEFAULT_STALL_TIMEOUT_MS;
    t->max_response = opts->max_response_bytes ? opts->max_response_bytes : DEFAULT_MAX_RESPONSE;
    t->max_tree = opts->max_tree_bytes ? opts->max_tree_bytes : VI_DEFAULT_MAX_TREE;
    t->max_handles = opts->max_handles ? opts->max_handles : DEFAULT_MAX_HANDLES;
    t->log = (vi_log_sink){ opts->log, opts->log_user_data, opts->log_bodies };

    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&t->share_locks[i], NULL);
    pthread_mutex_init(&t->pool_lock, NULL);
    t->pool = g_ptr_array_new();
    pthread_mutex_init(&t->cookie_lock, NULL);
    t->cookies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    t->share = curl_share_init();
    curl_share_setopt(t->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(t->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(t->share, CURLSHOPT_USERDATA, t);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    return t;
}

void
vi_transport_free(vi_transport *t)
{
    if (!t)
        return;
    if (t->pool) {
        for (guint i = 0; i < t->pool->len; i++)
            curl_easy_cleanup(t->pool->pdata[i]);
        g_ptr_array_free(t->pool, TRUE);
    }
    if (t->share) {
        curl_share_cleanup(t->share);
        for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
            pthread_mutex_destroy(&t->share_locks[i]);
        pthread_mutex_destroy(&t->pool_lock);
    }
    if (t->cookies) {
        g_hash_table_destroy(t->cookies);
        pthread_mutex_destroy(&t->cookie_lock);
    }
    g_free(t->url);
    g_free(t->endpoint);
    g_free(t->ca_file);
    g_free(t->proxy);
    g_free(t->user_agent);
    g_free(t);
}

const char *
vi_transport_endpoint(const vi_transport *t)
{
    return t->endpoint;
}

guint64
vi_transport_round_trips(const vi_transport *t)
{
    return __atomic_load_n(&t->round_trips, __ATOMIC_RELAXED);
}

gsize
vi_transport_max_tree(const vi_transport *t)
{
    return t->max_tree;
}

const vi_log_sink *
vi_transport_log(const vi_transport *t)
{
    return &t->log;
}

static CURL *
handle_new(vi_transport *t)
{
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    curl_easy_setopt(h, CURLOPT_SHARE, t->share);
    curl_easy_setopt(h, CURLOPT_URL, t->url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, t->user_agent);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    /* curl counts the stall in whole seconds */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, (long)STALL_MIN_BYTES_PER_S);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, MAX(1L, (t->stall_timeout_ms + 999) / 1000));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->max_response);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    /* no environment proxies unless one was given: be explicit */
    curl_easy_setopt(h, CURLOPT_PROXY, t->proxy ? t->proxy : "");
    if (t->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, t->ca_file);
    if (t->no_verify) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return h;
}

static CURL *
handle_get(vi_transport *t)
{
    CURL *h = NULL;
    pthread_mutex_lock(&t->pool_lock);
    if (t->pool->len)
        h = g_ptr_array_steal_index(t->pool, t->pool->len - 1);
    pthread_mutex_unlock(&t->pool_lock);
    return h ? h : handle_new(t);
}

static void
handle_put(vi_transport *t, CURL *h)
{
    pthread_mutex_lock(&t->pool_lock);
    if (t->pool->len < t->max_handles) {
        g_ptr_array_add(t->pool, h);
        h = NULL;
    }
    pthread_mutex_unlock(&t->pool_lock);
    if (h)
        curl_easy_cleanup(h);
}

typedef struct {
    GString *buf;
    gsize max;
    gboolean too_large;
    gboolean encoded; /* Content-Encoding: the cap counts the decoded bytes */
    vi_transport *t;
} sink;

/* Set-Cookie: NAME=VALUE[; attributes]. An empty value or Max-Age=0 drops it. */
static size_t
on_header(char *ptr, size_t size, size_t nmemb, void *data)
{
    sink *s = data;
    gsize n = size * nmemb;
    if (n > 17 && g_ascii_strncasecmp(ptr, "Content-Encoding:", 17) == 0)
        s->encoded = TRUE;
    if (n > 11 && g_ascii_strncasecmp(ptr, "Set-Cookie:", 11) == 0) {
        g_autofree char *line = g_strstrip(g_strndup(ptr + 11, n - 11));
        char *semi = strchr(line, ';');
        g_autofree char *attrs = semi ? g_ascii_strdown(semi, -1) : NULL;
        if (semi)
            *semi = '\0';
        char *eq = strchr(line, '=');
        if (eq && eq != line) {
            *eq = '\0';
            const char *value = eq + 1;
            gboolean drop = !*value || (attrs && strstr(attrs, "max-age=0"));
            pthread_mutex_lock(&s->t->cookie_lock);
            if (drop)
                g_hash_table_remove(s->t->cookies, g_strstrip(line));
            else
                g_hash_table_insert(s->t->cookies, g_strdup(g_strstrip(line)), g_strdup(value));
            pthread_mutex_unlock(&s->t->cookie_lock);
        }
    }
    return n;
}

/* "a=1; b=2" for the Cookie header, or NULL when there is none. */
static char *
cookie_header(vi_transport *t)
{
    pthread_mutex_lock(&t->cookie_lock);
    GString *c = NULL;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, t->cookies);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        if (!c)
            c = g_string_new(NULL);
        else
            g_string_append(c, "; ");
        g_string_append_printf(c, "%s=%s", (char *)k, (char *)v);
    }
    pthread_mutex_unlock(&t->cookie_lock);
    return c ? g_string_free(c, FALSE) : NULL;
}

static size_t
on_write(char *ptr, size_t size, size_t nmemb, void *data)
{
    sink *s = data;
    gsize n = size * nmemb;
    if (s->buf->len + n > s->max) {
        s->too_large = TRUE;
        return 0;
    }
    g_string_append_len(s->buf, ptr, n);
    return n;
}

/* The response goes to S, Set-Cookie headers to the transport, the
 * session's COOKIE goes out, curl's message to ERRBUF; detach_sink() clears
 * what points into the caller's frame before the handle is pooled. */
static void
attach_sink(CURL *h, sink *s, const char *cookie, char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(h, CURLOPT_COOKIE, cookie);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
}

static void
detach_sink(CURL *h)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
    curl_easy_setopt(h, CURLOPT_COOKIE, NULL);
}

/* A request that curl could not complete: the error names the cause and
 * the limit hit; the handle, which may hold a broken connection, and the
 * partial response are dropped. Returns FALSE. */
static gboolean
request_failed(vi_transport *t, CURL *h, const char *method, CURLcode rc, sink *s, char *errbuf, long connect_ms,
               long request_ms, double ms, GError **error)
{
    /* a reused keep-alive connection has no connect time of its own: the
     * request started (pretransfer) means connected too */
    curl_off_t connect_us = 0, pretransfer_us = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
    curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
    vi_curl_failure f = {
        .endpoint = t->endpoint,
        .proxy = t->proxy,
        .ca_file = t->ca_file,
        .max_response = t->max_response,
        .too_large = s->too_large,
        .encoded = s->encoded,
        .errbuf = errbuf,
        .timeout = { connect_ms, request_ms, MAX(1L, (t->stall_timeout_ms + 999) / 1000) * 1000,
                     STALL_MIN_BYTES_PER_S },
        .elapsed_ms = (long)ms,
        .connected = connect_us > 0 || pretransfer_us > 0,
        .no_verify = t->no_verify,
    };
    curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &f.verify_result);
    vi_transport_set_error(error, method, rc, &f);
    curl_easy_cleanup(h);
    g_string_free(s->buf, TRUE);
    return FALSE;
}

/* A 3xx answer: redirects are not followed (the credentials and cookie must
 * not travel to another host unasked), so say where the server points, the
 * Location (escaped, and shortened so the message keeps its reason within
 * the ABI's 1024 bytes). Returns TRUE when CODE was one. */
static gboolean
redirected(const vi_transport *t, CURL *h, const char *what, long code, GError **error)
{
    if (code < 300 || code > 399)
        return FALSE;
    char *location = NULL;
    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location);
    if (location == NULL || *location == '\0') {
        vi_set_error_full(error, VI_ERROR_HTTP, what, NULL, NULL,
                          "%s on %s failed: HTTP status %ld, a redirect without a Location; check the URL path "
                          "(vSphere serves /sdk)",
                          what, t->endpoint, code);
        return TRUE;
    }
    size_t len = strlen(location);
    vi_set_error_full(error, VI_ERROR_HTTP, what, NULL, NULL,
                      "%s on %s was redirected (HTTP %ld), which is not followed: the server points at %.200s%s; if "
                      "that is the vSphere server, put its host, port and transport in the URI",
                      what, t->endpoint, code, location, len > 200 ? "..." : "");
    return TRUE;
}

/* Calls that only read: repeating one cannot change anything on the
 * server. */
static gboolean
is_read_only(const char *method)
{
    static const char *const exact[] = { "CurrentTime",    "SessionIsActive", "WaitForUpdatesEx",
                                         "WaitForUpdates", "CheckForUpdates", NULL };
    if (method == NULL)
        return FALSE;
    return g_str_has_prefix(method, "Retrieve") || g_str_has_prefix(method, "ContinueRetrieve") ||
           g_str_has_prefix(method, "Find") || g_strv_contains(exact, method);
}

/* The body of a call that changes state, handed to curl through a read
 * callback without a seek callback: when the server drops a reused
 * keep-alive connection without answering, curl would resend a body it
 * can rewind on a new connection by itself, and a call the server had
 * carried out before dropping the connection would run twice. Unable to
 * rewind, curl fails with CURLE_SEND_FAIL_REWIND, reported as such. */
typedef struct {
    const char *data;
    size_t left;
} body_reader;

static size_t
read_body(char *buf, size_t size, size_t n, void *user)
{
    body_reader *r = user;
    size_t len = MIN(size * n, r->left);
    memcpy(buf, r->data, len);
    r->data += len;
    r->left -= len;
    return len;
}

gboolean
vi_transport_post(vi_transport *t, const char *method, const char *action, const GString *body, long timeout_ms,
                  GString **response, long *status, GError **error)
{
    CURL *h = handle_get(t);
    if (!h) {
        g_set_error(error, VI_ERROR, VI_ERROR_FAILED, "Cannot create a curl handle");
        return FALSE;
    }
    g_autofree char *soap_action = g_strdup_printf("SOAPAction: \"%s\"", action);
    struct curl_slist *hdrs = NULL;
    hdrs = curl_slist_append(hdrs, "Content-Type: text/xml; charset=utf-8");
    hdrs = curl_slist_append(hdrs, soap_action);
    hdrs = curl_slist_append(hdrs, "Expect:"); /* no 100-continue round trip */
    char errbuf[CURL_ERROR_SIZE] = "";
    sink s = { g_string_sized_new(4096), t->max_response, FALSE, FALSE, t };
    g_autofree char *cookie = cookie_header(t);

    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    /* read-only calls may be resent by curl on a dropped keep-alive
     * connection (once: it then opens a new one); others never are */
    gboolean read_only = is_read_only(method);
    body_reader reader = { body->str, body->len };
    if (read_only) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->str);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
        curl_easy_setopt(h, CURLOPT_READDATA, &reader);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
    }
    attach_sink(h, &s, cookie, errbuf);
    long request_ms = timeout_ms > 0 ? timeout_ms : t->request_timeout_ms;
    long connect_ms = MIN(request_ms, t->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, request_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);

    if (t->log.func && t->log.bodies) {
        g_autofree char *red = vi_log_redact(body->str);
        vi_log(&t->log, VI_LOG_DEBUG, "-> %s %s", method, red);
    }
    gint64 start = g_get_monotonic_time();
    CURLcode rc = curl_easy_perform(h);
    __atomic_add_fetch(&t->round_trips, 1, __ATOMIC_RELAXED);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    if (!read_only) {
        curl_easy_setopt(h, CURLOPT_READFUNCTION, NULL);
        curl_easy_setopt(h, CURLOPT_READDATA, NULL);
    }
    detach_sink(h);
    curl_slist_free_all(hdrs);
    double ms = (g_get_monotonic_time() - start) / 1000.0;
    if (rc == CURLE_OK)
        vi_log(&t->log, VI_LOG_DEBUG, "%s on %s: HTTP %ld, %zu bytes in %.1f ms", method, t->endpoint, code, s.buf->len,
               ms);
    else
        vi_log(&t->log, VI_LOG_DEBUG, "%s on %s: no response after %.1f ms: %s", method, t->endpoint, ms,
               curl_easy_strerror(rc));
    if (rc != CURLE_OK)
        return request_failed(t, h, method, rc, &s, errbuf, connect_ms, request_ms, ms, error);
    if (redirected(t, h, method, code, error)) {
        handle_put(t, h);
        g_string_free(s.buf, TRUE);
        return FALSE;
    }
    handle_put(t, h);
    if (t->log.func && t->log.bodies) {
        g_autofree char *red = vi_log_redact(s.buf->str);
        vi_log(&t->log, VI_LOG_DEBUG, "<- %s %s", method, red);
    }
    *response = s.buf;
    *status = code;
    return TRUE;
}

/* The endpoint's scheme://host:port, then PATH. */
static char *
endpoint_url(const vi_transport *t, const char *path)
{
    const char *host = strstr(t->url, "://");
    const char *slash = host ? strchr(host + 3, '/') : NULL;
    return g_strdup_printf("%.*s%s", slash ? (int)(slash - t->url) : (int)strlen(t->url), t->url, path);
}

gboolean
vi_transport_get(vi_transport *t, const char *path, GString **response, long *status, GError **error)
{
    g_autofree char *url = endpoint_url(t, path);
    CURL *h = handle_get(t);
    if (!h) {
        g_set_error(error, VI_ERROR, VI_ERROR_FAILED, "Cannot create a curl handle");
        return FALSE;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    sink s = { .buf = g_string_sized_new(4096), .max = t->max_response, .t = t };
    g_autofree char *cookie = cookie_header(t);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    attach_sink(h, &s, cookie, errbuf);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, t->request_timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, t->connect_timeout_ms);
    gint64 start = g_get_monotonic_time();
    CURLcode rc = curl_easy_perform(h);
    __atomic_add_fetch(&t->round_trips, 1, __ATOMIC_RELAXED);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    /* back to what a SOAP call expects of a pooled handle */
    curl_easy_setopt(h, CURLOPT_URL, t->url);
    detach_sink(h);
    double ms = (g_get_monotonic_time() - start) / 1000.0;
    if (rc != CURLE_OK) {
        vi_log(&t->log, VI_LOG_DEBUG, "GET %s on %s: no response after %.1f ms: %s", path, t->endpoint, ms,
               curl_easy_strerror(rc));
        return request_failed(t, h, "GET", rc, &s, errbuf, t->connect_timeout_ms, t->request_timeout_ms, ms, error);
    }
    vi_log(&t->log, VI_LOG_DEBUG, "GET %s on %s: HTTP %ld, %zu bytes in %.1f ms", path, t->endpoint, code, s.buf->len,
           ms);
    if (redirected(t, h, "GET", code, error)) {
        handle_put(t, h);
        g_string_free(s.buf, TRUE);
        return FALSE;
    }
    handle_put(t, h);
    *response = s.buf;
    *status = code;
    return TRUE;
}

/* ---- streamed transfers (datastore files) -------------------------------- */

typedef struct {
    vi_stream_read read;
    vi_stream_write write;
    gpointer user_data;
    gboolean aborted; /* a callback said stop */
    CURL *h;
    gboolean partial; /* a range was asked for: only a 206 answer is data */
    gboolean checked;
} stream_ctx;

static size_t
on_stream_write(char *ptr, size_t size, size_t nmemb, void *data)
{
    stream_ctx *c = data;
    gsize n = size * nmemb;
    if (!c->checked) {
        /* a server that ignores the range would hand the sink the wrong bytes */
        long code = 0;
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
        c->checked = TRUE;
        if (c->partial && code != 206)
            return 0;
    }
    if (!c->write(c->user_data, (const guint8 *)ptr, n)) {
        c->aborted = TRUE;
        return 0;
    }
    return n;
}

static size_t
on_stream_read(char *buf, size_t size, size_t nitems, void *data)
{
    stream_ctx *c = data;
    gssize n = c->read(c->user_data, (guint8 *)buf, size * nitems);
    if (n < 0) {
        c->aborted = TRUE;
        return CURL_READFUNC_ABORT;
    }
    return (size_t)n;
}

gboolean
vi_transport_stream(vi_transport *t, const char *path, const char *range, gint64 put_size, vi_stream_read read,
                    vi_stream_write write, gpointer user_data, long *status, gboolean *aborted, GError **error)
{
    g_autofree char *url = endpoint_url(t, path);
    /* a handle of its own: the pooled ones keep their POST settings */
    CURL *h = handle_new(t);
    if (!h) {
        g_set_error(error, VI_ERROR, VI_ERROR_FAILED, "Cannot create a curl handle");
        return FALSE;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    sink s = { .buf = g_string_new(NULL), .max = 0, .t = t };
    stream_ctx c = { .read = read, .write = write, .user_data = user_data, .h = h, .partial = range != NULL };
    g_autofree char *cookie = cookie_header(t);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
    curl_easy_setopt(h, CURLOPT_COOKIE, cookie);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    /* no overall limit: a transfer takes as long as its size needs; the
     * stall limit still ends one that stops moving */
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, t->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0); /* the caller's sink decides */
    struct curl_slist *hdrs = NULL;
    if (read != NULL) {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, on_stream_read);
        curl_easy_setopt(h, CURLOPT_READDATA, &c);
        if (put_size >= 0)
            curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)put_size);
        hdrs = curl_slist_append(hdrs, "Expect:");
        hdrs = curl_slist_append(hdrs, "Content-Type: application/octet-stream");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_stream_write);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
        if (range != NULL)
            curl_easy_setopt(h, CURLOPT_RANGE, range);
    }
    gint64 start = g_get_monotonic_time();
    CURLcode rc = curl_easy_perform(h);
    __atomic_add_fetch(&t->round_trips, 1, __ATOMIC_RELAXED);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    double ms = (g_get_monotonic_time() - start) / 1000.0;
    curl_slist_free_all(hdrs);
    *aborted = c.aborted;
    gboolean ok = TRUE;
    if (rc == CURLE_HTTP_RETURNED_ERROR) {
        vi_log(&t->log, VI_LOG_DEBUG, "%s %s on %s: HTTP %ld in %.1f ms", read ? "PUT" : "GET", path, t->endpoint, code,
               ms);
        *status = code;
    } else if (rc != CURLE_OK && !c.aborted && !(c.partial && c.checked && code != 206)) {
        ok = request_failed(t, h, read ? "PUT" : "GET", rc, &s, errbuf, t->connect_timeout_ms, 0, ms, error);
        h = NULL; /* request_failed dropped it */
    } else {
        *status = code;
        vi_log(&t->log, VI_LOG_DEBUG, "%s %s on %s: HTTP %ld in %.1f ms%s", read ? "PUT" : "GET", path, t->endpoint,
               code, ms, c.aborted ? " (stopped by the caller)" : "");
    }
    if (h != NULL)
        curl_easy_cleanup(h);
    g_string_free(s.buf, TRUE);
    return ok;
}
