/* simcontrol.c: the harness side of hvd-sim's JSON control endpoint. */
#include "simharness.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <string.h>

static size_t
collect(char *data, size_t size, size_t nmemb, void *userdata)
{
    g_string_append_len(userdata, data, (gssize)(size * nmemb));
    return size * nmemb;
}

static gpointer
init_curl(gpointer unused)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return NULL;
}

/* METHOD on URL of the simulator (its CA trusted, no proxy) with BODY. */
static gboolean
request(sim_instance *sim, const char *method, const char *url, const char *body, char **response_out, GError **error)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_curl, NULL);

    g_autoptr(GString) response = g_string_new(NULL);
    char curl_error[CURL_ERROR_SIZE] = "";
    CURL *curl = curl_easy_init();
    if (!curl) {
        g_set_error(error, SIM_ERROR, SIM_ERROR_HTTP, "curl_easy_init failed");
        return FALSE;
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_PROXY, ""); /* never an environment proxy */
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, response);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (sim->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, sim->ca_file);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    } else if (g_strcmp0(method, "POST") == 0) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    }

    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    if (rc != CURLE_OK) {
        g_set_error(error, SIM_ERROR, SIM_ERROR_HTTP, "%s %s: %s", method, url,
                    curl_error[0] ? curl_error : curl_easy_strerror(rc));
        return FALSE;
    }
    if (status >= 400) {
        g_strchomp(response->str);
        g_set_error(error, SIM_ERROR, SIM_ERROR_HTTP, "%s %s: HTTP %ld: %s", method, url, status, response->str);
        return FALSE;
    }
    if (response_out)
        *response_out = g_string_free(g_steal_pointer(&response), FALSE);
    return TRUE;
}

gboolean
sim_control(sim_instance *sim, const char *method, const char *path_and_query, const char *body, char **response_out,
            GError **error)
{
    g_autofree char *url = g_strconcat(sim->control_url, path_and_query[0] == '/' ? "" : "/", path_and_query, NULL);
    return request(sim, method, url, body, response_out, error);
}

gboolean
sim_put_file(sim_instance *sim, const char *dc_path, const char *ds, const char *path, const char *text, GError **error)
{
    g_autofree char *base = g_strdup(sim->url);
    char *sdk = g_strrstr(base, "/sdk");
    if (sdk != NULL)
        *sdk = '\0';
    g_autofree char *p = g_uri_escape_string(path, "/", FALSE);
    g_autofree char *dc = g_uri_escape_string(dc_path, NULL, FALSE);
    g_autofree char *d = g_uri_escape_string(ds, NULL, FALSE);
    g_autofree char *url = g_strdup_printf("%s/folder/%s?dcPath=%s&dsName=%s", base, p, dc, d);
    return request(sim, "PUT", url, text, NULL, error);
}

int
sim_call_count(sim_instance *sim, const char *method, GError **error)
{
    g_autofree char *stats = NULL;
    if (!sim_control(sim, "GET", "/stats", NULL, &stats, error))
        return -1;
    json_object *root = json_tokener_parse(stats);
    json_object *calls = NULL, *n = NULL;
    int count = -1;
    if (root != NULL && method == NULL && json_object_object_get_ex(root, "total_calls", &n))
        count = json_object_get_int(n);
    else if (root != NULL && method != NULL && json_object_object_get_ex(root, "calls", &calls))
        count = json_object_object_get_ex(calls, method, &n) ? json_object_get_int(n) : 0;
    if (count < 0)
        g_set_error(error, SIM_ERROR, SIM_ERROR_PROTOCOL, "GET %s/stats: unexpected answer: %.200s", sim->control_url,
                    stats);
    if (root != NULL)
        json_object_put(root);
    return count;
}

char *
sim_vm_field(sim_instance *sim, const char *vm, const char *field, GError **error)
{
    g_autofree char *escaped = g_uri_escape_string(vm, NULL, FALSE);
    g_autofree char *path = g_strdup_printf("/vm?vm=%s", escaped);
    g_autofree char *body = NULL;
    if (!sim_control(sim, "GET", path, NULL, &body, error))
        return NULL;
    json_object *root = json_tokener_parse(body);
    json_object *v = NULL;
    char *out = NULL;
    if (root != NULL && json_object_object_get_ex(root, field, &v) && json_object_get_type(v) == json_type_string)
        out = g_strdup(json_object_get_string(v));
    else
        g_set_error(error, SIM_ERROR, SIM_ERROR_PROTOCOL, "GET %s%s: no string \"%s\" in %.200s", sim->control_url,
                    path, field, body);
    if (root != NULL)
        json_object_put(root);
    return out;
}
