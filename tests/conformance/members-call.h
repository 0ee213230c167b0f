/* members-call.h — what the member thunks of members.c and members-1-1.c share:
 * the arguments naming objects no server has, and the thunk shapes (one
 * per kind of output) that call a member with them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HVD_CONF_MEMBERS_CALL_H
#define HVD_CONF_MEMBERS_CALL_H

#include "members.h"

#include <string.h>

#define UUID   conf_no_uuid
/* the same UUID in text form: a `domain` argument (hvd.h "Objects") */
#define DOMAIN "deadbeef-6876-4d63-8f6e-6f2d73756368"
#define NAME   "hvd-conformance-no-such-object"
#define PATH   "[hvd-conformance-no-such-datastore] no-such-dir/no-such.vmdk"
#define XML    "<hvd-conformance-invalid-xml"
#define FORMAT "hvd-conformance-format"
#define ID     2147483000

/* The arguments every thunk passes through. */
#define CONN  a->conn
#define FLAGS a->flags
#define ERR   a->err
/* The required output: NULL, or a local that starts NULL/0 or poisoned. */
#define OUTP  (a->mode == CONF_OUT_NULL ? NULL : &o)
#define OUTN  (a->mode == CONF_OUT_NULL ? NULL : &v)
#define OUTN2 (&v2)
/* An optional output ("may be NULL"): always passed, cleared all the same. */
#define OPTP  (&o)
/* A caller-allocated out struct (see "Sizes"): nothing to clear. */
#define INTO  (a->mode == CONF_OUT_NULL ? NULL : &s)

static inline void *
start_ptr(const conf_call *a)
{
    return a->mode == CONF_OUT_POISON ? CONF_POISON_PTR : NULL;
}

static inline uint32_t
start_num(const conf_call *a)
{
    return a->mode == CONF_OUT_POISON ? CONF_POISON_NUM : 0;
}

/* After a call with a [transfer] output `o`: cleared unless a failure left
 * it set; a successful result is released with the driver's free(). */
static inline int32_t
done_ptr(conf_call *a, int32_t rc, void *o)
{
    a->cleared = rc == HVD_OK || o == NULL;
    if (rc == HVD_OK && o != NULL && o != CONF_POISON_PTR)
        a->drv->free(o);
    return rc;
}

#define CALL_PTR(id, TB, m, OT, ...)                         \
    static int32_t call_##id(conf_call *a)                   \
    {                                                        \
        OT *o = start_ptr(a);                                \
        int32_t rc = ((const TB *)a->table)->m(__VA_ARGS__); \
        return done_ptr(a, rc, o);                           \
    }
#define CALL_PTR_NUM(id, TB, m, OT, NT, ...)                 \
    static int32_t call_##id(conf_call *a)                   \
    {                                                        \
        OT *o = start_ptr(a);                                \
        NT v2 = (NT)start_num(a);                            \
        int32_t rc = ((const TB *)a->table)->m(__VA_ARGS__); \
        done_ptr(a, rc, o);                                  \
        a->cleared &= rc == HVD_OK || v2 == 0;               \
        return rc;                                           \
    }
#define CALL_NUM(id, TB, m, NT, ...)                         \
    static int32_t call_##id(conf_call *a)                   \
    {                                                        \
        NT v = (NT)start_num(a);                             \
        int32_t rc = ((const TB *)a->table)->m(__VA_ARGS__); \
        a->cleared = rc == HVD_OK || v == 0;                 \
        return rc;                                           \
    }
#define CALL_NUM2(id, TB, m, NT, NT2, ...)                   \
    static int32_t call_##id(conf_call *a)                   \
    {                                                        \
        NT v = (NT)start_num(a);                             \
        NT2 v2 = (NT2)start_num(a);                          \
        int32_t rc = ((const TB *)a->table)->m(__VA_ARGS__); \
        a->cleared = rc == HVD_OK || (v == 0 && v2 == 0);    \
        return rc;                                           \
    }
#define CALL_INTO(id, TB, m, ST, ...)                  \
    static int32_t call_##id(conf_call *a)             \
    {                                                  \
        ST s;                                          \
        memset(&s, 0, sizeof(s));                      \
        s.struct_size = sizeof(s);                     \
        a->cleared = 1;                                \
        return ((const TB *)a->table)->m(__VA_ARGS__); \
    }
#define CALL_NONE(id, TB, m, ...)                      \
    static int32_t call_##id(conf_call *a)             \
    {                                                  \
        a->cleared = 1;                                \
        return ((const TB *)a->table)->m(__VA_ARGS__); \
    }

#endif
