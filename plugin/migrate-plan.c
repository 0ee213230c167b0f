/* migrate-plan.c — what a migration moves and where to, resolved before
 * anything is sent that could move it.
 *
 * As libvirt's ESX driver (esxDomainMigratePerform): a migration needs a
 * vCenter (vpx://, or esx:// with vcenter=), both ends must be managed by
 * that one vCenter, and ESX cannot rename a domain on the way (dest_name,
 * if given, must be the current name). The destination is a URI:
 *   vpx://VC/[folder/...]dc/[folder/...][cluster/]host  its vCenter must be
 *       the connection's (same address and port); the path is walked in
 *       that vCenter's inventory, as for a connection;
 *   esx://HOST/?vcenter=VC  vcenter=* means "the vCenter managing HOST",
 *       which must then be the connection's: it must manage a host at
 *       HOST's address (SearchIndex.FindByIp); an explicit VC must be the
 *       connection's vCenter (same address; the port is the URI's, as the
 *       driver reaches a host's vCenter on the host's port);
 *   esx:// without vcenter=, gsx://: refused, naming the fix.
 * Unlike libvirt, no second connection to the destination is needed: the
 * source's vCenter session resolves and moves everything, so the
 * destination's credentials are never asked for.
 *
 * The destination pool: when the destination host belongs to the compute
 * resource the VM runs in now, none is sent (the VM keeps its pool, as the
 * API reference says for an unset pool); otherwise the root pool of the
 * destination's compute resource (libvirt's choice).
 *
 * Cost: the domain lookup (one request on the connection), for esx:// the
 * VM's lookup in the vCenter (FindByUuid), the VM's and its host's
 * properties (2), then for vpx:// one inventory walk, for esx:// one
 * FindByIp per address of the host plus its properties, and one more for
 * the pool when the compute resource changes. */
#include "esx-migrate.h"

#include <string.h>

/* Bound on the destination URI (hvd.h: every input bounded). */
#define MAX_DEST_URI 4096

void
esx_migration_free(esx_migration *m)
{
    if (m == NULL)
        return;
    g_free(m->vc_name);
    g_free(m->domain_key);
    g_free(m->domain_uuid);
    g_free(m->vm_name);
    g_free(m->power);
    vi_moref_clear(&m->vm);
    vi_moref_clear(&m->from_host);
    g_free(m->from_host_name);
    vi_moref_clear(&m->to_host);
    g_free(m->to_host_name);
    vi_moref_clear(&m->to_pool);
    g_free(m->dest_text);
    g_free(m);
}

typedef struct {
    const char *dest_uri;
    const char *dest_name;
    const char *priority;
} mig_params;

static int32_t
string_param(const char *op, const hvd_param *p, const char **out, hvd_error *err)
{
    if (p->type != HVD_PARAM_STRING || !HVD_HAS_MEMBER(p, hvd_param, s) || p->s == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: parameter '%s' must be a non-NULL string (HVD_PARAM_STRING)", op, p->name);
    if (*out != NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: parameter '%s' given twice", op, p->name);
    *out = p->s;
    return HVD_OK;
}

static int32_t
read_params(const char *op, const hvd_param *params, uint32_t nparams, mig_params *mp, hvd_error *err)
{
    if (nparams > 0 && params == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: params is NULL but nparams is %u", op, nparams);
    if (nparams > 0 && params[0].struct_size < G_STRUCT_OFFSET(hvd_param, s) + sizeof(const char *))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: params[0].struct_size is %u, too small for hvd_param", op,
                        params[0].struct_size);
    for (uint32_t i = 0; i < nparams; i++) {
        const hvd_param *p = esx_param_at(params, nparams, i);
        if (memchr(p->name, '\0', sizeof(p->name)) == NULL)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: the name of parameter %u is not terminated", op, i);
        const char **slot = NULL;
        if (strcmp(p->name, HVD_MIGRATE_PARAM_DEST_URI) == 0)
            slot = &mp->dest_uri;
        else if (strcmp(p->name, HVD_MIGRATE_PARAM_DEST_NAME) == 0)
            slot = &mp->dest_name;
        else if (strcmp(p->name, HVD_MIGRATE_PARAM_PRIORITY) == 0)
            slot = &mp->priority;
        if (slot == NULL) {
            g_autofree char *name = esx_escape_text(p->name);
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                            "%s: unknown parameter '%s' (migration takes dest_uri, dest_name and priority)", op, name);
        }
        int32_t rc = string_param(op, p, slot, err);
        if (rc != HVD_OK)
            return rc;
    }
    if (mp->dest_uri == NULL || *mp->dest_uri == '\0')
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: no destination: give the parameter dest_uri, e.g. vpx://VCENTER/DATACENTER/HOST or "
                        "esx://HOST/?vcenter=*",
                        op);
    if (strnlen(mp->dest_uri, MAX_DEST_URI + 1) > MAX_DEST_URI)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: dest_uri is longer than %d bytes", op, MAX_DEST_URI);
    return HVD_OK;
}

static int32_t
map_priority(const char *op, const char *given, const char **out, hvd_error *err)
{
    static const char *const names[][2] = {
        { "default", "defaultPriority" },
        { "high", "highPriority" },
        { "low", "lowPriority" },
    };
    if (given == NULL) {
        *out = names[0][1];
        return HVD_OK;
    }
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        if (strcmp(given, names[i][0]) == 0) {
            *out = names[i][1];
            return HVD_OK;
        }
    }
    g_autofree char *shown = esx_escape_text(given);
    return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: priority '%.64s' is not one of default, high, low", op, shown);
}

/* The connection's vCenter: its session, address and port. */
static int32_t
source_vcenter(hvd_conn *conn, const char *op, esx_migration *m, int *port_out, hvd_error *err)
{
    const esx_uri *uri = conn->uri;
    if (uri->product == ESX_PRODUCT_VPX) {
        m->vc = conn->vi;
        m->vc_name = g_strdup(uri->host);
        *port_out = uri->port;
        return HVD_OK;
    }
    if (uri->product == ESX_PRODUCT_GSX)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL,
                        "%s: a VMware Server (gsx://%s) cannot migrate domains: only hosts managed by a vCenter can",
                        op, uri->host);
    if (conn->vcenter == NULL)
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "%s: migration needs a vCenter, and this connection to %s has none: reconnect with "
                        "esx://%s/?vcenter=* (the vCenter managing the host) or vcenter=VCENTER, or connect to the "
                        "vCenter with vpx://VCENTER/DATACENTER/HOST",
                        op, uri->host, uri->host);
    m->vc = conn->vcenter;
    /* the endpoint is "HOST:PORT" or "[V6]:PORT"; the port is the host's */
    const char *ep = vi_conn_endpoint(conn->vcenter);
    const char *end = ep[0] == '[' ? strchr(ep, ']') : strrchr(ep, ':');
    m->vc_name = ep[0] == '[' && end != NULL ? g_strndup(ep + 1, (gsize)(end - ep - 1))
                 : end != NULL               ? g_strndup(ep, (gsize)(end - ep))
                                             : g_strdup(ep);
    *port_out = uri->port;
    return HVD_OK;
}

/* The domain, then the same VM in the vCenter with where it runs. */
static int32_t
source_vm(hvd_conn *conn, const char *op, const char *domain, esx_migration *m, hvd_error *err)
{
    g_autoptr(esx_vm) vm = NULL;
    int32_t rc = esx_domain_resolve(conn, domain, &vm, err);
    if (rc != HVD_OK)
        return rc;
    m->domain_key = g_strdup(vm->moref.value);
    m->vm_name = g_strdup(vm->name);
    if (vm->has_uuid)
        m->domain_uuid = g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                                         vm->uuid[0], vm->uuid[1], vm->uuid[2], vm->uuid[3], vm->uuid[4], vm->uuid[5],
                                         vm->uuid[6], vm->uuid[7], vm->uuid[8], vm->uuid[9], vm->uuid[10], vm->uuid[11],
                                         vm->uuid[12], vm->uuid[13], vm->uuid[14], vm->uuid[15]);
    g_autoptr(GError) gerr = NULL;
    if (conn->uri->product == ESX_PRODUCT_VPX) {
        m->vm.type = g_strdup(vm->moref.type);
        m->vm.value = g_strdup(vm->moref.value);
    } else {
        if (m->domain_uuid == NULL)
            return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                            "%s: domain '%s' has no UUID on %s, so it cannot be found in vCenter %s", op, vm->name,
                            conn->uri->host, m->vc_name);
        const vi_ServiceContent *sc = vi_conn_service_content(m->vc);
        g_autoptr(vi_value) args = vi_value_new("FindByUuid", NULL, NULL);
        vi_value_add_string(args, "uuid", m->domain_uuid);
        vi_value_add_bool(args, "vmSearch", TRUE);
        g_autoptr(vi_value) resp = vi_call(m->vc, "FindByUuid", &sc->searchIndex, args, &gerr);
        if (resp == NULL)
            return esx_fail_gerror(err, gerr);
        vi_moref found = { 0 };
        if (!vi_value_get_moref(resp, "returnval", &found))
            return esx_fail(err, HVD_ERR_NO_DOMAIN, NULL,
                            "%s: domain '%s' (UUID %s) is not in the inventory of vCenter %s: is the host managed by "
                            "another vCenter?",
                            op, vm->name, m->domain_uuid, m->vc_name);
        m->vm.type = g_strdup(found.type);
        m->vm.value = g_strdup(found.value);
    }
    static const char *const vm_paths[] = { "runtime.powerState", "runtime.host", NULL };
    g_autoptr(vi_value) obj = vi_collector_retrieve_one(m->vc, &m->vm, vm_paths, &gerr);
    if (obj == NULL)
        return esx_fail_gerror(err, gerr);
    vi_moref host = { 0 };
    m->power = g_strdup(vi_object_get_string(obj, "runtime.powerState"));
    if (!vi_object_get_moref(obj, "runtime.host", &host))
        return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                        "%s: domain '%s' runs on no host in vCenter %s (is it orphaned or being registered?)", op,
                        m->vm_name, m->vc_name);
    m->from_host.type = g_strdup(host.type);
    m->from_host.value = g_strdup(host.value);
    return HVD_OK;
}

/* Refuses a destination vCenter that is not the connection's. */
static int32_t
same_vcenter(const char *op, const esx_migration *m, int src_port, const char *dest_vc, int dest_port, hvd_error *err)
{
    g_autofree char *why = NULL;
    g_autoptr(GPtrArray) a = esx_resolve(dest_vc, &why);
    g_autoptr(GPtrArray) b = a != NULL ? esx_resolve(m->vc_name, &why) : NULL;
    if (a == NULL || b == NULL)
        return esx_fail(err, HVD_ERR_URI, NULL, "%s: destination %s: cannot resolve vCenter %s (%s)", op, m->dest_text,
                        a == NULL ? dest_vc : m->vc_name, why);
    if (esx_share_address(a, b) && dest_port == src_port)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                    "%s: destination %s is managed by vCenter %s:%d, domain '%s' by vCenter %s:%d: both ends of a "
                    "migration must be managed by the same vCenter (vSphere's MigrateVM_Task does not cross "
                    "vCenters); nothing was moved: pick a host of vCenter %s",
                    op, m->dest_text, dest_vc, dest_port, m->vm_name, m->vc_name, src_port, m->vc_name);
}

/* esx://HOST/?vcenter=...: the vCenter's HostSystem at HOST's address. */
static int32_t
find_by_ip(const char *op, esx_migration *m, const char *host, hvd_error *err)
{
    g_autofree char *why = NULL;
    g_autoptr(GPtrArray) addrs = esx_resolve(host, &why);
    if (addrs == NULL)
        return esx_fail(err, HVD_ERR_URI, NULL, "%s: destination %s: cannot resolve host %s (%s)", op, m->dest_text,
                        host, why);
    gboolean found = FALSE;
    int32_t rc = esx_find_host_by_ip(m->vc, addrs, &m->to_host, &found, err);
    if (rc != HVD_OK || found)
        return rc;
    return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                    "%s: destination %s: vCenter %s, which manages domain '%s', manages no host at the address of %s: "
                    "both ends of a migration must be managed by the same vCenter; nothing was moved",
                    op, m->dest_text, m->vc_name, m->vm_name, host);
}

/* The destination host in the connection's vCenter. */
static int32_t
dest_host(const char *op, esx_migration *m, int src_port, const char *dest_uri, hvd_error *err)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(esx_uri) dest = esx_uri_parse(dest_uri, &gerr);
    if (dest == NULL)
        return esx_fail(err, HVD_ERR_URI, NULL, "%s: dest_uri: %s", op, gerr->message);
    m->dest_text = esx_uri_format(dest);
    if (dest->product == ESX_PRODUCT_GSX)
        return esx_fail(err, HVD_ERR_URI, NULL,
                        "%s: destination %s is a VMware Server: a migration goes to an ESX host of the same vCenter "
                        "(vpx://VCENTER/DATACENTER/HOST or esx://HOST/?vcenter=*)",
                        op, m->dest_text);
    if (dest->product == ESX_PRODUCT_VPX) {
        int32_t rc = same_vcenter(op, m, src_port, dest->host, dest->port, err);
        if (rc != HVD_OK)
            return rc;
        esx_location *loc = g_new0(esx_location, 1);
        rc = esx_locate_path(m->vc, m->vc_name, dest->path, loc, err);
        if (rc == HVD_OK) {
            m->to_host = loc->host;
            loc->host = (vi_moref){ 0 };
        }
        esx_location_free(loc);
        return rc;
    }
    if (dest->vcenter == NULL)
        return esx_fail(err, HVD_ERR_URI, NULL,
                        "%s: destination %s names no vCenter: a migration goes through the vCenter managing both "
                        "hosts, so add vcenter=* (or vcenter=VCENTER) to it, e.g. esx://%s/?vcenter=*, or use "
                        "vpx://VCENTER/DATACENTER/%s",
                        op, m->dest_text, dest->host, dest->host);
    if (strcmp(dest->vcenter, "*") != 0) {
        int32_t rc = same_vcenter(op, m, src_port, dest->vcenter, dest->port, err);
        if (rc != HVD_OK)
            return rc;
    }
    return find_by_ip(op, m, dest->host, err);
}

/* The parent (compute resource) and name of a host. */
static int32_t
host_parent(vi_conn *vc, const vi_moref *host, vi_moref *parent_out, char **name_out, hvd_error *err)
{
    static const char *const paths[] = { "name", "parent", NULL };
    g_autoptr(GError) gerr = NULL;
    g_autoptr(vi_value) obj = vi_collector_retrieve_one(vc, host, paths, &gerr);
    if (obj == NULL)
        return esx_fail_gerror(err, gerr);
    vi_moref parent = { 0 };
    if (vi_object_get_moref(obj, "parent", &parent)) {
        parent_out->type = g_strdup(parent.type);
        parent_out->value = g_strdup(parent.value);
    }
    const char *name = vi_object_get_string(obj, "name");
    *name_out = g_strdup(name != NULL && *name != '\0' ? name : host->value);
    return HVD_OK;
}

/* The destination pool (see the top of the file). */
static int32_t
dest_pool(const char *op, esx_migration *m, hvd_error *err)
{
    vi_moref from_cr = { 0 }, to_cr = { 0 };
    int32_t rc = host_parent(m->vc, &m->from_host, &from_cr, &m->from_host_name, err);
    if (rc == HVD_OK)
        rc = host_parent(m->vc, &m->to_host, &to_cr, &m->to_host_name, err);
    if (rc == HVD_OK && vi_moref_equal(&m->from_host, &m->to_host))
        rc = esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                      "%s: domain '%s' already runs on host %s: nothing to migrate; pick another host", op, m->vm_name,
                      m->to_host_name);
    if (rc == HVD_OK && to_cr.value == NULL)
        rc = esx_fail(err, HVD_ERR_SERVER, NULL, "%s: host %s reports no compute resource", op, m->to_host_name);
    if (rc == HVD_OK && !vi_moref_equal(&from_cr, &to_cr)) {
        static const char *const paths[] = { "resourcePool", NULL };
        g_autoptr(GError) gerr = NULL;
        g_autoptr(vi_value) obj = vi_collector_retrieve_one(m->vc, &to_cr, paths, &gerr);
        vi_moref pool = { 0 };
        if (obj == NULL)
            rc = esx_fail_gerror(err, gerr);
        else if (!vi_object_get_moref(obj, "resourcePool", &pool))
            rc = esx_fail(err, HVD_ERR_SERVER, NULL, "%s: the compute resource of host %s reports no resource pool", op,
                          m->to_host_name);
        else {
            m->to_pool.type = g_strdup(pool.type);
            m->to_pool.value = g_strdup(pool.value);
        }
    }
    vi_moref_clear(&from_cr);
    vi_moref_clear(&to_cr);
    return rc;
}

int32_t
esx_migration_source(hvd_conn *conn, const char *op, const char *domain, esx_migration **out, int *port_out,
                     hvd_error *err)
{
    *out = NULL;
    g_autoptr(esx_migration) m = g_new0(esx_migration, 1);
    int port = 0;
    int32_t rc = source_vcenter(conn, op, m, &port, err);
    if (rc == HVD_OK)
        rc = source_vm(conn, op, domain, m, err);
    if (rc != HVD_OK)
        return rc;
    if (port_out != NULL)
        *port_out = port;
    *out = g_steal_pointer(&m);
    return HVD_OK;
}

int32_t
esx_migration_plan(hvd_conn *conn, const char *op, const char *domain, const hvd_param *params, uint32_t nparams,
                   uint32_t flags, esx_migration **out, hvd_error *err)
{
    *out = NULL;
    mig_params mp = { 0 };
    const char *priority = NULL;
    g_autoptr(esx_migration) m = NULL;
    int src_port = 0;
    int32_t rc = read_params(op, params, nparams, &mp, err);
    if (rc == HVD_OK)
        rc = map_priority(op, mp.priority, &priority, err);
    if (rc == HVD_OK)
        rc = esx_migration_source(conn, op, domain, &m, &src_port, err);
    if (rc != HVD_OK)
        return rc;
    m->priority = priority;
    if (mp.dest_name != NULL && strcmp(mp.dest_name, m->vm_name) != 0) {
        g_autofree char *shown = esx_escape_text(mp.dest_name);
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                        "%s: dest_name '%.200s' differs from the domain's name '%s': ESX cannot rename a domain "
                        "while migrating it; drop dest_name (or rename the domain first)",
                        op, shown, m->vm_name);
    }
    if ((flags & HVD_MIGRATE_LIVE) != 0) {
        if (g_strcmp0(m->power, "poweredOn") != 0)
            return esx_fail(err, HVD_ERR_OPERATION_INVALID, NULL,
                            "%s: a live migration moves a running domain, and '%s' is %s: start it first, or migrate "
                            "it without the live flag (a cold migration)",
                            op, m->vm_name, m->power != NULL ? m->power : "in an unknown state");
        m->state = "poweredOn";
    }
    rc = dest_host(op, m, src_port, mp.dest_uri, err);
    if (rc == HVD_OK)
        rc = dest_pool(op, m, err);
    if (rc != HVD_OK)
        return rc;
    *out = g_steal_pointer(&m);
    return HVD_OK;
}
