/* conformance.c — hvd-conformance: load any HVD driver and check the ABI
 * rules and its behaviour (ABI rule 20). See docs/conformance.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   hvd-conformance [OPTIONS] DRIVER.so
 *   hvd-conformance [OPTIONS] --manifest FILE.json
 *     --uri URI          also run the live checks against a server
 *     --user NAME        user name for the auth callback
 *     --password PASS    password for the auth callback (or $HVD_CONFORMANCE_PASSWORD)
 *     --write            live checks may change the server: define and undefine a
 *                        network (netdef.c), create and delete a small volume, a
 *                        file, two snapshots of a domain (their own only)
 *     --no-fork          run every group in this process (for debuggers)
 *
 * Each check prints one line, "PASS <id>: ..." or "FAIL <id>: ...", and
 * the exit status is 0 only if nothing failed. Each group of checks runs in a
 * child process, so a driver that crashes fails that group and the suite
 * goes on.
 */
#include "conformance.h"

#include <dirent.h>
#include <dlfcn.h>
#include <glib.h>
#include <json-c/json.h>
#include <link.h>
#include <malloc.h>
#if defined(__SANITIZE_ADDRESS__)
#define CONF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONF_ASAN 1
#endif
#endif
#ifdef CONF_ASAN
/* from <sanitizer/allocator_interface.h>, which gcc does not install */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Results                                                                   */
/* ------------------------------------------------------------------------ */

static int n_pass, n_fail, n_skip;

/* Shared with the parent, so it can name the check a crash happened in. */
typedef struct {
    char id[96];
    char detail[160];
} running_check;
static running_check *running;

void
conf_begin(const char *id, const char *detail)
{
    if (running == NULL)
        return;
    g_strlcpy(running->id, id, sizeof(running->id));
    g_strlcpy(running->detail, detail ? detail : "", sizeof(running->detail));
}

void
conf_check(int ok, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s %s: ", ok ? "PASS" : "FAIL", id);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    if (ok)
        n_pass++;
    else
        n_fail++;
}

void
conf_skip(const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("SKIP %s: ", id);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    n_skip++;
}

void
conf_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("     ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}

int
conf_message_ok(const hvd_error *err)
{
    if (!HVD_HAS_MEMBER(err, hvd_error, message))
        return 1;
    const char *end = memchr(err->message, '\0', sizeof(err->message));
    return end != NULL && end != err->message && g_utf8_validate(err->message, end - err->message, NULL);
}

int
conf_check_error(const char *id, const char *what, int32_t rc, int32_t want, const hvd_error *err)
{
    int ok = rc == want && err->code == rc && conf_message_ok(err);
    conf_check(ok, id, "%s -> %d (want %d), error code %d, message \"%.300s\"", what, rc, want, err->code,
               memchr(err->message, '\0', sizeof(err->message)) ? err->message : "<not terminated>");
    return ok;
}

/* ------------------------------------------------------------------------ */
/* Process state                                                             */
/* ------------------------------------------------------------------------ */

static int
count_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.')
            n++;
    }
    closedir(d);
    return n;
}

int
conf_count_threads(void)
{
    return count_dir("/proc/self/task");
}

int
conf_count_fds(void)
{
    return count_dir("/proc/self/fd") - 1; /* minus the DIR's own descriptor */
}

/* Bytes of heap in use (ASan keeps its own books; mallinfo2 is glibc's). */
size_t
conf_heap_in_use(void)
{
#ifdef CONF_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

int
conf_in_driver(const conf_ctx *c, const void *ptr)
{
    Dl_info info;
    return ptr != NULL && dladdr(ptr, &info) != 0 && info.dli_fbase == c->base;
}

/* ------------------------------------------------------------------------ */
/* Runner                                                                    */
/* ------------------------------------------------------------------------ */

static int no_fork;

static void
run_group(conf_ctx *c, const char *name, void (*fn)(conf_ctx *))
{
    printf("--- %s\n", name);
    fflush(stdout);
    if (no_fork) {
        fn(c);
        return;
    }
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        perror("pipe");
        exit(2);
    }
    if (running == NULL) {
        running = mmap(NULL, sizeof(*running), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (running == MAP_FAILED) {
            perror("mmap");
            exit(2);
        }
    }
    memset(running, 0, sizeof(*running));
    g_strlcpy(running->id, name, sizeof(running->id));
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        n_pass = n_fail = n_skip = 0;
        fn(c);
        fflush(stdout);
        int counts[3] = { n_pass, n_fail, n_skip };
        if (write(pipefd[1], counts, sizeof(counts)) != (ssize_t)sizeof(counts))
            _exit(3);
        _exit(0);
    }
    close(pipefd[1]);
    int counts[3] = { 0, 0, 0 };
    ssize_t got = read(pipefd[0], counts, sizeof(counts));
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    n_pass += counts[0];
    n_fail += counts[1];
    n_skip += counts[2];
    if (got != (ssize_t)sizeof(counts) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            conf_check(0, running->id, "the driver crashed (signal %d: %s)%s%s; the rest of group '%s' did not run",
                       WTERMSIG(status), strsignal(WTERMSIG(status)), running->detail[0] ? " in " : "", running->detail,
                       name);
        else
            conf_check(0, running->id, "the group '%s' died%s%s (exit status %d, e.g. a sanitizer report above)", name,
                       running->detail[0] ? " in " : "", running->detail, WEXITSTATUS(status));
    }
}

/* library_path of a driver manifest, resolved like libhvd-loader does. */
static char *
manifest_library(const char *manifest)
{
    json_object *root = json_object_from_file(manifest);
    json_object *drv = NULL, *lib = NULL;
    char *out = NULL;
    if (root != NULL && json_object_object_get_ex(root, "driver", &drv) &&
        json_object_object_get_ex(drv, "library_path", &lib) && json_object_is_type(lib, json_type_string)) {
        const char *p = json_object_get_string(lib);
        if (g_path_is_absolute(p) || strchr(p, '/') == NULL) {
            out = g_strdup(p);
        } else {
            g_autofree char *abs = g_canonicalize_filename(manifest, NULL);
            g_autofree char *dir = g_path_get_dirname(abs);
            out = g_canonicalize_filename(p, dir);
        }
    }
    json_object_put(root);
    return out;
}

static void
usage(FILE *f, const char *argv0)
{
    fprintf(f,
            "usage: %s [--uri URI [--user NAME] [--password PASS] [--write]] [--no-fork] [--verbose] DRIVER.so\n"
            "       %s [...] --manifest FILE.json\n"
            "Checks that an HVD driver follows the HVD %d.%d ABI rules. Without --uri every check is\n"
            "offline; with --uri it also connects (the password may come from $HVD_CONFORMANCE_PASSWORD)\n"
            "and reads; with --write too it creates and deletes objects of its own (a network, a small\n"
            "volume, a file, two snapshots of a domain without any).\n"
            "Prints one PASS/FAIL line per check; exits 1 if any check failed, 2 on usage errors.\n",
            argv0, argv0, HVD_ABI_MAJOR, HVD_ABI_MINOR);
}

int
main(int argc, char **argv)
{
    conf_ctx c = { 0 };
    const char *manifest = NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else if (strcmp(a, "--uri") == 0 && v) {
            c.uri = v, i++;
        } else if (strcmp(a, "--user") == 0 && v) {
            c.user = v, i++;
        } else if (strcmp(a, "--password") == 0 && v) {
            c.password = v, i++;
        } else if (strcmp(a, "--manifest") == 0 && v) {
            manifest = v, i++;
        } else if (strcmp(a, "--write") == 0) {
            c.write = 1;
        } else if (strcmp(a, "--no-fork") == 0) {
            no_fork = 1;
        } else if (strcmp(a, "--verbose") == 0) {
            c.verbose = 1;
        } else if (a[0] != '-' && c.library == NULL) {
            c.library = a;
        } else {
            usage(stderr, argv[0]);
            return 2;
        }
    }
    if (c.password == NULL)
        c.password = g_getenv("HVD_CONFORMANCE_PASSWORD");
    g_autofree char *from_manifest = NULL;
    if (manifest != NULL) {
        from_manifest = manifest_library(manifest);
        if (from_manifest == NULL) {
            fprintf(stderr, "hvd-conformance: cannot read \"library_path\" from manifest %s\n", manifest);
            return 2;
        }
        c.library = from_manifest;
    }
    if (c.library == NULL) {
        usage(stderr, argv[0]);
        return 2;
    }
    printf("hvd-conformance for HVD %d.%d: %s\n", HVD_ABI_MAJOR, HVD_ABI_MINOR, c.library);

    int threads0 = conf_count_threads();
    c.handle = dlopen(c.library, RTLD_NOW | RTLD_LOCAL);
    conf_check(c.handle != NULL, "load.dlopen", "dlopen(%s)%s%s", c.library, c.handle ? "" : ": ",
               c.handle ? "" : dlerror());
    if (c.handle == NULL)
        goto done;
    conf_check(conf_count_threads() == threads0, "load.no-threads", "loading starts no thread (%d -> %d)", threads0,
               conf_count_threads());
    struct link_map *lm = NULL;
    if (dlinfo(c.handle, RTLD_DI_LINKMAP, &lm) == 0 && lm != NULL) {
        Dl_info info;
        if (lm->l_ld != NULL && dladdr(lm->l_ld, &info) != 0)
            c.base = info.dli_fbase;
    }
    run_group(&c, "symbol", conf_group_symbol);
    void *sym = dlsym(c.handle, HVD_ENTRY_SYMBOL);
    if (sym == NULL)
        goto done;
    Dl_info sym_info;
    if (dladdr(sym, &sym_info) == 0 || sym_info.dli_fbase != c.base) {
        conf_info("%s is not the driver's own symbol: not calling it", HVD_ENTRY_SYMBOL);
        goto done;
    }
    memcpy(&c.entry, &sym, sizeof(c.entry));
    /* The first entry call, measured here: a forked child would not see
     * threads that a driver started in this process. */
    int threads1 = conf_count_threads(), fds1 = conf_count_fds();
    size_t heap0 = conf_heap_in_use();
    int32_t rc = c.entry(HVD_ABI_MINOR, &c.drv, &c.minor);
    size_t heap1 = conf_heap_in_use();
    int threads2 = conf_count_threads(), fds2 = conf_count_fds();
    conf_check(rc == HVD_OK && c.drv != NULL, "negotiate.this-host",
               "the driver accepts a HVD %d.%d host (-> %d, minor %u)", HVD_ABI_MAJOR, HVD_ABI_MINOR, rc, c.minor);
    conf_check(threads2 == threads1, "negotiate.no-threads", "the entry call starts no thread (%d -> %d)", threads1,
               threads2);
    conf_check(fds2 == fds1, "negotiate.no-fds", "the entry call opens no file or socket (%d -> %d)", fds1, fds2);
    conf_check(heap1 == heap0, "negotiate.no-alloc", "the entry call keeps no heap memory (%zu -> %zu bytes)", heap0,
               heap1);
    if (rc != HVD_OK || c.drv == NULL)
        goto done;
    run_group(&c, "negotiate", conf_group_negotiate);
    run_group(&c, "tables", conf_group_tables);
    if (c.drv->struct_size < HVD_1_0_SIZEOF_hvd_driver || c.drv->free == NULL || c.drv->init == NULL ||
        c.drv->shutdown == NULL)
        goto done;
    c.scheme = c.drv->uri_schemes && c.drv->uri_schemes[0] ? c.drv->uri_schemes[0] : "hvd-conformance";
    run_group(&c, "lifecycle", conf_group_lifecycle);
    run_group(&c, "offline", conf_group_offline);
    if (c.uri != NULL)
        run_group(&c, "live", conf_live);
    else
        conf_skip("live", "no --uri given: live checks not run");

done:
    printf("=== %s: %d passed, %d failed, %d skipped\n", n_fail ? "FAIL" : "PASS", n_pass, n_fail, n_skip);
    /* The driver stays loaded: unloading is the host's business and the
     * suite checks the driver, not dlclose(). */
    return n_fail ? 1 : 0;
}
