/* connect.c — open/close and the host-level calls of hvd_connect_table.
 *
 * open() = URI parsing, the login (login.c: credentials through the host's
 * auth upcall, RetrieveServiceContent + Login), a product check (esx:// must reach an
 * ESX host, vpx:// a vCenter; no request), for vpx:// locating the host the
 * path names, and for esx:// with vcenter= the vCenter login. Otherwise the
 * host is located when an operation first needs it (locate.c). */
#include "esx-conn.h"

#include <string.h>

int32_t
esx_conn_check(const hvd_conn *conn, const char *op, hvd_error *err)
{
    if (conn == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: no connection (NULL hvd_conn)", op);
    return HVD_OK;
}

static void
conn_free(hvd_conn *conn)
{
    if (conn == NULL)
        return;
    vi_conn_free(conn->vcenter);
    vi_moref_clear(&conn->vcenter_host);
    vi_conn_free(conn->vi);
    esx_uri_free(conn->uri);
    esx_location_free(conn->location);
    pthread_mutex_destroy(&conn->locate_lock);
    pthread_mutex_destroy(&conn->jobs_lock);
    pthread_mutex_destroy(&conn->pools_lock);
    if (conn->pools != NULL)
        g_hash_table_unref(conn->pools);
    if (conn->jobs != NULL)
        g_ptr_array_unref(conn->jobs);
    g_free(conn);
}

static int32_t HVD_CALL
esx_open(const char *uri_text, const hvd_param *params, uint32_t nparams, const hvd_host *host, uint32_t flags,
         hvd_conn **conn_out, hvd_error *err)
{
    if (conn_out != NULL)
        *conn_out = NULL;
    int32_t rc = esx_check_flags("open", flags, HVD_CONNECT_READONLY, err);
    if (rc != HVD_OK)
        return rc;
    if (conn_out == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "open: conn_out is NULL");
    if (!esx_initialised())
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "open: the driver is not initialised: the host application must call "
                        "hvd_driver.init() before the first open()");
    if (host != NULL && !esx_host_usable(host))
        return esx_fail(err, HVD_ERR_ABI_MISMATCH, NULL,
                        "open: the host's hvd_host table is %u bytes, smaller than HVD 1.0's (%zu): "
                        "rebuild the host application against hvd.h",
                        host->struct_size, sizeof(hvd_host));
    if (nparams > 0 && params != NULL) {
        const hvd_param *p = esx_param_at(params, nparams, 0);
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "open: unknown parameter '%s'", p->name);
    }
    g_autoptr(GError) gerr = NULL;
    esx_uri *uri = esx_uri_parse(uri_text, &gerr);
    if (uri == NULL)
        return esx_fail_gerror(err, gerr);

    hvd_conn *conn = g_new0(hvd_conn, 1);
    conn->uri = uri;
    conn->readonly = (flags & HVD_CONNECT_READONLY) != 0;
    /* members past the host's struct_size stay NULL: its minor lacks them */
    if (host != NULL)
        memcpy(&conn->upcalls, host, MIN(host->struct_size, sizeof(conn->upcalls)));
    conn->upcalls.struct_size = sizeof(conn->upcalls);
    pthread_mutex_init(&conn->locate_lock, NULL);
    pthread_mutex_init(&conn->jobs_lock, NULL);
    pthread_mutex_init(&conn->pools_lock, NULL);
    conn->jobs = g_ptr_array_new();

    rc = esx_login(uri, uri->host, uri->user, "root", &conn->upcalls, NULL, &conn->vi, err);
    if (rc == HVD_OK)
        rc = esx_check_product(conn, err);
    /* vpx://: a path that names no host fails here, at open, naming the
     * missing element; that costs the locate round trip now instead of at
     * the first host operation. esx:// locates on first need only. */
    const esx_location *loc = NULL;
    if (rc == HVD_OK && uri->product == ESX_PRODUCT_VPX)
        rc = esx_conn_locate(conn, &loc, err);
    if (rc == HVD_OK && uri->vcenter != NULL)
        rc = esx_connect_vcenter(conn, err);
    if (rc != HVD_OK) {
        conn_free(conn);
        return rc;
    }
    esx_log(&conn->upcalls, HVD_LOG_INFO, "esx", "connected to %s%s%s", vi_conn_endpoint(conn->vi), loc ? " host " : "",
            loc ? loc->host_name : "");
    *conn_out = conn;
    return HVD_OK;
}

static void HVD_CALL
esx_close(hvd_conn *conn)
{
    conn_free(conn);
}

static int32_t HVD_CALL
esx_get_uri(hvd_conn *conn, uint32_t flags, char **uri_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "get_uri", flags, 0, uri_out);
    *uri_out = esx_uri_format(conn->uri);
    return HVD_OK;
}

static int32_t HVD_CALL
esx_is_alive(hvd_conn *conn, uint32_t flags, int32_t *alive_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "is_alive", flags, 0, alive_out);
    g_autoptr(GError) gerr = NULL;
    gboolean active = FALSE;
    if (!vi_session_is_active(conn->vi, &active, &gerr)) {
        /* an unreachable server is "not alive", not an error of this call */
        if (g_error_matches(gerr, VI_ERROR, VI_ERROR_CONNECT) || g_error_matches(gerr, VI_ERROR, VI_ERROR_TIMEOUT)) {
            *alive_out = 0;
            return HVD_OK;
        }
        return esx_fail_gerror(err, gerr);
    }
    *alive_out = active ? 1 : 0;
    return HVD_OK;
}

static int32_t HVD_CALL
esx_is_secure(hvd_conn *conn, uint32_t flags, int32_t *secure_out, hvd_error *err)
{
    ESX_CHECK_CALL(conn, "is_secure", flags, 0, secure_out);
    *secure_out = conn->uri->https ? 1 : 0;
    return HVD_OK;
}

const hvd_connect_table esx_connect_table = {
    .struct_size = sizeof(hvd_connect_table),
    .open = esx_open,
    .close = esx_close,
    .get_uri = esx_get_uri,
    .get_hostname = esx_get_hostname,
    .get_version = esx_get_version,
    .get_node_info = esx_get_node_info,
    .get_capabilities = esx_get_capabilities,
    .get_free_memory = esx_get_free_memory,
    .is_alive = esx_is_alive,
    .is_secure = esx_is_secure,
    .get_max_vcpus = esx_get_max_vcpus,
};
