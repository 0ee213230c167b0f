/* live.c — hvd-conformance's checks against a server (--uri).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything here reads; the only calls that could change something are the
 * unknown-flag probes, which name objects that do not exist, and, with
 * --write only, the network checks of netdef.c.
 */
#include "conformance.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const conf_ctx *c;
    const char *password; /* what the callback answers */
    int calls;
    int cancel;
    GString *seen; /* every message the driver gave us */
    hvd_host host; /* the upcalls of its connection, user_data = this */
} auth_state;

void
conf_fill_credential(hvd_credential *cr, const char *value)
{
    size_t n = value ? strlen(value) : 0;
    if (cr->result == NULL || cr->result_capacity == 0)
        return;
    if (n >= cr->result_capacity)
        n = cr->result_capacity - 1;
    memcpy(cr->result, value ? value : "", n);
    cr->result[n] = '\0';
    cr->result_len = (uint32_t)n;
}

static int32_t HVD_CALL
auth_cb(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    auth_state *a = user_data;
    a->calls++;
    if (a->cancel)
        return 1;
    uint32_t stride = ncreds ? creds[0].struct_size : 0;
    for (uint32_t i = 0; i < ncreds; i++) {
        hvd_credential *cr = (hvd_credential *)(void *)((char *)creds + (size_t)i * stride);
        if (cr->type == HVD_CRED_USERNAME)
            conf_fill_credential(cr, a->c->user ? a->c->user : cr->default_result);
        else
            conf_fill_credential(cr, a->password);
    }
    return 0;
}

static GString *log_seen;

static void HVD_CALL
log_cb(void *user_data, int32_t level, const char *component, const char *message)
{
    (void)user_data, (void)level, (void)component;
    if (log_seen != NULL && message != NULL)
        g_string_append_printf(log_seen, "%s\n", message);
}

static void
remember(auth_state *a, const hvd_error *err)
{
    if (memchr(err->message, '\0', sizeof(err->message)) != NULL)
        g_string_append_printf(a->seen, "%s\n", err->message);
}

static int32_t
open_conn(const conf_ctx *c, auth_state *a, uint32_t flags, hvd_conn **conn, hvd_error *err)
{
    /* [borrowed: until close]: it lives in `a`, as long as the connection */
    a->host = (hvd_host){ sizeof(hvd_host), 0, a, log_cb, auth_cb, NULL };
    *err = (hvd_error)HVD_ERROR_INIT;
    *conn = NULL;
    int32_t rc = c->drv->connect->open(c->uri, NULL, 0, &a->host, flags, conn, err);
    remember(a, err);
    return rc;
}

static int
uuid_eq(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, 16) == 0;
}

/* Does another entry of the list share e's name (or UUID)? Then a lookup by
 * it is HVD_ERR_AMBIGUOUS (hvd.h "Objects"). */
static int
shared(const hvd_domain_list *all, const hvd_domain_info *e, int by_uuid)
{
    for (uint32_t k = 0; k < all->count; k++) {
        const hvd_domain_info *o = HVD_LIST_AT(hvd_domain_info, all->entries, all->entry_size, k);
        if (o != e && (by_uuid ? uuid_eq(o->uuid, e->uuid) : strcmp(o->name, e->name) == 0))
            return 1;
    }
    return 0;
}

/* A lookup of `e` answered `rc`/`x`: the same domain (same key), or
 * HVD_ERR_AMBIGUOUS when `ambiguous`. */
static int
same_domain(int32_t rc, const hvd_domain_info *x, const hvd_domain_info *e, int ambiguous)
{
    if (ambiguous)
        return rc == HVD_ERR_AMBIGUOUS || (rc == HVD_OK && strcmp(x->key, e->key) == 0);
    return rc == HVD_OK && x->struct_size >= HVD_1_0_SIZEOF_hvd_domain_info && x->key != NULL &&
           strcmp(x->key, e->key) == 0 && strcmp(x->name, e->name) == 0;
}

/* A key is never of the UUID form (hvd.h "Objects"). */
static int
uuid_form(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !g_ascii_isxdigit(s[i]))
            return 0;
    }
    return 1;
}

/* Domains: list_all against the lookups, and errors for a missing one. */
static void
check_domains(const conf_ctx *c, hvd_conn *conn, auth_state *a)
{
    const hvd_domain_table *t = c->drv->domain;
    if (t == NULL || t->list_all == NULL) {
        conf_skip("domain.list", "no domain table / list_all");
        return;
    }
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_list *all = NULL;
    int32_t rc = t->list_all(conn, 0, &all, &err);
    remember(a, &err);
    conf_check(rc == HVD_OK && all != NULL, "domain.list", "list_all -> %d, %u domain(s)", rc, all ? all->count : 0);
    if (rc != HVD_OK || all == NULL)
        return;
    int sizes = all->struct_size >= HVD_1_0_SIZEOF_hvd_domain_list &&
                all->entry_size >= HVD_1_0_SIZEOF_hvd_domain_info && (all->count == 0 || all->entries != NULL);
    conf_check(sizes, "domain.list.sizes", "list struct_size %u, entry_size %u >= 1.0's %u", all->struct_size,
               all->entry_size, HVD_1_0_SIZEOF_hvd_domain_info);
    if (!sizes) {
        c->drv->free(all);
        return;
    }
    int entries_ok = 1, unique = 1, n_active = 0;
    for (uint32_t i = 0; i < all->count; i++) {
        const hvd_domain_info *e = HVD_LIST_AT(hvd_domain_info, all->entries, all->entry_size, i);
        if (e->struct_size < HVD_1_0_SIZEOF_hvd_domain_info || e->name == NULL || e->name[0] == '\0' ||
            e->key == NULL || e->key[0] == '\0' || strlen(e->key) >= HVD_DOMAIN_KEY_LEN || uuid_form(e->key) ||
            e->state < HVD_DOMAIN_NOSTATE || e->state > HVD_DOMAIN_PMSUSPENDED || (e->id <= 0 && e->id != -1)) {
            entries_ok = 0;
            continue;
        }
        if (e->id > 0)
            n_active++;
        for (uint32_t k = 0; k < i; k++) {
            const hvd_domain_info *o = HVD_LIST_AT(hvd_domain_info, all->entries, all->entry_size, k);
            if (o->key != NULL && strcmp(o->key, e->key) == 0)
                unique = 0;
        }
    }
    conf_check(entries_ok, "domain.list.entries",
               "every entry has a name, a key (not of the UUID form, < %d bytes), a valid state and an id > 0 or -1",
               HVD_DOMAIN_KEY_LEN);
    conf_check(unique, "domain.list.unique", "keys are unique");
    if (!entries_ok) {
        c->drv->free(all);
        return;
    }

    /* ACTIVE and INACTIVE partition the list. */
    hvd_domain_list *act = NULL, *inact = NULL;
    int32_t r1 = t->list_all(conn, HVD_LIST_ACTIVE, &act, &err);
    int32_t r2 = t->list_all(conn, HVD_LIST_INACTIVE, &inact, &err);
    conf_check(r1 == HVD_OK && r2 == HVD_OK && act->count + inact->count == all->count && (int)act->count == n_active,
               "domain.list.partition",
               "HVD_LIST_ACTIVE (%u) + HVD_LIST_INACTIVE (%u) = all (%u), active = entries with an id (%d)",
               act ? act->count : 0, inact ? inact->count : 0, all->count, n_active);
    if (r1 == HVD_OK)
        c->drv->free(act);
    if (r2 == HVD_OK)
        c->drv->free(inact);

    /* Lookups agree with the list (first 20 domains). */
    int agree = 1, checked = 0;
    for (uint32_t i = 0; i < all->count && i < 20; i++) {
        const hvd_domain_info *e = HVD_LIST_AT(hvd_domain_info, all->entries, all->entry_size, i);
        hvd_domain_info *x = NULL;
        checked++;
        if (t->get_info != NULL) {
            rc = t->get_info(conn, e->key, 0, &x, &err);
            if (!same_domain(rc, x, e, 0)) {
                agree = 0;
                conf_info("get_info(%s) -> %d, disagrees with list_all", e->key, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(x);
        }
        if (t->lookup_by_name != NULL) {
            rc = t->lookup_by_name(conn, e->name, 0, &x, &err);
            if (!same_domain(rc, x, e, shared(all, e, 0))) {
                agree = 0;
                conf_info("lookup_by_name(%s) -> %d, disagrees with list_all", e->name, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(x);
        }
        if (t->lookup_by_uuid != NULL) {
            rc = t->lookup_by_uuid(conn, e->uuid, 0, &x, &err);
            if (!same_domain(rc, x, e, shared(all, e, 1))) {
                agree = 0;
                conf_info("lookup_by_uuid(<%s>) -> %d, disagrees with list_all", e->name, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(x);
        }
        if (t->lookup_by_id != NULL && e->id > 0) {
            rc = t->lookup_by_id(conn, e->id, 0, &x, &err);
            if (!same_domain(rc, x, e, 0)) {
                agree = 0;
                conf_info("lookup_by_id(%d) -> %d, disagrees with list_all", e->id, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(x);
        }
        if (t->get_state != NULL) {
            int32_t st = -1, reason = -1;
            rc = t->get_state(conn, e->key, 0, &st, &reason, &err);
            if (rc != HVD_OK || st < HVD_DOMAIN_NOSTATE || st > HVD_DOMAIN_PMSUSPENDED) {
                agree = 0;
                conf_info("get_state(%s) -> %d, state %d", e->name, rc, st);
            }
        }
        if (t->get_xml != NULL) {
            char *xml = NULL;
            rc = t->get_xml(conn, e->key, 0, &xml, &err);
            /* the name appears verbatim unless XML had to escape it */
            int plain = strpbrk(e->name, "<>&'\"") == NULL;
            if (rc != HVD_OK || xml == NULL || strstr(xml, "<domain") == NULL ||
                (plain && strstr(xml, e->name) == NULL)) {
                agree = 0;
                conf_info("get_xml(%s) -> %d", e->name, rc);
            }
            if (rc == HVD_OK)
                c->drv->free(xml);
        }
    }
    conf_check(agree, "domain.lookup",
               "get_info by key, lookups by name, UUID and id, get_state and get_xml agree "
               "with list_all "
               "(%d domain(s))",
               checked);
    c->drv->free(all);

    /* A missing domain. */
    static const uint8_t missing[16] = { 0xde, 0xad, 0xbe, 0xef, 0x68, 0x76, 0x4d, 0x63,
                                         0x8f, 0x6e, 0x6f, 0x2d, 0x73, 0x75, 0x63, 0x68 };
    hvd_domain_info *x = NULL;
    if (t->lookup_by_name != NULL) {
        err = (hvd_error)HVD_ERROR_INIT;
        rc = t->lookup_by_name(conn, "hvd-conformance-no-such-domain", 0, &x, &err);
        remember(a, &err);
        conf_check_error("domain.missing.name", "lookup_by_name(no such domain)", rc, HVD_ERR_NO_DOMAIN, &err);
        if (rc == HVD_OK)
            c->drv->free(x);
    }
    if (t->lookup_by_uuid != NULL) {
        err = (hvd_error)HVD_ERROR_INIT;
        rc = t->lookup_by_uuid(conn, missing, 0, &x, &err);
        conf_check_error("domain.missing.uuid", "lookup_by_uuid(no such domain)", rc, HVD_ERR_NO_DOMAIN, &err);
        if (rc == HVD_OK)
            c->drv->free(x);
    }
    if (t->lookup_by_id != NULL) {
        err = (hvd_error)HVD_ERROR_INIT;
        rc = t->lookup_by_id(conn, 2147483000, 0, &x, &err);
        conf_check_error("domain.missing.id", "lookup_by_id(no such id)", rc, HVD_ERR_NO_DOMAIN, &err);
        if (rc == HVD_OK)
            c->drv->free(x);
    }
    if (t->get_xml != NULL) {
        char *xml = NULL;
        err = (hvd_error)HVD_ERROR_INIT;
        rc = t->get_xml(conn, "hvd-conformance-no-such-domain", 0, &xml, &err);
        conf_check_error("domain.missing.xml", "get_xml(no such domain)", rc, HVD_ERR_NO_DOMAIN, &err);
        if (rc == HVD_OK)
            c->drv->free(xml);
    }
}

static void
check_host(const conf_ctx *c, hvd_conn *conn, auth_state *a)
{
    const hvd_connect_table *t = c->drv->connect;
    hvd_error err = HVD_ERROR_INIT;
    if (t->get_uri != NULL) {
        char *uri = NULL;
        int32_t rc = t->get_uri(conn, 0, &uri, &err);
        conf_check(rc == HVD_OK && uri != NULL && *uri, "host.uri", "get_uri -> %d \"%s\"", rc, rc ? "" : uri);
        if (rc == HVD_OK) {
            g_string_append_printf(a->seen, "%s\n", uri);
            c->drv->free(uri);
        }
    }
    if (t->get_hostname != NULL) {
        char *h = NULL;
        int32_t rc = t->get_hostname(conn, 0, &h, &err);
        conf_check(rc == HVD_OK && h != NULL && *h, "host.hostname", "get_hostname -> %d \"%s\"", rc, rc ? "" : h);
        if (rc == HVD_OK)
            c->drv->free(h);
    }
    if (t->get_version != NULL) {
        hvd_version *v = NULL;
        int32_t rc = t->get_version(conn, 0, &v, &err);
        int ok = rc == HVD_OK && v != NULL && v->struct_size >= HVD_1_0_SIZEOF_hvd_version && v->product && v->name &&
                 v->api_type && v->api_version && v->build && v->instance_uuid &&
                 v->version == (uint64_t)v->major * 1000000 + (uint64_t)v->minor * 1000 + v->release;
        conf_check(ok, "host.version", "get_version -> %d: %s %u.%u.%u (%s, API %s)", rc, ok ? v->name : "?",
                   ok ? v->major : 0, ok ? v->minor : 0, ok ? v->release : 0, ok ? v->api_type : "?",
                   ok ? v->api_version : "?");
        if (rc == HVD_OK)
            c->drv->free(v);
    }
    if (t->get_node_info != NULL) {
        hvd_node_info ni;
        memset(&ni, 0, sizeof(ni));
        ni.struct_size = sizeof(ni);
        int32_t rc = t->get_node_info(conn, 0, &ni, &err);
        int ok = rc == HVD_OK && ni.struct_size >= HVD_1_0_SIZEOF_hvd_node_info && ni.struct_size <= sizeof(ni) &&
                 ni.cpus > 0 && ni.memory_kib > 0 && memchr(ni.model, '\0', sizeof(ni.model)) != NULL;
        conf_check(ok, "host.node_info", "get_node_info -> %d: struct_size %u, %u CPUs, %llu KiB, model \"%.32s\"", rc,
                   ni.struct_size, ni.cpus, (unsigned long long)ni.memory_kib, ni.model);
        /* Caller-allocated and smaller than 1.0's: nothing written beyond. */
        unsigned char box[sizeof(hvd_node_info) + 32];
        memset(box, 0xC5, sizeof(box));
        hvd_node_info *small = (hvd_node_info *)(void *)box;
        uint32_t sz = offsetof(hvd_node_info, memory_kib);
        small->struct_size = sz;
        err = (hvd_error)HVD_ERROR_INIT;
        rc = t->get_node_info(conn, 0, small, &err);
        int intact = 1;
        for (size_t k = sz; k < sizeof(box); k++)
            intact &= box[k] == 0xC5;
        conf_check(intact && small->struct_size <= sz && (rc == HVD_OK || rc == HVD_ERR_INVALID_ARG),
                   "host.node_info.truncate", "a %u-byte hvd_node_info -> %d, nothing written beyond it (%s)", sz, rc,
                   intact ? "ok" : "OVERWRITTEN");
    }
    if (t->is_alive != NULL) {
        int32_t alive = -1;
        int32_t rc = t->is_alive(conn, 0, &alive, &err);
        conf_check(rc == HVD_OK && alive == 1, "host.alive", "is_alive -> %d, %d", rc, alive);
    }
}

/* Every operation on the live connection: an unknown flag, a NULL and a
 * poisoned output, each documented flag, objects that do not exist (rules 8,
 * 12; a member called through another's slot answers another status). */
static void
check_members(const conf_ctx *c, hvd_conn *conn)
{
    conf_live_tally t;
    conf_probe_live(c->drv, conn, conf_info, conf_begin, &t);
    conf_check(t.bad_flag.status == 0, "flags.all", "%d operation(s) reject an unknown flag with HVD_ERR_BAD_FLAGS",
               t.bad_flag.called);
    conf_check(t.bad_flag.cleared == 0 && t.missing.cleared == 0, "clearout.all",
               "%d operation(s) set their poisoned *_out to NULL/0 when they fail", t.bad_flag.called);
    conf_check(t.null_out.status == 0, "nullout.all",
               "%d operation(s) reject a NULL output pointer with HVD_ERR_INVALID_ARG", t.null_out.called);
    conf_check(t.documented.status == 0, "flags.documented",
               "%d call(s): each bit its \"Flags:\" line documents is accepted, every other bit of 0..16 refused",
               t.documented.called);
    conf_check(t.missing.status == 0, "status.documented",
               "%d operation(s) answer a documented status for objects that do not exist", t.missing.called);
}

void
conf_live(conf_ctx *c)
{
    const hvd_driver *d = c->drv;
    if (d->connect == NULL || d->connect->open == NULL || d->connect->close == NULL) {
        conf_check(0, "live.connect", "--uri given but the driver has no connect table");
        return;
    }
    auth_state a = { .c = c, .password = c->password, .seen = g_string_new(NULL) };
    log_seen = g_string_new(NULL);
    int threads0 = conf_count_threads(), fds0 = conf_count_fds();

    /* init is refcounted: two inits, one shutdown, still usable. */
    d->init(0, NULL);
    d->init(0, NULL);
    d->shutdown();
    hvd_conn *conn = NULL;
    hvd_error err;
    int32_t rc = open_conn(c, &a, 0, &conn, &err);
    conf_check(rc == HVD_OK && conn != NULL, "live.open", "open(%s) after init x2 + shutdown x1 -> %d%s%.300s", c->uri,
               rc, rc ? ": " : "", rc ? err.message : "");
    if (rc == HVD_OK) {
        check_host(c, conn, &a);
        check_domains(c, conn, &a);
        conf_check_brief(c, conn);
        conf_live_storage(c, conn);
        conf_live_snapshots(c, conn);
        check_members(c, conn);
        conf_live_network(c, conn);
        conf_check_migrate(c, conn);
        conf_check_memory(c, conn);
        d->connect->close(conn);
        conf_check(1, "live.close", "close() returned");
    }
    conf_check_two_hosts(c, a.seen);

    /* A second connection, concurrently valid with nothing else open. */
    if (c->password != NULL) {
        g_autofree char *wrong = g_strconcat(c->password, "-hvd-conformance-wrong", NULL);
        auth_state bad = { .c = c, .password = wrong, .seen = a.seen };
        rc = open_conn(c, &bad, 0, &conn, &err);
        conf_check_error("live.auth-failed", "open(wrong password)", rc, HVD_ERR_AUTH_FAILED, &err);
        if (rc == HVD_OK)
            d->connect->close(conn);
        conf_check(err.message[0] == '\0' || strstr(err.message, wrong) == NULL, "live.auth-failed.no-secret",
                   "the error does not repeat the password");
    } else {
        conf_skip("live.auth-failed", "no --password: wrong-password check not run");
    }
    auth_state cancel = { .c = c, .cancel = 1, .seen = a.seen };
    rc = open_conn(c, &cancel, 0, &conn, &err);
    if (cancel.calls > 0)
        conf_check_error("live.auth-cancelled", "open(auth callback cancels)", rc, HVD_ERR_AUTH_CANCELLED, &err);
    else
        conf_skip("live.auth-cancelled", "the server asked for no credentials");
    if (rc == HVD_OK)
        d->connect->close(conn);
    d->shutdown();

    if (c->password != NULL && *c->password != '\0') {
        /* Where it was found, never the text itself. */
        int in_msgs = strstr(a.seen->str, c->password) != NULL, in_log = strstr(log_seen->str, c->password) != NULL;
        conf_check(!in_msgs && !in_log, "live.no-secret", "no error message, URI or log line contains the password%s%s",
                   in_msgs ? " (FOUND in an error message or the URI)" : "", in_log ? " (FOUND in a log line)" : "");
    }
    int threads1 = conf_count_threads(), fds1 = conf_count_fds();
    conf_check(fds1 == fds0, "live.no-fd-leak", "every connection closed its files and sockets (%d -> %d)", fds0, fds1);
    conf_check(threads1 == threads0, "live.no-thread-leak",
               "no thread left running after close and shutdown "
               "(%d -> %d)",
               threads0, threads1);
    g_string_free(a.seen, TRUE);
    g_string_free(log_seen, TRUE);
    log_seen = NULL;
}
