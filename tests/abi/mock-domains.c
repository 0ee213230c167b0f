/* mock-domains.c — the mock driver's domain table: three in-memory domains.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mock-driver.h"

typedef struct {
    const char *name;
    const char *key;
    uint8_t uuid[16];
    int32_t id;
    int32_t state;
} mock_domain;

static const mock_domain domains[] = {
    { "alpha", "mock-1", { 0x11, 0x11, 0x11, 0x11, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1 }, 1, HVD_DOMAIN_RUNNING },
    { "beta", "mock-2", { 0x22, 0x22, 0x22, 0x22, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 2 }, -1, HVD_DOMAIN_SHUTOFF },
    { "gamma", "mock-3", { 0x33, 0x33, 0x33, 0x33, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 3 }, 7, HVD_DOMAIN_PAUSED },
};
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

/* Fill `info` (strings at `s`); returns the end of the strings written. */
static char *
fill_domain(hvd_domain_info *info, const mock_domain *d, char *s)
{
    info->struct_size = sizeof(*info);
    info->id = d->id;
    info->state = d->state;
    memcpy(info->uuid, d->uuid, 16);
    info->memory_kib = info->max_memory_kib = 1u << 20;
    info->vcpus = 2;
    info->persistent = 1;
    info->name = strcpy(s, d->name);
    s += strlen(s) + 1;
    info->key = strcpy(s, d->key);
    return s + strlen(s) + 1;
}

/* HVD_LIST_BRIEF (1.1): what a brief entry leaves out is zero. A mock built
 * from the 1.0 header does not know the flag and refuses it. */
#ifdef HVD_LIST_BRIEF
#define MOCK_LIST_FLAGS (HVD_LIST_ACTIVE | HVD_LIST_INACTIVE | HVD_LIST_BRIEF)
#define MOCK_NAME_FLAGS HVD_LIST_BRIEF
static void
make_brief(hvd_domain_info *info)
{
    memset(info->uuid, 0, sizeof(info->uuid));
    info->memory_kib = info->max_memory_kib = 0;
    info->vcpus = 0;
#if MOCK_BREAK == MOCK_BREAK_BRIEF
    info->state = HVD_DOMAIN_RUNNING;
#endif
}
#else
#define MOCK_LIST_FLAGS (HVD_LIST_ACTIVE | HVD_LIST_INACTIVE)
#define MOCK_NAME_FLAGS 0
#endif

static size_t
strings_size(const mock_domain *d)
{
    return strlen(d->name) + 1 + strlen(d->key) + 1;
}

static hvd_domain_info *
pack_domain(const mock_domain *d)
{
    hvd_domain_info *info = calloc(1, sizeof(*info) + strings_size(d));
    if (info != NULL)
        fill_domain(info, d, (char *)(info + 1));
    return info;
}

/* A domain by key or by UUID in text form (hvd.h "Objects"). */
static const mock_domain *
find_domain(const char *domain)
{
    for (size_t i = 0; domain != NULL && i < NDOMAINS; i++) {
        const uint8_t *u = domains[i].uuid;
        char text[37];
        snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
        if (strcmp(domains[i].key, domain) == 0 || strcasecmp(text, domain) == 0)
            return &domains[i];
    }
    return NULL;
}

int
mock_domain_index(const char *domain)
{
    const mock_domain *d = find_domain(domain);
    return d == NULL ? -1 : (int)(d - domains);
}

static int32_t
found(const mock_domain *d, hvd_domain_info **info_out, hvd_error *err)
{
    *info_out = pack_domain(d);
    return *info_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t
no_domain(hvd_error *err, const char *what)
{
#if MOCK_BREAK == MOCK_BREAK_NODOMAIN
    return mock_fail(err, HVD_ERR_INTERNAL, "lookup failed");
#else
    return mock_fail(err, HVD_ERR_NO_DOMAIN, "no domain with %s on mock.example.com", what);
#endif
}

static int32_t HVD_CALL
mock_list_all(hvd_conn *conn, uint32_t flags, hvd_domain_list **list_out, hvd_error *err)
{
    CONN_OP("list_all", MOCK_LIST_FLAGS, list_out);
    uint32_t want = flags & (HVD_LIST_ACTIVE | HVD_LIST_INACTIVE);
    if (want == 0)
        want = HVD_LIST_ACTIVE | HVD_LIST_INACTIVE;
#if MOCK_BREAK == MOCK_BREAK_PARTITION
    want = HVD_LIST_ACTIVE | HVD_LIST_INACTIVE;
#endif
    size_t names = 0;
    for (size_t i = 0; i < NDOMAINS; i++)
        names += strings_size(&domains[i]);
    hvd_domain_list *l = calloc(1, sizeof(*l) + NDOMAINS * sizeof(hvd_domain_info) + names);
    if (l == NULL)
        return mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    hvd_domain_info *e = (hvd_domain_info *)(l + 1);
    char *s = (char *)(e + NDOMAINS);
    l->struct_size = sizeof(*l);
    l->entry_size = sizeof(hvd_domain_info);
    l->entries = e;
    for (size_t i = 0; i < NDOMAINS; i++) {
        int active = domains[i].id > 0;
        if (want & (active ? HVD_LIST_ACTIVE : HVD_LIST_INACTIVE)) {
            s = fill_domain(&e[l->count], &domains[i], s);
#ifdef HVD_LIST_BRIEF
            if (flags & HVD_LIST_BRIEF)
                make_brief(&e[l->count]);
#endif
            l->count++;
        }
    }
    mock_log(conn, HVD_LOG_DEBUG, "list_all(flags 0x%x): %u domain(s)", (unsigned)flags, l->count);
    *list_out = l;
    return HVD_OK;
}

static int32_t HVD_CALL
mock_lookup_by_name(hvd_conn *conn, const char *name, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CONN_OP("lookup_by_name", MOCK_NAME_FLAGS, info_out);
    mock_log(conn, HVD_LOG_DEBUG, "lookup_by_name(flags 0x%x)", (unsigned)flags);
    if (name == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "lookup_by_name: name is NULL");
    for (size_t i = 0; i < NDOMAINS; i++) {
        if (strcmp(domains[i].name, name) == 0) {
#if MOCK_BREAK == MOCK_BREAK_LOOKUP
            return found(&domains[(i + 1) % NDOMAINS], info_out, err);
#else
            return found(&domains[i], info_out, err);
#endif
        }
    }
    return no_domain(err, "this name");
}

static int32_t HVD_CALL
mock_lookup_by_uuid(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CONN_OP("lookup_by_uuid", 0, info_out);
    if (uuid == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "lookup_by_uuid: uuid is NULL");
    for (size_t i = 0; i < NDOMAINS; i++) {
        if (memcmp(domains[i].uuid, uuid, 16) == 0)
            return found(&domains[i], info_out, err);
    }
    return no_domain(err, "this UUID");
}

static int32_t HVD_CALL
mock_lookup_by_id(hvd_conn *conn, int32_t id, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CONN_OP("lookup_by_id", 0, info_out);
    for (size_t i = 0; i < NDOMAINS; i++) {
        if (domains[i].id > 0 && domains[i].id == id)
            return found(&domains[i], info_out, err);
    }
    return no_domain(err, "this id");
}

static int32_t HVD_CALL
mock_get_info(hvd_conn *conn, const char *domain, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CONN_OP("get_info", 0, info_out);
    const mock_domain *d = find_domain(domain);
    return d != NULL ? found(d, info_out, err) : no_domain(err, "this key or UUID");
}

static int32_t HVD_CALL
mock_get_state(hvd_conn *conn, const char *domain, uint32_t flags, int32_t *state_out, int32_t *reason_out,
               hvd_error *err)
{
    CLEAR_OUT(reason_out);
    CONN_OP("get_state", 0, state_out);
    CHECK_OUT("get_state", reason_out);
    const mock_domain *d = find_domain(domain);
    if (d == NULL)
        return no_domain(err, "this key or UUID");
    *state_out = d->state;
    return HVD_OK;
}

static int32_t HVD_CALL
mock_get_xml(hvd_conn *conn, const char *domain, uint32_t flags, char **xml_out, hvd_error *err)
{
    CONN_OP("get_xml", 0, xml_out);
    const mock_domain *d = find_domain(domain);
    if (d == NULL)
        return no_domain(err, "this key or UUID");
    char buf[256];
    snprintf(buf, sizeof(buf), "<domain type='mock'><name>%s</name></domain>", d->name);
    *xml_out = mock_dup_out(buf);
    return *xml_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
mock_define_xml(hvd_conn *conn, const char *xml, uint32_t flags, hvd_domain_info **info_out, hvd_error *err)
{
    CLEAR_OUT(info_out); /* optional output: NULL means no info wanted */
    int32_t rc = mock_check_flags("define_xml", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CONN_NULL_CHECK("define_xml");
    if (xml == NULL || strncmp(xml, "<domain", 7) != 0)
        return mock_fail(err, HVD_ERR_XML, "define_xml: not a <domain> document");
    return mock_fail(err, HVD_ERR_OPERATION_INVALID, "define_xml: the mock's domains are fixed");
}

#if MOCK_BREAK == MOCK_BREAK_SHIFT
/* As a driver built from a header that declared define_xml before get_xml:
 * each function sits in the other's slot (same size, so only calls notice). */
#define SLOT(fn, member) ((__typeof__(((hvd_domain_table *)0)->member))(void (*)(void))(fn))
#endif

const hvd_domain_table mock_domain_table[MOCK_TABLE_SLOTS] = { {
#if MOCK_BREAK == MOCK_BREAK_BIGSUBTABLE
    .struct_size = sizeof(hvd_domain_table) + sizeof(void *),
#else
    .struct_size = sizeof(hvd_domain_table),
#endif
#if MOCK_BREAK == MOCK_BREAK_RESERVED
    .reserved0 = 1,
#endif
    .list_all = mock_list_all,
    .lookup_by_name = mock_lookup_by_name,
    .lookup_by_uuid = mock_lookup_by_uuid,
    .lookup_by_id = mock_lookup_by_id,
    .get_info = mock_get_info,
    .get_state = mock_get_state,
#if MOCK_BREAK == MOCK_BREAK_SHIFT
    .get_xml = SLOT(mock_define_xml, get_xml),
    .define_xml = SLOT(mock_get_xml, define_xml),
#else
    .get_xml = mock_get_xml,
    .define_xml = mock_define_xml,
#endif
} };
