/* The govmomi peer (the benchmark's reference client) against the
 * simulator: govmomi pages through RetrievePropertiesEx +
 * ContinueRetrievePropertiesEx over verified TLS. */
#include "soapclient.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/wait.h>

#ifndef HVD_SIM_PEER_PATH
#error "HVD_SIM_PEER_PATH must name the built hvd-sim-peer"
#endif

static int
get_int(json_object *root, const char *key)
{
    json_object *v = NULL;
    g_assert_true(json_object_object_get_ex(root, key, &v));
    return json_object_get_int(v);
}

static void
test_peer_pages(void)
{
    g_autoptr(GError) error = NULL;
    sim_options opts = { .tls = TRUE, .vms = 2100 };
    g_autoptr(sim_instance) sim = sim_start(&opts, &error);
    g_assert_no_error(error);

    const char *argv[] = { HVD_SIM_PEER_PATH, sim->url, "--ca", sim->ca_file, NULL };
    g_autofree char *out = NULL;
    int status = 0;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    json_object *root = json_tokener_parse(out);
    g_assert_nonnull(root);
    g_assert_cmpint(get_int(root, "vms"), ==, 2100);
    g_assert_cmpint(get_int(root, "connect_round_trips"), ==, 2);
    /* CreateContainerView, 3 pages of 1000, DestroyView. */
    g_assert_cmpint(get_int(root, "list_round_trips"), ==, 5);
    json_object_put(root);

    g_autofree char *stats = control_ok(sim, "GET", "/stats", NULL);
    g_assert_nonnull(strstr(stats, "\"ContinueRetrievePropertiesEx\":2"));

    /* Without the right CA it fails with a message. */
    const char *argv2[] = { HVD_SIM_PEER_PATH, sim->url, "--ca", "/dev/null", NULL };
    g_autofree char *err = NULL;
    g_assert_true(
        g_spawn_sync(NULL, (char **)argv2, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error));
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, "hvd-sim-peer: "));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_test_add_func("/sim/peer/pages", test_peer_pages);
    int rc = g_test_run();
    curl_global_cleanup();
    return rc;
}
