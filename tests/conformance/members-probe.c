/* members-probe.c — the HVD tables as data (which table, which member at
 * which offset, what size each minor gives it) and the probes that call
 * every member of members.c and members-1-1.c: with a NULL connection, an
 * unknown flag, a NULL or poisoned output, each documented flag, and
 * objects that do not exist.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "members-call.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Tables and their sizes                                                    */
/* ------------------------------------------------------------------------ */

const char *const conf_table_names[8] = {
    "connect", "domain", "snapshot", "sched", "storage", "network", "migrate", "native",
};
const uint64_t conf_table_caps[8] = {
    HVD_CAP_CONNECT, HVD_CAP_DOMAIN,  HVD_CAP_SNAPSHOT, HVD_CAP_SCHED,
    HVD_CAP_STORAGE, HVD_CAP_NETWORK, HVD_CAP_MIGRATE,  HVD_CAP_NATIVE,
};

const void *
conf_table(const hvd_driver *d, int i)
{
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

const void *
conf_member_at(const void *table, size_t offset)
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
conf_member_fn(const hvd_driver *d, const conf_member *m)
{
    const void *t = conf_table(d, m->table);
    return t == NULL ? NULL : conf_member_at(t, m->offset);
}

/* Size at `minor` (from the golden list; this header's own sizeof for its
 * own minor), this header's size and alignment, of table i (-1: hvd_driver). */
#define TABLE_SIZES(T)                                                                   \
    do {                                                                                 \
        *at = minor == HVD_ABI_MINOR ? (uint32_t)sizeof(T) : HVD_SIZEOF_##T##_AT(minor); \
        *own = sizeof(T);                                                                \
        *align = _Alignof(T);                                                            \
    } while (0)

static void
table_sizes(int i, uint32_t minor, uint32_t *at, size_t *own, size_t *align)
{
    switch (i) {
    case -1: TABLE_SIZES(hvd_driver); break;
    case 0: TABLE_SIZES(hvd_connect_table); break;
    case 1: TABLE_SIZES(hvd_domain_table); break;
    case 2: TABLE_SIZES(hvd_snapshot_table); break;
    case 3: TABLE_SIZES(hvd_sched_table); break;
    case 4: TABLE_SIZES(hvd_storage_table); break;
    case 5: TABLE_SIZES(hvd_network_table); break;
    case 6: TABLE_SIZES(hvd_migrate_table); break;
    default: TABLE_SIZES(hvd_native_table); break;
    }
}

uint32_t
conf_table_own_size(int i)
{
    uint32_t at;
    size_t own, align;
    table_sizes(i, 0, &at, &own, &align);
    return (uint32_t)own;
}

int
conf_table_size_ok(int i, uint32_t size, uint32_t minor, uint32_t *want)
{
    uint32_t at;
    size_t own, align;
    table_sizes(i, minor, &at, &own, &align);
    if (minor <= HVD_ABI_MINOR) {
        *want = at;
        return size == at;
    }
    *want = 0;
    return size >= own && size % align == 0;
}

/* ------------------------------------------------------------------------ */
/* Probes                                                                    */
/* ------------------------------------------------------------------------ */

int
conf_error_filled(const hvd_error *err, int32_t rc)
{
    if (HVD_HAS_MEMBER(err, hvd_error, code) && err->code != rc)
        return 0;
    if (HVD_HAS_MEMBER(err, hvd_error, fault) &&
        (memchr(err->fault, '\0', sizeof(err->fault)) == NULL || strcmp(err->fault, CONF_STALE) == 0))
        return 0;
    if (!HVD_HAS_MEMBER(err, hvd_error, message))
        return 1;
    return err->message[0] != '\0' && memchr(err->message, '\0', sizeof(err->message)) != NULL &&
           strcmp(err->message, CONF_STALE) != 0;
}

/* A fresh hvd_error of this header's size (HVD_ERROR_INIT would leave a
 * newer header's appended members out). */
static void
fresh_error(hvd_error *err)
{
    memset(err, 0, sizeof(*err));
    err->struct_size = sizeof(*err);
}

static int32_t
call_member(const hvd_driver *d, const conf_member *m, hvd_conn *conn, uint32_t flags, int mode, hvd_error *err,
            int *cleared)
{
    conf_call a = { d, conf_table(d, m->table), conn, flags, mode, err, 1 };
    int32_t rc = m->call(&a);
    *cleared = a.cleared;
    return rc;
}

static int
status_in(int32_t rc, const int32_t *list)
{
    for (; *list != CONF_END; list++) {
        if (*list == rc)
            return 1;
    }
    return 0;
}

/* One call expected to fail with `want`: counted in `t`. */
static void
expect(const hvd_driver *d, const conf_member *m, hvd_conn *conn, uint32_t flags, int mode, int32_t want,
       hvd_error *err, conf_note_fn note, conf_tally *t, const char *what)
{
    uint32_t size = err->struct_size;
    int cleared = 1;
    /* What an earlier call left (err may be reused): a failure rewrites it. */
    if (HVD_HAS_MEMBER(err, hvd_error, fault))
        strcpy(err->fault, CONF_STALE);
    if (HVD_HAS_MEMBER(err, hvd_error, message))
        strcpy(err->message, CONF_STALE);
    int32_t rc = call_member(d, m, conn, flags, mode, err, &cleared);
    t->called++;
    if (rc != want || !conf_error_filled(err, rc)) {
        t->status++;
        note("%s(%s) -> %d (want %d), error code %d, message \"%.200s\"", m->name, what, rc, want,
             HVD_HAS_MEMBER(err, hvd_error, code) ? err->code : 0,
             HVD_HAS_MEMBER(err, hvd_error, message) && memchr(err->message, 0, sizeof(err->message)) ? err->message
                                                                                                      : "");
    }
    if (!cleared) {
        t->cleared++;
        note("%s(%s) -> %d left its poisoned output set", m->name, what, rc);
    }
    if (err->struct_size != size) {
        t->struct_size++;
        note("%s(%s) wrote hvd_error.struct_size (%u -> %u)", m->name, what, size, err->struct_size);
        err->struct_size = size;
    }
}

static void
begin_call(conf_begin_fn begin, const char *id, const conf_member *m)
{
    if (begin != NULL)
        begin(id, m->name);
}

void
conf_probe_conn_null(const hvd_driver *d, hvd_error *err, conf_note_fn note, conf_begin_fn begin, conf_tally *t)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < conf_member_count(); i++) {
        const conf_member *m = conf_member_get(i);
        if (conf_member_fn(d, m) == NULL)
            continue;
        begin_call(begin, "conn.null", m);
        if (m->offline)
            expect(d, m, NULL, CONF_BAD_FLAG, CONF_OUT_POISON, HVD_ERR_BAD_FLAGS, err, note, t,
                   "conn = NULL, unknown flag");
        else
            expect(d, m, NULL, 0, CONF_OUT_POISON, HVD_ERR_INVALID_ARG, err, note, t, "conn = NULL");
    }
}

/* The flag bits 1.1 gave a 1.0 member (HVD_LIST_BRIEF: 0x4). Unless both
 * the host's header and the driver's table are 1.1 or later, such a bit is
 * checked neither way: a 1.0 driver refuses it, a 1.1 driver's 1.0 view
 * may accept it, and a 1.0 host does not know it. */
static uint32_t
flags_since_1_1(const conf_member *m)
{
    if (strcmp(m->name, "domain.list_all") == 0 || strcmp(m->name, "domain.lookup_by_name") == 0)
        return 0x4u;
    return 0;
}

void
conf_probe_live(const hvd_driver *d, hvd_conn *conn, conf_note_fn note, conf_begin_fn begin, conf_live_tally *t)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < conf_member_count(); i++) {
        const conf_member *m = conf_member_get(i);
        if (conf_member_fn(d, m) == NULL)
            continue;
        hvd_error err;
        fresh_error(&err);
        begin_call(begin, "flags.all", m);
        expect(d, m, conn, CONF_BAD_FLAG, CONF_OUT_POISON, HVD_ERR_BAD_FLAGS, &err, note, &t->bad_flag, "unknown flag");
        if (m->has_out) {
            fresh_error(&err);
            begin_call(begin, "nullout.all", m);
            expect(d, m, conn, 0, CONF_OUT_NULL, HVD_ERR_INVALID_ARG, &err, note, &t->null_out, "output = NULL");
        }
        /* Each documented bit is accepted, each other low bit refused. */
        begin_call(begin, "flags.documented", m);
        for (int bit = 0; bit <= 16; bit++) {
            uint32_t f = UINT32_C(1) << bit;
            if ((f & flags_since_1_1(m)) != 0 && (CONF_LIST_BRIEF == 0 || d->abi_minor < 1))
                continue;
            int cleared = 1;
            fresh_error(&err);
            int32_t rc = call_member(d, m, conn, f, CONF_OUT_NORMAL, &err, &cleared);
            int documented = (m->flags & f) != 0;
            t->documented.called++;
            if (documented ? rc == HVD_ERR_BAD_FLAGS : rc != HVD_ERR_BAD_FLAGS) {
                t->documented.status++;
                note("%s(flags 0x%x, %s) -> %d", m->name, f, documented ? "documented" : "not documented", rc);
            }
        }
        /* Objects that do not exist: the documented status. */
        begin_call(begin, "status.documented", m);
        int cleared = 1;
        fresh_error(&err);
        int32_t rc = call_member(d, m, conn, 0, CONF_OUT_POISON, &err, &cleared);
        t->missing.called++;
        if (!status_in(rc, m->missing) || (rc != HVD_OK && !conf_error_filled(&err, rc))) {
            t->missing.status++;
            note("%s(objects that do not exist) -> %d \"%.200s\", not a status its documentation gives", m->name, rc,
                 rc != HVD_OK ? err.message : "");
        }
        if (!cleared) {
            t->missing.cleared++;
            note("%s(objects that do not exist) -> %d left its poisoned output set", m->name, rc);
        }
    }
}
