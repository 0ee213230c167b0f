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
 *     simulated next minor, with an appended hvd_driver member that reads the
 *     appended hvd_host member when (and only when) negotiation allows it;
 *     with MOCK_MIN_MINOR=1 it requires that newer host (no overlap);
 *   - with MOCK_ENTRY=name: exports another entry (e.g. a major-2 driver);
 *   - with MOCK_BREAK=n: deliberately breaks one ABI rule, so the tests can
 *     show that hvd-conformance notices (see MOCK_BREAK_* below).
 */
#if defined(MOCK_FROZEN)
#include "hvd-1.0.h"
#elif defined(MOCK_FUTURE)
#include "hvd-future.h"
#else
#include "hvd.h"
#endif

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One broken rule per build (hvd-conformance must report each). */
#define MOCK_BREAK_NONE       0
#define MOCK_BREAK_NEGOTIATE  1  /* answers max(host, driver) instead of min() */
#define MOCK_BREAK_THREAD     2  /* entry starts a thread */
#define MOCK_BREAK_CAPS       3  /* capability bits disagree with the tables */
#define MOCK_BREAK_FLAGS      4  /* unknown flag bits ignored */
#define MOCK_BREAK_NULLOUT    5  /* NULL output pointers dereferenced */
#define MOCK_BREAK_ERRTRUNC   6  /* hvd_error written beyond its struct_size */
#define MOCK_BREAK_URI        7  /* malformed URI -> wrong status, empty message */
#define MOCK_BREAK_SIZE       8  /* a sub-table's struct_size smaller than 1.0's */
#define MOCK_BREAK_REFCOUNT   9  /* the first shutdown() drops all init references */
#define MOCK_BREAK_EXPORTS   10  /* exports a second symbol */
#define MOCK_BREAK_LOOKUP    11  /* lookup_by_name disagrees with list_all */
#define MOCK_BREAK_NODOMAIN  12  /* a missing domain gives HVD_ERR_INTERNAL */
#define MOCK_BREAK_FREENULL  13  /* free(NULL) crashes */
#define MOCK_BREAK_FDLEAK    14  /* close() leaks a file descriptor */
#define MOCK_BREAK_ENTRYARGS 15  /* entry accepts NULL outputs / a too small host */
#define MOCK_BREAK_PASSWORD  16  /* the password shows up in an error message */
#define MOCK_BREAK_TABLESIZE 17  /* hvd_driver.struct_size smaller than 1.0's */
#define MOCK_BREAK_MAJOR     18  /* hvd_driver.abi_major is not 1 */
#define MOCK_BREAK_ALLOC     19  /* entry allocates (and keeps) memory */
#define MOCK_BREAK_CONNNULL  20  /* a NULL connection is dereferenced */
#define MOCK_BREAK_SCHEME    21  /* a URI scheme with a transport ("mock+ssh") */
#define MOCK_BREAK_PARTITION 22  /* list_all ignores HVD_LIST_ACTIVE/INACTIVE */
#define MOCK_BREAK_THREADLEAK 23 /* open() starts a thread nobody stops */
#define MOCK_BREAK_RESERVED  24  /* a sub-table's reserved0 is not 0 */
#define MOCK_BREAK_EMPTY     25  /* a present sub-table without operations */
#define MOCK_BREAK_ERRCODE   26  /* hvd_error.code differs from the status */
#define MOCK_BREAK_VERSION   27  /* hvd_version.version disagrees with major/minor/release */
#define MOCK_BREAK_NOCANCEL  28  /* a cancelled auth callback is ignored */
#define MOCK_BREAK_ENTRYFD   29  /* entry opens a file */
#define MOCK_BREAK_CTORTHREAD 30 /* loading the library starts a thread */
#define MOCK_BREAK_CAPBITS   31  /* an unknown capability bit */
#define MOCK_BREAK_FOREIGN   32  /* a foreign pointer in a table (host's libc) */
#define MOCK_BREAK_HOSTREAD  33  /* (future) reads the host's appended member unchecked */

#ifndef MOCK_BREAK
#define MOCK_BREAK MOCK_BREAK_NONE
#endif
#ifndef MOCK_MIN_MINOR
#define MOCK_MIN_MINOR 0
#endif
#ifndef MOCK_ENTRY
#define MOCK_ENTRY hvd_driver_entry_v1
#endif
#ifdef MOCK_FUTURE
#define MOCK_MINOR 1
#else
#define MOCK_MINOR 0
#endif

#define MOCK_EXPORT __attribute__((visibility("default")))

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static int32_t
fail(hvd_error *err, int32_t code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
#if MOCK_BREAK == MOCK_BREAK_ERRTRUNC
    err->struct_size = sizeof(hvd_error);
#endif
    if (!HVD_HAS_MEMBER(err, hvd_error, code))
        return code;
    uint32_t written = offsetof(hvd_error, code) + sizeof(err->code);
#if MOCK_BREAK == MOCK_BREAK_ERRCODE
    err->code = HVD_ERR_INTERNAL;
#else
    err->code = code;
#endif
    if (HVD_HAS_MEMBER(err, hvd_error, fault)) {
        err->fault[0] = '\0';
        written = offsetof(hvd_error, fault) + sizeof(err->fault);
    }
    if (HVD_HAS_MEMBER(err, hvd_error, message)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
        written = offsetof(hvd_error, message) + sizeof(err->message);
    }
    err->struct_size = written;
    return code;
}

static int32_t
check_flags(const char *op, uint32_t flags, uint32_t known, hvd_error *err)
{
#if MOCK_BREAK == MOCK_BREAK_FLAGS
    (void)op, (void)flags, (void)known, (void)err;
    return HVD_OK;
#else
    if ((flags & ~known) == 0)
        return HVD_OK;
    return fail(err, HVD_ERR_BAD_FLAGS, "%s: unsupported flags 0x%x", op, flags & ~known);
#endif
}

#if MOCK_BREAK == MOCK_BREAK_NULLOUT
#define CHECK_OUT(op, p) ((void)0)
#else
#define CHECK_OUT(op, p)                                                                   \
    do {                                                                                   \
        if ((p) == NULL)                                                                   \
            return fail(err, HVD_ERR_INVALID_ARG, "%s: output pointer is NULL", (op));     \
    } while (0)
#endif

static char *
dup_out(const char *s)
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
    int32_t rc = check_flags("init", flags, 0, err);
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
        return fail(err, HVD_ERR_INTERNAL, "%s: the mock driver is not initialised: call init() first", op);
    return HVD_OK;
}

/* ------------------------------------------------------------------------ */
/* The in-memory "server"                                                    */
/* ------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    uint8_t uuid[16];
    int32_t id;
    int32_t state;
} mock_domain;

static const mock_domain domains[] = {
    { "alpha", { 0x11, 0x11, 0x11, 0x11, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1 }, 1, HVD_DOMAIN_RUNNING },
    { "beta", { 0x22, 0x22, 0x22, 0x22, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 2 }, -1, HVD_DOMAIN_SHUTOFF },
    { "gamma", { 0x33, 0x33, 0x33, 0x33, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 3 }, 7, HVD_DOMAIN_PAUSED },
};
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

struct hvd_conn {
    int fd;        /* stands for the connection's socket */
    char *uri;
    char *user;
};

static const hvd_host *mock_host;

#if MOCK_BREAK == MOCK_BREAK_ALLOC
void *mock_kept; /* not static: the compiler cannot drop the allocation */
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
/* What this future driver saw of the host's appended member (extension
 * "mock/future-seen/1"): lets the matrix check that it only reads it when
 * the negotiated minor and the host's struct_size allow. */
typedef struct {
    uint32_t struct_size;
    int32_t seen;          /* 1 if future_host_value was read */
    int64_t value;
} mock_future_seen;
static mock_future_seen future_seen = { sizeof(mock_future_seen), 0, 0 };
#endif

/* ------------------------------------------------------------------------ */
/* Connect table                                                             */
/* ------------------------------------------------------------------------ */

static int32_t HVD_CALL
mock_open(const char *uri, const hvd_param *params, uint32_t nparams, const hvd_auth *auth, uint32_t flags,
          hvd_conn **conn_out, hvd_error *err)
{
    (void)params;
    int32_t rc = check_flags("open", flags, HVD_CONNECT_READONLY, err);
    if (rc != HVD_OK)
        return rc;
    CHECK_OUT("open", conn_out);
    if (nparams != 0)
        return fail(err, HVD_ERR_INVALID_ARG, "open: no parameters are defined");
    if (uri == NULL)
        return fail(err, HVD_ERR_URI, "no connection URI given: use mock://host/");
    if (strncmp(uri, "mock://", 7) != 0) {
#if MOCK_BREAK == MOCK_BREAK_URI
        return fail(err, HVD_ERR_INTERNAL, "%s", "");
#else
        return fail(err, HVD_ERR_URI, "URI '%s' is not a mock:// URI", uri);
#endif
    }
    const char *host = uri + 7;
    size_t hlen = strcspn(host, "/:?");
    if (hlen == 0 || (host[hlen] == ':' && strspn(host + hlen + 1, "0123456789") == 0)) {
#if MOCK_BREAK == MOCK_BREAK_URI
        return fail(err, HVD_ERR_INTERNAL, "%s", "");
#else
        return fail(err, HVD_ERR_URI, "URI '%s' has no host or a bad port: use mock://host[:port]/", uri);
#endif
    }
    rc = need_init("open", err);
    if (rc != HVD_OK)
        return rc;
    /* Credentials: ask for a user name and a password; "secret" is right. */
    char user[64] = "", password[64] = "";
    hvd_auth_fn fn = NULL;
    void *ud = NULL;
    if (auth != NULL && HVD_HAS_MEMBER(auth, hvd_auth, user_data) && auth->auth != NULL) {
        fn = auth->auth;
        ud = auth->user_data;
    } else if (mock_host != NULL && mock_host->auth != NULL) {
        fn = mock_host->auth;
        ud = mock_host->user_data;
    }
    if (fn != NULL) {
        hvd_credential creds[2];
        memset(creds, 0, sizeof(creds));
        creds[0] = (hvd_credential){ sizeof(hvd_credential), HVD_CRED_USERNAME, "user name", "mock", "root",
                                     user, sizeof(user), 0 };
        creds[1] = (hvd_credential){ sizeof(hvd_credential), HVD_CRED_PASSWORD, "password", "mock", NULL,
                                     password, sizeof(password), 0 };
#if MOCK_BREAK == MOCK_BREAK_NOCANCEL
        (void)fn(ud, creds, 2);
        strcpy(password, "secret");
#else
        if (fn(ud, creds, 2) != 0)
            return fail(err, HVD_ERR_AUTH_CANCELLED, "no credentials for mock: the callback cancelled");
#endif
        user[sizeof(user) - 1] = password[sizeof(password) - 1] = '\0';
        if (strcmp(password, "secret") != 0) {
#if MOCK_BREAK == MOCK_BREAK_PASSWORD
            rc = fail(err, HVD_ERR_AUTH_FAILED, "login failed for '%s' with password '%s'", user, password);
#else
            rc = fail(err, HVD_ERR_AUTH_FAILED, "login failed for '%s': wrong user name or password", user);
#endif
            memset(password, 0, sizeof(password));
            return rc;
        }
        memset(password, 0, sizeof(password));
    }
    hvd_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return fail(err, HVD_ERR_NO_MEMORY, "open: out of memory");
#if MOCK_BREAK == MOCK_BREAK_THREADLEAK
    pthread_t leaked;
    if (pthread_create(&leaked, NULL, idle_thread, NULL) == 0)
        pthread_detach(leaked);
#endif
    c->fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    c->uri = dup_out(uri);
    c->user = dup_out(user);
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

#if MOCK_BREAK == MOCK_BREAK_CONNNULL
#define CONN_NULL_CHECK(op) ((void)conn->fd)
#else
#define CONN_NULL_CHECK(op)                                                                \
    do {                                                                                   \
        if (conn == NULL)                                                                  \
            return fail(err, HVD_ERR_INVALID_ARG, "%s: no connection (NULL hvd_conn)", (op)); \
    } while (0)
#endif
#define CONN_OP(op, known, out)                                                            \
    do {                                                                                   \
        int32_t rc_ = check_flags((op), flags, (known), err);                              \
        if (rc_ != HVD_OK)                                                                 \
            return rc_;                                                                    \
        CONN_NULL_CHECK(op);                                                               \
        CHECK_OUT((op), (out));                                                            \
    } while (0)

static int32_t HVD_CALL
mock_get_uri(hvd_conn *conn, uint32_t flags, char **uri_out, hvd_error *err)
{
    CONN_OP("get_uri", 0, uri_out);
    *uri_out = dup_out(conn->uri);
    return *uri_out ? HVD_OK : fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
mock_get_hostname(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err)
{
    CONN_OP("get_hostname", 0, hostname_out);
    *hostname_out = dup_out("mock.example.com");
    return *hostname_out ? HVD_OK : fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
mock_get_version(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err)
{
    CONN_OP("get_version", 0, version_out);
    static const char strings[] = "Mock\0Mock Hypervisor\0HostAgent\0" "1.2\0" "42\0";
    hvd_version *v = calloc(1, sizeof(*v) + sizeof(strings));
    if (v == NULL)
        return fail(err, HVD_ERR_NO_MEMORY, "out of memory");
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
    CONN_OP("get_node_info", 0, info);
    hvd_node_info full = { sizeof(full), "Mock CPU", 8u << 20, 8, 2000, 1, 1, 4, 2 };
    uint32_t n = info->struct_size < sizeof(full) ? info->struct_size : (uint32_t)sizeof(full);
#if MOCK_BREAK == MOCK_BREAK_ERRTRUNC
    n = sizeof(full);
#endif
    if (n < offsetof(hvd_node_info, model))
        return fail(err, HVD_ERR_INVALID_ARG, "get_node_info: struct_size %u too small", info->struct_size);
    /* Copy only whole members that fit. */
    size_t fit = offsetof(hvd_node_info, model);
    static const size_t ends[] = {
        offsetof(hvd_node_info, memory_kib), offsetof(hvd_node_info, cpus), offsetof(hvd_node_info, mhz),
        offsetof(hvd_node_info, nodes), offsetof(hvd_node_info, sockets), offsetof(hvd_node_info, cores),
        offsetof(hvd_node_info, threads), offsetof(hvd_node_info, threads) + sizeof(uint32_t),
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
/* Domain table                                                              */
/* ------------------------------------------------------------------------ */

static hvd_domain_info *
pack_domain(const mock_domain *d)
{
    size_t n = strlen(d->name) + 1;
    hvd_domain_info *info = calloc(1, sizeof(*info) + n);
    if (info == NULL)
        return NULL;
    info->struct_size = sizeof(*info);
    info->id = d->id;
    info->state = d->state;
    memcpy(info->uuid, d->uuid, 16);
    info->memory_kib = info->max_memory_kib = 1u << 20;
    info->vcpus = 2;
    info->persistent = 1;
    memcpy(info + 1, d->name, n);
    info->name = (const char *)(info + 1);
    return info;
}

static int32_t
found(const mock_domain *d, hvd_domain_info **info_out, hvd_error *err)
{
    *info_out = pack_domain(d);
    return *info_out ? HVD_OK : fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t
no_domain(hvd_error *err, const char *what)
{
#if MOCK_BREAK == MOCK_BREAK_NODOMAIN
    return fail(err, HVD_ERR_INTERNAL, "lookup failed");
#else
    return fail(err, HVD_ERR_NO_DOMAIN, "no domain with %s on mock.example.com", what);
#endif
}

static int32_t HVD_CALL
mock_list_all(hvd_conn *conn, uint32_t flags, hvd_domain_list **list_out, hvd_error *err)
{
    CONN_OP("list_all", HVD_LIST_ACTIVE | HVD_LIST_INACTIVE, list_out);
    uint32_t want = flags == 0 ? (HVD_LIST_ACTIVE | HVD_LIST_INACTIVE) : flags;
#if MOCK_BREAK == MOCK_BREAK_PARTITION
    want = HVD_LIST_ACTIVE | HVD_LIST_INACTIVE;
#endif
    size_t names = 0;
    for (size_t i = 0; i < NDOMAINS; i++)
        names += strlen(domains[i].name) + 1;
    hvd_domain_list *l = calloc(1, sizeof(*l) + NDOMAINS * sizeof(hvd_domain_info) + names);
    if (l == NULL)
        return fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    hvd_domain_info *e = (hvd_domain_info *)(l + 1);
    char *s = (char *)(e + NDOMAINS);
    l->struct_size = sizeof(*l);
    l->entry_size = sizeof(hvd_domain_info);
    l->entries = e;
    for (size_t i = 0; i < NDOMAINS; i++) {
        int active = domains[i].id > 0;
        if (!(want & (active ? HVD_LIST_ACTIVE : HVD_LIST_INACTIVE)))
            continue;
        hvd_domain_info *d = &e[l->count++];
        d->struct_size = sizeof(*d);
        d->id = domains[i].id;
        d->state = domains[i].state;
        memcpy(d->uuid, domains[i].uuid, 16);
        d->memory_kib = d->max_memory_kib = 1u << 20;
        d->vcpus = 2;
        d->persistent = 1;
        strcpy(s, domains[i].name);
        d->name = s;
        s += strlen(s) + 1;
    }
    *list_out = l;
    return HVD_OK;
}

static int32_t HVD_CALL
mock_lookup_by_name(hvd_conn *conn, const char *name, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CONN_OP("lookup_by_name", 0, info_out);
    if (name == NULL)
        return fail(err, HVD_ERR_INVALID_ARG, "lookup_by_name: name is NULL");
    for (size_t i = 0; i < NDOMAINS; i++) {
        if (strcmp(domains[i].name, name) == 0) {
#if MOCK_BREAK == MOCK_BREAK_LOOKUP
            return found(&domains[(i + 1) % NDOMAINS], info_out, err);
#else
            return found(&domains[i], info_out, err);
#endif
        }
    }
    return no_domain(err, "this name");
}

static int32_t HVD_CALL
mock_lookup_by_uuid(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_domain_info **info_out,
                    hvd_error *err)
{
    CONN_OP("lookup_by_uuid", 0, info_out);
    if (uuid == NULL)
        return fail(err, HVD_ERR_INVALID_ARG, "lookup_by_uuid: uuid is NULL");
    for (size_t i = 0; i < NDOMAINS; i++) {
        if (memcmp(domains[i].uuid, uuid, 16) == 0)
            return found(&domains[i], info_out, err);
    }
    return no_domain(err, "this UUID");
}

static int32_t HVD_CALL
mock_lookup_by_id(hvd_conn *conn, int32_t id, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CONN_OP("lookup_by_id", 0, info_out);
    for (size_t i = 0; i < NDOMAINS; i++) {
        if (domains[i].id > 0 && domains[i].id == id)
            return found(&domains[i], info_out, err);
    }
    return no_domain(err, "this id");
}

static int32_t HVD_CALL
mock_get_info(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    return mock_lookup_by_uuid(conn, uuid, flags, info_out, err);
}

static int32_t HVD_CALL
mock_get_xml(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, char **xml_out, hvd_error *err)
{
    CONN_OP("get_xml", 0, xml_out);
    hvd_domain_info *info = NULL;
    int32_t rc = mock_lookup_by_uuid(conn, uuid, 0, &info, err);
    if (rc != HVD_OK)
        return rc;
    char buf[256];
    snprintf(buf, sizeof(buf), "<domain type='mock'><name>%s</name></domain>", info->name);
    free(info);
    *xml_out = dup_out(buf);
    return *xml_out ? HVD_OK : fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static const hvd_domain_table mock_domain_table = {
    .struct_size = sizeof(hvd_domain_table),
#if MOCK_BREAK == MOCK_BREAK_RESERVED
    .reserved0 = 1,
#endif
    .list_all = mock_list_all,
    .lookup_by_name = mock_lookup_by_name,
    .lookup_by_uuid = mock_lookup_by_uuid,
    .lookup_by_id = mock_lookup_by_id,
    .get_info = mock_get_info,
    .get_xml = mock_get_xml,
};

/* ------------------------------------------------------------------------ */
/* Native conversion                                                         */
/* ------------------------------------------------------------------------ */

static int32_t
convert(const char *op, const char *format, const char *in, uint32_t flags, const char *wrap, char **out,
        hvd_error *err)
{
    int32_t rc = check_flags(op, flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CHECK_OUT(op, out);
    if (format == NULL || in == NULL)
        return fail(err, HVD_ERR_INVALID_ARG, "%s: format and input must not be NULL", op);
    if (strcmp(format, "mock-native") != 0)
        return fail(err, HVD_ERR_NO_SUPPORT, "%s: unsupported format '%s' (known: mock-native)", op, format);
    rc = need_init(op, err);
    if (rc != HVD_OK)
        return rc;
    size_t n = strlen(wrap) + strlen(in) + 1;
    *out = malloc(n);
    if (*out == NULL)
        return fail(err, HVD_ERR_NO_MEMORY, "out of memory");
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

static const hvd_driver mock_driver = {
#if MOCK_BREAK == MOCK_BREAK_TABLESIZE
    .struct_size = 16,
#else
    .struct_size = sizeof(hvd_driver),
#endif
#if MOCK_BREAK == MOCK_BREAK_MAJOR
    .abi_major = HVD_ABI_MAJOR + 1,
#else
    .abi_major = HVD_ABI_MAJOR,
#endif
    .abi_minor = MOCK_MINOR,
    .name = "mock",
    .version = "1.0.0",
    .description = "HVD mock driver for the ABI tests",
    .uri_schemes = mock_schemes,
#if MOCK_BREAK == MOCK_BREAK_CAPS
    .capabilities = HVD_CAP_CONNECT | HVD_CAP_NATIVE | HVD_CAP_MIGRATE,
#elif MOCK_BREAK == MOCK_BREAK_EMPTY
    .capabilities = HVD_CAP_CONNECT | HVD_CAP_DOMAIN | HVD_CAP_NATIVE | HVD_CAP_MIGRATE,
#elif MOCK_BREAK == MOCK_BREAK_CAPBITS
    .capabilities = HVD_CAP_CONNECT | HVD_CAP_DOMAIN | HVD_CAP_NATIVE | (UINT64_C(1) << 40),
#else
    .capabilities = HVD_CAP_CONNECT | HVD_CAP_DOMAIN | HVD_CAP_NATIVE,
#endif
#if MOCK_BREAK == MOCK_BREAK_FOREIGN
    .free = free,
#else
    .free = mock_free,
#endif
    .init = mock_init,
    .shutdown = mock_shutdown,
    .get_extension = mock_get_extension,
    .connect = &mock_connect,
    .domain = &mock_domain_table,
    .native = &mock_native,
#if MOCK_BREAK == MOCK_BREAK_EMPTY
    .migrate = &mock_migrate,
#endif
#ifdef MOCK_FUTURE
    .future_driver_value = UINT64_C(0x1100000011),
#endif
};

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

MOCK_EXPORT int32_t HVD_CALL MOCK_ENTRY(uint32_t host_minor, const hvd_host *host, const hvd_driver **driver_out,
                                        uint32_t *minor_out);

MOCK_EXPORT int32_t HVD_CALL
MOCK_ENTRY(uint32_t host_minor, const hvd_host *host, const hvd_driver **driver_out, uint32_t *minor_out)
{
#if MOCK_BREAK != MOCK_BREAK_ENTRYARGS
    if (driver_out == NULL || minor_out == NULL)
        return HVD_ERR_INVALID_ARG;
    /* A host table smaller than 1.0's cannot be read safely. */
    if (host != NULL && host->struct_size < offsetof(hvd_host, progress) + sizeof(host->progress))
        return HVD_ERR_ABI_MISMATCH;
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
#ifdef MOCK_FUTURE
    /* Read the appended host member only if the negotiated minor has it and
     * the host's table is large enough. */
    future_seen.seen = 0;
#if MOCK_BREAK == MOCK_BREAK_HOSTREAD
    if (host != NULL) {
#else
    if (minor >= 1 && HVD_HAS_MEMBER(host, hvd_host, future_host_value)) {
#endif
        future_seen.seen = 1;
        future_seen.value = host->future_host_value;
    }
#endif
    mock_host = host;
    *driver_out = &mock_driver;
    *minor_out = minor;
    return HVD_OK;
}
