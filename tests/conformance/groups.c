/* groups.c — hvd-conformance's offline check groups: the exported symbol,
 * negotiation, tables and capabilities, lifecycle, argument checks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "conformance.h"

#include <dlfcn.h>
#include <elf.h>
#include <glib.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff == 0 ||
        eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len) {
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

void
conf_group_symbol(conf_ctx *c)
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

void
conf_group_negotiate(conf_ctx *c)
{
    const hvd_driver *d = NULL, *d2 = NULL;
    uint32_t minor = 0, minor2 = 0;
    int threads = conf_count_threads(), fds = conf_count_fds();
    size_t heap0 = conf_heap_in_use();

    int32_t rc = c->entry(HVD_ABI_MINOR, NULL, &minor);
    conf_check(rc == HVD_ERR_INVALID_ARG, "negotiate.null-driver-out", "entry(driver_out = NULL) -> %d (want %d)", rc,
               HVD_ERR_INVALID_ARG);
    rc = c->entry(HVD_ABI_MINOR, &d, NULL);
    conf_check(rc == HVD_ERR_INVALID_ARG, "negotiate.null-minor-out", "entry(minor_out = NULL) -> %d (want %d)", rc,
               HVD_ERR_INVALID_ARG);

    rc = c->entry(HVD_ABI_MINOR, &d, &minor);
    int32_t rc2 = c->entry(HVD_ABI_MINOR, &d2, &minor2);
    conf_check(rc == HVD_OK && rc2 == HVD_OK && d == d2 && d == c->drv && minor == minor2 && minor == c->minor,
               "negotiate.repeatable", "entry calls give the same table and minor (%d/%d, minor %u/%u)", rc, rc2, minor,
               minor2);
    /* Hosts of other minors. */
    int ok = 1, refused_above = 0, views = 1;
    const uint32_t minors[] = { 0, 1, 2, 3, c->drv->abi_minor, c->drv->abi_minor + 1, 1000 };
    for (size_t i = 0; i < sizeof(minors) / sizeof(minors[0]); i++) {
        uint32_t want = minors[i] < c->drv->abi_minor ? minors[i] : c->drv->abi_minor;
        minor = UINT32_MAX;
        rc = c->entry(minors[i], &d, &minor);
        /* A driver may need a minimum host minor, but then it refuses every
         * host below it and none above. */
        if (rc == HVD_ERR_ABI_MISMATCH && minors[i] > HVD_ABI_MINOR)
            refused_above = 1;
        if ((rc == HVD_OK && (minor != want || d == NULL)) || (rc != HVD_OK && rc != HVD_ERR_ABI_MISMATCH))
            ok = 0;
        conf_info("entry(host minor %u) -> %d, minor %u (want %u)", minors[i], rc, minor, want);
        /* Since 1.1 an older host may get the view of its own minor (hvd.h,
         * hvd_driver): its sizes must be that minor's, and the same minor
         * must always get the same table. */
        if (rc == HVD_OK && d != NULL) {
            char why[300];
            const hvd_driver *again = NULL;
            uint32_t minor_again = 0;
            int same = c->entry(minors[i], &again, &minor_again) == HVD_OK && again == d && minor_again == minor;
            int view = conf_view_ok(d, minor, why, sizeof(why));
            views &= view && same;
            conf_info("  its table: %s%s", why, same ? "" : "; a second call gave another table");
        }
    }
    conf_check(ok && !refused_above, "negotiate.min",
               "the negotiated minor is min(host, driver %u) for every host minor", c->drv->abi_minor);
    conf_check(views, "negotiate.view",
               "each host minor gets a table of one layout: abi_minor not below the negotiated minor, every "
               "struct_size that minor's, the same table on every call");

    size_t heap1 = conf_heap_in_use();
    int t1 = conf_count_threads(), f1 = conf_count_fds();
    conf_check(t1 == threads && f1 == fds && heap1 == heap0, "negotiate.no-side-effects",
               "repeated entry calls start no thread (%d -> %d), open nothing (%d -> %d), keep no memory "
               "(%zu -> %zu bytes)",
               threads, t1, fds, f1, heap0, heap1);
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

void
conf_group_tables(conf_ctx *c)
{
    const hvd_driver *d = c->drv;
    /* Exactly the declared minor's size (hvd.h, hvd_driver): larger means
     * members no host of that minor can place. */
    uint32_t want = 0;
    int size_ok =
        d->struct_size >= HVD_1_0_SIZEOF_hvd_driver && conf_table_size_ok(-1, d->struct_size, d->abi_minor, &want);
    conf_check(size_ok, "driver.struct_size", "hvd_driver.struct_size %u, declared minor %u: %s %u", d->struct_size,
               d->abi_minor, want ? "exactly" : "at least this tool's", want ? want : (uint32_t)sizeof(hvd_driver));
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
    int in_driver =
        conf_in_driver(c, (const void *)d) &&
        (d->free == NULL || conf_in_driver(c, conf_member_at(d, offsetof(hvd_driver, free)))) &&
        (d->init == NULL || conf_in_driver(c, conf_member_at(d, offsetof(hvd_driver, init)))) &&
        (d->shutdown == NULL || conf_in_driver(c, conf_member_at(d, offsetof(hvd_driver, shutdown)))) &&
        (d->get_extension == NULL || conf_in_driver(c, conf_member_at(d, offsetof(hvd_driver, get_extension))));
    conf_check(in_driver, "driver.pointers", "the table and its functions live in the driver's own object");

    uint64_t known = HVD_CAP_CONNECT | HVD_CAP_DOMAIN | HVD_CAP_SNAPSHOT | HVD_CAP_SCHED | HVD_CAP_STORAGE |
                     HVD_CAP_NETWORK | HVD_CAP_MIGRATE | HVD_CAP_NATIVE | HVD_CAP_PROGRESS | HVD_CAP_CANCEL;
    for (int i = 0; i < 8; i++) {
        const void *t = conf_table(d, i);
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
        int sub_ok = conf_table_size_ok(i, size, d->abi_minor, &want);
        conf_check(sub_ok, id, "struct_size %u, declared minor %u: %s %u", size, d->abi_minor,
                   want ? "exactly" : "at least this tool's", want ? want : conf_table_own_size(i));
        snprintf(id, sizeof(id), "table.%s.reserved", conf_table_names[i]);
        conf_check(reserved == 0, id, "reserved0 is 0");
        int any = 0, own = conf_in_driver(c, t);
        uint32_t own_size = conf_table_own_size(i);
        size_t lim = size < own_size ? size : own_size;
        for (size_t off = 8; off + sizeof(void *) <= lim; off += sizeof(void *)) {
            const void *fn = conf_member_at(t, off);
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

/* A URI of the driver's scheme that is well-formed but points nowhere (a
 * closed local port): a driver that checks its arguments first never goes
 * near the network. */
static char *
nowhere_uri(const conf_ctx *c)
{
    return g_strdup_printf("%s://127.0.0.1:1/", c->scheme);
}

void
conf_group_lifecycle(conf_ctx *c)
{
    const hvd_driver *d = c->drv;
    if (d->connect != NULL && d->connect->open != NULL) {
        /* This group's process has not called init() yet. */
        g_autofree char *nowhere = nowhere_uri(c);
        hvd_conn *conn = NULL;
        hvd_error err = HVD_ERROR_INIT;
        conf_begin("open.before-init", nowhere);
        int32_t rc = d->connect->open(nowhere, NULL, 0, NULL, 0, &conn, &err);
        conf_check_error("open.before-init", "open() before init()", rc, HVD_ERR_INVALID_ARG, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
    }
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

/* uri.no-secret: URIs with a password in them, each also wrong in another
 * way so that no driver goes near the network; whatever the driver answers,
 * no piece of the password is in its message. */
static void
check_uri_no_secret(const conf_ctx *c)
{
    static const char *const forms[] = {
        "%s://root:hvdconfA1@host:99999/",              /* malformed port */
        "%s+ssh://root:hvdconfA1@host/",                /* a remote transport */
        "%s://root:hvdconfA1@host:99999/%%zz\x1b[2J]]", /* garbage after it */
        "%s://root:hvdconfA1@hvdconfB2@host:99999/",    /* '@' in the password */
        "%s://root:hvdconfA1:hvdconfB2@host:99999/",    /* ':' in it */
        "%s://root:hvdconfA1%%40hvdconfB2@host:99999/", /* '%40' in it */
        "%s://root:hvdconfA1/hvdconfB2@host:99999/",    /* '/' in it */
    };
    static const char *const pieces[] = { "hvdconfA1", "hvdconfB2" };
    int ok = 1;
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
        g_autofree char *uri = g_strdup_printf(forms[i], c->scheme);
        hvd_conn *conn = NULL;
        hvd_error err = HVD_ERROR_INIT;
        conf_begin("uri.no-secret", uri);
        int32_t rc = c->drv->connect->open(uri, NULL, 0, NULL, 0, &conn, &err);
        if (rc == HVD_OK)
            c->drv->connect->close(conn);
        for (size_t k = 0; k < G_N_ELEMENTS(pieces); k++) {
            if (rc != HVD_OK && g_strstr_len(err.message, sizeof(err.message), pieces[k]) != NULL) {
                g_autofree char *u = g_strescape(uri, NULL);
                g_autofree char *m = g_strescape(err.message, NULL);
                conf_info("open(\"%s\") -> %d \"%.300s\"", u, rc, m);
                ok = 0;
                break;
            }
        }
    }
    conf_check(ok, "uri.no-secret",
               "%zu URIs with a password (a bad port, a +transport, garbage after it, '@', "
               "':', '%%40' or '/' in it): no error message repeats it",
               G_N_ELEMENTS(forms));
}

/* `size` bytes at the end of a page followed by an inaccessible page,
 * zero-filled: a driver that reads beyond a table's struct_size crashes
 * this group. */
void *
conf_guarded(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || mprotect(base + page, (size_t)page, PROT_NONE) != 0)
        abort();
    size_t at = ((size_t)page - size) & ~(size_t)(_Alignof(hvd_host) - 1);
    memset(base + at, 0, size);
    return base + at;
}

/* The host table is read by open() (hvd.h): one smaller than 1.0's is
 * refused, 1.0's and a larger one of a newer host are read within their
 * struct_size. */
static void
check_host_sizes(const conf_ctx *c, const char *nowhere)
{
    const uint32_t small[] = { sizeof(uint32_t), HVD_1_0_SIZEOF_hvd_host - sizeof(void *) };
    int ok = 1;
    for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
        hvd_host *h = conf_guarded(small[i]);
        h->struct_size = small[i];
        hvd_conn *conn = NULL;
        hvd_error err = HVD_ERROR_INIT;
        conf_begin("open.small-host", "open() with a small hvd_host");
        int32_t rc = c->drv->connect->open(nowhere, NULL, 0, h, 0, &conn, &err);
        conf_info("open(host table of %u bytes) -> %d", small[i], rc);
        ok &= rc == HVD_ERR_ABI_MISMATCH && err.code == rc && conf_message_ok(&err);
        if (rc == HVD_OK)
            c->drv->connect->close(conn);
    }
    conf_check(ok, "open.small-host", "a host table smaller than 1.0's (%u bytes) -> HVD_ERR_ABI_MISMATCH",
               HVD_1_0_SIZEOF_hvd_host);
}

/* One hvd_error of a newer host's size for many failing calls (hvd.h: the
 * driver never writes struct_size and rewrites every member it knows on
 * failure, nothing on success), so a host need not reset it between calls. */
static void
check_error_reuse(const conf_ctx *c, const char *nowhere, const char *malformed)
{
    const hvd_driver *d = c->drv;
    struct {
        hvd_error e;
        unsigned char newer[64];
    } box;
    memset(&box, 0, sizeof(box));
    box.e.struct_size = sizeof(box);
    const struct {
        const char *uri;
        uint32_t flags;
        int32_t want;
    } opens[] = {
        { nowhere, CONF_BAD_FLAG, HVD_ERR_BAD_FLAGS },
        { malformed, 0, HVD_ERR_URI },
        { "hvd-conformance-foreign://host/", 0, HVD_ERR_URI },
        { "", 0, HVD_ERR_URI },
    };
    int ok = 1, n = 0;
    for (size_t i = 0; i < sizeof(opens) / sizeof(opens[0]); i++) {
        hvd_conn *conn = NULL;
        strcpy(box.e.fault, CONF_STALE);
        strcpy(box.e.message, CONF_STALE);
        int32_t rc = d->connect->open(opens[i].uri, NULL, 0, NULL, opens[i].flags, &conn, &box.e);
        n++;
        if (rc != opens[i].want || !conf_error_filled(&box.e, rc) || !conf_message_ok(&box.e) ||
            box.e.struct_size != sizeof(box)) {
            ok = 0;
            conf_info("open(\"%s\", flags 0x%x) -> %d (want %d), code %d, struct_size %u, message \"%.200s\"",
                      opens[i].uri, opens[i].flags, rc, opens[i].want, box.e.code, box.e.struct_size, box.e.message);
            box.e.struct_size = sizeof(box);
        }
        if (rc == HVD_OK)
            d->connect->close(conn);
    }
    conf_tally t;
    conf_probe_conn_null(d, &box.e, conf_info, conf_begin, &t);
    n += t.called;
    conf_check(ok && t.status == 0 && t.struct_size == 0, "error.reuse",
               "one hvd_error of %zu bytes (a newer host's) through %d failing calls: each answer's code, fault and "
               "message, struct_size never written",
               sizeof(box), n);
    /* A successful call leaves the last failure's detail as it was. */
    unsigned char before[sizeof(box)];
    memcpy(before, &box, sizeof(box));
    int32_t rc = d->init(0, &box.e);
    conf_check(rc == HVD_OK && memcmp(before, &box, sizeof(box)) == 0, "error.success-untouched",
               "a successful call (init -> %d) writes nothing into the hvd_error of an earlier failure", rc);
    if (rc == HVD_OK)
        d->shutdown();
}

void
conf_group_offline(conf_ctx *c)
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
        check_host_sizes(c, nowhere);
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
        check_uri_no_secret(c);
        err = (hvd_error)HVD_ERROR_INIT;
        rc = d->connect->open("", NULL, 0, NULL, 0, &conn, &err);
        conf_check_error("uri.empty", "open(\"\")", rc, HVD_ERR_URI, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
        err = (hvd_error)HVD_ERROR_INIT;
        rc = d->connect->open(NULL, NULL, 0, NULL, 0, &conn, &err);
        conf_check((rc == HVD_ERR_URI || rc == HVD_ERR_INVALID_ARG) && err.code == rc && conf_message_ok(&err),
                   "uri.null", "open(NULL) -> %d (HVD_ERR_URI or HVD_ERR_INVALID_ARG), message \"%.200s\"", rc,
                   err.message);
        if (rc == HVD_OK)
            d->connect->close(conn);
        rc = d->connect->open(malformed, NULL, 0, NULL, 0, &conn, NULL);
        conf_check(rc == HVD_ERR_URI, "error.null", "a NULL hvd_error is accepted (-> %d)", rc);
        if (rc == HVD_OK)
            d->connect->close(conn);
        d->connect->close(NULL);
        conf_check(1, "close.null", "close(NULL) is a no-op");

        /* Truncated error structs: nothing written beyond struct_size. */
        const uint32_t sizes[] = { 4,
                                   offsetof(hvd_error, fault),
                                   offsetof(hvd_error, message),
                                   offsetof(hvd_error, message) + 16,
                                   sizeof(hvd_error),
                                   sizeof(hvd_error) + 40 };
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
            int msg_ok = sizes[i] < sizeof(hvd_error) || conf_message_ok(e);
            char id[64];
            snprintf(id, sizeof(id), "error.truncate-%u", sizes[i]);
            conf_check(intact && back == sizes[i] && code_ok && msg_ok, id,
                       "hvd_error of %u bytes: nothing written beyond it (%s), struct_size %s (%u), code %s, "
                       "message %s",
                       sizes[i], intact ? "ok" : "OVERWRITTEN", back == sizes[i] ? "left alone" : "WRITTEN", back,
                       code_ok ? "ok" : "wrong", msg_ok ? "ok" : "bad");
        }
        check_error_reuse(c, nowhere, malformed);
    } else {
        conf_skip("uri.malformed-port", "the driver has no connect table");
    }

    if (d->native != NULL) {
        const char *names[2] = { "to_xml", "from_xml" };
        for (int i = 0; i < 2; i++) {
            int32_t(HVD_CALL * fn)(hvd_conn *, const char *, const char *, const hvd_param *, uint32_t, uint32_t,
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

    /* Every operation refuses a NULL connection (native ones: an unknown
     * flag) and clears its poisoned outputs. */
    hvd_error err = HVD_ERROR_INIT;
    conf_tally t;
    conf_probe_conn_null(d, &err, conf_info, conf_begin, &t);
    conf_check(t.status == 0, "conn.null",
               "%d operation(s) refuse a NULL connection with HVD_ERR_INVALID_ARG (native: an unknown flag with "
               "HVD_ERR_BAD_FLAGS) and fill hvd_error",
               t.called);
    conf_check(t.cleared == 0, "clearout.conn-null",
               "%d operation(s) set their poisoned *_out to NULL/0 when they fail", t.called);

    if (d->get_extension != NULL) {
        const void *ext = d->get_extension("hvd-conformance.invalid/1", 0);
        conf_check(ext == NULL, "extension.unknown", "get_extension(unknown id) is NULL");
        ext = d->get_extension(NULL, 0);
        conf_check(ext == NULL, "extension.null", "get_extension(NULL) is NULL");
    }
    d->shutdown();
}
