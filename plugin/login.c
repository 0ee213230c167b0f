/* login.c — a logged-in vi connection to one server: credentials through
 * the connection's auth upcall, RetrieveServiceContent + Login, and vi/'s log
 * routed to the connection's log upcall. Used for the connection's own
 * server (connect.c) and for the vCenter of vcenter= (vcenter.c). */
#include "esx-conn.h"

#include <string.h>

#define CRED_CAPACITY 512

/* Asks the host for the user name (when `user` is NULL; `default_user` is
 * offered) and the password for `server`, in one upcall, with `server` as
 * the challenge. */
static int32_t
get_credentials(const hvd_host *host, const char *server, const char *user, const char *default_user, char **user_out,
                char **password_out, hvd_error *err)
{
    if (host->auth == NULL)
        return esx_fail(err, HVD_ERR_AUTH_CANCELLED, NULL,
                        "logging into %s needs credentials, but the host application gave no auth callback", server);
    char user_buf[CRED_CAPACITY] = "";
    char pass_buf[CRED_CAPACITY] = "";
    hvd_credential creds[2];
    memset(creds, 0, sizeof(creds));
    uint32_t n = 0;
    g_autofree char *user_prompt = g_strdup_printf("Enter username for %s", server);
    if (user == NULL) {
        creds[n] = (hvd_credential){
            .struct_size = sizeof(hvd_credential),
            .type = HVD_CRED_USERNAME,
            .prompt = user_prompt,
            .challenge = server,
            .default_result = default_user,
            .result = user_buf,
            .result_capacity = sizeof(user_buf),
        };
        n++;
    }
    g_autofree char *pass_prompt = g_strdup_printf("Enter %s's password for %s", user ? user : "the user", server);
    creds[n] = (hvd_credential){
        .struct_size = sizeof(hvd_credential),
        .type = HVD_CRED_PASSWORD,
        .prompt = pass_prompt,
        .challenge = server,
        .result = pass_buf,
        .result_capacity = sizeof(pass_buf),
    };
    n++;
    int32_t cb = host->auth(host->user_data, creds, n);
    int32_t rc = HVD_OK;
    if (cb != 0) {
        rc = esx_fail(err, HVD_ERR_AUTH_CANCELLED, NULL,
                      "no credentials for %s: the authentication callback "
                      "was cancelled",
                      server);
    } else {
        for (uint32_t i = 0; i < n; i++) {
            if (creds[i].result_len >= creds[i].result_capacity) {
                rc = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "authentication callback for %s overran its buffer",
                              server);
                break;
            }
            creds[i].result[creds[i].result_len] = '\0';
        }
    }
    if (rc == HVD_OK) {
        *user_out = g_strdup(user ? user : user_buf);
        if (**user_out == '\0') {
            g_free(*user_out);
            *user_out = g_strdup(default_user);
        }
        *password_out = g_strdup(pass_buf);
    }
    explicit_bzero(user_buf, sizeof(user_buf));
    explicit_bzero(pass_buf, sizeof(pass_buf));
    return rc;
}

/* vi/'s messages (one debug line per SOAP call, secrets redacted) go to the
 * log upcall of the connection's host. USER_DATA is the hvd_host copy in
 * the hvd_conn, which outlives the vi_conn. */
static void
forward_vi_log(vi_log_level level, const char *message, gpointer user_data)
{
    int32_t hvd_level = level == VI_LOG_WARNING ? HVD_LOG_WARNING : level == VI_LOG_INFO ? HVD_LOG_INFO : HVD_LOG_DEBUG;
    esx_log(user_data, hvd_level, "esx.vi", "%s", message);
}

int32_t
esx_login(const esx_uri *uri, const char *server, const char *user, const char *default_user, const hvd_host *host,
          const char *context, vi_conn **vi_out, hvd_error *err)
{
    g_autofree char *url = esx_uri_sdk_url_for(uri, server);
    vi_conn_options opts = VI_CONN_OPTIONS_INIT;
    opts.url = url;
    opts.ca_file = uri->ca_file;
    opts.no_verify = uri->no_verify;
    opts.proxy = uri->proxy;
    opts.user_agent = "hvd-esx/" ESX_VERSION;
    opts.log = forward_vi_log;
    opts.log_user_data = (gpointer)host;
    g_autoptr(GError) gerr = NULL;
    *vi_out = vi_conn_new(&opts, &gerr);
    if (*vi_out == NULL)
        return esx_fail_gerror(err, gerr);
    char *name = NULL, *password = NULL;
    int32_t rc = get_credentials(host, server, user, default_user, &name, &password, err);
    if (rc != HVD_OK)
        return rc;
    gboolean ok = vi_session_login(*vi_out, name, password, &gerr);
    explicit_bzero(password, strlen(password));
    g_free(password);
    g_free(name);
    if (!ok) {
        if (context != NULL)
            g_prefix_error(&gerr, "%s: ", context);
        return esx_fail_gerror(err, gerr);
    }
    return HVD_OK;
}
