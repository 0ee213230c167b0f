/* Session expiry: after POST /hvd-sim/expire-sessions every call of an old
 * session fails with NotAuthenticated, as on ESX; a new login works. */
#include "soapclient.h"

#include <curl/curl.h>
#include <string.h>

static void
test_expire(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sim_instance) sim = sim_start(NULL, &error);
    g_assert_no_error(error);
    g_autofree char *cookie = soap_login(sim);
    g_autofree char *vm = find_vm(sim, cookie, "ha-host_VM0");

    g_autofree char *res = control_ok(sim, "POST", "/expire-sessions", NULL);
    g_assert_nonnull(strstr(res, "\"expired\":1"));

    g_autofree char *create =
        g_strdup("<CreateContainerView xmlns=\"urn:vim25\"><_this type=\"ViewManager\">ViewManager</_this>"
                 "<container type=\"Folder\">ha-folder-root</container><type>VirtualMachine</type>"
                 "<recursive>true</recursive></CreateContainerView>");
    g_free(soap_fault(sim, cookie, create, "NotAuthenticated"));
    g_autofree char *cancel =
        g_strdup_printf("<CancelRetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">%s"
                        "</_this><token>x</token></CancelRetrievePropertiesEx>",
                        property_collector(sim));
    g_free(soap_fault(sim, cookie, cancel, "NotAuthenticated"));
    /* vcsim reports property calls without a session in missingSet. */
    g_autofree char *body =
        g_strdup_printf("<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">%s</_this>"
                        "<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet>"
                        "<objectSet><obj type=\"VirtualMachine\">%s</obj></objectSet></specSet>"
                        "<options></options></RetrievePropertiesEx>",
                        property_collector(sim), vm);
    g_autofree char *props = soap_ok(sim, cookie, body);
    g_assert_null(strstr(props, "ha-host_VM0"));
    g_assert_nonnull(strstr(props, "<missingSet>"));
    g_assert_nonnull(strstr(props, "NotAuthenticated"));

    g_autofree char *fresh = soap_login(sim);
    g_assert_cmpstr(fresh, !=, cookie);
    g_autofree char *view2 = create_container_view(sim, fresh, "VirtualMachine");
    g_assert_nonnull(view2);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/sessions/expire", test_expire);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
