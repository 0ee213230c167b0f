/* host.c — the host-level calls of hvd_connect_table: host name, version,
 * node info, capabilities, free memory, vCPU limit. Each is one property
 * retrieval on the connection's HostSystem (after the connection's one
 * locate, on first use), or none (version). */
#include "esx-conn.h"

#include <string.h>

/* Properties of the managed HostSystem, or NULL with err filled and *rc
 * set. *host_name_out (optional) names the host for messages. */
static vi_value *
host_properties(hvd_conn *conn, const char *const *paths, const char **host_name_out, hvd_error *err, int32_t *rc)
{
    const esx_location *loc = NULL;
    *rc = esx_conn_locate(conn, &loc, err);
    if (*rc != HVD_OK)
        return NULL;
    if (host_name_out != NULL)
        *host_name_out = loc->host_name;
    g_autoptr(GError) gerr = NULL;
    vi_value *obj = vi_collector_retrieve_one(conn->vi, &loc->host, paths, &gerr);
    if (obj == NULL)
        *rc = esx_fail_gerror(err, gerr);
    return obj;
}

int32_t HVD_CALL
esx_get_hostname(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_hostname", flags, 0, hostname_out);
    static const char *const paths[] = { "config.network.dnsConfig", "name", NULL };
    int32_t rc = HVD_OK;
    const char *host_name = NULL;
    g_autoptr(vi_value) obj = host_properties(conn, paths, &host_name, err, &rc);
    if (obj == NULL)
        return rc;
    const char *host = vi_object_get_string(obj, "config.network.dnsConfig.hostName");
    const char *domain = vi_object_get_string(obj, "config.network.dnsConfig.domainName");
    if (host == NULL || *host == '\0')
        host = vi_object_get_string(obj, "name");
    if (host == NULL || *host == '\0')
        return esx_fail(err, HVD_ERR_SERVER, NULL, "host %s reports no host name", host_name);
    if (domain != NULL && *domain != '\0' && strchr(host, '.') == NULL)
        *hostname_out = g_strdup_printf("%s.%s", host, domain);
    else
        *hostname_out = g_strdup(host);
    return HVD_OK;
}

/* Reads the whole number at PATH of OBJ into *OUT when it lies from MIN to
 * MAX: a number the server sends that does not fit is refused, never
 * wrapped (-1 MHz is not 4294967295 MHz). When PATH is absent, *OUT is left
 * alone, and that is an error only when REQUIRED. HVD_ERR_SERVER naming the
 * property and what the server sent otherwise. */
static int32_t
read_number(const vi_value *obj, const char *path, gint64 min, gint64 max, gboolean required, const char *host_name,
            gint64 *out, hvd_error *err)
{
    const char *text = vi_object_get_string(obj, path);
    if (text == NULL)
        return required ? esx_fail(err, HVD_ERR_SERVER, NULL, "host %s did not report %s", host_name, path) : HVD_OK;
    gint64 n = 0;
    if (!vi_object_get_int64(obj, path, &n) || n < min || n > max)
        return esx_fail(err, HVD_ERR_SERVER, NULL,
                        "host %s reports %s = '%.40s', which is not a whole number from %" G_GINT64_FORMAT
                        " to %" G_GINT64_FORMAT,
                        host_name, path, text, min, max);
    *out = n;
    return HVD_OK;
}

static void
parse_version(const char *text, uint32_t v[3])
{
    v[0] = v[1] = v[2] = 0;
    if (text == NULL)
        return;
    g_auto(GStrv) parts = g_strsplit(text, ".", 3);
    for (int i = 0; i < 3 && parts[i] != NULL; i++) {
        /* a part that is not a number up to 999 (the scheme of
         * hvd_version.version) stays 0 rather than wrap */
        guint64 n = 0;
        const char *digits = parts[i];
        gsize len = strspn(digits, "0123456789");
        g_autofree char *head = g_strndup(digits, len);
        if (len > 0 && g_ascii_string_to_unsigned(head, 10, 0, 999, &n, NULL))
            v[i] = (uint32_t)n;
    }
}

int32_t HVD_CALL
esx_get_version(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_version", flags, 0, version_out);
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    const vi_AboutInfo *a = sc ? sc->about : NULL;
    if (a == NULL)
        return esx_fail(err, HVD_ERR_SERVER, NULL, "%s sent no product information", conn->uri->host);
    const char *strs[] = { a->fullName, a->name, a->apiType, a->apiVersion, a->build, a->instanceUuid };
    gsize total = sizeof(hvd_version);
    for (gsize i = 0; i < G_N_ELEMENTS(strs); i++)
        total += strlen(strs[i] ? strs[i] : "") + 1;
    /* one allocation: the struct, then its strings */
    hvd_version *v = g_malloc0(total);
    char *p = (char *)(v + 1);
    const char **dst[] = { &v->product, &v->name, &v->api_type, &v->api_version, &v->build, &v->instance_uuid };
    for (gsize i = 0; i < G_N_ELEMENTS(strs); i++) {
        const char *s = strs[i] ? strs[i] : "";
        gsize n = strlen(s) + 1;
        memcpy(p, s, n);
        *dst[i] = p;
        p += n;
    }
    uint32_t ver[3];
    parse_version(a->version, ver);
    v->struct_size = sizeof(hvd_version);
    v->major = ver[0];
    v->minor = ver[1];
    v->release = ver[2];
    v->version = (uint64_t)ver[0] * 1000000 + (uint64_t)ver[1] * 1000 + ver[2];
    *version_out = v;
    return HVD_OK;
}

int32_t HVD_CALL
esx_get_node_info(hvd_conn *conn, uint32_t flags, hvd_node_info *info, hvd_error *err)
{
    ESX_CHECK_CALL_INTO(conn, "get_node_info", flags, 0, info);
    if (info->struct_size < sizeof(info->struct_size))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "get_node_info: struct_size %u is too small",
                        info->struct_size);
    static const char *const paths[] = { "summary.hardware", "hardware.numaInfo.numNodes", NULL };
    int32_t rc = HVD_OK;
    const char *host_name = NULL;
    g_autoptr(vi_value) obj = host_properties(conn, paths, &host_name, err, &rc);
    if (obj == NULL)
        return rc;
    gint64 mem = 0, mhz = 0, pkgs = 0, cores = 0, threads = 0, numa = 0;
    const char *model = vi_object_get_string(obj, "summary.hardware.cpuModel");
    const struct {
        const char *path;
        gint64 max;
        gboolean required;
        gint64 *out;
    } numbers[] = {
        { "summary.hardware.memorySize", G_MAXINT64, TRUE, &mem },
        { "summary.hardware.numCpuPkgs", G_MAXUINT32, TRUE, &pkgs },
        { "summary.hardware.numCpuCores", G_MAXUINT32, TRUE, &cores },
        { "summary.hardware.numCpuThreads", G_MAXUINT32, TRUE, &threads },
        { "summary.hardware.cpuMhz", G_MAXUINT32, FALSE, &mhz },
        { "hardware.numaInfo.numNodes", G_MAXUINT32, FALSE, &numa },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(numbers); i++) {
        rc = read_number(obj, numbers[i].path, 0, numbers[i].max, numbers[i].required, host_name, numbers[i].out, err);
        if (rc != HVD_OK)
            return rc;
    }
    if (numa <= 0)
        numa = 1;
    if (pkgs <= 0)
        pkgs = 1;
    if (cores <= 0)
        cores = pkgs;
    if (threads <= 0)
        threads = cores;

    /* CPU model strings carry runs of spaces ("Intel(R) Xeon(R) CPU    E5"). */
    char buf[HVD_NODE_MODEL_LEN];
    gsize j = 0;
    for (const char *s = model ? model : ""; *s != '\0' && j + 1 < sizeof(buf); s++) {
        if (*s == ' ' && (j == 0 || buf[j - 1] == ' '))
            continue;
        buf[j++] = *s;
    }
    while (j > 0 && buf[j - 1] == ' ')
        j--;
    buf[j] = '\0';
    const char *end = NULL;
    if (!g_utf8_validate(buf, -1, &end))
        *(char *)end = '\0';

    hvd_node_info full = { .struct_size = sizeof(full) };
    memcpy(full.model, buf, sizeof(full.model));
    full.memory_kib = (uint64_t)mem / 1024;
    full.cpus = (uint32_t)threads;
    full.mhz = (uint32_t)mhz;
    full.nodes = (uint32_t)numa;
    full.sockets = (uint32_t)(pkgs / numa > 0 ? pkgs / numa : 1);
    full.cores = (uint32_t)(cores / pkgs > 0 ? cores / pkgs : 1);
    full.threads = (uint32_t)(threads / cores > 0 ? threads / cores : 1);
    /* write what fits in the caller's struct (whole members only) */
    static const size_t ends[] = {
#define END(m) offsetof(hvd_node_info, m) + sizeof(((hvd_node_info *)0)->m)
        END(model), END(memory_kib), END(cpus), END(mhz), END(nodes), END(sockets), END(cores), END(threads),
#undef END
    };
    esx_copy_out(info, &full, sizeof(full), ends, G_N_ELEMENTS(ends));
    return HVD_OK;
}

int32_t HVD_CALL
esx_get_capabilities(hvd_conn *conn, uint32_t flags, char **xml_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_capabilities", flags, 0, xml_out);
    static const char *const paths[] = { "summary.hardware.uuid", "capability.maxSupportedVcpus", NULL };
    int32_t rc = HVD_OK;
    g_autoptr(vi_value) obj = host_properties(conn, paths, NULL, err, &rc);
    if (obj == NULL)
        return rc;
    const char *uuid = vi_object_get_string(obj, "summary.hardware.uuid");
    GString *x = g_string_new("<capabilities>\n  <host>\n");
    if (uuid != NULL && *uuid != '\0') {
        g_autofree char *esc = g_markup_escape_text(uuid, -1);
        g_string_append_printf(x, "    <uuid>%s</uuid>\n", esc);
    }
    g_string_append(x, "    <cpu>\n      <arch>x86_64</arch>\n    </cpu>\n    <power_management/>\n");
    if (conn->uri->product == ESX_PRODUCT_VPX)
        g_string_append(x, "    <migration_features>\n      <uri_transports>\n"
                           "        <uri_transport>vpxmigr</uri_transport>\n      </uri_transports>\n"
                           "    </migration_features>\n");
    g_string_append(x, "  </host>\n");
    static const struct {
        const char *arch;
        int bits;
    } guests[] = { { "i686", 32 }, { "x86_64", 64 } };
    for (gsize i = 0; i < G_N_ELEMENTS(guests); i++)
        g_string_append_printf(x,
                               "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='%s'>\n"
                               "      <wordsize>%d</wordsize>\n      <domain type='vmware'/>\n    </arch>\n"
                               "  </guest>\n",
                               guests[i].arch, guests[i].bits);
    g_string_append(x, "</capabilities>\n");
    *xml_out = g_string_free(x, FALSE);
    return HVD_OK;
}

int32_t HVD_CALL
esx_get_free_memory(hvd_conn *conn, uint32_t flags, uint64_t *bytes_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_free_memory", flags, 0, bytes_out);
    static const char *const paths[] = { "summary.hardware.memorySize", "summary.quickStats.overallMemoryUsage", NULL };
    int32_t rc = HVD_OK;
    const char *host_name = NULL;
    g_autoptr(vi_value) obj = host_properties(conn, paths, &host_name, err, &rc);
    if (obj == NULL)
        return rc;
    gint64 total = 0, used_mib = 0;
    rc = read_number(obj, "summary.hardware.memorySize", 0, G_MAXINT64, TRUE, host_name, &total, err);
    if (rc == HVD_OK)
        rc = read_number(obj, "summary.quickStats.overallMemoryUsage", 0, G_MAXINT64 / (1024 * 1024), FALSE, host_name,
                         &used_mib, err);
    if (rc != HVD_OK)
        return rc;
    gint64 used = used_mib * 1024 * 1024;
    *bytes_out = (uint64_t)(total > used ? total - used : 0);
    return HVD_OK;
}

int32_t HVD_CALL
esx_get_max_vcpus(hvd_conn *conn, uint32_t flags, uint32_t *max_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_max_vcpus", flags, 0, max_out);
    static const char *const paths[] = { "capability.maxSupportedVcpus", NULL };
    int32_t rc = HVD_OK;
    const char *host_name = NULL;
    g_autoptr(vi_value) obj = host_properties(conn, paths, &host_name, err, &rc);
    if (obj == NULL)
        return rc;
    gint64 n = 0;
    rc = read_number(obj, "capability.maxSupportedVcpus", 1, G_MAXUINT32, TRUE, host_name, &n, err);
    if (rc != HVD_OK)
        return rc;
    *max_out = (uint32_t)n;
    return HVD_OK;
}
