/* mock-driver.h — shared by the two files of the ABI tests' mock driver
 * (mock-driver.c, mock-domains.c); see mock-driver.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef MOCK_DRIVER_H
#define MOCK_DRIVER_H

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
#include <strings.h>
#include <unistd.h>

#ifdef MOCK_FUTURE
/* What a driver of the next minor may return that this header does not
 * name (hvd.h, "Unknown values"): a capability bit and a status code. */
#define MOCK_FUTURE_CAP    (UINT64_C(1) << 40)
#define MOCK_FUTURE_STATUS (HVD_ERR_AMBIGUOUS - 1)
#endif

/* One broken rule per build (hvd-conformance must report each). */
#define MOCK_BREAK_NONE        0
#define MOCK_BREAK_NEGOTIATE   1  /* answers max(host, driver) instead of min() */
#define MOCK_BREAK_THREAD      2  /* entry starts a thread */
#define MOCK_BREAK_CAPS        3  /* capability bits disagree with the tables */
#define MOCK_BREAK_FLAGS       4  /* unknown flag bits ignored */
#define MOCK_BREAK_NULLOUT     5  /* NULL output pointers dereferenced */
#define MOCK_BREAK_ERRTRUNC    6  /* hvd_error written beyond its struct_size */
#define MOCK_BREAK_URI         7  /* malformed URI -> wrong status, empty message */
#define MOCK_BREAK_SIZE        8  /* a sub-table's struct_size smaller than 1.0's */
#define MOCK_BREAK_REFCOUNT    9  /* the first shutdown() drops all init references */
#define MOCK_BREAK_EXPORTS     10 /* exports a second symbol */
#define MOCK_BREAK_LOOKUP      11 /* lookup_by_name disagrees with list_all */
#define MOCK_BREAK_NODOMAIN    12 /* a missing domain gives HVD_ERR_INTERNAL */
#define MOCK_BREAK_FREENULL    13 /* free(NULL) crashes */
#define MOCK_BREAK_FDLEAK      14 /* close() leaks a file descriptor */
#define MOCK_BREAK_ENTRYARGS   15 /* entry accepts NULL outputs */
#define MOCK_BREAK_PASSWORD    16 /* the password shows up in an error message */
#define MOCK_BREAK_TABLESIZE   17 /* hvd_driver.struct_size smaller than 1.0's */
#define MOCK_BREAK_MAJOR       18 /* hvd_driver.abi_major is not 1 */
#define MOCK_BREAK_ALLOC       19 /* entry allocates (and keeps) memory */
#define MOCK_BREAK_CONNNULL    20 /* a NULL connection is dereferenced */
#define MOCK_BREAK_SCHEME      21 /* a URI scheme with a transport ("mock+ssh") */
#define MOCK_BREAK_PARTITION   22 /* list_all ignores HVD_LIST_ACTIVE/INACTIVE */
#define MOCK_BREAK_THREADLEAK  23 /* open() starts a thread nobody stops */
#define MOCK_BREAK_RESERVED    24 /* a sub-table's reserved0 is not 0 */
#define MOCK_BREAK_EMPTY       25 /* a present sub-table without operations */
#define MOCK_BREAK_ERRCODE     26 /* hvd_error.code differs from the status */
#define MOCK_BREAK_VERSION     27 /* hvd_version.version disagrees with major/minor/release */
#define MOCK_BREAK_NOCANCEL    28 /* a cancelled auth callback is ignored */
#define MOCK_BREAK_ENTRYFD     29 /* entry opens a file */
#define MOCK_BREAK_CTORTHREAD  30 /* loading the library starts a thread */
#define MOCK_BREAK_CAPBITS     31 /* an unknown capability bit */
#define MOCK_BREAK_FOREIGN     32 /* a foreign pointer in a table (host's libc) */
#define MOCK_BREAK_HOSTREAD    33 /* (future) open() reads the host's appended member unchecked */
#define MOCK_BREAK_SMALLHOST   34 /* open() accepts a host table smaller than 1.0's */
#define MOCK_BREAK_NOINIT      35 /* open() works without init() */
#define MOCK_BREAK_BIGTABLE    36 /* hvd_driver larger than the declared minor's (1.0) */
#define MOCK_BREAK_BIGSUBTABLE 37 /* the domain table larger than 1.0's */
#define MOCK_BREAK_SHIFT       38 /* get_xml and define_xml in each other's slot */
#define MOCK_BREAK_KEEPOUT     39 /* a failing call leaves *_out untouched */
#define MOCK_BREAK_ERRSIZE     40 /* hvd_error.struct_size written */
#define MOCK_BREAK_GLOBALHOST  41 /* one process-wide host table: the last open()'s */
/* with MOCK_NETWORKS: define and lookups give different UUIDs, get_xml loses
 * the port groups, an existing name and malformed XML are accepted, undefine
 * removes nothing */
#define MOCK_BREAK_NETDEF      60
#define MOCK_BREAK_MEMRULES    42 /* (1.1) set_memory_params accepts what breaks a rule */
#define MOCK_BREAK_MEMPARAMS   43 /* (1.1) get_memory_params returns the CPU names and a bad value */
#define MOCK_BREAK_VIEW        44 /* (1.1) a host of minor 0 gets a table whose sizes are not its minor's */
#define MOCK_BREAK_BRIEF       70 /* (1.1) a brief list_all shows every domain running */

#ifndef MOCK_BREAK
#define MOCK_BREAK MOCK_BREAK_NONE
#endif
/* MOCK_NEEDS_OWN_MINOR: the driver refuses hosts below its own minor */
#if defined(MOCK_NEEDS_OWN_MINOR)
#define MOCK_MIN_MINOR HVD_ABI_MINOR
#elif !defined(MOCK_MIN_MINOR)
#define MOCK_MIN_MINOR 0
#endif
#ifndef MOCK_ENTRY
#define MOCK_ENTRY hvd_driver_entry_v1
#endif
/* The minor of the header the mock is built from: 0 (frozen 1.0), the
 * current one, or the simulated next one (hvd-future.h). */
#define MOCK_MINOR HVD_ABI_MINOR

#define MOCK_EXPORT __attribute__((visibility("default")))

/* Fill `err` as far as its struct_size allows; returns `code`. */
int32_t mock_fail(hvd_error *err, int32_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* HVD_OK, or HVD_ERR_BAD_FLAGS for bits outside `known`. */
int32_t mock_check_flags(const char *op, uint32_t flags, uint32_t known, hvd_error *err);
/* A malloc'd copy, released with the driver's free(). */
char *mock_dup_out(const char *s);

#if MOCK_BREAK == MOCK_BREAK_NULLOUT
#define CHECK_OUT(op, p) ((void)0)
#else
#define CHECK_OUT(op, p)                                                                    \
    do {                                                                                    \
        if ((p) == NULL)                                                                    \
            return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: output pointer is NULL", (op)); \
    } while (0)
#endif

/* *out = NULL / 0 on entry, before any check (hvd.h "Ownership"). */
#if MOCK_BREAK == MOCK_BREAK_KEEPOUT
#define CLEAR_OUT(p) ((void)0)
#else
#define CLEAR_OUT(p)                      \
    do {                                  \
        if ((p) != NULL)                  \
            memset((p), 0, sizeof(*(p))); \
    } while (0)
#endif

#if MOCK_BREAK == MOCK_BREAK_CONNNULL
#define CONN_NULL_CHECK(op) ((void)conn->fd)
#else
#define CONN_NULL_CHECK(op)                                                                        \
    do {                                                                                           \
        if (conn == NULL)                                                                          \
            return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: no connection (NULL hvd_conn)", (op)); \
    } while (0)
#endif
/* Flags, connection and output of an operation whose output is a
 * caller-allocated struct (nothing to clear: its struct_size is the
 * caller's). */
#define CONN_OP_INTO(op, known, out)                               \
    do {                                                           \
        int32_t rc_ = mock_check_flags((op), flags, (known), err); \
        if (rc_ != HVD_OK)                                         \
            return rc_;                                            \
        CONN_NULL_CHECK(op);                                       \
        CHECK_OUT((op), (out));                                    \
    } while (0)
/* The same for a [transfer] or numeric `*_out`, cleared first. */
#define CONN_OP(op, known, out)       \
    do {                              \
        CLEAR_OUT(out);               \
        CONN_OP_INTO(op, known, out); \
    } while (0)

struct hvd_conn {
    int fd; /* stands for the connection's socket */
    char *uri;
    char *user;
    const hvd_host *host; /* the upcalls passed to open() [borrowed: until close] */
};

/* The index (0..2) of the mock domain a key or textual UUID names, -1 if none. */
int mock_domain_index(const char *domain);
/* mock-sched.c: CPU and (1.1 headers) memory parameters of the mock domains. */
extern const hvd_sched_table mock_sched_table;
#if HVD_ABI_MINOR >= 1
extern const hvd_sched_table mock_sched_table_1_0;
#endif

/* A log line through the connection's own log upcall (if any). */
void mock_log(const hvd_conn *conn, int32_t level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A table of a newer layout than the minor the mock declares (broken):
 * the object is followed by a spare one, so nothing reads past it. */
#if MOCK_BREAK == MOCK_BREAK_BIGTABLE || MOCK_BREAK == MOCK_BREAK_BIGSUBTABLE
#define MOCK_TABLE_SLOTS 2
#else
#define MOCK_TABLE_SLOTS 1
#endif
extern const hvd_domain_table mock_domain_table[MOCK_TABLE_SLOTS];
/* mock-networks.c: in the driver's table with -DMOCK_NETWORKS only */
extern const hvd_network_table mock_network_table;

#endif
