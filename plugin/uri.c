/* uri.c — esx:// gsx:// vpx:// URIs, with every query parameter of
 * libvirt's ESX driver (transport, vcenter, no_verify, auto_answer, proxy)
 * plus ca_file and the three timeouts; a parameter given twice is refused; and esx_uri_redact(), through which every
 * message that quotes a URI passes it. */
#include "esx-uri.h"

#include <string.h>

G_DEFINE_QUARK(esx - uri - error - quark, esx_uri_error)

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

/* ---- passwords out of quoted text ----------------------------------------
 * The text is any text (a URI that failed to parse, a query value, a
 * message), so nothing here relies on it being well formed: where it cannot
 * tell a password from something else, it drops more rather than less. */

/* The length of character `c` at `p`: 1 as itself, 3 as its %XX escape when
 * `encoded` (inside a query value); 0 when `p` holds something else. */
static gsize
char_at(const char *p, char c, gboolean encoded)
{
    if (*p == c)
        return 1;
    if (encoded && p[0] == '%' && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2]) &&
        g_ascii_xdigit_value(p[1]) * 16 + g_ascii_xdigit_value(p[2]) == (guchar)c)
        return 3;
    return 0;
}

/* The length of a "://" at `p`, any of its characters %-encoded (a URI in a
 * query value, e.g. proxy=http%3A%2F%2F...); 0 if there is none. */
static gsize
separator_at(const char *p, gboolean *encoded)
{
    gsize a = char_at(p, ':', TRUE);
    gsize b = a ? char_at(p + a, '/', TRUE) : 0;
    gsize c = b ? char_at(p + a + b, '/', TRUE) : 0;
    if (c == 0)
        return 0;
    *encoded = a + b + c > 3;
    return a + b + c;
}

/* Whether the word (the URI, in a message) that holds `p` ends there. */
static gboolean
word_ends(const char *p, gboolean encoded)
{
    guchar ch = (guchar)*p;
    return ch <= ' ' || ch == 0x7f || strchr("'\"<>", ch) != NULL || (encoded && ch == '&');
}

/* Whether the authority (userinfo@host:port) that holds `p` ends there. */
static gboolean
authority_ends(const char *p, gboolean encoded)
{
    if (word_ends(p, encoded) || strchr("/?#", *p) != NULL)
        return TRUE;
    return encoded && (char_at(p, '/', TRUE) == 3 || char_at(p, '?', TRUE) == 3 || char_at(p, '#', TRUE) == 3);
}

/* Finds the password of the authority that starts at `auth`: the text from
 * the first ':' to the last '@' that follows it before the end of the line,
 * the next parameter (in a query value) or the next URI — so that a password
 * holding '@', ':', '/', '?', '#' or a space is dropped whole. A ':' followed
 * by a port number ends the search (no password); one followed by something
 * else but no '@' may be a password typed without "@host" and is dropped up
 * to the end of the word. Returns FALSE when there is nothing to drop; else
 * sets [*from, *to) and *has_at (whether an '@' ends it). */
static gboolean
find_password(const char *auth, gboolean encoded, const char **from, const char **to, gboolean *has_at)
{
    const char *colon = NULL, *p = auth;
    gsize n = 0;
    while (!authority_ends(p, encoded)) {
        if ((n = char_at(p, ':', encoded)) > 0) {
            colon = p;
            break;
        }
        /* an IPv6 literal "[::1]" at the start of the host */
        if (*p == '[' && (p == auth || p[-1] == '@')) {
            const char *q = p + 1;
            while (*q != ']' && !authority_ends(q, encoded))
                q++;
            if (*q == ']') {
                p = q + 1;
                continue;
            }
        }
        p++;
    }
    if (colon == NULL)
        return FALSE;
    const char *after = colon + n, *end = after;
    gboolean port = TRUE;
    for (; !authority_ends(end, encoded); end++)
        port = port && g_ascii_isdigit(*end);
    if (port)
        return FALSE;
    const char *at = NULL;
    gboolean enc2;
    for (const char *q = after; *q != '\0' && *q != '\n' && !(encoded && *q == '&') && !separator_at(q, &enc2);) {
        gsize k = char_at(q, '@', encoded);
        if (k > 0)
            at = q;
        q += k > 0 ? k : 1;
    }
    if (at == NULL) {
        while (!word_ends(end, encoded))
            end++;
    }
    *from = colon;
    *to = at != NULL ? at : end;
    *has_at = at != NULL;
    return TRUE;
}

/* A query value starts at `p` (just after '='), unless a URI does: that one's
 * "://" is found where it stands. */
static gboolean
value_starts(const char *p)
{
    gboolean enc;
    while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return separator_at(p, &enc) == 0;
}

/* Appends `text` with every control character (C0, DEL, C1), Unicode format
 * character (such as the bidirectional overrides) and byte that is not UTF-8
 * written as an escape, so quoted input cannot rewrite a terminal. */
static void
append_escaped(GString *out, const char *text)
{
    for (const char *p = text; *p != '\0';) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_printf(out, "\\x%02X", (guchar)*p++);
            continue;
        }
        const char *next = g_utf8_next_char(p);
        GUnicodeType type = g_unichar_type(c);
        if (c == '\n')
            g_string_append(out, "\\n");
        else if (c == '\t')
            g_string_append(out, "\\t");
        else if (c < 0x80 && (c < 0x20 || c == 0x7f))
            g_string_append_printf(out, "\\x%02X", c);
        else if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT || type == G_UNICODE_LINE_SEPARATOR ||
                 type == G_UNICODE_PARAGRAPH_SEPARATOR)
            g_string_append_printf(out, c > 0xffff ? "\\U%08X" : "\\u%04X", c);
        else
            g_string_append_len(out, p, next - p);
        p = next;
    }
}

char *
esx_escape_text(const char *text)
{
    GString *out = g_string_new(NULL);
    append_escaped(out, text != NULL ? text : "");
    return g_string_free(out, FALSE);
}

char *
esx_uri_redact(const char *text)
{
    if (text == NULL)
        return g_strdup("");
    GString *kept = g_string_sized_new(strlen(text));
    const char *p = text;
    while (*p != '\0') {
        gboolean encoded = TRUE;
        gsize n = separator_at(p, &encoded);
        if (n == 0 && *p == '=' && value_starts(p + 1))
            n = 1;
        g_string_append_len(kept, p, n > 0 ? n : 1);
        p += n > 0 ? n : 1;
        const char *from, *to;
        gboolean has_at;
        if (n > 0 && find_password(p, encoded, &from, &to, &has_at)) {
            g_string_append_len(kept, p, from - p);
            p = to;
        }
    }
    GString *out = g_string_sized_new(kept->len);
    append_escaped(out, kept->str);
    g_string_free(kept, TRUE);
    return g_string_free(out, FALSE);
}

/* What a message says of a query parameter: its name and value, redacted. */
typedef struct {
    const char *uri; /* the whole URI, redacted */
    const char *name;
    const char *value; /* "" when the parameter has no value */
} quoted_param;

static gboolean
parse_bool01(const quoted_param *q, const char *value, gboolean *out, GError **error)
{
    if (g_strcmp0(value, "0") == 0 || g_strcmp0(value, "1") == 0) {
        *out = value[0] == '1';
        return TRUE;
    }
    g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': query parameter '%s' must be 0 or 1, not '%s'", q->uri, q->name,
                q->value);
    return FALSE;
}

/* The longest timeout a URI may set: a day. */
#define MAX_TIMEOUT_S 86400

static gboolean
parse_seconds(const quoted_param *q, const char *value, guint *out, GError **error)
{
    guint64 n;
    if (value != NULL && g_ascii_isdigit(*value) && g_ascii_string_to_unsigned(value, 10, 1, MAX_TIMEOUT_S, &n, NULL)) {
        *out = (guint)n;
        return TRUE;
    }
    g_set_error(error, ESX_URI_ERROR, 0,
                "URI '%s': query parameter '%s' must be a number of seconds from 1 to %d, not '%s'", q->uri, q->name,
                MAX_TIMEOUT_S, q->value);
    return FALSE;
}

static gboolean
apply_param(esx_uri *uri, const char *name, const char *value, const quoted_param *q, GError **error)
{
    if (g_ascii_strcasecmp(name, "transport") == 0) {
        if (g_strcmp0(value, "https") == 0 || g_strcmp0(value, "http") == 0) {
            uri->https = value[4] == 's';
            return TRUE;
        }
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': transport must be 'http' or 'https', not '%s'", q->uri,
                    q->value);
        return FALSE;
    }
    if (g_ascii_strcasecmp(name, "vcenter") == 0) {
        if (uri->product == ESX_PRODUCT_VPX) {
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s': the vcenter parameter is for esx:// URIs; a vpx:// URI already names the vCenter",
                        q->uri);
            return FALSE;
        }
        if (value == NULL || *value == '\0') {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': vcenter needs a host name or '*'", q->uri);
            return FALSE;
        }
        g_free(uri->vcenter);
        uri->vcenter = g_strdup(value);
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "no_verify") == 0)
        return parse_bool01(q, value, &uri->no_verify, error);
    if (g_ascii_strcasecmp(name, "auto_answer") == 0)
        return parse_bool01(q, value, &uri->auto_answer, error);
    if (g_ascii_strcasecmp(name, "proxy") == 0) {
        /* the syntax ([type://]host[:port]) is checked by vi/ when the
         * transport is set up, with an error naming the proxy: one with
         * credentials never gets that far, as the error would show them */
        if (value == NULL || *value == '\0') {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': proxy needs a value", q->uri);
            return FALSE;
        }
        if (strchr(value, '@') != NULL) {
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s': the proxy parameter holds an '@' (a user name or password, not shown here): "
                        "give the proxy as [type://]host[:port]; the driver does not log in to proxies",
                        q->uri);
            return FALSE;
        }
        g_free(uri->proxy);
        uri->proxy = g_strdup(value);
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "ca_file") == 0) {
        if (value == NULL || *value == '\0') {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': ca_file needs a file name", q->uri);
            return FALSE;
        }
        g_free(uri->ca_file);
        uri->ca_file = g_strdup(value);
        return TRUE;
    }
    if (g_ascii_strcasecmp(name, "connect_timeout") == 0)
        return parse_seconds(q, value, &uri->connect_timeout_s, error);
    if (g_ascii_strcasecmp(name, "stall_timeout") == 0)
        return parse_seconds(q, value, &uri->stall_timeout_s, error);
    if (g_ascii_strcasecmp(name, "request_timeout") == 0)
        return parse_seconds(q, value, &uri->request_timeout_s, error);
    g_set_error(error, ESX_URI_ERROR, 0,
                "URI '%s': unknown query parameter '%s' (known: transport, vcenter, no_verify, auto_answer, "
                "proxy, ca_file, connect_timeout, stall_timeout, request_timeout)",
                q->uri, q->name);
    return FALSE;
}

static gboolean
apply_query(esx_uri *uri, const char *query, const char *shown, GError **error)
{
    g_auto(GStrv) pairs = g_strsplit(query, "&", -1);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (char **p = pairs; *p != NULL; p++) {
        if (**p == '\0')
            continue;
        char *eq = strchr(*p, '=');
        g_autofree char *name = g_uri_unescape_segment(*p, eq, NULL);
        g_autofree char *value = eq ? g_uri_unescape_string(eq + 1, NULL) : NULL;
        if (name == NULL || (eq != NULL && value == NULL)) {
            g_autofree char *pair = esx_uri_redact(*p);
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': malformed query parameter '%s'", shown, pair);
            return FALSE;
        }
        g_autofree char *name_shown = esx_uri_redact(name);
        g_autofree char *value_shown = esx_uri_redact(value);
        quoted_param q = { shown, name_shown, value_shown };
        /* a repeat would silently change the meaning: no_verify=0&no_verify=1 */
        if (!g_hash_table_add(seen, g_ascii_strdown(name, -1))) {
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': query parameter '%s' is given more than once; give it once",
                        shown, name_shown);
            return FALSE;
        }
        if (!apply_param(uri, name, value, &q, error))
            return FALSE;
    }
    return TRUE;
}

/* A scheme as RFC 3986 spells one; anything else before "://" is not quoted,
 * since it may be a "user:password@host" with no scheme in front. */
static gboolean
is_scheme(const char *text, gsize len)
{
    if (len == 0 || !g_ascii_isalpha(text[0]))
        return FALSE;
    for (gsize i = 1; i < len; i++) {
        if (!g_ascii_isalnum(text[i]) && strchr("+-.", text[i]) == NULL)
            return FALSE;
    }
    return TRUE;
}

esx_uri *
esx_uri_parse(const char *text, GError **error)
{
    if (text == NULL || *text == '\0') {
        g_set_error(error, ESX_URI_ERROR, 0, "no connection URI given: use e.g. esx://root@esx1.example.com/");
        return NULL;
    }
    const char *sep = strstr(text, "://");
    if (sep == NULL || !is_scheme(text, sep - text)) {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "the connection URI does not start with a scheme and '://' (not quoted here, in case it holds "
                    "a password): it must start with esx://, gsx:// or vpx://, e.g. esx://root@esx1.example.com/");
        return NULL;
    }
    g_autofree char *shown = esx_uri_redact(text);
    g_autofree char *scheme = g_ascii_strdown(text, sep - text);
    if (strchr(scheme, '+') != NULL) {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s': the ESX driver connects to the server directly over HTTP(S) and does not use "
                    "libvirtd's remote transports; drop the '+%s' part (e.g. %.*s://...)",
                    shown, strchr(scheme, '+') + 1, (int)(strchr(scheme, '+') - scheme), scheme);
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
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': scheme must be esx://, gsx:// or vpx://", shown);
        return NULL;
    }
    uri->scheme = g_steal_pointer(&scheme);

    /* Before GLib parses it: its messages quote parts of the URI (a password
     * before a '/' becomes "port 'secret'"). */
    const char *from, *to;
    gboolean has_at;
    if (find_password(sep + 3, FALSE, &from, &to, &has_at)) {
        if (has_at)
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s' contains a password (not shown here): remove it from the URI and put it in the "
                        "auth file, or answer the prompt",
                        shown);
        else
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s' is malformed: what follows the ':' after the host name is not a port number (not "
                        "shown here, in case it is a password); write %s://[user@]host[:port]/",
                        shown, uri->scheme);
        return NULL;
    }
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) parsed =
        g_uri_parse(text, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS | G_URI_FLAGS_HAS_PASSWORD, &gerr);
    if (parsed == NULL) {
        g_autofree char *why = esx_uri_redact(gerr->message);
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s' is malformed: %s", shown, why);
        return NULL;
    }
    if (g_uri_get_password(parsed) != NULL) {
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s' contains a password (not shown here): remove it from the URI and put it in the "
                    "auth file, or answer the prompt",
                    shown);
        return NULL;
    }
    const char *host = g_uri_get_host(parsed);
    if (host == NULL || *host == '\0') {
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s' names no server: use %s://hostname/", shown, uri->scheme);
        return NULL;
    }
    for (const char *c = host; *c != '\0'; c++) {
        if ((guchar)*c <= ' ' || *c == 0x7f) {
            g_set_error(error, ESX_URI_ERROR, 0,
                        "URI '%s': the host name holds a space or control character; give a host name or IP "
                        "address",
                        shown);
            return NULL;
        }
    }
    uri->host = g_strdup(host);
    if (g_uri_get_user(parsed) != NULL && *g_uri_get_user(parsed) != '\0')
        uri->user = g_strdup(g_uri_get_user(parsed));

    const char *query = g_uri_get_query(parsed);
    if (query != NULL && *query != '\0' && !apply_query(uri, query, shown, error))
        return NULL;

    int port = g_uri_get_port(parsed);
    if (port > 0)
        uri->port = port;
    else if (uri->product == ESX_PRODUCT_GSX)
        uri->port = uri->https ? 8333 : 8222;
    else
        uri->port = uri->https ? 443 : 80;

    g_autofree char *path = g_uri_unescape_string(g_uri_get_path(parsed), NULL);
    if (path == NULL) {
        g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': malformed path", shown);
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
                        shown, uri->host);
            return NULL;
        }
        if (strstr(trimmed, "//") != NULL) {
            g_autofree char *path_shown = esx_uri_redact(trimmed);
            g_set_error(error, ESX_URI_ERROR, 0, "URI '%s': empty element in path '%s'", shown, path_shown);
            return NULL;
        }
        uri->path = g_steal_pointer(&trimmed);
    } else if (len != 0) {
        g_autofree char *path_shown = esx_uri_redact(trimmed);
        g_set_error(error, ESX_URI_ERROR, 0,
                    "URI '%s': an %s:// URI takes no path ('%s'); paths select a host only in vpx:// URIs", shown,
                    uri->scheme, path_shown);
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
#define ADD(name, val)                                    \
    do {                                                  \
        g_string_append_printf(s, "%c%s=", sep, name);    \
        g_string_append_uri_escaped(s, val, NULL, FALSE); \
        sep = '&';                                        \
    } while (0)
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
    const struct {
        const char *name;
        guint seconds;
    } timeouts[] = { { "connect_timeout", uri->connect_timeout_s },
                     { "stall_timeout", uri->stall_timeout_s },
                     { "request_timeout", uri->request_timeout_s } };
    for (gsize i = 0; i < G_N_ELEMENTS(timeouts); i++) {
        if (timeouts[i].seconds) {
            g_autofree char *n = g_strdup_printf("%u", timeouts[i].seconds);
            ADD(timeouts[i].name, n);
        }
    }
#undef ADD
    return g_string_free(s, FALSE);
}
