/* connect.c — open/close and the host-level calls of hvd_connect_table.
 *
 * open() = URI parsing, credentials through the host's auth upcall,
 * RetrieveServiceContent + Login (vi/), a product check (esx:// must reach an
 * ESX host, vpx:// a vCenter), and locating the one HostSystem the
 * connection manages (for vpx://, by the inventory path in the URI). */
#include "esx-conn.h"

#include <string.h>

#define CRED_CAPACITY 512

int32_t
esx_conn_check(const hvd_conn *conn, const char *op, hvd_error *err)
{
    if (conn == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: no connection (NULL hvd_conn)", op);
    return HVD_OK;
}

int32_t
esx_conn_check_writable(const hvd_conn *conn, const char *op, hvd_error *err)
{
    int32_t rc = esx_conn_check(conn, op, err);
    if (rc == HVD_OK && conn->readonly)
        rc = esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                      "%s: the connection to %s was opened read-only", op, conn->uri->host);
    return rc;
}

static void
conn_free(hvd_conn *conn)
{
    if (conn == NULL)
        return;
    vi_conn_free(conn->vi);
    esx_uri_free(conn->uri);
    vi_moref_clear(&conn->host);
    vi_moref_clear(&conn->compute);
    vi_moref_clear(&conn->datacenter);
    g_free(conn->datacenter_path);
    g_free(conn->host_name);
    g_free(conn);
}

/* ---- credentials ------------------------------------------------------- */

typedef struct {
    hvd_auth_fn fn;
    void *user_data;
} auth_source;

static gboolean
pick_auth(const hvd_auth *auth, auth_source *out)
{
    if (auth != NULL && HVD_HAS_MEMBER(auth, hvd_auth, user_data) && auth->auth != NULL) {
        out->fn = auth->auth;
        out->user_data = auth->user_data;
        return TRUE;
    }
    const hvd_host *host = esx_host();
    if (host != NULL && host->auth != NULL) {
        out->fn = host->auth;
        out->user_data = host->user_data;
        return TRUE;
    }
    return FALSE;
}

/* Asks the host for the user name (when the URI has none) and the password,
 * in one upcall, with the server's host name as the challenge. */
static int32_t
get_credentials(const esx_uri *uri, const hvd_auth *auth, char **user_out, char **password_out, hvd_error *err)
{
    auth_source src;
    if (!pick_auth(auth, &src))
        return esx_fail(err, HVD_ERR_AUTH_CANCELLED, NULL,
                        "logging into %s needs credentials, but the host application gave no auth callback",
                        uri->host);
    char user_buf[CRED_CAPACITY] = "";
    char pass_buf[CRED_CAPACITY] = "";
    hvd_credential creds[2];
    memset(creds, 0, sizeof(creds));
    uint32_t n = 0;
    g_autofree char *user_prompt = g_strdup_printf("Enter username for %s", uri->host);
    if (uri->user == NULL) {
        creds[n] = (hvd_credential){
            .struct_size = sizeof(hvd_credential), .type = HVD_CRED_USERNAME, .prompt = user_prompt,
            .challenge = uri->host, .default_result = "root", .result = user_buf,
            .result_capacity = sizeof(user_buf),
        };
        n++;
    }
    g_autofree char *pass_prompt = g_strdup_printf("Enter %s's password for %s", uri->user ? uri->user : "the user",
                                                   uri->host);
    creds[n] = (hvd_credential){
        .struct_size = sizeof(hvd_credential), .type = HVD_CRED_PASSWORD, .prompt = pass_prompt,
        .challenge = uri->host, .result = pass_buf, .result_capacity = sizeof(pass_buf),
    };
    n++;
    int32_t cb = src.fn(src.user_data, creds, n);
    int32_t rc = HVD_OK;
    if (cb != 0) {
        rc = esx_fail(err, HVD_ERR_AUTH_CANCELLED, NULL, "no credentials for %s: the authentication callback "
                      "was cancelled", uri->host);
    } else {
        for (uint32_t i = 0; i < n; i++) {
            if (creds[i].result_len >= creds[i].result_capacity) {
                rc = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "authentication callback for %s overran its buffer",
                              uri->host);
                break;
            }
            creds[i].result[creds[i].result_len] = '\0';
        }
    }
    if (rc == HVD_OK) {
        *user_out = g_strdup(uri->user ? uri->user : user_buf);
        if (**user_out == '\0') {
            g_free(*user_out);
            *user_out = g_strdup("root");
        }
        *password_out = g_strdup(pass_buf);
    }
    explicit_bzero(user_buf, sizeof(user_buf));
    explicit_bzero(pass_buf, sizeof(pass_buf));
    return rc;
}

/* vi/'s messages (one debug line per SOAP call, secrets redacted) go to the
 * driver's log. USER_DATA is the hvd_conn being opened. */
static void
forward_vi_log(vi_log_level level, const char *message, gpointer user_data)
{
    (void)user_data;
    int32_t hvd_level = level == VI_LOG_WARNING ? HVD_LOG_WARNING : level == VI_LOG_INFO ? HVD_LOG_INFO : HVD_LOG_DEBUG;
    esx_log(hvd_level, "esx.vi", "%s", message);
}

static int32_t HVD_CALL
esx_open(const char *uri_text, const hvd_param *params, uint32_t nparams, const hvd_auth *auth, uint32_t flags,
         hvd_conn **conn_out, hvd_error *err)
{
    int32_t rc = esx_check_flags("open", flags, HVD_CONNECT_READONLY, err);
    if (rc != HVD_OK)
        return rc;
    if (conn_out == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "open: conn_out is NULL");
    *conn_out = NULL;
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

    g_autofree char *url = esx_uri_sdk_url(uri);
    vi_conn_options opts = VI_CONN_OPTIONS_INIT;
    opts.url = url;
    opts.ca_file = uri->ca_file;
    opts.no_verify = uri->no_verify;
    opts.proxy = uri->proxy;
    opts.user_agent = "hvd-esx/" ESX_VERSION;
    opts.log = forward_vi_log;
    opts.log_user_data = conn;
    conn->vi = vi_conn_new(&opts, &gerr);
    if (conn->vi == NULL) {
        if (g_error_matches(gerr, VI_ERROR, VI_ERROR_NOT_INITIALISED))
            rc = esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                          "open: the driver is not initialised; the host must call init() before open()");
        else
            rc = esx_fail_gerror(err, gerr);
        conn_free(conn);
        return rc;
    }

    char *user = NULL, *password = NULL;
    rc = get_credentials(uri, auth, &user, &password, err);
    if (rc != HVD_OK) {
        conn_free(conn);
        return rc;
    }
    gboolean ok = vi_session_login(conn->vi, user, password, &gerr);
    explicit_bzero(password, strlen(password));
    g_free(password);
    g_free(user);
    if (!ok) {
        rc = esx_fail_gerror(err, gerr);
        conn_free(conn);
        return rc;
    }
    rc = esx_check_product(conn, err);
    if (rc == HVD_OK)
        rc = esx_locate_host(conn, err);
    if (rc != HVD_OK) {
        conn_free(conn);
        return rc;
    }
    esx_log(HVD_LOG_INFO, "esx", "connected to %s (host %s)", vi_conn_endpoint(conn->vi), conn->host_name);
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
    int32_t rc = esx_conn_check(conn, "get_uri", err);
    if (rc == HVD_OK)
        rc = esx_check_flags("get_uri", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    if (uri_out == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "get_uri: uri_out is NULL");
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
