/* vi_conn and the session: service content, Login/Logout, transparent
 * re-login, whether the session is alive, and the generic method call
 * every other layer uses. Below the property collector: what this file
 * needs of RetrievePropertiesEx it builds and reads itself. */
#include <string.h>

#include "vi/vi-private.h"

#define INITIAL_API_VERSION "5.0"

struct vi_conn {
  vi_transport *t;
  GMutex lock;                 /* guards the fields below */
  vi_ServiceContent *sc;
  vi_UserSession *session;
  GPtrArray *retired;          /* sessions replaced by a re-login, kept for borrowed pointers */
  char *user;
  char *password;
  char *action;                /* SOAPAction, "urn:vim25/<apiVersion>" */
  guint session_gen;
  GMutex login_lock;           /* one re-login at a time */
};

static gboolean logout(vi_conn *conn, long timeout_ms, GError **error);

static void wipe_free(char *s)
{
  if (s) {
    explicit_bzero(s, strlen(s));
    g_free(s);
  }
}

vi_conn *vi_conn_new(const vi_conn_options *opts, GError **error)
{
  vi_transport *t = vi_transport_new(opts, error);
  if (!t)
    return NULL;
  vi_conn *c = g_new0(vi_conn, 1);
  c->t = t;
  g_mutex_init(&c->lock);
  g_mutex_init(&c->login_lock);
  c->retired = g_ptr_array_new_with_free_func((GDestroyNotify)vi_UserSession_free);
  c->action = g_strdup("urn:vim25/" INITIAL_API_VERSION);
  return c;
}

void vi_conn_free(vi_conn *conn)
{
  if (!conn)
    return;
  logout(conn, 5000, NULL);
  vi_transport_free(conn->t);
  vi_ServiceContent_free(conn->sc);
  vi_UserSession_free(conn->session);
  g_ptr_array_free(conn->retired, TRUE);
  g_free(conn->user);
  wipe_free(conn->password);
  g_free(conn->action);
  g_mutex_clear(&conn->lock);
  g_mutex_clear(&conn->login_lock);
  g_free(conn);
}

const char *vi_conn_endpoint(const vi_conn *conn)
{
  return vi_transport_endpoint(conn->t);
}

guint64 vi_conn_round_trips(const vi_conn *conn)
{
  return vi_transport_round_trips(conn->t);
}

vi_transport *vi_conn_transport(vi_conn *conn)
{
  return conn->t;
}

const vi_log_sink *vi_conn_log(const vi_conn *conn)
{
  return vi_transport_log(conn->t);
}

const vi_ServiceContent *vi_conn_service_content(const vi_conn *conn)
{
  return conn->sc;
}

const vi_UserSession *vi_conn_user_session(const vi_conn *conn)
{
  return conn->session;
}

gboolean vi_conn_is_vcenter(const vi_conn *conn)
{
  return conn->sc && conn->sc->about && g_strcmp0(conn->sc->about->apiType, "VirtualCenter") == 0;
}

guint vi_conn_session_gen(vi_conn *conn)
{
  return __atomic_load_n(&conn->session_gen, __ATOMIC_ACQUIRE);
}

/* One SOAP round trip, no retry. */
static vi_value *call_timed(vi_conn *conn, const char *method, const vi_moref *this_,
                            const vi_value *args, long timeout_ms, GError **error)
{
  g_autoptr(GString) req = vi_soap_request(method, this_, args, error);
  if (!req)
    return NULL;
  g_mutex_lock(&conn->lock);
  g_autofree char *action = g_strdup(conn->action);
  g_mutex_unlock(&conn->lock);
  g_autoptr(GString) resp = NULL;
  long status = 0;
  if (!vi_transport_post(conn->t, method, action, req, timeout_ms, &resp, &status, error))
    return NULL;
  return vi_soap_response(method, resp->str, resp->len, status, vi_conn_endpoint(conn), error);
}

static vi_value *call_once(vi_conn *conn, const char *method, const vi_moref *this_,
                           const vi_value *args, GError **error)
{
  return call_timed(conn, method, this_, args, 0, error);
}

/* Logout with a short timeout: closing must not hang on a dead server. */
static gboolean logout(vi_conn *conn, long timeout_ms, GError **error)
{
  if (!conn->session || !conn->sc)
    return TRUE;
  g_autoptr(vi_value) resp = call_timed(conn, "Logout", &conn->sc->sessionManager, NULL,
                                        timeout_ms, error);
  g_mutex_lock(&conn->lock);
  if (conn->session)
    g_ptr_array_add(conn->retired, conn->session);
  conn->session = NULL;
  /* an explicit logout ends transparent re-login too */
  g_clear_pointer(&conn->user, g_free);
  g_clear_pointer(&conn->password, wipe_free);
  g_mutex_unlock(&conn->lock);
  return resp != NULL;
}

static gboolean do_login(vi_conn *conn, const char *user, const char *password, GError **error)
{
  const vi_ServiceContent *sc = conn->sc;
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
                          : (vi_error_fault_message(e) ? vi_error_fault_message(e)
                                                       : "permission denied"),
                        fault);
      return FALSE;
    }
    g_propagate_error(error, g_steal_pointer(&e));
    return FALSE;
  }
  g_autoptr(vi_UserSession) us = vi_value_to_new_struct(vi_value_child(resp, "returnval"),
                                                        &vi_type_UserSession, error);
  if (!us) {
    if (error && !*error)
      g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Login to %s returned no session",
                  vi_conn_endpoint(conn));
    return FALSE;
  }
  g_mutex_lock(&conn->lock);
  if (conn->session)
    g_ptr_array_add(conn->retired, conn->session);
  conn->session = g_steal_pointer(&us);
  g_mutex_unlock(&conn->lock);
  __atomic_add_fetch(&conn->session_gen, 1, __ATOMIC_ACQ_REL);
  return TRUE;
}

gboolean vi_conn_retrieve_service_content(vi_conn *conn, GError **error)
{
  g_mutex_lock(&conn->lock);
  gboolean have = conn->sc != NULL;
  g_mutex_unlock(&conn->lock);
  if (have)
    return TRUE;
  vi_moref si = { (char *)"ServiceInstance", (char *)"ServiceInstance" };
  g_autoptr(vi_value) resp = call_once(conn, "RetrieveServiceContent", &si, NULL, error);
  if (!resp)
    return FALSE;
  const vi_value *rv = vi_value_child(resp, "returnval");
  if (!rv) {
    g_set_error(error, VI_ERROR, VI_ERROR_PARSE,
                "RetrieveServiceContent on %s returned no service content",
                vi_conn_endpoint(conn));
    return FALSE;
  }
  g_autoptr(vi_ServiceContent) sc = vi_value_to_new_struct(rv, &vi_type_ServiceContent, error);
  if (!sc)
    return FALSE;
  if (!sc->about || !sc->propertyCollector.value) {
    g_set_error(error, VI_ERROR, VI_ERROR_PARSE,
                "%s does not look like a vSphere endpoint (no about/propertyCollector)",
                vi_conn_endpoint(conn));
    return FALSE;
  }
  g_mutex_lock(&conn->lock);
  if (!conn->sc) {
    conn->sc = g_steal_pointer(&sc);
    if (conn->sc->about->apiVersion && *conn->sc->about->apiVersion) {
      g_free(conn->action);
      conn->action = g_strdup_printf("urn:vim25/%s", conn->sc->about->apiVersion);
    }
  }
  g_mutex_unlock(&conn->lock);
  return TRUE;
}

gboolean vi_session_login(vi_conn *conn, const char *user, const char *password, GError **error)
{
  g_return_val_if_fail(conn && user && password, FALSE);
  if (!vi_conn_retrieve_service_content(conn, error))
    return FALSE;
  g_mutex_lock(&conn->login_lock);
  gboolean ok = do_login(conn, user, password, error);
  if (ok) {
    g_mutex_lock(&conn->lock);
    g_free(conn->user);
    wipe_free(conn->password);
    conn->user = g_strdup(user);
    conn->password = g_strdup(password);
    g_mutex_unlock(&conn->lock);
  }
  g_mutex_unlock(&conn->login_lock);
  return ok;
}

gboolean vi_conn_relogin(vi_conn *conn, guint gen, GError **error)
{
  g_mutex_lock(&conn->login_lock);
  gboolean ok = TRUE;
  g_autofree char *relogged = NULL; /* the user, after a successful re-login */
  if (vi_conn_session_gen(conn) == gen) {
    g_mutex_lock(&conn->lock);
    g_autofree char *user = g_strdup(conn->user);
    char *password = g_strdup(conn->password);
    g_mutex_unlock(&conn->lock);
    if (!user || !password) {
      g_set_error(error, VI_ERROR, VI_ERROR_NOT_AUTHENTICATED,
                  "Not logged in to %s (call vi_session_login first)", vi_conn_endpoint(conn));
      ok = FALSE;
    } else {
      ok = do_login(conn, user, password, error);
      if (!ok)
        g_prefix_error(error, "Session on %s expired and logging in again failed: ",
                       vi_conn_endpoint(conn));
      relogged = ok ? g_steal_pointer(&user) : NULL;
    }
    wipe_free(password);
  }
  g_mutex_unlock(&conn->login_lock);
  if (relogged)
    vi_log(vi_conn_log(conn), VI_LOG_INFO, "Session on %s had expired; logged in again as %s",
           vi_conn_endpoint(conn), relogged);
  return ok;
}

gboolean vi_session_logout(vi_conn *conn, GError **error)
{
  return logout(conn, 0, error);
}

/* The value of property NAME of the first object in a RetrievePropertiesEx
 * response, or NULL. */
static const vi_value *retrieved_property(const vi_value *resp, const char *name)
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
static gboolean current_session_active(vi_conn *conn, gboolean *active, GError **error)
{
  g_autoptr(vi_value) args = vi_value_new("RetrievePropertiesEx", NULL, NULL);
  vi_value *fs = vi_value_add_object(args, "specSet", NULL);
  vi_value *ps = vi_value_add_object(fs, "propSet", NULL);
  vi_value_add_string(ps, "type", "SessionManager");
  vi_value_add_string(ps, "pathSet", "currentSession");
  vi_value_add_moref(vi_value_add_object(fs, "objectSet", NULL), "obj", &conn->sc->sessionManager);
  vi_value_add_object(args, "options", NULL);
  g_autoptr(GError) e = NULL;
  g_autoptr(vi_value) resp = call_once(conn, "RetrievePropertiesEx", &conn->sc->propertyCollector,
                                       args, &e);
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

gboolean vi_session_is_active(vi_conn *conn, gboolean *active, GError **error)
{
  *active = FALSE;
  if (!conn->session || !conn->sc)
    return TRUE;
  g_autoptr(vi_value) args = vi_value_new("SessionIsActive", NULL, NULL);
  vi_value_add_string(args, "sessionID", conn->session->key);
  vi_value_add_string(args, "userName", conn->session->userName);
  g_autoptr(GError) e = NULL;
  g_autoptr(vi_value) resp = call_once(conn, "SessionIsActive", &conn->sc->sessionManager, args,
                                       &e);
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
    return current_session_active(conn, active, error);
  g_propagate_error(error, g_steal_pointer(&e));
  return FALSE;
}

static gboolean is_session_method(const char *m)
{
  return strcmp(m, "Login") == 0 || strcmp(m, "Logout") == 0 ||
         strcmp(m, "RetrieveServiceContent") == 0;
}

vi_value *vi_call(vi_conn *conn, const char *method, const vi_moref *this_,
                  const vi_value *args, GError **error)
{
  g_return_val_if_fail(conn && method, NULL);
  guint gen = vi_conn_session_gen(conn);
  g_autoptr(GError) e = NULL;
  vi_value *resp = call_once(conn, method, this_, args, &e);
  if (resp)
    return resp;
  g_mutex_lock(&conn->lock);
  gboolean have_credentials = conn->user != NULL;
  g_mutex_unlock(&conn->lock);
  if (e->domain == VI_ERROR && e->code == VI_ERROR_NOT_AUTHENTICATED &&
      !is_session_method(method) && have_credentials) {
    g_clear_error(&e);
    if (!vi_conn_relogin(conn, gen, error))
      return NULL;
    return call_once(conn, method, this_, args, error);
  }
  g_propagate_error(error, g_steal_pointer(&e));
  return NULL;
}

vi_moref *vi_call_moref(vi_conn *conn, const char *method, const vi_moref *this_,
                        const vi_value *args, GError **error)
{
  g_autoptr(vi_value) resp = vi_call(conn, method, this_, args, error);
  if (!resp)
    return NULL;
  vi_moref m;
  if (!vi_value_get_moref(resp, "returnval", &m)) {
    vi_set_error_full(error, VI_ERROR_PARSE, method, NULL, NULL,
                      "%s on %s returned no object reference", method, vi_conn_endpoint(conn));
    return NULL;
  }
  return vi_moref_copy(&m);
}
