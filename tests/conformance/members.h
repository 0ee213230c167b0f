/* members.h — every operation of the HVD tables (1.0 and 1.1) as data: where it sits,
 * the flags and statuses its comment in hvd.h documents, and a thunk that
 * calls it with harmless arguments. Shared by hvd-conformance and the
 * compatibility matrix's hosts (tests/abi/matrix-host.c), which build it
 * against their own header (HVD_HEADER, default "hvd.h").
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HVD_CONF_MEMBERS_H
#define HVD_CONF_MEMBERS_H

#ifdef HVD_HEADER
#include HVD_HEADER
#else
#include "hvd.h"
#endif
#include "hvd-sizes.h"

#include <stddef.h>
#include <stdint.h>

/* HVD_LIST_BRIEF (1.1) where the header has it: a documented bit of
 * list_all and lookup_by_name; a host of a 1.0 header documents none. */
#ifdef HVD_LIST_BRIEF
#define CONF_LIST_BRIEF HVD_LIST_BRIEF
#else
#define CONF_LIST_BRIEF 0u
#endif

/* A flag bit no 1.x operation defines. */
#define CONF_BAD_FLAG   0x80000000u
/* What a poisoned output holds before a call (hvd.h: *_out is cleared on
 * entry, so it is NULL / 0 after any failure). */
#define CONF_POISON_PTR ((void *)(uintptr_t)0x1)
#define CONF_POISON_NUM 0x5eadbeef
/* Put in hvd_error.fault and .message before a call that must fail: the
 * failure rewrites both (hvd.h: every member that fits, "" when empty). */
#define CONF_STALE      "hvd-conformance: left over from an earlier call"
/* End of a conf_member.missing list (never a status). */
#define CONF_END        1

/* How a thunk passes its required output. */
enum { CONF_OUT_NORMAL, CONF_OUT_NULL, CONF_OUT_POISON };

typedef struct conf_call {
    const hvd_driver *drv; /* for free() of a successful call's result */
    const void *table;
    hvd_conn *conn;
    uint32_t flags;
    int mode; /* CONF_OUT_* */
    hvd_error *err;
    int cleared; /* set by the thunk: 1 unless a failed call left an output non-zero */
} conf_call;

typedef struct conf_member {
    int table; /* index as in conf_table() */
    const char *name;
    size_t offset;  /* offset of the function pointer in its table */
    int has_out;    /* 1: has a required output pointer (NULL -> HVD_ERR_INVALID_ARG) */
    int offline;    /* 1: accepts conn == NULL (hvd_native_table) */
    uint32_t flags; /* the bits its "Flags:" line documents */
    /* Statuses hvd.h documents for this call on a live connection with
     * objects that do not exist (a domain, pool, volume, network, interface
     * or format no server has), CONF_END-terminated. A member called
     * through another's slot answers another status. */
    int32_t missing[5];
    int32_t (*call)(conf_call *a);
} conf_member;

extern const conf_member conf_members[];
extern const size_t conf_nmembers;
/* The members 1.1 appended (minor1.c; none when built from a 1.0 header). */
extern const conf_member conf_members_1_1[];
extern const size_t conf_nmembers_1_1;
/* Every member: 1.0's, then 1.1's. */
size_t conf_member_count(void);
const conf_member *conf_member_get(size_t i);
/* 1 if the table an entry call returned for a host whose negotiated minor
 * is `minor` is a consistent view: abi_minor not below `minor`, and the
 * driver table and every sub-table exactly the size of that abi_minor
 * (members-1-1.c). `why` gets what was seen. */
int conf_view_ok(const hvd_driver *d, uint32_t minor, char *why, size_t why_len);
/* The UUID no server has (members-call.h). */
extern const uint8_t conf_no_uuid[16];

/* Sub-table `i` (0..7: connect, domain, snapshot, sched, storage, network,
 * migrate, native) of the driver, NULL if absent. */
const void *conf_table(const hvd_driver *d, int i);
extern const char *const conf_table_names[8];
extern const uint64_t conf_table_caps[8];

/* The function pointer at `offset` of a table, NULL if beyond struct_size. */
const void *conf_member_at(const void *table, size_t offset);
/* The member's function pointer, or NULL if absent or beyond struct_size. */
const void *conf_member_fn(const hvd_driver *d, const conf_member *m);

/* Size rules (hvd.h, hvd_driver): a table's struct_size is exactly the
 * size of that table at the minor the driver declares. Table `i` as above,
 * -1 for hvd_driver. For a minor this header knows the size is exact; for a
 * newer one it is at least this header's and a multiple of the table's
 * alignment. Returns 1 if `size` is right; `*want` gets the exact size (0
 * when only the lower bound applies). */
int conf_table_size_ok(int i, uint32_t size, uint32_t minor, uint32_t *want);
/* sizeof table i (-1: hvd_driver) in this header. */
uint32_t conf_table_own_size(int i);

/* Reports of the probes below: one line per problem; and, if not NULL, the
 * check id and member about to be called (a crash is reported against it). */
typedef void (*conf_note_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
typedef void (*conf_begin_fn)(const char *id, const char *detail);

typedef struct {
    int called;      /* members called */
    int status;      /* failed: wrong status, or err not filled */
    int cleared;     /* failed: an output not NULL/0 after a failure */
    int struct_size; /* failed: hvd_error.struct_size written */
} conf_tally;

/* Every present member with conn == NULL (check id "conn.null") and poisoned outputs (offline
 * members: with an unknown flag instead), each with the same `err` (whose
 * struct_size the caller set): each must answer HVD_ERR_INVALID_ARG
 * (offline ones HVD_ERR_BAD_FLAGS) with err->code and a message, clear its
 * outputs and leave err->struct_size alone. */
void conf_probe_conn_null(const hvd_driver *d, hvd_error *err, conf_note_fn note, conf_begin_fn begin, conf_tally *t);

typedef struct {
    conf_tally bad_flag;   /* CONF_BAD_FLAG: HVD_ERR_BAD_FLAGS, outputs cleared */
    conf_tally null_out;   /* a NULL required output: HVD_ERR_INVALID_ARG */
    conf_tally documented; /* each documented bit accepted, every other one of bits 0..16 refused */
    conf_tally missing;    /* flags 0, objects that do not exist: a documented status */
} conf_live_tally;

/* Every present member on a live connection (only reads: the objects named
 * do not exist); check ids "flags.all", "nullout.all", "flags.documented",
 * "status.documented". */
void conf_probe_live(const hvd_driver *d, hvd_conn *conn, conf_note_fn note, conf_begin_fn begin, conf_live_tally *t);

/* err->code == rc, fault and message rewritten (not CONF_STALE) and
 * NUL-terminated, message non-empty; members beyond struct_size ignored. */
int conf_error_filled(const hvd_error *err, int32_t rc);

#endif
