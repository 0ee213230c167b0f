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

/* ---- locating the host ------------------------------------------------- */

typedef struct {
    char *type;
    char *value;
    char *name;
    char *parent;   /* moref value of the parent, or NULL */
} entity;

static void
entity_free(gpointer p)
{
    entity *e = p;
    g_free(e->type);
    g_free(e->value);
    g_free(e->name);
    g_free(e->parent);
    g_free(e);
}

static gboolean
collect_entities(vi_conn *vi, const char *type, GPtrArray *out, GError **error)
{
    static const char *const paths[] = { "name", "parent", NULL };
    vi_retrieve_spec spec = VI_RETRIEVE_SPEC_INIT;
    spec.type = type;
    spec.paths = paths;
    g_autoptr(GPtrArray) objs = vi_collector_retrieve(vi, &spec, error);
    if (objs == NULL)
        return FALSE;
    for (guint i = 0; i < objs->len; i++) {
        const vi_value *o = objs->pdata[i];
        vi_moref self = { 0 }, parent = { 0 };
        if (!vi_object_moref(o, &self))
            continue;
        entity *e = g_new0(entity, 1);
        e->type = g_strdup(self.type);
        e->value = g_strdup(self.value);
        e->name = g_strdup(vi_object_get_string(o, "name"));
        if (vi_object_get_moref(o, "parent", &parent))
            e->parent = g_strdup(parent.value);
        g_ptr_array_add(out, e);
    }
    return TRUE;
}

static const entity *
find_child(GPtrArray *all, const char *parent, const char *name, const char *const *types)
{
    for (guint i = 0; i < all->len; i++) {
        const entity *e = all->pdata[i];
        if (g_strcmp0(e->parent, parent) == 0 && (name == NULL || g_strcmp0(e->name, name) == 0) &&
            (types == NULL || g_strv_contains(types, e->type)))
            return e;
    }
    return NULL;
}

static void
set_moref(vi_moref *m, const entity *e)
{
    vi_moref_clear(m);
    m->type = g_strdup(e->type);
    m->value = g_strdup(e->value);
}

/* Walks "[folder/...]datacenter/[folder/...][cluster/]host" (vpx://), or
 * finds the single host of an ESX/GSX server. Inventory entities are fetched
 * in four bulk retrievals (folders, datacenters, compute resources, hosts)
 * rather than one lookup per path element. */
static int32_t
locate_host(hvd_conn *conn, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(entity_free);
    static const char *const kinds[] = { "Folder", "Datacenter", "ComputeResource", "HostSystem" };
    for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (!collect_entities(conn->vi, kinds[i], all, &gerr))
            return esx_fail_gerror(err, gerr);
    }
    static const char *const host_t[] = { "HostSystem", NULL };

    if (conn->uri->product != ESX_PRODUCT_VPX) {
        const entity *host = NULL;
        for (guint i = 0; i < all->len; i++) {
            const entity *e = all->pdata[i];
            if (strcmp(e->type, "HostSystem") == 0) {
                if (host != NULL)
                    return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                    "%s manages more than one host: it is a vCenter, connect with vpx://%s/DATACENTER/HOST",
                                    conn->uri->host, conn->uri->host);
                host = e;
            }
        }
        if (host == NULL)
            return esx_fail(err, HVD_ERR_NO_HOST, NULL, "%s reports no host system", conn->uri->host);
        set_moref(&conn->host, host);
        conn->host_name = g_strdup(host->name);
        for (guint i = 0; i < all->len; i++) {
            const entity *e = all->pdata[i];
            if (g_strcmp0(e->value, host->parent) == 0)
                set_moref(&conn->compute, e);
        }
        const entity *dc = NULL;
        for (guint i = 0; i < all->len && dc == NULL; i++) {
            if (strcmp(((entity *)all->pdata[i])->type, "Datacenter") == 0)
                dc = all->pdata[i];
        }
        if (dc != NULL) {
            set_moref(&conn->datacenter, dc);
            conn->datacenter_path = g_strdup(dc->name);
        }
        return HVD_OK;
    }

    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    const char *cur = sc->rootFolder.value;
    g_auto(GStrv) parts = g_strsplit(conn->uri->path, "/", -1);
    guint nparts = g_strv_length(parts);
    GString *dc_path = g_string_new(NULL);
    const entity *dc = NULL, *compute = NULL, *host = NULL;
    for (guint i = 0; i < nparts; i++) {
        const char *name = parts[i];
        if (dc == NULL) {
            /* folders, then the datacenter */
            const entity *e = find_child(all, cur, name, NULL);
            if (e == NULL || (strcmp(e->type, "Folder") != 0 && strcmp(e->type, "Datacenter") != 0)) {
                g_string_free(dc_path, TRUE);
                return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                "vCenter %s has no folder or datacenter named '%s' (path element %u of '%s')",
                                conn->uri->host, name, i + 1, conn->uri->path);
            }
            if (dc_path->len > 0)
                g_string_append_c(dc_path, '/');
            g_string_append(dc_path, name);
            cur = e->value;
            if (strcmp(e->type, "Datacenter") == 0) {
                dc = e;
                /* a datacenter's hosts live in its hidden "host" folder */
                static const char *const folder_t[] = { "Folder", NULL };
                const entity *hf = find_child(all, dc->value, "host", folder_t);
                if (hf == NULL) {
                    g_string_free(dc_path, TRUE);
                    return esx_fail(err, HVD_ERR_NO_HOST, NULL, "datacenter '%s' on %s has no host folder", name,
                                    conn->uri->host);
                }
                cur = hf->value;
            }
            continue;
        }
        if (compute != NULL && strcmp(compute->type, "ClusterComputeResource") == 0) {
            host = find_child(all, compute->value, name, host_t);
            if (host == NULL || i + 1 != nparts) {
                g_string_free(dc_path, TRUE);
                return esx_fail(err, HVD_ERR_NO_HOST, NULL, "cluster '%s' in datacenter '%s' has no host named '%s'",
                                compute->name, dc->name, name);
            }
            break;
        }
        const entity *e = find_child(all, cur, name, NULL);
        if (e == NULL) {
            g_string_free(dc_path, TRUE);
            return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                            "datacenter '%s' on vCenter %s has no folder, cluster or host named '%s'",
                            dc->name, conn->uri->host, name);
        }
        if (strcmp(e->type, "Folder") == 0) {
            cur = e->value;
        } else if (strcmp(e->type, "ClusterComputeResource") == 0 || strcmp(e->type, "ComputeResource") == 0) {
            compute = e;
            if (strcmp(e->type, "ComputeResource") == 0) {
                /* a standalone host: the compute resource carries its name */
                host = find_child(all, e->value, NULL, host_t);
                if (i + 1 != nparts || host == NULL) {
                    g_string_free(dc_path, TRUE);
                    return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                                    "'%s' in datacenter '%s' is a standalone host; nothing may follow it in the path",
                                    name, dc->name);
                }
                break;
            }
        } else if (strcmp(e->type, "HostSystem") == 0) {
            host = e;
            break;
        }
    }
    if (dc == NULL || host == NULL) {
        g_string_free(dc_path, TRUE);
        return esx_fail(err, HVD_ERR_NO_HOST, NULL,
                        "path '%s' does not lead to a host on vCenter %s: expected "
                        "[folder/...]datacenter/[folder/...][cluster/]host", conn->uri->path, conn->uri->host);
    }
    set_moref(&conn->datacenter, dc);
    set_moref(&conn->host, host);
    if (compute != NULL)
        set_moref(&conn->compute, compute);
    conn->datacenter_path = g_string_free(dc_path, FALSE);
    conn->host_name = g_strdup(host->name);
    return HVD_OK;
}

/* esx:// must reach an ESX host, gsx:// a GSX server, vpx:// a vCenter. */
static int32_t
check_product(hvd_conn *conn, hvd_error *err)
{
    const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
    const vi_AboutInfo *about = sc ? sc->about : NULL;
    if (about == NULL)
        return esx_fail(err, HVD_ERR_SERVER, NULL, "%s sent no product information (AboutInfo)", conn->uri->host);
    gboolean is_vc = g_strcmp0(about->apiType, "VirtualCenter") == 0;
    const char *line = about->productLineId ? about->productLineId : "";
    switch (conn->uri->product) {
    case ESX_PRODUCT_VPX:
        if (!is_vc)
            return esx_fail(err, HVD_ERR_URI, NULL, "%s is not a vCenter but '%s': connect with esx://%s/",
                            conn->uri->host, about->fullName ? about->fullName : "?", conn->uri->host);
        break;
    case ESX_PRODUCT_ESX:
        if (is_vc)
            return esx_fail(err, HVD_ERR_URI, NULL,
                            "%s is a vCenter (%s), not an ESX host: connect with vpx://%s/DATACENTER/HOST",
                            conn->uri->host, about->fullName ? about->fullName : "?", conn->uri->host);
        if (strcmp(line, "gsx") == 0)
            return esx_fail(err, HVD_ERR_URI, NULL, "%s is a GSX server: connect with gsx://%s/", conn->uri->host,
                            conn->uri->host);
        break;
    case ESX_PRODUCT_GSX:
        if (strcmp(line, "gsx") != 0)
            return esx_fail(err, HVD_ERR_URI, NULL, "%s is not a GSX server but '%s': connect with %s://%s/",
                            conn->uri->host, about->fullName ? about->fullName : "?", is_vc ? "vpx" : "esx",
                            conn->uri->host);
        break;
    }
    return HVD_OK;
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
    conn->vi = vi_conn_new(&opts, &gerr);
    if (conn->vi == NULL) {
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
    rc = check_product(conn, err);
    if (rc == HVD_OK)
        rc = locate_host(conn, err);
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

/* Properties of the managed HostSystem, or NULL with err filled. */
static vi_value *
host_properties(hvd_conn *conn, const char *const *paths, hvd_error *err, int32_t *rc)
{
    g_autoptr(GError) gerr = NULL;
    vi_value *obj = vi_collector_retrieve_one(conn->vi, &conn->host, paths, &gerr);
    if (obj == NULL)
        *rc = esx_fail_gerror(err, gerr);
    return obj;
}

#define CHECK_CALL(conn, op, flags, known, out)                                              \
    do {                                                                                     \
        int32_t rc_ = esx_conn_check((conn), (op), err);                                     \
        if (rc_ == HVD_OK)                                                                   \
            rc_ = esx_check_flags((op), (flags), (known), err);                              \
        if (rc_ == HVD_OK && (out) == NULL)                                                  \
            rc_ = esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: output pointer is NULL", (op)); \
        if (rc_ != HVD_OK)                                                                   \
            return rc_;                                                                      \
    } while (0)

static int32_t HVD_CALL
esx_get_hostname(hvd_conn *conn, uint32_t flags, char **hostname_out, hvd_error *err)
{
    CHECK_CALL(conn, "get_hostname", flags, 0, hostname_out);
    static const char *const paths[] = { "config.network.dnsConfig", "name", NULL };
    int32_t rc = HVD_OK;
    g_autoptr(vi_value) obj = host_properties(conn, paths, err, &rc);
    if (obj == NULL)
        return rc;
    const char *host = vi_object_get_string(obj, "config.network.dnsConfig.hostName");
    const char *domain = vi_object_get_string(obj, "config.network.dnsConfig.domainName");
    if (host == NULL || *host == '\0')
        host = vi_object_get_string(obj, "name");
    if (host == NULL || *host == '\0')
        return esx_fail(err, HVD_ERR_SERVER, NULL, "host %s reports no host name", conn->host_name);
    if (domain != NULL && *domain != '\0' && strchr(host, '.') == NULL)
        *hostname_out = g_strdup_printf("%s.%s", host, domain);
    else
        *hostname_out = g_strdup(host);
    return HVD_OK;
}

static void
parse_version(const char *text, uint32_t v[3])
{
    v[0] = v[1] = v[2] = 0;
    if (text == NULL)
        return;
    g_auto(GStrv) parts = g_strsplit(text, ".", 3);
    for (int i = 0; i < 3 && parts[i] != NULL; i++)
        v[i] = (uint32_t)g_ascii_strtoull(parts[i], NULL, 10);
}

static int32_t HVD_CALL
esx_get_version(hvd_conn *conn, uint32_t flags, hvd_version **version_out, hvd_error *err)
{
    CHECK_CALL(conn, "get_version", flags, 0, version_out);
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

static int32_t HVD_CALL
esx_get_node_info(hvd_conn *conn, uint32_t flags, hvd_node_info *info, hvd_error *err)
{
    CHECK_CALL(conn, "get_node_info", flags, 0, info);
    if (info->struct_size < sizeof(info->struct_size))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "get_node_info: struct_size %u is too small",
                        info->struct_size);
    static const char *const paths[] = { "summary.hardware", "hardware.numaInfo.numNodes", NULL };
    int32_t rc = HVD_OK;
    g_autoptr(vi_value) obj = host_properties(conn, paths, err, &rc);
    if (obj == NULL)
        return rc;
    gint64 mem = 0, mhz = 0, pkgs = 0, cores = 0, threads = 0, numa = 0;
    const char *model = vi_object_get_string(obj, "summary.hardware.cpuModel");
    if (!vi_object_get_int64(obj, "summary.hardware.memorySize", &mem) ||
        !vi_object_get_int64(obj, "summary.hardware.numCpuPkgs", &pkgs) ||
        !vi_object_get_int64(obj, "summary.hardware.numCpuCores", &cores) ||
        !vi_object_get_int64(obj, "summary.hardware.numCpuThreads", &threads))
        return esx_fail(err, HVD_ERR_SERVER, NULL, "host %s did not report its hardware summary", conn->host_name);
    vi_object_get_int64(obj, "summary.hardware.cpuMhz", &mhz);
    if (!vi_object_get_int64(obj, "hardware.numaInfo.numNodes", &numa) || numa <= 0)
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

static int32_t HVD_CALL
esx_get_capabilities(hvd_conn *conn, uint32_t flags, char **xml_out, hvd_error *err)
{
    CHECK_CALL(conn, "get_capabilities", flags, 0, xml_out);
    static const char *const paths[] = { "summary.hardware.uuid", "capability.maxSupportedVcpus", NULL };
    int32_t rc = HVD_OK;
    g_autoptr(vi_value) obj = host_properties(conn, paths, err, &rc);
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
    static const struct { const char *arch; int bits; } guests[] = { { "i686", 32 }, { "x86_64", 64 } };
    for (gsize i = 0; i < G_N_ELEMENTS(guests); i++)
        g_string_append_printf(x, "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='%s'>\n"
                                  "      <wordsize>%d</wordsize>\n      <domain type='vmware'/>\n    </arch>\n"
                                  "  </guest>\n", guests[i].arch, guests[i].bits);
    g_string_append(x, "</capabilities>\n");
    *xml_out = g_string_free(x, FALSE);
    return HVD_OK;
}

static int32_t HVD_CALL
esx_get_free_memory(hvd_conn *conn, uint32_t flags, uint64_t *bytes_out, hvd_error *err)
{
    CHECK_CALL(conn, "get_free_memory", flags, 0, bytes_out);
    static const char *const paths[] = { "summary.hardware.memorySize", "summary.quickStats.overallMemoryUsage", NULL };
    int32_t rc = HVD_OK;
    g_autoptr(vi_value) obj = host_properties(conn, paths, err, &rc);
    if (obj == NULL)
        return rc;
    gint64 total = 0, used_mib = 0;
    if (!vi_object_get_int64(obj, "summary.hardware.memorySize", &total))
        return esx_fail(err, HVD_ERR_SERVER, NULL, "host %s did not report its memory size", conn->host_name);
    vi_object_get_int64(obj, "summary.quickStats.overallMemoryUsage", &used_mib);
    gint64 used = used_mib * 1024 * 1024;
    *bytes_out = (uint64_t)(total > used ? total - used : 0);
    return HVD_OK;
}

static int32_t HVD_CALL
esx_is_alive(hvd_conn *conn, uint32_t flags, int32_t *alive_out, hvd_error *err)
{
    CHECK_CALL(conn, "is_alive", flags, 0, alive_out);
    g_autoptr(GError) gerr = NULL;
    gboolean active = FALSE;
    gboolean ok = vi_session_is_active(conn->vi, &active, &gerr);
    if (!ok && (vi_error_is_fault(gerr, "NotImplemented") || vi_error_is_fault(gerr, "NotSupported"))) {
        /* ESX hosts (and vcsim) lack SessionIsActive: read our session from
         * the SessionManager instead (libvirt does the same). */
        g_clear_error(&gerr);
        static const char *const paths[] = { "currentSession", NULL };
        const vi_ServiceContent *sc = vi_conn_service_content(conn->vi);
        g_autoptr(vi_value) obj = vi_collector_retrieve_one(conn->vi, &sc->sessionManager, paths, &gerr);
        ok = obj != NULL;
        active = ok && vi_object_get(obj, "currentSession") != NULL;
    }
    if (!ok) {
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
    CHECK_CALL(conn, "is_secure", flags, 0, secure_out);
    *secure_out = conn->uri->https ? 1 : 0;
    return HVD_OK;
}

static int32_t HVD_CALL
esx_get_max_vcpus(hvd_conn *conn, uint32_t flags, uint32_t *max_out, hvd_error *err)
{
    CHECK_CALL(conn, "get_max_vcpus", flags, 0, max_out);
    static const char *const paths[] = { "capability.maxSupportedVcpus", NULL };
    int32_t rc = HVD_OK;
    g_autoptr(vi_value) obj = host_properties(conn, paths, err, &rc);
    if (obj == NULL)
        return rc;
    gint64 n = 0;
    if (!vi_object_get_int64(obj, "capability.maxSupportedVcpus", &n) || n <= 0)
        return esx_fail(err, HVD_ERR_SERVER, NULL,
                        "host %s does not report capability.maxSupportedVcpus", conn->host_name);
    *max_out = (uint32_t)n;
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
