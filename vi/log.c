/* vi/'s log: messages go to the vi_log_func of the connection's options
 * (the ESX driver forwards them to the host's log upcall), never to g_log or
 * stderr. Secrets never reach it: request and response bodies are logged
 * only with vi_conn_options.log_bodies and with the contents of secret
 * elements masked; HTTP headers, where the session cookie travels, are never
 * logged. Control characters (from server text) are escaped, so a message
 * is always one line of valid UTF-8 (error messages too: vi_escape_text()). */
#include <string.h>

#include "vi/vi-private.h"

char *
vi_escape_text(const char *msg)
{
    g_autofree char *valid = g_utf8_make_valid(msg ? msg : "", -1);
    GString *out = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        GUnicodeType type = g_unichar_type(c);
        if (g_unichar_iscntrl(c))
            g_string_append_printf(out, "\\x%02x", (guint)c);
        else if (type == G_UNICODE_FORMAT || type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
            g_string_append_printf(out, c > 0xffff ? "\\U%08x" : "\\u%04x", (guint)c);
        else
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
    }
    return g_string_free(out, FALSE);
}

void
vi_log(const vi_log_sink *sink, vi_log_level level, const char *format, ...)
{
    if (!sink || !sink->func)
        return;
    va_list ap;
    va_start(ap, format);
    g_autofree char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_autofree char *clean = vi_escape_text(msg);
    sink->func(level, clean, sink->user_data);
}

/* Leaf elements whose text is a secret: passwords of any kind (password,
 * newPassword, ...), the session key (Login's returnval.key, which vcsim
 * also uses as the cookie) and SessionIsActive's sessionID. */
static gboolean
is_secret_element(const char *local, gsize len)
{
    g_autofree char *name = g_ascii_strdown(local, len);
    return strcmp(name, "key") == 0 || strcmp(name, "sessionid") == 0 || strstr(name, "password") != NULL;
}

char *
vi_log_redact(const char *body)
{
    GString *out = g_string_new(body);
    gsize from = 0;
    const char *lt;
    while ((lt = strchr(out->str + from, '<')) != NULL) {
        gsize name_at = lt - out->str + 1;
        gsize name_len = strcspn(out->str + name_at, " \t\r\n/>");
        const char *gt = strchr(out->str + name_at, '>');
        if (!gt)
            break;
        gsize content_at = gt - out->str + 1;
        from = content_at;
        const char *qname = out->str + name_at;
        if (!name_len || strchr("/?!", qname[0]) || gt[-1] == '/')
            continue; /* end tag, declaration, comment or empty element */
        const char *colon = memchr(qname, ':', name_len);
        const char *local = colon ? colon + 1 : qname;
        if (!is_secret_element(local, name_len - (local - qname)))
            continue;
        g_autofree char *close = g_strdup_printf("</%.*s>", (int)name_len, qname);
        const char *end = strstr(out->str + content_at, close);
        gsize stop = end ? (gsize)(end - out->str) : out->len;
        if (memchr(out->str + content_at, '<', stop - content_at))
            continue; /* not a leaf (e.g. the ChangePassword method): look inside */
        g_string_erase(out, content_at, stop - content_at);
        g_string_insert(out, content_at, "***");
        from = content_at + 3;
    }
    return g_string_free(out, FALSE);
}
