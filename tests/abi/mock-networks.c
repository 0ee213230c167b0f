/* mock-networks.c — the mock driver's network table (built into the mock
 * with -DMOCK_NETWORKS only, so the other mocks keep their capabilities):
 * networks defined from <network> XML live in memory, shared by every
 * connection of the process as a server's are, so hvd-conformance --write
 * can check define, lookup, get_xml and undefine against it. With
 * MOCK_BREAK_NETDEF the table gets each of those wrong (mock-driver.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mock-driver.h"

#define MAX_NETWORKS 8
#define MAX_NAME     64
#define MAX_XML      4096

typedef struct {
    int used;
    char name[MAX_NAME];
    char xml[MAX_XML];
} mock_network;

static mock_network networks[MAX_NETWORKS];
static pthread_mutex_t networks_lock = PTHREAD_MUTEX_INITIALIZER;

/* A stable UUID from the name (FNV-1a over it, spread over 16 bytes). */
static void
network_uuid(const char *name, uint8_t uuid[16])
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = name; *p != '\0'; p++)
        h = (h ^ (uint8_t)*p) * UINT64_C(1099511628211);
    for (int i = 0; i < 16; i++)
        uuid[i] = (uint8_t)(h >> ((i % 8) * 8)) ^ (uint8_t)(i * 37);
#if MOCK_BREAK == MOCK_BREAK_NETDEF
    uuid[0] ^= 0xff; /* define and lookups disagree (see net_define_xml) */
#endif
    uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);
    uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
}

static hvd_network_info *
pack_network(const char *name, const uint8_t uuid[16])
{
    hvd_network_info *info = calloc(1, sizeof(*info) + strlen(name) + 1);
    if (info == NULL)
        return NULL;
    info->struct_size = sizeof(*info);
    info->active = 1;
    memcpy(info->uuid, uuid, 16);
    info->name = strcpy((char *)(info + 1), name);
    return info;
}

/* The slot of network NAME, or NULL; call with the lock held. */
static mock_network *
find_network(const char *name)
{
    for (int i = 0; name != NULL && i < MAX_NETWORKS; i++)
        if (networks[i].used && strcmp(networks[i].name, name) == 0)
            return &networks[i];
    return NULL;
}

static int32_t
no_network(hvd_error *err, const char *op, const char *name)
{
    return mock_fail(err, HVD_ERR_NO_NETWORK, "%s: no network named '%.64s'", op, name ? name : "(null)");
}

static int32_t HVD_CALL
net_list(hvd_conn *conn, uint32_t flags, hvd_network_list **list_out, hvd_error *err)
{
    CONN_OP("network list", HVD_NETWORK_LIST_ACTIVE | HVD_NETWORK_LIST_INACTIVE, list_out);
    pthread_mutex_lock(&networks_lock);
    size_t n = 0, strings = 0;
    int want = flags == 0 || (flags & HVD_NETWORK_LIST_ACTIVE) != 0; /* all are active */
    for (int i = 0; want && i < MAX_NETWORKS; i++)
        if (networks[i].used)
            n++, strings += strlen(networks[i].name) + 1;
    hvd_network_list *l = calloc(1, sizeof(*l) + n * sizeof(hvd_network_info) + strings);
    if (l == NULL) {
        pthread_mutex_unlock(&networks_lock);
        return mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    }
    hvd_network_info *infos = (hvd_network_info *)(l + 1);
    char *s = (char *)(infos + n);
    size_t k = 0;
    for (int i = 0; want && i < MAX_NETWORKS; i++) {
        if (!networks[i].used)
            continue;
        infos[k].struct_size = sizeof(hvd_network_info);
        infos[k].active = 1;
        network_uuid(networks[i].name, infos[k].uuid);
        infos[k].name = strcpy(s, networks[i].name);
        s += strlen(s) + 1;
        k++;
    }
    pthread_mutex_unlock(&networks_lock);
    l->struct_size = sizeof(*l);
    l->count = (uint32_t)n;
    l->entry_size = sizeof(hvd_network_info);
    l->entries = infos;
    *list_out = l;
    return HVD_OK;
}

static int32_t HVD_CALL
net_lookup_by_name(hvd_conn *conn, const char *name, uint32_t flags, hvd_network_info **info_out, hvd_error *err)
{
    CONN_OP("network lookup_by_name", 0, info_out);
    pthread_mutex_lock(&networks_lock);
    int found = find_network(name) != NULL;
    pthread_mutex_unlock(&networks_lock);
    if (!found)
        return no_network(err, "network lookup_by_name", name);
    uint8_t uuid[16];
    network_uuid(name, uuid);
    *info_out = pack_network(name, uuid);
    return *info_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
net_lookup_by_uuid(hvd_conn *conn, const uint8_t uuid[16], uint32_t flags, hvd_network_info **info_out, hvd_error *err)
{
    CONN_OP("network lookup_by_uuid", 0, info_out);
    if (uuid == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "network lookup_by_uuid: uuid is NULL");
    char name[MAX_NAME] = "";
    pthread_mutex_lock(&networks_lock);
    for (int i = 0; i < MAX_NETWORKS && name[0] == '\0'; i++) {
        uint8_t u[16];
        if (!networks[i].used)
            continue;
        network_uuid(networks[i].name, u);
        if (memcmp(u, uuid, 16) == 0)
            strcpy(name, networks[i].name);
    }
    pthread_mutex_unlock(&networks_lock);
    if (name[0] == '\0')
        return mock_fail(err, HVD_ERR_NO_NETWORK, "network lookup_by_uuid: no network with that UUID");
    *info_out = pack_network(name, uuid);
    return *info_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

static int32_t HVD_CALL
net_get_xml(hvd_conn *conn, const char *name, uint32_t flags, char **xml_out, hvd_error *err)
{
    CONN_OP("network get_xml", 0, xml_out);
    pthread_mutex_lock(&networks_lock);
    mock_network *n = find_network(name);
#if MOCK_BREAK == MOCK_BREAK_NETDEF
    /* what was defined is lost: only the name comes back */
    char xml[MAX_XML + 64];
    if (n != NULL)
        snprintf(xml, sizeof(xml), "<network><name>%s</name></network>\n", n->name);
#else
    char xml[MAX_XML];
    if (n != NULL)
        strcpy(xml, n->xml);
#endif
    pthread_mutex_unlock(&networks_lock);
    if (n == NULL)
        return no_network(err, "network get_xml", name);
    *xml_out = mock_dup_out(xml);
    return *xml_out ? HVD_OK : mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
}

/* The text of <name> in XML, into NAME; 0 when there is none. */
static int
xml_name(const char *xml, char name[MAX_NAME])
{
    const char *a = strstr(xml, "<name>"), *b = a ? strstr(a, "</name>") : NULL;
    if (a == NULL || b == NULL || b - (a + 6) <= 0 || b - (a + 6) >= MAX_NAME)
        return 0;
    memcpy(name, a + 6, (size_t)(b - (a + 6)));
    name[b - (a + 6)] = '\0';
    return 1;
}

static int32_t HVD_CALL
net_define_xml(hvd_conn *conn, const char *xml, uint32_t flags, hvd_network_info **info_out, hvd_error *err)
{
    CLEAR_OUT(info_out); /* optional */
    int32_t rc = mock_check_flags("network define_xml", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CONN_NULL_CHECK("network define_xml");
    char name[MAX_NAME];
#if MOCK_BREAK == MOCK_BREAK_NETDEF
    /* accepts anything with a <name>, and any XML without one as "x" */
    if (xml == NULL)
        return mock_fail(err, HVD_ERR_XML, "network define_xml: no XML");
    if (!xml_name(xml, name))
        strcpy(name, "x");
#else
    if (xml == NULL || strncmp(xml, "<network>", 9) != 0 || strstr(xml, "</network>") == NULL ||
        strlen(xml) >= MAX_XML || !xml_name(xml, name))
        return mock_fail(err, HVD_ERR_XML, "network define_xml: not a <network> document with a <name>");
#endif
    pthread_mutex_lock(&networks_lock);
    mock_network *n = find_network(name);
#if MOCK_BREAK != MOCK_BREAK_NETDEF
    if (n != NULL) {
        pthread_mutex_unlock(&networks_lock);
        return mock_fail(err, HVD_ERR_EXISTS, "network define_xml: network '%s' exists", name);
    }
#endif
    for (int i = 0; n == NULL && i < MAX_NETWORKS; i++)
        if (!networks[i].used)
            n = &networks[i];
    if (n != NULL) {
        n->used = 1;
        strcpy(n->name, name);
        snprintf(n->xml, sizeof(n->xml), "%s", xml);
    }
    pthread_mutex_unlock(&networks_lock);
    if (n == NULL)
        return mock_fail(err, HVD_ERR_OPERATION_FAILED, "network define_xml: the mock holds %d networks at most",
                         MAX_NETWORKS);
    if (info_out != NULL) {
        uint8_t uuid[16];
        network_uuid(name, uuid);
#if MOCK_BREAK == MOCK_BREAK_NETDEF
        uuid[0] ^= 0xff; /* undoes the lookups' change: define's UUID differs */
#endif
        *info_out = pack_network(name, uuid);
        if (*info_out == NULL)
            return mock_fail(err, HVD_ERR_NO_MEMORY, "out of memory");
    }
    return HVD_OK;
}

static int32_t HVD_CALL
net_undefine(hvd_conn *conn, const char *name, uint32_t flags, hvd_error *err)
{
    int32_t rc = mock_check_flags("network undefine", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    CONN_NULL_CHECK("network undefine");
    pthread_mutex_lock(&networks_lock);
    mock_network *n = find_network(name);
#if MOCK_BREAK == MOCK_BREAK_NETDEF
    /* reports success and removes nothing, also for an unknown name */
    pthread_mutex_unlock(&networks_lock);
    return n != NULL || strncmp(name ? name : "", "hvd-conformance-no-such", 23) != 0
               ? HVD_OK
               : no_network(err, "network undefine", name);
#else
    if (n != NULL)
        n->used = 0;
    pthread_mutex_unlock(&networks_lock);
    return n != NULL ? HVD_OK : no_network(err, "network undefine", name);
#endif
}

const hvd_network_table mock_network_table = {
    .struct_size = sizeof(hvd_network_table),
    .list = net_list,
    .lookup_by_name = net_lookup_by_name,
    .lookup_by_uuid = net_lookup_by_uuid,
    .get_xml = net_get_xml,
    .define_xml = net_define_xml,
    .undefine = net_undefine,
};
