/* matrix-host.c — a host application of one ABI minor, for the
 * compatibility matrix (ABI rule 19).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built against abi/frozen/hvd-1.0.h (MATRIX_OLD: the "old host"), against
 * the generated hvd-future.h (MATRIX_FUTURE: a host of the next minor, with
 * a larger hvd_host and hvd_error), or against abi/hvd.h. It loads one
 * driver with dlopen()/dlsym() the way any host would, negotiates, opens a
 * connection with its upcall table, and checks what a host may rely on:
 *
 *   matrix-host DRIVER.so [--expect-status CODE] [--expect-minor N]
 *                         [--expect-seen 0|1] [--expect-driver-future 0|1]
 *                         [--expect-abi-minor N] [--expect-memory 0|1]
 *                         [--live URI]
 *
 * --expect-abi-minor: the table's abi_minor (a 1.1 driver gives a 1.0 host
 * the view of 1.0, whose every table has 1.0's size); --expect-memory: the
 * memory parameter members of 1.1 are usable (1) or absent and handled as
 * HVD_ERR_NO_SUPPORT (0), a host of 1.1 or later only.
 *
 * Beyond negotiation it calls through every sub-table, as a host would, and
 * requires what hvd.h documents: each table exactly the size of the minor
 * the driver declares; every member with a NULL connection answers
 * HVD_ERR_INVALID_ARG, fills hvd_error and clears its outputs; with --live
 * (a URI the driver opens without a network, e.g. mock://matrix/, user root,
 * password "secret"), every member also rejects unknown flags, accepts its
 * documented ones and answers its documented status for objects that do not
 * exist, so a member that sits in another's slot is caught
 * (tests/conformance/members.c).
 *
 * The host table passed to open() sits at the very end of a readable page,
 * followed by an inaccessible page: a driver reading past the struct_size the
 * host gave it crashes the test instead of silently reading garbage.
 */
#if defined(MATRIX_OLD)
#define HOST_KIND "old (1.0) host"
#elif defined(MATRIX_FUTURE)
#define HOST_KIND "future host"
#else
#define HOST_KIND "current host"
#endif
/* this host's header (HVD_HEADER) and the member table built against it */
#include "members.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                  \
    do {                                  \
        if (cond) {                       \
            printf("PASS: " __VA_ARGS__); \
        } else {                          \
            printf("FAIL: " __VA_ARGS__); \
            failures++;                   \
        }                                 \
        printf("\n");                     \
    } while (0)

static void HVD_CALL
host_log(void *user_data, int32_t level, const char *component, const char *message)
{
    (void)user_data;
    printf("  [driver log %d %s] %s\n", level, component ? component : "", message ? message : "");
}

static void
note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("  ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static int32_t HVD_CALL
host_auth(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    (void)user_data;
    for (uint32_t i = 0; i < ncreds; i++) {
        hvd_credential *cr = (hvd_credential *)(void *)((char *)creds + (size_t)i * creds[0].struct_size);
        const char *v = cr->type == HVD_CRED_USERNAME ? "root" : "secret";
        if (cr->result_capacity > strlen(v)) {
            strcpy(cr->result, v);
            cr->result_len = (uint32_t)strlen(v);
        }
    }
    return 0;
}

/* Every sub-table: its exact size, and every member without a connection
 * (and on a live one with `live_uri`). */
static void
check_tables(const hvd_driver *drv, hvd_host *host, const char *live_uri)
{
    uint32_t want = 0;
    CHECK(conf_table_size_ok(-1, drv->struct_size, drv->abi_minor, &want),
          "hvd_driver.struct_size %u fits the declared minor %u (%s %u)", drv->struct_size, drv->abi_minor,
          want ? "exactly" : "at least", want ? want : conf_table_own_size(-1));
    for (int i = 0; i < 8; i++) {
        const void *t = conf_table(drv, i);
        if (t == NULL)
            continue;
        uint32_t size;
        memcpy(&size, t, sizeof(size));
        CHECK(conf_table_size_ok(i, size, drv->abi_minor, &want),
              "%s table struct_size %u fits the declared minor %u (%s %u)", conf_table_names[i], size, drv->abi_minor,
              want ? "exactly" : "at least", want ? want : conf_table_own_size(i));
    }
    hvd_error e;
    memset(&e, 0, sizeof(e));
    e.struct_size = sizeof(e);
    conf_tally t;
    conf_probe_conn_null(drv, &e, note, NULL, &t);
    CHECK(t.status == 0 && t.cleared == 0 && t.struct_size == 0,
          "%d member(s) of every sub-table with conn = NULL: documented status, hvd_error filled (its struct_size "
          "left alone), outputs cleared",
          t.called);
    if (live_uri == NULL || drv->connect == NULL || drv->connect->open == NULL)
        return;
    hvd_conn *conn = NULL;
    host->auth = host_auth;
    memset(&e, 0, sizeof(e));
    e.struct_size = sizeof(e);
    int32_t rc = drv->connect->open(live_uri, NULL, 0, host, 0, &conn, &e);
    CHECK(rc == HVD_OK, "open(%s) -> %d %s", live_uri, rc, rc ? e.message : "");
    if (rc != HVD_OK)
        return;
    conf_live_tally lt;
    conf_probe_live(drv, conn, note, NULL, &lt);
    CHECK(lt.bad_flag.status == 0 && lt.bad_flag.cleared == 0, "%d member(s): an unknown flag -> HVD_ERR_BAD_FLAGS",
          lt.bad_flag.called);
    CHECK(lt.null_out.status == 0, "%d member(s): a NULL output -> HVD_ERR_INVALID_ARG", lt.null_out.called);
    CHECK(lt.documented.status == 0, "%d call(s): documented flags accepted, others refused", lt.documented.called);
    CHECK(lt.missing.status == 0 && lt.missing.cleared == 0,
          "%d member(s): the documented status for objects that do not exist", lt.missing.called);
    drv->connect->close(conn);
}

/* `size` bytes at the end of a page, followed by a PROT_NONE page. */
static void *
guarded(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || mprotect(base + page, (size_t)page, PROT_NONE) != 0) {
        perror("mmap");
        exit(2);
    }
    size_t at = ((size_t)page - size) & ~(size_t)(_Alignof(hvd_host) - 1);
    memset(base + at, 0, size);
    return base + at;
}

/* This host's upcall table, guarded. */
static hvd_host *
guarded_host(void)
{
    hvd_host *h = guarded(sizeof(hvd_host));
    h->struct_size = sizeof(hvd_host);
    h->log = host_log;
#ifdef MATRIX_FUTURE
    h->future_host_value = 4242;
#endif
    return h;
}

#if HVD_ABI_MINOR >= 1
/* What a host of 1.1 does before it calls a member 1.1 appended: the
 * negotiated minor and the table's struct_size must hold it, else the
 * operation is unsupported (hvd.h, "Unsupported"). */
static int32_t
host_get_memory_params(const hvd_driver *drv, uint32_t minor, hvd_conn *conn, const char *domain, hvd_param_list **out,
                       hvd_error *err)
{
    *out = NULL;
    if (minor < 1 || drv->sched == NULL || !HVD_HAS_MEMBER(drv->sched, hvd_sched_table, get_memory_params) ||
        drv->sched->get_memory_params == NULL)
        return HVD_ERR_NO_SUPPORT;
    return drv->sched->get_memory_params(conn, domain, 0, out, err);
}

/* The memory parameters: present or absent as expected; with a live
 * connection, read from a mock domain, or refused as unsupported. */
static void
check_memory(const hvd_driver *drv, uint32_t minor, const char *live_uri, int expect)
{
    int has = minor >= 1 && drv->sched != NULL && HVD_HAS_MEMBER(drv->sched, hvd_sched_table, set_memory_params) &&
              drv->sched->get_memory_params != NULL && drv->sched->set_memory_params != NULL;
    CHECK(has == expect, "memory parameter members (since 1.1) %s, expected %s (negotiated minor %u, sched %u bytes)",
          has ? "present" : "absent", expect ? "present" : "absent", minor, drv->sched ? drv->sched->struct_size : 0);
    if (live_uri == NULL || drv->connect == NULL || drv->connect->open == NULL)
        return;
    hvd_host *host = guarded_host();
    host->auth = host_auth;
    hvd_conn *conn = NULL;
    hvd_error e;
    memset(&e, 0, sizeof(e));
    e.struct_size = sizeof(e);
    if (drv->connect->open(live_uri, NULL, 0, host, 0, &conn, &e) != HVD_OK) {
        CHECK(0, "open(%s) for the memory parameters: %s", live_uri, e.message);
        return;
    }
    hvd_param_list *list = NULL;
    int32_t rc = host_get_memory_params(drv, minor, conn, "mock-1", &list, &e);
    if (expect)
        CHECK(rc == HVD_OK && list != NULL && list->count == 3, "get_memory_params(mock-1) -> %d, %u parameter(s)", rc,
              list ? list->count : 0);
    else
        CHECK(rc == HVD_ERR_NO_SUPPORT && list == NULL,
              "get_memory_params on a driver without it -> HVD_ERR_NO_SUPPORT (%d), as a host maps it", rc);
    if (list != NULL)
        drv->free(list);
    drv->connect->close(conn);
}
#endif

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr,
                "usage: %s DRIVER.so [--expect-status CODE] [--expect-minor N] [--expect-seen 0|1] "
                "[--expect-driver-future 0|1]\n",
                argv[0]);
        return 2;
    }
    const char *path = argv[1];
    int expect_status = HVD_OK, expect_minor = -1, expect_seen = -1, expect_future = -1;
    int expect_abi_minor = -1, expect_memory = -1;
    const char *live_uri = NULL;
    for (int i = 2; i + 1 < argc; i += 2) {
        int v = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--live") == 0)
            live_uri = argv[i + 1];
        else if (strcmp(argv[i], "--expect-status") == 0)
            expect_status = v;
        else if (strcmp(argv[i], "--expect-minor") == 0)
            expect_minor = v;
        else if (strcmp(argv[i], "--expect-seen") == 0)
            expect_seen = v;
        else if (strcmp(argv[i], "--expect-driver-future") == 0)
            expect_future = v;
        else if (strcmp(argv[i], "--expect-abi-minor") == 0)
            expect_abi_minor = v;
        else if (strcmp(argv[i], "--expect-memory") == 0)
            expect_memory = v;
        else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    printf("%s (ABI %d.%d, sizeof hvd_host %zu, hvd_error %zu) loading %s\n", HOST_KIND, HVD_ABI_MAJOR, HVD_ABI_MINOR,
           sizeof(hvd_host), sizeof(hvd_error), path);

    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        printf("FAIL: dlopen %s: %s\n", path, dlerror());
        return 1;
    }
    void *sym = dlsym(handle, HVD_ENTRY_SYMBOL);
    CHECK(sym != NULL, "%s exports %s", path, HVD_ENTRY_SYMBOL);
    if (sym == NULL)
        return 1;
    hvd_driver_entry_fn entry;
    memcpy(&entry, &sym, sizeof(entry));

    const hvd_driver *drv = NULL;
    uint32_t minor = 12345;
    int32_t rc = entry(HVD_ABI_MINOR, &drv, &minor);
    CHECK(rc == expect_status, "entry(host minor %d) returned %d, expected %d", HVD_ABI_MINOR, rc, expect_status);
    if (rc != HVD_OK) {
        /* The host survives a driver it cannot use, and says why. */
        if (rc == HVD_ERR_ABI_MISMATCH)
            printf("  the driver has no ABI minor in common with this host (HVD %d.%d): skipped\n", HVD_ABI_MAJOR,
                   HVD_ABI_MINOR);
        dlclose(handle);
        printf("%s: host still running after the refusal\n", failures ? "FAILED" : "OK");
        return failures ? 1 : 0;
    }
    CHECK(drv != NULL, "driver table returned");
    if (drv == NULL)
        return 1;
    CHECK(minor <= HVD_ABI_MINOR, "negotiated minor %u is not above the host's %d", minor, HVD_ABI_MINOR);
    CHECK(minor <= drv->abi_minor, "negotiated minor %u is not above the driver's %u", minor, drv->abi_minor);
    if (expect_minor >= 0)
        CHECK(minor == (uint32_t)expect_minor, "negotiated minor %u, expected %d", minor, expect_minor);
    CHECK(drv->abi_major == HVD_ABI_MAJOR, "driver ABI major %u", drv->abi_major);
    if (expect_abi_minor >= 0) {
        CHECK(drv->abi_minor == (uint32_t)expect_abi_minor, "the table's abi_minor %u, expected %d", drv->abi_minor,
              expect_abi_minor);
        if (drv->sched != NULL && expect_abi_minor == 0)
            CHECK(drv->sched->struct_size == HVD_1_0_SIZEOF_hvd_sched_table,
                  "sched table struct_size %u: 1.0's (%u), as a 1.0 host knows it", drv->sched->struct_size,
                  (unsigned)HVD_1_0_SIZEOF_hvd_sched_table);
    }
    CHECK(HVD_HAS_MEMBER(drv, hvd_driver, native), "hvd_driver.struct_size %u holds every 1.0 member",
          drv->struct_size);

#ifdef MATRIX_FUTURE
    /* A future host reads the appended member only if negotiation and the
     * driver's struct_size allow it. */
    int has_future = minor >= HVD_ABI_MINOR && HVD_HAS_MEMBER(drv, hvd_driver, future_driver_value);
    if (expect_future >= 0)
        CHECK(has_future == expect_future, "driver's appended member present: %d, expected %d", has_future,
              expect_future);
    if (has_future)
        CHECK(drv->future_driver_value == UINT64_C(0x1100000011), "appended driver member reads 0x%llx",
              (unsigned long long)drv->future_driver_value);
#else
    (void)expect_future;
#endif

    CHECK(drv->init != NULL && drv->init(0, NULL) == HVD_OK, "init()");
    if (drv->connect != NULL && HVD_HAS_MEMBER(drv->connect, hvd_connect_table, open) && drv->connect->open) {
        /* An error struct of this host's size, with a canary after it: the
         * driver writes at most its own hvd_error, and never struct_size. */
        struct {
            hvd_error e;
            unsigned char canary[64];
        } box;
        memset(&box, 0xA5, sizeof(box));
        box.e.struct_size = sizeof(hvd_error);
        hvd_conn *conn = NULL;
        rc = drv->connect->open("matrix-bogus-scheme://host/", NULL, 0, guarded_host(), 0, &conn, &box.e);
        CHECK(rc == HVD_ERR_URI, "open(foreign scheme) -> HVD_ERR_URI (%d)", rc);
        CHECK(box.e.struct_size == sizeof(hvd_error), "error struct_size left alone (%u, this host's %zu)",
              box.e.struct_size, sizeof(hvd_error));
        CHECK(box.e.code == rc, "error code %d", box.e.code);
        if (HVD_HAS_MEMBER(&box.e, hvd_error, message))
            CHECK(box.e.message[0] != '\0' && memchr(box.e.message, 0, sizeof(box.e.message)) != NULL,
                  "error message: %.200s", box.e.message);
        int canary_ok = 1;
        for (size_t i = 0; i < sizeof(box.canary); i++)
            canary_ok &= box.canary[i] == 0xA5;
        CHECK(canary_ok, "nothing written after this host's hvd_error");
#ifdef MATRIX_FUTURE
        if (drv->abi_minor < HVD_ABI_MINOR)
            CHECK(box.e.future_error_value == 0xA5A5A5A5u, "older driver left the appended error member alone");
#endif
        if (rc == HVD_OK)
            drv->connect->close(conn);
        /* A host table smaller than 1.0's is refused at open. */
        hvd_host *tiny = guarded(sizeof(uint32_t));
        tiny->struct_size = sizeof(uint32_t);
        hvd_error e;
        memset(&e, 0, sizeof(e));
        e.struct_size = sizeof(e);
        rc = drv->connect->open("matrix-bogus-scheme://host/", NULL, 0, tiny, 0, &conn, &e);
        CHECK(rc == HVD_ERR_ABI_MISMATCH, "open(4-byte host table) -> HVD_ERR_ABI_MISMATCH (%d)", rc);
        if (rc == HVD_OK)
            drv->connect->close(conn);
    }
    if (drv->struct_size >= HVD_1_0_SIZEOF_hvd_driver)
        check_tables(drv, guarded_host(), live_uri);
#if HVD_ABI_MINOR >= 1
    if (expect_memory >= 0)
        check_memory(drv, minor, live_uri, expect_memory);
#else
    if (expect_memory >= 0)
        CHECK(0, "--expect-memory needs a host of 1.1 or later");
#endif
    /* What the future mock's open() read of this host's table. */
    if (expect_seen >= 0 && drv->get_extension != NULL) {
        typedef struct {
            uint32_t struct_size;
            int32_t seen;
            int64_t value;
        } future_seen;
        const future_seen *fs = drv->get_extension("mock/future-seen/1", 0);
        CHECK(fs != NULL, "mock future driver offers mock/future-seen/1");
        if (fs != NULL) {
            CHECK(fs->seen == expect_seen, "driver read the host's appended member: %d, expected %d", fs->seen,
                  expect_seen);
            if (fs->seen)
                CHECK(fs->value == 4242, "driver read the right appended value (%lld)", (long long)fs->value);
        }
    }

    if (drv->shutdown != NULL)
        drv->shutdown();
    dlclose(handle);
    printf("%s\n", failures ? "FAILED" : "OK");
    return failures ? 1 : 0;
}
