/* Paging: RetrievePropertiesEx honours maxObjects (and --page-size) and
 * hands out tokens; ContinueRetrievePropertiesEx and
 * CancelRetrievePropertiesEx, which vcsim lacks. Raw SOAP via libcurl. */
#include "soapclient.h"

#include <curl/curl.h>
#include <string.h>

#define VM_OBJ "<obj type=\"VirtualMachine\">"

static char *
continue_body(sim_instance *sim, const char *method, const char *token)
{
    return g_strdup_printf("<%s xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">%s</_this>"
                           "<token>%s</token></%s>",
                           method, property_collector(sim), token, method);
}

/* Pages through all VMs' names with @max_objects; returns the page sizes. */
static GArray *
page_through(sim_instance *sim, const char *cookie, int max_objects, GHashTable *names)
{
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(int));
    g_autofree char *view = create_container_view(sim, cookie, "VirtualMachine");
    g_autofree char *body = retrieve_ex_body(sim, view, "VirtualMachine", "name", max_objects);
    char *res = soap_ok(sim, cookie, body);
    g_autofree char *previous = NULL;
    for (;;) {
        int n = count_substr(res, VM_OBJ);
        g_array_append_val(sizes, n);
        for (const char *p = strstr(res, "<name>name</name>"); p; p = strstr(p + 1, "<name>name</name>")) {
            const char *v = strchr(strstr(p, "<val"), '>') + 1;
            g_hash_table_add(names, g_strndup(v, (gsize)(strstr(v, "</val>") - v)));
        }
        g_autofree char *token = extract_between(res, "<token>", "</token>");
        /* WSDL order: the token comes before the objects. */
        if (token)
            g_assert_true(strstr(res, "<token>") < strstr(res, VM_OBJ));
        g_free(res);
        /* each page comes with a new token, as on vSphere; a used one is gone */
        if (previous) {
            g_assert_cmpstr(token, !=, previous);
            g_autofree char *used = continue_body(sim, "ContinueRetrievePropertiesEx", previous);
            g_free(soap_fault(sim, cookie, used, "InvalidArgument"));
        }
        if (!token)
            break;
        g_autofree char *next = continue_body(sim, "ContinueRetrievePropertiesEx", token);
        res = soap_ok(sim, cookie, next);
        g_assert_nonnull(strstr(res, "<ContinueRetrievePropertiesExResponse"));
        g_free(previous);
        previous = g_steal_pointer(&token);
    }
    return sizes;
}

static void
test_pages(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .vms = 25 };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);

    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GArray) sizes = page_through(sim, cookie, 10, names);
    g_assert_cmpuint(sizes->len, ==, 3);
    g_assert_cmpint(g_array_index(sizes, int, 0), ==, 10);
    g_assert_cmpint(g_array_index(sizes, int, 1), ==, 10);
    g_assert_cmpint(g_array_index(sizes, int, 2), ==, 5);
    g_assert_cmpuint(g_hash_table_size(names), ==, 25);
    g_assert_true(g_hash_table_contains(names, "ha-host_VM0"));
    g_assert_true(g_hash_table_contains(names, "ha-host_VM24"));

    /* No maxObjects: one piece, no token. */
    g_autoptr(GHashTable) all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GArray) one = page_through(sim, cookie, 0, all);
    g_assert_cmpuint(one->len, ==, 1);
    g_assert_cmpint(g_array_index(one, int, 0), ==, 25);

    /* maxObjects larger than the result: no token either. */
    g_autoptr(GArray) big = page_through(sim, cookie, 100, all);
    g_assert_cmpuint(big->len, ==, 1);
}

static void
test_cancel_and_bad_token(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .vms = 5 };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);

    g_autofree char *view = create_container_view(sim, cookie, "VirtualMachine");
    g_autofree char *body = retrieve_ex_body(sim, view, "VirtualMachine", "name", 2);
    g_autofree char *res = soap_ok(sim, cookie, body);
    g_autofree char *token = extract_between(res, "<token>", "</token>");
    g_assert_nonnull(token);

    /* Another session cannot use the token. */
    g_autofree char *other = soap_login(sim);
    g_autofree char *cont = continue_body(sim, "ContinueRetrievePropertiesEx", token);
    g_free(soap_fault(sim, other, cont, "InvalidArgument"));

    g_autofree char *cancel = continue_body(sim, "CancelRetrievePropertiesEx", token);
    g_autofree char *cres = soap_ok(sim, cookie, cancel);
    g_assert_nonnull(strstr(cres, "<CancelRetrievePropertiesExResponse"));
    /* Cancelled: the token is gone. */
    g_free(soap_fault(sim, cookie, cont, "InvalidArgument"));
    g_free(soap_fault(sim, cookie, cancel, "InvalidArgument"));
    /* Without a session: NotAuthenticated. */
    g_free(soap_fault(sim, NULL, cont, "NotAuthenticated"));
}

static void
test_page_size_cap(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .vms = 7, .page_size = 3 };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);

    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    /* No maxObjects, and a larger one: both capped at 3. */
    g_autoptr(GArray) sizes = page_through(sim, cookie, 0, names);
    g_assert_cmpuint(sizes->len, ==, 3);
    g_assert_cmpint(g_array_index(sizes, int, 2), ==, 1);
    g_autoptr(GArray) sizes2 = page_through(sim, cookie, 5, names);
    g_assert_cmpuint(sizes2->len, ==, 3);
    g_assert_cmpuint(g_hash_table_size(names), ==, 7);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/paging/pages", test_pages);
    g_test_add_func("/sim/paging/cancel-and-bad-token", test_cancel_and_bad_token);
    g_test_add_func("/sim/paging/page-size-cap", test_page_size_cap);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
