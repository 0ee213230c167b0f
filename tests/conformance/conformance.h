/* conformance.h — shared declarations of hvd-conformance, the behavioural
 * conformance suite for HVD drivers (ABI rule 20).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HVD_CONFORMANCE_H
#define HVD_CONFORMANCE_H

#include "members.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *library; /* path of the driver .so */
    void *handle;        /* its dlopen handle */
    void *base;          /* its load address (dladdr dli_fbase) */
    hvd_driver_entry_fn entry;
    const hvd_driver *drv;
    uint32_t minor;     /* negotiated with HVD_ABI_MINOR */
    const char *scheme; /* the driver's first URI scheme */
    /* live checks */
    const char *uri;
    const char *user;
    const char *password;
    int verbose;
    int write; /* --write: live checks may create (and remove) objects of their own */
} conf_ctx;

/* Results. Each prints one "PASS <id>: ..." or "FAIL <id>: ..." line. */
void conf_check(int ok, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void conf_skip(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void conf_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Name the check about to call into the driver: if the driver crashes,
 * the crash is reported against it. */
void conf_begin(const char *id, const char *detail);
/* Check a failed call: status `rc` == `want`, err->code == rc, a non-empty
 * NUL-terminated UTF-8 message. Returns 1 if all held. */
int conf_check_error(const char *id, const char *what, int32_t rc, int32_t want, const hvd_error *err);

/* A non-empty, NUL-terminated UTF-8 message (or none: struct too small). */
int conf_message_ok(const hvd_error *err);

/* Process state a driver must not change behind the host's back. */
int conf_count_threads(void);
int conf_count_fds(void);
size_t conf_heap_in_use(void);

/* `size` zero-filled bytes at the end of a page followed by an
 * inaccessible one: reading past them crashes. */
void *conf_guarded(size_t size);

/* Is `ptr` (code or data) inside the driver's own object? */
int conf_in_driver(const conf_ctx *c, const void *ptr);

/* The check groups; each runs in its own child process. */
void conf_group_symbol(conf_ctx *c);
void conf_group_negotiate(conf_ctx *c);
void conf_group_tables(conf_ctx *c);
void conf_group_lifecycle(conf_ctx *c);
void conf_group_offline(conf_ctx *c);
/* Live checks against a server (--uri). */
void conf_live(conf_ctx *c);
/* Network define/undefine on an open connection (netdef.c; with --write). */
void conf_live_network(const conf_ctx *c, hvd_conn *conn);
/* The storage table (live-storage.c) and, with --write, the snapshot table
 * with real snapshots (live-snapshot.c), on a connection of conf_live. */
void conf_live_storage(const conf_ctx *c, hvd_conn *conn);
void conf_live_snapshots(const conf_ctx *c, hvd_conn *conn);
/* The migration table's checks on the live connection (migrate.c). */
void conf_check_migrate(const conf_ctx *c, hvd_conn *conn);
/* The memory parameters of ABI 1.1 on a live connection (memory.c). */
void conf_check_memory(const conf_ctx *c, hvd_conn *conn);
/* HVD_LIST_BRIEF (ABI 1.1) against the full list (brief.c). */
void conf_check_brief(const conf_ctx *c, hvd_conn *conn);
/* Two hosts in one process (twohosts.c); log lines go to `seen`. */
void conf_check_two_hosts(const conf_ctx *c, GString *seen);
/* Copy `value` (may be NULL: "") into a credential's result buffer. */
void conf_fill_credential(hvd_credential *cr, const char *value);

#endif
