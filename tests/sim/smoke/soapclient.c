#include "soapclient.h"

#include <curl/curl.h>
#include <string.h>

static size_t
collect(char *data, size_t size, size_t nmemb, void *userdata)
{
    g_string_append_len(userdata, data, (gssize)(size * nmemb));
    return size * nmemb;
}

static size_t
header_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
    char **cookie = userdata;
    size_t len = size * nmemb;
    g_autofree char *line = g_strndup(data, len);
    static const char prefix[] = "set-cookie: vmware_soap_session=";
    if (g_ascii_strncasecmp(line, prefix, sizeof prefix - 1) == 0) {
        char *end = strchr(line + sizeof prefix - 1, ';');
        if (end)
            *end = '\0';
        g_strchomp(line);
        g_free(*cookie);
        *cookie = g_strdup(line + strlen("set-cookie: "));
    }
    return len;
}

char *
soap_post(sim_instance *sim, const char *cookie, const char *body_xml, long *status, char **cookie_out, GError **error)
{
    g_autofree char *envelope =
        g_strdup_printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                        "<soapenv:Body>%s</soapenv:Body></soapenv:Envelope>",
                        body_xml);
    g_autoptr(GString) response = g_string_new(NULL);
    char *set_cookie = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";

    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
    headers = curl_slist_append(headers, "SOAPAction: \"urn:vim25/6.5\"");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, sim->url);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, envelope);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, response);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &set_cookie);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (cookie)
        curl_easy_setopt(curl, CURLOPT_COOKIE, cookie);
    if (sim->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, sim->ca_file);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    if (rc != CURLE_OK) {
        g_free(set_cookie);
        g_set_error(error, SIM_ERROR, SIM_ERROR_HTTP, "POST %s: %s", sim->url,
                    errbuf[0] ? errbuf : curl_easy_strerror(rc));
        return NULL;
    }
    if (cookie_out)
        *cookie_out = set_cookie;
    else
        g_free(set_cookie);
    return g_string_free(g_steal_pointer(&response), FALSE);
}

char *
soap_ok(sim_instance *sim, const char *cookie, const char *body_xml)
{
    g_autoptr(GError) error = NULL;
    long status = 0;
    char *res = soap_post(sim, cookie, body_xml, &status, NULL, &error);
    g_assert_no_error(error);
    if (status != 200)
        g_error("expected HTTP 200 for %s, got %ld: %s", body_xml, status, res);
    return res;
}

char *
soap_fault(sim_instance *sim, const char *cookie, const char *body_xml, const char *fault)
{
    g_autoptr(GError) error = NULL;
    long status = 0;
    char *res = soap_post(sim, cookie, body_xml, &status, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpint(status, ==, 500);
    g_autofree char *type = g_strdup_printf("xsi:type=\"%s\"", fault);
    if (!strstr(res, type))
        g_error("expected fault %s for %s, got: %s", fault, body_xml, res);
    return res;
}

char *
soap_login(sim_instance *sim)
{
    g_autofree char *content =
        soap_ok(sim, NULL,
                "<RetrieveServiceContent xmlns=\"urn:vim25\">"
                "<_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent>");
    g_autofree char *sm = extract_between(content, "<sessionManager type=\"SessionManager\">", "</sessionManager>");
    g_assert_nonnull(sm);

    g_autofree char *login =
        g_markup_printf_escaped("<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">%s</_this>"
                                "<userName>%s</userName><password>%s</password></Login>",
                                sm, sim->username, sim->password);
    g_autoptr(GError) error = NULL;
    long status = 0;
    char *cookie = NULL;
    g_autofree char *res = soap_post(sim, NULL, login, &status, &cookie, &error);
    g_assert_no_error(error);
    g_assert_cmpint(status, ==, 200);
    g_assert_nonnull(strstr(res, "LoginResponse"));
    g_assert_nonnull(cookie);
    return cookie;
}

int
count_substr(const char *haystack, const char *needle)
{
    int n = 0;
    size_t len = strlen(needle);
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

char *
extract_between(const char *haystack, const char *open, const char *close)
{
    const char *start = strstr(haystack, open);
    if (!start)
        return NULL;
    start += strlen(open);
    const char *end = strstr(start, close);
    return end ? g_strndup(start, (gsize)(end - start)) : NULL;
}

static char *
root_folder(sim_instance *sim)
{
    g_autofree char *content =
        soap_ok(sim, NULL,
                "<RetrieveServiceContent xmlns=\"urn:vim25\">"
                "<_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent>");
    char *root = extract_between(content, "<rootFolder type=\"Folder\">", "</rootFolder>");
    g_assert_nonnull(root);
    return root;
}

char *
create_container_view(sim_instance *sim, const char *cookie, const char *type)
{
    g_autofree char *root = root_folder(sim);
    g_autofree char *body =
        g_strdup_printf("<CreateContainerView xmlns=\"urn:vim25\"><_this type=\"ViewManager\">ViewManager</_this>"
                        "<container type=\"Folder\">%s</container><type>%s</type><recursive>true</recursive>"
                        "</CreateContainerView>",
                        root, type);
    g_autofree char *res = soap_ok(sim, cookie, body);
    char *view = extract_between(res, "<returnval type=\"ContainerView\">", "</returnval>");
    g_assert_nonnull(view);
    return view;
}

const char *
property_collector(sim_instance *sim)
{
    return g_strcmp0(sim->model, "vc") == 0 ? "propertyCollector" : "ha-property-collector";
}

char *
retrieve_ex_body(sim_instance *sim, const char *view, const char *type, const char *path, int max_objects)
{
    g_autofree char *options = max_objects > 0
                                   ? g_strdup_printf("<options><maxObjects>%d</maxObjects></options>", max_objects)
                                   : g_strdup("<options></options>");
    return g_strdup_printf("<RetrievePropertiesEx xmlns=\"urn:vim25\">"
                           "<_this type=\"PropertyCollector\">%s</_this>"
                           "<specSet><propSet><type>%s</type><pathSet>%s</pathSet></propSet>"
                           "<objectSet><obj type=\"ContainerView\">%s</obj><skip>true</skip>"
                           "<selectSet xsi:type=\"TraversalSpec\"><type>ContainerView</type><path>view</path>"
                           "<skip>false</skip></selectSet></objectSet></specSet>%s</RetrievePropertiesEx>",
                           property_collector(sim), type, path, view, options);
}

char *
find_object(sim_instance *sim, const char *cookie, const char *type, const char *name)
{
    g_autofree char *view = create_container_view(sim, cookie, type);
    g_autofree char *body = retrieve_ex_body(sim, view, type, "name", 0);
    g_autofree char *res = soap_ok(sim, cookie, body);
    /* vcsim writes xsi:type with its own prefix: match the value only. */
    g_autofree char *needle = g_strdup_printf("\">%s</val>", name);
    const char *hit = strstr(res, needle);
    g_assert_nonnull(hit);
    /* The object's <obj> precedes its propSet within the same <objects>. */
    g_autofree char *open = g_strdup_printf("<obj type=\"%s\">", type);
    const char *obj = g_strrstr_len(res, hit - res, open);
    g_assert_nonnull(obj);
    return extract_between(obj, open, "</obj>");
}

char *
find_vm(sim_instance *sim, const char *cookie, const char *name)
{
    return find_object(sim, cookie, "VirtualMachine", name);
}

char *
get_property(sim_instance *sim, const char *cookie, const char *type, const char *moref, const char *path)
{
    g_autofree char *body = g_strdup_printf("<RetrievePropertiesEx xmlns=\"urn:vim25\">"
                                            "<_this type=\"PropertyCollector\">%s</_this>"
                                            "<specSet><propSet><type>%s</type><pathSet>%s</pathSet></propSet>"
                                            "<objectSet><obj type=\"%s\">%s</obj></objectSet></specSet>"
                                            "<options></options></RetrievePropertiesEx>",
                                            property_collector(sim), type, path, type, moref);
    g_autofree char *res = soap_ok(sim, cookie, body);
    const char *val = strstr(res, "<val");
    if (!val)
        return NULL;
    val = strchr(val, '>');
    g_assert_nonnull(val);
    const char *end = g_strrstr(val, "</val>");
    g_assert_nonnull(end);
    return g_strndup(val + 1, (gsize)(end - val - 1));
}

gboolean
wait_property(sim_instance *sim, const char *cookie, const char *type, const char *moref, const char *path,
              const char *want, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    g_autofree char *last = NULL;
    do {
        g_free(last);
        last = get_property(sim, cookie, type, moref, path);
        if (g_strcmp0(last, want) == 0)
            return TRUE;
        g_usleep(50 * 1000);
    } while (g_get_monotonic_time() < deadline);
    g_printerr("%s %s: %s is still '%s' after %d ms, not '%s'\n", type, moref, path, last ? last : "(none)", timeout_ms,
               want);
    return FALSE;
}

char *
control_ok(sim_instance *sim, const char *method, const char *path, const char *body)
{
    g_autoptr(GError) error = NULL;
    char *res = NULL;
    gboolean ok = sim_control(sim, method, path, body, &res, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    return res;
}
