/* vi_conn: one connection to a vSphere endpoint (ESX host or vCenter).
 *
 * Threading: [thread-safe] every function taking a vi_conn may be called from
 * several threads at once on the same connection. Requests run in parallel
 * over a pool of curl handles, each with its own kept-alive connection,
 * sharing the session cookie, DNS and TLS sessions. */
#pragma once

#include <glib.h>

#include "vi/vi-types.h"
#include "vi/vi-value.h"

G_BEGIN_DECLS

/* Process-wide initialisation of the libraries vi/ uses (libcurl, libxml2).
 *
 * vi_global_init() must be called before the first vi_conn_new(), and
 * vi_global_shutdown() after the last vi_conn_free(). They are not reference
 * counted: they have one owner, which in the ESX driver is its refcounted
 * init()/shutdown() (a second vi_global_init() before vi_global_shutdown()
 * fails with VI_ERROR_INVALID_ARG). After vi_global_shutdown() no libcurl
 * state is left in the process; libxml2's is kept (xmlCleanupParser() is not
 * called: other users of libxml2 in the process may still need it).
 * [process] call them from one thread at a time, never with a connection
 * open. FALSE with VI_ERROR_FAILED when libcurl cannot be initialised. */
gboolean vi_global_init(GError **error);
void vi_global_shutdown(void);

typedef struct vi_conn vi_conn;

typedef enum {
    VI_PROXY_HTTP,
    VI_PROXY_SOCKS4,
    VI_PROXY_SOCKS4A,
    VI_PROXY_SOCKS5,
} vi_proxy_type;

typedef enum {
    VI_LOG_WARNING,
    VI_LOG_INFO,
    VI_LOG_DEBUG,
} vi_log_level;

/* Receives vi/'s log messages: at VI_LOG_DEBUG one line per SOAP call
 * (method, endpoint, HTTP status, response size, time) and, with
 * log_bodies, the request and response bodies; at VI_LOG_INFO a transparent
 * re-login or a question answered with auto_answer. MESSAGE is one line of
 * valid UTF-8 with control characters escaped (\xNN), never holding a
 * password, session key or cookie; borrowed for the call. Called from the
 * thread making the vi/ call, with no vi/ lock held. */
typedef void (*vi_log_func)(vi_log_level level, const char *message, gpointer user_data);

/* Connection options. Initialise with VI_CONN_OPTIONS_INIT, then set what you
 * need. Strings are borrowed for the duration of vi_conn_new() only. */
typedef struct {
    gsize struct_size; /* sizeof(vi_conn_options), set by the INIT macro */
    /* Endpoint URL, e.g. "https://esx.example.com/sdk",
     * "http://[fe80::1]:8080/sdk". Required. */
    const char *url;
    const char *ca_file; /* PEM CA bundle to verify the server with; NULL = system CAs */
    gboolean no_verify;  /* skip certificate and host name checks (no_verify=1). Default FALSE */
    /* Proxy "[type://]host[:port]", type one of http (default), socks (=socks5),
     * socks4, socks4a, socks5; port defaults to 1080. NULL = none. */
    const char *proxy;
    /* Each limit below ends a request with VI_ERROR_TIMEOUT naming it. */
    guint connect_timeout_ms; /* TCP (and proxy) connection; default 30000 */
    /* Whole request, connect included; default 300000 (5 min). Task waits poll
     * in 1 s slices, so no request needs long unless a page is huge. */
    guint request_timeout_ms;
    /* Body bytes of a response, counted after decompression (gzip); default
     * 256 MiB; larger responses fail with VI_ERROR_TOO_LARGE. */
    gsize max_response_bytes;
    const char *user_agent; /* default "hvd-esx-vi/VERSION" */
    guint max_handles;      /* curl handles kept for reuse; default 16 */
    vi_log_func log;        /* where vi/'s messages go; NULL (default) = nowhere */
    gpointer log_user_data; /* passed to LOG */
    /* Also log each request and response body (large), with the contents of
     * password, key and sessionID elements masked. Default FALSE. */
    gboolean log_bodies;
    /* Memory a response may take once parsed (its vi_value tree, as
     * allocated): tiny elements take some 30 times their size. Default
     * 256 MiB; a response past it fails with VI_ERROR_TOO_LARGE. */
    gsize max_tree_bytes;
    /* A request that moves fewer than 100 bytes a second (nothing, or a
     * drip) for this long fails, waiting for the response included; counted
     * in whole seconds (rounded up). Default 60000 (1 min). */
    guint stall_timeout_ms;
} vi_conn_options;

#define VI_CONN_OPTIONS_INIT                   \
    {                                          \
        .struct_size = sizeof(vi_conn_options) \
    }

/* Parses a proxy string as described in vi_conn_options.proxy into a curl
 * proxy URL ("socks5h://host:1080") and type. FALSE with
 * VI_ERROR_INVALID_ARG naming the problem. */
gboolean vi_proxy_parse(const char *proxy, char **curl_url_out, vi_proxy_type *type_out, GError **error);

/* Creates a connection. No network traffic happens yet. NULL with
 * VI_ERROR_INVALID_ARG on a bad URL/proxy/CA file, VI_ERROR_NOT_INITIALISED
 * before vi_global_init(). */
vi_conn *vi_conn_new(const vi_conn_options *opts, GError **error);

/* Logs out (when logged in; errors ignored, at most 5 s) and frees
 * everything. NULL-safe. No other thread may use CONN any more. */
void vi_conn_free(vi_conn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vi_conn, vi_conn_free)

/* "host:port" of the endpoint, as used in error messages. Borrowed. */
const char *vi_conn_endpoint(const vi_conn *conn);

/* Number of HTTP requests (SOAP calls) sent so far. [thread-safe] */
guint64 vi_conn_round_trips(const vi_conn *conn);

/* RetrieveServiceContent + Login: 2 round trips. Keeps USER and PASSWORD in
 * memory (wiped on free) for one transparent re-login when the server reports
 * NotAuthenticated. Errors: VI_ERROR_LOGIN (wrong credentials), VI_ERROR_TLS,
 * VI_ERROR_CONNECT, VI_ERROR_HTTP, VI_ERROR_FAULT, ... */
gboolean vi_session_login(vi_conn *conn, const char *user, const char *password, GError **error);

/* Logout now (the session cookie is dropped). Safe to call when not logged in. */
gboolean vi_session_logout(vi_conn *conn, GError **error);

/* Asks the server whether our session is alive: SessionIsActive, or,
 * where the server lacks it or the user may not call it (NotImplemented,
 * NotSupported, MethodNotFound, NoPermission: ESX hosts, vcsim),
 * SessionManager.currentSession. *ACTIVE is FALSE, without an error, when
 * not logged in or when the server answers NotAuthenticated. Never logs in
 * again. FALSE with an error when the server cannot be asked
 * (VI_ERROR_CONNECT, VI_ERROR_TIMEOUT, ...). */
gboolean vi_session_is_active(vi_conn *conn, gboolean *active, GError **error);

/* The service content fetched by vi_session_login() (or
 * vi_conn_retrieve_service_content()), or NULL before. Borrowed: valid until
 * vi_conn_free(). */
const vi_ServiceContent *vi_conn_service_content(const vi_conn *conn);

/* Whether the endpoint is a vCenter (about.apiType == "VirtualCenter"). */
gboolean vi_conn_is_vcenter(const vi_conn *conn);

/* RetrieveServiceContent only (1 round trip; no login needed). */
gboolean vi_conn_retrieve_service_content(vi_conn *conn, GError **error);

/* A copy of the logged-in session (key, userName, ...), or NULL when not
 * logged in. The caller owns it (vi_UserSession_free). A re-login replaces
 * the session: a copy keeps what was current when it was made. */
vi_UserSession *vi_conn_dup_user_session(const vi_conn *conn);

/* Calls METHOD on THIS_ (NULL only for methods that take none).
 *
 * ARGS: NULL or a data object whose children are the method's parameters
 * (any element name order; they are sent in WSDL order from types.def, with
 * every data object's children reordered too; unknown names are an error for
 * known types). Build it with vi_value_new(METHOD, NULL, NULL) and the
 * vi_value_add_* helpers.
 *
 * Returns the response element (METHODResponse) whose `returnval` children
 * hold the result, or NULL with an error: VI_ERROR_FAULT (fault name via
 * vi_error_fault_name()), transport errors, ... A NotAuthenticated fault makes
 * vi/ log in again once and retry. The caller owns the result. */
vi_value *vi_call(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, GError **error);

/* vi_call() for methods returning a ManagedObjectReference (e.g. *_Task):
 * the returned moref, owned by the caller. */
vi_moref *vi_call_moref(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, GError **error);

/* Downloads a datastore file: GET /folder/PATH?dcPath=DC_PATH&dsName=DS on
 * the endpoint's host with the session (one round trip; PATH, DC_PATH and
 * DS unescaped, escaped here). The file's bytes, "" when empty; NULL with
 * VI_ERROR_NOT_FOUND for HTTP 404, VI_ERROR_HTTP for another status, or a
 * transport error. */
GBytes *vi_datastore_file_get(vi_conn *conn, const char *dc_path, const char *ds, const char *path, GError **error);

/* Uploads LEN bytes at DATA as a datastore file: PUT /folder/PATH with
 * dcPath and dsName, escaped as for vi_datastore_file_get (one round trip;
 * a file there is replaced). FALSE with VI_ERROR_NOT_FOUND for HTTP 404,
 * VI_ERROR_HTTP for another failing status, or a transport error. */
gboolean vi_datastore_file_put(vi_conn *conn, const char *dc_path, const char *ds, const char *path, const void *data,
                               gsize len, GError **error);
/* Streamed datastore file transfers (the bytes pass through, never held):
 * a source returns the count it put in BUF (up to CAP), 0 at its end, -1 to
 * fail; a sink returns FALSE to stop. */
typedef gssize (*vi_stream_read)(gpointer user_data, guint8 *buf, gsize cap);
typedef gboolean (*vi_stream_write)(gpointer user_data, const guint8 *buf, gsize len);

/* GET /folder/PATH?dcPath=..&dsName=.. into WRITE: LENGTH bytes (0: to the
 * end) from OFFSET (a Range request when not the whole file). FALSE with
 * VI_ERROR_NOT_FOUND (404), VI_ERROR_HTTP (another status, 416 for an offset
 * past the end), VI_ERROR_CANCELLED when WRITE stopped it, or a transport
 * error when the transfer broke. One transparent re-login on 401/403 or a
 * redirect (an expired session) before any byte reached WRITE. */
gboolean vi_datastore_file_download(vi_conn *conn, const char *dc_path, const char *ds, const char *path,
                                    guint64 offset, guint64 length, vi_stream_write write, gpointer user_data,
                                    GError **error);
/* PUT /folder/PATH?...: SIZE bytes from READ (-1: until it ends, sent
 * chunked); the file is created or replaced. FALSE with VI_ERROR_HTTP,
 * VI_ERROR_CANCELLED when READ failed, or a transport error. An expired
 * session (401/403, or a redirect to a login page) means one re-login and
 * a retry when the server had taken at most 1 MiB of READ's bytes (kept,
 * and sent again; READ is never rewound), else VI_ERROR_HTTP saying so. */
gboolean vi_datastore_file_upload(vi_conn *conn, const char *dc_path, const char *ds, const char *path, gint64 size,
                                  vi_stream_read read, gpointer user_data, GError **error);

G_END_DECLS
