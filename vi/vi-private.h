/* Internal interfaces between the files of vi/. Not installed, not for users. */
#pragma once

#include <curl/curl.h>
#include <glib.h>

/* Only the layers below the property collector: session.c must not reach
 * above itself. collector.c, task.c and question.c include their own
 * headers. */
#include "vi/vi-error.h"
#include "vi/vi-value.h"
#include "vi/vi-types.h"
#include "vi/vi-conn.h"

#define VI_NS_XSI           "http://www.w3.org/2001/XMLSchema-instance"
#define VI_MAX_DEPTH        128
/* SOAP elements carry a few (xmlns declarations, xsi:type, type) */
#define VI_MAX_ATTRIBUTES   64
/* vi_conn_options.max_tree_bytes when 0 */
#define VI_DEFAULT_MAX_TREE ((gsize)256 * 1024 * 1024)

struct vi_value {
    char *name;
    char *type;    /* xsi:type, prefix stripped on parse; NULL when none */
    char *mo_type; /* `type` attribute of a ManagedObjectReference */
    char *text;    /* leaf text; NULL for data objects */
    vi_value **children;
    guint n_children;
    guint n_alloc;
};

/* error.c */
/* Sets a VI_ERROR whose message (escaped with vi_escape_text(): it often
 * quotes server text) is FORMAT; METHOD, FAULT_NAME and FAULT_MESSAGE are
 * kept as they are, for the accessors. */
void vi_set_error_full(GError **error, int code, const char *method, const char *fault_name, const char *fault_message,
                       const char *format, ...) G_GNUC_PRINTF(6, 7);
/* Attaches a copy of DETAIL (the fault object) to ERROR, a VI_ERROR. */
void vi_error_set_detail(GError *error, const vi_value *detail);

/* value.c */
vi_value *vi_value_new_take_text(const char *name, const char *xsi_type, const char *mo_type, char *text);
void vi_value_set_text(vi_value *v, char *text);

/* init.c */
/* Whether vi_global_init() has run (and vi_global_shutdown() not since). */
gboolean vi_global_is_initialised(void);

/* log.c */
typedef struct {
    vi_log_func func; /* NULL: logging off */
    gpointer user_data;
    gboolean bodies;
} vi_log_sink;
/* Formats and sends a message to SINK (NULL-safe), control characters
 * escaped and invalid UTF-8 replaced. */
void vi_log(const vi_log_sink *sink, vi_log_level level, const char *format, ...) G_GNUC_PRINTF(3, 4);
/* MSG (NULL: "") with control characters (C0, DEL, C1) escaped as \xNN,
 * Unicode format characters (bidirectional overrides, ...) and line and
 * paragraph separators as \uNNNN, and invalid UTF-8 replaced: one line that
 * cannot rewrite a terminal, whatever the server sent. Newly allocated. */
char *vi_escape_text(const char *msg);
/* A copy of the XML text BODY with the text of secret leaf elements (named
 * *password*, key or sessionID, with or without a prefix or attributes)
 * replaced by "***". */
char *vi_log_redact(const char *body);

/* xml.c */
/* Parses a whole XML document into a tree rooted at its document element.
 * No network, no DTD (rejected), no entity expansion, depth capped; the tree
 * may take at most MAX_TREE bytes of memory (0: VI_DEFAULT_MAX_TREE), else
 * NULL with VI_ERROR_TOO_LARGE. Several threads may parse at once once
 * vi_global_init() has initialised libxml2. */
vi_value *vi_xml_parse(const char *buf, gsize len, gsize max_tree, GError **error);
void vi_xml_escape(GString *out, const char *s);

/* types.c */
/* Serialises V as an element; DECLARED is the field V fills (NULL when
 * unknown) and orders children by the type table. */
gboolean vi_types_serialize(GString *out, const vi_value *v, const vi_field *declared, int depth, GError **error);
/* Serialises the children of ARGS as the parameters of METHOD, in WSDL order. */
gboolean vi_types_serialize_params(GString *out, const char *method, const vi_value *args, GError **error);

/* soap.c */
GString *vi_soap_request(const char *method, const vi_moref *this_, const vi_value *args, GError **error);
/* Decodes a response: the element in the Body (e.g. LoginResponse), or NULL
 * with VI_ERROR_FAULT (or VI_ERROR_PARSE / VI_ERROR_HTTP, VI_ERROR_TOO_LARGE
 * when its tree would outgrow MAX_TREE bytes, 0 for the default). ENDPOINT
 * names the server in messages. */
vi_value *vi_soap_response(const char *method, const char *body, gsize len, long http_status, const char *endpoint,
                           gsize max_tree, GError **error);

/* transport.c */
typedef struct vi_transport vi_transport;
vi_transport *vi_transport_new(const vi_conn_options *opts, GError **error);
void vi_transport_free(vi_transport *t);
const char *vi_transport_endpoint(const vi_transport *t);
guint64 vi_transport_round_trips(const vi_transport *t);
const vi_log_sink *vi_transport_log(const vi_transport *t);
/* vi_conn_options.max_tree_bytes, the default filled in. */
gsize vi_transport_max_tree(const vi_transport *t);
/* POSTs BODY with SOAPAction ACTION. On success *RESPONSE gets the body and
 * *STATUS the HTTP status (any status: the caller decides). TIMEOUT_MS > 0
 * bounds this request (connect included) instead of the configured timeouts. */
gboolean vi_transport_post(vi_transport *t, const char *method, const char *action, const GString *body,
                           long timeout_ms, GString **response, long *status, GError **error);
/* GETs PATH (with its query, escaped) on the endpoint's scheme://host:port
 * with the session cookie; the body and the HTTP status as for a POST. */
gboolean vi_transport_get(vi_transport *t, const char *path, GString **response, long *status, GError **error);
/* Streams a datastore file: with READ, PUTs PATH with the bytes READ gives
 * (PUT_SIZE of them, or chunked when -1); else GETs PATH (RANGE, e.g.
 * "100-199", may be NULL) into WRITE. Never more than curl's buffer in
 * memory. TRUE with *STATUS for any HTTP answer (an error status's body is
 * dropped) and when a callback stopped it (*ABORTED); FALSE with an error
 * when the transfer broke (connection lost, short body, stall). */
gboolean vi_transport_stream(vi_transport *t, const char *path, const char *range, gint64 put_size, vi_stream_read read,
                             vi_stream_write write, gpointer user_data, long *status, gboolean *aborted,
                             GError **error);

/* transport-error.c */
/* The time limits a request ran under, in ms. */
typedef struct {
    long connect_ms, request_ms, stall_ms;
    long stall_bytes_per_s; /* slower than this for STALL_MS is a stall */
} vi_timeouts;

/* What is known of a failed curl request. */
typedef struct {
    const char *endpoint; /* host:port */
    const char *proxy;    /* curl proxy URL, NULL when none */
    const char *ca_file;  /* NULL: the system's CAs */
    gsize max_response;
    gboolean too_large; /* the response outgrew max_response */
    gboolean encoded;   /* it came compressed (the cap counts decoded bytes) */
    long verify_result; /* CURLINFO_SSL_VERIFYRESULT */
    const char *errbuf; /* CURLOPT_ERRORBUFFER text; may be "" */
    vi_timeouts timeout;
    long elapsed_ms;    /* from the start of the request to the failure */
    gboolean connected; /* whether the connection was established */
    gboolean no_verify; /* no_verify=1 was given: never suggest it */
} vi_curl_failure;
/* Sets ERROR for curl_easy_perform()'s RC during METHOD: a VI_ERROR code and
 * a message naming the server, what failed and the fix where one exists. */
void vi_transport_set_error(GError **error, const char *method, CURLcode rc, const vi_curl_failure *f);

/* session.c */
/* The session generation: bumped by each successful (re-)login. */
guint vi_conn_session_gen(vi_conn *conn);
/* Logs in again unless another thread already did since GEN was read. */
gboolean vi_conn_relogin(vi_conn *conn, guint gen, GError **error);
/* vi_call() without the transparent re-login: for a call whose arguments
 * belong to the session (a continuation token), which the caller restarts
 * itself. */
vi_value *vi_call_no_relogin(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args,
                             GError **error);
/* The connection's log (vi_conn_options.log). */
const vi_log_sink *vi_conn_log(const vi_conn *conn);
