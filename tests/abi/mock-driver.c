/* mock-driver.c — a small, dependency-free HVD driver for the ABI tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built several times (tests/abi/meson.build):
 *   - against abi/hvd.h: the "current" mock, a well-behaved driver for the
 *     scheme mock:// with three in-memory domains (no network), used to test
 *     the loader and hvd-conformance's live checks offline;
 *   - against abi/frozen/hvd-1.0.h (MOCK_FROZEN): the "old driver" of the
 *     compatibility matrix;
 *   - against the generated hvd-future.h (MOCK_FUTURE): a driver of the
 *     simulated next minor, with an appended hvd_driver member, whose open()
 *     reads the appended hvd_host member when (and only when) the host's
 *     table holds it;
 *     with MOCK_NEEDS_OWN_MINOR it requires that newer host (no overlap);
 *   - with MOCK_ENTRY=name: exports another entry (e.g. a major-2 driver);
 *   - with MOCK_NETWORKS: also a network table (mock-networks.c), networks
 *     defined in memory, for hvd-conformance --write;
 *   - with MOCK_BREAK=n: deliberately breaks one ABI rule, so the tests can
 *     show that hvd-conformance notices (MOCK_BREAK_* in mock-driver.h).
 */
#include "mock-driver.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

int32_t
mock_fail(hvd_error *err, int32_t code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
        /* Members that fit entirely in the caller's struct_size, which the
         * driver never writes (hvd.h, hvd_error). */
#if MOCK_BREAK == MOCK_BREAK_ERRTRUNC
    size_t size = sizeof(hvd_error);
#else
    size_t size = err->struct_size;
#endif
#define FITS(m) (size >= offsetof(hvd_error, m) + sizeof(err->m))
    if (!FITS(code))
        return code;
#if MOCK_BREAK == MOCK_BREAK_ERRCODE
    err->code = HVD_ERR_INTERNAL;
#else
    err->code = code;
#endif
    if (FITS(fault))
        err->fault[0] = '\0';
    if (FITS(message)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
#if MOCK_BREAK == MOCK_BREAK_ERRSIZE
    /* "what I wrote", as the draft contract had it */
    err->struct_size = FITS(message) ? sizeof(hvd_error)
                       : FITS(fault) ? offsetof(hvd_error, message)
                                     : offsetof(hvd_error, fault);
#endif
#undef FITS
    return code;
}

int32_t
mock_check_flags(const char *op, uint32_t flags, uint32_t known, hvd_error *err)
{
#if MOCK_BREAK == MOCK_BREAK_FLAGS
    (void)op, (void)flags, (void)known, (void)err;
    return HVD_OK;
#else
    if ((flags & ~known) == 0)
        return HVD_OK;
    return mock_fail(err, HVD_ERR_BAD_FLAGS, "%s: unsupported flags 0x%x", op, flags & ~known);
#endif
}

char *
mock_dup_out(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

#if MOCK_BREAK == MOCK_BREAK_FOREIGN
__attribute__((unused))
#endif
static void HVD_CALL
mock_free(void *ptr)
{
#if MOCK_BREAK == MOCK_BREAK_FREENULL
    *(volatile char *)ptr = 0;
#endif
    free(ptr);
}

/* ------------------------------------------------------------------------ */
/* Global state: refcounted init                                             */
/* ------------------------------------------------------------------------ */

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned init_refs;

static int32_t HVD_CALL
mock_init(uint32_t flags, hvd_error *err)
{
    int32_t rc = mock_check_flags("init", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    pthread_mutex_lock(&init_lock);
    init_refs++;
    pthread_mutex_unlock(&init_lock);
    return HVD_OK;
}

static void HVD_CALL
mock_shutdown(void)
{
    pthread_mutex_lock(&init_lock);
#if MOCK_BREAK == MOCK_BREAK_REFCOUNT
    init_refs = 0;
#else
    if (init_refs > 0)
        init_refs--;
#endif
    pthread_mutex_unlock(&init_lock);
}

static int32_t
need_init(const char *op, hvd_error *err)
{
    pthread_mutex_lock(&init_lock);
    unsigned refs = init_refs;
    pthread_mutex_unlock(&init_lock);
    if (refs == 0)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: the mock driver is not initialised: call init() first", op);
    return HVD_OK;
}

/* ------------------------------------------------------------------------ */
/* The in-memory "server"                                                    */
/* ------------------------------------------------------------------------ */

#if MOCK_BREAK == MOCK_BREAK_ALLOC
/* volatile: stores to it cannot be dropped, not even by LTO, which sees that
 * nothing reads it (hidden visibility makes "not static" no protection) */
static void *volatile mock_kept;
#endif

#if MOCK_BREAK == MOCK_BREAK_THREAD || MOCK_BREAK == MOCK_BREAK_THREADLEAK || MOCK_BREAK == MOCK_BREAK_CTORTHREAD
static void *
idle_thread(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}
#endif

#ifdef MOCK_FUTURE
/* What this future driver's last open() saw of the host's appended member
 * (extension "mock/future-seen/1"): lets the matrix check that it only reads
 * it when the host's struct_size holds it. */
typedef struct {
    uint32_t struct_size;
    int32_t seen; /* 1 if future_host_value was read */
    int64_t value;
} mock_future_seen;
static mock_future_seen future_seen = { sizeof(mock_future_seen), 0, 0 };
#endif

/* ------------------------------------------------------------------------ */
/* Connect table                                                             */
/* ------------------------------------------------------------------------ */

#if MOCK_BREAK == MOCK_BREAK_GLOBALHOST
static const hvd_host *mock_global_host; /* the last open()'s, for every connection */
#endif

void
mock_log(const hvd_conn *conn, int32_t level, const char *fmt, ...)
{
#if MOCK_BREAK == MOCK_BREAK_GLOBALHOST
    const hvd_host *h = mock_global_host;
    (void)conn;
#else
    const hvd_host *h = conn->host;
#endif
    if (h == NULL || h->log == NULL)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    h->log(h->user_data, level, "mock", line);
}

/* Credentials through the host's auth upcall: a user name and a password;
 * "secret" is right. No callback: no credentials needed. */
static int32_t
authenticate(const hvd_host *host, char *user, size_t user_cap, hvd_error *err)
{
    if (host == NULL || host->auth == NULL)
        return HVD_OK;
    char password[64] = "";
    hvd_credential creds[2];
    memset(creds, 0, sizeof(creds));
    creds[0] = (hvd_credential){
        sizeof(hvd_credential), HVD_CRED_USERNAME, "user name", "mock", "root", user, (uint32_t)user_cap, 0
    };
    creds[1] = (hvd_credential){
        sizeof(hvd_credential), HVD_CRED_PASSWORD, "password", "mock", NULL, password, sizeof(password), 0
    };
#if MOCK_BREAK == MOCK_BREAK_NOCANCEL
    (void)host->auth(host->user_data, creds, 2);
    strcpy(password, "secret");
#else
    if (host->auth(host->user_data, creds, 2) != 0)
        return mock_fail(err, HVD_ERR_AUTH_CANCELLED, "no credentials for mock: the callback cancelled");
#endif
    user[user_cap - 1] = password[sizeof(password) - 1] = '\0';
    int32_t rc = HVD_OK;
    if (strcmp(password, "secret") != 0) {
#if MOCK_BREAK == MOCK_BREAK_PASSWORD
        rc = mock_fail(err, HVD_ERR_AUTH_FAILED, "login failed for '%s' with password '%s'", user, password);
#else
        rc = mock_fail(err, HVD_ERR_AUTH_FAILED, "login failed for '%s': wrong user name or password", user);
#endif
    }
    memset(password, 0, sizeof(password));
    return rc;
}

static int32_t HVD_CALL
mock_open(const char *uri, const hvd_param *params, uint32_t nparams, const hvd_host *host, uint32_t flags,
          hvd_conn **conn_out, hvd_error *err)
{
    (void)params;
    CLEAR_OUT(conn_out);
    int32_t rc = mock_check_flags("open", flags, HVD_CONNECT_READONLY, err);
    if (rc != HVD_OK)
        return rc;
    CHECK_OUT("open", conn_out);
#if MOCK_BREAK != MOCK_BREAK_SMALLHOST
    /* A host table smaller than 1.0's cannot be read safely. */
    if (host != NULL && !HVD_HAS_MEMBER(host, hvd_host, progress))
        return mock_fail(err, HVD_ERR_ABI_MISMATCH, "open: the host's hvd_host is %u bytes, smaller than 1.0's",
                         host->struct_size);
#endif
#ifdef MOCK_FUTURE
    /* Read the appended host member only if the host's table holds it. */
    future_seen.seen = 0;
#if MOCK_BREAK == MOCK_BREAK_HOSTREAD
    if (host != NULL) {
#else
    if (HVD_HAS_MEMBER(host, hvd_host, future_host_value)) {
#endif
        future_seen.seen = 1;
        future_seen.value = host->future_host_value;
    }
#endif
    if (nparams != 0)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "open: no parameters are defined");
    if (uri == NULL)
        return mock_fail(err, HVD_ERR_URI, "no connection URI given: use mock://host/");
    if (strncmp(uri, "mock://", 7) != 0) {
#if MOCK_BREAK == MOCK_BREAK_URI
        return mock_fail(err, HVD_ERR_INTERNAL, "%s", "");
#elif MOCK_BREAK == MOCK_BREAK_PASSWORD
        return mock_fail(err, HVD_ERR_URI, "URI '%s' is not a mock:// URI", uri);
#else
        /* not quoted: it may hold a password (uri.no-secret) */
        return mock_fail(err, HVD_ERR_URI, "the URI is not a mock:// URI");
#endif
    }
    const char *hostname = uri + 7;
    size_t hlen = strcspn(hostname, "/:?");
    if (hlen == 0 || (hostname[hlen] == ':' && strspn(hostname + hlen + 1, "0123456789") == 0)) {
#if MOCK_BREAK == MOCK_BREAK_URI
        return mock_fail(err, HVD_ERR_INTERNAL, "%s", "");
#elif MOCK_BREAK == MOCK_BREAK_PASSWORD
        return mock_fail(err, HVD_ERR_URI, "URI '%s' has no host or a bad port: use mock://host[:port]/", uri);
#else
        return mock_fail(err, HVD_ERR_URI, "the URI has no host or a bad port: use mock://host[:port]/");
#endif
    }
#if MOCK_BREAK != MOCK_BREAK_NOINIT
    rc = need_init("open", err);
    if (rc != HVD_OK)
        return rc;
#endif
    char user[64] = "";
    rc = authenticate(host, user, sizeof(user), err);
    if (rc != HVD_OK)
        return rc;
    hvd_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return mock_fail(err, HVD_ERR_NO_MEMORY, "open: out of memory");
#if MOCK_BREAK == MOCK_BREAK_THREADLEAK
    pthread_t leaked;
    if (pthread_create(&leaked, NULL, idle_thread, NULL) == 0)
        pthread_detach(leaked);
#endif
    c->fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    c->uri = mock_dup_out(uri);
    c->user = mock_dup_out(user);
    c->host = host;
#if MOCK_BREAK == MOCK_BREAK_GLOBALHOST
    mock_global_host = host;
#endif
    mock_log(c, HVD_LOG_INFO, "connected to %.*s as '%s'", (int)hlen, hostname, user);
    *conn_out = c;
    return HVD_OK;
}

static void HVD_CALL
mock_close(hvd_conn *conn)
{
    if (conn == NULL)
        return;
#if MOCK_BREAK != MOCK_BREAK_FDLEAK
    if (conn->fd >= 0)
        close(conn->fd);
#endif
    free(conn->uri);
    free(conn->user);
    free(conn);
}

static int32_t HVD_CALL
mock_get_uri(hvd_conn *conn, uint32_t flags, char **uri_out, hvd_error *err)
{
    CONN_OP("get_uri", 0, uri_out);
    mock_log(conn, HVD_LOG_DEBUG, "get_uri");
    *uri_out = mock_dup_out(conn->uri);
    return *uri_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
mock_get_hostname(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err)
{
    CONN_OP("get_hostname", 0, hostname_out);
    mock_log(conn, HVD_LOG_DEBUG, "get_hostname");
#ifdef MOCK_FUTURE
    /* a status code of the next minor, which hosts of this one must treat
     * as a failure and show the message of */
    if (strncmp(conn->uri, "mock://future-status/", 21) == 0)
        return mock_fail(err, MOCK_FUTURE_STATUS, "mock: a failure whose status code a newer minor defines");
#endif
    *hostname_out = mock_dup_out("mock.example.com");
    return *hostname_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
mock_get_version(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err)
{
    CONN_OP("get_version", 0, version_out);
    static const char strings[] = "Mock\0Mock Hypervisor\0HostAgent\0"
                                  "1.2\0"
                                  "42\0";
    hvd_version *v = calloc(1, sizeof(*v) + sizeof(strings));
    if (v == NULL)
        return mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    char *s = (char *)(v + 1);
    memcpy(s, strings, sizeof(strings));
    v->struct_size = sizeof(*v);
    v->major = 1;
    v->minor = 2;
    v->release = 3;
#if MOCK_BREAK == MOCK_BREAK_VERSION
    v->version = 1002004;
#else
    v->version = 1002003;
#endif
    v->product = s;
    v->name = s + 5;
    v->api_type = s + 21;
    v->api_version = s + 31;
    v->build = s + 35;
    v->instance_uuid = s + 38; /* "" */
    *version_out = v;
    return HVD_OK;
}

static int32_t HVD_CALL
mock_get_node_info(hvd_conn *conn, uint32_t flags, hvd_node_info *info, hvd_error *err)
{
    CONN_OP_INTO("get_node_info", 0, info);
    hvd_node_info full = { sizeof(full), "Mock CPU", 8u << 20, 8, 2000, 1, 1, 4, 2 };
    uint32_t n = info->struct_size < sizeof(full) ? info->struct_size : (uint32_t)sizeof(full);
#if MOCK_BREAK == MOCK_BREAK_ERRTRUNC
    n = sizeof(full);
#endif
    if (n < offsetof(hvd_node_info, model))
        return mock_fail(err, HVD_ERR_INVALID_ARG, "get_node_info: struct_size %u too small", info->struct_size);
    /* Copy only whole members that fit. */
    size_t fit = offsetof(hvd_node_info, model);
    static const size_t ends[] = {
        offsetof(hvd_node_info, memory_kib), offsetof(hvd_node_info, cpus),
        offsetof(hvd_node_info, mhz),        offsetof(hvd_node_info, nodes),
        offsetof(hvd_node_info, sockets),    offsetof(hvd_node_info, cores),
        offsetof(hvd_node_info, threads),    offsetof(hvd_node_info, threads) + sizeof(uint32_t),
    };
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]) && ends[i] <= n; i++)
        fit = ends[i];
    memcpy((char *)info + sizeof(uint32_t), (const char *)&full + sizeof(uint32_t), fit - sizeof(uint32_t));
    info->struct_size = (uint32_t)fit;
    return HVD_OK;
}

static int32_t HVD_CALL
mock_is_alive(hvd_conn *conn, uint32_t flags, int32_t *alive_out, hvd_error *err)
{
    CONN_OP("is_alive", 0, alive_out);
    mock_log(conn, HVD_LOG_DEBUG, "is_alive");
    *alive_out = 1;
    return HVD_OK;
}

static int32_t HVD_CALL
mock_is_secure(hvd_conn *conn, uint32_t flags, int32_t *secure_out, hvd_error *err)
{
    CONN_OP("is_secure", 0, secure_out);
    *secure_out = 0;
    return HVD_OK;
}

static const hvd_connect_table mock_connect = {
#if MOCK_BREAK == MOCK_BREAK_SIZE
    .struct_size = 8,
#else
    .struct_size = sizeof(hvd_connect_table),
#endif
    .open = mock_open,
    .close = mock_close,
    .get_uri = mock_get_uri,
    .get_hostname = mock_get_hostname,
    .get_version = mock_get_version,
    .get_node_info = mock_get_node_info,
    .is_alive = mock_is_alive,
    .is_secure = mock_is_secure,
};

/* ------------------------------------------------------------------------ */
/* Native conversion                                                         */
/* ------------------------------------------------------------------------ */

static int32_t
convert(const char *op, const char *format, const char *in, uint32_t flags, const char *wrap, char **out,
        hvd_error *err)
{
    CLEAR_OUT(out);
    int32_t rc = mock_check_flags(op, flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CHECK_OUT(op, out);
    if (format == NULL || in == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: format and input must not be NULL", op);
    if (strcmp(format, "mock-native") != 0)
        return mock_fail(err, HVD_ERR_NO_SUPPORT, "%s: unsupported format '%s' (known: mock-native)", op, format);
    rc = need_init(op, err);
    if (rc != HVD_OK)
        return rc;
    size_t n = strlen(wrap) + strlen(in) + 1;
    *out = malloc(n);
    if (*out == NULL)
        return mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    snprintf(*out, n, "%s%s", wrap, in);
    return HVD_OK;
}

static int32_t HVD_CALL
mock_to_xml(hvd_conn *conn, const char *format, const char *native, const hvd_param *params, uint32_t nparams,
            uint32_t flags, char **xml_out, hvd_error *err)
{
    (void)conn, (void)params, (void)nparams;
    return convert("to_xml", format, native, flags, "xml:", xml_out, err);
}

static int32_t HVD_CALL
mock_from_xml(hvd_conn *conn, const char *format, const char *xml, const hvd_param *params, uint32_t nparams,
              uint32_t flags, char **native_out, hvd_error *err)
{
    (void)conn, (void)params, (void)nparams;
    return convert("from_xml", format, xml, flags, "native:", native_out, err);
}

static const hvd_native_table mock_native = {
    .struct_size = sizeof(hvd_native_table),
    .to_xml = mock_to_xml,
    .from_xml = mock_from_xml,
};

#if MOCK_BREAK == MOCK_BREAK_EMPTY
static const hvd_migrate_table mock_migrate = { .struct_size = sizeof(hvd_migrate_table) };
#elif defined(MOCK_MIGRATE)
/* tests/conformance/mock-migrate.c */
extern const hvd_migrate_table mock_migrate_table;
#endif

/* ------------------------------------------------------------------------ */
/* Driver table and entry                                                    */
/* ------------------------------------------------------------------------ */

static const void *HVD_CALL
mock_get_extension(const char *id, uint32_t flags)
{
    if (id == NULL || flags != 0)
        return NULL;
#ifdef MOCK_FUTURE
    if (strcmp(id, "mock/future-seen/1") == 0)
        return &future_seen;
#endif
    return NULL;
}

#if MOCK_BREAK == MOCK_BREAK_SCHEME
static const char *const mock_schemes[] = { "mock", "mock+ssh", NULL };
#else
static const char *const mock_schemes[] = { "mock", NULL };
#endif

/* The mock offers each host the view of its own minor (hvd.h, hvd_driver)
 * when built from a header above 1.0; the future mock shows the other
 * allowed way: one table, of its own minor, for every host. */
#if HVD_ABI_MINOR >= 1 && !defined(MOCK_FUTURE)
#define MOCK_VIEWS 1
#else
#define MOCK_VIEWS 0
#endif

static const hvd_driver mock_driver[MOCK_TABLE_SLOTS] = { {
#define MOCK_TABLE_MINOR MOCK_MINOR
#define MOCK_TABLE_SCHED (&mock_sched_table)
#include "mock-table.inc"
} };

#if MOCK_VIEWS
/* What a host of minor 0 gets: every table of 1.0's size (broken: the 1.1
 * sched table under abi_minor 0). */
#undef MOCK_TABLE_MINOR
#undef MOCK_TABLE_SCHED
#define MOCK_TABLE_MINOR 0
#if MOCK_BREAK == MOCK_BREAK_VIEW
#define MOCK_TABLE_SCHED (&mock_sched_table)
#else
#define MOCK_TABLE_SCHED (&mock_sched_table_1_0)
#endif
static const hvd_driver mock_driver_1_0 = {
#include "mock-table.inc"
};
#endif

#if MOCK_BREAK == MOCK_BREAK_CTORTHREAD
__attribute__((constructor)) static void
start_at_load(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, idle_thread, NULL) == 0)
        pthread_detach(t);
}
#endif

#if MOCK_BREAK == MOCK_BREAK_EXPORTS
MOCK_EXPORT int mock_leaked_symbol(void);
MOCK_EXPORT int
mock_leaked_symbol(void)
{
    return 1;
}
#endif

MOCK_EXPORT int32_t HVD_CALL MOCK_ENTRY(uint32_t host_minor, const hvd_driver **driver_out, uint32_t *minor_out);

MOCK_EXPORT int32_t HVD_CALL
MOCK_ENTRY(uint32_t host_minor, const hvd_driver **driver_out, uint32_t *minor_out)
{
#if MOCK_BREAK != MOCK_BREAK_ENTRYARGS
    if (driver_out == NULL || minor_out == NULL)
        return HVD_ERR_INVALID_ARG;
#else
    if (driver_out == NULL || minor_out == NULL)
        return HVD_OK;
#endif
#if MOCK_MIN_MINOR > 0
    if (host_minor < MOCK_MIN_MINOR)
        return HVD_ERR_ABI_MISMATCH;
#endif
#if MOCK_BREAK == MOCK_BREAK_THREAD
    static pthread_t t;
    static int started;
    if (!started++)
        pthread_create(&t, NULL, idle_thread, NULL);
#endif
    uint32_t driver_minor = MOCK_MINOR;
    uint32_t minor = host_minor < driver_minor ? host_minor : driver_minor;
#if MOCK_BREAK == MOCK_BREAK_NEGOTIATE
    minor = host_minor > driver_minor ? host_minor : driver_minor;
#endif
#if MOCK_BREAK == MOCK_BREAK_ALLOC
    mock_kept = malloc(64 + host_minor); /* and never freed */
#endif
#if MOCK_BREAK == MOCK_BREAK_ENTRYFD
    static int fd = -1;
    if (fd < 0)
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
#endif
    *driver_out = &mock_driver[0];
#if MOCK_VIEWS
    if (minor == 0)
        *driver_out = &mock_driver_1_0;
#endif
    *minor_out = minor;
    return HVD_OK;
}
