/* uri.c — esx:// gsx:// vpx:// URIs, with every query parameter of
 * libvirt's ESX driver (transport, vcenter, no_verify, auto_answer, proxy)
 * plus ca_file. */
#include "esx-uri.h"

#include <string.h>

G_DEFINE_QUARK(esx-uri-error-quark, esx_uri_error)

void
esx_uri_free(esx_uri *uri)
{
    if (uri == NULL)
        return;
    g_free(uri->scheme);
    g_free(uri->user);
    g_free(uri->host);
    g_free(uri->path);
    g_free(uri->vcenter);
    g_free(uri->proxy);
    g_free(uri->ca_file);
    g_free(uri);
}

static gboolean
parse_bool01(const char *uri_text, const char *name, const char *value, gboolean *out, GError **error)
{
    if (g_strcmp0(value, "0") == 0 || g_strcmp0(value, "1") == 0) {
        *out = value[0] == '1';
        return TRUE;
    }
    g_set_error(error, ESX_URI_ERROR, 0,
                "URI '%s': query parameter '%s' must be 0 or 1, not '%s'", uri_text, name, value ? value : "");
    return FALSE;
}

static gboolean
apply_param(esx_uri *uri, const char *uri_text, const char *name, const char *value, GError **error)
{
    if (g_ascii_strcasecmp(name, "transport") == 0) {
        if (g_strcmp0(value, "https") == 0 || g_strcmp0(value, "http") == 0) {
            uri->https = value[4] == 's';
            return TRUE;
        }
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s': transport must be 'http' or 'https', not '%s'", uri_text, value ? value : "");
        return FALSE;
    }
    if (g_ascii_strcasecmp(name, "vcenter") == 0) {
        if (uri->product == ESX_PRODUCT_VPX) {
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s': the vcenter parameter is for esx:// URIs; a vpx:// URI already names the vCenter",
                        uri_text);
            return FALSE;
        }
        if (value == NULL || *value == '\0') {
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s': vcenter needs a host name or '*'", uri_text);
            return FALSE;
        }
        g_free(uri->vcenter);
        uri->vcenter = g_strdup(value);
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "no_verify") == 0)
        return parse_bool01(uri_text, name, value, &uri->no_verify, error);
    if (g_ascii_strcasecmp(name, "auto_answer") == 0)
        return parse_bool01(uri_text, name, value, &uri->auto_answer, error);
    if (g_ascii_strcasecmp(name, "proxy") == 0) {
        /* the syntax ([type://]host[:port]) is checked by vi/ when the
         * transport is set up, with an error naming the proxy */
        if (value == NULL || *value == '\0') {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': proxy needs a value", uri_text);
            return FALSE;
        }
        g_free(uri->proxy);
        uri->proxy = g_strdup(value);
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "ca_file") == 0) {
        if (value == NULL || *value == '\0') {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': ca_file needs a file name", uri_text);
            return FALSE;
        }
        g_free(uri->ca_file);
        uri->ca_file = g_strdup(value);
        return TRUE;
    }
    g_set_error(error, ESX_URI_ERROR, 0,
                "URI '%s': unknown query parameter '%s' (known: transport, vcenter, no_verify, auto_answer, "
                "proxy, ca_file)", uri_text, name);
    return FALSE;
}

esx_uri *
esx_uri_parse(const char *text, GError **error)
{
    if (text == NULL || *text == '\0') {
        g_set_error(error, ESX_URI_ERROR, 0, "no connection URI given: use e.g. esx://root@esx1.example.com/");
        return NULL;
    }
    const char *sep = strstr(text, "://");
    g_autofree char *scheme = sep ? g_ascii_strdown(text, sep - text) : NULL;
    if (scheme != NULL && strchr(scheme, '+') != NULL) {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s': the ESX driver connects to the server directly over HTTP(S) and does not use "
                    "libvirtd's remote transports; drop the '+%s' part (e.g. %.*s://...)",
                    text, strchr(scheme, '+') + 1, (int)(strchr(scheme, '+') - scheme), scheme);
        return NULL;
    }
    g_autoptr(esx_uri) uri = g_new0(esx_uri, 1);
    uri->https = TRUE;
    if (g_strcmp0(scheme, "esx") == 0)
        uri->product = ESX_PRODUCT_ESX;
    else if (g_strcmp0(scheme, "gsx") == 0)
        uri->product = ESX_PRODUCT_GSX;
    else if (g_strcmp0(scheme, "vpx") == 0)
        uri->product = ESX_PRODUCT_VPX;
    else {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s': scheme must be esx://, gsx:// or vpx://", text);
        return NULL;
    }
    uri->scheme = g_steal_pointer(&scheme);

    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) parsed = g_uri_parse(text, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS | G_URI_FLAGS_HAS_PASSWORD, &gerr);
    if (parsed == NULL) {
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s' is malformed: %s", text, gerr->message);
        return NULL;
    }
    const char *host = g_uri_get_host(parsed);
    if (host == NULL || *host == '\0') {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s' names no server: use %s://hostname/", text, uri->scheme);
        return NULL;
    }
    uri->host = g_strdup(host);
    if (g_uri_get_user(parsed) != NULL && *g_uri_get_user(parsed) != '\0')
        uri->user = g_strdup(g_uri_get_user(parsed));
    if (g_uri_get_password(parsed) != NULL) {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI for %s contains a password: remove it and put it in the auth file or answer the prompt",
                    uri->host);
        return NULL;
    }

    const char *query = g_uri_get_query(parsed);
    if (query != NULL && *query != '\0') {
        g_auto(GStrv) pairs = g_strsplit(query, "&", -1);
        for (char **p = pairs; *p != NULL; p++) {
            if (**p == '\0')
                continue;
            char *eq = strchr(*p, '=');
            g_autofree char *name = g_uri_unescape_segment(*p, eq, NULL);
            g_autofree char *value = eq ? g_uri_unescape_string(eq + 1, NULL) : NULL;
            if (name == NULL || (eq != NULL && value == NULL)) {
                g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': malformed query parameter '%s'", text, *p);
                return NULL;
            }
            if (!apply_param(uri, text, name, value, error))
                return NULL;
        }
    }

    int port = g_uri_get_port(parsed);
    if (port > 0)
        uri->port = port;
    else if (uri->product == ESX_PRODUCT_GSX)
        uri->port = uri->https ? 8333 : 8222;
    else
        uri->port = uri->https ? 443 : 80;

    g_autofree char *path = g_uri_unescape_string(g_uri_get_path(parsed), NULL);
    if (path == NULL) {
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': malformed path", text);
        return NULL;
    }
    g_strstrip(path);
    const char *p = path;
    while (*p == '/')
        p++;
    g_autofree char *trimmed = g_strdup(p);
    gsize len = strlen(trimmed);
    while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
    if (uri->product == ESX_PRODUCT_VPX) {
        if (len == 0 || strchr(trimmed, '/') == NULL) {
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s': a vpx:// URI needs the path [folder/...]datacenter/[folder/...][cluster/]host "
                        "selecting one ESX host, e.g. vpx://%s/dc1/cluster1/esx1.example.com",
                        text, uri->host);
            return NULL;
        }
        if (strstr(trimmed, "//") != NULL) {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': empty element in path '%s'", text, trimmed);
            return NULL;
        }
        uri->path = g_steal_pointer(&trimmed);
    } else if (len != 0) {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s': an %s:// URI takes no path ('%s'); paths select a host only in vpx:// URIs",
                    text, uri->scheme, trimmed);
        return NULL;
    }
    return g_steal_pointer(&uri);
}

static char *
host_for_url(const char *host)
{
    return strchr(host, ':') != NULL ? g_strdup_printf("[%s]", host) : g_strdup(host);
}

char *
esx_uri_sdk_url_for(const esx_uri *uri, const char *host)
{
    g_autofree char *h = host_for_url(host);
    return g_strdup_printf("%s://%s:%d/sdk", uri->https ? "https" : "http", h, uri->port);
}

char *
esx_uri_sdk_url(const esx_uri *uri)
{
    return esx_uri_sdk_url_for(uri, uri->host);
}

char *
esx_uri_format(const esx_uri *uri)
{
    GString *s = g_string_new(uri->scheme);
    g_string_append(s, "://");
    if (uri->user != NULL) {
        g_string_append_uri_escaped(s, uri->user, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS, FALSE);
        g_string_append_c(s, '@');
    }
    g_autofree char *h = host_for_url(uri->host);
    g_string_append_printf(s, "%s:%d/", h, uri->port);
    if (uri->path != NULL)
        g_string_append_uri_escaped(s, uri->path, "/", FALSE);
    char sep = '?';
#define ADD(name, val) do { g_string_append_printf(s, "%c%s=", sep, name); \
        g_string_append_uri_escaped(s, val, NULL, FALSE); sep = '&'; } while (0)
    if (!uri->https)
        ADD("transport", "http");
    if (uri->vcenter)
        ADD("vcenter", uri->vcenter);
    if (uri->no_verify)
        ADD("no_verify", "1");
    if (uri->auto_answer)
        ADD("auto_answer", "1");
    if (uri->proxy)
        ADD("proxy", uri->proxy);
    if (uri->ca_file)
        ADD("ca_file", uri->ca_file);
#undef ADD
    return g_string_free(s, FALSE);
}
