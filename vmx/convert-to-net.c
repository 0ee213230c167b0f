/*
 * convert-to-net.c: VMX -> domain model for network cards and serial and
 * parallel ports.
 */
#include "vmx/internal.h"

#include <string.h>

static gboolean
parse_model(const vmx_file *file, const char *prefix, vmx_net *net, GError **error)
{
    static const char *const models[] = { "vlance", "vmxnet", "vmxnet3", "e1000", "e1000e" };
    char key[96];
    const char *value = vmx_file_get(file, vmx_key(key, prefix, "virtualDev"));
    gint64 features;

    if (!value)
        return TRUE;
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (g_ascii_strcasecmp(value, models[i]) == 0)
            net->model = g_strdup(models[i]);
    }
    if (!net->model) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "VMX entry '%s' must be 'vlance', 'vmxnet', 'vmxnet3', 'e1000' or 'e1000e', "
                    "found \"%s\"",
                    key, value);
        return FALSE;
    }
    if (!vmx_get_long(file, vmx_key(key, prefix, "features"), 0, &features, error))
        return FALSE;
    if (strcmp(net->model, "vmxnet") == 0 && features == 15) {
        g_free(net->model);
        net->model = g_strdup("vmxnet2"); /* "enhanced vmxnet" */
    }
    return TRUE;
}

static gboolean
parse_mac(const vmx_file *file, const char *prefix, vmx_net *net, GError **error)
{
    char key[96];
    const char *type = vmx_file_get(file, vmx_key(key, prefix, "addressType"));
    const char *mac_key, *mac;
    gboolean check;

    if (!type || g_ascii_strcasecmp(type, "generated") == 0 || g_ascii_strcasecmp(type, "vpx") == 0) {
        mac_key = "generatedAddress";
        net->mac_type = VMX_MAC_TYPE_GENERATED;
    } else if (g_ascii_strcasecmp(type, "static") == 0) {
        mac_key = "address";
        net->mac_type = VMX_MAC_TYPE_STATIC;
    } else {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "VMX entry '%s' must be 'generated', 'static' or 'vpx', found \"%s\"", key, type);
        return FALSE;
    }
    mac = vmx_file_get(file, vmx_key(key, prefix, mac_key));
    if (!mac) {
        net->mac_type = VMX_MAC_TYPE_NONE;
    } else if (!vmx_parse_mac(mac, net->mac)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "VMX entry '%s' must be a MAC address, found \"%s\"", key,
                    mac);
        return FALSE;
    } else {
        net->has_mac = TRUE;
    }
    if (vmx_file_get(file, vmx_key(key, prefix, "checkMACAddress"))) {
        if (!vmx_get_bool(file, key, TRUE, &check, error))
            return FALSE;
        net->mac_check = check ? VMX_TRISTATE_YES : VMX_TRISTATE_NO;
    }
    return TRUE;
}

static gboolean
parse_vds(const vmx_file *file, const char *prefix, vmx_net *net, GError **error)
{
    char key[96];
    const char *value = vmx_file_get(file, vmx_key(key, prefix, "dvs.switchId"));

    net->type = VMX_NET_VDS;
    if (!vmx_uuid_parse(value, net->switch_id)) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "VMX entry '%s' must be a switch UUID, found \"%s\"", key,
                    value);
        return FALSE;
    }
    net->port_id = g_strdup(vmx_file_get(file, vmx_key(key, prefix, "dvs.portId")));
    net->portgroup_id = g_strdup(vmx_file_get(file, vmx_key(key, prefix, "dvs.portgroupId")));
    net->connection_id = g_strdup(vmx_file_get(file, vmx_key(key, prefix, "dvs.connectionId")));
    /* a connection to a port group without a fixed port: libvirt shows port 0 */
    if (!net->port_id && (net->portgroup_id || net->connection_id))
        net->port_id = g_strdup("0");
    return TRUE;
}

static gboolean
parse_net(const vmx_file *file, const char *prefix, vmx_net *net, GError **error)
{
    char key[96];
    const char *type = vmx_file_get(file, vmx_key(key, prefix, "connectionType"));
    const char *network = vmx_file_get(file, vmx_key(key, prefix, "networkName"));

    if (!parse_mac(file, prefix, net, error) || !parse_model(file, prefix, net, error))
        return FALSE;
    if (vmx_file_get(file, vmx_key(key, prefix, "dvs.switchId")))
        return parse_vds(file, prefix, net, error);
    if (!type && !network) {
        net->type = VMX_NET_NULL;
    } else if (!type || g_ascii_strcasecmp(type, "bridged") == 0) {
        net->type = VMX_NET_BRIDGE;
        net->source = g_strdup(network ? network : "");
    } else if (g_ascii_strcasecmp(type, "custom") == 0) {
        const char *vnet = vmx_file_get(file, vmx_key(key, prefix, "vnet"));

        if (!vnet) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "network card %s: connectionType \"custom\" needs a '%s.vnet' entry", prefix, prefix);
            return FALSE;
        }
        net->type = VMX_NET_BRIDGE;
        net->source = g_strdup(network ? network : "");
        net->ifname = g_strdup(vnet);
    } else if (g_ascii_strcasecmp(type, "nat") == 0) {
        net->type = VMX_NET_USER;
    } else {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "network card %s: connectionType \"%s\" is not supported; expecting "
                    "\"bridged\", \"custom\" or \"nat\"",
                    prefix, type);
        return FALSE;
    }
    return TRUE;
}

/* The highest N of the file's ethernetN.* keys (libvirt reads every card up
 * to it), -1 when there is none. */
static int
last_ethernet_index(const vmx_file *file)
{
    int last = -1;

    for (guint i = 0; i < vmx_file_size(file); i++) {
        const char *key = vmx_file_key_at(file, i);
        char *end;
        guint64 n;

        if (!key || g_ascii_strncasecmp(key, "ethernet", 8) != 0 || !g_ascii_isdigit(key[8]))
            continue;
        n = g_ascii_strtoull(key + 8, &end, 10);
        if (*end == '.' && n < 1024 && (int)n > last)
            last = (int)n;
    }
    return last;
}

gboolean
vmx_parse_nets(const vmx_file *file, vmx_domain *def, GError **error)
{
    int last = last_ethernet_index(file);

    for (int i = 0; i <= last; i++) {
        char prefix[32], key[96];
        gboolean present;
        vmx_net *net;

        g_snprintf(prefix, sizeof(prefix), "ethernet%d", i);
        if (!vmx_get_bool(file, vmx_key(key, prefix, "present"), FALSE, &present, error))
            return FALSE;
        if (!present)
            continue;
        net = vmx_net_new();
        if (!parse_net(file, prefix, net, error)) {
            vmx_net_free(net);
            return FALSE;
        }
        g_ptr_array_add(def->nets, net);
    }
    return TRUE;
}

/* "tcp://host:port" and friends (vSphere's URI backing). */
static gboolean
parse_network_serial(const char *prefix, const char *uri, vmx_chr *chr, GError **error)
{
    static const struct {
        const char *scheme;
        vmx_tcp_protocol protocol;
    } schemes[] = {
        { "tcp", VMX_TCP_RAW },       { "tcp4", VMX_TCP_RAW },        { "tcp6", VMX_TCP_RAW },
        { "telnet", VMX_TCP_TELNET }, { "telnets", VMX_TCP_TELNETS }, { "ssl", VMX_TCP_TLS },
        { "tcp+ssl", VMX_TCP_TLS },   { "tcp4+ssl", VMX_TCP_TLS },    { "tcp6+ssl", VMX_TCP_TLS },
    };
    const char *sep = strstr(uri, "://");
    const char *host, *colon;
    gboolean known = FALSE;
    char *end;
    guint64 port;

    if (!sep) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "serial port %s: '%s.fileName' must be a URI like tcp://HOST:PORT, found "
                    "\"%s\"",
                    prefix, prefix, uri);
        return FALSE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(schemes); i++) {
        if ((size_t)(sep - uri) == strlen(schemes[i].scheme) &&
            g_ascii_strncasecmp(uri, schemes[i].scheme, sep - uri) == 0) {
            chr->protocol = schemes[i].protocol;
            known = TRUE;
        }
    }
    if (!known) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "serial port %s: URI scheme of \"%s\" is not supported (tcp, telnet, "
                    "telnets, ssl)",
                    prefix, uri);
        return FALSE;
    }
    host = sep + 3;
    if (*host == '[') {
        const char *close = strchr(host, ']');

        colon = close && close[1] == ':' ? close + 1 : NULL;
        if (colon)
            chr->host = g_strndup(host + 1, close - host - 1);
    } else {
        colon = strrchr(host, ':');
        if (colon && colon > host)
            chr->host = g_strndup(host, colon - host); /* "telnet://:PORT": any address */
    }
    if (!colon || !g_ascii_isdigit(colon[1]) || (port = g_ascii_strtoull(colon + 1, &end, 10)) == 0 || port > 65535 ||
        (*end != '\0' && *end != '/')) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "serial port %s: '%s.fileName' \"%s\" has no port number",
                    prefix, prefix, uri);
        return FALSE;
    }
    chr->service = g_strdup_printf("%u", (unsigned)port);
    return TRUE;
}

static gboolean
parse_chr(const vmx_file *file, const vmx_convert_ctx *ctx, const char *prefix, gboolean serial, vmx_chr *chr,
          gboolean *skip, GError **error)
{
    char key[96];
    const char *type = vmx_file_get(file, vmx_key(key, prefix, "fileType"));
    const char *name = vmx_file_get(file, vmx_key(key, prefix, "fileName"));

    *skip = FALSE;
    if (!type || g_ascii_strcasecmp(type, "device") == 0) {
        chr->type = VMX_CHR_DEV;
        chr->path = g_strdup(name);
    } else if (g_ascii_strcasecmp(type, "file") == 0) {
        gboolean missing = FALSE;

        chr->type = VMX_CHR_FILE;
        if (name) {
            chr->path = ctx->parse_file_name(name, &missing, ctx->user_data, error);
            if (!chr->path && !missing) {
                g_prefix_error(error, "%s port %s: ", serial ? "serial" : "parallel", prefix);
                return FALSE;
            }
        }
    } else if (serial && g_ascii_strcasecmp(type, "pipe") == 0) {
        chr->type = VMX_CHR_PIPE;
        chr->path = g_strdup(name);
    } else if (serial && g_ascii_strcasecmp(type, "network") == 0) {
        const char *end_point = vmx_file_get(file, vmx_key(key, prefix, "network.endPoint"));
        g_autoptr(GError) local = NULL;

        if (!name || !strstr(name, "://")) {
            /* empty, or not a URI (behind a virtual serial port concentrator
             * it is a token for the concentrator, which serialN.vspc names):
             * libvirt shows a port with no backend */
            chr->type = VMX_CHR_NULL;
            return TRUE;
        }
        chr->type = VMX_CHR_TCP;
        if (!parse_network_serial(prefix, name, chr, &local)) {
            if (!g_error_matches(local, VMX_ERROR, VMX_ERROR_INVALID)) {
                g_propagate_error(error, g_steal_pointer(&local));
                return FALSE;
            }
            chr->type = VMX_CHR_NULL; /* a URI without a port: nothing to connect */
            g_clear_pointer(&chr->host, g_free);
            return TRUE;
        }
        if (!end_point || g_ascii_strcasecmp(end_point, "server") == 0) {
            chr->listen = TRUE;
        } else if (g_ascii_strcasecmp(end_point, "client") != 0) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                        "VMX entry '%s' must be 'server' or 'client', found \"%s\"", key, end_point);
            return FALSE;
        }
    } else if (serial && g_ascii_strcasecmp(type, "thinprint") == 0) {
        *skip = TRUE; /* Workstation's virtual printer: not a port of the guest */
    } else {
        g_set_error(error, VMX_ERROR, VMX_ERROR_UNSUPPORTED,
                    "%s port %s: fileType \"%s\" is not supported; expecting %s", serial ? "serial" : "parallel",
                    prefix, type, serial ? "\"device\", \"file\", \"pipe\" or \"network\"" : "\"device\" or \"file\"");
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_ports(const vmx_file *file, const vmx_convert_ctx *ctx, gboolean serial, GPtrArray *out, GError **error)
{
    for (unsigned port = 0; port < (serial ? 4u : 3u); port++) {
        char prefix[32], key[96];
        gboolean present, skip;
        vmx_chr *chr;

        g_snprintf(prefix, sizeof(prefix), "%s%u", serial ? "serial" : "parallel", port);
        if (!vmx_get_bool(file, vmx_key(key, prefix, "present"), FALSE, &present, error))
            return FALSE;
        if (!present)
            continue;
        chr = vmx_chr_new();
        chr->port = port;
        if (!parse_chr(file, ctx, prefix, serial, chr, &skip, error)) {
            vmx_chr_free(chr);
            return FALSE;
        }
        if (skip)
            vmx_chr_free(chr);
        else
            g_ptr_array_add(out, chr);
    }
    return TRUE;
}

gboolean
vmx_parse_chrs(const vmx_file *file, const vmx_convert_ctx *ctx, vmx_domain *def, GError **error)
{
    if (!parse_ports(file, ctx, TRUE, def->serials, error) || !parse_ports(file, ctx, FALSE, def->parallels, error))
        return FALSE;
    def->serial_console = def->serials->len > 0;
    return TRUE;
}
