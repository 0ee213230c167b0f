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
#include <elf.h>
#include <fcntl.h>
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
#include <sys/stat.h>
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

static int
message_ok(const hvd_error *err)
{
    if (!HVD_HAS_MEMBER(err, hvd_error, message))
        return 1;
    const char *end = memchr(err->message, '\0', sizeof(err->message));
    return end != NULL && end != err->message && g_utf8_validate(err->message, end - err->message, NULL);
}

int
conf_check_error(const char *id, const char *what, int32_t rc, int32_t want, const hvd_error *err)
{
    int ok = rc == want && err->code == rc && message_ok(err);
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
static size_t
heap_in_use(void)
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
/* Tables                                                                    */
/* ------------------------------------------------------------------------ */

const char *const conf_table_names[8] = {
    "connect", "domain", "snapshot", "sched", "storage", "network", "migrate", "native",
};
const uint32_t conf_table_sizes_1_0[8] = {
    HVD_1_0_SIZEOF_hvd_connect_table, HVD_1_0_SIZEOF_hvd_domain_table, HVD_1_0_SIZEOF_hvd_snapshot_table,
    HVD_1_0_SIZEOF_hvd_sched_table,   HVD_1_0_SIZEOF_hvd_storage_table, HVD_1_0_SIZEOF_hvd_network_table,
    HVD_1_0_SIZEOF_hvd_migrate_table, HVD_1_0_SIZEOF_hvd_native_table,
};
const uint64_t conf_table_caps[8] = {
    HVD_CAP_CONNECT, HVD_CAP_DOMAIN, HVD_CAP_SNAPSHOT, HVD_CAP_SCHED,
    HVD_CAP_STORAGE, HVD_CAP_NETWORK, HVD_CAP_MIGRATE, HVD_CAP_NATIVE,
};

const void *
conf_table(const conf_ctx *c, int i)
{
    const hvd_driver *d = c->drv;
    switch (i) {
    case 0: return d->connect;
    case 1: return d->domain;
    case 2: return d->snapshot;
    case 3: return d->sched;
    case 4: return d->storage;
    case 5: return d->network;
    case 6: return d->migrate;
    case 7: return d->native;
    default: return NULL;
    }
}

static const void *
member_at(const void *table, size_t offset)
{
    uint32_t size;
    memcpy(&size, table, sizeof(size));
    if (offset + sizeof(void (*)(void)) > size)
        return NULL;
    void (*fn)(void);
    memcpy(&fn, (const char *)table + offset, sizeof(fn));
    const void *p;
    memcpy(&p, &fn, sizeof(p));
    return p;
}

const void *
conf_member_fn(const conf_ctx *c, const conf_member *m)
{
    const void *t = conf_table(c, m->table);
    return t == NULL ? NULL : member_at(t, m->offset);
}

/* ------------------------------------------------------------------------ */
/* Group: the exported symbol (rule 1, 17)                                   */
/* ------------------------------------------------------------------------ */

/* Defined dynamic symbols of the ELF file, except version-node names. */
static GPtrArray *
exported_symbols(const char *path, GString *why)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL) || len < sizeof(Elf64_Ehdr)) {
        g_string_printf(why, "cannot read %s", path);
        return NULL;
    }
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(const void *)data;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shoff == 0 || eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len) {
        g_string_printf(why, "%s is not a 64-bit ELF file with section headers", path);
        return NULL;
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(const void *)(data + eh->e_shoff);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > len || strs->sh_offset + strs->sh_size > len)
            break;
        const Elf64_Sym *syms = (const Elf64_Sym *)(const void *)(data + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        for (size_t k = 1; k < n; k++) {
            int bind = ELF64_ST_BIND(syms[k].st_info);
            if (syms[k].st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK))
                continue;
            if (syms[k].st_shndx == SHN_ABS && syms[k].st_value == 0)
                continue; /* a version node (e.g. HVD_1.0) */
            if (syms[k].st_name < strs->sh_size)
                g_ptr_array_add(out, g_strdup(data + strs->sh_offset + syms[k].st_name));
        }
    }
    return out;
}

static void
group_symbol(conf_ctx *c)
{
    void *sym = dlsym(c->handle, HVD_ENTRY_SYMBOL);
    conf_check(sym != NULL, "entry.present", "%s exports %s", c->library, HVD_ENTRY_SYMBOL);
    if (sym == NULL)
        return;
    Dl_info info;
    const ElfW(Sym) *esym = NULL;
    int found = dladdr1(sym, &info, (void **)&esym, RTLD_DL_SYMENT) != 0;
    conf_check(found && info.dli_fbase == c->base, "entry.own",
               "%s resolves inside the driver itself (not in a dependency or the host)", HVD_ENTRY_SYMBOL);
    conf_check(found && esym != NULL && ELF64_ST_TYPE(esym->st_info) == STT_FUNC, "entry.function",
               "%s is a function symbol (STT_FUNC)", HVD_ENTRY_SYMBOL);
    g_autoptr(GString) why = g_string_new(NULL);
    g_autoptr(GPtrArray) names = exported_symbols(c->library, why);
    if (names == NULL) {
        conf_check(0, "exports.single", "%s", why->str);
        return;
    }
    g_autoptr(GString) list = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++)
        g_string_append_printf(list, "%s%s", i ? ", " : "", (char *)names->pdata[i]);
    conf_check(names->len == 1 && strcmp(names->pdata[0], HVD_ENTRY_SYMBOL) == 0, "exports.single",
               "the driver exports exactly one symbol (exports: %s)", list->str);
}

/* ------------------------------------------------------------------------ */
/* Group: negotiation (rules 2, 3)                                           */
/* ------------------------------------------------------------------------ */

/* A host table at the end of a page followed by an inaccessible page: a
 * driver that reads beyond struct_size crashes this group. */
static hvd_host *
guarded(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || mprotect(base + page, (size_t)page, PROT_NONE) != 0)
        abort();
    size_t at = ((size_t)page - size) & ~(size_t)7;
    memset(base + at, 0, size);
    hvd_host *h = (hvd_host *)(void *)(base + at);
    h->struct_size = (uint32_t)size;
    return h;
}

static void
group_negotiate(conf_ctx *c)
{
    const hvd_driver *d = NULL, *d2 = NULL;
    uint32_t minor = 0, minor2 = 0;
    int threads = conf_count_threads(), fds = conf_count_fds();
    size_t heap0 = heap_in_use();

    int32_t rc = c->entry(HVD_ABI_MINOR, NULL, NULL, &minor);
    conf_check(rc == HVD_ERR_INVALID_ARG, "negotiate.null-driver-out", "entry(driver_out = NULL) -> %d (want %d)", rc,
               HVD_ERR_INVALID_ARG);
    rc = c->entry(HVD_ABI_MINOR, NULL, &d, NULL);
    conf_check(rc == HVD_ERR_INVALID_ARG, "negotiate.null-minor-out", "entry(minor_out = NULL) -> %d (want %d)", rc,
               HVD_ERR_INVALID_ARG);
    hvd_host *tiny = guarded(sizeof(uint32_t));
    rc = c->entry(HVD_ABI_MINOR, tiny, &d, &minor);
    conf_check(rc == HVD_ERR_ABI_MISMATCH, "negotiate.small-host",
               "a host table of 4 bytes (smaller than 1.0's %u) -> %d (want HVD_ERR_ABI_MISMATCH)",
               HVD_1_0_SIZEOF_hvd_host, rc);

    hvd_host *h10 = guarded(HVD_1_0_SIZEOF_hvd_host);
    rc = c->entry(HVD_ABI_MINOR, h10, &d, &minor);
    int32_t rc2 = c->entry(HVD_ABI_MINOR, h10, &d2, &minor2);
    conf_check(rc == HVD_OK && rc2 == HVD_OK && d == d2 && d == c->drv && minor == minor2 && minor == c->minor,
               "negotiate.repeatable", "entry calls give the same table and minor (%d/%d, minor %u/%u)", rc, rc2,
               minor, minor2);
    /* Hosts of other minors; later ones pass a larger, zero-filled table. */
    hvd_host *big = guarded(HVD_1_0_SIZEOF_hvd_host + 64);
    int ok = 1, refused_above = 0;
    const uint32_t minors[] = { 0, 1, 2, 3, c->drv->abi_minor, c->drv->abi_minor + 1, 1000 };
    for (size_t i = 0; i < sizeof(minors) / sizeof(minors[0]); i++) {
        uint32_t want = minors[i] < c->drv->abi_minor ? minors[i] : c->drv->abi_minor;
        minor = UINT32_MAX;
        rc = c->entry(minors[i], minors[i] > HVD_ABI_MINOR ? big : h10, &d, &minor);
        /* A driver may need a minimum host minor, but then it refuses every
         * host below it and none above. */
        if (rc == HVD_ERR_ABI_MISMATCH && minors[i] > HVD_ABI_MINOR)
            refused_above = 1;
        if ((rc == HVD_OK && (minor != want || d != c->drv)) || (rc != HVD_OK && rc != HVD_ERR_ABI_MISMATCH))
            ok = 0;
        conf_info("entry(host minor %u) -> %d, minor %u (want %u)", minors[i], rc, minor, want);
    }
    conf_check(ok && !refused_above, "negotiate.min",
               "the negotiated minor is min(host, driver %u) for every host minor", c->drv->abi_minor);
    rc = c->entry(HVD_ABI_MINOR, NULL, &d, &minor);
    conf_check(rc == HVD_OK, "negotiate.null-host", "entry(host = NULL) -> %d (every upcall is optional)", rc);

    size_t heap1 = heap_in_use();
    int t1 = conf_count_threads(), f1 = conf_count_fds();
    conf_check(t1 == threads && f1 == fds && heap1 == heap0, "negotiate.no-side-effects",
               "repeated entry calls start no thread (%d -> %d), open nothing (%d -> %d), keep no memory "
               "(%zu -> %zu bytes)", threads, t1, fds, f1, heap0, heap1);
}

/* ------------------------------------------------------------------------ */
/* Group: tables and capabilities (rules 5, 7)                               */
/* ------------------------------------------------------------------------ */

static int
scheme_ok(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
            return 0;
    }
    return 1;
}

static void
group_tables(conf_ctx *c)
{
    const hvd_driver *d = c->drv;
    conf_check(d->struct_size >= HVD_1_0_SIZEOF_hvd_driver && d->struct_size <= 65536 && d->struct_size % 8 == 0,
               "driver.struct_size", "hvd_driver.struct_size %u >= 1.0's %u, sane", d->struct_size,
               HVD_1_0_SIZEOF_hvd_driver);
    if (d->struct_size < HVD_1_0_SIZEOF_hvd_driver)
        return;
    conf_check(d->abi_major == HVD_ABI_MAJOR && d->abi_minor >= c->minor, "driver.abi",
               "hvd_driver.abi_major %u, abi_minor %u (negotiated %u)", d->abi_major, d->abi_minor, c->minor);
    conf_check(d->reserved0 == 0, "driver.reserved", "hvd_driver.reserved0 is 0");
    conf_check(d->name != NULL && *d->name && d->version != NULL && *d->version && d->description != NULL,
               "driver.strings", "name \"%s\", version \"%s\", description \"%s\"", d->name ? d->name : "(null)",
               d->version ? d->version : "(null)", d->description ? d->description : "(null)");
    int schemes = 0, schemes_ok = d->uri_schemes != NULL;
    for (int i = 0; d->uri_schemes != NULL && d->uri_schemes[i] != NULL && i < 64; i++, schemes++)
        schemes_ok &= scheme_ok(d->uri_schemes[i]);
    conf_check(schemes_ok && schemes > 0, "driver.schemes",
               "%d URI scheme(s), lower-case [a-z0-9.-] (no '+': transports are not schemes)", schemes);
    conf_check(d->free != NULL && d->init != NULL && d->shutdown != NULL, "driver.required",
               "free, init and shutdown are present");
    int in_driver = conf_in_driver(c, (const void *)d) && (d->free == NULL || conf_in_driver(c, member_at(d, offsetof(hvd_driver, free)))) &&
                    (d->init == NULL || conf_in_driver(c, member_at(d, offsetof(hvd_driver, init)))) &&
                    (d->shutdown == NULL || conf_in_driver(c, member_at(d, offsetof(hvd_driver, shutdown)))) &&
                    (d->get_extension == NULL || conf_in_driver(c, member_at(d, offsetof(hvd_driver, get_extension))));
    conf_check(in_driver, "driver.pointers", "the table and its functions live in the driver's own object");

    uint64_t known = HVD_CAP_CONNECT | HVD_CAP_DOMAIN | HVD_CAP_SNAPSHOT | HVD_CAP_SCHED | HVD_CAP_STORAGE |
                     HVD_CAP_NETWORK | HVD_CAP_MIGRATE | HVD_CAP_NATIVE | HVD_CAP_PROGRESS | HVD_CAP_CANCEL;
    for (int i = 0; i < 8; i++) {
        const void *t = conf_table(c, i);
        int bit = (d->capabilities & conf_table_caps[i]) != 0;
        char id[64];
        snprintf(id, sizeof(id), "caps.%s", conf_table_names[i]);
        conf_check(bit == (t != NULL), id, "capability bit %s, sub-table %s", bit ? "set" : "clear",
                   t ? "present" : "NULL");
        if (t == NULL)
            continue;
        uint32_t size, reserved;
        memcpy(&size, t, 4);
        memcpy(&reserved, (const char *)t + 4, 4);
        snprintf(id, sizeof(id), "table.%s.struct_size", conf_table_names[i]);
        conf_check(size >= conf_table_sizes_1_0[i] && size <= 65536 && size % 8 == 0, id,
                   "struct_size %u >= 1.0's %u, sane", size, conf_table_sizes_1_0[i]);
        snprintf(id, sizeof(id), "table.%s.reserved", conf_table_names[i]);
        conf_check(reserved == 0, id, "reserved0 is 0");
        int any = 0, own = conf_in_driver(c, t);
        size_t lim = size < conf_table_sizes_1_0[i] ? size : conf_table_sizes_1_0[i];
        for (size_t off = 8; off + sizeof(void *) <= lim; off += sizeof(void *)) {
            const void *fn = member_at(t, off);
            if (fn != NULL) {
                any = 1;
                own &= conf_in_driver(c, fn);
            }
        }
        snprintf(id, sizeof(id), "table.%s.nonempty", conf_table_names[i]);
        conf_check(any, id, "a present sub-table offers at least one operation (else it must be NULL)");
        snprintf(id, sizeof(id), "table.%s.pointers", conf_table_names[i]);
        conf_check(own, id, "the sub-table and its functions live in the driver's own object");
    }
    if (d->abi_minor <= HVD_ABI_MINOR)
        conf_check((d->capabilities & ~known) == 0, "caps.unknown", "no capability bit beyond ABI %d.%u's (0x%llx)",
                   HVD_ABI_MAJOR, d->abi_minor, (unsigned long long)(d->capabilities & ~known));
    conf_check(!(d->capabilities & HVD_CAP_CANCEL) || (d->capabilities & HVD_CAP_PROGRESS), "caps.cancel",
               "HVD_CAP_CANCEL implies HVD_CAP_PROGRESS (cancel goes through the progress callback)");
    if (d->connect != NULL && d->struct_size >= HVD_1_0_SIZEOF_hvd_driver)
        conf_check(d->connect->open != NULL && d->connect->close != NULL, "table.connect.open-close",
                   "a connect table has open and close");
}

/* ------------------------------------------------------------------------ */
/* Group: lifecycle (rule 3, 11)                                             */
/* ------------------------------------------------------------------------ */

static void
group_lifecycle(conf_ctx *c)
{
    const hvd_driver *d = c->drv;
    conf_begin("free.null", "free(NULL)");
    d->free(NULL);
    conf_check(1, "free.null", "free(NULL) is a no-op");
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = d->init(CONF_BAD_FLAG, &err);
    conf_check_error("flags.init", "init(unknown flag)", rc, HVD_ERR_BAD_FLAGS, &err);
    if (rc == HVD_OK)
        d->shutdown();
    int32_t a = d->init(0, NULL), b = d->init(0, NULL);
    conf_check(a == HVD_OK && b == HVD_OK, "init.twice", "init() twice -> %d, %d", a, b);
    d->shutdown();
    d->shutdown();
    conf_check(1, "shutdown.twice", "shutdown() twice returned");
    a = d->init(0, NULL);
    conf_check(a == HVD_OK, "init.again", "init() after the last shutdown() -> %d", a);
    if (a == HVD_OK)
        d->shutdown();
}

/* ------------------------------------------------------------------------ */
/* Group: offline argument checks (rules 8, 12)                              */
/* ------------------------------------------------------------------------ */

/* A URI of the driver's scheme that is well-formed but points nowhere (a
 * closed local port): a driver that checks its arguments first never goes
 * near the network. */
static char *
nowhere_uri(const conf_ctx *c)
{
    return g_strdup_printf("%s://127.0.0.1:1/", c->scheme);
}

static void
group_offline(conf_ctx *c)
{
    const hvd_driver *d = c->drv;
    d->init(0, NULL);
    if (d->connect != NULL && d->connect->open != NULL) {
        g_autofree char *nowhere = nowhere_uri(c);
        g_autofree char *malformed = g_strdup_printf("%s://host:notaport/", c->scheme);
        hvd_conn *conn = NULL;
        hvd_error err = HVD_ERROR_INIT;
        int32_t rc = d->connect->open(nowhere, NULL, 0, NULL, CONF_BAD_FLAG, &conn, &err);
        conf_check_error("flags.open", "open(unknown flag)", rc, HVD_ERR_BAD_FLAGS, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
        err = (hvd_error)HVD_ERROR_INIT;
        conf_begin("nullout.open", "open(conn_out = NULL)");
        rc = d->connect->open(nowhere, NULL, 0, NULL, 0, NULL, &err);
        conf_check_error("nullout.open", "open(conn_out = NULL)", rc, HVD_ERR_INVALID_ARG, &err);

        err = (hvd_error)HVD_ERROR_INIT;
        rc = d->connect->open(malformed, NULL, 0, NULL, 0, &conn, &err);
        conf_check_error("uri.malformed-port", malformed, rc, HVD_ERR_URI, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
        err = (hvd_error)HVD_ERROR_INIT;
        rc = d->connect->open("hvd-conformance-foreign://host/", NULL, 0, NULL, 0, &conn, &err);
        conf_check_error("uri.foreign-scheme", "hvd-conformance-foreign://host/", rc, HVD_ERR_URI, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
        err = (hvd_error)HVD_ERROR_INIT;
        rc = d->connect->open("", NULL, 0, NULL, 0, &conn, &err);
        conf_check_error("uri.empty", "open(\"\")", rc, HVD_ERR_URI, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
        err = (hvd_error)HVD_ERROR_INIT;
        rc = d->connect->open(NULL, NULL, 0, NULL, 0, &conn, &err);
        conf_check((rc == HVD_ERR_URI || rc == HVD_ERR_INVALID_ARG) && err.code == rc && message_ok(&err), "uri.null",
                   "open(NULL) -> %d (HVD_ERR_URI or HVD_ERR_INVALID_ARG), message \"%.200s\"", rc, err.message);
        if (rc == HVD_OK)
            d->connect->close(conn);
        rc = d->connect->open(malformed, NULL, 0, NULL, 0, &conn, NULL);
        conf_check(rc == HVD_ERR_URI, "error.null", "a NULL hvd_error is accepted (-> %d)", rc);
        if (rc == HVD_OK)
            d->connect->close(conn);
        d->connect->close(NULL);
        conf_check(1, "close.null", "close(NULL) is a no-op");

        /* Truncated error structs: nothing written beyond struct_size. */
        const uint32_t sizes[] = { 4, offsetof(hvd_error, fault), offsetof(hvd_error, message),
                                   offsetof(hvd_error, message) + 16, sizeof(hvd_error), sizeof(hvd_error) + 40 };
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            unsigned char box[sizeof(hvd_error) + 128];
            memset(box, 0xC5, sizeof(box));
            hvd_error *e = (hvd_error *)(void *)box;
            e->struct_size = sizes[i];
            rc = d->connect->open(malformed, NULL, 0, NULL, 0, &conn, e);
            if (rc == HVD_OK)
                d->connect->close(conn);
            int intact = 1;
            for (size_t k = sizes[i]; k < sizeof(box); k++)
                intact &= box[k] == 0xC5;
            uint32_t back = e->struct_size;
            int code_ok = sizes[i] < offsetof(hvd_error, fault) || e->code == rc;
            int msg_ok = sizes[i] < sizeof(hvd_error) || message_ok(e);
            char id[64];
            snprintf(id, sizeof(id), "error.truncate-%u", sizes[i]);
            conf_check(intact && back <= sizes[i] && code_ok && msg_ok, id,
                       "hvd_error of %u bytes: nothing written beyond it (%s), struct_size written back %u, "
                       "code %s, message %s", sizes[i], intact ? "ok" : "OVERWRITTEN", back, code_ok ? "ok" : "wrong",
                       msg_ok ? "ok" : "bad");
        }
    } else {
        conf_skip("uri.malformed-port", "the driver has no connect table");
    }

    if (d->native != NULL) {
        const char *names[2] = { "to_xml", "from_xml" };
        for (int i = 0; i < 2; i++) {
            int32_t (HVD_CALL *fn)(hvd_conn *, const char *, const char *, const hvd_param *, uint32_t, uint32_t,
                                   char **, hvd_error *) = i == 0 ? d->native->to_xml : d->native->from_xml;
            if (fn == NULL)
                continue;
            char id[64];
            char *out = NULL;
            hvd_error err = HVD_ERROR_INIT;
            int32_t rc = fn(NULL, "hvd-conformance-format", "x", NULL, 0, CONF_BAD_FLAG, &out, &err);
            snprintf(id, sizeof(id), "flags.native.%s", names[i]);
            conf_check_error(id, "native conversion with an unknown flag", rc, HVD_ERR_BAD_FLAGS, &err);
            if (rc == HVD_OK)
                d->free(out);
            err = (hvd_error)HVD_ERROR_INIT;
            snprintf(id, sizeof(id), "nullout.native.%s", names[i]);
            conf_begin(id, "native conversion with a NULL output");
            rc = fn(NULL, "hvd-conformance-format", "x", NULL, 0, 0, NULL, &err);
            conf_check_error(id, "native conversion with a NULL output", rc, HVD_ERR_INVALID_ARG, &err);
            err = (hvd_error)HVD_ERROR_INIT;
            out = NULL;
            rc = fn(NULL, "hvd-conformance-format", "x", NULL, 0, 0, &out, &err);
            snprintf(id, sizeof(id), "native.%s.unknown-format", names[i]);
            conf_check_error(id, "an unknown native format", rc, HVD_ERR_NO_SUPPORT, &err);
            if (rc == HVD_OK)
                d->free(out);
        }
    }

    /* Every connection operation refuses a NULL connection. */
    int all = 1, n = 0;
    for (size_t i = 0; i < conf_nmembers; i++) {
        const conf_member *m = &conf_members[i];
        const void *t = conf_table(c, m->table);
        if (conf_member_fn(c, m) == NULL)
            continue;
        hvd_error err = HVD_ERROR_INIT;
        conf_begin("conn.null", m->name);
        int32_t rc = m->call(c, t, NULL, 0, 0, &err);
        n++;
        if (rc != HVD_ERR_INVALID_ARG || err.code != rc || !message_ok(&err)) {
            all = 0;
            conf_info("%s(conn = NULL) -> %d, message \"%.200s\"", m->name, rc, err.message);
        }
    }
    conf_check(all, "conn.null", "%d operation(s) refuse a NULL connection with HVD_ERR_INVALID_ARG", n);

    if (d->get_extension != NULL) {
        const void *ext = d->get_extension("hvd-conformance.invalid/1", 0);
        conf_check(ext == NULL, "extension.unknown", "get_extension(unknown id) is NULL");
        ext = d->get_extension(NULL, 0);
        conf_check(ext == NULL, "extension.null", "get_extension(NULL) is NULL");
    }
    d->shutdown();
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
                       WTERMSIG(status), strsignal(WTERMSIG(status)), running->detail[0] ? " in " : "",
                       running->detail, name);
        else
            conf_check(0, running->id, "the group '%s' died%s%s (exit status %d, e.g. a sanitizer report above)",
                       name, running->detail[0] ? " in " : "", running->detail, WEXITSTATUS(status));
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
            "usage: %s [--uri URI [--user NAME] [--password PASS]] [--no-fork] [--verbose] DRIVER.so\n"
            "       %s [...] --manifest FILE.json\n"
            "Checks that an HVD driver follows the HVD %d.%d ABI rules. Without --uri every check is\n"
            "offline; with --uri it also connects (the password may come from $HVD_CONFORMANCE_PASSWORD).\n"
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
    run_group(&c, "symbol", group_symbol);
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
    size_t heap0 = heap_in_use();
    int32_t rc = c.entry(HVD_ABI_MINOR, NULL, &c.drv, &c.minor);
    size_t heap1 = heap_in_use();
    int threads2 = conf_count_threads(), fds2 = conf_count_fds();
    conf_check(rc == HVD_OK && c.drv != NULL, "negotiate.this-host",
               "the driver accepts a HVD %d.%d host (-> %d, minor %u)", HVD_ABI_MAJOR, HVD_ABI_MINOR, rc, c.minor);
    conf_check(threads2 == threads1, "negotiate.no-threads", "the entry call starts no thread (%d -> %d)", threads1,
               threads2);
    conf_check(fds2 == fds1, "negotiate.no-fds", "the entry call opens no file or socket (%d -> %d)", fds1, fds2);
    conf_check(heap1 == heap0, "negotiate.no-alloc", "the entry call keeps no heap memory (%zu -> %zu bytes)",
               heap0, heap1);
    if (rc != HVD_OK || c.drv == NULL)
        goto done;
    run_group(&c, "negotiate", group_negotiate);
    run_group(&c, "tables", group_tables);
    if (c.drv->struct_size < HVD_1_0_SIZEOF_hvd_driver || c.drv->free == NULL || c.drv->init == NULL ||
        c.drv->shutdown == NULL)
        goto done;
    c.scheme = c.drv->uri_schemes && c.drv->uri_schemes[0] ? c.drv->uri_schemes[0] : "hvd-conformance";
    run_group(&c, "lifecycle", group_lifecycle);
    run_group(&c, "offline", group_offline);
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
