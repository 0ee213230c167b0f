/* SOAP envelopes: building a request, decoding a response or a fault. */
#include <string.h>

#include "vi/vi-private.h"

GString *
vi_soap_request(const char *method, const vi_moref *this_, const vi_value *args, GError **error)
{
    GString *out = g_string_sized_new(512);
    g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                         "<soapenv:Envelope"
                         " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                         " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
                         " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                         "<soapenv:Body><");
    g_string_append(out, method);
    g_string_append(out, " xmlns=\"urn:vim25\">");
    if (this_) {
        g_string_append(out, "<_this type=\"");
        vi_xml_escape(out, this_->type);
        g_string_append(out, "\">");
        vi_xml_escape(out, this_->value);
        g_string_append(out, "</_this>");
    }
    if (!vi_types_serialize_params(out, method, args, error)) {
        g_prefix_error(error, "Cannot build the %s request: ", method);
        g_string_free(out, TRUE);
        return NULL;
    }
    g_string_append(out, "</");
    g_string_append(out, method);
    g_string_append(out, "></soapenv:Body></soapenv:Envelope>");
    return out;
}

/* The fault type: the xsi:type of the detail's element, else its element
 * name without the "Fault" suffix ("InvalidLoginFault" -> "InvalidLogin"). */
static char *
fault_type_name(const vi_value *detail)
{
    const vi_value *d = vi_value_child_at(detail, 0);
    if (!d)
        return NULL;
    if (vi_value_type(d))
        return g_strdup(vi_value_type(d));
    const char *n = vi_value_name(d);
    if (g_str_has_suffix(n, "Fault"))
        return g_strndup(n, strlen(n) - 5);
    return g_strdup(n);
}

/* Short, human explanations for the faults users meet most. */
static const char *
fault_hint(const char *name)
{
    static const struct {
        const char *name, *hint;
    } hints[] = {
        { "InvalidLogin", "incorrect user name or password" },
        { "NotAuthenticated", "the session is not logged in or has expired" },
        { "NoPermission", "the user lacks the privilege for this operation" },
        { "ManagedObjectNotFound", "the object no longer exists on the server" },
        { "InvalidState", "the object is not in a state that allows this operation" },
        { "InvalidPowerState", "the virtual machine's power state does not allow this" },
        { "RequestCanceled", "the operation was cancelled" },
        { "TaskInProgress", "another task is running on this object" },
    };
    for (gsize i = 0; name && i < G_N_ELEMENTS(hints); i++)
        if (strcmp(hints[i].name, name) == 0)
            return hints[i].hint;
    return NULL;
}

/* TEXT cut to at most MAX bytes at a character boundary, "..." marking the
 * cut: a server's fault string can be any length, and the ABI's messages
 * end at 1024 bytes, so quoted text must leave room for the fault name and
 * the hint after it. The whole string stays in vi_error_fault_message(). */
static char *
shorten(const char *text, gsize max)
{
    if (text == NULL || strlen(text) <= max)
        return g_strdup(text);
    const char *end = text + max;
    while (end > text && ((guchar)*end & 0xC0) == 0x80)
        end--;
    return g_strdup_printf("%.*s...", (int)(end - text), text);
}

#define FAULT_TEXT_MAX 400
#define FAULT_NAME_MAX 100

static void
set_fault_error(GError **error, const char *method, const vi_value *fault, const char *endpoint)
{
    const char *msg = vi_value_get_string(fault, "faultstring");
    g_autofree char *name = fault_type_name(vi_value_child(fault, "detail"));
    if (!name) {
        /* no detail: fall back to the faultcode ("ServerFaultCode") */
        const char *code = vi_value_get_string(fault, "faultcode");
        name = g_strdup(code ? (strrchr(code, ':') ? strrchr(code, ':') + 1 : code) : "Fault");
    }
    const char *hint = fault_hint(name);
    int code = strcmp(name, "NotAuthenticated") == 0 ? VI_ERROR_NOT_AUTHENTICATED : VI_ERROR_FAULT;
    g_autofree char *short_msg = shorten(msg, FAULT_TEXT_MAX);
    g_autofree char *short_name = shorten(name, FAULT_NAME_MAX);
    vi_set_error_full(error, code, method, name, msg, "%s on %s failed: %s%s%s (%s)", method, endpoint,
                      msg && *msg ? short_msg : (hint ? hint : "no message"), msg && *msg && hint ? "; " : "",
                      msg && *msg && hint ? hint : "", short_name);
    if (error)
        vi_error_set_detail(*error, vi_value_child_at(vi_value_child(fault, "detail"), 0));
}

vi_value *
vi_soap_response(const char *method, const char *body, gsize len, long http_status, const char *endpoint,
                 gsize max_tree, GError **error)
{
    g_autoptr(GError) perr = NULL;
    g_autoptr(vi_value) env = vi_xml_parse(body, len, max_tree, &perr);
    if (g_error_matches(perr, VI_ERROR, VI_ERROR_TOO_LARGE)) {
        vi_set_error_full(error, VI_ERROR_TOO_LARGE, method, NULL, NULL, "Response to %s from %s is refused: %s",
                          method, endpoint, perr->message);
        return NULL;
    }
    const vi_value *b = env && strcmp(vi_value_name(env), "Envelope") == 0 ? vi_value_child(env, "Body") : NULL;
    if (!b) {
        if (http_status != 200) {
            const char *why = http_status == 404 ? " (check the URL path; vSphere serves /sdk)"
                              : http_status == 503
                                  ? " (service unavailable, no SOAP answer: the server or a proxy in front of it is "
                                    "overloaded or restarting; try again later)"
                              : http_status >= 500 ? " (no SOAP answer: the server or a proxy in front of it failed)"
                                                   : "";
            vi_set_error_full(error, VI_ERROR_HTTP, method, NULL, NULL, "%s on %s failed: HTTP status %ld%s", method,
                              endpoint, http_status, why);
        } else {
            vi_set_error_full(error, VI_ERROR_PARSE, method, NULL, NULL, "%s on %s returned no SOAP envelope: %s",
                              method, endpoint, perr ? perr->message : "Envelope/Body missing");
        }
        return NULL;
    }
    const vi_value *first = vi_value_child_at(b, 0);
    if (first && strcmp(vi_value_name(first), "Fault") == 0) {
        set_fault_error(error, method, first, endpoint);
        return NULL;
    }
    if (http_status != 200 || !first) {
        vi_set_error_full(error, http_status != 200 ? VI_ERROR_HTTP : VI_ERROR_PARSE, method, NULL, NULL,
                          "%s on %s failed: HTTP status %ld, %s", method, endpoint, http_status,
                          first ? "unexpected body" : "empty SOAP body");
        return NULL;
    }
    /* detach the response element from the envelope */
    vi_value *body_node = (vi_value *)b;
    return vi_value_steal_child(body_node, 0);
}
