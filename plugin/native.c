/* native.c — hvd_native_table: vmware-vmx <-> domain XML.
 *
 * Without a connection (conn == NULL) file names are mapped by vmx/'s offline
 * mapper; with one, the datacenter path of the connection fills
 * <vmware:datacenterpath> unless a parameter overrides it. */
#include "esx-datastore.h"

#include <string.h>

#define NATIVE_FORMAT      "vmware-vmx"
#define DEFAULT_HW_VERSION 4

typedef struct {
    const char *vmx_location;
    const char *datacenter_path;
    uint64_t hw_version;
} native_opts;

static int32_t
parse_params(const char *op, const hvd_param *params, uint32_t nparams, gboolean to_native, native_opts *o,
             hvd_error *err)
{
    memset(o, 0, sizeof(*o));
    o->hw_version = DEFAULT_HW_VERSION;
    if (nparams > 0 && (params == NULL || params[0].struct_size < offsetof(hvd_param, s) + sizeof(params[0].s)))
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: parameter array is NULL or its struct_size is too small",
                        op);
    for (uint32_t i = 0; i < nparams; i++) {
        const hvd_param *p = esx_param_at(params, nparams, i);
        if (memchr(p->name, '\0', sizeof(p->name)) == NULL)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: parameter %u has an unterminated name", op, i);
        gboolean is_str = p->type == HVD_PARAM_STRING;
        if (!to_native && strcmp(p->name, HVD_NATIVE_PARAM_VMX_LOCATION) == 0 && is_str) {
            o->vmx_location = p->s;
        } else if (!to_native && strcmp(p->name, HVD_NATIVE_PARAM_DATACENTER_PATH) == 0 && is_str) {
            o->datacenter_path = p->s;
        } else if (to_native && strcmp(p->name, HVD_NATIVE_PARAM_HW_VERSION) == 0 &&
                   (p->type == HVD_PARAM_UINT64 || p->type == HVD_PARAM_INT64)) {
            uint64_t v = p->type == HVD_PARAM_UINT64 ? p->u : (uint64_t)p->i;
            if (v < 4 || v > 99)
                return esx_fail(err, HVD_ERR_INVALID_ARG, NULL,
                                "%s: hw_version %" G_GUINT64_FORMAT " is not a virtual hardware version (4 to 99)", op,
                                v);
            o->hw_version = v;
        } else {
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: unknown parameter '%s' or wrong type (known: %s)", op,
                            p->name, to_native ? "hw_version (UINT64)" : "vmx_location, datacenter_path (STRING)");
        }
        if (is_str && p->s == NULL)
            return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: parameter '%s' has a NULL string", op, p->name);
    }
    return HVD_OK;
}

static int32_t
check_common(hvd_conn *conn, const char *op, const char *format, const char *input, char **out, uint32_t flags,
             hvd_error *err)
{
    (void)conn;
    if (out != NULL)
        *out = NULL; /* hvd.h: NULL on every failure */
    int32_t rc = esx_check_flags(op, flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    if (format == NULL || input == NULL || out == NULL)
        return esx_fail(err, HVD_ERR_INVALID_ARG, NULL, "%s: format, input and output must not be NULL", op);
    if (strcmp(format, NATIVE_FORMAT) != 0)
        return esx_fail(err, HVD_ERR_NO_SUPPORT, NULL, "%s: unsupported native format '%s' (this driver knows '%s')",
                        op, format, NATIVE_FORMAT);
    return HVD_OK;
}

/* Everything both directions share: argument, flag and parameter checks,
 * and the conversion context — the datastores of the connection's host, or
 * the offline rules without a connection. `off` and `map` must outlive
 * `ctx`. */
static int32_t
prepare(hvd_conn *conn, const char *op, const char *format, const char *input, char **out, const hvd_param *params,
        uint32_t nparams, uint32_t flags, gboolean to_native, native_opts *o, vmx_offline_opts *off,
        esx_datastore_map **map, vmx_convert_ctx *ctx, hvd_error *err)
{
    int32_t rc = check_common(conn, op, format, input, out, flags, err);
    if (rc == HVD_OK)
        rc = parse_params(op, params, nparams, to_native, o, err);
    if (rc != HVD_OK)
        return rc;
    off->vmx_location = o->vmx_location;
    off->datacenter_path = o->datacenter_path;
    if (conn == NULL) {
        vmx_offline_ctx_init(ctx, off);
        return HVD_OK;
    }
    const esx_location *loc = NULL;
    rc = esx_conn_locate(conn, &loc, err);
    if (rc != HVD_OK)
        return rc;
    if (off->datacenter_path == NULL)
        off->datacenter_path = loc->datacenter_path;
    g_autoptr(GError) gerr = NULL;
    *map = esx_datastore_map_new(conn->vi, loc, o->vmx_location, &gerr);
    if (*map == NULL)
        return esx_fail_gerror(err, gerr);
    esx_datastore_map_ctx(*map, ctx);
    ctx->datacenter_path = off->datacenter_path;
    return HVD_OK;
}

static int32_t HVD_CALL
esx_native_to_xml(hvd_conn *conn, const char *format, const char *native, const hvd_param *params, uint32_t nparams,
                  uint32_t flags, char **xml_out, hvd_error *err)
{
    native_opts o;
    vmx_offline_opts off = { 0 };
    vmx_convert_ctx ctx;
    g_autoptr(esx_datastore_map) map = NULL;
    int32_t rc = prepare(conn, "domxml-from-native", format, native, xml_out, params, nparams, flags, FALSE, &o, &off,
                         &map, &ctx, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    vmx_domain *def = vmx_to_domain(native, strlen(native), &ctx, &gerr);
    if (def == NULL)
        return esx_fail_gerror(err, gerr);
    /* The VNC password comes from the caller's own file, so converting it
     * reveals nothing; libvirt's domxml-from-native keeps it too. */
    char *xml = vmx_domain_format_xml_flags(def, VMX_XML_SECURE, &gerr);
    vmx_domain_free(def);
    if (xml == NULL)
        return esx_fail_gerror(err, gerr);
    *xml_out = xml;
    return HVD_OK;
}

static int32_t HVD_CALL
esx_native_from_xml(hvd_conn *conn, const char *format, const char *xml, const hvd_param *params, uint32_t nparams,
                    uint32_t flags, char **native_out, hvd_error *err)
{
    native_opts o;
    vmx_offline_opts off = { 0 };
    vmx_convert_ctx ctx;
    g_autoptr(esx_datastore_map) map = NULL;
    int32_t rc = prepare(conn, "domxml-to-native", format, xml, native_out, params, nparams, flags, TRUE, &o, &off,
                         &map, &ctx, err);
    if (rc != HVD_OK)
        return rc;
    g_autoptr(GError) gerr = NULL;
    vmx_domain *def = vmx_domain_parse_xml(xml, &gerr);
    if (def == NULL)
        return esx_fail_gerror(err, gerr);
    char *vmx = vmx_from_domain(def, &ctx, (int)o.hw_version, &gerr);
    vmx_domain_free(def);
    if (vmx == NULL)
        return esx_fail_gerror(err, gerr);
    *native_out = vmx;
    return HVD_OK;
}

const hvd_native_table esx_native_table = {
    .struct_size = sizeof(hvd_native_table),
    .to_xml = esx_native_to_xml,
    .from_xml = esx_native_from_xml,
};
