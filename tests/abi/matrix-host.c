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
 *
 * The host table passed to open() sits at the very end of a readable page,
 * followed by an inaccessible page: a driver reading past the struct_size the
 * host gave it crashes the test instead of silently reading garbage.
 */
#if defined(MATRIX_OLD)
#include "hvd-1.0.h"
#define HOST_KIND "old (1.0) host"
#elif defined(MATRIX_FUTURE)
#include "hvd-future.h"
#define HOST_KIND "future host"
#else
#include "hvd.h"
#define HOST_KIND "current host"
#endif

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        if (cond) {                                          \
            printf("PASS: " __VA_ARGS__);                    \
        } else {                                             \
            printf("FAIL: " __VA_ARGS__);                    \
            failures++;                                      \
        }                                                    \
        printf("\n");                                        \
    } while (0)

static void HVD_CALL
host_log(void *user_data, int32_t level, const char *component, const char *message)
{
    (void)user_data;
    printf("  [driver log %d %s] %s\n", level, component ? component : "", message ? message : "");
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

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DRIVER.so [--expect-status CODE] [--expect-minor N] [--expect-seen 0|1] "
                        "[--expect-driver-future 0|1]\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    int expect_status = HVD_OK, expect_minor = -1, expect_seen = -1, expect_future = -1;
    for (int i = 2; i + 1 < argc; i += 2) {
        int v = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--expect-status") == 0)
            expect_status = v;
        else if (strcmp(argv[i], "--expect-minor") == 0)
            expect_minor = v;
        else if (strcmp(argv[i], "--expect-seen") == 0)
            expect_seen = v;
        else if (strcmp(argv[i], "--expect-driver-future") == 0)
            expect_future = v;
        else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    printf("%s (ABI %d.%d, sizeof hvd_host %zu, hvd_error %zu) loading %s\n", HOST_KIND, HVD_ABI_MAJOR,
           HVD_ABI_MINOR, sizeof(hvd_host), sizeof(hvd_error), path);

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
    CHECK(HVD_HAS_MEMBER(drv, hvd_driver, native), "hvd_driver.struct_size %u holds every 1.0 member",
          drv->struct_size);

#ifdef MATRIX_FUTURE
    /* A future host reads the appended member only if negotiation and the
     * driver's struct_size allow it. */
    int has_future = minor >= 1 && HVD_HAS_MEMBER(drv, hvd_driver, future_driver_value);
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
        if (drv->abi_minor < 1)
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
