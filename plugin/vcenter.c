/* vcenter.c — esx://HOST/?vcenter=VC: the vCenter that manages the host.
 *
 * As libvirt's ESX driver does: the host reports the address of the vCenter
 * managing it (summary.managementServerIp); vcenter=* takes that one, an
 * explicit vcenter= must resolve to the same address (when the host reports
 * one). The driver logs in to the vCenter too (its own credentials, asked
 * through the auth callback with the vCenter as the challenge, default user
 * "administrator"), over the same transport, port, proxy and TLS settings as
 * the host, checks that it is a vCenter and that it manages a host at the
 * host's address (SearchIndex.FindByIp), and keeps that second session in
 * the connection for the operations that need a vCenter (migration).
 *
 * Cost at open: 2 requests to the host (locate, summary.managementServerIp),
 * 3 to the vCenter (RetrieveServiceContent, Login, FindByIp). */
#include "esx-conn.h"

#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

GPtrArray *
esx_resolve(const char *name, char **why)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        *why = g_strdup(gai_strerror(rc));
        return NULL;
    }
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (struct addrinfo *a = res; a != NULL; a = a->ai_next) {
        char buf[NI_MAXHOST];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof(buf), NULL, 0, NI_NUMERICHOST) == 0 &&
            !g_ptr_array_find_with_equal_func(out, buf, g_str_equal, NULL))
            g_ptr_array_add(out, g_strdup(buf));
    }
    freeaddrinfo(res);
    return out;
}

gboolean
esx_share_address(GPtrArray *a, GPtrArray *b)
{
    for (guint i = 0; i < a->len; i++) {
        if (g_ptr_array_find_with_equal_func(b, a->pdata[i], g_str_equal, NULL))
            return TRUE;
    }
    return FALSE;
}

/* " (a, b)": the addresses a name resolved to, for a message; "" when the
 * name is its only address (an IP literal). */
static char *
join_other(GPtrArray *addrs, const char *name)
{
    if (addrs->len == 1 && strcmp(addrs->pdata[0], name) == 0)
        return g_strdup("");
    GString *s = g_string_new(" (");
    for (guint i = 0; i < addrs->len; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)addrs->pdata[i]);
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

/* Which vCenter to log in to: vcenter=* -> the host's managementServerIp;
 * an explicit name must resolve to that address when the host reports one. */
static int32_t
pick_vcenter(hvd_conn *conn, char **vc_out, hvd_error *err)
{
    const esx_uri *uri = conn->uri;
    const esx_location *loc = NULL;
    int32_t rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    static const char *const paths[] = { "summary.managementServerIp", NULL };
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) host = vi_collector_retrieve_one(conn->vi, &loc->host, paths, &gerr);
    if (host == NULL)
        return esx_fail_gerror(err, gerr);
    const char *managed_by = vi_object_get_string(host, "summary.managementServerIp");
    if (managed_by != NULL && *managed_by == '\0')
        managed_by = NULL;

    if (strcmp(uri->vcenter, "*") == 0) {
        if (managed_by == NULL)
            return esx_fail(err, HVD_ERR_URI, NULL,
                            "vcenter=*: host %s is not managed by a vCenter (it reports no "
                            "summary.managementServerIp): add the host to a vCenter, or name the vCenter with "
                            "vcenter=HOST, or drop vcenter=",
                            uri->host);
        *vc_out = g_strdup(managed_by);
        return HVD_OK;
    }
    if (managed_by == NULL) {
        *vc_out = g_strdup(uri->vcenter);
        return HVD_OK; /* checked later: the vCenter must manage the host */
    }
    g_autofree char *why = NULL;
    g_autoptr(GPtrArray) given = esx_resolve(uri->vcenter, &why);
    if (given == NULL)
        return esx_fail(err, HVD_ERR_URI, NULL,
                        "vcenter=%s: cannot resolve the name (%s): check its spelling, "
                        "or use vcenter=* for the vCenter the host reports (%s)",
                        uri->vcenter, why, managed_by);
    g_autoptr(GPtrArray) reported = esx_resolve(managed_by, &why);
    if (reported == NULL || !esx_share_address(given, reported)) {
        g_autofree char *addrs = join_other(given, uri->vcenter);
        return esx_fail(err, HVD_ERR_URI, NULL,
                        "vcenter=%s: host %s is managed by the vCenter at %s, which is not %s%s: use "
                        "vcenter=* or vcenter=%s",
                        uri->vcenter, uri->host, managed_by, uri->vcenter, addrs, managed_by);
    }
    *vc_out = g_strdup(uri->vcenter);
    return HVD_OK;
}

int32_t
esx_find_host_by_ip(vi_conn *vc, GPtrArray *addrs, vi_moref *host_out, gboolean *found_out, hvd_error *err)
{
    const vi_ServiceContent *sc = vi_conn_service_content(vc);
    *found_out = FALSE;
    for (guint i = 0; i < addrs->len; i++) {
        g_autoptr(vi_value) args = vi_value_new("FindByIp", NULL, NULL);
        vi_value_add_string(args, "ip", addrs->pdata[i]);
        vi_value_add_bool(args, "vmSearch", FALSE);
        g_autoptr(GError) gerr = NULL;
        g_autoptr(vi_value) resp = vi_call(vc, "FindByIp", &sc->searchIndex, args, &gerr);
        if (resp == NULL)
            return esx_fail_gerror(err, gerr);
        vi_moref found = { 0 };
        if (vi_value_get_moref(resp, "returnval", &found)) {
            host_out->type = g_strdup(found.type);
            host_out->value = g_strdup(found.value);
            *found_out = TRUE;
            return HVD_OK;
        }
    }
    return HVD_OK;
}

/* The vCenter's HostSystem for the host at one of its addresses, found with
 * SearchIndex.FindByIp (one request per address tried; usually one). */
static int32_t
find_host(hvd_conn *conn, const char *vc, hvd_error *err)
{
    const esx_uri *uri = conn->uri;
    g_autofree char *why = NULL;
    g_autoptr(GPtrArray) addrs = esx_resolve(uri->host, &why);
    if (addrs == NULL)
        return esx_fail(err, HVD_ERR_CONNECT, NULL, "cannot resolve host %s to look it up in vCenter %s: %s", uri->host,
                        vc, why);
    gboolean found = FALSE;
    int32_t rc = esx_find_host_by_ip(conn->vcenter, addrs, &conn->vcenter_host, &found, err);
    if (rc != HVD_OK || found)
        return rc;
    g_autofree char *list = join_other(addrs, uri->host);
    return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                    "vcenter=%s: vCenter %s manages no host at the address of %s%s: add the host to that "
                    "vCenter, or name the vCenter that manages it (vcenter=* uses the one the host reports)",
                    uri->vcenter, vc, uri->host, list);
}

int32_t
esx_connect_vcenter(hvd_conn *conn, hvd_error *err)
{
    const esx_uri *uri = conn->uri;
    if (uri->product != ESX_PRODUCT_ESX)
        return esx_fail(err, HVD_ERR_URI, NULL,
                        "vcenter=%s: only esx:// connections take vcenter=; a VMware Server (gsx://) is not "
                        "managed by a vCenter: drop vcenter=",
                        uri->vcenter);
    g_autofree char *vc = NULL;
    int32_t rc = pick_vcenter(conn, &vc, err);
    if (rc != HVD_OK)
        return rc;

    g_autofree char *context = g_strdup_printf("vcenter=%s", uri->vcenter);
    rc = esx_login(uri, vc, NULL, "administrator", &conn->upcalls, context, &conn->vcenter, err);
    if (rc != HVD_OK)
        return rc;
    if (!vi_conn_is_vcenter(conn->vcenter)) {
        const vi_ServiceContent *sc = vi_conn_service_content(conn->vcenter);
        return esx_fail(err, HVD_ERR_URI, NULL,
                        "vcenter=%s: %s is not a vCenter but '%s': name the vCenter that "
                        "manages %s, or use vcenter=*",
                        uri->vcenter, vc, sc->about && sc->about->fullName ? sc->about->fullName : "?", uri->host);
    }
    rc = find_host(conn, vc, err);
    if (rc == HVD_OK)
        esx_log(&conn->upcalls, HVD_LOG_INFO, "esx", "host %s is managed by vCenter %s (%s there)", uri->host,
                vi_conn_endpoint(conn->vcenter), conn->vcenter_host.value);
    return rc;
}
