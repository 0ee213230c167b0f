/* vi_conn and the session: service content, Login/Logout, transparent
 * re-login, whether the session is alive, and the generic method call
 * every other layer uses. Below the property collector: what this file
 * needs of RetrievePropertiesEx it builds and reads itself. */
#include <pthread.h>
#include <string.h>

#include "vi/vi-private.h"

#define INITIAL_API_VERSION "5.0"

struct vi_conn {
    vi_transport *t;
    /* pthread primitives rather than GMutex: thread sanitizers see them (see
     * transport.c). LOCK guards every field below, for reads as for writes,
     * and is never held across a request or a log callback. */
    pthread_mutex_t lock;
    pthread_cond_t login_done; /* signalled when login_running drops */
    vi_ServiceContent *sc;     /* set once, then unchanged until vi_conn_free() */
    vi_value *session;         /* Login's returnval (a UserSession), NULL when logged out */
    char *user;
    char *password;
    char *action;           /* SOAPAction, "urn:vim25/<apiVersion>" */
    guint session_gen;      /* bumped by each successful (re-)login; read atomically */
    gboolean login_running; /* a thread is in Login: one at a time */
};

static gboolean logout(vi_conn *conn, long timeout_ms, GError **error);

static void
lock(const vi_conn *conn)
{
    pthread_mutex_lock((pthread_mutex_t *)&conn->lock);
}

static void
unlock(const vi_conn *conn)
{
    pthread_mutex_unlock((pthread_mutex_t *)&conn->lock);
}

static void
wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        g_free(s);
    }
}

vi_conn *
vi_conn_new(const vi_conn_options *opts, GError **error)
{
    vi_transport *t = vi_transport_new(opts, error);
    if (!t)
        return NULL;
    vi_conn *c = g_new0(vi_conn, 1);
    c->t = t;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->login_done, NULL);
    c->action = g_strdup("urn:vim25/" INITIAL_API_VERSION);
    return c;
}

void
vi_conn_free(vi_conn *conn)
{
    if (!conn)
        return;
    logout(conn, 5000, NULL);
    vi_transport_free(conn->t);
    vi_ServiceContent_free(conn->sc);
    vi_value_free(conn->session);
    g_free(conn->user);
    wipe_free(conn->password);
    g_free(conn->action);
    pthread_mutex_destroy(&conn->lock);
    pthread_cond_destroy(&conn->login_done);
    g_free(conn);
}

const char *
vi_conn_endpoint(const vi_conn *conn)
{
    return vi_transport_endpoint(conn->t);
}

guint64
vi_conn_round_trips(const vi_conn *conn)
{
    return vi_transport_round_trips(conn->t);
}

const vi_log_sink *
vi_conn_log(const vi_conn *conn)
{
    return vi_transport_log(conn->t);
}

const vi_ServiceContent *
vi_conn_service_content(const vi_conn *conn)
{
    lock(conn);
    const vi_ServiceContent *sc = conn->sc;
    unlock(conn);
    return sc;
}

gboolean
vi_conn_is_vcenter(const vi_conn *conn)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn);
    return sc && sc->about && g_strcmp0(sc->about->apiType, "VirtualCenter") == 0;
}

vi_UserSession *
vi_conn_dup_user_session(const vi_conn *conn)
{
    lock(conn);
    vi_UserSession *us = vi_value_to_new_struct(conn->session, &vi_type_UserSession, NULL);
    unlock(conn);
    return us;
}

guint
vi_conn_session_gen(vi_conn *conn)
{
    return __atomic_load_n(&conn->session_gen, __ATOMIC_ACQUIRE);
}

/* One SOAP round trip, no retry. */
static vi_value *
call_timed(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, long timeout_ms,
           GError **error)
{
    g_autoptr(GString) req = vi_soap_request(method, this_, args, error);
    if (!req)
        return NULL;
    lock(conn);
    g_autofree char *action = g_strdup(conn->action);
    unlock(conn);
    g_autoptr(GString) resp = NULL;
    long status = 0;
    if (!vi_transport_post(conn->t, method, action, req, timeout_ms, &resp, &status, error))
        return NULL;
    return vi_soap_response(method, resp->str, resp->len, status, vi_conn_endpoint(conn),
                            vi_transport_max_tree(conn->t), error);
}

static vi_value *
call_once(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, GError **error)
{
    return call_timed(conn, method, this_, args, 0, error);
}

/* Logout with a short timeout: closing must not hang on a dead server. */
static gboolean
logout(vi_conn *conn, long timeout_ms, GError **error)
{
    lock(conn);
    const vi_ServiceContent *sc = conn->session ? conn->sc : NULL;
    unlock(conn);
    if (!sc)
        return TRUE;
    g_autoptr(vi_value) resp = call_timed(conn, "Logout", &sc->sessionManager, NULL, timeout_ms, error);
    lock(conn);
    g_clear_pointer(&conn->session, vi_value_free);
    /* an explicit logout ends transparent re-login too */
    g_clear_pointer(&conn->user, g_free);
    g_clear_pointer(&conn->password, wipe_free);
    unlock(conn);
    return resp != NULL;
}

/* Waits until no other thread is logging in, then makes this one the
 * thread that does. With GEN (not NULL), only when no login happened since
 * *GEN was read: FALSE (nothing claimed) otherwise. No lock is held while
 * the claimer talks to the server; login_release() ends the claim. */
static gboolean
login_claim(vi_conn *conn, const guint *gen)
{
    lock(conn);
    while (conn->login_running)
        pthread_cond_wait(&conn->login_done, &conn->lock);
    gboolean claimed = !gen || conn->session_gen == *gen;
    if (claimed)
        conn->login_running = TRUE;
    unlock(conn);
    return claimed;
}

static void
login_release(vi_conn *conn)
{
    lock(conn);
    conn->login_running = FALSE;
    pthread_cond_broadcast(&conn->login_done);
    unlock(conn);
}

/* Login; on success the new session replaces the old one. Call with the
 * login claimed. */
static gboolean
do_login(vi_conn *conn, const char *user, const char *password, GError **error)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn);
    if (!sc->sessionManager.value) {
        g_set_error(error, VI_ERROR, VI_ERROR_LOGIN, "%s has no session manager; cannot log in",
                    vi_conn_endpoint(conn));
        return FALSE;
    }
    g_autoptr(vi_value) args = vi_value_new("Login", NULL, NULL);
    vi_value_add_string(args, "userName", user);
    vi_value_add_string(args, "password", password);
    g_autoptr(GError) e = NULL;
    g_autoptr(vi_value) resp = call_once(conn, "Login", &sc->sessionManager, args, &e);
    if (!resp) {
        const char *fault = vi_error_fault_name(e);
        if (fault && (strcmp(fault, "InvalidLogin") == 0 || strcmp(fault, "NoPermission") == 0 ||
                      strcmp(fault, "InvalidArgument") == 0)) {
            vi_set_error_full(error, VI_ERROR_LOGIN, "Login", fault, vi_error_fault_message(e),
                              "Login to %s as '%s' failed: %s (%s)", vi_conn_endpoint(conn), user,
                              strcmp(fault, "InvalidLogin") == 0
                                  ? "incorrect user name or password"
                                  : (vi_error_fault_message(e) ? vi_error_fault_message(e) : "permission denied"),
                              fault);
            return FALSE;
        }
        g_propagate_error(error, g_steal_pointer(&e));
        return FALSE;
    }
    const vi_value *rv = vi_value_child(resp, "returnval");
    if (!vi_value_get_string(rv, "key")) {
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Login to %s returned no session", vi_conn_endpoint(conn));
        return FALSE;
    }
    vi_value *session = vi_value_copy(rv);
    lock(conn);
    vi_value_free(conn->session);
    conn->session = session;
    __atomic_add_fetch(&conn->session_gen, 1, __ATOMIC_ACQ_REL);
    unlock(conn);
    return TRUE;
}

gboolean
vi_conn_retrieve_service_content(vi_conn *conn, GError **error)
{
    if (vi_conn_service_content(conn))
        return TRUE;
    vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
    g_autoptr(vi_value) resp = call_once(conn, "RetrieveServiceContent", &si, NULL, error);
    if (!resp)
        return FALSE;
    const vi_value *rv = vi_value_child(resp, "returnval");
    if (!rv) {
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "RetrieveServiceContent on %s returned no service content",
                    vi_conn_endpoint(conn));
        return FALSE;
    }
    g_autoptr(vi_ServiceContent) sc = vi_value_to_new_struct(rv, &vi_type_ServiceContent, error);
    if (!sc)
        return FALSE;
    if (!sc->about || !sc->propertyCollector.value) {
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE,
                    "%s does not look like a vSphere endpoint (no about/propertyCollector)", vi_conn_endpoint(conn));
        return FALSE;
    }
    lock(conn);
    if (!conn->sc) {
        conn->sc = g_steal_pointer(&sc);
        if (conn->sc->about->apiVersion && *conn->sc->about->apiVersion) {
            g_free(conn->action);
            conn->action = g_strdup_printf("urn:vim25/%s", conn->sc->about->apiVersion);
        }
    }
    unlock(conn);
    return TRUE;
}

gboolean
vi_session_login(vi_conn *conn, const char *user, const char *password, GError **error)
{
    g_return_val_if_fail(conn && user && password, FALSE);
    if (!vi_conn_retrieve_service_content(conn, error))
        return FALSE;
    login_claim(conn, NULL);
    gboolean ok = do_login(conn, user, password, error);
    if (ok) {
        lock(conn);
        g_free(conn->user);
        wipe_free(conn->password);
        conn->user = g_strdup(user);
        conn->password = g_strdup(password);
        unlock(conn);
    }
    login_release(conn);
    return ok;
}

gboolean
vi_conn_relogin(vi_conn *conn, guint gen, GError **error)
{
    if (!login_claim(conn, &gen))
        return TRUE; /* another thread logged in again meanwhile */
    lock(conn);
    g_autofree char *user = g_strdup(conn->user);
    char *password = g_strdup(conn->password);
    unlock(conn);
    gboolean ok = FALSE;
    if (!user || !password) {
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED, "Not logged in to %s (call vi_session_login first)",
                    vi_conn_endpoint(conn));
    } else {
        ok = do_login(conn, user, password, error);
        if (!ok)
            g_prefix_error(error, "Session on %s expired and logging in again failed: ", vi_conn_endpoint(conn));
    }
    wipe_free(password);
    login_release(conn);
    if (ok)
        vi_log(vi_conn_log(conn), VI_LOG_INFO, "Session on %s had expired; logged in again as %s",
               vi_conn_endpoint(conn), user);
    return ok;
}

gboolean
vi_session_logout(vi_conn *conn, GError **error)
{
    return logout(conn, 0, error);
}

/* The value of property NAME of the first object in a RetrievePropertiesEx
 * response, or NULL. */
static const vi_value *
retrieved_property(const vi_value *resp, const char *name)
{
    g_autoptr(GPtrArray) props = vi_value_lookup_all(resp, "returnval.objects.propSet");
    for (guint i = 0; i < props->len; i++)
        if (g_strcmp0(vi_value_get_string(props->pdata[i], "name"), name) == 0)
            return vi_value_child(props->pdata[i], "val");
    return NULL;
}

/* Servers without SessionIsActive (ESX hosts, vcsim), or users who may not
 * call it: read SessionManager.currentSession, which is unset (or
 * NotAuthenticated) when our session is gone. */
static gboolean
current_session_active(vi_conn *conn, const vi_ServiceContent *sc, gboolean *active, GError **error)
{
    g_autoptr(vi_value) args = vi_value_new("RetrievePropertiesEx", NULL, NULL);
    vi_value *fs = vi_value_add_object(args, "specSet", NULL);
    vi_value *ps = vi_value_add_object(fs, "propSet", NULL);
    vi_value_add_string(ps, "type", "SessionManager");
    vi_value_add_string(ps, "pathSet", "currentSession");
    vi_value_add_moref(vi_value_add_object(fs, "objectSet", NULL), "obj", &sc->sessionManager);
    vi_value_add_object(args, "options", NULL);
    g_autoptr(GError) e = NULL;
    g_autoptr(vi_value) resp = call_once(conn, "RetrievePropertiesEx", &sc->propertyCollector, args, &e);
    if (!resp) {
        if (e->code == VI_ERROR_NOT_AUTHENTICATED)
            return TRUE;
        g_propagate_error(error, g_steal_pointer(&e));
        return FALSE;
    }
    const char *key = vi_value_get_string(retrieved_property(resp, "currentSession"), "key");
    *active = key && *key;
    return TRUE;
}

gboolean
vi_session_is_active(vi_conn *conn, gboolean *active, GError **error)
{
    *active = FALSE;
    lock(conn);
    const vi_ServiceContent *sc = conn->sc;
    g_autofree char *key = g_strdup(vi_value_get_string(conn->session, "key"));
    g_autofree char *user = g_strdup(vi_value_get_string(conn->session, "userName"));
    unlock(conn);
    if (!key || !sc)
        return TRUE;
    g_autoptr(vi_value) args = vi_value_new("SessionIsActive", NULL, NULL);
    vi_value_add_string(args, "sessionID", key);
    vi_value_add_string(args, "userName", user);
    g_autoptr(GError) e = NULL;
    g_autoptr(vi_value) resp = call_once(conn, "SessionIsActive", &sc->sessionManager, args, &e);
    if (resp) {
        gboolean b = FALSE;
        vi_value_get_bool(resp, "returnval", &b);
        *active = b;
        return TRUE;
    }
    if (e->code == VI_ERROR_NOT_AUTHENTICATED)
        return TRUE;
    if (vi_error_is_fault(e, "NotImplemented") || vi_error_is_fault(e, "NotSupported") ||
        vi_error_is_fault(e, "MethodNotFound") || vi_error_is_fault(e, "NoPermission"))
        return current_session_active(conn, sc, active, error);
    g_propagate_error(error, g_steal_pointer(&e));
    return FALSE;
}

vi_value *
vi_call_no_relogin(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, GError **error)
{
    return call_once(conn, method, this_, args, error);
}

static gboolean
is_session_method(const char *m)
{
    return strcmp(m, "Login") == 0 || strcmp(m, "Logout") == 0 || strcmp(m, "RetrieveServiceContent") == 0;
}

vi_value *
vi_call(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, GError **error)
{
    g_return_val_if_fail(conn && method, NULL);
    guint gen = vi_conn_session_gen(conn);
    g_autoptr(GError) e = NULL;
    vi_value *resp = call_once(conn, method, this_, args, &e);
    if (resp)
        return resp;
    lock(conn);
    gboolean have_credentials = conn->user != NULL;
    unlock(conn);
    if (e->domain == VI_ERROR && e->code == VI_ERROR_NOT_AUTHENTICATED && !is_session_method(method) &&
        have_credentials) {
        g_clear_error(&e);
        if (!vi_conn_relogin(conn, gen, error))
            return NULL;
        return call_once(conn, method, this_, args, error);
    }
    g_propagate_error(error, g_steal_pointer(&e));
    return NULL;
}

vi_moref *
vi_call_moref(vi_conn *conn, const char *method, const vi_moref *this_, const vi_value *args, GError **error)
{
    g_autoptr(vi_value) resp = vi_call(conn, method, this_, args, error);
    if (!resp)
        return NULL;
    vi_moref m;
    if (!vi_value_get_moref(resp, "returnval", &m)) {
        vi_set_error_full(error, VI_ERROR_PARSE, method, NULL, NULL, "%s on %s returned no object reference", method,
                          vi_conn_endpoint(conn));
        return NULL;
    }
    return vi_moref_copy(&m);
}

/* "/folder/PATH?dcPath=DC&dsName=DS": each path element escaped, the
 * slashes kept. */
static char *
folder_url(const char *dc_path, const char *ds, const char *path)
{
    g_autofree char *p = g_uri_escape_string(path, "/", FALSE);
    g_autofree char *dc = g_uri_escape_string(dc_path, NULL, FALSE);
    g_autofree char *d = g_uri_escape_string(ds, NULL, FALSE);
    return g_strdup_printf("/folder/%s?dcPath=%s&dsName=%s", p, dc, d);
}

GBytes *
vi_datastore_file_get(vi_conn *conn, const char *dc_path, const char *ds, const char *path, GError **error)
{
    g_autofree char *url = folder_url(dc_path, ds, path);
    for (int attempt = 0; attempt < 2; attempt++) {
        guint gen = vi_conn_session_gen(conn);
        g_autoptr(GString) body = NULL;
        long status = 0;
        if (!vi_transport_get(conn->t, url, &body, &status, error))
            return NULL;
        if (status == 200)
            return g_bytes_new(body->str, body->len);
        /* an expired session: one transparent re-login, as for SOAP calls */
        if ((status == 401 || status == 403) && attempt == 0) {
            if (!vi_conn_relogin(conn, gen, error))
                return NULL;
            continue;
        }
        if (status == 404)
            g_set_error(error, VI_ERROR, VI_ERROR_NOT_FOUND, "[%s] %s not found on %s (datacenter '%s')", ds, path,
                        vi_conn_endpoint(conn), dc_path);
        else
            g_set_error(error, VI_ERROR, VI_ERROR_HTTP, "GET of [%s] %s from %s: HTTP %ld", ds, path,
                        vi_conn_endpoint(conn), status);
        return NULL;
    }
    return NULL;
}

static gboolean
transfer_status(vi_conn *conn, const char *what, const char *ds, const char *path, long status, gboolean aborted,
                GError **error)
{
    if (aborted) {
        g_set_error(error, VI_ERROR, VI_ERROR_CANCELLED, "%s of [%s] %s stopped by its %s", what, ds, path,
                    strcmp(what, "upload") == 0 ? "source" : "sink");
        return FALSE;
    }
    if (status >= 200 && status < 300)
        return TRUE;
    if (status == 404)
        g_set_error(error, VI_ERROR, VI_ERROR_NOT_FOUND, "[%s] %s not found on %s", ds, path, vi_conn_endpoint(conn));
    else
        g_set_error(error, VI_ERROR, VI_ERROR_HTTP, "%s of [%s] %s on %s: HTTP %ld", what, ds, path,
                    vi_conn_endpoint(conn), status);
    return FALSE;
}

/* An expired session: ESX answers 401 (or 403), a vCenter may redirect to
 * its login page. */
static gboolean
session_expired(long status)
{
    return status == 401 || status == 403 || status == 302 || status == 303;
}

typedef struct {
    vi_stream_write write;
    gpointer user_data;
    guint64 written;
} counted_sink;

static gboolean
count_write(gpointer ud, const guint8 *buf, gsize len)
{
    counted_sink *c = ud;
    c->written += len;
    return c->write(c->user_data, buf, len);
}

gboolean
vi_datastore_file_download(vi_conn *conn, const char *dc_path, const char *ds, const char *path, guint64 offset,
                           guint64 length, vi_stream_write write, gpointer user_data, GError **error)
{
    g_autofree char *url = folder_url(dc_path, ds, path);
    g_autofree char *range = NULL;
    if (length > 0)
        range = g_strdup_printf("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, offset, offset + length - 1);
    else if (offset > 0)
        range = g_strdup_printf("%" G_GUINT64_FORMAT "-", offset);
    counted_sink c = { .write = write, .user_data = user_data };
    for (int attempt = 0; attempt < 2; attempt++) {
        guint gen = vi_conn_session_gen(conn);
        long status = 0;
        gboolean aborted = FALSE;
        if (!vi_transport_stream(conn->t, url, range, -1, NULL, count_write, &c, &status, &aborted, error))
            return FALSE;
        /* an expired session: one transparent re-login, nothing written yet */
        if (session_expired(status) && attempt == 0 && c.written == 0) {
            if (!vi_conn_relogin(conn, gen, error))
                return FALSE;
            continue;
        }
        /* a server that ignored the Range: nothing was passed on */
        if (status == 200 && range != NULL) {
            g_set_error(error, VI_ERROR, VI_ERROR_HTTP, "%s ignored the byte range asked of [%s] %s",
                        vi_conn_endpoint(conn), ds, path);
            return FALSE;
        }
        return transfer_status(conn, "download", ds, path, status, aborted, error);
    }
    return FALSE;
}

/* What an upload keeps of the bytes it has read, so that it can send them
 * again after logging in again: the source is read once and cannot rewind. */
#define UPLOAD_REPLAY_MAX (1u << 20)

/* The source of an upload, with the first UPLOAD_REPLAY_MAX bytes kept. */
typedef struct {
    vi_stream_read read;
    gpointer user_data;
    GByteArray *kept; /* the first bytes read, while they fit */
    guint64 read_total;
    gsize replay_at; /* on a second attempt: the kept bytes sent so far */
    gboolean replaying;
} replay_source;

static gssize
replay_read(gpointer ud, guint8 *buf, gsize cap)
{
    replay_source *r = ud;
    if (r->replaying && r->replay_at < r->kept->len) {
        gsize n = MIN(cap, r->kept->len - r->replay_at);
        memcpy(buf, r->kept->data + r->replay_at, n);
        r->replay_at += n;
        return (gssize)n;
    }
    gssize n = r->read(r->user_data, buf, cap);
    if (n > 0) {
        if (r->read_total + (guint64)n <= UPLOAD_REPLAY_MAX)
            g_byte_array_append(r->kept, buf, (guint)n);
        r->read_total += (guint64)n;
    }
    return n;
}

gboolean
vi_datastore_file_upload(vi_conn *conn, const char *dc_path, const char *ds, const char *path, gint64 size,
                         vi_stream_read read, gpointer user_data, GError **error)
{
    g_autofree char *url = folder_url(dc_path, ds, path);
    g_autoptr(GByteArray) kept = g_byte_array_new();
    replay_source r = { .read = read, .user_data = user_data, .kept = kept };
    for (int attempt = 0; attempt < 2; attempt++) {
        guint gen = vi_conn_session_gen(conn);
        long status = 0;
        gboolean aborted = FALSE;
        r.replaying = attempt > 0;
        r.replay_at = 0;
        if (!vi_transport_stream(conn->t, url, NULL, size, replay_read, NULL, &r, &status, &aborted, error))
            return FALSE;
        if (session_expired(status) && attempt == 0) {
            /* one transparent re-login, when every byte read can be sent again */
            if (r.read_total > UPLOAD_REPLAY_MAX) {
                g_set_error(error, VI_ERROR, VI_ERROR_HTTP,
                            "upload of [%s] %s: the session on %s had expired (HTTP %ld) and the %" G_GUINT64_FORMAT
                            " bytes already read from the source cannot be read again; nothing was written: "
                            "upload again",
                            ds, path, vi_conn_endpoint(conn), status, r.read_total);
                return FALSE;
            }
            if (!vi_conn_relogin(conn, gen, error))
                return FALSE;
            continue;
        }
        return transfer_status(conn, "upload", ds, path, status, aborted, error);
    }
    return FALSE;
}

/* A memory source for vi_datastore_file_put. */
typedef struct {
    const guint8 *data;
    gsize len, at;
} memory_source;

static gssize
read_memory(gpointer ud, guint8 *buf, gsize cap)
{
    memory_source *m = ud;
    gsize n = MIN(cap, m->len - m->at);
    memcpy(buf, m->data + m->at, n);
    m->at += n;
    return (gssize)n;
}

gboolean
vi_datastore_file_put(vi_conn *conn, const char *dc_path, const char *ds, const char *path, const void *data, gsize len,
                      GError **error)
{
    g_autofree char *url = folder_url(dc_path, ds, path);
    for (int attempt = 0; attempt < 2; attempt++) {
        guint gen = vi_conn_session_gen(conn);
        memory_source m = { data, len, 0 };
        long status = 0;
        gboolean aborted = FALSE;
        if (!vi_transport_stream(conn->t, url, NULL, (gint64)len, read_memory, NULL, &m, &status, &aborted, error))
            return FALSE;
        /* an expired session: one transparent re-login; the bytes are in memory, so they can be sent again */
        if ((status == 401 || status == 403) && attempt == 0) {
            if (!vi_conn_relogin(conn, gen, error))
                return FALSE;
            continue;
        }
        if (status == 404) {
            g_set_error(error, VI_ERROR, VI_ERROR_NOT_FOUND,
                        "PUT of [%s] %s on %s: no such datastore or directory (datacenter '%s')", ds, path,
                        vi_conn_endpoint(conn), dc_path);
            return FALSE;
        }
        return transfer_status(conn, "upload", ds, path, status, aborted, error);
    }
    return FALSE;
}
